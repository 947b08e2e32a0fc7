package trays

import (
	"context"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/workflow"
)

// KindEscalation is the notification sent to the MASH service manager when a deadline is missed (Hackney
// seed §5: disagreements and delays escalate to the MASH Service Manager; Northamptonshire §10).
const KindEscalation = domain.NoticeEscalation

// Escalation stages.
const (
	StageUnclaimed = lifecycle.StageUnclaimed // half the window gone and nobody has opened the item (heartbeat timeout)
	StageOverdue   = lifecycle.StageOverdue   // the deadline passed
)

// RuleEscalationRepeat is the policy rule for how long after an overdue escalation the next one is sent.
const RuleEscalationRepeat = policy.RuleEscalationRepeat

// Escalate is the step the ASL calls when a token wait times out (States.Timeout or States.HeartbeatTimeout).
// It tells the service manager and returns the next wait: the rest of the window after an early warning, or
// the policy's escalation.repeat interval once the deadline has passed. It never fails the contact. A
// partner check's wait that ran out ends that agency's iteration; the SLA sweep chases the check.
type Escalate struct{ workflow.Env }

// Handle escalates one tray (rating, decision) or one overdue partner check (tray checks, with the agency).
func (s Escalate) Handle(ctx context.Context, in workflow.StepInput) (workflow.EscalateOutput, error) {
	c, p, err := s.Load(ctx, in)
	if err != nil {
		return workflow.EscalateOutput{}, err
	}
	now := s.Now()
	if in.Tray == Checks {
		// The machine stops waiting for this agency at the check's deadline and goes on; the chase — the
		// agency reminded with the same answer link, the service manager told, again every escalation.repeat
		// until it is answered or closed — is the SLA sweep's (Sweep.chaseChecks), from the check's record,
		// so it is sent once whichever runs first and goes on after the execution has moved on.
		s.Log.InfoContext(ctx, "check wait over: the SLA sweep chases the agency", "contactId", c.ID, "agency", in.Agency)
		return workflow.EscalateOutput{Agency: in.Agency}, nil
	}
	if WaitOver(c, in.Tray) {
		// The person acted while the wait was timing out (issue #13): nobody is told the contact is late;
		// the machine waits once more, and that wait's open item is completed from the record by the SLA
		// sweep's reconciliation.
		rule, _ := p.Deadline(RuleEscalationRepeat)
		cal, err := p.Calendar()
		if err != nil {
			return workflow.EscalateOutput{}, err
		}
		next, err := cal.Due(rule, now)
		if err != nil {
			return workflow.EscalateOutput{}, err
		}
		s.Log.InfoContext(ctx, "wait already answered: not escalated", "contactId", c.ID, "tray", in.Tray)
		return workflow.EscalateOutput{Wait: workflow.NewWait(next, now, false)}, nil
	}
	var due time.Time
	it, err := workflow.OpenWait(ctx, s.Store, c, in.Tray)
	if err != nil {
		return workflow.EscalateOutput{}, workflow.Classify(err, c.ID)
	}
	if it != nil {
		due = it.DueAt
	}
	stage := StageOverdue
	if !due.IsZero() && now.Before(due) {
		stage = StageUnclaimed
	}
	var next time.Time
	if _, err := s.Apply(ctx, p, c.ID, func(c *domain.Contact) (lifecycle.Result, error) {
		r, n, err := lifecycle.Late(p, c, now, domain.Tray(in.Tray), stage, due)
		next = n
		return r, err
	}); err != nil {
		return workflow.EscalateOutput{}, err
	}
	if stage == StageUnclaimed {
		return workflow.EscalateOutput{Wait: workflow.NewWait(due, now, false)}, nil
	}
	return workflow.EscalateOutput{Wait: workflow.NewWait(next, now, false)}, nil
}

// WaitOver reports whether the person a rating or decision wait is for has already acted on the record: the
// contact rated (and not back awaiting a rating), or decided. The workflow may not know yet (a completion that
// failed, or a token that timed out first); the sweep's reconciliation tells it.
func WaitOver(c *domain.Contact, tray string) bool {
	switch tray {
	case Rating:
		// Rated, or forwarded while it waited (a screener's confirmed person match).
		return (c.Rating != nil || c.Status == domain.StatusForwarded) && c.Status != domain.StatusAwaitingRating &&
			lifecycle.Allowed(lifecycle.RatingParked, c) != nil
	case Decision:
		return c.Outcome != nil && lifecycle.Allowed(lifecycle.DecisionParked, c) != nil
	}
	return false
}
