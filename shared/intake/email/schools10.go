package email

import (
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/domain"
)

// The tenth round's school rules (Portsmouth §4.6: the child's school or setting), read from how people write a
// school's name and a change of school rather than from one email. Each either completes or corrects a school the
// email itself writes, or keeps one away from a child it is not said of.

// schoolYearNoteRe: a school year or class in brackets after a school's name ("Whitefield School (Year 11)", "Oak
// Academy (Y10)", "Hill Primary (Reception class)"): a note about the child, no part of the school's name.
var schoolYearNoteRe = lazy(`\s*\(\s*(?i:year|yr|y|reception|nursery\s+class|sixth\s+form)\b[^()]*\)\s*$`)

// schoolTailRe: the words that may carry a school's name on where a reader stopped short ("Oakhurst Primary" →
// "Oakhurst Primary School", "Blackfen School" → "Blackfen School for Girls", "Meon Infant" → "Meon Infant School").
var schoolTailRe = lazy(`^(?:\s+(?:School|Academy))?(?:\s+for\s+(?:Girls|Boys))?`)

// tidySchools writes each child's school as the email names it in full: a bracketed school year after it is
// dropped, and a name cut short is carried on when the email writes the same words on into more of a school's
// name somewhere ("at Oakhurst Primary" in the introduction, "Oakhurst Primary School, Welling" in the
// signature). Only a school's own words are added — never a place after them ("…, Welling", "Oak Academy Road").
func tidySchools(ks []*kid, text string) {
	for _, k := range ks {
		if k.c.School == "" {
			continue
		}
		sch := k.c.School
		if loc := schoolYearNoteRe.FindStringIndex(sch); loc != nil && loc[0] > 0 {
			sch = strings.TrimSpace(sch[:loc[0]])
		}
		if schoolWords.match(sch) {
			sch = fullSchoolName(text, sch)
		}
		k.c.School = sch
	}
}

// fullSchoolName is the longest form of the school's name the text writes (the name itself when none is longer).
func fullSchoolName(text, sch string) string {
	best := sch
	for from := 0; from < len(text); {
		i := strings.Index(text[from:], sch)
		if i < 0 {
			break
		}
		i += from
		from = i + len(sch)
		if i > 0 && isWordByte(text[i-1]) || from < len(text) && isWordByte(text[from]) {
			continue
		}
		tail := schoolTailRe.FindString(text[from:])
		if tail == "" {
			continue
		}
		if next, _ := nextWord(text[from+len(tail):]); placeAfterSchool[strings.ToLower(strings.TrimRight(next, ".,;:!?)"))] {
			continue // "Oakhurst Primary School Lane": a street's name
		}
		if long := sch + " " + strings.Join(strings.Fields(tail), " "); len(long) > len(best) {
			best = long
		}
	}
	return best
}

// schoolMovedRe: the newest message says the child has moved school — "started at The Pavilion Study Centre", "has
// moved to Oak Academy", "is now at Hill Primary", "now attends …", "his new school is …". Group 1 is the new
// school: capitalised words ending in a school's word, or in a provision's ("Centre", "Unit", "Provision") when the
// sentence speaks of school, exclusion or education.
var schoolMovedRe = lazy(`\b(?:(?:has\s+)?(?:started|moved|transferred|gone)\s+(?:at|to)|(?i:now|currently)\s+(?:attends|attending|goes\s+to|at|on\s+roll\s+at|in\s+(?:Year|Yr|Y)\s?\d{1,2}\s+at)|(?:is|are)\s+now\s+(?:at|attending|on\s+roll\s+at)|new\s+(?:school|setting|placement|provision)\s+is)\s+((?:The\s+)?(?:[A-Z][\p{L}'’.&-]*\s+(?:(?:of|and|the|de|on|upon)\s+)?){0,6}(?:School|Primary|Academy|Nursery|College|Junior|Infant|Infants|Pre-[Ss]chool|Preschool|High|Grammar|UTC|PRU|Centre|Unit|Provision)\b(?:\s+(?:School|Academy))?)`)

// schoolMoveContextRe: a sentence that speaks of school, so a "Centre" or a "Unit" it names is a place of education.
var schoolMoveContextRe = lazy(`(?i)\b(?:school|pru|pupil\s+referral|excluded|exclusion|education|provision|college|academy|on\s+roll)\b`)

// schoolMovedPastRe: the move told as past and gone ("he had moved to …", "she was moved to …").
var schoolMovedPastRe = lazy(`(?i)\b(?:had|was|were|used\s+to|previously)\s+(?:\w+\s+)?$`)

