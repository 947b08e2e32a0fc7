package reports_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/safeguarding/mash/shared/census"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/internal/steptest"
	"github.com/safeguarding/mash/shared/reports"
)

// Annex A List 1: one row per child contact in the period, census codes, the same child id for the same
// child, age at the contact, and every contact source a valid census code.
func TestAnnexA_List1_OneRowPerChildContact(t *testing.T) {
	r := steptest.New(t, steptest.London(t, "2026-11-16 10:00"))
	school := r.Contact("hackney", func(c *domain.Contact) {
		c.Child.Gender, c.Child.Ethnicity = "Female", "White British"
		c.Referrer.Organisation = "Amberdene Primary School"
	})
	r.Clock.Advance(24 * time.Hour)
	ppn := r.Contact("hackney", func(c *domain.Contact) {
		c.Channel = domain.ChannelPPN
		c.Flags.PPN = true
		c.Referrer = domain.Referrer{}
	})
	other := r.Contact("hackney", func(c *domain.Contact) {
		c.Child = domain.Child{GivenName: "Ada", FamilyName: "Brook", DateOfBirth: domain.Date{Y: 2012, M: 11, D: 18}}
		c.Referrer = domain.Referrer{Name: "A Person", Email: "a@example.org"}
	})
	r.Clock.Advance(30 * 24 * time.Hour)
	r.Contact("hackney", nil) // after the period
	recs, err := reports.Load(context.Background(), r.Store, "hackney")
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Europe/London")
	rows := reports.AnnexA(recs, steptest.London(t, "2026-11-01 00:00"), steptest.London(t, "2026-12-01 00:00"), loc)
	same := reports.ChildID(school)
	want := []reports.AnnexARow{
		{ContactID: school.ID, ChildID: same, Gender: "2", Ethnicity: "WBRI", DateOfBirth: "02/04/2017", Age: "9", DateOfContact: "16/11/2026", Source: "2A", SourceCertain: true},
		{ContactID: ppn.ID, ChildID: same, Gender: "", Ethnicity: "", DateOfBirth: "02/04/2017", Age: "9", DateOfContact: "17/11/2026", Source: "6", SourceCertain: true},
		{ContactID: other.ID, ChildID: reports.ChildID(other), Gender: "", Ethnicity: "", DateOfBirth: "18/11/2012", Age: "13", DateOfContact: "17/11/2026", Source: ""},
	}
	byID := func(rs []reports.AnnexARow) []reports.AnnexARow {
		out := slices.Clone(rs)
		slices.SortFunc(out, func(a, b reports.AnnexARow) int { return strings.Compare(string(a.ContactID), string(b.ContactID)) })
		return out
	}
	if d := cmp.Diff(byID(want), byID(rows)); d != "" {
		t.Errorf("rows (-want +got):\n%s", d)
	}
	if same == reports.ChildID(other) || strings.Contains(same, "canarybird") {
		t.Errorf("child ids %s / %s: one per child, carrying no name", same, reports.ChildID(other))
	}
	csv, err := reports.AnnexACSV(rows)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	if lines[0] != "Child unique ID,Gender,Ethnicity,Date of birth,Age of child (years),Date of contact,Contact source" || len(lines) != 4 {
		t.Errorf("csv:\n%s", csv)
	}
	for _, row := range rows {
		valid := func(list []census.Code, v string) bool { return v == "" || census.Valid(list, v) } // empty: still to be asked
		if !valid(census.SourceCodes, row.Source) || !valid(census.GenderCodes, row.Gender) || !valid(census.EthnicityCodes, row.Ethnicity) {
			t.Errorf("row %+v: not census codes", row)
		}
	}
}
