package policy_test

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/safeguarding/mash/infra/authorities"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/policy"
)

var update = flag.Bool("update", false, "rewrite docs/authorities/*.md from the policies")

func provenanceOf(t *testing.T, p *policy.Policy, field string) policy.Provenance {
	t.Helper()
	for _, r := range p.Provenance() {
		if r.Field == field {
			return r
		}
	}
	t.Fatalf("%s: no provenance row %s", p.Authority, field)
	return policy.Provenance{}
}

// Values the seeds do not give are marked assumed (issue 20: honest sources). Each row names the seed
// passage that gives the rest, or says the seed is silent.
func TestSeeds_HonestSources_ValuesTheSeedDoesNotGiveAreAssumed(t *testing.T) {
	tests := []struct {
		authority, field string
		assumed          bool
	}{
		{"northamptonshire", "contacts.mashInbox.email", true}, // 002 §6 gives the phone, no address
		{"northamptonshire", "contacts.mashInbox.phone", false},
		{"northamptonshire", "mandatoryAgencies", true}, // 002 §7 names police and health for strategy, no mandatory checks
		{"northamptonshire", "deadlines.screening.csc", true},
		{"bexley", "contacts.mashInbox.email", true}, // 003 §5 gives the phone only
		{"bexley", "contacts.mashInbox.phone", false},
		{"bexley", "contacts.edt.phone", true},       // 003 gives no out-of-hours number: drama-range placeholder
		{"bexley", "mandatoryAgencies", false},       // 003 §15: always Health, Education and Police
		{"barnet", "contacts.mashInbox.email", true}, // 004 gives the phone and the online form
		{"barnet", "contacts.mashInbox.phone", false},
		{"barnet", "referencePrefix", true},            // 004 promises a reference number, no format
		{"barnet", "mandatoryAgencies", true},          // 004 "core agencies", not mandatory checks
		{"hackney", "contacts.mashInbox.email", false}, // 001 §9
		{"portsmouth", "contacts.mashInbox.email", false},
	}
	for _, name := range authorities.Names() {
		tests = append(tests,
			struct {
				authority, field string
				assumed          bool
			}{name, "contacts.edt.email", true}) // no seed gives an EDT mailbox
	}
	for _, tt := range tests {
		r := provenanceOf(t, load(t, tt.authority), tt.field)
		if r.Assumed != tt.assumed {
			t.Errorf("%s %s: assumed %v, want %v (%+v)", tt.authority, tt.field, r.Assumed, tt.assumed, r)
		}
		if r.Assumed && strings.TrimSpace(r.Reason) == "" || !r.Assumed && strings.TrimSpace(r.Source) == "" {
			t.Errorf("%s %s: no reason or source: %+v", tt.authority, tt.field, r)
		}
	}
}

// The EDT phone the product tells a reader to ring is the seed's wherever the seed gives one, even though
// the duty mailbox beside it is assumed.
func TestSeeds_EDTPhoneSourcedMailboxAssumed(t *testing.T) {
	for _, name := range []string{"portsmouth", "hackney", "northamptonshire", "barnet"} {
		p := load(t, name)
		if r := provenanceOf(t, p, "contacts.edt.phone"); r.Assumed || !strings.Contains(r.Source, p.Contacts.EDT.Phone) {
			t.Errorf("%s: EDT phone %+v, want the seed's number cited", name, r)
		}
	}
}

// Every assumption anywhere in a policy (any Source with assumed: true, any emailAssumed/phoneAssumed)
// appears in Assumptions, so `mash policy check` cannot miss one that a new field adds.
func TestAssumptions_ListsEveryAssumedValue(t *testing.T) {
	for _, name := range authorities.Names() {
		p := load(t, name)
		var reasons []string
		walkSources(reflect.ValueOf(p).Elem(), name, func(_ string, s policy.Source) {
			if s.Assumed {
				reasons = append(reasons, s.Reason)
			}
		})
		for _, c := range []policy.Contact{p.Contacts.MASHInbox, p.Contacts.EDT, p.Contacts.EncompassLead, p.Contacts.LADO,
			p.Contacts.Channel, p.Contacts.ServiceManager, p.Contacts.PoliceMailbox} {
			for _, r := range []string{c.EmailAssumed, c.PhoneAssumed} {
				if r != "" {
					reasons = append(reasons, r)
				}
			}
		}
		listed := map[string]bool{}
		for _, a := range p.Assumptions() {
			listed[a.Reason] = true
		}
		for _, r := range reasons {
			if !listed[r] {
				t.Errorf("%s: assumed value missing from Assumptions: %q", name, r)
			}
		}
		if len(reasons) == 0 {
			t.Errorf("%s: the walk found no assumptions", name)
		}
	}
}

func TestPlaceholderPhone_OfcomDramaRanges(t *testing.T) {
	tests := []struct {
		phone string
		want  bool
	}{
		{"020 7946 0000", true}, {"020 7946 0999", true}, {"+44 20 7946 0123", true}, {"0113 496 0500", true},
		{"0191 498 0001", true}, {"01632 960123", true}, {"07700 900456", true}, {"028 9649 6123", true},
		{"0208 356 2710", false}, {"020 7946 1000", false}, {"0300 126 7000", false}, {"01604 626938", false},
		{"07700 800456", false},
	}
	for _, tt := range tests {
		if got := policy.PlaceholderPhone(tt.phone); got != tt.want {
			t.Errorf("PlaceholderPhone(%q) = %v, want %v", tt.phone, got, tt.want)
		}
	}
}

