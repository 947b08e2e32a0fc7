package policy_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/policy"
)

// Issue #16: each policy states its retention periods — contacts with no further action, referrals, audit,
// raw mail, logs, completed tray items, quarantined mail, consultations — each cited or assumed with a reason.
func TestRetention_EveryPolicyStatesItsPeriods(t *testing.T) {
	for _, a := range []string{"barnet", "bexley", "hackney", "northamptonshire", "portsmouth"} {
		p, err := policy.Load(a)
		if err != nil {
			t.Fatal(err)
		}
		prov := map[string]policy.Provenance{}
		for _, v := range p.Provenance() {
			prov[v.Field] = v
		}
		for _, f := range []string{"noFurtherAction", "referrals", "audit", "rawMail", "logs", "trayItems", "quarantine", "consultations"} {
			v, ok := prov["retention."+f]
			if !ok || v.Value == "" || (v.Source == "" && (!v.Assumed || v.Reason == "")) {
				t.Errorf("%s retention.%s: %+v", a, f, v)
			}
		}
	}
}

func TestRetention_BadPeriodNamesTheField(t *testing.T) {
	p, err := policy.Load("hackney")
	if err != nil {
		t.Fatal(err)
	}
	p.Retention.Audit.Days = 30 // with years: both
	p.Retention.Logs.From = "yesterday"
	p.Retention.RawMail.Assumed, p.Retention.RawMail.Reason = false, ""
	var de *domain.Error
	err = p.Validate()
	if !errors.As(err, &de) {
		t.Fatalf("got %v", err)
	}
	got := map[string]string{}
	for _, f := range de.Fields {
		got[f.Field] = f.Message
	}
	for field, says := range map[string]string{"retention.audit": "either years or days", "retention.logs.from": "closure, receipt, event, birth",
		"retention.rawMail.source": "is required"} {
		if !strings.Contains(got[field], says) {
			t.Errorf("%s: %q, want it to say %q (all: %v)", field, got[field], says, got)
		}
	}
}
