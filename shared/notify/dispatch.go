package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
)

// Sender delivers one message. replyTo is the authority's MASH inbox. It returns the provider's id of the
// message (the SES message id, the .eml file name). An error means the message may not have gone; the
// dispatcher leaves it pending.
type Sender interface {
	Send(ctx context.Context, n store.Notification, replyTo string) (providerID string, err error)
}

// SendError says a message could not be sent (or its sending could not be recorded). The message stays
// pending in the outbox: retry the step, or let FlushPending send it later. Its text carries the
// notification id and an error code, never an address.
type SendError struct {
	NotificationID string
	Err            error
}

func (e *SendError) Error() string {
	return "notify: " + e.NotificationID + " not sent, still pending: " + errorCode(e.Err)
}

// Unwrap exposes the cause.
func (e *SendError) Unwrap() error { return e.Err }

// Transient is true: a send failure is worth retrying.
func (e *SendError) Transient() bool { return true }

// IsTransient reports whether err is (or wraps) a send failure that a retry may cure.
func IsTransient(err error) bool {
	var se *SendError
	return errors.As(err, &se)
}

// errorCode names an error without its message: AWS API errors by code (their messages can carry an
// address), anything else by its text.
func errorCode(err error) string {
	if err == nil {
		return ""
	}
	var api interface{ ErrorCode() string }
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	var de *domain.Error
	if errors.As(err, &de) {
		return string(de.Code)
	}
	return err.Error()
}

// Dispatcher moves messages through the outbox: Enqueue stores, Flush and FlushPending send.
type Dispatcher struct {
	Store  store.Outbox
	Sender Sender
	// Now stamps CreatedAt on enqueue when the message has none (the store would otherwise use its clock).
	Now func() time.Time
	Log *slog.Logger
	// Policies gives each authority's policy, for the reply-to address (its MASH inbox). Required.
	Policies func(domain.AuthorityID) (*policy.Policy, error)
}

func (d *Dispatcher) log() *slog.Logger {
	if d.Log != nil {
		return d.Log
	}
	return slog.New(slog.DiscardHandler)
}

// Enqueue stores a message in the outbox. An id already there (a retried step) is not an error: the
// message is already queued.
func (d *Dispatcher) Enqueue(ctx context.Context, n store.Notification) error {
	if n.CreatedAt.IsZero() && d.Now != nil {
		n.CreatedAt = d.Now().UTC()
	}
	if _, err := d.Store.EnqueueNotification(ctx, n); err != nil {
		if errors.Is(err, domain.ErrDuplicate) {
			d.log().DebugContext(ctx, "notification already queued", "notification", n.ID, "contactId", n.ContactID, "kind", n.Kind)
			return nil
		}
		return err
	}
	d.log().InfoContext(ctx, "notification queued", "notification", n.ID, "contactId", n.ContactID, "kind", n.Kind)
	return nil
}

// Flush sends a contact's unsent messages, oldest first, and marks each sent. It tries every message;
// failures come back joined as *SendError (the messages stay pending). sent counts the messages sent now.
func (d *Dispatcher) Flush(ctx context.Context, contact domain.ContactID) (int, error) {
	ns, err := d.Store.ListNotifications(ctx, contact)
	if err != nil {
		return 0, err
	}
	return d.sendAll(ctx, ns)
}

// FlushPending sends up to limit unsent messages of any contact (limit <= 0: all), for the SLA sweep.
func (d *Dispatcher) FlushPending(ctx context.Context, limit int) (int, error) {
	ns, err := d.Store.PendingNotifications(ctx, limit)
	if err != nil {
		return 0, err
	}
	return d.sendAll(ctx, ns)
}

func (d *Dispatcher) sendAll(ctx context.Context, ns []store.Notification) (int, error) {
	sent := 0
	var errs []error
	for _, n := range ns {
		if !n.SentAt.IsZero() {
			continue
		}
		if err := ctx.Err(); err != nil {
			errs = append(errs, &SendError{NotificationID: n.ID, Err: err})
			break
		}
		ok, err := d.send(ctx, n)
		if err != nil {
			errs = append(errs, err)
		}
		if ok {
			sent++
		}
	}
	return sent, errors.Join(errs...)
}

// send delivers one message and records it. ok is false when it was not sent by this call.
func (d *Dispatcher) send(ctx context.Context, n store.Notification) (bool, error) {
	replyTo, err := d.replyTo(n.Authority)
	if err != nil {
		d.log().ErrorContext(ctx, "notification not sent: no reply-to", "notification", n.ID, "contactId", n.ContactID, "error", errorCode(err))
		return false, &SendError{NotificationID: n.ID, Err: err}
	}
	pid, err := d.Sender.Send(ctx, n, replyTo)
	if err != nil {
		d.log().WarnContext(ctx, "notification send failed, still pending", "notification", n.ID, "contactId", n.ContactID,
			"kind", n.Kind, "error", errorCode(err))
		return false, &SendError{NotificationID: n.ID, Err: err}
	}
	if _, err := d.Store.MarkSent(ctx, n.ContactID, n.ID, pid); err != nil {
		if errors.Is(err, domain.ErrConflict) {
			// Another flusher (the SLA sweep, a retried step) recorded it first. Both sent: at least once.
			d.log().WarnContext(ctx, "notification was sent concurrently", "notification", n.ID, "contactId", n.ContactID)
			return true, nil
		}
		d.log().ErrorContext(ctx, "notification sent but not recorded", "notification", n.ID, "contactId", n.ContactID,
			"providerId", pid, "error", errorCode(err))
		return true, &SendError{NotificationID: n.ID, Err: fmt.Errorf("recording the send: %w", err)}
	}
	d.log().InfoContext(ctx, "notification sent", "notification", n.ID, "contactId", n.ContactID, "kind", n.Kind, "providerId", pid)
	return true, nil
}

func (d *Dispatcher) replyTo(a domain.AuthorityID) (string, error) {
	if d.Policies == nil {
		return "", domain.Errorf(domain.CodeInternal, "dispatcher has no policies")
	}
	p, err := d.Policies(a)
	if err != nil {
		return "", err
	}
	return p.Contacts.MASHInbox.Email, nil
}

// Notifier composes, queues and sends in one call; it implements shared/workflow.Notifier.
type Notifier struct {
	Composer   Composer
	Dispatcher *Dispatcher
}

// Compose composes the message of a kind without queueing it (workflow.OutboxNotifier).
func (nf Notifier) Compose(kind string, p *policy.Policy, c *domain.Contact, extra map[string]string) (store.Notification, error) {
	return nf.Composer.Compose(Kind(kind), p, c, Extra(extra))
}

// Flush sends a contact's queued messages (workflow.OutboxNotifier); a send failure is a *SendError.
func (nf Notifier) Flush(ctx context.Context, contact domain.ContactID) error {
	_, err := nf.Dispatcher.Flush(ctx, contact)
	return err
}

// Notify composes the message of a kind, queues it (a duplicate id is already queued) and flushes the
// contact's outbox. A send failure is a *SendError (transient): the message stays queued, and calling
// Notify again sends it without composing a second one.
func (nf Notifier) Notify(ctx context.Context, kind string, p *policy.Policy, c *domain.Contact, extra map[string]string) error {
	n, err := nf.Composer.Compose(Kind(kind), p, c, Extra(extra))
	if err != nil {
		return err
	}
	if err := nf.Dispatcher.Enqueue(ctx, n); err != nil {
		return err
	}
	_, err = nf.Dispatcher.Flush(ctx, c.ID)
	return err
}
