package local

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/actions"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/flow"
	"github.com/safeguarding/mash/statemachines"
)

// newRigOn is newRig running def, with waits whose payload carries no contract read as unmarked.
func newRigOn(t *testing.T, start time.Time, def []byte, unmarked int) *rig {
	t.Helper()
	r, st := newRigStore(t, start)
	s, err := New(context.Background(), Options{Dir: r.dir, OutboxDir: r.outbox, Store: st, Clock: r.clock,
		Log: slog.New(slog.NewJSONHandler(r.logs, nil)), ConsoleURL: "http://localhost:8080", Definition: def, UnmarkedContract: unmarked})
	if err != nil {
		t.Fatal(err)
	}
	r.suite = s
	return r
}

// docs/deployment.md "Changing the state machine": Step Functions runs an execution to its end on the
// definition it started with, while a deploy replaces the functions and the API at once. So the handlers of
// this definition must finish executions started on each earlier one: here each earlier definition file runs
// on the Go executor against today's handlers, through the paths where the contract changed — partner checks
// asked and answered (a Map with a token per agency), a re-rating while the checks run and another while the
// decision waits (a contract 1 machine reads the flags of the result; a contract 2 machine catches Rerated),
// a decision, and a duplicate merged while it waits for its rating (Merged: a flag, or a named outcome). No
// execution may land on DeadLetter.
func TestDeploy_ExecutionsStartedOnEarlierDefinitionsFinishWithTodaysHandlers(t *testing.T) {
	if len(statemachines.Earlier) < 3 {
		t.Fatalf("%d earlier definitions embedded, want contracts 1, 2 and 3", len(statemachines.Earlier))
	}
	for _, contract := range slices.Sorted(maps.Keys(statemachines.Earlier)) {
		t.Run(fmt.Sprintf("contract %d", contract), func(t *testing.T) {
			r := newRigOn(t, london(t, "2027-03-10 10:00"), statemachines.Earlier[contract], contract)
			ctx := context.Background()
			ref := northamptonshireReferral()
			id := r.referAt(ctx, "northamptonshire", ref)
			if st := r.contact(id).Status; st != domain.StatusAwaitingRating {
				t.Fatalf("status %s after intake, want awaiting-rating", st)
			}
			if _, err := r.suite.Actions.Rate(ctx, id, actions.Rate{Value: domain.RatingAmber, Rationale: "bruising", By: "tm-1"}); err != nil {
				t.Fatal(err)
			}
			first := r.openChecks(id)
			if len(first) != 3 {
				t.Fatalf("%d checks asked, want police, health, education", len(first))
			}
			if contract < 3 && first[0].TaskToken == first[1].TaskToken {
				t.Fatalf("the earlier definition's Map asks one agency per token, got one token for two")
			}
			if contract >= 3 && first[0].TaskToken != first[1].TaskToken {
				t.Fatalf("the contract %d definition asks all agencies under one token (RequestChecks), got two", contract)
			}
			// One answer, then a re-rating while the other checks run: they are asked again.
			if _, err := r.suite.Actions.AnswerCheck(ctx, id, first[0].ID, actions.Answer{By: "agency", Summary: "known"}); err != nil {
				t.Fatal(err)
			}
			r.advance(time.Minute, time.Minute)
			if _, err := r.suite.Actions.Rate(ctx, id, actions.Rate{Value: domain.RatingRed, Rationale: "more", By: "tm-1"}); err != nil {
				t.Fatal(err)
			}
			r.advance(time.Minute, time.Minute)
			again := r.openChecks(id)
			if len(again) != 2 {
				t.Fatalf("%d checks asked again after the re-rating, want the 2 unanswered", len(again))
			}
			for _, q := range again {
				if _, err := r.suite.Actions.AnswerCheck(ctx, id, q.ID, actions.Answer{By: "agency", NothingKnown: true}); err != nil {
					t.Fatal(err)
				}
			}
			r.advance(time.Minute, time.Minute)
			if st := r.contact(id).Status; st != domain.StatusAwaitingDecision {
				t.Fatalf("status %s after the checks, want awaiting-decision (path %v)", st, r.path(id))
			}
			// Re-rated while the decision waits: back through the replan step to a new decision wait.
			if _, err := r.suite.Actions.Rate(ctx, id, actions.Rate{Value: domain.RatingRed, Rationale: "confirmed", By: "tm-1", NoChecks: true}); err != nil {
				t.Fatal(err)
			}
			r.advance(time.Minute, time.Minute)
			if st := r.contact(id).Status; st != domain.StatusAwaitingDecision {
				t.Fatalf("status %s after re-rating while the decision waited (path %v)", st, r.path(id))
			}
			r.census(ctx, id)
			if _, err := r.suite.Actions.Decide(ctx, id, actions.Decide{Outcome: domain.OutcomeS47, Rationale: "section 47 enquiry", By: "tm-1"}); err != nil {
				t.Fatal(err)
			}
			r.advance(time.Minute, time.Minute)
			path, status := r.suite.Path(id)
			if status != flow.Succeeded || path[len(path)-1] != "Notify" || slices.Contains(path, "DeadLetter") {
				t.Fatalf("execution %s, path %v: want it to end at Notify", status, path)
			}
			decisions := 0
			for _, s := range path {
				if s == "AwaitDecision" {
					decisions++
				}
			}
			if decisions != 2 {
				t.Errorf("path %v: want two decision waits (the re-rating replaced the first)", path)
			}

			// A duplicate merged while it waits for its rating: its execution ends in Merged.
			d := r.referAt(ctx, "northamptonshire", ref)
			if d == id {
				t.Fatal("the second referral was taken as a re-send")
			}
			res2, err := r.suite.Intake.CreateReferral(ctx, "northamptonshire", canaryReferral(), "")
			if err != nil {
				t.Fatal(err)
			}
			p := res2[0].ContactID
			if _, err := r.suite.Actions.Merge(ctx, p, d, "tm-1"); err != nil {
				t.Fatal(err)
			}
			r.advance(time.Minute, time.Minute)
			if path, status := r.suite.Path(d); status != flow.Succeeded || path[len(path)-1] != "Merged" {
				t.Errorf("the merged duplicate's execution %s, path %v: want it to end in Merged", status, path)
			}
		})
	}
}

