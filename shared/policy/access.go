package policy

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/domain"
)

// calendarCache holds the Calendar built once per parsed Policy.
type calendarCache struct {
	once sync.Once
	cal  *clock.Calendar
	err  error
}

// ClockConfig turns the policy's calendar data into the clock package's Config.
func (p *Policy) ClockConfig() (clock.Config, error) {
	loc, err := clock.LoadLocation(p.Timezone)
	if p.Timezone == "" { // LoadLocation("") is UTC; a policy must name its zone
		err = errors.New("no time zone")
	}
	if err != nil {
		return clock.Config{}, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "timezone", Message: "is not an IANA time zone"}}, Err: err}
	}
	cfg := clock.Config{
		Location:       loc,
		BankHolidays:   p.BankHolidays,
		ExtraClosures:  slices.Clone(p.ExtraClosures),
		SchoolClosures: slices.Clone(p.Schools.Closures),
	}
	var probs domain.Problems
	for name, d := range p.OpeningHours.Days {
		wd, ok := weekdayIndex[name]
		if !ok {
			probs.Add("openingHours.days."+name, "is not a weekday")
			continue
		}
		if d.Closed {
			continue
		}
		o, err1 := clock.ParseTimeOfDay(d.Open)
		c, err2 := clock.ParseTimeOfDay(d.Close)
		if err1 != nil || err2 != nil {
			probs.Add("openingHours.days."+name, "has a bad open or close time")
			continue
		}
		cfg.Opening[wd] = &clock.Hours{Open: o, Close: c}
	}
	start, err := clock.ParseTimeOfDay(p.Schools.DayStart)
	if err != nil {
		probs.Add("schools.dayStart", "is not a time of day HH:MM")
	}
	cfg.SchoolDayStart = start
	for _, t := range p.Schools.Terms {
		cfg.Terms = append(cfg.Terms, t.DateRange)
	}
	if err := probs.Err(); err != nil {
		return clock.Config{}, err
	}
	return cfg, nil
}

// Calendar returns the authority's working-day and school-day calendar. It is built on first use and
// then shared: a Policy is read-only once loaded.
func (p *Policy) Calendar() (*clock.Calendar, error) {
	build := func() (*clock.Calendar, error) {
		cfg, err := p.ClockConfig()
		if err != nil {
			return nil, err
		}
		cal, err := clock.New(cfg)
		if err != nil {
			return nil, fmt.Errorf("policy %s: calendar: %w", p.Authority, err)
		}
		return cal, nil
	}
	if p.cal == nil { // a Policy built by hand rather than by Parse: no cache to share
		return build()
	}
	p.cal.once.Do(func() { p.cal.cal, p.cal.err = build() })
	return p.cal.cal, p.cal.err
}

// Deadline returns the rule for a rule id (RuleChecksRed …) and whether the authority has one.
func (p *Policy) Deadline(ruleID string) (clock.Rule, bool) {
	d, ok := p.Deadlines[ruleID]
	return d.Rule, ok
}

// ChecksDeadline returns the partner-checks rule for a rating.
func (p *Policy) ChecksDeadline(r domain.Rating) (clock.Rule, bool) { return p.Deadline(ChecksRule(r)) }

// HasRating reports whether the authority uses the rating (Barnet alone uses blue).
func (p *Policy) HasRating(r domain.Rating) bool { return slices.Contains(p.Ratings, r) }

// OutcomeTerm returns the authority's own words for an outcome code: the first term mapped to it.
func (p *Policy) OutcomeTerm(code domain.OutcomeCode) (string, bool) {
	for _, o := range p.Outcomes {
		if o.Code == code {
			return o.Term, true
		}
	}
	return "", false
}

// OutcomeCode maps one of the authority's terms (case and spacing ignored) onto the product's code.
func (p *Policy) OutcomeCode(term string) (domain.OutcomeCode, bool) {
	key := normTerm(term)
	for _, o := range p.Outcomes {
		if normTerm(o.Term) == key {
			return o.Code, true
		}
	}
	return "", false
}

// Mandatory reports whether partner checks must always include the agency.
func (p *Policy) Mandatory(a domain.Agency) bool { return slices.Contains(p.MandatoryAgencies, a) }

// ConsentRequired reports whether an outcome needs the family's consent (Bexley seed §19: Family
// Wellbeing).
func (p *Policy) ConsentRequired(code domain.OutcomeCode) bool {
	return slices.Contains(p.Consent.RequiredFor, code)
}

// SchoolEmailAllowed reports whether addr is exactly one address (domain.EmailAddress: no list, no line
// break) at one of the allowed school domains (or a subdomain of one), so that Encompass notices go only to
// school mailboxes. "attacker@evil.example, dsl@x.sch.uk" is two addresses and is refused.
func (p *Policy) SchoolEmailAllowed(addr string) bool {
	host, ok := domain.EmailDomain(addr)
	if !ok {
		return false
	}
	for _, d := range p.Schools.AllowedDomains {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}