// A policy marked production refuses the placeholders the seed policies carry: Bexley's drama-range EDT
// number and the police mailboxes at the reserved example domain.
func TestProduction_RefusesPlaceholderPhoneAndExampleDomain(t *testing.T) {
	p := load(t, "bexley")
	if err := p.Validate(); err != nil {
		t.Fatalf("seed policy (not production) must load: %v", err)
	}
	p.Production = true
	err := p.Validate()
	fields := errorFields(err)
	for _, want := range []string{"contacts.edt.phone", "contacts.policeMailbox.email"} {
		if !slices.Contains(fields, want) {
			t.Errorf("production Bexley: %v does not name %s", err, want)
		}
	}
	h := load(t, "hackney")
	h.Production = true
	if fields := errorFields(h.Validate()); slices.Contains(fields, "contacts.edt.phone") {
		t.Errorf("Hackney's real EDT number refused: %v", fields)
	}
}

func TestContacts_EitherSourcedOrAssumedPerValue(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*policy.Contact)
		field string
	}{
		{"source and assumed both", func(c *policy.Contact) { c.Assumed, c.Reason = true, "x" }, "contacts.mashInbox.source"},
		{"emailAssumed on an assumed contact", func(c *policy.Contact) {
			c.Source = policy.Source{Assumed: true, Reason: "x"}
			c.EmailAssumed = "y"
		}, "contacts.mashInbox.emailAssumed"},
		{"phoneAssumed without a phone", func(c *policy.Contact) { c.Phone, c.PhoneAssumed = "", "y" }, "contacts.mashInbox.phoneAssumed"},
	}
	for _, tt := range tests {
		p := load(t, "hackney")
		tt.edit(&p.Contacts.MASHInbox)
		if fields := errorFields(p.Validate()); !slices.Contains(fields, tt.field) {
			t.Errorf("%s: fields %v, want %s", tt.name, fields, tt.field)
		}
	}
}

// docs/authorities/<authority>.md is the policy's provenance table; it must match the policy files.
func TestDocs_PerAuthorityTableIsCurrent(t *testing.T) {
	dir := filepath.Join("..", "..", "docs", "authorities")
	for _, name := range authorities.Names() {
		p := load(t, name)
		want := p.ProvenanceMarkdown()
		file := filepath.Join(dir, name+".md")
		if *update {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("%v (run go test ./shared/policy -run TestDocs -update)", err)
		}
		if string(got) != want {
			t.Errorf("%s is out of date: run go test ./shared/policy -run TestDocs -update", file)
		}
		for _, a := range p.Assumptions() {
			if !strings.Contains(want, "`"+a.Field+"`") {
				t.Errorf("%s: assumed %s missing from the table", name, a.Field)
			}
		}
	}
}

func errorFields(err error) []string {
	var e *domain.Error
	if !errors.As(err, &e) {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return out
}

// A partner agency's MASH desk is validated at load: a known agency the authority works with, its mailbox
// one address at the desk's secure domain; a production policy refuses the example-domain placeholders.
func TestAgencyDesks_ValidatedAtLoad(t *testing.T) {
	p := load(t, "northamptonshire")
	if d := p.Contacts.AgencyDesks[domain.AgencyEarlyHelp]; d.Email != "CFSS@nctrust.co.uk" || d.Assumed || d.Source.Source == "" {
		t.Errorf("Northamptonshire early help desk %+v, want CFSS@nctrust.co.uk cited from 002 §6a", d)
	}
	if r := provenanceOf(t, p, "contacts.agencyDesks.police.email"); !r.Assumed {
		t.Errorf("police desk placeholder not assumed: %+v", r)
	}
	tests := []struct {
		name  string
		edit  func(map[domain.Agency]policy.AgencyDesk)
		field string
	}{
		{"mailbox off the secure domain", func(m map[domain.Agency]policy.AgencyDesk) {
			d := m[domain.AgencyEarlyHelp]
			d.Email = "cfss@gmail.com"
			m[domain.AgencyEarlyHelp] = d
		}, "contacts.agencyDesks.early-help.email"},
		{"an agency the authority does not list", func(m map[domain.Agency]policy.AgencyDesk) {
			m[domain.AgencyHousing] = policy.AgencyDesk{Contact: policy.Contact{Name: "Housing", Email: "h@x.gov.uk", Source: policy.Source{Source: "x"}}}
		}, "contacts.agencyDesks.housing"},
		{"not an address", func(m map[domain.Agency]policy.AgencyDesk) {
			d := m[domain.AgencyEarlyHelp]
			d.Email = "a@nctrust.co.uk, b@nctrust.co.uk"
			m[domain.AgencyEarlyHelp] = d
		}, "contacts.agencyDesks.early-help.email"},
	}
	for _, tt := range tests {
		p := load(t, "northamptonshire")
		tt.edit(p.Contacts.AgencyDesks)
		if fields := errorFields(p.Validate()); !slices.Contains(fields, tt.field) {
			t.Errorf("%s: fields %v, want %s", tt.name, fields, tt.field)
		}
	}
	p.Production = true
	if fields := errorFields(p.Validate()); !slices.Contains(fields, "contacts.agencyDesks.police.email") {
		t.Errorf("production accepted the police.example desk: %v", fields)
	}
}
