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
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/notify"
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
const KindAcknowledgement = domain.NoticeAcknowledgement

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
	// Redeliver hands a released quarantined message back to email intake (ReleaseQuarantine).
	Redeliver Redeliverer
	// Metrics, when set, counts quarantined messages (EmailQuarantined, per authority).
	Metrics interface {
		Put(ctx context.Context, name string, authority domain.AuthorityID, value float64) error
	}
	// Unit, when set, runs fn as one transaction of the store (the local runner: embedded.Executions.InTx;
	// nil on AWS, where Step Functions runs the workflow). A new contact's write and its workflow's start —
	// the local executor's drive to the first wait — then commit together, one commit instead of two (issue
	// #19); each start is a unit nested in that one, so a start that fails is rolled back alone and the
	// contact is still written (its workflow is started again after the acknowledgement, or by the runner's
	// re-drive). The acknowledgement is sent after that commit, as it always is.
	Unit func(ctx context.Context, fn func(ctx context.Context) error) error
}

// draft is a contact about to be created, with the keys that must point at it.
type draft struct {
	contact *domain.Contact
	keys    []store.IdempotencyKey
	event   store.AuditEvent
	more    []store.AuditEvent // written with the contact after event
	// restricted are restricted police records written in the contact's own write.
	restricted []store.RestrictedRecord
	policy     *policy.Policy // its authority's (create sets it)
}

