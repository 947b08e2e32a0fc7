package email

import (
	"strings"
	"testing"
	"time"
)

// Portsmouth §4.6 (the IACF's child details): the child's name, date of birth and school are read however the
// referrer writes them, and a value that is not the child's is never read as one — a wrong name or school is
// worse than none, which the screener is asked for (needsCompletion). The third round's rules, one row each.
func TestPortsmouth_ChildDetails_ReadAsReferrersWriteThem(t *testing.T) {
	type kid struct{ name, dob, school string }
	cases := []struct {
		name, from, body string
		want             []kid
	}{
		// A referrer's row in a numbered part of the form is not a second child.
		{"part heading before the referrer's name", "", "Full name: Priya Sharma\nDate of Birth: 22/06/2010\nPart C: Referrer\nName: Dr Helen Marsh\n",
			[]kid{{"Priya Sharma", "2010-06-22", ""}}},
		{"section heading with a dash", "", "Name: Priya Sharma\nDOB: 22/06/2010\nSection 3 - Referrer details\nName: Helen Marsh\n",
			[]kid{{"Priya Sharma", "2010-06-22", ""}}},
		{"an adult's title is never a child's name", "", "Child's name: Mr Dean Mallory\nConcerns: he writes to the family.\n", nil},
		// A school answer that names none.
		{"not in a setting", "", "Child's name: Efua Mensah\nDOB: 01/02/2024\nSchool: not in a setting\n", []kid{{"Efua Mensah", "2024-02-01", ""}}},
		{"home educated", "", "Child's name: Efua Mensah\nDOB: 01/02/2015\nSchool: Home educated since 2024\n", []kid{{"Efua Mensah", "2015-02-01", ""}}},
		// Surname and forenames labelled with the form's subject.
		{"subject surname", "", "Subject surname: DAVIES\nForenames: Kian\nDOB: 12/12/2012\n", []kid{{"Kian Davies", "2012-12-12", ""}}},
		// Labels on a line of their own, value on the next (HTML paragraphs).
		{"bare labels", "", "Pupil\nLacey-Jo Burrows, Year 8\nDate of birth\n08/07/2013\nSchool\nWeavers Academy, Wellingborough\n",
			[]kid{{"Lacey-Jo Burrows", "2013-07-08", "Weavers Academy"}}},
		{"bare label before prose is not a name", "", "Child\nwe are worried about the family at number 4\n", nil},
		// Ages between the name and the date of birth.
		{"months before DOB", "", "Tenant has two children: Leo FROST, 4 months (DOB 29/07/2026) and Mia FROST, aged 3 (DOB 01/11/2023).\n",
			[]kid{{"Leo Frost", "2026-07-29", ""}, {"Mia Frost", "2023-11-01", ""}}},
		{"who is N (born …)", "", "I look after Reggie Holt who is 3 (born 30 May 2023) three days a week.\n", []kid{{"Reggie Holt", "2023-05-30", ""}}},
		// A stacked block: name, a line about school, the date of birth.
		{"stacked block", "", "Tia Clarke\nYear 9, Springfield School\nborn 19.3.2012\n", []kid{{"Tia Clarke", "2012-03-19", "Springfield School"}}},
		{"stacked label is not a name", "", "Forename Lewis\nDOB 24/12/2011\n", nil},
		// Ages said in a sentence.
		{"aged N after the name", "", "She has two children: Ruby Tanner, aged 8, and Alfie Tanner, aged 5.\n", []kid{{"Ruby Tanner", "", ""}, {"Alfie Tanner", "", ""}}},
		{"an adult's age", "", "Mum, Leanne Brooks, aged 28, said he hit her.\n", nil},
		{"age with a comma in the bracket", "", "One of our young people, Zoé Lefort (11, Year 7 at Ashmole Academy), told me.\n", []kid{{"Zoé Lefort", "", "Ashmole Academy"}}},
		// A school's DSL referring one pupil: the referrer's school.
		{"school from the DSL's signature", "", "Ellie Parr (DOB 05/01/2013) told her teacher she is hungry.\n\nKind regards\nSam Lee\nDesignated Safeguarding Lead, Oakfield Primary School\n",
			[]kid{{"Ellie Parr", "2013-01-05", "Oakfield Primary School"}}},
		{"not a school nurse's cluster", "", "Ellie Parr (DOB 05/01/2013) told me she is hungry.\n\nKind regards\nSam Lee\nSchool Nurse, Oakfield Primary School and Lea cluster\n",
			[]kid{{"Ellie Parr", "2013-01-05", ""}}},
		{"not for two children", "", "Noah Baxter and Elliot Baxter (twins, DOB 05/10/2017) are hungry.\n\nKind regards\nSam Lee\nDesignated Safeguarding Lead, Oakfield Primary School\n",
			[]kid{{"Noah Baxter", "2017-10-05", ""}, {"Elliot Baxter", "2017-10-05", ""}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			raw := "From: Referrer <referrer@example.org>\r\nTo: mash@council.example.gov.uk\r\nSubject: Referral\r\n" +
				"Date: Tue, 24 Nov 2026 12:00:00 +0000\r\nMessage-ID: <kid-test@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
				strings.ReplaceAll(c.body, "\n", "\r\n")
			m, err := Parse([]byte(raw), Options{Received: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatal(err)
			}
			var got []kid
			for _, ch := range m.Children {
				n := strings.TrimSpace(ch.GivenName + " " + ch.FamilyName)
				if n == "" && ch.DateOfBirth.IsZero() {
					continue
				}
				d := ""
				if !ch.DateOfBirth.IsZero() {
					d = ch.DateOfBirth.String()
				}
				got = append(got, kid{n, d, ch.School})
			}
			if len(got) != len(c.want) {
				t.Fatalf("children %+v, want %+v", got, c.want)
			}
			for i := range got {
				w := c.want[i]
				if got[i].name != w.name || got[i].dob != w.dob || !strings.HasPrefix(got[i].school, w.school) || (w.school == "" && got[i].school != "") {
					t.Errorf("child %d %+v, want %+v", i, got[i], w)
				}
			}
		})
	}
}
