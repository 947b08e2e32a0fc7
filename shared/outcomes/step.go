// Package outcomes is the last step of the contact machine. Who is told about a contact — the referrer, the
// strategy discussion, the LADO, Channel, the school — is decided by the lifecycle transition that causes it
// (shared/lifecycle: the LADO and Channel as soon as their flag is known, the strategy discussion on a Red
// rating, feedback on the decision) and queued in that transition's own write. This step makes sure the
// contact's outbox has gone: it sends whatever a failed send left pending.
package outcomes

import (
	"context"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/workflow"
)

// Step is the notifications state.
type Step struct{ workflow.Env }

// Handle sends the contact's pending messages and reports how many messages the contact has had in all.
func (s Step) Handle(ctx context.Context, in workflow.StepInput) (workflow.NotifyOutput, error) {
	c, _, err := s.Load(ctx, in)
	if err != nil {
		return workflow.NotifyOutput{}, err
	}
	if ob, ok := s.Notifier.(workflow.OutboxNotifier); ok {
		if err := ob.Flush(ctx, c.ID); err != nil {
			return workflow.NotifyOutput{}, &workflow.TransientError{Err: err}
		}
	}
	ns, err := s.Store.ListNotifications(ctx, c.ID)
	if err != nil {
		return workflow.NotifyOutput{}, workflow.Classify(err, c.ID)
	}
	s.Log.InfoContext(ctx, "outcome notifications", "contactId", c.ID, "count", len(ns))
	return workflow.NotifyOutput{Sent: len(Sent(ns))}, nil
}

// Sent lists the kinds of the messages that have gone, in order.
func Sent(ns []store.Notification) []domain.NoticeKind {
	var out []domain.NoticeKind
	for _, n := range ns {
		if !n.SentAt.IsZero() {
			out = append(out, domain.NoticeKind(n.Kind))
		}
	}
	return out
}
