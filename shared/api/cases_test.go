package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

// POST /v1/cases is for managers and integrations; a bad row is named by row and field while the good rows
// load; a referral for the child with an open case is then forwarded to the allocated worker at once
// (Hackney §4 B).
func TestCases_ImportThenOpenCaseForwarded(t *testing.T) {
	rg := newRig(t)
	csv := "caseId,givenName,familyName,dateOfBirth,status,unit,allocatedWorker,workerEmail\n" +
		"LCS-1,Zebedee,Canarybird,07/04/2020,open,Unit 3,Sam Worker,sam.worker@hackney.gov.uk\n" +
		"LCS-2,Ada,Lovelace,2016-02-30,open,Unit 3,Sam Worker,\n"
	if r := rg.call(worker, "POST", "/v1/cases", csv, "Content-Type", "text/csv"); r.status != http.StatusForbidden {
		t.Errorf("worker import: %d", r.status)
	}
	r := rg.must(http.StatusOK, manager, "POST", "/v1/cases", csv, "Content-Type", "text/csv")
	body := r.json(t)
	rej, _ := body["rejected"].([]any)
	if body["loaded"].(float64) != 1 || len(rej) != 1 || rej[0].(map[string]any)["row"].(float64) != 2 || rej[0].(map[string]any)["field"] != "dateOfBirth" {
		t.Fatalf("import answered %s", r.body)
	}
	r = rg.call(manager, "POST", "/v1/cases", `[{"givenName":"A","familyName":"B","dateOfBirth":"2015-01-01","status":"shut"}]`)
	if r.status != http.StatusBadRequest || !slices.Contains(r.errorFields(t), "row 1.status") || !strings.Contains(string(r.body), "open, closed") {
		t.Errorf("all rows bad: %d %s", r.status, r.body)
	}

	id := rg.newReferral(referrer, canaryReferral())
	c := rg.must(http.StatusOK, worker, "GET", "/v1/contacts/"+string(id), nil).json(t)
	out, _ := c["outcome"].(map[string]any)
	if c["status"] != string(domain.StatusForwarded) || out["to"] != "sam.worker@hackney.gov.uk" {
		t.Fatalf("contact %v, want forwarded to the allocated worker", c)
	}
}

