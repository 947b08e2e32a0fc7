package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/store"
)

var allRoles = api.Roles

// routeRoles is who may call each route of Handler(). TestDenyByDefault_RoleTableCoversEveryRoute fails when a
// route is added to api.go without a row here.
var routeRoles = map[string][]string{
	"POST /v1/referrals":                           {api.RoleReferrer, api.RoleContactOfficer, api.RoleWorker, api.RoleManager},
	"POST /v1/ppn":                                 {api.RolePolice, api.RoleWorker, api.RoleManager},
	"POST /v1/contacts":                            {api.RoleContactOfficer, api.RoleWorker, api.RoleManager, api.RoleEDT},
	"GET /v1/contacts":                             {api.RoleContactOfficer, api.RoleWorker, api.RoleManager, api.RoleEDT},
	"GET /v1/contacts/{id}":                        {api.RoleContactOfficer, api.RoleWorker, api.RoleManager, api.RoleEDT},
	"GET /v1/contacts/{id}/timeline":               {api.RoleWorker, api.RoleManager, api.RoleEDT},
	"POST /v1/contacts/{id}/rating":                {api.RoleManager},
	"POST /v1/contacts/{id}/decision":              {api.RoleManager},
	"POST /v1/contacts/{id}/escalate":              {api.RoleManager},
	"POST /v1/contacts/{id}/close":                 {api.RoleManager},
	"POST /v1/contacts/{id}/reopen":                {api.RoleManager},
	"POST /v1/contacts/{id}/flags":                 {api.RoleWorker, api.RoleManager},
	"POST /v1/contacts/{id}/consent-override":      {api.RoleManager},
	"POST /v1/contacts/{id}/claim":                 {api.RoleWorker, api.RoleManager},
	"POST /v1/contacts/{id}/unclaim":               {api.RoleWorker, api.RoleManager},
	"POST /v1/contacts/{id}/link":                  {api.RoleWorker, api.RoleManager},
	"POST /v1/contacts/{id}/merge":                 {api.RoleManager},
	"GET /v1/contacts/{id}/checks":                 {api.RoleWorker, api.RoleManager, api.RolePartner},
	"POST /v1/contacts/{id}/checks/{check}/answer": {api.RoleWorker, api.RoleManager, api.RolePartner},
	"POST /v1/contacts/{id}/checks/{check}/close":  {api.RoleManager},
	"GET /v1/trays/{tray}":                         {api.RoleWorker, api.RoleManager, api.RoleEDT},
	"POST /v1/trays/{tray}/items/{item}/close":     {api.RoleManager},
	"GET /v1/quarantine":                           {api.RoleManager},
	"POST /v1/quarantine/{id}/release":             {api.RoleManager},
	"POST /v1/quarantine/{id}/discard":             {api.RoleManager},
	"POST /v1/ooh":                                 {api.RoleEDT},
	"POST /v1/contacts/{id}/ooh-actions":           {api.RoleEDT},
	"GET /v1/ooh/morning":                          {api.RoleWorker, api.RoleManager, api.RoleEDT},
	"GET /v1/contacts/{id}/restricted":             {api.RoleRestrictedReader},
	"POST /v1/schools":                             {api.RoleManager, api.RoleSystem},
	"POST /v1/contacts/{id}/match":                 {api.RoleWorker, api.RoleManager},
	"POST /v1/contacts/{id}/harm":                  {api.RoleWorker, api.RoleManager},
	"POST /v1/contacts/{id}/child":                 {api.RoleWorker, api.RoleManager},
	"POST /v1/contacts/{id}/immediate-harm":        {api.RoleContactOfficer, api.RoleWorker, api.RoleManager, api.RoleEDT},
	"POST /v1/contacts/{id}/respond":               {api.RoleWorker, api.RoleManager},
	"POST /v1/contacts/{id}/census":                {api.RoleWorker, api.RoleManager},
	"POST /v1/cases":                               {api.RoleManager, api.RoleSystem},
	"GET /v1/schools":                              {api.RoleWorker, api.RoleManager},
	"POST /v1/contacts/{id}/school":                {api.RoleWorker, api.RoleManager},
	"GET /v1/reports/timeliness":                   {api.RoleManager},
	"GET /v1/reports/annex-a":                      {api.RoleManager},
	"GET /v1/sar":                                  {api.RoleManager},
	"GET /v1/meeting":                              {api.RoleWorker, api.RoleManager},
	"POST /v1/consultations":                       {api.RoleContactOfficer, api.RoleWorker, api.RoleManager},
	"GET /v1/consultations":                        {api.RoleContactOfficer, api.RoleWorker, api.RoleManager},
	"GET /v1/consultations/{id}":                   {api.RoleContactOfficer, api.RoleWorker, api.RoleManager},
	"POST /v1/consultations/{id}/summary":          {api.RoleContactOfficer, api.RoleWorker, api.RoleManager},
	"POST /v1/consultations/{id}/contact":          {api.RoleWorker, api.RoleManager},
}

// concrete fills a pattern's wildcards with well-formed ids of things that do not exist.
func concrete(pattern string) (method, path string) {
	method, path, _ = strings.Cut(pattern, " ")
	r := strings.NewReplacer("/v1/quarantine/{id}", "/v1/quarantine/q_00000000000000000000",
		"{id}", "c_00000000000000000000", "{check}", "chk_00000000000000000000", "{tray}", "rating")
	return method, r.Replace(path)
}

