package console_test

import (
	"bytes"
	"context"
	"io"
	"mime/quotedprintable"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/safeguarding/mash/events"
	"github.com/safeguarding/mash/shared/actions"
	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/census"
	"github.com/safeguarding/mash/shared/console"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/store"
)

var (
	staff   = console.Staff
	work    = []string{api.RoleWorker, api.RoleManager}
	manager = []string{api.RoleManager}
	public  = console.Public
)

// pageRoles is every page of the console with the roles that may open it (nil: public). A page added to
// console.Pages without an entry here fails TestPagesByRole.
var pageRoles = map[string][]string{
	"GET /{$}":                                 append(slices.Clone(staff), console.ReferrerRoles...),
	"GET /trays/{tray}":                        staff,
	"POST /trays/{tray}/{id}/claim":            work,
	"POST /trays/{tray}/{id}/unclaim":          work,
	"POST /trays/{tray}/items/{item}/close":    manager,
	"GET /contacts/{id}":                       staff,
	"POST /contacts/{id}/rating":               manager,
	"POST /contacts/{id}/decision":             manager,
	"POST /contacts/{id}/consent-override":     manager,
	"POST /contacts/{id}/escalate":             manager,
	"POST /contacts/{id}/flags":                work,
	"POST /contacts/{id}/harm":                 work,
	"POST /contacts/{id}/immediate-harm":       staff,
	"POST /contacts/{id}/census":               work,
	"POST /contacts/{id}/match":                work,
	"POST /contacts/{id}/ooh-action":           {api.RoleEDT},
	"POST /contacts/{id}/child":                work,
	"POST /contacts/{id}/checks/{check}/close": manager,
	"POST /contacts/{id}/link":                 work,
	"POST /contacts/{id}/school":               work,
	"POST /contacts/{id}/merge":                manager,
	"GET /contacts/{id}/attachments/{n}":       staff,
	"GET /contacts/new":                        staff,
	"POST /contacts/new":                       staff,
	"GET /consultations":                       {api.RoleContactOfficer, api.RoleWorker, api.RoleManager},
	"POST /consultations/{id}/summary":         {api.RoleContactOfficer, api.RoleWorker, api.RoleManager},
	"GET /search":                              staff,
	"GET /meeting":                             work,
	"GET /quarantine":                          manager,
	"POST /quarantine/{id}/release":            manager,
	"POST /quarantine/{id}/discard":            manager,
	"GET /reports":                             manager,
	"GET /ooh":                                 {api.RoleEDT, api.RoleWorker, api.RoleManager},
	"POST /ooh":                                {api.RoleEDT},
	"GET /refer":                               public,
	"POST /refer":                              public,
	"GET /answer/{token}":                      public,
	"POST /answer/open":                        public,
	"POST /answer":                             public,
	"GET /encompass/{token}":                   public,
	"POST /encompass/open":                     public,
	"GET /referrals":                           console.ReferrerRoles,
	"POST /encompass":                          public,
	"GET /signin":                              public,
	"POST /signin":                             public,
	"POST /signout":                            public,
	"GET /signin/start":                        public,
	"GET /signed-in":                           public,
	"GET /signed-out":                          public,
	"GET /assets/{file...}":                    public,
	"GET /api/openapi.yaml":                    public,
	"GET /schools":                             staff,
	"GET /schools/{urn}":                       staff,
	"POST /schools/{urn}":                      manager,
}

