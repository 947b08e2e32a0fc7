// Package core implements every store.Store method once, over Backend. The DynamoDB and embedded adapters
// provide a Backend each; nothing else differs between them.
package core

import (
	"context"
	"fmt"
)

// Item is one stored item: the same shape as a DynamoDB item of the single table.
type Item struct {
	PK, SK         string
	GSI1PK, GSI1SK string // empty: not in gsi1 (sparse)
	GSI2PK, GSI2SK string // empty: not in gsi2 (sparse)
	GSI3PK         string // empty: not in gsi3 (sparse; partition key only): a contact by its child's identity
	TTL            int64  // epoch seconds; 0: never expires
	Version        int64  // optimistic-lock counter; also the value of a counter item
	Doc            []byte // the record as JSON
}

// Cond is the condition a Put must meet.
type Cond int

const (
	// CondNone: unconditional put (upsert).
	CondNone Cond = iota
	// CondNotExists: no item with this key.
	CondNotExists
	// CondNotExistsOrExpired: no item, or the item's ttl is set and <= Put.Now.
	CondNotExistsOrExpired
	// CondVersion: the item exists with version == Put.Version.
	CondVersion
	// CondDelete: not a put — delete the item with Item's key (an absent item is no failure). Only
	// Backend.Delete takes it (the retention job's, store.Retention); in DynamoDB it needs dynamodb:DeleteItem.
	CondDelete
)

// Put writes Item whole if Cond holds.
type Put struct {
	Item    Item
	Cond    Cond
	Version int64 // for CondVersion
	Now     int64 // epoch seconds, for CondNotExistsOrExpired
}

// Index names a global secondary index.
type Index string

const (
	GSI1 Index = "gsi1"
	GSI2 Index = "gsi2"
	// GSI3 has a partition key only (gsi3pk): a query reads every item of the partition, in no order (skBelow
	// and limit do not apply).
	GSI3 Index = "gsi3"
)

// Backend is what an adapter implements. Every method is safe for concurrent use.
type Backend interface {
	// Get reads one item by key (strongly consistent); nil when missing.
	Get(ctx context.Context, pk, sk string) (*Item, error)
	// Query reads a partition's items whose sk begins with skPrefix, in sk order.
	Query(ctx context.Context, pk, skPrefix string) ([]Item, error)
	// QueryIndex reads an index partition in index sort-key order; skBelow (when not empty) keeps items
	// whose index sort key is < skBelow; limit <= 0 means all.
	QueryIndex(ctx context.Context, idx Index, pk, skBelow string, limit int) ([]Item, error)
	// Write applies every put atomically, or none. A failed condition is *CondFailedError naming the
	// first put (by index) whose condition failed.
	Write(ctx context.Context, puts []Put) error
	// Delete is Write whose puts may also be deletes (CondDelete), in one atomic write (the retention job's
	// alone: store.Retention).
	Delete(ctx context.Context, puts []Put) error
	// Increment atomically adds one to the Version of (pk, sk), creating it at 1, and returns the result.
	Increment(ctx context.Context, pk, sk string) (int64, error)
	// Close releases resources.
	Close() error
}

// PricedPerItem is a Backend whose writes are priced per item and per KB, a transaction's at twice a plain
// write's (DynamoDB): CreateHousehold claims a write's delivery keys with plain conditional puts before the
// contacts' transaction instead of in it (claimKeys; docs/cost.md). A backend without it (the embedded store,
// where a write is a local transaction and costs nothing per item) writes the keys in the transaction.
type PricedPerItem interface {
	PricedPerItem()
}

// Refusals is a Backend that tells a write the service refused — nothing was written, nor ever will be — from
// one whose outcome is unknown (a timeout, a server error: it may have been applied, or be applied still).
// CreateHousehold gives up the delivery keys it claimed apart (PricedPerItem) as soon as their contacts' write is
// refused, and marks them failed when the outcome is unknown and the contacts are not there (unclaim). For a
// backend without it every failed write's outcome is unknown.
type Refusals interface {
	// Refused reports whether err, from Write, says the write was refused and nothing of it was applied.
	Refused(err error) bool
}

// TransactionInProgress is DynamoDB's error code for a transaction whose earlier attempt (the same client
// request token) is still being applied: a 4xx that is not a refusal (Refusals).
const TransactionInProgress = "TransactionInProgressException"

// OrderedWriter is a Backend that applies writes in the order they were submitted (one writer, as the
// embedded store has). Submit returns once the write is queued; wait returns its result, as Write would.
// Numbering writes use it to hold the sequence lock only while queueing, not until the commit.
type OrderedWriter interface {
	Submit(ctx context.Context, puts []Put) (wait func() error)
}

// CondFailedError says put number Index's condition did not hold.
type CondFailedError struct{ Index int }

func (e *CondFailedError) Error() string { return fmt.Sprintf("condition failed on put %d", e.Index) }

// UnitCacher is a Backend with units of work (the embedded store's, where one drive of a workflow is one
// SQLite transaction): UnitCache returns the unit's cache of decoded records for ctx, or nil outside a unit.
// A step reads its contact again where the last step left it; in a unit that read is a copy of the record the
// unit last read or wrote instead of a query and a JSON decode (issue #19). The backend forgets a key whenever a
// write of the unit puts it, and everything when a part of the unit is rolled back, so that what the cache
// holds is what the unit's transaction holds; the cache ends with its unit.
type UnitCacher interface {
	UnitCache(ctx context.Context) DocCache
}

// DocCache holds decoded records by key for one unit of work. It is safe for concurrent use. Values are the
// store's own copies: Store gives it one, and Load's caller copies before handing it out.
type DocCache interface {
	Load(pk, sk string) (any, bool)
	Store(pk, sk string, v any)
}

// unitCache is the unit's cache for ctx, or nil.
func (s *Store) unitCache(ctx context.Context) DocCache {
	if uc, ok := s.b.(UnitCacher); ok {
		return uc.UnitCache(ctx)
	}
	return nil
}
