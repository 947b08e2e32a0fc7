package local

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strings"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/intake/inbox"
	"github.com/safeguarding/mash/shared/internal/fsx"
	"github.com/safeguarding/mash/shared/internal/pool"
	"github.com/safeguarding/mash/shared/store"
)

// Maildrop is the local stand-in for the MASH inbox: `.eml` files dropped into Dir become contacts. A file
// moves to Dir/processed once intake has recorded it (contact or quarantine), so a crash before that leaves it
// in place and the next scan ingests it again — which the idempotency keys turn into a duplicate, never a
// second contact. A file intake could not record at all stays and is retried; after it fails it is logged.
//
// A scan ingests Workers files at once (parsing on every core while the store's writer commits the writes
// together); one file that fails — or makes intake panic — is that file's error and never stops the others.
// A file is moved to processed/ only after the commit that holds its contacts (IngestEmail returns after it).
type Maildrop struct {
	Dir       string
	Authority domain.AuthorityID
	Intake    inbox.Service
	// Workers is how many files are ingested at once (zero: WorkersPerCore per core, runtime.GOMAXPROCS).
	Workers int
}

// WorkersPerCore is the maildrop's default number of files in flight per core. A file spends most of its
// time waiting for the store's writer (its contact's write and first drive, its acknowledgement's sent mark);
// with several waiting, the writer commits their writes and drives together (group commit: issue #19's
// benchmark went from 1.7 to 1.0 commits per contact going from one file per core to four; with the writer
// holding a commit for the batch's writes to come, 0.33 at four and 0.17–0.22 at eight, and 175 → 159 KB
// written per email) while the cores parse the next.
const WorkersPerCore = 8

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
	out := make([]FileResult, len(names))
	if len(names) > 0 {
		if err := os.MkdirAll(filepath.Join(m.Dir, "processed"), 0o700); err != nil {
			return nil, err
		}
	}
	workers := m.Workers
	if workers <= 0 {
		workers = WorkersPerCore * runtime.GOMAXPROCS(0)
	}
	// The files in flight are one store.Batch: the store's writer may hold a commit a moment for the write a
	// file being parsed is about to make, so that one commit takes several files' contacts (issue #19).
	var batch store.Batch
	bctx := store.WithBatch(ctx, &batch)
	pool.Each(ctx, len(names), workers, func(i int) { // oldest name first
		batch.Begin()
		defer batch.End()
		out[i] = m.one(bctx, names[i])
	})
	if err := ctx.Err(); err != nil {
		return slices.DeleteFunc(out, func(fr FileResult) bool { return fr.File == "" }), err
	}
	return out, nil
}

// one ingests one file; a panic in intake is the file's error (it stays in the maildrop).
func (m Maildrop) one(ctx context.Context, name string) (fr FileResult) {
	fr.File = name
	defer func() {
		if p := recover(); p != nil {
			fr.Results, fr.Err = nil, &domain.Error{Code: domain.CodeInternal, Message: "intake failed on this message",
				Err: fmt.Errorf("panic: %v\n%s", p, debug.Stack())}
		}
	}()
	data, err := os.ReadFile(filepath.Join(m.Dir, name))
	if err != nil {
		fr.Err = err
		return fr
	}
	fr.Results, fr.Err = m.Intake.IngestEmail(ctx, m.Authority, intake.RawMail{Data: data, Key: "maildrop/" + name})
	if fr.Err == nil {
		fr.Err = moveProcessed(m.Dir, name)
	}
	return fr
}

// moveProcessed moves a recorded file into processed/ (made once per scan, in Scan).
func moveProcessed(dir, name string) error {
	err := fsx.Rename(filepath.Join(dir, name), filepath.Join(dir, "processed", name))
	if errors.Is(err, os.ErrNotExist) {
		// processed/ removed since the scan began: made again
		if merr := os.MkdirAll(filepath.Join(dir, "processed"), 0o700); merr != nil {
			return merr
		}
		err = fsx.Rename(filepath.Join(dir, name), filepath.Join(dir, "processed", name))
	}
	return err
}
