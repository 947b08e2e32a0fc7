package policy_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/infra/authorities"
	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/policy"
)

func load(t *testing.T, authority string) *policy.Policy {
	t.Helper()
	p, err := policy.Load(authority)
	if err != nil {
		t.Fatalf("Load(%q): %v", authority, err)
	}
	return p
}

func TestEmbedded_NamesAreTheFiveSeedAuthorities(t *testing.T) {
	got := authorities.Names()
	want := []string{"barnet", "bexley", "hackney", "northamptonshire", "portsmouth"}
	if !slices.Equal(got, want) {
		t.Fatalf("Names() = %v, want %v", got, want)
	}
}

func TestEmbedded_EveryFileLoadsAndValidates(t *testing.T) {
	all, err := policy.All()
	if err != nil {
		t.Fatalf("All: %v", err)
	}
	if len(all) != len(authorities.Names()) {
		t.Fatalf("All returned %d policies for %d files", len(all), len(authorities.Names()))
	}
	for _, p := range all {
		t.Run(string(p.Authority), func(t *testing.T) {
			if err := p.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if p.Timezone != "Europe/London" || p.BankHolidays != "england-and-wales" {
				t.Errorf("timezone %q bankHolidays %q", p.Timezone, p.BankHolidays)
			}
			for _, id := range policy.RequiredRules {
				if _, ok := p.Deadline(id); !ok {
					t.Errorf("no %s deadline", id)
				}
			}
			if len(p.ExtraClosures) != 0 {
				t.Errorf("extraClosures %v, want none by default", p.ExtraClosures)
			}
			if _, err := p.Calendar(); err != nil {
				t.Errorf("Calendar: %v", err)
			}
		})
	}
}

// Every value either cites its seed section or is marked assumed with a reason. Walks every Source in the
// struct independently of Validate, so a validator bug cannot hide an uncited value.
func TestEmbedded_EveryNonAssumedValueHasASource(t *testing.T) {
	for _, name := range authorities.Names() {
		p := load(t, name)
		n := 0
		walkSources(reflect.ValueOf(p).Elem(), string(p.Authority), func(at string, s policy.Source) {
			n++
			if s.Assumed && strings.TrimSpace(s.Reason) == "" {
				t.Errorf("%s: assumed without a reason", at)
			}
			if !s.Assumed && strings.TrimSpace(s.Source) == "" {
				t.Errorf("%s: neither a source nor assumed", at)
			}
		})
		// opening hours, schools, consent, feedback, meeting, encompass, 7 contacts, 6 citations, ≥ 3
		// deadlines, ≥ 1 outcome.
		if n < 23 {
			t.Errorf("%s: only %d cited values found; the walk is missing some", name, n)
		}
	}
}

func walkSources(v reflect.Value, at string, f func(string, policy.Source)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkSources(v.Elem(), at, f)
		}
	case reflect.Struct:
		if s, ok := v.Interface().(policy.Source); ok {
			f(at, s)
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				walkSources(v.Field(i), at+"."+v.Type().Field(i).Name, f)
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			walkSources(v.Index(i), at+"["+strconv.Itoa(i)+"]", f)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			walkSources(v.MapIndex(k), at+"."+k.String(), f)
		}
	}
}

