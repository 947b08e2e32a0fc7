package meeting_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/internal/steptest"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/meeting"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
)

func load(t *testing.T, a string) *policy.Policy {
	t.Helper()
	p, err := policy.Load(a)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

type when struct {
	name, date string
	at         string // "YYYY-MM-DD HH:MM" London; "" when there is no meeting
	code       domain.Code
	mentions   string // the error names it (the meeting days)
}

func checkDates(t *testing.T, authority string, cases []when) {
	t.Helper()
	p := load(t, authority)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := meeting.Start(p, c.date)
			if c.at != "" {
				if err != nil || !got.Equal(steptest.London(t, c.at)) {
					t.Fatalf("Start(%s) = %v, %v; want %s", c.date, got, err, c.at)
				}
				return
			}
			if domain.ErrorCode(err) != c.code || !strings.Contains(err.Error(), c.mentions) {
				t.Fatalf("Start(%s) = %v, %v; want %s naming %q", c.date, got, err, c.code, c.mentions)
			}
		})
	}
}

// Bexley §7: "This meeting happens between Tuesdays – Friday at 11am in the MASH room."
func TestBexley_Meeting_TuesdayToFridayAt11(t *testing.T) {
	checkDates(t, "bexley", []when{
		{name: "Tuesday", date: "2027-03-09", at: "2027-03-09 11:00"},
		{name: "Friday", date: "2027-03-12", at: "2027-03-12 11:00"},
		{name: "Summer time, Wednesday", date: "2027-06-16", at: "2027-06-16 11:00"},
		{name: "Monday: none, the days named", date: "2027-03-08", code: domain.CodeNotFound, mentions: "Tuesday, Wednesday, Thursday and Friday at 11:00"},
		{name: "Saturday", date: "2027-03-13", code: domain.CodeNotFound, mentions: "Tuesday, Wednesday, Thursday and Friday"},
		{name: "Good Friday: the MASH is closed", date: "2027-03-26", code: domain.CodeNotFound, mentions: "closed"},
		{name: "not a date", date: "2027-02-30", code: domain.CodeInvalid, mentions: "date"},
		{name: "not ISO", date: "09/03/2027", code: domain.CodeInvalid, mentions: "date"},
	})
}

