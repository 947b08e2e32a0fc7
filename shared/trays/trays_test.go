package trays_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/internal/steptest"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/trays"
	"github.com/safeguarding/mash/shared/workflow"
)

func park(t *testing.T, r *steptest.Rig, c *domain.Contact, tray, token string, due time.Time) {
	t.Helper()
	if _, err := (trays.Park{Env: r.Env}).Handle(context.Background(), workflow.StepInput{ContactID: c.ID, Tray: tray,
		TaskToken: token, DueAt: due.UTC().Format(time.RFC3339)}); err != nil {
		t.Fatal(err)
	}
}

// Hackney §5 / Northamptonshire §10: a rating nobody picked up half-way is flagged to the service manager;
// past its deadline it is escalated, and again every escalation.repeat (2 working hours) until dealt with.
func TestHackney_5_RatingOverdue_EscalatedThenRepeatedByPolicyInterval(t *testing.T) {
	r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
	c := r.Contact("hackney", func(c *domain.Contact) { c.Status, c.Route = domain.StatusScreening, domain.RouteMASH })
	due := steptest.London(t, "2027-03-11 10:00")
	park(t, r, c, trays.Rating, "tok-1", due)
	if got := r.Get(c.ID); got.Status != domain.StatusAwaitingRating {
		t.Fatalf("after park: %s", got.Status)
	}
	if w, err := workflow.OpenWait(context.Background(), r.Store, r.Get(c.ID), trays.Rating); err != nil || w == nil || w.TaskToken != "tok-1" {
		t.Fatalf("after park: the rating wait %+v %v, want its item holding tok-1", w, err)
	}
	esc := trays.Escalate{Env: r.Env}
	in := workflow.StepInput{ContactID: c.ID, Tray: trays.Rating}

	r.Clock.Set(steptest.London(t, "2027-03-10 22:00")) // half-way: unclaimed
	out, err := esc.Handle(context.Background(), in)
	if err != nil || out.DueAt != due.UTC().Format(time.RFC3339) {
		t.Fatalf("unclaimed: %+v %v, want the rest of the window to %v", out, err, due)
	}
	r.Clock.Set(steptest.London(t, "2027-03-11 10:00")) // overdue
	out, err = esc.Handle(context.Background(), in)
	if want := steptest.London(t, "2027-03-11 12:00"); err != nil || out.DueAt != want.UTC().Format(time.RFC3339) {
		t.Fatalf("overdue: %+v %v, want the next escalation at %v", out, err, want)
	}
	if got := r.Get(c.ID).Deadlines[policy.RuleEscalationRepeat]; !got.Equal(steptest.London(t, "2027-03-11 12:00")) {
		t.Errorf("escalation.repeat %v", got)
	}
	r.Clock.Set(steptest.London(t, "2027-03-11 12:00"))
	if _, err := esc.Handle(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, k := range r.Kinds(c.ID) {
		if k == string(domain.NoticeEscalation) {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d escalations, want 3 (unclaimed, overdue, repeat): %v", n, r.Kinds(c.ID))
	}
}

// Portsmouth §7.5: a written referral that arrived clears the phone call's written-form chase: the sweep
// closes the item instead of chasing.
func TestPortsmouth_7_5_WrittenFormArrived_SweepChasesNothing(t *testing.T) {
	r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
	for _, awaiting := range []bool{true, false} {
		c := r.Contact("portsmouth", func(c *domain.Contact) {
			c.Channel, c.Status, c.Flags.AwaitingWrittenForm = domain.ChannelPhone, domain.StatusScreening, awaiting
		})
		if _, err := r.Store.PutTrayItem(context.Background(), store.TrayItem{ID: string(c.ID) + "#written-form", Tray: trays.WrittenForm,
			Authority: c.Authority, ContactID: c.ID, DueAt: r.Clock.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		r.Clock.Advance(2 * time.Hour)
		if _, err := (trays.Sweep{Env: r.Env}).Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		chased := slices.Contains(r.Kinds(c.ID), string(domain.NoticeWrittenFormChase))
		if chased != awaiting {
			t.Errorf("awaiting %v: chased %v", awaiting, chased)
		}
	}
}

// overdueChecks is a Hackney contact rated Red at 10:00 with two partner checks due at 14:00, each on the
// checks tray with its answer link, as the partner-checks step writes them.
func overdueChecks(t *testing.T, r *steptest.Rig) (*domain.Contact, time.Time) {
	t.Helper()
	ctx := context.Background()
	c := r.Contact("hackney", func(c *domain.Contact) {
		c.Status, c.Route = domain.StatusChecks, domain.RouteMASH
		c.Rating = &domain.RatingRecord{Value: domain.RatingRed, Rationale: "r", By: "m", At: r.Clock.Now()}
	})
	due := r.Clock.Now().Add(4 * time.Hour)
	for _, a := range []domain.Agency{domain.AgencyPolice, domain.AgencyHealth} {
		id := string(a) + "-1"
		if _, err := r.Store.PutCheckRequest(ctx, store.CheckRequest{ID: id, ContactID: c.ID, Authority: c.Authority,
			Agency: a, RequestedAt: r.Clock.Now(), DueAt: due, TaskToken: "tok-" + id,
			AnswerLink: "https://console.example/answer/link-" + id, AnswerLinkExpiresAt: due.Add(7 * 24 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if _, err := r.Store.PutTrayItem(ctx, store.TrayItem{ID: string(c.ID) + "#checks#" + id, Tray: trays.Checks, Authority: c.Authority,
			ContactID: c.ID, DueAt: due, Rule: "checks.red", TaskToken: "tok-" + id}); err != nil {
			t.Fatal(err)
		}
	}
	return c, due
}

// reminders counts the chases each check's agency was sent, and fails when one does not carry that check's
// own answer link.
func reminders(t *testing.T, r *steptest.Rig, id domain.ContactID) map[string]int {
	t.Helper()
	n := map[string]int{}
	for _, m := range r.Sent(id) {
		if m.Kind != string(domain.NoticeCheckRequest) || !strings.Contains(strings.ToLower(m.Subject), "reminder") {
			continue
		}
		for _, check := range []string{"police-1", "health-1"} {
			if strings.Contains(m.Text, check) { // the check's id is in its answer link only
				n[check]++
				if !strings.Contains(m.Text, "https://console.example/answer/link-"+check) {
					t.Errorf("the chase of %s does not carry its answer link:\n%s", check, m.Text)
				}
			}
		}
	}
	return n
}

func escalations(r *steptest.Rig, id domain.ContactID) int {
	n := 0
	for _, k := range r.Kinds(id) {
		if k == string(domain.NoticeEscalation) {
			n++
		}
	}
	return n
}

// Hackney §5 (checks within the rating's window; delays go to the MASH service manager): a check past its
// deadline is chased by the SLA sweep — the agency reminded with the same answer link, the service manager
// told — and again every escalation.repeat (2 working hours) after its own last chase, each check on its
// own clock, until it is answered or a manager closes it with a reason. A sweep run again sends nothing
// twice; the ASL's check timeout itself sends nothing (the sweep owns the chase).
func TestHackney_5_CheckOverdue_ChasedRepeatedlyUntilAnsweredOrClosed(t *testing.T) {
	r := steptest.New(t, steptest.London(t, "2027-03-10 10:00")) // a Wednesday
	ctx := context.Background()
	c, due := overdueChecks(t, r)
	sweep := trays.Sweep{Env: r.Env}
	run := func(at string) map[string]int {
		t.Helper()
		r.Clock.Set(steptest.London(t, at))
		for range 2 { // twice: a second run at the same instant sends nothing more
			if _, err := sweep.Run(ctx); err != nil {
				t.Fatal(err)
			}
		}
		return reminders(t, r, c.ID)
	}
	if n := run("2027-03-10 13:59"); len(n) != 0 {
		t.Fatalf("chased before the deadline: %v", n)
	}
	r.Clock.Set(due)
	if out, err := (trays.Escalate{Env: r.Env}).Handle(ctx, workflow.StepInput{ContactID: c.ID, Tray: trays.Checks, Agency: domain.AgencyPolice}); err != nil || out.Agency != domain.AgencyPolice {
		t.Fatalf("the wait's timeout: %+v %v", out, err)
	}
	if len(r.Sent(c.ID)) != 0 {
		t.Fatalf("the ASL's timeout sent %v: the sweep chases", r.Kinds(c.ID))
	}
	if n := run("2027-03-10 14:00"); n["police-1"] != 1 || n["health-1"] != 1 || escalations(r, c.ID) != 2 {
		t.Fatalf("at the deadline: chases %v, %d escalations; want each agency chased once and the manager told of each", n, escalations(r, c.ID))
	}
	if n := run("2027-03-10 15:59"); n["police-1"] != 1 || n["health-1"] != 1 {
		t.Fatalf("before the repeat: %v", n)
	}
	if n := run("2027-03-10 16:00"); n["police-1"] != 2 || n["health-1"] != 2 || escalations(r, c.ID) != 4 {
		t.Fatalf("2 working hours later: %v, %d escalations", n, escalations(r, c.ID))
	}
	// The police answer: its chase stops. A manager closes the health check with a reason: its chase stops.
	if _, err := r.Store.AnswerCheck(ctx, c.ID, "police-1", store.CheckAnswer{At: r.Clock.Now(), By: "pc", Summary: "known"}); err != nil {
		t.Fatal(err)
	}
	// 18:00 is after hours: the next working-hours repeat is Thursday 10:00 (09:00 opening + 2 h, less the
	// 16:00–17:00 hour already run).
	if n := run("2027-03-11 09:00"); n["police-1"] != 2 || n["health-1"] != 2 {
		t.Fatalf("overnight: %v", n)
	}
	if n := run("2027-03-11 10:00"); n["police-1"] != 2 || n["health-1"] != 3 {
		t.Fatalf("Thursday 10:00: %v (police answered: no more chases)", n)
	}
	q, _ := r.Store.GetCheck(ctx, c.ID, "health-1")
	if q.Chases != 3 || !q.NextChaseAt.Equal(steptest.London(t, "2027-03-11 12:00")) {
		t.Errorf("health check: %d chases, next %v", q.Chases, q.NextChaseAt)
	}
	if _, err := r.Store.ChangeContact(ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		return store.Change{Events: []store.AuditEvent{{Actor: "sm", Action: "check.closed"}},
			Checks: []store.CheckWrite{{ID: "health-1", Close: &store.CheckClosure{By: "sm", Reason: "health holds nothing: phoned"}}}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if n := run("2027-03-12 17:00"); n["police-1"] != 2 || n["health-1"] != 3 {
		t.Errorf("after the answer and the closure: %v, want no more chases", n)
	}
	evs := 0
	for _, ev := range r.Audit(c.ID) {
		if ev.Action == "check.overdue" {
			evs++
		}
	}
	if evs != 5 {
		t.Errorf("%d check.overdue events, want 5 (one per chase)", evs)
	}
}

// The park (docs/cost.md "A park that moves nothing writes its wait item alone"): a contact that already waits
// on the tray is not rewritten and nothing is added to its trail — the wait's item is the park's one write; one
// that the park moves (a contact in checks after their wait timed out) is moved in one change with the item and
// its tray.parked record. A retried park writes nothing more; an escalation's re-park with a new token closes
// the earlier item, and the wait found is the new one. A contact parked before keeps the item its Tasks names
// until it is parked again.
func TestPark_MovingNothing_WaitItemAlone_ContactRewrittenOnlyToMoveIt(t *testing.T) {
	ctx := context.Background()
	r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
	trail := func(id domain.ContactID) []store.AuditEvent {
		evs, err := r.Store.ListAudit(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return evs
	}
	parks := func(id domain.ContactID) int {
		return len(slices.DeleteFunc(trail(id), func(ev store.AuditEvent) bool { return ev.Action != "tray.parked" }))
	}
	wait := func(c *domain.Contact, tray string) *store.TrayItem {
		t.Helper()
		w, err := workflow.OpenWait(ctx, r.Store, r.Get(c.ID), tray)
		if err != nil || w == nil {
			t.Fatalf("no open %s wait: %v", tray, err)
		}
		return w
	}
	due := steptest.London(t, "2027-03-11 10:00")

	// Screening left it awaiting its rating: the park neither rewrites it nor adds to its trail.
	c := r.Contact("hackney", func(c *domain.Contact) { c.Status, c.Route = domain.StatusAwaitingRating, domain.RouteMASH })
	v, n := r.Get(c.ID).Version, len(trail(c.ID))
	park(t, r, c, trays.Rating, "tok-1", due)
	if got := r.Get(c.ID); got.Version != v || got.Status != domain.StatusAwaitingRating {
		t.Fatalf("after the park: version %d → %d, status %s; want the contact not rewritten", v, got.Version, got.Status)
	}
	first := wait(c, trays.Rating)
	if first.TaskToken != "tok-1" || first.ID != trays.ItemID(c.ID, trays.Rating, "tok-1") || !first.DueAt.Equal(due) || len(trail(c.ID)) != n {
		t.Fatalf("the rating wait %+v, %d events (%d before); want tok-1's item due %v and no event", first, len(trail(c.ID)), n, due)
	}
	park(t, r, c, trays.Rating, "tok-1", due) // a retry
	if ws, _ := r.Store.Waits(ctx, c.ID); len(ws) != 1 || len(trail(c.ID)) != n || r.Get(c.ID).Version != v {
		t.Fatalf("a retried park wrote again: waits %+v, %d events", ws, len(trail(c.ID)))
	}
	park(t, r, c, trays.Rating, "tok-2", due.Add(2*time.Hour)) // the escalation's re-park
	if w := wait(c, trays.Rating); w.TaskToken != "tok-2" || len(trail(c.ID)) != n || r.Get(c.ID).Version != v {
		t.Fatalf("after the re-park: wait %+v, %d events, version %d; want tok-2's, %d, %d", w, len(trail(c.ID)), r.Get(c.ID).Version, n, v)
	}
	if it, err := r.Store.GetTrayItem(ctx, first.ID); err != nil || it.CompletedAt.IsZero() {
		t.Fatalf("the earlier item %+v %v: want it closed by the re-park", it, err)
	}

	// In checks after their wait timed out: the park moves it to awaiting its decision, with the item and the
	// move's record (tray.parked, with the deadline), in one change; a retry writes nothing more.
	d := r.Contact("hackney", func(c *domain.Contact) { c.Status, c.Route = domain.StatusChecks, domain.RouteMASH })
	v = r.Get(d.ID).Version
	park(t, r, d, trays.Decision, "tok-d", due)
	if got := r.Get(d.ID); got.Status != domain.StatusAwaitingDecision || got.Version != v+1 || parks(d.ID) != 1 {
		t.Fatalf("after the decision's park: %s, version %d → %d, %d tray.parked events; want awaiting-decision in one change, one event",
			got.Status, v, got.Version, parks(d.ID))
	}
	if i := slices.IndexFunc(trail(d.ID), func(ev store.AuditEvent) bool { return ev.Action == "tray.parked" }); trail(d.ID)[i].Detail["dueAt"] != due.UTC().Format(time.RFC3339) {
		t.Fatalf("the move's record %+v: want the decision's deadline %v", trail(d.ID)[i], due)
	}
	if w := wait(d, trays.Decision); w.TaskToken != "tok-d" {
		t.Fatalf("the decision wait %+v", w)
	}
	park(t, r, d, trays.Decision, "tok-d", due) // a retry
	if parks(d.ID) != 1 || r.Get(d.ID).Version != v+1 {
		t.Fatalf("a retried moving park wrote again: %d tray.parked events, version %d", parks(d.ID), r.Get(d.ID).Version)
	}

	// Parked before: the item its Tasks names is its wait, until a park with a new token replaces it.
	e := r.Contact("hackney", func(c *domain.Contact) {
		c.Status, c.Route = domain.StatusAwaitingDecision, domain.RouteMASH
		c.Tasks = map[string]string{trays.Decision: string(c.ID) + "#decision#00112233aabbccdd"}
	})
	if _, err := r.Store.PutTrayItem(ctx, store.TrayItem{ID: string(e.ID) + "#decision#00112233aabbccdd", Tray: trays.Decision, Authority: "hackney",
		ContactID: e.ID, DueAt: due, TaskToken: "tok-old"}); err != nil {
		t.Fatal(err)
	}
	if w := wait(e, trays.Decision); w.TaskToken != "tok-old" {
		t.Fatalf("the wait parked before: %+v", w)
	}
	park(t, r, e, trays.Decision, "tok-new", due.Add(2*time.Hour))
	if w := wait(e, trays.Decision); w.TaskToken != "tok-new" {
		t.Fatalf("after the re-park: %+v, want tok-new's", w)
	}
	if it, err := r.Store.GetTrayItem(ctx, string(e.ID)+"#decision#00112233aabbccdd"); err != nil || it.CompletedAt.IsZero() {
		t.Fatalf("the item parked before %+v %v: want it closed by the re-park", it, err)
	}
}
