package lifecycle

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/census"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
)

// Rating is a manager's rating (or re-rating) with its rationale.
type Rating struct {
	Value     domain.Rating
	Rationale string
	By        string
	Agencies  []domain.Agency // checks to request besides the policy's mandatory agencies
	NoChecks  bool            // enough is known: straight to the decision
}

// Plan is what a rating asks of the state machine: the checks to request now and the two deadlines.
type Plan struct {
	Agencies    []domain.Agency
	ChecksDue   time.Time
	DecisionDue time.Time
}

// PlanOf is what the workflow is told of a contact's current rating: the checks still to ask (the rating's
// agencies less those answered), the checks deadline and the decision's (the later of the checks deadline
// and any screening deadline). Rate computes it when the rating is set; the SLA sweep's reconciliation
// computes it again from the record when the workflow was not told (issue #13).
func PlanOf(c *domain.Contact, answered []domain.Agency) Plan {
	if c.Rating == nil {
		return Plan{}
	}
	plan := Plan{ChecksDue: c.Deadlines[policy.ChecksRule(c.Rating.Value)]}
	for _, a := range c.Rating.Agencies {
		if !slices.Contains(answered, a) {
			plan.Agencies = append(plan.Agencies, a)
		}
	}
	plan.DecisionDue = plan.ChecksDue
	for _, rule := range screeningRules {
		if sd, ok := c.Deadlines[rule]; ok && sd.After(plan.DecisionDue) {
			plan.DecisionDue = sd
		}
	}
	return plan
}

// DecisionRule names the policy rule the decision wait is due by (PlanOf: the later of the rating's checks
// window and any screening deadline): the rule whose deadline on the contact is due (to the second, as the
// wait's due time is written), the checks window's on a tie; "" when none is.
func DecisionRule(c *domain.Contact, due time.Time) string {
	rules := screeningRules
	if c.Rating != nil {
		rules = append([]string{policy.ChecksRule(c.Rating.Value)}, screeningRules...)
	}
	for _, rule := range rules {
		if d, ok := c.Deadlines[rule]; ok && d.Truncate(time.Second).Equal(due.Truncate(time.Second)) {
			return rule
		}
	}
	return ""
}

