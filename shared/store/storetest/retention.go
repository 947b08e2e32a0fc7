package storetest

import (
	"errors"
	"slices"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/retention"
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

// testKeptTrayItemsByTheirContact: the completed tray items kept beside a contact — its wait items and the items
// its check records keep — have no entry on the index of completed items; the retention job (shared/retention)
// finds them through their ended contact and deletes them once retention.trayItems has passed since the contact
// ended (and since each completed), not before: the wait deleted, the check's item stripped from its record,
// which stays. An open item and one whose completion is still owed are kept until they can go, and only then
// does the job record on the contact that nothing is left. An open contact's completed items are kept. An item
// on the index, as written before (a wait parked before, a check's item written apart), is deleted by the index's
// path, by its completion time.
func testKeptTrayItemsByTheirContact(e *env) {
	t, ctx := e.t, e.ctx
	del, ok := e.s.(store.Retention)
	if !ok {
		t.Fatalf("%T does not implement store.Retention", e.s)
	}
	const la = "la-r"
	p := &policy.Policy{Authority: la, Retention: policy.Retention{
		NoFurtherAction: policy.RetentionPeriod{Years: 6, From: "closure"},
		Referrals:       policy.RetentionPeriod{Years: 25, From: "birth"},
		Audit:           policy.RetentionPeriod{Years: 6, From: "event"},
		TrayItems:       policy.RetentionPeriod{Years: 2, From: "event"},
		Quarantine:      policy.RetentionPeriod{Days: 30, From: "receipt"},
		Consultations:   policy.RetentionPeriod{Years: 6, From: "event"},
	}}
	run := func(dry bool) retention.Report {
		t.Helper()
		rep, err := retention.Job{Store: retentionStore{e.s, del}, Policy: p, Now: e.clk.Now}.Run(ctx, dry)
		if err != nil {
			t.Fatalf("retention run at %v: %v", e.clk.Now(), err)
		}
		return rep
	}
	ids := func(l []store.TrayItem) []string {
		var out []string
		for _, it := range l {
			out = append(out, it.ID)
		}
		slices.Sort(out)
		return out
	}
	kept := func(c domain.ContactID) []string {
		t.Helper()
		l, err := del.KeptTrayItems(ctx, c)
		must(t, err)
		return ids(l)
	}
	sorted := func(l ...string) []string { slices.Sort(l); return l }

	// The contact that ends: two waits (one answered, one left open) and three checks (one answered, one
	// answered owing the workflow its completion, one old-shaped with its item apart), and a wait parked before
	// (an item apart, on the index).
	c := e.newContact(la, "Rae", "Ended")
	open := e.newContact(la, "Ola", "Open")
	wait := func(c domain.ContactID, tray, key string) string {
		id := store.WaitItemID(c, tray, key)
		_, err := e.s.PutTrayItem(ctx, store.TrayItem{ID: id, Tray: tray, Authority: la, ContactID: c, DueAt: T0.Add(time.Hour), TaskToken: "tok-" + key})
		must(t, err)
		return id
	}
	rating, decision, openRating := wait(c.ID, "rating", "k1"), wait(c.ID, "decision", "k2"), wait(open.ID, "rating", "k3")
	item := func(check string) string { return string(c.ID) + "#checks#" + check }
	_, err := e.s.ChangeContact(ctx, c.ID, func(x *domain.Contact) (store.Change, error) {
		ch := store.Change{Events: []store.AuditEvent{{Actor: "partner-checks", Action: "check.requested"}}}
		for _, id := range []string{"police-1", "health-1"} {
			ch.Checks = append(ch.Checks, store.CheckWrite{Request: &store.CheckRequest{ID: id, Agency: domain.AgencyPolice, DueAt: T0.Add(4 * time.Hour), TaskToken: "tok-w", Contract: 4}})
			ch.TrayItems = append(ch.TrayItems, store.TrayItem{ID: item(id), Tray: "checks", DueAt: T0.Add(4 * time.Hour), TaskToken: "tok-w", Contract: 4})
		}
		ch.Checks = append(ch.Checks, store.CheckWrite{Request: &store.CheckRequest{ID: "school-1", Agency: domain.AgencyEducation, DueAt: T0.Add(4 * time.Hour)}})
		return ch, nil
	})
	must(t, err)
	_, err = e.s.PutTrayItem(ctx, store.TrayItem{ID: item("school-1"), Tray: "checks", Authority: la, ContactID: c.ID, DueAt: T0.Add(4 * time.Hour)})
	must(t, err)
	legacy := string(c.ID) + "#decision#0123456789abcdef"
	_, err = e.s.PutTrayItem(ctx, store.TrayItem{ID: legacy, Tray: "decision", Authority: la, ContactID: c.ID, DueAt: T0.Add(time.Hour), TaskToken: "tok-old"})
	must(t, err)

	e.clk.Advance(time.Minute)
	cps := []store.Completion{{ID: item("health-1"), Tray: "checks", TaskToken: "tok-w", Output: []byte(`{"plan":1}`), By: "gp", Contract: 4}}
	_, err = e.s.ChangeContact(ctx, c.ID, func(x *domain.Contact) (store.Change, error) {
		return store.Change{Events: []store.AuditEvent{{Actor: "agencies", Action: "check.answered"}}, Completions: cps,
			Closes: []store.ItemClose{{ID: rating, By: "mgr"}, {ID: item("school-1"), By: "school"}},
			Checks: []store.CheckWrite{{ID: "police-1", Answer: &store.CheckAnswer{By: "police", Summary: "known"}},
				{ID: "health-1", Answer: &store.CheckAnswer{By: "gp", Summary: "not known"}},
				{ID: "school-1", Answer: &store.CheckAnswer{By: "school", Summary: "attends"}}}}, nil
	})
	must(t, err)
	_, err = e.s.CompleteTrayItem(ctx, legacy, "mgr")
	must(t, err)
	_, err = e.s.ChangeContact(ctx, open.ID, func(x *domain.Contact) (store.Change, error) {
		return store.Change{Events: []store.AuditEvent{{Actor: "mgr", Action: "rating.set"}}, Closes: []store.ItemClose{{ID: openRating, By: "mgr"}}}, nil
	})
	must(t, err)
	// Only the items kept apart are on the index of completed items; the others are found through their contact.
	done, err := del.DoneTrayItems(ctx, la, T0.Add(time.Hour))
	must(t, err)
	if got, want := ids(done), sorted(legacy, item("school-1")); !slices.Equal(got, want) {
		t.Fatalf("on the index of completed items: %v, want the items kept apart %v", got, want)
	}
	if got, want := kept(c.ID), sorted(rating, decision, item("police-1"), item("health-1")); !slices.Equal(got, want) {
		t.Fatalf("the contact's kept items %v, want %v", got, want)
	}

	// The contact ends three days later (no further action).
	e.clk.Advance(72 * time.Hour)
	end := e.clk.Now()
	_, err = e.s.ChangeContact(ctx, c.ID, func(x *domain.Contact) (store.Change, error) {
		x.Status = domain.StatusDecided
		x.Outcome = &domain.OutcomeRecord{Code: domain.OutcomeNFA, AuthorityTerm: "NFA", By: "mgr", At: end, Rationale: "r"}
		return store.Change{Events: []store.AuditEvent{{Actor: "mgr", Action: "decision.recorded"}}}, nil
	})
	must(t, err)

	// A day before 2 years from its end: the items apart, 2 years after their completion, go by the index; the
	// contact's own stay.
	e.clk.Set(end.AddDate(2, 0, -1))
	rep := run(false)
	if got, want := kept(c.ID), sorted(rating, decision, item("police-1"), item("health-1")); !slices.Equal(got, want) {
		t.Fatalf("before 2 years from the contact's end, its kept items %v, want %v", got, want)
	}
	for _, id := range []string{legacy, item("school-1")} {
		_, err := e.s.GetTrayItem(ctx, id)
		wantCode(t, err, domain.CodeNotFound)
	}
	if len(rep.Records) != 1 || rep.Records[0].Kind != retention.KindTrayItems || rep.Records[0].ID != "" || rep.Records[0].Items != 2 {
		t.Fatalf("the first run's records %+v, want the index's batch of 2", rep.Records)
	}

	// 2 years from its end: a dry run reports, then the run deletes the answered wait and strips the answered
	// check; the open wait and the check whose completion is owed stay, as does every check record; the open
	// contact's completed wait stays.
	e.clk.Set(end.AddDate(2, 0, 0))
	if rep := run(true); len(rep.Records) != 1 || rep.Records[0].ID != string(c.ID) || rep.Records[0].Items != 2 {
		t.Fatalf("the dry run's records %+v, want the contact's 2", rep.Records)
	}
	if got := kept(c.ID); len(got) != 4 {
		t.Fatalf("the dry run deleted: %v", got)
	}
	rep = run(false)
	if len(rep.Records) != 1 || rep.Records[0].Kind != retention.KindTrayItems || rep.Records[0].ID != string(c.ID) || rep.Records[0].Items != 2 ||
		rep.Records[0].Rule != retention.RuleTrayItems {
		t.Fatalf("the run's records %+v, want the contact's 2", rep.Records)
	}
	if got, want := kept(c.ID), sorted(decision, item("health-1")); !slices.Equal(got, want) {
		t.Fatalf("after 2 years from the contact's end, its kept items %v, want the open wait and the owed check %v", got, want)
	}
	_, err = e.s.GetTrayItem(ctx, rating)
	wantCode(t, err, domain.CodeNotFound)
	for _, id := range []string{"police-1", "health-1", "school-1"} {
		if q, err := e.s.GetCheck(ctx, c.ID, id); err != nil || q.Answer == nil {
			t.Fatalf("check %s after the run: %+v %v", id, q, err)
		}
	}
	if got := kept(open.ID); !slices.Equal(got, []string{openRating}) {
		t.Fatalf("the open contact's completed wait went: %v", got)
	}
	tombs, err := e.s.ListAudit(ctx, store.RetentionTrail(la))
	must(t, err)
	if !slices.ContainsFunc(tombs, func(ev store.AuditEvent) bool {
		return ev.Action == retention.ActionDeleted && ev.Detail["kind"] == retention.KindTrayItems && ev.Detail["contactId"] == string(c.ID) && ev.Detail["items"] == "2"
	}) {
		t.Fatalf("no tombstone naming the contact's 2 items: %+v", tombs)
	}
	if got, _ := e.s.GetContact(ctx, c.ID); !got.TrayItemsExpired.IsZero() {
		t.Fatalf("marked with items left: %v", got.TrayItemsExpired)
	}

	// The owed completion ends (its item, completed long ago, goes at the next run), and the open wait is closed
	// by hand, now: it is kept 2 years from then.
	must(t, func() error { _, err := e.s.CompletionDoneLoaded(ctx, cps[0], "told"); return err }())
	_, err = e.s.CompleteTrayItem(ctx, decision, "mgr")
	must(t, err)
	closedAt := e.clk.Now()
	e.clk.Set(closedAt.AddDate(2, 0, 0).Add(-time.Second))
	if rep := run(false); len(rep.Records) != 1 || rep.Records[0].ID != string(c.ID) || rep.Records[0].Items != 1 ||
		!slices.Equal(kept(c.ID), []string{decision}) {
		t.Fatalf("after the completion ended, %+v; kept %v, want the wait completed less than 2 years ago", rep.Records, kept(c.ID))
	}
	if got, _ := e.s.GetContact(ctx, c.ID); !got.TrayItemsExpired.IsZero() {
		t.Fatalf("marked with an item left: %v", got.TrayItemsExpired)
	}
	e.clk.Set(closedAt.AddDate(2, 0, 0))
	if rep := run(false); len(rep.Records) != 1 || rep.Records[0].ID != string(c.ID) || rep.Records[0].Items != 1 {
		t.Fatalf("the last run's records %+v", rep.Records)
	}
	if got := kept(c.ID); len(got) != 0 {
		t.Fatalf("left %v", got)
	}
	// Nothing left: the contact records it (and is not read again for this end); the open contact's item stays.
	got, err := e.s.GetContact(ctx, c.ID)
	must(t, err)
	if !got.TrayItemsExpired.Equal(e.clk.Now()) {
		t.Fatalf("the contact's mark %v, want %v", got.TrayItemsExpired, e.clk.Now())
	}
	if evs, _ := e.s.ListAudit(ctx, c.ID); !slices.ContainsFunc(evs, func(ev store.AuditEvent) bool { return ev.Action == retention.ActionTrayItemsExpired }) {
		t.Fatalf("the mark is not audited: %+v", evs)
	}
	if rep := run(false); len(rep.Records) != 0 {
		t.Fatalf("a run after the mark: %+v", rep.Records)
	}
	if got := kept(open.ID); !slices.Equal(got, []string{openRating}) {
		t.Fatalf("the open contact's completed wait went: %v", got)
	}
}

type retentionStore struct {
	store.Store
	store.Retention
}
