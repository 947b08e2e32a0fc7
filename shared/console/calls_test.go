package console_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/store"
)

// twoChildCall is a "Record a call" form: a school's DSL phones about two siblings.
func twoChildCall(key string) url.Values {
	return url.Values{"formKey": {key}, "children": {"2"}, "channel": {"phone"},
		"referrer.name": {"Dee Lead"}, "referrer.role": {"DSL"}, "referrer.organisation": {"Hillman Street Primary"},
		"referrer.phone": {"020 7946 0001"}, "referrer.relationship": {"teacher"}, "referrer.professional": {"yes"},
		"children[0].givenName": {"Ari"}, "children[0].familyName": {"Stone"}, "children[0].dateOfBirth": {"14/02/2019"},
		"children[0].school":    {"Hillman Street Primary"},
		"children[1].givenName": {"Bo"}, "children[1].familyName": {"Stone"}, "children[1].dateOfBirth": {"03/09/2021"},
		"concerns": {"Both came in hungry and Ari said their mother has not been home since Friday."}, "immediateHarm": {"no"},
		"consent.status": {"not-sought"}, "consent.reason": {"seeking consent may place the children at risk"}}
}

// countContacts is how many contacts the rig's authority has, in any status.
func (r *rig) countContacts() int {
	r.t.Helper()
	n := 0
	for _, st := range domain.Statuses {
		cs, err := r.suite.Store.ListContacts(context.Background(), r.a, st)
		if err != nil {
			r.t.Fatal(err)
		}
		n += len(cs)
	}
	return n
}

var refRE = regexp.MustCompile(`href="/contacts/(c_[0-9a-z]+)">([A-Z]+-\d{4}-\d{6})<`)

// errorSummary is the page's error summary as words, one error a line.
func errorSummary(t *testing.T, body string) string {
	t.Helper()
	list := regexp.MustCompile(`(?s)govuk-error-summary__list">(.*?)</ul>`).FindStringSubmatch(body)
	if list == nil {
		t.Fatalf("no error summary:\n%s", body)
	}
	return html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(list[1], "\n"))
}

// A contact officer records a phone call about two children: one contact each, in one household, linked, each
// created by the officer (the audit names the signed-in user), screened onto the rating tray. The form sent
// again records nothing more and shows the same references.
func TestRecordACall_TwoChildren_OneContactEach_OnTheRatingTray(t *testing.T) {
	r := newRig(t)
	b := r.browser()
	b.signIn("Ola Officer")
	st, page := b.get("/contacts/new")
	if st != http.StatusOK || !strings.Contains(page, `href="/contacts/new">Record a call</a>`) {
		t.Fatalf("the form: %d, or no link to it in the navigation", st)
	}
	key := regexpValue(page, "formKey")
	form := twoChildCall(key)
	form.Set("children", "1")
	form.Set("add", "child")
	if st, body := b.post("/contacts/new", form); st != http.StatusOK || !strings.Contains(body, `id="children-1-givenName"`) ||
		!strings.Contains(body, `formaction="/contacts/new#children-2"`) ||
		!strings.Contains(body, `value="Ari"`) || strings.Contains(body, "govuk-error-summary") {
		t.Fatalf("add another child: %d, the second child's block, the first child kept, no errors:\n%s", st, body)
	}
	st, body := b.post("/contacts/new", twoChildCall(key))
	if st != http.StatusOK {
		t.Fatalf("record: %d %s", st, regexpText(body, "govuk-error-summary__list"))
	}
	got := refRE.FindAllStringSubmatch(body, -1)
	if len(got) != 2 || !strings.Contains(body, "Ari Stone") || !strings.Contains(body, "Bo Stone") {
		t.Fatalf("the confirmation names %d contacts:\n%s", len(got), body)
	}
	var ids []domain.ContactID
	for _, m := range got {
		c := r.contact(domain.ContactID(m[1]))
		if string(c.Reference) != m[2] || c.Channel != domain.ChannelPhone || c.Referrer.Organisation != "Hillman Street Primary" ||
			!c.Referrer.Professional || c.Consent.Status != domain.ConsentNotSought {
			t.Errorf("contact %s: %+v", m[2], c)
		}
		if !r.audited(c.ID, "contact.created", "Ola Officer") {
			t.Errorf("%s: contact.created is not by the signed-in officer", c.Reference)
		}
		ids = append(ids, c.ID)
	}
	a, bo := r.contact(ids[0]), r.contact(ids[1])
	if a.HouseholdID == "" || a.HouseholdID != bo.HouseholdID || !slices.Contains(a.LinkedTo, bo.ID) || !slices.Contains(bo.LinkedTo, a.ID) {
		t.Errorf("not one household: %s %v / %s %v", a.HouseholdID, a.LinkedTo, bo.HouseholdID, bo.LinkedTo)
	}
	// Sent again (the back button, a double click): the same references, nothing new.
	st, again := b.post("/contacts/new", twoChildCall(key))
	if st != http.StatusOK || !slices.EqualFunc(refRE.FindAllStringSubmatch(again, -1), got, slices.Equal[[]string]) || !strings.Contains(again, "sent before") {
		t.Fatalf("sent again: %d\n%s", st, again)
	}
	if n := r.countContacts(); n != 2 {
		t.Errorf("%d contacts after sending the form twice, want 2", n)
	}
	r.advance(time.Minute)
	for _, id := range ids {
		r.census(id)
	}
	r.advance(time.Minute)
	m := r.browser()
	m.signIn("Maya Manager")
	_, home := m.get("/")
	tray := regexp.MustCompile(`(?s)data-tray="rating".*?</table>`).FindString(home)
	for _, ref := range got {
		if !strings.Contains(tray, ref[2]) {
			t.Errorf("the rating tray does not list %s", ref[2])
		}
	}
}

