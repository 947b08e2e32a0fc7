package email

import (
	"bytes"
	"testing"

	"github.com/jhillyerd/enmime/v2"
)

func corpus(b *testing.B) ([][]byte, int64) {
	var all [][]byte
	var n int64
	for _, name := range sampleNames(b) {
		raw := readSample(b, name)
		all = append(all, raw)
		n += int64(len(raw))
	}
	return all, n
}

// BenchmarkParse is one pass of the full Parse over every sample in events/email.
func BenchmarkParse(b *testing.B) {
	all, n := corpus(b)
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		for _, raw := range all {
			_, _ = Parse(raw, colleagueOpts)
		}
	}
}

// BenchmarkEnmimeBare is enmime.ReadEnvelope alone over the same corpus, for the ratio.
func BenchmarkEnmimeBare(b *testing.B) {
	all, n := corpus(b)
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		for _, raw := range all {
			_, _ = enmime.ReadEnvelope(bytes.NewReader(raw))
		}
	}
}
