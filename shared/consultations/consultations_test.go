package consultations_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/cases"
	"github.com/safeguarding/mash/shared/consultations"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/internal/steptest"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
)

func service(r *steptest.Rig) consultations.Service { return consultations.Service{Env: r.Env} }

// consultee is a school's DSL, a professional, as the worker records them.
func consultee() consultations.Consultee {
	return consultations.Consultee{Referrer: domain.Referrer{Name: "Ann Teacher", Organisation: "Hillman Street Primary", Email: "dsl@school.example"},
		Professional: yes()}
}

var zebedee = domain.Child{GivenName: "Zebedee", FamilyName: "Canarybird", DateOfBirth: domain.Date{Y: 2017, M: 4, D: 2}}

func yes() *bool { v := true; return &v }

func fields(err error) []string {
	var out []string
	if de, ok := err.(*domain.Error); ok {
		for _, f := range de.Fields {
			out = append(out, f.Field)
		}
	}
	return out
}

func names(err error, want ...string) bool {
	got := strings.Join(fields(err), ",")
	for _, w := range want {
		if !strings.Contains(","+got+",", ","+w+",") {
			return false
		}
	}
	return true
}

// Bexley §5–6: "A summary of the consultation will be recorded in the MASH and a copy sent to the person who
// sought the consultation, within 48 hours" — 48 clock hours from the consultation, whether or not the
// child's details were shared, on the consultation-summary tray until the summary is recorded.
func TestBexley_Consultation_WrittenSummaryWithin48Hours(t *testing.T) {
	for _, tc := range []struct {
		name, at, due string
		child         *domain.Child
	}{
		{"Wednesday, with the child's details (§5)", "2027-03-10 10:00", "2027-03-12 10:00", &zebedee},
		{"Friday afternoon, without them (§6): over the weekend", "2027-03-12 16:30", "2027-03-14 16:30", nil},
		{"the night the clocks go forward", "2027-03-27 12:00", "2027-03-29 13:00", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			r := steptest.New(t, steptest.London(t, tc.at))
			rec, err := service(r).Record(ctx, "bexley", consultations.Request{Consultee: consultee(), Child: tc.child,
				Concerns: "worried about a pupil", Advice: "speak to the family", RecordedBy: "officer-1"})
			if err != nil {
				t.Fatal(err)
			}
			k := rec.Consultation
			due := steptest.London(t, tc.due)
			if !k.Deadlines[policy.RuleConsultationSummary].Equal(due) {
				t.Fatalf("consultation-summary due %v, want %v", k.Deadlines[policy.RuleConsultationSummary], due)
			}
			it, err := r.Store.GetTrayItem(ctx, consultations.ItemID(k.ID))
			if err != nil || it.Tray != consultations.Tray || !it.DueAt.Equal(due) || it.Note != "consultation "+string(k.Reference) {
				t.Fatalf("tray item %+v %v", it, err)
			}
			if items, _ := r.Store.DueItems(ctx, string(domain.TrayRating), due.AddDate(1, 0, 0), 0); len(items) != 0 {
				t.Errorf("on the rating tray: %+v", items)
			}
			r.Clock.Advance(2 * time.Hour)
			k, err = service(r).Summarise(ctx, "bexley", string(k.Reference), "We discussed the pupil; advice: speak to the family.", "worker-1")
			if err != nil {
				t.Fatal(err)
			}
			if k.Summary == nil || k.Summary.SentTo != "dsl@school.example" {
				t.Errorf("summary %+v", k.Summary)
			}
			if it, _ := r.Store.GetTrayItem(ctx, consultations.ItemID(k.ID)); it.CompletedAt.IsZero() {
				t.Errorf("the summary's tray item is still open")
			}
			ns, _ := r.Store.ListNotifications(ctx, k.ID.AuditID())
			if len(ns) != 1 || ns[0].To[0] != "dsl@school.example" || strings.Contains(ns[0].Subject, "Canarybird") || !strings.Contains(ns[0].Subject, string(k.Reference)) {
				t.Errorf("messages %+v", ns)
			}
			if _, err := service(r).Summarise(ctx, "bexley", string(k.ID), "again", "worker-1"); domain.ErrorCode(err) != domain.CodeConflict {
				t.Errorf("a second summary: %v", err)
			}
		})
	}
}

