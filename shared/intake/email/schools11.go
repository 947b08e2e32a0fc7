package email

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/domain"
)

// The eleventh round's school rules (Portsmouth §4.6: the child's school or setting), read from how people write a
// school beside the children rather than from one email; each with rows of its own invention in schools11_test.go.
// Each gives a school only to a child that has none, and only a school the email names.

// schools11 reads the eleventh round's shapes in the body: "here" where the text says "here at <School>"; "there"
// after a sentence naming one school; "the two younger ones attend <School>"; a child's short name ("Dev" for
// Devontae); a lower-case "she goes to childs hill primary".
func schools11(ks []*kid, text string, attached []string, ref time.Time) {
	need := false
	var givens []string
	for _, k := range ks {
		givens = append(givens, k.c.GivenName)
		need = need || k.c.School == "" && k.named()
	}
	if !need {
		return
	}
	set := func(k *kid, sch string) {
		if k.c.School == "" && sch != "" && ageFitsSetting(k.c, sch, ref) {
			k.c.School = sch
			k.src["child.school"] = domain.FieldSource{Field: "child.school", Source: "body", Confidence: domain.ConfidenceMedium}
		}
	}
	hereAtSchool(ks, text, givens, set)
	thereSchool(ks, text, set)
	groupByAgeSchool(ks, text, ref, set)
	shortNameSchool(ks, text, givens, set)
	lowerPronounSchool(ks, text, givens, set)
	pronounNextSchool(ks, text, givens, set)
	yearAtOrSaintSchool(ks, text, givens, set)
	whereGoesSchool(ks, text, set)
	yearBracketSchool(ks, text, givens, set)
	lowerTheyBothGo(ks, text, givens, set)
	for _, t := range append([]string{text}, attached...) {
		listedShortSchool(ks, t, text+"\n"+strings.Join(attached, "\n"), set)
	}
}

// listedAgeThenRe: a list entry's name, age and a last item ("Arjun Sharma-Fox, 14, QE Boys"); group 1 the last item.
var listedAgeThenRe = lazy(`^\s*,\s*(?:aged?\s+)?\d{1,2}\s*(?:yrs?|years?(?:\s+old)?)?\s*,\s*((?:[A-Z][\p{L}'’.&-]*\s*){1,4})\s*$`)

// listedShortSchool: a child listed with an age and then a setting by the short name people use ("Siblings |
// Arjun Sharma-Fox, 14, QE Boys"), when the email also says someone "is at", "goes to" or "attends" that same
// short name ("Her brother is at QE Boys"): the child's school, as the email writes it.
func listedShortSchool(ks []*kid, t, all string, set func(*kid, string)) {
	for _, k := range ks {
		if k.c.School != "" || k.c.GivenName == "" || k.c.FamilyName == "" {
			continue
		}
		name := k.c.GivenName + " " + k.c.FamilyName
		for from := 0; from < len(t); {
			i := strings.Index(t[from:], name)
			if i < 0 {
				break
			}
			i += from
			from = i + len(name)
			rest := t[from:]
			if j := strings.IndexAny(rest, "\n|\t;"); j >= 0 {
				rest = rest[:j]
			}
			m := listedAgeThenRe.FindStringSubmatch(rest)
			if m == nil {
				continue
			}
			x := strings.TrimSpace(m[1])
			if len(strings.Fields(x)) < 2 && !allCapsWord(x) {
				continue // one word that is no initialism ("Reading"): not sure it is a setting
			}
			if placeAfterSchool[strings.ToLower(lastWord(x))] || lowerIn(agencyWords, lastWord(x)) {
				continue
			}
			if saidAtRe.MatchString(all) && atShort(all, x) {
				set(k, x)
				break
			}
		}
	}
}

// saidAtRe: the cue words before a setting's short name elsewhere in the email.
var saidAtRe = lazy(`\b(?:is|are)\s+at\s|\bgoes\s+to\s|\battends\s`)

