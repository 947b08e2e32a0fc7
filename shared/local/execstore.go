package local

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/safeguarding/mash/shared/flow"
)

// ExecStore keeps the local executor's execution snapshots as JSON files in a folder, so that `mash run`
// resumes every running execution — a contact queued over the weekend, a token waiting for a manager — after a
// restart. Writes are atomic (temp file, rename); Create is exclusive (O_EXCL), which is what makes an
// execution name unique.
type ExecStore struct {
	Dir string
	mu  sync.Mutex
}

func (s *ExecStore) file(id string) string {
	h := sha256.Sum256([]byte(id))
	return filepath.Join(s.Dir, hex.EncodeToString(h[:12])+".json")
}

// Create stores a new snapshot; an existing id is flow.ErrExecutionAlreadyExists.
func (s *ExecStore) Create(_ context.Context, snap flow.Snapshot) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return err
	}
	b, err := json.Marshal(snap)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(s.file(snap.ID), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("execution %q: %w", snap.Name, flow.ErrExecutionAlreadyExists)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Save replaces a snapshot atomically.
func (s *ExecStore) Save(_ context.Context, snap flow.Snapshot) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := json.Marshal(snap)
	if err != nil {
		return err
	}
	tmp := s.file(snap.ID) + ".part"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, s.file(snap.ID))
}

// Load reads a snapshot; a missing one is flow.ErrExecutionDoesNotExist.
func (s *ExecStore) Load(_ context.Context, id string) (flow.Snapshot, error) {
	b, err := os.ReadFile(s.file(id))
	if errors.Is(err, os.ErrNotExist) {
		return flow.Snapshot{}, fmt.Errorf("execution %q: %w", id, flow.ErrExecutionDoesNotExist)
	}
	if err != nil {
		return flow.Snapshot{}, err
	}
	return flow.UnmarshalSnapshot(b)
}

// List returns every execution id, sorted.
func (s *ExecStore) List(_ context.Context) ([]string, error) {
	entries, err := os.ReadDir(s.Dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(s.Dir, e.Name()))
		if err != nil {
			return nil, err
		}
		var head struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(b, &head); err != nil {
			return nil, fmt.Errorf("execution file %s: %w", e.Name(), err)
		}
		ids = append(ids, head.ID)
	}
	sort.Strings(ids)
	return ids, nil
}
