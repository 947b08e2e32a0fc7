package email

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/safeguarding/mash/shared/domain"
)

// field is the canonical meaning of a form label.
type field int

const (
	fNone field = iota
	fChildName
	fName // "Name:", meaning depends on the section
	fGiven
	fFamily
	fDOB
	fEDD // expected date of delivery: an unborn child (Barnet seed: unborn to 18)
	fAge // "Age: 10": read when no date of birth is given
	fGender
	fClass // "Class", "Year group": a school only when the value names one
	fAddress
	fSchool
	fEthnicity
	fLanguage
	fReligion
	fSEN
	fParentName
	fPR
	fRelationship
	fHousehold
	fConcerns
	fImmediate
	fConsent
	fConsentReason
	fFollowUp      // "If no, why not?": the reason for the answer just before it
	fInformed      // "Have parents been informed of this referral?": No is consent not sought; Yes is not consent
	fSafeNow       // "Is the child safe tonight?": the immediate-harm question the other way round
	fConsentSought // "Has consent been sought?": No is consent not sought; Yes alone is not consent
	fRefusedQ      // "Has consent been refused?": the consent question turned round — Yes is refused, No says nothing
	fWithoutQ      // "Is this referral made without consent?", "Consent overridden?": Yes is not sought, No says nothing
	fReferrerName
	fRole
	fOrganisation
	fPhone
	fEmail
)

// section is the part of a form a heading opened.
type section int

const (
	secChild section = iota
	secParent
	secReferrer
	secHousehold
)

// labelRule maps a normalised label (lower case, letters/digits/spaces, "child's" → "child") to a field.
type labelRule struct {
	re   *lazyRegexp
	f    field
	need []string // the rule is tried only on labels containing one of these (nil: always)
}

func rule(pattern string, f field) labelRule {
	return labelRule{re: lazy(`^(?:` + pattern + `)$`), f: f}
}

func needs(r labelRule, words ...string) labelRule {
	r.need = words
	return r
}

