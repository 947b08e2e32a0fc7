package store

import (
	"context"
	"sync"

	"github.com/safeguarding/mash/shared/domain"
)

// Queued carries, from a contact's own write to the flush that follows its commit, the messages the write
// queued (NewContact.Outbox, the transactional outbox) as they were written: that flush sends them without
// listing the contact's outbox again (issue #19: the list was ≈ 5% of `mash run`'s CPU per email). It is
// only a shortcut, never a different answer: a flush of the contact made with a context derived from the
// same one before the hand-over (a workflow step that ran inside the write's unit of work and flushed — it
// may have sent those very messages) makes Take answer false, and the flush lists the outbox as always.
// Safe for concurrent use.
type Queued struct {
	mu      sync.Mutex
	written map[domain.ContactID][]Notification
	flushed map[domain.ContactID]bool
}

type queuedKey struct{}

// WithQueued returns ctx carrying a new Queued, and that Queued.
func WithQueued(ctx context.Context) (context.Context, *Queued) {
	q := &Queued{}
	return context.WithValue(ctx, queuedKey{}, q), q
}

// QueuedFrom is the Queued ctx carries (nil when none).
func QueuedFrom(ctx context.Context) *Queued {
	q, _ := ctx.Value(queuedKey{}).(*Queued)
	return q
}

// Put hands over what a committed write queued for a contact (each with its ID, CreatedAt and Version as
// written).
func (q *Queued) Put(contact domain.ContactID, ns []Notification) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.written == nil {
		q.written = map[domain.ContactID][]Notification{}
	}
	q.written[contact] = ns
}

// Take is a flush of a contact's outbox asking for what was handed over: the messages and true once, when
// they were handed over and no flush of that contact came first; otherwise false (and this flush is noted,
// so a later hand-over is not used either).
func (q *Queued) Take(contact domain.ContactID) ([]Notification, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	ns, ok := q.written[contact]
	delete(q.written, contact)
	if ok && !q.flushed[contact] {
		return ns, true
	}
	if q.flushed == nil {
		q.flushed = map[domain.ContactID]bool{}
	}
	q.flushed[contact] = true
	return nil, false
}