// schoolMovedOtherRe: the one who moved is someone else ("his sister has moved to …", "mum has started at …").
var schoolMovedOtherRe = lazy(`(?i)\b(?:sister|brother|sibling|cousin|friend|mum|mother|dad|father|parent|partner|boyfriend|girlfriend|teacher|worker|nan|gran)\b`)

// newerSchool: a reply above quoted or forwarded history that says the child has moved school gives the new school,
// in place of the one the older message gave. The child is the email's one named child, or the child the
// sentence names; a sentence about someone else moving is not read.
func newerSchool(ks []*kid, lines []string) {
	newest := historyStart(lines)
	if newest >= len(lines) {
		return
	}
	text := strings.Join(lines[:newest], "\n")
	if !containsAny(text, []string{"started", "moved", "transferred", "gone", "now", "new "}) {
		return
	}
	var named []*kid
	for _, k := range ks {
		if k.named() {
			named = append(named, k)
		}
	}
	if len(named) == 0 {
		return
	}
	for _, m := range schoolMovedRe.FindAllStringSubmatchIndex(text, -1) {
		start := strings.LastIndexAny(text[:m[0]], ".!?\n") + 1
		end := clauseEnd(text, m[1])
		sentence, before := text[start:end], text[start:m[0]]
		sch := strings.TrimSpace(text[m[2]:m[3]])
		if !schoolWords.match(sch) && !schoolMoveContextRe.MatchString(sentence) {
			continue // "moved to the Family Centre": no school
		}
		if schoolMovedPastRe.MatchString(before) || schoolMovedOtherRe.MatchString(before) {
			continue
		}
		var who *kid
		for _, k := range named {
			if nameListed(before, k.c.GivenName) {
				who = k
			}
		}
		if who == nil && len(named) == 1 && containsAny(" "+strings.ToLower(before)+" ", []string{" he ", " she ", " he's ", " she's "}) {
			who = named[0]
		}
		if who == nil {
			continue
		}
		who.c.School = sch
		who.src["child.school"] = domain.FieldSource{Field: "child.school", Source: "body", Confidence: domain.ConfidenceMedium}
	}
}

// othersKidsRe: the words before "they go to …" speak of other children — the writer's own, friends, cousins
// ("my own kids were here (they go to Danson Primary)").
var othersKidsRe = lazy(`(?i)\b(?:my|our)\s+own\s+(?:kids|children|sons|daughters|boys|girls|grandchildren)\b|\b(?:my|our|her|his|their)\s+(?:friends|cousins|classmates|nephews|nieces)\b|\bthe\s+other\s+(?:kids|children|boys|girls|pupils)\b`)

// The writer's school when the signature reader did not name it: the line under the writer's school role in the
// signature ("Deputy DSL" / "Cat Hill Primary", "Nursery Manager & DSL" / "Sunflower Day Nursery, Ballards Lane"),
// or the mailbox's own name ("Little Harbour Day Nursery" <…@gmail.com>, "Safeguarding Office - Oakwood Academy").

// wholeSchoolNameRe: a line's segment that is a school's name and nothing else.
var wholeSchoolNameRe = lazy(`^` + schoolNamePat + `$`)

// schoolSegment: the part of a line or a display name that is a school's name ("Sunflower Day Nursery, Ballards
// Lane" → "Sunflower Day Nursery"; "Safeguarding Office - Oakwood Academy" → "Oakwood Academy"), or "".
func schoolSegment(line string) string {
	for _, seg := range strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == '|' || r == '–' || r == '—' || r == '(' || r == ')' }) {
		for _, part := range strings.Split(seg, " - ") {
			part = strings.TrimSpace(part)
			if len(strings.Fields(part)) >= 2 && startsUpper(part) && wholeSchoolNameRe.MatchString(part) && !notASchoolsName(part, part) {
				return part
			}
		}
	}
	return ""
}