// Deadlines pinned to the seeds. The test name carries the seed and section.
func TestSeeds_Deadlines(t *testing.T) {
	tests := []struct {
		name, authority, rule string
		unit                  clock.Unit
		amount                int
	}{
		{"Hackney_PartnerChecks_RedWithinFourHours_001s5", "hackney", policy.RuleChecksRed, clock.UnitHours, 4},
		{"Hackney_PartnerChecks_AmberWithin24Hours_001s5", "hackney", policy.RuleChecksAmber, clock.UnitHours, 24},
		{"Hackney_PartnerChecks_GreenWithin72Hours_001s5", "hackney", policy.RuleChecksGreen, clock.UnitHours, 72},
		{"Hackney_Screening_CSCWithin24Hours_001s4", "hackney", policy.RuleScreeningCSC, clock.UnitHours, 24},
		{"Hackney_Screening_EarlyHelpWithin72Hours_001s4", "hackney", policy.RuleScreeningEarlyHelp, clock.UnitHours, 72},
		{"Hackney_InfoRequest_Within10WorkingDays_001s4", "hackney", policy.RuleInfoRequest, clock.UnitWorkingDays, 10},
		{"Northamptonshire_PartnerChecks_RedWithinOneHour_002s7", "northamptonshire", policy.RuleChecksRed, clock.UnitHours, 1},
		{"Northamptonshire_Strategy_RedWithinOneHour_002s7", "northamptonshire", policy.RuleStrategyRed, clock.UnitHours, 1},
		{"Northamptonshire_PartnerChecks_AmberWithin24Hours_002s7", "northamptonshire", policy.RuleChecksAmber, clock.UnitHours, 24},
		{"Northamptonshire_PartnerChecks_GreenWithinFiveWorkingDays_002s7", "northamptonshire", policy.RuleChecksGreen, clock.UnitWorkingDays, 5},
		{"Northamptonshire_PCOReview_WithinThreeWorkingDays_002AppendixA", "northamptonshire", policy.RulePCOReview, clock.UnitWorkingDays, 3},
		{"Bexley_PartnerChecks_HighRiskWithinFourHours_003s13", "bexley", policy.RuleChecksRed, clock.UnitHours, 4},
		{"Bexley_PartnerChecks_AmberWithinOneWorkingDay_003s13", "bexley", policy.RuleChecksAmber, clock.UnitWorkingDays, 1},
		{"Bexley_PartnerChecks_GreenWithinOneWorkingDay_003s13", "bexley", policy.RuleChecksGreen, clock.UnitWorkingDays, 1},
		{"Bexley_DecisionFeedback_InWritingWithin48Hours_003s12", "bexley", policy.RuleDecisionFeedback, clock.UnitHours, 48},
		{"Bexley_Screening_CSCReferralWithin24Hours_003s10", "bexley", policy.RuleScreeningCSC, clock.UnitHours, 24},
		{"Portsmouth_ImmediateHarm_FormWithin24Hours_000s7_5", "portsmouth", policy.RuleImmediateHarmForm, clock.UnitHours, 24},
		{"Portsmouth_OutOfHours_ReviewedNextWorkingDay_000s8", "portsmouth", policy.RuleOOHReview, clock.UnitNextWorkingDayClose, 0},
	}
	for _, a := range authorities.Names() {
		tests = append(tests,
			struct {
				name, authority, rule string
				unit                  clock.Unit
				amount                int
			}{a + "_LADO_WithinOneWorkingDay", a, policy.RuleLADO, clock.UnitWorkingDays, 1},
			struct {
				name, authority, rule string
				unit                  clock.Unit
				amount                int
			}{a + "_Encompass_BeforeNextSchoolDayStart_DAA2021s49A", a, policy.RuleEncompass, clock.UnitNextSchoolDayStart, 0},
			struct {
				name, authority, rule string
				unit                  clock.Unit
				amount                int
			}{a + "_OutOfHours_ReviewByNextWorkingDayClose", a, policy.RuleOOHReview, clock.UnitNextWorkingDayClose, 0},
		)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, ok := load(t, tt.authority).Deadline(tt.rule)
			if !ok {
				t.Fatalf("%s has no %s deadline", tt.authority, tt.rule)
			}
			if want := (clock.Rule{Unit: tt.unit, Amount: tt.amount}); r != want {
				t.Fatalf("%s %s = %v, want %v", tt.authority, tt.rule, r, want)
			}
		})
	}
}

func TestHackney_PartnerChecks_RedWithinFourHours(t *testing.T) {
	r, ok := load(t, "hackney").ChecksDeadline(domain.RatingRed) // seed 001 §5
	if !ok || r != (clock.Rule{Unit: clock.UnitHours, Amount: 4}) {
		t.Fatalf("checks.red = %v, %v; want hours 4", r, ok)
	}
}

func TestNorthamptonshire_Consent_RejectsNonCPWithoutConsent(t *testing.T) {
	p := load(t, "northamptonshire") // seed 002 §6b
	if !p.Consent.RejectWithoutConsentUnlessCP {
		t.Fatal("rejectWithoutConsentUnlessCP is false; 002 §6b returns non-CP referrals without consent")
	}
	for _, a := range []string{"portsmouth", "hackney", "bexley", "barnet"} {
		if load(t, a).Consent.RejectWithoutConsentUnlessCP {
			t.Errorf("%s rejects without consent; only Northamptonshire's seed says so", a)
		}
	}
	if !p.Consent.PublicNeedNotConsent { // 002 §6: the public phone in; §6b is the professionals' form
		t.Error("publicNeedNotConsent false: a parent phoning the MASH would be turned away")
	}
	if !slices.Contains(p.Consent.OverrideBases, domain.LegalBasisS47) { // 002 §5
		t.Errorf("overrideBases %v lacks s47", p.Consent.OverrideBases)
	}
	if !p.Feedback.InWriting { // 002 §6b
		t.Error("feedback not in writing; 002 §6b sends the outcome in writing")
	}
}

