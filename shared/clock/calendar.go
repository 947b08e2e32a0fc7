package clock

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rickar/cal/v2/gb"

	"github.com/safeguarding/mash/shared/domain"
)

// BankHolidaysEnglandAndWales is the only supported Config.BankHolidays value ("" means the same).
const BankHolidaysEnglandAndWales = "england-and-wales"

// MaxAmount bounds Rule.Amount. Statutory timescales are hours or days; anything larger is a data error,
// and the bound keeps every Due call fast.
const MaxAmount = 10000

// Days are counted as civil day numbers: days since 1970-01-01 (a Thursday) on the proleptic Gregorian
// calendar. Holidays, closures and terms are precomputed as bitsets over [tableFirstYear, tableEndYear);
// dates outside that span are answered directly (slower, still correct).
const (
	tableFirstYear = 1970
	tableEndYear   = 2200
)

var (
	tableFirst = daysFromCivil(tableFirstYear, 1, 1)
	tableEnd   = daysFromCivil(tableEndYear, 1, 1)
)

// Calendar evaluates Rules for one authority: England & Wales bank holidays, opening hours, one-off closures
// and school terms. It is immutable after New and safe for concurrent use.
type Calendar struct {
	loc            *time.Location
	hours          [7]dayHours
	schoolDayStart TimeOfDay

	// working and school are bitsets over [tableFirst, tableEnd): bit set = working day / school day.
	working []uint64
	school  []uint64

	// Out-of-table answers.
	extra          map[int]bool
	schoolClosures map[int]bool
	terms          []dayRange // sorted by from
	termsFirst     int        // first day covered by Terms
	termsLast      int        // last day covered by Terms
}

type dayHours struct {
	ok          bool
	open, close int // seconds after local midnight
}

type dayRange struct{ from, to int }

// New validates cfg and builds a Calendar. An invalid cfg gives a *domain.Error with code invalid and one
// FieldError per problem, e.g. "opening.monday close before open".
func New(cfg Config) (*Calendar, error) {
	var probs []domain.FieldError
	bad := func(field, format string, args ...any) {
		probs = append(probs, domain.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if cfg.Location == nil {
		bad("location", "is required")
	}
	if cfg.BankHolidays != "" && cfg.BankHolidays != BankHolidaysEnglandAndWales {
		bad("bank_holidays", "must be %q", BankHolidaysEnglandAndWales)
	}
	c := &Calendar{
		loc:            cfg.Location,
		schoolDayStart: cfg.SchoolDayStart,
		extra:          map[int]bool{},
		schoolClosures: map[int]bool{},
	}
	anyHours := false
	for wd, h := range cfg.Opening {
		if h == nil {
			continue
		}
		field := "opening." + strings.ToLower(time.Weekday(wd).String())
		switch {
		case wd == int(time.Saturday) || wd == int(time.Sunday):
			bad(field, "weekends are not working days")
		case !validTOD(h.Open) || !validTOD(h.Close):
			bad(field, "time of day out of range 00:00..24:00")
		case h.Close <= h.Open:
			bad(field, "close before open")
		default:
			anyHours = true
			c.hours[wd] = dayHours{ok: true, open: int(h.Open) * 60, close: int(h.Close) * 60}
		}
	}
	if !anyHours {
		bad("opening", "no weekday has opening hours")
	}
	if !validTOD(cfg.SchoolDayStart) || cfg.SchoolDayStart == 24*60 {
		bad("school_day_start", "time of day out of range 00:00..23:59")
	}
	for i, s := range cfg.ExtraClosures {
		d, ok := parseDay(s)
		if !ok {
			bad(fmt.Sprintf("extra_closures[%d]", i), "is not a date YYYY-MM-DD")
			continue
		}
		c.extra[d] = true
	}
	for i, s := range cfg.SchoolClosures {
		d, ok := parseDay(s)
		if !ok {
			bad(fmt.Sprintf("school_closures[%d]", i), "is not a date YYYY-MM-DD")
			continue
		}
		c.schoolClosures[d] = true
	}
	for i, r := range cfg.Terms {
		from, okf := parseDay(r.From)
		to, okt := parseDay(r.To)
		if !okf {
			bad(fmt.Sprintf("terms[%d].from", i), "is not a date YYYY-MM-DD")
		}
		if !okt {
			bad(fmt.Sprintf("terms[%d].to", i), "is not a date YYYY-MM-DD")
		}
		if okf && okt {
			if to < from {
				bad(fmt.Sprintf("terms[%d]", i), "to before from")
				continue
			}
			c.terms = append(c.terms, dayRange{from, to})
		}
	}
	if len(probs) > 0 {
		return nil, &domain.Error{Code: domain.CodeInvalid, Message: "calendar config", Fields: probs}
	}
	sort.Slice(c.terms, func(i, j int) bool { return c.terms[i].from < c.terms[j].from })
	if len(c.terms) > 0 {
		c.termsFirst, c.termsLast = c.terms[0].from, c.terms[0].to
		for _, r := range c.terms {
			c.termsLast = max(c.termsLast, r.to)
		}
	}

	hol := bankHolidayTable()
	n := tableEnd - tableFirst
	c.working = make([]uint64, len(hol))
	for i := range n {
		if !weekend(tableFirst + i) {
			c.working[i/64] |= 1 << (i % 64)
		}
	}
	for i := range c.working {
		c.working[i] &^= hol[i]
	}
	for d := range c.extra {
		clearBit(c.working, d)
	}
	c.school = append([]uint64(nil), c.working...)
	if len(c.terms) > 0 {
		for d := max(c.termsFirst, tableFirst); d <= min(c.termsLast, tableEnd-1); d++ {
			if !c.schoolRule(d) {
				clearBit(c.school, d)
			}
		}
	}
	for d := range c.schoolClosures {
		clearBit(c.school, d)
	}
	return c, nil
}

func validTOD(t TimeOfDay) bool { return t >= 0 && t <= 24*60 }

func parseDay(s string) (int, bool) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, false
	}
	y, m, d := t.Date()
	return daysFromCivil(y, m, d), true
}