// Hackney §6: "Every weekday morning the Multi Agency Safeguarding Hub facilitates a Daily MASH Meeting" (the
// time is the policy's assumption).
func TestHackney_Meeting_EveryWeekdayMorning(t *testing.T) {
	p := load(t, "hackney")
	if !p.Meeting.Assumed || p.Meeting.At >= "12:00" {
		t.Fatalf("hackney meeting %+v: a morning time, marked assumed", p.Meeting)
	}
	cases := []when{{name: "Saturday", date: "2027-03-13", code: domain.CodeNotFound, mentions: "Monday, Tuesday, Wednesday, Thursday and Friday"},
		{name: "Sunday", date: "2027-03-14", code: domain.CodeNotFound, mentions: "Monday"}}
	for d := 8; d <= 12; d++ {
		date := time.Date(2027, 3, d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		cases = append(cases, when{name: date, date: date, at: date + " " + p.Meeting.At})
	}
	checkDates(t, "hackney", cases)
}

// Northamptonshire and Barnet: the seeds describe no daily MASH meeting, so their policies have none.
func TestNorthamptonshireAndBarnet_Meeting_NoneInTheSeed(t *testing.T) {
	for _, a := range []string{"northamptonshire", "barnet"} {
		checkDates(t, a, []when{{name: a, date: "2027-03-09", code: domain.CodeNotFound, mentions: "no daily MASH meeting"}})
	}
}

// Bexley §7: the meeting discusses "concerning referrals": Red or Amber awaiting a decision, partner checks
// overdue by the meeting, contacts returned for consent and open escalations, earliest deadline first; a Green
// awaiting its decision and a contact still awaiting its rating are not on it.
func TestBexley_Meeting_AgendaOfConcerningContactsByDeadline(t *testing.T) {
	ctx := context.Background()
	r := steptest.New(t, steptest.London(t, "2027-03-09 09:00")) // Tuesday
	p := load(t, "bexley")
	screened := func() *domain.Contact {
		c := r.Contact("bexley", func(c *domain.Contact) { c.Status = domain.StatusScreening; c.Route = domain.RouteMASH })
		if _, err := r.Env.Apply(ctx, p, c.ID, func(c *domain.Contact) (lifecycle.Result, error) {
			res, _, err := lifecycle.Screen(p, c, r.Clock.Now(), "test")
			return res, err
		}); err != nil {
			t.Fatal(err)
		}
		return c
	}
	rate := func(c *domain.Contact, v domain.Rating) *domain.Contact {
		got, err := r.Env.Apply(ctx, p, c.ID, func(c *domain.Contact) (lifecycle.Result, error) {
			res, _, err := lifecycle.Rate(p, c, r.Clock.Now(), lifecycle.Rating{Value: v, Rationale: "test", By: "manager"}, nil)
			return res, err
		})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	amber := rate(screened(), domain.RatingAmber) // checks.amber: 1 working day → Wed 09:00
	r.Clock.Advance(30 * time.Minute)
	red := rate(screened(), domain.RatingRed) // checks.red: 4 hours → Tue 13:30
	green := rate(screened(), domain.RatingGreen)
	awaiting := screened()
	// The red's police check, asked at 09:30, due by 10:30 (before the meeting) and still open on the checks tray.
	chk, err := r.Store.PutCheckRequest(ctx, store.CheckRequest{ContactID: red.ID, Authority: "bexley", Agency: domain.AgencyPolice,
		RequestedAt: r.Clock.Now(), DueAt: steptest.London(t, "2027-03-09 10:30")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Store.PutTrayItem(ctx, store.TrayItem{ID: string(red.ID) + "#checks#" + chk.ID, Tray: string(domain.TrayChecks),
		Authority: "bexley", ContactID: red.ID, DueAt: chk.DueAt, Rule: "checks.red"}); err != nil {
		t.Fatal(err)
	}
	// The green's health check is due after the meeting: not overdue.
	if _, err := r.Store.PutTrayItem(ctx, store.TrayItem{ID: string(green.ID) + "#checks#x", Tray: string(domain.TrayChecks),
		Authority: "bexley", ContactID: green.ID, DueAt: steptest.London(t, "2027-03-10 09:30"), Rule: "checks.green"}); err != nil {
		t.Fatal(err)
	}
	// Returned for consent.
	consent := r.Contact("bexley", func(c *domain.Contact) { c.Status = domain.StatusScreening; c.Route = domain.RouteMASH })
	if _, err := r.Env.Apply(ctx, p, consent.ID, func(c *domain.Contact) (lifecycle.Result, error) {
		return lifecycle.ReturnForConsent(p, c, r.Clock.Now(), "test")
	}); err != nil {
		t.Fatal(err)
	}
	// An escalation on the service manager's tray, due Thursday.
	if _, err := r.Store.PutTrayItem(ctx, store.TrayItem{ID: string(awaiting.ID) + "#service-manager", Tray: string(domain.TrayServiceManager),
		Authority: "bexley", ContactID: awaiting.ID, DueAt: steptest.London(t, "2027-03-11 09:00")}); err != nil {
		t.Fatal(err)
	}
	// Another authority's items never appear.
	other := r.Contact("hackney", func(c *domain.Contact) { c.Status = domain.StatusAwaitingRating })
	if _, err := r.Store.PutTrayItem(ctx, store.TrayItem{ID: string(other.ID) + "#service-manager", Tray: string(domain.TrayServiceManager),
		Authority: "hackney", ContactID: other.ID, DueAt: steptest.London(t, "2027-03-09 09:00")}); err != nil {
		t.Fatal(err)
	}

	a, err := meeting.For(ctx, r.Store, p, "2027-03-09")
	if err != nil {
		t.Fatal(err)
	}
	if a.Time != "11:00" || !a.At.Equal(steptest.London(t, "2027-03-09 11:00")) {
		t.Errorf("agenda at %s %v, want 11:00", a.Time, a.At)
	}
	type row struct {
		id      domain.ContactID
		reasons []meeting.Reason
		due     time.Time
	}
	want := []row{
		{red.ID, []meeting.Reason{meeting.ReasonAwaitingChecks, meeting.ReasonOverdueCheck}, steptest.London(t, "2027-03-09 10:30")},
		{amber.ID, []meeting.Reason{meeting.ReasonAwaitingDecision}, amber.Deadlines["checks.amber"]},
		{awaiting.ID, []meeting.Reason{meeting.ReasonOpenEscalation}, steptest.London(t, "2027-03-11 09:00")},
		{consent.ID, []meeting.Reason{meeting.ReasonReturnedConsent}, time.Time{}},
	}
	if len(a.Items) != len(want) {
		t.Fatalf("agenda %+v\nwant %d items", a.Items, len(want))
	}
	for i, w := range want {
		it := a.Items[i]
		var reasons []meeting.Reason
		for _, y := range it.Why {
			reasons = append(reasons, y.Reason)
		}
		if it.ContactID != w.id || !it.DueAt.Equal(w.due) || strings.Join(toStrings(reasons), ",") != strings.Join(toStrings(w.reasons), ",") {
			t.Errorf("item %d: %s %v due %v; want %s %v due %v", i, it.ContactID, reasons, it.DueAt, w.id, w.reasons, w.due)
		}
	}
	// Each decision's reason names the rule its due time is (the decision's tray item's rule), never a rule
	// whose deadline is another time.
	for _, c := range []*domain.Contact{red, amber} {
		for _, it := range a.Items {
			if it.ContactID != c.ID {
				continue
			}
			w := it.Why[0]
			if d, ok := c.Deadlines[w.Rule]; !ok || !d.Equal(w.DueAt) {
				t.Errorf("%s awaiting decision: rule %q (deadline %v), due %v; want the rule whose deadline is the due time (deadlines %v)",
					c.ID, w.Rule, d, w.DueAt, c.Deadlines)
			}
		}
	}
	if got := a.Items[0].Why[1].Agency; got != domain.AgencyPolice {
		t.Errorf("overdue check's agency %q, want police", got)
	}
	// The red waits on its police check: the agenda says so, how many are answered and which is due next.
	if got := a.Items[0].Why[0].Checks; got == nil || got.Asked != 1 || got.Answered != 0 || got.NextAgency != domain.AgencyPolice || !got.NextDueAt.Equal(chk.DueAt) {
		t.Errorf("red's checks %+v, want 0 of 1 answered, police next due %v", got, chk.DueAt)
	}
}

// Bexley §7 (the meeting discusses concerning referrals) and §11 (MASH checks): a Red or Amber contact whose
// partner checks are not all back is on the agenda as waiting on them — how many of how many are answered, and
// the open check due next — never as awaiting a decision; once every check is answered or closed by a manager,
// it awaits the decision.
func TestBexley_7_Meeting_AwaitingChecks_HowManyAnsweredAndTheNextDue(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2027, 3, 9, h, 0, 0, 0, time.UTC) }
	answered := &store.CheckAnswer{}
	closed := &store.CheckClosure{}
	cases := []struct {
		name string
		reqs []store.CheckRequest
		want meeting.Checks
		open int
	}{
		{name: "none asked", want: meeting.Checks{}},
		{name: "one of three answered: the earliest open is next",
			reqs: []store.CheckRequest{{Agency: domain.AgencyPolice, DueAt: at(13), Answer: answered}, {Agency: domain.AgencyHealth, DueAt: at(15)}, {Agency: domain.AgencyEducation, DueAt: at(14)}},
			want: meeting.Checks{Asked: 3, Answered: 1, NextAgency: domain.AgencyEducation, NextDueAt: at(14)}, open: 2},
		{name: "answered and closed: nothing open",
			reqs: []store.CheckRequest{{Agency: domain.AgencyPolice, DueAt: at(13), Answer: answered}, {Agency: domain.AgencyHealth, DueAt: at(12), Closed: closed}},
			want: meeting.Checks{Asked: 2, Answered: 1, Closed: 1}},
		{name: "one closed, one open",
			reqs: []store.CheckRequest{{Agency: domain.AgencyHealth, DueAt: at(12), Closed: closed}, {Agency: domain.AgencyHousing, DueAt: at(16)}},
			want: meeting.Checks{Asked: 2, Closed: 1, NextAgency: domain.AgencyHousing, NextDueAt: at(16)}, open: 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := meeting.CountChecks(tc.reqs)
			if got != tc.want || got.Open() != tc.open {
				t.Fatalf("CountChecks = %+v (open %d), want %+v (open %d)", got, got.Open(), tc.want, tc.open)
			}
		})
	}
}

func toStrings(rs []meeting.Reason) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}
