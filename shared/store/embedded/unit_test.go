package embedded_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/embedded"
	"github.com/safeguarding/mash/shared/store/storetest"
)

// Issue #19: a step of the local runner — its store writes and its execution snapshot — is one SQLite
// transaction (Executions.InTx). Committed, both are there; failed, neither is (nothing half done, so a crash
// or an error between them never leaves a step recorded without its snapshot, or the other way round). The
// unit's reads see its own writes; a read outside it sees the last commit only.
func TestInTx_StepWritesAndSnapshotCommitTogetherOrNotAtAll(t *testing.T) {
	ctx := context.Background()
	s := openAtT0(t)
	x := s.Executions()
	due := storetest.T0.Add(time.Hour)
	step := func(name string, fail error) (*domain.Contact, error) {
		c := storetest.NewContact("hackney", "Una", name, domain.Date{Y: 2018, M: 3, D: 1}, storetest.T0)
		return c, x.InTx(ctx, func(ctx context.Context) error {
			if err := s.CreateContact(ctx, c, store.IdempotencyKey{}, store.AuditEvent{Actor: "t", Action: "contact.created"}); err != nil {
				return err
			}
			if got, err := s.GetContact(ctx, c.ID); err != nil || got.ID != c.ID {
				t.Errorf("inside the unit the contact is not read back: %v", err)
			}
			if _, err := s.GetContact(context.Background(), c.ID); domain.ErrorCode(err) != domain.CodeNotFound {
				t.Errorf("outside the unit the uncommitted contact is seen (%v)", err)
			}
			if err := x.Save(ctx, "exec-"+name, due, []byte(`{"id":"exec-`+name+`"}`)); err != nil {
				return err
			}
			if doc, err := x.Load(ctx, "exec-"+name); err != nil || doc == nil {
				t.Errorf("inside the unit the snapshot is not read back: %v", err)
			}
			return fail
		})
	}
	c, err := step("Committed", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetContact(ctx, c.ID); err != nil {
		t.Errorf("committed contact: %v", err)
	}
	if doc, _ := x.Load(ctx, "exec-Committed"); doc == nil {
		t.Error("committed snapshot missing")
	}
	if ids, _ := x.Due(ctx, due); len(ids) != 1 {
		t.Errorf("due index: %v, want the committed execution", ids)
	}

	boom := errors.New("the step failed after its writes")
	c, err = step("RolledBack", boom)
	if !errors.Is(err, boom) {
		t.Fatalf("InTx = %v, want the step's error", err)
	}
	if _, err := s.GetContact(ctx, c.ID); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Errorf("rolled-back contact: %v, want not found", err)
	}
	if doc, _ := x.Load(ctx, "exec-RolledBack"); doc != nil {
		t.Error("rolled-back snapshot is there")
	}
	// A step that panics after its writes is rolled back and answered as an error; the writer is released.
	var panicked *domain.Contact
	err = x.InTx(ctx, func(ctx context.Context) error {
		panicked = storetest.NewContact("hackney", "Pia", "Panicked", domain.Date{Y: 2016, M: 5, D: 1}, storetest.T0)
		if err := s.CreateContact(ctx, panicked, store.IdempotencyKey{}, store.AuditEvent{Actor: "t", Action: "contact.created"}); err != nil {
			return err
		}
		panic("a handler's bug")
	})
	if err == nil || !strings.Contains(err.Error(), "a handler's bug") {
		t.Fatalf("InTx after a panic = %v, want an error naming the panic", err)
	}
	if _, err := s.GetContact(ctx, panicked.ID); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Errorf("a panicked unit's contact: %v, want not found", err)
	}
	// The writer carries on after a unit: an ordinary write commits.
	other := storetest.NewContact("hackney", "Ola", "After", domain.Date{Y: 2017, M: 1, D: 1}, storetest.T0)
	if err := s.CreateContact(ctx, other, store.IdempotencyKey{}, store.AuditEvent{Actor: "t", Action: "contact.created"}); err != nil {
		t.Fatal(err)
	}
}