func TestDenyByDefault_RoleTableCoversEveryRoute(t *testing.T) {
	src, err := os.ReadFile("api.go")
	if err != nil {
		t.Fatal(err)
	}
	var inSource []string
	for _, m := range regexp.MustCompile(`m\.Handle\("([^"]+)"`).FindAllStringSubmatch(string(src), -1) {
		inSource = append(inSource, m[1])
	}
	slices.Sort(inSource)
	inTable := slices.Sorted(maps.Keys(routeRoles))
	if !slices.Equal(inSource, inTable) {
		t.Errorf("routes in api.go %v\nroutes in the test table %v", inSource, inTable)
	}
}

// Deny by default (docs/architecture.md): no authenticator, no access, on every route.
func TestDenyByDefault_NoAuthenticatorIsForbiddenEverywhere(t *testing.T) {
	rg := newRig(t)
	h := rg.suite.API(hackney, nil)
	for pattern := range routeRoles {
		method, path := concrete(pattern)
		r := rg.do(h, manager, method, path, "{}")
		if r.status != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", pattern, r.status)
			continue
		}
		if code := r.json(t)["error"].(map[string]any)["code"]; code != string(domain.CodeForbidden) {
			t.Errorf("%s: error code %v", pattern, code)
		}
	}
}

func TestDenyByDefault_AuthenticatorErrorIsUnauthorized(t *testing.T) {
	rg := newRig(t)
	for pattern := range routeRoles {
		method, path := concrete(pattern)
		r := rg.call(manager, method, path, "{}", hdrFail, "1")
		if r.status != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", pattern, r.status)
			continue
		}
		e, ok := r.json(t)["error"].(map[string]any)
		if !ok || e["code"] != "unauthenticated" || e["message"] == "" {
			t.Errorf("%s: error body %s", pattern, r.body)
		}
		if strings.Contains(string(r.body), "kid abc123") {
			t.Errorf("%s: the authenticator's error text reached the caller: %s", pattern, r.body)
		}
	}
	// An identity without a subject is no identity.
	if r := rg.call(who{roles: []string{api.RoleManager}, subject: ""}, "GET", "/v1/contacts", nil, hdrRoles, api.RoleManager); r.status != http.StatusUnauthorized {
		t.Errorf("no subject: status %d", r.status)
	}
}

// Every route against every single role: a role the route does not name is 403 before anything is read;
// a role it names gets past the guard (to 200/201/400/404 on these ids of nothing).
func TestDenyByDefault_EveryRouteEveryRole(t *testing.T) {
	rg := newRig(t)
	for pattern, allowed := range routeRoles {
		method, path := concrete(pattern)
		for _, role := range allRoles {
			as := who{subject: "someone", roles: []string{role}, agency: "police"}
			r := rg.call(as, method, path, "{}")
			if slices.Contains(allowed, role) {
				if r.status == http.StatusForbidden || r.status == http.StatusUnauthorized {
					t.Errorf("%s as %s: status %d, want past the guard: %s", pattern, role, r.status, r.body)
				}
			} else if r.status != http.StatusForbidden {
				t.Errorf("%s as %s: status %d, want 403: %s", pattern, role, r.status, r.body)
			}
		}
	}
	// No roles at all: 403 everywhere.
	for pattern := range routeRoles {
		method, path := concrete(pattern)
		if r := rg.call(who{subject: "nobody"}, method, path, "{}"); r.status != http.StatusForbidden {
			t.Errorf("%s with no roles: status %d", pattern, r.status)
		}
	}
}

// The brief's examples on a real contact: a referrer may refer but not read or rate.
func TestDenyByDefault_ReferrerRefersButCannotReadOrRate(t *testing.T) {
	rg := newRig(t)
	id := rg.newReferral(referrer, canaryReferral())
	rg.must(http.StatusForbidden, referrer, "GET", "/v1/contacts/"+string(id), nil)
	rg.must(http.StatusForbidden, referrer, "POST", "/v1/contacts/"+string(id)+"/rating", map[string]any{"value": "green", "rationale": "x"})
	rg.must(http.StatusForbidden, worker, "POST", "/v1/contacts/"+string(id)+"/rating", map[string]any{"value": "green", "rationale": "x"})
	rg.must(http.StatusForbidden, edt, "POST", "/v1/contacts/"+string(id)+"/decision", map[string]any{"outcome": "nfa", "rationale": "x"})
	rg.must(http.StatusForbidden, worker, "GET", "/v1/quarantine", nil)
	rg.must(http.StatusOK, manager, "GET", "/v1/quarantine", nil)
	if c := rg.contactOf(id); c.Rating != nil {
		t.Fatalf("a forbidden rating was recorded: %+v", c.Rating)
	}
}

func (rg *rig) contactOf(id domain.ContactID) *domain.Contact {
	rg.t.Helper()
	c, err := rg.suite.Store.GetContact(context.Background(), id)
	if err != nil {
		rg.t.Fatal(err)
	}
	return c
}

func (rg *rig) count(status domain.Status) int {
	rg.t.Helper()
	n := 0
	for _, a := range []domain.AuthorityID{hackney, bexley} {
		cs, err := rg.suite.Store.ListContacts(context.Background(), a, status)
		if err != nil {
			rg.t.Fatal(err)
		}
		n += len(cs)
	}
	return n
}

func (rg *rig) countAll() int {
	n := 0
	for _, s := range domain.Statuses {
		n += rg.count(s)
	}
	return n
}

