package screening_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/internal/steptest"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/screening"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/workflow"
)

func screen(t *testing.T, r *steptest.Rig, c *domain.Contact) workflow.ScreeningOutput {
	t.Helper()
	out, err := screening.Step{Env: r.Env}.Handle(context.Background(), workflow.StepInput{ContactID: c.ID, Authority: c.Authority})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func inScreening(c *domain.Contact) { c.Status, c.Route = domain.StatusScreening, domain.RouteMASH }

// Hackney §4 timescale 3: a Children's Social Care screening decision within 24 hours of the contact; the
// rating's wait runs to it.
func TestHackney_4_ScreeningDecisionWithin24Hours(t *testing.T) {
	r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
	c := r.Contact("hackney", inScreening)
	out := screen(t, r, c)
	got := r.Get(c.ID)
	want := steptest.London(t, "2027-03-11 10:00")
	if out.Next != workflow.NextRating || got.Status != domain.StatusAwaitingRating || !got.Deadlines[policy.RuleScreeningCSC].Equal(want) {
		t.Fatalf("next %s status %s screening.csc %v, want rating, awaiting-rating, %v", out.Next, got.Status, got.Deadlines[policy.RuleScreeningCSC], want)
	}
	if out.DueAt != want.UTC().Format(time.RFC3339) {
		t.Errorf("wait due %s, want %v", out.DueAt, want)
	}
	// A retried step changes nothing and answers the same.
	if again := screen(t, r, got); again != out {
		t.Errorf("retry answered %+v, want %+v", again, out)
	}
}

// Hackney §4 B / Bexley §11 / Barnet "What happens next?": an open case goes to the allocated worker; a
// case closed within three calendar months goes back to the unit that closed it.
func TestHackney_4B_OpenCaseAndThreeMonthRule_Forwarded(t *testing.T) {
	cases := []struct {
		name  string
		state store.CaseState
		code  domain.OutcomeCode
		to    string
	}{
		{"open case", store.CaseState{OpenCase: true, AllocatedWorker: "sw@hackney.gov.uk"}, domain.OutcomeForwardAllocated, "sw@hackney.gov.uk"},
		{"closed two months ago", store.CaseState{ClosedAt: steptest.London(t, "2027-01-10 10:00"), ClosedUnit: "unit-7@hackney.gov.uk"}, domain.OutcomeThreeMonthRule, "unit-7@hackney.gov.uk"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
			earlier := r.Contact("hackney", func(c *domain.Contact) { c.Status = domain.StatusDecided })
			if _, err := r.Store.RecordChildCase(context.Background(), earlier.ID, tc.state); err != nil {
				t.Fatal(err)
			}
			c := r.Contact("hackney", inScreening)
			if out := screen(t, r, c); out.Next != workflow.NextForwarded {
				t.Fatalf("next %s, want forwarded", out.Next)
			}
			got := r.Get(c.ID)
			if got.Status != domain.StatusForwarded || got.Outcome.Code != tc.code {
				t.Fatalf("status %s outcome %+v", got.Status, got.Outcome)
			}
			ns := r.Sent(c.ID)
			if len(ns) != 1 || ns[0].Kind != string(domain.NoticeForwarded) || !slices.Equal(ns[0].To, []string{tc.to}) {
				t.Fatalf("outbox %+v, want one forwarded notice to %s", ns, tc.to)
			}
			if ev, ok := r.HasAction(c.ID, "notice.queued"); !ok || !slices.Equal(ev.SharedWith, []string{tc.to}) {
				t.Errorf("no audit of the notice shared with %s: %+v", tc.to, ev)
			}
		})
	}
}

