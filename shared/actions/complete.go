package actions

import (
	"context"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/workflow"
)

// CompleteChild is a worker's completion of the child's details of a contact that came as free text
// (Flags.NeedsCompletion: intake kept the whole message as the concerns and could name no child).
type CompleteChild struct {
	Child domain.Child `json:"child"`
	By    string       `json:"by"`
}

// CompleteChild records who the child is: a given and a family name are required, the date of birth when
// known must not be in the future. The flag is cleared in the same write as the audit event; the children
// index follows the new name (the store's UpdateContact). Only a contact that needs completion may be
// completed this way (a conflict otherwise: changing a known child's identity is not this action).
func (s Service) CompleteChild(ctx context.Context, id domain.ContactID, cc CompleteChild) (*domain.Contact, error) {
	if err := cc.Validate(s.Now()); err != nil {
		return nil, err
	}
	return s.Update(ctx, id, func(c *domain.Contact) (store.AuditEvent, error) {
		if !c.Flags.NeedsCompletion {
			return store.AuditEvent{}, domain.Errorf(domain.CodeConflict, "the child's details of this contact are already complete")
		}
		c.Child = cc.Child
		c.Flags.NeedsCompletion = false
		return workflow.Event(cc.By, "child.completed", "", nil), nil
	})
}

// Validate names every bad field of a completion.
func (cc CompleteChild) Validate(now time.Time) error {
	var p domain.Problems
	if strings.TrimSpace(cc.Child.GivenName) == "" {
		p.Add("child.givenName", "is required")
	}
	if strings.TrimSpace(cc.Child.FamilyName) == "" {
		p.Add("child.familyName", "is required")
	}
	if d := cc.Child.DateOfBirth; !d.IsZero() && d.Time(time.UTC).After(now) && !cc.Child.Unborn {
		p.Add("child.dateOfBirth", "is in the future")
	}
	if cc.By == "" {
		p.Add("by", "is required")
	}
	return p.Err()
}
