package screening

import (
	"context"
	"strconv"
	"time"

	"github.com/safeguarding/mash/shared/cases"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/workflow"
)

// Step is the screening state of the contact machine.
type Step struct {
	workflow.Env
	// Before, when set, is a transition of the same contact that screening's change records first, in the same
	// atomic write (the first task's routing while the MASH is open, shared/ooh: one write of the contact and
	// its audit instead of two, docs/cost.md). Its event goes before screening's.
	Before func(c *domain.Contact) (lifecycle.Result, error)
}

// Handle screens the contact: open case → forwarded to the allocated worker; closed within three months →
// forwarded to the closing unit; consent gate → returned for consent; otherwise it waits for a manager's
// rating, due by the screening rule (screening.csc; Hackney §4.3: a decision within 24 hours).
func (s Step) Handle(ctx context.Context, in workflow.StepInput) (workflow.ScreeningOutput, error) {
	c, p, err := s.Load(ctx, in)
	if err != nil {
		return workflow.ScreeningOutput{}, err
	}
	return s.HandleLoaded(ctx, p, c)
}

// HandleLoaded is Handle for the contact the caller has just read (and its policy).
func (s Step) HandleLoaded(ctx context.Context, p *policy.Policy, c *domain.Contact) (workflow.ScreeningOutput, error) {
	now := s.Now()
	if out, done := already(c, now); done { // a retried step: the first attempt's transition was written
		if s.Before != nil { // nothing of screening to write: the earlier transition alone
			if _, err := s.ApplyLoaded(ctx, p, c, s.Before); err != nil {
				return workflow.ScreeningOutput{}, err
			}
		}
		return out, nil
	}
	entries, err := s.Store.FindChildren(ctx, c.Authority, c.Child.IdentityKey())
	if err != nil {
		return workflow.ScreeningOutput{}, workflow.Classify(err, c.ID)
	}
	m := Classify(entries, string(c.ID), c.ReceivedAt)
	// Person matching over the case records: an exact strong identifier (the NHS number) acts like the
	// identity key; anything fuzzier is offered to the screener as a scored candidate, never acted on.
	var candidates []domain.MatchCandidate
	if m.Open == nil && m.RecentlyClosed == nil {
		cands, strong, err := cases.Candidates(ctx, s.Store, c.Authority, c.Child)
		if err != nil {
			return workflow.ScreeningOutput{}, workflow.Classify(err, c.ID)
		}
		if strong != nil {
			m = Classify([]store.ChildRecord{*strong}, string(c.ID), c.ReceivedAt)
		}
		candidates = cands
	}
	if err := s.writtenFormArrived(ctx, p, c, entries); err != nil {
		return workflow.ScreeningOutput{}, err
	}

	if f, ok := Forwarding(m); ok {
		return s.forward(ctx, p, c, f)
	}
	switch {
	case c.Flags.InformationRequest:
		return s.infoRequest(ctx, p, c)
	case ConsentGate(p, c):
		if _, err := s.apply(ctx, p, c, func(c *domain.Contact) (lifecycle.Result, error) {
			return lifecycle.ReturnForConsent(p, c, now, workflow.FnScreening)
		}); err != nil {
			return workflow.ScreeningOutput{}, err
		}
		return workflow.ScreeningOutput{Next: workflow.NextReturnedForConsent}, nil
	}
	var due time.Time
	if _, err := s.apply(ctx, p, c, func(c *domain.Contact) (lifecycle.Result, error) {
		r, d, err := lifecycle.Screen(p, c, now, workflow.FnScreening)
		if err == nil {
			r.Event.Detail["next"], r.Event.Detail["matches"] = workflow.NextRating, strconv.Itoa(len(entries))
			r.Event.Detail["candidates"] = strconv.Itoa(len(candidates))
			c.MatchCandidates = candidates
		}
		due = d
		return r, err
	}); err != nil {
		return workflow.ScreeningOutput{}, err
	}
	return workflow.ScreeningOutput{Next: workflow.NextRating, Wait: workflow.NewWait(due, now, true)}, nil
}

