// Package outcomes is the last step of the contact machine: once a contact is decided (or forwarded, or
// returned for consent) it tells whoever must be told — the referrer, the strategy discussion, the LADO,
// Channel — in the authority's own words.
package outcomes

import (
	"context"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/workflow"
)

// Notification kinds this step sends.
const (
	KindFeedback = "feedback"
	KindStrategy = "strategy"
	KindLADO     = "lado"
	KindChannel  = "channel"
)

// Step is the notifications state.
type Step struct{ workflow.Env }

// Plan lists the kinds of message a contact in its current state calls for.
//   - feedback to the referrer once an outcome exists and the policy requires it (Bexley seed §12: outcome
//     shared in writing within 48 hours; Barnet "How will I know what has happened"; Northamptonshire §6b) —
//     not for a contact returned for consent (screening already wrote) nor for a PPN (the police are not a
//     referrer awaiting an outcome);
//   - a strategy discussion for S47 (Northamptonshire §7: CSC, Health and Police as a minimum);
//   - the LADO for an allegation against someone who works with children (within 1 working day);
//   - Channel for a radicalisation concern (Portsmouth §4.8: CTP gateway and the Channel panel).
func Plan(p *policy.Policy, c *domain.Contact) []string {
	var kinds []string
	if c.Outcome != nil && p.Feedback.Required && c.Channel != domain.ChannelPPN && c.Status != domain.StatusReturnedForConsent {
		kinds = append(kinds, KindFeedback)
	}
	if c.Outcome != nil && c.Outcome.Code == domain.OutcomeS47 {
		kinds = append(kinds, KindStrategy)
	}
	if c.Flags.AllegationAgainstProfessional || (c.Outcome != nil && c.Outcome.Code == domain.OutcomeLADO) {
		kinds = append(kinds, KindLADO)
	}
	if c.Flags.Radicalisation || (c.Outcome != nil && c.Outcome.Code == domain.OutcomeChannel) {
		kinds = append(kinds, KindChannel)
	}
	return kinds
}

// Handle sends what Plan says. Notification ids are deterministic, so a retried step sends nothing twice.
func (s Step) Handle(ctx context.Context, in workflow.StepInput) (workflow.NotifyOutput, error) {
	c, p, err := s.Load(ctx, in)
	if err != nil {
		return workflow.NotifyOutput{}, err
	}
	kinds := Plan(p, c)
	for _, k := range kinds {
		if err := s.Notifier.Notify(ctx, k, p, c, nil); err != nil {
			return workflow.NotifyOutput{}, workflow.Classify(err, c.ID)
		}
	}
	s.Log.InfoContext(ctx, "outcome notifications", "contactId", c.ID, "count", len(kinds))
	return workflow.NotifyOutput{Sent: len(kinds)}, nil
}
