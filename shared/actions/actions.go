// Package actions is what people do to a contact in the console or through the API: a manager rates it
// (RAG/BRAG with a rationale), partner agencies answer checks, a manager records the decision or overrides
// consent with a legal basis, someone picks up a tray item. Each action changes the contact under the
// store's version check with its audit event, then completes the Step Functions task token the contact machine
// is waiting on.
package actions

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/workflow"
)

// Tasks completes task tokens: AWS Step Functions in production (SendTaskSuccess/Failure/Heartbeat), the
// local executor in `mash run` and the tests.
type Tasks interface {
	workflow.Tasks
	SendTaskHeartbeat(ctx context.Context, token string) error
}

// Starter starts a workflow execution (a reopened contact's): Step Functions StartExecution in production,
// the local executor in `mash run` and the tests. An execution of that name already existing is success.
type Starter interface {
	Start(ctx context.Context, in workflow.Start) error
}

// Service performs the actions.
type Service struct {
	workflow.Env
	Tasks   Tasks
	Starter Starter
}

// Rate is a manager's rating.
type Rate struct {
	Value     domain.Rating   `json:"value"`
	Rationale string          `json:"rationale"`
	By        string          `json:"by"`
	Agencies  []domain.Agency `json:"agencies"` // checks to request besides the mandatory ones
	NoChecks  bool            `json:"noChecks"` // enough is known: straight to the decision
}

// Rate records the rating (lifecycle.Rate: its clocks, its notices) and releases the contact into partner
// checks or straight to the decision. While the contact is in checks or awaiting a decision it is a
// re-rating (Northamptonshire §7: reviewed at any point with rationale): the running state machine follows —
// the open check waits are completed as superseded and their agencies asked again by the new deadline, or
// the decision wait is completed as re-rated — and the machine's replan step reads the new rating from the
// contact, so execution, trays and contact agree.
func (s Service) Rate(ctx context.Context, id domain.ContactID, r Rate) (*domain.Contact, error) {
	c, p, err := s.Load(ctx, workflow.StepInput{ContactID: id})
	if err != nil {
		return nil, err
	}
	var probs domain.Problems
	if !p.HasRating(r.Value) {
		probs.Add("value", "must be one of %s for this authority", joinRatings(p.Ratings))
	}
	if strings.TrimSpace(r.Rationale) == "" {
		probs.Add("rationale", "is required: a rating is set (or reviewed) with a written rationale")
	}
	if r.By == "" {
		probs.Add("by", "is required")
	}
	for i, a := range r.Agencies {
		if !a.Valid() {
			probs.Add("agencies["+itoa(i)+"]", "is not an agency: one of %s", domain.Join(domain.Agencies))
		}
	}
	if err := probs.Err(); err != nil {
		return nil, err
	}
	first := c.Status == domain.StatusAwaitingRating
	var token, itemID string
	var contract int
	var ratingWait *store.TrayItem
	var open []store.CheckRequest
	var answered []domain.Agency
	var reqs []store.CheckRequest // the raised-risk items the rating answers (Hackney §5) are read from them
	if first {
		if ratingWait, err = s.wait(ctx, c, string(domain.TrayRating)); err != nil {
			return nil, err
		}
		token, itemID, contract = ratingWait.TaskToken, ratingWait.ID, ratingWait.Contract
		if reqs, err = s.riskChecks(ctx, c); err != nil { // a contact reopened with a raised risk unanswered
			return nil, err
		}
	} else {
		if reqs, err = s.Store.ListChecks(ctx, id); err != nil {
			return nil, err
		}
		for _, q := range reqs {
			if q.Answer != nil {
				answered = append(answered, q.Agency)
			} else if c.Rating != nil && !q.RequestedAt.Before(c.Rating.At) {
				open = append(open, q)
			}
		}
		if c.Status == domain.StatusAwaitingDecision {
			w, err := workflow.OpenWait(ctx, s.Store, c, string(domain.TrayDecision))
			if err != nil {
				return nil, err
			}
			if w != nil {
				token, itemID, contract = w.TaskToken, w.ID, w.Contract
			}
		}
	}
	now := s.Now()
	c, owed, err := s.ApplyOwingLoaded(ctx, p, c, func(c *domain.Contact) (lifecycle.Result, []store.Completion, error) {
		raised := closing(r.By, riskItems(c, reqs)...) // the rating a raised risk asked for is done: closed with it
		res, plan, err := lifecycle.Rate(p, c, now, lifecycle.Rating{Value: r.Value, Rationale: r.Rationale, By: r.By,
			Agencies: r.Agencies, NoChecks: r.NoChecks}, answered)
		if err != nil {
			return res, nil, err
		}
		res.Closes = raised
		if first && c.Route != domain.RouteMASH {
			// Only a contact routed out of hours has an item on the out-of-hours tray (shared/ooh): the rating
			// ends it, in its own write; none to read for one that came in while the MASH was open.
			res.Closes = append(res.Closes, store.ItemClose{ID: string(id) + "#ooh", By: r.By})
		}
		// The superseded checks' items, in the re-rating's own write (a completion closes only its own).
		res.Closes = append(res.Closes, closing(r.By, checkItems(id, open)...)...)
		// The waits the rating answers, owed in the rating's own write (issue #13): the first rating tells the
		// rating wait its plan; a re-rating replaces the open check waits (the machine's replan step asks again
		// what is outstanding) or the decision wait.
		var owed []store.Completion
		if first {
			out, _ := json.Marshal(workflow.PlanResult(plan, r.Value, now))
			cp := completion(id, itemID, string(domain.TrayRating), token, r.By, out).of(contract)
			cp.Wait = ratingWait // closed as read, not read again (docs/cost.md)
			return res, owing(cp), nil
		}
		owed = append(owed, superseded(id, open, r.By, workflow.PlanResult(plan, r.Value, now))...)
		if token != "" {
			out, _ := json.Marshal(workflow.DecisionResult{Rerated: true})
			owed = append(owed, completion(id, itemID, string(domain.TrayDecision), token, r.By, out).of(contract))
		}
		return res, owing(owed...), nil
	})
	if err != nil {
		return nil, err
	}
	s.send(ctx, owed)
	return c, nil
}