// apply writes screening's transition fn, after Before's in the same change when it is set.
func (s Step) apply(ctx context.Context, p *policy.Policy, c *domain.Contact, fn func(*domain.Contact) (lifecycle.Result, error)) (*domain.Contact, error) {
	if s.Before == nil {
		return s.ApplyLoaded(ctx, p, c, fn)
	}
	return s.ApplyLoaded(ctx, p, c, func(c *domain.Contact) (lifecycle.Result, error) {
		first, err := s.Before(c)
		if err != nil {
			return first, err
		}
		r, err := fn(c)
		if err != nil {
			return r, err
		}
		// The earlier transition's event at now, screening's a microsecond later: the trail keeps their order.
		if first.Event.At.IsZero() {
			first.Event.At = s.Now().UTC()
		}
		if r.Event.At.IsZero() {
			r.Event.At = first.Event.At.Add(time.Microsecond)
		}
		return lifecycle.Then(first, r), nil
	})
}

func (s Step) forward(ctx context.Context, p *policy.Policy, c *domain.Contact, f Forward) (workflow.ScreeningOutput, error) {
	now := s.Now()
	if _, err := s.apply(ctx, p, c, func(c *domain.Contact) (lifecycle.Result, error) {
		return lifecycle.Forward(p, c, now, f.Code, f.To, f.Matched, f.Why, workflow.FnScreening)
	}); err != nil {
		return workflow.ScreeningOutput{}, err
	}
	return workflow.ScreeningOutput{Next: workflow.NextForwarded}, nil
}

// Forward is where a matched case sends a contact: the outcome, to whom, the index entry matched, and why.
type Forward struct {
	Code    domain.OutcomeCode
	To      string
	Matched domain.ContactID
	Why     string
}

// Forwarding says where a match sends the contact: an open case to its allocated worker, else a case closed
// within three months back to the unit that closed it; ok is false when neither. The notice goes to the
// worker's mailbox from the case records when there is one, else it names the worker (or unit) for the
// MASH inbox to pass on; the unit a closed case goes back to is named on the contact (its outcome's "to" and
// rationale). Screening (an exact match) and a screener's confirmed candidate (actions) both use it.
func Forwarding(m Match) (Forward, bool) {
	var f Forward
	var rec *store.ChildRecord
	switch {
	case m.Open != nil:
		rec = m.Open
		f = Forward{Code: domain.OutcomeForwardAllocated, To: rec.AllocatedWorker, Why: "open case: forwarded to the allocated worker"}
	case m.RecentlyClosed != nil:
		rec = m.RecentlyClosed
		f = Forward{Code: domain.OutcomeThreeMonthRule, To: rec.ClosedUnit, Why: "closed within three months: back to the closing unit (" + rec.ClosedUnit + ")"}
	default:
		return Forward{}, false
	}
	if rec.WorkerEmail != "" {
		f.To = rec.WorkerEmail
	}
	f.Matched = rec.ContactID
	return f, true
}

// NextInformationRequest: a request for information left the referral path (the state machine's default
// branch ends it); it waits on the information-request tray until POST /v1/contacts/{id}/respond.
const NextInformationRequest = "information-request"

// infoRequest puts a request for information on the information-request tray (Hackney §4(5–6)), due by
// the info-request deadline the policy starts; an open case was forwarded before this.
func (s Step) infoRequest(ctx context.Context, p *policy.Policy, c *domain.Contact) (workflow.ScreeningOutput, error) {
	now := s.Now()
	var due time.Time
	if _, err := s.apply(ctx, p, c, func(c *domain.Contact) (lifecycle.Result, error) {
		r, d, err := lifecycle.InfoRequest(p, c, now, workflow.FnScreening)
		due = d
		if err == nil { // the tray item is in the transition's write
			r.TrayItems = append(r.TrayItems, infoItem(c, d))
		}
		return r, err
	}); err != nil {
		return workflow.ScreeningOutput{}, err
	}
	if err := s.putInfoItem(ctx, c, due); err != nil { // a no-op unless an older write left it out
		return workflow.ScreeningOutput{}, err
	}
	return workflow.ScreeningOutput{Next: NextInformationRequest}, nil
}

