package reports_test

import (
	"context"
	"encoding/csv"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/safeguarding/mash/shared/actions"
	"github.com/safeguarding/mash/shared/census"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/internal/steptest"
	"github.com/safeguarding/mash/shared/reports"
	"github.com/safeguarding/mash/shared/screening"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/workflow"
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
		{ContactID: school.ID, Reference: school.Reference, Status: school.Status, ChildID: same, Gender: "2", Ethnicity: "WBRI", DateOfBirth: "02/04/2017", Age: "9", DateOfContact: "16/11/2026", Source: "2A", SourceCertain: true},
		{ContactID: ppn.ID, Reference: ppn.Reference, Status: ppn.Status, ChildID: same, Gender: "", Ethnicity: "", DateOfBirth: "02/04/2017", Age: "9", DateOfContact: "17/11/2026", Source: "6", SourceCertain: true,
			Missing: []string{"gender", "ethnicity"}},
		{ContactID: other.ID, Reference: other.Reference, Status: other.Status, ChildID: reports.ChildID(other), Gender: "", Ethnicity: "", DateOfBirth: "18/11/2012", Age: "13", DateOfContact: "17/11/2026", Source: "",
			Missing: []string{"source", "gender", "ethnicity"}},
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

// Annex A List 1 lists every contact, and a request for information about a child is one (Hackney §4(5–6)
// answers requests for information in the hub; Northamptonshire §7: the contact record says whether the
// contact is a request for information): so its row carries valid census codes once it is answered, like a
// decided contact's. The answer is gated as the decision is — refused (409) naming each code neither derived
// nor recorded, accepted once the screener records them ("not known" included) — and the request stays on
// its tray, in List 1, while a code is still to be asked (an empty code there means "not answered yet").
func TestAnnexA_List1_InformationRequestIsAContact_AnsweredOnlyWithCensusCodes(t *testing.T) {
	police := domain.Referrer{Name: "DC Ray", Organisation: "Metropolitan Police", Email: "dc@met.example", Professional: true}
	unknown := domain.Referrer{Name: "A Person", Email: "a@example.org", Professional: true}
	for _, tc := range []struct {
		name              string
		ref               domain.Referrer
		gender, ethnicity string   // the child's free text
		record            []string // source, gender, ethnicity the screener records before answering (nil: nothing)
		refused           []string // the fields the refusal names (nil: answered at once)
		want              [3]string
	}{
		{"police request, every code derived", police, "Female", "White British", nil, nil, [3]string{"6", "2", "WBRI"}},
		{"nothing derived: refused, then the screener's not-known codes", unknown, "", "", []string{"10", "0", "NOBT"},
			[]string{"census.source", "census.gender", "census.ethnicity"}, [3]string{"10", "0", "NOBT"}},
		{"police request, the child's codes recorded", police, "", "", []string{"", "1", "AIND"},
			[]string{"census.gender", "census.ethnicity"}, [3]string{"6", "1", "AIND"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
			ctx := context.Background()
			c := r.Contact("hackney", func(c *domain.Contact) {
				c.Status, c.Route = domain.StatusScreening, domain.RouteMASH
				c.Flags.InformationRequest = true
				c.Referrer, c.Child.Gender, c.Child.Ethnicity = tc.ref, tc.gender, tc.ethnicity
			})
			if out, err := (screening.Step{Env: r.Env}).Handle(ctx, workflow.StepInput{ContactID: c.ID, Authority: c.Authority}); err != nil || out.Next != screening.NextInformationRequest {
				t.Fatalf("screening: %+v %v, want the information-request path", out, err)
			}
			svc := actions.Service{Env: r.Env}
			r.Clock.Advance(2 * time.Hour)
			_, err := svc.Respond(ctx, c.ID, "attendance shared with the police", "worker")
			if tc.refused != nil {
				var de *domain.Error
				if !errors.As(err, &de) || de.Code != domain.CodeConflict {
					t.Fatalf("answer with codes missing: %v, want a 409 naming %v", err, tc.refused)
				}
				var named []string
				for _, f := range de.Fields {
					named = append(named, f.Field)
				}
				if !slices.Equal(named, tc.refused) || !strings.Contains(de.Message, "before the answer") {
					t.Errorf("refusal %q names %v, want %v", de.Message, named, tc.refused)
				}
				if got := r.Get(c.ID); got.Status != domain.StatusInformationRequest || got.Outcome != nil {
					t.Errorf("refused, yet the request is %s with outcome %v", got.Status, got.Outcome)
				}
				if it, err := r.Store.GetTrayItem(ctx, screening.InfoItemID(c.ID)); err != nil || !it.CompletedAt.IsZero() {
					t.Errorf("refused, yet its tray item is %+v (%v); want still open", it, err)
				}
				if _, err := svc.Census(ctx, c.ID, actions.Census{Source: tc.record[0], Gender: tc.record[1], Ethnicity: tc.record[2], By: "screener"}); err != nil {
					t.Fatal(err)
				}
				_, err = svc.Respond(ctx, c.ID, "attendance shared with the police", "worker")
			}
			if err != nil {
				t.Fatalf("answer: %v", err)
			}
			if got := r.Get(c.ID); got.Status != domain.StatusDecided || got.Outcome.Code != domain.OutcomeInformationRequest {
				t.Fatalf("answered: status %s outcome %+v", got.Status, got.Outcome)
			}
			recs, err := reports.Load(ctx, r.Store, "hackney")
			if err != nil {
				t.Fatal(err)
			}
			loc, _ := time.LoadLocation("Europe/London")
			rows := reports.AnnexA(recs, steptest.London(t, "2027-03-01 00:00"), steptest.London(t, "2027-04-01 00:00"), loc)
			if len(rows) != 1 || rows[0].ContactID != c.ID {
				t.Fatalf("List 1 rows %+v, want the request for information", rows)
			}
			if got := [3]string{rows[0].Source, rows[0].Gender, rows[0].Ethnicity}; got != tc.want || !rows[0].SourceCertain {
				t.Errorf("List 1 codes %v, want %v", got, tc.want)
			}
			if !census.Valid(census.SourceCodes, rows[0].Source) || !census.Valid(census.GenderCodes, rows[0].Gender) || !census.Valid(census.EthnicityCodes, rows[0].Ethnicity) {
				t.Errorf("row %+v: not census codes", rows[0])
			}
		})
	}
}

// Hackney §4 B / Bexley §11: a contact about a child with an open case goes at once to the allocated worker,
// without the decision's census gate — administrative codes never hold a child's contact back from the
// worker who knows the child. So Annex A List 1 must not hide it: its uncertain cells read "codes missing"
// (never a blank, never a code nobody chose), it is among the gaps by reference and status for a manager
// to complete, and once the codes are recorded (in any status) the row carries them and the gap is gone.
func TestHackney_4B_ForwardedToOpenCase_AnnexAShowsCodesMissingUntilRecorded(t *testing.T) {
	r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
	ctx := context.Background()
	earlier := r.Contact("hackney", func(c *domain.Contact) {
		c.Status = domain.StatusDecided
		c.Census = &domain.CensusCodes{Source: "2A", Gender: "2", Ethnicity: "WBRI"}
	})
	if _, err := r.Store.RecordChildCase(ctx, earlier.ID, store.CaseState{OpenCase: true, AllocatedWorker: "sw@hackney.gov.uk"}); err != nil {
		t.Fatal(err)
	}
	c := r.Contact("hackney", func(c *domain.Contact) {
		c.Status, c.Route = domain.StatusScreening, domain.RouteMASH
		c.Referrer = domain.Referrer{Name: "A Person", Email: "a@example.org", Professional: true}
		c.Child.Gender, c.Child.Ethnicity = "", ""
	})
	if out, err := (screening.Step{Env: r.Env}).Handle(ctx, workflow.StepInput{ContactID: c.ID, Authority: c.Authority}); err != nil || out.Next != workflow.NextForwarded {
		t.Fatalf("screening: %+v %v, want forwarded at once", out, err)
	}
	loc, _ := time.LoadLocation("Europe/London")
	from, to := steptest.London(t, "2027-03-01 00:00"), steptest.London(t, "2027-04-01 00:00")
	annex := func() (map[domain.ContactID][]string, []reports.AnnexARow) {
		t.Helper()
		recs, err := reports.Load(ctx, r.Store, "hackney")
		if err != nil {
			t.Fatal(err)
		}
		body, _, gaps, err := reports.AnnexAFile(nil, recs, "1", from, to, loc)
		if err != nil {
			t.Fatal(err)
		}
		rows := reports.AnnexA(recs, from, to, loc)
		lines, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil || len(lines) != len(rows)+1 {
			t.Fatalf("file: %v\n%s", err, body)
		}
		byID := map[domain.ContactID][]string{}
		for i, row := range rows {
			byID[row.ContactID] = lines[i+1]
		}
		return byID, gaps
	}
	cells, gaps := annex()
	if got := cells[c.ID]; got[1] != reports.CodesMissing || got[2] != reports.CodesMissing || got[6] != reports.CodesMissing {
		t.Errorf("forwarded contact's row %q: gender, ethnicity and source should read %q", got, reports.CodesMissing)
	}
	if got := cells[earlier.ID]; got[1] != "2" || got[2] != "WBRI" || got[6] != "2A" {
		t.Errorf("a contact with its codes: %q", got)
	}
	want := []reports.AnnexARow{{ContactID: c.ID, Reference: c.Reference, Status: domain.StatusForwarded}}
	if len(gaps) != 1 || gaps[0].ContactID != want[0].ContactID || gaps[0].Reference != want[0].Reference || gaps[0].Status != want[0].Status ||
		!slices.Equal(gaps[0].Missing, []string{"source", "gender", "ethnicity"}) {
		t.Fatalf("gaps %+v, want the forwarded contact missing source, gender, ethnicity", gaps)
	}
	list, err := reports.AnnexAGapsCSV(gaps)
	if wantCSV := "Reference,Status,Date of contact,Codes missing\n" + string(c.Reference) + ",forwarded,10/03/2027,source gender ethnicity\n"; err != nil || list != wantCSV {
		t.Errorf("gaps csv %q %v, want %q", list, err, wantCSV)
	}
	// the manager records them after the fact ("not known" is a valid choice), in the forwarded status
	if _, err := (actions.Service{Env: r.Env}).Census(ctx, c.ID, actions.Census{Source: "10", Gender: "0", Ethnicity: "NOBT", By: "manager"}); err != nil {
		t.Fatal(err)
	}
	cells, gaps = annex()
	if got := cells[c.ID]; got[1] != "0" || got[2] != "NOBT" || got[6] != "10" || len(gaps) != 0 {
		t.Errorf("after recording: row %q, gaps %+v", got, gaps)
	}
}