// superseded are the completions a change owes the open check waits it ends (a re-rating, a forward): one per
// task token, since state RequestChecks holds one token for all of a rating's agencies (an earlier
// definition's Map held one per agency). A wait asked under contract 4 is told next, what follows the checks
// (workflow.ChecksPlanned: the re-rating's plan, so ChecksNeeded when it asks checks again, or Forwarded); an
// earlier one that it was superseded (its replan step reads what follows). The change closes every open
// check's item in its own write too (store.Change.Closes of checkItems): a completion closes only its own.
func superseded(id domain.ContactID, open []store.CheckRequest, by string, next workflow.RatingResult) []store.Completion {
	var owed []store.Completion
	told := map[string]bool{}
	for _, q := range open {
		if q.TaskToken == "" || told[q.TaskToken] {
			continue
		}
		told[q.TaskToken] = true
		out, _ := json.Marshal(workflow.CheckResult{Agency: q.Agency, Superseded: true})
		if workflow.ChecksPlanned(q.Contract) {
			out, _ = json.Marshal(next)
		}
		owed = append(owed, completion(id, CheckItemID(id, q.ID), string(domain.TrayChecks), q.TaskToken, by, out).of(q.Contract))
	}
	return owed
}

// checkEnds is the completion owed when answering or closing check done leaves no check open under its token
// (workflow.ChecksEnd, which moves the contact to awaiting its decision when the decision is next).
func checkEnds(c *domain.Contact, reqs []store.CheckRequest, done store.CheckRequest, by string, result workflow.CheckResult, now time.Time, ev *store.AuditEvent) ([]store.Completion, error) {
	owed, err := workflow.ChecksEnd(c, reqs, done, by, result, now, ev)
	return owing(owed...), err
}

// mendChecksWait is what an answer or closure that ended nothing does after its commit, while the contact is
// in its checks: it reads the contact's checks again and, when none is open under its check's token and none
// carries the wait's completion, ends the wait itself (workflow.MendChecksWait: two answers written at once each
// read the other's check open, and neither owed the completion). It returns the completion owed, if any. A
// failure here loses nothing: the answer is recorded, and the SLA sweep's reconciliation ends such a wait.
func (s Service) mendChecksWait(ctx context.Context, p *policy.Policy, id domain.ContactID, checkID, by string) []store.Completion {
	reqs, err := s.Store.ListChecks(ctx, id)
	if err == nil {
		i := slices.IndexFunc(reqs, func(q store.CheckRequest) bool { return q.ID == checkID })
		if i < 0 || !workflow.ChecksWaitUnended(reqs[i], reqs) {
			return nil // a check still open under its token (its answer ends the wait), or the wait's completion owed
		}
		var owed []store.Completion
		if owed, err = s.MendChecksWait(ctx, p, id, checkID, by, "answers written at the same time each found another check still open, "+
			"so none of them ended the partner checks' wait: the last of them to read the checks again ends it"); err == nil {
			return owed
		}
	}
	if s.Log != nil {
		s.Log.WarnContext(ctx, "checks not read again after an answer; the SLA sweep ends a wait left waiting", "contactId", id, "check", checkID,
			"error", err.Error())
	}
	return nil
}

// checkItems are the checks' tray item ids.
func checkItems(id domain.ContactID, reqs []store.CheckRequest) []string {
	ids := make([]string, len(reqs))
	for i, q := range reqs {
		ids[i] = CheckItemID(id, q.ID)
	}
	return ids
}

// checkOf finds a check among the contact's checks (404 when it is not one of them).
func checkOf(reqs []store.CheckRequest, id domain.ContactID, checkID string) (store.CheckRequest, error) {
	for _, q := range reqs {
		if q.ID == checkID {
			return q, nil
		}
	}
	return store.CheckRequest{}, &domain.Error{Code: domain.CodeNotFound, Message: "contact " + string(id) + " has no check " + checkID}
}

// CheckItemID is the id of a partner check's item on the checks tray (shared/checks puts it there).
func CheckItemID(id domain.ContactID, checkID string) string {
	return workflow.CheckItemID(id, checkID)
}

// completion is the completion an action owes one wait (owing drops one whose wait has no token).
func completion(id domain.ContactID, itemID, tray, token, by string, out json.RawMessage) owedCompletion {
	return owedCompletion{ID: itemID, ContactID: id, Tray: tray, TaskToken: token, Output: out, By: by}
}