// labelRules: IACF (Portsmouth seed §4.6, §7.1), MARF and the other seeds' referral forms. Order matters:
// the first match wins.
var labelRules = []labelRule{
	rule(`reason (?:why )?consent (?:was )?not (?:sought|obtained|given)|reason for not seeking consent|if consent (?:was )?not (?:sought|obtained)(?: why| please explain| reason)?|why (?:was )?consent not (?:sought|obtained)`, fConsentReason),
	rule(`(?:if yes )?what action .*|(?:if yes )?action taken.*`, fNone),
	rule(`if (?:no|not)(?: (?:why(?: not)?|please (?:explain|give (?:details|reasons?|the reason))(?: why)?|reasons?|give reasons?|explain))?|why not|(?:if no )?please (?:explain|give reasons?) why not`, fFollowUp),
	// an adult's risk asked about (a police form's "Is the victim at immediate risk?"): not the child's answer
	needs(rule(`(?:is|are) (?:the )?(?:mum|mother|dad|father|parents?|victim|aggrieved|adults?|partner)(?: currently)? (?:at|in) .*|(?:victim|aggrieved|mum|mother|adults?)(?: s)? (?:at )?(?:immediate|imminent) (?:risk|danger).*|.*\b(?:risk|danger|harm) (?:to|for) (?:the )?(?:victim|aggrieved|mum|mother|adults?)`, fNone), "victim", "mum", "mother", "dad", "father", "parent", "aggrieved", "adult", "partner"),
	needs(rule(`.*\b(?:immediate|imminent)\b.*\b(?:risk|harm|danger|(?:safeguarding|safety|protection) concerns?)\b.*|.*\bimmediate (?:safeguarding|protective|protection|police) (?:action|measures?|response|intervention)\b.*|.*\b(?:needs?|requires?|required) (?:immediate|urgent) (?:protection|safeguarding|protective action)\b.*|.*\bimmediate protection\b.*|.*\b(?:risk|harm|danger)\b.*\b(?:immediate|imminent)\b.*|.*\bsignificant harm now\b.*|.*\b(?:risk|harm|danger)\b.*\b(?:today|tonight)\b.*|.*\burgent(?:ly)? (?:protection|protective action|safeguarding action)\b.*|.*\bprotect(?:ed|ion)? urgently\b.*|(?:are there |is there )?(?:any )?(?:immediate|imminent) (?:safeguarding |safety )?concerns?(?: (?:for|about|regarding) .*)?|(?:do you have |are there |have you )?(?:any )?concerns? (?:about|for|regarding) (?:the )?(?:child|children|young person|\w+)(?: s)? immediate (?:safety|welfare)|is (?:this|it) (?:an )?emergency`, fImmediate), "immediate", "imminent", "harm now", "today", "tonight", "urgent", "emergency"),
	needs(rule(`(?:is|are) (?:the )?(?:mum|mother|dad|father|parents?|victim|aggrieved|she|he|they|carers?|adults?|partner|referrer|you|staff)(?: currently)? safe.*`, fNone), "safe"),
	needs(rule(`(?:is it |it is )?safe for (?:the |a |an )?(?:mum|mother|dad|father|parents?|victim|aggrieved|carers?|adults?|partner|staff|professionals?|workers?|officers?|practitioners?|you|us|me|visitors?|social workers?|lone workers?|health visitors?|nurses?) .*`, fNone), "safe"),
	// the question turned round, however the form words it: "Is it safe for him to go home tonight?", "Safe
	// tonight?", "am i safe to go home?" (a young person quoting it), "Safe for pt to remain at address"
	needs(rule(`(?:is|are) (?:the )?(?:child|children|young person|yp|\w+)(?: currently)? safe(?: (?:tonight|now|today|at home|at the moment|to (?:go|return) home(?: tonight| today)?))?|(?:child|children|young person|am i) safe(?: (?:tonight|now|today|to (?:go|return) home(?: tonight| today)?))?|(?:is it |it is )?safe for (?:the )?(?:child|children|young person|yp|pt|patient|him|her|them|\w+) to (?:go|return|remain|stay)(?: (?:home|at home|at (?:the )?address|to (?:the )?address|there|in the home))?(?: tonight| today| now)?|safe (?:tonight|now|today|at home|to (?:go|return) home(?: tonight| today)?)`, fSafeNow), "safe"),
	needs(rule(`(?:has|have|was|were) consent been sought|consent sought|(?:have|has|did) you (?:sought|seek|asked for|ask for) consent|was consent sought(?: from (?:the )?(?:parents?|carers?|family))?`, fConsentSought), "sought", "seek"),
	needs(rule(`(?:have you )?(?:discussed|shared|spoken about|talked about) (?:this|the|your) (?:contact|referral|concerns?)(?: (?:with|to) (?:the )?(?:parents?|carers?|parent carers?|parents carers|family))?|(?:have you )?(?:spoken|talked) (?:to|with) (?:the )?(?:parents?|carers?|parent carers?|parents carers|family)(?: about (?:this|the|your) (?:contact|referral|concerns?))?|(?:have|has) (?:the )?(?:parents?|carers?|parent carers?|parents carers|family) been (?:spoken to|contacted)(?: about (?:this|the) (?:referral|contact|concerns?))?`, fInformed), "discussed", "shared", "spoken", "talked", "contacted"),
	needs(rule(`(?:do|does) (?:the )?(?:parents?|carers?|parent carers?|parents carers|family|mum|dad|mother|father) know(?: about| of)?(?: (?:this|the) (?:referral|contact|concerns?))?|(?:have|has) (?:the )?(?:parents?|carers?|parent carers?|parents carers|family|mum|dad|mother|father) been (?:informed|told|made aware)(?: (?:of|about) (?:this|the) (?:referral|contact|concerns?))?|(?:are|is) (?:the )?(?:parents?|carers?|parent carers?|parents carers|family|mum|dad|mother|father) aware(?: of (?:this|the) (?:referral|contact|concerns?))?|(?:parents?|carers?|parent carers?|parents carers|family) (?:informed|aware)(?: of (?:the )?referral)?`, fInformed), "informed", "told", "aware", "know"),
	// an adult victim's own consent (a police form's "Victim consents to information being shared with partner
	// agencies", "Victim consent to IDVA referral"): about her, not the children's referral
	needs(rule(`.*\b(?:victim|aggrieved|adult|injured party)(?: s)?\b.*\b(?:consent\w*|agree\w*|wants?|supports?|permission)\b.*`, fNone), "victim", "aggrieved", "adult", "injured"),
	// the consent question turned round ("Has consent been refused?", "Referral made without consent?"); a label
	// that prints every option ("Consent given / refused / not sought") is the plain question
	needs(rule(`.*\bconsent\b.*\b(?:given|obtained|agreed|yes)\b.*|.*\b(?:given|agreed|yes)\b.*\b(?:refused|declined|withheld)\b.*`, fConsent), "refus", "declin", "withh", "withdr", "object", "without", "overrid", "dispens"),
	needs(rule(`.*\b(?:consent|referral|agree|agreement|permission|share|sharing)\b.*\b(?:refused|declined|withheld|withdrawn|objected|refuse|decline|withhold|withdraw|object)\b.*|.*\b(?:refused|declined|withheld|withdrawn|objected|refuse|decline|withhold|withdraw|object)\b.*\b(?:consent|referral|agree|agreement|permission|share|sharing)\b.*`, fRefusedQ), "refus", "declin", "withh", "withdr", "object"),
	needs(rule(`.*\bwithout\b.*\b(?:consent|agreement|permission|knowledge)\b.*|.*\bconsent\b.*\b(?:overridden|override|overriden|dispensed)\b.*`, fWithoutQ), "without", "overrid", "dispens"),
	needs(rule(`consent(?: given| status| obtained| sought)?(?: yes no)?|(?:has|have) (?:consent been (?:obtained|given|sought)|(?:the )?(?:parents?|carers?|family|parent carer|parents carers) (?:consented|given consent|agreed)(?: to (?:this|the) (?:referral|contact))?)|parental consent|parent carer consent|(?:parental|parent carer|parents|family) agreement|(?:parental |parent carer |family )?permission (?:to|for) (?:share|sharing|refer|referral|this referral|the referral|information sharing)(?: information)?|consent from (?:parent|parents|carer|parent carer)|.*\bconsent(?:ed|s)?\b.*|.*\bagree(?:d|ment)?\b.*\breferral\b.*|.*\breferral\b.*\bagree(?:d)?\b.*`, fConsent), "consent", "agree", "permission"),
	rule(`(?:details of|about) (?:the )?(?:child|young person)|(?:child|young person|pupil|student|patient|baby)(?: (?:or )?(?:child|young person|pupil|student))?(?: full)? name|name of (?:the )?(?:child|young person|pupil|student|patient|baby)(?: (?:or )?(?:child|young person|pupil|student))?|full name of (?:the )?child|child \d+ name|child name \d+|child \d+|(?:patient|pupil|student|sibling|young person) \d+|child|young person|patient|baby|pupil|student|subject child|child young person|player|learner|junior member|yp|cyp|yp name|cyp name`, fChildName),
	rule(`(?:child |student |pupil |patient |subject |young person |baby )?(?:first name|first names|forename|forenames|forename s|given name|given names)`, fGiven),
	rule(`(?:child |student |pupil |patient |subject |young person |baby )?(?:surname|last name|family name)`, fFamily),
	rule(`(?:child |student |pupil |patient |baby |young person )?(?:date of birth|dob|d o b)(?: age)?(?: or edd)?(?: edd)?(?: dd mm (?:yyyy|yy))?`, fDOB),
	rule(`(?:child |young person |pupil |patient )?(?:age|current age|age years|age in years)`, fAge),
	rule(`expected (?:date of delivery|due date)|edd|due date`, fEDD),
	rule(`(?:child )?(?:gender|sex)`, fGender),
	rule(`class|year group|year|form group|tutor group|course|course and year|programme|programme of study|(?:year|year group|class) (?:and )?(?:school|setting)|school (?:and )?(?:year|year group|class)`, fClass),
	rule(`(?:child |home |current |family |home and )?address(?: (?:and|including) postcode)?`, fAddress),
	rule(`(?:child |current |name of (?:the )?)?(?:school|setting|nursery|college|education|educational|early years|pre school|preschool|alternative provision|place of education|childcare)(?: (?:or |and )?(?:school|setting|nursery|college|education|educational|provision|early years|pre school|attended|attending|attends|establishment|name|course|childcare|provider|placement))*`, fSchool),
	// "Education / employment", "Education, training or employment" and a school transport form's "Drop-off": a school
	// only when the value names one ("Tresham College, Kettering campus", "Redwood Park Academy"; never "NEET")
	rule(`(?:education|school|college)(?: (?:or |and )?(?:training|employment|eet))+|drop off(?: point| location| school)?`, fClass),
	rule(`(?:child )?(?:ethnicity|ethnic origin|ethnic group)`, fEthnicity),
	rule(`(?:child )?(?:first language|language|main language|preferred language|language spoken|language spoken at home)`, fLanguage),
	rule(`(?:child )?(?:religion|faith)`, fReligion),
	rule(`sen|send|sen send|sen yes no|special educational needs(?: (?:and )?(?:disability|disabilities))?|(?:does the child have )?(?:sen|send|special educational needs)(?: yes no)?|ehcp`, fSEN),
	rule(`parent carer(?: name| 1| 2| full name)?|parent(?:s)? carer(?:s)?(?: names?)?|(?:parent|carer|mother|father)(?: \d)?(?: full)? name|name of parent(?: carer)?|parent guardian(?: name)?|mother|father`, fParentName),
	rule(`(?:do(?:es)? (?:they|this person|the parent|parent) have )?parental responsibility(?: yes no)?|pr`, fPR),
	rule(`(?:your )?relationship(?: to (?:the )?(?:child|young person|children|tenant|applicant|client|householder|head of household|victim|main carer|parent|twins|baby|babies|unborn baby|pupil|patient|family|household))?`, fRelationship),
	rule(`(?:other )?household(?: members| composition)?|(?:other )?members of (?:the )?household|(?:others|people|who else) (?:living )?in (?:the )?household|who lives (?:in the household|at the address|with the child)`, fHousehold),
	rule(`concerns?|reason for (?:referral|contact)|reason s for referral|(?:nature|details|summary|description) of (?:the )?concerns?|what are (?:your|the) concerns|reason for referral concerns|presenting concerns|concerns and reason for referral|details of referral`, fConcerns),
	rule(`referrer(?: full)?(?: name)?|(?:your|referrer s) name|name of referrer|referred by|person making (?:the )?referral`, fReferrerName),
	rule(`(?:your |referrer )?(?:role|job title|designation|position)`, fRole),
	rule(`(?:your |referrer )?(?:organisation|agency|organisation agency|agency organisation|service)`, fOrganisation),
	rule(`(?:your |referrer |contact )?(?:telephone|telephone number|phone|phone number|tel|mobile|contact number|contact telephone)`, fPhone),
	rule(`(?:your |referrer |contact )?(?:email|e mail|email address)`, fEmail),
	// "Sibling: Amy Hart" / "DOB: …": another child of the form, whose date of birth follows
	rule(`(?:half |step )?(?:sibling|brother|sister)(?: s)?(?: \d)?(?: full)?(?: name)?`, fChildName),
	rule(`name|full name`, fName),
}

var headingRules = []struct {
	re  *lazyRegexp
	sec section
	new bool // a numbered child heading starts a new child
}{
	{lazy(`^(?:child|young person|sibling)\s*\d+(?: details)?$`), secChild, true},
	{lazy(`^(?:child|children|young person|subject|patient|pupil|student|baby)(?: s)?(?: details| information)?$|^details of (?:the )?(?:child|children|young person)$|^about the child$`), secChild, false},
	{lazy(`^(?:parent|parents|carer|carers|parent carer|parents carers|family)(?: s)?(?: \d)?(?: details| information)?$|^details of parents? carers?$`), secParent, false},
	{lazy(`^(?:referrer|your|referrer s)(?: details| information)$|^referrer$|^(?:details of )?(?:the )?(?:referrer|person making (?:the|this) referral)$|^about you$`), secReferrer, false},
	{lazy(`^household(?: details)?$`), secHousehold, false},
	// the adult the referral is about ("3. Alleged perpetrator", "Suspect details"): a parent's part, its name no child's
	{lazy(`^(?:\d+ )?(?:(?:alleged |the )?(?:perpetrator|suspect|abuser|offender)|person (?:of concern|alleged to have caused harm)|other adults?|adults? in the household)(?: s)?(?: details| information)?$`), secParent, false},
}

var labelClean = lazy(`[^a-z0-9 ]+`)

var labelReplacer = strings.NewReplacer("’s ", " ", "s’ ", " ", "’", "'", "‘", "'", "'s ", " ", "s' ", " ", "/", " ", "-", " ", "(", " ", ")", " ")

func normaliseLabel(s string) string {
	s = strings.ToLower(s)
	s = labelReplacer.Replace(s + " ")
	s = labelClean.ReplaceAllString(s, " ")
	return strings.Join(strings.Fields(s), " ")
}

