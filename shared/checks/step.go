// Package checks sends MASH partner-check requests to agencies and records their answers. Each request is
// answered within the rating's deadline (Hackney seed §5: Red 4 hours, Amber 24, Green 72; Bexley §13:
// high-risk 4 hours, others 1 working day; Northamptonshire §7). Some agencies are mandatory per authority
// (Bexley §15: always Health, Education and Police) — policy data. An agency can flag that risk is higher
// than rated (Hackney §5), which goes to the manager at once.
package checks

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/directory"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/workflow"
)

// Tray is the partner-checks tray.
const Tray = string(domain.TrayChecks)

// KindCheckRequest is the notification to an agency.
const KindCheckRequest = domain.NoticeCheckRequest

// Step is the partner-checks task (lambda:invoke.waitForTaskToken). State RequestChecks asks every agency of
// the rating's plan under one task token (payload "agencies"): each agency gets its own check record, tray
// item, message and answer link, due by the rating's deadline, all in one atomic write; the answer (or
// closure) that leaves no check open under the token completes the wait (actions.AnswerCheck), and a plan
// with no agency to ask answers the wait at once (Tasks). An execution started on an earlier definition
// (contract 1 or 2: a Map with one RequestCheck per agency, payload "agency") asks one agency per token, as
// before; both shapes are kept (docs/deployment.md "Changing the state machine").
type Step struct {
	workflow.Env
	// ConsoleURL, when set, makes each request's email carry a single-use answer link
	// (<ConsoleURL>/answer/<token>, valid until the check is due plus LinkGrace) instead of the console link:
	// the agency answers without a console account (shared/console's answer page).
	ConsoleURL string
	// Tasks answers the wait at once when the plan asks no agency.
	Tasks workflow.Tasks
}

// PurposeAnswer is the purpose of an answer link (store.Link); the console's answer page accepts no other.
const PurposeAnswer = store.PurposeCheckAnswer

// LinkGrace is how long after the check's deadline its answer link still works (a late answer is better
// than none; the escalation has gone by then).
const LinkGrace = 7 * 24 * time.Hour

// Handle requests the agencies' checks (or one agency's, payload "agency"). A retry with the same token
// writes nothing new and asks each agency once.
func (s Step) Handle(ctx context.Context, in workflow.StepInput) (struct{}, error) {
	var p domain.Problems
	agencies := in.Agencies
	if in.Agency != "" || len(in.Agencies) == 0 && in.Contract == 0 {
		agencies = []domain.Agency{in.Agency} // one agency per token: a Map iteration of an earlier definition
	}
	for i, a := range agencies {
		if !a.Valid() {
			if in.Agency != "" || in.Contract == 0 {
				p.Add("agency", "is not a known agency")
			} else {
				p.Add(fmt.Sprintf("agencies[%d]", i), "is not a known agency")
			}
		}
	}
	if in.TaskToken == "" {
		p.Add("taskToken", "is required")
	}
	if err := p.Err(); err != nil {
		return struct{}{}, err
	}
	if len(agencies) == 0 {
		// Nothing to ask (a rating with no checks, or every agency already answered): the wait ends now, and the
		// replan step reads what follows from the store.
		return struct{}{}, s.tellNothingToAsk(ctx, in)
	}
	due, err := workflow.ParseDue(in.DueAt)
	if err != nil {
		return struct{}{}, err
	}
	c, pol, err := s.Load(ctx, in)
	if err != nil {
		return struct{}{}, err
	}
	have := map[string]bool{}
	if len(agencies) > 1 {
		reqs, err := s.Store.ListChecks(ctx, c.ID)
		if err != nil {
			return struct{}{}, workflow.Classify(err, c.ID)
		}
		for _, q := range reqs {
			have[q.ID] = true
		}
	}
	type ask struct {
		req   store.CheckRequest
		extra map[string]string
		note  string
	}
	var asks []ask
	for _, a := range agencies {
		id := CheckID(a, in.TaskToken)
		if have[id] {
			continue // a retry with the same token: asked already
		}
		req := store.CheckRequest{ID: id, ContactID: c.ID, Authority: c.Authority, Agency: a,
			Mandatory: pol.Mandatory(a), RequestedAt: s.Now(), DueAt: due.UTC(), TaskToken: in.TaskToken, Contract: in.Contract}
		desk := directory.CheckRecipient(pol, a)
		note := ""
		if !desk.OnRecord {
			note = directory.NoDeskNote
		}
		extra := desk.Extra()
		if base := strings.TrimRight(s.ConsoleURL, "/"); base != "" {
			// A retry mints another token; the request written first (and its message, whose id is the check's)
			// keeps the first token's link, so only that one is ever sent, and only that one works: the link is
			// the record's.
			tok := make([]byte, 24)
			if _, err := rand.Read(tok); err != nil {
				return struct{}{}, err
			}
			// The link is kept on the check record, written with it (store.CheckLinkToken): no link item of its
			// own (docs/cost.md).
			t := store.CheckLinkToken(c.ID, id, base64.RawURLEncoding.EncodeToString(tok))
			req.AnswerLinkExpiresAt = due.Add(LinkGrace).UTC()
			req.AnswerLink = base + "/answer/" + t
			extra[domain.ExtraLink] = req.AnswerLink
		}
		asks = append(asks, ask{req: req, extra: extra, note: note})
	}
	if len(asks) == 0 {
		return struct{}{}, nil
	}
	// Every request's record (with the link every chase repeats), its tray item, its transition and the
	// agency's message are one atomic write: the contact is written once for all its agencies.
	if _, err := s.ApplyLoaded(ctx, pol, c, func(c *domain.Contact) (lifecycle.Result, error) {
		var all lifecycle.Result
		for i, a := range asks {
			req := a.req
			r, err := lifecycle.RequestCheck(c, req.Agency, req.ID, due, a.extra, workflow.FnPartnerChecks)
			if err != nil {
				return r, err
			}
			if i == 0 {
				all.Event = r.Event
			} else {
				all.More = append(all.More, r.Event)
			}
			all.Notices = append(all.Notices, r.Notices...)
			all.Checks = append(all.Checks, store.CheckWrite{Request: &req})
			all.TrayItems = append(all.TrayItems, store.TrayItem{ID: string(c.ID) + "#" + Tray + "#" + req.ID, Tray: Tray,
				Authority: c.Authority, ContactID: c.ID, DueAt: due.UTC(), Rule: "checks." + ratingOf(c), TaskToken: in.TaskToken, Contract: in.Contract, Note: a.note})
		}
		return all, nil
	}); err != nil {
		return struct{}{}, err
	}
	return struct{}{}, nil
}

