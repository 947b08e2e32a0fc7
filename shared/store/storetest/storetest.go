// Package storetest is the one contract suite every store adapter passes. An adapter's test calls
//
//	storetest.Run(t, func(t *testing.T) store.Store { ... })
//
// and its constructor must give the store the suite's clock, storetest.Now(t), so that TTL expiry can be
// tested without sleeping. Each subtest gets a fresh, empty store.
package storetest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/flow"
	"github.com/safeguarding/mash/shared/store"
)

// Clock is a settable clock for tests: the executor's fake clock.
type Clock = flow.FakeClock

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return flow.NewFakeClock(t) }

var clocks sync.Map // *testing.T → *Clock

// Now returns the clock the suite set for the running subtest t; a constructor passes it to the store.
// Outside the suite it returns a clock stopped at the suite's start time.
func Now(t *testing.T) func() time.Time {
	if c, ok := clocks.Load(t); ok {
		return c.(*Clock).Now
	}
	return NewClock(T0).Now
}

// T0 is the suite's starting time: Friday 24 Dec 2027 16:59 Europe/London (UTC in winter).
var T0 = time.Date(2027, 12, 24, 16, 59, 0, 0, time.UTC)

type env struct {
	t   *testing.T
	s   store.Store
	clk *Clock
	ctx context.Context
}

// Run runs the contract suite. newStore must return a fresh, empty store using Now(t) as its clock.
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(e *env)
	}{
		{"CreateAndGet", testCreateAndGet},
		{"InvalidContactNamesField", testInvalidContact},
		{"IdempotentCreateUnder50ConcurrentDeliveries", testIdempotentCreate},
		{"HouseholdAllOrNothing", testHousehold},
		{"OptimisticLockConflict", testOptimisticLock},
		{"UpdateClosureErrorWritesNothing", testUpdateClosureError},
		{"ChangeContactWithOutboxAtomic", testChangeContact},
		{"MessagesOfOneChangeKeptInOneItem", testOutboxBatch},
		{"ChangeContactTrayItemsAtomic", testChangeContactTrayItems},
		{"ChangeContactCompletionsAtomic", testChangeContactCompletions},
		{"ChangeContactClosesItsTrayItemsAtomic", testChangeContactCloses},
		{"ChangeContactCheckRecordsAtomic", testChangeContactChecks},
		{"ChangeLoadedUnderTheVersionRead", testChangeLoaded},
		{"CheckWriteFromTheRequestRead", testCheckWriteRead},
		{"ChangeLoadedLeavesTheContactWhenItSetsNothing", testLeaveContact},
		{"MarkSentLoadedUnderTheVersionRead", testMarkSentLoaded},
		{"CompletionDoneLoadedAsWritten", testCompletionDoneLoaded},
		{"CompletionClosesItsWaitAsRead", testCompletionWaitRead},
		{"CompletionKeptOnItsWaitIsFoundAndEnded", testCompletionKeptOnItsWait},
		{"ReferenceSequenceGapFree", testReferences},
		{"NumberedCreateWithOutbox", testNumberedCreate},
		{"ContactByReference", testContactByReference},
		{"NumberedCreateConcurrentGapFree", testNumberedConcurrent},
		{"ChildrenIndex", testChildren},
		{"TrayOrderingAcrossAuthorities", testTrays},
		{"TrayClaimComplete", testTrayClaim},
		{"TrayUnclaimAudited", testTrayUnclaim},
		{"TrayCloseByHandAuditedInOneWrite", testTrayCloseAudited},
		{"Checks", testChecks},
		{"Outbox", testOutbox},
		{"OutboxSendFailures", testOutboxFailures},
		{"AuditImmutable", testAudit},
		{"AuditOrderAsWrittenWithinATick", testAuditOrder},
		{"RestrictedIsolation", testRestricted},
		{"RestrictedWrittenWithTheContact", testRestrictedWithContact},
		{"AuditBatchOfReads", testAuditBatch},
		{"RestrictedWrittenWithAPoliceAnswer", testRestrictedAnswer},
		{"Quarantine", testQuarantine},
		{"QuarantineDiscardKeepsTheMessage", testQuarantineDiscard},
		{"TTLExpiry", testTTL},
		{"SingleUseLinks", testLinks},
		{"AnswerLinkKeptOnItsCheck", testCheckLinks},
		{"CheckTrayItemKeptOnItsRecord", testCheckTrayKept},
		{"WaitItemKeptInItsContactsPartition", testWaitItemsKept},
		{"NotFound", testNotFound},
		{"SchoolDirectory", testSchools},
		{"RetentionDeletesAContactWhole", testDeleteContact},
		{"RetentionDeletesRecordsThatAreNotContacts", testDeleteRecords},
		{"RetentionFindsKeptTrayItemsThroughTheirContact", testKeptTrayItemsByTheirContact},
		{"RetentionDeletesAConsultationWithItsTrayItem", testDeleteConsultationTrayItem},
		{"Consultations", testConsultations},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clk := NewClock(T0)
			clocks.Store(t, clk)
			defer clocks.Delete(t)
			s := newStore(t)
			defer s.Close()
			tc.fn(&env{t: t, s: s, clk: clk, ctx: context.Background()})
		})
	}
}

// NewContact returns a valid contact (no reference) for a child in an authority.
func NewContact(authority, given, family string, dob domain.Date, at time.Time) *domain.Contact {
	return &domain.Contact{
		ID: domain.NewContactID(), Authority: domain.AuthorityID(authority), Channel: domain.ChannelEmail,
		ReceivedAt: at, Status: domain.StatusReceived,
		Child:    domain.Child{GivenName: given, FamilyName: family, DateOfBirth: dob},
		Referrer: domain.Referrer{Name: "A Teacher", Organisation: "School", Email: "dsl@school.example", Professional: true},
		Concerns: "bruising noticed", Consent: domain.Consent{Status: domain.ConsentGiven},
	}
}

// newContact creates a valid contact for a child of an authority, received at T0, as intake does (one
// contact.created event), and returns it.
func (e *env) newContact(authority, given, family string) *domain.Contact {
	e.t.Helper()
	c := NewContact(authority, given, family, dob, T0)
	must(e.t, e.s.CreateContact(e.ctx, c, store.IdempotencyKey{}, created("intake-api")))
	return c
}

func created(actor string) store.AuditEvent {
	return store.AuditEvent{Actor: actor, Action: "contact.created"}
}

func apiKey(v string) store.IdempotencyKey { return store.IdempotencyKey{Kind: store.KeyAPI, Value: v} }

func wantCode(t *testing.T, err error, code domain.Code) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s", code)
	}
	if got := domain.ErrorCode(err); got != code {
		t.Fatalf("got error %v (code %s), want code %s", err, got, code)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

var dob = domain.Date{Y: 2019, M: 2, D: 14}

func testCreateAndGet(e *env) {
	t := e.t
	c := NewContact("la-a", "Zoë", "O'Neil", dob, T0)
	must(t, e.s.CreateContact(e.ctx, c, apiKey("k1"), created("intake-api")))
	if c.Version != 1 || !c.UpdatedAt.Equal(e.clk.Now()) {
		t.Fatalf("after create: version %d updatedAt %v, want 1 and %v", c.Version, c.UpdatedAt, e.clk.Now())
	}
	got, err := e.s.GetContact(e.ctx, c.ID)
	must(t, err)
	if got.ID != c.ID || got.Version != 1 || got.Child.FamilyName != "O'Neil" || !got.ReceivedAt.Equal(T0) ||
		got.Authority != "la-a" || got.Consent.Status != domain.ConsentGiven {
		t.Fatalf("got %+v, want the contact written", got)
	}
	id, ok, err := e.s.LookupKey(e.ctx, apiKey("k1"))
	must(t, err)
	if !ok || id != c.ID {
		t.Fatalf("LookupKey = %q %v, want %q", id, ok, c.ID)
	}
	evs, err := e.s.ListAudit(e.ctx, c.ID)
	must(t, err)
	if len(evs) != 1 || evs[0].Action != "contact.created" || evs[0].ContactID != c.ID || evs[0].ID == "" || !evs[0].At.Equal(e.clk.Now()) {
		t.Fatalf("audit = %+v, want one contact.created event", evs)
	}
	list, err := e.s.ListContacts(e.ctx, "la-a", domain.StatusReceived)
	must(t, err)
	if len(list) != 1 || list[0].ID != c.ID {
		t.Fatalf("ListContacts = %d contacts, want the one created", len(list))
	}
	if other, _ := e.s.ListContacts(e.ctx, "la-b", domain.StatusReceived); len(other) != 0 {
		t.Fatalf("another authority lists %d contacts", len(other))
	}
	kids, err := e.s.FindChildren(e.ctx, "la-a", c.Child.IdentityKey())
	must(t, err)
	if len(kids) != 1 || kids[0].ContactID != c.ID || !kids[0].ReceivedAt.Equal(T0) || kids[0].OpenCase {
		t.Fatalf("FindChildren = %+v", kids)
	}
	// An existing contact id is a conflict, not a second contact.
	dup := *c
	dup.Version = 0
	wantCode(t, e.s.CreateContact(e.ctx, &dup, store.IdempotencyKey{}, created("intake-api")), domain.CodeConflict)
}

func testInvalidContact(e *env) {
	t := e.t
	c := NewContact("la-a", "Amy", "Smith", dob, T0)
	c.Channel = "pigeon"
	err := e.s.CreateContact(e.ctx, c, apiKey("bad"), created("intake-api"))
	wantCode(t, err, domain.CodeInvalid)
	var de *domain.Error
	if !errors.As(err, &de) || len(de.Fields) != 1 || de.Fields[0].Field != "channel" {
		t.Fatalf("error %v does not name the field channel", err)
	}
	if _, err := e.s.GetContact(e.ctx, c.ID); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Fatalf("invalid contact was written: %v", err)
	}
	if _, ok, _ := e.s.LookupKey(e.ctx, apiKey("bad")); ok {
		t.Fatal("key of an invalid contact was written")
	}
	// A missing audit actor is invalid too, naming event.actor.
	c2 := NewContact("la-a", "Amy", "Smith", dob, T0)
	err = e.s.CreateContact(e.ctx, c2, store.IdempotencyKey{}, store.AuditEvent{Action: "contact.created"})
	if !errors.As(err, &de) || de.Code != domain.CodeInvalid || de.Fields[0].Field != "event.actor" {
		t.Fatalf("got %v, want invalid naming event.actor", err)
	}
}

// testIdempotentCreate: 50 concurrent deliveries of one message create one contact; every other delivery is a
// duplicate pointing at it and leaves nothing. A delivery may be created under the contact id of another
// delivery of the same message whose keys it found claimed (a store that claims keys before the contact's write,
// core.PricedPerItem): the contact as the call left it is the one written.
func testIdempotentCreate(e *env) {
	t := e.t
	const n = 50
	key := store.IdempotencyKey{Kind: store.KeySES, Value: "ses-message-0001"}
	ids := make([]domain.ContactID, n)
	cs := make([]*domain.Contact, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		c := NewContact("la-a", "Ben", "Jones", dob, T0)
		ids[i], cs[i] = c.ID, c
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = e.s.CreateContact(e.ctx, c, key, created("intake-email"))
		}()
	}
	close(start)
	wg.Wait()
	var winner domain.ContactID
	for i, err := range errs {
		if err == nil {
			if winner != "" {
				t.Fatalf("two deliveries created contacts: %s and %s", winner, cs[i].ID)
			}
			winner = cs[i].ID
		}
	}
	if winner == "" {
		t.Fatalf("no delivery created a contact; first error: %v", errs[0])
	}
	for i, err := range errs {
		if err == nil {
			continue
		}
		var d *store.DuplicateError
		if !errors.As(err, &d) || !errors.Is(err, domain.ErrDuplicate) || domain.ErrorCode(err) != domain.CodeDuplicate {
			t.Fatalf("delivery %d: got %v, want *DuplicateError", i, err)
		}
		if d.ContactID != winner {
			t.Fatalf("duplicate points at %s, want the winner %s", d.ContactID, winner)
		}
		if ids[i] == winner {
			continue // the delivery whose claim the winner took: its id is the contact's
		}
		if _, err := e.s.GetContact(e.ctx, ids[i]); domain.ErrorCode(err) != domain.CodeNotFound {
			t.Fatalf("losing delivery %d left a contact (err %v)", i, err)
		}
		if evs, _ := e.s.ListAudit(e.ctx, ids[i]); len(evs) != 0 {
			t.Fatalf("losing delivery %d left %d audit events", i, len(evs))
		}
	}
	if id, ok, err := e.s.LookupKey(e.ctx, key); err != nil || !ok || id != winner {
		t.Fatalf("the key points at %s (%v %v), want the contact %s", id, ok, err, winner)
	}
	list, err := e.s.ListContacts(e.ctx, "la-a", domain.StatusReceived)
	must(t, err)
	if len(list) != 1 || list[0].ID != winner {
		t.Fatalf("%d contacts exist, want exactly one", len(list))
	}
	kids, err := e.s.FindChildren(e.ctx, "la-a", list[0].Child.IdentityKey())
	must(t, err)
	if len(kids) != 1 {
		t.Fatalf("%d children-index entries, want 1", len(kids))
	}
}

func testHousehold(e *env) {
	t := e.t
	// Pre-existing key for the third child: the whole household write must fail.
	first := NewContact("la-b", "Old", "Contact", dob, T0)
	must(t, e.s.CreateContact(e.ctx, first, apiKey("hh-3"), created("intake-api")))
	hid := domain.NewHouseholdID()
	var cs []store.NewContact
	for i, name := range []string{"Ann", "Bob", "Cat"} {
		c := NewContact("la-b", name, "Family", domain.Date{Y: 2015 + i, M: 1, D: 1}, T0)
		c.HouseholdID = hid
		cs = append(cs, store.NewContact{Contact: c, Keys: []store.IdempotencyKey{apiKey(fmt.Sprintf("hh-%d", i+1))}, Event: created("intake-email"),
			TrayItems: []store.TrayItem{{ID: string(c.ID) + "#encompass-unmatched", Tray: "encompass-unmatched", DueAt: T0.Add(time.Hour)}}})
	}
	err := e.s.CreateHousehold(e.ctx, cs)
	var d *store.DuplicateError
	if !errors.As(err, &d) || d.ContactID != first.ID {
		t.Fatalf("got %v, want DuplicateError pointing at %s", err, first.ID)
	}
	for _, nc := range cs {
		if _, err := e.s.GetContact(e.ctx, nc.Contact.ID); domain.ErrorCode(err) != domain.CodeNotFound {
			t.Fatalf("household write was half-done: %s exists", nc.Contact.ID)
		}
		if nc.Contact.Version != 0 {
			t.Fatal("failed write set the caller's version")
		}
	}
	for _, k := range []string{"hh-1", "hh-2"} {
		if _, ok, _ := e.s.LookupKey(e.ctx, apiKey(k)); ok {
			t.Fatalf("key %s of a failed household write exists", k)
		}
	}
	for _, nc := range cs {
		if _, err := e.s.GetTrayItem(e.ctx, nc.TrayItems[0].ID); domain.ErrorCode(err) != domain.CodeNotFound {
			t.Fatalf("tray item %s of a failed household write exists", nc.TrayItems[0].ID)
		}
	}
	// With a fresh third key the household is written whole, its tray items with it.
	cs[2].Keys = []store.IdempotencyKey{apiKey("hh-3b")}
	must(t, e.s.CreateHousehold(e.ctx, cs))
	for _, nc := range cs {
		it, err := e.s.GetTrayItem(e.ctx, nc.TrayItems[0].ID)
		must(t, err)
		if it.ContactID != nc.Contact.ID || it.Authority != "la-b" {
			t.Fatalf("tray item %+v: want the contact's", it)
		}
	}
	list, err := e.s.ListContacts(e.ctx, "la-b", domain.StatusReceived)
	must(t, err)
	if len(list) != 4 {
		t.Fatalf("%d contacts, want 4", len(list))
	}
	for _, nc := range cs {
		if nc.Contact.Version != 1 {
			t.Fatalf("version %d after household create", nc.Contact.Version)
		}
	}
}

func testOptimisticLock(e *env) {
	t := e.t
	c := e.newContact("la-d", "Dee", "Ray")
	e.clk.Advance(time.Minute)
	got, err := e.s.UpdateContact(e.ctx, c.ID, func(c *domain.Contact) (store.AuditEvent, error) {
		c.Status = domain.StatusScreening
		return store.AuditEvent{Actor: "screening", Action: "status.set", Reason: "screening started"}, nil
	})
	must(t, err)
	if got.Version != 2 || got.Status != domain.StatusScreening || !got.UpdatedAt.Equal(e.clk.Now()) {
		t.Fatalf("after update: %+v", got)
	}
	// A concurrent change between load and write: the outer update must fail with conflict.
	_, err = e.s.UpdateContact(e.ctx, c.ID, func(c *domain.Contact) (store.AuditEvent, error) {
		if _, err := e.s.UpdateContact(e.ctx, c.ID, func(c2 *domain.Contact) (store.AuditEvent, error) {
			c2.Status = domain.StatusAwaitingRating
			return store.AuditEvent{Actor: "manager-2", Action: "status.set"}, nil
		}); err != nil {
			t.Errorf("inner update: %v", err)
		}
		c.Status = domain.StatusClosed
		return store.AuditEvent{Actor: "manager-1", Action: "status.set"}, nil
	})
	wantCode(t, err, domain.CodeConflict)
	if !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("errors.Is(%v, ErrConflict) is false", err)
	}
	now, err := e.s.GetContact(e.ctx, c.ID)
	must(t, err)
	if now.Version != 3 || now.Status != domain.StatusAwaitingRating {
		t.Fatalf("after conflict: version %d status %s, want 3 awaiting-rating", now.Version, now.Status)
	}
	evs, err := e.s.ListAudit(e.ctx, c.ID)
	must(t, err)
	if len(evs) != 3 {
		t.Fatalf("%d audit events, want 3 (create, update, inner update)", len(evs))
	}
	for _, ev := range evs {
		if ev.Actor == "manager-1" {
			t.Fatal("the losing update's audit event was written")
		}
	}
	// Status index follows the status.
	if l, _ := e.s.ListContacts(e.ctx, "la-d", domain.StatusReceived); len(l) != 0 {
		t.Fatal("contact still listed under its old status")
	}
	if l, _ := e.s.ListContacts(e.ctx, "la-d", domain.StatusAwaitingRating); len(l) != 1 || l[0].Version != 3 {
		t.Fatal("contact not listed under its new status")
	}
	// Concurrent updaters: every update either lands or reports conflict; versions add up.
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.s.UpdateContact(e.ctx, c.ID, func(c *domain.Contact) (store.AuditEvent, error) {
				c.Concerns += "."
				return store.AuditEvent{Actor: "worker", Action: "concerns.edited"}, nil
			})
			if err == nil {
				mu.Lock()
				ok++
				mu.Unlock()
			} else if domain.ErrorCode(err) != domain.CodeConflict {
				t.Errorf("concurrent update: %v", err)
			}
		}()
	}
	wg.Wait()
	final, err := e.s.GetContact(e.ctx, c.ID)
	must(t, err)
	if ok == 0 || final.Version != int64(3+ok) || final.Concerns != "bruising noticed"+strings.Repeat(".", ok) {
		t.Fatalf("%d updates landed, version %d, concerns %q", ok, final.Version, final.Concerns)
	}
}

func testUpdateClosureError(e *env) {
	t := e.t
	c := e.newContact("la-c", "Eve", "Stone")
	boom := errors.New("rule says no")
	_, err := e.s.UpdateContact(e.ctx, c.ID, func(c *domain.Contact) (store.AuditEvent, error) {
		c.Status = domain.StatusClosed
		return store.AuditEvent{}, boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want the closure's error", err)
	}
	// A change that breaks validation is invalid and names the field.
	_, err = e.s.UpdateContact(e.ctx, c.ID, func(c *domain.Contact) (store.AuditEvent, error) {
		c.Rating = &domain.RatingRecord{Value: domain.RatingRed, By: "mgr", At: T0}
		return store.AuditEvent{Actor: "mgr", Action: "rating.set"}, nil
	})
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.CodeInvalid || de.Fields[0].Field != "rating.rationale" {
		t.Fatalf("got %v, want invalid naming rating.rationale", err)
	}
	_, err = e.s.UpdateContact(e.ctx, c.ID, func(c *domain.Contact) (store.AuditEvent, error) {
		c.Authority = "la-a"
		return store.AuditEvent{Actor: "mgr", Action: "moved"}, nil
	})
	wantCode(t, err, domain.CodeInvalid)
	got, err := e.s.GetContact(e.ctx, c.ID)
	must(t, err)
	if got.Version != 1 || got.Status != domain.StatusReceived || got.Rating != nil {
		t.Fatalf("a failed update wrote: %+v", got)
	}
	if evs, _ := e.s.ListAudit(e.ctx, c.ID); len(evs) != 1 {
		t.Fatalf("%d audit events after failed updates, want 1", len(evs))
	}
}

// testChangeLoaded: a change from the contact the caller read (no read again) is written with its events and
// items when the contact is as read; the caller's copy is left as it was; a contact changed since it was read
// is a conflict that writes nothing (neither the contact, nor its events, nor its items); a contact not read
// from the store is refused.
func testChangeLoaded(e *env) {
	t := e.t
	c := e.newContact("la-c", "Ola", "Reid")
	loaded, err := e.s.GetContact(e.ctx, c.ID)
	must(t, err)
	got, err := e.s.ChangeLoaded(e.ctx, loaded, func(c *domain.Contact) (store.Change, error) {
		c.Status = domain.StatusScreening
		return store.Change{Events: []store.AuditEvent{{Actor: "out-of-hours", Action: "route.decided"}},
			TrayItems: []store.TrayItem{{ID: string(c.ID) + "#ooh", Tray: "ooh", DueAt: T0.Add(time.Hour)}}}, nil
	})
	must(t, err)
	if got.Version != loaded.Version+1 || got.Status != domain.StatusScreening {
		t.Fatalf("changed to version %d status %s, want %d screening", got.Version, got.Status, loaded.Version+1)
	}
	if loaded.Status != domain.StatusReceived {
		t.Errorf("the caller's copy changed to %s", loaded.Status)
	}
	stored, err := e.s.GetContact(e.ctx, c.ID)
	must(t, err)
	if stored.Version != got.Version || stored.Status != domain.StatusScreening {
		t.Fatalf("stored version %d status %s", stored.Version, stored.Status)
	}
	// loaded is now stale: the change is refused and nothing of it is written.
	evs, err := e.s.ListAudit(e.ctx, c.ID)
	must(t, err)
	_, err = e.s.ChangeLoaded(e.ctx, loaded, func(c *domain.Contact) (store.Change, error) {
		c.Status = domain.StatusAwaitingRating
		return store.Change{Events: []store.AuditEvent{{Actor: "screening", Action: "screening.done"}},
			TrayItems: []store.TrayItem{{ID: string(c.ID) + "#stale", Tray: "rating", DueAt: T0.Add(time.Hour)}}}, nil
	})
	if !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("a change from a stale copy: %v, want conflict", err)
	}
	after, err := e.s.ListAudit(e.ctx, c.ID)
	must(t, err)
	stored, err = e.s.GetContact(e.ctx, c.ID)
	must(t, err)
	if len(after) != len(evs) || stored.Status != domain.StatusScreening || stored.Version != got.Version {
		t.Fatalf("a refused change left %d events (had %d), status %s version %d", len(after), len(evs), stored.Status, stored.Version)
	}
	if _, err := e.s.GetTrayItem(e.ctx, string(c.ID)+"#stale"); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Fatalf("a refused change's tray item: %v, want not found", err)
	}
	if _, err := e.s.ChangeLoaded(e.ctx, &domain.Contact{ID: c.ID}, func(c *domain.Contact) (store.Change, error) {
		return store.Change{Events: []store.AuditEvent{{Actor: "x", Action: "y"}}}, nil
	}); domain.ErrorCode(err) != domain.CodeInvalid {
		t.Fatalf("a contact not read from the store: %v, want invalid", err)
	}
}

