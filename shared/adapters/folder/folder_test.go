package folder_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/safeguarding/mash/shared/adapters/folder"
	"github.com/safeguarding/mash/shared/domain"
)

// binary is a payload with every byte value, NULs and invalid UTF-8 included: raw mail and attachments are
// bytes, not text.
func binary() []byte {
	b := make([]byte, 0, 512)
	for i := range 512 {
		b = append(b, byte(i*7+3))
	}
	return b
}

func TestPutGet_RoundTripsBytes(t *testing.T) {
	ctx := context.Background()
	b := folder.Blobs{Dir: t.TempDir()}
	cases := map[string][]byte{
		"raw/C-0001.eml":              []byte("From: a@example.org\r\n\r\nbody\r\n"),
		"attachments/C-0001/1.bin":    binary(),
		"/quarantine/C-0002/mail.eml": {}, // a leading slash stays under Dir; an empty blob is a blob
	}
	for key, data := range cases {
		if err := b.Put(ctx, key, data, "application/octet-stream"); err != nil {
			t.Fatalf("Put(%q): %v", key, err)
		}
	}
	for key, want := range cases {
		got, err := b.Get(ctx, key)
		if err != nil {
			t.Fatalf("Get(%q): %v", key, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("Get(%q) = %d bytes, want the %d put", key, len(got), len(want))
		}
	}
	// Overwriting replaces the whole object.
	if err := b.Put(ctx, "raw/C-0001.eml", []byte("v2"), "message/rfc822"); err != nil {
		t.Fatal(err)
	}
	if got, _ := b.Get(ctx, "raw/C-0001.eml"); string(got) != "v2" {
		t.Errorf("after overwrite Get = %q, want v2", got)
	}
}

func TestPut_FilesAreOwnerOnlyAndNoTempFilesRemain(t *testing.T) {
	dir := t.TempDir()
	b := folder.Blobs{Dir: dir}
	if err := b.Put(context.Background(), "raw/C-0003.eml", []byte("x"), "message/rfc822"); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, "raw", "C-0003.eml"))
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("blob file mode = %o, want 600", perm)
	}
	di, err := os.Stat(filepath.Join(dir, "raw"))
	if err != nil {
		t.Fatal(err)
	}
	if perm := di.Mode().Perm(); perm != 0o700 {
		t.Errorf("blob directory mode = %o, want 700", perm)
	}
	entries, err := os.ReadDir(filepath.Join(dir, "raw"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "C-0003.eml" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("raw/ holds %v, want only C-0003.eml", names)
	}
}

func TestKeysEscapingTheFolder_AreInvalid(t *testing.T) {
	ctx := context.Background()
	parent := t.TempDir()
	dir := filepath.Join(parent, "blobs")
	b := folder.Blobs{Dir: dir}
	for _, key := range []string{"../outside", "raw/../../outside", "..", "a/..", "", "/"} {
		if err := b.Put(ctx, key, []byte("x"), ""); !errors.Is(err, domain.ErrInvalid) {
			t.Errorf("Put(%q) = %v, want invalid", key, err)
		}
		if _, err := b.Get(ctx, key); !errors.Is(err, domain.ErrInvalid) {
			t.Errorf("Get(%q) = %v, want invalid", key, err)
		}
	}
	if _, err := os.Stat(filepath.Join(parent, "outside")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a file was written outside the blob folder: %v", err)
	}
}

func TestGet_Missing_IsNotFound(t *testing.T) {
	b := folder.Blobs{Dir: t.TempDir()}
	_, err := b.Get(context.Background(), "raw/never-put.eml")
	if !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("Get of a missing key = %v, want not_found", err)
	}
	if domain.ErrorCode(err) != domain.CodeNotFound {
		t.Errorf("ErrorCode = %s, want not_found", domain.ErrorCode(err))
	}
}