// Rate records a manager's rating (Northamptonshire §7: "A RAG decision can be reviewed at any point …
// with rationale"). From awaiting-rating it is the first rating; from checks or awaiting-decision it is a
// re-rating, which needs a new rationale and keeps the earlier rating in the audit. The rating's clocks start
// now: checks.<rating>, and whatever else the policy starts on it (strategy.red on Red, pco-review on
// Green). Partner checks: the mandatory agencies and those asked for, less those already answered
// (answered); a re-rating asks again every unanswered one by the new deadline (their old waits are
// replaced) and cancels nothing already answered. A rating that starts strategy.red sends the strategy
// discussion notice at once.
func Rate(p *policy.Policy, c *domain.Contact, at time.Time, r Rating, answered []domain.Agency) (Result, Plan, error) {
	name := Rated
	if c.Rating != nil && c.Status != domain.StatusAwaitingRating {
		name = ReRated
	}
	var probs domain.Problems
	if !p.HasRating(r.Value) {
		rs := make([]string, len(p.Ratings))
		for i, x := range p.Ratings {
			rs[i] = string(x)
		}
		probs.Add("value", "must be one of %s for this authority", strings.Join(rs, ", "))
	}
	if strings.TrimSpace(r.Rationale) == "" {
		probs.Add("rationale", "is required: a rating is set (or reviewed) with a written rationale")
	} else if name == ReRated && c.Rating != nil && strings.TrimSpace(r.Rationale) == strings.TrimSpace(c.Rating.Rationale) {
		probs.Add("rationale", "must be a new rationale for the review, not the earlier rating's")
	}
	if r.By == "" {
		probs.Add("by", "is required")
	}
	if err := probs.Err(); err != nil {
		return Result{}, Plan{}, err
	}
	if err := Allowed(name, c); err != nil {
		return Result{}, Plan{}, err
	}
	var agencies []domain.Agency
	if !r.NoChecks {
		var all []domain.Agency
		all = append(all, p.MandatoryAgencies...)
		if c.Rating != nil {
			all = append(all, c.Rating.Agencies...)
		}
		for _, a := range append(all, r.Agencies...) {
			if !slices.Contains(agencies, a) {
				agencies = append(agencies, a)
			}
		}
	}
	prev := c.Rating
	if prev != nil {
		delete(c.Deadlines, policy.ChecksRule(prev.Value)) // the earlier rating's window: in the audit
	}
	// The rating a raised risk asked for is done: a re-rating, or the first rating of a contact reopened while a
	// raised risk was unanswered (Reraise).
	delete(c.Deadlines, policy.RuleRerateRaisedRisk)
	c.Rating = &domain.RatingRecord{Value: r.Value, Rationale: r.Rationale, By: r.By, At: at, Agencies: agencies}
	started, err := start(p, c, policy.EventRated, at)
	if err != nil {
		return Result{}, Plan{}, err
	}
	plan := PlanOf(c, answered)
	if plan.ChecksDue.IsZero() {
		return Result{}, Plan{}, domain.Errorf(domain.CodeInvalid, "policy %s starts no %s deadline", p.Authority, policy.ChecksRule(r.Value))
	}
	c.Status = domain.StatusChecks
	delete(c.Tasks, string(domain.TrayRating))
	action := "rating.set"
	detail := map[string]string{"rating": string(r.Value), "checksDue": rfc(plan.ChecksDue)}
	if len(plan.Agencies) == 0 {
		// No check to ask: the rating leaves the contact awaiting its decision, and says so with its deadline
		// (the decision's park, moving nothing, writes no record: docs/cost.md).
		c.Status = domain.StatusAwaitingDecision
		detail = nextDecision(detail, plan.DecisionDue)
	}
	if prev != nil {
		action = "rating.revised"
		detail["previousRating"] = string(prev.Value)
		detail["previousBy"] = prev.By
		detail["previousAt"] = rfc(prev.At)
	}
	var ns []Notice
	if due, ok := started[policy.RuleStrategyRed]; ok {
		ns = append(ns, strategyNotice(r.Value, due, "Red rating: a strategy discussion between CSC, Health and Police"))
	}
	if r.Value == domain.RatingRed {
		// A Red found while the MASH is closed (a call the EDT took) still reaches the EDT now.
		if cal, err := p.Calendar(); err == nil && !cal.IsOpen(at) {
			ns = append(ns, Notice{Kind: domain.NoticeEDTNow, Why: "Red rating while the MASH is closed: the Emergency Duty Team acts now"})
		}
	}
	return Result{Event: store.AuditEvent{Actor: r.By, Action: action, Reason: r.Rationale, Detail: stamp(detail, started, at)},
		Notices: ns, Started: started}, plan, nil
}

func strategyNotice(r domain.Rating, due time.Time, why string) Notice {
	x := map[string]string{domain.ExtraDueAt: rfc(due)}
	if r != "" {
		x[domain.ExtraRating] = string(r)
	}
	return Notice{Kind: domain.NoticeStrategy, Extra: x, Why: why}
}

// RequestCheck records that a partner agency was asked for its MASH check, due by the rating's window
// (Hackney §5, Bexley §13, Northamptonshire §7).
// desk carries the agency's MASH desk address where the directory has one (shared/directory).
func RequestCheck(c *domain.Contact, agency domain.Agency, checkID string, due time.Time, desk map[string]string, actor string) (Result, error) {
	if err := Allowed(CheckRequested, c); err != nil {
		return Result{}, err
	}
	c.Status = domain.StatusChecks
	x := map[string]string{}
	for k, v := range desk {
		x[k] = v
	}
	x[domain.ExtraAgency], x[domain.ExtraCheck], x[domain.ExtraDueAt] = string(agency), checkID, rfc(due)
	return Result{Event: store.AuditEvent{Actor: actor, Action: "check.requested", SharedWith: []string{string(agency)},
		Detail: map[string]string{"check": checkID, "dueAt": rfc(due)}},
		Notices: []Notice{{Kind: domain.NoticeCheckRequest, Extra: x, Why: "MASH check: the agency is asked what it knows, by the rating's deadline"}}}, nil
}