// testChangeContactTrayItems: a change's tray items are in its one atomic write: written with the contact,
// an item already on the tray is not written again, and when the write fails (the contact changed
// concurrently between read and write: the version condition fails) neither the change nor the item is
// left behind.
func testChangeContactTrayItems(e *env) {
	t := e.t
	c := e.newContact("la-c", "Tia", "Moss")
	item := func(id string) store.TrayItem {
		return store.TrayItem{ID: id, Tray: "service-manager", DueAt: T0.Add(time.Hour), Rule: "rerate.raised-risk"}
	}
	_, err := e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		c.Status = domain.StatusScreening
		return store.Change{Events: []store.AuditEvent{{Actor: "pc", Action: "check.answered"}}, TrayItems: []store.TrayItem{item(string(c.ID) + "#risk#1")}}, nil
	})
	must(t, err)
	got, err := e.s.GetTrayItem(e.ctx, string(c.ID)+"#risk#1")
	must(t, err)
	if got.ContactID != c.ID || got.Authority != "la-c" || !got.DueAt.Equal(T0.Add(time.Hour)) {
		t.Fatalf("tray item %+v: want the contact's, due %v", got, T0.Add(time.Hour))
	}
	// The same item again is skipped; the change is written.
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		c.Status = domain.StatusAwaitingRating
		return store.Change{Events: []store.AuditEvent{{Actor: "pc", Action: "check.answered"}}, TrayItems: []store.TrayItem{item(string(c.ID) + "#risk#1")}}, nil
	})
	must(t, err)
	// A retried step's change: several of its items already written (the stores do not read them first: a
	// conditional put each), beside a new one. The new one is written, the others left as they are, and the
	// change itself once.
	msg := store.Notification{ID: string(c.ID) + "#lado", Authority: "la-c", Kind: "lado", To: []string{"lado@la.example"}, Subject: "s", Text: "t"}
	before, err := e.s.ListAudit(e.ctx, c.ID)
	must(t, err)
	for round, ids := range [][]string{{"#risk#1"}, {"#risk#1", "#risk#3"}} {
		v, _ := e.s.GetContact(e.ctx, c.ID)
		_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
			ch := store.Change{Events: []store.AuditEvent{{Actor: "pc", Action: "retried"}}, Outbox: []store.Notification{msg}}
			for _, id := range ids {
				ch.TrayItems = append(ch.TrayItems, item(string(c.ID)+id))
			}
			return ch, nil
		})
		must(t, err)
		if got, _ := e.s.GetContact(e.ctx, c.ID); got.Version != v.Version+1 {
			t.Fatalf("round %d: version %d after one change from %d", round, got.Version, v.Version)
		}
	}
	if ns, _ := e.s.ListNotifications(e.ctx, c.ID); len(ns) != 1 {
		t.Fatalf("%d messages after the same one twice, want 1", len(ns))
	}
	if _, err := e.s.GetTrayItem(e.ctx, string(c.ID)+"#risk#3"); err != nil {
		t.Fatalf("the new tray item beside written ones: %v", err)
	}
	if after, _ := e.s.ListAudit(e.ctx, c.ID); len(after) != len(before)+2 {
		t.Fatalf("%d audit events after two changes, want %d", len(after), len(before)+2)
	}
	// Fault: another writer changes the contact between this change's read and its write.
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		if _, err := e.s.UpdateContact(e.ctx, c.ID, func(o *domain.Contact) (store.AuditEvent, error) {
			return store.AuditEvent{Actor: "other", Action: "note"}, nil
		}); err != nil {
			return store.Change{}, err
		}
		c.Status = domain.StatusClosed
		return store.Change{Events: []store.AuditEvent{{Actor: "pc", Action: "check.answered"}}, TrayItems: []store.TrayItem{item(string(c.ID) + "#risk#2")}}, nil
	})
	wantCode(t, err, domain.CodeConflict)
	if _, err := e.s.GetTrayItem(e.ctx, string(c.ID)+"#risk#2"); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Fatalf("the failed change left its tray item behind: %v", err)
	}
	if got, _ := e.s.GetContact(e.ctx, c.ID); got.Status == domain.StatusClosed {
		t.Fatal("the failed change was written")
	}
	// A tray item without its tray: refused, nothing written.
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		return store.Change{Events: []store.AuditEvent{{Actor: "x", Action: "y"}}, TrayItems: []store.TrayItem{{ID: "t-bad"}}}, nil
	})
	wantCode(t, err, domain.CodeInvalid)
}

// testChangeContactCloses: the tray items a change ends (store.Change.Closes: the service manager's S47 and
// raised-risk items a decision or a closure ends) close in the change's own write, by who acted: open or claimed
// ones close, closed or absent ones are left as they are, and a change that is not written (another writer in
// between) closes nothing. An item a completion of the change also names is written once; an item of another
// contact is refused and nothing is written.
func testChangeContactCloses(e *env) {
	t := e.t
	c := e.newContact("la-c", "Cal", "Shut")
	put := func(suffix string) store.TrayItem {
		it, err := e.s.PutTrayItem(e.ctx, store.TrayItem{ID: string(c.ID) + suffix, Tray: "service-manager", Authority: "la-c",
			ContactID: c.ID, DueAt: T0.Add(time.Hour), Rule: "checks.red"})
		must(t, err)
		return it
	}
	s47, risk, done, claimed := put("#sm#s47"), put("#sm#risk#1"), put("#sm#done"), put("#sm#claimed")
	_, err := e.s.CompleteTrayItem(e.ctx, done.ID, "sweep")
	must(t, err)
	_, err = e.s.ClaimTrayItem(e.ctx, claimed.ID, "mgr-2")
	must(t, err)
	state := func(id string) store.TrayItem {
		it, err := e.s.GetTrayItem(e.ctx, id)
		must(t, err)
		return it
	}
	closes := func(by string, items ...store.TrayItem) []store.ItemClose {
		var out []store.ItemClose
		for _, it := range items {
			out = append(out, store.ItemClose{ID: it.ID, By: by})
		}
		return out
	}

	// Fault: another writer changes the contact between this change's read and its write: nothing closes.
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		if _, err := e.s.UpdateContact(e.ctx, c.ID, func(o *domain.Contact) (store.AuditEvent, error) {
			return store.AuditEvent{Actor: "other", Action: "note"}, nil
		}); err != nil {
			return store.Change{}, err
		}
		c.Status = domain.StatusClosed
		return store.Change{Events: []store.AuditEvent{{Actor: "mgr-1", Action: "contact.closed"}}, Closes: closes("mgr-1", s47, risk)}, nil
	})
	wantCode(t, err, domain.CodeConflict)
	if a, b := state(s47.ID), state(risk.ID); !a.CompletedAt.IsZero() || !b.CompletedAt.IsZero() {
		t.Fatalf("a change that was not written closed its items: %+v %+v", a, b)
	}
	// An item of another contact: refused, nothing written.
	other := e.newContact("la-c", "Oli", "Else")
	theirs, err := e.s.PutTrayItem(e.ctx, store.TrayItem{ID: string(other.ID) + "#sm#s47", Tray: "service-manager", Authority: "la-c",
		ContactID: other.ID, DueAt: T0})
	must(t, err)
	before, _ := e.s.GetContact(e.ctx, c.ID)
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		c.Status = domain.StatusClosed
		return store.Change{Events: []store.AuditEvent{{Actor: "mgr-1", Action: "contact.closed"}}, Closes: closes("mgr-1", s47, theirs)}, nil
	})
	wantCode(t, err, domain.CodeInvalid)
	if after, _ := e.s.GetContact(e.ctx, c.ID); after.Version != before.Version || !state(s47.ID).CompletedAt.IsZero() || !state(theirs.ID).CompletedAt.IsZero() {
		t.Fatal("a refused change wrote something")
	}

	// The change closes the open and the claimed items by who acted, leaves the closed one and the absent one,
	// and the wait a completion of the change closes is written once (by the completion).
	wait := put("#decision#tok")
	absent := store.TrayItem{ID: string(c.ID) + "#sm#never"}
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		c.Status = domain.StatusDecided
		return store.Change{Events: []store.AuditEvent{{Actor: "mgr-1", Action: "decision.recorded"}},
			Completions: []store.Completion{{ID: wait.ID, Tray: "decision", TaskToken: "tok", By: "mgr-1"}},
			Closes:      closes("mgr-1", s47, risk, done, claimed, absent, wait)}, nil
	})
	must(t, err)
	for _, it := range []store.TrayItem{s47, risk, claimed, wait} {
		if got := state(it.ID); got.CompletedAt.IsZero() || got.CompletedBy != "mgr-1" {
			t.Errorf("%s after the change: %+v, want closed by mgr-1", it.ID, got)
		}
	}
	if got := state(done.ID); got.CompletedBy != "sweep" {
		t.Errorf("an item closed before was closed again: %+v", got)
	}
	if _, err := e.s.GetTrayItem(e.ctx, absent.ID); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Errorf("closing an absent item wrote it: %v", err)
	}
	if pend, _ := e.s.PendingCompletions(e.ctx, 0); !slices.ContainsFunc(pend, func(p store.Completion) bool { return p.ID == wait.ID }) {
		t.Error("the completion that closes its wait was not kept")
	}
	// Closed already: a later change naming them writes the change alone.
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		c.Status = domain.StatusClosed
		return store.Change{Events: []store.AuditEvent{{Actor: "mgr-3", Action: "contact.closed"}}, Closes: closes("mgr-3", s47, risk)}, nil
	})
	must(t, err)
	if got := state(s47.ID); got.CompletedBy != "mgr-1" {
		t.Errorf("a closed item was closed again: %+v", got)
	}
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		return store.Change{Events: []store.AuditEvent{{Actor: "x", Action: "y"}}, Closes: []store.ItemClose{{ID: s47.ID}}}, nil
	})
	wantCode(t, err, domain.CodeInvalid) // who closed it is required
}

// testChangeContactCompletions: a person's action, its audit event and the completion it owes the workflow are
// one write that also closes the wait's tray item (issue #13, the outbox of completions); a completion already
// recorded is skipped; a failed write (another writer in between) leaves neither the completion nor the closed
// item; the completer's bookkeeping counts failures and ends it once.
func testChangeContactCompletions(e *env) {
	t := e.t
	c := e.newContact("la-c", "Ida", "Frost")
	wait := func(id string) {
		_, err := e.s.PutTrayItem(e.ctx, store.TrayItem{ID: id, Tray: "decision", Authority: "la-c", ContactID: c.ID, DueAt: T0.Add(time.Hour), TaskToken: "tok-" + id})
		must(t, err)
	}
	owed := func(id string) store.Completion {
		return store.Completion{ID: id, Tray: "decision", TaskToken: "tok-" + id, Output: []byte(`{"outcome":"nfa"}`), By: "manager-1"}
	}
	first, second := string(c.ID)+"#decision#1", string(c.ID)+"#decision#2"
	wait(first)
	wait(second)
	_, err := e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		c.Status = domain.StatusDecided
		return store.Change{Events: []store.AuditEvent{{Actor: "manager-1", Action: "decided"}}, Completions: []store.Completion{owed(first)}}, nil
	})
	must(t, err)
	it, err := e.s.GetTrayItem(e.ctx, first)
	must(t, err)
	if it.CompletedAt.IsZero() || it.CompletedBy != "manager-1" {
		t.Fatalf("the wait's item is not closed by the action's write: %+v", it)
	}
	pend, err := e.s.PendingCompletions(e.ctx, 0)
	must(t, err)
	if len(pend) != 1 || pend[0].ID != first || pend[0].ContactID != c.ID || pend[0].Authority != "la-c" || pend[0].TaskToken != "tok-"+first ||
		string(pend[0].Output) != `{"outcome":"nfa"}` || pend[0].CreatedAt.IsZero() {
		t.Fatalf("pending completions %+v, want the decision's", pend)
	}
	// The same completion again (a retried action) is skipped: its wait's item is not written again and the
	// completer still has the one, as first written; the change is written.
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		return store.Change{Events: []store.AuditEvent{{Actor: "manager-1", Action: "note"}}, Completions: []store.Completion{owed(first)}}, nil
	})
	must(t, err)
	if again, err := e.s.GetTrayItem(e.ctx, first); err != nil || again.Version != it.Version || !again.Owed {
		t.Fatalf("the wait's item after a repeated completion: %+v %v, want version %d, still owed", again, err, it.Version)
	}
	if again, _ := e.s.PendingCompletions(e.ctx, 0); len(again) != 1 || again[0].ID != first || !again[0].CreatedAt.Equal(pend[0].CreatedAt) {
		t.Fatalf("pending after a repeated completion: %+v, want the first one as written", again)
	}
	// Fault: another writer changes the contact between this change's read and its write.
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		if _, err := e.s.UpdateContact(e.ctx, c.ID, func(o *domain.Contact) (store.AuditEvent, error) {
			return store.AuditEvent{Actor: "other", Action: "note"}, nil
		}); err != nil {
			return store.Change{}, err
		}
		c.Status = domain.StatusClosed
		return store.Change{Events: []store.AuditEvent{{Actor: "manager-1", Action: "decided"}}, Completions: []store.Completion{owed(second)}}, nil
	})
	wantCode(t, err, domain.CodeConflict)
	if it, err := e.s.GetTrayItem(e.ctx, second); err != nil || !it.CompletedAt.IsZero() || it.Owed {
		t.Fatalf("the failed change closed its wait's item or left its completion on it: %+v %v", it, err)
	}
	if pend, _ := e.s.PendingCompletions(e.ctx, 0); len(pend) != 1 || pend[0].ID != first {
		t.Fatalf("the failed change left its completion behind: %+v", pend)
	}
	_, err = e.s.CompletionFailed(e.ctx, c.ID, second, "ServiceUnavailable") // the store has no such completion
	wantCode(t, err, domain.CodeNotFound)
	// A completion without its token: refused, nothing written.
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		return store.Change{Events: []store.AuditEvent{{Actor: "x", Action: "y"}}, Completions: []store.Completion{{ID: second, Tray: "decision", By: "x"}}}, nil
	})
	wantCode(t, err, domain.CodeInvalid)
	// The completer's bookkeeping: a failure counts and keeps it pending; done once.
	f, err := e.s.CompletionFailed(e.ctx, c.ID, first, "ServiceUnavailable")
	must(t, err)
	if f.Attempts != 1 || f.LastError != "ServiceUnavailable" || !f.DoneAt.IsZero() {
		t.Fatalf("after a failure: %+v", f)
	}
	if pend, _ := e.s.PendingCompletions(e.ctx, 0); len(pend) != 1 || pend[0].Attempts != 1 {
		t.Fatalf("a failed completion left the pending list: %+v", pend)
	}
	done, err := e.s.CompletionDone(e.ctx, c.ID, first, store.CompletionAcknowledged)
	must(t, err)
	if done.DoneAt.IsZero() || done.Result != store.CompletionAcknowledged {
		t.Fatalf("done: %+v", done)
	}
	if pend, _ := e.s.PendingCompletions(e.ctx, 0); len(pend) != 0 {
		t.Fatalf("a done completion is still pending: %+v", pend)
	}
	_, err = e.s.CompletionDone(e.ctx, c.ID, first, store.CompletionAcknowledged)
	wantCode(t, err, domain.CodeConflict)
	_, err = e.s.CompletionFailed(e.ctx, c.ID, first, "x")
	wantCode(t, err, domain.CodeConflict)
	_, err = e.s.CompletionDone(e.ctx, c.ID, "missing", store.CompletionAcknowledged)
	wantCode(t, err, domain.CodeNotFound)
}

// testChangeContactChecks: a change's partner-check records (a new request, an answer with restricted
// records, a closure, a chase) are in its one atomic write with the contact, its events, its messages and
// its tray items. When the write fails — another writer changes the contact between this change's read and
// its write — none of them is left: no answer, no restricted record, no event, no message, no tray item.
// testCheckWriteRead: a change that names a check request as it read it (CheckWrite.Read) is written under that
// request's version without the store reading it again; a request changed since the read is a conflict and
// nothing of the change is written.
func testCheckWriteRead(e *env) {
	t := e.t
	c := e.newContact("la-c", "Rae", "Dunn")
	_, err := e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		c.Status = domain.StatusChecks
		return store.Change{Events: []store.AuditEvent{{Actor: "partner-checks", Action: "check.requested"}},
			Checks: []store.CheckWrite{{Request: &store.CheckRequest{ID: "health-9", Agency: domain.AgencyHealth, DueAt: T0.Add(time.Hour)}}}}, nil
	})
	must(t, err)
	read, err := e.s.GetCheck(e.ctx, c.ID, "health-9")
	must(t, err)
	if read.Version < 1 {
		t.Fatalf("GetCheck gave version %d, want the item's (>= 1)", read.Version)
	}
	if l, _ := e.s.ListChecks(e.ctx, c.ID); len(l) != 1 || l[0].Version != read.Version {
		t.Fatalf("ListChecks %+v: want the one request at version %d", l, read.Version)
	}
	stale := read
	// A chase in between: the read copy is stale.
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		return store.Change{Events: []store.AuditEvent{{Actor: "sla", Action: "check.overdue"}},
			Checks: []store.CheckWrite{{ID: "health-9", Chase: &store.CheckChase{At: T0, Next: T0.Add(time.Hour)}}}}, nil
	})
	must(t, err)
	v, _ := e.s.GetContact(e.ctx, c.ID)
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		c.Status = domain.StatusAwaitingDecision
		return store.Change{Events: []store.AuditEvent{{Actor: "gp", Action: "check.answered"}},
			Checks: []store.CheckWrite{{ID: "health-9", Read: &stale, Answer: &store.CheckAnswer{By: "gp", Summary: "stale"}}}}, nil
	})
	wantCode(t, err, domain.CodeConflict)
	if got, _ := e.s.GetContact(e.ctx, c.ID); got.Version != v.Version || got.Status != domain.StatusChecks {
		t.Fatalf("a change under a stale check was written: version %d status %s", got.Version, got.Status)
	}
	fresh, err := e.s.GetCheck(e.ctx, c.ID, "health-9")
	must(t, err)
	if !fresh.Open() || fresh.Chases != 1 || fresh.Version != read.Version+1 {
		t.Fatalf("after the refused answer: %+v", fresh)
	}
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		return store.Change{Events: []store.AuditEvent{{Actor: "gp", Action: "check.answered"}},
			Checks: []store.CheckWrite{{ID: "health-9", Read: &fresh, Answer: &store.CheckAnswer{By: "gp", Summary: "known to the GP"}}}}, nil
	})
	must(t, err)
	got, err := e.s.GetCheck(e.ctx, c.ID, "health-9")
	must(t, err)
	if got.Answer == nil || got.Answer.Summary != "known to the GP" || got.Answer.At.IsZero() || got.Chases != 1 || got.AnswerLink != fresh.AnswerLink {
		t.Fatalf("answered from the read copy: %+v answer %+v", got, got.Answer)
	}
	// The answered request, named as read before the answer: conflict (it is answered), nothing written.
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		return store.Change{Events: []store.AuditEvent{{Actor: "gp", Action: "check.answered"}},
			Checks: []store.CheckWrite{{ID: "health-9", Read: &fresh, Answer: &store.CheckAnswer{By: "gp", Summary: "again"}}}}, nil
	})
	wantCode(t, err, domain.CodeConflict)
	if again, _ := e.s.GetCheck(e.ctx, c.ID, "health-9"); again.Answer == nil || again.Answer.Summary != "known to the GP" {
		t.Fatalf("a second answer replaced the first: %+v", again.Answer)
	}
}

// testMarkSentLoaded: a message marked sent from the copy the caller read is written under that copy's version
// without being read again; a copy that is stale is read again and marked as MarkSent marks it (a failure in
// between is kept; a message sent in between is a conflict).
func testMarkSentLoaded(e *env) {
	t := e.t
	cid := domain.NewContactID()
	msg := func(kind string) store.Notification {
		n, err := e.s.EnqueueNotification(e.ctx, store.Notification{ContactID: cid, Authority: "la-f", Kind: kind,
			To: []string{"dsl@school.example"}, Subject: "s", Text: "t"})
		must(t, err)
		return n
	}
	a, b := msg("acknowledgement"), msg("feedback")
	list, err := e.s.ListNotifications(e.ctx, cid)
	must(t, err)
	if len(list) != 2 || list[0].Version < 1 || list[1].Version < 1 {
		t.Fatalf("ListNotifications %+v: want two messages with their versions", list)
	}
	pend, err := e.s.PendingNotifications(e.ctx, 0)
	must(t, err)
	for _, p := range pend {
		if p.Version < 1 {
			t.Fatalf("PendingNotifications gave %s without its version", p.ID)
		}
	}
	la, lb := list[0], list[1]
	if la.ID != a.ID {
		la, lb = lb, la
	}
	sent, err := e.s.MarkSentLoaded(e.ctx, la, "ses-1")
	must(t, err)
	if sent.SentAt.IsZero() || sent.ProviderID != "ses-1" || sent.Version != la.Version+1 || sent.Subject != "s" {
		t.Fatalf("marked from the read copy: %+v", sent)
	}
	_, err = e.s.MarkSentLoaded(e.ctx, la, "ses-1b") // the same stale copy again: read, already sent
	wantCode(t, err, domain.CodeConflict)
	// b failed once after it was read: the stale copy is read again, and its failure kept.
	_, err = e.s.RecordSendFailure(e.ctx, cid, b.ID, "Throttling", false)
	must(t, err)
	sent, err = e.s.MarkSentLoaded(e.ctx, lb, "ses-2")
	must(t, err)
	if sent.Attempts != 1 || sent.LastError != "Throttling" || sent.ProviderID != "ses-2" || sent.SentAt.IsZero() {
		t.Fatalf("marked from a stale copy: %+v", sent)
	}
	list, err = e.s.ListNotifications(e.ctx, cid)
	must(t, err)
	for _, n := range list {
		if n.SentAt.IsZero() || n.Subject != "s" || n.To[0] != "dsl@school.example" {
			t.Fatalf("after both were marked: %+v", n)
		}
	}
	pend, err = e.s.PendingNotifications(e.ctx, 0)
	must(t, err)
	if slices.ContainsFunc(pend, func(p store.Notification) bool { return p.ContactID == cid }) {
		t.Fatal("a message marked sent is still pending")
	}
	// A copy without a version is MarkSent.
	c := msg("lado")
	c.Version = 0
	if sent, err := e.s.MarkSentLoaded(e.ctx, c, "ses-3"); err != nil || sent.SentAt.IsZero() {
		t.Fatalf("marked without a version: %+v, %v", sent, err)
	}
}

