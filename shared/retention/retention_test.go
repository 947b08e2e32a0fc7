package retention_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/adapters/folder"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/internal/steptest"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/retention"
	"github.com/safeguarding/mash/shared/store"
)

type world struct {
	t     *testing.T
	r     *steptest.Rig
	p     *policy.Policy
	blobs folder.Blobs
}

func newWorld(t *testing.T, start time.Time) *world {
	p, err := policy.Load("hackney")
	if err != nil {
		t.Fatal(err)
	}
	return &world{t: t, r: steptest.New(t, start), p: p, blobs: folder.Blobs{Dir: t.TempDir()}}
}

// decided makes a contact awaiting decision and decides it through the lifecycle's write (which stamps its
// retention), with the child's date of birth.
func (w *world) decided(code domain.OutcomeCode, dob domain.Date, edit func(c *domain.Contact)) *domain.Contact {
	w.t.Helper()
	c := w.r.Contact("hackney", func(c *domain.Contact) {
		c.Status = domain.StatusAwaitingDecision
		c.Child.DateOfBirth = dob
		c.Rating = &domain.RatingRecord{Value: domain.RatingGreen, Rationale: "seen", By: "mgr", At: w.r.Clock.Now()}
		if edit != nil {
			edit(c)
		}
	})
	w.r.Census(c.ID)
	if _, err := w.r.Env.Apply(context.Background(), w.p, c.ID, func(c *domain.Contact) (lifecycle.Result, error) {
		return lifecycle.Decide(w.p, c, w.r.Clock.Now(), lifecycle.Decision{Code: code, Term: "t", Rationale: "r", By: "mgr",
			FeedbackWithheldReason: "test"})
	}); err != nil {
		w.t.Fatal(err)
	}
	return w.r.Get(c.ID)
}

func (w *world) run(dry bool) retention.Report {
	w.t.Helper()
	rep, err := retention.Job{Store: w.r.Store.(retention.Store), Blobs: w.blobs, Policy: w.p, Now: w.r.Clock.Now}.Run(context.Background(), dry)
	if err != nil {
		w.t.Fatal(err)
	}
	return rep
}

func (w *world) exists(id domain.ContactID) bool {
	_, err := w.r.Store.GetContact(context.Background(), id)
	if err != nil && domain.ErrorCode(err) != domain.CodeNotFound {
		w.t.Fatal(err)
	}
	return err == nil
}

