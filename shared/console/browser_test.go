package console_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/safeguarding/mash/shared/directory"
	"github.com/safeguarding/mash/shared/domain"
)

// The browser tests drive headless Chromium (the Debian chromium package, scripts/tools.sh chromium) with
// chromedp: one browser for the whole test binary, one browser context (own cookies) per person. Each page
// visited gets axe-core (npm, pinned in tools/console) injected: no serious or critical violation is
// allowed. Screenshots go to the test output folder (MASH_TEST_OUTPUT, default .test-output/console at the
// top of the checkout).

var (
	chromeOnce sync.Once
	chromeCtx  context.Context
	chromeErr  error
	axeSource  string
)

func chromiumPath() string {
	for _, n := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// person is a browser context of the shared browser: its own cookies, as another person's browser.
func person(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium is not installed: run scripts/tools.sh chromium (as root)")
		}
		t.Skip("chromium is not installed (scripts/tools.sh chromium); with CI=true this fails")
	}
	chromeOnce.Do(func() {
		b, err := os.ReadFile(filepath.Join(toolsDirAbs(), "npm-console", "node_modules", "axe-core", "axe.min.js"))
		if err != nil {
			chromeErr = errors.New("axe-core is not installed: run scripts/tools.sh npm-console")
			return
		}
		axeSource = string(b)
		opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
			chromedp.WindowSize(1280, 900), chromedp.Flag("disable-dev-shm-usage", true))
		alloc, _ := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, _ := chromedp.NewContext(alloc)
		if err := chromedp.Do(ctx); err != nil {
			chromeErr = err
			return
		}
		chromeCtx = ctx
	})
	if chromeErr != nil {
		t.Fatal(chromeErr)
	}
	ctx, cancel := chromedp.NewContext(chromeCtx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	// The first Run on a context makes its tab, which lives as long as that call's context: run it here,
	// without a timeout, so that steps may use their own.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	return ctx
}

func toolsDirAbs() string {
	if d := os.Getenv("MASH_TOOLS"); d != "" {
		return d
	}
	abs, _ := filepath.Abs("../../.tools")
	return abs
}

func outputDir(t *testing.T) string {
	d := os.Getenv("MASH_TEST_OUTPUT")
	if d == "" {
		d, _ = filepath.Abs("../../.test-output")
	}
	d = filepath.Join(d, "console")
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	return d
}

