package intake_test

import (
	"context"
	"errors"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/workflow"
)

func goodReferral() intake.Referral {
	return intake.Referral{
		Children: []domain.Child{
			{GivenName: "Mason", FamilyName: "Kerr", DateOfBirth: domain.Date{Y: 2017, M: 5, D: 2}, School: "Northern Parade Junior School"},
			{GivenName: "Evie", FamilyName: "Kerr", DateOfBirth: domain.Date{Y: 2023, M: 1, D: 19}},
		},
		Parents:  []domain.Parent{{Name: "Shannon Kerr", Relationship: "mother", ParentalResponsibility: true}},
		Referrer: domain.Referrer{Name: "Ann Teacher", Organisation: "Northern Parade Junior School", Role: "DSL", Email: "dsl@northern-parade.example.sch.uk"},
		Concerns: "Mason said he is frightened at home after shouting and pushing last night.",
		Consent:  domain.Consent{Status: domain.ConsentGiven},
	}
}

func goodPPN(now time.Time) intake.PPN {
	return intake.PPN{
		PoliceReference: "44260412345", IncidentAt: now.Add(-10 * time.Hour), Location: "88 Stubbington Avenue",
		Children: []intake.PPNChild{
			{Child: domain.Child{GivenName: "Mason", FamilyName: "Kerr", DateOfBirth: domain.Date{Y: 2017, M: 5, D: 2}}},
			{Child: domain.Child{GivenName: "Evie", FamilyName: "Kerr", DateOfBirth: domain.Date{Y: 2023, M: 1, D: 19}}, Injured: true},
		},
		VoiceOfChild:  "I took Evie into my room.",
		Circumstances: "Neighbour heard screaming; suspect arrested later.",
		DomesticAbuse: true,
		Officer:       domain.Referrer{Name: "PC 2291 Daniel Frost", Email: "daniel.frost@hampshire.police.uk"},
	}
}

func goodCall() intake.Recorded {
	return intake.Recorded{
		Channel:    domain.ChannelPhone,
		Child:      domain.Child{GivenName: "Kai", FamilyName: "Whitfield", DateOfBirth: domain.Date{Y: 2012, M: 8, D: 14}},
		Referrer:   domain.Referrer{Name: "Janet Whitfield", Phone: "07700 900812", Email: "janet.w@example.org", Relationship: "grandmother"},
		Concerns:   "Kai has been told to leave home and has nowhere to stay tonight.",
		Consent:    domain.Consent{Status: domain.ConsentUnknown},
		RecordedBy: "mash.screener.1",
	}
}

// fields returns the names of the bad fields of a domain invalid error.
func fields(t *testing.T, err error) []string {
	t.Helper()
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.CodeInvalid {
		t.Fatalf("error %v (%T), want a domain invalid error", err, err)
	}
	var out []string
	for _, f := range de.Fields {
		out = append(out, f.Field)
	}
	sort.Strings(out)
	return out
}

