package email

import (
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/clock"
)

// Portsmouth §4.9 (Operation Encompass): the school is told of the police incident that happened. A PPN
// forwarded by email gives the incident's own date and time where its text says them, read day first in
// the authority's zone; where it does not (or says something that cannot be the incident's), no time is
// read and the caller falls back to the arrival.
func TestPortsmouth_4_9_Encompass_IncidentTimeFromNotice(t *testing.T) {
	london, err := clock.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	arrived := time.Date(2026, 11, 30, 9, 10, 0, 0, time.UTC)
	at := func(y, m, d, hh, mm int) time.Time { return time.Date(y, time.Month(m), d, hh, mm, 0, 0, london) }
	for _, tc := range []struct {
		name string
		text string
		want time.Time // zero: not read, the arrival stands
	}{
		{"date/time label, colon", "Occurrence: 44260917\nDate/time of incident: 11/11/2026 23:40\nLocation: 9 Tangier Road", at(2026, 11, 11, 23, 40)},
		{"table cell with pipes", "PPN type | CHILD CONCERN\nIncident date / time | 12/11/2026 00:40\n", at(2026, 11, 12, 0, 40)},
		{"upper case, hrs", "DATE OF INCIDENT: 03/11/2026 2245hrs\nLOCATION: 58 Barnehurst Avenue", at(2026, 11, 3, 22, 45)},
		{"date and time on separate lines", "Date of incident: 28/11/2026\nTime of incident: 03:47\n", at(2026, 11, 28, 3, 47)},
		{"day first, never month first: 04/11 is 4 November", "Incident date/time: 04/11/2026 21:40", at(2026, 11, 4, 21, 40)},
		{"date in words, 12-hour time", "Date of incident: 7th November 2026 at 11.40pm", at(2026, 11, 7, 23, 40)},
		{"summer time: the local clock, not UTC", "Date/time of incident: 14/07/2026 23:40", at(2026, 7, 14, 23, 40)},
		{"a US date is no date (11/13)", "Date/time of incident: 11/13/2026 23:40", time.Time{}},
		{"a date with no time is not read", "Date of incident: 26/11/2026", time.Time{}},
		{"after the email arrived: not the incident", "Date/time of incident: 01/12/2026 23:40", time.Time{}},
		{"no incident label: a date elsewhere is not the incident's", "Referral date: 11/11/2026 23:40\nThe police attended.", time.Time{}},
		{"nothing said", "The police attended a domestic incident at the address.", time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := IncidentTime(tc.text, london, arrived)
			if ok != !tc.want.IsZero() || !got.Equal(tc.want) {
				t.Errorf("IncidentTime = %v, %v; want %v", got, ok, tc.want)
			}
		})
	}
}

// The same rule through Parse: a PPN forwarded by email carries the incident's time; an email that is no PPN
// carries none, whatever dates it holds.
func TestPortsmouth_4_9_Encompass_ParsedPPNCarriesIncidentTime(t *testing.T) {
	london, err := clock.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	arrived := time.Date(2026, 11, 30, 9, 10, 0, 0, time.UTC)
	mail := func(subject, body string) []byte {
		return []byte(strings.ReplaceAll("From: DA Coordinator <da.coordinator@portsmouthcc.gov.uk>\nTo: mash@portsmouthcc.gov.uk\n"+
			"Subject: "+subject+"\nDate: Mon, 30 Nov 2026 09:09:00 +0000\nMessage-ID: <ppn-incident-1@example.test>\n"+
			"Content-Type: text/plain; charset=utf-8\n\n"+body, "\n", "\r\n"))
	}
	body := "\n\nOccurrence: 44260917\nDate/time of incident: 11/11/2026 23:40\n" +
		"Location: 9 Tangier Road, Baffins, Portsmouth\nChild present: Tyler SHARPE, DOB 04/05/2016, Tangier Primary School\n"
	for _, tc := range []struct {
		name, intro string
		want        time.Time
	}{
		{"a PPN", "Please see the PPN below.", time.Date(2026, 11, 11, 23, 40, 0, 0, london)},
		{"no PPN", "Please see the note below.", time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Parse(mail("FW: Tyler", tc.intro+body), Options{Received: arrived, Location: london})
			if err != nil {
				t.Fatal(err)
			}
			if !m.IncidentAt.Equal(tc.want) {
				t.Errorf("IncidentAt = %v; want %v (flags %+v)", m.IncidentAt, tc.want, m.Flags)
			}
		})
	}
}