func TestBarnet_OpeningHours_FridayClosesAt1700(t *testing.T) {
	cfg, err := load(t, "barnet").ClockConfig() // seed 004 "Operating hours"
	if err != nil {
		t.Fatal(err)
	}
	hm := func(s string) clock.TimeOfDay {
		v, err := clock.ParseTimeOfDay(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, d := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday} {
		if h := cfg.Opening[d]; h == nil || h.Open != hm("09:00") || h.Close != hm("17:15") {
			t.Errorf("%s = %+v, want 09:00-17:15", d, h)
		}
	}
	if h := cfg.Opening[time.Friday]; h == nil || h.Open != hm("09:00") || h.Close != hm("17:00") {
		t.Errorf("Friday = %+v, want 09:00-17:00", h)
	}
	if cfg.Opening[time.Saturday] != nil || cfg.Opening[time.Sunday] != nil {
		t.Error("open at the weekend")
	}
}

func TestSeeds_OpeningHours_NineToFiveWeekdays(t *testing.T) {
	// Hackney 001 §9, Northamptonshire 002 §6; Portsmouth (000 §8 table empty) and Bexley assumed.
	for _, a := range []string{"hackney", "northamptonshire", "portsmouth", "bexley"} {
		p := load(t, a)
		cfg, err := p.ClockConfig()
		if err != nil {
			t.Fatal(err)
		}
		for d := time.Sunday; d <= time.Saturday; d++ {
			h := cfg.Opening[d]
			weekend := d == time.Saturday || d == time.Sunday
			switch {
			case weekend && h != nil:
				t.Errorf("%s open on %s", a, d)
			case !weekend && (h == nil || h.Open.String() != "09:00" || h.Close.String() != "17:00"):
				t.Errorf("%s %s = %+v, want 09:00-17:00", a, d, h)
			}
		}
		if cfg.Location.String() != "Europe/London" || cfg.BankHolidays != "england-and-wales" {
			t.Errorf("%s location %v bank holidays %q", a, cfg.Location, cfg.BankHolidays)
		}
		wantAssumed := a == "portsmouth" || a == "bexley"
		if p.OpeningHours.Assumed != wantAssumed {
			t.Errorf("%s opening hours assumed = %v, want %v", a, p.OpeningHours.Assumed, wantAssumed)
		}
	}
}

func TestSeeds_Ratings_RAGExceptBarnetBRAG(t *testing.T) {
	for _, a := range authorities.Names() {
		p := load(t, a)
		want := a == "barnet" // 004 "What happens next?": BRAG
		if p.HasRating(domain.RatingBlue) != want {
			t.Errorf("%s blue = %v, want %v", a, !want, want)
		}
		for _, r := range p.Ratings {
			if _, ok := p.ChecksDeadline(r); !ok {
				t.Errorf("%s: no checks deadline for %s", a, r)
			}
		}
	}
	if r, ok := load(t, "barnet").ChecksDeadline(domain.RatingBlue); !ok || r.Unit == "" {
		t.Errorf("barnet checks.blue = %v %v", r, ok)
	}
}

func TestSeeds_MandatoryAgencies(t *testing.T) {
	core := []domain.Agency{domain.AgencyPolice, domain.AgencyHealth, domain.AgencyEducation}
	for _, a := range authorities.Names() { // Bexley 003 §15, Northamptonshire 002 §7, Barnet 004 core agencies
		p := load(t, a)
		for _, ag := range core {
			if !p.Mandatory(ag) {
				t.Errorf("%s: %s not mandatory", a, ag)
			}
		}
		if p.Mandatory(domain.AgencyHousing) {
			t.Errorf("%s: housing mandatory", a)
		}
	}
}

func TestBexley_Consent_FamilyWellbeingNeedsConsentAndACriterion(t *testing.T) {
	p := load(t, "bexley") // seed 003 §9, §18, §19
	if !p.ConsentRequired(domain.OutcomeFamilyWellbeing) {
		t.Error("family wellbeing does not require consent (003 §19)")
	}
	crit := p.Consent.Criteria[domain.OutcomeFamilyWellbeing]
	if len(crit) != 4 {
		t.Errorf("criteria %v, want the four of 003 §9", crit)
	}
	if !p.Consent.PublicNeedNotConsent {
		t.Error("publicNeedNotConsent false (003 §18)")
	}
	if p.Consent.RejectWithoutConsentUnlessCP {
		t.Error("Bexley rejects without consent; the seed asks the professional to discuss it (003 §19)")
	}
}

func TestHackney_Consent_OverrideOnlyForUrgentRisk(t *testing.T) {
	if !load(t, "hackney").Consent.OverrideRequiresUrgentRisk { // seed 001 §7
		t.Error("overrideRequiresUrgentRisk false")
	}
	if !load(t, "hackney").Feedback.ReasonRequiredWhenWithheld { // seed 001 §5
		t.Error("reasonRequiredWhenWithheld false")
	}
}

func TestBarnet_Consent_SharesUnderSection10(t *testing.T) {
	if p := load(t, "barnet"); !slices.Contains(p.Consent.OverrideBases, domain.LegalBasisS17S10) { // 004 "Data sharing"
		t.Errorf("overrideBases %v lacks s17-s10", p.Consent.OverrideBases)
	}
}

func TestBexley_Feedback_InWritingWithin48Hours(t *testing.T) {
	p := load(t, "bexley") // seed 003 §12
	if !p.Feedback.InWriting || p.Feedback.Rule != policy.RuleDecisionFeedback {
		t.Fatalf("feedback %+v", p.Feedback)
	}
}

func TestBexley_Meeting_TuesdayToFridayAt1100(t *testing.T) {
	m := load(t, "bexley").Meeting // seed 003 §7
	if !slices.Equal(m.Days, []string{"tuesday", "wednesday", "thursday", "friday"}) || m.At != "11:00" || m.Assumed {
		t.Fatalf("meeting %+v", m)
	}
	if h := load(t, "hackney").Meeting; len(h.Days) != 5 || !h.Assumed { // 001 §6: time assumed
		t.Fatalf("hackney meeting %+v", h)
	}
}

func TestPortsmouth_Encompass_SharesAllPPNs(t *testing.T) {
	for _, a := range authorities.Names() { // seed 000 §4.9: all relevant PPNs, not only domestic abuse
		if got := load(t, a).Encompass.AllPPNs; got != (a == "portsmouth") {
			t.Errorf("%s allPPNs = %v", a, got)
		}
	}
}

func TestSeeds_Contacts(t *testing.T) {
	tests := []struct{ authority, edt, inbox, prefix string }{
		{"portsmouth", "0300 555 1373", "mash@portsmouthcc.gov.uk", "POR"}, // 000 §8
		{"hackney", "0208 356 2710", "MASH@hackney.gov.uk", "HAC"},         // 001 §9
		{"northamptonshire", "01604 626938", "", "NOR"},                    // 002 §6
		{"barnet", "020 8359 2000", "", "BAR"},                             // 004 "Operating hours"
		{"bexley", "", "", "BEX"},
	}
	for _, tt := range tests {
		p := load(t, tt.authority)
		// The phone line is the seed's; an EDT mailbox (which no seed gives) may be added as an assumption, so
		// the entry may be assumed as long as it still cites the seed for the phone.
		if tt.edt != "" && (p.Contacts.EDT.Phone != tt.edt || p.Contacts.EDT.Source.Source == "") {
			t.Errorf("%s EDT %+v, want %s from the seed", tt.authority, p.Contacts.EDT, tt.edt)
		}
		if tt.edt == "" && !p.Contacts.EDT.Assumed {
			t.Errorf("%s EDT should be marked assumed", tt.authority)
		}
		if tt.inbox != "" && p.Contacts.MASHInbox.Email != tt.inbox {
			t.Errorf("%s inbox %q, want %q", tt.authority, p.Contacts.MASHInbox.Email, tt.inbox)
		}
		if p.ReferencePrefix != tt.prefix {
			t.Errorf("%s prefix %q, want %q", tt.authority, p.ReferencePrefix, tt.prefix)
		}
		if _, err := domain.FormatReference(p.ReferencePrefix, 2027, 123); err != nil {
			t.Errorf("%s prefix rejected by domain.FormatReference: %v", tt.authority, err)
		}
	}
}

func TestSeeds_Outcomes_EachAuthoritysOwnWords(t *testing.T) {
	tests := []struct {
		name, authority, term string
		code                  domain.OutcomeCode
	}{
		{"Portsmouth_Tier2_000s4_4", "portsmouth", "Early Help Tier 2 (green pathway)", domain.OutcomeEarlyHelpTier2},
		{"Portsmouth_Tier3_000s5_2", "portsmouth", "Early Help Tier 3 (green pathway)", domain.OutcomeEarlyHelpTier3},
		{"Portsmouth_S17Amber_000PotentialOutcomes", "portsmouth", "Section 17 statutory assessment (amber pathway)", domain.OutcomeS17},
		{"Portsmouth_S47Red_000PotentialOutcomes", "portsmouth", "Section 47 enquiry (red pathway)", domain.OutcomeS47},
		{"Hackney_NFA_001s4A", "hackney", "No further action", domain.OutcomeNFA},
		{"Hackney_ThreeMonthRule_001s4B", "hackney", "Re-referred to the previous Social Work Unit (open within the past 3 months)", domain.OutcomeThreeMonthRule},
		{"Northamptonshire_PartnershipSupport_002s2", "northamptonshire", "Partnership Support", domain.OutcomePartnershipSupport},
		{"Northamptonshire_ChildInNeed_002s2", "northamptonshire", "Child in Need", domain.OutcomeS17},
		{"Northamptonshire_ChildProtection_002s2", "northamptonshire", "Child Protection", domain.OutcomeS47},
		{"Bexley_FamilyWellbeing_003s9", "bexley", "Family Wellbeing service (intensive)", domain.OutcomeFamilyWellbeing},
		{"Bexley_ChildrenWithDisability_003s10", "bexley", "Children with Disability service", domain.OutcomeChildrenDisability},
		{"Bexley_ThreeMonthRule_003s11", "bexley", "Allocated to the previously involved Social Worker (three month rule)", domain.OutcomeThreeMonthRule},
		{"Barnet_DAT_004WhatHappensNext", "barnet", "Referral to the Duty Assessment Team (DAT) for a social work assessment", domain.OutcomeS17},
		{"Barnet_EarlyHelp_004WhatHappensNext", "barnet", "Referral to Early Help and Prevention services", domain.OutcomeEarlyHelp},
		{"Barnet_ForwardAllocated_004WhatHappensNext", "barnet", "Sent to the allocated social worker", domain.OutcomeForwardAllocated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := load(t, tt.authority)
			if c, ok := p.OutcomeCode(tt.term); !ok || c != tt.code {
				t.Errorf("OutcomeCode(%q) = %q %v, want %q", tt.term, c, ok, tt.code)
			}
			if c, ok := p.OutcomeCode("  " + strings.ToUpper(tt.term) + " "); !ok || c != tt.code {
				t.Errorf("OutcomeCode ignores case and spacing: got %q %v", c, ok)
			}
		})
	}
	for _, a := range authorities.Names() {
		p := load(t, a)
		for _, o := range p.Outcomes {
			if term, ok := p.OutcomeTerm(o.Code); !ok {
				t.Errorf("%s: OutcomeTerm(%s) missing", a, o.Code)
			} else if c, _ := p.OutcomeCode(term); c != o.Code {
				t.Errorf("%s: round trip %s → %q → %s", a, o.Code, term, c)
			}
		}
		for _, c := range []domain.OutcomeCode{domain.OutcomeForwardAllocated, domain.OutcomeLADO, domain.OutcomeS47} {
			if _, ok := p.OutcomeTerm(c); !ok {
				t.Errorf("%s has no term for %s", a, c)
			}
		}
		if _, ok := p.OutcomeCode("no such outcome"); ok {
			t.Errorf("%s: unknown term matched", a)
		}
	}
	if _, ok := load(t, "northamptonshire").OutcomeTerm(domain.OutcomeFamilyWellbeing); ok {
		t.Error("northamptonshire has a Family Wellbeing term; that is Bexley's service")
	}
}

