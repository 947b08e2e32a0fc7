package local

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/actions"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/flow"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/workflow"
)

// notices returns the contact's messages by kind (the first of each), all sent.
func (r *rig) notices(id domain.ContactID) map[string]store.Notification {
	r.t.Helper()
	ns, err := r.suite.Store.ListNotifications(context.Background(), id)
	if err != nil {
		r.t.Fatal(err)
	}
	out := map[string]store.Notification{}
	for _, n := range ns {
		if n.SentAt.IsZero() {
			r.t.Errorf("%s not sent", n.ID)
		}
		if _, ok := out[n.Kind]; !ok {
			out[n.Kind] = n
		}
	}
	return out
}

func (r *rig) openChecks(id domain.ContactID) []store.CheckRequest {
	r.t.Helper()
	reqs, err := r.suite.Store.ListChecks(context.Background(), id)
	if err != nil {
		r.t.Fatal(err)
	}
	c := r.contact(id)
	var out []store.CheckRequest
	for _, q := range reqs {
		if q.Answer == nil && !q.RequestedAt.Before(c.Rating.At) {
			out = append(out, q)
		}
	}
	return out
}

// Northamptonshire §7: a RAG decision can be reviewed at any point with rationale; Red needs a strategy
// discussion between CSC, Health and Police within 1 hour. A contact rated Amber is re-rated Red while its
// checks run: the strategy clock starts and its notice goes at once, the unanswered checks are asked again by
// the Red deadline (their old waits replaced), and the running execution follows. Re-rated again while
// awaiting the decision, the machine goes back through its replan step; the decision then ends it. The
// timeline keeps every rating.
func TestE2E_Northamptonshire_ReRatingDuringChecksAndDecision_MachineFollows(t *testing.T) {
	r := newRig(t, london(t, "2027-03-10 10:00")) // a Wednesday, open
	ctx := context.Background()
	id := r.referAt(ctx, "northamptonshire", northamptonshireReferral())
	r.rate(ctx, id, actions.Rate{Value: domain.RatingAmber, Rationale: "bruising, explanation plausible", By: "tm-1"})
	first := r.openChecks(id)
	if len(first) != 3 {
		t.Fatalf("%d checks after Amber, want police, health, education", len(first))
	}
	for _, q := range first {
		if q.Agency == domain.AgencyPolice {
			if _, err := r.suite.Actions.AnswerCheck(ctx, id, q.ID, actions.Answer{By: "pc-1", Summary: "father has a record of violence"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	r.advance(20*time.Minute, 5*time.Minute)

	// Re-rating without a rationale: 400 naming rationale; nothing changes.
	if _, err := r.suite.Actions.Rate(ctx, id, actions.Rate{Value: domain.RatingRed, By: "tm-1"}); domain.ErrorCode(err) != domain.CodeInvalid {
		t.Fatalf("re-rating without rationale: %v", err)
	}
	at := r.clock.Now()
	c, err := r.suite.Actions.Rate(ctx, id, actions.Rate{Value: domain.RatingRed, Rationale: "police record of violence raises the risk", By: "tm-1"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Deadlines[policy.RuleStrategyRed], at.Add(time.Hour); !got.Equal(want) {
		t.Errorf("strategy.red %v, want %v (1 hour from the re-rating)", got, want)
	}
	r.advance(time.Minute, time.Minute)
	ns := r.notices(id)
	if n, ok := ns[string(domain.NoticeStrategy)]; !ok || n.CreatedAt.After(at.Add(time.Minute)) {
		t.Errorf("strategy notice %+v: want it at once", n.CreatedAt)
	}
	again := r.openChecks(id)
	var agencies []domain.Agency
	for _, q := range again {
		agencies = append(agencies, q.Agency)
		if !q.DueAt.Equal(c.Deadlines["checks.red"]) {
			t.Errorf("%s re-asked due %v, want the Red deadline %v", q.Agency, q.DueAt, c.Deadlines["checks.red"])
		}
	}
	slices.Sort(agencies)
	if !slices.Equal(agencies, []domain.Agency{domain.AgencyEducation, domain.AgencyHealth}) {
		t.Fatalf("re-asked %v, want education and health (police answered)", agencies)
	}
	path, status := r.suite.Path(id)
	// The re-rating ended the checks wait with ChecksNeeded (it asks checks again: contract 4), caught straight
	// to PlanChecks and on to the partner checks, without the replan step.
	checksNeeded := false
	for i := range path[:len(path)-1] {
		checksNeeded = checksNeeded || (path[i] == "RequestChecks" && path[i+1] == "PlanChecks")
	}
	if status != flow.Running || !checksNeeded || contains(path, "Replan") {
		t.Fatalf("execution %s path %v: want running through RequestChecks → PlanChecks (ChecksNeeded caught), no Replan", status, path)
	}
	for _, q := range again {
		if _, err := r.suite.Actions.AnswerCheck(ctx, id, q.ID, actions.Answer{By: "agency", NothingKnown: true}); err != nil {
			t.Fatal(err)
		}
	}
	r.advance(time.Minute, time.Minute)
	if st := r.contact(id).Status; st != domain.StatusAwaitingDecision {
		t.Fatalf("status %s after the checks, want awaiting-decision", st)
	}
	// Reviewed again while awaiting the decision: the decision wait is replaced.
	r.rate(ctx, id, actions.Rate{Value: domain.RatingRed, Rationale: "strategy held: risk confirmed", By: "tm-1", NoChecks: true})
	r.advance(time.Minute, time.Minute)
	if st := r.contact(id).Status; st != domain.StatusAwaitingDecision {
		t.Fatalf("status %s after re-rating in awaiting-decision", st)
	}
	r.census(ctx, id) // the screener records the codes the referral did not give (issue #16)
	r.decide(ctx, id, actions.Decide{Outcome: domain.OutcomeS47, Rationale: "section 47 enquiry", By: "tm-1"})
	r.advance(time.Minute, time.Minute)
	path, status = r.suite.Path(id)
	// The re-rating ended the decision wait with the named outcome Rerated, caught back to the replan step.
	rerated := false
	for i := range path[:len(path)-1] {
		rerated = rerated || (path[i] == "AwaitDecision" && path[i+1] == "Replan")
	}
	if status != flow.Succeeded || !rerated {
		t.Fatalf("execution %s path %v, want AwaitDecision → Replan (Rerated caught)", status, path)
	}
	evs, err := r.suite.Store.ListAudit(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var ratings []string
	for _, e := range evs {
		if e.Action == "rating.set" || e.Action == "rating.revised" {
			ratings = append(ratings, e.Detail["rating"])
		}
	}
	if !slices.Equal(ratings, []string{"amber", "red", "red"}) {
		t.Errorf("ratings in the timeline %v, want amber, red, red", ratings)
	}
	if c := r.contact(id); c.Outcome.Role != "CSC Team Manager (MASH)" {
		t.Errorf("decided by role %q", c.Outcome.Role)
	}
	r.assertNoCanary(id)
}

// One contact per authority from intake to decision, nothing filled in by hand: every deadline the seeds
// require on that path, and every notice with its time. The referral flags an allegation against a
// professional, so the LADO is told at intake, before any decision.
func TestE2E_AllAuthorities_IntakeToDecision_DeadlinesAndNotices(t *testing.T) {
	for _, a := range []string{"portsmouth", "hackney", "northamptonshire", "bexley", "barnet"} {
		t.Run(a, func(t *testing.T) {
			start := london(t, "2027-03-10 10:00") // Wednesday, every MASH open
			r := newRig(t, start)
			ctx := context.Background()
			p := r.suite.Policies[domain.AuthorityID(a)]
			ref := canaryReferral()
			ref.Flags.AllegationAgainstProfessional = true
			res, err := r.suite.Intake.CreateReferral(ctx, domain.AuthorityID(a), ref, "")
			if err != nil {
				t.Fatal(err)
			}
			id := res[0].ContactID
			c := r.contact(id)
			wantDue := func(rule string, want time.Time) {
				t.Helper()
				if got := c.Deadlines[rule]; !got.Equal(want) {
					t.Errorf("%s = %v, want %v", rule, got, want)
				}
			}
			wantDue(policy.RuleLADO, london(t, "2027-03-11 10:00"))
			wantDue(policy.RuleScreeningCSC, start.Add(24*time.Hour))
			ns := r.notices(id)
			if n, ok := ns[string(domain.NoticeLADO)]; !ok || !n.CreatedAt.Equal(start) {
				t.Errorf("LADO notice at %v (present %v), want at intake %v", n.CreatedAt, ok, start)
			}
			if _, ok := ns[string(domain.NoticeAcknowledgement)]; !ok {
				t.Error("no acknowledgement")
			}

			r.advance(30*time.Minute, 10*time.Minute)
			ratedAt := r.clock.Now()
			if _, err := r.suite.Actions.Rate(ctx, id, actions.Rate{Value: domain.RatingRed, Rationale: "serious injury", By: "mgr"}); err != nil {
				t.Fatal(err)
			}
			c = r.contact(id)
			red, _ := p.Deadline(policy.RuleChecksRed)
			if red.Unit == "hours" {
				wantDue(policy.RuleChecksRed, ratedAt.Add(time.Duration(red.Amount)*time.Hour))
			}
			if _, has := p.Deadline(policy.RuleStrategyRed); has {
				wantDue(policy.RuleStrategyRed, ratedAt.Add(time.Hour))
				if n, ok := r.notices(id)[string(domain.NoticeStrategy)]; !ok || !n.CreatedAt.Equal(ratedAt) {
					t.Errorf("strategy notice at %v, want at the rating %v", n.CreatedAt, ratedAt)
				}
			}
			for _, q := range r.openChecks(id) {
				if _, err := r.suite.Actions.AnswerCheck(ctx, id, q.ID, actions.Answer{By: "agency", NothingKnown: true}); err != nil {
					t.Fatal(err)
				}
			}
			r.advance(10*time.Minute, 5*time.Minute)
			decidedAt := r.clock.Now()
			term, _ := p.OutcomeTerm(domain.OutcomeS47)
			code := domain.OutcomeS47
			if term == "" {
				code = p.Outcomes[0].Code
			}
			r.census(ctx, id) // the screener records the codes the referral did not give (issue #16)
			if _, err := r.suite.Actions.Decide(ctx, id, actions.Decide{Outcome: code, Rationale: "threshold met", By: "mgr"}); err != nil {
				t.Fatal(err)
			}
			r.advance(time.Minute, time.Minute)
			if _, status := r.suite.Path(id); status != flow.Succeeded {
				t.Fatalf("execution %s", status)
			}
			c = r.contact(id)
			if _, has := p.Deadline(policy.RuleDecisionFeedback); has {
				wantDue(policy.RuleDecisionFeedback, decidedAt.Add(48*time.Hour))
			}
			ns = r.notices(id)
			if n, ok := ns[string(domain.NoticeFeedback)]; !ok || !n.CreatedAt.Equal(decidedAt) {
				t.Errorf("feedback at %v (present %v), want at the decision %v", n.CreatedAt, ok, decidedAt)
			}
			if c.Outcome.Role != p.Decisions.Maker {
				t.Errorf("decided by %q, want the policy's decision maker %q", c.Outcome.Role, p.Decisions.Maker)
			}
			r.assertNoCanary(id)
		})
	}
}

// Hackney §5 and the done-when: a decision with feedbackWithheldReason sends the referrer nothing,
// and the timeline says why. A Hackney PPN starts the Encompass clock and its notice gives the incident's date.
func TestE2E_Hackney_PPNEncompassAndWithheldFeedback(t *testing.T) {
	r := newRig(t, london(t, "2027-03-10 10:00"))
	ctx := context.Background()
	res, err := r.suite.Intake.CreatePPN(ctx, "hackney", intake.PPN{PoliceReference: "MPS-1", IncidentAt: london(t, "2027-03-08 23:10"),
		DomesticAbuse: true, Circumstances: "domestic incident", Officer: domain.Referrer{Name: "PC One", Email: "pc@police.example"},
		Children: []intake.PPNChild{{Child: domain.Child{GivenName: "Zebedee", FamilyName: "Canarybird", DateOfBirth: domain.Date{Y: 2017, M: 4, D: 2}}}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	id := res[0].ContactID
	if got, want := r.contact(id).Deadlines[policy.RuleEncompass], london(t, "2027-03-11 08:45"); !got.Equal(want) {
		t.Errorf("encompass %v, want %v", got, want)
	}
	n, ok := r.notices(id)[string(domain.NoticeEncompass)]
	if !ok || !strings.Contains(n.Text, "Monday 8 March 2027") {
		t.Fatalf("encompass notice %v: want the incident's date Monday 8 March 2027", ok)
	}

	ref := canaryReferral()
	res, err = r.suite.Intake.CreateReferral(ctx, "hackney", ref, "")
	if err != nil {
		t.Fatal(err)
	}
	id = res[0].ContactID
	r.rate(ctx, id, actions.Rate{Value: domain.RatingGreen, Rationale: "low", By: "mgr", NoChecks: true})
	r.advance(time.Minute, time.Minute)
	r.census(ctx, id) // the screener records the codes the referral did not give (issue #16)
	r.decide(ctx, id, actions.Decide{Outcome: domain.OutcomeNFA, Rationale: "nothing further",
		By: "mgr", FeedbackWithheldReason: "the referrer is a party to the dispute"})
	r.advance(time.Minute, time.Minute)
	if _, sent := r.notices(id)[string(domain.NoticeFeedback)]; sent {
		t.Error("feedback sent although withheld")
	}
	evs, _ := r.suite.Store.ListAudit(ctx, id)
	found := false
	for _, e := range evs {
		found = found || (e.Action == "decision.recorded" && e.Detail["feedbackWithheld"] != "")
	}
	if !found {
		t.Error("the withheld reason is not in the timeline")
	}
}

// Hackney §5, end to end on the Go executor: a Red contact's partner checks are asked with single-use answer
// links; past the checks deadline (4 hours) the machine goes on to the decision and the SLA sweep chases each
// agency with the same link its request carried, telling the service manager, again every escalation.repeat
// (2 working hours) across the evening and the next day, until the check is answered or closed with a
// reason. The link still works after the chases.
func TestE2E_Hackney_OverdueChecks_ChasedWithTheSameLinkUntilAnsweredOrClosed(t *testing.T) {
	r := newRig(t, london(t, "2027-03-10 10:00")) // a Wednesday, open
	ctx := context.Background()
	id := r.refer(ctx, canaryReferral())
	r.rate(ctx, id, actions.Rate{Value: domain.RatingRed, Rationale: "injury and fear of going home", By: "tm-1",
		Agencies: []domain.Agency{domain.AgencyHealth}})
	r.advance(time.Minute, time.Minute)
	checks := r.openChecks(id)
	if len(checks) < 2 {
		t.Fatalf("%d checks, want police and health at least", len(checks))
	}
	ns, err := r.suite.Store.ListNotifications(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	link := map[string]string{} // check id → the link its request carried
	for _, q := range checks {
		if q.AnswerLink == "" {
			t.Fatalf("check %s has no answer link", q.ID)
		}
		for _, n := range ns {
			if n.Kind == string(domain.NoticeCheckRequest) && strings.Contains(n.Text, q.ID) && strings.Contains(n.Text, q.AnswerLink) {
				link[q.ID] = q.AnswerLink
			}
		}
		if link[q.ID] == "" {
			t.Fatalf("the request of %s did not carry its stored link", q.ID)
		}
	}
	chases := func() map[string]int {
		t.Helper()
		ns, err := r.suite.Store.ListNotifications(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		n := map[string]int{}
		for _, m := range ns {
			if m.Kind != string(domain.NoticeCheckRequest) || !strings.Contains(strings.ToLower(m.Subject), "reminder") {
				continue
			}
			for q, l := range link {
				if strings.Contains(m.Text, q) {
					n[q]++
					if !strings.Contains(m.Text, l) {
						t.Errorf("the chase of %s does not carry the request's link", q)
					}
				}
			}
		}
		return n
	}
	r.advance(3*time.Hour+58*time.Minute, 5*time.Minute) // 13:59
	if n := chases(); len(n) != 0 {
		t.Fatalf("chased before the deadline: %v", n)
	}
	r.advance(2*time.Minute, time.Minute) // 14:01: the deadline passed
	for q, n := range chases() {
		if n != 1 {
			t.Errorf("check %s chased %d times at the deadline, want 1", q, n)
		}
	}
	if len(chases()) != len(link) {
		t.Fatalf("chased %v, want every check", chases())
	}
	if path, _ := r.suite.Path(id); !contains(path, "AwaitDecision") {
		t.Errorf("the machine did not go on to the decision: %v", path)
	}
	r.advance(2*time.Hour, 5*time.Minute) // 16:01
	for q, n := range chases() {
		if n != 2 {
			t.Errorf("check %s chased %d times two working hours on, want 2", q, n)
		}
	}
	// The police answer; the other checks a manager closes with a reason.
	var police string
	for _, q := range checks {
		if q.Agency == domain.AgencyPolice {
			police = q.ID
			if _, err := r.suite.Actions.AnswerCheck(ctx, id, q.ID, actions.Answer{By: "pc-1", Summary: "known to police"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	r.advance(18*time.Hour, 30*time.Minute) // Thursday 10:01: one more chase of the open checks
	for q, n := range chases() {
		want := 3
		if q == police {
			want = 2
		}
		if n != want {
			t.Errorf("check %s chased %d times by Thursday 10:01, want %d", q, n, want)
		}
	}
	t.Logf("chases by Thursday 10:01: %v", chases())
	for _, q := range checks {
		if q.Agency == domain.AgencyPolice {
			continue
		}
		// The link the request and every chase carried still works (single use: this opens it).
		_, tok, _ := strings.Cut(link[q.ID], "/answer/")
		if l, err := r.suite.Store.ConsumeLink(ctx, tok); err != nil || l.Subject != q.ID {
			t.Errorf("the chased link of %s: %+v %v", q.ID, l, err)
		}
		if _, err := r.suite.Actions.CloseCheck(ctx, id, q.ID, actions.CloseCheck{Reason: "no answer after three chases: decided without it", By: "sm-1"}); err != nil {
			t.Fatal(err)
		}
		if got, _ := r.suite.Store.GetCheck(ctx, id, q.ID); got.Closed == nil || got.Closed.By != "sm-1" {
			t.Errorf("closed check %s: %+v", q.ID, got.Closed)
		}
	}
	before := chases()
	r.advance(48*time.Hour, time.Hour)
	if after := chases(); !maps.Equal(before, after) {
		t.Errorf("chased after the answer and the closures: %v → %v", before, after)
	}
	escalations := 0
	all, _ := r.suite.Store.ListNotifications(ctx, id)
	for _, n := range all {
		if n.Kind == string(domain.NoticeEscalation) && strings.Contains(n.Text, "checks") {
			escalations++
		}
	}
	t.Logf("%d check escalations", escalations)
	if want := 3*len(link) - 1; escalations != want {
		t.Errorf("%d check escalations to the service manager, want %d (one per chase)", escalations, want)
	}
}

// failingStarter is a workflow that cannot be reached.
type failingStarter struct{}

func (failingStarter) Start(context.Context, workflow.Start) error {
	return errors.New("states unreachable")
}

// A closed contact reopened with a reason starts a new workflow execution named by its reopening, on the Go
// executor: the new pass routes, screens and waits for a rating with its clocks from the reopening, and a
// redelivered start (the request asked again after the start failed) starts nothing twice.
func TestE2E_Hackney_ReopenedContact_StartsANewExecutionOnce(t *testing.T) {
	r := newRig(t, london(t, "2027-03-10 10:00")) // a Wednesday, open
	ctx := context.Background()
	id := r.refer(ctx, canaryReferral())
	r.rate(ctx, id, actions.Rate{Value: domain.RatingGreen, Rationale: "needs support", By: "tm-1", NoChecks: true})
	r.advance(time.Minute, time.Minute)
	r.census(ctx, id) // the screener records the codes the referral did not give (issue #16)
	r.decide(ctx, id, actions.Decide{Outcome: domain.OutcomeEarlyHelp, Rationale: "early help offer", By: "tm-1"})
	r.advance(time.Minute, time.Minute)
	if _, status := r.suite.Path(id); status != flow.Succeeded {
		t.Fatalf("first execution %s, want succeeded", status)
	}
	// Reopening is refused until the contact is closed (409 naming the statuses), and needs a reason (400).
	if _, err := r.suite.Actions.Reopen(ctx, id, actions.Close{By: "sm-1", Reason: "new information"}); domain.ErrorCode(err) != domain.CodeConflict ||
		!strings.Contains(err.Error(), "decided") || !strings.Contains(err.Error(), "closed") {
		t.Fatalf("reopening a decided contact: %v", err)
	}
	if _, err := r.suite.Actions.Close(ctx, id, actions.Close{By: "sm-1", Reason: "early help accepted"}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.suite.Actions.Reopen(ctx, id, actions.Close{By: "sm-1"}); domain.ErrorCode(err) != domain.CodeInvalid {
		t.Fatalf("reopening without a reason: %v", err)
	}
	// The start fails after the reopening is recorded: the request fails as transient, the contact is
	// received again, and no execution is running for it yet.
	r.clock.Set(london(t, "2027-03-15 11:00")) // the next Monday
	broken := r.suite.Actions
	broken.Starter = failingStarter{}
	if _, err := broken.Reopen(ctx, id, actions.Close{By: "sm-1", Reason: "school reports new injuries"}); err == nil {
		t.Fatal("a failed start was not reported")
	}
	c := r.contact(id)
	if c.Status != domain.StatusReceived || len(c.Reopenings) != 1 || c.ExecutionName() != string(id)+"-reopen-1" {
		t.Fatalf("after the reopening: %s, %d reopenings, execution %s", c.Status, len(c.Reopenings), c.ExecutionName())
	}
	if known, _ := r.suite.Exec.Known(ctx, c.ExecutionName()); known {
		t.Fatal("an execution started although the start failed")
	}
	// Asked again: the same reopening's execution starts, once.
	if _, err := r.suite.Actions.Reopen(ctx, id, actions.Close{By: "sm-1", Reason: "school reports new injuries"}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.suite.Actions.Reopen(ctx, id, actions.Close{By: "sm-1", Reason: "school reports new injuries"}); err != nil &&
		domain.ErrorCode(err) != domain.CodeConflict {
		t.Fatalf("a second delivery: %v", err)
	}
	r.advance(time.Minute, time.Minute)
	e, ok := r.suite.Exec.Get(string(id) + "-reopen-1")
	if !ok || e.Status() != flow.Running {
		t.Fatalf("the reopening's execution: %v", ok)
	}
	if known, _ := r.suite.Exec.Known(ctx, string(id)+"-reopen-2"); known {
		t.Fatal("a second execution started for one reopening")
	}
	c = r.contact(id)
	if c.Status != domain.StatusAwaitingRating || c.Rating != nil || c.Outcome != nil {
		t.Fatalf("the new pass: %s rating %v outcome %v; want awaiting a fresh rating", c.Status, c.Rating, c.Outcome)
	}
	if got, want := c.Deadlines[policy.RuleScreeningCSC], london(t, "2027-03-16 11:00"); !got.Equal(want) {
		t.Errorf("screening.csc %v, want %v (24 hours from the reopening)", got, want)
	}
	if ev, ok := findAction(r, id, "contact.reopened"); !ok || ev.Detail["previousOutcome"] != string(domain.OutcomeEarlyHelp) || ev.Detail["execution"] != string(id)+"-reopen-1" {
		t.Errorf("reopened event %+v", ev)
	}
	// The new pass goes on as any contact: rated, decided; the execution ends.
	r.rate(ctx, id, actions.Rate{Value: domain.RatingAmber, Rationale: "new injuries", By: "tm-1", NoChecks: true})
	r.advance(time.Minute, time.Minute)
	r.census(ctx, id) // the screener records the codes the referral did not give (issue #16)
	r.decide(ctx, id, actions.Decide{Outcome: domain.OutcomeS17, Rationale: "assessment", By: "tm-1"})
	r.advance(time.Minute, time.Minute)
	if e.Status() != flow.Succeeded {
		t.Errorf("the reopening's execution %s after the decision", e.Status())
	}
}

func findAction(r *rig, id domain.ContactID, action string) (store.AuditEvent, bool) {
	evs, err := r.suite.Store.ListAudit(context.Background(), id)
	if err != nil {
		r.t.Fatal(err)
	}
	for _, ev := range evs {
		if ev.Action == action {
			return ev, true
		}
	}
	return store.AuditEvent{}, false
}
