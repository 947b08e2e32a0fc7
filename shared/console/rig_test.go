package console_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/quotedprintable"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/events"
	"github.com/safeguarding/mash/shared/actions"
	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/census"
	"github.com/safeguarding/mash/shared/console"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/flow"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/internal/testkit"
	"github.com/safeguarding/mash/shared/local"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/embedded"
)

const authority = domain.AuthorityID("hackney")

// rig is the whole suite (embedded store, local executor, folder outbox) on a fake clock, with the API at
// /v1 and the console at / on one test server, as `mash run` serves them.
type rig struct {
	t       *testing.T
	suite   *local.Suite
	clock   *flow.FakeClock
	srv     *httptest.Server
	console *console.Server
	la      *api.LocalAuth
	outbox  string
	logs    *testkit.SyncBuffer
	a       domain.AuthorityID // the authority the console serves
}

// audited reports whether the contact's audit trail has an event of the action by the actor.
func (r *rig) audited(id domain.ContactID, action, actor string) bool {
	r.t.Helper()
	evs, err := r.suite.Store.ListAudit(context.Background(), id)
	if err != nil {
		r.t.Fatal(err)
	}
	return slices.ContainsFunc(evs, func(e store.AuditEvent) bool { return e.Action == action && e.Actor == actor })
}

// census is the screener recording, through the census action the console's form calls, the census codes
// intake could not derive (issue #16: screening cannot finish without them): the "not known" choices for
// the child's codes, 8 Other for the source. Nothing when none is missing.
func (r *rig) census(id domain.ContactID) {
	r.t.Helper()
	codes := map[string]string{}
	for _, f := range census.Missing(r.contact(id)) {
		codes[f] = map[string]string{"source": "8", "gender": "0", "ethnicity": "NOBT"}[f]
	}
	if len(codes) == 0 {
		return
	}
	if _, err := r.suite.Actions.Census(context.Background(), id, actions.Census{Source: codes["source"], Gender: codes["gender"],
		Ethnicity: codes["ethnicity"], By: "screener-1"}); err != nil {
		r.t.Fatal(err)
	}
}

func newRig(t *testing.T) *rig {
	t.Helper()
	return newRigFor(t, authority)
}

// newRigFor is the rig serving another authority's console and API.
func newRigFor(t *testing.T, a domain.AuthorityID) *rig {
	t.Helper()
	dir := t.TempDir()
	clk := flow.NewFakeClock(testkit.London(t, "2027-03-10 10:00")) // a Wednesday, open
	st, err := embedded.Open(filepath.Join(dir, "store.db"), clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var h http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	logs := &testkit.SyncBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	r := &rig{t: t, clock: clk, srv: srv, outbox: filepath.Join(dir, "outbox"), logs: logs, a: a}
	r.suite, err = local.New(context.Background(), local.Options{Dir: dir, OutboxDir: r.outbox, Store: st, Clock: clk,
		Log: log, ConsoleURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if r.la, err = api.LoadOrCreateLocalKey(filepath.Join(dir, "keys"), clk.Now); err != nil {
		t.Fatal(err)
	}
	r.console = &console.Server{Authority: a, Policy: r.suite.Policies[a], Intake: r.suite.Intake.Service,
		Actions: r.suite.Actions, Store: r.suite.Store, OOH: r.suite.EDT, Schools: &r.suite.Directory, Auth: r.la.Authenticate, Local: r.la,
		DemoUsers: console.DemoUsers, Log: log, Now: clk.Now,
		PublicRate: api.RateLimit{PerSecond: 1000, Burst: 1000}}
	mux := http.NewServeMux()
	mux.Handle("/v1/", r.suite.API(a, r.la.Authenticate))
	mux.Handle("/", r.console.Handler())
	h = mux
	return r
}

// advance moves the fake clock in steps, running what falls due (as mash run's ticker does).
func (r *rig) advance(d time.Duration) {
	r.t.Helper()
	for end := r.clock.Now().Add(d); r.clock.Now().Before(end); {
		next := r.clock.Now().Add(min(time.Minute, end.Sub(r.clock.Now())))
		if due, ok := r.suite.Exec.NextDue(); ok && due.After(r.clock.Now()) && due.Before(next) {
			next = due
		}
		r.clock.Set(next)
		if err := r.suite.Tick(context.Background()); err != nil {
			r.t.Fatal(err)
		}
	}
}

// refer makes a referral through intake and lets screening run: the contact waits on the rating tray.
func (r *rig) refer(given, family string) *domain.Contact {
	r.t.Helper()
	res, err := r.suite.Intake.CreateReferral(context.Background(), r.a, intake.Referral{
		Children: []domain.Child{{GivenName: given, FamilyName: family, DateOfBirth: domain.Date{Y: 2017, M: 4, D: 2},
			School: "Hillman Street Primary", Address: "1 Example Road, London E8"}},
		Parents:  []domain.Parent{{Name: "Morag " + family, Relationship: "mother", ParentalResponsibility: true}},
		Referrer: domain.Referrer{Name: "Ann Teacher", Organisation: "Hillman Street Primary", Role: "DSL", Email: "dsl@hillman.hackney.sch.uk", Professional: true},
		Concerns: given + " came to school with bruising and said he was scared to go home.",
		Consent:  domain.Consent{Status: domain.ConsentGiven},
	}, "key-"+given+family)
	if err != nil {
		r.t.Fatal(err)
	}
	r.advance(time.Minute)
	return r.contact(res[0].ContactID)
}

// freeText ingests the sample free-text email (no child could be named: needsCompletion).
func (r *rig) freeText() *domain.Contact {
	r.t.Helper()
	b, err := events.Email.ReadFile("email/public-free-text.eml")
	if err != nil {
		r.t.Fatal(err)
	}
	res, err := r.suite.Intake.IngestEmail(context.Background(), r.a, intake.RawMail{Data: b, Key: "test/public-free-text.eml"})
	if err != nil {
		r.t.Fatal(err)
	}
	r.advance(time.Minute)
	c := r.contact(res[0].ContactID)
	if !c.Flags.NeedsCompletion {
		r.t.Fatalf("the free-text sample made a contact that does not need completion: %+v", c.Flags)
	}
	return c
}

func (r *rig) contact(id domain.ContactID) *domain.Contact {
	r.t.Helper()
	c, err := r.suite.Store.GetContact(context.Background(), id)
	if err != nil {
		r.t.Fatal(err)
	}
	return c
}

// token mints a bearer token for a role.
func (r *rig) token(user string, roles ...string) string {
	r.t.Helper()
	agency := ""
	if len(roles) == 1 && roles[0] == api.RolePartner {
		agency = string(domain.AgencyPolice)
	}
	tok, err := r.la.Mint(api.TokenRequest{Authority: r.a, User: user, Roles: roles, Agency: agency, TTL: time.Hour})
	if err != nil {
		r.t.Fatal(err)
	}
	return tok
}

// outboxText is every message in the outbox, quoted-printable decoded (links are whole).
func (r *rig) outboxText() []string {
	var out []string
	for _, m := range testkit.OutboxMessages(r.t, r.outbox) {
		b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(m)))
		if err != nil {
			b = []byte(m)
		}
		out = append(out, string(b))
	}
	return out
}

var linkRE = regexp.MustCompile(`https?://[^\s"<>]+`)

// links are the distinct links of the outbox's messages.
func (r *rig) links() []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range r.outboxText() {
		for _, l := range linkRE.FindAllString(m, -1) {
			if !seen[l] {
				seen[l] = true
				out = append(out, l)
			}
		}
	}
	return out
}

