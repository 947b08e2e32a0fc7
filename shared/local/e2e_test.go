package local

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/actions"
	"github.com/safeguarding/mash/shared/census"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/flow"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/internal/testkit"
	"github.com/safeguarding/mash/shared/store/embedded"
)

// Shared with the other suite-level tests (shared/internal/testkit).

var (
	london = testkit.London
	header = testkit.Header
)

// outboxMessages returns every .eml the folder sender wrote.
func (r *rig) outboxMessages() []string { return testkit.OutboxMessages(r.t, r.outbox) }

const canary = "Canarybird" // docs/architecture.md "Conventions": the canary child "Zebedee Canarybird"

type rig struct {
	t      testing.TB
	suite  *Suite
	clock  *flow.FakeClock
	logs   *bytes.Buffer
	outbox string
	dir    string
}

func newRig(t testing.TB, start time.Time) *rig {
	t.Helper()
	r, st := newRigStore(t, start)
	r.suite = r.open(st)
	return r
}

// newRigStore is a rig on a new state folder with its store open (closed when the test ends) and no suite yet.
func newRigStore(t testing.TB, start time.Time) (*rig, *embedded.Store) {
	t.Helper()
	dir := t.TempDir()
	clk := flow.NewFakeClock(start)
	st, err := embedded.Open(filepath.Join(dir, "store.db"), clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &rig{t: t, clock: clk, logs: &bytes.Buffer{}, outbox: filepath.Join(dir, "outbox"), dir: dir}, st
}

func (r *rig) open(st *embedded.Store) *Suite {
	s, err := New(context.Background(), Options{Dir: r.dir, OutboxDir: r.outbox, Store: st, Clock: r.clock,
		Log: slog.New(slog.NewJSONHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelDebug})), ConsoleURL: "http://localhost:8080"})
	if err != nil {
		r.t.Fatal(err)
	}
	return s
}

// northamptonshireReferral is the canary referral from a school in Northamptonshire.
func northamptonshireReferral() intake.Referral {
	ref := canaryReferral()
	ref.Referrer.Email = "dsl@school.northants.sch.uk"
	return ref
}

// refer makes the referral at Hackney and gives its contact's id; a failure ends the test.
func (r *rig) refer(ctx context.Context, ref intake.Referral) domain.ContactID {
	r.t.Helper()
	return r.referAt(ctx, "hackney", ref)
}

// referAt makes the referral at the authority and gives its contact's id; a failure ends the test.
func (r *rig) referAt(ctx context.Context, a domain.AuthorityID, ref intake.Referral) domain.ContactID {
	r.t.Helper()
	res, err := r.suite.Intake.CreateReferral(ctx, a, ref, "")
	if err != nil {
		r.t.Fatal(err)
	}
	return res[0].ContactID
}

// rate rates the contact; a failure ends the test.
func (r *rig) rate(ctx context.Context, id domain.ContactID, rt actions.Rate) {
	r.t.Helper()
	if _, err := r.suite.Actions.Rate(ctx, id, rt); err != nil {
		r.t.Fatal(err)
	}
}

// decide records the decision; a failure ends the test.
func (r *rig) decide(ctx context.Context, id domain.ContactID, d actions.Decide) {
	r.t.Helper()
	if _, err := r.suite.Actions.Decide(ctx, id, d); err != nil {
		r.t.Fatal(err)
	}
}

func (r *rig) contact(id domain.ContactID) *domain.Contact {
	r.t.Helper()
	c, err := r.suite.Store.GetContact(context.Background(), id)
	if err != nil {
		r.t.Fatal(err)
	}
	return c
}

// advance moves the fake clock in steps (and exactly to each instant the executor has work due), running
// whatever falls due, like `mash run`'s ticker.
// census is the screener recording, through the census action, the census codes intake could not derive
// for a contact (issue #16: screening cannot finish without them): the "not known" choices for the child's
// codes, 8 Other for the source. Nothing when none is missing.
func (r *rig) census(ctx context.Context, id domain.ContactID) {
	r.t.Helper()
	codes := map[string]string{}
	for _, f := range census.Missing(r.contact(id)) {
		codes[f] = map[string]string{"source": "8", "gender": "0", "ethnicity": "NOBT"}[f]
	}
	if len(codes) == 0 {
		return
	}
	if _, err := r.suite.Actions.Census(ctx, id, actions.Census{Source: codes["source"], Gender: codes["gender"], Ethnicity: codes["ethnicity"],
		By: "screener-1"}); err != nil {
		r.t.Fatal(err)
	}
}

func (r *rig) advance(d, step time.Duration) {
	r.t.Helper()
	for end := r.clock.Now().Add(d); r.clock.Now().Before(end); {
		next := r.clock.Now().Add(min(step, end.Sub(r.clock.Now())))
		if due, ok := r.suite.Exec.NextDue(); ok && due.After(r.clock.Now()) && due.Before(next) {
			next = due
		}
		r.clock.Set(next)
		if err := r.suite.Tick(context.Background()); err != nil {
			r.t.Fatal(err)
		}
	}
}