// AnswerCheck records an agency's answer. An answer saying the risk is higher than rated (Hackney §5: the
// partner "will without delay flag this to the MASH manager") goes to the manager at once for re-rating.
func AnswerCheck(p *policy.Policy, c *domain.Contact, req store.CheckRequest, a store.CheckAnswer) (Result, error) {
	if err := Allowed(CheckAnswered, c); err != nil {
		return Result{}, err
	}
	if err := checkOpen(req); err != nil {
		return Result{}, err
	}
	res := Result{Event: store.AuditEvent{Actor: a.By, Action: "check.answered",
		Detail: map[string]string{"check": req.ID, "agency": string(req.Agency), "riskHigher": boolStr(a.RiskHigher)}},
		Checks: []store.CheckWrite{{ID: req.ID, Answer: &a, Read: &req}}}
	if a.RiskHigher {
		// Hackney §5: the re-rating has its own short clock (rerate.raised-risk), from the answer.
		started, err := start(p, c, policy.EventRiskRaised, a.At)
		if err != nil {
			return Result{}, err
		}
		res.Started = started
		res.Event.Detail = stamp(res.Event.Detail, started, a.At)
		x := map[string]string{domain.ExtraAgency: string(req.Agency), domain.ExtraCheck: req.ID, domain.ExtraStage: "immediate"}
		if c.Rating != nil {
			x[domain.ExtraRating] = string(c.Rating.Value)
		}
		if due, ok := c.Deadlines[policy.RuleRerateRaisedRisk]; ok {
			x[domain.ExtraDueAt] = rfc(due) // a clock already running (an earlier raised risk) keeps its time
		}
		res.Notices = append(res.Notices, Notice{Kind: domain.NoticeRiskRaised, Extra: x,
			Why: "a partner says the risk is higher than rated: the manager re-rates now"})
	}
	return res, nil
}

// RerateDue is when the manager must re-rate after a partner raised the risk (rerate.raised-risk, stamped
// by AnswerCheck); at when the policy starts no such clock (the item is then due at once).
func RerateDue(c *domain.Contact, at time.Time) time.Time {
	if due, ok := c.Deadlines[policy.RuleRerateRaisedRisk]; ok && !due.IsZero() {
		return due
	}
	return at
}

// Stages of a late item.
const (
	StageChase     = "chase"     // the agency is reminded
	StageUnclaimed = "unclaimed" // half the window gone and nobody has opened the item
	StageOverdue   = "overdue"   // the deadline passed
)

// checkOpen is a conflict naming why a check takes no answer, closure or chase: it was answered or closed.
func checkOpen(req store.CheckRequest) error {
	switch {
	case req.Answer != nil:
		return domain.Errorf(domain.CodeConflict, "check %s is already answered", req.ID)
	case req.Closed != nil:
		return domain.Errorf(domain.CodeConflict, "check %s was closed unanswered", req.ID)
	}
	return nil
}

// CheckLate records that a partner check is past its deadline (the SLA sweep finds it: at its deadline
// first, then every escalation.repeat): the agency is chased — a reminder carrying the same single-use answer
// link as the request, while that link is valid — and the service manager is told. It starts
// escalation.repeat, records the chase on the check (Chases, NextChaseAt: the check's own next chase, so
// several late checks of one contact are each chased on time) and returns that instant. An answered or
// closed check is a conflict: the chase is over.
func CheckLate(p *policy.Policy, c *domain.Contact, at time.Time, req store.CheckRequest, desk map[string]string) (Result, time.Time, error) {
	if err := Allowed(CheckOverdue, c); err != nil {
		return Result{}, time.Time{}, err
	}
	if err := checkOpen(req); err != nil {
		return Result{}, time.Time{}, err
	}
	started, err := start(p, c, policy.EventEscalated, at)
	if err != nil {
		return Result{}, time.Time{}, err
	}
	next := started[policy.RuleEscalationRepeat]
	if next.IsZero() {
		return Result{}, time.Time{}, domain.Errorf(domain.CodeInvalid, "policy %s starts no %s on an escalation", p.Authority, policy.RuleEscalationRepeat)
	}
	agency, checkID := req.Agency, req.ID
	chase := map[string]string{}
	for k, v := range desk {
		chase[k] = v
	}
	chase[domain.ExtraAgency], chase[domain.ExtraCheck], chase[domain.ExtraStage] = string(agency), checkID, StageChase
	chase[domain.ExtraAt], chase[domain.ExtraDueAt] = rfc(at), rfc(next)
	if req.AnswerLink != "" && at.Before(req.AnswerLinkExpiresAt) {
		chase[domain.ExtraLink] = req.AnswerLink
	}
	ns := []Notice{
		{Kind: domain.NoticeCheckRequest, Extra: chase, Why: "the agency's check is overdue: chased with the same answer link"},
		{Kind: domain.NoticeEscalation, Extra: map[string]string{domain.ExtraTray: string(domain.TrayChecks), domain.ExtraAgency: string(agency),
			domain.ExtraCheck: checkID, domain.ExtraStage: StageOverdue, domain.ExtraAt: rfc(at)},
			Why: "the agency's check is overdue: the service manager is told"},
	}
	return Result{Event: store.AuditEvent{Actor: "sla", Action: "check.overdue", Reason: StageOverdue, SharedWith: []string{string(agency), "service-manager"},
		Detail: stamp(map[string]string{"check": checkID, "agency": string(agency), "chase": strconv.Itoa(req.Chases + 1)}, started, at)},
		Notices: ns, Started: started, Checks: []store.CheckWrite{{ID: checkID, Chase: &store.CheckChase{At: at, Next: next}}}}, next, nil
}