// Each bad field of a request is named in the domain error (docs/architecture.md: invalid errors name each field).
func TestRequests_EachBadFieldNamed(t *testing.T) {
	r := newRig(t, london(t, "2026-11-16 10:45"))
	ctx := context.Background()
	now := r.clock.Now()
	cases := []struct {
		name string
		call func() error
		want []string
	}{
		{"referral: no children", func() error {
			x := goodReferral()
			x.Children = nil
			_, err := r.suite.Intake.CreateReferral(ctx, hackney, x, "")
			return err
		}, []string{"children"}},
		{"referral: child without names", func() error {
			x := goodReferral()
			x.Children[1].GivenName, x.Children[1].FamilyName = " ", ""
			_, err := r.suite.Intake.CreateReferral(ctx, hackney, x, "")
			return err
		}, []string{"children[1].familyName", "children[1].givenName"}},
		{"referral: date of birth missing", func() error {
			x := goodReferral()
			x.Children[0].DateOfBirth = domain.Date{}
			_, err := r.suite.Intake.CreateReferral(ctx, hackney, x, "")
			return err
		}, []string{"children[0].dateOfBirth"}},
		{"referral: date of birth in the future", func() error {
			x := goodReferral()
			x.Children[0].DateOfBirth = domain.Date{Y: now.Year() + 1, M: 1, D: 1}
			_, err := r.suite.Intake.CreateReferral(ctx, hackney, x, "")
			return err
		}, []string{"children[0].dateOfBirth"}},
		{"referral: no concerns", func() error {
			x := goodReferral()
			x.Concerns = "  \n"
			_, err := r.suite.Intake.CreateReferral(ctx, hackney, x, "")
			return err
		}, []string{"concerns"}},
		{"referral: consent refused without reason", func() error {
			x := goodReferral()
			x.Consent = domain.Consent{Status: domain.ConsentRefused}
			_, err := r.suite.Intake.CreateReferral(ctx, hackney, x, "")
			return err
		}, []string{"consent.reason"}},
		{"referral: consent status unknown word", func() error {
			x := goodReferral()
			x.Consent = domain.Consent{Status: "maybe"}
			_, err := r.suite.Intake.CreateReferral(ctx, hackney, x, "")
			return err
		}, []string{"consent.status"}},
		{"referral: anonymous professional, several problems at once", func() error {
			x := goodReferral()
			x.Referrer = domain.Referrer{}
			x.Concerns = ""
			_, err := r.suite.Intake.CreateReferral(ctx, hackney, x, "")
			return err
		}, []string{"concerns", "referrer.email", "referrer.name"}},
		{"ppn: no police reference, no children, no circumstances", func() error {
			x := goodPPN(now)
			x.PoliceReference, x.Children, x.Circumstances = "", nil, ""
			_, err := r.suite.Intake.CreatePPN(ctx, hackney, x, "")
			return err
		}, []string{"children", "circumstances", "policeReference"}},
		{"ppn: incident in the future, child without date of birth", func() error {
			x := goodPPN(now)
			x.IncidentAt = now.Add(48 * time.Hour)
			x.Children[0].DateOfBirth = domain.Date{}
			_, err := r.suite.Intake.CreatePPN(ctx, hackney, x, "")
			return err
		}, []string{"children[0].dateOfBirth", "incidentAt"}},
		{"contact: unknown channel", func() error {
			x := goodCall()
			x.Channel = "carrier-pigeon"
			_, err := r.suite.Intake.RecordContact(ctx, hackney, x, "")
			return err
		}, []string{"channel"}},
		{"contact: email is not a recorded channel", func() error {
			x := goodCall()
			x.Channel = domain.ChannelEmail
			_, err := r.suite.Intake.RecordContact(ctx, hackney, x, "")
			return err
		}, []string{"channel"}},
		{"contact: missing child names, concerns and recorder", func() error {
			x := goodCall()
			x.Child.GivenName, x.Child.FamilyName, x.Concerns, x.RecordedBy = "", "", "", ""
			_, err := r.suite.Intake.RecordContact(ctx, hackney, x, "")
			return err
		}, []string{"child.familyName", "child.givenName", "concerns", "recordedBy"}},
		{"contact: consent not sought without reason", func() error {
			x := goodCall()
			x.Consent = domain.Consent{Status: domain.ConsentNotSought}
			_, err := r.suite.Intake.RecordContact(ctx, hackney, x, "")
			return err
		}, []string{"consent.reason"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := fields(t, c.call())
			if strings.Join(got, ",") != strings.Join(c.want, ",") {
				t.Errorf("fields %v, want %v", got, c.want)
			}
		})
	}
	rr := *r
	rr.t = t
	if n := len(rr.allContacts(hackney)); n != 0 {
		t.Errorf("%d contacts after only invalid requests", n)
	}
	// Errors never carry personal data.
	x := goodReferral()
	x.Concerns = ""
	if _, err := r.suite.Intake.CreateReferral(ctx, hackney, x, ""); err == nil || strings.Contains(err.Error(), "Mason") {
		t.Errorf("error %v", err)
	}
}

