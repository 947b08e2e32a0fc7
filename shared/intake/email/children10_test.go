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
// child" ("Relationship to twins") — a possessive relation is the relation after it: "Mother's partner" is an
// adult's row, "Partner's daughter" a child's — and a form's part about the adult the referral is about ("3. Alleged
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
		{"a partner's daughter's row, a mother's partner's row", "Name | Relationship | Age | Notes\nKeith Dunn | Mother's partner | 41 | Tenant\nJade Dunn | Partner's daughter | 15 | Stays at weekends\n",
			[]schoolKid{{"Jade Dunn", "age 15", ""}}},
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

// Siblings named in passing, the way relatives and professionals write them: a relation, a comma, the given name
// and the age between commas ("a younger brother, Jax, 6, in Year 1"); a relation, a comma and an age in brackets
// ("a little boy, Charlie (4)"); an age followed by an aside in brackets ("who is 9 (she told me herself)"); "She's
// 13" starting the sentence after the one naming the child, when that sentence names one person and no adult; a
// baby by the given name ("their baby Lily", "a baby boy Kairo, 10 months": no age in years); an age before a
// verb ("Jaylen who says he is 11 had called 999"); given names sharing a family name straight after a word for
// children ("two kids of his own, Jake and Sophie Clarke, who …"); two
// given names sharing a family name with "they're 9 and 7"; twins sharing a date after "(twins) –"; and two
// children named only in the subject with their ages ("Concern re Jaxon (6) & Harley (3) Moss") when the body
// names none. An adult's age, a house number, a time and a body naming its own child are not read so.
func TestPortsmouth_ChildDetails_SiblingsNamedInPassing(t *testing.T) {
	cases := []struct {
		name, subject, body string
		want                []schoolKid
	}{
		// must
		{"relation, comma, name and age between commas", "", "Asked about siblings: she has an older sister, Nia, 12, in Year 8 at Oak Park Academy.\n",
			[]schoolKid{{"Nia", "age 12", "Oak Park Academy"}}},
		{"relation, comma, name with an age in brackets", "", "He has a baby girl, Esme (1), with his new partner.\n", []schoolKid{{"Esme", "age 1", ""}}},
		{"an age, then an aside in brackets", "", "There is a boy Rowan Pike who is 8 (his mum told me) living there.\n", []schoolKid{{"Rowan Pike", "age 8", ""}}},
		{"two given names sharing a family name, they're N and M", "", "Then there are Ellis and Skye Barnes, they're 10 and 4, at home with mum.\n",
			[]schoolKid{{"Ellis Barnes", "age 10", ""}, {"Skye Barnes", "age 4", ""}}},
		{"twins in brackets, then a dash and the date", "", "- Ada and Iris Novak (twins) – born 3rd March 2025\n",
			[]schoolKid{{"Ada Novak", "2025-03-03", ""}, {"Iris Novak", "2025-03-03", ""}}},
		{"children only in the subject, with ages", "Worried about Rhys (7) and Poppy (2) Danby", "The children were hungry again today.\n",
			[]schoolKid{{"Rhys Danby", "age 7", ""}, {"Poppy Danby", "age 2", ""}}},
		{"she's N after the sentence naming her", "", "One of our members, Tia Lowe, came to practice tonight. She's 12 and at Elm Academy.\n",
			[]schoolKid{{"Tia Lowe", "age 12", "Elm Academy"}}},
		{"their baby by the given name", "", "Oskar lives with his mum, her partner and their baby Ava.\n", []schoolKid{{"Ava", "", ""}}},
		{"a baby with an age in months", "", "The others are a baby girl Nell, 10 months, and her cousin.\n", []schoolKid{{"Nell", "", ""}}},
		{"an age before a verb", "", "The eldest Kobe who says he is 11 had called 999 himself.\n", []schoolKid{{"Kobe", "age 11", ""}}},
		{"given names sharing a family name after a word for children", "", "Her partner has two kids of his own, Tom and Ella Marsh, who stay at weekends.\n",
			[]schoolKid{{"Tom Marsh", "", ""}, {"Ella Marsh", "", ""}}},
		// must not
		{"a school's name after a word for children", "", "We spoke to the children, Mia and Leo at Oak Primary about it.\n", nil},
		{"the baby is due", "", "Mum is pregnant and the baby is due in March. Baby Hart is the name on the scan.\n", nil},
		{"the baby on a weekday", "", "The health visitor saw the baby Monday and again on Friday.\n", nil},
		{"an adult's age after the sentence naming her", "", "I spoke to Mum, Kerry Lowe, this morning. She is 34 and works nights.\n", nil},
		{"a titled name before he's N", "", "I spoke to Mr Dean Lowe at the club. He's 16 years in the job.\n", nil},
		{"the writer named before she's N", "", "I am writing about my daughter. My name is Sarah Lowe. She is 13 and scared of him.\n", nil},
		{"two people before she's N", "", "Tia Lowe and Amy Hart were both at practice. She's 12.\n", nil},
		{"weeks, not years", "", "I went with Kerry Lowe to the clinic. She is 9 weeks pregnant.\n", nil},
		{"an adult brother between commas", "", "Her brother, Dean Hart, 19, lives there too.\n", nil},
		{"a house number after the name", "", "Her brother, Sam, 24 Oak Road, visits on Sundays.\n", nil},
		{"a time in brackets", "", "His son Leo is at nursery (from 9 until 3).\n", nil},
		{"the subject's children when the body names one", "Worried about Rhys (7) and Poppy (2) Danby", "Child's name: Rhys Danby\nDOB: 01/02/2019\n",
			[]schoolKid{{"Rhys Danby", "2019-02-01", ""}}},
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

// A family name said for the children named by their given names: after the list, in the same sentence ("… and the
// baby Kezia – the Greene children") or in the next ("Their surname is Pearce, same as mum's", "They all have their
// dad's surname, Okoro"). A sentence that names no family name ("Their surname is different to mum's"), a club
// named after a family ("the Hart children's club") and a family name said two sentences on are not read.
func TestPortsmouth_ChildDetails_FamilyNameSaidForTheChildren(t *testing.T) {
	cases := []struct {
		name, body string
		want       []schoolKid
	}{
		// must
		{"the X children after the list", "Placed with me: Tia, born 4th May 2016, Reece who is 6, and baby Lola, born 1st Feb 2026 – the Marsh children.\n",
			[]schoolKid{{"Tia Marsh", "2016-05-04", ""}, {"Lola Marsh", "2026-02-01", ""}, {"Reece Marsh", "age 6", ""}}},
		{"their surname is, the next sentence", "I mind two children, Ivy who's 3 and her brother Ted who is 5. Their surname is Lowe, like their mum's.\n",
			[]schoolKid{{"Ivy Lowe", "age 3", ""}, {"Ted Lowe", "age 5", ""}}},
		{"they all have their dad's surname", "Her kids are Mia (5) and Leo (3). They all have their dad's surname, Okafor.\n",
			[]schoolKid{{"Mia Okafor", "age 5", ""}, {"Leo Okafor", "age 3", ""}}},
		// must not
		{"their surname is not said", "Her kids are Mia (5) and Leo (3). Their surname is different to mum's.\n",
			[]schoolKid{{"Mia", "age 5", ""}, {"Leo", "age 3", ""}}},
		{"a family's club", "Her kids are Mia (5) and Leo (3), at the Hart children's club after school.\n",
			[]schoolKid{{"Mia", "age 5", ""}, {"Leo", "age 3", ""}}},
		{"two sentences on", "Her kids are Mia (5) and Leo (3). Mum works nights. Their surname is Okafor.\n",
			[]schoolKid{{"Mia", "age 5", ""}, {"Leo", "age 3", ""}}},
	}
	checkKids(t, cases)
}

// A school said with "they" is not the children's when "they" are the writer's own ("my own kids were here (they
// go to Danson Primary …)"), and "they are both at …" after two of three children is those two's, not the third's.
func TestPortsmouth_ChildDetails_SchoolSaidOfOthersWithThey(t *testing.T) {
	cases := []struct {
		name, body string
		want       []schoolKid
	}{
		{"the writer's own children", "I mind Mia Cole (4) and Leo Cole (6). My own kids were home (they go to Elm Primary School, it was an inset day).\n",
			[]schoolKid{{"Mia Cole", "age 4", ""}, {"Leo Cole", "age 6", ""}}},
		{"both, after two of three", "Tia Marsh was born 4th May 2012 and lives with her dad.\n\nThen there are Ellis and Skye Barnes, they're 10 and 8. They are both at Elm Primary School.\n",
			[]schoolKid{{"Tia Marsh", "2012-05-04", ""}, {"Ellis Barnes", "age 10", "Elm Primary School"}, {"Skye Barnes", "age 8", "Elm Primary School"}}},
		{"they, the children", "I mind Mia Cole (4) and Leo Cole (6). They go to Elm Primary School.\n",
			[]schoolKid{{"Mia Cole", "age 4", "Elm Primary School"}, {"Leo Cole", "age 6", "Elm Primary School"}}},
	}
	checkKids(t, cases)
}

// Ages written out in a list or with an aside: a household field giving each person's relation and a child's age
// ("Logan Kerr (brother) 13, Kingswood Secondary Academy"); a visit's "Present:" list with a relation after a dash ("KRASNIQI
// Besa – cousin, 15, came from Kosovo …"); a list's "age 2" with no unit ("- Ollie Dean, age 2", a police
// list's "DEAN Ollie   age 2 (DOB not recorded)") and an age in brackets followed by a dash and the writer's aside
// ("Chloé Marchand (15 - she would not give me her date of birth)"). Months are no age in years, and a range in
// brackets is no age.
func TestPortsmouth_ChildDetails_AgesWrittenOut(t *testing.T) {
	cases := []struct {
		name, body string
		want       []schoolKid
	}{
		// must
		{"a list's age with no unit", "Children:\n- Kian Dean, 03/04/2014\n- Ollie Dean, age 2\n",
			[]schoolKid{{"Kian Dean", "2014-04-03", ""}, {"Ollie Dean", "age 2", ""}}},
		{"a police list's age with a note", "CYP present:\nDEAN Kian      03/04/14        Elm Academy\nDEAN Ollie     age 2 (DOB not recorded)   at home\n",
			[]schoolKid{{"Kian Dean", "2014-04-03", "Elm Academy"}, {"Ollie Dean", "age 2", ""}}},
		{"an age in brackets, then a dash and an aside", "Maya Okafor (14 - she would not say her date of birth) came in alone.\n",
			[]schoolKid{{"Maya Okafor", "age 14", ""}}},
		{"a visit's Present: list, a relation after a dash", "Home visit today. Present:\nHOXHA Dren (Y4, DOB 15/07/2018)\nBERISHA Lule – cousin, 14, arrived last spring, not in school\nMr Agim HOXHA (dad)\n",
			[]schoolKid{{"Dren Hoxha", "2018-07-15", ""}, {"Lule Berisha", "age 14", ""}}},
		{"a household field with relations and a child's age", "Household: Dawn Reid (mother) 05/09/1984; Carl Reid (stepfather) b. 1981; Kyle Reid (brother) 12, Elm Academy\n",
			[]schoolKid{{"Kyle Reid", "age 12", "Elm Academy"}}},
		// must not
		{"a household field's adult sister", "Household: Dawn Reid (mother) 41; Jade Reid (sister) 19, at college\n", nil},
		{"a visit's Present: list's adults", "Home visit today. Present:\nMr Agim HOXHA (dad), 45\nAmy Cole – Health Visitor, 14 visits so far\n", nil},
		{"months in a list", "Children:\n- Kian Dean, 03/04/2014\n- Ollie Dean, age 10 months\n", []schoolKid{{"Kian Dean", "2014-04-03", ""}}},
		{"a range in brackets", "Maya Okafor (14 - 20 minutes late every day) was seen by the nurse.\n", nil},
	}
	checkKids(t, cases)
}

// Children named only in the subject, one after another: a later child written by the given name alone shares the
// first's family name ("MOREIRA, Sienna 12/09/2022 & Lucas 08.01.2025", "BARNES, Charlie-Jay (dob 09.09.2019) &
// Frankie-Lee (dob 21.4.2022)"), a school year in brackets may follow a date ("HALE Ruby 15.01.22 (YR) & Finn
// 06.07.20 (Y2)"), and children may be separated by commas ("COLE Amy 09/09/16, COLE Ben 30/1/20"). A second name
// in capitals alone (a surname) and a date that is not the next child's end the list.
func TestPortsmouth_ChildDetails_SubjectListsOfChildren(t *testing.T) {
	body := "Please see the concerns below, raised by the family's neighbour.\n"
	cases := []struct {
		name, subject string
		want          []schoolKid
	}{
		// must
		{"a given name alone after the surname-first child", "Concern - OKAFOR, Temi 12/09/2022 & Ada 08.01.2025",
			[]schoolKid{{"Temi Okafor", "2022-09-12", ""}, {"Ada Okafor", "2025-01-08", ""}}},
		{"dates said in brackets", "Welfare concern - HALE, Ruby (dob 09.09.2019) & Finn (dob 21.4.2022) - 4 Elm Walk",
			[]schoolKid{{"Ruby Hale", "2019-09-09", ""}, {"Finn Hale", "2022-04-21", ""}}},
		{"a school year after the date", "Referral - HALE Ruby 15.01.22 (YR) & Finn 06.07.20 (Y2)",
			[]schoolKid{{"Ruby Hale", "2022-01-15", ""}, {"Finn Hale", "2020-07-06", ""}}},
		{"children after commas", "FW: noise & kids - COLE Amy 09/09/16, COLE Ben 30/1/20",
			[]schoolKid{{"Amy Cole", "2016-09-09", ""}, {"Ben Cole", "2020-01-30", ""}}},
		// must not
		{"a surname alone after the ampersand", "Concern - OKAFOR, Temi 12/09/2022 & SMITH 08.01.2025", []schoolKid{{"Temi Okafor", "2022-09-12", ""}}},
		{"a sentence after the comma", "Concern - OKAFOR, Temi 12/09/2022, seen by GP 14/11/2026", []schoolKid{{"Temi Okafor", "2022-09-12", ""}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := readKids(t, c.subject, body)
			if len(got) != len(c.want) {
				t.Fatalf("children %+v, want %+v", got, c.want)
			}
			for i, w := range c.want {
				if got[i].name != w.name || got[i].dob != w.dob || w.school == "" && got[i].school != "" {
					t.Errorf("child %d %+v, want %+v", i, got[i], w)
				}
			}
		})
	}
}

// A young person or a neighbour writing from a phone in lower case names siblings in lower case with their ages:
// "my lil sis blessing shes 8", "my sisters are amelia and grace they are 10 and 6", "my brother is baby jaxon hes
// 1", "one of my girls lacey who is 11", "her 2 kids there mason and ruby" (an age said after: "kai is 8"; "mason is
// about 7" is none; two names with no ages count only when each is written again doing something: "mason asked me").
// A line is lower case when at most one word in ten has a capital ("… avenue NW9 …"). The name is
// read by its given name (the screener completes the family name). A word of the sentence where the
// name would be ("my sister is very upset shes 8", "my brother said hes 12"), an adult sibling's age and a line with
// capitals (left to the other readers) are not read so.
func TestPortsmouth_ChildDetails_LowerCaseSiblingsWithAges(t *testing.T) {
	cases := []struct {
		name, body string
		want       []schoolKid
	}{
		// must
		{"a sister with her age", "i live wiv my mum nd her bf nd my lil sis destiny shes 7 she goes to the primary\n", []schoolKid{{"Destiny", "age 7", ""}}},
		{"two sisters and their ages", "my sisters are maisie and ava they are 9 and 5 and my mum works nights\n",
			[]schoolKid{{"Maisie", "age 9", ""}, {"Ava", "age 5", ""}}},
		{"a baby brother", "my brother is baby reggie hes 1 and he cries all night\n", []schoolKid{{"Reggie", "age 1", ""}}},
		{"two children named, their ages said after", "the kids are tia and rio, tia is 7 and rio is 4 i think\n",
			[]schoolKid{{"Tia", "age 7", ""}, {"Rio", "age 4", ""}}},
		{"two children named, an age hedged", "she has her 2 kids there jayden and skye jayden is about 6 and skye was crying\n",
			[]schoolKid{{"Jayden", "", ""}, {"Skye", "", ""}}},
		{"one of my girls with her age", "one of my girls chantelle who is 12 has stopped coming\n", []schoolKid{{"Chantelle", "age 12", ""}}},
		// must not
		{"how the kids are, with ages", "the kids are scared and hungry they are 10 and 6\n", nil},
		{"how a sister is, with her age", "my sister is gone shes 15 and my brother is scared hes 12\n", nil},
		{"two words after kids, never again as someone", "she has her 2 kids there tyler and mollie\n", nil},
		{"the kids and their parents", "the kids are at school and her kids mum and dad split up\n", nil},
		{"a sentence's words where the name would be", "my sister is very upset shes 8 and my brother said hes 12\n", nil},
		{"an adult sister", "my sis jade shes 19 she has her own flat\n", nil},
	}
	checkKids(t, cases)
}

// A child named the way a neighbour or a clinician knows them: by the name everyone calls them ("her little brother
// who they all call TJ"), with the age they told the writer in brackets ("a friend, Nadia (she told me she is 14, I do
// not have a surname)"), or "a boy called Oscar Lindqvist …, hes 10" written without the apostrophe. A role is no
// name ("who they call Doctor"), and an adult's told age is no child's.
func TestPortsmouth_ChildDetails_NamesAsTheWriterKnowsThem(t *testing.T) {
	cases := []struct {
		name, body string
		want       []schoolKid
	}{
		// must
		{"the name everyone calls him", "Her little brother who everyone calls Bear is always at home.\n", []schoolKid{{"Bear", "", ""}}},
		{"an age told in brackets", "He came with a friend, Remi (he told me he is 13, no surname given), who waited outside.\n", []schoolKid{{"Remi", "age 13", ""}}},
		{"called, then hes N", "I coach a girl called Ada Finch on Saturdays, shes 11 and at Elm Primary.\n", []schoolKid{{"Ada Finch", "age 11", "Elm Primary"}}},
		// must not
		{"a role everyone calls him", "Her brother who they call Doctor is 30.\n", nil},
		{"an adult's told age", "I saw Dean (he told me he is 34) at the door.\n", nil},
	}
	checkKids(t, cases)
}

// A police notice lists the children present and then the children linked to the suspect who were not there ("OTHER
// CHILDREN LINKED:", "Linked children:"): those are children of the notice too, read as the list's lines are. An
// adult's line in the list (a date of birth 18 or more years back) and "None" are not.
func TestPortsmouth_ChildDetails_LinkedChildrenOfANotice(t *testing.T) {
	cases := []struct {
		name, body string
		want       []schoolKid
	}{
		// must
		{"other children linked, surname first", "CHILDREN PRESENT:\nHALE, Rio - 14/07/2014 - Elm Academy\n\nOTHER CHILDREN LINKED:\nMARSH, Kobi - 11/05/2013 - lives with his mother in Kettering. Not present.\n",
			[]schoolKid{{"Rio Hale", "2014-07-14", "Elm Academy"}, {"Kobi Marsh", "2013-05-11", ""}}},
		{"linked children", "Linked children:\n- Nia Hart, 02/03/2016\n", []schoolKid{{"Nia Hart", "2016-03-02", ""}}},
		// must not
		{"an adult in the linked list", "OTHER CHILDREN LINKED:\nMARSH, Dean - 11/05/1990 - the suspect's brother\n", nil},
		{"none linked", "OTHER CHILDREN LINKED:\nNone known\n", nil},
	}
	checkKids(t, cases)
}

// A list copied surname first in mixed case ("Popescu, Daria – 14" from a food bank voucher): "Popescu, Daria" reads
// as well as two given names, so only two lines or more sharing the first word are read so, each with its age (months
// are none in years) or date of birth; an adult's line sharing the surname is no child, a single line, lines with
// other first words, phone numbers and capitals-first surnames (the police readers') are not read so.
func TestPortsmouth_ChildDetails_SurnameFirstListInMixedCase(t *testing.T) {
	cases := []struct {
		name, body string
		want       []schoolKid
	}{
		// must
		{"a voucher's list", "The voucher lists them as:\n\nMarin, Ana – 13\n\nMarin, Luca – 7\n\nMarin, Eva – 4 months\n",
			[]schoolKid{{"Ana Marin", "age 13", ""}, {"Luca Marin", "age 7", ""}, {"Eva Marin", "", ""}}},
		{"an adult first, then the children", "- Marin, Elena – 39\n- Marin, Ana – 13\n- Marin, Luca – 7\n",
			[]schoolKid{{"Ana Marin", "age 13", ""}, {"Luca Marin", "age 7", ""}}},
		{"dates of birth", "Okafor, Temi - 12/09/2019\nOkafor, Ada - 08/01/2022\n", []schoolKid{{"Temi Okafor", "2019-09-12", ""}, {"Ada Okafor", "2022-01-08", ""}}},
		// must not
		{"a single line", "Marin, Ana – 13\n", nil},
		{"other first words", "Marin, Ana – 13\nHart, Luca – 7\n", nil},
		{"phone numbers", "Contacts:\n- Marin, Elena – 07700 900123\n- Marin, Ion – 07700 900456\n", nil},
		{"adults only", "Staff on shift:\n- Marin, Elena – 45\n- Marin, Ion – 41\n", nil},
	}
	checkKids(t, cases)
}
