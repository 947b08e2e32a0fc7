package email

import (
	"strings"
	"time"
)

// The police incident's own date and time, as a police notification (PPN) forwarded by email says it
// (Portsmouth §4.9 Operation Encompass: the school is told of the incident that happened, not of when the
// email arrived). Only a labelled line counts — "Date/time of incident: 11/11/2026 23:40", "Incident date /
// time | 12/03/2027 00:40", "DATE OF INCIDENT: 03/12/2026 2245hrs", or a date line with its own "Time of
// incident:" line — and the date is read day first as every date here (findDates: 04/13/2026 is no date,
// never 13 April read month first). A date with no time, a time after the email arrived, or none at all is
// not an incident time: the caller falls back to the arrival and records that it did.

var (
	// incidentDateLabelRe: a label naming the incident's date (with or without its time), then a separator.
	incidentDateLabelRe = lazy(`(?i)^\s*(?:[*•\-]\s*)?(?:(?:date\s*(?:/|and|&)?\s*(?:time\s*)?of\s+(?:the\s+)?incident)|(?:incident\s+date(?:\s*(?:/|and|&)\s*time)?)|(?:date\s*/\s*time\s+of\s+(?:the\s+)?incident))\s*(?:[:|\t\-–]\s*)(.+)$`)
	// incidentTimeLabelRe: a label naming the incident's time only.
	incidentTimeLabelRe = lazy(`(?i)^\s*(?:[*•\-]\s*)?(?:time\s+of\s+(?:the\s+)?incident|incident\s+time)\s*(?:[:|\t\-–]\s*)(.+)$`)
	// clockTimeRe: 23:40, 23.40, 2340hrs, 2245 hrs, 11:40pm, 11.40 pm.
	clockTimeRe = lazy(`(?i)\b(\d{1,2})[:.](\d{2})\s*(am|pm)?\b|\b(\d{2})(\d{2})\s*(?:hrs|hours|h)\b`)
)

// IncidentTime reads the police incident's date and time from a notification's text, in loc (the
// authority's zone). received is when the email arrived: the reference for two-digit years, and no incident
// happens after it. ok is false when the text does not say both the date and the time.
func IncidentTime(text string, loc *time.Location, received time.Time) (time.Time, bool) {
	if loc == nil {
		loc = time.UTC
	}
	var dateVal, timeVal string
	for rest := text; rest != ""; {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		line = strings.TrimRight(line, "\r")
		if dateVal == "" {
			if m := incidentDateLabelRe.get().FindStringSubmatch(line); m != nil {
				dateVal = m[1]
				continue
			}
		}
		if timeVal == "" {
			if m := incidentTimeLabelRe.get().FindStringSubmatch(line); m != nil {
				timeVal = m[1]
			}
		}
	}
	if dateVal == "" {
		return time.Time{}, false
	}
	hits := findDates(dateVal, received)
	if len(hits) == 0 {
		return time.Time{}, false
	}
	d := hits[0]
	// The time is on the date's line, after the date, or on a line of its own.
	hh, mm, ok := clockTime(dateVal[d.end:])
	if !ok {
		hh, mm, ok = clockTime(timeVal)
	}
	if !ok {
		return time.Time{}, false
	}
	t := time.Date(d.d.Y, time.Month(d.d.M), d.d.D, hh, mm, 0, 0, loc)
	if !received.IsZero() && t.After(received) {
		return time.Time{}, false // not a time that has happened: never guessed into one
	}
	return t, true
}

// clockTime reads the first time of day in s (24-hour, or 12-hour with am/pm).
func clockTime(s string) (hh, mm int, ok bool) {
	m := clockTimeRe.get().FindStringSubmatch(s)
	if m == nil {
		return 0, 0, false
	}
	if m[1] != "" {
		hh, mm = atoi(m[1]), atoi(m[2])
		switch strings.ToLower(m[3]) {
		case "am":
			if hh < 1 || hh > 12 {
				return 0, 0, false
			}
			if hh == 12 {
				hh = 0
			}
		case "pm":
			if hh < 1 || hh > 12 {
				return 0, 0, false
			}
			if hh != 12 {
				hh += 12
			}
		}
	} else {
		hh, mm = atoi(m[4]), atoi(m[5])
	}
	if hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, 0, false
	}
	return hh, mm, true
}
