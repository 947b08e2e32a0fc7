package email

import (
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/domain"
)

// A referrer who corrects a date of birth given earlier in the thread writes the correction beside a word
// that says so ("Apologies - I gave you the wrong DOB … Kacey's date of birth is 11/04/2013", ">> Please note
// her DOB on our system is 08/09/2014"). The corrected date is the child's, wherever the first date stood.
var (
	dobCorrectionCue = lazy(`(?i)\b(wrong|incorrect|correct|corrected|correction|apologies|apologise|apologize|sorry|mistake|typo|please note|on our (?:system|records)|our records show|should (?:be|read)|amended)\b`)
	dobRestatedRe    = lazy(`(?i)(?:\b(\p{Lu}[\p{Ll}]+(?:-\p{Lu}[\p{Ll}]+)?)(?:'|’)s|\b(his|her))\s+(?:correct\s+|actual\s+|right\s+)?(?:date of birth|d\.?o\.?b\.?)\s+(?:on our (?:system|records)\s+)?(?:is|should (?:be|read)|reads)\s+`)
)

// dobWords are the ways dobRestatedRe writes "date of birth": a line without one of them holds no correction,
// and the expressions need not run over it.
var dobWords = []string{"date of birth", "dob", "d.ob", "do.b", "d.o.b"}

// correctedDOB replaces a child's date of birth with the one a referrer states as a correction. The child is
// the one whose first name the correction carries ("Kacey's"), or for "her"/"his" the one child named on the
// line just above (an answer under its request line); anything else — an adult's date, a name that is not
// one of the children, a pronoun under a line naming no child or two — is left as it was.
func correctedDOB(ks []*kid, text string, ref time.Time) {
	if !mayHoldWord(text, dobWords...) {
		return
	}
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		if !mayHoldWord(line, dobWords...) || !dobCorrectionCue.MatchString(line) {
			continue
		}
		m := dobRestatedRe.FindStringSubmatchIndex(line)
		if m == nil {
			continue
		}
		hits := findDates(line[m[1]:], ref)
		if len(hits) == 0 || hits[0].start != 0 || !plausibleDOB(hits[0].d, ref) {
			continue
		}
		var k *kid
		if m[2] >= 0 {
			k = kidByGivenName(ks, []string{line[m[2]:m[3]]})
		} else {
			for j := i - 1; j >= 0 && j >= i-2; j-- {
				above := strings.TrimSpace(strings.TrimLeft(lines[j], "> "))
				if above == "" {
					continue
				}
				k = kidByGivenName(ks, strings.FieldsFunc(above, func(r rune) bool {
					return !(r == '-' || r == '\'' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r > 127)
				}))
				break
			}
		}
		if k == nil || k.c.DateOfBirth == hits[0].d {
			continue
		}
		k.c.DateOfBirth = hits[0].d
		k.src["child.dateOfBirth"] = domain.FieldSource{Field: "child.dateOfBirth", Source: "body", Confidence: domain.ConfidenceMedium}
	}
}

// kidByGivenName is the one child whose first name is among words, or nil when none or two are.
func kidByGivenName(ks []*kid, words []string) *kid {
	var found *kid
	for _, k := range ks {
		if k.c.GivenName == "" {
			continue
		}
		for _, w := range words {
			if strings.EqualFold(w, k.c.GivenName) {
				if found != nil && found != k {
					return nil
				}
				found = k
			}
		}
	}
	return found
}
