package cases_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/cases"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/internal/steptest"
	"github.com/safeguarding/mash/shared/screening"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/workflow"
)

func TestPhonetic(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"Jayden", "Jaden"}, {"Smyth", "Smith"}, {"Catherine", "Kathryn"}, {"Philip", "Filip"}, {"Zoë", "Zoe"},
		{"Stephen", "Stefen"}, {"Mohammed", "Mohamed"}, {"Leigh", "Lee"}, {"Knight", "Night"}, {"Aisha", "Ayesha"},
	} {
		if pa, pb := cases.Phonetic(tc.a), cases.Phonetic(tc.b); pa != pb || pa == "" {
			t.Errorf("%s → %q, %s → %q: want the same key", tc.a, pa, tc.b, pb)
		}
	}
	for _, tc := range []struct{ a, b string }{{"Smith", "Jones"}, {"Jaden", "Jordan"}, {"Amira", "Samira"}} {
		if cases.Phonetic(tc.a) == cases.Phonetic(tc.b) {
			t.Errorf("%s and %s share the key %q", tc.a, tc.b, cases.Phonetic(tc.a))
		}
	}
	if got := cases.Phonetic("Jayden"); got != "JTN" {
		t.Errorf("Jayden → %q, want JTN", got)
	}
}

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{{"smith", "smyth", 1}, {"jaden", "jayden", 1}, {"ab", "ba", 1}, {"", "abc", 3}, {"kitten", "sitting", 3}, {"zoe", "zoe", 0}} {
		if got := cases.Distance(tc.a, tc.b); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func person(g, f, dob string) store.CasePerson {
	d, _ := domain.ParseDate(dob)
	return store.CasePerson{GivenName: g, FamilyName: f, DateOfBirth: d}
}

// Only an exact strong identifier acts by itself (NHS number, or name and date of birth exactly); a fuzzy
// match is scored with the fields that matched, and a stranger is not offered at all.
func TestScore_StrongOnlyWhenExact(t *testing.T) {
	jaden := person("Jaden", "Smith", "2016-07-01")
	jaden.NHSNumber, jaden.Address = "9434765919", "3 Mare Street, London E8 1HY"
	for _, tc := range []struct {
		name    string
		q       cases.Query
		strong  bool
		offered bool
		matched []string
	}{
		{"NHS number", cases.Query{GivenName: "J", FamilyName: "S", NHSNumber: "9434765919"}, true, true, []string{"nhsNumber"}},
		{"name and DOB exactly", cases.Query{GivenName: "jaden", FamilyName: "SMITH", DateOfBirth: jaden.DateOfBirth}, true, true,
			[]string{"dateOfBirth", "familyName", "givenName"}},
		{"sounds alike, same DOB", cases.Query{GivenName: "Jayden", FamilyName: "Smyth", DateOfBirth: jaden.DateOfBirth}, false, true,
			[]string{"dateOfBirth", "familyName (sounds alike)", "givenName (sounds alike)"}},
		{"same name, DOB one slip, same postcode", cases.Query{GivenName: "Jaden", FamilyName: "Smith", DateOfBirth: domain.Date{Y: 2016, M: 1, D: 7},
			Address: "Flat 2, 3 Mare St, E8 1HY"}, false, true, []string{"dateOfBirth (one slip)", "familyName", "givenName", "address (postcode)"}},
		{"same DOB, another child", cases.Query{GivenName: "Amira", FamilyName: "Khan", DateOfBirth: jaden.DateOfBirth}, false, false, nil},
	} {
		s, matched, strong := cases.Score(tc.q, jaden)
		if strong != tc.strong || (s >= cases.MinScore) != tc.offered {
			t.Errorf("%s: score %.2f strong %v, want strong %v offered %v", tc.name, s, strong, tc.strong, tc.offered)
		}
		if tc.matched != nil && !slices.Equal(matched, tc.matched) {
			t.Errorf("%s: matched %v, want %v", tc.name, matched, tc.matched)
		}
	}
}

// Hackney §4 B with person matching: "Jayden Smyth" born on Jaden Smith's date of birth is offered Jaden
// Smith's open case as a scored candidate and is not forwarded; a referral giving his NHS number is.
func TestHackney_4B_PersonMatching_FuzzyOfferedStrongActs(t *testing.T) {
	for _, tc := range []struct {
		name  string
		child domain.Child
		next  string
	}{
		{"fuzzy", domain.Child{GivenName: "Jayden", FamilyName: "Smyth", DateOfBirth: domain.Date{Y: 2016, M: 7, D: 1}}, workflow.NextRating},
		{"NHS number", domain.Child{GivenName: "Jay", FamilyName: "Smithson", DateOfBirth: domain.Date{Y: 2016, M: 7, D: 2}, NHSNumber: "943 476 5919"},
			workflow.NextForwarded},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := steptest.New(t, steptest.London(t, "2027-03-10 10:00"))
			rows, err := cases.Parse([]byte(`{"caseId":"M-9","givenName":"Jaden","familyName":"Smith","dateOfBirth":"2016-07-01","nhsNumber":"9434765919","status":"open","workerEmail":"w@hackney.gov.uk"}`))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := cases.Import(context.Background(), r.Store, "hackney", "test", rows, r.Clock.Now()); err != nil {
				t.Fatal(err)
			}
			c := r.Contact("hackney", func(c *domain.Contact) {
				c.Status, c.Route, c.Child = domain.StatusScreening, domain.RouteMASH, tc.child
			})
			out, err := screening.Step{Env: r.Env}.Handle(context.Background(), workflow.StepInput{ContactID: c.ID, Authority: c.Authority})
			if err != nil {
				t.Fatal(err)
			}
			got := r.Get(c.ID)
			if out.Next != tc.next {
				t.Fatalf("next %s (status %s), want %s", out.Next, got.Status, tc.next)
			}
			if tc.next == workflow.NextForwarded {
				return
			}
			if got.Status == domain.StatusForwarded || len(got.MatchCandidates) != 1 {
				t.Fatalf("status %s candidates %+v, want one candidate and not forwarded", got.Status, got.MatchCandidates)
			}
			cand := got.MatchCandidates[0]
			if cand.ID != "M-9" || cand.Score < cases.MinScore || cand.Strong || cand.CaseStatus != "open" ||
				!slices.Contains(cand.Matched, "familyName (sounds alike)") {
				t.Errorf("candidate %+v", cand)
			}
			if len(r.Sent(c.ID)) != 0 {
				t.Errorf("a fuzzy match sent %v", r.Kinds(c.ID))
			}
		})
	}
}

