package trays

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/safeguarding/mash/shared/directory"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/lifecycle"
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

// Swept lists the trays the SLA sweep reads: those no token timeout watches. The rating, decision and checks
// trays are watched by their states' TimeoutSeconds/HeartbeatSeconds, which escalate through the Escalate step;
// sweeping them too would send each escalation twice. An Operation Encompass PPN still waiting for a worker
// to pick its school when the Encompass deadline passes is escalated too (shared/directory).
var Swept = []string{OOH, WrittenForm, DeadLetter, directory.TrayEncompassUnmatched}

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
}

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
	}
	s.Log.InfoContext(ctx, "sla sweep", "overdue", res.Overdue, "escalated", res.Escalated, "failed", res.Failed, "sent", res.Sent)
	return res, errors.Join(errs...)
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
	if it.Tray == WrittenForm {
		kind, why = KindWrittenFormChase, "the written referral a phone call owes is late: the referrer is chased"
	}
	_, err = s.Apply(ctx, p, c.ID, func(c *domain.Contact) (lifecycle.Result, error) {
		return lifecycle.Remind(c, workflow.FnSLA, "sla.overdue", lifecycle.Notice{Kind: kind, Why: why,
			Extra: map[string]string{domain.ExtraTray: it.Tray, domain.ExtraStage: StageOverdue,
				domain.ExtraDueAt: it.DueAt.UTC().Format(time.RFC3339), domain.ExtraItem: it.ID}}), nil
	})
	return err
}
