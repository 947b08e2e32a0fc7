package fsx

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// Rename does what os.Rename does for files: moves one, replaces a file at the new name, refuses to put a
// file over a directory (which stays), and a missing source is fs.ErrNotExist with both names.
func TestRename_AsOSRenameForFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	read := func(p string) string {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	a, b := write("a", "first"), filepath.Join(dir, "b")
	if err := Rename(a, b); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(a); !errors.Is(err, fs.ErrNotExist) || read(b) != "first" {
		t.Fatalf("moved: old name %v, new name holds %q", err, read(b))
	}
	if err := Rename(write("c", "second"), b); err != nil || read(b) != "second" {
		t.Fatalf("replacing a file: %v, holds %q", err, read(b))
	}
	d := filepath.Join(dir, "d")
	if err := os.Mkdir(d, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := Rename(write("e", "third"), d); err == nil {
		t.Fatal("a file put over a directory")
	}
	if fi, err := os.Stat(d); err != nil || !fi.IsDir() {
		t.Fatalf("the directory is gone: %v", err)
	}
	err := Rename(filepath.Join(dir, "missing"), b)
	var le *os.LinkError
	if !errors.Is(err, fs.ErrNotExist) || !errors.As(err, &le) || le.Old != filepath.Join(dir, "missing") || le.New != b {
		t.Fatalf("missing source: %v, want a LinkError naming both that is fs.ErrNotExist", err)
	}
}
