package email

import (
	"slices"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/domain"
)

// Eleventh round (t11b): children a referrer names in passing, as every writer does when the email is about one
// child and a brother or sister lives in the same house.

var (
	// kinAsideRe: a brother, sister, son, daughter or baby named by a given name, and said to be a child straight
	// after the name — an age in brackets ("their big brother Felix (aged 8)"), the child's own age told in brackets
	// ("His big sister Maisie (she's 6, …"), a school year in brackets or said of the name ("His sister Shirin (Year
	// 5, Colindale Primary)", "Her younger brother Alfie is in Year 2 at …") or an age in months ("baby Zion (10
	// months)"). Matched at a kin word found by kinWordAt; the kin word is in lower case (a ward "Sister" or a
	// religious "Brother" is a title, capitalised). Groups: 1 the given name, 2 an age in years, 3 the child's told
	// age, 4 a school year, 5 an age in months, 6 an age after "aged" ("his brother Jake aged 4").
	kinAsideRe = lazy(`^(?:(?:half|step|twin)[- ]?)?(?:brother|sister|son|daughter|baby|sibling)(?:\s+(?:brother|sister|boy|girl|son|daughter))?,?\s+([A-Z][\p{L}'’-]+)(?:` +
		`\s*\((?:aged?\s+)?(\d{1,2})(?:\s*(?:yrs?|years?(?:\s+old)?|y/?o))?\s*[),;]` +
		`|\s*\((?:(?:she|he)(?:['’]s|\s+is)|aged?)\s+(?:only\s+|just\s+)?(\d{1,2})(?:\s*(?:yrs?|years?(?:\s+old)?))?\s*[),;]` +
		`|(?:\s*\((?:in\s+)?|,?\s+(?:who\s+)?(?:is\s+)?in\s+|,\s+)(?:Year|Yr|Y)\s?(\d{1,2}|R)\b` +
		`|\s*\((\d{1,2})\s*(?:months?|mths?|weeks?)(?:\s+old)?\s*[),;]` +
		`|,?\s+aged\s+(\d{1,2})(?:\s*(?:yrs?|years?(?:\s+old)?))?(?:[\s,.;:)!]|$))`)
)

// kinAsideWords are the words kinAsideRe starts at.
var kinAsideWords = []string{"brother", "sister", "son ", "son,", "daughter", "baby ", "sibling"}

// kinNotChild are the words before a kin word that make it no child's: an adult's brother or sister ("mum's
// brother Dean (17)", "her partner's son Kyle (aged 16)" is his, not this household's child as the email tells it,
// so it is left), or a title ("ward sister", "charge sister").
var kinNotChild = map[string]bool{"mum's": true, "mum’s": true, "mother's": true, "mother’s": true, "dad's": true,
	"dad’s": true, "father's": true, "father’s": true, "partner's": true, "partner’s": true, "boyfriend's": true,
	"boyfriend’s": true, "girlfriend's": true, "girlfriend’s": true, "stepdad's": true, "stepdad’s": true,
	"nan's": true, "nan’s": true, "grandmother's": true, "grandmother’s": true, "grandad's": true, "grandad’s": true,
	"aunt's": true, "aunt’s": true, "uncle's": true, "uncle’s": true, "carer's": true, "carer’s": true,
	"mums": true, "dads": true, "nans": true, "partners": true, "boyfriends": true, // as lower-case writers write them
	"ward": true, "charge": true, "night": true, "duty": true, "senior": true, "nursing": true, "theatre": true,
	"foster": true, "god": true, "in-law": true, "law": true}

// kinAsideChildren reads the children kinAsideRe names: a given name, with the age when one is said in years (a
// school year or an age in months says a child without giving a whole-year age). The family name is left to
// familyNames. A name that is a word of a place, a group, a school or a role is none.
func kinAsideChildren(text string) []domain.Child {
	var out []domain.Child
	for _, kw := range kinAsideWords {
		for i := 0; ; {
			j := strings.Index(text[i:], kw)
			if j < 0 {
				break
			}
			j += i
			i = j + len(kw)
			for _, p := range []string{"step", "half", "step-", "half-"} {
				if strings.HasSuffix(text[:j], p) && (j == len(p) || kinBoundary(text[j-len(p)-1])) {
					j -= len(p) // "stepbrother Kieran (14)", "half-sister Amber"
					break
				}
			}
			if j > 0 && !kinBoundary(text[j-1]) {
				continue // "grandson", "Jackson", "Hudson"
			}
			before := strings.TrimRight(text[max(0, j-40):j], " \t")
			prev := strings.ToLower(strings.Trim(before[strings.LastIndexAny(before, " \t\n(")+1:], ",.;:"))
			for _, adj := range []string{"big", "little", "older", "younger", "elder", "eldest", "youngest", "baby", "twin", "half", "step", "new", "half-", "step-"} {
				if prev == adj { // "their big brother": the word before the adjective says whose
					b := strings.TrimRight(before[:strings.LastIndexAny(before, " \t\n(")+1], " \t")
					prev = strings.ToLower(strings.Trim(b[strings.LastIndexAny(b, " \t\n(")+1:], ",.;:"))
					break
				}
			}
			if kinNotChild[prev] || strings.HasPrefix(prev, "grand") {
				continue
			}
			w := text[j:min(len(text), j+120)]
			m := kinAsideRe.FindStringSubmatchIndex(w)
			if m == nil {
				continue
			}
			name := w[m[2]:m[3]]
			if nameStop[strings.ToLower(name)] || isAgeStop[strings.ToLower(name)] || !plainName([]string{name}) ||
				placeWords.match(name) || groupWords.match(name) || orgNameWord(name) || shouting(name) {
				continue
			}
			age := 0
			for _, g := range []int{4, 6, 12} {
				if m[g] >= 0 {
					age = atoi(w[m[g]:m[g+1]])
				}
			}
			if age >= 18 {
				continue
			}
			out = append(out, domain.Child{GivenName: name, Age: age})
		}
	}
	return out
}