// An Idempotency-Key sent again returns the first result as a duplicate: same contacts, no new ones.
func TestRequests_IdempotencyKeyRepeat(t *testing.T) {
	r := newRig(t, london(t, "2026-11-16 10:45"))
	ctx := context.Background()
	first, err := r.suite.Intake.CreateReferral(ctx, hackney, goodReferral(), "idem-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 2 || first[0].Status != intake.StatusCreated || first[1].Status != intake.StatusCreated {
		t.Fatalf("first: %+v", first)
	}
	r.clock.Advance(time.Minute)
	again, err := r.suite.Intake.CreateReferral(ctx, hackney, goodReferral(), "idem-1")
	if err != nil {
		t.Fatal(err)
	}
	ids := func(rs []intake.Result) map[domain.ContactID]domain.Reference {
		m := map[domain.ContactID]domain.Reference{}
		for _, x := range rs {
			m[x.ContactID] = x.Reference
		}
		return m
	}
	if len(again) != 2 || again[0].Status != intake.StatusDuplicate || again[1].Status != intake.StatusDuplicate ||
		again[0].ContactID != first[0].ContactID || len(ids(again)) != 2 {
		t.Fatalf("repeat: %+v, first %+v", again, first)
	}
	for id, ref := range ids(first) {
		if ids(again)[id] != ref {
			t.Errorf("contact %s: reference %q on repeat, %q first", id, ids(again)[id], ref)
		}
		r.assertOneAck(id)
	}
	if n := len(r.allContacts(hackney)); n != 2 {
		t.Errorf("%d contacts, want 2", n)
	}
	// A different key is a different referral.
	other, err := r.suite.Intake.CreateReferral(ctx, hackney, goodReferral(), "idem-2")
	if err != nil || other[0].Status != intake.StatusCreated || other[0].ContactID == first[0].ContactID {
		t.Errorf("other key: %+v %v", other, err)
	}

	// The same for a recorded call and a PPN (whose police reference is a key of its own).
	call, err := r.suite.Intake.RecordContact(ctx, hackney, goodCall(), "call-1")
	if err != nil {
		t.Fatal(err)
	}
	call2, err := r.suite.Intake.RecordContact(ctx, hackney, goodCall(), "call-1")
	if err != nil || len(call2) != 1 || call2[0].Status != intake.StatusDuplicate || call2[0].ContactID != call[0].ContactID {
		t.Errorf("call repeat: %+v %v, first %+v", call2, err, call)
	}
	ppn, err := r.suite.Intake.CreatePPN(ctx, hackney, goodPPN(r.clock.Now()), "ppn-key-1")
	if err != nil {
		t.Fatal(err)
	}
	ppn2, err := r.suite.Intake.CreatePPN(ctx, hackney, goodPPN(r.clock.Now()), "ppn-key-2")
	if err != nil || len(ppn2) != 2 || ppn2[0].Status != intake.StatusDuplicate || ppn2[0].ContactID != ppn[0].ContactID {
		t.Errorf("same police reference, new key: %+v %v, first %+v", ppn2, err, ppn)
	}
}

