package email

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// The tenth round's child rules (Portsmouth §4.6, the IACF's child details), read from round 9's and the tuning
// rounds' wrong children and missed ones, each with rows of our own invention that must be read and rows that
// must not: a wrong child is worse than none, which the screener is asked for (needsCompletion).

// A child read by a given name alone ("her brother Noah, who is 7") is kept with its age, date of birth and
// school, and its family name is left empty, never taken from a parent's or a sibling's: the contact needs
// completion and its extraction says the family name is missing ("child.familyName"), as completing it
// requires one (actions.CompleteChild). A child with a full name lists no such gap.
func TestPortsmouth_ChildDetails_FirstNameAloneLeftForCompletion(t *testing.T) {
	cases := []struct {
		name, body string
		want       map[string]bool // child's name → family name listed as missing
	}{
		{"a brother by his given name with an age", "Grace Okoro (DOB 02/03/2014) is in Year 7 here, and her brother Noah, who is 7, is at Oak Primary.\n",
			map[string]bool{"Grace Okoro": false, "Noah": true}},
		{"a given name with a date of birth", "Children:\n1. Lena, DOB 04/05/2019\n",
			map[string]bool{"Lena": true}},
		{"a full name", "Child's name: Maya Brooks\nDOB: 01/02/2015\n", map[string]bool{"Maya Brooks": false}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := parseBody(t, "Referral", c.body)
			if len(m.Children) != len(c.want) {
				t.Fatalf("children %+v, want %v", m.Children, c.want)
			}
			anyMissing := false
			for i, ch := range m.Children {
				n := strings.TrimSpace(ch.GivenName + " " + ch.FamilyName)
				want, ok := c.want[n]
				if !ok {
					t.Fatalf("child %q, want %v", n, c.want)
				}
				if got := slices.Contains(m.Extractions[i].Missing, "child.familyName"); got != want {
					t.Errorf("%s: family name missing %v, want %v (missing %v)", n, got, want, m.Extractions[i].Missing)
				}
				anyMissing = anyMissing || want
			}
			if anyMissing && !m.NeedsCompletion {
				t.Errorf("a child without a family name, not needsCompletion")
			}
		})
	}
}

// parseBody parses a plain-text referral with the given subject and body as intake does.
func parseBody(t *testing.T, subject, body string) *Message {
	t.Helper()
	raw := "From: Referrer <referrer@example.org>\r\nTo: mash@council.example.gov.uk\r\nSubject: " + subject + "\r\n" +
		"Date: Tue, 24 Nov 2026 12:00:00 +0000\r\nMessage-ID: <kid10-test@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		strings.ReplaceAll(body, "\n", "\r\n")
	m, err := Parse([]byte(raw), Options{Received: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC), ColleagueDomains: []string{"council.example.gov.uk"}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Places and adults are no children: a school's or a town's name just before a date of birth ("Kai Brennan, Y10
// here at Springfield, DOB 11/1/12"), a household table's row whose relation is an adult's with a qualifier
// ("Maternal grandmother", "Birth father") under a header naming the relation to someone other than "the
// child" ("Relationship to twins"), and a form's part about the adult the referral is about ("3. Alleged
// perpetrator", "Suspect details"), whose Name row is no child's.
func TestPortsmouth_ChildDetails_PlacesAndAdultsAreNoChildren(t *testing.T) {
	cases := []struct {
		name, body string
		want       []schoolKid
	}{
		// must not
		{"a school's name before the date of birth", "Update: Rhys Cole, Y9 here at Ashgrove, DOB 03/04/2012. He says he will not go home.\n", nil},
		{"a town before the date of birth", "Member since 2022, lives in Whitstable, DOB 09/09/2013.\n", nil},
		{"a maternal grandmother's row with a year", "Name | Relationship to baby | DOB\nAyo OKAFOR | Mother | 02/02/1995\nBisi OKAFOR | Maternal grandmother, visiting | 1961\nTemi OKAFOR | Baby | 10/10/2026\n",
			[]schoolKid{{"Temi Okafor", "2026-10-10", ""}}},
		{"a birth father's row with no date", "Name | Relationship to the twins | Date of birth\nLeon MARSH | Birth father | not known\nAva MARSH | Twin 1 | 01/06/2025\nEva MARSH | Twin 2 | 01/06/2025\n",
			[]schoolKid{{"Ava Marsh", "2025-06-01", ""}, {"Eva Marsh", "2025-06-01", ""}}},
		{"the alleged perpetrator's part", "Child's name: Lina Haddad\nDOB: 14/02/2017\n\n3. Alleged perpetrator\nName: Samir Haddad (father)\nDate of birth: 1983\n",
			[]schoolKid{{"Lina Haddad", "2017-02-14", ""}}},
		{"the suspect's details", "Child's name: Lina Haddad\nDOB: 14/02/2017\n\nSuspect details\nName: Jordan Price\nDate of birth: 05/05/2009\n",
			[]schoolKid{{"Lina Haddad", "2017-02-14", ""}}},
		// must
		{"a person spoken to before the date of birth", "I spoke to Ellie Parr, DOB 05/01/2013, at the gate.\n", []schoolKid{{"Ellie Parr", "2013-01-05", ""}}},
		{"a half-brother's row", "Name | Relationship to baby | DOB\nBisi OKAFOR | Maternal grandmother | 1961\nDayo OKAFOR | Half-brother | 22/06/2017\n",
			[]schoolKid{{"Dayo Okafor", "2017-06-22", ""}}},
		{"a sibling's part", "Child's name: Lina Haddad\nDOB: 14/02/2017\n\nSibling\nName: Omar Haddad\nDate of birth: 02/02/2011\n",
			[]schoolKid{{"Lina Haddad", "2017-02-14", ""}, {"Omar Haddad", "2011-02-02", ""}}},
	}
	checkKids(t, cases)
}

// A date said to be a child with "is" ("Ivy is 8.1.20", "her sister Kara Lund is 03/09/2018") is the child's
// date of birth, never an age of 8; "his birthday is 17.9.16" after an age is the date of birth too. An age
// said with "is" stays an age, and a date said of a meeting, a review or a name the email gives no family name
// is no child's.
func TestPortsmouth_ChildDetails_DateSaidWithIs(t *testing.T) {
	cases := []struct {
		name, body string
		want       []schoolKid
	}{
		// must
		{"a full name is a date", "Her niece Kara Lund is 03.09.18 and in Reception at Elm Infants.\n", []schoolKid{{"Kara Lund", "2018-09-03", "Elm Infants"}}},
		{"a given name is a date, the family name said before", "Oscar and Kara Lund live with her. Oscar was born 2nd May 2015, Kara is 3.9.18 and at nursery.\n",
			[]schoolKid{{"Oscar Lund", "2015-05-02", ""}, {"Kara Lund", "2018-09-03", ""}}},
		{"an age, then the birthday", "Finn and Rory Adair are her boys. Rory is 9, his birthday is 4.11.17, and he is at Brook Primary.\n",
			[]schoolKid{{"Rory Adair", "2017-11-04", "Brook Primary"}}},
		{"an age said with is stays an age", "Her son Jude Moss is 6. He is in Year 2.\n", []schoolKid{{"Jude Moss", "age 6", ""}}},
		// must not
		{"an age is not read from a date", "Kara is 3.9.18 according to mum.\n", nil},
		{"a review said with is", "The Review is 12.10.2026 at the school.\n", nil},
	}
	checkKids(t, cases)
}

func checkKids(t *testing.T, cases []struct {
	name, body string
	want       []schoolKid
}) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := readKids(t, "", c.body)
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
