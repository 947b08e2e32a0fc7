package console_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/safeguarding/mash/events"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/store"
)

// Claim and unclaim from the tray's rows: a worker's own claim shows an Unclaim button, someone else's does
// not (a manager's does); unclaiming puts the row back for anyone, audited with whose claim it was.
func TestTray_ClaimAndUnclaimFromTheRow(t *testing.T) {
	r := newRig(t)
	c := r.refer("Zebedee", "Canarybird")
	w := r.browser()
	w.signIn("Wes Worker")
	claim := "/trays/rating/" + string(c.ID) + "/claim"
	unclaim := "/trays/rating/" + string(c.ID) + "/unclaim"
	_, body := w.get("/trays/rating")
	if !strings.Contains(body, `action="`+claim+`"`) || strings.Contains(body, `action="`+unclaim+`"`) {
		t.Fatalf("an unclaimed row: want Claim, no Unclaim")
	}
	if st, _ := w.post(claim, nil); st != http.StatusOK {
		t.Fatalf("claim: %d", st)
	}
	_, body = w.get("/trays/rating")
	if strings.Contains(body, `action="`+claim+`"`) || !strings.Contains(body, `action="`+unclaim+`"`) || !strings.Contains(body, "Wes Worker") {
		t.Fatalf("my claimed row: want Unclaim and my name")
	}
	// Another worker sees the claim but may not undo it; a manager may.
	m := r.browser()
	m.signIn("Maya Manager")
	if _, body := m.get("/trays/rating"); !strings.Contains(body, `action="`+unclaim+`"`) {
		t.Fatalf("a manager sees no Unclaim on another's claim")
	}
	w2 := r.browser()
	w2.get("/signin")
	w2.post("/signin", url.Values{"token": {r.token("Will Other", "mash-worker")}})
	if _, body := w2.get("/trays/rating"); strings.Contains(body, `action="`+unclaim+`"`) {
		t.Fatalf("another worker sees Unclaim on Wes's claim")
	}
	if st, _ := w2.post(unclaim, nil); st != http.StatusForbidden {
		t.Fatalf("another worker's unclaim: %d, want 403", st)
	}
	if st, _ := w.post(unclaim, nil); st != http.StatusOK {
		t.Fatalf("unclaim: %d", st)
	}
	_, body = w2.get("/trays/rating")
	if !strings.Contains(body, `action="`+claim+`"`) {
		t.Fatalf("after unclaim the row is not claimable again")
	}
	if st, _ := w.post(unclaim, nil); st != http.StatusConflict {
		t.Fatalf("unclaim of an unclaimed item: %d, want 409", st)
	}
	evs, _ := r.suite.Store.ListAudit(context.Background(), c.ID)
	if !slices.ContainsFunc(evs, func(e store.AuditEvent) bool {
		return e.Action == "tray.unclaimed" && e.Actor == "Wes Worker" && e.Detail["claimedBy"] == "Wes Worker"
	}) {
		t.Fatal("the unclaim is not audited")
	}
}

