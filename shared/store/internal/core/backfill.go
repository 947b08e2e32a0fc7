package core

import (
	"context"

	"github.com/safeguarding/mash/shared/store"
)

// Key is an item's primary key.
type Key struct{ PK, SK string }

// Scanner is a Backend that can read the whole table page by page. Only the one-off backfill of the
// retention indexes uses it (BackfillRetentionIndexes); no request path scans, and the functions' adapter
// (shared/store/dynamo/wire) does not implement it.
type Scanner interface {
	// ScanPage reads up to about limit items whose sk is sk, starting after the item keyed after (nil: from
	// the start) in the backend's own order; next is nil when the table has been read to its end.
	ScanPage(ctx context.Context, sk string, after *Key, limit int) (items []Item, next *Key, err error)
}

// backfillPage is how many items a page of the backfill reads.
const backfillPage = 500

// BackfillRetentionIndexes implements store.IndexBackfill: completed tray items get their gsi1 traydone#
// entry and quarantine items their gsi1 quarantines# entry, as trayItem and quarantineItem derive them for
// every write since; each fix is a conditional write on the item's version, which it keeps, so a concurrent
// change (which derives the entry itself) wins and is counted as changed.
func (s *Store) BackfillRetentionIndexes(ctx context.Context, dryRun bool, page func(store.BackfillReport)) (store.BackfillReport, error) {
	rep := store.BackfillReport{DryRun: dryRun}
	sc, ok := s.b.(Scanner)
	if !ok {
		return rep, invalid("store", "this store adapter cannot read the whole table (the backfill runs from `mash retention backfill`, not a function)")
	}
	kinds := []struct {
		sk    string
		count *int
		want  func(it *Item) (Item, error) // the item as it is written today
	}{
		{skTrayItem, &rep.TrayItems, func(it *Item) (Item, error) {
			d, err := decodeTray(it) // with the completion kept on it, if any
			return trayItemOf(d, it.Version), err
		}},
		{skQuarantine, &rep.Quarantine, func(it *Item) (Item, error) {
			q, err := decode[store.QuarantineItem](it)
			return quarantineItem(q, it.Version), err
		}},
	}
	for _, k := range kinds {
		var after *Key
		for {
			items, next, err := sc.ScanPage(ctx, k.sk, after, backfillPage)
			if err != nil {
				return rep, internal("scan "+k.sk, err)
			}
			for i := range items {
				it := &items[i]
				rep.Scanned++
				want, err := k.want(it)
				if err != nil {
					return rep, err
				}
				switch {
				case want.GSI1PK == "":
					rep.NotIndexed++
					continue
				case it.GSI1PK == want.GSI1PK && it.GSI1SK == want.GSI1SK:
					rep.AlreadyIndexed++
					continue
				}
				if !dryRun {
					fixed := *it // document, version, ttl and gsi2 as they are
					fixed.GSI1PK, fixed.GSI1SK = want.GSI1PK, want.GSI1SK
					if err := s.b.Write(ctx, []Put{{Item: fixed, Cond: CondVersion, Version: it.Version}}); err != nil {
						if _, ok := condIndex(err); ok {
							rep.Changed++
							continue
						}
						return rep, internal("backfill "+k.sk, err)
					}
				}
				*k.count++
			}
			if page != nil {
				page(rep)
			}
			if next == nil {
				break
			}
			after = next
		}
	}
	return rep, nil
}