// owedCompletion is a store.Completion being built.
type owedCompletion store.Completion

// of records the contract of the definition that parked the wait (its tray item's), so that the wait is told
// in the terms that definition catches (workflow.Tell).
func (c owedCompletion) of(contract int) store.Completion {
	c.Contract = contract
	return store.Completion(c)
}

// send tells the workflow the completions an action owes, at once (workflow.Completer). The action is
// recorded with them whatever happens here: one not acknowledged stays pending in the outbox of completions,
// which the SLA sweep drains, so a failed SendTaskSuccess neither loses the action nor fails the request
// (issue #13: a decision committed while SendTaskSuccess failed got a 409 on its retry).
//
// Where the table's stream tells them (Env.ByStream: AWS), the action leaves them to it.
func (s Service) send(ctx context.Context, owed []store.Completion) {
	if len(owed) == 0 || s.ByStream {
		return
	}
	_, _ = workflow.Completer{Store: s.Store, Tasks: s.Tasks, Log: s.Log, Now: s.Now, Unmarked: s.UnmarkedContract}.Send(ctx, owed)
}

// taskErr keeps a domain error from the Tasks port (conflict: the wait is over) and marks anything else as
// transient: the change is recorded; completing the token again is safe.
func taskErr(err error) error {
	if domain.ErrorCode(err) != domain.CodeInternal {
		return err
	}
	return &workflow.TransientError{Err: err}
}

// Decide is a manager's decision.
type Decide struct {
	// Outcome is the product's code, or Term the authority's own word for it (one is enough).
	Outcome   domain.OutcomeCode `json:"outcome"`
	Term      string             `json:"term"`
	Rationale string             `json:"rationale"`
	By        string             `json:"by"`
	// Criteria the decision meets where the policy requires them (Bexley seed §9 Family Wellbeing).
	Criteria []string `json:"criteria"`
	// FeedbackWithheldReason: the referrer is not told, and why (Hackney seed §5). Given, no feedback goes.
	FeedbackWithheldReason string `json:"feedbackWithheldReason"`
	// WithholdFeedback without a reason is refused where the policy needs one (Hackney §5).
	WithholdFeedback bool `json:"withholdFeedback"`
	// SupportingFamilies are the programme's headline outcomes that apply, recorded at an early help decision
	// where the policy has the programme (Portsmouth §5.3); an empty list says none apply.
	SupportingFamilies []domain.SupportingFamiliesOutcome `json:"supportingFamilies"`
}

// Decide records the outcome in the authority's vocabulary (lifecycle.Decide: feedback unless withheld,
// strategy discussion for S47, LADO, Channel) and releases the contact. Consent rules are policy: Bexley seed
// §19 — Family Wellbeing always needs consent — and §9, at least one of its criteria.
func (s Service) Decide(ctx context.Context, id domain.ContactID, d Decide) (*domain.Contact, error) {
	c, p, err := s.Load(ctx, workflow.StepInput{ContactID: id})
	if err != nil {
		return nil, err
	}
	var probs domain.Problems
	code := d.Outcome
	if code == "" && d.Term != "" {
		if c, ok := p.OutcomeCode(d.Term); ok {
			code = c
		} else {
			probs.Add("term", "is not one of this authority's outcome terms: %s", strings.Join(outcomeTerms(p), "; "))
		}
	}
	term, ok := p.OutcomeTerm(code)
	if code == "" && d.Term == "" {
		probs.Add("outcome", "is required")
	} else if code != "" && !ok {
		probs.Add("outcome", "is not an outcome this authority uses: one of %s", strings.Join(outcomeCodes(p), ", "))
	}
	if strings.TrimSpace(d.Rationale) == "" {
		probs.Add("rationale", "is required")
	}
	if d.By == "" {
		probs.Add("by", "is required")
	}
	if p.Feedback.Required && p.Feedback.ReasonRequiredWhenWithheld && d.WithholdFeedback && strings.TrimSpace(d.FeedbackWithheldReason) == "" {
		probs.Add("feedbackWithheldReason", "is required to withhold feedback from the referrer")
	}
	if code != "" && p.ConsentRequired(code) && c.Consent.Status != domain.ConsentGiven && c.Consent.Override == nil {
		probs.Add("outcome", "needs the family's consent, which this contact does not record")
	}
	if crit := p.Consent.Criteria[code]; len(crit) > 0 {
		met := false
		for _, x := range d.Criteria {
			met = met || slices.Contains(crit, x)
		}
		if !met {
			probs.Add("criteria", "must name at least one of: %s", strings.Join(crit, "; "))
		}
	}
	sf := supportingFamilies(&probs, p, code, d.SupportingFamilies)
	if err := probs.Err(); err != nil {
		return nil, err
	}
	if err := lifecycle.Allowed(lifecycle.Decided, c); err != nil {
		return nil, err
	}
	decisionWait, err := s.wait(ctx, c, string(domain.TrayDecision))
	if err != nil {
		return nil, err
	}
	token, itemID, contract := decisionWait.TaskToken, decisionWait.ID, decisionWait.Contract
	reqs, err := s.riskChecks(ctx, c)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	out, _ := json.Marshal(workflow.DecisionResult{Outcome: code})
	c, owed, err := s.ApplyOwingLoaded(ctx, p, c, func(c *domain.Contact) (lifecycle.Result, []store.Completion, error) {
		closes := managerCloses(c, reqs, d.By) // the decision ends them: closed in its own write
		res, err := lifecycle.Decide(p, c, now, lifecycle.Decision{Code: code, Term: term, Rationale: d.Rationale, By: d.By,
			FeedbackWithheldReason: d.FeedbackWithheldReason, SupportingFamilies: sf})
		res.Closes = closes
		cp := completion(id, itemID, string(domain.TrayDecision), token, d.By, out).of(contract)
		cp.Wait = decisionWait // closed as read, not read again (docs/cost.md)
		return res, owing(cp), err
	})
	if err != nil {
		return nil, err
	}
	s.send(ctx, owed)
	return c, nil
}

