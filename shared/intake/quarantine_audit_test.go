package intake_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
)

type countMetrics struct{ n map[string]float64 }

func (m *countMetrics) Put(_ context.Context, name string, a domain.AuthorityID, v float64) error {
	m.n[name+"/"+string(a)] += v
	return nil
}

// Nothing lost, and nothing unrecorded: a quarantined message has the raw bytes kept, a reason code, an audit
// event written with the quarantine item, a metric, and a release is audited too.
func TestQuarantine_AuditEventAndMetric(t *testing.T) {
	r := newRig(t, london(t, "2027-03-10 10:00"))
	ctx := context.Background()
	m := &countMetrics{n: map[string]float64{}}
	svc := r.suite.Intake
	svc.Metrics = m
	raw := readSample(t, "spam-flagged.eml")
	rs, err := svc.IngestEmail(ctx, hackney, intake.RawMail{Data: raw, Key: "raw/x", SESMessageID: "ses-spam"})
	if err != nil || len(rs) != 1 || rs[0].Status != intake.StatusQuarantined || rs[0].QuarantineID == "" {
		t.Fatalf("ingest: %+v %v", rs, err)
	}
	qid := rs[0].QuarantineID
	if m.n["EmailQuarantined/hackney"] != 1 {
		t.Fatalf("metric: %v", m.n)
	}
	q, err := r.suite.Store.GetQuarantine(ctx, qid)
	if err != nil {
		t.Fatal(err)
	}
	kept, err := svc.Blobs.Get(ctx, q.RawKey)
	if err != nil || !bytes.Equal(kept, raw) {
		t.Fatalf("raw bytes not kept byte for byte (err %v)", err)
	}
	evs, err := r.suite.Store.ListAudit(ctx, domain.ContactID(qid))
	if err != nil || len(evs) != 1 || evs[0].Action != "quarantined" || evs[0].Reason != "spam" {
		t.Fatalf("quarantine audit: %+v %v", evs, err)
	}
	if _, err := svc.ReleaseQuarantine(ctx, qid, "manager-1"); err != nil {
		t.Fatal(err)
	}
	// Both events carry the same (fake-clock) instant, so their order in the trail is not defined: find by action.
	evs, _ = r.suite.Store.ListAudit(ctx, domain.ContactID(qid))
	released := 0
	for _, ev := range evs {
		if ev.Action == "quarantine.released" && ev.Actor == "manager-1" {
			released++
		}
	}
	if len(evs) != 2 || released != 1 {
		t.Fatalf("release audit: %+v", evs)
	}
}
