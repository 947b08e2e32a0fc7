package console_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
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
