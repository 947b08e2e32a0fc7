package console_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/domain"
)

// The /reports page (issue #16): the timeliness figures as a server-rendered SVG chart and a table; a bad
// period is a 400 naming it.
func TestReports_SVGChartOfTimeliness(t *testing.T) {
	r := newRig(t)
	c := r.refer("Zebedee", "Canarybird")
	b := r.browser()
	b.signIn("Maya Manager")
	status, body := b.get("/reports")
	if status != http.StatusOK {
		t.Fatalf("/reports: %d", status)
	}
	for _, want := range []string{"<svg", `role="img"`, "<title id=\"chart-title\">", "screening.csc", `href="/reports"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page has no %s", want)
		}
	}
	// The per-rule table names each rule in words, with its seed section and id beside (Hackney §4).
	if !strings.Contains(body, `Screening decision (children&#39;s social care): within 24 hours<br><span class="govuk-body-s console-rule">Hackney §4 · <code>screening.csc</code>`) {
		t.Errorf("the per-rule table does not name the rule in words")
	}
	if len(r.contact(c.ID).Deadlines) == 0 || !strings.Contains(body, "<rect") {
		t.Errorf("the contact's deadlines are not drawn:\n%s", body)
	}
	// The dashboard's figures over the last day, as on AWS: the referral just made counts under its channel.
	for _, want := range []string{"The last 24 hours", "Contacts received by channel", "Deadlines met by rule",
		"Deadlines missed by rule", "Overdue now by tray", "Emails quarantined", "Messages undeliverable",
		"Escalations", "Decisions by outcome"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page has no %q", want)
		}
	}
	if ch := string(r.contact(c.ID).Channel); !regexp.MustCompile(`>` + ch + `</th><td class="govuk-table__cell govuk-table__cell--numeric">1<`).MatchString(body) {
		t.Errorf("the %s contact is not counted in the last day:\n%s", ch, body)
	}
	if strings.Contains(body, "<script") {
		t.Error("the page has a script")
	}
	if status, body := b.get("/reports?from=2026-02-01&to=2026-01-01"); status != http.StatusBadRequest || !strings.Contains(body, "after to") {
		t.Errorf("from after to: %d %s", status, regexpText(body, "govuk-body"))
	}
}

// Annex A List 1 on the manager's /reports page: a contact whose census codes are missing (one forwarded at
// once to an open case's worker leaves the front door so) is listed by reference, its status and the codes,
// linked to its contact page's census form; once they are recorded the list says List 1 is complete.
func TestReports_AnnexA_ContactsWithCensusCodesMissing(t *testing.T) {
	r := newRig(t)
	c := r.refer("Zebedee", "Canarybird")
	b := r.browser()
	b.signIn("Maya Manager")
	_, body := b.get("/reports")
	got := r.contact(c.ID)
	if got.Status != domain.StatusAwaitingRating {
		t.Fatalf("status %s, want %s", got.Status, domain.StatusAwaitingRating)
	}
	// The status in the MASH's words, never its code.
	row := regexp.MustCompile(`href="/contacts/` + string(c.ID) + `#census">` + string(got.Reference) + `</a></td><td class="govuk-table__cell">` +
		`waiting for a rating</td><td class="govuk-table__cell">[0-9/]+</td><td class="govuk-table__cell">source, gender, ethnicity</td>`)
	if !strings.Contains(body, `id="census-gaps"`) || !row.MatchString(body) {
		t.Fatalf("the contact with codes missing is not listed:\n%s", regexpText(body, "govuk-body"))
	}
	r.census(c.ID)
	if _, body := b.get("/reports"); !strings.Contains(body, "Annex A List 1 is complete") || strings.Contains(body, string(got.Reference)) {
		t.Errorf("after recording the codes:\n%s", regexpText(body, "govuk-body"))
	}
}

// The period form shows the dates the manager gave, as local days: in summer (BST) a UTC date would show
// 31 March for 1 April, and each "Show" would move the period a day earlier.
func TestReports_PeriodForm_ShowsTheLocalDatesGiven(t *testing.T) {
	r := newRig(t)
	b := r.browser()
	b.signIn("Maya Manager")
	status, body := b.get("/reports?from=2027-04-01&to=2027-04-30")
	if status != http.StatusOK {
		t.Fatalf("/reports: %d", status)
	}
	for _, want := range []string{`value="2027-04-01"`, `value="2027-04-30"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the period form has no %s:\n%s", want, regexp.MustCompile(`<input[^>]*>`).FindAllString(body, -1))
		}
	}
}
