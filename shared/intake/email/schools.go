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
	if rest, ok := strings.CutPrefix(l, "home"); ok && (rest == "" || !isWordByte(rest[0])) { // never "Homerton", "Homefield"
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
	for _, at := range namesAt(text, c, givens) {
		if notInSettingRe.MatchString(text[at[1]:]) {
			return true
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
	if sch := bothAtSchoolOf(text, c, givens, named); sch != "" {
		return sch // "2. Both at Colindale Primary, …", "Chloe Reilly (11) and Ben Reilly (6) – both at Barrington Primary School"
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
		if containsFold(text[start:m[0]], "my own") || containsAny(strings.ToLower(text[start:m[0]]), []string{"my kids", "my children", "my two", "my boys", "my girls"}) {
			continue // "my own kids were here (they go to Danson Primary …)": the writer's children's school
		}
		if named > 2 && strings.Contains(strings.ToLower(text[m[0]:m[2]]), "both") {
			// "Then there's Mason and Lexi Cooper … They are both at …" beside an older sister: "both" is two, the
			// two the sentence or the one before names
			prev := strings.LastIndexAny(strings.TrimRight(text[:start], " \t.!?\n"), ".!?\n") + 1
			if !strings.Contains(text[prev:m[0]], c.GivenName) {
				continue
			}
		}
		if strings.HasPrefix(subj, "they") && othersKidsRe.MatchString(text[start:m[0]]) {
			continue // "my own kids were here (they go to Danson Primary)": other children
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

// settleSchools runs after every reader: a school that names no setting, or is a form's label ("Child 4", a
// table's header cell read as a value), is dropped, and a form's one school
// answer with no child of its own is given to each child it fits (sharedFormSchool).
func settleSchools(ks []*kid, parts []formPart, body string, ref time.Time) {
	var givens []string
	for _, k := range ks {
		givens = append(givens, k.c.GivenName)
	}
	for _, k := range ks {
		if k.c.School != "" && (noSetting(k.c.School) || lookupLabel(k.c.School) != fNone || !k.fromForm() && notASchoolsName(body, k.c.School)) {
			k.c.School = ""
			delete(k.src, "child.school")
		}
	}
	sharedFormSchool(ks, parts, body, givens, ref)
	for _, k := range ks {
		if k.c.School != "" || !k.named() || notInSetting(body, k.c, givens) {
			continue
		}
		for _, read := range []func(string, domain.Child, []string) string{schoolBeforeName, collectedFrom, whoBothAt, schoolSaidAs} {
			if sch := read(body, k.c, givens); len(strings.Fields(sch)) >= 2 { // "from Nursery": no school named
				k.c.School = sch
				k.src["child.school"] = domain.FieldSource{Field: "child.school", Source: "body", Confidence: domain.ConfidenceMedium}
				break
			}
		}
	}
	schoolByItsFirstWords(ks, body, givens)
	schoolInOwnWords(ks, body, givens)  // "(14, Year 9 at Copthall)", "We are both in year 8 at …"
	schoolOfLowerName(ks, body, givens) // "alfie goes to the nursery class at Bursted Wood Primary"
}

// schoolNamePat is a school's name as people write it: capitalised words, with "of", "and", "the" and the like
// between them ("Old Bexley C of E Primary School", "St Mary and St John CE Academy"), ending in a school's word.
const schoolNamePat = `((?:[A-Z][\p{L}'’.&-]*\s+(?:(?:of|and|the|de|on|upon)\s+)?){0,6}(?:School|Primary|Academy|Nursery|College|Junior|Infant|Infants|Pre-[Ss]chool|Preschool|High|Grammar|UTC)\b(?:\s+(?:School|Academy))?)`

// namesAt finds where the child is named: the full name, and the given name alone when no other child shares it.
func namesAt(text string, c domain.Child, givens []string) [][2]int {
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
	var out [][2]int
	for _, name := range names {
		if name == "" {
			continue // a child known by a family name alone has no given name to find
		}
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
			out = append(out, [2]int{i, from})
		}
	}
	return out
}

// schoolBeforeNameRe: a school said just before the child's full name, of its pupils — "one of our Year 9s at Welling
// School, Kayleigh Rowntree (14), sent this", "a pupil at Oak Academy, Leo Hart, told".
var schoolBeforeNameRe = lazy(`\b(?i:pupils?|students?|learners?|year\s?\d{1,2}s?|yr\s?\d{1,2}s?)\s+(?:at|from)\s+` + schoolNamePat + `\s*,\s*$`)

func schoolBeforeName(text string, c domain.Child, _ []string) string {
	if c.FamilyName == "" || !strings.Contains(text, " at ") && !strings.Contains(text, " from ") {
		return ""
	}
	full := c.GivenName + " " + c.FamilyName
	for from := 0; from < len(text); {
		i := strings.Index(text[from:], full)
		if i < 0 {
			return ""
		}
		i += from
		from = i + len(full)
		start := max(0, i-120)
		if j := strings.LastIndexAny(text[start:i], ".!?\n"); j >= 0 {
			start += j + 1
		}
		if m := schoolBeforeNameRe.FindStringSubmatch(text[start:i]); m != nil && !pastSchool(text[start:i]) {
			return strings.TrimSpace(m[1])
		}
	}
	return ""
}

// collectedFromRe: the child collected from or dropped at a school — "I collect her brother Oscar Lund (born
// 17.01.2019) from Old Bexley C of E Primary School", "Nan picks Leo up from Oak Primary", "drops Mia off at Little
// Owls Nursery": the school is the child's (a sentence that names the child just before "from"/"at").
var collectedFromRe = lazy(`^\s*(?:\([^)]{0,40}\)\s*)?(?:,\s*)?(?:up\s+|off\s+)?(?:from|at)\s+` + schoolNamePat)

var collectVerbRe = lazy(`(?i)\b(?:collect(?:s|ed|ing)?|pick(?:s|ed|ing)?(?:\s+up)?|drop(?:s|ped|ping)?(?:\s+off)?|fetch(?:es|ed|ing)?)\s+(?:\w+\s+){0,3}$`)

func collectedFrom(text string, c domain.Child, givens []string) string {
	if !containsAny(strings.ToLower(text), []string{"collect", "pick", "drop", "fetch"}) {
		return ""
	}
	for _, at := range namesAt(text, c, givens) {
		start := max(0, at[0]-60)
		if j := strings.LastIndexAny(text[start:at[0]], ".!?\n"); j >= 0 {
			start += j + 1
		}
		if !collectVerbRe.MatchString(text[start:at[0]]) {
			continue
		}
		if m := collectedFromRe.FindStringSubmatch(text[at[1]:]); m != nil {
			return strings.TrimSpace(m[1])
		}
	}
	return ""
}

// whoBothAtRe: ", who are both with us at Sandbrook Primary", ", who both attend Oak Academy": the school of the
// children named in the words before it (back to the sentence's start or the last comma).
var whoBothAtRe = lazy(`,\s+who\s+(?:are\s+)?(?:both|all)\s+(?:(?:with\s+us|pupils|students)\s+)?(?:attend|go\s+to|at|are\s+at|(?:in\s+)?(?:year|yr)\s?\d{1,2}\s+at)\s+` + schoolNamePat)

func whoBothAt(text string, c domain.Child, _ []string) string {
	if !strings.Contains(text, " who ") {
		return ""
	}
	for _, m := range whoBothAtRe.FindAllStringSubmatchIndex(text, -1) {
		start := strings.LastIndexAny(text[:m[0]], ".!?\n,") + 1
		if nameListed(strings.NewReplacer("(", " ", ")", " ").Replace(text[start:m[0]]), c.GivenName) {
			return strings.TrimSpace(text[m[2]:m[3]])
		}
	}
	return ""
}

// schoolSaidAsRe: the school said in a sentence of its own about the child — "School confirmed as Hendon School
// (Year 10).", "His school is Oak Academy", "Leo's school is Oak Primary". Someone else's ("Her brother's school
// is …") is not read.
var schoolSaidAsRe = lazy(`(?:^|[.!?\n]\s*)((?:(?i:his|her|the\s+child['’]s|the\s+young\s+person['’]s)|[A-Z][\p{L}-]+['’]s)\s+)?(?i:school|college|nursery|setting)\s+(?i:(?:has\s+been\s+|was\s+|is\s+)?confirmed\s+as|is|named\s+as|given\s+as)\s+` + schoolNamePat)

func schoolSaidAs(text string, c domain.Child, givens []string) string {
	if !containsAny(text, []string{"chool ", "ollege ", "ursery ", "etting "}) {
		return ""
	}
	named := 0
	for _, g := range givens {
		if g != "" {
			named++
		}
	}
	for _, m := range schoolSaidAsRe.FindAllStringSubmatchIndex(text, -1) {
		whose := ""
		if m[2] >= 0 {
			whose = strings.TrimSpace(text[m[2]:m[3]])
		}
		switch {
		case strings.HasSuffix(whose, "'s") || strings.HasSuffix(whose, "’s"):
			if w := strings.TrimSuffix(strings.TrimSuffix(whose, "'s"), "’s"); w != c.GivenName && !strings.EqualFold(w, "the child") && !strings.EqualFold(w, "the young person") {
				continue // "Amy's school is …": another child's
			}
		case named != 1:
			continue // "School confirmed as …", "His school is …": only when the email is about one child
		}
		return strings.TrimSpace(text[m[4]:m[5]])
	}
	return ""
}

// schoolByItsFirstWords: a school given by the first words of its name after a school year — "(4, Reception at Brook
// Vale)", "(Y2, Coppice Lane)" — is the school another child of the email has by its full name ("Brook Vale
// Primary", "Coppice Lane Primary"). Words that begin no school the email names are not read.
func schoolByItsFirstWords(ks []*kid, body string, givens []string) {
	var known []string
	for _, k := range ks {
		if k.c.School != "" {
			known = append(known, k.c.School)
		}
	}
	if len(known) == 0 {
		return
	}
	for _, k := range ks {
		if k.c.School != "" || !k.named() {
			continue
		}
	next:
		for _, at := range namesAt(body, k.c, givens) {
			rest := body[at[1]:clauseEnd(body, at[1])]
			if j := strings.IndexByte(rest, ')'); j >= 0 {
				rest = rest[:j] // "(4, Reception at Brook Vale)"
			}
			m := yearThenWordsRe.FindStringSubmatch(rest)
			if m == nil {
				continue
			}
			words := strings.TrimSpace(m[1])
			for _, sch := range known {
				if strings.HasPrefix(sch, words+" ") && schoolWords.match(sch[len(words):]) {
					k.c.School = sch
					k.src["child.school"] = domain.FieldSource{Field: "child.school", Source: "body", Confidence: domain.ConfidenceMedium}
					break next
				}
			}
		}
	}
}

// yearThenWordsRe: a school year, then capitalised words to the end of the bracket or the line ("Reception at Brook
// Vale", "Y2, Coppice Lane").
var yearThenWordsRe = lazy(`^[^)]{0,20}?\b(?:(?i:year|yr|y)\s?\d{1,2}|(?i:reception))\s*(?:,|\s+at|\s+in)\s+((?:[A-Z][\p{L}'’-]+\s*){1,4})$`)

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

// The writer's own school (a school's staff referring several children): a child the email places there in so many
// words — "Year 2 here", "Leo (Yr3 here)", "both here at Mapledene", "attends our school", a list under "Our
// pupils:" — is at the writer's school; the others may be at other schools and are left alone.

// hereRe: the words in a child's clause that place the child at the writer's school.
var hereRe = lazy(`(?i)\b(?:(?:year|yr|y)\s?\d{1,2}|reception|nursery|pre-?school)\s+here\b|\bhere\s+in\s+(?:(?:year|yr|y)\s?\d{1,2}|reception)\b|\b(?:both|all)\s+here\b|\b(?:attends?|is\s+at|are\s+at|at|in)\s+(?:our|this)\s+(?:school|academy|nursery|setting|college)\b|\bon\s+our\s+roll\b|\bwith\s+us\s+in\s+(?:(?:year|yr|y)\s?\d{1,2}|reception)\b|\b(?:in\s+)?(?:(?:year|yr|y)\s?\d{1,2}|reception)\s+with\s+us\b|\battends?\s+us\b|\b(?:has|have)\s+been\s+with\s+us\s+(?:since|for)\b`)

// hereDeniedRe: the clause says the child is not, or no longer, there ("not in our school", "no longer here", "was
// Yr4 here").
var hereDeniedRe = lazy(`(?i)\b(?:not|no\s+longer|never)\s+(?:\w+\s+)?(?:here|(?:at|in|attending|on)\s+(?:our|this))\b|\bleft\b|\b(?:was|were|used\s+to\s+be)\s+(?:\S+\s+){0,2}?here\b`)

// ourPupilsLabelRe: a list's label saying its children are the writer's pupils.
var ourPupilsLabelRe = lazy(`(?im)^[ \t]*(?:our\s+(?:pupils?|students?|learners?)|(?:pupils?|students?|children)\s+(?:here|at\s+(?:our|this)\s+(?:school|academy|nursery|setting))|(?:pupils?|children)\s+on\s+(?:our|the\s+school['’]?s)\s+roll)[ \t]*:?[ \t]*$`)

// introSchoolRe: the writer says where they work at the start — "I am the DSL at Fratton Park Infant School", "I'm
// a TA at Oak Academy".
var introSchoolRe = lazy(`(?i:\bi\s+am|\bi['’]m|\bim)\s+(?:the|a|an|one\s+of\s+the)\s+(?:[\w/&-]+\s+){0,3}?(?i:dsl|ddsl|designated\s+safeguarding\s+lead|safeguarding\s+lead|head\s*teacher|head|teacher|ta|teaching\s+assistant|senco|manager|deputy\s+head|pastoral\s+lead)\s+(?:at|of|for)\s+` + schoolNamePat)

// writersSchool: the school the writer works at — the signature's, when the signature names a school role; else
// the one the writer names in their introduction.
func writersSchool(text, role, org string) string {
	if schoolStaff(role, org) {
		seg, _, _ := strings.Cut(org, ",")
		if schoolWords.match(seg) {
			return strings.TrimSpace(seg)
		}
		return strings.TrimSpace(org)
	}
	if m := introSchoolRe.FindStringSubmatch(text); m != nil {
		return strings.TrimSpace(m[1])
	}
	return ""
}

// hereSchool gives the writer's school to each child the email places there (hereRe in the child's clause, "here at"
// the first words of the writer's school's name, or a list under "Our pupils:").
func hereSchool(ks []*kid, text, role, org, fromName string) {
	if !containsAny(strings.ToLower(text), []string{"here", "our ", "with us", "attends us", "attend us"}) {
		return
	}
	sch := writersSchool(text, role, org)
	if sch == "" {
		sch = signatureSchool(text, role, org, fromName) // the line under the role, or the mailbox's name
	}
	if sch == "" {
		return
	}
	var givens []string
	for _, k := range ks {
		givens = append(givens, k.c.GivenName)
	}
	block := ourPupilsBlock(text)
	var bothHere *kid // a clause naming one of two children that says they are both here
	for _, k := range ks {
		if k.c.School != "" || !k.named() {
			continue
		}
		here := false
		for _, at := range namesAt(text, k.c, givens) {
			if block[0] < block[1] && at[0] >= block[0] && at[0] < block[1] && lineStart(text, at[0]) {
				here = true
				break
			}
			if oneOfOursRe.MatchString(text[max(0, at[0]-60):at[0]]) || herePronounNext(text, at, k.c.GivenName, givens) {
				here = true // "one of our children, Zion …"; "Kacey's DOB is …. She is in Year 9 with us."
				break
			}
			clause := ownClause(text, at[1], k.c.GivenName, givens)
			if loc := hereRe.FindStringIndex(clause); loc != nil && !pastSchool(clause[:loc[0]]) && !hereDeniedRe.MatchString(clause) || hereAtFirstWords(clause, sch) {
				here = true
				if bothHereRe.MatchString(clause) {
					bothHere = k
				}
				break
			}
		}
		if here {
			k.c.School = sch
			k.src["child.school"] = domain.FieldSource{Field: "child.school", Source: "signature", Confidence: domain.ConfidenceMedium}
		}
	}
	bothHereSchool(ks, bothHere, sch)
}

// hereAtFirstWords: "both here at Mapledene" when the writer's school is "Mapledene Primary School".
func hereAtFirstWords(clause, school string) bool {
	i := strings.Index(clause, "here at ")
	if i < 0 {
		return false
	}
	fs := strings.Fields(clause[i+len("here at "):])
	if len(fs) == 0 {
		return false
	}
	w := strings.Trim(fs[0], ".,;:)")
	return startsUpper(w) && strings.HasPrefix(school, w+" ")
}

// ourPupilsBlock is where a list under "Our pupils:" runs: from its label to the next blank line.
func ourPupilsBlock(text string) [2]int {
	loc := ourPupilsLabelRe.FindStringIndex(text)
	if loc == nil {
		return [2]int{}
	}
	end := len(text)
	if j := strings.Index(text[loc[1]:], "\n\n"); j >= 0 {
		end = loc[1] + j
	}
	if j := strings.Index(text[loc[1]:], "\n\r\n"); j >= 0 && loc[1]+j < end {
		end = loc[1] + j
	}
	return [2]int{loc[1], end}
}

// clauseEnd is where the sentence that goes on at i ends: a line's end, "!" or "?", or a full stop before a space and a
// capital — never the dots of "d.o.b. 12/10/2019" or "30.06.2017".
func clauseEnd(text string, i int) int {
	for j := i; j < len(text); j++ {
		switch text[j] {
		case '\n', '!', '?':
			return j
		case '.':
			if j+2 < len(text) && text[j+1] == ' ' && text[j+2] >= 'A' && text[j+2] <= 'Z' || j+1 == len(text) || text[j+1] == '\r' || text[j+1] == '\n' {
				return j
			}
		}
	}
	return len(text)
}

// needAcronyms: a child's needs and diagnoses as referrers write them ("under assessment for ADHD"), never a person.
var needAcronyms = map[string]bool{"adhd": true, "add": true, "asd": true, "asc": true, "odd": true, "pda": true, "ocd": true,
	"ptsd": true, "fasd": true, "dld": true, "semh": true, "mld": true, "sld": true, "pmld": true, "slcn": true, "sen": true,
	"pshe": true, "pe": true, "ta": true, "gcse": true, "gcses": true, "sats": true, "btec": true}

// fromForm: the child's school was read from a form's field (high confidence), where the writer put it as the school.
func (k *kid) fromForm() bool {
	src, ok := k.src["child.school"]
	return ok && src.Confidence == domain.ConfidenceHigh
}

// notASchoolsName: a school read from running text that is no school's name — one school word alone ("lives at Academy
// Court", "registered at Nursery Lane Surgery", "goes to Primary Care Centre"), or a name that, wherever the text
// says it, runs on into a street's, a surgery's or a hospital's ("Oakfield Primary Care Centre", "Kingsley Academy
// Road").
func notASchoolsName(text, school string) bool {
	fs := strings.Fields(school)
	if len(fs) < 2 {
		return true
	}
	seen := false
	for from := 0; from < len(text); {
		i := strings.Index(text[from:], school)
		if i < 0 {
			break
		}
		from += i + len(school)
		seen = true
		next, _ := nextWord(text[from:])
		if !placeAfterSchool[strings.ToLower(next)] {
			return false // one place where the name stands as a school's
		}
	}
	return seen
}

// placeAfterSchool: words after a school's word that make the name a street's, a surgery's, a hospital's or a
// clinic's.
var placeAfterSchool = map[string]bool{"road": true, "lane": true, "street": true, "court": true, "close": true, "avenue": true,
	"way": true, "drive": true, "gardens": true, "place": true, "house": true, "estate": true, "surgery": true, "centre": true,
	"center": true, "hospital": true, "clinic": true, "care": true, "medical": true, "practice": true, "ward": true, "health": true}

// ownClause is the clause that starts at text[from:] (after a child's name), up to the next child's given name in it:
// what the email says of that child alone ("… is in Year 4 at Oak Primary, and Ruby …" stops before "Ruby").
func ownClause(text string, from int, given string, givens []string) string {
	clause := text[from:clauseEnd(text, from)]
	for _, g := range givens {
		if g != "" && g != given {
			if j := strings.Index(clause, g); j >= 0 {
				clause = clause[:j]
			}
		}
	}
	return clause
}