var givens = []string{"Jaden", "Amira", "Oliver", "Zoe", "Mohammed", "Aisha", "Leo", "Ivy", "Noah", "Freya", "Kai", "Maya", "Theo", "Isla", "Arlo", "Nia"}
var families = []string{"Smith", "Khan", "Jones", "Okafor", "Patel", "Brown", "Nowak", "Ahmed", "Taylor", "Murphy", "Begum", "Wilson", "Evans", "Ali", "Clarke", "Hussain"}

// caseRecords builds n records: random names (with a numbered suffix so families spread) and dates of birth
// over 18 years.
func caseRecords(n int) []store.ChildRecord {
	rng := rand.New(rand.NewPCG(1, 2))
	recs := make([]store.ChildRecord, n)
	for i := range recs {
		p := person(givens[rng.IntN(len(givens))], families[rng.IntN(len(families))]+fmt.Sprint(rng.IntN(400)),
			time.Date(2008, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(18*365)).Format("2006-01-02"))
		recs[i] = store.ChildRecord{ContactID: domain.ContactID(fmt.Sprint("case_", i)), Authority: "hackney", CaseState: store.CaseState{
			CaseID: fmt.Sprint("C-", i), OpenCase: i%3 == 0, Person: &p}}
	}
	return recs
}

// BenchmarkMatch_100kCaseRecords: person matching of one contact against 100,000 case records (issue #12:
// under 5 ms per contact). README "Measured figures".
func BenchmarkMatch_100kCaseRecords(b *testing.B) {
	recs := caseRecords(100_000)
	ix := cases.NewIndex(recs)
	qs := make([]cases.Query, 256)
	for i := range qs {
		p := recs[(i*389)%len(recs)].Person
		qs[i] = cases.Query{GivenName: p.GivenName + "e", FamilyName: p.FamilyName, DateOfBirth: p.DateOfBirth}
	}
	b.ResetTimer()
	found := 0
	for i := 0; b.Loop(); i++ {
		c, _ := ix.Match(qs[i%len(qs)])
		found += len(c)
	}
	if found == 0 {
		b.Fatal("no candidate found")
	}
}
