// Package lifecycle is the one home of a contact's lifecycle: every named transition — received, flagged,
// routed, screened, forwarded, returned for consent, rated and re-rated, checks requested, answered and
// overdue, decided, escalated, closed, reopened — checks that it is allowed from the contact's status, sets
// the status, stamps every deadline the event starts (the policy's starts: data in
// infra/authorities/*.yaml), and returns the audit event and the notices the event causes.
//
// A transition changes the contact it is given and nothing else: it does no I/O. The step handlers and
// actions call one transition inside the store's update (workflow.Env.Apply), which writes the contact, the
// audit event, an audit event per notice (what was shared, with whom, why) and the composed messages in
// ONE atomic write. This package is the only one that writes a contact's Status or Deadlines.
package lifecycle

import (
	"slices"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/census"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
)

// Name names a transition.
type Name string

const (
	Received           Name = "received"
	Flagged            Name = "flagged"
	Routed             Name = "routed"
	Screened           Name = "screened"
	Forwarded          Name = "forwarded"
	ReturnedForConsent Name = "returned-for-consent"
	RatingParked       Name = "rating-parked"
	Rated              Name = "rated"
	ReRated            Name = "re-rated"
	CheckRequested     Name = "check-requested"
	CheckAnswered      Name = "check-answered"
	CheckOverdue       Name = "check-overdue"
	DecisionParked     Name = "decision-parked"
	Decided            Name = "decided"
	DecisionEscalated  Name = "decision-escalated"
	Overdue            Name = "overdue"
	WrittenFormArrived Name = "written-form-arrived"
	Closed             Name = "closed"
	Merged             Name = "merged"
	Reopened           Name = "reopened"
	// MatchForwarded: a screener confirmed a person-matching candidate whose case is open (or closed within
	// three months) while the contact waited for its rating, checks or decision: forwarded as an exact match
	// would have been at screening.
	MatchForwarded Name = "match-forwarded"
	InfoRequested  Name = "info-requested"
	// HarmNamed: the harm to the child is recorded (Portsmouth §2.6); it clears harmNotNamed.
	HarmNamed Name = "harm-named"
	Responded Name = "responded"
	// CensusRecorded: a person chose census codes for the contact (issue #16); allowed in every status, a
	// correction after the decision included (the codes are the statutory return's, not the screening's).
	CensusRecorded Name = "census-recorded"

	// ImmediateHarmAnswered: a worker answered the immediate-harm question nobody had answered at intake (a
	// caller who did not know, an email that did not say), while the contact is still open.
	ImmediateHarmAnswered Name = "immediate-harm-answered"
)

var (
	preDecision = []domain.Status{domain.StatusChecks, domain.StatusAwaitingDecision}
	inScreening = []domain.Status{domain.StatusScreening, domain.StatusQueuedOOH}
	open        = []domain.Status{domain.StatusReceived, domain.StatusQueuedOOH, domain.StatusScreening,
		domain.StatusAwaitingRating, domain.StatusChecks, domain.StatusAwaitingDecision, domain.StatusInformationRequest}
)

// From lists the statuses each transition is allowed from (Received: a contact being created).
var From = map[Name][]domain.Status{
	Received:           {domain.StatusReceived},
	Flagged:            append(slices.Clone(open), domain.StatusDecided, domain.StatusForwarded, domain.StatusReturnedForConsent),
	Routed:             {domain.StatusReceived},
	Screened:           inScreening,
	Forwarded:          inScreening,
	ReturnedForConsent: inScreening,
	RatingParked:       {domain.StatusScreening, domain.StatusQueuedOOH, domain.StatusAwaitingRating},
	Rated:              {domain.StatusAwaitingRating},
	ReRated:            preDecision,
	CheckRequested:     preDecision,
	CheckAnswered:      append(slices.Clone(preDecision), domain.StatusDecided),
	CheckOverdue:       preDecision,
	DecisionParked:     preDecision,
	Decided:            preDecision,
	DecisionEscalated:  preDecision,
	Overdue:            open,
	WrittenFormArrived: append(slices.Clone(open), domain.StatusDecided, domain.StatusForwarded, domain.StatusReturnedForConsent, domain.StatusClosed),
	Closed:             {domain.StatusDecided, domain.StatusForwarded, domain.StatusReturnedForConsent},
	Merged:             mergeFrom,
	Reopened:           {domain.StatusClosed, domain.StatusReturnedForConsent},
	MatchForwarded:     append(slices.Clone(inScreening), domain.StatusAwaitingRating, domain.StatusChecks, domain.StatusAwaitingDecision),
	InfoRequested:      inScreening,
	HarmNamed:          append(slices.Clone(open), domain.StatusDecided, domain.StatusForwarded, domain.StatusReturnedForConsent),
	Responded:          {domain.StatusInformationRequest},
	CensusRecorded:     domain.Statuses,

	ImmediateHarmAnswered: open,
}