func TestSchools_DefaultCalendar(t *testing.T) {
	for _, a := range authorities.Names() {
		p := load(t, a)
		cfg, err := p.ClockConfig()
		if err != nil {
			t.Fatal(err)
		}
		if cfg.SchoolDayStart.String() != "08:45" || !p.Schools.Assumed {
			t.Errorf("%s school day start %s assumed %v", a, cfg.SchoolDayStart, p.Schools.Assumed)
		}
		if len(cfg.Terms) != 18 { // 3 academic years × 6 half-terms
			t.Fatalf("%s: %d terms", a, len(cfg.Terms))
		}
		for _, year := range []string{"2025/26", "2026/27", "2027/28"} {
			n := 0
			for _, tm := range p.Schools.Terms {
				if strings.HasPrefix(tm.Name, year) {
					n++
				}
			}
			if n != 6 {
				t.Errorf("%s %s has %d terms", a, year, n)
			}
		}
		// October half-term 2026 is a holiday; the day before is term.
		if inTerm(cfg.Terms, "2026-10-28") || !inTerm(cfg.Terms, "2026-10-23") || inTerm(cfg.Terms, "2026-12-25") {
			t.Errorf("%s: half-term or Christmas inside a term", a)
		}
	}
}

func inTerm(terms []clock.DateRange, day string) bool {
	for _, r := range terms {
		if r.From <= day && day <= r.To {
			return true
		}
	}
	return false
}

