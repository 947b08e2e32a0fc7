package notify

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
)

// Composer builds messages. It knows nothing of the store or the sender.
type Composer struct {
	// ConsoleURL is the console's base URL; links are <ConsoleURL>/contacts/<id>. Required for the
	// professional kinds.
	ConsoleURL string
	// Now stamps CreatedAt; when nil, CreatedAt stays zero and the store sets it.
	Now func() time.Time
}

// message is what a kind says, rendered the same way into text and HTML.
type message struct {
	To      []string
	Cc      []string
	Subject string
	Notes   []string // first lines for the MASH inbox when it stands in for a missing address
	Lead    string
	Facts   []fact
	Paras   []string
	Link    string
	LinkFor string
	Sign    string
}

type fact struct{ Label, Value string }

// fact adds a fact that has a value (none for an empty one: an Extra not given, a deadline not set).
func (m *message) fact(label, value string) {
	if value != "" {
		m.Facts = append(m.Facts, fact{label, value})
	}
}

// Compose builds the notification of a kind about a contact. Errors: an unknown kind or a fact the kind
// needs that is missing (an outcome for feedback, a console URL) is invalid; an Encompass school address
// outside the policy's allowed domains is forbidden. The id is deterministic (NotificationID).
func (cm Composer) Compose(kind Kind, p *policy.Policy, c *domain.Contact, extra Extra) (store.Notification, error) {
	if p == nil || c == nil {
		return store.Notification{}, domain.Errorf(domain.CodeInvalid, "compose %s: policy and contact are required", kind)
	}
	if extra == nil {
		extra = Extra{}
	}
	b := builder{cm: cm, p: p, c: c, x: extra, loc: location(p)}
	k, ok := kindBuilders[kind]
	if !ok {
		return store.Notification{}, &domain.Error{Code: domain.CodeInvalid, Message: "compose",
			Fields: []domain.FieldError{{Field: "kind", Message: "is not a known notification kind"}}}
	}
	m, err := k.build(b)
	if err != nil {
		return store.Notification{}, err
	}
	var parts []string
	if k.idParts != nil {
		parts = k.idParts(extra)
	}
	id := NotificationID(c.ID, kind, parts...)
	if len(m.To) == 0 {
		return store.Notification{}, &domain.Error{Code: domain.CodeInvalid, Message: "compose " + string(kind),
			Fields: []domain.FieldError{{Field: "contacts.mashInbox.email", Message: "is required to address this message"}}}
	}
	m.Sign = b.signature()
	text, html, err := render(m)
	if err != nil {
		return store.Notification{}, &domain.Error{Code: domain.CodeInternal, Message: "render " + string(kind), Err: err}
	}
	n := store.Notification{ID: id, ContactID: c.ID, Authority: c.Authority, Kind: string(kind), To: m.To, Cc: m.Cc,
		Subject: m.Subject, Text: text, HTML: html}
	if cm.Now != nil {
		n.CreatedAt = cm.Now().UTC()
	}
	return n, nil
}

// kindBuilders are each kind's message and the Extra parts of its notification id (NotificationID; without
// idParts, one notification per contact and kind).
var kindBuilders = map[Kind]struct {
	build   func(builder) (message, error)
	idParts func(Extra) []string
}{
	KindAcknowledgement: {build: builder.acknowledgement},
	KindEDTNow:          {build: builder.edtNow},
	KindEscalation: {build: builder.escalation, idParts: func(x Extra) []string {
		return []string{x[ExtraTray], x[ExtraAgency], x[ExtraStage], x[ExtraDueAt], x[ExtraAt]}
	}},
	KindCheckRequest: {build: builder.checkRequest, idParts: func(x Extra) []string {
		key := x[ExtraCheck]
		if key == "" {
			key = x[ExtraAgency]
		}
		return []string{key, x[ExtraStage], x[ExtraAt]}
	}},
	KindFeedback: {build: builder.feedback},
	KindStrategy: {build: builder.strategy},
	KindLADO:     {build: builder.lado},
	KindChannel:  {build: builder.channel},
	// A school picked after the first notice went to the Encompass lead is a new message.
	KindEncompass:        {build: builder.encompass, idParts: func(x Extra) []string { return []string{x[ExtraSchoolURN]} }},
	KindForwarded:        {build: builder.forwarded},
	KindConsentRequest:   {build: builder.consentRequest},
	KindWrittenFormChase: {build: builder.writtenFormChase},
	KindRiskRaised:       {build: builder.riskRaised, idParts: func(x Extra) []string { return []string{x[ExtraCheck], x[ExtraStage]} }},
	KindHousingProtocol:  {build: builder.housingProtocol},
}

type builder struct {
	cm  Composer
	p   *policy.Policy
	c   *domain.Contact
	x   Extra
	loc *time.Location
}

