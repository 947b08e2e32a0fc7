package email

import (
	"regexp"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/domain"
)

var (
	forwardMarker = lazy(`(?i)^[>\s]*(?:-{2,}\s*(?:forwarded message|original message)\s*-{2,}|begin forwarded message:?|_{10,})\s*$`)
	fwdHeader     = lazy(`(?i)^[>\s]*\**(from|sent|date|to|cc|subject)\**\s*:\s*(.*)$`)
	fwdSubject    = lazy(`(?i)^\s*(?:fwd?|fw)\s*:`)
)

// historyStart is the index of the first line of quoted or forwarded history in a body (len(lines) when
// there is none): a forward marker, an "On … wrote:" line, a line quoted with ">", or a "From:" header
// followed by "Sent:" or "Date:" within three lines.
func historyStart(lines []string) int {
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if t[0] == '>' || isForwardMarker(t) || strings.HasPrefix(t, "On ") && strings.HasSuffix(t, "wrote:") && len(t) < 220 {
			return i
		}
		if headerNamed(t, "from") {
			for j := i + 1; j < len(lines) && j <= i+3; j++ {
				if n := strings.TrimSpace(lines[j]); headerNamed(n, "sent") || headerNamed(n, "date") {
					return i
				}
			}
		}
	}
	return len(lines)
}

// numberedLineRe: a numbered line, "1) …", "2. …", "(3) …": group 1 the number, group 2 the rest.
var numberedLineRe = lazy(`^\s*\(?(\d{1,2})[.)]\s+(.+?)\s*$`)

// answeredQuestions: a reply that answers the quoted request's numbered questions by number ("1) Yes, she is safe
// to go home – …" above "> 1) Is Hana safe to go home tonight?"). Each numbered line of the newest message is
// given its question, when the question is the form's immediate-harm or consent question, so the form reads
// it as that question's answer. The text keeps its lines (the form remembers which line answered).
func answeredQuestions(text string, lines []string) string {
	newest := historyStart(lines)
	if newest >= len(lines) || !strings.Contains(text, "?") {
		return text
	}
	var questions map[string]string
	asked, only := 0, ""
	for _, l := range lines[newest:] {
		t := strings.TrimLeft(l, "> \t")
		if strings.HasSuffix(strings.TrimSpace(t), "?") {
			asked++
			only = strings.TrimSpace(t)
		}
		m := numberedLineRe.FindStringSubmatch(t)
		if m == nil || !strings.HasSuffix(m[2], "?") {
			continue
		}
		switch lookupLabel(strings.TrimRight(m[2], "?")) {
		case fImmediate, fSafeNow, fConsent, fInformed, fConsentSought, fRefusedQ, fWithoutQ:
			if questions == nil {
				questions = map[string]string{}
			}
			if _, seen := questions[m[1]]; !seen {
				questions[m[1]] = m[2]
			}
		}
	}
	if questions == nil {
		return oneQuestionAnswered(text, lines, newest, asked, only)
	}
	out := make([]string, len(lines))
	copy(out, lines)
	for i, l := range lines[:newest] {
		if m := numberedLineRe.FindStringSubmatch(l); m != nil && !strings.Contains(m[2], "?") {
			if q, ok := questions[m[1]]; ok {
				out[i] = q + " " + m[2]
			}
		}
	}
	return strings.Join(out, "\n")
}

// oneQuestionAnswered: a reply whose first line is a plain Yes or No ("No.", "Yes - he is back", "Yes she is")
// above quoted history that asks exactly one question, the form's immediate-harm or consent question ("> Is the
// child safe tonight?"): the answer is that question's. With more questions quoted, which one a bare Yes answers
// is not sure, and nothing is read.
func oneQuestionAnswered(text string, lines []string, newest, asked int, q string) string {
	if asked != 1 {
		return text
	}
	switch lookupLabel(strings.TrimRight(q, "?")) {
	case fImmediate, fSafeNow, fConsent, fInformed, fConsentSought, fRefusedQ, fWithoutQ:
	default:
		return text
	}
	for i, l := range lines[:newest] {
		t := strings.TrimSpace(l)
		if t == "" || greetingRe.MatchString(t) {
			continue
		}
		if _, isLabel := splitLabel(t); isLabel {
			continue // the reply's own form fields ("Child's name: …")
		}
		if !replyAnswerRe.MatchString(t) {
			return text
		}
		out := make([]string, len(lines))
		copy(out, lines)
		out[i] = q + " " + t
		return strings.Join(out, "\n")
	}
	return text
}