// knownLabels remembers labels that matched a rule ("Child's name", "DOB": form vocabulary, never the
// values), bounded so that odd mail cannot grow it without limit.
var knownLabels struct {
	m sync.Map // label → field
	n atomic.Int32
}

func lookupLabel(label string) field {
	if f, ok := knownLabels.m.Load(label); ok {
		return f.(field)
	}
	f := matchLabel(label)
	if f != fNone && knownLabels.n.Load() < 2048 {
		if _, loaded := knownLabels.m.LoadOrStore(label, f); !loaded {
			knownLabels.n.Add(1)
		}
	}
	return f
}

func matchLabel(label string) field {
	f := matchLabelText(label)
	if t := strings.TrimSpace(label); f == fNone && strings.HasSuffix(t, ")") && strings.IndexByte(t, '(') > 0 {
		// "Child's name (first and last)", "Date of birth (DD/MM/YYYY)": the label without its guidance
		f = matchLabelText(parenRe.ReplaceAllString(label, " "))
	}
	return f
}

func matchLabelText(label string) field {
	n := normaliseLabel(label)
	if n == "" || len(n) > 90 {
		return fNone
	}
	// "Child 1 DOB", "Child 2 school": a household form's numbered child before the field's own label
	if rest, ok := strings.CutPrefix(n, "child "); ok {
		if num, field, ok := strings.Cut(rest, " "); ok && num != "" && strings.Trim(num, "0123456789") == "" {
			switch f := matchLabelText(field); f {
			case fName, fChildName, fGiven, fFamily, fDOB, fAge, fSchool, fGender:
				return f
			}
		}
	}
	for _, r := range labelRules {
		if r.need != nil && !containsAny(n, r.need) {
			continue
		}
		if r.re.MatchString(n) {
			return r.f
		}
	}
	return fNone
}

// headingWords: every heading rule's normalised text starts with one of these, and normalising only turns
// characters into spaces (or drops an "'s"), so a heading's lower-cased line contains one of them.
var headingWords = []string{"child", "young", "sibling", "subject", "details", "parent", "carer", "family", "referrer", "your", "about", "household", "patient", "pupil", "student", "baby",
	"perpetrator", "suspect", "abuser", "offender", "concern", "adult"}

// lookupHeadingNoColon is lookupHeading for a line without a colon, with cheap exact pre-checks first (most
// lines are prose: normalising them and trying every rule was a hot spot of BenchmarkIngestEmail).
func lookupHeadingNoColon(line string) (section, bool, bool) {
	if line == "" || len(line) > 40 || strings.Contains(line, ":") {
		return 0, false, false
	}
	l := strings.ToLower(line)
	for _, w := range headingWords {
		if strings.Contains(l, w) {
			return lookupHeading(line)
		}
	}
	return 0, false, false
}

func lookupHeading(line string) (section, bool, bool) {
	if line == "" || len(line) > 40 {
		return 0, false, false
	}
	n := normaliseLabel(line)
	for _, h := range headingRules {
		if h.re.MatchString(n) {
			return h.sec, h.new, true
		}
	}
	return 0, false, false
}

// bareLabel reads a child's name, date of birth or school whose label stands alone on line i (no colon) and
// whose value is the next non-blank line: a name (one to four name words before any comma), a date that can
// be a child's, a school. Anything else is not read this way.
func bareLabel(lines []string, i int, label string, ref time.Time) (field, string, int, bool) {
	if label == "" || len(label) > 30 || strings.ContainsAny(label, ":?\t") {
		return fNone, "", 0, false
	}
	if i+1 >= len(lines) || !bareLabelWord(label) {
		return fNone, "", 0, false
	}
	if _, isNew, ok := lookupHeadingNoColon(label); ok && isNew {
		return fNone, "", 0, false
	}
	f := lookupLabel(label)
	switch f {
	case fChildName, fDOB, fSchool:
	default:
		return fNone, "", 0, false
	}
	j, v, ok := valueLineAfter(lines, i)
	if !ok {
		return fNone, "", 0, false
	}
	if v == "" || len(v) > 80 || isSignOff(v) {
		return fNone, "", 0, false
	}
	if _, isLabel := splitLabel(v); isLabel {
		return fNone, "", 0, false
	}
	switch f {
	case fChildName:
		seg, _, _ := strings.Cut(v, ",")
		ws := nameWords(seg, false)
		if len(ws) < 2 || len(ws) != len(strings.Fields(seg)) || adultTitled(seg) {
			return fNone, "", 0, false
		}
		v = strings.Join(ws, " ")
	case fDOB:
		if _, ok := childDOB(v, ref); !ok {
			return fNone, "", 0, false
		}
	case fSchool:
		if !schoolWords.match(v) || !startsUpper(v) {
			return fNone, "", 0, false
		}
	}
	return f, v, j, true
}

// bareQuestion reads the immediate-harm or consent question whose label stands alone on line i (no colon, no
// question mark: "Consent" / "Yes", "Immediate risk" / "No – dad has left", an HTML form's label and value
// paragraphs) when the next non-blank line is a plain answer: Yes or No (Y, N) alone or with its reason after a
// dash or comma, or tick boxes. "Immediate risk" followed by "No one was at home …" is no answer.
func bareQuestion(lines []string, i int, label string) (field, string, int, bool) {
	if label == "" || len(label) > 60 || strings.ContainsAny(label, ":?\t") || i+1 >= len(lines) {
		return fNone, "", 0, false
	}
	j, v, ok := valueLineAfter(lines, i)
	if !ok {
		return fNone, "", 0, false
	}
	if v == "" || !strings.ContainsAny(v[:1], "yYnN") && !strings.ContainsAny(v, "☐☒") { // a cheap check first
		return fNone, "", 0, false
	}
	if !bareAnswerRe.MatchString(v) && !strings.ContainsAny(v, "☐☒") {
		return fNone, "", 0, false
	}
	if !containsAny(strings.ToLower(label), []string{"consent", "immediate", "imminent", "safe", "agree", "aware", "informed"}) {
		return fNone, "", 0, false
	}
	switch f := lookupLabel(label); f {
	case fImmediate, fSafeNow, fConsent, fInformed, fConsentSought, fRefusedQ, fWithoutQ:
	default:
		return fNone, "", 0, false
	}
	if _, isLabel := splitLabel(v); isLabel {
		return fNone, "", 0, false // a heading ("4. Risk and consent") over the next question, not its answer
	}
	return lookupLabel(label), v, j, true
}

// bareAnswerRe: a plain Yes or No answer, alone or with its reason after a dash or a comma.
var bareAnswerRe = lazy(`(?i)^(?:yes|no|y|n)(?:[\s.!]*$|\s*[-–—,:]\s*\S)`)