// atShort: the text says someone "is at", "goes to" or "attends" x, x ending there.
func atShort(all, x string) bool {
	for _, cue := range []string{" is at ", " are at ", " goes to ", " attends "} {
		for from := 0; from < len(all); {
			i := strings.Index(all[from:], cue+x)
			if i < 0 {
				break
			}
			i += from
			from = i + len(cue) + len(x)
			if from == len(all) || !isWordByte(all[from]) {
				return true
			}
		}
	}
	return false
}

func allCapsWord(w string) bool {
	if len(w) < 2 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'A' || w[i] > 'Z' {
			return false
		}
	}
	return true
}

func lastWord(s string) string {
	fs := strings.Fields(s)
	if len(fs) == 0 {
		return ""
	}
	return strings.Trim(fs[len(fs)-1], ".,;:")
}

// hereAtRe: the writer places themself at a school with "here at" ("who is in Year 11 here at East Barnet School").
var hereAtRe = lazy(`\b(?i:here)\s+at\s+` + schoolNamePat)

// hereAtSchool: a text that names its writer's school as "here at <School>" (one school only) places a child there
// whose own clause says "in Year 8 here", "both here" (hereRe) — the writer's school when no signature names it
// (a forwarded note at the bottom of a chain).
func hereAtSchool(ks []*kid, text string, givens []string, set func(*kid, string)) {
	if !strings.Contains(text, "here at") && !strings.Contains(text, "Here at") {
		return
	}
	sch := ""
	for _, m := range hereAtRe.FindAllStringSubmatch(text, -1) {
		s := trimSchool(strings.TrimSpace(m[1]))
		if sch != "" && s != sch {
			return // two schools said "here": not sure which is the writer's
		}
		sch = s
	}
	if sch == "" {
		return
	}
	for _, k := range ks {
		if k.c.School != "" || !k.named() {
			continue
		}
		for _, at := range namesAt(text, k.c, givens) {
			clause := ownClause(text, at[1], k.c.GivenName, givens)
			if loc := hereRe.FindStringIndex(clause); loc != nil && !pastSchool(clause[:loc[0]]) && !hereDeniedRe.MatchString(clause) {
				set(k, sch)
				break
			}
		}
	}
}

// thereRe: a sentence placing children "there" — "Leah and Marcus both go there", "Amy attends there too", "Both
// girls are pupils there". Group 1 the names.
var thereRe = lazy(`^\W*((?:[A-Z][\p{L}'’-]+)(?:\s*(?:,|and|&)\s*[A-Z][\p{L}'’-]+)*)\s+(?:both\s+|all\s+|also\s+)?(?:go(?:es)?|attends?|(?:is|are)\s+(?:both\s+|also\s+)?(?:a\s+pupil|pupils|in\s+(?:year|yr|y)\s?\d{1,2}))\s+there\b`)

// thereSchool: a sentence that places named children "there" just after a sentence that names one school.
func thereSchool(ks []*kid, text string, set func(*kid, string)) {
	if !strings.Contains(text, " there") {
		return
	}
	prev := ""
	for pos := 0; pos < len(text); {
		end := clauseEnd(text, pos)
		s := text[pos:end]
		pos = end + 1
		if strings.TrimSpace(s) == "" {
			continue
		}
		if !strings.Contains(s, " there") {
			prev = s
			continue
		}
		if m := thereRe.FindStringSubmatch(s); m != nil && prev != "" {
			schools := schoolsIn(prev)
			if len(schools) == 1 {
				for _, w := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || r == ' ' || r == '&' }) {
					for _, k := range ks {
						if w != "and" && k.c.GivenName == w {
							set(k, schools[0])
						}
					}
				}
			}
		}
		prev = s
	}
}

// schoolsIn is the distinct schools a sentence names.
func schoolsIn(s string) []string {
	var out []string
	var found []string
	for _, m := range wholeSchoolsRe.FindAllStringSubmatch(s, -1) {
		// "Elmwood Primary School and Hill Academy": two schools the pattern reads as one
		parts := strings.Split(strings.ReplaceAll(m[1], " & ", " and "), " and ")
		whole := true
		for _, p := range parts[:len(parts)-1] {
			whole = whole && !schoolWords.match(p)
		}
		if whole {
			found = append(found, m[1])
		} else {
			found = append(found, parts...)
		}
	}
	for _, f := range found {
		sch := trimSchool(strings.TrimSpace(f))
		if sch == "" || !startsUpper(sch) {
			continue
		}
		if !slices.Contains(out, sch) {
			out = append(out, sch)
		}
	}
	return out
}

