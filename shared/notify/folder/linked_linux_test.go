package folder

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// On Linux a message is made without a temporary name: linked gives the whole file its name at once, refuses
// a name already taken (fs.ErrExist: Send then rewrites the file through a temporary name) and leaves that
// file as it was, and says when the folder is missing (fs.ErrNotExist: Send makes it). Nothing else is ever
// left in the folder.
func TestLinked_WholeFileUnderItsNameOrNothing(t *testing.T) {
	dir := t.TempDir()
	err := linked(dir, "a.eml", []byte("first"))
	if errors.Is(err, errNotLinked) {
		t.Skipf("the test folder's file system (%s) has no unnamed files (O_TMPFILE): Send writes through a temporary name there", dir)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := linked(dir, "a.eml", []byte("second")); !errors.Is(err, fs.ErrExist) {
		t.Errorf("a name already taken: %v, want fs.ErrExist", err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "a.eml")); err != nil || string(b) != "first" {
		t.Errorf("the file holds %q (%v), want the first write", b, err)
	}
	if err := linked(filepath.Join(dir, "missing"), "b.eml", []byte("x")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing folder: %v, want fs.ErrNotExist", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("the folder holds %d files, want 1", len(ents))
	}
}
