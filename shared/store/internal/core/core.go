package core

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

// MaxWriteItems is the most puts one atomic write may hold (the DynamoDB transaction limit).
const MaxWriteItems = 100

// Store implements store.Store over a Backend.
type Store struct {
	b   Backend
	now func() time.Time
	// simulated marks every contact and audit event written as made under a simulated clock.
	simulated bool
	// seqMu serialises this process's numbering writes (CreateHousehold with Number), which read a
	// sequence and write it back under a version check: without it they would retry against each other.
	seqMu sync.Mutex
	// seqSeen is, under seqMu, each sequence's count as this process last wrote it, so the next numbering
	// write need not read it first. Another writer makes it stale; the version check then fails, the entry
	// is dropped and the write reads the sequence again.
	seqSeen map[string]int64
	// consultMu serialises this process's consultation numbering (CreateConsultation), as seqMu does contacts'.
	consultMu sync.Mutex
	// byStream: the table's stream hands every new message to the sender (SendByStream), so a message is on
	// the pending list only once a send of it has failed.
	byStream bool
}

var _ store.Store = (*Store)(nil)

// New builds a Store. now is the clock used for UpdatedAt, default times and TTL on read.
func New(b Backend, now func() time.Time) *Store { return &Store{b: b, now: now} }

// Close closes the backend.
func (s *Store) Close() error { return s.b.Close() }

// MarkSimulated has the store mark every contact and audit event it writes from now on as made under a
// simulated clock (`mash run`/`mash demo --start-at`), so that rehearsal data is never taken for real data.
// Call it before the store is shared.
func (s *Store) MarkSimulated() { s.simulated = true }

// SendByStream has the store leave a queued message off the pending list (PendingNotifications, index gsi2
// outbox#pending) until a send of it has failed (RecordSendFailure), because the table's stream hands every
// new message to the sender (functions/outbox, notify.StreamSender) instead: the pending index entry, put
// with every message and removed when it was sent, was 2 of each message's 5 write units (docs/cost.md "The
// outbox sent from the table's stream"). In the same way a completion a change owes the workflow is written
// Streamed, off the completer's pending list (PendingCompletions) until a tell of it has failed
// (CompletionFailed): the stream tells it (workflow.StreamCompleter). Only for a DynamoDB table whose stream
// feeds functions/outbox (template.yaml); every process writing to that table must call it (lambdacfg, from
// OUTBOX_STREAM). Call it before the store is shared.
func (s *Store) SendByStream() { s.byStream = true }

// SendsByStream says whether SendByStream was called.
func (s *Store) SendsByStream() bool { return s.byStream }

func (s *Store) nowUTC() time.Time { return s.now().UTC() }

// live reports whether an item has not expired (TTL honoured on read by both adapters).
func (s *Store) live(it *Item) bool { return it.TTL == 0 || it.TTL > s.now().Unix() }

func invalid(field, msg string) error {
	return &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: field, Message: msg}}}
}

func notFound(what string) error { return domain.Errorf(domain.CodeNotFound, "%s not found", what) }

func conflict(format string, args ...any) error {
	return domain.Errorf(domain.CodeConflict, format, args...)
}

func internal(op string, err error) error {
	return &domain.Error{Code: domain.CodeInternal, Message: "store " + op + " failed", Err: err}
}

func marshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		// Every record is plain data (strings, times, maps of strings): Marshal cannot fail on them.
		return []byte("null")
	}
	return b
}

// decode reads an item's document as a T. The work is decodeInto's, compiled once: a generic body is compiled
// again for every document type (≈ 5 KB in every function that links the store, issue #19's size budget).
func decode[T any](it *Item) (T, error) {
	var v T
	err := decodeInto(it, &v)
	return v, err
}

func decodeInto(it *Item, v any) error {
	if err := json.Unmarshal(it.Doc, v); err != nil {
		return internal("decode "+it.SK, err)
	}
	return nil
}

// createOnce writes an item that must not exist yet: exists is returned when it does, a backend failure is
// internal (what names the operation).
func (s *Store) createOnce(ctx context.Context, it Item, exists error, what string) error {
	if err := s.b.Write(ctx, []Put{{Item: it, Cond: CondNotExists}}); err != nil {
		if _, ok := condIndex(err); ok {
			return exists
		}
		return internal(what, err)
	}
	return nil
}

func condIndex(err error) (int, bool) {
	var cf *CondFailedError
	if errors.As(err, &cf) {
		return cf.Index, true
	}
	return 0, false
}

// ---- audit ----

// auditPut applies the event defaults, validates it and returns its put.
func (s *Store) auditPut(ev store.AuditEvent, contact domain.ContactID) (Put, store.AuditEvent, error) {
	if ev.ContactID == "" {
		ev.ContactID = contact
	}
	if err := ev.Validate(); err != nil {
		return Put{}, ev, err
	}
	if ev.ContactID == "" {
		return Put{}, ev, invalid("event.contactId", "is required")
	}
	if contact != "" && ev.ContactID != contact {
		return Put{}, ev, invalid("event.contactId", "must be the contact being written")
	}
	if ev.At.IsZero() {
		ev.At = s.nowUTC()
	}
	if ev.ID == "" {
		ev.ID = timeID(ev.At)
	}
	if s.simulated {
		ev.Simulated = true
	}
	return Put{Item: Item{PK: contactPK(ev.ContactID), SK: prefixAudit + ev.ID, Version: 1, Doc: marshal(ev)}, Cond: CondNotExists}, ev, nil
}

// auditsPut is the ONE put of a change's audit events (docs/cost.md "Cuts": an item costs at least 1 WRU, 2 in
// a transaction, however small): each event gets auditPut's defaults and checks, and more than one are stored
// as a JSON array in one item keyed by the smallest event id. A single event is stored as before (an object).
// The trail is unchanged for readers: ListAudit expands the item into its events, in id order. Only the
// changes of a contact or a consultation fold their events: their trails are deleted whole (DeleteContact,
// DeleteConsultation), never event by event (DeleteAudit, whose trails keep one event per item).
func (s *Store) auditsPut(evs []store.AuditEvent, contact domain.ContactID) (Put, error) {
	if len(evs) == 1 {
		p, _, err := s.auditPut(evs[0], contact)
		return p, err
	}
	out := make([]store.AuditEvent, 0, len(evs))
	for _, ev := range evs {
		_, ev, err := s.auditPut(ev, contact)
		if err != nil {
			return Put{}, err
		}
		out = append(out, ev)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	for i := 1; i < len(out); i++ {
		if out[i].ID == out[i-1].ID {
			return Put{}, invalid("events", "two events of one change have the same id")
		}
	}
	return Put{Item: Item{PK: contactPK(out[0].ContactID), SK: prefixAudit + out[0].ID, Version: 1, Doc: marshal(out)}, Cond: CondNotExists}, nil
}

// auditEvents decodes an audit item: one event (an object) or the events of one change (an array, auditsPut).
func auditEvents(it *Item) ([]store.AuditEvent, error) {
	doc := bytes.TrimLeft(it.Doc, " \t\r\n")
	if len(doc) > 0 && doc[0] == '[' {
		return decode[[]store.AuditEvent](it)
	}
	ev, err := decode[store.AuditEvent](it)
	if err != nil {
		return nil, err
	}
	return []store.AuditEvent{ev}, nil
}

// AppendAudit implements store.Audit.
func (s *Store) AppendAudit(ctx context.Context, ev store.AuditEvent) (store.AuditEvent, error) {
	p, ev, err := s.auditPut(ev, "")
	if err != nil {
		return ev, err
	}
	if err := s.b.Write(ctx, []Put{p}); err != nil {
		if _, ok := condIndex(err); ok {
			return ev, conflict("audit event %s already exists", ev.ID)
		}
		return ev, internal("append audit", err)
	}
	return ev, nil
}

// AppendAudits implements store.Audit.
func (s *Store) AppendAudits(ctx context.Context, evs []store.AuditEvent) error {
	puts := make([]Put, 0, len(evs))
	for _, ev := range evs {
		p, _, err := s.auditPut(ev, "")
		if err != nil {
			return err
		}
		puts = append(puts, p)
	}
	for len(puts) > 0 {
		n := min(len(puts), MaxWriteItems)
		if err := s.b.Write(ctx, puts[:n]); err != nil {
			if _, ok := condIndex(err); ok {
				return conflict("an audit event already exists")
			}
			return internal("append audit", err)
		}
		puts = puts[n:]
	}
	return nil
}

// ListAudit implements store.Audit: every event of the trail, in id order (an item holding a change's events
// is expanded: auditsPut).
func (s *Store) ListAudit(ctx context.Context, contact domain.ContactID) ([]store.AuditEvent, error) {
	items, err := s.b.Query(ctx, contactPK(contact), prefixAudit)
	if err != nil {
		return nil, internal("query", err)
	}
	out := make([]store.AuditEvent, 0, len(items))
	folded := false
	for i := range items {
		if !s.live(&items[i]) {
			continue
		}
		evs, err := auditEvents(&items[i])
		if err != nil {
			return nil, err
		}
		folded = folded || len(evs) > 1
		out = append(out, evs...)
	}
	if folded {
		sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	}
	return out, nil
}

// versioned decodes the live items of one kind of record, each with its item's version when setVersion is
// given (a message's store.Notification.Version).
func versioned[T any](s *Store, items []Item, setVersion func(*T, int64)) ([]T, error) {
	out := make([]T, 0, len(items))
	for i := range items {
		if !s.live(&items[i]) {
			continue
		}
		v, err := decode[T](&items[i])
		if err != nil {
			return nil, err
		}
		if setVersion != nil {
			setVersion(&v, items[i].Version)
		}
		out = append(out, v)
	}
	return out, nil
}

// sortOldestFirst sorts records by creation time, then by id (key gives both): a contact's messages and
// completions as their lists give them.
func sortOldestFirst[T any](xs []T, key func(*T) (time.Time, string)) {
	sort.SliceStable(xs, func(i, j int) bool {
		ci, ii := key(&xs[i])
		cj, ij := key(&xs[j])
		if !ci.Equal(cj) {
			return ci.Before(cj)
		}
		return ii < ij
	})
}

// writeLoaded writes it — the caller's copy of a record, changed — under the version the caller read: ok is
// false when the item changed or went since (the caller then reads it and changes it again).
func (s *Store) writeLoaded(ctx context.Context, it Item, read int64, what string) (ok bool, err error) {
	if err := s.b.Write(ctx, []Put{{Item: it, Cond: CondVersion, Version: read}}); err != nil {
		if _, cond := condIndex(err); cond {
			return false, nil
		}
		return false, internal("update "+what, err)
	}
	return true, nil
}

// changeRecord reads a record (pk, sk), lets fn change it — given the version read; an error refuses and
// nothing is written — and writes it back as item builds it, under that version (update).
func changeRecord[T any](ctx context.Context, s *Store, pk, sk, what string, item func(T, int64) Item, fn func(*T, int64) error) (T, error) {
	var v T
	err := s.update(ctx, pk, sk, what, func(it *Item) error {
		var err error
		if v, err = decode[T](it); err != nil {
			return err
		}
		if err := fn(&v, it.Version); err != nil {
			return err
		}
		*it = item(v, it.Version)
		return nil
	})
	return v, err
}

func queryDocs[T any](ctx context.Context, s *Store, pk, prefix string) ([]T, error) {
	items, err := s.b.Query(ctx, pk, prefix)
	if err != nil {
		return nil, internal("query", err)
	}
	return versioned[T](s, items, nil)
}

func indexDocs[T any](ctx context.Context, s *Store, idx Index, pk, below string, limit int) ([]T, error) {
	items, err := s.b.QueryIndex(ctx, idx, pk, below, limit)
	if err != nil {
		return nil, internal("query index", err)
	}
	return versioned[T](s, items, nil)
}

// ---- contacts ----

func contactItem(c *domain.Contact) Item {
	it := Item{PK: contactPK(c.ID), SK: skContact, Version: c.Version, Doc: marshal(c),
		GSI1PK: contactsGSI(c.Authority, c.Status), GSI1SK: ts(c.ReceivedAt) + "#" + string(c.ID)}
	if c.Outcome != nil && !c.RetainUntil.IsZero() {
		// The table's TTL deletes a decided contact's item should the retention job not have run by then.
		it.TTL = c.RetainUntil.Unix() + ttlGrace
	}
	if c.Reference != "" {
		it.GSI2PK, it.GSI2SK = referenceGSI(c.Authority, c.Reference), string(c.ID)
	}
	if ik := c.Child.IdentityKey(); ik != "" {
		it.GSI3PK = childKey(c.Authority, ik) // the children index, on the contact (childindex.go)
	}
	return it
}

func childItem(r store.ChildRecord, version int64) Item {
	it := Item{PK: contactPK(r.ContactID), SK: skChild, Version: version, Doc: marshal(r)}
	if r.IdentityKey != "" {
		it.GSI1PK = childGSI(r.Authority, r.IdentityKey)
		it.GSI1SK = ts(r.ReceivedAt) + "#" + string(r.ContactID)
	}
	return it
}

func (s *Store) keyPut(k store.IdempotencyKey, id domain.ContactID, now time.Time) (Put, error) {
	if err := k.Validate(); err != nil {
		return Put{}, err
	}
	if k.ExpiresAt.IsZero() {
		k.ExpiresAt = now.Add(store.DefaultKeyTTL)
	}
	doc := keyDoc{ContactID: id, Kind: k.Kind, ExpiresAt: k.ExpiresAt.UTC()}
	return Put{Item: Item{PK: keyPK(k.Hash()), SK: skKey, TTL: ttlOf(k.ExpiresAt), Version: 1, Doc: marshal(doc)},
		Cond: CondNotExistsOrExpired, Now: now.Unix()}, nil
}

type keyDoc struct {
	ContactID domain.ContactID `json:"contactId"`
	Kind      store.KeyKind    `json:"kind"`
	ExpiresAt time.Time        `json:"expiresAt"`
	// A delivery key claimed before its contacts' write (claimKeys): every contact id of that write in order,
	// the write's fingerprint (the hash of all its keys) and when. Keys written in one write with their contact
	// (before 2026-11-30, and PutIdempotencyKey's) carry none.
	Household []domain.ContactID `json:"household,omitempty"`
	Write     string             `json:"write,omitempty"`
	ClaimedAt time.Time          `json:"claimedAt,omitzero"`
	// FailedAt: the write that claimed the key failed with an unknown outcome and its contacts were not there
	// when it looked (unclaim). The claim still names them, so the same message's redelivery takes them
	// (adopt); another delivery sharing the key takes it over at once, as a stale claim (claimKeys).
	FailedAt time.Time `json:"failedAt,omitzero"`
}

// KeyClaimStale is how long a delivery key claimed before its contacts' write may stay without its contact
// before another delivery sharing the key takes it over (claimKeys): longer than any function runs (Lambda's
// limit is 15 minutes), so the write that claimed it can no longer be under way.
const KeyClaimStale = 20 * time.Minute

// keyClaim is what claimKeys claimed for a write.
type keyClaim struct {
	apart   bool  // the keys were claimed before the write (PricedPerItem), not put in it
	mine    []Put // the key items this call put (each at version 1), released when the write is refused
	adopted bool  // the write's contact ids are those of an earlier claim of its keys
	first   domain.ContactID
}

// claimKeys claims a write's delivery keys before its contacts' transaction (docs/cost.md: a plain conditional
// put is 1 WRU, in the transaction 2). Each key is put if no live key has its hash. A key already there:
//   - held by this write (its contact ids): claimed already (a retried call);
//   - its contact written: the delivery is a duplicate (*DuplicateError, and the keys this call put are
//     released);
//   - its contacts not written, by the same write (the same keys: a redelivery, or a concurrent delivery of the
//     same message): this write takes that claim's contact ids (adopted), so that whichever of the two writes
//     commits first creates the contacts and the other finds them there (a duplicate), never two contacts;
//   - its contacts not written, by another delivery, recently: that write is under way; checked again for a
//     moment, then a conflict (retry);
//   - its contacts not written, by another delivery, longer ago than KeyClaimStale (its write ended without
//     writing), or marked failed by that write (unclaim): this key alone is taken over, at once.
func (s *Store) claimKeys(ctx context.Context, cs []store.NewContact) (*keyClaim, error) {
	now := s.nowUTC()
	ids := make([]domain.ContactID, len(cs))
	var hashes []string
	for i, nc := range cs {
		if nc.Contact == nil {
			return nil, invalid("contact", "is required")
		}
		// Bad input is refused before any request (householdPuts checks the rest before the write).
		if err := nc.Contact.Validate(); err != nil {
			return nil, err
		}
		if _, _, err := s.auditPut(nc.Event, nc.Contact.ID); err != nil {
			return nil, err
		}
		ids[i] = nc.Contact.ID
		for _, k := range nc.Keys {
			if k.IsZero() {
				continue
			}
			if err := k.Validate(); err != nil {
				return nil, err
			}
			hashes = append(hashes, k.Hash())
		}
	}
	cl := &keyClaim{}
	if len(hashes) == 0 {
		return cl, nil
	}
	slices.Sort(hashes)
	sum := sha256.Sum256([]byte(strings.Join(hashes, "\n")))
	write := hex.EncodeToString(sum[:16])
	claimPut := func(k store.IdempotencyKey, id domain.ContactID) (Put, error) {
		p, err := s.keyPut(k, id, now)
		if err != nil {
			return p, err
		}
		d, err := decode[keyDoc](&p.Item)
		if err != nil {
			return p, err
		}
		d.Household, d.Write, d.ClaimedAt = slices.Clone(ids), write, now
		p.Item.Doc = marshal(d)
		return p, nil
	}
	for i, nc := range cs {
		for _, k := range nc.Keys {
			if k.IsZero() {
				continue
			}
			if cl.first == "" {
				cl.first = ids[i]
			}
			for wait := 0; ; wait++ {
				p, err := claimPut(k, ids[i])
				if err != nil {
					return nil, err
				}
				err = s.b.Write(ctx, []Put{p})
				if err == nil {
					cl.mine = append(cl.mine, p)
					break
				}
				if _, ok := condIndex(err); !ok {
					return nil, internal("claim key", err)
				}
				it, err := s.b.Get(ctx, p.Item.PK, skKey)
				if err != nil {
					return nil, internal("read key", err)
				}
				if it == nil || !s.live(it) {
					if wait >= 16 {
						return nil, conflict("a delivery key changed concurrently; retry")
					}
					continue // gone or expired since: put again
				}
				d, err := decode[keyDoc](it)
				if err != nil {
					return nil, err
				}
				if slices.Equal(d.Household, ids) {
					break // this write's claim
				}
				c, err := s.b.Get(ctx, contactPK(d.ContactID), skContact)
				if err != nil {
					return nil, internal("get contact", err)
				}
				if c != nil || d.ClaimedAt.IsZero() {
					s.release(ctx, cl)
					return nil, &store.DuplicateError{ContactID: d.ContactID, Kind: k.Kind}
				}
				if d.Write == write && len(d.Household) == len(ids) {
					if err := s.adopt(ctx, cl, cs, ids, d.Household); err != nil {
						return nil, err
					}
					cl.first = d.ContactID
					break
				}
				if now.Sub(d.ClaimedAt) > KeyClaimStale || !d.FailedAt.IsZero() {
					// Another delivery's claim whose write never came: this key alone is taken over (that
					// delivery's other keys still name its own ids, so its redelivery is not taken for this one).
					p.Item.Version, p.Cond, p.Version = it.Version+1, CondVersion, it.Version
					if err := s.b.Write(ctx, []Put{p}); err != nil {
						if _, ok := condIndex(err); ok && wait < 16 {
							continue
						}
						return nil, internal("claim key", err)
					}
					cl.mine = append(cl.mine, p)
					break
				}
				if wait >= 8 {
					return nil, conflict("a delivery with the same %s key is being written; retry", k.Kind)
				}
				select { // the other delivery's write is under way: look again in a moment
				case <-ctx.Done():
					return nil, ctx.Err()
				case <-time.After(time.Duration(5<<wait) * time.Millisecond):
				}
			}
		}
	}
	return cl, nil
}

// adopt makes a write take the contact ids of an earlier claim of its keys (claimKeys): the keys this call
// claimed are pointed at them, and the write's contacts, their events and tray items take them.
func (s *Store) adopt(ctx context.Context, cl *keyClaim, cs []store.NewContact, ids, to []domain.ContactID) error {
	for j, p := range cl.mine {
		d, err := decode[keyDoc](&p.Item)
		if err != nil {
			return err
		}
		if i := slices.Index(ids, d.ContactID); i >= 0 {
			d.ContactID = to[i]
		}
		d.Household = slices.Clone(to)
		np := p
		np.Item.Doc, np.Item.Version, np.Cond, np.Version = marshal(d), p.Item.Version+1, CondVersion, p.Item.Version
		if err := s.b.Write(ctx, []Put{np}); err != nil {
			if _, ok := condIndex(err); ok {
				return conflict("a delivery key changed concurrently; retry")
			}
			return internal("claim key", err)
		}
		cl.mine[j] = np
	}
	for i := range cs {
		from, c := ids[i], cs[i].Contact
		c.ID = to[i]
		for j := range cs[i].TrayItems {
			t := &cs[i].TrayItems[j]
			if rest, ok := strings.CutPrefix(t.ID, string(from)); ok {
				t.ID = string(to[i]) + rest
			}
			if t.ContactID == from {
				t.ContactID = to[i]
			}
		}
		if cs[i].Event.ContactID == from {
			cs[i].Event.ContactID = to[i]
		}
		for j := range cs[i].MoreEvents {
			if cs[i].MoreEvents[j].ContactID == from {
				cs[i].MoreEvents[j].ContactID = to[i]
			}
		}
		ids[i] = to[i]
	}
	cl.adopted = true
	return nil
}

// release gives up the keys a refused write claimed (best effort: a key left claims nothing once its claim is
// stale): each is written expired, under the version this call put, so it reads as absent and the next put
// of its hash succeeds. No delete: the functions that write contacts may not delete.
func (s *Store) release(ctx context.Context, cl *keyClaim) {
	if cl.adopted {
		return // the claims are the earlier write's too
	}
	past := s.nowUTC().Add(-time.Second)
	for _, p := range cl.mine {
		np := p
		np.Item.TTL, np.Item.Version, np.Cond, np.Version = ttlOf(past), p.Item.Version+1, CondVersion, p.Item.Version
		_ = s.b.Write(ctx, []Put{np})
	}
	cl.mine = nil
}

// CreateContact implements store.Contacts.
func (s *Store) CreateContact(ctx context.Context, c *domain.Contact, key store.IdempotencyKey, ev store.AuditEvent) error {
	var keys []store.IdempotencyKey
	if !key.IsZero() {
		keys = append(keys, key)
	}
	return s.CreateHousehold(ctx, []store.NewContact{{Contact: c, Keys: keys, Event: ev}})
}

type putRole struct {
	kind string // "contact", "child", "key", "audit", "notification", "sequence", "restricted"
	key  store.IdempotencyKey
	id   domain.ContactID
}

// maxNumberingAttempts bounds CreateHousehold's retries when another writer took the next reference
// between our read of the sequence and our write (another process: within one, seqMu serialises them).
// Each round has one winner, so this many Lambda instances numbering at the same instant all get through.
const maxNumberingAttempts = 64

// errSequenceMoved: the sequence's version changed under a numbering write; read it again and retry.
var errSequenceMoved = errors.New("reference sequence moved")

// CreateHousehold implements store.Contacts.
func (s *Store) CreateHousehold(ctx context.Context, cs []store.NewContact) error {
	if len(cs) == 0 {
		return invalid("contacts", "at least one contact is required")
	}
	if len(cs) > store.MaxHousehold {
		return invalid("contacts", fmt.Sprintf("at most %d contacts in one write", store.MaxHousehold))
	}
	numbered := false
	for _, nc := range cs {
		numbered = numbered || nc.Number != nil
	}
	cl := &keyClaim{}
	if _, apart := s.b.(PricedPerItem); apart {
		var err error
		if cl, err = s.claimKeys(ctx, cs); err != nil {
			return err
		}
		cl.apart = true
	}
	for attempt := 1; ; attempt++ {
		err := s.createHousehold(ctx, cs, numbered, cl.apart)
		if errors.Is(err, errContactExists) && cl.first != "" {
			// The keys were claimed for these contact ids, and the contacts are written: by the delivery whose
			// claim this one took, or by one that took this one's (the same message twice). A duplicate.
			return &store.DuplicateError{ContactID: cl.first, Kind: firstKind(cs)}
		}
		if err != nil && !errors.Is(err, errSequenceMoved) && !errors.Is(err, errContactExists) {
			s.unclaim(ctx, cl, cs, err)
		}
		if !errors.Is(err, errSequenceMoved) {
			return err
		}
		if attempt == maxNumberingAttempts {
			return conflict("the reference sequence changed %d times during one write; retry", attempt)
		}
		// Spread the losers of a round out (a few milliseconds, random) so they do not meet again at once.
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(rand.Int64N(int64(min(attempt, 8)) * int64(time.Millisecond)))):
		}
	}
}

