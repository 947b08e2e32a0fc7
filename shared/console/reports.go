package console

import (
	"net/http"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/reports"
)

// The /reports page: the timeliness report (shared/reports, the same figures as GET
// /v1/reports/timeliness) as a server-rendered SVG bar chart — met, missed and open per deadline rule —
// and a table, for managers. No script: the chart is plain SVG in the page. Below it, the period's Annex A
// List 1 contacts whose census codes are missing, each linked to the contact page that completes them.

const (
	chartLabelW = 190 // px for the rule names
	chartBarW   = 420 // px for the longest bar
	chartRowH   = 28
)

type reportBar struct {
	reports.Row
	Label                  policy.RuleLabel // the rule in words, for the table
	Y, TextY               int
	MetW, MissedX, MissedW int
	OpenX, OpenW, CountX   int
	Total                  int
	Worst                  string
}

type reportsView struct {
	From, To      string
	Rows          []reportBar
	Width, Height int
	BarX          int
	Any           bool
	// Figures are the dashboard's figures over the trailing day (reports.LocalFigures), grouped by metric.
	Figures []figureGroup
	Since   string
	// CensusGaps are the period's Annex A List 1 contacts whose census codes are missing (reports.AnnexAGaps):
	// each links to its contact page, whose census form completes it.
	CensusGaps []reports.AnnexARow
}

// figureGroup is one metric of the dashboard with its values by dimension.
type figureGroup struct {
	Title, Dim string
	Values     []reports.Figure
}

// figureTitles names each metric on the page, in the dashboard's order.
var figureTitles = []struct{ name, title string }{
	{reports.MetricContactsReceived, "Contacts received by channel"},
	{reports.MetricDeadlinesMet, "Deadlines met by rule"},
	{reports.MetricDeadlinesMissed, "Deadlines missed by rule"},
	{reports.MetricOverdueItems, "Overdue now by tray"},
	{reports.MetricQuarantined, "Emails quarantined"},
	{reports.MetricUndeliverable, "Messages undeliverable"},
	{reports.MetricEscalations, "Escalations"},
	{reports.MetricDecisions, "Decisions by outcome"},
}

func groupFigures(fs []reports.Figure) []figureGroup {
	var out []figureGroup
	for _, ft := range figureTitles {
		g := figureGroup{Title: ft.title}
		for _, f := range fs {
			if f.Name == ft.name {
				g.Dim = f.Dim
				g.Values = append(g.Values, f)
			}
		}
		out = append(out, g)
	}
	return out
}

func (s *Server) reportsPage(w http.ResponseWriter, r *http.Request) error {
	now := s.Now()
	qs := r.URL.Query()
	q, err := reports.ParseQuery(s.Policy, qs.Get("from"), qs.Get("to"), "", "", now)
	if err != nil {
		return err
	}
	recs, err := reports.Load(r.Context(), s.Store, s.Authority)
	if err != nil {
		return err
	}
	rep := reports.Timeliness(s.Policy, recs, q, now)
	loc, err := time.LoadLocation(s.Policy.Timezone)
	if err != nil {
		return err
	}
	held, err := s.Store.ListQuarantine(r.Context(), s.Authority)
	if err != nil {
		return err
	}
	most := 1
	for _, row := range rep.Rows {
		most = max(most, row.Met+row.Missed+row.Open)
	}
	scale := func(n int) int { return n * chartBarW / most }
	// The period's dates are the authority's local days (reports.ParseQuery), shown as given.
	v := reportsView{From: q.From.In(loc).Format(time.DateOnly), To: q.To.Add(-time.Nanosecond).In(loc).Format(time.DateOnly),
		Width: chartLabelW + chartBarW + 60, Height: len(rep.Rows)*chartRowH + 8, BarX: chartLabelW,
		Figures: groupFigures(reports.LocalFigures(s.Policy, recs, held, now, reports.Window)),
		Since:   s.when(now.Add(-reports.Window)), CensusGaps: reports.AnnexAGaps(reports.AnnexA(recs, q.From, q.To, loc))}
	for i, row := range rep.Rows {
		b := reportBar{Row: row, Label: s.Policy.RuleLabel(row.Rule), Y: 4 + i*chartRowH, TextY: 4 + i*chartRowH + 17, Total: row.Met + row.Missed + row.Open}
		b.MetW, b.MissedW, b.OpenW = scale(row.Met), scale(row.Missed), scale(row.Open)
		b.MissedX = chartLabelW + b.MetW
		b.OpenX = b.MissedX + b.MissedW
		b.CountX = b.OpenX + b.OpenW + 6
		refs := make([]string, len(row.Worst))
		for j, c := range row.Worst {
			refs[j] = string(c.Reference) + " (" + c.Late + " late)"
		}
		b.Worst = strings.Join(refs, ", ")
		v.Any = v.Any || b.Total > 0
		v.Rows = append(v.Rows, b)
	}
	return s.render(w, r, http.StatusOK, "reports", view{Title: "Timeliness", Data: v})
}
