package trays

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/directory"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/workflow"
)

// OOH is the out-of-hours queue's tray (shared/ooh puts items there).
const OOH = string(domain.TrayOOH)

// WrittenForm is the tray of immediate-harm phone contacts awaiting their written form (shared/intake).
const WrittenForm = string(domain.TrayWrittenForm)

// KindWrittenFormChase is the reminder to a phone referrer whose written form is late (Portsmouth seed §7.5).
const KindWrittenFormChase = domain.NoticeWrittenFormChase

// DeadLetter is the local runner's tray of contacts whose workflow failed after its retries (production: an
// alarmed SQS queue).
const DeadLetter = string(domain.TrayDeadLetter)

// Swept lists the trays the SLA sweep escalates item by item: those no token timeout watches. The rating and
// decision trays are watched by their states' TimeoutSeconds/HeartbeatSeconds, which escalate through the
// Escalate step; sweeping them too would send each escalation twice. The checks tray is chased by
// chaseChecks, from each check's record. An Operation Encompass PPN still waiting for a worker to pick its
// school when the Encompass deadline passes is escalated too, and a school notice its DSL has not
// acknowledged by then goes to the Encompass lead (shared/directory).
var Swept = []string{OOH, WrittenForm, DeadLetter, directory.TrayEncompassUnmatched, directory.TrayEncompassAck}

// Metrics receives the sweep's counts; production publishes them to CloudWatch (namespace MASH), the local
// runner logs them.
type Metrics interface {
	Put(ctx context.Context, name string, authority domain.AuthorityID, value float64) error
}

// SweepResult counts what one sweep found.
type SweepResult struct {
	Overdue   int `json:"overdue"`
	Escalated int `json:"escalated"`
	// Failed counts due items whose escalation failed this time (they stay due: the next sweep tries again).
	Failed int `json:"failed"`
	// OOHUnclaimed counts out-of-hours items past their review deadline that nobody has claimed (issue 7 §4:
	// the owner alarm).
	OOHUnclaimed map[domain.AuthorityID]int `json:"oohUnclaimed"`
	// Sent counts pending notifications the sweep's flush sent.
	Sent int `json:"sent"`
	// Reconciled counts workflow waits told of an action recorded earlier (Reconcile).
	Reconciled int `json:"reconciled"`
	// Completions counts what the completer did with the outbox of completions.
	Completions workflow.CompletionResult `json:"completions"`
	// CompletionsOwed counts, per authority, completions still not acknowledged CompletionsOwedAfter after the
	// action that owes them (published as MetricCompletionsOwed when the sweep can complete tokens).
	CompletionsOwed map[domain.AuthorityID]int `json:"completionsOwed,omitempty"`
}

// MetricCompletionsOwed is the count of people's actions the workflow has still not been told of
// CompletionsOwedAfter after they were recorded (the completer keeps failing: Step Functions unreachable, a
// permission missing). The sweep publishes it on every run, 0 when none; template.yaml alarms on it.
const MetricCompletionsOwed = "WorkflowCompletionsOwed"

// CompletionsOwedAfter is how old a pending completion must be to count as owed: three sweeps.
const CompletionsOwedAfter = 15 * time.Minute

// Sweep is the SLA function: a schedule runs it every few minutes. For every item past its deadline that
// nobody has claimed it sends one escalation (the notification id is deterministic per item, so a sweep that
// runs again sends nothing twice), and it publishes the out-of-hours queue's unclaimed count per authority.
// One item that fails never stops the others (issue #13): every due item is tried, failures are collected and
// reported together, and the metrics are published whatever happened, so silence always means a stuck sweep.
type Sweep struct {
	workflow.Env
	Metrics Metrics
	// Outbox, when set, is flushed on every sweep: notifications a failed send left pending go out.
	Outbox interface {
		FlushPending(ctx context.Context, limit int) (int, error)
	}
	// Authorities are the authorities this sweep publishes a zero count for when nothing is overdue, so the
	// alarm sees data rather than a gap.
	Authorities []domain.AuthorityID
	// Tasks, when set, lets the sweep drain the outbox of completions (workflow.Completer: a person's action
	// whose SendTaskSuccess failed is sent again until acknowledged) and reconcile (see Reconcile). The local
	// runner and the sla function set it.
	Tasks workflow.Tasks
	// Restarter, when set, lets the reconciliation mend a contact whose status waits on a person but that
	// has no open wait on record (see Reconcile): its workflow is started again from the store.
	Restarter Restarter
	// StuckAfter is how long a contact may wait on a person with no open wait on record before the
	// reconciliation re-drives it — the grace for the moments between a status change and the machine's
	// next park (zero: DefaultStuckAfter). The sla function reads it from STUCK_AFTER.
	StuckAfter time.Duration
	// NoReconcile leaves the reconciliation out of Run, for a runner that calls Reconcile on a schedule of its
	// own: the local runner sweeps on every tick (a second) and reconciles, which reads every open wait, every
	// five minutes as the sla function does (shared/local, issue #19).
	NoReconcile bool
}

