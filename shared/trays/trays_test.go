package trays_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/internal/steptest"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/trays"
	"github.com/safeguarding/mash/shared/workflow"
)

func park(t *testing.T, r *steptest.Rig, c *domain.Contact, tray, token string, due time.Time) {
	t.Helper()
	if _, err := (trays.Park{Env: r.Env}).Handle(context.Background(), workflow.StepInput{ContactID: c.ID, Tray: tray,
		TaskToken: token, DueAt: due.UTC().Format(time.RFC3339)}); err != nil {
		t.Fatal(err)
	}
}

// Hackney §5 / Northamptonshire §10: a rating nobody picked up half-way is flagged to the service manager;
// past its deadline it is escalated, and again every escalation.repeat (2 working hours) until dealt with.
func TestHackney_5_RatingOverdue_EscalatedThenRepeatedByPolicyInterval(t *testing.T) {
	r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
	c := r.Contact("hackney", func(c *domain.Contact) { c.Status, c.Route = domain.StatusScreening, domain.RouteMASH })
	due := steptest.London(t, "2027-03-11 10:00")
	park(t, r, c, trays.Rating, "tok-1", due)
	if got := r.Get(c.ID); got.Status != domain.StatusAwaitingRating || got.Tasks[trays.Rating] == "" {
		t.Fatalf("after park: %s %v", got.Status, got.Tasks)
	}
	esc := trays.Escalate{Env: r.Env}
	in := workflow.StepInput{ContactID: c.ID, Tray: trays.Rating}

	r.Clock.Set(steptest.London(t, "2027-03-10 22:00")) // half-way: unclaimed
	out, err := esc.Handle(context.Background(), in)
	if err != nil || out.DueAt != due.UTC().Format(time.RFC3339) {
		t.Fatalf("unclaimed: %+v %v, want the rest of the window to %v", out, err, due)
	}
	r.Clock.Set(steptest.London(t, "2027-03-11 10:00")) // overdue
	out, err = esc.Handle(context.Background(), in)
	if want := steptest.London(t, "2027-03-11 12:00"); err != nil || out.DueAt != want.UTC().Format(time.RFC3339) {
		t.Fatalf("overdue: %+v %v, want the next escalation at %v", out, err, want)
	}
	if got := r.Get(c.ID).Deadlines[policy.RuleEscalationRepeat]; !got.Equal(steptest.London(t, "2027-03-11 12:00")) {
		t.Errorf("escalation.repeat %v", got)
	}
	r.Clock.Set(steptest.London(t, "2027-03-11 12:00"))
	if _, err := esc.Handle(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, k := range r.Kinds(c.ID) {
		if k == string(domain.NoticeEscalation) {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d escalations, want 3 (unclaimed, overdue, repeat): %v", n, r.Kinds(c.ID))
	}
}

// An overdue partner check chases the agency with the same answer link and tells the service manager.
func TestHackney_5_CheckOverdue_AgencyChasedAndManagerTold(t *testing.T) {
	r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
	c := r.Contact("hackney", func(c *domain.Contact) {
		c.Status, c.Route = domain.StatusChecks, domain.RouteMASH
		c.Rating = &domain.RatingRecord{Value: domain.RatingRed, Rationale: "r", By: "m", At: r.Clock.Now()}
	})
	if _, err := r.Store.PutCheckRequest(context.Background(), store.CheckRequest{ID: "police-1", ContactID: c.ID, Authority: c.Authority,
		Agency: domain.AgencyPolice, RequestedAt: r.Clock.Now(), DueAt: r.Clock.Now().Add(4 * time.Hour), TaskToken: "tok"}); err != nil {
		t.Fatal(err)
	}
	r.Clock.Set(steptest.London(t, "2027-03-10 14:00"))
	out, err := (trays.Escalate{Env: r.Env}).Handle(context.Background(), workflow.StepInput{ContactID: c.ID, Tray: trays.Checks, Agency: domain.AgencyPolice})
	if err != nil || out.Agency != domain.AgencyPolice {
		t.Fatalf("%+v %v", out, err)
	}
	var chase, escalation bool
	for _, n := range r.Sent(c.ID) {
		chase = chase || (n.Kind == string(domain.NoticeCheckRequest) && strings.Contains(strings.ToLower(n.Subject), "reminder"))
		escalation = escalation || n.Kind == string(domain.NoticeEscalation)
	}
	if !chase || !escalation {
		t.Errorf("chase %v escalation %v: %v", chase, escalation, r.Kinds(c.ID))
	}
}

// Portsmouth §7.5: a written referral that arrived clears the phone call's written-form chase: the sweep
// closes the item instead of chasing.
func TestPortsmouth_7_5_WrittenFormArrived_SweepChasesNothing(t *testing.T) {
	r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
	for _, awaiting := range []bool{true, false} {
		c := r.Contact("portsmouth", func(c *domain.Contact) {
			c.Channel, c.Status, c.Flags.AwaitingWrittenForm = domain.ChannelPhone, domain.StatusScreening, awaiting
		})
		if _, err := r.Store.PutTrayItem(context.Background(), store.TrayItem{ID: string(c.ID) + "#written-form", Tray: trays.WrittenForm,
			Authority: c.Authority, ContactID: c.ID, DueAt: r.Clock.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		r.Clock.Advance(2 * time.Hour)
		if _, err := (trays.Sweep{Env: r.Env}).Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		chased := slices.Contains(r.Kinds(c.ID), string(domain.NoticeWrittenFormChase))
		if chased != awaiting {
			t.Errorf("awaiting %v: chased %v", awaiting, chased)
		}
	}
}

// Hackney §5: an overdue check keeps being chased — the agency with the same answer link and the service
// manager — every escalation.repeat (2 working hours), until it is answered.
func TestHackney_5_CheckOverdue_ChaseRepeatsUntilAnswered(t *testing.T) {
	r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
	ctx := context.Background()
	c := r.Contact("hackney", func(c *domain.Contact) {
		c.Status, c.Route = domain.StatusChecks, domain.RouteMASH
		c.Rating = &domain.RatingRecord{Value: domain.RatingRed, Rationale: "r", By: "m", At: r.Clock.Now()}
	})
	due := r.Clock.Now().Add(4 * time.Hour)
	if _, err := r.Store.PutCheckRequest(ctx, store.CheckRequest{ID: "police-1", ContactID: c.ID, Authority: c.Authority,
		Agency: domain.AgencyPolice, RequestedAt: r.Clock.Now(), DueAt: due, TaskToken: "tok"}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Store.PutTrayItem(ctx, store.TrayItem{ID: string(c.ID) + "#checks#police-1", Tray: trays.Checks, Authority: c.Authority,
		ContactID: c.ID, DueAt: due, Rule: "checks.red", TaskToken: "tok"}); err != nil {
		t.Fatal(err)
	}
	chases := func() int {
		n := 0
		for _, m := range r.Sent(c.ID) {
			if m.Kind == string(domain.NoticeCheckRequest) && strings.Contains(strings.ToLower(m.Subject), "reminder") {
				n++
			}
		}
		return n
	}
	sweep := trays.Sweep{Env: r.Env}
	r.Clock.Set(due)
	if _, err := (trays.Escalate{Env: r.Env}).Handle(ctx, workflow.StepInput{ContactID: c.ID, Tray: trays.Checks, Agency: domain.AgencyPolice}); err != nil {
		t.Fatal(err)
	}
	r.Clock.Advance(time.Hour) // before the repeat: nothing more
	if _, err := sweep.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if n := chases(); n != 1 {
		t.Fatalf("%d chases an hour after the first, want 1", n)
	}
	r.Clock.Advance(time.Hour) // 2 working hours after the first
	if _, err := sweep.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if n := chases(); n != 2 {
		t.Fatalf("%d chases two working hours later, want 2", n)
	}
	if _, err := r.Store.AnswerCheck(ctx, c.ID, "police-1", store.CheckAnswer{At: r.Clock.Now(), By: "pc", Summary: "known"}); err != nil {
		t.Fatal(err)
	}
	r.Clock.Advance(3 * time.Hour)
	if _, err := sweep.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if n := chases(); n != 2 {
		t.Errorf("%d chases after the answer, want still 2", n)
	}
}
