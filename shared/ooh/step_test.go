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
			out, err := ooh.Step{Env: r.Env}.Handle(context.Background(), workflow.StepInput{ContactID: c.ID})
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
			if _, err := (ooh.Step{Env: r.Env}).Handle(context.Background(), workflow.StepInput{ContactID: c.ID}); err != nil {
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
	if _, err := (ooh.Step{Env: r.Env}).Handle(context.Background(), workflow.StepInput{ContactID: c.ID}); err != nil {
		t.Fatal(err)
	}
	if got := r.Get(c.ID); got.Route != domain.RouteMASH || got.Status != domain.StatusScreening {
		t.Fatalf("routed %s %s", got.Route, got.Status)
	}
	if slices.Contains(r.Kinds(c.ID), string(domain.NoticeEncompass)) {
		t.Errorf("the first step sent an Encompass notice: %v", r.Kinds(c.ID))
	}
}
