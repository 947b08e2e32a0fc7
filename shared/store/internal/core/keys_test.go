package core

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
)

// The single table's sort keys carry times as text: the DynamoDB and embedded adapters both page through
// trays, outboxes and contact lists in string order, so string order must be time order — across
// time zones, whole seconds and nanoseconds.
func TestKeys_TimeTextSortsAsTime(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 3, 29, 0, 59, 59, 999999999, time.UTC) // the spring clock change
	times := []time.Time{
		base,
		base.Add(time.Nanosecond),
		base.Add(-time.Nanosecond),
		base.Add(time.Second).In(london),
		base.Add(time.Hour).In(london),
		time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC),
		time.Date(2025, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(2026, 1, 1, 0, 0, 0, 1, time.UTC),
	}
	texts := make([]string, len(times))
	for i, tm := range times {
		texts[i] = ts(tm)
		if len(texts[i]) != len(TimeLayout) {
			t.Errorf("ts(%v) = %q: width %d, want the fixed %d", tm, texts[i], len(texts[i]), len(TimeLayout))
		}
	}
	byText := append([]time.Time(nil), times...)
	sort.Slice(byText, func(i, j int) bool { return ts(byText[i]) < ts(byText[j]) })
	byTime := append([]time.Time(nil), times...)
	sort.Slice(byTime, func(i, j int) bool { return byTime[i].Before(byTime[j]) })
	for i := range byText {
		if !byText[i].Equal(byTime[i]) {
			t.Fatalf("position %d: text order gives %v, time order %v", i, byText[i], byTime[i])
		}
	}
}

// An item that expires at t must not vanish before t: DynamoDB's TTL and the embedded store's liveness
// check both compare whole epoch seconds, so a fraction of a second rounds up.
func TestKeys_TTLIsNeverEarly(t *testing.T) {
	for _, tc := range []struct {
		at   time.Time
		want int64
	}{
		{time.Unix(1_800_000_000, 0), 1_800_000_000},
		{time.Unix(1_800_000_000, 1), 1_800_000_001},
		{time.Unix(1_800_000_000, 999_999_999), 1_800_000_001},
	} {
		if got := ttlOf(tc.at); got != tc.want {
			t.Errorf("ttlOf(%v) = %d, want %d", tc.at, got, tc.want)
		}
		if ttlOf(tc.at) < tc.at.Unix() {
			t.Errorf("ttlOf(%v) is before the time itself", tc.at)
		}
	}
	s := &Store{now: func() time.Time { return time.Unix(1_800_000_000, 500) }}
	for _, tc := range []struct {
		ttl  int64
		live bool
	}{{0, true}, {1_800_000_001, true}, {1_800_000_000, false}, {1_799_999_999, false}} {
		if got := s.live(&Item{TTL: tc.ttl}); got != tc.live {
			t.Errorf("live(ttl %d) at %d = %v, want %v", tc.ttl, s.now().Unix(), got, tc.live)
		}
	}
}

// A single-use link's token is a bearer secret: the table keeps only its hash, so a read of the table
// (a backup, an export, an operator's query) cannot use a partner's or a school's link.
func TestKeys_LinkKeyHoldsNoToken(t *testing.T) {
	token := "tok-3f9a8c1e2b7d4f60a1b2c3d4e5f60718"
	pk := linkPK(token)
	if strings.Contains(pk, token) || strings.Contains(pk, token[4:20]) {
		t.Fatalf("link key %q holds the token", pk)
	}
	if pk != linkPK(token) {
		t.Fatal("link key is not stable for one token")
	}
	if linkPK(token+"x") == pk {
		t.Fatal("two tokens share a link key")
	}
}

// Keys are visible to anyone who can list the table or read CloudTrail data events: they carry ids,
// codes and times only. (The children identity key, which matching needs, is the one exception and is
// built elsewhere.)
func TestKeys_OnlyIdsCodesAndTimes(t *testing.T) {
	id := domain.ContactID("c-01J8ZK")
	a := domain.AuthorityID("test-authority")
	keys := []string{
		contactPK(id), contactsGSI(a, domain.Status("awaiting-rating")), referenceGSI(a, "MASH-2026-000017"),
		notifPK(id), notifPK(""), keyPK("9f86d081"), seqPK(a, 2026), trayItemPK("t1"), trayGSI("rating"),
		restrictedPK(id), quarantinePK("q1"), quarantineGSI(a), quarantinesGSI(a), trayDoneGSI(a), schoolsPK(a),
	}
	for _, k := range keys {
		if strings.ContainsAny(k, " @\r\n") {
			t.Errorf("key %q holds a space, an address or a line break", k)
		}
	}
	if got, want := seqPK(a, 7), "seq#test-authority#0007"; got != want {
		t.Errorf("seqPK = %q, want fixed-width year %q", got, want)
	}
	if notifPK("") == notifPK(id) {
		t.Error("a notification with no contact shares its contact's partition")
	}
}

// condIndex reads which put's condition failed, through wrapping, so the store can name the record
// (contact, key, sequence) that made a write conflict.
func TestCondIndex(t *testing.T) {
	for _, tc := range []struct {
		err  error
		idx  int
		isCF bool
	}{
		{&CondFailedError{Index: 2}, 2, true},
		{fmt.Errorf("write: %w", &CondFailedError{Index: 0}), 0, true},
		{errors.New("throttled"), 0, false},
		{nil, 0, false},
	} {
		idx, ok := condIndex(tc.err)
		if ok != tc.isCF || (ok && idx != tc.idx) {
			t.Errorf("condIndex(%v) = %d, %v; want %d, %v", tc.err, idx, ok, tc.idx, tc.isCF)
		}
	}
}

// Only a key that can be a contact's child's identity (folded name, "#", YYYY-MM-DD) is looked for among the
// contacts (gsi3); a case record's blocks are not.
func TestContactKey_OnlyAChildsIdentityIsLookedForAmongTheContacts(t *testing.T) {
	for key, want := range map[string]bool{
		"maisiethornton#2019-02-14": true,
		"dob#2019-02-14":            true, // a block, but also the identity of a child whose folded name is "dob": read both
		"sounds#T655#M200":          false,
		"nhs#9434765919":            false,
		"maisiethornton#":           false,
		"#2019-02-14":               false,
		"maisie#2019-02-30":         false,
		"":                          false,
	} {
		if got := contactKey(key); got != want {
			t.Errorf("contactKey(%q) = %v, want %v", key, got, want)
		}
	}
}