// Person matching through the API: "Jayden Smyth" born on Jaden Smith's date of birth is offered Jaden's
// open case as a scored candidate and stays on the rating tray; the screener confirms it (audited); an
// unknown candidate is a 404.
func TestCases_FuzzyCandidateConfirmedByScreener(t *testing.T) {
	rg := newRig(t)
	rg.must(http.StatusOK, manager, "POST", "/v1/cases",
		`[{"caseId":"M-9","givenName":"Jaden","familyName":"Smith","dateOfBirth":"2016-07-01","status":"open","workerEmail":"w@hackney.gov.uk"}]`)
	body := canaryReferral()
	body["children"] = []any{map[string]any{"givenName": "Jayden", "familyName": "Smyth", "dateOfBirth": "01/07/2016"}}
	id := rg.newReferral(referrer, body)
	c := rg.must(http.StatusOK, worker, "GET", "/v1/contacts/"+string(id), nil).json(t)
	cands, _ := c["matchCandidates"].([]any)
	if c["status"] == string(domain.StatusForwarded) || len(cands) != 1 || cands[0].(map[string]any)["id"] != "M-9" {
		t.Fatalf("contact %v, want one candidate M-9 and not forwarded", c)
	}
	if r := rg.call(worker, "POST", "/v1/contacts/"+string(id)+"/match", map[string]any{"candidate": "M-1", "decision": "confirm"}); r.status != http.StatusNotFound {
		t.Errorf("unknown candidate: %d %s", r.status, r.body)
	}
	if r := rg.call(worker, "POST", "/v1/contacts/"+string(id)+"/match", map[string]any{"candidate": "M-9", "decision": "maybe"}); r.status != http.StatusBadRequest {
		t.Errorf("bad decision: %d %s", r.status, r.body)
	}
	r := rg.must(http.StatusOK, worker, "POST", "/v1/contacts/"+string(id)+"/match", map[string]any{"candidate": "M-9", "decision": "confirm"})
	if got := r.json(t)["matchCandidates"].([]any)[0].(map[string]any); got["decision"] != "confirmed" || got["decidedBy"] == "" {
		t.Errorf("after confirming: %v", got)
	}
	evs, err := rg.suite.Store.ListAudit(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(evs, func(e store.AuditEvent) bool { return e.Action == "match.confirmed" && e.Detail["candidate"] == "M-9" }) {
		t.Errorf("no match.confirmed event in the audit trail")
	}
}

// Hackney §4(5–6): a request for information is not screened as a referral: it waits on the
// information-request tray, due in 10 working days, off the rating tray; POST .../respond answers it, once.
func TestHackney_4_InformationRequest_TrayAndRespond(t *testing.T) {
	rg := newRig(t)
	body := canaryReferral()
	body["flags"] = map[string]any{"informationRequest": true}
	id := rg.newReferral(referrer, body)
	c := rg.must(http.StatusOK, worker, "GET", "/v1/contacts/"+string(id), nil).json(t)
	if c["status"] != string(domain.StatusInformationRequest) || c["deadlines"].(map[string]any)["info-request"] != london(t, "2027-03-24 10:00").UTC().Format("2006-01-02T15:04:05Z07:00") {
		t.Fatalf("contact status %v deadlines %v, want information-request due 2027-03-24 10:00", c["status"], c["deadlines"])
	}
	onTray := func(tray string) bool {
		items, _ := rg.must(http.StatusOK, worker, "GET", "/v1/trays/"+tray, nil).json(t)["items"].([]any)
		for _, it := range items {
			if it.(map[string]any)["contactId"] == string(id) {
				return true
			}
		}
		return false
	}
	if onTray("rating") || !onTray("information-request") {
		t.Errorf("on the rating tray %v, on the information-request tray %v; want only the latter", onTray("rating"), onTray("information-request"))
	}
	if r := rg.call(worker, "POST", "/v1/contacts/"+string(id)+"/respond", map[string]any{"summary": ""}); r.status != http.StatusBadRequest {
		t.Errorf("empty summary: %d %s", r.status, r.body)
	}
	// a request for information is a contact of Annex A List 1: its answer waits for the census codes (issue #16)
	if r := rg.call(worker, "POST", "/v1/contacts/"+string(id)+"/respond", map[string]any{"summary": "school attendance shared with the health visitor"}); r.status != http.StatusConflict ||
		!strings.Contains(string(r.body), "census.gender") || !strings.Contains(string(r.body), "census.ethnicity") {
		t.Errorf("answer with the child's census codes missing: %d %s, want a 409 naming census.gender and census.ethnicity", r.status, r.body)
	}
	rg.census(id)
	r := rg.must(http.StatusOK, worker, "POST", "/v1/contacts/"+string(id)+"/respond", map[string]any{"summary": "school attendance shared with the health visitor"})
	if got := r.json(t); got["status"] != string(domain.StatusDecided) || got["outcome"].(map[string]any)["code"] != string(domain.OutcomeInformationRequest) {
		t.Errorf("respond answered %s", r.body)
	}
	if onTray("information-request") {
		t.Errorf("still on the information-request tray after the answer")
	}
	if r := rg.call(worker, "POST", "/v1/contacts/"+string(id)+"/respond", map[string]any{"summary": "again"}); r.status != http.StatusConflict {
		t.Errorf("second answer: %d %s", r.status, r.body)
	}
}

// A confirmed person match acts exactly as an exact match would (Hackney §4 B: an open case goes to the
// allocated worker; a case closed within the past 3 months back to that unit): the contact is forwarded with
// its notice wherever it waited — for its rating, its checks or its decision — and the workflow ends at
// Notify. A case closed longer ago is recorded as confirmed and acts on nothing.
func TestHackney_4B_ConfirmedFuzzyMatch_ActsAsAnExactMatch(t *testing.T) {
	for _, tc := range []struct {
		name     string
		record   string
		before   func(rg *rig, id domain.ContactID) // moves the contact on before the screener confirms
		wantCode domain.OutcomeCode
		wantTo   string
	}{
		{name: "open case, awaiting rating", record: `"status":"open","allocatedWorker":"Sam Worker","workerEmail":"sam.worker@hackney.gov.uk"`,
			wantCode: domain.OutcomeForwardAllocated, wantTo: "sam.worker@hackney.gov.uk"},
		{name: "closed 40 days ago, awaiting rating", record: `"status":"closed","closedOn":"2027-01-29","unit":"Unit 7"`,
			wantCode: domain.OutcomeThreeMonthRule, wantTo: "Unit 7"},
		{name: "closed five months ago: recorded, not forwarded", record: `"status":"closed","closedOn":"2026-10-01","unit":"Unit 7"`},
		{name: "open case, in checks", record: `"status":"open","allocatedWorker":"Sam Worker","workerEmail":"sam.worker@hackney.gov.uk"`,
			before: func(rg *rig, id domain.ContactID) {
				rg.must(http.StatusOK, manager, "POST", "/v1/contacts/"+string(id)+"/rating", map[string]any{"value": "amber", "rationale": "bruising"})
			},
			wantCode: domain.OutcomeForwardAllocated, wantTo: "sam.worker@hackney.gov.uk"},
		{name: "open case, awaiting the decision", record: `"status":"open","allocatedWorker":"Sam Worker","workerEmail":"sam.worker@hackney.gov.uk"`,
			before: func(rg *rig, id domain.ContactID) {
				rg.must(http.StatusOK, manager, "POST", "/v1/contacts/"+string(id)+"/rating", map[string]any{"value": "green", "rationale": "known", "noChecks": true})
			},
			wantCode: domain.OutcomeForwardAllocated, wantTo: "sam.worker@hackney.gov.uk"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rg := newRig(t)
			rg.must(http.StatusOK, manager, "POST", "/v1/cases", `[{"caseId":"M-9","givenName":"Jaden","familyName":"Smith","dateOfBirth":"2016-07-01",`+tc.record+`}]`)
			body := canaryReferral()
			body["children"] = []any{map[string]any{"givenName": "Jayden", "familyName": "Smyth", "dateOfBirth": "01/07/2016"}}
			id := rg.newReferral(referrer, body)
			if tc.before != nil {
				tc.before(rg, id)
			}
			r := rg.must(http.StatusOK, worker, "POST", "/v1/contacts/"+string(id)+"/match", map[string]any{"candidate": "M-9", "decision": "confirm"})
			c := rg.must(http.StatusOK, worker, "GET", "/v1/contacts/"+string(id), nil).json(t)
			ns, err := rg.suite.Store.ListNotifications(t.Context(), id)
			if err != nil {
				t.Fatal(err)
			}
			forwarded := slices.ContainsFunc(ns, func(n store.Notification) bool { return n.Kind == string(domain.NoticeForwarded) })
			if tc.wantCode == "" {
				if c["status"] == string(domain.StatusForwarded) || forwarded {
					t.Fatalf("closed long ago: status %v, forwarded notice %v; want neither", c["status"], forwarded)
				}
				return
			}
			out, _ := c["outcome"].(map[string]any)
			if c["status"] != string(domain.StatusForwarded) || out["code"] != string(tc.wantCode) || out["to"] != tc.wantTo {
				t.Fatalf("after confirming: %s\ncontact status %v outcome %v; want forwarded %s to %s", r.body, c["status"], out, tc.wantCode, tc.wantTo)
			}
			i := slices.IndexFunc(ns, func(n store.Notification) bool { return n.Kind == string(domain.NoticeForwarded) })
			if i < 0 || (strings.Contains(tc.wantTo, "@") && !slices.Contains(ns[i].To, tc.wantTo)) || strings.Contains(ns[i].Subject, "Jayden") {
				t.Errorf("forwarded notice %+v", ns)
			}
			path, status := rg.suite.Path(id)
			if status != "SUCCEEDED" || !slices.Contains(path, "Notify") {
				t.Errorf("execution %s through %v, want it ended at Notify", status, path)
			}
			for _, tray := range []string{"rating", "checks", "decision"} {
				if strings.Contains(string(rg.must(http.StatusOK, worker, "GET", "/v1/trays/"+tray, nil).body), string(id)) {
					t.Errorf("still on the %s tray", tray)
				}
			}
			evs, _ := rg.suite.Store.ListAudit(t.Context(), id)
			if !slices.ContainsFunc(evs, func(e store.AuditEvent) bool { return e.Action == "match.confirmed" }) ||
				!slices.ContainsFunc(evs, func(e store.AuditEvent) bool { return e.Action == "match.forwarded" && e.Detail["candidate"] == "M-9" }) {
				t.Errorf("audit trail lacks match.confirmed / match.forwarded")
			}
			if r := rg.call(worker, "POST", "/v1/contacts/"+string(id)+"/match", map[string]any{"candidate": "M-9", "decision": "confirm"}); r.status != http.StatusConflict {
				t.Errorf("confirming again after the forward: %d %s", r.status, r.body)
			}
			// The forward ends the screening and checks clocks in the timeliness report (match.forwarded).
			rows, _ := rg.must(http.StatusOK, manager, "GET", "/v1/reports/timeliness", nil).json(t)["rows"].([]any)
			for _, row := range rows {
				row := row.(map[string]any)
				if rule := row["rule"].(string); (rule == "screening.csc" || strings.HasPrefix(rule, "checks.")) && row["open"] != 0.0 {
					t.Errorf("timeliness %s: %v open after the forward", rule, row["open"])
				}
			}
		})
	}
}
