package console_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The Rule column of the trays and of the contact page's deadlines reads in words, from the policy: what
// the rule is, the authority's timescale, and the seed section it comes from, with the rule's id kept as
// small text (Hackney §4 timescale 3: screening within 24 hours; §5: red checks within 4 hours). Before, it
// showed the id alone ("screening.csc"). Every page is scanned by axe-core.
func TestHackney_4_5_TrayRuleReadsInWordsWithItsSection(t *testing.T) {
	r := newRig(t)
	c := r.refer("Zebedee", "Canarybird")
	mgr := person(t)
	signIn(t, mgr, r, 0) // Maya Manager
	row := `table[data-tray="rating"] tbody tr`
	got := text(t, mgr, row+` td:nth-child(5)`)
	for _, want := range []string{"Screening decision (children's social care): within 24 hours", "Hackney §4", "screening.csc"} {
		if !strings.Contains(got, want) {
			t.Errorf("rating tray rule: %q, want %q in it", got, want)
		}
	}
	if small := text(t, mgr, row+` td:nth-child(5) .console-rule`); !strings.HasPrefix(small, "Hackney §4") || strings.Contains(small, "Screening") {
		t.Errorf("the id and section are not the secondary text: %q", small)
	}
	check(t, mgr, "tray-rule-words")
	step(t, mgr, "open the contact", chromedp.Click(chromedp.CSS(`table[data-tray="rating"] a[href="/contacts/`+string(c.ID)+`"]`)),
		chromedp.WaitVisible(chromedp.CSS("#rate-submit")))
	step(t, mgr, "rate Red and request checks", chromedp.Click(chromedp.CSS("#value-red")),
		chromedp.SendKeys(chromedp.CSS("#rationale"), "Bruising and fear of going home: Red."),
		chromedp.Click(chromedp.CSS("#agencies-police")), chromedp.Click(chromedp.CSS("#rate-submit")),
		chromedp.WaitVisible(chromedp.CSS("p strong.console-rag-red")))
	if got := text(t, mgr, "main"); !strings.Contains(got, "Partner checks, red: within 4 hours") || !strings.Contains(got, "Hackney §5 · checks.red") {
		t.Errorf("the contact's deadlines do not read in words: %q", got)
	}
	check(t, mgr, "contact-deadline-words")
	r.advance(time.Minute) // the checks step asks the agencies
	step(t, mgr, "the checks tray", chromedp.Navigate(r.srv.URL+"/trays/checks"), chromedp.WaitVisible(chromedp.CSS(`table[data-tray="checks"]`)))
	if got := text(t, mgr, `table[data-tray="checks"] tbody tr td:nth-child(5)`); !strings.Contains(got, "Partner checks, red: within 4 hours") ||
		!strings.Contains(got, "Hackney §5 · checks.red") || !strings.Contains(got, " check") {
		t.Errorf("checks tray rule: %q", got)
	}
	check(t, mgr, "checks-tray-rule-words")
}