// Bad input is a 400 naming every bad field at once: the body's own problems (a date that does not parse)
// together with intake's validation (a missing name, an unknown consent status, missing concerns).
func TestBadInput_ReferralNamesEachBadField(t *testing.T) {
	rg := newRig(t)
	body := `{
	  "children": [{"givenName": "Ada", "dateOfBirth": "31/02/2015"}],
	  "referrer": {"name": "Ann Teacher", "email": "dsl@school.example"},
	  "consent": {"status": "perhaps"}
	}`
	r := rg.must(http.StatusBadRequest, referrer, "POST", "/v1/referrals", body)
	got := r.errorFields(t)
	want := []string{"children[0].dateOfBirth", "children[0].familyName", "concerns", "consent.status"}
	if !slices.Equal(got, want) {
		t.Errorf("fields %v, want %v: %s", got, want, r.body)
	}
	if strings.Contains(string(r.body), "31/02/2015") || strings.Contains(string(r.body), "perhaps") {
		t.Errorf("the response echoes a value: %s", r.body)
	}
	if !strings.Contains(string(r.body), "is not a date") {
		t.Errorf("the date's problem is not said as one: %s", r.body)
	}
	if n := rg.countAll(); n != 0 {
		t.Errorf("%d contacts written by a bad request", n)
	}
}

func TestBadInput_UnknownFieldsAreNamed_AndNothingIsWritten(t *testing.T) {
	rg := newRig(t)
	body := canaryReferral()
	body["favouriteColour"] = "blue"
	body["children"].([]any)[0].(map[string]any)["nickName"] = "Zeb"
	r := rg.must(http.StatusBadRequest, referrer, "POST", "/v1/referrals", body)
	if got, want := r.errorFields(t), []string{"children[0].nickName", "favouriteColour"}; !slices.Equal(got, want) {
		t.Errorf("fields %v, want %v", got, want)
	}
	// Everything else was valid: the dry run that collected intake's view wrote nothing.
	if n := rg.countAll(); n != 0 {
		t.Errorf("%d contacts written by a refused request", n)
	}
	if strings.Contains(string(r.body), canary) || strings.Contains(string(r.body), "Zeb\"") {
		t.Errorf("the response echoes a value: %s", r.body)
	}
}

func TestBadInput_WrongTypesAreNamed(t *testing.T) {
	rg := newRig(t)
	body := canaryReferral()
	body["immediateHarm"] = "yes"
	body["children"].([]any)[0].(map[string]any)["sen"] = "no"
	body["parents"] = map[string]any{"name": "x"}
	r := rg.must(http.StatusBadRequest, referrer, "POST", "/v1/referrals", body)
	if got, want := r.errorFields(t), []string{"children[0].sen", "immediateHarm", "parents"}; !slices.Equal(got, want) {
		t.Errorf("fields %v, want %v: %s", got, want, r.body)
	}
	// Rating's value of the wrong type on another route.
	id := rg.newReferral(referrer, canaryReferral())
	r = rg.must(http.StatusBadRequest, manager, "POST", "/v1/contacts/"+string(id)+"/rating", `{"value": 3, "rationale": "x"}`)
	if got := r.errorFields(t); !slices.Equal(got, []string{"value"}) {
		t.Errorf("rating fields %v", got)
	}
}

func TestBadInput_InvalidJSONIsTheBody(t *testing.T) {
	rg := newRig(t)
	for name, body := range map[string]string{
		"truncated":  `{"children": [`,
		"not json":   `children=1`,
		"empty":      ``,
		"trailing":   `{} {}`,
		"not object": `[1, 2]`,
	} {
		r := rg.must(http.StatusBadRequest, referrer, "POST", "/v1/referrals", body)
		if got := r.errorFields(t); !slices.Equal(got, []string{"body"}) {
			t.Errorf("%s: fields %v", name, got)
		}
	}
}

func TestBadInput_UnparseableTimesAreNamedNotEchoed(t *testing.T) {
	rg := newRig(t)
	var ppn map[string]any
	if err := json.Unmarshal(sample(t, "ppn.json"), &ppn); err != nil {
		t.Fatal(err)
	}
	ppn["incidentAt"] = "21/11/2026 23:40"
	r := rg.must(http.StatusBadRequest, police, "POST", "/v1/ppn", ppn)
	if got := r.errorFields(t); !slices.Equal(got, []string{"incidentAt"}) {
		t.Errorf("fields %v: %s", got, r.body)
	}
	if strings.Contains(string(r.body), "23:40") {
		t.Errorf("the value is echoed: %s", r.body)
	}
	// A channel that is not the route's.
	ppn["incidentAt"] = "2026-11-21T23:40:00Z"
	ppn["channel"] = "form"
	r = rg.must(http.StatusBadRequest, police, "POST", "/v1/ppn", ppn)
	if got := r.errorFields(t); !slices.Equal(got, []string{"channel"}) {
		t.Errorf("fields %v: %s", got, r.body)
	}
}

// Internal errors are logged with their detail and answered with a generic message (docs/architecture.md "Conventions":
// err.Error() in HTTP responses).
func TestInternalError_GenericToCaller_DetailToLog(t *testing.T) {
	rg := newRig(t)
	id := rg.newReferral(referrer, canaryReferral())
	rg.store.fail.Store(true)
	r := rg.must(http.StatusInternalServerError, worker, "GET", "/v1/contacts/"+string(id), nil)
	rg.store.fail.Store(false)
	e := r.json(t)["error"].(map[string]any)
	if e["code"] != string(domain.CodeInternal) || e["message"] != "something went wrong; it has been logged" {
		t.Errorf("error body %s", r.body)
	}
	if strings.Contains(string(r.body), "sqlite") || strings.Contains(string(r.body), "malformed") {
		t.Errorf("the internal detail reached the caller: %s", r.body)
	}
	if !strings.Contains(rg.logs.String(), internalDetail) {
		t.Errorf("the log lacks the detail; log:\n%s", rg.logs.String())
	}
	// The request id joins the caller's report to the log line.
	rid, _ := e["requestId"].(string)
	if len(rid) < 16 {
		t.Fatalf("5xx body without a request id: %s", r.body)
	}
	for line := range strings.SplitSeq(rg.logs.String(), "\n") {
		if strings.Contains(line, internalDetail) && !strings.Contains(line, `"requestId":"`+rid+`"`) {
			t.Errorf("log line without the request id %s: %s", rid, line)
		}
	}
}

