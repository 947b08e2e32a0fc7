package local

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/intake/inbox"
)

// Maildrop is the local stand-in for the MASH inbox: `.eml` files dropped into Dir become contacts. A file
// moves to Dir/processed once intake has recorded it (contact or quarantine), so a crash before that leaves it
// in place and the next scan ingests it again — which the idempotency keys turn into a duplicate, never a
// second contact. A file intake could not record at all stays and is retried; after it fails it is logged.
type Maildrop struct {
	Dir       string
	Authority domain.AuthorityID
	Intake    inbox.Service
}

// FileResult is one file's outcome: one result per child (or the quarantine).
type FileResult struct {
	File    string
	Results []intake.Result
	Err     error
}

// Scan ingests every .eml file in Dir, oldest name first.
func (m Maildrop) Scan(ctx context.Context) ([]FileResult, error) {
	entries, err := os.ReadDir(m.Dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, os.MkdirAll(m.Dir, 0o700)
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(strings.ToLower(e.Name()), ".eml") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	var out []FileResult
	for _, name := range names {
		path := filepath.Join(m.Dir, name)
		data, err := os.ReadFile(path)
		if err != nil {
			out = append(out, FileResult{File: name, Err: err})
			continue
		}
		rs, err := m.Intake.IngestEmail(ctx, m.Authority, intake.RawMail{Data: data, Key: "maildrop/" + name})
		if err == nil {
			err = moveProcessed(m.Dir, name)
		}
		out = append(out, FileResult{File: name, Results: rs, Err: err})
	}
	return out, nil
}

func moveProcessed(dir, name string) error {
	done := filepath.Join(dir, "processed")
	if err := os.MkdirAll(done, 0o700); err != nil {
		return err
	}
	return os.Rename(filepath.Join(dir, name), filepath.Join(done, name))
}
