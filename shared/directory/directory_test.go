package directory_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/directory"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/internal/testkit"
	"github.com/safeguarding/mash/shared/notify"
	notifyfolder "github.com/safeguarding/mash/shared/notify/folder"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/embedded"
)

type rig struct {
	t      *testing.T
	st     *embedded.Store
	pol    *policy.Policy
	desk   directory.Desk
	outbox string
	now    time.Time
}

func newRig(t *testing.T) *rig {
	t.Helper()
	now := testkit.London(t, "2027-03-10 19:30") // a Wednesday evening in term
	st, err := embedded.OpenMemory(func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	pol, err := policy.Load("hackney")
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{t: t, st: st, pol: pol, outbox: t.TempDir(), now: now}
	policies := func(domain.AuthorityID) (*policy.Policy, error) { return pol, nil }
	clk := func() time.Time { return now }
	next := notify.Notifier{Composer: notify.Composer{ConsoleURL: "https://mash.example/console", Now: clk},
		Dispatcher: &notify.Dispatcher{Store: st, Sender: notifyfolder.Sender{Dir: r.outbox}, Now: clk, Policies: policies}}
	svc := &directory.Service{Store: st}
	r.desk = directory.Desk{Store: st, Policies: policies, Directory: svc, Now: clk,
		Notifier: directory.Notifier{Next: next, Directory: svc, Trays: st, Now: clk}}
	return r
}

const header = "urn,name,type,phase,postcode,open,dslEmail,deputyDslEmail,dslPhone\n"

func (r *rig) importCSV(csv string) (directory.Result, error) {
	rows, lines, err := directory.ParseCSV(strings.NewReader(csv))
	if err != nil {
		return directory.Result{}, err
	}
	return r.desk.Import(context.Background(), "hackney", "manager-ann", rows, lines)
}

const schoolsCSV = header +
	"100001,Northern Parade Junior School,Community school,Primary,E8 1AA,Open,dsl@northernparade-jun.hackney.sch.uk,deputy@northernparade-jun.hackney.sch.uk,020 7000 0001\n" +
	"100002,Northern Parade Infant School,Community school,Primary,E8 1AA,Open,dsl@northernparade-inf.hackney.sch.uk,,\n" +
	"100006,Old Gasworks Primary School,Community school,Primary,E2 8AA,Closed,dsl@oldgasworks.hackney.sch.uk,,\n"

// Each bad row is named by its row number and field, the good rows load, and the import is audited with
// the editor (issue 20 "Bad input").
func TestImport_BadRowsNamedByRowAndFieldGoodRowsLoad(t *testing.T) {
	r := newRig(t)
	csv := header +
		"100001,Good School,Community school,Primary,E8 1AA,Open,dsl@good.hackney.sch.uk,,\n" + // row 2
		"100002,Display Name,,,E8 1AA,Open,\"Ann DSL <ann@dn.hackney.sch.uk>\",,\n" + // row 3
		"100003,Comma List,,,E8 1AA,Open,\"a@cl.hackney.sch.uk, b@cl.hackney.sch.uk\",,\n" + // row 4
		"100004,Line Break,,,E8 1AA,Open,\"a@lb.hackney.sch.uk\r\nBcc: x@evil.example\",,\n" + // row 5
		"100005,Wrong Domain,,,E8 1AA,Open,dsl@gmail.com,,\n" + // row 6
		"100006,Twice A,,,E8 1AA,Open,,,\n" + // row 7
		"100006,Twice B,,,E8 1AA,Open,,,\n" + // row 8
		"12AB,Bad Everything,,,NOT A PC,maybe,,deputy@x.hackney.sch.uk,call me\n" // row 9
	res, err := r.importCSV(csv)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if res.Loaded != 1 {
		t.Errorf("loaded %d, want 1", res.Loaded)
	}
	want := map[string]string{"3.dslEmail": "display name", "4.dslEmail": "not a list", "5.dslEmail": "line break",
		"6.dslEmail": "allowed domain", "7.urn": "rows 7 and 8", "8.urn": "rows 8 and 7", "9.urn": "not a URN",
		"9.postcode": "postcode", "9.open": "true or false", "9.dslPhone": "phone"}
	got := map[string]string{}
	for _, e := range res.Rejected {
		got[strings.Join([]string{itoa(e.Row), e.Field}, ".")] = e.Message
	}
	for k, frag := range want {
		if !strings.Contains(got[k], frag) {
			t.Errorf("row.field %s: %q, want it to say %q", k, got[k], frag)
		}
	}
	if len(got) != len(want) {
		t.Errorf("rejected %v, want exactly %v", got, want)
	}
	schools, _ := r.st.ListSchools(context.Background(), "hackney")
	if len(schools) != 1 || schools[0].URN != "100001" || schools[0].UpdatedBy != "manager-ann" {
		t.Errorf("stored %+v", schools)
	}
	evs, _ := r.st.ListAudit(context.Background(), store.DirectoryTrail("hackney"))
	if len(evs) != 1 || evs[0].Actor != "manager-ann" || evs[0].Detail["rejectedRows"] != "7" {
		t.Errorf("audit %+v", evs)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func mustDate(t *testing.T, s string) domain.Date {
	d, err := domain.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestImport_WrongHeaderNamesTheMissingColumns(t *testing.T) {
	_, _, err := directory.ParseCSV(strings.NewReader("urn,school name,phase,postcode,open,dsl\n100001,A,,E8 1AA,Open,\n"))
	if domain.ErrorCode(err) != domain.CodeInvalid {
		t.Fatalf("err %v, want invalid", err)
	}
	for _, col := range []string{"name", "type", "dslEmail", "deputyDslEmail", "dslPhone"} {
		if !strings.Contains(err.Error(), col) {
			t.Errorf("%v does not name the missing column %s", err, col)
		}
	}
}

func TestImport_EveryRowBadLoadsNothingAndNamesEachRow(t *testing.T) {
	r := newRig(t)
	_, err := r.importCSV(header + "1,,,,,x,,,\n")
	if domain.ErrorCode(err) != domain.CodeInvalid || !strings.Contains(err.Error(), "row 2.urn") || !strings.Contains(err.Error(), "row 2.name") {
		t.Fatalf("err %v", err)
	}
	if v, _ := r.st.DirectoryVersion(context.Background(), "hackney"); v != 0 {
		t.Errorf("a refused import wrote (version %d)", v)
	}
}

func TestImport_JSONArrayOfTheSameFields(t *testing.T) {
	r := newRig(t)
	rows, lines, err := directory.ParseJSON([]byte(`[{"urn":"100001","name":"A School","type":"Academy","phase":"Primary","postcode":"e81aa","open":true,"dslEmail":"dsl@a.hackney.sch.uk","deputyDslEmail":"","dslPhone":""},
		{"urn":"100002","name":"B School","open":"closed"}]`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.desk.Import(context.Background(), "hackney", "system-import", rows, lines)
	if err != nil || res.Loaded != 2 {
		t.Fatalf("res %+v err %v", res, err)
	}
	s, _ := r.st.GetSchool(context.Background(), "hackney", "100001")
	if s.Postcode != "E8 1AA" || !s.Open {
		t.Errorf("school %+v", s)
	}
	if _, _, err := directory.ParseJSON([]byte(`[{"urn":"1","colour":"red"}]`)); domain.ErrorCode(err) != domain.CodeInvalid {
		t.Errorf("unknown key: %v", err)
	}
}

func (r *rig) ppn(school, address string) *domain.Contact {
	r.t.Helper()
	c := &domain.Contact{ID: domain.NewContactID(), Reference: "HAC-2027-000123", Authority: "hackney", Channel: domain.ChannelPPN,
		ReceivedAt: r.now, Status: domain.StatusReceived,
		Child:    domain.Child{GivenName: "Zebedee", FamilyName: "Canarybird", DateOfBirth: mustDate(r.t, "2018-05-01"), School: school, Address: address},
		Referrer: domain.Referrer{Name: "PC 123", Organisation: "Metropolitan Police"},
		Concerns: "domestic incident, child present", Flags: domain.Flags{PPN: true, DomesticAbuse: true},
		Consent: domain.Consent{Status: domain.ConsentNotSought}}
	if err := r.st.CreateContact(context.Background(), c, store.IdempotencyKey{}, store.AuditEvent{Actor: "police", Action: "contact.created"}); err != nil {
		r.t.Fatal(err)
	}
	return c
}

func (r *rig) encompass(c *domain.Contact) error {
	return r.desk.Notifier.Notify(context.Background(), notify.KindEncompass, r.pol, c, nil)
}

func (r *rig) messages() []string { return testkit.OutboxMessages(r.t, r.outbox) }

// Hackney: a PPN naming a listed school by a slightly different name reaches that school's DSL, copied to the
// deputy, before the next school day (Operation Encompass; issue 20 "Done when").
func TestHackney_Encompass_SlightlyDifferentNameReachesTheDSLCopiedToDeputy(t *testing.T) {
	r := newRig(t)
	if _, err := r.importCSV(schoolsCSV); err != nil {
		t.Fatal(err)
	}
	c := r.ppn("Northern Parade Jnr Sch", "1 Some Road, London E8 1AB")
	if err := r.encompass(c); err != nil {
		t.Fatal(err)
	}
	msgs := r.messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	if to, cc := testkit.Header(msgs[0], "To"), testkit.Header(msgs[0], "Cc"); to != "<dsl@northernparade-jun.hackney.sch.uk>" || cc != "<deputy@northernparade-jun.hackney.sch.uk>" {
		t.Errorf("To %q Cc %q", to, cc)
	}
	if strings.Contains(msgs[0], "Canarybird") || strings.Contains(testkit.Header(msgs[0], "Subject"), "Northern") {
		t.Errorf("personal data or the school in the message")
	}
	items, _ := r.st.DueItems(context.Background(), directory.TrayEncompassUnmatched, r.now.Add(72*time.Hour), 0)
	if len(items) != 0 {
		t.Errorf("a matched school put the contact on the tray: %+v", items)
	}
}

// No confident match: the Encompass lead is told with the candidates listed, and the contact waits on the
// encompass-unmatched tray until the Encompass deadline; a worker's pick sends the notice to the DSL at once.
func TestHackney_Encompass_UnmatchedGoesToLeadWithCandidatesThenWorkerPicks(t *testing.T) {
	r := newRig(t)
	if _, err := r.importCSV(schoolsCSV); err != nil {
		t.Fatal(err)
	}
	c := r.ppn("Northern Parade Primary", "")
	if err := r.encompass(c); err != nil {
		t.Fatal(err)
	}
	msgs := r.messages()
	if len(msgs) != 1 || testkit.Header(msgs[0], "To") != "<"+r.pol.Contacts.EncompassLead.Email+">" {
		t.Fatalf("messages %d, To %q", len(msgs), testkit.Header(msgs[0], "To"))
	}
	for _, want := range []string{"Northern Parade Junior School, URN 100001", "Northern Parade Infant School, URN 100002", "school's URN"} {
		if !strings.Contains(msgs[0], want) {
			t.Errorf("lead's notice does not list %q", want)
		}
	}
	// The lead picks the school in the console, not with an API call the email spelt out.
	if strings.Contains(msgs[0], "POST /v1") {
		t.Errorf("the lead's notice tells the Encompass lead to make an API call")
	}
	cal, _ := r.pol.Calendar()
	rule, _ := r.pol.Deadline(policy.RuleEncompass)
	due, _ := cal.Due(rule, r.now)
	items, _ := r.st.DueItems(context.Background(), directory.TrayEncompassUnmatched, due.Add(time.Second), 0)
	if len(items) != 1 || items[0].ContactID != c.ID || !items[0].DueAt.Equal(due) {
		t.Fatalf("tray %+v, want the contact due %v", items, due)
	}
	// A retry of the step sends nothing twice and adds no second item.
	if err := r.encompass(c); err != nil || len(r.messages()) != 1 {
		t.Fatalf("retry: %v, %d messages", err, len(r.messages()))
	}

	got, school, err := r.desk.PickSchool(context.Background(), c.ID, "100001", "worker-bob")
	if err != nil {
		t.Fatal(err)
	}
	if got.Child.SchoolURN != "100001" || school.Name != "Northern Parade Junior School" {
		t.Errorf("picked %+v %+v", got.Child, school)
	}
	msgs = r.messages()
	if len(msgs) != 2 {
		t.Fatalf("%d messages after the pick, want 2", len(msgs))
	}
	var toDSL bool
	for _, m := range msgs {
		toDSL = toDSL || testkit.Header(m, "To") == "<dsl@northernparade-jun.hackney.sch.uk>"
	}
	if !toDSL {
		t.Errorf("the pick sent no notice to the DSL")
	}
	if items, _ := r.st.DueItems(context.Background(), directory.TrayEncompassUnmatched, due.Add(time.Second), 0); len(items) != 0 {
		t.Errorf("still on the tray: %+v", items)
	}
	evs, _ := r.st.ListAudit(context.Background(), c.ID)
	if !slices.ContainsFunc(evs, func(e store.AuditEvent) bool { return e.Action == "encompass.school-picked" && e.Actor == "worker-bob" }) {
		t.Errorf("pick not audited with the worker: %+v", evs)
	}
	if _, _, err := r.desk.PickSchool(context.Background(), c.ID, "999999", "worker-bob"); domain.ErrorCode(err) != domain.CodeInvalid {
		t.Errorf("unknown URN: %v", err)
	}
}

// A closed school or a home-educated child goes to the local authority's named officer (the Encompass
// lead). A home-educated child has no school: nothing to pick, no tray item. A closed school on record means
// the child attends another school now: a worker is asked to pick it (the encompass-unmatched tray, due by the
// Encompass deadline), as for a school not found — before, nobody was asked and the school was never told.
func TestHackney_Encompass_ClosedSchoolAskedToPick_HomeEducatedToTheLead(t *testing.T) {
	for _, x := range []struct {
		school string
		asked  bool
	}{{"Old Gasworks Primary", true}, {"Home educated (EHE)", false}} {
		r := newRig(t)
		if _, err := r.importCSV(schoolsCSV); err != nil {
			t.Fatal(err)
		}
		c := r.ppn(x.school, "")
		if err := r.encompass(c); err != nil {
			t.Fatal(err)
		}
		msgs := r.messages()
		if len(msgs) != 1 || testkit.Header(msgs[0], "To") != "<"+r.pol.Contacts.EncompassLead.Email+">" {
			t.Fatalf("%s: to %q", x.school, testkit.Header(msgs[0], "To"))
		}
		items, _ := r.st.DueItems(context.Background(), directory.TrayEncompassUnmatched, r.now.Add(100*time.Hour), 0)
		if (len(items) == 1) != x.asked || len(items) > 1 {
			t.Errorf("%s: %d items on the encompass-unmatched tray, want asked %v", x.school, len(items), x.asked)
		}
	}
}

// The sample directories shipped under events/schools (the project's own fictional schools) load whole
// under each authority's policy: at least 200 schools, no row refused.
func TestSampleDirectories_LoadWithoutARefusedRow(t *testing.T) {
	for _, name := range []string{"barnet", "bexley", "hackney", "northamptonshire", "portsmouth"} {
		f, err := os.Open("../../events/schools/" + name + ".csv")
		if err != nil {
			t.Fatal(err)
		}
		rows, lines, err := directory.ParseCSV(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		p, err := policy.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		res := directory.Check(p, rows, lines)
		if res.Loaded < 200 || len(res.Rejected) != 0 {
			t.Errorf("%s: loaded %d, rejected %+v", name, res.Loaded, res.Rejected)
		}
	}
}

// Check requests go to the agency's MASH desk when the policy has its mailbox (Northamptonshire 002 §6a:
// CFSS for early help), with its phone; otherwise to the MASH inbox, marked not on record.
func TestNorthamptonshire_CheckRecipient_EarlyHelpToCFSSOthersToTheInbox(t *testing.T) {
	p, err := policy.Load("northamptonshire")
	if err != nil {
		t.Fatal(err)
	}
	d := directory.CheckRecipient(p, domain.AgencyEarlyHelp)
	if !d.OnRecord || d.Email != "CFSS@nctrust.co.uk" || d.Extra()[notify.ExtraAgencyPhone] != "01604 526963" {
		t.Errorf("early help desk %+v extra %v", d, d.Extra())
	}
	d = directory.CheckRecipient(p, domain.AgencyProbation)
	if d.OnRecord || d.Email != p.Contacts.MASHInbox.Email || len(d.Extra()) != 0 {
		t.Errorf("probation (no desk) %+v", d)
	}
}

// An officer who typed the DSL's address in the school field is taken at their word (notify checks the
// allow-list); the directory adds nothing and the contact is not put on the tray.
func TestHackney_Encompass_SchoolFieldIsAnAddress(t *testing.T) {
	r := newRig(t)
	if _, err := r.importCSV(schoolsCSV); err != nil {
		t.Fatal(err)
	}
	c := r.ppn("dsl@northernparade-jun.hackney.sch.uk", "")
	if err := r.encompass(c); err != nil {
		t.Fatal(err)
	}
	msgs := r.messages()
	if len(msgs) != 1 || testkit.Header(msgs[0], "To") != "<dsl@northernparade-jun.hackney.sch.uk>" {
		t.Fatalf("To %q", testkit.Header(msgs[0], "To"))
	}
	if items, _ := r.st.DueItems(context.Background(), directory.TrayEncompassUnmatched, r.now.Add(100*time.Hour), 0); len(items) != 0 {
		t.Errorf("on the tray: %+v", items)
	}
}
