// Package trays holds the work queues people act on — a manager's rating, a decision, partner checks, the
// out-of-hours review — and what happens when their deadlines pass: the park step that puts a Step
// Functions task token on a tray item, the escalate step the ASL calls when a token wait times out, and the
// SLA sweep that a schedule runs over every tray.
package trays

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/workflow"
)

// Trays the contact machine parks tokens on (domain.Tray names).
const (
	Rating   = string(domain.TrayRating)
	Decision = string(domain.TrayDecision)
	Checks   = string(domain.TrayChecks)
)

// Park is the tray step (lambda:invoke.waitForTaskToken): it records the token on a tray item due at the
// wait's deadline and, when the contact does not wait there yet, moves the contact's status. The console completes the token when a manager acts.
type Park struct {
	workflow.Env
	// Tasks answers the replan step's own token (workflow.TellPlan).
	Tasks workflow.Tasks
}

// Handle parks the token. A retry with the same token finds its item already there and succeeds. With
// "plan": true it is the replan step: with a task token (state Replan), it answers that token at once with
// where the machine goes next (workflow.TellPlan); without one (state PlanChecks, or an execution started on
// an earlier definition), the plan is its result.
func (s Park) Handle(ctx context.Context, in workflow.StepInput) (workflow.RatingResult, error) {
	if in.Plan {
		plan, err := s.plan(ctx, in)
		if err != nil || in.TaskToken == "" {
			return plan, err
		}
		if s.Tasks == nil {
			return workflow.RatingResult{}, domain.Errorf(domain.CodeInternal, "the replan step has no Step Functions client to answer its token")
		}
		if err := workflow.TellPlan(ctx, s.Tasks, in.TaskToken, plan); err != nil {
			if domain.ErrorCode(err) == domain.CodeConflict { // the wait is over (timed out): nothing to tell
				s.Log.WarnContext(ctx, "replan: the wait was over before it was told", "contactId", in.ContactID)
				return plan, nil
			}
			return workflow.RatingResult{}, &workflow.TransientError{Err: err}
		}
		return plan, nil
	}
	_, err := s.park(ctx, in)
	return workflow.RatingResult{}, err
}

// plan is the tray step's non-token mode (payload "plan": true), the replan state after partner checks and
// after a re-rating: it reads what the contact's current rating still asks (workflow.PlanFromRecord).
func (s Park) plan(ctx context.Context, in workflow.StepInput) (workflow.RatingResult, error) {
	c, _, err := s.Load(ctx, in)
	if err != nil {
		return workflow.RatingResult{}, err
	}
	return workflow.PlanFromRecord(ctx, s.Store, c, s.Now())
}

func (s Park) park(ctx context.Context, in workflow.StepInput) (struct{}, error) {
	var rule string
	switch in.Tray {
	case Rating:
		rule = policy.RuleScreeningCSC
	case Decision:
	default:
		return struct{}{}, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "tray", Message: "must be rating or decision"}}}
	}
	if in.TaskToken == "" {
		return struct{}{}, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "taskToken", Message: "is required"}}}
	}
	due, err := workflow.ParseDue(in.DueAt)
	if err != nil {
		return struct{}{}, err
	}
	c, p, err := s.Load(ctx, in)
	if err != nil {
		return struct{}{}, err
	}
	if in.Tray == Decision {
		rule = lifecycle.DecisionRule(c, due) // the deadline the decision is due by, as the policy names it
	}
	id := ItemID(c.ID, in.Tray, in.TaskToken)
	prev, err := workflow.OpenWait(ctx, s.Store, c, in.Tray)
	if err != nil {
		return struct{}{}, workflow.Classify(err, c.ID)
	}
	if prev != nil && prev.ID == id {
		return struct{}{}, nil // a retry: already parked
	}
	if prev != nil && prev.CompletedAt.IsZero() {
		// An escalation re-parks with a new token: the earlier item leaves the tray.
		if err := complete(ctx, s.Store, prev.ID, workflow.FnTray); err != nil {
			return struct{}{}, workflow.Classify(err, c.ID)
		}
	}
	item := store.TrayItem{ID: id, Tray: in.Tray, Authority: c.Authority, ContactID: c.ID,
		DueAt: due.UTC(), Rule: rule, TaskToken: in.TaskToken, Contract: in.Contract}
	if WaitOver(c, in.Tray) {
		// A re-park after a timeout the person beat (issue #13: a decision recorded while its token timed out
		// is refused by lifecycle.Park): the item stays open holding the new token, and the sweep's
		// reconciliation completes it from the record, so the contact is not left stuck.
		if _, err := s.Store.PutTrayItem(ctx, item); err != nil && domain.ErrorCode(err) != domain.CodeConflict {
			return struct{}{}, workflow.Classify(err, c.ID)
		}
		s.Log.WarnContext(ctx, "wait already answered: the sweep's reconciliation completes it", "contactId", c.ID, "tray", in.Tray, "item", id)
		return struct{}{}, nil
	}
	if lifecycle.Waiting(c, domain.Tray(in.Tray)) {
		// The contact already waits there (screening left it awaiting its rating; the last answer of its checks,
		// or a rating that asked none, awaiting its decision): the park moves nothing, and its item is one plain
		// conditional put, the contact not rewritten and no audit record of its own (docs/cost.md "A park that
		// moves nothing writes its wait item alone"): the change that moved the contact there recorded the move and
		// the deadline (screening.done's due.<rule>; the answer's or the rating's decisionDue), and the item holds
		// only the workflow's bookkeeping (ids, times, the task token). A retry's put finds its id taken: done.
		if err := lifecycle.Allowed(parked(in.Tray), c); err != nil {
			return struct{}{}, err
		}
		if _, err := s.Store.PutTrayItem(ctx, item); err != nil && domain.ErrorCode(err) != domain.CodeConflict {
			return struct{}{}, workflow.Classify(err, c.ID)
		}
		return struct{}{}, nil
	}
	// The park moves the contact (a decision after the checks wait timed out, or after a re-rating): the move,
	// its audit record and the item are one change.
	_, err = s.ApplyLoaded(ctx, p, c, func(c *domain.Contact) (lifecycle.Result, error) {
		r, err := lifecycle.Park(c, domain.Tray(in.Tray), in.DueAt, workflow.FnTray)
		r.TrayItems = append(r.TrayItems, item)
		return r, err
	})
	return struct{}{}, err
}

// parked is the transition a park on tray makes (rating or decision: Park checked the tray).
func parked(tray string) lifecycle.Name {
	if tray == Rating {
		return lifecycle.RatingParked
	}
	return lifecycle.DecisionParked
}

// ItemID is a wait's tray item id (store.WaitItemID): deterministic per contact, tray and token, so a retried
// park writes nothing new. The store keeps the item in the contact's partition (store.Trays.Waits).
func ItemID(id domain.ContactID, tray, token string) string {
	return store.WaitItemID(id, tray, shortHash(token))
}

func shortHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:8])
}

// complete closes a tray item; one already completed is fine.
func complete(ctx context.Context, st store.Trays, id, by string) error {
	_, err := st.CompleteTrayItem(ctx, id, by)
	switch domain.ErrorCode(err) {
	case domain.CodeConflict, domain.CodeNotFound:
		return nil
	}
	return err
}
