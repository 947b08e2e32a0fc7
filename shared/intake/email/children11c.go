package email

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/safeguarding/mash/shared/domain"
)

// Eleventh round (engineer t11c): children missed in round 10's 510-539 and in the older 447 and 466, read by
// the shape the writer used, never by their names.

// columnWrap marks, in a PDF's text, a line break where a table cell's value wrapped inside its column: the
// next line starts under the value of the line above (the PDF reader sees the x of each line), with no label of
// its own. joinColumnWraps replaces each mark.
const columnWrap = "\v"

// joinColumnWraps joins a cell's value wrapped in its column back into one line when the words say the value
// goes on ("Logan ROBSON, DOB" / "26/05/2026"; "Gary Lowe (stepfather) b." / "1981; Logan Kerr (brother) 13";
// "overdose (paracetamol," / "approx 40 tablets)"), so that every reader meets a child's name and date of birth
// on one line, as the writer typed them. A line that may be a new item of a list written one a line in the cell
// ("Tracey Kerr (mother)" / "Logan Kerr (brother) 13", "1. Tia-Mae" / "2. Logan") stays a line of its own.
func joinColumnWraps(text string) string {
	if !strings.Contains(text, columnWrap) {
		return text
	}
	width := columnWidth(text)
	var b strings.Builder
	b.Grow(len(text))
	rest := text
	for {
		i := strings.Index(rest, columnWrap)
		if i < 0 {
			b.WriteString(rest)
			return b.String()
		}
		b.WriteString(rest[:i])
		before := b.String()
		if j := strings.LastIndexAny(before, "\n"+columnWrap); j >= 0 {
			before = before[j+1:]
		}
		if j := strings.LastIndexByte(before, '\t'); j >= 0 {
			before = before[j+1:] // the value, not its label
		}
		rest = rest[i+len(columnWrap):]
		after := rest
		if j := strings.IndexAny(after, "\n"+columnWrap); j >= 0 {
			after = after[:j]
		}
		if wrapGoesOn(before, after, width) {
			b.WriteByte(' ')
		} else {
			b.WriteByte('\n')
		}
	}
}

// columnWidth is the length, in characters, of the longest value written in a column of the text (after a
// label's gap, or wrapped under one): about the width past which the PDF's writer wrapped a value.
func columnWidth(text string) int {
	width, wrapped := 0, false
	for len(text) > 0 {
		line, sep := text, byte(0)
		if j := strings.IndexAny(text, "\n"+columnWrap); j >= 0 {
			line, sep, text = text[:j], text[j], text[j+1:]
		} else {
			text = ""
		}
		if k := strings.LastIndexByte(line, '\t'); k >= 0 {
			width = max(width, utf8.RuneCountInString(strings.TrimSpace(line[k+1:])))
		} else if wrapped {
			width = max(width, utf8.RuneCountInString(strings.TrimSpace(line)))
		}
		wrapped = sep == columnWrap[0]
	}
	return width
}

// wrapEnds are the last words of a line that cannot end a value: a date-of-birth cue waiting for its date, an
// age's word waiting for its number, and the small words of a phrase cut in two.
var wrapEnds = map[string]bool{"dob": true, "d.o.b": true, "d.o.b.": true, "dob:": true, "b.": true, "born": true, "aged": true,
	"age": true, "edd": true, "edd:": true, "and": true, "or": true, "&": true, "of": true, "the": true, "a": true, "to": true,
	"with": true, "at": true, "in": true, "on": true, "for": true, "by": true, "from": true, "is": true, "was": true,
	"who": true, "her": true, "his": true, "their": true}

// wrapGoesOn says the line after goes on with the value of the line before: it starts in lower case, with a
// digit that is no list number ("26/05/2026", "1981; Logan …", never "2. Logan"), or with a bracket; or the line
// before ends with a comma, a semicolon, an opening bracket, a dash, or one of wrapEnds; or the next line's first
// word would not have fitted on the line before (width: columnWidth).
func wrapGoesOn(before, after string, width int) bool {
	before, after = strings.TrimRight(before, " \t"), strings.TrimLeft(after, " \t")
	if before == "" || after == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(after)
	if unicode.IsDigit(r) {
		if n := strings.TrimLeft(after, "0123456789"); strings.HasPrefix(n, ". ") || strings.HasPrefix(n, ") ") {
			return false // "2. Logan": the list's next item
		}
	}
	first, _, _ := strings.Cut(after, " ")
	if n := utf8.RuneCountInString(before) + 1 + utf8.RuneCountInString(first); width > 0 && n > width-width/8 {
		return true // the next word would not have fitted on the line: the writer's line went on ("stepfather Wayne" / "Granger (DOB …)")
	}
	switch {
	case unicode.IsLower(r) || r == '(':
		return true
	case unicode.IsDigit(r):
		return true
	}
	switch before[len(before)-1] {
	case ',', ';', '(', '&', '/', '-':
		return true
	}
	if strings.HasSuffix(before, "–") {
		return true
	}
	last := before
	if j := strings.LastIndexAny(before, " \t"); j >= 0 {
		last = before[j+1:]
	}
	return lowerIn(wrapEnds, last)
}

// ageDisagrees: a child read with an age (age > 0) is not the child of a date of birth that gives another age on
// ref ("Applicant | KERR, Brandon" / "DOB | 11-Jun-2010" beside "Logan Kerr (brother) 13": the date is the
// applicant's, not Logan's).
func ageDisagrees(age int, dob domain.Date, ref time.Time) bool {
	return age > 0 && !ref.IsZero() && !dob.IsZero() && yearsOn(dob.Time(time.UTC), ref) != age
}

// adultAgeAfterName: a name field's value that gives its person an age of 18 or more straight after the name
// ("Patient | Stacey ROBSON, 24 - intentional overdose", "Patient: Dean Price (31)", "Name: Amy Cole, 19 yrs"):
// an adult patient or client, no child. A number that starts an address ("Kai Lee, 24 Mill Road") is no age.
func adultAgeAfterName(v string) bool {
	rest := v
	for range 2 { // "PRICE, Dean, 44": the age after a name written surname first
		i := strings.IndexAny(rest, ",(")
		if i < 0 || !strings.ContainsFunc(rest[:i], unicode.IsLetter) || strings.ContainsFunc(rest[:i], unicode.IsDigit) {
			return false
		}
		rest = strings.TrimLeft(rest[i+1:], " ")
		n := leadingNumber(rest)
		if n < 0 {
			continue
		}
		if n < 18 || n > 110 {
			return false
		}
		after := strings.TrimLeft(rest, "0123456789")
		t := strings.ToLower(strings.TrimSpace(after))
		return t == "" || after[0] == ')' || after[0] == ',' || after[0] == ';' || strings.HasPrefix(t, "-") || strings.HasPrefix(t, "–") ||
			strings.HasPrefix(t, "y") // "24 yrs", "24 years old", "24yo", "24 y/o"
	}
	return false
}

// dueDateAt reads a due date written with a two-digit year at the very start of s ("20/01/27, …" after "EDD"),
// which findDates reads only as a past date: dueDate's reading, after ref and within ten months of it.
func dueDateAt(s string, ref time.Time) (domain.Date, bool) {
	m := numDateRe.FindStringIndex(s)
	if m == nil || m[0] != 0 {
		return domain.Date{}, false
	}
	return dueDate(s[:m[1]], ref)
}

// namedBetween: a line that is a name field of its own ("Patient | Kai Lee", "Name: Ruby Stroud"), so that a date of
// birth under it is that name's, not the line's above (a form's heading in capitals).
func namedBetween(line string) bool {
	lf, ok := splitLabel(line)
	return ok && (lf.f == fChildName || lf.f == fName || lf.f == fGiven || lf.f == fFamily) && strings.TrimSpace(lf.value) != ""
}

// childrenLeadRe: the last clause of a line that ends in a colon and introduces the children one a line, in the
// writer's own words: "She has three children:", "They have 2 kids:", "My grandchildren are:", "with her two
// children:" (`521`), "There are three children:", "The children are as follows:", "She has 3 children who live
// with her:". listLabelRe's labels ("Children:", "The children are:") are read as before.
var childrenLeadRe = lazy(`(?i)(?:^|\b(?:has|have|had|with|of|and|are|to)\s+(?:got\s+)?|^(?:my|her|his|their|our|the)\s+)(?:(?:my|her|his|their|our|the|\d|two|three|four|five|six|seven)\s+){0,2}(?:children|kids|grandchildren|grandkids|grandsons|granddaughters)(?:['’]s\s+details)?(?:\s+(?:are|were|is))?(?:\s+as\s+follows)?(?:\s+(?:together|with\s+(?:him|her|them|me)|who\s+live\s+(?:with\s+(?:her|him|them|me)|there|at\s+home)))?\s*:$`)

