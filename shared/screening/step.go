package screening

import (
	"context"
	"strconv"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/workflow"
)

// Notification kinds this step sends.
const (
	KindForwarded      = "forwarded"
	KindConsentRequest = "consent-request"
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
		c, err = s.Update(ctx, c.ID, func(c *domain.Contact) (store.AuditEvent, error) {
			c.Status = domain.StatusReturnedForConsent
			return workflow.Event(workflow.FnScreening, "screening.returned-for-consent", "no consent and not child protection (policy consent rule)", nil), nil
		})
		if err != nil {
			return workflow.ScreeningOutput{}, err
		}
		if err := s.Notifier.Notify(ctx, KindConsentRequest, p, c, nil); err != nil {
			return workflow.ScreeningOutput{}, workflow.Classify(err, c.ID)
		}
		return workflow.ScreeningOutput{Next: workflow.NextReturnedForConsent}, nil
	}

	rule, ok := p.Deadline(policy.RuleScreeningCSC)
	if !ok {
		return workflow.ScreeningOutput{}, domain.Errorf(domain.CodeInvalid, "policy %s has no %s rule", p.Authority, policy.RuleScreeningCSC)
	}
	cal, err := p.Calendar()
	if err != nil {
		return workflow.ScreeningOutput{}, err
	}
	start := c.ReceivedAt
	if c.Deadlines != nil {
		if _, queued := c.Deadlines[policy.RuleOOHReview]; queued {
			start = now // out of hours: the clock starts when the MASH opens
		}
	}
	due, err := cal.Due(rule, start)
	if err != nil {
		return workflow.ScreeningOutput{}, err
	}
	if _, err := s.Update(ctx, c.ID, func(c *domain.Contact) (store.AuditEvent, error) {
		c.Status = domain.StatusAwaitingRating
		if c.Deadlines == nil {
			c.Deadlines = map[string]time.Time{}
		}
		c.Deadlines[policy.RuleScreeningCSC] = due.UTC()
		return workflow.Event(workflow.FnScreening, "screening.done", "", map[string]string{"next": workflow.NextRating, "matches": strconv.Itoa(len(entries))}), nil
	}); err != nil {
		return workflow.ScreeningOutput{}, err
	}
	return workflow.ScreeningOutput{Next: workflow.NextRating, Wait: workflow.NewWait(due, now, true)}, nil
}

func (s Step) forward(ctx context.Context, p *policy.Policy, c *domain.Contact, code domain.OutcomeCode, rec *store.ChildRecord, why string) (workflow.ScreeningOutput, error) {
	term, _ := p.OutcomeTerm(code)
	now := s.Now()
	to := rec.AllocatedWorker
	if code == domain.OutcomeThreeMonthRule {
		to = rec.ClosedUnit
	}
	c, err := s.Update(ctx, c.ID, func(c *domain.Contact) (store.AuditEvent, error) {
		c.Status = domain.StatusForwarded
		c.Outcome = &domain.OutcomeRecord{Code: code, AuthorityTerm: term, By: workflow.FnScreening, At: now, Rationale: why}
		return store.AuditEvent{Actor: workflow.FnScreening, Action: "screening.forwarded", Reason: why,
			SharedWith: []string{to}, Detail: map[string]string{"matchedContact": string(rec.ContactID), "outcome": string(code)}}, nil
	})
	if err != nil {
		return workflow.ScreeningOutput{}, err
	}
	if err := s.Notifier.Notify(ctx, KindForwarded, p, c, map[string]string{"to": to, "matchedContact": string(rec.ContactID)}); err != nil {
		return workflow.ScreeningOutput{}, workflow.Classify(err, c.ID)
	}
	return workflow.ScreeningOutput{Next: workflow.NextForwarded}, nil
}
