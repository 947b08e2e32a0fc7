package email

import (
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/domain"
)

// formPart is one text the extractor reads: an attached form ("attachment: <file>") or the body.
type formPart struct {
	source string
	text   string
	fm     *form
}

// kid is a child being assembled from the parts, with where each field came from.
type kid struct {
	c   domain.Child
	src map[string]domain.FieldSource
}

var kidFields = []string{"child.name", "child.dateOfBirth", "child.age", "child.school", "child.address"}

func (k *kid) sources() []domain.FieldSource {
	var out []domain.FieldSource
	for _, f := range kidFields {
		if s, ok := k.src[f]; ok {
			out = append(out, s)
		}
	}
	return out
}

func (k *kid) named() bool { return k.c.GivenName != "" || k.c.FamilyName != "" }

// gatherChildren assembles the children from every part, best first: labelled form fields of attached
// forms, then of the body (high confidence); then lists and running text (medium); a young person writing
// about themself; children named with an age; and, only when nothing else names a child, the subject line.
// The same child found twice is one child, its empty fields filled from the later finding.
func gatherChildren(parts []formPart, subject string, ref time.Time) []*kid {
	parts = ageWordParts(parts) // "Kayla, who is eleven": the age in figures for the readers below
	var ks []*kid
	add := func(c domain.Child, source string, conf domain.Confidence) {
		if agencyName(c.GivenName+" "+c.FamilyName) || sentenceName(c.GivenName+" "+c.FamilyName) {
			return // "Early Help - Lisa Grant, 01/02/2026": a team's or a place's words with a date, not a child
		}
		k := findKid(ks, c)
		if k == nil {
			k = &kid{src: map[string]domain.FieldSource{}}
			ks = append(ks, k)
		}
		set := func(f string, empty bool, fill func()) {
			if empty {
				fill()
				k.src[f] = domain.FieldSource{Field: f, Source: source, Confidence: conf}
			}
		}
		if c.GivenName != "" || c.FamilyName != "" {
			set("child.name", !k.named() || k.c.FamilyName == "" && c.FamilyName != "" && k.c.GivenName == c.GivenName || middleNameRead(k.c, c), func() {
				k.c.GivenName, k.c.FamilyName = c.GivenName, c.FamilyName
			})
		}
		if !c.DateOfBirth.IsZero() {
			set("child.dateOfBirth", k.c.DateOfBirth.IsZero(), func() {
				k.c.DateOfBirth, k.c.Unborn, k.c.Age = c.DateOfBirth, c.Unborn, 0
				delete(k.src, "child.age")
			})
		}
		if c.Age != 0 {
			set("child.age", k.c.DateOfBirth.IsZero() && k.c.Age == 0, func() { k.c.Age = c.Age })
		}
		if c.School != "" {
			set("child.school", k.c.School == "", func() { k.c.School = c.School })
		}
		if c.Address != "" {
			set("child.address", k.c.Address == "", func() { k.c.Address = c.Address })
		}
		for _, fill := range []struct {
			dst *string
			v   string
		}{{&k.c.Gender, c.Gender}, {&k.c.Ethnicity, c.Ethnicity}, {&k.c.Language, c.Language}, {&k.c.Religion, c.Religion}} {
			if *fill.dst == "" {
				*fill.dst = fill.v
			}
		}
		k.c.SEN = k.c.SEN || c.SEN
	}
	formFound := false
	var dobOnly []domain.Child
	for _, p := range parts {
		for _, c := range p.fm.children {
			switch {
			case c.GivenName != "" || c.FamilyName != "" || c.Unborn && !c.DateOfBirth.IsZero():
				add(c, p.source, domain.ConfidenceHigh)
				formFound = true
			case !c.DateOfBirth.IsZero():
				dobOnly = append(dobOnly, c)
			}
		}
	}
	for _, p := range parts {
		for _, c := range listChildren(p.text, ref) {
			add(c, p.source, domain.ConfidenceMedium)
		}
		for _, c := range runningChildren(p.text, ref) {
			add(c, p.source, domain.ConfidenceMedium)
		}
		for _, c := range stackedChildren(p.text, ref) {
			add(c, p.source, domain.ConfidenceMedium)
		}
		for _, c := range pronounBorn(p.text, ref) {
			add(c, p.source, domain.ConfidenceMedium)
		}
		for _, c := range kinDateChildren(p.text, ref) {
			add(c, p.source, domain.ConfidenceMedium)
		}
		for _, c := range lowerChildren(p.text, ref) {
			add(c, p.source, domain.ConfidenceMedium)
		}
		for _, c := range lowerAndAged(p.text, ref) {
			add(c, p.source, domain.ConfidenceMedium) // "… dob 12/4/25 and kai stott who is 6"
		}
		for _, c := range surnameLists(p.text, ref) {
			add(c, p.source, domain.ConfidenceMedium)
		}
		for _, c := range ageRowChildren(p.text, ref) {
			add(c, p.source, domain.ConfidenceMedium)
		}
		for _, c := range relationAgeChildren(p.text) {
			add(c, p.source, domain.ConfidenceMedium) // "Household members | … Alfie Reilly (son, 9, Oak Primary School); …"
		}
		for _, c := range childrenCells(p.text, ref) {
			add(c, p.source, domain.ConfidenceMedium) // "Children in partner's household | Leo (7) and Ruby (4)"
		}
		for _, c := range dashDOBChildren(p.text, ref) {
			add(c, p.source, domain.ConfidenceMedium) // "Theo Adebayo - his DOB on our club registration is 29/11/2011"
		}
		for _, c := range countKinJointChildren(p.text) {
			add(c, p.source, domain.ConfidenceMedium)
		}
		for _, c := range append(unbornChildren(p.text, ref), unnamedBabies(p.text, ref)...) {
			known := false
			for _, k := range ks {
				known = known || k.c.DateOfBirth == c.DateOfBirth
			}
			if !known {
				add(c, p.source, domain.ConfidenceMedium) // one unborn or unnamed baby per date, whichever reader met it first
			}
		}
	}
	body := parts[len(parts)-1]
	if !anyNamed(ks) {
		if c, ok := selfReferral(body.text, ref); ok {
			add(c, body.source, domain.ConfidenceMedium)
		}
	}
	for _, p := range parts {
		// (after the young person writing about themself, whose siblings these often are: "my lil sis blessing shes 8")
		for _, c := range lowerKinChildren(p.text) {
			add(c, p.source, domain.ConfidenceMedium)
		}
		for _, c := range lowerKidsAges(p.text) {
			add(c, p.source, domain.ConfidenceMedium) // "my kids are tyler 9 and ruby 4"
		}
	}
	var aged []domain.Child
	for _, p := range parts {
		aged = append(aged, ageChildren(p.text)...)
		aged = append(aged, ownerCommaChildren(p.text)...)
		aged = append(aged, pronounAge(p.text)...)
		aged = append(aged, kinAsideChildren(p.text)...)
		aged = append(aged, hedgedAgeChildren(p.text)...)     // "Tyler hes 8 or 9", "João is about 7, I think"
		aged = append(aged, kinYoungChildren(p.text)...)      // "there half brother Reggie who is Kirsty's baby"
		aged = append(aged, givenAgedChildren(p.text)...)     // "Tyler aged 9 and Ruby aged 4"
		aged = append(aged, kidsSentenceList(p.text)...)      // "The children are Tyler, who has just turned 9, and Ruby, 4."
		aged = append(aged, appositiveAgeChildren(p.text)...) // "Mason Doyle, Kacey's half-brother (…), is 7"
		aged = append(aged, babySentenceChildren(p.text)...)
		aged = append(aged, areListBareAges(p.text)...)
		aged = append(aged, nameAgeSaidChildren(p.text)...)
	}
	for _, p := range parts {
		for _, c := range jointChildren(p.text, subject+"\n"+p.text) {
			add(c, p.source, domain.ConfidenceMedium) // each said to be a child: under 18, or a school year
		}
	}
	for _, c := range aged {
		sibling := false // "Freya lives with … younger sister Lena (9)" beside the form about Freya: a child of the household
		for _, p := range parts {
			sibling = sibling || formFound && siblingNamed(p.text, c.GivenName)
		}
		if k := findKid(ks, c); k != nil || !formFound || sibling {
			add(c, body.source, domain.ConfidenceMedium) // fills the age of a known child, or names a new one
		}
	}
	for _, c := range subjectChildren(subject, ref) {
		// the subject's child with a date of birth: when nothing else names a child, or as one more child when no
		// child read has that name or that date ("CAIT referral - MURPHY Kacey 12/05/2014", the body naming a
		// brother)
		dup := false
		for _, k := range ks {
			dup = dup || k.c.DateOfBirth == c.DateOfBirth
		}
		// (as one more child, only a date of birth said to be one or well before the email: "Strategy meeting Amy
		// Hart 12/11/2026" is a meeting's date)
		said := bornRe.MatchString(subject) || c.DateOfBirth.Time(time.UTC).AddDate(0, 2, 0).Before(ref)
		// (and never a date of the last two months not said to be a birth: "From Amy Cole HV 14/11/2026" is the
		// day of a contact)
		if said && (!anyNamed(ks) || findKid(ks, c) == nil && !dup) {
			add(c, "subject", domain.ConfidenceMedium)
		}
	}
	if !anyNamed(ks) {
		// children named only in the subject with their ages, as a sentence would ("Concern re Jaxon (6) & Harley
		// (3) Moss", "Mia and Leo Hart, aged 4 and 2"): when nothing else names a child
		for _, c := range jointChildren(subject, subject+"\n"+body.text) {
			add(c, "subject", domain.ConfidenceMedium)
		}
	}
	if !anyNamed(ks) {
		if c, ok := subjectAgeChild(subject); ok {
			add(c, "subject", domain.ConfidenceMedium) // "SAFEGUARDING REFERRAL - JAYDEN PRICE 7YRS - NN8"
		}
	}
	if c, ok := possessiveSubjectDOB(subject, body.text, ref); ok {
		// "Her DOB is 28.06.2018" in a reply: the subject's child, new or known without one (its age read from the
		// quoted first message gives way to the date of birth)
		if k := findKid(ks, c); k == nil || k.c.DateOfBirth.IsZero() {
			add(c, body.source, domain.ConfidenceMedium)
		}
	}
	texts := []string{subject}
	for _, p := range parts {
		texts = append(texts, p.text)
	}
	familyNames(ks, texts...)
	writtenCases(ks, texts) // "Leah MCKENZIE" in the subject, "Gemma McKenzie" in the body: Leah McKenzie
	var givens []string
	for _, k := range ks {
		givens = append(givens, k.c.GivenName)
	}
	named := 0
	for _, k := range ks {
		if k.named() {
			named++
		}
	}
	for _, k := range ks {
		if k.c.School == "" {
			if sch := schoolNear(body.text, k.c, givens); sch != "" {
				add(domain.Child{GivenName: k.c.GivenName, FamilyName: k.c.FamilyName, School: sch}, body.source, domain.ConfidenceMedium)
			} else if sch := pronounSchool(body.text, k.c, givens); sch != "" && k.named() {
				add(domain.Child{GivenName: k.c.GivenName, FamilyName: k.c.FamilyName, School: sch}, body.source, domain.ConfidenceMedium)
			} else if sch := nicknameSchool(body.text, k.c, ks, givens); sch != "" {
				// "Bella is at Northern Parade Infant School" beside "Isabella (Bella) Turner"
				add(domain.Child{GivenName: k.c.GivenName, FamilyName: k.c.FamilyName, School: sch}, body.source, domain.ConfidenceMedium)
			}
		}
	}
	for _, k := range ks {
		if k.c.School == "" && k.named() {
			if sch := groupSchoolOf(body.text, k.c, givens, named); sch != "" {
				add(domain.Child{GivenName: k.c.GivenName, FamilyName: k.c.FamilyName, School: sch}, body.source, domain.ConfidenceMedium)
				continue
			}
			for _, p := range parts[:len(parts)-1] {
				if sch := bothAtSchoolOf(p.text, k.c, givens, named); sch != "" {
					// an attached form's "Chloe Reilly (11) and Ben Reilly (6) – both at Barrington Primary School"
					add(domain.Child{GivenName: k.c.GivenName, FamilyName: k.c.FamilyName, School: sch}, p.source, domain.ConfidenceMedium)
					break
				}
			}
		}
	}
	// A form's school with no child of its own ("SCHOOL: Cleeve Park School (per DP)" beside a custody line that
	// names the young person): the child's, when the email is about one child.
	if len(ks) == 1 && ks[0].named() && ks[0].c.School == "" {
		for _, p := range parts {
			for _, c := range p.fm.children {
				if c.School != "" && c.GivenName == "" && c.FamilyName == "" && c.DateOfBirth.IsZero() {
					add(domain.Child{GivenName: ks[0].c.GivenName, FamilyName: ks[0].c.FamilyName, School: c.School}, p.source, domain.ConfidenceMedium)
				}
			}
		}
	}
	// A date of birth given without a name ("DOB: 22/01/2019" in a reply): the child's when there is only one
	// child, otherwise a child of its own, to be named by the screener.
	for _, c := range dobOnly {
		switch {
		case len(ks) == 1 && ks[0].c.DateOfBirth.IsZero() && !ageDisagrees(ks[0].c.Age, c.DateOfBirth, ref):
			// with the school said beside it ("D.O.B | 30/06/2012" / "School | Clapton Park Academy" under "Re | Amara …")
			add(domain.Child{GivenName: ks[0].c.GivenName, FamilyName: ks[0].c.FamilyName, DateOfBirth: c.DateOfBirth, School: c.School}, body.source, domain.ConfidenceMedium)
		case len(ks) == 0 || len(ks) == 1 && ageDisagrees(ks[0].c.Age, c.DateOfBirth, ref):
			// (a date that makes its child 16 is not the date of the brother read as 13: a child of its own)
			for _, p := range parts {
				if c.GivenName == "" {
					c.GivenName, c.FamilyName = nameAboveDOB(p.text, c.DateOfBirth, ref) // "Applicant | KERR, Brandon" / "DOB | …"
				}
			}
			add(c, body.source, domain.ConfidenceHigh)
		}
	}
	ks, initialsSchools := dropNotChildren(ks, texts, ref) // a family name, a setting's initials or an adult read as a child (notchildren11.go)
	settleSchools(ks, parts, body.text, ref)
	initialsSchools()
	return ks
}