// testCompletionDoneLoaded: a change sets each completion it wrote as written (defaults, and the Version of the
// item it is kept on: its wait's tray item) in its Change.Completions, and one already there to Version 0;
// CompletionDoneLoaded ends a completion from such a copy without reading it, and a stale copy is read again and
// ended (or is a conflict when done).
func testCompletionDoneLoaded(e *env) {
	t := e.t
	c := e.newContact("la-c", "Ned", "Vane")
	id := string(c.ID) + "#rating#1"
	_, err := e.s.PutTrayItem(e.ctx, store.TrayItem{ID: id, Tray: "rating", Authority: "la-c", ContactID: c.ID, DueAt: T0.Add(time.Hour), TaskToken: "tok"})
	must(t, err)
	owed := []store.Completion{{ID: id, Tray: "rating", TaskToken: "tok", By: "manager-1"}}
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		return store.Change{Events: []store.AuditEvent{{Actor: "manager-1", Action: "rated"}}, Completions: owed}, nil
	})
	must(t, err)
	cp := owed[0]
	if cp.Version < 1 || cp.ContactID != c.ID || cp.Authority != "la-c" || cp.CreatedAt.IsZero() || string(cp.Output) != "{}" {
		t.Fatalf("the change's completion as written: %+v", cp)
	}
	// As the store has it: on its wait's tray item, at that item's version, and so on the completer's list.
	if it, err := e.s.GetTrayItem(e.ctx, id); err != nil || it.Version != cp.Version || !it.Owed || it.CompletedBy != "manager-1" {
		t.Fatalf("the wait's item %+v %v, want closed, owed, at the completion's version %d", it, err, cp.Version)
	}
	pend, err := e.s.PendingCompletions(e.ctx, 0)
	must(t, err)
	if i := slices.IndexFunc(pend, func(p store.Completion) bool { return p.ID == id }); i < 0 || pend[i].Version != cp.Version ||
		!pend[i].CreatedAt.Equal(cp.CreatedAt) {
		t.Fatalf("pending %+v, want the completion at version %d", pend, cp.Version)
	}
	// A retried action: the completion is already there, its copy gets no version.
	again := []store.Completion{{ID: id, Tray: "rating", TaskToken: "tok", By: "manager-1"}}
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		return store.Change{Events: []store.AuditEvent{{Actor: "manager-1", Action: "rated again"}}, Completions: again}, nil
	})
	must(t, err)
	if again[0].Version != 0 {
		t.Fatalf("a completion already there came back with version %d", again[0].Version)
	}
	done, err := e.s.CompletionDoneLoaded(e.ctx, cp, store.CompletionAcknowledged)
	must(t, err)
	if done.DoneAt.IsZero() || done.Result != store.CompletionAcknowledged || done.Version != cp.Version+1 || done.TaskToken != "tok" {
		t.Fatalf("ended from the written copy: %+v", done)
	}
	if pend, _ := e.s.PendingCompletions(e.ctx, 0); slices.ContainsFunc(pend, func(p store.Completion) bool { return p.ID == id }) {
		t.Fatal("an ended completion is still pending")
	}
	_, err = e.s.CompletionDoneLoaded(e.ctx, cp, store.CompletionAcknowledged) // stale copy: read, already done
	wantCode(t, err, domain.CodeConflict)
	_, err = e.s.CompletionDoneLoaded(e.ctx, again[0], store.CompletionAcknowledged) // no version: CompletionDone
	wantCode(t, err, domain.CodeConflict)
	// Ended as stored: its wait's item is at the version the end gave back and no longer owed; no further
	// attempt can be counted on it.
	if it, err := e.s.GetTrayItem(e.ctx, id); err != nil || it.Version != done.Version || it.Owed || it.CompletedBy != "manager-1" {
		t.Fatalf("the wait's item after ending it: %+v %v, want version %d, not owed", it, err, done.Version)
	}
	_, err = e.s.CompletionFailed(e.ctx, c.ID, id, "ServiceUnavailable")
	wantCode(t, err, domain.CodeConflict)
}

// testCompletionWaitRead: a completion that carries its wait's tray item as read (Completion.Wait) closes it
// without the store reading it; an item changed since the read (claimed, or closed by someone else) is read
// again once: closed if still open, left as it is if closed; the change is written either way.
func testCompletionWaitRead(e *env) {
	t := e.t
	c := e.newContact("la-c", "Lou", "Hart")
	wait := func(n string) store.TrayItem {
		_, err := e.s.PutTrayItem(e.ctx, store.TrayItem{ID: string(c.ID) + "#w#" + n, Tray: "decision", Authority: "la-c", ContactID: c.ID,
			DueAt: T0.Add(time.Hour), TaskToken: "tok-" + n})
		must(t, err)
		it, err := e.s.GetTrayItem(e.ctx, string(c.ID)+"#w#"+n)
		must(t, err)
		if it.Version < 1 {
			t.Fatalf("GetTrayItem gave version %d", it.Version)
		}
		return it
	}
	answer := func(it store.TrayItem, by string) {
		t.Helper()
		_, err := e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
			return store.Change{Events: []store.AuditEvent{{Actor: by, Action: "answered"}},
				Completions: []store.Completion{{ID: it.ID, Tray: "decision", TaskToken: it.TaskToken, By: by, Wait: &it}}}, nil
		})
		must(t, err)
	}
	a := wait("a")
	answer(a, "manager-1")
	if got, _ := e.s.GetTrayItem(e.ctx, a.ID); got.CompletedAt.IsZero() || got.CompletedBy != "manager-1" || got.TaskToken != "tok-a" {
		t.Fatalf("closed from the read copy: %+v", got)
	}
	b := wait("b")
	_, err := e.s.ClaimTrayItem(e.ctx, b.ID, "manager-2")
	must(t, err)
	answer(b, "manager-2") // the copy is from before the claim
	if got, _ := e.s.GetTrayItem(e.ctx, b.ID); got.CompletedAt.IsZero() || got.ClaimedBy != "manager-2" {
		t.Fatalf("an item claimed after it was read: %+v, want closed and still showing the claim", got)
	}
	d := wait("d")
	_, err = e.s.CompleteTrayItem(e.ctx, d.ID, "sweep")
	must(t, err)
	answer(d, "manager-3")
	if got, _ := e.s.GetTrayItem(e.ctx, d.ID); got.CompletedBy != "sweep" {
		t.Fatalf("an item closed after it was read was closed again: %+v", got)
	}
	// One completion per answer, the one on the item closed by someone else first included.
	pend, err := e.s.PendingCompletions(e.ctx, 0)
	must(t, err)
	var ids []string
	for _, p := range pend {
		if p.ContactID == c.ID {
			ids = append(ids, p.ID)
		}
	}
	if slices.Sort(ids); !slices.Equal(ids, []string{a.ID, b.ID, d.ID}) {
		t.Fatalf("completions pending %v, want one per answer", ids)
	}
}

// testCompletionKeptOnItsWait: a completion is kept on its wait's tray item (docs/cost.md: no item of its own)
// and every guarantee of the outbox of completions holds: the completer finds it pending (PendingCompletions,
// oldest first) until it is ended, its failures are counted, it is ended by id or from its copy, and once
// ended refuses a further attempt as done; the tray item still reads as it did (closed by the action), and writes of the item (a claim
// refused, the retention job) keep or respect it: the retention job does not delete an item whose completion
// is still owed. A completion whose wait has no tray item is recorded too, and an item closed by someone else
// before the action still gets its completion.
func testCompletionKeptOnItsWait(e *env) {
	t := e.t
	del, ok := e.s.(store.Retention)
	if !ok {
		t.Fatalf("%T does not implement store.Retention", e.s)
	}
	c := NewContact("la-k", "Kit", "Moor", dob, T0)
	must(t, e.s.CreateContact(e.ctx, c, store.IdempotencyKey{}, created("intake-api")))
	item := func(id string) store.TrayItem {
		_, err := e.s.PutTrayItem(e.ctx, store.TrayItem{ID: id, Tray: "decision", Authority: "la-k", ContactID: c.ID, DueAt: T0.Add(time.Hour),
			TaskToken: "tok-" + id, Note: "n-" + id})
		must(t, err)
		it, err := e.s.GetTrayItem(e.ctx, id)
		must(t, err)
		return it
	}
	a, b := item(string(c.ID)+"#a"), item(string(c.ID)+"#b")
	_, err := e.s.CompleteTrayItem(e.ctx, b.ID, "sweep") // closed by someone else first
	must(t, err)
	none := string(c.ID) + "#no-item"
	cps := []store.Completion{
		{ID: a.ID, Tray: "decision", TaskToken: a.TaskToken, Output: []byte(`{"outcome":"nfa"}`), By: "manager-1", Contract: 4, Wait: &a},
		{ID: b.ID, Tray: "decision", TaskToken: b.TaskToken, Output: []byte(`{"outcome":"s17"}`), By: "manager-1"},
		{ID: none, Tray: "checks", TaskToken: "tok-none", Output: []byte(`{}`), By: "manager-1"},
	}
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		return store.Change{Events: []store.AuditEvent{{Actor: "manager-1", Action: "decided"}}, Completions: cps}, nil
	})
	must(t, err)
	for _, cp := range cps {
		if cp.Version < 1 {
			t.Fatalf("completion %s not written: %+v", cp.ID, cp)
		}
	}
	got, err := e.s.GetTrayItem(e.ctx, a.ID)
	must(t, err)
	if got.CompletedAt.IsZero() || got.CompletedBy != "manager-1" || got.TaskToken != a.TaskToken || got.Note != a.Note || got.ContactID != c.ID {
		t.Fatalf("the wait's item after the action: %+v", got)
	}
	if got, _ := e.s.GetTrayItem(e.ctx, b.ID); got.CompletedBy != "sweep" {
		t.Fatalf("the item closed before the action: %+v", got)
	}
	if open, _ := e.s.DueItems(e.ctx, "decision", T0.Add(24*time.Hour), 0); slices.ContainsFunc(open, func(it store.TrayItem) bool { return it.ContactID == c.ID }) {
		t.Fatalf("a wait answered is still on its tray: %+v", open)
	}
	_, err = e.s.ClaimTrayItem(e.ctx, a.ID, "worker")
	wantCode(t, err, domain.CodeConflict)
	mine := func(cps []store.Completion) []store.Completion {
		return slices.DeleteFunc(slices.Clone(cps), func(cp store.Completion) bool { return cp.ContactID != c.ID })
	}
	pend, err := e.s.PendingCompletions(e.ctx, 0)
	must(t, err)
	pend = mine(pend)
	if len(pend) != 3 {
		t.Fatalf("pending %+v, want all three", pend)
	}
	byID := map[string]store.Completion{}
	for _, p := range pend {
		byID[p.ID] = p
	}
	if p := byID[a.ID]; p.TaskToken != a.TaskToken || string(p.Output) != `{"outcome":"nfa"}` || p.Contract != 4 || p.By != "manager-1" ||
		p.Authority != "la-k" || p.Tray != "decision" || p.CreatedAt.IsZero() || !p.DoneAt.IsZero() {
		t.Fatalf("pending %+v, want the decision's completion as written", p)
	}
	if p := byID[b.ID]; string(p.Output) != `{"outcome":"s17"}` {
		t.Fatalf("the completion on the item closed first: %+v", p)
	}
	// Retention: an item whose completion is owed is not deleted.
	if n, err := del.DeleteTrayItems(e.ctx, []string{a.ID}, store.AuditEvent{ContactID: store.RetentionTrail("la-k"), Actor: "retention",
		Action: "retention.deleted"}); err != nil || n != 0 {
		t.Fatalf("the retention job deleted %d (%v) items whose completion is owed", n, err)
	}
	// The completer: a failure counted, then ended from its copy; another ended by id.
	f, err := e.s.CompletionFailed(e.ctx, c.ID, a.ID, "ServiceUnavailable")
	must(t, err)
	if f.Attempts != 1 || f.LastError != "ServiceUnavailable" || !f.DoneAt.IsZero() {
		t.Fatalf("after a failure: %+v", f)
	}
	pend, _ = e.s.PendingCompletions(e.ctx, 0)
	if i := slices.IndexFunc(pend, func(p store.Completion) bool { return p.ID == a.ID }); i < 0 || pend[i].Attempts != 1 {
		t.Fatalf("a failed completion left the pending list: %+v", pend)
	} else if done, err := e.s.CompletionDoneLoaded(e.ctx, pend[i], store.CompletionAcknowledged); err != nil || done.DoneAt.IsZero() || done.Attempts != 1 {
		t.Fatalf("ended from the pending copy: %+v %v", done, err)
	}
	if _, err := e.s.CompletionDone(e.ctx, c.ID, b.ID, store.CompletionWaitOver+":TaskTimedOut"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.CompletionDone(e.ctx, c.ID, none, store.CompletionAcknowledged); err != nil {
		t.Fatal(err)
	}
	_, err = e.s.CompletionDone(e.ctx, c.ID, a.ID, store.CompletionAcknowledged)
	wantCode(t, err, domain.CodeConflict)
	if pend, _ := e.s.PendingCompletions(e.ctx, 0); len(mine(pend)) != 0 {
		t.Fatalf("ended completions still pending: %+v", mine(pend))
	}
	// The three are kept, ended: each refuses a further attempt as done (not as missing), and the waits' items
	// are no longer owed.
	for _, id := range []string{a.ID, b.ID, none} {
		_, err := e.s.CompletionFailed(e.ctx, c.ID, id, "ServiceUnavailable")
		wantCode(t, err, domain.CodeConflict)
	}
	for _, id := range []string{a.ID, b.ID} {
		if it, err := e.s.GetTrayItem(e.ctx, id); err != nil || it.Owed {
			t.Fatalf("the wait's item %s after its completion ended: %+v %v, want not owed", id, it, err)
		}
	}
	if got, _ := e.s.GetTrayItem(e.ctx, a.ID); got.CompletedBy != "manager-1" || got.Note != a.Note {
		t.Fatalf("the item after its completion ended: %+v", got)
	}
	// Ended: the retention job may delete the item now.
	if n, err := del.DeleteTrayItems(e.ctx, []string{a.ID}, store.AuditEvent{ContactID: store.RetentionTrail("la-k"), Actor: "retention",
		Action: "retention.deleted"}); err != nil || n != 1 {
		t.Fatalf("the retention job deleted %d (%v), want the item whose completion ended", n, err)
	}
}

func testChangeContactChecks(e *env) {
	t := e.t
	c := e.newContact("la-c", "Ada", "Reed")
	req := func(id string, a domain.Agency) store.CheckWrite {
		return store.CheckWrite{Request: &store.CheckRequest{ID: id, Agency: a, DueAt: T0.Add(4 * time.Hour), TaskToken: "tok-" + id,
			AnswerLink: "https://console.example/answer/" + id}}
	}
	_, err := e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		c.Status = domain.StatusChecks
		return store.Change{Events: []store.AuditEvent{{Actor: "partner-checks", Action: "check.requested"}},
			Checks: []store.CheckWrite{req("police-1", domain.AgencyPolice), req("health-1", domain.AgencyHealth), req("education-1", domain.AgencyEducation)}}, nil
	})
	must(t, err)
	got, err := e.s.GetCheck(e.ctx, c.ID, "police-1")
	must(t, err)
	if got.Authority != "la-c" || got.ContactID != c.ID || got.AnswerLink == "" || !got.Open() || got.RequestedAt.IsZero() {
		t.Fatalf("request %+v: want the contact's, open, with its link", got)
	}
	// A redelivered request is left as it is (its first link stays).
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		w := req("police-1", domain.AgencyPolice)
		w.Request.AnswerLink = "https://console.example/answer/other"
		return store.Change{Events: []store.AuditEvent{{Actor: "partner-checks", Action: "check.requested"}}, Checks: []store.CheckWrite{w}}, nil
	})
	must(t, err)
	if got, _ := e.s.GetCheck(e.ctx, c.ID, "police-1"); got.AnswerLink != "https://console.example/answer/police-1" {
		t.Fatalf("a redelivered request replaced the first: %q", got.AnswerLink)
	}

	// Fault: the answer's write fails (a concurrent change of the contact): nothing of it is left.
	before, _ := e.s.ListAudit(e.ctx, c.ID)
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		if _, err := e.s.UpdateContact(e.ctx, c.ID, func(o *domain.Contact) (store.AuditEvent, error) {
			return store.AuditEvent{Actor: "other", Action: "note"}, nil
		}); err != nil {
			return store.Change{}, err
		}
		return store.Change{Events: []store.AuditEvent{{Actor: "pc-1", Action: "check.answered"}},
			Outbox:    []store.Notification{{ID: string(c.ID) + "#risk", Authority: "la-c", Kind: "risk-raised", To: []string{"sm@la.example"}, Subject: "s", Text: "t"}},
			TrayItems: []store.TrayItem{{ID: string(c.ID) + "#sm#risk", Tray: "service-manager", DueAt: T0.Add(time.Hour)}},
			Checks: []store.CheckWrite{{ID: "police-1", Answer: &store.CheckAnswer{By: "pc-1", Summary: "known to police", RiskHigher: true,
				Restricted: []store.RestrictedRecord{{Source: "police", Classification: "intelligence", Text: "restricted text", RecordedBy: "pc-1"}}}}}}, nil
	})
	wantCode(t, err, domain.CodeConflict)
	if got, _ := e.s.GetCheck(e.ctx, c.ID, "police-1"); !got.Open() {
		t.Fatalf("the failed change left its answer: %+v", got.Answer)
	}
	if rs, _ := e.s.GetRestricted(e.ctx, c.ID, "auditor"); len(rs) != 0 {
		t.Fatalf("the failed change left %d restricted records", len(rs))
	}
	if ns, _ := e.s.ListNotifications(e.ctx, c.ID); len(ns) != 0 {
		t.Fatalf("the failed change left %d messages", len(ns))
	}
	if _, err := e.s.GetTrayItem(e.ctx, string(c.ID)+"#sm#risk"); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Fatalf("the failed change left its tray item: %v", err)
	}
	after, _ := e.s.ListAudit(e.ctx, c.ID)
	for _, ev := range after[len(before):] {
		if ev.Action == "check.answered" || ev.Action == "restricted.written" {
			t.Fatalf("the failed change left its event %s", ev.Action)
		}
	}
	if got, _ := e.s.GetContact(e.ctx, c.ID); got.Restricted != nil {
		t.Fatalf("the failed change left the contact's restricted notice %+v", got.Restricted)
	}

	// The same answer written: the check, its restricted record (counted, not copied), the notice.
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		return store.Change{Events: []store.AuditEvent{{Actor: "pc-1", Action: "check.answered"}},
			Checks: []store.CheckWrite{{ID: "police-1", Answer: &store.CheckAnswer{By: "pc-1", Summary: "known to police",
				Restricted: []store.RestrictedRecord{{Source: "police", Classification: "intelligence", Text: "restricted text", RecordedBy: "pc-1"}}}}}}, nil
	})
	must(t, err)
	got, _ = e.s.GetCheck(e.ctx, c.ID, "police-1")
	if got.Answer == nil || got.Answer.RestrictedRecords != 1 || got.Answer.At.IsZero() {
		t.Fatalf("answer %+v: want it with one restricted record counted", got.Answer)
	}
	if cc, _ := e.s.GetContact(e.ctx, c.ID); cc.Restricted == nil || cc.Restricted.Records != 1 {
		t.Fatalf("contact's restricted notice %+v, want 1 record", cc.Restricted)
	}
	// Answered: a second answer, a closure and a chase are conflicts, and write nothing.
	for _, w := range []store.CheckWrite{
		{ID: "police-1", Answer: &store.CheckAnswer{By: "pc-2", Summary: "again"}},
		{ID: "police-1", Close: &store.CheckClosure{By: "sm", Reason: "late"}},
		{ID: "police-1", Chase: &store.CheckChase{Next: T0.Add(24 * time.Hour)}},
	} {
		_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
			return store.Change{Events: []store.AuditEvent{{Actor: "x", Action: "y"}}, Checks: []store.CheckWrite{w}}, nil
		})
		wantCode(t, err, domain.CodeConflict)
	}
	// A chase counts and sets the next; a closure stops it; a closed check takes no answer.
	next := T0.Add(24 * time.Hour)
	for range 2 {
		_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
			return store.Change{Events: []store.AuditEvent{{Actor: "sla", Action: "check.overdue"}},
				Checks: []store.CheckWrite{{ID: "health-1", Chase: &store.CheckChase{At: T0, Next: next}}}}, nil
		})
		must(t, err)
	}
	if got, _ := e.s.GetCheck(e.ctx, c.ID, "health-1"); got.Chases != 2 || !got.NextChaseAt.Equal(next) {
		t.Fatalf("after two chases %d, next %v", got.Chases, got.NextChaseAt)
	}
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		return store.Change{Events: []store.AuditEvent{{Actor: "sm", Action: "check.closed"}},
			Checks: []store.CheckWrite{{ID: "health-1", Close: &store.CheckClosure{By: "sm", Reason: "no answer after two chases"}}}}, nil
	})
	must(t, err)
	if got, _ := e.s.GetCheck(e.ctx, c.ID, "health-1"); got.Open() || got.Closed.Reason == "" || got.Closed.At.IsZero() {
		t.Fatalf("closed check %+v", got.Closed)
	}
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		return store.Change{Events: []store.AuditEvent{{Actor: "x", Action: "y"}},
			Checks: []store.CheckWrite{{ID: "health-1", Answer: &store.CheckAnswer{By: "hv", Summary: "late"}}}}, nil
	})
	wantCode(t, err, domain.CodeConflict)
	// Bad writes: a missing check, a closure without a reason, two operations at once.
	for w, code := range map[*store.CheckWrite]domain.Code{
		{ID: "nope", Chase: &store.CheckChase{Next: next}}:                                                           domain.CodeNotFound,
		{ID: "education-1", Close: &store.CheckClosure{By: "sm"}}:                                                    domain.CodeInvalid,
		{ID: "education-1", Chase: &store.CheckChase{Next: next}, Close: &store.CheckClosure{By: "sm", Reason: "r"}}: domain.CodeInvalid,
	} {
		_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
			return store.Change{Events: []store.AuditEvent{{Actor: "x", Action: "y"}}, Checks: []store.CheckWrite{*w}}, nil
		})
		wantCode(t, err, code)
	}
	if got, _ := e.s.GetCheck(e.ctx, c.ID, "education-1"); !got.Open() || got.Chases != 0 {
		t.Fatalf("a refused write changed the check: %+v", got)
	}
}

