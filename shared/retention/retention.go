// Package retention deletes what the policy's retention periods say has expired (issue #16): a contact that
// led to no further action some years after it closed, a contact that became a referral at the child's 25th
// birthday (each policy's retention: values, assumed until the council's retention schedule replaces them),
// with everything that belongs to it — its audit trail, checks, messages, children-index entry, restricted
// records, and the raw email and attachments it came with. What was deleted is recorded on the authority's
// retention trail (store.RetentionTrail) by reference, kind, rule and time, never the content. The same job
// expires records that are not contacts (records.go): completed tray items, quarantined mail, consultations
// and old events of the authority's own trails, each by its own policy rule.
//
// # Design notes
//
//   - Two mechanisms, one source of truth. Until computes a contact's end of retention from the policy and
//     the contact. The scheduled job (Job.Run: the retention function daily on AWS, `mash retention run`
//     and the local runner) records it on each ended contact (RetainUntil, audited retention.scheduled; the
//     store makes it the item's TTL, RetainUntil + store.TTLGrace, while the contact stays ended) and
//     deletes a contact the day it expires, with its other items and blobs, which TTL alone cannot do, and
//     writes the tombstone. TTL removes the contact's item should the job stop for TTLGrace. Computing it in
//     the job rather than in every transition keeps it out of every function (intake-email is within a few
//     hundred bytes of a 64 KB page over its 10 MB budget) and re-derives it after a reopening.
//   - Only the retention job deletes (store.Retention; in AWS only its role holds dynamodb:DeleteItem and
//     s3:DeleteObject: infra/permissions.yaml).
//   - A contact still open (received … awaiting decision, returned for consent) is never expired: retention
//     counts from an outcome.
//   - "No further action" is NFA, advice and signposting, a community referral and an answered request for
//     information, and a contact closed without a decision. Every other outcome (early help, assessment, S47,
//     LADO, Channel, forwarded to an open case …) is kept as a referral: keeping too long can be corrected,
//     deleting too early cannot.
//   - A household's children share one email: its raw message and attachments are deleted with the last of
//     the household's contacts; a tombstone of an earlier one lists the blob keys it left (keys, not content).
package retention

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
)

// Rule names (the policy's fields).
const (
	RuleNoFurtherAction = "retention.noFurtherAction"
	RuleReferrals       = "retention.referrals"
	RuleAudit           = "retention.audit"
	RuleTrayItems       = "retention.trayItems"
	RuleQuarantine      = "retention.quarantine"
	RuleConsultations   = "retention.consultations"
)

// Actor is who the tombstones name.
const Actor = "retention"

// Audit actions: the tombstone on the retention trail, and the end of retention recorded on a contact.
const (
	ActionDeleted   = "retention.deleted"
	ActionScheduled = "retention.scheduled"
	// ActionTrayItemsExpired is recorded on an ended contact once the job has deleted the completed tray items
	// kept beside it and found none left (domain.Contact.TrayItemsExpired).
	ActionTrayItemsExpired = "retention.trayItemsExpired"
)

// noFurtherAction are the outcomes kept by retention.noFurtherAction.
var noFurtherAction = []domain.OutcomeCode{domain.OutcomeNFA, domain.OutcomeAdviceSignposting,
	domain.OutcomeCommunityReferral, domain.OutcomeInformationRequest}

// ended are the statuses a contact's retention counts from.
var ended = []domain.Status{domain.StatusDecided, domain.StatusForwarded, domain.StatusClosed}

// Rule says which retention period applies to a contact, or "" while it is open.
func Rule(c *domain.Contact) string {
	if !slices.Contains(ended, c.Status) {
		return ""
	}
	if c.Outcome == nil || slices.Contains(noFurtherAction, c.Outcome.Code) {
		return RuleNoFurtherAction
	}
	return RuleReferrals
}

// Until is when a contact's retention ends under the policy, closed at closedAt (its outcome's time, or
// when it was closed); zero while the contact is open. A period counted from birth with no date of birth
// known counts from closure.
func Until(p *policy.Policy, c *domain.Contact, closedAt time.Time) time.Time {
	rule := Rule(c)
	if rule == "" {
		return time.Time{}
	}
	per := p.Retention.NoFurtherAction
	if rule == RuleReferrals {
		per = p.Retention.Referrals
	}
	from := closedAt
	switch per.From {
	case "receipt":
		from = c.ReceivedAt
	case "birth":
		if !c.Child.DateOfBirth.IsZero() {
			d := c.Child.DateOfBirth
			from = time.Date(d.Y, time.Month(d.M), d.D, 0, 0, 0, 0, time.UTC)
		}
	}
	if from.IsZero() {
		return time.Time{}
	}
	return from.UTC().AddDate(per.Years, 0, per.Days)
}