// errContactExists: a contact of the write exists already (its put's condition failed).
var errContactExists = errors.New("contact already exists")

// writeFailed is the error of a contacts' write that the backend did not apply for a reason other than a
// condition (a refused request, a timeout, a server error), as opposed to one before the write was sent.
type writeFailed struct{ err error }

func (e *writeFailed) Error() string { return e.err.Error() }
func (e *writeFailed) Unwrap() error { return e.err }

// unclaim gives up the delivery keys a write claimed apart (claimKeys) once the write failed with err, so that
// the redelivery, or another delivery sharing a key, is processed at once rather than blocked until the claim
// is KeyClaimStale (and, retried meanwhile, dead-lettered):
//   - refused — a condition, bad input, a failure before the write, or the backend refusing the request
//     (Refusals: DynamoDB's 4xx) — the contacts are not written and never will be under these ids: the keys are
//     released (release), unless they were adopted from an earlier claim of the same message, whose own write
//     may still commit; those are marked failed, as below;
//   - an unknown outcome (a timeout, a 5xx): the first contact is read back. Written: the write was applied,
//     and the claims stand (they point at it: a redelivery is its duplicate). Not there: each claim is marked
//     failed under the version this call put (keyDoc.FailedAt). It still names the write's contacts, so the
//     same message's redelivery takes them (adopt) and the write, should it be applied late, is a duplicate of
//     it; another delivery sharing a key takes that key over at once.
//
// Best effort: a claim left as it was claims nothing once KeyClaimStale has passed.
func (s *Store) unclaim(ctx context.Context, cl *keyClaim, cs []store.NewContact, err error) {
	if len(cl.mine) == 0 {
		return
	}
	var wf *writeFailed
	unknown := errors.As(err, &wf)
	if unknown {
		if r, ok := s.b.(Refusals); ok && r.Refused(wf.err) {
			unknown = false
		}
	}
	if !unknown && !cl.adopted {
		s.release(ctx, cl)
		return
	}
	if unknown && len(cs) > 0 && cs[0].Contact != nil {
		it, err := s.b.Get(ctx, contactPK(cs[0].Contact.ID), skContact)
		if err != nil || it != nil {
			return // applied (the claims point at it), or not known: left to go stale
		}
	}
	now := s.nowUTC()
	for j, p := range cl.mine {
		d, err := decode[keyDoc](&p.Item)
		if err != nil {
			continue
		}
		d.FailedAt = now
		np := p
		np.Item.Doc, np.Item.Version, np.Cond, np.Version = marshal(d), p.Item.Version+1, CondVersion, p.Item.Version
		if s.b.Write(ctx, []Put{np}) == nil {
			cl.mine[j] = np
		}
	}
}

// firstKind is the kind of a write's first delivery key.
func firstKind(cs []store.NewContact) store.KeyKind {
	for _, nc := range cs {
		for _, k := range nc.Keys {
			if !k.IsZero() {
				return k.Kind
			}
		}
	}
	return ""
}

// sequence is one reference counter read for a numbering write.
type sequence struct {
	pk      string
	version int64 // the count when read (0: no item yet)
	next    int64 // the count after this write
}

// createHousehold makes one attempt at the write. A numbering write holds seqMu — this process's numbering
// writes wait for each other rather than race for one number — from reading the sequence until its write
// is queued (an OrderedWriter: later numbering writes queue behind it, counting on it) or done (otherwise).
func (s *Store) createHousehold(ctx context.Context, cs []store.NewContact, numbered, apart bool) error {
	locked := false
	unlock := func() {
		if locked {
			locked = false
			s.seqMu.Unlock()
		}
	}
	defer unlock()
	if numbered {
		s.seqMu.Lock()
		locked = true
	}
	puts, roles, seqOrder, written, err := s.householdPuts(ctx, cs, apart)
	if err != nil {
		return err
	}
	if ow, ok := s.b.(OrderedWriter); ok && numbered {
		wait := ow.Submit(ctx, puts)
		s.rememberSeqs(seqOrder) // the next numbering write counts on this one
		unlock()
		err = wait()
		if err != nil {
			// What the writes queued behind this one counted on is void: they fail their version check
			// and retry, reading the sequence again.
			s.seqMu.Lock()
			s.forgetSeqs(seqOrder)
			s.seqMu.Unlock()
		}
	} else {
		err = s.b.Write(ctx, puts)
		if err == nil {
			s.rememberSeqs(seqOrder)
		} else {
			s.forgetSeqs(seqOrder)
		}
		unlock()
	}
	if err != nil {
		i, ok := condIndex(err)
		if !ok {
			return internal("create contact", &writeFailed{err})
		}
		switch r := roles[i]; r.kind {
		case "key":
			return s.duplicate(ctx, r.key)
		case "sequence":
			return errSequenceMoved
		case "contact", "child":
			return &domain.Error{Code: domain.CodeConflict, Message: "contact " + string(r.id) + " already exists", Err: errContactExists}
		case "notification":
			return conflict("a notification for contact %s already exists", r.id)
		case "restricted":
			return conflict("a restricted record for contact %s already exists", r.id)
		case "tray":
			return conflict("a tray item for contact %s already exists", r.id)
		default:
			return conflict("audit event for contact %s already exists", r.id)
		}
	}
	dc := s.unitCache(ctx)
	for i := range cs {
		*cs[i].Contact = written[i]
		if dc != nil { // a unit that writes a contact starts its workflow: the first step reads it from here
			dc.Store(contactPK(written[i].ID), skContact, clone(&written[i]))
		}
	}
	return nil
}

// rememberSeqs and forgetSeqs keep seqSeen (under seqMu).
func (s *Store) rememberSeqs(qs []*sequence) {
	for _, q := range qs {
		if s.seqSeen == nil {
			s.seqSeen = map[string]int64{}
		}
		s.seqSeen[q.pk] = q.next
	}
}

func (s *Store) forgetSeqs(qs []*sequence) {
	for _, q := range qs {
		delete(s.seqSeen, q.pk)
	}
}