// owing lists the completions that have a token to complete.
func owing(cps ...store.Completion) []store.Completion {
	return slices.DeleteFunc(cps, func(cp store.Completion) bool { return cp.TaskToken == "" })
}

// Escalate is a manager putting the decision to the next role of the policy's decision chain.
type Escalate struct {
	Reason string `json:"reason"`
	By     string `json:"by"`
}

// Escalate puts the contact's decision on the service manager's tray (Northamptonshire §10: on
// disagreement the CSC service manager makes the final determination), due by the decision's own deadline.
// The decision then recorded names the role that made it.
func (s Service) Escalate(ctx context.Context, id domain.ContactID, e Escalate) (*domain.Contact, error) {
	c, p, err := s.Load(ctx, workflow.StepInput{ContactID: id})
	if err != nil {
		return nil, err
	}
	now := s.Now()
	due := now
	if it, err := workflow.OpenWait(ctx, s.Store, c, string(domain.TrayDecision)); err == nil && it != nil {
		due = it.DueAt
	}
	// The service manager's item is in the transition's one atomic write.
	return s.Apply(ctx, p, id, func(c *domain.Contact) (lifecycle.Result, error) {
		r, _, err := lifecycle.EscalateDecision(p, c, now, e.By, e.Reason)
		if err == nil {
			r.TrayItems = append(r.TrayItems, store.TrayItem{ID: EscalationItemID(c),
				Tray: string(domain.TrayServiceManager), Authority: c.Authority, ContactID: id, DueAt: due.UTC(), Rule: policy.RuleEscalatedDecision})
		}
		return r, err
	})
}

// Flag is what a worker found after intake.
type Flag struct {
	AllegationAgainstProfessional bool `json:"allegationAgainstProfessional"`
	Radicalisation                bool `json:"radicalisation"`
	S47                           bool `json:"s47"`
	// Homeless: homeless or threatened with homelessness (Portsmouth §4.12: a 16- or 17-year-old takes the
	// joint housing protocol route).
	Homeless bool   `json:"homeless"`
	By       string `json:"by"`
}

// Flag records flags a worker found (lifecycle.Flag): the LADO and Channel are told at once; a contact
// meeting the section 47 threshold goes to the top of the service manager's tray, due by the policy's Red
// window (checks.red), and the duty manager is told (Hackney §4(1)).
func (s Service) Flag(ctx context.Context, id domain.ContactID, f Flag) (*domain.Contact, error) {
	if !f.AllegationAgainstProfessional && !f.Radicalisation && !f.S47 && !f.Homeless {
		return nil, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "flags",
			Message: "name at least one of allegationAgainstProfessional, radicalisation, s47, homeless"}}}
	}
	_, p, err := s.Load(ctx, workflow.StepInput{ContactID: id})
	if err != nil {
		return nil, err
	}
	now := s.Now()
	var due time.Time
	if f.S47 {
		if due, err = p.Due(policy.RuleChecksRed, now); err != nil {
			return nil, err
		}
	}
	// The service manager's S47 item is in the transition's one atomic write.
	return s.Apply(ctx, p, id, func(c *domain.Contact) (lifecycle.Result, error) {
		r, err := lifecycle.Flag(p, c, now, f.By, domain.Flags{AllegationAgainstProfessional: f.AllegationAgainstProfessional,
			Radicalisation: f.Radicalisation, Homeless: f.Homeless}, f.S47)
		if err == nil && f.S47 {
			r.TrayItems = append(r.TrayItems, store.TrayItem{ID: S47ItemID(c),
				Tray: string(domain.TrayServiceManager), Authority: c.Authority, ContactID: id, DueAt: due.UTC(), Rule: policy.RuleChecksRed})
		}
		return r, err
	})
}

// CloseCheck is a manager closing an unanswered check.
type CloseCheck struct {
	Reason string `json:"reason"`
	By     string `json:"by"`
}

