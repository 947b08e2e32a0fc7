package email

import (
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/domain"
)

// The ninth round's school rules (Portsmouth §4.6: the child's school or setting). A wrong school sends the
// screener to the wrong DSL, so every rule here either reads a school the email gives the child in so many words
// or keeps one away from a child the email places elsewhere.

// noSetting: a setting's answer that names no setting — the child is at home ("At home", "At home with mum",
// "Home – not in a setting"), waiting for a place ("Awaiting a school place"), too young, or out of education.
// "Home Farm Day Nursery" is a setting.
func noSetting(v string) bool {
	l := strings.ToLower(strings.Trim(strings.TrimSpace(v), ".-–—:"))
	if noValue(l) {
		return true
	}
	for _, p := range noSettingStarts {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	switch l {
	case "baby", "a baby", "newborn", "unborn", "n/k", "not known":
		return true
	}
	if rest, ok := strings.CutPrefix(l, "home"); ok {
		// "Home", "Home with mum", "Home - no place": home and no name after it
		rest = strings.TrimSpace(rest)
		orig := strings.TrimSpace(strings.TrimSpace(v)[len("home"):])
		return rest == "" || !startsUpper(orig)
	}
	return false
}

var noSettingStarts = []string{"at home", "stays at home", "cared for at home", "with mum", "with mother", "with dad", "with father",
	"with parent", "with grandparent", "with nan", "awaiting", "waiting", "too young", "not yet", "none yet", "no place", "no nursery",
	"no setting", "no school", "under school age", "below school age", "pre-school age", "preschool age", "not of school age",
	"home schooled", "home-schooled", "home school", "home-educated", "ehe", "child missing education", "missing education",
	"out of education", "no education", "unknown", "tbc", "to be confirmed", "n/a"}

// notInSettingRe: the email says a child is at home or in no setting — "Jasmine is at home with mum", "Archie (2yrs) -
// at home with mum, no nursery place", "Séamus, 3 (at home, not in a setting)", "who is not in a nursery".
var notInSettingRe = lazy(`(?i)^[^.;\n]{0,40}?(?:\b(?:is|are|stays?|remains?|cared\s+for)\s+(?:currently\s+|still\s+)?at\s+home\b|[-–(,:]\s*(?:at\s+home|home\s+with)\b|\b(?:not|isn['’]t|aren['’]t)\s+(?:yet\s+)?(?:in|at|attending)\s+(?:a\s+|any\s+)?(?:nursery|school|setting|pre-?school|education|childcare)\b|\bno\s+(?:nursery|school|pre-?school|childcare)\s+place\b|\b(?:too\s+young|not\s+(?:yet\s+)?(?:of\s+)?school\s+age)\b|\bhome[- ](?:educated|schooled)\b)`)

// notInSetting: a sentence or line that names the child (by full name, or by given name when no other child
// shares it) goes on to say the child is at home or in no setting. A school shared with the other children
// ("Both children attend …", a form's one school answer) is then not this child's.
func notInSetting(text string, c domain.Child, givens []string) bool {
	if c.GivenName == "" {
		return false
	}
	same := 0
	for _, g := range givens {
		if g == c.GivenName {
			same++
		}
	}
	names := []string{strings.TrimSpace(c.GivenName + " " + c.FamilyName)}
	if same <= 1 && c.FamilyName != "" {
		names = append(names, c.GivenName)
	}
	for _, name := range names {
		for from := 0; from < len(text); {
			i := strings.Index(text[from:], name)
			if i < 0 {
				break
			}
			i += from
			from = i + len(name)
			if i > 0 && isWordByte(text[i-1]) || from < len(text) && isWordByte(text[from]) {
				continue
			}
			if notInSettingRe.MatchString(text[from:]) {
				return true
			}
		}
	}
	return false
}

// groupNamesRe: the names before a shared school's verb — "Leon and Mia both go to", "Ibrahim, Mariama and Alhaji
// all attend".
var groupNamesRe = lazy(`((?:[A-Z][\p{L}'’-]+\s*,\s*)*[A-Z][\p{L}'’-]+\s+(?:and|&)\s+[A-Z][\p{L}'’-]+)\s*$`)

// groupSchoolOf: the school a sentence gives several children at once ("They are both at St John's CE Primary
// School", "Both children attend Gayhurst Community School") is this child's when the sentence names no children
// or names this one ("Leon and Mia both go to Northumberland Heath Primary School" is not Jasmine's), and the email
// does not place the child at home or in no setting ("Jasmine is at home with mum"). With one named child, only a
// sentence that says children ("Both children attend …"), never "They attend …" (perhaps the parents).
func groupSchoolOf(text string, c domain.Child, givens []string, named int) string {
	if c.GivenName == "" || notInSetting(text, c, givens) {
		return ""
	}
	if !containsAny(text, []string{"attend", "go to", "goes to", " are at ", " are both at ", " are all at ", "are pupils", "are students"}) {
		return ""
	}
	for _, m := range groupSchoolRe.FindAllStringSubmatchIndex(text, -1) {
		if pastSchool(text[max(0, m[0]-10):m[2]]) || !startsUpper(text[m[2]:m[3]]) {
			continue // "where they go to school": no school named
		}
		subj := strings.ToLower(text[m[0]:m[2]])
		if named < 2 && !containsAny(subj, []string{"children", "kids", "boys", "girls", "twins", "of them"}) {
			continue
		}
		start := strings.LastIndexAny(text[:m[0]], ".!?\n") + 1
		if g := groupNamesRe.FindStringSubmatch(text[start:m[0]]); g != nil && !nameListed(g[1], c.GivenName) {
			continue // "Leon and Mia both go to …": not this child
		}
		return strings.TrimSpace(text[m[2]:m[3]])
	}
	return ""
}

// nameListed: the given name is one of the names of a list ("Leon and Mia", "Ibrahim, Mariama and Alhaji").
func nameListed(list, given string) bool {
	for _, w := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' || r == '&' }) {
		if w == given {
			return true
		}
	}
	return false
}

