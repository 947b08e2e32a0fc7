package flow

import (
	"context"
	"fmt"
	"sort"
	"sync"
)

// StateStore keeps execution snapshots so that `mash run` can resume executions after a restart.
// Create must be atomic: it fails with ErrExecutionAlreadyExists when the id exists (this is what makes
// execution names unique). The lead backs it with the embedded store; MemoryStore is the in-memory one.
type StateStore interface {
	Create(ctx context.Context, s Snapshot) error
	Save(ctx context.Context, s Snapshot) error
	Load(ctx context.Context, id string) (Snapshot, error) // ErrExecutionDoesNotExist when absent
	List(ctx context.Context) ([]string, error)            // every execution id, sorted
}

// MemoryStore is an in-memory StateStore; snapshots are stored as JSON so nothing is shared.
type MemoryStore struct {
	mu   sync.Mutex
	data map[string][]byte
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore { return &MemoryStore{data: map[string][]byte{}} }

// Create stores s unless its id exists.
func (m *MemoryStore) Create(_ context.Context, s Snapshot) error {
	b := appendSnapshot(nil, &s)
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.data[s.ID]; ok {
		return fmt.Errorf("flow: execution %q: %w", s.Name, ErrExecutionAlreadyExists)
	}
	m.data[s.ID] = b
	return nil
}

// Save replaces the snapshot of s.ID.
func (m *MemoryStore) Save(_ context.Context, s Snapshot) error {
	b := appendSnapshot(nil, &s)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.data[s.ID] = b
	return nil
}

// Load returns the snapshot of id.
func (m *MemoryStore) Load(_ context.Context, id string) (Snapshot, error) {
	m.mu.Lock()
	b, ok := m.data[id]
	m.mu.Unlock()
	if !ok {
		return Snapshot{}, fmt.Errorf("flow: execution %q: %w", id, ErrExecutionDoesNotExist)
	}
	return UnmarshalSnapshot(b)
}

// List returns every id.
func (m *MemoryStore) List(_ context.Context) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ids := make([]string, 0, len(m.data))
	for id := range m.data {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids, nil
}