// locations caches time.LoadLocation by policy timezone name: LoadLocation reads and parses the zoneinfo
// on every call, and a Lambda composes many messages in the same few zones. Failed lookups are not cached
// (they fall back to UTC, as before).
var locations sync.Map // string -> *time.Location

func location(p *policy.Policy) *time.Location {
	if p.Timezone == "" {
		return time.UTC
	}
	if loc, ok := locations.Load(p.Timezone); ok {
		return loc.(*time.Location)
	}
	loc, err := clock.LoadLocation(p.Timezone)
	if err != nil {
		return time.UTC
	}
	locations.Store(p.Timezone, loc)
	return loc
}

// ref is the contact's reference, or its id before one was given.
func (b builder) ref() string {
	if b.c.Reference != "" {
		return string(b.c.Reference)
	}
	return string(b.c.ID)
}

func (b builder) subject(what string) string { return "MASH contact " + b.ref() + ": " + what }

func (b builder) when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(b.loc).Format("Monday 2 January 2006 at 15:04 MST") // the zone: GMT or BST
}

func (b builder) day(t time.Time) string { return t.In(b.loc).Format("Monday 2 January 2006") }

// due is the deadline a message is about: Extra dueAt, else the contact's deadline for the rule.
func (b builder) due(rule string) time.Time {
	if s := b.x[ExtraDueAt]; s != "" {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t
		}
	}
	if rule != "" {
		return b.c.Deadlines[rule]
	}
	return time.Time{}
}

func (b builder) link() (string, error) {
	if l := b.x[ExtraLink]; l != "" && safeLink(l) {
		return l, nil // a single-use link of its own (an Encompass DSL's acknowledgement link)
	}
	base := strings.TrimRight(b.cm.ConsoleURL, "/")
	if base == "" {
		return "", &domain.Error{Code: domain.CodeInvalid, Message: "compose",
			Fields: []domain.FieldError{{Field: "consoleURL", Message: "is required for messages that link to the console"}}}
	}
	l := base + "/contacts/" + string(b.c.ID)
	if !safeLink(l) {
		return "", &domain.Error{Code: domain.CodeInvalid, Message: "compose",
			Fields: []domain.FieldError{{Field: "consoleURL", Message: "must be an http or https URL"}}}
	}
	return l, nil
}

func (b builder) inbox() string { return b.p.Contacts.MASHInbox.Email }

// addr returns the contact's address, or the MASH inbox with a note saying why.
func (b builder) addr(m *message, ct policy.Contact, missing string) {
	if ct.Email != "" {
		m.To = []string{ct.Email}
		return
	}
	if b.inbox() != "" {
		m.To = []string{b.inbox()}
	}
	m.Notes = append(m.Notes, missing)
}

// professional builds the common frame of a content-by-ID/link message, with its paragraphs.
func (b builder) professional(what, lead string, paras ...string) (message, error) {
	l, err := b.link()
	if err != nil {
		return message{}, err
	}
	return message{Subject: b.subject(what), Lead: lead, Paras: paras, Link: l, LinkFor: "Open contact " + b.ref() + " in the MASH console",
		Facts: []fact{{"Reference", b.ref()}, {"Received", b.when(b.c.ReceivedAt)}}}, nil
}

// referrer addresses a referrer message: the police mailbox for a PPN, the referrer's email, or the MASH
// inbox asked to pass it on.
func (b builder) referrer(m *message) {
	if b.c.Channel == domain.ChannelPPN {
		b.addr(m, b.p.Contacts.PoliceMailbox, "The policy has no police mailbox: please pass this acknowledgement to the police by phone.")
		return
	}
	b.addr(m, policy.Contact{Email: b.c.Referrer.Email}, "The referrer has no email address on record: please give them this message by phone or post.")
}

func (b builder) signature() string {
	s := b.p.Name + " Multi-Agency Safeguarding Hub (MASH)"
	if ph := b.p.Contacts.MASHInbox.Phone; ph != "" {
		s += ", telephone " + ph
	}
	return s + ". Reply to this message to reach the MASH; please quote the reference."
}

