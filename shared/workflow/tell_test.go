package workflow_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/workflow"
)

type told struct{ success, failure, cause string }

type recordingTasks struct{ got []told }

func (r *recordingTasks) SendTaskSuccess(_ context.Context, token string, out json.RawMessage) error {
	r.got = append(r.got, told{success: string(out)})
	return nil
}

func (r *recordingTasks) SendTaskFailure(_ context.Context, token, name, cause string) error {
	r.got = append(r.got, told{failure: name, cause: cause})
	return nil
}

// docs/cost.md "Fewer state transitions": a wait's result that ends it otherwise than going on is told as the
// named outcome the wait's Catch routes (a name the ASL knows: workflow.ASLErrors); every other result is a
// success the machine goes straight on with.
func TestTell_NamedOutcomesFailTheWait_OtherResultsSucceed(t *testing.T) {
	js := func(v any) json.RawMessage { b, _ := json.Marshal(v); return b }
	cases := []struct {
		name    string
		out     json.RawMessage
		failure string // "" = SendTaskSuccess with out
	}{
		{"a rating's plan", js(workflow.RatingResult{Rating: domain.RatingGreen, Checks: true, Agencies: []domain.Agency{domain.AgencyPolice}}), ""},
		{"rating wait: merged", js(workflow.RatingResult{Merged: true}), "Merged"},
		{"rating wait: forwarded", js(workflow.RatingResult{Forwarded: true}), "Forwarded"},
		{"a decision", js(workflow.DecisionResult{Outcome: domain.OutcomeS17}), ""},
		{"decision wait: re-rated", js(workflow.DecisionResult{Rerated: true}), "Rerated"},
		{"decision wait: merged", js(workflow.DecisionResult{Merged: true}), "Merged"},
		{"a check's answer", js(workflow.CheckResult{Agency: domain.AgencyHealth, Answered: true}), ""},
		{"a check superseded by a re-rating: the Map goes on", js(workflow.CheckResult{Agency: domain.AgencyHealth, Superseded: true}), ""},
		{"an empty result", nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var r recordingTasks
			if err := workflow.Tell(context.Background(), &r, "token-1", tc.out, true); err != nil {
				t.Fatal(err)
			}
			if len(r.got) != 1 {
				t.Fatalf("told %d times", len(r.got))
			}
			got := r.got[0]
			if got.failure != tc.failure {
				t.Fatalf("told %+v, want failure %q", got, tc.failure)
			}
			if tc.failure == "" && got.success != string(tc.out) {
				t.Errorf("success with %s, want %s", got.success, tc.out)
			}
			if tc.failure != "" {
				if _, ok := workflow.ASLErrors[got.failure]; !ok || got.cause == "" {
					t.Errorf("failure %q (cause %q) is not a named outcome of ASLErrors", got.failure, got.cause)
				}
			}
		})
	}
	var r recordingTasks
	if err := workflow.Tell(context.Background(), &r, "token-1", json.RawMessage(`not json`), true); err == nil || len(r.got) != 0 {
		t.Errorf("a result that is not JSON was told (%v, %+v)", err, r.got)
	}
}

// docs/deployment.md "Changing the state machine": a wait parked by a contract 1 definition (Choice states
// that read the result's flags, no named outcome caught) is told every result as a success, flags and all; an
// unmarked wait is read as the stack's previous contract (2 unless the stack says 1), a marked one by its mark.
func TestTell_Contract1WaitsGetEveryResultAsSuccess(t *testing.T) {
	js := func(v any) json.RawMessage { b, _ := json.Marshal(v); return b }
	for _, out := range []json.RawMessage{js(workflow.RatingResult{Merged: true}), js(workflow.RatingResult{Forwarded: true}),
		js(workflow.DecisionResult{Rerated: true}), js(workflow.DecisionResult{Outcome: domain.OutcomeS17})} {
		var r recordingTasks
		if err := workflow.Tell(context.Background(), &r, "token-1", out, false); err != nil {
			t.Fatal(err)
		}
		if len(r.got) != 1 || r.got[0].failure != "" || r.got[0].success != string(out) {
			t.Errorf("told %+v, want success with %s", r.got, out)
		}
	}
	for _, tc := range []struct {
		contract, unmarked int
		want               bool
	}{{0, 0, true}, {0, 2, true}, {0, 1, false}, {1, 2, false}, {2, 1, true}, {3, 1, true}, {workflow.Contract, 0, true}} {
		if got := workflow.NamedOutcomes(tc.contract, tc.unmarked); got != tc.want {
			t.Errorf("NamedOutcomes(%d, %d) = %v, want %v", tc.contract, tc.unmarked, got, tc.want)
		}
	}
}

