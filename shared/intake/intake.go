// Package intake turns whatever arrives — an email to the MASH inbox, a professional's referral form, a
// police PPN, a phone call recorded by a contact officer — into contacts, exactly once, and tells the
// referrer it arrived. One contact per child; a household's children are linked.
//
// Order of work, so that nothing is ever lost: the contact (with its idempotency keys and first audit event)
// is written in one atomic write first; only then is the reference number taken, the acknowledgement queued and
// the workflow started. A failure after the write is retried by the caller (Lambda's async retry, the API
// client with the same Idempotency-Key): the redelivery finds the contact and finishes what was left —
// starting an execution whose name is the contact id is itself idempotent.
package intake

import (
	"context"
	"errors"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/workflow"
)

// Starter starts the contact state machine. The execution name is the contact id, so starting twice is a
// no-op (AWS: ExecutionAlreadyExists, which adapters treat as success).
type Starter interface {
	Start(ctx context.Context, in workflow.Start) error
}

// Blobs keeps bytes that must not go into the table: raw messages, attachments, quarantined mail (S3 with
// KMS in production, a folder locally).
type Blobs interface {
	Put(ctx context.Context, key string, data []byte, contentType string) error
	Get(ctx context.Context, key string) ([]byte, error)
}

// Statuses of an intake result (the `mash ingest` contract).
const (
	StatusCreated     = "created"
	StatusDuplicate   = "duplicate"
	StatusLinked      = "linked"
	StatusQuarantined = "quarantined"
)

// KindAcknowledgement is the referrer's acknowledgement with the reference number (Barnet seed "How do I
// refer?": "You will then receive an acknowledgement email from the MASH with a reference number").
const KindAcknowledgement = "acknowledgement"

// ResendWindow is how far back a re-sent referral (same sender, same children, new Message-ID) is linked to
// the first instead of becoming a second contact.
const ResendWindow = 7 * 24 * time.Hour

// Result is what happened to one child's contact (or to a quarantined message).
type Result struct {
	File      string             `json:"file,omitempty"`
	Status    string             `json:"status"`
	ContactID domain.ContactID   `json:"contactId,omitempty"`
	Reference domain.Reference   `json:"reference,omitempty"`
	Reason    string             `json:"reason,omitempty"`
	Authority domain.AuthorityID `json:"-"`
}

// Service creates contacts.
type Service struct {
	workflow.Env
	Blobs   Blobs
	Starter Starter
}

// draft is a contact about to be created, with the keys that must point at it.
type draft struct {
	contact *domain.Contact
	keys    []store.IdempotencyKey
	event   store.AuditEvent
}

// create writes the drafts (one atomic write for a household), then numbers, acknowledges and starts each.
// A used key makes it a duplicate: the existing contacts are finished (numbered, acknowledged, started) and
// reported as duplicates.
func (s Service) create(ctx context.Context, ds []draft) ([]Result, error) {
	if len(ds) > store.MaxHousehold {
		return nil, domain.Errorf(domain.CodeInvalid, "at most %d children in one contact", store.MaxHousehold)
	}
	if len(ds) > 1 {
		hh := domain.NewHouseholdID()
		for i, d := range ds {
			d.contact.HouseholdID = hh
			for j, o := range ds {
				if i != j {
					d.contact.LinkedTo = append(d.contact.LinkedTo, o.contact.ID)
				}
			}
		}
	}
	ncs := make([]store.NewContact, len(ds))
	for i, d := range ds {
		if err := d.contact.Validate(); err != nil {
			return nil, err
		}
		ncs[i] = store.NewContact{Contact: d.contact, Keys: d.keys, Event: d.event}
	}
	var err error
	if len(ncs) == 1 {
		var key store.IdempotencyKey
		if len(ds[0].keys) > 0 {
			key = ds[0].keys[0]
		}
		err = s.Store.CreateContact(ctx, ds[0].contact, key, ds[0].event)
		if err == nil {
			for _, k := range ds[0].keys[min(1, len(ds[0].keys)):] {
				if err := s.Store.PutIdempotencyKey(ctx, k, ds[0].contact.ID); err != nil && !errors.Is(err, domain.ErrDuplicate) {
					return nil, err
				}
			}
		}
	} else {
		err = s.Store.CreateHousehold(ctx, ncs)
	}
	var dup *store.DuplicateError
	if errors.As(err, &dup) {
		return s.finishExisting(ctx, dup.ContactID, StatusDuplicate)
	}
	if err != nil {
		return nil, err
	}
	out := make([]Result, 0, len(ds))
	for _, d := range ds {
		r, err := s.finish(ctx, d.contact.ID, StatusCreated)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// finishExisting reports a contact found by a used key, with its household, and finishes each.
func (s Service) finishExisting(ctx context.Context, id domain.ContactID, status string) ([]Result, error) {
	c, err := s.Store.GetContact(ctx, id)
	if err != nil {
		return nil, err
	}
	ids := append([]domain.ContactID{c.ID}, c.LinkedTo...)
	if c.HouseholdID == "" {
		ids = ids[:1]
	}
	out := make([]Result, 0, len(ids))
	for _, id := range ids {
		r, err := s.finish(ctx, id, status)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// finish gives a contact its reference (once), queues its acknowledgement and starts its workflow. Each part
// is idempotent, so a redelivery completes whatever an earlier attempt left undone.
func (s Service) finish(ctx context.Context, id domain.ContactID, status string) (Result, error) {
	c, err := s.Store.GetContact(ctx, id)
	if err != nil {
		return Result{}, err
	}
	p, err := s.Policies(c.Authority)
	if err != nil {
		return Result{}, err
	}
	if c.Reference == "" {
		year := c.ReceivedAt.In(londonOr(p.Timezone)).Year()
		ref, err := s.Store.NextReference(ctx, c.Authority, p.ReferencePrefix, year)
		if err != nil {
			return Result{}, err
		}
		c, err = s.Update(ctx, id, func(c *domain.Contact) (store.AuditEvent, error) {
			if c.Reference != "" {
				return store.AuditEvent{}, errAlreadyNumbered
			}
			c.Reference = ref
			return store.AuditEvent{Actor: "intake", Action: "reference.assigned", Detail: map[string]string{"reference": string(ref)}}, nil
		})
		if errors.Is(err, errAlreadyNumbered) {
			// A concurrent delivery numbered it first; the number we took is recorded as void so the
			// sequence stays accounted for.
			s.Log.WarnContext(ctx, "reference not used", "contactId", id, "reference", ref)
			c, err = s.Store.GetContact(ctx, id)
		}
		if err != nil {
			return Result{}, err
		}
	}
	if err := s.Notifier.Notify(ctx, KindAcknowledgement, p, c, nil); err != nil {
		return Result{}, err
	}
	if err := s.Starter.Start(ctx, workflow.Start{ContactID: c.ID, Authority: c.Authority}); err != nil {
		return Result{}, &workflow.TransientError{Err: err}
	}
	s.Log.InfoContext(ctx, "contact intake", "contactId", c.ID, "authority", c.Authority, "status", status, "channel", c.Channel)
	return Result{Status: status, ContactID: c.ID, Reference: c.Reference, Authority: c.Authority}, nil
}

var errAlreadyNumbered = errors.New("already numbered")

func londonOr(tz string) *time.Location {
	if loc, err := time.LoadLocation(tz); err == nil {
		return loc
	}
	return time.UTC
}
