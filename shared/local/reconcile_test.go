package local

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/actions"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/flow"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/trays"
	"github.com/safeguarding/mash/shared/workflow"
)

// failingTasks fails SendTaskSuccess while down is set, as Step Functions does when throttled or unreachable.
type failingTasks struct {
	actions.Tasks
	down atomic.Bool
}

// failTasks puts failingTasks, down, in front of the actions' Tasks (the workflow unreachable from actions).
func (r *rig) failTasks() *failingTasks {
	tasks := &failingTasks{Tasks: r.suite.Actions.Tasks}
	tasks.down.Store(true)
	r.suite.Actions.Tasks = tasks
	return tasks
}

// toldTasks counts the completions Step Functions accepted: a SendTaskSuccess, or a SendTaskFailure (a named
// outcome, e.g. checks superseded), without an error.
type toldTasks struct {
	actions.Tasks
	told *atomic.Int64
}

func (c toldTasks) SendTaskSuccess(ctx context.Context, token string, out json.RawMessage) error {
	err := c.Tasks.SendTaskSuccess(ctx, token, out)
	if err == nil {
		c.told.Add(1)
	}
	return err
}

func (c toldTasks) SendTaskFailure(ctx context.Context, token, name, cause string) error {
	err := c.Tasks.SendTaskFailure(ctx, token, name, cause)
	if err == nil {
		c.told.Add(1)
	}
	return err
}

// countTold puts toldTasks in front of the actions' and the sweep's Tasks (call it before failTasks): the
// count of completions the workflow accepted, at once from an action or later from the sweep's completer.
func (r *rig) countTold() *atomic.Int64 {
	n := &atomic.Int64{}
	r.suite.Actions.Tasks = toldTasks{Tasks: r.suite.Actions.Tasks, told: n}
	sweep, ok := r.suite.Sweep.Tasks.(actions.Tasks)
	if !ok {
		r.t.Fatalf("the sweep's Tasks %T", r.suite.Sweep.Tasks)
	}
	r.suite.Sweep.Tasks = toldTasks{Tasks: sweep, told: n}
	return n
}

func (f *failingTasks) SendTaskSuccess(ctx context.Context, token string, out json.RawMessage) error {
	if f.down.Load() {
		return errors.New("states: ServiceUnavailable")
	}
	return f.Tasks.SendTaskSuccess(ctx, token, out)
}

func (f *failingTasks) SendTaskFailure(ctx context.Context, token, name, cause string) error {
	if f.down.Load() {
		return errors.New("states: ServiceUnavailable")
	}
	return f.Tasks.SendTaskFailure(ctx, token, name, cause)
}

// topFrame is the execution's top-level frame (the state it is in), as its snapshot holds it.
func (r *rig) topFrame(id domain.ContactID) *flow.Frame {
	r.t.Helper()
	e, ok := r.suite.Exec.Get(string(id))
	if !ok {
		r.t.Fatalf("no execution for %s", id)
	}
	return e.Snapshot().Root
}

// docs/cost.md "Fewer state transitions" 6 (contract 4): the last answer ends the checks wait with the
// decision's plan, and the machine goes straight on to the decision. An answer the workflow is told late (Step
// Functions unreachable from the API, the sweep's completer delivering it hours later) still starts the
// decision wait running to the decision's deadline, not to the deadline plus the delay: the completer counts
// the wait's seconds from the stored deadline when it sends (workflow.RatingResult.Recount, through the clock).
func TestReconcile_LastAnswerToldLate_TheDecisionWaitRunsToItsDeadline(t *testing.T) {
	r, ctx, id, asked := greenChecksAsked(t)
	if len(asked) < 2 || asked[0].Contract != workflow.Contract {
		t.Fatalf("checks %+v: want them asked under contract %d", asked, workflow.Contract)
	}
	r.failTasks()
	sweepTasks := r.suite.Sweep.Tasks
	r.suite.Sweep.Tasks = nil // nobody tells the workflow for a while
	for _, q := range asked {
		if _, err := r.suite.Actions.AnswerCheck(ctx, id, q.ID, actions.Answer{By: "agency", Summary: "known"}); err != nil {
			t.Fatalf("answer while the workflow is unreachable: %v", err)
		}
	}
	const delay = 5 * time.Hour
	r.advance(delay, 30*time.Minute)
	if path := r.path(id); path[len(path)-1] != "RequestChecks" {
		t.Fatalf("path %v: the workflow heard of the answers although it could not be told", path)
	}
	r.suite.Sweep.Tasks = sweepTasks
	r.advance(10*time.Minute, 5*time.Minute) // the sweep's completer tells the checks wait, late
	path := r.path(id)
	if i := slices.Index(path, "RequestChecks"); i < 0 || i+1 >= len(path) || path[i+1] != "AwaitDecision" || contains(path, "Replan") {
		t.Fatalf("path %v: want RequestChecks → AwaitDecision (the late answer carried the plan)", path)
	}
	c := r.contact(id)
	it, err := workflow.OpenWait(ctx, r.suite.Store, c, string(domain.TrayDecision))
	if err != nil || it == nil {
		t.Fatalf("decision wait %+v %v", it, err)
	}
	f := r.topFrame(id)
	if f.State != "AwaitDecision" || f.TokenDeadline.IsZero() {
		t.Fatalf("execution at %s (%s), want waiting in AwaitDecision", f.State, f.Phase)
	}
	if late := f.TokenDeadline.Sub(it.DueAt); late < 0 || late > time.Second {
		t.Errorf("the decision wait times out at %v, %v after the decision's deadline %v: want at the deadline (seconds counted when told)",
			f.TokenDeadline, late, it.DueAt)
	}
	if hb := f.HeartbeatDeadline; hb.After(it.DueAt) || hb.Before(r.clock.Now()) {
		t.Errorf("the decision wait's heartbeat at %v, want between now %v and the deadline %v", hb, r.clock.Now(), it.DueAt)
	}
}

