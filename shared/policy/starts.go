package policy

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/domain"
)

// Event is something that happens to a contact: the lifecycle's transitions (shared/lifecycle). A policy's
// starts say which events start which deadline rules, under what conditions.
type Event string

const (
	EventReceived  Event = "received"  // intake wrote the contact
	EventFlagged   Event = "flagged"   // a worker set a flag (allegation, radicalisation) after intake
	EventRouted    Event = "routed"    // out-of-hours routing: MASH now, OOH queue or EDT now
	EventScreened  Event = "screened"  // screening done: the contact waits for a manager's rating
	EventRated     Event = "rated"     // a manager rated (or re-rated) the contact
	EventDecided   Event = "decided"   // a manager recorded the outcome
	EventEscalated Event = "escalated" // an overdue item was escalated: the next escalation's clock
	// EventRiskRaised: a partner's check answer says the risk is higher than rated (Hackney §5).
	EventRiskRaised Event = "check.risk-raised"
)

// Events lists every event.
var Events = []Event{EventReceived, EventFlagged, EventRouted, EventScreened, EventRated, EventDecided, EventEscalated, EventRiskRaised,
	EventConsulted}

// Valid reports whether e is a known event.
func (e Event) Valid() bool { return slices.Contains(Events, e) }

// Start says that an event starts a deadline rule when every condition holds. The clock runs from the
// event's instant (a screening after an out-of-hours wait: from the opening; in hours: from receipt).
type Start struct {
	Event Event  `json:"event" yaml:"event"`
	Rule  string `json:"rule" yaml:"rule"`
	// When lists conditions, all of which must hold (see Conditions); empty: always.
	When   []string `json:"when,omitempty" yaml:"when,omitempty"`
	Source `yaml:",inline"`
}

// Conditions a start may name. rating:<r>, outcome:<code>, channel:<channel> and flag:<name> take a value;
// the others stand alone. A leading "!" negates a condition ("!flag:informationRequest").
const (
	CondClosed        = "closed"         // routed while the MASH is closed
	CondImmediateHarm = "immediate-harm" // the contact says a child is at immediate risk
	CondEncompass     = "encompass"      // a PPN this policy shares with the school (encompass.allPPNs or domestic abuse)
	CondFeedback      = "feedback"       // the referrer is to be told the outcome (not withheld, not a PPN)
	CondS47           = "s47"            // a worker found the section 47 threshold met
	// CondYoungHomeless: the joint housing protocol applies (youngHomeless: flagged homeless, aged 16 or 17 at
	// the contact's date; Portsmouth §4.12).
	CondYoungHomeless = "young-homeless"
)

var bareConditions = []string{CondClosed, CondImmediateHarm, CondEncompass, CondFeedback, CondS47, CondYoungHomeless}

// Flag names a condition flag:<name> may test (domain.Flags, by JSON name).
var flagNames = []string{"ppn", "domesticAbuse", "allegationAgainstProfessional", "radicalisation",
	"informationRequest", "earlyHelp", "awaitingWrittenForm", "harmNotNamed", "homeless"}

// checkCondition names what is wrong with a condition, "" when it is one this package knows.
func checkCondition(c string) string {
	c = strings.TrimPrefix(c, "!")
	if slices.Contains(bareConditions, c) {
		return ""
	}
	kind, val, ok := strings.Cut(c, ":")
	if !ok {
		return fmt.Sprintf("%q is not a condition (%s, rating:<r>, outcome:<code>, channel:<c>, flag:<name>)", c, strings.Join(bareConditions, ", "))
	}
	switch kind {
	case "rating":
		if !domain.Rating(val).Valid() {
			return fmt.Sprintf("%q: %q is not a rating", c, val)
		}
	case "outcome":
		if !domain.OutcomeCode(val).Valid() {
			return fmt.Sprintf("%q: %q is not an outcome code", c, val)
		}
	case "channel":
		if !domain.Channel(val).Valid() {
			return fmt.Sprintf("%q: %q is not a channel", c, val)
		}
	case "flag":
		if !slices.Contains(flagNames, val) {
			return fmt.Sprintf("%q: flag must be one of %s", c, strings.Join(flagNames, ", "))
		}
	default:
		return fmt.Sprintf("%q is not a condition", c)
	}
	return ""
}

