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
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/workflow"
)

// Trays the contact machine parks tokens on.
const (
	Rating   = "rating"
	Decision = "decision"
	Checks   = "checks"
)

// Park is the tray step (lambda:invoke.waitForTaskToken): it records the token on a tray item due at the
// wait's deadline and moves the contact's status. The console completes the token when a manager acts.
type Park struct{ workflow.Env }

// Handle parks the token. A retry with the same token finds its item already there and succeeds.
func (s Park) Handle(ctx context.Context, in workflow.StepInput) (struct{}, error) {
	var status domain.Status
	var rule string
	switch in.Tray {
	case Rating:
		status, rule = domain.StatusAwaitingRating, policy.RuleScreeningCSC
	case Decision:
		status = domain.StatusAwaitingDecision
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
	c, _, err := s.Load(ctx, in)
	if err != nil {
		return struct{}{}, err
	}
	id := ItemID(c.ID, in.Tray, in.TaskToken)
	if prev := c.Tasks[in.Tray]; prev != "" && prev != id {
		// An escalation re-parks with a new token: the earlier item leaves the tray.
		if err := complete(ctx, s.Store, prev, workflow.FnTray); err != nil {
			return struct{}{}, workflow.Classify(err, c.ID)
		}
	}
	if _, err := s.Store.PutTrayItem(ctx, store.TrayItem{ID: id, Tray: in.Tray, Authority: c.Authority, ContactID: c.ID,
		DueAt: due.UTC(), Rule: rule, TaskToken: in.TaskToken}); err != nil && domain.ErrorCode(err) != domain.CodeConflict {
		return struct{}{}, workflow.Classify(err, c.ID)
	}
	if c.Status == status && c.Tasks[in.Tray] == id {
		return struct{}{}, nil
	}
	_, err = s.Update(ctx, c.ID, func(c *domain.Contact) (store.AuditEvent, error) {
		c.Status = status
		if c.Tasks == nil {
			c.Tasks = map[string]string{}
		}
		c.Tasks[in.Tray] = id
		return workflow.Event(workflow.FnTray, "tray.parked", "", map[string]string{"tray": in.Tray, "dueAt": in.DueAt}), nil
	})
	return struct{}{}, err
}

// ItemID is a tray item's id: deterministic per contact, tray and token, so a retried park writes nothing new.
func ItemID(id domain.ContactID, tray, token string) string {
	return string(id) + "#" + tray + "#" + shortHash(token)
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