// Quarantine: discard needs a reason (the page again with the error by that message's field and the input
// kept); with one, the message leaves the list, audited with who and why; the raw message stays stored.
func TestQuarantine_DiscardWithReason(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	raw, err := events.Email.ReadFile("email/spam-flagged.eml")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.suite.Intake.Blobs.Put(ctx, "raw/spam-1", raw, "message/rfc822"); err != nil {
		t.Fatal(err)
	}
	q, err := r.suite.Store.Quarantine(ctx, store.QuarantineItem{Authority: authority, Reason: "spam", RawKey: "raw/spam-1",
		Size: int64(len(raw)), ReceivedAt: r.clock.Now().UTC()})
	if err != nil {
		t.Fatal(err)
	}
	m := r.browser()
	m.signIn("Maya Manager")
	_, body := m.get("/quarantine")
	field := "reason-" + q.ID
	if !strings.Contains(body, `action="/quarantine/`+q.ID+`/discard"`) || !strings.Contains(body, `name="`+field+`"`) {
		t.Fatalf("no discard form on the quarantine page")
	}
	st, body := m.post("/quarantine/"+q.ID+"/discard", url.Values{field: {"  "}})
	if st != http.StatusBadRequest || !strings.Contains(body, `id="`+field+`-error"`) || !strings.Contains(body, `href="#`+field+`"`) {
		t.Fatalf("discard without a reason: %d", st)
	}
	if st, _ := m.post("/quarantine/"+q.ID+"/discard", url.Values{field: {"spam: a prize draw"}}); st != http.StatusOK {
		t.Fatalf("discard: %d", st)
	}
	if _, body := m.get("/quarantine"); strings.Contains(body, q.ID) {
		t.Fatal("the discarded message is still listed")
	}
	kept, err := r.suite.Store.GetQuarantine(ctx, q.ID)
	if err != nil || kept.DiscardedBy != "Maya Manager" || kept.DiscardedReason != "spam: a prize draw" {
		t.Fatalf("kept: %+v %v", kept, err)
	}
	if b, err := r.suite.Intake.Blobs.Get(ctx, "raw/spam-1"); err != nil || len(b) != len(raw) {
		t.Fatalf("the raw message is gone: %v", err)
	}
	evs, _ := r.suite.Store.ListAudit(ctx, domain.ContactID(q.ID))
	if !slices.ContainsFunc(evs, func(e store.AuditEvent) bool {
		return e.Action == "quarantine.discarded" && e.Actor == "Maya Manager" && e.Reason == "spam: a prize draw"
	}) {
		t.Fatal("the discard is not audited")
	}
	if st, _ := m.post("/quarantine/"+q.ID+"/discard", url.Values{field: {"again"}}); st != http.StatusConflict {
		t.Fatalf("second discard: %d, want 409", st)
	}
}

// The manager closes an unanswered check with a reason from the contact page (the API's close-check): no
// reason re-shows the page with the error by that check's form; with one, the check reads "closed
// unanswered" with the reason, its chase stops (off the checks tray) and it is in the chronology.
func TestCheckClose_ManagerWithReason(t *testing.T) {
	r := newRig(t)
	c := r.refer("Zebedee", "Canarybird")
	rateWithChecks(t, r, c.ID)
	checks, err := r.suite.Store.ListChecks(context.Background(), c.ID)
	if err != nil || len(checks) == 0 {
		t.Fatalf("checks: %v %v", checks, err)
	}
	var police store.CheckRequest
	for _, ch := range checks {
		if ch.Agency == domain.AgencyPolice {
			police = ch
		}
	}
	path := "/contacts/" + string(c.ID) + "/checks/" + police.ID + "/close"
	w := r.browser()
	w.signIn("Wes Worker")
	if _, body := w.get("/contacts/" + string(c.ID)); strings.Contains(body, `action="`+path+`"`) {
		t.Fatal("a worker sees the close-check form")
	}
	m := r.browser()
	m.signIn("Maya Manager")
	_, body := m.get("/contacts/" + string(c.ID))
	if !strings.Contains(body, `action="`+path+`"`) {
		t.Fatal("no close-check form for the manager")
	}
	field := "closeReason-" + police.ID
	st, body := m.post(path, url.Values{"reason": {""}})
	if st != http.StatusBadRequest || !strings.Contains(body, `id="`+field+`-error"`) {
		t.Fatalf("no reason: %d", st)
	}
	st, body = m.post(path, url.Values{"reason": {"Police phoned: nothing held; no written answer will come"}})
	if st != http.StatusOK || !strings.Contains(body, "closed unanswered: Police phoned: nothing held") || strings.Contains(body, `action="`+path+`"`) {
		t.Fatalf("closed: %d %s", st, regexp.MustCompile(`id="check-[^"]+">[^<]*`).FindString(body))
	}
	if it, err := r.suite.Store.GetTrayItem(context.Background(), string(c.ID)+"#checks#"+police.ID); err == nil && it.CompletedAt.IsZero() {
		t.Fatalf("the closed check is still on the checks tray: %+v", it)
	}
	if !r.audited(c.ID, "check.closed", "Maya Manager") {
		t.Fatal("the close is not audited")
	}
}