var wholeSchoolsRe = lazy(schoolNamePat)

// groupByAgeRe: "the two younger ones attend Cottage Grove Primary School", "the older two are both at Hill
// Academy". Groups: the number and the side (either order), then the school.
var groupByAgeRe = lazy(`(?i:\bthe\s+(two|three|2|3)\s+(younger|older|youngest|eldest|elder|little|big)\s+(?:ones|children|kids|boys|girls|siblings)?|\bthe\s+(younger|older|elder)\s+(two|three))\s+(?i:both\s+|all\s+)?(?i:attend|go\s+to|are\s+(?:both\s+|all\s+)?(?:at|pupils\s+at|in\s+\w+\s+at))\s+` + schoolNamePat)

// groupByAgeSchool gives the school said of "the two younger ones" to the email's youngest (or oldest) children, when
// every named child's age is known and the group is plainly apart from the rest.
func groupByAgeSchool(ks []*kid, text string, ref time.Time, set func(*kid, string)) {
	if !containsAny(strings.ToLower(text), []string{"younger", "older", "youngest", "eldest", "elder", "little ones", "big ones"}) {
		return
	}
	m := groupByAgeRe.FindStringSubmatch(text)
	if m == nil {
		return
	}
	n, side := m[1], m[2]
	if n == "" {
		n, side = m[4], m[3]
	}
	count := map[string]int{"two": 2, "2": 2, "three": 3, "3": 3}[strings.ToLower(n)]
	young := containsAny(strings.ToLower(side), []string{"young", "little"})
	type aged struct {
		k   *kid
		age int
	}
	var as []aged
	for _, k := range ks {
		if !k.named() {
			continue
		}
		age := -1
		switch {
		case !k.c.DateOfBirth.IsZero():
			age = yearsOn(k.c.DateOfBirth.Time(time.UTC), ref)
		case k.c.Age > 0:
			age = k.c.Age
		}
		if age < 0 {
			return // an age not known: not sure who the younger ones are
		}
		as = append(as, aged{k, age})
	}
	if count >= len(as) {
		return
	}
	sort.SliceStable(as, func(i, j int) bool {
		if young {
			return as[i].age < as[j].age
		}
		return as[i].age > as[j].age
	})
	if as[count-1].age == as[count].age {
		return // a tie at the group's edge
	}
	sch := trimSchool(strings.TrimSpace(m[5]))
	for _, a := range as[:count] {
		set(a.k, sch)
	}
}

// shortNameSchool: a child the email names in full once (often only in the subject) and by a short form of the
// given name in the body ("WILLIAMS Devontae" / "Dev plays in our U13s and is in Year 7 at Stoke Newington School"):
// the short form is read as the child's name for the school said beside it. A short form is a capitalised word of
// three letters or more that begins exactly one child's given name and is no other child's name.
func shortNameSchool(ks []*kid, text string, givens []string, set func(*kid, string)) {
	for _, k := range ks {
		g := k.c.GivenName
		if k.c.School != "" || len(g) < 5 {
			continue
		}
		for _, w := range shortForms(text, g) {
			shared := false
			for _, o := range givens {
				shared = shared || o != g && o != "" && (strings.HasPrefix(o, w) || o == w)
			}
			if shared || nameStop[strings.ToLower(w)] || isAgeStop[strings.ToLower(w)] {
				continue
			}
			if sch := schoolNear(text, domain.Child{GivenName: w}, append(append([]string{}, givens...), w)); sch != "" {
				set(k, sch)
				break
			}
		}
	}
}

