package intake_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/intake/email"
)

// A person looks at the spam-flagged message and releases it: it becomes a contact (the SES verdict is
// overridden), the quarantine record says who released it, and a second release is a conflict.
func TestReleaseQuarantine_SpamFlaggedBecomesContact(t *testing.T) {
	r := newRig(t, london(t, "2026-11-16 10:45"))
	ctx := context.Background()
	res := r.ingest(hackney, "spam-flagged.eml")
	if len(res) != 1 || res[0].Status != intake.StatusQuarantined || res[0].Reason != string(email.ReasonSpam) || res[0].QuarantineID == "" {
		t.Fatalf("ingest: %+v", res)
	}
	qid := res[0].QuarantineID
	// SES delivers it again before anyone looks: still one quarantine item.
	if again := r.ingest(hackney, "spam-flagged.eml"); len(again) != 1 || again[0].QuarantineID != qid {
		t.Errorf("redelivery of a quarantined message: %+v, want the same item %s", again, qid)
	}
	if items, err := r.suite.Store.ListQuarantine(ctx, hackney); err != nil || len(items) != 1 {
		t.Errorf("%d quarantine items after a redelivery, want 1 (%v)", len(items), err)
	}
	if n := len(r.allContacts(hackney)); n != 0 {
		t.Fatalf("%d contacts from a quarantined message", n)
	}
	r.clock.Advance(3 * time.Minute)
	rel, err := r.suite.Intake.ReleaseQuarantine(ctx, qid, "manager-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(rel) != 1 || rel[0].Status != intake.StatusCreated || rel[0].ContactID == "" {
		t.Fatalf("release: %+v", rel)
	}
	c := r.contact(rel[0].ContactID)
	if c.Authority != hackney || c.Channel != domain.ChannelEmail || !strings.HasPrefix(string(c.Reference), "HAC-2026-") {
		t.Errorf("released contact %s %s %q", c.Authority, c.Channel, c.Reference)
	}
	if c.Referrer.Email != "claims@winner-notice.example" {
		t.Errorf("referrer %q", c.Referrer.Email)
	}
	r.assertOneAck(c.ID)
	q, err := r.suite.Store.GetQuarantine(ctx, qid)
	if err != nil {
		t.Fatal(err)
	}
	if q.ReleasedBy != "manager-1" || q.ReleasedAt.IsZero() {
		t.Errorf("quarantine record after release: %+v", q)
	}
	left, err := r.suite.Store.ListQuarantine(ctx, hackney)
	if err != nil || len(left) != 0 {
		t.Errorf("still in quarantine: %+v %v", left, err)
	}
	if _, err := r.suite.Intake.ReleaseQuarantine(ctx, qid, "manager-2"); domain.ErrorCode(err) != domain.CodeConflict {
		t.Errorf("second release: %v, want conflict", err)
	}
	// The same message delivered again is a duplicate of the released contact, not a new quarantine item.
	again := r.ingest(hackney, "spam-flagged.eml")
	if len(again) != 1 || again[0].Status != intake.StatusDuplicate || again[0].ContactID != c.ID {
		t.Errorf("redelivery after release: %+v, want a duplicate of %s", again, c.ID)
	}
	// A released message that is still unreadable goes back to quarantine.
	g := r.ingest(hackney, "garbled-mime.eml")
	if len(g) != 1 || g[0].QuarantineID == "" {
		t.Fatalf("garbled: %+v", g)
	}
	back, err := r.suite.Intake.ReleaseQuarantine(ctx, g[0].QuarantineID, "manager-1")
	if err != nil || len(back) != 1 || back[0].Status != intake.StatusQuarantined || back[0].Reason != string(email.ReasonUnparseable) {
		t.Errorf("release of garbled mail: %+v %v, want quarantined again", back, err)
	}
}

const canary = "Canarybird" // docs/architecture.md "Conventions": the canary child "Zebedee Canarybird", only in canary-referral.eml

// The canary: the child's name is stored on the contact, and appears in no log line, no execution snapshot
// (what Step Functions would carry) and no outbox email subject — through intake and a day of the workflow.
func TestCanary_IntakeLeaksNoName(t *testing.T) {
	r := newRig(t, london(t, "2026-11-16 10:45"))
	ctx := context.Background()
	res := r.ingest(hackney, "canary-referral.eml")
	if len(res) != 1 || res[0].Status != intake.StatusCreated {
		t.Fatalf("ingest: %+v", res)
	}
	id := res[0].ContactID
	if c := r.contact(id); c.Child.FamilyName != canary {
		t.Fatalf("the canary child was not extracted (family name %q): the test would prove nothing", c.Child.FamilyName)
	}
	// Its redelivery, and a day of the workflow (screening waits, escalations) with the sweep.
	r.ingest(hackney, "canary-referral.eml")
	for range 24 {
		r.clock.Advance(time.Hour)
		if err := r.suite.Tick(ctx); err != nil {
			t.Fatal(err)
		}
	}
	logs := r.logs.String()
	if !strings.Contains(logs, string(id)) {
		t.Fatalf("the logs never mention the contact id: the capture is not working")
	}
	for i, line := range strings.Split(logs, "\n") {
		if strings.Contains(strings.ToLower(line), strings.ToLower(canary)) || strings.Contains(line, "Zebedee") {
			t.Errorf("log line %d names the canary child", i)
		}
	}
	snap := r.snapshot(id)
	if !json.Valid([]byte(snap)) || len(snap) < 10 {
		t.Fatalf("snapshot %q", snap)
	}
	if strings.Contains(snap, canary) || strings.Contains(snap, "Zebedee") {
		t.Errorf("the canary name appears in the execution snapshot")
	}
	msgs := r.outboxMessages()
	if len(msgs) == 0 {
		t.Fatal("nothing in the outbox: the subject check would prove nothing")
	}
	for _, m := range msgs {
		if s := header(m, "Subject"); strings.Contains(s, canary) || strings.Contains(s, "Zebedee") {
			t.Errorf("the canary name appears in an email subject: %s", s)
		}
	}
}