// DefaultStuckAfter is the grace StuckAfter defaults to: far longer than any step between a status change and
// the wait that follows it (seconds, or the minutes of a step's retries), far shorter than any deadline.
const DefaultStuckAfter = 30 * time.Minute

// Restarter starts a contact's workflow again from the store: the machine begins at routing, and its steps,
// idempotent on the stored contact, bring it back to the wait its status is in. attempt numbers the restarts
// of a contact (a retry of one attempt starts nothing new). An execution still running is a domain conflict.
// The local runner restarts on its executor; production starts a new execution named after the contact and the
// attempt (sfnx).
type Restarter interface {
	Restart(ctx context.Context, in workflow.Start, attempt int) error
}

// Run sweeps once. Its error joins every failure (each a TransientError: the next run retries it); the result
// counts what was done despite them.
func (s Sweep) Run(ctx context.Context) (SweepResult, error) {
	now := s.Now()
	res := SweepResult{OOHUnclaimed: map[domain.AuthorityID]int{}}
	for _, a := range s.Authorities {
		res.OOHUnclaimed[a] = 0
	}
	var errs []error
	for _, tray := range Swept {
		items, err := s.Store.DueItems(ctx, tray, now, 0)
		if err != nil {
			errs = append(errs, &workflow.TransientError{Err: fmt.Errorf("tray %s: %w", tray, err)})
			continue
		}
		for _, it := range items {
			res.Overdue++
			if it.ClaimedBy != "" {
				continue
			}
			if tray == OOH {
				res.OOHUnclaimed[it.Authority]++
			}
			if err := s.escalate(ctx, it); err != nil {
				res.Failed++
				s.Log.ErrorContext(ctx, "escalation failed; retried on the next sweep", "item", it.ID, "tray", tray,
					"contactId", it.ContactID, "error", errorCode(err))
				errs = append(errs, &workflow.TransientError{Err: fmt.Errorf("item %s: %w", it.ID, err)})
				continue
			}
			res.Escalated++
		}
	}
	if n, err := s.chaseChecks(ctx, now); err != nil {
		errs = append(errs, err)
	} else {
		res.Escalated += n
	}
	if s.Tasks != nil {
		// The outbox of completions first: each person's action the workflow was not told of yet is sent again
		// until acknowledged; one whose wait is over is then mended by the reconciliation below.
		cr, err := workflow.Completer{Store: s.Store, Tasks: s.Tasks, Log: s.Log, Now: s.Now, Unmarked: s.UnmarkedContract}.Drain(ctx, 500)
		res.Completions = cr
		if err != nil {
			errs = append(errs, err)
		}
		if !s.NoReconcile {
			n, err := s.Reconcile(ctx)
			res.Reconciled = n
			if err != nil {
				errs = append(errs, err)
			}
		}
		owed, err := s.completionsOwed(ctx, now)
		if err != nil {
			errs = append(errs, err)
		}
		res.CompletionsOwed = owed
	}
	if s.Outbox != nil {
		sent, err := s.Outbox.FlushPending(ctx, 500)
		res.Sent = sent
		if err != nil {
			s.Log.WarnContext(ctx, "pending notifications not all recorded", "error", errorCode(err))
			errs = append(errs, &workflow.TransientError{Err: err})
		}
	}
	if s.Metrics != nil {
		for a, n := range res.OOHUnclaimed {
			if err := s.Metrics.Put(ctx, "OOHQueueUnclaimed", a, float64(n)); err != nil {
				s.Log.WarnContext(ctx, "metric not published", "authority", a, "error", err.Error())
			}
		}
		for a, n := range res.CompletionsOwed {
			if err := s.Metrics.Put(ctx, MetricCompletionsOwed, a, float64(n)); err != nil {
				s.Log.WarnContext(ctx, "metric not published", "authority", a, "error", err.Error())
			}
		}
	}
	s.Log.InfoContext(ctx, "sla sweep", "overdue", res.Overdue, "escalated", res.Escalated, "failed", res.Failed, "sent", res.Sent,
		"completed", res.Completions.Acknowledged, "completionsWaitOver", res.Completions.WaitOver, "completionsFailed", res.Completions.Failed,
		"reconciled", res.Reconciled)
	return res, errors.Join(errs...)
}

