package intake_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
)

// Portsmouth §2.6 by email: an IACF whose reason for referral is "FII" and which describes no harm is flagged
// harmNotNamed, and its acknowledgement asks the referrer to describe the harm to the child.
func TestPortsmouth_FII_NameTheHarm_ByEmail(t *testing.T) {
	r := newRig(t, london(t, "2027-03-10 10:15"))
	raw, err := os.ReadFile("testdata/portsmouth-fii-reason-only.eml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.suite.Intake.IngestEmail(context.Background(), "portsmouth", intake.RawMail{Data: raw, Key: "raw/portsmouth-fii"})
	if err != nil || len(res) != 1 {
		t.Fatalf("ingest: %v %+v", err, res)
	}
	c := r.contact(res[0].ContactID)
	if !c.Flags.HarmNotNamed || c.HarmPrompt == "" {
		t.Fatalf("concerns %q: flags %+v prompt %q, want harmNotNamed with the prompt", c.Concerns, c.Flags, c.HarmPrompt)
	}
	ack := r.assertOneAck(c.ID)
	if !strings.Contains(ack.Text, "describe the harm to the child") {
		t.Errorf("the acknowledgement does not ask for the harm:\n%s", ack.Text)
	}
	if c.Authority != domain.AuthorityID("portsmouth") {
		t.Errorf("authority %s", c.Authority)
	}
}