// The sample bodies in events/api are accepted as they are by their routes.
func TestHappyPath_SampleBodies(t *testing.T) {
	rg := newRig(t)
	r := rg.must(http.StatusCreated, referrer, "POST", "/v1/referrals", sample(t, "referral.json"), "Idempotency-Key", "form-7f3a")
	first := r.json(t)["contacts"].([]any)
	if len(first) != 2 {
		t.Fatalf("referral.json has two children, got %d contacts", len(first))
	}
	for _, c := range first {
		c := c.(map[string]any)
		if c["status"] != intake.StatusCreated || !regexp.MustCompile(`^HAC-2027-\d{6}$`).MatchString(c["reference"].(string)) {
			t.Errorf("contact %v", c)
		}
	}
	// The same Idempotency-Key again: 200, the first contact, as a duplicate.
	r = rg.must(http.StatusOK, referrer, "POST", "/v1/referrals", sample(t, "referral.json"), "Idempotency-Key", "form-7f3a")
	again := r.json(t)["contacts"].([]any)
	if len(again) == 0 || again[0].(map[string]any)["contactId"] != first[0].(map[string]any)["contactId"] ||
		again[0].(map[string]any)["status"] != intake.StatusDuplicate {
		t.Errorf("repeat: %s", r.body)
	}
	if n := rg.countAll(); n != 2 {
		t.Errorf("%d contacts after a repeated key, want 2", n)
	}

	// The PPN: one contact per child present.
	var ppn struct {
		Children []any `json:"children"`
	}
	if err := json.Unmarshal(sample(t, "ppn.json"), &ppn); err != nil {
		t.Fatal(err)
	}
	ids := createdIDs(t, rg.must(http.StatusCreated, police, "POST", "/v1/ppn", sample(t, "ppn.json")))
	if len(ids) != len(ppn.Children) || len(ids) < 2 {
		t.Errorf("PPN with %d children present made %d contacts", len(ppn.Children), len(ids))
	}
	for _, id := range ids {
		if c := rg.contactOf(id); c.Channel != domain.ChannelPPN || !c.Flags.PPN || !c.Flags.DomesticAbuse {
			t.Errorf("PPN contact %s: channel %s flags %+v", id, c.Channel, c.Flags)
		}
	}

	// The phone contact a contact officer records.
	ids = createdIDs(t, rg.must(http.StatusCreated, officer, "POST", "/v1/contacts", sample(t, "phone-contact.json")))
	if len(ids) != 1 || rg.contactOf(ids[0]).Channel != domain.ChannelPhone {
		t.Errorf("phone contact: %v", ids)
	}
	// The audit trail names the signed-in officer; the body's "recordedBy" (someone else) is kept as who
	// took the call.
	evs, err := rg.suite.Store.ListAudit(context.Background(), ids[0])
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(evs, func(ev store.AuditEvent) bool { return ev.Action == "contact.created" })
	if i < 0 || evs[i].Actor != officer.subject || evs[i].Detail["takenBy"] != "mash.screener.1" {
		t.Errorf("events %+v, want contact.created by %s with takenBy mash.screener.1", evs, officer.subject)
	}
}

// GET /v1/contacts/{id} shows the contact in the field names of docs/architecture.md and records the read.
func TestHappyPath_GetContact_ShapeAndAuditedRead(t *testing.T) {
	rg := newRig(t)
	ids := createdIDs(t, rg.must(http.StatusCreated, referrer, "POST", "/v1/referrals", sample(t, "referral.json")))
	id := ids[0]
	reads := func() int {
		var tl struct {
			Events []struct {
				Action string `json:"action"`
				Actor  string `json:"actor"`
			} `json:"events"`
		}
		if err := json.Unmarshal(rg.must(http.StatusOK, manager, "GET", "/v1/contacts/"+string(id)+"/timeline", nil).body, &tl); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range tl.Events {
			if e.Action == "contact.read" && e.Actor == worker.subject {
				n++
			}
		}
		return n
	}
	if n := reads(); n != 0 {
		t.Fatalf("%d reads before any", n)
	}
	c := rg.must(http.StatusOK, worker, "GET", "/v1/contacts/"+string(id), nil).json(t)
	for _, k := range []string{"id", "reference", "authority", "channel", "receivedAt", "status", "householdId", "linkedTo",
		"child", "parents", "household", "referrer", "concerns", "immediateHarm", "consent", "route", "deadlines"} {
		if _, ok := c[k]; !ok {
			t.Errorf("contact lacks %q", k)
		}
	}
	child := c["child"].(map[string]any)
	for _, k := range []string{"givenName", "familyName", "dateOfBirth", "gender", "address", "school", "ethnicity", "language", "religion", "sen"} {
		if _, ok := child[k]; !ok {
			t.Errorf("child lacks %q", k)
		}
	}
	if c["id"] != string(id) || c["authority"] != string(hackney) || c["channel"] != string(domain.ChannelForm) ||
		c["status"] != string(domain.StatusAwaitingRating) || child["dateOfBirth"] != "2016-10-09" {
		t.Errorf("contact %v", c)
	}
	if _, err := time.Parse(time.RFC3339, c["receivedAt"].(string)); err != nil {
		t.Errorf("receivedAt: %v", err)
	}
	if links := c["linkedTo"].([]any); len(links) != 1 || links[0] != string(ids[1]) {
		t.Errorf("linkedTo %v, want the sibling %s", links, ids[1])
	}
	if n := reads(); n != 1 {
		t.Errorf("%d contact.read events by the worker after one read, want 1", n)
	}

	// Another authority's contact is not found here; a malformed id is bad input.
	other := createdIDs(t, rg.do(rg.suite.API(bexley, headerAuthFor(bexley)), referrer, "POST", "/v1/referrals", sample(t, "referral.json")))
	if len(other) == 0 {
		t.Fatal("no bexley contact")
	}
	rg.must(http.StatusNotFound, worker, "GET", "/v1/contacts/"+string(other[0]), nil)
	rg.must(http.StatusNotFound, worker, "GET", "/v1/contacts/"+string(other[0])+"/timeline", nil)
	rg.must(http.StatusNotFound, manager, "POST", "/v1/contacts/"+string(other[0])+"/rating", map[string]any{"value": "green", "rationale": "x"})
	rg.must(http.StatusNotFound, worker, "GET", "/v1/contacts/c_ffffffffffffffffffff", nil)
	for _, bad := range []string{"not-an-id", "c_FFFFFFFFFFFFFFFFFFFF", "c_123"} {
		r := rg.must(http.StatusBadRequest, worker, "GET", "/v1/contacts/"+bad, nil)
		if got := r.errorFields(t); !slices.Equal(got, []string{"id"}) {
			t.Errorf("%s: fields %v", bad, got)
		}
	}
}