// kinBoundary: the byte before a kin word starts a word there.
func kinBoundary(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '(' || b == '-' || b == '"' || b == '\''
}

// courtesyTitled: v starts with the courtesy title a case system prints before any patient's name, a child's too
// ("Patient | Mr Tobias MENSAH-COLE", "Miss Ava HART", "Master Leo Hart"); rest is the name after it. "Mrs" and
// a professional's title ("Dr", "PC") are an adult's, never read so.
func courtesyTitled(v string) (rest string, ok bool) {
	w, rest, _ := strings.Cut(strings.TrimSpace(v), " ")
	switch strings.ToLower(strings.TrimRight(w, ".")) {
	case "mr", "master", "miss", "ms", "mx":
		return strings.TrimSpace(rest), strings.TrimSpace(rest) != ""
	}
	return "", false
}

// titledAdults are the form's children named with a courtesy title and not said to be a child by a date of birth
// or an age under 18 in the form: "Patient | Mr Tom Green" with no date, or with an adult's, is an adult patient.
func (fm *form) titledAdults() []int {
	var out []int
	for _, i := range fm.titled {
		c := fm.children[i]
		child := c.Age > 0 && c.Age < 18 ||
			!c.DateOfBirth.IsZero() && c.DateOfBirth.Time(time.UTC).AddDate(18, 0, 0).After(fm.ref)
		if !child && !slices.Contains(fm.adults, i) {
			out = append(out, i)
		}
	}
	return out
}

var (
	// ageRowRe: a row of a list of people written as columns — two or three name words, then an "Age N" column
	// where the other rows have a date of birth ("COLLINS Nevaeh    Age 2    No setting"), the age ending the row or
	// its column ("Age 5 block" is a sentence). Group 1 the name, 2 the age, 3 its unit.
	ageRowRe = lazy(`^([A-Z][\p{L}'’-]+(?:[ \t]+[A-Z][\p{L}'’-]+){1,2})(?:[ \t]*[,–-][ \t]*|[ \t]+)(?:[Aa]ged?|AGED?)[ \t]*:?[ \t]*(\d{1,2})([ \t]*(?:months?|mths?|weeks?|wks?|yrs?|years?)\b)?(?:[ \t]*$|[ \t]{2,}|\t|[ \t]*[,;()|–-])`)
	// dobRowRe: a row of the same list with a date of birth column ("BRIDGER Evie      DOB 22/10/2017").
	dobRowRe = lazy(`^([A-Z][\p{L}'’-]+(?:[ \t]+[A-Z][\p{L}'’-]+){1,2})(?:[ \t]*[,–-][ \t]*|[ \t]+)(?:DOB|D\.O\.B\.?|[Dd]ob|[Bb]orn|b\.)[ \t]*:?`)
)