// childrenLead: a line ending in a colon whose last sentence is a short childrenLeadRe clause.
func childrenLead(t string) bool {
	if !strings.HasSuffix(t, ":") {
		return false
	}
	if i := strings.LastIndex(t, ". "); i >= 0 {
		t = t[i+2:]
	}
	return len(t) < 200 && childrenLeadRe.MatchString(strings.TrimSpace(t))
}

// pronounAgeItemRe: a list's line that names a child and says the age in a sentence of its own, as a relative
// writes it: "Rio - he is 14 and goes to …", "Amara-Rose – she's 9, at …", "Kai: he is nearly 3", "Ella, who is
// 6". Group 1 the name, 2 a hedge before the age, 3 the age, 4 the rest.
var pronounAgeItemRe = lazy(`^([A-Z][\p{L}'’-]+(?:\s+[A-Z][\p{L}'’-]+){0,2})\s*(?:[-–—:,]\s*)?(?:(?:he|she)(?:\s+is|['’]s|s)|who\s+is|is)\s+((?:(?:about|around|roughly|approx\.?|approximately|maybe|nearly|almost)\s+)?)(\d{1,2})(.*)$`)

// pronounAgeEntry reads a list line of pronounAgeItemRe: a child of an age under 18, its school said after it
// (schoolIn). A hedged age ("about 7", "8 or 9", "nearly 3") leaves the age empty and the child named; a person of
// 18 or more, a label's word ("Mum - she is 34") or months and weeks ("he is 10 months") give no child.
func pronounAgeEntry(item string) (domain.Child, bool) {
	m := pronounAgeItemRe.FindStringSubmatch(strings.TrimSpace(item))
	if m == nil {
		return domain.Child{}, false
	}
	ws := strings.Fields(m[1])
	for _, w := range ws {
		if nameStop[strings.ToLower(w)] || isAgeStop[strings.ToLower(w)] || !isNameWord(w) {
			return domain.Child{}, false
		}
	}
	if !plainName(ws) || agencyName(m[1]) {
		return domain.Child{}, false
	}
	age, rest := atoi(m[3]), m[4]
	if age >= 18 {
		return domain.Child{}, false
	}
	lr := strings.ToLower(strings.TrimLeft(rest, " "))
	hedged := m[2] != "" || strings.HasPrefix(lr, "or ") || strings.HasPrefix(lr, "-") || strings.HasPrefix(lr, "/") || strings.HasPrefix(lr, "ish")
	if strings.HasPrefix(lr, "month") || strings.HasPrefix(lr, "mth") || strings.HasPrefix(lr, "week") || strings.HasPrefix(lr, "day") {
		hedged = true // "he is 10 months": no age in years
	}
	var c domain.Child
	c.GivenName, c.FamilyName = givenFamily(ws)
	if !hedged {
		c.Age = age
	}
	if age == 0 && !hedged {
		return domain.Child{}, false
	}
	c.School = schoolIn(rest)
	return c, true
}

// lineFamilyRe: the family name said on a listed child's own line, in the writer's words: "… at Daubeney Primary,
// also Campbell.", "He has Campbell like his mum", "his surname is Campbell", "surname Okafor". Group 1 or 2 or 3.
var lineFamilyRe = lazy(`(?:[-–—,;(]|\s)\s*(?:also|too)\s+([A-Z][\p{L}'’-]+)\s*(?:[.,;:!)]|$)|\b(?:has|have|uses|kept|took|takes|got|goes\s+by)\s+(?:the\s+(?:sur|family\s+|last\s+)name\s+)?([A-Z][\p{L}'’-]+)\s+(?:like|same\s+as|as)\s+(?:his|her|their)\s+(?:mum|dad|mother|father|mam|mom|sister|brother)\b|\b(?:sur|family\s+|last\s+)name\s+(?:is\s+)?([A-Z][\p{L}'’-]+)\b`)

// familyOnItsLine is the family name said on the line that lists the child by the given name ("Amara-Rose - she is
// 9 and at Daubeney Primary, also Campbell."; "Rio - he is 14 … He has Campbell like his mum"), when the email also
// writes that name after a given name or a title ("Leanne Campbell"): "" when none. Only a line that starts with
// the given name (after a bullet) is the child's own.
func familyOnItsLine(text, given string) string {
	for _, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(line)
		if m := bulletRe.FindStringSubmatch(t); m != nil {
			t = m[1]
		}
		rest, ok := strings.CutPrefix(t, given)
		if !ok || rest != "" && isWordByte(rest[0]) {
			continue
		}
		m := lineFamilyRe.FindStringSubmatch(rest)
		if m == nil {
			continue
		}
		f := m[1] + m[2] + m[3]
		if f == given || notFamily[strings.ToLower(f)] || nameStop[strings.ToLower(f)] || isAgeStop[strings.ToLower(f)] ||
			!isNameWord(f) || orgWords.match(f) || !familyWritten(text, f) {
			continue
		}
		return titleIfShouting(f)
	}
	return ""
}

// nicknameAsideRe: a name with the child's other name in brackets or quotes between the given and the family name:
// "Oliver (Ollie) Hart", "Isabella (known as Bella) Turner", "Oliver 'Ollie' Hart", "Oliver “Ollie” Hart". Groups:
// given, the other name in brackets, in quotes, family. nicknameTailRe is the same at the end of a sentence's words
// ("My children are Alfie (Alf) Turner" before "born").
var (
	nicknameAsideRe = lazy(`^\s*` + nicknameAside + `(?:\s+[A-Z][\p{L}'’-]+)?)\s*$`)
	nicknameTailRe  = lazy(`(?:^|\s)` + nicknameAside + `)\s*$`)
)

const nicknameAside = `([A-Z][\p{L}'’-]+)\s*(?:\(\s*(?:(?:known\s+as|aka|a\.k\.a\.?|called)\s+)?([A-Z][\p{L}'’-]+)\s*\)|['‘"“]([A-Z][\p{L}-]+)['’"”])\s+([A-Z][\p{L}'’-]+`

// dropNickname reads a list entry's head "Oliver (Ollie) Hart" as "Oliver Hart": the bracket holds one name word
// (no age, no year group, no relation, no label), and what follows it is the family name. Any other head is
// returned as it is.
func dropNickname(head string) string {
	if ws, _ := nicknamed(nicknameAsideRe.FindStringSubmatch(head)); ws != nil {
		return strings.Join(ws, " ")
	}
	return head
}

// nicknameTail is the name at the end of before written with the other name in brackets or quotes ("… are Alfie
// (Alf) Turner"): the given and the family name, nil when before does not end so.
func nicknameTail(before string) []string {
	if !containsAny(before, []string{")", "'", "’", "\"", "”"}) {
		return nil
	}
	ws, _ := nicknamed(nicknameTailRe.FindStringSubmatch(before))
	return ws
}

// nicknamed checks a match of nicknameAside: the given and family name words, and the other name, nil when the
// bracket holds no other name of the child ("Ella (Sibling) Hart", "Ella (Mum) Hart").
func nicknamed(m []string) ([]string, string) {
	if m == nil {
		return nil, ""
	}
	nick := m[2] + m[3]
	fam := strings.Fields(m[4])
	for _, w := range append([]string{m[1], nick}, fam...) {
		if nameStop[strings.ToLower(w)] || isAgeStop[strings.ToLower(w)] || !isNameWord(w) || agencyName(w) {
			return nil, ""
		}
	}
	if lookupLabel(nick) != fNone || lowerIn(adultBefore, nick) {
		return nil, "" // "Ella (Sibling) Hart", "Ella (Mum) Hart": a label or a relation, not another name
	}
	return append([]string{m[1]}, fam...), nick
}

