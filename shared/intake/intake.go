// Package intake turns whatever arrives — an email to the MASH inbox, a professional's referral form, a
// police PPN, a phone call recorded by a contact officer — into contacts, exactly once, and tells the
// referrer it arrived. One contact per child; a household's children are linked.
//
// Order of work, so that nothing is ever lost: the contact — already numbered, with its idempotency keys
// and first audit event — is written in one atomic write first; only then is the acknowledgement queued and
// the workflow started. A failure after the write is retried by the caller (Lambda's async retry, the API
// client with the same Idempotency-Key): the redelivery finds the contact and finishes what was left —
// starting an execution whose name is the contact id is itself idempotent. Deliveries of one message are
// serialised in-process from key lookup to write, so concurrent redeliveries take no reference number they
// would throw away (references have no gaps).
package intake

import (
	"context"
	"errors"
	"hash/fnv"
	"slices"
	"sync"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/workflow"
)

// Starter starts the contact state machine. The execution name is the contact id, so starting twice is a
// no-op (AWS: ExecutionAlreadyExists, which adapters treat as success).
type Starter interface {
	Start(ctx context.Context, in workflow.Start) error
}

// Blobs keeps bytes that must not go into the table: raw messages, attachments, quarantined mail (S3 with
// KMS in production, a folder locally).
type Blobs interface {
	Put(ctx context.Context, key string, data []byte, contentType string) error
	Get(ctx context.Context, key string) ([]byte, error)
}

// Statuses of an intake result (the `mash ingest` contract).
const (
	StatusCreated     = "created"
	StatusDuplicate   = "duplicate"
	StatusLinked      = "linked"
	StatusQuarantined = "quarantined"
)

// KindAcknowledgement is the referrer's acknowledgement with the reference number (Barnet seed "How do I
// refer?": "You will then receive an acknowledgement email from the MASH with a reference number").
const KindAcknowledgement = "acknowledgement"

// ResendWindow is how far back a re-sent referral (same sender, same children, new Message-ID) is linked to
// the first instead of becoming a second contact.
const ResendWindow = 7 * 24 * time.Hour

// Result is what happened to one child's contact (or to a quarantined message).
type Result struct {
	File      string           `json:"file,omitempty"`
	Status    string           `json:"status"`
	ContactID domain.ContactID `json:"contactId,omitempty"`
	Reference domain.Reference `json:"reference,omitempty"`
	Reason    string           `json:"reason,omitempty"`
	// QuarantineID names the quarantine record of a quarantined message (for ReleaseQuarantine).
	QuarantineID string             `json:"quarantineId,omitempty"`
	Authority    domain.AuthorityID `json:"-"`
}

// Service creates contacts.
type Service struct {
	workflow.Env
	Blobs   Blobs
	Starter Starter
	// Metrics, when set, counts quarantined messages (EmailQuarantined, per authority).
	Metrics interface {
		Put(ctx context.Context, name string, authority domain.AuthorityID, value float64) error
	}
}

// draft is a contact about to be created, with the keys that must point at it.
type draft struct {
	contact *domain.Contact
	keys    []store.IdempotencyKey
	event   store.AuditEvent
}

