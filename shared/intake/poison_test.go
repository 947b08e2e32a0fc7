package intake_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/intake/email"
)

// Issue #13 "Poison mail is slow, not isolated": a 3,000-level nested message (10,000 levels took 56 s and
// 343 MB in the parser) is quarantined as too complex, with its raw bytes kept byte for byte, and makes no
// contact. The time it takes is BenchmarkParseNested3000 in shared/intake/email.
func TestPoisonMail_DeeplyNestedMessageQuarantinedWithItsBytes(t *testing.T) {
	r := newRig(t, london(t, "2026-11-16 10:45"))
	var b strings.Builder
	b.WriteString("From: dsl@school.example.sch.uk\r\nSubject: nested\r\nMessage-ID: <deep@example>\r\n")
	for i := range 3000 {
		fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"b%04d\"\r\n\r\n--b%04d\r\n", i, i)
	}
	b.WriteString("Content-Type: text/plain\r\n\r\nChild's name: Zebedee Canarybird\r\n")
	raw := []byte(b.String())

	res, err := r.suite.Intake.IngestEmail(context.Background(), hackney, intake.RawMail{Data: raw, Key: "raw/deep"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Status != intake.StatusQuarantined || res[0].Reason != string(email.ReasonTooComplex) {
		t.Fatalf("result %+v, want quarantined as %s", res, email.ReasonTooComplex)
	}
	kept, err := os.ReadFile(filepath.Join(r.dir, "blobs", "quarantine", res[0].QuarantineID))
	if err != nil || !bytes.Equal(kept, raw) {
		t.Errorf("quarantine/%s is not the raw message byte for byte (%v)", res[0].QuarantineID, err)
	}
	if n := len(r.allContacts(hackney)); n != 0 {
		t.Errorf("%d contacts from a quarantined message", n)
	}
}

// Issue #13: an attachment named "GP letter..pdf" (or "..", or a path) failed the whole message as a bad
// blob key and was retried forever. The key is the message's hash and the part index; the name is data.
func TestAttachmentName_NeverBlocksItsEmail(t *testing.T) {
	for i, name := range []string{"GP letter..pdf", "..", "../../etc/passwd", `..\..\x.pdf`, ""} {
		t.Run(fmt.Sprint("name", i), func(t *testing.T) {
			r := newRig(t, london(t, "2026-11-16 10:45"))
			raw := bytes.ReplaceAll(readSample(t, "gp-letter-pdf.eml"), []byte("safeguarding-letter.pdf"), []byte(name))
			res, err := r.suite.Intake.IngestEmail(context.Background(), hackney, intake.RawMail{Data: raw, Key: "raw/x"})
			if err != nil {
				t.Fatalf("the email failed on its attachment's name: %v", err)
			}
			if len(res) != 1 || res[0].Status != intake.StatusCreated {
				t.Fatalf("result %+v, want one created contact", res)
			}
			assertAttachments(t, r, res[0].ContactID, []string{name})
		})
	}
}
