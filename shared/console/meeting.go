package console

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/meeting"
)

// The daily MASH meeting's page (/meeting?date=YYYY-MM-DD; today when absent): the agenda GET /v1/meeting and
// `mash meeting` give (shared/meeting), as the meeting reads it — each contact's reference, child, rating,
// status, when it is due and why it is on the agenda, in words. Workers and managers, as the API; every
// contact listed is audited as read ("console meeting agenda DATE") before the page names it.
func init() { pageMains["meeting"] = meetingPage }

type meetingView struct {
	// Held: the policy has a daily meeting (Hackney §6, Bexley §7); Northamptonshire's and Barnet's have none.
	Held bool
	Date string // the date asked for, YYYY-MM-DD
	// At is the meeting's start in words; NoMeeting says why there is none that day (another weekday, a bank
	// holiday), in words.
	At, NoMeeting string
	Days          string // the meeting days and time, in words
	Source        string
	Rows          []meetingRow
}

type meetingRow struct {
	ContactID domain.ContactID
	Reference domain.Reference
	Child     string
	Rating    domain.Rating
	// Status, Due (with the time left) and Why (each reason, "; " between) in words; Overdue: due is past.
	Status, Due, Why string
	Overdue          bool
}

func (s *Server) meetingPage(w http.ResponseWriter, r *http.Request) error {
	p, q := s.Policy, r.URL.Query()
	v := meetingView{Held: len(p.Meeting.Days) > 0, Date: strings.TrimSpace(q.Get("date")),
		Days: meeting.DaysWords(p.Meeting.Days, p.Meeting.At), Source: "(" + p.Cite(p.Meeting.Source) + ")"}
	if v.Source == "()" || p.Meeting.Assumed {
		v.Source = "(The time is the policy's assumption, for the council to confirm.)"
	}
	if v.Date == "" {
		v.Date = s.today()
	}
	status, fields, err := s.agenda(r, &v)
	if err != nil {
		return err
	}
	return s.renderForm(w, r, status, "meeting", "Daily MASH meeting", v, q, fields)
}

// agenda fills the page's agenda for its date (none where the policy has no meeting): the status to answer
// with and a bad date's error, or a failure.
func (s *Server) agenda(r *http.Request, v *meetingView) (int, []domain.FieldError, error) {
	if !v.Held {
		return http.StatusOK, nil, nil
	}
	ag, err := meeting.For(r.Context(), s.Store, s.Policy, v.Date)
	if fields, ok := invalidFields(err); ok {
		return http.StatusBadRequest, fields, nil
	}
	if de := (*domain.Error)(nil); errors.As(err, &de) && de.Code == domain.CodeNotFound {
		v.NoMeeting = de.Message
		return http.StatusNotFound, nil, nil
	}
	if err != nil {
		return 0, nil, err
	}
	v.At = s.when(ag.At)
	ids := make([]domain.ContactID, len(ag.Items))
	for i, it := range ag.Items {
		ids[i] = it.ContactID
	}
	if err := api.AuditReads(r.Context(), s.Store, who(r), ids, "console meeting agenda "+ag.Date); err != nil {
		return 0, nil, err
	}
	now := s.Now()
	for _, it := range ag.Items {
		c, err := s.Store.GetContact(r.Context(), it.ContactID)
		if err != nil {
			return 0, nil, err
		}
		row := meetingRow{ContactID: it.ContactID, Reference: it.Reference, Child: childName(c.Child), Rating: it.Rating,
			Status: statusText(it.Status), Due: "no deadline"}
		if !it.DueAt.IsZero() {
			row.Due, row.Overdue = s.when(it.DueAt)+" ("+timeLeft(it.DueAt, now)+")", !it.DueAt.After(now)
		}
		why := make([]string, len(it.Why))
		for i, y := range it.Why {
			why[i] = y.Words(s.Policy, s.when)
		}
		row.Why = strings.Join(why, "; ")
		v.Rows = append(v.Rows, row)
	}
	return http.StatusOK, nil, nil
}

// today is the date in the authority's time, YYYY-MM-DD.
func (s *Server) today() string {
	loc, err := time.LoadLocation(s.Policy.Timezone)
	if err != nil {
		loc = time.UTC
	}
	return s.Now().In(loc).Format(time.DateOnly)
}

func meetingPage(p *page, v *view) error {
	d, err := data[meetingView](v)
	if err != nil {
		return err
	}
	p.m(`
<h1 class="govuk-heading-l">Daily MASH meeting</h1>
`)
	if !d.Held {
		p.w(`<p class="govuk-body" id="no-meeting">`, v.Authority, `'s policy has no daily MASH meeting.</p>
`)
		return nil
	}
	p.w(`<p class="govuk-body">The meeting sits `, d.Days, `. `, d.Source, `</p>
<p class="govuk-body">On the agenda: Red and Amber contacts waiting on their partner checks or a decision, partner checks overdue by the meeting's start, contacts returned to the referrer for consent, and open items on the service manager's tray — earliest deadline first.</p>
<form method="get" action="/meeting" novalidate>`)
	input(p, v, "date", "Date of the meeting", "For example 2026-11-30 (YYYY-MM-DD)")
	p.m(`
<button class="govuk-button govuk-button--secondary" type="submit" id="meeting-submit">Show the agenda</button>
</form>
`)
	switch {
	case len(v.Errors) > 0:
		return nil
	case d.NoMeeting != "":
		p.w(`<div class="govuk-inset-text" id="no-meeting">`, d.NoMeeting, `</div>
`)
		return nil
	}
	p.w(`<h2 class="govuk-heading-m" id="agenda-heading">`, d.At, `: `, plural(len(d.Rows), "contact"), ` to discuss</h2>`)
	if len(d.Rows) == 0 {
		return nil
	}
	p.m(`
<table class="govuk-table" id="agenda"><caption class="govuk-visually-hidden">Contacts to discuss, earliest deadline first</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Reference</th><th scope="col" class="govuk-table__header">Child</th><th scope="col" class="govuk-table__header">Rating</th><th scope="col" class="govuk-table__header">Status</th><th scope="col" class="govuk-table__header">Due</th><th scope="col" class="govuk-table__header">Why</th></tr></thead>
<tbody class="govuk-table__body">`)
	for _, r := range d.Rows {
		p.w(`
<tr class="govuk-table__row"><td class="govuk-table__cell"><a class="govuk-link" href="/contacts/`, urlPath(string(r.ContactID)), `">`, string(r.Reference), `</a></td><td class="govuk-table__cell">`, r.Child, `</td><td class="govuk-table__cell">`)
		if r.Rating != "" {
			p.w(`<strong class="govuk-tag console-rag-`, string(r.Rating), `">`, string(r.Rating), `</strong>`)
		} else {
			p.m(`not rated`)
		}
		p.w(`</td><td class="govuk-table__cell">`, r.Status, `</td><td class="govuk-table__cell`)
		if r.Overdue {
			p.m(` console-overdue`)
		}
		p.w(`">`, r.Due, `</td><td class="govuk-table__cell">`, r.Why, `</td></tr>`)
	}
	p.m(`
</tbody></table>
`)
	return nil
}

// plural is a count and a noun, the noun plural unless the count is one: "1 contact", "2 contacts".
func plural(n int, noun string) string {
	if n != 1 {
		noun += "s"
	}
	return itoa(n) + " " + noun
}