func (b builder) acknowledgement() (message, error) {
	m := message{Subject: b.subject("received"),
		Lead:  "Thank you. The MASH has received your contact and given it a reference number.",
		Facts: []fact{{"Reference", b.ref()}, {"Received", b.when(b.c.ReceivedAt)}}}
	if b.c.Flags.HarmNotNamed && b.c.HarmPrompt != "" {
		// Portsmouth §2.6: the contact names the harm, not a label; the policy's words ask for it.
		m.Paras = append(m.Paras, "Your contact does not yet describe the harm to the child. "+b.c.HarmPrompt+
			" Please reply to this message with it, quoting the reference.")
	}
	m.Paras = append(m.Paras, "What happens next: a MASH manager screens the contact and decides the next step. "+
		"Partner agencies may be asked what they know.")
	// Arrived while the MASH is closed: when it opens, and who to phone before then (e.g. Hackney §9). A
	// contact saying a child is at risk of immediate harm is not left until then: the EDT is told now (out of
	// hours, shared/ooh) or a MASH manager at once (in hours, Hackney §4(1)), and the referrer is told so —
	// the message said only that the MASH would look at it when it opened, days later at a weekend.
	cal, err := b.p.Calendar()
	closed := err == nil && !b.c.ReceivedAt.IsZero() && !cal.IsOpen(b.c.ReceivedAt)
	switch {
	case closed && b.c.ImmediateHarm:
		s := "You told us a child is at risk of immediate harm. The MASH is closed now, so the Emergency Duty Team has been told at once; the MASH will also look at your contact when it opens, on " +
			b.when(cal.NextOpening(b.c.ReceivedAt)) + "."
		if ph := b.p.Contacts.EDT.Phone; ph != "" {
			s += " To speak to the Emergency Duty Team, phone " + ph + "."
		}
		m.Paras = append(m.Paras, s)
	case closed:
		s := "The MASH is closed now: it will look at your contact when it opens, on " + b.when(cal.NextOpening(b.c.ReceivedAt)) + "."
		if ph := b.p.Contacts.EDT.Phone; ph != "" {
			s += " If a child needs help before then, phone the Emergency Duty Team on " + ph + "."
		}
		m.Paras = append(m.Paras, s)
	case b.c.ImmediateHarm:
		m.Paras = append(m.Paras, "You told us a child is at risk of immediate harm: a MASH manager is told at once.")
	}
	if b.p.Feedback.Required {
		s := "You will be told the outcome"
		if b.p.Feedback.InWriting {
			s += " in writing"
		}
		if r, ok := b.p.Deadline(b.p.Feedback.Rule); ok && b.p.Feedback.Rule != "" {
			if d := describeRule(r.Unit, r.Amount); d != "" {
				s += " " + d + " of the decision"
			}
		}
		m.Paras = append(m.Paras, s+".")
	}
	m.Paras = append(m.Paras, "If you believe a child is in immediate danger, call 999.",
		"Please quote the reference in any message about this contact.")
	b.referrer(&m)
	return m, nil
}

func (b builder) edtNow() (message, error) {
	m, err := b.professional("immediate harm, EDT to act now",
		"A contact arrived while the MASH is closed and needs the Emergency Duty Team now (immediate harm or Red).",
		"Please open the contact, act on it, and record what you did on the contact.")
	if err != nil {
		return m, err
	}
	if ph := b.p.Contacts.EDT.Phone; ph != "" && b.p.Contacts.EDT.Email != "" {
		m.Paras = append(m.Paras, "If this mailbox is not watched right now, phone the Emergency Duty Team on "+ph+".")
	}
	note := "The policy has no EDT email address: please phone the Emergency Duty Team now"
	if ph := b.p.Contacts.EDT.Phone; ph != "" {
		note += " on " + ph
	}
	b.addr(&m, b.p.Contacts.EDT, note+".")
	return m, nil
}

// noEncompassLead is the note for the MASH inbox when the policy has no Operation Encompass lead.
const noEncompassLead = "The policy has no Operation Encompass lead: please pass this to the Encompass lead."

var stageWords = map[string]string{
	"unclaimed": "half the time has gone and nobody has picked the item up",
	"overdue":   "the deadline has passed",
}

func (b builder) escalation() (message, error) {
	tray := b.x[ExtraTray]
	what := "escalation"
	if tray != "" {
		what += " (" + tray + ")"
	}
	lead, para, to, miss := "A MASH deadline needs the service manager's attention.",
		"Please make sure the item is picked up and record the reason for any delay on the contact.", &b.p.Contacts.ServiceManager,
		"The policy has no service manager address: please pass this to the MASH service manager."
	if tray == string(domain.TrayEncompassAck) {
		// The school's DSL has not acknowledged an Encompass notice by the deadline: the Encompass lead.
		lead, para, to = "Operation Encompass: the school's Designated Safeguarding Lead has not acknowledged the notice of "+
			"a police incident before the start of the school day.", "As Encompass lead, please log in, contact the "+
			"school's DSL or deputy today and make sure the school knows, then record what you did on the contact.",
			&b.p.Contacts.EncompassLead
		miss = noEncompassLead
	}
	m, err := b.professional(what, lead, para)
	if err != nil {
		return m, err
	}
	m.fact("Tray", tray)
	m.fact("Agency", b.x[ExtraAgency])
	if st := b.x[ExtraStage]; st != "" {
		w := stageWords[st]
		if w == "" {
			w = st
		}
		m.Facts = append(m.Facts, fact{"Stage", w})
	}
	m.fact("Due", b.when(b.due("")))
	b.addr(&m, *to, miss)
	return m, nil
}

