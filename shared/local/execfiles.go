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

// fileStore is how the local executor kept its execution snapshots before they moved into the embedded
// store's executions table (ExecStore): JSON files in STATE/executions. It is kept to import a state folder
// written by an earlier `mash` once (importFiles), so that no execution is lost on the upgrade.
//
// A snapshot that cannot be read (a disk fault, a hand edit) is moved to damaged/ with OnDamaged told, and is
// as if absent, so the suite re-drives its contact from the store.
type fileStore struct {
	Dir string
	// OnDamaged, when set, is told of each snapshot set aside (the file's name under damaged/, and why).
	OnDamaged func(file string, err error)
	mu        sync.Mutex
}

func (s *fileStore) file(id string) string {
	h := sha256.Sum256([]byte(id))
	return filepath.Join(s.Dir, hex.EncodeToString(h[:12])+".json")
}

// Load reads a snapshot; a missing one — or a damaged one, which is set aside — is
// flow.ErrExecutionDoesNotExist.
func (s *fileStore) Load(_ context.Context, id string) (flow.Snapshot, error) {
	name := s.file(id)
	b, err := os.ReadFile(name)
	if errors.Is(err, os.ErrNotExist) {
		return flow.Snapshot{}, fmt.Errorf("execution %q: %w", id, flow.ErrExecutionDoesNotExist)
	}
	if err != nil {
		return flow.Snapshot{}, err
	}
	snap, err := flow.UnmarshalSnapshot(b)
	if err != nil {
		s.setAside(name, err)
		return flow.Snapshot{}, fmt.Errorf("execution %q (damaged, set aside): %w", id, flow.ErrExecutionDoesNotExist)
	}
	return snap, nil
}

// List returns every readable execution's id, sorted; damaged files are set aside.
func (s *fileStore) List(_ context.Context) ([]string, error) {
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
		name := filepath.Join(s.Dir, e.Name())
		b, err := os.ReadFile(name)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		var head struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(b, &head); err != nil || head.ID == "" {
			if err == nil {
				err = errors.New("no execution id")
			}
			s.setAside(name, err)
			continue
		}
		ids = append(ids, head.ID)
	}
	sort.Strings(ids)
	return ids, nil
}

// setAside moves a damaged snapshot to damaged/ (kept for a person to look at, never read again).
func (s *fileStore) setAside(name string, why error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	dir := filepath.Join(s.Dir, "damaged")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		why = errors.Join(why, err)
	}
	f, err := os.CreateTemp(dir, strings.TrimSuffix(filepath.Base(name), ".json")+"-*.json")
	dest := ""
	if err == nil {
		dest = f.Name()
		_ = f.Close()
		err = os.Rename(name, dest)
	}
	if err != nil {
		// Not moved: remove it so that it cannot stop the next start either (its contact is re-driven).
		why = errors.Join(why, err, os.Remove(name))
	}
	if s.OnDamaged != nil {
		s.OnDamaged(filepath.Base(dest), why)
	}
}

// importFiles moves the snapshots an earlier `mash` left in dir (STATE/executions) into the executions
// table, once: each readable one is created there (one already there is kept), and the folder is then renamed
// executions.imported so that the next start does not read it again. A damaged file is set aside as before.
func importFiles(ctx context.Context, dir string, to *ExecStore, onDamaged func(string, error)) (int, error) {
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	old := &fileStore{Dir: dir, OnDamaged: onDamaged}
	ids, err := old.List(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		snap, err := old.Load(ctx, id)
		if errors.Is(err, flow.ErrExecutionDoesNotExist) {
			continue
		}
		if err != nil {
			return n, err
		}
		if err := to.Create(ctx, snap); err != nil && !errors.Is(err, flow.ErrExecutionAlreadyExists) {
			return n, err
		}
		n++
	}
	return n, os.Rename(dir, dir+".imported")
}
