package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
)

// CheckItemID is the id of a partner check's item on the checks tray (shared/checks puts it there; the
// check's record keeps it).
func CheckItemID(id domain.ContactID, checkID string) string {
	return string(id) + "#" + string(domain.TrayChecks) + "#" + checkID
}

// EndsChecksWait reports whether answering or closing check req ends the wait that its task token holds: no
// other check is open under the same token (state RequestChecks asks all of a rating's agencies under one
// token, and the answer that leaves none open completes it; an earlier definition's Map held one token per
// agency, so every answer ended its own wait). reqs are the contact's checks as the change read them.
func EndsChecksWait(req store.CheckRequest, reqs []store.CheckRequest) bool {
	if req.TaskToken == "" {
		return false
	}
	for _, q := range reqs {
		if q.ID != req.ID && q.TaskToken == req.TaskToken && q.Open() {
			return false
		}
	}
	return true
}

// ChecksEnd is the completion owed when answering or closing check done (as changed: answered or closed)
// leaves no check open under its token (EndsChecksWait); none otherwise. Under contract 4 (ChecksPlanned) it
// carries what follows the checks, from the contact as changed and its checks with this one done
// (PlanAfterChecks: the decision's plan, whose seconds the completer counts again when it sends); before, the
// check's result. ev is the change's event: when the change leaves the contact awaiting its decision, ev says
// so, with the decision's deadline (lifecycle.ChecksDone).
func ChecksEnd(c *domain.Contact, reqs []store.CheckRequest, done store.CheckRequest, by string, result CheckResult, now time.Time, ev *store.AuditEvent) ([]store.Completion, error) {
	if !EndsChecksWait(done, reqs) {
		return nil, nil // other checks still open under the token: the wait goes on
	}
	out, _ := json.Marshal(result)
	if ChecksPlanned(done.Contract) {
		after := slices.Clone(reqs)
		for i := range after {
			if after[i].ID == done.ID {
				after[i] = done
			}
		}
		plan, err := PlanAfterChecks(c, after, now)
		if err != nil {
			return nil, err
		}
		out, _ = json.Marshal(plan)
		if !plan.Forwarded && len(plan.Agencies) == 0 && !slices.ContainsFunc(after, func(q store.CheckRequest) bool { return q.Answer == nil && q.Closed == nil }) {
			// Every check done and the decision next: the contact waits for its decision from this write on, and
			// its event (ev) says so with the decision's deadline, so the decision's park puts its item alone
			// (docs/cost.md "A park that moves nothing writes its wait item alone").
			due, err := ParseDue(plan.DecisionWait.DueAt)
			if err != nil {
				return nil, err
			}
			lifecycle.ChecksDone(c, due, ev)
		}
	}
	return []store.Completion{{ID: CheckItemID(c.ID, done.ID), ContactID: c.ID, Tray: string(domain.TrayChecks),
		TaskToken: done.TaskToken, Output: out, By: by, Contract: done.Contract}}, nil
}

// ChecksWaitUnended reports whether the partner checks' wait that check done's token holds was left waiting
// with nothing to end it: done is answered or closed, no check asked under the token is open (answered or
// closed, or superseded: a re-rating or a forward told the token), and none carries the wait's completion.
// Two answers (or closures) written at once can leave it so: each read the other's check open, and neither
// owed the completion (docs/cost.md "An answer that leaves checks open does not rewrite the contact"). A
// check whose record keeps no tray item (written before the item moved onto it) may carry the completion on
// an item apart: false, so as never to tell a wait twice.
func ChecksWaitUnended(done store.CheckRequest, reqs []store.CheckRequest) bool {
	if done.TaskToken == "" || done.Open() {
		return false
	}
	for _, q := range reqs {
		if q.TaskToken != done.TaskToken {
			continue
		}
		if q.Open() {
			return false
		}
		if _, completion, ok := q.KeptItem(); !ok || completion {
			return false
		}
	}
	return true
}

// ActionChecksWaitEnded is the audit event of a change that ends the partner checks' wait that no answer
// ended (MendChecksWait).
const ActionChecksWaitEnded = "checks.wait-ended"

// errNothingToMend: the checks wait has its completion, or a check is still open under its token.
var errNothingToMend = errors.New("the checks wait has its completion, or a check is open under its token")

// MendChecksWait ends the partner checks' wait that check checkID's token holds when it was left waiting with
// nothing to end it (ChecksWaitUnended, read inside the change): in one change guarded as the answer that
// ends the wait is (the contact rewritten under the version read, lifecycle.ChecksDone when the decision is
// next; the completion owed kept on check checkID's record, under that record's version; an audit event
// ActionChecksWaitEnded by who mends, with why), so that of two menders one wins and the other reads again
// and stops. It returns the completion owed, as written (none when there was nothing to mend), for a Completer
// to send. An answer that ended nothing calls it after its commit, when a read of the checks finds none open
// under its token (actions.AnswerCheck, CloseCheck); the SLA sweep's reconciliation for a contact whose
// answering function stopped before it could (shared/trays).
func (e Env) MendChecksWait(ctx context.Context, p *policy.Policy, id domain.ContactID, checkID, by, reason string) ([]store.Completion, error) {
	now := e.Now()
	_, owed, err := e.ApplyOwing(ctx, p, id, func(c *domain.Contact) (lifecycle.Result, []store.Completion, error) {
		reqs, err := e.Store.ListChecks(ctx, id) // as they now are, on a retry too
		if err != nil {
			return lifecycle.Result{}, nil, err
		}
		i := slices.IndexFunc(reqs, func(q store.CheckRequest) bool { return q.ID == checkID })
		if i < 0 || !ChecksWaitUnended(reqs[i], reqs) {
			return lifecycle.Result{}, nil, errNothingToMend
		}
		done := reqs[i]
		res := lifecycle.Result{Event: store.AuditEvent{Actor: by, Action: ActionChecksWaitEnded, Reason: reason,
			Detail: map[string]string{"check": done.ID, "agency": string(done.Agency)}}}
		result := CheckResult{Agency: done.Agency, Answered: done.Answer != nil, RaisedRisk: done.Answer != nil && done.Answer.RiskHigher}
		owed, err := ChecksEnd(c, reqs, done, by, result, now, &res.Event)
		return res, owed, err
	})
	if errors.Is(err, errNothingToMend) {
		return nil, nil
	}
	return owed, err
}
