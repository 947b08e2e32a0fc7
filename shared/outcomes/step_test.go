package outcomes_test

import (
	"context"
	"testing"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/internal/steptest"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/outcomes"
	"github.com/safeguarding/mash/shared/workflow"
)

// Bexley §12: the decision is shared in writing with the person who made contact. The decision queued the
// feedback in its own write; the last step makes sure the contact's outbox has gone and counts it.
func TestBexley_12_Decided_FeedbackSentByTheLastStep(t *testing.T) {
	r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
	c := r.Contact("bexley", func(c *domain.Contact) { c.Status, c.Route = domain.StatusAwaitingDecision, domain.RouteMASH })
	p, _ := r.Env.Policies("bexley")
	r.Census(c.ID)
	if _, err := r.Env.Apply(context.Background(), p, c.ID, func(c *domain.Contact) (lifecycle.Result, error) {
		return lifecycle.Decide(p, c, r.Clock.Now(), lifecycle.Decision{Code: domain.OutcomeNFA, Rationale: "r", By: "m"})
	}); err != nil {
		t.Fatal(err)
	}
	out, err := (outcomes.Step{Env: r.Env}).Handle(context.Background(), workflow.StepInput{ContactID: c.ID})
	if err != nil {
		t.Fatal(err)
	}
	kinds := outcomes.Sent(r.Sent(c.ID))
	if out.Sent != len(kinds) || len(kinds) != 1 || kinds[0] != domain.NoticeFeedback {
		t.Fatalf("sent %d %v, want the feedback", out.Sent, kinds)
	}
}

// Hackney §5: feedback withheld with a reason: nothing goes to the referrer, the timeline says why.
func TestHackney_5_FeedbackWithheld_NothingSent(t *testing.T) {
	r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
	c := r.Contact("hackney", func(c *domain.Contact) { c.Status, c.Route = domain.StatusAwaitingDecision, domain.RouteMASH })
	p, _ := r.Env.Policies("hackney")
	r.Census(c.ID)
	if _, err := r.Env.Apply(context.Background(), p, c.ID, func(c *domain.Contact) (lifecycle.Result, error) {
		return lifecycle.Decide(p, c, r.Clock.Now(), lifecycle.Decision{Code: domain.OutcomeNFA, Rationale: "r", By: "m",
			FeedbackWithheldReason: "the referrer is the subject of the concern"})
	}); err != nil {
		t.Fatal(err)
	}
	out, err := (outcomes.Step{Env: r.Env}).Handle(context.Background(), workflow.StepInput{ContactID: c.ID})
	if err != nil || out.Sent != 0 {
		t.Fatalf("sent %d %v, want nothing", out.Sent, err)
	}
	if ev, ok := r.HasAction(c.ID, "decision.recorded"); !ok || ev.Detail["feedbackWithheld"] == "" {
		t.Errorf("the reason is not in the timeline: %+v", ev)
	}
}
