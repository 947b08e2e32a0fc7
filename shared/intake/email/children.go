package email

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/safeguarding/mash/shared/domain"
)

// Children written the way referrers write them when there is no form: one per line after "Children:",
// "Siblings:" or "Children present:", numbered or bulleted, each holding a name and a date of birth or age
// ("1. Tayla BIRCH 15.03.2009", "Yusuf Ahmed – 11/12/2015 – attends Milton Park Junior"); inside running
// text ("Mason COOPER (DOB 12/05/2016)", "Ellie PARR born 05/01/2013"); with an age only ("Leo Walsh (4)",
// "her son Tyler (9)"); or in the subject line ("Safeguarding concern - HARVEY DOYLE DOB 14.6.2017").
// A name is one to four capitalised words (or all capitals); a date of birth must make the person a child
// on the day the email arrived, so an adult's date or age is never read as a child's.

var (
	// the label of a list of children, and what may follow it on its line: a colon, a dash, a tab or a table's bar
	listLabelRe = lazy(`(?i)^\s*(?:cyp(?: present)?|(?:the (?:following )?)?(?:children|kids|siblings?|young people)(?: (?:at home|in the home|living at (?:the )?(?:address|home)|at (?:the )?(?:home )?address))?(?: (?:are|were|involved are|concerned are|were present|present were|present are))?|twins|child(?:ren)? present|persons(?: (?:present|involved|at (?:the )?(?:address|home|incident)|linked))?|(?:involved|linked) persons|nominals?|people (?:present|involved|at (?:the )?(?:address|home))|household(?: members| composition)?|family members|occupants|residents|other children(?: (?:in (?:the )?(?:household|home|house|property)|at (?:the )?(?:address|home|property)|living (?:there|at (?:the )?(?:address|home))|linked|not present))?|(?:linked|associated) children|children in (?:the )?household|children involved|child(?:ren)?(?:['’]s)? details|subjects?|(?:(?:the )?child(?:ren)?(?:['’]s)? )?(?:full )?names?\s*(?:/|,|&|and)\s*(?:dobs?|d\.o\.b\.?s?|dates? of birth|ages?)|(?:the )?child(?:ren)?(?:['’]s)? (?:full )?names)\s*(?:[:\-–\t|]\s*(.*))?$`)
	// peopleLabelRe: a label of the people somewhere, in words of the writer's own, with its colon ("Persons present
	// at the incident:", "People living at the address:", "Others present:"): a list whose adults the date of birth
	// or age tells apart
	peopleLabelRe = lazy(`(?i)^\s*(?:(?:persons?|people|occupants?|residents?|nominals?)(?:\s+[a-z]+){1,5}|others\s+present)\s*:\s*(.*)$`)
	// countedListRe: a count of children and a colon inside a sentence, the children after it ("2 children in the
	// property: Tomasz NOWICKI 9yrs, Kinga NOWICKA 6yrs.")
	countedListRe = lazy(`(?i)\b(?:\d|two|three|four|five)\s+(?:children|kids|siblings)(?:\s+(?:in|at)\s+(?:the\s+)?(?:property|address|home|house|flat))?(?:\s+(?:present|there))?:\s+`)
	childNumRe    = lazy(`(?i)^\s*(?:child|sibling|subject)\s*\d+\s*[:.\-–]\s*(.+)$`)
	bulletRe      = lazy(`^\s*(?:\d{1,2}[.)]|\(?[a-h]\)|[-*•·–])\s+(.+)$`)
	ageParenRe    = lazy(`\((?:aged?\s*)?(\d{1,2})(?:\s*(?:yrs?|years?(?: old)?|y/?o))?\)`)
	ageWordsRe    = lazy(`(?i)\b(?:aged?\s+)?(\d{1,2})\s*(?:yrs?|years?(?: old)?|y/o|yo|y\.o\.)(?:\b|\s|$)|\baged?\s+(\d{1,2})\b`)
	// a bare age after the name and a comma: "Ciarán Byrne, 10 (Y5, Coppice Lane Primary)", "Kane Richards, 6, attends …"
	ageCommaRe  = lazy(`^[^,(]+?(?:,|\s[–-])\s*(\d{1,2})\s*(?:,|\(|$|;|–|-\s|\.$)`)
	schoolWords = phrases{"school", "primary", "academy", "nursery", "college", "junior", "infant", "infants", "pre-school", "preschool", "sixth form", "pru", "grammar", "utc"}
)

// nameStop are capitalised words that start sentences or labels, never a child's name.
var nameStop = map[string]bool{"re": true, "child": true, "children": true, "patient": true, "name": true, "mrs": true,
	"mr": true, "ms": true, "miss": true, "dr": true, "my": true, "the": true, "i": true, "im": true, "young": true,
	"person": true, "dob": true, "d.o.b": true, "born": true, "and": true, "baby": true, "pupil": true, "student": true,
	"sibling": true, "siblings": true, "sister": true, "brother": true, "her": true, "his": true, "their": true, "son": true,
	"daughter": true, "mum": true, "dad": true, "mother": true, "father": true, "safeguarding": true, "referral": true,
	"concern": true, "concerns": true, "about": true, "for": true, "regarding": true, "fw": true, "fwd": true, "urgent": true,
	"present": true, "subject": true, "date": true, "of": true, "birth": true, "also": true, "twins": true, "yp": true,
	"pc": true, "dc": true, "ps": true, "sgt": true, "officer": true, "both": true, "at": true, "on": true, "to": true,
	"in": true, "is": true, "was": true, "with": true, "a": true, "an": true, "from": true, "school": true, "year": true,
	// a form's or a summary's bullet labels, which a date after them does not make a child's name ("- Consent -
	// Carla signed on 12/06/26", "- Consent: mum consented on 20/12/2026")
	"consent": true, "consented": true, "signed": true, "address": true, "outcome": true, "reason": true,
	"referrer": true, "signature": true, "incident": true, "notes": true, "update": true, "summary": true,
	"action": true, "meeting": true, "review": true, "visit": true, "tel": true, "telephone": true, "email": true,
	// a writer's aside correcting what they wrote, which the right date after it does not make a child's name
	// ("Sorry, typo above - Kacey's DOB should be 11/04/2013", "Apologies, I meant 11/04/2013 for Kacey")
	"sorry": true, "apologies": true, "apology": true, "apols": true, "correction": true, "typo": true, "oops": true,
	"amendment": true, "amended": true, "corrected": true}

// entry is one child read from a line.
type entry struct {
	c      domain.Child
	hasDOB bool
}

// parseEntry reads "Name[,|–|(] DOB date [(age)] [, school]" or "Name (age)". ok requires a name and a
// date of birth or an age under 18.
func parseEntry(e string, ref time.Time) (entry, bool) {
	var out entry
	e = withoutRelation(e) // "Alfie Penhaligon (half-brother), 8 - …"
	cut := len(e)
	if h := firstDOB(e, ref); h != nil && !eventDate(e[:h.start]) {
		if roleAfter(e[h.end:]) {
			return out, false // "Jo Bell | 14/11/2026 | Social worker (allocated)": a professional and a contact's date
		}
		out.c.DateOfBirth, out.hasDOB = h.d, true
		cut = h.start
		if rest := e[h.end:]; rest != "" {
			out.c.School = schoolIn(rest)
		}
	}
	if m := ageParenRe.FindStringSubmatchIndex(e); m != nil {
		if a := atoi(e[m[2]:m[3]]); a < 18 && !out.hasDOB {
			out.c.Age = a
		}
		if m[0] < cut {
			cut = m[0]
		}
	} else if m := ageWordsRe.FindStringSubmatchIndex(e); m != nil {
		if m[2] < 0 { // "aged 9", "age 2 (DOB not recorded)" without a unit
			m[2], m[3] = m[4], m[5]
		}
		if u := strings.ToLower(strings.TrimLeft(e[m[1]:], " ")); strings.HasPrefix(u, "month") || strings.HasPrefix(u, "mth") || strings.HasPrefix(u, "week") || strings.HasPrefix(u, "day") {
			// "aged 10 months": no age in years
		} else if a := atoi(e[m[2]:m[3]]); a < 18 && !out.hasDOB {
			out.c.Age = a
		}
		if m[0] < cut {
			cut = m[0]
		}
	}
	if !out.hasDOB && out.c.Age == 0 && sepDigit(e) {
		if m := ageCommaRe.FindStringSubmatchIndex(e); m != nil {
			if a := atoi(e[m[2]:m[3]]); a > 0 && a < 18 {
				out.c.Age = a
				cut = strings.LastIndexAny(e[:m[2]], ",–-")
			}
		}
	}
	if !out.hasDOB && out.c.Age == 0 {
		if m := listBareAgeRe.FindStringSubmatchIndex(e); m != nil {
			// "Macie Brennan 11": two or three name words and an age, nothing else
			if a := atoi(e[m[4]:m[5]]); a > 0 && a < 18 {
				out.c.Age, cut = a, m[3]
			}
		}
	}
	if !out.hasDOB && out.c.Age == 0 {
		return out, false
	}
	head := strings.TrimRight(dobCue.ReplaceAllString(e[:cut], ""), " |-–")
	if out.hasDOB {
		if m := trailingAgeRe.FindStringSubmatchIndex(head); m != nil {
			head = head[:m[0]] // "Connor Brennan 14 (02/04/2012)": the age before the date of birth
		}
		head = cutAsides(head)
	}
	if given, family, ok := surnameFirst(head); ok {
		// "SHARPE, Tyler b.04/05/2016": the police order, the surname in capitals first
		out.c.GivenName, out.c.FamilyName = given, family
		if out.c.School == "" {
			out.c.School = schoolIn(e[cut:])
		}
		return out, true
	}
	if l, after, ok := strings.Cut(head, ":"); ok && len(nameWords(strings.TrimSpace(after), false)) >= 2 && !strings.ContainsAny(l, ",(") {
		if professionalLabel(l) {
			return out, false // "Health Visitor: Amy Cole 14/11/2026": a professional and the date of a contact
		}
		head = strings.TrimSpace(after) // "Toddler: Kai Wild, DOB …", "Sibling 2: …": the name after a bullet's label
	} else if ok && strings.TrimSpace(after) != "" && !strings.ContainsAny(l, ",(") {
		return out, false // "Circumstances: PRICE returned home … Kiera (14) …": a label and its text, not a name
	}
	if professionalLabel(head) {
		return out, false // "Amy Cole – Health Visitor – 14/11/2026", "Lisa Grant (Early Help) 01/02/2026"
	}
	if m := kinLabelRe.FindStringIndex(head); m != nil {
		head = head[m[1]:] // "Sister - Sumaiya Begum, aged 12": the relationship, then the name
	}
	head = dropNickname(head) // "Oliver (Ollie) Hart – born …"
	if i := strings.IndexAny(head, ",(;–:|"); i >= 0 {
		if head[i] == ',' && shouting(strings.TrimSpace(head[:i])) && startsUpper(strings.TrimSpace(head[i+1:])) {
			return out, false // "PIKE, Oliver …" not read as surname first: never the surname alone as a given name
		}
		head = head[:i]
	}
	if i := strings.Index(head, " - "); i >= 0 {
		head = head[:i]
	}
	words := nameWords(head, false)
	if len(words) == 0 || len(words) == 1 && isAgeStop[strings.ToLower(words[0])] {
		return out, false // "Children: Flat (2), Room (3)": a place's or a calendar's number, no child
	}
	out.c.GivenName, out.c.FamilyName = givenFamily(words)
	if out.c.School == "" {
		out.c.School = schoolIn(e[cut:])
	}
	return out, true
}

// roleLabelWords: the words of a professional's role that agencyWords leaves out (roleWords' single words).
var roleLabelWords = map[string]bool{"ddsl": true, "headteacher": true, "inclusion": true, "pastoral": true, "doctor": true, "dr": true,
	"tenancy": true, "pc": true, "dc": true, "ps": true, "advisor": true, "adviser": true, "psychologist": true, "clinical": true,
	"practitioner": true, "senior": true, "lead": true}

// professionalLabel: words beside a listed name that make it a professional's or an adult relative's, not a
// child's ("Health Visitor:", "– Early Help –", "(Key worker)", "Uncle:"): the date on its line is a contact's.
func professionalLabel(s string) bool {
	for rest := s; rest != ""; {
		var w string
		w, rest = nextWord(rest)
		w = strings.Trim(w, ".,:;()–-")
		if lowerIn(agencyWords, w) || lowerIn(roleLabelWords, w) {
			return true
		}
	}
	t := strings.TrimRight(s, " \t.,:;()–-")
	return lowerIn(adultBefore, t[strings.LastIndexAny(t, " \t(")+1:])
}

var (
	// listBareAgeRe: "Macie Brennan 11", "baby Ruby Dolan 1": a name and an age alone on a list's line
	listBareAgeRe = lazy(`^\s*(?:baby\s+)?((?:[A-Z][\p{L}'’-]+\s+){1,2}[A-Z][\p{L}'’-]+)\s+(\d{1,2})\s*$`)
	// trailingAgeRe: an age between the name and its date of birth ("Connor Brennan 14 (02/04/2012)")
	trailingAgeRe = lazy(`\s+\d{1,2}\s*\(?\s*$`)
)

// roleWordsAfter: a professional's role said just after a listed name's date.
var roleWordsAfter = map[string]bool{"worker": true, "officer": true, "visitor": true, "nurse": true, "gp": true, "practitioner": true,
	"manager": true, "coordinator": true, "co-ordinator": true, "midwife": true, "consultant": true, "therapist": true,
	"teacher": true, "police": true, "sergeant": true, "constable": true, "detective": true, "paramedic": true, "hv": true,
	"sw": true, "dsl": true, "senco": true, "social": true, "doctor": true, "dr": true, "advisor": true, "adviser": true}

// roleAfter: the first few words after a date name a professional's role.
func roleAfter(rest string) bool { return roleWithin(rest, 4) }

// roleWithin: one of the first n words of rest names a professional's role.
func roleWithin(rest string, n int) bool {
	rest = rest[:min(len(rest), 10*n)]
	for i := 0; i < n && rest != ""; i++ {
		var w string
		w, rest = nextWord(strings.TrimLeft(rest, " \t|–-,;:()"))
		if lowerIn(roleWordsAfter, strings.Trim(w, ".,:;()|–-")) {
			return true
		}
	}
	return false
}

// eventWords: words just before a date that make it the date of something that happened, not a birth ("seen
// 12/10/2026", "last attended 03/11/2026", "missing since …").
var eventWords = map[string]bool{"seen": true, "attended": true, "visited": true, "visit": true, "contacted": true,
	"contact": true, "referred": true, "referral": true, "reviewed": true, "review": true, "incident": true, "appointment": true,
	"appt": true, "since": true, "from": true, "last": true, "on": true, "missing": true, "arrived": true, "admitted": true,
	"discharged": true, "excluded": true, "moved": true, "started": true, "until": true, "dated": true, "called": true}

// eventDate: the words just before a date (up to three) say it is an event's, with no word of birth among them.
func eventDate(before string) bool {
	event := false
	for i, rest := 0, strings.TrimRight(before, " \t(–-:,"); i < 3 && rest != ""; i++ {
		j := strings.LastIndexAny(rest, " \t")
		w := strings.Trim(rest[j+1:], ".,:;()–-")
		rest = strings.TrimRight(rest[:j+1], " \t(–-:,")
		switch {
		case strings.EqualFold(w, "dob") || strings.EqualFold(w, "d.o.b") || strings.EqualFold(w, "born") || strings.EqualFold(w, "b") ||
			strings.EqualFold(w, "birth") || strings.EqualFold(w, "edd") || strings.EqualFold(w, "due"):
			return false
		case lowerIn(eventWords, w):
			event = true
		}
		if j < 0 {
			break
		}
	}
	return event
}

// firstDOB is the first date in s that can be a child's date of birth.
func firstDOB(s string, ref time.Time) *dateHit {
	for _, h := range findDates(s, ref) {
		if plausibleDOB(h.d, ref) {
			return &h
		}
	}
	return nil
}

// schoolIn finds a segment naming a school in what follows a child's date ("…, Mayfield School (Y10)").
func schoolIn(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		s = s[:i] // this sentence only
	}
	if strings.Contains(s, " - ") {
		s = strings.ReplaceAll(s, " - ", " – ") // "Inês Ferreira, 7 years - Barnfield Primary School": a spaced hyphen parts a list entry
	}
	for _, seg := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '–' || r == '(' || r == ')' }) {
		seg = strings.TrimSpace(strings.Trim(strings.TrimSpace(seg), "-.;:|"))
		if loc := yearInSchoolRe.FindStringIndex(seg); loc != nil {
			seg = seg[loc[1]:] // "he is in year 7 in The Hyde School": the school after the year group
		}
		orig := seg
		if i := strings.IndexByte(seg, ':'); i >= 0 {
			seg = strings.TrimSpace(seg[i+1:]) // "School: Oak Academy" after a date on a form's line
		}
		for _, p := range []string{"attends ", "attending ", "at ", "pupil at "} {
			if strings.HasPrefix(strings.ToLower(seg), p) {
				seg = seg[len(p):]
			}
		}
		for _, p := range []string{" at ", " attends ", " attending ", " goes to ", " go to "} {
			if i := strings.LastIndex(strings.ToLower(seg), p); i >= 0 {
				seg = seg[i+len(p):] // "a Year 2 pupil at Wimborne Infant School", "who attends Priory School"
			}
		}
		seg = trimSchool(seg)
		if !schoolNameWords(seg) {
			// "Year group 6 School Daubeney Primary School" (a flattened form): the name is the capitalised words
			// at the end; "DOB 11/07/2021 - waiting for a school": words about a school, no name
			fs := strings.Fields(seg)
			k := len(fs)
			for k > 0 && schoolNameWords(fs[k-1]) {
				k--
			}
			labelled := false
			if k < len(fs) && strings.EqualFold(fs[k], "school") && k+2 < len(fs) {
				k, labelled = k+1, true // the form's "School" label before the name
			}
			lowerBefore := false
			for _, w := range fs[:k] {
				lowerBefore = lowerBefore || !labelled && w[0] >= 'a' && w[0] <= 'z'
			}
			if seg = strings.Join(fs[k:], " "); len(fs)-k < 2 || !startsUpper(seg) || lowerBefore {
				continue // (only after a form's capitalised labels and values, never after words of a sentence)
			}
		}
		if seg != "" && len(seg) < 60 && (schoolWords.match(seg) || strings.HasSuffix(seg, " High")) && startsUpper(seg) && !strings.HasPrefix(strings.ToLower(seg), "not ") &&
			!pastSchool(orig[:max(0, strings.Index(orig, seg))]) { // "was at Redbridge School", "Previous school: Oak Academy": not where the child is now
			if i := strings.Index(s, seg); i >= 0 && someoneElseAt(s[:i], domain.Child{}) {
				return "" // "… and his friend Jake Moss, who goes to Oak Academy": someone else's school
			}
			return seg
		}
	}
	return ""
}

// yearInSchoolRe: a school year and "in" or "at" before the school's name ("in year 7 in The Hyde School", "Reception at
// Oak Primary").
var yearInSchoolRe = lazy(`(?i)\b(?:(?:year|yr|y)\s?\d{1,2}|reception|nursery\s+class)\s+(?:in|at)\s+`)

// schoolNameWords: a school's name is capitalised words (and a few small ones: "St Mary's Church of England
// Primary School"), with no digit.
func schoolNameWords(seg string) bool {
	if strings.ContainsAny(seg, "0123456789") {
		return false
	}
	for rest := seg; rest != ""; {
		var w string
		w, rest = nextWord(rest)
		if w == "" || startsUpper(w) || w[0] == '(' || w[0] == '&' || w[0] == '\'' {
			continue
		}
		switch strings.Trim(w, ",.;:") {
		case "of", "the", "and", "de", "la", "le", "du", "upon", "on", "in", "with", "for", "y", "st", "at":
			continue
		}
		return false
	}
	return true
}

// schoolEnds are the words a school's name ends with.
var schoolEnds = map[string]bool{"school": true, "primary": true, "academy": true, "nursery": true, "college": true,
	"junior": true, "juniors": true, "infant": true, "infants": true, "pre-school": true, "preschool": true, "high": true,
	"form": true, "pru": true, "schools": true, "grammar": true, "utc": true}

// trimSchool drops what follows a school's name ("Northampton College Doing Motor Vehicle" → "Northampton
// College": a young person's "at northampton college doing motor vehicle").
func trimSchool(seg string) string {
	fs := strings.Fields(seg)
	last := -1
	for i, w := range fs {
		if schoolEnds[strings.ToLower(strings.Trim(w, ".,;:!"))] {
			last = i
		}
	}
	if last < 0 || last == len(fs)-1 {
		return seg
	}
	return strings.Join(fs[:last+1], " ")
}

