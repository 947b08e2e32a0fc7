package api_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/census"
	"github.com/safeguarding/mash/shared/domain"
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

// Annex A List 1 through the API: CSV, one row per contact, every source a census code or empty, each listed
// contact audited as read.
func TestAnnexA_ThroughTheAPI(t *testing.T) {
	rg := newRig(t)
	id := rg.newReferral(referrer, canaryReferral())
	r := rg.must(http.StatusOK, manager, "GET", "/v1/reports/annex-a", nil)
	recs, err := csv.NewReader(bytes.NewReader(r.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) < 2 || !slices.Equal(recs[0], reports.AnnexAHeader) {
		t.Fatalf("csv: %s", r.body)
	}
	missing := 0
	for _, row := range recs[1:] {
		if row[6] != reports.CodesMissing && !census.Valid(census.SourceCodes, row[6]) { // still to be asked of the screener
			t.Errorf("source %q is not a census code: %v", row[6], row)
		}
		if slices.Contains([]string{row[1], row[2], row[6]}, reports.CodesMissing) {
			missing++
		}
	}
	// the contacts whose codes are missing: counted in a header, listed by reference with missing=true
	if got := r.header.Get("X-Census-Missing"); missing == 0 || got != strconv.Itoa(missing) {
		t.Errorf("X-Census-Missing %q, want %d", got, missing)
	}
	gaps, err := csv.NewReader(bytes.NewReader(rg.must(http.StatusOK, manager, "GET", "/v1/reports/annex-a?missing=true", nil).body)).ReadAll()
	if err != nil || len(gaps) != missing+1 || !slices.Equal(gaps[0], reports.AnnexAGapsHeader) {
		t.Fatalf("gaps: %v %q", err, gaps)
	}
	var c struct {
		Reference     string   `json:"reference"`
		Status        string   `json:"status"`
		CensusMissing []string `json:"censusMissing"`
	}
	if err := json.Unmarshal(rg.must(http.StatusOK, manager, "GET", "/v1/contacts/"+string(id), nil).body, &c); err != nil {
		t.Fatal(err)
	}
	if want := []string{c.Reference, c.Status, gaps[1][2], strings.Join(c.CensusMissing, " ")}; !slices.ContainsFunc(gaps[1:], func(g []string) bool { return slices.Equal(g, want) }) {
		t.Errorf("gaps %q do not list %q", gaps, want)
	}
	for _, q := range []string{"missing=maybe", "list=2&missing=true"} {
		if r := rg.call(manager, "GET", "/v1/reports/annex-a?"+q, nil); r.status != http.StatusBadRequest || !slices.Contains(r.errorFields(t), "missing") {
			t.Errorf("%s: %d %s", q, r.status, r.body)
		}
	}
	tl := rg.must(http.StatusOK, manager, "GET", "/v1/contacts/"+string(id)+"/timeline", nil)
	if !strings.Contains(string(tl.body), "annex-a") {
		t.Errorf("the Annex A read is not in the contact's audit: %s", tl.body)
	}
	if r := rg.call(manager, "GET", "/v1/reports/annex-a?from=2026-02-01&to=2026-01-01", nil); r.status != http.StatusBadRequest || !slices.Contains(r.errorFields(t), "from") {
		t.Errorf("from after to: %d %s", r.status, r.body)
	}
}

// A subject access export through the API: a zip for a known child, a 404 for an unknown one, bad input named.
func TestSubjectAccess_ThroughTheAPI(t *testing.T) {
	rg := newRig(t)
	rg.newReferral(referrer, canaryReferral())
	c := canaryReferral()
	children, _ := c["children"].([]any)
	var child map[string]any
	if len(children) > 0 {
		child, _ = children[0].(map[string]any)
	}
	if child == nil {
		t.Fatalf("the sample referral has no child: %v", c)
	}
	q := "/v1/sar?child=" + url.QueryEscape(child["givenName"].(string)+" "+child["familyName"].(string)) + "&dob=" + child["dateOfBirth"].(string)
	r := rg.must(http.StatusOK, manager, "GET", q, nil)
	zr, err := zip.NewReader(bytes.NewReader(r.body), int64(len(r.body)))
	if err != nil || len(zr.File) < 3 {
		t.Fatalf("zip: %v (%d files)", err, len(zr.File))
	}
	if r := rg.call(manager, "GET", "/v1/sar?child=Nobody+Here&dob=2015-05-05", nil); r.status != http.StatusNotFound {
		t.Errorf("no such child: %d", r.status)
	}
	if r := rg.call(manager, "GET", "/v1/sar?child=Nobody&dob=someday", nil); r.status != http.StatusBadRequest || !slices.Contains(r.errorFields(t), "dob") {
		t.Errorf("bad dob: %d %s", r.status, r.body)
	}
}

// Census codes a screener picks (issue #16): a code off its list is a 400 naming the field and listing the
// allowed codes, nothing recorded; a good one is recorded, audited, and comes first in Annex A.
func TestCensus_ScreenerRecordsCodesThroughTheAPI(t *testing.T) {
	rg := newRig(t)
	id := rg.newReferral(referrer, canaryReferral())
	r := rg.call(manager, "POST", "/v1/contacts/"+string(id)+"/census", map[string]any{"source": "2C", "ethnicity": "martian"})
	if r.status != http.StatusBadRequest || !slices.Contains(r.errorFields(t), "census.source") || !slices.Contains(r.errorFields(t), "census.ethnicity") ||
		!strings.Contains(string(r.body), "3A (Health services: GP)") {
		t.Fatalf("bad codes: %d %s", r.status, r.body)
	}
	if r := rg.call(manager, "POST", "/v1/contacts/"+string(id)+"/census", map[string]any{}); r.status != http.StatusBadRequest || !slices.Contains(r.errorFields(t), "census") {
		t.Errorf("no field: %d %s", r.status, r.body)
	}
	missing := func() []string {
		var c struct {
			CensusMissing []string `json:"censusMissing"`
		}
		if err := json.Unmarshal(rg.must(http.StatusOK, manager, "GET", "/v1/contacts/"+string(id), nil).body, &c); err != nil {
			t.Fatal(err)
		}
		return c.CensusMissing
	}
	// "Hillman Street Primary" does not say school for certain and the child's gender and ethnicity are not
	// given: all three are asked of the screener, none filled in as 10 / 0 / NOBT.
	if m := missing(); !slices.Equal(m, []string{"source", "gender", "ethnicity"}) {
		t.Errorf("censusMissing before the screener records: %v", m)
	}
	if recs, _ := csv.NewReader(bytes.NewReader(rg.must(http.StatusOK, manager, "GET", "/v1/reports/annex-a", nil).body)).ReadAll(); len(recs) != 2 ||
		recs[1][1] != reports.CodesMissing || recs[1][2] != reports.CodesMissing || recs[1][6] != reports.CodesMissing {
		t.Errorf("uncertain codes in Annex A before recording: %v", recs)
	}
	rg.must(http.StatusOK, manager, "POST", "/v1/contacts/"+string(id)+"/census", map[string]any{"source": "3D"})
	if m := missing(); !slices.Equal(m, []string{"gender", "ethnicity"}) {
		t.Errorf("censusMissing after the source: %v", m)
	}
	rg.must(http.StatusOK, manager, "POST", "/v1/contacts/"+string(id)+"/census", map[string]any{"gender": "2", "ethnicity": "BAFR"})
	if m := missing(); m != nil {
		t.Errorf("censusMissing after all three: %v", m)
	}
	csvBody := rg.must(http.StatusOK, manager, "GET", "/v1/reports/annex-a", nil).body
	recs, err := csv.NewReader(bytes.NewReader(csvBody)).ReadAll()
	if err != nil || len(recs) != 2 {
		t.Fatalf("csv %v: %s", err, csvBody)
	}
	if row := recs[1]; row[1] != "2" || row[2] != "BAFR" || row[6] != "3D" {
		t.Errorf("the recorded codes are not in Annex A: %v", row)
	}
	tl := rg.must(http.StatusOK, manager, "GET", "/v1/contacts/"+string(id)+"/timeline", nil)
	if !strings.Contains(string(tl.body), "census.set") {
		t.Errorf("census.set is not in the contact's audit: %s", tl.body)
	}
}

// Annex A List 2 (early help) through the API, on Portsmouth: one row per early help decision made through
// the API, every cell from what the product holds (the census codes the screener recorded, the date of birth,
// the decision's date, the policy's organisation); a Section 17 decision is not listed; the listed contact is
// audited as read; a bad list is a 400 naming list with the allowed values, alongside any other bad parameter.
func TestAnnexA_List2_ThroughTheAPI(t *testing.T) {
	rg := newRig(t).as(portsmouth)
	decide := func(given, dob, outcome string) domain.ContactID {
		id := rg.newReferral(referrer, referral(given, dob, given+" is often late to school and the family are in rent arrears."))
		base := "/v1/contacts/" + string(id)
		rg.must(http.StatusOK, worker, "POST", base+"/census", map[string]any{"source": "2A", "gender": "2", "ethnicity": "WBRI"})
		rg.must(http.StatusOK, manager, "POST", base+"/rating", map[string]any{"value": "green", "rationale": "early help", "noChecks": true})
		body := map[string]any{"outcome": outcome, "rationale": "help with a lead professional"}
		if outcome != "s17-assessment" {
			body["supportingFamilies"] = []string{}
		}
		rg.must(http.StatusOK, manager, "POST", base+"/decision", body)
		return id
	}
	cara := decide("Cara", "2016-01-01", "early-help-tier2")
	decide("Dan", "2015-06-01", "s17-assessment")
	r := rg.must(http.StatusOK, manager, "GET", "/v1/reports/annex-a?list=2", nil)
	recs, err := csv.NewReader(bytes.NewReader(r.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	list1, err := csv.NewReader(bytes.NewReader(rg.must(http.StatusOK, manager, "GET", "/v1/reports/annex-a", nil).body)).ReadAll()
	if err != nil || len(list1) != 3 {
		t.Fatalf("list 1: %v %v", list1, err)
	}
	var caraID string // the child's id as List 1 gives it for Cara's contact (born 01/01/2016)
	for _, row := range list1[1:] {
		if row[3] == "01/01/2016" {
			caraID = row[0]
		}
	}
	want := [][]string{
		{"Child unique ID", "Gender", "Ethnicity", "Date of birth", "Age of child (years)", "Assessment start date", "Assessment completion date", "Organisation completing assessment"},
		{caraID, "2", "WBRI", "01/01/2016", "11", "10/03/2027", "", "MASH Early Help Team (tier 2 coordinators)"},
	}
	if caraID == "" || !slices.EqualFunc(want, recs, slices.Equal) {
		t.Errorf("list 2:\n got %q\nwant %q", recs, want)
	}
	tl := rg.must(http.StatusOK, manager, "GET", "/v1/contacts/"+string(cara)+"/timeline", nil)
	if !strings.Contains(string(tl.body), "annex-a list 2") {
		t.Errorf("the List 2 read is not in the contact's audit: %s", tl.body)
	}
	for q, fields := range map[string][]string{
		"list=3":                               {"list"},
		"list=two":                             {"list"},
		"list=3&from=2027-03-02&to=2027-03-01": {"from", "list"},
	} {
		r := rg.call(manager, "GET", "/v1/reports/annex-a?"+q, nil)
		if r.status != http.StatusBadRequest || !slices.Equal(r.errorFields(t), fields) || !strings.Contains(string(r.body), "1, 2") {
			t.Errorf("%s: %d %s, want a 400 naming %v with the allowed lists", q, r.status, r.body, fields)
		}
	}
}
