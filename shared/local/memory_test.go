package local

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/actions"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/flow"
)

// decided takes a new Hackney referral through to its decision on the suite (rated with no checks needed,
// decided with no further action): its execution ends at Notify.
func (r *rig) decided(ctx context.Context, n int) domain.ContactID {
	r.t.Helper()
	ref := canaryReferral()
	ref.Children[0].GivenName = fmt.Sprintf("Kid%d", n)
	res, err := r.suite.Intake.CreateReferral(ctx, "hackney", ref, "")
	if err != nil {
		r.t.Fatal(err)
	}
	id := res[0].ContactID
	if _, err := r.suite.Actions.Rate(ctx, id, actions.Rate{Value: domain.RatingGreen, Rationale: "low", By: "mgr", NoChecks: true}); err != nil {
		r.t.Fatal(err)
	}
	r.census(ctx, id)
	if _, err := r.suite.Actions.Decide(ctx, id, actions.Decide{Outcome: domain.OutcomeNFA, Rationale: "no concerns", By: "mgr"}); err != nil {
		r.t.Fatal(err)
	}
	return id
}

// `mash run` is a long-running process: it holds in memory only the executions still running. An execution
// that has ended is let go once its last snapshot is saved (flow.Options.DropEnded), so what it holds stays
// flat however many contacts it has seen; an ended one is still read back from the table when asked for
// (its path and status, as `mash run` prints them).
func TestMashRun_EndedExecutionsAreLetGo_MemoryFlat(t *testing.T) {
	r := newRig(t, london(t, "2027-03-10 10:00"))
	ctx := context.Background()
	waiting, err := r.suite.Intake.CreateReferral(ctx, "hackney", canaryReferral(), "") // left on the rating tray
	if err != nil {
		t.Fatal(err)
	}
	var ids []domain.ContactID
	for round, n := range []int{20, 40} {
		for len(ids) < n {
			ids = append(ids, r.decided(ctx, len(ids)))
		}
		r.advance(time.Minute, time.Minute)
		if held := r.suite.Exec.Held(); held != 1 {
			t.Errorf("round %d: after %d contacts decided and one waiting, %d executions held; want 1 (the waiting one)", round+1, len(ids), held)
		}
	}
	path, status := r.suite.Path(ids[0])
	if status != flow.Succeeded || len(path) == 0 || path[len(path)-1] != "Notify" {
		t.Errorf("an ended execution read back: %v %s, want its path to Notify, SUCCEEDED", path, status)
	}
	if e, ok := r.suite.Exec.Get(string(waiting[0].ContactID)); !ok || e.Status() != flow.Running || len(e.Tokens()) != 1 {
		t.Errorf("the waiting execution: held %v", ok)
	}
}

// A unit of work that fails — a step's error, or a commit that does not happen — leaves the database at the
// last committed step; the executor's copy of every execution the unit wrote is read back from it, so memory
// is never ahead of the database: the rating whose unit failed can be recorded again, and the execution
// carries on from the wait it really is at.
func TestMashRun_FailedUnitOfWork_ReloadsTheExecutionFromTheDatabase(t *testing.T) {
	r := newRig(t, london(t, "2027-03-10 10:00"))
	ctx := context.Background()
	res, err := r.suite.Intake.CreateReferral(ctx, "hackney", canaryReferral(), "")
	if err != nil {
		t.Fatal(err)
	}
	id := res[0].ContactID
	e, ok := r.suite.Exec.Get(string(id))
	if !ok {
		t.Fatal("no execution")
	}
	before := e.Tokens()
	if len(before) != 1 {
		t.Fatalf("waiting on %v, want the rating", before)
	}
	failed := errors.New("the commit failed")
	err = r.suite.inTx(ctx, func(ctx context.Context) error {
		if _, err := r.suite.Actions.Rate(ctx, id, actions.Rate{Value: domain.RatingGreen, Rationale: "low", By: "mgr", NoChecks: true}); err != nil {
			return err
		}
		if e, _ := r.suite.Exec.Get(string(id)); maps.Equal(e.Tokens(), before) {
			t.Error("inside the unit the execution did not move on: the test proves nothing")
		}
		return failed // rolled back: the rating, the tray's completion and the snapshot
	})
	if !errors.Is(err, failed) {
		t.Fatalf("unit: %v", err)
	}
	if c := r.contact(id); c.Status != domain.StatusAwaitingRating {
		t.Fatalf("after the rollback the contact is %s", c.Status)
	}
	e, ok = r.suite.Exec.Get(string(id))
	if !ok || e.Status() != flow.Running || !maps.Equal(e.Tokens(), before) {
		t.Fatalf("in memory after the rollback: held %v, waiting on %v; want the database's wait %v", ok, e.Tokens(), before)
	}
	snap, err := r.suite.execs.Load(ctx, e.ID())
	if err != nil {
		t.Fatal(err)
	}
	var dbTokens []string
	var walk func(f *flow.Frame)
	walk = func(f *flow.Frame) {
		if f == nil {
			return
		}
		if f.Phase == "token" {
			dbTokens = append(dbTokens, f.Token)
		}
		for _, c := range f.Children {
			walk(c)
		}
	}
	walk(snap.Root)
	if !slices.Equal(dbTokens, slices.Collect(maps.Values(before))) {
		t.Errorf("the database's snapshot waits on %v, memory on %v", dbTokens, before)
	}
	if _, err := r.suite.Actions.Rate(ctx, id, actions.Rate{Value: domain.RatingGreen, Rationale: "low", By: "mgr", NoChecks: true}); err != nil {
		t.Fatalf("the rating again: %v", err)
	}
	r.census(ctx, id)
	if _, err := r.suite.Actions.Decide(ctx, id, actions.Decide{Outcome: domain.OutcomeNFA, Rationale: "no concerns", By: "mgr"}); err != nil {
		t.Fatal(err)
	}
	r.advance(time.Minute, time.Minute)
	if _, status := r.suite.Path(id); status != flow.Succeeded {
		t.Errorf("execution %s after the rating again and the decision, want SUCCEEDED", status)
	}
}

// BenchmarkMashRun_MemoryAcrossContacts decides b.N contacts on one suite, as a long-running `mash run` does,
// and reports what it holds afterwards: executions in memory ("held", the one left waiting) and the live heap
// after a collection ("heap-MB"). Run at two sizes (-benchtime 200x, 800x): flat means the same at both.
// The rig keeps every log line in memory for the tests' PII checks (`mash run` writes them to stderr and keeps
// none): that buffer — ≈ 1.3 KB of JSON lines per decided contact, the "1.6 KB per contact" issue #19's
// measurement saw grow — is let go before the heap is measured, so the figure is the runner's own.
func BenchmarkMashRun_MemoryAcrossContacts(b *testing.B) {
	r := newRig(b, london(b, "2027-03-10 10:00"))
	ctx := context.Background()
	if _, err := r.suite.Intake.CreateReferral(ctx, "hackney", canaryReferral(), ""); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		r.decided(ctx, i)
	}
	r.advance(time.Minute, time.Minute)
	b.ReportMetric(float64(r.logs.Len())/1024/float64(max(b.N, 1)), "log-KB/contact")
	*r.logs = bytes.Buffer{}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(r.suite.Exec.Held()), "held")
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MB")
}
