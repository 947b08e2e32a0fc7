package console_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/trays"
)

// A contact whose workflow could not be restarted sits on the Failed workflows tray until a person has fixed
// the cause (docs/operations.md, WorkflowRestartLimitReached): a manager closes it there with a note of what
// was done (no note: the tray again with the error by that item's field and what was typed kept), and the
// closure is on the contact's history with who and the note. A worker sees no Close form.
func TestTray_AManagerClosesAFailedWorkflowWithANote(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	c := r.refer("Zebedee", "Canarybird")
	// The sweep puts this item when the restart limit is reached (shared/trays tests that path).
	item := trays.RestartLimitItemID(c.ID, 1)
	if _, err := r.suite.Store.PutTrayItem(ctx, store.TrayItem{ID: item, Tray: trays.DeadLetter, Authority: authority, ContactID: c.ID,
		DueAt: r.clock.Now(), Rule: trays.RuleRestartLimit}); err != nil {
		t.Fatal(err)
	}
	action := "/trays/dead-letter/items/" + url.PathEscape(item) + "/close"
	field := "note-" + strings.NewReplacer("#", "-", ".", "-").Replace(item)

	w := r.browser()
	w.signIn("Wes Worker")
	if _, body := w.get("/trays/dead-letter"); !strings.Contains(body, string(c.Reference)) || strings.Contains(body, `/close"`) {
		t.Fatalf("a worker's Failed workflows tray: want the item, no Close form")
	}

	m := r.browser()
	m.signIn("Maya Manager")
	_, body := m.get("/trays/dead-letter")
	if !strings.Contains(body, `action="`+action+`"`) || !strings.Contains(body, `name="`+field+`"`) {
		t.Fatalf("no Close form on the Failed workflows tray")
	}
	st, body := m.post(action, url.Values{field: {"  "}})
	if st != http.StatusBadRequest || !strings.Contains(body, `id="`+field+`-error"`) || !strings.Contains(body, `href="#`+field+`"`) {
		t.Fatalf("close without a note: %d", st)
	}
	note := "restored the decision step's permission; decided the contact by hand"
	if st, _ := m.post(action, url.Values{field: {note}}); st != http.StatusOK {
		t.Fatalf("close: %d", st)
	}
	if _, body := m.get("/trays/dead-letter"); strings.Contains(body, string(c.Reference)) {
		t.Fatal("the closed item is still on the tray")
	}
	it, err := r.suite.Store.GetTrayItem(ctx, item)
	if err != nil || it.CompletedBy != "Maya Manager" {
		t.Fatalf("closed item: %+v %v", it, err)
	}
	evs, _ := r.suite.Store.ListAudit(ctx, c.ID)
	if !slices.ContainsFunc(evs, func(e store.AuditEvent) bool {
		return e.Action == trays.ActionItemClosed && e.Actor == "Maya Manager" && e.Reason == note && e.Detail["item"] == item
	}) {
		t.Fatal("the closure is not on the contact's history")
	}
}