// ChaseDue reports whether the SLA sweep chases a check at now: open, past its deadline, and never chased or
// past its next chase.
func ChaseDue(req store.CheckRequest, now time.Time) bool {
	if !req.Open() || req.DueAt.IsZero() || now.Before(req.DueAt) {
		return false
	}
	return req.Chases == 0 || !now.Before(req.NextChaseAt)
}

// Late records that a tray item (rating, decision) is unclaimed half-way or overdue: the service manager
// is told. Overdue starts escalation.repeat; it returns the next escalation's instant (zero when unclaimed).
func Late(p *policy.Policy, c *domain.Contact, at time.Time, tray domain.Tray, stage string, due time.Time) (Result, time.Time, error) {
	if err := Allowed(Overdue, c); err != nil {
		return Result{}, time.Time{}, err
	}
	x := map[string]string{domain.ExtraTray: string(tray), domain.ExtraStage: stage}
	if !due.IsZero() {
		x[domain.ExtraDueAt] = rfc(due)
	}
	var started map[string]time.Time
	var next time.Time
	if stage == StageOverdue {
		var err error
		if started, err = start(p, c, policy.EventEscalated, at); err != nil {
			return Result{}, time.Time{}, err
		}
		next = started[policy.RuleEscalationRepeat]
		x[domain.ExtraAt] = rfc(at)
	}
	return Result{Event: store.AuditEvent{Actor: "escalate", Action: "escalated", Reason: stage, SharedWith: []string{"service-manager"},
		Detail: stamp(map[string]string{"tray": string(tray), "stage": stage}, started, at)},
		Notices: []Notice{{Kind: domain.NoticeEscalation, Extra: x, Why: "a MASH deadline needs the service manager: " + stage}}, Started: started}, next, nil
}

// Decision is a manager's decision.
type Decision struct {
	Code                   domain.OutcomeCode
	Term                   string
	Rationale              string
	By                     string
	FeedbackWithheldReason string
	// SupportingFamilies: the programme's headline outcomes the manager found apply (Portsmouth §5.3), nil
	// where the decision records none.
	SupportingFamilies *domain.SupportingFamiliesRecord
}