// Holds reports whether a condition holds for a contact as it is now.
func (p *Policy) Holds(cond string, c *domain.Contact) bool {
	if neg, ok := strings.CutPrefix(cond, "!"); ok {
		return !p.Holds(neg, c)
	}
	switch cond {
	case CondClosed:
		return c.Route == domain.RouteOOHQueue || c.Route == domain.RouteEDTNow
	case CondImmediateHarm:
		return c.ImmediateHarm
	case CondEncompass:
		return p.EncompassApplies(c)
	case CondFeedback:
		return p.FeedbackDue(c)
	case CondS47:
		return c.S47
	case CondYoungHomeless:
		return p.YoungHomelessApplies(c)
	}
	kind, val, _ := strings.Cut(cond, ":")
	switch kind {
	case "rating":
		return c.Rating != nil && string(c.Rating.Value) == val
	case "outcome":
		return c.Outcome != nil && string(c.Outcome.Code) == val
	case "channel":
		return string(c.Channel) == val
	case "flag":
		f := c.Flags
		return map[string]bool{"ppn": f.PPN, "domesticAbuse": f.DomesticAbuse,
			"allegationAgainstProfessional": f.AllegationAgainstProfessional, "radicalisation": f.Radicalisation,
			"informationRequest": f.InformationRequest, "earlyHelp": f.EarlyHelp,
			"awaitingWrittenForm": f.AwaitingWrittenForm, "harmNotNamed": f.HarmNotNamed, "homeless": f.Homeless}[val]
	}
	return false
}

// EncompassApplies reports whether a contact is a police notification this authority shares with the
// child's school under Operation Encompass: every PPN (Portsmouth §4.9) or the domestic abuse ones.
func (p *Policy) EncompassApplies(c *domain.Contact) bool {
	return c.Flags.PPN && (p.Encompass.AllPPNs || c.Flags.DomesticAbuse)
}

// FeedbackDue reports whether the referrer is told the outcome: the policy requires it, an outcome exists,
// nobody recorded a reason to withhold it (Hackney §5), and the contact is not a police notification (the
// police are not a referrer awaiting an outcome) nor returned for consent (that message was the answer).
func (p *Policy) FeedbackDue(c *domain.Contact) bool {
	return p.Feedback.Required && c.Outcome != nil && c.Outcome.FeedbackWithheldReason == "" &&
		c.Channel != domain.ChannelPPN && c.Status != domain.StatusReturnedForConsent
}

// StartedBy returns the rules an event starts for a contact as it is now (after the event's change), in the
// policy's order, each once.
func (p *Policy) StartedBy(e Event, c *domain.Contact) []string {
	var rules []string
	for _, s := range p.Starts {
		if s.Event != e || slices.Contains(rules, s.Rule) {
			continue
		}
		ok := true
		for _, cond := range s.When {
			ok = ok && p.Holds(cond, c)
		}
		if ok {
			rules = append(rules, s.Rule)
		}
	}
	return rules
}

// Due is when a rule's deadline falls for a clock started at start, by the authority's calendar. A rule the
// policy does not have is invalid, naming it.
func (p *Policy) Due(rule string, start time.Time) (time.Time, error) {
	r, ok := p.Deadline(rule)
	if !ok {
		return time.Time{}, &domain.Error{Code: domain.CodeInvalid, Message: "policy " + string(p.Authority),
			Fields: []domain.FieldError{{Field: "deadlines." + rule, Message: "is not in the policy"}}}
	}
	cal, err := p.Calendar()
	if err != nil {
		return time.Time{}, err
	}
	due, err := cal.Due(r, start)
	if err != nil {
		return time.Time{}, err
	}
	return due.UTC(), nil
}

func (p *Policy) validateStarts(v validator) {
	started := map[string]bool{}
	for i, s := range p.Starts {
		f := fmt.Sprintf("starts[%d]", i)
		if !s.Event.Valid() {
			ev := make([]string, len(Events))
			for j, e := range Events {
				ev[j] = string(e)
			}
			v.add(f+".event", "%q is not an event (%s)", s.Event, strings.Join(ev, ", "))
		}
		if _, ok := p.Deadlines[s.Rule]; !ok {
			v.add(f+".rule", "%q is not one of this policy's deadlines", s.Rule)
		}
		for j, c := range s.When {
			if msg := checkCondition(c); msg != "" {
				v.add(fmt.Sprintf("%s.when[%d]", f, j), "%s", msg)
			}
		}
		v.source(f, s.Source)
		started[s.Rule] = true
	}
	for id := range p.Deadlines {
		if !started[id] && slices.Contains(RuleIDs, id) {
			v.add("deadlines."+id, "no event starts it: add a starts entry naming it")
		}
	}
}
