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

// Handle routes the contact (Route) and, when the MASH is open, screens it. Open, the routing and the screening
// are ONE change of the contact (screening.Step.Before): one write of the contact and its audit instead of
// two, and one read of the contact (docs/cost.md). A retry finds the change written and only answers from it.
func (s Step) Handle(ctx context.Context, in workflow.StepInput) (workflow.StartOutput, error) {
	c, p, err := s.Load(ctx, in)
	if err != nil {
		return workflow.StartOutput{}, err
	}
	r, route, err := s.route(ctx, p, c)
	if err != nil {
		return workflow.StartOutput{}, err
	}
	out := workflow.StartOutput{RouteOutput: r}
	if r.Route != domain.RouteMASH {
		return out, nil
	}
	so, err := screening.Step{Env: s.Env, Before: route}.HandleLoaded(ctx, p, c)
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
	r, route, err := s.route(ctx, p, c)
	if err != nil || route == nil {
		return r, err
	}
	_, err = s.ApplyLoaded(ctx, p, c, route)
	return r, err
}

// route decides the contact's route. Closed, it writes what the route needs (the routing change with the
// out-of-hours queue's item) and returns a nil transition. Open, it writes nothing and returns the routing
// transition (nil when a retry finds the contact routed), for the caller to write — with screening's, in
// Handle.
func (s Step) route(ctx context.Context, p *policy.Policy, c *domain.Contact) (workflow.RouteOutput, func(*domain.Contact) (lifecycle.Result, error), error) {
	var rating domain.Rating
	if c.Rating != nil {
		rating = c.Rating.Value
	}
	d, err := Decide(p, c.ArrivedAt(), c.ImmediateHarm, rating)
	if err != nil {
		return workflow.RouteOutput{}, nil, err
	}
	now := s.Now()
	cal, err := p.Calendar()
	if err != nil {
		return workflow.RouteOutput{}, nil, err
	}
	openAt := now
	if d.Route != domain.RouteMASH {
		openAt = cal.NextOpening(later(now, c.ArrivedAt()))
	}
	out := workflow.RouteOutput{Route: d.Route, OpenAt: openAt.UTC().Format(time.RFC3339)}
	if d.ReviewBy != nil {
		out.ReviewBy = d.ReviewBy.UTC().Format(time.RFC3339)
	}
	var route func(*domain.Contact) (lifecycle.Result, error)
	if c.Route == "" { // a retried step finds the contact routed and only makes sure of its tray item
		route = func(c *domain.Contact) (lifecycle.Result, error) {
			r, err := lifecycle.Route(p, c, now, d.Route, workflow.FnOutOfHours)
			if err == nil {
				r.Event.Detail["openAt"] = out.OpenAt
				if d.Route != domain.RouteMASH { // the OOH queue's item is in the transition's write
					r.TrayItems = append(r.TrayItems, store.TrayItem{ID: string(c.ID) + "#" + Tray, Tray: Tray, Authority: c.Authority,
						ContactID: c.ID, DueAt: d.ReviewBy.UTC(), Rule: policy.RuleOOHReview})
				}
			}
			return r, err
		}
	}
	if d.Route == domain.RouteMASH {
		s.Log.InfoContext(ctx, "contact routed", "contactId", c.ID, "authority", c.Authority, "route", d.Route)
		return out, route, nil
	}
	if route != nil {
		if c, err = s.ApplyLoaded(ctx, p, c, route); err != nil {
			return workflow.RouteOutput{}, nil, err
		}
	}
	if _, err := s.Store.PutTrayItem(ctx, store.TrayItem{ID: string(c.ID) + "#" + Tray, Tray: Tray, Authority: c.Authority,
		ContactID: c.ID, DueAt: d.ReviewBy.UTC(), Rule: policy.RuleOOHReview}); err != nil && !isConflict(err) {
		return workflow.RouteOutput{}, nil, workflow.Classify(err, c.ID)
	}
	s.Log.InfoContext(ctx, "contact routed", "contactId", c.ID, "authority", c.Authority, "route", d.Route)
	return out, nil, nil
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func isConflict(err error) bool { return domain.ErrorCode(err) == domain.CodeConflict }
