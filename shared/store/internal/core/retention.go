package core

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

// ---- retention of records that are not contacts (store.Retention) ----

// tombstonePut checks and builds a tombstone: an audit event on a trail other than the one being deleted.
func (s *Store) tombstonePut(tombstone store.AuditEvent, deleting domain.ContactID) (Put, error) {
	if tombstone.ContactID == "" || tombstone.ContactID == deleting {
		return Put{}, invalid("tombstone.contactId", "must name the retention trail, not the record being deleted")
	}
	p, _, err := s.auditPut(tombstone, "")
	return p, err
}

// deleteThenLast deletes dels in writes of MaxWriteItems, then last (the record's own item, may be zero)
// with the tombstone in one final write.
func (s *Store) deleteThenLast(ctx context.Context, what string, dels []Put, last *Put, tomb Put) error {
	var lasts []Put
	if last != nil {
		lasts = []Put{*last}
	}
	return s.deleteThenLastN(ctx, what, dels, lasts, tomb)
}

// deleteThenLastN is deleteThenLast with several last items (the record's own item and what must go in the
// same atomic write as it, such as its open tray item).
func (s *Store) deleteThenLastN(ctx context.Context, what string, dels, lasts []Put, tomb Put) error {
	room := MaxWriteItems - 1 - len(lasts) // the final write: the last deletes, the tombstone and the lasts
	for len(dels) > room {
		k := min(len(dels)-room, MaxWriteItems)
		if err := s.b.Delete(ctx, dels[:k]); err != nil {
			return internal("delete "+what, err)
		}
		dels = dels[k:]
	}
	final := append(append(dels, tomb), lasts...)
	if err := s.b.Delete(ctx, final); err != nil {
		return internal("delete "+what, err)
	}
	return nil
}

func del(it Item) Put { return Put{Item: Item{PK: it.PK, SK: it.SK}, Cond: CondDelete} }

// DeleteAudit implements store.Retention.
func (s *Store) DeleteAudit(ctx context.Context, trail domain.ContactID, ids []string, tombstone store.AuditEvent) (int, error) {
	if trail == "" {
		return 0, invalid("trail", "is required")
	}
	if _, _, err := s.getContact(ctx, trail); err == nil {
		return 0, invalid("trail", "is a contact's: its trail goes whole with it (DeleteContact)")
	} else if domain.ErrorCode(err) != domain.CodeNotFound {
		return 0, err
	}
	if _, err := s.GetConsultation(ctx, domain.ConsultationID(trail)); err == nil {
		return 0, invalid("trail", "is a consultation's: its trail goes whole with it (DeleteConsultation)")
	} else if domain.ErrorCode(err) != domain.CodeNotFound {
		return 0, err
	}
	tp, err := s.tombstonePut(tombstone, "")
	if err != nil {
		return 0, err
	}
	items, err := s.b.Query(ctx, contactPK(trail), prefixAudit)
	if err != nil {
		return 0, internal("query audit", err)
	}
	var dels []Put
	for _, it := range items {
		if slices.Contains(ids, strings.TrimPrefix(it.SK, prefixAudit)) && !(it.PK == tp.Item.PK && it.SK == tp.Item.SK) {
			dels = append(dels, del(it))
		}
	}
	if len(dels) == 0 {
		return 0, nil
	}
	return len(dels), s.deleteThenLast(ctx, "audit events", dels, nil, tp)
}

// DoneTrayItems implements store.Retention.
func (s *Store) DoneTrayItems(ctx context.Context, authority domain.AuthorityID, before time.Time) ([]store.TrayItem, error) {
	return s.trayIndexDocs(ctx, GSI1, trayDoneGSI(authority), ts(before), 0)
}

// keptBeside reports whether it holds a tray item kept in its contact's partition, beside the contact: a wait
// item (waits.go) or a check's record (checktray.go). Once completed such an item has no retention index entry:
// the retention job finds it through its contact (KeptTrayItems), which it reads anyway.
func keptBeside(it *Item) bool { return isWaitItem(it) || isCheckItem(it) }

// KeptTrayItems implements store.Retention: the contact's wait items and the tray items its check records keep,
// open or completed, oldest first (two queries of the contact's partition).
func (s *Store) KeptTrayItems(ctx context.Context, contact domain.ContactID) ([]store.TrayItem, error) {
	out, err := s.Waits(ctx, contact)
	if err != nil {
		return nil, err
	}
	if out, err = s.partitionTrays(ctx, contact, prefixCheck, "checks", hostsTray, out); err != nil {
		return nil, err
	}
	sortTrays(out)
	return out, nil
}

