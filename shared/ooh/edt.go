package ooh

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/store"
)

// EDT is what the Emergency Duty Team does out of hours: record a contact taken by phone, and record what
// it did overnight, so the MASH team sees it on the contact's timeline next morning.
type EDT struct {
	Intake intake.Service
	Store  store.Store
	Now    func() time.Time
}

// ActionRecorded is the audit action of an EDT note on a contact.
const ActionRecorded = "ooh.action"

// AddPhoneNote records a phone contact the EDT took (channel phone) and enters it into the contact machine,
// which queues it for the MASH's next opening (or tells the EDT's own duty line at once for immediate harm).
func (e EDT) AddPhoneNote(ctx context.Context, authority domain.AuthorityID, by string, r intake.Recorded) ([]intake.Result, error) {
	if r.Channel == "" {
		r.Channel = domain.ChannelPhone
	}
	r.RecordedBy = by
	res, err := e.Intake.RecordContact(ctx, authority, r, "")
	if err != nil {
		return nil, err
	}
	for _, x := range res {
		if _, err := e.Store.AppendAudit(ctx, store.AuditEvent{ContactID: x.ContactID, Actor: by, Action: "ooh.phone-note",
			Reason: "recorded by the Emergency Duty Team out of hours"}); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// RecordAction records what the EDT did about a contact overnight (a visit, a call to the police, a place of
// safety). The text stays in the audit store, which only authorised roles read.
func (e EDT) RecordAction(ctx context.Context, id domain.ContactID, by, action string) error {
	if strings.TrimSpace(action) == "" {
		return &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "action", Message: "is required"}}}
	}
	if _, err := e.Store.GetContact(ctx, id); err != nil {
		return err
	}
	_, err := e.Store.AppendAudit(ctx, store.AuditEvent{ContactID: id, Actor: by, Action: ActionRecorded, Reason: action})
	return err
}

// MorningItem is one line of the team leader's next-morning list. It names the child (the morning team
// reads the list by name as well as by reference): every reader of the list is audited as reading each
// contact on it (the API, the console and the command line).
type MorningItem struct {
	ContactID domain.ContactID `json:"contactId"`
	Reference domain.Reference `json:"reference"`
	// ChildName is the child's given and family name as recorded ("" while a free-text contact's child is
	// not yet known).
	ChildName  string        `json:"childName,omitempty"`
	Route      domain.Route  `json:"route"`
	Rating     domain.Rating `json:"rating,omitempty"`
	ReceivedAt time.Time     `json:"receivedAt"`
	ReviewBy   time.Time     `json:"reviewBy"`
	Overdue    bool          `json:"overdue"`
	ClaimedBy  string        `json:"claimedBy,omitempty"`
	EDTActions []string      `json:"edtActions"`
	// NeedsCompletion: the child's details are still to be completed (domain.Flags.NeedsCompletion: a caller
	// who could not give them, free text that named no child); Missing names what intake could not read of
	// the child (domain.Extraction's "child." names). The morning team sees which contacts need a screener first.
	NeedsCompletion bool     `json:"needsCompletion,omitempty"`
	Missing         []string `json:"missing,omitempty"`
}

// MorningList is, at opening, everything that arrived out of hours and has not been reviewed: ordered by
// rating (Red first; EDT-now contacts count as Red until rated), then by arrival, with what the EDT did.
func (e EDT) MorningList(ctx context.Context, authority domain.AuthorityID) ([]MorningItem, error) {
	now := e.Now()
	items, err := e.Store.DueItems(ctx, Tray, now.Add(30*24*time.Hour), 0)
	if err != nil {
		return nil, err
	}
	out := []MorningItem{}
	for _, it := range items {
		if it.Authority != authority || it.ContactID == "" {
			continue
		}
		c, err := e.Store.GetContact(ctx, it.ContactID)
		if err != nil {
			return nil, err
		}
		m := MorningItem{ContactID: c.ID, Reference: c.Reference, ChildName: strings.Join(strings.Fields(c.Child.GivenName+" "+c.Child.FamilyName), " "), Route: c.Route, ReceivedAt: c.ReceivedAt,
			ReviewBy: it.DueAt, Overdue: now.After(it.DueAt), ClaimedBy: it.ClaimedBy, EDTActions: []string{}}
		if c.Rating != nil {
			m.Rating = c.Rating.Value
		}
		if c.Flags.NeedsCompletion {
			m.NeedsCompletion, m.Missing = true, c.ChildMissing()
		}
		evs, err := e.Store.ListAudit(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		for _, ev := range evs {
			if ev.Action == ActionRecorded {
				m.EDTActions = append(m.EDTActions, ev.Reason)
			}
		}
		out = append(out, m)
	}
	sort.SliceStable(out, func(i, j int) bool {
		ri, rj := rank(out[i]), rank(out[j])
		if ri != rj {
			return ri < rj
		}
		return out[i].ReceivedAt.Before(out[j].ReceivedAt)
	})
	return out, nil
}

func rank(m MorningItem) int {
	if m.Rating != "" {
		return m.Rating.Rank()
	}
	if m.Route == domain.RouteEDTNow {
		return domain.RatingRed.Rank()
	}
	return domain.Rating("").Rank()
}