// tellNothingToAsk answers the checks wait at once, from inside its own invocation (as the replan step does):
// under contract 4 with what follows the checks, read from the record (workflow.PlanFromRecord: the decision's
// plan, so the machine goes straight on to the decision), before it with an empty CheckResult (its replan step
// reads what follows).
func (s Step) tellNothingToAsk(ctx context.Context, in workflow.StepInput) error {
	if s.Tasks == nil {
		return domain.Errorf(domain.CodeInternal, "the partner-checks step has no Step Functions client to answer its token")
	}
	var err error
	if workflow.ChecksPlanned(in.Contract) {
		c, _, lerr := s.Load(ctx, in)
		if lerr != nil {
			return lerr
		}
		plan, perr := workflow.PlanFromRecord(ctx, s.Store, c, s.Now())
		if perr != nil {
			return perr
		}
		err = workflow.TellPlan(ctx, s.Tasks, in.TaskToken, plan)
	} else {
		out, merr := json.Marshal(workflow.CheckResult{})
		if merr != nil {
			return merr
		}
		err = s.Tasks.SendTaskSuccess(ctx, in.TaskToken, out)
	}
	if err != nil {
		if domain.ErrorCode(err) == domain.CodeConflict { // the wait is over already: nothing to tell
			return nil
		}
		return &workflow.TransientError{Err: err}
	}
	return nil
}

// CheckID is deterministic per agency and token.
func CheckID(a domain.Agency, token string) string {
	h := sha256.Sum256([]byte(token))
	return string(a) + "-" + hex.EncodeToString(h[:6])
}

// ItemCheck is the check id and agency of a checks-tray item's id (ItemID): what its row is for.
func ItemCheck(itemID string) (checkID string, a domain.Agency, ok bool) {
	_, checkID, ok = strings.Cut(itemID, "#"+Tray+"#")
	i := strings.LastIndex(checkID, "-")
	if !ok || i <= 0 {
		return "", "", false
	}
	return checkID, domain.Agency(checkID[:i]), true
}

func ratingOf(c *domain.Contact) string {
	if c.Rating == nil {
		return ""
	}
	return string(c.Rating.Value)
}