// testChangeContact: a transition's contact, audit events and outbox messages are one write: a message
// already queued is skipped, and a failing write (a stale version) leaves no event and no message behind.
func testChangeContact(e *env) {
	t := e.t
	c := e.newContact("la-c", "Eve", "Stone")
	msg := func(id string) store.Notification {
		return store.Notification{ID: id, Authority: "la-c", Kind: "lado", To: []string{"lado@la.example"}, Subject: "s", Text: "t"}
	}
	got, err := e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		c.Status = domain.StatusScreening
		return store.Change{Events: []store.AuditEvent{{Actor: "ooh", Action: "route.decided"}, {Actor: "ooh", Action: "notice.queued"}},
			Outbox: []store.Notification{msg(string(c.ID) + "#lado")}}, nil
	})
	must(t, err)
	if got.Version != 2 || got.Status != domain.StatusScreening {
		t.Fatalf("after the change: version %d status %s", got.Version, got.Status)
	}
	ns, err := e.s.ListNotifications(e.ctx, c.ID)
	must(t, err)
	if len(ns) != 1 {
		t.Fatalf("%d messages queued, want 1", len(ns))
	}
	// The same message again is skipped, and so is the notice.queued event that names it; the change itself
	// is written.
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		c.Status = domain.StatusAwaitingRating
		return store.Change{Events: []store.AuditEvent{{Actor: "s", Action: "screening.done"},
			{Actor: "s", Action: store.ActionNoticeQueued, Detail: map[string]string{"notification": string(c.ID) + "#lado"}}},
			Outbox: []store.Notification{msg(string(c.ID) + "#lado")}}, nil
	})
	must(t, err)
	if ns, _ := e.s.ListNotifications(e.ctx, c.ID); len(ns) != 1 {
		t.Fatalf("%d messages after a repeated one, want 1", len(ns))
	}
	// No event: refused. A closure error: nothing written.
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) { return store.Change{}, nil })
	wantCode(t, err, domain.CodeInvalid)
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		c.Status = domain.StatusClosed
		return store.Change{Events: []store.AuditEvent{{Actor: "x", Action: "y"}}, Outbox: []store.Notification{{ID: "bad"}}}, nil
	})
	wantCode(t, err, domain.CodeInvalid)
	evs, err := e.s.ListAudit(e.ctx, c.ID)
	must(t, err)
	if len(evs) != 4 {
		t.Fatalf("%d audit events, want 4 (created, routed, its notice, screened)", len(evs))
	}
	if got, _ := e.s.GetContact(e.ctx, c.ID); got.Status != domain.StatusAwaitingRating || got.Version != 3 {
		t.Fatalf("a refused change wrote: %+v", got)
	}
	// A change's events are stored together (one item in the adapters, docs/cost.md) and read back one by
	// one, each whole, in id (time) order among the trail's other events.
	at := T0.Add(time.Hour)
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		return store.Change{Events: []store.AuditEvent{
			{Actor: "m", Action: "rating.set", At: at, Reason: "why", Detail: map[string]string{"rating": "green"}},
			{Actor: "m", Action: "notice.queued", At: at.Add(2 * time.Microsecond), SharedWith: []string{"a@b.example"}},
			{Actor: "m", Action: "rating.before", At: at.Add(-time.Microsecond)},
		}}, nil
	})
	must(t, err)
	evs, err = e.s.ListAudit(e.ctx, c.ID)
	must(t, err)
	var acts []string
	for _, ev := range evs {
		acts = append(acts, ev.Action)
		if ev.ContactID != c.ID || ev.ID == "" || ev.At.IsZero() {
			t.Errorf("event %+v lacks its contact, id or time", ev)
		}
	}
	if got := strings.Join(acts[4:], " "); len(acts) != 7 || got != "rating.before rating.set notice.queued" {
		t.Fatalf("audit trail %v, want the change's three events last, in time order", acts)
	}
	if ev := evs[5]; ev.Reason != "why" || ev.Detail["rating"] != "green" || ev.Actor != "m" || !ev.At.Equal(at) {
		t.Errorf("a folded event came back as %+v", ev)
	}
	if ev := evs[6]; len(ev.SharedWith) != 1 || ev.SharedWith[0] != "a@b.example" {
		t.Errorf("a folded event's sharedWith came back as %+v", ev.SharedWith)
	}
	// Two events of one change with the same id: refused, nothing written.
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		return store.Change{Events: []store.AuditEvent{{ID: "same", Actor: "x", Action: "y"}, {ID: "same", Actor: "x", Action: "z"}}}, nil
	})
	wantCode(t, err, domain.CodeInvalid)
	if got, _ := e.s.GetContact(e.ctx, c.ID); got.Version != 4 {
		t.Fatalf("a refused change wrote: version %d", got.Version)
	}
}

func testReferences(e *env) {
	t := e.t
	gapFree(t, "HAC", 2027, 40, func(int) (domain.Reference, error) { return e.s.NextReference(e.ctx, "la-a", "HAC", 2027) })
	r, err := e.s.NextReference(e.ctx, "la-a", "HAC", 2028)
	must(t, err)
	if r != "HAC-2028-000001" {
		t.Fatalf("new year starts at %s", r)
	}
	r, err = e.s.NextReference(e.ctx, "la-b", "BEX", 2027)
	must(t, err)
	if r != "BEX-2027-000001" {
		t.Fatalf("another authority starts at %s", r)
	}
	_, err = e.s.NextReference(e.ctx, "la-a", "hac", 2027)
	wantCode(t, err, domain.CodeInvalid)
}

func testChildren(e *env) {
	t := e.t
	old := NewContact("la-a", "Zoe", "ONeil", dob, T0.AddDate(0, -2, 0))
	must(t, e.s.CreateContact(e.ctx, old, store.IdempotencyKey{}, created("intake-api")))
	// Same child written differently (accent, apostrophe, case): same identity key (Hackney §4 B).
	c := e.newContact("la-a", "zoë", "O'Neil")
	closed := T0.AddDate(0, -1, 0)
	r, err := e.s.RecordChildCase(e.ctx, old.ID, store.CaseState{ClosedAt: closed, ClosedUnit: "assessment-team-2"})
	must(t, err)
	if r.ClosedUnit != "assessment-team-2" {
		t.Fatalf("RecordChildCase returned %+v", r)
	}
	kids, err := e.s.FindChildren(e.ctx, "la-a", c.Child.IdentityKey())
	must(t, err)
	if len(kids) != 2 || kids[0].ContactID != old.ID || kids[1].ContactID != c.ID {
		t.Fatalf("FindChildren = %+v, want old then new", kids)
	}
	if !kids[0].ClosedAt.Equal(closed) || kids[0].ClosedUnit != "assessment-team-2" || kids[1].OpenCase {
		t.Fatalf("case state not recorded: %+v", kids)
	}
	_, err = e.s.RecordChildCase(e.ctx, c.ID, store.CaseState{OpenCase: true, AllocatedWorker: "sw-17"})
	must(t, err)
	kids, _ = e.s.FindChildren(e.ctx, "la-a", c.Child.IdentityKey())
	if !kids[1].OpenCase || kids[1].AllocatedWorker != "sw-17" {
		t.Fatalf("open case not recorded: %+v", kids[1])
	}
	if other, _ := e.s.FindChildren(e.ctx, "la-b", c.Child.IdentityKey()); len(other) != 0 {
		t.Fatal("children index leaks across authorities")
	}
	// Screening corrects the date of birth: the index entry follows, keeping its case state.
	_, err = e.s.UpdateContact(e.ctx, c.ID, func(c *domain.Contact) (store.AuditEvent, error) {
		c.Child.DateOfBirth = domain.Date{Y: 2019, M: 2, D: 15}
		return store.AuditEvent{Actor: "screener", Action: "child.corrected"}, nil
	})
	must(t, err)
	kids, _ = e.s.FindChildren(e.ctx, "la-a", old.Child.IdentityKey())
	if len(kids) != 1 || kids[0].ContactID != old.ID {
		t.Fatalf("old identity still finds the corrected child: %+v", kids)
	}
	moved, _ := e.s.GetContact(e.ctx, c.ID)
	kids, _ = e.s.FindChildren(e.ctx, "la-a", moved.Child.IdentityKey())
	if len(kids) != 1 || kids[0].ContactID != c.ID || kids[0].AllocatedWorker != "sw-17" {
		t.Fatalf("new identity: %+v", kids)
	}
	// Imported case from the case-management system.
	must(t, e.s.PutChildRecord(e.ctx, store.ChildRecord{ContactID: domain.NewContactID(), Authority: "la-a",
		IdentityKey: "ameliaday#2016-05-01", ReceivedAt: T0.AddDate(-1, 0, 0), CaseState: store.CaseState{OpenCase: true, AllocatedWorker: "sw-3"}}))
	kids, _ = e.s.FindChildren(e.ctx, "la-a", "ameliaday#2016-05-01")
	if len(kids) != 1 || kids[0].AllocatedWorker != "sw-3" {
		t.Fatalf("imported record: %+v", kids)
	}
	wantCode(t, e.s.PutChildRecord(e.ctx, store.ChildRecord{ContactID: domain.NewContactID(), Authority: "la-a"}), domain.CodeInvalid)
	_, err = e.s.RecordChildCase(e.ctx, domain.NewContactID(), store.CaseState{})
	wantCode(t, err, domain.CodeNotFound)
	if kids, err := e.s.FindChildren(e.ctx, "la-a", ""); err != nil || len(kids) != 0 {
		t.Fatal("an empty identity key must find nothing")
	}
}

func testTrays(e *env) {
	t := e.t
	type in struct {
		auth string
		due  time.Duration
	}
	// Written out of order, across three authorities, in one tray.
	ins := []in{{"la-a", 5 * time.Hour}, {"la-b", 1 * time.Hour}, {"la-c", 3 * time.Hour},
		{"la-a", 2 * time.Hour}, {"la-b", 4 * time.Hour}, {"la-c", 30 * time.Hour}, {"la-a", 90 * time.Minute}}
	for _, x := range ins {
		_, err := e.s.PutTrayItem(e.ctx, store.TrayItem{Tray: "screening", Authority: domain.AuthorityID(x.auth),
			ContactID: domain.NewContactID(), DueAt: T0.Add(x.due), Rule: "screening"})
		must(t, err)
	}
	_, err := e.s.PutTrayItem(e.ctx, store.TrayItem{Tray: "decisions", Authority: "la-a", DueAt: T0})
	must(t, err)
	got, err := e.s.DueItems(e.ctx, "screening", T0.Add(24*time.Hour), 0)
	must(t, err)
	var order []string
	for _, it := range got {
		order = append(order, fmt.Sprintf("%s+%s", it.Authority, it.DueAt.Sub(T0)))
		if it.Tray != "screening" {
			t.Fatalf("item of tray %s in screening", it.Tray)
		}
	}
	want := "la-b+1h0m0s la-a+1h30m0s la-a+2h0m0s la-c+3h0m0s la-b+4h0m0s la-a+5h0m0s"
	if strings.Join(order, " ") != want {
		t.Fatalf("due order\n got %s\nwant %s", strings.Join(order, " "), want)
	}
	// Strictly before: an item due exactly at `before` is not yet due.
	got, _ = e.s.DueItems(e.ctx, "screening", T0.Add(2*time.Hour), 0)
	if len(got) != 2 {
		t.Fatalf("%d items due before +2h, want 2", len(got))
	}
	got, _ = e.s.DueItems(e.ctx, "screening", T0.Add(48*time.Hour), 3)
	if len(got) != 3 || got[0].Authority != "la-b" || got[2].Authority != "la-a" {
		t.Fatalf("limit 3: %+v", got)
	}
	// Same due time: ties broken by id, deterministic.
	a, _ := e.s.PutTrayItem(e.ctx, store.TrayItem{ID: "t_b", Tray: "encompass", Authority: "la-e", DueAt: T0})
	b, _ := e.s.PutTrayItem(e.ctx, store.TrayItem{ID: "t_a", Tray: "encompass", Authority: "la-a", DueAt: T0})
	got, _ = e.s.DueItems(e.ctx, "encompass", T0.Add(time.Second), 0)
	if len(got) != 2 || got[0].ID != b.ID || got[1].ID != a.ID {
		t.Fatalf("tie order: %+v", got)
	}
	_, err = e.s.PutTrayItem(e.ctx, store.TrayItem{ID: "t_a", Tray: "encompass", Authority: "la-a", DueAt: T0})
	wantCode(t, err, domain.CodeConflict)
	_, err = e.s.PutTrayItem(e.ctx, store.TrayItem{Tray: "encompass", Authority: "la-a"})
	wantCode(t, err, domain.CodeInvalid)
}

func testTrayClaim(e *env) {
	t := e.t
	it, err := e.s.PutTrayItem(e.ctx, store.TrayItem{Tray: "decisions", Authority: "la-b", DueAt: T0.Add(time.Hour), TaskToken: "tok-1"})
	must(t, err)
	got, err := e.s.ClaimTrayItem(e.ctx, it.ID, "mgr-1")
	must(t, err)
	if got.ClaimedBy != "mgr-1" || !got.ClaimedAt.Equal(T0) || got.TaskToken != "tok-1" {
		t.Fatalf("claimed: %+v", got)
	}
	_, err = e.s.ClaimTrayItem(e.ctx, it.ID, "mgr-2")
	wantCode(t, err, domain.CodeConflict)
	// Concurrent claims of a fresh item: exactly one wins.
	it2, _ := e.s.PutTrayItem(e.ctx, store.TrayItem{Tray: "decisions", Authority: "la-b", DueAt: T0.Add(2 * time.Hour)})
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.s.ClaimTrayItem(e.ctx, it2.ID, fmt.Sprintf("mgr-%d", i))
			if err == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			} else if domain.ErrorCode(err) != domain.CodeConflict {
				t.Errorf("claim: %v", err)
			}
		}()
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d concurrent claims won, want 1", wins)
	}
	due, _ := e.s.DueItems(e.ctx, "decisions", T0.Add(24*time.Hour), 0)
	if len(due) != 2 || due[0].ClaimedBy != "mgr-1" {
		t.Fatalf("claimed items stay due: %+v", due)
	}
	done, err := e.s.CompleteTrayItem(e.ctx, it.ID, "mgr-1")
	must(t, err)
	if done.CompletedBy != "mgr-1" || done.CompletedAt.IsZero() {
		t.Fatalf("completed: %+v", done)
	}
	_, err = e.s.CompleteTrayItem(e.ctx, it.ID, "mgr-1")
	wantCode(t, err, domain.CodeConflict)
	due, _ = e.s.DueItems(e.ctx, "decisions", T0.Add(24*time.Hour), 0)
	if len(due) != 1 || due[0].ID != it2.ID {
		t.Fatalf("completed item still due: %+v", due)
	}
	_, err = e.s.ClaimTrayItem(e.ctx, it.ID, "mgr-3")
	wantCode(t, err, domain.CodeConflict)
	_, err = e.s.ClaimTrayItem(e.ctx, "t_missing", "mgr-3")
	wantCode(t, err, domain.CodeNotFound)
	stored, err := e.s.GetTrayItem(e.ctx, it.ID)
	must(t, err)
	if stored.CompletedBy != "mgr-1" || stored.ClaimedBy != "mgr-1" {
		t.Fatalf("GetTrayItem: %+v", stored)
	}
}

func testChecks(e *env) {
	t := e.t
	cid := domain.NewContactID()
	var ids []string
	for _, a := range []domain.Agency{domain.AgencyPolice, domain.AgencyHealth, domain.AgencyEducation} {
		r, err := e.s.PutCheckRequest(e.ctx, store.CheckRequest{ContactID: cid, Authority: "la-d", Agency: a,
			DueAt: T0.Add(4 * time.Hour), Mandatory: true})
		must(t, err)
		ids = append(ids, r.ID)
	}
	_, err := e.s.PutCheckRequest(e.ctx, store.CheckRequest{ContactID: cid, Agency: "astrology"})
	wantCode(t, err, domain.CodeInvalid)
	r, err := e.s.AnswerCheck(e.ctx, cid, ids[1], store.CheckAnswer{By: "gp-surgery", Summary: "known to GP", RiskHigher: true})
	must(t, err)
	if r.Answer == nil || !r.Answer.RiskHigher || !r.Answer.At.Equal(T0) {
		t.Fatalf("answer: %+v", r.Answer)
	}
	_, err = e.s.AnswerCheck(e.ctx, cid, ids[1], store.CheckAnswer{By: "gp-surgery", Summary: "again"})
	wantCode(t, err, domain.CodeConflict)
	_, err = e.s.AnswerCheck(e.ctx, cid, "chk_missing", store.CheckAnswer{By: "x"})
	wantCode(t, err, domain.CodeNotFound)
	list, err := e.s.ListChecks(e.ctx, cid)
	must(t, err)
	if len(list) != 3 {
		t.Fatalf("%d checks, want 3", len(list))
	}
	answered := 0
	for _, c := range list {
		if c.Answer != nil {
			answered++
			if c.Answer.Summary != "known to GP" {
				t.Fatalf("answer changed: %+v", c.Answer)
			}
		}
	}
	if answered != 1 {
		t.Fatalf("%d answered, want 1", answered)
	}
	got, err := e.s.GetCheck(e.ctx, cid, ids[0])
	must(t, err)
	if got.Agency != domain.AgencyPolice || got.Answer != nil {
		t.Fatalf("GetCheck: %+v", got)
	}
}

func testOutbox(e *env) {
	t := e.t
	cid := domain.NewContactID()
	n1, err := e.s.EnqueueNotification(e.ctx, store.Notification{ContactID: cid, Authority: "la-c", Kind: "acknowledgement",
		To: []string{"dsl@school.example"}, Subject: "Contact received: BAR-2027-000001", Text: "Thank you"})
	must(t, err)
	e.clk.Advance(time.Second)
	n2, err := e.s.EnqueueNotification(e.ctx, store.Notification{ContactID: cid, Authority: "la-c", Kind: "feedback",
		To: []string{"dsl@school.example"}, Subject: "Outcome", Text: "Early help"})
	must(t, err)
	e.clk.Advance(time.Second)
	n3, err := e.s.EnqueueNotification(e.ctx, store.Notification{Authority: "la-c", Kind: "escalation",
		To: []string{"manager@council.example"}, Subject: "Overdue items", Text: "3 overdue"})
	must(t, err)
	_, err = e.s.EnqueueNotification(e.ctx, n1)
	if !errors.Is(err, domain.ErrDuplicate) {
		t.Fatalf("re-enqueue: got %v, want duplicate", err)
	}
	_, err = e.s.EnqueueNotification(e.ctx, store.Notification{Kind: "x"})
	wantCode(t, err, domain.CodeInvalid)
	pend, err := e.s.PendingNotifications(e.ctx, 0)
	must(t, err)
	if len(pend) != 3 || pend[0].ID != n1.ID || pend[1].ID != n2.ID || pend[2].ID != n3.ID {
		t.Fatalf("pending: %+v", pend)
	}
	sent, err := e.s.MarkSent(e.ctx, cid, n1.ID, "ses-123")
	must(t, err)
	if sent.ProviderID != "ses-123" || sent.SentAt.IsZero() {
		t.Fatalf("sent: %+v", sent)
	}
	_, err = e.s.MarkSent(e.ctx, cid, n1.ID, "ses-124")
	wantCode(t, err, domain.CodeConflict)
	_, err = e.s.MarkSent(e.ctx, "", n3.ID, "ses-125")
	must(t, err)
	pend, _ = e.s.PendingNotifications(e.ctx, 5)
	if len(pend) != 1 || pend[0].ID != n2.ID {
		t.Fatalf("pending after sends: %+v", pend)
	}
	list, err := e.s.ListNotifications(e.ctx, cid)
	must(t, err)
	if len(list) != 2 || list[0].ID != n1.ID || list[0].SentAt.IsZero() || list[1].Subject != "Outcome" {
		t.Fatalf("ListNotifications: %+v", list)
	}
}

// testOutboxFailures: a failed send is counted and stays pending; giving up takes it off the pending list as
// undeliverable with its reason; a sent or undeliverable message refuses another failure.
func testOutboxFailures(e *env) {
	t := e.t
	cid := domain.NewContactID()
	n, err := e.s.EnqueueNotification(e.ctx, store.Notification{ContactID: cid, Authority: "la-f", Kind: "acknowledgement",
		To: []string{"dsl@school.example"}, Subject: "Contact received", Text: "Thank you"})
	must(t, err)
	f, err := e.s.RecordSendFailure(e.ctx, cid, n.ID, "Throttling", false)
	must(t, err)
	if f.Attempts != 1 || f.LastError != "Throttling" || !f.UndeliverableAt.IsZero() {
		t.Fatalf("after one failure: %+v", f)
	}
	pend, err := e.s.PendingNotifications(e.ctx, 0)
	must(t, err)
	if !slices.ContainsFunc(pend, func(p store.Notification) bool { return p.ID == n.ID && p.Attempts == 1 }) {
		t.Fatalf("a failed message left the pending list: %+v", pend)
	}
	f, err = e.s.RecordSendFailure(e.ctx, cid, n.ID, "recipient-invalid", true)
	must(t, err)
	if f.Attempts != 2 || f.UndeliverableAt.IsZero() || f.UndeliverableReason != "recipient-invalid" {
		t.Fatalf("after giving up: %+v", f)
	}
	pend, err = e.s.PendingNotifications(e.ctx, 0)
	must(t, err)
	if slices.ContainsFunc(pend, func(p store.Notification) bool { return p.ID == n.ID }) {
		t.Fatal("an undeliverable message is still pending")
	}
	_, err = e.s.RecordSendFailure(e.ctx, cid, n.ID, "x", false)
	wantCode(t, err, domain.CodeConflict)
	_, err = e.s.RecordSendFailure(e.ctx, cid, "n_missing", "x", false)
	wantCode(t, err, domain.CodeNotFound)
	list, err := e.s.ListNotifications(e.ctx, cid)
	must(t, err)
	if len(list) != 1 || list[0].UndeliverableReason != "recipient-invalid" {
		t.Fatalf("ListNotifications: %+v", list)
	}
}

