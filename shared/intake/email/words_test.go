package email

import (
	"regexp"
	"strings"
	"testing"
)

// The regular expressions the phrase sets and the per-line flag detection replaced: the oracles.
var (
	orgWordsRe  = regexp.MustCompile(`(?i)\b(?:school|academy|college|nursery|pre-school|surgery|practice|medical centre|health centre|hospital|nhs|trust|council|police|constabulary|housing association|association|ltd|limited|church|mosque|centre|charity|foundation|cic|probation|camhs|cafcass|university|federation)\b`)
	roleWordsRe = regexp.MustCompile(`(?i)\b(?:designated safeguarding lead|deputy designated safeguarding lead|dsl|ddsl|safeguarding lead|head ?teacher|head of year|deputy head|assistant head|teacher|teaching assistant|senco|inclusion|pastoral|gp|general practitioner|doctor|dr|nurse|health visitor|midwife|paediatrician|social worker|family support worker|early help|housing officer|housing options|tenancy|police constable|pc|dc|ps|sergeant|detective|officer|probation|youth worker|practitioner|manager|coordinator|co-ordinator|lead|worker|advisor|adviser|consultant|therapist|psychologist|counsellor|senior|clinical|ward sister)\b`)
)

// wholeTextFlags is detectFlags as it was, over the whole text at once.
func wholeTextFlags(text string) [4]bool {
	return [4]bool{found(ppnRe.get(), text), found(daRe.get(), text), found(ladoRe.get(), text), found(preventRe.get(), text)}
}

// corpusLines is every line of every sample's text (body and readable attachments) and the crafted edges.
func corpusLines(t *testing.T) (lines, texts []string) {
	t.Helper()
	for _, name := range sampleNames(t) {
		m, err := Parse(readSample(t, name), Options{})
		if m == nil || (err != nil && m.BodyText == "") {
			continue
		}
		text := m.Subject + "\n" + m.BodyText
		for _, a := range m.Attachments {
			if s, ok := attachmentText(a); ok {
				text += "\n" + s
			}
		}
		texts = append(texts, text)
		lines = append(lines, strings.Split(text, "\n")...)
	}
	lines = append(lines, edgeLines...)
	texts = append(texts, strings.Join(edgeLines, "\n"))
	return lines, texts
}

var edgeLines = []string{
	"", "DSL", "dsl,", "DSLs", "the dsl_lead", "Headteacher", "Head Teacher", "head  teacher", "Pre-School Lead",
	"preschool", "Oakfield Primary School", "Schoolhouse Lane", "NHS Trust", "nhs-trust", "Dr", "Dr.", "Drive",
	"PC 1234 Smith", "pcs", "Ward Sister", "ward sisters", "Co-ordinator", "coordinator2", "Université", "ŞCHOOL",
	"Kelvin: \u212Aatie", "Police Constable", "police-constable", "GP surgery", "G.P.", "Lead", "misleading",
	"No domestic abuse reported. Domestic abuse disclosed by mum", "There was no PPN", "PPN1 attached",
	"an allegation against a member of staff", "Allegation made about our teacher", "allegations against staff",
	"Prevent referral made", "prevent the fall", "concerns about radicalisation", "not radicalised",
	"coercive and controlling behaviour", "It wasn't a DASH risk assessment", "position of trust",
	"Channel panel next week", "counter-terrorism police", "extremist material",
}

func TestPhrasesMatchTheirRegexp(t *testing.T) {
	lines, _ := corpusLines(t)
	for _, set := range []struct {
		name string
		p    phrases
		re   *regexp.Regexp
	}{{"orgWords", orgWords, orgWordsRe}, {"roleWords", roleWords, roleWordsRe}} {
		matched := 0
		for _, l := range lines {
			want := set.re.MatchString(l)
			if got := set.p.match(l); got != want {
				t.Errorf("%s.match(%q) = %v, regexp says %v", set.name, l, got, want)
			}
			if want {
				matched++
			}
		}
		if matched < 5 {
			t.Errorf("%s: only %d of %d lines match: the comparison proves little", set.name, matched, len(lines))
		}
	}
}

func TestDetectFlags_PerLineSameAsWholeText(t *testing.T) {
	_, texts := corpusLines(t)
	raised := 0
	for _, text := range texts {
		f := detectFlags(text)
		got := [4]bool{f.PPN, f.DomesticAbuse, f.AllegationAgainstProfessional, f.Radicalisation}
		if want := wholeTextFlags(text); got != want {
			t.Errorf("flags %v, whole-text detection says %v, for:\n%s", got, want, text)
		}
		for _, b := range got {
			if b {
				raised++
			}
		}
	}
	if raised < 4 {
		t.Errorf("only %d flags raised over %d texts: the comparison proves little", raised, len(texts))
	}
}

var signOffRe = regexp.MustCompile(`(?i)^\s*(?:(?:kind(?:est)?|best|warm(?:est)?|many)\s+)?(?:regards|wishes|thanks|thank you)[,.!]*\s*$|^\s*yours\s+(?:sincerely|faithfully)[,.]*\s*$|^\s*--\s*$`)

var signOffEdges = []string{
	"Kind regards", "kind regards,", "  Kindest   Regards!! ", "KIND\tREGARDS.", "Best wishes", "Warmest thanks",
	"Many thanks!", "Thanks", "thank you", "Thank  you", "Thank you.", "Thanks , ", "Regards ,", "Regards,\t.",
	"Yours sincerely,", "yours  faithfully", "Yours sincerely!", "Yours truly", "--", " -- ", "---", "-- x",
	"Kind regards Sam", "Regards from all", "best", "\u212Aind regards", "Many many thanks", "Best regards and thanks",
	"", " ", "Thanks\u00a0", "Warm regards\r", "Mrs Best", "regards regards",
}

func TestIsSignOffMatchesItsRegexp(t *testing.T) {
	lines, _ := corpusLines(t)
	matched := 0
	for _, l := range append(lines, signOffEdges...) {
		want := signOffRe.MatchString(l)
		if got := isSignOff(l); got != want {
			t.Errorf("isSignOff(%q) = %v, regexp says %v", l, got, want)
		}
		if want {
			matched++
		}
	}
	if matched < 10 {
		t.Errorf("only %d lines are sign-offs: the comparison proves little", matched)
	}
}