// completionsOwed counts the pending completions older than CompletionsOwedAfter, per authority (0 for each of
// Authorities).
func (s Sweep) completionsOwed(ctx context.Context, now time.Time) (map[domain.AuthorityID]int, error) {
	owed := map[domain.AuthorityID]int{}
	for _, a := range s.Authorities {
		owed[a] = 0
	}
	pend, err := s.Store.PendingCompletions(ctx, 0)
	if err != nil {
		return owed, &workflow.TransientError{Err: fmt.Errorf("pending completions: %w", err)}
	}
	for _, cp := range pend {
		if now.Sub(cp.CreatedAt) >= CompletionsOwedAfter {
			owed[cp.Authority]++
			s.Log.ErrorContext(ctx, "a person's action is still not known to the workflow", "contactId", cp.ContactID,
				"item", cp.ID, "tray", cp.Tray, "attempts", cp.Attempts, "error", cp.LastError)
		}
	}
	return owed, nil
}

// errorCode names an error for a log line without its text when it is a domain error (whose message may
// quote input); other errors carry no personal data.
func errorCode(err error) string {
	var de *domain.Error
	if errors.As(err, &de) {
		return string(de.Code)
	}
	return err.Error()
}

func (s Sweep) escalate(ctx context.Context, it store.TrayItem) error {
	if it.ContactID == "" {
		return nil
	}
	c, p, err := s.Load(ctx, workflow.StepInput{ContactID: it.ContactID})
	if err != nil {
		if _, missing := err.(*workflow.ContactNotFound); missing {
			s.Log.WarnContext(ctx, "tray item without contact", "item", it.ID)
			return nil
		}
		return err
	}
	if it.Tray == WrittenForm && !c.Flags.AwaitingWrittenForm {
		// The written referral arrived (Portsmouth §7.5): the chase is over.
		return complete(ctx, s.Store, it.ID, workflow.FnSLA)
	}
	kind, why := KindEscalation, "an item on the "+it.Tray+" tray is overdue: the service manager is told"
	switch it.Tray {
	case WrittenForm:
		kind, why = KindWrittenFormChase, "the written referral a phone call owes is late: the referrer is chased"
	case directory.TrayEncompassAck:
		why = "the school has not acknowledged the Operation Encompass notice by the deadline: the Encompass lead is told"
	}
	_, err = s.Apply(ctx, p, c.ID, func(c *domain.Contact) (lifecycle.Result, error) {
		return lifecycle.Remind(c, workflow.FnSLA, "sla.overdue", lifecycle.Notice{Kind: kind, Why: why,
			Extra: map[string]string{domain.ExtraTray: it.Tray, domain.ExtraStage: StageOverdue,
				domain.ExtraDueAt: it.DueAt.UTC().Format(time.RFC3339), domain.ExtraItem: it.ID}}), nil
	})
	return err
}

// Reconcile finds contacts whose record and workflow disagree (issue #13) and mends them, audited. An
// execution waiting on a decided contact: an open rating, decision or check item (a token the workflow waits on)
// whose action is already recorded — the contact rated or re-rated, decided, the check answered — is told the
// workflow from the record, then the item is closed, audited as workflow.reconciled (a decision committed
// while SendTaskSuccess failed left the machine escalating a decided contact); a wait that is over ("no longer
// waiting") closes the item too. A status waiting on a person with no open wait on record: the workflow is
// started again (mendStuck, with a Restarter).
func (s Sweep) Reconcile(ctx context.Context) (int, error) {
	far := s.Now().Add(100 * 365 * 24 * time.Hour)
	var errs []error
	done := 0
	for _, tray := range []string{Rating, Decision, Checks} {
		items, err := s.Store.DueItems(ctx, tray, far, 0)
		if err != nil {
			errs = append(errs, &workflow.TransientError{Err: fmt.Errorf("tray %s: %w", tray, err)})
			continue
		}
		for _, it := range items {
			if it.TaskToken == "" || it.ContactID == "" {
				continue
			}
			out, ok, err := s.recorded(ctx, it)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if !ok {
				continue // still waiting on a person: nothing to mend
			}
			if out != nil { // nil: a check answered while others stay open under its token; only its item closes
				if err := workflow.TellCompletion(ctx, s.Tasks, it.Tray, it.Contract, it.TaskToken, out, s.UnmarkedContract, s.Now()); err != nil && domain.ErrorCode(err) != domain.CodeConflict {
					errs = append(errs, &workflow.TransientError{Err: fmt.Errorf("item %s: %w", it.ID, err)})
					continue
				}
			}
			if _, err := s.Store.CompleteTrayItem(ctx, it.ID, workflow.FnSLA); err != nil && domain.ErrorCode(err) != domain.CodeConflict {
				errs = append(errs, err)
				continue
			}
			if _, err := s.Store.AppendAudit(ctx, store.AuditEvent{ContactID: it.ContactID, Actor: workflow.FnSLA, Action: "workflow.reconciled",
				Reason: "the action was recorded but the workflow had not been told", Detail: map[string]string{"tray": tray, "item": it.ID}}); err != nil {
				errs = append(errs, err)
			}
			s.Log.WarnContext(ctx, "workflow reconciled with the contact", "contactId", it.ContactID, "item", it.ID, "tray", tray)
			done++
		}
	}
	if s.Restarter != nil {
		n, err := s.mendStuck(ctx)
		done += n
		errs = append(errs, err)
	}
	return done, errors.Join(errs...)
}

