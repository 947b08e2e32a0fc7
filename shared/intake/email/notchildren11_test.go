package email

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
)

// The eleventh round's checks that stop a wrong child (Portsmouth §4.6: the child's details; Barnet: unborn to 18
// years): a family name read again as a child's given name, a setting's initials read as a name, and an adult —
// by the age or the date of birth after their name, "adult" in their table row, or an adult's relation beside
// them — are not children. Rows of our own invention, those that must be dropped and those that must be kept.
func TestChildren_NotAChild_SurnameInitialsOrAdult(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string // "Given Family" of each child read, sorted; "|school" after a child when its school is checked
	}{
		{"a police table's surname column read again as a name",
			"Children present\nSurname | Forename | DOB | School\nOKAFOR | Ada | 04/03/2015 | Hill Primary School\nOKAFOR | Tobi | 09/10/2017 | Hill Primary School\n",
			[]string{"Ada Okafor", "Tobi Okafor"}},
		{"a setting's initials in a capitals list line",
			"REFERRING 2 PUPILS\n\n1. LEAH MORRIS - YR 8 - NPA - DOB 02/03/13\n\nJ SMITH\nATTENDANCE OFFICER\nNORTHFIELD PARK ACADEMY\n",
			[]string{"Leah Morris|NPA"}},
		{"a child named in capitals who is no setting's initials",
			"1. AMY - DOB 02/03/2016\n2. LEAH MORRIS - DOB 02/03/2013\n\nNORTHFIELD PARK ACADEMY\n",
			[]string{"Amy", "Leah Morris"}},
		{"an adult son in a notification's table",
			"Name | DOB | School / setting\nCallum REED | 04/01/06 | n/a (adult)\nSkye REED | 11/02/15 | Oak Primary School\n",
			[]string{"Skye Reed"}},
		{"a patient's adult age after her name",
			"Patient: Donna HALL, 27 - taken to hospital\nChildren at address: Kai HALL, DOB 03/02/2022\n",
			[]string{"Kai Hall"}},
		{"a child whose age is after the name",
			"Child: Ruby HALL, 12 - at home\n",
			[]string{"Ruby Hall"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := parseBody(t, "Referral", c.body)
			var got []string
			for _, ch := range m.Children {
				n := strings.TrimSpace(ch.GivenName + " " + ch.FamilyName)
				if n == "" {
					continue
				}
				for _, w := range c.want {
					if strings.HasPrefix(w, n+"|") {
						n += "|" + ch.School
					}
				}
				got = append(got, n)
			}
			sort.Strings(got)
			if strings.Join(got, ", ") != strings.Join(c.want, ", ") {
				t.Errorf("children %q, want %q", got, c.want)
			}
		})
	}
}

// A date of birth after a name makes its person an adult when it is 18 or more years before the email, a two-digit
// year read as the most recent past year.
func TestChildren_AdultDateAfterName(t *testing.T) {
	ref := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		d, m, y string
		adult   bool
	}{
		{"02", "05", "07", true},    // 2007: 19
		{"24", "11", "08", true},    // 18 today
		{"25", "12", "08", false},   // 17
		{"14", "02", "1991", true},  // 35
		{"03", "02", "2015", false}, // 11
		{"01", "13", "2000", false}, // no month 13
		{"30", "11", "26", false},   // after the email
		{"14", "02", "91", true},    // 1991
	}
	for _, c := range cases {
		if got := adultDateParts(c.d, c.m, c.y, ref); got != c.adult {
			t.Errorf("%s/%s/%s adult %v, want %v", c.d, c.m, c.y, got, c.adult)
		}
	}
}

// What follows a name says an adult: an age of 18 or more (not a street number), a date of birth 18 years back,
// an adult's relation in brackets, "adult" in the table row.
func TestChildren_NamedAsAdult(t *testing.T) {
	ref := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		text  string
		adult bool
	}{
		{"Patient | Ruby HALL, 24 - overdose", true},
		{"Ruby Hall (31) lives with her mum", true},
		{"Ruby Hall, aged 19, the eldest", true},
		{"Ruby Hall, 24 Elm Road", false},
		{"Ruby Hall (12) lives with her mum", false},
		{"Ruby Hall | 04/01/06 | college", true},
		{"Ruby Hall | 04/01/16 | Oak Primary", false},
		{"Ruby Hall (maternal aunt) is caring", true},
		{"Ruby Hall (sister) is at home", false},
		{"Ruby Hall (partner's daughter) is at home", false},
		{"Ruby Hall | n/a (adult)", true},
		{"Ruby Hall | Adult Learning Centre", false},
	}
	for _, c := range cases {
		if got := namedAsAdult(domain.Child{GivenName: "Ruby", FamilyName: "Hall"}, []string{c.text}, ref); got != c.adult {
			t.Errorf("%q: adult %v, want %v", c.text, got, c.adult)
		}
	}
}

// A household table's relationship cell that opens with a child's relation is a child's row whatever follows it
// ("Son (partner)": the partner's son); an adult's relation is an adult's row.
func TestHouseholdTable_ChildRelationFirst(t *testing.T) {
	body := "Name | Relationship | DOB | School\nTina Cole | Tenant | 04/03/1987 |\nDean Ross | Partner | 01/01/1985 |\n" +
		"Jay Ross | Son (partner) | 27/01/2014 | Hill Academy\nMia Cole | Daughter | 03/06/2018 | Oak Primary School\n"
	m := parseBody(t, "Household", body)
	var got []string
	for _, ch := range m.Children {
		got = append(got, ch.GivenName+" "+ch.FamilyName+" "+ch.DateOfBirth.String())
	}
	sort.Strings(got)
	want := []string{"Jay Ross 2014-01-27", "Mia Cole 2018-06-03"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("children %q, want %q", got, want)
	}
}
