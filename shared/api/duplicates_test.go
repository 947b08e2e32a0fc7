package api_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/flow"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/workflow"
)

// Linking two contacts records the relation on both, audited on each; linking again changes nothing.
func TestDuplicates_LinkBothWays(t *testing.T) {
	rg := newRig(t)
	a := rg.newReferral(referrer, canaryReferral())
	other := canaryReferral()
	other["concerns"] = "A neighbour reports shouting at the Canarybird home."
	b := rg.newReferral(referrer, other)
	rg.must(http.StatusForbidden, police, "POST", "/v1/contacts/"+string(a)+"/link", map[string]any{"contact": string(b)})
	if got := rg.must(http.StatusBadRequest, worker, "POST", "/v1/contacts/"+string(a)+"/link", map[string]any{"contact": "nonsense"}).errorFields(t); !slices.Equal(got, []string{"contact"}) {
		t.Errorf("bad other: fields %v", got)
	}
	if got := rg.must(http.StatusBadRequest, worker, "POST", "/v1/contacts/"+string(a)+"/link", map[string]any{"contact": string(a)}).errorFields(t); !slices.Equal(got, []string{"contact"}) {
		t.Errorf("itself: fields %v", got)
	}
	ref := rg.contactOf(b).Reference
	for range 2 {
		rg.must(http.StatusOK, worker, "POST", "/v1/contacts/"+string(a)+"/link", map[string]any{"contact": string(ref)})
	}
	ca, cb := rg.contactOf(a), rg.contactOf(b)
	if !slices.Contains(ca.LinkedTo, b) || !slices.Contains(cb.LinkedTo, a) {
		t.Fatalf("linkedTo: %v / %v", ca.LinkedTo, cb.LinkedTo)
	}
	for _, id := range []domain.ContactID{a, b} {
		evs, _ := rg.suite.Store.ListAudit(context.Background(), id)
		n := 0
		for _, e := range evs {
			if e.Action == "contact.linked" && e.Actor == worker.subject {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s: %d contact.linked events, want 1", id, n)
		}
	}
}

// Merging a duplicate waiting for its rating: its content becomes the primary's addendum (nothing lost:
// concerns, referrer, the parent not already there), both list each other, the duplicate is closed with
// the reason "merged" (audited on both) and its workflow ends: off the rating tray, never escalated. A
// second merge is a conflict; a worker may not merge.
func TestDuplicates_MergeKeepsEverythingAndClosesTheDuplicate(t *testing.T) {
	rg := newRig(t)
	p := rg.newReferral(referrer, canaryReferral())
	dup := canaryReferral()
	dup["concerns"] = "Health visitor: Zebedee missed two appointments; mother seemed frightened."
	dup["referrer"] = map[string]any{"name": "Hana Visitor", "organisation": "Example NHS Trust", "role": "health visitor", "email": "hana@nhs.example"}
	dup["parents"] = []any{map[string]any{"name": "Tom Canarybird", "relationship": "father"}}
	d := rg.newReferral(referrer, dup)
	if err := rg.suite.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := rg.contactOf(d)
	wait, err := workflow.OpenWait(context.Background(), rg.suite.Store, got, "rating")
	if err != nil || got.Status != domain.StatusAwaitingRating || wait == nil {
		t.Fatalf("the duplicate is not waiting for its rating: %s %+v %v", got.Status, wait, err)
	}
	item := wait.ID
	path := "/v1/contacts/" + string(p) + "/merge"
	rg.must(http.StatusForbidden, worker, "POST", path, map[string]any{"duplicate": string(d)})
	rg.must(http.StatusOK, manager, "POST", path, map[string]any{"duplicate": string(rg.contactOf(d).Reference)})

	pc, dc := rg.contactOf(p), rg.contactOf(d)
	for _, want := range []string{"Addendum: merged from " + string(dc.Reference), "missed two appointments", "Hana Visitor", "hana@nhs.example",
		"bruising"} {
		if !strings.Contains(pc.Concerns, want) {
			t.Errorf("the primary's concerns lack %q:\n%s", want, pc.Concerns)
		}
	}
	if !slices.ContainsFunc(pc.Parents, func(x domain.Parent) bool { return x.Name == "Tom Canarybird" }) || len(pc.Parents) != 2 {
		t.Errorf("parents: %+v", pc.Parents)
	}
	if !slices.Contains(pc.LinkedTo, d) || !slices.Contains(dc.LinkedTo, p) {
		t.Errorf("linkedTo: %v / %v", pc.LinkedTo, dc.LinkedTo)
	}
	if dc.Status != domain.StatusClosed || dc.Concerns != dup["concerns"] {
		t.Fatalf("the duplicate: %s, concerns %q", dc.Status, dc.Concerns)
	}
	devs, _ := rg.suite.Store.ListAudit(context.Background(), d)
	if !slices.ContainsFunc(devs, func(e store.AuditEvent) bool {
		return e.Action == "contact.closed" && e.Reason == "merged" && e.Actor == manager.subject && e.Detail["mergedInto"] == string(p)
	}) {
		t.Error("the duplicate's closing is not audited as merged")
	}
	pevs, _ := rg.suite.Store.ListAudit(context.Background(), p)
	if !slices.ContainsFunc(pevs, func(e store.AuditEvent) bool {
		return e.Action == "contact.merged-in" && e.Detail["duplicate"] == string(d)
	}) {
		t.Error("the merge is not audited on the primary")
	}
	if it, err := rg.suite.Store.GetTrayItem(context.Background(), item); err != nil || it.CompletedAt.IsZero() {
		t.Errorf("the duplicate's rating item is still open: %+v %v", it, err)
	}
	rg.must(http.StatusConflict, manager, "POST", path, map[string]any{"duplicate": string(d)})
	if states, st := rg.suite.Path(d); st != flow.Succeeded || states[len(states)-1] != "Merged" {
		t.Errorf("the duplicate's execution: %v %s, want it to end in Merged", states, st)
	}
	// Its wait has ended: days later nobody is told it is late.
	rg.clock.Advance(5 * 24 * time.Hour)
	if err := rg.suite.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	ns, _ := rg.suite.Store.ListNotifications(context.Background(), d)
	for _, n := range ns {
		if n.Kind == string(domain.NoticeEscalation) {
			t.Errorf("the merged duplicate was escalated: %s", n.ID)
		}
	}
	if got := rg.contactOf(d); got.Status != domain.StatusClosed {
		t.Errorf("after its workflow: %s", got.Status)
	}
}