// waitingOnAPerson are the statuses in which a contact's workflow waits on a person's task token: the
// rating, partner checks, the decision.
var waitingOnAPerson = []domain.Status{domain.StatusAwaitingRating, domain.StatusChecks, domain.StatusAwaitingDecision}

// mendStuck finds the other half of a disagreement between record and workflow (issue #13): a contact whose
// status waits on a person — awaiting a rating, partner checks, a decision — with no open wait on record (no
// open rating, decision or check item holding a task token) and no completion still owed, its record quiet
// for longer than StuckAfter (quietSince). Nobody could act on it and no deadline would fire: its workflow
// is started again from the store (Restarter) and the restart audited as workflow.restarted. An execution
// still running is left alone.
//
// The restarts are capped by the policy (workflow.restartLimit): a contact whose workflow was started again that
// many times and is stuck once more has a fault a restart does not mend, so it is given to a person instead —
// put on the dead-letter tray (which the sweep escalates to the service manager at once), audited
// workflow.restart-limit-reached, logged as an error and counted in MetricRestartLimitReached (template.yaml
// alarms on it) — once per stuck episode (restartLimitReached), never restarted in a loop.
func (s Sweep) mendStuck(ctx context.Context) (int, error) {
	grace := s.StuckAfter
	if grace <= 0 {
		grace = DefaultStuckAfter
	}
	now := s.Now()
	var errs []error
	done := 0
	// The contacts whose completions are still owed, read once (a completion is kept on its wait's tray item,
	// not under its contact: docs/cost.md).
	pend, err := s.Store.PendingCompletions(ctx, 0)
	if err != nil {
		return 0, &workflow.TransientError{Err: fmt.Errorf("pending completions: %w", err)}
	}
	owed := map[domain.ContactID]bool{}
	for _, cp := range pend {
		owed[cp.ContactID] = true
	}
	for _, a := range s.Authorities {
		capped := 0
		if s.Metrics != nil {
			defer func(a domain.AuthorityID) { // published on every reconciliation, 0 when none: silence is a stuck sweep
				if err := s.Metrics.Put(ctx, MetricRestartLimitReached, a, float64(capped)); err != nil {
					s.Log.WarnContext(ctx, "metric not published", "authority", a, "error", err.Error())
				}
			}(a)
		}
		for _, st := range waitingOnAPerson {
			cs, err := s.Store.ListContacts(ctx, a, st)
			if err != nil {
				errs = append(errs, &workflow.TransientError{Err: fmt.Errorf("contacts %s: %w", st, err)})
				continue
			}
			for _, c := range cs {
				if owed[c.ID] {
					continue // the completer still owes the workflow an answer
				}
				stuck, err := s.stuck(ctx, c)
				if err != nil {
					errs = append(errs, err)
					continue
				}
				if !stuck {
					continue
				}
				evs, err := s.Store.ListAudit(ctx, c.ID)
				if err != nil {
					errs = append(errs, err)
					continue
				}
				quiet := now.Sub(quietSince(c, evs))
				if quiet < grace {
					continue
				}
				if c.Status == domain.StatusChecks {
					// Its checks all answered or closed and no completion for their wait: two answers written at
					// once, whose functions stopped before either read the checks again (actions.AnswerCheck).
					// The execution still waits on the checks' token: the wait is ended, not restarted.
					handled, mended, err := s.endChecksWait(ctx, c, quiet)
					if err != nil {
						errs = append(errs, err)
						continue
					}
					if mended {
						done++
					}
					if handled {
						continue
					}
				}
				restarted, given, err := s.restart(ctx, c, evs, quiet, grace)
				if err != nil {
					errs = append(errs, err)
					continue
				}
				if given {
					capped++
				}
				if restarted {
					done++
				}
			}
		}
	}
	return done, errors.Join(errs...)
}

