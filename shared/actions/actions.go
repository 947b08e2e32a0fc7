// Package actions is what people do to a contact in the console or through the API: a manager rates it
// (RAG/BRAG with a rationale), partner agencies answer checks, a manager records the decision or overrides
// consent with a legal basis, someone picks up a tray item. Each action changes the contact under the
// store's version check with its audit event, then completes the Step Functions task token the contact machine
// is waiting on.
package actions

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/workflow"
)

// Tasks completes task tokens: AWS Step Functions in production (SendTaskSuccess/Failure/Heartbeat), the
// local executor in `mash run` and the tests.
type Tasks interface {
	SendTaskSuccess(ctx context.Context, token string, output json.RawMessage) error
	SendTaskHeartbeat(ctx context.Context, token string) error
}

// Service performs the actions.
type Service struct {
	workflow.Env
	Tasks Tasks
}

// Rate is a manager's rating.
type Rate struct {
	Value     domain.Rating   `json:"value"`
	Rationale string          `json:"rationale"`
	By        string          `json:"by"`
	Agencies  []domain.Agency `json:"agencies"` // checks to request besides the mandatory ones
	NoChecks  bool            `json:"noChecks"` // enough is known: straight to the decision
}

// Rate records the rating and releases the contact into partner checks (or straight to the decision).
// The checks are due by the rating's rule (checks.<rag>); the mandatory agencies are always asked when checks
// run (Bexley seed §15). The decision is due when the checks are, or by the screening deadline if later.
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
		probs.Add("rationale", "is required: a rating is set with a written rationale")
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
	if c.Status != domain.StatusAwaitingRating {
		return nil, domain.Errorf(domain.CodeConflict, "contact is %s, not awaiting a rating", c.Status)
	}
	token, itemID, err := s.token(ctx, c, "rating")
	if err != nil {
		return nil, err
	}
	now := s.Now()
	cal, err := p.Calendar()
	if err != nil {
		return nil, err
	}
	rule, ok := p.ChecksDeadline(r.Value)
	if !ok {
		return nil, domain.Errorf(domain.CodeInvalid, "policy %s has no %s rule", p.Authority, policy.ChecksRule(r.Value))
	}
	checksDue, err := cal.Due(rule, now)
	if err != nil {
		return nil, err
	}
	agencies := []domain.Agency{}
	if !r.NoChecks {
		agencies = append(agencies, p.MandatoryAgencies...)
		for _, a := range r.Agencies {
			if !slices.Contains(agencies, a) {
				agencies = append(agencies, a)
			}
		}
	}
	decisionDue := checksDue
	if sd, ok := c.Deadlines[policy.RuleScreeningCSC]; ok && sd.After(decisionDue) {
		decisionDue = sd
	}
	c, err = s.Update(ctx, id, func(c *domain.Contact) (store.AuditEvent, error) {
		if c.Status != domain.StatusAwaitingRating {
			return store.AuditEvent{}, domain.Errorf(domain.CodeConflict, "contact is %s, not awaiting a rating", c.Status)
		}
		c.Rating = &domain.RatingRecord{Value: r.Value, Rationale: r.Rationale, By: r.By, At: now}
		if c.Deadlines == nil {
			c.Deadlines = map[string]time.Time{}
		}
		c.Deadlines[policy.ChecksRule(r.Value)] = checksDue.UTC()
		c.Status = domain.StatusChecks
		if len(agencies) == 0 {
			c.Status = domain.StatusAwaitingDecision
		}
		delete(c.Tasks, "rating")
		return store.AuditEvent{Actor: r.By, Action: "rating.set", Reason: r.Rationale,
			Detail: map[string]string{"rating": string(r.Value), "checksDue": checksDue.UTC().Format(time.RFC3339)}}, nil
	})
	if err != nil {
		return nil, err
	}
	s.completeItems(ctx, r.By, itemID, string(id)+"#ooh")
	cw := workflow.NewWait(checksDue, now, true)
	dw := workflow.NewWait(decisionDue, now, true)
	out, _ := json.Marshal(workflow.RatingResult{Rating: r.Value, Checks: len(agencies) > 0, Agencies: agencies,
		ChecksDueAt: cw.DueAt, ChecksTimeoutSeconds: cw.TimeoutSeconds, ChecksHeartbeatSeconds: cw.HeartbeatSeconds,
		DecisionDueAt: dw.DueAt, DecisionTimeoutSeconds: dw.TimeoutSeconds, DecisionHeartbeatSeconds: dw.HeartbeatSeconds})
	if err := s.Tasks.SendTaskSuccess(ctx, token, out); err != nil {
		return nil, taskErr(err)
	}
	return c, nil
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
	// FeedbackWithheldReason: the referrer is not told, and why (Hackney seed §5).
	FeedbackWithheldReason string `json:"feedbackWithheldReason"`
}

