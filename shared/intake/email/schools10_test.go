package email

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Portsmouth §4.6 (the IACF's child details: the child's school or setting), the tenth round's rules: a school is
// written as the email names it in full — not cut short where a reader stopped ("Hawthorn School" when the email
// says "Hawthorn School for Boys"), nor with a school year in brackets after it; a reply that says the child has
// moved school gives the new school over the one its quoted first message gave; a school said of other children
// ("my own children … (they go to …)") is not the email's children's. Rows of our own invention: the shapes that
// must be read and those that must not.
func TestPortsmouth_ChildDetails_SchoolNamedInFullAndAsItIsNow(t *testing.T) {
	const reply = "Quick update - %s\n\n-----Original Message-----\nFrom: Jo Barr\nSent: 02 November 2026 10:00\nTo: MASH\nSubject: Referral\n\nName: Leon Dade\nDOB: 04/04/2012\nSchool: Oak Vale School\n"
	cases := []struct {
		name, body string
		want       []schoolKid
	}{
		// A name cut short is carried on where the email writes it in full.
		{"the school's name in full further on", "Child: Tom Pike\nDOB: 01/02/2014\nSchool: Hawthorn School\n\nTom is in Year 8 at Hawthorn School for Boys and his tutor raised this.\n",
			[]schoolKid{{"Tom Pike", "2014-02-01", "Hawthorn School for Boys"}}},
		{"a primary's name with its School after it", "Child: Tom Pike\nDOB: 01/02/2017\nSchool: Lindley Primary\n\nKind regards\nAnn Roe\nDSL, Lindley Primary School, Fareham\n",
			[]schoolKid{{"Tom Pike", "2017-02-01", "Lindley Primary School"}}},
		{"a street named after the school is not its name", "Child: Tom Pike\nDOB: 01/02/2017\nSchool: Lindley Primary\n\nHe lives at 4 Lindley Primary School Lane.\n",
			[]schoolKid{{"Tom Pike", "2017-02-01", "Lindley Primary"}}},
		{"a place after a comma is not the name", "Child: Tom Pike\nDOB: 01/02/2017\nSchool: Lindley Primary\n\nWe are at Lindley Primary, Fareham.\n",
			[]schoolKid{{"Tom Pike", "2017-02-01", "Lindley Primary"}}},
		{"a trust is not the school", "Child: Tom Pike\nDOB: 01/02/2014\nSchool: Kingsway Academy\n\nKingsway Academy Trust has been told.\n",
			[]schoolKid{{"Tom Pike", "2014-02-01", "Kingsway Academy"}}},
		// A school year in brackets is a note about the child.
		{"a year group in brackets after the school", "Child: Tom Pike\nDOB: 01/02/2012\nSchool: Brookfield Academy (Yr 9)\n",
			[]schoolKid{{"Tom Pike", "2012-02-01", "Brookfield Academy"}}},
		{"a campus in brackets is kept", "Child: Tom Pike\nDOB: 01/02/2009\nSchool: New Bridge College (Hackney campus)\n",
			[]schoolKid{{"Tom Pike", "2009-02-01", "New Bridge College (Hackney campus)"}}},
		// A reply above the first referral that says the child has moved school.
		{"excluded and now at a PRU, said in the reply", fmt.Sprintf(reply, "Leon was excluded from Oak Vale School last month and is now at The Beacon Learning Centre (the PRU), so the school below is wrong.\n"),
			[]schoolKid{{"Leon Dade", "2012-04-04", "The Beacon Learning Centre"}}},
		{"has moved to a new school, said in the reply", fmt.Sprintf(reply, "He has moved to Park View Academy since I wrote.\n"),
			[]schoolKid{{"Leon Dade", "2012-04-04", "Park View Academy"}}},
		{"his sister moved, not him", fmt.Sprintf(reply, "His sister has moved to Park View Academy since I wrote.\n"),
			[]schoolKid{{"Leon Dade", "2012-04-04", "Oak Vale School"}}},
		{"a centre that is no school", fmt.Sprintf(reply, "He has moved to Riverside Family Centre with mum for now.\n"),
			[]schoolKid{{"Leon Dade", "2012-04-04", "Oak Vale School"}}},
		{"a move told as long past", fmt.Sprintf(reply, "He had moved to Park View Academy before that, in Year 7.\n"),
			[]schoolKid{{"Leon Dade", "2012-04-04", "Oak Vale School"}}},
		// A school said after a relative's date of birth on the same line is the relative's.
		{"the sister's school after her date of birth", "Re: Tom Pike (DOB 01/02/2016), who lives with mum, and his sister Amy Pike (DOB 02/02/2012) who is at Oak Academy.\n",
			[]schoolKid{{"Tom Pike", "2016-02-01", ""}, {"Amy Pike", "2012-02-02", "Oak Academy"}}},
		{"still read: two children, then both at one school", "Re: Tom Pike (DOB 01/02/2016) and Amy Pike (DOB 02/02/2017), both at Oak Primary.\n",
			[]schoolKid{{"Tom Pike", "2016-02-01", "Oak Primary"}, {"Amy Pike", "2017-02-02", "Oak Primary"}}},
		// A school whose name begins with "Home" is a school; "Home" alone is none.
		{"a school named Homefield", "Name | DOB | School\nCian Doyle | 22/11/2012 | Homefield Park Academy\nAva Doyle | 11/12/2024 | Home\n",
			[]schoolKid{{"Cian Doyle", "2012-11-22", "Homefield Park Academy"}, {"Ava Doyle", "2024-12-11", ""}}},
		// A form's date of birth and school with no name label, in an email about one child.
		{"a form's DOB and school with no name label", "Amy Lott (14) was seen in clinic today.\n\nD.O.B\t30/06/2012\nSchool\tHillside Academy (Year 10)\n",
			[]schoolKid{{"Amy Lott", "2012-06-30", "Hillside Academy"}}},
		// A date between the child's name and "She's in Year 9 at …" is no other person.
		{"a birthday's month between the name and the pronoun's school", "Her full name is Amy Lott, her birthday is the 3rd of May 2012 so she's 14. She's in Year 9 at Hillside Academy with my daughter.\n",
			[]schoolKid{{"Amy Lott", "2012-05-03", "Hillside Academy"}}},
		{"another person between the name and the pronoun's school", "Amy Lott (DOB 03/05/2012) is 14. Her friend Jordan was there too. She's in Year 9 at Hillside Academy.\n",
			[]schoolKid{{"Amy Lott", "2012-05-03", ""}}},
		// "Both at …" without a verb.
		{"a numbered answer: both at", "Children:\n- Ava Lott (6)\n- Ben Lott (7)\n\n2. Both at Elm Tree Primary, Ava is in year 2 and Ben in year 3.\n",
			[]schoolKid{{"Ava Lott", "age 6", "Elm Tree Primary"}, {"Ben Lott", "age 7", "Elm Tree Primary"}}},
		{"two named before a dash: both at, not the third", "Young person: Kai Lott, DOB 01/01/2011\nOther children\tAva Lott (6) and Ben Lott (7) – both at Elm Tree Primary\n",
			[]schoolKid{{"Kai Lott", "2011-01-01", ""}, {"Ava Lott", "age 6", "Elm Tree Primary"}, {"Ben Lott", "age 7", "Elm Tree Primary"}}},
		{"adults both at a school as its staff", "Children:\n- Ava Lott (6)\n- Ben Lott (7)\n\nMum and her sister - both at Elm Tree Primary as teaching assistants.\n",
			[]schoolKid{{"Ava Lott", "age 6", ""}, {"Ben Lott", "age 7", ""}}},
		{"parents were both at a school", "Children:\n- Ava Lott (6)\n- Ben Lott (7)\n\nTheir parents were both at Elm Tree Primary as children.\n",
			[]schoolKid{{"Ava Lott", "age 6", ""}, {"Ben Lott", "age 7", ""}}},
		// "They go to …" said of other children.
		{"the writer's own children go to a school", "Children:\n- Ava Lott (6)\n- Ben Lott (7)\n\nMy own children were at the party too (they go to Elm Tree Primary).\n",
			[]schoolKid{{"Ava Lott", "age 6", ""}, {"Ben Lott", "age 7", ""}}},
		{"the children's friends go to a school", "Children:\n- Ava Lott (6)\n- Ben Lott (7)\n\nThey were with their friends, who are older, and they go to Elm Tree Primary.\n",
			[]schoolKid{{"Ava Lott", "age 6", ""}, {"Ben Lott", "age 7", ""}}},
		{"still read: they both go to a school", "Children:\n- Ava Lott (6)\n- Ben Lott (7)\n\nThey both go to Elm Tree Primary.\n",
			[]schoolKid{{"Ava Lott", "age 6", "Elm Tree Primary"}, {"Ben Lott", "age 7", "Elm Tree Primary"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := readKids(t, "", c.body)
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("children %+v, want %+v", got, c.want)
			}
		})
	}
}

