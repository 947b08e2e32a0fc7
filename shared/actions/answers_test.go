package actions_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/safeguarding/mash/shared/actions"
	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/internal/steptest"
	"github.com/safeguarding/mash/shared/local"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/dynamo"
	"github.com/safeguarding/mash/shared/store/dynamo/wire"
	"github.com/safeguarding/mash/shared/testenv"
	"github.com/safeguarding/mash/shared/trays"
	"github.com/safeguarding/mash/shared/workflow"
)

// ddb is DynamoDB Local, started by the first test that needs it and stopped after the package's tests.
var ddb struct {
	once sync.Once
	p    *testenv.Process
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if ddb.p != nil {
		ddb.p.Stop()
	}
	os.Exit(code)
}

var tableSeq atomic.Int64

// dynamoSuite is the local suite over the functions' DynamoDB adapter (wire) against DynamoDB Local.
func dynamoSuite(t *testing.T, at string) (*local.Suite, *clock.FakeClock) {
	t.Helper()
	ddb.once.Do(func() { ddb.p, ddb.err = testenv.StartDynamoDBLocal() })
	if ddb.err != nil {
		t.Fatal(ddb.err)
	}
	ctx := context.Background()
	client, err := dynamo.NewClient(ctx, ddb.p.Endpoint, nil)
	if err != nil {
		t.Fatal(err)
	}
	table := fmt.Sprintf("mash-answers-%d", tableSeq.Add(1))
	if err := dynamo.CreateTable(ctx, client, table); err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFakeClock(steptest.London(t, at))
	st := wire.New(aws.Config{Region: dynamo.Region, BaseEndpoint: aws.String(ddb.p.Endpoint), HTTPClient: &http.Client{},
		Credentials: credentials.NewStaticCredentialsProvider("local", "local", "")}, table, clk.Now)
	dir := t.TempDir()
	s, err := local.New(ctx, local.Options{Dir: dir, OutboxDir: filepath.Join(dir, "outbox"), Store: st, Clock: clk,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), ConsoleURL: "http://localhost:8080"})
	if err != nil {
		t.Fatal(err)
	}
	return s, clk
}

// stores are the two rigs the races run on: the embedded store and DynamoDB Local.
var stores = []struct {
	name string
	new  func(t *testing.T, at string) (*local.Suite, *clock.FakeClock)
}{{"embedded", suite}, {"DynamoDB Local", dynamoSuite}}

// inChecks is a Hackney contact rated Green: its partner checks asked under one token, every one open.
func inChecks(t *testing.T, s *local.Suite) (domain.ContactID, []store.CheckRequest) {
	t.Helper()
	ctx := context.Background()
	id := referral(t, s, "hackney")
	if _, err := s.Actions.Rate(ctx, id, actions.Rate{Value: domain.RatingGreen, Rationale: "low", By: "m"}); err != nil {
		t.Fatal(err)
	}
	reqs, err := s.Store.ListChecks(ctx, id)
	if err != nil || len(reqs) < 3 {
		t.Fatalf("checks %v %v, want three or more", reqs, err)
	}
	return id, reqs
}