// ageRowChildren reads the rows of a list of children that give an age where the other rows give a date of birth
// (a police notice's "CHILDREN" block: the youngest's date not known to the officer). A row is read only beside a
// child's row of the same list — a date of birth under 18, or another such age row — so a lone "Name  Age 34" or a
// line of a log is none; an age of 18 or more is an adult's row, and an age in months or weeks says a child
// without a whole-year age.
func ageRowChildren(text string, ref time.Time) []domain.Child {
	if !ageNumberCue(text) {
		return nil // (a cheap check first: most texts hold no "Age 2")
	}
	lines := strings.Split(text, "\n")
	type row struct {
		c     domain.Child
		ok    bool // an age row naming a child
		child bool // a child's row of either kind
	}
	rows := make([]row, len(lines))
	for i, line := range lines {
		t := strings.TrimSpace(line)
		if len(t) < 8 || len(t) > 120 || t[0] < 'A' || t[0] > 'Z' {
			continue
		}
		// (cheap checks first: most lines are no row of such a list)
		if m := ageRowMatch(t); m != nil {
			ws := strings.Fields(m[1])
			if !rowName(ws) {
				continue
			}
			a := atoi(m[2])
			unit := strings.ToLower(strings.TrimSpace(m[3]))
			if a >= 18 && (unit == "" || strings.HasPrefix(unit, "y")) || a == 0 {
				continue
			}
			var c domain.Child
			c.GivenName, c.FamilyName = givenFamily(ws)
			if unit == "" || strings.HasPrefix(unit, "y") {
				c.Age = a
			}
			rows[i] = row{c: c, ok: true, child: true}
			continue
		}
		if !containsAny(t, []string{"DOB", "D.O.B", "ob", "orn", "b."}) {
			continue
		}
		if m := dobRowRe.FindStringSubmatch(t); m != nil && rowName(strings.Fields(m[1])) {
			if h := firstDOB(t[len(m[0]):], ref); h != nil && h.d.Time(time.UTC).AddDate(18, 0, 0).After(ref) {
				rows[i].child = true
			}
		}
	}
	var out []domain.Child
	for i, r := range rows {
		if !r.ok {
			continue
		}
		near := false
		for _, d := range []int{-1, 1} {
			for j := i + d; j >= 0 && j < len(lines); j += d {
				if strings.TrimSpace(lines[j]) == "" {
					continue
				}
				near = near || rows[j].child
				break
			}
		}
		if near {
			out = append(out, r.c)
		}
	}
	return out
}

func ageRowMatch(t string) []string {
	if !containsAny(t, []string{"ge", "GE"}) {
		return nil
	}
	return ageRowRe.FindStringSubmatch(t)
}

// rowName: the words of a list row are a person's name, not a label, a role, a place or an adult's relation.
func rowName(ws []string) bool {
	if !plainName(ws) || agencyName(strings.Join(ws, " ")) || placeWords.match(strings.Join(ws, " ")) || groupWords.match(strings.Join(ws, " ")) {
		return false
	}
	for _, w := range ws {
		if isAgeStop[strings.ToLower(w)] || lowerIn(adultBefore, w) || lowerIn(numberWords, w) {
			return false
		}
	}
	return true
}

// childRelations are the relations a child is written with in brackets after its name in a list or a form's row.
var childRelations = map[string]bool{"brother": true, "sister": true, "son": true, "daughter": true, "sibling": true,
	"half-brother": true, "half-sister": true, "half brother": true, "half sister": true, "step-brother": true,
	"step-sister": true, "stepbrother": true, "stepsister": true, "step brother": true, "step sister": true,
	"stepson": true, "stepdaughter": true, "step-son": true, "step-daughter": true, "half-sibling": true,
	"nephew": true, "niece": true, "grandson": true, "granddaughter": true, "twin": true, "twin brother": true,
	"twin sister": true}

// withoutRelation drops each child's relation written in brackets straight after a name ("Alfie Penhaligon
// (half-brother), 8 - Northern Parade Junior School"), so the entry reads as "Alfie Penhaligon, 8 - …". Any other
// bracket ("(mother)", "(known as Lee)") is left as written.
func withoutRelation(e string) string {
	if strings.IndexByte(e, '(') < 0 {
		return e
	}
	var b strings.Builder
	for rest := e; ; {
		i := strings.IndexByte(rest, '(')
		j := -1
		if i > 0 {
			j = strings.IndexByte(rest[i:], ')')
		}
		if j < 0 {
			if b.Len() == 0 {
				return e
			}
			b.WriteString(rest)
			return b.String()
		}
		if j <= 20 && childRelations[strings.ToLower(strings.TrimSpace(rest[i+1:i+j]))] {
			b.WriteString(strings.TrimRight(rest[:i], " "))
		} else {
			b.WriteString(rest[:i+j+1])
		}
		rest = rest[i+j+1:]
	}
}

// subjectAgeRe: one part of a subject that is a name and an age said to be one — a unit ("JAYDEN PRICE 7YRS",
// "Mia Cole 4 yrs old", "Leo Hart aged 6", "Kai Moss, 9yo") or in brackets ("Tia Lowe (8)", "(aged 8)", "(8yrs)").
// Group 1 the name, 2, 3 or 4 the age.
var subjectAgeRe = lazy(`^([\p{L}'’-]+(?:[ \t]+[\p{L}'’-]+){1,2}),?[ \t]*(?:(?:(?i:aged?)[ \t]+)?(\d{1,2})[ \t]*(?i:yrs?|years?|yo|y/o)(?:[ \t]+(?i:old))?|\((?:(?i:aged?)[ \t]+)?(\d{1,2})(?:[ \t]*(?i:yrs?|years?|yo|y/o))?\)|(?i:aged?)[ \t]+(\d{1,2}))$`)