// greetingRe: a reply's greeting or thanks before its answer ("Hi Sam,", "Thanks for your email.").
var greetingRe = lazy(`(?i)^(?:hi|hello|hiya|dear|morning|afternoon|good\s+(?:morning|afternoon|evening)|thanks|thank\s+you|many\s+thanks)\b.{0,50}$`)

// replyAnswerRe: a reply's first line that is a plain answer: Yes or No alone, with its reason after a dash, or
// as a short sentence about the child ("Yes she is", "No, they are not").
var replyAnswerRe = lazy(`(?i)^(?:yes|no)(?:[\s.!]*$|\s*[-–—]\s*\S|[\s,]+(?:she|he|they|it|the\s+child|the\s+children)\s+(?:is|are|isn['’]?t|aren['’]?t|is\s+not|are\s+not|has|have|hasn['’]?t|haven['’]?t)\b)`)

// headerNamed says a trimmed line is a forwarded header block's "Name:" line (bold "*From:*" too); a cheap
// check before the expression (most lines are prose).
func headerNamed(t, name string) bool {
	t = strings.TrimLeft(t, "*")
	if len(t) <= len(name) || !strings.EqualFold(t[:len(name)], name) {
		return false
	}
	m := fwdHeader.FindStringSubmatch(t)
	return m != nil && strings.EqualFold(m[1], name)
}

// forward is one forwarded header block found in a body.
type forward struct {
	fromName, from string
	bodyStart      int // line index where the forwarded message's body begins
}

// findForwards finds forwarded header blocks: a marker line ("---------- Forwarded message ---------",
// "-----Original Message-----", "Begin forwarded message:", an Outlook rule) or, when the subject says
// Fw:/Fwd:, a bare "From: … Sent: …" block.
func findForwards(lines []string, subjectIsForward bool) []forward {
	var out []forward
	for i := 0; i < len(lines); i++ {
		start := -1
		if isForwardMarker(lines[i]) {
			start = i + 1
		} else if subjectIsForward {
			if m := fwdHeader.FindStringSubmatch(lines[i]); m != nil && strings.EqualFold(m[1], "from") {
				start = i
			}
		}
		if start < 0 {
			continue
		}
		// skip blank lines between marker and headers
		for start < len(lines) && strings.TrimSpace(strings.Trim(lines[start], ">")) == "" {
			start++
		}
		fw := forward{bodyStart: start}
		seen := 0
		j := start
		for ; j < len(lines); j++ {
			m := fwdHeader.FindStringSubmatch(lines[j])
			if m == nil {
				break
			}
			seen++
			if strings.EqualFold(m[1], "from") {
				fw.fromName, fw.from = parseAddress(strings.Replace(m[2], "[mailto:", "<", 1))
				fw.from = strings.TrimSuffix(fw.from, "]")
			}
		}
		if seen >= 2 && fw.from != "" {
			fw.bodyStart = j
			out = append(out, fw)
			i = j - 1
		}
	}
	return out
}

// professionalDomains maps a mail domain suffix to the kind of organisation it proves.
var professionalDomains = []struct{ suffix, org string }{
	{"nhs.net", "NHS"},
	{"nhs.uk", "NHS"},
	{"sch.uk", "School"},
	{"police.uk", "Police"},
	{"pnn.police.uk", "Police"},
	{"justice.gov.uk", "Probation"},
	{"cafcass.gov.uk", "Cafcass"},
	{"gov.uk", "Local authority"},
	{"ac.uk", "College"},
	{"mod.uk", "Armed forces"},
}

func orgFromDomain(dom string) (string, bool) {
	for _, p := range professionalDomains {
		if dom == p.suffix || strings.HasSuffix(dom, "."+p.suffix) {
			return p.org, true
		}
	}
	return "", false
}

