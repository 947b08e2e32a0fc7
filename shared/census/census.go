// Package census holds the DfE children in need census code lists a contact is recorded in (source of
// referral, the child's gender and ethnicity), what intake derives from the contact with certainty, and the
// rule that a screening decision is not recorded while a code is still to be chosen (Required, which
// shared/lifecycle's Decide enforces). It depends on shared/domain only, so the lifecycle, the reports, the
// API, the console and `mash` all read the same lists.
package census

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/domain"
)

// The DfE children in need census code lists the statutory returns use (the census guide for local
// authorities, gov.uk "Children in need census … guide", data items source of referral, ethnicity and
// gender). They are national, not a council's choice, so they live here rather than in a policy file.
// Each list has an explicit "not known" code (source 10 Unknown, gender 0 Not known, ethnicity NOBT
// Information not yet obtained): a screener who cannot know still records a code, consciously.

// Code is one census code with its meaning.
type Code struct {
	Code, Meaning string
}

// SourceCodes are the census source-of-referral codes.
var SourceCodes = []Code{
	{"1A", "Individual: family member, relative or carer"},
	{"1B", "Individual: acquaintance (including neighbours and child minders)"},
	{"1C", "Individual: self"},
	{"1D", "Individual: other (including strangers, MPs)"},
	{"2A", "Schools"},
	{"2B", "Education services"},
	{"3A", "Health services: GP"},
	{"3B", "Health services: health visitor"},
	{"3C", "Health services: school nurse"},
	{"3D", "Health services: other primary health services"},
	{"3E", "Health services: A&E"},
	{"3F", "Health services: other (e.g. hospice)"},
	{"4", "Housing (LA housing or housing association)"},
	{"5A", "LA services: social care (e.g. adults' social care)"},
	{"5B", "LA services: other internal"},
	{"5C", "LA services: external (e.g. another local authority's adults' social care)"},
	{"5D", "Early help"},
	{"6", "Police"},
	{"7", "Other legal agency (including courts, probation, immigration, CAFCASS, prison)"},
	{"8", "Other"},
	{"9", "Anonymous"},
	{"10", "Unknown"},
}

// GenderCodes are the census gender codes.
var GenderCodes = []Code{{"0", "Not known"}, {"1", "Male"}, {"2", "Female"}, {"9", "Not specified (indeterminate)"}}

// EthnicityCodes are the DfE ethnicity codes (main categories).
var EthnicityCodes = []Code{
	{"WBRI", "White British"}, {"WIRI", "White Irish"}, {"WIRT", "Traveller of Irish heritage"},
	{"WOTH", "Any other White background"}, {"WROM", "Gypsy/Roma"},
	{"MWBC", "White and Black Caribbean"}, {"MWBA", "White and Black African"}, {"MWAS", "White and Asian"},
	{"MOTH", "Any other mixed background"},
	{"AIND", "Indian"}, {"APKN", "Pakistani"}, {"ABAN", "Bangladeshi"}, {"AOTH", "Any other Asian background"},
	{"BCRB", "Black Caribbean"}, {"BAFR", "Black African"}, {"BOTH", "Any other Black background"},
	{"CHNE", "Chinese"}, {"OOTH", "Any other ethnic group"},
	{"REFU", "Refused"}, {"NOBT", "Information not yet obtained"},
}

// Valid reports whether code is one of the list's.
func Valid(list []Code, code string) bool {
	for _, c := range list {
		if c.Code == code {
			return true
		}
	}
	return false
}

// sourceRules derive a source from the referrer's organisation or role, first match wins. Each is a pattern
// that, when it matches, leaves no doubt (a word boundary on each side).
var sourceRules = []struct {
	re   *regexp.Regexp
	code string
}{
	{regexp.MustCompile(`\b(police|constabulary|met police|metropolitan police|mash police|btp)\b`), "6"},
	{regexp.MustCompile(`\bschool nurse\b`), "3C"},
	{regexp.MustCompile(`\bhealth visitor\b`), "3B"},
	{regexp.MustCompile(`\b(a&e|a & e|emergency department|accident and emergency)\b`), "3E"},
	{regexp.MustCompile(`\b(gp|general practitioner|surgery|medical practice|medical centre|medical center)\b`), "3A"},
	{regexp.MustCompile(`\b(primary school|secondary school|school|academy|infant school|junior school|nursery school)\b`), "2A"},
	{regexp.MustCompile(`\b(probation|cafcass|youth court|family court|prison|immigration)\b`), "7"},
	{regexp.MustCompile(`\b(housing association|housing)\b`), "4"},
	{regexp.MustCompile(`\b(adult social care|adults social care|adults' social care)\b`), "5A"},
	{regexp.MustCompile(`\b(early help|family hub|children's centre|childrens centre)\b`), "5D"},
	{regexp.MustCompile(`\b(hospital|nhs trust|camhs|midwife|midwifery)\b`), "3F"},
}