// Writes from other goroutines wait for a unit and then commit; a unit inside a unit joins it.
func TestInTx_OtherWritersWaitAndNestedUnitsJoin(t *testing.T) {
	ctx := context.Background()
	s := openAtT0(t)
	x := s.Executions()
	written := make(chan error, 1)
	err := x.InTx(ctx, func(ctx context.Context) error {
		go func() {
			c := storetest.NewContact("hackney", "Wai", "Ting", domain.Date{Y: 2016, M: 2, D: 2}, storetest.T0)
			written <- s.CreateContact(context.Background(), c, store.IdempotencyKey{}, store.AuditEvent{Actor: "t", Action: "contact.created"})
		}()
		select {
		case err := <-written:
			t.Errorf("a write outside the unit committed while the unit was held (%v)", err)
		case <-time.After(50 * time.Millisecond):
		}
		return x.InTx(ctx, func(ctx context.Context) error { return x.Create(ctx, "nested", embedded.NoDue, []byte(`{}`)) })
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := <-written; err != nil {
		t.Fatalf("the waiting write: %v", err)
	}
	if doc, _ := x.Load(ctx, "nested"); doc == nil {
		t.Error("the nested unit's write is not committed with the outer one")
	}
}

// Issue #19: units of work join the writer's group commit. Units and writes queued while one unit runs go
// into its transaction, each in a savepoint of its own: a unit that fails or panics is rolled back alone, the
// others commit together, a unit reads the group's earlier writes, and no caller hears before the commit (a
// read outside any unit, right after InTx returns, finds what the unit wrote).
func TestInTx_UnitsShareACommitAndFailAlone(t *testing.T) {
	ctx := context.Background()
	s := openAtT0(t)
	x := s.Executions()
	newContact := func(given string) *domain.Contact {
		return storetest.NewContact("hackney", given, "Group", domain.Date{Y: 2017, M: 4, D: 1}, storetest.T0)
	}
	create := func(ctx context.Context, c *domain.Contact) error {
		return s.CreateContact(ctx, c, store.IdempotencyKey{}, store.AuditEvent{Actor: "t", Action: "contact.created"})
	}
	first := newContact("First")
	release, inFirst := make(chan struct{}), make(chan struct{})
	firstDone := make(chan error, 1)
	go func() {
		firstDone <- x.InTx(ctx, func(ctx context.Context) error {
			if err := create(ctx, first); err != nil {
				return err
			}
			close(inFirst)
			<-release // the others queue meanwhile
			return nil
		})
	}()
	<-inFirst
	before := s.Stats()
	boom := errors.New("the step failed after its writes")
	type outcome struct {
		c       *domain.Contact
		err     error
		wantErr bool
	}
	units := []struct {
		c   *domain.Contact
		end func() error
	}{
		{newContact("Kept"), func() error { return nil }},
		{newContact("Failed"), func() error { return boom }},
		{newContact("Panicked"), func() error { panic("a handler's bug") }},
		{newContact("AlsoKept"), func() error { return nil }},
	}
	outs := make(chan outcome, len(units)+1)
	var wg sync.WaitGroup
	for i, u := range units {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := x.InTx(ctx, func(ctx context.Context) error {
				if got, err := s.GetContact(ctx, first.ID); err != nil || got.ID != first.ID {
					t.Errorf("unit %d does not read the group's earlier, uncommitted write: %v", i, err)
				}
				if err := create(ctx, u.c); err != nil {
					return err
				}
				if err := x.Save(ctx, "exec-"+string(u.c.ID), embedded.NoDue, []byte(`{}`)); err != nil {
					return err
				}
				return u.end()
			})
			if err == nil {
				// heard only after the commit: a read outside any unit finds it
				if _, gerr := s.GetContact(context.Background(), u.c.ID); gerr != nil {
					t.Errorf("unit %d returned before its commit: %v", i, gerr)
				}
			}
			outs <- outcome{u.c, err, i == 1 || i == 2}
		}()
		waitQueued(t, s, i+1)
	}
	plain := newContact("Plain")
	wg.Add(1)
	go func() {
		defer wg.Done()
		outs <- outcome{plain, create(context.Background(), plain), false}
	}()
	waitQueued(t, s, len(units)+1)
	close(release)
	wg.Wait()
	if err := <-firstDone; err != nil {
		t.Fatal(err)
	}
	close(outs)
	if st := s.Stats(); st.Transactions-before.Transactions != 0 {
		t.Errorf("%d more transactions; want the queued units and write in the held unit's one", st.Transactions-before.Transactions)
	}
	for o := range outs {
		_, gerr := s.GetContact(ctx, o.c.ID)
		doc, _ := x.Load(ctx, "exec-"+string(o.c.ID))
		switch {
		case o.wantErr && o.err == nil:
			t.Errorf("%s: no error", o.c.Child.GivenName)
		case o.wantErr && (domain.ErrorCode(gerr) != domain.CodeNotFound || doc != nil):
			t.Errorf("%s: failed unit's writes are there (%v, snapshot %v)", o.c.Child.GivenName, gerr, doc != nil)
		case !o.wantErr && (o.err != nil || gerr != nil):
			t.Errorf("%s: %v; read: %v", o.c.Child.GivenName, o.err, gerr)
		}
	}
	if _, err := s.GetContact(ctx, first.ID); err != nil {
		t.Errorf("the held unit's contact: %v", err)
	}
}

func waitQueued(t *testing.T, s *embedded.Store, n int) {
	t.Helper()
	for i := 0; s.Stats().Queued < n; i++ {
		if i == 10000 {
			t.Fatalf("only %d queued, want %d", s.Stats().Queued, n)
		}
		time.Sleep(time.Millisecond)
	}
}

// A unit inside a unit has a savepoint of its own: when it fails or panics its writes are rolled back and the
// outer unit, which sees its error, commits the rest (intake's new contact stays when its first drive fails).
func TestInTx_NestedUnitFailsAlone(t *testing.T) {
	ctx := context.Background()
	s := openAtT0(t)
	x := s.Executions()
	outer := storetest.NewContact("hackney", "Otto", "Outer", domain.Date{Y: 2015, M: 1, D: 1}, storetest.T0)
	boom := errors.New("the drive failed after its writes")
	var nestedErrs []error
	err := x.InTx(ctx, func(ctx context.Context) error {
		if err := s.CreateContact(ctx, outer, store.IdempotencyKey{}, store.AuditEvent{Actor: "t", Action: "contact.created"}); err != nil {
			return err
		}
		nestedErrs = append(nestedErrs, x.InTx(ctx, func(ctx context.Context) error {
			if err := x.Save(ctx, "failed", embedded.NoDue, []byte(`{}`)); err != nil {
				return err
			}
			return boom
		}))
		nestedErrs = append(nestedErrs, x.InTx(ctx, func(ctx context.Context) error {
			if err := x.Save(ctx, "panicked", embedded.NoDue, []byte(`{}`)); err != nil {
				return err
			}
			panic("a handler's bug")
		}))
		nestedErrs = append(nestedErrs, x.InTx(ctx, func(ctx context.Context) error {
			return x.Save(ctx, "kept", embedded.NoDue, []byte(`{}`))
		}))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(nestedErrs[0], boom) || nestedErrs[1] == nil || !strings.Contains(nestedErrs[1].Error(), "a handler's bug") || nestedErrs[2] != nil {
		t.Errorf("nested units' errors = %v; want the failure, the panic, nil", nestedErrs)
	}
	if _, err := s.GetContact(ctx, outer.ID); err != nil {
		t.Errorf("the outer unit's contact: %v", err)
	}
	for id, want := range map[string]bool{"failed": false, "panicked": false, "kept": true} {
		if doc, _ := x.Load(ctx, id); (doc != nil) != want {
			t.Errorf("snapshot %q stored = %v, want %v", id, doc != nil, want)
		}
	}
}

// Issue #19: inside a unit of work a contact is read from the database and decoded once; the unit's later
// reads are copies of what the unit last read or wrote (no row read), and they are what its transaction
// holds: a change is seen at once with its version, a caller changing the contact it was given changes
// nothing stored, a nested unit that fails takes its change with it, a change refused (a stale version)
// leaves the contact as it was.
func TestInTx_ContactReadOnceAndAsTheUnitHoldsIt(t *testing.T) {
	ctx := context.Background()
	s := openAtT0(t)
	x := s.Executions()
	c := storetest.NewContact("hackney", "Otto", "Outer", domain.Date{Y: 2015, M: 1, D: 1}, storetest.T0)
	if err := s.CreateContact(ctx, c, store.IdempotencyKey{}, store.AuditEvent{Actor: "t", Action: "contact.created"}); err != nil {
		t.Fatal(err)
	}
	ev := store.AuditEvent{Actor: "t", Action: "contact.updated"}
	setConcerns := func(v string) func(*domain.Contact) (store.AuditEvent, error) {
		return func(c *domain.Contact) (store.AuditEvent, error) { c.Concerns = v; return ev, nil }
	}
	boom := errors.New("the step failed after its write")
	err := x.InTx(ctx, func(ctx context.Context) error {
		first, err := s.GetContact(ctx, c.ID)
		if err != nil {
			return err
		}
		rows := s.Stats().RowsRead
		first.Concerns = "changed by the caller, never written"
		again, err := s.GetContact(ctx, c.ID)
		if err != nil {
			return err
		}
		if got := s.Stats().RowsRead - rows; got != 0 {
			t.Errorf("the second read in the unit read %d rows, want 0 (the unit's copy)", got)
		}
		if again.Concerns == first.Concerns {
			t.Error("a caller's change to the contact it read reached the next read")
		}
		if _, err := s.UpdateContact(ctx, c.ID, setConcerns("one")); err != nil {
			return err
		}
		got, err := s.GetContact(ctx, c.ID)
		if err != nil {
			return err
		}
		if got.Concerns != "one" || got.Version != again.Version+1 {
			t.Errorf("after the change: concerns %q version %d, want \"one\" and %d", got.Concerns, got.Version, again.Version+1)
		}
		if err := x.InTx(ctx, func(ctx context.Context) error {
			if _, err := s.UpdateContact(ctx, c.ID, setConcerns("two, rolled back")); err != nil {
				return err
			}
			return boom
		}); !errors.Is(err, boom) {
			t.Errorf("nested unit: %v, want %v", err, boom)
		}
		got, err = s.GetContact(ctx, c.ID)
		if err != nil {
			return err
		}
		if got.Concerns != "one" || got.Version != again.Version+1 {
			t.Errorf("after the failed nested unit: concerns %q version %d, want \"one\" and %d", got.Concerns, got.Version, again.Version+1)
		}
		if _, err := s.ChangeLoaded(ctx, again, func(c *domain.Contact) (store.Change, error) { // stale: version before "one"
			c.Concerns = "three, refused"
			return store.Change{Events: []store.AuditEvent{ev}}, nil
		}); !errors.Is(err, domain.ErrConflict) {
			t.Errorf("a change from a stale copy: %v, want a conflict", err)
		}
		got, err = s.GetContact(ctx, c.ID)
		if err != nil {
			return err
		}
		if got.Concerns != "one" {
			t.Errorf("after the refused change: concerns %q, want \"one\"", got.Concerns)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.GetContact(ctx, c.ID) // outside the unit: the database
	if err != nil {
		t.Fatal(err)
	}
	if got.Concerns != "one" {
		t.Errorf("committed concerns %q, want \"one\"", got.Concerns)
	}
}

// Issue #19: a contact written in a unit (intake's, whose workflow's first drive runs in the same unit) is
// read back by the unit without a row read, as it was written.
func TestInTx_ContactCreatedInTheUnitIsReadWithoutARow(t *testing.T) {
	ctx := context.Background()
	s := openAtT0(t)
	c := storetest.NewContact("hackney", "Otto", "Outer", domain.Date{Y: 2015, M: 1, D: 1}, storetest.T0)
	err := s.Executions().InTx(ctx, func(ctx context.Context) error {
		if err := s.CreateContact(ctx, c, store.IdempotencyKey{}, store.AuditEvent{Actor: "t", Action: "contact.created"}); err != nil {
			return err
		}
		rows := s.Stats().RowsRead
		got, err := s.GetContact(ctx, c.ID)
		if err != nil {
			return err
		}
		if n := s.Stats().RowsRead - rows; n != 0 {
			t.Errorf("reading the unit's new contact read %d rows, want 0", n)
		}
		if got.ID != c.ID || got.Version != 1 || got.Child.GivenName != "Otto" {
			t.Errorf("read %s version %d %q, want %s version 1 \"Otto\"", got.ID, got.Version, got.Child.GivenName, c.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetContact(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
}

// openAtT0 opens a store in a fresh folder whose clock stands at storetest.T0, closed when the test ends.
func openAtT0(t *testing.T) *embedded.Store {
	t.Helper()
	s, err := embedded.Open(filepath.Join(t.TempDir(), "store.db"), storetest.NewClock(storetest.T0).Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// What a unit's code hands to store.AfterCommit (a message sent from a step) runs only once the outermost
// unit has committed — its writes then visible outside it, its context outside the unit — and never when the
// unit, or the nested unit it was handed over in, rolls back. Outside a unit AfterCommit says no: act now.
func TestInTx_AfterCommitRunsOnlyOnceCommitted(t *testing.T) {
	ctx := context.Background()
	s := openAtT0(t)
	x := s.Executions()
	if store.AfterCommit(ctx, func(context.Context) { t.Error("run outside a unit") }) {
		t.Fatal("AfterCommit took work outside a unit")
	}
	var ran []string
	after := func(ctx context.Context, name string, c *domain.Contact) {
		if !store.AfterCommit(ctx, func(ctx context.Context) {
			if store.AfterCommit(ctx, func(context.Context) {}) {
				t.Errorf("%s: run inside the unit", name)
			}
			if _, err := s.GetContact(context.Background(), c.ID); err != nil {
				t.Errorf("%s: run before its contact was committed: %v", name, err)
			}
			ran = append(ran, name)
		}) {
			t.Fatalf("%s: AfterCommit refused inside a unit", name)
		}
	}
	create := func(ctx context.Context, name string) (*domain.Contact, error) {
		c := storetest.NewContact("hackney", "Una", name, domain.Date{Y: 2018, M: 3, D: 1}, storetest.T0)
		return c, s.CreateContact(ctx, c, store.IdempotencyKey{}, store.AuditEvent{Actor: "t", Action: "contact.created"})
	}
	boom := errors.New("boom")
	err := x.InTx(ctx, func(ctx context.Context) error {
		c, err := create(ctx, "outer")
		if err != nil {
			return err
		}
		after(ctx, "outer", c)
		if err := x.InTx(ctx, func(ctx context.Context) error {
			after(ctx, "nested-failed", c)
			return boom
		}); !errors.Is(err, boom) {
			t.Errorf("nested unit: %v, want boom", err)
		}
		if err := x.InTx(ctx, func(ctx context.Context) error {
			after(ctx, "nested", c)
			return nil
		}); err != nil {
			return err
		}
		if len(ran) != 0 {
			t.Errorf("%v ran before the outermost unit committed", ran)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"outer", "nested"}; !slices.Equal(ran, want) {
		t.Errorf("ran %v, want %v", ran, want)
	}

	ran = nil
	err = x.InTx(ctx, func(ctx context.Context) error {
		c, err := create(ctx, "rolled-back")
		if err != nil {
			return err
		}
		after(ctx, "rolled-back", c)
		return boom
	})
	if !errors.Is(err, boom) || len(ran) != 0 {
		t.Errorf("a unit rolled back: %v, ran %v; want boom and nothing run", err, ran)
	}
}
