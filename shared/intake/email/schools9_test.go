package email

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// readKids parses a plain-text referral with the given subject and body as intake does, and lists its children
// as name, date of birth ("age N" when only an age is read) and school.
func readKids(t *testing.T, subject, body string) []schoolKid {
	t.Helper()
	if subject == "" {
		subject = "Referral"
	}
	raw := "From: Referrer <referrer@example.org>\r\nTo: mash@council.example.gov.uk\r\nSubject: " + subject + "\r\n" +
		"Date: Tue, 24 Nov 2026 12:00:00 +0000\r\nMessage-ID: <school-test@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		strings.ReplaceAll(body, "\n", "\r\n")
	m, err := Parse([]byte(raw), Options{Received: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC), ColleagueDomains: []string{"council.example.gov.uk"}})
	if err != nil {
		t.Fatal(err)
	}
	var got []schoolKid
	for _, ch := range m.Children {
		n := strings.TrimSpace(ch.GivenName + " " + ch.FamilyName)
		if n == "" && ch.DateOfBirth.IsZero() && ch.Age == 0 {
			continue
		}
		d := ""
		if !ch.DateOfBirth.IsZero() {
			d = ch.DateOfBirth.String()
		} else if ch.Age != 0 {
			d = "age " + strconv.Itoa(ch.Age)
		}
		got = append(got, schoolKid{n, d, ch.School})
	}
	return got
}

type schoolKid struct{ name, dob, school string }

