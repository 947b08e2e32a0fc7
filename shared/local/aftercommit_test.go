package local

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/domain"
)

// outermostFails makes the intake's unit of work fail after everything inside it has run — the contact
// written and its workflow driven to its first wait, out of hours its route step flushing the contact's
// outbox — as a failed COMMIT (a full disk, an I/O error) would: the whole unit rolls back. Nested units
// (each contact's workflow start) run as they are.
func (r *rig) outermostFails(fail *bool) {
	unit := r.suite.Intake.Service.Unit
	type inUnit struct{}
	r.suite.Intake.Service.Unit = func(ctx context.Context, fn func(ctx context.Context) error) error {
		if ctx.Value(inUnit{}) != nil {
			return unit(ctx, fn)
		}
		return unit(context.WithValue(ctx, inUnit{}, true), func(ctx context.Context) error {
			if err := fn(ctx); err != nil {
				return err
			}
			if *fail {
				return errors.New("injected: the unit's commit failed")
			}
			return nil
		})
	}
}

// A message goes out only after the commit that holds what it reports (issue #19's units of work): out of
// hours the route step flushes the contact's outbox inside the contact's own transaction; if that
// transaction then rolls back, no acknowledgement may have gone with a reference number that does not exist.
// The referrer's redelivery then creates the contact and acknowledges it once.
func TestUnit_NoMessageSentForAContactRolledBack(t *testing.T) {
	r := newRig(t, london(t, "2027-03-05 17:30")) // a Friday evening: out of hours at Hackney
	fail := true
	r.outermostFails(&fail)
	ctx := context.Background()
	ref := canaryReferral()
	ref.ImmediateHarm = true // out of hours: the EDT acts now (route edt-now), told by a notice the route step sends
	if _, err := r.suite.Intake.CreateReferral(ctx, "hackney", ref, "key-1"); err == nil {
		t.Fatal("the intake succeeded though its unit failed")
	}
	if n := r.sqlCount(`SELECT count(*) FROM items WHERE sk = 'contact'`); n != 0 {
		t.Fatalf("%d contacts written, want 0 (the unit rolled back)", n)
	}
	if ms := r.outboxMessages(); len(ms) != 0 {
		var subjects []string
		for _, m := range ms {
			subjects = append(subjects, header(m, "Subject"))
		}
		t.Fatalf("%d messages sent for a contact that was not written: %q", len(ms), subjects)
	}

	fail = false
	res, err := r.suite.Intake.CreateReferral(ctx, "hackney", ref, "key-1")
	if err != nil {
		t.Fatal(err)
	}
	c := r.contact(res[0].ContactID)
	if c.Route != domain.RouteEDTNow {
		t.Fatalf("route %s, want edt-now", c.Route)
	}
	acks := 0
	for _, m := range r.outboxMessages() {
		if strings.Contains(header(m, "Subject"), string(c.Reference)) && strings.Contains(header(m, "To"), "dsl@hillman.hackney.sch.uk") {
			acks++
		}
	}
	if acks != 1 {
		t.Fatalf("%d messages to the referrer naming %s, want 1 (the acknowledgement)", acks, c.Reference)
	}
	for _, n := range r.notices(c.ID) {
		if n.SentAt.IsZero() && n.UndeliverableAt.IsZero() {
			t.Errorf("notice %s (%s) still pending after the commit", n.ID, n.Kind)
		}
	}
}