// householdPuts builds the items of a household write, numbering its contacts from the sequences (as this
// process last wrote them, or as read now); written is each contact as it will be stored.
func (s *Store) householdPuts(ctx context.Context, cs []store.NewContact, apart bool) ([]Put, []putRole, []*sequence, []domain.Contact, error) {
	now := s.nowUTC()
	var puts []Put
	var roles []putRole
	seen := map[domain.ContactID]bool{}
	seqs := map[string]*sequence{}
	var seqOrder []*sequence
	written := make([]domain.Contact, len(cs))
	for i, nc := range cs {
		if nc.Contact == nil {
			return nil, nil, nil, nil, invalid("contact", "is required")
		}
		c := *nc.Contact
		ev := nc.Event
		if nc.Number != nil {
			if c.Reference != "" {
				return nil, nil, nil, nil, invalid("reference", "must be empty when the store numbers the contact")
			}
			if c.Authority == "" {
				return nil, nil, nil, nil, invalid("authority", "is required")
			}
			pk := seqPK(c.Authority, nc.Number.Year)
			q := seqs[pk]
			if q == nil {
				q = &sequence{pk: pk}
				if v, ok := s.seqSeen[pk]; ok {
					q.version = v
				} else if it, err := s.b.Get(ctx, pk, skSeq); err != nil {
					return nil, nil, nil, nil, internal("read reference sequence", err)
				} else if it != nil {
					q.version = it.Version
				}
				q.next = q.version
				seqs[pk] = q
				seqOrder = append(seqOrder, q)
			}
			q.next++
			ref, err := domain.FormatReference(nc.Number.Prefix, nc.Number.Year, int(q.next))
			if err != nil {
				return nil, nil, nil, nil, err
			}
			c.Reference = ref
			detail := make(map[string]string, len(ev.Detail)+1)
			for k, v := range ev.Detail {
				detail[k] = v
			}
			detail["reference"] = string(ref)
			ev.Detail = detail
		}
		var rps []Put
		if len(nc.Restricted) > 0 {
			ids := make([]string, 0, len(nc.Restricted))
			for _, r := range nc.Restricted {
				rp, r, err := s.restrictedPut(c.ID, r)
				if err != nil {
					return nil, nil, nil, nil, err
				}
				rps = append(rps, rp)
				ids = append(ids, r.ID)
			}
			detail := make(map[string]string, len(ev.Detail)+1)
			for k, v := range ev.Detail {
				detail[k] = v
			}
			detail["restricted"] = strings.Join(ids, ",")
			ev.Detail = detail
			c.Restricted = &domain.RestrictedNotice{Records: len(ids), ReadableBy: domain.RoleRestrictedReader,
				Path: "/v1/contacts/" + string(c.ID) + "/restricted"}
		}
		if err := c.Validate(); err != nil {
			return nil, nil, nil, nil, err
		}
		if seen[c.ID] {
			return nil, nil, nil, nil, invalid("id", "appears twice in one household write")
		}
		seen[c.ID] = true
		c.Version, c.UpdatedAt = 1, now
		if s.simulated {
			c.Simulated = true
		}
		written[i] = c
		puts = append(puts, Put{Item: contactItem(&c), Cond: CondNotExists})
		roles = append(roles, putRole{kind: "contact", id: c.ID})
		for _, rp := range rps {
			puts = append(puts, rp)
			roles = append(roles, putRole{kind: "restricted", id: c.ID})
		}
		for _, k := range nc.Keys {
			if apart || k.IsZero() {
				continue // claimed before this write (claimKeys), not in it
			}
			p, err := s.keyPut(k, c.ID, now)
			if err != nil {
				return nil, nil, nil, nil, err
			}
			puts = append(puts, p)
			roles = append(roles, putRole{kind: "key", key: k, id: c.ID})
		}
		ap, err := s.auditsPut(append([]store.AuditEvent{ev}, nc.MoreEvents...), c.ID)
		if err != nil {
			return nil, nil, nil, nil, err
		}
		puts = append(puts, ap)
		roles = append(roles, putRole{kind: "audit", id: c.ID})
		if nc.Outbox != nil {
			cc := c
			ns, err := nc.Outbox(&cc)
			if err != nil {
				return nil, nil, nil, nil, err
			}
			for i := range ns {
				if ns[i].ContactID == "" {
					ns[i].ContactID = c.ID
				}
				if ns[i].ContactID != c.ID {
					return nil, nil, nil, nil, invalid("outbox.contactId", "must be the new contact")
				}
			}
			if len(ns) > 0 { // one item for the contact's messages (outboxPut)
				p, _, err := s.outboxPut(ns)
				if err != nil {
					return nil, nil, nil, nil, err
				}
				puts = append(puts, p)
				roles = append(roles, putRole{kind: "notification", id: c.ID})
			}
		}
		for _, t := range nc.TrayItems {
			p, err := s.contactTrayPut(t, &c)
			if err != nil {
				return nil, nil, nil, nil, err
			}
			puts = append(puts, p)
			roles = append(roles, putRole{kind: "tray", id: c.ID})
		}
	}
	for _, q := range seqOrder {
		it := Item{PK: q.pk, SK: skSeq, Version: q.next, Doc: []byte("{}")}
		if q.version == 0 {
			puts = append(puts, Put{Item: it, Cond: CondNotExists})
		} else {
			puts = append(puts, Put{Item: it, Cond: CondVersion, Version: q.version})
		}
		roles = append(roles, putRole{kind: "sequence"})
	}
	if len(puts) > MaxWriteItems {
		return nil, nil, nil, nil, invalid("contacts", fmt.Sprintf("the write needs %d items, more than %d", len(puts), MaxWriteItems))
	}
	return puts, roles, seqOrder, written, nil
}

// duplicate builds the DuplicateError for a key whose conditional put failed.
func (s *Store) duplicate(ctx context.Context, k store.IdempotencyKey) error {
	id, ok, err := s.LookupKey(ctx, k)
	if err != nil {
		return err
	}
	if !ok {
		// The key expired or vanished between the write and this read: the caller may retry.
		return conflict("idempotency key changed concurrently")
	}
	return &store.DuplicateError{ContactID: id, Kind: k.Kind}
}

// GetContact implements store.Contacts.
func (s *Store) GetContact(ctx context.Context, id domain.ContactID) (*domain.Contact, error) {
	c, _, err := s.getContact(ctx, id)
	return c, err
}

func (s *Store) getContact(ctx context.Context, id domain.ContactID) (*domain.Contact, *Item, error) {
	pk := contactPK(id)
	dc := s.unitCache(ctx)
	if dc != nil {
		if v, ok := dc.Load(pk, skContact); ok {
			c := clone(v.(*domain.Contact))
			return c, &Item{PK: pk, SK: skContact, Version: c.Version}, nil
		}
	}
	it, err := s.b.Get(ctx, pk, skContact)
	if err != nil {
		return nil, nil, internal("get contact", err)
	}
	if it == nil {
		return nil, nil, notFound("contact")
	}
	c, err := decode[domain.Contact](it)
	if err != nil {
		return nil, nil, err
	}
	c.Version = it.Version
	if dc != nil {
		dc.Store(pk, skContact, clone(&c))
	}
	return &c, it, nil
}

// UpdateContact implements store.Contacts.
func (s *Store) UpdateContact(ctx context.Context, id domain.ContactID, fn func(*domain.Contact) (store.AuditEvent, error)) (*domain.Contact, error) {
	return s.change(ctx, id, func(c *domain.Contact) (store.Change, error) {
		ev, err := fn(c)
		return store.Change{Events: []store.AuditEvent{ev}}, err
	}, nil)
}

// ChangeContact implements store.Contacts.
func (s *Store) ChangeContact(ctx context.Context, id domain.ContactID, fn func(*domain.Contact) (store.Change, error)) (*domain.Contact, error) {
	return s.change(ctx, id, fn, s.checkWrites)
}

