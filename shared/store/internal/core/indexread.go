package core

import (
	"context"

	"github.com/safeguarding/mash/shared/internal/pool"
)

// IndexReadsAtOnce bounds the table reads behind one index query: enough to hide the round trips of a long
// list, few enough to stay inside a Lambda's connection pool and the table's burst capacity.
const IndexReadsAtOnce = 16

// ReadIndexed reads from the table the item behind each key an index query of partition pk (below skBelow,
// when set) returned, up to IndexReadsAtOnce reads in flight, for the adapters whose indexes project keys
// only (a tray or a day's contacts is hundreds of entries: read one after another they would cost a round
// trip each). An item that has gone, or whose index keys no longer match the query (it changed after the
// index was read), is left out, as a more up-to-date index would have. get reads one item by key,
// eventually consistent.
func ReadIndexed(ctx context.Context, keys []Item, idx Index, pk, skBelow string, get func(ctx context.Context, pk, sk string) (*Item, error)) ([]Item, error) {
	items := make([]*Item, len(keys))
	errs := make([]error, len(keys))
	pool.Each(ctx, len(keys), IndexReadsAtOnce, func(i int) {
		items[i], errs[i] = get(ctx, keys[i].PK, keys[i].SK)
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := keys[:0]
	for i, it := range items {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if it == nil {
			continue
		}
		gpk, gsk := it.GSI1PK, it.GSI1SK
		switch idx {
		case GSI2:
			gpk, gsk = it.GSI2PK, it.GSI2SK
		case GSI3:
			gpk, gsk = it.GSI3PK, ""
		}
		if gpk != pk || (skBelow != "" && gsk >= skBelow) {
			continue
		}
		out = append(out, *it)
	}
	return out, nil
}
