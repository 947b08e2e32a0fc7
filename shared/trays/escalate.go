package trays

import (
	"context"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/workflow"
)

// KindEscalation is the notification sent to the MASH service manager when a deadline is missed (Hackney
// seed §5: disagreements and delays escalate to the MASH Service Manager; Northamptonshire §10).
const KindEscalation = "escalation"

// Escalation stages.
const (
	StageUnclaimed = "unclaimed" // half the window gone and nobody has opened the item (heartbeat timeout)
	StageOverdue   = "overdue"   // the deadline passed
)

// RuleEscalationRepeat is the policy rule for how long after an overdue escalation the next one is sent.
const RuleEscalationRepeat = policy.RuleEscalationRepeat

// Escalate is the step the ASL calls when a token wait times out (States.Timeout or States.HeartbeatTimeout).
// It tells the service manager and returns the next wait: the rest of the window after an early warning, or
// the policy's escalation.repeat interval once the deadline has passed. It never fails the contact.
type Escalate struct{ workflow.Env }

// Handle escalates one tray (rating, decision) or one overdue partner check (tray checks, with the agency).
func (s Escalate) Handle(ctx context.Context, in workflow.StepInput) (workflow.EscalateOutput, error) {
	c, p, err := s.Load(ctx, in)
	if err != nil {
		return workflow.EscalateOutput{}, err
	}
	now := s.Now()
	if in.Tray == Checks {
		if err := s.notify(ctx, p, c, StageOverdue, map[string]string{"tray": Checks, "agency": string(in.Agency)}); err != nil {
			return workflow.EscalateOutput{}, err
		}
		return workflow.EscalateOutput{Agency: in.Agency}, nil
	}
	var due time.Time
	if id := c.Tasks[in.Tray]; id != "" {
		it, err := s.Store.GetTrayItem(ctx, id)
		if err != nil && domain.ErrorCode(err) != domain.CodeNotFound {
			return workflow.EscalateOutput{}, workflow.Classify(err, c.ID)
		}
		due = it.DueAt
	}
	if !due.IsZero() && now.Before(due) {
		if err := s.notify(ctx, p, c, StageUnclaimed, map[string]string{"tray": in.Tray, "dueAt": due.UTC().Format(time.RFC3339)}); err != nil {
			return workflow.EscalateOutput{}, err
		}
		return workflow.EscalateOutput{Wait: workflow.NewWait(due, now, false)}, nil
	}
	rule, ok := p.Deadline(RuleEscalationRepeat)
	if !ok {
		return workflow.EscalateOutput{}, domain.Errorf(domain.CodeInvalid, "policy %s has no %s rule", p.Authority, RuleEscalationRepeat)
	}
	cal, err := p.Calendar()
	if err != nil {
		return workflow.EscalateOutput{}, err
	}
	next, err := cal.Due(rule, now)
	if err != nil {
		return workflow.EscalateOutput{}, err
	}
	if err := s.notify(ctx, p, c, StageOverdue, map[string]string{"tray": in.Tray, "dueAt": due.UTC().Format(time.RFC3339)}); err != nil {
		return workflow.EscalateOutput{}, err
	}
	return workflow.EscalateOutput{Wait: workflow.NewWait(next, now, false)}, nil
}

func (s Escalate) notify(ctx context.Context, p *policy.Policy, c *domain.Contact, stage string, extra map[string]string) error {
	extra["stage"] = stage
	if _, err := s.Store.AppendAudit(ctx, store.AuditEvent{ContactID: c.ID, Actor: workflow.FnEscalate, Action: "escalated",
		Reason: stage, SharedWith: []string{"service-manager"}, Detail: copyMap(extra)}); err != nil {
		return workflow.Classify(err, c.ID)
	}
	if err := s.Notifier.Notify(ctx, KindEscalation, p, c, extra); err != nil {
		return workflow.Classify(err, c.ID)
	}
	return nil
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