// CloseCheck closes an unanswered partner check with a reason (lifecycle.CloseCheck: the closure on the check
// record, in the transition's write): its item leaves the checks tray and the SLA sweep chases it no more,
// and a wait still open on it is completed unanswered.
func (s Service) CloseCheck(ctx context.Context, id domain.ContactID, checkID string, cc CloseCheck) (store.CheckRequest, error) {
	_, p, err := s.Load(ctx, workflow.StepInput{ContactID: id})
	if err != nil {
		return store.CheckRequest{}, err
	}
	now := s.Now()
	var req store.CheckRequest
	c, owed, err := s.ApplyOwing(ctx, p, id, func(c *domain.Contact) (lifecycle.Result, []store.Completion, error) {
		// Read inside the change, so a retry after a concurrent change sees the check as it now is; the
		// closure is on the check record, in the transition's write.
		reqs, err := s.Store.ListChecks(ctx, id)
		if err != nil {
			return lifecycle.Result{}, nil, err
		}
		if req, err = checkOf(reqs, id, checkID); err != nil {
			return lifecycle.Result{}, nil, err
		}
		res, err := lifecycle.CloseCheck(c, now, req, cc.By, cc.Reason)
		if err != nil {
			return res, nil, err
		}
		done := req
		done.Closed = &store.CheckClosure{At: now, By: cc.By, Reason: cc.Reason}
		// A check without a token still leaves the tray: its item is closed in the closure's own write (on the
		// check's record, which keeps it: docs/cost.md).
		res.Closes = append(res.Closes, store.ItemClose{ID: CheckItemID(id, checkID), By: cc.By})
		owed, err := checkEnds(c, reqs, done, cc.By, workflow.CheckResult{Agency: req.Agency}, now, &res.Event)
		return res, owed, err
	})
	if err != nil {
		return store.CheckRequest{}, err
	}
	if len(owed) == 0 && c.Status == domain.StatusChecks {
		owed = s.mendChecksWait(ctx, p, id, checkID, cc.By)
	}
	if got, err := s.Store.GetCheck(ctx, id, checkID); err == nil {
		req = got
	}
	s.send(ctx, owed)
	return req, nil
}

// Answer is an agency's answer to a check.
type Answer struct {
	By           string `json:"by"`
	Summary      string `json:"summary"`
	RiskHigher   bool   `json:"riskHigher"`
	NothingKnown bool   `json:"nothingKnown"`
	// Restricted are restricted police records given with a police check's answer (the API builds them
	// from restrictedInformation); the store writes them apart from the check, in the same atomic write.
	Restricted []store.RestrictedRecord `json:"-"`
}

// KindRiskRaised is the message to the manager when an agency flags risk higher than rated (Hackney §5).
const KindRiskRaised = domain.NoticeRiskRaised

// AnswerCheck records an agency's answer (lifecycle.AnswerCheck: raised risk goes to the manager at once,
// on the service manager's tray, for re-rating) and completes that check's token.
func (s Service) AnswerCheck(ctx context.Context, id domain.ContactID, checkID string, a Answer) (store.CheckRequest, error) {
	var probs domain.Problems
	if a.By == "" {
		probs.Add("by", "is required")
	}
	if strings.TrimSpace(a.Summary) == "" && !a.NothingKnown {
		probs.Add("summary", "is required: write what your agency knows, or tick that it holds no information (nothingKnown)")
	}
	if err := probs.Err(); err != nil {
		return store.CheckRequest{}, err
	}
	c, p, err := s.Load(ctx, workflow.StepInput{ContactID: id})
	if err != nil {
		return store.CheckRequest{}, err
	}
	if err := lifecycle.Allowed(lifecycle.CheckAnswered, c); err != nil {
		return store.CheckRequest{}, err
	}
	ans := store.CheckAnswer{At: s.Now(), By: a.By, Summary: a.Summary, RiskHigher: a.RiskHigher, NothingKnown: a.NothingKnown, Restricted: a.Restricted}
	var req store.CheckRequest
	// The answer (and a police answer's restricted records), the transition, its messages, the raised risk's
	// tray item and the completion owed are one atomic write: nothing half-written.
	_, owed, err := s.ApplyOwingLoaded(ctx, p, c, func(c *domain.Contact) (lifecycle.Result, []store.Completion, error) {
		// Read inside the change, so a retry after a concurrent change sees the check as it now is (a second
		// answer is a 409, not a retry).
		reqs, err := s.Store.ListChecks(ctx, id)
		if err != nil {
			return lifecycle.Result{}, nil, err
		}
		if req, err = checkOf(reqs, id, checkID); err != nil {
			return lifecycle.Result{}, nil, err
		}
		res, err := lifecycle.AnswerCheck(p, c, req, ans)
		if err == nil && a.RiskHigher {
			// Top of the manager's tray for immediate re-rating, due by its own short clock (rerate.raised-risk,
			// stamped by the transition), in the transition's atomic write.
			res.TrayItems = append(res.TrayItems, store.TrayItem{ID: RiskItemID(id, checkID),
				Tray: string(domain.TrayServiceManager), Authority: c.Authority, ContactID: id,
				DueAt: lifecycle.RerateDue(c, ans.At).UTC(), Rule: policy.RuleRerateRaisedRisk})
		}
		if err != nil {
			return res, nil, err
		}
		done := req
		done.Answer = &ans
		// Answered: its item leaves the checks tray in the answer's own write (on the check's record, which keeps
		// it: docs/cost.md), whether or not the wait goes on for the others.
		res.Closes = append(res.Closes, store.ItemClose{ID: CheckItemID(id, checkID), By: a.By})
		owed, err := checkEnds(c, reqs, done, a.By, workflow.CheckResult{Agency: req.Agency, Answered: true, RaisedRisk: a.RiskHigher}, ans.At, &res.Event)
		// An answer that ends nothing and sets nothing on the contact (no raised risk, no restricted records)
		// does not rewrite it (docs/cost.md "An answer that leaves checks open does not rewrite the contact"):
		// its check record, written under the version read, is its guard, since every change that would take
		// the contact out of the checks or end the check's wait writes that record while its item is open (a
		// re-rating, a forward, the answer or closure that ends the wait). Only in the checks: a merge or a
		// manager's closure of the contact, which write no check record, cannot happen there.
		open, _, kept := req.KeptItem()
		if len(res.Checks) == 1 {
			res.Checks[0].LeaveContact = len(owed) == 0 && !a.RiskHigher && len(a.Restricted) == 0 && c.Status == domain.StatusChecks && kept && open
		}
		return res, owed, err
	})
	if err != nil {
		return store.CheckRequest{}, err
	}
	if len(owed) == 0 && c.Status == domain.StatusChecks {
		owed = s.mendChecksWait(ctx, p, id, checkID, a.By)
	}
	// The check as the change wrote it (not read again: docs/cost.md): the answer, its restricted records
	// counted and kept apart (store.CheckWrite).
	written := ans
	written.RestrictedRecords += len(written.Restricted)
	written.Restricted = nil
	req.Answer = &written
	req.Version++
	s.send(ctx, owed)
	return req, nil
}