// A manager's work through the API, Hackney's way: claim, rate GREEN with a rationale (001 §5 RAG), the
// mandatory agencies' checks (infra/authorities/hackney.yaml mandatoryAgencies), each answered, then the
// decision in Hackney's own words.
func TestHackney_ManagerFlow_ClaimRateChecksDecide(t *testing.T) {
	rg := newRig(t)
	id := rg.newReferral(referrer, canaryReferral())
	base := "/v1/contacts/" + string(id)
	pol := rg.suite.Policies[hackney]

	claim := rg.must(http.StatusOK, manager, "POST", base+"/claim", map[string]any{"tray": "rating"})
	if strings.Contains(string(claim.body), "taskToken") || claim.json(t)["claimedBy"] != manager.subject {
		t.Errorf("claim: %s", claim.body)
	}
	rg.must(http.StatusConflict, worker, "POST", base+"/claim", map[string]any{"tray": "rating"})
	// Unclaim: not someone else's (a worker), but the claimer's own, or any manager's; then anyone may claim.
	rg.must(http.StatusForbidden, worker, "POST", base+"/unclaim", map[string]any{"tray": "rating"})
	if got := rg.must(http.StatusOK, manager, "POST", base+"/unclaim", map[string]any{"tray": "rating"}).json(t); got["claimedBy"] != nil {
		t.Errorf("unclaim: %v", got)
	}
	rg.must(http.StatusConflict, manager, "POST", base+"/unclaim", map[string]any{"tray": "rating"})
	rg.must(http.StatusBadRequest, manager, "POST", base+"/unclaim", map[string]any{"tray": "ooh"})
	rg.must(http.StatusOK, worker, "POST", base+"/claim", map[string]any{"tray": "rating"})
	rg.must(http.StatusOK, worker, "POST", base+"/unclaim", map[string]any{"tray": "rating"})
	rg.must(http.StatusOK, manager, "POST", base+"/claim", map[string]any{"tray": "rating"})
	if evs, _ := rg.suite.Store.ListAudit(context.Background(), id); !slices.ContainsFunc(evs, func(e store.AuditEvent) bool {
		return e.Action == "tray.unclaimed" && e.Actor == manager.subject && e.Detail["claimedBy"] == manager.subject
	}) {
		t.Errorf("the unclaim is not in the audit trail")
	}

	r := rg.must(http.StatusBadRequest, manager, "POST", base+"/rating", map[string]any{"value": "green"})
	if got := r.errorFields(t); !slices.Equal(got, []string{"rationale"}) {
		t.Errorf("rating without rationale: fields %v", got)
	}
	r = rg.must(http.StatusBadRequest, manager, "POST", base+"/rating", map[string]any{"value": "blue", "rationale": "no"})
	if got := r.errorFields(t); !slices.Equal(got, []string{"value"}) {
		t.Errorf("blue for Hackney: fields %v", got)
	}
	c := rg.must(http.StatusOK, manager, "POST", base+"/rating", map[string]any{"value": "green", "rationale": "needs support; no immediate risk"}).json(t)
	if c["status"] != string(domain.StatusChecks) || c["rating"].(map[string]any)["by"] != manager.subject {
		t.Fatalf("after rating: %v", c["status"])
	}

	type check struct {
		ID        string        `json:"id"`
		Agency    domain.Agency `json:"agency"`
		TaskToken string        `json:"taskToken"`
	}
	listChecks := func(as who) (out []check) {
		r := rg.must(http.StatusOK, as, "GET", base+"/checks", nil)
		if strings.Contains(string(r.body), "taskToken") {
			t.Errorf("checks expose a task token")
		}
		var body struct{ Checks []check }
		if err := json.Unmarshal(r.body, &body); err != nil {
			t.Fatal(err)
		}
		return body.Checks
	}
	checks := listChecks(manager)
	var agencies []domain.Agency
	for _, ch := range checks {
		agencies = append(agencies, ch.Agency)
	}
	slices.Sort(agencies)
	want := slices.Sorted(slices.Values(pol.MandatoryAgencies))
	if len(want) == 0 || !slices.Equal(agencies, want) {
		t.Fatalf("checks for %v, want Hackney's mandatory agencies %v", agencies, want)
	}

	// Deciding while checks are out is a conflict, not a decision.
	term, ok := pol.OutcomeTerm(domain.OutcomeS17)
	if !ok {
		t.Fatal("Hackney has no term for s17-assessment")
	}
	rg.must(http.StatusConflict, manager, "POST", base+"/decision", map[string]any{"term": term, "rationale": "child in need"})

	// A partner sees and answers its own agency's check only.
	police := partner(domain.Agency("police"))
	mine := listChecks(police)
	if len(mine) != 1 || mine[0].Agency != "police" {
		t.Fatalf("police partner sees %v", mine)
	}
	for _, ch := range checks {
		path := base + "/checks/" + ch.ID + "/answer"
		if ch.Agency == "police" {
			continue
		}
		// Another agency's check answers exactly as a check that does not exist (issue: no 4xx reveals
		// whether something exists).
		got := rg.must(http.StatusNotFound, police, "POST", path, map[string]any{"summary": "not ours"})
		missing := rg.must(http.StatusNotFound, police, "POST", "/v1/contacts/c_00000000000000000000/checks/"+ch.ID+"/answer", map[string]any{"summary": "x"})
		if g, m := got.json(t)["error"].(map[string]any), missing.json(t)["error"].(map[string]any); g["message"] != m["message"] || g["code"] != m["code"] {
			t.Errorf("another agency's check %s, a missing one %s", got.body, missing.body)
		}
	}
	rg.must(http.StatusOK, police, "POST", base+"/checks/"+mine[0].ID+"/answer", map[string]any{"summary": "one call-out in 2026"})
	rg.must(http.StatusConflict, police, "POST", base+"/checks/"+mine[0].ID+"/answer", map[string]any{"summary": "again"})
	for _, ch := range checks {
		if ch.Agency == "police" {
			continue
		}
		rg.must(http.StatusOK, worker, "POST", base+"/checks/"+ch.ID+"/answer", map[string]any{"nothingKnown": true})
	}
	if st := rg.contactOf(id).Status; st != domain.StatusAwaitingDecision {
		t.Fatalf("status after every check: %s", st)
	}

	// Issue #16: screening cannot finish without the census codes: a 409 naming each missing one (as the
	// contact view's censusMissing does) with its allowed codes; recorded by the screener, the decision goes.
	var view struct {
		CensusMissing []string `json:"censusMissing"`
	}
	if err := json.Unmarshal(rg.must(http.StatusOK, manager, "GET", base, nil).body, &view); err != nil || len(view.CensusMissing) == 0 {
		t.Fatalf("censusMissing %v (%v): the referral should leave a code to the screener", view.CensusMissing, err)
	}
	refused := rg.must(http.StatusConflict, manager, "POST", base+"/decision", map[string]any{"term": term, "rationale": "child in need assessment"})
	var body struct {
		Error struct {
			Code   string              `json:"code"`
			Fields []domain.FieldError `json:"fields"`
		} `json:"error"`
	}
	if err := json.Unmarshal(refused.body, &body); err != nil || body.Error.Code != "conflict" || len(body.Error.Fields) != len(view.CensusMissing) {
		t.Fatalf("409 body %s: want a conflict naming %v", refused.body, view.CensusMissing)
	}
	lists := map[string]string{"census.source": "10 (Unknown)", "census.gender": "0 (Not known)", "census.ethnicity": "NOBT (Information not yet obtained)"}
	for i, f := range body.Error.Fields {
		if f.Field != "census."+view.CensusMissing[i] || !strings.Contains(f.Message, lists[f.Field]) {
			t.Errorf("409 field %+v: want census.%s listing its allowed codes, %s among them", f, view.CensusMissing[i], lists[f.Field])
		}
	}
	if st := rg.contactOf(id).Status; st != domain.StatusAwaitingDecision {
		t.Fatalf("status %s after the refused decision, want awaiting-decision", st)
	}
	rg.census(id)
	c = rg.must(http.StatusOK, manager, "POST", base+"/decision", map[string]any{"term": term, "rationale": "child in need assessment"}).json(t)
	c = rg.must(http.StatusOK, manager, "GET", base, nil).json(t)
	out, _ := c["outcome"].(map[string]any)
	if c["status"] != string(domain.StatusDecided) || out["authorityTerm"] != term || out["code"] != string(domain.OutcomeS17) {
		t.Errorf("after decision: status %v outcome %v", c["status"], out)
	}
	if strings.Contains(string(rg.must(http.StatusOK, manager, "GET", base+"/checks", nil).body), `"answerLink":`) {
		t.Error("checks expose the answer link")
	}

	// Closed, then reopened with a reason: a new execution takes the contact through the front door again.
	// Reopening an open contact is a 409 naming its status; without a reason, a 400 naming reason.
	bad := rg.must(http.StatusConflict, manager, "POST", base+"/reopen", map[string]any{"reason": "new information"})
	if !strings.Contains(string(bad.body), "decided") || !strings.Contains(string(bad.body), "closed") {
		t.Errorf("reopen from decided: %s", bad.body)
	}
	if r := rg.must(http.StatusBadRequest, manager, "POST", base+"/close", map[string]any{}); !strings.Contains(string(r.body), "reason") {
		t.Errorf("close without a reason: %s", r.body)
	}
	rg.must(http.StatusForbidden, worker, "POST", base+"/close", map[string]any{"reason": "x"})
	rg.must(http.StatusOK, manager, "POST", base+"/close", map[string]any{"reason": "assessment team has it"})
	if r := rg.must(http.StatusBadRequest, manager, "POST", base+"/reopen", map[string]any{"reason": " "}); !strings.Contains(string(r.body), "reason") {
		t.Errorf("reopen without a reason: %s", r.body)
	}
	c = rg.must(http.StatusOK, manager, "POST", base+"/reopen", map[string]any{"reason": "the school reports new injuries"}).json(t)
	if ro, _ := c["reopenings"].([]any); len(ro) != 1 {
		t.Errorf("reopenings %v", c["reopenings"])
	}
	if _, ok := rg.suite.Exec.Get(string(id) + "-reopen-1"); !ok {
		t.Error("no execution started for the reopening")
	}
}

