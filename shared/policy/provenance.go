package policy

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
)

// Provenance is one value of a policy and where it comes from: the seed section it cites, or the reason it
// was assumed where the seed is silent. Field is the value's YAML path.
type Provenance struct {
	Field   string `json:"field"`
	Value   string `json:"value"`
	Source  string `json:"source,omitempty"`
	Assumed bool   `json:"assumed"`
	Reason  string `json:"reason,omitempty"`
}

// Provenance lists every cited value of the policy in file order: top-level citations, opening hours,
// schools, deadlines, outcomes, consent, feedback, meeting, each contact's email and phone, Encompass.
// `mash policy check` prints the assumed ones; docs/authorities/<authority>.md is generated from it.
func (p *Policy) Provenance() []Provenance {
	var out []Provenance
	add := func(field, value string, s Source) {
		out = append(out, Provenance{Field: field, Value: value, Source: s.Source, Assumed: s.Assumed, Reason: s.Reason})
	}
	cited := append(slices.Clone(citedFields), optionalCitations...)
	for _, k := range cited {
		if s, ok := p.Citations[k]; ok {
			add(k, p.citedValue(k), s)
		}
	}
	add("openingHours", p.openingValue(), p.OpeningHours.Source)
	add("schools", p.schoolsValue(), p.Schools.Source)
	ids := make([]string, 0, len(p.Deadlines))
	for id := range p.Deadlines {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		return ruleOrder(ids[i]) < ruleOrder(ids[j]) || ruleOrder(ids[i]) == ruleOrder(ids[j]) && ids[i] < ids[j]
	})
	for _, id := range ids {
		d := p.Deadlines[id]
		add("deadlines."+id, d.Rule.String(), d.Source)
	}
	for i, o := range p.Outcomes {
		add(fmt.Sprintf("outcomes[%d]", i), fmt.Sprintf("%q → %s", o.Term, o.Code), o.Source)
		if eh := o.EarlyHelp; eh != nil {
			add(fmt.Sprintf("outcomes[%d].earlyHelp", i), "early help (Annex A List 2), assessment by "+eh.Organisation, eh.Source)
		}
	}
	add("consent", p.consentValue(), p.Consent.Source)
	add("feedback", fmt.Sprintf("required %v, in writing %v, reason when withheld %v", p.Feedback.Required, p.Feedback.InWriting, p.Feedback.ReasonRequiredWhenWithheld), p.Feedback.Source)
	meeting := "none"
	if len(p.Meeting.Days) > 0 {
		meeting = strings.Join(p.Meeting.Days, ", ") + " at " + p.Meeting.At
	}
	add("meeting", meeting, p.Meeting.Source)
	add("consultations", p.consultationsValue(), p.Consultations.Source)
	if l := p.Consultations.Line; l != nil {
		add("consultations.line", strings.Join(l.Days, ", ")+" "+l.From+"–"+l.To, l.Source)
	}
	for _, c := range p.namedContacts() {
		out = append(out, c.contact.provenance(c.field)...)
	}
	add("encompass", fmt.Sprintf("all PPNs %v", p.Encompass.AllPPNs), p.Encompass.Source)
	p.namedProvenance(add)
	for _, e := range p.Retention.periods() {
		add(e.field, e.p.String(), e.p.Source)
	}
	add("workflow.restartLimit", fmt.Sprintf("a stuck contact's workflow started again at most %d times, then given to a person", p.Workflow.RestartLimit.Max),
		p.Workflow.RestartLimit.Source)
	return out
}

// Assumptions lists the values the seed does not give: what a council must confirm or replace before
// go-live.
func (p *Policy) Assumptions() []Provenance {
	var out []Provenance
	for _, v := range p.Provenance() {
		if v.Assumed {
			out = append(out, v)
		}
	}
	return out
}

type namedContact struct {
	field   string
	contact Contact
}

func (p *Policy) namedContacts() []namedContact {
	c := p.Contacts
	out := []namedContact{{"contacts.mashInbox", c.MASHInbox}, {"contacts.edt", c.EDT},
		{"contacts.encompassLead", c.EncompassLead}, {"contacts.lado", c.LADO}, {"contacts.channel", c.Channel},
		{"contacts.serviceManager", c.ServiceManager}, {"contacts.policeMailbox", c.PoliceMailbox}}
	for i, o := range c.Other {
		out = append(out, namedContact{fmt.Sprintf("contacts.other[%d]", i), o})
	}
	for _, a := range slices.Sorted(maps.Keys(c.AgencyDesks)) {
		out = append(out, namedContact{"contacts.agencyDesks." + string(a), c.AgencyDesks[a].Contact})
	}
	return out
}

