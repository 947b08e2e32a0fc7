package local

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/actions"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/workflow"
)

// docs/cost.md "A park that moves nothing writes its wait item alone": the rating's and the decision's park write
// no record of their own when the contact already waits there, so the trail must say each wait's move and
// deadline where the contact was moved: screening.done (the rating's deadline by its rule), an escalation (the
// next one, escalation.repeat), the last answer of the checks and a rating that asks none (next: the decision,
// due by the decision wait's deadline). Each wait item's deadline is checked against the event that says it, on
// the real machine.
func TestE2E_ParkMovingNothing_TheTrailSaysEachWaitsMoveAndDeadline(t *testing.T) {
	r := newRig(t, london(t, "2027-03-10 10:00")) // a Wednesday, open
	ctx := context.Background()
	rfc := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	trail := func(id domain.ContactID) []store.AuditEvent {
		t.Helper()
		evs, err := r.suite.Store.ListAudit(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if i := slices.IndexFunc(evs, func(ev store.AuditEvent) bool { return ev.Action == "tray.parked" }); i >= 0 {
			t.Fatalf("a park that moved nothing wrote a record: %+v", evs[i])
		}
		return evs
	}
	last := func(id domain.ContactID, action string) store.AuditEvent {
		t.Helper()
		evs := trail(id)
		for i := len(evs) - 1; i >= 0; i-- {
			if evs[i].Action == action {
				return evs[i]
			}
		}
		t.Fatalf("no %s event in %+v", action, evs)
		return store.AuditEvent{}
	}
	wait := func(id domain.ContactID, tray string) *store.TrayItem {
		t.Helper()
		w, err := workflow.OpenWait(ctx, r.suite.Store, r.contact(id), tray)
		if err != nil || w == nil {
			t.Fatalf("no open %s wait: %v", tray, err)
		}
		return w
	}

	// Screening moved it to awaiting its rating: screening.done says the deadline the rating's wait is due by.
	id := r.refer(ctx, canaryReferral())
	w := wait(id, string(domain.TrayRating))
	if got := last(id, "screening.done").Detail["due."+w.Rule]; got != rfc(w.DueAt) {
		t.Fatalf("screening.done says %s is due %q; the rating's wait is due %s", w.Rule, got, rfc(w.DueAt))
	}
	// Overdue: the escalation says when the next one is due, which the re-parked wait is due by.
	r.advance(25*time.Hour, 30*time.Minute)
	w = wait(id, string(domain.TrayRating))
	if got := last(id, "escalated").Detail["due."+policy.RuleEscalationRepeat]; got != rfc(w.DueAt) {
		t.Fatalf("the escalation says the next is due %q; the re-parked wait is due %s", got, rfc(w.DueAt))
	}

	// The last answer of the checks moved it to awaiting its decision: its event says so, with the deadline.
	r.rate(ctx, id, actions.Rate{Value: domain.RatingGreen, Rationale: "needs support; no immediate risk", By: "manager-1"})
	checks, err := r.suite.Store.ListChecks(ctx, id)
	if err != nil || len(checks) == 0 {
		t.Fatalf("checks %v %v", checks, err)
	}
	for i, q := range checks {
		r.advance(time.Minute, time.Minute)
		if _, err := r.suite.Actions.AnswerCheck(ctx, id, q.ID, actions.Answer{By: "agency-" + string(q.Agency), NothingKnown: true}); err != nil {
			t.Fatal(err)
		}
		if ev := last(id, "check.answered"); i < len(checks)-1 && (ev.Detail["next"] != "" || ev.Detail["decisionDue"] != "") {
			t.Fatalf("an answer that leaves checks open says the decision is next: %+v", ev.Detail)
		}
	}
	r.advance(time.Minute, time.Minute)
	w = wait(id, string(domain.TrayDecision))
	if ev := last(id, "check.answered"); ev.Detail["next"] != string(domain.TrayDecision) || ev.Detail["decisionDue"] != rfc(w.DueAt) {
		t.Fatalf("the last answer says %+v; want next decision, due %s (the decision's wait)", ev.Detail, rfc(w.DueAt))
	}
	if st := r.contact(id).Status; st != domain.StatusAwaitingDecision {
		t.Fatalf("status %s", st)
	}

	// A rating that asks no checks moves it to awaiting its decision: rating.set says so, with the deadline.
	other := r.refer(ctx, canaryReferral())
	r.rate(ctx, other, actions.Rate{Value: domain.RatingGreen, Rationale: "known family; nothing to ask", By: "manager-1", NoChecks: true})
	r.advance(time.Minute, time.Minute)
	w = wait(other, string(domain.TrayDecision))
	if ev := last(other, "rating.set"); ev.Detail["next"] != string(domain.TrayDecision) || ev.Detail["decisionDue"] != rfc(w.DueAt) {
		t.Fatalf("the rating says %+v; want next decision, due %s (the decision's wait)", ev.Detail, rfc(w.DueAt))
	}
}