// Each policy's retention periods (infra/authorities/*.yaml retention:, assumed until the council's schedule
// replaces them), on the fake clock: a contact with no further action goes the day its period after
// closure ends and one decided a day later stays; a referral goes on the child's 25th birthday and a child
// born a day later stays; a contact still open is never deleted, however old.
func TestRetention_PolicyPeriods_DeletedTheDayTheyEnd(t *testing.T) {
	t0 := steptest.London(t, "2027-03-10 10:00")
	w := newWorld(t, t0)
	if w.p.Retention.NoFurtherAction.Years != 6 || w.p.Retention.NoFurtherAction.From != "closure" ||
		w.p.Retention.Referrals.Years != 25 || w.p.Retention.Referrals.From != "birth" {
		t.Fatalf("the test assumes Hackney's 6 years from closure and 25 from birth: %+v", w.p.Retention)
	}
	open := w.r.Contact("hackney", nil)
	nfa := w.decided(domain.OutcomeNFA, domain.Date{Y: 2015, M: 1, D: 1}, nil)
	advice := w.decided(domain.OutcomeAdviceSignposting, domain.Date{Y: 2015, M: 1, D: 1}, nil)
	referral := w.decided(domain.OutcomeS17, domain.Date{Y: 2017, M: 4, D: 2}, nil)
	youngerReferral := w.decided(domain.OutcomeS17, domain.Date{Y: 2017, M: 4, D: 3}, nil)
	w.r.Clock.Advance(24 * time.Hour)
	nfaDayLater := w.decided(domain.OutcomeNFA, domain.Date{Y: 2015, M: 1, D: 1}, nil)
	// The day's run records each ended contact's end of retention (the item's TTL), audited.
	if rep := w.run(false); len(rep.Deleted) != 0 || rep.Checked != 5 {
		t.Fatalf("first run: %+v", rep)
	}
	nfa, referral, open = w.r.Get(nfa.ID), w.r.Get(referral.ID), w.r.Get(open.ID)
	if ev, ok := w.r.HasAction(nfa.ID, retention.ActionScheduled); !ok || ev.Detail["rule"] != retention.RuleNoFurtherAction {
		t.Errorf("no retention.scheduled event on the NFA contact: %+v", ev)
	}

	if got, want := nfa.RetainUntil, t0.UTC().AddDate(6, 0, 0); !got.Equal(want) {
		t.Errorf("NFA retainUntil %v, want %v (6 years from the decision)", got, want)
	}
	if got, want := referral.RetainUntil, time.Date(2042, 4, 2, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("referral retainUntil %v, want %v (the 25th birthday)", got, want)
	}
	if !open.RetainUntil.IsZero() {
		t.Errorf("an open contact has a retainUntil: %v", open.RetainUntil)
	}

	for _, step := range []struct {
		at      time.Time
		deleted []*domain.Contact
		kept    []*domain.Contact
	}{
		{t0.AddDate(6, 0, 0).Add(-time.Second), nil, []*domain.Contact{nfa, advice, nfaDayLater, referral, youngerReferral, open}},
		{t0.AddDate(6, 0, 0), []*domain.Contact{nfa, advice}, []*domain.Contact{nfaDayLater, referral, youngerReferral, open}},
		{t0.AddDate(6, 0, 1), []*domain.Contact{nfaDayLater}, []*domain.Contact{referral, youngerReferral, open}},
		{time.Date(2042, 4, 2, 0, 0, 0, 0, time.UTC), []*domain.Contact{referral}, []*domain.Contact{youngerReferral, open}},
		{time.Date(2042, 4, 3, 0, 0, 0, 0, time.UTC), []*domain.Contact{youngerReferral}, []*domain.Contact{open}},
		{t0.AddDate(60, 0, 0), nil, []*domain.Contact{open}},
	} {
		w.r.Clock.Set(step.at)
		rep := w.run(false)
		var got []string
		for _, d := range rep.Deleted {
			got = append(got, string(d.ContactID))
		}
		var want []string
		for _, c := range step.deleted {
			want = append(want, string(c.ID))
			if w.exists(c.ID) {
				t.Errorf("%v: %s is still there", step.at, c.ID)
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%v: deleted %v, want %v", step.at, got, want)
		}
		for _, c := range step.kept {
			if !w.exists(c.ID) {
				t.Errorf("%v: %s was deleted early", step.at, c.ID)
			}
		}
	}
}

// What the job deletes goes whole — the contact's audit trail, checks and messages, its raw email and
// attachments — and the tombstone on the retention trail names the reference, kind, rule and time, never
// the child or the content. A dry run lists the same and deletes nothing.
func TestRetention_DeletesEverythingAndAuditsWithoutContent(t *testing.T) {
	t0 := steptest.London(t, "2027-03-10 10:00")
	w := newWorld(t, t0)
	ctx := context.Background()
	for _, k := range []string{"raw/ses-1", "attachments/hackney/m_ab-01", "raw/other"} {
		if err := w.blobs.Put(ctx, k, []byte("bytes"), "application/octet-stream"); err != nil {
			t.Fatal(err)
		}
	}
	c := w.r.Contact("hackney", func(c *domain.Contact) {
		c.Reference = "HAC-2027-000001"
		c.Status = domain.StatusAwaitingDecision
		c.Rating = &domain.RatingRecord{Value: domain.RatingGreen, Rationale: "seen", By: "mgr", At: t0}
	})
	if err := w.r.Store.AppendAudits(ctx, []store.AuditEvent{
		{ContactID: c.ID, Actor: "intake-email", Action: "contact.created", Detail: map[string]string{"rawKey": "raw/ses-1"}},
		{ContactID: c.ID, Actor: "intake-email", Action: "attachments.kept", Detail: map[string]string{"01": "attachments/hackney/m_ab-01", "name 01": "GP letter.pdf"}},
	}); err != nil {
		t.Fatal(err)
	}
	w.r.Census(c.ID)
	if _, err := w.r.Env.Apply(ctx, w.p, c.ID, func(c *domain.Contact) (lifecycle.Result, error) {
		return lifecycle.Decide(w.p, c, w.r.Clock.Now(), lifecycle.Decision{Code: domain.OutcomeNFA, Term: "NFA", Rationale: "no concerns", By: "mgr"})
	}); err != nil {
		t.Fatal(err)
	}
	if len(w.r.Sent(c.ID)) == 0 {
		t.Fatal("the decision queued no feedback: the test would not see messages deleted")
	}
	w.r.Clock.Set(t0.AddDate(6, 0, 1))

	dry := w.run(true)
	if len(dry.Deleted) != 1 || dry.Deleted[0].Reference != "HAC-2027-000001" || !w.exists(c.ID) {
		t.Fatalf("dry run: %+v (contact there: %v)", dry, w.exists(c.ID))
	}
	if evs, _ := w.r.Store.ListAudit(ctx, store.RetentionTrail("hackney")); len(evs) != 0 {
		t.Fatalf("a dry run wrote %d tombstones", len(evs))
	}

	rep := w.run(false)
	if len(rep.Deleted) != 1 || rep.Deleted[0].Blobs != 2 || rep.Deleted[0].Items < 4 {
		t.Fatalf("run: %+v", rep)
	}
	if evs := w.r.Audit(c.ID); len(evs) != 0 {
		t.Errorf("%d audit events left", len(evs))
	}
	if ns, _ := w.r.Store.ListNotifications(ctx, c.ID); len(ns) != 0 {
		t.Errorf("%d messages left", len(ns))
	}
	for k, gone := range map[string]bool{"raw/ses-1": true, "attachments/hackney/m_ab-01": true, "raw/other": false} {
		_, err := os.Stat(filepath.Join(w.blobs.Dir, k))
		if gone != os.IsNotExist(err) {
			t.Errorf("blob %s: gone %v, want %v", k, os.IsNotExist(err), gone)
		}
	}
	evs, err := w.r.Store.ListAudit(ctx, store.RetentionTrail("hackney"))
	if err != nil || len(evs) != 1 {
		t.Fatalf("tombstones: %v %v", evs, err)
	}
	tomb := evs[0]
	if tomb.Action != retention.ActionDeleted || tomb.Actor != retention.Actor || tomb.Detail["reference"] != "HAC-2027-000001" ||
		tomb.Detail["kind"] != "contact" || tomb.Detail["rule"] != retention.RuleNoFurtherAction || tomb.Detail["outcome"] != "nfa" ||
		!tomb.At.Equal(w.r.Clock.Now().UTC()) {
		t.Errorf("tombstone %+v", tomb)
	}
	js, _ := json.Marshal(tomb)
	for _, personal := range []string{"Zebedee", "Canarybird", "bruising", "dsl@school", "GP letter", "2017-04-02"} {
		if strings.Contains(string(js), personal) {
			t.Errorf("the tombstone keeps %q: %s", personal, js)
		}
	}
	if again := w.run(false); len(again.Deleted) != 0 {
		t.Errorf("a second run deleted %+v", again.Deleted)
	}
}

// A household's children share one email: its raw message and attachments stay while a sibling's contact
// is kept, and go with the last of them.
func TestRetention_HouseholdMailGoesWithTheLastChild(t *testing.T) {
	t0 := steptest.London(t, "2027-03-10 10:00")
	w := newWorld(t, t0)
	ctx := context.Background()
	if err := w.blobs.Put(ctx, "raw/ses-h", []byte("mail"), "message/rfc822"); err != nil {
		t.Fatal(err)
	}
	first := w.decided(domain.OutcomeNFA, domain.Date{Y: 2016, M: 1, D: 1}, nil)
	// The second child's contact is decided a year later (after more work), so kept a year longer.
	w.r.Clock.Advance(365 * 24 * time.Hour)
	second := w.decided(domain.OutcomeNFA, domain.Date{Y: 2018, M: 1, D: 1}, func(c *domain.Contact) { c.LinkedTo = []domain.ContactID{first.ID} })
	if _, err := w.r.Store.ChangeContact(ctx, first.ID, func(c *domain.Contact) (store.Change, error) {
		c.LinkedTo = []domain.ContactID{second.ID}
		return store.Change{Events: []store.AuditEvent{{Actor: "test", Action: "contact.linked"}}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := w.r.Store.AppendAudits(ctx, []store.AuditEvent{
		{ContactID: first.ID, Actor: "intake-email", Action: "contact.created", Detail: map[string]string{"rawKey": "raw/ses-h"}},
		{ContactID: second.ID, Actor: "intake-email", Action: "contact.created", Detail: map[string]string{"rawKey": "raw/ses-h"}},
	}); err != nil {
		t.Fatal(err)
	}
	mail := filepath.Join(w.blobs.Dir, "raw/ses-h")
	w.r.Clock.Set(t0.AddDate(6, 0, 1))
	if rep := w.run(false); len(rep.Deleted) != 1 || rep.Deleted[0].ContactID != first.ID || rep.Deleted[0].BlobsKept != 1 {
		t.Fatalf("first run: %+v", rep.Deleted)
	}
	if _, err := os.Stat(mail); err != nil {
		t.Fatalf("the household's mail went with the first child: %v", err)
	}
	w.r.Clock.Set(t0.AddDate(7, 0, 2))
	if rep := w.run(false); len(rep.Deleted) != 1 || rep.Deleted[0].ContactID != second.ID || rep.Deleted[0].Blobs != 1 {
		t.Fatalf("second run: %+v", rep.Deleted)
	}
	if _, err := os.Stat(mail); !os.IsNotExist(err) {
		t.Errorf("the household's mail outlived its last child: %v", err)
	}
}
