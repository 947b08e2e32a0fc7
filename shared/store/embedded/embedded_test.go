package embedded_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/embedded"
	"github.com/safeguarding/mash/shared/store/storetest"
)

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := embedded.OpenMemory(storetest.Now(t))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// The file-backed store (WAL, busy timeout) passes the same suite.
func TestContractFile(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := embedded.Open(filepath.Join(t.TempDir(), ".mash", "store.db"), storetest.Now(t))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store.db")
	now := storetest.NewClock(storetest.T0).Now
	s, err := embedded.Open(path, now)
	if err != nil {
		t.Fatal(err)
	}
	c := storetest.NewContact("hackney", "Ida", "Moss", domain.Date{Y: 2018, M: 3, D: 1}, storetest.T0)
	ctx := context.Background()
	if err := s.CreateContact(ctx, c, store.IdempotencyKey{}, store.AuditEvent{Actor: "t", Action: "contact.created"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = embedded.Open(path, now)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, err := s.GetContact(ctx, c.ID); err != nil || got.Version != 1 {
		t.Fatalf("after reopen: %v %v", got, err)
	}
}

// A failure injected after each step of the create transaction leaves nothing behind: no contact (nor its
// children-index key, on the contact since docs/cost.md's cut), no idempotency key, no audit event.
func TestNothingHalfWrittenAfterInjectedFault(t *testing.T) {
	ctx := context.Background()
	s, err := embedded.OpenMemory(storetest.NewClock(storetest.T0).Now)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	boom := errors.New("injected fault")
	// A create writes 3 items: contact (with its children-index key), key, audit event.
	for step := range 3 {
		c := storetest.NewContact("hackney", "Jo", "Fault", domain.Date{Y: 2017, M: 6, D: 1}, storetest.T0)
		key := store.IdempotencyKey{Kind: store.KeyAPI, Value: "fault-key"}
		s.SetFaultHook(func(i int) error {
			if i == step {
				return boom
			}
			return nil
		})
		err := s.CreateContact(ctx, c, key, store.AuditEvent{Actor: "t", Action: "contact.created"})
		if !errors.Is(err, boom) {
			t.Fatalf("step %d: got %v, want the injected fault", step, err)
		}
		s.SetFaultHook(nil)
		if _, err := s.GetContact(ctx, c.ID); domain.ErrorCode(err) != domain.CodeNotFound {
			t.Fatalf("step %d: contact half-written (%v)", step, err)
		}
		if _, ok, _ := s.LookupKey(ctx, key); ok {
			t.Fatalf("step %d: key half-written", step)
		}
		if kids, _ := s.FindChildren(ctx, "hackney", c.Child.IdentityKey()); len(kids) != 0 {
			t.Fatalf("step %d: children entry half-written", step)
		}
		if evs, _ := s.ListAudit(ctx, c.ID); len(evs) != 0 {
			t.Fatalf("step %d: audit half-written", step)
		}
	}
	// Update: a fault after the contact is rewritten leaves the old version and no new audit event.
	c := storetest.NewContact("hackney", "Jo", "Fault", domain.Date{Y: 2017, M: 6, D: 1}, storetest.T0)
	if err := s.CreateContact(ctx, c, store.IdempotencyKey{}, store.AuditEvent{Actor: "t", Action: "contact.created"}); err != nil {
		t.Fatal(err)
	}
	s.SetFaultHook(func(i int) error {
		if i == 0 {
			return boom
		}
		return nil
	})
	_, err = s.UpdateContact(ctx, c.ID, func(c *domain.Contact) (store.AuditEvent, error) {
		c.Status = domain.StatusClosed
		return store.AuditEvent{Actor: "t", Action: "closed"}, nil
	})
	s.SetFaultHook(nil)
	if !errors.Is(err, boom) {
		t.Fatalf("update: got %v", err)
	}
	got, _ := s.GetContact(ctx, c.ID)
	if got.Version != 1 || got.Status != domain.StatusReceived {
		t.Fatalf("update half-written: %+v", got)
	}
	if evs, _ := s.ListAudit(ctx, c.ID); len(evs) != 1 {
		t.Fatalf("%d audit events after a failed update", len(evs))
	}
}

// Group commit: writes that queue up while one is applied join its transaction, each in its own savepoint. A write that fails — here a redelivery whose key is used, found after its contact and
// children-index entry were inserted — rolls back alone; the others commit.
func TestGroupCommit_FailuresRollBackAlone(t *testing.T) {
	ctx := context.Background()
	s := openAtT0(t)
	used := storetest.NewContact("hackney", "Ada", "Used", domain.Date{Y: 2017, M: 6, D: 1}, storetest.T0)
	usedKey := store.IdempotencyKey{Kind: store.KeyAPI, Value: "used"}
	create := func(c *domain.Contact, k store.IdempotencyKey) error {
		return s.CreateContact(ctx, c, k, store.AuditEvent{Actor: "t", Action: "contact.created"})
	}
	if err := create(used, usedKey); err != nil {
		t.Fatal(err)
	}
	// The first write holds the writer (inside its transaction) until the others have queued behind it.
	release := make(chan struct{})
	var held atomic.Bool
	s.SetFaultHook(func(int) error {
		if held.CompareAndSwap(false, true) {
			<-release
		}
		return nil
	})
	before := s.Stats()
	const n = 30
	cs := make([]*domain.Contact, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		cs[i] = storetest.NewContact("hackney", fmt.Sprintf("Kid%d", i), "Batch", domain.Date{Y: 2017, M: 6, D: 1}, storetest.T0)
		k := store.IdempotencyKey{Kind: store.KeyAPI, Value: fmt.Sprintf("batch-%d", i)}
		if i%3 == 2 {
			k = usedKey
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = create(cs[i], k)
		}()
		for i == 0 && !held.Load() {
			runtime.Gosched()
		}
	}
	for deadline := 0; s.Stats().Queued < n-1; deadline++ {
		if deadline == 10000 {
			t.Fatalf("only %d writes queued behind the held one", s.Stats().Queued)
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	s.SetFaultHook(nil)
	if st := s.Stats(); st.Transactions-before.Transactions != 1 || st.Writes-before.Writes != n {
		t.Fatalf("%d writes in %d transactions; want %d in 1 (the held one, and the rest queued meanwhile with it)",
			st.Writes-before.Writes, st.Transactions-before.Transactions, n)
	}
	for i, c := range cs {
		_, getErr := s.GetContact(ctx, c.ID)
		var d *store.DuplicateError
		switch {
		case i%3 == 2:
			if !errors.As(errs[i], &d) || d.ContactID != used.ID {
				t.Errorf("redelivery %d: %v, want DuplicateError of %s", i, errs[i], used.ID)
			}
			if domain.ErrorCode(getErr) != domain.CodeNotFound {
				t.Errorf("redelivery %d: its contact was written (%v)", i, getErr)
			}
			if kids, _ := s.FindChildren(ctx, "hackney", c.Child.IdentityKey()); len(kids) != 0 {
				t.Errorf("redelivery %d: its children-index entry was written", i)
			}
		case errs[i] != nil || getErr != nil:
			t.Errorf("write %d: %v; contact: %v", i, errs[i], getErr)
		}
	}
}

// BenchmarkCreateContact measures contact creation (contact + key + children entry + audit event in one
// transaction) against a WAL file, as `make run` uses it. Reports contacts/s.
func BenchmarkCreateContact(b *testing.B) {
	s, err := embedded.Open(filepath.Join(b.TempDir(), "store.db"), storetest.NewClock(storetest.T0).Now)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchCreateContact(b, s, 1)
}

// Two stores on one file are two processes (each has its own in-process numbering lock): numbered creates
// from both meet at the sequence's version check and still number without gaps.
func TestNumberingAcrossProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store.db")
	now := storetest.NewClock(storetest.T0).Now
	a, err := embedded.Open(path, now)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := embedded.Open(path, now)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	storetest.NumberingGapFree(t, a, b, 40)
}

// A store marked simulated (mash run/demo --start-at) marks every contact and audit event it writes.
func TestMarkSimulated_ContactsAndAuditEvents(t *testing.T) {
	ctx := context.Background()
	for _, simulated := range []bool{false, true} {
		s, err := embedded.OpenMemory(func() time.Time { return storetest.T0 })
		if err != nil {
			t.Fatal(err)
		}
		if simulated {
			s.MarkSimulated()
		}
		c := storetest.NewContact("la-a", "Ada", "Example", domain.Date{Y: 2019, M: 2, D: 14}, storetest.T0)
		if err := s.CreateContact(ctx, c, store.IdempotencyKey{}, store.AuditEvent{Actor: "intake", Action: "contact.created"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AppendAudit(ctx, store.AuditEvent{ContactID: c.ID, Actor: "worker-1", Action: "contact.read"}); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetContact(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		evs, err := s.ListAudit(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Simulated != simulated || c.Simulated != simulated || len(evs) != 2 {
			t.Fatalf("simulated store %v: contact %v (caller's %v), %d events", simulated, got.Simulated, c.Simulated, len(evs))
		}
		for _, ev := range evs {
			if ev.Simulated != simulated {
				t.Errorf("simulated store %v: event %s simulated %v", simulated, ev.Action, ev.Simulated)
			}
		}
		s.Close()
	}
}

// A database written before the children index moved to the contact (docs/cost.md "The children index kept on
// the contact"): its items table has no gsi3pk column and each contact's children-index entry is an item of
// its own. Opened now, the table gains the column (the migration), the old entry is read beside the contacts
// indexed the new way, and a contact of the old kind rewritten is still one record.
func TestOldDatabase_ChildrenIndexMigrated_OldEntriesReadBesideTheNew(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	now := storetest.NewClock(storetest.T0).Now
	s, err := embedded.Open(path, now)
	if err != nil {
		t.Fatal(err)
	}
	old := storetest.NewContact("hackney", "Nell", "Gwyn", domain.Date{Y: 2018, M: 3, D: 4}, storetest.T0.AddDate(0, -2, 0))
	if err := s.CreateContact(ctx, old, store.IdempotencyKey{}, store.AuditEvent{Actor: "intake-api", Action: "contact.created"}); err != nil {
		t.Fatal(err)
	}
	key := old.Child.IdentityKey()
	// Its entry as an earlier version wrote it, apart.
	if err := s.PutChildRecord(ctx, store.ChildRecord{ContactID: old.ID, Authority: "hackney", IdentityKey: key, ReceivedAt: old.ReceivedAt}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// The table as it was: no gsi3pk column, no third index.
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP INDEX items_gsi3`, `ALTER TABLE items DROP COLUMN gsi3pk`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	db.Close()

	s, err = embedded.Open(path, now)
	if err != nil {
		t.Fatalf("an old database does not open: %v", err)
	}
	defer s.Close()
	kids, err := s.FindChildren(ctx, "hackney", key)
	if err != nil || len(kids) != 1 || kids[0].ContactID != old.ID {
		t.Fatalf("the old entry: %+v %v", kids, err)
	}
	fresh := storetest.NewContact("hackney", "Nell", "Gwyn", domain.Date{Y: 2018, M: 3, D: 4}, storetest.T0)
	if err := s.CreateContact(ctx, fresh, store.IdempotencyKey{}, store.AuditEvent{Actor: "intake-api", Action: "contact.created"}); err != nil {
		t.Fatal(err)
	}
	kids, err = s.FindChildren(ctx, "hackney", key)
	if err != nil || len(kids) != 2 || kids[0].ContactID != old.ID || kids[1].ContactID != fresh.ID {
		t.Fatalf("old and new: %+v %v, want the old contact then the new", kids, err)
	}
	// The old contact rewritten gets its index key too, and is still one record (its entry apart read).
	if _, err := s.UpdateContact(ctx, old.ID, func(c *domain.Contact) (store.AuditEvent, error) {
		c.Concerns += " (updated)"
		return store.AuditEvent{Actor: "screener", Action: "contact.updated"}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if kids, err = s.FindChildren(ctx, "hackney", key); err != nil || len(kids) != 2 {
		t.Fatalf("after the old contact's rewrite: %+v %v", kids, err)
	}
}
