package embedded

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A state folder whose path holds "#", "?" or "%" opens the file at that path: unescaped, the URI filename
// cut the path at "#" (a fragment) and every such folder shared one truncated file elsewhere (found when a
// test's temporary folder was named after a subtest "#00").
func TestOpen_PathWithURIDelimiters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "My#Folder?x=1%20")
	p := filepath.Join(dir, "store.db")
	s, err := Open(p, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("the database is not at %s: %v", p, err)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "My")); err == nil {
		t.Error("a file was made at the path cut at #")
	}
}
