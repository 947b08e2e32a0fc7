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

// KeyClaims checks a store that claims a contact's delivery keys with plain conditional puts before the
// contact's transaction (core.PricedPerItem: the DynamoDB adapters; docs/cost.md "Delivery keys claimed before
// the contact's write"), where a write can fail after its keys are claimed. s must be empty and run on clk.
// Exactly once still holds:
//   - a write that fails after its claims (an unknown outcome: DynamoDB refuses an item over 400 KB) leaves keys
//     that point at no contact: LookupKey finds none;
//   - a redelivery of the same message (the same keys) takes the claim's contact id and creates the contact
//     under it, so the write that claimed it, should it still commit, finds the contact there (a duplicate);
//   - another delivery sharing a key whose claim is recent gets a conflict (retry), not a second contact;
//     once the claim is older than core.KeyClaimStale it takes that key over, and the claimant's own
//     redelivery is then a duplicate of it, not taken for the same message;
//   - a write refused as a duplicate by its second key releases the first key it claimed.
func KeyClaims(t *testing.T, s store.Store, clk *Clock) {
	ctx := context.Background()
	ses := store.IdempotencyKey{Kind: store.KeySES, Value: "ses-claim-1"}
	mid := store.IdempotencyKey{Kind: store.KeyMessageID, Value: "<claim-1@mail.example>"}
	ev := store.AuditEvent{Actor: "intake-email", Action: "contact.created"}
	write := func(c *domain.Contact, keys ...store.IdempotencyKey) error {
		return s.CreateHousehold(ctx, []store.NewContact{{Contact: c, Keys: keys, Event: ev}})
	}

	// A write that fails after its keys were claimed.
	huge := NewContact("la-k", "Ona", "Claim", dob, T0)
	huge.Concerns = randomText(700_000)
	err := write(huge, ses, mid)
	if err == nil || domain.ErrorCode(err) == domain.CodeDuplicate {
		t.Fatalf("an item over DynamoDB's 400 KB was written: %v", err)
	}
	orphan := huge.ID
	if _, err := s.GetContact(ctx, orphan); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Fatalf("the failed write left its contact: %v", err)
	}
	for _, k := range []store.IdempotencyKey{ses, mid} {
		if id, ok, err := s.LookupKey(ctx, k); err != nil || ok {
			t.Fatalf("a key of the failed write points at %s (%v %v): want none until its contact is written", id, ok, err)
		}
	}

	// Another delivery sharing one key, while the claim is recent: a conflict, nothing written.
	other := NewContact("la-k", "Ona", "Other", dob, T0)
	err = write(other, mid, store.IdempotencyKey{Kind: store.KeySES, Value: "ses-claim-2"})
	wantCode(t, err, domain.CodeConflict)
	if _, err := s.GetContact(ctx, other.ID); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Fatalf("a delivery sharing a claimed key wrote a contact: %v", err)
	}

	// The redelivery: created under the claim's contact id.
	again := NewContact("la-k", "Ona", "Claim", dob, T0)
	fresh := again.ID
	if err := write(again, ses, mid); err != nil {
		t.Fatalf("the redelivery: %v", err)
	}
	if again.ID != orphan {
		t.Fatalf("the redelivery was created as %s, want the claim's contact %s", again.ID, orphan)
	}
	if _, err := s.GetContact(ctx, fresh); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Fatalf("the redelivery also wrote its own id: %v", err)
	}
	for _, k := range []store.IdempotencyKey{ses, mid} {
		if id, ok, err := s.LookupKey(ctx, k); err != nil || !ok || id != orphan {
			t.Fatalf("key %s points at %s (%v %v), want %s", k.Kind, id, ok, err, orphan)
		}
	}
	// The first write, committing late, is a duplicate of it; so is any later delivery.
	late := *huge
	late.Concerns = "late"
	err = write(&late, ses, mid)
	var d *store.DuplicateError
	if !errors.As(err, &d) || d.ContactID != orphan {
		t.Fatalf("the claimant writing late: %v, want a duplicate of %s", err, orphan)
	}

	// A claim older than core.KeyClaimStale is taken over by another delivery sharing the key.
	stale := NewContact("la-k", "Pia", "Stale", dob, T0)
	k1 := store.IdempotencyKey{Kind: store.KeySES, Value: "ses-stale-1"}
	stale.Concerns = randomText(700_000)
	if err := write(stale, k1); err == nil {
		t.Fatal("an item over 400 KB was written")
	}
	next := NewContact("la-k", "Pia", "Next", dob, T0)
	err = write(next, k1, store.IdempotencyKey{Kind: store.KeyAPI, Value: "another"})
	wantCode(t, err, domain.CodeConflict)
	clk.Advance(core.KeyClaimStale + time.Minute)
	if err := write(next, k1, store.IdempotencyKey{Kind: store.KeyAPI, Value: "another"}); err != nil {
		t.Fatalf("after the claim went stale: %v", err)
	}
	if id, ok, _ := s.LookupKey(ctx, k1); !ok || id != next.ID {
		t.Fatalf("the stale claim's key points at %s, want %s", id, next.ID)
	}
	if next.ID == stale.ID {
		t.Fatal("another delivery took the stale claim's contact id, not its key alone")
	}

	// Refused as a duplicate by its second key: the first key it claimed is released.
	dup := NewContact("la-k", "Ona", "Dup", dob, T0)
	k3 := store.IdempotencyKey{Kind: store.KeySES, Value: "ses-claim-3"}
	err = write(dup, k3, mid)
	if !errors.As(err, &d) || d.ContactID != orphan {
		t.Fatalf("got %v, want a duplicate of %s", err, orphan)
	}
	if _, ok, _ := s.LookupKey(ctx, k3); ok {
		t.Fatal("the refused write's own key still points at its contact")
	}
	alone := NewContact("la-k", "Ona", "Alone", dob, T0)
	if err := write(alone, k3); err != nil {
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
