package reports_test

import (
	"context"
	"errors"
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

// history builds a known Portsmouth history on the fake clock through the real lifecycle and store:
// screening.csc 24 hours, checks.red 4 hours, checks.amber 24 hours (infra/authorities/portsmouth.yaml).
//
//	t0     A, B, C received, routed to the MASH and screened (screening due t0+24h)
//	t0+2h  A rated Red (checks.red due t0+6h)            → A screening met, took 2h
//	t0+7h  A decided                                      → A checks.red missed by 1h, took 5h
//	t0+30h B rated Amber (checks.amber due t0+54h)        → B screening missed by 6h, took 30h
//	t0+30h D received, routed, screened (due t0+54h)
//	now = t0+40h: C never rated → missed, 16h late; D screening open; B checks.amber open
func history(t *testing.T) (*policy.Policy, *steptest.Rig, time.Time, map[string]*domain.Contact) {
	t0 := steptest.London(t, "2026-11-16 10:00")
	r := steptest.New(t, t0)
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
	arrive := func(ref string) *domain.Contact {
		c := r.Contact("portsmouth", func(c *domain.Contact) { c.Reference = domain.Reference(ref) })
		apply(c, func(c *domain.Contact) (lifecycle.Result, error) {
			return lifecycle.Route(p, c, r.Clock.Now(), domain.RouteMASH, "test")
		})
		apply(c, func(c *domain.Contact) (lifecycle.Result, error) {
			res, _, err := lifecycle.Screen(p, c, r.Clock.Now(), "test")
			return res, err
		})
		return c
	}
	rate := func(c *domain.Contact, v domain.Rating) {
		apply(c, func(c *domain.Contact) (lifecycle.Result, error) {
			res, _, err := lifecycle.Rate(p, c, r.Clock.Now(), lifecycle.Rating{Value: v, Rationale: "seen", By: "mgr"}, nil)
			return res, err
		})
	}
	cs := map[string]*domain.Contact{}
	cs["A"], cs["B"], cs["C"] = arrive("POR-2026-000001"), arrive("POR-2026-000002"), arrive("POR-2026-000003")
	r.Clock.Advance(2 * time.Hour)
	rate(cs["A"], domain.RatingRed)
	r.Clock.Advance(5 * time.Hour)
	r.Census(cs["A"].ID)
	apply(cs["A"], func(c *domain.Contact) (lifecycle.Result, error) {
		return lifecycle.Decide(p, c, r.Clock.Now(), lifecycle.Decision{Code: domain.OutcomeNFA, Term: "No further action", Rationale: "safe", By: "mgr"})
	})
	r.Clock.Advance(23 * time.Hour)
	rate(cs["B"], domain.RatingAmber)
	cs["D"] = arrive("POR-2026-000004")
	r.Clock.Advance(10 * time.Hour)
	return p, r, t0, cs
}

func TestTimeliness_KnownHistory_EveryFigure(t *testing.T) {
	p, r, t0, _ := history(t)
	recs, err := reports.Load(context.Background(), r.Store, "portsmouth")
	if err != nil {
		t.Fatal(err)
	}
	now := r.Clock.Now()
	q, err := reports.ParseQuery(p, "2026-11-15", "2026-11-20", "", "day", now)
	if err != nil {
		t.Fatal(err)
	}
	rep := reports.Timeliness(p, recs, q, now)
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour).UTC() }
	ptr := func(t time.Time) *time.Time { return &t }
	want := map[string]reports.Row{
		"screening.csc": {Rule: "screening.csc", Met: 1, Missed: 2, Open: 1, Median: "2h0m", P90: "30h0m", MedianMins: 120, P90Mins: 1800,
			Worst: []reports.Case{{Reference: "POR-2026-000003", Due: at(24), Late: "16h0m"},
				{Reference: "POR-2026-000002", Due: at(24), Done: ptr(at(30)), Late: "6h0m"}}},
		"checks.red":   {Rule: "checks.red", Missed: 1, Median: "5h0m", P90: "5h0m", MedianMins: 300, P90Mins: 300, Worst: []reports.Case{{Reference: "POR-2026-000001", Due: at(6), Done: ptr(at(7)), Late: "1h0m"}}},
		"checks.amber": {Rule: "checks.amber", Open: 1, Median: "0m", P90: "0m", Worst: []reports.Case{}},
	}
	var rules []string
	for _, row := range rep.Rows {
		rules = append(rules, row.Rule)
		w, ok := want[row.Rule]
		if !ok {
			w = reports.Row{Rule: row.Rule, Median: "0m", P90: "0m", Worst: []reports.Case{}}
		}
		if d := cmp.Diff(w, row); d != "" {
			t.Errorf("%s (-want +got):\n%s", row.Rule, d)
		}
	}
	if d := cmp.Diff(reports.Rules(p), rules); d != "" {
		t.Errorf("one row per reported rule of the policy (-want +got):\n%s", d)
	}
	wantSeries := []reports.Point{
		{Period: "2026-11-16", Rule: "checks.red", Missed: 1},
		{Period: "2026-11-17", Rule: "checks.amber", Open: 1},
		{Period: "2026-11-16", Rule: "screening.csc", Met: 1, Missed: 2},
		{Period: "2026-11-17", Rule: "screening.csc", Open: 1},
	}
	if d := cmp.Diff(wantSeries, rep.Series); d != "" {
		t.Errorf("series by day (-want +got):\n%s", d)
	}
	// Weeks start on Monday: the whole history is the week of 16 November.
	q.By = "week"
	for _, pt := range reports.Timeliness(p, recs, q, now).Series {
		if pt.Period != "2026-11-16" {
			t.Errorf("week bucket %s, want 2026-11-16", pt.Period)
		}
	}
	// A period ending before the clocks start counts none of them.
	q, _ = reports.ParseQuery(p, "2026-11-01", "2026-11-15", "", "", now)
	for _, row := range reports.Timeliness(p, recs, q, now).Rows {
		if row.Met+row.Missed+row.Open != 0 {
			t.Errorf("%s counted outside the period: %+v", row.Rule, row)
		}
	}
	if csv := rep.CSV(); !strings.Contains(csv, "screening.csc,1,2,1,120,1800,POR-2026-000003 POR-2026-000002\n") {
		t.Errorf("csv:\n%s", csv)
	}
}