func TestSchoolEmailAllowed(t *testing.T) {
	p := load(t, "hackney")
	for addr, want := range map[string]bool{
		"dsl@hackney.sch.uk":          true,
		"dsl@stmarys.hackney.sch.uk":  true,
		"DSL@StMarys.Hackney.Sch.UK":  true,
		"dsl@nothackney.sch.uk":       false,
		"dsl@hackney.sch.uk.evil.com": false,
		"dsl@gmail.com":               false,
		"hackney.sch.uk":              false,
		"dsl@":                        false,
		// Issue #13: only the part after the last "@" was looked at.
		"attacker@evil.example, dsl@x.hackney.sch.uk":        false,
		"attacker@evil.example,dsl@x.hackney.sch.uk":         false,
		"dsl@x.hackney.sch.uk\r\nBcc: attacker@evil.example": false,
		"attacker@evil.example\r\n@x.hackney.sch.uk":         false,
		"\"x@evil.example\" <dsl@x.hackney.sch.uk>":          true,
		"dsl@x.hackney.sch.uk <x@evil.example>":              false,
	} {
		if got := p.SchoolEmailAllowed(addr); got != want {
			t.Errorf("SchoolEmailAllowed(%q) = %v, want %v", addr, got, want)
		}
	}
}

func TestCalendar_BuiltOnce(t *testing.T) {
	p := load(t, "bexley")
	a, err := p.Calendar()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := p.Calendar()
	if a == nil || a != b {
		t.Fatalf("Calendar not cached: %p %p", a, b)
	}
	if loc := a.Location(); loc == nil || loc.String() != "Europe/London" {
		t.Errorf("calendar location %v", loc)
	}
}

