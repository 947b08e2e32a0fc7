package lifecycle_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/census"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/policy"
)

// Issue #16: "The source is captured at entry … else asked of the screener. Screening cannot finish
// without it." Ethnicity and gender likewise. The decision is refused (a conflict, HTTP 409) naming each
// code neither recorded nor derived with certainty and listing its allowed codes; the "not known" codes are
// valid choices; what intake derived with certainty needs nothing from the screener.
func TestAnnexA_ScreeningCannotFinishWithoutCensusSource(t *testing.T) {
	school := domain.Referrer{Organisation: "Amberdene Primary School", Professional: true}
	unknown := domain.Referrer{Name: "A Person", Email: "a@example.org", Professional: true}
	for _, tc := range []struct {
		name              string
		channel           domain.Channel
		ref               domain.Referrer
		gender, ethnicity string   // the child's free text
		record            []string // source, gender, ethnicity the screener records first (nil: nothing)
		missing           []string // the fields the refusal names; nil: decided
	}{
		{"nothing derived, nothing recorded", domain.ChannelEmail, unknown, "", "", nil, []string{"source", "gender", "ethnicity"}},
		{"source alone missing", domain.ChannelEmail, unknown, "Female", "White British", nil, []string{"source"}},
		{"PPN: the source is the police, the child's codes missing", domain.ChannelPPN, domain.Referrer{}, "", "", nil, []string{"gender", "ethnicity"}},
		{"only the source recorded", domain.ChannelEmail, unknown, "", "", []string{"5B", "", ""}, []string{"gender", "ethnicity"}},
		{"all derived with certainty at entry", domain.ChannelForm, school, "girl", "Black African", nil, nil},
		{"the screener chose each code", domain.ChannelEmail, unknown, "non-binary", "Mixed", []string{"8", "9", "MOTH"}, nil},
		{"not known is a valid choice", domain.ChannelEmail, unknown, "", "", []string{"10", "0", "NOBT"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := load(t, "portsmouth")
			c := contact(t, "portsmouth", domain.StatusAwaitingDecision, "2027-03-03 10:00")
			c.Channel, c.Referrer = tc.channel, tc.ref
			c.Child.Gender, c.Child.Ethnicity = tc.gender, tc.ethnicity
			if tc.record != nil {
				if _, err := lifecycle.RecordCensus(c, london(t, "2027-03-03 11:00"), tc.record[0], tc.record[1], tc.record[2], "screener"); err != nil {
					t.Fatal(err)
				}
			}
			_, err := lifecycle.Decide(p, c, london(t, "2027-03-03 12:00"), lifecycle.Decision{Code: domain.OutcomeNFA, Rationale: "r", By: "mgr"})
			if tc.missing == nil {
				if err != nil || c.Status != domain.StatusDecided {
					t.Fatalf("decision refused: %v (status %s)", err, c.Status)
				}
				return
			}
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != domain.CodeConflict {
				t.Fatalf("err %v, want a conflict naming %v", err, tc.missing)
			}
			if c.Status != domain.StatusAwaitingDecision || c.Outcome != nil {
				t.Errorf("refused, yet the contact is %s with outcome %v", c.Status, c.Outcome)
			}
			var named []string
			for _, f := range de.Fields {
				field := strings.TrimPrefix(f.Field, "census.")
				named = append(named, field)
				for _, code := range census.List(field) {
					if !strings.Contains(f.Message, code.Code+" ("+code.Meaning+")") {
						t.Errorf("%s: the allowed code %s is not listed: %s", f.Field, code.Code, f.Message)
					}
				}
			}
			if !slices.Equal(named, tc.missing) {
				t.Errorf("named %v, want %v", named, tc.missing)
			}
		})
	}
}

// A Red rating never waits for administrative codes: Northamptonshire §7 wants the strategy discussion
// within an hour of a Red rating (Hackney §4(1): a section 47 contact to a manager at once). The rating, and
// the strategy notice it sends, go ahead with every census code missing; only the decision is gated.
// Closing a decided contact and merging a duplicate are no screening decision and are not gated either.
func TestAnnexA_CensusGate_NeverDelaysARedRatingOrAClosure(t *testing.T) {
	p := load(t, "northamptonshire")
	c := contact(t, "northamptonshire", domain.StatusAwaitingRating, "2027-03-03 10:00")
	if len(census.Missing(c)) != 3 {
		t.Fatalf("the test contact should miss every code: %v", census.Missing(c))
	}
	res, _ := rated(t, p, c, london(t, "2027-03-03 10:05"), domain.RatingRed)
	if !slices.Contains(kinds(res.Notices), domain.NoticeStrategy) {
		t.Errorf("Red rating with the census codes missing: notices %v, want the strategy discussion at once", kinds(res.Notices))
	}
	if _, ok := c.Deadlines[policy.RuleStrategyRed]; !ok {
		t.Errorf("strategy.red not started: %v", c.Deadlines)
	}
	dup := contact(t, "northamptonshire", domain.StatusAwaitingDecision, "2027-03-03 10:00")
	into := contact(t, "northamptonshire", domain.StatusAwaitingDecision, "2027-03-03 09:00")
	into.ID = "c_00000000000000000002"
	if _, err := lifecycle.Merge(dup, "mgr", into); err != nil {
		t.Errorf("merging a duplicate without census codes: %v", err)
	}
	decided := contact(t, "northamptonshire", domain.StatusDecided, "2027-03-03 10:00")
	if _, err := lifecycle.Close(decided, "mgr", "case allocated"); err != nil {
		t.Errorf("closing without census codes: %v", err)
	}
}