func testAudit(e *env) {
	t := e.t
	cid := domain.NewContactID()
	ev, err := e.s.AppendAudit(e.ctx, store.AuditEvent{ContactID: cid, ID: "0001", Actor: "mgr", Action: "shared",
		SharedWith: []string{"police"}, Detail: map[string]string{"legalBasis": "s47"}})
	must(t, err)
	_, err = e.s.AppendAudit(e.ctx, store.AuditEvent{ContactID: cid, ID: "0001", Actor: "intruder", Action: "rewritten"})
	wantCode(t, err, domain.CodeConflict)
	e.clk.Advance(time.Millisecond)
	_, err = e.s.AppendAudit(e.ctx, store.AuditEvent{ContactID: cid, Actor: "sys", Action: "later"})
	must(t, err)
	_, err = e.s.AppendAudit(e.ctx, store.AuditEvent{Actor: "sys", Action: "no contact"})
	wantCode(t, err, domain.CodeInvalid)
	evs, err := e.s.ListAudit(e.ctx, cid)
	must(t, err)
	if len(evs) != 2 || evs[0].Actor != "mgr" || evs[0].Action != "shared" || evs[0].SharedWith[0] != "police" ||
		evs[0].Detail["legalBasis"] != "s47" || !evs[0].At.Equal(ev.At) || evs[1].Action != "later" {
		t.Fatalf("audit trail changed: %+v", evs)
	}
	// The ports offer no way to change or remove an event.
	st := reflect.TypeOf((*store.Store)(nil)).Elem()
	for i := range st.NumMethod() {
		m := st.Method(i).Name
		if strings.Contains(m, "Audit") && m != "AppendAudit" && m != "AppendAudits" && m != "ListAudit" {
			t.Fatalf("store.Store has %s: audit must be append-only", m)
		}
	}
}

// The trail is in the order things happened, deterministically, even when the clock does not move between
// them (a fixed clock, a coarse one): a change's events in the order the change gives them, successive
// changes and appends in the order they were written, a batch in its order — never by the random part of an
// id — and an event stamped earlier (At) before one stamped later, whatever the order of the writes. Each
// round is a fresh contact; twenty rounds of ties leave a random order no chance to pass.
func testAuditOrder(e *env) {
	t := e.t
	for round := range 20 {
		c := e.newContact("la-o", "Ola", "Order")
		var want []string
		ev := func(a string) store.AuditEvent {
			want = append(want, a)
			return store.AuditEvent{ContactID: c.ID, Actor: "sys", Action: a}
		}
		want = append(want, "contact.created")
		for _, a := range []string{"a1", "a2", "a3"} {
			_, err := e.s.AppendAudit(e.ctx, ev(a))
			must(t, err)
		}
		for i := range 2 {
			_, err := e.s.ChangeContact(e.ctx, c.ID, func(cc *domain.Contact) (store.Change, error) {
				cc.Concerns += "."
				return store.Change{Events: []store.AuditEvent{ev(fmt.Sprintf("change%d.first", i)), ev(fmt.Sprintf("change%d.second", i)),
					ev(fmt.Sprintf("change%d.third", i))}}, nil
			})
			must(t, err)
		}
		must(t, e.s.AppendAudits(e.ctx, []store.AuditEvent{ev("batch1"), ev("batch2"), ev("batch3")}))
		// stamped a second earlier than everything above, written last: first in the trail
		_, err := e.s.AppendAudit(e.ctx, store.AuditEvent{ContactID: c.ID, Actor: "sys", Action: "stamped.earlier", At: T0.Add(-time.Second)})
		must(t, err)
		want = append([]string{"stamped.earlier"}, want...)
		evs, err := e.s.ListAudit(e.ctx, c.ID)
		must(t, err)
		got := make([]string, len(evs))
		for i, ev := range evs {
			got[i] = ev.Action
		}
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: the trail is in the order\n%v\nwant\n%v", round, got, want)
		}
	}
}

func testRestricted(e *env) {
	t := e.t
	const secret = "CANARY-POLICE-INTEL-7731"
	c := e.newContact("la-e", "Fay", "Lee")
	_, err := e.s.PutCheckRequest(e.ctx, store.CheckRequest{ContactID: c.ID, Agency: domain.AgencyPolice})
	must(t, err)
	r, err := e.s.PutRestricted(e.ctx, c.ID, store.RestrictedRecord{Source: "police", Classification: "intelligence",
		Text: secret, RecordedBy: "police-liaison"})
	must(t, err)
	// Normal read paths never return restricted data.
	var seen []any
	got, _ := e.s.GetContact(e.ctx, c.ID)
	seen = append(seen, got)
	list, _ := e.s.ListContacts(e.ctx, "la-e", domain.StatusReceived)
	seen = append(seen, list)
	evs, _ := e.s.ListAudit(e.ctx, c.ID)
	seen = append(seen, evs)
	checks, _ := e.s.ListChecks(e.ctx, c.ID)
	seen = append(seen, checks)
	ns, _ := e.s.ListNotifications(e.ctx, c.ID)
	seen = append(seen, ns)
	kids, _ := e.s.FindChildren(e.ctx, "la-e", c.Child.IdentityKey())
	seen = append(seen, kids)
	for _, v := range seen {
		b, _ := json.Marshal(v)
		if strings.Contains(string(b), secret) {
			t.Fatalf("a normal read returned restricted text: %s", b)
		}
	}
	if len(checks) != 1 {
		t.Fatalf("%d checks; restricted records must not appear as checks", len(checks))
	}
	before := len(evs)
	_, err = e.s.GetRestricted(e.ctx, c.ID, "")
	wantCode(t, err, domain.CodeInvalid)
	recs, err := e.s.GetRestricted(e.ctx, c.ID, "vetted-officer-9")
	must(t, err)
	if len(recs) != 1 || recs[0].Text != secret || recs[0].ID != r.ID {
		t.Fatalf("GetRestricted: %+v", recs)
	}
	evs, _ = e.s.ListAudit(e.ctx, c.ID)
	if len(evs) != before+2 {
		t.Fatalf("%d audit events after a restricted read, want %d (the read's record and restricted.read)", len(evs), before+2)
	}
	written, read, readRecord := false, false, false
	for _, ev := range evs {
		written = written || (ev.Action == "restricted.written" && ev.Actor == "police-liaison")
		read = read || (ev.Action == "restricted.read" && ev.Actor == "vetted-officer-9")
		readRecord = readRecord || (ev.Action == "contact.read" && ev.Actor == "vetted-officer-9" && ev.Detail["what"] == "restricted")
	}
	if !written || !read || !readRecord {
		t.Fatalf("restricted write audited %v, read audited %v, read record %v: %+v", written, read, readRecord, evs)
	}
}

// A list read is audited with one event per contact listed, in batched writes; an invalid event in the
// batch writes none.
func testAuditBatch(e *env) {
	t := e.t
	var ids []domain.ContactID
	for i := range 3 {
		c := e.newContact("la-f", "Ivy", fmt.Sprintf("Lee%d", i))
		ids = append(ids, c.ID)
	}
	var evs []store.AuditEvent
	for i := range 150 {
		evs = append(evs, store.AuditEvent{ContactID: ids[i%3], Actor: "Ada Officer", Action: "contact.read", Detail: map[string]string{"what": "list"}})
	}
	bad := append(slices.Clone(evs[:2]), store.AuditEvent{ContactID: ids[0], Action: "contact.read"})
	if err := e.s.AppendAudits(e.ctx, bad); domain.ErrorCode(err) != domain.CodeInvalid {
		t.Fatalf("an event without an actor: %v", err)
	}
	must(t, e.s.AppendAudits(e.ctx, evs))
	for _, id := range ids {
		got, err := e.s.ListAudit(e.ctx, id)
		must(t, err)
		n := 0
		for _, ev := range got {
			if ev.Actor == "Ada Officer" && ev.Action == "contact.read" {
				n++
			}
		}
		if n != 50 {
			t.Fatalf("%s: %d reads audited, want 50", id, n)
		}
	}
}

// A police check's answer with restricted information: the answer, the record, its audit event and the
// contact's notice in one write; the check keeps only the count.
func testRestrictedAnswer(e *env) {
	t := e.t
	const secret = "CANARY-CHECK-RESTRICTED-2208"
	c := e.newContact("la-g", "Kit", "Lee")
	req, err := e.s.PutCheckRequest(e.ctx, store.CheckRequest{ContactID: c.ID, Agency: domain.AgencyPolice})
	must(t, err)
	got, err := e.s.AnswerCheck(e.ctx, c.ID, req.ID, store.CheckAnswer{By: "ppd-officer", Summary: "known",
		Restricted: []store.RestrictedRecord{{Source: "police", Classification: "police-check", Text: secret, RecordedBy: "ppd-officer"}}})
	must(t, err)
	if got.Answer == nil || got.Answer.RestrictedRecords != 1 {
		t.Fatalf("answer %+v", got.Answer)
	}
	checks, err := e.s.ListChecks(e.ctx, c.ID)
	must(t, err)
	contact, err := e.s.GetContact(e.ctx, c.ID)
	must(t, err)
	evs, err := e.s.ListAudit(e.ctx, c.ID)
	must(t, err)
	for _, v := range []any{checks, contact, evs} {
		if b, _ := json.Marshal(v); strings.Contains(string(b), secret) {
			t.Fatalf("restricted text outside the restricted record: %s", b)
		}
	}
	if contact.Restricted == nil || contact.Restricted.Records != 1 || contact.Version != c.Version+1 {
		t.Fatalf("contact notice %+v version %d", contact.Restricted, contact.Version)
	}
	recs, err := e.s.GetRestricted(e.ctx, c.ID, "vetted-2")
	must(t, err)
	if len(recs) != 1 || recs[0].Text != secret {
		t.Fatalf("restricted %+v", recs)
	}
	// A second answer is a conflict and writes no second record.
	_, err = e.s.AnswerCheck(e.ctx, c.ID, req.ID, store.CheckAnswer{By: "ppd-officer", Summary: "again",
		Restricted: []store.RestrictedRecord{{Source: "police", Text: secret + "-2", RecordedBy: "ppd-officer"}}})
	wantCode(t, err, domain.CodeConflict)
	recs, err = e.s.GetRestricted(e.ctx, c.ID, "vetted-2")
	must(t, err)
	if len(recs) != 1 {
		t.Fatalf("a refused answer wrote a restricted record: %+v", recs)
	}
}

// A PPN's restricted information is written in the contact's own atomic write: with it, or not at all.
func testRestrictedWithContact(e *env) {
	t := e.t
	const secret = "CANARY-PPN-RESTRICTED-4410"
	key := store.IdempotencyKey{Kind: store.KeyAPI, Authority: "la-e", Value: "ppn:restricted-1"}
	c := NewContact("la-e", "Gil", "Lee", dob, T0)
	must(t, e.s.CreateHousehold(e.ctx, []store.NewContact{{Contact: c, Keys: []store.IdempotencyKey{key}, Event: created("intake-api"),
		Restricted: []store.RestrictedRecord{{Source: "police", Classification: "ppn", Text: secret, RecordedBy: "intake-api"}}}}))
	got, err := e.s.GetContact(e.ctx, c.ID)
	must(t, err)
	if got.Restricted == nil || got.Restricted.Records != 1 || got.Restricted.ReadableBy != domain.RoleRestrictedReader {
		t.Fatalf("contact's restricted notice: %+v", got.Restricted)
	}
	if b, _ := json.Marshal(got); strings.Contains(string(b), secret) {
		t.Fatalf("the contact carries the restricted text: %s", b)
	}
	evs, err := e.s.ListAudit(e.ctx, c.ID)
	must(t, err)
	if len(evs) != 1 || evs[0].Detail["restricted"] == "" {
		t.Fatalf("the creation event does not record the restricted record: %+v", evs)
	}
	recs, err := e.s.GetRestricted(e.ctx, c.ID, "vetted-1")
	must(t, err)
	if len(recs) != 1 || recs[0].Text != secret || recs[0].ID != evs[0].Detail["restricted"] {
		t.Fatalf("restricted records %+v", recs)
	}
	// The same key again: the whole write fails, and the second contact has no restricted record.
	c2 := NewContact("la-e", "Gil", "Lee", dob, T0)
	err = e.s.CreateHousehold(e.ctx, []store.NewContact{{Contact: c2, Keys: []store.IdempotencyKey{key}, Event: created("intake-api"),
		Restricted: []store.RestrictedRecord{{Source: "police", Text: secret + "-again", RecordedBy: "intake-api"}}}})
	wantCode(t, err, domain.CodeDuplicate)
	recs, err = e.s.GetRestricted(e.ctx, c2.ID, "vetted-1")
	must(t, err)
	if len(recs) != 0 {
		t.Fatalf("a failed write left restricted records: %+v", recs)
	}
	// A record without text fails the whole write.
	c3 := NewContact("la-e", "Hal", "Lee", dob, T0)
	err = e.s.CreateHousehold(e.ctx, []store.NewContact{{Contact: c3, Event: created("intake-api"),
		Restricted: []store.RestrictedRecord{{Source: "police", RecordedBy: "intake-api"}}}})
	wantCode(t, err, domain.CodeInvalid)
	_, err = e.s.GetContact(e.ctx, c3.ID)
	wantCode(t, err, domain.CodeNotFound)
}

func testQuarantine(e *env) {
	t := e.t
	q1, err := e.s.Quarantine(e.ctx, store.QuarantineItem{Authority: "la-a", Reason: "unparseable", RawKey: "raw/abc", Size: 1200, ReceivedAt: T0.Add(time.Minute)})
	must(t, err)
	q2, err := e.s.Quarantine(e.ctx, store.QuarantineItem{Authority: "la-a", Reason: "too-large", RawKey: "raw/def", Size: 99 << 20, ReceivedAt: T0})
	must(t, err)
	_, err = e.s.Quarantine(e.ctx, store.QuarantineItem{Authority: "la-b", Reason: "virus", RawKey: "raw/ghi"})
	must(t, err)
	_, err = e.s.Quarantine(e.ctx, store.QuarantineItem{Authority: "la-b"})
	wantCode(t, err, domain.CodeInvalid)
	list, err := e.s.ListQuarantine(e.ctx, "la-a")
	must(t, err)
	if len(list) != 2 || list[0].ID != q2.ID || list[1].ID != q1.ID {
		t.Fatalf("ListQuarantine: %+v", list)
	}
	rel, err := e.s.ReleaseQuarantine(e.ctx, q2.ID, "admin")
	must(t, err)
	if rel.ReleasedBy != "admin" || rel.ReleasedAt.IsZero() {
		t.Fatalf("released: %+v", rel)
	}
	_, err = e.s.ReleaseQuarantine(e.ctx, q2.ID, "admin")
	wantCode(t, err, domain.CodeConflict)
	list, _ = e.s.ListQuarantine(e.ctx, "la-a")
	if len(list) != 1 || list[0].ID != q1.ID {
		t.Fatalf("after release: %+v", list)
	}
	got, err := e.s.GetQuarantine(e.ctx, q2.ID)
	must(t, err)
	if got.RawKey != "raw/def" || got.Size != 99<<20 {
		t.Fatalf("GetQuarantine: %+v", got)
	}
	_, err = e.s.GetQuarantine(e.ctx, "q_missing")
	wantCode(t, err, domain.CodeNotFound)
}

func testTrayUnclaim(e *env) {
	t := e.t
	c := NewContact("la-u", "Una", "Clay", dob, T0)
	must(t, e.s.CreateContact(e.ctx, c, store.IdempotencyKey{}, created("intake")))
	it, err := e.s.PutTrayItem(e.ctx, store.TrayItem{Tray: "rating", Authority: "la-u", ContactID: c.ID, DueAt: T0.Add(time.Hour)})
	must(t, err)
	unclaim := store.AuditEvent{Actor: "mgr-1", Action: "tray.unclaimed", Detail: map[string]string{"item": it.ID}}
	_, err = e.s.UnclaimTrayItem(e.ctx, it.ID, unclaim)
	wantCode(t, err, domain.CodeConflict) // not claimed
	_, err = e.s.ClaimTrayItem(e.ctx, it.ID, "mgr-1")
	must(t, err)
	if evs, _ := e.s.ListAudit(e.ctx, c.ID); !slices.ContainsFunc(evs, func(ev store.AuditEvent) bool {
		return ev.Action == "tray.claimed" && ev.Actor == "mgr-1" && ev.Detail["tray"] == "rating"
	}) {
		t.Fatalf("claim not audited: %+v", evs)
	}
	got, err := e.s.UnclaimTrayItem(e.ctx, it.ID, unclaim)
	must(t, err)
	if got.ClaimedBy != "" || !got.ClaimedAt.IsZero() {
		t.Fatalf("unclaimed: %+v", got)
	}
	stored, _ := e.s.GetTrayItem(e.ctx, it.ID)
	if stored.ClaimedBy != "" {
		t.Fatalf("stored after unclaim: %+v", stored)
	}
	evs, _ := e.s.ListAudit(e.ctx, c.ID)
	if !slices.ContainsFunc(evs, func(ev store.AuditEvent) bool { return ev.Action == "tray.unclaimed" && ev.Actor == "mgr-1" }) {
		t.Fatalf("unclaim not audited: %+v", evs)
	}
	// Anyone may claim it again; a completed item cannot be unclaimed; a bad event writes nothing.
	_, err = e.s.ClaimTrayItem(e.ctx, it.ID, "mgr-2")
	must(t, err)
	_, err = e.s.UnclaimTrayItem(e.ctx, it.ID, store.AuditEvent{Action: "tray.unclaimed"})
	wantCode(t, err, domain.CodeInvalid)
	if stored, _ := e.s.GetTrayItem(e.ctx, it.ID); stored.ClaimedBy != "mgr-2" {
		t.Fatalf("a refused unclaim changed the item: %+v", stored)
	}
	_, err = e.s.CompleteTrayItem(e.ctx, it.ID, "mgr-2")
	must(t, err)
	_, err = e.s.UnclaimTrayItem(e.ctx, it.ID, unclaim)
	wantCode(t, err, domain.CodeConflict)
	_, err = e.s.UnclaimTrayItem(e.ctx, "t_missing", unclaim)
	wantCode(t, err, domain.CodeNotFound)
}

// testTrayCloseAudited: a person closing a tray item by hand (a dead-letter or undeliverable item, with a note)
// and the audit event of it are one write: an event that cannot be written leaves the item open, a close that
// cannot be written (already closed) adds no event.
func testTrayCloseAudited(e *env) {
	t := e.t
	c := NewContact("la-x", "Xan", "Shut", dob, T0)
	must(t, e.s.CreateContact(e.ctx, c, store.IdempotencyKey{}, created("intake")))
	it, err := e.s.PutTrayItem(e.ctx, store.TrayItem{ID: string(c.ID) + "#dead-letter#1", Tray: "dead-letter", Authority: "la-x",
		ContactID: c.ID, DueAt: T0})
	must(t, err)
	closed := func(id string) store.AuditEvent {
		return store.AuditEvent{Actor: "mgr-1", Action: "tray.item-closed", Reason: "restarted by hand", Detail: map[string]string{"item": id}}
	}
	count := func(trail domain.ContactID) int {
		evs, err := e.s.ListAudit(e.ctx, trail)
		must(t, err)
		n := 0
		for _, ev := range evs {
			if ev.Action == "tray.item-closed" {
				n++
			}
		}
		return n
	}
	// Fault: the event cannot be written (its id is taken): the close is not written either.
	taken, err := e.s.AppendAudit(e.ctx, store.AuditEvent{ContactID: c.ID, Actor: "x", Action: "note"})
	must(t, err)
	bad := closed(it.ID)
	bad.ID = taken.ID
	_, err = e.s.CloseTrayItem(e.ctx, it.ID, "mgr-1", bad)
	wantCode(t, err, domain.CodeConflict)
	if got, _ := e.s.GetTrayItem(e.ctx, it.ID); !got.CompletedAt.IsZero() {
		t.Fatalf("the item closed without its audit event: %+v", got)
	}
	_, err = e.s.CloseTrayItem(e.ctx, it.ID, "mgr-1", store.AuditEvent{Action: "tray.item-closed"}) // no actor
	wantCode(t, err, domain.CodeInvalid)
	if got, _ := e.s.GetTrayItem(e.ctx, it.ID); !got.CompletedAt.IsZero() || count(c.ID) != 0 {
		t.Fatalf("a refused close wrote: %+v, %d events", got, count(c.ID))
	}
	got, err := e.s.CloseTrayItem(e.ctx, it.ID, "mgr-1", closed(it.ID))
	must(t, err)
	if got.CompletedBy != "mgr-1" || got.CompletedAt.IsZero() {
		t.Fatalf("closed: %+v", got)
	}
	if stored, _ := e.s.GetTrayItem(e.ctx, it.ID); stored.CompletedBy != "mgr-1" || count(c.ID) != 1 {
		t.Fatalf("after the close: %+v, %d events, want closed by mgr-1 with one event", stored, count(c.ID))
	}
	// Closed already: a conflict, and no second event.
	_, err = e.s.CloseTrayItem(e.ctx, it.ID, "mgr-2", closed(it.ID))
	wantCode(t, err, domain.CodeConflict)
	if n := count(c.ID); n != 1 {
		t.Fatalf("%d close events after a second close, want 1", n)
	}
	// An item about no contact: its event names the trail it goes on, or nothing is written.
	lone, err := e.s.PutTrayItem(e.ctx, store.TrayItem{Tray: "undeliverable", Authority: "la-x", DueAt: T0})
	must(t, err)
	_, err = e.s.CloseTrayItem(e.ctx, lone.ID, "mgr-1", closed(lone.ID))
	wantCode(t, err, domain.CodeInvalid)
	trail := domain.ContactID("trays-la-x")
	ev := closed(lone.ID)
	ev.ContactID = trail
	_, err = e.s.CloseTrayItem(e.ctx, lone.ID, "mgr-1", ev)
	must(t, err)
	if got, _ := e.s.GetTrayItem(e.ctx, lone.ID); got.CompletedAt.IsZero() || count(trail) != 1 {
		t.Fatalf("the lone item %+v, %d events on %s", got, count(trail), trail)
	}
	_, err = e.s.CloseTrayItem(e.ctx, "t_missing", "mgr-1", closed("t_missing"))
	wantCode(t, err, domain.CodeNotFound)
}