// DeleteTrayItems implements store.Retention.
func (s *Store) DeleteTrayItems(ctx context.Context, ids []string, tombstone store.AuditEvent) (int, error) {
	tp, err := s.tombstonePut(tombstone, "")
	if err != nil {
		return 0, err
	}
	var dels []Put
	for _, id := range ids {
		it, err := s.getTray(ctx, id)
		if err != nil {
			return 0, internal("get tray item", err)
		}
		if it == nil {
			continue
		}
		t, err := decodeTray(it)
		if err != nil {
			return 0, err
		}
		if t.CompletedAt.IsZero() {
			return 0, conflict("tray item %s is not completed", id)
		}
		if t.Owed != nil && t.Owed.DoneAt.IsZero() {
			continue // the completion kept on it is still owed to the workflow: kept until the completer ends it
		}
		if isCheckItem(it) {
			// Kept on its check's record (checktray.go): the record stays, without it (and its index entry).
			r, err := decodeCheck(it)
			if err != nil {
				return 0, err
			}
			r.Kept = nil
			dels = append(dels, Put{Item: checkItem(r, it.Version+1), Cond: CondVersion, Version: it.Version})
			continue
		}
		dels = append(dels, del(*it))
	}
	if len(dels) == 0 {
		return 0, nil
	}
	return len(dels), s.deleteThenLast(ctx, "tray items", dels, nil, tp)
}

// AllQuarantine implements store.Retention.
func (s *Store) AllQuarantine(ctx context.Context, authority domain.AuthorityID) ([]store.QuarantineItem, error) {
	return indexDocs[store.QuarantineItem](ctx, s, GSI1, quarantinesGSI(authority), "", 0)
}

// DeleteQuarantine implements store.Retention.
func (s *Store) DeleteQuarantine(ctx context.Context, id string, tombstone store.AuditEvent, blobs func(keys []string) error) (int, error) {
	if id == "" {
		return 0, invalid("id", "is required")
	}
	q, err := s.GetQuarantine(ctx, id)
	if err != nil {
		return 0, err
	}
	if _, err := s.tombstonePut(tombstone, domain.ContactID(id)); err != nil { // checked before anything is deleted
		return 0, err
	}
	trail, err := s.b.Query(ctx, contactPK(domain.ContactID(id)), "")
	if err != nil {
		return 0, internal("query quarantine trail", err)
	}
	if blobs != nil && q.RawKey != "" {
		if err := blobs([]string{q.RawKey}); err != nil {
			return 0, err
		}
	}
	// The tombstone is made after blobs ran: the job may note in its Detail what it kept.
	tp, err := s.tombstonePut(tombstone, domain.ContactID(id))
	if err != nil {
		return 0, err
	}
	var dels []Put
	for _, it := range trail {
		dels = append(dels, del(it))
	}
	last := Put{Item: Item{PK: quarantinePK(id), SK: skQuarantine}, Cond: CondDelete}
	return len(dels) + 1, s.deleteThenLast(ctx, "quarantine item", dels, &last, tp)
}

// DeleteConsultation implements store.Retention.
func (s *Store) DeleteConsultation(ctx context.Context, id domain.ConsultationID, tombstone store.AuditEvent) (int, error) {
	if id == "" {
		return 0, invalid("id", "is required")
	}
	if _, err := s.GetConsultation(ctx, id); err != nil {
		return 0, err
	}
	if _, err := s.tombstonePut(tombstone, id.AuditID()); err != nil { // checked before anything is read
		return 0, err
	}
	items, err := s.b.Query(ctx, contactPK(id.AuditID()), "")
	if err != nil {
		return 0, internal("query consultation", err)
	}
	var dels []Put
	for _, it := range items {
		dels = append(dels, del(it))
	}
	// Its summary's tray item goes in the final write with the consultation's own item: an open one would
	// be left for a worker with nothing behind it (the retention job is the only one that deletes, and a
	// tray item is never deleted by anything else while open).
	final := []Put{{Item: Item{PK: consultPK(id), SK: skConsult}, Cond: CondDelete}}
	ti, err := s.b.Get(ctx, trayItemPK(id.SummaryItemID()), skTrayItem)
	if err != nil {
		return 0, internal("get tray item", err)
	}
	if ti != nil {
		t, err := decode[store.TrayItem](ti)
		if err != nil {
			return 0, err
		}
		state := "completed"
		if t.CompletedAt.IsZero() {
			state = "open"
		}
		tombstone.Detail = maps.Clone(tombstone.Detail)
		if tombstone.Detail == nil {
			tombstone.Detail = map[string]string{}
		}
		tombstone.Detail["trayItem"] = state
		final = append(final, del(*ti))
	}
	tp, err := s.tombstonePut(tombstone, id.AuditID())
	if err != nil {
		return 0, err
	}
	return len(dels) + len(final), s.deleteThenLastN(ctx, "consultation", dels, final, tp)
}
