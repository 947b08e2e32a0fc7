package policy

import (
	"fmt"
	"maps"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/domain"
)

// Weekdays are the keys of openingHours.days and the values of meeting.days, Monday first.
var Weekdays = []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

// weekdayIndex maps a weekday name to time.Weekday.
var weekdayIndex = map[string]time.Weekday{"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday,
	"wednesday": time.Wednesday, "thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday}

// BankHolidaysEnglandAndWales is the only bank-holiday region the clock supports.
const BankHolidaysEnglandAndWales = "england-and-wales"

// RequiredRules must be present in every policy (the flow computes them for every authority);
// checks.<rating> is also required for each rating.
var RequiredRules = []string{RuleScreeningCSC, RuleLADO, RuleEncompass, RuleOOHReview, RuleRerateRaisedRisk, RuleEscalationRepeat}

// citedFields are the top-level values without a Source of their own; each needs a citations entry.
var citedFields = []string{"timezone", "bankHolidays", "referencePrefix", "ratings", "mandatoryAgencies", "agencies"}

// optionalCitations may be cited when present.
var optionalCitations = []string{"extraClosures", "blockedSenders"}

var (
	prefixPattern = regexp.MustCompile(`^[A-Z]{2,5}$`)
	domainPattern = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$`)
	phonePattern  = regexp.MustCompile(`^\+?[0-9][0-9 ]{6,18}[0-9]$`)
)

// Validate checks the whole policy and returns a domain invalid error naming every bad field by its YAML
// path (openingHours.days.monday.close, deadlines.checks.red.amount, outcomes[2].code …), or nil.
func (p *Policy) Validate() error {
	var pr domain.Problems
	v := validator{&pr}

	if !authorityPattern.MatchString(string(p.Authority)) {
		pr.Add("authority", "must be the lower-case authority id (the file's base name)")
	}
	v.required("name", p.Name)
	v.required("seed", p.Seed)
	if p.Timezone == "" {
		pr.Add("timezone", "is required (Europe/London)")
	} else if _, err := clock.LoadLocation(p.Timezone); err != nil {
		pr.Add("timezone", "%q is not an IANA time zone", p.Timezone)
	}
	if p.BankHolidays != BankHolidaysEnglandAndWales {
		pr.Add("bankHolidays", "must be %q", BankHolidaysEnglandAndWales)
	}
	for i, d := range p.ExtraClosures {
		v.date(fmt.Sprintf("extraClosures[%d]", i), d)
	}
	if !prefixPattern.MatchString(p.ReferencePrefix) {
		pr.Add("referencePrefix", "must be 2-5 capital letters")
	}
	for i, b := range p.BlockedSenders {
		if strings.TrimSpace(b) == "" {
			pr.Add(fmt.Sprintf("blockedSenders[%d]", i), "must not be empty")
		}
	}

	p.validateOpening(v)
	p.validateSchools(v)
	p.validateRatings(v)
	p.validateDeadlines(v)
	p.validateStarts(v)
	p.validateDecisions(v)
	p.validateOutcomes(v)
	p.validateAgencies(v)
	p.validateConsent(v)
	p.validateFeedback(v)
	p.validateMeeting(v)
	p.validateConsultations(v)
	p.validateContacts(v)
	v.source("encompass", p.Encompass.Source)
	p.validateRetention(v)
	p.validateWorkflow(v)
	p.validateNamed(v)
	p.validateCitations(v)
	return pr.Err()
}

type validator struct{ p *domain.Problems }

func (v validator) add(field, format string, args ...any) { v.p.Add(field, format, args...) }

func (v validator) required(field, value string) {
	if strings.TrimSpace(value) == "" {
		v.add(field, "is required")
	}
}

// source checks a citation: a value either cites its seed section or is marked assumed with a reason.
func (v validator) source(at string, s Source) {
	switch {
	case s.Assumed && strings.TrimSpace(s.Reason) == "":
		v.add(join(at, "reason"), "is required when assumed is true")
	case !s.Assumed && strings.TrimSpace(s.Source) == "":
		v.add(join(at, "source"), "is required: cite the seed section, or set assumed: true with a reason")
	}
}

func (v validator) timeOfDay(field, s string) (clock.TimeOfDay, bool) {
	if s == "" {
		v.add(field, "is required (HH:MM)")
		return 0, false
	}
	t, err := clock.ParseTimeOfDay(s)
	if err != nil {
		v.add(field, "%q is not a time of day HH:MM", s)
		return 0, false
	}
	return t, true
}

func (v validator) date(field, s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		v.add(field, "%q is not a date YYYY-MM-DD", s)
		return time.Time{}, false
	}
	return t, true
}

func (v validator) email(field, s string) {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		v.add(field, "%q is not an email address", s)
	}
}

func (p *Policy) validateOpening(v validator) {
	at := "openingHours"
	v.source(at, p.OpeningHours.Source)
	if len(p.OpeningHours.Days) == 0 {
		v.add(at+".days", "is required: give all seven weekdays (closed: true for a closed day)")
		return
	}
	open := 0
	for name := range p.OpeningHours.Days {
		if _, ok := weekdayIndex[name]; !ok {
			v.add(at+".days."+name, "is not a weekday (monday … sunday, lower case)")
		}
	}
	for _, name := range Weekdays {
		d, ok := p.OpeningHours.Days[name]
		f := at + ".days." + name
		if !ok {
			v.add(f, "is missing: give every weekday (closed: true for a closed day)")
			continue
		}
		if d.Closed {
			if d.Open != "" || d.Close != "" {
				v.add(f, "is closed and must not give open or close")
			}
			continue
		}
		o, ok1 := v.timeOfDay(f+".open", d.Open)
		c, ok2 := v.timeOfDay(f+".close", d.Close)
		if ok1 && ok2 && c <= o {
			v.add(f+".close", "must be after open (%s)", d.Open)
		}
		open++
	}
	if open == 0 && len(p.OpeningHours.Days) == len(Weekdays) {
		v.add(at+".days", "must open on at least one day")
	}
}

func (p *Policy) validateSchools(v validator) {
	at := "schools"
	s := p.Schools
	v.source(at, s.Source)
	v.timeOfDay(at+".dayStart", s.DayStart)
	if len(s.Terms) == 0 {
		v.add(at+".terms", "is required: give the term dates (a default English calendar if the seed has none)")
	}
	var prevTo time.Time
	for i, t := range s.Terms {
		f := fmt.Sprintf("%s.terms[%d]", at, i)
		v.required(f+".name", t.Name)
		from, ok1 := v.date(f+".from", t.From)
		to, ok2 := v.date(f+".to", t.To)
		if !ok1 || !ok2 {
			continue
		}
		if to.Before(from) {
			v.add(f+".to", "is before from (%s)", t.From)
		}
		if !prevTo.IsZero() && !from.After(prevTo) {
			v.add(f+".from", "must be after the previous term ends (terms in date order, not overlapping)")
		}
		prevTo = to
	}
	for i, d := range s.Closures {
		v.date(fmt.Sprintf("%s.closures[%d]", at, i), d)
	}
	if len(s.AllowedDomains) == 0 {
		v.add(at+".allowedDomains", "is required: the school email domains Encompass notices may go to")
	}
	for i, d := range s.AllowedDomains {
		if !domainPattern.MatchString(d) {
			v.add(fmt.Sprintf("%s.allowedDomains[%d]", at, i), "%q is not a lower-case domain name", d)
		}
	}
}

func (p *Policy) validateRatings(v validator) {
	if len(p.Ratings) == 0 {
		v.add("ratings", "is required (red, amber, green; Barnet adds blue)")
		return
	}
	seen := map[domain.Rating]bool{}
	for i, r := range p.Ratings {
		if !r.Valid() {
			v.add(fmt.Sprintf("ratings[%d]", i), "%q is not a rating (red, amber, green, blue)", r)
		}
		if seen[r] {
			v.add(fmt.Sprintf("ratings[%d]", i), "%q appears twice", r)
		}
		seen[r] = true
	}
	for _, r := range []domain.Rating{domain.RatingRed, domain.RatingAmber, domain.RatingGreen} {
		if !seen[r] {
			v.add("ratings", "must include %s", r)
		}
	}
}

func (p *Policy) validateDeadlines(v validator) {
	for id, d := range p.Deadlines {
		f := "deadlines." + id
		if !slices.Contains(RuleIDs, id) {
			v.add(f, "is not a known rule id (%s)", strings.Join(RuleIDs, ", "))
			continue
		}
		if !d.Unit.Valid() {
			v.add(f+".unit", "%q is not a unit (%s)", d.Unit, unitList())
		} else if d.Unit.NeedsAmount() && d.Amount <= 0 {
			v.add(f+".amount", "must be a positive number of %s", d.Unit)
		} else if !d.Unit.NeedsAmount() && d.Amount != 0 {
			v.add(f+".amount", "must be left out for unit %s", d.Unit)
		}
		v.source(f, d.Source)
		if r, ok := strings.CutPrefix(id, "checks."); ok && !slices.Contains(p.Ratings, domain.Rating(r)) {
			v.add(f, "rates %s, which is not in ratings", r)
		}
	}
	for _, id := range RequiredRules {
		if _, ok := p.Deadlines[id]; !ok {
			v.add("deadlines."+id, "is required")
		}
	}
	for _, r := range p.Ratings {
		if id := ChecksRule(r); r.Valid() {
			if _, ok := p.Deadlines[id]; !ok {
				v.add("deadlines."+id, "is required: ratings include %s", r)
			}
		}
	}
}

func unitList() string {
	s := make([]string, len(clock.Units))
	for i, u := range clock.Units {
		s[i] = string(u)
	}
	return strings.Join(s, ", ")
}

func (p *Policy) validateOutcomes(v validator) {
	if len(p.Outcomes) == 0 {
		v.add("outcomes", "is required: the authority's own outcome terms")
	}
	seen := map[string]bool{}
	for i, o := range p.Outcomes {
		f := fmt.Sprintf("outcomes[%d]", i)
		v.required(f+".term", o.Term)
		key := normTerm(o.Term)
		if key != "" && seen[key] {
			v.add(f+".term", "%q appears twice", o.Term)
		}
		seen[key] = true
		if !o.Code.Valid() {
			v.add(f+".code", "%q is not an outcome code", o.Code)
		}
		v.source(f, o.Source)
		if eh := o.EarlyHelp; eh != nil {
			v.required(f+".earlyHelp.organisation", eh.Organisation)
			v.source(f+".earlyHelp", eh.Source)
		}
	}
}

// EarlyHelpOutcome is the early help meaning of an outcome code in this policy (Annex A List 2), or nil when
// the code does not start early help here.
func (p *Policy) EarlyHelpOutcome(code domain.OutcomeCode) *EarlyHelp {
	for _, o := range p.Outcomes {
		if o.Code == code && o.EarlyHelp != nil {
			return o.EarlyHelp
		}
	}
	return nil
}

func (p *Policy) validateAgencies(v validator) {
	for i, a := range p.Agencies {
		if !a.Valid() {
			v.add(fmt.Sprintf("agencies[%d]", i), "%q is not an agency", a)
		}
	}
	if len(p.MandatoryAgencies) == 0 {
		v.add("mandatoryAgencies", "is required")
	}
	for i, a := range p.MandatoryAgencies {
		f := fmt.Sprintf("mandatoryAgencies[%d]", i)
		switch {
		case !a.Valid():
			v.add(f, "%q is not an agency", a)
		case !slices.Contains(p.Agencies, a):
			v.add(f, "%q is not listed in agencies", a)
		}
	}
}

func (p *Policy) validateConsent(v validator) {
	at := "consent"
	c := p.Consent
	v.source(at, c.Source)
	for i, o := range c.RequiredFor {
		if !o.Valid() {
			v.add(fmt.Sprintf("%s.requiredFor[%d]", at, i), "%q is not an outcome code", o)
		}
	}
	if len(c.OverrideBases) == 0 {
		v.add(at+".overrideBases", "is required: the legal bases for proceeding without consent")
	}
	for i, b := range c.OverrideBases {
		if !b.Valid() {
			v.add(fmt.Sprintf("%s.overrideBases[%d]", at, i), "%q is not a legal basis (s47, s17-s10, caldicott)", b)
		}
	}
	for code, list := range c.Criteria {
		f := at + ".criteria." + string(code)
		if !code.Valid() {
			v.add(f, "is not an outcome code")
		}
		if len(list) == 0 {
			v.add(f, "must list at least one criterion")
		}
		for i, s := range list {
			if strings.TrimSpace(s) == "" {
				v.add(fmt.Sprintf("%s[%d]", f, i), "must not be empty")
			}
		}
	}
}

func (p *Policy) validateFeedback(v validator) {
	v.source("feedback", p.Feedback.Source)
	if r := p.Feedback.Rule; r != "" {
		if _, ok := p.Deadlines[r]; !ok {
			v.add("feedback.rule", "%q is not a rule in deadlines", r)
		}
	}
}

func (p *Policy) validateMeeting(v validator) {
	at := "meeting"
	m := p.Meeting
	v.source(at, m.Source)
	for i, d := range m.Days {
		if _, ok := weekdayIndex[d]; !ok {
			v.add(fmt.Sprintf("%s.days[%d]", at, i), "%q is not a weekday (monday … sunday, lower case)", d)
		}
	}
	if len(m.Days) > 0 {
		v.timeOfDay(at+".at", m.At)
	} else if m.At != "" {
		v.add(at+".at", "must be left out when there are no meeting days")
	}
}

func (p *Policy) validateContacts(v validator) {
	c := p.Contacts
	type entry struct {
		field      string
		contact    Contact
		needsEmail bool
		needsPhone bool
	}
	entries := []entry{
		{"contacts.mashInbox", c.MASHInbox, true, false},
		{"contacts.edt", c.EDT, false, true},
		{"contacts.encompassLead", c.EncompassLead, true, false},
		{"contacts.lado", c.LADO, true, false},
		{"contacts.channel", c.Channel, true, false},
		{"contacts.serviceManager", c.ServiceManager, true, false},
		{"contacts.policeMailbox", c.PoliceMailbox, true, false},
	}
	for i, o := range c.Other {
		entries = append(entries, entry{fmt.Sprintf("contacts.other[%d]", i), o, false, false})
	}
	for _, a := range slices.Sorted(maps.Keys(c.AgencyDesks)) {
		d, f := c.AgencyDesks[a], "contacts.agencyDesks."+string(a)
		switch {
		case !a.Valid():
			v.add(f, "%q is not an agency", a)
		case !slices.Contains(p.Agencies, a):
			v.add(f, "%q is not listed in agencies", a)
		}
		if d.SecureDomain != "" && !domainPattern.MatchString(d.SecureDomain) {
			v.add(f+".secureDomain", "%q is not a lower-case domain name", d.SecureDomain)
		}
		if host, ok := domain.EmailDomain(d.Email); ok && d.SecureDomain != "" && host != d.SecureDomain && !strings.HasSuffix(host, "."+d.SecureDomain) {
			v.add(f+".email", "is not at the desk's secureDomain %s", d.SecureDomain)
		}
		entries = append(entries, entry{f, d.Contact, false, false})
	}
	for _, e := range entries {
		v.required(e.field+".name", e.contact.Name)
		switch {
		case e.contact.Email != "":
			v.email(e.field+".email", e.contact.Email)
		case e.needsEmail:
			v.add(e.field+".email", "is required")
		}
		switch {
		case e.contact.Phone != "":
			if !phonePattern.MatchString(e.contact.Phone) {
				v.add(e.field+".phone", "%q is not a phone number", e.contact.Phone)
			}
		case e.needsPhone:
			v.add(e.field+".phone", "is required")
		}
		if e.contact.Email == "" && e.contact.Phone == "" && !e.needsEmail && !e.needsPhone {
			v.add(e.field, "needs an email or a phone")
		}
		p.validateContactSource(v, e.field, e.contact)
	}
}

// validateContactSource checks a contact's citation: the whole contact cites the seed or is assumed with a
// reason, never both at once (which value would the citation be for?); one value the seed does not give is
// marked by emailAssumed or phoneAssumed. A production policy refuses placeholder numbers and addresses.
func (p *Policy) validateContactSource(v validator, field string, c Contact) {
	v.source(field, c.Source)
	if c.Assumed && strings.TrimSpace(c.Source.Source) != "" {
		v.add(field+".source", "must be left out when assumed is true: cite the seed for the contact and give "+
			"emailAssumed or phoneAssumed for the one value the seed does not give")
	}
	for _, f := range []struct{ name, reason, value string }{{"emailAssumed", c.EmailAssumed, c.Email}, {"phoneAssumed", c.PhoneAssumed, c.Phone}} {
		switch {
		case f.reason == "":
		case c.Assumed:
			v.add(field+"."+f.name, "must be left out when the whole contact is assumed")
		case f.value == "":
			v.add(field+"."+f.name, "gives a reason for a value the contact does not have")
		}
	}
	if !p.Production {
		return
	}
	if c.Phone != "" && PlaceholderPhone(c.Phone) {
		v.add(field+".phone", "%q is an Ofcom drama-range number (reserved for fiction): a production policy needs the real number", c.Phone)
	}
	if c.Email != "" && PlaceholderDomain(c.Email) {
		v.add(field+".email", "%q is at a reserved example domain: a production policy needs the real address", c.Email)
	}
}

func (p *Policy) validateCitations(v validator) {
	for k, s := range p.Citations {
		if !slices.Contains(citedFields, k) && !slices.Contains(optionalCitations, k) {
			v.add("citations."+k, "is not a top-level value that takes a citation (%s)",
				strings.Join(append(slices.Clone(citedFields), optionalCitations...), ", "))
			continue
		}
		v.source("citations."+k, s)
	}
	for _, k := range citedFields {
		if _, ok := p.Citations[k]; !ok {
			v.add("citations."+k, "is required: cite where %s comes from (or mark it assumed with a reason)", k)
		}
	}
}

func normTerm(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

func (p *Policy) validateDecisions(v validator) {
	v.required("decisions.maker", p.Decisions.Maker)
	if len(p.Decisions.Escalation) == 0 {
		v.add("decisions.escalation", "is required: who settles a disagreement about a decision")
	}
	for i, r := range p.Decisions.Escalation {
		v.required(fmt.Sprintf("decisions.escalation[%d]", i), r)
	}
	v.source("decisions", p.Decisions.Source)
}