// Bexley §6: "A consultation can be provided about a child without the child's details being shared. In
// these circumstances, no screening checks will be undertaken" — advice only.
func TestBexley_6_Consultation_WithoutChildDetails_NoChecks(t *testing.T) {
	r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
	_, err := service(r).Record(context.Background(), "bexley", consultations.Request{Consultee: consultee(), Concerns: "x", BasicChecks: true, RecordedBy: "o"})
	if domain.ErrorCode(err) != domain.CodeInvalid || !names(err, "basicChecks") {
		t.Fatalf("checks without the child's details: %v", err)
	}
	rec, err := service(r).Record(context.Background(), "bexley", consultations.Request{Consultee: consultee(), Concerns: "x", RecordedBy: "o"})
	if err != nil || rec.Consultation.Checks != nil || rec.Consultation.Child != nil {
		t.Fatalf("advice only: %+v %v", rec.Consultation, err)
	}
}

// Bexley §5: "If the person seeking the consultation shares the child's details, basic screening checks may
// be conducted as part of the consultation process and the consultation will be recorded on a contact
// record" — the child's details are kept with it, and the checks read the council's case records.
func TestBexley_5_Consultation_WithChildDetails_BasicChecksRecordedAgainstTheChild(t *testing.T) {
	ctx := context.Background()
	r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
	rows, err := cases.Parse([]byte("caseId,givenName,familyName,dateOfBirth,status,allocatedWorker,workerEmail\nLCS-1,Zebedee,Canarybird,2017-04-02,open,Sam Social,sam@bexley.example\n"))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := cases.Import(ctx, r.Store, "bexley", "test", rows, r.Clock.Now()); err != nil || res.Loaded != 1 {
		t.Fatalf("import %+v %v", res, err)
	}
	for _, tc := range []struct {
		name  string
		child domain.Child
		known bool
	}{
		{"a child with an open case", zebedee, true},
		{"a child the records do not hold", domain.Child{GivenName: "Ada", FamilyName: "Lovelace", DateOfBirth: domain.Date{Y: 2016, M: 2, D: 28}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			child := tc.child
			rec, err := service(r).Record(ctx, "bexley", consultations.Request{Consultee: consultee(), Child: &child, Concerns: "x", BasicChecks: true, RecordedBy: "worker-1"})
			if err != nil {
				t.Fatal(err)
			}
			k := rec.Consultation
			if k.Child == nil || k.Child.FamilyName != child.FamilyName {
				t.Errorf("the child's details are not recorded with the consultation: %+v", k.Child)
			}
			if k.Checks == nil || k.Checks.Known != tc.known || k.Checks.OpenCase != tc.known || (tc.known && k.Checks.AllocatedWorker != "Sam Social") {
				t.Errorf("checks %+v, want known %v", k.Checks, tc.known)
			}
			evs, _ := r.Store.ListAudit(ctx, k.ID.AuditID())
			if len(evs) != 1 || evs[0].Detail["childDetails"] != "recorded" || evs[0].Detail["basicChecks"] == "" {
				t.Errorf("audit %+v", evs)
			}
		})
	}
}

// Hackney §8: "the hub will keep a log of calls received … calls will not be recorded on Hackney Children and
// Families Services children's case files"; "The caller must have consult[ed] their Designated Safeguarding
// Lead first".
func TestHackney_8_Consultation_LogOfCallsOnly_NeverOnTheChildsRecord(t *testing.T) {
	ctx := context.Background()
	r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
	child := zebedee
	for _, tc := range []struct {
		name string
		req  consultations.Request
		bad  []string
	}{
		{"the child's details", consultations.Request{Consultee: consultee(), Child: &child, Concerns: "x", DSLConsulted: yes()}, []string{"child"}},
		{"no answer about the DSL", consultations.Request{Consultee: consultee(), Concerns: "x"}, []string{"dslConsulted"}},
		{"checks", consultations.Request{Consultee: consultee(), Concerns: "x", DSLConsulted: yes(), BasicChecks: true}, []string{"basicChecks"}},
		{"nothing said", consultations.Request{DSLConsulted: yes()}, []string{"consultee.name", "concerns"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.req.RecordedBy = "officer-1"
			_, err := service(r).Record(ctx, "hackney", tc.req)
			if domain.ErrorCode(err) != domain.CodeInvalid || !names(err, tc.bad...) {
				t.Errorf("error %v, want invalid naming %v", err, tc.bad)
			}
		})
	}
	rec, err := service(r).Record(ctx, "hackney", consultations.Request{Consultee: consultee(), Concerns: "x", DSLConsulted: yes(), RecordedBy: "officer-1"})
	if err != nil {
		t.Fatal(err)
	}
	k := rec.Consultation
	if k.Child != nil || len(k.Deadlines) != 0 || !strings.HasPrefix(string(k.Reference), "HAC-C-2027-") {
		t.Errorf("consultation %+v", k)
	}
	if _, err := r.Store.GetTrayItem(ctx, consultations.ItemID(k.ID)); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Errorf("a tray item for a policy with no written summary: %v", err)
	}
	if cs, _ := r.Store.ListContacts(ctx, "hackney", domain.StatusReceived); len(cs) != 0 {
		t.Errorf("a consultation made a contact")
	}
}

