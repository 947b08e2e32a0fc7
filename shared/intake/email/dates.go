package email

import (
	"strconv"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/domain"
)

// UK dates, day first, in the forms referrers write them: 1.3.2018, 01/03/18, 1-3-2018, 2018-03-01,
// 7 March 2013, 7 Mar '13, 7th Mar 2013, 7-Mar-2013, March 7th 2013. A numeric date is never read month first: 12/04/2016
// is 12 April, and 04/13/2016 is no date at all. A two-digit year is the most recent past year that makes a
// child under 18 on the reference day (the day the email was received); if neither century does, no date.

var (
	numDateRe  = lazy(`\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})\b`)
	isoDateRe  = lazy(`\b(\d{4})-(\d{2})-(\d{2})\b`)
	wordDateRe = lazy(`(?i)\b(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?[\s\-]+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?[\s\-]+['’]?(\d{4}|\d{2})\b`)
	monthFirst = lazy(`(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`)
)

var months = map[string]int{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}

// monthWords are the months' first three letters, as wordDateRe and monthFirst read them.
var monthWords = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// digitSepDigit reports whether s holds a digit, a '/', '.' or '-', and a digit together, as every numeric
// date does.
func digitSepDigit(s string) bool {
	for i := 1; i+1 < len(s); i++ {
		if c := s[i]; (c == '/' || c == '.' || c == '-') && s[i-1] >= '0' && s[i-1] <= '9' && s[i+1] >= '0' && s[i+1] <= '9' {
			return true
		}
	}
	return false
}

// digitRun is the length of the longest run of ASCII digits in s (what \d matches).
func digitRun(s string) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}

// dateHit is one date found in a text: its place and its value.
type dateHit struct {
	start, end int
	d          domain.Date
}

// findDates returns the dates of s in order. ref is the reference day for two-digit years (zero: such
// dates are skipped).
func findDates(s string, ref time.Time) []dateHit {
	if !mayHoldDate(s) {
		return nil
	}
	var hits []dateHit
	add := func(start, end, y, m, d int) {
		if dd, ok := validDate(y, m, d); ok {
			for _, h := range hits {
				if start < h.end && end > h.start {
					return // overlaps one found already
				}
			}
			hits = append(hits, dateHit{start, end, dd})
		}
	}
	// Each expression runs only where it can match: the numeric ones need a digit, a separator and a digit
	// together, the worded ones a month's name; every one a year of two digits at least, the ISO and the
	// month-first ones of four.
	run := digitRun(s)
	if run >= 2 && digitSepDigit(s) {
		if run >= 4 {
			for _, m := range isoDateRe.FindAllStringSubmatchIndex(s, -1) {
				add(m[0], m[1], atoi(s[m[2]:m[3]]), atoi(s[m[4]:m[5]]), atoi(s[m[6]:m[7]]))
			}
		}
		for _, m := range numDateRe.FindAllStringSubmatchIndex(s, -1) {
			y := yearOf(s[m[6]:m[7]], atoi(s[m[4]:m[5]]), atoi(s[m[2]:m[3]]), ref)
			add(m[0], m[1], y, atoi(s[m[4]:m[5]]), atoi(s[m[2]:m[3]]))
		}
	}
	if run >= 2 && mayHoldWord(s, monthWords...) {
		for _, m := range wordDateRe.FindAllStringSubmatchIndex(s, -1) {
			mo := months[strings.ToLower(s[m[4]:m[4]+3])]
			add(m[0], m[1], yearOf(s[m[6]:m[7]], mo, atoi(s[m[2]:m[3]]), ref), mo, atoi(s[m[2]:m[3]]))
		}
		if run >= 4 {
			for _, m := range monthFirst.FindAllStringSubmatchIndex(s, -1) {
				mo := months[strings.ToLower(s[m[2]:m[2]+3])]
				add(m[0], m[1], atoi(s[m[6]:m[7]]), mo, atoi(s[m[4]:m[5]]))
			}
		}
	}
	// in order of place
	for i := 1; i < len(hits); i++ {
		for j := i; j > 0 && hits[j].start < hits[j-1].start; j-- {
			hits[j], hits[j-1] = hits[j-1], hits[j]
		}
	}
	return hits
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

// yearOf reads a year: four digits as written; two digits as the latest of 20yy and 19yy that is on or
// before ref and less than 18 years before it (-1 when neither, or when there is no ref).
func yearOf(y string, m, d int, ref time.Time) int {
	if len(y) == 4 {
		return atoi(y)
	}
	if ref.IsZero() {
		return -1
	}
	yy := atoi(y)
	for _, c := range []int{2000 + yy, 1900 + yy} {
		dd, ok := validDate(c, m, d)
		if !ok {
			return -1
		}
		t := dd.Time(time.UTC)
		if t.After(ref) {
			continue
		}
		if t.AddDate(18, 0, 0).After(ref) {
			return c
		}
		return -1
	}
	return -1
}

func validDate(y, m, d int) (domain.Date, bool) {
	if y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
		return domain.Date{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return domain.Date{}, false // 31/02
	}
	return domain.Date{Y: y, M: m, D: d}, true
}

// childDOB is the first date in v that can be a child's date of birth on ref: not after ref, and less than
// 18 years before it. ref zero: any date.
func childDOB(v string, ref time.Time) (domain.Date, bool) {
	for _, h := range findDates(v, ref) {
		if plausibleDOB(h.d, ref) {
			return h.d, true
		}
	}
	return domain.Date{}, false
}

func plausibleDOB(d domain.Date, ref time.Time) bool {
	if ref.IsZero() {
		return true
	}
	t := d.Time(time.UTC)
	return !t.After(ref) && t.AddDate(18, 0, 0).After(ref)
}

// mayHoldDate is a cheap test before the expressions: a digit, then either digits joined by / . - or a
// month's name.
func mayHoldDate(s string) bool {
	digit := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			digit = true
			continue
		}
		if (c == '/' || c == '.' || c == '-') && i > 0 && i+1 < len(s) && s[i-1] >= '0' && s[i-1] <= '9' && s[i+1] >= '0' && s[i+1] <= '9' {
			return true
		}
	}
	if !digit {
		return false
	}
	l := strings.ToLower(s)
	for m := range months {
		if strings.Contains(l, m) {
			return true
		}
	}
	return false
}

// dueDate reads an expected date of delivery written with a two-digit year ("EDD: 29/05/27"), which findDates
// reads only as a past date: the first day-first date of v that falls after ref and within ten months of it.
func dueDate(v string, ref time.Time) (domain.Date, bool) {
	if ref.IsZero() || !mayHoldDate(v) {
		return domain.Date{}, false
	}
	for _, m := range numDateRe.FindAllStringSubmatchIndex(v, -1) {
		y := v[m[6]:m[7]]
		if len(y) != 2 {
			continue
		}
		d, ok := validDate(2000+atoi(y), atoi(v[m[4]:m[5]]), atoi(v[m[2]:m[3]]))
		if t := d.Time(time.UTC); ok && t.After(ref) && t.Before(ref.AddDate(0, 10, 0)) {
			return d, true
		}
	}
	return domain.Date{}, false
}