var (
	phoneRe  = lazy(`(?:\+44\s?\(?0?\)?\s?|\b0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b`)
	nameLike = lazy(`^(?:(?:Dr|Mr|Mrs|Ms|Miss|Mx|PC|DC|PS|DS|Sgt|Revd?)\.?\s+)?[A-Z][\p{L}'’-]+(?:\s+[A-Z][\p{L}'’-]+){0,3}$`)
)

// signature reads the lines after the last sign-off ("Kind regards", "--") of a text: name, role,
// organisation, phone. Without a sign-off, the newest message's last paragraph is its signature when it is
// a name line followed by a role ("Dan Achterberg" / "Headteacher and DSL, Greenfields Primary School").
// The newest message (above any quoted or forwarded history) signs first: a DSL forwarding a school nurse's
// note signs above the nurse's "Thanks / Abi".
func signature(lines []string) (r domain.Referrer, roleSeen bool) {
	newest := historyStart(lines)
	last := -1
	for i, l := range lines[:newest] {
		if isSignOff(strings.TrimSpace(l)) {
			last = i
		}
	}
	sig := lines[last+1 : newest]
	if last < 0 {
		sig = unsignedSignature(lines, newest)
	}
	if sig == nil {
		for i, l := range lines[newest:] {
			if isSignOff(strings.TrimSpace(l)) {
				last = newest + i
			}
		}
		if last < 0 {
			return r, false
		}
		sig = lines[last+1:]
	}
	n := 0
	for _, l := range sig {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if isForwardMarker(l) || fwdHeader.MatchString(l) {
			break
		}
		n++
		if n > 7 {
			break
		}
		if strings.Contains(l, "@") && !strings.Contains(l, " ") {
			continue
		}
		if ph := phoneRe.FindString(l); ph != "" && r.Phone == "" {
			r.Phone = strings.TrimSpace(ph)
			continue
		}
		switch {
		case n == 1 && nameLike.MatchString(l) && !orgWords.match(l) && !roleWords.match(strings.TrimPrefix(l, "Dr ")):
			r.Name = l
		case n == 1 && nameLike.MatchString(l) && strings.HasPrefix(l, "Dr "):
			r.Name = l
			roleSeen = true
		case roleWords.match(l) && r.Role == "" && !orgWords.match(l):
			r.Role = l
			roleSeen = true
		case orgWords.match(l) && r.Organisation == "":
			// "Designated Safeguarding Lead, Oakfield Primary School": split role from organisation
			if i := strings.LastIndex(l, ","); i > 0 && roleWords.match(l[:i]) && r.Role == "" {
				r.Role = strings.TrimSpace(l[:i])
				roleSeen = true
				l = strings.TrimSpace(l[i+1:])
			}
			r.Organisation = l
		}
	}
	return r, roleSeen
}

// unsignedSignature is the last paragraph of the newest message (above any quoted or forwarded history) when
// it is two to five lines, the first a name and one of the others a role: nil otherwise.
func unsignedSignature(lines []string, end int) []string {
	for end > 0 && strings.TrimSpace(lines[end-1]) == "" {
		end--
	}
	start := end
	for start > 0 && strings.TrimSpace(lines[start-1]) != "" {
		start--
	}
	para := lines[start:end]
	if len(para) < 2 || len(para) > 5 {
		return nil
	}
	first := strings.TrimSpace(para[0])
	if !nameLike.MatchString(first) || orgWords.match(first) || roleWords.match(strings.TrimPrefix(first, "Dr ")) {
		return nil
	}
	for _, l := range para[1:] {
		if roleWords.match(l) {
			return para
		}
	}
	return nil
}

func inDomains(dom string, list []string) bool {
	for _, d := range list {
		d = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(d), "@"))
		if d != "" && (dom == d || strings.HasSuffix(dom, "."+d)) {
			return true
		}
	}
	return false
}

