// Package steptest builds what a step package's own tests need to call its handler directly: a real
// embedded store, the real notifier (composer, dispatcher, folder sender) and a fake clock. Contacts are
// put into the status a test starts from with the store itself, never by a hand-made deadline.
package steptest

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/census"
	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/notify"
	notifyfolder "github.com/safeguarding/mash/shared/notify/folder"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/embedded"
	"github.com/safeguarding/mash/shared/workflow"
)

// Rig is one test's world.
type Rig struct {
	T     testing.TB
	Env   workflow.Env
	Store store.Store
	Clock *clock.FakeClock
}

// New opens a rig whose clock reads start.
func New(t testing.TB, start time.Time) *Rig {
	t.Helper()
	clk := clock.NewFakeClock(start)
	st, err := embedded.Open(filepath.Join(t.TempDir(), "store.db"), clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	policies := func(a domain.AuthorityID) (*policy.Policy, error) { return policy.Load(string(a)) }
	nf := notify.Notifier{Composer: notify.Composer{ConsoleURL: "http://localhost:8080", Now: clk.Now},
		Dispatcher: &notify.Dispatcher{Store: st, Sender: notifyfolder.Sender{Dir: filepath.Join(t.TempDir(), "outbox")}, Now: clk.Now,
			Policies: policies}}
	return &Rig{T: t, Store: st, Clock: clk,
		Env: workflow.Env{Store: st, Policies: policies, Now: clk.Now, Log: slog.New(slog.DiscardHandler), Notifier: nf}}
}

// London is a Europe/London wall-clock time "YYYY-MM-DD HH:MM".
func London(t testing.TB, s string) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Contact writes a new contact of an authority received now, changed by edit first (status, flags, route).
func (r *Rig) Contact(authority string, edit func(c *domain.Contact)) *domain.Contact {
	r.T.Helper()
	c := &domain.Contact{ID: domain.NewContactID(), Authority: domain.AuthorityID(authority), Channel: domain.ChannelForm,
		ReceivedAt: r.Clock.Now(), Status: domain.StatusReceived, LinkedTo: []domain.ContactID{}, Deadlines: map[string]time.Time{},
		Child:    domain.Child{GivenName: "Zebedee", FamilyName: "Canarybird", DateOfBirth: domain.Date{Y: 2017, M: 4, D: 2}},
		Referrer: domain.Referrer{Name: "Ann Teacher", Email: "dsl@school.example", Professional: true},
		Concerns: "bruising", Consent: domain.Consent{Status: domain.ConsentGiven}}
	if edit != nil {
		edit(c)
	}
	if err := r.Store.CreateContact(context.Background(), c, store.IdempotencyKey{}, store.AuditEvent{Actor: "test", Action: "contact.created"}); err != nil {
		r.T.Fatal(err)
	}
	return r.Get(c.ID)
}

// Get reads a contact.
func (r *Rig) Get(id domain.ContactID) *domain.Contact {
	r.T.Helper()
	c, err := r.Store.GetContact(context.Background(), id)
	if err != nil {
		r.T.Fatal(err)
	}
	return c
}

// Sent returns the kinds of the contact's messages in the outbox, in order, and fails on one not sent.
func (r *Rig) Sent(id domain.ContactID) []store.Notification {
	r.T.Helper()
	ns, err := r.Store.ListNotifications(context.Background(), id)
	if err != nil {
		r.T.Fatal(err)
	}
	return ns
}

// Kinds lists the kinds of the contact's messages.
func (r *Rig) Kinds(id domain.ContactID) []string {
	var out []string
	for _, n := range r.Sent(id) {
		out = append(out, n.Kind)
	}
	return out
}

// Audit lists the actions of the contact's audit events.
func (r *Rig) Audit(id domain.ContactID) []store.AuditEvent {
	r.T.Helper()
	evs, err := r.Store.ListAudit(context.Background(), id)
	if err != nil {
		r.T.Fatal(err)
	}
	return evs
}

// HasAction reports whether the audit holds an event with the action.
func (r *Rig) HasAction(id domain.ContactID, action string) (store.AuditEvent, bool) {
	for _, e := range r.Audit(id) {
		if e.Action == action {
			return e, true
		}
	}
	return store.AuditEvent{}, false
}

// ScreenerCodes are the census codes the tests' screener chooses for a field intake could not derive
// (issue #16): the explicit "not known" of gender and ethnicity, and 8 Other for the source.
var ScreenerCodes = map[string]string{"source": "8", "gender": "0", "ethnicity": "NOBT"}

// Census is the screener recording the contact's missing census codes through the real transition
// (lifecycle.RecordCensus, audited census.set), as the census action does before a decision; nothing when
// none is missing.
func (r *Rig) Census(id domain.ContactID) *domain.Contact {
	r.T.Helper()
	c := r.Get(id)
	p, err := r.Env.Policies(c.Authority)
	if err != nil {
		r.T.Fatal(err)
	}
	codes := map[string]string{}
	for _, f := range census.Missing(c) {
		codes[f] = ScreenerCodes[f]
	}
	if len(codes) == 0 {
		return c
	}
	c, err = r.Env.Apply(context.Background(), p, id, func(c *domain.Contact) (lifecycle.Result, error) {
		return lifecycle.RecordCensus(c, r.Clock.Now(), codes["source"], codes["gender"], codes["ethnicity"], "screener")
	})
	if err != nil {
		r.T.Fatal(err)
	}
	return c
}