// The replan step answers its own wait with where the machine goes after the checks: nothing more to ask is
// the plan as the result (on to the decision); checks still to ask and a contact forwarded meanwhile are the
// named outcomes its Catch routes.
func TestTellPlan_NothingMoreToAskSucceeds_ChecksOrForwardedAreNamed(t *testing.T) {
	done := workflow.RatingResult{Rating: domain.RatingRed, Agencies: []domain.Agency{}, DecisionWait: workflow.Wait{DueAt: "2027-03-10T14:00:00Z", TimeoutSeconds: 60, HeartbeatSeconds: 30}}
	cases := []struct {
		name    string
		plan    workflow.RatingResult
		failure string
	}{
		{"nothing more to ask", done, ""},
		{"checks still to ask (re-rated during the checks)", workflow.RatingResult{Rating: domain.RatingAmber, Checks: true, Agencies: []domain.Agency{domain.AgencyHealth}}, "ChecksNeeded"},
		{"forwarded while the checks ran", workflow.RatingResult{Forwarded: true, Agencies: []domain.Agency{}}, "Forwarded"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var r recordingTasks
			if err := workflow.TellPlan(context.Background(), &r, "token-1", tc.plan); err != nil {
				t.Fatal(err)
			}
			if len(r.got) != 1 || r.got[0].failure != tc.failure {
				t.Fatalf("told %+v, want failure %q", r.got, tc.failure)
			}
			if tc.failure != "" {
				if _, ok := workflow.ASLErrors[tc.failure]; !ok {
					t.Errorf("%q is not in ASLErrors", tc.failure)
				}
				return
			}
			var got workflow.RatingResult
			if err := json.Unmarshal([]byte(r.got[0].success), &got); err != nil || got.DecisionWait != done.DecisionWait {
				t.Errorf("the plan told as %s (%v)", r.got[0].success, err)
			}
		})
	}
}

// docs/cost.md "Fewer state transitions" 6 (contract 4): a completion is told in the terms of the definition
// that parked its wait. A partner checks' wait under contract 4 is told what follows the checks as the replan
// step tells it (the plan, ChecksNeeded, Forwarded); before contract 4, its check result. A plan (a checks
// wait's under contract 4, a rating's) is told with its waits' seconds counted from their deadlines when it is
// told, so one told late does not run late.
func TestTellCompletion_PlansCountedWhenTold_ChecksWaitsByContract(t *testing.T) {
	js := func(v any) json.RawMessage { b, _ := json.Marshal(v); return b }
	made := time.Date(2027, 3, 10, 10, 0, 0, 0, time.UTC)
	told := made.Add(3 * time.Hour) // the completer delivers it three hours late
	due := made.Add(24 * time.Hour)
	plan := workflow.PlanResult(lifecycle.Plan{Agencies: []domain.Agency{}, ChecksDue: due, DecisionDue: due}, domain.RatingAmber, made)
	more := plan
	more.Checks, more.Agencies = true, []domain.Agency{domain.AgencyHousing}
	answered := js(workflow.CheckResult{Agency: domain.AgencyHealth, Answered: true})
	cases := []struct {
		name, tray string
		contract   int
		out        json.RawMessage
		failure    string
		seconds    int64 // the decision wait's timeout told (0: the output as it was)
	}{
		{"contract 4 checks wait: the decision's plan", "checks", workflow.Contract, js(plan), "", 21 * 3600},
		{"contract 4 checks wait: re-rated, checks to ask", "checks", workflow.Contract, js(more), "ChecksNeeded", 0},
		{"contract 4 checks wait: forwarded", "checks", workflow.Contract, js(workflow.RatingResult{Forwarded: true, Agencies: []domain.Agency{}}), "Forwarded", 0},
		{"contract 3 checks wait: the check's result", "checks", 0, answered, "", 0},
		{"a rating's plan", "rating", workflow.Contract, js(more), "", 21 * 3600},
		{"a rating wait: merged", "rating", workflow.Contract, js(workflow.RatingResult{Merged: true}), "Merged", 0},
		{"a decision", "decision", workflow.Contract, js(workflow.DecisionResult{Outcome: domain.OutcomeS17}), "", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var r recordingTasks
			if err := workflow.TellCompletion(context.Background(), &r, tc.tray, tc.contract, "token-1", tc.out, 0, told); err != nil {
				t.Fatal(err)
			}
			if len(r.got) != 1 || r.got[0].failure != tc.failure {
				t.Fatalf("told %+v, want failure %q", r.got, tc.failure)
			}
			if tc.failure != "" {
				return
			}
			if tc.seconds == 0 {
				if r.got[0].success != string(tc.out) {
					t.Errorf("told %s, want %s as it was", r.got[0].success, tc.out)
				}
				return
			}
			var got workflow.RatingResult
			if err := json.Unmarshal([]byte(r.got[0].success), &got); err != nil {
				t.Fatal(err)
			}
			if got.DecisionWait.DueAt != plan.DecisionWait.DueAt || got.DecisionWait.TimeoutSeconds != tc.seconds ||
				got.DecisionWait.HeartbeatSeconds != tc.seconds/2 || got.DecisionTimeoutSeconds != tc.seconds {
				t.Errorf("decision wait told %+v (contract 1's %d s), want %d s to the same deadline %s", got.DecisionWait,
					got.DecisionTimeoutSeconds, tc.seconds, plan.DecisionWait.DueAt)
			}
			if got.ChecksDueAt != plan.ChecksDueAt || got.ChecksTimeoutSeconds != tc.seconds || got.ChecksHeartbeatSeconds != tc.seconds-1 {
				t.Errorf("checks wait told %s %d/%d s, want %d s", got.ChecksDueAt, got.ChecksTimeoutSeconds, got.ChecksHeartbeatSeconds, tc.seconds)
			}
		})
	}
	if !workflow.ChecksPlanned(workflow.Contract) || workflow.ChecksPlanned(3) || workflow.ChecksPlanned(0) {
		t.Error("ChecksPlanned: want contract 4 and later only")
	}
}