// extract fills the referrer, the form fields and the flags of m.
func extract(m *Message, env *envelope, opts Options) {
	lines := strings.Split(m.BodyText, "\n")

	// Forwarded messages: the referrer is the original sender when a colleague forwarded it.
	senderName, sender := m.FromName, m.From
	original := lines
	if fws := findForwards(lines, fwdSubject.MatchString(m.Subject)); len(fws) > 0 {
		m.Forwarded = true
		colleague := len(opts.ColleagueDomains) == 0 || inDomains(domainOf(m.From), opts.ColleagueDomains)
		if colleague {
			inner := fws[len(fws)-1]
			m.ForwardedBy = m.From
			senderName, sender = inner.fromName, inner.from
			original = lines[inner.bodyStart:]
		}
	}

	ref := opts.Received
	if ref.IsZero() {
		ref = m.Date
	}
	// Form fields: each attached form, then the body. An attachment's values are preferred to the body's.
	var parts []formPart
	var reads []domain.AttachmentRead
	var attachTexts []string
	for _, a := range m.Attachments {
		if a.Inline {
			continue
		}
		t, r := readAttachment(a)
		reads = append(reads, r)
		if r.Status == attachRead {
			t = splitRunLabels(t) // "Immediate risk of harm to the childrenNo immediate risk identified"
			parts = append(parts, formPart{source: "attachment: " + r.File, text: t})
			attachTexts = append(attachTexts, t)
		} else if r.Status == attachUnreadable || formKind(a) == "" {
			m.UnparsedAttachments = append(m.UnparsedAttachments, a.ContentType)
		}
	}
	parts = append(parts, formPart{source: "body", text: m.BodyText})
	for i := range parts[:len(parts)-1] {
		parts[i].fm = parseForm(parts[i].text, ref)
	}
	parts[len(parts)-1].fm = parseForm(answersUnder(answeredQuestions(m.BodyText, lines)), ref)
	body := parts[len(parts)-1].fm
	fm := body
	for _, p := range parts[:len(parts)-1] {
		if p.fm.fields > 0 {
			fm = p.fm // the referrer, parents and household of the attached form
			break
		}
	}

	// Referrer: form fields first, then the signature, then the sender's address and domain.
	sig, roleSeen := signature(original)
	r := fm.referrer
	fill := func(dst *string, vals ...string) {
		for _, v := range vals {
			if *dst == "" && strings.TrimSpace(v) != "" {
				*dst = strings.TrimSpace(v)
			}
		}
	}
	fill(&r.Email, sender)
	fill(&r.Name, senderName, sig.Name)
	fill(&r.Role, sig.Role)
	fill(&r.Phone, sig.Phone)
	dom := domainOf(r.Email)
	domOrg, profDomain := orgFromDomain(dom)
	if inDomains(dom, opts.ColleagueDomains) {
		profDomain = true
		fill(&domOrg, "Local authority")
	}
	fill(&r.Organisation, sig.Organisation, domOrg)
	m.Professional = profDomain || roleSeen || fm.referrer.Role != "" || fm.referrer.Organisation != ""
	r.Professional = m.Professional
	m.Referrer = r

	// Children, answers and where each was read.
	ks := gatherChildren(parts, m.Subject, ref)
	// A school's safeguarding lead or teacher referring one pupil without naming the school: the pupil's school
	// is the referrer's (never for two or more children, who may be at different schools).
	if len(ks) == 1 && ks[0].named() && ks[0].c.School == "" && schoolStaff(r.Role, r.Organisation) &&
		ownPupil(m.BodyText, ks[0].c, r.Organisation, ref) {
		ks[0].c.School = r.Organisation
		if seg, _, ok := strings.Cut(r.Organisation, ","); ok && schoolWords.match(seg) {
			ks[0].c.School = strings.TrimSpace(seg) // "Acorn Day Nursery, 4 Mill Road": the setting, not its address
		}
		ks[0].src["child.school"] = domain.FieldSource{Field: "child.school", Source: "signature", Confidence: domain.ConfidenceMedium}
	} else if len(ks) == 1 && ks[0].named() && ks[0].c.School == "" {
		// the same when the school is the line under the writer's school role, or the mailbox is the school's
		if sch := signatureSchool(m.BodyText, r.Role, r.Organisation, senderName); sch != "" && ownPupil(m.BodyText, ks[0].c, sch, ref) && !schoolNotKnownRe.MatchString(m.BodyText) && ageFitsSetting(ks[0].c, sch, ref) {
			ks[0].c.School = sch
			ks[0].src["child.school"] = domain.FieldSource{Field: "child.school", Source: "signature", Confidence: domain.ConfidenceMedium}
		}
	}
	hereSchool(ks, m.BodyText, r.Role, r.Organisation, senderName) // "Year 2 here", "Our pupils:": the writer's school, child by child
	newerSchool(ks, lines)                                         // a reply above the first referral: "started at … last week"
	schools11(ks, m.BodyText, attachTexts, ref)                    // "here at …", "… go there", "the two younger ones attend …", a short name (schools11.go)
	tidySchools(ks, m.BodyText)                                    // "Oakhurst Primary" → "Oakhurst Primary School"; "(Year 11)" dropped
	correctedDOB(ks, m.BodyText, ref)                              // "Apologies - wrong DOB … her date of birth is …": the corrected date
	var firstAddr string
	for _, p := range parts {
		for _, c := range p.fm.children {
			if firstAddr == "" {
				firstAddr = c.Address
			}
		}
	}
	for _, k := range ks {
		if k.c.Address == "" {
			k.c.Address = firstAddr // a household form gives the address once
		}
		m.Children = append(m.Children, k.c)
	}
	m.Parents = fm.parents
	m.Household = fm.household
	var common []domain.FieldSource
	harmSrc, consentSrc := "", ""
	if yes, src, conf := readHarm(parts, lines); src != "" {
		m.ImmediateHarm, harmSrc = yes, src
		common = append(common, domain.FieldSource{Field: "immediateHarm", Source: src, Confidence: conf})
	}
	for _, p := range parts {
		if p.fm.consent.Status != domain.ConsentUnknown && consentSrc == "" && !newerConsent(p, lines) {
			m.Consent, consentSrc = p.fm.consent, p.source
			common = append(common, domain.FieldSource{Field: "consent", Source: p.source, Confidence: domain.ConfidenceHigh})
		}
	}
	if consentSrc == "" {
		m.Consent = domain.Consent{Status: proseConsent(m.BodyText)}
		if m.Consent.Status != domain.ConsentUnknown {
			common = append(common, domain.FieldSource{Field: "consent", Source: "body", Confidence: domain.ConfidenceMedium})
		}
		for _, p := range parts[:len(parts)-1] {
			if m.Consent.Status != domain.ConsentUnknown {
				break
			}
			if st := proseConsent(unwrapLines(p.text)); st != domain.ConsentUnknown {
				m.Consent = domain.Consent{Status: st} // an attached letter's sentences
				common = append(common, domain.FieldSource{Field: "consent", Source: p.source, Confidence: domain.ConfidenceMedium})
			}
		}
	}
	for _, p := range parts {
		if len(p.fm.concerns) > 0 {
			m.Concerns = strings.Join(p.fm.concerns, "\n\n")
			break
		}
	}
	var unread []string
	for _, r := range reads {
		if r.Status == attachUnreadable {
			unread = append(unread, "attachment: "+r.File+" ("+r.Reason+")")
		}
	}
	if len(m.Children) == 0 {
		m.NeedsCompletion = true
		m.Children = []domain.Child{{}}
		ks = []*kid{{}}
		m.Concerns = m.BodyText
	} else if m.Concerns == "" {
		m.Concerns = strings.TrimSpace(strings.Join(original, "\n"))
	}
	if len(unread) > 0 {
		m.NeedsCompletion = true // the screener must open what could not be read
	}
	for _, k := range ks {
		if !k.named() || k.c.DateOfBirth.IsZero() || firstNameOnly(k.c) {
			m.NeedsCompletion = true // a child without a full name or a date of birth is completed by the screener
		}
	}
	for _, k := range ks {
		x := domain.Extraction{Fields: append(k.sources(), common...), Attachments: reads}
		if x.Fields == nil {
			x.Fields = []domain.FieldSource{}
		}
		if k.c.GivenName == "" && k.c.FamilyName == "" {
			x.Missing = append(x.Missing, "child.name")
		}
		if firstNameOnly(k.c) {
			x.Missing = append(x.Missing, "child.familyName") // "her brother Noël, who is 9": never a family name the email does not give
		}
		if k.c.DateOfBirth.IsZero() {
			x.Missing = append(x.Missing, "child.dateOfBirth")
		}
		if harmSrc == "" && !hasField(common, "immediateHarm") {
			x.Missing = append(x.Missing, "immediateHarm")
		}
		if m.Consent.Status == domain.ConsentUnknown {
			x.Missing = append(x.Missing, "consent")
		}
		x.Missing = append(x.Missing, unread...)
		m.Extractions = append(m.Extractions, x)
	}

	m.Flags = detectFlags(m.Subject + "\n" + m.BodyText + "\n" + strings.Join(attachTexts, "\n"))
	m.Flags.NeedsCompletion = m.NeedsCompletion
	if m.Flags.PPN {
		// Operation Encompass tells the school of the incident that happened (Portsmouth §4.9): its own date
		// and time where the notice says them; zero (the caller falls back to the arrival) where it does not.
		m.IncidentAt, _ = IncidentTime(m.BodyText+"\n"+strings.Join(attachTexts, "\n"), opts.Location, m.Received)
	}
}