func testQuarantineDiscard(e *env) {
	t := e.t
	q, err := e.s.Quarantine(e.ctx, store.QuarantineItem{Authority: "la-d", Reason: "unparseable", RawKey: "raw/spam", Size: 10, ReceivedAt: T0})
	must(t, err)
	_, err = e.s.DiscardQuarantine(e.ctx, q.ID, "mgr-1", " ")
	wantCode(t, err, domain.CodeInvalid)
	d, err := e.s.DiscardQuarantine(e.ctx, q.ID, "mgr-1", "spam: not about a child")
	must(t, err)
	if d.DiscardedBy != "mgr-1" || d.DiscardedReason != "spam: not about a child" || d.DiscardedAt.IsZero() {
		t.Fatalf("discarded: %+v", d)
	}
	if list, _ := e.s.ListQuarantine(e.ctx, "la-d"); len(list) != 0 {
		t.Fatalf("a discarded item is still listed: %+v", list)
	}
	kept, err := e.s.GetQuarantine(e.ctx, q.ID)
	must(t, err)
	if kept.RawKey != "raw/spam" || kept.DiscardedBy != "mgr-1" {
		t.Fatalf("the discarded item is not kept as it was: %+v", kept)
	}
	evs, _ := e.s.ListAudit(e.ctx, domain.ContactID(q.ID))
	if !slices.ContainsFunc(evs, func(ev store.AuditEvent) bool {
		return ev.Action == "quarantine.discarded" && ev.Actor == "mgr-1" && ev.Reason == "spam: not about a child"
	}) {
		t.Fatalf("discard not audited: %+v", evs)
	}
	_, err = e.s.DiscardQuarantine(e.ctx, q.ID, "mgr-2", "again")
	wantCode(t, err, domain.CodeConflict)
	_, err = e.s.ReleaseQuarantine(e.ctx, q.ID, "mgr-2")
	wantCode(t, err, domain.CodeConflict)
	_, err = e.s.DiscardQuarantine(e.ctx, "q_missing", "mgr-2", "x")
	wantCode(t, err, domain.CodeNotFound)
}

func testTTL(e *env) {
	t := e.t
	c := NewContact("la-a", "Gus", "Hart", dob, T0)
	key := store.IdempotencyKey{Kind: store.KeyMessageID, Value: "<abc@mail.example>", ExpiresAt: T0.Add(time.Hour)}
	must(t, e.s.CreateContact(e.ctx, c, key, created("intake-email")))
	if id, ok, _ := e.s.LookupKey(e.ctx, key); !ok || id != c.ID {
		t.Fatal("live key not found")
	}
	e.clk.Advance(59 * time.Minute)
	if _, ok, _ := e.s.LookupKey(e.ctx, key); !ok {
		t.Fatal("key expired early")
	}
	// A second delivery while the key lives is a duplicate.
	err := e.s.CreateContact(e.ctx, NewContact("la-a", "Gus", "Hart", dob, T0), key, created("intake-email"))
	if !errors.Is(err, domain.ErrDuplicate) {
		t.Fatalf("got %v, want duplicate", err)
	}
	e.clk.Advance(2 * time.Minute)
	// Expired: reads as absent even though DynamoDB may not have deleted it yet.
	if _, ok, err := e.s.LookupKey(e.ctx, key); ok || err != nil {
		t.Fatalf("expired key still found (err %v)", err)
	}
	// An expired key can be taken again.
	c2 := NewContact("la-a", "Gus", "Hart", dob, T0)
	key.ExpiresAt = e.clk.Now().Add(time.Hour)
	must(t, e.s.CreateContact(e.ctx, c2, key, created("intake-email")))
	if id, ok, _ := e.s.LookupKey(e.ctx, store.IdempotencyKey{Kind: store.KeyMessageID, Value: "<abc@mail.example>"}); !ok || id != c2.ID {
		t.Fatalf("re-taken key points at %s, want %s", id, c2.ID)
	}
	// Default TTL applies when ExpiresAt is zero.
	k2 := apiKey("no-expiry-given")
	must(t, e.s.PutIdempotencyKey(e.ctx, k2, c.ID))
	e.clk.Advance(store.DefaultKeyTTL - time.Hour)
	if _, ok, _ := e.s.LookupKey(e.ctx, k2); !ok {
		t.Fatal("default-TTL key expired early")
	}
	var d *store.DuplicateError
	if err := e.s.PutIdempotencyKey(e.ctx, k2, c2.ID); !errors.As(err, &d) || d.ContactID != c.ID {
		t.Fatalf("re-put of a live key: %v", err)
	}
	e.clk.Advance(2 * time.Hour)
	if _, ok, _ := e.s.LookupKey(e.ctx, k2); ok {
		t.Fatal("default-TTL key did not expire")
	}
	wantCode(t, e.s.PutIdempotencyKey(e.ctx, store.IdempotencyKey{Kind: "carrier-pigeon", Value: "x"}, c.ID), domain.CodeInvalid)
}

func testLinks(e *env) {
	t := e.t
	cid := domain.NewContactID()
	must(t, e.s.PutLink(e.ctx, store.Link{Token: "tok-aaaa", Purpose: "check-answer", ContactID: cid, Subject: "chk_1", ExpiresAt: T0.Add(72 * time.Hour)}))
	wantCode(t, e.s.PutLink(e.ctx, store.Link{Token: "tok-aaaa", Purpose: "x", ExpiresAt: T0.Add(time.Hour)}), domain.CodeConflict)
	e.clk.Advance(time.Hour)
	l, err := e.s.ConsumeLink(e.ctx, "tok-aaaa")
	must(t, err)
	if l.Subject != "chk_1" || l.ContactID != cid || !l.UsedAt.Equal(e.clk.Now()) || l.Token != "tok-aaaa" {
		t.Fatalf("consumed: %+v", l)
	}
	_, err = e.s.ConsumeLink(e.ctx, "tok-aaaa")
	wantCode(t, err, domain.CodeConflict)
	must(t, e.s.PutLink(e.ctx, store.Link{Token: "tok-bbbb", Purpose: "check-answer", ExpiresAt: T0.Add(2 * time.Hour)}))
	e.clk.Advance(2 * time.Hour)
	_, err = e.s.ConsumeLink(e.ctx, "tok-bbbb")
	wantCode(t, err, domain.CodeNotFound)
	_, err = e.s.ConsumeLink(e.ctx, "tok-never")
	wantCode(t, err, domain.CodeNotFound)
	wantCode(t, e.s.PutLink(e.ctx, store.Link{Token: "tok-c"}), domain.CodeInvalid)
}

// testCheckLinks: a check's answer link is kept on the check record (store.CheckLinkToken), no link item of its
// own: it is used once, until the record's expiry, only with the whole token; the check is otherwise as written,
// and a link item of its own (every token written before) still works beside it.
func testCheckLinks(e *env) {
	t := e.t
	c := e.newContact("la-c", "Ada", "Reed")
	tok := store.CheckLinkToken(c.ID, "police-1", "s3cret-AAAA_bbbb")
	if cid, chk, ok := store.CheckLinkOf(tok); !ok || cid != c.ID || chk != "police-1" {
		t.Fatalf("CheckLinkOf(%q) = %q %q %v", tok, cid, chk, ok)
	}
	enc := func(raw string) string { return "ck" + base64.RawURLEncoding.EncodeToString([]byte(raw)) }
	if !regexp.MustCompile(`^[A-Za-z0-9_-]+$`).MatchString(tok) {
		t.Fatalf("token %q has characters a link's token never had", tok)
	}
	// The ids stand plainly in the token (they compress against the message that carries it); a token of the form
	// written before (the ids base64url-encoded) still names its check.
	if !strings.Contains(tok, string(c.ID)) || !strings.Contains(tok, "police-1") {
		t.Fatalf("token %q does not name its contact and check plainly", tok)
	}
	before := enc(string(c.ID) + "/police-3/s3cret-EEEE")
	if cid, chk, ok := store.CheckLinkOf(before); !ok || cid != c.ID || chk != "police-3" {
		t.Fatalf("CheckLinkOf(%q), a token of the form written before = %q %q %v", before, cid, chk, ok)
	}
	for _, other := range []string{"tok-aaaa", "ck", "ck!!", enc("a/b"), enc("a//c"), enc("/b/c"), enc("a/b/c/d"), "xx" + tok[2:]} {
		if _, _, ok := store.CheckLinkOf(other); ok {
			t.Fatalf("CheckLinkOf(%q) took it for a check's link", other)
		}
	}
	link := func(id, token string, expires time.Time) store.CheckWrite {
		return store.CheckWrite{Request: &store.CheckRequest{ID: id, Agency: domain.AgencyPolice, DueAt: T0.Add(4 * time.Hour),
			TaskToken: "tok-" + id, AnswerLink: "https://console.example/answer/" + token, AnswerLinkExpiresAt: expires}}
	}
	short := store.CheckLinkToken(c.ID, "police-2", "s3cret-CCCC")
	_, err := e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		return store.Change{Events: []store.AuditEvent{{Actor: "partner-checks", Action: "check.requested"}},
			Checks: []store.CheckWrite{link("police-1", tok, T0.Add(72*time.Hour)), link("police-2", short, T0.Add(time.Hour)),
				link("police-3", before, T0.Add(72*time.Hour))}}, nil
	})
	must(t, err)
	if l, err := e.s.ConsumeLink(e.ctx, before); err != nil || l.Subject != "police-3" || l.ContactID != c.ID {
		t.Fatalf("a link sent before, of the earlier form: %+v %v", l, err)
	}
	must(t, e.s.PutLink(e.ctx, store.Link{Token: "tok-old", Purpose: store.PurposeCheckAnswer, ContactID: c.ID, Subject: "police-0",
		ExpiresAt: T0.Add(72 * time.Hour)}))
	// Not the whole token: the secret's end, another check's secret, a check that is not there.
	for _, bad := range []string{store.CheckLinkToken(c.ID, "police-1", "AAAA_bbbb"), store.CheckLinkToken(c.ID, "police-1", "s3cret-CCCC"),
		store.CheckLinkToken(c.ID, "police-9", "s3cret-AAAA_bbbb"), store.CheckLinkToken(domain.NewContactID(), "police-1", "s3cret-AAAA_bbbb")} {
		_, err = e.s.ConsumeLink(e.ctx, bad)
		wantCode(t, err, domain.CodeNotFound)
	}
	e.clk.Advance(2 * time.Hour)
	l, err := e.s.ConsumeLink(e.ctx, tok)
	must(t, err)
	if l.Purpose != store.PurposeCheckAnswer || l.Subject != "police-1" || l.ContactID != c.ID || !l.UsedAt.Equal(e.clk.Now()) ||
		l.Token != tok || !l.ExpiresAt.Equal(T0.Add(72*time.Hour)) {
		t.Fatalf("consumed: %+v", l)
	}
	_, err = e.s.ConsumeLink(e.ctx, tok)
	wantCode(t, err, domain.CodeConflict)
	_, err = e.s.ConsumeLink(e.ctx, short) // past its expiry
	wantCode(t, err, domain.CodeNotFound)
	got, err := e.s.GetCheck(e.ctx, c.ID, "police-1")
	must(t, err)
	if !got.AnswerLinkUsedAt.Equal(e.clk.Now()) || !got.Open() || got.AnswerLink != "https://console.example/answer/"+tok {
		t.Fatalf("the check after its link was used: %+v", got)
	}
	// The check is answered as before (under the version its use wrote).
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		return store.Change{Events: []store.AuditEvent{{Actor: "police", Action: "check.answered"}},
			Checks: []store.CheckWrite{{ID: "police-1", Answer: &store.CheckAnswer{By: "police", Summary: "known"}}}}, nil
	})
	must(t, err)
	if got, _ := e.s.GetCheck(e.ctx, c.ID, "police-1"); got.Answer == nil || got.AnswerLinkUsedAt.IsZero() {
		t.Fatalf("answered: %+v", got)
	}
	// A link item of its own (written before links were kept on their checks) still works.
	l, err = e.s.ConsumeLink(e.ctx, "tok-old")
	must(t, err)
	if l.Subject != "police-0" || l.ContactID != c.ID {
		t.Fatalf("an earlier link: %+v", l)
	}
	// So does one whose random token has the check link's form by chance.
	chance := enc(string(c.ID) + "/police-1/random")
	must(t, e.s.PutLink(e.ctx, store.Link{Token: chance, Purpose: "x", Subject: "s", ExpiresAt: e.clk.Now().Add(time.Hour)}))
	l, err = e.s.ConsumeLink(e.ctx, chance)
	must(t, err)
	if l.Purpose != "x" || l.Subject != "s" {
		t.Fatalf("a link item whose token has a check link's form: %+v", l)
	}
}

// testCheckTrayKept: a partner check's item on the checks tray, written with its request in one change (the
// partner-checks step's), is kept on the check's record (docs/cost.md): found by its id and on the checks tray
// as any tray item, claimed and closed by hand as any, left as it is by a redelivered request, by a chase and
// by the use of the check's answer link; the answer or closure takes it off the tray in its own write, a
// completion is kept on it and ended, the retention job deletes it and leaves the check. An item written apart
// before (the old shape) is read and closed where it is.
func testCheckTrayKept(e *env) {
	t := e.t
	del, ok := e.s.(store.Retention)
	if !ok {
		t.Fatalf("%T does not implement store.Retention", e.s)
	}
	c := e.newContact("la-q", "Ivy", "Lane")
	itemID := func(check string) string { return string(c.ID) + "#checks#" + check }
	tok := store.CheckLinkToken(c.ID, "police-7", "s3cret")
	request := func(note string, checks ...string) store.Change {
		ch := store.Change{Events: []store.AuditEvent{{Actor: "partner-checks", Action: "check.requested"}}}
		for _, id := range checks {
			ch.Checks = append(ch.Checks, store.CheckWrite{Request: &store.CheckRequest{ID: id, Agency: domain.AgencyPolice,
				DueAt: T0.Add(4 * time.Hour), TaskToken: "tok-w", Contract: 4, AnswerLink: "https://console.example/answer/" + tok,
				AnswerLinkExpiresAt: T0.Add(72 * time.Hour)}})
			ch.TrayItems = append(ch.TrayItems, store.TrayItem{ID: itemID(id), Tray: "checks", DueAt: T0.Add(4 * time.Hour),
				Rule: "checks.green", TaskToken: "tok-w", Contract: 4, Note: note})
		}
		return ch
	}
	_, err := e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		c.Status = domain.StatusChecks
		return request("first", "police-7", "health-7"), nil
	})
	must(t, err)
	// Redelivered (a retried step): nothing changes.
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) { return request("second", "police-7", "health-7"), nil })
	must(t, err)
	for _, id := range []string{"police-7", "health-7"} {
		it, err := e.s.GetTrayItem(e.ctx, itemID(id))
		must(t, err)
		if it.ID != itemID(id) || it.Tray != "checks" || it.Authority != "la-q" || it.ContactID != c.ID || it.Note != "first" ||
			it.TaskToken != "tok-w" || it.Contract != 4 || it.Rule != "checks.green" || !it.DueAt.Equal(T0.Add(4*time.Hour)) ||
			it.CreatedAt.IsZero() || !it.CompletedAt.IsZero() {
			t.Fatalf("the check's tray item: %+v", it)
		}
	}
	due, err := e.s.DueItems(e.ctx, "checks", T0.Add(5*time.Hour), 0)
	must(t, err)
	if n := len(slices.DeleteFunc(due, func(it store.TrayItem) bool { return it.ContactID != c.ID })); n != 2 {
		t.Fatalf("%d of the contact's items on the checks tray, want 2: %+v", n, due)
	}
	// Claimed by hand, its answer link used, its check chased: the item and the check are as each left them.
	_, err = e.s.ClaimTrayItem(e.ctx, itemID("police-7"), "worker-1")
	must(t, err)
	if _, err := e.s.ConsumeLink(e.ctx, tok); err != nil {
		t.Fatalf("the answer link: %v", err)
	}
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		return store.Change{Events: []store.AuditEvent{{Actor: "sla", Action: "check.overdue"}},
			Checks: []store.CheckWrite{{ID: "police-7", Chase: &store.CheckChase{At: T0, Next: T0.Add(time.Hour)}}}}, nil
	})
	must(t, err)
	if it, _ := e.s.GetTrayItem(e.ctx, itemID("police-7")); it.ClaimedBy != "worker-1" || !it.CompletedAt.IsZero() {
		t.Fatalf("the claimed item after a chase: %+v", it)
	}
	if q, _ := e.s.GetCheck(e.ctx, c.ID, "police-7"); q.Chases != 1 || q.AnswerLinkUsedAt.IsZero() || !q.Open() {
		t.Fatalf("the check after its chase: %+v", q)
	}
	// Answered, from the check as read, with no close named: its item leaves the tray in the answer's write.
	reqs, err := e.s.ListChecks(e.ctx, c.ID)
	must(t, err)
	police, err := checkNamed(reqs, "police-7")
	must(t, err)
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		return store.Change{Events: []store.AuditEvent{{Actor: "police", Action: "check.answered"}},
			Checks: []store.CheckWrite{{ID: "police-7", Read: &police, Answer: &store.CheckAnswer{By: "police", Summary: "known"}}}}, nil
	})
	must(t, err)
	it, err := e.s.GetTrayItem(e.ctx, itemID("police-7"))
	must(t, err)
	if it.CompletedBy != "police" || it.CompletedAt.IsZero() || it.ClaimedBy != "worker-1" {
		t.Fatalf("the answered check's item: %+v", it)
	}
	_, err = e.s.ClaimTrayItem(e.ctx, itemID("police-7"), "worker-2")
	wantCode(t, err, domain.CodeConflict)
	// The last answer owes the wait its completion, kept on that check's item, in the same write.
	cps := []store.Completion{{ID: itemID("health-7"), Tray: "checks", TaskToken: "tok-w", Output: []byte(`{"plan":1}`), By: "gp", Contract: 4}}
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		c.Status = domain.StatusAwaitingDecision
		return store.Change{Events: []store.AuditEvent{{Actor: "gp", Action: "check.answered"}}, Completions: cps,
			Checks: []store.CheckWrite{{ID: "health-7", Answer: &store.CheckAnswer{By: "gp", Summary: "not known"}}}}, nil
	})
	must(t, err)
	if cps[0].Version < 1 || cps[0].Wait == nil || cps[0].Wait.ID != itemID("health-7") {
		t.Fatalf("the completion as written: %+v", cps[0])
	}
	it, err = e.s.GetTrayItem(e.ctx, itemID("health-7"))
	must(t, err)
	if it.CompletedBy != "gp" || !it.Owed {
		t.Fatalf("the last answered check's item: %+v", it)
	}
	pend, err := e.s.PendingCompletions(e.ctx, 0)
	must(t, err)
	sb, _ := e.s.(interface{ SendsByStream() bool })
	if !slices.ContainsFunc(pend, func(p store.Completion) bool { return p.ID == itemID("health-7") && string(p.Output) == `{"plan":1}` }) &&
		(sb == nil || !sb.SendsByStream()) {
		t.Fatalf("pending completions %+v: want the one kept on the check's item", pend)
	}
	ended, err := e.s.CompletionDoneLoaded(e.ctx, cps[0], "told")
	must(t, err)
	if ended.DoneAt.IsZero() || ended.Result != "told" {
		t.Fatalf("ended: %+v", ended)
	}
	if it, _ := e.s.GetTrayItem(e.ctx, itemID("health-7")); it.Owed {
		t.Fatalf("the completion ended is still owed: %+v", it)
	}
	for _, id := range []string{"police-7", "health-7"} {
		if q, _ := e.s.GetCheck(e.ctx, c.ID, id); q.Answer == nil || q.AnswerLink == "" {
			t.Fatalf("check %s after its item's changes: %+v", id, q)
		}
	}
	due, err = e.s.DueItems(e.ctx, "checks", T0.Add(5*time.Hour), 0)
	must(t, err)
	if slices.ContainsFunc(due, func(it store.TrayItem) bool { return it.ContactID == c.ID }) {
		t.Fatalf("answered checks still on the tray: %+v", due)
	}
	// Found by the retention job through their contact, not on the index of completed items.
	done, err := del.DoneTrayItems(e.ctx, "la-q", e.clk.Now().Add(time.Hour))
	must(t, err)
	if n := len(slices.DeleteFunc(done, func(it store.TrayItem) bool { return it.ContactID != c.ID })); n != 0 {
		t.Fatalf("%d of the contact's completed items on the index of completed items, want 0: %+v", n, done)
	}
	ks, err := del.KeptTrayItems(e.ctx, c.ID)
	must(t, err)
	if n := len(slices.DeleteFunc(ks, func(it store.TrayItem) bool { return it.CompletedAt.IsZero() || it.Owed })); n != 2 {
		t.Fatalf("%d of the contact's kept items completed, want 2: %+v", n, ks)
	}
	// The retention job deletes the items and leaves the checks.
	n, err := del.DeleteTrayItems(e.ctx, []string{itemID("police-7"), itemID("health-7")}, store.AuditEvent{ContactID: store.RetentionTrail("la-q"),
		Actor: "retention", Action: "retention.deleted"})
	must(t, err)
	if n != 2 {
		t.Fatalf("the retention job deleted %d, want 2", n)
	}
	for _, id := range []string{"police-7", "health-7"} {
		_, err := e.s.GetTrayItem(e.ctx, itemID(id))
		wantCode(t, err, domain.CodeNotFound)
		if q, err := e.s.GetCheck(e.ctx, c.ID, id); err != nil || q.Answer == nil || q.AnswerLink == "" {
			t.Fatalf("check %s after the retention job: %+v %v", id, q, err)
		}
	}
	if ks, _ := del.KeptTrayItems(e.ctx, c.ID); len(ks) != 0 {
		t.Fatalf("deleted items still listed for the retention job: %+v", ks)
	}
	// The old shape: a check's item written apart, as before, is read and closed where it is, in the answer's
	// write when the answer names it.
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		return store.Change{Events: []store.AuditEvent{{Actor: "partner-checks", Action: "check.requested"}},
			Checks: []store.CheckWrite{{Request: &store.CheckRequest{ID: "education-7", Agency: domain.AgencyEducation, DueAt: T0.Add(4 * time.Hour)}}}}, nil
	})
	must(t, err)
	_, err = e.s.PutTrayItem(e.ctx, store.TrayItem{ID: itemID("education-7"), Tray: "checks", Authority: "la-q", ContactID: c.ID, DueAt: T0.Add(4 * time.Hour)})
	must(t, err)
	if it, err := e.s.GetTrayItem(e.ctx, itemID("education-7")); err != nil || !it.CompletedAt.IsZero() {
		t.Fatalf("an item written apart: %+v %v", it, err)
	}
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		return store.Change{Events: []store.AuditEvent{{Actor: "school", Action: "check.answered"}},
			Checks: []store.CheckWrite{{ID: "education-7", Answer: &store.CheckAnswer{By: "school", Summary: "attends"}}},
			Closes: []store.ItemClose{{ID: itemID("education-7"), By: "school"}}}, nil
	})
	must(t, err)
	if it, _ := e.s.GetTrayItem(e.ctx, itemID("education-7")); it.CompletedBy != "school" {
		t.Fatalf("an item written apart, after its check's answer: %+v", it)
	}
}

