package console

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/policy"
)

func init() {
	pageData["call"], pageData["called"], pageData["consultations"] = callView{}, callView{}, consultationsView{}
	formFields = append(formFields, "channel", "consultation", "children[0]", "children[0].age", "children[0].familyName",
		"referrer.role", "referrer.organisation", "referrer.email", "dslConsulted", "advice", "basicChecks", "form", "children")
}

// callForm is a filled "Record a call" form: a neighbour's phone call about one child; edit changes it.
func callForm(edit func(url.Values)) url.Values {
	f := url.Values{"formKey": {"k1"}, "channel": {"phone"}, "referrer.name": {"Nia Neighbour"}, "referrer.phone": {"07700 900123"},
		"referrer.relationship": {"neighbour"}, "referrer.professional": {"no"},
		"children[0].givenName": {"Ari"}, "children[0].familyName": {"Stone"}, "children[0].dateOfBirth": {"14/02/2019"},
		"children[0].school": {"Hillman Street Primary"},
		"concerns":           {"Shouting every night; Ari was outside alone at 11pm."}, "immediateHarm": {"no"},
		"consent.status": {"not-sought"}, "consent.reason": {"a neighbour: the family does not know they called"}}
	if edit != nil {
		edit(f)
	}
	return f
}

func fieldNames(fs []domain.FieldError) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Field
	}
	slices.Sort(out)
	return out
}