// bareLabelWord is a cheap pre-check for bareLabel: every label it reads holds one of these (most short lines
// are prose or signatures, and matching every label rule on each was measurable in BenchmarkParse).
func bareLabelWord(label string) bool {
	l := strings.ToLower(label)
	for _, w := range []string{"name", "child", "pupil", "young", "patient", "student", "baby", "subject", "dob", "d.o.b", "birth", "school", "setting", "college", "nursery", "education"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// partPrefix is a form part's number before its heading: "Part C:", "Section 3 -", "2.".
var partPrefix = lazy(`(?i)^(?:(?:part|section|step)\s+[a-z0-9]{1,3}|\d{1,2})\s*[:.)\-–]\s*(.{1,40})$`)

var bareDOB = lazy(`(?i)^\s*(?:dob|d\.o\.b\.?|date of birth)\s*[-–]?\s+(\d{1,2}(?:st|nd|rd|th)?[\s/.\-].*)$`)

// labelLine splits "Label: value", "Label? value" or "Label<TAB>value".
var (
	labelColon = lazy(`^\s*(?:[-*•>]+\s*)?(?:\(?\d{1,2}[.)]\s+)?([^:?\t]{1,90}?)\s*[:?]+[\s*:?]*(.*?)\s*$`)
	labelTab   = lazy(`^\s*([^\t]{1,90}?)(?:\t+| {3,})(.+?)\s*$`)
	// labelColonHead is labelColon up to its value: see splitLabelColon.
	labelColonHead = lazy(`^\s*(?:[-*•>]+\s*)?(?:\(?\d{1,2}[.)]\s+)?([^:?\t]{1,90}?)\s*[:?]+[\s*:?]*`)
)

// splitLabelColon is labelColon's label and trimmed value, the expression run only over the line's head. The
// label cannot hold ':' or '?' and what comes before it cannot either, so the separator starts at the line's
// first ':' or '?' and runs over the ':', '?', '*' and white space after it; on a line without a newline
// labelColon's value part (.*?)\s*$ matches whatever follows, so labelColon matches where its head matches
// over the line up to the end of that run, with the same label, and the value is the rest, trimmed. Run over
// the whole line the expression cost time in proportion to the line's length (the long lines of prose that
// hold a colon or a question mark).
func splitLabelColon(line string) (label, value string, ok bool) {
	if strings.IndexByte(line, '\n') >= 0 {
		if m := labelColon.FindStringSubmatch(line); m != nil {
			return m[1], strings.TrimSpace(m[2]), true
		}
		return "", "", false
	}
	p := strings.IndexAny(line, ":?")
	if p < 0 {
		return "", "", false
	}
	k := p
	for k < len(line) && strings.IndexByte(":?* \t\f\r", line[k]) >= 0 {
		k++
	}
	m := labelColonHead.FindStringSubmatchIndex(line[:k])
	if m == nil {
		return "", "", false
	}
	return line[m[2]:m[3]], strings.TrimSpace(line[m[1]:]), true
}

type labelled struct {
	f     field
	value string
}

// isSignOff says a line closes a letter: "Kind regards", "Many thanks!", "Thank you", "Yours sincerely,", or
// the "--" signature separator. It is, case-insensitively (Unicode simple folding),
//
//	^\s*(?:(?:kind(?:est)?|best|warm(?:est)?|many)\s+)?(?:regards|wishes|thanks|thank you)[,.!]*\s*$
//	|^\s*yours\s+(?:sincerely|faithfully)[,.]*\s*$|^\s*--\s*$
//
// written out by hand: as a regular expression it cost more than the rest of the signature reading
// (TestIsSignOffMatchesItsRegexp holds it to the expression).
func isSignOff(s string) bool {
	t := strings.Trim(s, asciiSpace)
	if t == "--" {
		return true
	}
	core := strings.TrimRight(t, ",.!")
	if w1, w2, ok := cutSpace(core); ok && strings.EqualFold(w1, "yours") &&
		(strings.EqualFold(w2, "sincerely") || strings.EqualFold(w2, "faithfully")) {
		return !strings.Contains(t[len(core):], "!")
	}
	rest := core
	if w1, w2, ok := cutSpace(core); ok && foldedOneOf(w1, "kind", "kindest", "best", "warm", "warmest", "many") {
		rest = w2
	}
	return foldedOneOf(rest, "regards", "wishes", "thanks", "thank you")
}

// asciiSpace is regexp's \s.
const asciiSpace = " \t\n\f\r"

// cutSpace splits s around its first run of \s.
func cutSpace(s string) (before, after string, ok bool) {
	i := strings.IndexAny(s, asciiSpace)
	if i < 0 {
		return s, "", false
	}
	return s[:i], strings.TrimLeft(s[i:], asciiSpace), true
}

func foldedOneOf(s string, words ...string) bool {
	for _, w := range words {
		if strings.EqualFold(s, w) {
			return true
		}
	}
	return false
}

// isForwardMarker is forwardMarker.MatchString with a cheap exact pre-check: after leading '>' and white
// space the marker starts with '-', 'b' (begin) or '_'.
func isForwardMarker(s string) bool {
	t := strings.TrimLeft(s, "> \t\n\f\r")
	if t == "" {
		return false
	}
	switch t[0] {
	case '-', '_', 'b', 'B':
		return forwardMarker.MatchString(s)
	}
	return t[0] >= 0x80 && forwardMarker.MatchString(s)
}

func splitLabel(line string) (labelled, bool) {
	// Each pattern needs a literal: labelColon a ':' or '?', labelTab a tab or three spaces.
	if strings.ContainsAny(line, ":?") {
		if label, value, ok := splitLabelColon(line); ok {
			if f := lookupLabel(label); f != fNone {
				return labelled{f, value}, true
			}
		}
	}
	if strings.Contains(line, "\t") || strings.Contains(line, "   ") {
		if lf, ok := splitLabelRe(labelTab.get(), line); ok {
			return lf, true
		}
	}
	// "DOB 12.03.15", "D.O.B - 12/03/2015": a date of birth's label needs no colon when a date follows it.
	if t := strings.TrimLeft(line, " \t"); t != "" && (t[0] == 'd' || t[0] == 'D') {
		if m := bareDOB.FindStringSubmatch(line); m != nil {
			return labelled{fDOB, strings.TrimSpace(m[1])}, true
		}
	}
	// "Name – Tyrese LAVELLE-GRANT": a template's name label written with a dash, at the start of the line (a
	// youth justice or police worker's "Label – value" lines; "D.O.B. – …" is bareDOB's)
	if t := strings.TrimLeft(line, " \t"); t != "" && (t[0] >= 'A' && t[0] <= 'Z' || t[0] >= 'a' && t[0] <= 'z') {
		for _, sep := range []string{" – ", " - "} {
			if i := strings.Index(t, sep); i > 0 && i <= 24 {
				switch f, v := lookupLabel(t[:i]), strings.TrimSpace(t[i+len(sep):]); f {
				case fName, fGiven, fFamily:
					return labelled{f, v}, true
				case fSchool:
					if schoolWords.match(v) && startsUpper(v) {
						return labelled{f, v}, true // "Education – Harbour Academy (alternative provision)"; never "School - she was excluded"
					}
				}
			}
		}
	}
	// "Risk of immediate harm - no": a dash separates only the form's questions from their answers.
	for _, sep := range []string{" - ", " – "} {
		if i := strings.Index(line, sep); i > 0 && i < 90 && containsAny(strings.ToLower(line[:i]), []string{"immediate", "imminent", "consent", "agree", "harm now"}) {
			if f := lookupLabel(strings.TrimSpace(line[:i])); f == fImmediate || f == fConsent {
				return labelled{f, strings.TrimSpace(line[i+len(sep):])}, true
			}
		}
	}
	return labelled{}, false
}

func splitLabelRe(re *regexp.Regexp, line string) (labelled, bool) {
	if m := re.FindStringSubmatch(line); m != nil {
		if f := lookupLabel(m[1]); f != fNone {
			return labelled{f, strings.TrimSpace(m[2])}, true
		}
	}
	return labelled{}, false
}

// form is what the labelled fields of a text said.
type form struct {
	ref         time.Time // when the email arrived: dates of birth are before it, two-digit years read against it
	children    []domain.Child
	parents     []domain.Parent
	household   []domain.HouseholdMember
	referrer    domain.Referrer
	concerns    []string
	immediate   bool
	harmKnown   bool // the immediate-harm question was answered
	harmLine    int  // the line of the text that answered it
	consent     domain.Consent
	last        field // the field of the label set last ("If no, why not?" answers it)
	consentLine int   // the line of the text that answered the consent question
	consentWeak bool  // consent read from "Have parents been informed? No": a consent question's answer replaces it
	fields      int   // recognised labels with a value
	adults      []int // children whose stated date of birth is an adult's: not children, dropped at the end
	titled      []int // children named with a courtesy title (courtesyTitled): dropped at the end unless a child's age says one
}

// labelledLine reports whether a line starts with a label of its own, recognised or not: one to four words of
// letters (with apostrophes, hyphens, slashes or brackets) before a colon and a value ("Mum: …", "Mum's
// partner: …", "Tel: …", "GP: …"). A time ("10:30") or a URL has no such label.
func labelledLine(line string) bool {
	i := strings.IndexByte(line, ':')
	if i <= 0 || i > 40 || i == len(line)-1 {
		return false
	}
	label := line[:i]
	words := strings.Fields(label)
	if len(words) == 0 || len(words) > 4 {
		return false
	}
	for _, r := range label {
		if !unicode.IsLetter(r) && !strings.ContainsRune(" '’-/()", r) {
			return false
		}
	}
	return line[i+1] == ' ' || line[i+1] == '\t'
}

// parseForm reads labelled fields line by line. A line is a field only if its label is recognised;
// everything else continues the previous multi-line field (concerns, household, address) or is ignored.
func parseForm(text string, ref time.Time) *form {
	fm := &form{ref: ref, consent: domain.Consent{Status: domain.ConsentUnknown}}
	lines := fieldRows(textTables(strings.Split(text, "\n")))
	sec := secChild
	cur := -1 // index of the current child
	pendingPR := false
	var open field // the multi-line field being continued
	var buf []string
	for i := 0; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], " \t")
		trimmed := strings.TrimSpace(line)
		if isForwardMarker(trimmed) {
			flushField(fm, &open, &buf, sec, &cur)
			sec = secChild
			continue
		}
		if isSignOff(trimmed) {
			flushField(fm, &open, &buf, sec, &cur)
			sec = secReferrer // a signature follows; its lines are not form fields for the child
			continue
		}
		// A heading ("Child 2", "Parent/carer details") has no colon; "Household members:" is a field. A form's
		// parts are often numbered: "Part C: Referrer", "Section 3 - Referrer details".
		// A label on a line of its own with its value on the next ("Pupil" / "Lacey-Jo Burrows, Year 8", HTML
		// forms laid out as paragraphs): read as "Label: value" when the value is what the label asks for.
		if f, v, j, ok := bareLabel(lines, i, trimmed, fm.ref); ok {
			flushField(fm, &open, &buf, sec, &cur)
			fm.fields++
			fm.set(f, v, &sec, &cur)
			i = j
			continue
		}
		if f, v, j, ok := bareQuestion(lines, i, trimmed); ok {
			flushField(fm, &open, &buf, sec, &cur)
			known, consentKnown := fm.harmKnown, fm.consent.Status != domain.ConsentUnknown
			fm.fields++
			fm.set(f, v, &sec, &cur)
			if fm.harmKnown && !known {
				fm.harmLine = j
			}
			if !consentKnown && fm.consent.Status != domain.ConsentUnknown {
				fm.consentLine = j
			}
			i = j
			continue
		}
		h := trimmed
		if m := partPrefix.FindStringSubmatch(h); m != nil {
			h = m[1]
		}
		if s, isNew, ok := lookupHeadingNoColon(h); ok {
			flushField(fm, &open, &buf, sec, &cur)
			sec = s
			if isNew {
				fm.children = append(fm.children, domain.Child{})
				cur = len(fm.children) - 1
			}
			continue
		}
		if lf, ok := splitLabel(line); ok {
			flushField(fm, &open, &buf, sec, &cur)
			f, v := lf.f, lf.value
			switch f {
			case fConcerns, fHousehold:
				open, buf = f, []string{v}
				continue
			case fAddress:
				if sec == secChild || sec == secHousehold {
					open, buf = f, []string{v}
				}
				continue
			}
			if v == "" {
				// "Label:" with its value on the next non-blank line (HTML forms converted to text).
				for j := i + 1; j < len(lines) && j <= i+2; j++ {
					next := strings.TrimSpace(lines[j])
					if next == "" {
						continue
					}
					if _, isLabel := splitLabel(next); !isLabel && !isSignOff(next) {
						v, i = next, j
					}
					break
				}
			}
			if v == "" {
				continue
			}
			fm.fields++
			if f == fPR {
				yes, known := yesNo(v)
				if known && len(fm.parents) > 0 {
					fm.parents[len(fm.parents)-1].ParentalResponsibility = yes
				} else if known {
					pendingPR = yes
				}
				continue
			}
			if f == fParentName || (f == fName && sec == secParent) {
				p := parseParent(v)
				if f == fParentName {
					if rel := parentRelFromLabel(line); rel != "" && p.Relationship == "" {
						p.Relationship = rel
					}
				}
				p.ParentalResponsibility = p.ParentalResponsibility || pendingPR
				pendingPR = false
				fm.parents = append(fm.parents, p)
				sec = secParent
				continue
			}
			known, consentKnown := fm.harmKnown, fm.consent.Status != domain.ConsentUnknown
			fm.set(f, v, &sec, &cur)
			if fm.harmKnown && !known {
				fm.harmLine = i
			}
			if !consentKnown && fm.consent.Status != domain.ConsentUnknown {
				fm.consentLine = i
			}
			continue
		}
		if open != fNone {
			if trimmed == "" && open != fConcerns {
				flushField(fm, &open, &buf, sec, &cur)
				continue
			}
			if open == fAddress && labelledLine(trimmed) {
				// "Mum: Sarah Brennan. Mum's partner: Leon" under "Address: 40 Stubbington Avenue" is the next
				// field, however unrecognised its label: an address's lines carry no "Label:" of their own, and
				// a person's name must never be read as part of a child's address
				flushField(fm, &open, &buf, sec, &cur)
				continue
			}
			buf = append(buf, trimmed)
		}
	}
	flushField(fm, &open, &buf, sec, &cur)
	fm.adults = append(fm.adults, fm.titledAdults()...)
	if len(fm.adults) > 0 {
		var kids []domain.Child
		for i, c := range fm.children {
			if !slices.Contains(fm.adults, i) {
				kids = append(kids, c)
			}
		}
		fm.children = kids
	}
	return fm
}

