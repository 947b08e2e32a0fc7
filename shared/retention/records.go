package retention

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
)

// Kinds of records that are not contacts, as the tombstones and the report name them.
const (
	KindAudit        = "audit"
	KindTrayItems    = "tray-items"
	KindQuarantine   = "quarantine"
	KindConsultation = "consultation"
)

// Expired is one record (or, for audit events and tray items, one batch) that is not a contact which the run
// deleted or, in a dry run, would delete: ids, kinds, counts and times only.
type Expired struct {
	Kind   string `json:"kind"`
	ID     string `json:"id,omitempty"` // the quarantine item, consultation or audit trail
	Rule   string `json:"rule"`
	Period string `json:"period"`
	// RetainUntil is when one record's retention ended (quarantine item, consultation).
	RetainUntil time.Time `json:"retainUntil,omitzero"`
	Items       int       `json:"items"`
	Blobs       int       `json:"blobs,omitempty"`
}

// trayBatch is how many tray items one delete (and one tombstone) takes.
const trayBatch = 500

// expireRecords deletes the records that are not contacts whose retention has ended: events of the
// authority's own trails (school directory, case imports, subject access requests that matched no child,
// retention) by retention.audit, completed tray items kept apart (and those kept beside their contacts
// completed before they were found through them: not in kept, the items Run found through their contacts)
// by retention.trayItems, quarantine items with their trail and raw message by retention.quarantine, and
// consultations with their trail and messages by retention.consultations. Each delete writes a tombstone on
// the retention trail. One failure does not stop the rest.
func (j Job) expireRecords(ctx context.Context, now time.Time, dryRun bool, rep *Report, kept map[string]bool) error {
	var errs []error
	trays := func(ctx context.Context, now time.Time, dryRun bool, rep *Report) error {
		return j.expireTrayItems(ctx, now, dryRun, rep, kept)
	}
	for _, step := range []func(context.Context, time.Time, bool, *Report) error{j.expireAudit, trays, j.expireQuarantine, j.expireConsultations} {
		if err := step(ctx, now, dryRun, rep); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (j Job) tombstone(kind, rule string, per policy.RetentionPeriod, detail map[string]string) store.AuditEvent {
	d := map[string]string{"kind": kind, "rule": rule}
	for k, v := range detail {
		d[k] = v
	}
	return store.AuditEvent{ContactID: store.RetentionTrail(j.Policy.Authority), Actor: Actor, Action: ActionDeleted,
		Reason: rule + ": " + per.String(), Detail: d}
}

// over says whether a record's retention has ended at now.
func over(until, now time.Time) bool { return !now.Before(until) }

// expireAudit deletes the expired events of the authority's trails that are not a contact's. A tombstone that
// still lists a household's mail (blobsKept) stays: the household's last contact needs it.
func (j Job) expireAudit(ctx context.Context, now time.Time, dryRun bool, rep *Report) error {
	per := j.Policy.Retention.Audit
	a := j.Policy.Authority
	var errs []error
	for _, trail := range []domain.ContactID{store.DirectoryTrail(a), store.CasesTrail(a), store.SARTrail(a), store.RetentionTrail(a)} {
		evs, err := j.Store.ListAudit(ctx, trail)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		var ids []string
		var oldest, newest time.Time
		for _, e := range evs {
			if !over(per.End(e.At, e.At), now) || e.Detail["blobsKept"] != "" {
				continue
			}
			ids = append(ids, e.ID)
			if oldest.IsZero() {
				oldest = e.At
			}
			newest = e.At
		}
		if len(ids) == 0 {
			continue
		}
		x := Expired{Kind: KindAudit, ID: string(trail), Rule: RuleAudit, Period: per.String(), Items: len(ids)}
		if !dryRun {
			tomb := j.tombstone(KindAudit, RuleAudit, per, map[string]string{"trail": string(trail), "events": strconv.Itoa(len(ids)),
				"oldest": oldest.UTC().Format(time.RFC3339), "newest": newest.UTC().Format(time.RFC3339)})
			n, err := j.Store.DeleteAudit(ctx, trail, ids, tomb)
			if err != nil {
				errs = append(errs, fmt.Errorf("trail %s: %w", trail, err))
				continue
			}
			x.Items = n
		}
		rep.Records = append(rep.Records, x)
	}
	return errors.Join(errs...)
}

// expireTrayItems deletes completed tray items on the retention index (DoneTrayItems: the items kept apart,
// and those kept beside their contacts that completed before they were found through their contacts) whose
// retention ended, 2 years (retention.trayItems) after completion, in batches with a tombstone each. Items in
// kept were found through their contacts this run (expireKeptTrayItems) and are left to that.
func (j Job) expireTrayItems(ctx context.Context, now time.Time, dryRun bool, rep *Report, kept map[string]bool) error {
	per := j.Policy.Retention.TrayItems
	// Every item completed before this can have ended (AddDate's inverse is off by at most a day or two
	// around month ends); each is checked exactly below.
	before := now.AddDate(-per.Years, 0, -per.Days).Add(72 * time.Hour)
	items, err := j.Store.DoneTrayItems(ctx, j.Policy.Authority, before)
	if err != nil {
		return err
	}
	var ids []string
	var oldest, newest time.Time
	flush := func() error {
		if len(ids) == 0 {
			return nil
		}
		x := Expired{Kind: KindTrayItems, Rule: RuleTrayItems, Period: per.String(), Items: len(ids)}
		if !dryRun {
			tomb := j.tombstone(KindTrayItems, RuleTrayItems, per, map[string]string{"items": strconv.Itoa(len(ids)),
				"oldest": oldest.UTC().Format(time.RFC3339), "newest": newest.UTC().Format(time.RFC3339)})
			n, err := j.Store.DeleteTrayItems(ctx, ids, tomb)
			if err != nil {
				return err
			}
			x.Items = n
		}
		rep.Records = append(rep.Records, x)
		ids, oldest = nil, time.Time{}
		return nil
	}
	for _, it := range items {
		if kept[it.ID] || !over(per.End(it.CompletedAt, it.CreatedAt), now) {
			continue
		}
		ids = append(ids, it.ID)
		if oldest.IsZero() {
			oldest = it.CompletedAt
		}
		newest = it.CompletedAt
		if len(ids) == trayBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// expireQuarantine deletes quarantine items whose retention ended, with their trail, and the raw message of
// one never released (a released message's contacts keep the raw bytes they came from and delete them with
// themselves).
func (j Job) expireQuarantine(ctx context.Context, now time.Time, dryRun bool, rep *Report) error {
	per := j.Policy.Retention.Quarantine
	qs, err := j.Store.AllQuarantine(ctx, j.Policy.Authority)
	if err != nil {
		return err
	}
	var errs []error
	for _, q := range qs {
		until := per.End(q.ReceivedAt, q.ReceivedAt)
		if !over(until, now) {
			continue
		}
		state := "held"
		switch {
		case !q.ReleasedAt.IsZero():
			state = "released"
		case !q.DiscardedAt.IsZero():
			state = "discarded"
		}
		x := Expired{Kind: KindQuarantine, ID: q.ID, Rule: RuleQuarantine, Period: per.String(), RetainUntil: until}
		if dryRun {
			rep.Records = append(rep.Records, x)
			continue
		}
		tomb := j.tombstone(KindQuarantine, RuleQuarantine, per, map[string]string{"quarantineId": q.ID, "reason": q.Reason,
			"state": state, "retainUntil": until.Format(time.RFC3339)})
		n, err := j.Store.DeleteQuarantine(ctx, q.ID, tomb, func(keys []string) error {
			if state == "released" {
				tomb.Detail["rawKept"] = "the contacts it became"
				return nil
			}
			for _, k := range keys {
				if err := j.deleteBlob(ctx, k); err != nil {
					return err
				}
				x.Blobs++
			}
			return nil
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("quarantine %s: %w", q.ID, err))
			continue
		}
		x.Items = n
		rep.Records = append(rep.Records, x)
	}
	return errors.Join(errs...)
}

// expireConsultations deletes consultations whose retention ended, with their trail and messages.
func (j Job) expireConsultations(ctx context.Context, now time.Time, dryRun bool, rep *Report) error {
	per := j.Policy.Retention.Consultations
	ks, err := j.Store.ListConsultations(ctx, j.Policy.Authority)
	if err != nil {
		return err
	}
	var errs []error
	for _, k := range ks {
		until := per.End(k.UpdatedAt, k.ReceivedAt)
		if !over(until, now) {
			continue
		}
		x := Expired{Kind: KindConsultation, ID: string(k.Reference), Rule: RuleConsultations, Period: per.String(), RetainUntil: until}
		if !dryRun {
			tomb := j.tombstone(KindConsultation, RuleConsultations, per, map[string]string{"consultationId": string(k.ID),
				"reference": string(k.Reference), "retainUntil": until.Format(time.RFC3339)})
			n, err := j.Store.DeleteConsultation(ctx, k.ID, tomb)
			if err != nil {
				errs = append(errs, fmt.Errorf("consultation %s: %w", k.ID, err))
				continue
			}
			x.Items = n
		}
		rep.Records = append(rep.Records, x)
	}
	return errors.Join(errs...)
}

// expireKeptTrayItems deletes the completed tray items kept beside ended contact c — its wait items and the
// items its check records keep (the records stay) — found through the contact rather than an index entry per
// item (docs/cost.md "Completed waits and checks found for retention through their contact"). By
// retention.trayItems an item is kept until the period has passed both since the contact ended (closed: when
// its outcome was recorded or it was closed) and since the item completed; one still open, or whose completion
// is still owed to the workflow, is kept. The items go with one tombstone naming the contact; their ids go in
// kept, so the index's list (expireTrayItems) does not take them twice.
//
// Reading cost: the job reads the contact's partition (two queries) only once the period has passed since it
// ended, and, once it has deleted everything and found nothing left (nothing open that could complete later,
// nothing owed, nothing completed too recently), records so on the contact (TrayItemsExpired, audited
// retention.trayItemsExpired) and never reads it again for that end. A contact that ends again later (reopened
// and decided or closed again) is read again. A contact with anything left is read again each run until it
// can be marked, so no item is left behind unread; a window of "contacts whose period passed since the last
// run" was not chosen because a failed or missed run would leave its contacts' items for ever. A dry run
// reads and reports, and writes nothing.
func (j Job) expireKeptTrayItems(ctx context.Context, c *domain.Contact, closed, now time.Time, dryRun bool, rep *Report, kept map[string]bool) error {
	per := j.Policy.Retention.TrayItems
	if !c.TrayItemsExpired.IsZero() && !c.TrayItemsExpired.Before(closed) {
		return nil // done for this end
	}
	if !closed.IsZero() && !over(per.End(closed, c.ReceivedAt), now) {
		return nil
	}
	items, err := j.Store.KeptTrayItems(ctx, c.ID)
	if err != nil {
		return err
	}
	var ids []string
	var oldest, newest time.Time
	left := 0
	for _, it := range items {
		if it.CompletedAt.IsZero() || it.Owed || !over(per.End(it.CompletedAt, it.CreatedAt), now) {
			left++
			continue
		}
		ids = append(ids, it.ID)
		kept[it.ID] = true
		if oldest.IsZero() || it.CompletedAt.Before(oldest) {
			oldest = it.CompletedAt
		}
		if it.CompletedAt.After(newest) {
			newest = it.CompletedAt
		}
	}
	n := len(ids)
	if n > 0 {
		x := Expired{Kind: KindTrayItems, ID: string(c.ID), Rule: RuleTrayItems, Period: per.String(), Items: n}
		if !dryRun {
			tomb := j.tombstone(KindTrayItems, RuleTrayItems, per, map[string]string{"contactId": string(c.ID),
				"reference": string(c.Reference), "items": strconv.Itoa(n),
				"oldest": oldest.UTC().Format(time.RFC3339), "newest": newest.UTC().Format(time.RFC3339)})
			if n, err = j.Store.DeleteTrayItems(ctx, ids, tomb); err != nil {
				return err
			}
			x.Items = n
		}
		rep.Records = append(rep.Records, x)
	}
	if dryRun || left > 0 || n < len(ids) {
		return nil // read again next run
	}
	_, err = j.Store.ChangeContact(ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		c.TrayItemsExpired = now
		return store.Change{Events: []store.AuditEvent{{Actor: Actor, Action: ActionTrayItemsExpired,
			Detail: map[string]string{"rule": RuleTrayItems, "items": strconv.Itoa(n)}}}}, nil
	})
	return err
}
