package workflow

import (
	"context"
	"errors"
	"log/slog"
	"maps"
	"math"
	"time"

	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/notify"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
)

// Notifier composes and queues a message of a kind about a contact, then sends it; the notify package
// implements it. extra carries kind-specific facts (a tray, an agency, a deadline) — ids and codes only.
type Notifier interface {
	Notify(ctx context.Context, kind domain.NoticeKind, p *policy.Policy, c *domain.Contact, extra map[string]string) error
}

// OutboxNotifier is a Notifier that can also compose a message without queueing it, and send what is queued
// for a contact: intake writes a new contact's acknowledgement in the contact's own write
// (store.NewContact.Outbox, the transactional outbox), then sends it.
type OutboxNotifier interface {
	Notifier
	Compose(kind domain.NoticeKind, p *policy.Policy, c *domain.Contact, extra map[string]string) (store.Notification, error)
	Flush(ctx context.Context, contact domain.ContactID) error
}

// Addresser is a notifier that addresses a notice from what it reads (the Operation Encompass notice from the
// school directory) before the notice is composed into a contact's write: it returns the notice's extra keys
// and the tray items the notice puts (a PPN whose school a worker must pick), to go in the same write.
type Addresser interface {
	Address(ctx context.Context, kind domain.NoticeKind, p *policy.Policy, c *domain.Contact, extra map[string]string) (map[string]string, []store.TrayItem, error)
}

// Policies returns an authority's policy. Lambdas serve one authority (one stack per authority); the local
// runner may serve several.
type Policies func(domain.AuthorityID) (*policy.Policy, error)

// Env is what every step handler needs: the store, the policies, the clock, a logger and the notifier.
type Env struct {
	Store    store.Store
	Policies Policies
	Now      clock.Now
	Log      *slog.Logger
	Notifier Notifier
	// UnmarkedContract is the contract (Contract) of the definition that parked a wait whose payload carried
	// none: the definition the stack ran before contracts were marked, 1 or 2 (0: DefaultUnmarkedContract).
	// Set from the stack's PreviousMachineContract parameter (docs/deployment.md).
	UnmarkedContract int
	// ByStream: the table's stream tells the workflow what a person's action owes it (StreamCompleter, AWS:
	// functions/outbox; the store writes the completions Streamed), so the action does not tell them itself,
	// which would tell each twice (docs/cost.md). Set it exactly when the store's SendByStream is set.
	ByStream bool
}

// Load reads the step's contact and its authority's policy. A missing contact is *ContactNotFound; a
// contact of another authority than the payload says is invalid; store failures are transient.
func (e Env) Load(ctx context.Context, in StepInput) (*domain.Contact, *policy.Policy, error) {
	if in.ContactID == "" {
		return nil, nil, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "contactId", Message: "is required"}}}
	}
	c, err := e.Store.GetContact(ctx, in.ContactID)
	if err != nil {
		return nil, nil, Classify(err, in.ContactID)
	}
	if in.Authority != "" && c.Authority != in.Authority {
		return nil, nil, domain.Errorf(domain.CodeInvalid, "contact %s belongs to another authority", c.ID)
	}
	p, err := e.Policies(c.Authority)
	if err != nil {
		return nil, nil, err
	}
	return c, p, nil
}

// Update changes a contact under the store's version check, retrying a few times on a concurrent change.
func (e Env) Update(ctx context.Context, id domain.ContactID, fn func(*domain.Contact) (store.AuditEvent, error)) (*domain.Contact, error) {
	var err error
	for range 5 {
		var c *domain.Contact
		c, err = e.Store.UpdateContact(ctx, id, fn)
		if err == nil {
			return c, nil
		}
		if !errors.Is(err, domain.ErrConflict) {
			break
		}
	}
	return nil, Classify(err, id)
}

// Classify turns a store error into what the ASL expects: not found → *ContactNotFound (not retried),
// other domain errors as they are, anything else (network, throttling) → *TransientError (retried).
func Classify(err error, id domain.ContactID) error {
	if err == nil {
		return nil
	}
	var te *TransientError
	if errors.As(err, &te) {
		return err
	}
	var de *domain.Error
	if errors.As(err, &de) {
		if de.Code == domain.CodeNotFound {
			return &ContactNotFound{ID: id}
		}
		if de.Code == domain.CodeConflict {
			return &TransientError{Err: err}
		}
		return err
	}
	return &TransientError{Err: err}
}

// NewWait builds a token wait ending at due. TimeoutSeconds runs to due (at least 2 s: AWS needs the
// heartbeat below the timeout); the heartbeat fires at half the window — "nobody has picked this up and half
// the time has gone" — unless firstWarning is false (the warning was already given), when it is one second
// short of the timeout.
func NewWait(due, now time.Time, firstWarning bool) Wait {
	timeout := max(int64(math.Ceil(due.Sub(now).Seconds())), 2)
	hb := max(timeout/2, 1)
	if !firstWarning {
		hb = timeout - 1
	}
	return Wait{DueAt: due.UTC().Format(time.RFC3339), TimeoutSeconds: timeout, HeartbeatSeconds: hb}
}