// mergeFrom: a duplicate waiting for a rating or a decision (its wait is ended), or one that left the MASH.
var mergeFrom = []domain.Status{domain.StatusAwaitingRating, domain.StatusAwaitingDecision, domain.StatusDecided,
	domain.StatusForwarded, domain.StatusReturnedForConsent}

// Notice is a message a transition causes, with why it is shared (the audit's reason).
type Notice struct {
	Kind  domain.NoticeKind
	Extra map[string]string
	Why   string
}

// Result is what a transition did: the audit event of the change, the notices it causes, and the deadlines
// it started (also stamped on the contact).
type Result struct {
	Event   store.AuditEvent
	Notices []Notice
	Started map[string]time.Time
	// TrayItems are tray items the change puts, written in the same atomic write as the contact.
	TrayItems []store.TrayItem
	// More are further audit events of the same change (the screener's match decision that caused a
	// forward), written after Event in the same atomic write.
	More []store.AuditEvent
	// Checks are the partner-check records the change writes (a request, an answer, a closure, a chase),
	// in the same atomic write as the contact.
	Checks []store.CheckWrite
	// Closes are the contact's tray items the change ends (the service manager's items a decision closes),
	// closed in the same atomic write when open (store.Change.Closes).
	Closes []store.ItemClose
}

// Then is one change recording two transitions of a contact, first then next: next's event is the change's
// event and first's events go before it (as More), with both transitions' notices, tray items, checks and
// started clocks.
func Then(first, next Result) Result {
	out := next
	out.More = append(append([]store.AuditEvent{first.Event}, first.More...), next.More...)
	out.Notices = append(append([]Notice(nil), first.Notices...), next.Notices...)
	out.TrayItems = append(append([]store.TrayItem(nil), first.TrayItems...), next.TrayItems...)
	out.Checks = append(append([]store.CheckWrite(nil), first.Checks...), next.Checks...)
	out.Closes = append(append([]store.ItemClose(nil), first.Closes...), next.Closes...)
	if len(first.Started) > 0 {
		out.Started = map[string]time.Time{}
		for k, v := range first.Started {
			out.Started[k] = v
		}
		for k, v := range next.Started {
			out.Started[k] = v
		}
	}
	return out
}

// Allowed returns a conflict error naming the contact's status and the statuses the transition is allowed
// from, or nil (HTTP 409).
func Allowed(n Name, c *domain.Contact) error {
	from := From[n]
	if slices.Contains(from, c.Status) {
		return nil
	}
	names := make([]string, len(from))
	for i, s := range from {
		names[i] = string(s)
	}
	return &domain.Error{Code: domain.CodeConflict,
		Message: "contact is " + string(c.Status) + "; " + string(n) + " is allowed only from " + strings.Join(names, ", ")}
}

// start stamps every deadline the policy says the event starts for the contact as it now is, counted from
// at. A deadline already running is not moved later (a second event starting the same clock — a Red rating
// and then an S47 decision — keeps the earlier one), except escalation.repeat, which every escalation
// restarts.
func start(p *policy.Policy, c *domain.Contact, e policy.Event, at time.Time) (map[string]time.Time, error) {
	started := map[string]time.Time{}
	for _, rule := range p.StartedBy(e, c) {
		due, err := p.Due(rule, at)
		if err != nil {
			return nil, err
		}
		if c.Deadlines == nil {
			c.Deadlines = map[string]time.Time{}
		}
		if old, ok := c.Deadlines[rule]; ok && !old.IsZero() && old.Before(due) && e != policy.EventEscalated {
			continue
		}
		c.Deadlines[rule] = due
		started[rule] = due
	}
	return started, nil
}