// readKidsFrom is readKids with the sender's display name given (a school's office mailbox).
func readKidsFrom(t *testing.T, fromName, body string) []schoolKid {
	t.Helper()
	raw := "From: \"" + fromName + "\" <office@setting.example.org>\r\nTo: mash@council.example.gov.uk\r\nSubject: Referral\r\n" +
		"Date: Tue, 24 Nov 2026 12:00:00 +0000\r\nMessage-ID: <school10-test@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		strings.ReplaceAll(body, "\n", "\r\n")
	m, err := Parse([]byte(raw), Options{Received: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	var got []schoolKid
	for _, ch := range m.Children {
		d := ""
		if !ch.DateOfBirth.IsZero() {
			d = ch.DateOfBirth.String()
		} else if ch.Age != 0 {
			d = "age " + strconv.Itoa(ch.Age)
		}
		got = append(got, schoolKid{strings.TrimSpace(ch.GivenName + " " + ch.FamilyName), d, ch.School})
	}
	return got
}

// Portsmouth §4.6, the tenth round's rules for the writer's own setting: a school's or a nursery's staff refer their
// own pupils, and the setting is read where the writer gives it — the signature's line under the school role ("Deputy
// DSL" / "Brook Lane Primary"), the mailbox's own name ("Acorn Day Nursery" <office@…>), a nursery's staff (a
// "Nursery Manager" is no school nurse) — and the child placed there in the writer's words: "one of our children,
// Zion …", "who attends us", "has been with us since", "She is in Year 8 with us" after the sentence naming her,
// "both here" of two children. A role's place said to be elsewhere, an aside's day job, and "I don't know which
// school he goes to" give none. Rows of our own invention.
func TestPortsmouth_ChildDetails_TheWritersOwnSetting(t *testing.T) {
	cases := []struct {
		name, from, body string
		want             []schoolKid
	}{
		{"the school on the line under the role", "Ann Roe", "Child: Tom Pike\nDOB: 01/02/2018\n\nTom came in with a bruise on his arm.\n\nThanks\nAnn Roe\nDeputy DSL\nBrook Lane Primary\n01234 567890\n",
			[]schoolKid{{"Tom Pike", "2018-02-01", "Brook Lane Primary"}}},
		{"the mailbox is the nursery's", "Acorn Day Nursery", "Child: Tom Pike\nDOB: 01/02/2023\n\nStaff noticed a mark on Tom's leg at nappy change.\n\nThanks\nJo\n",
			[]schoolKid{{"Tom Pike", "2023-02-01", "Acorn Day Nursery"}}},
		{"a school office's mailbox with its department", "Safeguarding Office - Ridgeway Academy", "Child: Tom Pike\nDOB: 01/02/2012\n\nTom disclosed this at break.\n",
			[]schoolKid{{"Tom Pike", "2012-02-01", "Ridgeway Academy"}}},
		{"the nursery's mailbox, a child of ten", "Acorn Day Nursery", "Child: Tom Pike\nDOB: 01/02/2016\n\nTom's mum told our staff about this at pick-up.\n",
			[]schoolKid{{"Tom Pike", "2016-02-01", ""}}},
		{"a role's place that is no school, and an aside's day job", "Jo Bell", "Child: Tom Pike\nDOB: 01/02/2014\n\nTom told our youth leader about this.\n\nJo Bell\nDesignated Safeguarding Lead, St Anne's Youth Club\n(Day job: Teacher, Brook Lane Primary)\n",
			[]schoolKid{{"Tom Pike", "2014-02-01", ""}}},
		{"the writer does not know the school", "Acorn Day Nursery", "Child: Tom Pike\nDOB: 01/02/2016\n\nTom comes to our holiday club. I don't know which school he goes to.\n",
			[]schoolKid{{"Tom Pike", "2016-02-01", ""}}},
		{"a nursery's manager is no school nurse", "Jo Bell", "Child: Tom Pike\nDOB: 01/02/2023\n\nTom attends our setting three days a week.\n\nJo Bell\nDeputy Manager & DSL\nAcorn Day Nursery, 4 Mill Road\n",
			[]schoolKid{{"Tom Pike", "2023-02-01", "Acorn Day Nursery"}}},
		{"one of our children, named", "Jo Bell", "I am the manager at Acorn Day Nursery and I am writing about one of our children, Tom Pike, who was born on 1st February 2023.\n\nChild two: Amy Pike (DOB 02/02/2020) is his sister.\n",
			[]schoolKid{{"Tom Pike", "2023-02-01", "Acorn Day Nursery"}, {"Amy Pike", "2020-02-02", ""}}},
		{"who attends us", "Jo Bell", "I'm the manager at Acorn Day Nursery. This is about Tom Pike (DOB 01/02/2023), who attends us four days a week, and his sister Amy Pike (DOB 02/02/2018) who is at Oak Primary.\n",
			[]schoolKid{{"Tom Pike", "2023-02-01", "Acorn Day Nursery"}, {"Amy Pike", "2018-02-02", "Oak Primary"}}},
		{"she is in year 8 with us, after the sentence naming her", "Ann Roe", "Children:\n1. Mia Cole DOB 02/02/2014\n2. Leo Cole DOB 03/03/2019\n\nMia's date of birth is as above. She is in Year 8 with us.\n\nAnn Roe\nDSL\nHillcrest Academy\n",
			[]schoolKid{{"Mia Cole", "2014-02-02", "Hillcrest Academy"}, {"Leo Cole", "2019-03-03", ""}}},
		{"she was in year 8 with us: left", "Ann Roe", "Children:\n1. Mia Cole DOB 02/02/2014\n2. Leo Cole DOB 03/03/2019\n\nMia's date of birth is as above. She was in Year 8 with us until she left in July.\n\nAnn Roe\nDSL\nHillcrest Academy\n",
			[]schoolKid{{"Mia Cole", "2014-02-02", ""}, {"Leo Cole", "2019-03-03", ""}}},
		{"both here, of two children", "Ann Roe", "Mia Cole (DOB 02/02/2018) is in Year 3. She has a brother Leo Cole in Y4 (DOB 03/03/2017) - both here at Hillcrest.\n\nAnn Roe\nDSL\nHillcrest Primary School\n",
			[]schoolKid{{"Mia Cole", "2018-02-02", "Hillcrest Primary School"}, {"Leo Cole", "2017-03-03", "Hillcrest Primary School"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := readKidsFrom(t, c.from, c.body)
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("children %+v, want %+v", got, c.want)
			}
		})
	}
}

// Portsmouth §4.6, the tenth round's rules for a school said in other words: a form's "Education / employment" or a
// transport form's "Drop-off" answered with a school's name; "(14, Year 9 at Copthall)" just after the child's name;
// a young person's "We are both in year 8 at …" of the one friend the email is about; a child's name written in lower
// case before "goes to the nursery class at …". Rows of our own invention.
func TestPortsmouth_ChildDetails_SchoolSaidInOtherWords(t *testing.T) {
	cases := []struct {
		name, body string
		want       []schoolKid
	}{
		{"education / employment label", "Name: Cal Reed\nDOB: 03/10/2010\nEducation / employment: Tresham Hill College, Kettering campus - Level 2 Sport\n",
			[]schoolKid{{"Cal Reed", "2010-10-03", "Tresham Hill College"}}},
		{"education / employment: no school", "Name: Cal Reed\nDOB: 03/10/2010\nEducation / training / employment: NEET since July\n",
			[]schoolKid{{"Cal Reed", "2010-10-03", ""}}},
		{"a transport form's drop-off", "Pupil: Ruby Dane (DOB 21/01/15)\nPick-up: 31 Hill Road\nDrop-off: Redwood Park Academy\n",
			[]schoolKid{{"Ruby Dane", "2015-01-21", "Redwood Park Academy"}}},
		{"a drop-off time", "Pupil: Ruby Dane (DOB 21/01/15)\nDrop-off: 8.45am at the gate\n",
			[]schoolKid{{"Ruby Dane", "2015-01-21", ""}}},
		{"age and year at a school after the name", "Writing this up now. Tegan Moss (14, Year 9 at Copthall) stayed behind after group tonight.\n",
			[]schoolKid{{"Tegan Moss", "age 14", "Copthall"}}},
		{"age and year at a time, not a school", "Writing this up now. Tegan Moss (14, Year 9 at the time) stayed behind after group.\n",
			[]schoolKid{{"Tegan Moss", "age 14", ""}}},
		{"we are both in year 8 at, of one friend", "I am writing about my friend Callum Reddy. He is 12. We are both in year 8 at Kingsthorpe College.\n",
			[]schoolKid{{"Callum Reddy", "age 12", "Kingsthorpe College"}}},
		{"a child known by the family name alone", "Surname: Lott\nDOB: 01/02/2014\nSchool: Oak Academy\n\nShe told her tutor (14, Year 9 at Copthall) about it.\n",
			[]schoolKid{{"Lott", "2014-02-01", "Oak Academy"}}},
		{"a child's name in lower case, then the school", "Children: Ruby Pearce (2), Alfie Pearce (4)\n\nalfie goes to the nursery class at Bursted Wood Primary in the mornings and i pick him up.\n",
			[]schoolKid{{"Ruby Pearce", "age 2", ""}, {"Alfie Pearce", "age 4", "Bursted Wood Primary"}}},
		{"a lower-case name at a school's fair", "Children: Ruby Pearce (2), Alfie Pearce (4)\n\nruby met her friend at Oak Primary on saturday.\n",
			[]schoolKid{{"Ruby Pearce", "age 2", ""}, {"Alfie Pearce", "age 4", ""}}},
		{"a lower-case name's brother at a school", "Children: Ruby Pearce (2), Alfie Pearce (4)\n\nalfie's cousin goes to Oak Primary.\n",
			[]schoolKid{{"Ruby Pearce", "age 2", ""}, {"Alfie Pearce", "age 4", ""}}},
		{"we are both in year 8 at, two children named", "I am writing about my friends Callum Reddy (12) and Jay Moss (13). We are both in year 8 at Kingsthorpe College.\n",
			[]schoolKid{{"Callum Reddy", "age 12", ""}, {"Jay Moss", "age 13", ""}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := readKids(t, "", c.body)
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("children %+v, want %+v", got, c.want)
			}
		})
	}
}
