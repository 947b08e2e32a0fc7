package notify

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"time"

	"github.com/safeguarding/mash/shared/clock"
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

// UndeliverableTray holds a tray item for every message the outbox gave up on: its retries were spent, or it
// failed in a way no retry cures (a recipient that is not one address). A person reads the reason on the
// message (GET /v1/contacts/{id} lists its notifications) and tells the recipient another way. The
// NotificationUndeliverable metric (template.yaml alarm) fires on each.
const UndeliverableTray = string(domain.TrayUndeliverable)

// MetricUndeliverable is the metric published (1 per message) when a message becomes undeliverable.
const MetricUndeliverable = "NotificationUndeliverable"

// DefaultMaxAttempts is how many failed sends make a message undeliverable when Dispatcher.MaxAttempts is 0.
// The SLA sweep retries pending messages every five minutes, so this is about 40 minutes of retrying.
const DefaultMaxAttempts = 8

// Reason codes of undeliverable messages.
const (
	ReasonRecipientInvalid = "recipient-invalid" // a To address is not exactly one RFC 5322 address
	ReasonRejected         = "rejected"          // the sender refused the message for good (an invalid or forbidden error)
)

// Metrics receives the dispatcher's counts (production: EMF lines on stdout; locally: the suite's metrics).
type Metrics interface {
	Put(ctx context.Context, name string, authority domain.AuthorityID, value float64) error
}

