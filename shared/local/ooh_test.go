package local

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/flow"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/embedded"
)

func phoneCall(harm bool) intake.Recorded {
	return intake.Recorded{Channel: domain.ChannelPhone, RecordedBy: "contact-officer-1",
		Child:    domain.Child{GivenName: "Zebedee", FamilyName: "Canarybird", DateOfBirth: domain.Date{Y: 2016, M: 9, D: 1}},
		Referrer: domain.Referrer{Name: "A Neighbour", Phone: "07700 900123"}, Concerns: "shouting and a child crying for hours",
		ImmediateHarm: intake.HarmOf(harm), Consent: domain.Consent{Status: domain.ConsentUnknown}}
}

// screenedAt returns when the execution entered Screening (fake-clock time), or zero.
func (r *rig) screenedAt(id domain.ContactID) time.Time {
	e, ok := r.suite.Exec.Get(string(id))
	if !ok {
		r.t.Fatal("no execution")
	}
	for _, ev := range e.History() {
		if ev.Type == "StateEntered" && ev.State == "Screening" {
			return ev.At
		}
	}
	return time.Time{}
}

func (r *rig) edtMessages(ref domain.Reference) []string {
	var out []string
	for _, m := range r.outboxMessages() {
		if strings.Contains(header(m, "Subject"), string(ref)) && strings.Contains(header(m, "Subject"), "EDT") {
			out = append(out, m)
		}
	}
	return out
}

// Out-of-hours scenarios on the fake clock, for every seed authority (issue 7 "Must show"): a non-urgent
// contact on Friday 17:30 is queued and screened at Monday 09:00 — Tuesday after a bank holiday Monday — with
// an ooh-review deadline; it never waits in hours.
func TestOOH_FridayEveningQueuedUntilNextOpening_AllAuthorities(t *testing.T) {
	cases := []struct {
		name, arrive, screened string
	}{
		{"ordinary weekend", "2027-03-05 17:30", "2027-03-08 09:00"},
		// Early May bank holiday: Monday 3 May 2027.
		{"bank holiday Monday", "2027-04-30 17:30", "2027-05-04 09:00"},
		// Christmas 2027: Sat 25, Sun 26; substitutes Mon 27, Tue 28 Dec (gb bank holidays).
		{"Christmas 2027 week", "2027-12-24 17:30", "2027-12-29 09:00"},
	}
	for _, authority := range []domain.AuthorityID{"portsmouth", "hackney", "northamptonshire", "bexley", "barnet"} {
		for _, c := range cases {
			t.Run(string(authority)+"/"+c.name, func(t *testing.T) {
				r := newRig(t, london(t, c.arrive))
				res, err := r.suite.Intake.RecordContact(context.Background(), authority, phoneCall(false), "")
				if err != nil {
					t.Fatal(err)
				}
				id := res[0].ContactID
				got := r.contact(id)
				if got.Route != domain.RouteOOHQueue || got.Status != domain.StatusQueuedOOH {
					t.Fatalf("route %s status %s, want ooh-queue/queued-ooh", got.Route, got.Status)
				}
				if _, ok := got.Deadlines["ooh-review"]; !ok {
					t.Fatalf("no ooh-review deadline: %v", got.Deadlines)
				}
				r.advance(6*24*time.Hour, 15*time.Minute)
				if at := r.screenedAt(id); !at.Equal(london(t, c.screened)) {
					t.Fatalf("screened at %s, want %s", at.In(london(t, c.screened).Location()), c.screened)
				}
				if len(r.edtMessages(got.Reference)) != 0 {
					t.Fatal("a non-urgent contact must not go to the EDT")
				}
			})
		}
	}
}