func TestTimeliness_BadInput_NamesTheParameter(t *testing.T) {
	p, err := policy.Load("portsmouth")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, from, to, rule, by string
		field, says              string
	}{
		{"from after to", "2026-11-20", "2026-11-10", "", "", "from", "is after to"},
		{"over two years", "2023-01-01", "2026-11-10", "", "", "to", "over 2 years"},
		{"unknown rule", "", "", "checks.purple", "", "rule", "screening.csc"},
		{"not reported rule", "", "", "escalation.repeat", "", "rule", "is not a reported rule"},
		{"rule of another authority", "", "", "pco-review", "", "rule", "is not a reported rule"},
		{"bad date", "yesterday", "", "", "", "from", "YYYY-MM-DD"},
		{"bad bucket", "", "", "", "month", "by", "day, week"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := reports.ParseQuery(p, tc.from, tc.to, tc.rule, tc.by, now)
			var de *domain.Error
			if !errorsAs(err, &de) || de.Code != domain.CodeInvalid {
				t.Fatalf("got %v, want an invalid-input error", err)
			}
			if len(de.Fields) != 1 || de.Fields[0].Field != tc.field || !strings.Contains(de.Fields[0].Message, tc.says) {
				t.Errorf("fields %+v, want %s saying %q", de.Fields, tc.field, tc.says)
			}
		})
	}
}

func errorsAs(err error, target **domain.Error) bool { return errors.As(err, target) }

// A report's dates are the authority's local days (Europe/London: GMT in winter, BST in summer), as the
// Annex A "Date of contact" column is: a contact at 00:30 BST on 1 April is in April's return, not March's.
func TestReports_PeriodDates_AreTheAuthoritysLocalDays(t *testing.T) {
	p, err := policy.Load("bexley")
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v.UTC()
	}
	for _, tc := range []struct {
		name, from, to, now string
		wantFrom, wantTo    string
	}{
		{"summer: BST days", "2027-04-01", "2027-04-30", "2027-05-10T12:00:00Z", "2027-03-31T23:00:00Z", "2027-04-30T23:00:00Z"},
		{"winter: GMT days", "2026-12-01", "2026-12-31", "2027-01-10T12:00:00Z", "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z"},
		{"across the clocks going forward", "2027-03-01", "2027-03-31", "2027-04-10T12:00:00Z", "2027-03-01T00:00:00Z", "2027-03-31T23:00:00Z"},
		{"an RFC 3339 instant is taken as given", "2027-04-01T00:00:00Z", "2027-04-02T00:00:00Z", "2027-05-10T12:00:00Z", "2027-04-01T00:00:00Z", "2027-04-02T00:00:00Z"},
		// 00:30 BST on 2 July is 23:30 UTC on 1 July: "today" is 2 July, so the default period ends at midnight BST.
		{"default to: today, local", "", "", "2027-07-01T23:30:00Z", "2027-06-02T23:00:00Z", "2027-07-02T23:00:00Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q, err := reports.ParseQuery(p, tc.from, tc.to, "", "", at(tc.now))
			if err != nil {
				t.Fatal(err)
			}
			if !q.From.Equal(at(tc.wantFrom)) || !q.To.Equal(at(tc.wantTo)) {
				t.Errorf("period %s to %s, want %s to %s", q.From.UTC().Format(time.RFC3339), q.To.UTC().Format(time.RFC3339), tc.wantFrom, tc.wantTo)
			}
		})
	}
}
