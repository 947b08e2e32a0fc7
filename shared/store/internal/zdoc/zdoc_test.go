package zdoc

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

// Every item written with format 1 is read with zDict1: changing it would make them unreadable. A new
// dictionary is a new format byte.
func TestZDict1IsNeverChanged(t *testing.T) {
	sum := sha256.Sum256([]byte(zDict1))
	if got := hex.EncodeToString(sum[:]); got != zDict1SHA256 {
		t.Fatalf("zDict1 changed (sha256 %s): items written with format 1 would no longer read; add a format instead", got)
	}
}

func TestCompress_RoundTripsAndSkipsSmallDocuments(t *testing.T) {
	for _, tc := range []struct {
		name string
		doc  string
		want bool // stored compressed
	}{
		{"empty", "", false},
		{"small audit event", `{"contactId":"c_1","id":"x","action":"contact.read"}`, false},
		{"contact", `{"id":"c_1","reference":"POR-2027-000001","status":"awaiting-rating","concerns":"` + strings.Repeat("bruise on her cheek; ", 40) + `"}`, true},
		{"random bytes that do not shrink", randomish(400), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			z, err := Compress([]byte(tc.doc))
			if err != nil {
				t.Fatal(err)
			}
			if (z != nil) != tc.want {
				t.Fatalf("compressed: %v, want %v", z != nil, tc.want)
			}
			if z == nil {
				return
			}
			if len(z) >= len(tc.doc) {
				t.Errorf("compressed %d bytes from %d", len(z), len(tc.doc))
			}
			back, err := Decompress(z)
			if err != nil || string(back) != tc.doc {
				t.Fatalf("round trip: %q, %v", back, err)
			}
		})
	}
	if _, err := Decompress(nil); err == nil {
		t.Error("an empty compressed document read without error")
	}
	if _, err := Decompress([]byte{zFormat1, 0xff, 0xff}); err == nil {
		t.Error("a corrupt stream read without error")
	}
}

// randomish is n bytes that DEFLATE cannot shrink (a linear congruential sequence).
func randomish(n int) string {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return string(b)
}
