package core

import (
	"context"
	"sort"
	"strings"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

// A rating's or a decision's wait item (the tray item a park step puts, holding the wait's task token) is kept
// in its contact's partition (docs/cost.md "A park that does not rewrite the contact"): pk contact#<id>, sk
// wait#<tray>#<key>, under the id <contact>#<tray>#w<key> (store.WaitItemID). A park that moves nothing puts it
// alone (PutTrayItem: docs/cost.md "A park that moves nothing writes its wait item alone"), one that moves the
// contact in the contact's change; the actions and steps that answer the wait find it from the contact
// (Waits: one query of the partition) instead of the contact's Tasks, which only contacts parked before keep.
// Every other reader finds it by its id, as any tray item (getTray, trayKey), and on the same indexes.
// Items of other ids, and wait items parked before (ids without the w), are where they were: trayitem#<id>.

const prefixWait = "wait#"

// waitKeyOf is the key of wait item id kept in its contact's partition; ok false for any other item.
func waitKeyOf(id string) (pk, sk string, ok bool) {
	contact, tray, key, ok := store.WaitItemOf(id)
	if !ok {
		return "", "", false
	}
	return contactPK(contact), prefixWait + tray + "#" + key, true
}

// trayKey is the key of tray item id kept apart (not on a check's record): in its contact's partition for a
// wait item, else an item of its own.
func trayKey(id string) (pk, sk string) {
	if pk, sk, ok := waitKeyOf(id); ok {
		return pk, sk
	}
	return trayItemPK(id), skTrayItem
}

// isWaitItem reports whether it is a wait item kept in its contact's partition.
func isWaitItem(it *Item) bool { return strings.HasPrefix(it.SK, prefixWait) }

// isTrayItemApart reports whether it is a tray item kept apart: an item of its own or a wait item in its
// contact's partition (not one kept on a check's record).
func isTrayItemApart(it *Item) bool {
	return (it.SK == skTrayItem && strings.HasPrefix(it.PK, "trayitem#")) || isWaitItem(it)
}

// Waits implements store.Trays.
func (s *Store) Waits(ctx context.Context, contact domain.ContactID) ([]store.TrayItem, error) {
	if contact == "" {
		return nil, invalid("contactId", "is required")
	}
	out, err := s.partitionTrays(ctx, contact, prefixWait, "waits", nil, nil)
	if err != nil {
		return nil, err
	}
	sortTrays(out)
	return out, nil
}

// partitionTrays appends to out the tray items kept in the contact's partition under prefix: its wait items,
// or (keep: hostsTray) the tray items its check records keep, each with its item's Version and Owed.
func (s *Store) partitionTrays(ctx context.Context, contact domain.ContactID, prefix, what string, keep func(*Item) bool, out []store.TrayItem) ([]store.TrayItem, error) {
	items, err := s.b.Query(ctx, contactPK(contact), prefix)
	if err != nil {
		return nil, internal("query "+what, err)
	}
	for i := range items {
		if !s.live(&items[i]) || (keep != nil && !keep(&items[i])) {
			continue
		}
		d, err := decodeTray(&items[i])
		if err != nil {
			return nil, err
		}
		t := d.TrayItem
		t.Version, t.Host = items[i].Version, nil
		t.Owed = d.Owed != nil && d.Owed.DoneAt.IsZero()
		out = append(out, t)
	}
	return out, nil
}

// sortTrays orders a contact's tray items oldest first, by id within the same instant.
func sortTrays(out []store.TrayItem) {
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.Before(out[j].CreatedAt)
		}
		return out[i].ID < out[j].ID
	})
}
