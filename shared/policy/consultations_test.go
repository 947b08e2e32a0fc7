package policy_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/policy"
)

// What each seed says of consultations is in its policy (Bexley §5–6, Hackney §8, Barnet's consultation
// line, Northamptonshire §7; Portsmouth's seed has none).
func TestAllAuthorities_Consultations_AsTheSeedsSay(t *testing.T) {
	for _, tc := range []struct {
		authority                                         string
		offered, againstChild, checks, summary, dsl, risk bool
		line                                              bool
	}{
		{"hackney", true, false, false, false, true, false, false},
		{"bexley", true, true, true, true, false, false, false},
		{"barnet", true, true, false, false, false, true, true},
		{"northamptonshire", true, false, false, false, false, false, false},
		{"portsmouth", false, false, false, false, false, false, false},
	} {
		c := load(t, tc.authority).Consultations
		if c.Offered != tc.offered || c.RecordAgainstChild != tc.againstChild || c.BasicChecks != tc.checks || c.WrittenSummary != tc.summary ||
			c.AskDSLConsulted != tc.dsl || c.ConvertWhenAtRisk != tc.risk || (c.Line != nil) != tc.line {
			t.Errorf("%s consultations %+v", tc.authority, c)
		}
	}
	d, ok := load(t, "bexley").Deadline(policy.RuleConsultationSummary)
	if !ok || d.Amount != 48 || d.Unit != "hours" {
		t.Errorf("bexley consultation-summary %+v, want 48 hours", d)
	}
}

// Barnet "Consultation Line": "now open Monday to Friday between 11am and 12noon".
func TestBarnet_ConsultationLine_OpenMondayToFriday11To12(t *testing.T) {
	p := load(t, "barnet")
	loc, _ := time.LoadLocation("Europe/London")
	for at, want := range map[string]bool{
		"2027-03-08 11:00": true, "2027-03-12 11:59": true, "2027-03-08 10:59": false, "2027-03-08 12:00": false,
		"2027-03-13 11:30": false, "2027-03-26 11:30": false, // a Saturday; Good Friday
		"2027-06-16 11:30": true, // summer time
	} {
		tm, _ := time.ParseInLocation("2006-01-02 15:04", at, loc)
		if got, err := p.LineOpen(tm); err != nil || got != want {
			t.Errorf("%s: open %v %v, want %v", at, got, err, want)
		}
	}
	if open, _ := load(t, "bexley").LineOpen(time.Date(2027, 3, 13, 3, 0, 0, 0, time.UTC)); !open {
		t.Errorf("a policy without line hours: the line is never closed")
	}
}

// A bad consultations block is named by field.
func TestConsultations_BadValuesNamed(t *testing.T) {
	src, err := os.ReadFile("../../infra/authorities/barnet.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct{ from, to, field string }{
		"summary without its start": {"  writtenSummary: false\n  askDSLConsulted: false\n  convertWhenAtRisk: true", "  writtenSummary: true\n  askDSLConsulted: false\n  convertWhenAtRisk: true", "consultations.writtenSummary"},
		"checks without the child":  {"  recordAgainstChild: true\n  basicChecks: false", "  recordAgainstChild: false\n  basicChecks: true", "consultations.basicChecks"},
		"line closes before opens":  {`    to: "12:00"`, `    to: "10:00"`, "consultations.line.to"},
		"not a weekday":             {"    days: [monday, tuesday, wednesday, thursday, friday]\n    from", "    days: [monday, funday]\n    from", "consultations.line.days[1]"},
		"not offered, yet set":      {"consultations:\n  offered: true", "consultations:\n  offered: false", "consultations.offered"},
	} {
		t.Run(name, func(t *testing.T) {
			data := strings.Replace(string(src), tc.from, tc.to, 1)
			if data == string(src) {
				t.Fatalf("the policy file no longer has %q", tc.from)
			}
			_, err := policy.Parse([]byte(data), "barnet.yaml")
			de, ok := err.(*domain.Error)
			if !ok {
				t.Fatalf("error %v", err)
			}
			found := false
			for _, f := range de.Fields {
				found = found || f.Field == tc.field
			}
			if !found {
				t.Errorf("%v does not name %s", err, tc.field)
			}
		})
	}
}