// signatureSchool: the school on the signature's line under the writer's school role, else the school the mailbox is
// named after; "" when neither is a school's name.
func signatureSchool(text, role, org, fromName string) string {
	for _, r := range []string{role, org} {
		r = strings.TrimSpace(r)
		if r == "" || strings.HasPrefix(r, "(") || !schoolRoles.match(r) && !containsAny(strings.ToLower(r), []string{"nursery manager", "manager & dsl", "manager and dsl"}) {
			continue
		}
		if _, place, ok := strings.Cut(r, ","); ok && schoolSegment(place) == "" {
			continue // "Designated Safeguarding Lead, Northwood Masjid Madrasa": the role's place is said, and is no school
		}
		for from := 0; from < len(text); {
			i := strings.Index(text[from:], r)
			if i < 0 {
				break
			}
			i += from
			from = i + len(r)
			if !lineStart(text, i) {
				continue
			}
			rest := text[from:]
			if j := strings.IndexByte(rest, '\n'); j >= 0 && strings.TrimSpace(rest[:j]) == "" {
				next := strings.TrimSpace(rest[j+1:])
				if k := strings.IndexByte(next, '\n'); k >= 0 {
					next = next[:k]
				}
				if sch := schoolSegment(next); sch != "" && !strings.HasPrefix(next, "(") { // "(Day job: TA, Copnor Primary School)": an aside
					return sch
				}
			}
		}
	}
	return schoolSegment(fromName)
}

// oneOfOursRe: the words before a child's name say the child is the writer's setting's ("writing about one of our
// children, Zion Campbell-Reid", "one of our Year 4 pupils, Amy Cole").
var oneOfOursRe = lazy(`(?i)\bone\s+of\s+our\s+(?:(?:year|yr|y)\s?\d{1,2}\s+|reception\s+|nursery\s+)?(?:children|pupils|students|learners|little\s+ones|boys|girls|young\s+people|toddlers|babies)\s*,?\s*$`)

// herePronounNext: the sentence after the one naming the child opens with "She"/"He" and places that one at the
// writer's school ("Kacey's date of birth is 11/04/2013. She is in Year 9 with us."), when the sentence naming the
// child names no other child.
func herePronounNext(text string, at [2]int, given string, givens []string) bool {
	end := clauseEnd(text, at[1])
	if end >= len(text) || text[end] == '\n' {
		return false
	}
	start := strings.LastIndexAny(text[:at[0]], ".!?\n") + 1
	for _, g := range givens {
		if g != "" && g != given && strings.Contains(text[start:end], g) {
			return false
		}
	}
	next := strings.TrimLeft(text[end+1:], " ")
	w, _ := nextWord(next)
	switch w {
	case "She", "He", "She's", "He's", "She’s", "He’s":
	default:
		return false
	}
	sentence := next[:clauseEnd(next, 0)]
	loc := hereRe.FindStringIndex(sentence)
	return loc != nil && !pastSchool(sentence[:loc[0]]) && !hereDeniedRe.MatchString(sentence)
}

// bothHereRe: "both here", "both with us": the two children of the email at the writer's school.
var bothHereRe = lazy(`(?i)\bboth\s+(?:here|with\s+us|at\s+our\s+(?:school|academy|nursery|setting))\b`)

// bothHereSchool: a clause naming one of the email's two children that says they are both at the writer's school
// ("She has a brother Alfie Harrington in Y5 - both here at Mapledene") gives the school to the other child too.
func bothHereSchool(ks []*kid, from *kid, sch string) {
	if from == nil {
		return
	}
	var named []*kid
	for _, k := range ks {
		if k.named() {
			named = append(named, k)
		}
	}
	if len(named) != 2 {
		return
	}
	for _, k := range named {
		if k != from && k.c.School == "" {
			k.c.School = sch
			k.src["child.school"] = domain.FieldSource{Field: "child.school", Source: "signature", Confidence: domain.ConfidenceMedium}
		}
	}
}

// schoolNotKnownRe: the writer says they do not know the child's school.
var schoolNotKnownRe = lazy(`(?i)\b(?:do\s*(?:not|n['’]?t)|dont|not\s+sure\s+(?:which|what))\s+(?:know\s+)?(?:which|what)\s+school\b|\bschool\s+(?:is\s+)?(?:not\s+known|unknown)\b`)

// schoolTail is the rest of a line after a child's date of birth where the child's school may be said: up to the next
// date of birth when a relative is named before it ("Tom Pike (DOB …), who attends us, and his sister Amy Pike (DOB
// …) who is at Oak Primary": Oak Primary is Amy's, not Tom's); the whole rest otherwise ("Tom Pike (DOB …) and Amy
// Pike (DOB …), both at Oak Primary").
func schoolTail(line string, h dateHit, hits []dateHit) string {
	tail := line[h.end:]
	for _, n := range hits {
		if n.start < h.end {
			continue
		}
		for _, w := range strings.Fields(strings.ToLower(line[h.end:n.start])) {
			w = strings.TrimPrefix(strings.TrimPrefix(strings.Trim(w, ",.;:()'’"), "half-"), "step-")
			if kinWords[w] {
				return line[h.end:n.start]
			}
		}
		break
	}
	return tail
}

