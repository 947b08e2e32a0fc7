package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/internal/core"
)

// Faults fails a store's DynamoDB requests through its client's transport (testkit.Faults): every request of
// the operation answers HTTP 500 until stop is called; with applied, the first is applied before its answer is
// dropped (a response lost on the way back).
type Faults interface {
	Fail(op string, applied bool) (stop func())
}

// KeyClaims checks a store that claims a contact's delivery keys with plain conditional puts before the
// contact's transaction (core.PricedPerItem: the DynamoDB adapters; docs/cost.md "Delivery keys claimed before
// the contact's write"), where a write can fail after its keys are claimed. s must be empty, run on clk and send
// its requests through faults. Exactly once still holds, and a failed write blocks no delivery:
//   - a write DynamoDB refuses after its claims (an item over 400 KB: a 4xx, nothing applied) releases them at
//     once: another delivery sharing a key is created at once, and the refused message's redelivery is its
//     duplicate (or, alone, created);
//   - a write whose outcome is unknown (a 500 on every attempt) and whose contact is not there marks its claims
//     failed: the same message's redelivery takes the claim's contact id, and another delivery sharing a key
//     takes that key over at once — never a conflict for the 20 minutes of core.KeyClaimStale;
//   - a write whose outcome is unknown but which was applied (its answer lost) keeps its claims: the key points
//     at its contact and a redelivery is a duplicate of it, never a second contact;
//   - a write that failed and could not even look (the read back failing too: a crash, as far as the claims
//     know) leaves claims that another delivery sharing a key waits for (a conflict, retry) until they are older
//     than core.KeyClaimStale, then takes that key over; the claimant's own redelivery is then a duplicate of
//     it, not taken for the same message;
//   - a write refused as a duplicate by its second key releases the first key it claimed.
func KeyClaims(t *testing.T, s store.Store, clk *Clock, faults Faults) {
	ctx := context.Background()
	ev := store.AuditEvent{Actor: "intake-email", Action: "contact.created"}
	write := func(c *domain.Contact, keys ...store.IdempotencyKey) error {
		return s.CreateHousehold(ctx, []store.NewContact{{Contact: c, Keys: keys, Event: ev}})
	}
	ses := func(v string) store.IdempotencyKey { return store.IdempotencyKey{Kind: store.KeySES, Value: v} }
	mid := func(v string) store.IdempotencyKey { return store.IdempotencyKey{Kind: store.KeyMessageID, Value: v} }
	points := func(k store.IdempotencyKey, want domain.ContactID) {
		t.Helper()
		id, ok, err := s.LookupKey(ctx, k)
		if err != nil || ok != (want != "") || id != want {
			t.Fatalf("key %s %s points at %q (%v %v), want %q", k.Kind, k.Value, id, ok, err, want)
		}
	}
	absent := func(id domain.ContactID) {
		t.Helper()
		if _, err := s.GetContact(ctx, id); domain.ErrorCode(err) != domain.CodeNotFound {
			t.Fatalf("contact %s: %v, want none", id, err)
		}
	}
	var d *store.DuplicateError

	// 1. Refused by DynamoDB after its keys were claimed: released at once.
	huge := NewContact("la-k", "Ona", "Claim", dob, T0)
	huge.Concerns = randomText(700_000)
	if err := write(huge, ses("ses-1"), mid("<m-1>")); err == nil || domain.ErrorCode(err) == domain.CodeDuplicate {
		t.Fatalf("an item over DynamoDB's 400 KB was written: %v", err)
	}
	absent(huge.ID)
	points(ses("ses-1"), "")
	points(mid("<m-1>"), "")
	other := NewContact("la-k", "Ona", "Other", dob, T0) // the same message delivered again by another route
	if err := write(other, mid("<m-1>"), ses("ses-2")); err != nil {
		t.Fatalf("a delivery sharing a key of the refused write: %v, want created at once", err)
	}
	points(mid("<m-1>"), other.ID)
	again := NewContact("la-k", "Ona", "Claim", dob, T0) // the refused message's own redelivery
	if err := write(again, ses("ses-1"), mid("<m-1>")); !errors.As(err, &d) || d.ContactID != other.ID {
		t.Fatalf("the refused message's redelivery: %v, want a duplicate of %s", err, other.ID)
	}
	points(ses("ses-1"), "") // released again by the duplicate
	alone := NewContact("la-k", "Una", "Alone", dob, T0)
	alone.Concerns = randomText(700_000)
	if err := write(alone, ses("ses-3")); err == nil {
		t.Fatal("an item over 400 KB was written")
	}
	alone.Concerns = "fits now"
	if err := write(alone, ses("ses-3")); err != nil {
		t.Fatalf("the refused write's redelivery: %v, want created", err)
	}
	points(ses("ses-3"), alone.ID)

	// 2. An unknown outcome, not applied: the claims are marked failed.
	lost := NewContact("la-k", "Lia", "Lost", dob, T0)
	stop := faults.Fail("TransactWriteItems", false)
	err := write(lost, ses("ses-4"), mid("<m-4>"))
	stop()
	if err == nil || domain.ErrorCode(err) == domain.CodeDuplicate {
		t.Fatalf("a write answered 500 on every attempt: %v, want an error", err)
	}
	absent(lost.ID)
	points(ses("ses-4"), "")
	redelivered := NewContact("la-k", "Lia", "Lost", dob, T0)
	if err := write(redelivered, ses("ses-4"), mid("<m-4>")); err != nil {
		t.Fatalf("the redelivery after an unknown outcome: %v", err)
	}
	if redelivered.ID != lost.ID {
		t.Fatalf("the redelivery was created as %s, want the claim's contact %s", redelivered.ID, lost.ID)
	}
	points(mid("<m-4>"), lost.ID)
	late := *lost // the first write, applied late after all, is a duplicate of it
	late.Concerns = "late"
	if err := write(&late, ses("ses-4"), mid("<m-4>")); !errors.As(err, &d) || d.ContactID != lost.ID {
		t.Fatalf("the claimant writing late: %v, want a duplicate of %s", err, lost.ID)
	}
	lost2 := NewContact("la-k", "Lia", "Lost", dob, T0)
	stop = faults.Fail("TransactWriteItems", false)
	err = write(lost2, ses("ses-5"), mid("<m-5>"))
	stop()
	if err == nil {
		t.Fatal("a write answered 500 on every attempt succeeded")
	}
	copied := NewContact("la-k", "Lia", "Copy", dob, T0) // another delivery sharing a key, at once
	if err := write(copied, mid("<m-5>"), ses("ses-6")); err != nil {
		t.Fatalf("a delivery sharing a key of a failed write: %v, want created at once", err)
	}
	points(mid("<m-5>"), copied.ID)

	// 3. An unknown outcome, applied (the answer lost): the claims stand.
	applied := NewContact("la-k", "Ada", "Applied", dob, T0)
	stop = faults.Fail("TransactWriteItems", true)
	err = write(applied, ses("ses-7"), mid("<m-7>"))
	stop()
	if err == nil {
		t.Fatal("a write whose answer was lost reported success")
	}
	if _, err := s.GetContact(ctx, applied.ID); err != nil {
		t.Fatalf("the applied write's contact: %v", err)
	}
	points(ses("ses-7"), applied.ID)
	points(mid("<m-7>"), applied.ID)
	twice := NewContact("la-k", "Ada", "Applied", dob, T0)
	if err := write(twice, ses("ses-7"), mid("<m-7>")); !errors.As(err, &d) || d.ContactID != applied.ID {
		t.Fatalf("the redelivery of an applied write: %v, want a duplicate of %s", err, applied.ID)
	}
	shares := NewContact("la-k", "Ada", "Shares", dob, T0)
	if err := write(shares, mid("<m-7>"), ses("ses-8")); !errors.As(err, &d) || d.ContactID != applied.ID {
		t.Fatalf("a delivery sharing a key of an applied write: %v, want a duplicate of %s", err, applied.ID)
	}

	// 4. Failed and unable to look (the read back fails too): the claim waits until it is stale.
	stale := NewContact("la-k", "Pia", "Stale", dob, T0)
	stopW, stopR := faults.Fail("TransactWriteItems", false), faults.Fail("GetItem", false)
	err = write(stale, ses("ses-9"))
	stopW()
	stopR()
	if err == nil {
		t.Fatal("a write answered 500 on every attempt succeeded")
	}
	next := NewContact("la-k", "Pia", "Next", dob, T0)
	err = write(next, ses("ses-9"), store.IdempotencyKey{Kind: store.KeyAPI, Value: "another"})
	wantCode(t, err, domain.CodeConflict)
	clk.Advance(core.KeyClaimStale + time.Minute)
	if err := write(next, ses("ses-9"), store.IdempotencyKey{Kind: store.KeyAPI, Value: "another"}); err != nil {
		t.Fatalf("after the claim went stale: %v", err)
	}
	points(ses("ses-9"), next.ID)
	if next.ID == stale.ID {
		t.Fatal("another delivery took the stale claim's contact id, not its key alone")
	}

	// 5. Refused as a duplicate by its second key: the first key it claimed is released.
	dup := NewContact("la-k", "Ona", "Dup", dob, T0)
	if err := write(dup, ses("ses-10"), mid("<m-1>")); !errors.As(err, &d) || d.ContactID != other.ID {
		t.Fatalf("got %v, want a duplicate of %s", err, other.ID)
	}
	points(ses("ses-10"), "")
	last := NewContact("la-k", "Ona", "Last", dob, T0)
	if err := write(last, ses("ses-10")); err != nil {
		t.Fatalf("a delivery with the released key: %v", err)
	}
}

// randomText is n printable characters that do not compress (the store compresses documents).
func randomText(n int) string {
	var b strings.Builder
	x := uint64(88172645463325252)
	for b.Len() < n {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		if c := byte(' ' + x%95); c != '"' && c != '\\' {
			b.WriteByte(c)
		}
	}
	return b.String()
}