func canaryReferral() intake.Referral {
	return intake.Referral{
		Children: []domain.Child{{GivenName: "Zebedee", FamilyName: "Canarybird", DateOfBirth: domain.Date{Y: 2017, M: 4, D: 2},
			School: "Hillman Street Primary", Address: "1 Example Road, London E8"}},
		Parents: []domain.Parent{{Name: "Morag Canarybird", Relationship: "mother", ParentalResponsibility: true}},
		Referrer: domain.Referrer{Name: "Ann Teacher", Organisation: "Hillman Street Primary", Role: "DSL", Email: "dsl@hillman.hackney.sch.uk",
			Phone: canaryPhone},
		Concerns: "Zebedee Canarybird came to school with bruising and said he was scared to go home. Mum's mobile " +
			canaryMobile + ", email " + canaryEmail + ".",
		Consent:    domain.Consent{Status: domain.ConsentGiven},
		FamilyTold: &domain.FamilyTold{Told: true}, // Barnet "How do I refer?": required there
	}
}

// The whole contact machine on the Go executor with a fake clock: intake → out-of-hours routing →
// screening → a rating wait that times out into escalation → rating → partner checks (Map) → decision →
// notifications. Hackney seed 001 §4.3 (screening within 24 hours) and §5 (GREEN checks within 72 hours).
func TestE2E_Hackney_ContactFromIntakeToNotifications_WithTimeouts(t *testing.T) {
	r := newRig(t, london(t, "2027-03-10 10:00")) // a Wednesday, open
	ctx := context.Background()
	res, err := r.suite.Intake.CreateReferral(ctx, "hackney", canaryReferral(), "key-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Status != intake.StatusCreated || !strings.HasPrefix(string(res[0].Reference), "HAC-2027-") {
		t.Fatalf("intake result: %+v", res)
	}
	id := res[0].ContactID
	if c := r.contact(id); c.Status != domain.StatusAwaitingRating || c.Route != domain.RouteMASH {
		t.Fatalf("after intake: status %s route %s", c.Status, c.Route)
	}

	// Nobody rates it. The heartbeat (half of 24 h) warns; the 24-hour timeout escalates as overdue; the
	// wait starts again with escalation.repeat. 72 hours pass in well under a second of real time.
	realStart := time.Now()
	r.advance(72*time.Hour, 30*time.Minute)
	if took := time.Since(realStart); took > 5*time.Second {
		t.Logf("72 fake hours took %s of real time", took)
	}
	path, status := r.suite.Path(id)
	if status != flow.Running {
		t.Fatalf("execution %s after 72h, path %v", status, path)
	}
	escalations := 0
	for _, m := range r.outboxMessages() {
		if strings.Contains(header(m, "Subject"), "HAC-2027-") && strings.Contains(strings.ToLower(header(m, "Subject")), "escalat") {
			escalations++
		}
	}
	if escalations < 2 {
		t.Fatalf("want an unclaimed warning and an overdue escalation in 72h, got %d escalation messages; path %v", escalations, path)
	}
	if !contains(path, "EscalateRating") {
		t.Fatalf("path has no EscalateRating: %v", path)
	}

	// A manager rates it Green with a written rationale: partner checks go to Hackney's mandatory agencies.
	c, err := r.suite.Actions.Rate(ctx, id, actions.Rate{Value: domain.RatingGreen, Rationale: "needs support; no immediate risk", By: "manager-1"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Rating == nil || c.Rating.Value != domain.RatingGreen {
		t.Fatalf("rating not recorded: %+v", c.Rating)
	}
	checksList, err := r.suite.Store.ListChecks(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(checksList) != len(r.suite.Policies["hackney"].MandatoryAgencies) || len(checksList) == 0 {
		t.Fatalf("checks requested: %d, mandatory %v", len(checksList), r.suite.Policies["hackney"].MandatoryAgencies)
	}
	if r.contact(id).Status != domain.StatusChecks {
		t.Fatalf("status after rating: %s", r.contact(id).Status)
	}
	// Each agency answers within the 72 hours (police says risk is higher).
	r.advance(2*time.Hour, time.Hour)
	for i, ch := range checksList {
		if _, err := r.suite.Actions.AnswerCheck(ctx, id, ch.ID, actions.Answer{By: "agency-" + string(ch.Agency),
			Summary: "known to us; see record", RiskHigher: i == 0}); err != nil {
			t.Fatalf("answer %s: %v", ch.Agency, err)
		}
	}
	if st := r.contact(id).Status; st != domain.StatusAwaitingDecision {
		t.Fatalf("status after checks: %s", st)
	}
	r.census(ctx, id) // the screener records the codes the referral did not give (issue #16)
	c, err = r.suite.Actions.Decide(ctx, id, actions.Decide{Term: "Referral for a statutory social work assessment",
		Outcome: domain.OutcomeS17, Rationale: "child in need assessment", By: "manager-1"})
	if err != nil {
		t.Fatal(err)
	}
	path, status = r.suite.Path(id)
	if status != flow.Succeeded {
		t.Fatalf("execution %s, path %v", status, path)
	}
	if c.Status != domain.StatusDecided || c.Outcome == nil || c.Outcome.Code != domain.OutcomeS17 {
		t.Fatalf("decision: %+v", c.Outcome)
	}
	want := []string{"RouteOutOfHours", "AfterScreening", "AwaitRating", "EscalateRating", "RequestChecks", "AwaitDecision", "Notify"}
	for _, s := range want {
		if !contains(path, s) {
			t.Errorf("path lacks %s: %v", s, path)
		}
	}
	// The last answer ended the checks wait with the decision's plan (contract 4): straight on to the decision.
	if i := slices.Index(path, "RequestChecks"); i < 0 || i+1 >= len(path) || path[i+1] != "AwaitDecision" || contains(path, "Replan") {
		t.Errorf("path %v: want RequestChecks → AwaitDecision, no Replan", path)
	}
	kinds := map[string]bool{}
	for _, m := range r.outboxMessages() {
		subj := header(m, "Subject")
		for _, k := range []string{"received", "outcome", "check", "risk"} {
			if strings.Contains(strings.ToLower(subj), k) {
				kinds[k] = true
			}
		}
	}
	for _, k := range []string{"received", "outcome", "check", "risk"} {
		if !kinds[k] {
			t.Errorf("no %q message in the outbox", k)
		}
	}
	r.assertNoCanary(id)
}

// The canary child's other personal data (issue #13): a date of birth (as stored and as written), an address,
// phone numbers and an email address.
const (
	canaryPhone  = "020 7946 0991"
	canaryMobile = "07700 900461"
	canaryEmail  = "morag.canarybird@example.org"
)

var canaryData = []string{canary, "2017-04-02", "02/04/2017", "1 Example Road", "London E8", canaryPhone, canaryMobile,
	canaryEmail, "morag.canarybird"}

// No personal data in logs, Step Functions payloads or email subjects (docs/architecture.md "Conventions": the canary child).
func (r *rig) assertNoCanary(id domain.ContactID) {
	r.t.Helper()
	e, ok := r.suite.Exec.Get(string(id))
	if !ok {
		r.t.Fatal("no execution")
	}
	snap, _ := json.Marshal(e.Snapshot())
	for _, d := range canaryData {
		if strings.Contains(r.logs.String(), d) {
			r.t.Errorf("the canary's %q appears in a log line", d)
		}
		if strings.Contains(string(snap), d) {
			r.t.Errorf("the canary's %q appears in the execution's payloads", d)
		}
		for _, m := range r.outboxMessages() {
			if strings.Contains(header(m, "Subject"), d) {
				r.t.Errorf("the canary's %q appears in an email subject: %s", d, header(m, "Subject"))
			}
		}
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// Issue #13 "ASL": the partner checks' and the decision's timeouts run on the Go executor, as the rating's
// does above. Nobody answers the checks: their one wait times out at the rating's deadline into Replan and the
// contact goes on to its decision wait, while the SLA sweep chases each check from its own record (the agency
// reminded, the service manager told); nobody decides: the decision times out into EscalateDecision and waits again; a
// decision then ends it.
func TestE2E_Hackney_CheckAndDecisionTimeoutsEscalate(t *testing.T) {
	r := newRig(t, london(t, "2027-03-10 10:00")) // a Wednesday, open
	ctx := context.Background()
	id := r.refer(ctx, canaryReferral())
	r.rate(ctx, id, actions.Rate{Value: domain.RatingGreen, Rationale: "needs support", By: "manager-1"})
	if st := r.contact(id).Status; st != domain.StatusChecks {
		t.Fatalf("status after rating: %s", st)
	}
	r.advance(8*24*time.Hour, time.Hour)
	path, status := r.suite.Path(id)
	if status != flow.Running {
		t.Fatalf("execution %s, path %v", status, path)
	}
	e, _ := r.suite.Exec.Get(string(id))
	var checksTimedOut bool
	for _, ev := range e.History() {
		if ev.Type == "TaskTimedOut" && ev.State == "RequestChecks" {
			checksTimedOut = true
		}
	}
	if !checksTimedOut {
		t.Errorf("the checks' wait did not time out in 8 days")
	}
	checks, err := r.suite.Store.ListChecks(ctx, id)
	if err != nil || len(checks) == 0 {
		t.Fatalf("checks %v %v", checks, err)
	}
	for _, q := range checks {
		if q.Chases == 0 {
			t.Errorf("the overdue %s check was not chased by the SLA sweep: %+v", q.Agency, q)
		}
	}
	if !contains(path, "EscalateDecision") || !contains(path, "AwaitDecision") {
		t.Errorf("the decision wait did not time out into EscalateDecision: path %v", path)
	}
	if st := r.contact(id).Status; st != domain.StatusAwaitingDecision {
		t.Errorf("status %s, want awaiting-decision", st)
	}
	r.census(ctx, id) // the screener records the codes the referral did not give (issue #16)
	r.decide(ctx, id, actions.Decide{Term: "Referral for a statutory social work assessment",
		Outcome: domain.OutcomeS17, Rationale: "child in need assessment", By: "manager-1"})
	if _, status := r.suite.Path(id); status != flow.Succeeded {
		t.Errorf("after the late decision: %s", status)
	}
	r.assertNoCanary(id)
}
