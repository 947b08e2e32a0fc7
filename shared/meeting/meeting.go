// Package meeting is the daily MASH meeting: when it sits (the policy's meeting: Hackney §6 every weekday
// morning, Bexley §7 Tuesday to Friday at 11:00) and its agenda for a date — the contacts due for discussion
// (Red or Amber awaiting their partner checks or a decision, partner checks overdue by the meeting, contacts returned to the referrer
// for consent, open escalations on the service manager's tray), ordered by deadline.
//
// A date is a meeting date when its weekday is one of the policy's meeting days and the MASH works that day
// (a bank holiday or an extra closure of the authority's calendar has no meeting: the MASH is closed). The
// agenda reads what the store holds now; "overdue" is judged at the meeting's start.
package meeting

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
)

// Reason is why a contact is on the agenda.
type Reason string

const (
	// ReasonAwaitingDecision: rated Red or Amber, every partner check answered (or closed), the decision open.
	ReasonAwaitingDecision Reason = "red-amber-awaiting-decision"
	// ReasonAwaitingChecks: rated Red or Amber, a partner check still unanswered (Why.Checks says how many of
	// how many are answered and which is due next); the decision waits on them.
	ReasonAwaitingChecks Reason = "red-amber-awaiting-checks"
	// ReasonOverdueCheck: a partner check unanswered past its deadline at the meeting's start.
	ReasonOverdueCheck Reason = "overdue-check"
	// ReasonReturnedConsent: returned to the referrer to seek consent, not yet back.
	ReasonReturnedConsent Reason = "returned-consent"
	// ReasonOpenEscalation: an open item on the service manager's tray (an escalated decision, S47, raised risk).
	ReasonOpenEscalation Reason = "open-escalation"
)

// Reasons lists every reason, in the order the agenda describes them.
var Reasons = []Reason{ReasonAwaitingDecision, ReasonAwaitingChecks, ReasonOverdueCheck, ReasonReturnedConsent, ReasonOpenEscalation}

// Why is one reason a contact is on the agenda, with the deadline behind it (none for a contact returned
// for consent: the referrer's answer has no deadline).
type Why struct {
	Reason Reason        `json:"reason"`
	Rule   string        `json:"rule,omitempty"`
	DueAt  time.Time     `json:"dueAt,omitzero"`
	Agency domain.Agency `json:"agency,omitempty"` // an overdue check's agency
	// Checks is what a contact awaiting its partner checks waits for (ReasonAwaitingChecks).
	Checks *Checks `json:"checks,omitempty"`
}

// Checks counts a contact's partner checks for the meeting: how many were asked, answered and closed
// unanswered by a manager, and the open check due next (its agency and deadline).
type Checks struct {
	Asked      int           `json:"asked"`
	Answered   int           `json:"answered"`
	Closed     int           `json:"closed,omitempty"`
	NextAgency domain.Agency `json:"nextAgency,omitempty"`
	NextDueAt  time.Time     `json:"nextDueAt,omitzero"`
}

// Open is how many checks still wait for their agency.
func (c Checks) Open() int { return c.Asked - c.Answered - c.Closed }

// CountChecks counts a contact's check requests (the earliest-due open one is next).
func CountChecks(reqs []store.CheckRequest) Checks {
	var n Checks
	for _, r := range reqs {
		n.Asked++
		switch {
		case r.Answer != nil:
			n.Answered++
		case r.Closed != nil:
			n.Closed++
		case n.NextDueAt.IsZero() || r.DueAt.Before(n.NextDueAt):
			n.NextAgency, n.NextDueAt = r.Agency, r.DueAt
		}
	}
	return n
}

// Item is one contact on the agenda: ids and routing facts only (the meeting opens the contact for the rest).
type Item struct {
	ContactID domain.ContactID `json:"contactId"`
	Reference domain.Reference `json:"reference,omitempty"`
	Status    domain.Status    `json:"status"`
	Rating    domain.Rating    `json:"rating,omitempty"`
	// DueAt is the earliest deadline among Why (zero: none).
	DueAt time.Time `json:"dueAt,omitzero"`
	Why   []Why     `json:"why"`
}

// Agenda is a meeting's date, time and items, earliest deadline first (items without one last).
type Agenda struct {
	Authority domain.AuthorityID `json:"authority"`
	Date      string             `json:"date"` // YYYY-MM-DD
	At        time.Time          `json:"at"`   // the meeting's start
	Time      string             `json:"time"` // HH:MM, Europe/London
	Days      []string           `json:"days"` // the policy's meeting days
	Source    policy.Source      `json:"source"`
	Items     []Item             `json:"items"`
}

