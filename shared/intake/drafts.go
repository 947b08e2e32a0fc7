package intake

import (
	"context"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

// Draft is a contact about to be created by an intake path outside this package (email intake,
// shared/intake/inbox, which alone links the mail parser): the contact, the keys that must point at it, its
// first audit event and any written with it.
type Draft struct {
	Contact *domain.Contact
	Keys    []store.IdempotencyKey
	Event   store.AuditEvent
	More    []store.AuditEvent
}

// Create writes the drafts as one household and finishes each (create: numbered in the same write,
// acknowledged, started); a used key makes it a duplicate of the contacts it points at. The write decides
// (no key lookup first).
func (s Service) Create(ctx context.Context, ds []Draft) ([]Result, error) {
	in := make([]draft, len(ds))
	for i, d := range ds {
		in[i] = draft{contact: d.Contact, keys: d.Keys, event: d.Event, more: d.More}
	}
	return s.create(ctx, in, false)
}

// FinishExisting reports the contact a used key points at, with its household, as status (StatusDuplicate,
// StatusLinked), and finishes each (acknowledged, started: both idempotent).
func (s Service) FinishExisting(ctx context.Context, id domain.ContactID, status string) ([]Result, error) {
	return s.finishExisting(ctx, id, status)
}
