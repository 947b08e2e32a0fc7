package email

import (
	"encoding/json"
	"fmt"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/domain"
)

// The referral corpus (events/email/corpus, issue #18): every field the extractor claims is scored against
// what a careful reader finds in the email. A wrong value is worse than none, so precision is held at 0.98
// per field; recall at 0.9 for the child's name and date of birth and 0.8 for school, consent and immediate
// harm, on the tuning part, on the held-out part (set "heldout") and on the whole corpus. Rounds 1-3's
// held-out parts (046-063, 064-089, 090-107) were each measured once and are now tuning data
// (events/email/README.md); a held-out part is scored apart, and its per-email mistakes are printed only with
// CORPUS_SHOW_HELDOUT=1.

func loadExpected(t testing.TB) []expectedMail {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpusDir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var exp []expectedMail
	if err := json.Unmarshal(b, &exp); err != nil {
		t.Fatal(err)
	}
	return exp
}

// parseCorpusMail parses one corpus file as intake does, received when its Date header says.
func parseCorpusMail(t testing.TB, file string) *Message {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(corpusDir, file))
	if err != nil {
		t.Fatal(err)
	}
	hm, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	date, err := hm.Header.Date()
	if err != nil {
		t.Fatal(err)
	}
	m, err := Parse(raw, Options{Received: date, ColleagueDomains: []string{"portsmouthcc.gov.uk"}})
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return m
}

// tally is one field's counts: values claimed, claimed values that are right, values the corpus holds.
type tally struct{ claimed, correct, expected int }

func (t tally) precision() float64 {
	if t.claimed == 0 {
		return 1
	}
	return float64(t.correct) / float64(t.claimed)
}

func (t tally) recall() float64 {
	if t.expected == 0 {
		return 1
	}
	return float64(t.correct) / float64(t.expected)
}

var scoredFields = []string{"child.name", "child.dateOfBirth", "child.age", "child.school", "immediateHarm", "consent", "children (count per email)"}

// scoreRow is one row of the score table: a field, scored by one rule.
type scoreRow struct {
	field, label string
	rule         scoreRule
}

// scoreRows are the score table's rows: each field by the incomplete-names rule, and each child field again by
// the exact-names rule, so that both figures are reported.
var scoreRows = func() (rows []scoreRow) {
	for _, f := range scoredFields {
		rows = append(rows, scoreRow{f, "", incompleteNames})
		if strings.HasPrefix(f, "child.") {
			rows = append(rows, scoreRow{f, " (old rule: a first name alone is wrong)", exactNames})
		}
	}
	return rows
}()

type scores map[string]*tally

func (s scores) add(f string, claimed, correct, expected bool) {
	t := s[f]
	if t == nil {
		t = &tally{}
		s[f] = t
	}
	if claimed {
		t.claimed++
	}
	if correct {
		t.correct++
	}
	if expected {
		t.expected++
	}
}

func norm(s string) string { return domain.NormaliseName(s) }

// scoreRule says how a child read by a given name alone is scored.
type scoreRule int

const (
	// incompleteNames (the rule the targets hold on, since the tenth round): a child read by a given name alone
	// ("her brother Noël, who is 9"), whose contact says the family name is missing (extraction.missing
	// "child.familyName", needsCompletion), and whose given name is the first word of an annotated child's name
	// ("Noël Mbuyi") that no read child has, is that child with an incomplete name: the name is neither claimed
	// nor recalled (not wrong, not right), and its date of birth, age and school are scored against that child.
	incompleteNames scoreRule = iota
	// exactNames (the rule until the ninth round): such a child's name is a wrong name, its age, date of birth
	// and school wrong values, and the annotated child missed.
	exactNames
)