// change is ChangeContact; checks builds the puts of the change's partner-check records. UpdateContact, whose
// changes have none, passes nil, so a binary that only updates contacts (intake-email) links no check code.
func (s *Store) change(ctx context.Context, id domain.ContactID, fn func(*domain.Contact) (store.Change, error),
	checks checkWriter) (*domain.Contact, error) {
	c, it, err := s.getContact(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.changeFrom(ctx, c, it.Version, nil, fn, checks)
}

// ChangeLoaded implements store.Contacts: ChangeContact from the caller's copy, without reading it again.
func (s *Store) ChangeLoaded(ctx context.Context, loaded *domain.Contact, fn func(*domain.Contact) (store.Change, error)) (*domain.Contact, error) {
	if loaded == nil || loaded.ID == "" || loaded.Version < 1 {
		return nil, invalid("contact", "must be a contact as read from the store")
	}
	c := clone(loaded) // fn changes a copy, never the caller's
	return s.changeFrom(ctx, c, loaded.Version, loaded, fn, s.checkWrites)
}

// changeFrom is change from c as read at version; read, when not nil, is c as read, untouched (the caller's
// copy), against which a change asking store.CheckWrite.LeaveContact is compared.
func (s *Store) changeFrom(ctx context.Context, c *domain.Contact, version int64, read *domain.Contact, fn func(*domain.Contact) (store.Change, error),
	checks checkWriter) (*domain.Contact, error) {
	id := c.ID
	before := *c
	ch, err := fn(c)
	if err != nil {
		return nil, err
	}
	if len(ch.Events) == 0 {
		return nil, invalid("events", "a change of a contact needs its audit event")
	}
	if c.ID != before.ID {
		return nil, invalid("id", "cannot change")
	}
	if c.Authority != before.Authority {
		return nil, invalid("authority", "cannot change")
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	var checkPuts []Put
	var recs map[string]checkRec
	events := ch.Events
	// A new check request's item on the checks tray, written by the same change, is kept on its record
	// (checktray.go): by check id.
	kept := map[string]store.TrayItem{}
	for _, w := range ch.Checks {
		if checks == nil || w.Request == nil {
			continue
		}
		for _, t := range ch.TrayItems {
			if cid, chk, ok := checkTrayOf(t.ID); ok && cid == id && chk == w.Request.ID {
				if kept[chk], err = s.contactTray(t, c); err != nil {
					return nil, err
				}
			}
		}
	}
	if checks != nil { // nil for UpdateContact, whose change is one event
		var more []store.AuditEvent
		if checkPuts, more, recs, err = checks(ctx, c, ch.Checks, kept); err != nil {
			return nil, err
		}
		events = append(events[:len(events):len(events)], more...)
	}
	// keptBy is the check record the change writes that keeps tray item id, if any: a completion or a close of
	// that item is made on the record's own put (one write of an item per change).
	keptBy := func(itemID string) (checkRec, bool) {
		cid, chk, ok := checkTrayOf(itemID)
		if !ok || cid != id {
			return checkRec{}, false
		}
		rec, ok := recs[chk]
		return rec, ok && len(rec.r.Kept) > 0
	}
	rewrite := func(rec checkRec) {
		recs[rec.r.ID] = rec
		if rec.isNew {
			checkPuts[rec.idx].Item = checkItem(rec.r, 1)
		} else {
			checkPuts[rec.idx].Item = checkItem(rec.r, rec.read+1)
		}
	}
	// The completions, each kept on its wait's tray item; one on a check record this change writes is put on
	// that record's put (folded).
	cps, written, folded, err := s.completionPuts(ctx, c, ch.Completions, func(cp store.Completion) (store.Completion, bool, error) {
		rec, ok := keptBy(cp.ID)
		if !ok || rec.isNew {
			return cp, false, nil
		}
		d, _, err := keptTray(rec.r)
		if err != nil {
			return cp, false, err
		}
		if d.Owed != nil {
			return cp, true, nil // recorded on its wait's item already (a retried step): skipped (Version 0)
		}
		if d.CompletedAt.IsZero() {
			d.CompletedBy, d.CompletedAt = cp.By, s.nowUTC()
		}
		d.Owed = owedOn(cp, d.TrayItem)
		rec.r = withTray(rec.r, d)
		rewrite(rec)
		w := rec.r
		w.Version = rec.read + 1
		if d, _, err = keptTray(w); err != nil {
			return cp, false, err
		}
		return completionOn(d), true, nil
	})
	if err != nil {
		return nil, err
	}
	// A change that sets nothing on the contact and asks to leave it is written without it (store.CheckWrite.
	// LeaveContact): from is the first put written, past the contact's.
	from := 0
	leave := len(ch.Checks) > 0 && read != nil
	for _, w := range ch.Checks {
		leave = leave && w.LeaveContact
	}
	if leave && bytes.Equal(marshal(c), marshal(read)) {
		from = 1
	} else {
		c.Version, c.UpdatedAt = version+1, s.nowUTC()
	}
	// The change's events are one item (auditsPut): 2 WRU in the transaction, not 2 per event.
	ap, err := s.auditsPut(events, id)
	if err != nil {
		return nil, err
	}
	// Items the change writes only if no item has their key yet (one a retried step already wrote: a new check
	// request, a message, a tray item, a completion with the close of its wait's tray item) are not read first
	// (docs/cost.md): each is a conditional put, and a transaction cancelled by one of them is written again
	// without it. once[i] > 0 groups puts[i] with the puts that go with it; 0: the put must succeed.
	puts := []Put{{Item: contactItem(c), Cond: CondVersion, Version: version}, ap}
	once := []int{0, 0}
	group := 0
	add := func(skippable bool, ps ...Put) {
		g := 0
		if skippable {
			group++
			g = group
		}
		for _, p := range ps {
			puts = append(puts, p)
			once = append(once, g)
		}
	}
	// The closes of items kept on check records this change writes are made on those records' puts.
	for _, x := range ch.Closes {
		if rec, ok := keptBy(x.ID); ok && x.By != "" {
			if rec.r, err = s.closeKept(rec.r, x.By); err != nil {
				return nil, err
			}
			rewrite(rec)
		}
	}
	for _, p := range checkPuts {
		add(p.Cond == CondNotExists && strings.HasPrefix(p.Item.SK, prefixCheck), p) // a new request
	}
	// The messages the change queues are one item (outboxPut; docs/cost.md "The messages of one change kept in one
	// item"): outboxGroup is its group, outbox its messages as written.
	outboxGroup := 0
	var outbox []store.Notification
	if len(ch.Outbox) > 0 {
		ns := make([]store.Notification, 0, len(ch.Outbox))
		for _, n := range ch.Outbox {
			if n.ContactID == "" {
				n.ContactID = id
			}
			if n.ContactID != id {
				return nil, invalid("outbox.contactId", "must be the changed contact")
			}
			ns = append(ns, n)
		}
		p, written, err := s.outboxPut(ns)
		if err != nil {
			return nil, err
		}
		add(true, p)
		outboxGroup, outbox = group, written
	}
	trays := map[string]bool{}
	for _, t := range ch.TrayItems {
		if _, ok := keptBy(t.ID); ok {
			continue // kept on its check's record, written with it
		}
		p, err := s.contactTrayPut(t, c)
		if err != nil {
			return nil, err
		}
		if trays[t.ID] {
			continue
		}
		trays[t.ID] = true
		add(true, p)
	}
	completionGroup := map[int]int{} // group → index in ch.Completions
	k := 0
	for i := range written {
		if written[i].Version == 0 || folded[i] {
			continue
		}
		add(true, cps[k]...)
		completionGroup[group] = i
		k++
	}
	closes := map[int]store.ItemClose{} // group → the close of a tray item the change ends
	closing := map[string]bool{}
	for _, cp := range ch.Completions {
		closing[cp.ID] = true // closed by its completion
	}
	for _, t := range ch.TrayItems {
		closing[t.ID] = true // put by the change: one write of an item per change
	}
	for _, rec := range recs {
		if len(rec.r.Kept) > 0 {
			closing[string(id)+"#"+string(domain.TrayChecks)+"#"+rec.r.ID] = true // on the record's put (above)
		}
	}
	for _, x := range ch.Closes {
		if x.ID == "" || x.By == "" {
			return nil, invalid("closes", "a close names the tray item and who closed it")
		}
		if closing[x.ID] {
			continue
		}
		closing[x.ID] = true
		p, ok, err := s.closePut(ctx, x, id)
		if err != nil {
			return nil, err
		}
		if ok {
			add(true, p)
			closes[group] = x
		}
	}
	if c.Child.IdentityKey() != before.Child.IdentityKey() || !c.ReceivedAt.Equal(before.ReceivedAt) {
		p, ok, err := s.childFollow(ctx, c)
		if err != nil {
			return nil, err
		}
		if ok {
			puts = append(puts, p)
		}
	}
	if len(puts) > MaxWriteItems {
		return nil, invalid("outbox", fmt.Sprintf("the change needs %d items, more than %d", len(puts), MaxWriteItems))
	}
	reread := map[string]bool{}
	for {
		err := s.b.Write(ctx, puts[from:])
		if err == nil {
			// Each completion as written (its item's Version, and the tray item it is kept on), or Version 0
			// when one was already there: the caller marks them done without reading them again
			// (store.Change.Completions).
			for i := range written {
				ch.Completions[i] = written[i]
				ch.Completions[i].Version, ch.Completions[i].Wait = 0, nil
			}
			for g, i := range completionGroup {
				if slices.Contains(once, g) {
					ch.Completions[i] = written[i]
				}
			}
			for i := range folded {
				if folded[i] && written[i].Version > 0 {
					ch.Completions[i] = written[i] // on its check record's put, written
				}
			}
			if dc := s.unitCache(ctx); dc != nil && from == 0 {
				dc.Store(contactPK(id), skContact, clone(c)) // as written: the unit's next step starts from it
			}
			return c, nil
		}
		i, ok := condIndex(err)
		i += from
		x, closing := closes[once[min(i, len(once)-1)]]
		switch {
		case !ok:
			return nil, internal("update contact", err)
		case i < len(once) && once[i] > 0 && closing:
			// A tray item the change closes changed since it was read (claimed, or closed by another action or
			// the sweep): read it once more and close it as it now is, or leave it when it is closed or gone.
			// Changed again meanwhile: the change is a conflict (retried from fresh reads).
			if reread[puts[i].Item.PK+"\x00"+puts[i].Item.SK] {
				return nil, conflict("tray item %s changed concurrently", x.ID)
			}
			reread[puts[i].Item.PK+"\x00"+puts[i].Item.SK] = true
			p, open, err := s.closePut(ctx, x, id)
			if err != nil {
				return nil, err
			}
			if !open {
				puts, once = slices.Delete(puts, i, i+1), slices.Delete(once, i, i+1)
				continue
			}
			puts[i] = p
		case i < len(once) && once[i] > 0 && isCompletionOnItem(completionGroup, once[i], puts[i]):
			// The tray item a completion is kept on changed since it was read (claimed, closed by the sweep, or
			// the completion put on it by a retried step): read it once more and put the completion on it as it
			// now is, or skip the completion when the item holds one already. Changed again meanwhile: the
			// change is a conflict (retried from fresh reads), never written without its completion.
			if reread[puts[i].Item.PK+"\x00"+puts[i].Item.SK] {
				return nil, conflict("tray item %s/%s changed concurrently", puts[i].Item.PK, puts[i].Item.SK)
			}
			reread[puts[i].Item.PK+"\x00"+puts[i].Item.SK] = true
			it, err := s.b.Get(ctx, puts[i].Item.PK, puts[i].Item.SK)
			if err != nil {
				return nil, internal("get tray item", err)
			}
			idx := completionGroup[once[i]]
			if it != nil && isCheckItem(it) && !hostsTray(it) {
				it = nil // its check's record keeps it no more (the retention job)
			}
			if it == nil { // gone: the completion is an item of its own
				cp := written[idx]
				cp.Wait, cp.Version = nil, 1
				written[idx] = cp
				puts[i] = Put{Item: completionItem(cp, 1), Cond: CondNotExists}
				continue
			}
			d, err := decodeTray(it)
			if err != nil {
				return nil, err
			}
			if d.Owed != nil { // recorded already (a retried step): the change goes on without it
				puts, once = slices.Delete(puts, i, i+1), slices.Delete(once, i, i+1)
				continue
			}
			puts[i], written[idx] = s.owedPut(d, written[idx])
		case i < len(once) && once[i] > 0:
			// Already written (by a retried step): the change goes on without it and what goes with it. The change's
			// messages (outboxAgain): those already queued are left out, each with its notice.queued event (the event
			// names it), so a retried step neither queues nor audits a notice twice; the others are queued still.
			g := once[i]
			var queued []string
			if g == outboxGroup {
				if outbox, queued, err = s.outboxAgain(ctx, outbox); err == nil && len(outbox) > 0 {
					puts[i], outbox, err = s.outboxPut(outbox)
				}
				if err != nil {
					return nil, err
				}
			}
			if g != outboxGroup || len(outbox) == 0 {
				keep, keepOnce := puts[:0:0], once[:0:0]
				for j, p := range puts {
					if once[j] != g {
						keep, keepOnce = append(keep, p), append(keepOnce, once[j])
					}
				}
				puts, once = keep, keepOnce
			}
			if len(queued) > 0 {
				events = slices.DeleteFunc(slices.Clone(events), func(ev store.AuditEvent) bool {
					return ev.Action == store.ActionNoticeQueued && slices.Contains(queued, ev.Detail["notification"])
				})
				if puts[1], err = s.auditsPut(events, id); err != nil {
					return nil, err
				}
			}
		case i == 1:
			return nil, conflict("audit event for contact %s already exists", id)
		default:
			return nil, conflict("contact %s changed concurrently", id)
		}
	}
}

// isCompletionOnItem reports whether p, of group g, is a completion kept on its wait's tray item (a put under
// the item's version), not a completion item of its own.
func isCompletionOnItem(completionGroup map[int]int, g int, p Put) bool {
	_, ok := completionGroup[g]
	return ok && p.Cond == CondVersion && !strings.HasPrefix(p.Item.SK, prefixCompletion)
}

// closePut is the put closing tray item x.ID of contact id under its version as read now (store.Change.Closes);
// open is false when the item is absent, expired or already closed (nothing to write). An item of another
// contact is invalid.
func (s *Store) closePut(ctx context.Context, x store.ItemClose, id domain.ContactID) (p Put, open bool, err error) {
	return s.closeItemPut(ctx, x, func(d store.TrayItem) bool { return d.ContactID == id })
}

// closeItemPut is closePut for the item whose owner mine tells (a contact's, or a consultation's by its id).
func (s *Store) closeItemPut(ctx context.Context, x store.ItemClose, mine func(store.TrayItem) bool) (p Put, open bool, err error) {
	it, err := s.getTray(ctx, x.ID)
	if err != nil {
		return Put{}, false, internal("get tray item", err)
	}
	if it == nil || !s.live(it) {
		return Put{}, false, nil
	}
	d, err := decodeTray(it)
	if err != nil {
		return Put{}, false, err
	}
	if !mine(d.TrayItem) {
		return Put{}, false, invalid("closes", "tray item "+x.ID+" is not the changed contact's or consultation's")
	}
	if !d.CompletedAt.IsZero() {
		return Put{}, false, nil
	}
	read := it.Version
	d.CompletedBy, d.CompletedAt = x.By, s.nowUTC()
	return Put{Item: trayItemOf(d, read+1), Cond: CondVersion, Version: read}, true, nil
}

// checkWriter is checkWrites (nil for UpdateContact, whose changes write no check).
type checkWriter func(ctx context.Context, c *domain.Contact, ws []store.CheckWrite, trays map[string]store.TrayItem) ([]Put, []store.AuditEvent, map[string]checkRec, error)

// checkRec is a check record a change writes: its put (by index of checkWrites' puts), the request as it
// will be (with the tray item it keeps), the version read (0: a new request).
type checkRec struct {
	idx   int
	r     store.CheckRequest
	read  int64
	isNew bool
}

// checkWrites returns the puts of a change's partner-check records (store.CheckWrite): a new request written
// once (an existing id is skipped), an answer, a closure or a chase of an open request under its version. An
// answer's restricted records, their audit event and the contact's Restricted notice go in the same write
// (the notice is set on c, which the caller writes).
func (s *Store) checkWrites(ctx context.Context, c *domain.Contact, ws []store.CheckWrite, trays map[string]store.TrayItem) ([]Put, []store.AuditEvent, map[string]checkRec, error) {
	var puts []Put
	var events []store.AuditEvent
	recs := map[string]checkRec{}
	for i, w := range ws {
		field := fmt.Sprintf("checks[%d]", i)
		if w.Request != nil {
			if w.ID != "" || w.Answer != nil || w.Close != nil || w.Chase != nil {
				return nil, nil, nil, invalid(field, "a new request is written alone")
			}
			r := *w.Request
			if r.ContactID == "" {
				r.ContactID = c.ID
			}
			if r.Authority == "" {
				r.Authority = c.Authority
			}
			if r.ContactID != c.ID {
				return nil, nil, nil, invalid(field+".contactId", "must be the changed contact")
			}
			if !r.Agency.Valid() {
				return nil, nil, nil, invalid(field+".agency", "is not a known agency")
			}
			if r.ID == "" {
				r.ID = domain.NewID("chk")
			}
			if r.RequestedAt.IsZero() {
				r.RequestedAt = s.nowUTC()
			}
			if t, ok := trays[r.ID]; ok {
				// Its item on the checks tray is kept on the record (checktray.go): written with it.
				r = withTray(r, trayDoc{TrayItem: t})
			}
			// Not read first: a request already written fails its condition and the change is written
			// without it (changeFrom).
			recs[r.ID] = checkRec{idx: len(puts), r: r, isNew: true}
			puts = append(puts, Put{Item: checkItem(r, 1), Cond: CondNotExists})
			continue
		}
		n := 0
		for _, set := range []bool{w.Answer != nil, w.Close != nil, w.Chase != nil} {
			if set {
				n++
			}
		}
		if w.ID == "" || n != 1 {
			return nil, nil, nil, invalid(field, "names a request (id) and one of answer, close, chase")
		}
		var r store.CheckRequest
		if w.Read != nil && w.Read.ID == w.ID && w.Read.ContactID == c.ID && w.Read.Version > 0 {
			r = *w.Read // as the caller read it in this change: written under its version, not read again
		} else {
			it, err := s.b.Get(ctx, contactPK(c.ID), prefixCheck+w.ID)
			if err != nil {
				return nil, nil, nil, internal("get check", err)
			}
			if it == nil || !s.live(it) {
				return nil, nil, nil, notFound("check")
			}
			if r, err = decodeCheck(it); err != nil {
				return nil, nil, nil, err
			}
		}
		read := r.Version
		r.Version = 0
		switch {
		case r.Answer != nil:
			return nil, nil, nil, conflict("check %s is already answered", w.ID)
		case r.Closed != nil:
			return nil, nil, nil, conflict("check %s was closed unanswered", w.ID)
		}
		switch {
		case w.Answer != nil:
			a := *w.Answer
			if a.By == "" {
				return nil, nil, nil, invalid(field+".answer.by", "is required")
			}
			if a.At.IsZero() {
				a.At = s.nowUTC()
			}
			if len(a.Restricted) > 0 {
				ids := make([]string, 0, len(a.Restricted))
				for _, rec := range a.Restricted {
					rp, rec, err := s.restrictedPut(c.ID, rec)
					if err != nil {
						return nil, nil, nil, err
					}
					puts = append(puts, rp)
					ids = append(ids, rec.ID)
				}
				events = append(events, store.AuditEvent{Actor: a.By, Action: "restricted.written",
					Detail: map[string]string{"restricted": strings.Join(ids, ","), "check": w.ID}})
				total := len(ids)
				if c.Restricted != nil {
					total += c.Restricted.Records
				}
				c.Restricted = &domain.RestrictedNotice{Records: total, ReadableBy: domain.RoleRestrictedReader,
					Path: "/v1/contacts/" + string(c.ID) + "/restricted"}
				a.RestrictedRecords += len(ids)
				a.Restricted = nil
			}
			r.Answer = &a
			var err error
			if r, err = s.closeKept(r, a.By); err != nil { // answered: it leaves the checks tray in the same write
				return nil, nil, nil, err
			}
		case w.Close != nil:
			cl := *w.Close
			if cl.By == "" || strings.TrimSpace(cl.Reason) == "" {
				return nil, nil, nil, invalid(field+".close", "needs who closed the check and why")
			}
			if cl.At.IsZero() {
				cl.At = s.nowUTC()
			}
			r.Closed = &cl
			var err error
			if r, err = s.closeKept(r, cl.By); err != nil { // closed: it leaves the checks tray in the same write
				return nil, nil, nil, err
			}
		case w.Chase != nil:
			r.Chases++
			r.NextChaseAt = w.Chase.Next.UTC()
		}
		recs[r.ID] = checkRec{idx: len(puts), r: r, read: read}
		puts = append(puts, Put{Item: checkItem(r, read+1), Cond: CondVersion, Version: read})
	}
	return puts, events, recs, nil
}

// contactTrayPut is the put of a tray item written with its contact's change or creation: id, tray and dueAt
// required; contact, authority and createdAt default to the contact's and now.
func (s *Store) contactTrayPut(t store.TrayItem, c *domain.Contact) (Put, error) {
	t, err := s.contactTray(t, c)
	if err != nil {
		return Put{}, err
	}
	return Put{Item: trayItem(t, 1), Cond: CondNotExists}, nil
}

// contactTray is tray item t, written with its contact's change or creation, with its defaults.
func (s *Store) contactTray(t store.TrayItem, c *domain.Contact) (store.TrayItem, error) {
	if t.ID == "" || t.Tray == "" || t.DueAt.IsZero() {
		return t, invalid("trayItems", "a tray item written with its contact needs its id, tray and dueAt")
	}
	if t.ContactID == "" {
		t.ContactID = c.ID
	}
	if t.Authority == "" {
		t.Authority = c.Authority
	}
	if t.CreatedAt.IsZero() {
		t.CreatedAt = s.nowUTC()
	}
	return t, nil
}

// childFollow returns the put that moves a contact's children-index entry written apart (childindex.go) to its
// new identity; ok false when the contact has none (its entry is its own item's gsi3 key, which its write moves).
func (s *Store) childFollow(ctx context.Context, c *domain.Contact) (Put, bool, error) {
	old, err := s.b.Get(ctx, contactPK(c.ID), skChild)
	if err != nil {
		return Put{}, false, internal("get child", err)
	}
	if old == nil {
		return Put{}, false, nil
	}
	r, err := decode[store.ChildRecord](old)
	if err != nil {
		return Put{}, false, err
	}
	r.IdentityKey, r.ReceivedAt = c.Child.IdentityKey(), c.ReceivedAt
	return Put{Item: childItem(r, old.Version+1), Cond: CondVersion, Version: old.Version}, true, nil
}

// ContactByReference implements store.Contacts.
func (s *Store) ContactByReference(ctx context.Context, authority domain.AuthorityID, ref domain.Reference) (*domain.Contact, error) {
	items, err := s.b.QueryIndex(ctx, GSI2, referenceGSI(authority, ref), "", 2)
	if err != nil {
		return nil, internal("contact by reference", err)
	}
	if len(items) == 0 {
		return nil, notFound("contact")
	}
	if len(items) > 1 {
		return nil, internal("contact by reference", fmt.Errorf("reference %s names %d contacts", ref, len(items)))
	}
	c, err := decode[domain.Contact](&items[0])
	if err != nil {
		return nil, err
	}
	c.Version = items[0].Version
	return &c, nil
}

// ListContacts implements store.Contacts.
func (s *Store) ListContacts(ctx context.Context, authority domain.AuthorityID, status domain.Status) ([]*domain.Contact, error) {
	items, err := s.b.QueryIndex(ctx, GSI1, contactsGSI(authority, status), "", 0)
	if err != nil {
		return nil, internal("list contacts", err)
	}
	out := make([]*domain.Contact, 0, len(items))
	for i := range items {
		c, err := decode[domain.Contact](&items[i])
		if err != nil {
			return nil, err
		}
		c.Version = items[i].Version
		out = append(out, &c)
	}
	return out, nil
}

// ---- idempotency ----

// LookupKey implements store.Idempotency.
func (s *Store) LookupKey(ctx context.Context, key store.IdempotencyKey) (domain.ContactID, bool, error) {
	if err := key.Validate(); err != nil {
		return "", false, err
	}
	it, err := s.b.Get(ctx, keyPK(key.Hash()), skKey)
	if err != nil {
		return "", false, internal("lookup key", err)
	}
	if it == nil || !s.live(it) {
		return "", false, nil
	}
	d, err := decode[keyDoc](it)
	if err != nil {
		return "", false, err
	}
	if !d.ClaimedAt.IsZero() {
		// Claimed before its contacts' write (claimKeys): it points at a contact only once that is written.
		c, err := s.b.Get(ctx, contactPK(d.ContactID), skContact)
		if err != nil {
			return "", false, internal("get contact", err)
		}
		if c == nil {
			return "", false, nil
		}
	}
	return d.ContactID, true, nil
}

// PutIdempotencyKey implements store.Idempotency.
func (s *Store) PutIdempotencyKey(ctx context.Context, key store.IdempotencyKey, id domain.ContactID) error {
	if id == "" {
		return invalid("contactId", "is required")
	}
	p, err := s.keyPut(key, id, s.nowUTC())
	if err != nil {
		return err
	}
	if err := s.b.Write(ctx, []Put{p}); err != nil {
		if _, ok := condIndex(err); ok {
			return s.duplicate(ctx, key)
		}
		return internal("put key", err)
	}
	return nil
}

// ---- sequences ----

// NextReference implements store.Sequences.
func (s *Store) NextReference(ctx context.Context, authority domain.AuthorityID, prefix string, year int) (domain.Reference, error) {
	if authority == "" {
		return "", invalid("authority", "is required")
	}
	if _, err := domain.FormatReference(prefix, year, 1); err != nil {
		return "", err
	}
	s.seqMu.Lock()
	delete(s.seqSeen, seqPK(authority, year)) // numbered outside CreateHousehold: what it last wrote is stale
	s.seqMu.Unlock()
	n, err := s.b.Increment(ctx, seqPK(authority, year), skSeq)
	if err != nil {
		return "", internal("next reference", err)
	}
	return domain.FormatReference(prefix, year, int(n))
}

// ---- children ----

// PutChildRecord implements store.Children.
func (s *Store) PutChildRecord(ctx context.Context, r store.ChildRecord) error {
	var p domain.Problems
	if r.ContactID == "" {
		p.Add("contactId", "is required")
	}
	if r.Authority == "" {
		p.Add("authority", "is required")
	}
	if r.IdentityKey == "" {
		p.Add("identityKey", "is required")
	}
	if r.ReceivedAt.IsZero() {
		p.Add("receivedAt", "is required")
	}
	if err := p.Err(); err != nil {
		return err
	}
	if err := s.b.Write(ctx, []Put{{Item: childItem(r, 1)}}); err != nil {
		return internal("put child", err)
	}
	return nil
}

// update reads (pk, sk), lets fn change the item (fn keeps Version as read) and writes it back under a
// version check. Missing → not_found; lost race → conflict.
func (s *Store) update(ctx context.Context, pk, sk, what string, fn func(it *Item) error) error {
	it, err := s.b.Get(ctx, pk, sk)
	if err != nil {
		return internal("get "+what, err)
	}
	if it == nil || !s.live(it) {
		return notFound(what)
	}
	v := it.Version
	if err := fn(it); err != nil {
		return err
	}
	it.Version = v + 1
	if err := s.b.Write(ctx, []Put{{Item: *it, Cond: CondVersion, Version: v}}); err != nil {
		if _, ok := condIndex(err); ok {
			return conflict("%s changed concurrently", what)
		}
		return internal("update "+what, err)
	}
	return nil
}

// updateWith is update whose fn also returns puts written in the same atomic write (an audit event). Kept
// apart from update (not sharing its body) so the functions that never call it link none of it.
func (s *Store) updateWith(ctx context.Context, pk, sk, what string, fn func(it *Item) ([]Put, error)) error {
	it, err := s.b.Get(ctx, pk, sk)
	if err != nil {
		return internal("get "+what, err)
	}
	return s.writeVersioned(ctx, it, what, fn)
}

// writeVersioned is updateWith's write of the item it (and updateTrayWith's) once loaded: fn changes it and returns
// the puts written with it; the item is written under the version it was read at, a concurrent change a conflict.
func (s *Store) writeVersioned(ctx context.Context, it *Item, what string, fn func(it *Item) ([]Put, error)) error {
	if it == nil || !s.live(it) {
		return notFound(what)
	}
	v := it.Version
	more, err := fn(it)
	if err != nil {
		return err
	}
	it.Version = v + 1
	if err := s.b.Write(ctx, append([]Put{{Item: *it, Cond: CondVersion, Version: v}}, more...)); err != nil {
		if _, ok := condIndex(err); ok {
			return conflict("%s changed concurrently", what)
		}
		return internal("update "+what, err)
	}
	return nil
}

// updateTray is update of tray item id where it is kept (getTray).
func (s *Store) updateTray(ctx context.Context, id, what string, fn func(it *Item) error) error {
	return s.updateTrayWith(ctx, id, what, func(it *Item) ([]Put, error) { return nil, fn(it) })
}

// updateTrayWith is updateWith of tray item id where it is kept (getTray).
func (s *Store) updateTrayWith(ctx context.Context, id, what string, fn func(it *Item) ([]Put, error)) error {
	it, err := s.getTray(ctx, id)
	if err != nil {
		return internal("get "+what, err)
	}
	return s.writeVersioned(ctx, it, what, fn)
}

// ---- trays ----

func trayItem(t store.TrayItem, version int64) Item { return trayItemOf(trayDoc{TrayItem: t}, version) }

// trayDoc is a tray item as stored: the item, and the completion its wait is owed when one is kept on it
// (docs/cost.md "A completion kept on its wait's tray item": no item of its own). Readers of tray items decode
// store.TrayItem and never see it; every write of a tray item keeps it.
type trayDoc struct {
	store.TrayItem
	Owed *owedDoc `json:"owed,omitempty"`
}

// owedDoc is a store.Completion kept on its wait's tray item, less what the item already says (its id,
// contact, authority, tray and, when the same, task token).
type owedDoc struct {
	Output    json.RawMessage `json:"output"`
	TaskToken string          `json:"taskToken,omitempty"` // only when it is not the item's
	Contract  int             `json:"contract,omitempty"`
	By        string          `json:"by"`
	CreatedAt time.Time       `json:"createdAt"`
	Attempts  int             `json:"attempts,omitempty"`
	LastError string          `json:"lastError,omitempty"`
	Streamed  bool            `json:"streamed,omitempty"`
	DoneAt    time.Time       `json:"doneAt,omitzero"`
	Result    string          `json:"result,omitempty"`
}

func trayItemOf(d trayDoc, version int64) Item {
	if len(d.Host) > 0 {
		// Kept on its check's record (checktray.go): the record as read, keeping the item as changed.
		var r store.CheckRequest
		if err := json.Unmarshal(d.Host, &r); err == nil {
			return checkItem(withTray(r, d), version)
		}
	}
	t := d.TrayItem
	t.Version, t.Host = 0, nil
	d.TrayItem = t
	d.Version = 0
	pk, sk := trayKey(t.ID) // an item of its own, or a wait item in its contact's partition (waits.go)
	it := Item{PK: pk, SK: sk, Version: version, Doc: marshal(d)}
	trayIndex(&it, d)
	return it
}

// trayIndex sets the index entries of tray item d on it, the item that holds it (its own, or its check's
// record).
func trayIndex(it *Item, d trayDoc) {
	t := d.TrayItem
	if t.CompletedAt.IsZero() {
		it.GSI2PK, it.GSI2SK = trayGSI(t.Tray), ts(t.DueAt)+"#"+t.ID
	} else {
		if t.Authority != "" && !keptBeside(it) {
			// a completed item kept apart is found by the retention job (DoneTrayItems), by authority and
			// completion time; one kept beside its contact (a wait item, a check's item on its record) is found
			// through its contact (KeptTrayItems), with no index entry (docs/cost.md "Completed waits and checks
			// found for retention through their contact")
			it.GSI1PK, it.GSI1SK = trayDoneGSI(t.Authority), ts(t.CompletedAt)+"#"+t.ID
		}
		if d.Owed != nil && d.Owed.DoneAt.IsZero() && (!d.Owed.Streamed || d.Owed.Attempts > 0) {
			// the completion still owed is found by the completer (PendingCompletions), oldest first; one the
			// table's stream tells only once a send of it has failed (SendByStream)
			it.GSI2PK, it.GSI2SK = completionPending, ts(d.Owed.CreatedAt)+"#"+t.ID
		}
	}
}

// decodeTray reads a stored tray item with the completion kept on it, if any (Version: the item's).
func decodeTray(it *Item) (trayDoc, error) {
	if isCheckItem(it) {
		r, err := decodeCheck(it)
		if err != nil {
			return trayDoc{}, err
		}
		d, ok, err := keptTray(r)
		if err == nil && !ok {
			err = internal("decode tray item", errors.New("check "+r.ID+" keeps no tray item"))
		}
		return d, err
	}
	d, err := decode[trayDoc](it)
	d.Version = it.Version
	return d, err
}

// owedOn is cp as kept on its wait's tray item t.
func owedOn(cp store.Completion, t store.TrayItem) *owedDoc {
	o := &owedDoc{Output: cp.Output, Contract: cp.Contract, By: cp.By, CreatedAt: cp.CreatedAt, Attempts: cp.Attempts,
		LastError: cp.LastError, Streamed: cp.Streamed, DoneAt: cp.DoneAt, Result: cp.Result}
	if cp.TaskToken != t.TaskToken {
		o.TaskToken = cp.TaskToken
	}
	return o
}

// completionOn is the completion kept on tray item d (its Wait: the item as stored, less the completion;
// Version: the item's).
func completionOn(d trayDoc) store.Completion {
	o := d.Owed
	w := d.TrayItem
	cp := store.Completion{ID: w.ID, ContactID: w.ContactID, Authority: w.Authority, Tray: w.Tray, TaskToken: w.TaskToken,
		Output: o.Output, Contract: o.Contract, By: o.By, CreatedAt: o.CreatedAt, Attempts: o.Attempts, LastError: o.LastError,
		Streamed: o.Streamed, DoneAt: o.DoneAt, Result: o.Result, Version: w.Version, Wait: &w}
	if o.TaskToken != "" {
		cp.TaskToken = o.TaskToken
	}
	return cp
}

// PutTrayItem implements store.Trays.
func (s *Store) PutTrayItem(ctx context.Context, t store.TrayItem) (store.TrayItem, error) {
	var p domain.Problems
	if t.Tray == "" {
		p.Add("tray", "is required")
	}
	if t.Authority == "" {
		p.Add("authority", "is required")
	}
	if t.DueAt.IsZero() {
		p.Add("dueAt", "is required")
	}
	if contact, _, _, ok := store.WaitItemOf(t.ID); ok && (t.ContactID == "" || t.ContactID != contact) {
		// a wait item is kept in its contact's partition (waits.go): it must name the contact its id names
		p.Add("contactId", "must be the contact the wait item's id names")
	}
	if err := p.Err(); err != nil {
		return t, err
	}
	if t.ID == "" {
		t.ID = domain.NewID("t")
	}
	if t.CreatedAt.IsZero() {
		t.CreatedAt = s.nowUTC()
	}
	return t, s.createOnce(ctx, trayItem(t, 1), conflict("tray item %s already exists", t.ID), "put tray item")
}

// GetTrayItem implements store.Trays.
func (s *Store) GetTrayItem(ctx context.Context, id string) (store.TrayItem, error) {
	it, err := s.getTray(ctx, id)
	if err != nil {
		return store.TrayItem{}, internal("get tray item", err)
	}
	if it == nil || !s.live(it) {
		return store.TrayItem{}, notFound("tray item")
	}
	d, err := decodeTray(it)
	t := d.TrayItem
	t.Version = it.Version
	t.Owed = d.Owed != nil && d.Owed.DoneAt.IsZero()
	return t, err
}

func getDoc[T any](ctx context.Context, s *Store, pk, sk, what string) (T, error) {
	var zero T
	it, err := s.b.Get(ctx, pk, sk)
	if err != nil {
		return zero, internal("get "+what, err)
	}
	if it == nil || !s.live(it) {
		return zero, notFound(what)
	}
	return decode[T](it)
}

// DueItems implements store.Trays.
func (s *Store) DueItems(ctx context.Context, tray string, before time.Time, limit int) ([]store.TrayItem, error) {
	return s.trayIndexDocs(ctx, GSI2, trayGSI(tray), ts(before), limit)
}

// changeTray is a change of tray item id where it is kept: fn changes the item's fields and returns the puts
// written with it (an audit event); the item is written back under the version it was read at.
func (s *Store) changeTray(ctx context.Context, id string, fn func(t *store.TrayItem) ([]Put, error)) (store.TrayItem, error) {
	var t store.TrayItem
	err := s.updateTrayWith(ctx, id, "tray item", func(it *Item) ([]Put, error) {
		d, err := decodeTray(it)
		if err != nil {
			return nil, err
		}
		t = d.TrayItem
		more, err := fn(&t)
		if err != nil {
			return nil, err
		}
		d.TrayItem = t
		*it = trayItemOf(d, it.Version)
		return more, nil
	})
	return t, err
}

// ClaimTrayItem implements store.Trays.
func (s *Store) ClaimTrayItem(ctx context.Context, id, by string) (store.TrayItem, error) {
	if by == "" {
		return store.TrayItem{}, invalid("by", "is required")
	}
	return s.changeTray(ctx, id, func(t *store.TrayItem) ([]Put, error) {
		if t.ClaimedBy != "" || !t.CompletedAt.IsZero() {
			return nil, conflict("tray item %s is already claimed or completed", id)
		}
		t.ClaimedBy, t.ClaimedAt = by, s.nowUTC()
		if t.ContactID == "" {
			return nil, nil
		}
		// Who picked up a contact's work is part of its chronology: audited in the claim's own write.
		put, _, err := s.auditPut(store.AuditEvent{Actor: by, Action: "tray.claimed",
			Detail: map[string]string{"item": t.ID, "tray": t.Tray}}, t.ContactID)
		return []Put{put}, err
	})
}

// CompleteTrayItem implements store.Trays.
func (s *Store) CompleteTrayItem(ctx context.Context, id, by string) (store.TrayItem, error) {
	if by == "" {
		return store.TrayItem{}, invalid("by", "is required")
	}
	return s.changeTray(ctx, id, func(t *store.TrayItem) ([]Put, error) {
		if !t.CompletedAt.IsZero() {
			return nil, conflict("tray item %s is already completed", id)
		}
		t.CompletedBy, t.CompletedAt = by, s.nowUTC()
		return nil, nil
	})
}

// CloseTrayItem implements store.Trays.
func (s *Store) CloseTrayItem(ctx context.Context, id, by string, ev store.AuditEvent) (store.TrayItem, error) {
	if by == "" {
		return store.TrayItem{}, invalid("by", "is required")
	}
	return s.changeTray(ctx, id, func(t *store.TrayItem) ([]Put, error) {
		if !t.CompletedAt.IsZero() {
			return nil, conflict("tray item %s is already completed", id)
		}
		if ev.ContactID == "" {
			ev.ContactID = t.ContactID
		}
		put, _, err := s.auditPut(ev, ev.ContactID)
		if err != nil {
			return nil, err
		}
		t.CompletedBy, t.CompletedAt = by, s.nowUTC()
		return []Put{put}, nil
	})
}

// UnclaimTrayItem implements store.Trays.
func (s *Store) UnclaimTrayItem(ctx context.Context, id string, ev store.AuditEvent) (store.TrayItem, error) {
	return s.changeTray(ctx, id, func(t *store.TrayItem) ([]Put, error) {
		if t.ClaimedBy == "" || !t.CompletedAt.IsZero() || t.ContactID == "" {
			return nil, conflict("tray item %s is not claimed, is completed, or has no contact to record it on", id)
		}
		put, _, err := s.auditPut(ev, t.ContactID)
		t.ClaimedBy, t.ClaimedAt = "", time.Time{}
		return []Put{put}, err
	})
}

// ---- checks ----

// PutCheckRequest implements store.Checks.
func (s *Store) PutCheckRequest(ctx context.Context, r store.CheckRequest) (store.CheckRequest, error) {
	var p domain.Problems
	if r.ContactID == "" {
		p.Add("contactId", "is required")
	}
	if !r.Agency.Valid() {
		p.Add("agency", "is not a known agency")
	}
	if err := p.Err(); err != nil {
		return r, err
	}
	if r.ID == "" {
		r.ID = domain.NewID("chk")
	}
	if r.RequestedAt.IsZero() {
		r.RequestedAt = s.nowUTC()
	}
	return r, s.createOnce(ctx, checkItem(r, 1), conflict("check %s already exists", r.ID), "put check")
}

// AnswerCheck implements store.Checks.
func (s *Store) AnswerCheck(ctx context.Context, contact domain.ContactID, checkID string, a store.CheckAnswer) (store.CheckRequest, error) {
	var r store.CheckRequest
	if a.By == "" {
		return r, invalid("answer.by", "is required")
	}
	if a.At.IsZero() {
		a.At = s.nowUTC()
	}
	if len(a.Restricted) > 0 {
		return s.answerWithRestricted(ctx, contact, checkID, a)
	}
	err := s.update(ctx, contactPK(contact), prefixCheck+checkID, "check", func(it *Item) error {
		var err error
		if r, err = decodeCheck(it); err != nil {
			return err
		}
		if r.Answer != nil {
			return conflict("check %s is already answered", checkID)
		}
		r.Answer = &a
		if r, err = s.closeKept(r, a.By); err != nil { // answered: it leaves the checks tray in the same write
			return err
		}
		*it = checkItem(r, it.Version)
		return nil
	})
	r.Version, r.Kept = 0, nil
	return r, err
}

// answerWithRestricted records a police check's answer, its restricted records, their audit event and the
// contact's notice in one atomic write (the check and the contact under version checks).
func (s *Store) answerWithRestricted(ctx context.Context, contact domain.ContactID, checkID string, a store.CheckAnswer) (store.CheckRequest, error) {
	var r store.CheckRequest
	it, err := s.b.Get(ctx, contactPK(contact), prefixCheck+checkID)
	if err != nil {
		return r, internal("get check", err)
	}
	if it == nil || !s.live(it) {
		return r, notFound("check")
	}
	if r, err = decodeCheck(it); err != nil {
		return r, err
	}
	if r.Answer != nil {
		return r, conflict("check %s is already answered", checkID)
	}
	c, cit, err := s.getContact(ctx, contact)
	if err != nil {
		return r, err
	}
	var puts []Put
	ids := make([]string, 0, len(a.Restricted))
	for _, rec := range a.Restricted {
		rp, rec, err := s.restrictedPut(contact, rec)
		if err != nil {
			return r, err
		}
		puts = append(puts, rp)
		ids = append(ids, rec.ID)
	}
	ap, _, err := s.auditPut(store.AuditEvent{Actor: a.By, Action: "restricted.written",
		Detail: map[string]string{"restricted": strings.Join(ids, ","), "check": checkID}}, contact)
	if err != nil {
		return r, err
	}
	a.RestrictedRecords, a.Restricted = len(ids), nil
	r.Answer = &a
	if r, err = s.closeKept(r, a.By); err != nil { // answered: it leaves the checks tray in the same write
		return r, err
	}
	n := len(ids)
	if c.Restricted != nil {
		n += c.Restricted.Records
	}
	c.Restricted = &domain.RestrictedNotice{Records: n, ReadableBy: domain.RoleRestrictedReader, Path: "/v1/contacts/" + string(contact) + "/restricted"}
	c.Version, c.UpdatedAt = cit.Version+1, s.nowUTC()
	puts = append(puts, ap,
		Put{Item: checkItem(r, it.Version+1), Cond: CondVersion, Version: it.Version},
		Put{Item: contactItem(c), Cond: CondVersion, Version: cit.Version})
	if err := s.b.Write(ctx, puts); err != nil {
		if _, ok := condIndex(err); ok {
			return r, conflict("check %s or its contact changed concurrently", checkID)
		}
		return r, internal("answer check", err)
	}
	r.Version, r.Kept = 0, nil
	return r, nil
}

// GetCheck implements store.Checks.
func (s *Store) GetCheck(ctx context.Context, contact domain.ContactID, checkID string) (store.CheckRequest, error) {
	it, err := s.b.Get(ctx, contactPK(contact), prefixCheck+checkID)
	if err != nil {
		return store.CheckRequest{}, internal("get check", err)
	}
	if it == nil || !s.live(it) {
		return store.CheckRequest{}, notFound("check")
	}
	return decodeCheck(it)
}

// ListChecks implements store.Checks.
func (s *Store) ListChecks(ctx context.Context, contact domain.ContactID) ([]store.CheckRequest, error) {
	items, err := s.b.Query(ctx, contactPK(contact), prefixCheck)
	if err != nil {
		return nil, internal("query", err)
	}
	out := make([]store.CheckRequest, 0, len(items))
	for i := range items {
		if !s.live(&items[i]) {
			continue
		}
		r, err := decodeCheck(&items[i])
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// ---- outbox ----

// pendingNotif says whether a message is on the pending list: unsent and not given up on, and — when the table's
// stream sends the outbox (SendByStream) — only once a send of it has failed.
func (s *Store) pendingNotif(n *store.Notification) bool {
	return n.SentAt.IsZero() && n.UndeliverableAt.IsZero() && (!s.byStream || n.Attempts > 0)
}

// notifItem is a message stored alone (notifsItem).
func (s *Store) notifItem(n store.Notification, version int64) Item {
	return s.notifsItem([]store.Notification{n}, version)
}

// notifsItem is the item of the messages one change queued (docs/cost.md "The messages of one change kept in one
// item"): one message is stored alone, as ever (an object keyed by its id); more are one item, a JSON array in the
// order given, keyed by the first (notifSK). The item is on the pending list (gsi2) while any of its
// messages is (pendingNotif), by the oldest of those. Every message of ns is of one contact.
func (s *Store) notifsItem(ns []store.Notification, version int64) Item {
	it := Item{PK: notifPK(ns[0].ContactID), SK: notifSK(ns[0].ContactID, ns[0].ID, len(ns) > 1), Version: version}
	var doc any = ns
	if len(ns) == 1 {
		doc = ns[0]
	}
	it.Doc = marshal(doc)
	oldest := -1
	for i := range ns {
		if s.pendingNotif(&ns[i]) && (oldest < 0 || ns[i].CreatedAt.Before(ns[oldest].CreatedAt)) {
			oldest = i
		}
	}
	if oldest >= 0 {
		it.GSI2PK, it.GSI2SK = outboxPending, ts(ns[oldest].CreatedAt)+"#"+ns[0].ID
	}
	return it
}

// notifSK is the sort key of a message item keyed by message id first: notif#<id> for a message stored alone;
// for several, the first's id without the contact's id it begins with (the partition key names the contact, and
// the 23 bytes are 23 fewer on every write of the item: docs/cost.md "The messages of one change kept in one
// item").
func notifSK(contact domain.ContactID, first string, batch bool) string {
	if batch && contact != "" {
		first = strings.TrimPrefix(first, string(contact)+"#")
	}
	return prefixNotif + first
}

// isNotifBatch reports whether a message item holds several messages (a JSON array: notifsItem).
func isNotifBatch(it *Item) bool {
	doc := bytes.TrimLeft(it.Doc, " \t\r\n")
	return len(doc) > 0 && doc[0] == '['
}

// notifsOf decodes a message item: the message stored alone, or the messages of one change in stored order, each
// with the item's Version and, for several, Batch (their ids).
func notifsOf(it *Item) ([]store.Notification, error) {
	one := !isNotifBatch(it)
	doc := it.Doc
	if one {
		doc = append(append([]byte{'['}, it.Doc...), ']')
	}
	ns, err := decode[[]store.Notification](&Item{SK: it.SK, Doc: doc})
	if err != nil {
		return nil, err
	}
	var ids []string
	for i := range ns {
		ids = append(ids, ns[i].ID)
	}
	for i := range ns {
		ns[i].Version = it.Version
		if !one {
			ns[i].Batch = ids
		}
	}
	return ns, nil
}

// outboxPut is the put of the messages a change queues, checked and defaulted (notification), written only if no
// item has its key (a retried step: docs/cost.md). Several are one item (notifsItem), in store.AsOneItem's order
// (by id: the same messages queued again have the same key whatever their order).
func (s *Store) outboxPut(ns []store.Notification) (Put, []store.Notification, error) {
	out := make([]store.Notification, 0, len(ns))
	for _, n := range ns {
		n, err := s.notification(n)
		if err != nil {
			return Put{}, nil, err
		}
		out = append(out, n)
	}
	out = store.AsOneItem(out)
	return Put{Item: s.notifsItem(out, 1), Cond: CondNotExists}, out, nil
}

// outboxAgain splits the messages of a change whose messages' put was refused (an item has their key: the same
// messages queued already by a retried step, or an item holding the first of them) into those the item does not
// hold (rest), which the change still queues, and the ids of those it holds (queued), which it leaves out with
// their notice.queued events.
func (s *Store) outboxAgain(ctx context.Context, outbox []store.Notification) (rest []store.Notification, queued []string, err error) {
	_, there, _, err := s.findNotif(ctx, outbox[0].ContactID, outbox[0].ID, outbox[0].ID, len(outbox) > 1)
	for _, n := range outbox {
		held := false
		for j := range there {
			held = held || there[j].ID == n.ID
		}
		if held {
			queued = append(queued, n.ID)
		} else {
			rest = append(rest, n)
		}
	}
	return rest, queued, err
}

// EnqueueNotification implements store.Outbox.
func (s *Store) EnqueueNotification(ctx context.Context, n store.Notification) (store.Notification, error) {
	n, err := s.notification(n)
	if err != nil {
		return n, err
	}
	if err := s.createOnce(ctx, s.notifItem(n, 1), &domain.Error{Code: domain.CodeDuplicate, Message: "notification already enqueued"}, "enqueue notification"); err != nil {
		return n, err
	}
	n.Version = 1
	return n, nil
}

// notification validates a notification about to be enqueued and fills its defaults (id, creation time).
func (s *Store) notification(n store.Notification) (store.Notification, error) {
	var p domain.Problems
	if n.Kind == "" {
		p.Add("kind", "is required")
	}
	if len(n.To) == 0 {
		p.Add("to", "needs at least one recipient")
	}
	if err := p.Err(); err != nil {
		return n, err
	}
	if n.ID == "" {
		n.ID = domain.NewID("n")
	}
	if n.CreatedAt.IsZero() {
		n.CreatedAt = s.nowUTC()
	}
	n.Version, n.Batch = 0, nil
	return n, nil
}

func notifKey(n *store.Notification) (time.Time, string) { return n.CreatedAt, n.ID }

// notifsOfItems expands message items into their messages (expired items left out).
func (s *Store) notifsOfItems(items []Item) ([]store.Notification, error) {
	var out []store.Notification
	for i := range items {
		if !s.live(&items[i]) {
			continue
		}
		ns, err := notifsOf(&items[i])
		if err != nil {
			return nil, err
		}
		out = append(out, ns...)
	}
	return out, nil
}

// ListNotifications implements store.Outbox: every message of the contact, each item expanded.
func (s *Store) ListNotifications(ctx context.Context, contact domain.ContactID) ([]store.Notification, error) {
	items, err := s.b.Query(ctx, notifPK(contact), prefixNotif)
	if err != nil {
		return nil, internal("query", err)
	}
	ns, err := s.notifsOfItems(items)
	if err != nil {
		return nil, err
	}
	if ns == nil {
		ns = []store.Notification{}
	}
	sortOldestFirst(ns, notifKey)
	return ns, nil
}

// PendingNotifications implements store.Outbox: the pending messages of the items on the pending list (an item
// holding several is there while any of them is: only those are given).
func (s *Store) PendingNotifications(ctx context.Context, limit int) ([]store.Notification, error) {
	items, err := s.b.QueryIndex(ctx, GSI2, outboxPending, "", limit)
	if err != nil {
		return nil, internal("query index", err)
	}
	all, err := s.notifsOfItems(items)
	if err != nil {
		return nil, err
	}
	out := make([]store.Notification, 0, len(all))
	for i := range all {
		if s.pendingNotif(&all[i]) {
			out = append(out, all[i])
		}
	}
	sortOldestFirst(out, notifKey)
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// itemKey is the id the item holding message n is keyed by: the first of its batch, or its own.
func itemKey(n *store.Notification) string {
	if len(n.Batch) > 1 {
		return n.Batch[0]
	}
	return n.ID
}

// findNotif reads the item holding message id of contact, keyed by key (its own id, or the first of its batch:
// notifSK); not there, for a contact's message (messages without one are stored alone), the contact's message
// items. i is the message's index among the item's messages.
func (s *Store) findNotif(ctx context.Context, contact domain.ContactID, id, key string, batch bool) (*Item, []store.Notification, int, error) {
	pk := notifPK(contact)
	it, err := s.b.Get(ctx, pk, notifSK(contact, key, batch))
	if err != nil {
		return nil, nil, 0, internal("get notification", err)
	}
	var items []Item
	if it != nil {
		items = []Item{*it}
	}
	for pass := 0; ; pass++ {
		for j := range items {
			if !s.live(&items[j]) {
				continue
			}
			ns, err := notifsOf(&items[j])
			if err != nil {
				return nil, nil, 0, err
			}
			for i := range ns {
				if ns[i].ID == id {
					return &items[j], ns, i, nil
				}
			}
		}
		if pass == 1 || contact == "" {
			return nil, nil, 0, notFound("notification")
		}
		if items, err = s.b.Query(ctx, pk, prefixNotif); err != nil {
			return nil, nil, 0, internal("query", err)
		}
	}
}

// applySend changes message n as outcome o says (MarkSent's, RecordSendFailure's change), at: the write's time.
func (s *Store) applySend(n *store.Notification, o *store.SendOutcome, at time.Time) error {
	if !n.SentAt.IsZero() {
		return conflict("notification %s was already sent", n.ID)
	}
	if o.Sent {
		n.SentAt, n.ProviderID = at, o.ProviderID
		return nil
	}
	if !n.UndeliverableAt.IsZero() {
		return conflict("notification %s is already undeliverable", n.ID)
	}
	n.Attempts++
	n.LastError = o.Reason
	if o.GiveUp {
		n.UndeliverableAt, n.UndeliverableReason = at, o.Reason
	}
	return nil
}

// recordOne records one outcome by the message's id (copy: the caller's copy, with its Version, or only its id and
// contact) and returns the message as written.
func (s *Store) recordOne(ctx context.Context, o store.SendOutcome) (store.Notification, error) {
	errs := make([]error, 1)
	ns, v := s.recordSends(ctx, []int{0}, []store.SendOutcome{o}, errs)
	for _, n := range ns {
		if n.ID == o.Notification.ID {
			n.Version = v
			return n, errs[0]
		}
	}
	return o.Notification, errs[0]
}

// MarkSent implements store.Outbox.
func (s *Store) MarkSent(ctx context.Context, contact domain.ContactID, id, providerID string) (store.Notification, error) {
	return s.recordOne(ctx, store.SendOutcome{Notification: store.Notification{ID: id, ContactID: contact}, Sent: true, ProviderID: providerID})
}

// MarkSentLoaded implements store.Outbox: MarkSent from the caller's copy, written under its version without a read
// when the copy is its item's only message; one stored with others (Batch) is marked in its item as read now (the
// caller's copy is not the whole item: RecordSends marks a batch from the copies of all its messages).
func (s *Store) MarkSentLoaded(ctx context.Context, n store.Notification, providerID string) (store.Notification, error) {
	if !n.SentAt.IsZero() {
		return n, conflict("notification %s was already sent", n.ID)
	}
	return s.recordOne(ctx, store.SendOutcome{Notification: n, Sent: true, ProviderID: providerID})
}

// RecordSendFailure implements store.Outbox.
func (s *Store) RecordSendFailure(ctx context.Context, contact domain.ContactID, id, reason string, giveUp bool) (store.Notification, error) {
	return s.recordOne(ctx, store.SendOutcome{Notification: store.Notification{ID: id, ContactID: contact}, Reason: reason, GiveUp: giveUp})
}

// RecordSends implements store.Outbox: the outcomes grouped by the item holding their messages, one write each.
func (s *Store) RecordSends(ctx context.Context, outcomes []store.SendOutcome) []error {
	errs := make([]error, len(outcomes))
	done := make([]bool, len(outcomes))
	for i := range outcomes {
		if done[i] {
			continue
		}
		n := &outcomes[i].Notification
		var idx []int
		for j := i; j < len(outcomes); j++ {
			m := &outcomes[j].Notification
			if !done[j] && m.ContactID == n.ContactID && itemKey(m) == itemKey(n) {
				idx, done[j] = append(idx, j), true
			}
		}
		s.recordSends(ctx, idx, outcomes, errs)
	}
	return errs
}

// recordSends writes the outcomes idx, of one item, in one write: from the caller's copies when they are each of
// the item's messages as read at one version (the stream's image, a flush of what a change queued), else from the
// item read now; a concurrent change of the item is read again (a few times). It returns the item's messages as
// written and its version.
func (s *Store) recordSends(ctx context.Context, idx []int, outcomes []store.SendOutcome, errs []error) ([]store.Notification, int64) {
	first := &outcomes[idx[0]].Notification
	ids := first.Batch
	if len(ids) < 2 {
		ids = []string{first.ID}
	}
	read := first.Version
	var ns []store.Notification
	if read > 0 && len(ids) == len(idx) { // the copies, when they are each message of the item in stored order
		ns = make([]store.Notification, len(ids))
		for k, i := range idx {
			if ns[k] = outcomes[i].Notification; ns[k].ID != ids[k] || ns[k].Version != read {
				ns = nil
				break
			}
		}
	}
	for attempt := 0; ; attempt++ {
		var err error
		if ns == nil {
			var it *Item
			if it, ns, _, err = s.findNotif(ctx, first.ContactID, first.ID, itemKey(first), len(first.Batch) > 1); err != nil {
				for _, i := range idx {
					errs[i] = err
				}
				return nil, 0
			}
			read = it.Version
		}
		// The messages this write marks sent have one time, the write's: they are recorded together (and the time
		// stored once more costs the item a few bytes, not a timestamp's worth).
		now := s.nowUTC()
		changed := false
		for _, i := range idx {
			errs[i] = notFound("notification")
			for j := range ns {
				if ns[j].ID == outcomes[i].Notification.ID {
					errs[i] = s.applySend(&ns[j], &outcomes[i], now)
				}
			}
			changed = changed || errs[i] == nil
		}
		if !changed {
			return ns, read
		}
		if err = s.b.Write(ctx, []Put{{Item: s.notifsItem(ns, read+1), Cond: CondVersion, Version: read}}); err == nil {
			return ns, read + 1
		}
		if _, cond := condIndex(err); !cond {
			err = internal("update notification", err)
		} else if attempt < 3 {
			ns = nil // changed since it was read: read it again
			continue
		} else {
			err = conflict("notification changed concurrently")
		}
		for _, i := range idx {
			errs[i] = err
		}
		return nil, 0
	}
}

// ---- completions ----

func completionItem(cp store.Completion, version int64) Item {
	it := Item{PK: contactPK(cp.ContactID), SK: prefixCompletion + cp.ID, Version: version, Doc: marshal(cp)}
	if cp.DoneAt.IsZero() && (!cp.Streamed || cp.Attempts > 0) {
		it.GSI2PK, it.GSI2SK = completionPending, ts(cp.CreatedAt)+"#"+cp.ID
	}
	return it
}

// completionPuts are the puts of a change's completions. Each is kept on its wait's tray item (docs/cost.md:
// one write of the item, which the change closes anyway, instead of an item of its own): the item is closed
// when open and the completion put on it, under the item's version (as the caller read it, Completion.Wait,
// or as read here). An item already holding a completion is skipped (a retried step recorded it). A completion
// whose wait has no tray item is an item of its own, as before; one already recorded is skipped with it.
// written is each completion as it will be (Version: its item's; 0 when skipped).
func (s *Store) completionPuts(ctx context.Context, c *domain.Contact, cps []store.Completion,
	fold func(store.Completion) (store.Completion, bool, error)) ([][]Put, []store.Completion, []bool, error) {
	var puts [][]Put
	written := make([]store.Completion, len(cps)) // as written, by index of cps
	folded := make([]bool, len(cps))              // put on a check record the change writes (fold)
	seen := map[string]bool{}
	for i, cp := range cps {
		if cp.ID == "" || cp.TaskToken == "" || cp.Tray == "" || cp.By == "" {
			return nil, nil, nil, invalid("completions", "a completion needs the id of its wait's tray item, its tray, its task token and who acted")
		}
		if cp.ContactID == "" {
			cp.ContactID = c.ID
		}
		if cp.ContactID != c.ID {
			return nil, nil, nil, invalid("completions.contactId", "must be the changed contact")
		}
		if cp.Authority == "" {
			cp.Authority = c.Authority
		}
		if cp.CreatedAt.IsZero() {
			cp.CreatedAt = s.nowUTC()
		}
		if len(cp.Output) == 0 {
			cp.Output = []byte("{}")
		}
		cp.DoneAt, cp.Result, cp.Attempts, cp.LastError = time.Time{}, "", 0, ""
		cp.Streamed = s.byStream
		wait := cp.Wait
		cp.Wait, cp.Version = nil, 0
		if seen[cp.ID] {
			written[i] = cp // the same completion twice: written once (Version 0 here)
			continue
		}
		seen[cp.ID] = true
		if w, ok, err := fold(cp); err != nil {
			return nil, nil, nil, err
		} else if ok {
			written[i], folded[i] = w, true
			continue
		}
		var d *trayDoc
		if wait != nil && wait.ID == cp.ID && wait.Version > 0 && wait.CompletedAt.IsZero() {
			// As the caller read it, open: it holds no completion (one is put on an item only with its close,
			// or on an item already closed), and it is written under the version read, not read again.
			d = &trayDoc{TrayItem: *wait}
		} else {
			it, err := s.getTray(ctx, cp.ID)
			if err != nil {
				return nil, nil, nil, internal("get tray item", err)
			}
			if it != nil {
				w, err := decodeTray(it)
				if err != nil {
					return nil, nil, nil, err
				}
				d = &w
			}
		}
		if d == nil {
			// No tray item to keep it on: an item of its own. Not read first: one already recorded fails its
			// condition and the change is written without it (changeFrom).
			cp.Version = 1
			written[i] = cp
			puts = append(puts, []Put{{Item: completionItem(cp, 1), Cond: CondNotExists}})
			continue
		}
		if d.Owed != nil {
			written[i] = cp // recorded on its wait's item already (a retried step): skipped
			continue
		}
		p, w := s.owedPut(*d, cp)
		written[i] = w
		puts = append(puts, []Put{p})
	}
	return puts, written, folded, nil
}

// owedPut is the put keeping cp on its wait's tray item d (as read: d.Version), closing the item when open;
// and cp as it will be (its Version and Wait: the item's).
func (s *Store) owedPut(d trayDoc, cp store.Completion) (Put, store.Completion) {
	read := d.Version
	if d.CompletedAt.IsZero() {
		d.CompletedBy, d.CompletedAt = cp.By, s.nowUTC()
	}
	cp.Wait, cp.Version = nil, 0
	d.Owed = owedOn(cp, d.TrayItem)
	d.Version = read + 1
	return Put{Item: trayItemOf(d, read+1), Cond: CondVersion, Version: read}, completionOn(d)
}

// completions decodes completion items and the tray items completions are kept on, each with its item's
// version (store.Completion.Version; Wait: the tray item it is kept on).
func (s *Store) completions(items []Item) ([]store.Completion, error) {
	out := make([]store.Completion, 0, len(items))
	for i := range items {
		if !s.live(&items[i]) {
			continue
		}
		if items[i].SK == skTrayItem || isWaitItem(&items[i]) || isCheckItem(&items[i]) {
			if isCheckItem(&items[i]) && !hostsTray(&items[i]) {
				continue
			}
			d, err := decodeTray(&items[i])
			if err != nil {
				return nil, err
			}
			if d.Owed != nil {
				out = append(out, completionOn(d))
			}
			continue
		}
		cp, err := decode[store.Completion](&items[i])
		if err != nil {
			return nil, err
		}
		cp.Version = items[i].Version
		out = append(out, cp)
	}
	return out, nil
}

// PendingCompletions implements store.Completions.
func (s *Store) PendingCompletions(ctx context.Context, limit int) ([]store.Completion, error) {
	items, err := s.b.QueryIndex(ctx, GSI2, completionPending, "", limit)
	if err != nil {
		return nil, internal("query index", err)
	}
	return s.completions(items)
}

// CompletionDone implements store.Completions.
func (s *Store) CompletionDone(ctx context.Context, contact domain.ContactID, id, result string) (store.Completion, error) {
	if result == "" {
		return store.Completion{}, invalid("result", "is required")
	}
	return s.changeCompletion(ctx, contact, id, func(cp *store.Completion) {
		cp.DoneAt, cp.Result = s.nowUTC(), result
	})
}

// CompletionDoneLoaded implements store.Completions: CompletionDone from the caller's copy, under its version.
func (s *Store) CompletionDoneLoaded(ctx context.Context, cp store.Completion, result string) (store.Completion, error) {
	if result == "" {
		return store.Completion{}, invalid("result", "is required")
	}
	if cp.Version < 1 || cp.ID == "" || cp.ContactID == "" {
		return s.CompletionDone(ctx, cp.ContactID, cp.ID, result)
	}
	if !cp.DoneAt.IsZero() {
		return cp, conflict("completion %s is already done", cp.ID)
	}
	if w := cp.Wait; w != nil && w.ID == cp.ID && w.Version == cp.Version {
		// Kept on its wait's tray item, as the store gave it (the item as stored: Wait): the item is written
		// whole with the completion ended, under its version.
		d := trayDoc{TrayItem: *w}
		done := cp
		done.DoneAt, done.Result = s.nowUTC(), result
		d.Owed = owedOn(done, d.TrayItem)
		if ok, err := s.writeLoaded(ctx, trayItemOf(d, cp.Version+1), cp.Version, "completion"); err != nil {
			return cp, err
		} else if !ok {
			return s.CompletionDone(ctx, cp.ContactID, cp.ID, result)
		}
		d.Version = cp.Version + 1
		return completionOn(d), nil
	}
	read := cp.Version
	cp.DoneAt, cp.Result, cp.Version = s.nowUTC(), result, 0
	if ok, err := s.writeLoaded(ctx, completionItem(cp, read+1), read, "completion"); err != nil {
		return cp, err
	} else if !ok { // changed (a failed attempt counted, another completer) or gone since the caller had it
		return s.CompletionDone(ctx, cp.ContactID, cp.ID, result)
	}
	cp.Version = read + 1
	return cp, nil
}

// CompletionFailed implements store.Completions.
func (s *Store) CompletionFailed(ctx context.Context, contact domain.ContactID, id, reason string) (store.Completion, error) {
	return s.changeCompletion(ctx, contact, id, func(cp *store.Completion) {
		cp.Attempts++
		cp.LastError = reason
	})
}

func (s *Store) changeCompletion(ctx context.Context, contact domain.ContactID, id string, fn func(*store.Completion)) (store.Completion, error) {
	var cp store.Completion
	// Kept on its wait's tray item (every completion since docs/cost.md's cut; one whose wait had no item, and
	// those written before, are items of their own).
	kept := false
	err := s.updateTray(ctx, id, "completion", func(it *Item) error {
		d, err := decodeTray(it)
		if err != nil {
			return err
		}
		if d.Owed == nil || d.ContactID != contact {
			return errNotKept
		}
		kept = true
		cp = completionOn(d)
		if !cp.DoneAt.IsZero() {
			return conflict("completion %s is already done", id)
		}
		fn(&cp)
		d.Owed = owedOn(cp, d.TrayItem)
		*it = trayItemOf(d, it.Version)
		return nil
	})
	if kept || (err != nil && !errors.Is(err, errNotKept) && domain.ErrorCode(err) != domain.CodeNotFound) {
		if err == nil {
			cp.Version++
			if cp.Wait != nil {
				cp.Wait.Version = cp.Version
			}
		}
		return cp, err
	}
	err = s.update(ctx, contactPK(contact), prefixCompletion+id, "completion", func(it *Item) error {
		var err error
		if cp, err = decode[store.Completion](it); err != nil {
			return err
		}
		if !cp.DoneAt.IsZero() {
			return conflict("completion %s is already done", id)
		}
		fn(&cp)
		*it = completionItem(cp, it.Version)
		return nil
	})
	return cp, err
}

// errNotKept: the tray item holds no completion of the contact; it is an item of its own.
var errNotKept = errors.New("no completion kept on the tray item")

// ---- links ----

// PutLink implements store.Links.
func (s *Store) PutLink(ctx context.Context, l store.Link) error {
	var p domain.Problems
	if l.Token == "" {
		p.Add("token", "is required")
	}
	if l.ExpiresAt.IsZero() {
		p.Add("expiresAt", "is required")
	}
	if err := p.Err(); err != nil {
		return err
	}
	l.UsedAt = time.Time{}
	it := Item{PK: linkPK(l.Token), SK: skLink, TTL: ttlOf(l.ExpiresAt), Version: 1, Doc: marshal(l)}
	if err := s.b.Write(ctx, []Put{{Item: it, Cond: CondNotExistsOrExpired, Now: s.now().Unix()}}); err != nil {
		if _, ok := condIndex(err); ok {
			return conflict("link already exists")
		}
		return internal("put link", err)
	}
	return nil
}

// ConsumeLink implements store.Links.
func (s *Store) ConsumeLink(ctx context.Context, token string) (store.Link, error) {
	var l store.Link
	if token == "" {
		return l, notFound("link")
	}
	if contact, checkID, ok := store.CheckLinkOf(token); ok {
		l, err := s.consumeCheckLink(ctx, token, contact, checkID)
		if domain.ErrorCode(err) != domain.CodeNotFound {
			return l, err
		}
		// Not a check's link: a link item of its own whose random token has the form by chance.
	}
	err := s.update(ctx, linkPK(token), skLink, "link", func(it *Item) error {
		var err error
		if l, err = decode[store.Link](it); err != nil {
			return err
		}
		if !l.UsedAt.IsZero() {
			return conflict("link was already used")
		}
		l.UsedAt = s.nowUTC()
		it.Doc = marshal(l)
		return nil
	})
	l.Token = token
	return l, err
}

// consumeCheckLink uses the answer link kept on check checkID of contact (store.CheckLinkToken): no link item
// of its own (docs/cost.md). The record's link must end with the whole token; a check changed meanwhile (an
// answer, a chase) is read again, a few times, so that the person opening the link is not told it was used.
func (s *Store) consumeCheckLink(ctx context.Context, token string, contact domain.ContactID, checkID string) (store.Link, error) {
	l := store.Link{Token: token, Purpose: store.PurposeCheckAnswer, ContactID: contact, Subject: checkID}
	var err error
	for range 3 {
		used := false
		l.UsedAt = time.Time{}
		err = s.update(ctx, contactPK(contact), prefixCheck+checkID, "link", func(it *Item) error {
			r, err := decodeCheck(it)
			if err != nil {
				return err
			}
			suffix := "/" + token
			if len(r.AnswerLink) < len(suffix) ||
				subtle.ConstantTimeCompare([]byte(r.AnswerLink[len(r.AnswerLink)-len(suffix):]), []byte(suffix)) != 1 ||
				!s.nowUTC().Before(r.AnswerLinkExpiresAt) {
				return notFound("link")
			}
			l.ExpiresAt = r.AnswerLinkExpiresAt
			if !r.AnswerLinkUsedAt.IsZero() {
				used, l.UsedAt = true, r.AnswerLinkUsedAt
				return conflict("link was already used")
			}
			r.AnswerLinkUsedAt = s.nowUTC()
			l.UsedAt = r.AnswerLinkUsedAt
			*it = checkItem(r, it.Version)
			return nil
		})
		if domain.ErrorCode(err) != domain.CodeConflict || used {
			break
		}
	}
	if domain.ErrorCode(err) == domain.CodeNotFound {
		err = notFound("link")
	}
	return l, err
}

// ---- restricted ----

// restrictedPut validates a restricted record, fills its id and time, and returns its put.
func (s *Store) restrictedPut(contact domain.ContactID, r store.RestrictedRecord) (Put, store.RestrictedRecord, error) {
	var p domain.Problems
	if contact == "" {
		p.Add("contactId", "is required")
	}
	if r.Text == "" {
		p.Add("text", "is required")
	}
	if r.RecordedBy == "" {
		p.Add("recordedBy", "is required")
	}
	if err := p.Err(); err != nil {
		return Put{}, r, err
	}
	if r.RecordedAt.IsZero() {
		r.RecordedAt = s.nowUTC()
	}
	if r.ID == "" {
		r.ID = timeID(r.RecordedAt)
	}
	return Put{Item: Item{PK: restrictedPK(contact), SK: prefixRestricted + r.ID, Version: 1, Doc: marshal(r)}, Cond: CondNotExists}, r, nil
}

// PutRestricted implements store.Restricted.
func (s *Store) PutRestricted(ctx context.Context, contact domain.ContactID, r store.RestrictedRecord) (store.RestrictedRecord, error) {
	rp, r, err := s.restrictedPut(contact, r)
	if err != nil {
		return r, err
	}
	ap, _, err := s.auditPut(store.AuditEvent{Actor: r.RecordedBy, Action: "restricted.written",
		Detail: map[string]string{"restrictedId": r.ID, "source": r.Source}}, contact)
	if err != nil {
		return r, err
	}
	if err := s.b.Write(ctx, []Put{rp, ap}); err != nil {
		if _, ok := condIndex(err); ok {
			return r, conflict("restricted record %s already exists", r.ID)
		}
		return r, internal("put restricted", err)
	}
	return r, nil
}

// GetRestricted implements store.Restricted.
func (s *Store) GetRestricted(ctx context.Context, contact domain.ContactID, reader string) ([]store.RestrictedRecord, error) {
	if reader == "" {
		return nil, invalid("reader", "is required")
	}
	if contact == "" {
		return nil, invalid("contactId", "is required")
	}
	// The read's audit record and the restricted.read event, both naming the reader, in one write before
	// anything is read: no audit, no data.
	if err := s.AppendAudits(ctx, []store.AuditEvent{
		{ContactID: contact, Actor: reader, Action: "contact.read", Detail: map[string]string{"what": "restricted"}},
		{ContactID: contact, Actor: reader, Action: "restricted.read"},
	}); err != nil {
		return nil, err
	}
	return queryDocs[store.RestrictedRecord](ctx, s, restrictedPK(contact), prefixRestricted)
}

// ---- quarantine ----

func quarantineItem(q store.QuarantineItem, version int64) Item {
	it := Item{PK: quarantinePK(q.ID), SK: skQuarantine, Version: version, Doc: marshal(q)}
	if q.ReleasedAt.IsZero() && q.DiscardedAt.IsZero() {
		it.GSI2PK, it.GSI2SK = quarantineGSI(q.Authority), ts(q.ReceivedAt)+"#"+q.ID
	}
	// every item, held, released or discarded, is found by the retention job (AllQuarantine)
	it.GSI1PK, it.GSI1SK = quarantinesGSI(q.Authority), ts(q.ReceivedAt)+"#"+q.ID
	return it
}

// Quarantine implements store.Quarantines.
func (s *Store) Quarantine(ctx context.Context, q store.QuarantineItem) (store.QuarantineItem, error) {
	var p domain.Problems
	if q.Authority == "" {
		p.Add("authority", "is required")
	}
	if q.Reason == "" {
		p.Add("reason", "is required")
	}
	if q.RawKey == "" {
		p.Add("rawKey", "is required")
	}
	if err := p.Err(); err != nil {
		return q, err
	}
	if q.ID == "" {
		q.ID = domain.NewID("q")
	}
	if q.ReceivedAt.IsZero() {
		q.ReceivedAt = s.nowUTC()
	}
	// The quarantine's own audit trail is keyed by the quarantine id (there is no contact), written in the
	// same atomic write as the item.
	ev, _, err := s.auditPut(store.AuditEvent{ContactID: domain.ContactID(q.ID), Actor: "intake", Action: "quarantined",
		Reason: q.Reason, Detail: map[string]string{"rawKey": q.RawKey, "authority": string(q.Authority)}}, "")
	if err != nil {
		return q, err
	}
	if err := s.b.Write(ctx, []Put{{Item: quarantineItem(q, 1), Cond: CondNotExists}, ev}); err != nil {
		if _, ok := condIndex(err); ok {
			return q, conflict("quarantine item %s already exists", q.ID)
		}
		return q, internal("quarantine", err)
	}
	return q, nil
}

// ListQuarantine implements store.Quarantines.
func (s *Store) ListQuarantine(ctx context.Context, authority domain.AuthorityID) ([]store.QuarantineItem, error) {
	return indexDocs[store.QuarantineItem](ctx, s, GSI2, quarantineGSI(authority), "", 0)
}

// GetQuarantine implements store.Quarantines.
func (s *Store) GetQuarantine(ctx context.Context, id string) (store.QuarantineItem, error) {
	return getDoc[store.QuarantineItem](ctx, s, quarantinePK(id), skQuarantine, "quarantine item")
}

// ReleaseQuarantine implements store.Quarantines.
func (s *Store) ReleaseQuarantine(ctx context.Context, id, by string) (store.QuarantineItem, error) {
	var q store.QuarantineItem
	if by == "" {
		return q, invalid("by", "is required")
	}
	err := s.update(ctx, quarantinePK(id), skQuarantine, "quarantine item", func(it *Item) error {
		var err error
		if q, err = decode[store.QuarantineItem](it); err != nil {
			return err
		}
		if !q.ReleasedAt.IsZero() || !q.DiscardedAt.IsZero() {
			return conflict("quarantine item %s is already released or discarded", id)
		}
		q.ReleasedAt, q.ReleasedBy = s.nowUTC(), by
		*it = quarantineItem(q, it.Version)
		return nil
	})
	return q, err
}

// DiscardQuarantine implements store.Quarantines.
func (s *Store) DiscardQuarantine(ctx context.Context, id, by, reason string) (store.QuarantineItem, error) {
	var q store.QuarantineItem
	if strings.TrimSpace(by) == "" || strings.TrimSpace(reason) == "" {
		return q, invalid("reason", "is required: who discards the message and why")
	}
	err := s.updateWith(ctx, quarantinePK(id), skQuarantine, "quarantine item", func(it *Item) ([]Put, error) {
		var err error
		if q, err = decode[store.QuarantineItem](it); err != nil {
			return nil, err
		}
		if !q.ReleasedAt.IsZero() || !q.DiscardedAt.IsZero() {
			return nil, conflict("quarantine item %s is already released or discarded", id)
		}
		q.DiscardedAt, q.DiscardedBy, q.DiscardedReason = s.nowUTC(), by, reason
		put, _, err := s.auditPut(store.AuditEvent{ContactID: domain.ContactID(q.ID), Actor: by, Action: "quarantine.discarded",
			Reason: reason, Detail: map[string]string{"rawKey": q.RawKey, "kept": "true"}}, "")
		*it = quarantineItem(q, it.Version)
		return []Put{put}, err
	})
	return q, err
}

// ---- school directories ----

// PutSchools implements store.Directories.
func (s *Store) PutSchools(ctx context.Context, authority domain.AuthorityID, schools []store.School, ev store.AuditEvent) error {
	var p domain.Problems
	if authority == "" {
		p.Add("authority", "is required")
	}
	for i, sc := range schools {
		if sc.Authority != authority {
			p.Add(fmt.Sprintf("schools[%d].authority", i), "must be %q", authority)
		}
		if sc.URN == "" {
			p.Add(fmt.Sprintf("schools[%d].urn", i), "is required")
		}
		if sc.Name == "" {
			p.Add(fmt.Sprintf("schools[%d].name", i), "is required")
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	if err := ev.Validate(); err != nil {
		return err
	}
	now := s.nowUTC()
	trail := store.DirectoryTrail(authority)
	for start := 0; start < len(schools) || start == 0; start += store.MaxSchoolsPerWrite {
		end := min(start+store.MaxSchoolsPerWrite, len(schools))
		chunk := ev
		chunk.ContactID, chunk.ID = trail, ""
		urns := make([]string, 0, end-start)
		for _, sc := range schools[start:end] {
			urns = append(urns, sc.URN)
		}
		// The event names every school the write changed, so the trail answers "who changed this school".
		chunk.Detail = map[string]string{"schools": fmt.Sprint(end - start), "chunk": fmt.Sprint(start/store.MaxSchoolsPerWrite + 1),
			"urns": strings.Join(urns, ",")}
		for k, v := range ev.Detail {
			chunk.Detail[k] = v
		}
		ap, _, err := s.auditPut(chunk, trail)
		if err != nil {
			return err
		}
		puts := []Put{ap}
		for _, sc := range schools[start:end] {
			sc.UpdatedAt, sc.UpdatedBy = now, ev.Actor
			puts = append(puts, Put{Item: Item{PK: schoolsPK(authority), SK: prefixSchool + sc.URN, Version: 1, Doc: marshal(sc)}})
		}
		if err := s.b.Write(ctx, puts); err != nil {
			return internal("put schools", err)
		}
		if end >= len(schools) {
			break
		}
	}
	if _, err := s.b.Increment(ctx, schoolsPK(authority), skDirVersion); err != nil {
		return internal("directory version", err)
	}
	return nil
}

// ListSchools implements store.Directories.
func (s *Store) ListSchools(ctx context.Context, authority domain.AuthorityID) ([]store.School, error) {
	return queryDocs[store.School](ctx, s, schoolsPK(authority), prefixSchool)
}

// GetSchool implements store.Directories.
func (s *Store) GetSchool(ctx context.Context, authority domain.AuthorityID, urn string) (store.School, error) {
	if urn == "" {
		return store.School{}, invalid("urn", "is required")
	}
	return getDoc[store.School](ctx, s, schoolsPK(authority), prefixSchool+urn, "school")
}

// DirectoryVersion implements store.Directories.
func (s *Store) DirectoryVersion(ctx context.Context, authority domain.AuthorityID) (int64, error) {
	it, err := s.b.Get(ctx, schoolsPK(authority), skDirVersion)
	if err != nil {
		return 0, internal("directory version", err)
	}
	if it == nil {
		return 0, nil
	}
	return it.Version, nil
}

// ---- retention ----

// ttlGrace is store.TTLGrace in seconds.
const ttlGrace = int64(store.TTLGrace / time.Second)

// DeleteContact implements store.Retention.
func (s *Store) DeleteContact(ctx context.Context, id domain.ContactID, tombstone store.AuditEvent, blobs func(keys []string) error) (int, error) {
	if id == "" {
		return 0, invalid("contactId", "is required")
	}
	c, _, err := s.getContact(ctx, id)
	if err != nil {
		return 0, err
	}
	if tombstone.ContactID == "" || tombstone.ContactID == id {
		return 0, invalid("tombstone.contactId", "must name the retention trail, not the contact being deleted")
	}
	if err := tombstone.Validate(); err != nil {
		return 0, err
	}
	items, err := s.b.Query(ctx, contactPK(id), "")
	if err != nil {
		return 0, internal("query contact", err)
	}
	restricted, err := s.b.Query(ctx, restrictedPK(id), prefixRestricted)
	if err != nil {
		return 0, internal("query restricted", err)
	}
	keys := mailBlobs(items)
	for i := range restricted {
		r, err := decode[store.RestrictedRecord](&restricted[i])
		if err != nil {
			return 0, err
		}
		for _, a := range r.Attachments {
			keys = append(keys, a.Key)
		}
	}
	if blobs != nil {
		if err := blobs(keys); err != nil {
			return 0, err
		}
	}
	// The tombstone is made after blobs ran: the job may note in its Detail what it kept.
	tp, _, err := s.auditPut(tombstone, "")
	if err != nil {
		return 0, err
	}
	// Everything but the contact first, in writes of MaxWriteItems; the contact and the tombstone last, in
	// one write: a failure part-way leaves the contact, so the next run finds it and finishes.
	var dels []Put
	for _, it := range append(restricted, items...) {
		if it.PK == contactPK(id) && it.SK == skContact {
			continue
		}
		dels = append(dels, Put{Item: Item{PK: it.PK, SK: it.SK}, Cond: CondDelete})
	}
	n := len(dels)
	for len(dels) > 0 {
		k := min(len(dels), MaxWriteItems)
		if err := s.b.Delete(ctx, dels[:k]); err != nil {
			return 0, internal("delete contact items", err)
		}
		dels = dels[k:]
	}
	if err := s.b.Delete(ctx, []Put{{Item: Item{PK: contactPK(c.ID), SK: skContact}, Cond: CondDelete}, tp}); err != nil {
		return 0, internal("delete contact", err)
	}
	return n + 1, nil
}

// mailBlobs are the blob keys a contact's audit trail records: the raw message (contact.created "rawKey")
// and the attachments kept from it ("attachments.kept": "NN" → key).
func mailBlobs(items []Item) []string {
	var keys []string
	for i := range items {
		if !strings.HasPrefix(items[i].SK, prefixAudit) {
			continue
		}
		evs, err := auditEvents(&items[i])
		if err != nil {
			continue
		}
		for _, ev := range evs {
			switch ev.Action {
			case "contact.created":
				if k := ev.Detail["rawKey"]; k != "" {
					keys = append(keys, k)
				}
			case "attachments.kept":
				for k, v := range ev.Detail {
					if len(k) == 2 && k[0] >= '0' && k[0] <= '9' && k[1] >= '0' && k[1] <= '9' {
						keys = append(keys, v)
					}
				}
			}
		}
	}
	sort.Strings(keys)
	return keys
}

// NotificationsOf reads the messages of a message item as stored (a stream record's image: the stream sender):
// the message stored alone, or the messages one change queued, each with its Version and Batch as the store's
// reads give them; ok is false when the item is not a message.
func NotificationsOf(it Item) (ns []store.Notification, ok bool, err error) {
	if !strings.HasPrefix(it.SK, prefixNotif) {
		return nil, false, nil
	}
	if ns, err = notifsOf(&it); err != nil {
		return nil, false, err
	}
	return ns, true, nil
}

// CompletionOf reads a completion from a stream record's images (the stream's completer): the completion a
// write put on a wait's tray item (old: the item before it, nil when new) or wrote as an item of its own, when
// it is new there and the stream tells it (Streamed, no failed send yet, not ended); ok false otherwise. It is
// given as PendingCompletions gives one: its Version the item's, Wait the tray item as stored.
func CompletionOf(it Item, old *Item) (cp store.Completion, ok bool, err error) {
	switch {
	case isTrayItemApart(&it), isCheckItem(&it) && hostsTray(&it):
		d, err := decodeTray(&it)
		if err != nil {
			return cp, false, err
		}
		if d.Owed == nil || !d.Owed.Streamed || d.Owed.Attempts > 0 || !d.Owed.DoneAt.IsZero() {
			return cp, false, nil
		}
		if old != nil && (!isCheckItem(old) || hostsTray(old)) {
			od, err := decodeTray(old)
			if err != nil {
				return cp, false, err
			}
			if od.Owed != nil {
				return cp, false, nil // it was there before this write: told when it was put
			}
		}
		return completionOn(d), true, nil
	case strings.HasPrefix(it.SK, prefixCompletion) && old == nil:
		if cp, err = decode[store.Completion](&it); err != nil {
			return cp, false, err
		}
		if !cp.Streamed || cp.Attempts > 0 || !cp.DoneAt.IsZero() {
			return cp, false, nil
		}
		cp.Version = it.Version
		return cp, true, nil
	}
	return cp, false, nil
}
