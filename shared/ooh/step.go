package ooh

import (
	"context"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/screening"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/workflow"
)

// Tray is the out-of-hours queue: contacts that arrived while the MASH was closed, due by their ooh-review
// deadline. The next-morning list reads it.
const Tray = string(domain.TrayOOH)

// Step is the first state of the contact machine: out-of-hours routing and, when the MASH is open, screening
// (shared/screening) in the same invocation. One task instead of route → choice → screening saves two state
// transitions per contact (docs/cost.md "Fewer state transitions"). Both halves are idempotent on the stored
// contact, so the task's retry re-runs them safely.
type Step struct{ workflow.Env }

// Handle routes the contact (Route) and, when the MASH is open, screens it.
func (s Step) Handle(ctx context.Context, in workflow.StepInput) (workflow.StartOutput, error) {
	r, err := s.Route(ctx, in)
	if err != nil {
		return workflow.StartOutput{}, err
	}
	out := workflow.StartOutput{RouteOutput: r}
	if r.Route != domain.RouteMASH {
		return out, nil
	}
	so, err := screening.Step{Env: s.Env}.Handle(ctx, in)
	if err != nil {
		return workflow.StartOutput{}, err
	}
	out.Next, out.Wait = so.Next, so.Wait
	return out, nil
}

// Route routes the contact by its arrival time. Closed + immediate harm (or a PPN with a child injured or at
// immediate risk, recorded as immediate harm at intake): the EDT is told at once. Closed otherwise: queued.
// Either way the contact enters the MASH at the next opening (Portsmouth seed §8: every out-of-hours contact is
// reviewed the next working day). Re-running the step (a retry) changes nothing twice.
func (s Step) Route(ctx context.Context, in workflow.StepInput) (workflow.RouteOutput, error) {
	c, p, err := s.Load(ctx, in)
	if err != nil {
		return workflow.RouteOutput{}, err
	}
	var rating domain.Rating
	if c.Rating != nil {
		rating = c.Rating.Value
	}
	d, err := Decide(p, c.ArrivedAt(), c.ImmediateHarm, rating)
	if err != nil {
		return workflow.RouteOutput{}, err
	}
	now := s.Now()
	cal, err := p.Calendar()
	if err != nil {
		return workflow.RouteOutput{}, err
	}
	openAt := now
	if d.Route != domain.RouteMASH {
		openAt = cal.NextOpening(later(now, c.ArrivedAt()))
	}
	out := workflow.RouteOutput{Route: d.Route, OpenAt: openAt.UTC().Format(time.RFC3339)}
	if d.ReviewBy != nil {
		out.ReviewBy = d.ReviewBy.UTC().Format(time.RFC3339)
	}
	if c.Route == "" { // a retried step finds the contact routed and only makes sure of its tray item
		c, err = s.ApplyLoaded(ctx, p, c, func(c *domain.Contact) (lifecycle.Result, error) {
			r, err := lifecycle.Route(p, c, now, d.Route, workflow.FnOutOfHours)
			if err == nil {
				r.Event.Detail["openAt"] = out.OpenAt
				if d.Route != domain.RouteMASH { // the OOH queue's item is in the transition's write
					r.TrayItems = append(r.TrayItems, store.TrayItem{ID: string(c.ID) + "#" + Tray, Tray: Tray, Authority: c.Authority,
						ContactID: c.ID, DueAt: d.ReviewBy.UTC(), Rule: policy.RuleOOHReview})
				}
			}
			return r, err
		})
		if err != nil {
			return workflow.RouteOutput{}, err
		}
	}
	if d.Route != domain.RouteMASH {
		if _, err := s.Store.PutTrayItem(ctx, store.TrayItem{ID: string(c.ID) + "#" + Tray, Tray: Tray, Authority: c.Authority,
			ContactID: c.ID, DueAt: d.ReviewBy.UTC(), Rule: policy.RuleOOHReview}); err != nil && !isConflict(err) {
			return workflow.RouteOutput{}, workflow.Classify(err, c.ID)
		}
	}
	s.Log.InfoContext(ctx, "contact routed", "contactId", c.ID, "authority", c.Authority, "route", d.Route)
	return out, nil
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func isConflict(err error) bool { return domain.ErrorCode(err) == domain.CodeConflict }