// subjectAgeChild reads the child a subject names with an age, its parts split at dashes, bars, colons and
// semicolons ("SAFEGUARDING REFERRAL - JAYDEN PRICE 7YRS - NN8 - INC 2611280093"): two or three capitalised or
// all-capitals name words (not a service's, a place's or a label's words) and an age under 18.
func subjectAgeChild(subject string) (domain.Child, bool) {
	s := subjectPrefix.ReplaceAllString(subject, "")
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '|' || r == ';' || r == ':' || r == '–' || r == '—' }) {
		for _, seg := range strings.Split(part, " - ") {
			seg = strings.TrimSpace(seg)
			for {
				w, rest := nextWord(seg)
				if rest == "" || !nameStop[strings.ToLower(w)] {
					break
				}
				seg = rest // "Safeguarding referral re JAYDEN PRICE AGED 7": the subject's words before the name
			}
			m := subjectAgeRe.FindStringSubmatch(seg)
			if m == nil {
				continue
			}
			ws := strings.Fields(m[1])
			ok := true
			for _, w := range ws {
				ok = ok && isNameWord(w) && !isAgeStop[strings.ToLower(w)] && !lowerIn(adultBefore, w) && !schoolYearWord(w) && !timeOrOpWord(w)
			}
			if !ok || !rowName(ws) {
				continue
			}
			a := atoi(m[2] + m[3] + m[4])
			if a <= 0 || a >= 18 {
				continue
			}
			var c domain.Child
			c.GivenName, c.FamilyName = givenFamily(ws)
			c.Age = a
			return c, true
		}
	}
	return domain.Child{}, false
}

// dashRowOthers keeps of the names read from the column just before a dash row's date (dashRowName) only those
// that may still be something: a school's words, dropped by the readers after, and a setting's initials that the
// email spells out ("KBA" beside "Kettering Buccleuch Academy"), which dropNotChildren turns into the row's child's
// school. Initials the email never spells out ("NCA") are no one's name.
func dashRowOthers(names [][]string, text string) [][]string {
	out := names[:0:0]
	for _, ws := range names {
		if len(ws) == 1 && shouting(ws[0]) && len(ws[0]) <= 5 && !settingInitials([]string{text})[strings.ToUpper(ws[0])] {
			continue
		}
		out = append(out, ws)
	}
	return out
}

// dashRowName: the name in the first column of a row written as columns between spaced dashes, the date of birth
// in a later column ("1. CORBIN WALSH - YR 9 - KBA - DOB 02/12/12 - ATT 38%", "ROSIE WALSH - YR 5 - HAWTHORN
// PRIMARY - DOB 14/5/17"): the row's child is the first column's, not the words of the column just before the
// date (a school's initials, a school). nil unless before (the row up to the date's cue) holds at least two
// columns and the first is two or three name words.
func dashRowName(before string) []string {
	if !strings.Contains(before, " - ") && !strings.Contains(before, " – ") {
		return nil
	}
	t := strings.TrimSpace(before)
	if m := bulletRe.FindStringSubmatch(t); m != nil {
		t = m[1]
	}
	t = strings.ReplaceAll(t, " – ", " - ")
	cols := strings.Split(t, " - ")
	if len(cols) < 2 {
		return nil
	}
	ws := strings.Fields(cols[0])
	if len(ws) < 2 || len(ws) > 3 || !rowName(ws) {
		return nil
	}
	for _, w := range ws {
		if !isNameWord(w) {
			return nil
		}
	}
	for _, c := range cols[1:] {
		if n := len(strings.Fields(c)); n == 0 || n > 4 || strings.ContainsAny(c, ",.;:()") {
			return nil // a sentence, not a row's column
		}
	}
	return ws
}

// possessiveDOBAt finds "his DOB is", "her date of birth is", "His D.O.B:" — the date of birth of the child named
// last before it in the sentence, as "he was born" is (pronounBorn): "It's about Frankie Doyle who comes to us
// Monday Tuesday and Thursday, his DOB is 14/10/23". Each is the cue's start and the end of the spaces after it.
func possessiveDOBAt(text string) [][]int {
	var out [][]int
	for _, cue := range []string{"DOB", "D.O.B", "dob", "date of birth", "Date of birth", "Date of Birth"} {
		for i := 0; ; {
			j := strings.Index(text[i:], cue)
			if j < 0 {
				break
			}
			j += i
			i = j + len(cue)
			if j < 4 {
				continue
			}
			if p := text[j-4 : j]; p != "his " && p != "her " && p != "His " && p != "Her " {
				continue
			}
			k := i
			if k < len(text) && text[k] == '.' {
				k++ // "D.O.B."
			}
			switch {
			case strings.HasPrefix(text[k:], " is "):
				k += len(" is ")
			case strings.HasPrefix(text[k:], ":"):
				k++
			default:
				continue
			}
			for k < len(text) && text[k] == ' ' {
				k++
			}
			out = append(out, []int{j - 4, k})
		}
	}
	return out
}