// stamp writes, for every deadline the event started, when it falls (due.<rule>) and the instant its clock
// runs from (from.<rule>): the timeliness report (shared/reports) measures time-to-done from the latter.
func stamp(x map[string]string, started map[string]time.Time, from time.Time) map[string]string {
	if x == nil {
		x = map[string]string{}
	}
	for rule, due := range started {
		x["due."+rule] = due.UTC().Format(time.RFC3339)
		x["from."+rule] = from.UTC().Format(time.RFC3339)
	}
	return x
}

func rfc(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// flagNotices are the notices a flag causes as soon as it is known: the LADO for an allegation against
// someone who works with children (within one working day, Working Together 2023; Portsmouth §4.11) and
// the CTP gateway / Channel panel for radicalisation (Portsmouth §4.8).
func flagNotices(p *policy.Policy, c *domain.Contact) []Notice {
	var ns []Notice
	if p.YoungHomelessApplies(c) {
		x := map[string]string{}
		if due, ok := c.Deadlines[policy.RuleHousing1617]; ok {
			x[domain.ExtraDueAt] = rfc(due)
		}
		ns = append(ns, Notice{Kind: domain.NoticeHousingProtocol, Extra: x,
			Why: "a homeless 16- or 17-year-old: referred at once to " + p.YoungHomeless.Team.Name + " under the joint housing protocol"})
	}
	if c.Flags.AllegationAgainstProfessional {
		ns = append(ns, Notice{Kind: domain.NoticeLADO, Why: "allegation against a person who works with children: the LADO is told as soon as it is known"})
	}
	if c.Flags.Radicalisation {
		ns = append(ns, Notice{Kind: domain.NoticeChannel, Why: "radicalisation concern: the CTP gateway / Channel panel is told as soon as it is known"})
	}
	return ns
}

// Receive is intake's transition for a new contact (status received): it starts the clocks that run from
// arrival — the LADO (allegation flag), Operation Encompass (a PPN the school is told of), the written form
// after an immediate-harm phone call (Portsmouth §7.5, Barnet "How do I refer?") — and returns the notices
// that go at once: LADO and Channel, and for a PPN the policy shares, the Operation Encompass notice (with the
// PPN's own incident time). Intake queues them, with its acknowledgement, in the contact's own write.
func Receive(p *policy.Policy, c *domain.Contact, actor string) (Result, error) {
	if err := Allowed(Received, c); err != nil {
		return Result{}, err
	}
	// The named rules read the contact's own words: a label (FII) given as the only reason, with no described
	// harm (Portsmouth §2.6); a contact that says the child is homeless (Portsmouth §4.12).
	if p.HarmNaming.NamesNoHarm(c.Concerns, c.Harm) {
		c.Flags.HarmNotNamed, c.HarmPrompt = true, p.HarmNaming.Prompt
	}
	if p.YoungHomeless.SaysHomeless(c.Concerns) {
		c.Flags.Homeless = true
	}
	started, err := start(p, c, policy.EventReceived, c.ReceivedAt)
	if err != nil {
		return Result{}, err
	}
	if _, ok := started[policy.RuleImmediateHarmForm]; ok {
		c.Flags.AwaitingWrittenForm = true
	}
	ns := flagNotices(p, c)
	if n, ok := Encompass(p, c); ok {
		ns = append(ns, n)
	}
	return Result{Event: store.AuditEvent{Actor: actor, Action: "contact.received", Detail: stamp(nil, started, c.ReceivedAt)},
		Notices: ns, Started: started}, nil
}

// Encompass is the Operation Encompass notice a PPN causes (started at intake with the encompass clock):
// the school's designated safeguarding lead is told before the next school day, with the PPN's own incident
// time. Receive returns it; intake addresses it from the school directory (shared/directory) and queues it in
// the contact's own write. ok is false when the policy does not share this contact.
func Encompass(p *policy.Policy, c *domain.Contact) (Notice, bool) {
	if !p.EncompassApplies(c) {
		return Notice{}, false
	}
	x := map[string]string{}
	if !c.IncidentAt.IsZero() {
		x[domain.ExtraIncidentAt] = rfc(c.IncidentAt)
	}
	if due, ok := c.Deadlines[policy.RuleEncompass]; ok {
		x[domain.ExtraDueAt] = rfc(due)
	}
	return Notice{Kind: domain.NoticeEncompass, Extra: x,
		Why: "Operation Encompass: the school's designated safeguarding lead is told of the police incident before the next school day"}, true
}

// Flag records what a worker found after intake — an allegation against a professional, radicalisation, or
// that the contact meets the section 47 threshold — and starts their clocks and notices at once: the LADO
// and Channel as soon as the flag is known; for S47 the duty manager at once (Hackney §4(1): brought to the
// immediate attention of a manager and progressed without delay), with the policy's S47 starts
// (strategy.red where the policy has it).
func Flag(p *policy.Policy, c *domain.Contact, at time.Time, by string, set domain.Flags, s47 bool) (Result, error) {
	if err := Allowed(Flagged, c); err != nil {
		return Result{}, err
	}
	before, wasS47 := c.Flags, c.S47
	c.Flags.AllegationAgainstProfessional = before.AllegationAgainstProfessional || set.AllegationAgainstProfessional
	c.Flags.Radicalisation = before.Radicalisation || set.Radicalisation
	c.Flags.DomesticAbuse = before.DomesticAbuse || set.DomesticAbuse
	c.Flags.Homeless = before.Homeless || set.Homeless
	wasHousing := before.Homeless && p.YoungHomelessApplies(&domain.Contact{Flags: before, Child: c.Child, ReceivedAt: c.ReceivedAt})
	c.S47 = wasS47 || s47
	started, err := start(p, c, policy.EventFlagged, at)
	if err != nil {
		return Result{}, err
	}
	var ns []Notice
	for _, n := range flagNotices(p, c) {
		if (n.Kind == domain.NoticeLADO && !before.AllegationAgainstProfessional) || (n.Kind == domain.NoticeChannel && !before.Radicalisation) ||
			(n.Kind == domain.NoticeHousingProtocol && !wasHousing) {
			ns = append(ns, n)
		}
	}
	if c.S47 && !wasS47 {
		x := map[string]string{domain.ExtraStage: "immediate"}
		if due, ok := started[policy.RuleStrategyRed]; ok {
			ns = append(ns, strategyNotice("", due, "section 47 threshold met: a strategy discussion between CSC, Health and Police"))
			x[domain.ExtraDueAt] = rfc(due)
		}
		ns = append(ns, Notice{Kind: domain.NoticeRiskRaised, Extra: x,
			Why: "section 47 threshold met: brought to the duty manager's immediate attention"})
	}
	detail := map[string]string{"allegationAgainstProfessional": boolStr(c.Flags.AllegationAgainstProfessional),
		"radicalisation": boolStr(c.Flags.Radicalisation), "s47": boolStr(c.S47), "homeless": boolStr(c.Flags.Homeless)}
	return Result{Event: store.AuditEvent{Actor: by, Action: "contact.flagged", Detail: stamp(detail, started, at)}, Notices: ns, Started: started}, nil
}

// Route records out-of-hours routing (Portsmouth §8, Hackney §9): open → screening; closed → the OOH queue,
// reviewed by ooh-review; closed with immediate harm or Red → the EDT is told now.
func Route(p *policy.Policy, c *domain.Contact, at time.Time, route domain.Route, actor string) (Result, error) {
	if err := Allowed(Routed, c); err != nil {
		return Result{}, err
	}
	c.Route = route
	c.Status = domain.StatusScreening
	if route != domain.RouteMASH {
		c.Status = domain.StatusQueuedOOH
	}
	started, err := start(p, c, policy.EventRouted, c.ArrivedAt())
	if err != nil {
		return Result{}, err
	}
	var ns []Notice
	if route == domain.RouteEDTNow {
		ns = append(ns, Notice{Kind: domain.NoticeEDTNow, Why: "out of hours with immediate harm or a Red rating: the Emergency Duty Team acts now"})
	}
	return Result{Event: store.AuditEvent{Actor: actor, Action: "route.decided",
		Detail: stamp(map[string]string{"route": string(route)}, started, c.ArrivedAt())}, Notices: ns, Started: started}, nil
}

// screeningRules are the deadlines a screening can start; the rating's wait runs to the earliest started.
var screeningRules = []string{policy.RuleScreeningCSC, policy.RuleScreeningEarlyHelp, policy.RuleInfoRequest}

// Screen records that screening found nothing to forward and no consent gate: the contact waits for a
// manager's rating, due by the screening rule the policy starts (screening.csc; screening.early-help on the
// early help pathway; info-request for a request for information, Hackney §4). In hours the clock runs from
// receipt; after an out-of-hours wait, from the opening (at). It returns the rating's deadline.
func Screen(p *policy.Policy, c *domain.Contact, at time.Time, actor string) (Result, time.Time, error) {
	if err := Allowed(Screened, c); err != nil {
		return Result{}, time.Time{}, err
	}
	from := c.ArrivedAt() // receipt, or the reopening
	if c.Route != "" && c.Route != domain.RouteMASH {
		from = at
	}
	c.Status = domain.StatusAwaitingRating
	started, err := start(p, c, policy.EventScreened, from)
	if err != nil {
		return Result{}, time.Time{}, err
	}
	due := RatingDue(c)
	if due.IsZero() {
		return Result{}, time.Time{}, domain.Errorf(domain.CodeInvalid, "policy %s starts no screening deadline for this contact", p.Authority)
	}
	var ns []Notice
	if c.S47 || (c.ImmediateHarm && c.Route == domain.RouteMASH) {
		// Hackney §4(1): a contact meeting the S47 remit is brought to a manager's immediate attention and
		// progressed without delay; it does not wait in the ordinary screening queue.
		ns = append(ns, Notice{Kind: domain.NoticeRiskRaised, Extra: map[string]string{domain.ExtraStage: "immediate", domain.ExtraDueAt: rfc(due)},
			Why: "immediate risk / section 47 threshold: brought to the duty manager's immediate attention"})
	}
	return Result{Event: store.AuditEvent{Actor: actor, Action: "screening.done", Detail: stamp(nil, started, from)},
		Notices: ns, Started: started}, due, nil
}

// Forward sends a contact to the allocated worker of an open case, or back to the unit that closed it
// within three months (Hackney §4 B, Bexley §11, Barnet "What happens next?").
func Forward(p *policy.Policy, c *domain.Contact, at time.Time, code domain.OutcomeCode, to string, matched domain.ContactID, why, actor string) (Result, error) {
	if err := Allowed(Forwarded, c); err != nil {
		return Result{}, err
	}
	return forward(p, c, at, code, to, matched, why, actor), nil
}

// ForwardConfirmed forwards a contact whose screener confirmed a person-matching candidate with an open case
// (to the allocated worker) or a case closed within three months (back to the unit): exactly what an exact
// match does at screening, from any status before the decision. The contact leaves the rating, checks and
// decision trays (the caller completes their waits).
func ForwardConfirmed(p *policy.Policy, c *domain.Contact, at time.Time, code domain.OutcomeCode, to string, matched domain.ContactID, why, actor string) (Result, error) {
	if err := Allowed(MatchForwarded, c); err != nil {
		return Result{}, err
	}
	r := forward(p, c, at, code, to, matched, why, actor)
	r.Event.Action = "match.forwarded"
	delete(c.Tasks, string(domain.TrayRating))
	delete(c.Tasks, string(domain.TrayDecision))
	return r, nil
}

func forward(p *policy.Policy, c *domain.Contact, at time.Time, code domain.OutcomeCode, to string, matched domain.ContactID, why, actor string) Result {
	term, _ := p.OutcomeTerm(code)
	c.Status = domain.StatusForwarded
	c.Outcome = &domain.OutcomeRecord{Code: code, AuthorityTerm: term, By: actor, At: at, Rationale: why, To: to}
	return Result{Event: store.AuditEvent{Actor: actor, Action: "screening.forwarded", Reason: why, SharedWith: []string{to},
		Detail: map[string]string{"matchedContact": string(matched), "outcome": string(code)}},
		Notices: []Notice{{Kind: domain.NoticeForwarded, Extra: map[string]string{domain.ExtraTo: to, domain.ExtraMatchedContact: string(matched)},
			Why: why}}}
}

// ReturnForConsent returns a referral made without consent that is not child protection (Northamptonshire
// §6b): the referrer is asked to seek it.
func ReturnForConsent(p *policy.Policy, c *domain.Contact, at time.Time, actor string) (Result, error) {
	if err := Allowed(ReturnedForConsent, c); err != nil {
		return Result{}, err
	}
	c.Status = domain.StatusReturnedForConsent
	return Result{Event: store.AuditEvent{Actor: actor, Action: "screening.returned-for-consent", Reason: "no consent and not child protection (policy consent rule)"},
		Notices: []Notice{{Kind: domain.NoticeConsentRequest, Why: "referral without consent that is not child protection: returned to the referrer to seek consent"}}}, nil
}

// Park records that a token wait put the contact on a tray (rating or decision): the contact waits there
// (its status). The wait's item is the caller's (shared/trays Park): kept in the contact's partition, found by
// the store's Waits, not named on the contact.
func Park(c *domain.Contact, tray domain.Tray, dueAt, actor string) (Result, error) {
	switch tray {
	case domain.TrayRating:
		if err := Allowed(RatingParked, c); err != nil {
			return Result{}, err
		}
		c.Status = domain.StatusAwaitingRating
	case domain.TrayDecision:
		if err := Allowed(DecisionParked, c); err != nil {
			return Result{}, err
		}
		c.Status = domain.StatusAwaitingDecision
	default:
		return Result{}, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "tray", Message: "must be rating or decision"}}}
	}
	return Result{Event: store.AuditEvent{Actor: actor, Action: "tray.parked", Detail: map[string]string{"tray": string(tray), "dueAt": dueAt}}}, nil
}