// scoreMail scores one email's extraction against its expectation; mistakes lists what went wrong, for
// the tuning set only (the held-out part is not looked at in detail).
func scoreMail(s scores, e expectedMail, m *Message, rule scoreRule) (mistakes []string) {
	type got struct {
		c   domain.Child
		ext domain.Extraction
	}
	var gots []got
	for i, c := range m.Children {
		if c.GivenName == "" && c.FamilyName == "" && c.DateOfBirth.IsZero() && c.Age == 0 && c.School == "" {
			continue
		}
		var x domain.Extraction
		if i < len(m.Extractions) {
			x = m.Extractions[i]
		}
		gots = append(gots, got{c, x})
	}
	// Match each extracted child to an expected one: by name, else (unnamed) by date of birth.
	match := make([]int, len(gots))
	used := make([]bool, len(e.Children))
	for i, g := range gots {
		match[i] = -1
		name := norm(g.c.GivenName + g.c.FamilyName)
		for j, ec := range e.Children {
			if used[j] {
				continue
			}
			if name != "" && name == norm(ec.Name) || name == "" && !g.c.DateOfBirth.IsZero() && g.c.DateOfBirth.String() == ec.DOB {
				match[i], used[j] = j, true
				break
			}
		}
	}
	incomplete := make([]bool, len(gots))
	for i, g := range gots {
		if rule != incompleteNames || match[i] >= 0 || !firstNameOnly(g.c) || !slices.Contains(g.ext.Missing, "child.familyName") || !m.NeedsCompletion {
			continue
		}
		for j, ec := range e.Children {
			if first, rest, ok := strings.Cut(strings.TrimSpace(ec.Name), " "); !used[j] && ok && strings.TrimSpace(rest) != "" && norm(first) == norm(g.c.GivenName) {
				match[i], used[j], incomplete[i] = j, true, true
				break
			}
		}
	}
	for i, g := range gots {
		var ec expectedChild
		if match[i] >= 0 {
			ec = e.Children[match[i]]
		}
		name := strings.TrimSpace(g.c.GivenName + " " + g.c.FamilyName)
		if incomplete[i] {
			mistakes = append(mistakes, fmt.Sprintf("child %q read without the family name of %q (incomplete: not scored as a name)", name, ec.Name))
		} else if name != "" {
			ok := match[i] >= 0
			s.add("child.name", true, ok, false)
			if !ok {
				mistakes = append(mistakes, fmt.Sprintf("child %q not in the email's children", name))
			}
		}
		if !g.c.DateOfBirth.IsZero() {
			ok := match[i] >= 0 && g.c.DateOfBirth.String() == ec.DOB
			s.add("child.dateOfBirth", true, ok, false)
			if !ok {
				mistakes = append(mistakes, fmt.Sprintf("child %q dob %s, want %q", name, g.c.DateOfBirth, ec.DOB))
			}
		}
		if g.c.Age != 0 {
			ok := match[i] >= 0 && g.c.Age == ec.Age
			s.add("child.age", true, ok, false)
			if !ok {
				mistakes = append(mistakes, fmt.Sprintf("child %q age %d, want %d", name, g.c.Age, ec.Age))
			}
		}
		if g.c.School == "" && ec.School != "" {
			mistakes = append(mistakes, fmt.Sprintf("child %q: missed school %q", name, ec.School))
		}
		if g.c.School != "" {
			ok := match[i] >= 0 && ec.School != "" && strings.Contains(norm(g.c.School), norm(ec.School))
			s.add("child.school", true, ok, false)
			if !ok {
				mistakes = append(mistakes, fmt.Sprintf("child %q school %q, want %q", name, g.c.School, ec.School))
			}
		}
	}
	for j, ec := range e.Children {
		if ec.Name != "" {
			s.add("child.name", false, false, true)
		}
		if ec.DOB != "" {
			s.add("child.dateOfBirth", false, false, true)
		}
		if ec.Age != 0 {
			s.add("child.age", false, false, true)
		}
		if ec.School != "" {
			s.add("child.school", false, false, true)
		}
		if !used[j] {
			mistakes = append(mistakes, fmt.Sprintf("missed child %q %s", ec.Name, ec.DOB))
		}
	}
	// Message-level answers: claimed when the extraction records where it read them.
	claimedHarm := false
	if len(m.Extractions) > 0 {
		for _, f := range m.Extractions[0].Fields {
			if f.Field == "immediateHarm" {
				claimedHarm = true
			}
		}
	}
	harm := map[bool]string{true: "yes", false: "no"}[m.ImmediateHarm]
	s.add("immediateHarm", claimedHarm, claimedHarm && harm == e.ImmediateHarm, e.ImmediateHarm != "")
	if claimedHarm && harm != e.ImmediateHarm || !claimedHarm && e.ImmediateHarm != "" {
		mistakes = append(mistakes, fmt.Sprintf("immediate harm claimed=%v %s, want %q", claimedHarm, harm, e.ImmediateHarm))
	}
	claimedConsent := m.Consent.Status != "" && m.Consent.Status != domain.ConsentUnknown
	s.add("consent", claimedConsent, claimedConsent && string(m.Consent.Status) == e.Consent, e.Consent != "")
	if claimedConsent && string(m.Consent.Status) != e.Consent || !claimedConsent && e.Consent != "" {
		mistakes = append(mistakes, fmt.Sprintf("consent %q, want %q", m.Consent.Status, e.Consent))
	}
	s.add("children (count per email)", true, len(gots) == len(e.Children), true)
	return mistakes
}