// Link and merge from the contact page: a worker links a related contact (both list each other); an unknown
// reference re-shows the page with the error by the field and the input kept; a manager merges a duplicate
// (its concerns become this contact's addendum, it is closed as merged, audited); merging it again is an
// error by the field. A worker has no merge form.
func TestDuplicates_LinkAndMergeFromTheContactPage(t *testing.T) {
	r := newRig(t)
	p := r.refer("Zebedee", "Canarybird")
	rel := r.refer("Yara", "Canarybird")
	dup := r.refer("Zebedee", "Canarybirde")
	w := r.browser()
	w.signIn("Wes Worker")
	_, body := w.get("/contacts/" + string(p.ID))
	if !strings.Contains(body, `action="/contacts/`+string(p.ID)+`/link"`) || strings.Contains(body, `/merge"`) {
		t.Fatal("a worker: want the link form and no merge form")
	}
	st, body := w.post("/contacts/"+string(p.ID)+"/link", url.Values{"linkContact": {"HAC-2027-999999"}})
	if st != http.StatusBadRequest || !strings.Contains(body, `id="linkContact-error"`) || !strings.Contains(body, `value="HAC-2027-999999"`) {
		t.Fatalf("unknown reference: %d", st)
	}
	if st, body := w.post("/contacts/"+string(p.ID)+"/link", url.Values{"linkContact": {string(rel.Reference)}}); st != http.StatusOK ||
		!strings.Contains(body, `href="/contacts/`+string(rel.ID)+`"`) {
		t.Fatalf("link: %d", st)
	}
	if !slices.Contains(r.contact(p.ID).LinkedTo, rel.ID) || !slices.Contains(r.contact(rel.ID).LinkedTo, p.ID) {
		t.Fatal("not linked both ways")
	}
	m := r.browser()
	m.signIn("Maya Manager")
	if st, body := m.post("/contacts/"+string(p.ID)+"/merge", url.Values{"duplicate": {string(dup.Reference)}}); st != http.StatusOK ||
		!strings.Contains(body, "Addendum: merged from "+string(dup.Reference)) {
		t.Fatalf("merge: %d", st)
	}
	if got := r.contact(dup.ID); got.Status != domain.StatusClosed || got.Concerns == "" {
		t.Fatalf("the duplicate: %s", got.Status)
	}
	evs, _ := r.suite.Store.ListAudit(context.Background(), dup.ID)
	if !slices.ContainsFunc(evs, func(e store.AuditEvent) bool {
		return e.Action == "contact.closed" && e.Reason == "merged" && e.Actor == "Maya Manager"
	}) {
		t.Fatal("the merge is not audited on the duplicate")
	}
	st, body = m.post("/contacts/"+string(p.ID)+"/merge", url.Values{"duplicate": {string(dup.Reference)}})
	if st != http.StatusBadRequest || !strings.Contains(body, `id="duplicate-error"`) {
		t.Fatalf("merged again: %d", st)
	}
}

