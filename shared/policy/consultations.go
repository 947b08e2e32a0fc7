package policy

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// EventConsulted: a professional's consultation was recorded (Bexley §5–6: its written summary's clock).
const EventConsulted Event = "consulted"

// RuleConsultationSummary: the written summary of a consultation sent to the person who sought it (Bexley
// §5–6: within 48 hours).
const RuleConsultationSummary = "consultation-summary"

// Consultations is how the MASH treats a professional asking for advice rather than referring (Bexley §5–6,
// Hackney §8, Barnet's consultation line, Northamptonshire §7): what the log keeps and what may be done.
// A consultation is never screened as a referral; a worker may turn one into a contact.
type Consultations struct {
	// Offered: the MASH gives consultations. Without it, POST /v1/consultations is refused and advice calls
	// are recorded as phone contacts.
	Offered bool `json:"offered" yaml:"offered"`
	// RecordAgainstChild: the child's details, when the consultee shares them, are recorded with the
	// consultation (Bexley §5: "recorded on a contact record"). Without it the log keeps calls only, never on a
	// child's record (Hackney §8), and a consultation giving the child's details is refused naming child.
	RecordAgainstChild bool `json:"recordAgainstChild" yaml:"recordAgainstChild"`
	// BasicChecks: with the child's details, basic checks (the council's case records) may be requested
	// (Bexley §5); never without them (Bexley §6: "no screening checks will be undertaken").
	BasicChecks bool `json:"basicChecks" yaml:"basicChecks"`
	// WrittenSummary: a written summary of the discussion and advice goes to the consultee, due by the
	// consultation-summary deadline the consulted event starts (Bexley §5–6: within 48 hours).
	WrittenSummary bool `json:"writtenSummary" yaml:"writtenSummary"`
	// AskDSLConsulted: the consultation records whether the caller consulted their Designated Safeguarding
	// Lead first (Hackney §8), and an answer is required.
	AskDSLConsulted bool `json:"askDSLConsulted" yaml:"askDSLConsulted"`
	// ConvertWhenAtRisk: a consultation about a child the worker judges at risk is turned into a referral
	// (a contact) at once (Barnet: "If we feel the child is at risk we will insist that you make a referral").
	ConvertWhenAtRisk bool `json:"convertWhenAtRisk" yaml:"convertWhenAtRisk"`
	// ProfessionalsOnly: the consultation line is for professionals (Hackney §8 "an advice line for
	// professionals", Northamptonshire §7, Barnet's "Consultation line for professionals"): a consultee is a
	// professional unless said otherwise, and one recorded as a member of the public is refused (their worry
	// is a contact). Without it (Bexley §5: "the person making contact with the MASH") the worker says which
	// the consultee is: it decides whether consent is expected of them once the consultation becomes a
	// referral (Bexley §18).
	ProfessionalsOnly bool `json:"professionalsOnly" yaml:"professionalsOnly"`
	// Line is the consultation line's hours, when the seed gives them (Barnet: Monday to Friday 11:00–12:00).
	Line   *ConsultationLine `json:"line,omitempty" yaml:"line,omitempty"`
	Source `yaml:",inline"`
}

// ConsultationLine is when the professionals' consultation line is open.
type ConsultationLine struct {
	Days   []string `json:"days" yaml:"days"` // lower-case weekday names
	From   string   `json:"from" yaml:"from"` // HH:MM
	To     string   `json:"to" yaml:"to"`     // HH:MM
	Source `yaml:",inline"`
}

// LineOpen reports whether the consultation line is open at t (true when the policy gives no hours). A
// day the MASH does not work (a bank holiday) has no line.
func (p *Policy) LineOpen(t time.Time) (bool, error) {
	l := p.Consultations.Line
	if l == nil {
		return true, nil
	}
	cal, err := p.Calendar()
	if err != nil {
		return false, err
	}
	local := t.In(cal.Location())
	if !slices.Contains(l.Days, strings.ToLower(local.Weekday().String())) || !cal.IsWorkingDay(t) {
		return false, nil
	}
	hm := local.Format("15:04")
	return hm >= l.From && hm < l.To, nil
}

// ConsultationStarts returns the rules the consulted event starts, in the policy's order (a consulted
// start takes no conditions: Validate refuses them).
func (p *Policy) ConsultationStarts() []string {
	var rules []string
	for _, s := range p.Starts {
		if s.Event == EventConsulted && !slices.Contains(rules, s.Rule) {
			rules = append(rules, s.Rule)
		}
	}
	return rules
}

func (p *Policy) validateConsultations(v validator) {
	at := "consultations"
	c := p.Consultations
	v.source(at, c.Source)
	if !c.Offered && (c.RecordAgainstChild || c.BasicChecks || c.WrittenSummary || c.AskDSLConsulted || c.ConvertWhenAtRisk || c.ProfessionalsOnly || c.Line != nil) {
		v.add(at+".offered", "is false, so nothing else of consultations may be set")
	}
	if c.BasicChecks && !c.RecordAgainstChild {
		v.add(at+".basicChecks", "needs recordAgainstChild: checks are run on the child's details")
	}
	summaryStarted := slices.Contains(p.ConsultationStarts(), RuleConsultationSummary)
	if c.WrittenSummary && !summaryStarted {
		v.add(at+".writtenSummary", "needs a starts entry: event consulted, rule %s", RuleConsultationSummary)
	}
	if !c.WrittenSummary && summaryStarted {
		v.add(at+".writtenSummary", "is false but the consulted event starts %s", RuleConsultationSummary)
	}
	for i, s := range p.Starts {
		if s.Event == EventConsulted && len(s.When) > 0 {
			v.add(fmt.Sprintf("starts[%d].when", i), "the consulted event takes no conditions")
		}
		if s.Event != EventConsulted && s.Rule == RuleConsultationSummary {
			v.add(fmt.Sprintf("starts[%d].event", i), "%s is started by the consulted event only", RuleConsultationSummary)
		}
	}
	if l := c.Line; l != nil {
		la := at + ".line"
		v.source(la, l.Source)
		if len(l.Days) == 0 {
			v.add(la+".days", "is required (lower-case weekday names)")
		}
		for i, d := range l.Days {
			if _, ok := weekdayIndex[d]; !ok {
				v.add(fmt.Sprintf("%s.days[%d]", la, i), "%q is not a weekday (monday … sunday, lower case)", d)
			}
		}
		from, ok1 := v.timeOfDay(la+".from", l.From)
		to, ok2 := v.timeOfDay(la+".to", l.To)
		if ok1 && ok2 && to <= from {
			v.add(la+".to", "must be after from")
		}
	}
}

func (p *Policy) consultationsValue() string {
	c := p.Consultations
	if !c.Offered {
		return "none"
	}
	var parts []string
	if c.RecordAgainstChild {
		parts = append(parts, "recorded against the child when given")
	} else {
		parts = append(parts, "a log of calls only, never on the child's record")
	}
	if c.BasicChecks {
		parts = append(parts, "basic checks with the child's details")
	}
	if c.WrittenSummary {
		parts = append(parts, "written summary to the consultee ("+RuleConsultationSummary+")")
	}
	if c.ProfessionalsOnly {
		parts = append(parts, "for professionals only")
	} else {
		parts = append(parts, "professionals and members of the public (the worker says which)")
	}
	if c.AskDSLConsulted {
		parts = append(parts, "asks whether the DSL was consulted")
	}
	if c.ConvertWhenAtRisk {
		parts = append(parts, "converted into a referral when the child is at risk")
	}
	return strings.Join(parts, "; ")
}