// A re-rating that asks checks again while the last answer's completion is still owed (the workflow could not
// be told) finds no check open and owes nothing itself; the sweep's completer then tells the checks wait what
// the record says now (workflow.Completer.Drain: ChecksNeeded), not the plan the answer made, so the machine
// asks the new rating's checks (PlanChecks) as the replan step, reading the record after the wait, did.
func TestReconcile_ReRatedWhileTheLastAnswerWasOwed_TheNewChecksAreAsked(t *testing.T) {
	r, ctx, id, asked := greenChecksAsked(t)
	r.failTasks()
	sweepTasks := r.suite.Sweep.Tasks
	r.suite.Sweep.Tasks = nil
	for _, q := range asked {
		if _, err := r.suite.Actions.AnswerCheck(ctx, id, q.ID, actions.Answer{By: "agency", Summary: "known"}); err != nil {
			t.Fatal(err)
		}
	}
	r.advance(time.Minute, time.Minute)
	reratedAt := r.clock.Now()
	if _, err := r.suite.Actions.Rate(ctx, id, actions.Rate{Value: domain.RatingRed, Rationale: "more found", By: "manager-1",
		Agencies: []domain.Agency{domain.AgencyHousing}}); err != nil {
		t.Fatalf("re-rate while the answer is owed: %v", err)
	}
	r.suite.Sweep.Tasks = sweepTasks
	r.advance(10*time.Minute, 5*time.Minute)
	path := r.path(id)
	if i := slices.Index(path, "PlanChecks"); i < 1 || path[i-1] != "RequestChecks" || path[len(path)-1] != "RequestChecks" {
		t.Fatalf("path %v: want RequestChecks → PlanChecks → RequestChecks (the re-rating's checks)", path)
	}
	var again []domain.Agency
	for _, q := range r.openChecks(id) {
		if !q.RequestedAt.Before(reratedAt) {
			again = append(again, q.Agency)
		}
	}
	if !slices.Equal(again, []domain.Agency{domain.AgencyHousing}) {
		t.Errorf("asked %v after the re-rating, want housing (the others were answered)", again)
	}
}