// Trays show this authority's work only and never a task token; their query is checked.
func TestTrays_ThisAuthorityOnly_NoTaskToken(t *testing.T) {
	rg := newRig(t)
	bex := rg.suite.API(bexley, headerAuthFor(bexley))
	rg.do(bex, referrer, "POST", "/v1/referrals", canaryReferral())
	rg.do(bex, referrer, "POST", "/v1/referrals", sample(t, "referral.json"))
	rg.clock.Set(rg.clock.Now().Add(time.Minute))
	rg.newReferral(referrer, canaryReferral())
	rg.must(http.StatusCreated, referrer, "POST", "/v1/referrals", sample(t, "referral.json"))

	// The tray really holds another authority's items and tokens, or this test shows nothing.
	all, err := rg.suite.Store.DueItems(context.Background(), "rating", rg.clock.Now().Add(1000*time.Hour), 0)
	if err != nil {
		t.Fatal(err)
	}
	ours, theirs := 0, 0
	for _, it := range all {
		if it.TaskToken == "" {
			t.Errorf("tray item %s has no token in the store", it.ID)
		}
		if it.Authority == hackney {
			ours++
		} else {
			theirs++
		}
	}
	if ours != 3 || theirs == 0 {
		t.Fatalf("rating tray: %d hackney items, %d others", ours, theirs)
	}

	type item struct {
		ID        string             `json:"id"`
		Authority domain.AuthorityID `json:"authority"`
		ContactID domain.ContactID   `json:"contactId"`
		Reference domain.Reference   `json:"reference"`
	}
	list := func(query string) []item {
		r := rg.must(http.StatusOK, worker, "GET", "/v1/trays/rating"+query, nil)
		if strings.Contains(string(r.body), "taskToken") {
			t.Errorf("tray %s exposes a task token", query)
		}
		var body struct{ Items []item }
		if err := json.Unmarshal(r.body, &body); err != nil {
			t.Fatal(err)
		}
		for _, it := range body.Items {
			if it.Authority != hackney {
				t.Errorf("tray %s shows %s's item %s", query, it.Authority, it.ID)
			}
		}
		return body.Items
	}
	got := list("")
	if len(got) != ours {
		t.Errorf("tray: %d items, want %d", len(got), ours)
	}
	// Each item names its contact's reference, the number people quote.
	for _, it := range got {
		c, err := rg.suite.Store.GetContact(context.Background(), it.ContactID)
		if err != nil || it.Reference == "" || it.Reference != c.Reference {
			t.Errorf("tray item %s: reference %q, want the contact's (%v)", it.ID, it.Reference, err)
		}
	}
	// The limit counts this authority's items, even when another's are due first.
	if got := list("?limit=1"); len(got) != 1 {
		t.Errorf("limit=1: %d items", len(got))
	}
	if got := list("?dueBefore=" + rg.clock.Now().UTC().Format(time.RFC3339)); len(got) != 0 {
		t.Errorf("due before now: %d items", len(got))
	}
	for _, q := range []string{"?dueBefore=tomorrow", "?dueBefore=2027-03-11", "?limit=0", "?limit=1001", "?limit=ten", "?limit=-1"} {
		r := rg.must(http.StatusBadRequest, worker, "GET", "/v1/trays/rating"+q, nil)
		field := "limit"
		if strings.HasPrefix(q, "?dueBefore") {
			field = "dueBefore"
		}
		if got := r.errorFields(t); !slices.Equal(got, []string{field}) {
			t.Errorf("%s: fields %v", q, got)
		}
		// docs/operations.md's "?dueBefore=now" was refused with "is not RFC3339": the error gives an instant to copy.
		if field == "dueBefore" && !strings.Contains(string(r.body), rg.clock.Now().UTC().Format(time.RFC3339)) {
			t.Errorf("%s: the error gives no instant to use: %s", q, r.body)
		}
	}
}