// bracketFullName is the full name a writer gives in brackets straight after a given name ("my names kai (kai
// adeyemi) im 15", "my name is Kai (Kai Adeyemi)"): two or three words, the first of them the given name; "" when
// after does not start so.
func bracketFullName(after, given string) string {
	t := strings.TrimLeft(after, " \t")
	if !strings.HasPrefix(t, "(") || strings.Contains(given, " ") {
		return ""
	}
	in, _, ok := strings.Cut(t[1:], ")")
	ws := strings.Fields(in)
	if !ok || len(ws) < 2 || len(ws) > 3 || !strings.EqualFold(ws[0], given) {
		return ""
	}
	for _, w := range ws {
		if nameStop[strings.ToLower(w)] || !strings.ContainsFunc(w, unicode.IsLetter) || strings.ContainsFunc(w, unicode.IsDigit) {
			return ""
		}
	}
	return strings.Join(ws, " ")
}

// lowerSurnameRe: a surname said in a line written in lower case: "shes got garys surname lola brennan", "they all
// have my step dads surname frimpong". Group 1 the word after "surname", 2 the word after that.
var lowerSurnameRe = lazy(`\b(?:sur|last |family )name(?:\s+is)?[,:]?\s+([a-z][\p{Ll}'’-]+)(?:\s+([a-z][\p{Ll}'’-]+))?`)

// lowerSurnameStop: lower-case words after "surname" that are no family name ("the same surname as me").
var lowerSurnameStop = map[string]bool{"the": true, "same": true, "as": true, "is": true, "too": true, "also": true,
	"different": true, "though": true, "but": true, "so": true, "now": true, "still": true, "because": true, "cos": true,
	"like": true, "either": true, "anyway": true, "changed": true, "yet": true, "not": true}

// lowerSurnameSaid is the family name a young person writing in lower case gives a sibling named by the given name:
// "surname <given> <family>" ("shes got garys surname lola brennan"), or, later in the same line as the given name,
// "they all (both) have … surname <family>" ("my sisters are amelia and grace … they all have my step dads surname
// frimpong"). "" when the line says none; a line with capitals is the other readers'.
func lowerSurnameSaid(text, given string) string {
	lg := strings.ToLower(given)
	ok := func(w string) bool {
		return w != "" && w != lg && !lowerSurnameStop[w] && !lowerExtra[w] && !lowerKinWords[w] && !isAgeStop[w] && lowerName([]string{w})
	}
	for rest := text; rest != ""; {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		if !strings.Contains(line, "name") || !strings.Contains(line, lg) || !lowerLine(line) {
			continue
		}
		first := wordIndex(line, lg)
		if first < 0 {
			continue
		}
		for _, m := range lowerSurnameRe.FindAllStringSubmatchIndex(line, -1) {
			w1 := line[m[2]:m[3]]
			w2 := ""
			if m[4] >= 0 {
				w2 = line[m[4]:m[5]]
			}
			if w1 == lg && ok(w2) {
				return titleWords(w2) // "surname lola brennan"
			}
			if m[0] < first || !ok(w1) {
				continue
			}
			clause := line[:m[0]]
			if i := strings.LastIndexAny(clause, ".!?"); i >= 0 {
				clause = clause[i+1:]
			}
			if containsAny(clause, []string{"they all", "they both", "all have", "both have", "all got", "both got", "they have", "they got", "they've got"}) {
				return titleWords(w1) // "… amelia and grace … they all have my step dads surname frimpong"
			}
		}
	}
	return ""
}

// wordIndex is the index of w as a whole word in s (not inside "lola-mae" or "kailey"), -1 when none.
func wordIndex(s, w string) int {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return -1
		}
		j += i
		i = j + len(w)
		if (j == 0 || !isWordByte(s[j-1]) && s[j-1] != '-') && (i == len(s) || !isWordByte(s[i]) && s[i] != '-') {
			return j
		}
	}
}

// kidWords say a sentence is about children: the name in it said to be roughly an age is a child's.
var kidWords = []string{"kids", "children", "boys", "girls", "brother", "sister", "son", "daughter", "baby", "grandchildren",
	"grandkids", "siblings", "twins", "little ones", "youngest", "eldest"}

// hedgeBeforeRe: the words before a hedged age, at the end of the text before the number: "Tyler hes " (then "8 or
// 9"), "João is about " (then "7"), "Kayla, who is nearly ". Group 1 the name.
var hedgeBeforeRe = lazy(`([A-Z][\p{L}'’-]+)(?:\s*,)?\s+(?:(?:he|she)(?:\s+is|['’]?s|\s+(?:must|might|could|would)\s+be)|is|who\s+is|who['’]s|(?:who\s+)?(?:must|might|could|would)\s+be)\s+((?:(?:about|around|roughly|approx\.?|approximately|maybe|probably|nearly|almost)\s+)?)$`)

// hedgeBracketRe: a name and an opening bracket before a guessed age: "Tyler (" (then "8 or 9)"), "Jonah (about "
// (then "7)"). Group 1 the name, 2 the hedge.
var hedgeBracketRe = lazy(`([A-Z][\p{L}'’-]+)\s*\(\s*((?:(?:about|around|roughly|approx\.?|approximately|maybe|probably|nearly|almost|c\.)\s*)?)$`)

// hedgeNameStop: capitalised words said to be "about 7" that are a time of day or a meal, never a child ("Dinner is
// about 7.", "Bedtime is about 8").
var hedgeNameStop = map[string]bool{"dinner": true, "tea": true, "lunch": true, "breakfast": true, "supper": true, "bedtime": true,
	"bed": true, "pickup": true, "collection": true, "home": true, "everything": true, "rent": true, "tonight": true, "today": true,
	"time": true, "start": true, "finish": true, "arrival": true, "curfew": true, "contact": true}

// hedgedAgeChildren reads a child named by the given name and said to be an age its writer is not sure of, in a
// sentence about children: "theres three kids, Kayla who is 11 (…) Tyler hes 8 or 9 and the baby", "her two boys,
// João and Thiago Araújo – João is about 7, I think". The child is kept without an age (an age guessed is none);
// the family name is looked for as for any child named by the given name. A range that reaches 18, an adult's
// number, a time or a distance ("Dinner is about 7pm", "It is about 7 miles") gives no child.
func hedgedAgeChildren(text string) []domain.Child {
	if !containsAny(text, []string{" or ", "about ", "around ", "roughly ", "approx", "maybe ", "probably ", "nearly ", "almost ", "-", "/", "ish"}) ||
		!containsAny(text, kidWords) {
		return nil
	}
	var out []domain.Child
	for i := 0; i < len(text); i++ {
		if c := text[i]; c < '0' || c > '9' || i > 0 && (text[i-1] >= '0' && text[i-1] <= '9' || text[i-1] != ' ' && text[i-1] != '(') {
			continue
		}
		j := i
		for j < len(text) && j-i < 3 && text[j] >= '0' && text[j] <= '9' {
			j++
		}
		ish := strings.HasPrefix(text[j:], "ish") && (j+3 == len(text) || !isWordByte(text[j+3])) // "(7ish)"
		if ish {
			j += 3
		}
		if j-i > 5 || j < len(text) && isWordByte(text[j]) {
			continue // "07700", "7pm"
		}
		n := atoi(strings.TrimSuffix(text[i:j], "ish"))
		if n <= 0 || n >= 18 || !hedgeCueBefore(text[max(0, i-20):i]) {
			continue // a cheap look first: most numbers of a body are dates, times and telephone numbers
		}
		m := hedgeBeforeRe.FindStringSubmatch(text[max(0, i-60):i])
		if m == nil {
			// "Tyler (8 or 9)", "Jonah (about 7)", "Jonah (7ish)": the guess in brackets after the name
			m = hedgeBracketRe.FindStringSubmatch(text[max(0, i-60):i])
		}
		if m == nil || n <= 0 || n >= 18 {
			continue
		}
		after := text[j:min(len(text), j+16)]
		hedged := m[2] != "" || ish
		if r := rangeAfter(after); r > 0 {
			if r >= 18 || r <= n || r-n > 3 {
				continue // "8 or 19", "5 or 3": no range of one child's age
			}
			hedged = true
		}
		if !hedged || !ageEndsThere(after) {
			continue // a plain age is the other readers'; "about 7 miles", "about 5 or 6 stops": no age in years
		}
		name := m[1]
		if nameStop[strings.ToLower(name)] || isAgeStop[strings.ToLower(name)] || hedgeNameStop[strings.ToLower(name)] ||
			!plainName([]string{name}) || agencyName(name) || lowerIn(adultBefore, name) {
			continue
		}
		start := max(0, i-60) + strings.LastIndex(text[max(0, i-60):i], name)
		if adultNamedBefore(text[max(0, start-300):start]) || !kidSentence(text, start, j) {
			continue // "her partner Dean, who is about 30 or so"; a sentence about no children
		}
		out = append(out, domain.Child{GivenName: name})
	}
	return out
}