func checkNamed(reqs []store.CheckRequest, id string) (store.CheckRequest, error) {
	for _, q := range reqs {
		if q.ID == id {
			return q, nil
		}
	}
	return store.CheckRequest{}, fmt.Errorf("no check %s in %+v", id, reqs)
}

func testNotFound(e *env) {
	t := e.t
	id := domain.NewContactID()
	_, err := e.s.GetContact(e.ctx, id)
	wantCode(t, err, domain.CodeNotFound)
	if !errors.Is(err, domain.ErrNotFound) {
		t.Fatal("errors.Is(ErrNotFound) is false")
	}
	_, err = e.s.UpdateContact(e.ctx, id, func(c *domain.Contact) (store.AuditEvent, error) {
		t.Fatal("closure called for a missing contact")
		return store.AuditEvent{}, nil
	})
	wantCode(t, err, domain.CodeNotFound)
	_, err = e.s.GetTrayItem(e.ctx, "t_missing")
	wantCode(t, err, domain.CodeNotFound)
	_, err = e.s.GetCheck(e.ctx, id, "chk_x")
	wantCode(t, err, domain.CodeNotFound)
	if evs, err := e.s.ListAudit(e.ctx, id); err != nil || len(evs) != 0 {
		t.Fatalf("ListAudit of an unknown contact: %v %v", evs, err)
	}
}

// numbered is a one-child write numbered from la-n's HAC 2027 sequence, its acknowledgement in the outbox.
func numbered(given string, key string) store.NewContact {
	c := NewContact("la-n", given, "Numbered", dob, T0)
	nc := store.NewContact{Contact: c, Event: created("intake-email"), Number: &store.Numbering{Prefix: "HAC", Year: 2027},
		Outbox: func(c *domain.Contact) ([]store.Notification, error) {
			return []store.Notification{{Authority: c.Authority, Kind: "acknowledgement", To: []string{"dsl@school.example"},
				Subject: "Contact received: " + string(c.Reference), Text: "Reference " + string(c.Reference)}}, nil
		}}
	if key != "" {
		nc.Keys = []store.IdempotencyKey{apiKey(key)}
	}
	return nc
}

// testNumberedCreate: NewContact.Number and NewContact.Outbox write the reference, the first audit event's
// record of it and the acknowledgement in the contact's own write; a write that fails takes no number and
// queues nothing.
func testNumberedCreate(e *env) {
	t := e.t
	first, err := e.s.NextReference(e.ctx, "la-n", "HAC", 2027) // the same counter as NextReference
	must(t, err)
	if first != "HAC-2027-000001" {
		t.Fatalf("first reference %s", first)
	}
	a := numbered("Ada", "num-1")
	must(t, e.s.CreateHousehold(e.ctx, []store.NewContact{a}))
	if a.Contact.Reference != "HAC-2027-000002" || a.Contact.Version != 1 {
		t.Fatalf("numbered contact: reference %q version %d", a.Contact.Reference, a.Contact.Version)
	}
	got, err := e.s.GetContact(e.ctx, a.Contact.ID)
	must(t, err)
	if got.Reference != a.Contact.Reference {
		t.Fatalf("stored reference %q, caller's %q", got.Reference, a.Contact.Reference)
	}
	evs, err := e.s.ListAudit(e.ctx, a.Contact.ID)
	must(t, err)
	if len(evs) != 1 || evs[0].Detail["reference"] != "HAC-2027-000002" {
		t.Fatalf("first audit event %+v, want the reference in its detail", evs)
	}
	ns, err := e.s.ListNotifications(e.ctx, a.Contact.ID)
	must(t, err)
	if len(ns) != 1 || ns[0].ContactID != a.Contact.ID || ns[0].Subject != "Contact received: HAC-2027-000002" || ns[0].ID == "" {
		t.Fatalf("outbox %+v, want one acknowledgement with the reference", ns)
	}

	// A redelivery (used key), an outbox that fails and a caller-set reference take no number and leave nothing.
	dup := numbered("Ada", "num-1")
	var d *store.DuplicateError
	if err := e.s.CreateHousehold(e.ctx, []store.NewContact{dup}); !errors.As(err, &d) || d.ContactID != a.Contact.ID {
		t.Fatalf("redelivery: got %v, want DuplicateError for %s", err, a.Contact.ID)
	}
	broken := numbered("Bea", "num-2")
	broken.Outbox = func(*domain.Contact) ([]store.Notification, error) { return nil, errors.New("compose failed") }
	if err := e.s.CreateHousehold(e.ctx, []store.NewContact{broken}); err == nil {
		t.Fatal("a failing outbox did not fail the write")
	}
	bad := numbered("Cal", "num-3")
	bad.Outbox = func(*domain.Contact) ([]store.Notification, error) {
		return []store.Notification{{Kind: "acknowledgement"}}, nil
	}
	wantCode(t, e.s.CreateHousehold(e.ctx, []store.NewContact{bad}), domain.CodeInvalid) // no recipient
	preset := numbered("Dan", "num-4")
	preset.Contact.Reference = "HAC-2027-000099"
	wantCode(t, e.s.CreateHousehold(e.ctx, []store.NewContact{preset}), domain.CodeInvalid)
	for _, nc := range []store.NewContact{dup, broken, bad, preset} {
		if _, err := e.s.GetContact(e.ctx, nc.Contact.ID); domain.ErrorCode(err) != domain.CodeNotFound {
			t.Fatalf("a failed numbered write left contact %s", nc.Contact.ID)
		}
		if ns, _ := e.s.ListNotifications(e.ctx, nc.Contact.ID); len(ns) != 0 {
			t.Fatalf("a failed numbered write queued %+v", ns)
		}
	}
	for _, k := range []string{"num-2", "num-3", "num-4"} {
		if _, ok, _ := e.s.LookupKey(e.ctx, apiKey(k)); ok {
			t.Fatalf("key %s of a failed write exists", k)
		}
	}

	// A household is numbered in order, in one write, after the last number taken.
	var hh []store.NewContact
	for _, name := range []string{"Eve", "Fin", "Gus"} {
		hh = append(hh, numbered(name, ""))
	}
	hh[0].Keys = []store.IdempotencyKey{apiKey("num-5")}
	must(t, e.s.CreateHousehold(e.ctx, hh))
	for i, nc := range hh {
		if want := domain.Reference(fmt.Sprintf("HAC-2027-%06d", 3+i)); nc.Contact.Reference != want {
			t.Fatalf("household child %d: %s, want %s (no number taken by the failed writes)", i, nc.Contact.Reference, want)
		}
	}
	next, err := e.s.NextReference(e.ctx, "la-n", "HAC", 2027)
	must(t, err)
	if next != "HAC-2027-000006" {
		t.Fatalf("NextReference after numbered writes: %s", next)
	}
}

// testContactByReference: a numbered contact is found by its reference within its authority, after updates
// too; another authority's reference, or an unknown one, is not found.
func testContactByReference(e *env) {
	t := e.t
	a := numbered("Ada", "")
	must(t, e.s.CreateHousehold(e.ctx, []store.NewContact{a}))
	got, err := e.s.ContactByReference(e.ctx, "la-n", a.Contact.Reference)
	must(t, err)
	if got.ID != a.Contact.ID || got.Version != 1 {
		t.Fatalf("by reference %s: got %s v%d, want %s v1", a.Contact.Reference, got.ID, got.Version, a.Contact.ID)
	}
	_, err = e.s.UpdateContact(e.ctx, a.Contact.ID, func(c *domain.Contact) (store.AuditEvent, error) {
		c.Status = domain.StatusScreening
		return store.AuditEvent{Actor: "screening", Action: "status"}, nil
	})
	must(t, err)
	got, err = e.s.ContactByReference(e.ctx, "la-n", a.Contact.Reference)
	must(t, err)
	if got.ID != a.Contact.ID || got.Status != domain.StatusScreening || got.Version != 2 {
		t.Fatalf("after an update: %s %s v%d", got.ID, got.Status, got.Version)
	}
	_, err = e.s.ContactByReference(e.ctx, "la-other", a.Contact.Reference)
	wantCode(t, err, domain.CodeNotFound)
	_, err = e.s.ContactByReference(e.ctx, "la-n", "HAC-2027-999999")
	wantCode(t, err, domain.CodeNotFound)
}

// testNumberedConcurrent: numbered creates at once from one store are numbered 1..n with no gap or repeat.
func testNumberedConcurrent(e *env) {
	NumberingGapFree(e.t, e.s, e.s, 30)
}

// NumberingGapFree creates n numbered contacts at once, alternating between a and b — two stores over the
// same table or file, as two processes (Lambda instances) are — and checks the references are 1..n of a
// fresh sequence, with no gap and no repeat. Writers in different processes meet at the sequence's version
// check and retry.
func NumberingGapFree(t *testing.T, a, b store.Store, n int) {
	t.Helper()
	authority := domain.AuthorityID("la-" + strings.ToLower(domain.NewID("g")))
	gapFree(t, "BAR", 2027, n, func(i int) (domain.Reference, error) {
		s := a
		if i%2 == 1 {
			s = b
		}
		c := NewContact(string(authority), fmt.Sprintf("Kid%d", i), "Gapfree", dob, T0)
		nc := store.NewContact{Contact: c, Keys: []store.IdempotencyKey{apiKey(fmt.Sprintf("%s-%d", authority, i))},
			Event: created("intake-api"), Number: &store.Numbering{Prefix: "BAR", Year: 2027}}
		err := s.CreateHousehold(context.Background(), []store.NewContact{nc})
		return c.Reference, err
	})
}

// gapFree calls take(0..n-1) at once and checks the references they return are prefix-year-1..n: no gap,
// no repeat.
func gapFree(t *testing.T, prefix string, year, n int, take func(i int) (domain.Reference, error)) {
	t.Helper()
	refs := make([]domain.Reference, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := take(i)
			if err != nil {
				t.Error(err)
			}
			refs[i] = r
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	seqs := make([]int, 0, n)
	for _, r := range refs {
		p, y, seq, err := domain.ParseReference(string(r))
		must(t, err)
		if p != prefix || y != year {
			t.Fatalf("reference %s, want %s-%d-…", r, prefix, year)
		}
		seqs = append(seqs, seq)
	}
	sort.Ints(seqs)
	for i, s := range seqs {
		if s != i+1 {
			t.Fatalf("sequence numbers %v are not 1..%d without gaps or repeats", seqs, n)
		}
	}
}

// BenchCreateContact measures contact creation (contact, key, children-index entry and audit event in one
// atomic write) by parallel goroutines, parallelism per core; reports contacts/s.
func BenchCreateContact(b *testing.B, s store.Store, parallelism int) {
	ctx := context.Background()
	b.SetParallelism(parallelism)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			c := NewContact("la-bench", "Kim", "Bench", domain.Date{Y: 2016, M: 1, D: 2}, T0)
			key := store.IdempotencyKey{Kind: store.KeyAPI, Value: string(c.ID)}
			if err := s.CreateContact(ctx, c, key, store.AuditEvent{Actor: "bench", Action: "contact.created"}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "contacts/s")
}

// testSchools: a directory import is upserted by URN, read back in URN order, audited with the editor on
// the directory's trail, chunked into atomic writes, and counted by the directory version.
func testSchools(e *env) {
	t := e.t
	a := domain.AuthorityID("la-a")
	if v, err := e.s.DirectoryVersion(e.ctx, a); err != nil || v != 0 {
		t.Fatalf("version of an empty directory: %d %v", v, err)
	}
	var schools []store.School
	for i := range store.MaxSchoolsPerWrite + 2 { // two chunks
		schools = append(schools, store.School{Authority: a, URN: fmt.Sprintf("1%05d", 200-i), Name: fmt.Sprintf("School %d", i),
			Open: true, DSLEmail: fmt.Sprintf("dsl%d@s.sch.example", i)})
	}
	must(t, e.s.PutSchools(e.ctx, a, schools, store.AuditEvent{Actor: "manager-1", Action: "schools.imported"}))
	got, err := e.s.ListSchools(e.ctx, a)
	must(t, err)
	if len(got) != len(schools) {
		t.Fatalf("listed %d schools, want %d", len(got), len(schools))
	}
	if !sort.SliceIsSorted(got, func(i, j int) bool { return got[i].URN < got[j].URN }) {
		t.Errorf("schools not in URN order")
	}
	if got[0].UpdatedBy != "manager-1" || !got[0].UpdatedAt.Equal(T0) {
		t.Errorf("updated by %q at %v", got[0].UpdatedBy, got[0].UpdatedAt)
	}
	// An edit of one school replaces it whole; other authorities' directories are apart.
	e.clk.Advance(time.Minute)
	edit := schools[0]
	edit.DSLEmail, edit.Open = "new.dsl@s.sch.example", false
	must(t, e.s.PutSchools(e.ctx, a, []store.School{edit}, store.AuditEvent{Actor: "manager-2", Action: "school.edited"}))
	must(t, e.s.PutSchools(e.ctx, "la-b", []store.School{{Authority: "la-b", URN: edit.URN, Name: "Other"}}, store.AuditEvent{Actor: "m", Action: "schools.imported"}))
	one, err := e.s.GetSchool(e.ctx, a, edit.URN)
	must(t, err)
	if one.DSLEmail != "new.dsl@s.sch.example" || one.Open || one.UpdatedBy != "manager-2" || one.Name != edit.Name {
		t.Errorf("edited school %+v", one)
	}
	if v, _ := e.s.DirectoryVersion(e.ctx, a); v != 2 {
		t.Errorf("version %d after two writes, want 2", v)
	}
	evs, err := e.s.ListAudit(e.ctx, store.DirectoryTrail(a))
	must(t, err)
	if len(evs) == 3 && evs[2].Detail["urns"] != edit.URN {
		t.Errorf("the edit's event names URNs %q, want %s", evs[2].Detail["urns"], edit.URN)
	}
	if len(evs) != 3 || evs[0].Actor != "manager-1" || evs[1].Actor != "manager-1" || evs[2].Actor != "manager-2" || evs[2].Action != "school.edited" {
		t.Errorf("directory trail %+v, want two import chunks by manager-1 then the edit by manager-2", evs)
	}
	_, err = e.s.GetSchool(e.ctx, a, "999999")
	wantCode(t, err, domain.CodeNotFound)
	err = e.s.PutSchools(e.ctx, a, []store.School{{Authority: "la-b", URN: "1"}}, store.AuditEvent{Actor: "m", Action: "x"})
	wantCode(t, err, domain.CodeInvalid)
	if n, _ := e.s.ListSchools(e.ctx, "la-b"); len(n) != 1 {
		t.Errorf("la-b has %d schools, want 1", len(n))
	}
}

// The retention job's delete: every item of the contact (audit, checks, notifications, children-index entry)
// and its restricted records go, the blob keys they name are handed over first, the tombstone is written on
// the retention trail, and nothing of another contact is touched. A failed blob delete deletes nothing.
func testDeleteContact(e *env) {
	t := e.t
	keep := NewContact("la-a", "Kim", "Kept", dob, T0)
	must(t, e.s.CreateContact(e.ctx, keep, store.IdempotencyKey{}, created("intake-email")))
	c := NewContact("la-a", "Del", "Eted", dob, T0)
	must(t, e.s.CreateHousehold(e.ctx, []store.NewContact{{Contact: c,
		Event:      store.AuditEvent{Actor: "intake-email", Action: "contact.created", Detail: map[string]string{"rawKey": "raw/m1"}},
		MoreEvents: []store.AuditEvent{{Actor: "intake-email", Action: "attachments.kept", Detail: map[string]string{"01": "attachments/la-a/m_x-01", "name 01": "GP letter.pdf"}}},
		Restricted: []store.RestrictedRecord{{Source: "police", Text: "intelligence", RecordedBy: "pc",
			Attachments: []store.RestrictedAttachment{{Filename: "log.pdf", Key: "restricted/la-a/police-1-00"}}}}}}))
	_, err := e.s.PutCheckRequest(e.ctx, store.CheckRequest{ContactID: c.ID, Authority: "la-a", Agency: domain.Agency("health"), RequestedAt: T0, DueAt: T0.Add(time.Hour)})
	must(t, err)
	_, err = e.s.EnqueueNotification(e.ctx, store.Notification{ContactID: c.ID, Authority: "la-a", Kind: "acknowledgement", To: []string{"a@b.example"}, Subject: "s", Text: "t"})
	must(t, err)
	trail := store.RetentionTrail("la-a")
	tomb := store.AuditEvent{ContactID: trail, ID: "retention-" + string(c.ID), Actor: "retention", Action: "retention.deleted",
		Detail: map[string]string{"contactId": string(c.ID), "rule": "retention.noFurtherAction"}}

	del, ok := e.s.(store.Retention)
	if !ok {
		t.Fatalf("%T does not implement store.Retention", e.s)
	}
	if _, err := del.DeleteContact(e.ctx, c.ID, tomb, func([]string) error { return errors.New("s3 down") }); err == nil {
		t.Fatal("a failed blob delete was not returned")
	}
	if _, err := e.s.GetContact(e.ctx, c.ID); err != nil {
		t.Fatalf("a failed blob delete deleted the contact: %v", err)
	}
	var handed []string
	n, err := del.DeleteContact(e.ctx, c.ID, tomb, func(keys []string) error { handed = keys; return nil })
	must(t, err)
	if want := "attachments/la-a/m_x-01 raw/m1 restricted/la-a/police-1-00"; strings.Join(handed, " ") != want {
		t.Errorf("blob keys %q, want %q", handed, want)
	}
	// the contact (its children-index entry is its own gsi3 key: docs/cost.md), its two audit events (one item:
	// written in one write), the check, the notification, the restricted record
	if n != 5 {
		t.Errorf("%d items deleted", n)
	}
	if _, err := e.s.GetContact(e.ctx, c.ID); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Fatalf("the contact is still there: %v", err)
	}
	for _, f := range []struct {
		what string
		n    func() (int, error)
	}{
		{"audit", func() (int, error) { v, err := e.s.ListAudit(e.ctx, c.ID); return len(v), err }},
		{"checks", func() (int, error) { v, err := e.s.ListChecks(e.ctx, c.ID); return len(v), err }},
		{"notifications", func() (int, error) { v, err := e.s.ListNotifications(e.ctx, c.ID); return len(v), err }},
		{"children", func() (int, error) {
			v, err := e.s.FindChildren(e.ctx, "la-a", c.Child.IdentityKey())
			return len(v), err
		}},
		// last: reading restricted records audits the read on the contact's trail
		{"restricted", func() (int, error) { v, err := e.s.GetRestricted(e.ctx, c.ID, "auditor"); return len(v), err }},
	} {
		if k, err := f.n(); err != nil || k != 0 {
			t.Errorf("%s: %d left (%v)", f.what, k, err)
		}
	}
	evs, err := e.s.ListAudit(e.ctx, trail)
	must(t, err)
	if len(evs) != 1 || evs[0].Action != "retention.deleted" || evs[0].Detail["contactId"] != string(c.ID) {
		t.Errorf("tombstones %+v", evs)
	}
	if got, err := e.s.GetContact(e.ctx, keep.ID); err != nil || got.ID != keep.ID {
		t.Errorf("another contact went too: %v", err)
	}
	if kept, _ := e.s.ListAudit(e.ctx, keep.ID); len(kept) != 1 {
		t.Errorf("another contact's audit: %d events", len(kept))
	}
	if _, err := del.DeleteContact(e.ctx, c.ID, tomb, nil); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Errorf("deleting again: %v, want not_found", err)
	}
}