// stuck reports whether a contact has no open wait on record (its completions owed are mendStuck's).
func (s Sweep) stuck(ctx context.Context, c *domain.Contact) (bool, error) {
	items := []string{c.Tasks[Rating], c.Tasks[Decision]} // waits parked before: named on the contact
	ws, err := s.Store.Waits(ctx, c.ID)                   // its rating's and decision's waits since
	if err != nil {
		return false, err
	}
	for _, it := range ws {
		if (it.CompletedAt.IsZero() && it.TaskToken != "") || it.Owed {
			return false, nil // a wait someone can answer, or one answered whose completion is still owed
		}
	}
	reqs, err := s.Store.ListChecks(ctx, c.ID)
	if err != nil {
		return false, err
	}
	for _, q := range reqs {
		// every check's item: an answered one may still carry the completion its answer owes the workflow
		items = append(items, string(c.ID)+"#"+Checks+"#"+q.ID)
	}
	for _, id := range items {
		if id == "" {
			continue
		}
		it, err := s.Store.GetTrayItem(ctx, id)
		if domain.ErrorCode(err) == domain.CodeNotFound {
			continue
		}
		if err != nil {
			return false, err
		}
		if it.CompletedAt.IsZero() && it.TaskToken != "" {
			return false, nil // a wait someone can answer, or whose deadline escalates
		}
		if it.Owed {
			// answered, and the workflow still to be told: the completer's (one on the pending list is skipped
			// above; one the table's stream tells is on no list until a tell of it fails: docs/cost.md)
			return false, nil
		}
	}
	return true, nil
}

// endChecksWait ends the partner checks' wait of a contact in its checks that was left waiting with nothing to
// end it (workflow.ChecksWaitUnended: every check asked under the wait's token answered or closed, none
// carrying its completion), as the last answer would have (workflow.MendChecksWait: the contact moved on under
// its version, the completion kept on the latest done check's record, audited workflow.ActionChecksWaitEnded by
// the sweep), then tells the workflow (or leaves it to the table's stream). mended is false when the contact's
// checks were not in that state (handled false: it is then restarted as any stuck contact); handled and not
// mended when the wait was ended meanwhile (an answer's own mend).
func (s Sweep) endChecksWait(ctx context.Context, c *domain.Contact, quiet time.Duration) (handled, mended bool, err error) {
	reqs, err := s.Store.ListChecks(ctx, c.ID)
	if err != nil {
		return false, false, &workflow.TransientError{Err: fmt.Errorf("checks %s: %w", c.ID, err)}
	}
	// The wait's token: the latest check's asked with one (a re-rating asks again under a new token); of the
	// checks under it, the latest answered or closed keeps the completion.
	var token string
	var latest time.Time
	for _, q := range reqs {
		if q.TaskToken != "" && !q.RequestedAt.Before(latest) {
			token, latest = q.TaskToken, q.RequestedAt
		}
	}
	var done *store.CheckRequest
	var doneAt time.Time
	for i, q := range reqs {
		if q.TaskToken != token || token == "" || q.Open() {
			continue
		}
		at := q.RequestedAt
		if q.Answer != nil {
			at = q.Answer.At
		} else if q.Closed != nil {
			at = q.Closed.At
		}
		if done == nil || !at.Before(doneAt) {
			done, doneAt = &reqs[i], at
		}
	}
	if done == nil || !workflow.ChecksWaitUnended(*done, reqs) {
		return false, false, nil
	}
	p, err := s.Policies(c.Authority)
	if err != nil {
		return false, false, err
	}
	owed, err := s.MendChecksWait(ctx, p, c.ID, done.ID, workflow.FnSLA, "every partner check was answered or closed but no answer ended the checks' wait "+
		"(answers written at the same time, whose functions stopped before they could read the checks again): the SLA sweep ends it")
	if err != nil {
		return false, false, &workflow.TransientError{Err: fmt.Errorf("checks wait %s: %w", c.ID, err)}
	}
	if len(owed) == 0 {
		return true, false, nil // ended meanwhile (an answer's own mend)
	}
	if s.Tasks != nil && !s.ByStream {
		_, _ = workflow.Completer{Store: s.Store, Tasks: s.Tasks, Log: s.Log, Now: s.Now, Unmarked: s.UnmarkedContract}.Send(ctx, owed)
	}
	s.Log.WarnContext(ctx, "partner checks' wait left waiting after every check was answered: ended by the sweep", "contactId", c.ID,
		"quietFor", quiet.Round(time.Second).String())
	return true, true, nil
}

