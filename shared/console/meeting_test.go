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

	"github.com/safeguarding/mash/shared/store"
)

// Hackney §6 (the Daily MASH Meeting every weekday morning) on the console's meeting page: the agenda as the
// meeting reads it — reference, child, rating, status and why in words — a Red contact waiting on its partner
// checks said to wait on them (how many answered of how many, the next due), never "awaiting a decision";
// every contact listed audited as read by the reader; a day without a meeting and a date that is not one said
// in words by the date field; the menu offers the page to a manager.
func TestHackney_6_MeetingPage_TheAgendaInWords_ContactsWaitingOnChecksSaySo(t *testing.T) {
	r := newRig(t) // Wednesday 10 March 2027 10:00: the 09:30 meeting has sat
	c := r.refer("Zebedee", "Canarybird")
	b := r.browser()
	b.signIn("Maya Manager")
	if st, _ := b.post("/contacts/"+string(c.ID)+"/rating", url.Values{"value": {"red"}, "rationale": {"Bruising and fear of going home."}}); st != http.StatusOK {
		t.Fatalf("rating: %d", st)
	}
	r.advance(time.Minute)
	checks, err := r.suite.Store.ListChecks(context.Background(), c.ID)
	if err != nil || len(checks) == 0 {
		t.Fatalf("the red rating asked no checks: %v %v", checks, err)
	}
	st, body := b.get("/meeting")
	if st != http.StatusOK {
		t.Fatalf("meeting page: %d", st)
	}
	row := regexp.MustCompile(`(?s)<tr class="govuk-table__row"><td class="govuk-table__cell"><a class="govuk-link" href="/contacts/` + string(c.ID) + `">` +
		string(c.Reference) + `</a></td><td class="govuk-table__cell">Zebedee Canarybird</td><td class="govuk-table__cell"><strong class="govuk-tag console-rag-red">red</strong></td>` +
		`<td class="govuk-table__cell">partner checks</td>.*?Red or Amber, waiting on partner checks: 0 of \d+ answered; next due: [a-z ()]+, Wed 10 Mar 2027 \d\d:\d\d GMT</td></tr>`)
	for _, want := range []string{`<h1 class="govuk-heading-l">Daily MASH meeting</h1>`, `Wed 10 Mar 2027 09:30 GMT: 1 contact to discuss`,
		`Monday, Tuesday, Wednesday, Thursday and Friday at 09:30`, `href="/meeting">Daily meeting</a>`} {
		if !strings.Contains(body, want) {
			t.Errorf("the meeting page does not say %q", want)
		}
	}
	if !row.MatchString(body) {
		t.Errorf("no row for the red contact waiting on its checks, in words:\n%s", body)
	}
	if strings.Contains(body, "awaiting a decision") || strings.Contains(body, "red-amber") {
		t.Error("the contact waiting on its checks is said to await a decision, or a code shows")
	}
	evs, _ := r.suite.Store.ListAudit(context.Background(), c.ID)
	if !slices.ContainsFunc(evs, func(e store.AuditEvent) bool {
		return e.Action == "contact.read" && e.Actor == "Maya Manager" && e.Detail["what"] == "console meeting agenda 2027-03-10"
	}) {
		t.Error("the agenda's read of the contact is not audited")
	}
	st, body = b.get("/meeting?date=2027-03-13")
	if st != http.StatusNotFound || !strings.Contains(body, `id="no-meeting">no meeting on 2027-03-13 (a Saturday)`) || strings.Contains(body, "not_found") {
		t.Errorf("a Saturday: %d, want 404 saying why in words", st)
	}
	st, body = b.get("/meeting?date=13%2F03%2F2027")
	if st != http.StatusBadRequest || !strings.Contains(body, `id="date-error"`) || !strings.Contains(body, `value="13/03/2027"`) {
		t.Errorf("a date not YYYY-MM-DD: %d, want 400 naming the date field with the input kept", st)
	}
}

// Northamptonshire and Barnet: the seeds describe no daily MASH meeting; the page says so and the menu does not
// offer it.
func TestNorthamptonshire_MeetingPage_NoMeetingInThePolicy(t *testing.T) {
	r := newRigFor(t, "northamptonshire")
	b := r.browser()
	b.signIn("Wes Worker")
	st, body := b.get("/meeting")
	if st != http.StatusOK || !strings.Contains(body, `id="no-meeting">`) || strings.Contains(body, `href="/meeting">Daily meeting`) {
		t.Errorf("northamptonshire: %d, want the page saying there is no meeting and no menu entry", st)
	}
}
