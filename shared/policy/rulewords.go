package policy

import (
	"regexp"
	"strings"
)

// RuleLabel is a rule as the people of the MASH read it: what it is and its timescale in plain words, the
// section of the council's procedure it comes from (empty when the policy assumes the value), and its id,
// which scripts, reports and the API use.
type RuleLabel struct {
	ID      string `json:"id"`
	Words   string `json:"words"`             // e.g. "Partner checks, red: within 4 hours"
	Section string `json:"section,omitempty"` // e.g. "Hackney §5"
}

// ruleWords names each rule the product knows. They are the product's words, the same for every
// authority; each authority's timescale and seed section come from its policy (RuleLabel).
var ruleWords = map[string]string{
	RuleChecksRed:           "Partner checks, red",
	RuleChecksAmber:         "Partner checks, amber",
	RuleChecksGreen:         "Partner checks, green",
	RuleChecksBlue:          "Partner checks, blue",
	RuleScreeningCSC:        "Screening decision (children's social care)",
	RuleScreeningEarlyHelp:  "Screening decision (early help)",
	RuleInfoRequest:         "Answer to a request for information",
	RulePCOReview:           "MASH PCO review of a green contact",
	RuleStrategyRed:         "Strategy discussion, red",
	RuleDecisionFeedback:    "Outcome to the referrer in writing",
	RuleImmediateHarmForm:   "Written form after a phoned-in immediate-harm referral",
	RuleLADO:                "Referral to the LADO",
	RuleEncompass:           "Operation Encompass notice to the school",
	RuleOOHReview:           "Review of an out-of-hours contact",
	RuleRerateRaisedRisk:    "Re-rating after a partner said the risk is higher",
	RuleEscalationRepeat:    "Escalation repeated to the service manager",
	RuleHousing1617:         "Joint housing assessment of a homeless 16- or 17-year-old",
	RuleConsultationSummary: "Written summary of a consultation",
	// Rules of items the product raises that are no deadline of the policy.
	RuleEscalatedDecision: "Decision escalated to the service manager",
	RuleDeadLetter:        "Workflow failed: a person takes the contact on",
	RuleRestartLimit:      "Workflow restarted as often as the policy allows: a person takes the contact on",
}

// Rules of tray items that are no deadline of the policy (their due time is the item's own).
const (
	// RuleEscalatedDecision: a decision escalated to the service manager (the service-manager tray).
	RuleEscalatedDecision = "decision"
	// RuleDeadLetter: a contact whose workflow failed (the failed-workflows tray).
	RuleDeadLetter = "dead-letter"
	// RuleRestartLimit: a stuck contact whose workflow was restarted as often as workflow.restartLimit allows.
	RuleRestartLimit = "workflow.restartLimit"
)

// RuleLabel says rule id in plain words: the product's name for it, then the authority's timescale from its
// deadlines ("within 4 hours"), and the seed section the value cites (none when the value is assumed). An id
// the product does not know (an undeliverable message's reason, say) reads as itself.
func (p *Policy) RuleLabel(id string) RuleLabel {
	l := RuleLabel{ID: id, Words: id}
	name, known := ruleWords[id]
	if !known {
		return l
	}
	l.Words = name
	d, ok := p.Deadlines[id]
	if !ok {
		return l
	}
	l.Words += ": " + d.Rule.Words()
	if sec := p.seedSection(d.Source); sec != "" {
		l.Section = sec
	}
	return l
}

// sectionRef is a seed citation's section at the start of a source after the seed number: §4.9, §5-6, a
// quoted heading ('How do I refer?') or an appendix.
var sectionRef = regexp.MustCompile(`^(§[0-9]+(?:\.[0-9]+)*(?:-[0-9]+(?:\.[0-9]+)*)?|'[^']+'|Appendix [A-Z0-9]+)`)

// seedSection reads the section a sourced value cites ("001 §5 MASH Checks: …" → "Hackney §5"): only a
// source that starts with this policy's seed, never an assumed value's reason.
func (p *Policy) seedSection(s Source) string {
	if s.Assumed || p.Seed == "" {
		return ""
	}
	rest, ok := strings.CutPrefix(s.Source, p.Seed+" ")
	if !ok {
		return ""
	}
	sec := sectionRef.FindString(rest)
	if sec == "" {
		return ""
	}
	return p.ShortName() + " " + sec
}

// Cite is the seed section a sourced value cites ("Hackney §8"), "" for an assumed one or one citing no
// section.
func (p *Policy) Cite(s Source) string { return p.seedSection(s) }

// ShortName is how the council is cited in short (the authority id capitalised: "Hackney §5").
func (p *Policy) ShortName() string {
	a := string(p.Authority)
	if a == "" {
		return ""
	}
	return strings.ToUpper(a[:1]) + a[1:]
}
