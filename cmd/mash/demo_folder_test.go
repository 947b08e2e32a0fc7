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