// rangeAfter is the upper number of an age range after a number ("8 or 9", "8-9", "8/9", "8 to 9"), 0 when none.
func rangeAfter(s string) int {
	for _, sep := range []string{" or ", "-", "/", " to ", " - ", " – "} {
		if r, ok := strings.CutPrefix(s, sep); ok {
			k := 0
			for k < len(r) && k < 3 && r[k] >= '0' && r[k] <= '9' {
				k++
			}
			if k > 0 && k <= 2 && (k == len(r) || !isWordByte(r[k])) {
				return atoi(r[:k])
			}
		}
	}
	return 0
}

// ageEndsThere: the words after a guessed age close it as an age — the end of the clause, "years", "I think", "and
// the baby", "but" — never a noun of another measure ("7 months", "7 miles", "5 or 6 stops", "7pm").
func ageEndsThere(s string) bool {
	if r := rangeAfter(s); r > 0 {
		s = strings.TrimLeft(strings.TrimLeft(s, " or-/–to"), "0123456789")
	}
	t := strings.TrimLeft(s, " ")
	if t == "" || strings.ContainsRune(",.;:!?)–-", rune(t[0])) {
		return true
	}
	w, _ := nextWord(strings.ToLower(t))
	switch strings.Trim(w, ".,;:!?)") {
	case "years", "year", "yrs", "yr", "and", "i", "but", "or", "maybe", "probably", "now", "so", "because", "cos", "ish", "he", "she",
		"they", "going", "next", "this", "at", "in", "the", "too", "as", "though", "yet", "already":
		return true
	}
	return false
}

// kinBeforeNameRe: the end of the text before a name that makes the name a sibling of the children the email is
// about: "their half brother ", "there half-sister ", "Her little brother ", "my baby sister ". Not "mum's brother",
// whose brother is an adult's.
var kinBeforeNameRe = lazy(`(?i)\b(?:their|there|his|her|my)\s+(?:(?:little|baby|younger|youngest|new|big|older|eldest|wee)\s+)?(?:(?:half|step)[- ]?)?(?:brother|sister|sibling|son|daughter|grandson|granddaughter|nephew|niece)\s+$`)

// babySaidRe: the sentence after a sibling's name says the sibling is a baby: "who is Kirsty's baby with Jordan",
// "who's just a baby", "is the baby of the family" — never "the baby's father".
var babySaidRe = lazy(`^[^.!?]{0,40}?\b(?:is|was|who['’]s)\s+(?:(?:a|the|just\s+a|only\s+a|still\s+a|[A-Z][\p{L}'’-]+['’]s)\s+)?(?:new\s+)?baby\b(?:\s+(?:from|with|of|by)\b|\s*[,.;]|\s*$)`)

// turnedRe: "who turned one in October", "who has just turned 2", "who's just turned three": the age now.
var turnedRe = lazy(`^[,\s]*(?:who\s+|he\s+|she\s+)?(?:has\s+|['’]s\s+|just\s+|only\s+)*turned\s+(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b`)

var ageWords = map[string]int{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12}

// kinYoungChildren reads a sibling, son or daughter named after "their half brother", "her little brother", "her son"
// and said in the same sentence to be a baby ("there half brother Reggie who is Kirsty's baby with Jordan") or to have
// turned an age ("Her little brother Malachi, who turned one in October", "Her son Tyler turned 9 last week"): a child
// by the given name, with that age. One said to be 18 or more, or named with no sign of being young, is left alone
// (an adult half-brother, a grown-up son).
func kinYoungChildren(text string) []domain.Child {
	if !containsAny(text, []string{"brother", "sister", "sibling", "son ", "daughter", "nephew", "niece"}) || !containsAny(text, []string{"baby", "turned"}) {
		return nil
	}
	var out []domain.Child
	for i := 0; i < len(text); {
		j := strings.IndexAny(text[i:], "bsBdgn")
		if j < 0 {
			break
		}
		j += i
		i = j + 1
		var kin string
		for _, k := range []string{"brother ", "sister ", "sibling ", "son ", "daughter ", "grandson ", "granddaughter ", "nephew ", "niece "} {
			if strings.HasPrefix(text[j:], k) {
				kin = k
			}
		}
		if kin == "" || !kinBeforeNameRe.MatchString(text[max(0, j-40):j+len(kin)]) {
			continue
		}
		rest := text[j+len(kin):]
		name, after := nextWord(rest)
		name = strings.TrimRight(name, ",")
		if !isNameWord(name) || nameStop[strings.ToLower(name)] || isAgeStop[strings.ToLower(name)] || !plainName([]string{name}) ||
			lowerIn(adultBefore, name) {
			continue
		}
		if e := sentenceEnd(after); e >= 0 {
			after = after[:e]
		}
		if k := strings.IndexAny(after, "!?\n"); k >= 0 {
			after = after[:k]
		}
		c := domain.Child{GivenName: name}
		switch m := turnedRe.FindStringSubmatch(strings.TrimPrefix(rest[len(name):], ",")); {
		case m != nil:
			a := atoi(m[1])
			if a < 0 {
				a = ageWords[m[1]]
			}
			if a <= 0 || a >= 18 {
				continue
			}
			c.Age = a
		case babySaidRe.MatchString(after):
		default:
			continue
		}
		out = append(out, c)
	}
	return out
}

// childrenCellRe: a form's row whose label is the children somewhere, in the form's own words, and whose value
// lists them: "Children in partner's household | Leo (7) and Ruby (4) – surnames not known", "Children living at
// the address: …", "Partner's children: …", "Known children | …". Group 1 the value.
var childrenCellRe = lazy(`(?i)^\s*(?:(?:[\p{L}-]+['’]s|her|his|their|known|other|linked|new)\s+){0,2}(?:children|child\(ren\)|kids)(?:\s+[\p{L}'’]+){0,5}\s*(?:\t|\s*[:|]\s*)(.+)$`)

// childrenCells reads every such row of a text (childrenCell): "Children in partner's household | Leo (7) and Ruby
// (4)", "Partner's children: Leo (7), Ruby (4)".
func childrenCells(text string, ref time.Time) []domain.Child {
	if !containsAny(text, []string{"hildren", "HILDREN", "kids", "Kids", "child(ren)", "Child(ren)"}) {
		return nil
	}
	var out []domain.Child
	for rest := text; rest != ""; {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		if len(line) < 200 && containsAny(line, []string{"hildren", "HILDREN", "kids", "Kids", "hild(ren)"}) && strings.ContainsAny(line, "\t:|") {
			out = append(out, childrenCell(strings.TrimSpace(line), ref)...)
		}
		if strings.Contains(line, "(") {
			for _, m := range kidsBracketRe.FindAllStringSubmatch(line, -1) {
				out = append(out, bareAgeItems(m[1])...) // "The children (Tyler, 9, and Ruby, 4)"
			}
		}
	}
	return out
}

// childrenCell reads the children listed in such a row's value, each with an age or a date of birth (inlineEntries);
// a value with neither ("Not known", "Two, ages not given") gives none.
func childrenCell(t string, ref time.Time) []domain.Child {
	m := childrenCellRe.FindStringSubmatch(t)
	if m == nil {
		return nil
	}
	var out []domain.Child
	for _, c := range inlineEntries(strings.TrimSpace(m[1]), ref) {
		if c.GivenName != "" && !noValue(c.GivenName) && plainName(strings.Fields(c.GivenName+" "+c.FamilyName)) {
			out = append(out, c) // never "Unknown (2)": a count of children not named
		}
	}
	if len(out) == 0 {
		out = bareAgeItems(m[1]) // "Mum's children: Tyler 9, Ruby 4"
	}
	return out
}