// Every error at once, in the error summary, each by its field in words; nothing is recorded.
func TestRecordACall_EveryErrorAtOnce_NothingRecorded(t *testing.T) {
	r := newRig(t)
	b := r.browser()
	b.signIn("Ola Officer")
	_, page := b.get("/contacts/new")
	st, body := b.post("/contacts/new", url.Values{"formKey": {regexpValue(page, "formKey")}, "children": {"2"},
		"children[0].givenName": {"Ari"}, "children[0].dateOfBirth": {"31/02/2019"}, "children[1].familyName": {"Stone"},
		"children[1].age": {"seven"}, "referrer.email": {"not an address"}, "consent.status": {"refused"}})
	if st != http.StatusBadRequest {
		t.Fatalf("status %d", st)
	}
	summary := errorSummary(t, body)
	for _, want := range []string{"Channel: must be phone, walk-in", "Child 1 date of birth: is not a date", "Child 1 family name: is required",
		"Child 2 given name: is required", "Child 2 age: is not an age", "Concerns: is required", "Immediate harm: say whether",
		"Consent reason: is required", "Referrer email: must be one email address"} {
		if !strings.Contains(summary, want) {
			t.Errorf("the error summary lacks %q:\n%s", want, summary)
		}
	}
	if strings.Count(summary, "date of birth") != 2 { // child 1's unreadable date once; child 2's missing one
		t.Errorf("a date of birth named more or less than once a child:\n%s", summary)
	}
	if !strings.Contains(body, `value="Ari"`) || !strings.Contains(body, `href="#children-1-age"`) {
		t.Errorf("the input is not kept, or an error does not link to its field")
	}
	if n := r.countContacts(); n != 0 {
		t.Errorf("%d contacts recorded from a refused form", n)
	}
}

