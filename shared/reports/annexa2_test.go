package reports_test

import (
	"context"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/internal/steptest"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/reports"
)

// earlyHelpHistory builds a known Portsmouth history on the fake clock through the real lifecycle and store
// (infra/authorities/portsmouth.yaml: Early Help Tier 2 and Tier 3 are early help outcomes, Section 17 is not):
//
//	Mon 16 Nov 2026 10:00  A (Ada Brook, born 16/11/2012, female, White British: 14 that day) decided Tier 2
//	Tue 17 Nov 2026 23:30  B (the Canarybird child, born 02/04/2017, recorded 1 / AIND) decided Tier 3 —
//	                       in London that is still the 17th; C decided Section 17 (not early help)
//	Thu 19 Nov 2026 09:00  B closed, reopened, decided Tier 2 again: a second start for the same child
//	Tue  1 Dec 2026 09:00  D decided Tier 2, after the period
//
// The period is 16–30 November 2026.
func earlyHelpHistory(t *testing.T) (*policy.Policy, *steptest.Rig, map[string]*domain.Contact) {
	t.Helper()
	r := steptest.New(t, steptest.London(t, "2026-11-16 09:00"))
	p, err := policy.Load("portsmouth")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	apply := func(c *domain.Contact, fn func(c *domain.Contact) (lifecycle.Result, error)) {
		t.Helper()
		if _, err := r.Env.Apply(ctx, p, c.ID, fn); err != nil {
			t.Fatal(err)
		}
	}
	screened := func(edit func(c *domain.Contact)) *domain.Contact {
		c := r.Contact("portsmouth", edit)
		apply(c, func(c *domain.Contact) (lifecycle.Result, error) {
			return lifecycle.Route(p, c, r.Clock.Now(), domain.RouteMASH, "test")
		})
		apply(c, func(c *domain.Contact) (lifecycle.Result, error) {
			res, _, err := lifecycle.Screen(p, c, r.Clock.Now(), "test")
			return res, err
		})
		apply(c, func(c *domain.Contact) (lifecycle.Result, error) {
			res, _, err := lifecycle.Rate(p, c, r.Clock.Now(), lifecycle.Rating{Value: domain.RatingGreen, Rationale: "seen", By: "mgr"}, nil)
			return res, err
		})
		return c
	}
	decide := func(c *domain.Contact, code domain.OutcomeCode) {
		r.Census(c.ID) // the screener records what intake could not derive: screening cannot finish without it
		apply(c, func(c *domain.Contact) (lifecycle.Result, error) {
			return lifecycle.Decide(p, c, r.Clock.Now(), lifecycle.Decision{Code: code, Term: string(code), Rationale: "needs", By: "mgr"})
		})
	}
	cs := map[string]*domain.Contact{}
	cs["A"] = screened(func(c *domain.Contact) {
		c.Child = domain.Child{GivenName: "Ada", FamilyName: "Brook", DateOfBirth: domain.Date{Y: 2012, M: 11, D: 16}, Gender: "Female", Ethnicity: "White British"}
	})
	cs["B"] = screened(nil)
	apply(cs["B"], func(c *domain.Contact) (lifecycle.Result, error) {
		return lifecycle.RecordCensus(c, r.Clock.Now(), "", "1", "AIND", "screener")
	})
	cs["C"] = screened(nil)
	cs["D"] = screened(func(c *domain.Contact) { c.Child = domain.Child{GivenName: "Bo", FamilyName: "Lark", Age: 6} })
	r.Clock.Set(steptest.London(t, "2026-11-16 10:00"))
	decide(cs["A"], domain.OutcomeEarlyHelpTier2)
	r.Clock.Set(steptest.London(t, "2026-11-17 23:30"))
	decide(cs["B"], domain.OutcomeEarlyHelpTier3)
	decide(cs["C"], domain.OutcomeS17)
	r.Clock.Set(steptest.London(t, "2026-11-19 09:00"))
	apply(cs["B"], func(c *domain.Contact) (lifecycle.Result, error) {
		return lifecycle.Close(c, "mgr", "passed to early help")
	})
	apply(cs["B"], func(c *domain.Contact) (lifecycle.Result, error) {
		return lifecycle.Reopen(c, r.Clock.Now(), "mgr", "new information")
	})
	apply(cs["B"], func(c *domain.Contact) (lifecycle.Result, error) {
		return lifecycle.Route(p, c, r.Clock.Now(), domain.RouteMASH, "test")
	})
	apply(cs["B"], func(c *domain.Contact) (lifecycle.Result, error) {
		res, _, err := lifecycle.Screen(p, c, r.Clock.Now(), "test")
		return res, err
	})
	apply(cs["B"], func(c *domain.Contact) (lifecycle.Result, error) {
		res, _, err := lifecycle.Rate(p, c, r.Clock.Now(), lifecycle.Rating{Value: domain.RatingGreen, Rationale: "seen", By: "mgr"}, nil)
		return res, err
	})
	decide(cs["B"], domain.OutcomeEarlyHelpTier2)
	r.Clock.Set(steptest.London(t, "2026-12-01 09:00"))
	decide(cs["D"], domain.OutcomeEarlyHelpTier2)
	return p, r, cs
}