// step runs browser actions with a time limit.
func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(c, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	s, err := chromedp.Run(c, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// check scans the page with axe-core (no serious or critical violation) and saves a screenshot.
func check(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := chromedp.Run(c, chromedp.Evaluate[bool](axeSource+";true")); err != nil {
		t.Fatalf("%s: inject axe-core: %v", name, err)
	}
	bad, err := chromedp.Run(c, chromedp.Evaluate[[]string](`axe.run(document).then(r => r.violations
		.filter(v => v.impact === 'serious' || v.impact === 'critical')
		.map(v => v.impact + ' ' + v.id + ': ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', ')))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: axe.run: %v", name, err)
	}
	for _, v := range bad {
		t.Errorf("%s: accessibility: %s", name, v)
	}
	png, err := chromedp.Run(c, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("%s: screenshot: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(outputDir(t), name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func signIn(t *testing.T, ctx context.Context, r *rig, user int) {
	t.Helper()
	step(t, ctx, "sign in", chromedp.Navigate(r.srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#signin-user")),
		chromedp.Click(chromedp.CSS("#user-"+string(rune('0'+user)))), chromedp.Click(chromedp.CSS("#signin-user")),
		chromedp.WaitVisible(chromedp.CSS(".console-signout")))
}

// The journeys of the issue, in a real browser: a manager signs in, sees a new contact on the rating tray,
// rates it Red with a rationale (a first try without one shows the error by its field, input kept) and
// requests checks; the police answer through the single-use link (a second use changes nothing); a worker
// completes a free-text contact's child details; the manager decides and the feedback is in the outbox; the
// EDT records a phone contact. Every page is scanned by axe-core and photographed.
func TestBrowser_Journeys(t *testing.T) {
	r := newRig(t)
	c := r.refer("Zebedee", "Canarybird")
	free := r.freeText()

	// The manager.
	mgr := person(t)
	step(t, mgr, "anonymous is sent to sign in", chromedp.Navigate(r.srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#signin-user")))
	check(t, mgr, "signin")
	signIn(t, mgr, r, 0) // Maya Manager
	if got := text(t, mgr, `table[data-tray="rating"]`); !strings.Contains(got, string(c.Reference)) || !strings.Contains(got, "Zebedee Canarybird") {
		t.Fatalf("the rating tray does not list %s: %q", c.Reference, got)
	}
	check(t, mgr, "home")
	step(t, mgr, "open the contact", chromedp.Click(chromedp.CSS(`table[data-tray="rating"] a[href="/contacts/`+string(c.ID)+`"]`)),
		chromedp.WaitVisible(chromedp.CSS("#rate-submit")))
	if got := text(t, mgr, "#child-name"); got != "Zebedee Canarybird" {
		t.Fatalf("contact page shows %q", got)
	}
	check(t, mgr, "contact")
	step(t, mgr, "rate without a rationale", chromedp.Click(chromedp.CSS("#value-red")),
		chromedp.Click(chromedp.CSS("#rate-submit")), chromedp.WaitVisible(chromedp.CSS("#rationale-error")))
	if checked, err := chromedp.Run(mgr, chromedp.Evaluate[bool](`document.querySelector('#value-red').checked`)); err != nil || !checked {
		t.Fatalf("the rating chosen is not kept after the error: %v", err)
	}
	check(t, mgr, "contact-error")
	step(t, mgr, "rate Red and request checks", chromedp.SendKeys(chromedp.CSS("#rationale"), "Bruising and fear of going home: Red."),
		chromedp.Click(chromedp.CSS("#agencies-police")), chromedp.Click(chromedp.CSS("#rate-submit")),
		chromedp.WaitVisible(chromedp.CSS("p strong.console-rag-red")))
	if got := r.contact(c.ID); got.Rating == nil || got.Rating.Value != domain.RatingRed || got.Rating.By != "Maya Manager" {
		t.Fatalf("rating: %+v", got.Rating)
	}
	r.advance(time.Minute) // the checks step asks the agencies

	// The daily meeting (Hackney §6) from the menu: the Red contact waits on its partner checks.
	step(t, mgr, "the daily meeting", chromedp.Click(chromedp.CSS(`a[href="/meeting"]`)), chromedp.WaitVisible(chromedp.CSS("#agenda")))
	if got := text(t, mgr, "#agenda"); !strings.Contains(got, string(c.Reference)) || !strings.Contains(got, "waiting on partner checks: 0 of ") {
		t.Fatalf("the agenda: %q", got)
	}
	check(t, mgr, "meeting")

	// The police, without an account, through the link in their email.
	police := person(t)
	link := answerLink(t, r, c.ID, domain.AgencyPolice)
	step(t, police, "open the answer link", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#answer-open")))
	check(t, police, "answer-link")
	step(t, police, "open the check", chromedp.Click(chromedp.CSS("#answer-open")), chromedp.WaitVisible(chromedp.CSS("#answer-submit")))
	if got := text(t, police, "#answer-child"); got != "Zebedee Canarybird" {
		t.Fatalf("answer page child: %q", got)
	}
	check(t, police, "answer")
	step(t, police, "answer", chromedp.SendKeys(chromedp.CSS("#summary"), "Known to police: a domestic call-out in 2026."),
		chromedp.Click(chromedp.CSS("#answer-submit")), chromedp.WaitVisible(chromedp.CSS(".govuk-panel--confirmation")))
	check(t, police, "answered")
	step(t, police, "the link again", chromedp.Navigate(link), chromedp.Click(chromedp.CSS("#answer-open")), chromedp.WaitNotPresent(chromedp.CSS("#answer-open")), chromedp.WaitVisible(chromedp.CSS("h1")))
	if got := text(t, police, "h1"); !strings.Contains(got, "already been used") {
		t.Fatalf("second use: %q", got)
	}
	// The other agencies answer through their links too (plain HTTP), so the decision is due.
	b := r.browser()
	checks, _ := r.suite.Store.ListChecks(context.Background(), c.ID)
	for _, ch := range checks {
		if ch.Answer != nil {
			continue
		}
		l := answerLink(t, r, c.ID, ch.Agency)
		_, body := b.open(l)
		if st, _ := b.post("/answer", url.Values{"token": {regexpValue(body, "token")}, "nothingKnown": {"true"}}); st != http.StatusOK {
			t.Fatalf("%s answer: %d", ch.Agency, st)
		}
	}
	r.advance(time.Minute)
	if got := r.contact(c.ID); got.Status != domain.StatusAwaitingDecision {
		t.Fatalf("after the answers: %s", got.Status)
	}

	// A worker completes the free-text contact.
	wk := person(t)
	signIn(t, wk, r, 1) // Wes Worker
	step(t, wk, "open the free-text contact", chromedp.Navigate(r.srv.URL+"/contacts/"+string(free.ID)),
		chromedp.WaitVisible(chromedp.CSS("#complete-submit")))
	check(t, wk, "complete-child")
	step(t, wk, "complete the child", chromedp.SendKeys(chromedp.CSS("#child-givenName"), "Ada"),
		chromedp.SendKeys(chromedp.CSS("#child-familyName"), "Lovelace"),
		chromedp.SendKeys(chromedp.CSS("#child-dateOfBirth"), "31/03/2015"),
		chromedp.Click(chromedp.CSS("#complete-submit")), chromedp.WaitNotPresent(chromedp.CSS("#complete-submit")))
	if got := r.contact(free.ID); got.Flags.NeedsCompletion || got.Child.FamilyName != "Lovelace" {
		t.Fatalf("completed: %+v %+v", got.Child, got.Flags)
	}
	step(t, wk, "search", chromedp.Navigate(r.srv.URL+"/search?q="+url.QueryEscape(string(c.Reference))), chromedp.WaitVisible(chromedp.CSS("h2")))
	if got := text(t, wk, "main"); !strings.Contains(got, string(c.Reference)) {
		t.Fatalf("search by reference: %q", got)
	}
	check(t, wk, "search")

	// The school directory: search a school and open it (issue #20 §5); the manager's edit form is scanned too.
	if _, err := r.suite.Directory.Import(context.Background(), authority, "setup", []directory.Row{{URN: "100001",
		Name: "Northern Parade Junior School", Phase: "Primary", Postcode: "E8 1AB", Open: true,
		DSLEmail: "dsl@northernparade.hackney.sch.uk"}}, []int{2}); err != nil {
		t.Fatal(err)
	}
	step(t, wk, "schools", chromedp.Navigate(r.srv.URL+"/schools?q=northern"), chromedp.WaitVisible(chromedp.CSS("h2")))
	check(t, wk, "schools")
	step(t, mgr, "a school", chromedp.Navigate(r.srv.URL+"/schools/100001"), chromedp.WaitVisible(chromedp.CSS("#dslEmail")))
	check(t, mgr, "school")

	// The manager decides: refused while the census codes are missing (issue #16: screening cannot finish
	// without them; the page names each, linked to the census form); the screener records them in the form;
	// then the decision goes and the referrer's feedback is in the outbox.
	term := r.console.Policy.Outcomes[0].Term
	step(t, mgr, "open the contact to decide", chromedp.Navigate(r.srv.URL+"/contacts/"+string(c.ID)),
		chromedp.WaitVisible(chromedp.CSS("#decide-submit")))
	step(t, mgr, "decide without the census codes", chromedp.SetValue(chromedp.CSS("#term"), term),
		chromedp.SendKeys(chromedp.CSS("#decisionRationale"), "Checks show risk: assessment."),
		chromedp.Click(chromedp.CSS("#decide-submit")), chromedp.WaitVisible(chromedp.CSS("#decide-census-error")))
	if got := text(t, mgr, ".govuk-error-summary"); !strings.Contains(got, "source of referral") || r.contact(c.ID).Outcome != nil {
		t.Fatalf("refused decision: summary %q", got)
	}
	check(t, mgr, "decision refused for the census codes")
	step(t, wk, "the screener records the census codes", chromedp.Navigate(r.srv.URL+"/contacts/"+string(c.ID)),
		chromedp.WaitVisible(chromedp.CSS("#census-submit")),
		chromedp.SetValue(chromedp.CSS("#census-source"), "2A"), chromedp.Click(chromedp.CSS("#census-gender-1")),
		chromedp.SetValue(chromedp.CSS("#census-ethnicity"), "NOBT"),
		chromedp.Click(chromedp.CSS("#census-submit")), chromedp.WaitNotPresent(chromedp.CSS("#census-missing")))
	if got := r.contact(c.ID).Census; got == nil || got.Source != "2A" || got.Gender != "1" || got.Ethnicity != "NOBT" {
		t.Fatalf("census codes recorded in the browser: %+v", got)
	}
	step(t, mgr, "open the contact to decide", chromedp.Navigate(r.srv.URL+"/contacts/"+string(c.ID)),
		chromedp.WaitVisible(chromedp.CSS("#decide-submit")))
	step(t, mgr, "decide", chromedp.SetValue(chromedp.CSS("#term"), term),
		chromedp.SendKeys(chromedp.CSS("#decisionRationale"), "Checks show risk: assessment."),
		chromedp.Click(chromedp.CSS("#decide-submit")), chromedp.WaitVisible(chromedp.CSS("#decision")))
	r.advance(time.Minute)
	if got := r.contact(c.ID); got.Outcome == nil || got.Outcome.AuthorityTerm != term {
		t.Fatalf("decision: %+v", got.Outcome)
	}
	feedback, _ := filepath.Glob(filepath.Join(r.outbox, "*"+string(c.ID)+"_feedback*.eml"))
	if len(feedback) != 1 {
		t.Fatalf("feedback in the outbox: %v", feedback)
	}
	check(t, mgr, "decided")
	step(t, mgr, "quarantine", chromedp.Navigate(r.srv.URL+"/quarantine"), chromedp.WaitVisible(chromedp.CSS("h1")))
	check(t, mgr, "quarantine")
	step(t, mgr, "reports", chromedp.Navigate(r.srv.URL+"/reports"), chromedp.WaitVisible(chromedp.CSS("svg")))
	check(t, mgr, "reports")

	// The EDT records a phone contact out of hours.
	edt := person(t)
	signIn(t, edt, r, 3) // Eve EDT
	step(t, edt, "the out-of-hours page", chromedp.Navigate(r.srv.URL+"/ooh"), chromedp.WaitVisible(chromedp.CSS("#ooh-submit")))
	check(t, edt, "ooh")
	step(t, edt, "record a phone contact", chromedp.SendKeys(chromedp.CSS("#child-givenName"), "Bea"),
		chromedp.SendKeys(chromedp.CSS("#child-familyName"), "Night"),
		chromedp.SendKeys(chromedp.CSS("#child-dateOfBirth"), "12/06/2019"),
		chromedp.SendKeys(chromedp.CSS("#referrer-name"), "Neighbour"),
		chromedp.SendKeys(chromedp.CSS("#concerns"), "Shouting and a child crying late at night."),
		chromedp.Click(chromedp.CSS("#ooh-submit")), chromedp.WaitVisible(chromedp.CSS("#ooh-created")))
	ref := strings.TrimSpace(text(t, edt, "#ooh-created"))
	if _, err := r.suite.Store.ContactByReference(context.Background(), authority, domain.Reference(ref)); err != nil {
		t.Fatalf("the EDT's contact %q: %v", ref, err)
	}
	check(t, edt, "ooh-recorded")

	// The public referral form.
	pub := person(t)
	step(t, pub, "the referral form", chromedp.Navigate(r.srv.URL+"/refer"), chromedp.WaitVisible(chromedp.CSS("#refer-submit")))
	if got := text(t, pub, "#immediate-harm-warning"); !strings.Contains(got, r.console.Policy.Contacts.MASHInbox.Phone) {
		t.Fatalf("the immediate-harm warning lacks the MASH's number: %q", got)
	}
	check(t, pub, "refer")
	step(t, pub, "submit it empty", chromedp.Click(chromedp.CSS("#refer-submit")), chromedp.WaitVisible(chromedp.CSS(".govuk-error-summary")))
	check(t, pub, "refer-errors")
	names, _ := filepath.Glob(filepath.Join(outputDir(t), "*.png"))
	if !slices.ContainsFunc(names, func(n string) bool { return strings.HasSuffix(n, "home.png") }) {
		t.Fatalf("no screenshots in %s", outputDir(t))
	}
}