// Barnet "Consultation Line": "now open Monday to Friday between 11am and 12noon" — a call taken outside
// those hours is recorded all the same, and marked.
func TestBarnet_ConsultationLine_MondayToFriday11To12(t *testing.T) {
	for _, tc := range []struct {
		at      string
		outside bool
	}{
		{"2027-03-09 11:00", false}, // Tuesday
		{"2027-03-09 11:59", false},
		{"2027-03-09 12:00", true},
		{"2027-03-09 10:59", true},
		{"2027-03-13 11:30", true}, // Saturday
		{"2027-03-26 11:30", true}, // Good Friday: the MASH is closed
	} {
		t.Run(tc.at, func(t *testing.T) {
			r := steptest.New(t, steptest.London(t, tc.at))
			rec, err := service(r).Record(context.Background(), "barnet", consultations.Request{Consultee: consultee(), Concerns: "x", RecordedBy: "o"})
			if err != nil {
				t.Fatal(err)
			}
			if rec.Consultation.OutsideLineHours != tc.outside {
				t.Errorf("outside the line's hours %v, want %v", rec.Consultation.OutsideLineHours, tc.outside)
			}
		})
	}
}

// Portsmouth's seed describes no consultation line: recording one is refused (a conflict naming the policy);
// the call is recorded as a phone contact instead.
func TestPortsmouth_Consultation_NoneInTheSeed(t *testing.T) {
	r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
	_, err := service(r).Record(context.Background(), "portsmouth", consultations.Request{Consultee: consultee(), Concerns: "x", RecordedBy: "o"})
	if domain.ErrorCode(err) != domain.CodeConflict || !strings.Contains(err.Error(), "offers no consultations") {
		t.Fatalf("error %v", err)
	}
	var _ store.Consultations = r.Store
}

