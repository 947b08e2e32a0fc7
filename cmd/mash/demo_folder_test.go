package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The demo empties its state folder first. It emptied whatever --state named: `mash demo --state .mash` (the
// state every other command defaults to) deleted the council's real contacts, and `--state .` the folder it
// ran in. A folder of real data, or of anything else, is refused and kept; an earlier demo's folder is
// emptied as before (found on the trial: a contact ingested on the real clock was gone after the demo).
func TestDemo_RefusesToEmptyAFolderThatIsNotADemos(t *testing.T) {
	real := time.Date(2027, 3, 10, 10, 0, 0, 0, time.UTC)
	data := t.TempDir()
	if _, errs, code := runAt(t, real, "ingest", "--authority", "hackney", "--state", data, "../../events/email/school-dsl-referral.eml"); code != 0 {
		t.Fatalf("ingest: exit %d %s", code, errs)
	}
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "notes.txt"), []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	for dir, want := range map[string]string{data: "holds data made on the real clock", other: "is not a demo folder (it holds notes.txt)"} {
		_, errs, code := runAt(t, real, "demo", "--authority", "hackney", "--once", "--addr", "127.0.0.1:0", "--state", dir)
		if code != exitBadInput || !strings.Contains(errs, want) {
			t.Errorf("demo --state %s: exit %d, want %d saying %q:\n%s", dir, code, exitBadInput, want, errs)
		}
	}
	if out, errs, code := runAt(t, real, "contacts", "list", "--authority", "hackney", "--state", data); code != 0 || !strings.Contains(out, `"givenName":"Maisie"`) ||
		strings.Contains(out, `"simulated":true`) || strings.Count(out, "\n") != 1 {
		t.Errorf("the real contact is gone: exit %d %s %s", code, out, errs)
	}
	if b, err := os.ReadFile(filepath.Join(other, "notes.txt")); err != nil || string(b) != "mine" {
		t.Errorf("the other folder's file: %q %v", b, err)
	}
	// A demo's own folder is emptied and the demo runs again there.
	demo := filepath.Join(t.TempDir(), "demo")
	demoOnce(t, "hackney", demo)
	demoOnce(t, "hackney", demo)
}

// The demo screener records census codes intake could not derive. For a child nobody can name yet (the
// neighbour's email) they are "not known" (gender 0, ethnicity NOBT), never a guess: the demo gave that
// child a gender and an ethnicity from its rotation of plausible codes.
func TestDemo_ANamelessChild_CensusCodesNotKnown(t *testing.T) {
	dir := t.TempDir()
	demoOnce(t, "hackney", dir)
	out, errs, code := runAt(t, time.Date(2027, 3, 10, 10, 5, 0, 0, time.UTC), "contacts", "list", "--authority", "hackney", "--state", dir)
	if code != 0 {
		t.Fatalf("contacts list: exit %d %s", code, errs)
	}
	nameless := 0
	for _, c := range lines(t, out) {
		child, _ := c["child"].(map[string]any)
		if child["givenName"] != "" || child["familyName"] != "" {
			continue
		}
		nameless++
		cen, _ := c["census"].(map[string]any)
		if cen["gender"] != "0" || cen["ethnicity"] != "NOBT" {
			t.Errorf("%v: census %v, want gender 0 and ethnicity NOBT for a child nobody can name", c["reference"], cen)
		}
	}
	if nameless == 0 {
		t.Fatalf("no nameless contact in the demo:\n%s", out)
	}
}