// dayOrMonth: the word at fs[i] is a day of the week, or a month's name said as a date ("of May 2011", "2 May",
// "May 2011") — never a person's name between a child's name and a school said of "he" or "she".
func dayOrMonth(w string, fs []string, i int) bool {
	switch strings.ToLower(w) {
	case "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday":
		return true
	case "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
		"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec":
		digit := func(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }
		return i+1 < len(fs) && digit(fs[i+1]) || i > 0 && (digit(fs[i-1]) || strings.EqualFold(fs[i-1], "of"))
	}
	return false
}

// bothAtRe: "Both at Colindale Primary" opening a line, a sentence or a numbered answer, or after a dash ("Chloe Reilly
// (11) and Ben Reilly (6) – both at Barrington Primary School"): the children's one school, said without a verb.
var bothAtRe = lazy(`(?:^|\n|[.!?]\s+|\d[.)]\s+|\s[-–—]\s*)(?i:both|all\s+(?:three|four|five|of\s+them))\s+at\s+` + schoolNamePat)

// bothAtSchoolOf: the school of "both at …" for a child of an email that names two or more, when the words before it
// on its line name this child, or name no child at all (a numbered answer under a question about "the children").
func bothAtSchoolOf(text string, c domain.Child, givens []string, named int) string {
	if named < 2 || !strings.Contains(strings.ToLower(text), "at ") || !containsAny(text, []string{"oth at ", "OTH AT ", "ll three at ", "ll four at ", "ll five at ", "ll of them at "}) {
		return ""
	}
	for _, m := range bothAtRe.FindAllStringSubmatchIndex(text, -1) {
		line := text[strings.LastIndexByte(text[:m[0]+1], '\n')+1 : m[0]+1]
		if pastSchool(text[max(0, m[2]-20):m[2]]) {
			continue
		}
		some, this := false, false
		for _, g := range givens {
			if g != "" && nameListed(strings.NewReplacer("(", " ", ")", " ", "|", " ", "\t", " ").Replace(line), g) {
				some = true
				this = this || g == c.GivenName
			}
		}
		if some && !this {
			continue // "Chloe and Ben – both at …": not the young person the referral is about
		}
		if !some && (familyNounRe.MatchString(line) || professionalPersonRe.MatchString(line) || kinBeforeRe.MatchString(line)) {
			continue // "Mum and her sister – both at …": adults, not the children
		}
		if asRoleRe.MatchString(text[m[3]:]) {
			continue // "… both at Oak Academy as teaching assistants": they work there
		}
		return strings.TrimSpace(text[m[2]:m[3]])
	}
	return ""
}

// yearAtBracketRe: a bracket just after the child's name giving the age and the school year at a school named
// without a school's word — "Tegan O'Sullivan (14, Year 9 at Copthall)". Group 1 is the name (capitalised words).
var yearAtBracketRe = lazy(`^\s*\((?:\d{1,2}\s*,\s*)?(?i:year|yr|y)\s?\d{1,2}\s+at\s+((?:[A-Z][\p{L}'’-]+\s?){1,4})\)`)

// weBothAtRe: a young person writing about a friend in the same school year — "We are both in year 8 at Kingsthorpe
// College", "we're in the same year at Oak Academy". Group 1 is the school.
var weBothAtRe = lazy(`(?i:\bwe\s+are|\bwe['’]re|\bwere)\s+(?i:both\s+in\s+(?:year|yr|y)\s?\d{1,2}|in\s+the\s+same\s+(?:year|class|form)(?:\s+group)?|both\s+in\s+the\s+same\s+(?:year|class|form))\s+(?i:at|in)\s+` + schoolNamePat)

