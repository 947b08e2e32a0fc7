package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/flow"
	"github.com/safeguarding/mash/shared/internal/testkit"
	"github.com/safeguarding/mash/shared/local"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/embedded"
)

// Shared with the other suite-level tests (shared/internal/testkit).
type syncBuffer = testkit.SyncBuffer

var (
	london = testkit.London
)

const (
	hackney domain.AuthorityID = "hackney"
	bexley  domain.AuthorityID = "bexley"
	canary                     = "Canarybird" // docs/architecture.md "Conventions": the canary child "Zebedee Canarybird"
)

// Test identities travel in headers; the authenticator is the test's, the guard is the real one.
const (
	hdrSubject = "X-Test-Subject"
	hdrRoles   = "X-Test-Roles"
	hdrAgency  = "X-Test-Agency"
	hdrFail    = "X-Test-Auth-Fail"
	// hdrAuthority names the sign-in's authority; hackney when absent.
	hdrAuthority = "X-Test-Authority"
)

func headerAuth(r *http.Request) (api.Identity, error) { return headerAuthFor(hackney)(r) }

// headerAuthFor is headerAuth whose sign-ins are for authority a unless the header says otherwise.
func headerAuthFor(a domain.AuthorityID) api.Authenticator {
	return func(r *http.Request) (api.Identity, error) { return headerIdentity(r, a) }
}

func headerIdentity(r *http.Request, def domain.AuthorityID) (api.Identity, error) {
	if r.Header.Get(hdrFail) != "" {
		return api.Identity{}, errors.New("token signature invalid: kid abc123 not in JWKS")
	}
	var roles []string
	if v := r.Header.Get(hdrRoles); v != "" {
		roles = strings.Split(v, ",")
	}
	auth := domain.AuthorityID(r.Header.Get(hdrAuthority))
	if auth == "" {
		auth = def
	}
	return api.Identity{Subject: r.Header.Get(hdrSubject), Roles: roles, Agency: r.Header.Get(hdrAgency), Authority: auth}, nil
}

// who is a caller.
type who struct {
	subject string
	roles   []string
	agency  string
}

var (
	manager  = who{subject: "manager-1", roles: []string{api.RoleManager}}
	worker   = who{subject: "worker-1", roles: []string{api.RoleWorker}}
	referrer = who{subject: "dsl-1", roles: []string{api.RoleReferrer}}
	police   = who{subject: "ppd-1", roles: []string{api.RolePolice}}
	officer  = who{subject: "officer-1", roles: []string{api.RoleContactOfficer}}
	edt      = who{subject: "edt-1", roles: []string{api.RoleEDT}}
)

func partner(agency domain.Agency) who {
	return who{subject: "partner-" + string(agency), roles: []string{api.RolePartner}, agency: string(agency)}
}

// failingStore is the embedded store with a switch that makes reads of contacts fail the way a broken
// backend would, with a detail that must reach the log and never the caller.
type failingStore struct {
	store.Store
	fail atomic.Bool
}

const internalDetail = "sqlite: database disk image is malformed (page 4711)"

func (f *failingStore) GetContact(ctx context.Context, id domain.ContactID) (*domain.Contact, error) {
	if f.fail.Load() {
		return nil, errors.New(internalDetail)
	}
	return f.Store.GetContact(ctx, id)
}

type rig struct {
	t     *testing.T
	suite *local.Suite
	store *failingStore
	clock *flow.FakeClock
	logs  *syncBuffer
	h     http.Handler // hackney's API with the header authenticator
	dir   string       // the suite's state: blobs, executions, outbox
}

// newRig assembles the local suite (embedded store, local executor, fake clock on Wednesday 10 March 2027
// 10:00 Europe/London, the MASH open) and Hackney's API on it.
func newRig(t *testing.T) *rig {
	t.Helper()
	dir := t.TempDir()
	clk := flow.NewFakeClock(london(t, "2027-03-10 10:00"))
	st, err := embedded.Open(filepath.Join(dir, "store.db"), clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	fs := &failingStore{Store: st}
	logs := &syncBuffer{}
	s, err := local.New(context.Background(), local.Options{Dir: dir, OutboxDir: filepath.Join(dir, "outbox"), Store: fs,
		Clock: clk, Log: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		ConsoleURL: "http://localhost:8080", RateLimit: api.RateLimit{PerSecond: 1, Burst: 1 << 20}, Executions: st.Executions()})
	if err != nil {
		t.Fatal(err)
	}
	return &rig{t: t, suite: s, store: fs, clock: clk, logs: logs, h: s.API(hackney, headerAuth), dir: dir}
}

// resp is a response with its body read.
type resp struct {
	status int
	body   []byte
	header http.Header
}

func (r resp) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("response is not a JSON object (%d): %s", r.status, r.body)
	}
	return m
}