func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// nameWords returns the trailing run of name-like words of s (backward) or the leading run (forward is
// false: the words of a whole short head). Words are capitalised or all capitals, letters with - ' ’.
func nameWords(s string, trailing bool) []string {
	fs := strings.Fields(strings.Trim(s, " \t-–:,."))
	if trailing {
		var out []string
		i := len(fs) - 1
		for ; i >= 0 && len(out) < 4; i-- {
			w := strings.Trim(fs[i], ",.;:")
			if !isNameWord(w) || nameStop[strings.ToLower(w)] || w != fs[i] && i != len(fs)-1 {
				break
			}
			out = append([]string{w}, out...)
		}
		if len(out) == 1 && i >= 0 {
			if r, _ := utf8.DecodeLastRuneInString(fs[i]); strings.ContainsRune(")'’\"”", r) {
				return nil // "Leo (known as Lee) Hart", "Leo 'Boo' Hart", "Leo “Boo” Hart": a family name after an aside, not a given name
			}
		}
		return out
	}
	if len(fs) == 0 || len(fs) > 4 {
		return nil
	}
	for len(fs) > 0 && nameStop[strings.ToLower(strings.Trim(fs[0], ".:"))] {
		fs = fs[1:]
	}
	for _, w := range fs {
		if !isNameWord(w) {
			return nil
		}
	}
	return fs
}

func isNameWord(w string) bool {
	if w == "" || !startsUpper(w) {
		return false
	}
	letters := 0
	for _, r := range w {
		switch {
		case unicode.IsLetter(r):
			letters++
		case r == '-' || r == '\'' || r == '’':
		default:
			return false
		}
	}
	return letters >= 2
}

// agedChild is a child named by words (givenFamily) with the age the text gives.
func agedChild(words []string, age int) domain.Child {
	var c domain.Child
	c.GivenName, c.FamilyName = givenFamily(words)
	c.Age = age
	return c
}

// givenFamily splits name words; an all-capitals word is the police habit of writing the surname in
// capitals, and is written in title case.
func givenFamily(words []string) (string, string) {
	// "JONES Amelia" (police systems): the surname in capitals first, the given names in mixed case after it
	if len(words) >= 2 && len(words) <= 3 && shouting(words[0]) && len(words[0]) > 2 { // "TJ Dolan": initials, not a surname
		mixed := true
		for _, w := range words[1:] {
			mixed = mixed && !shouting(w)
		}
		if mixed {
			words = append(words[1:len(words):len(words)], words[0])
		}
	}
	if n := len(words); n > 2 {
		switch strings.ToLower(strings.Trim(words[n-1], ".")) {
		case "jr", "junior", "snr", "senior", "ii", "iii":
			words = words[:n-1] // "Leo Hart Jr": the family name before the suffix
		}
	}
	for i, w := range words {
		if i == 0 && len(words) > 1 && len(w) == 2 && shouting(w) && !shouting(words[len(words)-1]) {
			continue // "TJ Dolan": initials as written
		}
		words[i] = titleIfShouting(w)
	}
	if len(words) == 1 {
		return words[0], ""
	}
	return strings.Join(words[:len(words)-1], " "), words[len(words)-1]
}

// shouting: a word of two or more letters all in capitals ("JONES", "WATTS-JONES").
func shouting(w string) bool {
	return len(w) >= 2 && strings.ToUpper(w) == w && strings.ToLower(w) != w
}

func titleIfShouting(w string) string {
	if strings.ToUpper(w) != w && strings.ToLower(w) != w {
		return w // mixed case: as written (McBride, O'Connor)
	}
	var b strings.Builder
	up := true
	for _, r := range w {
		if up {
			b.WriteRune(unicode.ToUpper(r))
		} else {
			b.WriteRune(unicode.ToLower(r))
		}
		up = r == '-' || r == '\'' || r == '’'
	}
	return b.String()
}

// listChildren reads children listed one per line: after a list label, "Child N:" lines, and numbered or
// bulleted lines that hold a name and a date of birth. A blank line ends the list, except right after the
// label or an entry when the next line is an entry too (an HTML list's items become paragraphs).
func listChildren(text string, ref time.Time) []domain.Child {
	var out []domain.Child
	inList, lastEntry, blank, pastHead := false, false, false, false
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		t := strings.TrimSpace(line)
		if t == "" {
			if !lastEntry {
				inList = false
			}
			blank = true
			continue
		}
		afterBlank := blank
		blank, lastEntry = false, false
		if !inList && strings.Contains(t, ": ") && (strings.Contains(t, "children") || strings.Contains(t, "kids") || strings.Contains(t, "siblings")) {
			if m := countedListRe.FindStringIndex(t); m != nil && m[0] > 0 {
				rest := t[m[1]:]
				if j := strings.Index(rest, ". "); j >= 0 {
					rest = rest[:j] // the sentence that lists them
				}
				for _, c := range inlineEntries(strings.TrimSuffix(rest, "."), ref) {
					if c.FamilyName != "" { // "Stacey has two kids: Keira, 12, and Logan, 9.": first names alone are left to the age readers
						out = append(out, c)
					}
				}
			}
		}
		first := t[0]
		lower := ""
		lt := t // the line without its bullet: "- Names/DOBs: Brandon Tomlinson 30.07.13 and …"
		bullet := first >= '0' && first <= '9' || first == '-' || first == '*' || first == '(' || strings.HasPrefix(t, "•") || strings.HasPrefix(t, "·") ||
			strings.HasPrefix(t, "–") || first >= 'a' && first <= 'h' && len(t) > 1 && t[1] == ')'
		if bullet {
			if m := bulletRe.FindStringSubmatch(t); m != nil {
				lt = m[1]
			}
		}
		if f := lt[0] | 0x20; f == 'c' || f == 's' || f == 'o' || f == 'k' || f == 'n' || f == 't' ||
			// "Persons:", "Household:", "Family members:", "Residents:", "Involved persons:", "Linked persons:": lists
			// whose adults the date of birth or age tells apart (a cheap check first: many lines start with these letters)
			f == 'p' && (prefixFold(lt, "person") || prefixFold(lt, "people")) || f == 'h' && prefixFold(lt, "household") ||
			f == 'f' && prefixFold(lt, "family") || f == 'r' && prefixFold(lt, "resident") || f == 'i' && prefixFold(lt, "involved") ||
			f == 'l' && prefixFold(lt, "linked") {
			// (t: "the children", "twins")
			lower = strings.ToLower(lt)
		}
		if lower != "" && (strings.HasPrefix(lower, "child") || strings.HasPrefix(lower, "person") || strings.HasPrefix(lower, "people") ||
			strings.HasPrefix(lower, "household") || strings.HasPrefix(lower, "family") || strings.HasPrefix(lower, "occupant") || strings.HasPrefix(lower, "resident") ||
			strings.HasPrefix(lower, "involved") || strings.HasPrefix(lower, "linked") || strings.HasPrefix(lower, "nominal") || strings.HasPrefix(lower, "cyp") || strings.HasPrefix(lower, "sibling") || strings.HasPrefix(lower, "other") || strings.HasPrefix(lower, "subject") ||
			strings.HasPrefix(lower, "kids") || strings.HasPrefix(lower, "name") || strings.HasPrefix(lower, "the child") || strings.HasPrefix(lower, "twins") ||
			strings.HasPrefix(lower, "the following") || strings.HasPrefix(lower, "the kids") || strings.HasPrefix(lower, "the sibling") || strings.HasPrefix(lower, "young people")) {
			if m := listLabelRe.FindStringSubmatch(lt); m != nil {
				inList, lastEntry, pastHead = true, true, false
				if rest := strings.TrimSpace(m[1]); rest != "" {
					out = append(out, inlineEntries(rest, ref)...)
				}
				continue
			}
			if m := childNumRe.FindStringSubmatch(lt); m != nil {
				out = append(out, parseEntries(m[1], ref)...)
				continue
			}
			if m := peopleLabelRe.FindStringSubmatch(lt); m != nil {
				// "Persons present at the incident:", "People living at the address:", "Others present:"
				inList, lastEntry = true, true
				if rest := strings.TrimSpace(m[1]); rest != "" {
					out = append(out, inlineEntries(rest, ref)...)
				}
				continue
			}
		}
		if !inList && strings.HasSuffix(t, ":") {
			// "… writing about the Ahmed family. The children are:": a sentence ending in a list's label
			if i := strings.LastIndex(t, ". "); i >= 0 && listLabelRe.MatchString(t[i+2:]) {
				inList, lastEntry, pastHead = true, true, false
				continue
			}
			if childrenLead(t) {
				// "She has three children:": the children one a line, in the writer's words
				inList, lastEntry, pastHead = true, true, false
				continue
			}
			if peopleColonLabel(t[strings.LastIndex(t, ". ")+1:]) {
				// "Household as he gave it:", "Everyone in the house:": the people, one a line; each line's date of
				// birth or age tells the children from the adults
				inList, lastEntry, pastHead = true, true, false
				continue
			}
		}
		if !inList && !bullet && i+1 < len(lines) && entryLine(t, ref) && entryLine(strings.TrimSpace(lines[i+1]), ref) {
			// two or more lines that are each a name with an age or a date of birth and nothing else ("Connor
			// Brennan 14 (02/04/2012)" / "Macie Brennan 11"): a list without its label
			inList, pastHead = true, false
		}
		if !inList && !bullet {
			continue
		}
		item := t
		if m := bulletRe.FindStringSubmatch(t); m != nil {
			item = m[1]
		} else if !inList {
			continue
		}
		if es := parseEntries(item, ref); len(es) > 0 {
			if pastHead {
				for i := range es {
					es[i].School = "" // under "Previous school": where the child was, not where they are
				}
			}
			out = append(out, es...)
			lastEntry = true
		} else if c, ok := pronounAgeEntry(item); ok && (inList || bullet) {
			out = append(out, c) // "Rio - he is 14 and goes to …"
			lastEntry = true
		} else if inList && adultLine(item) {
			lastEntry = true // "KEMP Darren 19/03/1984": an adult of the household, listed with the children
		} else if inList && pastColumnHead(t) {
			pastHead = true // "Name   DOB   Gender   Previous school (West Sussex)": a plain table's header row
		} else if inList && (len(t) > 80 || afterBlank) {
			inList = false
		}
	}
	return out
}

// peopleWords: words of a label ending in a colon that introduces the people of a household ("Household as he gave
// it:", "Everyone in the house:", "Who lives there:").
var peopleWords = phrases{"household", "family", "everyone", "everybody", "people", "persons", "occupants", "residents", "family members",
	"who lives", "living at", "living there", "in the house", "in the home", "at the address", "at home",
	// "Home visit … today. Present:", "Also present:": who was there, one a line
	"present"}

// peopleColonLabel: a short line (or a line's last sentence) ending in a colon naming the people of a household.
func peopleColonLabel(t string) bool {
	t = strings.TrimSpace(t)
	return len(t) < 60 && strings.Count(t, " ") < 7 && peopleWords.match(t)
}

// entryLine: a line that is nothing but a name with an age or a date of birth ("Macie Brennan 11", "Connor Brennan 14
// (02/04/2012)", "baby Ruby Dolan born 14th June 2026") — a cheap shape check before parseEntry.
func entryLine(t string, ref time.Time) bool {
	if len(t) < 6 || len(t) > 70 || strings.Count(t, " ") > 7 || !strings.ContainsAny(t, "0123456789") {
		return false
	}
	w, _ := nextWord(t)
	if strings.EqualFold(w, "baby") {
		w, _ = nextWord(t[len(w):])
	}
	if sur := strings.TrimSuffix(w, ","); sur != w && shouting(sur) {
		w = sur // "CLARKE, Tyrell - son - 10/10/2009": a household record's surname first
	}
	if !isNameWord(w) || nameStop[strings.ToLower(w)] || isAgeStop[strings.ToLower(w)] || agencyName(w) {
		return false
	}
	en, ok := parseEntry(t, ref)
	if !ok || !plainName(strings.Fields(en.c.GivenName+" "+en.c.FamilyName)) || isAgeStop[strings.ToLower(en.c.FamilyName)] || lowerIn(numberWords, en.c.FamilyName) {
		return false // "Last Contact - 12/11/2025", "Home Visit - 02/10/2025", "Bedroom Two 1": a log's or a list's lines, not people
	}
	return en.c.FamilyName != "" && (en.c.GivenName == w || strings.HasPrefix(en.c.GivenName, w+" ") || titleIfShouting(w) == en.c.FamilyName)
}

// adultLine: a list's line naming a person with a date or an age that is not a child's ("KEMP Darren 19/03/1984",
// "Mum – Siobhan Moran, 45"): the list goes on.
func adultLine(t string) bool {
	if len(t) > 80 || !strings.ContainsAny(t, "0123456789") {
		return false
	}
	w, rest := nextWord(t)
	if w2, _ := nextWord(rest); !isNameWord(w) || !isNameWord(strings.TrimRight(w2, ",")) || agencyName(w+" "+w2) {
		return false // two name words first
	}
	if commaDigit(t) || sepDigit(t) {
		return true
	}
	if !mayHoldDate(t) {
		return false
	}
	_, ok := findDate(t)
	return ok
}

var numberWords = map[string]bool{"one": true, "two": true, "three": true, "four": true, "five": true, "six": true, "seven": true,
	"eight": true, "nine": true, "ten": true, "first": true, "second": true, "third": true, "fourth": true, "fifth": true}

// pastColumnHead: a plain table's header row (no date) naming a column of the school the child was at before.
func pastColumnHead(t string) bool {
	if !containsAny(t, []string{"chool", "ollege", "cademy", "ursery", "CHOOL"}) || !containsAny(t, []string{"revious", "ormer", "ast", "ld", "rior", "REVIOUS", "ORMER"}) {
		return false // a cheap check first: most lines under a list's label are not a header row
	}
	return schoolWords.match(t) && pastSchool(t) && firstDOB(t, time.Time{}) == nil
}

// prefixFold: s starts with p, in any case (p in lower case, ASCII).
func prefixFold(s, p string) bool {
	return len(s) >= len(p) && strings.EqualFold(s[:len(p)], p)
}

// jointHead: two given names sharing a family name before one date of birth ("Amelia & Ava Richards, DOB
// 05.05.2025": twins).
var jointHead = lazy(`^\s*([A-Z][\p{L}'’-]+)\s*(?:&|and)\s*([A-Z][\p{L}'’-]+)\s+([A-Z][\p{L}'’-]+)\s*[,(–-]`)

// parseEntries is parseEntry, reading two children from a joint head.
func parseEntries(e string, ref time.Time) []domain.Child {
	var m []int
	if strings.Contains(e, "&") || strings.Contains(e, " and ") {
		m = jointHead.FindStringSubmatchIndex(e)
	}
	if m == nil {
		if en, ok := parseEntry(e, ref); ok {
			return []domain.Child{en.c}
		}
		return nil
	}
	first, second, family := e[m[2]:m[3]], e[m[4]:m[5]], e[m[6]:m[7]]
	en, ok := parseEntry(e[m[4]:], ref) // "Ava Richards, DOB …": the second's entry, then both
	if !ok || !en.hasDOB || nameStop[strings.ToLower(first)] || nameStop[strings.ToLower(second)] || nameStop[strings.ToLower(family)] {
		return nil
	}
	a := en.c
	a.GivenName, a.FamilyName = titleIfShouting(first), titleIfShouting(family)
	return []domain.Child{a, en.c}
}

var entriesSplit = lazy(`\s+and\s+|;\s*|\)\s*,\s*`)

// inlineEntries reads several children written on one line: "Aria Collins (30/03/2017) and Theo Collins
// (08/11/2019)".
func inlineEntries(s string, ref time.Time) []domain.Child {
	var out []domain.Child
	s = withoutRelation(s) // "Alfie Penhaligon (half-brother), 8 - …": kept with its age
	if strings.Contains(s, "),") {
		s = strings.ReplaceAll(s, "),", ");") // "Josh (10), Kian (6)": the bracket kept with its entry
	}
	for _, part := range entriesSplit.Split(s, -1) {
		for _, p := range splitAfterDates(part, ref) {
			out = append(out, parseEntries(p, ref)...)
		}
	}
	return out
}

// splitAfterDates splits "Amelia JONES 12/03/2015, Leo JONES 01/01/2018" at the comma after each date of
// birth but the last (a part with one date is returned whole).
func splitAfterDates(part string, ref time.Time) []string {
	hits := findDates(part, ref)
	if len(hits) < 2 {
		// "Holly Reed 6yrs, Finn Reed 3yrs": a comma after each age
		if ms := ageWordsRe.FindAllStringIndex(part, -1); len(ms) >= 2 {
			var out []string
			start := 0
			for _, m := range ms[:len(ms)-1] {
				j := strings.IndexByte(part[m[1]:], ',')
				if j < 0 || j > 3 {
					if nameNext(part[m[1]:]) {
						// "ROBERTS, Jaylen 8 yrs ROBERTS, Amira 5 yrs": a table cell's lines joined, a name after each age
						out = append(out, part[start:m[1]])
						start = m[1]
					}
					continue
				}
				out = append(out, part[start:m[1]+j])
				start = m[1] + j + 1
			}
			return append(out, part[start:])
		}
		return []string{part}
	}
	var out []string
	start := 0
	for _, h := range hits[:len(hits)-1] {
		if h.end < start {
			continue
		}
		j := strings.IndexByte(part[h.end:], ',')
		if j < 0 || j > 40 {
			continue
		}
		out = append(out, part[start:h.end+j])
		start = h.end + j + 1
	}
	return append(out, part[start:])
}

var dobCue = lazy(`(?i)(?:\(|,|\s)\s*(?:dob|d\.o\.b\.?|b\.|(?:(?:who\s+)?was\s+|who['’]s\s+)?born(?: on)?(?: the)?|date of birth|(?:(?:his|her)\s+)?birthday\s+is(?: on)?(?: the)?)?[:\-–\s]*$`)

// siblingWords: the word just before a given name that makes the person the referred child's brother or sister.
var siblingWords = map[string]bool{"sister": true, "brother": true, "sibling": true, "half-sister": true, "half-brother": true,
	"stepsister": true, "stepbrother": true, "step-sister": true, "step-brother": true}

// siblingNamed: the text names given as a brother or sister ("younger sister Lena (9)"): a child of the household
// beside the one a form is about.
func siblingNamed(text, given string) bool {
	for i, n := 0, 0; given != "" && n < 5; n++ {
		j := strings.Index(text[i:], given)
		if j < 0 {
			return false
		}
		j += i
		i = j + len(given)
		t := strings.TrimRight(text[:j], " \t")
		if len(t) == j {
			continue
		}
		if lowerIn(siblingWords, t[strings.LastIndexAny(t, " \t\n(")+1:]) {
			return true
		}
	}
	return false
}

// nameNext: s (what follows a child's age or date) starts, after a space, with the next person's name — a
// capitalised name word, or a surname in capitals with its comma ("ROBERTS, Amira").
func nameNext(s string) bool {
	t := strings.TrimLeft(s, " \t")
	if len(t) == len(s) {
		return false
	}
	w, rest := nextWord(t)
	if sur := strings.TrimSuffix(w, ","); sur != w {
		return shouting(sur) && isNameWord(sur) && !nameStop[strings.ToLower(sur)]
	}
	w2, _ := nextWord(rest)
	return isNameWord(w) && isNameWord(w2) && !nameStop[strings.ToLower(w)] && !isAgeStop[strings.ToLower(w)]
}

// surnameFirst reads a name written surname first, the surname in capitals and a comma after it, the police
// and case systems' order: "SHARPE, Tyler", "WATTS-JONES, Harper-Lee (Miss)", "MORGAN, Riley". The whole of s
// must be that name (one or two surname words, one to three given names); an adult's title after the comma
// is not a child's name.
func surnameFirst(s string) (given, family string, ok bool) {
	before, after, found := strings.Cut(s, ",")
	if !found {
		return "", "", false
	}
	sur := strings.Fields(before)
	giv := strings.Fields(cleanName(after))
	if n := len(giv); n > 1 && (giv[n-1] == "M" || giv[n-1] == "F") {
		giv = giv[:n-1] // "LEVY, Reuben  M  12/04/2012": the gender column after the name
	}
	if len(sur) == 0 || len(sur) > 2 || len(giv) == 0 || len(giv) > 3 || adultTitled(after) {
		return "", "", false
	}
	for _, w := range sur {
		if !isNameWord(w) || strings.ToUpper(w) != w || nameStop[strings.ToLower(w)] {
			return "", "", false
		}
	}
	for _, w := range giv {
		if !isNameWord(w) || nameStop[strings.ToLower(w)] {
			return "", "", false
		}
	}
	for i, w := range sur {
		sur[i] = titleIfShouting(w)
	}
	for i, w := range giv {
		giv[i] = titleIfShouting(w)
	}
	return strings.Join(giv, " "), strings.Join(sur, " "), true
}

