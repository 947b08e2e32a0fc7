package api_test

import (
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/domain"
)

// errorMessage returns the message of an error body's named field, or error.message when field is "".
func errorMessage(t *testing.T, r resp, field string) string {
	t.Helper()
	var e struct {
		Error struct {
			Message string              `json:"message"`
			Fields  []domain.FieldError `json:"fields"`
		} `json:"error"`
	}
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("error body is not JSON: %s", r.body)
	}
	if field == "" {
		return e.Error.Message
	}
	for _, f := range e.Error.Fields {
		if f.Field == field {
			return f.Message
		}
	}
	t.Fatalf("no error on field %q: %s", field, r.body)
	return ""
}

// People quote references: GET /v1/contacts/{reference} is the contact GET /v1/contacts/{id} is, and every
// route under it takes the reference too. Another authority's reference is not found here.
func TestReferences_ContactByReference(t *testing.T) {
	rg := newRig(t)
	id := rg.newReferral(referrer, canaryReferral())
	byID := rg.must(http.StatusOK, manager, "GET", "/v1/contacts/"+string(id), nil)
	ref := byID.json(t)["reference"].(string)
	if ref == "" {
		t.Fatal("no reference")
	}
	for _, key := range []string{ref, strings.ToLower(ref)} {
		byRef := rg.must(http.StatusOK, manager, "GET", "/v1/contacts/"+key, nil)
		if byRef.json(t)["id"] != string(id) {
			t.Fatalf("GET by %s: %s", key, byRef.body)
		}
	}
	rg.must(http.StatusOK, manager, "POST", "/v1/contacts/"+ref+"/claim", map[string]any{"tray": "rating"})
	rg.must(http.StatusOK, manager, "GET", "/v1/contacts/"+ref+"/timeline", nil)
	rg.must(http.StatusNotFound, manager, "GET", "/v1/contacts/HAC-2027-999999", nil)
	if r := rg.do(rg.suite.API(bexley, headerAuthFor(bexley)), manager, "GET", "/v1/contacts/"+ref, nil); r.status != http.StatusNotFound {
		t.Fatalf("Hackney's reference at Bexley: %d", r.status)
	}
	bad := rg.must(http.StatusBadRequest, manager, "GET", "/v1/contacts/nonsense", nil)
	if msg := errorMessage(t, bad, "id"); !strings.Contains(msg, "reference") {
		t.Fatalf("a bad id does not say a reference is accepted: %q", msg)
	}
}

// Every enum error lists the allowed values; an unknown tray is a 404 naming the trays.
func TestErrors_ListTheAllowedValues(t *testing.T) {
	rg := newRig(t)
	id := rg.newReferral(referrer, canaryReferral())
	base := "/v1/contacts/" + string(id)
	pol := rg.suite.Policies[hackney]

	r := rg.must(http.StatusBadRequest, manager, "GET", "/v1/contacts?status=lost", nil)
	if msg := errorMessage(t, r, "status"); !strings.Contains(msg, domain.Join(domain.Statuses)) {
		t.Errorf("unknown status: %q does not list the statuses", msg)
	}

	r = rg.must(http.StatusNotFound, manager, "GET", "/v1/trays/nope", nil)
	if msg := errorMessage(t, r, ""); !strings.Contains(msg, strings.Join(api.Trays, ", ")) {
		t.Errorf("unknown tray: %q does not name the trays", msg)
	}
	for _, tray := range api.Trays {
		rg.must(http.StatusOK, manager, "GET", "/v1/trays/"+tray, nil)
	}

	r = rg.must(http.StatusBadRequest, manager, "POST", base+"/claim", map[string]any{})
	if msg := errorMessage(t, r, "tray"); !strings.Contains(msg, "rating, decision") || strings.Contains(msg, "  ") {
		t.Errorf("claim without a tray: %q", msg)
	}
	r = rg.must(http.StatusNotFound, manager, "POST", base+"/claim", map[string]any{"tray": "decision"})
	if msg := errorMessage(t, r, ""); !strings.Contains(msg, "decision tray") {
		t.Errorf("claim from a tray the contact is not on: %q", msg)
	}

	r = rg.must(http.StatusBadRequest, manager, "POST", base+"/rating", map[string]any{"value": "purple", "rationale": "x", "agencies": []string{"fbi"}})
	if msg := errorMessage(t, r, "value"); !strings.Contains(msg, "red, amber, green") {
		t.Errorf("bad rating: %q", msg)
	}
	if msg := errorMessage(t, r, "agencies[0]"); !strings.Contains(msg, domain.Join(domain.Agencies)) {
		t.Errorf("bad agency: %q", msg)
	}

	rg.must(http.StatusOK, manager, "POST", base+"/rating", map[string]any{"value": "green", "rationale": "no immediate risk", "noChecks": true})
	r = rg.must(http.StatusBadRequest, manager, "POST", base+"/decision", map[string]any{"outcome": "prison", "rationale": "x"})
	msg := errorMessage(t, r, "outcome")
	for _, o := range pol.Outcomes {
		if !strings.Contains(msg, string(o.Code)) {
			t.Errorf("bad outcome: %q does not list %s", msg, o.Code)
		}
	}
	r = rg.must(http.StatusBadRequest, manager, "POST", base+"/decision", map[string]any{"term": "Prison", "rationale": "x"})
	if msg := errorMessage(t, r, "term"); !strings.Contains(msg, pol.Outcomes[0].Term) {
		t.Errorf("bad term: %q", msg)
	}
	r = rg.must(http.StatusBadRequest, manager, "POST", base+"/consent-override", map[string]any{"rationale": "x", "legalBasis": "whim"})
	if msg := errorMessage(t, r, "legalBasis"); !strings.Contains(msg, domain.Join(pol.Consent.OverrideBases)) {
		t.Errorf("bad legal basis: %q", msg)
	}
}

// Every tray the contact machine parks a token on is a tray the API serves (and claims from).
func TestTrays_TheMachineTraysAreServed(t *testing.T) {
	asl, err := os.ReadFile("../../statemachines/contact.asl.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`"tray":\s*"([a-z-]+)"`).FindAllStringSubmatch(string(asl), -1) {
		if !slices.Contains(api.Trays, m[1]) {
			t.Errorf("the machine's tray %q is not in api.Trays %v", m[1], api.Trays)
		}
	}
}

// User-facing messages carry no seed citations (those stay in comments and the policies' source fields).
func TestErrors_NoSeedCitations(t *testing.T) {
	rg := newRig(t)
	body := canaryReferral()
	body["referrer"] = map[string]any{"organisation": "School"}
	r := rg.must(http.StatusBadRequest, referrer, "POST", "/v1/referrals", body)
	if s := string(r.body); strings.Contains(s, "seed") || strings.Contains(s, "§") {
		t.Errorf("a seed citation reached the caller: %s", s)
	}
}
