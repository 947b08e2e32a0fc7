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
		// A list entry's parts after a spaced hyphen; the school after a school year and "in".
		{"a school after a spaced hyphen", "", "The children are:\nAna Costa, 7 years - Grove Park Primary School\nRui Costa, 11 years - he is in year 7 in The Kingsbury High School\n",
			[]schoolKid{{"Ana Costa", "age 7", "Grove Park Primary School"}, {"Rui Costa", "age 11", "The Kingsbury High School"}}},
		{"a spaced hyphen before a former school", "", "The children are:\nAna Costa, 7 years - previously at Grove Park Primary School\n", []schoolKid{{"Ana Costa", "age 7", ""}}},
		// A school said just before the child's name, of its pupils.
		{"one of our Year 9s at a school, then the name", "", "Morning - one of our Year 9s at Blackfen School, Tia Rowe (14), sent this to my drop-in address.\n",
			[]schoolKid{{"Tia Rowe", "age 14", "Blackfen School"}}},
		{"a teacher at a school, then a name", "", "Ellie's teacher at Blackfen School, Tia Rowe, rang me. Ellie Parr (DOB 05/01/2013) is hungry.\n", []schoolKid{{"Ellie Parr", "2013-01-05", ""}}},
		{"a former pupil at a school, then the name", "", "A former pupil at Blackfen School, Tia Rowe (14), came to see me.\n", []schoolKid{{"Tia Rowe", "age 14", ""}}},
		// Collected from, or dropped at, a school.
		{"collected from a C of E school", "", "I mind Freya Lund (DOB 05/05/2023) and I collect her brother Oscar Lund (born 17.01.2019) from Old Bexley C of E Primary School on those days.\n",
			[]schoolKid{{"Freya Lund", "2023-05-05", ""}, {"Oscar Lund", "2019-01-17", "Old Bexley C of E Primary School"}}},
		{"picked up from a nursery", "", "Nan picks Leo Hart (DOB 03/03/2023) up from Little Owls Nursery most days.\n", []schoolKid{{"Leo Hart", "2023-03-03", "Little Owls Nursery"}}},
		{"collected from a hospital is no school", "", "I collected Leo Hart (DOB 03/03/2017) from St Mary's Hospital on Monday.\n", []schoolKid{{"Leo Hart", "2017-03-03", ""}}},
		{"a parent collected from a college", "", "Leo Hart (DOB 03/03/2017) was with dad when I collected mum from Barnet College.\n", []schoolKid{{"Leo Hart", "2017-03-03", ""}}},
		// Two children named, then "who are both at" a school.
		{"who are both with us at", "", "I am referring the Sesay family. Mum is Hawa Sesay (born 04/10/1990). The children are Fatmata (02/04/2013), who is now at Clapton Girls Academy, Ibrahim (19/11/2016) and Mariama (25/06/2018), who are both with us at Sandbrook Primary, Alhaji (14/03/2021), who is not in a nursery, and baby Isatu (30/07/2025).\n",
			[]schoolKid{{"Fatmata Sesay", "2013-04-02", "Clapton Girls Academy"}, {"Ibrahim Sesay", "2016-11-19", "Sandbrook Primary"}, {"Mariama Sesay", "2018-06-25", "Sandbrook Primary"}, {"Alhaji Sesay", "2021-03-14", ""}, {"Isatu Sesay", "2025-07-30", ""}}},
		// The school said in a sentence of its own.
		{"school confirmed as", "", "Child: Reuben Levy (DOB 12/04/2012)\n\nSchool confirmed as Hendon School (Year 10).\n", []schoolKid{{"Reuben Levy", "2012-04-12", "Hendon School"}}},
		{"the child's name and school is", "", "Child: Reuben Levy (DOB 12/04/2012)\n\nReuben's school is Hendon School.\n", []schoolKid{{"Reuben Levy", "2012-04-12", "Hendon School"}}},
		{"a brother's school is", "", "Child: Reuben Levy (DOB 12/04/2012)\n\nHer brother's school is Hendon School.\n", []schoolKid{{"Reuben Levy", "2012-04-12", ""}}},
		{"school confirmed for two children", "", "Children: Reuben Levy (DOB 12/04/2012) and Ada Levy (DOB 01/01/2016)\n\nSchool confirmed as Hendon School.\n",
			[]schoolKid{{"Reuben Levy", "2012-04-12", ""}, {"Ada Levy", "2016-01-01", ""}}},
		// A school by the first words of its name, after a school year: the school another child has by its full name.
		{"reception at the first words of a sibling's school", "", "The children are Leo Fraser (9, Year 5 at Brook Vale Primary) and his half-sister Poppy Adams (4, Reception at Brook Vale).\n",
			[]schoolKid{{"Leo Fraser", "age 9", "Brook Vale Primary"}, {"Poppy Adams", "age 4", "Brook Vale Primary"}}},
		{"first words of no school the email names", "", "The children are Leo Fraser (9, Year 5 at Brook Vale Primary) and Poppy Adams (7, Year 2 at Elm Park).\n",
			[]schoolKid{{"Leo Fraser", "age 9", "Brook Vale Primary"}, {"Poppy Adams", "age 7", ""}}},
		// The writer's own school, child by child: "Year 2 here", "Yr3 here", "Our pupils:".
		{"year 2 here, under a DSL's signature", "", "Child 1: Alfie Pine, d.o.b. 12/10/2019, Year 2 here\nChild 2: Jay Pine, d.o.b. 29/01/2016, attends Penhale Junior School (Year 6)\nChild 3: Ava Pine, d.o.b. 01/02/2024\n\nKind regards\nSam Lee\nDesignated Safeguarding Lead, Oakfield Infant School\n",
			[]schoolKid{{"Alfie Pine", "2019-10-12", "Oakfield Infant School"}, {"Jay Pine", "2016-01-29", "Penhale Junior School"}, {"Ava Pine", "2024-02-01", ""}}},
		{"our pupils list", "", "Our pupils:\n- Kyle Dunn - 03.06.2016\n- Reece Dunn - 09.09.2020\n\nOthers in the house:\n- Tayla Dunn, 14, at Lodge Park Academy\n- Mason Dunn (1)\n\nKind regards\nJo Kay\nDSL / SENCo\nBeanfield Primary School, Corby\n",
			[]schoolKid{{"Kyle Dunn", "2016-06-03", "Beanfield Primary School"}, {"Reece Dunn", "2020-09-09", "Beanfield Primary School"}, {"Tayla Dunn", "age 14", "Lodge Park Academy"}, {"Mason Dunn", "age 1", ""}}},
		{"here in the intro's school", "", "I am the DSL at Oakfield Primary School. Mia Cole (DOB 07/03/2016, Yr4 here) and her brother Sam Cole (DOB 01/01/2010) are not being fed.\n",
			[]schoolKid{{"Mia Cole", "2016-03-07", "Oakfield Primary School"}, {"Sam Cole", "2010-01-01", ""}}},
		{"here, but the writer is no school's", "", "Mia Cole (DOB 07/03/2016, Yr4 here) and her brother Sam Cole (DOB 01/01/2010) come to our youth club.\n\nKind regards\nJo Kay\nYouth Worker, Oakfield Youth Club\n",
			[]schoolKid{{"Mia Cole", "2016-03-07", ""}, {"Sam Cole", "2010-01-01", ""}}},
		{"here, but no longer", "", "Mia Cole (DOB 07/03/2016, was Yr4 here) and Sam Cole (DOB 01/01/2010, not at our school) moved away.\n\nKind regards\nJo Kay\nDSL, Oakfield Primary School\n",
			[]schoolKid{{"Mia Cole", "2016-03-07", ""}, {"Sam Cole", "2010-01-01", ""}}},
		{"collected from a bare nursery word", "", "Nan collects Leo Hart (DOB 03/03/2023) from Nursery on Fridays.\n", []schoolKid{{"Leo Hart", "2023-03-03", ""}}},
		// A need's acronym between the child and "which he attends" is no other person.
		{"a need's acronym before which he attends", "", "Re: Marc FENN, DOB 04/04/2016\n\nI saw Marc today. He is under assessment for ADHD following a referral from the SENCo at Hurst Primary School, which he attends.\n",
			[]schoolKid{{"Marc Fenn", "2016-04-04", "Hurst Primary School"}}},
		{"a person in capitals before which she attends", "", "Re: Mia FENN, DOB 04/04/2016\n\nI saw Mia today. Her cousin told HOLT at Hurst Primary School, which she attends.\n",
			[]schoolKid{{"Mia Fenn", "2016-04-04", ""}}},
		// Settings' labels and names as people write them: alternative provision, childcare, grammar schools, UTCs.
		{"alternative provision label", "", "Young person: Kai Moss\nDOB: 01/02/2011\nAlternative provision: The Bridge PRU (mornings)\n", []schoolKid{{"Kai Moss", "2011-02-01", "The Bridge PRU"}}},
		{"childcare provider label", "", "Child's name: Ivy Stone\nDOB: 01/01/2024\nChildcare provider: Busy Bees Day Nursery\n", []schoolKid{{"Ivy Stone", "2024-01-01", "Busy Bees Day Nursery"}}},
		{"childcare label saying none", "", "Child's name: Ivy Stone\nDOB: 01/01/2024\nChildcare: none – at home with mum\n", []schoolKid{{"Ivy Stone", "2024-01-01", ""}}},
		{"attends a grammar school", "", "Kai Moss (DOB 01/02/2011) attends Dartford Grammar and is in Year 10.\n", []schoolKid{{"Kai Moss", "2011-02-01", "Dartford Grammar"}}},
		{"at a UTC", "", "Kai Moss (DOB 01/02/2009) is a student at Elstree UTC.\n", []schoolKid{{"Kai Moss", "2009-02-01", "Elstree UTC"}}},
		// A school's word that is part of a street's, a surgery's or a hospital's name is no school.
		{"lives at Academy Court", "", "Leo Hart (DOB 03/03/2017) lives at Academy Court with mum.\n", []schoolKid{{"Leo Hart", "2017-03-03", ""}}},
		{"registered at Nursery Lane Surgery", "", "Leo Hart (DOB 03/03/2017) is registered at Nursery Lane Surgery.\n", []schoolKid{{"Leo Hart", "2017-03-03", ""}}},
		{"goes to a primary care centre", "", "Leo Hart (DOB 03/03/2017) goes to Oakfield Primary Care Centre for his asthma.\n", []schoolKid{{"Leo Hart", "2017-03-03", ""}}},
		{"seen at a college hospital", "", "Leo Hart (DOB 03/03/2017) was seen at King's College Hospital last night.\n", []schoolKid{{"Leo Hart", "2017-03-03", ""}}},
		{"a school on a street of its name", "", "Leo Hart (DOB 03/03/2017) attends Oakfield Primary School, Academy Road.\n", []schoolKid{{"Leo Hart", "2017-03-03", "Oakfield Primary School"}}},
		{"a hospital school is a school", "", "Child's name: Leo Hart\nDOB: 03/03/2017\nSchool: St Thomas' Hospital School (inpatient)\n", []schoolKid{{"Leo Hart", "2017-03-03", "St Thomas' Hospital School"}}},
		// A template's school label written with a dash, as its name label is.
		{"education with a dash", "", "Name – Tyrell LAVELLE\nD.O.B. – 03.10.2010\nEducation – Harbour Academy (alternative provision, 3 days a week)\n",
			[]schoolKid{{"Tyrell Lavelle", "2010-10-03", "Harbour Academy"}}},
		{"school with a dash and a sentence", "", "Name – Tyrell LAVELLE\nD.O.B. – 03.10.2010\nSchool - he was excluded from Oak Academy in June\n",
			[]schoolKid{{"Tyrell Lavelle", "2010-10-03", ""}}},
		// A half-brother's school is his, not the child's whose name is its possessive (since the eleventh round the
		// half-brother is read too, with his age and that school).
		{"a half-brother's school", "", "Kacey Fell (DOB 11/04/2013) is in Year 8 here. Mason Doyle, Kacey's half-brother (he has his dad's surname), is 7 and goes to Underhill School.\n",
			[]schoolKid{{"Kacey Fell", "2013-04-11", ""}, {"Mason Doyle", "age 7", "Underhill School"}}},
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
