package store

import (
	"context"
	"sync"
	"sync/atomic"
)

// A Batch is a set of callers working through a backlog at once — the local maildrop's files in flight —
// whose writes a store with a group commit (the embedded store) may hold back a moment, so that one commit
// takes several of them instead of one each (issue #19). A caller at work (Begin … End) that has no write
// waiting for a commit is about to send one — it is parsing its next email — so the store waits for it, up to
// a bound of its own, before committing the writes it has. Nothing is acknowledged earlier or differently:
// every caller still hears only after the commit that holds its write. A store without a group commit
// (DynamoDB) ignores it.
type Batch struct {
	atWork  atomic.Int64 // callers between Begin and End
	waiting atomic.Int64 // their writes queued or applied and not yet committed (the store counts them)
	once    sync.Once
	ended   chan struct{} // a caller ended (see Ended)
}

// Begin counts a caller at work; End, once it will write no more.
func (b *Batch) Begin() { b.atWork.Add(1) }

// End: see Begin.
func (b *Batch) End() {
	b.atWork.Add(-1)
	select {
	case b.Ended() <- struct{}{}:
	default:
	}
}

// Ended is signalled when a caller ends: a store waiting for more of the batch's writes looks again.
func (b *Batch) Ended() chan struct{} {
	b.once.Do(func() { b.ended = make(chan struct{}, 1) })
	return b.ended
}

// Queued is the store's: a write of the batch waits for a commit. Told: it has heard its commit's outcome.
func (b *Batch) Queued() { b.waiting.Add(1) }

// Told: see Queued.
func (b *Batch) Told() { b.waiting.Add(-1) }

// MoreComing reports whether a caller at work has no write waiting: a write the store may wait for.
func (b *Batch) MoreComing() bool { return b.waiting.Load() < b.atWork.Load() }

type batchKey struct{}

// WithBatch returns ctx carrying b: the writes made with it belong to b.
func WithBatch(ctx context.Context, b *Batch) context.Context {
	return context.WithValue(ctx, batchKey{}, b)
}

// BatchOf returns the batch ctx carries (nil: none).
func BatchOf(ctx context.Context) *Batch {
	b, _ := ctx.Value(batchKey{}).(*Batch)
	return b
}