// InfoItemID is the id of a contact's item on the information-request tray.
func InfoItemID(id domain.ContactID) string {
	return string(id) + "#" + string(domain.TrayInformationRequest)
}

func infoItem(c *domain.Contact, due time.Time) store.TrayItem {
	return store.TrayItem{ID: InfoItemID(c.ID), Tray: string(domain.TrayInformationRequest),
		Authority: c.Authority, ContactID: c.ID, DueAt: due.UTC(), Rule: policy.RuleInfoRequest}
}

func (s Step) putInfoItem(ctx context.Context, c *domain.Contact, due time.Time) error {
	_, err := s.Store.PutTrayItem(ctx, infoItem(c, due))
	if err != nil && domain.ErrorCode(err) != domain.CodeConflict { // a retried step: the item is there
		return workflow.Classify(err, c.ID)
	}
	return nil
}

// already returns the output of a screening a previous attempt recorded.
func already(c *domain.Contact, now time.Time) (workflow.ScreeningOutput, bool) {
	switch c.Status {
	case domain.StatusForwarded:
		return workflow.ScreeningOutput{Next: workflow.NextForwarded}, true
	case domain.StatusReturnedForConsent:
		return workflow.ScreeningOutput{Next: workflow.NextReturnedForConsent}, true
	case domain.StatusInformationRequest:
		return workflow.ScreeningOutput{Next: NextInformationRequest}, true
	case domain.StatusAwaitingRating:
		if due := lifecycle.RatingDue(c); !due.IsZero() {
			return workflow.ScreeningOutput{Next: workflow.NextRating, Wait: workflow.NewWait(due, now, true)}, true
		}
	case domain.StatusChecks, domain.StatusAwaitingDecision:
		// A machine started again for a contact already rated (the reconciliation's re-drive of a contact
		// whose wait was lost, issue #13): on to the rating wait, which the park step leaves open because the
		// rating is on record (trays.WaitOver), and which the sweep's reconciliation then tells the rating's
		// plan from the record — the checks still unanswered, then the decision.
		if c.Rating != nil {
			due := lifecycle.RatingDue(c)
			if !due.After(now) {
				due = now.Add(time.Hour)
			}
			return workflow.ScreeningOutput{Next: workflow.NextRating, Wait: workflow.NewWait(due, now, true)}, true
		}
	}
	return workflow.ScreeningOutput{}, false
}

// writtenFormArrived: a written referral (any channel but a phone call) for a child whose immediate-harm
// phone call still owes its written form clears that call's chase (Portsmouth §7.5: the IACF follows the
// call): the earlier contact is marked received and its written-form tray item closed, in one write.
func (s Step) writtenFormArrived(ctx context.Context, p *policy.Policy, c *domain.Contact, entries []store.ChildRecord) error {
	if c.Channel == domain.ChannelPhone {
		return nil
	}
	for _, e := range entries {
		if e.ContactID == c.ID {
			continue
		}
		call, err := s.Store.GetContact(ctx, e.ContactID)
		if err != nil {
			if domain.ErrorCode(err) == domain.CodeNotFound {
				continue
			}
			return workflow.Classify(err, c.ID)
		}
		if call.Channel != domain.ChannelPhone || !call.Flags.AwaitingWrittenForm {
			continue
		}
		// The call's written-form item leaves its tray in the same write (store.Change.Closes): never a call marked
		// received whose chase goes on.
		if _, err := s.Apply(ctx, p, call.ID, func(call *domain.Contact) (lifecycle.Result, error) {
			r, err := lifecycle.WrittenForm(call, workflow.FnScreening, c.ID)
			r.Closes = append(r.Closes, store.ItemClose{ID: string(call.ID) + "#" + string(domain.TrayWrittenForm), By: workflow.FnScreening})
			return r, err
		}); err != nil {
			return err
		}
	}
	return nil
}