// agencyWords are words of a service, a professional's role, a meeting or a place that are never part of a person's
// name (real family names such as Ward, Lane, Hill, Church or Nurse-like rarities are left out): a "name" holding
// one is the label of a list line ("Early Help - Lisa Grant, 01/02/2026", "GP - Dr Patel, last seen 14/10/2026",
// "Strategy - 14/11/2026") or an address ("Jubilee Avenue (2)"), whatever reader met it.
var agencyWords = map[string]bool{"help": true, "support": true, "team": true, "service": true, "services": true, "panel": true,
	"board": true, "meeting": true, "conference": true, "committee": true, "department": true, "network": true, "forum": true,
	"partnership": true, "hub": true, "clinic": true, "gp": true, "nurse": true, "visitor": true, "worker": true, "workers": true,
	"practitioner": true, "manager": true, "coordinator": true, "co-ordinator": true, "social": true, "police": true, "health": true,
	"strategy": true, "hospital": true, "surgery": true, "council": true, "housing": true, "probation": true, "camhs": true, "nhs": true,
	"centre": true, "center": true, "school": true, "academy": true, "primary": true, "nursery": true, "college": true, "avenue": true,
	"crescent": true, "terrace": true, "gardens": true, "mews": true, "estate": true, "road": true, "chronology": true,
	"assessment": true, "plan": true, "report": true, "appointment": true, "agency": true, "agencies": true, "midwife": true,
	"paediatrician": true, "consultant": true, "therapist": true, "counsellor": true, "teacher": true, "senco": true, "dsl": true,
	"youth": true, "education": true, "welfare": true, "attendance": true, "duty": true, "triage": true, "mash": true, "edt": true,
	"ambulance": true, "paramedic": true, "emergency": true, "practice": true, "safeguarding": true, "officer": true,
	"sergeant": true, "constable": true, "detective": true, "caseworker": true, "idva": true, "isva": true, "referral": true,
	"review": true, "discussion": true, "protection": true, "offending": true, "justice": true, "cafcass": true, "trust": true,
	// the acronyms of plans, meetings and forms ("EHCP - Yes, reviewed 01/10/2026", "TAF - 12/12/2026")
	"ehcp": true, "ehc": true, "cin": true, "cpp": true, "lac": true, "cla": true, "send": true, "taf": true, "caf": true, "eha": true,
	"marac": true, "mappa": true, "dash": true, "ppn": true, "cse": true, "cce": true, "fgm": true, "asb": true, "yot": true,
	"yos": true, "yjs": true, "pru": true, "mosaic": true, "lscp": true, "lado": true,
	// roles' acronyms ("Amy Cole HV", "Jo Bell (SW)")
	"hv": true, "sw": true, "fsw": true, "ewo": true, "iro": true, "sgo": true}