// Dispatcher moves messages through the outbox: Enqueue stores, Flush and FlushPending send. A message that
// cannot be sent fails alone (issue #13): the failure is counted on the message, which stays pending for the
// next flush; once its attempts are spent, or at once when no retry can cure it, it becomes undeliverable
// (off the pending list, into UndeliverableTray, with an audit event, a metric and the reason). Sending never
// fails the caller — a contact's workflow, other messages, the sweep — for one message.
type Dispatcher struct {
	Store interface {
		store.Outbox
		store.Trays
		store.Audit
	}
	Sender Sender
	// Now stamps CreatedAt on enqueue when the message has none (the store would otherwise use its clock).
	Now func() time.Time
	Log *slog.Logger
	// Policies gives each authority's policy, for the reply-to address (its MASH inbox). Required.
	Policies func(domain.AuthorityID) (*policy.Policy, error)
	// MaxAttempts is the number of failed sends after which a message is undeliverable (0: DefaultMaxAttempts).
	MaxAttempts int
	// Metrics, when set, receives MetricUndeliverable.
	Metrics Metrics
	// Stream: the table's stream hands every new message to a StreamSender (AWS: functions/outbox), so Flush
	// sends nothing (it would send each message a second time) and FlushPending sends what a send failed on.
	// Set it exactly when the store is store.SendByStream's (lambdacfg, from OUTBOX_STREAM).
	Stream bool
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

// FlushResult counts what a flush did. Failed messages stay pending (or became undeliverable); they are
// reported here and in the log, never as the flush's error.
type FlushResult struct {
	Sent          int
	Failed        []string // ids of messages that failed now and stay pending
	Undeliverable []string // ids of messages given up on now
}

// Flush sends a contact's unsent messages, oldest first, and marks each sent. It tries every message; a send
// failure is recorded on its message (see Dispatcher). The error is only for the store failing. Right after a
// contact's own write, what that write queued is sent as it was written, without listing the outbox again
// (store.Queued, which says when that shortcut does not hold). Inside a unit of work (store.AfterCommit: a
// local workflow step in the contact's own transaction) nothing is sent until that unit commits: the flush
// reads the messages now, sends them after the commit and counts 0 here; if the unit rolls back they are not
// sent (the outbox rows rolled back with it, or stay pending for the next flush or the sweep).
//
// With Stream set, Flush sends nothing and reads nothing: the stream sends what the write queued.
func (d *Dispatcher) Flush(ctx context.Context, contact domain.ContactID) (int, error) {
	if d.Stream {
		return 0, nil
	}
	var ns []store.Notification
	taken := false
	if q := store.QueuedFrom(ctx); q != nil {
		ns, taken = q.Take(contact)
	}
	if !taken {
		var err error
		if ns, err = d.Store.ListNotifications(ctx, contact); err != nil {
			return 0, err
		}
	}
	if d.afterCommit(ctx, ns) {
		return 0, nil
	}
	r, err := d.sendAll(ctx, ns)
	return r.Sent, err
}

// afterCommit hands the sending of ns to the unit of work ctx is in, if any (store.AfterCommit), and says so.
// Once the unit has committed they are sent; a store failure then is logged (the messages stay pending: the
// sweep sends them).
func (d *Dispatcher) afterCommit(ctx context.Context, ns []store.Notification) bool {
	if !slices.ContainsFunc(ns, func(n store.Notification) bool { return n.SentAt.IsZero() && n.UndeliverableAt.IsZero() }) {
		return false // nothing to send: nothing to wait for
	}
	return store.AfterCommit(ctx, func(ctx context.Context) {
		if _, err := d.sendAll(ctx, ns); err != nil {
			d.log().ErrorContext(ctx, "notifications sent after the commit not all recorded; still pending", "error", errorCode(err))
		}
	})
}

// FlushPending sends up to limit unsent messages of any contact (limit <= 0: all), for the SLA sweep.
func (d *Dispatcher) FlushPending(ctx context.Context, limit int) (int, error) {
	r, err := d.FlushPendingReport(ctx, limit)
	return r.Sent, err
}

// FlushPendingReport is FlushPending with the failures named.
func (d *Dispatcher) FlushPendingReport(ctx context.Context, limit int) (FlushResult, error) {
	ns, err := d.Store.PendingNotifications(ctx, limit)
	if err != nil {
		return FlushResult{}, err
	}
	if d.afterCommit(ctx, ns) {
		return FlushResult{}, nil // sent after the unit of work ctx is in commits (see Flush)
	}
	return d.sendAll(ctx, ns)
}

// sendAll sends each unsent message of ns, then records what came of them (store.RecordSends): one write per
// stored item, so the messages one change queued — one item — are marked sent together, and one that failed is
// counted in that same write (docs/cost.md "The messages of one change kept in one item").
func (d *Dispatcher) sendAll(ctx context.Context, ns []store.Notification) (FlushResult, error) {
	var r FlushResult
	var errs []error
	var outs []store.SendOutcome
	for _, n := range ns {
		if !n.SentAt.IsZero() || !n.UndeliverableAt.IsZero() {
			continue
		}
		if err := ctx.Err(); err != nil {
			errs = append(errs, err)
			break
		}
		outs = append(outs, d.attempt(ctx, n))
	}
	if len(outs) == 0 {
		return r, errors.Join(errs...)
	}
	recorded := d.Store.RecordSends(ctx, outs)
	for i := range outs {
		o, err := &outs[i], recorded[i]
		n := &o.Notification
		// A conflict: another flusher (the SLA sweep, a retried step) recorded it first (both sent: at least once;
		// or sent, or given up on, by it).
		concurrent := errors.Is(err, domain.ErrConflict)
		if err != nil && !concurrent { // the store failed to record the send, or the failure (SendError says which code)
			if o.Sent {
				d.log().ErrorContext(ctx, "notification sent but not recorded", "notification", n.ID, "contactId", n.ContactID,
					"providerId", o.ProviderID, "error", errorCode(err))
			}
			errs = append(errs, &SendError{NotificationID: n.ID, Err: err})
		}
		switch {
		case o.Sent:
			r.Sent++
			if err == nil {
				d.log().InfoContext(ctx, "notification sent", "notification", n.ID, "contactId", n.ContactID, "kind", n.Kind, "providerId", o.ProviderID)
			} else if concurrent {
				d.log().WarnContext(ctx, "notification was sent concurrently", "notification", n.ID, "contactId", n.ContactID)
			}
		case err != nil && !concurrent:
		case o.GiveUp:
			if err == nil {
				if err := d.undeliverable(ctx, *n, o.Reason); err != nil {
					errs = append(errs, err)
					continue
				}
			}
			r.Undeliverable = append(r.Undeliverable, n.ID)
		default:
			r.Failed = append(r.Failed, n.ID)
		}
	}
	return r, errors.Join(errs...)
}

// attempt delivers one message, recording nothing: what came of it, for RecordSends.
func (d *Dispatcher) attempt(ctx context.Context, n store.Notification) store.SendOutcome {
	for _, to := range slices.Concat(n.To, n.Cc) {
		if _, ok := domain.EmailAddress(to); !ok {
			return store.SendOutcome{Notification: n, Reason: ReasonRecipientInvalid, GiveUp: true}
		}
	}
	replyTo, err := d.replyTo(n.Authority)
	if err != nil {
		d.log().ErrorContext(ctx, "notification not sent: no reply-to", "notification", n.ID, "contactId", n.ContactID, "error", errorCode(err))
		return store.SendOutcome{Notification: n, Reason: "no-reply-to"}
	}
	pid, err := d.Sender.Send(ctx, n, replyTo)
	if err != nil {
		reason, permanent := errorCode(err), isPermanent(err)
		if permanent {
			reason = ReasonRejected + ": " + reason
		}
		d.log().WarnContext(ctx, "notification send failed", "notification", n.ID, "contactId", n.ContactID,
			"kind", n.Kind, "attempt", n.Attempts+1, "error", reason)
		return store.SendOutcome{Notification: n, Reason: reason, GiveUp: permanent || n.Attempts+1 >= d.maxAttempts()}
	}
	return store.SendOutcome{Notification: n, Sent: true, ProviderID: pid}
}

func (d *Dispatcher) maxAttempts() int {
	if d.MaxAttempts > 0 {
		return d.MaxAttempts
	}
	return DefaultMaxAttempts
}

// undeliverable is what follows a message given up on (its failure recorded): a tray item, an audit event on its
// contact, the metric and an error log line (ids and the reason code only).
func (d *Dispatcher) undeliverable(ctx context.Context, n store.Notification, reason string) error {
	now := clock.System
	if d.Now != nil {
		now = d.Now
	}
	d.log().ErrorContext(ctx, "notification undeliverable", "notification", n.ID, "contactId", n.ContactID, "kind", n.Kind,
		"authority", n.Authority, "reason", reason)
	if _, err := d.Store.PutTrayItem(ctx, store.TrayItem{ID: n.ID + "#" + UndeliverableTray, Tray: UndeliverableTray,
		Authority: n.Authority, ContactID: n.ContactID, DueAt: now().UTC(), Rule: reason}); err != nil && domain.ErrorCode(err) != domain.CodeConflict {
		return &SendError{NotificationID: n.ID, Err: err} // the undeliverable tray's item
	}
	if n.ContactID != "" {
		if _, err := d.Store.AppendAudit(ctx, store.AuditEvent{ContactID: n.ContactID, ID: auditID(now(), n.ID), Actor: "notify",
			Action: "notification.undeliverable", Reason: reason, Detail: map[string]string{"notification": n.ID, "kind": n.Kind}}); err != nil &&
			domain.ErrorCode(err) != domain.CodeConflict {
			return &SendError{NotificationID: n.ID, Err: err} // the audit event
		}
	}
	if d.Metrics != nil {
		if err := d.Metrics.Put(ctx, MetricUndeliverable, n.Authority, 1); err != nil {
			d.log().WarnContext(ctx, "metric not published", "metric", MetricUndeliverable, "error", errorCode(err))
		}
	}
	return nil
}

// auditID orders the undeliverable event by time and makes it one per message.
func auditID(t time.Time, notification string) string {
	return t.UTC().Format("20060102T150405.000000000Z") + "_undeliverable_" + notification
}

// isPermanent: a failure no retry can cure. Every SES error is retried (MessageRejected for an unverified
// sender identity is cured by verifying it); our own invalid or forbidden errors are not.
func isPermanent(err error) bool {
	var api interface{ ErrorCode() string }
	if errors.As(err, &api) {
		return false
	}
	switch domain.ErrorCode(err) {
	case domain.CodeInvalid, domain.CodeForbidden:
		return true
	}
	return false
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
func (nf Notifier) Compose(kind Kind, p *policy.Policy, c *domain.Contact, extra map[string]string) (store.Notification, error) {
	return nf.Composer.Compose(kind, p, c, Extra(extra))
}

// Flush sends a contact's queued messages (workflow.OutboxNotifier). A message that cannot be sent stays
// queued (or becomes undeliverable): that is never the caller's error.
func (nf Notifier) Flush(ctx context.Context, contact domain.ContactID) error {
	_, err := nf.Dispatcher.Flush(ctx, contact)
	return err
}

// Notify composes the message of a kind, queues it (a duplicate id is already queued) and flushes the
// contact's outbox. Once the message is queued it is the outbox's: a send failure is retried by the SLA
// sweep's flush and ends, at worst, undeliverable in its tray — it never fails the step that asked.
func (nf Notifier) Notify(ctx context.Context, kind Kind, p *policy.Policy, c *domain.Contact, extra map[string]string) error {
	n, err := nf.Composer.Compose(kind, p, c, Extra(extra))
	if err != nil {
		return err
	}
	if err := nf.Dispatcher.Enqueue(ctx, n); err != nil {
		return err
	}
	_, err = nf.Dispatcher.Flush(ctx, c.ID)
	return err
}