// Decide records the outcome in the authority's vocabulary and releases the contact to its notifications.
// Consent rules are policy: Bexley seed §19 — Family Wellbeing always needs consent — and §9, at least one of
// its criteria.
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
	if err := probs.Err(); err != nil {
		return nil, err
	}
	if c.Status != domain.StatusAwaitingDecision && c.Status != domain.StatusChecks {
		return nil, domain.Errorf(domain.CodeConflict, "contact is %s, not awaiting a decision", c.Status)
	}
	token, itemID, err := s.token(ctx, c, "decision")
	if err != nil {
		return nil, err
	}
	now := s.Now()
	c, err = s.Update(ctx, id, func(c *domain.Contact) (store.AuditEvent, error) {
		c.Outcome = &domain.OutcomeRecord{Code: code, AuthorityTerm: term, By: d.By, At: now, Rationale: d.Rationale}
		c.Status = domain.StatusDecided
		delete(c.Tasks, "decision")
		detail := map[string]string{"outcome": string(code)}
		if d.FeedbackWithheldReason != "" {
			detail["feedbackWithheld"] = d.FeedbackWithheldReason
		}
		return store.AuditEvent{Actor: d.By, Action: "decision.recorded", Reason: d.Rationale, Detail: detail}, nil
	})
	if err != nil {
		return nil, err
	}
	s.completeItems(ctx, d.By, itemID)
	out, _ := json.Marshal(workflow.DecisionResult{Outcome: code})
	if err := s.Tasks.SendTaskSuccess(ctx, token, out); err != nil {
		return nil, taskErr(err)
	}
	return c, nil
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
const KindRiskRaised = "risk-raised"

// AnswerCheck records an agency's answer and completes that check's token.
func (s Service) AnswerCheck(ctx context.Context, id domain.ContactID, checkID string, a Answer) (store.CheckRequest, error) {
	var probs domain.Problems
	if a.By == "" {
		probs.Add("by", "is required")
	}
	if strings.TrimSpace(a.Summary) == "" && !a.NothingKnown {
		probs.Add("summary", "is required unless nothingKnown")
	}
	if err := probs.Err(); err != nil {
		return store.CheckRequest{}, err
	}
	c, p, err := s.Load(ctx, workflow.StepInput{ContactID: id})
	if err != nil {
		return store.CheckRequest{}, err
	}
	req, err := s.Store.AnswerCheck(ctx, id, checkID, store.CheckAnswer{At: s.Now(), By: a.By, Summary: a.Summary,
		RiskHigher: a.RiskHigher, NothingKnown: a.NothingKnown, Restricted: a.Restricted})
	if err != nil {
		return store.CheckRequest{}, err
	}
	if _, err := s.Store.AppendAudit(ctx, store.AuditEvent{ContactID: id, Actor: a.By, Action: "check.answered",
		Detail: map[string]string{"check": checkID, "agency": string(req.Agency), "riskHigher": boolStr(a.RiskHigher)}}); err != nil {
		return store.CheckRequest{}, err
	}
	s.completeItems(ctx, a.By, string(id)+"#checks#"+checkID)
	if a.RiskHigher {
		if err := s.Notifier.Notify(ctx, KindRiskRaised, p, c, map[string]string{"agency": string(req.Agency), "check": checkID}); err != nil {
			return store.CheckRequest{}, err
		}
	}
	out, _ := json.Marshal(workflow.CheckResult{Agency: req.Agency, Answered: true, RaisedRisk: a.RiskHigher})
	if err := s.Tasks.SendTaskSuccess(ctx, req.TaskToken, out); err != nil {
		return store.CheckRequest{}, taskErr(err)
	}
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
	itemID := c.Tasks[tray]
	if itemID == "" {
		return store.TrayItem{}, domain.Errorf(domain.CodeNotFound, "this contact has nothing waiting on the %s tray", tray)
	}
	it, err := s.Store.ClaimTrayItem(ctx, itemID, by)
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

// token finds the task token of the contact's open item on a tray.
func (s Service) token(ctx context.Context, c *domain.Contact, tray string) (token, itemID string, err error) {
	itemID = c.Tasks[tray]
	if itemID == "" {
		return "", "", domain.Errorf(domain.CodeConflict, "contact is not waiting on the %s tray yet", tray)
	}
	it, err := s.Store.GetTrayItem(ctx, itemID)
	if err != nil {
		return "", "", err
	}
	return it.TaskToken, itemID, nil
}

// completeItems closes tray items; an item already closed or absent is fine, a failure is logged (the
// item then shows as overdue and the sweep escalates it, which is the safe side).
func (s Service) completeItems(ctx context.Context, by string, ids ...string) {
	for _, id := range ids {
		if _, err := s.Store.CompleteTrayItem(ctx, id, by); err != nil {
			switch domain.ErrorCode(err) {
			case domain.CodeConflict, domain.CodeNotFound:
			default:
				s.Log.WarnContext(ctx, "tray item not completed", "item", id, "error", err.Error())
			}
		}
	}
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

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func itoa(i int) string { return strconv.Itoa(i) }