// bareAgeItemRe: a name and a bare age in a list the children's label or bracket has said is of children: "Tyler 9",
// "Tyler, 9", "Ruby Hart – 4". Groups: the name, the age.
var bareAgeItemRe = lazy(`([A-Z][\p{L}'’-]+(?:[ \t]+[A-Z][\p{L}'’-]+)?)\s*[,–-]?\s*(\d{1,2})(?:\s*(?:yrs?|years?(?:\s+old)?|y/?o))?\s*(?:$|[,;&)]|\s+and\b)`)

// placeTail: the last word of a two-word name that makes it a building's, a ward's, a unit's or a team's, never a
// child's ("Elm House 4", "Maple Ward 4", "Cedar Unit 2"); family names that are also place words ("Green", "Hill",
// "Lane", "Park") are not among them.
var placeTail = map[string]bool{"house": true, "court": true, "road": true, "street": true, "avenue": true, "crescent": true,
	"terrace": true, "gardens": true, "mews": true, "estate": true, "ward": true, "unit": true, "block": true, "flat": true,
	"room": true, "centre": true, "center": true, "school": true, "academy": true, "nursery": true, "primary": true,
	"college": true, "team": true, "group": true, "service": true, "clinic": true, "lodge": true, "tower": true}

// bareAgeItems reads a list of children each written as a name and a bare age ("Tyler 9, Ruby 4", "Tyler, 9, and
// Ruby, 4"), only where a label or a bracket has said the list is of children; each item must be one (under 18, a
// name, nothing else between).
func bareAgeItems(s string) []domain.Child {
	var out []domain.Child
	for _, m := range bareAgeItemRe.FindAllStringSubmatchIndex(s, -1) {
		ws := strings.Fields(s[m[2]:m[3]])
		a := atoi(s[m[4]:m[5]])
		if !plainName(ws) || nameStop[strings.ToLower(ws[0])] || isAgeStop[strings.ToLower(ws[0])] || placeNumberWords[strings.ToLower(ws[0])] ||
			agencyName(s[m[2]:m[3]]) || noValue(ws[0]) || (len(ws) > 1 && placeTail[strings.ToLower(ws[len(ws)-1])]) {
			return nil // "Children: Ward 7, Bay 4", "Elm House 4, Oak House 2": places and numbers, not a list of children
		}
		if a <= 0 || a >= 18 {
			continue // an adult's item ("Dean 19") leaves the children's
		}
		if between := strings.TrimSpace(s[:m[2]]); between != "" {
			if r, _ := utf8.DecodeLastRuneInString(between); !strings.ContainsRune(",;&(:", r) && !strings.HasSuffix(between, " and") && between != "and" {
				continue // the item starts the list or follows a separator
			}
		}
		out = append(out, agedChild(ws, a))
	}
	return out
}

// kidsBracketRe: the children listed in a bracket straight after the word: "The children (Tyler, 9, and Ruby, 4) were
// at home". Group 1 the bracket's text.
var kidsBracketRe = lazy(`(?i)\b(?:children|kids|siblings|grandchildren)\s*\(([^()\n]{3,120})\)`)

// dashDOBRe: a full name followed, after a dash, a comma or a bracket, by its owner's date of birth said in a
// clause: "Theo Adebayo - his DOB on our club registration is ", "Mia Lund, her date of birth is ". Anchored at the
// end of the text before the date. Group 1 the name.
var dashDOBRe = lazy(`([A-Z][\p{L}'’-]+(?:\s+[A-Z][\p{L}'’-]+){1,2})\s*[-–—,(]\s*(?i:his|her|their)\s+(?i:dob|d\.o\.b\.?|date\s+of\s+birth|birthday)\b[^.\n]{0,40}?(?:\bis|\bwas|:)\s*$`)

// dashDOBChildren reads a child named in full and given a date of birth in a clause after the name ("One of my
// players, Theo Adebayo - his DOB on our club registration is 29/11/2011 so he's just turned 15"): the date must
// be a child's.
func dashDOBChildren(text string, ref time.Time) []domain.Child {
	if !containsAny(text, []string{"DOB", "dob", "D.O.B", "birth"}) || !containsAny(text, []string{"his ", "her ", "their ", "His ", "Her "}) {
		return nil
	}
	var out []domain.Child
	for rest := text; rest != ""; {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		if !containsAny(line, []string{"his ", "her ", "their ", "His ", "Her "}) || !containsAny(line, []string{"DOB", "dob", "D.O.B", "d.o.b", "birth", "Birth"}) {
			continue
		}
		for _, h := range findDates(line, ref) {
			if !plausibleDOB(h.d, ref) {
				continue
			}
			m := dashDOBRe.FindStringSubmatch(line[max(0, h.start-110):h.start])
			if m == nil {
				continue
			}
			ws := strings.Fields(m[1])
			if !plainName(ws) || agencyName(m[1]) || nameStop[strings.ToLower(ws[0])] || isAgeStop[strings.ToLower(ws[0])] {
				continue
			}
			c := domain.Child{DateOfBirth: h.d}
			c.GivenName, c.FamilyName = givenFamily(ws)
			out = append(out, c)
		}
	}
	return out
}

// personLabels: a form's labels for the person the form is about in a service's own word, whose age the form does not
// say by the label: a housing "Applicant", a "Client", a "Service user". The date of birth on the next row decides.
var personLabels = map[string]bool{"applicant": true, "client": true, "service user": true, "customer": true,
	"main applicant": true, "person": true, "individual": true, "presenting person": true}

// nameAboveDOB names a date of birth given without a name ("Applicant | KERR, Brandon" then "DOB | 11-Jun-2010" in a
// housing assessment for a 16-year-old): the row just above the date's row is labelled with one of personLabels and
// holds a name (surname first in capitals, or given then family). The date makes its person a child, so the name is
// a child's. "" when there is no such row.
func nameAboveDOB(text string, dob domain.Date, ref time.Time) (given, family string) {
	lines := strings.Split(text, "\n")
	for i := 1; i < len(lines); i++ {
		lf, ok := splitLabel(lines[i])
		if !ok || lf.f != fDOB {
			continue
		}
		if d, ok := childDOB(lf.value, ref); !ok || d != dob {
			continue
		}
		above := strings.TrimSpace(lines[i-1])
		j := strings.IndexAny(above, "\t:|")
		if j <= 0 || !personLabels[normaliseLabelText(above[:j])] {
			continue
		}
		v := strings.TrimSpace(strings.TrimLeft(above[j:], "\t:| "))
		if g, f, ok := surnameFirst(v); ok {
			return g, f
		}
		if ws := nameWords(v, false); len(ws) >= 2 && len(ws) <= 3 && plainName(ws) && !adultTitled(v) {
			return givenFamily(ws)
		}
	}
	return "", ""
}

// normaliseLabelText is a label in lower case with its punctuation and extra spaces dropped ("Service user:" →
// "service user").
func normaliseLabelText(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(strings.Trim(s, " \t:|-–"))), " ")
}

// nicknamesOf are the other names a text gives a child in brackets between the given and the family name ("Alfie
// (Alf) Turner", "Isabella (known as Bella) Turner"): one name word each (nicknamed's guards).
func nicknamesOf(text string, c domain.Child) []string {
	if c.GivenName == "" || c.FamilyName == "" {
		return nil
	}
	var out []string
	for from := 0; from < len(text); {
		i := strings.Index(text[from:], c.GivenName)
		if i < 0 {
			break
		}
		i += from
		from = i + len(c.GivenName)
		if i > 0 && isWordByte(text[i-1]) {
			continue
		}
		rest := text[from:min(len(text), from+60)]
		k := strings.Index(rest, " "+c.FamilyName)
		if k < 0 || strings.TrimSpace(rest[:k]) == "" {
			continue // "Alfie (Alf) Turner": the family name just after the bracket or the quotes
		}
		if ws, nick := nicknamed(nicknameAsideRe.FindStringSubmatch(c.GivenName + rest[:k] + " " + c.FamilyName)); ws != nil &&
			nick != c.GivenName && !slices.Contains(out, nick) {
			out = append(out, nick)
		}
	}
	return out
}