// Waiting reports whether the contact already waits on a tray (rating or decision): its status is the one the
// park would set, so parking there moves nothing.
func Waiting(c *domain.Contact, tray domain.Tray) bool {
	switch tray {
	case domain.TrayRating:
		return c.Status == domain.StatusAwaitingRating
	case domain.TrayDecision:
		return c.Status == domain.StatusAwaitingDecision
	}
	return false
}

// ChecksDone moves a contact whose partner checks are all answered or closed, and whose decision is what follows
// (the answer or closure that ends the checks wait, contract 4), to awaiting its decision, in that answer's own
// write, and records it on ev, that answer's event: next the decision, due by decisionDue (the decision wait's
// deadline). The decision's park then puts its item alone, without rewriting the contact or writing a record of
// its own (docs/cost.md "A park that moves nothing writes its wait item alone"): the trail says the move and the
// deadline here. A contact not in checks is left as it is, and ev too.
func ChecksDone(c *domain.Contact, decisionDue time.Time, ev *store.AuditEvent) {
	if c.Status == domain.StatusChecks {
		c.Status = domain.StatusAwaitingDecision
		ev.Detail = nextDecision(ev.Detail, decisionDue)
	}
}

// nextDecision records on an event's detail that the change leaves the contact awaiting its decision, due by
// due: the move and the deadline the decision's park, which writes no record when it moves nothing, does not say.
func nextDecision(x map[string]string, due time.Time) map[string]string {
	if x == nil {
		x = map[string]string{}
	}
	x["next"], x["decisionDue"] = string(domain.TrayDecision), rfc(due)
	return x
}