// quietSince is when the contact's record last moved: its latest audit event other than a read or the
// sweep's own reminders (which repeat whether or not anything moves). An earlier restart counts, so a contact
// the restart did not mend is restarted again only after another grace period.
func quietSince(c *domain.Contact, evs []store.AuditEvent) time.Time {
	last := c.ReceivedAt
	for _, ev := range evs {
		switch {
		case ev.Action == "contact.read" || strings.HasSuffix(ev.Action, ".read") || ev.Action == "sar.exported":
		case ev.Actor == workflow.FnSLA && ev.Action != "workflow.restarted":
		default:
			if ev.At.After(last) {
				last = ev.At
			}
		}
	}
	return last
}

// MetricRestartLimitReached counts, per authority and reconciliation, the stuck contacts given to a person
// because their workflow had been started again as often as the policy allows (workflow.restartLimit);
// published 0 when none. template.yaml alarms on it.
const MetricRestartLimitReached = "WorkflowRestartLimitReached"

// RuleRestartLimit is the rule of the dead-letter item of a contact whose restarts reached the limit.
const RuleRestartLimit = policy.RuleRestartLimit

// restart starts a stuck contact's workflow again and audits it; when the policy's restart limit is reached it
// gives the contact to a person instead (given: this time; neither when it was given already).
func (s Sweep) restart(ctx context.Context, c *domain.Contact, evs []store.AuditEvent, stuckFor, grace time.Duration) (restarted, given bool, err error) {
	attempt := 1
	for _, ev := range evs {
		if ev.Action == "workflow.restarted" {
			attempt++
		}
	}
	p, err := s.Policies(c.Authority)
	if err != nil {
		return false, false, err
	}
	if limit := p.Workflow.RestartLimit.Max; attempt > limit {
		given, err := s.restartLimitReached(ctx, c, evs, attempt-1, limit, stuckFor, grace)
		return false, given, err
	}
	err = s.Restarter.Restart(ctx, workflow.Start{ContactID: c.ID, Authority: c.Authority}, attempt)
	if domain.ErrorCode(err) == domain.CodeConflict {
		s.Log.WarnContext(ctx, "contact waits on a person with no open wait on record, but its execution still runs: left alone",
			"contactId", c.ID, "status", c.Status)
		return true, false, nil
	}
	if err != nil {
		return false, false, &workflow.TransientError{Err: fmt.Errorf("restart %s: %w", c.ID, err)}
	}
	if _, err := s.Store.AppendAudit(ctx, store.AuditEvent{ContactID: c.ID, Actor: workflow.FnSLA, Action: "workflow.restarted",
		Reason: "the contact waited on a person with no open wait on record (no task token, no tray item): its workflow was started again from the record",
		Detail: map[string]string{"status": string(c.Status), "attempt": fmt.Sprint(attempt), "stuckFor": stuckFor.Round(time.Second).String()}}); err != nil {
		return true, false, err
	}
	s.Log.WarnContext(ctx, "stuck contact re-driven: its workflow was started again", "contactId", c.ID, "status", c.Status, "attempt", attempt)
	return true, false, nil
}

// restartLimitReached gives a contact the restarts did not mend to a person: the audit event
// workflow.restart-limit-reached, then its item on the dead-letter tray (due now: the sweep escalates it to
// the service manager at once). One item per stuck episode, never one per run: while the episode's item is
// open a person has it and nothing more is done; once it is closed, the contact is raised again — a new item,
// a new escalation, counted again in MetricRestartLimitReached — only when it is found stuck again and has
// been quiet for a whole grace since the item was closed (a person who closed it without mending the contact
// hears of it again after the same grace a restart waits; a contact mended and stuck again later is a new
// episode). A failure between the event and the item puts the episode's item on the next run (never an item
// without its event, never a second event for one item).
func (s Sweep) restartLimitReached(ctx context.Context, c *domain.Contact, evs []store.AuditEvent, restarts, limit int, stuckFor, grace time.Duration) (bool, error) {
	episode := 0
	for _, ev := range evs {
		if ev.Action == "workflow.restart-limit-reached" {
			episode++
		}
	}
	if episode > 0 {
		it, err := s.Store.GetTrayItem(ctx, RestartLimitItemID(c.ID, episode))
		switch {
		case domain.ErrorCode(err) == domain.CodeNotFound: // its event was written, its item not: put it now
			return false, s.putRestartLimitItem(ctx, c, episode, restarts)
		case err != nil:
			return false, &workflow.TransientError{Err: fmt.Errorf("dead-letter %s: %w", c.ID, err)}
		case it.CompletedAt.IsZero() || s.Now().Sub(it.CompletedAt) < grace:
			return false, nil // a person has it, or closed it less than a grace ago
		}
	}
	episode++
	if _, err := s.Store.AppendAudit(ctx, store.AuditEvent{ContactID: c.ID, Actor: workflow.FnSLA, Action: "workflow.restart-limit-reached",
		Reason: "its workflow was started again as often as the policy allows and is stuck again: given to a person (dead-letter tray), not restarted",
		Detail: map[string]string{"status": string(c.Status), "restarts": fmt.Sprint(restarts), "limit": fmt.Sprint(limit),
			"stuckFor": stuckFor.Round(time.Second).String(), "episode": fmt.Sprint(episode)}}); err != nil {
		return false, err
	}
	if err := s.putRestartLimitItem(ctx, c, episode, restarts); err != nil {
		return false, err
	}
	s.Log.ErrorContext(ctx, "stuck contact not restarted: the restart limit is reached; on the dead-letter tray for a person",
		"contactId", c.ID, "status", c.Status, "restarts", restarts, "limit", limit, "episode", episode)
	return true, nil
}