// The partner-checks tray has one row per agency asked: each row names its agency (three rows reading the
// same reference, child and rule told the worker nothing), and a request that went to the MASH inbox because
// the agency has no desk mailbox on record says so on its row, as the README promises ("marked on the checks
// tray"), so that the worker forwards it. The contact page shows each check's due time in local time, as
// every other time on the page (it printed UTC).
func TestChecksTray_EachRowNamesItsAgency_AndSaysWhatToForward(t *testing.T) {
	r := newRig(t)
	c := r.refer("Zebedee", "Canarybird")
	rateWithChecks(t, r, c.ID)
	checks, err := r.suite.Store.ListChecks(context.Background(), c.ID)
	if err != nil || len(checks) < 2 {
		t.Fatalf("checks: %v %v", checks, err)
	}
	m := r.browser()
	m.signIn("Maya Manager")
	_, body := m.get("/")
	tray := regexp.MustCompile(`(?s)<table class="govuk-table console-tray" data-tray="checks">.*?</table>`).FindString(body)
	if tray == "" {
		t.Fatalf("no checks tray:\n%s", body)
	}
	rows := regexp.MustCompile(`(?s)<tr class="govuk-table__row"[^>]*>.*?</tr>`).FindAllString(tray[strings.Index(tray, "<tbody"):], -1)
	if len(rows) != len(checks) {
		t.Fatalf("%d rows for %d checks", len(rows), len(checks))
	}
	forward := 0
	for _, ch := range checks {
		it, err := r.suite.Store.GetTrayItem(context.Background(), string(c.ID)+"#checks#"+ch.ID)
		if err != nil {
			t.Fatal(err)
		}
		row := ""
		for _, rw := range rows {
			if strings.Contains(rw, `data-check="`+ch.ID+`"`) {
				row = rw
			}
		}
		if row == "" {
			t.Errorf("no row names the %s check (%s):\n%s", ch.Agency, ch.ID, tray)
			continue
		}
		if !strings.Contains(row, ">"+string(ch.Agency)+" check<") {
			t.Errorf("the %s row does not name its agency:\n%s", ch.Agency, row)
		}
		if it.Note != "" {
			forward++
			if !strings.Contains(row, it.Note) {
				t.Errorf("the %s row does not say %q:\n%s", ch.Agency, it.Note, row)
			}
		}
	}
	if forward == 0 {
		t.Fatal("no check went to the MASH inbox: the rig's authority no longer tests the note")
	}
	_, page := m.get("/contacts/" + string(c.ID))
	table := regexp.MustCompile(`(?s)<table class="govuk-table" id="checks">.*?</table>`).FindString(page)
	loc, err := time.LoadLocation(r.console.Policy.Timezone)
	if err != nil {
		t.Fatal(err)
	}
	due := checks[0].DueAt.In(loc).Format("Mon 2 Jan 2006 15:04 MST") // local, saying GMT or BST
	if strings.Contains(table, "UTC") || !strings.Contains(table, due) {
		t.Errorf("the checks' due times are not local (%s):\n%s", due, table)
	}
}

// The team leader's next-morning list says which contacts the EDT had to act on at once (immediate harm,
// route edt-now) beside those only queued for the morning: the list showed an empty rating for both.
func TestOOH_MorningList_SaysWhichTheEDTActedOnAtOnce(t *testing.T) {
	r := newRig(t)
	r.clock.Set(r.clock.Now().Add(12 * time.Hour)) // 22:00 on a Wednesday: the MASH is closed
	edt := r.browser()
	edt.signIn("Eve EDT")
	for _, harm := range []string{"yes", "no"} {
		_, page := edt.get("/ooh")
		st, body := edt.post("/ooh", url.Values{"csrf": {regexpValue(page, "csrf")}, "child.givenName": {"Bea"}, "child.familyName": {"Night" + harm},
			"child.dateOfBirth": {"12/06/2019"}, "referrer.name": {"Neighbour"}, "concerns": {"Shouting and a child crying."},
			"immediateHarm": {harm}})
		if st != http.StatusOK {
			t.Fatalf("record (harm %s): %d %s", harm, st, regexpText(body, "govuk-error-message"))
		}
	}
	m := r.browser()
	m.signIn("Maya Manager")
	_, body := m.get("/ooh")
	table := regexp.MustCompile(`(?s)<table class="govuk-table" id="morning">.*?</table>`).FindString(body)
	rows := regexp.MustCompile(`(?s)<tr class="govuk-table__row">.*?</tr>`).FindAllString(table, -1)
	if len(rows) != 3 { // the header and two contacts
		t.Fatalf("%d rows:\n%s", len(rows), table)
	}
	if !strings.Contains(rows[1], "EDT now: immediate harm") || strings.Contains(rows[2], "EDT now") {
		t.Errorf("the list does not tell the EDT's act-now contact from the queued one:\n%s", table)
	}
	// Each row names its child (the morning team reads the list by name too), and the read is audited.
	if !strings.Contains(rows[1], "Bea Nightyes") || !strings.Contains(rows[2], "Bea Nightno") {
		t.Errorf("the list does not name the children:\n%s", table)
	}
	ref := regexp.MustCompile(`[A-Z]{3}-\d{4}-\d{6}`).FindString(rows[1])
	c, err := r.suite.Store.ContactByReference(context.Background(), authority, domain.Reference(ref))
	if err != nil {
		t.Fatalf("%q: %v", ref, err)
	}
	if !r.audited(c.ID, "contact.read", "Maya Manager") {
		t.Errorf("the manager's read of the morning list is not audited on %s", ref)
	}
}