// Blobs deletes blobs (S3 objects in production, files locally). A missing blob is no error.
type Blobs interface {
	Delete(ctx context.Context, key string) error
}

// Store is what the job reads and deletes through (both store adapters).
type Store interface {
	store.Contacts
	store.Audit
	store.Retention
	ListConsultations(ctx context.Context, authority domain.AuthorityID) ([]*domain.Consultation, error)
}

// Job is one authority's retention run.
type Job struct {
	Store  Store
	Blobs  Blobs // nil: no blobs to delete
	Policy *policy.Policy
	Now    func() time.Time
}

// Deleted is one contact the run deleted (or, in a dry run, would delete): ids, codes and times only.
type Deleted struct {
	ContactID   domain.ContactID `json:"contactId"`
	Reference   domain.Reference `json:"reference,omitempty"`
	Rule        string           `json:"rule"`
	Period      string           `json:"period"`
	RetainUntil time.Time        `json:"retainUntil"`
	Items       int              `json:"items,omitempty"`
	Blobs       int              `json:"blobs,omitempty"`
	BlobsKept   int              `json:"blobsKept,omitempty"`
}

// Report is what a run did.
type Report struct {
	Authority domain.AuthorityID `json:"authority"`
	At        time.Time          `json:"at"`
	DryRun    bool               `json:"dryRun"`
	// Checked counts the ended contacts looked at; Open those never expired (still open).
	Checked int       `json:"checked"`
	Kept    int       `json:"kept"`
	Deleted []Deleted `json:"deleted"`
	// Records are the records that are not contacts the run deleted (or, in a dry run, would delete).
	Records []Expired `json:"records"`
}

// Run deletes every contact of the authority whose retention ended at or before now, with its items and
// blobs, and writes a tombstone for each. A dry run deletes and writes nothing and reports what a run would
// delete. One contact that fails does not stop the rest; the error joins the failures.
func (j Job) Run(ctx context.Context, dryRun bool) (Report, error) {
	now := j.Now().UTC()
	a := j.Policy.Authority
	rep := Report{Authority: a, At: now, DryRun: dryRun, Deleted: []Deleted{}, Records: []Expired{}}
	var cs []*domain.Contact
	for _, s := range ended {
		l, err := j.Store.ListContacts(ctx, a, s)
		if err != nil {
			return rep, err
		}
		cs = append(cs, l...)
	}
	var tombs map[domain.ContactID]store.AuditEvent
	var errs []error
	kept := map[string]bool{} // tray items found through their contacts: the index's list (old items) skips them
	for _, c := range cs {
		rep.Checked++
		closed, err := j.closedAt(ctx, c)
		if err != nil {
			errs = append(errs, fmt.Errorf("contact %s: %w", c.ID, err))
			continue
		}
		until := Until(j.Policy, c, closed)
		if !dryRun && !until.IsZero() && !until.Equal(c.RetainUntil) && now.Before(until) {
			// The contact carries its end of retention, which the store makes the item's TTL.
			if err := j.schedule(ctx, c.ID, until); err != nil {
				errs = append(errs, fmt.Errorf("contact %s: %w", c.ID, err))
			}
		}
		if until.IsZero() || now.Before(until) {
			rep.Kept++
			if err := j.expireKeptTrayItems(ctx, c, closed, now, dryRun, &rep, kept); err != nil {
				errs = append(errs, fmt.Errorf("contact %s: tray items: %w", c.ID, err))
			}
			continue
		}
		d := Deleted{ContactID: c.ID, Reference: c.Reference, Rule: Rule(c), RetainUntil: until, Period: j.period(c)}
		if dryRun {
			rep.Deleted = append(rep.Deleted, d)
			continue
		}
		if tombs == nil {
			if tombs, err = j.tombstones(ctx); err != nil {
				return rep, err
			}
		}
		d, err = j.delete(ctx, c, d, tombs)
		if err != nil {
			errs = append(errs, fmt.Errorf("contact %s: %w", c.ID, err))
			continue
		}
		rep.Deleted = append(rep.Deleted, d)
	}
	if err := j.expireRecords(ctx, now, dryRun, &rep, kept); err != nil {
		errs = append(errs, err)
	}
	return rep, errors.Join(errs...)
}

