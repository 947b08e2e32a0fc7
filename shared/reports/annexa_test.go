package reports_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/internal/steptest"
	"github.com/safeguarding/mash/shared/reports"
)

// The census source of referral is derived from the channel and the referrer where certain (issue #16:
// police PPN → 6, school → 2A, GP → 3A), else it is left empty to be asked of the screener.
func TestCensus_SourceOfReferral_DerivedWhereCertain(t *testing.T) {
	for _, tc := range []struct {
		name    string
		channel domain.Channel
		ref     domain.Referrer
		code    string
		certain bool
	}{
		{"police PPN", domain.ChannelPPN, domain.Referrer{Organisation: "Hampshire Constabulary", Professional: true}, "6", true},
		{"police by email", domain.ChannelEmail, domain.Referrer{Organisation: "Metropolitan Police", Professional: true}, "6", true},
		{"school", domain.ChannelForm, domain.Referrer{Organisation: "Amberdene Primary School", Role: "DSL", Professional: true}, "2A", true},
		{"academy", domain.ChannelEmail, domain.Referrer{Organisation: "Northgate Academy", Professional: true}, "2A", true},
		{"GP", domain.ChannelEmail, domain.Referrer{Organisation: "Lower Clapton Group Practice", Role: "GP", Professional: true}, "3A", true},
		{"GP surgery", domain.ChannelEmail, domain.Referrer{Organisation: "Elm Tree Surgery", Professional: true}, "3A", true},
		{"health visitor", domain.ChannelPhone, domain.Referrer{Role: "Health Visitor", Professional: true}, "3B", true},
		{"school nurse before school", domain.ChannelEmail, domain.Referrer{Organisation: "Amberdene School", Role: "School Nurse", Professional: true}, "3C", true},
		{"A&E", domain.ChannelPhone, domain.Referrer{Organisation: "Homerton Hospital A&E", Professional: true}, "3E", true},
		{"housing", domain.ChannelEmail, domain.Referrer{Organisation: "Clarion Housing Association", Professional: true}, "4", true},
		{"probation", domain.ChannelEmail, domain.Referrer{Organisation: "National Probation Service", Professional: true}, "7", true},
		{"mother", domain.ChannelPhone, domain.Referrer{Name: "J Smith", Relationship: "mother"}, "1A", true},
		{"neighbour", domain.ChannelPhone, domain.Referrer{Name: "K Jones", Relationship: "neighbour"}, "1B", true},
		{"self", domain.ChannelWalkIn, domain.Referrer{Name: "the child", Relationship: "self"}, "1C", true},
		{"anonymous caller", domain.ChannelPhone, domain.Referrer{}, "9", true},
		{"a council team, not certain", domain.ChannelEmail, domain.Referrer{Organisation: "Hackney Council", Professional: true}, "", false},
		{"no organisation", domain.ChannelEmail, domain.Referrer{Name: "A Person", Email: "a@example.org"}, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, certain := reports.Source(&domain.Contact{Channel: tc.channel, Referrer: tc.ref})
			if code != tc.code || certain != tc.certain {
				t.Errorf("got %s (certain %v), want %s (certain %v)", code, certain, tc.code, tc.certain)
			}
			if code != "" && !reports.ValidCode(reports.SourceCodes, code) {
				t.Errorf("%s is not a census source code", code)
			}
		})
	}
}

// Issue #16: "The source is captured at entry. It is derived from the channel and the referrer's
// organisation where certain …, else asked of the screener"; ethnicity and gender likewise. A code that is
// neither recorded nor certain is empty and named as missing, never filled in as 10 / 0 / NOBT; what a
// screener records settles it.
func TestAnnexA_ContactSource_AskedOfScreenerWhenUncertain(t *testing.T) {
	unknown := domain.Referrer{Name: "A Person", Email: "a@example.org"}
	school := domain.Referrer{Organisation: "Amberdene Primary School", Professional: true}
	for _, tc := range []struct {
		name              string
		channel           domain.Channel
		ref               domain.Referrer
		gender, ethnicity string
		recorded          *domain.CensusCodes
		source, g, e      string
		missing           []string
	}{
		{"all certain", domain.ChannelForm, school, "Female", "White British", nil, "2A", "2", "WBRI", nil},
		{"PPN, child's details blank", domain.ChannelPPN, domain.Referrer{}, "", "", nil, "6", "", "", []string{"gender", "ethnicity"}},
		{"nothing certain", domain.ChannelEmail, unknown, "", "Mixed", nil, "", "", "", []string{"source", "gender", "ethnicity"}},
		{"referrer wrote not known", domain.ChannelEmail, unknown, "not known", "unknown", nil, "", "0", "NOBT", []string{"source"}},
		{"screener recorded the source", domain.ChannelEmail, unknown, "m", "Indian", &domain.CensusCodes{Source: "5B"}, "5B", "1", "AIND", nil},
		{"screener recorded all", domain.ChannelEmail, unknown, "", "", &domain.CensusCodes{Source: "8", Gender: "9", Ethnicity: "REFU"}, "8", "9", "REFU", nil},
		{"recorded beats derived", domain.ChannelForm, school, "Female", "", &domain.CensusCodes{Source: "2B", Ethnicity: "OOTH"}, "2B", "2", "OOTH", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &domain.Contact{Channel: tc.channel, Referrer: tc.ref, Census: tc.recorded}
			c.Child.Gender, c.Child.Ethnicity = tc.gender, tc.ethnicity
			s, g, e, missing := reports.Codes(c)
			if s != tc.source || g != tc.g || e != tc.e {
				t.Errorf("codes %q %q %q, want %q %q %q", s, g, e, tc.source, tc.g, tc.e)
			}
			if !slices.Equal(missing, tc.missing) || !slices.Equal(reports.Missing(c), tc.missing) {
				t.Errorf("missing %v, want %v", missing, tc.missing)
			}
		})
	}
}

func TestCensus_GenderAndEthnicity_FreeTextMappedWhereCertain(t *testing.T) {
	for in, want := range map[string]string{"Male": "1", "f": "2", "girl": "2", "not known": "0", "": "", "non-binary": ""} {
		if got, _ := reports.Gender(in); got != want {
			t.Errorf("gender %q → %s, want %s", in, got, want)
		}
	}
	for in, want := range map[string]string{"White British": "WBRI", "wbri": "WBRI", "Black  African": "BAFR", "Pakistani": "APKN",
		"unknown": "NOBT", "": "", "Mixed": "", "Refused": "REFU"} {
		got, _ := reports.Ethnicity(in)
		if got != want {
			t.Errorf("ethnicity %q → %s, want %s", in, got, want)
		}
		if got != "" && !reports.ValidCode(reports.EthnicityCodes, got) {
			t.Errorf("%s is not a DfE ethnicity code", got)
		}
	}
}

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
		valid := func(list []reports.Code, v string) bool { return v == "" || reports.ValidCode(list, v) } // empty: still to be asked
		if !valid(reports.SourceCodes, row.Source) || !valid(reports.GenderCodes, row.Gender) || !valid(reports.EthnicityCodes, row.Ethnicity) {
			t.Errorf("row %+v: not census codes", row)
		}
	}
}