// ParseDue reads a payload's RFC3339 dueAt.
func ParseDue(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "dueAt", Message: "is not an RFC3339 time"}}}
	}
	return t, nil
}

// Event builds an audit event by a step.
func Event(actor, action, reason string, detail map[string]string) store.AuditEvent {
	return store.AuditEvent{Actor: actor, Action: action, Reason: reason, Detail: detail}
}

// Apply runs one lifecycle transition inside the contact's update: fn loads nothing and writes nothing, it
// changes the contact and returns the transition's result. The changed contact, the transition's audit
// event, one audit event per notice (what was shared, with whom, and why), the composed messages, and the
// transition's tray items, the items it closes and partner-check records are ONE atomic write (store.ChangeContact); then the
// contact's outbox is sent. A notice already in the outbox (same deterministic id) is not queued or audited
// again. A send failure leaves the message pending for the SLA sweep's flush and is logged, not returned: the
// transition is recorded.
func (e Env) Apply(ctx context.Context, p *policy.Policy, id domain.ContactID, fn func(*domain.Contact) (lifecycle.Result, error)) (*domain.Contact, error) {
	c, _, err := e.ApplyOwing(ctx, p, id, func(c *domain.Contact) (lifecycle.Result, []store.Completion, error) {
		r, err := fn(c)
		return r, nil, err
	})
	return c, err
}

// ApplyOwing is Apply for a person's action that answers workflow waits (issue #13, the outbox of
// completions): fn also returns the completions the action owes, which are written pending in the same atomic
// write as the contact and its audit — closing each wait's tray item — and returned as written, for a
// Completer to send. The action is therefore never recorded without its completion, nor the reverse.
func (e Env) ApplyOwing(ctx context.Context, p *policy.Policy, id domain.ContactID, fn func(*domain.Contact) (lifecycle.Result, []store.Completion, error)) (*domain.Contact, []store.Completion, error) {
	return e.applyOwing(ctx, p, id, nil, fn)
}

// ApplyLoaded is Apply from the contact the step has just read (Load) and has not changed since: the first
// attempt writes under the version it read, without reading the contact again (store.ChangeLoaded: one read
// less per step, docs/cost.md); a concurrent change since is retried as Apply retries it, from a fresh read.
func (e Env) ApplyLoaded(ctx context.Context, p *policy.Policy, c *domain.Contact, fn func(*domain.Contact) (lifecycle.Result, error)) (*domain.Contact, error) {
	c, _, err := e.applyOwing(ctx, p, c.ID, c, func(c *domain.Contact) (lifecycle.Result, []store.Completion, error) {
		r, err := fn(c)
		return r, nil, err
	})
	return c, err
}

// ApplyOwingLoaded is ApplyOwing from the contact the caller has just read, as ApplyLoaded.
func (e Env) ApplyOwingLoaded(ctx context.Context, p *policy.Policy, c *domain.Contact, fn func(*domain.Contact) (lifecycle.Result, []store.Completion, error)) (*domain.Contact, []store.Completion, error) {
	return e.applyOwing(ctx, p, c.ID, c, fn)
}

// applyOwing is ApplyOwing; loaded, when not nil, is the contact as the caller read it, used by the first
// attempt instead of a read.
func (e Env) applyOwing(ctx context.Context, p *policy.Policy, id domain.ContactID, loaded *domain.Contact, fn func(*domain.Contact) (lifecycle.Result, []store.Completion, error)) (*domain.Contact, []store.Completion, error) {
	ob, ok := e.Notifier.(OutboxNotifier)
	if !ok {
		return nil, nil, domain.Errorf(domain.CodeInternal, "the notifier cannot queue messages in a contact's write")
	}
	// The contact's outbox is not read: a notice already queued (same deterministic id, a retried step) is
	// skipped by the store with its notice.queued event (store.ActionNoticeQueued; docs/cost.md).
	var err error
	sent := 0
	var c *domain.Contact
	var fnErr error
	var owed []store.Completion
	for range 5 {
		fnErr = nil
		change := func(c *domain.Contact) (store.Change, error) {
			r, cps, err := fn(c)
			if err != nil {
				fnErr = err
				return store.Change{}, err
			}
			at := e.Now().UTC()
			if r.Event.At.IsZero() {
				r.Event.At = at
			}
			ch := store.Change{Events: []store.AuditEvent{r.Event}, TrayItems: r.TrayItems, Completions: cps, Checks: r.Checks,
				Closes: r.Closes}
			owed = cps
			for i, ev := range r.More {
				if ev.At.IsZero() {
					ev.At = r.Event.At.Add(-time.Duration(len(r.More)-i) * time.Microsecond)
				}
				ch.Events = append(ch.Events, ev)
			}
			sent = 0
			queued := map[string]bool{}
			for i, n := range r.Notices {
				msg, err := ob.Compose(n.Kind, p, c, n.Extra)
				if err != nil {
					fnErr = err
					return store.Change{}, err
				}
				if queued[msg.ID] {
					continue
				}
				queued[msg.ID] = true
				ch.Outbox = append(ch.Outbox, msg)
				detail := map[string]string{"kind": string(n.Kind), "notification": msg.ID, "transition": r.Event.Action}
				maps.Copy(detail, notify.QueuedDetail(n.Kind, p, c, n.Extra)) // Encompass: the school or the lead told
				ch.Events = append(ch.Events, store.AuditEvent{Actor: r.Event.Actor, At: r.Event.At.Add(time.Duration(i+1) * time.Microsecond),
					Action: store.ActionNoticeQueued, Reason: n.Why, SharedWith: msg.To, Detail: detail})
				sent++
			}
			return ch, nil
		}
		if loaded != nil {
			c, err = e.Store.ChangeLoaded(ctx, loaded, change)
			loaded = nil // a retry reads the contact afresh
		} else {
			c, err = e.Store.ChangeContact(ctx, id, change)
		}
		if fnErr != nil {
			return nil, nil, fnErr // the transition's own refusal (409 from the wrong status, 400 bad input): as is
		}
		if err == nil || domain.ErrorCode(err) != domain.CodeConflict {
			break
		}
	}
	if err != nil {
		return nil, nil, Classify(err, id)
	}
	if sent > 0 {
		if err := ob.Flush(ctx, id); err != nil && e.Log != nil {
			e.Log.WarnContext(ctx, "notices queued, not all sent yet (the sweep sends them)", "contactId", id, "error", err.Error())
		}
	}
	return c, owed, nil
}

