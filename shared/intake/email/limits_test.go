package email

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// nested builds a message whose body is a multipart nested levels deep, each level with its own boundary,
// the innermost holding one text part.
func nested(levels int, boundary func(i int) string) []byte {
	var b strings.Builder
	b.WriteString("From: dsl@school.example.sch.uk\r\nTo: mash@example.gov.uk\r\nSubject: nested\r\nMessage-ID: <n@example>\r\n")
	b.WriteString("MIME-Version: 1.0\r\n")
	for i := range levels {
		fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n--%s\r\n", boundary(i), boundary(i))
	}
	b.WriteString("Content-Type: text/plain\r\n\r\nChild's name: Zebedee Canarybird\r\nWorried about him.\r\n")
	for i := levels - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "--%s--\r\n", boundary(i))
	}
	return []byte(b.String())
}

func distinct(i int) string { return fmt.Sprintf("b%04d", i) }

// manyParts builds a multipart/mixed message with n text parts.
func manyParts(n int) []byte {
	var b strings.Builder
	b.WriteString("From: dsl@school.example.sch.uk\r\nSubject: parts\r\nMIME-Version: 1.0\r\n")
	b.WriteString("Content-Type: multipart/mixed; boundary=XX\r\n\r\n")
	for i := range n {
		fmt.Fprintf(&b, "--XX\r\nContent-Type: text/plain\r\n\r\npart %d\r\n", i)
	}
	b.WriteString("--XX--\r\n")
	return []byte(b.String())
}

// Issue #13 "Poison mail is slow, not isolated": past the depth or part limits a message is quarantined
// (too-complex) before the parser runs; at the limits it is read as usual.
func TestMailLimits_DeepOrManyPartsQuarantinedBeforeParsing(t *testing.T) {
	same := func(int) string { return "same" }
	for _, tc := range []struct {
		name string
		raw  []byte
		want Reason // "" = parsed
	}{
		{"50 levels (the limit)", nested(DefaultMaxDepth, distinct), ""},
		{"51 levels", nested(DefaultMaxDepth+1, distinct), ReasonTooComplex},
		{"3,000 levels", nested(3000, distinct), ReasonTooComplex},
		{"3,000 levels, one boundary reused", nested(3000, same), ReasonTooComplex},
		{"1,000 parts (the limit)", manyParts(DefaultMaxParts - 1), ""}, // the parts plus none nested
		{"1,001 parts", manyParts(DefaultMaxParts + 1), ReasonTooComplex},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Parse(tc.raw, Options{})
			if got := ReasonOf(err); got != tc.want {
				t.Fatalf("reason %q (%v), want %q", got, err, tc.want)
			}
			if tc.want != "" && m != nil {
				t.Error("a too-complex message was parsed: Message returned")
			}
			if tc.want == "" && (m == nil || len(m.Children) == 0) {
				t.Error("a message within the limits was not read")
			}
		})
	}
}

// The scanner's reading of boundaries: a text part's stray boundary opens nothing; a folded, quoted or
// RFC 2231 boundary counts; a longer boundary that starts with an open one does not open a part in it.
func TestMailLimits_ScannerFollowsEnmime(t *testing.T) {
	for _, tc := range []struct {
		name        string
		ct          string
		multipart   bool
		wantBoundry string
	}{
		{"quoted", `multipart/mixed; boundary="a b"`, true, "a b"},
		{"bare", `multipart/mixed; boundary=abc`, true, "abc"},
		{"folded", "multipart/mixed;\t boundary=abc", true, "abc"},
		{"rfc2231", `multipart/mixed; boundary*0="abc"`, true, "abc"},
		{"text with a stray boundary", `text/plain; boundary=abc`, false, ""},
		{"no boundary", `multipart/mixed`, false, ""},
		{"upper case", `MULTIPART/MIXED; BOUNDARY=Q`, true, "Q"},
	} {
		got := multipartBoundary([]byte(tc.ct))
		if (got != nil) != tc.multipart || string(got) != tc.wantBoundry {
			t.Errorf("%s: boundary %q, want %q", tc.name, got, tc.wantBoundry)
		}
	}
	// "--XXY" is not a part of "XX": 1,001 such lines are one part.
	var b strings.Builder
	b.WriteString("Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\nContent-Type: text/plain\r\n\r\n")
	for range DefaultMaxParts + 1 {
		b.WriteString("--XXY\r\n")
	}
	b.WriteString("--XX--\r\n")
	if err := checkStructure([]byte(b.String()), DefaultMaxDepth, DefaultMaxParts); err != nil {
		t.Errorf("lines that only start with the boundary counted as parts: %v", err)
	}
}

// The fuzz corpus holds the slow input (deep nesting) so every `go test` runs it through Parse.
func TestMailLimits_FuzzSeedHoldsTheSlowInput(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "fuzz", "FuzzParse", "nested-1000"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "boundary=") || len(b) < 50_000 {
		t.Fatalf("the seed is not the deeply nested message (%d bytes)", len(b))
	}
}

// BenchmarkParseNested3000 is the poison message of issue #13 (3,000 nested levels; 10,000 took 56 s before
// the limits): now refused by the structure scan.
func BenchmarkParseNested3000(b *testing.B) {
	raw := nested(3000, distinct)
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := Parse(raw, Options{}); ReasonOf(err) != ReasonTooComplex {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseNested50 is a message at the depth limit, fully parsed.
func BenchmarkParseNested50(b *testing.B) {
	raw := nested(DefaultMaxDepth, distinct)
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := Parse(raw, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
