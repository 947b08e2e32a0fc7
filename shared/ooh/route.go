// Package ooh decides, from the clock and the authority's policy, whether a contact goes to the MASH now,
// waits in the out-of-hours queue for the next opening, or goes to the Emergency Duty Team at once.
//
// Every seed authority closes evenings, weekends and bank holidays (Hackney seed §9, Northamptonshire §6,
// Barnet "Operating hours", Portsmouth §8); the EDT covers. A child at immediate risk must not wait for the
// morning, and nothing may vanish over a weekend: queued contacts carry a reviewBy deadline (ooh-review).
package ooh

import (
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/policy"
)

// Decision is where a contact goes at the instant it arrives.
type Decision struct {
	Authority   domain.AuthorityID `json:"authority"`
	Open        bool               `json:"open"`
	Route       domain.Route       `json:"route"`
	NextOpening time.Time          `json:"nextOpening"`
	// ReviewBy is the ooh-review deadline for a contact that arrived while closed; nil when open.
	ReviewBy *time.Time `json:"reviewBy"`
}

// Decide routes a contact arriving at `at`: open → mash; closed and (immediate harm or Red) → edt-now;
// closed otherwise → ooh-queue. Both closed routes still enter the MASH at the next opening, reviewed by
// the ooh-review deadline.
func Decide(p *policy.Policy, at time.Time, immediateHarm bool, rating domain.Rating) (Decision, error) {
	cal, err := p.Calendar()
	if err != nil {
		return Decision{}, err
	}
	d := Decision{Authority: p.Authority, NextOpening: cal.NextOpening(at).In(cal.Location())}
	if cal.IsOpen(at) {
		d.Open, d.Route = true, domain.RouteMASH
		return d, nil
	}
	d.Route = domain.RouteOOHQueue
	if immediateHarm || rating == domain.RatingRed {
		d.Route = domain.RouteEDTNow
	}
	due, err := p.Due(policy.RuleOOHReview, at)
	if err != nil {
		return Decision{}, err
	}
	due = due.In(cal.Location())
	d.ReviewBy = &due
	return d, nil
}
