package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
)

// Issue #19: the API links no mail parser. On AWS a release is recorded here and the message is written under
// raw/released/ for intake-email (RedeliverViaTrigger): the answer is 202, and the contact appears when
// intake-email's handler has run on the S3 notification of that object.
func TestQuarantineRelease_OnAWS_HandedToIntakeEmail(t *testing.T) {
	rg := newRig(t)
	ctx := context.Background()
	raw, err := os.ReadFile("../../events/email/spam-flagged.eml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := rg.suite.Intake.IngestEmail(ctx, hackney, intake.RawMail{Data: raw, Key: "raw/spam", SESMessageID: "spam"})
	if err != nil || len(res) != 1 || res[0].Status != intake.StatusQuarantined {
		t.Fatalf("ingest: %+v %v", res, err)
	}
	qid := res[0].QuarantineID
	before := rg.countAll()

	// The API as functions/intake-api wires it.
	in := rg.suite.Intake.Service
	in.Redeliver = intake.RedeliverViaTrigger{Blobs: in.Blobs}
	srv := &api.Server{Authority: hackney, Intake: in, Actions: rg.suite.Actions, Store: rg.suite.Store,
		Auth: headerAuth, Log: discardLog(), Now: rg.clock.Now}
	h := srv.Handler()
	r := rg.do(h, manager, "POST", "/v1/quarantine/"+qid+"/release", nil)
	if r.status != http.StatusAccepted {
		t.Fatalf("release: %d %s", r.status, r.body)
	}
	if m := r.json(t); m["quarantineId"] != qid || m["status"] != "queued" {
		t.Errorf("release answer %v", m)
	}
	if n := rg.countAll(); n != before {
		t.Fatalf("%d contacts before intake-email ran, want %d", n, before)
	}
	q, err := rg.suite.Store.GetQuarantine(ctx, qid)
	if err != nil || q.ReleasedBy != manager.subject {
		t.Fatalf("quarantine item: %+v %v", q, err)
	}
	key := intake.ReleasedPrefix + qid
	sent, err := in.Blobs.Get(ctx, key)
	if err != nil {
		t.Fatalf("the message for intake-email: %v", err)
	}
	if strings.Contains(strings.ToLower(string(sent)), "x-ses-spam-verdict") {
		t.Error("the released message still carries the SES spam verdict")
	}
	// A second release is a conflict, and writes nothing again.
	rg.must(http.StatusConflict, manager, "POST", "/v1/quarantine/"+qid+"/release", nil)

	// intake-email's handler on the S3 notification of that object (twice: S3 may repeat a notification).
	ev := s3Event(t, key)
	var ids []domain.ContactID
	for range 2 {
		out, err := rg.suite.Intake.MailEvent(ctx, hackney, "mash-raw-mail", ev)
		if err != nil || len(out) != 1 || out[0].ContactID == "" {
			t.Fatalf("intake-email: %+v %v", out, err)
		}
		ids = append(ids, out[0].ContactID)
	}
	if ids[0] != ids[1] {
		t.Errorf("a repeated notification made a second contact: %v", ids)
	}
	c := rg.contactOf(ids[0])
	if c.Channel != domain.ChannelEmail || c.Referrer.Email != "claims@winner-notice.example" {
		t.Errorf("released contact: %s %q", c.Channel, c.Referrer.Email)
	}
	if n := rg.countAll(); n != before+1 {
		t.Errorf("%d contacts after intake-email ran, want %d", n, before+1)
	}
}

// s3Event is events/s3/spam-flagged.json (an ObjectCreated notification) for another key.
func s3Event(t *testing.T, key string) json.RawMessage {
	t.Helper()
	b, err := os.ReadFile("../../events/s3/spam-flagged.json")
	if err != nil {
		t.Fatal(err)
	}
	var ev map[string]any
	if err := json.Unmarshal(b, &ev); err != nil {
		t.Fatal(err)
	}
	ev["Records"].([]any)[0].(map[string]any)["s3"].(map[string]any)["object"].(map[string]any)["key"] = key
	out, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