// firstNameOnly reports a child read by a given name alone ("Jax, 6", "her brother Noël"): the family name is
// left empty rather than guessed from a parent's or a sibling's, and the screener completes it (the completion
// requires it, actions.CompleteChild).
func firstNameOnly(c domain.Child) bool { return c.GivenName != "" && c.FamilyName == "" }

// readHarm reads immediate harm: an attached form's answer; else the newest message of the body (above any
// quoted or forwarded history), its labelled answer before its sentences; else the history the same way. An
// update written above the original referral ("they are now in immediate danger") is what holds now. src is
// "" when nothing says.
func readHarm(parts []formPart, lines []string) (yes bool, src string, conf domain.Confidence) {
	newest := historyStart(lines)
	body := parts[len(parts)-1].fm
	for _, p := range parts[:len(parts)-1] {
		if p.fm.harmKnown {
			return p.fm.immediate, p.source, domain.ConfidenceHigh
		}
	}
	if body.harmKnown && body.harmLine < newest {
		return body.immediate, "body", domain.ConfidenceHigh
	}
	if yes, known := proseHarm(strings.Join(lines[:newest], "\n")); known {
		return yes, "body", domain.ConfidenceMedium
	}
	if body.harmKnown {
		return body.immediate, "body", domain.ConfidenceHigh
	}
	if yes, known := proseHarm(strings.Join(lines[newest:], "\n")); known {
		return yes, "body", domain.ConfidenceMedium
	}
	for _, p := range parts[:len(parts)-1] {
		if yes, known := proseHarm(unwrapLines(p.text)); known {
			return yes, p.source, domain.ConfidenceMedium // an attached letter's sentences
		}
	}
	return false, "", ""
}

