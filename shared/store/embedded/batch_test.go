package embedded_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/embedded"
	"github.com/safeguarding/mash/shared/store/storetest"
)

// The maildrop's files in flight are one store.Batch (issue #19): a write of the batch waits for the writes
// its other callers at work are about to make, so that one commit takes them together — and is still told
// only after that commit; once no caller of the batch is left without a write waiting (one ended instead)
// it commits without waiting for its bound; a write without a batch never waits.
func TestGroupCommit_ABatchsCallersShareACommit(t *testing.T) {
	ctx := context.Background()
	s := openAtT0(t)
	embedded.SetLinger(s, time.Minute) // only the batch's own writes and ends may end the wait here
	var ids []domain.ContactID
	create := func(ctx context.Context, i int) <-chan error {
		c := storetest.NewContact("hackney", fmt.Sprintf("Kid%d", i), "Batch", domain.Date{Y: 2017, M: 6, D: 1}, storetest.T0)
		ids = append(ids, c.ID)
		done := make(chan error, 1)
		go func() {
			done <- s.CreateContact(ctx, c, store.IdempotencyKey{Kind: store.KeyAPI, Value: fmt.Sprintf("batch-%d", i)},
				store.AuditEvent{Actor: "t", Action: "contact.created"})
		}()
		return done
	}
	notYet := func(what string, done <-chan error) {
		t.Helper()
		select {
		case err := <-done:
			t.Fatalf("%s: told (%v) while a caller of its batch at work had not written yet", what, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
	told := func(what string, done <-chan error) {
		t.Helper()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("%s: not told", what)
		}
	}

	// Three callers at work: the first two writes wait for the third, then all three commit at once.
	var b store.Batch
	bctx := store.WithBatch(ctx, &b)
	b.Begin()
	b.Begin()
	b.Begin()
	before := s.Stats()
	first := create(bctx, 1)
	notYet("first write", first)
	second := create(bctx, 2)
	notYet("second write", second)
	third := create(bctx, 3)
	told("first write", first)
	told("second write", second)
	told("third write", third)
	if st := s.Stats(); st.Writes-before.Writes != 3 || st.Transactions-before.Transactions != 1 {
		t.Errorf("%d writes in %d commits, want 3 in 1", st.Writes-before.Writes, st.Transactions-before.Transactions)
	}
	// Every write was committed (readable outside the writer's transaction).
	for _, id := range ids {
		if _, err := s.GetContact(ctx, id); err != nil {
			t.Fatalf("contact %s after the commit: %v", id, err)
		}
	}

	// A caller that ends without writing: the write waiting for it commits then.
	b.End()
	b.End()
	// one caller at work, with its write: nothing more is coming, no wait
	told("a lone caller's write", create(bctx, 4))
	b.Begin()
	waiting := create(bctx, 5)
	notYet("write with a caller at work", waiting)
	b.End()
	told("write once the other caller ended", waiting)

	// A write without a batch does not wait, even while a batch has callers at work.
	b.Begin()
	told("write without a batch", create(ctx, 6))
}