// Decide records the outcome and returns who is told: the referrer (unless the policy does not require it,
// the contact is a PPN, or a reason to withhold it is recorded — then nothing is sent and the audit says
// why, Hackney §5); a strategy discussion for S47 (starting strategy.red where the policy has it);
// the LADO and Channel when the outcome is theirs and their flag did not already tell them. The decision
// maker's role is the policy's decision maker, or the last role the decision was escalated to
// (Northamptonshire §10).
//
// Screening cannot finish without the census codes (issue #16, census.Required): while the source of
// referral, the child's gender or ethnicity is neither recorded nor derived with certainty, the decision is
// a conflict naming each missing field and its allowed codes. The gate is here, at the decision, and
// nowhere earlier: a rating (and the Red strategy discussion it starts — Northamptonshire §7, within an
// hour) never waits for administrative codes, and every list has a "not known" code the screener may choose.
func Decide(p *policy.Policy, c *domain.Contact, at time.Time, d Decision) (Result, error) {
	if err := Allowed(Decided, c); err != nil {
		return Result{}, err
	}
	if err := census.Required(c); err != nil {
		return Result{}, err
	}
	role := p.Decisions.Maker
	if n := len(c.Escalations); n > 0 {
		role = c.Escalations[n-1].To
	}
	c.Outcome = &domain.OutcomeRecord{Code: d.Code, AuthorityTerm: d.Term, By: d.By, At: at, Rationale: d.Rationale, Role: role,
		FeedbackWithheldReason: strings.TrimSpace(d.FeedbackWithheldReason)}
	c.Status = domain.StatusDecided
	delete(c.Tasks, string(domain.TrayDecision))
	started, err := start(p, c, policy.EventDecided, at)
	if err != nil {
		return Result{}, err
	}
	detail := map[string]string{"outcome": string(d.Code), "role": role}
	if sf := d.SupportingFamilies; sf != nil {
		rec := *sf
		rec.By, rec.At = d.By, at
		c.SupportingFamilies = &rec
		detail["supportingFamilies"] = domain.Join(rec.Outcomes)
		detail["supportingFamiliesEligible"] = boolStr(rec.Eligible)
	}
	var ns []Notice
	switch {
	case p.FeedbackDue(c):
		x := map[string]string{}
		if due, ok := c.Deadlines[policy.RuleDecisionFeedback]; ok {
			x[domain.ExtraDueAt] = rfc(due)
		}
		ns = append(ns, Notice{Kind: domain.NoticeFeedback, Extra: x, Why: "the referrer is told the outcome in writing"})
	case c.Outcome.FeedbackWithheldReason != "":
		detail["feedbackWithheld"] = c.Outcome.FeedbackWithheldReason
	}
	if d.Code == domain.OutcomeS47 {
		due := c.Deadlines[policy.RuleStrategyRed]
		var r domain.Rating
		if c.Rating != nil {
			r = c.Rating.Value
		}
		ns = append(ns, strategyNotice(r, due, "section 47: a strategy discussion between CSC, Health and Police"))
	}
	if d.Code == domain.OutcomeLADO && !c.Flags.AllegationAgainstProfessional {
		ns = append(ns, Notice{Kind: domain.NoticeLADO, Why: "decision: referral to the LADO"})
	}
	if d.Code == domain.OutcomeChannel && !c.Flags.Radicalisation {
		ns = append(ns, Notice{Kind: domain.NoticeChannel, Why: "decision: Prevent / Channel referral"})
	}
	return Result{Event: store.AuditEvent{Actor: d.By, Action: "decision.recorded", Reason: d.Rationale, Detail: stamp(detail, started, at)},
		Notices: ns, Started: started}, nil
}

// EscalateDecision puts the decision to the next role of the policy's decision chain (Northamptonshire
// §10: on disagreement the CSC service manager makes the final determination). It returns that role; the
// caller puts the contact on the service manager's tray.
func EscalateDecision(p *policy.Policy, c *domain.Contact, at time.Time, by, reason string) (Result, string, error) {
	var probs domain.Problems
	if strings.TrimSpace(reason) == "" {
		probs.Add("reason", "is required: why the decision goes to %s", strings.Join(p.Decisions.Escalation, " / "))
	}
	if by == "" {
		probs.Add("by", "is required")
	}
	if err := probs.Err(); err != nil {
		return Result{}, "", err
	}
	if err := Allowed(DecisionEscalated, c); err != nil {
		return Result{}, "", err
	}
	n := len(c.Escalations)
	if n >= len(p.Decisions.Escalation) {
		return Result{}, "", domain.Errorf(domain.CodeConflict, "the decision is already with %s, the last of the decision chain", p.Decisions.Escalation[len(p.Decisions.Escalation)-1])
	}
	to := p.Decisions.Escalation[n]
	c.Escalations = append(c.Escalations, domain.Escalation{To: to, By: by, Reason: reason, At: at})
	return Result{Event: store.AuditEvent{Actor: by, Action: "decision.escalated", Reason: reason, SharedWith: []string{to},
		Detail: map[string]string{"to": to}},
		Notices: []Notice{{Kind: domain.NoticeEscalation, Extra: map[string]string{domain.ExtraTray: string(domain.TrayServiceManager),
			domain.ExtraStage: "decision", domain.ExtraAt: rfc(at)}, Why: "the decision is escalated to " + to}}}, to, nil
}

// WrittenForm records that the written referral a phone call owed has arrived (Portsmouth §7.5): the
// chase stops.
func WrittenForm(c *domain.Contact, by string, written domain.ContactID) (Result, error) {
	if err := Allowed(WrittenFormArrived, c); err != nil {
		return Result{}, err
	}
	c.Flags.AwaitingWrittenForm = false
	return Result{Event: store.AuditEvent{Actor: by, Action: "written-form.received", Detail: map[string]string{"writtenContact": string(written)}}}, nil
}

