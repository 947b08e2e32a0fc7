package checks_test

import (
	"context"
	"encoding/json"
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
	r, c := ratedAmber(t, "hackney")
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
	n := checkRequestsSent(r.Kinds(c.ID))
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

// recordingTasks records the tokens the step answers itself.
type recordingTasks struct {
	told []string
	outs []json.RawMessage // each success's output
}

func (r *recordingTasks) SendTaskSuccess(_ context.Context, token string, out json.RawMessage) error {
	r.told = append(r.told, token)
	r.outs = append(r.outs, out)
	return nil
}
func (r *recordingTasks) SendTaskFailure(_ context.Context, token, _, _ string) error {
	r.told = append(r.told, "failed:"+token)
	return nil
}

// Bexley §15 (Health, Education and Police always checked) and §13 (answered within the rating's window):
// state RequestChecks asks every agency of the plan under one task token, in one write. Each agency still gets
// its own check record, tray item (due by the rating's deadline, rule checks.<rating>), message and audit
// event; a retry with the same token asks nobody twice; a plan with no agency answers the wait at once.
func TestBexley_15_CheckRequests_EveryAgencyUnderOneWait(t *testing.T) {
	r, c := ratedAmber(t, "bexley")
	due := r.Clock.Now().Add(24 * time.Hour)
	agencies := []domain.Agency{domain.AgencyPolice, domain.AgencyHealth, domain.AgencyEducation}
	in := workflow.StepInput{ContactID: c.ID, Agencies: agencies, TaskToken: "tok-1", DueAt: due.UTC().Format(time.RFC3339), Contract: workflow.Contract}
	tasks := &recordingTasks{}
	for range 2 { // a retry with the same token asks once
		if _, err := (checks.Step{Env: r.Env, Tasks: tasks}).Handle(context.Background(), in); err != nil {
			t.Fatal(err)
		}
	}
	reqs, err := r.Store.ListChecks(context.Background(), c.ID)
	if err != nil || len(reqs) != 3 {
		t.Fatalf("requests %+v %v, want one per agency", reqs, err)
	}
	for _, q := range reqs {
		if q.TaskToken != "tok-1" || !q.DueAt.Equal(due) || !q.Mandatory || q.Contract != workflow.Contract {
			t.Errorf("check %+v: want the one token, due by the rating's deadline, mandatory, the wait's contract", q)
		}
		it, err := r.Store.GetTrayItem(context.Background(), string(c.ID)+"#checks#"+q.ID)
		if err != nil || it.Rule != "checks.amber" || !it.DueAt.Equal(due) || it.TaskToken != "tok-1" || it.Contract != workflow.Contract {
			t.Errorf("tray item %+v %v", it, err)
		}
	}
	n := checkRequestsSent(r.Kinds(c.ID))
	if n != 3 {
		t.Errorf("%d check requests sent, want 3: %v", n, r.Kinds(c.ID))
	}
	shared := map[string]bool{}
	for _, ev := range r.Audit(c.ID) {
		if ev.Action == "check.requested" {
			for _, a := range ev.SharedWith {
				shared[a] = true
			}
		}
	}
	if len(shared) != 3 {
		t.Errorf("check.requested shared with %v, want each agency", shared)
	}
	if got := r.Get(c.ID).Status; got != domain.StatusChecks {
		t.Errorf("status %s, want checks", got)
	}
	if len(tasks.told) != 0 {
		t.Errorf("the step answered its own wait although it asked agencies: %v", tasks.told)
	}

	// Nothing to ask: the wait is answered at once, and nothing is written. Under contract 4 with the
	// decision's plan read from the record (the machine goes straight on to the decision); under contract 3
	// with an empty result (its replan step reads the plan).
	none := workflow.StepInput{ContactID: c.ID, Agencies: []domain.Agency{}, TaskToken: "tok-2", DueAt: due.UTC().Format(time.RFC3339), Contract: workflow.Contract}
	if _, err := (checks.Step{Env: r.Env, Tasks: tasks}).Handle(context.Background(), none); err != nil {
		t.Fatal(err)
	}
	var plan workflow.RatingResult
	if len(tasks.told) != 1 || tasks.told[0] != "tok-2" || json.Unmarshal(tasks.outs[0], &plan) != nil || plan.DecisionWait.DueAt == "" || plan.DecisionWait.TimeoutSeconds <= 0 {
		t.Errorf("told %v %s, want the empty plan's token answered with the decision's plan", tasks.told, tasks.outs)
	}
	none3 := none
	none3.TaskToken, none3.Contract = "tok-2b", 3
	if _, err := (checks.Step{Env: r.Env, Tasks: tasks}).Handle(context.Background(), none3); err != nil {
		t.Fatal(err)
	}
	if len(tasks.told) != 2 || tasks.told[1] != "tok-2b" || string(tasks.outs[1]) != `{"agency":"","answered":false,"raisedRisk":false}` {
		t.Errorf("told %v %s, want contract 3's empty plan answered with an empty check result", tasks.told, tasks.outs)
	}
	if reqs, _ := r.Store.ListChecks(context.Background(), c.ID); len(reqs) != 3 {
		t.Errorf("%d checks after an empty plan, want still 3", len(reqs))
	}

	// A bad agency in the list is named by its index.
	bad := workflow.StepInput{ContactID: c.ID, Agencies: []domain.Agency{domain.AgencyPolice, "astrology"}, TaskToken: "tok-3", DueAt: due.UTC().Format(time.RFC3339), Contract: workflow.Contract}
	_, err = (checks.Step{Env: r.Env, Tasks: tasks}).Handle(context.Background(), bad)
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.CodeInvalid || len(de.Fields) != 1 || de.Fields[0].Field != "agencies[1]" {
		t.Errorf("err %v, want invalid naming agencies[1]", err)
	}
}

// checkRequestsSent counts the check requests among the kinds of message a contact was sent.
func checkRequestsSent(kinds []string) int {
	n := 0
	for _, k := range kinds {
		if k == string(domain.NoticeCheckRequest) {
			n++
		}
	}
	return n
}

// ratedAmber is a contact of the authority rated Amber, its partner checks to ask (status checks, at the MASH).
func ratedAmber(t *testing.T, authority string) (*steptest.Rig, *domain.Contact) {
	t.Helper()
	r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
	c := r.Contact(authority, func(c *domain.Contact) {
		c.Status, c.Route = domain.StatusChecks, domain.RouteMASH
		c.Rating = &domain.RatingRecord{Value: domain.RatingAmber, Rationale: "r", By: "m", At: r.Clock.Now()}
	})
	return r, c
}