func hasField(fs []domain.FieldSource, f string) bool {
	for _, x := range fs {
		if x.Field == f {
			return true
		}
	}
	return false
}

var (
	ppnRe     = lazy(`(?i)\bPPN\d?\b|\bpublic protection notice\b|\bpolice protection notice\b`)
	daRe      = lazy(`(?i)\bdomestic (?:abuse|violence|incident)\b|\bcoercive(?: and)? control(?:ling)?\b|\bMARAC\b|\bDASH risk\b|\bDA incident\b`)
	ladoRe    = lazy(`(?i)\bLADO\b|\ballegations? (?:has been made |have been made |made )?(?:against|about|concerning|involving) (?:a |an |the |our |his |her |their |one of our )?(?:member of staff|staff member|staff|teacher|teaching assistant|TA|foster carer|childminder|child minder|coach|youth worker|nursery worker|carer|volunteer|tutor|support worker|residential worker|minibus driver|professional)\b|\bposition of trust\b`)
	preventRe = lazy(`\bPrevent (?:referral|concern|concerns|duty|team|lead|officer|coordinator|co-ordinator|form)\b|\b(?:PREVENT|Channel panel|Channel referral)\b|(?i:\bradicali[sz](?:ation|ed|ing)\b|\bextremis[tm]\b|\bextremist\b|\bcounter[- ]terrorism\b)`)
	negRe     = lazy(`(?i)(?:\b(?:no|not|nor|never|without|denies|denied|ruled out|unrelated to)\b|n['’]t\b)[^.!?\n]*$`)
)

