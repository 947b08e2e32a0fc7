package retention_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/consultations"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/internal/steptest"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/reports"
	"github.com/safeguarding/mash/shared/retention"
	"github.com/safeguarding/mash/shared/store"
)

// Records that are not contacts, on the fake clock with Hackney's periods (infra/authorities/hackney.yaml
// retention:, each assumed until the council's schedule replaces it): completed tray items go 2 years after
// completion, quarantined mail 2555 days after receipt (a held one's raw bytes with it; a released one's stay
// for the contacts it became), consultations 6 years after receipt, and events of the authority's own trails
// (the school directory and subject access requests that matched no child here) 6 years after each event. In each pair the record a day younger stays until its
// own day; an open
// tray item never goes; a tombstone still naming a household's mail stays. Each delete leaves a tombstone on
// the retention trail naming kind, rule and ids — never what the record said.
func TestRetention_RecordsThatAreNotContacts_DeletedTheDayTheyEnd(t *testing.T) {
	t0 := steptest.London(t, "2027-03-10 10:00")
	w := newWorld(t, t0)
	ctx := context.Background()
	st := w.r.Store
	day := 24 * time.Hour
	in := intake.Service{Env: w.r.Env, Blobs: w.blobs}
	const secret = "Zebedee Canarybird told us"

	// At t0 and a day later: a quarantined message, a completed tray item, a consultation, a directory import.
	type made struct {
		quarantine, tray, consultation, dirEvent string
		consultRef                               domain.Reference
	}
	var at [2]made
	for i := range at {
		w.r.Clock.Set(t0.Add(time.Duration(i) * day))
		res, err := in.Quarantine(ctx, w.p, intake.RawMail{Data: []byte("From: x@example.org\r\nSubject: " + secret + "\r\n\r\nbody " + string(rune('a'+i)))}, "virus")
		if err != nil {
			t.Fatal(err)
		}
		it, err := st.PutTrayItem(ctx, store.TrayItem{Tray: "rating", Authority: "hackney", DueAt: w.r.Clock.Now().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.CompleteTrayItem(ctx, it.ID, "mgr"); err != nil {
			t.Fatal(err)
		}
		k := &domain.Consultation{ID: domain.NewConsultationID(), Authority: "hackney", ReceivedAt: w.r.Clock.Now(),
			Consultee: domain.Referrer{Name: "Ann Teacher", Email: "dsl@school.example"}, Concerns: secret, RecordedBy: "officer"}
		if err := st.CreateConsultation(ctx, k, store.Numbering{Prefix: "HAC", Year: 2027}, store.AuditEvent{Actor: "officer", Action: "consultation.recorded"}, nil); err != nil {
			t.Fatal(err)
		}
		if err := st.PutSchools(ctx, "hackney", []store.School{{Authority: "hackney", URN: "100000", Name: "Amberdene Primary School"}},
			store.AuditEvent{Actor: "admin", Action: "schools.imported"}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := reports.SubjectAccess(ctx, st, "hackney", "Nobody", "Here", domain.Date{Y: 2015, M: 5, D: 5}, "dpo"); domain.ErrorCode(err) != domain.CodeNotFound {
			t.Fatalf("a subject access request matching no child: %v", err)
		}
		evs, err := st.ListAudit(ctx, store.DirectoryTrail("hackney"))
		if err != nil || len(evs) != i+1 {
			t.Fatalf("directory trail %v %v", evs, err)
		}
		at[i] = made{quarantine: res.QuarantineID, tray: it.ID, consultation: string(k.ID), dirEvent: evs[i].ID, consultRef: k.Reference}
	}
	// The first message released (its contacts keep its raw bytes); an open tray item; a tombstone that still
	// names a household's mail.
	if _, err := st.ReleaseQuarantine(ctx, at[0].quarantine, "mgr"); err != nil {
		t.Fatal(err)
	}
	open, err := st.PutTrayItem(ctx, store.TrayItem{Tray: "decision", Authority: "hackney", DueAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	w.r.Clock.Set(t0)
	household, err := st.AppendAudit(ctx, store.AuditEvent{ContactID: store.RetentionTrail("hackney"), Actor: retention.Actor, Action: retention.ActionDeleted,
		Detail: map[string]string{"kind": "contact", "contactId": "c_gone", "blobsKept": "raw/m1"}})
	if err != nil {
		t.Fatal(err)
	}

	q0, _ := st.GetQuarantine(ctx, at[0].quarantine)
	q1, _ := st.GetQuarantine(ctx, at[1].quarantine)
	blob := func(key string) bool { _, err := w.blobs.Get(ctx, key); return err == nil }
	exists := func(get func() error) bool {
		err := get()
		if err != nil && domain.ErrorCode(err) != domain.CodeNotFound {
			t.Fatal(err)
		}
		return err == nil
	}
	tray := func(id string) bool { return exists(func() error { _, err := st.GetTrayItem(ctx, id); return err }) }
	quar := func(id string) bool { return exists(func() error { _, err := st.GetQuarantine(ctx, id); return err }) }
	cons := func(id string) bool {
		return exists(func() error { _, err := st.GetConsultation(ctx, domain.ConsultationID(id)); return err })
	}
	dir := func(id string) bool {
		evs, err := st.ListAudit(ctx, store.DirectoryTrail("hackney"))
		if err != nil {
			t.Fatal(err)
		}
		return slices.ContainsFunc(evs, func(e store.AuditEvent) bool { return e.ID == id })
	}
	kinds := func(rep retention.Report) []string {
		var out []string
		for _, x := range rep.Records {
			out = append(out, x.Kind+" "+x.ID)
		}
		return out
	}

	for _, step := range []struct {
		name     string
		at       time.Time
		dry      bool
		want     []string // the report's records, kind and id
		trays    [2]bool
		quars    [2]bool
		blobs    [2]bool
		cons     [2]bool
		dirs     [2]bool
		deletes  int // tombstones of records on the retention trail so far
		tombLeft bool
	}{
		{"a minute before two years", t0.AddDate(2, 0, 0).Add(-time.Minute), false, nil,
			[2]bool{true, true}, [2]bool{true, true}, [2]bool{true, true}, [2]bool{true, true}, [2]bool{true, true}, 0, true},
		{"two years after the first completion", t0.AddDate(2, 0, 0), false, []string{"tray-items "},
			[2]bool{false, true}, [2]bool{true, true}, [2]bool{true, true}, [2]bool{true, true}, [2]bool{true, true}, 1, true},
		{"six years after the first consultation and import, a dry run", t0.AddDate(6, 0, 0), true,
			[]string{"audit " + string(store.DirectoryTrail("hackney")), "audit " + string(store.SARTrail("hackney")), "tray-items ", "consultation " + string(at[0].consultRef)},
			[2]bool{false, true}, [2]bool{true, true}, [2]bool{true, true}, [2]bool{true, true}, [2]bool{true, true}, 1, true},
		{"six years after the first consultation and import", t0.AddDate(6, 0, 0), false,
			[]string{"audit " + string(store.DirectoryTrail("hackney")), "audit " + string(store.SARTrail("hackney")), "tray-items ", "consultation " + string(at[0].consultRef)},
			[2]bool{false, false}, [2]bool{true, true}, [2]bool{true, true}, [2]bool{false, true}, [2]bool{false, true}, 5, true},
		{"2555 days after the first message", t0.AddDate(0, 0, 2555), false,
			[]string{"audit " + string(store.DirectoryTrail("hackney")), "audit " + string(store.SARTrail("hackney")), "quarantine " + at[0].quarantine, "consultation " + string(at[1].consultRef)},
			[2]bool{false, false}, [2]bool{false, true}, [2]bool{true, true}, [2]bool{false, false}, [2]bool{false, false}, 9, true},
		{"2555 days after the second message", t0.Add(day).AddDate(0, 0, 2555), false, []string{"quarantine " + at[1].quarantine},
			[2]bool{false, false}, [2]bool{false, false}, [2]bool{true, false}, [2]bool{false, false}, [2]bool{false, false}, 10, true},
	} {
		t.Run(step.name, func(t *testing.T) {
			w.r.Clock.Set(step.at)
			rep := w.run(step.dry)
			if got := kinds(rep); !slices.Equal(got, step.want) {
				t.Errorf("records %q, want %q", got, step.want)
			}
			for i := range 2 {
				if tray(at[i].tray) != step.trays[i] || quar(at[i].quarantine) != step.quars[i] || cons(at[i].consultation) != step.cons[i] ||
					dir(at[i].dirEvent) != step.dirs[i] {
					t.Errorf("record %d: tray %v quarantine %v consultation %v directory event %v, want %v %v %v %v", i,
						tray(at[i].tray), quar(at[i].quarantine), cons(at[i].consultation), dir(at[i].dirEvent),
						step.trays[i], step.quars[i], step.cons[i], step.dirs[i])
				}
			}
			if blob(q0.RawKey) != step.blobs[0] || blob(q1.RawKey) != step.blobs[1] {
				t.Errorf("raw bytes: released %v held %v, want %v", blob(q0.RawKey), blob(q1.RawKey), step.blobs)
			}
			if !tray(open.ID) {
				t.Error("an open tray item went")
			}
			evs, err := st.ListAudit(ctx, store.RetentionTrail("hackney"))
			if err != nil {
				t.Fatal(err)
			}
			var tombs []store.AuditEvent
			left := false
			for _, e := range evs {
				if e.ID == household.ID {
					left = true
				} else if e.Action == retention.ActionDeleted {
					tombs = append(tombs, e)
				}
			}
			if len(tombs) != step.deletes || left != step.tombLeft {
				t.Errorf("%d tombstones (household's kept: %v), want %d", len(tombs), left, step.deletes)
			}
			for _, e := range tombs {
				if strings.Contains(e.Reason+strings.Join(mapValues(e.Detail), " "), "Canarybird") || e.Detail["kind"] == "" || e.Detail["rule"] == "" {
					t.Errorf("tombstone %+v: kind and rule, never the content", e)
				}
			}
		})
	}
	// The quarantine tombstones say what was deleted and that a released message's bytes stayed.
	evs, _ := st.ListAudit(ctx, store.RetentionTrail("hackney"))
	var saw []string
	for _, e := range evs {
		if e.Detail["kind"] == retention.KindQuarantine {
			saw = append(saw, e.Detail["quarantineId"]+" "+e.Detail["state"]+" "+e.Detail["reason"]+" "+e.Detail["rawKept"])
		}
	}
	if want := []string{at[0].quarantine + " released virus the contacts it became", at[1].quarantine + " held virus "}; !slices.Equal(saw, want) {
		t.Errorf("quarantine tombstones %q, want %q", saw, want)
	}
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// Bexley §5–6 owes the consultee a written summary within 48 hours, on the consultation-summary tray until it
// is written. When the consultation's retention ends (retention.consultations: 6 years from receipt, assumed)
// the job deletes it, and its summary's open tray item goes in the same write — it would otherwise be left on
// the tray for a worker with nothing behind it; the tombstone says it was open. A written summary's completed
// item went earlier by its own rule (retention.trayItems: 2 years from completion).
func TestBexley_5_ExpiredConsultation_ItsSummaryItemLeavesTheTray(t *testing.T) {
	for _, tc := range []struct {
		name    string
		written bool   // the summary was written (its item completed) at once
		state   string // the consultation's tombstone's trayItem
		items   int    // deleted with the consultation: its item, its trail, its tray item
	}{
		{"summary never written: the open item leaves the tray with it", false, "open", 3},
		{"summary written: its completed item went by its own rule", true, "", 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t0 := steptest.London(t, "2027-03-10 10:00")
			w := newWorld(t, t0)
			p, err := policy.Load("bexley")
			if err != nil {
				t.Fatal(err)
			}
			w.p = p
			ctx := context.Background()
			svc := consultations.Service{Env: w.r.Env}
			rec, err := svc.Record(ctx, "bexley", consultations.Request{Consultee: consultations.Consultee{Referrer: domain.Referrer{Name: "Ann Teacher", Email: "dsl@school.example"}, Professional: func() *bool { v := true; return &v }()},
				Concerns: "a pupil withdrawn", Advice: "speak to mother", RecordedBy: "officer"})
			if err != nil {
				t.Fatal(err)
			}
			k := rec.Consultation
			onTray := func() bool {
				items, err := w.r.Store.DueItems(ctx, consultations.Tray, t0.AddDate(10, 0, 0), 0)
				if err != nil {
					t.Fatal(err)
				}
				return slices.ContainsFunc(items, func(it store.TrayItem) bool { return it.ID == consultations.ItemID(k.ID) })
			}
			if !onTray() {
				t.Fatal("the summary owed is not on the consultation-summary tray")
			}
			if tc.written {
				if _, err := svc.Summarise(ctx, "bexley", string(k.ID), "we discussed the pupil; advice: speak to mother", "worker"); err != nil {
					t.Fatal(err)
				}
			}
			consultation := func(rep retention.Report) []retention.Expired {
				var out []retention.Expired
				for _, x := range rep.Records {
					if x.Kind == retention.KindConsultation {
						out = append(out, x)
					}
				}
				return out
			}
			w.r.Clock.Set(t0.AddDate(6, 0, 0).Add(-time.Minute))
			if got := consultation(w.run(false)); len(got) != 0 || onTray() == tc.written {
				t.Fatalf("a minute early: deleted %+v; on the tray %v", got, onTray())
			}
			w.r.Clock.Set(t0.AddDate(6, 0, 0))
			if got := consultation(w.run(false)); len(got) != 1 || got[0].Items != tc.items {
				t.Fatalf("deleted %+v, want the consultation with %d items", got, tc.items)
			}
			if _, err := w.r.Store.GetTrayItem(ctx, consultations.ItemID(k.ID)); domain.ErrorCode(err) != domain.CodeNotFound || onTray() {
				t.Errorf("its tray item is still there (%v), on the tray %v", err, onTray())
			}
			evs, err := w.r.Store.ListAudit(ctx, store.RetentionTrail("bexley"))
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(evs, func(e store.AuditEvent) bool { return e.Detail["consultationId"] == string(k.ID) })
			if i < 0 || evs[i].Detail["trayItem"] != tc.state {
				t.Errorf("tombstones %+v, want one naming the consultation with trayItem %q", evs, tc.state)
			}
		})
	}
}

// retention.trayItems for the items kept beside a contact (Hackney's policy: 2 years, assumed): a contact's
// rating and decision waits and its partner checks' items on the checks tray are kept until 2 years after the
// contact ended — found through the ended contact, not an index entry per item — and go the day that ends, the
// checks' records staying with the contact; the job then records on the contact that nothing is left. An open
// contact's completed wait stays, however old.
func TestRetention_TrayItems_WaitsAndChecksGoTwoYearsAfterTheirContactEnded(t *testing.T) {
	t0 := steptest.London(t, "2027-03-10 10:00")
	w := newWorld(t, t0)
	ctx := context.Background()
	st := w.r.Store
	del := st.(store.Retention)
	if per := w.p.Retention.TrayItems; per.Years != 2 || per.From != "event" {
		t.Fatalf("the test assumes Hackney's 2 years from the event: %+v", per)
	}
	park := func(c domain.ContactID, tray string) string {
		id := store.WaitItemID(c, tray, "k")
		if _, err := st.PutTrayItem(ctx, store.TrayItem{ID: id, Tray: tray, Authority: "hackney", ContactID: c, DueAt: t0.Add(time.Hour), TaskToken: "tok"}); err != nil {
			t.Fatal(err)
		}
		return id
	}
	change := func(c domain.ContactID, ch store.Change) {
		t.Helper()
		if _, err := st.ChangeContact(ctx, c, func(*domain.Contact) (store.Change, error) { return ch, nil }); err != nil {
			t.Fatal(err)
		}
	}
	c := w.r.Contact("hackney", func(c *domain.Contact) {
		c.Status = domain.StatusAwaitingDecision
		c.Child.DateOfBirth = domain.Date{Y: 2015, M: 1, D: 1}
		c.Rating = &domain.RatingRecord{Value: domain.RatingGreen, Rationale: "seen", By: "mgr", At: t0}
	})
	open := w.r.Contact("hackney", nil)
	rating, decision, openRating := park(c.ID, "rating"), park(c.ID, "decision"), park(open.ID, "rating")
	check := string(c.ID) + "#checks#police-1"
	change(c.ID, store.Change{Events: []store.AuditEvent{{Actor: "partner-checks", Action: "check.requested"}},
		Checks:    []store.CheckWrite{{Request: &store.CheckRequest{ID: "police-1", Agency: domain.AgencyPolice, DueAt: t0.Add(4 * time.Hour)}}},
		TrayItems: []store.TrayItem{{ID: check, Tray: "checks", DueAt: t0.Add(4 * time.Hour)}}})
	change(c.ID, store.Change{Events: []store.AuditEvent{{Actor: "police", Action: "check.answered"}}, Closes: []store.ItemClose{{ID: rating, By: "mgr"}},
		Checks: []store.CheckWrite{{ID: "police-1", Answer: &store.CheckAnswer{By: "police", Summary: "known"}}}})
	change(open.ID, store.Change{Events: []store.AuditEvent{{Actor: "mgr", Action: "rating.set"}}, Closes: []store.ItemClose{{ID: openRating, By: "mgr"}}})
	w.r.Clock.Advance(24 * time.Hour)
	change(c.ID, store.Change{Events: []store.AuditEvent{{Actor: "mgr", Action: "decision.made"}}, Closes: []store.ItemClose{{ID: decision, By: "mgr"}}})
	w.r.Census(c.ID)
	if _, err := w.r.Env.Apply(ctx, w.p, c.ID, func(c *domain.Contact) (lifecycle.Result, error) {
		return lifecycle.Decide(w.p, c, w.r.Clock.Now(), lifecycle.Decision{Code: domain.OutcomeNFA, Term: "t", Rationale: "r", By: "mgr",
			FeedbackWithheldReason: "test"})
	}); err != nil {
		t.Fatal(err)
	}
	end := w.r.Get(c.ID).Outcome.At
	keptOf := func(id domain.ContactID) []string {
		l, err := del.KeptTrayItems(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range l {
			out = append(out, it.ID)
		}
		slices.Sort(out)
		return out
	}
	all := []string{check, decision, rating}
	slices.Sort(all)
	if got := keptOf(c.ID); !slices.Equal(got, all) {
		t.Fatalf("kept beside the contact %v, want %v", got, all)
	}
	if done, _ := del.DoneTrayItems(ctx, "hackney", end.AddDate(10, 0, 0)); len(done) != 0 {
		t.Fatalf("items kept beside their contact are on the index of completed items: %+v", done)
	}

	for _, step := range []struct {
		at         time.Time
		kept, open []string
		items      int
	}{
		{end.AddDate(2, 0, 0).Add(-time.Second), all, []string{openRating}, 0},
		{end.AddDate(2, 0, 0), nil, []string{openRating}, 3},
		{end.AddDate(5, 0, 0), nil, []string{openRating}, 0}, // marked: not read again; deleted whole at 6 years
	} {
		w.r.Clock.Set(step.at)
		rep := w.run(false)
		if got := keptOf(c.ID); !slices.Equal(got, step.kept) {
			t.Errorf("%v: kept beside the ended contact %v, want %v", step.at, got, step.kept)
		}
		if got := keptOf(open.ID); !slices.Equal(got, step.open) {
			t.Errorf("%v: kept beside the open contact %v, want %v", step.at, got, step.open)
		}
		n := 0
		for _, x := range rep.Records {
			if x.Kind == retention.KindTrayItems && x.ID == string(c.ID) && x.Rule == retention.RuleTrayItems {
				n += x.Items
			}
		}
		if n != step.items {
			t.Errorf("%v: the report's tray items of the contact %d, want %d: %+v", step.at, n, step.items, rep.Records)
		}
	}
	if q, err := st.GetCheck(ctx, c.ID, "police-1"); err != nil || q.Answer == nil {
		t.Errorf("the check's record after its item went: %+v %v", q, err)
	}
	if got := w.r.Get(c.ID); !got.TrayItemsExpired.Equal(end.AddDate(2, 0, 0)) {
		t.Errorf("the contact's mark %v, want the run that found nothing left", got.TrayItemsExpired)
	}
}