// The "Record a call" form is read into the API's own request (intake.RecordedHousehold, or
// consultations.Request for a consultation) and checked by its own validation: every error at once, each named
// by the form's field (a child's by its block, the consultee's as the caller's), never twice.
func TestRecordACall_FormReadAndEveryErrorByItsField(t *testing.T) {
	now := time.Date(2027, 3, 10, 10, 0, 0, 0, time.UTC)
	hackney, err := policy.Load("hackney")
	if err != nil {
		t.Fatal(err)
	}
	bexley, err := policy.Load("bexley")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		pol    *policy.Policy
		edit   func(url.Values)
		errs   []string // the fields named, sorted
		verify func(t *testing.T, c call)
	}{
		{"a phone call about one child", hackney, nil, nil, func(t *testing.T, c call) {
			h := c.Household
			if c.Consultation || h.Channel != domain.ChannelPhone || len(h.Children) != 1 || h.Children[0].Child.DateOfBirth != (domain.Date{Y: 2019, M: 2, D: 14}) ||
				h.Children[0].Child.School != "Hillman Street Primary" || h.Referrer.Professional || h.RecordedBy != "Ola Officer" ||
				h.Consent.Status != domain.ConsentNotSought || h.ImmediateHarm != intake.HarmNo {
				t.Errorf("read as %+v", h)
			}
		}},
		{"two children, the second's surname not known and only an age", hackney, func(f url.Values) {
			f.Set("children", "3")
			f.Set("children[1].givenName", "Bo")
			f.Set("children[1].familyName", "not known")
			f.Set("children[1].age", "4")
			f.Set("channel", "walk-in")
		}, nil, func(t *testing.T, c call) {
			h := c.Household
			if len(h.Children) != 2 || h.Channel != domain.ChannelWalkIn {
				t.Fatalf("children %+v channel %s", h.Children, h.Channel)
			}
			b := h.Children[1]
			if b.Child.GivenName != "Bo" || b.Child.FamilyName != "" || b.Child.Age != 4 || !slices.Equal(b.NotKnown, []string{"familyName", "dateOfBirth"}) {
				t.Errorf("second child %+v", b)
			}
		}},
		{"an empty form: each required field named once", hackney, func(f url.Values) {
			for k := range f {
				if k != "formKey" {
					delete(f, k)
				}
			}
		}, []string{"channel", "children[0].dateOfBirth", "children[0].familyName", "children[0].givenName", "concerns", "immediateHarm"}, nil},
		{"a date and an age the form cannot read", hackney, func(f url.Values) {
			f.Set("children[0].dateOfBirth", "31/02/2019")
			f.Set("children[0].age", "seven")
		}, []string{"children[0].age", "children[0].dateOfBirth"}, nil},
		{"a child in the third block: its error is named by that block", hackney, func(f url.Values) {
			f.Set("children", "3")
			f.Set("children[2].givenName", "Cy")
		}, []string{"children[2].dateOfBirth", "children[2].familyName"}, nil},
		{"consent refused without a reason, and an answer not among the choices", hackney, func(f url.Values) {
			f.Set("consent.status", "refused")
			f.Del("consent.reason")
			f.Set("immediateHarm", "maybe")
			f.Set("referrer.professional", "perhaps")
		}, []string{"consent.reason", "immediateHarm", "referrer.professional"}, nil},
		{"immediate harm not known: recorded as not known, never as an answer", hackney, func(f url.Values) {
			f.Set("immediateHarm", "not-known")
		}, nil, func(t *testing.T, c call) {
			if c.Household.ImmediateHarm != intake.HarmNotKnown || strings.Contains(c.Household.Concerns, notKnownHarm) {
				t.Errorf("immediate harm %q, concerns %q", c.Household.ImmediateHarm, c.Household.Concerns)
			}
		}},
		{"Hackney §8: a consultation keeps no child and asks about the DSL", hackney, func(f url.Values) {
			f.Set("consultation", "yes")
			f.Set("referrer.professional", "yes")
		}, []string{"children[0]", "dslConsulted"}, nil},
		{"Hackney §8: a consultation without the child's details", hackney, func(f url.Values) {
			f.Set("consultation", "yes")
			f.Set("referrer.professional", "yes")
			f.Set("referrer.role", "DSL")
			f.Set("dslConsulted", "yes")
			f.Set("advice", "Speak to the family; refer if it happens again.")
			for _, k := range []string{"givenName", "familyName", "dateOfBirth", "school"} {
				f.Del("children[0]." + k)
			}
		}, nil, func(t *testing.T, c call) {
			k := c.Consult
			if !c.Consultation || k.Child != nil || k.DSLConsulted == nil || !*k.DSLConsulted || k.Consultee.Name != "Nia Neighbour" ||
				k.Consultee.Role != "DSL" || k.Advice == "" || k.RecordedBy != "Ola Officer" {
				t.Errorf("read as %+v", k)
			}
		}},
		{"Hackney §8: the line is for professionals", hackney, func(f url.Values) {
			f.Set("consultation", "yes")
			f.Set("dslConsulted", "no")
			f.Del("children[0].givenName")
			f.Del("children[0].familyName")
			f.Del("children[0].dateOfBirth")
			f.Del("children[0].school")
		}, []string{"referrer.professional"}, nil},
		{"Bexley §5: the child's details kept, one child at most", bexley, func(f url.Values) {
			f.Set("consultation", "yes")
			f.Set("children", "2")
			f.Set("children[1].givenName", "Bo")
		}, []string{"children"}, nil},
		{"Bexley §5: a consultation with the child's details and basic checks", bexley, func(f url.Values) {
			f.Set("consultation", "yes")
			f.Set("basicChecks", "yes")
		}, nil, func(t *testing.T, c call) {
			k := c.Consult
			if k.Child == nil || k.Child.FamilyName != "Stone" || !k.BasicChecks || k.Consultee.Professional == nil || *k.Consultee.Professional {
				t.Errorf("read as %+v", k)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, errs := callFromForm(callForm(tc.edit), "Ola Officer")
			errs = mergeFields(errs, c.validate(tc.pol, now))
			if got := fieldNames(errs); !slices.Equal(got, tc.errs) {
				t.Fatalf("errors %v, want %v (%+v)", got, tc.errs, errs)
			}
			for _, e := range errs {
				if e.Message == "" {
					t.Errorf("%s: no message", e.Field)
				}
			}
			if tc.verify != nil {
				tc.verify(t, c)
			}
		})
	}
	ordered := inFormOrder([]domain.FieldError{{Field: "consent.reason"}, {Field: "children[1].age"}, {Field: "immediateHarm"},
		{Field: "children[0].familyName"}, {Field: "channel"}, {Field: "children"}, {Field: "referrer.email"},
		{Field: "children[0].dateOfBirth"}, {Field: "children[1].givenName"}, {Field: "children[0].givenName"}})
	var order []string
	for _, e := range ordered {
		order = append(order, e.Field)
	}
	// Within a child's block as its fields come (given name, family name, date of birth, age), never as the
	// validator found them.
	if want := []string{"channel", "referrer.email", "children", "children[0].givenName", "children[0].familyName",
		"children[0].dateOfBirth", "children[1].givenName", "children[1].age", "immediateHarm", "consent.reason"}; !slices.Equal(order, want) {
		t.Errorf("errors in the form's order: %v, want %v", order, want)
	}
	if got := childBlocks(url.Values{"children": {"99"}}); got != maxCallChildren {
		t.Errorf("child blocks capped at %d, got %d", maxCallChildren, got)
	}
	if got := intake.RecordedChannels; !slices.Equal(got, []domain.Channel{domain.ChannelPhone, domain.ChannelWalkIn}) {
		t.Errorf("channels %v", got)
	}
}