// No personal data in logs (docs/architecture.md "Conventions": the canary child): the canary child through intake, reads, a bad
// request, an internal error and a rating, and the name is in no log line.
func TestNoPersonalDataInLogs_Canary(t *testing.T) {
	rg := newRig(t)
	id := rg.newReferral(referrer, canaryReferral())
	rg.must(http.StatusOK, worker, "GET", "/v1/contacts/"+string(id), nil)
	rg.must(http.StatusOK, worker, "GET", "/v1/contacts/"+string(id)+"/timeline", nil)
	rg.must(http.StatusOK, worker, "GET", "/v1/contacts", nil)
	bad := canaryReferral()
	bad["children"].([]any)[0].(map[string]any)["dateOfBirth"] = "Canarybird's birthday"
	bad["concerns"] = ""
	r := rg.must(http.StatusBadRequest, referrer, "POST", "/v1/referrals", bad)
	if strings.Contains(string(r.body), canary) {
		t.Errorf("a 400 echoes the canary: %s", r.body)
	}
	rg.store.fail.Store(true)
	rg.must(http.StatusInternalServerError, worker, "GET", "/v1/contacts/"+string(id), nil)
	rg.store.fail.Store(false)
	rg.must(http.StatusOK, manager, "POST", "/v1/contacts/"+string(id)+"/rating", map[string]any{"value": "amber", "rationale": "bruising"})
	rg.must(http.StatusCreated, edt, "POST", "/v1/ooh", map[string]any{"child": map[string]any{"givenName": "Zebedee", "familyName": "Canarybird",
		"dateOfBirth": "2020-04-07"}, "concerns": "Zebedee Canarybird found wandering", "consent": map[string]any{"status": "unknown"}})
	if rg.logs.String() == "" {
		t.Fatal("nothing was logged: the test would prove nothing")
	}
	if strings.Contains(rg.logs.String(), canary) {
		t.Errorf("the canary name appears in a log line")
	}
}

