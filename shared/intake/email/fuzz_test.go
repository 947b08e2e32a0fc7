package email

import (
	"testing"
)

// FuzzParse: Parse never panics, whatever the bytes; a success always carries at least one child and the
// body, and a failure is always a QuarantineError with a known reason.
func FuzzParse(f *testing.F) {
	for _, name := range sampleNames(f) {
		f.Add(readSample(f, name))
	}
	known := map[Reason]bool{ReasonUnparseable: true, ReasonOversized: true, ReasonVirus: true, ReasonSpam: true,
		ReasonBlockedSender: true, ReasonEmpty: true, ReasonTooComplex: true}
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := Parse(raw, Options{MaxBytes: 1 << 20, ColleagueDomains: []string{"portsmouthcc.gov.uk"}})
		if err != nil {
			if !known[ReasonOf(err)] {
				t.Fatalf("error without a known quarantine reason: %T %v", err, err)
			}
			return
		}
		if m == nil || len(m.Children) == 0 {
			t.Fatal("success without a child")
		}
		if m.NeedsCompletion && m.Concerns != m.BodyText {
			t.Fatal("needs completion without the body as concerns")
		}
	})
}
