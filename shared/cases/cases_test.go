package cases_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/cases"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/internal/steptest"
	"github.com/safeguarding/mash/shared/screening"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/workflow"
)

const csvFile = `caseId,givenName,familyName,dateOfBirth,status,closedOn,unit,allocatedWorker,workerEmail,nhsNumber
LCS-1,Zebedee,Canarybird,02/04/2017,open,,Unit 3,Sam Worker,sam.worker@hackney.gov.uk,
LCS-2,Ada,Lovelace,31/02/2016,open,,Unit 3,Sam Worker,,
LCS-3,Bo,Peep,2015-01-01,reopened,,,,,
LCS-4,Cy,Twombly,2014-05-05,closed,2027-01-29,Unit 7,,,943 476 5919
`

// A bad row is named by row number and field and loads not at all; the good rows load; a second import of
// the same file rewrites the same entries (idempotent on the case id).
func TestCaseImport_BadRowsNamed_GoodRowsLoad_Idempotent(t *testing.T) {
	r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
	ctx := context.Background()
	rows, err := cases.Parse([]byte(csvFile))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		res, err := cases.Import(ctx, r.Store, "hackney", "test", rows, r.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		if res.Rows != 4 || res.Loaded != 2 {
			t.Fatalf("rows %d loaded %d, want 4 and 2", res.Rows, res.Loaded)
		}
		var named []string
		for _, e := range res.Rejected {
			named = append(named, e.CaseID+" row "+string(rune('0'+e.Row))+"."+e.Field)
		}
		if want := []string{"LCS-2 row 2.dateOfBirth", "LCS-3 row 3.status"}; !slices.Equal(named, want) {
			t.Fatalf("rejected %v, want %v (%+v)", named, want, res.Rejected)
		}
		if !strings.Contains(res.Rejected[1].Message, "open, closed") {
			t.Errorf("the status error does not list the allowed values: %s", res.Rejected[1].Message)
		}
	}
	for _, tc := range []struct {
		child domain.Child
		want  int
	}{
		{domain.Child{GivenName: "Zebedee", FamilyName: "Canarybird", DateOfBirth: domain.Date{Y: 2017, M: 4, D: 2}}, 1},
		{domain.Child{GivenName: "Cy", FamilyName: "Twombly", DateOfBirth: domain.Date{Y: 2014, M: 5, D: 5}}, 1},
		{domain.Child{GivenName: "Ada", FamilyName: "Lovelace", DateOfBirth: domain.Date{Y: 2016, M: 2, D: 28}}, 0},
	} {
		got, err := r.Store.FindChildren(ctx, "hackney", tc.child.IdentityKey())
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != tc.want {
			t.Errorf("%s: %d entries after two imports, want %d", tc.child.FamilyName, len(got), tc.want)
		}
	}
	if evs := r.Audit(store.CasesTrail("hackney")); len(evs) != 2 || evs[0].Action != "cases.imported" || evs[0].Actor != "test" {
		t.Errorf("audit trail %+v, want two cases.imported events by test", evs)
	}
}