// RestartLimitItemID is the id of a contact's dead-letter item for its nth stuck episode past the restart limit
// (apart from the item of a dead-lettered execution); the first keeps the id it always had.
func RestartLimitItemID(id domain.ContactID, episode int) string {
	base := string(id) + "#" + DeadLetter + "#" + RuleRestartLimit
	if episode <= 1 {
		return base
	}
	return base + "#" + fmt.Sprint(episode)
}

func (s Sweep) putRestartLimitItem(ctx context.Context, c *domain.Contact, episode, restarts int) error {
	note := fmt.Sprintf("its workflow was started again %d times (the policy's limit) and is stuck again, %s: act on it by hand", restarts, c.Status)
	if episode > 1 {
		note += fmt.Sprintf(" (its %s such item: an earlier one was closed and it is stuck again)", ordinal(episode))
	}
	it := store.TrayItem{ID: RestartLimitItemID(c.ID, episode), Tray: DeadLetter, Authority: c.Authority, ContactID: c.ID,
		DueAt: s.Now().UTC(), Rule: RuleRestartLimit, Note: note}
	if _, err := s.Store.PutTrayItem(ctx, it); err != nil && domain.ErrorCode(err) != domain.CodeConflict {
		return &workflow.TransientError{Err: fmt.Errorf("dead-letter %s: %w", c.ID, err)}
	}
	return nil
}

func ordinal(n int) string {
	switch {
	case n%100 >= 11 && n%100 <= 13:
		return fmt.Sprintf("%dth", n)
	case n%10 == 1:
		return fmt.Sprintf("%dst", n)
	case n%10 == 2:
		return fmt.Sprintf("%dnd", n)
	case n%10 == 3:
		return fmt.Sprintf("%drd", n)
	}
	return fmt.Sprintf("%dth", n)
}

