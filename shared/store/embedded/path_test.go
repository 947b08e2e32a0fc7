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

// Issue #19: the savepoints' statement journal stays in memory (temp_store=MEMORY on the write connection).
// With SQLite's default it spilled to a temporary file past 64 KiB — a file created, written and closed for
// most group commits, ≈ 14% of BenchmarkEndToEnd's CPU and more than half of the bytes it wrote.
func TestOpen_StatementJournalInMemory(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "store.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var mode int
	if err := s.b.w.db.QueryRow(`PRAGMA temp_store`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != 2 {
		t.Errorf("temp_store = %d on the write connection, want 2 (MEMORY)", mode)
	}
}

// Issue #19: the write connection keeps up to 32 MiB of pages (SQLite's default is 2 MiB, and most pages a
// unit of work wrote were read back from the file first, a pread each inside the serialised unit).
func TestOpen_WriteConnectionCaches32MiB(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "store.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var size int
	if err := s.b.w.db.QueryRow(`PRAGMA cache_size`).Scan(&size); err != nil {
		t.Fatal(err)
	}
	if size != -32768 {
		t.Errorf("cache_size = %d on the write connection, want -32768 (32 MiB)", size)
	}
}