// schoolInOwnWords: the two readers above, for a child with no school yet — the bracket after its name, and "we are
// both in year 8 at …" when the email names this one child only.
func schoolInOwnWords(ks []*kid, text string, givens []string) {
	named := 0
	for _, k := range ks {
		if k.named() {
			named++
		}
	}
	for _, k := range ks {
		if k.c.School != "" || !k.named() {
			continue
		}
		sch := ""
		for _, at := range namesAt(text, k.c, givens) {
			if m := yearAtBracketRe.FindStringSubmatch(text[at[1]:min(len(text), at[1]+80)]); m != nil && !noSetting(m[1]) && !placeWords.match(m[1]) {
				sch = strings.TrimSpace(m[1])
				break
			}
		}
		if sch == "" && named == 1 && containsAny(text, []string{" both in ", " same "}) {
			if m := weBothAtRe.FindStringSubmatch(text); m != nil {
				sch = strings.TrimSpace(m[1])
			}
		}
		if sch != "" {
			k.c.School = sch
			k.src["child.school"] = domain.FieldSource{Field: "child.school", Source: "body", Confidence: domain.ConfidenceMedium}
		}
	}
}

// schoolOfLowerName: a writer who writes the children's names in lower case ("alfie goes to the nursery class at
// Bursted Wood Primary in the mornings") says the child's school as schoolNear reads it for a capitalised name: the
// sentence after the name, up to another child's name, with no one else placed at the school. Only a given name no
// other child shares, and only where the text has it in lower case.
func schoolOfLowerName(ks []*kid, text string, givens []string) {
	for _, k := range ks {
		g := k.c.GivenName
		if k.c.School != "" || g == "" || !startsUpper(g) || len(g) < 3 {
			continue
		}
		same := 0
		for _, o := range givens {
			if strings.EqualFold(o, g) {
				same++
			}
		}
		lower := strings.ToLower(g)
		if same > 1 || !strings.Contains(text, lower) {
			continue
		}
		for from := 0; from < len(text); {
			i := strings.Index(text[from:], lower)
			if i < 0 {
				break
			}
			i += from
			from = i + len(lower)
			if i > 0 && isWordByte(text[i-1]) || from < len(text) && isWordByte(text[from]) {
				continue
			}
			s := text[from:]
			if w, _ := nextWord(s); w != "goes" && w != "go" && w != "went" && w != "attends" && w != "who" && w != "is" {
				continue // a cheap check before the sentence is cut and lowered
			}
			if j := strings.IndexAny(s, ".!?\n"); j >= 0 {
				s = s[:j]
			}
			for _, o := range givens {
				if o != "" && !strings.EqualFold(o, g) {
					if j := strings.Index(strings.ToLower(s), strings.ToLower(o)); j >= 0 {
						s = s[:j]
					}
				}
			}
			m := schoolAfter.FindStringSubmatchIndex(s)
			if m == nil || pastSchool(s[:m[2]]) || someoneElseAt(s[:m[2]], k.c) || !lowerCueRe.MatchString(s[:m[2]]) {
				continue
			}
			k.c.School = trimSchool(strings.TrimSpace(s[m[2]:m[3]]))
			k.src["child.school"] = domain.FieldSource{Field: "child.school", Source: "body", Confidence: domain.ConfidenceMedium}
			break
		}
	}
}

// lowerCueRe: the words between the lower-case name and the school are the child's going there ("goes to the nursery
// class at", "attends", "is in year 4 at"), not anything else that happens at a school.
var lowerCueRe = lazy(`^\s*(?:(?:who\s+)?(?:goes|go|went)\s+to|(?:who\s+)?attends|(?:who\s+)?is\s+(?:at|in\s+(?:year|yr|y)\s?\d{1,2}\s+at|in\s+reception\s+at))(?:\s+(?:the\s+)?(?:nursery|reception|pre-?school)\s+class\s+at)?\s*$`)

// kinBeforeRe: relatives named before "both at" ("her sister and brother – both at …").
var kinBeforeRe = lazy(`(?i)\b(?:sister|brother|sisters|brothers|cousins?|aunt|uncle|friends?|staff|teachers?)\b`)

// asRoleRe: a role after a school's name ("… as teaching assistants", "as a cleaner"): someone works there.
var asRoleRe = lazy(`^\s+as\s+(?:an?\s+|the\s+)?\w+`)

// ageFitsSetting: the child's age (by date of birth, else the age given) is one the kind of school the name says takes,
// with a year's leeway ("Acorn Day Nursery" takes no 10-year-old, "Hill Primary" no 14-year-old); true when the name
// or the age says nothing.
func ageFitsSetting(c domain.Child, school string, ref time.Time) bool {
	lo, hi, ok := settingAges(school)
	if !ok {
		return true
	}
	age := -1
	switch {
	case !c.DateOfBirth.IsZero():
		age = yearsOn(c.DateOfBirth.Time(time.UTC), ref)
	case c.Age > 0:
		age = c.Age
	}
	return age < 0 || age >= lo-1 && age <= hi+1
}