// agencyName: a name holding one of agencyWords.
func agencyName(name string) bool {
	for rest := name; rest != ""; {
		var w string
		w, rest = nextWord(rest)
		if lowerIn(agencyWords, strings.Trim(w, ".,:;()")) {
			return true
		}
	}
	return false
}

// sentenceName: a "name" that is words of a sentence — more than five words, a full stop inside, a possessive,
// two people joined by "and" ("Leo Hart and Amy Hart"), or two or more words in lower case ("Argument over
// suspect's drinking. Suspect threw a mug at"), as a table cell or a label's value put in a name's place gives it.
// (A digit is no sign: cmd/mash's chaos test names its children "Mail0 Chaos".)
func sentenceName(name string) bool {
	words, lower := 0, 0
	for rest := name; rest != ""; {
		var w string
		w, rest = nextWord(rest)
		if w == "" {
			continue
		}
		words++
		if c := w[0]; c >= 'a' && c <= 'z' {
			lower++
		}
		if strings.HasSuffix(w, ".") && len(w) > 3 && rest != "" || w == "and" || w == "&" ||
			strings.HasSuffix(w, "'s") || strings.HasSuffix(w, "’s") { // "Parent's DOB: 12/01/2009": a possessive is no name
			return true
		}
	}
	return words > 5 || lower >= 2
}

