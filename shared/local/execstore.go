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
// restart.
//
// Every write is atomic and durable: the snapshot goes to a temporary file that is synced, then takes its
// name (rename for Save; link for Create, which fails when the name exists — what makes an execution name
// unique), then the folder is synced; a crash at any point leaves the old snapshot or the new one, never part
// of one. A snapshot that cannot be read all the same (a disk fault, a hand edit) never stops the runner or
// the CLI: it is moved to damaged/ with OnDamaged told, and is as if absent, so the suite re-drives its
// contact from the store.
type ExecStore struct {
	Dir string
	// OnDamaged, when set, is told of each snapshot set aside (the file's name under damaged/, and why).
	OnDamaged func(file string, err error)
	mu        sync.Mutex
}

func (s *ExecStore) file(id string) string {
	h := sha256.Sum256([]byte(id))
	return filepath.Join(s.Dir, hex.EncodeToString(h[:12])+".json")
}

// writeTemp writes b to a synced temporary file in Dir and returns its name.
func (s *ExecStore) writeTemp(b []byte) (string, error) {
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(s.Dir, ".exec-*.part")
	if err != nil {
		return "", err
	}
	_, werr := f.Write(b)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		_ = os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// syncDir makes the folder's new entry durable.
func (s *ExecStore) syncDir() error {
	d, err := os.Open(s.Dir)
	if err != nil {
		return err
	}
	serr := d.Sync()
	return errors.Join(serr, d.Close())
}

// Create stores a new snapshot; an existing id is flow.ErrExecutionAlreadyExists.
func (s *ExecStore) Create(_ context.Context, snap flow.Snapshot) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := json.Marshal(snap)
	if err != nil {
		return err
	}
	tmp, err := s.writeTemp(b)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, s.file(snap.ID)); errors.Is(err, os.ErrExist) {
		return fmt.Errorf("execution %q: %w", snap.Name, flow.ErrExecutionAlreadyExists)
	} else if err != nil {
		return err
	}
	return s.syncDir()
}

// Save replaces a snapshot atomically and durably.
func (s *ExecStore) Save(_ context.Context, snap flow.Snapshot) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := json.Marshal(snap)
	if err != nil {
		return err
	}
	tmp, err := s.writeTemp(b)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, s.file(snap.ID)); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return s.syncDir()
}

// Load reads a snapshot; a missing one — or a damaged one, which is set aside — is
// flow.ErrExecutionDoesNotExist.
func (s *ExecStore) Load(_ context.Context, id string) (flow.Snapshot, error) {
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
func (s *ExecStore) setAside(name string, why error) {
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
