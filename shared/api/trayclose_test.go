package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/trays"
)

// A contact whose workflow could not be restarted sits on the dead-letter tray until a person has fixed the
// cause (docs/operations.md, WorkflowRestartLimitReached); a message the outbox gave up on sits on the
// undeliverable tray until a person has told its recipient another way. Nothing else closes either: a manager
// closes the item with a note of what was done, audited on the contact's trail, and closing it again changes
// nothing.
func TestTrays_APersonClosesADeadLetterWithANote(t *testing.T) {
	rg := newRig(t)
	ctx := context.Background()
	id := rg.newReferral(referrer, canaryReferral())
	// The sweep puts this item when the restart limit is reached (TestSweep tests that path); here it is the
	// starting point.
	item := trays.RestartLimitItemID(id, 1)
	if _, err := rg.suite.Store.PutTrayItem(ctx, store.TrayItem{ID: item, Tray: trays.DeadLetter, Authority: hackney, ContactID: id,
		DueAt: rg.clock.Now(), Rule: trays.RuleRestartLimit, Note: "stuck"}); err != nil {
		t.Fatal(err)
	}
	path := func(tray, item string) string {
		return "/v1/trays/" + tray + "/items/" + url.PathEscape(item) + "/close"
	}
	note := map[string]any{"note": "the decision step's permission was restored; the contact was decided by hand"}

	rg.must(http.StatusForbidden, worker, "POST", path(trays.DeadLetter, item), note)

	// Each bad field named, the trays a person closes listed.
	r := rg.must(http.StatusBadRequest, manager, "POST", path(trays.Rating, item), map[string]any{"note": "  "})
	for _, want := range []string{`"tray"`, `"note"`, "dead-letter", "undeliverable"} {
		if !strings.Contains(string(r.body), want) {
			t.Errorf("400 does not say %s: %s", want, r.body)
		}
	}
	r = rg.must(http.StatusBadRequest, manager, "POST", path(trays.DeadLetter, item), map[string]any{})
	if !strings.Contains(string(r.body), `"note"`) {
		t.Errorf("400 does not name note: %s", r.body)
	}
	rg.must(http.StatusNotFound, manager, "POST", path(trays.DeadLetter, "no-such-item"), note)
	// Another authority's item is not found here.
	bex := rg.suite.API(bexley, headerAuthFor(bexley))
	if r := rg.do(bex, manager, "POST", path(trays.DeadLetter, item), note); r.status != http.StatusNotFound {
		t.Errorf("bexley closes hackney's item: %d %s", r.status, r.body)
	}
	if it, _ := rg.suite.Store.GetTrayItem(ctx, item); !it.CompletedAt.IsZero() {
		t.Fatalf("a refused close closed the item: %+v", it)
	}

	var closed store.TrayItem
	if err := json.Unmarshal(rg.must(http.StatusOK, manager, "POST", path(trays.DeadLetter, item), note).body, &closed); err != nil {
		t.Fatal(err)
	}
	if closed.ID != item || closed.CompletedBy != manager.subject || closed.CompletedAt.IsZero() {
		t.Errorf("closed item: %+v", closed)
	}
	var tray struct{ Items []store.TrayItem }
	if err := json.Unmarshal(rg.must(http.StatusOK, manager, "GET", "/v1/trays/"+trays.DeadLetter, nil).body, &tray); err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(tray.Items, func(it store.TrayItem) bool { return it.ID == item }) {
		t.Errorf("the closed item is still on the tray")
	}

	// Idempotent: the item as it is, no second event.
	var again store.TrayItem
	if err := json.Unmarshal(rg.must(http.StatusOK, manager, "POST", path(trays.DeadLetter, item), map[string]any{"note": "again"}).body, &again); err != nil {
		t.Fatal(err)
	}
	if !again.CompletedAt.Equal(closed.CompletedAt) || again.CompletedBy != closed.CompletedBy {
		t.Errorf("second close changed the item: %+v, was %+v", again, closed)
	}
	evs, err := rg.suite.Store.ListAudit(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var got []store.AuditEvent
	for _, e := range evs {
		if e.Action == trays.ActionItemClosed {
			got = append(got, e)
		}
	}
	if len(got) != 1 || got[0].Actor != manager.subject || got[0].Reason != note["note"] || got[0].Detail["item"] != item ||
		got[0].Detail["tray"] != trays.DeadLetter || got[0].At.IsZero() {
		t.Errorf("closure events on the contact's trail: %+v", got)
	}
}

// A message about no contact that could not be delivered is closed the same way; its closure is recorded on
// the authority's tray trail, as there is no contact to record it on.
func TestTrays_APersonClosesAnUndeliverableMessageAboutNoContact(t *testing.T) {
	rg := newRig(t)
	ctx := context.Background()
	item := "ntf-1#" + string(domain.TrayUndeliverable)
	if _, err := rg.suite.Store.PutTrayItem(ctx, store.TrayItem{ID: item, Tray: string(domain.TrayUndeliverable), Authority: hackney,
		DueAt: rg.clock.Now(), Rule: "recipient-invalid"}); err != nil {
		t.Fatal(err)
	}
	rg.must(http.StatusOK, manager, "POST", "/v1/trays/undeliverable/items/"+url.PathEscape(item)+"/close",
		map[string]any{"note": "phoned the school's DSL with the notice"})
	evs, err := rg.suite.Store.ListAudit(ctx, trays.TrayTrail(hackney))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(evs, func(e store.AuditEvent) bool {
		return e.Action == trays.ActionItemClosed && e.Actor == manager.subject && e.Detail["item"] == item
	}) {
		t.Errorf("no closure on the tray trail: %+v", evs)
	}
}
