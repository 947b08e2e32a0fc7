package storetest

import (
	"errors"
	"slices"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

// The retention job's deletes of records that are not contacts (issue #16): completed tray items listed by
// completion time and deleted (an open one refused), quarantine items listed whatever their state and deleted
// with their trail after their raw message (a failed blob delete deletes nothing), a consultation with its
// trail, and chosen events of a trail that is not a contact's (a contact's trail refused). Each writes its
// tombstone on the retention trail; nothing else is touched.
func testDeleteRecords(e *env) {
	t, ctx := e.t, e.ctx
	del, ok := e.s.(store.Retention)
	if !ok {
		t.Fatalf("%T does not implement store.Retention", e.s)
	}
	trail := store.RetentionTrail("la-a")
	tomb := func(kind, id string) store.AuditEvent {
		return store.AuditEvent{ContactID: trail, Actor: "retention", Action: "retention.deleted", Detail: map[string]string{"kind": kind, "id": id}}
	}

	// Tray items: listed once completed, by completion time, per authority.
	done, err := e.s.PutTrayItem(ctx, store.TrayItem{Tray: "rating", Authority: "la-a", DueAt: T0.Add(time.Hour)})
	must(t, err)
	open, err := e.s.PutTrayItem(ctx, store.TrayItem{Tray: "rating", Authority: "la-a", DueAt: T0.Add(time.Hour)})
	must(t, err)
	other, err := e.s.PutTrayItem(ctx, store.TrayItem{Tray: "rating", Authority: "la-b", DueAt: T0.Add(time.Hour)})
	must(t, err)
	e.clk.Advance(time.Minute)
	_, err = e.s.CompleteTrayItem(ctx, done.ID, "mgr")
	must(t, err)
	_, err = e.s.CompleteTrayItem(ctx, other.ID, "mgr")
	must(t, err)
	if l, err := del.DoneTrayItems(ctx, "la-a", T0.Add(time.Minute)); err != nil || len(l) != 0 {
		t.Errorf("completed at T0+1m listed as completed before it: %v %v", l, err)
	}
	l, err := del.DoneTrayItems(ctx, "la-a", T0.Add(time.Hour))
	must(t, err)
	if len(l) != 1 || l[0].ID != done.ID {
		t.Fatalf("done tray items %+v, want %s", l, done.ID)
	}
	_, err = del.DeleteTrayItems(ctx, []string{done.ID, open.ID}, tomb("tray-items", ""))
	wantCode(t, err, domain.CodeConflict)
	if _, err := e.s.GetTrayItem(ctx, done.ID); err != nil {
		t.Fatalf("a refused delete deleted: %v", err)
	}
	n, err := del.DeleteTrayItems(ctx, []string{done.ID, "no-such-item"}, tomb("tray-items", ""))
	must(t, err)
	if _, err := e.s.GetTrayItem(ctx, done.ID); n != 1 || domain.ErrorCode(err) != domain.CodeNotFound {
		t.Errorf("deleted %d; the item: %v", n, err)
	}
	if _, err := e.s.GetTrayItem(ctx, open.ID); err != nil {
		t.Errorf("the open item went: %v", err)
	}

	// Quarantine: every item, held or released, listed; the raw message handed over first.
	held, err := e.s.Quarantine(ctx, store.QuarantineItem{Authority: "la-a", Reason: "virus", RawKey: "quarantine/la-a/q1.eml", Size: 10, ReceivedAt: T0})
	must(t, err)
	released, err := e.s.Quarantine(ctx, store.QuarantineItem{Authority: "la-a", Reason: "spam", RawKey: "quarantine/la-a/q2.eml", Size: 10, ReceivedAt: T0.Add(time.Second)})
	must(t, err)
	_, err = e.s.ReleaseQuarantine(ctx, released.ID, "mgr")
	must(t, err)
	qs, err := del.AllQuarantine(ctx, "la-a")
	must(t, err)
	if len(qs) != 2 || qs[0].ID != held.ID || qs[1].ID != released.ID || qs[1].ReleasedAt.IsZero() {
		t.Fatalf("all quarantine %+v", qs)
	}
	if _, err := del.DeleteQuarantine(ctx, held.ID, tomb("quarantine", held.ID), func([]string) error { return errors.New("s3 down") }); err == nil {
		t.Fatal("a failed blob delete was not returned")
	}
	if _, err := e.s.GetQuarantine(ctx, held.ID); err != nil {
		t.Fatalf("a failed blob delete deleted the item: %v", err)
	}
	var handed []string
	n, err = del.DeleteQuarantine(ctx, held.ID, tomb("quarantine", held.ID), func(k []string) error { handed = k; return nil })
	must(t, err)
	if n != 2 || !slices.Equal(handed, []string{"quarantine/la-a/q1.eml"}) { // the item and its "quarantined" event
		t.Errorf("deleted %d, blobs %v", n, handed)
	}
	if _, err := e.s.GetQuarantine(ctx, held.ID); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Errorf("the item is still there: %v", err)
	}
	if evs, err := e.s.ListAudit(ctx, domain.ContactID(held.ID)); err != nil || len(evs) != 0 {
		t.Errorf("its trail: %d events (%v)", len(evs), err)
	}
	if qs, _ := del.AllQuarantine(ctx, "la-a"); len(qs) != 1 || qs[0].ID != released.ID {
		t.Errorf("left %+v", qs)
	}
	_, err = del.DeleteQuarantine(ctx, held.ID, tomb("quarantine", held.ID), nil)
	wantCode(t, err, domain.CodeNotFound)

	// A consultation with its trail.
	k := &domain.Consultation{ID: domain.NewConsultationID(), Authority: "la-a", ReceivedAt: e.clk.Now(),
		Consultee: domain.Referrer{Name: "Ann Teacher", Email: "dsl@school.example"}, Concerns: "advice", RecordedBy: "officer-1"}
	must(t, e.s.CreateConsultation(ctx, k, store.Numbering{Prefix: "LAA", Year: 2027}, store.AuditEvent{Actor: "officer-1", Action: "consultation.recorded"}, nil))
	_, err = del.DeleteConsultation(ctx, k.ID, store.AuditEvent{ContactID: k.ID.AuditID(), Actor: "retention", Action: "retention.deleted"})
	wantCode(t, err, domain.CodeInvalid)
	n, err = del.DeleteConsultation(ctx, k.ID, tomb("consultation", string(k.ID)))
	must(t, err)
	if _, err := e.s.GetConsultation(ctx, k.ID); n != 2 || domain.ErrorCode(err) != domain.CodeNotFound {
		t.Errorf("deleted %d; the consultation: %v", n, err)
	}
	if l, _ := e.s.ListConsultations(ctx, "la-a"); len(l) != 0 {
		t.Errorf("still listed: %v", l)
	}
	if evs, _ := e.s.ListAudit(ctx, k.ID.AuditID()); len(evs) != 0 {
		t.Errorf("its trail: %d events", len(evs))
	}

	// Chosen events of a trail that is not a contact's.
	dir := store.DirectoryTrail("la-a")
	var ids []string
	for i := range 3 {
		e.clk.Advance(time.Second)
		ev, err := e.s.AppendAudit(ctx, store.AuditEvent{ContactID: dir, Actor: "admin", Action: "schools.imported", Detail: map[string]string{"n": string(rune('0' + i))}})
		must(t, err)
		ids = append(ids, ev.ID)
	}
	n, err = del.DeleteAudit(ctx, dir, []string{ids[0], ids[1], "no-such-event"}, tomb("audit", string(dir)))
	must(t, err)
	if evs, _ := e.s.ListAudit(ctx, dir); n != 2 || len(evs) != 1 || evs[0].ID != ids[2] {
		t.Errorf("deleted %d, left %+v", n, evs)
	}
	c := NewContact("la-a", "Kim", "Kept", dob, T0)
	must(t, e.s.CreateContact(ctx, c, store.IdempotencyKey{}, created("intake-email")))
	cev, _ := e.s.ListAudit(ctx, c.ID)
	_, err = del.DeleteAudit(ctx, c.ID, []string{cev[0].ID}, tomb("audit", string(c.ID)))
	wantCode(t, err, domain.CodeInvalid)
	_, err = del.DeleteAudit(ctx, k.ID.AuditID(), nil, tomb("audit", "x"))
	if err != nil && domain.ErrorCode(err) != domain.CodeInvalid {
		t.Errorf("a deleted consultation's id: %v", err)
	}

	tombs, err := e.s.ListAudit(ctx, trail)
	must(t, err)
	var kinds []string
	for _, ev := range tombs {
		kinds = append(kinds, ev.Detail["kind"])
	}
	slices.Sort(kinds)
	if !slices.Equal(kinds, []string{"audit", "consultation", "quarantine", "tray-items"}) {
		t.Errorf("tombstones %v", kinds)
	}
	if got, err := e.s.GetContact(ctx, c.ID); err != nil || got.ID != c.ID {
		t.Errorf("a contact went: %v", err)
	}
}