func TestCalendar_ConcurrentFirstUse(t *testing.T) {
	p := load(t, "barnet")
	got := make(chan *clock.Calendar, 8)
	for range 8 {
		go func() {
			c, err := p.Calendar()
			if err != nil {
				t.Error(err)
			}
			got <- c
		}()
	}
	first := <-got
	for range 7 {
		if c := <-got; c != first {
			t.Fatal("two calendars built for one policy")
		}
	}
}

func TestLoad_UnknownAuthorityNamesTheField(t *testing.T) {
	for _, a := range []string{"atlantis", "../hackney", "Hackney", "", "hackney.yaml"} {
		_, err := policy.Load(a)
		var de *domain.Error
		if !errors.As(err, &de) || de.Code != domain.CodeInvalid {
			t.Fatalf("Load(%q) = %v, want invalid", a, err)
		}
		if !errors.Is(err, domain.ErrInvalid) || len(de.Fields) != 1 || de.Fields[0].Field != "authority" {
			t.Errorf("Load(%q) fields %+v", a, de.Fields)
		}
	}
}

func TestLoadFile_MissingFile(t *testing.T) {
	_, err := policy.LoadFile(filepath.Join("testdata", "nope.yaml"))
	if domain.ErrorCode(err) != domain.CodeInvalid {
		t.Fatalf("got %v", err)
	}
}