// possessiveDOBOfOther: cue is possessiveDOBAfterName's and the words between the name and it leave the sentence or
// speak of someone else, whose date it is ("I spoke to Jade Doyle about her son, his DOB is …": the son's, not
// hers); a sentence between is another's, but the full stop straight after the name is not ("I'm writing about Leo
// Smith. His DOB is …").
func possessiveDOBOfOther(cue, between string) bool {
	if c := cue[0] | 0x20; c != 'h' || !strings.HasPrefix(strings.ToLower(cue), "his") && !strings.HasPrefix(strings.ToLower(cue), "her") {
		return false // "he was born …", "she was born …"
	}
	if strings.ContainsAny(between, ".!?\n") && strings.Trim(between, ". ") != "" {
		return true // (a full stop just after the name is no other sentence's: "I'm writing about Leo Smith. His DOB is …")
	}
	for rest := between; rest != ""; {
		var w string
		w, rest = nextWord(rest)
		switch strings.ToLower(strings.Trim(w, ",;:()")) {
		case "son", "daughter", "child", "children", "baby", "boy", "girl", "brother", "sister", "kids", "grandson",
			"granddaughter", "nephew", "niece", "twins", "sibling", "siblings", "stepson", "stepdaughter", "mum", "dad",
			"mother", "father", "partner", "boyfriend", "girlfriend", "he", "she", "him", "her", "his":
			return true
		}
	}
	return false
}

// countKinJointRe: a count of brothers, sisters or children and their given names sharing one family name written
// straight after it, with no colon ("i have 2 sisters Lola and Mimi Okonkwo-Reid, lola is 7 …", "three kids Ava, Leo
// and Kit Dunn"). Group 1 the given names, 2 the family name.
var countKinJointRe = lazy(`\b(?:[2-5]|two|three|four|five)\s+(?:sisters|brothers|siblings|children|kids|boys|girls|sons|daughters|grandchildren)\s+((?:[A-Z][\p{L}'’-]+,\s*)*[A-Z][\p{L}'’-]+,?\s+(?:and|&)\s+[A-Z][\p{L}'’-]+)\s+([A-Z][\p{L}'’-]+)(?:[\s,.;:)!]|$)`)

// countKinJointChildren reads countKinJointRe's children when the email says each of them is an age under 18
// ("lola is 7", "Mimi is 2", in any case): a count of sisters is as often an adult's ("mum has two sisters Kelly and
// Dawn Price"), so a name without a child's age said of it reads none of them; so does a count after an adult's
// possessive ("mum's two sisters …").
func countKinJointChildren(text string) []domain.Child {
	if !containsAny(text, []string{"sisters", "brothers", "siblings", "children", "kids", "boys", "girls", "sons", "daughters"}) {
		return nil
	}
	var out []domain.Child
	for _, w := range cueWindows(text, []string{"sisters ", "brothers ", "siblings ", "children ", "kids ", "boys ", "girls ", "sons ", "daughters ", "grandchildren "}, 40, 120) {
		if !containsAny(w, []string{"2 ", "3 ", "4 ", "5 ", "two ", "three ", "four ", "five "}) {
			continue // (a cheap check first: no count before the word for children)
		}
		m := countKinJointRe.FindStringSubmatchIndex(w)
		if m == nil {
			continue
		}
		// (the window's own text: the count's possessive before it and the family name inside it)
		before := strings.TrimRight(w[:m[0]], " \t")
		prev := strings.ToLower(strings.Trim(before[strings.LastIndexAny(before, " \t\n(")+1:], ",.;:"))
		if kinNotChild[prev] {
			continue
		}
		family := w[m[4]:m[5]]
		if nameStop[strings.ToLower(family)] || !plainName([]string{family}) || placeWords.match(family) || orgNameWord(family) {
			continue
		}
		var kids []domain.Child
		for _, g := range strings.FieldsFunc(w[m[2]:m[3]], func(r rune) bool { return r == ',' || r == ' ' || r == '&' }) {
			if g == "and" {
				continue
			}
			if nameStop[strings.ToLower(g)] || isAgeStop[strings.ToLower(g)] || !plainName([]string{g}) {
				kids = nil
				break
			}
			a := lowerAgeOf(text, g)
			if a == 0 {
				a = lowerAgeOf(text, strings.ToLower(g))
			}
			if a == 0 {
				kids = nil
				break
			}
			kids = append(kids, domain.Child{GivenName: g, FamilyName: family, Age: a})
		}
		out = append(out, kids...)
	}
	return out
}

var (
	// babyNamedRe: a baby named by a given name. Group 1 the name.
	babyNamedRe = lazy(`^baby\s+([A-Z][\p{L}'’-]+)\b`)
	// babyAgeSaidRe: in the baby's sentence, the age it is ("she is 1", "he's 2") or turned in a month ("she was 1 in
	// January"); an age it was at some other time ("he was 2 when dad left") is none. Group 1 or 2 the age.
	babyAgeSaidRe = lazy(`\b(?:[Ss]he|[Hh]e)(?:(?:['’]s|\s+is)\s+(?:only\s+|just\s+)?(\d{1,2})(?:\s*(?:years?|yrs?)(?:\s+old)?)?(?:\s*[,;:)!–—-]|\s*$|\s+(?:and|but|so|now)\b)|\s+was\s+(?:only\s+|just\s+)?(\d{1,2})\s+in\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\b)`)
	// shesAFamilyRe: "she's a Fenn (not a Stokes)": the family a child is said to be of. Group 1 the family name.
	shesAFamilyRe = lazy(`\b(?:[Ss]he|[Hh]e)(?:['’]s|\s+is)\s+a\s+([A-Z][\p{L}'’-]+)\b`)
)