// An expired consultation's summary tray item goes with it, in the same atomic write as its own item: an
// open one (the summary never written) leaves the consultation-summary tray, a completed one is not left
// behind without its consultation; the tombstone says which it was. A consultation without one deletes as
// before, and another consultation's item is untouched.
func testDeleteConsultationTrayItem(e *env) {
	t, ctx := e.t, e.ctx
	del, ok := e.s.(store.Retention)
	if !ok {
		t.Fatalf("%T does not implement store.Retention", e.s)
	}
	trail := store.RetentionTrail("la-a")
	tray := string(domain.TrayConsultationSummary)
	consultation := func(item bool) *domain.Consultation {
		k := &domain.Consultation{ID: domain.NewConsultationID(), Authority: "la-a", ReceivedAt: e.clk.Now(),
			Consultee: domain.Referrer{Name: "Ann Teacher", Email: "dsl@school.example"}, Concerns: "advice", RecordedBy: "officer-1"}
		var items []store.TrayItem
		if item {
			items = []store.TrayItem{{ID: k.ID.SummaryItemID(), Tray: tray, Authority: "la-a", DueAt: T0.Add(48 * time.Hour)}}
		}
		must(t, e.s.CreateConsultation(ctx, k, store.Numbering{Prefix: "LAA", Year: 2027}, store.AuditEvent{Actor: "officer-1", Action: "consultation.recorded"}, items))
		return k
	}
	onTray := func(id string) bool {
		l, err := e.s.DueItems(ctx, tray, T0.Add(365*24*time.Hour), 0)
		must(t, err)
		return slices.ContainsFunc(l, func(it store.TrayItem) bool { return it.ID == id })
	}
	for _, tc := range []struct {
		name      string
		item      bool
		completed bool
		wantN     int    // the consultation, its "recorded" event and its tray item
		wantState string // the tombstone's trayItem
	}{
		{"open summary item: leaves the tray with it", true, false, 3, "open"},
		{"completed summary item: not left behind", true, true, 3, "completed"},
		{"no tray item", false, false, 2, ""},
	} {
		k := consultation(tc.item)
		kept := consultation(true) // another consultation's item stays
		if tc.completed {
			_, err := e.s.CompleteTrayItem(ctx, k.ID.SummaryItemID(), "worker")
			must(t, err)
		}
		if tc.item && !tc.completed && !onTray(k.ID.SummaryItemID()) {
			t.Fatalf("%s: the open item is not on its tray before the delete", tc.name)
		}
		n, err := del.DeleteConsultation(ctx, k.ID, store.AuditEvent{ContactID: trail, Actor: "retention", Action: "retention.deleted",
			Detail: map[string]string{"kind": "consultation", "id": string(k.ID)}})
		must(t, err)
		if n != tc.wantN {
			t.Errorf("%s: deleted %d items, want %d", tc.name, n, tc.wantN)
		}
		if _, err := e.s.GetTrayItem(ctx, k.ID.SummaryItemID()); domain.ErrorCode(err) != domain.CodeNotFound {
			t.Errorf("%s: its tray item is still there: %v", tc.name, err)
		}
		if onTray(k.ID.SummaryItemID()) {
			t.Errorf("%s: still on the %s tray", tc.name, tray)
		}
		if _, err := e.s.GetConsultation(ctx, k.ID); domain.ErrorCode(err) != domain.CodeNotFound {
			t.Errorf("%s: the consultation: %v", tc.name, err)
		}
		if !onTray(kept.ID.SummaryItemID()) {
			t.Errorf("%s: another consultation's open item left its tray", tc.name)
		}
		evs, err := e.s.ListAudit(ctx, trail)
		must(t, err)
		i := slices.IndexFunc(evs, func(ev store.AuditEvent) bool { return ev.Detail["id"] == string(k.ID) })
		if i < 0 || evs[i].Detail["trayItem"] != tc.wantState {
			t.Errorf("%s: tombstone %+v, want trayItem %q", tc.name, evs, tc.wantState)
		}
	}
}