// Start returns the meeting's start on date (YYYY-MM-DD) by the policy. A date that is not one is a bad
// date (invalid, naming "date"); a day with no meeting is not found, naming the meeting days.
func Start(p *policy.Policy, date string) (time.Time, error) {
	cal, err := p.Calendar()
	if err != nil {
		return time.Time{}, err
	}
	d, err := time.ParseInLocation(time.DateOnly, date, cal.Location())
	if err != nil {
		return time.Time{}, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "date",
			Message: fmt.Sprintf("%q is not a date: write it as YYYY-MM-DD, for example 2027-03-09", date)}}}
	}
	m := p.Meeting
	if len(m.Days) == 0 {
		return time.Time{}, domain.Errorf(domain.CodeNotFound, "%s has no daily MASH meeting: its policy names no meeting days", p.Name)
	}
	day := strings.ToLower(d.Format("Monday"))
	if !slices.Contains(m.Days, day) {
		return time.Time{}, domain.Errorf(domain.CodeNotFound, "no meeting on %s (a %s): %s's daily MASH meeting is on %s",
			date, d.Format("Monday"), p.Name, DaysWords(m.Days, m.At))
	}
	if !cal.IsWorkingDay(d.Add(12 * time.Hour)) {
		return time.Time{}, domain.Errorf(domain.CodeNotFound, "no meeting on %s: the MASH is closed (a bank holiday or closure); the meeting is on %s",
			date, DaysWords(m.Days, m.At))
	}
	var hh, mm int
	if _, err := fmt.Sscanf(m.At, "%d:%d", &hh, &mm); err != nil {
		return time.Time{}, domain.Errorf(domain.CodeInternal, "policy %s: meeting.at %q", p.Authority, m.At)
	}
	return time.Date(d.Year(), d.Month(), d.Day(), hh, mm, 0, 0, cal.Location()), nil
}

// Store is what the agenda reads.
type Store interface {
	ListContacts(ctx context.Context, authority domain.AuthorityID, status domain.Status) ([]*domain.Contact, error)
	GetContact(ctx context.Context, id domain.ContactID) (*domain.Contact, error)
	DueItems(ctx context.Context, tray string, before time.Time, limit int) ([]store.TrayItem, error)
	GetCheck(ctx context.Context, contact domain.ContactID, checkID string) (store.CheckRequest, error)
	ListChecks(ctx context.Context, contact domain.ContactID) ([]store.CheckRequest, error)
}