// surnameFirstTail is surnameFirst for the end of a text ("Re: MORGAN, Riley"): the last one or two given
// names and the capitalised surname with its comma before them.
func surnameFirstTail(s string) (given, family string, ok bool) {
	fs := strings.Fields(s)
	for n := 1; n <= 2 && n < len(fs); n++ {
		k := len(fs) - n - 1
		if !strings.HasSuffix(fs[k], ",") {
			continue
		}
		return surnameFirst(strings.Join(fs[k:], " "))
	}
	return "", "", false
}

// runningChildren finds "Name Surname (DOB date)", "Name SURNAME born date", "Name, DOB date", "Name Surname
// (date)" inside sentences: a plausible child's date of birth, said to be one (DOB, born, a bracket), with a
// capitalised name just before it. "Noah Baxter and Elliot Baxter (twins, DOB …)" gives both the date;
// "Freddie's DOB is …" names the child by the given name (the family name is looked for elsewhere in text).
func runningChildren(text string, ref time.Time) []domain.Child {
	var out []domain.Child
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		if strings.Contains(line, ") ") && prefixFold(strings.TrimSpace(line), "household") {
			// "Household at last address | …; Logan Kerr (brother) 13, Kingswood Secondary Academy"
			if i := strings.IndexAny(line, ":|\t"); i > 0 && i < 40 {
				out = append(out, householdAges(line[i+1:])...)
			}
		}
		hits := findDates(line, ref)
		if len(hits) == 0 {
			continue
		}
		if i > 0 && strings.HasPrefix(strings.TrimSpace(line), "(") && hits[0].start < 12 && dobCue.MatchString(line[:hits[0].start]) &&
			len(nameWords(lines[i-1], true)) >= 2 {
			// "… half-brother Harvey Tompkins" / "(DOB 14-Oct-2023)": a form's value wrapped before the bracket
			line = lines[i-1] + " " + strings.TrimSpace(line)
			hits = findDates(line, ref)
		}
		if lf, ok := splitLabel(line); ok {
			if lf.f != fHousehold || !strings.Contains(lf.value, "(") {
				continue // a labelled field: the form reader's
			}
			// "Household | Mother Kirsty Tompkins (DOB 19-Feb-1990); … half-brother Harvey Tompkins (DOB 14-Oct-2023)":
			// the household's children by their dates of birth
			line = lf.value
			if hits = findDates(line, ref); len(hits) == 0 {
				continue
			}
		}
		chain := nameDateChain(line, hits, ref)
		out = append(out, chain...)
		for _, h := range hits {
			if !plausibleDOB(h.d, ref) {
				continue
			}
			before := line[:h.start]
			if m := possessiveDOB.FindStringSubmatchIndex(before); m != nil {
				c := domain.Child{GivenName: titleIfShouting(before[m[2]:m[3]]), DateOfBirth: h.d}
				c.FamilyName = familyOf(text, c.GivenName)
				if g, ok := givenBeforeFamily(text, before[:m[2]], before[m[2]:m[3]]); ok {
					c.GivenName, c.FamilyName = g, titleIfShouting(before[m[2]:m[3]]) // "Leo Smith's DOB is …"
				} else if !ok && g == "?" {
					continue // a name word before "Smith's" that is no given name the email writes with it: unread
				}
				out = append(out, c)
				continue
			}
			cue := dobCue.FindString(before)
			hasCue := strings.TrimSpace(strings.Trim(cue, ",:-– ")) != ""
			before = before[:len(before)-len(cue)]
			isDate := false
			if b, ok := strings.CutSuffix(before, " is"); ok && !hasCue && numericDate(line[h.start:h.end]) {
				// "Ivy is 8.1.20": a date in figures said to be a named child is its date of birth (an age has no dots)
				if ws := nameWords(b, true); len(ws) >= 1 && len(ws) <= 2 && !isAgeStop[strings.ToLower(ws[0])] {
					before, hasCue, isDate, cue = b, true, true, " born "
				}
			}
			// an age or a word in brackets between name and date: "Harry WOODWARD (10) DOB …", "(twins, DOB …"
			if m := bracketAside.FindStringIndex(before); m != nil {
				before, hasCue = before[:m[0]], true
			}
			// an age between name and a said date of birth: "Leo FROST, 4 months (DOB …)", "Mia FROST, aged 3 (DOB …)"
			if hasCue {
				if m := ageAside.FindStringIndex(before); m != nil {
					before = before[:m[0]]
				}
				// a school year between name and date of birth: "a brother Alfie Harrington in Y5 (DOB 30.06.2017)"
				before = cutAsides(before)
			}
			words := nameWords(before, true)
			if ws := nicknameTail(before); ws != nil && hasCue {
				words = ws // "Alfie (Alf) Turner born 6th Aug 2016": the other name in brackets left out
			}
			if !hasCue && !(len(words) >= 2 && strings.TrimSpace(reLine(before)) == strings.Join(words, " ") && strings.HasPrefix(cue, ",")) {
				continue // "Ollie Bentley, 12/04/2016, …" at the start of a line is a child; a date after any other name is not
			}
			if len(words) == 0 || placeBefore(before, words) {
				continue
			}
			names := [][]string{words}
			if g, f, ok := surnameFirstTail(before); ok && len(words) <= 2 {
				names = [][]string{append(strings.Fields(g), f)} // "SHARPE, Tyler b.04/05/2016"
			}
			rest := strings.TrimSpace(before[:strings.LastIndex(before, words[0])])
			if r, ok := strings.CutSuffix(rest, " and"); ok || rest == "and" {
				if more := nameWords(r, true); len(more) >= 2 && len(words) >= 2 {
					names = append([][]string{more}, names...)
				} else if len(more) == 1 && len(words) == 2 && hasCue && !nameStop[strings.ToLower(more[0])] && !isAgeStop[strings.ToLower(more[0])] {
					// "Mia and Sam Hart (twins, DOB 01/01/2019)": two given names sharing the family name
					names = append([][]string{{more[0], words[1]}}, names...)
				}
			}
			if ws := dashRowName(before); ws != nil && hasCue && strings.Join(ws, " ") != strings.Join(words, " ") {
				// "2. ROSIE WALSH - YR 5 - HAWTHORN PRIMARY - DOB 14/5/17": the row's first column names its child
				names = append(dashRowOthers(names, text), ws)
			}
			for _, ws := range names {
				if len(ws) < 2 && !strings.Contains(strings.ToLower(cue), "dob") && !strings.Contains(strings.ToLower(cue), "born") && !strings.Contains(strings.ToLower(cue), "birthday") {
					continue
				}
				if isDate && familyOf(text, ws[0]) == "" {
					continue // a given name alone said to be a date, no child of the email's
				}
				var c domain.Child
				c.GivenName, c.FamilyName = givenFamily(ws)
				c.DateOfBirth = h.d
				c.School = schoolIn(schoolTail(line, h, hits))
				out = append(out, c)
			}
		}
	}
	return out
}

// householdAgeRe: one person of a household field with a relation in brackets and an age: "Logan Kerr (brother)
// 13, Kingswood Secondary Academy".
var householdAgeRe = lazy(`^\s*([A-Z][\p{L}'’-]+(?:\s+[A-Z][\p{L}'’-]+){1,2})\s*\(((?:half|step)?[- ]?(?:son|daughter|brother|sister|sibling|child|grandson|granddaughter|nephew|niece|cousin))\)\s*(?:aged?\s+)?(\d{1,2})(?:\s*(?:yrs?|years?(?:\s+old)?))?\s*(?:[,–-]\s*(.*))?$`)

// householdAges reads the children of a household field that gives each person's relation and, for a child, an
// age where a date of birth would be ("Tracey Kerr (mother) 05/09/1984; … Logan Kerr (brother) 13, Kingswood
// Secondary Academy"): an adult's relation, or an age of 18 or more, is no child's.
func householdAges(value string) []domain.Child {
	var out []domain.Child
	for _, item := range strings.Split(value, ";") {
		m := householdAgeRe.FindStringSubmatch(item)
		if m == nil {
			continue
		}
		ws := strings.Fields(m[1])
		if a := atoi(m[3]); a > 0 && a < 18 && plainName(ws) && !nameStop[strings.ToLower(ws[0])] {
			var c domain.Child
			c.GivenName, c.FamilyName = givenFamily(ws)
			c.Age, c.School = a, schoolIn(m[4])
			out = append(out, c)
		}
	}
	return out
}

// surnameListRe: one line of a list written surname first in mixed case, then an age or a date: "Popescu, Daria –
// 14", "Popescu, Sofia – 5 months", "Okafor, Temi - 12/09/2022". Group 1 the surname, 2 the given names, 3 the rest.
var surnameListRe = lazy(`^([A-Z][\p{L}'’-]+),\s+([A-Z][\p{L}'’-]+(?:\s+[A-Z][\p{L}'’-]+)?)\s*[–—,-]\s*(.+)$`)

// surnameLists reads lists written surname first in mixed case ("Popescu, Daria – 14" copied from a voucher):
// "Popescu, Daria" reads as well as two given names, so only a run of two lines or more sharing the first word is
// read so — the family name written on each. Each line's age (under 18; months are none in years) or date of birth
// (a child's) is read; a line with neither, or an adult's, is not a child.
func surnameLists(text string, ref time.Time) []domain.Child {
	var out []domain.Child
	var run []domain.Child
	fam, lines := "", 0
	flush := func() {
		if lines >= 2 {
			out = append(out, run...)
		}
		run, fam, lines = nil, "", 0
	}
	for _, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(line)
		if t == "" {
			continue // an HTML list's items come a paragraph each
		}
		if m := bulletRe.FindStringSubmatch(t); m != nil {
			t = m[1]
		}
		m := surnameListRe.FindStringSubmatch(t)
		if m == nil || shouting(m[1]) || nameStop[strings.ToLower(m[1])] || isAgeStop[strings.ToLower(m[1])] || !plainName(strings.Fields(m[2])) {
			flush()
			continue
		}
		if fam != "" && m[1] != fam {
			flush()
		}
		fam = m[1]
		lines++ // an adult's line sharing the surname counts towards the run, and is no child
		c := domain.Child{GivenName: m[2], FamilyName: m[1]}
		rest := strings.TrimSpace(m[3])
		if h := firstDOB(rest, ref); h != nil && h.start == 0 {
			c.DateOfBirth = h.d
		} else if a := leadingNumber(rest); a > 0 {
			u := strings.ToLower(strings.TrimLeft(strings.TrimLeft(rest, "0123456789"), " "))
			switch {
			case strings.HasPrefix(u, "month") || strings.HasPrefix(u, "mth") || strings.HasPrefix(u, "week"):
			case a >= 18:
				continue // an adult's line: "Popescu, Ioana – 38"
			case u == "" || strings.HasPrefix(u, "y") || strings.HasPrefix(u, ",") || strings.HasPrefix(u, "("):
				c.Age = a
			default:
				lines--
				continue // "Smith, John – 07700 900123": a number that is no age
			}
		} else {
			lines--
			continue
		}
		run = append(run, c)
	}
	flush()
	return out
}

// numericDate: a date written in figures with separators ("8.1.20", "08/01/2020"), never an age.
func numericDate(s string) bool {
	return strings.ContainsAny(s, "./-") && strings.Trim(s, "0123456789./- ") == ""
}

// placeBefore: the name words that end before are the object of "at", "in" or "near" — a school's or a place's
// name ("Kai Brennan, Y10 here at Springfield, DOB 11/1/12"), not a child's.
func placeBefore(before string, words []string) bool {
	head := strings.TrimRight(before, " \t-–:,.")
	for range words {
		i := strings.LastIndexAny(head, " \t\n")
		if i < 0 {
			return false
		}
		head = strings.TrimRight(head[:i], " \t")
	}
	prev := head[strings.LastIndexAny(head, " \t\n(")+1:]
	switch prev {
	case "at", "in", "near":
		return true
	}
	return false
}

// nameDateChain reads children listed in a sentence as names each followed by its date of birth, with no word
// saying so: "Five children live there: Shanice Bailey 03/06/09, Tyrell Bailey 22.12.2011 and Amani Bailey 18
// January 2022". Only a run of two or more such pairs, joined by commas, "and", "&" or semicolons, is a list:
// one name before one date is as often a professional and the day of a visit. Each name is two to four name
// words, none a label's or a sentence's word, none with an adult's title.
func nameDateChain(line string, hits []dateHit, ref time.Time) []domain.Child {
	if len(hits) < 2 {
		return nil
	}
	var best, run []domain.Child
	prevEnd := -1
	end := func() {
		old := false // a log of recent visits is not a household: one of its children was born over a year ago
		for _, c := range run {
			old = old || c.DateOfBirth.Time(time.UTC).AddDate(1, 0, 0).Before(ref)
		}
		if len(run) >= 2 && len(run) > len(best) && (old || ref.IsZero()) {
			best = run
		}
		run = nil
	}
	for _, h := range hits {
		if !plausibleDOB(h.d, ref) {
			end()
			prevEnd = -1
			continue
		}
		before := strings.TrimRight(line[:h.start], " -–")
		var ws []string
		if prevEnd >= 0 && len(run) > 0 {
			gap := strings.TrimSpace(line[prevEnd:len(before)])
			sep := ""
			for _, p := range []string{",", ";", "&", "and ", ", and "} {
				if strings.HasPrefix(gap, p) && len(p) > len(sep) {
					sep = p
				}
			}
			if sep == "" {
				end()
			} else {
				ws = strings.Fields(strings.TrimSpace(gap[len(sep):]))
				if len(ws) < 2 || len(ws) > 4 {
					end()
					ws = nil
				}
			}
		}
		if ws == nil {
			ws = nameWords(before, true)
		}
		ok := len(ws) >= 2 && len(ws) <= 4 && plainName(ws) && !adultTitled(strings.Join(ws, " "))
		for _, w := range ws {
			ok = ok && isNameWord(w)
		}
		if !ok {
			end()
			prevEnd = -1
			continue
		}
		var c domain.Child
		c.GivenName, c.FamilyName = givenFamily(append([]string(nil), ws...))
		c.DateOfBirth = h.d
		run = append(run, c)
		prevEnd = h.end
	}
	end()
	return best
}

var pronounBornRe = lazy(`\b(?:[Ss]he|[Hh]e)(?:\s+was|['’]s\s+\d{1,2}\s*\(|\s+is\s+\d{1,2}\s*\()\s*born(?:\s+on)?(?:\s+the)?\s+`)

var fullNameRe = lazy(`\b([A-Z][\p{L}'’-]+)\s+([A-Z][\p{L}'’-]+)\b`)

// adultBefore are words before a name that make it an adult's ("Mum Kerry Hart", "her partner Dean Hart").
var adultBefore = map[string]bool{"mum": true, "mother": true, "dad": true, "father": true, "partner": true, "stepdad": true,
	"stepfather": true, "stepmum": true, "stepmother": true, "aunt": true, "uncle": true, "nan": true, "grandmother": true,
	"grandfather": true, "grandma": true, "grandad": true, "boyfriend": true, "girlfriend": true, "husband": true, "wife": true,
	"carer": true, "teacher": true, "officer": true, "colleague": true, "neighbour": true, "friend": true}

// pronounBorn reads a date of birth said of "she" or "he" — "Amara Nwosu is in my Year 4 class (she was born on
// the 14th of June 2018)", "my granddaughter, Chloë Fairweather. She's 13 (born 19 January 2013)": the child is
// the full name written last before it, with no other lone name between, not an adult's ("Mum Kerry Hart").
func pronounBorn(text string, ref time.Time) []domain.Child {
	var ms [][]int
	if strings.Contains(text, "born") {
		ms = pronounBornRe.FindAllStringIndex(text, -1)
	}
	ms = append(ms, possessiveDOBAt(text)...) // "…, his DOB is 14/10/23"
	var out []domain.Child
	for _, m := range ms {
		rest := text[m[1]:min(len(text), m[1]+40)]
		h := firstDOB(rest, ref)
		if h == nil || h.start != 0 {
			continue
		}
		window := text[max(0, m[0]-300):m[0]]
		names := fullNameRe.FindAllStringSubmatchIndex(window, -1)
		var c domain.Child
		for k := len(names) - 1; k >= 0; k-- {
			g, f := window[names[k][2]:names[k][3]], window[names[k][4]:names[k][5]]
			ws := []string{g, f}
			if !plainName(ws) || isAgeStop[strings.ToLower(g)] || schoolWords.match(g+" "+f) || placeWords.match(g+" "+f) {
				continue
			}
			prev := strings.Fields(window[:names[k][0]])
			if len(prev) > 0 && (adultBefore[strings.ToLower(strings.Trim(prev[len(prev)-1], ",.:;"))] || adultTitled(prev[len(prev)-1])) {
				break
			}
			if otherNameBetween(window[names[k][1]:], domain.Child{GivenName: g, FamilyName: f}) ||
				possessiveDOBOfOther(text[m[0]:m[1]], window[names[k][1]:]) {
				break
			}
			c.GivenName, c.FamilyName = givenFamily([]string{g, f})
			break
		}
		if c.GivenName == "" {
			continue
		}
		c.DateOfBirth = h.d
		out = append(out, c)
	}
	return out
}

var pronounAgeRe = lazy(`(?:[.!?]\s+)(?:She|He)(?:['’]s|\s+is)\s+(?:only\s+|just\s+)?(\d{1,2})(?:\s*(?:years?|yrs?)(?:\s+old)?)?(?:\s*[,;:!]|\s*\.(?:\D|$)|\s+(?:and|but|so|now|at|in)\b)`)

// writerNamed: the words just before a name are the writer saying who they are ("My name is Sarah Lowe", "I am Jo
// Bell, the DSL"), not "I am writing about my friend Callum Reddy".
func writerNamed(before string) bool {
	b := strings.ToLower(strings.TrimRight(before, " \t"))
	for _, p := range []string{"my name is", "i am", "i'm", "i’m", "this is", "name's", "name is"} {
		if strings.HasSuffix(b, p) && (len(b) == len(p) || !isWordByte(b[len(b)-len(p)-1])) {
			return true
		}
	}
	return false
}

// pronounAge reads an age said of "she" or "he" at the start of the sentence after the one naming the child:
// "One of our junior members, Ellie Brannigan, came to training tonight. She's 13 and at Friern Barnet School."
// The child is the full name written last in that sentence, with no other lone name after it, not an adult's
// ("… spoke to Mum, Kerry Hart. She is 34"), nor a title's ("Ms Priya Shah").
func pronounAge(text string) []domain.Child {
	if !strings.Contains(text, ". She") && !strings.Contains(text, ". He") {
		return nil
	}
	var out []domain.Child
	for _, m := range pronounAgeRe.FindAllStringSubmatchIndex(text, -1) {
		age := atoi(text[m[2]:m[3]])
		if age <= 0 || age >= 18 {
			continue
		}
		window := text[:m[0]+1]
		if i := strings.LastIndexAny(window[:len(window)-1], ".!?\n"); i >= 0 {
			window = window[i+1:] // the sentence before
		}
		names := fullNameRe.FindAllStringSubmatchIndex(window, -1)
		var c domain.Child
		people := 0 // one person named in the sentence: "Tom Hart and Amy Hart … She's 12" says nobody
		for k := len(names) - 1; k >= 0; k-- {
			g, f := window[names[k][2]:names[k][3]], window[names[k][4]:names[k][5]]
			ws := []string{g, f}
			if !plainName(ws) || isAgeStop[strings.ToLower(g)] || nameStop[strings.ToLower(g)] || schoolWords.match(g+" "+f) || placeWords.match(g+" "+f) || agencyName(g+" "+f) {
				continue
			}
			people++
			if writerNamed(window[:names[k][0]]) {
				c = domain.Child{} // "My name is Sarah Jones. She is 13 …": the writer named, the child not
				break
			}
			prev := strings.Fields(window[:names[k][0]])
			if people > 1 || len(prev) > 0 && (adultBefore[strings.ToLower(strings.Trim(prev[len(prev)-1], ",.:;"))] || adultTitled(prev[len(prev)-1])) ||
				otherNameBetween(window[names[k][1]:], domain.Child{GivenName: g, FamilyName: f}) {
				c = domain.Child{}
				break
			}
			c.GivenName, c.FamilyName = givenFamily([]string{g, f})
		}
		if c.GivenName == "" {
			continue
		}
		c.Age = age
		out = append(out, c)
	}
	return out
}

var eddRe = lazy(`(?i)\b(?:EDD|E\.D\.D\.?|due date|expected date of delivery|baby is due|baby due|due to give birth(?:\s+on)?|due on)\b[\s:|–-]*(?:is\s+|of\s+|on\s+)?`)

// pregnantDueRe: "26 weeks pregnant, due 3rd March 2027", "pregnant (due 14/04/2027)", "expecting a baby, due
// 01/04/2027" — a bare "due" counts straight after "pregnant" or "expecting" ("pregnant and her scan is due
// 12/01/2027" is a scan's date).
var pregnantDueRe = lazy(`(?i)\b(?:pregnant|expecting(?:\s+a\s+baby)?)\s*[,(–-]?\s*(?:and\s+)?due\b[\s:|–-]*(?:on\s+)?`)