// Each bad file is rejected with the offending field named by its YAML path.
func TestLoadFile_BadFilesNameTheField(t *testing.T) {
	tests := []struct {
		file   string
		fields []string // every one must be among the reported fields
		msg    string   // a fragment of the message for the first field
	}{
		{"missing-field.yaml", []string{"referencePrefix"}, "2-5 capital letters"},
		{"missing-lado.yaml", []string{"deadlines.lado"}, "required"},
		{"bad-time.yaml", []string{"openingHours.days.monday.close"}, "HH:MM"},
		{"close-before-open.yaml", []string{"openingHours.days.friday.close"}, "after open"},
		{"unknown-unit.yaml", []string{"deadlines.checks.red.unit"}, "fortnights"},
		{"unknown-field.yaml", []string{"openingHours.days.monday.opens"}, "not a known field"},
		{"assumed-without-reason.yaml", []string{"meeting.reason"}, "assumed"},
		{"no-source.yaml", []string{"deadlines.checks.amber.source"}, "cite"},
		{"wrong-type.yaml", []string{"deadlines.checks.red.amount"}, "whole number"},
		{"unknown-rule.yaml", []string{"deadlines.checks.purple"}, "rule id"},
		{"missing-checks-rule.yaml", []string{"deadlines.checks.blue"}, "blue"},
		{"bad-agency.yaml", []string{"mandatoryAgencies[3]"}, "astrology"},
		{"bad-outcome-code.yaml", []string{"outcomes[2].code"}, "community-outreach"},
		{"bad-timezone.yaml", []string{"timezone"}, "Europe/Hackney"},
		{"no-early-help-organisation.yaml", []string{"outcomes[3].earlyHelp.organisation"}, "required"},
		{"bad-prefix.yaml", []string{"referencePrefix"}, "capital"},
		{"zero-restart-limit.yaml", []string{"workflow.restartLimit.max"}, "at least 1"},
		{"many-problems.yaml", []string{"timezone", "openingHours.days.tuesday.open", "deadlines.checks.green.amount", "outcomes[8].code"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p, err := policy.LoadFile(filepath.Join("testdata", tt.file))
			if err == nil {
				t.Fatalf("accepted: %+v", p.Authority)
			}
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != domain.CodeInvalid {
				t.Fatalf("error %v is not a domain invalid error", err)
			}
			got := map[string]string{}
			for _, f := range de.Fields {
				got[f.Field] = f.Message
			}
			for _, f := range tt.fields {
				if _, ok := got[f]; !ok {
					t.Errorf("field %s not reported; got %v", f, got)
				}
			}
			if tt.msg != "" && !strings.Contains(got[tt.fields[0]], tt.msg) {
				t.Errorf("message for %s = %q, want it to mention %q", tt.fields[0], got[tt.fields[0]], tt.msg)
			}
			if !strings.Contains(err.Error(), tt.fields[0]) || !strings.Contains(err.Error(), tt.file) {
				t.Errorf("Error() = %q does not name the field and file", err)
			}
			if len(tt.fields) == 1 && len(de.Fields) != 1 {
				t.Errorf("one defect, %d problems reported: %v", len(de.Fields), de.Fields)
			}
		})
	}
}

func TestParse_NotYAML(t *testing.T) {
	for name, data := range map[string]string{
		"syntax":    "authority: [hackney\n",
		"list":      "- a\n- b\n",
		"two docs":  "authority: a\n---\nauthority: b\n",
		"empty":     "",
		"duplicate": "authority: a\nauthority: b\n",
	} {
		if _, err := policy.Parse([]byte(data), name); domain.ErrorCode(err) != domain.CodeInvalid {
			t.Errorf("%s: got %v, want invalid", name, err)
		}
	}
}