// babySentenceChildren reads a baby named by a given name with the age its sentence says ("Then there is the baby
// Rosie-Mae – she's Wayne's so she's a Fenn not a Stokes – she was 1 in January"), and its family name when the same
// sentence says which family it is of ("she's a Fenn") and the email writes that family name after a given name or
// a title ("Wayne Fenn"): a baby carrying its father's name. Without such a family name, the given name alone.
func babySentenceChildren(text string) []domain.Child {
	var out []domain.Child
	for i := 0; ; {
		j := strings.Index(text[i:], "baby ")
		if j < 0 {
			break
		}
		j += i
		i = j + len("baby ")
		if j > 0 && !kinBoundary(text[j-1]) {
			continue
		}
		w := text[j:min(len(text), j+200)]
		if k := strings.IndexAny(w, ".!?\n"); k >= 0 {
			w = w[:k]
		}
		m := babyNamedRe.FindStringSubmatch(w)
		if m == nil {
			continue
		}
		given := m[1]
		if nameStop[strings.ToLower(given)] || isAgeStop[strings.ToLower(given)] || !plainName([]string{given}) || shouting(given) {
			continue
		}
		a := babyAgeSaidRe.FindStringSubmatch(w[len(m[0]):])
		if a == nil {
			continue
		}
		age := atoi(a[1] + a[2])
		if age <= 0 || age >= 18 {
			continue
		}
		c := domain.Child{GivenName: given, Age: age}
		if f := shesAFamilyRe.FindStringSubmatch(w[len(m[0]):]); f != nil && f[1] != given && plainName([]string{f[1]}) && !schoolYearWord(f[1]) && familyWritten(text, f[1]) {
			c.FamilyName = f[1]
		}
		out = append(out, c)
	}
	return out
}

// areListRe: a sentence listing children after a word for them and "are" ("the other two are Nevaeh 7 and a baby boy
// Kairo, 10 months", "the kids are Mia 7, Leo 4 and Ava 2"), after a count of them and a dash or a colon ("Mum has 2
// kids - Mia 7 and Leo 4"), or after a children's label ("Children: Mia Cole 7, Leo Cole 4"): the list runs to the
// sentence's end.
var areListRe = lazy(`(?:\b(?:children|kids|siblings|other\s+(?:two|three|four|kids|children)|the\s+(?:two|three|four)(?:\s+of\s+them)?|sisters|brothers)\s+(?:are|were)\s+|\b(?:[2-5]|two|three|four|five)\s+(?:kids|children|sons|daughters|boys|girls)\s*[-–:]\s*|^\s*(?:[Cc]hildren|[Kk]ids|[Ss]iblings|CHILDREN|KIDS|SIBLINGS)\s*:\s*)([^.!?\n]{3,160})`)

// areListBareAges reads the items of areListRe's list written as one to three name words and a bare age ("Nevaeh 7",
// "Mia Cole 7"): each a child of that age. An item of any other shape is left to the other readers; a school
// year's, a room's or a place's word with a number is none ("Year 7", "Flat 2").
func areListBareAges(text string) []domain.Child {
	if !containsAny(text, []string{" are ", " were ", "kids", "children", "Children", "CHILDREN", "iblings", "IBLINGS", "Kids", "KIDS", "sons", "daughters", "boys", "girls"}) {
		return nil
	}
	var out []domain.Child
	for _, w := range cueWindows(text, []string{" are ", " were ", " kids", " children", "Children", "CHILDREN", "iblings", "IBLINGS", "Kids", "KIDS", " sons", " daughters", " boys", " girls"}, 60, 170) {
		if !areListCue(w) {
			continue // (a cheap check first: most "are"s follow no word for children)
		}
		m := areListRe.FindStringSubmatch(w)
		if m == nil {
			continue
		}
	items:
		for _, part := range strings.Split(strings.ReplaceAll(m[1], " and ", ","), ",") {
			ws := strings.Fields(part)
			if len(ws) < 2 || len(ws) > 4 {
				continue
			}
			a := atoi(ws[len(ws)-1])
			if strings.Trim(ws[len(ws)-1], "0123456789") != "" || a <= 0 || a >= 18 {
				continue
			}
			ws = ws[:len(ws)-1]
			for _, g := range ws {
				if !isNameWord(g) || shouting(g) || nameStop[strings.ToLower(g)] || isAgeStop[strings.ToLower(g)] || !plainName([]string{g}) ||
					schoolYearWord(g) || placeWords.match(g) || groupWords.match(g) || orgNameWord(g) {
					continue items
				}
			}
			out = append(out, agedChild(ws, a))
		}
	}
	return out
}