// unnamedBabyRe: a baby with a date of birth and no name ("a baby girl, dob 10/06/2026, whose name mother
// refused to give", "their newborn son, born 02/11/2026").
var unnamedBabyRe = lazy(`(?i)\b(?:a|the|her|his|their|one|new)\s+(?:new[- ]?born\s+|little\s+|infant\s+)?(?:baby|infant|newborn)(?:\s+(?:girl|boy|son|daughter|brother|sister))?\s*[,(]?\s*(?:dob|d\.o\.b\.?|born(?:\s+on)?|date\s+of\s+birth)\b[\s:.–-]*`)

// unnamedBabies reads a baby said with a date of birth and no name (unnamedBabyRe): a child of its own, to be
// named by the screener.
func unnamedBabies(text string, ref time.Time) []domain.Child {
	if !containsAny(text, []string{"baby", "Baby", "infant", "newborn"}) {
		return nil
	}
	var out []domain.Child
	for _, m := range unnamedBabyRe.FindAllStringIndex(text, -1) {
		if h := firstDOB(text[m[1]:min(len(text), m[1]+30)], ref); h != nil && h.start == 0 {
			out = append(out, domain.Child{DateOfBirth: h.d})
		}
	}
	return out
}

// unbornChildren reads a baby not yet born said in a line: "Unborn baby, EDD 14.02.2027", "24 weeks pregnant
// (EDD 19 March 2027)", "Unborn baby EDD | 14/01/2027": a due date after the email and within ten months of it.
// otherPregnancy: the sentence before a due date names as the one expecting someone outside the household (an
// aunt, a neighbour, a teacher, a friend).
func otherPregnancy(before string) bool {
	if i := strings.LastIndexAny(before, ".!?"); i >= 0 {
		before = before[i+1:]
	}
	return containsAny(strings.ToLower(before), []string{"aunt", "neighbour", "teacher", "colleague", "friend", "cousin", "staff",
		"maternity leave", "worker", "officer", "girlfriend of", "lodger", "tenant next door"})
}

func unbornChildren(text string, ref time.Time) []domain.Child {
	if ref.IsZero() || !containsAny(text, []string{"EDD", "edd", "E.D.D", "due", "Due"}) {
		return nil
	}
	var out []domain.Child
	for _, line := range strings.Split(text, "\n") {
		if !containsAny(line, []string{"EDD", "edd", "E.D.D", "due", "Due"}) {
			continue
		}
		ms := eddRe.FindAllStringIndex(line, -1)
		if strings.Contains(line, "due") && (strings.Contains(strings.ToLower(line), "pregnan") || strings.Contains(line, "expecting")) {
			ms = append(ms, pregnantDueRe.FindAllStringIndex(line, -1)...)
		}
		for _, m := range ms {
			rest := line[m[1]:min(len(line), m[1]+30)]
			hs := findDates(rest, ref)
			if len(hs) == 0 || hs[0].start != 0 {
				d, ok := dueDateAt(rest, ref) // "EDD 20/01/27": a two-digit year in the coming months
				if !ok && pregnancyLine(line) {
					d, ok = dueNoYearAt(rest, ref) // "EDD 20th January": the next such day
				}
				if !ok {
					continue
				}
				hs = []dateHit{{d: d}}
			}
			t := hs[0].d.Time(time.UTC)
			if !t.After(ref) || t.After(ref.AddDate(0, 10, 0)) || !pregnancyLine(line) {
				continue // (and "The rent is due on 14/02/2027", "the report is due date …": no baby's)
			}
			if otherPregnancy(line[:m[0]]) {
				continue // "His aunt is pregnant, due …", "his teacher is on maternity leave, baby due …": not the family's baby
			}
			out = append(out, domain.Child{DateOfBirth: hs[0].d, Unborn: true})
		}
	}
	return out
}

// reLine drops a letter's "Re:" before a child's name at the start of a line ("Re: Amelia Jones, 12/03/2015").
func reLine(s string) string {
	t := strings.TrimSpace(s)
	if len(t) > 3 && (t[0] == 'R' || t[0] == 'r') && (t[1] == 'e' || t[1] == 'E') && (t[2] == ':' || t[2] == ' ') {
		return strings.TrimLeft(t[3:], ": ")
	}
	return s
}

var (
	// schoolYearAside: a school year written between a child's name and the date of birth ("Kyle Dunn Yr6 -
	// 03.06.2016", "Alfie Harrington in Y5 (DOB …)", "Mia Hart, Year 2, DOB …", "Leo Hart (Reception) …")
	schoolYearAside = lazy(`(?i)(?:,|\s)\s*\(?(?:in\s+)?(?:y|yr|year)\s?\d{1,2}[a-z]?\)?\s*[-–,]?\s*$|(?:,|\s)\s*\(?(?:in\s+)?reception\)?\s*[-–,]?\s*$`)
	// kinLabelRe: a brother's or sister's relationship written first, as a label ("Sister - Sumaiya Begum, aged 12")
	kinLabelRe = lazy(`^(?i:(?:half[- ]|step-?)?(?:sister|brother|sibling|son|daughter))\s*[-–:]\s*`)
	// kinAside: the child's relationship written between the name and the date of birth, as a tenancy or a
	// household record lists it ("CLARKE, Tyrell - son - 10/10/2009", "Leo Hart (son) 03/03/2017"), or twins ("Amelie and
	// Oscar Dunne, twins, born 14/05/2025")
	kinAside      = lazy(`(?i)\s*[-–,(]\s*(?:son|daughter|step-?son|step-?daughter|(?:half[- ]|step-?)?(?:brother|sister)|sibling|child|grandson|granddaughter|nephew|niece|foster (?:son|daughter|child)|(?:the )?twins?)\s*\)?\s*[-–,]?\s*$`)
	possessiveDOB = lazy(`\b([A-Z][\p{L}-]+)['’]s\s+(?:DOB|D\.O\.B\.?|date of birth)\s+is\s*$`)
	bracketAside  = lazy(`\s*\((?:\d{1,2}|[a-z]+,?)\s*(?:\)\s*[–-]?\s*)?$`)
	ageAside      = lazy(`(?:,|\s+who\s+is|\s+who['’]s|\s+is)\s*(?:aged?\s+)?\d{1,2}\s*(?:months?|yrs?|years?(?:\s+old)?|weeks?|y/?o)?\s*,?\s*$`)
)

// bracketChainFamily: the rest of a bracketed date of birth, any more given names each with its own bracket, then
// the one family name they share ("…) and Théo (d.o.b. 17.09.21) Fontaine.").
var bracketChainFamily = lazy(`^\([^()]{0,40}\)(?:\s*(?:,|and|&)\s*[A-Z][\p{L}'’-]+\s*\([^()]{0,40}\))*\s+([A-Z][\p{L}'’-]+)(?:[.,;:]|\s+(?:and|are|is|who|both|live|lives|have|has|attend|were|was)\b|\s*$)`)

// familyAfterBrackets is the family name written once after given names that each carry a bracketed date of
// birth or age, the first of them given ("Léa (d.o.b. 02.05.18) and Théo (d.o.b. 17.09.21) Fontaine"), or ""
// (a word that starts a sentence or a label is no family name: "Léa (dob …) Mum says").
func familyAfterBrackets(text, given string) string {
	for i, n := 0, 0; n < 5; n++ {
		j := strings.Index(text[i:], given)
		if j < 0 {
			return ""
		}
		j += i
		i = j + len(given)
		if j > 0 && isWordByte(text[j-1]) {
			continue
		}
		rest := strings.TrimLeft(text[i:], " ")
		if !strings.HasPrefix(rest, "(") {
			continue
		}
		m := bracketChainFamily.FindStringSubmatch(rest[:min(len(rest), 200)])
		if m == nil {
			continue
		}
		f := m[1]
		if l := strings.ToLower(f); nameStop[l] || isAgeStop[l] || adultBefore[l] || lowerIn(agencyWords, f) || !isNameWord(f) {
			continue
		}
		return titleIfShouting(f)
	}
	return ""
}

// cutAsides drops what a referrer writes between a child's name and the date of birth that is not the name: a
// school year (schoolYearAside) or the child's relationship (kinAside). Cheap checks first: most heads hold
// neither.
func cutAsides(head string) string {
	if strings.ContainsAny(head, "0123456789") || containsFold(head, "reception") {
		if m := schoolYearAside.FindStringIndex(head); m != nil {
			head = head[:m[0]]
		}
	}
	if strings.ContainsAny(head, "-–,(") {
		if m := kinAside.FindStringIndex(head); m != nil {
			head = head[:m[0]]
		}
	}
	return head
}

// familyOf finds the family name written after a given name elsewhere in the text ("Freddie Nash in Year 2").
// It scans the text rather than compiling an expression of the name (a name in an undeclared charset is not
// valid UTF-8, and an expression per name cost time).
func familyOf(text, given string) string {
	if given == "" {
		return ""
	}
	for i, n := 0, 0; n < 5; n++ {
		j := strings.Index(text[i:], given)
		if j < 0 {
			return ""
		}
		j += i
		i = j + len(given)
		if j > 0 && isWordByte(text[j-1]) {
			continue
		}
		rest := text[i:]
		ws := strings.TrimLeft(rest, " \t")
		if len(ws) == len(rest) || len(ws) == 0 {
			continue
		}
		w := ws
		if k := strings.IndexFunc(ws, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '’' && r != '-' }); k >= 0 {
			w = ws[:k]
		}
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s") // "Esmé Calloway’s key worker": the family name
		if next, _ := nextWord(ws[len(w):]); orgNameWord(strings.Trim(next, ",.;:()")) || agencyName(w) {
			continue // "Grace Citadel Church", "Grace Academy": an organisation's or a place's name, not a family's
		}
		if startsUpper(w) && !nameStop[strings.ToLower(w)] && isNameWord(w) {
			return titleIfShouting(w)
		}
	}
	return ""
}

var (
	nameAgedRe = lazy(`\b([A-Z][\p{L}'’-]+[ \t]+[A-Z][\p{L}'’-]+),?\s+aged\s+(\d{1,2})\b`)
	// "Leon Baptiste, approximately 7 years old", "Kai Moss, who is 12 years old"
	nameYearsOldRe = lazy(`\b([A-Z][\p{L}'’-]+[ \t]+[A-Z][\p{L}'’-]+),?\s+(?:who\s+is\s+|who['’]s\s+|is\s+)?(?:approximately\s+|approx\.?\s+|about\s+|around\s+|roughly\s+)?(\d{1,2})[\s-]+years?[\s-]+old\b`)
	kinAgeRe       = lazy(`\b(?:son|daughter|grandson|granddaughter|grandchild|grandchildren|nephew|niece|nieces|sister|brother|child|boy|girl|baby),?\s+([A-Z][\p{L}'’-]+)\s*\((\d{1,2})(?:\s*(?:yrs?|years?|y/?o))?[),]`)
	// "has two children, Holly (6) and Finn (3)", "her children: Kacper (11), Zofia (8) and Lena (2)": first names
	// with an age, listed straight after a word for children.
	// "two children living there, Mia (12) and Louie (9)": up to four lower-case words between.
	kinListRe = lazy(`\b(?:children|kids|sons|daughters|grandchildren|siblings|brothers|sisters|Children|Kids|Siblings)(?:\s+(?:at home|in the home|at the address|in the household)|(?:\s+[a-z]+){1,4}\s*[,:–—-])?\s*(?:[,:–—-]|\s+are|\s+were)?\s+((?:[A-Z][\p{L}'’-]+\s*\(\d{1,2}\)(?:,\s*|,?\s+and\s+|\s*&\s*)?)+)`)
	// "Stacey has two children: …", "Stacey's children are …": the parent named just before the children
	kinOwnerRe = lazy(`\b([A-Z][\p{L}'’-]+)(?:['’]s|\s+has|\s+had|\s+have)\s+(?:(?:two|three|four|five|six|\d)\s+)?(?:young\s+|little\s+)?(?:children|kids|sons|daughters)\s*(?:[,:–—-]|\s+are|\s+were)?\s*$`)
	// given names sharing one family name, with their ages: "Frankie and Poppy Doherty (aged 4 and 8)",
	// "Ava, Theo and Ivy Lane (10, 6 and 1)"
	jointAgesRe = lazy(`\b((?:[A-Z][\p{L}'’-]+,\s*)*[A-Z][\p{L}'’-]+,?\s+(?:and|&)\s+[A-Z][\p{L}'’-]+)\s+([A-Z][\p{L}'’-]+)\s*\((?:aged?\s*|ages\s*)?(\d{1,2}(?:\s*(?:,|,?\s*and|&)\s*\d{1,2})+)(?:\s*(?:yrs?|years?(?:\s+old)?))?\)`)
	// given names each with its age, the family name after the last: "Noé (4) and Amélie (9) Girard"
	agesThenFamilyRe = lazy(`\b((?:[A-Z][\p{L}'’-]+\s*\(\d{1,2}\),?\s*)*[A-Z][\p{L}'’-]+\s*\(\d{1,2}\),?\s+(?:and|&)\s+[A-Z][\p{L}'’-]+\s*\(\d{1,2}\))\s+([A-Z][\p{L}'’-]+)\b`)
	// given names sharing one family name, no ages: "Jaiden and Nia Okafor" (a subject line, a sentence)
	jointNamesRe = lazy(`\b((?:[A-Z][\p{L}'’-]+,\s*)*[A-Z][\p{L}'’-]+,?\s+(?:and|&)\s+[A-Z][\p{L}'’-]+)\s+([A-Z][\p{L}'’-]+)\b`)
	// "Tre is 12", "Tommy is 4 and Lacey-Ann is 2", "Kai Moss is 9 years old"
	// "her little brother Alfie Calloway, who is 20 months": an age in months, read in whole years (a baby under
	// a year has none), where the clause ends ("18 months sober", "20 months behind on rent" are none).
	isMonthsRe = lazy(`\b([A-Z][\p{L}'’-]+(?:[ \t]+[A-Z][\p{L}'’-]+)?)(?:,?\s+who\s+is|,?\s+who['’]s|\s+is)\s+(?:only\s+|just\s+|aged\s+)?(\d{1,3})\s*(?:months?|mths?)(?:\s+old)?(?:\s*[,;:)!]|\s*\.(?:\D|$)|\s+(?:and|but|so|now|at|in)\b|\s*$)`)
	isAgeRe    = lazy(`\b([A-Z][\p{L}'’-]+(?:[ \t]+[A-Z][\p{L}'’-]+)?)(?:\s+is|,?\s+who\s+is|,?\s+who['’]?s|,?\s+(?:who\s+)?(?:said|says|told\s+(?:me|us))\s+(?:that\s+)?(?:he|she)(?:['’]s|\s+is|\s+was))\s+(?:only\s+|just\s+|aged\s+)?(\d{1,2})(?:\s*(?:years?|yrs?)(?:\s+old)?|\s*y/?o)?(?:\s*[,;:)!]|\s*\.(?:\D|$)|\s+(?:and|but|so|now|at|in|had|has|was)\b|\s+\([a-z]|\s*$)`)
	// given names sharing one family name, their ages said after it: "Reggie and Frankie Holt, who are 9 and 8",
	// "Ava, Theo and Ivy Lane, aged 10, 6 and 1", "Mason and Lexi Cooper, they're 9 and 7"
	jointWhoAreRe = lazy(`\b((?:[A-Z][\p{L}'’-]+,\s*)*[A-Z][\p{L}'’-]+,?\s+(?:and|&)\s+[A-Z][\p{L}'’-]+)\s+([A-Z][\p{L}'’-]+),?\s+(?:who\s+are|are|aged|they\s+are|they['’]re|theyre)\s+(\d{1,2}(?:\s*(?:,|,?\s*and|&)\s*\d{1,2})+)(?:\s*(?:yrs?|years?(?:\s+old)?))?(?:\s*[,;:)!]|\s*\.(?:\D|$)|\s+(?:and|but|so|now|at|in)\b|\s*$)`)
	// twins named by their given names with the one age they share: "the twins Ella and Grace who are 3", "twins
	// Mia and Lola (4)"
	twinsAgeRe = lazy(`\b[Tt]wins,?\s+([A-Z][\p{L}'’-]+)\s+(?:and|&)\s+([A-Z][\p{L}'’-]+),?\s+(?:who\s+are\s+|are\s+|aged\s+|\()(\d{1,2})(?:\s*(?:yrs?|years?(?:\s+old)?))?(?:\s*[,;:)!]|\s*\.(?:\D|$)|\s+(?:and|but|so|now|at|in)\b|\s*$)`)
	// given names sharing one family name straight after a word for children: "two kids of his own, Jake and Sophie
	// Clarke, who …", "her children: Mia, Leo and Ava Hart."
	kinJointNamesRe = lazy(`\b(?:children|kids|sons|daughters|grandchildren|step-?children|step-?kids)(?:\s+of\s+(?:his|her|their)\s+own)?\s*[,:–—-]\s*((?:[A-Z][\p{L}'’-]+,\s*)*[A-Z][\p{L}'’-]+,?\s+(?:and|&)\s+[A-Z][\p{L}'’-]+)\s+([A-Z][\p{L}'’-]+)(?:\s*[,.;)]|\s+(?:who|are|were|live|lives|and)\b|\s*$)`)
	// a child known by a name everyone calls them: "her little brother who they all call TJ", "his son, who everyone
	// calls Bear"; group 1 the name
	calledByRe = lazy(`\b(?:brother|sister|son|daughter|boy|girl|baby|nephew|niece|grandson|granddaughter),?\s+(?:who|that|whom)\s+(?:they|everyone|everybody|we|people|the family|mum|his mum|her mum)\s+(?:all\s+)?calls?\s+([A-Z][\p{L}'’-]+)\b`)
	// an age the child told the writer, in brackets after the given name: "a friend, Nadia (she told me she is 14, I
	// do not have a surname)"; group 1 the name, 2 the age
	toldAgeRe = lazy(`\b([A-Z][\p{L}'’-]+)\s*\((?:she|he)\s+(?:told\s+(?:me|us)|says|said)\s+(?:that\s+)?(?:she|he)(?:['’]s|\s+is|\s+was)\s+(\d{1,2})\b`)
	// a baby named by a given name after whose it is ("their baby Lily", "her baby brother Reggie"; "the baby Leo about
	// 3:30" is left to the other readers) or a child with an age in months ("a baby boy Kairo, 10 months", "her son
	// Leo, 8 months old"): group 1 or 2 the given name
	babyNameRe = lazy(`\b(?:(?:their|her|his|my|our|a|new)\s+baby(?:\s+(?:boy|girl|brother|sister|son|daughter))?\s+([A-Z][\p{L}'’-]+)(?:[\s,.;:)!]|$)|\b(?:son|daughter|brother|sister|boy|girl|baby),?\s+([A-Z][\p{L}'’-]+),?\s+(?:aged\s+)?\d{1,2}\s*(?:months?|mths?|weeks?)\b)`)
	// a child named by a given name with an age its writer is not sure of: "the boy is called Kai hes maybe 5", "his
	// little sister Mia who is about 2", "her little brother TJ about 2" — a child, named, with no age
	hedgedAgeRe = lazy(`\b(?:called|named|boy|girl|son|daughter|sister|brother|baby|toddler|child|kid|lad)\s+([A-Z][\p{L}'’-]+)(?:,?\s+(?:who\s+is|who['’]?s|is|he['’]?s|hes|she['’]?s|shes))?\s+(?:maybe|about|around|roughly|approximately|approx\.?|nearly|probably|possibly)\s+(\d{1,2})\b(\s*\S*)`)
	// a brother or sister named, the age said of "he" or "she" later in the sentence: "my brother Kobe too
	// sometimes, hes 9" (the pronoun agreeing with the word for the child)
	kinHeAgeRe  = lazy(`\b(?:brother|son|nephew|grandson|stepson|stepbrother)\s+([A-Z][\p{L}'’-]+)\b[^.!?\n]{0,40}?\b(?:[Hh]e['’]?s|[Hh]e\s+is)\s+(?:only\s+|just\s+)?(\d{1,2})(?:\s*(?:years?|yrs?)(?:\s+old)?)?(?:\s*[,;:)!]|\s*\.(?:\D|$)|\s+(?:and|but|so|now|at|in)\b|\s*$)`)
	kinSheAgeRe = lazy(`\b(?:sister|daughter|niece|granddaughter|stepdaughter|stepsister)\s+([A-Z][\p{L}'’-]+)\b[^.!?\n]{0,40}?\b(?:[Ss]he['’]?s|[Ss]he\s+is)\s+(?:only\s+|just\s+)?(\d{1,2})(?:\s*(?:years?|yrs?)(?:\s+old)?)?(?:\s*[,;:)!]|\s*\.(?:\D|$)|\s+(?:and|but|so|now|at|in)\b|\s*$)`)
	// a full name ending a sentence and the next sentence giving the age: "my friend Callum Reddy. He is 12."
	namePronounAgeRe = lazy(`\b([A-Z][\p{L}'’-]+[ \t]+[A-Z][\p{L}'’-]+)\.\s+(?:He|She)(?:\s+is|['’]s)\s+(?:only\s+|just\s+|aged\s+)?(\d{1,2})(?:\s*(?:years?|yrs?)(?:\s+old)?)?(?:\s*[,.;:!]|\s+(?:and|but|so|now|at|in)\b|\s*$)`)
	// "a 9-year-old boy, Kacper Wiśniewski,", "an 11 year old girl called Mia Cole"
	yearOldRe = lazy(`\b(\d{1,2})[- ]years?[- ]old\s+(?:boy|girl|child|son|daughter|pupil|student|young person|lad|player|patient)?,?\s*(?:called\s+|named\s+)?([A-Z][\p{L}'’-]+[ \t]+[A-Z][\p{L}'’-]+)\b`)
	// "a girl called Isla Pennington … she's 10", "his name is Mikey and he is about 6"
	calledAgeRe = lazy(`\b(?:called|named|(?:his|her) name is)\s+([A-Z][\p{L}'’-]+(?:[ \t]+[A-Z][\p{L}'’-]+)?)\b[^.!?\n]{0,80}?\b(?:she|he)(?:['’]s|\s+is|s)\s+(?:about\s+|around\s+|roughly\s+|approximately\s+|nearly\s+|only\s+|just\s+)?(\d{1,2})\b`)
	// "Jaydon Okoro (Year 9 at Kingsbury High)": a school year in brackets after a full name is a child's
	yearAsideRe = lazy(`\b([A-Z][\p{L}'’-]+[ \t]+[A-Z][\p{L}'’-]+)\s*\((?:in\s+)?(?:Year|Yr|Y)\s?(?:\d{1,2}|R)((?:\s*(?:,|at\b|in\b|pupil\b|student\b)[^)]*)?)\)`)
	// a given name with an age in brackets: "Callum (11) came to training"
	givenAgeRe = lazy(`(?:^|[^\p{L}'’-])([A-Z][\p{L}'’-]+)\s*\((\d{1,2})\s*(?:yo|y/o|yrs?|years?)?\)`)
	// "her son Tom, 7, attends …", "his daughter Mia Cole, aged 4.", "a younger brother, Jax, 6, in Year 1"
	kinCommaAgeRe = lazy(`\b(?:son|daughter|grandson|granddaughter|nephew|niece|brother|sister|stepson|stepdaughter|boy|girl),?\s+([A-Z][\p{L}'’-]+(?:[ \t]+[A-Z][\p{L}'’-]+)?),\s*(?:aged\s+)?(\d{1,2})(?:\s*(?:yrs?|years?(?:\s+old)?|yo))?\s*(?:[,.;)]|\s+and\b|$)`)
	// "Holly Reed, 6, and Finn Reed, 3, were left alone": a full name, a comma and an age between commas
	nameCommaAgeRe = lazy(`\b([A-Z][\p{L}'’-]+[ \t]+[A-Z][\p{L}'’-]+),\s*(\d{1,2})(?:,\s+[a-z]|,?\s+(?:and|who)\b)`)
	// "Noah Green, a Year 4 pupil at Oak Primary, told me": a school year makes the named person a child
	yearPupilRe = lazy(`\b([A-Z][\p{L}'’-]+[ \t]+[A-Z][\p{L}'’-]+),\s+(?:a|an|our|my|in)\s+(?:Year|Yr|Y)\s?(?:\d{1,2}|R)(?:\s+(?:pupil|student|child|girl|boy|learner)\b((?:\s+at\s+[^,.;]+)?)|\s*(?:[,.;)]|$))`)
	jointItem   = lazy(`\s*(?:,?\s*(?:and|&)\s*|,\s*)`)
	kinItemRe   = lazy(`([A-Z][\p{L}'’-]+)\s*\((\d{1,2})\)`)
	nameAgeRe   = lazy(`\b([A-Z][\p{L}'’-]+[ \t]+(?:[A-Z][\p{L}'’-]+))\s*\((?:aged?\s+)?(\d{1,2})(?:\s*(?:yrs?|years?|y/?o))?(?:[),]|\s[-–]\s)`)
)