// Location is the zone the calendar reads dates and opening hours in.
func (c *Calendar) Location() *time.Location { return c.loc }

// Due is the deadline for r started at start (see the Unit constants for the exact meaning of each unit).
// It is never before start. It fails for an unknown unit, a negative amount, an amount above MaxAmount, or
// an amount on a unit that takes none.
func (c *Calendar) Due(r Rule, start time.Time) (time.Time, error) {
	if !r.Unit.Valid() {
		return time.Time{}, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "unit", Message: fmt.Sprintf("unknown unit %q", r.Unit)}}}
	}
	switch {
	case r.Amount < 0:
		return time.Time{}, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "amount", Message: "must not be negative"}}}
	case r.Amount > MaxAmount:
		return time.Time{}, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "amount", Message: fmt.Sprintf("must be at most %d", MaxAmount)}}}
	case !r.Unit.NeedsAmount() && r.Amount != 0:
		return time.Time{}, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "amount", Message: fmt.Sprintf("%s takes no amount", r.Unit)}}}
	}
	switch r.Unit {
	case UnitHours:
		return start.Add(time.Duration(r.Amount) * time.Hour), nil
	case UnitWorkingHours:
		return c.addWorkingHours(start, time.Duration(r.Amount)*time.Hour), nil
	case UnitWorkingDays:
		return c.addWorkingDays(start, r.Amount), nil
	case UnitNextWorkingDayClose:
		d := c.localDay(start) + 1
		for !c.isWorkingDay(d) || !c.hours[weekday(d)].ok {
			d++
		}
		return c.instant(d, c.hours[weekday(d)].close, 0), nil
	case UnitWorkingDayClose:
		// The close of the working day the start falls in; started after the close (or on a closed day):
		// the close of the next working day.
		d := c.localDay(start)
		_, sec, _ := c.localDaySec(start)
		for !c.isWorkingDay(d) || !c.hours[weekday(d)].ok || (d == c.localDay(start) && sec >= c.hours[weekday(d)].close) {
			d++
		}
		return c.instant(d, c.hours[weekday(d)].close, 0), nil
	default: // UnitNextSchoolDayStart
		d := c.localDay(start) + 1
		for !c.isSchoolDay(d) {
			d++
		}
		return c.instant(d, int(c.schoolDayStart)*60, 0), nil
	}
}