// PlanResult is what the state machine is told of a rating's plan: the rating tray's token result, and the
// replan step's output (the same shape, read at $.rating).
func PlanResult(plan lifecycle.Plan, r domain.Rating, now time.Time) RatingResult {
	// A check has no half-way "unclaimed" warning (an agency does not claim items): its wait runs to the
	// deadline, and the SLA sweep chases it from there.
	cw := NewWait(plan.ChecksDue, now, false)
	dw := NewWait(plan.DecisionDue, now, true)
	agencies := plan.Agencies
	if agencies == nil {
		agencies = []domain.Agency{}
	}
	return RatingResult{Rating: r, Checks: len(agencies) > 0, Agencies: agencies,
		ChecksDueAt: cw.DueAt, ChecksTimeoutSeconds: cw.TimeoutSeconds, ChecksHeartbeatSeconds: cw.HeartbeatSeconds,
		DecisionWait: dw, DecisionDueAt: dw.DueAt, DecisionTimeoutSeconds: dw.TimeoutSeconds, DecisionHeartbeatSeconds: dw.HeartbeatSeconds}
}

// Recount is r with each wait's seconds counted again from its deadline (DueAt) at now, as PlanResult counts
// them: a plan told later than it was made (a completion the completer or the SLA sweep delivers after the
// action) starts its wait with the seconds left to the same deadline, not the seconds there were when the
// plan was made. A result with no deadline (merged, forwarded), or a zero now, is r as it is.
func (r RatingResult) Recount(now time.Time) RatingResult {
	if now.IsZero() {
		return r
	}
	if due, err := time.Parse(time.RFC3339, r.ChecksDueAt); err == nil {
		cw := NewWait(due, now, false)
		r.ChecksTimeoutSeconds, r.ChecksHeartbeatSeconds = cw.TimeoutSeconds, cw.HeartbeatSeconds
	}
	if due, err := time.Parse(time.RFC3339, r.DecisionWait.DueAt); err == nil {
		r.DecisionWait = NewWait(due, now, true)
		r.DecisionDueAt, r.DecisionTimeoutSeconds, r.DecisionHeartbeatSeconds = r.DecisionWait.DueAt, r.DecisionWait.TimeoutSeconds, r.DecisionWait.HeartbeatSeconds
	}
	return r
}

// PlanAfterChecks is what the machine does once a contact's partner checks' wait ends, from the contact and
// its checks as read (the replan step's answer, and under contract 4 the answer that ends the checks wait:
// ChecksPlanned): forwarded while the checks ran → Forwarded; agencies the current rating still asks (a
// re-rating while the checks ran) → the plan with them (ChecksNeeded: TellPlan); otherwise the decision's
// plan, its seconds counted from now.
func PlanAfterChecks(c *domain.Contact, reqs []store.CheckRequest, now time.Time) (RatingResult, error) {
	if c.Status == domain.StatusForwarded {
		// A screener confirmed a person match while the checks ran: the contact has left the MASH. No agencies
		// (an empty list, never null: a Map may read it).
		return RatingResult{Forwarded: true, Agencies: []domain.Agency{}}, nil
	}
	plan, err := lifecycle.Outstanding(c, reqs)
	if err != nil {
		return RatingResult{}, err
	}
	return PlanResult(plan, c.Rating.Value, now), nil
}

// PlanFromRecord is PlanAfterChecks from the store: the contact's checks read now.
func PlanFromRecord(ctx context.Context, st store.Store, c *domain.Contact, now time.Time) (RatingResult, error) {
	if c.Status == domain.StatusForwarded {
		return PlanAfterChecks(c, nil, now)
	}
	reqs, err := st.ListChecks(ctx, c.ID)
	if err != nil {
		return RatingResult{}, Classify(err, c.ID)
	}
	return PlanAfterChecks(c, reqs, now)
}
