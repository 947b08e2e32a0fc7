package trays

import (
	"context"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/workflow"
)

// OOH is the out-of-hours queue's tray (shared/ooh puts items there).
const OOH = "ooh"

// WrittenForm is the tray of immediate-harm phone contacts awaiting their written form (shared/intake).
const WrittenForm = "written-form"

// KindWrittenFormChase is the reminder to a phone referrer whose written form is late (Portsmouth seed §7.5).
const KindWrittenFormChase = "written-form-chase"

// DeadLetter is the local runner's tray of contacts whose workflow failed after its retries (production: an
// alarmed SQS queue).
const DeadLetter = "dead-letter"

// Swept lists the trays the SLA sweep reads: those no token timeout watches. The rating, decision and checks
// trays are watched by their states' TimeoutSeconds/HeartbeatSeconds, which escalate through the Escalate step;
// sweeping them too would send each escalation twice.
var Swept = []string{OOH, WrittenForm, DeadLetter}

// Metrics receives the sweep's counts; production publishes them to CloudWatch (namespace MASH), the local
// runner logs them.
type Metrics interface {
	Put(ctx context.Context, name string, authority domain.AuthorityID, value float64) error
}

// SweepResult counts what one sweep found.
type SweepResult struct {
	Overdue   int `json:"overdue"`
	Escalated int `json:"escalated"`
	// OOHUnclaimed counts out-of-hours items past their review deadline that nobody has claimed (issue 7 §4:
	// the owner alarm).
	OOHUnclaimed map[domain.AuthorityID]int `json:"oohUnclaimed"`
}

// Sweep is the SLA function: a schedule runs it every few minutes. For every item past its deadline that
// nobody has claimed it sends one escalation (the notification id is deterministic per item, so a sweep that
// runs again sends nothing twice), and it publishes the out-of-hours queue's unclaimed count per authority.
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

// Run sweeps once.
func (s Sweep) Run(ctx context.Context) (SweepResult, error) {
	now := s.Now()
	res := SweepResult{OOHUnclaimed: map[domain.AuthorityID]int{}}
	for _, a := range s.Authorities {
		res.OOHUnclaimed[a] = 0
	}
	for _, tray := range Swept {
		items, err := s.Store.DueItems(ctx, tray, now, 0)
		if err != nil {
			return res, &workflow.TransientError{Err: err}
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
				return res, err
			}
			res.Escalated++
		}
	}
	if s.Outbox != nil {
		if _, err := s.Outbox.FlushPending(ctx, 500); err != nil {
			s.Log.WarnContext(ctx, "pending notifications not all sent", "error", err.Error())
		}
	}
	if s.Metrics != nil {
		for a, n := range res.OOHUnclaimed {
			if err := s.Metrics.Put(ctx, "OOHQueueUnclaimed", a, float64(n)); err != nil {
				s.Log.WarnContext(ctx, "metric not published", "authority", a, "error", err.Error())
			}
		}
	}
	s.Log.InfoContext(ctx, "sla sweep", "overdue", res.Overdue, "escalated", res.Escalated)
	return res, nil
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
	kind := KindEscalation
	if it.Tray == WrittenForm {
		kind = KindWrittenFormChase
	}
	return s.Notifier.Notify(ctx, kind, p, c, map[string]string{"tray": it.Tray, "stage": StageOverdue,
		"dueAt": it.DueAt.UTC().Format(time.RFC3339), "item": it.ID})
}
