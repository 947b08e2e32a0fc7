package ooh_test

import (
	"context"
	"slices"
	"testing"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/internal/steptest"
	"github.com/safeguarding/mash/shared/ooh"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/workflow"
)

// Portsmouth §8: contacts made out of hours are reviewed the next working day; Hackney §9: out of hours the
// Emergency Duty Team takes what cannot wait. Routing by the arrival time and immediate harm.
func TestPortsmouth_8_OutOfHours_QueuedOrEDTNow(t *testing.T) {
	cases := []struct {
		name, at  string
		harm      bool
		route     domain.Route
		status    domain.Status
		reviewBy  string
		edtNotice bool
	}{
		{"open", "2027-03-10 10:00", false, domain.RouteMASH, domain.StatusScreening, "", false},
		{"friday evening", "2027-03-12 19:00", false, domain.RouteOOHQueue, domain.StatusQueuedOOH, "2027-03-15 17:00", false},
		{"saturday immediate harm", "2027-03-13 11:00", true, domain.RouteEDTNow, domain.StatusQueuedOOH, "2027-03-15 17:00", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := steptest.New(t, steptest.London(t, tc.at))
			c := r.Contact("portsmouth", func(c *domain.Contact) { c.ImmediateHarm = tc.harm })
			out, err := ooh.Step{Env: r.Env}.Route(context.Background(), workflow.StepInput{ContactID: c.ID})
			if err != nil {
				t.Fatal(err)
			}
			got := r.Get(c.ID)
			if out.Route != tc.route || got.Route != tc.route || got.Status != tc.status {
				t.Fatalf("route %s/%s status %s, want %s %s", out.Route, got.Route, got.Status, tc.route, tc.status)
			}
			if tc.reviewBy != "" && !got.Deadlines[policy.RuleOOHReview].Equal(steptest.London(t, tc.reviewBy)) {
				t.Errorf("ooh-review %v, want %s", got.Deadlines[policy.RuleOOHReview], tc.reviewBy)
			}
			if tc.reviewBy == "" && len(got.Deadlines) != 0 {
				t.Errorf("deadlines %v in hours, want none", got.Deadlines)
			}
			if slices.Contains(r.Kinds(c.ID), string(domain.NoticeEDTNow)) != tc.edtNotice {
				t.Errorf("outbox %v, EDT notice want %v", r.Kinds(c.ID), tc.edtNotice)
			}
			// A retry routes nothing twice.
			if _, err := (ooh.Step{Env: r.Env}).Route(context.Background(), workflow.StepInput{ContactID: c.ID}); err != nil {
				t.Fatalf("retry: %v", err)
			}
		})
	}
}

// Operation Encompass: a domestic-abuse PPN's school is told in the intake write (shared/intake); the first
// step routes the PPN and sends no notice of its own.
func TestEncompass_PPN_FirstStepSendsNoNotice(t *testing.T) {
	r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
	c := r.Contact("hackney", func(c *domain.Contact) {
		c.Channel, c.Flags.PPN, c.Flags.DomesticAbuse = domain.ChannelPPN, true, true
		c.IncidentAt = steptest.London(t, "2027-03-08 23:10")
		c.Consent = domain.Consent{Status: domain.ConsentNotSought, Reason: "ppn"}
	})
	if _, err := (ooh.Step{Env: r.Env}).Route(context.Background(), workflow.StepInput{ContactID: c.ID}); err != nil {
		t.Fatal(err)
	}
	if got := r.Get(c.ID); got.Route != domain.RouteMASH || got.Status != domain.StatusScreening {
		t.Fatalf("routed %s %s", got.Route, got.Status)
	}
	if slices.Contains(r.Kinds(c.ID), string(domain.NoticeEncompass)) {
		t.Errorf("the first step sent an Encompass notice: %v", r.Kinds(c.ID))
	}
}

// The machine's first task routes the contact and, when the MASH is open, screens it in the same invocation
// (docs/cost.md "Fewer state transitions"); closed, it only routes, and the machine screens at the opening.
// A retry of the task changes nothing twice and answers the same.
func TestFirstTask_OpenRoutesAndScreens_ClosedOnlyRoutes(t *testing.T) {
	cases := []struct {
		name, at string
		route    domain.Route
		next     string
		status   domain.Status
	}{
		{"open: screened, waits for its rating", "2027-03-10 10:00", domain.RouteMASH, workflow.NextRating, domain.StatusAwaitingRating},
		{"closed: queued, not screened yet", "2027-03-12 19:00", domain.RouteOOHQueue, "", domain.StatusQueuedOOH},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := steptest.New(t, steptest.London(t, tc.at))
			c := r.Contact("portsmouth", func(c *domain.Contact) { c.Consent = domain.Consent{Status: domain.ConsentGiven} })
			out, err := ooh.Step{Env: r.Env}.Handle(context.Background(), workflow.StepInput{ContactID: c.ID, Authority: c.Authority})
			if err != nil {
				t.Fatal(err)
			}
			got := r.Get(c.ID)
			if out.Route != tc.route || out.Next != tc.next || got.Status != tc.status {
				t.Fatalf("route %s next %q status %s, want %s %q %s", out.Route, out.Next, got.Status, tc.route, tc.next, tc.status)
			}
			if (out.DueAt != "") != (tc.next == workflow.NextRating) || (out.TimeoutSeconds > 0) != (tc.next == workflow.NextRating) {
				t.Errorf("wait %+v for next %q", out.Wait, tc.next)
			}
			// Open or closed, the task is one change of the contact (open: routed and screened together, the
			// routing's event first — docs/cost.md).
			if got.Version != 2 {
				t.Errorf("contact at version %d after the first task, want 2 (created, one change)", got.Version)
			}
			var acts []string
			for _, ev := range r.Audit(c.ID) {
				acts = append(acts, ev.Action)
			}
			if i, j := slices.Index(acts, "route.decided"), slices.Index(acts, "screening.done"); i < 0 || (tc.next == workflow.NextRating) != (j > i) {
				t.Errorf("audit %v: want route.decided, then (open) the screening's event", acts)
			}
			events := len(r.Audit(c.ID))
			again, err := ooh.Step{Env: r.Env}.Handle(context.Background(), workflow.StepInput{ContactID: c.ID, Authority: c.Authority})
			if err != nil {
				t.Fatalf("retry: %v", err)
			}
			if again != out || len(r.Audit(c.ID)) != events {
				t.Errorf("retry answered %+v (first %+v) with %d events (first %d)", again, out, len(r.Audit(c.ID)), events)
			}
		})
	}
}