// ageChildren finds children named with an age in brackets: "Leo Walsh (4)", "her son Tyler (9)".
func ageChildren(text string) []domain.Child {
	var out []domain.Child
	// Only the windows before "(N)" are searched: the expressions over a whole body were a tenth of intake's
	// time (BenchmarkIngestEmail profile).
	var windows []string
	for i := 0; i < len(text); {
		j := strings.IndexByte(text[i:], '(')
		if j < 0 {
			break
		}
		j += i
		k := j + 1
		for _, p := range []string{"aged ", "age "} {
			if strings.HasPrefix(text[k:], p) {
				k += len(p) // "Sienna Mahmood-Price (age 10)"
				break
			}
		}
		d := k
		for k < len(text) && k-d <= 2 && text[k] >= '0' && text[k] <= '9' {
			k++
		}
		if k > d {
			k += ageUnit(text[k:]) // "(10yrs)", "(7 years)"
		}
		if k > d && k < len(text) && (text[k] == ')' || text[k] == ',' || dashAside(text[k:])) {
			// "(4)", "(11, Year 7 at …)", "(15 - she would not give me her date of birth …"
			start, end := max(0, j-60), k+1
			if text[k] == ' ' {
				end = min(len(text), k+len(" – ")) // the dash's bytes and the space after it
			}
			windows = append(windows, text[start:end])
		}
		i = j + 1
	}
	// "Ruby Tanner, aged 8, and Alfie Tanner, aged 5": the windows before "aged N".
	var agedWindows []string
	for i := 0; i < len(text); {
		j := strings.Index(text[i:], "aged ")
		if j < 0 {
			break
		}
		j += i
		agedWindows = append(agedWindows, text[max(0, j-40):min(len(text), j+8)])
		i = j + 1
	}
	// "…, approximately 7 years old": the windows before "years old" / "year old".
	var oldWindows []string
	for i := 0; i < len(text); {
		j := strings.Index(text[i:], " old")
		if j < 0 {
			break
		}
		j += i
		if w := text[max(0, j-70) : j+4]; strings.HasSuffix(strings.TrimRight(w[:len(w)-4], "- "), "year") || strings.HasSuffix(strings.TrimRight(w[:len(w)-4], "- "), "years") {
			oldWindows = append(oldWindows, w)
		}
		i = j + 1
	}
	if len(windows) == 0 && len(agedWindows) == 0 && len(oldWindows) == 0 {
		return nil
	}
	full := text
	text = strings.Join(windows, "\n")
	add := func(name string, age int) {
		if age >= 18 {
			return
		}
		words := strings.Fields(name)
		for _, w := range words {
			if nameStop[strings.ToLower(w)] || isAgeStop[strings.ToLower(w)] {
				return
			}
		}
		if !plainName(words) || placeWords.match(name) || groupWords.match(name) {
			return // "Mill Court (8)", "Core Group (3)": a place's or a group's number
		}
		out = append(out, agedChild(words, age))
	}
	for _, m := range kinAgeRe.FindAllStringSubmatch(text, -1) {
		add(m[1], atoi(m[2]))
	}
	for _, m := range nameAgeRe.FindAllStringSubmatchIndex(text, -1) {
		if text[m[1]-1] == ',' && strings.Contains(text[m[0]:m[1]], "age") {
			continue // "Milo and Esme Carter (aged 5, 9 and 11)": a list of ages, not Esme's
		}
		if !adultNamedBefore(text[:m[2]]) {
			add(text[m[2]:m[3]], atoi(text[m[4]:m[5]]))
		}
	}
	if len(windows) > 0 && containsAny(full, []string{"children", "kids", "sons", "daughters", "siblings", "brothers", "sisters", "Children", "Kids", "Siblings"}) {
		for _, m := range kinListRe.FindAllStringSubmatchIndex(full, -1) {
			if r, _ := utf8.DecodeRuneInString(strings.TrimLeft(full[m[1]:], " ")); unicode.IsUpper(r) {
				continue // "Noé (4) and Amélie (9) Girard": the family name follows, read by the running text
			}
			fam := ownerFamily(full, full[max(0, m[2]-80):m[2]])
			for _, it := range kinItemRe.FindAllStringSubmatch(full[m[2]:m[3]], -1) {
				add(strings.TrimSpace(it[1]+" "+fam), atoi(it[2]))
			}
		}
	}
	for _, w := range agedWindows {
		for _, m := range nameAgedRe.FindAllStringSubmatchIndex(w, -1) {
			if !adultNamedBefore(w[:m[2]]) {
				add(w[m[2]:m[3]], atoi(w[m[4]:m[5]]))
			}
		}
	}
	for _, w := range oldWindows {
		for _, m := range nameYearsOldRe.FindAllStringSubmatchIndex(w, -1) {
			if !adultNamedBefore(w[:m[2]]) {
				add(w[m[2]:m[3]], atoi(w[m[4]:m[5]]))
			}
		}
	}
	return out
}

// dashAside: s starts with a spaced dash and a word ("(15 - she would not give me her date of birth"), not a
// range ("(15 - 20 minutes late)").
func dashAside(s string) bool {
	for _, d := range []string{" - ", " – "} {
		if rest, ok := strings.CutPrefix(s, d); ok {
			r, _ := utf8.DecodeRuneInString(rest)
			return unicode.IsLetter(r)
		}
	}
	return false
}

// orgNameWord: a word that ends the name of an organisation, a building or a place ("… Church", "… Academy",
// "… Road"): the capitalised words before it are that name, not a person's.
func orgNameWord(w string) bool {
	return w != "" && startsUpper(w) && (agencyName(w) || orgWords.match(w) || placeWords.match(w) || schoolWords.match(w))
}

// adultNamedBefore: the words just before a name make the person an adult relative or someone in a role, whatever
// age is written after it ("his aunt, Sophie Hart (17)", "an older boyfriend, Dean Price (17)", "Mum's new partner,
// Dean Price, 19,"): under-18 partners and aunts exist, but they are not the child the email is about.
func adultNamedBefore(before string) bool {
	t := strings.TrimRight(before, " \t")
	w := t[strings.LastIndexAny(t, " \t\n(")+1:]
	w = strings.Trim(w, ",.:;–-")
	w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
	return lowerIn(adultBefore, w) && !strings.EqualFold(w, "friend")
}

// isAgeStop: capitalised words that start a sentence saying a number ("Risk is 3", "It is 2 miles"), never a child.
var isAgeStop = map[string]bool{"he": true, "she": true, "it": true, "this": true, "that": true, "there": true, "who": true,
	"which": true, "what": true, "age": true, "score": true, "risk": true, "level": true, "total": true, "number": true,
	"flat": true, "house": true, "room": true, "item": true, "point": true, "question": true, "page": true, "section": true,
	"part": true, "step": true, "stage": true, "tier": true, "grade": true, "dash": true, "rating": true, "case": true,
	"priority": true, "ward": true, "bed": true, "floor": true, "unit": true, "block": true, "door": true, "house number": true,
	// a document's and a calendar's words: "Appendix (2)", "Monday (4)"
	"appendix": true, "annex": true, "paragraph": true, "table": true, "figure": true, "option": true, "version": true,
	"chapter": true, "phase": true, "bus": true, "route": true, "monday": true, "tuesday": true, "wednesday": true,
	"thursday": true, "friday": true, "saturday": true, "sunday": true, "january": true, "february": true, "march": true,
	"april": true, "june": true, "july": true, "august": true, "september": true, "october": true, "november": true,
	"december": true, "term": true, "week": true, "day": true, "visit": true, "incident": true, "occurrence": true, "ref": true,
	// a sentence's first words: "See Appendix (2)", "Please Note (1)"
	"see": true, "please": true, "refer": true, "contact": true, "call": true, "ring": true, "note": true, "attached": true}

// jointChildren reads given names that share one family name, with their ages: "Frankie and Poppy Doherty
// (aged 4 and 8)", "Noé (4) and Amélie (9) Girard"; and children said to be an age: "Tommy is 4 and Lacey-Ann
// is 2". Each age is under 18 (a parent's is none).
func jointChildren(text, context string) []domain.Child {
	var out []domain.Child
	add := func(given, family string, age int) {
		if age <= 0 || age >= 18 || nameStop[strings.ToLower(given)] || nameStop[strings.ToLower(family)] || isAgeStop[strings.ToLower(given)] {
			return
		}
		var c domain.Child
		c.GivenName, c.FamilyName = titleIfShouting(given), ""
		if family != "" {
			c.GivenName, c.FamilyName = givenFamily([]string{given, family}) // "KRASNIQI Besa, 15": the surname in capitals first
		}
		c.Age = age
		out = append(out, c)
	}
	for rest := text; rest != ""; {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		paren := parenDigit(line)
		if paren && (strings.Contains(line, " and ") || strings.Contains(line, "&")) {
			for _, m := range jointAgesRe.FindAllStringSubmatch(line, -1) {
				names := jointItem.Split(strings.TrimSpace(m[1]), -1)
				ages := jointItem.Split(strings.TrimSpace(m[3]), -1)
				if len(names) != len(ages) || nameStop[strings.ToLower(m[2])] {
					continue
				}
				for i, n := range names {
					add(n, m[2], atoi(strings.TrimSpace(ages[i])))
				}
			}
			for _, m := range agesThenFamilyRe.FindAllStringSubmatch(line, -1) {
				if nameStop[strings.ToLower(m[2])] || isAgeStop[strings.ToLower(m[2])] {
					continue
				}
				for _, it := range kinItemRe.FindAllStringSubmatch(m[1], -1) {
					add(it[1], m[2], atoi(it[2]))
				}
			}
		}
		if (strings.Contains(line, " are ") || strings.Contains(line, " aged ") || strings.Contains(line, " they")) && (strings.Contains(line, " and ") || strings.Contains(line, "&")) {
			for _, m := range jointWhoAreRe.FindAllStringSubmatch(line, -1) {
				names := jointItem.Split(strings.TrimSpace(m[1]), -1)
				ages := jointItem.Split(strings.TrimSpace(m[3]), -1)
				if len(names) != len(ages) || nameStop[strings.ToLower(m[2])] || isAgeStop[strings.ToLower(m[2])] {
					continue
				}
				for i, n := range names {
					add(n, m[2], atoi(strings.TrimSpace(ages[i])))
				}
			}
		}
		if strings.Contains(line, "wins ") {
			for _, m := range twinsAgeRe.FindAllStringSubmatch(line, -1) {
				add(m[1], "", atoi(m[3]))
				add(m[2], "", atoi(m[3]))
			}
		}
		if containsAny(line, []string{"children", "kids", "sons", "daughters"}) && (strings.Contains(line, " and ") || strings.Contains(line, "&")) {
			// "Gavin has two kids of his own, Jake and Sophie Clarke, who live there half the week": given names
			// sharing the family name straight after a word for children
			for _, m := range kinJointNamesRe.FindAllStringSubmatch(line, -1) {
				fam := m[2]
				if nameStop[strings.ToLower(fam)] || isAgeStop[strings.ToLower(fam)] || notFamily[strings.ToLower(fam)] || !isNameWord(fam) || schoolWords.match(fam) || placeWords.match(fam) {
					continue
				}
				for _, n := range jointItem.Split(strings.TrimSpace(m[1]), -1) {
					if n = strings.TrimSpace(n); isNameWord(n) && !nameStop[strings.ToLower(n)] && !isAgeStop[strings.ToLower(n)] {
						c := domain.Child{}
						c.GivenName, c.FamilyName = givenFamily([]string{n, fam})
						out = append(out, c)
					}
				}
			}
		}
		if strings.Contains(line, " call") {
			for _, m := range calledByRe.FindAllStringSubmatch(line, -1) {
				if g := m[1]; !nameStop[strings.ToLower(g)] && !isAgeStop[strings.ToLower(g)] && !lowerExtra[strings.ToLower(g)] && isNameWord(g) && !adultTitled(g) && !roleLabelWords[strings.ToLower(g)] && !agencyName(g) {
					out = append(out, domain.Child{GivenName: g}) // "TJ" as written: a nickname is no shouted surname
				}
			}
		}
		if strings.Contains(line, " told ") || strings.Contains(line, " says ") || strings.Contains(line, " said ") {
			for _, m := range toldAgeRe.FindAllStringSubmatch(line, -1) {
				add(m[1], "", atoi(m[2]))
			}
		}
		if strings.Contains(line, "baby ") || strings.Contains(line, "month") {
			// "their baby Lily", "a baby boy Kairo, 10 months": a child named by a given name, with no age in years
			for _, m := range babyNameRe.FindAllStringSubmatch(line, -1) {
				if g := m[1] + m[2]; !nameStop[strings.ToLower(g)] && !isAgeStop[strings.ToLower(g)] && !lowerExtra[strings.ToLower(g)] && isNameWord(g) && !shouting(g) && !adultTitled(g) && !roleLabelWords[strings.ToLower(g)] && !agencyName(g) {
					out = append(out, domain.Child{GivenName: g})
				}
			}
		}
		if containsAny(line, []string{" maybe ", " about ", " around ", " roughly ", " approx", " nearly ", " probably ", " possibly "}) {
			for _, m := range hedgedAgeRe.FindAllStringSubmatch(line, -1) {
				unit, _ := nextWord(m[3])
				unit = strings.ToLower(strings.Trim(unit, ".,;:!"))
				if n := atoi(m[2]); n <= 0 || n >= 16 || nameStop[strings.ToLower(m[1])] || isAgeStop[strings.ToLower(m[1])] ||
					strings.HasPrefix(unit, "week") || strings.HasPrefix(unit, "day") || strings.HasPrefix(unit, "month") ||
					strings.HasPrefix(unit, "hour") || strings.HasPrefix(unit, "min") || strings.HasPrefix(unit, "time") ||
					strings.HasPrefix(unit, "mile") || unit == "ago" || unit == "pm" || unit == "am" || strings.Contains(m[3], ":") {
					continue // "his sister Mia about 2 weeks ago": a time, not an age
				}
				out = append(out, domain.Child{GivenName: titleIfShouting(m[1])})
			}
		}
		if containsAny(line, []string{"brother ", "son ", "nephew ", "sister ", "daughter ", "niece "}) {
			for _, re := range []*lazyRegexp{kinHeAgeRe, kinSheAgeRe} {
				for _, m := range re.FindAllStringSubmatch(line, -1) {
					if strings.Contains(m[0], " and ") || strings.Contains(m[0], " & ") {
						continue // "her brother Leo and his friend Sam, he's 9": the age may be someone else's
					}
					add(m[1], "", atoi(m[2]))
				}
			}
		}
		if strings.Contains(line, ". He") || strings.Contains(line, ". She") {
			for _, mi := range namePronounAgeRe.FindAllStringSubmatchIndex(line, -1) {
				ws := strings.Fields(line[mi[2]:mi[3]])
				if !plainName(ws) || placeWords.match(line[mi[2]:mi[3]]) || schoolWords.match(line[mi[2]:mi[3]]) || adultNamedBefore(line[:mi[2]]) ||
					nameStop[strings.ToLower(ws[0])] || isAgeStop[strings.ToLower(ws[0])] || writerNamed(line[:mi[2]]) {
					continue // "… Mum, Sarah Reddy. She is 34": an adult's age is none; "Oak Road. He is 9": a place; "My name is Sarah Lowe. She is 13": the writer
				}
				add(ws[0], ws[1], atoi(line[mi[4]:mi[5]]))
			}
		}
		if strings.Contains(line, "old") && strings.Contains(line, "year") {
			for _, m := range yearOldRe.FindAllStringSubmatch(line, -1) {
				ws := strings.Fields(m[2])
				if !nameStop[strings.ToLower(ws[0])] && !isAgeStop[strings.ToLower(ws[0])] {
					add(ws[0], ws[1], atoi(m[1]))
				}
			}
		}
		if strings.Contains(line, "called ") || strings.Contains(line, "named ") || strings.Contains(line, "name is") {
			for _, mi := range calledAgeRe.FindAllStringSubmatchIndex(line, -1) {
				m := []string{line[mi[0]:mi[1]], line[mi[2]:mi[3]], line[mi[4]:mi[5]]}
				if after := strings.TrimLeft(line[mi[3]:], " ,"); strings.HasPrefix(after, "or ") || strings.HasPrefix(after, "/") {
					continue // "his name is Ray or Reggie": not sure of the name
				}
				ws := strings.Fields(m[1])
				if len(ws) == 2 {
					add(ws[0], ws[1], atoi(m[2]))
				} else {
					add(ws[0], "", atoi(m[2]))
				}
			}
		}
		if strings.Contains(line, "(Y") || strings.Contains(line, "(in Y") {
			for _, mi := range yearAsideRe.FindAllStringSubmatchIndex(line, -1) {
				m := []string{"", line[mi[2]:mi[3]], line[mi[4]:mi[5]]}
				ws := strings.Fields(m[1])
				if nameStop[strings.ToLower(ws[0])] || isAgeStop[strings.ToLower(ws[0])] || nameStop[strings.ToLower(ws[1])] || !plainName(ws) ||
					schoolWords.match(m[1]) || len(nameWords(line[:mi[2]], true)) > 0 {
					continue // "Milton Park Primary (Year 6)": a school's name, not a child's
				}
				var c domain.Child
				c.GivenName, c.FamilyName = givenFamily(ws[:2]) // "AHMETI Dritan (Y4, …)": the surname in capitals first
				c.School = schoolIn(strings.TrimSpace(m[2]))
				out = append(out, c)
			}
		}
		if commaDigit(line) && containsAny(line, []string{"son", "daughter", "nephew", "niece", "brother", "sister", "boy", "girl"}) {
			for _, m := range kinCommaAgeRe.FindAllStringSubmatch(line, -1) {
				ws := strings.Fields(m[1])
				if len(ws) == 2 {
					add(ws[0], ws[1], atoi(m[2]))
				} else {
					add(ws[0], "", atoi(m[2]))
				}
			}
		}
		if commaDigit(line) {
			for _, mi := range nameCommaAgeRe.FindAllStringSubmatchIndex(line, -1) {
				ws := strings.Fields(line[mi[2]:mi[3]])
				if !plainName(ws) || placeWords.match(line[mi[2]:mi[3]]) || len(nameWords(line[:mi[2]], true)) > 0 || adultNamedBefore(line[:mi[2]]) {
					continue
				}
				add(ws[0], ws[1], atoi(line[mi[4]:mi[5]]))
			}
		}
		if strings.Contains(line, ", a Y") || strings.Contains(line, ", an Y") || strings.Contains(line, ", our Y") || strings.Contains(line, ", my Y") || strings.Contains(line, ", in Y") {
			for _, mi := range yearPupilRe.FindAllStringSubmatchIndex(line, -1) {
				ws := strings.Fields(line[mi[2]:mi[3]])
				if nameStop[strings.ToLower(ws[0])] || isAgeStop[strings.ToLower(ws[0])] || !plainName(ws) || schoolWords.match(line[mi[2]:mi[3]]) || len(nameWords(line[:mi[2]], true)) > 0 {
					continue
				}
				var c domain.Child
				c.GivenName, c.FamilyName = givenFamily(ws[:2]) // "AHMETI Dritan (Y4, …)": the surname in capitals first
				if mi[4] >= 0 {
					c.School = schoolIn(strings.TrimSpace(line[mi[4]:mi[5]]))
				}
				out = append(out, c)
			}
		}
		if paren {
			for _, mi := range givenAgeRe.FindAllStringSubmatchIndex(line, -1) {
				// only a name the email uses again, or whose family name it gives ("Callum Birtles" in the subject)
				g := line[mi[2]:mi[3]]
				before := strings.TrimRight(line[:mi[2]], " \t")
				if prev := nameWords(before, true); len(prev) > 0 && !strings.HasSuffix(before, ".") {
					// ("Key worker at Sunflowers Pre-School. Esmé (3) has …": a sentence's end is no family name)
					continue // "Leo Walsh (4)": a family name, read with its given name
				}
				if familyOf(context, g) == "" && strings.Count(context, g) < 2 {
					continue
				}
				add(g, "", atoi(line[mi[4]:mi[5]]))
			}
		}
		if isDigitAfter(line) {
			if strings.Contains(line, "month") || strings.Contains(line, "mth") {
				for _, m := range isMonthsRe.FindAllStringSubmatch(line, -1) {
					ws := strings.Fields(m[1])
					if len(ws) == 2 && (nameStop[strings.ToLower(ws[0])] || isAgeStop[strings.ToLower(ws[0])]) {
						ws = ws[1:]
					}
					if len(ws) == 2 {
						add(ws[0], ws[1], atoi(m[2])/12)
					} else {
						add(ws[0], "", atoi(m[2])/12)
					}
				}
			}
			for _, m := range isAgeRe.FindAllStringSubmatch(line, -1) {
				ws := strings.Fields(m[1])
				if len(ws) == 2 && (nameStop[strings.ToLower(ws[0])] || isAgeStop[strings.ToLower(ws[0])]) {
					ws = ws[1:] // "Brother Tre is 12" read as Tre
				}
				if len(ws) == 2 {
					add(ws[0], ws[1], atoi(m[2]))
				} else {
					add(ws[0], "", atoi(m[2]))
				}
			}
		}
	}
	return out
}

