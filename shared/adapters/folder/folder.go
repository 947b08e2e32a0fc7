// Package folder keeps blobs (raw mail, attachments, quarantine) as files under a directory: the local
// runner's stand-in for the raw-mail bucket.
package folder

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/safeguarding/mash/shared/domain"
)

// Blobs stores each key as a file below Dir.
type Blobs struct{ Dir string }

// path maps a key to a file below Dir. Keys with ".." anywhere, and keys naming Dir itself, are invalid; a
// leading "/" is harmless (the key is always rooted at Dir).
func (b Blobs) path(key string) (string, error) {
	clean := filepath.Clean("/" + key)
	if strings.Contains(key, "..") || clean == "/" {
		return "", domain.Errorf(domain.CodeInvalid, "bad blob key")
	}
	return filepath.Join(b.Dir, clean), nil
}

// Put writes the file atomically (a unique temp file in the same directory, then rename), readable by the
// owner only (os.CreateTemp creates 0600 whatever the umask).
func (b Blobs) Put(_ context.Context, key string, data []byte, _ string) error {
	p, err := b.path(key)
	if err != nil {
		return err
	}
	dir := filepath.Dir(p)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".blob-*.part")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, p); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return nil
}

// Get reads a file; a missing one is not found.
func (b Blobs) Get(_ context.Context, key string) ([]byte, error) {
	p, err := b.path(key)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, domain.Errorf(domain.CodeNotFound, "no blob %s", key)
	}
	return data, err
}

// Delete removes a file; a missing one is no error (the retention job may run again after a failure).
func (b Blobs) Delete(_ context.Context, key string) error {
	p, err := b.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