// nicknameSchool is the school the text gives a child under the other name it wrote in brackets ("My children are
// Alfie (Alf) Turner … and Isabella (Bella) Turner …" then "Bella is at Northern Parade Infant School and Alf is at
// Northern Parade Junior School"): schoolNear for that name, the other children's names and other names cutting the
// sentence. "" when the text gives none.
func nicknameSchool(text string, c domain.Child, ks []*kid, givens []string) string {
	nicks := nicknamesOf(text, c)
	if len(nicks) == 0 {
		return ""
	}
	others := slices.Clone(givens)
	for _, k := range ks {
		others = append(others, nicknamesOf(text, k.c)...)
	}
	for _, n := range nicks {
		if sch := schoolNear(text, domain.Child{GivenName: n}, others); sch != "" {
			return sch
		}
	}
	return ""
}

// appositiveBeforeRe: a full name, then a clause saying whose brother, sister, son or daughter the person is, then
// "is" (the age follows): "Mason Doyle, Kacey's half-brother (he has his dad's surname), is ". Anchored at the end of
// the text before the age. Group 1 the name, 2 the clause.
var appositiveBeforeRe = lazy(`([A-Z][\p{L}'’-]+(?:\s+[A-Z][\p{L}'’-]+){1,2}),\s+([^,.;:!?\n\d]{3,80}?),?\s+is\s+$`)

// appositiveKinRe: the clause's head is a child's relation: "Kacey's half-brother", "her younger sister", "the
// couple's son", "their twin brother".
var appositiveKinRe = lazy(`(?i)^(?:(?:[\p{L}'’-]+['’]s|her|his|their|my|our|the)\s+)?(?:(?:little|younger|youngest|older|eldest|big|baby|twin|only)\s+)?(?:(?:half|step)[- ]?)?(?:brother|sister|son|daughter|grandson|granddaughter|nephew|niece|cousin|sibling)\b`)

// appositiveAgeChildren reads a child named in full with a clause saying whose brother, sister, son or daughter the
// child is, then the age: "Mason Doyle, Kacey's half-brother (he has his dad's surname), is 7 and goes to Underhill
// School." An age of 18 or more ("Chelsea Fletcher, her older sister, is 19"), a clause about an adult ("Mason's
// dad"), an age in months or a number that is no age gives none.
func appositiveAgeChildren(text string) []domain.Child {
	if !strings.Contains(text, ", is ") && !strings.Contains(text, ") is ") && !strings.Contains(text, "), is ") {
		return nil
	}
	var out []domain.Child
	for from := 0; from < len(text); {
		k := strings.Index(text[from:], " is ")
		if k < 0 {
			break
		}
		k += from
		from = k + 4
		j := from
		for j < len(text) && j-from < 3 && text[j] >= '0' && text[j] <= '9' {
			j++
		}
		if j == from || j-from > 2 || j < len(text) && (isWordByte(text[j]) || text[j] == '.' && j+1 < len(text) && text[j+1] >= '0' && text[j+1] <= '9') {
			continue
		}
		n := atoi(text[from:j])
		if n <= 0 || n >= 18 || !ageEndsThere(text[j:min(len(text), j+16)]) || rangeAfter(text[j:min(len(text), j+16)]) > 0 {
			continue
		}
		m := appositiveBeforeRe.FindStringSubmatch(text[max(0, k-140) : k+4])
		if m == nil || !appositiveKinRe.MatchString(strings.TrimSpace(m[2])) {
			continue
		}
		ws := strings.Fields(m[1])
		if !plainName(ws) || agencyName(m[1]) || nameStop[strings.ToLower(ws[0])] || isAgeStop[strings.ToLower(ws[0])] {
			continue
		}
		c := domain.Child{Age: n}
		c.GivenName, c.FamilyName = givenFamily(ws)
		out = append(out, c)
	}
	return out
}

// lowerAndAgedRe: a second child written in lower case after a first on the same line, with the age: "… and kai stott
// who is 6 and goes to upton primary". Groups: given, family, age.
var lowerAndAgedRe = lazy(`\band\s+([a-z][\p{Ll}'’-]+)\s+([a-z][\p{Ll}'’-]+)\s*,?\s+(?:who\s+is|who['’]?s|is|he['’]?s|she['’]?s|aged?)\s+(\d{1,2})\b`)

// lowerAndAged reads, on a line written in lower case that lowerChildren read a child from ("children ruby-rose stott
// dob 12/4/25 and kai stott who is 6 …"), the next child after "and" with the same family name and an age under 18.
// Another family name ("and jay smith who is 6 foot"), an adult's age or a line with no child read gives none.
func lowerAndAged(text string, ref time.Time) []domain.Child {
	if !strings.Contains(text, " and ") {
		return nil
	}
	var out []domain.Child
	for rest := text; rest != ""; {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		if !strings.Contains(line, " and ") || !lowerLine(line) {
			continue
		}
		firsts := lowerChildren(line, ref)
		if len(firsts) == 0 {
			continue
		}
		for _, m := range lowerAndAgedRe.FindAllStringSubmatchIndex(line, -1) {
			given, family := line[m[2]:m[3]], line[m[4]:m[5]]
			a := atoi(line[m[6]:m[7]])
			after := line[m[7]:]
			if a <= 0 || a >= 18 || !ageEndsThere(after) || !lowerName([]string{given, family}) {
				continue
			}
			same := false
			for _, f := range firsts {
				same = same || strings.EqualFold(f.FamilyName, family)
			}
			if same {
				out = append(out, domain.Child{GivenName: titleWords(given), FamilyName: titleWords(family), Age: a})
			}
		}
	}
	return out
}

// numberWordAges are the ages a writer spells out ("who is six", "aged eleven", "(two)").
var numberWordAges = map[string]string{"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
	"eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14", "fifteen": "15",
	"sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19"}

// ageWordCues are the words after which a spelled-out number is an age: "is six", "aged eleven", "she's two".
var ageWordCues = map[string]bool{"is": true, "aged": true, "age": true, "who's": true, "who’s": true, "whos": true, "he's": true,
	"he’s": true, "she's": true, "she’s": true, "hes": true, "shes": true, "turned": true, "turns": true}

// ageWordsToDigits writes an age spelled out after an age's cue, or alone in brackets, in figures, for the child
// readers: "Kayla, who is eleven, and Tyler, who is six" → "who is 11 … who is 6", "Kayla (eleven)" → "Kayla (11)",
// "Kayla Hart aged eleven" → "aged 11". Only where the clause ends there or goes on as an age does ("six years old",
// "six and at …", "six)"); "is two streets away", "is one of", "two years older", "aged between" stay words.
func ageWordsToDigits(text string) string {
	var b strings.Builder
	done := 0
	for i := 0; i < len(text); {
		j := i
		for j < len(text) && text[j] >= 'a' && text[j] <= 'z' {
			j++
		}
		if j == i {
			i++
			continue
		}
		w := text[i:j]
		d, ok := numberWordAges[w]
		if ok && (i == 0 || !isWordByte(text[i-1])) && (j == len(text) || !isWordByte(text[j])) && spelledAgeCue(text[:i]) && spelledAgeEnds(text[j:]) {
			b.WriteString(text[done:i])
			b.WriteString(d)
			done = j
		}
		i = j
	}
	if done == 0 {
		return text
	}
	b.WriteString(text[done:])
	return b.String()
}

// spelledAgeCue: the text before a number word ends with an age's cue word or an opening bracket.
func spelledAgeCue(before string) bool {
	t := strings.TrimRight(before, " ")
	if strings.HasSuffix(t, "(") {
		return true
	}
	if len(t) == len(before) {
		return false // no space between the cue and the number
	}
	k := strings.LastIndexAny(t, " \t\n(,")
	return ageWordCues[strings.ToLower(t[k+1:])]
}

// spelledAgeEnds: the words after a number word close it as an age: the end of a clause, a bracket, "and", "but",
// "years old", "years," — never "years older", "years ago", "streets", "of".
func spelledAgeEnds(after string) bool {
	t := strings.TrimLeft(after, " ")
	if t == "" || strings.ContainsRune(",.;:!?)–-\r\n", rune(t[0])) {
		return true
	}
	w, rest := nextWord(strings.ToLower(t))
	w = strings.Trim(w, ".,;:!?)")
	switch w {
	case "and", "but", "now", "so", "i", "he", "she", "in", "at", "this", "next", "too", "though", "yet", "already", "or":
		return true
	case "years", "year", "yrs", "yr":
		n, _ := nextWord(rest)
		n = strings.Trim(n, ".,;:!?)")
		return n == "old" || n == "" || n == "and" || strings.ContainsAny(w[len(w)-1:], ".,;:!?)") ||
			strings.HasPrefix(strings.TrimLeft(t[len(w):], " "), ",") || strings.HasPrefix(strings.TrimLeft(t[len(w):], " "), ".")
	}
	return false
}

