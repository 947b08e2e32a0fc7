package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/api"
)

// Council IT calling the API with a wrong method or path, or a misspelt field, gets a JSON error that says
// what is wrong and what is allowed, as every other error does (README "Bad input gets a clear error"). The
// mux answered a wrong method with "Method Not Allowed" and an unknown path with "404 page not found", in
// plain text; an unknown field was "is not a known field" without the fields the object takes (found trying
// PUT on a rating and {"flags":{…}} on mash demo).
func TestAPI_WrongMethodPathOrField_JSONErrorSaysWhatIsAllowed(t *testing.T) {
	rg := newRig(t)
	send := func(method, path, body string) (int, http.Header, map[string]any) {
		t.Helper()
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(hdrSubject, manager.subject)
		req.Header.Set(hdrRoles, strings.Join(manager.roles, ","))
		w := httptest.NewRecorder()
		rg.h.ServeHTTP(w, req)
		var m map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
			t.Fatalf("%s %s: %d, not JSON: %q", method, path, w.Code, w.Body.String())
		}
		return w.Code, w.Header(), m["error"].(map[string]any)
	}
	code, hdr, e := send("PUT", "/v1/contacts/c_00000000000000000000/rating", `{"value":"red"}`)
	if code != http.StatusMethodNotAllowed || hdr.Get("Allow") != "POST" || e["code"] != "method_not_allowed" ||
		!strings.Contains(e["message"].(string), "PUT is not allowed on this route: use POST") || e["requestId"] == "" {
		t.Errorf("PUT rating: %d Allow %q %v", code, hdr.Get("Allow"), e)
	}
	code, _, e = send("GET", "/v1/nowhere", "")
	if code != http.StatusNotFound || e["code"] != "not_found" || !strings.Contains(e["message"].(string), "api/openapi.yaml") {
		t.Errorf("GET /v1/nowhere: %d %v", code, e)
	}
	code, _, e = send("POST", "/v1/referrals", `{"concern":"misspelt"}`)
	fields, _ := e["fields"].([]any)
	var f map[string]any
	for _, x := range fields {
		if x.(map[string]any)["field"] == "concern" {
			f = x.(map[string]any)
		}
	}
	if code != http.StatusBadRequest || f == nil {
		t.Fatalf("misspelt field: %d %v", code, e)
	}
	if f["field"] != "concern" || !strings.Contains(f["message"].(string), "is not a known field: the fields here are ") ||
		!strings.Contains(f["message"].(string), "children, concerns, consent") {
		t.Errorf("misspelt field: %v", f)
	}
	// A route that exists still answers as before.
	if code, _, e = send("GET", "/v1/contacts/c_00000000000000000000", ""); code != http.StatusNotFound || e["code"] != "not_found" {
		t.Errorf("a contact that does not exist: %d %v", code, e)
	}
}

// A misspelt or unknown query parameter is named with those the route takes; it was ignored, so
// "GET /v1/contacts?statuz=decided" answered with every contact as if it were the decided ones.
func TestAPI_UnknownQueryParameter_NamedWithThoseTheRouteTakes(t *testing.T) {
	rg := newRig(t)
	r := rg.do(rg.h, manager, "GET", "/v1/contacts?statuz=decided", nil)
	if r.status != http.StatusBadRequest || strings.Join(r.errorFields(t), ",") != "statuz" ||
		!strings.Contains(string(r.body), "is not a query parameter of this route: it takes status") {
		t.Errorf("?statuz: %d %s", r.status, r.body)
	}
	r = rg.do(rg.h, manager, "GET", "/v1/ooh/morning?date=2027-03-10", nil)
	if r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "this route takes none") {
		t.Errorf("a parameter on a route that takes none: %d %s", r.status, r.body)
	}
	rg.must(http.StatusOK, manager, "GET", "/v1/contacts?status=decided", nil)
	rg.must(http.StatusOK, manager, "GET", "/v1/trays/rating?limit=5", nil)
}

// api.QueryParams is the contract's list of each route's query parameters, no more and no fewer.
func TestAPI_QueryParams_AsTheContractDeclares(t *testing.T) {
	doc, _ := loadSpec(t)
	want := map[string][]string{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			var q []string
			for _, p := range append(item.Parameters, op.Parameters...) {
				if p.Value != nil && p.Value.In == "query" {
					q = append(q, p.Value.Name)
				}
			}
			if len(q) > 0 {
				slices.Sort(q)
				want[method+" "+path] = q
			}
		}
	}
	got := map[string][]string{}
	for k, v := range api.QueryParams {
		v = slices.Clone(v)
		slices.Sort(v)
		got[k] = v
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("api.QueryParams %v\nthe contract %v", got, want)
	}
}
