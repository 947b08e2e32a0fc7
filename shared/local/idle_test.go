package local

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/store/embedded"
)

// spell spells n in lower-case letters (names keep only letters in the identity key).
func spell(n int) string {
	var b []byte
	for n++; n > 0; n /= 26 {
		b = append(b, byte('a'+n%26))
	}
	return string(b)
}

// waiting puts n new contacts through intake to the rating wait (each a different child).
func waiting(tb testing.TB, s *Suite, from, n int) {
	tb.Helper()
	ctx := context.Background()
	for i := from; i < from+n; i++ {
		ref := canaryReferral()
		ref.Children[0].GivenName = "Idle"
		ref.Children[0].FamilyName = "Waiting" + spell(i)
		ref.Children[0].DateOfBirth = domain.Date{Y: 2010 + i%12, M: 1 + i%12, D: 1 + i%28}
		ref.Concerns = fmt.Sprintf("%s (contact %d)", ref.Concerns, i)
		res, err := s.Intake.CreateReferral(ctx, "hackney", ref, "")
		if err != nil {
			tb.Fatal(err)
		}
		if c, err := s.Store.GetContact(ctx, res[0].ContactID); err != nil || c.Status != domain.StatusAwaitingRating {
			tb.Fatalf("contact %d: %v %v, want awaiting-rating", i, c.Status, err)
		}
	}
}

// rowsRead is what the store's reads (items and execution snapshots) have returned so far.
func (r *rig) rowsRead() int64 { return r.suite.Store.(*embedded.Store).Stats().RowsRead }

// Issue #19 "idle cost flat": a tick of `mash run` with nothing due reads the same rows whether 3 or 60
// contacts wait on a person: due executions come from the executions table's due index (ResumeAll used to
// read and decode every snapshot on every tick), the sweep's trays from their due-time indexes. The
// reconciliation, which reads every open wait, runs once per ReconcileEvery, not per tick.
func TestIdle_TickReadsTheSameRowsWhateverWaits(t *testing.T) {
	perTick := func(n int) (int64, int64) {
		r := newRig(t, london(t, "2027-03-10 10:00"))
		waiting(t, r.suite, 0, n)
		ctx := context.Background()
		r.clock.Advance(time.Second)
		before := r.rowsRead()
		if err := r.suite.Tick(ctx); err != nil { // reconciles (the first tick does)
			t.Fatal(err)
		}
		reconciling := r.rowsRead() - before
		var rows []int64
		for range 3 {
			r.clock.Advance(time.Second)
			before := r.rowsRead()
			if err := r.suite.Tick(ctx); err != nil {
				t.Fatal(err)
			}
			rows = append(rows, r.rowsRead()-before)
		}
		if rows[0] != rows[1] || rows[1] != rows[2] {
			t.Errorf("%d waiting: rows read per tick %v, want the same each tick", n, rows)
		}
		return rows[0], reconciling
	}
	few, fewRec := perTick(3)
	many, manyRec := perTick(60)
	t.Logf("rows read per idle tick: %d with 3 waiting, %d with 60; by the reconciling tick %d and %d", few, many, fewRec, manyRec)
	if manyRec <= fewRec {
		t.Errorf("the reconciling tick read %d rows with 60 waiting, %d with 3: the count does not see the reads", manyRec, fewRec)
	}
	if few != many {
		t.Errorf("an idle tick reads %d rows with 3 contacts waiting and %d with 60: it grows with what waits", few, many)
	}
}

// The due index runs a Wait when it falls due, and not before: the rating wait's timeout (a token deadline)
// fires on the tick at its time, as it did when every snapshot was read.
func TestIdle_DueIndexRunsWhatFallsDue(t *testing.T) {
	r := newRig(t, london(t, "2027-03-10 10:00"))
	waiting(t, r.suite, 0, 1)
	ctx := context.Background()
	ids, err := r.suite.execs.Table.Due(ctx, r.clock.Now())
	if err != nil || len(ids) != 0 {
		t.Fatalf("due now: %v %v, want none", ids, err)
	}
	due, ok := r.suite.Exec.NextDue()
	if !ok {
		t.Fatal("the rating wait has no deadline")
	}
	if ids, _ := r.suite.execs.Table.Due(ctx, due.Add(-time.Nanosecond)); len(ids) != 0 {
		t.Fatalf("due a nanosecond early: %v", ids)
	}
	if ids, _ := r.suite.execs.Table.Due(ctx, due); len(ids) != 1 {
		t.Fatalf("due at its time: %v, want the one execution", ids)
	}
}

