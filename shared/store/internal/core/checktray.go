package core

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

// A partner check's item on the checks tray is kept on the check's record (docs/cost.md "A check's tray item
// kept on its record"): one item, written once with the request and once with the answer or closure, instead
// of a tray item of its own written beside it each time. The record's document is the request and, under
// "tray", the tray item as a tray item is stored (trayDoc: with the completion kept on it, if any); the record
// carries the tray item's index entries (the checks tray while open, the retention job's list once completed,
// the completer's pending list while a completion kept on it is owed). Every reader of tray items finds it by
// the same id (<contact>#checks#<check>: checkTrayOf) and reads it as before; every reader of checks reads the
// request as before. Tray items written before, apart, are read and written where they are.

// checkTrayOf names the check whose record may keep tray item id: the id shared/checks gives a check's item on
// the checks tray (<contact>#checks#<check id>); ok false for any other item.
func checkTrayOf(id string) (contact domain.ContactID, checkID string, ok bool) {
	parts := strings.Split(id, "#")
	if len(parts) != 3 || parts[0] == "" || parts[1] != string(domain.TrayChecks) || parts[2] == "" {
		return "", "", false
	}
	return domain.ContactID(parts[0]), parts[2], true
}

// checkDoc is a check record as stored: the request and, when kept on it, its tray item (a trayDoc's JSON).
type checkDoc struct {
	store.CheckRequest
	Tray json.RawMessage `json:"tray,omitempty"`
}

// decodeCheck reads a check record: the request, with its item's Version and what the record keeps beside it
// (Kept: its tray item).
func decodeCheck(it *Item) (store.CheckRequest, error) {
	d, err := decode[checkDoc](it)
	r := d.CheckRequest
	r.Version, r.Kept = it.Version, nil
	if len(d.Tray) > 0 && string(d.Tray) != "null" {
		r.Kept = d.Tray
	}
	return r, err
}

// checkItem is a check record's item: the request and what it keeps (r.Kept: its tray item, with the tray
// item's index entries).
func checkItem(r store.CheckRequest, version int64) Item {
	kept := r.Kept
	r.Version, r.Kept = 0, nil
	it := Item{PK: contactPK(r.ContactID), SK: prefixCheck + r.ID, Version: version, Doc: marshal(checkDoc{CheckRequest: r, Tray: kept})}
	if len(kept) > 0 {
		var d trayDoc
		if err := json.Unmarshal(kept, &d); err == nil {
			trayIndex(&it, d)
		}
	}
	return it
}

// keptTray is the tray item kept on check record r (as read: its Version, Host), ok false when it keeps none.
func keptTray(r store.CheckRequest) (d trayDoc, ok bool, err error) {
	if len(r.Kept) == 0 {
		return d, false, nil
	}
	if err := json.Unmarshal(r.Kept, &d); err != nil {
		return d, false, internal("decode tray item", err)
	}
	host := r
	host.Version, host.Kept = 0, nil
	d.Version, d.Host = r.Version, marshal(host)
	return d, true, nil
}

// withTray is check record r keeping tray item d.
func withTray(r store.CheckRequest, d trayDoc) store.CheckRequest {
	t := d.TrayItem
	t.Version, t.Host, t.Owed = 0, nil, false
	d.TrayItem = t
	d.Version = 0
	r.Kept = marshal(d)
	return r
}

// hostsTray reports whether a check record keeps a tray item.
func hostsTray(it *Item) bool {
	d, err := decode[struct {
		Tray json.RawMessage `json:"tray"`
	}](it)
	return err == nil && len(d.Tray) > 0 && string(d.Tray) != "null"
}

// isCheckItem reports whether it is a check record (which may keep a tray item).
func isCheckItem(it *Item) bool { return strings.HasPrefix(it.SK, prefixCheck) }

// getTray reads tray item id where it is: on its check's record (a check's item on the checks tray, since
// docs/cost.md's cut), else as an item of its own (every other item, and a check's written before). nil when
// missing.
func (s *Store) getTray(ctx context.Context, id string) (*Item, error) {
	if contact, checkID, ok := checkTrayOf(id); ok {
		it, err := s.b.Get(ctx, contactPK(contact), prefixCheck+checkID)
		if err != nil {
			return nil, err
		}
		if it != nil && hostsTray(it) {
			return it, nil
		}
	}
	pk, sk := trayKey(id)
	return s.b.Get(ctx, pk, sk)
}

// closeKept closes the tray item check record r keeps, if open (an answer or a closure: the check leaves the
// checks tray in its own write), by who at now.
func (s *Store) closeKept(r store.CheckRequest, by string) (store.CheckRequest, error) {
	d, ok, err := keptTray(r)
	if err != nil || !ok || !d.CompletedAt.IsZero() {
		return r, err
	}
	d.CompletedBy, d.CompletedAt = by, s.nowUTC()
	return withTray(r, d), nil
}

// trayItems decodes index entries' items as tray items (each where it is kept: on its own, or on its check's
// record).
func (s *Store) trayItems(items []Item) ([]store.TrayItem, error) {
	out := make([]store.TrayItem, 0, len(items))
	for i := range items {
		if !s.live(&items[i]) || (isCheckItem(&items[i]) && !hostsTray(&items[i])) {
			continue
		}
		d, err := decodeTray(&items[i])
		if err != nil {
			return nil, err
		}
		t := d.TrayItem
		t.Version, t.Host = 0, nil
		out = append(out, t)
	}
	return out, nil
}

// trayIndexDocs is indexDocs for tray items.
func (s *Store) trayIndexDocs(ctx context.Context, idx Index, pk, below string, limit int) ([]store.TrayItem, error) {
	items, err := s.b.QueryIndex(ctx, idx, pk, below, limit)
	if err != nil {
		return nil, internal("query index", err)
	}
	return s.trayItems(items)
}
