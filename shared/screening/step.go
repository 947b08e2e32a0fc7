package screening

import (
	"context"
	"strconv"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/workflow"
)

// Step is the screening state of the contact machine.
type Step struct{ workflow.Env }

// Handle screens the contact: open case → forwarded to the allocated worker; closed within three months →
// forwarded to the closing unit; consent gate → returned for consent; otherwise it waits for a manager's
// rating, due by the screening rule (screening.csc; Hackney §4.3: a decision within 24 hours).
func (s Step) Handle(ctx context.Context, in workflow.StepInput) (workflow.ScreeningOutput, error) {
	c, p, err := s.Load(ctx, in)
	if err != nil {
		return workflow.ScreeningOutput{}, err
	}
	now := s.Now()
	if out, done := already(c, now); done { // a retried step: the first attempt's transition was written
		return out, nil
	}
	entries, err := s.Store.FindChildren(ctx, c.Authority, c.Child.IdentityKey())
	if err != nil {
		return workflow.ScreeningOutput{}, workflow.Classify(err, c.ID)
	}
	m := Classify(entries, string(c.ID), c.ReceivedAt)

	switch {
	case m.Open != nil:
		return s.forward(ctx, p, c, domain.OutcomeForwardAllocated, m.Open, "open case: forwarded to the allocated worker")
	case m.RecentlyClosed != nil:
		return s.forward(ctx, p, c, domain.OutcomeThreeMonthRule, m.RecentlyClosed, "closed within three months: back to the closing unit")
	case ConsentGate(p, c):
		if _, err := s.Apply(ctx, p, c.ID, func(c *domain.Contact) (lifecycle.Result, error) {
			return lifecycle.ReturnForConsent(p, c, now, workflow.FnScreening)
		}); err != nil {
			return workflow.ScreeningOutput{}, err
		}
		return workflow.ScreeningOutput{Next: workflow.NextReturnedForConsent}, nil
	}
	var due time.Time
	if _, err := s.Apply(ctx, p, c.ID, func(c *domain.Contact) (lifecycle.Result, error) {
		r, d, err := lifecycle.Screen(p, c, now, workflow.FnScreening)
		if err == nil {
			r.Event.Detail["next"], r.Event.Detail["matches"] = workflow.NextRating, strconv.Itoa(len(entries))
		}
		due = d
		return r, err
	}); err != nil {
		return workflow.ScreeningOutput{}, err
	}
	return workflow.ScreeningOutput{Next: workflow.NextRating, Wait: workflow.NewWait(due, now, true)}, nil
}

func (s Step) forward(ctx context.Context, p *policy.Policy, c *domain.Contact, code domain.OutcomeCode, rec *store.ChildRecord, why string) (workflow.ScreeningOutput, error) {
	now := s.Now()
	to := rec.AllocatedWorker
	if code == domain.OutcomeThreeMonthRule {
		to = rec.ClosedUnit
	}
	if _, err := s.Apply(ctx, p, c.ID, func(c *domain.Contact) (lifecycle.Result, error) {
		return lifecycle.Forward(p, c, now, code, to, rec.ContactID, why, workflow.FnScreening)
	}); err != nil {
		return workflow.ScreeningOutput{}, err
	}
	return workflow.ScreeningOutput{Next: workflow.NextForwarded}, nil
}

// already returns the output of a screening a previous attempt recorded.
func already(c *domain.Contact, now time.Time) (workflow.ScreeningOutput, bool) {
	switch c.Status {
	case domain.StatusForwarded:
		return workflow.ScreeningOutput{Next: workflow.NextForwarded}, true
	case domain.StatusReturnedForConsent:
		return workflow.ScreeningOutput{Next: workflow.NextReturnedForConsent}, true
	case domain.StatusAwaitingRating:
		if due := lifecycle.RatingDue(c); !due.IsZero() {
			return workflow.ScreeningOutput{Next: workflow.NextRating, Wait: workflow.NewWait(due, now, true)}, true
		}
	}
	return workflow.ScreeningOutput{}, false
}
