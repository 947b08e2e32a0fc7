package policy_test

import (
	"testing"

	"github.com/safeguarding/mash/shared/policy"
)

// A rule reads in words on the console (the trays' and the contact page's Rule column): the product's name
// for the rule, the authority's own timescale from its deadlines, and the seed section the value cites;
// an assumed value cites none, an id the product does not know reads as itself.
func TestRuleLabel_WordsTimescaleAndSeedSectionFromThePolicy(t *testing.T) {
	for _, x := range []struct {
		authority, rule string
		want            policy.RuleLabel
	}{
		{"hackney", policy.RuleChecksRed, policy.RuleLabel{ID: "checks.red", Words: "Partner checks, red: within 4 hours", Section: "Hackney §5"}},
		{"hackney", policy.RuleScreeningCSC, policy.RuleLabel{ID: "screening.csc", Words: "Screening decision (children's social care): within 24 hours", Section: "Hackney §4"}},
		{"hackney", policy.RuleInfoRequest, policy.RuleLabel{ID: "info-request", Words: "Answer to a request for information: within 10 working days", Section: "Hackney §4"}},
		{"northamptonshire", policy.RuleChecksRed, policy.RuleLabel{ID: "checks.red", Words: "Partner checks, red: within 1 hour", Section: "Northamptonshire §7"}},
		{"northamptonshire", policy.RulePCOReview, policy.RuleLabel{ID: "pco-review", Words: "MASH PCO review of a green contact: within 3 working days", Section: "Northamptonshire Appendix A"}},
		{"portsmouth", policy.RuleEncompass, policy.RuleLabel{ID: "encompass", Words: "Operation Encompass notice to the school: by the start of the next school day", Section: "Portsmouth §4.9"}},
		{"portsmouth", policy.RuleOOHReview, policy.RuleLabel{ID: "ooh-review", Words: "Review of an out-of-hours contact: by the close of the next working day", Section: "Portsmouth §8"}},
		{"portsmouth", policy.RuleChecksRed, policy.RuleLabel{ID: "checks.red", Words: "Partner checks, red: within 4 hours"}}, // assumed: no section
		{"bexley", policy.RuleConsultationSummary, policy.RuleLabel{ID: "consultation-summary", Words: "Written summary of a consultation: within 48 hours", Section: "Bexley §5-6"}},
		{"barnet", policy.RuleImmediateHarmForm, policy.RuleLabel{ID: "immediate-harm-form", Words: "Written form after a phoned-in immediate-harm referral: by the close of the working day", Section: "Barnet 'How do I refer?'"}},
		{"barnet", policy.RuleChecksBlue, policy.RuleLabel{ID: "checks.blue", Words: "Partner checks, blue: within 5 working days"}},
		{"hackney", policy.RuleEncompass, policy.RuleLabel{ID: "encompass", Words: "Operation Encompass notice to the school: by the start of the next school day"}}, // cites the statute, not the seed
		{"hackney", policy.RuleEscalatedDecision, policy.RuleLabel{ID: "decision", Words: "Decision escalated to the service manager"}},
		{"hackney", policy.RuleDeadLetter, policy.RuleLabel{ID: "dead-letter", Words: "Workflow failed: a person takes the contact on"}},
		{"hackney", "smtp 550 mailbox unavailable", policy.RuleLabel{ID: "smtp 550 mailbox unavailable", Words: "smtp 550 mailbox unavailable"}},
	} {
		t.Run(x.authority+"/"+x.rule, func(t *testing.T) {
			if got := load(t, x.authority).RuleLabel(x.rule); got != x.want {
				t.Errorf("RuleLabel(%q) = %+v, want %+v", x.rule, got, x.want)
			}
		})
	}
}

// Every rule a policy can hold has words of its own (a new rule id without them would show its code).
func TestRuleLabel_EveryRuleIDHasWords(t *testing.T) {
	p := load(t, "hackney")
	for _, id := range policy.RuleIDs {
		if l := p.RuleLabel(id); l.Words == id {
			t.Errorf("rule %s has no words", id)
		}
	}
}