// OverrideConsent records a manager's decision to proceed without consent, with a legal basis the policy
// allows (Hackney seed §7: only where there are urgent safety concerns; Bexley §27: agreed and recorded).
func (s Service) OverrideConsent(ctx context.Context, id domain.ContactID, o domain.ConsentOverride) (*domain.Contact, error) {
	_, p, err := s.Load(ctx, workflow.StepInput{ContactID: id})
	if err != nil {
		return nil, err
	}
	var probs domain.Problems
	if o.By == "" {
		probs.Add("by", "is required")
	}
	if strings.TrimSpace(o.Rationale) == "" {
		probs.Add("rationale", "is required")
	}
	if !slices.Contains(p.Consent.OverrideBases, o.LegalBasis) {
		probs.Add("legalBasis", "must be one of the bases this authority allows: %s", domain.Join(p.Consent.OverrideBases))
	}
	if p.Consent.OverrideRequiresUrgentRisk && !o.UrgentRisk {
		probs.Add("urgentRisk", "must be true: consent may be overridden only where there are urgent concerns for the child's safety and telling the family may increase the immediate risk")
	}
	if err := probs.Err(); err != nil {
		return nil, err
	}
	o.At = s.Now()
	return s.Update(ctx, id, func(c *domain.Contact) (store.AuditEvent, error) {
		c.Consent.Override = &o
		return store.AuditEvent{Actor: o.By, Action: "consent.overridden", Reason: o.Rationale,
			Detail: map[string]string{"legalBasis": string(o.LegalBasis)}}, nil
	})
}

// Claim marks a contact's open tray item as picked up and sends the wait's heartbeat: the "nobody has
// picked this up" warning will not fire.
func (s Service) Claim(ctx context.Context, id domain.ContactID, tray, by string) (store.TrayItem, error) {
	c, _, err := s.Load(ctx, workflow.StepInput{ContactID: id})
	if err != nil {
		return store.TrayItem{}, err
	}
	w, err := s.claimable(ctx, c, tray)
	if err != nil {
		return store.TrayItem{}, err
	}
	it, err := s.Store.ClaimTrayItem(ctx, w.ID, by)
	if err != nil {
		return store.TrayItem{}, err
	}
	if it.TaskToken != "" {
		if err := s.Tasks.SendTaskHeartbeat(ctx, it.TaskToken); err != nil {
			return store.TrayItem{}, taskErr(err)
		}
	}
	return it, nil
}

// Unclaim puts the contact's claimed item on a tray back for anyone to pick up, audited as tray.unclaimed
// (with whose claim it was) in the same write. Only the person who claimed it may, or a manager (manager
// true: someone is off sick and their work must move). Conflict when the item is not claimed.
func (s Service) Unclaim(ctx context.Context, id domain.ContactID, tray, by string, manager bool) (store.TrayItem, error) {
	c, _, err := s.Load(ctx, workflow.StepInput{ContactID: id})
	if err != nil {
		return store.TrayItem{}, err
	}
	w, err := s.claimable(ctx, c, tray)
	if err != nil {
		return store.TrayItem{}, err
	}
	it, itemID := *w, w.ID
	if it.ClaimedBy == "" {
		return store.TrayItem{}, domain.Errorf(domain.CodeConflict, "nobody has claimed this contact's item on the %s tray", tray)
	}
	if it.ClaimedBy != by && !manager {
		return store.TrayItem{}, domain.Errorf(domain.CodeForbidden, "only the person who claimed it, or a manager, may unclaim it")
	}
	return s.Store.UnclaimTrayItem(ctx, itemID, store.AuditEvent{Actor: by, Action: "tray.unclaimed",
		Detail: map[string]string{"tray": tray, "item": itemID, "claimedBy": it.ClaimedBy}})
}