// testConsultations: the consultation log — numbered from a sequence of its own (contacts' numbers unmoved),
// read by id, by reference and in order, changed under a version check with its audit event, message and tray
// item in one write; numbering at once has no gap or repeat.
func testConsultations(e *env) {
	t := e.t
	ctx := e.ctx
	mk := func(a string) *domain.Consultation {
		return &domain.Consultation{ID: domain.NewConsultationID(), Authority: domain.AuthorityID(a), ReceivedAt: e.clk.Now(),
			Consultee: domain.Referrer{Name: "Ann Teacher", Email: "dsl@school.example"}, Concerns: "advice about a pupil", RecordedBy: "officer-1"}
	}
	num := store.Numbering{Prefix: "BEX", Year: 2027}
	a := mk("la-k")
	item := store.TrayItem{ID: a.ID.SummaryItemID(), Tray: "consultation-summary", DueAt: T0.Add(48 * time.Hour)}
	must(t, e.s.CreateConsultation(ctx, a, num, store.AuditEvent{Actor: "officer-1", Action: "consultation.recorded"}, []store.TrayItem{item}))
	if a.Reference != "BEX-C-2027-000001" || a.Version != 1 {
		t.Fatalf("first consultation %s v%d", a.Reference, a.Version)
	}
	// A numbered contact of the same authority and year takes its own number, not the consultation's.
	c := NewContact("la-k", "Ada", "Numbered", dob, T0)
	must(t, e.s.CreateHousehold(ctx, []store.NewContact{{Contact: c, Event: created("intake-api"), Number: &store.Numbering{Prefix: "BEX", Year: 2027}}}))
	if c.Reference != "BEX-2027-000001" {
		t.Fatalf("contact reference %s, want BEX-2027-000001", c.Reference)
	}
	e.clk.Advance(time.Minute)
	b := mk("la-k")
	must(t, e.s.CreateConsultation(ctx, b, num, store.AuditEvent{Actor: "officer-1", Action: "consultation.recorded"}, nil))
	if b.Reference != "BEX-C-2027-000002" {
		t.Fatalf("second consultation %s", b.Reference)
	}
	other := mk("la-other")
	must(t, e.s.CreateConsultation(ctx, other, num, store.AuditEvent{Actor: "officer-1", Action: "consultation.recorded"}, nil))
	wantCode(t, e.s.CreateConsultation(ctx, &domain.Consultation{ID: a.ID, Authority: "la-k", ReceivedAt: T0, Concerns: "x", RecordedBy: "y"}, num,
		store.AuditEvent{Actor: "y", Action: "consultation.recorded"}, nil), domain.CodeConflict)
	wantCode(t, e.s.CreateConsultation(ctx, &domain.Consultation{ID: domain.NewConsultationID(), Authority: "la-k", ReceivedAt: T0, RecordedBy: "y"}, num,
		store.AuditEvent{Actor: "y", Action: "consultation.recorded"}, nil), domain.CodeInvalid)

	got, err := e.s.GetConsultation(ctx, a.ID)
	must(t, err)
	if got.Reference != a.Reference || got.Consultee.Name != "Ann Teacher" || got.Version != 1 {
		t.Fatalf("get %+v", got)
	}
	byRef, err := e.s.ConsultationByReference(ctx, "la-k", b.Reference)
	must(t, err)
	if byRef.ID != b.ID {
		t.Fatalf("by reference %s: %s, want %s", b.Reference, byRef.ID, b.ID)
	}
	_, err = e.s.ConsultationByReference(ctx, "la-other", b.Reference)
	wantCode(t, err, domain.CodeNotFound)
	_, err = e.s.GetConsultation(ctx, domain.NewConsultationID())
	wantCode(t, err, domain.CodeNotFound)
	list, err := e.s.ListConsultations(ctx, "la-k")
	must(t, err)
	if len(list) != 2 || list[0].ID != a.ID || list[1].ID != b.ID {
		t.Fatalf("list %v", list)
	}
	items, err := e.s.DueItems(ctx, "consultation-summary", T0.Add(72*time.Hour), 0)
	must(t, err)
	if len(items) != 1 || items[0].ID != item.ID || items[0].Authority != "la-k" {
		t.Fatalf("tray items %+v", items)
	}

	// A close of a tray item that is not the consultation's own (a contact's) is invalid: nothing is written.
	cItem := store.TrayItem{ID: string(c.ID) + "#rating", Tray: "rating", Authority: "la-k", ContactID: c.ID, DueAt: T0.Add(time.Hour)}
	_, err = e.s.PutTrayItem(ctx, cItem)
	must(t, err)
	_, err = e.s.ChangeConsultation(ctx, a.ID, func(k *domain.Consultation) (store.Change, error) {
		k.Advice = "lost"
		return store.Change{Events: []store.AuditEvent{{Actor: "x", Action: "y"}}, Closes: []store.ItemClose{{ID: cItem.ID, By: "x"}}}, nil
	})
	wantCode(t, err, domain.CodeInvalid)
	if got, _ := e.s.GetTrayItem(ctx, cItem.ID); !got.CompletedAt.IsZero() {
		t.Fatalf("a consultation's change closed a contact's item: %+v", got)
	}

	// A change: the consultation, its event, its message and the close of its own tray item (claimed by
	// another worker meanwhile) in one write.
	_, err = e.s.ClaimTrayItem(ctx, item.ID, "worker-2")
	must(t, err)
	changed, err := e.s.ChangeConsultation(ctx, a.ID, func(k *domain.Consultation) (store.Change, error) {
		k.Summary = &domain.ConsultationSummary{Text: "advice given", By: "worker-1", At: e.clk.Now()}
		return store.Change{Events: []store.AuditEvent{{Actor: "worker-1", Action: "consultation.summary"}},
			Outbox: []store.Notification{{ID: "n-summary", Authority: "la-k", Kind: "consultation-summary", To: []string{"dsl@school.example"},
				Subject: "Consultation " + string(k.Reference), Text: "advice given"}},
			Closes: []store.ItemClose{{ID: item.ID, By: "worker-1"}}}, nil
	})
	must(t, err)
	if changed.Version != 2 || changed.Summary == nil {
		t.Fatalf("changed %+v", changed)
	}
	if got, err := e.s.GetTrayItem(ctx, item.ID); err != nil || got.CompletedAt.IsZero() || got.CompletedBy != "worker-1" {
		t.Fatalf("the consultation's item after its change: %+v %v", got, err)
	}
	ns, err := e.s.ListNotifications(ctx, a.ID.AuditID())
	must(t, err)
	if len(ns) != 1 || ns[0].ID != "n-summary" {
		t.Fatalf("messages %+v", ns)
	}
	evs, err := e.s.ListAudit(ctx, a.ID.AuditID())
	must(t, err)
	if len(evs) != 2 || evs[0].Action != "consultation.recorded" || evs[0].Detail["reference"] != string(a.Reference) || evs[1].Action != "consultation.summary" {
		t.Fatalf("audit %+v", evs)
	}
	// The closure's error, no event, or a changed reference writes nothing.
	_, err = e.s.ChangeConsultation(ctx, a.ID, func(k *domain.Consultation) (store.Change, error) {
		k.Advice = "lost"
		return store.Change{}, nil
	})
	wantCode(t, err, domain.CodeInvalid)
	_, err = e.s.ChangeConsultation(ctx, a.ID, func(k *domain.Consultation) (store.Change, error) {
		k.Reference = "BEX-C-2027-000099"
		return store.Change{Events: []store.AuditEvent{{Actor: "x", Action: "y"}}}, nil
	})
	wantCode(t, err, domain.CodeInvalid)
	if got, _ := e.s.GetConsultation(ctx, a.ID); got.Version != 2 || got.Advice != "" {
		t.Fatalf("a refused change was written: %+v", got)
	}

	// Numbering at once: no gap, no repeat.
	authority := domain.AuthorityID("la-" + strings.ToLower(domain.NewID("k")))
	refs := make([]domain.Reference, 12)
	var wg sync.WaitGroup
	for i := range refs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k := mk(string(authority))
			if err := e.s.CreateConsultation(context.Background(), k, num, store.AuditEvent{Actor: "o", Action: "consultation.recorded"}, nil); err != nil {
				t.Error(err)
			}
			refs[i] = k.Reference
		}()
	}
	wg.Wait()
	seqs := make([]int, 0, len(refs))
	for _, r := range refs {
		_, _, n, err := domain.ParseConsultationReference(string(r))
		must(t, err)
		seqs = append(seqs, n)
	}
	sort.Ints(seqs)
	for i, n := range seqs {
		if n != i+1 {
			t.Fatalf("consultation numbers %v are not 1..%d", seqs, len(refs))
		}
	}
}

// testWaitItemsKept: a rating's or decision's wait item (store.WaitItemID) is put alone by a park that moves
// nothing (PutTrayItem: one conditional put, no audit record, the contact not rewritten: docs/cost.md "A park
// that moves nothing writes its wait item alone"); the contact's waits list it (Waits, oldest first); every
// reader of tray items finds it by its id and on its tray, and a claim, a completion kept on it and its end, the
// retention job and the contact's deletion treat it as any tray item. A wait parked before (an id without the
// w, an item of its own) is read where it is and is not among the contact's waits.
func testWaitItemsKept(e *env) {
	t := e.t
	del, ok := e.s.(store.Retention)
	if !ok {
		t.Fatalf("%T does not implement store.Retention", e.s)
	}
	c := e.newContact("la-w", "Wyn", "Park")
	before, err := e.s.GetContact(e.ctx, c.ID)
	must(t, err)
	trail, err := e.s.ListAudit(e.ctx, c.ID)
	must(t, err)
	rating := store.TrayItem{ID: store.WaitItemID(c.ID, "rating", "k1"), Tray: "rating", Authority: "la-w", ContactID: c.ID,
		DueAt: T0.Add(2 * time.Hour), TaskToken: "tok-rating", Contract: 4, Rule: "screening.csc"}
	got, err := e.s.PutTrayItem(e.ctx, rating)
	must(t, err)
	if got.CreatedAt.IsZero() {
		t.Fatalf("parked %+v: want its creation time", got)
	}
	// A retried park: conflict, nothing written twice.
	_, err = e.s.PutTrayItem(e.ctx, rating)
	wantCode(t, err, domain.CodeConflict)
	after, err := e.s.GetContact(e.ctx, c.ID)
	must(t, err)
	if after.Version != before.Version {
		t.Fatalf("the park rewrote the contact: version %d → %d", before.Version, after.Version)
	}
	evs, err := e.s.ListAudit(e.ctx, c.ID)
	must(t, err)
	if len(evs) != len(trail) {
		t.Fatalf("the park wrote to the contact's trail: %d events → %d", len(trail), len(evs))
	}
	// Bad parks write nothing: a wait item naming another contact than its id's, or none.
	bad := rating
	bad.ID, bad.ContactID = store.WaitItemID(c.ID, "rating", "k2"), "c-other"
	_, err = e.s.PutTrayItem(e.ctx, bad)
	wantCode(t, err, domain.CodeInvalid)
	bad.ContactID = ""
	_, err = e.s.PutTrayItem(e.ctx, bad)
	wantCode(t, err, domain.CodeInvalid)
	if _, err := e.s.GetTrayItem(e.ctx, bad.ID); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Fatalf("a bad park wrote its item: %v", err)
	}

	// Found by id, on its tray, among the contact's waits.
	it, err := e.s.GetTrayItem(e.ctx, rating.ID)
	must(t, err)
	if it.TaskToken != "tok-rating" || it.ContactID != c.ID || it.Contract != 4 || it.Version < 1 || !it.CompletedAt.IsZero() {
		t.Fatalf("the wait's item %+v", it)
	}
	if due, _ := e.s.DueItems(e.ctx, "rating", T0.Add(24*time.Hour), 0); !slices.ContainsFunc(due, func(x store.TrayItem) bool { return x.ID == rating.ID }) {
		t.Fatalf("the wait's item is not on the rating tray: %+v", due)
	}
	// A wait parked before: an item of its own, read where it is, not among the contact's waits.
	legacy := string(c.ID) + "#decision#0123456789abcdef"
	_, err = e.s.PutTrayItem(e.ctx, store.TrayItem{ID: legacy, Tray: "decision", Authority: "la-w", ContactID: c.ID, DueAt: T0.Add(time.Hour), TaskToken: "tok-old"})
	must(t, err)
	if old, err := e.s.GetTrayItem(e.ctx, legacy); err != nil || old.TaskToken != "tok-old" {
		t.Fatalf("the wait parked before: %+v %v", old, err)
	}
	e.clk.Advance(time.Minute)
	decision := store.TrayItem{ID: store.WaitItemID(c.ID, "decision", "k3"), Tray: "decision", Authority: "la-w", ContactID: c.ID,
		DueAt: T0.Add(3 * time.Hour), TaskToken: "tok-decision"}
	_, err = e.s.PutTrayItem(e.ctx, decision)
	must(t, err)
	ws, err := e.s.Waits(e.ctx, c.ID)
	must(t, err)
	if len(ws) != 2 || ws[0].ID != rating.ID || ws[1].ID != decision.ID || ws[0].Version < 1 {
		t.Fatalf("the contact's waits %+v, want the rating's then the decision's", ws)
	}
	// A claim; then the action that answers it closes it with the completion it owes, in its own write.
	_, err = e.s.ClaimTrayItem(e.ctx, rating.ID, "manager-1")
	must(t, err)
	it, err = e.s.GetTrayItem(e.ctx, rating.ID)
	must(t, err)
	cps := []store.Completion{{ID: rating.ID, Tray: "rating", TaskToken: it.TaskToken, Output: []byte(`{"rag":"green"}`), By: "manager-1", Contract: 4, Wait: &it}}
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		return store.Change{Events: []store.AuditEvent{{Actor: "manager-1", Action: "rating.set"}}, Completions: cps}, nil
	})
	must(t, err)
	ws, err = e.s.Waits(e.ctx, c.ID)
	must(t, err)
	if ws[0].CompletedBy != "manager-1" || !ws[0].Owed || ws[0].ClaimedBy != "manager-1" || ws[1].Owed || !ws[1].CompletedAt.IsZero() {
		t.Fatalf("the waits after the rating %+v: want the rating's closed with its completion owed, the decision's open", ws)
	}
	if due, _ := e.s.DueItems(e.ctx, "rating", T0.Add(24*time.Hour), 0); slices.ContainsFunc(due, func(x store.TrayItem) bool { return x.ID == rating.ID }) {
		t.Fatalf("the answered wait is still on the rating tray")
	}
	if n, err := del.DeleteTrayItems(e.ctx, []string{rating.ID}, store.AuditEvent{ContactID: store.RetentionTrail("la-w"), Actor: "retention",
		Action: "retention.deleted"}); err != nil || n != 0 {
		t.Fatalf("the retention job deleted %d (%v) waits whose completion is owed", n, err)
	}
	if _, err := e.s.CompletionDoneLoaded(e.ctx, cps[0], store.CompletionAcknowledged); err != nil {
		t.Fatal(err)
	}
	if it, err := e.s.GetTrayItem(e.ctx, rating.ID); err != nil || it.Owed || it.CompletedBy != "manager-1" {
		t.Fatalf("the wait after its completion ended: %+v %v", it, err)
	}
	// The retention job finds it through its contact (not on the index of completed items) and deletes it; the
	// other wait stays.
	done, err := del.DoneTrayItems(e.ctx, "la-w", T0.Add(48*time.Hour))
	must(t, err)
	if slices.ContainsFunc(done, func(x store.TrayItem) bool { return x.ID == rating.ID }) {
		t.Fatalf("the completed wait is on the index of completed items: %+v", done)
	}
	if ks, err := del.KeptTrayItems(e.ctx, c.ID); err != nil || !slices.ContainsFunc(ks, func(x store.TrayItem) bool {
		return x.ID == rating.ID && !x.CompletedAt.IsZero() && !x.Owed
	}) {
		t.Fatalf("the completed wait is not among the contact's kept items: %+v %v", ks, err)
	}
	if n, err := del.DeleteTrayItems(e.ctx, []string{rating.ID}, store.AuditEvent{ContactID: store.RetentionTrail("la-w"), Actor: "retention",
		Action: "retention.deleted"}); err != nil || n != 1 {
		t.Fatalf("the retention job deleted %d (%v), want the completed wait", n, err)
	}
	if ws, _ := e.s.Waits(e.ctx, c.ID); len(ws) != 1 || ws[0].ID != decision.ID {
		t.Fatalf("the contact's waits after the retention job %+v, want the decision's alone", ws)
	}
	_, err = e.s.GetTrayItem(e.ctx, rating.ID)
	wantCode(t, err, domain.CodeNotFound)
	// The contact deleted whole takes its waits with it.
	if _, err := del.DeleteContact(e.ctx, c.ID, store.AuditEvent{ContactID: store.RetentionTrail("la-w"), Actor: "retention",
		Action: "retention.deleted"}, nil); err != nil {
		t.Fatal(err)
	}
	_, err = e.s.GetTrayItem(e.ctx, decision.ID)
	wantCode(t, err, domain.CodeNotFound)
	if ws, err := e.s.Waits(e.ctx, c.ID); err != nil || len(ws) != 0 {
		t.Fatalf("the deleted contact's waits %+v %v", ws, err)
	}
}

// testOutboxBatch: the messages one change queues are one item (docs/cost.md "The messages of one change kept in
// one item"), behind the per-message API: each is listed and read by id, with the item's Version and Batch (the
// ids of the item's messages, so every message of the change names the same three); a retried change queues
// nothing again nor audits a notice twice, and a superset of it queues only the new one; the sends of a batch are
// recorded in one write (RecordSends), a failed one counted while the others are marked, and only that one is
// pending; marking it sent later keeps what the others say; a sent message's outcome again is a conflict; a
// message stored alone (as written before) still reads, sends and marks.
func testOutboxBatch(e *env) {
	t := e.t
	c := e.newContact("la-c", "Ada", "Batch")
	msg := func(part string) store.Notification {
		return store.Notification{ID: string(c.ID) + "#check-request#" + part, Authority: "la-c", Kind: "check-request",
			To: []string{part + "@agency.example"}, Subject: "s " + part, Text: "t " + part}
	}
	queued := func(ids ...string) []store.AuditEvent {
		evs := []store.AuditEvent{{Actor: "pc", Action: "check.requested"}}
		for _, id := range ids {
			evs = append(evs, store.AuditEvent{Actor: "pc", Action: store.ActionNoticeQueued, Detail: map[string]string{"notification": id}})
		}
		return evs
	}
	three := []store.Notification{msg("police"), msg("health"), msg("education")}
	change := func(ns []store.Notification) {
		t.Helper()
		ids := make([]string, len(ns))
		for i, n := range ns {
			ids[i] = n.ID
		}
		v, err := e.s.GetContact(e.ctx, c.ID)
		must(t, err)
		got, err := e.s.ChangeContact(e.ctx, c.ID, func(*domain.Contact) (store.Change, error) {
			return store.Change{Events: queued(ids...), Outbox: ns}, nil
		})
		must(t, err)
		if got.Version != v.Version+1 {
			t.Fatalf("version %d after one change from %d", got.Version, v.Version)
		}
	}
	noticeEvents := func() int {
		t.Helper()
		evs, err := e.s.ListAudit(e.ctx, c.ID)
		must(t, err)
		n := 0
		for _, ev := range evs {
			if ev.Action == store.ActionNoticeQueued {
				n++
			}
		}
		return n
	}
	change(three)
	ns, err := e.s.ListNotifications(e.ctx, c.ID)
	must(t, err)
	if len(ns) != 3 {
		t.Fatalf("%d messages listed, want the change's 3", len(ns))
	}
	for _, n := range ns {
		if len(n.Batch) != 3 || n.Version != 1 || !slices.Contains(n.Batch, n.ID) || !slices.Equal(n.Batch, ns[0].Batch) {
			t.Fatalf("message %s: batch %v version %d, want one item of the three at version 1", n.ID, n.Batch, n.Version)
		}
		if n.Subject == "" || len(n.To) != 1 || n.CreatedAt.IsZero() {
			t.Fatalf("message %+v: not as queued", n)
		}
	}
	// A retried step (the same messages, in another order): nothing queued, no notice audited again.
	change([]store.Notification{msg("education"), msg("police"), msg("health")})
	if ns, _ := e.s.ListNotifications(e.ctx, c.ID); len(ns) != 3 {
		t.Fatalf("%d messages after the same change again, want 3", len(ns))
	}
	if got := noticeEvents(); got != 3 {
		t.Fatalf("%d notice.queued events after the same change again, want 3", got)
	}
	// A superset of it: only the new message is queued (and audited), as a message of its own.
	change(append(slices.Clone(three), msg("probation")))
	ns, err = e.s.ListNotifications(e.ctx, c.ID)
	must(t, err)
	if len(ns) != 4 || noticeEvents() != 4 {
		t.Fatalf("%d messages, %d notice.queued events after a superset, want 4 and 4", len(ns), noticeEvents())
	}
	byID := func(ns []store.Notification, part string) store.Notification {
		t.Helper()
		for _, n := range ns {
			if n.ID == string(c.ID)+"#check-request#"+part {
				return n
			}
		}
		t.Fatalf("no message %s in %d", part, len(ns))
		return store.Notification{}
	}
	if p := byID(ns, "probation"); len(p.Batch) != 0 {
		t.Fatalf("the superset's new message alone: batch %v", p.Batch)
	}
	// The three sends recorded together: two sent, one failed.
	police, health, education := byID(ns, "police"), byID(ns, "health"), byID(ns, "education")
	errs := e.s.RecordSends(e.ctx, []store.SendOutcome{{Notification: police, Sent: true, ProviderID: "ses-p"},
		{Notification: health, Reason: "Throttling"}, {Notification: education, Sent: true, ProviderID: "ses-e"}})
	for _, err := range errs {
		must(t, err)
	}
	ns, err = e.s.ListNotifications(e.ctx, c.ID)
	must(t, err)
	police, health, education = byID(ns, "police"), byID(ns, "health"), byID(ns, "education")
	if police.SentAt.IsZero() || police.ProviderID != "ses-p" || education.ProviderID != "ses-e" || !health.SentAt.IsZero() ||
		health.Attempts != 1 || health.LastError != "Throttling" || police.Version != 2 || health.Version != 2 {
		t.Fatalf("after the batch's sends: police %+v health %+v education %+v", police, health, education)
	}
	pend, err := e.s.PendingNotifications(e.ctx, 0)
	must(t, err)
	var mine []string
	for _, p := range pend {
		if p.ContactID == c.ID && p.ID != byID(ns, "probation").ID {
			mine = append(mine, p.ID)
			if p.Version != 2 || len(p.Batch) != 3 {
				t.Fatalf("pending %s: version %d batch %v", p.ID, p.Version, p.Batch)
			}
		}
	}
	if !slices.Equal(mine, []string{health.ID}) {
		t.Fatalf("pending of the batch: %v, want only the failed one", mine)
	}
	// The sweep sends the failed one from the copy the pending list gave: the others keep what they say.
	sent, err := e.s.MarkSentLoaded(e.ctx, pend[slices.IndexFunc(pend, func(n store.Notification) bool { return n.ID == health.ID })], "ses-h")
	must(t, err)
	if sent.SentAt.IsZero() || sent.ProviderID != "ses-h" || sent.Attempts != 1 {
		t.Fatalf("marked: %+v", sent)
	}
	ns, err = e.s.ListNotifications(e.ctx, c.ID)
	must(t, err)
	if byID(ns, "police").ProviderID != "ses-p" || byID(ns, "education").ProviderID != "ses-e" || byID(ns, "health").ProviderID != "ses-h" {
		t.Fatalf("after the sweep's mark: %+v", ns)
	}
	// Outcomes already recorded are conflicts, by copy (a stale one) and by id (a message not first in its item).
	errs = e.s.RecordSends(e.ctx, []store.SendOutcome{{Notification: police, Sent: true, ProviderID: "ses-p2"}, {Notification: health, Reason: "x"}})
	wantCode(t, errs[0], domain.CodeConflict)
	wantCode(t, errs[1], domain.CodeConflict)
	_, err = e.s.MarkSent(e.ctx, c.ID, education.ID, "ses-e2")
	wantCode(t, err, domain.CodeConflict)
	_, err = e.s.RecordSendFailure(e.ctx, c.ID, health.ID, "x", false)
	wantCode(t, err, domain.CodeConflict)
	_, err = e.s.RecordSendFailure(e.ctx, c.ID, string(c.ID)+"#check-request#none", "x", false)
	wantCode(t, err, domain.CodeNotFound)
	// A message stored alone (as every message was before) reads, fails, sends and marks as before.
	a := msg("alone")
	a.ContactID = c.ID
	alone, err := e.s.EnqueueNotification(e.ctx, a)
	must(t, err)
	_, err = e.s.RecordSendFailure(e.ctx, c.ID, alone.ID, "Throttling", false)
	must(t, err)
	ns, err = e.s.ListNotifications(e.ctx, c.ID)
	must(t, err)
	alone = byID(ns, "alone")
	if len(alone.Batch) != 0 || alone.Attempts != 1 {
		t.Fatalf("a message alone: %+v", alone)
	}
	errs = e.s.RecordSends(e.ctx, []store.SendOutcome{{Notification: alone, Sent: true, ProviderID: "ses-a"}, {Notification: byID(ns, "probation"), Sent: true, ProviderID: "ses-pr"}})
	must(t, errs[0])
	must(t, errs[1])
	ns, err = e.s.ListNotifications(e.ctx, c.ID)
	must(t, err)
	for _, n := range ns {
		if n.SentAt.IsZero() {
			t.Fatalf("message %s unsent after every send", n.ID)
		}
	}
	pend, err = e.s.PendingNotifications(e.ctx, 0)
	must(t, err)
	for _, p := range pend {
		if p.ContactID == c.ID {
			t.Fatalf("pending after every send: %s", p.ID)
		}
	}
}
