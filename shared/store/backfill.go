package store

import "context"

// IndexBackfill is the one-off backfill of the retention job's indexes (issue #16). The job finds completed
// tray items (gsi1 traydone#<authority>) and every quarantine item (gsi1 quarantines#<authority>) through
// index entries that only writes made since those indexes were added carry: a tray item completed, or a
// message quarantined, before then is in no index and is never found, so never deleted. The backfill reads
// the whole table once, page by page, and gives each such item the index entry it lacks — the item's document,
// version and other attributes unchanged — so the retention job finds it from its next run. It is idempotent:
// an item already indexed is counted and left, so a second run changes nothing. It is an operator's command
// (`mash retention backfill`), never a request path: it is the only place the store scans.
type IndexBackfill interface {
	// BackfillRetentionIndexes pages through the table; dryRun counts what it would change and writes
	// nothing. page, when not nil, is called after each page with the running totals.
	BackfillRetentionIndexes(ctx context.Context, dryRun bool, page func(BackfillReport)) (BackfillReport, error)
}

// BackfillReport counts what a backfill found and did. It carries ids of nothing and no content.
type BackfillReport struct {
	DryRun bool `json:"dryRun"`
	// Scanned counts the tray and quarantine items read.
	Scanned int `json:"scanned"`
	// TrayItems and Quarantine count the items given their index entry (with DryRun: that would be).
	TrayItems  int `json:"trayItems"`
	Quarantine int `json:"quarantine"`
	// AlreadyIndexed counts items that had it (written since the indexes existed, or by an earlier run).
	AlreadyIndexed int `json:"alreadyIndexed"`
	// NotIndexed counts items that need none: open tray items (on their tray's own index until completed).
	NotIndexed int `json:"notIndexed"`
	// Changed counts items another writer changed between the read and the backfill's write: that write
	// re-derived every index entry, so nothing is left to do.
	Changed int `json:"changed"`
}