// Northamptonshire §6b: a professional's referral without consent that is not child protection is returned
// to the referrer to seek consent; Hackney does not do this.
func TestNorthamptonshire_6b_NoConsent_ReturnedForConsent(t *testing.T) {
	for _, tc := range []struct {
		authority string
		returned  bool
	}{{"northamptonshire", true}, {"hackney", false}} {
		r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
		c := r.Contact(tc.authority, func(c *domain.Contact) {
			inScreening(c)
			c.Consent = domain.Consent{Status: domain.ConsentNotSought, Reason: "did not ask"}
		})
		out := screen(t, r, c)
		if (out.Next == workflow.NextReturnedForConsent) != tc.returned {
			t.Errorf("%s: next %s, returned want %v", tc.authority, out.Next, tc.returned)
		}
		if tc.returned && !slices.Contains(r.Kinds(c.ID), string(domain.NoticeConsentRequest)) {
			t.Errorf("%s: no consent request in %v", tc.authority, r.Kinds(c.ID))
		}
	}
}

// Northamptonshire §6b returns a referral without consent only when it is not child protection (§5: no
// consent is needed to share a child protection concern). A section 47 concern, an allegation against a
// teacher (the LADO's) and a college's Prevent referral are screened, not sent back to seek the parents'
// consent: on `mash demo --authority northamptonshire` the Prevent lead's "consent not sought: Prevent advice is
// to share before speaking to parents" came back "returned to you to seek consent".
func TestNorthamptonshire_6b_LADOPreventAndS47_NotReturnedForConsent(t *testing.T) {
	for _, tc := range []struct {
		name     string
		edit     func(*domain.Contact)
		returned bool
	}{
		{"LADO allegation", func(c *domain.Contact) { c.Flags.AllegationAgainstProfessional = true }, false},
		{"Prevent", func(c *domain.Contact) { c.Flags.Radicalisation = true }, false},
		{"section 47", func(c *domain.Contact) { c.S47 = true }, false},
		{"domestic abuse alone", func(c *domain.Contact) { c.Flags.DomesticAbuse = true }, true},
		{"nothing else", func(c *domain.Contact) {}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
			c := r.Contact("northamptonshire", func(c *domain.Contact) {
				inScreening(c)
				c.Consent = domain.Consent{Status: domain.ConsentNotSought, Reason: "advised not to tell the parents yet"}
				tc.edit(c)
			})
			out := screen(t, r, c)
			if (out.Next == workflow.NextReturnedForConsent) != tc.returned {
				t.Errorf("next %s, returned want %v", out.Next, tc.returned)
			}
			if got := slices.Contains(r.Kinds(c.ID), string(domain.NoticeConsentRequest)); got != tc.returned {
				t.Errorf("consent request sent %v, want %v (%v)", got, tc.returned, r.Kinds(c.ID))
			}
		})
	}
}

// Hackney §4 timescale 6: a request for information has its own 10-working-day clock, not screening's.
func TestHackney_4_InformationRequest_TenWorkingDays(t *testing.T) {
	r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
	c := r.Contact("hackney", func(c *domain.Contact) { inScreening(c); c.Flags.InformationRequest = true })
	screen(t, r, c)
	got := r.Get(c.ID)
	if _, has := got.Deadlines[policy.RuleScreeningCSC]; has || !got.Deadlines[policy.RuleInfoRequest].Equal(steptest.London(t, "2027-03-24 10:00")) {
		t.Errorf("deadlines %v, want only info-request at 2027-03-24 10:00", got.Deadlines)
	}
	// Hackney §4(5–6): not screened as a referral — it waits on the information-request tray, not the rating tray.
	if got.Status != domain.StatusInformationRequest {
		t.Errorf("status %s, want information-request", got.Status)
	}
	it, err := r.Store.GetTrayItem(context.Background(), screening.InfoItemID(c.ID))
	if err != nil || it.Tray != string(domain.TrayInformationRequest) || !it.DueAt.Equal(steptest.London(t, "2027-03-24 10:00")) {
		t.Errorf("tray item %+v %v, want on information-request due 2027-03-24 10:00", it, err)
	}
	if again := screen(t, r, got); again.Next != screening.NextInformationRequest {
		t.Errorf("a retried step answered %+v", again)
	}
}