// Every row refused: nothing is written, and the error names each row and field.
func TestCaseImport_NothingLoads_ErrorNamesEveryRow(t *testing.T) {
	r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
	rows, err := cases.Parse([]byte(`[{"givenName":"A","familyName":"B","dateOfBirth":"2030-01-01","status":"open","allocatedWorker":"x"},
		{"givenName":"C","familyName":"D","dateOfBirth":"2015-01-01","status":"closed","colour":"red"}]`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = cases.Import(context.Background(), r.Store, "hackney", "test", rows, r.Clock.Now())
	var de *domain.Error
	if !asErr(err, &de) || de.Code != domain.CodeInvalid {
		t.Fatalf("err %v, want invalid", err)
	}
	var fields []string
	for _, f := range de.Fields {
		fields = append(fields, f.Field)
	}
	if want := []string{"row 1.dateOfBirth", "row 2.closedOn", "row 2.colour", "row 2.unit"}; !slices.Equal(fields, want) {
		t.Errorf("fields %v, want %v", fields, want)
	}
}

// JSON lines, a JSON array and CSV read the same records.
func TestCaseImport_Formats(t *testing.T) {
	want := cases.Row{"caseId": "M-9", "givenName": "Jaden", "familyName": "Smith", "dateOfBirth": "2016-07-01", "status": "open", "workerEmail": "w@barnet.gov.uk"}
	for name, text := range map[string]string{
		"array": `[{"caseId":"M-9","givenName":"Jaden","familyName":"Smith","dateOfBirth":"2016-07-01","status":"open","workerEmail":"w@barnet.gov.uk"}]`,
		"lines": "{\"caseId\":\"M-9\",\"givenName\":\"Jaden\",\"familyName\":\"Smith\",\"dateOfBirth\":\"2016-07-01\",\"status\":\"open\",\"workerEmail\":\"w@barnet.gov.uk\"}\n",
		"csv":   "\ufeffCASEID,GivenName,familyname,dateOfBirth,status,workerEmail\nM-9,Jaden,Smith,2016-07-01,open,w@barnet.gov.uk\n",
	} {
		rows, err := cases.Parse([]byte(text))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(rows) != 1 || len(rows[0]) != len(want) {
			t.Fatalf("%s: %v, want %v", name, rows, want)
		}
		for k, v := range want {
			if rows[0][k] != v {
				t.Errorf("%s: %s = %q, want %q", name, k, rows[0][k], v)
			}
		}
	}
	if _, err := cases.Parse([]byte("name,dob\nA,2016-01-01\n")); err == nil || !strings.Contains(err.Error(), "") {
		t.Errorf("a CSV without the required columns was read")
	} else if de := new(domain.Error); asErr(err, &de) && (len(de.Fields) != 1 || !strings.Contains(de.Fields[0].Message, "givenName, familyName, dateOfBirth, status")) {
		t.Errorf("header error %+v does not name the missing columns", de.Fields)
	}
}

func TestValidNHSNumber(t *testing.T) {
	for s, want := range map[string]bool{"9434765919": true, "9434765918": false, "943476591": false, "94347659x9": false, "0000000000": true} {
		if got := cases.ValidNHSNumber(s); got != want {
			t.Errorf("%s: %v, want %v", s, got, want)
		}
	}
}

// Hackney §4 B, Bexley §3 and §11, Barnet "What happens next?": once the case records are loaded, a contact
// for a child with an open case goes to the allocated worker at once (a notice to the worker's mailbox, no
// name in its subject); one for a child whose case closed within three months goes back to that unit, named
// on the contact; one closed longer ago is screened as usual.
func TestHackney_4B_ImportedCaseRecords_ForwardedByScreening(t *testing.T) {
	for _, tc := range []struct {
		name, row string
		next      string
		code      domain.OutcomeCode
		to        []string
		named     string
	}{
		{"open case", "C-1,Zebedee,Canarybird,2017-04-02,open,,Unit 3,Sam Worker,sam.worker@hackney.gov.uk",
			workflow.NextForwarded, domain.OutcomeForwardAllocated, []string{"sam.worker@hackney.gov.uk"}, "sam.worker@hackney.gov.uk"},
		{"closed 40 days ago", "C-1,Zebedee,Canarybird,2017-04-02,closed,2027-01-29,Unit 7,,",
			workflow.NextForwarded, domain.OutcomeThreeMonthRule, nil, "Unit 7"},
		{"closed four months ago", "C-1,Zebedee,Canarybird,2017-04-02,closed,2026-11-01,Unit 7,,",
			workflow.NextRating, "", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
			rows, err := cases.Parse([]byte("caseId,givenName,familyName,dateOfBirth,status,closedOn,unit,allocatedWorker,workerEmail\n" + tc.row + "\n"))
			if err != nil {
				t.Fatal(err)
			}
			if res, err := cases.Import(context.Background(), r.Store, "hackney", "test", rows, r.Clock.Now()); err != nil || res.Loaded != 1 {
				t.Fatalf("import %+v %v", res, err)
			}
			c := r.Contact("hackney", func(c *domain.Contact) { c.Status, c.Route = domain.StatusScreening, domain.RouteMASH })
			out, err := screening.Step{Env: r.Env}.Handle(context.Background(), workflow.StepInput{ContactID: c.ID, Authority: c.Authority})
			if err != nil {
				t.Fatal(err)
			}
			if out.Next != tc.next {
				t.Fatalf("next %s, want %s", out.Next, tc.next)
			}
			if tc.next != workflow.NextForwarded {
				return
			}
			got := r.Get(c.ID)
			if got.Status != domain.StatusForwarded || got.Outcome.Code != tc.code || got.Outcome.To != tc.named {
				t.Fatalf("status %s outcome %+v, want forwarded %s to %s", got.Status, got.Outcome, tc.code, tc.named)
			}
			ns := r.Sent(c.ID)
			if len(ns) != 1 || ns[0].Kind != string(domain.NoticeForwarded) {
				t.Fatalf("outbox %+v, want one forwarded notice", ns)
			}
			if tc.to != nil && !slices.Equal(ns[0].To, tc.to) {
				t.Errorf("notice to %v, want %v", ns[0].To, tc.to)
			}
			if tc.to == nil && !strings.Contains(ns[0].Text, tc.named) {
				t.Errorf("the notice to the MASH inbox does not name %s:\n%s", tc.named, ns[0].Text)
			}
			if strings.Contains(ns[0].Subject, "Zebedee") || strings.Contains(ns[0].Subject, "Canarybird") {
				t.Errorf("the subject names the child: %s", ns[0].Subject)
			}
		})
	}
}