// RatingDue is the rating's deadline: the earliest screening deadline the contact carries (zero: none).
func RatingDue(c *domain.Contact) time.Time {
	var due time.Time
	for _, r := range screeningRules {
		if d, ok := c.Deadlines[r]; ok && (due.IsZero() || d.Before(due)) {
			due = d
		}
	}
	return due
}

// InfoRequest puts a request for information (Hackney §4(5–6)) on its own path: not screened as a referral,
// it waits on the information-request tray, due by the deadline the policy starts for it at screening
// (info-request: 10 working days). It returns that deadline.
func InfoRequest(p *policy.Policy, c *domain.Contact, at time.Time, actor string) (Result, time.Time, error) {
	if err := Allowed(InfoRequested, c); err != nil {
		return Result{}, time.Time{}, err
	}
	from := c.ArrivedAt() // receipt, or the reopening
	if c.Route != "" && c.Route != domain.RouteMASH {
		from = at
	}
	c.Status = domain.StatusInformationRequest
	started, err := start(p, c, policy.EventScreened, from)
	if err != nil {
		return Result{}, time.Time{}, err
	}
	due := c.Deadlines[policy.RuleInfoRequest]
	if due.IsZero() {
		return Result{}, time.Time{}, domain.Errorf(domain.CodeInvalid, "policy %s starts no info-request deadline for a request for information", p.Authority)
	}
	return Result{Event: store.AuditEvent{Actor: actor, Action: "screening.information-request",
		Reason: "a request for information: answered, not screened as a referral", Detail: stamp(nil, started, from)}, Started: started}, due, nil
}

