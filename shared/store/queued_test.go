package store_test

import (
	"context"
	"testing"

	"github.com/safeguarding/mash/shared/store"
)

// store.Queued hands a write's queued messages to the one flush after it, once, and never after a flush of
// the same contact came first (issue #19).
func TestQueued_HandsOverOnceAndNeverAfterAFlushOfTheContact(t *testing.T) {
	msg := []store.Notification{{ID: "c_1#acknowledgement", ContactID: "c_1", Version: 1}}
	for _, tc := range []struct {
		name  string
		steps func(q *store.Queued) (ns []store.Notification, ok bool)
		want  bool
	}{
		{"handed over, then taken", func(q *store.Queued) ([]store.Notification, bool) {
			q.Put("c_1", msg)
			return q.Take("c_1")
		}, true},
		{"taken a second time", func(q *store.Queued) ([]store.Notification, bool) {
			q.Put("c_1", msg)
			q.Take("c_1")
			return q.Take("c_1")
		}, false},
		{"a flush of the contact before the hand-over", func(q *store.Queued) ([]store.Notification, bool) {
			q.Take("c_1")
			q.Put("c_1", msg)
			return q.Take("c_1")
		}, false},
		{"a flush of another contact before it", func(q *store.Queued) ([]store.Notification, bool) {
			q.Take("c_2")
			q.Put("c_1", msg)
			return q.Take("c_1")
		}, true},
		{"nothing handed over", func(q *store.Queued) ([]store.Notification, bool) {
			return q.Take("c_1")
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, q := store.WithQueued(context.Background())
			if store.QueuedFrom(ctx) != q {
				t.Fatal("the context does not carry its Queued")
			}
			ns, ok := tc.steps(q)
			if ok != tc.want || (ok && (len(ns) != 1 || ns[0].ID != msg[0].ID)) {
				t.Errorf("Take = %v, %v; want %v", ns, ok, tc.want)
			}
		})
	}
	if store.QueuedFrom(context.Background()) != nil {
		t.Error("a bare context carries a Queued")
	}
}
