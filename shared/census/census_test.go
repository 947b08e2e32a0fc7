package census_test

import (
	"slices"
	"testing"

	"github.com/safeguarding/mash/shared/census"
	"github.com/safeguarding/mash/shared/domain"
)

// The census source of referral is derived from the channel and the referrer where certain (issue #16:
// police PPN → 6, school → 2A, GP → 3A), else it is left empty to be asked of the screener.
func TestCensus_SourceOfReferral_DerivedWhereCertain(t *testing.T) {
	for _, tc := range []struct {
		name    string
		channel domain.Channel
		ref     domain.Referrer
		code    string
		certain bool
	}{
		{"police PPN", domain.ChannelPPN, domain.Referrer{Organisation: "Hampshire Constabulary", Professional: true}, "6", true},
		{"police by email", domain.ChannelEmail, domain.Referrer{Organisation: "Metropolitan Police", Professional: true}, "6", true},
		{"school", domain.ChannelForm, domain.Referrer{Organisation: "Amberdene Primary School", Role: "DSL", Professional: true}, "2A", true},
		{"academy", domain.ChannelEmail, domain.Referrer{Organisation: "Northgate Academy", Professional: true}, "2A", true},
		{"GP", domain.ChannelEmail, domain.Referrer{Organisation: "Lower Clapton Group Practice", Role: "GP", Professional: true}, "3A", true},
		{"GP surgery", domain.ChannelEmail, domain.Referrer{Organisation: "Elm Tree Surgery", Professional: true}, "3A", true},
		{"health visitor", domain.ChannelPhone, domain.Referrer{Role: "Health Visitor", Professional: true}, "3B", true},
		{"school nurse before school", domain.ChannelEmail, domain.Referrer{Organisation: "Amberdene School", Role: "School Nurse", Professional: true}, "3C", true},
		{"A&E", domain.ChannelPhone, domain.Referrer{Organisation: "Homerton Hospital A&E", Professional: true}, "3E", true},
		{"housing", domain.ChannelEmail, domain.Referrer{Organisation: "Clarion Housing Association", Professional: true}, "4", true},
		{"probation", domain.ChannelEmail, domain.Referrer{Organisation: "National Probation Service", Professional: true}, "7", true},
		{"mother", domain.ChannelPhone, domain.Referrer{Name: "J Smith", Relationship: "mother"}, "1A", true},
		{"neighbour", domain.ChannelPhone, domain.Referrer{Name: "K Jones", Relationship: "neighbour"}, "1B", true},
		{"self", domain.ChannelWalkIn, domain.Referrer{Name: "the child", Relationship: "self"}, "1C", true},
		{"anonymous caller", domain.ChannelPhone, domain.Referrer{}, "9", true},
		{"a council team, not certain", domain.ChannelEmail, domain.Referrer{Organisation: "Hackney Council", Professional: true}, "", false},
		{"no organisation", domain.ChannelEmail, domain.Referrer{Name: "A Person", Email: "a@example.org"}, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, certain := census.Source(&domain.Contact{Channel: tc.channel, Referrer: tc.ref})
			if code != tc.code || certain != tc.certain {
				t.Errorf("got %s (certain %v), want %s (certain %v)", code, certain, tc.code, tc.certain)
			}
			if code != "" && !census.Valid(census.SourceCodes, code) {
				t.Errorf("%s is not a census source code", code)
			}
		})
	}
}

// Issue #16: "The source is captured at entry. It is derived from the channel and the referrer's
// organisation where certain …, else asked of the screener"; ethnicity and gender likewise. A code that is
// neither recorded nor certain is empty and named as missing, never filled in as 10 / 0 / NOBT; what a
// screener records settles it.
func TestAnnexA_ContactSource_AskedOfScreenerWhenUncertain(t *testing.T) {
	unknown := domain.Referrer{Name: "A Person", Email: "a@example.org"}
	school := domain.Referrer{Organisation: "Amberdene Primary School", Professional: true}
	for _, tc := range []struct {
		name              string
		channel           domain.Channel
		ref               domain.Referrer
		gender, ethnicity string
		recorded          *domain.CensusCodes
		source, g, e      string
		missing           []string
	}{
		{"all certain", domain.ChannelForm, school, "Female", "White British", nil, "2A", "2", "WBRI", nil},
		{"PPN, child's details blank", domain.ChannelPPN, domain.Referrer{}, "", "", nil, "6", "", "", []string{"gender", "ethnicity"}},
		{"nothing certain", domain.ChannelEmail, unknown, "", "Mixed", nil, "", "", "", []string{"source", "gender", "ethnicity"}},
		{"referrer wrote not known", domain.ChannelEmail, unknown, "not known", "unknown", nil, "", "0", "NOBT", []string{"source"}},
		{"screener recorded the source", domain.ChannelEmail, unknown, "m", "Indian", &domain.CensusCodes{Source: "5B"}, "5B", "1", "AIND", nil},
		{"screener recorded all", domain.ChannelEmail, unknown, "", "", &domain.CensusCodes{Source: "8", Gender: "9", Ethnicity: "REFU"}, "8", "9", "REFU", nil},
		{"recorded beats derived", domain.ChannelForm, school, "Female", "", &domain.CensusCodes{Source: "2B", Ethnicity: "OOTH"}, "2B", "2", "OOTH", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &domain.Contact{Channel: tc.channel, Referrer: tc.ref, Census: tc.recorded}
			c.Child.Gender, c.Child.Ethnicity = tc.gender, tc.ethnicity
			s, g, e, missing := census.Codes(c)
			if s != tc.source || g != tc.g || e != tc.e {
				t.Errorf("codes %q %q %q, want %q %q %q", s, g, e, tc.source, tc.g, tc.e)
			}
			if !slices.Equal(missing, tc.missing) || !slices.Equal(census.Missing(c), tc.missing) {
				t.Errorf("missing %v, want %v", missing, tc.missing)
			}
		})
	}
}

func TestCensus_GenderAndEthnicity_FreeTextMappedWhereCertain(t *testing.T) {
	for in, want := range map[string]string{"Male": "1", "f": "2", "girl": "2", "not known": "0", "": "", "non-binary": ""} {
		if got, _ := census.Gender(in); got != want {
			t.Errorf("gender %q → %s, want %s", in, got, want)
		}
	}
	for in, want := range map[string]string{"White British": "WBRI", "wbri": "WBRI", "Black  African": "BAFR", "Pakistani": "APKN",
		"unknown": "NOBT", "": "", "Mixed": "", "Refused": "REFU"} {
		got, _ := census.Ethnicity(in)
		if got != want {
			t.Errorf("ethnicity %q → %s, want %s", in, got, want)
		}
		if got != "" && !census.Valid(census.EthnicityCodes, got) {
			t.Errorf("%s is not a DfE ethnicity code", got)
		}
	}
}
