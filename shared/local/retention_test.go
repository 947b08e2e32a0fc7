package local

import (
	"context"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

// The local runner runs the retention job once a day of its clock (production: the retention function's
// daily schedule): a contact whose retention ended is deleted by the next day's tick, not before.
func TestTick_RunsRetentionDaily(t *testing.T) {
	r := newRig(t, london(t, "2027-03-10 10:00"))
	ctx := context.Background()
	c := &domain.Contact{ID: domain.NewContactID(), Authority: "hackney", Channel: domain.ChannelForm, ReceivedAt: r.clock.Now(),
		Status: domain.StatusDecided, Child: domain.Child{GivenName: "Ada", FamilyName: "Lovelace"}, Concerns: "c",
		Referrer: domain.Referrer{Name: "R", Email: "r@x.example"}, Consent: domain.Consent{Status: domain.ConsentGiven},
		// decided NFA almost 6 years ago (Hackney's period): its retention ends 36 hours from now
		Outcome: &domain.OutcomeRecord{Code: domain.OutcomeNFA, AuthorityTerm: "NFA", By: "m", At: r.clock.Now().AddDate(-6, 0, 0).Add(36 * time.Hour), Rationale: "r"}}
	if err := r.suite.Store.CreateContact(ctx, c, store.IdempotencyKey{}, store.AuditEvent{Actor: "test", Action: "contact.created"}); err != nil {
		t.Fatal(err)
	}
	there := func() bool {
		_, err := r.suite.Store.GetContact(ctx, c.ID)
		return err == nil
	}
	r.advance(24*time.Hour, time.Hour) // the first tick (+1 h) ran the job
	if !there() {
		t.Fatal("deleted before its retention ended")
	}
	r.advance(23*time.Hour, time.Hour) // +47 h: expired at +36 h, but the day's run was at +25 h
	if !there() {
		t.Fatal("the job ran more than once a day")
	}
	r.advance(2*time.Hour, time.Hour) // +49 h: the next day's run
	if there() {
		t.Fatal("the daily run did not delete the expired contact")
	}
}
