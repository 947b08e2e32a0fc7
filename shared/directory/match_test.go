package directory

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

func sample() []store.School {
	s := func(urn, name, pc string, open bool) store.School {
		return store.School{Authority: "hackney", URN: urn, Name: name, Postcode: pc, Open: open, DSLEmail: "dsl." + urn + "@hackney.sch.uk"}
	}
	return []store.School{
		s("100001", "Northern Parade Junior School", "E8 1AA", true),
		s("100002", "Northern Parade Infant School", "E8 1AA", true),
		s("100003", "St Mary's Church of England Primary School", "E5 0AB", true),
		s("100004", "St Mary's Church of England Primary School", "N16 7AB", true),
		s("100005", "Kingsmead Academy", "E9 5QY", true),
		s("100006", "Old Gasworks Primary School", "E2 8AA", false),
		s("100007", "St Joseph's Roman Catholic Primary School", "E9 6AA", true),
		s("100008", "Hackney Marshes Secondary School", "E9 5PF", true),
	}
}

// Hackney PPNs name schools the way the officer heard them; the matcher must name the same school when the
// words are the same once abbreviations and generic words are set aside (issue 20).
func TestMatch_SlightlyDifferentNamesFindTheSchool(t *testing.T) {
	ix := NewIndex(sample())
	tests := []struct {
		text, postcode string
		want           Outcome
		urn            string
	}{
		{"Northern Parade Jnr", "", Matched, "100001"},
		{"northern parade junior school", "", Matched, "100001"},
		{"Northern Parade Infants", "", Matched, "100002"},
		{"Nothern Parade Junior", "", Matched, "100001"}, // a typing slip
		{"Kingsmead", "", Matched, "100005"},
		{"Kingsmead Academy School", "", Matched, "100005"},
		{"St Joseph's RC Primary", "", Matched, "100007"},
		{"Saint Josephs Catholic Primary School", "", Matched, "100007"},
		{"St Mary's C of E Primary, N16 7AB", "", Matched, "100004"}, // postcode in the text
		{"St Marys CE Primary", "E5 9ZZ", Matched, "100003"},         // postcode hint: same outward code
		{"URN 100008", "", Matched, "100008"},                        // a URN written in the field
		{"Old Gasworks Primary", "", Closed, "100006"},               // closed → the LA's officer
		{"Hackney Marshes Secondary (home educated since May)", "", HomeEducated, ""},
	}
	for _, tt := range tests {
		m := ix.Match(tt.text, tt.postcode)
		if m.Outcome != tt.want {
			t.Errorf("Match(%q): %s, want %s (%+v)", tt.text, m.Outcome, tt.want, m.Candidates)
			continue
		}
		if tt.urn != "" && (m.School == nil || m.School.URN != tt.urn) {
			t.Errorf("Match(%q): school %+v, want URN %s", tt.text, m.School, tt.urn)
		}
	}
}

// No confident match: the candidates are listed, best first; junior and infant never stand in for each other.
func TestMatch_NoConfidentMatchListsCandidates(t *testing.T) {
	ix := NewIndex(sample())
	tests := []struct {
		text      string
		want      Outcome
		firstURNs []string
	}{
		{"Northern Parade Primary", Ambiguous, []string{"100002", "100001"}}, // primary fits both
		{"St Mary's C of E Primary", Ambiguous, []string{"100003", "100004"}},
		{"Parade School", NotFound, []string{"100002", "100001"}}, // half the words: candidates only
		{"Nowhere Lane Primary", NotFound, nil},
		{"", NotFound, nil},
		{"Northern Parade Secondary", NotFound, nil}, // secondary contradicts junior and infant
	}
	for _, tt := range tests {
		m := ix.Match(tt.text, "")
		if m.Outcome != tt.want || m.School != nil {
			t.Errorf("Match(%q): %s %+v, want %s", tt.text, m.Outcome, m.School, tt.want)
			continue
		}
		var got []string
		for _, c := range m.Candidates {
			got = append(got, c.URN)
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.firstURNs) && !(len(got) == 0 && len(tt.firstURNs) == 0) {
			t.Errorf("Match(%q) candidates %v, want %v", tt.text, got, tt.firstURNs)
		}
	}
}

func TestEditDistanceAtMostOne(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{{"northern", "nothern", true}, {"northern", "northen", true}, {"parade", "parade", true}, {"parade", "parades", true},
		{"parade", "barade", true}, {"parade", "brade", false}, {"kingsmead", "kingsmede", false}, {"abc", "abcde", false}} {
		if got := editDistanceAtMostOne(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistanceAtMostOne(%q, %q) = %v", tt.a, tt.b, got)
		}
	}
}