// ageWordParts are the parts with their spelled-out ages in figures (ageWordsToDigits), for the child readers only;
// the parts themselves are left as the email wrote them.
func ageWordParts(parts []formPart) []formPart {
	out := parts
	for i, p := range parts {
		if t := ageWordsToDigits(p.text); t != p.text {
			if &out[0] == &parts[0] {
				out = slices.Clone(parts)
			}
			out[i].text = t
		}
	}
	return out
}

// dueNoYearRe: a due date with a day and a month and no year at the start of the text after "EDD" or "due": "20th
// January", "14 Feb", "3rd of March", "20/01". Groups: day, month word, month number.
var dueNoYearRe = lazy(`(?i)^(\d{1,2})(?:(?:st|nd|rd|th)?(?:\s+of)?[\s-]+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?|[/.](\d{1,2}))`)

// dueNoYearAt reads a due date written without a year ("EDD 20th January", "due on 14 Feb", "EDD 20/01"): the first
// such day after ref, within ten months of it. A year written after it is findDates' (and dueDateAt's); a day that is
// no date ("31 Feb") gives none.
func dueNoYearAt(s string, ref time.Time) (domain.Date, bool) {
	m := dueNoYearRe.FindStringSubmatch(s)
	if m == nil || ref.IsZero() {
		return domain.Date{}, false
	}
	rest := strings.TrimLeft(s[len(m[0]):], " ,'’")
	if rest != "" && (rest[0] >= '0' && rest[0] <= '9' || rest[0] == '/' || rest[0] == '.' && len(rest) > 1 && rest[1] >= '0' && rest[1] <= '9') {
		return domain.Date{}, false // "20/01/27", "20th January 2027": a year follows
	}
	if len(m[0]) < len(s) && isWordByte(s[len(m[0])]) {
		return domain.Date{}, false
	}
	mo := atoi(m[3])
	if m[2] != "" {
		mo = months[strings.ToLower(m[2][:3])]
	}
	day := atoi(m[1])
	for _, y := range []int{ref.Year(), ref.Year() + 1} {
		d, ok := validDate(y, mo, day)
		if t := d.Time(time.UTC); ok && t.After(ref) {
			if t.After(ref.AddDate(0, 10, 0)) {
				return domain.Date{}, false
			}
			return d, true
		}
	}
	return domain.Date{}, false
}

// pregnancyLine: a line whose due date is a baby's — it says EDD, a pregnancy, a baby or a midwife ("Rent is due on
// 14 Feb", "The report is due on 3/3/2027" are not).
func pregnancyLine(line string) bool {
	return containsAny(line, []string{"EDD", "E.D.D", "edd"}) ||
		containsAny(strings.ToLower(line), []string{"pregnan", "expecting", "unborn", "baby", "birth", "deliver", "midwi", "antenatal", "ante-natal", "gestation", "weeks"})
}

// relationAgeItemRe: one person of a household's cell with the relation and the age in one bracket: "Alfie Reilly
// (son, 9, Oak Primary School)", "Ruby Reilly (daughter, aged 4)". Groups: name, relation, age, the rest.
var relationAgeItemRe = lazy(`^\s*(?:and\s+)?([A-Z][\p{L}'’-]+(?:\s+[A-Z][\p{L}'’-]+){1,2})\s*\(\s*((?:(?:half|step)[- ]?)?(?:son|daughter|brother|sister|sibling|child|grandson|granddaughter|nephew|niece|cousin|baby)|[A-Z][\p{L}'’-]+['’]s\s+(?:(?:half|step)[- ]?)?(?:son|daughter|brother|sister|child))\s*,\s*(?:aged?\s+)?(\d{1,2})(?:\s*(?:yrs?|years?(?:\s+old)?))?\s*(?:,\s*([^)]*))?\)`)

// householdLabelWords: the words of a cell's label that lists a household's people.
var householdLabelWords = []string{"household", "family", "occupant", "resident", "living", "people", "persons", "members", "lives"}

// relationAgeChildren reads the children of a household's cell that gives each person's relation and age in one
// bracket ("Household members | Dawn Reilly (mother, 34); Alfie Reilly (son, 9, Oak Primary School); Ruby Reilly
// (daughter, 4)"): a child's relation and an age under 18 (an adult's relation, or 18 or more, is none).
func relationAgeChildren(text string) []domain.Child {
	if !containsAny(text, []string{"son,", "daughter,", "brother,", "sister,", "sibling,", "child,", "grandson,", "granddaughter,", "nephew,", "niece,", "cousin,", "baby,"}) {
		return nil
	}
	var out []domain.Child
	for rest := text; rest != ""; {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		i := strings.IndexAny(line, "\t:|")
		if i <= 0 || i > 50 || !containsAny(strings.ToLower(line[:i]), householdLabelWords) {
			continue
		}
		for _, item := range strings.Split(line[i+1:], ";") {
			m := relationAgeItemRe.FindStringSubmatch(item)
			if m == nil {
				continue
			}
			ws := strings.Fields(m[1])
			a := atoi(m[3])
			if a <= 0 || a >= 18 || !plainName(ws) || nameStop[strings.ToLower(ws[0])] || agencyName(m[1]) {
				continue
			}
			c := domain.Child{Age: a, School: schoolIn(m[4])}
			c.GivenName, c.FamilyName = givenFamily(ws)
			out = append(out, c)
		}
	}
	return out
}

// kidSentence: the sentence that holds text[start:end], or the one before it, is about children (kidWords): "The two
// children next door … since 4pm. Ruby, who must be about 9, and her little brother …".
func kidSentence(text string, start, end int) bool {
	before := text[max(0, start-300):start]
	if k := strings.LastIndexAny(before, "!?\n"); k >= 0 {
		before = before[k+1:]
	}
	if k := strings.LastIndex(strings.TrimRight(before, " "), ". "); k >= 0 {
		if k2 := strings.LastIndex(before[:k], ". "); k2 >= 0 {
			before = before[k2+2:]
		}
	}
	rest := text[end:min(len(text), end+200)]
	if k := strings.IndexAny(rest, ".!?\n"); k >= 0 {
		rest = rest[:k]
	}
	return containsAny(strings.ToLower(before+" "+rest), kidWords)
}

// givenAgedRe: a given name alone with "aged N" straight after it ("Tyler aged 9 and Ruby aged 4"). Groups: the
// name, the age.
var givenAgedRe = lazy(`(?:^|[^\p{L}'’-])([A-Z][\p{L}'’-]+),?\s+aged\s+(\d{1,2})\b`)

// givenAgedChildren reads children named by the given name with "aged N" in a sentence about children ("The kids,
// Tyler aged 9 and Ruby aged 4, live with mum"); two name words are nameAgedRe's. A word that is no name, an age of 18
// or more, an adult's relation before it, months or a sentence about no children gives none.
func givenAgedChildren(text string) []domain.Child {
	if !strings.Contains(text, "aged ") || !containsAny(text, kidWords) {
		return nil
	}
	var out []domain.Child
	for _, m := range givenAgedRe.FindAllStringSubmatchIndex(text, -1) {
		name, a := text[m[2]:m[3]], atoi(text[m[4]:m[5]])
		if w, _ := nextWord(strings.ToLower(text[m[5]:min(len(text), m[5]+16)])); a <= 0 || a >= 18 || strings.HasPrefix(w, "month") ||
			strings.HasPrefix(w, "mth") || strings.HasPrefix(w, "week") || strings.HasPrefix(w, "wk") || strings.HasPrefix(w, "day") {
			continue // "aged 9 months": no age in years
		}
		if prev := strings.TrimRight(text[max(0, m[2]-30):m[2]], " "); prev != "" {
			if w := prev[strings.LastIndexAny(prev, " \t\n(")+1:]; isNameWord(w) && !nameStop[strings.ToLower(w)] && !lowerIn(adultBefore, w) {
				continue // "Tyler Hart aged 9": two name words, nameAgedRe's
			}
		}
		if nameStop[strings.ToLower(name)] || isAgeStop[strings.ToLower(name)] || hedgeNameStop[strings.ToLower(name)] ||
			!plainName([]string{name}) || agencyName(name) || lowerIn(adultBefore, name) ||
			adultNamedBefore(text[max(0, m[2]-300):m[2]]) || !kidSentence(text, m[2], m[5]) {
			continue
		}
		out = append(out, domain.Child{GivenName: name, Age: a})
	}
	return out
}