// nextWord splits the first space-separated word off s.
func nextWord(s string) (w, rest string) {
	s = strings.TrimLeft(s, " \t")
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		return s[:i], s[i+1:]
	}
	return s, ""
}

// lowerIn: w in lower case is a key of m (without allocating for a short word).
func lowerIn(m map[string]bool, w string) bool {
	var buf [32]byte
	if len(w) > len(buf) {
		return m[strings.ToLower(w)]
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return m[string(buf[:len(w)])]
}

func anyNamed(ks []*kid) bool {
	for _, k := range ks {
		if k.named() {
			return true
		}
	}
	return false
}

// findKid finds the child c already is: the same full name, or the same given name when one of the two has
// no family name; unnamed children (an unborn baby) are never merged.
func findKid(ks []*kid, c domain.Child) *kid {
	full := domain.NormaliseName(c.GivenName + c.FamilyName)
	if full == "" {
		return nil
	}
	given := domain.NormaliseName(c.GivenName)
	for _, k := range ks {
		if domain.NormaliseName(k.c.GivenName+k.c.FamilyName) == full {
			return k
		}
	}
	for _, k := range ks {
		if !k.named() {
			continue
		}
		if (k.c.FamilyName == "" || c.FamilyName == "") && domain.NormaliseName(k.c.GivenName) == given {
			return k
		}
		if middleNameRead(c, k.c) || middleNameRead(k.c, c) || firstOfGivenNames(c, k.c) {
			return k
		}
	}
	return nil
}

// firstOfGivenNames says a, named by a first name alone, is b, whose given names begin with it: "Jayden (16)
// consented" beside "O'BRIEN, Jayden Lee" in one email.
func firstOfGivenNames(a, b domain.Child) bool {
	first, _, two := strings.Cut(strings.TrimSpace(b.GivenName), " ")
	return two && a.FamilyName == "" && a.GivenName != "" && domain.NormaliseName(a.GivenName) == domain.NormaliseName(first)
}

// middleNameRead says a is b read short, its middle name taken for the family name: "Jayden Lee" beside "Jayden
// Lee O'Brien" (a form's "O'BRIEN, Jayden Lee" and the body's "Jayden Lee …"), the same child in one email.
func middleNameRead(a, b domain.Child) bool {
	return a.FamilyName != "" && b.FamilyName != "" && strings.Contains(strings.TrimSpace(b.GivenName), " ") &&
		domain.NormaliseName(a.GivenName+a.FamilyName) == domain.NormaliseName(b.GivenName)
}