// adultDate: v holds a full date that makes its person 18 or over on ref.
func adultDate(v string, ref time.Time) bool {
	if ref.IsZero() {
		return false
	}
	for _, h := range findDates(v, ref) {
		if !h.d.Time(time.UTC).AddDate(18, 0, 0).After(ref) {
			return true
		}
	}
	return false
}

func flushField(fm *form, open *field, buf *[]string, sec section, cur *int) {
	if *open == fNone {
		return
	}
	v := strings.TrimSpace(strings.Join(*buf, "\n"))
	f := *open
	*open, *buf = fNone, nil
	if v == "" {
		return
	}
	fm.fields++
	fm.setMulti(f, v, sec, cur)
}

func (fm *form) setMulti(f field, v string, sec section, cur *int) {
	switch f {
	case fConcerns:
		fm.concerns = append(fm.concerns, v)
	case fHousehold:
		for _, entry := range splitEntries(v) {
			if h, ok := parseHouseholdMember(entry); ok {
				fm.household = append(fm.household, h)
			}
		}
	case fAddress:
		addr := strings.Join(strings.FieldsFunc(v, func(r rune) bool { return r == '\n' }), ", ")
		c := fm.child(cur, func(c *domain.Child) bool { return c.Address != "" })
		c.Address = addr
	}
}

// child returns the current child, starting a new one when there is none or when taken reports that the
// field about to be set is already filled (the next child of a household form).
func (fm *form) child(cur *int, taken func(*domain.Child) bool) *domain.Child {
	if *cur < 0 || taken(&fm.children[*cur]) {
		fm.children = append(fm.children, domain.Child{})
		*cur = len(fm.children) - 1
	}
	return &fm.children[*cur]
}

