package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/clock"
)

// runCLI runs the command in-process and returns stdout, stderr and the exit code.
func runCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	a := newApp(&out, &errb)
	a.now = clock.Fixed(time.Date(2027, 12, 24, 16, 59, 0, 0, time.UTC))
	code := a.run(context.Background(), args)
	return out.String(), errb.String(), code
}

func decode(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("not one JSON object: %q: %v", s, err)
	}
	return m
}

// docs/cli.md: mash due prints {"authority","rule","unit","amount","startsAt","dueAt"}.
func TestDue_Contract(t *testing.T) {
	cases := []struct {
		name, authority, at, rule, unit string
		amount                          float64
		due                             string
	}{
		// Hackney seed 001 §4.6: requests for information within 10 working days — over Christmas 2027
		// (substitute bank holidays Mon 27, Tue 28 Dec; New Year substitute Mon 3 Jan 2028).
		{"Hackney_InfoRequest_OverChristmas2027", "hackney", "2027-12-20T10:00:00Z", "info-request", "working-days", 10, "2028-01-06T10:00:00Z"},
		// Hackney seed 001 §5: RED checks within 4 hours.
		{"Hackney_PartnerChecks_RedWithinFourHours", "hackney", "2027-03-10T10:00:00Z", "checks.red", "hours", 4, "2027-03-10T14:00:00Z"},
		// Northamptonshire seed 002 §7: Red, strategy discussion within 1 hour.
		{"Northamptonshire_StrategyRed_OneHour", "northamptonshire", "2027-06-01T10:00:00+01:00", "strategy.red", "hours", 1, "2027-06-01T11:00:00+01:00"},
		// Portsmouth seed 000 §8: out-of-hours contacts reviewed the next working day — a Saturday contact
		// is due Monday at close; Tuesday when Monday is the Early May bank holiday (3 May 2027).
		{"Portsmouth_OOHReview_SaturdayToMondayClose", "portsmouth", "2027-03-06T11:00:00Z", "ooh-review", "next-working-day-close", 0, "2027-03-08T17:00:00Z"},
		{"Portsmouth_OOHReview_BankHolidayMondayToTuesday", "portsmouth", "2027-05-01T11:00:00+01:00", "ooh-review", "next-working-day-close", 0, "2027-05-04T17:00:00+01:00"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, errs, code := runCLI(t, "due", "--authority", c.authority, "--at", c.at, "--rule", c.rule)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			m := decode(t, out)
			want := map[string]any{"authority": c.authority, "rule": c.rule, "unit": c.unit, "amount": c.amount, "dueAt": c.due}
			for k, v := range want {
				if m[k] != v {
					t.Errorf("%s = %v, want %v (output %s)", k, m[k], v, out)
				}
			}
			if _, err := time.Parse(time.RFC3339, m["startsAt"].(string)); err != nil {
				t.Errorf("startsAt not RFC3339: %v", m["startsAt"])
			}
		})
	}
}

// Barnet seed 004 "Operating hours": Mon–Thu 9am to 5.15pm, Fridays 9am to 5pm.
func TestRoute_Barnet_ThursdayOpenFridayClosedAt1710(t *testing.T) {
	out, _, code := runCLI(t, "route", "--authority", "barnet", "--at", "2027-11-25T17:10:00Z")
	if code != 0 || decode(t, out)["route"] != "mash" || decode(t, out)["open"] != true {
		t.Fatalf("Thursday 17:10: %s (exit %d)", out, code)
	}
	out, _, code = runCLI(t, "route", "--authority", "barnet", "--at", "2027-11-26T17:10:00Z")
	m := decode(t, out)
	if code != 0 || m["route"] != "ooh-queue" || m["open"] != false || m["nextOpening"] != "2027-11-29T09:00:00Z" || m["reviewBy"] != "2027-11-29T17:15:00Z" {
		t.Fatalf("Friday 17:10: %s (exit %d)", out, code)
	}
	out, _, _ = runCLI(t, "route", "--authority", "barnet", "--at", "2027-11-26T17:10:00Z", "--immediate-harm")
	if decode(t, out)["route"] != "edt-now" {
		t.Fatalf("Friday 17:10 immediate harm: %s", out)
	}
	out, _, _ = runCLI(t, "route", "--authority", "barnet", "--at", "2027-11-27T03:00:00Z", "--rag", "red")
	if decode(t, out)["route"] != "edt-now" {
		t.Fatalf("Saturday night red: %s", out)
	}
}

func TestExitCodes_BadInputIsOne(t *testing.T) {
	cases := [][]string{
		{"due", "--authority", "hackney", "--at", "2027-01-01T10:00:00Z", "--rule", "pco-review"}, // rule it lacks
		{"due", "--authority", "nowhere", "--at", "2027-01-01T10:00:00Z", "--rule", "lado"},
		{"due", "--authority", "hackney", "--at", "yesterday", "--rule", "lado"},
		{"route", "--authority", "hackney", "--at", "2027-01-01T10:00:00Z", "--rag", "purple"},
		{"route", "--authority", "hackney"},
		{"nonsense"},
		{"policy", "check", "testdata/does-not-exist.yaml"},
	}
	for _, args := range cases {
		_, errs, code := runCLI(t, args...)
		if code != 1 {
			t.Errorf("%v: exit %d, want 1", args, code)
		}
		if strings.TrimSpace(errs) == "" {
			t.Errorf("%v: no message on stderr", args)
		}
	}
}