// Calendar months, not 90 days (Hackney §4 B, Bexley §11).
func TestThreeMonthRule_CalendarMonths(t *testing.T) {
	closed := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2027, 2, 28, 12, 0, 0, 0, time.UTC), true},
		{time.Date(2027, 3, 3, 12, 0, 0, 0, time.UTC), false},
		{time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC), false},
	} {
		if got := screening.WithinThreeMonths(closed, tc.at); got != tc.want {
			t.Errorf("closed %v, contact %v: %v, want %v", closed, tc.at, got, tc.want)
		}
	}
}

// Portsmouth §7.5: immediate harm is phoned through and followed by the written form within 24 hours. The
// written referral for the same child clears the call's chase.
func TestPortsmouth_7_5_WrittenReferralClearsThePhoneCallsChase(t *testing.T) {
	r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
	ctx := context.Background()
	call := r.Contact("portsmouth", func(c *domain.Contact) {
		c.Channel, c.ImmediateHarm, c.Flags.AwaitingWrittenForm = domain.ChannelPhone, true, true
		c.Status, c.Route = domain.StatusAwaitingRating, domain.RouteMASH
	})
	if _, err := r.Store.PutTrayItem(ctx, store.TrayItem{ID: string(call.ID) + "#written-form", Tray: "written-form", Authority: "portsmouth",
		ContactID: call.ID, DueAt: r.Clock.Now().Add(24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	r.Clock.Advance(3 * time.Hour)
	written := r.Contact("portsmouth", inScreening)
	screen(t, r, written)
	if got := r.Get(call.ID); got.Flags.AwaitingWrittenForm {
		t.Error("the phone call still awaits its written form")
	}
	if it, err := r.Store.GetTrayItem(ctx, string(call.ID)+"#written-form"); err != nil || it.CompletedAt.IsZero() {
		t.Errorf("the chase item is still open: %+v %v", it, err)
	}
	if ev, ok := r.HasAction(call.ID, "written-form.received"); !ok || ev.Detail["writtenContact"] != string(written.ID) {
		t.Errorf("audit %+v", ev)
	}
}

// closesFail is the store of a function that stops right after its write: every close of a tray item apart
// from a contact's change fails.
type closesFail struct{ store.Store }

func (closesFail) CompleteTrayItem(context.Context, string, string) (store.TrayItem, error) {
	return store.TrayItem{}, errors.New("the function stopped after its write")
}

// Portsmouth §7.5: the written referral marks the earlier call received and ends its written-form chase in one
// write (store.Change.Closes), so a function stopping after that write cannot leave the call received and its
// chase going on (the item was closed after the write before).
func TestPortsmouth_7_5_TheCallsChaseEndsInTheWriteThatMarksItReceived(t *testing.T) {
	r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
	ctx := context.Background()
	call := r.Contact("portsmouth", func(c *domain.Contact) {
		c.Channel, c.ImmediateHarm, c.Flags.AwaitingWrittenForm = domain.ChannelPhone, true, true
		c.Status, c.Route = domain.StatusAwaitingRating, domain.RouteMASH
	})
	item := string(call.ID) + "#written-form"
	if _, err := r.Store.PutTrayItem(ctx, store.TrayItem{ID: item, Tray: "written-form", Authority: "portsmouth",
		ContactID: call.ID, DueAt: r.Clock.Now().Add(24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	written := r.Contact("portsmouth", inScreening)
	env := r.Env
	env.Store = closesFail{r.Store}
	if _, err := (screening.Step{Env: env}).Handle(ctx, workflow.StepInput{ContactID: written.ID, Authority: written.Authority}); err != nil {
		t.Fatal(err)
	}
	if r.Get(call.ID).Flags.AwaitingWrittenForm {
		t.Fatal("the phone call still awaits its written form")
	}
	if it, err := r.Store.GetTrayItem(ctx, item); err != nil || it.CompletedAt.IsZero() || it.CompletedBy != workflow.FnScreening {
		t.Errorf("the chase item: closed at %v by %q (%v), want closed by screening in the call's write", it.CompletedAt, it.CompletedBy, err)
	}
}