// Whether the consultee is a professional is never left to a default of false (a health visitor was recorded
// as a member of the public because the field was left out). Where the policy's line is for professionals
// only (Hackney §8 "an advice line for professionals", Northamptonshire §7, Barnet's consultation line for
// professionals) a consultee is one unless said otherwise, and one said to be a member of the public is
// refused naming consultee.professional; where anyone may call (Bexley §5 "the person making contact with
// the MASH") the worker must say which, and a consultation without it is refused naming the field and both
// values. The answer follows the consultation into the contact it becomes (consent expectations differ,
// Bexley §18).
func TestConsultee_Professional_SaidOrFromThePolicysLine(t *testing.T) {
	no := func() *bool { v := false; return &v }
	for _, tc := range []struct {
		authority   string
		said        *bool
		want        bool   // recorded professional
		bad, phrase string // the field refused and a phrase of its message
	}{
		{"hackney", nil, true, "", ""},
		{"hackney", yes(), true, "", ""},
		{"hackney", no(), false, "consultee.professional", "for professionals"},
		{"northamptonshire", nil, true, "", ""},
		{"barnet", nil, true, "", ""},
		{"barnet", no(), false, "consultee.professional", "must be true"},
		{"bexley", nil, false, "consultee.professional", "true (a professional"},
		{"bexley", yes(), true, "", ""},
		{"bexley", no(), false, "", ""},
	} {
		name := "not said"
		if tc.said != nil {
			name = fmt.Sprintf("said %v", *tc.said)
		}
		t.Run(tc.authority+"/"+name, func(t *testing.T) {
			r := steptest.New(t, steptest.London(t, "2027-03-09 11:30")) // a Tuesday, inside Barnet's line hours
			c := consultee()
			c.Professional = tc.said
			req := consultations.Request{Consultee: c, Concerns: "a worry about a child", RecordedBy: "officer-1"}
			if tc.authority == "hackney" {
				req.DSLConsulted = yes()
			}
			rec, err := service(r).Record(context.Background(), domain.AuthorityID(tc.authority), req)
			if tc.bad != "" {
				if domain.ErrorCode(err) != domain.CodeInvalid || !names(err, tc.bad) || !strings.Contains(err.Error(), tc.phrase) {
					t.Fatalf("error %v, want invalid naming %s with %q", err, tc.bad, tc.phrase)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := rec.Consultation.Consultee.Professional; got != tc.want {
				t.Errorf("recorded professional %v, want %v", got, tc.want)
			}
		})
	}
}

// A consultation recorded under a key (the console's form key) is recorded once: the same key again — the
// form sent twice — gives the first consultation, marked a duplicate, with no second reference, audit event or
// tray item; the key with other content is a conflict naming the first; another key is another consultation.
func TestConsultation_Key_SentAgainRecordsNothing(t *testing.T) {
	ctx := context.Background()
	r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
	child := zebedee
	req := consultations.Request{Consultee: consultee(), Child: &child, Concerns: "x", RecordedBy: "worker-1", Key: "form-1"}
	first, err := service(r).Record(ctx, "bexley", req)
	if err != nil || first.Duplicate || first.Consultation.ID != consultations.KeyedID("bexley", "form-1") {
		t.Fatalf("first: %+v %v", first, err)
	}
	again, err := service(r).Record(ctx, "bexley", req)
	if err != nil || !again.Duplicate || again.Consultation.ID != first.Consultation.ID || again.Consultation.Reference != first.Consultation.Reference {
		t.Fatalf("again: %+v %v", again, err)
	}
	changed := req
	changed.Concerns = "something else"
	if _, err := service(r).Record(ctx, "bexley", changed); domain.ErrorCode(err) != domain.CodeConflict || !strings.Contains(err.Error(), string(first.Consultation.Reference)) {
		t.Errorf("the key again with other concerns: %v, want a conflict naming %s", err, first.Consultation.Reference)
	}
	req.Key = "form-2"
	other, err := service(r).Record(ctx, "bexley", req)
	if err != nil || other.Duplicate || other.Consultation.Reference == first.Consultation.Reference {
		t.Fatalf("another key: %+v %v", other, err)
	}
	ks, err := r.Store.ListConsultations(ctx, "bexley")
	if err != nil || len(ks) != 2 {
		t.Fatalf("the log holds %d, want 2: %v", len(ks), err)
	}
	evs, err := r.Store.ListAudit(ctx, first.Consultation.ID.AuditID())
	if err != nil || len(evs) != 1 {
		t.Errorf("the first consultation's audit: %d events, want 1 (%v)", len(evs), err)
	}
	if consultations.KeyedID("bexley", "form-1") == consultations.KeyedID("hackney", "form-1") || !consultations.KeyedID("bexley", "x").Valid() {
		t.Error("a keyed id is not the authority's own, or not a consultation id")
	}
}

// closesFail is the store of an action that stops right after its write: every close of a tray item apart
// from a change fails.
type closesFail struct{ store.Store }

func (closesFail) CompleteTrayItem(context.Context, string, string) (store.TrayItem, error) {
	return store.TrayItem{}, fmt.Errorf("the action stopped after its write")
}

// Bexley §5–6: the written summary sent to the consultee and the close of its item on the consultation-summary
// tray are one write (store.Change.Closes), so an action stopping after that write cannot leave a summary sent
// and still owed on the tray (the item was closed after the write before). An item a worker has claimed is
// closed all the same, by the worker who wrote the summary.
func TestBexley_5_6_ConsultationSummary_ItsItemClosedInTheSameWrite(t *testing.T) {
	for _, claimed := range []bool{false, true} {
		t.Run(fmt.Sprintf("claimed %v", claimed), func(t *testing.T) {
			ctx := context.Background()
			r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
			rec, err := service(r).Record(ctx, "bexley", consultations.Request{Consultee: consultee(), Child: &zebedee,
				Concerns: "worried about a pupil", Advice: "speak to the family", RecordedBy: "officer-1"})
			if err != nil {
				t.Fatal(err)
			}
			k := rec.Consultation
			if claimed {
				if _, err := r.Store.ClaimTrayItem(ctx, consultations.ItemID(k.ID), "worker-2"); err != nil {
					t.Fatal(err)
				}
			}
			env := r.Env
			env.Store = closesFail{r.Store}
			k, err = consultations.Service{Env: env}.Summarise(ctx, "bexley", string(k.Reference), "We discussed the pupil.", "worker-1")
			if err != nil {
				t.Fatal(err)
			}
			if k.Summary == nil {
				t.Fatal("no summary recorded")
			}
			it, err := r.Store.GetTrayItem(ctx, consultations.ItemID(k.ID))
			if err != nil || it.CompletedAt.IsZero() || it.CompletedBy != "worker-1" {
				t.Errorf("the summary's item: closed at %v by %q (%v), want closed by worker-1 in the summary's write", it.CompletedAt, it.CompletedBy, err)
			}
		})
	}
}