// Respond records the answer to a request for information: the contact is decided with the outcome
// information-response and the answer's summary as its rationale.
//
// The answer is gated by the census codes like a decision (issue #16, census.RequiredBefore): a request for
// information about a child is a contact — children's social care contacted about a child with a request for
// information, advice or a service; Northamptonshire §7's contact record says whether the contact is one, and
// Hackney §4(5–6) answers it in the hub — so it is a row of Ofsted's Annex A List 1 and its source, gender and
// ethnicity must be valid census codes once it is answered. A bad summary is named first (400), then a
// missing code (409, each field with its allowed codes; "not known" is a valid choice).
func Respond(p *policy.Policy, c *domain.Contact, at time.Time, summary, actor string) (Result, error) {
	if err := Allowed(Responded, c); err != nil {
		return Result{}, err
	}
	if strings.TrimSpace(summary) == "" {
		return Result{}, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "summary", Message: "is required: what was answered, and to whom"}}}
	}
	if err := census.RequiredBefore(c, "the answer"); err != nil {
		return Result{}, err
	}
	term, _ := p.OutcomeTerm(domain.OutcomeInformationRequest)
	c.Status = domain.StatusDecided
	c.Outcome = &domain.OutcomeRecord{Code: domain.OutcomeInformationRequest, AuthorityTerm: term, By: actor, At: at, Rationale: summary}
	return Result{Event: store.AuditEvent{Actor: actor, Action: "information-request.responded",
		Detail: map[string]string{"outcome": string(domain.OutcomeInformationRequest)}}}, nil
}

// NameHarm records the harm to the child as described (Portsmouth §2.6: a contact names the harm, never a
// label such as FII, as its reason): harmNotNamed and its prompt are cleared. The described harm is on the
// contact; the audit event says it was recorded, not what it is.
func NameHarm(c *domain.Contact, harm, by string) (Result, error) {
	if strings.TrimSpace(harm) == "" {
		return Result{}, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "harm",
			Message: "is required: describe the harm to the child (what has happened or is happening to them)"}}}
	}
	if err := Allowed(HarmNamed, c); err != nil {
		return Result{}, err
	}
	was := c.Flags.HarmNotNamed
	c.Harm = strings.TrimSpace(harm)
	c.Flags.HarmNotNamed, c.HarmPrompt = false, ""
	return Result{Event: store.AuditEvent{Actor: by, Action: "harm.named", Reason: "the harm to the child is described",
		Detail: map[string]string{"clearedHarmNotNamed": boolStr(was)}}}, nil
}