// provenance gives one row per value of a contact (its email, its phone), each with its own citation.
func (c Contact) provenance(field string) []Provenance {
	var out []Provenance
	row := func(name, value, assumedReason string) {
		pr := Provenance{Field: field + "." + name, Value: c.Name + ": " + value, Source: c.Source.Source, Assumed: c.Assumed, Reason: c.Reason}
		if assumedReason != "" {
			pr.Source, pr.Assumed, pr.Reason = "", true, assumedReason
		}
		out = append(out, pr)
	}
	if c.Email != "" {
		row("email", c.Email, c.EmailAssumed)
	}
	if c.Phone != "" {
		row("phone", c.Phone, c.PhoneAssumed)
	}
	return out
}

func ruleOrder(id string) int {
	if i := slices.Index(RuleIDs, id); i >= 0 {
		return i
	}
	return len(RuleIDs)
}

func (p *Policy) citedValue(k string) string {
	join := func(xs []string) string { return strings.Join(xs, ", ") }
	switch k {
	case "timezone":
		return p.Timezone
	case "bankHolidays":
		return p.BankHolidays
	case "referencePrefix":
		return p.ReferencePrefix
	case "ratings":
		s := make([]string, len(p.Ratings))
		for i, r := range p.Ratings {
			s[i] = string(r)
		}
		return join(s)
	case "mandatoryAgencies":
		s := make([]string, len(p.MandatoryAgencies))
		for i, a := range p.MandatoryAgencies {
			s[i] = string(a)
		}
		return join(s)
	case "agencies":
		s := make([]string, len(p.Agencies))
		for i, a := range p.Agencies {
			s[i] = string(a)
		}
		return join(s)
	case "extraClosures":
		return join(p.ExtraClosures)
	case "blockedSenders":
		return join(p.BlockedSenders)
	}
	return ""
}

func (p *Policy) openingValue() string {
	var parts []string
	for _, d := range Weekdays {
		h, ok := p.OpeningHours.Days[d]
		switch {
		case !ok:
		case h.Closed:
			parts = append(parts, d+" closed")
		default:
			parts = append(parts, d+" "+h.Open+"-"+h.Close)
		}
	}
	return strings.Join(parts, ", ")
}

func (p *Policy) schoolsValue() string {
	s := p.Schools
	v := "day starts " + s.DayStart
	if n := len(s.Terms); n > 0 {
		v += fmt.Sprintf("; %d terms %s to %s", n, s.Terms[0].From, s.Terms[n-1].To)
	}
	return v + "; school email domains " + strings.Join(s.AllowedDomains, ", ")
}

func (p *Policy) consentValue() string {
	c := p.Consent
	bases := make([]string, len(c.OverrideBases))
	for i, b := range c.OverrideBases {
		bases[i] = string(b)
	}
	v := fmt.Sprintf("return without consent unless CP %v, public need not consent %v, override bases %s, override needs urgent risk %v, must inform family %v",
		c.RejectWithoutConsentUnlessCP, c.PublicNeedNotConsent, strings.Join(bases, "/"), c.OverrideRequiresUrgentRisk, c.MustInformFamily)
	if len(c.RequiredFor) > 0 {
		req := make([]string, len(c.RequiredFor))
		for i, o := range c.RequiredFor {
			req[i] = string(o)
		}
		v += ", consent required for " + strings.Join(req, "/")
	}
	return v
}

// ProvenanceMarkdown renders the per-authority table of docs/authorities/<authority>.md: every value,
// sourced or assumed, and what the council must confirm.
func (p *Policy) ProvenanceMarkdown() string {
	var b strings.Builder
	rows := p.Provenance()
	assumed := 0
	for _, r := range rows {
		if r.Assumed {
			assumed++
		}
	}
	fmt.Fprintf(&b, "# %s — policy values, sourced and assumed\n\n", p.Name)
	fmt.Fprintf(&b, "Generated from `infra/authorities/%s.yaml` (seed %s) by `go test ./shared/policy -run TestDocs -update`; "+
		"a test fails when this file is out of date. `mash policy check --authority %s` lists the assumed values.\n\n", p.Authority, p.Seed, p.Authority)
	fmt.Fprintf(&b, "%d values: %d cite the council's procedure (or the statute it applies), %d are assumed where the "+
		"procedure is silent. Before go-live the council confirms or replaces every assumed value, then marks the policy "+
		"`production: true` (placeholder phone numbers and example domains are then refused).\n\n", len(rows), len(rows)-assumed, assumed)
	b.WriteString("| field | value | sourced or assumed | source, or why assumed | the council must confirm |\n|---|---|---|---|---|\n")
	for _, r := range rows {
		kind, why, confirm := "sourced", r.Source, "that the procedure still says this"
		if r.Assumed {
			kind, why, confirm = "**assumed**", r.Reason, "**the value, or replace it**"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", r.Field, cell(r.Value), kind, cell(why), confirm)
	}
	return b.String()
}

func cell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.ReplaceAll(s, "|", "\\|")
}