// Hackney §8: "an advice line for professionals", a log of calls received, never on a child's record. The
// officer records a consultation from the same form: into the consultation log with its own reference, never on
// the rating tray; sent again, the same one; with the child's details it is refused by that field. The log
// shows what Hackney keeps (the caller, the concern and advice, whether the DSL was consulted) and no child
// column; each row read is audited with the reader.
func TestHackney_8_RecordACall_ConsultationIntoTheLogOnly(t *testing.T) {
	r := newRig(t)
	b := r.browser()
	b.signIn("Ola Officer")
	_, page := b.get("/contacts/new")
	if !strings.Contains(page, "This is a consultation") || !strings.Contains(page, "keeps a log of consultation calls only") {
		t.Fatalf("the form offers no consultation, or does not say what Hackney keeps")
	}
	key := regexpValue(page, "formKey")
	form := url.Values{"formKey": {key}, "consultation": {"yes"}, "channel": {"phone"}, "referrer.name": {"Dee Lead"},
		"referrer.role": {"DSL"}, "referrer.organisation": {"Hillman Street Primary"}, "referrer.phone": {"020 7946 0001"},
		"referrer.professional": {"yes"}, "dslConsulted": {"yes"}, "immediateHarm": {"no"},
		"concerns":              {"A pupil says her stepfather shouts; no injuries, no disclosure of harm."},
		"advice":                {"Talk to the mother; refer if anything further is said."},
		"children[0].givenName": {"Cara"}}
	st, body := b.post("/contacts/new", form)
	if st != http.StatusBadRequest || !strings.Contains(errorSummary(t, body), "Child 1: London Borough of Hackney keeps a log of calls only") {
		t.Fatalf("a Hackney consultation with a child's name: %d\n%s", st, body)
	}
	form.Del("children[0].givenName")
	st, body = b.post("/contacts/new", form)
	ref := regexp.MustCompile(`id="consultation-reference">([A-Z]+-C-\d{4}-\d{6})<`).FindStringSubmatch(body)
	if st != http.StatusOK || ref == nil {
		t.Fatalf("record the consultation: %d\n%s", st, body)
	}
	if _, again := b.post("/contacts/new", form); !strings.Contains(again, ref[1]) || !strings.Contains(again, "sent before") {
		t.Fatalf("sent again: not the same consultation\n%s", again)
	}
	ks, err := r.suite.Store.ListConsultations(context.Background(), authority)
	if err != nil || len(ks) != 1 || string(ks[0].Reference) != ref[1] || ks[0].RecordedBy != "Ola Officer" || ks[0].Child != nil ||
		ks[0].DSLConsulted == nil || !*ks[0].DSLConsulted {
		t.Fatalf("the log holds %d: %+v %v", len(ks), ks, err)
	}
	if n := r.countContacts(); n != 0 {
		t.Errorf("a consultation made %d contacts", n)
	}

	st, log := b.get("/consultations")
	if st != http.StatusOK || !strings.Contains(log, `href="/consultations">Consultations</a>`) {
		t.Fatalf("the log: %d, or no link to it in the navigation", st)
	}
	table := regexp.MustCompile(`(?s)<table.*</table>`).FindString(log)
	for _, want := range []string{ref[1], "Dee Lead", "Hillman Street Primary", "stepfather shouts", "Talk to the mother", "DSL consulted"} {
		if !strings.Contains(html.UnescapeString(table), want) {
			t.Errorf("the log lacks %q", want)
		}
	}
	for _, never := range []string{">Child<", "Written summary", "Basic checks"} {
		if strings.Contains(table, never) {
			t.Errorf("the log shows %q, which Hackney does not keep", never)
		}
	}
	evs, err := r.suite.Store.ListAudit(context.Background(), ks[0].ID.AuditID())
	if err != nil || !slices.ContainsFunc(evs, func(e store.AuditEvent) bool {
		return e.Action == "consultation.read" && e.Actor == "Ola Officer" && e.Detail["what"] == "console consultation log"
	}) {
		t.Errorf("the log's read is not audited with the reader: %+v %v", evs, err)
	}
}

// Bexley §5–6: the child's details are kept with a consultation when given, basic checks may be run, and a
// written summary is owed within 48 hours: the log shows each.
func TestBexley_5_ConsultationLog_ShowsWhatBexleyKeeps(t *testing.T) {
	r := newRigFor(t, "bexley")
	b := r.browser()
	b.signIn("Wes Worker")
	_, page := b.get("/contacts/new")
	if strings.Contains(page, `name="dslConsulted"`) || !strings.Contains(page, `name="basicChecks"`) {
		t.Fatalf("Bexley's form asks what its policy does not, or not what it does")
	}
	st, body := b.post("/contacts/new", url.Values{"formKey": {regexpValue(page, "formKey")}, "consultation": {"yes"},
		"referrer.name": {"Pat Parent"}, "referrer.phone": {"07700 900555"}, "referrer.professional": {"no"},
		"children[0].givenName": {"Dan"}, "children[0].familyName": {"Reed"}, "children[0].dateOfBirth": {"02/04/2017"},
		"basicChecks": {"yes"}, "immediateHarm": {"no"}, "concerns": {"Worried about a friend's son who looks unkempt."},
		"advice": {"Speak to the school's DSL."}})
	if st != http.StatusOK || !strings.Contains(body, "Consultation recorded") {
		t.Fatalf("record: %d\n%s", st, body)
	}
	_, log := b.get("/consultations")
	table := html.UnescapeString(regexp.MustCompile(`(?s)<table.*</table>`).FindString(log))
	for _, want := range []string{">Child<", "Dan Reed, born 2 April 2017", "Basic checks", "not known to children's social care", "Written summary", "due by"} {
		if !strings.Contains(table, want) {
			t.Errorf("the log lacks %q:\n%s", want, table)
		}
	}
	if strings.Contains(table, "DSL consulted") {
		t.Errorf("the log shows whether the DSL was consulted, which Bexley does not ask")
	}
}