// Pages × roles: every page against every role (and no sign-in). A role the page allows gets neither the
// sign-in redirect nor 403; any other role gets 403; no sign-in is sent to sign in (GET) or refused (POST).
func TestPagesByRole(t *testing.T) {
	r := newRig(t)
	c := r.refer("Zebedee", "Canarybird")
	pages := r.console.Pages()
	var patterns []string
	for _, p := range pages {
		patterns = append(patterns, p.Pattern)
		want, ok := pageRoles[p.Pattern]
		if !ok {
			t.Errorf("page %s has no entry in pageRoles: add it with the roles that may open it", p.Pattern)
			continue
		}
		if !slices.Equal(want, p.Roles) {
			t.Errorf("page %s: roles %v, the test expects %v", p.Pattern, p.Roles, want)
		}
	}
	for k := range pageRoles {
		if !slices.Contains(patterns, k) {
			t.Errorf("pageRoles names %s, which is not a page", k)
		}
	}
	fill := strings.NewReplacer("{$}", "", "{tray}", "rating", "{id}", string(c.ID), "{token}", "no-such-token",
		"{file...}", "console.css", "{n}", "00", "{urn}", "100001", "{check}", "police-000000000000")
	for _, p := range pages {
		method, path, _ := strings.Cut(p.Pattern, " ")
		path = fill.Replace(path)
		for _, role := range append([]string{""}, api.Roles...) {
			t.Run(strings.ReplaceAll(p.Pattern, "/", "_")+"/"+role, func(t *testing.T) {
				// A browser: its CSRF cookie and the form's token; the role's bearer token (pages accept it).
				b := r.browser()
				b.get("/signin")
				req, _ := http.NewRequest(method, r.srv.URL+path, strings.NewReader(url.Values{"csrf": {b.csrf}}.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				if role != "" {
					req.Header.Set("Authorization", "Bearer "+r.token("Tess "+role, role))
				}
				b.c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
				resp, err := b.c.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				got := resp.StatusCode
				signIn := got == http.StatusSeeOther && strings.HasPrefix(resp.Header.Get("Location"), "/signin")
				switch {
				case p.Roles == nil:
					if got == http.StatusForbidden || signIn && p.Pattern != "POST /signout" {
						t.Errorf("public page: %d (Location %q)", got, resp.Header.Get("Location"))
					}
				case role == "":
					if method == http.MethodGet && !signIn || method == http.MethodPost && got != http.StatusForbidden {
						t.Errorf("no sign-in: %d (Location %q), want the sign-in page (GET) or 403 (POST)", got, resp.Header.Get("Location"))
					}
				case slices.Contains(p.Roles, role):
					if got == http.StatusForbidden || signIn || got >= 500 {
						body, _ := io.ReadAll(resp.Body)
						t.Errorf("allowed role: %d %s", got, regexpText(string(body), "govuk-body"))
					}
				default:
					if got != http.StatusForbidden {
						t.Errorf("role %s may not open it: %d, want 403", role, got)
					}
				}
			})
		}
	}
}

// Every page sends the security headers, and an error page shows no internal text.
func TestSecurityHeaders(t *testing.T) {
	r := newRig(t)
	b := r.browser()
	for _, path := range []string{"/signin", "/refer", "/", "/no-such-page", "/answer/x", "/assets/console.css"} {
		resp, err := b.c.Get(r.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		h := resp.Header
		if h.Get("Content-Security-Policy") != console.CSP || h.Get("X-Frame-Options") != "DENY" ||
			h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: headers %v", path, h)
		}
	}
	if !strings.Contains(console.CSP, "default-src 'none'") || strings.Contains(console.CSP, "script-src") ||
		strings.Contains(console.CSP, "unsafe-inline") {
		t.Errorf("the CSP allows script: %s", console.CSP)
	}
}

// A form without its CSRF token (another site posting it) changes nothing.
func TestCSRF_FormWithoutTokenRefused(t *testing.T) {
	r := newRig(t)
	c := r.refer("Zebedee", "Canarybird")
	b := r.browser()
	b.signIn("Maya Manager")
	st, body := b.post("/contacts/"+string(c.ID)+"/rating", url.Values{"csrf": {"forged"}, "value": {"red"}, "rationale": {"x"}})
	if st != http.StatusForbidden || !strings.Contains(body, "did not come from this site") {
		t.Fatalf("forged form: %d", st)
	}
	if got := r.contact(c.ID); got.Rating != nil {
		t.Fatalf("a forged form rated the contact: %+v", got.Rating)
	}
}

// Sessions end after the idle timeout and after the absolute timeout, however busy.
func TestSession_IdleAndAbsoluteTimeouts(t *testing.T) {
	r := newRig(t)
	b := r.browser()
	b.signIn("Wes Worker")
	if st, _ := b.get("/"); st != http.StatusOK {
		t.Fatalf("signed in: %d", st)
	}
	r.clock.Advance(console.DefaultIdleTimeout + time.Minute)
	b.c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if st, _ := b.get("/"); st != http.StatusSeeOther {
		t.Fatalf("idle past the timeout: %d, want the sign-in redirect", st)
	}
	b.c.CheckRedirect = nil
	b.signIn("Wes Worker")
	for range int(console.DefaultAbsoluteTimeout/(console.DefaultIdleTimeout/2)) + 1 {
		r.clock.Advance(console.DefaultIdleTimeout / 2)
		b.get("/assets/console.css") // assets need no session: the session is used below
		b.get("/search")
	}
	b.c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if st, _ := b.get("/"); st != http.StatusSeeOther {
		t.Fatalf("past the absolute timeout: %d, want the sign-in redirect", st)
	}
	jar := b.c.Jar.Cookies(mustURL(t, r.srv.URL))
	for _, ck := range jar {
		if ck.Name == "mash_session" && ck.Value != "" {
			t.Logf("session cookie still held by the client (expired server-side)")
		}
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// The session cookie is HttpOnly and SameSite; Secure when served over TLS.
func TestSession_CookieFlags(t *testing.T) {
	r := newRig(t)
	b := r.browser()
	b.get("/signin")
	form := url.Values{"user": {"Wes Worker"}, "csrf": {b.csrf}}
	b.c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := b.c.PostForm(r.srv.URL+"/signin", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var found bool
	for _, ck := range resp.Cookies() {
		if ck.Name == "mash_session" {
			found = true
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode {
				t.Errorf("session cookie flags: %+v", ck)
			}
		}
	}
	if !found {
		t.Fatal("no session cookie")
	}
}

// The partner's answer link works once: it opens the form without an account, the answer is recorded;
// the link again, or the form again, is a clear page and changes nothing. An unknown link reads the same.
func TestAnswerLink_SingleUse(t *testing.T) {
	r := newRig(t)
	c := r.refer("Zebedee", "Canarybird")
	rateWithChecks(t, r, c.ID)
	link := answerLink(t, r, c.ID, domain.AgencyPolice)
	b := r.browser()
	st, body := b.open(link)
	if st != http.StatusOK || !strings.Contains(body, "Zebedee Canarybird") || !strings.Contains(body, "Answer a MASH check") {
		t.Fatalf("the link: %d %s", st, body)
	}
	// The answer may say the risk is higher than rated: the page says the rating it would be higher than.
	if !strings.Contains(body, `id="answer-rating">red<`) {
		t.Errorf("the answer page does not say the MASH's rating")
	}
	tok := regexpValue(body, "token")
	// An empty answer: the form again, with the error by its field and a fresh form token.
	st, body = b.post("/answer", url.Values{"token": {tok}})
	if st != http.StatusBadRequest || !strings.Contains(body, `id="summary-error"`) {
		t.Fatalf("empty answer: %d", st)
	}
	// The error speaks to the agency in the form's words (it read "is required unless nothingKnown").
	if !strings.Contains(body, "write what your agency knows, or tick &#34;My agency holds no information&#34;") || strings.Contains(body, "nothingKnown)") {
		t.Errorf("the empty answer's error is not in the form's words:\n%s", regexpText(body, "govuk-error-message"))
	}
	tok2 := regexpValue(body, "token")
	st, body = b.post("/answer", url.Values{"token": {tok2}, "summary": {"Known to police: a call-out in 2026."}})
	if st != http.StatusOK || !strings.Contains(body, "Answer recorded") {
		t.Fatalf("answer: %d %s", st, body)
	}
	if !strings.Contains(body, `id="answered-reference">`+string(c.Reference)+`<`) {
		t.Errorf("the confirmation does not quote the contact's reference %s", c.Reference)
	}
	checks, err := r.suite.Store.ListChecks(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range checks {
		if ch.Agency == domain.AgencyPolice && (ch.Answer == nil || ch.Answer.Summary != "Known to police: a call-out in 2026.") {
			t.Fatalf("police check: %+v", ch.Answer)
		}
	}
	for _, again := range []func() (int, string){
		func() (int, string) { return b.open(link) },
		func() (int, string) { return b.post("/answer", url.Values{"token": {tok2}, "summary": {"changed"}}) },
	} {
		if st, body := again(); st != http.StatusGone || !strings.Contains(body, "already been used") {
			t.Errorf("second use: %d %s", st, body)
		}
	}
	if st, body := b.open("/answer/not-a-token"); st != http.StatusGone || !strings.Contains(body, "expired or is not valid") {
		t.Errorf("unknown link: %d", st)
	}
	// Expired: the next agency's link after its grace.
	link2 := answerLink(t, r, c.ID, domain.AgencyHealth)
	r.clock.Advance(30 * 24 * time.Hour)
	if st, body := b.open(link2); st != http.StatusGone || !strings.Contains(body, "expired") {
		t.Errorf("expired link: %d", st)
	}
}

func rateRed() actions.Rate {
	return actions.Rate{Value: domain.RatingRed, Rationale: "bruising and fear of going home", By: "Maya Manager",
		Agencies: []domain.Agency{domain.AgencyPolice}}
}

// rateWithChecks rates the contact Red asking the police, and runs the checks step.
func rateWithChecks(t *testing.T, r *rig, id domain.ContactID) {
	t.Helper()
	if _, err := r.suite.Actions.Rate(context.Background(), id, rateRed()); err != nil {
		t.Fatal(err)
	}
	r.advance(time.Minute)
}

// answerLink is the answer link of the agency's check-request email.
func answerLink(t *testing.T, r *rig, id domain.ContactID, a domain.Agency) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(r.outbox, "*"+string(id)+"_check-request_"+string(a)+"-*.eml"))
	if len(files) != 1 {
		t.Fatalf("%d check requests to %s in the outbox", len(files), a)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	dec, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(b)))
	if err != nil {
		dec = b
	}
	l := regexp.MustCompile(regexp.QuoteMeta(r.srv.URL) + `/answer/[A-Za-z0-9_-]+`).FindString(string(dec))
	if l == "" {
		t.Fatalf("no answer link in %s", files[0])
	}
	return l
}

func regexpValue(body, name string) string {
	m := regexp.MustCompile(`name="` + regexp.QuoteMeta(name) + `" value="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

func regexpText(body, class string) string {
	m := regexp.MustCompile(`class="` + regexp.QuoteMeta(class) + `"[^>]*>([^<]+)<`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

// The check-request email carries no personal data: the child's name is not in it.
func TestCheckRequestEmail_LinkNoPersonalData(t *testing.T) {
	r := newRig(t)
	c := r.refer("Zebedee", "Canarybird")
	rateWithChecks(t, r, c.ID)
	var n int
	for _, m := range r.outboxText() {
		if !strings.Contains(m, "check-request") && !strings.Contains(m, "/answer/") {
			continue
		}
		n++
		if strings.Contains(m, "Canarybird") || strings.Contains(m, "Zebedee") {
			t.Errorf("a check request names the child")
		}
	}
	if n == 0 {
		t.Fatal("no check request in the outbox")
	}
}

// The online referral form: errors by their fields with the input kept; a submission makes a contact and
// shows its reference; sending the same page again makes no second contact; the immediate-harm question
// gives the MASH's number before submitting.
func TestRefer_ContactOnceWithReference(t *testing.T) {
	r := newRig(t)
	b := r.browser()
	st, body := b.get("/refer")
	if st != http.StatusOK || !strings.Contains(body, r.console.Policy.Contacts.MASHInbox.Phone) {
		t.Fatalf("the form does not give the MASH's phone number before submitting: %d", st)
	}
	key := regexpValue(body, "formKey")
	form := url.Values{"formKey": {key}, "children[0].givenName": {"Zebedee"}, "children[0].familyName": {""},
		"referrer.name": {"Ann Teacher"}, "concerns": {"bruising"}}
	st, body = b.post("/refer", form)
	if st != http.StatusBadRequest || !strings.Contains(body, `id="immediateHarm-error"`) || !strings.Contains(body, `value="Zebedee"`) {
		t.Fatalf("bad form: %d", st)
	}
	form.Set("immediateHarm", "no")
	form.Set("children[0].familyName", "Canarybird")
	form.Set("children[0].dateOfBirth", "02/04/2017")
	form.Set("referrer.email", "ann@hillman.hackney.sch.uk")
	form.Set("consent.status", "given")
	st, body = b.post("/refer", form)
	if st != http.StatusOK || !strings.Contains(body, "Referral received") {
		t.Fatalf("referral: %d %s", st, body)
	}
	ref := regexpText(body, "console-reference")
	c, err := r.suite.Store.ContactByReference(context.Background(), authority, domain.Reference(ref))
	if err != nil || c.Child.FamilyName != "Canarybird" {
		t.Fatalf("the reference %q shown is not the contact: %v", ref, err)
	}
	st, body = b.post("/refer", form)
	if st != http.StatusOK || regexpText(body, "console-reference") != ref {
		t.Fatalf("resubmit: %d, reference %q (want %q)", st, regexpText(body, "console-reference"), ref)
	}
	n := 0
	for _, s := range domain.Statuses {
		cs, _ := r.suite.Store.ListContacts(context.Background(), authority, s)
		n += len(cs)
	}
	if n != 1 {
		t.Fatalf("%d contacts after a resubmit, want 1", n)
	}
}

// A worker completes a free-text contact's child details; the form re-shows input with errors first.
func TestCompleteChild_FreeText(t *testing.T) {
	r := newRig(t)
	c := r.freeText()
	b := r.browser()
	b.signIn("Wes Worker")
	st, body := b.post("/contacts/"+string(c.ID)+"/child", url.Values{"child.givenName": {"Ada"}, "child.dateOfBirth": {"31/02/2015"}})
	if st != http.StatusBadRequest || !strings.Contains(body, `id="child-familyName-error"`) ||
		!strings.Contains(body, `id="child-dateOfBirth-error"`) || !strings.Contains(body, `value="Ada"`) {
		t.Fatalf("bad input: %d %s", st, body)
	}
	st, _ = b.post("/contacts/"+string(c.ID)+"/child", url.Values{"child.givenName": {"Ada"}, "child.familyName": {"Lovelace"},
		"child.dateOfBirth": {"2015-03-31"}})
	if st != http.StatusOK {
		t.Fatalf("complete: %d", st)
	}
	got := r.contact(c.ID)
	if got.Flags.NeedsCompletion || got.Child.FamilyName != "Lovelace" || got.Child.DateOfBirth != (domain.Date{Y: 2015, M: 3, D: 31}) {
		t.Fatalf("contact: %+v %+v", got.Child, got.Flags)
	}
	if !r.audited(c.ID, "child.completed", "Wes Worker") {
		t.Fatal("no audit event naming the worker")
	}
}

// Bexley §4 (children's names and dates of birth "as far as possible") on the contact page: a worker who saves
// the names alone keeps them and the contact still needs details, the form saying what is still needed; an
// age that is not a number is named by its field; the reason nobody can give the date of birth or an age
// clears it, and the page shows the date of birth as not known, with why.
func TestBexley_4_ChildDetails_CompletedOnTheContactPage_NotKnownNeedsAReason(t *testing.T) {
	r := newRig(t)
	c := r.freeText()
	b := r.browser()
	b.signIn("Wes Worker")
	page := "/contacts/" + string(c.ID)
	if st, _ := b.post(page+"/child", url.Values{"child.givenName": {"Ada"}, "child.familyName": {"Lovelace"}, "child.dateOfBirth": {""}, "child.age": {""}}); st != http.StatusOK {
		t.Fatalf("names alone: %d", st)
	}
	if got := r.contact(c.ID); !got.Flags.NeedsCompletion || got.Child.FamilyName != "Lovelace" {
		t.Fatalf("names alone: %+v %+v, want kept and still needing details", got.Child, got.Flags)
	}
	_, body := b.get(page)
	for _, want := range []string{`child's details needed</strong>`, `id="still-needed">Still needed: the child&#39;s date of birth, or the age as told, or why neither is known.`,
		`id="child-summary-dob">not known<`, `name="child.familyName" type="text" value="Lovelace"`} {
		if !strings.Contains(body, want) {
			t.Errorf("after the names alone the page does not say %q", want)
		}
	}
	st, body := b.post(page+"/child", url.Values{"child.givenName": {"Ada"}, "child.familyName": {"Lovelace"}, "child.age": {"nine"}})
	if st != http.StatusBadRequest || !strings.Contains(body, `id="child-age-error"`) || !strings.Contains(body, `value="nine"`) {
		t.Fatalf("an age in words: %d", st)
	}
	if st, _ := b.post(page+"/child", url.Values{"child.givenName": {"Ada"}, "child.familyName": {"Lovelace"}, "child.age": {""},
		"child.dateOfBirthNotKnown": {"anonymous caller; family not traced"}}); st != http.StatusOK {
		t.Fatalf("why not known: %d", st)
	}
	got := r.contact(c.ID)
	if got.Flags.NeedsCompletion || got.Child.DateOfBirthNotKnown != "anonymous caller; family not traced" {
		t.Fatalf("why not known: %+v %+v", got.Child, got.Flags)
	}
	_, body = b.get(page)
	if !strings.Contains(body, `id="child-summary-dob">not known, nor the age: anonymous caller; family not traced<`) ||
		strings.Contains(body, `child's details needed</strong>`) || strings.Contains(body, `id="complete"`) {
		t.Errorf("after why not known the page does not show it as such, or still asks for details")
	}
}

// A child an email names by a given name alone ("her brother Noël, who is 9", the family name said only of the
// mother): the contact page says the family name is not known and what else intake could not read, in words,
// with the age as told; the completion form holds what intake read, so that the worker adds the family name
// alone and the given name, age and the rest are kept.
func TestContactPage_ChildByAGivenNameAlone_FamilyNameMissingShownAndCompleted(t *testing.T) {
	r := newRig(t)
	raw := "From: Priya Shah <p.shah@housing.example>\r\nTo: mash@hackney.gov.uk\r\nSubject: Concern about a family\r\n" +
		"Date: Wed, 10 Mar 2027 09:30:00 +0000\r\nMessage-ID: <noel-1@housing.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		"Hello MASH,\r\n\r\nI visited Ms Danielle Marchetti (mother) at Flat 3, 12 Mare Street this morning about rent arrears.\r\n" +
		"The flat was very cold and there was an unexplained burn mark on the arm of her brother No\u00ebl, who is 9.\r\n" +
		"I am worried about neglect.\r\n\r\nPriya Shah\r\nHousing Officer\r\n"
	res, err := r.suite.Intake.IngestEmail(context.Background(), r.a, intake.RawMail{Data: []byte(raw), Key: "test/noel.eml"})
	if err != nil || len(res) != 1 {
		t.Fatalf("ingest: %v %+v", err, res)
	}
	r.advance(time.Minute)
	c := r.contact(res[0].ContactID)
	if c.Child.GivenName != "No\u00ebl" || c.Child.FamilyName != "" || c.Child.Age != 9 || !c.Flags.NeedsCompletion {
		t.Fatalf("intake read %+v %+v: the rule under test needs a child by a given name alone", c.Child, c.Flags)
	}
	b := r.browser()
	b.signIn("Wes Worker")
	st, body := b.get("/contacts/" + string(c.ID))
	if st != http.StatusOK {
		t.Fatalf("contact page: %d", st)
	}
	for _, want := range []string{
		`family name not known</strong>`,
		`id="child-summary-dob">not known (9 years old, as told)`,
		`id="not-read">the child&#39;s family name; the child&#39;s date of birth`,
		"name=\"child.givenName\" type=\"text\" value=\"No\u00ebl\"",
		`id="status">waiting for a rating</strong>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the contact page does not say %q", want)
		}
	}
	if strings.Contains(body, ">awaiting-rating<") {
		t.Error("the contact page shows the status's code")
	}
	// The worker adds the family name to what the form holds.
	st, _ = b.post("/contacts/"+string(c.ID)+"/child", url.Values{"child.givenName": {"No\u00ebl"}, "child.familyName": {"Marchetti"}})
	if st != http.StatusOK {
		t.Fatalf("complete: %d", st)
	}
	got := r.contact(c.ID)
	if got.Flags.NeedsCompletion || got.Child.GivenName != "No\u00ebl" || got.Child.FamilyName != "Marchetti" || got.Child.Age != 9 {
		t.Fatalf("completed child %+v %+v", got.Child, got.Flags)
	}
	if !r.audited(c.ID, "child.completed", "Wes Worker") {
		t.Fatal("no audit event naming the worker")
	}
}

// The contact page speaks the MASH's words, not the audit's or the API's codes: the chronology says
// "Partner check requested" (not "check.requested") with its times in local time (not "2027-03-10T10:01:00Z"),
// the partner checks and the rating form name each agency in words ("domestic abuse service", not
// "domestic-abuse"), and proceeding without consent offers each legal basis in words.
func TestContactPage_WordsNotCodes(t *testing.T) {
	r := newRig(t)
	c := r.refer("Zebedee", "Canarybird")
	if _, err := r.suite.Actions.Rate(context.Background(), c.ID, actions.Rate{Value: domain.RatingRed, Rationale: "bruising",
		By: "Maya Manager", Agencies: []domain.Agency{domain.AgencyPolice, domain.AgencyDomesticAbuse}}); err != nil {
		t.Fatal(err)
	}
	r.advance(time.Minute)
	if _, err := r.suite.Store.UpdateContact(context.Background(), c.ID, func(c *domain.Contact) (store.AuditEvent, error) {
		c.Consent = domain.Consent{Status: domain.ConsentNotSought, Reason: "it may place the child at risk"}
		return store.AuditEvent{Actor: "test", Action: "consent.set"}, nil
	}); err != nil {
		t.Fatal(err)
	}
	b := r.browser()
	b.signIn("Maya Manager")
	st, body := b.get("/contacts/" + string(c.ID))
	if st != http.StatusOK {
		t.Fatalf("contact page: %d", st)
	}
	chron := body[strings.Index(body, `id="chronology"`):]
	for _, want := range []string{"Contact recorded", "Rated", "Partner check requested", "GMT"} {
		if !strings.Contains(chron, want) {
			t.Errorf("the chronology does not say %q", want)
		}
	}
	for _, code := range []string{">contact.created", ">check.requested", "T10:0",
		// the detail's keys and ids: deadlines by rule id, the plumbing's ids, codes where words exist
		"due.", "from.", "checksDue", "transition:", "notification:", "kind:", "item:", "tray: rating", "check: police-",
		"riskHigher", "route: mash", "matches:", "rawKey", "channel: form"} {
		if strings.Contains(chron, code) {
			t.Errorf("the chronology shows the code or UTC time %q", code)
		}
	}
	for _, want := range []string{"Partner checks, red: within 4 hours: due ", "agency: police", "agency: domestic abuse service",
		"route: the MASH", "how it came: referral form", "the MASH opens: ",
		`Message queued: MASH check: the agency is asked what it knows, by the rating&#39;s deadline <span class="govuk-body-s">(agency: police)</span>`} {
		if !strings.Contains(chron, want) {
			t.Errorf("the chronology's detail does not say %q", want)
		}
	}
	for _, want := range []string{">domestic abuse service<", "Close the domestic abuse service check",
		`>Section 47 (Children Act 1989): reasonable cause to suspect significant harm</option>`,
		`id="status">partner checks</strong>`, "not sought: it may place the child at risk"} {
		if !strings.Contains(body, want) {
			t.Errorf("the contact page does not say %q", want)
		}
	}
	if strings.Contains(body, ">domestic-abuse") || strings.Contains(body, ">s47<") || strings.Contains(body, ">not-sought") {
		t.Error("the contact page shows an agency's, a legal basis's or consent's code")
	}
}

// Search by reference, by name (one letter wrong) and by date of birth; each read is audited.
func TestSearch_ReferenceNameDOB(t *testing.T) {
	r := newRig(t)
	c := r.refer("Zebedee", "Canarybird")
	r.refer("Ada", "Lovelace")
	b := r.browser()
	b.signIn("Wes Worker")
	for _, q := range []string{string(c.Reference), strings.ToLower(string(c.Reference)), "zebedee canarybyrd", "Canary", "2017-04-02"} {
		st, body := b.get("/search?q=" + url.QueryEscape(q))
		if st != http.StatusOK || !strings.Contains(body, string(c.Reference)) {
			t.Errorf("search %q: %d, the contact is not found", q, st)
		}
		if q == "2017-04-02" && !strings.Contains(body, "Lovelace") {
			t.Errorf("search by DOB misses the other child born that day")
		} else if q != "2017-04-02" && strings.Contains(body, "Lovelace") {
			t.Errorf("search %q finds Lovelace", q)
		}
	}
	if !r.audited(c.ID, "contact.read", "Wes Worker") {
		t.Fatal("search read not audited")
	}
}

// Every link in every notification points at the console's own address and opens a page there (signed
// in as a manager; an answer link without an account).
func TestOutboxLinks_PointHereAndOpen(t *testing.T) {
	r := newRig(t)
	c := r.refer("Zebedee", "Canarybird")
	rateWithChecks(t, r, c.ID)
	links := r.links()
	if len(links) == 0 {
		t.Fatal("no links in the outbox")
	}
	b := r.browser()
	b.signIn("Maya Manager")
	for _, l := range links {
		if !strings.HasPrefix(l, r.srv.URL+"/") {
			t.Errorf("link %s does not point at %s", l, r.srv.URL)
			continue
		}
		if st, _ := b.get(strings.TrimPrefix(l, r.srv.URL)); st != http.StatusOK {
			t.Errorf("link %s: %d", l, st)
		}
	}
}

// text/template and html/template stay out of every Lambda, the console's included (see shared/notify's
// imports test for why).
func TestNoTemplatesInAnyFunction(t *testing.T) {
	out, err := exec.Command("go", "list", "-tags", "lambda.norpc", "-deps", "-f", "{{.ImportPath}}", "../../functions/...").Output()
	if err != nil {
		t.Fatal(err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/safeguarding/mash/functions/console") {
		t.Fatalf("go list did not list the console function: is the pattern still right?")
	}
	for _, banned := range []string{"text/template", "html/template"} {
		if slices.Contains(deps, banned) {
			t.Errorf("a function links %s (go list -deps ./functions/... shows it)", banned)
		}
	}
}

// The public routes are rate-limited per client address: past the burst a 429 with Retry-After, and no
// contact is made.
func TestRefer_RateLimited(t *testing.T) {
	r := newRig(t)
	r.console.PublicRate = api.RateLimit{PerSecond: 0.01, Burst: 2}
	mux := http.NewServeMux()
	mux.Handle("/", r.console.Handler())
	srv := httptest.NewServer(mux)
	defer srv.Close()
	r.srv = srv
	b := r.browser()
	b.get("/refer")
	var last *http.Response
	for range 3 {
		resp, err := b.c.PostForm(srv.URL+"/refer", url.Values{"csrf": {b.csrf}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		last = resp
	}
	if last.StatusCode != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" {
		t.Fatalf("third post in a burst of 2: %d", last.StatusCode)
	}
}

// Issue #16: the census codes neither derived with certainty nor recorded are named on the contact page;
// screening cannot finish without them: the decision is refused (409) with the page again — each missing code
// in the error summary, linked to its field of the census form, named at the decision form, the decision's
// input kept. A code off its list is a 400 at its field; the codes recorded (audited census.set with the
// manager's name), the row is gone and the same decision goes through.
func TestConsole_CensusForm_ScreeningCannotFinishWithoutTheCodes(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	c := r.refer("Zebedee", "Canarybird")
	if _, err := r.suite.Actions.Rate(ctx, c.ID, actions.Rate{Value: domain.RatingAmber, Rationale: "bruising", By: "maya", NoChecks: true}); err != nil {
		t.Fatal(err)
	}
	r.advance(time.Minute)
	m := r.browser()
	m.signIn("Maya Manager")
	missing := census.Missing(r.contact(c.ID))
	want := strings.Join(missing, ", ")
	st, body := m.get("/contacts/" + string(c.ID))
	if st != http.StatusOK || len(missing) != 3 || !strings.Contains(body, `id="census-missing">`+want+` (`) {
		t.Fatalf("census codes to record %q not shown: %d", want, st)
	}
	for _, w := range []string{`action="/contacts/` + string(c.ID) + `/census"`, `<select class="govuk-select" id="census-source" name="census.source"`,
		`id="census-gender" name="census.gender" type="radio" value="0"`, `<option value="NOBT">NOBT – Information not yet obtained</option>`} {
		if !strings.Contains(body, w) {
			t.Errorf("the census form lacks %s", w)
		}
	}
	decision := url.Values{"term": {r.console.Policy.Outcomes[0].Term}, "decisionRationale": {"checks show risk"}}
	st, body = m.post("/contacts/"+string(c.ID)+"/decision", decision)
	if st != http.StatusConflict {
		t.Fatalf("decision without the census codes: %d, want 409", st)
	}
	for _, w := range []string{`govuk-error-summary`, `href="#census-source"`, `href="#census-gender"`, `href="#census-ethnicity"`,
		`id="census-source-error"`, `id="census-gender-error"`, `id="census-ethnicity-error"`, `id="decide-census-error"`,
		"the source of referral, the child&#39;s gender, the child&#39;s ethnicity", ">checks show risk</textarea>"} {
		if !strings.Contains(body, w) {
			t.Errorf("the refused decision's page lacks %s", w)
		}
	}
	if got := r.contact(c.ID); got.Status != domain.StatusAwaitingDecision || got.Outcome != nil {
		t.Fatalf("refused, yet %s with outcome %+v", got.Status, got.Outcome)
	}
	st, body = m.post("/contacts/"+string(c.ID)+"/census", url.Values{"census.source": {"8"}, "census.gender": {"7"}, "census.ethnicity": {""}})
	if st != http.StatusBadRequest || !strings.Contains(body, `id="census-gender-error"`) || !strings.Contains(body, `href="#census-gender"`) {
		t.Fatalf("a gender code off the list: %d, want 400 at census.gender", st)
	}
	if got := r.contact(c.ID); got.Census != nil {
		t.Fatalf("a refused form recorded %+v", got.Census)
	}
	st, body = m.post("/contacts/"+string(c.ID)+"/census", url.Values{"census.source": {"2B"}, "census.gender": {"1"}, "census.ethnicity": {"NOBT"}})
	if st != http.StatusOK || strings.Contains(body, `id="census-missing"`) || !strings.Contains(body, `<option value="2B" selected>`) {
		t.Fatalf("census codes recorded: %d, still shown as missing or not shown as chosen", st)
	}
	if got := r.contact(c.ID).Census; got == nil || got.Source != "2B" || got.Gender != "1" || got.Ethnicity != "NOBT" || got.By == "" {
		t.Fatalf("recorded %+v", got)
	}
	if ev, ok := findEvent(t, r, c.ID, "census.set"); !ok || ev.Detail["fields"] != "source gender ethnicity" || ev.Actor == "" {
		t.Errorf("census.set audit %+v", ev)
	}
	if st, _ := m.post("/contacts/"+string(c.ID)+"/decision", decision); st != http.StatusOK || r.contact(c.ID).Outcome == nil {
		t.Fatalf("the decision after the codes: %d", st)
	}
}

// A manager escalates a contact awaiting its decision to the service manager; a worker's flags form with
// nothing ticked names its field.
func TestEscalateAndFlags(t *testing.T) {
	r := newRig(t)
	c := r.refer("Zebedee", "Canarybird")
	rateWithChecks(t, r, c.ID)
	checks, _ := r.suite.Store.ListChecks(context.Background(), c.ID)
	for _, ch := range checks {
		if _, err := r.suite.Actions.AnswerCheck(context.Background(), c.ID, ch.ID, actions.Answer{By: string(ch.Agency), NothingKnown: true}); err != nil {
			t.Fatal(err)
		}
	}
	r.advance(time.Minute)
	if got := r.contact(c.ID); got.Status != domain.StatusAwaitingDecision {
		t.Fatalf("status %s", got.Status)
	}
	w := r.browser()
	w.signIn("Wes Worker")
	if st, body := w.post("/contacts/"+string(c.ID)+"/flags", nil); st != http.StatusBadRequest || !strings.Contains(body, `id="flags-error"`) {
		t.Fatalf("empty flags: %d", st)
	}
	m := r.browser()
	m.signIn("Maya Manager")
	if st, body := m.get("/contacts/" + string(c.ID)); st != http.StatusOK || !strings.Contains(body, `id="escalate-submit"`) {
		t.Fatalf("no escalate form: %d", st)
	}
	if st, _ := m.post("/contacts/"+string(c.ID)+"/escalate", url.Values{"escalateReason": {"The team disagree on the threshold."}}); st != http.StatusOK {
		t.Fatalf("escalate: %d", st)
	}
	items, err := r.suite.Store.DueItems(context.Background(), string(domain.TrayServiceManager), r.clock.Now().Add(365*24*time.Hour), 0)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(items, func(it store.TrayItem) bool { return it.ContactID == c.ID }) {
		t.Fatal("the escalated contact is not on the service manager's tray")
	}
	if _, body := m.get("/trays/" + string(domain.TrayServiceManager)); !strings.Contains(body, string(c.Reference)) {
		t.Fatal("the service manager's tray page does not list it")
	}
}

// An attachment kept by intake is listed on the contact page and downloads as a file, never shown; the
// read is audited with the reader.
func TestAttachment_DownloadAudited(t *testing.T) {
	r := newRig(t)
	b, err := events.Email.ReadFile("email/gp-letter-pdf.eml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.suite.Intake.IngestEmail(context.Background(), authority, intake.RawMail{Data: b, Key: "test/gp-letter-pdf.eml"})
	if err != nil || len(res) == 0 || res[0].ContactID == "" {
		t.Fatalf("ingest: %v %+v", err, res)
	}
	id := res[0].ContactID
	w := r.browser()
	w.signIn("Wes Worker")
	_, body := w.get("/contacts/" + string(id))
	m := regexp.MustCompile(`href="(/contacts/` + string(id) + `/attachments/\d\d)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no attachment listed")
	}
	resp, err := w.c.Get(r.srv.URL + m[1])
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || len(data) == 0 || resp.Header.Get("Content-Type") != "application/octet-stream" ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("download: %d %v", resp.StatusCode, resp.Header)
	}
	evs, _ := r.suite.Store.ListAudit(context.Background(), id)
	if !slices.ContainsFunc(evs, func(e store.AuditEvent) bool {
		return e.Actor == "Wes Worker" && strings.HasPrefix(e.Detail["what"], "console attachment")
	}) {
		t.Fatal("the download is not audited")
	}
	if st, _ := w.get("/contacts/" + string(id) + "/attachments/99"); st != http.StatusNotFound {
		t.Fatalf("no such attachment: %d", st)
	}
}

// The EDT records what it did overnight from the contact page; it is on the next-morning list's contact's
// chronology. An empty action is refused by its field.
func TestOOHAction_FromContactPage(t *testing.T) {
	r := newRig(t)
	c := r.refer("Zebedee", "Canarybird")
	e := r.browser()
	e.signIn("Eve EDT")
	if _, body := e.get("/contacts/" + string(c.ID)); !strings.Contains(body, `id="oohAction-submit"`) {
		t.Fatal("no EDT action form")
	}
	if st, body := e.post("/contacts/"+string(c.ID)+"/ooh-action", url.Values{"action": {" "}}); st != http.StatusBadRequest || !strings.Contains(body, `id="action-error"`) {
		t.Fatalf("empty action: %d", st)
	}
	if st, _ := e.post("/contacts/"+string(c.ID)+"/ooh-action", url.Values{"action": {"Visited with police at 23:10; child safe with grandmother."}}); st != http.StatusOK {
		t.Fatalf("action: %d", st)
	}
	evs, _ := r.suite.Store.ListAudit(context.Background(), c.ID)
	if !slices.ContainsFunc(evs, func(ev store.AuditEvent) bool { return ev.Actor == "Eve EDT" && ev.Action != "contact.read" }) {
		t.Fatal("the EDT's action is not in the audit trail")
	}
}

// The API's contract is linked from the staff's pages only: a member of the public on the sign-in page or
// the referral form, and a referrer following their referrals, see no "API contract" link (they did). The
// link on a staff page serves api/openapi.yaml itself, without a sign-in (it describes routes and shapes,
// never a contact: tools fetch it). In a browser, each page scanned by axe-core.
func TestFooter_APIContractOnStaffPagesOnly(t *testing.T) {
	r := newRig(t)
	footer := func(ctx context.Context) string {
		t.Helper()
		html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('footer').innerHTML`))
		if err != nil {
			t.Fatal(err)
		}
		return html
	}
	pub := person(t)
	for _, path := range []string{"/signin", "/refer"} {
		step(t, pub, "open "+path, chromedp.Navigate(r.srv.URL+path), chromedp.WaitVisible(chromedp.CSS("footer")))
		if f := footer(pub); strings.Contains(f, "openapi") || strings.Contains(f, "API") {
			t.Errorf("%s: a member of the public is shown the API's contract: %s", path, f)
		}
		check(t, pub, "footer-public"+strings.ReplaceAll(path, "/", "-"))
	}
	ref := person(t)
	signIn(t, ref, r, 5) // Rae Referrer
	step(t, ref, "my referrals", chromedp.Navigate(r.srv.URL+"/referrals"), chromedp.WaitVisible(chromedp.CSS("footer")))
	if f := footer(ref); strings.Contains(f, "openapi") {
		t.Errorf("a referrer is shown the API's contract: %s", f)
	}
	mgr := person(t)
	signIn(t, mgr, r, 0) // Maya Manager
	if f := footer(mgr); !strings.Contains(f, `href="/api/openapi.yaml"`) {
		t.Errorf("a staff page does not link the API's contract: %s", f)
	}
	check(t, mgr, "footer-staff")
	b := r.browser()
	resp, err := b.c.Get(r.srv.URL + "/api/openapi.yaml")

	if err != nil {
		t.Fatal(err)
	}
	spec, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	want, err := os.ReadFile("../../api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !bytes.Equal(spec, want) ||
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/yaml") {
		t.Errorf("GET /api/openapi.yaml = %d %q (%d bytes), want 200 application/yaml with api/openapi.yaml (%d bytes)",
			resp.StatusCode, resp.Header.Get("Content-Type"), len(spec), len(want))
	}
}

// findEvent is the contact's latest audit event with the action.
func findEvent(t *testing.T, r *rig, id domain.ContactID, action string) (store.AuditEvent, bool) {
	t.Helper()
	evs, err := r.suite.Store.ListAudit(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var found store.AuditEvent
	ok := false
	for _, e := range evs {
		if e.Action == action {
			found, ok = e, true
		}
	}
	return found, ok
}

// A mail scanner (Microsoft Defender's Safe Links and the like) fetches every link in a message before the
// person reads it. Fetching the check-request or Encompass link uses nothing: the agency's worker and the
// school's DSL still open it with its button (a GET used it, and they found it "already used").
func TestSingleUseLinks_AMailScannerFetchingThemLeavesThemUsable(t *testing.T) {
	r := newRig(t)
	c := r.refer("Zebedee", "Canarybird")
	rateWithChecks(t, r, c.ID)
	link := answerLink(t, r, c.ID, domain.AgencyPolice)
	scanner := r.browser()
	for range 2 {
		if st, body := scanner.get(strings.TrimPrefix(link, r.srv.URL)); st != http.StatusOK || strings.Contains(body, "Zebedee") {
			t.Fatalf("the scanner's fetch: %d (the link's page shows nothing of the child)", st)
		}
	}
	st, body := r.browser().open(link)
	if st != http.StatusOK || !strings.Contains(body, `id="answer-submit"`) || !strings.Contains(body, "Zebedee Canarybird") {
		t.Fatalf("the person's open after the scanner's fetches: %d %s", st, regexpText(body, "govuk-heading-l"))
	}
	id := r.encompassPPN("")
	ack := ackLinkRE.FindString(r.encompassNotice(id).Text)
	if st, _ := scanner.get(strings.TrimPrefix(ack, r.srv.URL)); st != http.StatusOK {
		t.Fatalf("the scanner's fetch of the Encompass link: %d", st)
	}
	if st, body := r.browser().open(ack); st != http.StatusOK || !strings.Contains(body, `id="ack-submit"`) {
		t.Fatalf("the DSL's open after the scanner's fetch: %d %s", st, regexpText(body, "govuk-heading-l"))
	}
}