// Issue #13 "A human's action can be committed while the workflow never hears of it": partner check answers
// and a decision are recorded while SendTaskSuccess fails. Each action still succeeds for the person (no
// 409 on a retry), its tray item stays open as the completion still owed, and the next sweep tells the
// workflow from the record: the checks end, the decision reaches Notify, and the contact is not escalated
// as undecided.
func TestReconcile_ActionsRecordedWhileTheWorkflowWasUnreachable(t *testing.T) {
	r := newRig(t, london(t, "2027-03-10 10:00"))
	ctx := context.Background()
	id := r.refer(ctx, canaryReferral())
	told := r.countTold()
	r.rate(ctx, id, actions.Rate{Value: domain.RatingGreen, Rationale: "needs support", By: "manager-1"})
	r.failTasks()
	checksList, err := r.suite.Store.ListChecks(ctx, id)
	if err != nil || len(checksList) == 0 {
		t.Fatalf("checks %v %v", checksList, err)
	}
	for _, ch := range checksList {
		if _, err := r.suite.Actions.AnswerCheck(ctx, id, ch.ID, actions.Answer{By: "agency-" + string(ch.Agency), Summary: "known"}); err != nil {
			t.Fatalf("answer %s while the workflow is unreachable: %v", ch.Agency, err)
		}
	}
	if st := r.contact(id).Status; st != domain.StatusChecks && st != domain.StatusAwaitingDecision {
		t.Fatalf("status %s", st)
	}
	r.advance(10*time.Minute, 5*time.Minute) // the sweep reconciles the checks
	if st := r.contact(id).Status; st != domain.StatusAwaitingDecision {
		t.Fatalf("after the sweep: status %s, want awaiting-decision", st)
	}
	r.census(ctx, id) // the screener records the codes the referral did not give (issue #16)
	c, err := r.suite.Actions.Decide(ctx, id, actions.Decide{Term: "Referral for a statutory social work assessment",
		Outcome: domain.OutcomeS17, Rationale: "child in need assessment", By: "manager-1"})
	if err != nil {
		t.Fatalf("decide while the workflow is unreachable: %v", err)
	}
	if c.Status != domain.StatusDecided {
		t.Fatalf("decision not recorded: %s", c.Status)
	}
	if _, status := r.suite.Path(id); status != flow.Running {
		t.Fatalf("the workflow heard although it was unreachable: %s", status)
	}
	// The decision and the completion it owes were one write: the completion is pending (its send failed
	// once), the decision's item has left the tray.
	cps, err := r.suite.Store.PendingCompletions(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if i := slices.IndexFunc(cps, func(cp store.Completion) bool { return cp.ContactID == id && cp.Tray == "decision" }); i < 0 ||
		!cps[i].DoneAt.IsZero() || cps[i].Attempts != 1 || cps[i].LastError == "" {
		t.Fatalf("the decision's completion: %+v, want pending after one failed send", cps)
	}
	if open, err := r.suite.Store.DueItems(ctx, "decision", r.clock.Now().Add(1000*time.Hour), 0); err != nil ||
		slices.ContainsFunc(open, func(it store.TrayItem) bool { return it.ContactID == id }) {
		t.Fatalf("the decided contact is still on the decision tray: %+v %v", open, err)
	}
	r.advance(10*time.Minute, 5*time.Minute)
	path, status := r.suite.Path(id)
	if status != flow.Succeeded || !contains(path, "Notify") || contains(path, "EscalateDecision") {
		t.Errorf("after the sweep: %s, path %v; want Notify and no escalation", status, path)
	}
	if st := r.contact(id).Status; st != domain.StatusDecided {
		t.Errorf("status went back to %s", st)
	}
	// Each action that ended a wait owed its completion in its own write (the rating's was acknowledged at
	// once): the rating, the answer that left no check open under the checks' one token (the others only
	// closed their own items), the decision; the sweep's completer delivered the others.
	r.assertCompletions(id, told, 1+1+1)
	open, err := r.suite.Store.DueItems(ctx, "decision", r.clock.Now().Add(1000*time.Hour), 0)
	if err != nil || slices.ContainsFunc(open, func(it store.TrayItem) bool { return it.ContactID == id }) {
		t.Errorf("the decision item is still open: %+v %v", open, err)
	}
}

// Issue #13 for ratings: a first rating and a re-rating are recorded while SendTaskSuccess fails. Each
// succeeds for the manager, the waits it owes stay open, and the sweep tells the workflow from the record:
// the rating's plan (partner checks asked), then the superseded checks (asked again by the re-rating's
// deadline), each audited as workflow.reconciled.
func TestReconcile_RatingAndReRatingRecordedWhileTheWorkflowWasUnreachable(t *testing.T) {
	r := newRig(t, london(t, "2027-03-10 10:00"))
	ctx := context.Background()
	id := r.refer(ctx, canaryReferral())
	told := r.countTold()
	r.failTasks()
	c, err := r.suite.Actions.Rate(ctx, id, actions.Rate{Value: domain.RatingGreen, Rationale: "needs support", By: "manager-1"})
	if err != nil {
		t.Fatalf("rate while the workflow is unreachable: %v", err)
	}
	if c.Rating == nil || c.Rating.Value != domain.RatingGreen {
		t.Fatalf("rating not recorded: %+v", c.Rating)
	}
	if qs, err := r.suite.Store.ListChecks(ctx, id); err != nil || len(qs) != 0 {
		t.Fatalf("checks asked although the workflow never heard of the rating: %v %v", qs, err)
	}
	r.advance(10*time.Minute, 5*time.Minute) // the sweep tells the workflow the rating
	first, err := r.suite.Store.ListChecks(ctx, id)
	if err != nil || len(first) == 0 {
		t.Fatalf("after the sweep no checks were asked: %v %v", first, err)
	}
	if st := r.contact(id).Status; st != domain.StatusChecks {
		t.Fatalf("after the sweep: status %s, want checks", st)
	}
	reratedAt := r.clock.Now()
	if _, err := r.suite.Actions.Rate(ctx, id, actions.Rate{Value: domain.RatingAmber, Rationale: "school reports more", By: "manager-1"}); err != nil {
		t.Fatalf("re-rate while the workflow is unreachable: %v", err)
	}
	r.advance(10*time.Minute, 5*time.Minute) // the sweep tells the checks' waits they were superseded
	all, err := r.suite.Store.ListChecks(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	again := 0
	for _, q := range all {
		if !q.RequestedAt.Before(reratedAt) {
			again++
		}
	}
	if again != len(first) {
		t.Errorf("%d checks asked again after the re-rating, want %d (%+v)", again, len(first), all)
	}
	open, err := r.suite.Store.DueItems(ctx, "checks", r.clock.Now().Add(1000*time.Hour), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range open {
		for _, q := range first {
			if it.ID == string(id)+"#checks#"+q.ID {
				t.Errorf("the superseded check %s still has its wait open", q.Agency)
			}
		}
	}
	r.assertCompletions(id, told, 1+1) // the rating, and the superseded checks' one token
	if _, status := r.suite.Path(id); status != flow.Running {
		t.Errorf("workflow %s, want running (waiting on the new checks)", status)
	}
}

// Issue #13: a decision is recorded while the workflow cannot be told, and the decision's token then times
// out before the sweep reconciles. The escalation does not tell the service manager of a decided contact,
// the re-park that lifecycle refuses (the contact is decided) keeps its item open instead of failing the
// execution into the dead letter, and the sweep then completes that wait from the record: Notify runs.
func TestReconcile_DecisionTokenTimedOutAfterTheDecisionWasRecorded(t *testing.T) {
	r := newRig(t, london(t, "2027-03-10 10:00"))
	ctx := context.Background()
	id := r.refer(ctx, canaryReferral())
	r.rate(ctx, id, actions.Rate{Value: domain.RatingGreen, Rationale: "needs support", By: "manager-1", NoChecks: true})
	if st := r.contact(id).Status; st != domain.StatusAwaitingDecision {
		t.Fatalf("status after rating: %s", st)
	}
	r.failTasks()
	sweepTasks := r.suite.Sweep.Tasks
	r.suite.Sweep.Tasks = nil // no reconciliation before the token times out
	r.census(ctx, id)         // the screener records the codes the referral did not give (issue #16)
	if _, err := r.suite.Actions.Decide(ctx, id, actions.Decide{Term: "Referral for a statutory social work assessment",
		Outcome: domain.OutcomeS17, Rationale: "child in need assessment", By: "manager-1"}); err != nil {
		t.Fatalf("decide while the workflow is unreachable: %v", err)
	}
	decidedAt := r.clock.Now()
	r.advance(8*24*time.Hour, time.Hour) // the decision's token times out into EscalateDecision and is re-parked
	path, status := r.suite.Path(id)
	if status != flow.Running || !contains(path, "EscalateDecision") || contains(path, "DeadLetter") {
		t.Fatalf("after the timeout: %s, path %v; want running, escalated, not dead-lettered", status, path)
	}
	if st := r.contact(id).Status; st != domain.StatusDecided {
		t.Fatalf("status %s, want decided", st)
	}
	evs, err := r.suite.Store.ListAudit(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		if ev.Action == "escalated" && ev.At.After(decidedAt) {
			t.Errorf("the service manager was told a decided contact is late: %+v", ev)
		}
	}
	r.suite.Sweep.Tasks = sweepTasks
	r.advance(10*time.Minute, 5*time.Minute)
	path, status = r.suite.Path(id)
	if status != flow.Succeeded || !contains(path, "Notify") {
		t.Errorf("after the sweep: %s, path %v; want Notify", status, path)
	}
	evs, err = r.suite.Store.ListAudit(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, ev := range evs {
		if ev.Action == "workflow.reconciled" {
			n++
		}
	}
	if n == 0 {
		t.Errorf("no workflow.reconciled event")
	}
	// The completion the decision owed met a wait that was over (its token had timed out): it is done, not
	// retried forever, and audited.
	if pend, err := r.suite.Store.PendingCompletions(ctx, 0); err != nil || slices.ContainsFunc(pend, func(cp store.Completion) bool { return cp.ContactID == id }) {
		t.Fatalf("the decision's completion is still pending: %+v %v", pend, err)
	}
	i := slices.IndexFunc(evs, func(ev store.AuditEvent) bool { return ev.Action == "workflow.completion-wait-over" })
	if i < 0 || evs[i].Detail["tray"] != "decision" || evs[i].Detail["code"] == "" {
		t.Fatalf("no workflow.completion-wait-over event for the decision's completion: %+v", evs)
	}
	t.Logf("the decision's completion: %s:%s", store.CompletionWaitOver, evs[i].Detail["code"])
}

// assertCompletions checks that the contact's actions owed n completions and that every one was acknowledged
// by the workflow (at once, or by the sweep's completer: told counts them, countTold), none ended as a wait
// that was over (workflow.completion-wait-over), none still pending.
func (r *rig) assertCompletions(id domain.ContactID, told *atomic.Int64, n int) {
	r.t.Helper()
	if got := told.Load(); got != int64(n) {
		r.t.Errorf("%d completions acknowledged, want %d", got, n)
	}
	evs, err := r.suite.Store.ListAudit(context.Background(), id)
	if err != nil {
		r.t.Fatal(err)
	}
	if slices.ContainsFunc(evs, func(ev store.AuditEvent) bool { return ev.Action == "workflow.completion-wait-over" }) {
		r.t.Error("a completion ended as a wait that was over, want every one acknowledged")
	}
	if pend, err := r.suite.Store.PendingCompletions(context.Background(), 0); err != nil || len(pend) != 0 {
		r.t.Errorf("completions still pending: %+v %v", pend, err)
	}
}

// Issue #13, the other half of the reconciliation: "a status waiting on a human with no open token". A
// rating is acknowledged, then the partner-checks step fails (a fault injected into its handler), so the
// execution ends in the dead letter with the contact in checks and no check asked: nobody can answer, no
// deadline fires. Within the grace (trays.DefaultStuckAfter) the sweep leaves it; after it, the sweep finds the
// status waiting on people with no open wait on record, starts the workflow again from the store (audited
// workflow.restarted), and the machine, told the rating's plan from the record, asks the agencies again.
func TestReconcile_StatusWaitingOnAPersonWithNoOpenWaitIsRestarted(t *testing.T) {
	r := newRig(t, london(t, "2027-03-10 10:00"))
	ctx := context.Background()
	id := r.refer(ctx, canaryReferral())
	h := r.suite.Handlers()
	real := h[workflow.FnPartnerChecks]
	var broken atomic.Bool
	broken.Store(true)
	h[workflow.FnPartnerChecks] = func(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
		if broken.Load() {
			return nil, &domain.Error{Code: domain.CodeInvalid, Message: "injected fault"}
		}
		return real(ctx, in)
	}
	r.rate(ctx, id, actions.Rate{Value: domain.RatingGreen, Rationale: "needs support", By: "manager-1"})
	path, status := r.suite.Path(id)
	if status != flow.Failed || !contains(path, "DeadLetter") {
		t.Fatalf("after the injected fault: %s, path %v; want the execution dead-lettered", status, path)
	}
	if qs, _ := r.suite.Store.ListChecks(ctx, id); len(qs) != 0 || r.contact(id).Status != domain.StatusChecks {
		t.Fatalf("status %s with %d checks; want checks with none asked", r.contact(id).Status, len(qs))
	}
	broken.Store(false)
	restarted := func() int {
		evs, err := r.suite.Store.ListAudit(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, ev := range evs {
			if ev.Action == "workflow.restarted" && ev.Detail["status"] == string(domain.StatusChecks) {
				n++
			}
		}
		return n
	}
	r.advance(trays.DefaultStuckAfter-5*time.Minute, 5*time.Minute)
	if n := restarted(); n != 0 {
		t.Fatalf("restarted within the grace (%d)", n)
	}
	r.advance(15*time.Minute, 5*time.Minute)
	if n := restarted(); n != 1 {
		t.Fatalf("%d workflow.restarted events after the grace, want 1", n)
	}
	qs, err := r.suite.Store.ListChecks(ctx, id)
	if err != nil || len(qs) == 0 {
		t.Fatalf("no check asked after the restart: %v %v", qs, err)
	}
	open, err := r.suite.Store.DueItems(ctx, "checks", r.clock.Now().Add(1000*time.Hour), 0)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(slices.DeleteFunc(open, func(it store.TrayItem) bool { return it.ContactID != id })); n != len(qs) {
		t.Errorf("%d open check waits, want %d", n, len(qs))
	}
	if _, status := r.suite.Path(id); status != flow.Running {
		t.Errorf("execution %s after the restart, want running (waiting on the checks)", status)
	}
	// Mended: later sweeps leave it alone.
	r.advance(time.Hour, 5*time.Minute)
	if n := restarted(); n != 1 {
		t.Errorf("%d restarts after the contact was mended, want 1", n)
	}
}

// Nothing stuck without anyone being told: a completion the completer cannot deliver (Step Functions
// unreachable for the sweep too) is counted in WorkflowCompletionsOwed once it is older than three sweeps —
// published on every run, 0 otherwise, so the alarm (template.yaml) sees data — and back to 0 once delivered.
func TestReconcile_CompletionsStillOwedAreCountedForTheAlarm(t *testing.T) {
	r := newRig(t, london(t, "2027-03-10 10:00"))
	ctx := context.Background()
	id := r.refer(ctx, canaryReferral())
	m := countMetrics{}
	r.suite.Sweep.Metrics = m
	tasks := r.failTasks()
	r.suite.Sweep.Tasks = tasks
	r.rate(ctx, id, actions.Rate{Value: domain.RatingGreen, Rationale: "needs support", By: "manager-1"})
	owed := func(at time.Duration) float64 {
		t.Helper()
		r.clock.Set(london(t, "2027-03-10 10:00").Add(at))
		if _, err := r.suite.Sweep.Run(ctx); err == nil && tasks.down.Load() {
			t.Error("the sweep did not report the completion it could not deliver")
		}
		v, ok := m[trays.MetricCompletionsOwed+"/hackney"]
		if !ok {
			t.Fatalf("%s not published: %v", trays.MetricCompletionsOwed, m)
		}
		return v
	}
	if v := owed(5 * time.Minute); v != 0 {
		t.Errorf("owed after 5 minutes: %v, want 0 (the sweep retries first)", v)
	}
	if v := owed(20 * time.Minute); v != 1 {
		t.Errorf("owed after 20 minutes: %v, want 1", v)
	}
	pend, err := r.suite.Store.PendingCompletions(ctx, 0)
	if i := slices.IndexFunc(pend, func(cp store.Completion) bool { return cp.ContactID == id }); err != nil || i < 0 || pend[i].Attempts < 3 {
		t.Fatalf("the rating's completion before Step Functions is back: %+v %v, want pending after its failed attempts", pend, err)
	}
	tasks.down.Store(false)
	if v := owed(25 * time.Minute); v != 0 {
		t.Errorf("owed once Step Functions is back: %v, want 0", v)
	}
	if pend, err := r.suite.Store.PendingCompletions(ctx, 0); err != nil || slices.ContainsFunc(pend, func(cp store.Completion) bool { return cp.ContactID == id }) {
		t.Errorf("the rating's completion is still pending once delivered: %+v %v", pend, err)
	}
	if evs, err := r.suite.Store.ListAudit(ctx, id); err != nil ||
		slices.ContainsFunc(evs, func(ev store.AuditEvent) bool { return ev.Action == "workflow.completion-wait-over" }) {
		t.Errorf("the rating's completion ended as a wait that was over (%v), want acknowledged", err)
	}
}

// Issue #13 for a closed check: a manager closes an unanswered check with a reason while SendTaskSuccess
// fails. The closure is recorded on the check (in the action's write, with the completion it owes), and the
// sweep's completer tells the workflow, so the checks end and the decision is awaited.
func TestReconcile_CheckClosedWhileTheWorkflowWasUnreachable(t *testing.T) {
	r := newRig(t, london(t, "2027-03-10 10:00"))
	ctx := context.Background()
	id := r.refer(ctx, canaryReferral())
	r.rate(ctx, id, actions.Rate{Value: domain.RatingGreen, Rationale: "needs support", By: "manager-1"})
	checksList, err := r.suite.Store.ListChecks(ctx, id)
	if err != nil || len(checksList) < 2 {
		t.Fatalf("checks %v %v", checksList, err)
	}
	for _, ch := range checksList[1:] {
		if _, err := r.suite.Actions.AnswerCheck(ctx, id, ch.ID, actions.Answer{By: "agency", NothingKnown: true}); err != nil {
			t.Fatal(err)
		}
	}
	r.failTasks()
	q, err := r.suite.Actions.CloseCheck(ctx, id, checksList[0].ID, actions.CloseCheck{Reason: "phoned: nothing known", By: "manager-1"})
	if err != nil || q.Closed == nil {
		t.Fatalf("close while the workflow is unreachable: %+v %v", q.Closed, err)
	}
	r.advance(10*time.Minute, 5*time.Minute)
	if st := r.contact(id).Status; st != domain.StatusAwaitingDecision {
		t.Fatalf("after the sweep: status %s, want awaiting-decision", st)
	}
	if path, _ := r.suite.Path(id); !contains(path, "AwaitDecision") {
		t.Errorf("the workflow did not go on to the decision: %v", path)
	}
	if q, _ := r.suite.Store.GetCheck(ctx, id, checksList[0].ID); q.Closed == nil || q.Chases != 0 {
		t.Errorf("the closed check %+v", q)
	}
}

// The policy caps the restarts of a stuck contact's workflow (workflow.restartLimit; every authority: 3,
// assumed — the seeds are silent). A contact whose partner-checks step fails every time is dead-lettered,
// found stuck and restarted after each quiet grace — three times — and is then given to a person instead of
// being restarted in a loop: audited workflow.restart-limit-reached once, its item on the dead-letter tray
// (rule workflow.restartLimit, due at once: escalated to the service manager), WorkflowRestartLimitReached
// published 1 for that reconciliation and 0 on every other (its sum is 1). Hours later it has still been
// restarted three times.
func TestPolicy_WorkflowRestartLimit_StuckContactGivenToAPersonNotRestartedInALoop(t *testing.T) {
	r := newRig(t, london(t, "2027-03-10 10:00"))
	ctx := context.Background()
	m := sumMetrics{}
	r.suite.Sweep.Metrics = m
	limit := r.suite.Policies["hackney"].Workflow.RestartLimit
	if limit.Max != 3 || !limit.Assumed || limit.Reason == "" {
		t.Fatalf("hackney's workflow.restartLimit %+v, want 3, assumed with a reason", limit)
	}
	id := r.stuckAtChecks(ctx)
	count := func(action string) int {
		evs, err := r.suite.Store.ListAudit(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return len(slices.DeleteFunc(evs, func(ev store.AuditEvent) bool { return ev.Action != action }))
	}
	given := func() (store.TrayItem, bool) {
		items, err := r.suite.Store.DueItems(ctx, trays.DeadLetter, r.clock.Now().Add(time.Hour), 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if it.ContactID == id && it.Rule == trays.RuleRestartLimit {
				return it, true
			}
		}
		return store.TrayItem{}, false
	}
	for _, step := range []struct {
		after     time.Duration
		restarts  int
		given     bool
		published float64 // the metric's sum so far
	}{
		{35 * time.Minute, 1, false, 0},
		{35 * time.Minute, 2, false, 0},
		{35 * time.Minute, 3, false, 0},
		{35 * time.Minute, 3, true, 1}, // stuck a fourth time: the limit
		{5 * time.Minute, 3, true, 1},  // the next reconciliation: given already, counted once
		{6 * time.Hour, 3, true, 1},
	} {
		r.advance(step.after, 5*time.Minute)
		if n := count("workflow.restarted"); n != step.restarts {
			t.Fatalf("after %v more: %d restarts, want %d", step.after, n, step.restarts)
		}
		it, ok := given()
		if ok != step.given {
			t.Fatalf("after %d restarts: on the dead-letter tray %v, want %v", step.restarts, ok, step.given)
		}
		if got, n := m.sum(trays.MetricRestartLimitReached + "/hackney"); got != step.published || n == 0 {
			t.Errorf("after %d restarts (given %v): %s summed %v over %d reconciliations, want %v", step.restarts, ok, trays.MetricRestartLimitReached, got, n, step.published)
		}
		if ok && (!strings.Contains(it.Note, "3 times") || count("workflow.restart-limit-reached") != 1) {
			t.Errorf("the item %+v; %d restart-limit-reached events, want 1", it, count("workflow.restart-limit-reached"))
		}
	}
}

// A restart-limit item a person closed does not silence the contact for good: stuck again past the limit, it
// is raised again — a second workflow.restart-limit-reached, a second dead-letter item (its own id, so its own
// escalation to the service manager), WorkflowRestartLimitReached counted again — but only once a whole grace
// has passed since the closure, and once per episode: while the new item is open nothing more is raised.
func TestPolicy_WorkflowRestartLimit_StuckAgainAfterTheItemIsClosed_RaisedAgainOnce(t *testing.T) {
	r := newRig(t, london(t, "2027-03-10 10:00"))
	ctx := context.Background()
	m := sumMetrics{}
	r.suite.Sweep.Metrics = m
	id := r.stuckAtChecks(ctx)
	raised := func() int {
		evs, err := r.suite.Store.ListAudit(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return len(slices.DeleteFunc(evs, func(ev store.AuditEvent) bool { return ev.Action != "workflow.restart-limit-reached" }))
	}
	item := func(episode int) (store.TrayItem, bool) {
		it, err := r.suite.Store.GetTrayItem(ctx, trays.RestartLimitItemID(id, episode))
		if domain.ErrorCode(err) == domain.CodeNotFound {
			return it, false
		}
		if err != nil {
			t.Fatal(err)
		}
		return it, true
	}
	// the service manager's escalations of the restart-limit items (an escalation's id names the tray and the
	// item's due time; the execution's own dead-letter item has its own)
	escalations := func() int {
		ns, err := r.suite.Store.ListNotifications(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for e := 1; e <= 3; e++ {
			if it, ok := item(e); ok && slices.ContainsFunc(ns, func(n store.Notification) bool {
				return n.Kind == string(domain.NoticeEscalation) && strings.HasSuffix(n.ID, "#"+trays.DeadLetter+"#overdue#"+it.DueAt.UTC().Format(time.RFC3339))
			}) {
				n++
			}
		}
		return n
	}
	r.advance(4*35*time.Minute, 5*time.Minute) // three restarts, then the limit
	first, ok := item(1)
	if !ok || raised() != 1 || escalations() != 1 {
		t.Fatalf("after the restarts: item %v, %d raised, %d escalations; want the first item, 1, 1", ok, raised(), escalations())
	}
	r.advance(2*time.Hour, 5*time.Minute) // still stuck, its item open: a person has it
	if _, ok := item(2); ok || raised() != 1 {
		t.Fatalf("raised again while the first item is open: %d", raised())
	}
	if _, err := r.suite.Store.CompleteTrayItem(ctx, first.ID, "service-manager"); err != nil { // closed, not mended
		t.Fatal(err)
	}
	r.advance(20*time.Minute, 5*time.Minute) // less than a grace since the closure
	if _, ok := item(2); ok || raised() != 1 {
		t.Fatalf("raised again %d times within a grace of the closure", raised())
	}
	r.advance(20*time.Minute, 5*time.Minute)
	second, ok := item(2)
	if !ok || second.CompletedAt.IsZero() == false || second.Rule != trays.RuleRestartLimit || raised() != 2 || escalations() != 2 {
		t.Fatalf("stuck again after the closure: item %+v (%v), %d raised, %d escalations; want a second open item, 2, 2", second, ok, raised(), escalations())
	}
	if got, _ := m.sum(trays.MetricRestartLimitReached + "/hackney"); got != 2 {
		t.Errorf("%s summed %v, want 2 (once per episode)", trays.MetricRestartLimitReached, got)
	}
	r.advance(6*time.Hour, 5*time.Minute)
	if _, ok := item(3); ok || raised() != 2 || escalations() != 2 {
		t.Errorf("hours later with the second item open: %d raised, %d escalations, want 2, 2", raised(), escalations())
	}
	evs, _ := r.suite.Store.ListAudit(ctx, id)
	restarts := len(slices.DeleteFunc(evs, func(ev store.AuditEvent) bool { return ev.Action != "workflow.restarted" }))
	if restarts != r.suite.Policies["hackney"].Workflow.RestartLimit.Max {
		t.Errorf("%d restarts, want the limit %d: never restarted past it", restarts, r.suite.Policies["hackney"].Workflow.RestartLimit.Max)
	}
}

// stuckAtChecks is a referral rated Green whose partner-checks step fails every time: its execution is
// dead-lettered and the contact waits on its checks with no open wait, so the sweep finds it stuck.
func (r *rig) stuckAtChecks(ctx context.Context) domain.ContactID {
	r.t.Helper()
	res, err := r.suite.Intake.CreateReferral(ctx, "hackney", canaryReferral(), "")
	if err != nil {
		r.t.Fatal(err)
	}
	id := res[0].ContactID
	r.suite.Handlers()[workflow.FnPartnerChecks] = func(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
		return nil, &domain.Error{Code: domain.CodeInvalid, Message: "injected fault, every time"}
	}
	if _, err := r.suite.Actions.Rate(ctx, id, actions.Rate{Value: domain.RatingGreen, Rationale: "needs support", By: "manager-1"}); err != nil {
		r.t.Fatal(err)
	}
	return id
}

// sumMetrics adds up what the sweep publishes, and counts how often.
type sumMetrics map[string][]float64

func (m sumMetrics) Put(_ context.Context, name string, a domain.AuthorityID, v float64) error {
	m[name+"/"+string(a)] = append(m[name+"/"+string(a)], v)
	return nil
}

func (m sumMetrics) sum(key string) (float64, int) {
	t := 0.0
	for _, v := range m[key] {
		t += v
	}
	return t, len(m[key])
}

// greenChecksAsked is a contact rated Green whose partner checks have been asked (the checks still open).
func greenChecksAsked(t *testing.T) (*rig, context.Context, domain.ContactID, []store.CheckRequest) {
	t.Helper()
	r := newRig(t, london(t, "2027-03-10 10:00"))
	ctx := context.Background()
	id := r.refer(ctx, canaryReferral())
	r.rate(ctx, id, actions.Rate{Value: domain.RatingGreen, Rationale: "needs support", By: "manager-1"})
	return r, ctx, id, r.openChecks(id)
}