// claimable is the contact's item on a tray that a person may claim or unclaim (a rating's or decision's wait:
// workflow.OpenWait); not found when it has none.
func (s Service) claimable(ctx context.Context, c *domain.Contact, tray string) (*store.TrayItem, error) {
	w, err := workflow.OpenWait(ctx, s.Store, c, tray)
	if err != nil {
		return nil, err
	}
	if w == nil {
		return nil, domain.Errorf(domain.CodeNotFound, "this contact has nothing waiting on the %s tray", tray)
	}
	return w, nil
}

// token finds the task token of the contact's open item on a tray.
func (s Service) token(ctx context.Context, c *domain.Contact, tray string) (token, itemID string, contract int, err error) {
	it, err := s.wait(ctx, c, tray)
	if err != nil {
		return "", "", 0, err
	}
	return it.TaskToken, it.ID, it.Contract, nil
}

// wait reads the contact's open item on a tray (workflow.OpenWait, with its Version: a completion that carries
// it closes it without the store reading it again, store.Completion.Wait).
func (s Service) wait(ctx context.Context, c *domain.Contact, tray string) (*store.TrayItem, error) {
	it, err := workflow.OpenWait(ctx, s.Store, c, tray)
	if err != nil {
		return nil, err
	}
	if it == nil {
		want := domain.StatusAwaitingRating
		if tray == string(domain.TrayDecision) {
			want = domain.StatusAwaitingDecision
		}
		if c.Status == want {
			// The contact has just reached the tray (the last answer of its checks moves it to awaiting its
			// decision) and the workflow's wait has not started yet: a moment later it has.
			return nil, domain.Errorf(domain.CodeConflict, "contact is %s but its wait on the %s tray has not started yet: try again in a moment",
				c.Status, tray)
		}
		return nil, domain.Errorf(domain.CodeConflict, "contact is %s and not waiting on the %s tray yet; this is allowed only when it is %s",
			c.Status, tray, want)
	}
	return it, nil
}

// The service manager's items of a contact are one per pass through the front door: pass is "" for the first,
// "#r<n>" after the n-th reopening (Reopen), so that an item of an earlier pass — closed, kept on record — is
// never taken for the new pass's (a reopened contact escalated or flagged again gets an item of its own).
func pass(c *domain.Contact) string {
	if n := len(c.Reopenings); n > 0 {
		return "#r" + itoa(n)
	}
	return ""
}

func managerItem(id domain.ContactID) string {
	return string(id) + "#" + string(domain.TrayServiceManager)
}

// S47ItemID is the id of a section 47 contact's item on the service manager's tray (Flag puts it there, and a
// reopening while the threshold holds: Reopen).
func S47ItemID(c *domain.Contact) string { return managerItem(c.ID) + "#s47" + pass(c) }

// EscalationItemID is the id of a contact's escalated decision on the service manager's tray (Escalate).
func EscalationItemID(c *domain.Contact) string { return managerItem(c.ID) + pass(c) }

// RiskItemID is the id of the item a partner's raised risk puts on the service manager's tray (AnswerCheck).
func RiskItemID(id domain.ContactID, checkID string) string {
	return managerItem(id) + "#risk#" + checkID
}

// ReraisedRiskItemID is the id of the item a reopening puts on the service manager's tray for a partner's raised
// risk that no rating answered before the contact was closed (Reopen, lifecycle.Reraise).
func ReraisedRiskItemID(c *domain.Contact) string { return managerItem(c.ID) + "#risk" + pass(c) }

// riskChecks reads the contact's checks when it may have raised-risk items open (its rerate.raised-risk clock
// running: a rating stops it and closes them); none otherwise, so a contact that never had one costs no read.
func (s Service) riskChecks(ctx context.Context, c *domain.Contact) ([]store.CheckRequest, error) {
	if _, ok := c.Deadlines[policy.RuleRerateRaisedRisk]; !ok {
		return nil, nil
	}
	return s.Store.ListChecks(ctx, c.ID)
}

// riskItems are the contact's raised-risk items of this pass that its clock still asks a rating for: one per
// check of the pass answered with the risk raised (AnswerCheck), and the reopening's (Reopen). reqs are the
// contact's checks (riskChecks).
func riskItems(c *domain.Contact, reqs []store.CheckRequest) []string {
	if _, ok := c.Deadlines[policy.RuleRerateRaisedRisk]; !ok {
		return nil
	}
	var since time.Time
	if n := len(c.Reopenings); n > 0 {
		since = c.Reopenings[n-1].At
	}
	var ids []string
	for _, q := range reqs {
		if q.Answer != nil && q.Answer.RiskHigher && !q.Answer.At.Before(since) {
			ids = append(ids, RiskItemID(c.ID, q.ID))
		}
	}
	if len(c.Reopenings) > 0 {
		ids = append(ids, ReraisedRiskItemID(c))
	}
	return ids
}

// managerCloses are the closes (in the action's own write: store.Change.Closes) of the contact's items on the
// service manager's tray that its decision, a forward, a merge or its closure ends: the escalated decision
// (Escalate), the S47 item (Flag, Reopen) and the raised-risk items no rating has answered (riskItems; reqs from
// riskChecks). Only the items the contact can have are named, so one that never had any costs no read.
func managerCloses(c *domain.Contact, reqs []store.CheckRequest, by string) []store.ItemClose {
	var ids []string
	if len(c.Escalations) > 0 {
		ids = append(ids, EscalationItemID(c))
	}
	if c.S47 {
		ids = append(ids, S47ItemID(c))
	}
	return closing(by, append(ids, riskItems(c, reqs)...)...)
}