func (j Job) period(c *domain.Contact) string {
	if Rule(c) == RuleReferrals {
		return j.Policy.Retention.Referrals.String()
	}
	return j.Policy.Retention.NoFurtherAction.String()
}

// closedAt is when an ended contact ended: its outcome's time, or, for a closed contact, the last audit event
// that closed it (a contact reopened and closed again counts from the later closure); zero while it is open.
// Its retention ends at Until(policy, c, closedAt).
func (j Job) closedAt(ctx context.Context, c *domain.Contact) (time.Time, error) {
	if Rule(c) == "" {
		return time.Time{}, nil
	}
	var closed time.Time
	if c.Outcome != nil {
		closed = c.Outcome.At
	}
	if c.Status == domain.StatusClosed {
		evs, err := j.Store.ListAudit(ctx, c.ID)
		if err != nil {
			return time.Time{}, err
		}
		for _, e := range evs {
			if e.Action == "contact.closed" && e.At.After(closed) {
				closed = e.At
			}
		}
	}
	return closed, nil
}

// schedule records on the contact when its retention ends (audited: retention.scheduled, the rule and the
// time), so that the table's TTL follows it.
func (j Job) schedule(ctx context.Context, id domain.ContactID, until time.Time) error {
	_, err := j.Store.ChangeContact(ctx, id, func(c *domain.Contact) (store.Change, error) {
		c.RetainUntil = until
		return store.Change{Events: []store.AuditEvent{{Actor: Actor, Action: ActionScheduled,
			Detail: map[string]string{"rule": Rule(c), "retainUntil": until.Format(time.RFC3339)}}}}, nil
	})
	return err
}

// tombstones reads the retention trail: the blob keys earlier deletions of a household left.
func (j Job) tombstones(ctx context.Context) (map[domain.ContactID]store.AuditEvent, error) {
	evs, err := j.Store.ListAudit(ctx, store.RetentionTrail(j.Policy.Authority))
	if err != nil {
		return nil, err
	}
	m := map[domain.ContactID]store.AuditEvent{}
	for _, e := range evs {
		// a contact's tombstone (the tombstone of its kept tray items names it too: the contact is not deleted)
		if e.Action == ActionDeleted && e.Detail["kind"] != KindTrayItems {
			m[domain.ContactID(e.Detail["contactId"])] = e
		}
	}
	return m, nil
}

func (j Job) delete(ctx context.Context, c *domain.Contact, d Deleted, tombs map[domain.ContactID]store.AuditEvent) (Deleted, error) {
	// A household's email and attachments stay while another of its contacts is kept.
	var alive bool
	var left []string
	for _, id := range c.LinkedTo {
		if t, ok := tombs[id]; ok {
			left = append(left, strings.Fields(t.Detail["blobsKept"])...)
			continue
		}
		if _, err := j.Store.GetContact(ctx, id); err == nil {
			alive = true
		} else if domain.ErrorCode(err) != domain.CodeNotFound {
			return d, err
		}
	}
	tomb := store.AuditEvent{ContactID: store.RetentionTrail(c.Authority), Actor: Actor, Action: ActionDeleted,
		Reason: d.Rule + ": " + d.Period,
		Detail: map[string]string{"contactId": string(c.ID), "reference": string(c.Reference), "kind": "contact",
			"rule": d.Rule, "retainUntil": d.RetainUntil.Format(time.RFC3339)}}
	if c.Outcome != nil {
		tomb.Detail["outcome"] = string(c.Outcome.Code)
	}
	n, err := j.Store.DeleteContact(ctx, c.ID, tomb, func(keys []string) error {
		keys = append(keys, left...)
		slices.Sort(keys)
		keys = slices.Compact(keys)
		if alive {
			// Only the contact's restricted attachments are its own; the mail is the household's.
			var kept []string
			for _, k := range keys {
				if strings.HasPrefix(k, "restricted/") {
					if err := j.deleteBlob(ctx, k); err != nil {
						return err
					}
					d.Blobs++
					continue
				}
				kept = append(kept, k)
			}
			d.BlobsKept = len(kept)
			tomb.Detail["blobsKept"] = strings.Join(kept, " ")
			return nil
		}
		for _, k := range keys {
			if err := j.deleteBlob(ctx, k); err != nil {
				return err
			}
			d.Blobs++
		}
		return nil
	})
	if err != nil {
		return d, err
	}
	d.Items = n
	return d, nil
}

func (j Job) deleteBlob(ctx context.Context, key string) error {
	if j.Blobs == nil {
		return nil
	}
	return j.Blobs.Delete(ctx, key)
}
