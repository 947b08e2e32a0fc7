package workflow

import (
	"context"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

// OpenWait is the contact's wait on a rating or decision tray that a person's action answers: the newest open wait
// item kept in its partition (store.Trays.Waits: the park step puts it without rewriting the contact,
// docs/cost.md), else, for a contact parked before, the item its Tasks names, as it is. nil when it has none.
func OpenWait(ctx context.Context, st store.Trays, c *domain.Contact, tray string) (*store.TrayItem, error) {
	ws, err := st.Waits(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	for i := len(ws) - 1; i >= 0; i-- {
		if ws[i].Tray == tray && ws[i].CompletedAt.IsZero() {
			return &ws[i], nil
		}
	}
	if id := c.Tasks[tray]; id != "" {
		it, err := st.GetTrayItem(ctx, id)
		if domain.ErrorCode(err) == domain.CodeNotFound {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return &it, nil
	}
	return nil, nil
}