// groupWords: words of a meeting, a team or a group, never of a child's name ("Core Group (3)").
var groupWords = phrases{"group", "team", "help", "support", "panel", "board", "meeting", "conference", "committee", "unit", "service", "services",
	"department", "network", "forum", "partnership", "hub", "club", "ward", "clinic", "units"}

// placeWords: words of an address, never of a person's name ("Oak Road, 4, …").
var placeWords = phrases{"road", "street", "avenue", "close", "lane", "house", "court", "flat", "gardens", "way", "drive",
	"place", "terrace", "crescent", "square", "walk", "estate", "park", "hill", "green", "row", "mews"}

// sepDigit: a comma or a dash followed by a digit ("Ciarán Byrne, 10 (Y5 …)", "Zain Ahmed – 9") — a cheap check.
func sepDigit(e string) bool {
	for i := 0; i < len(e); i++ {
		if e[i] != ',' && e[i] != '-' && !(e[i] == 0xe2 && strings.HasPrefix(e[i:], "–")) {
			continue
		}
		j := i + 1
		for j < len(e) && (e[j] == ' ' || e[j] == 0x80 || e[j] == 0x93) {
			j++ // the rest of "–" (E2 80 93) and spaces
		}
		if j < len(e) && e[j] >= '0' && e[j] <= '9' {
			return true
		}
	}
	return false
}

// commaDigit: the line holds ", " followed by a digit (an age between commas) — a cheap check.
func commaDigit(line string) bool {
	for rest := line; ; {
		i := strings.Index(rest, ", ")
		if i < 0 {
			return false
		}
		rest = strings.TrimLeft(rest[i+2:], " ")
		if strings.HasPrefix(rest, "aged ") {
			rest = rest[5:]
		}
		if rest != "" && rest[0] >= '0' && rest[0] <= '9' {
			return true
		}
	}
}

// parenDigit: the line holds "(" followed by a digit (an age in brackets) — a cheap check before the expressions.
func parenDigit(line string) bool {
	for i := strings.IndexByte(line, '('); i >= 0 && i+1 < len(line); {
		if c := line[i+1]; c >= '0' && c <= '9' || c == 'a' {
			return true // "(4)", "(aged 4 and 8)"
		}
		j := strings.IndexByte(line[i+1:], '(')
		if j < 0 {
			return false
		}
		i += j + 1
	}
	return false
}

// isDigitAfter: the line says "is N", "who is N", "who's N" or "is only/just/aged N" — a cheap check before
// isAgeRe.
func isDigitAfter(line string) bool {
	for _, cue := range []string{" is ", " who's ", " who’s ", " whos "} {
		for rest := line; ; {
			i := strings.Index(rest, cue)
			if i < 0 {
				break
			}
			rest = rest[i+len(cue):]
			t := rest
			for _, w := range []string{"only ", "just ", "aged "} {
				t = strings.TrimPrefix(t, w)
			}
			if t != "" && t[0] >= '0' && t[0] <= '9' {
				return true
			}
		}
	}
	return false
}

// familyNames gives given-name-only children the family name the text gives them: "Jaiden and Nia Okafor"
// (a subject line or a sentence naming them together), or the parent's when the children are listed as the
// parent's ("Stacey Banks …", "Stacey has two children: Ellie-Rose (9) and Connor (11)").
func familyNames(ks []*kid, texts ...string) {
	for _, k := range ks {
		if k.c.GivenName == "" || k.c.FamilyName != "" {
			continue
		}
		for _, t := range texts {
			if k.c.FamilyName == "" && strings.Contains(t, k.c.GivenName) {
				k.c.FamilyName = familySaidForList(t, k.c.GivenName) // "Amira (7), Yusuf (4) and baby Leyla - all Haddad"
			}
		}
		for _, t := range texts {
			if k.c.FamilyName == "" && strings.Contains(t, k.c.GivenName) {
				k.c.FamilyName = familyOnItsLine(t, k.c.GivenName) // "Amara-Rose - she is 9 …, also Campbell."
			}
			if k.c.FamilyName == "" {
				k.c.FamilyName = lowerSurnameSaid(t, k.c.GivenName) // "shes got garys surname lola brennan"
			}
		}
		for _, t := range texts {
			if k.c.FamilyName != "" || !strings.Contains(t, k.c.GivenName) {
				continue
			}
			for _, m := range jointNamesRe.FindAllStringSubmatch(t, -1) {
				if nameStop[strings.ToLower(m[2])] || isAgeStop[strings.ToLower(m[2])] || !isNameWord(m[2]) {
					continue
				}
				for _, n := range jointItem.Split(strings.TrimSpace(m[1]), -1) {
					if n == k.c.GivenName {
						k.c.FamilyName = titleIfShouting(m[2])
					}
				}
			}
			if k.c.FamilyName != "" {
				break
			}
		}
		for _, t := range texts {
			if k.c.FamilyName == "" && strings.Contains(t, ") ") {
				k.c.FamilyName = familyAfterBrackets(t, k.c.GivenName) // "Léa (d.o.b. 02.05.18) and Théo (d.o.b. 17.09.21) Fontaine"
			}
		}
		for _, t := range texts {
			if k.c.FamilyName == "" {
				k.c.FamilyName = familyOf(t, k.c.GivenName) // "Tommy is 4" and "Tommy Ward" in the quoted letter
			}
		}
	}
}

// allFamilyRe: a family name said once for every name before it in the sentence, after a dash, a comma or a
// bracket: "- all Haddad.", "(all Smith)", ", both surnamed Okoro", "- all with the surname Price". Group 1 is the
// family name; what follows it ends the clause.
var allFamilyRe = lazy(`(?:[-–—,;(]|\s)\s*(?:all|both)(?:\s+(?:three|four|five|six|children|kids))?\s+(?:surnamed\s+|(?:with|have|having|share|sharing)\s+the\s+(?:sur|family\s+|last\s+)name\s+)?([A-Z][\p{L}'’-]+)\s*(?:[.,;:!)]|$)`)

// theFamilyChildrenRe: the children named by their family name after a list, in the same sentence: "… and the baby
// Kezia – the Greene children.", "(the Okoro children)". Group 1 is the family name.
var theFamilyChildrenRe = lazy(`(?:[-–—,;(]|\s)\s*the\s+([A-Z][\p{L}'’-]+)\s+(?:children|kids|siblings|boys|girls|twins)\s*(?:[.,;:!)]|$)`)

// theirSurnameRe: the sentence after a list saying the children's family name: "Their surname is Pearce, same as
// mum's", "They all have their dad's surname, Mensah". Group 1 is the family name.
var theirSurnameRe = lazy(`^\s*(?:(?:[Tt]heir|[Bb]oth\s+their|[Aa]ll\s+their|[Tt]he\s+(?:children|kids)['’]?s?)\s+(?:sur|family\s+|last\s+)name\s+is|[Tt]hey\s+(?:all\s+|both\s+)?(?:have|share|use|take)\s+(?:(?:their|his|her|my|the)\s+)?(?:[\p{L}'’-]+\s+){0,2}(?:sur|family\s+|last\s+)name,?)\s+([A-Z][\p{L}'’-]+)\b`)

// notFamily: words that follow "all" or "both" and are no family name ("all White British", "both Year 4").
var notFamily = map[string]bool{"white": true, "black": true, "british": true, "asian": true, "mixed": true,
	"english": true, "other": true, "year": true, "yr": true, "reception": true, "nursery": true, "under": true}

// familySaidForList is the family name said once for a list that holds the given name: the name, then in the same
// sentence "- all Haddad" or "(all Smith)", the family name written elsewhere after a title or a given name
// ("Mrs Haddad", "Karim Haddad"), so that a word that only looks like one ("all Muslim") is not read; or said as
// the family's in so many words, in the same sentence ("– the Greene children") or the next ("Their surname is
// Pearce", "They all have their dad's surname, Mensah"). "" when none.
func familySaidForList(text, given string) string {
	for i, n := 0, 0; n < 5; n++ {
		j := strings.Index(text[i:], given)
		if j < 0 {
			return ""
		}
		j += i
		i = j + len(given)
		if j > 0 && isWordByte(text[j-1]) || i < len(text) && isWordByte(text[i]) {
			continue
		}
		rest := text[i:]
		if k := strings.IndexAny(rest, "!?\n"); k >= 0 {
			rest = rest[:k]
		}
		next := ""
		if k := sentenceEnd(rest); k >= 0 {
			next, rest = rest[k+1:], rest[:k+1]
			if k := sentenceEnd(next); k >= 0 {
				next = next[:k+1]
			}
		}
		said := false // the family name said as one: no need to find it written elsewhere
		m := allFamilyRe.FindStringSubmatch(rest)
		if m == nil {
			m = theFamilyChildrenRe.FindStringSubmatch(rest) // "…, and the baby Kezia, born 2nd Oct 2025 – the Greene children."
			said = m != nil
		}
		if m == nil {
			m = theirSurnameRe.FindStringSubmatch(next) // "… Ruby who's 2 and her brother Alfie who is 4. Their surname is Pearce"
			said = m != nil
		}
		if m == nil || notFamily[strings.ToLower(m[1])] || nameStop[strings.ToLower(m[1])] || isAgeStop[strings.ToLower(m[1])] || !isNameWord(m[1]) {
			continue
		}
		if said || familyWritten(text, m[1]) {
			return titleIfShouting(m[1])
		}
	}
	return ""
}

// sentenceEnd is the index of the full stop that ends the first sentence of s ("Mrs." and "St." do not), -1 when
// there is none.
func sentenceEnd(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] != '.' || i+1 < len(s) && s[i+1] != ' ' {
			continue
		}
		w := s[:i]
		if k := strings.LastIndexAny(w, " (\t"); k >= 0 {
			w = w[k+1:]
		}
		switch strings.ToLower(w) {
		case "mr", "mrs", "ms", "dr", "st", "no":
			continue
		}
		return i
	}
	return -1
}

// familyWritten: the family name is written in the text after a title or a capitalised given name ("Mrs Haddad",
// "Karim Haddad"), not after a word that says whose group it is ("White British").
func familyWritten(text, family string) bool {
	for i, n := 0, 0; n < 20; n++ {
		j := strings.Index(text[i:], family)
		if j < 0 {
			return false
		}
		j += i
		i = j + len(family)
		if j < 2 || text[j-1] != ' ' || i < len(text) && isWordByte(text[i]) {
			continue
		}
		before := strings.TrimRight(text[:j], " ")
		k := strings.LastIndexAny(before, " \t\n(,")
		w := strings.TrimSuffix(before[k+1:], ".")
		lw := strings.ToLower(w)
		if lw == "all" || lw == "both" || notFamily[lw] || !isNameWord(w) {
			continue
		}
		return true
	}
	return false
}

// ownerFamily is the family name of the parent named just before a list of children ("Stacey has two children:
// …" and "Stacey Banks" elsewhere in text), "" when there is none.
func ownerFamily(text, before string) string {
	m := kinOwnerRe.FindStringSubmatch(before)
	if m == nil || nameStop[strings.ToLower(m[1])] || isAgeStop[strings.ToLower(m[1])] {
		return ""
	}
	return familyOf(text, m[1])
}

// ageUnit is the length of an age's unit at the start of s (" yrs", "years", "y/o"), 0 when there is none.
func ageUnit(s string) int {
	t := strings.TrimLeft(s, " ")
	for _, u := range []string{"years", "year", "yrs", "yr", "y/o", "yo"} {
		if len(t) >= len(u) && strings.EqualFold(t[:len(u)], u) {
			return len(s) - len(t) + len(u)
		}
	}
	return 0
}

var (
	myNameRe = lazy(`(?i)\bmy name(?:\s+is|['’]?s)\s+([A-Z][\p{L}'’-]+(?:[ \t]+[A-Z][\p{L}'’-]+)?)`)
	// "hi im jade palmer and im 14": a name after "I'm" only with an age after it on the line
	imNameRe = lazy(`(?i)\b(?:i['’]?m|i am)\s+([a-z][\p{L}'’-]+\s+[a-z][\p{L}'’-]+)\s*(?:,|\band\b)\s*(?:i['’]?m|i am)\s+\d{1,2}\b`)
	bornRe   = lazy(`(?i)\b(?:born|birthday(?:\s+is)?|dob|d\.o\.b\.?|date\s+of\s+birth)\b`)
	imAgeRe  = lazy(`(?i)\bi['’]?m\s+(\d{1,2})\b|\bi am\s+(\d{1,2})\b`)
)

// selfReferral reads a young person writing about themself: "my name is Kasia Wojcik and im 15 (born 3rd
// April 2011)". Written all in lower case ("hi my name is jade palmer im 14 and i go to mayfield school"), the
// name is read only when it is two words and the same line gives an age under 18 or a child's date of birth.
func selfReferral(text string, ref time.Time) (domain.Child, bool) {
	l := strings.ToLower(text)
	var m []int
	switch {
	case strings.Contains(l, "my name"):
		m = myNameRe.FindStringSubmatchIndex(text)
	case strings.Contains(l, "im ") || strings.Contains(l, "i'm ") || strings.Contains(l, "i’m ") || strings.Contains(l, "i am "):
		m = imNameRe.FindStringSubmatchIndex(text)
	}
	if m == nil {
		return domain.Child{}, false
	}
	var c domain.Child
	name := text[m[2]:m[3]]
	if full := bracketFullName(text[m[3]:], name); full != "" {
		name = full // "my names kai (kai adeyemi)": the full name in brackets after the given name
	}
	words := strings.Fields(name)
	lower := false
	for _, w := range words {
		if !isNameWord(w) {
			lower = true
		}
	}
	if lower {
		if len(words) != 2 || !lowerName(words) {
			return c, false
		}
		for i, w := range words {
			words[i] = titleIfShouting(w)
		}
	}
	c.GivenName, c.FamilyName = givenFamily(words)
	line := text[m[0]:]
	if i := strings.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	whole := line // the line from its start: "I am 15 years old, my name is Tom Reed"
	if i := strings.LastIndexByte(text[:m[0]], '\n'); i >= 0 {
		whole = text[i+1:m[0]] + line
	} else {
		whole = text[:m[0]] + line
	}
	if b := bornRe.FindStringIndex(line); b != nil {
		if h := firstDOB(line[b[1]:], ref); h != nil && h.start < 20 {
			c.DateOfBirth = h.d
		}
	}
	if c.DateOfBirth.IsZero() {
		if a := imAgeRe.FindStringSubmatch(whole); a != nil {
			n := atoi(a[1] + a[2])
			if n > 0 && n < 18 {
				c.Age = n
			} else if n >= 18 {
				return domain.Child{}, false // "my name is Sarah Jones and I'm 34": an adult
			}
		}
		if c.Age == 0 && !strings.Contains(strings.ToLower(text[m[0]:m[1]]), "name") {
			return domain.Child{}, false // "I'm Jade Palmer …" is a name only beside an age
		}
	}
	if c.Age == 0 && c.DateOfBirth.IsZero() && roleWithin(line[m[1]-m[0]:], 10) {
		return domain.Child{}, false // "my name is Amy Cole, I am a teacher at Oakfield Academy": a professional's introduction
	}
	if c.Age == 0 && c.DateOfBirth.IsZero() && !youngWords.match(whole) {
		// "My name is Sarah Jones, I am writing about the boy next door": a grown-up's introduction; a young
		// person says an age, a birthday, a school or a year group
		return domain.Child{}, false
	}
	goTo := strings.NewReplacer(" i go to ", ", ", " I go to ", ", ", " i attend ", ", ", " I attend ", ", ").Replace(line)
	if !lower {
		// "my name is Marcus Osei … i go to barnet and southgate college": the school in lower case
		if i := strings.Index(strings.ToLower(line), " go to "); i >= 0 && !startsUpper(strings.TrimSpace(line[i+7:])) {
			goTo = line[:i] + ", " + titleWords(line[i+7:])
		}
	}
	if lower {
		if c.DateOfBirth.IsZero() && c.Age == 0 {
			return domain.Child{}, false
		}
		goTo = titleWords(goTo)
	}
	c.School = schoolIn(goTo)
	if c.School == "" {
		// "… my birthday is 4th of june 2010. i do motor vehicle at highbury college.": a later sentence of the
		// young person's own ("I …") saying where they study
		for _, sen := range strings.Split(line, ". ")[1:] {
			ls := strings.ToLower(strings.TrimSpace(sen))
			if !(strings.HasPrefix(ls, "i ") || strings.HasPrefix(ls, "im ") || strings.HasPrefix(ls, "i'm ") || strings.HasPrefix(ls, "i’m ")) {
				continue
			}
			if lower || !startsUpper(strings.TrimSpace(sen[strings.LastIndex(ls, " ")+1:])) {
				sen = titleWords(sen)
			}
			if sch := schoolIn(sen); len(strings.Fields(sch)) >= 2 {
				c.School = sch
				break
			}
		}
	}
	return c, true
}

