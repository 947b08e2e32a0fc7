package local

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/safeguarding/mash/shared/flow"
	"github.com/safeguarding/mash/shared/store/embedded"
)

// ExecStore keeps the local executor's execution snapshots in the embedded store's executions table (one
// SQLite file with the items), so that `mash run` resumes every running execution — a contact queued over
// the weekend, a token waiting for a manager — after a restart. Each snapshot is stored with the time it next
// has something to do (flow.Snapshot.NextDue) in an indexed column: the runner's tick reads the due ones from
// that index (Due) instead of decoding every snapshot.
//
// Each drive of an execution runs as one unit of work of the embedded store (Suite's unitOfWork,
// embedded.Executions.InTx): the steps' store writes and the snapshot commit in one SQLite transaction, or
// none of them, and the steps' reads come from that transaction. A save outside a unit (a test driving the
// executor directly) goes through the store's writer on its own. Snapshots used to be files written, synced
// and renamed, then their folder synced, per save. Create fails when the id exists — what makes an execution name
// unique. A snapshot that cannot be read all the same (a hand edit, a disk fault) never stops the runner or
// the CLI: it is moved to the executions_damaged table with OnDamaged told, and is as if absent, so the suite
// re-drives its contact from the store.
type ExecStore struct {
	Table *embedded.Executions
	// OnDamaged, when set, is told of each snapshot set aside (its execution id, and why).
	OnDamaged func(id string, err error)
	// Now stamps a set-aside snapshot (default: the zero time).
	Now func() time.Time
}

func (s *ExecStore) encode(snap flow.Snapshot) ([]byte, time.Time, error) {
	b, err := json.Marshal(snap)
	if err != nil {
		return nil, time.Time{}, err
	}
	due, ok := snap.NextDue()
	if !ok {
		due = embedded.NoDue
	}
	return b, due, nil
}

// Create stores a new snapshot; an existing id is flow.ErrExecutionAlreadyExists.
func (s *ExecStore) Create(ctx context.Context, snap flow.Snapshot) error {
	b, due, err := s.encode(snap)
	if err != nil {
		return err
	}
	touch(ctx, snap.ID)
	err = s.Table.Create(ctx, snap.ID, due, b)
	if errors.Is(err, embedded.ErrExecutionExists) {
		return fmt.Errorf("execution %q: %w", snap.Name, flow.ErrExecutionAlreadyExists)
	}
	return err
}

// Save replaces a snapshot atomically.
func (s *ExecStore) Save(ctx context.Context, snap flow.Snapshot) error {
	b, due, err := s.encode(snap)
	if err != nil {
		return err
	}
	touch(ctx, snap.ID)
	return s.Table.Save(ctx, snap.ID, due, b)
}

// touchedKey carries, in a unit of work's context, the executions whose snapshots the unit wrote.
type touchedKey struct{}

type touched struct {
	mu  sync.Mutex
	ids []string
}

func touch(ctx context.Context, id string) {
	if t, ok := ctx.Value(touchedKey{}).(*touched); ok {
		t.mu.Lock()
		if !slices.Contains(t.ids, id) {
			t.ids = append(t.ids, id)
		}
		t.mu.Unlock()
	}
}

// reloading wraps a unit of work so that memory is never ahead of the database (issue: a failed commit left
// the executor's copy of an execution at a step the database never got): when the unit fails — a step's
// error, a failed commit, a panic answered as an error — every execution whose snapshot it wrote is read
// back from the table (flow.Executor.Reload). A unit inside another joins it; the outer one reloads.
func reloading(unit unitOfWork, x *flow.Executor) unitOfWork {
	return func(ctx context.Context, fn func(ctx context.Context) error) error {
		if _, ok := ctx.Value(touchedKey{}).(*touched); ok {
			return unit(ctx, fn)
		}
		t := &touched{}
		err := unit(context.WithValue(ctx, touchedKey{}, t), fn)
		if err != nil && len(t.ids) > 0 {
			if rerr := x.Reload(context.WithoutCancel(ctx), t.ids...); rerr != nil {
				err = errors.Join(err, fmt.Errorf("reloading the executions after the failed unit of work: %w", rerr))
			}
		}
		return err
	}
}

// Load reads a snapshot; a missing one — or a damaged one, which is set aside — is
// flow.ErrExecutionDoesNotExist.
func (s *ExecStore) Load(ctx context.Context, id string) (flow.Snapshot, error) {
	b, err := s.Table.Load(ctx, id)
	if err != nil {
		return flow.Snapshot{}, err
	}
	if b == nil {
		return flow.Snapshot{}, fmt.Errorf("execution %q: %w", id, flow.ErrExecutionDoesNotExist)
	}
	snap, err := flow.UnmarshalSnapshot(b)
	if err == nil && snap.ID != id {
		err = fmt.Errorf("the snapshot is of execution %q", snap.ID)
	}
	if err != nil {
		s.setAside(ctx, id, err)
		return flow.Snapshot{}, fmt.Errorf("execution %q (damaged, set aside): %w", id, flow.ErrExecutionDoesNotExist)
	}
	return snap, nil
}

// List returns every execution's id, sorted (damaged ones are set aside when loaded).
func (s *ExecStore) List(ctx context.Context) ([]string, error) {
	ids, _, err := s.Table.Since(ctx, 0)
	sort.Strings(ids)
	return ids, err
}

func (s *ExecStore) setAside(ctx context.Context, id string, why error) {
	var at time.Time
	if s.Now != nil {
		at = s.Now()
	}
	if err := s.Table.SetAside(ctx, id, why.Error(), at); err != nil {
		why = errors.Join(why, err)
	}
	if s.OnDamaged != nil {
		s.OnDamaged(id, why)
	}
}
