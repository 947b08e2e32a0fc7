package main

import (
	"strings"
	"testing"
	"time"
)

// mash report annex-a --list 2 writes List 2's header (no early help decided yet in a fresh state); a list
// other than 1 or 2 is a usage error naming --list with the allowed values.
func TestReportAnnexA_List2_CLI(t *testing.T) {
	state := t.TempDir()
	at := time.Date(2027, 3, 10, 10, 0, 0, 0, time.UTC)
	if _, errs, code := runAt(t, at, "ingest", "--authority", "portsmouth", "--state", state, "../../events/email/gp-letter-pdf.eml"); code != 0 {
		t.Fatalf("ingest: exit %d %s", code, errs)
	}
	out, errs, code := runAt(t, at, "report", "annex-a", "--authority", "portsmouth", "--state", state, "--list", "2")
	if code != 0 || strings.TrimSpace(out) != "Child unique ID,Gender,Ethnicity,Date of birth,Age of child (years),Assessment start date,Assessment completion date,Organisation completing assessment" {
		t.Errorf("list 2: exit %d\n%s\n%s", code, out, errs)
	}
	out, _, code = runAt(t, at, "report", "annex-a", "--authority", "portsmouth", "--state", state)
	if code != 0 || !strings.HasPrefix(out, "Child unique ID,Gender,Ethnicity,Date of birth,Age of child (years),Date of contact,Contact source\n") || strings.Count(out, "\n") < 2 {
		t.Errorf("list 1: exit %d\n%s", code, out)
	}
	out, errs, code = runAt(t, at, "report", "annex-a", "--authority", "portsmouth", "--state", state, "--list", "3")
	if code == 0 || out != "" || !strings.Contains(errs, "--list") || !strings.Contains(errs, "1, 2") {
		t.Errorf("--list 3: exit %d\n%s\n%s", code, out, errs)
	}
}

// Both reports read their period through one helper: a bad --from or --to, a from after to, or an unknown
// --rule is a usage error naming each bad flag, and nothing is printed.
func TestReport_BadPeriodFlagsNamed_CLI(t *testing.T) {
	state := t.TempDir()
	at := time.Date(2027, 3, 10, 10, 0, 0, 0, time.UTC)
	if _, errs, code := runAt(t, at, "ingest", "--authority", "portsmouth", "--state", state, "../../events/email/gp-letter-pdf.eml"); code != 0 {
		t.Fatalf("ingest: exit %d %s", code, errs)
	}
	for _, c := range []struct {
		args  []string
		flags []string
	}{
		{[]string{"timeliness", "--from", "yesterday"}, []string{"--from"}},
		{[]string{"timeliness", "--to", "31/13/2027", "--rule", "no-such-rule"}, []string{"--to", "--rule"}},
		{[]string{"timeliness", "--from", "2027-03-01", "--to", "2027-02-01"}, []string{"--from"}},
		{[]string{"annex-a", "--from", "yesterday"}, []string{"--from"}},
		{[]string{"annex-a", "--to", "soon"}, []string{"--to"}},
	} {
		args := append([]string{"report", c.args[0], "--authority", "portsmouth", "--state", state}, c.args[1:]...)
		out, errs, code := runAt(t, at, args...)
		if code != exitBadInput || out != "" {
			t.Errorf("%v: exit %d, out %q", c.args, code, out)
		}
		for _, f := range c.flags {
			if !strings.Contains(errs, f+":") {
				t.Errorf("%v: the error does not name %s: %s", c.args, f, errs)
			}
		}
	}
}
