package console_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/safeguarding/mash/events"
	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/directory"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

// call sends an API request with a role's bearer token and returns the status and body.
func (r *rig) call(method, path, contentType string, body []byte, role string) (int, []byte) {
	r.t.Helper()
	req, _ := http.NewRequest(method, r.srv.URL+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+r.token("Tess "+role, role))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// encompassPPN loads Hackney's sample school directory and posts the sample PPN whose school the directory
// names (its DSL is at an allowed school domain), with the school written as given; it returns the contact.
func (r *rig) encompassPPN(school string) domain.ContactID {
	r.t.Helper()
	csv, err := os.ReadFile("../../events/schools/hackney.csv")
	if err != nil {
		r.t.Fatal(err)
	}
	if st, b := r.call("POST", "/v1/schools", "text/csv", csv, api.RoleManager); st != http.StatusOK {
		r.t.Fatalf("schools: %d %s", st, b)
	}
	body, err := events.PPNs.ReadFile("api/ppn-hackney-school-by-another-name.json")
	if err != nil {
		r.t.Fatal(err)
	}
	if school != "" {
		var m map[string]any
		_ = json.Unmarshal(body, &m)
		m["children"].([]any)[0].(map[string]any)["school"] = school
		m["policeReference"] = "01DEMO" + strings.ToUpper(strings.ReplaceAll(school, " ", ""))[:6]
		body, _ = json.Marshal(m)
	}
	st, b := r.call("POST", "/v1/ppn", "application/json", body, api.RolePolice)
	if st != http.StatusCreated {
		r.t.Fatalf("ppn: %d %s", st, b)
	}
	var res struct {
		Contacts []struct {
			ContactID domain.ContactID `json:"contactId"`
		} `json:"contacts"`
	}
	if err := json.Unmarshal(b, &res); err != nil || len(res.Contacts) == 0 {
		r.t.Fatalf("ppn answer: %s", b)
	}
	r.advance(time.Minute)
	return res.Contacts[0].ContactID
}

// encompassNotice is the contact's Encompass notice as sent.
func (r *rig) encompassNotice(id domain.ContactID) store.Notification {
	r.t.Helper()
	ns, _ := r.suite.Store.ListNotifications(context.Background(), id)
	for _, n := range ns {
		if n.Kind == string(domain.NoticeEncompass) {
			return n
		}
	}
	r.t.Fatalf("no Encompass notice for %s", id)
	return store.Notification{}
}

var ackLinkRE = regexp.MustCompile(`https?://[^\s"<>]+/encompass/[A-Za-z0-9_-]+`)

// Operation Encompass: the DSL's notice carries a single-use link (and no personal data); the page shows the
// child and what the school needs, and takes the acknowledgement (each missing field named by its field),
// audited with the name the DSL gave; the item leaves the encompass-ack tray. The link again, the form
// again, an unknown or an expired link: a clear page, nothing changed.
func TestHackney_Encompass_DSLAcknowledgesThroughTheLink(t *testing.T) {
	r := newRig(t)
	id := r.encompassPPN("")
	n := r.encompassNotice(id)
	if !slices.Equal(n.To, []string{"dsl@amberdene-junior.hackney.sch.uk"}) {
		t.Fatalf("notice to %v", n.To)
	}
	link := ackLinkRE.FindString(n.Text)
	if link == "" || !strings.HasPrefix(link, r.srv.URL+"/encompass/") || !strings.Contains(n.HTML, link) {
		t.Fatalf("no acknowledgement link in the notice: %s", n.Text)
	}
	for _, part := range []string{n.Subject, n.Text, n.HTML} {
		if strings.Contains(part, "Rowan") || strings.Contains(part, "Testwell") {
			t.Fatalf("the notice carries the child's name: %q", part)
		}
	}
	item := directory.AckItemID(id, "900001")
	if it, err := r.suite.Store.GetTrayItem(context.Background(), item); err != nil || it.Tray != directory.TrayEncompassAck ||
		!it.DueAt.Equal(r.contact(id).Deadlines["encompass"]) {
		t.Fatalf("encompass-ack item: %+v %v (deadline %v)", it, err, r.contact(id).Deadlines["encompass"])
	}

	b := r.browser()
	st, body := b.open(link)
	if st != http.StatusOK || !strings.Contains(body, "Rowan Testwell") || !strings.Contains(body, "What the school needs to do") {
		t.Fatalf("the link: %d %s", st, regexpText(body, "govuk-body"))
	}
	tok := regexpValue(body, "token")
	st, body = b.post("/encompass", url.Values{"token": {tok}, "role": {"DSL"}})
	if st != http.StatusBadRequest || !strings.Contains(body, `id="name-error"`) || !strings.Contains(body, `id="read-error"`) ||
		!strings.Contains(body, `value="DSL"`) {
		t.Fatalf("empty acknowledgement: %d", st)
	}
	tok2 := regexpValue(body, "token")
	st, body = b.post("/encompass", url.Values{"token": {tok2}, "name": {"Ann Teacher"}, "role": {"DSL"}, "read": {"true"}})
	if st != http.StatusOK || !strings.Contains(body, "Acknowledgement recorded") {
		t.Fatalf("acknowledge: %d %s", st, body)
	}
	if it, _ := r.suite.Store.GetTrayItem(context.Background(), item); it.CompletedAt.IsZero() {
		t.Fatalf("the acknowledged notice is still on the encompass-ack tray: %+v", it)
	}
	evs, _ := r.suite.Store.ListAudit(context.Background(), id)
	if !slices.ContainsFunc(evs, func(e store.AuditEvent) bool {
		return e.Action == "encompass.acknowledged" && strings.Contains(e.Actor, "Ann Teacher") && strings.Contains(e.Detail["school"], "900001")
	}) {
		t.Fatal("the acknowledgement is not audited with the DSL and the school")
	}
	if !slices.ContainsFunc(evs, func(e store.AuditEvent) bool {
		return e.Action == "contact.read" && e.Detail["what"] == "console Encompass acknowledgement page" && len(e.SharedWith) == 1
	}) {
		t.Fatal("the page's read is not audited as shared with the school")
	}
	acks := func() int {
		evs, _ := r.suite.Store.ListAudit(context.Background(), id)
		return len(slices.DeleteFunc(evs, func(e store.AuditEvent) bool { return e.Action != "encompass.acknowledged" }))
	}
	for _, again := range []func() (int, string){
		func() (int, string) { return b.open(link) },
		func() (int, string) {
			return b.post("/encompass", url.Values{"token": {tok2}, "name": {"Someone Else"}, "read": {"true"}})
		},
	} {
		if st, body := again(); st != http.StatusGone || !strings.Contains(body, "already been used") {
			t.Errorf("second use: %d %s", st, regexpText(body, "govuk-heading-l"))
		}
	}
	if acks() != 1 {
		t.Errorf("%d acknowledgements recorded, want 1", acks())
	}
	if st, body := b.open("/encompass/not-a-token"); st != http.StatusGone || !strings.Contains(body, "expired or is not valid") {
		t.Errorf("unknown link: %d", st)
	}
	// An answer link is not an acknowledgement link, nor the other way round.
	if st, _ := b.open("/answer/" + strings.TrimPrefix(link, r.srv.URL+"/encompass/")); st != http.StatusGone {
		t.Errorf("an acknowledgement link opened the answer page: %d", st)
	}
}

// Unacknowledged at the Encompass deadline (the school-day rule started at intake), the notice escalates to
// the authority's Encompass lead, once; an expired link then changes nothing.
func TestHackney_Encompass_UnacknowledgedGoesToTheEncompassLead(t *testing.T) {
	r := newRig(t)
	id := r.encompassPPN("")
	link := ackLinkRE.FindString(r.encompassNotice(id).Text)
	due := r.contact(id).Deadlines["encompass"]
	lead := r.suite.Policies[authority].Contacts.EncompassLead.Email
	escalations := func() []store.Notification {
		ns, _ := r.suite.Store.ListNotifications(context.Background(), id)
		return slices.DeleteFunc(ns, func(n store.Notification) bool {
			return n.Kind != string(domain.NoticeEscalation) || !strings.Contains(n.ID, directory.TrayEncompassAck)
		})
	}
	r.clock.Set(due.Add(-time.Minute))
	if _, err := r.suite.Sweep.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := escalations(); len(got) != 0 {
		t.Fatalf("escalated before the deadline: %+v", got)
	}
	r.clock.Set(due.Add(time.Minute))
	for range 2 {
		if _, err := r.suite.Sweep.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	got := escalations()
	if len(got) != 1 || !slices.Equal(got[0].To, []string{lead}) || !strings.Contains(got[0].Text, "not acknowledged") {
		t.Fatalf("escalation to the Encompass lead %s: %+v", lead, got)
	}
	if strings.Contains(got[0].Subject, "Rowan") || strings.Contains(got[0].Text, "Rowan") {
		t.Fatal("the escalation carries the child's name")
	}
	// Past the link's grace it is expired: a clear page, nothing recorded.
	r.clock.Set(due.Add(directory.AckGrace + time.Hour))
	b := r.browser()
	if st, body := b.open(link); st != http.StatusGone || !strings.Contains(body, "expired") {
		t.Fatalf("expired link: %d", st)
	}
	if it, _ := r.suite.Store.GetTrayItem(context.Background(), directory.AckItemID(id, "900001")); !it.CompletedAt.IsZero() {
		t.Fatal("an expired link acknowledged the notice")
	}
}

// A home-educated child has no school to tell: the notice goes to the local authority's Encompass lead,
// with no acknowledgement link and nothing on the encompass-ack tray.
func TestHackney_Encompass_HomeEducatedGoesToTheLocalAuthority(t *testing.T) {
	r := newRig(t)
	id := r.encompassPPN("home educated")
	n := r.encompassNotice(id)
	lead := r.suite.Policies[authority].Contacts.EncompassLead.Email
	if !slices.Equal(n.To, []string{lead}) || !strings.Contains(n.Text, "educated at home") {
		t.Fatalf("home-educated notice to %v: %s", n.To, n.Text)
	}
	if ackLinkRE.MatchString(n.Text) {
		t.Fatal("the lead's notice carries a school acknowledgement link")
	}
	items, _ := r.suite.Store.DueItems(context.Background(), directory.TrayEncompassAck, r.clock.Now().Add(30*24*time.Hour), 0)
	if slices.ContainsFunc(items, func(it store.TrayItem) bool { return it.ContactID == id }) {
		t.Fatal("a home-educated child's notice waits for a school's acknowledgement")
	}
}

// The journey "a DSL acknowledges an Encompass notice", in a real browser: the link from the email opens the
// page without an account; an empty form shows each error by its field, the input kept; the acknowledgement
// is recorded; the link again is a clear page. Every page is scanned by axe-core and photographed.
func TestBrowser_DSLAcknowledgesAnEncompassNotice(t *testing.T) {
	r := newRig(t)
	id := r.encompassPPN("")
	link := ackLinkRE.FindString(r.encompassNotice(id).Text)
	if link == "" {
		t.Fatal("no acknowledgement link in the notice")
	}
	dsl := person(t)
	step(t, dsl, "open the link", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#encompass-open")))
	check(t, dsl, "encompass-link")
	step(t, dsl, "open the notification", chromedp.Click(chromedp.CSS("#encompass-open")), chromedp.WaitVisible(chromedp.CSS("#ack-submit")))
	if got := text(t, dsl, "#ack-child"); got != "Rowan Testwell" {
		t.Fatalf("acknowledgement page child: %q", got)
	}
	check(t, dsl, "encompass-ack")
	step(t, dsl, "acknowledge without a name or the confirmation", chromedp.SendKeys(chromedp.CSS("#role"), "DSL"),
		chromedp.Click(chromedp.CSS("#ack-submit")), chromedp.WaitVisible(chromedp.CSS("#name-error")))
	if got, err := chromedp.Run(dsl, chromedp.Evaluate[string](`document.querySelector('#role').value`)); err != nil || got != "DSL" {
		t.Fatalf("the role typed is not kept after the error: %q %v", got, err)
	}
	if got := text(t, dsl, "#read-error"); !strings.Contains(got, "confirm") {
		t.Fatalf("the confirmation's error: %q", got)
	}
	check(t, dsl, "encompass-ack-error")
	step(t, dsl, "acknowledge", chromedp.SendKeys(chromedp.CSS("#name"), "Ann Teacher"), chromedp.Click(chromedp.CSS("#read")),
		chromedp.Click(chromedp.CSS("#ack-submit")), chromedp.WaitVisible(chromedp.CSS(".govuk-panel--confirmation")))
	check(t, dsl, "encompass-acknowledged")
	if it, _ := r.suite.Store.GetTrayItem(context.Background(), directory.AckItemID(id, "900001")); it.CompletedAt.IsZero() {
		t.Fatal("the acknowledgement did not take the notice off the encompass-ack tray")
	}
	step(t, dsl, "the link again", chromedp.Navigate(link), chromedp.Click(chromedp.CSS("#encompass-open")), chromedp.WaitNotPresent(chromedp.CSS("#encompass-open")), chromedp.WaitVisible(chromedp.CSS("h1")))
	if got := text(t, dsl, "h1"); !strings.Contains(got, "already been used") {
		t.Fatalf("second use: %q", got)
	}
	check(t, dsl, "encompass-link-used")
}

// Operation Encompass: a notification whose school the directory cannot name with confidence (two St Aldric's
// C of E Primary Schools) waits on the encompass-unmatched tray, and the Encompass lead's email sends the lead
// to the contact page. The page asks the school's URN and links the directory's search for the school as the
// police wrote it; a URN not in the directory is named by its field; the right one sends the notice to the
// school's DSL at once and the item leaves the tray. The console had the tray but no way to pick the school:
// only the API's POST /v1/contacts/{id}/school, which the email spelt out to the lead.
func TestEncompass_UnmatchedSchool_PickedOnTheContactPage(t *testing.T) {
	r := newRig(t)
	id := r.encompassPPN("St Aldric's C of E Primary")
	item, err := r.suite.Store.GetTrayItem(context.Background(), directory.UnmatchedItemID(id))
	if err != nil || !item.CompletedAt.IsZero() {
		t.Fatalf("the notification is not on the encompass-unmatched tray: %+v %v", item, err)
	}
	b := r.browser()
	b.signIn("Wes Worker")
	_, page := b.get("/contacts/" + string(id))
	if !strings.Contains(page, `action="/contacts/`+string(id)+`/school"`) || !strings.Contains(page, `href="/schools?q=St%20Aldric`) {
		t.Fatalf("the contact page does not ask for the school or link the directory")
	}
	if st, body := b.post("/contacts/"+string(id)+"/school", url.Values{"urn": {"999999"}}); st != http.StatusBadRequest ||
		!strings.Contains(body, `id="urn-error"`) {
		t.Fatalf("a URN not in the directory: %d", st)
	}
	if st, _ := b.post("/contacts/"+string(id)+"/school", url.Values{"urn": {"900004"}}); st != http.StatusOK {
		t.Fatalf("pick: %d", st)
	}
	if c := r.contact(id); c.Child.SchoolURN != "900004" {
		t.Errorf("school URN %q, want 900004", c.Child.SchoolURN)
	}
	if item, err := r.suite.Store.GetTrayItem(context.Background(), directory.UnmatchedItemID(id)); err == nil && item.CompletedAt.IsZero() {
		t.Error("the item is still on the encompass-unmatched tray")
	}
	if !r.audited(id, "encompass.school-picked", "Wes Worker") {
		t.Error("the pick is not audited with the worker")
	}
	told := false
	for _, m := range r.outboxText() {
		if strings.Contains(m, "dsl@st-aldrics-ce-pri-n16.hackney.sch.uk") {
			told = true
		}
	}
	if !told {
		t.Error("no Encompass notice to the picked school's DSL")
	}
	if _, page := b.get("/contacts/" + string(id)); strings.Contains(page, `action="/contacts/`+string(id)+`/school"`) {
		t.Error("the page still asks for the school once it is picked")
	}
}
