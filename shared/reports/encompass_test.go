package reports_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/directory"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/internal/steptest"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/reports"
	"github.com/safeguarding/mash/shared/store"
)

const encompassSchools = "urn,name,type,phase,postcode,open,dslEmail,deputyDslEmail,dslPhone\n" +
	"910001,Nettleley Junior School,Community school,Primary,PO5 8BL,Open,dsl@nettleley-junior.portsmouth.sch.uk,,\n" +
	"910011,Northern Parade Junior School,Community school,Primary,PO2 9NJ,Open,dsl@northernparade-jun.portsmouth.sch.uk,,\n" +
	"910012,Northern Parade Infant School,Community school,Primary,PO2 9NJ,Open,dsl@northernparade-inf.portsmouth.sch.uk,,\n" +
	"910020,Old Gasworks Primary School,Community school,Primary,PO1 1AA,Closed,dsl@oldgasworks.portsmouth.sch.uk,,\n" +
	"910030,Quayside Academy,Academy,Secondary,PO3 5QA,Open,,,\n"

// Portsmouth §4.9 (Operation Encompass: PPNs shared with the child's school; in law the school is told before
// the start of the next school day): the encompass clock is met only when the child's school's DSL was told
// in time, through the real intake addressing (the school directory), the contact's own write and a
// worker's pick. A notice that reached only the Encompass lead because the school is ambiguous, unknown,
// closed or has no DSL address is not done: the clock stops when a worker picks the school and its DSL is
// told (a closed school on record asks a worker to pick the child's current one, as an unknown school does).
// A child with no school to tell — recorded as educated at home, or under school age (below 4, or unborn)
// with no school or setting named — is met by the lead's notice: the lead is whom it is for, and no worker is
// asked to pick. An audit event from before the told key is read by whom it was shared with.
// The DeadlinesMet/DeadlinesMissed metric (the EncompassMissed alarm) reads the same items.
func TestPortsmouth_4_9_OperationEncompass_SchoolToldBeforeNextSchoolDay(t *testing.T) {
	t0 := steptest.London(t, "2027-03-10 19:30") // a Wednesday evening in term: due Thursday 08:45
	r := steptest.New(t, t0)
	ctx := context.Background()
	p, err := policy.Load("portsmouth")
	if err != nil {
		t.Fatal(err)
	}
	svc := &directory.Service{Store: r.Store}
	nf := directory.Notifier{Next: r.Env.Notifier.(directory.Outbox), Directory: svc, Trays: r.Store, Now: r.Clock.Now}
	desk := directory.Desk{Store: r.Store, Policies: r.Env.Policies, Directory: svc, Notifier: nf, Now: r.Clock.Now}
	rows, lines, err := directory.ParseCSV(strings.NewReader(encompassSchools))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := desk.Import(ctx, "portsmouth", "manager-ann", rows, lines); err != nil || res.Loaded != 5 {
		t.Fatalf("import: %v %+v", err, res)
	}
	due := steptest.London(t, "2027-03-11 08:45")

	tests := []struct {
		name      string
		school    string        // as the officer wrote it
		pickEarly string        // URN a worker picks at 21:00, before the school day
		pickLate  string        // URN a worker picks at 10:00 on the school day, after it started
		state     string        // at now (Thursday 11:00)
		took      time.Duration // clock start to done, when done
		dob       domain.Date   // the child's date of birth (zero: the rig's child, aged 9)
		unborn    bool
		asked     bool // a worker is asked to pick the school (the encompass-unmatched tray)
		// old, when set, replaces the notice.queued event the addressing writes with one as written before the
		// told key existed: shared with these addresses.
		old []string
	}{
		{name: "matched: the DSL told at intake", school: "Nettleley Junior School", state: reports.Met, took: 0},
		{name: "ambiguous: only the lead told, nobody picked", asked: true, school: "Northern Parade School", state: reports.Missed},
		{name: "ambiguous: picked before the school day", asked: true, school: "Northern Parade School", pickEarly: "910011", state: reports.Met, took: 90 * time.Minute},
		{name: "not found: picked after the school day began", asked: true, school: "St Nowhere's", pickLate: "910001", state: reports.Missed, took: 14*time.Hour + 30*time.Minute},
		{name: "no school written, aged 9: lead only, nobody found the school", asked: true, school: "", state: reports.Missed},
		{name: "no school written, aged 3: under school age, nothing to tell", school: "", dob: domain.Date{Y: 2023, M: 9, D: 1}, state: reports.Met, took: 0},
		{name: "'None' written, aged 2: under school age, nothing to tell", school: "None", dob: domain.Date{Y: 2025, M: 1, D: 19}, state: reports.Met, took: 0},
		{name: "unborn: nothing to tell", school: "", unborn: true, state: reports.Met, took: 0},
		{name: "aged 3 at a named nursery not in the directory: a worker finds it", asked: true, school: "Little Acorns Day Nursery", dob: domain.Date{Y: 2023, M: 9, D: 1}, state: reports.Missed},
		{name: "closed school on record: picked before the school day", asked: true, school: "Old Gasworks Primary School", pickEarly: "910001", state: reports.Met, took: 90 * time.Minute},
		{name: "an event from before told, shared with the school's DSL", school: "Nettleley Junior School", old: []string{"dsl@nettleley-junior.portsmouth.sch.uk"}, state: reports.Met, took: 0},
		{name: "an event from before told, shared with the lead only", school: "Northern Parade School", old: []string{"encompass@portsmouthcc.gov.uk"}, state: reports.Missed},
		{name: "an event from before told, home-educated: the lead is whom it is for", school: "Home educated", old: []string{"encompass@portsmouthcc.gov.uk"}, state: reports.Met, took: 0},
		{name: "no DSL in the directory: lead only", asked: true, school: "Quayside Academy", state: reports.Missed},
		{name: "no DSL, picked school also has none: still not told", asked: true, school: "Quayside Academy", pickEarly: "910030", state: reports.Missed},
		{name: "closed school on record: lead only", asked: true, school: "Old Gasworks Primary School", state: reports.Missed},
		{name: "home-educated: the lead is whom the notice is for", school: "Home educated", state: reports.Met, took: 0},
	}
	ids := map[domain.ContactID]int{}
	for i, tt := range tests {
		c := r.Contact("portsmouth", func(c *domain.Contact) {
			c.Channel, c.Flags.PPN, c.Flags.DomesticAbuse, c.Child.School = domain.ChannelPPN, true, true, tt.school
			if !tt.dob.IsZero() {
				c.Child.DateOfBirth = tt.dob
			}
			if tt.unborn {
				c.Child.Unborn, c.Child.GivenName, c.Child.DateOfBirth = true, "", domain.Date{}
			}
		})
		ids[c.ID] = i
		// What intake does in the contact's own write: the lifecycle's notice, addressed from the directory.
		if _, err := r.Env.Apply(ctx, p, c.ID, func(c *domain.Contact) (lifecycle.Result, error) {
			res, err := lifecycle.Receive(p, c, "police")
			if err != nil {
				return res, err
			}
			for j, n := range res.Notices {
				x, items, err := nf.Address(ctx, n.Kind, p, c, n.Extra)
				if err != nil {
					return res, err
				}
				res.Notices[j].Extra = x
				res.TrayItems = append(res.TrayItems, items...)
			}
			if tt.old != nil {
				res.Notices, res.TrayItems = nil, nil
			}
			return res, nil
		}); err != nil {
			t.Fatalf("%s: receive: %v", tt.name, err)
		}
		if tt.old != nil {
			if _, err := r.Store.AppendAudit(ctx, store.AuditEvent{ContactID: c.ID, Actor: "police", Action: store.ActionNoticeQueued,
				SharedWith: tt.old, At: r.Clock.Now(), Detail: map[string]string{"kind": string(domain.NoticeEncompass), "transition": "received"}}); err != nil {
				t.Fatal(err)
			}
		}
		// A worker is asked to pick the school exactly when there is one to find and nobody is told yet.
		if _, err := r.Store.GetTrayItem(ctx, directory.UnmatchedItemID(c.ID)); (err == nil) != tt.asked {
			t.Errorf("%s: on the encompass-unmatched tray %v, want %v (%v)", tt.name, err == nil, tt.asked, err)
		}
	}
	pick := func(field func(int) string) {
		for id, i := range ids {
			if urn := field(i); urn != "" {
				if _, _, err := desk.PickSchool(ctx, id, urn, "worker-bob"); err != nil {
					t.Fatalf("%s: pick: %v", tests[i].name, err)
				}
			}
		}
	}
	r.Clock.Set(steptest.London(t, "2027-03-10 21:00"))
	pick(func(i int) string { return tests[i].pickEarly })
	r.Clock.Set(steptest.London(t, "2027-03-11 10:00"))
	pick(func(i int) string { return tests[i].pickLate })
	r.Clock.Set(steptest.London(t, "2027-03-11 11:00"))
	now := r.Clock.Now()

	recs, err := reports.Load(ctx, r.Store, "portsmouth")
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]reports.Item{}
	for _, it := range reports.Items(p, recs, now) {
		if it.Rule == policy.RuleEncompass {
			got[ids[it.ContactID]] = it
		}
	}
	wantMet, wantMissed := 0, 0
	for i, tt := range tests {
		it, ok := got[i]
		if !ok {
			t.Errorf("%s: no encompass deadline", tt.name)
			continue
		}
		if !it.Due.Equal(due) {
			t.Errorf("%s: due %v, want %v", tt.name, it.Due, due)
		}
		if it.State != tt.state {
			t.Errorf("%s: %s, want %s", tt.name, it.State, tt.state)
		}
		wantDone := tt.state == reports.Met || tt.pickLate != ""
		if (it.Done != nil) != wantDone {
			t.Errorf("%s: done %v, want done %v", tt.name, it.Done, wantDone)
		} else if it.Done != nil && it.Done.Sub(it.From).Round(time.Minute) != tt.took {
			t.Errorf("%s: took %v, want %v", tt.name, it.Done.Sub(it.From), tt.took)
		}
		if tt.state == reports.Met {
			wantMet++
		} else {
			wantMissed++
		}
	}

	rep := reports.Timeliness(p, recs, reports.Query{From: t0.Add(-time.Hour), To: now, Rule: policy.RuleEncompass}, now)
	if len(rep.Rows) != 1 || rep.Rows[0].Met != wantMet || rep.Rows[0].Missed != wantMissed || rep.Rows[0].Open != 0 {
		t.Errorf("report rows %+v, want met %d missed %d", rep.Rows, wantMet, wantMissed)
	}
	figs := map[string]float64{}
	for _, f := range reports.Figures(p, recs, now, reports.Window) {
		if f.Of == policy.RuleEncompass {
			figs[f.Name] = f.Value
		}
	}
	if figs[reports.MetricDeadlinesMet] != float64(wantMet) || figs[reports.MetricDeadlinesMissed] != float64(wantMissed) {
		t.Errorf("metric %v, want DeadlinesMet %d DeadlinesMissed %d (the EncompassMissed alarm)", figs, wantMet, wantMissed)
	}

	// Before the school day, a notice only the lead has is still open, not met.
	early := steptest.London(t, "2027-03-10 20:00")
	for _, it := range reports.Items(p, recs, early) {
		if tt := tests[ids[it.ContactID]]; it.Rule == policy.RuleEncompass && tt.school == "Northern Parade School" && it.Done == nil && it.State != reports.Open {
			t.Errorf("%s at 20:00: %s, want open", tt.name, it.State)
		}
	}
}