// For builds the agenda of the meeting on date.
func For(ctx context.Context, st Store, p *policy.Policy, date string) (Agenda, error) {
	at, err := Start(p, date)
	if err != nil {
		return Agenda{}, err
	}
	a := Agenda{Authority: p.Authority, Date: date, At: at.UTC(), Time: p.Meeting.At, Days: p.Meeting.Days,
		Source: p.Meeting.Source, Items: []Item{}}
	byID := map[domain.ContactID]*Item{}
	var order []domain.ContactID
	add := func(c *domain.Contact, w Why) {
		it, ok := byID[c.ID]
		if !ok {
			it = &Item{ContactID: c.ID, Reference: c.Reference, Status: c.Status}
			if c.Rating != nil {
				it.Rating = c.Rating.Value
			}
			byID[c.ID] = it
			order = append(order, c.ID)
		}
		it.Why = append(it.Why, w)
		if !w.DueAt.IsZero() && (it.DueAt.IsZero() || w.DueAt.Before(it.DueAt)) {
			it.DueAt = w.DueAt
		}
	}
	// Red and Amber awaiting a decision: due by the decision's deadline.
	for _, s := range []domain.Status{domain.StatusChecks, domain.StatusAwaitingDecision} {
		cs, err := st.ListContacts(ctx, p.Authority, s)
		if err != nil {
			return Agenda{}, err
		}
		for _, c := range cs {
			if c.Rating == nil || (c.Rating.Value != domain.RatingRed && c.Rating.Value != domain.RatingAmber) {
				continue
			}
			due := lifecycle.PlanOf(c, nil).DecisionDue
			// the rule the decision is due by (the later of the checks window and a screening deadline), named as
			// the decision's tray item names it, so that the agenda's rule and its due time agree
			w := Why{Reason: ReasonAwaitingDecision, Rule: lifecycle.DecisionRule(c, due), DueAt: due}
			// waiting on its partner checks: say so, and how far they are (a decision cannot be read as pending
			// on the manager while agencies have not answered)
			reqs, err := st.ListChecks(ctx, c.ID)
			if err != nil {
				return Agenda{}, err
			}
			if n := CountChecks(reqs); n.Open() > 0 {
				w.Reason, w.Checks = ReasonAwaitingChecks, &n
			}
			add(c, w)
		}
	}
	// Partner checks overdue at the meeting's start: their items still open on the checks tray (answered or
	// closed checks leave it).
	checks, err := st.DueItems(ctx, string(domain.TrayChecks), at, 0)
	if err != nil {
		return Agenda{}, err
	}
	contacts := map[domain.ContactID]*domain.Contact{}
	get := func(id domain.ContactID) (*domain.Contact, error) {
		if c, ok := contacts[id]; ok {
			return c, nil
		}
		c, err := st.GetContact(ctx, id)
		if err == nil {
			contacts[id] = c
		}
		return c, err
	}
	for _, it := range checks {
		if it.Authority != p.Authority || it.ContactID == "" {
			continue
		}
		c, err := get(it.ContactID)
		if err != nil {
			return Agenda{}, err
		}
		w := Why{Reason: ReasonOverdueCheck, Rule: it.Rule, DueAt: it.DueAt}
		if _, checkID, ok := strings.Cut(it.ID, "#"+string(domain.TrayChecks)+"#"); ok {
			if req, err := st.GetCheck(ctx, it.ContactID, checkID); err == nil {
				w.Agency = req.Agency
			}
		}
		add(c, w)
	}
	// Returned for consent: no deadline; the meeting sees whether the referrer came back.
	returned, err := st.ListContacts(ctx, p.Authority, domain.StatusReturnedForConsent)
	if err != nil {
		return Agenda{}, err
	}
	for _, c := range returned {
		add(c, Why{Reason: ReasonReturnedConsent})
	}
	// Open escalations: every open item of the service manager's tray.
	escalations, err := st.DueItems(ctx, string(domain.TrayServiceManager), at.AddDate(10, 0, 0), 0)
	if err != nil {
		return Agenda{}, err
	}
	for _, it := range escalations {
		if it.Authority != p.Authority || it.ContactID == "" {
			continue
		}
		c, err := get(it.ContactID)
		if err != nil {
			return Agenda{}, err
		}
		add(c, Why{Reason: ReasonOpenEscalation, Rule: it.Rule, DueAt: it.DueAt})
	}
	for _, id := range order {
		a.Items = append(a.Items, *byID[id])
	}
	// sort, not slices: a generic stable sort of Item is ≈ 5 KB of code in each API binary (issue #19).
	sort.SliceStable(a.Items, func(i, j int) bool {
		x, y := a.Items[i], a.Items[j]
		switch {
		case x.DueAt.IsZero() != y.DueAt.IsZero():
			return !x.DueAt.IsZero()
		case !x.DueAt.Equal(y.DueAt):
			return x.DueAt.Before(y.DueAt)
		}
		return x.Reference < y.Reference
	})
	return a, nil
}

// Words says in words why a contact is on the agenda, as the meeting reads it (`mash meeting`, the console's
// meeting page): local formats an instant in the authority's time.
func (w Why) Words(p *policy.Policy, local func(time.Time) string) string {
	switch w.Reason {
	case ReasonAwaitingDecision:
		return "Red or Amber, awaiting a decision"
	case ReasonAwaitingChecks:
		s := "Red or Amber, waiting on partner checks"
		if n := w.Checks; n != nil {
			s += ": " + strconv.Itoa(n.Answered) + " of " + strconv.Itoa(n.Asked) + " answered"
			if n.Closed > 0 {
				s += " (" + strconv.Itoa(n.Closed) + " closed unanswered)"
			}
			if !n.NextDueAt.IsZero() {
				s += "; next due: " + n.NextAgency.Words() + ", " + local(n.NextDueAt)
			}
		}
		return s
	case ReasonOverdueCheck:
		if w.Agency != "" {
			return w.Agency.Words() + " check overdue"
		}
		return "partner check overdue"
	case ReasonReturnedConsent:
		return "returned to the referrer for consent"
	case ReasonOpenEscalation:
		return "with the service manager: " + p.RuleLabel(w.Rule).Words
	}
	return string(w.Reason)
}

// DaysWords is the meeting's days and time in words: "Tuesday, Wednesday, Thursday and Friday at 11:00".
func DaysWords(days []string, at string) string {
	if len(days) == 0 {
		return ""
	}
	ws := make([]string, len(days))
	for i, d := range days {
		ws[i] = strings.ToUpper(d[:1]) + d[1:]
	}
	s := ws[len(ws)-1]
	if len(ws) > 1 {
		s = strings.Join(ws[:len(ws)-1], ", ") + " and " + s
	}
	return s + " at " + at
}
