package notify_test

import (
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/notify"
	"github.com/safeguarding/mash/shared/policy"
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

// Hackney §9 (the EDT outside the MASH's hours) and §4(1): a referrer who says a child is at risk of immediate
// harm is told that someone acts now — the EDT out of hours, a MASH manager in hours — not only that the MASH
// will look at the contact when it opens (found ingesting an emergency department's "immediate harm: Yes" at
// 22:00 on a Saturday on `mash demo --start-at`: the acknowledgement promised Monday 09:00).
func TestHackney_9_ImmediateHarm_AcknowledgementSaysWhoActsNow(t *testing.T) {
	p := hackney(t)
	saturdayNight := time.Date(2027, 12, 25, 22, 0, 0, 0, time.UTC)
	wednesday := time.Date(2027, 12, 22, 11, 0, 0, 0, time.UTC)
	cases := []struct {
		name     string
		at       time.Time
		harm     bool
		want     []string
		wantNone []string
	}{
		{"closed, immediate harm", saturdayNight, true,
			[]string{"You told us a child is at risk of immediate harm. The MASH is closed now, so the Emergency Duty Team has been told at once",
				"when it opens, on Wednesday 29 December 2027 at 09:00 GMT", "To speak to the Emergency Duty Team, phone 0208 356 2710."},
			[]string{"If a child needs help before then"}},
		{"closed, no immediate harm", saturdayNight, false,
			[]string{"The MASH is closed now: it will look at your contact when it opens", "If a child needs help before then, phone the Emergency Duty Team on 0208 356 2710."},
			[]string{"told at once"}},
		{"open, immediate harm", wednesday, true,
			[]string{"You told us a child is at risk of immediate harm: a MASH manager is told at once."},
			[]string{"closed now"}},
		{"open, no immediate harm", wednesday, false, nil, []string{"closed now", "told at once"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := compose(t, p, composeCase{kind: notify.KindAcknowledgement, edit: func(c *domain.Contact) {
				c.ReceivedAt, c.ImmediateHarm, c.Status, c.Rating, c.Outcome = tc.at, tc.harm, domain.StatusReceived, nil, nil
			}})
			text := strings.Join(strings.Fields(n.Text), " ")
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("the acknowledgement does not say %q:\n%s", w, n.Text)
				}
			}
			for _, w := range tc.wantNone {
				if strings.Contains(text, w) {
					t.Errorf("the acknowledgement says %q:\n%s", w, n.Text)
				}
			}
		})
	}
}

// Northamptonshire §7: the strategy discussion is held within an hour, and the message gives the time. An
// authority with no strategy.red timescale gets no "by the time above" pointing at a time the message did
// not give (Portsmouth's s47 decision on `mash demo`).
func TestNorthamptonshire_7_StrategyMessage_GivesItsTimeOrNone(t *testing.T) {
	for _, tc := range []struct {
		authority string
		want      string
		wantNone  string
	}{
		{"northamptonshire", "Hold by: Friday 24 December 2027 at 18:01 GMT", "as soon as possible"},
		{"portsmouth", "join the strategy discussion as soon as possible", "the time above"},
	} {
		t.Run(tc.authority, func(t *testing.T) {
			p, err := policy.Load(tc.authority)
			if err != nil {
				t.Fatal(err)
			}
			n := compose(t, p, composeCase{kind: notify.KindStrategy, edit: func(c *domain.Contact) {
				if _, ok := p.Deadline(policy.RuleStrategyRed); !ok {
					delete(c.Deadlines, policy.RuleStrategyRed) // the lifecycle starts none where the policy has none
				}
			}})
			if !strings.Contains(n.Text, tc.want) || strings.Contains(n.Text, tc.wantNone) {
				t.Errorf("want %q and not %q:\n%s", tc.want, tc.wantNone, n.Text)
			}
		})
	}
}

// Northamptonshire §6b: a referral without consent is returned to the referrer to seek it. The message
// answers what the referrer already said — that the family refused, or that consent was not sought — rather
// than asking again "why they refused" of a school that had written "mum declined".
func TestNorthamptonshire_6b_ConsentRequest_AnswersWhatTheReferrerSaid(t *testing.T) {
	p, err := policy.Load("northamptonshire")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		status   domain.ConsentStatus
		want     string
		wantNone string
	}{
		{domain.ConsentRefused, "You told us the family refused consent.", "tell us why they refused"},
		{domain.ConsentNotSought, "You told us consent was not sought.", "tell us why they refused"},
		{domain.ConsentUnknown, "or tell us why they refused", "You told us"},
	} {
		n := compose(t, p, composeCase{kind: notify.KindConsentRequest, edit: func(c *domain.Contact) {
			c.Status, c.Outcome, c.Rating = domain.StatusReturnedForConsent, nil, nil
			c.Consent = domain.Consent{Status: tc.status, Reason: "mum declined"}
		}})
		text := strings.Join(strings.Fields(n.Text), " ")
		if !strings.Contains(text, tc.want) || strings.Contains(text, tc.wantNone) || strings.Contains(text, "mum declined") {
			t.Errorf("%s: want %q, not %q, and not the reason's words:\n%s", tc.status, tc.want, tc.wantNone, n.Text)
		}
		if !strings.Contains(text, "you do not need consent") {
			t.Errorf("%s: the significant-harm paragraph is gone:\n%s", tc.status, n.Text)
		}
	}
}