// Bexley §5–6: a written summary of a consultation goes to the caller within 48 hours. The item it puts on
// the consultation-summary tray links to the consultation's row in the log, where the summary is written and
// sent (as POST /v1/consultations/{id}/summary): the tray had no link and the console no way to send it, so
// the item could only be done through the API. An empty summary is named by its row's field; once sent, the
// log says so, the item leaves the tray, and the caller has the summary in the outbox.
func TestBexley_5_6_WrittenSummary_SentFromTheConsultationLog(t *testing.T) {
	r := newRigFor(t, "bexley")
	b := r.browser()
	b.signIn("Wes Worker")
	_, page := b.get("/contacts/new")
	st, body := b.post("/contacts/new", url.Values{"formKey": {regexpValue(page, "formKey")}, "consultation": {"yes"},
		"referrer.name": {"Dr Ann Lee"}, "referrer.email": {"ann.lee@surgery.example"}, "referrer.professional": {"yes"},
		"children[0].givenName": {"Mia"}, "children[0].familyName": {"Grant"}, "children[0].dateOfBirth": {"01/06/2014"},
		"immediateHarm": {"no"}, "concerns": {"Mia disclosed self-harm; parents engaged."}, "advice": {"Refer to CAMHS."}})
	ref := regexp.MustCompile(`BEX-C-\d{4}-\d{6}`).FindString(body)
	if st != http.StatusOK || ref == "" {
		t.Fatalf("record: %d\n%s", st, body)
	}
	_, tray := b.get("/trays/consultation-summary")
	if !strings.Contains(tray, `href="/consultations#`+ref+`"`) {
		t.Fatalf("the tray's item does not link to the consultation's row:\n%s", regexp.MustCompile(`(?s)<tbody.*</tbody>`).FindString(tray))
	}
	_, log := b.get("/consultations")
	action := regexp.MustCompile(`action="(/consultations/([^/"]+)/summary)"`).FindStringSubmatch(log)
	if action == nil {
		t.Fatalf("the log has no form to send the written summary")
	}
	field := "summary-" + action[2]
	if st, body := b.post(action[1], url.Values{field: {" "}}); st != http.StatusBadRequest || !strings.Contains(body, `id="`+field+`-error"`) {
		t.Fatalf("an empty summary: %d", st)
	}
	if st, _ := b.post(action[1], url.Values{field: {"We discussed Mia's self-harm; advice: refer to CAMHS, safety plan."}}); st != http.StatusOK {
		t.Fatalf("send the summary: %d", st)
	}
	if _, log := b.get("/consultations"); !strings.Contains(log, ">sent ") || strings.Contains(log, `action="`+action[1]+`"`) {
		t.Errorf("the log does not say the summary was sent, or still offers to send it")
	}
	if _, tray := b.get("/trays/consultation-summary"); strings.Contains(tray, ref) {
		t.Errorf("the item is still on the tray")
	}
	sent := false
	for _, m := range r.outboxText() {
		if strings.Contains(m, "ann.lee@surgery.example") && strings.Contains(m, ref) {
			sent = true
		}
	}
	if !sent {
		t.Errorf("no written summary to the caller in the outbox")
	}
}

// Barnet's consultation line: "if we feel the child is at risk we will insist that you make a referral" — a
// consultation about a child the worker judges at risk (immediate harm: yes) becomes a contact at once, linked
// from the confirmation and from the log; a call taken outside the line's hours (Monday to Friday 11:00–12:00)
// is kept and marked.
func TestBarnet_ConsultationLine_AtRiskBecomesAReferral_OutsideHoursMarked(t *testing.T) {
	r := newRigFor(t, "barnet") // Wednesday 10:00: before the line opens
	b := r.browser()
	b.signIn("Wes Worker")
	_, page := b.get("/contacts/new")
	st, body := b.post("/contacts/new", url.Values{"formKey": {regexpValue(page, "formKey")}, "consultation": {"yes"},
		"referrer.name": {"Dr Gill"}, "referrer.organisation": {"Barnet GP practice"}, "referrer.phone": {"020 7946 0002"},
		"referrer.professional": {"yes"}, "children[0].givenName": {"Eli"}, "children[0].familyName": {"Moss"},
		"children[0].dateOfBirth": {"05/05/2016"}, "immediateHarm": {"yes"}, "consent.status": {"given"},
		"concerns": {"Unexplained burns on both hands."}, "advice": {"This needs a referral: made now."}})
	contact := regexp.MustCompile(`id="consultation-contact" href="/contacts/(c_[0-9a-z]+)">`).FindStringSubmatch(body)
	if st != http.StatusOK || contact == nil {
		t.Fatalf("record: %d, no contact linked\n%s", st, body)
	}
	if c := r.contact(domain.ContactID(contact[1])); c.Channel != domain.ChannelConsultation || c.Child.FamilyName != "Moss" {
		t.Errorf("the contact it became: %+v", c)
	}
	_, log := b.get("/consultations")
	table := regexp.MustCompile(`(?s)<table.*</table>`).FindString(log)
	for _, want := range []string{"outside line hours", "child at risk", `href="/contacts/` + contact[1] + `"`, ">Child<"} {
		if !strings.Contains(table, want) {
			t.Errorf("the log lacks %q:\n%s", want, table)
		}
	}
}