// youngWords say the writer is at school: "I go to …", "I'm in Year 9", "my school", "my teacher".
var youngWords = phrases{"go to", "attend", "year 7", "year 8", "year 9", "year 10", "year 11", "year 12", "year 13", "year 6",
	"year 5", "my school", "my teacher", "my tutor", "at school", "in school", "college", "academy", "primary"}

// lowerDOBRe: two lower-case words just before "dob" or "born" and a date ("children ruby-rose stott dob 12/4/25").
var lowerDOBRe = lazy(`(?:^|[\s,;:(])([a-z][\p{Ll}'’-]+)\s+([a-z][\p{Ll}'’-]+)\s*,?\s+(?:dob|d\.o\.b\.?|born(?:\s+on)?)\s*[:\-–]?\s*$`)

// lowerBefore: the word before a lower-case name that makes it a child's (a word for children, or "and" after one).
var lowerBefore = map[string]bool{"children": true, "kids": true, "child": true, "son": true, "daughter": true, "baby": true,
	"boy": true, "girl": true, "and": true, "siblings": true, "sibling": true, "brother": true, "sister": true, "twins": true,
	"toddler": true, "grandson": true, "granddaughter": true}

// lowerExtra: lower-case words of a sentence around a name that nameStop leaves out.
var lowerExtra = map[string]bool{"old": true, "new": true, "who": true, "whose": true, "no": true, "not": true, "has": true,
	"had": true, "have": true, "our": true, "your": true, "its": true, "nan": true, "gran": true, "partner": true, "kids": true,
	"kid": true, "boy": true, "girl": true, "little": true, "eldest": true, "youngest": true, "oldest": true, "older": true,
	"younger": true, "middle": true, "twin": true, "same": true, "his": true, "hers": true, "own": true}

// lowerChildren reads a child written in lower case with a date of birth, the way a hurried writer types on a phone
// ("children ruby-rose stott dob 12/4/25 and kai stott who is 6"): only on a line with no capital letter at all,
// two name words right before "dob" or "born", after a word for children (or "and"), and a child's date right after.
func lowerChildren(text string, ref time.Time) []domain.Child {
	if !strings.Contains(text, "dob") && !strings.Contains(text, "born") && !strings.Contains(text, "d.o.b") {
		return nil
	}
	var out []domain.Child
	for rest := text; rest != ""; {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		if !strings.Contains(line, "dob") && !strings.Contains(line, "born") && !strings.Contains(line, "d.o.b") {
			continue
		}
		if strings.IndexFunc(line, unicode.IsUpper) >= 0 {
			continue // a writer who capitalises writes names with capitals: the other readers' lines
		}
		for _, h := range findDates(line, ref) {
			if !plausibleDOB(h.d, ref) {
				continue
			}
			before := line[:h.start]
			m := lowerDOBRe.FindStringSubmatchIndex(before)
			if m == nil {
				continue
			}
			ws := []string{before[m[2]:m[3]], before[m[4]:m[5]]}
			if !lowerName(ws) || lowerExtra[ws[0]] || lowerExtra[ws[1]] {
				continue
			}
			prev := strings.TrimRight(before[:m[2]], " \t,;:(")
			if w := prev[strings.LastIndexAny(prev, " \t,;:(")+1:]; prev != "" && !lowerBefore[w] {
				continue // "mum laura stott dob …" is an adult's (and her date no child's); "seen jo bell dob …": a sentence
			}
			c := domain.Child{DateOfBirth: h.d}
			c.GivenName, c.FamilyName = titleIfShouting(ws[0]), titleIfShouting(ws[1])
			out = append(out, c)
		}
	}
	return out
}

var (
	// lowerKinAgeRe: a writer who writes in lower case naming a sibling or a child with an age: "my lil sis blessing
	// shes 8", "my brother is baby jaxon hes 1", "her son tyler who is 6". Group 1 the name, 2 the age.
	lowerKinAgeRe = lazy(`\b(?:sis|sister|brother|bro|son|daughter|girls|boys)\s+(?:is\s+baby\s+|called\s+|baby\s+)?([a-z][a-z'’-]+)\s*,?\s+(?:hes|shes|he['’]s|she['’]s|is|who\s+is|whos|who['’]s)\s+(\d{1,2})(?:\s*(?:yrs?|years?(?:\s+old)?))?(?:[\s,.;!)]|$)`)
	// lowerKinPairRe: two named together with their ages: "my sisters are amelia and grace they are 10 and 6". Groups
	// 1 and 2 the names, 3 and 4 the ages.
	// lowerKinNamesRe: two named together straight after a word for children, no ages: "she has her 2 kids there
	// mason and ruby". Groups 1 and 2 the names.
	lowerKinNamesRe = lazy(`\b(?:kids|children|sons|daughters|sisters|brothers)\s+(?:there\s+|are\s+|called\s+)?([a-z][a-z'’-]+)\s+(?:and|&|n|nd)\s+([a-z][a-z'’-]+)(?:[\s,.;!)]|$)`)
	lowerKinPairRe  = lazy(`\b(?:sisters|brothers|kids|children|siblings)\s+(?:are\s+)?([a-z][a-z'’-]+)\s+(?:and|&|n|nd)\s+([a-z][a-z'’-]+)\s*,?\s+(?:they\s+are|theyre|they['’]re|who\s+are|are)\s+(\d{1,2})\s+(?:and|&|n|nd)\s+(\d{1,2})(?:[\s,.;!)]|$)`)
)

// lowerKinWords: lower-case words that follow a word for a sibling and are no name ("my sister is very upset").
var lowerKinWords = map[string]bool{"is": true, "are": true, "was": true, "the": true, "my": true, "a": true, "an": true,
	"very": true, "so": true, "really": true, "still": true, "also": true, "always": true, "only": true, "just": true,
	"now": true, "there": true, "here": true, "home": true, "at": true, "in": true, "on": true, "not": true, "never": true,
	"called": true, "named": true, "baby": true, "lil": true, "big": true, "he": true, "she": true, "they": true, "and": true,
	"too": true, "as": true, "with": true, "who": true, "that": true, "this": true, "said": true, "says": true, "told": true,
	"been": true, "being": true, "got": true, "gets": true, "goes": true, "go": true, "has": true, "had": true,
	"mum": true, "mums": true, "dad": true, "dads": true, "mummy": true, "daddy": true, "me": true, "us": true, "them": true,
	"school": true, "nursery": true, "i": true, "we": true, "you": true, "her": true, "his": true, "their": true, "all": true,
	"both": true, "were": true, "arent": true, "dont": true, "didnt": true, "cant": true, "for": true, "of": true,
	"to": true, "from": true, "but": true, "or": true, "if": true, "when": true, "then": true, "because": true, "cos": true}

// lowerKinChildren reads siblings and children named in lower case with their ages, on lines a writer wrote
// entirely in lower case (a young person's or a neighbour's phone message): "my lil sis blessing shes 8",
// "my sisters are amelia and grace they are 10 and 6". The name is written as a name; an age of 18 or more, a
// word of the sentence where the name would be, and any line with a capital are not read.
func lowerKinChildren(text string) []domain.Child {
	if !containsAny(text, []string{"sis", "brother", "bro ", "son ", "daughter", "kids", "children", "siblings", "girls", "boys"}) {
		return nil
	}
	var out []domain.Child
	name := func(w string) bool {
		return len(w) >= 2 && !lowerKinWords[w] && !lowerExtra[w] && !nameStop[w] && !isAgeStop[w] && !lowerState[w] && lowerName([]string{w})
	}
	// after "the kids are", where how they are is written as often: no word shaped like a verb's ("scared", "crying")
	pairName := func(w string) bool {
		return name(w) && !(len(w) > 4 && (strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "ing")))
	}
	for rest := text; rest != ""; {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		if !lowerLine(line) {
			continue // a writer who capitalises writes names with capitals: the other readers' lines
		}
		for _, m := range lowerKinAgeRe.FindAllStringSubmatch(line, -1) {
			if a := atoi(m[2]); a > 0 && a < 18 && name(m[1]) {
				out = append(out, domain.Child{GivenName: titleWords(m[1]), Age: a})
			}
		}
		for _, m := range lowerKinNamesRe.FindAllStringSubmatch(line, -1) {
			if pairName(m[1]) && pairName(m[2]) && lowerNamedAgain(text, m[1]) && lowerNamedAgain(text, m[2]) {
				// "the kids are kai and lily-rose … kai is 8 and lily-rose is 5": each one's age said after, in the text
				out = append(out, domain.Child{GivenName: titleWords(m[1]), Age: lowerAgeOf(text, m[1])},
					domain.Child{GivenName: titleWords(m[2]), Age: lowerAgeOf(text, m[2])})
			}
		}
		for _, m := range lowerKinPairRe.FindAllStringSubmatch(line, -1) {
			a, b := atoi(m[3]), atoi(m[4])
			if a > 0 && a < 18 && b > 0 && b < 18 && pairName(m[1]) && pairName(m[2]) {
				out = append(out, domain.Child{GivenName: titleWords(m[1]), Age: a}, domain.Child{GivenName: titleWords(m[2]), Age: b})
			}
		}
	}
	return out
}

// lowerState: lower-case words for how children are, which follow "the kids are" where names could ("the kids are
// scared and hungry").
var lowerState = map[string]bool{"scared": true, "frightened": true, "hungry": true, "fine": true, "ok": true, "okay": true,
	"safe": true, "upset": true, "sad": true, "happy": true, "tired": true, "dirty": true, "cold": true, "hurt": true,
	"ill": true, "sick": true, "poorly": true, "alone": true, "asleep": true, "awake": true, "quiet": true, "naughty": true,
	"good": true, "bad": true, "little": true, "small": true, "together": true, "twins": true, "well": true, "lovely": true,
	"gone": true, "out": true, "off": true, "back": true, "away": true, "inside": true, "outside": true, "everywhere": true,
	"staying": true, "left": true, "crying": true, "screaming": true, "starving": true, "thin": true, "skinny": true,
	"filthy": true, "smelly": true, "loud": true, "terrified": true, "worried": true, "anxious": true, "nice": true}

// lowerNamedAgain: the lower-case given name is written again as someone doing something ("mason asked me", "ruby
// was just in a nappy", "kai is 8"), so that two words after "kids" are names, not how the kids are.
func lowerNamedAgain(text, given string) bool {
	n := 0
	for i := 0; n < 2; {
		j := strings.Index(text[i:], given+" ")
		if j < 0 {
			return false
		}
		j += i
		i = j + len(given)
		if j > 0 && (isWordByte(text[j-1]) || text[j-1] == '-') {
			continue
		}
		w, _ := nextWord(text[i+1:])
		switch w {
		case "is", "was", "has", "had", "asked", "said", "says", "told", "goes", "went", "looks", "looked", "cried", "hes",
			"shes", "he's", "she's", "gets", "got", "came", "comes", "knocked", "answered", "opened":
			return true
		}
		n++
	}
	return false
}

// lowerAgeOf is the age said of a lower-case given name ("kai is 8", "lily-rose is 5,"), 0 when none is (or one of
// 18 or more).
func lowerAgeOf(text, given string) int {
	for i, n := 0, 0; n < 5; n++ {
		j := strings.Index(text[i:], given+" ")
		if j < 0 {
			return 0
		}
		j += i
		i = j + len(given)
		if j > 0 && (isWordByte(text[j-1]) || text[j-1] == '-') {
			continue
		}
		rest := text[i+1:]
		for _, cue := range []string{"is ", "hes ", "shes ", "he's ", "she's ", "who is "} {
			if r, ok := strings.CutPrefix(rest, cue); ok {
				k := 0
				for k < len(r) && k < 2 && r[k] >= '0' && r[k] <= '9' {
					k++
				}
				if a := atoi(r[:k]); k > 0 && (k == len(r) || !isWordByte(r[k]) && r[k] != '.') && a > 0 && a < 18 {
					return a
				}
			}
		}
	}
	return 0
}

// lowerLine: a line written in lower case — a capital in at most one word in ten ("… 55 colindale avenue NW9 …
// goes to St Marys primary"), and in none of a short line's.
func lowerLine(line string) bool {
	words, upper := 0, 0
	for _, w := range strings.Fields(line) {
		words++
		if r, _ := utf8.DecodeRuneInString(w); unicode.IsUpper(r) {
			upper++
		}
	}
	return upper == 0 || upper*10 <= words && words >= 20
}

// lowerName: words written in lower case that can be a name: letters only, none a word of the sentence
// around a name ("and", "im", "from").
func lowerName(ws []string) bool {
	for _, w := range ws {
		if len(w) < 2 || nameStop[w] || w == "im" || w == "and" || w == "from" || w == "aged" || w == "age" {
			return false
		}
		for _, r := range w {
			if !unicode.IsLower(r) && r != '-' && r != '\'' {
				return false
			}
		}
	}
	return true
}

// titleWords capitalises every word of s ("mayfield school" → "Mayfield School").
func titleWords(s string) string {
	fs := strings.Fields(s)
	for i, w := range fs {
		fs[i] = titleIfShouting(w)
	}
	return strings.Join(fs, " ")
}

var subjectPrefix = lazy(`(?i)^\s*(?:(?:re|fw|fwd|aw)\s*:\s*)+`)

// subjectChild reads a child named in the subject line with a date of birth: "Safeguarding concern - HARVEY
// DOYLE DOB 14.6.2017", "safeguarding - jasmine patel dob 07/03/13", "Referral: Daisy Morton, 2 March 2020".
// Two or three name words just before the date, in any case.
func subjectChild(subject string, ref time.Time) (domain.Child, bool) {
	s := subjectPrefix.ReplaceAllString(subject, "")
	h := firstDOB(s, ref)
	if h == nil {
		return domain.Child{}, false
	}
	before := s[:h.start]
	// (a date in brackets is said to be one too: "Leah MCKENZIE 7G (01/03/2015)")
	cued := bornRe.MatchString(before) || strings.HasSuffix(strings.TrimRight(before, " "), "(")
	before = strings.TrimRight(dobCue.ReplaceAllString(before, ""), " -–:,") // "Referral - Amelia JONES - DOB …"
	if cued {
		// a school year or a class between the name and a said date of birth: "leo castellano 3C dob 11.2.19",
		// "Amy Hart Y4 DOB …"
		if m := subjectClassRe.FindStringIndex(before); m != nil {
			before = before[:m[0]]
		}
	}
	fs := strings.Fields(before)
	var words []string
	for i := len(fs) - 1; i >= 0 && len(words) < 3; i-- {
		w := strings.Trim(fs[i], ",")
		if w != fs[i] && i != len(fs)-1 || nameStop[strings.ToLower(w)] || !isNameWord(titleIfShouting(w)) {
			break
		}
		words = append([]string{w}, words...) // as written: givenFamily reads "MURPHY Kacey" as the surname first
	}
	var c domain.Child
	if g, f, ok := surnameFirstTail(before); ok {
		c.GivenName, c.FamilyName = g, f // "MORGAN, Riley (DOB 11/10/2014) - online grooming"
	} else if len(words) >= 2 {
		c.GivenName, c.FamilyName = givenFamily(words)
	} else {
		return domain.Child{}, false
	}
	c.DateOfBirth = h.d
	return c, true
}

// subjectChildren is subjectChild for each child of a subject naming several, each with a date of birth, joined by
// "&", "and" or ";" ("Safeguarding referral - ROWE, Alfie-James 02.09.22 & ROWE, Lacey 14.4.24").
func subjectChildren(subject string, ref time.Time) []domain.Child {
	c, ok := subjectChild(subject, ref)
	if !ok {
		return nil
	}
	out := []domain.Child{c}
	h := firstDOB(subject, ref)
	if h == nil {
		return out
	}
	for rest := subject[h.end:]; len(out) < 5; {
		t := strings.TrimLeft(rest, " )")
		if m := subjectAsideRe.FindStringIndex(t); m != nil {
			t = strings.TrimLeft(t[m[1]:], " ") // "TREVELYAN Mason 15.01.22 (YR) & …": a school year after the date
		}
		var sep string
		for _, p := range []string{"& ", "and ", "; ", ", "} {
			if strings.HasPrefix(t, p) {
				sep = p
			}
		}
		if sep == "" {
			break
		}
		t = t[len(sep):]
		n := firstDOB(t, ref)
		if n == nil || n.start > 40 {
			break
		}
		c, ok := subjectChild(t[:n.end], ref)
		if !ok {
			// "… & Lily 06.07.20 (Y2)", "… & Frankie-Lee (dob 21.4.2022)": a given name alone shares the first
			// child's family name
			c, ok = domain.Child{DateOfBirth: n.d}, false
			head := strings.TrimRight(dobCue.ReplaceAllString(t[:n.start], ""), " (-–:,")
			if ws := strings.Fields(head); len(ws) == 1 && isNameWord(ws[0]) && !shouting(ws[0]) && !nameStop[strings.ToLower(ws[0])] && out[0].FamilyName != "" {
				c.GivenName, c.FamilyName, ok = ws[0], out[0].FamilyName, true
			}
		}
		if !ok || c.DateOfBirth != n.d {
			break
		}
		out = append(out, c)
		rest = t[n.end:]
	}
	return out
}

// subjectAsideRe: a short aside in brackets after a subject's date of birth ("(YR)", "(Y2)", "(nursery)").
var subjectAsideRe = lazy(`^\([^()]{1,12}\)`)

var (
	subjectClassRe  = lazy(`(?i)\s+(?:(?:y|yr|year)\s?\d{1,2}[a-z]?|\d{1,2}[a-z])$`)
	hisDOBRe        = lazy(`\b(?:[Hh]is|[Hh]er)\s+(?:DOB|D\.O\.B\.?|dob|date of birth)\s+is\s+`)
	subjectNameTail = lazy(`(?:[-–:]|\bre\b|\bfor\b|\babout\b)\s*([A-Z][\p{L}'’-]+(?:[ \t]+[A-Z][\p{L}'’-]+){1,2})\s*$`)
)

// possessiveSubjectDOB reads "His DOB is 22/10/2010" in a reply whose subject names one young person at its end
// ("Re: Information request - Jayden Campbell-Reid"): that name with that date.
func possessiveSubjectDOB(subject, text string, ref time.Time) (domain.Child, bool) {
	if !containsAny(text, []string{"DOB is", "dob is", "D.O.B is", "D.O.B. is", "date of birth is", "Date of birth is"}) {
		return domain.Child{}, false
	}
	m := hisDOBRe.FindStringIndex(text)
	if m == nil {
		return domain.Child{}, false
	}
	h := firstDOB(text[m[1]:min(len(text), m[1]+30)], ref)
	if h == nil || h.start != 0 {
		return domain.Child{}, false
	}
	n := subjectNameTail.FindStringSubmatch(subjectPrefix.ReplaceAllString(subject, ""))
	if n == nil {
		return domain.Child{}, false
	}
	ws := strings.Fields(n[1])
	if !plainName(ws) || schoolWords.match(n[1]) || groupWords.match(n[1]) || placeWords.match(n[1]) || adultTitled(n[1]) {
		return domain.Child{}, false
	}
	var c domain.Child
	c.GivenName, c.FamilyName = givenFamily(ws)
	c.DateOfBirth = h.d
	line := text[m[1]+h.end:]
	if i := strings.IndexAny(line, ".!?\n"); i >= 0 {
		line = line[:i]
	}
	if sm := schoolAfter.FindStringSubmatchIndex(line); sm != nil && !pastSchool(line[:sm[2]]) {
		c.School = trimSchool(strings.TrimSpace(line[sm[2]:sm[3]])) // "… and he's on roll at New Regent's College"
	}
	return c, true
}

var schoolAfter = lazy(`\b(?:at|attends|attending|go(?:es)? to)\s+((?:[A-Z][\p{L}'’.-]*\s+){0,4}(?:School|Primary|Academy|Nursery|College|Junior|Infant|Infants|Pre-[Ss]chool|Preschool|Grammar|UTC)\b(?:\s+(?:School|Academy))?)`)

