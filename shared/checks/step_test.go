package checks_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/checks"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/internal/steptest"
	"github.com/safeguarding/mash/shared/workflow"
)

// Hackney §5 MASH checks: each agency is asked with the RAG deadline (Amber: 24 hours); the request, its tray
// item, its audit event saying what was shared with whom, and the message to the agency. Bexley §15: the
// mandatory agencies are marked.
func TestHackney_5_CheckRequest_DueByTheRatingsDeadline(t *testing.T) {
	r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
	c := r.Contact("hackney", func(c *domain.Contact) {
		c.Status, c.Route = domain.StatusChecks, domain.RouteMASH
		c.Rating = &domain.RatingRecord{Value: domain.RatingAmber, Rationale: "r", By: "m", At: r.Clock.Now()}
	})
	due := r.Clock.Now().Add(24 * time.Hour)
	in := workflow.StepInput{ContactID: c.ID, Agency: domain.AgencyPolice, TaskToken: "tok-1", DueAt: due.UTC().Format(time.RFC3339)}
	for range 2 { // a retry with the same token asks once
		if _, err := (checks.Step{Env: r.Env}).Handle(context.Background(), in); err != nil {
			t.Fatal(err)
		}
	}
	reqs, err := r.Store.ListChecks(context.Background(), c.ID)
	if err != nil || len(reqs) != 1 || !reqs[0].DueAt.Equal(due) || reqs[0].Agency != domain.AgencyPolice {
		t.Fatalf("requests %+v %v", reqs, err)
	}
	it, err := r.Store.GetTrayItem(context.Background(), string(c.ID)+"#checks#"+reqs[0].ID)
	if err != nil || it.Rule != "checks.amber" || !it.DueAt.Equal(due) {
		t.Fatalf("tray item %+v %v", it, err)
	}
	n := 0
	for _, k := range r.Kinds(c.ID) {
		if k == string(domain.NoticeCheckRequest) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d check requests sent, want 1: %v", n, r.Kinds(c.ID))
	}
	if ev, ok := r.HasAction(c.ID, "check.requested"); !ok || len(ev.SharedWith) != 1 || ev.SharedWith[0] != "police" {
		t.Errorf("audit %+v: want check.requested shared with police", ev)
	}
}

// A request needs an agency the product knows and a task token.
func TestCheckRequest_BadInputNamesTheField(t *testing.T) {
	r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
	_, err := (checks.Step{Env: r.Env}).Handle(context.Background(), workflow.StepInput{ContactID: "c_00000000000000000001", Agency: "astrology"})
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.CodeInvalid || len(de.Fields) != 2 || de.Fields[0].Field != "agency" || de.Fields[1].Field != "taskToken" {
		t.Fatalf("err %v, want invalid naming agency and taskToken", err)
	}
}