// The navigation links each page for the roles that may open it, and no others: Record a call for staff
// (POST /v1/contacts' roles), Consultations for the roles of GET /v1/consultations where the policy offers
// consultations; the EDT may record a call, not a consultation.
func TestRecordACall_NavigationByRoleAndPolicy(t *testing.T) {
	for _, a := range []domain.AuthorityID{authority, "portsmouth"} {
		r := newRigFor(t, a)
		offered := r.console.Policy.Consultations.Offered
		for _, u := range []struct {
			name           string
			record, consul bool
		}{{"Maya Manager", true, true}, {"Wes Worker", true, true}, {"Ola Officer", true, true}, {"Eve EDT", true, false},
			{"Pat Police", false, false}, {"Rae Referrer", false, false}} {
			b := r.browser()
			b.signIn(u.name)
			_, body := b.get("/search")
			if u.name == "Pat Police" || u.name == "Rae Referrer" {
				_, body = b.get("/referrals")
			}
			if got := strings.Contains(body, `href="/contacts/new"`); got != u.record {
				t.Errorf("%s %s: Record a call linked %v, want %v", a, u.name, got, u.record)
			}
			if got, want := strings.Contains(body, `href="/consultations"`), u.consul && offered; got != want {
				t.Errorf("%s %s: Consultations linked %v, want %v", a, u.name, got, want)
			}
			if !u.record {
				continue
			}
			_, form := b.get("/contacts/new")
			if got, want := strings.Contains(form, `name="consultation"`), u.consul && offered; got != want {
				t.Errorf("%s %s: the consultation choice shown %v, want %v", a, u.name, got, want)
			}
		}
		if !offered {
			b := r.browser()
			b.signIn("Ola Officer")
			_, page := b.get("/consultations")
			if !strings.Contains(page, "offers no consultations") {
				t.Errorf("%s: the log does not say the policy offers none", a)
			}
		}
	}
}