func (fm *form) set(f field, v string, sec *section, cur *int) {
	defer func() { fm.last = f }()
	if (f == fRole || f == fOrganisation) && fm.last == fName && *sec == secChild && *cur == len(fm.children)-1 && *cur >= 0 && onlyNamed(fm.children[*cur]) {
		// "Name: Amy Cole" / "Role: Health Visitor": the name just read was the referrer's, not a child's
		c := fm.children[*cur]
		fm.children = fm.children[:*cur]
		*cur, *sec = len(fm.children)-1, secReferrer
		fm.setOther(fName, strings.TrimSpace(c.GivenName+" "+c.FamilyName), secReferrer)
	}
	switch f {
	case fChildName, fGiven, fFamily:
		*sec = secChild
	case fEDD: // an unborn child's, whichever section the form puts it in (often the mother's)
	case fDOB, fAge, fGender, fEthnicity, fLanguage, fReligion, fSEN:
		if *sec == secParent {
			return // a parent's own details are not the child's
		}
	default:
		if *sec == secReferrer || *sec == secParent {
			fm.setOther(f, v, *sec)
			return
		}
	}
	switch f {
	case fChildName, fName:
		if name, role, ok := strings.Cut(v, ","); ok && f == fName && professionalLabel(role) {
			// "Name | Nicola Barry, Estate Officer": the writer's name and job, not a child's
			*sec = secReferrer
			fm.setOther(fName, strings.TrimSpace(name), secReferrer)
			return
		}
		*sec = secChild
		titled := false
		if rest, ok := courtesyTitled(v); ok && f == fChildName {
			v, titled = rest, true // "Patient | Mr Tobias MENSAH-COLE": a case system's title, the child's if the DOB says so
		}
		if !strings.ContainsFunc(v, unicode.IsLetter) || adultTitled(v) || mayBeNoValue(v) && noValue(v) || adultAgeAfterName(v) {
			return // "Name: 0", "Name: -": not a name; "Name: Dr Helen Marsh": an adult (a referrer's row); "Patient | Stacey ROBSON, 24 - …": an adult patient
		}
		if strings.ContainsAny(v, "\t|") {
			if first, _, _ := strings.Cut(strings.SplitN(v, "\t", 2)[0], "|"); lookupLabel(strings.TrimSpace(first)) != fNone {
				return // "Name<TAB>DOB<TAB>…": a table's header cells, not a name
			}
		}
		if w, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(v)), " "); w == "baby" || w == "unborn" {
			return // "Baby Jones (unborn)", "Unborn baby of Sarah Jones": no given name yet; the EDD makes the child
		}
		// a child already named is taken, and so is an unborn one with its EDD: the name that follows an unborn
		// baby's row ("Date of birth / EDD: EDD 14/04/2027", then "Name: Ezra Penhaligon" under "Other children")
		// is a born sibling's, not a name for the baby
		c := fm.child(cur, func(c *domain.Child) bool {
			return c.GivenName != "" || c.FamilyName != "" || (c.Unborn && !c.DateOfBirth.IsZero())
		})
		if titled {
			fm.titled = append(fm.titled, *cur)
		}
		if e, ok := parseEntry(v, fm.ref); ok && !e.hasDOB && e.c.Age > 0 && c.Age == 0 && c.DateOfBirth.IsZero() {
			c.Age = e.c.Age // "Player: Harvey Blackwood, U13s, 12yo": the age after the name
		}
		if e, ok := parseEntry(v, fm.ref); ok && e.hasDOB {
			// "Child 1: Harper Quinn, DOB 07/03/24", "Young person: Jordan Ellis (DOB 04/04/2010)"
			c.GivenName, c.FamilyName, c.DateOfBirth = e.c.GivenName, e.c.FamilyName, e.c.DateOfBirth
			if c.School == "" {
				c.School = e.c.School
			}
			return
		}
		c.GivenName, c.FamilyName = splitName(v)
		c.GivenName, c.FamilyName = titleIfShouting(c.GivenName), titleIfShouting(c.FamilyName)
		// "Young person: Amelia Jones, 15, Oak Academy": an age and a school after the name
		if _, rest, ok := strings.Cut(v, ","); ok && c.DateOfBirth.IsZero() && c.Age == 0 {
			seg, _, _ := strings.Cut(strings.TrimSpace(rest), ",")
			if n := leadingNumber(seg); n > 0 && n < 18 && len(strings.Fields(seg)) <= 3 {
				c.Age = n
			}
		}
		if c.School == "" {
			if _, rest, ok := strings.Cut(v, ","); ok {
				c.School = schoolIn(rest)
			}
		}
	case fGiven:
		*sec = secChild
		if !nameValue(v) || unknownName(v) {
			return // "First name: Not known": no name
		}
		c := fm.child(cur, func(c *domain.Child) bool { return c.GivenName != "" })
		c.GivenName = titleIfShouting(cleanName(v))
		if unbornWord(c.GivenName) {
			c.GivenName, c.FamilyName, c.Unborn = "", "", true // "Forename: Unborn", "Surname: ASHDOWN": no name yet
		}
	case fFamily:
		*sec = secChild
		if !nameValue(v) || unknownName(v) {
			return // a web form's "Child's surname: Not known" is no family name
		}
		c := fm.child(cur, func(c *domain.Child) bool { return c.FamilyName != "" })
		if !c.Unborn || c.GivenName != "" {
			c.FamilyName = titleIfShouting(cleanName(v))
		}
	case fDOB, fEDD:
		if dobHedged(v, fm.ref) {
			return // "approx 03/03/2017 (not confirmed)", "03/03/2017 or 04/03/2017": the screener asks
		}
		unborn := f == fEDD || strings.Contains(strings.ToLower(v), "edd") || strings.Contains(strings.ToLower(v), "unborn")
		d, ok := childDOB(v, fm.ref)
		if !ok && unborn {
			if hs := findDates(v, fm.ref); len(hs) > 0 {
				d, ok = hs[0].d, true
			} else {
				d, ok = dueDate(v, fm.ref) // "EDD: 29/05/27": a two-digit year in the coming months
			}
		} else {
			unborn = false
		}
		if !ok && bareAgeRe.MatchString(v) {
			// "DOB/Age: 9", a table's "Date of birth / age" column holding an age: the age; 18 or over, an adult's row
			if n := leadingNumber(v); n > 0 && n < 18 {
				if c := fm.child(cur, func(c *domain.Child) bool { return c.Age != 0 || !c.DateOfBirth.IsZero() }); c.DateOfBirth.IsZero() {
					c.Age = n
				}
			} else if n >= 18 && *cur >= 0 && fm.children[*cur].DateOfBirth.IsZero() {
				fm.adults = append(fm.adults, *cur)
			}
			return
		}
		if !ok {
			// "Name: Marcia Clarke" / "DOB: 04/03/1987" (a household table's adult row): 18 or over is no child
			if *cur >= 0 && fm.children[*cur].DateOfBirth.IsZero() && adultDate(v, fm.ref) {
				fm.adults = append(fm.adults, *cur)
			}
			return
		}
		c := fm.child(cur, func(c *domain.Child) bool { return !c.DateOfBirth.IsZero() })
		c.DateOfBirth = d
		c.Unborn = unborn
	case fAge:
		// "Age: 10", "Age: 10 years": a child's age when no date of birth is given; an adult's is none, and so
		// is a guess between two ("8 or 9", "7-8", "7 to 8")
		n := leadingNumber(v)
		if lv := strings.ToLower(v); strings.Contains(lv, "month") || strings.Contains(lv, "mth") {
			n /= 12 // "Age: 7 months": no whole year; "Age: 20 months": 1
		} else if strings.Contains(lv, "week") || strings.Contains(lv, "day") {
			return // "Age: 3 weeks"
		}
		if n <= 0 || n >= 18 || ageRange.MatchString(v) {
			return
		}
		c := fm.child(cur, func(c *domain.Child) bool { return c.Age != 0 })
		if c.DateOfBirth.IsZero() {
			c.Age = n
		}
	case fGender:
		fm.child(cur, func(c *domain.Child) bool { return c.Gender != "" }).Gender = v
	case fClass:
		if sch := schoolIn(v); sch != "" {
			fm.child(cur, func(c *domain.Child) bool { return c.School != "" }).School = sch
		}
	case fSchool:
		v = schoolValueLead(v) // "says he attends Lea Bridge Pupil Referral Unit" (schools11.go)
		if noSetting(v) || hasPrefixFold(strings.TrimSpace(v), "currently none") || !startsUpper(strings.TrimSpace(v)) && pastSchool(v) || pastSchoolValue(v) {
			return // "Currently none (previously Oak Academy)", "was at Oak Academy until June": no school now ("Old Bexley CofE Primary School" is one)
		}
		if strings.Contains(v, ",") {
			if s := schoolIn(v); s != "" && s != v {
				v = s // "Year 5, Oak Academy": the school's segment
			}
		}
		if b := bothRe.FindStringIndex(v); b != nil && len(fm.children) > 1 {
			// "School | Upland Primary School (both)": every child of the form so far
			v = strings.TrimSpace(v[:b[0]] + v[b[1]:])
			for i := range fm.children {
				if fm.children[i].School == "" {
					fm.children[i].School = v
				}
			}
			return
		}
		fm.child(cur, func(c *domain.Child) bool { return c.School != "" }).School = v
	case fEthnicity:
		fm.child(cur, func(c *domain.Child) bool { return c.Ethnicity != "" }).Ethnicity = v
	case fLanguage:
		fm.child(cur, func(c *domain.Child) bool { return c.Language != "" }).Language = v
	case fReligion:
		fm.child(cur, func(c *domain.Child) bool { return c.Religion != "" }).Religion = v
	case fSEN:
		if yes, known := yesNo(v); known {
			fm.child(cur, func(*domain.Child) bool { return false }).SEN = yes
		}
	case fReferrerName:
		fm.referrer.Name = v
	case fRole:
		fm.referrer.Role = v
	case fOrganisation:
		fm.referrer.Organisation = v
	case fPhone:
		fm.referrer.Phone = v
	case fEmail:
		fm.referrer.Email = strings.ToLower(v)
	case fRelationship:
		fm.referrer.Relationship = v
	case fImmediate, fConsent, fConsentReason, fFollowUp, fInformed, fSafeNow, fConsentSought, fRefusedQ, fWithoutQ:
		fm.setAnswer(f, v)
	}
}

// dobHedged: a date-of-birth field whose writer is not sure of it, or gives two.
func dobHedged(v string, ref time.Time) bool {
	for _, w := range []string{"approx", "estimated", "not confirmed", "unconfirmed", "tbc", "to be confirmed", "not sure", "?", "unsure", "believed"} {
		if containsFold(v, w) {
			return true
		}
	}
	if !strings.Contains(v, " or ") {
		return false
	}
	hs := findDates(v, ref)
	return len(hs) >= 2 && hs[0].d != hs[1].d
}