func (b builder) checkRequest() (message, error) {
	agency := domain.Agency(b.x[ExtraAgency]).Words()
	what, lead := "check request ("+agency+")", "The MASH asks your agency what it knows about the child and family in this contact (MASH check)."
	if b.x[ExtraStage] == "chase" {
		what, lead = "REMINDER: check overdue ("+agency+")", "Reminder: the MASH check asked of your agency is past its deadline. Please answer now."
	}
	// The answer link needs no account: telling the agency to log in sent it looking for one it does not have.
	action := "Please log in to read the details and record your agency's answer by the time above. "
	if b.x[ExtraLink] != "" {
		action = "Open the link below to read the details and record your agency's answer by the time above: no " +
			"account is needed, and the link works once, so open it when you are ready to answer. "
	}
	m, err := b.professional(what, lead, action+"If your information suggests the risk is higher than rated, say so in the answer.")
	if err != nil {
		return m, err
	}
	if l := b.x[ExtraLink]; l != "" {
		if !safeLink(l) {
			return message{}, &domain.Error{Code: domain.CodeInvalid, Message: "compose " + string(KindCheckRequest),
				Fields: []domain.FieldError{{Field: ExtraLink, Message: "must be an http or https URL"}}}
		}
		m.Link, m.LinkFor = l, "Answer the check for "+b.ref()
	}
	m.Facts = append(m.Facts, fact{"Agency", agency})
	if r := b.c.Rating; r != nil && r.Value != "" {
		// how urgent the MASH judged it, which is why the answer is due when it is (the rating's checks window)
		v := string(r.Value)
		m.fact("MASH rating", strings.ToUpper(v[:1])+v[1:])
	}
	m.fact("Answer by", b.when(b.due("")))
	if sum := b.p.ConcernsSummary(b.c); sum != "" {
		// Barnet "What are my responsibilities": the request contains a summary of the referral concerns (in
		// the body only: the subject carries the reference and the agency, never personal data).
		m.Facts = append(m.Facts, fact{"Summary of the referral concerns", sum})
	}
	// The agency's MASH desk when the policy has its mailbox (shared/directory.CheckRecipient); otherwise the
	// MASH inbox's partner desk forwards the request.
	desk := policy.Contact{Name: b.x[ExtraAgencyDesk], Email: strings.TrimSpace(b.x[ExtraAgencyEmail])}
	if desk.Email != "" {
		if _, ok := domain.EmailAddress(desk.Email); !ok {
			return message{}, &domain.Error{Code: domain.CodeInvalid, Message: "compose " + string(KindCheckRequest),
				Fields: []domain.FieldError{{Field: ExtraAgencyEmail, Message: "is not one email address"}}}
		}
	}
	if ph := b.x[ExtraAgencyPhone]; ph != "" && desk.Email != "" {
		m.Paras = append(m.Paras, "If the request needs discussing, the MASH rings your desk on "+ph+
			"; please quote the reference.")
	}
	b.addr(&m, desk, "For the MASH partner desk: no mailbox is on record for this agency ("+agency+
		"); please forward this request to the agency's MASH contact.")
	return m, nil
}

func (b builder) outcomeTerm() (string, error) {
	o := b.c.Outcome
	if o == nil {
		return "", &domain.Error{Code: domain.CodeInvalid, Message: "compose feedback",
			Fields: []domain.FieldError{{Field: "outcome", Message: "is required to tell the referrer the outcome"}}}
	}
	// The term the manager recorded, when it is one of the authority's words for this outcome (an
	// authority may have several); else the policy's first term for the code.
	if code, ok := b.p.OutcomeCode(o.AuthorityTerm); ok && code == o.Code {
		return o.AuthorityTerm, nil
	}
	if t, ok := b.p.OutcomeTerm(o.Code); ok {
		return t, nil
	}
	if o.AuthorityTerm != "" {
		return o.AuthorityTerm, nil
	}
	return string(o.Code), nil
}

func (b builder) feedback() (message, error) {
	term, err := b.outcomeTerm()
	if err != nil {
		return message{}, err
	}
	m := message{Subject: b.subject("outcome"),
		Lead:  "The MASH has made its decision about the contact you made.",
		Facts: []fact{{"Reference", b.ref()}, {"Received", b.when(b.c.ReceivedAt)}, {"Outcome", term}}}
	if !b.c.Outcome.At.IsZero() {
		m.Facts = append(m.Facts, fact{"Decided", b.when(b.c.Outcome.At)})
	}
	m.Paras = []string{"If you have new information, or you disagree with the decision, reply to this message " +
		"quoting the reference.", "If you believe a child is in immediate danger, call 999."}
	b.referrer(&m)
	return m, nil
}