// browser is an HTTP client with cookies, as a browser without JavaScript is.
type browser struct {
	r    *rig
	c    *http.Client
	csrf string
}

func (r *rig) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{r: r, c: &http.Client{Jar: jar}}
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (b *browser) get(path string) (int, string) {
	b.r.t.Helper()
	resp, err := b.c.Get(b.r.srv.URL + path)
	if err != nil {
		b.r.t.Fatal(err)
	}
	return b.read(resp)
}

func (b *browser) read(resp *http.Response) (int, string) {
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if m := csrfRE.FindSubmatch(body); m != nil {
		b.csrf = string(m[1])
	}
	return resp.StatusCode, string(body)
}

// post sends a form with the page's CSRF token.
func (b *browser) post(path string, form url.Values) (int, string) {
	b.r.t.Helper()
	if b.csrf == "" {
		b.get("/signin")
	}
	if form == nil {
		form = url.Values{}
	}
	if form.Get("csrf") == "" {
		form.Set("csrf", b.csrf)
	}
	resp, err := b.c.Post(b.r.srv.URL+path, "application/x-www-form-urlencoded", bytes.NewBufferString(form.Encode()))
	if err != nil {
		b.r.t.Fatal(err)
	}
	return b.read(resp)
}

func (b *browser) signIn(user string) {
	b.r.t.Helper()
	b.get("/signin")
	if st, body := b.post("/signin", url.Values{"user": {user}, "next": {"/"}}); st != http.StatusOK {
		b.r.t.Fatalf("sign in as %s: %d %s", user, st, body)
	}
}

// open follows a single-use link from an email as its reader does: the link's page (which uses nothing), then
// its button, which uses the link (linkOpenView).
func (b *browser) open(link string) (int, string) {
	b.r.t.Helper()
	path := strings.TrimPrefix(link, b.r.srv.URL)
	st, body := b.get(path)
	if st != http.StatusOK {
		return st, body
	}
	action := regexp.MustCompile(`<form method="post" action="(/(?:answer|encompass)/open)"`).FindStringSubmatch(body)
	if action == nil {
		b.r.t.Fatalf("%s has no button that opens it:\n%s", path, body)
	}
	return b.post(action[1], url.Values{"token": {regexpValue(body, "token")}})
}
