// Package folder keeps blobs (raw mail, attachments, quarantine) as files under a directory: the local
// runner's stand-in for the raw-mail bucket.
package folder

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/safeguarding/mash/shared/domain"
)

// Blobs stores each key as a file below Dir.
type Blobs struct{ Dir string }

func (b Blobs) path(key string) (string, error) {
	clean := filepath.Clean("/" + key)
	if strings.Contains(key, "..") || clean == "/" {
		return "", domain.Errorf(domain.CodeInvalid, "bad blob key")
	}
	return filepath.Join(b.Dir, clean), nil
}

// Put writes the file atomically (temp file, then rename), readable by the owner only.
func (b Blobs) Put(_ context.Context, key string, data []byte, _ string) error {
	p, err := b.path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err
	}
	tmp := p + ".part"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, p)
}

// Get reads a file; a missing one is not found.
func (b Blobs) Get(_ context.Context, key string) ([]byte, error) {
	p, err := b.path(key)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(p)
	if os.IsNotExist(err) {
		return nil, domain.Errorf(domain.CodeNotFound, "no blob %s", key)
	}
	return data, err
}
