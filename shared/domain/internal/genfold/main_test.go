package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The committed table is what the generator writes today: a change of x/text's Unicode version, or of the
// folding rule, fails here until `go generate ./shared/domain` is run.
func TestFoldTableIsGenerated(t *testing.T) {
	want, err := generate()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join("..", "..", "fold_table.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("shared/domain/fold_table.go is not what genfold writes: run go generate ./shared/domain")
	}
}
