package actions

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/safeguarding/mash/shared/cases"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/screening"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/workflow"
)

// Match is the screener's decision on one of a contact's person-matching candidates.
type Match struct {
	Candidate string `json:"candidate"`
	Decision  string `json:"decision"` // confirm | reject
	By        string `json:"by"`
}

// Match records the screener's decision on a candidate (audited: match.confirmed / match.rejected). A
// confirmed candidate acts exactly as an exact match does at screening: an open case forwards the contact to
// the allocated worker, a case closed within three months sends it back to the unit that closed it, each
// with its notice, in the same atomic write as the confirmation (Hackney §4 B, Bexley §3 and §11, Barnet
// "What happens next?"). The running state machine follows: the rating wait is told the contact was
// forwarded, open check waits are superseded, a decision wait gets the forward's outcome; each ends at
// Notify. A confirmed candidate whose case is closed longer than three months (or no longer in the case
// records) is recorded and acts on nothing.
func (s Service) Match(ctx context.Context, id domain.ContactID, m Match) (*domain.Contact, error) {
	c, p, err := s.Load(ctx, workflow.StepInput{ContactID: id})
	if err != nil {
		return nil, err
	}
	now := s.Now()
	probe := *c
	probe.MatchCandidates = slices.Clone(c.MatchCandidates)
	if _, err := cases.Decide(&probe, m.Candidate, m.Decision, m.By, now); err != nil {
		return nil, err // a bad decision (400) or an unknown candidate (404), before anything is written
	}
	var fwd screening.Forward
	acts := false
	if m.Decision == "confirm" {
		rec, err := s.caseRecord(ctx, c, m.Candidate)
		if err != nil {
			return nil, err
		}
		if rec != nil {
			fwd, acts = screening.Forwarding(screening.Classify([]store.ChildRecord{*rec}, string(c.ID), c.ReceivedAt))
		}
	}
	if !acts {
		return s.Update(ctx, id, func(c *domain.Contact) (store.AuditEvent, error) {
			return cases.Decide(c, m.Candidate, m.Decision, m.By, now)
		})
	}
	if err := lifecycle.Allowed(lifecycle.MatchForwarded, c); err != nil {
		return nil, err
	}
	// The waits the machine holds now, completed once the forward is recorded.
	var ratingTok, ratingItem, decisionTok, decisionItem string
	var ratingContract, decisionContract int
	var open []store.CheckRequest
	switch c.Status {
	case domain.StatusAwaitingRating:
		w, err := workflow.OpenWait(ctx, s.Store, c, string(domain.TrayRating))
		if err != nil {
			return nil, err
		}
		if w != nil {
			ratingTok, ratingItem, ratingContract = w.TaskToken, w.ID, w.Contract
		}
	case domain.StatusChecks, domain.StatusAwaitingDecision:
		reqs, err := s.Store.ListChecks(ctx, id)
		if err != nil {
			return nil, err
		}
		for _, q := range reqs {
			if q.Answer == nil {
				open = append(open, q)
			}
		}
		w, err := workflow.OpenWait(ctx, s.Store, c, string(domain.TrayDecision))
		if err != nil {
			return nil, err
		}
		if w != nil {
			decisionTok, decisionItem, decisionContract = w.TaskToken, w.ID, w.Contract
		}
	}
	reqs, err := s.riskChecks(ctx, c)
	if err != nil {
		return nil, err
	}
	c, owed, err := s.ApplyOwing(ctx, p, id, func(c *domain.Contact) (lifecycle.Result, []store.Completion, error) {
		closes := managerCloses(c, reqs, m.By) // the service manager's items the forward ends, in its own write
		ev, err := cases.Decide(c, m.Candidate, m.Decision, m.By, now)
		if err != nil {
			return lifecycle.Result{}, nil, err
		}
		r, err := lifecycle.ForwardConfirmed(p, c, now, fwd.Code, fwd.To, fwd.Matched, fwd.Why+" (a person match the screener confirmed)", m.By)
		if err != nil {
			return lifecycle.Result{}, nil, err
		}
		r.Event.Detail["candidate"] = m.Candidate
		r.More = []store.AuditEvent{ev}
		// The out-of-hours item (only a contact routed out of hours has one: shared/ooh) and the superseded
		// checks' items (a completion closes only its own) end with the forward too, in its own write.
		if c.Route != domain.RouteMASH {
			closes = append(closes, store.ItemClose{ID: string(id) + "#ooh", By: m.By})
		}
		r.Closes = append(closes, closing(m.By, checkItems(id, open)...)...)
		// The waits the forward ends, owed in the forward's own write (the outbox of completions): the rating
		// wait is told the contact was forwarded, open check waits are superseded, a decision wait gets the
		// forward's outcome; each path of the machine then ends at Notify.
		var owed []store.Completion
		if ratingTok != "" {
			out, _ := json.Marshal(workflow.RatingResult{Forwarded: true})
			owed = append(owed, completion(id, ratingItem, string(domain.TrayRating), ratingTok, m.By, out).of(ratingContract))
		}
		owed = append(owed, superseded(id, open, m.By, workflow.RatingResult{Forwarded: true, Agencies: []domain.Agency{}})...)
		if decisionTok != "" {
			out, _ := json.Marshal(workflow.DecisionResult{Outcome: fwd.Code})
			owed = append(owed, completion(id, decisionItem, string(domain.TrayDecision), decisionTok, m.By, out).of(decisionContract))
		}
		return r, owing(owed...), nil
	})
	if err != nil {
		return nil, err
	}
	s.send(ctx, owed)
	return c, nil
}

// caseRecord finds the case record a candidate names, searched again by the contact's child (the case's
// state now, not when screening offered it); nil when it is no longer in the case records.
func (s Service) caseRecord(ctx context.Context, c *domain.Contact, candidate string) (*store.ChildRecord, error) {
	i := slices.IndexFunc(c.MatchCandidates, func(m domain.MatchCandidate) bool { return m.ID == candidate })
	entry := domain.ContactID(c.MatchCandidates[i].Entry)
	q := cases.QueryOf(c.Child)
	for _, k := range cases.Blocks(q) {
		rs, err := s.Store.FindChildren(ctx, c.Authority, k)
		if err != nil {
			return nil, err
		}
		for j := range rs {
			if rs[j].ContactID == entry {
				return &rs[j], nil
			}
		}
	}
	return nil, nil
}
