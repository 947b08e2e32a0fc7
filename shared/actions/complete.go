package actions

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/workflow"
)

// CompleteChild is a worker's completion of the child's details of a contact that needs them
// (Flags.NeedsCompletion: free text that named no child, a caller who could not give them).
type CompleteChild struct {
	Child domain.Child `json:"child"`
	By    string       `json:"by"`
}

// CompleteChild records who the child is (domain.Contact.CompleteChild owns the rule: the contact keeps
// needing details until the child has its names and a date of birth, an age, or why neither is known). The
// flag and the child change in the same write as the audit event (child.completed, with what is still
// needed, if anything); the children index follows the new name (the store's UpdateContact).
func (s Service) CompleteChild(ctx context.Context, id domain.ContactID, cc CompleteChild) (*domain.Contact, error) {
	if err := cc.Validate(s.Now()); err != nil {
		return nil, err
	}
	return s.Update(ctx, id, func(c *domain.Contact) (store.AuditEvent, error) {
		if err := c.CompleteChild(cc.Child, s.Now()); err != nil {
			return store.AuditEvent{}, err
		}
		detail := map[string]string{}
		if need := c.Child.DetailsStillNeeded(); len(need) > 0 {
			detail["stillNeeded"] = strings.Join(need, ",")
		}
		if c.Child.DateOfBirthNotKnown != "" {
			detail["dateOfBirth"] = "not known, reason recorded"
		}
		if len(detail) == 0 {
			detail = nil
		}
		return workflow.Event(cc.By, "child.completed", "", detail), nil
	})
}

// Validate names every bad field of a completion (domain.Child.ValidateCompletion) and who made it.
func (cc CompleteChild) Validate(now time.Time) error {
	err := cc.Child.ValidateCompletion(now)
	if cc.By != "" {
		return err
	}
	var p domain.Problems
	if de := (*domain.Error)(nil); errors.As(err, &de) {
		p = append(p, de.Fields...)
	}
	p.Add("by", "is required")
	return p.Err()
}
