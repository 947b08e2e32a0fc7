package lifecycle_test

import (
	"slices"
	"testing"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/lifecycle"
)

// A duplicate is merged (closed, reason "merged", linked to the primary) while it waits for a rating or a
// decision, or after it left the MASH; never while its screening or partner checks are under way, nor once
// closed.
func TestMerge_ClosesTheDuplicateFromTheStatusesThatAllowIt(t *testing.T) {
	into := &domain.Contact{ID: "c_primary000000000000", Reference: "HAC-2027-000001"}
	for _, st := range domain.Statuses {
		t.Run(string(st), func(t *testing.T) {
			c := &domain.Contact{ID: "c_duplicate0000000000", Status: st}
			res, err := lifecycle.Merge(c, "Maya Manager", into)
			allowed := slices.Contains([]domain.Status{domain.StatusAwaitingRating, domain.StatusAwaitingDecision, domain.StatusDecided,
				domain.StatusForwarded, domain.StatusReturnedForConsent}, st)
			if !allowed {
				if domain.ErrorCode(err) != domain.CodeConflict || c.Status != st {
					t.Fatalf("merge from %s: %v, status %s; want a conflict and no change", st, err, c.Status)
				}
				return
			}
			if err != nil || c.Status != domain.StatusClosed || !slices.Contains(c.LinkedTo, into.ID) ||
				res.Event.Action != "contact.closed" || res.Event.Reason != "merged" || res.Event.Detail["mergedInto"] != string(into.ID) {
				t.Fatalf("merge from %s: %v %s %v %+v", st, err, c.Status, c.LinkedTo, res.Event)
			}
		})
	}
	self := &domain.Contact{ID: into.ID, Status: domain.StatusAwaitingRating}
	if _, err := lifecycle.Merge(self, "Maya Manager", into); domain.ErrorCode(err) != domain.CodeInvalid {
		t.Errorf("merging a contact into itself: %v", err)
	}
}
