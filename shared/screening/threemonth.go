// Package screening is the MASH's first look at a contact once it is open: who is the child (identity match
// against the children index), are they already open to a worker (forward at once), were they closed within
// the last three months (back to that unit), and may the MASH proceed without consent.
package screening

import (
	"time"

	"github.com/safeguarding/mash/shared/store"
)

// ThreeMonths is the window of the "three month" rule: a child whose case closed less than three months
// before the contact arrived goes straight back to the unit or worker who closed it.
// Hackney seed §4 B ("open to a Social Work Unit within the past 3 months … re-referred to that unit");
// Bexley seed §11 ("open to a Social Worker in CSC within the last three months … allocated immediately to
// the previously involved Social Worker").
const ThreeMonths = 3

// Match is what the children index says about a contact's child.
type Match struct {
	// Open is the entry of a case open now, with its allocated worker (Barnet seed "What happens next?":
	// "If there is an allocated social worker … the contact form is sent directly on to them"; Bexley §3).
	Open *store.ChildRecord
	// RecentlyClosed is the most recent closure inside the three-month window.
	RecentlyClosed *store.ChildRecord
}

// Classify reads the index entries for one child (other than the contact itself) at the contact's arrival.
func Classify(entries []store.ChildRecord, self string, receivedAt time.Time) Match {
	var m Match
	for i := range entries {
		e := &entries[i]
		if string(e.ContactID) == self {
			continue
		}
		if e.OpenCase && m.Open == nil {
			m.Open = e
		}
		if !e.ClosedAt.IsZero() && WithinThreeMonths(e.ClosedAt, receivedAt) {
			if m.RecentlyClosed == nil || e.ClosedAt.After(m.RecentlyClosed.ClosedAt) {
				m.RecentlyClosed = e
			}
		}
	}
	return m
}

// WithinThreeMonths reports whether closedAt is no more than three calendar months before at (and not after
// it). Calendar months, not 90 days: closed 30 November, a contact on 28 February is inside the window.
func WithinThreeMonths(closedAt, at time.Time) bool {
	if closedAt.After(at) {
		return false
	}
	return !at.After(closedAt.AddDate(0, ThreeMonths, 0))
}