// containsFold: s holds w (lower case, ASCII) in any case, without allocating.
func containsFold(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(w)], w) {
			return true
		}
	}
	return false
}

// pastSchoolValue: a school field's value that says the child was there before ("Left Little Stars Nursery 2025",
// "Oakfield Academy (was)", "Previously Oak Academy").
func pastSchoolValue(v string) bool {
	l := strings.TrimSpace(v)
	for _, p := range []string{"left ", "was ", "previously ", "formerly ", "former ", "prev ", "previous ", "used to "} {
		if hasPrefixFold(l, p) {
			return true
		}
	}
	for _, w := range []string{"(was)", "(previous", "(former", "(left", "- left", "– left", "(until"} {
		if containsFold(l, w) {
			return true
		}
	}
	return false
}

// hasPrefixFold: s starts with p (ASCII) in any case.
func hasPrefixFold(s, p string) bool { return len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) }

// mayBeNoValue: a cheap look at a name field's first letter before noValue lowers it ("none", "N/A", "not known",
// "unknown", "TBC", "-").
func mayBeNoValue(v string) bool {
	t := strings.TrimLeft(v, " \t")
	if t == "" {
		return true
	}
	switch t[0] | 0x20 {
	case 'n', 'u', 't', 'h', 'e':
		return true
	}
	return t[0] == '-' || t[0] == '.'
}

// onlyNamed: a child of the form with a name and nothing else yet.
func onlyNamed(c domain.Child) bool {
	return (c.GivenName != "" || c.FamilyName != "") && c.DateOfBirth.IsZero() && c.Age == 0 && c.School == "" && c.Gender == ""
}

// setOther handles a field met in a parent or referrer section.
func (fm *form) setOther(f field, v string, sec section) {
	switch f {
	case fName, fReferrerName:
		if sec == secReferrer {
			fm.referrer.Name = v
		}
	case fRole:
		fm.referrer.Role = v
	case fOrganisation, fSchool:
		if sec == secReferrer {
			fm.referrer.Organisation = v
		}
	case fPhone:
		if sec == secReferrer {
			fm.referrer.Phone = v
		}
	case fEmail:
		if sec == secReferrer {
			fm.referrer.Email = strings.ToLower(v)
		}
	case fRelationship:
		if sec == secParent && len(fm.parents) > 0 {
			fm.parents[len(fm.parents)-1].Relationship = v
		} else {
			fm.referrer.Relationship = v
		}
	case fImmediate, fConsent, fConsentReason, fFollowUp, fInformed, fSafeNow, fConsentSought, fRefusedQ, fWithoutQ:
		fm.setAnswer(f, v)
	}
}

func (fm *form) setAnswer(f field, v string) {
	v = optionHintRe.ReplaceAllString(v, "") // "(Y/N) | Y - …": the question's printed options before the answer
	if t, ok := tickedOption(v); ok {
		v = t
	} else if strings.ContainsAny(v, "☐☒") {
		return // boxes, none or several ticked: no answer
	}
	if answerHedgedRe.MatchString(v) {
		return // "Yes?", "Yes - possibly", "No (not sure)": the referrer does not know, so neither do we
	}
	switch f {
	case fImmediate:
		yes, known := yesNo(v)
		if known && yes && harmYesButRe.MatchString(v) {
			return // "Yes – but he is now in custody": the risk was there and the answer says it has gone
		}
		if !known {
			yes, known = harmAnswer(v)
		}
		if known && !fm.harmKnown {
			fm.immediate, fm.harmKnown = yes, true
		}
	case fConsent:
		if fm.consent.Status != domain.ConsentUnknown && !fm.consentWeak {
			return // the first answer stands
		}
		st := consentStatus(v)
		if fm.consentWeak {
			if st == domain.ConsentUnknown {
				return // "Consent: No" after "Parents informed? No": still not sought
			}
			fm.consentWeak, fm.consent.Reason = false, ""
		}
		fm.consent.Status = st
		if fm.consent.Status == domain.ConsentNotSought || fm.consent.Status == domain.ConsentRefused {
			if i := strings.IndexAny(v, "-–:;,("); i > 0 && fm.consent.Reason == "" {
				fm.consent.Reason = strings.Trim(strings.TrimSpace(v[i+1:]), ")")
			}
		}
	case fConsentReason:
		fm.consent.Reason = v
		if fm.consent.Status == domain.ConsentUnknown {
			fm.consent.Status = domain.ConsentNotSought
			if consentStatus(v) == domain.ConsentRefused {
				fm.consent.Status = domain.ConsentRefused // "Reason consent not obtained: mum refused"
			}
		}
	case fFollowUp:
		fm.followUp(v)
	case fInformed:
		fm.informed(v)
	case fSafeNow:
		fm.safeNow(v)
	case fConsentSought:
		fm.consentSought(v)
	case fRefusedQ, fWithoutQ:
		fm.turnedRound(f, v)
	}
}

var (
	yesRe = lazy(`(?i)^\s*(?:yes|y|true|x|ticked)\b`)
	noRe  = lazy(`(?i)^\s*(?:no|n|false|none)\b`)
)

// printedHintRe: a form's printed instruction in brackets after its options.
var printedHintRe = lazy(`^\(\s*(?:please\s+)?(?:delete|circle|tick|select|choose|underline|strike|cross\s+out)\b[^)]*\)?\s*$`)

// bareAgeRe: a value that is an age alone ("9", "9 yrs", "15 years old").
var bareAgeRe = lazy(`(?i)^\s*\d{1,2}\s*(?:yrs?|years?(?:\s+old)?|y/?o)?\s*$`)

// unfilled reports a form's options left as printed ("Yes/No", "given/refused/not sought", "Yes or No", "YES/NO
// (delete as appropriate)"): no answer.
func unfilled(v string) bool {
	l := strings.ToLower(v)
	if !strings.Contains(l, "/") && !strings.Contains(l, " or ") {
		return false
	}
	// the form's printed instruction beside its options: "Yes/No (delete as appropriate)", "YES / NO *"
	if i := strings.IndexByte(l, '('); i > 0 && printedHintRe.MatchString(l[i:]) {
		l = l[:i]
	}
	parts := strings.FieldsFunc(strings.ReplaceAll(l, " or ", "/"), func(r rune) bool { return r == '/' })
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		switch strings.Trim(strings.TrimSpace(p), ".*[]()") {
		case "yes", "no", "y", "n", "given", "refused", "not sought", "unknown", "not known", "n/a":
		default:
			return false
		}
	}
	return true
}

func yesNo(v string) (yes, known bool) {
	v = strings.TrimLeft(v, " \t-–—:*•")
	if unfilled(v) || notApplicable(v) {
		return false, false
	}
	switch {
	case yesRe.MatchString(v):
		return true, true
	case noRe.MatchString(v) && !noIdeaRe.MatchString(v):
		return false, true
	}
	return false, false
}

// noIdeaRe: a No that answers nothing ("No idea", "No information", "No comment", "No one was at home").
var noIdeaRe = lazy(`(?i)^\s*no\s+(?:idea|clue|way\s+(?:of|to)\s+(?:know|tell)\w*|information|info|details|knowledge|comment|answer|response|reply|one|body)\b`)

var harmNotNow = lazy(`(?i)^\s*not\s+(?:at\s+(?:this\s+time|present|the\s+moment|this\s+stage)|currently|now|today)\b`)

// leadingNumber is the number v starts with ("10 years" → 10), -1 when it starts with none or is a date.
func leadingNumber(v string) int {
	v = strings.TrimSpace(v)
	i := 0
	for i < len(v) && i < 3 && v[i] >= '0' && v[i] <= '9' {
		i++
	}
	if i == 0 || i == 3 || i < len(v) && (v[i] == '/' || v[i] == '.' || v[i] == '-' || v[i] >= '0' && v[i] <= '9') {
		return -1
	}
	return atoi(v[:i])
}

// notApplicable: "N/A", "N/K" (not known) answer nothing, though they start with an N.
func notApplicable(v string) bool {
	l := strings.ToLower(strings.TrimSpace(v))
	return strings.HasPrefix(l, "n/a") || strings.HasPrefix(l, "n/k") || strings.HasPrefix(l, "n.a") || strings.HasPrefix(l, "n.k")
}

var (
	dateRe     = lazy(`\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]* \d{4}\b`)
	parenRe    = lazy(`\(([^)]*)\)`)
	ageRe      = lazy(`(?i)\b(?:aged?|dob|d\.o\.b\.?|born)\b[:\s]*\d*\s*(?:years?|yrs?)?`)
	entrySplit = lazy(`\n|;`)
)