// settleSchools runs after every reader: a school that names no setting is dropped, and a form's one school
// answer with no child of its own is given to each child it fits (sharedFormSchool).
func settleSchools(ks []*kid, parts []formPart, body string, ref time.Time) {
	var givens []string
	for _, k := range ks {
		givens = append(givens, k.c.GivenName)
	}
	for _, k := range ks {
		if k.c.School != "" && noSetting(k.c.School) {
			k.c.School = ""
			delete(k.src, "child.school")
		}
	}
	sharedFormSchool(ks, parts, body, givens, ref)
}

// sharedFormSchool: a form answered once for a family ("Child(ren) full name(s) and date(s) of birth" with two
// children, then "School / setting" / "Kingston Infant School") gives its one school to each child whose age fits
// the kind of school its name says (a nursery under 5, an infant school 4 to 7, a junior school 7 to 11, a primary
// 4 to 11) and whom the email does not place at home. A school whose name says no age ("Oak Academy") is left
// for the screener: the children may be at different schools.
func sharedFormSchool(ks []*kid, parts []formPart, body string, givens []string, ref time.Time) {
	if len(ks) < 2 {
		return
	}
	var sch, source string
	for _, p := range parts {
		for _, c := range p.fm.children {
			if c.School != "" && c.GivenName == "" && c.FamilyName == "" && c.DateOfBirth.IsZero() {
				if sch != "" && sch != c.School {
					return // two schools without children: whose is whose is not said
				}
				sch, source = c.School, p.source
			}
		}
	}
	if sch == "" || noSetting(sch) {
		return
	}
	lo, hi, ok := settingAges(sch)
	if !ok {
		return
	}
	for _, k := range ks {
		if k.c.School != "" || !k.named() || notInSetting(body, k.c, givens) {
			continue
		}
		age := -1
		switch {
		case !k.c.DateOfBirth.IsZero():
			age = yearsOn(k.c.DateOfBirth.Time(time.UTC), ref)
		case k.c.Age > 0:
			age = k.c.Age
		}
		if age < lo || age > hi {
			continue
		}
		k.c.School = sch
		k.src["child.school"] = domain.FieldSource{Field: "child.school", Source: source, Confidence: domain.ConfidenceMedium}
	}
}

// settingAges: the ages of the children a school's name says it takes.
func settingAges(school string) (lo, hi int, ok bool) {
	l := strings.ToLower(school)
	switch {
	case containsAny(l, []string{"nursery", "pre-school", "preschool", "early years", "playgroup", "children's centre"}):
		return 0, 4, true
	case strings.Contains(l, "infant"):
		return 4, 7, true
	case strings.Contains(l, "junior"):
		return 7, 11, true
	case strings.Contains(l, "primary"):
		return 4, 11, true
	}
	return 0, 0, false
}

// yearsOn: whole years from birth to the day.
func yearsOn(born, day time.Time) int {
	y := day.Year() - born.Year()
	if day.Month() < born.Month() || day.Month() == born.Month() && day.Day() < born.Day() {
		y--
	}
	return y
}