// Quarantine is per authority like contacts: another council's quarantined message is neither listed nor
// released here.
func TestQuarantine_AnotherAuthorityIsNotFound(t *testing.T) {
	rg := newRig(t)
	ctx := context.Background()
	raw, err := os.ReadFile("../../events/email/spam-flagged.eml")
	if err != nil {
		t.Fatal(err)
	}
	if err := rg.suite.Intake.Blobs.Put(ctx, "raw/x", raw, "message/rfc822"); err != nil {
		t.Fatal(err)
	}
	q, err := rg.suite.Store.Quarantine(ctx, store.QuarantineItem{Authority: bexley, Reason: "spam", RawKey: "raw/x", Size: 10,
		ReceivedAt: rg.clock.Now().UTC()})
	if err != nil {
		t.Fatal(err)
	}
	var list struct{ Items []store.QuarantineItem }
	if err := json.Unmarshal(rg.must(http.StatusOK, manager, "GET", "/v1/quarantine", nil).body, &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 0 {
		t.Errorf("hackney lists %v", list.Items)
	}
	rg.must(http.StatusNotFound, manager, "POST", "/v1/quarantine/"+q.ID+"/release", nil)
	rg.must(http.StatusNotFound, manager, "POST", "/v1/quarantine/"+q.ID+"/discard", map[string]any{"reason": "spam"})
	if got, err := rg.suite.Store.GetQuarantine(ctx, q.ID); err != nil || !got.ReleasedAt.IsZero() || !got.DiscardedAt.IsZero() {
		t.Errorf("bexley's item after hackney's attempt: %+v %v", got, err)
	}
}

// Discard with a reason: the item leaves the list, audited with who and why; the raw message stays where it
// was, and the item is kept marked discarded. No reason is a 400 naming the field; twice is a 409.
func TestQuarantine_DiscardWithAReasonKeepsTheRawMessage(t *testing.T) {
	rg := newRig(t)
	ctx := context.Background()
	raw, err := os.ReadFile("../../events/email/spam-flagged.eml")
	if err != nil {
		t.Fatal(err)
	}
	if err := rg.suite.Intake.Blobs.Put(ctx, "raw/spam", raw, "message/rfc822"); err != nil {
		t.Fatal(err)
	}
	q, err := rg.suite.Store.Quarantine(ctx, store.QuarantineItem{Authority: hackney, Reason: "spam", RawKey: "raw/spam", Size: int64(len(raw)),
		ReceivedAt: rg.clock.Now().UTC()})
	if err != nil {
		t.Fatal(err)
	}
	path := "/v1/quarantine/" + q.ID + "/discard"
	if got := rg.must(http.StatusBadRequest, manager, "POST", path, map[string]any{"reason": "  "}).errorFields(t); !slices.Equal(got, []string{"reason"}) {
		t.Errorf("no reason: fields %v", got)
	}
	rg.must(http.StatusForbidden, worker, "POST", path, map[string]any{"reason": "spam"})
	got := rg.must(http.StatusOK, manager, "POST", path, map[string]any{"reason": "spam: a prize draw"}).json(t)
	if got["discardedBy"] != manager.subject || got["discardedReason"] != "spam: a prize draw" {
		t.Errorf("discarded: %v", got)
	}
	rg.must(http.StatusConflict, manager, "POST", path, map[string]any{"reason": "again"})
	rg.must(http.StatusConflict, manager, "POST", "/v1/quarantine/"+q.ID+"/release", nil)
	var list struct{ Items []store.QuarantineItem }
	if err := json.Unmarshal(rg.must(http.StatusOK, manager, "GET", "/v1/quarantine", nil).body, &list); err != nil || len(list.Items) != 0 {
		t.Errorf("listed after discard: %v %v", list.Items, err)
	}
	if b, err := rg.suite.Intake.Blobs.Get(ctx, "raw/spam"); err != nil || !bytes.Equal(b, raw) {
		t.Errorf("the raw message was not kept: %v", err)
	}
	evs, _ := rg.suite.Store.ListAudit(ctx, domain.ContactID(q.ID))
	if !slices.ContainsFunc(evs, func(e store.AuditEvent) bool {
		return e.Action == "quarantine.discarded" && e.Actor == manager.subject && e.Reason == "spam: a prize draw"
	}) {
		t.Errorf("discard not audited: %+v", evs)
	}
}