// detectFlags sets routing flags from keywords, conservatively: a keyword preceded closely (five words) by a
// negation ("no domestic abuse reported") does not count. No pattern spans a line, so each runs only on the
// lines that hold one of its literal words (a cheap pre-filter: the expressions over the whole text were
// most of extraction's time).
func detectFlags(text string) domain.Flags {
	var f domain.Flags
	for rest := text; rest != ""; {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		lower := strings.ToLower(line)
		has := func(words ...string) bool {
			for _, w := range words {
				if strings.Contains(lower, w) {
					return true
				}
			}
			return false
		}
		f.PPN = f.PPN || has("ppn", "protection notice") && found(ppnRe.get(), line)
		f.DomesticAbuse = f.DomesticAbuse || has("domestic", "coercive", "marac", "dash", "da incident") && found(daRe.get(), line)
		f.AllegationAgainstProfessional = f.AllegationAgainstProfessional || has("lado", "allegation", "position of trust") && found(ladoRe.get(), line)
		f.Radicalisation = f.Radicalisation || has("prevent", "channel", "radicali", "extremis", "terroris") && found(preventRe.get(), line)
	}
	return f
}

func found(re *regexp.Regexp, text string) bool {
	for _, loc := range re.FindAllStringIndex(text, -1) {
		start := loc[0] - 30 // about five words
		if start < 0 {
			start = 0
		}
		before := text[start:loc[0]]
		if i := strings.LastIndexAny(before, ".!?\n"); i >= 0 {
			before = before[i+1:]
		}
		if !negRe.MatchString(before) {
			return true
		}
	}
	return false
}

var schoolRoles = phrases{"designated safeguarding lead", "dsl", "ddsl", "safeguarding lead", "head teacher",
	"headteacher", "head of year", "deputy head", "assistant head", "teacher", "teaching assistant", "senco",
	"pastoral", "attendance", "learning mentor", "head of school", "principal"}

// schoolStaff: the referrer works at a school named in the signature (a school nurse or a cluster's worker
// covers several schools and is not). An organisation in brackets is an aside — a second job ("(Day job:
// Teaching Assistant, Copnor Primary School)" under "Designated Safeguarding Lead, Northwood Masjid Madrasa") —
// not where the role is held.
// notOwnPupilRe: the email says the child is not the school's pupil ("not at our school", "the younger brother of
// one of our pupils", "our pupil told us about her little brother", "left us in July", "my neighbour's son").
var notOwnPupilRe = lazy(`(?i)\bnot\s+(?:at|on\s+roll\s+at|one\s+of|a\s+pupil\s+(?:at|of))\s+(?:our|this|the)\b|\bnot\s+on\s+(?:our\s+)?roll\b|\b(?:brother|sister|sibling|cousin)\s+of\s+(?:one\s+of\s+)?our\b|\bour\s+(?:year\s+\d{1,2}\s+|former\s+|ex-?)?(?:pupil|student)s?\s+(?:told|said|disclosed|mentioned|reported)\b|\b(?:left|leaves|has\s+left)\s+(?:us|our\s+school|the\s+school)\b|\b(?:my|our)\s+(?:neighbour|friend|relative|cousin|nephew|niece)(?:['’]s)?\b|\bformer\s+pupil\b`)

// ownPupil: a school's staff referring one child refer their own pupil, unless the email says otherwise or the
// child is too young for a school that is not a nursery (under 4 on the day).
func ownPupil(text string, c domain.Child, school string, ref time.Time) bool {
	if notOwnPupilRe.MatchString(text) {
		return false
	}
	if !c.DateOfBirth.IsZero() && c.DateOfBirth.Time(time.UTC).AddDate(4, 0, 0).After(ref) && !containsAny(strings.ToLower(school), []string{"nursery", "pre-school", "preschool", "early years", "children's centre"}) {
		return false // a baby or a toddler is no pupil of an academy
	}
	return true
}

func schoolStaff(role, org string) bool {
	l := strings.ToLower(role + " " + org)
	return role != "" && !strings.HasPrefix(strings.TrimSpace(org), "(") && len(strings.Fields(org)) >= 2 && schoolRoles.match(role) && schoolWords.match(org) &&
		!strings.Contains(strings.ReplaceAll(l, "nursery", ""), "nurse") && !strings.Contains(org, " and ") && !strings.Contains(l, "cluster") && !strings.Contains(l, "trust")
}