// BenchmarkIdleTick is `mash run`'s idle cost with 10 and with 10,000 contacts waiting on a person, in the
// same run (issue #19: flat, < 1% of a core at 10,000 waiting with a 1 s tick). For each size: "tick" is one
// tick (1 s of the clock) with nothing due and the reconciliation not due; "reconcile" is one run of the
// sweep's reconciliation, which reads every open wait and which the runner does every ReconcileEvery (300
// ticks). The reconcile result reports the share of a core both take together at a 1 s tick, and each
// result its ratio to the 10-waiting one. Setting up 10,000 contacts takes a while: run it alone
// (-bench IdleTick).
func BenchmarkIdleTick(b *testing.B) {
	per := map[string]float64{}
	for _, n := range []int{10, 10000} {
		r := newRig(b, london(b, "2027-03-10 10:00"))
		waiting(b, r.suite, 0, n)
		ctx := context.Background()
		ratio := func(b *testing.B, what string) {
			per[fmt.Sprint(what, n)] = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			if n != 10 && per[fmt.Sprint(what, 10)] > 0 {
				b.ReportMetric(per[fmt.Sprint(what, n)]/per[fmt.Sprint(what, 10)], "×waiting=10")
			}
		}
		b.Run(fmt.Sprintf("waiting=%d/tick", n), func(b *testing.B) {
			for b.Loop() {
				r.clock.Advance(time.Second)
				r.suite.reconciled = r.clock.Now() // not due: measured on its own below
				if err := r.suite.Tick(ctx); err != nil {
					b.Fatal(err)
				}
			}
			ratio(b, "tick")
		})
		b.Run(fmt.Sprintf("waiting=%d/reconcile", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := r.suite.Sweep.Reconcile(ctx); err != nil {
					b.Fatal(err)
				}
			}
			ratio(b, "reconcile")
			perSecond := per[fmt.Sprint("tick", n)] + per[fmt.Sprint("reconcile", n)]/ReconcileEvery.Seconds()
			b.ReportMetric(perSecond/1e9*100, "%core")
		})
	}
}

// Issue #19 "the maildrop uses both cores": a scan ingests files on several workers at once, every file gets
// its own result in name order, and the bad ones (garbled MIME, a virus verdict: quarantined) stop none of
// the others. Each contact reaches its first wait.
func TestMaildrop_WorkersIngestEveryFileWhateverTheOthersDo(t *testing.T) {
	r := newRig(t, london(t, "2027-03-10 10:00"))
	inbox := filepath.Join(r.dir, "inbox")
	if err := os.MkdirAll(inbox, 0o700); err != nil {
		t.Fatal(err)
	}
	files := []string{"canary-referral.eml", "garbled-mime.eml", "gp-letter-pdf.eml", "household-three-children.eml",
		"housing-html-only.eml", "virus-flagged.eml", "prevent-concern.eml", "school-dsl-referral.eml"}
	for i, f := range files {
		b, err := os.ReadFile(filepath.Join("..", "..", "events", "email", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(inbox, fmt.Sprintf("%02d-%s", i, f)), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	out, err := Maildrop{Dir: inbox, Authority: "hackney", Intake: r.suite.Intake, Workers: 3}.Scan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(files) {
		t.Fatalf("%d results for %d files", len(out), len(files))
	}
	quarantined := 0
	for i, fr := range out {
		if want := fmt.Sprintf("%02d-%s", i, files[i]); fr.File != want || fr.Err != nil || len(fr.Results) == 0 {
			t.Errorf("result %d: %s err=%v results=%d, want %s ingested", i, fr.File, fr.Err, len(fr.Results), want)
			continue
		}
		for _, res := range fr.Results {
			if res.Status == intake.StatusQuarantined {
				quarantined++
				continue
			}
			if st := r.contact(res.ContactID).Status; st == domain.StatusReceived {
				t.Errorf("%s: contact left in received", fr.File)
			}
		}
	}
	if quarantined != 2 {
		t.Errorf("%d quarantined, want the garbled and the virus-flagged", quarantined)
	}
	if left, _ := filepath.Glob(filepath.Join(inbox, "*.eml")); len(left) != 0 {
		t.Errorf("left in the maildrop: %v", left)
	}
}
