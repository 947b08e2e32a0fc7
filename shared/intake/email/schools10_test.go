package email

import (
	"fmt"
	"testing"
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