// The journey in a real browser: the contact officer records a call about two children (a first try with
// nothing filled shows every error in the summary), sees the references; the manager sees both on the rating
// tray; the officer records a consultation and finds it in the log. Every page scanned by axe-core.
func TestBrowser_RecordACallAndAConsultation(t *testing.T) {
	r := newRig(t)
	off := person(t)
	signIn(t, off, r, 2) // Ola Officer
	step(t, off, "the form from the navigation", chromedp.Click(chromedp.CSS(`a[href="/contacts/new"]`)), chromedp.WaitVisible(chromedp.CSS("#call-submit")))
	check(t, off, "call")
	step(t, off, "send it empty", chromedp.Click(chromedp.CSS("#call-submit")), chromedp.WaitVisible(chromedp.CSS(".govuk-error-summary")))
	if got := text(t, off, ".govuk-error-summary"); !strings.Contains(got, "Channel") || !strings.Contains(got, "Immediate harm") || !strings.Contains(got, "Concerns") {
		t.Fatalf("error summary: %q", got)
	}
	check(t, off, "call-errors")
	step(t, off, "the first child, then another", chromedp.Click(chromedp.CSS("#channel-phone")),
		chromedp.SendKeys(chromedp.CSS("#referrer-name"), "Dee Lead"),
		chromedp.SendKeys(chromedp.CSS("#children-0-givenName"), "Ari"),
		chromedp.SendKeys(chromedp.CSS("#children-0-familyName"), "Stone"),
		chromedp.SendKeys(chromedp.CSS("#children-0-dateOfBirth"), "14/02/2019"),
		chromedp.Click(chromedp.CSS("#add-child")), chromedp.WaitVisible(chromedp.CSS("#children-1-givenName")))
	step(t, off, "the second child and the concern", chromedp.SendKeys(chromedp.CSS("#children-1-givenName"), "Bo"),
		chromedp.SendKeys(chromedp.CSS("#children-1-familyName"), "Stone"),
		chromedp.SendKeys(chromedp.CSS("#children-1-dateOfBirth"), "not known"),
		chromedp.SendKeys(chromedp.CSS("#children-1-age"), "5"),
		chromedp.SendKeys(chromedp.CSS("#concerns"), "Both came in hungry; their mother has not been home since Friday."),
		chromedp.Click(chromedp.CSS("#immediateHarm-no")), chromedp.Click(chromedp.CSS("#consent-status-unknown")),
		chromedp.Click(chromedp.CSS("#call-submit")), chromedp.WaitVisible(chromedp.CSS("#call-contacts")))
	refs := strings.Fields(text(t, off, "#call-contacts"))
	if len(refs) != 6 { // two references, each with the child's name
		t.Fatalf("the confirmation: %q", refs)
	}
	check(t, off, "called")
	r.advance(time.Minute)
	mgr := person(t)
	signIn(t, mgr, r, 0) // Maya Manager
	if got := text(t, mgr, `table[data-tray="rating"]`); !strings.Contains(got, refs[0]) || !strings.Contains(got, "Ari Stone") ||
		!strings.Contains(got, refs[3]) || !strings.Contains(got, "5 years (as told; date of birth not known)") {
		t.Fatalf("the rating tray lacks %s: %q", refs[0], got)
	}

	// A call whose caller did not know whether the child is at risk of immediate harm: the contact page's
	// "answer it now" form (Hackney §4(1)), scanned empty, with its error, and answered.
	harm, err := r.suite.Intake.RecordContact(context.Background(), authority, intake.Recorded{Channel: domain.ChannelPhone,
		Child:    domain.Child{GivenName: "Cal", FamilyName: "Stone", DateOfBirth: domain.Date{Y: 2018, M: 5, D: 1}},
		Referrer: domain.Referrer{Name: "Dee Lead", Phone: "07700 900123"}, Concerns: "A neighbour heard a child screaming next door.",
		ImmediateHarm: intake.HarmNotKnown, Consent: domain.Consent{Status: domain.ConsentUnknown}, RecordedBy: "Ola Officer"}, "browser-harm-not-known")
	if err != nil || len(harm) != 1 {
		t.Fatalf("record a call, harm not known: %v %+v", err, harm)
	}
	r.advance(time.Minute)
	step(t, off, "the contact whose immediate harm is not known", chromedp.Navigate(r.srv.URL+"/contacts/"+string(harm[0].ContactID)),
		chromedp.WaitVisible(chromedp.CSS("#immediate-harm-submit")))
	check(t, off, "immediate-harm")
	step(t, off, "record no answer", chromedp.Click(chromedp.CSS("#immediate-harm-submit")), chromedp.WaitVisible(chromedp.CSS(".govuk-error-summary")))
	if got := text(t, off, ".govuk-error-summary"); !strings.Contains(got, "answer") && !strings.Contains(got, "immediate harm") {
		t.Fatalf("error summary: %q", got)
	}
	check(t, off, "immediate-harm-errors")
	step(t, off, "answer no", chromedp.Click(chromedp.CSS("#answer-no")), chromedp.SendKeys(chromedp.CSS("#note"), "Rang the neighbour back: the child was playing."),
		chromedp.Click(chromedp.CSS("#immediate-harm-submit")), chromedp.WaitNotPresent(chromedp.CSS("#immediate-harm-submit")))
	if got := r.contact(harm[0].ContactID); got.ImmediateHarmNotKnown() || got.ImmediateHarm {
		t.Fatalf("after answering no: immediate harm %v, not known %v", got.ImmediateHarm, got.ImmediateHarmNotKnown())
	}

	step(t, off, "a consultation", chromedp.Navigate(r.srv.URL+"/contacts/new"), chromedp.WaitVisible(chromedp.CSS("#call-submit")),
		chromedp.Click(chromedp.CSS("#consultation")), chromedp.Click(chromedp.CSS("#channel-phone")),
		chromedp.SendKeys(chromedp.CSS("#referrer-name"), "Dee Lead"),
		chromedp.SendKeys(chromedp.CSS("#referrer-organisation"), "Hillman Street Primary"),
		chromedp.Click(chromedp.CSS("#referrer-professional-yes")),
		chromedp.SendKeys(chromedp.CSS("#concerns"), "A pupil says her stepfather shouts."),
		chromedp.SendKeys(chromedp.CSS("#advice"), "Talk to the mother."),
		chromedp.Click(chromedp.CSS("#immediateHarm-no")), chromedp.Click(chromedp.CSS("#dslConsulted-yes")),
		chromedp.Click(chromedp.CSS("#call-submit")), chromedp.WaitVisible(chromedp.CSS("#consultation-reference")))
	kref := strings.TrimSpace(text(t, off, "#consultation-reference"))
	step(t, off, "the log", chromedp.Click(chromedp.CSS(`a[href="/consultations"]`)), chromedp.WaitVisible(chromedp.CSS("#consultation-log")))
	if got := text(t, off, "#consultation-log"); !strings.Contains(got, kref) || !strings.Contains(got, "Talk to the mother.") {
		t.Fatalf("the log lacks %s: %q", kref, got)
	}
	check(t, off, "consultations")
}