// closing is the closes of items ids by who acted.
func closing(by string, ids ...string) []store.ItemClose {
	out := make([]store.ItemClose, 0, len(ids))
	for _, id := range ids {
		out = append(out, store.ItemClose{ID: id, By: by})
	}
	return out
}

func joinRatings(rs []domain.Rating) string { return domain.Join(rs) }

// outcomeCodes and outcomeTerms list the authority's outcomes for an error message.
func outcomeCodes(p *policy.Policy) []string {
	var ss []string
	for _, o := range p.Outcomes {
		ss = append(ss, string(o.Code))
	}
	return ss
}

func outcomeTerms(p *policy.Policy) []string {
	var ss []string
	for _, o := range p.Outcomes {
		ss = append(ss, o.Term)
	}
	return ss
}

func itoa(i int) string { return strconv.Itoa(i) }

// Close is a manager closing a contact that has left the MASH (decided, forwarded, returned for consent).
type Close struct {
	Reason string `json:"reason"`
	By     string `json:"by"`
}

// Close closes a contact with a reason (lifecycle.Close).
func (s Service) Close(ctx context.Context, id domain.ContactID, cl Close) (*domain.Contact, error) {
	c, p, err := s.Load(ctx, workflow.StepInput{ContactID: id})
	if err != nil {
		return nil, err
	}
	reqs, err := s.Store.ListChecks(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	return s.ApplyLoaded(ctx, p, c, func(c *domain.Contact) (lifecycle.Result, error) {
		closes := managerCloses(c, reqs, cl.By) // its service manager's items end with it, in its own write
		r, err := lifecycle.Close(c, cl.By, cl.Reason)
		r.Closes = append(closes, unanswerable(c.ID, reqs, cl.By)...)
		return r, err
	})
}

// unanswerable are the closes (in the action's own write) of the items its checks still keep open on the checks
// tray, when the action leaves the contact where no check can be answered (a manager's closure, a merge): no
// agency can answer them any more, and writing their records is what refuses an answer read before the action
// and written after it (an answer that leaves the contact is guarded by its check record alone: docs/cost.md
// "An answer that leaves checks open does not rewrite the contact").
func unanswerable(id domain.ContactID, reqs []store.CheckRequest, by string) []store.ItemClose {
	var ids []string
	for _, q := range reqs {
		if open, _, kept := q.KeptItem(); q.Open() && (open || !kept) {
			ids = append(ids, CheckItemID(id, q.ID))
		}
	}
	return closing(by, ids...)
}

// Reopen brings a closed contact (or one returned for consent) back to the front door (lifecycle.Reopen) and
// starts a new workflow execution for it, named by the reopening (domain.Contact.ExecutionName:
// "<id>-reopen-<n>"), so a redelivered start starts nothing twice. The reopening is recorded first; if the
// start then fails, the request fails as transient and asking again (the contact is then received, reopened)
// starts the same execution, not a second one — as does the local runner's redrive. What still holds is
// re-raised on the service manager's tray in the reopening's write (lifecycle.Reraise): the S47 item of a
// contact flagged S47, and a raised risk no rating answered before the contact was closed.
func (s Service) Reopen(ctx context.Context, id domain.ContactID, r Close) (*domain.Contact, error) {
	c, p, err := s.Load(ctx, workflow.StepInput{ContactID: id})
	if err != nil {
		return nil, err
	}
	if s.Starter == nil {
		return nil, domain.Errorf(domain.CodeInternal, "this service cannot start a workflow execution")
	}
	if !(c.Status == domain.StatusReceived && len(c.Reopenings) > 0) {
		now := s.Now()
		if c, err = s.Apply(ctx, p, id, func(c *domain.Contact) (lifecycle.Result, error) {
			_, riskHeld := c.Deadlines[policy.RuleRerateRaisedRisk] // a raised risk no rating answered
			res, err := lifecycle.Reopen(c, now, r.By, r.Reason)
			if err != nil {
				return res, err
			}
			// What still holds comes back to the service manager's tray in the reopening's own write, as items of
			// the new pass (pass).
			due, err := lifecycle.Reraise(p, c, now, riskHeld, &res)
			if err != nil {
				return res, err
			}
			for _, rule := range slices.Sorted(maps.Keys(due)) {
				at := due[rule]
				itemID := S47ItemID(c)
				if rule == policy.RuleRerateRaisedRisk {
					itemID = ReraisedRiskItemID(c)
				}
				res.TrayItems = append(res.TrayItems, store.TrayItem{ID: itemID, Tray: string(domain.TrayServiceManager),
					Authority: c.Authority, ContactID: id, DueAt: at.UTC(), Rule: rule})
			}
			return res, nil
		}); err != nil {
			return nil, err
		}
	}
	if err := s.Starter.Start(ctx, workflow.Start{ContactID: c.ID, Authority: c.Authority, Name: c.ExecutionName()}); err != nil {
		return nil, &workflow.TransientError{Err: err}
	}
	return c, nil
}