func (b builder) strategy() (message, error) {
	// "by the time above" only when there is one: only some authorities have a strategy.red timescale
	// (Northamptonshire §7: 1 hour); elsewhere the message pointed at a time it did not give.
	hold := b.when(b.due(policy.RuleStrategyRed))
	ask := "Please log in to read the details and join the strategy discussion as soon as possible."
	if hold != "" {
		ask = "Please log in to read the details and join the strategy discussion by the time above."
	}
	m, err := b.professional("strategy discussion",
		"A strategy discussion is needed between children's social care (CSC), Health and Police.", ask)
	if err != nil {
		return m, err
	}
	m.fact("Hold by", hold)
	if r := b.x[ExtraRating]; r != "" {
		m.Facts = append(m.Facts, fact{"Rating", r})
	} else if r := b.c.Rating; r != nil {
		m.Facts = append(m.Facts, fact{"Rating", string(r.Value)})
	}
	m.Facts = append(m.Facts, fact{"Invited", "Children's social care (CSC), Health, Police"})
	// CSC is the MASH itself; each partner with an address in the policy (its MASH desk, or for the police
	// the police mailbox) is invited directly, and the MASH inbox is asked to invite any partner without one.
	if ct := b.p.Contacts.MASHInbox; ct.Email != "" {
		m.To = append(m.To, ct.Email)
	}
	for _, a := range []struct {
		agency   domain.Agency
		name     string
		fallback policy.Contact
	}{{domain.AgencyPolice, "Police", b.p.Contacts.PoliceMailbox}, {domain.AgencyHealth, "Health", policy.Contact{}}} {
		email := b.p.Contacts.AgencyDesks[a.agency].Email
		if email == "" {
			email = a.fallback.Email
		}
		if email == "" {
			m.Notes = append(m.Notes, "No "+a.name+" address is on record for strategy discussions: MASH inbox, please invite "+a.name+".")
			continue
		}
		if !containsFold(m.To, email) {
			m.To = append(m.To, email)
		}
	}
	return m, nil
}

func (b builder) lado() (message, error) {
	m, err := b.professional("LADO referral",
		"A contact includes an allegation against a person who works with children and is referred to the LADO.",
		"Please log in to read the details and record the LADO's decision on the contact.")
	if err != nil {
		return m, err
	}
	m.fact("Refer by", b.when(b.due(policy.RuleLADO)))
	b.addr(&m, b.p.Contacts.LADO, "The policy has no LADO address: please pass this to the LADO.")
	return m, nil
}

func (b builder) channel() (message, error) {
	m, err := b.professional("Prevent / Channel referral",
		"A contact raises a radicalisation concern for the Counter Terrorism Policing gateway and the Channel panel.",
		"Please log in to read the details and record the panel's decision on the contact.")
	if err != nil {
		return m, err
	}
	b.addr(&m, b.p.Contacts.Channel, "The policy has no Channel address: please pass this to the Prevent / Channel lead.")
	return m, nil
}

