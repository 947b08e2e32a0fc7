package domain

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// nfdFold is the reference: the canonical decomposition with its marks dropped, letters and digits only,
// lower case (what NormaliseName computed through golang.org/x/text/unicode/norm until the table replaced
// it). Children's identity keys are stored, so the two must agree exactly.
func nfdFold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func TestNormaliseName_SameAsNFD(t *testing.T) {
	bad := 0
	for r := rune(0); r <= unicode.MaxRune && bad < 10; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		if got, want := NormaliseName(string(r)), nfdFold(string(r)); got != want {
			t.Errorf("%U %q: %q, NFD gives %q", r, string(r), got, want)
			bad++
		}
	}
	// Whole strings: marks out of canonical order, Hangul, names from several scripts.
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune("aAeEzZ0 '-ëÉøØßçÇłŁőŐñÑ\u0301\u0323\u0308ǅǄΆάЁёйЙ가힣각ḍẞ一")
	for i := 0; i < 20000; i++ {
		rs := make([]rune, 1+rng.IntN(12))
		for j := range rs {
			rs[j] = alphabet[rng.IntN(len(alphabet))]
		}
		if got, want := NormaliseName(string(rs)), nfdFold(string(rs)); got != want {
			t.Fatalf("%q: %q, NFD gives %q", string(rs), got, want)
		}
	}
}

// The identity key's documented example, and names as referrers type them.
func TestNormaliseName_Examples(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Zoë O'Neil", "zoeoneil"},
		{"ZOË  O’NEIL", "zoeoneil"},
		{"Zoe\u0308 O-Neil", "zoeoneil"},  // a decomposed ë, as some mail clients send it
		{"Łukasz Wójcik", "łukaszwojcik"}, // ł has no decomposition: kept, as NFD keeps it
		{"Siobhán Ní Bhriain", "siobhannibhriain"},
		{"Jayden Smith-Jones 2", "jaydensmithjones2"},
	} {
		if got := NormaliseName(tc.in); got != tc.want {
			t.Errorf("NormaliseName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