// create numbers the drafts and writes them (one atomic write for a household: contacts, every key,
// children index entries and first audit events), then acknowledges and starts each. A used key makes it a
// duplicate: the existing contacts are finished (acknowledged, started) and reported as duplicates.
//
// The reference is taken just before the write, so the contact is written whole and numbered in one write
// (not a second versioned update of every new contact). So that no number is taken for a message that turns
// out to be a duplicate, the keys are looked up under keyLocks (deliveries of one message in this process
// wait for each other) right before numbering. A non-nil release says the caller holds the locks of the
// keys and has looked them up; create calls it once the write is done. Only a concurrent delivery of the
// same message in another process, or a failed write, can still void a number; it is logged with the
// number ("reference not used").
func (s Service) create(ctx context.Context, ds []draft, release func()) ([]Result, error) {
	if len(ds) > store.MaxHousehold {
		return nil, domain.Errorf(domain.CodeInvalid, "at most %d children in one contact", store.MaxHousehold)
	}
	if len(ds) > 1 {
		hh := domain.NewHouseholdID()
		for i, d := range ds {
			d.contact.HouseholdID = hh
			for j, o := range ds {
				if i != j {
					d.contact.LinkedTo = append(d.contact.LinkedTo, o.contact.ID)
				}
			}
		}
	}
	for _, d := range ds {
		if err := d.contact.Validate(); err != nil {
			return nil, err
		}
	}
	if release == nil {
		release = once(lockKeys(allKeys(ds)))
		defer release()
		if rs, ok, err := s.existing(ctx, allKeys(ds)); err != nil || ok {
			return rs, err
		}
	}
	ncs := make([]store.NewContact, len(ds))
	var pol *policy.Policy
	for i := range ds {
		c := ds[i].contact
		if pol == nil || pol.Authority != c.Authority {
			p, err := s.Policies(c.Authority)
			if err != nil {
				return nil, err
			}
			pol = p
		}
		ref, err := s.Store.NextReference(ctx, c.Authority, pol.ReferencePrefix, c.ReceivedAt.In(londonOr(pol.Timezone)).Year())
		if err != nil {
			return nil, err
		}
		c.Reference = ref
		ev := ds[i].event
		detail := make(map[string]string, len(ev.Detail)+1)
		for k, v := range ev.Detail {
			detail[k] = v
		}
		detail["reference"] = string(ref)
		ev.Detail = detail
		ncs[i] = store.NewContact{Contact: c, Keys: ds[i].keys, Event: ev}
	}
	// One atomic write for the contacts and ALL their keys (a single child too): a key put after the write
	// would let a concurrent delivery that knows the message by another key create a second contact.
	err := s.Store.CreateHousehold(ctx, ncs)
	release() // the keys are written (or the write failed): later deliveries find them
	if err != nil {
		for _, nc := range ncs {
			s.Log.WarnContext(ctx, "reference not used", "contactId", nc.Contact.ID, "reference", nc.Contact.Reference)
		}
	}
	var dup *store.DuplicateError
	if errors.As(err, &dup) {
		return s.finishExisting(ctx, dup.ContactID, StatusDuplicate)
	}
	if err != nil {
		return nil, err
	}
	out := make([]Result, 0, len(ds))
	for _, d := range ds {
		// d.contact is as written (the store set its Version and UpdatedAt): no need to read it back.
		r, err := s.finish(ctx, d.contact, StatusCreated, true)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// once makes f safe to call more than once (only the first call runs it).
func once(f func()) func() {
	done := false
	return func() {
		if !done {
			done = true
			f()
		}
	}
}

func allKeys(ds []draft) []store.IdempotencyKey {
	var ks []store.IdempotencyKey
	for _, d := range ds {
		ks = append(ks, d.keys...)
	}
	return ks
}

// keyLocks serialise, within this process, the deliveries of one message (by any of its idempotency keys)
// from key lookup to write. Striped: a fixed number of mutexes, so nothing grows with the keys seen.
var keyLocks [64]sync.Mutex

// lockKeys locks the stripes of the keys (in stripe order, so two callers never deadlock) and returns the
// unlock; with no key (nothing to deduplicate) it locks nothing.
func lockKeys(keys []store.IdempotencyKey) func() {
	var idx []int
	for _, k := range keys {
		h := fnv.New32a()
		h.Write([]byte(string(k.Kind) + "\x00" + string(k.Authority) + "\x00" + k.Value))
		idx = append(idx, int(h.Sum32()%uint32(len(keyLocks))))
	}
	slices.Sort(idx)
	idx = slices.Compact(idx)
	for _, i := range idx {
		keyLocks[i].Lock()
	}
	return func() {
		for j := len(idx) - 1; j >= 0; j-- {
			keyLocks[idx[j]].Unlock()
		}
	}
}

// finishExisting reports a contact found by a used key, with its household, and finishes each.
func (s Service) finishExisting(ctx context.Context, id domain.ContactID, status string) ([]Result, error) {
	c, err := s.Store.GetContact(ctx, id)
	if err != nil {
		return nil, err
	}
	cs := []*domain.Contact{c}
	if c.HouseholdID != "" {
		for _, l := range c.LinkedTo {
			lc, err := s.Store.GetContact(ctx, l)
			if err != nil {
				return nil, err
			}
			cs = append(cs, lc)
		}
	}
	out := make([]Result, 0, len(cs))
	for _, c := range cs {
		r, err := s.finish(ctx, c, status, false)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// numberingGrace: create numbers a contact in its first write, so a contact without a reference was written
// by an earlier version of intake that numbered after the write, and may be being numbered right now. A
// redelivery numbers it only when it has been unnumbered this long (Lambda's async retry comes a minute or
// more later), so concurrent deliveries do not take a number and throw it away.
const numberingGrace = 30 * time.Second

// finish queues a contact's acknowledgement and starts its workflow (numbering it first if it has no
// reference: see numberingGrace). Each part is idempotent, so a redelivery completes whatever an earlier
// attempt left undone. wrote says this call's write created the contact.
func (s Service) finish(ctx context.Context, c *domain.Contact, status string, wrote bool) (Result, error) {
	id := c.ID
	p, err := s.Policies(c.Authority)
	if err != nil {
		return Result{}, err
	}
	if c.Reference == "" && !wrote && s.Now().Sub(c.UpdatedAt) < numberingGrace {
		// The delivery that wrote it is finishing it now: numbering here too would void a number, and
		// acknowledging would send no reference.
		s.Log.InfoContext(ctx, "contact intake", "contactId", c.ID, "authority", c.Authority, "status", status, "channel", c.Channel)
		return Result{Status: status, ContactID: c.ID, Authority: c.Authority}, nil
	}
	if c.Reference == "" {
		year := c.ReceivedAt.In(londonOr(p.Timezone)).Year()
		ref, err := s.Store.NextReference(ctx, c.Authority, p.ReferencePrefix, year)
		if err != nil {
			return Result{}, err
		}
		c, err = s.Update(ctx, id, func(c *domain.Contact) (store.AuditEvent, error) {
			if c.Reference != "" {
				return store.AuditEvent{}, errAlreadyNumbered
			}
			c.Reference = ref
			return store.AuditEvent{Actor: "intake", Action: "reference.assigned", Detail: map[string]string{"reference": string(ref)}}, nil
		})
		if errors.Is(err, errAlreadyNumbered) {
			// A concurrent delivery numbered it first; the number we took is recorded as void so the
			// sequence stays accounted for.
			s.Log.WarnContext(ctx, "reference not used", "contactId", id, "reference", ref)
			c, err = s.Store.GetContact(ctx, id)
		}
		if err != nil {
			return Result{}, err
		}
	}
	if err := s.Notifier.Notify(ctx, KindAcknowledgement, p, c, nil); err != nil {
		return Result{}, err
	}
	if err := s.Starter.Start(ctx, workflow.Start{ContactID: c.ID, Authority: c.Authority}); err != nil {
		return Result{}, &workflow.TransientError{Err: err}
	}
	s.Log.InfoContext(ctx, "contact intake", "contactId", c.ID, "authority", c.Authority, "status", status, "channel", c.Channel)
	return Result{Status: status, ContactID: c.ID, Reference: c.Reference, Authority: c.Authority}, nil
}

var errAlreadyNumbered = errors.New("already numbered")

// locations caches time.LoadLocation, which reads the zone database on every call.
var locations sync.Map // string → *time.Location

func londonOr(tz string) *time.Location {
	if loc, ok := locations.Load(tz); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return time.UTC
	}
	locations.Store(tz, loc)
	return loc
}