// RecordCensus records the census codes a person chose for the contact (census.Set: each given field
// replaces the one recorded; a code not on its list is a bad input naming the field and the allowed codes),
// audited census.set with the fields recorded (the codes themselves are on the contact, not in the audit).
// Allowed in every status.
func RecordCensus(c *domain.Contact, at time.Time, source, gender, ethnicity, by string) (Result, error) {
	if err := Allowed(CensusRecorded, c); err != nil {
		return Result{}, err
	}
	if by == "" {
		return Result{}, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "by", Message: "is required"}}}
	}
	if err := census.Set(c, source, gender, ethnicity, by, at); err != nil {
		return Result{}, err
	}
	var fields []string
	for i, v := range []string{source, gender, ethnicity} {
		if v != "" {
			fields = append(fields, census.Fields[i])
		}
	}
	detail := map[string]string{"fields": strings.Join(fields, " ")}
	if m := census.Missing(c); len(m) > 0 {
		detail["stillMissing"] = strings.Join(m, " ")
	}
	return Result{Event: store.AuditEvent{Actor: by, Action: "census.set", Detail: detail}}, nil
}

// Close closes a contact that has left the MASH, with a reason.
func Close(c *domain.Contact, by, reason string) (Result, error) {
	if err := Allowed(Closed, c); err != nil {
		return Result{}, err
	}
	if strings.TrimSpace(reason) == "" {
		return Result{}, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "reason", Message: "is required"}}}
	}
	c.Status = domain.StatusClosed
	return Result{Event: store.AuditEvent{Actor: by, Action: "contact.closed", Reason: reason}}, nil
}

// Merge closes a duplicate merged into another contact (its content is the other's addendum): closed with
// the reason "merged", linked to the contact it went into. Allowed while it waits for a rating or a decision
// (the caller ends that wait) and after it left the MASH; not while its partner checks or screening are under
// way.
func Merge(c *domain.Contact, by string, into *domain.Contact) (Result, error) {
	if err := Allowed(Merged, c); err != nil {
		return Result{}, err
	}
	if into == nil || into.ID == c.ID {
		return Result{}, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "duplicate", Message: "is the contact itself"}}}
	}
	c.Status = domain.StatusClosed
	if !slices.Contains(c.LinkedTo, into.ID) {
		c.LinkedTo = append(c.LinkedTo, into.ID)
	}
	return Result{Event: store.AuditEvent{Actor: by, Action: "contact.closed", Reason: "merged",
		Detail: map[string]string{"mergedInto": string(into.ID), "mergedIntoReference": string(into.Reference)}}}, nil
}

// Reopen brings a closed contact (or one returned for consent, now with consent) back to the front door: the
// contact is received again and the caller starts a new workflow execution (named by
// domain.Contact.ExecutionName: deterministic per reopening), which routes, screens and rates it afresh.
// The earlier pass's deadlines, waits, rating, escalations and outcome are cleared from the contact (they stay
// in the audit: this event names the earlier outcome); the clocks of the new pass run from the reopening
// (domain.Contact.ArrivedAt).
func Reopen(c *domain.Contact, at time.Time, by, reason string) (Result, error) {
	if err := Allowed(Reopened, c); err != nil {
		return Result{}, err
	}
	var probs domain.Problems
	if strings.TrimSpace(reason) == "" {
		probs.Add("reason", "is required: why the contact is reopened")
	}
	if by == "" {
		probs.Add("by", "is required")
	}
	if err := probs.Err(); err != nil {
		return Result{}, err
	}
	detail := map[string]string{"previousStatus": string(c.Status)}
	if c.Outcome != nil {
		detail["previousOutcome"] = string(c.Outcome.Code)
	}
	if c.Rating != nil {
		detail["previousRating"] = string(c.Rating.Value)
	}
	c.Reopenings = append(c.Reopenings, domain.Reopening{By: by, Reason: reason, At: at})
	detail["execution"] = c.ExecutionName()
	c.Status = domain.StatusReceived
	c.Route, c.Rating, c.Outcome, c.Escalations = "", nil, nil, nil
	c.Deadlines, c.Tasks = map[string]time.Time{}, nil
	c.RetainUntil = time.Time{} // open again: not expiring (shared/retention records it anew once it ends)
	return Result{Event: store.AuditEvent{Actor: by, Action: "contact.reopened", Reason: reason, Detail: detail}}, nil
}