func (c *Calendar) addWorkingHours(start time.Time, rem time.Duration) time.Time {
	cur := c.NextOpening(start)
	for {
		d, _, _ := c.localDaySec(cur)
		closing := c.instant(d, c.hours[weekday(d)].close, 0)
		avail := closing.Sub(cur)
		if rem <= avail {
			return cur.Add(rem)
		}
		rem -= avail
		cur = c.NextOpening(closing)
	}
}

func (c *Calendar) addWorkingDays(start time.Time, n int) time.Time {
	s := c.NextOpening(start)
	d, sec, nsec := c.localDaySec(s)
	for ; n > 0; n-- {
		d++
		for !c.isWorkingDay(d) {
			d++
		}
	}
	return c.instant(d, sec, nsec)
}

// IsWorkingDay reports whether t's local date is a working day: Monday to Friday, not an England & Wales
// bank holiday (substitute days included) and not an ExtraClosure.
func (c *Calendar) IsWorkingDay(t time.Time) bool { return c.isWorkingDay(c.localDay(t)) }

// IsSchoolDay reports whether t's local date is a school day: a working day inside a term that is not a
// SchoolClosure. With no Terms, or on a date outside the span the Terms cover (stale term data), every
// working day that is not a SchoolClosure is a school day — the earlier, safer deadline.
func (c *Calendar) IsSchoolDay(t time.Time) bool { return c.isSchoolDay(c.localDay(t)) }

// IsOpen reports whether t is a working day and its local time is inside that weekday's [Open, Close).
func (c *Calendar) IsOpen(t time.Time) bool {
	d, sec, _ := c.localDaySec(t)
	h := c.hours[weekday(d)]
	return h.ok && c.isWorkingDay(d) && sec >= h.open && sec < h.close
}

// NextOpening is t itself when the MASH is open at t, else the next instant it opens.
func (c *Calendar) NextOpening(t time.Time) time.Time {
	d, sec, _ := c.localDaySec(t)
	if h := c.hours[weekday(d)]; h.ok && c.isWorkingDay(d) && sec < h.close {
		if sec >= h.open {
			return t
		}
		return c.instant(d, h.open, 0)
	}
	for d++; !c.hours[weekday(d)].ok || !c.isWorkingDay(d); d++ {
	}
	return c.instant(d, c.hours[weekday(d)].open, 0)
}

// CloseOf is the closing instant of t's local day, and true, when that day is a working day with hours.
func (c *Calendar) CloseOf(t time.Time) (time.Time, bool) {
	d := c.localDay(t)
	h := c.hours[weekday(d)]
	if !h.ok || !c.isWorkingDay(d) {
		return time.Time{}, false
	}
	return c.instant(d, h.close, 0), true
}

func (c *Calendar) isWorkingDay(d int) bool {
	if d >= tableFirst && d < tableEnd {
		return bitAt(c.working, d-tableFirst)
	}
	return !weekend(d) && !isBankHolidaySlow(d) && !c.extra[d]
}

func (c *Calendar) isSchoolDay(d int) bool {
	if d >= tableFirst && d < tableEnd {
		return bitAt(c.school, d-tableFirst)
	}
	return c.isWorkingDay(d) && c.schoolRule(d)
}

// schoolRule is the term/closure part of the school-day test (the caller checks the working day).
func (c *Calendar) schoolRule(d int) bool {
	if c.schoolClosures[d] {
		return false
	}
	if len(c.terms) == 0 || d < c.termsFirst || d > c.termsLast {
		return true
	}
	for _, r := range c.terms {
		if r.from > d {
			break
		}
		if d <= r.to {
			return true
		}
	}
	return false
}

