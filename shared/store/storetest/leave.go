package storetest

import (
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

// testLeaveContact: a change that asks to leave the contact (store.CheckWrite.LeaveContact on its check writes) and sets nothing on it
// writes its items without it — the contact's version and time of update unchanged, its audit item and the
// check's answer (closing the check's item kept on its record) written; its check record, written under the
// version read, is its guard: a concurrent change of that record refuses it whole. A change that asks it but sets
// something on the contact (a field, an answer's restricted records counted on the contact) rewrites it, as
// ChangeContact does whatever it asks. Another change of the contact meanwhile leaves the guard to the check
// record alone.
func testLeaveContact(e *env) {
	t := e.t
	c := e.newContact("la-lv", "Ada", "Moss")
	item := func(check string) string { return string(c.ID) + "#checks#" + check }
	_, err := e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		c.Status = domain.StatusChecks
		ch := store.Change{Events: []store.AuditEvent{{Actor: "partner-checks", Action: "check.requested"}}}
		for _, id := range []string{"police-lv", "health-lv", "school-lv", "other-lv"} {
			ch.Checks = append(ch.Checks, store.CheckWrite{Request: &store.CheckRequest{ID: id, Agency: domain.AgencyPolice,
				DueAt: T0.Add(4 * time.Hour), TaskToken: "tok-lv", Contract: 4}})
			ch.TrayItems = append(ch.TrayItems, store.TrayItem{ID: item(id), Tray: "checks", DueAt: T0.Add(4 * time.Hour),
				Rule: "checks.green", TaskToken: "tok-lv", Contract: 4})
		}
		return ch, nil
	})
	must(t, err)
	loaded, err := e.s.GetContact(e.ctx, c.ID)
	must(t, err)
	trail := func() int {
		evs, err := e.s.ListAudit(e.ctx, c.ID)
		must(t, err)
		return len(evs)
	}
	events := trail()
	answer := func(from *domain.Contact, check string, read store.CheckRequest, a store.CheckAnswer, set func(*domain.Contact)) (*domain.Contact, error) {
		return e.s.ChangeLoaded(e.ctx, from, func(c *domain.Contact) (store.Change, error) {
			if set != nil {
				set(c)
			}
			return store.Change{Events: []store.AuditEvent{{Actor: a.By, Action: "check.answered", Detail: map[string]string{"check": check}}},
				Checks: []store.CheckWrite{{ID: check, Read: &read, Answer: &a, LeaveContact: true}},
				Closes: []store.ItemClose{{ID: item(check), By: a.By}}}, nil
		})
	}
	e.clk.Advance(time.Minute)
	police, err := e.s.GetCheck(e.ctx, c.ID, "police-lv")
	must(t, err)
	got, err := answer(loaded, "police-lv", police, store.CheckAnswer{By: "pc", Summary: "nothing known"}, nil)
	must(t, err)
	now, err := e.s.GetContact(e.ctx, c.ID)
	must(t, err)
	if got.Version != loaded.Version || now.Version != loaded.Version || !now.UpdatedAt.Equal(loaded.UpdatedAt) {
		t.Fatalf("a change setting nothing on the contact rewrote it: returned v%d, stored v%d updated %v; want v%d updated %v",
			got.Version, now.Version, now.UpdatedAt, loaded.Version, loaded.UpdatedAt)
	}
	if n := trail(); n != events+1 {
		t.Fatalf("trail %d events, want %d: the change's audit item is written", n, events+1)
	}
	answered, err := e.s.GetCheck(e.ctx, c.ID, "police-lv")
	must(t, err)
	if answered.Answer == nil || answered.Version != police.Version+1 {
		t.Fatalf("check %+v: want answered at version %d", answered, police.Version+1)
	}
	if it, err := e.s.GetTrayItem(e.ctx, item("police-lv")); err != nil || it.CompletedAt.IsZero() {
		t.Fatalf("the check's item %+v (%v): want closed in the change's write", it, err)
	}
	if open, completion, ok := answered.KeptItem(); !ok || open || completion {
		t.Fatalf("KeptItem of the answered check: open %v completion %v kept %v, want a closed item without a completion", open, completion, ok)
	}

	// The guard: a change of the check record since it was read refuses the change whole (nothing written), even
	// though the contact itself did not change.
	health, err := e.s.GetCheck(e.ctx, c.ID, "health-lv")
	must(t, err)
	if open, completion, ok := health.KeptItem(); !ok || !open || completion {
		t.Fatalf("KeptItem of an open check: open %v completion %v kept %v", open, completion, ok)
	}
	_, err = e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		return store.Change{Events: []store.AuditEvent{{Actor: "sla", Action: "check.overdue"}},
			Checks: []store.CheckWrite{{ID: "health-lv", Chase: &store.CheckChase{At: T0, Next: T0.Add(time.Hour)}}}}, nil
	})
	must(t, err)
	now, err = e.s.GetContact(e.ctx, c.ID)
	must(t, err)
	events = trail()
	_, err = answer(now, "health-lv", health, store.CheckAnswer{By: "gp", Summary: "stale"}, nil)
	wantCode(t, err, domain.CodeConflict)
	if n := trail(); n != events {
		t.Fatalf("a refused change wrote its audit item: %d events, want %d", n, events)
	}
	if h, _ := e.s.GetCheck(e.ctx, c.ID, "health-lv"); !h.Open() {
		t.Fatalf("a refused change answered the check: %+v", h.Answer)
	}

	// Asking to leave it but setting something on it: rewritten, under the version read.
	health, err = e.s.GetCheck(e.ctx, c.ID, "health-lv")
	must(t, err)
	got, err = answer(now, "health-lv", health, store.CheckAnswer{By: "gp", Summary: "known"}, func(c *domain.Contact) { c.Concerns += " (and more)" })
	must(t, err)
	if got.Version != now.Version+1 {
		t.Fatalf("a change setting a field: version %d, want %d (rewritten)", got.Version, now.Version+1)
	}
	// Restricted records given with an answer are counted on the contact (its Restricted notice): rewritten.
	school, err := e.s.GetCheck(e.ctx, c.ID, "school-lv")
	must(t, err)
	got2, err := answer(got, "school-lv", school, store.CheckAnswer{By: "pc", Summary: "one record",
		Restricted: []store.RestrictedRecord{{Source: "police", Classification: "intelligence", Text: "known to police", RecordedBy: "pc"}}}, nil)
	must(t, err)
	if stored, _ := e.s.GetContact(e.ctx, c.ID); got2.Version != got.Version+1 || stored.Version != got2.Version || stored.Restricted == nil || stored.Restricted.Records != 1 {
		t.Fatalf("an answer with restricted records: version %d (stored %d, restricted %+v), want %d with one record counted",
			got2.Version, stored.Version, stored.Restricted, got.Version+1)
	}
	// ChangeContact rewrites the contact whatever the change asks.
	other, err := e.s.GetCheck(e.ctx, c.ID, "other-lv")
	must(t, err)
	got3, err := e.s.ChangeContact(e.ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		return store.Change{Events: []store.AuditEvent{{Actor: "hv", Action: "check.answered"}},
			Checks: []store.CheckWrite{{ID: "other-lv", Read: &other, Answer: &store.CheckAnswer{By: "hv", Summary: "none"}, LeaveContact: true}}}, nil
	})
	must(t, err)
	if got3.Version != got2.Version+1 {
		t.Fatalf("ChangeContact asking to leave the contact: version %d, want %d (rewritten)", got3.Version, got2.Version+1)
	}
}