func (b builder) encompass() (message, error) {
	l, err := b.link()
	if err != nil {
		return message{}, err
	}
	incident := b.c.ReceivedAt
	if !b.c.IncidentAt.IsZero() {
		incident = b.c.IncidentAt // the PPN's own incident time, not when the MASH received it
	}
	if s := b.x[ExtraIncidentAt]; s != "" {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			incident = t
		} else if t, err := time.ParseInLocation(time.DateOnly, s, b.loc); err == nil {
			incident = t
		}
	}
	m := message{Subject: "Operation Encompass " + b.ref() + ": notification",
		Lead:    "Operation Encompass: the police attended an incident at which a child on your school's roll was present.",
		Facts:   []fact{{"Reference", b.ref()}, {"Date of the incident", b.day(incident)}, {"Time of the incident", incident.In(b.loc).Format("15:04 MST")}},
		Link:    l,
		LinkFor: "Open the notification " + b.ref(),
		Paras: []string{"The Designated Safeguarding Lead is asked to open the link below before the start of the school " +
			"day: it shows what the school needs to know and records that you have read it (no account is needed; the " +
			"link works once). If it is not acknowledged by then, the council's Operation Encompass lead is told. Do " +
			"not forward this message."}}
	m.fact("Read before", b.when(b.due(policy.RuleEncompass)))
	school := encompassSchool(b.c, b.x)
	if name := b.x[ExtraSchoolName]; name != "" && school != "" {
		m.Facts = append(m.Facts, fact{"School", name + urnSuffix(b.x[ExtraSchoolURN])})
	}
	switch {
	case school != "" && b.p.SchoolEmailAllowed(school):
		m.To = []string{school}
		if cc := strings.TrimSpace(b.x[ExtraSchoolCc]); cc != "" && b.p.SchoolEmailAllowed(cc) && !strings.EqualFold(cc, school) {
			m.Cc = []string{cc}
		}
	case school != "":
		// Not one address at a school domain of the policy (off the allow-list, a list, a line break): never
		// sent there, and never a failure of the contact's workflow (issue #13). The Encompass lead is told
		// why and passes it on; the address itself is not repeated.
		m.Lead = "Operation Encompass: the police attended an incident at which a child was present. The school " +
			"address on record is not a single address at one of the council's school domains (schools.allowedDomains), " +
			"so this notice was not sent to it."
		m.Paras = []string{"As Encompass lead, please log in, confirm the school's Designated Safeguarding Lead and make " +
			"sure they are told before the start of the next school day. Do not forward this message."}
		b.addr(&m, b.p.Contacts.EncompassLead, noEncompassLead)
		m.Notes = append(m.Notes, "Sent to the Encompass lead: the school address given was refused (not on the school allow-list).")
	default:
		// Home-educated or unknown school: the local authority's Encompass lead.
		m.Lead = "Operation Encompass: the police attended an incident at which a child was present whose school is unknown " +
			"or who is educated at home."
		m.Paras = []string{"As Encompass lead, please log in, identify the school or the home-education support, and " +
			"make sure they are told before the start of the next school day."}
		if why, ok := encompassLeadWhy[b.x[ExtraSchoolMatch]]; ok {
			m.Lead = "Operation Encompass: the police attended an incident at which a child was present; " + why
		}
		if name := b.x[ExtraSchoolName]; name != "" {
			m.Facts = append(m.Facts, fact{"School on record", name + urnSuffix(b.x[ExtraSchoolURN])})
		}
		if cands := strings.TrimSpace(b.x[ExtraCandidates]); cands != "" {
			m.Paras = append(m.Paras, "Candidate schools from the directory (best first):")
			for _, line := range strings.Split(cands, "\n") {
				if line = strings.TrimSpace(line); line != "" {
					m.Paras = append(m.Paras, "- "+line)
				}
			}
		}
		if b.x[ExtraSchoolMatch] == "under-school-age" {
			m.Paras = []string{"There is no school to tell. As Encompass lead, please log in and decide whether an early " +
				"years setting or the family's health visitor, if one is known, should know."}
		}
		if _, ok := encompassLeadWhy[b.x[ExtraSchoolMatch]]; ok && b.x[ExtraSchoolMatch] != "home-educated" && b.x[ExtraSchoolMatch] != "under-school-age" {
			// In the Encompass lead's words: the console's contact page asks the school's URN (an API call is for
			// tools, not for the lead reading this).
			m.Paras = append(m.Paras, "Open the notification below and give the school's URN where the page asks for it "+
				"(the school directory in the MASH console finds it): the notice then goes to the school's DSL at once.")
		}
		b.addr(&m, b.p.Contacts.EncompassLead, noEncompassLead)
	}
	return m, nil
}

func (b builder) forwarded() (message, error) {
	why := "The child is open to a worker: the contact is forwarded to the allocated worker."
	if b.c.Outcome != nil && b.c.Outcome.Code == domain.OutcomeThreeMonthRule {
		why = "The child's case closed within the last three months: the contact goes back to the unit that closed it."
	}
	m, err := b.professional("forwarded", why, "Please log in to read the contact and record what you will do.")
	if err != nil {
		return m, err
	}
	to := strings.TrimSpace(b.x[ExtraTo])
	if strings.Contains(to, "@") {
		m.To = []string{to}
		return m, nil
	}
	note := "No email address is on record for the allocated worker or unit"
	if to != "" {
		note = "For the attention of " + to + " (no email address on record)"
	}
	b.addr(&m, policy.Contact{}, note+": please pass this on.")
	return m, nil
}