// schoolNear finds a child's school said in the sentence that names the child: "Freddie Nash in Year 2 at
// Cottage Grove Primary", "Layla Ahmed (DOB …), a Year 2 pupil at Wimborne Infant School".
//
// The child may be named by the given name alone when no other child of the email shares it ("Zofia goes to
// Fernhurst Junior School and Kacper has just started at Priory School"): the clause runs from the name to the
// next child's name.
func schoolNear(text string, c domain.Child, others []string) string {
	if c.GivenName == "" {
		return ""
	}
	names := []string{strings.TrimSpace(c.GivenName + " " + c.FamilyName)}
	same := 0
	for _, o := range others {
		if o == c.GivenName {
			same++
		}
	}
	if c.FamilyName != "" && same <= 1 {
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
			s := text[from:]
			if j := strings.IndexAny(s, ".!?\n"); j >= 0 {
				s = s[:j] // the sentence that names the child
			}
			for _, o := range others {
				if o == "" || o == c.GivenName {
					continue
				}
				if j := strings.Index(s, o); j >= 0 && (j == 0 || !isWordByte(s[j-1])) {
					if between := strings.TrimSpace(s[:j]); between == "and" || between == "&" || between == "," {
						continue // "Macie and TJ at Spring Lane Primary": the two share what follows
					}
					s = s[:j] // up to the next child's name
				}
			}
			if m := schoolAfter.FindStringSubmatchIndex(s); m != nil && !pastSchool(s[:m[2]]) {
				if someoneElseAt(s[:m[2]], c) {
					break // "… and his sister Amy, who attends X", "… her dad, who is a teacher at X": another's school
				}
				return trimSchool(strings.TrimSpace(s[m[2]:m[3]]))
			}
			// "Inês Ferreira, 7 years - Barnfield Primary School": a line that starts with the child's name and goes
			// on as a list entry
			if lineStart(text, i) && !strings.ContainsAny(s, "|\t") && !strings.Contains(s, "   ") {
				if sch := schoolIn(s); sch != "" {
					return sch
				}
			}
			// "Mia Cole (13), Year 8, Castle Academy": the line goes on as a list after the name's bracket
			if rest, ok := strings.CutPrefix(strings.TrimLeft(s, " "), "("); ok {
				if _, after, ok := strings.Cut(rest, ")"); ok && strings.HasPrefix(after, ",") {
					if sch := schoolIn(after); sch != "" {
						return sch
					}
				}
			}
		}
	}
	return ""
}

// lineStart: text[i:] starts a line (after any bullet or number).
func lineStart(text string, i int) bool {
	j := strings.LastIndexByte(text[:i], '\n') + 1
	return strings.Trim(text[j:i], " \t-*•·–0123456789.)") == ""
}

// groupSchoolRe: a sentence giving every child one school (groupSchoolOf) — "They are both at St John's CE Primary School",
// "They both go to Monkfield Park Primary", "Both children attend Gayhurst Community School".
var groupSchoolRe = lazy(`(?i)\b(?:they|both(?:\s+(?:children|of them|boys|girls|kids))?|all\s+(?:three|four|five|of them|the children)|the (?:children|kids|boys|girls|twins))\s+(?:both\s+|all\s+)?(?:attend|go\s+to|are\s+(?:both\s+|all\s+)?(?:at|pupils\s+at|students\s+at))\s+((?:[A-Z][\p{L}'’.&-]*\s+){0,5}(?:School|Primary|Academy|Nursery|College|Junior|Infant|Infants|Pre-School|High)\b(?:\s+(?:School|Academy))?)`)

// pronounSchoolRe: "He attends Corby Business Academy", "she is in Year 6 at Brampton Heath Primary", "he's on
// roll at New Regent's College": a sentence about one child.
var pronounSchoolRe = lazy(`\b(?:[Hh]e|[Ss]he)(?:['’]s|\s+is)?\s+(?:attends|goes\s+to|(?:currently\s+)?(?:at|a\s+pupil\s+at|a\s+student\s+at|on\s+roll\s+at|in\s+(?:Year|Yr|Y)\s?\d{1,2}\s+at|in\s+Reception\s+at))\s+((?:[A-Z][\p{L}'’.&-]*\s+){0,5}(?:School|Primary|Academy|Nursery|College|Junior|Infant|Infants|Pre-School|High)\b(?:\s+(?:School|Academy))?)`)

// otherNameBetween: a capitalised name word inside a sentence (not its first word) other than the child's —
// "… little Alfie, who is 4, … and Chloë says …": "she" may be someone else.
func otherNameBetween(s string, c domain.Child) bool {
	fs := strings.Fields(s)
	for i, w := range fs {
		w = strings.Trim(w, ",.;:!?()\"“”")
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
		if i == 0 || !isNameWord(w) || w == c.GivenName || w == c.FamilyName || nameStop[strings.ToLower(w)] || isAgeStop[strings.ToLower(w)] ||
			lowerIn(agencyWords, w) || lowerIn(needAcronyms, w) { // "a referral from the SENCo at …", "ADHD": a role or a need, not a person
			continue
		}
		if p := fs[i-1]; strings.HasSuffix(p, ".") || strings.HasSuffix(p, "!") || strings.HasSuffix(p, "?") || startsUpper(p) {
			continue // a sentence's first word, or part of a longer proper noun ("Referral Order")
		}
		if dayOrMonth(w, fs, i) {
			continue // "the 2nd of May 2011", "on Sunday": a date, not a person
		}
		if i+1 < len(fs) && startsUpper(fs[i+1]) && !strings.HasSuffix(fs[i], ".") {
			continue // "a Referral Order": a term, not a person
		}
		return true // a lone capitalised word inside a sentence: a person's name
	}
	return false
}

// pronounSchool is the school of "He attends …" when the child is the one the text named last before it (within
// a few lines).
func pronounSchool(text string, c domain.Child, givens []string) string {
	if c.GivenName == "" {
		return ""
	}
	if strings.Contains(text, "Attends ") || strings.Contains(text, "Goes to ") {
		if sch := schoolOfLastNamed(text, attendsStartRe.FindAllStringSubmatchIndex(text, -1), c, givens); sch != "" {
			return sch // "… on a Referral Order with us. Attends New City College": a sentence without its subject
		}
	}
	if strings.Contains(text, ", which he attends") || strings.Contains(text, ", which she attends") {
		// "… the SENCo at Peareswood Primary School, which he attends"
		if sch := schoolOfLastNamed(text, whichAttendsRe.FindAllStringSubmatchIndex(text, -1), c, givens); sch != "" {
			return sch
		}
	}
	if !containsAny(strings.ToLower(text), []string{"he attends", "he goes to", "he is at ", "he's at ", "he’s at ", "he is in y", "he's in y",
		"he’s in y", "he is in reception", "he's in reception", "he’s in reception", "he is a pupil", "he is a student", "he's a pupil", "he’s a pupil",
		"he is on roll", "he's on roll", "he’s on roll", "he is currently at", "he's currently at", "he’s currently at"}) {
		return ""
	}
	return schoolOfLastNamed(text, pronounSchoolRe.FindAllStringSubmatchIndex(text, -1), c, givens)
}

// whichAttendsRe: "Peareswood Primary School, which he attends".
var whichAttendsRe = lazy(`((?:[A-Z][\p{L}'’.&-]*\s+){0,5}(?:School|Primary|Academy|Nursery|College|Junior|Infant|Infants|Pre-[Ss]chool|High)\b(?:\s+(?:School|Academy))?),\s+which\s+(?:he|she)\s+(?:attends|goes\s+to)\b`)

var attendsStartRe = lazy(`(?:^|[.!?]\s+|\n)(?:Attends|Goes\s+to)\s+((?:[A-Z][\p{L}'’.&-]*\s+){0,5}(?:School|Primary|Academy|Nursery|College|Junior|Infant|Infants|Pre-School|High)\b(?:\s+(?:School|Academy))?)`)

// schoolOfLastNamed is the school of the first match whose sentence is about the child: the child is the one
// the text named last before it, with no other lone name between.
func schoolOfLastNamed(text string, ms [][]int, c domain.Child, givens []string) string {
	for _, m := range ms {
		if pastSchool(text[max(0, m[0]-10):m[2]]) {
			continue
		}
		window := text[max(0, m[0]-400):m[0]]
		last, at := "", -1
		for _, g := range givens {
			if i := strings.LastIndex(window, g); g != "" && i > at {
				last, at = g, i
			}
		}
		if last != c.GivenName || otherNameBetween(window[at+len(last):], c) {
			continue
		}
		return strings.TrimSpace(text[m[2]:m[3]])
	}
	return ""
}

// kinWords: words for someone else near the child — a relative, a friend, a professional.
var kinWords = map[string]bool{"sister": true, "brother": true, "sibling": true, "cousin": true, "friend": true, "friends": true,
	"boyfriend": true, "girlfriend": true, "classmate": true, "pupil": true}

// notAttendingWords: words just before a school that say someone works there or the child goes there only for
// something else ("a teacher at", "works at", "tuition at", "the Early Help hub at"). A school the child is
// starting at is the school, as referrers mean it.
var notAttendingWords = map[string]bool{"teacher": true, "teaches": true, "teaching": true, "works": true, "work": true,
	"working": true, "job": true, "employed": true, "volunteers": true, "volunteer": true, "cleaner": true, "caretaker": true,
	"staff": true, "tuition": true, "hub": true, "meeting": true, "held": true, "visited": true, "visit": true, "applied": true,
	"apply": true, "assessment": true, "appointment": true, "interview": true, "taster": true, "trial": true, "waiting": true}

// someoneElseAt: the words between the child's name and a school ("… and his sister Amy, who attends", "…, whose
// mum works at", "… has tuition at") place someone else at the school, or the child there only for something
// else. A wrong school sends the screener to the wrong DSL.
func someoneElseAt(between string, c domain.Child) bool {
	if strings.HasPrefix(between, "'s ") || strings.HasPrefix(between, "’s ") {
		return true // "Kacey's half-brother … goes to …": the school of someone the child's name is a possessive of
	}
	fs := strings.Fields(between)
	singular := false
	for len(fs) > 0 && schoolCueWords[strings.ToLower(fs[len(fs)-1])] {
		singular = singular || strings.EqualFold(fs[len(fs)-1], "attends") || strings.EqualFold(fs[len(fs)-1], "goes")
		fs = fs[:len(fs)-1] // the cue itself: "who goes to", "who attends"
	}
	if n := len(fs); singular && n > 0 {
		if lw := strings.ToLower(strings.Trim(fs[n-1], ",.;:()")); kinWords[lw] || adultBefore[lw] {
			return true // "Sister attends Little Stars Nursery": the sister's school
		}
	}
	for i, w := range fs {
		lw := strings.ToLower(strings.Trim(w, ",.;:()"))
		lw = strings.TrimSuffix(strings.TrimSuffix(lw, "'s"), "’s")
		lw = strings.TrimPrefix(strings.TrimPrefix(lw, "half-"), "step-") // "Kacey's half-brother, …, goes to …"
		if i >= len(fs)-2 && notAttendingWords[lw] {
			return true
		}
		if lw == "whose" && i >= len(fs)-4 {
			return true
		}
		if kinWords[lw] || adultBefore[lw] {
			// the relative is the one the school is said of when nothing but their name, "who" or "is" comes
			// between ("his sister Amy, who attends", "her dad, who is a"); "lives with his dad Piotr in Corby and
			// attends" is still the child's
			j := i + 1
			for j < len(fs) && (startsUpper(fs[j]) && strings.Trim(fs[j], ",") != c.GivenName || whoWords[strings.ToLower(strings.Trim(fs[j], ","))]) {
				j++
			}
			if j == len(fs) && j > i+1 || j == len(fs) && strings.HasSuffix(w, ",") {
				return true
			}
		}
	}
	return false
}

var schoolCueWords = map[string]bool{"at": true, "attends": true, "attend": true, "attending": true, "goes": true, "go": true,
	"to": true, "pupil": true, "student": true, "on": true, "roll": true}

var whoWords = map[string]bool{"who": true, "who's": true, "who’s": true, "is": true, "currently": true, "also": true, "now": true, "a": true}

// pastSchoolRe: a school the child was at before ("was at", "previously attended", "Previous school:",
// "until she left"): a wrong current school sends the screener to the wrong DSL, so it is not read as the school.
var pastSchoolRe = lazy(`(?i)\b(?:was|were|used\s+to\s+(?:be|go|attend))\s+(?:\w+\s+)?(?:at|attending|in|to)\b|\b(?:previous(?:ly)?|former(?:ly)?|old|last|prior)\b|\b(?:left|excluded\s+from|moved\s+from)\b`)

var ageOldReplacer = strings.NewReplacer("year-old", "year", "years-old", "years", "year old", "year", "years old", "years", "yr old", "yr", "yrs old", "yrs")

// pastSchool says whether the words before a school (or its segment) place the child there in the past.
func pastSchool(before string) bool {
	if len(before) > 40 {
		before = before[len(before)-40:]
	}
	l := strings.ToLower(before)
	if !containsAny(l, []string{"was", "were", "used", "prev", "former", "old", "last", "prior", "left", "exclu", "moved"}) {
		return false // a cheap check before the expression
	}
	if strings.Contains(l, "old") {
		l = ageOldReplacer.Replace(l) // "a 13-year-old who attends …" is the child's age, not an old school
	}
	return pastSchoolRe.MatchString(l)
}

var stackedDOB = lazy(`(?i)^(?:dob|d\.o\.b\.?|born(?: on)?|date of birth)[:\s]*`)

// stackedChildren reads a child written as a block of short lines, the name alone on its line and the date of
// birth on one of the next two ("Tia Clarke" / "Year 9, Springfield School" / "born 19.3.2012"): the name line
// must hold nothing but two to four name words, and the date line must say it is a date of birth.
func stackedChildren(text string, ref time.Time) []domain.Child {
	var out []domain.Child
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" || !strings.ContainsRune("dDbB", rune(l[0])) || i == 0 {
			continue
		}
		m := stackedDOB.FindStringIndex(l)
		if m == nil {
			continue
		}
		h := firstDOB(l[m[1]:], ref)
		if h == nil || h.start != 0 {
			continue
		}
		for k := i - 1; k >= 0 && k >= i-2; k-- {
			if k < i-1 && namedBetween(lines[k+1]) {
				break // "MINOR INJURIES UNIT" / "Patient | Kai Lee" / "DOB | …": the date is the labelled name's
			}
			prev := strings.TrimSpace(lines[k])
			ws := nameWords(prev, false)
			if len(ws) < 2 || len(ws) != len(strings.Fields(prev)) || adultTitled(prev) || !plainName(ws) {
				continue
			}
			var c domain.Child
			c.GivenName, c.FamilyName = givenFamily(ws)
			c.DateOfBirth = h.d
			if k < i-1 {
				c.School = schoolIn(strings.TrimSpace(lines[k+1]))
			}
			out = append(out, c)
			break
		}
	}
	return out
}

// plainName: name words that are none of a form's labels or headings ("Forename Lewis", "Paediatric Liaison
// Referral" are a label and its value, a title).
func plainName(ws []string) bool {
	for _, w := range ws {
		if nameStop[strings.ToLower(w)] || lookupLabel(w) != fNone || orgWords.match(w) || roleWords.match(w) {
			return false
		}
	}
	return true
}

var (
	// kinAreRe: a sentence that lists the children: "The children are …", "Her children are: …", "Siblings: …".
	kinAreRe = lazy(`\b(?:children|kids|siblings)\s*(?:are|were)?\s*[:–—-]?\s+`)
	// kinDateItemRe: a first name with its date of birth in brackets, "baby" before it or not: "Fatmata
	// (02/04/2013)", "baby Isatu (30/07/2025)".
	kinDateItemRe = lazy(`(?:^|[^\p{L}'’-])([A-Z][\p{L}'’-]+)\s*\(\s*(?:dob:?\s*|d\.o\.b\.?:?\s*|born\s+)?([0-9][0-9./ -]{5,11}[0-9])\s*\)`)
	// familyOfRe: "the Kamara family", "the KAMARA family".
	familyOfRe = lazy(`\b[Tt]he\s+([A-Z][\p{L}'’-]+)\s+family\b`)
)

// kinDateChildren reads first names with their dates of birth in brackets in a sentence listing the children
// ("The children are Fatmata (02/04/2013), who is now at Haggerston School, Ibrahim (19/11/2016) and …"), each
// a child when the date is a child's; the family name is the one family the email names ("I am referring the
// Kamara family"), and without exactly one no child is read (a first name alone is left to other readers). A
// school said between one child and the next ("who is now at Haggerston School") is that child's.
func kinDateChildren(text string, ref time.Time) []domain.Child {
	if !strings.Contains(text, " family") || !containsAny(text, []string{"children", "kids", "siblings"}) {
		return nil // a cheap check first
	}
	fam := ""
	for _, m := range familyOfRe.FindAllStringSubmatch(text, -1) {
		f := titleIfShouting(m[1])
		if nameStop[strings.ToLower(f)] || !isNameWord(f) || fam != "" && fam != f {
			return nil // no family name, or two families
		}
		fam = f
	}
	if fam == "" {
		return nil
	}
	var out []domain.Child
	for _, m := range kinAreRe.FindAllStringIndex(text, -1) {
		s := text[m[1]:]
		if i := strings.Index(s, "\n"); i >= 0 {
			s = s[:i]
		}
		for _, end := range []string{". ", ".\n"} {
			if i := strings.Index(s, end); i >= 0 {
				s = s[:i]
			}
		}
		items := kinDateItemRe.FindAllStringSubmatchIndex(s, -1)
		if len(items) < 2 || items[0][2] > 6 {
			continue // a list: two children or more, the first straight after the words ("baby " at most)
		}
		for n, it := range items {
			given := s[it[2]:it[3]]
			if nameStop[strings.ToLower(given)] || isAgeStop[strings.ToLower(given)] || !isNameWord(given) {
				continue
			}
			d, ok := findDate(s[it[4]:it[5]])
			if !ok || !plausibleDOB(d, ref) {
				continue // a parent's date, or no date
			}
			c := domain.Child{GivenName: given, FamilyName: fam, DateOfBirth: d}
			next := len(s)
			if n+1 < len(items) {
				next = items[n+1][0]
			}
			c.School = schoolIn(s[it[1]:next])
			out = append(out, c)
		}
	}
	return out
}

var (
	// ownerListRe: a parent named before a list of their children: "Ms Dowd has two children:", "Stacey has two
	// kids -"; group 1 the title (then group 2 is the family name), group 2 the name.
	ownerListRe = lazy(`\b(?:(Mr|Mrs|Ms|Miss|Mx)\.?\s+)?([A-Z][\p{L}'’-]+)(?:\s+has|\s+had)\s+(?:(?:two|three|four|five|\d)\s+)?(?:young\s+|little\s+)?(?:children|kids|sons|daughters)\s*(?:[:–—-]|\s+are|\s+were)\s*`)
	// commaAgeItemRe: "Keira, 12, who attends Hurstmere School, and Logan, 9."
	commaAgeItemRe = lazy(`(?:^|,\s*|\s+and\s+|\s*&\s*)([A-Z][\p{L}'’-]+),\s*(?:aged\s+)?(\d{1,2})(?:\s*(?:yrs?|years?(?:\s+old)?))?\s*(?:[,.;]|\s+and\b|$)`)
)

// ownerCommaChildren reads a parent's children listed with their ages after commas ("Ms Dowd has two children:
// Keira, 12, who attends Hurstmere School, and Logan, 9."): the family name is the parent's when the parent is
// named with a title ("Ms Dowd"), else the family name written with the parent's first name elsewhere; without
// one no child is read. A school said between one child and the next is that child's.
func ownerCommaChildren(text string) []domain.Child {
	if !containsAny(text, []string{" children", " kids", " sons", " daughters"}) {
		return nil
	}
	var out []domain.Child
	for _, m := range ownerListRe.FindAllStringSubmatchIndex(text, -1) {
		name := text[m[4]:m[5]]
		if nameStop[strings.ToLower(name)] || isAgeStop[strings.ToLower(name)] || !isNameWord(name) {
			continue
		}
		fam := titleIfShouting(name)
		if m[2] < 0 {
			fam = familyOf(text, name)
		}
		if fam == "" {
			continue
		}
		s := text[m[1]:]
		if i := strings.IndexAny(s, "\n"); i >= 0 {
			s = s[:i]
		}
		if i := strings.Index(s, ". "); i >= 0 {
			s = s[:i+1]
		}
		items := commaAgeItemRe.FindAllStringSubmatchIndex(s, -1)
		if len(items) == 0 || items[0][0] != 0 {
			continue // the list straight after the words
		}
		for n, it := range items {
			given := s[it[2]:it[3]]
			age := atoi(s[it[4]:it[5]])
			if age >= 18 || nameStop[strings.ToLower(given)] || isAgeStop[strings.ToLower(given)] || !isNameWord(given) {
				continue
			}
			next := len(s)
			if n+1 < len(items) {
				next = items[n+1][0]
			}
			out = append(out, domain.Child{GivenName: given, FamilyName: fam, Age: age, School: schoolIn(s[it[1]:next])})
		}
	}
	return out
}