func TestPolicy_PrintsEffectivePolicyAndChecksFiles(t *testing.T) {
	out, _, code := runCLI(t, "policy", "--authority", "bexley")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	m := decode(t, out)
	if m["authority"] != "bexley" || m["referencePrefix"] != "BEX" {
		t.Fatalf("policy output: %.200s", out)
	}
	out, errs, code := runCLI(t, "policy", "check", "../../infra/authorities/hackney.yaml")
	if code != 0 || decode(t, out)["valid"] != true {
		t.Fatalf("valid file: exit %d %s %s", code, out, errs)
	}
}

// A policy file with a missing or bad field is rejected with the field named (issue: mash policy check).
func TestPolicyCheck_NamesTheBadField(t *testing.T) {
	cases := map[string]string{
		"../../shared/policy/testdata/bad-time.yaml":      "openingHours.days",
		"../../shared/policy/testdata/missing-field.yaml": "referencePrefix",
		"../../shared/policy/testdata/unknown-unit.yaml":  "deadlines.checks.red.unit",
	}
	for file, field := range cases {
		_, errs, code := runCLI(t, "policy", "check", file)
		if code != 1 || !strings.Contains(errs, field) {
			t.Errorf("%s: exit %d, stderr %q, want exit 1 naming %s", file, code, errs, field)
		}
	}
}

// `mash policy check` with no file checks every embedded policy and lists each one's assumed values
// (issue 20), so a council sees what to confirm before go-live.
func TestPolicyCheck_ListsEveryAssumedValuePerAuthority(t *testing.T) {
	out, errs, code := runCLI(t, "policy", "check")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 5 {
		t.Fatalf("want one line per authority, got %d: %s", len(lines), out)
	}
	found := map[string]map[string]bool{}
	for _, l := range lines {
		var r struct {
			Authority string
			Valid     bool
			Assumed   []struct{ Field, Value, Reason string }
		}
		if err := json.Unmarshal([]byte(l), &r); err != nil || !r.Valid {
			t.Fatalf("line %q: %v", l, err)
		}
		found[r.Authority] = map[string]bool{}
		for _, a := range r.Assumed {
			if a.Reason == "" || a.Value == "" {
				t.Errorf("%s %s: assumed without a value or reason", r.Authority, a.Field)
			}
			found[r.Authority][a.Field] = true
		}
	}
	for a, field := range map[string]string{"northamptonshire": "contacts.mashInbox.email", "bexley": "contacts.edt.phone",
		"barnet": "contacts.mashInbox.email", "hackney": "contacts.edt.email", "portsmouth": "openingHours"} {
		if !found[a][field] {
			t.Errorf("%s: %s not listed as assumed", a, field)
		}
	}
	out, _, code = runCLI(t, "policy", "check", "--authority", "barnet")
	if code != 0 || decode(t, out)["authority"] != "barnet" {
		t.Errorf("--authority barnet: exit %d %s", code, out)
	}
}

// A policy marked production: true refuses placeholder numbers: Bexley's EDT line is an Ofcom drama number.
func TestPolicyCheck_ProductionRefusesPlaceholderPhone(t *testing.T) {
	data, err := os.ReadFile("../../infra/authorities/bexley.yaml")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "bexley.yaml")
	if err := os.WriteFile(file, append(data, []byte("\nproduction: true\n")...), 0o600); err != nil {
		t.Fatal(err)
	}
	_, errs, code := runCLI(t, "policy", "check", file)
	if code != 1 || !strings.Contains(errs, "contacts.edt.phone") || !strings.Contains(errs, "drama") {
		t.Errorf("exit %d, stderr %q: want exit 1 naming contacts.edt.phone", code, errs)
	}
}

// `mash schools import --authority A FILE.csv` loads the directory into the local store and names each
// refused row; a wrong header is exit 1 naming the missing columns (issue 20).
func TestSchoolsImport_CLI(t *testing.T) {
	state := t.TempDir()
	out, errs, code := runCLI(t, "schools", "import", "--authority", "hackney", "--state", state, "--by", "manager-ann", "../../events/schools/hackney.csv")
	if code != 0 || decode(t, out)["loaded"] != float64(220) {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(bad, []byte("urn,name,open\n900001,A,Open\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, errs, code = runCLI(t, "schools", "import", "--authority", "hackney", "--state", state, bad)
	if code != 1 || !strings.Contains(errs, "dslEmail") || !strings.Contains(errs, "postcode") {
		t.Errorf("wrong header: exit %d, stderr %q", code, errs)
	}
	out, _, code = runCLI(t, "schools", "list", "--authority", "hackney", "--state", state, "--q", "amberdene")
	if code != 0 || strings.Count(out, "\n") != 2 {
		t.Errorf("list: exit %d %s", code, out)
	}
}
