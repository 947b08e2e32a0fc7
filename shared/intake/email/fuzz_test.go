package email

import (
	"testing"

	"github.com/safeguarding/mash/shared/domain"
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
		if c := m.Children[0]; c == (domain.Child{}) && (!m.NeedsCompletion || m.Concerns != m.BodyText) {
			t.Fatal("no child identified, yet not needing completion with the body as concerns")
		}
		// Each child has its own extraction: a household where only a later child lacks its date of birth
		// needs completion while the first child's extraction is whole. What is missing is said somewhere.
		if m.NeedsCompletion && len(m.Extractions) > 0 {
			said := false
			for _, x := range m.Extractions {
				said = said || len(x.Missing) > 0
			}
			if !said {
				t.Fatal("needs completion without saying what is missing")
			}
		}
	})
}