// Saturday, immediate harm: the EDT is told within the same minute, and the contact is still reviewed by
// the MASH when it opens on Monday (Portsmouth seed 000 §8: out-of-hours contacts reviewed the next working
// day).
func TestOOH_SaturdayImmediateHarm_EDTNowThenReviewedMonday(t *testing.T) {
	for _, authority := range []domain.AuthorityID{"portsmouth", "hackney", "northamptonshire", "bexley", "barnet"} {
		t.Run(string(authority), func(t *testing.T) {
			arrive := london(t, "2027-03-06 02:13")
			r := newRig(t, arrive)
			res, err := r.suite.Intake.RecordContact(context.Background(), authority, phoneCall(true), "")
			if err != nil {
				t.Fatal(err)
			}
			c := r.contact(res[0].ContactID)
			if c.Route != domain.RouteEDTNow {
				t.Fatalf("route %s, want edt-now", c.Route)
			}
			edt := r.edtMessages(c.Reference)
			if len(edt) != 1 {
				t.Fatalf("%d EDT messages, want 1", len(edt))
			}
			if d := header(edt[0], "Date"); d == "" {
				t.Fatal("EDT message has no Date")
			}
			ns, err := r.suite.Store.ListNotifications(context.Background(), c.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range ns {
				if n.Kind == "edt-now" && (n.SentAt.Sub(arrive) >= time.Minute || n.SentAt.Before(arrive)) {
					t.Fatalf("EDT message sent at %s for a contact at %s: not within the minute", n.SentAt, arrive)
				}
				if strings.Contains(n.Subject, "Canarybird") {
					t.Fatal("child's name in an EDT subject")
				}
			}
			r.advance(3*24*time.Hour, 30*time.Minute)
			if at := r.screenedAt(c.ID); !at.Equal(london(t, "2027-03-08 09:00")) {
				t.Fatalf("reviewed at %s, want Monday 09:00", at)
			}
		})
	}
}

// Barnet seed 004 "Operating hours": Mon–Thu 9am–5.15pm, Fri 9am–5pm. Thursday 17:10 is in hours; Friday
// 17:10 is out of hours.
func TestOOH_Barnet_Thursday1710InHours_Friday1710OutOfHours(t *testing.T) {
	r := newRig(t, london(t, "2027-11-25 17:10"))
	res, err := r.suite.Intake.RecordContact(context.Background(), "barnet", phoneCall(false), "")
	if err != nil {
		t.Fatal(err)
	}
	if c := r.contact(res[0].ContactID); c.Route != domain.RouteMASH || c.Status != domain.StatusAwaitingRating {
		t.Fatalf("Thursday 17:10: route %s status %s", c.Route, c.Status)
	}
	r2 := newRig(t, london(t, "2027-11-26 17:10"))
	res, err = r2.suite.Intake.RecordContact(context.Background(), "barnet", phoneCall(false), "")
	if err != nil {
		t.Fatal(err)
	}
	if c := r2.contact(res[0].ContactID); c.Route != domain.RouteOOHQueue {
		t.Fatalf("Friday 17:10: route %s", c.Route)
	}
}

// Restarting the local runner mid-weekend loses no queued contact: the execution and the tray item are on
// disk (embedded store + execution snapshots) and the contact is screened at Monday's opening by the new
// process.
func TestOOH_RestartMidWeekend_LosesNothing(t *testing.T) {
	r := newRig(t, london(t, "2027-03-05 18:00"))
	res, err := r.suite.Intake.RecordContact(context.Background(), "hackney", phoneCall(false), "")
	if err != nil {
		t.Fatal(err)
	}
	id := res[0].ContactID
	r.advance(24*time.Hour, time.Hour) // Saturday evening
	// The process stops: close the store, forget the suite. A new process opens the same folder.
	if err := r.suite.Store.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := embedded.Open(filepath.Join(r.dir, "store.db"), r.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	r.suite = r.open(st)
	if _, ok := r.suite.Exec.Get(string(id)); !ok {
		t.Fatal("the queued contact's execution was not resumed")
	}
	items, err := r.suite.EDT.MorningList(context.Background(), "hackney")
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].ContactID != id {
		t.Fatalf("next-morning list after restart: %+v", items)
	}
	r.advance(2*24*time.Hour, time.Hour)
	if at := r.screenedAt(id); !at.Equal(london(t, "2027-03-08 09:00")) {
		t.Fatalf("screened at %s after restart, want Monday 09:00", at)
	}
	if _, status := r.suite.Path(id); status != flow.Running {
		t.Fatalf("status %s", status)
	}
}

// The next-morning list: everything that arrived out of hours, Red (EDT-now) first then by arrival, with
// what the EDT did overnight.
func TestOOH_MorningList_OrderedWithEDTActions(t *testing.T) {
	r := newRig(t, london(t, "2027-03-05 19:00"))
	ctx := context.Background()
	first, err := r.suite.EDT.AddPhoneNote(ctx, "hackney", "edt-worker", phoneCall(false))
	if err != nil {
		t.Fatal(err)
	}
	r.advance(3*time.Hour, time.Hour)
	urgent, err := r.suite.EDT.AddPhoneNote(ctx, "hackney", "edt-worker", phoneCall(true))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.suite.EDT.RecordAction(ctx, urgent[0].ContactID, "edt-worker", "visited with police; child safe with grandmother"); err != nil {
		t.Fatal(err)
	}
	items, err := r.suite.EDT.MorningList(ctx, "hackney")
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 || items[0].ContactID != urgent[0].ContactID || items[1].ContactID != first[0].ContactID {
		t.Fatalf("order: %+v", items)
	}
	if len(items[0].EDTActions) != 1 {
		t.Fatalf("EDT actions: %v", items[0].EDTActions)
	}
	// The same list through the API (GET /v1/ooh/morning).
	la, err := api.LoadOrCreateLocalKey(t.TempDir(), r.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := la.Mint(api.TokenRequest{Authority: "hackney", User: "team-leader", Roles: []string{api.RoleManager}, TTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/v1/ooh/morning", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	r.suite.API("hackney", la.Authenticate).ServeHTTP(rec, req)
	var body struct {
		Items []struct {
			ContactID  string   `json:"contactId"`
			EDTActions []string `json:"edtActions"`
		} `json:"items"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != 200 || len(body.Items) != 2 ||
		body.Items[0].ContactID != string(urgent[0].ContactID) || len(body.Items[0].EDTActions) != 1 {
		t.Fatalf("GET /v1/ooh/morning: %d %s", rec.Code, rec.Body.String())
	}
	// The team leader's read of the list is in each listed contact's timeline, with her name.
	for _, it := range body.Items {
		evs, err := r.suite.Store.ListAudit(ctx, domain.ContactID(it.ContactID))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(evs, func(e store.AuditEvent) bool {
			return e.Actor == "team-leader" && e.Action == "contact.read" && e.Detail["what"] == "morning list"
		}) {
			t.Fatalf("morning list read not audited on %s: %+v", it.ContactID, evs)
		}
	}
	// Nobody reviews them: past ooh-review (Monday 17:00) the SLA sweep escalates to the service manager.
	r.advance(4*24*time.Hour, time.Hour)
	esc := 0
	for _, m := range r.outboxMessages() {
		if strings.Contains(strings.ToLower(header(m, "Subject")), "escalat") && strings.Contains(strings.ToLower(m), "ooh") {
			esc++
		}
	}
	if esc == 0 {
		t.Fatal("overdue out-of-hours items were not escalated")
	}
}