// shortForms are the capitalised words of text that are a short form of the given name g (its first three letters
// or more, two letters shorter at least): "Dev" of Devontae, "Alex" of Alexander.
func shortForms(text, g string) []string {
	var out []string
	for from := 0; from < len(text); {
		i := strings.Index(text[from:], g[:3])
		if i < 0 {
			break
		}
		i += from
		from = i + 3
		if i > 0 && isWordByte(text[i-1]) {
			continue
		}
		j := i + 3
		for j < len(text) && isWordByte(text[j]) {
			j++
		}
		w := text[i:j]
		if len(w) > len(g)-2 || !strings.HasPrefix(g, w) {
			continue
		}
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// lowerPronounRe: a lower-case writer's "she goes to childs hill primary", "hes at oakfield school": group 1 the
// pronoun, group 2 the school.
var lowerPronounRe = lazy(`\b(she|he)(?:s|['’]s|\s+is)?\s+(?:goes\s+to|attends|at|in\s+(?:year|yr|y)\s?\d{1,2}\s+at)\s+((?:[a-z][a-z'’-]*\s+){1,4}(?:primary|school|academy|nursery|college|infants?|juniors?|grammar)(?:\s+school)?)\b`)

// lowerPronounSchool: in a lower-case email, "she goes to childs hill primary" is the school of the child named last
// before it (in lower case, in the 300 letters before), when no other child is named between.
func lowerPronounSchool(ks []*kid, text string, givens []string, set func(*kid, string)) {
	if !strings.Contains(text, "he") {
		return
	}
	for _, m := range lowerPronounRe.FindAllStringSubmatchIndex(text, -1) {
		window := text[max(0, m[0]-300):m[0]]
		if strings.ToLower(window) != window {
			continue // a writer who capitalises: the other readers' shape
		}
		last, at := "", -1
		for _, g := range givens {
			if g == "" {
				continue
			}
			if i := strings.LastIndex(window, strings.ToLower(g)); i > at && (i == 0 || !isWordByte(window[i-1])) {
				last, at = g, i
			}
		}
		if last == "" || familyNounRe.MatchString(window[at:]) {
			continue // "… mum works nights, she goes to …": someone else may be "she"
		}
		if !namedSetting(text[m[4]:m[5]]) {
			continue // "she goes to the primary": no name
		}
		sch := capitalWords(text[m[4]:m[5]])
		if pastSchool(text[max(0, m[0]-10):m[4]]) {
			continue
		}
		for _, k := range ks {
			if k.c.GivenName == last {
				set(k, sch)
			}
		}
	}
}

// pronounNextRe: a sentence that opens with "She"/"He" and places that one at a school ("She is in Year 6 at Gayhurst
// Community School", "He attends Hill Academy"); group 1 the school.
var pronounNextRe = lazy(`^\s*(?:She|He)(?:['’]s|\s+is)?\s+(?:\d{1,2}\s+and\s+)?(?:(?:currently|now)\s+)?(?:attends|goes\s+to|at|a\s+pupil\s+at|a\s+student\s+at|on\s+roll\s+at|in\s+(?:Year|Yr|Y)\s?\d{1,2}\s+at|in\s+Reception\s+at)\s+` + schoolNamePat)

// placePreps: a capitalised word after one of these is a place or a body, not a person ("placed with me by Hackney
// since April").
var placePreps = map[string]bool{"by": true, "in": true, "from": true, "since": true, "at": true, "to": true, "under": true, "of": true, "near": true}

// pronounNextSchool: a sentence that names one child and no one else ("Tiana Joseph, DOB 18/10/2015, has been placed
// with me by Hackney since April under a care order.", "One of our junior members, Ellie Brannigan, came to training
// tonight."), followed by one that opens with "She"/"He" at a school ("She's 13 and at Friern Barnet School"): that
// child's school.
func pronounNextSchool(ks []*kid, text string, givens []string, set func(*kid, string)) {
	if !strings.Contains(text, "She") && !strings.Contains(text, "He") {
		return
	}
	prev := ""
	for pos := 0; pos < len(text); {
		end := clauseEnd(text, pos)
		s := text[pos:end]
		pos = end + 1
		if strings.TrimSpace(s) == "" {
			continue
		}
		if t := strings.TrimLeft(s, " \t\r\n"); !strings.HasPrefix(t, "She") && !strings.HasPrefix(t, "He") {
			prev = s
			continue
		}
		if m := pronounNextRe.FindStringSubmatch(s); m != nil && prev != "" {
			if k := opensWithChild(ks, prev, givens); k != nil {
				set(k, trimSchool(strings.TrimSpace(m[1])))
			}
		}
		prev = s
	}
}

// opensWithChild is the one child a sentence names, when it names no one else (no family word, no other lone
// capitalised word but a place after a preposition, a date's word or a sentence's first word).
func opensWithChild(ks []*kid, s string, givens []string) *kid {
	t := strings.TrimLeft(s, " \t\r\n")
	var who *kid
	for _, k := range ks {
		if k.c.GivenName == "" {
			continue
		}
		if i := strings.Index(t, k.c.GivenName); i >= 0 && (i == 0 || !isWordByte(t[i-1])) && (i+len(k.c.GivenName) == len(t) || !isWordByte(t[i+len(k.c.GivenName)])) {
			if who != nil {
				return nil // two children named: not sure whose
			}
			who = k
		}
	}
	if who == nil || familyNounRe.MatchString(t) {
		return nil
	}
	fs := strings.Fields(t)
	for i, w := range fs {
		w = strings.Trim(w, ",.;:!?()\"“”")
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
		if i == 0 || !isNameWord(w) || w == who.c.GivenName || w == who.c.FamilyName || nameStop[strings.ToLower(w)] ||
			lowerIn(agencyWords, w) || allCapsWord(w) || dayOrMonth(w, fs, i) || placePreps[strings.ToLower(fs[i-1])] || startsUpper(fs[i-1]) && i-1 > 0 {
			continue
		}
		return nil // someone else named: "She" may be them
	}
	return who
}

// namedSetting: a lower-case setting holds a word of its own name before its kind ("childs hill primary", not "the
// primary", "her local school", "a new school").
func namedSetting(s string) bool {
	fs := strings.Fields(s)
	for _, w := range fs[:len(fs)-1] {
		switch w {
		case "the", "a", "an", "her", "his", "their", "my", "our", "local", "same", "new", "old", "big", "little", "secondary", "primary", "school", "infant", "junior":
		default:
			return true
		}
	}
	return false
}

// capitalWords capitalises each word ("childs hill primary" → "Childs Hill Primary").
func capitalWords(s string) string {
	fs := strings.Fields(s)
	for i, f := range fs {
		fs[i] = strings.ToUpper(f[:1]) + f[1:]
	}
	return strings.Join(fs, " ")
}

// schoolLeadRe: a school answer that opens with who says so and a verb of attending ("says he attends Lea Bridge
// Pupil Referral Unit", "reportedly attends Oak Academy", "states she is at Hill Primary"); group 1 the rest.
var schoolLeadRe = lazy(`^\s*(?:(?:he|she|they|mum|dad|the\s+child|child|yp)\s+)?(?:says|said|states|stated|reports|reported|reportedly|believed\s+to|thought\s+to)\s+(?:(?:that\s+)?(?:he|she|they)\s+)?(?:attends?|is\s+at|goes\s+to|is\s+on\s+roll\s+at|be\s+at|attend)\s+([A-Z].*)$`)

// saysLeadRe: a school answer that opens with who says so.
var saysLeadRe = lazy(`^\s*(?:(?:he|she|they|mum|dad|the\s+child|child|yp)\s+)?(?:says|said|states|stated|reports|reported|reportedly|claims|claimed)\b`)

// schoolValueLead: a school answer's name after a lead of who says so ("says he attends X" → "X"); "" when the lead
// names no school after it ("says she is home educated"); v itself otherwise.
func schoolValueLead(v string) string {
	if !saysLeadRe.MatchString(v) {
		return v
	}
	if m := schoolLeadRe.FindStringSubmatch(v); m != nil {
		return strings.TrimSpace(m[1])
	}
	return ""
}

var (
	// yearAtNameRe: a school year then "at" and a name with no school's word ("is in Year 4 at Oak Hill.", "in Year 10
	// at Park View, where …", "is in Year 4 with us at Gayhurst", "is with us at Hillside"): group 1 the name, which
	// ends the clause.
	yearAtNameRe = lazy(`^[^.;]{0,40}?\b(?:(?:is|['’]s|are)\s+(?:currently\s+|now\s+)?in\s+(?:Year|Yr|Y|year)\s?\d{1,2}(?:\s+with\s+us)?|(?:is|['’]s|are)\s+(?:currently\s+|now\s+)?with\s+us)\s+at\s+((?:[A-Z][\p{L}'’-]+\s?){1,4}?)\s*(?:$|[,;(]|\s[-–—]\s|\s+(?:and|where|but|since|who|which|with)\b)`)
	// saintSchoolRe: a saint's school by its short name after a cue of going there ("goes to St Mary's", "attends St
	// Joseph's RC"): group 1 the name, which ends the clause.
	saintSchoolRe = lazy(`^[^.;]{0,40}?\b(?:goes\s+to|attends|(?:is\s+)?a\s+pupil\s+at|in\s+(?:Year|Yr|Y|year)\s?\d{1,2}\s+at|in\s+[Rr]eception\s+at)\s+((?:St\.?|Saint)\s+[A-Z][\p{L}-]*(?:['’]s|s['’]|['’])(?:\s+(?:RC|CE|C\s+of\s+E|Catholic|Church\s+of\s+England))?)\s*(?:$|[,;(]|\s[-–—]\s|\s+(?:and|where|but|since|who|which|with|in|on)\b)`)
)

// yearAtOrSaintSchool: the sentence naming a child places it "in Year 4 at Oak Hill" (a school year says a school
// even with no school's word in its name) or has it go to "St Mary's": that child's school, as the email writes it.
// Never a name ending in a place's or a service's word ("Oak Hill Road", "St Thomas' Hospital").
func yearAtOrSaintSchool(ks []*kid, text string, givens []string, set func(*kid, string)) {
	if !strings.Contains(text, " at ") && !strings.Contains(text, "St") {
		return
	}
	for _, k := range ks {
		if k.c.School != "" || !k.named() {
			continue
		}
		for _, at := range namesAt(text, k.c, givens) {
			clause := ownClause(text, at[1], k.c.GivenName, givens)
			sch := ""
			for _, re := range []*lazyRegexp{yearAtNameRe, saintSchoolRe} {
				if m := re.FindStringSubmatchIndex(clause); m != nil && !pastSchool(clause[:m[2]]) && !someoneElseAt(clause[:m[2]], k.c) {
					sch = strings.TrimSpace(clause[m[2]:m[3]])
					break
				}
			}
			if lw := strings.ToLower(lastWord(sch)); sch == "" || placeAfterSchool[lw] || lowerIn(agencyWords, lastWord(sch)) && !schoolWords.match(sch) || monthOrDay(lw) {
				continue
			}
			set(k, sch)
			break
		}
	}
}

// monthOrDay: a month's or a weekday's name ("in Year 4 at Easter" is a time).
func monthOrDay(w string) bool {
	switch w {
	case "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
		"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "easter", "christmas", "half-term":
		return true
	}
	return false
}

// whereGoesRe: "Westover Primary, where Matei goes", "Oak Academy, which Leo attends": group 1 the school, group 2 the
// child's given name.
var whereGoesRe = lazy(schoolNamePat + `,\s+(?:where|which)\s+([A-Z][\p{L}'’-]+)\s+(?:goes|attends|is\s+a\s+pupil|is\s+in\s+(?:Year|Yr|Y)\s?\d{1,2})\b`)

// whereGoesSchool: a school named and then said to be where one child goes.
func whereGoesSchool(ks []*kid, text string, set func(*kid, string)) {
	if !strings.Contains(text, ", where ") && !strings.Contains(text, ", which ") {
		return
	}
	for _, m := range whereGoesRe.FindAllStringSubmatch(text, -1) {
		for _, k := range ks {
			if k.c.GivenName == m[2] {
				set(k, trimSchool(strings.TrimSpace(m[1])))
			}
		}
	}
}

// theyBothGoRe: a lower-case writer's "they both go arundel court school", "they all go to oak primary": group 1 the
// school.
var theyBothGoRe = lazy(`\bthey\s+(?:both|all)\s+(?:go|goes|attend)(?:\s+to)?\s+((?:[a-z][a-z'’-]*\s+){1,4}(?:primary|school|academy|nursery|college|infants?|juniors?)(?:\s+school)?)\b`)

// lowerTheyBothGo: in a lower-case email, "they both go <school>" gives the school to the children named in the 200
// letters before it, when every child so named has none and they are all the children the email names there.
func lowerTheyBothGo(ks []*kid, text string, givens []string, set func(*kid, string)) {
	if !strings.Contains(text, "they both") && !strings.Contains(text, "they all") {
		return
	}
	for _, m := range theyBothGoRe.FindAllStringSubmatchIndex(text, -1) {
		window := text[max(0, m[0]-200):m[0]]
		if strings.ToLower(window) != window || !namedSetting(text[m[2]:m[3]]) || familyNounRe.MatchString(window[max(0, len(window)-60):]) {
			continue
		}
		var named []*kid
		for _, k := range ks {
			if g := strings.ToLower(k.c.GivenName); g != "" && strings.Contains(window, g) {
				named = append(named, k)
			}
		}
		if len(named) < 2 {
			continue
		}
		sch := capitalWords(text[m[2]:m[3]])
		for _, k := range named {
			set(k, sch)
		}
	}
}

// yearCommaBracketRe: a bracket just after a child's name giving the school year and then the school ("Shirin (Year 5,
// Colindale Primary)", "Leo (aged 9, Y4, Hill Academy)"); group 1 the school.
var yearCommaBracketRe = lazy(`^\s*\(\s*(?:(?:aged?\s+)?\d{1,2}\s*,\s*)?(?:Year|Yr|Y|year)\s?\d{1,2}\s*,\s*((?:[A-Z][\p{L}'’.-]*\s?){1,5}?)\s*\)`)

// bracketDashSchoolRe: a list line's bracket after the name and then a dash and the school ("their big brother Felix
// (aged 8) - Moss Hall Juniors, I collect him"); group 1 the school.
var bracketDashSchoolRe = lazy(`^\s*\([^()\n]{1,25}\)\s*[-–—]\s*((?:[A-Z][\p{L}'’.-]*\s?){1,5}?)\s*(?:[,;.(]|$|\n)`)

// schoolEndWord: the last word of a school's name written short ("Moss Hall Juniors", "Hill Infants").
var schoolEndWord = map[string]bool{"school": true, "primary": true, "academy": true, "nursery": true, "college": true, "junior": true,
	"juniors": true, "infant": true, "infants": true, "grammar": true, "pru": true, "high": true}

// yearBracketSchool: the school in a bracket after a child's name that opens with the child's school year, or after a
// dash just after the bracket on a list's line.
func yearBracketSchool(ks []*kid, text string, givens []string, set func(*kid, string)) {
	if !strings.Contains(text, "(") {
		return
	}
	for _, k := range ks {
		if k.c.School != "" || !k.named() {
			continue
		}
		for _, at := range namesAt(text, k.c, givens) {
			m := yearCommaBracketRe.FindStringSubmatch(text[at[1]:])
			if m == nil {
				if m = bracketDashSchoolRe.FindStringSubmatch(text[at[1]:]); m == nil || !schoolEndWord[strings.ToLower(lastWord(m[1]))] {
					continue
				}
			}
			sch := strings.TrimSpace(m[1])
			if lw := strings.ToLower(lastWord(sch)); placeAfterSchool[lw] || lowerIn(agencyWords, lastWord(sch)) && !schoolWords.match(sch) {
				continue
			}
			set(k, sch)
			break
		}
	}
}
