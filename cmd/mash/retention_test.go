package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/embedded"
)

// `mash retention run --authority A [--dry-run]` through the embedded store: an emailed contact decided NFA
// is kept until its 6 years (Hackney's policy) have passed, listed by a dry run, then deleted with its raw
// email and attachments, and the retention trail says so without the content.
func TestRetentionRun_CLI(t *testing.T) {
	state := t.TempDir()
	at := time.Date(2027, 3, 10, 10, 0, 0, 0, time.UTC)
	out, errs, code := runAt(t, at, "ingest", "--authority", "hackney", "--state", state, "../../events/email/gp-letter-pdf.eml")
	if code != 0 {
		t.Fatalf("ingest: exit %d %s", code, errs)
	}
	id := domain.ContactID(lines(t, out)[0]["contactId"].(string))
	// Decided NFA at `at`.
	st, err := embedded.Open(filepath.Join(state, "store.db"), clock.Fixed(at))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ChangeContact(context.Background(), id, func(c *domain.Contact) (store.Change, error) {
		c.Status = domain.StatusDecided
		c.Outcome = &domain.OutcomeRecord{Code: domain.OutcomeNFA, AuthorityTerm: "NFA", By: "mgr", At: at, Rationale: "no concerns"}
		return store.Change{Events: []store.AuditEvent{{Actor: "mgr", Action: "decision.recorded"}}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	files := func() []string {
		var fs []string
		_ = filepath.WalkDir(filepath.Join(state, "blobs"), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				fs = append(fs, p)
			}
			return nil
		})
		return fs
	}
	blobs := files()
	if len(blobs) < 1 {
		t.Fatal("the email kept no blobs")
	}

	day := 24 * time.Hour
	if out, errs, code := runAt(t, at.AddDate(6, 0, 0).Add(-day), "retention", "run", "--authority", "hackney", "--state", state); code != 0 || out != "" || !strings.Contains(errs, "deleted 0") {
		t.Fatalf("a day early: exit %d\n%s\n%s", code, out, errs)
	}
	out, errs, code = runAt(t, at.AddDate(6, 0, 0), "retention", "run", "--authority", "hackney", "--state", state, "--dry-run")
	if code != 0 || !strings.Contains(out, string(id)) || !strings.Contains(errs, "would delete 1") {
		t.Fatalf("dry run: exit %d\n%s\n%s", code, out, errs)
	}
	out, errs, code = runAt(t, at.AddDate(6, 0, 0), "retention", "run", "--authority", "hackney", "--state", state)
	if code != 0 || !strings.Contains(out, `"rule":"retention.noFurtherAction"`) || !strings.Contains(errs, "deleted 1") {
		t.Fatalf("run: exit %d\n%s\n%s", code, out, errs)
	}
	if left := files(); len(left) != 0 {
		t.Errorf("blobs left after the run: %v (before: %v)", left, blobs)
	}
	if _, _, code := runAt(t, at.AddDate(6, 0, 0), "contacts", "show", "--state", state, string(id)); code != 1 {
		t.Errorf("contacts show after deletion: exit %d, want 1 (not found)", code)
	}
	if _, _, code := runAt(t, at, "retention", "run", "--state", state); code != 1 {
		t.Errorf("no --authority: exit %d, want 1", code)
	}
}
