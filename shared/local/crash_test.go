package local

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/flow"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/embedded"
)

// reopen simulates a new process on the same state folder: the store closed and opened again, a new suite.
func (r *rig) reopen() {
	r.t.Helper()
	if err := r.suite.Store.Close(); err != nil {
		r.t.Fatal(err)
	}
	st, err := embedded.Open(filepath.Join(r.dir, "store.db"), r.clock.Now)
	if err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() { st.Close() })
	r.suite = r.open(st)
}

// Issue #13 "SIGKILL of mash run": a truncated execution file made `mash run` and even `mash contacts list`
// fail on every start ("unexpected end of JSON input"). Now the damaged snapshot is set aside under
// executions/damaged/ with an error logged, the suite starts, and the contact is re-driven from the store.
func TestCrash_DamagedSnapshotIsSetAsideAndItsContactRedriven(t *testing.T) {
	r := newRig(t, london(t, "2027-03-10 10:00"))
	ctx := context.Background()
	res, err := r.suite.Intake.CreateReferral(ctx, "hackney", canaryReferral(), "")
	if err != nil {
		t.Fatal(err)
	}
	id := res[0].ContactID
	second := canaryReferral()
	second.Children[0].GivenName, second.Children[0].DateOfBirth = "Ada", domain.Date{Y: 2019, M: 5, D: 6}
	other, err := r.suite.Intake.CreateReferral(ctx, "hackney", second, "")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(r.dir, "executions", "*.json"))
	if len(files) != 2 {
		t.Fatalf("%d execution files, want 2", len(files))
	}
	x := &ExecStore{Dir: filepath.Join(r.dir, "executions")}
	damaged := x.file(r.suite.Exec.ExecutionID(string(id)))
	b, err := os.ReadFile(damaged)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(damaged, b[:len(b)/2], 0o600); err != nil { // torn write
		t.Fatal(err)
	}

	r.reopen() // a restart must not fail
	aside, _ := filepath.Glob(filepath.Join(r.dir, "executions", "damaged", "*.json"))
	if len(aside) != 1 {
		t.Errorf("%d files set aside, want the damaged one", len(aside))
	}
	if !strings.Contains(r.logs.String(), "execution snapshot damaged") {
		t.Error("no error logged for the damaged snapshot")
	}
	if _, ok := r.suite.Exec.Get(string(other[0].ContactID)); !ok {
		t.Error("the undamaged execution was not resumed")
	}
	if _, ok := r.suite.Exec.Get(string(id)); !ok {
		t.Fatal("the damaged contact was not re-driven")
	}
	r.advance(time.Minute, time.Minute)
	if st := r.contact(id).Status; st != domain.StatusAwaitingRating {
		t.Errorf("re-driven contact: %s, want awaiting-rating", st)
	}
	evs, _ := r.suite.Store.ListAudit(ctx, id)
	if !slices.ContainsFunc(evs, func(ev store.AuditEvent) bool { return ev.Action == "workflow.redriven" }) {
		t.Error("the re-drive is not in the contact's audit trail")
	}
}

// A contact written with no execution (the process died between the contact's write and the start) is
// started on the next tick; one saved at phase "enter" (died mid-step) is due at once and resumes.
func TestCrash_ContactWithoutExecutionStartsOnNextTick(t *testing.T) {
	r := newRig(t, london(t, "2027-03-10 10:00"))
	ctx := context.Background()
	c := &domain.Contact{ID: domain.NewContactID(), Authority: "hackney", Channel: domain.ChannelPhone, ReceivedAt: r.clock.Now(),
		Status: domain.StatusReceived, Child: domain.Child{GivenName: "Ada", FamilyName: "Lovelace", DateOfBirth: domain.Date{Y: 2018, M: 1, D: 2}},
		Concerns: "x", Consent: domain.Consent{Status: domain.ConsentUnknown}, LinkedTo: []domain.ContactID{}, Deadlines: map[string]time.Time{}}
	if err := r.suite.Store.CreateContact(ctx, c, store.IdempotencyKey{}, store.AuditEvent{Actor: "test", Action: "contact.created"}); err != nil {
		t.Fatal(err)
	}
	if err := r.suite.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok := r.suite.Exec.Get(string(c.ID)); !ok {
		t.Fatal("no execution started for a contact left in received")
	}
	if st := r.contact(c.ID).Status; st != domain.StatusAwaitingRating {
		t.Errorf("status %s, want awaiting-rating", st)
	}
}

// Frames saved at "enter" or "run" (a process killed mid-step) are due at once: NextDue used to skip them,
// so such executions never resumed.
func TestCrash_EnterAndRunFramesAreDue(t *testing.T) {
	r := newRig(t, london(t, "2027-03-10 10:00"))
	ctx := context.Background()
	m, err := flow.Parse([]byte(`{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","End":true}}}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	st := flow.NewMemoryStore()
	x, err := flow.New(m, flow.Handlers{}, flow.Options{Clock: r.clock, Store: st})
	if err != nil {
		t.Fatal(err)
	}
	snap := flow.Snapshot{ID: x.ExecutionID("k"), Name: "k", Input: []byte(`{}`), StartTime: r.clock.Now().Add(-time.Hour),
		Status: flow.Running, Root: &flow.Frame{State: "B", Phase: "enter", Input: []byte(`{}`)}}
	snap.Digest = m.Digest()
	e, err := x.Resume(snap)
	if err != nil {
		t.Fatal(err)
	}
	if due, ok := e.NextDue(); !ok || due.After(r.clock.Now()) {
		t.Fatalf("NextDue = %v %v, want due now", due, ok)
	}
	if err := x.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	if e.Status() != flow.Succeeded {
		t.Errorf("status %s after RunDue, want succeeded", e.Status())
	}
}
