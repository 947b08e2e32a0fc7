package local

import (
	"context"
	"database/sql"
	"encoding/json"
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

// sqlExec runs a statement on the state folder's database through a connection of its own (another process,
// as a person with the sqlite3 shell would be).
func (r *rig) sqlExec(q string, args ...any) {
	r.t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(r.dir, "store.db")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		r.t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(q, args...); err != nil {
		r.t.Fatal(err)
	}
}

// sqlCount runs a count query on the state folder's database.
func (r *rig) sqlCount(q string) int {
	r.t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(r.dir, "store.db")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		r.t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		r.t.Fatal(err)
	}
	return n
}

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
// fail on every start ("unexpected end of JSON input"). Now a damaged snapshot (here a row of the executions
// table cut in half, as a hand edit or a disk fault would leave it) is set aside in executions_damaged with an
// error logged, the suite starts, and the contact is re-driven from the store.
func TestCrash_DamagedSnapshotIsSetAsideAndItsContactRedriven(t *testing.T) {
	r := newRig(t, london(t, "2027-03-10 10:00"))
	ctx := context.Background()
	id := r.refer(ctx, canaryReferral())
	second := canaryReferral()
	second.Children[0].GivenName, second.Children[0].DateOfBirth = "Ada", domain.Date{Y: 2019, M: 5, D: 6}
	other, err := r.suite.Intake.CreateReferral(ctx, "hackney", second, "")
	if err != nil {
		t.Fatal(err)
	}
	if n := r.sqlCount("SELECT count(*) FROM executions"); n != 2 {
		t.Fatalf("%d executions, want 2", n)
	}
	r.sqlExec("UPDATE executions SET doc = substr(doc, 1, length(doc) / 2) WHERE id = ?", r.suite.Exec.ExecutionID(string(id))) // torn

	r.reopen() // a restart must not fail
	if n := r.sqlCount("SELECT count(*) FROM executions_damaged"); n != 1 {
		t.Errorf("%d snapshots set aside, want the damaged one", n)
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

// A state folder an earlier `mash` wrote keeps its executions as JSON files in executions/: the next start
// imports them into the executions table once (the folder becomes executions.imported), so that a contact
// waiting on a person still has its wait.
func TestCrash_ExecutionFilesOfAnEarlierVersionAreImported(t *testing.T) {
	r := newRig(t, london(t, "2027-03-10 10:00"))
	ctx := context.Background()
	res, err := r.suite.Intake.CreateReferral(ctx, "hackney", canaryReferral(), "")
	if err != nil {
		t.Fatal(err)
	}
	id := r.suite.Exec.ExecutionID(string(res[0].ContactID))
	e, _ := r.suite.Exec.Get(id)
	b, err := json.Marshal(e.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	old := &fileStore{Dir: filepath.Join(r.dir, "executions")}
	if err := os.MkdirAll(old.Dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(old.file(id), b, 0o600); err != nil {
		t.Fatal(err)
	}
	r.sqlExec("DELETE FROM executions WHERE id = ?", id) // as an earlier version left it: in the file only

	r.reopen()
	if n := r.sqlCount("SELECT count(*) FROM executions"); n != 1 {
		t.Fatalf("%d executions after the import, want 1", n)
	}
	if _, err := os.Stat(old.Dir + ".imported"); err != nil {
		t.Errorf("the executions folder was not renamed: %v", err)
	}
	got, ok := r.suite.Exec.Get(id)
	if !ok || len(got.Tokens()) != 1 {
		t.Fatalf("the imported execution is not resumed at its rating wait (found %v)", ok)
	}
}