// An answer that leaves other checks open and sets nothing on the contact writes no contact: its version and
// time of update are as they were, while the check is answered, off the checks tray, and its event on the
// trail. The last answer rewrites it (awaiting its decision).
func TestAnswer_LeavingChecksOpen_WritesNoContact(t *testing.T) {
	for _, rig := range stores {
		t.Run(rig.name, func(t *testing.T) {
			s, clk := rig.new(t, "2027-03-10 10:00")
			ctx := context.Background()
			id, reqs := inChecks(t, s)
			before, err := s.Store.GetContact(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			for i, q := range reqs[:len(reqs)-1] {
				clk.Advance(time.Minute)
				got, err := s.Actions.AnswerCheck(ctx, id, q.ID, actions.Answer{By: "agency-" + fmt.Sprint(i), Summary: "nothing known"})
				if err != nil {
					t.Fatal(err)
				}
				c, err := s.Store.GetContact(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if c.Version != before.Version || !c.UpdatedAt.Equal(before.UpdatedAt) || c.Status != domain.StatusChecks {
					t.Fatalf("after answer %d: contact version %d updated %v status %s, want %d, %v, checks (not rewritten)",
						i+1, c.Version, c.UpdatedAt, c.Status, before.Version, before.UpdatedAt)
				}
				stored, err := s.Store.GetCheck(ctx, id, q.ID)
				if err != nil || stored.Answer == nil || stored.Version != got.Version {
					t.Fatalf("check %s: %+v %v, want answered at version %d", q.ID, stored.Answer, err, got.Version)
				}
				if openItem(t, s, actions.CheckItemID(id, q.ID)) {
					t.Fatalf("check %s still on the checks tray", q.ID)
				}
			}
			if n := count(t, s, id, "check.answered"); n != len(reqs)-1 {
				t.Fatalf("%d check.answered events, want %d", n, len(reqs)-1)
			}
			if _, err := s.Actions.AnswerCheck(ctx, id, reqs[len(reqs)-1].ID, actions.Answer{By: "agency-last", Summary: "nothing known"}); err != nil {
				t.Fatal(err)
			}
			c, err := s.Store.GetContact(ctx, id)
			if err != nil || c.Version != before.Version+1 || c.Status != domain.StatusAwaitingDecision {
				t.Fatalf("after the last answer: version %d status %s (%v), want %d, awaiting its decision", c.Version, c.Status, err, before.Version+1)
			}
		})
	}
}

// An answer that sets something on the contact still rewrites it in its own write: a raised risk (its
// re-rating clock, Hackney §5) and a police answer's restricted records (the contact's restricted notice).
func TestAnswer_SettingSomethingOnTheContact_StillRewritesIt(t *testing.T) {
	s, _ := suite(t, "2027-03-10 10:00")
	ctx := context.Background()
	id, reqs := inChecks(t, s)
	before, err := s.Store.GetContact(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	police, other := -1, -1
	for i, q := range reqs {
		if q.Agency == domain.AgencyPolice {
			police = i
		} else if other < 0 {
			other = i
		}
	}
	if police < 0 || other < 0 {
		t.Fatalf("checks %v: want the police's and another agency's", reqs)
	}
	if _, err := s.Actions.AnswerCheck(ctx, id, reqs[other].ID, actions.Answer{By: "hv", Summary: "recent violence", RiskHigher: true}); err != nil {
		t.Fatal(err)
	}
	c, err := s.Store.GetContact(ctx, id)
	if err != nil || c.Version != before.Version+1 || c.Deadlines[policy.RuleRerateRaisedRisk].IsZero() {
		t.Fatalf("after a raised risk: version %d deadlines %v (%v), want %d with its re-rating clock", c.Version, c.Deadlines, err, before.Version+1)
	}
	if _, err := s.Actions.AnswerCheck(ctx, id, reqs[police].ID, actions.Answer{By: "pc", Summary: "one record",
		Restricted: []store.RestrictedRecord{{Source: "police", Classification: "intelligence", Text: "known to police", RecordedBy: "pc"}}}); err != nil {
		t.Fatal(err)
	}
	c2, err := s.Store.GetContact(ctx, id)
	if err != nil || c2.Version != c.Version+1 || c2.Restricted == nil || c2.Restricted.Records != 1 {
		t.Fatalf("after restricted records: version %d restricted %+v (%v), want %d with one record counted", c2.Version, c2.Restricted, err, c.Version+1)
	}
}

// interleaved is a store whose ListChecks calls meet in pairs, so that two actions running at once take each
// step together (the n-th call of each in the n-th pair). A pair's mode says how they meet: readThenMeet —
// both have read before either goes on (both read the checks before either writes); meetThenRead — both have
// arrived before either reads (both have committed before either reads again); stop — both arrive and both
// fail, as functions that stop after their commit. Calls past the pairs go straight through. The meeting is a
// barrier of two: neither goes on before both have arrived, whichever of them counted its call first (a call
// counted first may arrive second: a loaded machine deschedules it between its count and its read).
type interleaved struct {
	store.Store
	modes   []meet
	mu      sync.Mutex
	calls   int
	gates   []chan struct{}
	arrived []int
}

type meet int

const (
	readThenMeet meet = iota
	meetThenRead
	stop
)

var errFunctionStopped = errors.New("the function stopped after its commit")

func newInterleaved(st store.Store, modes ...meet) *interleaved {
	s := &interleaved{Store: st, modes: modes, arrived: make([]int, len(modes))}
	for range modes {
		s.gates = append(s.gates, make(chan struct{}))
	}
	return s
}

func (s *interleaved) meet(pair int) error {
	s.mu.Lock()
	s.arrived[pair]++
	if s.arrived[pair] == 2 {
		close(s.gates[pair])
	}
	s.mu.Unlock()
	select {
	case <-s.gates[pair]:
		return nil
	case <-time.After(20 * time.Second):
		return errors.New("the other action never came to the same step")
	}
}

func (s *interleaved) ListChecks(ctx context.Context, id domain.ContactID) ([]store.CheckRequest, error) {
	s.mu.Lock()
	s.calls++
	n := s.calls
	s.mu.Unlock()
	pair := (n - 1) / 2
	if pair >= len(s.modes) {
		return s.Store.ListChecks(ctx, id)
	}
	switch s.modes[pair] {
	case readThenMeet:
		reqs, err := s.Store.ListChecks(ctx, id)
		if merr := s.meet(pair); merr != nil {
			return nil, merr
		}
		return reqs, err
	case meetThenRead:
		if err := s.meet(pair); err != nil {
			return nil, err
		}
		return s.Store.ListChecks(ctx, id)
	default:
		if err := s.meet(pair); err != nil {
			return nil, err
		}
		return nil, errFunctionStopped
	}
}

// answerTheLastTwoAtOnce answers every check but the last two, then the last two at once over st (two
// agencies' requests in the same instant), and returns their errors.
func answerTheLastTwoAtOnce(t *testing.T, s *local.Suite, id domain.ContactID, reqs []store.CheckRequest, st store.Store) [2]error {
	t.Helper()
	ctx := context.Background()
	for _, q := range reqs[:len(reqs)-2] {
		if _, err := s.Actions.AnswerCheck(ctx, id, q.ID, actions.Answer{By: "agency", Summary: "nothing known"}); err != nil {
			t.Fatal(err)
		}
	}
	a := s.Actions
	a.Store = st
	var errs [2]error
	var wg sync.WaitGroup
	for i, q := range reqs[len(reqs)-2:] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = a.AnswerCheck(ctx, id, q.ID, actions.Answer{By: "agency-" + string(q.Agency), Summary: "nothing known"})
		}()
	}
	wg.Wait()
	return errs
}

// count is how many events of action the contact's trail holds.
func count(t *testing.T, s *local.Suite, id domain.ContactID, action string) int {
	t.Helper()
	evs, err := s.Store.ListAudit(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, ev := range evs {
		if ev.Action == action {
			n++
		}
	}
	return n
}

// endedOnce checks the checks wait was ended exactly once: one completion among the checks' records, one
// ActionChecksWaitEnded event, the contact awaiting its decision with the decision's wait started (the workflow
// told), and the decision taken.
func endedOnce(t *testing.T, s *local.Suite, id domain.ContactID) {
	t.Helper()
	ctx := context.Background()
	reqs, err := s.Store.ListChecks(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	completions := 0
	for _, q := range reqs {
		if q.Open() {
			t.Errorf("check %s still open", q.ID)
		}
		if _, completion, _ := q.KeptItem(); completion {
			completions++
		}
	}
	if completions != 1 {
		t.Errorf("%d completions kept on the checks' records, want exactly one", completions)
	}
	if n := count(t, s, id, workflow.ActionChecksWaitEnded); n != 1 {
		t.Errorf("%d %s events, want one", n, workflow.ActionChecksWaitEnded)
	}
	c, err := s.Store.GetContact(ctx, id)
	if err != nil || c.Status != domain.StatusAwaitingDecision {
		t.Fatalf("contact %v (%v), want awaiting its decision", c.Status, err)
	}
	w, err := workflow.OpenWait(ctx, s.Store, c, string(domain.TrayDecision))
	if err != nil || w == nil || w.TaskToken == "" {
		t.Fatalf("decision wait %+v (%v): the workflow was not told the checks ended", w, err)
	}
	if _, err := s.Actions.Census(ctx, id, actions.Census{Source: "2A", Gender: "1", Ethnicity: "NOBT", By: "m"}); err != nil {
		t.Fatal(err)
	}
	if c, err := s.Actions.Decide(ctx, id, actions.Decide{Outcome: domain.OutcomeS17, Rationale: "assessment", By: "m"}); err != nil || c.Status != domain.StatusDecided {
		t.Fatalf("decision: %v %v", c, err)
	}
}

// Two answers to the last two open checks written at once (both read the checks before either writes, so each
// finds the other's check open and neither ends the checks wait) end the wait exactly once: after its commit
// each reads the checks again (here both after both commits), finds none open and no completion, and mends;
// the two menders read before either writes too, and the contact's version makes one win, the other read
// again and stop. One completion, one audit event of the mend, the contact awaiting its decision, the machine
// on to the decision.
func TestAnswers_LastTwoWrittenAtOnce_EndTheChecksWaitExactlyOnce(t *testing.T) {
	for _, rig := range stores {
		t.Run(rig.name, func(t *testing.T) {
			s, _ := rig.new(t, "2027-03-10 10:00")
			id, reqs := inChecks(t, s)
			st := newInterleaved(s.Store, readThenMeet, meetThenRead, readThenMeet)
			for i, err := range answerTheLastTwoAtOnce(t, s, id, reqs, st) {
				if err != nil {
					t.Fatalf("answer %d: %v", i, err)
				}
			}
			if st.calls != 7 {
				t.Fatalf("%d reads of the checks, want 7: the two answers', their two reads after their commits, the two menders', and the "+
					"loser's read again after the version check refused its write", st.calls)
			}
			if n := count(t, s, id, "check.answered"); n != len(reqs) {
				t.Fatalf("%d check.answered events, want %d", n, len(reqs))
			}
			endedOnce(t, s, id)
		})
	}
}

// The same race, the two answering functions stopping after their commits (before either reads the checks
// again): the contact is left in its checks, every check answered and no completion, the machine waiting on
// the checks' token. The SLA sweep's reconciliation finds it once it has been quiet for its grace and ends the
// wait as the last answer would have (not restarting the contact, whose execution still waits), once.
func TestSweep_AnsweringFunctionsStoppedAfterTheirCommits_EndsTheChecksWait(t *testing.T) {
	for _, rig := range stores {
		t.Run(rig.name, func(t *testing.T) {
			s, clk := rig.new(t, "2027-03-10 10:00")
			ctx := context.Background()
			id, reqs := inChecks(t, s)
			st := newInterleaved(s.Store, readThenMeet, stop)
			for i, err := range answerTheLastTwoAtOnce(t, s, id, reqs, st) {
				if err != nil {
					t.Fatalf("answer %d: %v (a failed read after the commit loses nothing)", i, err)
				}
			}
			c, err := s.Store.GetContact(ctx, id)
			if err != nil || c.Status != domain.StatusChecks || count(t, s, id, workflow.ActionChecksWaitEnded) != 0 {
				t.Fatalf("after the stopped answers: %v (%v), want left in its checks, nothing mended", c.Status, err)
			}
			// Within its grace: left alone.
			clk.Advance(trays.DefaultStuckAfter / 2)
			if _, err := s.Sweep.Reconcile(ctx); err != nil {
				t.Fatal(err)
			}
			if c, _ := s.Store.GetContact(ctx, id); c.Status != domain.StatusChecks {
				t.Fatalf("mended within the grace: %s", c.Status)
			}
			clk.Advance(trays.DefaultStuckAfter)
			n, err := s.Sweep.Reconcile(ctx)
			if err != nil || n != 1 {
				t.Fatalf("reconciliation: %d mended (%v), want 1", n, err)
			}
			if count(t, s, id, "workflow.restarted") != 0 {
				t.Fatal("the contact was restarted, not its checks wait ended")
			}
			if n, err := s.Sweep.Reconcile(ctx); err != nil || n != 0 {
				t.Fatalf("second reconciliation: %d (%v), want nothing more", n, err)
			}
			endedOnce(t, s, id)
		})
	}
}

// afterRead is a store that runs then once, right after its first read of the checks: what other changes
// commit between an answer's read and its write.
type afterRead struct {
	store.Store
	then func()
	once sync.Once
}

func (s *afterRead) ListChecks(ctx context.Context, id domain.ContactID) ([]store.CheckRequest, error) {
	reqs, err := s.Store.ListChecks(ctx, id)
	s.once.Do(s.then)
	return reqs, err
}

// An answer that leaves the contact is guarded by its check record alone: what takes the contact out of the
// statuses a check may be answered in must write that record. Here, between the answer's read (the contact in
// its checks) and its write, the checks wait times out and the machine parks the decision (the contact awaits
// it), the manager decides and then closes the contact: the closure ends the check's item on the checks tray in
// its own write, so the answer's write, under the record's version it read, fails whole, and its retry finds the
// contact closed (409), as the contact's own version refused it before. A merge ends them likewise.
func TestAnswer_ReadBeforeTheContactLeftTheChecks_WrittenAfterItWasClosed_IsRefused(t *testing.T) {
	for _, rig := range stores {
		t.Run(rig.name, func(t *testing.T) {
			s, clk := rig.new(t, "2027-03-10 10:00")
			ctx := context.Background()
			id, reqs := inChecks(t, s)
			for _, q := range reqs[:len(reqs)-2] {
				if _, err := s.Actions.AnswerCheck(ctx, id, q.ID, actions.Answer{By: "agency", Summary: "nothing known"}); err != nil {
					t.Fatal(err)
				}
			}
			late := reqs[len(reqs)-2]
			// Claimed by the agency's worker, so that the sweep's chase at the deadline does not write its record:
			// only the closure may.
			if _, err := s.Store.ClaimTrayItem(ctx, actions.CheckItemID(id, late.ID), "agency-worker"); err != nil {
				t.Fatal(err)
			}
			a := s.Actions
			a.Store = &afterRead{Store: s.Store, then: func() {
				clk.Advance(73 * time.Hour) // past Hackney's Green checks deadline (72 hours)
				if err := s.Tick(ctx); err != nil {
					t.Error(err)
				}
				if c, err := s.Store.GetContact(ctx, id); err != nil || c.Status != domain.StatusAwaitingDecision {
					t.Errorf("after the checks' deadline: %v (%v), want awaiting its decision", c.Status, err)
				}
				if _, err := s.Actions.Census(ctx, id, actions.Census{Source: "2A", Gender: "1", Ethnicity: "NOBT", By: "m"}); err != nil {
					t.Error(err)
				}
				if _, err := s.Actions.Decide(ctx, id, actions.Decide{Outcome: domain.OutcomeNFA, Rationale: "enough is known", By: "m"}); err != nil {
					t.Error(err)
				}
				if _, err := s.Actions.Close(ctx, id, actions.Close{By: "m", Reason: "no further action"}); err != nil {
					t.Error(err)
				}
			}}
			_, err := a.AnswerCheck(ctx, id, late.ID, actions.Answer{By: "agency-late", Summary: "known to us"})
			if domain.ErrorCode(err) != domain.CodeConflict {
				t.Fatalf("answer written after the contact was closed: %v, want a conflict", err)
			}
			got, err := s.Store.GetCheck(ctx, id, late.ID)
			if err != nil || got.Answer != nil {
				t.Fatalf("check %+v (%v): the refused answer was recorded", got.Answer, err)
			}
			if it, err := s.Store.GetTrayItem(ctx, actions.CheckItemID(id, late.ID)); err != nil || it.CompletedAt.IsZero() || it.CompletedBy != "m" {
				t.Fatalf("the late check's item %+v (%v): want closed by the closure", it, err)
			}
		})
	}
}

// A merge takes the duplicate where no check can be answered: it ends the items its open checks keep on the
// checks tray in its own write, as a manager's closure does (so that an answer read before it is refused after it).
func TestMerge_EndsTheDuplicatesOpenChecksItems(t *testing.T) {
	s, clk := suite(t, "2027-03-10 10:00")
	ctx := context.Background()
	id, reqs := inChecks(t, s)
	clk.Advance(73 * time.Hour) // past Hackney's Green checks deadline: the decision waits, its checks still open
	if err := s.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if c, err := s.Store.GetContact(ctx, id); err != nil || c.Status != domain.StatusAwaitingDecision {
		t.Fatalf("after the checks' deadline: %v (%v), want awaiting its decision", c.Status, err)
	}
	primary := referral(t, s, "hackney")
	if _, err := s.Actions.Merge(ctx, primary, id, "m"); err != nil {
		t.Fatal(err)
	}
	for _, q := range reqs {
		if it, err := s.Store.GetTrayItem(ctx, actions.CheckItemID(id, q.ID)); err != nil || it.CompletedAt.IsZero() || it.CompletedBy != "m" {
			t.Errorf("check %s's item %+v (%v): want ended by the merge", q.ID, it, err)
		}
	}
	if _, err := s.Actions.AnswerCheck(ctx, id, reqs[0].ID, actions.Answer{By: "agency", Summary: "late"}); domain.ErrorCode(err) != domain.CodeConflict {
		t.Fatalf("an answer after the merge: %v, want a conflict", err)
	}
}
