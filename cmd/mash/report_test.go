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
