package folder_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jhillyerd/enmime/v2"

	"github.com/safeguarding/mash/shared/notify/folder"
	"github.com/safeguarding/mash/shared/store"
)

func TestSend_WritesParsableMultipartAlternative(t *testing.T) {
	dir := t.TempDir()
	n := store.Notification{ID: "c_0123456789abcdef0123#escalation#checks#police#overdue#2027-12-24T18:00:00Z",
		Kind: "escalation", To: []string{"a@x.example", "b@y.example"},
		Subject:   "MASH contact HAC-2027-000123: escalation — naïve\r\nBcc: evil@attacker.example",
		Text:      "Line one\nA line with = and a very long run of text that goes past seventy-six characters so quoted-printable must soft-wrap it.\n",
		HTML:      "<p>Hello &amp; welcome</p>",
		CreatedAt: time.Date(2027, 12, 24, 18, 0, 1, 0, time.UTC)}
	s := folder.Sender{Dir: dir, From: "Hackney MASH <no-reply@mash.hackney.gov.uk>"}
	name, err := s.Send(context.Background(), n, "MASH@hackney.gov.uk")
	if err != nil {
		t.Fatal(err)
	}
	if want := "20271224T180001Z-c_0123456789abcdef0123_escalation_checks_police_overdue_2027-12-24T18_00_00Z.eml"; name != want {
		t.Errorf("name %s, want %s", name, want)
	}
	raw, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	env, err := enmime.ReadEnvelope(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if env.GetHeader("Bcc") != "" || strings.Contains(string(raw), "\r\nBcc:") {
		t.Errorf("a CR/LF in the subject injected a header:\n%s", raw)
	}
	if got := env.GetHeader("Subject"); !strings.HasPrefix(got, "MASH contact HAC-2027-000123: escalation — naïve") {
		t.Errorf("Subject %q", got)
	}
	if strings.ReplaceAll(env.Text, "\r\n", "\n") != n.Text {
		t.Errorf("text %q", env.Text)
	}
	if !strings.Contains(env.HTML, "<p>Hello &amp; welcome</p>") {
		t.Errorf("html %q", env.HTML)
	}
	if got := env.GetHeaderValues("To"); len(got) != 1 || !strings.Contains(got[0], "b@y.example") {
		t.Errorf("To %v", got)
	}
	// Sending again (a retry after a failed MarkSent) rewrites the same file, no second copy.
	if _, err := s.Send(context.Background(), n, "MASH@hackney.gov.uk"); err != nil {
		t.Fatal(err)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*")); len(m) != 1 {
		t.Errorf("folder holds %v", m)
	}
}

func TestSend_RefusesNoRecipientOrBadAddress(t *testing.T) {
	s := folder.Sender{Dir: t.TempDir()}
	for _, to := range [][]string{nil, {"not an address"}} {
		if _, err := s.Send(context.Background(), store.Notification{ID: "x", To: to, Text: "t"}, ""); err == nil {
			t.Errorf("to %v: no error", to)
		}
	}
}