// create writes the drafts (one atomic write for a household: contacts, every key, children index entries
// and first audit events), numbered by the store in that same write, then acknowledges and starts each. A
// used key makes it a duplicate: the existing contacts are finished (acknowledged, started) and reported as
// duplicates. preCheck has create look the keys up first, so that a redelivery costs a read rather than a
// failed write (the API, whose clients retry with one Idempotency-Key); without it the write decides.
// Concurrent deliveries of one message — in this process or another — race to the write, and the loser's
// write fails on the key: it takes no reference number (the sequence has no gaps) and reports the winner's
// contacts as duplicates.
func (s Service) create(ctx context.Context, ds []draft, preCheck bool) ([]Result, error) {
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
	for i := range ds {
		p, err := s.Policies(ds[i].contact.Authority)
		if err != nil {
			return nil, err
		}
		ds[i].policy = p
	}
	if preCheck {
		if rs, ok, err := s.existingRequest(ctx, allKeys(ds)); err != nil || ok {
			return rs, err
		}
	}
	started := map[domain.ContactID]bool{} // started in the write's own transaction (Unit)
	// What the write queues in each contact's outbox, as written: handed to the flush after the commit
	// (store.Queued), which then sends it without listing the outbox again.
	var queued map[domain.ContactID][]store.Notification
	var handOver *store.Queued
	if _, ok := s.Notifier.(workflow.OutboxNotifier); ok {
		queued = map[domain.ContactID][]store.Notification{}
		ctx, handOver = store.WithQueued(ctx)
	}
	for attempt := 0; ; attempt++ {
		clear(started)
		clear(queued)
		ncs, err := s.newContacts(ctx, ds, queued)
		if err != nil {
			return nil, err
		}
		err = s.write(ctx, ncs, started)
		var dup *store.DuplicateError
		if errors.As(err, &dup) {
			// A used key: the same delivery (a duplicate), a client key used with another request (a
			// conflict), or a Message-ID used before by other content (issue #13: a new contact, linked to the
			// first and noted; written again without claiming the Message-ID).
			rs, ok, err := s.existingRequest(ctx, allKeys(ds))
			var reused *messageIDReused
			if errors.As(err, &reused) && attempt == 0 {
				relink(ds, reused.ContactID)
				continue
			}
			if err != nil || ok {
				return rs, err
			}
			return s.finishExisting(ctx, dup.ContactID, StatusDuplicate)
		}
		if err != nil {
			return nil, err
		}
		break
	}
	out := make([]Result, 0, len(ds))
	for _, d := range ds {
		// d.contact is as written (the store set its Version and UpdatedAt): no need to read it back.
		if ns, ok := queued[d.contact.ID]; ok {
			handOver.Put(d.contact.ID, ns)
		}
		r, err := s.finish(ctx, d.contact, StatusCreated, handOver != nil, started[d.contact.ID])
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// write writes new contacts. With a Unit, each contact's workflow is started in the same transaction (a
// nested unit each, so a start that fails is rolled back alone), and started says which were.
func (s Service) write(ctx context.Context, ncs []store.NewContact, started map[domain.ContactID]bool) error {
	if s.Unit == nil {
		return s.Store.CreateHousehold(ctx, ncs)
	}
	return s.Unit(ctx, func(ctx context.Context) error {
		if err := s.Store.CreateHousehold(ctx, ncs); err != nil {
			return err
		}
		for _, nc := range ncs {
			c := nc.Contact
			err := s.Unit(ctx, func(ctx context.Context) error {
				return s.Starter.Start(ctx, workflow.Start{ContactID: c.ID, Authority: c.Authority})
			})
			if err != nil {
				s.Log.WarnContext(ctx, "workflow not started with the contact's write: started after the acknowledgement",
					"contactId", c.ID, "error", err.Error())
				continue
			}
			started[c.ID] = true
		}
		return nil
	})
}

// newContacts are the drafts as the store writes them: numbered in the same write, each with its
// acknowledgement and the notices its arrival causes (LADO, Channel, Operation Encompass addressed from the
// school directory, with the tray item of a school still to pick) queued in it when the notifier has an
// outbox. queued (when not nil) gets each contact's queued messages as the store writes them.
func (s Service) newContacts(ctx context.Context, ds []draft, queued map[domain.ContactID][]store.Notification) ([]store.NewContact, error) {
	ncs := make([]store.NewContact, len(ds))
	for i := range ds {
		c := ds[i].contact
		pol := ds[i].policy
		// The lifecycle's first transition: the clocks that run from arrival (LADO, Encompass, the written
		// form after an immediate-harm call) and the notices that go at once.
		rec, err := lifecycle.Receive(pol, c, ds[i].event.Actor)
		if err != nil {
			return nil, err
		}
		more := slices.Clone(ds[i].more)
		if len(rec.Started) > 0 || len(rec.Notices) > 0 {
			more = append(more, rec.Event)
		}
		ncs[i] = store.NewContact{Contact: c, Keys: ds[i].keys, Event: ds[i].event, MoreEvents: more, Restricted: ds[i].restricted,
			Number: &store.Numbering{Prefix: pol.ReferencePrefix, Year: c.ReceivedAt.In(londonOr(pol.Timezone)).Year()}}
		if ob, ok := s.Notifier.(workflow.OutboxNotifier); ok {
			ad, _ := s.Notifier.(workflow.Addresser)
			// Each notice is addressed (the Encompass notice from the school directory, with its tray item when
			// a worker must pick the school) and is an audit event saying what was shared with whom and why, in
			// the same write.
			for j, n := range rec.Notices {
				if ad != nil {
					x, items, err := ad.Address(ctx, n.Kind, pol, c, n.Extra)
					if err != nil {
						return nil, err
					}
					rec.Notices[j].Extra, n.Extra = x, x
					ncs[i].TrayItems = append(ncs[i].TrayItems, items...)
				}
				msg, err := ob.Compose(n.Kind, pol, c, n.Extra)
				if err != nil {
					return nil, err
				}
				detail := map[string]string{"kind": string(n.Kind), "notification": msg.ID, "transition": rec.Event.Action}
				maps.Copy(detail, notify.QueuedDetail(n.Kind, pol, c, n.Extra)) // Encompass: the school or the lead told
				ncs[i].MoreEvents = append(ncs[i].MoreEvents, store.AuditEvent{Actor: rec.Event.Actor, Action: "notice.queued",
					Reason: n.Why, SharedWith: msg.To, Detail: detail})
			}
			// The acknowledgement and the notices are queued in the same write (they need the reference the
			// write gives).
			notices := rec.Notices
			ncs[i].Outbox = func(c *domain.Contact) ([]store.Notification, error) {
				n, err := ob.Compose(KindAcknowledgement, pol, c, nil)
				if err != nil {
					return nil, err
				}
				out := []store.Notification{n}
				for _, x := range notices {
					m, err := ob.Compose(x.Kind, pol, c, x.Extra)
					if err != nil {
						return nil, err
					}
					out = append(out, m)
				}
				if queued != nil {
					// the store calls this once per attempt of its write: the last call is what it wrote
					if w := asWritten(c.ID, out); w != nil {
						queued[c.ID] = w
					} else {
						delete(queued, c.ID)
					}
				}
				return out, nil
			}
		}
	}
	return ncs, nil
}

// asWritten is ns as the store writes them in a new contact's write (version 1, the contact's id by
// default, several in one item: store.AsOneItem), in the order ListNotifications gives; nil when the store would
// fill in an id or a creation time of its own, or file a message under another contact (then the flush lists
// them).
func asWritten(contact domain.ContactID, ns []store.Notification) []store.Notification {
	out := make([]store.Notification, len(ns))
	for i, n := range ns {
		if n.ID == "" || n.CreatedAt.IsZero() || (n.ContactID != "" && n.ContactID != contact) {
			return nil
		}
		n.ContactID = contact
		n.Version = 1
		out[i] = n
	}
	out = store.AsOneItem(out)
	// sort, not slices: a generic stable sort of Notification is ≈ 8 KB in each binary (functions/size_test.go)
	sort.SliceStable(out, func(i, j int) bool {
		if c := out[i].CreatedAt.Compare(out[j].CreatedAt); c != 0 {
			return c < 0
		}
		return strings.Compare(out[i].ID, out[j].ID) < 0
	})
	return out
}

// messageIDReused: the message's Message-ID was first used by another message's contact.
type messageIDReused struct{ ContactID domain.ContactID }

func (e *messageIDReused) Error() string {
	return "message-id already used by contact " + string(e.ContactID) + " with other content"
}

// relink turns drafts whose Message-ID was used by other content into new contacts linked to that contact:
// the Message-ID marker is dropped from their keys and the link noted in their audit trail.
func relink(ds []draft, first domain.ContactID) {
	for i := range ds {
		ds[i].keys = slices.DeleteFunc(ds[i].keys, isMessageIDMarker)
		ds[i].contact.LinkedTo = append(ds[i].contact.LinkedTo, first)
		ds[i].more = append(ds[i].more, store.AuditEvent{Actor: "intake-email", Action: "contact.message-id-reused",
			Reason: "the same Message-ID as an earlier message with other content: a new contact, linked to the first",
			Detail: map[string]string{"firstContact": string(first)}})
	}
}

// existingRequest looks a request's keys up: a used key is the first result again (a duplicate), except the
// markers: a client key used with another request is errKeyReused, a Message-ID used by other content is a
// *messageIDReused, a sender and children already written about is a *ResendOf.
func (s Service) existingRequest(ctx context.Context, keys []store.IdempotencyKey) ([]Result, bool, error) {
	var markers []store.IdempotencyKey
	var others []store.IdempotencyKey
	for _, k := range keys {
		if isBareClientKey(k) || isMessageIDMarker(k) || isResendMarker(k) {
			markers = append(markers, k)
		} else {
			others = append(others, k)
		}
	}
	if rs, ok, err := s.existing(ctx, others); err != nil || ok {
		return rs, ok, err
	}
	// A re-send first (the same sender about the same children: its content is an update of that contact), then
	// the other markers.
	sort.SliceStable(markers, func(i, j int) bool { return isResendMarker(markers[i]) && !isResendMarker(markers[j]) })
	for _, k := range markers {
		id, ok, err := s.Store.LookupKey(ctx, k)
		switch {
		case err != nil:
			return nil, false, err
		case !ok:
		case isResendMarker(k):
			return nil, false, &ResendOf{ContactID: id}
		case isMessageIDMarker(k):
			return nil, false, &messageIDReused{ContactID: id}
		default:
			return nil, false, errKeyReused
		}
	}
	return nil, false, nil
}

func allKeys(ds []draft) []store.IdempotencyKey {
	var ks []store.IdempotencyKey
	for _, d := range ds {
		ks = append(ks, d.keys...)
	}
	return ks
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
		r, err := s.finish(ctx, c, status, false, false)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// finish acknowledges a contact and starts its workflow. Each part is idempotent, so a redelivery completes
// whatever an earlier attempt left undone. queued says the acknowledgement was written with the contact (the
// transactional outbox): it only needs sending. started says the workflow was started in the contact's own
// write (Unit).
func (s Service) finish(ctx context.Context, c *domain.Contact, status string, queued, started bool) (Result, error) {
	p, err := s.Policies(c.Authority)
	if err != nil {
		return Result{}, err
	}
	if ob, ok := s.Notifier.(workflow.OutboxNotifier); ok && queued {
		err = ob.Flush(ctx, c.ID)
	} else {
		err = s.Notifier.Notify(ctx, KindAcknowledgement, p, c, nil)
	}
	if err != nil {
		return Result{}, err
	}
	if !started {
		if err := s.Starter.Start(ctx, workflow.Start{ContactID: c.ID, Authority: c.Authority}); err != nil {
			return Result{}, &workflow.TransientError{Err: err}
		}
	}
	s.Log.InfoContext(ctx, "contact intake", "contactId", c.ID, "authority", c.Authority, "status", status, "channel", c.Channel)
	return Result{Status: status, ContactID: c.ID, Reference: c.Reference, Authority: c.Authority}, nil
}

// locations caches time.LoadLocation, which reads the zone database on every call.
var locations sync.Map // string → *time.Location

func londonOr(tz string) *time.Location {
	if loc, ok := locations.Load(tz); ok {
		return loc.(*time.Location)
	}
	loc, err := clock.LoadLocation(tz)
	if err != nil {
		return time.UTC
	}
	locations.Store(tz, loc)
	return loc
}
