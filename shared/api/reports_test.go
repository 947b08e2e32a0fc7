package api_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/reports"
)

// The timeliness report through the API: one row per reported rule, every deadline the contacts carry
// counted once, bad parameters named, managers only.
func TestTimeliness_ThroughTheAPI(t *testing.T) {
	rg := newRig(t)
	id := rg.newReferral(referrer, canaryReferral())
	c := rg.must(http.StatusOK, manager, "GET", "/v1/contacts/"+string(id), nil).json(t)
	deadlines, _ := c["deadlines"].(map[string]any)
	want := 0
	for rule := range deadlines {
		if reports.DoneBy[rule] != "" {
			want++
		}
	}
	r := rg.must(http.StatusOK, manager, "GET", "/v1/reports/timeliness?from=2000-01-01&to=2001-12-31", nil)
	if rows := r.json(t)["rows"].([]any); len(rows) == 0 {
		t.Fatalf("no rows: %s", r.body)
	}
	r = rg.must(http.StatusOK, manager, "GET", "/v1/reports/timeliness?by=week", nil)
	p, err := policy.Load(string(hackney))
	if err != nil {
		t.Fatal(err)
	}
	var rules []string
	got := 0
	for _, row := range r.json(t)["rows"].([]any) {
		m := row.(map[string]any)
		rules = append(rules, m["rule"].(string))
		got += int(m["met"].(float64) + m["missed"].(float64) + m["open"].(float64))
	}
	if !slices.Equal(rules, reports.Rules(p)) {
		t.Errorf("rows %v, want %v", rules, reports.Rules(p))
	}
	if got != want || want == 0 {
		t.Errorf("%d deadlines counted, the contact carries %d reportable ones (%v)", got, want, deadlines)
	}
	for q, field := range map[string]string{
		"from=2026-02-01&to=2026-01-01": "from",
		"from=2020-01-01&to=2026-01-01": "to",
		"rule=checks.purple":            "rule",
		"by=month":                      "by",
	} {
		r := rg.call(manager, "GET", "/v1/reports/timeliness?"+q, nil)
		if r.status != http.StatusBadRequest || !slices.Contains(r.errorFields(t), field) {
			t.Errorf("%s: %d %s, want a 400 naming %s", q, r.status, r.body, field)
		}
	}
	if r := rg.call(worker, "GET", "/v1/reports/timeliness", nil); r.status != http.StatusForbidden {
		t.Errorf("worker: %d", r.status)
	}
}