// localDay is t's local civil day number.
func (c *Calendar) localDay(t time.Time) int {
	y, m, d := t.In(c.loc).Date()
	return daysFromCivil(y, m, d)
}

// localDaySec is t's local civil day number, wall-clock seconds after midnight and nanoseconds.
func (c *Calendar) localDaySec(t time.Time) (day, sec, nsec int) {
	lt := t.In(c.loc)
	y, m, d := lt.Date()
	hh, mm, ss := lt.Clock()
	return daysFromCivil(y, m, d), hh*3600 + mm*60 + ss, lt.Nanosecond()
}

// instant is the local wall time sec (+nsec) after midnight of day d. A wall time that does not exist
// (skipped by a daylight-saving change) gives the first instant after the gap.
func (c *Calendar) instant(d, sec, nsec int) time.Time {
	y, m, dd := civilFromDays(d)
	t := time.Date(y, m, dd, 0, 0, sec, nsec, c.loc)
	lt := t.In(c.loc)
	ly, lm, ld := lt.Date()
	lh, lmin, ls := lt.Clock()
	got := time.Date(ly, lm, ld, lh, lmin, ls, lt.Nanosecond(), time.UTC)
	want := time.Date(y, m, dd, 0, 0, sec, nsec, time.UTC)
	if got.Equal(want) {
		return t
	}
	// In a gap: Go picked an instant on one side of the transition; the transition itself is the answer.
	start, end := lt.ZoneBounds()
	if got.After(want) {
		return start
	}
	return end
}

func bitAt(b []uint64, i int) bool { return b[i/64]&(1<<(i%64)) != 0 }

// clearBit clears civil day d's bit in a table, if d is inside it.
func clearBit(b []uint64, d int) {
	if i := d - tableFirst; i >= 0 && i < tableEnd-tableFirst {
		b[i/64] &^= 1 << (i % 64)
	}
}

// weekday of civil day d (day 0, 1970-01-01, was a Thursday).
func weekday(d int) time.Weekday {
	w := (d + 4) % 7
	if w < 0 {
		w += 7
	}
	return time.Weekday(w)
}

func weekend(d int) bool {
	w := weekday(d)
	return w == time.Saturday || w == time.Sunday
}

// daysFromCivil and civilFromDays are Howard Hinnant's proleptic Gregorian day-number algorithms.
func daysFromCivil(y int, m time.Month, d int) int {
	if m <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400
	mp := (int(m) + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func civilFromDays(z int) (int, time.Month, int) {
	z += 719468
	era := z
	if era < 0 {
		era -= 146096
	}
	era /= 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, time.Month(m), d
}

var (
	holidayOnce  sync.Once
	holidayTable []uint64
)

// bankHolidayTable is the England & Wales bank holidays (observed dates, so substitute days) over
// [tableFirst, tableEnd), computed once from rickar/cal's gb list and shared by every Calendar.
func bankHolidayTable() []uint64 {
	holidayOnce.Do(func() {
		n := tableEnd - tableFirst
		holidayTable = make([]uint64, (n+63)/64)
		for y := tableFirstYear - 1; y <= tableEndYear; y++ {
			for _, d := range bankHolidays(y) {
				if i := d - tableFirst; i >= 0 && i < n {
					holidayTable[i/64] |= 1 << (i % 64)
				}
			}
		}
	})
	return holidayTable
}

// bankHolidays lists the observed England & Wales bank holidays of year y as civil day numbers.
func bankHolidays(y int) []int {
	var out []int
	for _, h := range gb.Holidays {
		_, obs := h.Calc(y)
		if obs.IsZero() {
			continue
		}
		oy, om, od := obs.Date()
		out = append(out, daysFromCivil(oy, om, od))
	}
	return out
}

// isBankHolidaySlow answers outside the precomputed table (a substitute day can spill into the next year).
func isBankHolidaySlow(d int) bool {
	y, _, _ := civilFromDays(d)
	for _, yy := range []int{y - 1, y} {
		for _, h := range bankHolidays(yy) {
			if h == d {
				return true
			}
		}
	}
	return false
}