// `mash run` upgraded while contacts are in flight: an execution started by the earlier build under the
// contract 2 definition (a Map of one wait per agency) is resumed by the new build on that definition, as Step
// Functions runs an execution on the definition it started with, and finishes with today's handlers; a contact
// arriving after the upgrade starts on today's definition.
func TestDeploy_MashRunUpgradedMidFlight_ResumesExecutionsOnTheirDefinition(t *testing.T) {
	r := newRigOn(t, london(t, "2027-03-10 10:00"), statemachines.Earlier[2], 0)
	ctx := context.Background()
	res, err := r.suite.Intake.CreateReferral(ctx, "hackney", canaryReferral(), "")
	if err != nil {
		t.Fatal(err)
	}
	id := res[0].ContactID
	if _, err := r.suite.Actions.Rate(ctx, id, actions.Rate{Value: domain.RatingGreen, Rationale: "needs support", By: "manager-1"}); err != nil {
		t.Fatal(err)
	}
	asked := r.openChecks(id)
	if len(asked) < 2 || asked[0].TaskToken == asked[1].TaskToken {
		t.Fatalf("checks %+v: want one token per agency (the contract 2 Map)", asked)
	}

	r.reopen() // the new build: today's definition, the same state folder
	if path, status := r.suite.Path(id); status != flow.Running || !slices.Contains(path, "PartnerChecks") {
		t.Fatalf("after the upgrade the execution is %s, path %v: want it resumed where it was, in PartnerChecks", status, path)
	}
	for _, q := range asked {
		if _, err := r.suite.Actions.AnswerCheck(ctx, id, q.ID, actions.Answer{By: "agency", Summary: "known"}); err != nil {
			t.Fatal(err)
		}
	}
	r.advance(time.Minute, time.Minute)
	if st := r.contact(id).Status; st != domain.StatusAwaitingDecision {
		t.Fatalf("status %s after the checks, want awaiting-decision (path %v)", st, r.path(id))
	}
	r.census(ctx, id)
	if _, err := r.suite.Actions.Decide(ctx, id, actions.Decide{Term: "Referral for a statutory social work assessment",
		Outcome: domain.OutcomeS17, Rationale: "child in need assessment", By: "manager-1"}); err != nil {
		t.Fatal(err)
	}
	r.advance(time.Minute, time.Minute)
	if path, status := r.suite.Path(id); status != flow.Succeeded || path[len(path)-1] != "Notify" || slices.Contains(path, "RequestChecks") {
		t.Fatalf("execution %s, path %v: want it finished at Notify on the contract 2 definition", status, path)
	}

	next, err := r.suite.Intake.CreateReferral(ctx, "hackney", canaryReferral(), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.suite.Actions.Rate(ctx, next[0].ContactID, actions.Rate{Value: domain.RatingGreen, Rationale: "needs support", By: "manager-1"}); err != nil {
		t.Fatal(err)
	}
	if path, _ := r.suite.Path(next[0].ContactID); !slices.Contains(path, "RequestChecks") {
		t.Errorf("a contact after the upgrade ran %v: want today's definition (RequestChecks)", path)
	}
}

func (r *rig) path(id domain.ContactID) []string {
	p, _ := r.suite.Path(id)
	return p
}
