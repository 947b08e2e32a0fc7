package main

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/policy"
)

// Council IT changes a value in an authority's policy file and gets it wrong: every command on that authority
// names the bad field (as `mash policy check FILE` does). It said `--authority "portsmouth" is not an
// authority here: one of ` with an empty list — for every authority — because one file that did not load
// emptied the list of authorities (found setting Portsmouth's screening.csc amount to -3).
func TestPolicyFile_ABadValueIsNamed_NotAnUnknownAuthority(t *testing.T) {
	good, err := os.ReadFile("../../infra/authorities/portsmouth.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const from = "  screening.csc:\n    unit: hours\n    amount: 24\n"
	if !strings.Contains(string(good), from) {
		t.Fatalf("portsmouth.yaml no longer has %q: change the test's edit", from)
	}
	broken := strings.Replace(string(good), from, "  screening.csc:\n    unit: hours\n    amount: -3\n", 1)
	real := loadEmbedded
	t.Cleanup(func() { loadEmbedded = real })
	loadEmbedded = func(name string) (*policy.Policy, error) {
		if name == "portsmouth" {
			return policy.Parse([]byte(broken), "portsmouth.yaml")
		}
		return real(name)
	}
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for _, args := range [][]string{
		{"policy", "check", "--authority", "portsmouth"},
		{"policy", "--authority", "portsmouth"},
		{"due", "--authority", "portsmouth", "--rule", "screening.csc", "--at", "2026-12-01T10:00:00Z"},
	} {
		_, errs, code := runAt(t, at, args...)
		if code != exitBadInput || !strings.Contains(errs, "deadlines.screening.csc.amount") || strings.Contains(errs, "not an authority") {
			t.Errorf("mash %s: exit %d, want %d naming deadlines.screening.csc.amount:\n%s", strings.Join(args, " "), code, exitBadInput, errs)
		}
	}
	// The list of authorities still names every one.
	if _, errs, _ := runAt(t, at, "policy", "--authority", "nowhere"); !strings.Contains(errs, "one of barnet, bexley, hackney, northamptonshire, portsmouth") {
		t.Errorf("an unknown authority: %s", errs)
	}
	if out, errs, code := runAt(t, at, "due", "--authority", "hackney", "--rule", "screening.csc", "--at", "2026-12-01T10:00:00Z"); code != 0 || !strings.Contains(out, `"dueAt"`) {
		t.Errorf("another authority's command: exit %d %s %s", code, out, errs)
	}
}
