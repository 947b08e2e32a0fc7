package notify_test

import (
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/notify"
)

// Hackney §4(1): a contact at immediate risk, or meeting the section 47 threshold, is brought to a manager's
// immediate attention. The duty manager's message says which and by when; it read "risk raised by " (no
// agency) and "A partner agency's check answer says the risk is higher than the current rating" when no
// partner had answered anything (found trying `mash ingest` of an emergency department's "Is the child at
// risk of immediate harm? Yes" on `mash demo`).
func TestHackney_4_1_ImmediateRisk_DutyManagerToldWhy(t *testing.T) {
	p := hackney(t)
	cases := []struct {
		name      string
		edit      func(*domain.Contact)
		extra     notify.Extra
		want      []string
		wantNever []string
	}{
		{"immediate harm at screening", func(c *domain.Contact) {
			c.Status, c.Rating, c.Outcome, c.ImmediateHarm = domain.StatusAwaitingRating, nil, nil, true
		}, notify.Extra{"stage": "immediate", "dueAt": "2027-12-25T16:59:00Z"},
			[]string{"says a child is at risk of immediate harm", "Immediate harm: yes", "Rate by: Saturday 25 December 2027 at 16:59 GMT"},
			[]string{"Section 47", "Current rating"}},
		{"section 47 flagged on a rated contact", func(c *domain.Contact) {
			c.Status, c.Outcome, c.S47 = domain.StatusChecks, nil, true
		}, notify.Extra{"stage": "immediate", "dueAt": "2027-12-24T18:01:00Z"},
			[]string{"meets the section 47 threshold", "Section 47 threshold: met", "Strategy discussion by: Friday 24 December 2027 at 18:01 GMT", "Current rating: red"},
			[]string{"Immediate harm: yes", "Rate by"}},
		{"both", func(c *domain.Contact) {
			c.Status, c.Rating, c.Outcome, c.ImmediateHarm, c.S47 = domain.StatusAwaitingRating, nil, nil, true, true
			delete(c.Deadlines, "strategy.red")
		}, notify.Extra{"stage": "immediate", "dueAt": "2027-12-25T16:59:00Z"},
			[]string{"says a child is at risk of immediate harm and meets the section 47 threshold", "Rate by: Saturday 25 December 2027 at 16:59 GMT"},
			nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := compose(t, p, composeCase{kind: notify.KindRiskRaised, extra: tc.extra, edit: tc.edit})
			if n.Subject != "MASH contact HAC-2027-000123: immediate attention" {
				t.Errorf("subject %q", n.Subject)
			}
			for _, w := range append(tc.want, "For the MASH duty manager", consoleURL+"/contacts/c_0123456789abcdef0123") {
				if !strings.Contains(n.Text, w) {
					t.Errorf("the text does not say %q:\n%s", w, n.Text)
				}
			}
			for _, w := range append(tc.wantNever, "partner agency", "check answer", "Agency:", "raised by") {
				if strings.Contains(n.Text, w) {
					t.Errorf("the text says %q:\n%s", w, n.Text)
				}
			}
			if len(n.To) != 1 || n.To[0] != p.Contacts.MASHInbox.Email {
				t.Errorf("to %v, want the MASH inbox (the duty manager)", n.To)
			}
		})
	}
	// A partner's answer that raises the risk still says so, with the agency.
	n := compose(t, p, composeCase{kind: notify.KindRiskRaised, extra: notify.Extra{"agency": "health", "check": "health-9f", "stage": "immediate"}})
	if n.Subject != "MASH contact HAC-2027-000123: risk raised by health" || !strings.Contains(n.Text, "check answer says the risk is higher") {
		t.Errorf("a partner's raised risk: %q\n%s", n.Subject, n.Text)
	}
}
