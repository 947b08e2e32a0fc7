package workflow

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"time"

	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
)

// Notifier composes and queues a message of a kind about a contact, then sends it; the notify package
// implements it. extra carries kind-specific facts (a tray, an agency, a deadline) — ids and codes only.
type Notifier interface {
	Notify(ctx context.Context, kind string, p *policy.Policy, c *domain.Contact, extra map[string]string) error
}

// OutboxNotifier is a Notifier that can also compose a message without queueing it, and send what is queued
// for a contact: intake writes a new contact's acknowledgement in the contact's own write
// (store.NewContact.Outbox, the transactional outbox), then sends it.
type OutboxNotifier interface {
	Notifier
	Compose(kind string, p *policy.Policy, c *domain.Contact, extra map[string]string) (store.Notification, error)
	Flush(ctx context.Context, contact domain.ContactID) error
}

// Policies returns an authority's policy. Lambdas serve one authority (one stack per authority); the local
// runner may serve several.
type Policies func(domain.AuthorityID) (*policy.Policy, error)

// Env is what every step handler needs: the store, the policies, the clock, a logger and the notifier.
type Env struct {
	Store    store.Store
	Policies Policies
	Now      clock.Now
	Log      *slog.Logger
	Notifier Notifier
}

// Load reads the step's contact and its authority's policy. A missing contact is *ContactNotFound; a
// contact of another authority than the payload says is invalid; store failures are transient.
func (e Env) Load(ctx context.Context, in StepInput) (*domain.Contact, *policy.Policy, error) {
	if in.ContactID == "" {
		return nil, nil, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "contactId", Message: "is required"}}}
	}
	c, err := e.Store.GetContact(ctx, in.ContactID)
	if err != nil {
		return nil, nil, Classify(err, in.ContactID)
	}
	if in.Authority != "" && c.Authority != in.Authority {
		return nil, nil, domain.Errorf(domain.CodeInvalid, "contact %s belongs to another authority", c.ID)
	}
	p, err := e.Policies(c.Authority)
	if err != nil {
		return nil, nil, err
	}
	return c, p, nil
}

// Update changes a contact under the store's version check, retrying a few times on a concurrent change.
func (e Env) Update(ctx context.Context, id domain.ContactID, fn func(*domain.Contact) (store.AuditEvent, error)) (*domain.Contact, error) {
	var err error
	for range 5 {
		var c *domain.Contact
		c, err = e.Store.UpdateContact(ctx, id, fn)
		if err == nil {
			return c, nil
		}
		if !errors.Is(err, domain.ErrConflict) {
			break
		}
	}
	return nil, Classify(err, id)
}

// Classify turns a store error into what the ASL expects: not found → *ContactNotFound (not retried),
// other domain errors as they are, anything else (network, throttling) → *TransientError (retried).
func Classify(err error, id domain.ContactID) error {
	if err == nil {
		return nil
	}
	var te *TransientError
	if errors.As(err, &te) {
		return err
	}
	var de *domain.Error
	if errors.As(err, &de) {
		if de.Code == domain.CodeNotFound {
			return &ContactNotFound{ID: id}
		}
		if de.Code == domain.CodeConflict {
			return &TransientError{Err: err}
		}
		return err
	}
	return &TransientError{Err: err}
}

// NewWait builds a token wait ending at due. TimeoutSeconds runs to due (at least 2 s: AWS needs the
// heartbeat below the timeout); the heartbeat fires at half the window — "nobody has picked this up and half
// the time has gone" — unless firstWarning is false (the warning was already given), when it is one second
// short of the timeout.
func NewWait(due, now time.Time, firstWarning bool) Wait {
	timeout := max(int64(math.Ceil(due.Sub(now).Seconds())), 2)
	hb := max(timeout/2, 1)
	if !firstWarning {
		hb = timeout - 1
	}
	return Wait{DueAt: due.UTC().Format(time.RFC3339), TimeoutSeconds: timeout, HeartbeatSeconds: hb}
}

// ParseDue reads a payload's RFC3339 dueAt.
func ParseDue(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "dueAt", Message: "is not an RFC3339 time"}}}
	}
	return t, nil
}

// Event builds an audit event by a step.
func Event(actor, action, reason string, detail map[string]string) store.AuditEvent {
	return store.AuditEvent{Actor: actor, Action: action, Reason: reason, Detail: detail}
}
