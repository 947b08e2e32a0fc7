package intake_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/intake"
)

// The Lambda trigger: SES's S3 action wrote raw/<ses id>; the S3 ObjectCreated event (events/s3/X.json)
// names it. MailEvent fetches the bytes and ingests them; the SES receipt event (events/ses/X.json) of the
// redelivery then finds the same contact.
func TestMailEvent_S3ThenSESEvents(t *testing.T) {
	r := newRig(t, london(t, "2026-11-16 10:45"))
	ctx := context.Background()
	for _, name := range []string{"school-dsl-referral.eml", "school-dsl-referral-redelivery.eml"} {
		if err := r.suite.Intake.Blobs.Put(ctx, "raw/"+sesID(t, name), readSample(t, name), "message/rfc822"); err != nil {
			t.Fatal(err)
		}
	}
	ev, err := os.ReadFile(filepath.Join("../../events/s3", "school-dsl-referral.json"))
	if err != nil {
		t.Fatal(err)
	}
	first, err := r.suite.Intake.MailEvent(ctx, hackney, "mash-raw-mail", ev)
	if err != nil || len(first) != 1 || first[0].Status != intake.StatusCreated {
		t.Fatalf("S3 event: %+v %v", first, err)
	}
	ev, err = os.ReadFile(filepath.Join(sesDir, "school-dsl-referral-redelivery.json"))
	if err != nil {
		t.Fatal(err)
	}
	again, err := r.suite.Intake.MailEvent(ctx, hackney, "mash-raw-mail", ev)
	if err != nil || len(again) != 1 || again[0].Status != intake.StatusDuplicate || again[0].ContactID != first[0].ContactID {
		t.Fatalf("SES event of the redelivery: %+v %v, want a duplicate of %s", again, err, first[0].ContactID)
	}
	// An event naming an object that is not there is an error (Lambda retries, then the dead-letter queue).
	missing := strings.ReplaceAll(string(ev), sesID(t, "school-dsl-referral-redelivery.eml"), "0000000000000000000000000000000000000000")
	if _, err := r.suite.Intake.MailEvent(ctx, hackney, "mash-raw-mail", []byte(missing)); err == nil {
		t.Errorf("missing object: no error")
	}
	if _, err := r.suite.Intake.MailEvent(ctx, hackney, "mash-raw-mail", []byte(`{"Records":[]}`)); err == nil {
		t.Errorf("empty event: no error")
	}
}