// synthetic builds n establishments with names from common English school-name words (a national list
// has about 25,000 open and closed establishments per DfE's Get Information about Schools).
func synthetic(n int) []store.School {
	r := rand.New(rand.NewPCG(1, 2))
	places := []string{"Northern", "Parade", "Kingsmead", "Mary's", "Joseph's", "Hill", "Park", "Green", "Lane", "Road", "Field",
		"Oak", "Elm", "Ash", "Brook", "Wood", "Bridge", "Church", "Vale", "Cross", "Meadow", "Valley", "Heath", "Moor",
		"Abbey", "Castle", "Court", "Farm", "Grove", "Manor", "Mill", "Orchard", "Rise", "Spring", "Water", "Well"}
	saints := []string{"St Mary's", "St John's", "St Peter's", "St Paul's", "St Joseph's", "Holy Trinity", "St Andrew's", "Christ Church"}
	kinds := []string{"Primary School", "Junior School", "Infant School", "Church of England Primary School",
		"Roman Catholic Primary School", "Academy", "Secondary School", "Nursery School", "High School", "College"}
	towns := make([]string, 3000)
	for i := range towns {
		towns[i] = fmt.Sprintf("%s%s", places[r.IntN(len(places))], []string{"ton", "ford", "ley", "bury", "ham", "wick", "field", "worth"}[r.IntN(8)])
	}
	out := make([]store.School, n)
	for i := range out {
		var name string
		switch r.IntN(3) {
		case 0:
			name = saints[r.IntN(len(saints))] + " " + kinds[r.IntN(len(kinds))]
		case 1:
			name = towns[r.IntN(len(towns))] + " " + kinds[r.IntN(len(kinds))]
		default:
			name = towns[r.IntN(len(towns))] + " " + places[r.IntN(len(places))] + " " + kinds[r.IntN(len(kinds))]
		}
		out[i] = store.School{URN: fmt.Sprint(100000 + i), Name: name, Postcode: fmt.Sprintf("E%d %dAA", r.IntN(20)+1, r.IntN(9)+1),
			Open: r.IntN(10) > 0, DSLEmail: fmt.Sprintf("dsl%d@x.sch.uk", i)}
	}
	return out
}

// BenchmarkMatch25k matches PPN school names against 25,000 establishments (target: under 1 ms per PPN).
// The queries mix exact names, abbreviations, typing slips, saints' names shared by hundreds of schools,
// and names not in the directory.
func BenchmarkMatch25k(b *testing.B) {
	schools := synthetic(25000)
	ix := NewIndex(schools)
	queries := []string{
		schools[17].Name, schools[4242].Name, "St Mary's C of E Primary", "St Josephs RC Primary School, E5 1AA",
		"Nothern Parade Jnr", "Kingsmead Academy", "Nowhere Lane Primary", "Oakton Hill Infants", "Holy Trinity",
		"URN 112345",
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		ix.Match(queries[i%len(queries)], "E8 1AA")
	}
}

func BenchmarkNewIndex25k(b *testing.B) {
	schools := synthetic(25000)
	b.ReportAllocs()
	for b.Loop() {
		NewIndex(schools)
	}
}

// A PPN's child has no school to tell when recorded as educated at home, or under school age (below
// SchoolAgeFrom on the day, or unborn) with no school or setting named; a child of school age, or of unknown
// age, with none named, or any child with a setting named, is for a worker to find (Portsmouth §4.9: the
// schools involved are told).
func TestEncompass_NoSchoolToTell_HomeEducatedOrUnderSchoolAge(t *testing.T) {
	received := time.Date(2027, 3, 10, 19, 30, 0, 0, time.UTC)
	three, nine := domain.Date{Y: 2023, M: 9, D: 1}, domain.Date{Y: 2017, M: 4, D: 2}
	fourToday := domain.Date{Y: 2023, M: 3, D: 10}
	for _, x := range []struct {
		school string
		dob    domain.Date
		unborn bool
		want   Outcome
	}{
		{"", three, false, UnderSchoolAge},
		{"None", three, false, UnderSchoolAge},
		{"n/a", three, false, UnderSchoolAge},
		{"No setting", three, false, UnderSchoolAge},
		{"not at school", three, false, UnderSchoolAge},
		{"Pre-school age", three, false, UnderSchoolAge},
		{"", domain.Date{}, true, UnderSchoolAge},
		{"Home educated", nine, false, HomeEducated},
		{"", nine, false, ""},
		{"", fourToday, false, ""},     // four today: may be in reception
		{"", domain.Date{}, false, ""}, // age unknown
		{"Little Acorns Day Nursery", three, false, ""},
		{"St Mary's Primary", three, false, ""},
	} {
		c := &domain.Contact{ReceivedAt: received, Child: domain.Child{School: x.school, DateOfBirth: x.dob, Unborn: x.unborn}}
		got, ok := NoSchoolToTell(c, time.UTC)
		if got != x.want || ok != (x.want != "") {
			t.Errorf("school %q, born %v, unborn %v: %q %v, want %q", x.school, x.dob, x.unborn, got, ok, x.want)
		}
	}
}