var familyWords = regexp.MustCompile(`\b(mother|mum|father|dad|parent|step-?parent|grandmother|grandfather|grandparent|nan|aunt|uncle|sister|brother|sibling|carer|foster carer|relative|family)\b`)
var acquaintanceWords = regexp.MustCompile(`\b(neighbour|neighbor|friend|child ?minder|acquaintance)\b`)

// Source derives a contact's census source of referral from its channel and its referrer where that is
// certain: a police notification (PPN) is 6 Police; a referrer's organisation or role naming a school (2A),
// a GP practice (3A), a health visitor (3B), the police (6) and so on; a member of the public's stated
// relationship (family → 1A, acquaintance → 1B, self → 1C); an anonymous caller → 9. When nothing settles
// it the code is empty and certain false: it is asked of the screener (issue #16), never filled in as
// 10 Unknown behind their back.
func Source(c *domain.Contact) (code string, certain bool) {
	if c.Channel == domain.ChannelPPN || c.Flags.PPN {
		return "6", true
	}
	r := c.Referrer
	text := strings.ToLower(r.Organisation + " | " + r.Role)
	if r.Organisation != "" || r.Role != "" {
		for _, rule := range sourceRules {
			if rule.re.MatchString(text) {
				return rule.code, true
			}
		}
	}
	if !r.Professional {
		rel := strings.ToLower(strings.TrimSpace(r.Relationship))
		switch {
		case strings.Contains(strings.ToLower(r.Name), "anonymous") || (r.Name == "" && r.Email == "" && r.Phone == "" && c.Channel == domain.ChannelPhone):
			return "9", true
		case rel == "self" || rel == "the child" || rel == "myself":
			return "1C", true
		case familyWords.MatchString(rel):
			return "1A", true
		case acquaintanceWords.MatchString(rel):
			return "1B", true
		}
	}
	return "", false
}

var genderWords = map[string]string{
	"m": "1", "male": "1", "boy": "1", "man": "1",
	"f": "2", "female": "2", "girl": "2", "woman": "2",
	"0": "0", "1": "1", "2": "2", "9": "9",
	"unknown": "0", "not known": "0",
	"indeterminate": "9", "not specified": "9",
}

// Gender maps a contact's free-text gender to the census code where certain (a referrer's "not known" is
// 0 Not known); anything else, a blank included, is empty with certain false: the screener picks.
func Gender(s string) (code string, certain bool) {
	if g, ok := genderWords[strings.ToLower(strings.TrimSpace(s))]; ok {
		return g, true
	}
	return "", false
}

var ethnicityWords = map[string]string{
	"white british": "WBRI", "white - british": "WBRI", "british": "WBRI", "white english": "WBRI",
	"white irish": "WIRI", "irish": "WIRI", "white - irish": "WIRI",
	"traveller of irish heritage": "WIRT", "irish traveller": "WIRT",
	"gypsy": "WROM", "roma": "WROM", "gypsy/roma": "WROM", "gypsy roma": "WROM",
	"any other white background": "WOTH", "white other": "WOTH", "other white": "WOTH",
	"white and black caribbean": "MWBC", "white and black african": "MWBA", "white and asian": "MWAS",
	"any other mixed background": "MOTH", "mixed other": "MOTH",
	"indian": "AIND", "pakistani": "APKN", "bangladeshi": "ABAN", "any other asian background": "AOTH",
	"black caribbean": "BCRB", "caribbean": "BCRB", "black african": "BAFR", "african": "BAFR",
	"any other black background": "BOTH",
	"chinese":                    "CHNE", "any other ethnic group": "OOTH",
	"refused": "REFU", "declined": "REFU",
	"not known": "NOBT", "unknown": "NOBT", "not obtained": "NOBT",
}

// Ethnicity maps a contact's free-text ethnicity to the DfE code where certain (a code as written, or a
// category's own words, a referrer's "not known" being NOBT); anything else, a blank included, is empty with
// certain false: the screener picks.
func Ethnicity(s string) (code string, certain bool) {
	t := strings.TrimSpace(s)
	if Valid(EthnicityCodes, strings.ToUpper(t)) {
		return strings.ToUpper(t), true
	}
	if e, ok := ethnicityWords[strings.Join(strings.Fields(strings.ToLower(t)), " ")]; ok {
		return e, true
	}
	return "", false
}

// Fields are the census fields a contact needs, in the order they are named.
var Fields = []string{"source", "gender", "ethnicity"}