// Portsmouth §4.6 (the IACF's child details: the child's school or setting), the ninth round's rules: a school or
// setting is read however the referrer writes it — a setting's label, a sentence about the child, a table — and
// never from words that name no setting ("At home", "at home with mum, no nursery place"), nor given to a child
// the email places elsewhere. A wrong school sends the screener to the wrong DSL: when the evidence is weak,
// nothing is read. Each rule has rows of its own invention, the shapes it must read and the shapes it must not.
func TestPortsmouth_ChildDetails_SchoolReadAsReferrersWriteIt(t *testing.T) {
	cases := []struct {
		name, subject, body string
		want                []schoolKid
	}{
		// A setting's answer that names no setting: the child is at home, or in no setting yet.
		{"at home in a table's school column", "", "Name | DOB | School / setting\nJess Farr | 19/05/2013 | Weavers Academy\nAva Farr | 11/12/2025 | At home\n",
			[]schoolKid{{"Jess Farr", "2013-05-19", "Weavers Academy"}, {"Ava Farr", "2025-12-11", ""}}},
		{"at home with mum in a setting label", "", "Child's name: Ava Farr\nDOB: 11/12/2024\nSetting: At home with mum\n", []schoolKid{{"Ava Farr", "2024-12-11", ""}}},
		{"awaiting a school place", "", "Child's name: Kai Moss\nDOB: 11/12/2016\nSchool: Awaiting a school place (new to area)\n", []schoolKid{{"Kai Moss", "2016-12-11", ""}}},
		{"a setting named after a home is still a setting", "", "Child's name: Ava Farr\nDOB: 11/12/2023\nSetting: Home Farm Day Nursery\n", []schoolKid{{"Ava Farr", "2023-12-11", "Home Farm Day Nursery"}}},
		// A school said of some children by name is not the others'; a child the email places at home gets no
		// school shared with the others.
		{"two named children share a school, the third is at home", "", "Children in the household:\n- Leon Hale (10)\n- Mia Hale (7)\n- Jaz Hale-Cole (4)\n\nLeon and Mia both go to Heath Primary School. Jaz is at home with mum.\n",
			[]schoolKid{{"Leon Hale", "age 10", "Heath Primary School"}, {"Mia Hale", "age 7", "Heath Primary School"}, {"Jaz Hale-Cole", "age 4", ""}}},
		{"named children share a school, the third not named with them", "", "Children in the household:\n- Leon Hale (10)\n- Mia Hale (7)\n- Jaz Hale (15)\n\nLeon and Mia both attend Heath Primary School.\n",
			[]schoolKid{{"Leon Hale", "age 10", "Heath Primary School"}, {"Mia Hale", "age 7", "Heath Primary School"}, {"Jaz Hale", "age 15", ""}}},
		{"both children attend, one at home", "", "Children:\n- Leon Hale (10)\n- Mia Hale (2) - at home with dad\nBoth children attend Heath Primary School.\n",
			[]schoolKid{{"Leon Hale", "age 10", "Heath Primary School"}, {"Mia Hale", "age 2", ""}}},
		{"they all go to one school", "", "Children:\n- Leon Hale (10)\n- Mia Hale (7)\n- Jaz Hale (6)\nThey all go to Heath Primary School.\n",
			[]schoolKid{{"Leon Hale", "age 10", "Heath Primary School"}, {"Mia Hale", "age 7", "Heath Primary School"}, {"Jaz Hale", "age 6", "Heath Primary School"}}},
		// A form answered once for the family: its one school goes to each child whose age fits the kind of school.
		{"one school answer for two pupils", "", "Child(ren) full name(s) and date(s) of birth\nHarry Pope 24/03/2019 (Year 2)\nLena Pope 11/11/2020 (Reception)\n\nSchool / setting\nHilltop Infant School\n\nOther household members\nAlfie Pope (4) - at home with mum, no nursery place.\n",
			[]schoolKid{{"Harry Pope", "2019-03-24", "Hilltop Infant School"}, {"Lena Pope", "2020-11-11", "Hilltop Infant School"}, {"Alfie Pope", "age 4", ""}}},
		{"one school answer whose name says no age", "", "Child(ren) full name(s) and date(s) of birth\nHarry Pope 24/03/2019\nLena Pope 11/11/2012\n\nSchool / setting\nHilltop Academy\n",
			[]schoolKid{{"Harry Pope", "2019-03-24", ""}, {"Lena Pope", "2012-11-11", ""}}},
		{"one primary school answer, an older brother", "", "Child(ren) full name(s) and date(s) of birth\nHarry Pope 24/03/2019\nLena Pope 11/11/2010\n\nSchool / setting\nHilltop Primary School\n",
			[]schoolKid{{"Harry Pope", "2019-03-24", "Hilltop Primary School"}, {"Lena Pope", "2010-11-11", ""}}},
		// A child's age in words before the school is no old school.
		{"a 13-year-old who attends", "", "I saw Lola Brent (DOB 16/08/2013) today, a 13-year-old who attends Clapton Girls Academy, with her mother.\n",
			[]schoolKid{{"Lola Brent", "2013-08-16", "Clapton Girls Academy"}}},
		{"an 8 years old boy at", "", "Kai Moss (DOB 01/02/2018), an 8 years old boy at Oak Tree Primary, was found alone.\n", []schoolKid{{"Kai Moss", "2018-02-01", "Oak Tree Primary"}}},
		{"his old school", "", "Kai Moss (DOB 01/02/2018), whose old school was Oak Tree Primary, has no place here.\n", []schoolKid{{"Kai Moss", "2018-02-01", ""}}},
		// A year group and the school in one field.
		{"year / school cell", "", "Name: Dee Akins\nDate of birth: 3rd March 2011\nYear / school: Year 11, Blackfen School\n", []schoolKid{{"Dee Akins", "2011-03-03", "Blackfen School"}}},
		{"school and year group field", "", "Name: Dee Akins\nDate of birth: 3rd March 2011\nSchool and year group: Blackfen School, Y11\n", []schoolKid{{"Dee Akins", "2011-03-03", "Blackfen School"}}},
		{"year / school cell with no school", "", "Name: Dee Akins\nDate of birth: 3rd March 2011\nYear / school: Year 11\n", []schoolKid{{"Dee Akins", "2011-03-03", ""}}},
		// A role between the child and "which he attends" is no other person.
		{"the SENCo at the school he attends", "", "Re: Marc FENN, DOB 04/04/2016\n\nI saw Marc today with his mother. He is under assessment following a referral from the SENCo at Hurst Primary School, which he attends.\n",
			[]schoolKid{{"Marc Fenn", "2016-04-04", "Hurst Primary School"}}},
		{"a school someone else attends", "", "Re: Marc FENN, DOB 04/04/2016\n\nI saw Marc today with his mother. His cousin Jody told the SENCo at Hurst Primary School, which she attends.\n",
			[]schoolKid{{"Marc Fenn", "2016-04-04", ""}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := readKids(t, c.subject, c.body)
			if len(got) != len(c.want) {
				t.Fatalf("children %+v, want %+v", got, c.want)
			}
			for i, w := range c.want {
				if got[i].name != w.name || got[i].dob != w.dob || !strings.HasPrefix(got[i].school, w.school) || (w.school == "" && got[i].school != "") {
					t.Errorf("child %d %+v, want %+v", i, got[i], w)
				}
			}
		})
	}
}
