package reports

import (
	"time"

	"github.com/safeguarding/mash/shared/policy"
)

// FamiliesCount counts the Supporting Families outcomes recorded at early help decisions made in a period
// (Portsmouth §5.3: eligibility for the programme is 3 of the 10 headline outcomes).
type FamiliesCount struct {
	// Recorded: early help decisions that recorded the outcomes; Eligible: those reaching the policy's count.
	Recorded int `json:"recorded"`
	Eligible int `json:"eligible"`
	// ByOutcome: how many of the recorded decisions found each headline outcome applies.
	ByOutcome map[string]int `json:"byOutcome"`
}

// SupportingFamilies counts the decisions in [from, to) that recorded the programme's outcomes; nil where
// the policy has no such programme.
func SupportingFamilies(p *policy.Policy, recs []Record, from, to time.Time) *FamiliesCount {
	if p.SupportingFamilies == nil {
		return nil
	}
	n := &FamiliesCount{ByOutcome: map[string]int{}}
	for _, r := range recs {
		sf := r.Contact.SupportingFamilies
		if sf == nil || sf.At.Before(from) || !sf.At.Before(to) {
			continue
		}
		n.Recorded++
		if sf.Eligible {
			n.Eligible++
		}
		for _, o := range sf.Outcomes {
			n.ByOutcome[string(o)]++
		}
	}
	return n
}
