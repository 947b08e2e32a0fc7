package local

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/trays"
)

// Issue #13 "One bad address stops everyone": PPNs whose school is off the allow-list, a list of addresses or
// a string carrying CR/LF all reach awaiting-rating; their Encompass notices go to the Encompass lead; nothing
// is addressed to the refused domains; and a later contact still flows.
func TestResilience_BadSchoolAddressesNeverStopAPPN(t *testing.T) {
	r := newRig(t, london(t, "2027-03-10 10:00")) // Hackney, open; Hackney sends Encompass for domestic abuse PPNs
	ctx := context.Background()
	schools := []string{"head@gmail.com", "attacker@evil.example, dsl@x.hackney.sch.uk", "dsl@x.hackney.sch.uk\r\nBcc: attacker@evil.example"}
	var ids []domain.ContactID
	for i, school := range schools {
		res, err := r.suite.Intake.CreatePPN(ctx, "hackney", intake.PPN{PoliceReference: "4426041000" + string(rune('0'+i)),
			IncidentAt: r.clock.Now().Add(-2 * time.Hour), Circumstances: "Domestic incident; children present.", DomesticAbuse: true,
			Officer: domain.Referrer{Name: "PC 1", Email: "pc1@met.police.uk"},
			Children: []intake.PPNChild{{Child: domain.Child{GivenName: "Zebedee", FamilyName: "Canarybird",
				DateOfBirth: domain.Date{Y: 2017, M: 4, D: 2 + i}, School: school}}}}, "")
		if err != nil {
			t.Fatalf("PPN %d: %v", i, err)
		}
		ids = append(ids, res[0].ContactID)
	}
	r.advance(time.Minute, time.Minute)
	for i, id := range ids {
		if c := r.contact(id); c.Status != domain.StatusAwaitingRating {
			t.Errorf("PPN %d (school %q): status %s, want awaiting-rating", i, schools[i], c.Status)
		}
	}
	lead := r.suite.Policies["hackney"].Contacts.EncompassLead.Email
	encompass := 0
	for _, m := range r.outboxMessages() {
		to := strings.ToLower(header(m, "To") + header(m, "Cc") + header(m, "Bcc"))
		if strings.Contains(to, "gmail.com") || strings.Contains(to, "evil.example") {
			t.Errorf("a message was addressed to a refused domain: To %q", to)
		}
		if strings.Contains(header(m, "Subject"), "Operation Encompass") {
			encompass++
			if !strings.Contains(to, strings.ToLower(lead)) {
				t.Errorf("an Encompass notice went to %q, want the Encompass lead", to)
			}
		}
	}
	if encompass != len(schools) {
		t.Errorf("%d Encompass notices, want %d (one per PPN, to the lead)", encompass, len(schools))
	}
	// A later contact still flows.
	res, err := r.suite.Intake.CreateReferral(ctx, "hackney", canaryReferral(), "")
	if err != nil {
		t.Fatal(err)
	}
	if c := r.contact(res[0].ContactID); c.Status != domain.StatusAwaitingRating {
		t.Errorf("a later referral: status %s", c.Status)
	}
}

// countMetrics records what the sweep publishes.
type countMetrics map[string]float64

func (m countMetrics) Put(_ context.Context, name string, a domain.AuthorityID, v float64) error {
	m[name+"/"+string(a)] = v
	return nil
}

// Issue #13: Sweep.Run stopped at the first escalation that failed, so later items were never escalated and the
// OOHQueueUnclaimed metric went quiet. Now every due item is tried, the failure is reported, and the metrics
// are published.
func TestSweep_OneFailingItemNeverStopsTheRest(t *testing.T) {
	r := newRig(t, london(t, "2027-03-10 10:00"))
	ctx := context.Background()
	m := countMetrics{}
	r.suite.Sweep.Metrics = m
	// A contact the sweep cannot load a policy for (its authority is not served here): its escalation fails.
	orphan := &domain.Contact{ID: domain.NewContactID(), Authority: "atlantis", Channel: domain.ChannelPhone, ReceivedAt: r.clock.Now(),
		Status: domain.StatusReceived, Child: domain.Child{GivenName: "A", FamilyName: "B", DateOfBirth: domain.Date{Y: 2019, M: 1, D: 1}},
		Concerns: "x", Consent: domain.Consent{Status: domain.ConsentUnknown}, LinkedTo: []domain.ContactID{}, Deadlines: map[string]time.Time{}}
	if err := r.suite.Store.CreateContact(ctx, orphan, store.IdempotencyKey{}, store.AuditEvent{Actor: "test", Action: "contact.created"}); err != nil {
		t.Fatal(err)
	}
	res, err := r.suite.Intake.CreateReferral(ctx, "hackney", canaryReferral(), "")
	if err != nil {
		t.Fatal(err)
	}
	past := r.clock.Now().Add(-time.Hour).UTC()
	for _, it := range []store.TrayItem{
		{ID: "a-orphan", Tray: trays.DeadLetter, Authority: "atlantis", ContactID: orphan.ID, DueAt: past},
		{ID: "b-real", Tray: trays.DeadLetter, Authority: "hackney", ContactID: res[0].ContactID, DueAt: past.Add(time.Minute)},
		{ID: "c-ooh", Tray: trays.OOH, Authority: "hackney", ContactID: res[0].ContactID, DueAt: past},
	} {
		if _, err := r.suite.Store.PutTrayItem(ctx, it); err != nil {
			t.Fatal(err)
		}
	}
	got, err := r.suite.Sweep.Run(ctx)
	if err == nil {
		t.Error("the failed escalation was not reported")
	}
	if got.Failed != 1 || got.Escalated != 2 || got.Overdue != 3 {
		t.Errorf("sweep %+v, want 3 overdue, 2 escalated, 1 failed", got)
	}
	if v, ok := m["OOHQueueUnclaimed/hackney"]; !ok || v != 1 {
		t.Errorf("metrics %v, want OOHQueueUnclaimed/hackney = 1 published despite the failure", m)
	}
	// The runner's tick carries on too: it reports the failure and runs the rest.
	if err := r.suite.Tick(ctx); err == nil || !strings.Contains(err.Error(), "a-orphan") {
		t.Errorf("tick: %v, want the orphan's failure reported", err)
	}
}