// recorded returns what the workflow should have been told for an open item whose action is on record.
// A rating wait whose contact is rated is told the rating's plan (lifecycle.PlanOf, from the record); a
// decision wait whose contact is decided, the outcome, and one opened before the contact's latest rating, that
// it was re-rated; a check wait whose check is answered, the answer, and one requested before the contact's
// latest rating and unanswered, that it was superseded by the re-rating.
func (s Sweep) recorded(ctx context.Context, it store.TrayItem) (json.RawMessage, bool, error) {
	c, err := s.Store.GetContact(ctx, it.ContactID)
	if err != nil {
		return nil, false, err
	}
	if c.Status == domain.StatusClosed && (it.Tray == Rating || it.Tray == Decision) {
		// Merged into another contact as a duplicate (actions.Merge) while this wait was open: it ends.
		if it.Tray == Rating {
			out, err := json.Marshal(workflow.RatingResult{Merged: true})
			return out, err == nil, err
		}
		out, err := json.Marshal(workflow.DecisionResult{Merged: true})
		return out, err == nil, err
	}
	switch it.Tray {
	case Rating:
		if c.Status == domain.StatusForwarded {
			out, err := json.Marshal(workflow.RatingResult{Forwarded: true})
			return out, err == nil, err
		}
		if c.Rating == nil || c.Status == domain.StatusAwaitingRating {
			return nil, false, nil
		}
		reqs, err := s.Store.ListChecks(ctx, c.ID)
		if err != nil {
			return nil, false, err
		}
		var answered []domain.Agency
		for _, q := range reqs {
			if q.Answer != nil {
				answered = append(answered, q.Agency)
			}
		}
		out, err := json.Marshal(workflow.PlanResult(lifecycle.PlanOf(c, answered), c.Rating.Value, s.Now()))
		return out, err == nil, err
	case Decision:
		if c.Outcome != nil && c.Status != domain.StatusAwaitingDecision {
			out, err := json.Marshal(workflow.DecisionResult{Outcome: c.Outcome.Code})
			return out, err == nil, err
		}
		if c.Outcome == nil && c.Rating != nil && !it.CreatedAt.IsZero() && it.CreatedAt.Before(c.Rating.At) {
			out, err := json.Marshal(workflow.DecisionResult{Rerated: true})
			return out, err == nil, err
		}
		return nil, false, nil
	case Checks:
		checkID, ok := strings.CutPrefix(it.ID, string(it.ContactID)+"#"+Checks+"#")
		if !ok {
			return nil, false, nil
		}
		reqs, err := s.Store.ListChecks(ctx, it.ContactID)
		if err != nil {
			return nil, false, err
		}
		i := slices.IndexFunc(reqs, func(q store.CheckRequest) bool { return q.ID == checkID })
		if i < 0 {
			return nil, false, domain.Errorf(domain.CodeNotFound, "contact %s has no check %s", it.ContactID, checkID)
		}
		q := reqs[i]
		var res workflow.CheckResult
		switch {
		case q.Answer != nil:
			res = workflow.CheckResult{Agency: q.Agency, Answered: true, RaisedRisk: q.Answer.RiskHigher}
		case c.Status == domain.StatusForwarded || (c.Rating != nil && q.RequestedAt.Before(c.Rating.At)):
			res = workflow.CheckResult{Agency: q.Agency, Superseded: true}
		default:
			return nil, false, nil
		}
		// State RequestChecks holds one token for all of a rating's agencies: an answer ends the wait only when
		// no other check is open under it (a superseded one, never: the re-rating or forward told the token).
		for _, o := range reqs {
			if o.ID != q.ID && o.TaskToken == q.TaskToken && o.Open() && !res.Superseded {
				return nil, true, nil
			}
		}
		if workflow.ChecksPlanned(it.Contract) {
			// Contract 4: the wait is told what follows the checks, read from the record now (as the answer
			// that ends it would have told it): the decision's plan, ChecksNeeded, or Forwarded.
			plan, err := workflow.PlanAfterChecks(c, reqs, s.Now())
			if err != nil {
				return nil, false, err
			}
			out, err := json.Marshal(plan)
			return out, err == nil, err
		}
		out, err := json.Marshal(res)
		return out, err == nil, err
	}
	return nil, false, nil
}

// chaseChecks chases overdue partner checks (Hackney §5, Bexley §13: checks are answered within the rating's
// window; Northamptonshire §10: delays go to the service manager): at the check's deadline the agency is
// reminded with the same single-use answer link and the service manager told (lifecycle.CheckLate), and again
// every escalation.repeat after the last chase (the check's own NextChaseAt), until the check is answered,
// a manager closes it with a reason, a worker claims the item, or the contact is decided. Each chase is
// recorded on the check in the transition's atomic write, so a sweep that runs again sends nothing twice.
func (s Sweep) chaseChecks(ctx context.Context, now time.Time) (int, error) {
	items, err := s.Store.DueItems(ctx, Checks, now.Add(time.Nanosecond), 0) // due at now, too
	if err != nil {
		return 0, &workflow.TransientError{Err: fmt.Errorf("tray %s: %w", Checks, err)}
	}
	sent := 0
	var errs []error
	for _, it := range items {
		_, checkID, ok := strings.Cut(it.ID, "#"+Checks+"#")
		if it.ClaimedBy != "" || it.ContactID == "" || !ok {
			continue
		}
		c, p, err := s.Load(ctx, workflow.StepInput{ContactID: it.ContactID})
		if err != nil {
			continue
		}
		if lifecycle.Allowed(lifecycle.CheckOverdue, c) != nil {
			continue // decided (or otherwise past the checks): nothing to chase
		}
		req, err := s.Store.GetCheck(ctx, c.ID, checkID)
		if err != nil || !lifecycle.ChaseDue(req, now) {
			continue
		}
		if _, err := s.Apply(ctx, p, c.ID, func(c *domain.Contact) (lifecycle.Result, error) {
			req, err := s.Store.GetCheck(ctx, c.ID, checkID) // as it now is, on a retry too
			if err != nil {
				return lifecycle.Result{}, err
			}
			if !lifecycle.ChaseDue(req, now) {
				return lifecycle.Result{}, errChased
			}
			r, _, err := lifecycle.CheckLate(p, c, now, req, directory.CheckRecipient(p, req.Agency).Extra())
			return r, err
		}); err != nil {
			if errors.Is(err, errChased) || domain.ErrorCode(err) == domain.CodeConflict {
				continue // answered, closed or chased meanwhile
			}
			errs = append(errs, &workflow.TransientError{Err: fmt.Errorf("item %s: %w", it.ID, err)})
			continue
		}
		sent++
	}
	return sent, errors.Join(errs...)
}

var errChased = errors.New("chased already")