// A caller who does not know whether a child is at risk of immediate harm: the call is recorded with
// immediate harm still to be answered (extraction.missing, never a no and never a sentence under the
// concerns); the contact page and the rating tray say "immediate harm: not known", and a contact whose answer
// is yes still heads the tray (Hackney §4(1)).
func TestRecordACall_ImmediateHarmNotKnown_ShownAsNotKnown(t *testing.T) {
	r := newRig(t)
	b := r.browser()
	b.signIn("Ola Officer")
	_, page := b.get("/contacts/new")
	form := twoChildCall(regexpValue(page, "formKey"))
	form.Set("children", "1")
	form.Del("children[1].givenName")
	form.Del("children[1].familyName")
	form.Del("children[1].dateOfBirth")
	form.Set("immediateHarm", "not-known")
	st, body := b.post("/contacts/new", form)
	got := refRE.FindAllStringSubmatch(body, -1)
	if st != http.StatusOK || len(got) != 1 {
		t.Fatalf("record: %d\n%s", st, body)
	}
	id := domain.ContactID(got[0][1])
	c := r.contact(id)
	if c.ImmediateHarm || !c.ImmediateHarmNotKnown() || strings.Contains(c.Concerns, "did not know") {
		t.Errorf("recorded as immediate harm %v, not known %v, concerns %q", c.ImmediateHarm, c.ImmediateHarmNotKnown(), c.Concerns)
	}
	r.advance(time.Minute)
	res, err := r.suite.Intake.CreateReferral(context.Background(), r.a, intake.Referral{
		Children: []domain.Child{{GivenName: "Cara", FamilyName: "Urgent", DateOfBirth: domain.Date{Y: 2016, M: 1, D: 5}}},
		Referrer: domain.Referrer{Name: "Ann Teacher", Organisation: "Hillman Street Primary", Role: "DSL", Email: "dsl@hillman.hackney.sch.uk", Professional: true},
		Concerns: "Cara says her stepfather hit her this morning and she is frightened to go home tonight.", ImmediateHarm: true,
		Consent: domain.Consent{Status: domain.ConsentGiven},
	}, "key-urgent")
	if err != nil {
		t.Fatal(err)
	}
	r.advance(time.Minute)
	urgent := r.contact(res[0].ContactID)
	m := r.browser()
	m.signIn("Maya Manager")
	if _, page := m.get("/contacts/" + string(id)); !strings.Contains(page, "immediate harm: not known") {
		t.Errorf("the contact page does not say immediate harm is not known")
	}
	_, tray := m.get("/trays/rating")
	u, k := strings.Index(tray, ">"+string(urgent.Reference)+"<"), strings.Index(tray, ">"+got[0][2]+"<")
	if u < 0 || k < 0 || u > k {
		t.Errorf("rating tray: the immediate-harm contact at %d, the not-known one at %d; want the yes first", u, k)
	}
	row := tray[k:]
	if end := strings.Index(row, "</tr>"); end > 0 {
		row = row[:end]
	}
	if !strings.Contains(row, "immediate harm: not known") {
		t.Errorf("the tray row does not say not known: %s", row)
	}
}

// The contact page asks "Is the child at risk of immediate harm?" where it says "immediate harm: not known"
// (a caller who did not know): no answer is the page again with the error summary naming answer; "Yes" with a
// note records it (intake.Service.AnswerImmediateHarm, as POST /v1/contacts/{id}/immediate-harm), the tag
// and the form go, the contact is immediate harm and its re-routing tells the MASH manager (Hackney §4(1)).
func TestHackney_4_1_ImmediateHarmNotKnown_AnsweredOnTheContactPage(t *testing.T) {
	r := newRig(t)
	b := r.browser()
	b.signIn("Ola Officer")
	_, page := b.get("/contacts/new")
	form := twoChildCall(regexpValue(page, "formKey"))
	form.Set("children", "1")
	form.Del("children[1].givenName")
	form.Del("children[1].familyName")
	form.Del("children[1].dateOfBirth")
	form.Set("immediateHarm", "not-known")
	st, body := b.post("/contacts/new", form)
	got := refRE.FindAllStringSubmatch(body, -1)
	if st != http.StatusOK || len(got) != 1 {
		t.Fatalf("record: %d\n%s", st, body)
	}
	id := domain.ContactID(got[0][1])
	action := "/contacts/" + string(id) + "/immediate-harm"
	w := r.browser()
	w.signIn("Wes Worker")
	if _, page := w.get("/contacts/" + string(id)); !strings.Contains(page, `action="`+action+`"`) || !strings.Contains(page, "Is the child at risk of immediate harm?") {
		t.Fatal("the contact page does not ask the immediate-harm question")
	}
	st, body = w.post(action, url.Values{"note": {"rang back"}})
	if st != http.StatusBadRequest || !strings.Contains(body, "govuk-error-summary") || !strings.Contains(body, `href="#answer"`) || !strings.Contains(body, "rang back") {
		t.Fatalf("no answer: %d, want 400 with the error summary naming answer and the note kept", st)
	}
	if st, _ := w.post(action, url.Values{"answer": {"yes"}, "note": {"The referrer rang back: the father is home tonight."}}); st != http.StatusOK {
		t.Fatalf("answer: %d", st)
	}
	c := r.contact(id)
	if !c.ImmediateHarm || c.ImmediateHarmNotKnown() || !strings.Contains(c.Concerns, "the father is home tonight") {
		t.Errorf("after yes: immediate harm %v, not known %v", c.ImmediateHarm, c.ImmediateHarmNotKnown())
	}
	if !r.audited(id, "immediate-harm.answered", "Wes Worker") || !r.audited(id, "contact.rerouted", "Wes Worker") {
		t.Error("the answer and its re-routing are not audited with the worker")
	}
	_, page = w.get("/contacts/" + string(id))
	if strings.Contains(page, "immediate harm: not known") || strings.Contains(page, `action="`+action+`"`) {
		t.Error("the page still says not known, or still asks")
	}
	if st, _ := w.post(action, url.Values{"answer": {"no"}}); st != http.StatusConflict {
		t.Errorf("answered again: %d, want 409", st)
	}
}