// Reraise is what a reopening (Reopen, r its result) brings back to the service manager's tray because its
// reason still holds: a contact found to meet the section 47 threshold (S47, which Reopen keeps) is brought to
// a manager's immediate attention again (Hackney §4(1)), due by the Red checks window from the reopening
// (checks.red, as Flag puts it: the item carries it, the contact does not); and a partner's raised risk that no
// rating answered before the contact left the MASH (riskHeld: its rerate.raised-risk clock was still running
// when Reopen cleared the deadlines) starts that clock again from the reopening, stamped on the contact as
// AnswerCheck stamps it, for the new pass's first rating to answer (Hackney §5). It returns the due time of
// each rule re-raised and names them on r's event (Detail "reraised"); none when nothing holds.
func Reraise(p *policy.Policy, c *domain.Contact, at time.Time, riskHeld bool, r *Result) (map[string]time.Time, error) {
	due := map[string]time.Time{}
	if c.S47 {
		d, err := p.Due(policy.RuleChecksRed, at)
		if err != nil {
			return nil, err
		}
		due[policy.RuleChecksRed] = d
	}
	if riskHeld {
		started, err := start(p, c, policy.EventRiskRaised, at)
		if err != nil {
			return nil, err
		}
		if d, ok := c.Deadlines[policy.RuleRerateRaisedRisk]; ok {
			due[policy.RuleRerateRaisedRisk] = d
		}
		r.Event.Detail = stamp(r.Event.Detail, started, at)
	}
	if len(due) > 0 {
		rules := slices.Sorted(maps.Keys(due))
		if r.Event.Detail == nil {
			r.Event.Detail = map[string]string{}
		}
		r.Event.Detail["reraised"] = strings.Join(rules, " ")
	}
	return due, nil
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// Remind is a notice that moves nothing (a chase, an escalation found by the SLA sweep): allowed in any
// status, audited like every notice.
func Remind(c *domain.Contact, actor, action string, ns ...Notice) Result {
	return Result{Event: store.AuditEvent{Actor: actor, Action: action}, Notices: ns}
}

// Outstanding is what the contact's current rating still asks of the state machine (its replan step, after
// the partner checks and after a re-rating): the agencies of the rating with no answered check and no check
// requested since the rating was set (a re-rating makes earlier unanswered requests stale: they are asked
// again by the new deadline), and the two deadlines.
func Outstanding(c *domain.Contact, reqs []store.CheckRequest) (Plan, error) {
	if c.Rating == nil {
		return Plan{}, domain.Errorf(domain.CodeConflict, "contact is %s and has no rating to plan from", c.Status)
	}
	plan := Plan{ChecksDue: c.Deadlines[policy.ChecksRule(c.Rating.Value)]}
	for _, a := range c.Rating.Agencies {
		done := false
		for _, q := range reqs {
			if q.Agency == a && (q.Answer != nil || !q.RequestedAt.Before(c.Rating.At)) {
				done = true
			}
		}
		if !done {
			plan.Agencies = append(plan.Agencies, a)
		}
	}
	plan.DecisionDue = plan.ChecksDue
	for _, rule := range screeningRules {
		if sd, ok := c.Deadlines[rule]; ok && sd.After(plan.DecisionDue) {
			plan.DecisionDue = sd
		}
	}
	return plan, nil
}

// CloseCheck records a manager closing an unanswered partner check with a reason (the chase stops): the
// decision goes ahead without that agency's answer. The check record says who closed it, when and why.
func CloseCheck(c *domain.Contact, at time.Time, req store.CheckRequest, by, reason string) (Result, error) {
	if strings.TrimSpace(reason) == "" {
		return Result{}, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "reason", Message: "is required: why the check is closed unanswered"}}}
	}
	if req.Answer != nil {
		return Result{}, domain.Errorf(domain.CodeConflict, "check %s was answered; there is nothing to close", req.ID)
	}
	if err := checkOpen(req); err != nil {
		return Result{}, err
	}
	if err := Allowed(CheckOverdue, c); err != nil {
		return Result{}, err
	}
	return Result{Event: store.AuditEvent{Actor: by, Action: "check.closed", Reason: reason,
		Detail: map[string]string{"check": req.ID, "agency": string(req.Agency)}},
		Checks: []store.CheckWrite{{ID: req.ID, Close: &store.CheckClosure{At: at, By: by, Reason: reason}}}}, nil
}