// scoreCorpus scores every email by the incomplete-names rule (all) and by the exact-names rule (old).
func scoreCorpus(t *testing.T) (all, old map[string]scores, mistakes map[string][]string) {
	all = map[string]scores{"tune": {}, "heldout": {}, "all": {}}
	old = map[string]scores{"tune": {}, "heldout": {}, "all": {}}
	mistakes = map[string][]string{}
	for _, e := range loadExpected(t) {
		m := parseCorpusMail(t, e.File)
		msgs := scoreMail(all[e.Set], e, m, incompleteNames)
		scoreMail(all["all"], e, m, incompleteNames)
		scoreMail(old[e.Set], e, m, exactNames)
		scoreMail(old["all"], e, m, exactNames)
		if e.Set == "tune" || os.Getenv("CORPUS_SHOW_HELDOUT") != "" {
			mistakes[e.File] = msgs
		}
	}
	return all, old, mistakes
}

func TestCorpus_Score(t *testing.T) {
	exp := loadExpected(t)
	if len(exp) < 60 {
		t.Errorf("the corpus has %d emails, want at least 60", len(exp))
	}
	all, old, mistakes := scoreCorpus(t)
	var rep strings.Builder
	fmt.Fprintf(&rep, "\n| field | tuning P | tuning R | held-out P | held-out R | all P | all R |\n|---|---|---|---|---|---|---|\n")
	for _, row := range scoreRows {
		f := row.field
		fmt.Fprintf(&rep, "| %s%s |", f, row.label)
		for _, set := range []string{"tune", "heldout", "all"} {
			tl := map[scoreRule]map[string]scores{incompleteNames: all, exactNames: old}[row.rule][set][f]
			if tl == nil {
				tl = &tally{}
			}
			ratio := func(v float64, n int) string {
				if n == 0 {
					return "—" // nothing claimed, or nothing to find (an empty held-out part)
				}
				return fmt.Sprintf("%.2f", v)
			}
			fmt.Fprintf(&rep, " %s (%d/%d) | %s (%d/%d) |", ratio(tl.precision(), tl.claimed), tl.correct, tl.claimed, ratio(tl.recall(), tl.expected), tl.correct, tl.expected)
		}
		rep.WriteString("\n")
	}
	t.Log(rep.String())
	var files []string
	for f := range mistakes {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, f := range files {
		for _, msg := range mistakes[f] {
			t.Logf("%s: %s", f, msg)
		}
	}
	minRecall := map[string]float64{"child.name": 0.9, "child.dateOfBirth": 0.9, "child.school": 0.8, "consent": 0.8, "immediateHarm": 0.8}
	for _, row := range scoreRows {
		f := row.field
		for _, set := range []string{"tune", "heldout", "all"} {
			tl := map[scoreRule]map[string]scores{incompleteNames: all, exactNames: old}[row.rule][set][f]
			if tl == nil || f == "children (count per email)" {
				continue
			}
			check := func(metric string, got, min float64) {
				key := set + " " + f + " " + metric
				if row.rule == exactNames {
					key += " (old rule)"
				}
				reason, known := unmetTargets[key]
				switch {
				case got < min && known:
					t.Logf("NOT MET: %s %.3f < %.2f (%s)", key, got, min, reason)
				case got < min:
					t.Errorf("%s %.3f < %.2f", key, got, min)
				case known:
					t.Errorf("%s %.3f now meets %.2f: take it out of unmetTargets (and the README's list)", key, got, min)
				}
			}
			check("precision", tl.precision(), 0.98)
			if r, ok := minRecall[f]; ok {
				check("recall", tl.recall(), r)
			}
		}
	}
}

// unmetTargets are the targets the corpus does not reach, each said in the README: they are logged as NOT MET
// rather than failing every build, and the test fails when one of them is met so that the list stays true.
// Rounds 7 (250-279), 8 (310-359), 9 (390-449) and 10 (480-539), each written apart and measured once after its
// round's changes (the README keeps their tables), are tuning data since, as are tuning rounds t8 (280-309), t9
// (360-389) and t10 (450-479). Round 11 (540-599) is held out, measured once (roundEleven).
var unmetTargets = map[string]string{
	"heldout child.name precision":                   roundEleven,
	"heldout child.name recall":                      roundEleven,
	"heldout child.name precision (old rule)":        roundEleven,
	"heldout child.name recall (old rule)":           roundEleven,
	"heldout child.dateOfBirth precision":            roundEleven,
	"heldout child.dateOfBirth recall":               roundEleven,
	"heldout child.dateOfBirth precision (old rule)": roundEleven,
	"heldout child.dateOfBirth recall (old rule)":    roundEleven,
	"heldout child.age precision":                    roundEleven,
	"heldout child.age precision (old rule)":         roundEleven,
	"heldout child.school precision":                 roundEleven,
	"heldout child.school recall":                    roundEleven,
	"heldout child.school precision (old rule)":      roundEleven,
	"heldout child.school recall (old rule)":         roundEleven,
	"heldout consent precision":                      roundEleven,
	"heldout consent recall":                         roundEleven,
	"tune child.age precision (old rule)":            relativesFirstNames,
	"all child.age precision (old rule)":             relativesFirstNames,
}

// roundEleven: round 11 (540-599), written apart by three writers, measured once after the eleventh round's changes
// (main at 8b10a8f): name 0.95 / 0.75, date of birth 0.95 / 0.84, age 0.88, school 0.94 / 0.63, consent 0.976 / 0.77;
// immediate harm 1.00 / 0.90 met. The README ("Round 11, held out, measured once") says so.
const roundEleven = "round 11 held out, measured once after the eleventh round's changes: the README says so"

// relativesFirstNames: by the old rule (exactNames) only, the wrong ages left: relatives named by a given name
// alone, with an age, whose family name the email never writes with them — "her daughter Sienna, who is 6" (254),
// "His younger brother Tre is 12" (155), "her brother Théo (10)" (387), "Adrián, who is 4" (346), round 9's "her
// brother Noël, who is 9" (438), t10's 467 and 478, and siblings written in lower case (t10's "kai and lily-rose
// bennett … kai is 8", 455) — read as the given name alone, annotated with the family name. (t10's 466, "my sisters
// are amelia and grace …", says the surname since the eleventh round reads it: "they all have my step dads surname
// frimpong".)
// The corpus's writers split on it ("her son Tyler (9)", 029; "Her brother Jayden is 9", 306 are annotated by the
// given name only), and the extractor writes no family name the email does not give with the child (393's "Their
// surname is Pearce" and 446's "the Greene children" say it, and are read): it says the family name is missing
// (needsCompletion), which the incomplete-names rule the targets hold on scores as that child's incomplete name.
const relativesFirstNames = "by the old rule, relatives' given names read without a family name the email never writes with them, annotated with one (254, 155, 387, 346, 438; t10: 455, 467, 478): the README says so"