// errorFields returns error.fields[].field of an error body.
func (r resp) errorFields(t *testing.T) []string {
	t.Helper()
	var e struct {
		Error struct {
			Code   string `json:"code"`
			Fields []domain.FieldError
		} `json:"error"`
	}
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("error body is not JSON: %s", r.body)
	}
	var out []string
	for _, f := range e.Error.Fields {
		out = append(out, f.Field)
	}
	return out
}

// census is the screener (a worker) recording through POST /v1/contacts/{id}/census the census codes the
// contact view names as missing (issue #16: screening cannot finish without them): the "not known" choices
// for the child's codes, 8 Other for the source. Nothing when none is missing.
func (rg *rig) census(id domain.ContactID) {
	rg.t.Helper()
	var view struct {
		CensusMissing []string `json:"censusMissing"`
	}
	if err := json.Unmarshal(rg.must(http.StatusOK, worker, "GET", "/v1/contacts/"+string(id), nil).body, &view); err != nil {
		rg.t.Fatal(err)
	}
	body := map[string]string{}
	for _, f := range view.CensusMissing {
		body[f] = map[string]string{"source": "8", "gender": "0", "ethnicity": "NOBT"}[f]
	}
	if len(body) > 0 {
		rg.must(http.StatusOK, worker, "POST", "/v1/contacts/"+string(id)+"/census", body)
	}
}

// do sends a request to h as caller. body may be nil, a string (sent as is), []byte or a value to marshal.
func (rg *rig) do(h http.Handler, as who, method, path string, body any, hdr ...string) resp {
	rg.t.Helper()
	var rd io.Reader
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		data, err := json.Marshal(b)
		if err != nil {
			rg.t.Fatal(err)
		}
		raw = data
	}
	if body != nil {
		rd = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if as.subject != "" {
		req.Header.Set(hdrSubject, as.subject)
		req.Header.Set(hdrRoles, strings.Join(as.roles, ","))
		req.Header.Set(hdrAgency, as.agency)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	// Every exchange is checked against the contract, api/openapi.yaml (openapi_test.go).
	w := serveChecked(rg.t, h, req, raw)
	// JSON everywhere, but a CSV report or a zip export (its content type is checked against the contract above).
	if ct := w.Header().Get("Content-Type"); w.Code != http.StatusNoContent && ct != "application/json" &&
		(w.Code != http.StatusOK || !strings.HasPrefix(ct, "text/csv") && ct != "application/zip") {
		rg.t.Errorf("%s %s: Content-Type %q", method, path, ct)
	}
	return resp{status: w.Code, body: w.Body.Bytes(), header: w.Header()}
}

func (rg *rig) call(as who, method, path string, body any, hdr ...string) resp {
	rg.t.Helper()
	return rg.do(rg.h, as, method, path, body, hdr...)
}

// must calls and fails the test unless the status is want.
func (rg *rig) must(want int, as who, method, path string, body any, hdr ...string) resp {
	rg.t.Helper()
	r := rg.call(as, method, path, body, hdr...)
	if r.status != want {
		rg.t.Fatalf("%s %s as %v: status %d, want %d: %s", method, path, as.roles, r.status, want, r.body)
	}
	return r
}

func sample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("../../events/api", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// createdIDs reads the contact ids of an intake response.
func createdIDs(t *testing.T, r resp) []domain.ContactID {
	t.Helper()
	var body struct {
		Contacts []struct {
			Status    string           `json:"status"`
			ContactID domain.ContactID `json:"contactId"`
			Reference string           `json:"reference"`
		} `json:"contacts"`
	}
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Fatal(err)
	}
	var ids []domain.ContactID
	for _, c := range body.Contacts {
		ids = append(ids, c.ContactID)
	}
	return ids
}

// canaryReferral is a valid referral body for the canary child.
func canaryReferral() map[string]any {
	return map[string]any{
		"children": []any{map[string]any{"givenName": "Zebedee", "familyName": "Canarybird", "dateOfBirth": "07/04/2020",
			"school": "Hillman Street Primary", "address": "1 Example Road, London E8"}},
		"parents":  []any{map[string]any{"name": "Morag Canarybird", "relationship": "mother", "parentalResponsibility": true}},
		"referrer": map[string]any{"name": "Ann Teacher", "organisation": "Hillman Street Primary", "role": "DSL", "email": "dsl@hillman.hackney.sch.uk"},
		"concerns": "Zebedee Canarybird came to school with bruising and said he was scared to go home.",
		"consent":  map[string]any{"status": "given"},
	}
}

func (rg *rig) newReferral(as who, body any) domain.ContactID {
	rg.t.Helper()
	ids := createdIDs(rg.t, rg.must(http.StatusCreated, as, "POST", "/v1/referrals", body))
	if len(ids) != 1 {
		rg.t.Fatalf("want one contact, got %v", ids)
	}
	return ids[0]
}