// findDate reads the first UK day-first date in v ("14/02/2019 (age 6)").
func findDate(v string) (domain.Date, bool) {
	for _, s := range dateRe.FindAllString(v, -1) {
		s = strings.Replace(s, "Sept ", "Sep ", 1)
		if d, err := domain.ParseDate(s); err == nil {
			return d, true
		}
	}
	return domain.Date{}, false
}

// noValue: a form's way of saying there is nothing ("-", "n/a", "none", "not in school").
func noValue(v string) bool {
	l := strings.ToLower(strings.Trim(strings.TrimSpace(v), ".-–"))
	switch l {
	case "", "n/a", "na", "none", "nil", "unknown", "not known", "not in school", "no school", "not applicable", "tbc", "n/k", "nk":
		return true
	}
	// "not in a setting", "not in education", "no setting", "none known", "home educated": no school named
	for _, p := range []string{"not ", "no ", "none ", "n/a ", "unknown ", "home educated", "electively home", "elective home"} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

var bothRe = lazy(`(?i)\s*\((?:both|all|all three|all four|all of them|both children|all children)\)\s*`)

var ageRange = lazy(`^\s*\d{1,2}\s*(?:or|to|-|–|/)\s*\d{1,2}\b`)

// nameValue: a form's name field holds a name, not another label or a table's row ("Forename | DOB | School").
func nameValue(v string) bool {
	v = strings.TrimSpace(v)
	return v != "" && !strings.ContainsAny(v, "|\t") && (len(v) > 30 || lookupLabel(v) == fNone)
}

// unbornWord: a table's name cell for a baby not yet born ("Unborn", "Baby", "Unborn baby").
func unbornWord(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "unborn", "baby", "unborn baby", "unborn child":
		return true
	}
	return false
}

// adultTitled: a name written with an adult's title or rank ("Dr Helen Marsh", "PC 233SX Nolan") is never a
// child's.
func adultTitled(v string) bool {
	w, _, _ := strings.Cut(strings.TrimSpace(v), " ")
	switch strings.ToLower(strings.TrimRight(w, ".")) {
	case "dr", "mr", "mrs", "ms", "mx", "prof", "professor", "rev", "revd", "pc", "dc", "ds", "di", "dci", "psc", "sgt", "cllr", "sir", "dame":
		return true
	}
	return false
}

func cleanName(s string) string {
	s = parenRe.ReplaceAllString(s, "")
	return strings.Join(strings.Fields(strings.Trim(s, " ,.;")), " ")
}

// splitName splits "Ava Brown" into given and family names; "BROWN, Ava" puts the family name first. What
// follows a comma is a given name only when it is one to three name words ("Amelia Jones, 15, Oak Academy" is
// Amelia Jones); an alias ("Amelia JONES aka SMITH", "known as …") is not part of the name.
func splitName(v string) (given, family string) {
	v = cleanName(v)
	l := strings.ToLower(v)
	for _, aka := range []string{" aka ", " a.k.a", " also known as ", " known as ", " now known as "} {
		if i := strings.Index(l, aka); i > 0 {
			v, l = strings.TrimSpace(v[:i]), l[:i]
		}
	}
	if i := strings.IndexAny(v, "|;"); i >= 0 {
		v = strings.TrimSpace(v[:i]) // "Amelia Jones | DOB 12/03/2015 | Oak Academy"
	}
	for _, dash := range []string{" - ", " – ", " — "} {
		if i := strings.Index(v, dash); i > 0 {
			v = strings.TrimSpace(v[:i]) // "Kayla - don't know her surname": a comment after the name
		}
	}
	if fs := strings.Fields(v); len(fs) > 0 {
		for i, w := range fs {
			lw := strings.ToLower(strings.Trim(w, ":,-–"))
			if w[0] >= '0' && w[0] <= '9' || lw == "dob" || lw == "d.o.b" || lw == "d.o.b." || lw == "born" || lw == "b." || lw == "age" || lw == "aged" {
				v = strings.Join(fs[:i], " ") // "Amelia Jones 12/03/2015", "Mia Cole DOB 7 Mar …": the words before
				break
			}
		}
	}
	if unknownName(v) {
		return "", "" // "dont know his name", "not sure", "no idea": the writer does not know it
	}
	if len(strings.Fields(v)) > 5 {
		return "", "" // a sentence, not a name: left for the screener
	}
	if i := strings.IndexByte(v, ','); i > 0 {
		after := strings.Fields(v[i+1:])
		names := len(after) > 0 && len(after) <= 3
		for _, w := range after {
			names = names && isNameWord(w) && !nameStop[strings.ToLower(w)] && !schoolWords.match(w)
		}
		if names {
			return strings.TrimSpace(v[i+1:]), strings.TrimSpace(v[:i])
		}
		v = strings.TrimSpace(v[:i])
	}
	parts := strings.Fields(v)
	switch len(parts) {
	case 0:
		return "", ""
	case 1:
		return parts[0], ""
	}
	return strings.Join(parts[:len(parts)-1], " "), parts[len(parts)-1]
}

// unknownName: a name field saying the writer does not know the name ("dont know his name", "Don't know",
// "not sure", "no idea", "name unknown") — no name, never a child called "Dont know his Name".
func unknownName(v string) bool {
	for _, w := range strings.Fields(strings.ToLower(v)) {
		switch strings.Trim(w, ".,;:!?()'’\"") {
		case "know", "known", "unknown", "unsure", "idea", "sure", "n/k":
			return true
		}
	}
	return false
}

func splitEntries(v string) []string {
	var out []string
	for _, e := range entrySplit.Split(v, -1) {
		e = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(e), "-*•0123456789.) "))
		if e != "" {
			out = append(out, e)
		}
	}
	return out
}

// parseHouseholdMember reads "Jane Smith (mother, 12/03/1988)", "Jane Smith - mother - DOB 12/03/1988" or
// "Jane Smith, mother".
func parseHouseholdMember(e string) (domain.HouseholdMember, bool) {
	var h domain.HouseholdMember
	if d, ok := findDate(e); ok {
		h.DateOfBirth = d
	}
	rest := dateRe.ReplaceAllString(e, "")
	rest = ageRe.ReplaceAllString(rest, "")
	name, rel := rest, ""
	if m := parenRe.FindStringSubmatch(rest); m != nil {
		name = rest[:strings.Index(rest, "(")]
		rel = m[1]
	} else if i := strings.Index(rest, " - "); i > 0 {
		name, rel = rest[:i], rest[i+3:]
	} else if i := strings.IndexByte(rest, ','); i > 0 {
		name, rel = rest[:i], rest[i+1:]
	}
	h.Name = cleanName(name)
	h.Relationship = strings.Trim(strings.Join(strings.Fields(strings.NewReplacer(",", " ", " - ", " ").Replace(rel)), " "), " -,.;")
	if h.Name == "" || len(h.Name) > 80 {
		return domain.HouseholdMember{}, false
	}
	return h, true
}

var prText = lazy(`(?i)\bPR\b|parental responsibility`)

// parseParent reads "Sarah Brown (mother, has PR)".
func parseParent(v string) domain.Parent {
	p := domain.Parent{Name: cleanName(v)}
	if m := parenRe.FindStringSubmatch(v); m != nil {
		inner := m[1]
		if prText.MatchString(inner) {
			l := strings.ToLower(inner)
			p.ParentalResponsibility = !strings.Contains(l, "no pr") && !strings.Contains(l, "without") && !strings.Contains(l, "not ")
			inner = prText.ReplaceAllString(inner, "")
			inner = regexp.MustCompile(`(?i)\b(?:has|with|no|without|not)\b`).ReplaceAllString(inner, "")
		}
		p.Relationship = strings.Trim(strings.Join(strings.Fields(inner), " "), " ,;-")
	}
	return p
}

func parentRelFromLabel(line string) string {
	l := strings.ToLower(line)
	switch {
	case strings.HasPrefix(strings.TrimSpace(l), "mother"):
		return "mother"
	case strings.HasPrefix(strings.TrimSpace(l), "father"):
		return "father"
	}
	return ""
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// valueLineAfter finds the line that holds the value of a label standing alone on line i: the next line, or
// the first line after it that is not blank, with at most two blank lines between. It returns that line's index and trimmed text,
// or false when the lines run out first.
func valueLineAfter(lines []string, i int) (int, string, bool) {
	j := i + 1
	for j < len(lines) && j <= i+2 && strings.TrimSpace(lines[j]) == "" {
		j++
	}
	if j >= len(lines) {
		return 0, "", false
	}
	return j, strings.TrimSpace(lines[j]), true
}
