package trays

import (
	"context"
	"slices"
	"strings"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

// Closable are the trays whose items only a person clears, by hand, once they have dealt with the cause: a
// contact whose workflow failed or could not be restarted (DeadLetter; docs/operations.md,
// WorkflowRestartLimitReached) and a message the outbox gave up on (undeliverable: the recipient was told
// another way). Nothing else closes them. Every other tray closes itself when its contact moves on (a rating,
// a decision, an answer, a school picked, an acknowledgement, …), so it is not closable by hand.
var Closable = []string{DeadLetter, string(domain.TrayUndeliverable)}

// ActionItemClosed is the audit event of a person closing a Closable tray item: Reason is their note, Detail
// names the tray and the item.
const ActionItemClosed = "tray.item-closed"

// MaxCloseNote is the longest note a closure takes.
const MaxCloseNote = 2000

// TrayTrail is the audit trail of an authority's tray items that name no contact (an undeliverable message
// about no contact): their closures are recorded there.
func TrayTrail(a domain.AuthorityID) domain.ContactID {
	return domain.ContactID("trays-" + string(a))
}

// CloseItem closes an open item of a Closable tray of this authority by hand: by is the person, note what
// they did. The audit event (who, when, the note) goes on the item's contact's trail (TrayTrail when it names
// none) in the close's own atomic write (store.Trays.CloseTrayItem), so that the trail never misses a close
// nor shows one that did not happen. Closing an item already closed changes
// nothing and returns it as it is. A tray that is not Closable, an empty or too long note is invalid (each
// field named, the closable trays listed); an item that is not on this tray of this authority is not_found.
func CloseItem(ctx context.Context, st store.Trays, authority domain.AuthorityID, tray, itemID, by, note string) (store.TrayItem, error) {
	var p domain.Problems
	if !slices.Contains(Closable, tray) {
		p.Add("tray", "items of the %s tray close themselves when their contact moves on; a person closes items of the %s trays only",
			tray, strings.Join(Closable, " and "))
	}
	note = strings.TrimSpace(note)
	switch {
	case note == "":
		p.Add("note", "is required: say what was done about the item")
	case len(note) > MaxCloseNote:
		p.Add("note", "is too long: at most %d characters", MaxCloseNote)
	}
	if err := p.Err(); err != nil {
		return store.TrayItem{}, err
	}
	it, err := st.GetTrayItem(ctx, itemID)
	if domain.ErrorCode(err) == domain.CodeNotFound || (err == nil && (it.Tray != tray || it.Authority != authority)) {
		return store.TrayItem{}, domain.Errorf(domain.CodeNotFound, "there is no item %s on the %s tray", itemID, tray)
	}
	if err != nil {
		return store.TrayItem{}, err
	}
	if !it.CompletedAt.IsZero() {
		it.TaskToken = ""
		return it, nil
	}
	trail := it.ContactID
	if trail == "" {
		trail = TrayTrail(authority)
	}
	it, err = st.CloseTrayItem(ctx, itemID, by, store.AuditEvent{ContactID: trail, Actor: by, Action: ActionItemClosed,
		Reason: note, Detail: map[string]string{"tray": tray, "item": it.ID}})
	if domain.ErrorCode(err) == domain.CodeConflict { // closed meanwhile (nothing written): answer it as it is
		it, err = st.GetTrayItem(ctx, itemID)
	}
	if err != nil {
		return store.TrayItem{}, err
	}
	it.TaskToken = ""
	return it, nil
}
