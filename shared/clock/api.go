// Package clock is the one place deadlines are computed. Every statutory timescale in the product — partner
// checks, screening, LADO, Operation Encompass, out-of-hours review — is a Rule evaluated by a Calendar that
// knows England & Wales bank holidays (rickar/cal/v2 gb, substitute days included), the authority's opening
// hours, one-off closures and school term dates. Times are stored in UTC and reasoned about in Europe/London.
//
// Now is injected: this package holds the only call to time.Now in the product (System).
package clock

import (
	"fmt"
	"time"
)

// Now returns the current instant. Handlers take a Now; tests pass a fixed or stepping one.
type Now func() time.Time

// System is the real clock. Only wiring code (main packages) should use it.
func System() time.Time { return time.Now() }

// Fixed returns a Now that always answers t.
func Fixed(t time.Time) Now { return func() time.Time { return t } }

// Simulated returns a Now that starts at start and runs speed times as fast as real (from the instant
// Simulated is called): staff rehearse a Friday evening, a tester checks what a contact arriving at 16:59 on
// Christmas Eve is due. speed must be more than 0.
func Simulated(start time.Time, speed float64, real Now) Now {
	origin := real()
	return func() time.Time {
		elapsed := real().Sub(origin)
		return start.Add(time.Duration(float64(elapsed) * speed))
	}
}

// Unit is how a Rule's amount is counted.
type Unit string

const (
	// UnitHours: N clock hours from the start.
	UnitHours Unit = "hours"
	// UnitWorkingHours: N hours counted only inside opening hours.
	UnitWorkingHours Unit = "working-hours"
	// UnitWorkingDays: the same local time of day on the Nth working day after the start; a start outside
	// opening hours first moves to the next opening.
	UnitWorkingDays Unit = "working-days"
	// UnitNextWorkingDayClose: closing time of the first working day after the start's local date.
	UnitNextWorkingDayClose Unit = "next-working-day-close"
	// UnitWorkingDayClose: closing time of the working day the start falls in ("the same day"); a start
	// after the close or on a closed day: the close of the next working day.
	UnitWorkingDayClose Unit = "working-day-close"
	// UnitNextSchoolDayStart: the school-day start time on the first school day after the start's local date.
	UnitNextSchoolDayStart Unit = "next-school-day-start"
)

// Units lists every unit.
var Units = []Unit{UnitHours, UnitWorkingHours, UnitWorkingDays, UnitNextWorkingDayClose, UnitWorkingDayClose, UnitNextSchoolDayStart}

// Valid reports whether u is a known unit.
func (u Unit) Valid() bool {
	for _, v := range Units {
		if v == u {
			return true
		}
	}
	return false
}

// NeedsAmount reports whether the unit takes an amount (the next-… units do not).
func (u Unit) NeedsAmount() bool {
	return u == UnitHours || u == UnitWorkingHours || u == UnitWorkingDays
}

// Rule is one deadline: a unit and an amount (0 for the next-… units).
type Rule struct {
	Unit   Unit `json:"unit" yaml:"unit"`
	Amount int  `json:"amount,omitempty" yaml:"amount,omitempty"`
}

func (r Rule) String() string {
	if r.Unit.NeedsAmount() {
		return fmt.Sprintf("%s %d", r.Unit, r.Amount)
	}
	return string(r.Unit)
}

// Words says the rule as people say a timescale: "within 4 hours", "within 1 working day", "by the start of
// the next school day". An unknown unit reads as its name.
func (r Rule) Words() string {
	plural := func(n int, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %s", n, many)
	}
	switch r.Unit {
	case UnitHours:
		return "within " + plural(r.Amount, "hour", "hours")
	case UnitWorkingHours:
		return "within " + plural(r.Amount, "working hour", "working hours")
	case UnitWorkingDays:
		return "within " + plural(r.Amount, "working day", "working days")
	case UnitNextWorkingDayClose:
		return "by the close of the next working day"
	case UnitWorkingDayClose:
		return "by the close of the working day"
	case UnitNextSchoolDayStart:
		return "by the start of the next school day"
	}
	return r.String()
}

// TimeOfDay is minutes after local midnight, written "HH:MM".
type TimeOfDay int

// ParseTimeOfDay reads "HH:MM" (00:00..24:00).
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	var h, m int
	if n, err := fmt.Sscanf(s, "%d:%d", &h, &m); err != nil || n != 2 || len(s) != 5 || h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("%q is not a time of day HH:MM", s)
	}
	return TimeOfDay(h*60 + m), nil
}

func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", int(t)/60, int(t)%60) }

// MarshalText writes HH:MM.
func (t TimeOfDay) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText reads HH:MM.
func (t *TimeOfDay) UnmarshalText(b []byte) error {
	v, err := ParseTimeOfDay(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// Hours is one day's opening span [Open, Close). A closed day has no Hours.
type Hours struct {
	Open  TimeOfDay `json:"open" yaml:"open"`
	Close TimeOfDay `json:"close" yaml:"close"`
}

// DateRange is an inclusive span of local dates, "YYYY-MM-DD".
type DateRange struct {
	From string `json:"from" yaml:"from"`
	To   string `json:"to" yaml:"to"`
}

// Config is everything a Calendar needs; the policy package builds it from an authority's file.
type Config struct {
	// Location is the zone opening hours and dates are read in (Europe/London for every seed authority).
	Location *time.Location
	// Opening holds each weekday's hours, indexed by time.Weekday; nil means closed all day.
	Opening [7]*Hours
	// BankHolidays selects the statutory holiday list; "england-and-wales" is the only one supported.
	BankHolidays string
	// ExtraClosures are one-off closure dates (YYYY-MM-DD), e.g. an extra bank holiday for a state
	// occasion, treated as non-working days.
	ExtraClosures []string
	// SchoolDayStart is when the school day starts (Operation Encompass: before the start of the next
	// school day).
	SchoolDayStart TimeOfDay
	// Terms are the school term dates. A school day is a working day inside a term. When Terms is empty,
	// every working day is a school day.
	Terms []DateRange
	// SchoolClosures are days inside terms when schools are closed (INSET days), YYYY-MM-DD.
	SchoolClosures []string
}