func (b builder) consentRequest() (message, error) {
	m := message{Subject: b.subject("consent needed"),
		Lead:  "The MASH cannot accept this referral yet: it was made without the family's consent and does not raise a child protection concern.",
		Facts: []fact{{"Reference", b.ref()}, {"Received", b.when(b.c.ReceivedAt)}, {"Outcome", "returned to you to seek consent"}},
		Paras: []string{"Please talk to the family, seek their consent, and reply to this message quoting the reference " +
			"once they have agreed, or tell us why they refused.",
			"If you believe a child is at risk of significant harm, you do not need consent: reply at once saying so, " +
				"or call the MASH. If a child is in immediate danger, call 999."}}
	// The referrer may have said already why there is no consent: answer that, rather than ask for it again
	// (a school that wrote "mum declined" was asked to "tell us why they refused").
	switch b.c.Consent.Status {
	case domain.ConsentRefused:
		m.Paras[0] = "You told us the family refused consent. If you can, talk to the family again and reply to this " +
			"message quoting the reference if they agree."
	case domain.ConsentNotSought:
		m.Paras[0] = "You told us consent was not sought. Please talk to the family, seek their consent, and reply to " +
			"this message quoting the reference once they have agreed. If asking them would put a child at risk, reply saying so."
	}
	b.referrer(&m)
	return m, nil
}

func (b builder) writtenFormChase() (message, error) {
	lead := "Thank you for telephoning the MASH about a child at risk of immediate harm. A telephone referral must be followed by the written referral form."
	if !b.c.ImmediateHarm {
		// Barnet "How do I refer?": every call about a child's safety is followed by the online referral.
		lead = "Thank you for telephoning the MASH about a child. A telephone referral must be followed by the written (online) referral form."
	}
	m := message{Subject: b.subject("written referral needed"),
		Lead:  lead,
		Facts: []fact{{"Reference", b.ref()}, {"Telephoned", b.when(b.c.ReceivedAt)}}}
	m.fact("Send the form by", b.when(b.due(policy.RuleImmediateHarmForm)))
	m.Paras = []string{"Please send the completed inter-agency referral form, quoting the reference, by the time above."}
	b.referrer(&m)
	return m, nil
}

// housingProtocol refers a homeless 16- or 17-year-old at once to the team the policy names (Portsmouth §4.12:
// the Family Support and Safeguarding Team, under the joint working protocol with Housing).
func (b builder) housingProtocol() (message, error) {
	y := b.p.YoungHomeless
	if y == nil {
		return message{}, &domain.Error{Code: domain.CodeInvalid, Message: "compose " + string(KindHousingProtocol),
			Fields: []domain.FieldError{{Field: "youngHomeless", Message: "the policy has no joint housing protocol"}}}
	}
	m, err := b.professional("homeless 16/17, joint housing protocol",
		"A young person aged 16 or 17 who is homeless or threatened with homelessness: referred to you at once under the joint working protocol for homeless 16 and 17 year olds.",
		"Please log in to read the contact, start the joint protocol with Housing, and record what you did on the contact.")
	if err != nil {
		return m, err
	}
	m.fact("Respond by", b.when(b.due(policy.RuleHousing1617)))
	b.addr(&m, y.Team, "The policy has no address for "+y.Team.Name+": please pass this on at once.")
	return m, nil
}

func (b builder) riskRaised() (message, error) {
	if b.x[ExtraCheck] == "" && b.x[ExtraAgency] == "" {
		return b.immediateAttention()
	}
	agency := b.x[ExtraAgency]
	lead := "A partner agency's check answer says the risk is higher than the current rating."
	switch {
	case strings.HasPrefix(b.x[ExtraCheck], "resend-"):
		// shared/intake: a re-sent referral whose update raises the risk (issue #13).
		lead = "The referrer sent an update (a re-sent message) that raises the risk: immediate harm now, or a new " +
			"concern. The update is on the contact, with its time, below the first referral."
	case strings.HasPrefix(b.x[ExtraCheck], "answer-"):
		// shared/intake.AnswerImmediateHarm: immediate harm, not known at intake, is answered yes later.
		lead = "Whether a child is at risk of immediate harm was not known when the contact was recorded; a worker " +
			"has now recorded the answer: yes. Any note of what was said is on the contact, below the referral."
	}
	m, err := b.professional("risk raised by "+agency, lead,
		"A MASH manager please review the rating now and record the rationale.")
	if err != nil {
		return m, err
	}
	if !strings.HasPrefix(b.x[ExtraCheck], "answer-") {
		m.Facts = append(m.Facts, fact{"Agency", agency}) // a worker's answer is no agency's
	}
	if id := b.x[ExtraCheck]; id != "" && !strings.HasPrefix(id, "resend-") && !strings.HasPrefix(id, "answer-") {
		m.fact("Re-rate by", b.when(b.due(""))) // rerate.raised-risk (Hackney §5)
	}
	if r := b.c.Rating; r != nil {
		m.Facts = append(m.Facts, fact{"Current rating", string(r.Value)})
	}
	b.addr(&m, policy.Contact{}, "For the MASH duty manager.")
	return m, nil
}