// areListCue: a window of cueWindows may hold areListRe's lead: a word for children (or "others", "two", "them")
// before "are"/"were", a dash or a colon after a word for children, or a children's label at the line's start.
func areListCue(w string) bool {
	for _, are := range []string{" are ", " were "} {
		for i := 0; ; {
			j := strings.Index(w[i:], are)
			if j < 0 {
				break
			}
			j += i
			i = j + len(are)
			b := w[:j]
			prev := strings.ToLower(b[strings.LastIndexAny(b, " \t")+1:])
			switch prev {
			case "children", "kids", "siblings", "two", "three", "four", "them", "sisters", "brothers":
				return true
			}
		}
	}
	for _, kin := range []string{"kids", "children", "Children", "CHILDREN", "iblings", "IBLINGS", "Kids", "KIDS", "sons", "daughters", "boys", "girls"} {
		for i := 0; ; {
			j := strings.Index(w[i:], kin)
			if j < 0 {
				break
			}
			i = j + i + len(kin)
			if r := strings.TrimLeft(w[i:], " \t"); strings.HasPrefix(r, ":") || strings.HasPrefix(r, "-") || strings.HasPrefix(r, "–") {
				return true // "2 kids - …", "Children: …"
			}
		}
	}
	return false
}

// schoolYearWord: a word that numbers a school year, a class, a group or a place ("Year 7", "Class 4", "Set 2",
// "Bay 4", "Cubicle 3").
func schoolYearWord(w string) bool {
	switch strings.ToLower(w) {
	case "year", "yr", "class", "set", "group", "form", "key", "stage", "level", "grade", "reception", "room", "number", "no",
		"bay", "pod", "zone", "area", "gate", "platform", "cubicle", "cell", "suite", "plot", "pitch", "session", "lesson",
		"period", "apartment", "apt", "bedroom", "bedrooms", "car", "van", "cab", "taxi", "line", "channel", "tab", "tier":
		return true
	}
	return false
}

// cueWindows are the stretches of text around each occurrence of a cue, from back bytes before it to ahead bytes
// after it (cut to the line): the expressions of this file's readers run over these, not over a whole body (most
// bodies hold none of the cues, and an expression over every body was a few per cent of intake's time).
func cueWindows(text string, cues []string, back, ahead int) []string {
	var out []string
	for _, cue := range cues {
		for i := 0; ; {
			j := strings.Index(text[i:], cue)
			if j < 0 {
				break
			}
			j += i
			i = j + len(cue)
			start, end := max(0, j-back), min(len(text), j+ahead)
			if k := strings.LastIndexByte(text[start:j], '\n'); k >= 0 {
				start += k + 1
			}
			if k := strings.IndexByte(text[j:end], '\n'); k >= 0 {
				end = j + k
			}
			out = append(out, text[start:end])
		}
	}
	return out
}

// ageNumberCue: text holds "age" or "aged" (any case) followed by a figure ("Age 2", "aged: 7", "AGE 12").
func ageNumberCue(text string) bool {
	for i := 0; ; {
		j := strings.IndexAny(text[i:], "gG")
		if j < 0 {
			return false
		}
		j += i
		i = j + 1
		if j == 0 || text[j-1]|0x20 != 'a' || j+1 >= len(text) || text[j+1]|0x20 != 'e' {
			continue
		}
		k := j + 2
		if k < len(text) && text[k]|0x20 == 'd' {
			k++
		}
		for k < len(text) && (text[k] == ' ' || text[k] == ':' || text[k] == '\t') {
			k++
		}
		if k > j+2 && k < len(text) && text[k] >= '0' && text[k] <= '9' {
			return true
		}
	}
}

// givenBeforeFamily: the possessive of "Leo Smith's DOB is …" follows a full name, its family name the possessive's
// word. ok with the given name when the word before is a name word and the email writes the two together elsewhere
// too ("Leo Smith" without the possessive); g is "?" (and ok false) when a name word is before it but the pair is
// written nowhere else ("Yesterday Leo's DOB …" and "Leo Smith's DOB …" read alike), so no child is read rather than
// "Smith" alone; "" when no name word is before it ("Freddie's DOB is …").
func givenBeforeFamily(text, before, family string) (g string, ok bool) {
	t := strings.TrimRight(before, " ")
	if len(t) == len(before) {
		return "", false
	}
	w := t[strings.LastIndexAny(t, " \t\n(")+1:]
	if !isNameWord(w) || nameStop[strings.ToLower(w)] || isAgeStop[strings.ToLower(w)] {
		return "", false
	}
	full := w + " " + family
	for i := 0; ; {
		j := strings.Index(text[i:], full)
		if j < 0 {
			return "?", false
		}
		j += i
		i = j + len(full)
		if rest := text[i:]; !strings.HasPrefix(rest, "'s") && !strings.HasPrefix(rest, "’s") {
			return titleIfShouting(w), true
		}
	}
}