// Bexley §4 (the MASH social worker establishes the family's address and the identity of those with parental
// responsibility) from the first call: Record a call takes each child's address (a second child's left empty is
// the first's) and up to two parents or carers, all optional; a parent given a relationship and no name is named
// by its field, the rest of the form kept; the contact page shows the address and the parents, and the partner
// agency answering the MASH check reads them on its answer page.
func TestBexley_4_RecordACall_AddressAndParentsOrCarers_ShownToThePartnerAgencies(t *testing.T) {
	r := newRig(t)
	b := r.browser()
	b.signIn("Ola Officer")
	_, page := b.get("/contacts/new")
	for _, want := range []string{`name="children[0].address"`, `name="parents[0].name"`, `name="parents[1].relationship"`, `name="parents[0].parentalResponsibility"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the form has no %s", want)
		}
	}
	form := twoChildCall(regexpValue(page, "formKey"))
	form.Set("children[0].address", "Flat 2, 14 Mare Street, London E8 1HW")
	form.Set("parents[0].relationship", "mother")
	form.Set("parents[0].parentalResponsibility", "true")
	st, body := b.post("/contacts/new", form)
	if st != http.StatusBadRequest || !strings.Contains(body, `id="parents-0-name-error"`) || !strings.Contains(body, `value="Flat 2, 14 Mare Street, London E8 1HW"`) {
		t.Fatalf("a parent without a name: %d, want 400 naming parents[0].name with the input kept", st)
	}
	// The second block alone, without a name: named by the block the officer filled in, not the first.
	one := twoChildCall(regexpValue(page, "formKey") + "x")
	one.Set("parents[1].relationship", "father")
	if st, body := b.post("/contacts/new", one); st != http.StatusBadRequest || !strings.Contains(body, `id="parents-1-name-error"`) || strings.Contains(body, `id="parents-0-name-error"`) {
		t.Fatalf("the second parent without a name: %d, want 400 naming parents[1].name", st)
	}
	form.Set("parents[0].name", "Morag Stone")
	form.Set("parents[1].name", "Dan Stone")
	form.Set("parents[1].relationship", "father")
	st, body = b.post("/contacts/new", form)
	got := refRE.FindAllStringSubmatch(body, -1)
	if st != http.StatusOK || len(got) != 2 {
		t.Fatalf("record: %d\n%s", st, body)
	}
	for _, g := range got {
		c := r.contact(domain.ContactID(g[1]))
		if c.Child.Address != "Flat 2, 14 Mare Street, London E8 1HW" || len(c.Parents) != 2 || c.Parents[0] != (domain.Parent{Name: "Morag Stone", Relationship: "mother", ParentalResponsibility: true}) ||
			c.Parents[1] != (domain.Parent{Name: "Dan Stone", Relationship: "father"}) {
			t.Errorf("%s: address %q, parents %+v", g[2], c.Child.Address, c.Parents)
		}
	}
	r.advance(time.Minute)
	id := domain.ContactID(got[0][1])
	m := r.browser()
	m.signIn("Maya Manager")
	_, page = m.get("/contacts/" + string(id))
	for _, want := range []string{`id="child-address">Flat 2, 14 Mare Street, London E8 1HW<`,
		`id="parents">Morag Stone (mother, parental responsibility); Dan Stone (father)<`} {
		if !strings.Contains(page, want) {
			t.Errorf("the contact page does not show %q", want)
		}
	}
	if st, _ := m.post("/contacts/"+string(id)+"/rating", url.Values{"value": {"amber"}, "rationale": {"Left alone since Friday."}, "agencies": {"police"}}); st != http.StatusOK {
		t.Fatalf("rating: %d", st)
	}
	r.advance(time.Minute)
	police := r.browser()
	st, page = police.open(answerLink(t, r, id, domain.AgencyPolice))
	if st != http.StatusOK {
		t.Fatalf("the police's answer page: %d", st)
	}
	for _, want := range []string{`id="answer-address">Flat 2, 14 Mare Street, London E8 1HW<`,
		`id="answer-parents">Morag Stone (mother, parental responsibility); Dan Stone (father)<`} {
		if !strings.Contains(page, want) {
			t.Errorf("the check's answer page does not show %q", want)
		}
	}
}
