package embedded_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
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
	s, err := embedded.Open(filepath.Join(t.TempDir(), "store.db"), storetest.NewClock(storetest.T0).Now)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
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
	s, err := embedded.Open(filepath.Join(t.TempDir(), "store.db"), storetest.NewClock(storetest.T0).Now)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	x := s.Executions()
	written := make(chan error, 1)
	err = x.InTx(ctx, func(ctx context.Context) error {
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
