package sfnx_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/adapters/folder"
	"github.com/safeguarding/mash/shared/adapters/sfnx"
	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/intake/inbox"
	"github.com/safeguarding/mash/shared/notify"
	notifyfolder "github.com/safeguarding/mash/shared/notify/folder"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store/embedded"
	"github.com/safeguarding/mash/shared/workflow"
)

// Issue (intake) "Must show": StartExecution is exercised through the real SDK against moto's Step Functions
// API — a redelivered message (same SES id, same bytes; then the same Message-ID under a new SES id) starts
// no second execution.
func TestIntake_RedeliveredEmail_StartsOneExecution(t *testing.T) {
	ctx := context.Background()
	api := newSFN()
	machine := createMachine(t, api, "mash-contact-intake", contactDefinition(t))
	now := clock.Fixed(time.Date(2027, 3, 10, 10, 0, 0, 0, time.UTC))
	st, err := embedded.OpenMemory(now)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	policies := func(a domain.AuthorityID) (*policy.Policy, error) { return policy.Load(string(a)) }
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	env := workflow.Env{Store: st, Policies: policies, Now: now, Log: log, Notifier: notify.Notifier{
		Composer:   notify.Composer{ConsoleURL: "https://mash.example", Now: now},
		Dispatcher: &notify.Dispatcher{Store: st, Sender: notifyfolder.Sender{Dir: t.TempDir()}, Now: now, Log: log, Policies: policies}}}
	svc := inbox.Service{Service: intake.Service{Env: env, Blobs: folder.Blobs{Dir: t.TempDir()}, Starter: sfnx.Client{AWS: cfg(), StateMachineARN: machine}}}

	original, err := os.ReadFile("../../../events/email/school-dsl-referral.eml")
	if err != nil {
		t.Fatal(err)
	}
	redelivery, err := os.ReadFile("../../../events/email/school-dsl-referral-redelivery.eml")
	if err != nil {
		t.Fatal(err)
	}
	first, err := svc.IngestEmail(ctx, "hackney", intake.RawMail{Data: original, Key: "raw/ses-1", SESMessageID: "ses-1"})
	if err != nil || len(first) != 1 || first[0].Status != intake.StatusCreated {
		t.Fatalf("first delivery: %+v %v", first, err)
	}
	for _, d := range []intake.RawMail{
		{Data: original, Key: "raw/ses-1", SESMessageID: "ses-1"},   // SES redelivers the same object
		{Data: redelivery, Key: "raw/ses-2", SESMessageID: "ses-2"}, // the same message under a new SES id
	} {
		rs, err := svc.IngestEmail(ctx, "hackney", d)
		if err != nil || len(rs) != 1 || rs[0].Status != intake.StatusDuplicate || rs[0].ContactID != first[0].ContactID {
			t.Fatalf("redelivery %s: %+v %v", d.Key, rs, err)
		}
	}
	list := executions(t, api, machine)
	if len(list) != 1 || names(list)[0] != string(first[0].ContactID) {
		t.Fatalf("executions = %v, want exactly one named %s", names(list), first[0].ContactID)
	}
}
