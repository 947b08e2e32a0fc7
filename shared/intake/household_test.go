package intake_test

import (
	"context"
	"slices"
	"testing"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
)

// A call about several children of a household (the console's "Record a call") is checked child by child as
// RecordContact checks one call (Recorded.Validate), each child's fields named by its place (children[1].…),
// the call's own fields once; recorded, it is one contact per child, one household, each linked to the others,
// created by who recorded it; the same key again records nothing more.
func TestPhoneContact_Household_OneContactPerChild(t *testing.T) {
	r := newRig(t, london(t, "2026-11-16 10:45"))
	ctx := context.Background()
	household := func(edit func(*intake.RecordedHousehold)) intake.RecordedHousehold {
		c := goodCall()
		h := intake.RecordedHousehold{Recorded: c, Children: []intake.RecordedChild{{Child: c.Child},
			{Child: domain.Child{GivenName: "Lily", FamilyName: "Whitfield", Age: 4}, NotKnown: []string{"dateOfBirth"}}}}
		h.Child = domain.Child{}
		if edit != nil {
			edit(&h)
		}
		return h
	}
	for _, tc := range []struct {
		name   string
		edit   func(*intake.RecordedHousehold)
		fields []string
	}{
		{"no child", func(h *intake.RecordedHousehold) { h.Children = nil }, []string{"children"}},
		{"the second child's family name forgotten, the concerns missing", func(h *intake.RecordedHousehold) {
			h.Children[1].Child.FamilyName = ""
			h.Concerns = ""
		}, []string{"children[1].familyName", "concerns"}},
		{"both children without a date of birth: each named", func(h *intake.RecordedHousehold) {
			h.Children[0].Child.DateOfBirth = domain.Date{}
			h.Children[1].NotKnown = nil
		}, []string{"children[0].dateOfBirth", "children[1].dateOfBirth"}},
		{"a not-known list naming no detail", func(h *intake.RecordedHousehold) { h.Children[1].NotKnown = []string{"dateOfBirth", "shoeSize"} },
			[]string{"children[1].notKnown"}},
		{"no channel, once for the call", func(h *intake.RecordedHousehold) { h.Channel = "" }, []string{"channel"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := r.suite.Intake.RecordHousehold(ctx, hackney, household(tc.edit), "")
			got := fields(t, err)
			slices.Sort(got)
			if !slices.Equal(got, tc.fields) {
				t.Fatalf("fields %v, want %v", got, tc.fields)
			}
		})
	}
	res, err := r.suite.Intake.RecordHousehold(ctx, hackney, household(nil), "console-form-1")
	if err != nil || len(res) != 2 || res[0].Status != intake.StatusCreated || res[1].Status != intake.StatusCreated {
		t.Fatalf("RecordHousehold: %+v %v", res, err)
	}
	kai, lily := r.contact(res[0].ContactID), r.contact(res[1].ContactID)
	if kai.HouseholdID == "" || kai.HouseholdID != lily.HouseholdID || !slices.Equal(kai.LinkedTo, []domain.ContactID{lily.ID}) ||
		!slices.Equal(lily.LinkedTo, []domain.ContactID{kai.ID}) {
		t.Errorf("not one household: %s %v / %s %v", kai.HouseholdID, kai.LinkedTo, lily.HouseholdID, lily.LinkedTo)
	}
	// Lily's age as told stands for her date of birth (listed missing; her details need nothing more:
	// domain.Child.DetailsStillNeeded).
	if kai.Flags.NeedsCompletion || lily.Flags.NeedsCompletion || lily.Extraction == nil ||
		!slices.Equal(lily.Extraction.Missing, []string{"child.dateOfBirth"}) || lily.Child.Age != 4 || lily.Concerns != kai.Concerns ||
		lily.Channel != domain.ChannelPhone || lily.Referrer.Name != "Janet Whitfield" {
		t.Errorf("Kai %+v / Lily %+v", kai.Flags, lily)
	}
	evs, err := r.suite.Store.ListAudit(ctx, lily.ID)
	if err != nil || len(evs) == 0 || evs[0].Action != "contact.created" || evs[0].Actor != "mash.screener.1" {
		t.Errorf("created by %+v %v", evs, err)
	}
	again, err := r.suite.Intake.RecordHousehold(ctx, hackney, household(nil), "console-form-1")
	if err != nil || len(again) != 2 || again[0].Status != intake.StatusDuplicate || again[0].ContactID != kai.ID || again[1].ContactID != lily.ID {
		t.Fatalf("the same key again: %+v %v", again, err)
	}
}