var (
	// nameAgeUnitRe: a full name and its age said to be one between commas or in brackets ("Mia Cole, 7 yrs old,
	// told me", "Leo Cole, age 4, was …", "Mia Cole, 7yo,", "Leo Cole (4 yrs old)"; "John Smith, 10 years," is as
	// often a length of service), or said to be an age in years as a child ("Mia Cole is a 7 year old girl", not "…
	// girl's mother"). Group 1 the name, 2-5 the age.
	nameAgeUnitRe = lazy(`\b([A-Z][\p{L}'’-]+[ \t]+[A-Z][\p{L}'’-]+)(?:,[ \t]*(?:aged?[ \t]+(\d{1,2})(?:[ \t]*(?:yrs?|years?)(?:[ \t]+old)?)?|(\d{1,2})[ \t]*(?:(?:yrs?|years?)[ \t]+old|y/?o))[ \t]*[,;)]|[ \t]*\((?:aged?[ \t]+)?(\d{1,2})[ \t]*(?:yrs?|years?)[ \t]+old\)|[ \t]+is[ \t]+an?[ \t]+(\d{1,2})[- ]years?[- ]old[ \t]+(?:girl|boy|child|pupil|student|young person|lad|son|daughter)\b)`)
)

// nameAgeSaidChildren reads nameAgeUnitRe's children: a name that is a person's (not a place's, a group's or a
// service's words), not after an adult's relation ("her partner, Dean Price, 17 yrs,"), and an age under 18. (Given
// names alone with their ages between commas, "Keira, 12, and Logan, 9", are left unread, as
// TestPortsmouth_ChildDetails_ReadAsReferrersWriteThem holds.)
func nameAgeSaidChildren(text string) []domain.Child {
	var out []domain.Child
	ok := func(ws []string, before string, age int) bool {
		if age <= 0 || age >= 18 || adultNamedBefore(before) || !plainName(ws) || agencyName(strings.Join(ws, " ")) {
			return false
		}
		for _, w := range ws {
			if nameStop[strings.ToLower(w)] || isAgeStop[strings.ToLower(w)] || shouting(w) || schoolYearWord(w) ||
				placeWords.match(w) || groupWords.match(w) || orgNameWord(w) {
				return false
			}
		}
		return true
	}
	for _, w := range cueWindows(text, []string{"yrs", "years", "year old", "year-old", "yo ", "yo,", "yo)", "y/o", " age "}, 60, 40) {
		for _, m := range nameAgeUnitRe.FindAllStringSubmatchIndex(w, -1) {
			ws := strings.Fields(w[m[2]:m[3]])
			age := 0
			for g := 4; g <= 10; g += 2 {
				if m[g] >= 0 {
					age = atoi(w[m[g]:m[g+1]])
				}
			}
			if r := w[m[1]:]; strings.HasPrefix(r, "'s") || strings.HasPrefix(r, "’s") {
				continue // "Sue Lee is a 7 year old child's mother"
			}
			if ok(ws, w[:m[2]], age) {
				out = append(out, agedChild(ws, age))
			}
		}
	}
	return out
}

// timeOrOpWord: a word of a length of time or of a police operation's name ("Early Years 3yrs", "Op Falcon 2yrs"),
// never a child's name.
func timeOrOpWord(w string) bool {
	switch strings.ToLower(w) {
	case "years", "year", "yrs", "months", "weeks", "days", "early", "op", "operation", "project", "programme", "scheme":
		return true
	}
	return false
}

// writtenCase gives a name read from capitals ("MCKENZIE" → "Mckenzie") the case the email writes it in elsewhere
// ("Mum (Gemma McKenzie)"): the first mixed-case spelling of the same letters, as a word, in any text. A name the
// email never wrote in capitals, or never wrote in mixed case, stays as read.
func writtenCase(name string, texts []string) string {
	if name == "" || titleIfShouting(name) != name || !startsUpper(name) {
		return name
	}
	up := strings.ToUpper(name)
	if up == name {
		return name
	}
	inCaps := false
	for _, t := range texts {
		inCaps = inCaps || strings.Contains(t, up)
	}
	if !inCaps {
		return name
	}
	for _, t := range texts {
		for i := 0; i+len(name) <= len(t); {
			j := strings.IndexAny(t[i:], name[:1]+strings.ToLower(name[:1]))
			if j < 0 || i+j+len(name) > len(t) {
				break
			}
			j += i
			i = j + 1
			w := t[j : j+len(name)]
			if !strings.EqualFold(w, name) || w == name || w == up || strings.ToLower(w) == w {
				continue
			}
			if j > 0 && isLetterByte(t[j-1]) || j+len(name) < len(t) && isLetterByte(t[j+len(name)]) {
				continue // part of a longer word
			}
			return w
		}
	}
	return name
}

// writtenCases is writtenCase for every child's given and family names.
func writtenCases(ks []*kid, texts []string) {
	for _, k := range ks {
		k.c.GivenName = writtenCase(k.c.GivenName, texts)
		k.c.FamilyName = writtenCase(k.c.FamilyName, texts)
	}
}