// Annex A List 2 (early help): one row per early help decision in the period, every cell checked; the
// organisation is the policy's, the start date the decision's London date, the completion date empty.
func TestAnnexA_List2_EarlyHelpDecisions_EveryCell(t *testing.T) {
	p, r, cs := earlyHelpHistory(t)
	recs, err := reports.Load(context.Background(), r.Store, "portsmouth")
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Europe/London")
	rows := reports.AnnexAList2(p, recs, steptest.London(t, "2026-11-16 00:00"), steptest.London(t, "2026-12-01 00:00"), loc)
	tier2, tier3 := p.EarlyHelpOutcome(domain.OutcomeEarlyHelpTier2), p.EarlyHelpOutcome(domain.OutcomeEarlyHelpTier3)
	if tier2 == nil || tier3 == nil || p.EarlyHelpOutcome(domain.OutcomeS17) != nil {
		t.Fatalf("portsmouth's early help outcomes: tier 2 %v, tier 3 %v", tier2, tier3)
	}
	a, b := reports.ChildID(cs["A"]), reports.ChildID(cs["B"])
	want := []reports.AnnexAList2Row{
		{ContactID: cs["A"].ID, Outcome: domain.OutcomeEarlyHelpTier2, ChildID: a, Gender: "2", Ethnicity: "WBRI",
			DateOfBirth: "16/11/2012", Age: "14", StartDate: "16/11/2026", Organisation: "MASH Early Help Team (tier 2 coordinators)"},
		{ContactID: cs["B"].ID, Outcome: domain.OutcomeEarlyHelpTier3, ChildID: b, Gender: "1", Ethnicity: "AIND",
			DateOfBirth: "02/04/2017", Age: "9", StartDate: "17/11/2026", Organisation: "Early Help and Prevention service (locality, tier 3)"},
		{ContactID: cs["B"].ID, Outcome: domain.OutcomeEarlyHelpTier2, ChildID: b, Gender: "1", Ethnicity: "AIND",
			DateOfBirth: "02/04/2017", Age: "9", StartDate: "19/11/2026", Organisation: "MASH Early Help Team (tier 2 coordinators)"},
	}
	if d := cmp.Diff(want, rows); d != "" {
		t.Errorf("rows (-want +got):\n%s", d)
	}
	if want[0].Organisation != tier2.Organisation || want[1].Organisation != tier3.Organisation {
		t.Errorf("organisations are not the policy's: %q, %q", tier2.Organisation, tier3.Organisation)
	}
	// D, decided after the period, is in the next one; its age is the one the referrer gave.
	next := reports.AnnexAList2(p, recs, steptest.London(t, "2026-12-01 00:00"), steptest.London(t, "2026-12-02 00:00"), loc)
	if len(next) != 1 || next[0].ContactID != cs["D"].ID || next[0].Age != "6" || next[0].DateOfBirth != "" || next[0].StartDate != "01/12/2026" {
		t.Errorf("December: %+v", next)
	}
	body, err := reports.AnnexAList2CSV(rows)
	if err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantCSV := [][]string{
		{"Child unique ID", "Gender", "Ethnicity", "Date of birth", "Age of child (years)", "Assessment start date", "Assessment completion date", "Organisation completing assessment"},
		{a, "2", "WBRI", "16/11/2012", "14", "16/11/2026", "", "MASH Early Help Team (tier 2 coordinators)"},
		{b, "1", "AIND", "02/04/2017", "9", "17/11/2026", "", "Early Help and Prevention service (locality, tier 3)"},
		{b, "1", "AIND", "02/04/2017", "9", "19/11/2026", "", "MASH Early Help Team (tier 2 coordinators)"},
	}
	if d := cmp.Diff(wantCSV, got); d != "" {
		t.Errorf("csv (-want +got):\n%s", d)
	}
	file, ids, gaps, err := reports.AnnexAFile(p, recs, "2", steptest.London(t, "2026-11-16 00:00"), steptest.London(t, "2026-12-01 00:00"), loc)
	if err != nil || file != body || !slices.Equal(ids, []domain.ContactID{cs["A"].ID, cs["B"].ID}) || gaps != nil {
		t.Errorf("AnnexAFile: %v, ids %v (each contact once)", err, ids)
	}
}

// Every policy marks its early help outcomes (Annex A List 2) with who completes the assessment, and only
// early help outcomes: the seeds' early help pathways.
func TestAnnexA_List2_EarlyHelpOutcomesOfEachPolicy(t *testing.T) {
	want := map[string][]domain.OutcomeCode{
		"portsmouth":       {domain.OutcomeEarlyHelpTier2, domain.OutcomeEarlyHelpTier3}, // Portsmouth §5.2
		"hackney":          {domain.OutcomeEarlyHelp},                                    // Hackney §2
		"northamptonshire": {domain.OutcomePartnershipSupport},                           // Northamptonshire §4 a), §7
		"bexley":           {domain.OutcomeFamilyWellbeing},                              // Bexley §9
		"barnet":           {domain.OutcomeEarlyHelp},                                    // Barnet "What happens next?"
	}
	for a, codes := range want {
		p, err := policy.Load(a)
		if err != nil {
			t.Fatal(err)
		}
		var got []domain.OutcomeCode
		for _, o := range p.Outcomes {
			if o.EarlyHelp != nil {
				got = append(got, o.Code)
				if o.EarlyHelp.Organisation == "" {
					t.Errorf("%s %s: no organisation", a, o.Code)
				}
			}
		}
		if !slices.Equal(got, codes) {
			t.Errorf("%s: early help outcomes %v, want %v", a, got, codes)
		}
	}
}

func TestAnnexA_ListParameter_OneOrTwo(t *testing.T) {
	for in, want := range map[string]string{"": "1", "1": "1", "2": "2"} {
		if got, err := reports.ParseAnnexAList("list", in); err != nil || got != want {
			t.Errorf("%q → %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"3", "two", "01"} {
		_, err := reports.ParseAnnexAList("list", in)
		if domain.ErrorCode(err) != domain.CodeInvalid || !strings.Contains(err.Error(), "list") || !strings.Contains(err.Error(), "1, 2") {
			t.Errorf("%q: %v, want invalid naming list and the allowed values", in, err)
		}
	}
}