// The EDT records a call from a neighbour who does not know the child's surname or date of birth, writing
// "not known" as the form's hints say: the contact is made, marked needs details; it was refused
// ("Child's family name is required"), so the EDT had to guess a surname and a date of birth or lose the call.
func TestOOH_PhoneForm_DetailsNotKnown_Recorded(t *testing.T) {
	r := newRig(t)
	r.clock.Set(r.clock.Now().Add(12 * time.Hour)) // 22:00 on a Wednesday: the MASH is closed
	edt := r.browser()
	edt.signIn("Eve EDT")
	_, page := edt.get("/ooh")
	if !strings.Contains(page, "If the caller does not know it, write: not known") {
		t.Error("the form does not say how to record a detail the caller does not know")
	}
	st, body := edt.post("/ooh", url.Values{"csrf": {regexpValue(page, "csrf")}, "child.givenName": {"Bea"}, "child.familyName": {"not known"},
		"child.dateOfBirth": {"Not known"}, "referrer.name": {"Neighbour"}, "concerns": {"A small girl crying in the garden at 22:00."},
		"immediateHarm": {"yes"}})
	if st != http.StatusOK {
		t.Fatalf("record: %d %s", st, regexpText(body, "govuk-error-message"))
	}
	m := regexp.MustCompile(`href="/contacts/([^"]+)" id="ooh-created"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no contact recorded:\n%s", body)
	}
	c, err := r.suite.Store.GetContact(context.Background(), domain.ContactID(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	if c.Child.GivenName != "Bea" || c.Child.FamilyName != "" || !c.Child.DateOfBirth.IsZero() || !c.Flags.NeedsCompletion ||
		c.Extraction == nil || strings.Join(c.Extraction.Missing, ",") != "child.familyName,child.dateOfBirth" {
		t.Errorf("child %+v needsCompletion %v extraction %+v; want Bea, nothing guessed, needs completion", c.Child, c.Flags.NeedsCompletion, c.Extraction)
	}
	if c.Route != domain.RouteEDTNow {
		t.Errorf("route %q, want edt-now", c.Route)
	}
}

// The EDT's caller knows the child's age, not the date of birth ("Kai, about 6"): the form takes the age as told,
// as Record a call does, and the contact is recorded with it, its date of birth listed as not known; it had no
// age field, so the EDT wrote "not known" and the age was lost, or guessed a date. An age as told is enough for
// the child's details (domain.Child.DetailsStillNeeded, Bexley §4), so the contact is not flagged as needing
// them. An age it cannot read is named by its field.
func TestOOH_PhoneForm_AgeAsToldStandsForTheDateOfBirth(t *testing.T) {
	r := newRig(t)
	r.clock.Set(r.clock.Now().Add(12 * time.Hour)) // 22:00 on a Wednesday: the MASH is closed
	edt := r.browser()
	edt.signIn("Eve EDT")
	_, page := edt.get("/ooh")
	if !strings.Contains(page, `name="child.age"`) {
		t.Fatal("the EDT's form has no age field")
	}
	form := url.Values{"csrf": {regexpValue(page, "csrf")}, "child.givenName": {"Kai"}, "child.familyName": {"Brennan"},
		"child.age": {"about six"}, "referrer.name": {"PC 4411 Jones"}, "concerns": {"DA incident at the home; Kai present."}}
	if st, body := edt.post("/ooh", form); st != http.StatusBadRequest || !strings.Contains(body, `id="child-age-error"`) {
		t.Fatalf("an age it cannot read: %d", st)
	}
	form.Set("child.age", "6")
	st, body := edt.post("/ooh", form)
	if st != http.StatusOK {
		t.Fatalf("record: %d %s", st, regexpText(body, "govuk-error-message"))
	}
	m := regexp.MustCompile(`href="/contacts/([^"]+)" id="ooh-created"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no contact recorded:\n%s", body)
	}
	c, err := r.suite.Store.GetContact(context.Background(), domain.ContactID(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	if c.Child.Age != 6 || !c.Child.DateOfBirth.IsZero() || c.Flags.NeedsCompletion || c.Extraction == nil ||
		strings.Join(c.Extraction.Missing, ",") != "child.dateOfBirth" {
		t.Errorf("child %+v needsCompletion %v extraction %+v; want age 6 as told, date of birth not known", c.Child, c.Flags.NeedsCompletion, c.Extraction)
	}
}

// The EDT's phone-contact form names every error at once (a date it could not read was named alone, and the
// missing name and concerns only when the form was sent again).
func TestOOH_PhoneForm_EveryErrorAtOnce(t *testing.T) {
	r := newRig(t)
	r.clock.Set(r.clock.Now().Add(12 * time.Hour))
	edt := r.browser()
	edt.signIn("Eve EDT")
	_, page := edt.get("/ooh")
	st, body := edt.post("/ooh", url.Values{"csrf": {regexpValue(page, "csrf")}, "child.givenName": {"Bea"},
		"child.dateOfBirth": {"31/02/2019"}, "referrer.name": {"Neighbour"}})
	if st != http.StatusBadRequest {
		t.Fatalf("status %d", st)
	}
	for _, id := range []string{`id="child-dateOfBirth-error"`, `id="child-familyName-error"`, `id="concerns-error"`} {
		if !strings.Contains(body, id) {
			t.Errorf("no %s:\n%s", id, regexpText(body, "govuk-error-summary__list"))
		}
	}
	if n := strings.Count(body, `href="#child-dateOfBirth"`); n != 1 {
		t.Errorf("the date of birth is named %d times in the summary", n)
	}
}

// A child's date of birth reads as people in the UK write it, on the contact page and the agency's answer page
// (they showed 2019-02-14).
func TestDateOfBirth_ReadsAsWrittenInTheUK(t *testing.T) {
	r := newRig(t)
	c := r.refer("Zebedee", "Canarybird")
	rateWithChecks(t, r, c.ID)
	want := r.contact(c.ID).Child.DateOfBirth
	uk := time.Date(want.Y, time.Month(want.M), want.D, 0, 0, 0, 0, time.UTC).Format("2 January 2006")
	m := r.browser()
	m.signIn("Maya Manager")
	_, page := m.get("/contacts/" + string(c.ID))
	_, answer := r.browser().open(answerLink(t, r, c.ID, domain.AgencyPolice))
	for name, body := range map[string]string{"contact page": page, "answer page": answer} {
		if !strings.Contains(body, uk) || strings.Contains(body, want.String()) {
			t.Errorf("the %s does not show the date of birth as %q (or still shows %s)", name, uk, want.String())
		}
	}
}

// In a browser: the next-morning list names each child beside its reference, and the page passes axe-core.
func TestBrowser_MorningListNamesTheChild(t *testing.T) {
	r := newRig(t)
	r.clock.Set(r.clock.Now().Add(12 * time.Hour)) // 22:00 on a Wednesday: the MASH is closed
	edt := r.browser()
	edt.signIn("Eve EDT")
	_, page := edt.get("/ooh")
	if st, body := edt.post("/ooh", url.Values{"csrf": {regexpValue(page, "csrf")}, "child.givenName": {"Bea"}, "child.familyName": {"Night"},
		"child.dateOfBirth": {"12/06/2019"}, "referrer.name": {"Neighbour"}, "concerns": {"Shouting and a child crying."},
		"immediateHarm": {"no"}}); st != http.StatusOK {
		t.Fatalf("record: %d %s", st, regexpText(body, "govuk-error-message"))
	}
	mgr := person(t)
	signIn(t, mgr, r, 0) // Maya Manager
	step(t, mgr, "the next-morning list", chromedp.Navigate(r.srv.URL+"/ooh"), chromedp.WaitVisible(chromedp.CSS("#morning")))
	if got := text(t, mgr, "#morning tbody tr"); !regexp.MustCompile(`[A-Z]{3}-\d{4}-\d{6}\s+Bea Night`).MatchString(got) {
		t.Errorf("the row does not name the child after the reference: %q", got)
	}
	check(t, mgr, "morning-list")
}

// Hackney §4(1): a contact saying a child is at risk of immediate harm does not wait in the ordinary
// screening queue: it heads the rating tray, above contacts that arrived before it and are due earlier. It
// sat at the place its arrival gave it (on `mash demo`, seventh of thirteen all due at the same hour).
func TestHackney_4_1_ImmediateHarm_HeadsTheRatingTray(t *testing.T) {
	r := newRig(t)
	first := r.refer("Amos", "Early")
	second := r.refer("Bella", "Second")
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
	_, body := m.get("/trays/rating")
	at := func(c *domain.Contact) int { return strings.Index(body, ">"+string(c.Reference)+"<") }
	if at(urgent) < 0 || at(first) < 0 || at(second) < 0 {
		t.Fatalf("the three contacts are not all on the rating tray:\n%s", body)
	}
	if !(at(urgent) < at(first) && at(first) < at(second)) {
		t.Errorf("order %s@%d %s@%d %s@%d: want the immediate-harm contact first, then earliest due first",
			urgent.Reference, at(urgent), first.Reference, at(first), second.Reference, at(second))
	}
}

// Hackney §9 (out of hours the EDT takes the call; the MASH reviews it the next working day): the next-morning
// list says which contacts still need the child's details completed, and what is not known, so that the
// morning team gives them to a screener first; a contact whose child is known carries no such tag.
func TestHackney_9_MorningList_SaysWhichContactsNeedTheirDetailsCompleted(t *testing.T) {
	r := newRig(t)
	r.clock.Set(r.clock.Now().Add(12 * time.Hour)) // 22:00 on a Wednesday: the MASH is closed
	edt := r.browser()
	edt.signIn("Eve EDT")
	for _, ch := range [][2]string{{"Night", "12/06/2019"}, {"not known", "not known"}} {
		_, page := edt.get("/ooh")
		if st, body := edt.post("/ooh", url.Values{"csrf": {regexpValue(page, "csrf")}, "child.givenName": {"Bea"}, "child.familyName": {ch[0]},
			"child.dateOfBirth": {ch[1]}, "referrer.name": {"Neighbour"}, "concerns": {"Shouting and a child crying."}, "immediateHarm": {"no"}}); st != http.StatusOK {
			t.Fatalf("record: %d %s", st, regexpText(body, "govuk-error-message"))
		}
	}
	m := r.browser()
	m.signIn("Maya Manager")
	_, body := m.get("/ooh")
	table := regexp.MustCompile(`(?s)<table class="govuk-table" id="morning">.*?</table>`).FindString(body)
	rows := regexp.MustCompile(`(?s)<tr class="govuk-table__row">.*?</tr>`).FindAllString(table, -1)
	if len(rows) != 3 {
		t.Fatalf("%d rows:\n%s", len(rows), table)
	}
	var known, unknown string
	for _, row := range rows[1:] {
		if strings.Contains(row, "Bea Night") {
			known = row
		} else {
			unknown = row
		}
	}
	if !strings.Contains(unknown, `child's details needed</strong>`) || !strings.Contains(unknown, "Not known: the child&#39;s family name; the child&#39;s date of birth") {
		t.Errorf("the contact whose child's details are not known does not say so:\n%s", table)
	}
	if strings.Contains(known, "details needed") {
		t.Errorf("a contact whose child is known is tagged as needing details:\n%s", known)
	}
}

// The search page's hint gives an example of this MASH's own references, of this year: it said HAC-2027-000123
// to every council, a year to come for a MASH working in 2026.
func TestSearch_HintIsAnExampleOfThisMASHsReferencesThisYear(t *testing.T) {
	for _, a := range []struct {
		authority domain.AuthorityID
		at        time.Time
		want      string
	}{{"bexley", time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC), "For example BEX-2026-000123, "},
		{"hackney", time.Date(2027, 1, 4, 10, 0, 0, 0, time.UTC), "For example HAC-2027-000123, "}} {
		r := newRigFor(t, a.authority)
		r.clock.Set(a.at)
		b := r.browser()
		b.signIn("Wes Worker")
		if _, body := b.get("/search"); !strings.Contains(body, a.want) {
			t.Errorf("%s: the search hint is not %q:\n%s", a.authority, a.want, regexpText(body, "govuk-hint"))
		}
	}
}