// Codes are a contact's census codes: what a person recorded (POST /v1/contacts/{id}/census) first, else
// what intake derived with certainty from the channel, the referrer and the child's free text. missing names
// each field neither settles (source, gender, ethnicity): empty in the codes, to be asked of the screener.
func Codes(c *domain.Contact) (source, gender, ethnicity string, missing []string) {
	var sc, gc, ec bool
	source, sc = Source(c)
	gender, gc = Gender(c.Child.Gender)
	ethnicity, ec = Ethnicity(c.Child.Ethnicity)
	if cc := c.Census; cc != nil {
		if cc.Source != "" {
			source, sc = cc.Source, true
		}
		if cc.Gender != "" {
			gender, gc = cc.Gender, true
		}
		if cc.Ethnicity != "" {
			ethnicity, ec = cc.Ethnicity, true
		}
	}
	for i, ok := range []bool{sc, gc, ec} {
		if !ok {
			missing = append(missing, Fields[i])
		}
	}
	return source, gender, ethnicity, missing
}

// Missing names the census fields of a contact that are neither recorded nor derived with certainty
// (nil when none are).
func Missing(c *domain.Contact) []string {
	_, _, _, m := Codes(c)
	return m
}

// Set records census codes a person chose on the contact (each given field replaces the one recorded;
// an empty field leaves it). A code not on its list is a bad input naming the field (census.source,
// census.gender, census.ethnicity) with the allowed codes; no field at all is a bad input too.
func Set(c *domain.Contact, source, gender, ethnicity, by string, at time.Time) error {
	var p domain.Problems
	check := func(field, v string, list []Code) {
		if v != "" && !Valid(list, v) {
			p.Add("census."+field, "%q is not a census code: one of %s", v, Allowed(list))
		}
	}
	check("source", source, SourceCodes)
	check("gender", gender, GenderCodes)
	check("ethnicity", ethnicity, EthnicityCodes)
	if source == "" && gender == "" && ethnicity == "" {
		p.Add("census", "give at least one of source, gender, ethnicity")
	}
	if err := p.Err(); err != nil {
		return err
	}
	cc := domain.CensusCodes{}
	if c.Census != nil {
		cc = *c.Census
	}
	for _, f := range []struct {
		dst *string
		v   string
	}{{&cc.Source, source}, {&cc.Gender, gender}, {&cc.Ethnicity, ethnicity}} {
		if f.v != "" {
			*f.dst = f.v
		}
	}
	cc.By, cc.At = by, at
	c.Census = &cc
	return nil
}

// List is the code list of a census field (source, gender, ethnicity).
func List(field string) []Code {
	switch field {
	case "source":
		return SourceCodes
	case "gender":
		return GenderCodes
	case "ethnicity":
		return EthnicityCodes
	}
	return nil
}

// Allowed lists a code list as "code (meaning)", comma-separated: what a 4xx names as the allowed values.
func Allowed(list []Code) string {
	codes := make([]string, len(list))
	for i, k := range list {
		codes[i] = k.Code + " (" + k.Meaning + ")"
	}
	return strings.Join(codes, ", ")
}

// what each field is, as the screener is asked it.
var asked = map[string]string{
	"source":    "the contact's source of referral",
	"gender":    "the child's gender",
	"ethnicity": "the child's ethnicity",
}

// notKnown is each list's explicit "not known" code.
var notKnown = map[string]string{"source": "10", "gender": "0", "ethnicity": "NOBT"}

// Required is the rule "screening cannot finish without" the census codes (issue #16): nil when every
// code is recorded or derived with certainty, else a conflict (HTTP 409) naming each missing field
// (census.source, census.gender, census.ethnicity) with the codes allowed. The contact is not at fault and
// the request was well formed: the codes are recorded first (POST /v1/contacts/{id}/census, `mash contacts
// census`, the console's census form), then the decision. A "not known" code is a valid choice, so the rule
// asks for a conscious choice and never for information the screener does not have.
func Required(c *domain.Contact) error {
	return RequiredBefore(c, "the decision")
}

// RequiredBefore is Required for another step that ends a contact listed in Annex A List 1 — the answer to
// a request for information ("the answer"): a request for information about a child is a contact (Hackney
// §4(5–6) answers it in the hub; Northamptonshire §7: the contact record says whether it is one), so its
// List 1 row needs valid codes like any other. what names the step in the refusal.
func RequiredBefore(c *domain.Contact, what string) error {
	missing := Missing(c)
	if len(missing) == 0 {
		return nil
	}
	e := &domain.Error{Code: domain.CodeConflict, Message: "screening cannot finish without the census codes: record " +
		strings.Join(missing, ", ") + " (POST /v1/contacts/{id}/census) before " + what + "; a not-known code is a valid choice"}
	for _, f := range missing {
		e.Fields = append(e.Fields, domain.FieldError{Field: "census." + f,
			Message: fmt.Sprintf("is not recorded and could not be derived with certainty (%s): one of %s; %s if it is not known",
				asked[f], Allowed(List(f)), notKnown[f])})
	}
	return e
}
