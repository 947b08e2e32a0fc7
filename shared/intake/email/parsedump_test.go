package email

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestCorpus_ParseDump parses every corpus email and writes what Parse returns (every extracted field, its
// provenance in Extractions, the flags and warnings) as one JSON line per email. Run with
// CORPUS_PARSE_DUMP=<file> it writes that file: a change meant to make extraction cheaper without changing any
// result (issue #18 "Size and speed") is checked by dumping before and after and comparing the two files byte
// for byte. Without the variable it checks that two parses of each email give the same bytes, so that such a
// comparison can be trusted (no map order, no time, no pointer leaks into the result).
func TestCorpus_ParseDump(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(corpusDir, "*.eml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 60 {
		t.Fatalf("the corpus has %d emails, want at least 60", len(files))
	}
	var dump bytes.Buffer
	for _, f := range files {
		name := filepath.Base(f)
		one := func() []byte {
			b, err := json.Marshal(struct {
				File    string
				Message *Message
			}{name, parseCorpusMail(t, name)})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return b
		}
		a, b := one(), one()
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two parses of the same bytes differ", name)
		}
		dump.Write(a)
		dump.WriteByte('\n')
	}
	if out := os.Getenv("CORPUS_PARSE_DUMP"); out != "" {
		if err := os.WriteFile(out, dump.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%d emails, %d bytes written to %s", len(files), dump.Len(), out)
	}
}