// lowerKidsAgesRe: children listed in lower case after "kids" or "children" with a bare age each: "my kids are tyler
// 9 and ruby 4", "theres 2 kids tyler (9) and ruby (4)". Groups: name, age, name, age.
var lowerKidsAgesRe = lazy(`\b(?:kids|children)(?:\s+(?:are|r))?\s*[:,–-]?\s+([a-z][\p{Ll}'’-]+)\s*(?:\((\d{1,2})\)|(\d{1,2}))\s*(?:,|and|&)\s*([a-z][\p{Ll}'’-]+)\s*(?:\((\d{1,2})\)|(\d{1,2}))(?:\s|$|[,.;!)])`)

// lowerKidsAges reads two children a line written in lower case lists after "kids" or "children" with a bare age each;
// a word that is how the children are ("the kids are upset"), a word of the sentence, or an age of 18 or more gives
// none.
func lowerKidsAges(text string) []domain.Child {
	if !containsAny(text, []string{"kids", "children"}) {
		return nil
	}
	name := func(w string) bool {
		return len(w) >= 2 && !lowerKinWords[w] && !lowerExtra[w] && !nameStop[w] && !isAgeStop[w] && !lowerState[w] && lowerName([]string{w})
	}
	var out []domain.Child
	for rest := text; rest != ""; {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		if !containsAny(line, []string{"kids", "children"}) || !lowerLine(line) {
			continue
		}
		for _, m := range lowerKidsAgesRe.FindAllStringSubmatch(line, -1) {
			a, b := atoi(m[2]+m[3]), atoi(m[5]+m[6])
			if a > 0 && a < 18 && b > 0 && b < 18 && name(m[1]) && name(m[4]) {
				out = append(out, domain.Child{GivenName: titleWords(m[1]), Age: a}, domain.Child{GivenName: titleWords(m[4]), Age: b})
			}
		}
	}
	return out
}

// kidsSentenceLeadRe: a sentence that lists the children after saying so: "The children are ", "The kids are: ", "Her
// grandchildren are ", "My kids, ".
var kidsSentenceLeadRe = lazy(`(?i)\b(?:the|my|her|his|their|our)\s+(?:\w+\s+)?(?:children|kids|grandchildren|grandkids)(?:\s+(?:are|were))?\s*[:,–-]?\s+`)

// itemAgeRe: the age said in a listed child's item after the name: "(4)", ", 4", ", who is 9", "who's 9", "aged 9",
// "who has just turned 9", "(nearly 10)", "(8 or 9)". Groups: a hedge, the age, a range's top.
var itemAgeRe = lazy(`(?i)^\s*(?:,\s*)?(?:\(\s*|who\s+is\s+|who['’]s\s+|aged?\s+|(?:who\s+)?(?:has\s+)?(?:just\s+)?turned\s+)?((?:about|around|roughly|approx\.?|approximately|nearly|almost|maybe)\s+)?(\d{1,2})(?:\s*(?:or|-|–|/|to)\s*(\d{1,2}))?(?:\s*(?:yrs?|years?(?:\s+old)?))?\s*(?:\)|,|$)`)

// kidsSentenceList reads a sentence that lists the children, each by the given name (or the full name) and an age
// said the writer's way: "The children are Tyler, who has just turned 9, and Ruby, 4.", "The kids are Tyler (nearly
// 10) and Ruby (4)." A guessed age ("nearly 10", "8 or 9") names the child without one; an item with no age, an
// adult's age or a word that is no name gives none.
func kidsSentenceList(text string) []domain.Child {
	if !containsAny(text, []string{"children", "kids", "Children", "Kids", "grandchildren", "grandkids"}) {
		return nil
	}
	var out []domain.Child
	for _, m := range kidsSentenceLeadRe.FindAllStringIndex(text, -1) {
		s := text[m[1]:]
		if e := sentenceEnd(s); e >= 0 {
			s = s[:e]
		}
		if k := strings.IndexAny(s, "\n!?"); k >= 0 {
			s = s[:k]
		}
		if r, _ := utf8.DecodeRuneInString(s); !unicode.IsUpper(r) {
			continue
		}
		for _, item := range sentenceItems(s) {
			ws := nameWords(item, false)
			if ws == nil {
				// the leading name words of the item, up to what follows them
				fs := strings.Fields(strings.TrimSpace(strings.NewReplacer("(", " (", ",", " ,").Replace(item)))
				for _, f := range fs {
					if !isNameWord(f) || len(ws) == 3 {
						break
					}
					ws = append(ws, f)
				}
			}
			if len(ws) == 0 || !plainName(ws) || nameStop[strings.ToLower(ws[0])] || isAgeStop[strings.ToLower(ws[0])] ||
				hedgeNameStop[strings.ToLower(ws[0])] || agencyName(strings.Join(ws, " ")) || lowerIn(adultBefore, ws[0]) {
				continue
			}
			rest := strings.TrimSpace(item)
			for _, w := range ws {
				rest = strings.TrimSpace(strings.TrimPrefix(rest, w))
			}
			am := itemAgeRe.FindStringSubmatch(rest)
			if am == nil {
				continue
			}
			a, top := atoi(am[2]), atoi(am[3])
			if a <= 0 || a >= 18 || top >= 18 || am[3] != "" && (top <= a || top-a > 3) {
				continue
			}
			var c domain.Child
			c.GivenName, c.FamilyName = givenFamily(ws)
			if am[1] == "" && am[3] == "" {
				c.Age = a
			}
			out = append(out, c)
		}
	}
	return out
}

// sentenceItems splits a sentence's list of children into one item a child: at commas and "and" outside brackets,
// a piece that does not start with a capitalised word going on with the item before ("Tyler, who has just turned 9,
// and Ruby, 4" → "Tyler, who has just turned 9", "Ruby, 4").
func sentenceItems(s string) []string {
	var pieces []string
	depth, from := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth = max(0, depth-1)
		case ',', '&', ';':
			if depth == 0 {
				pieces = append(pieces, s[from:i])
				from = i + 1
			}
		case ' ':
			if depth == 0 && strings.HasPrefix(s[i:], " and ") {
				pieces = append(pieces, s[from:i])
				from = i + 5
				i += 4
			}
		}
	}
	pieces = append(pieces, s[from:])
	var items []string
	for _, p := range pieces {
		t := strings.TrimSpace(p)
		if t == "" {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(t); unicode.IsUpper(r) || len(items) == 0 {
			items = append(items, t)
		} else {
			items[len(items)-1] += ", " + t
		}
	}
	return items
}

// hedgeCues: the last word before a guessed age (hedgeBeforeRe, hedgeBracketRe), for a cheap look before either.
var hedgeCues = map[string]bool{"is": true, "hes": true, "he's": true, "he’s": true, "shes": true, "she's": true, "she’s": true,
	"who's": true, "who’s": true, "whos": true, "be": true, "about": true, "around": true, "roughly": true, "approx": true,
	"approx.": true, "approximately": true, "maybe": true, "probably": true, "nearly": true, "almost": true, "c.": true}

// hedgeCueBefore: the text before a number ends with an opening bracket or one of hedgeCues.
func hedgeCueBefore(before string) bool {
	t := strings.TrimRight(before, " ")
	if strings.HasSuffix(t, "(") {
		return true
	}
	return hedgeCues[strings.ToLower(t[strings.LastIndexAny(t, " \t\n(")+1:])]
}

// placeNumberWords: capitalised words a number follows that are a place's or a thing's, never a child's ("Bay 4",
// "Class 2", "Cell 3").
var placeNumberWords = map[string]bool{"bay": true, "class": true, "cubicle": true, "cell": true, "suite": true, "pod": true,
	"gate": true, "platform": true, "zone": true, "area": true, "wing": true, "bedroom": true, "bedrooms": true, "year": true,
	"group": true, "team": true, "set": true, "lane": true, "road": true, "street": true, "house": true, "number": true, "no": true}