// immediateAttention is the risk-raised notice no partner sent: screening found the contact says a child is
// at immediate risk, or a worker flagged it as meeting the section 47 threshold (Hackney §4(1): brought to a
// manager's immediate attention, not left in the ordinary screening queue). It says which, and by when the
// next step is due; before, it read as a partner's check answer "raised by" nobody.
func (b builder) immediateAttention() (message, error) {
	var why []string
	if b.c.ImmediateHarm {
		why = append(why, "says a child is at risk of immediate harm")
	}
	if b.c.S47 {
		why = append(why, "meets the section 47 threshold")
	}
	lead := "This contact needs a manager's immediate attention."
	if len(why) > 0 {
		lead = "This contact " + strings.Join(why, " and ") + ": it does not wait in the ordinary screening queue."
	}
	m, err := b.professional("immediate attention", lead,
		"A MASH manager please open the contact now, rate it or review its rating, and record the rationale.")
	if err != nil {
		return m, err
	}
	if b.c.ImmediateHarm {
		m.Facts = append(m.Facts, fact{"Immediate harm", "yes"})
	}
	if b.c.S47 {
		m.Facts = append(m.Facts, fact{"Section 47 threshold", "met"})
	}
	if d, ok := b.c.Deadlines[policy.RuleStrategyRed]; ok && b.c.S47 {
		m.fact("Strategy discussion by", b.when(d))
	} else if b.c.Rating == nil {
		m.fact("Rate by", b.when(b.due("")))
	}
	if r := b.c.Rating; r != nil {
		m.Facts = append(m.Facts, fact{"Current rating", string(r.Value)})
	}
	b.addr(&m, policy.Contact{}, "For the MASH duty manager.")
	return m, nil
}

// describeRule words a deadline rule for a referrer ("within 48 hours").
func describeRule(u clock.Unit, amount int) string {
	switch u {
	case clock.UnitHours:
		return "within " + plural(amount, "hour")
	case clock.UnitWorkingHours:
		return "within " + plural(amount, "working hour")
	case clock.UnitWorkingDays:
		return "within " + plural(amount, "working day")
	case clock.UnitNextWorkingDayClose:
		return "by the end of the next working day"
	}
	return ""
}

func plural(n int, unit string) string {
	s := strconv.Itoa(n) + " " + unit
	if n != 1 {
		s += "s"
	}
	return s
}

func containsFold(xs []string, x string) bool {
	for _, y := range xs {
		if strings.EqualFold(y, x) {
			return true
		}
	}
	return false
}

// encompassSchool is the school address an Encompass notice names: the directory's DSL, else an address the
// officer typed as the school.
func encompassSchool(c *domain.Contact, x Extra) string {
	school := strings.TrimSpace(x[ExtraSchoolEmail])
	if school == "" && strings.Contains(c.Child.School, "@") {
		school = strings.TrimSpace(c.Child.School)
	}
	return school
}

// The keys of an Encompass notice.queued audit event that say who was told (shared/reports reads them: the
// Operation Encompass clock stops only when the child's school is told, or the Encompass lead for a child
// recorded as educated at home — the lead is who the notice is for then).
const (
	DetailSchoolMatch = "schoolMatch" // the directory's outcome (matched, ambiguous, not-found, closed, home-educated, no-dsl); absent when the officer typed an address
	DetailTold        = "told"        // ToldSchool or ToldLead
	ToldSchool        = "school"      // the school's DSL (an address at an allowed school domain)
	ToldLead          = "lead"        // the authority's Encompass lead, as composed
)

// QueuedDetail is the audit detail a notice of this kind adds to its notice.queued event, from the same
// decision Compose makes (nil for every kind but Encompass): for Encompass, the school-match outcome and
// whether the school or the Encompass lead was told.
func QueuedDetail(kind Kind, p *policy.Policy, c *domain.Contact, x map[string]string) map[string]string {
	if kind != KindEncompass {
		return nil
	}
	d := map[string]string{DetailTold: ToldLead}
	if m := x[ExtraSchoolMatch]; m != "" {
		d[DetailSchoolMatch] = m
	}
	if school := encompassSchool(c, x); school != "" && p.SchoolEmailAllowed(school) {
		d[DetailTold] = ToldSchool
	}
	return d
}

// encompassLeadWhy says, for each directory outcome that sends an Encompass notice to the lead, why.
var encompassLeadWhy = map[string]string{
	"ambiguous":        "the school written on the notification fits more than one school in the directory.",
	"not-found":        "the school written on the notification is not in the directory (or none is written).",
	"closed":           "the school on record is closed: the child's current school needs to be found.",
	"home-educated":    "the child is recorded as educated at home.",
	"under-school-age": "the child is under school age and no school or early years setting is on record.",
	"no-dsl":           "the directory has no DSL address for the school.",
}

func urnSuffix(urn string) string {
	if urn == "" {
		return ""
	}
	return " (URN " + urn + ")"
}