// A PPN makes one contact per child present; an injured child is immediate harm; the acknowledgement goes to
// the police mailbox (policy contacts.policeMailbox), not to the officer's own address.
func TestRequests_PPN_InjuredChildImmediateHarm_AckToPoliceMailbox(t *testing.T) {
	r := newRig(t, london(t, "2026-11-16 10:45"))
	ctx := context.Background()
	res, err := r.suite.Intake.CreatePPN(ctx, hackney, goodPPN(r.clock.Now()), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 {
		t.Fatalf("%d results, want 2", len(res))
	}
	mailbox := r.suite.Policies[hackney].Contacts.PoliceMailbox.Email
	if mailbox == "" {
		t.Fatal("hackney has no police mailbox")
	}
	for i, x := range res {
		c := r.contact(x.ContactID)
		if c.Channel != domain.ChannelPPN || !c.Flags.PPN || !c.Flags.DomesticAbuse || !c.Referrer.Professional {
			t.Errorf("child %d: channel %s flags %+v", i, c.Channel, c.Flags)
		}
		if want := i == 1; c.ImmediateHarm != want {
			t.Errorf("child %d: immediate harm %v, want %v (only Evie is injured)", i, c.ImmediateHarm, want)
		}
		if c.HouseholdID == "" || len(c.LinkedTo) != 1 {
			t.Errorf("child %d: household %q linked %v", i, c.HouseholdID, c.LinkedTo)
		}
		if !strings.Contains(c.Concerns, "Voice of the child") {
			t.Errorf("child %d: voice of the child not in concerns", i)
		}
		ack := r.assertOneAck(c.ID)
		if len(ack.To) != 1 || !strings.EqualFold(ack.To[0], mailbox) {
			t.Errorf("child %d: acknowledgement to %v, want the police mailbox %s", i, ack.To, mailbox)
		}
	}
}

// Portsmouth seed 000 §7.5: immediate harm is phoned through and followed by the IACF within 24 hours. The
// call is flagged AwaitingWrittenForm with an immediate-harm-form deadline 24 h later and a written-form
// tray item; when the fake clock passes the deadline the SLA sweep chases the referrer.
func TestRequests_PortsmouthImmediateHarmCall_WrittenFormChasedAfter24h(t *testing.T) {
	r := newRig(t, london(t, "2026-11-16 10:45"))
	ctx := context.Background()
	const portsmouth domain.AuthorityID = "portsmouth"
	call := goodCall()
	call.ImmediateHarm = intake.HarmYes
	res, err := r.suite.Intake.RecordContact(ctx, portsmouth, call, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Status != intake.StatusCreated || !strings.HasPrefix(string(res[0].Reference), "POR-2026-") {
		t.Fatalf("result %+v", res)
	}
	id := res[0].ContactID
	c := r.contact(id)
	want := r.clock.Now().Add(24 * time.Hour).UTC()
	if !c.Flags.AwaitingWrittenForm || !c.Deadlines[policy.RuleImmediateHarmForm].Equal(want) {
		t.Fatalf("flags %+v deadline %v, want AwaitingWrittenForm and %v", c.Flags, c.Deadlines[policy.RuleImmediateHarmForm], want)
	}
	it, err := r.suite.Store.GetTrayItem(ctx, string(id)+"#"+intake.WrittenFormTray)
	if err != nil {
		t.Fatal(err)
	}
	if it.Tray != intake.WrittenFormTray || it.ContactID != id || !it.DueAt.Equal(want) || it.Rule != policy.RuleImmediateHarmForm {
		t.Errorf("tray item %+v", it)
	}
	chases := func() []string {
		var out []string
		for _, m := range r.outboxMessages() {
			if header(m, "X-MASH-Kind") == string(intake.KindWrittenFormChase) || strings.Contains(strings.ToLower(header(m, "Subject")), "written") {
				out = append(out, m)
			}
		}
		return out
	}
	// Not yet: just before the deadline nothing is chased.
	r.clock.Set(want.Add(-time.Minute))
	if err := r.suite.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(chases()); n != 0 {
		t.Fatalf("%d chases before the deadline", n)
	}
	r.clock.Set(want.Add(time.Minute))
	if err := r.suite.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	got := chases()
	if len(got) != 1 {
		t.Fatalf("%d written-form chases in the outbox after 24 h, want 1", len(got))
	}
	if subj := header(got[0], "Subject"); !strings.Contains(subj, string(res[0].Reference)) || strings.Contains(subj, "Whitfield") {
		t.Errorf("chase subject %q", subj)
	}
	ns, err := r.suite.Store.ListNotifications(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	kinds := 0
	for _, n := range ns {
		if n.Kind == string(intake.KindWrittenFormChase) {
			kinds++
		}
	}
	if kinds != 1 {
		t.Errorf("%d written-form-chase notifications stored, want 1", kinds)
	}

	// Hackney has no such rule: the same call there awaits nothing.
	res, err = r.suite.Intake.RecordContact(ctx, hackney, call, "")
	if err != nil {
		t.Fatal(err)
	}
	if c := r.contact(res[0].ContactID); c.Flags.AwaitingWrittenForm {
		t.Errorf("hackney call awaits a written form")
	}
	// A non-urgent Portsmouth call awaits nothing either.
	res, err = r.suite.Intake.RecordContact(ctx, portsmouth, goodCall(), "")
	if err != nil {
		t.Fatal(err)
	}
	if c := r.contact(res[0].ContactID); c.Flags.AwaitingWrittenForm || len(c.Deadlines) != 0 && !c.Deadlines[policy.RuleImmediateHarmForm].IsZero() {
		t.Errorf("non-urgent call: %+v %v", c.Flags, c.Deadlines)
	}
}

// trayFailsOnce is a store whose first tray write fails, as a throttled DynamoDB request does.
type trayFailsOnce struct {
	store.Store
	failed atomic.Bool
}

func (s *trayFailsOnce) PutTrayItem(ctx context.Context, t store.TrayItem) (store.TrayItem, error) {
	if s.failed.CompareAndSwap(false, true) {
		return store.TrayItem{}, errors.New("ProvisionedThroughputExceeded")
	}
	return s.Store.PutTrayItem(ctx, t)
}

// Portsmouth seed 000 §7.5, and "nothing lost": when the written-form tray item cannot be written after the
// call's contact was, the client's retry (same Idempotency-Key) finds the contact and writes the tray item,
// so the form is still chased.
func TestRequests_WrittenFormTrayWrittenOnRetry(t *testing.T) {
	r := newRig(t, london(t, "2026-11-16 10:45"))
	ctx := context.Background()
	svc := r.suite.Intake
	svc.Store = &trayFailsOnce{Store: svc.Store}
	call := goodCall()
	call.ImmediateHarm = intake.HarmYes
	if _, err := svc.RecordContact(ctx, "portsmouth", call, "call-1"); err == nil {
		t.Fatal("the tray write failed but the call reported success")
	}
	res, err := svc.RecordContact(ctx, "portsmouth", call, "call-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Status != intake.StatusDuplicate {
		t.Fatalf("retry: %+v, want the first contact as a duplicate", res)
	}
	it, err := r.suite.Store.GetTrayItem(ctx, string(res[0].ContactID)+"#"+intake.WrittenFormTray)
	if err != nil {
		t.Fatalf("no written-form tray item after the retry: %v", err)
	}
	if want := r.clock.Now().Add(24 * time.Hour).UTC(); !it.DueAt.Equal(want) {
		t.Errorf("tray item due %v, want %v", it.DueAt, want)
	}
}

// failingStarter is a workflow that cannot be reached.
type failingStarter struct{}

func (failingStarter) Start(context.Context, workflow.Start) error {
	return errors.New("states unreachable")
}

// Operation Encompass (Hackney: domestic-abuse PPNs are shared with the school): the notice is queued in the
// PPN's own intake write — with the PPN's own incident date and time, audited as what was shared with whom
// at intake — not by the state machine's first step: it is in the outbox even when the workflow cannot be
// started at all.
func TestEncompass_PPN_NoticeInTheIntakeWriteWithTheIncidentDate(t *testing.T) {
	r := newRig(t, london(t, "2026-11-16 10:45")) // a Monday
	ctx := context.Background()
	ppn := goodPPN(r.clock.Now())
	ppn.IncidentAt = london(t, "2026-11-14 23:10") // Saturday night
	ppn.Children = ppn.Children[:1]
	ppn.Children[0].Child.School = "Hillman Street Primary"
	in := r.suite.Intake
	in.Starter = failingStarter{}
	if _, err := in.CreatePPN(ctx, hackney, ppn, "ppn-enc-1"); err == nil {
		t.Fatal("a failed start was not reported")
	}
	cs := r.allContacts(hackney)
	if len(cs) != 1 {
		t.Fatalf("%d contacts, want the PPN's one", len(cs))
	}
	c := cs[0]
	if _, ok := c.Deadlines[policy.RuleEncompass]; !ok {
		t.Fatalf("no encompass deadline: %v", c.Deadlines)
	}
	ns, err := r.suite.Store.ListNotifications(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var enc *store.Notification
	for i, n := range ns {
		if n.Kind == string(domain.NoticeEncompass) {
			enc = &ns[i]
		}
	}
	if enc == nil {
		t.Fatalf("no encompass notice in the intake write: %d messages", len(ns))
	}
	if !strings.Contains(enc.Text, "Saturday 14 November 2026") || !strings.Contains(enc.Text, "23:10") {
		t.Errorf("the notice does not give the PPN's incident date and time:\n%s", enc.Text)
	}
	if strings.Contains(enc.Text, "Monday 16 November 2026") {
		t.Errorf("the notice gives the day the PPN was received:\n%s", enc.Text)
	}
	evs, _ := r.suite.Store.ListAudit(ctx, c.ID)
	queued := false
	for _, ev := range evs {
		queued = queued || (ev.Action == "notice.queued" && ev.Detail["kind"] == string(domain.NoticeEncompass) &&
			ev.Detail["transition"] == "contact.received" && len(ev.SharedWith) > 0)
	}
	if !queued {
		t.Error("no notice.queued audit event of the Encompass notice at intake")
	}
	// The retry (the start now works) queues nothing twice, and the machine's first step sends no second notice.
	if _, err := r.suite.Intake.CreatePPN(ctx, hackney, ppn, "ppn-enc-1"); err != nil {
		t.Fatal(err)
	}
	ns, _ = r.suite.Store.ListNotifications(ctx, c.ID)
	n := 0
	for _, m := range ns {
		if m.Kind == string(domain.NoticeEncompass) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d encompass notices after the retry and the first step, want 1", n)
	}
}