// `mash policy --authority A` prints the policy as JSON; that output must itself be a valid policy file.
func TestJSON_RoundTripsThroughParse(t *testing.T) {
	for _, a := range authorities.Names() {
		p := load(t, a)
		data, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		q, err := policy.Parse(data, a+".json")
		if err != nil {
			t.Fatalf("%s: re-parse of JSON: %v", a, err)
		}
		if !reflect.DeepEqual(p.Deadlines, q.Deadlines) || !reflect.DeepEqual(p.Outcomes, q.Outcomes) ||
			!reflect.DeepEqual(p.Contacts, q.Contacts) || !reflect.DeepEqual(p.Schools, q.Schools) ||
			!reflect.DeepEqual(p.Consent, q.Consent) || !reflect.DeepEqual(p.OpeningHours, q.OpeningHours) {
			t.Errorf("%s: JSON round trip changed the policy", a)
		}
	}
}

func TestValidate_HandBuiltPolicyReportsEveryField(t *testing.T) {
	p := &policy.Policy{Ratings: []domain.Rating{"purple"}, Deadlines: map[string]policy.Deadline{
		policy.RuleChecksRed: {Rule: clock.Rule{Unit: clock.UnitHours}},
	}}
	err := p.Validate()
	var de *domain.Error
	if !errors.As(err, &de) {
		t.Fatalf("got %v", err)
	}
	got := map[string]bool{}
	for _, f := range de.Fields {
		got[f.Field] = true
	}
	for _, f := range []string{"authority", "timezone", "bankHolidays", "referencePrefix", "ratings[0]", "ratings",
		"deadlines.checks.red.amount", "deadlines.checks.red.source", "deadlines.lado", "deadlines.encompass",
		"deadlines.ooh-review", "openingHours.days", "schools.terms", "schools.dayStart", "outcomes",
		"mandatoryAgencies", "contacts.mashInbox.email", "contacts.edt.phone", "citations.ratings"} {
		if !got[f] {
			t.Errorf("%s not reported", f)
		}
	}
	if _, err := p.Calendar(); err == nil {
		t.Error("Calendar of an invalid policy succeeded")
	}
	if _, err := (&policy.Policy{Schools: policy.Schools{DayStart: "08:45"}}).ClockConfig(); err == nil {
		t.Error("ClockConfig without a timezone succeeded (time.LoadLocation(\"\") would silently mean UTC)")
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := policy.Load("hackney"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDeadlineLookup(b *testing.B) {
	p, err := policy.Load("barnet")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, ok := p.Deadline(policy.RuleChecksBlue); !ok {
			b.Fatal("missing")
		}
	}
}

// mash policy check refuses a deadline no event starts, and a start naming an unknown rule, event or
// condition, each by its YAML path.
func TestValidate_Starts_EveryDeadlineStartedAndEveryStartKnown(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(p *policy.Policy)
		field string
	}{
		{"deadline nothing starts", func(p *policy.Policy) {
			var keep []policy.Start
			for _, s := range p.Starts {
				if s.Rule != policy.RuleLADO {
					keep = append(keep, s)
				}
			}
			p.Starts = keep
		}, "deadlines.lado"},
		{"start naming an unknown rule", func(p *policy.Policy) {
			p.Starts = append(p.Starts, policy.Start{Event: policy.EventRated, Rule: "strategy.purple", Source: policy.Source{Source: "x"}})
		}, "starts[%d].rule"},
		{"start naming an unknown event", func(p *policy.Policy) {
			p.Starts = append(p.Starts, policy.Start{Event: "teatime", Rule: policy.RuleLADO, Source: policy.Source{Source: "x"}})
		}, "starts[%d].event"},
		{"start with an unknown condition", func(p *policy.Policy) {
			p.Starts = append(p.Starts, policy.Start{Event: policy.EventRated, Rule: policy.RuleLADO, When: []string{"rating:purple"}, Source: policy.Source{Source: "x"}})
		}, "starts[%d].when[0]"},
		{"start without a citation", func(p *policy.Policy) {
			p.Starts = append(p.Starts, policy.Start{Event: policy.EventRated, Rule: policy.RuleLADO})
		}, "starts[%d].source"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := policy.Load("hackney")
			if err != nil {
				t.Fatal(err)
			}
			n := len(p.Starts)
			tc.edit(p)
			field := tc.field
			if strings.Contains(field, "%d") {
				field = fmt.Sprintf(field, n)
			}
			err = p.Validate()
			var de *domain.Error
			if !errors.As(err, &de) {
				t.Fatalf("err %v, want invalid naming %s", err, field)
			}
			for _, f := range de.Fields {
				if f.Field == field {
					return
				}
			}
			t.Errorf("fields %v, want %s", de.Fields, field)
		})
	}
}
