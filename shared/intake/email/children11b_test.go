package email

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// The eleventh round's child rules (t11b), read from round 10's missed children: each shape with rows of our own
// writing that must be read and guard rows that must not be (no adult, place, school or professional becomes a
// child; a wrong child is worse than a missed one).

// childrenOf lists the children a referral gives, "Given Family|age" each, in order.
func childrenOf(m *Message) []string {
	var out []string
	for _, c := range m.Children {
		s := strings.TrimSpace(c.GivenName + " " + c.FamilyName)
		if c.Age != 0 {
			s += fmt.Sprintf("|%d", c.Age)
		}
		if !c.DateOfBirth.IsZero() {
			s += "|" + c.DateOfBirth.String()
		}
		out = append(out, s)
	}
	return out
}

// namedOf is childrenOf without the unnamed children (an email naming none still gives one empty child, or one
// with the date of birth it found, for the screener to complete).
func namedOf(m *Message) []string {
	var out []string
	for _, s := range childrenOf(m) {
		if !strings.HasPrefix(s, "|") && s != "" {
			out = append(out, s)
		}
	}
	return out
}

// A brother, sister, son, daughter or baby named in passing by a given name, with something straight after the
// name that says a child: an age in brackets, the child's age told in brackets, a school year, an age in months.
func TestChildren_KinNamedWithChildAside(t *testing.T) {
	const lead = "Tyler Morgan (DOB 03/03/2013) told his tutor that he is scared to go home. "
	cases := []struct {
		name, body string
		want       []string
	}{
		{"an age in brackets with aged", lead + "Their older sister Isla (aged 15) looks after them.\n",
			[]string{"Tyler Morgan|2013-03-03", "Isla|15"}},
		{"an age in brackets with years", lead + "His little brother Jude (4 yrs) is at home.\n",
			[]string{"Tyler Morgan|2013-03-03", "Jude|4"}},
		{"the age told in brackets", lead + "His younger sister Ruby (she's 9, at Oakfield) was there too.\n",
			[]string{"Tyler Morgan|2013-03-03", "Ruby|9"}},
		{"a school year in brackets", lead + "His brother Kai (Year 4 at Oakfield Primary) saw it.\n",
			[]string{"Tyler Morgan|2013-03-03", "Kai"}},
		{"a school year said of the name", lead + "His sister Poppy is in Year 1 at Oakfield Primary.\n",
			[]string{"Tyler Morgan|2013-03-03", "Poppy"}},
		{"an age in months", lead + "The baby Freddie (7 months) was asleep upstairs.\n",
			[]string{"Tyler Morgan|2013-03-03", "Freddie"}},
		{"a half-sister", lead + "His half-sister Amber (aged 12) stays at weekends.\n",
			[]string{"Tyler Morgan|2013-03-03", "Amber|12"}},
		{"a school year between commas", lead + "His sister Nell, Year 2, is at Oakfield Primary.\n",
			[]string{"Tyler Morgan|2013-03-03", "Nell"}},
		{"aged without brackets", lead + "His brother Jude aged 5 was in the room.\n",
			[]string{"Tyler Morgan|2013-03-03", "Jude|5"}},
		{"a stepbrother", lead + "His stepbrother Kieran (14) lives there too.\n",
			[]string{"Tyler Morgan|2013-03-03", "Kieran|14"}},
		{"a capitalised Siblings label", lead + "\nSiblings: Nell (6), Jude (9).\n",
			[]string{"Nell|6", "Jude|9", "Tyler Morgan|2013-03-03"}}, // (the list's label read first)

		// guard rows: an adult, an adult's relative, a title, a place or an old age is no child
		{"an adult's age", lead + "His brother Dean (aged 22) was arrested.\n", []string{"Tyler Morgan|2013-03-03"}},
		{"mum's brother", lead + "Mum's brother Lewis (aged 17) stays some nights.\n", []string{"Tyler Morgan|2013-03-03"}},
		{"the partner's son", lead + "Her partner's son Kyle (aged 16) visits.\n", []string{"Tyler Morgan|2013-03-03"}},
		{"a ward sister", lead + "I spoke to the ward sister Angela (Year 3 rota lead).\n", []string{"Tyler Morgan|2013-03-03"}},
		{"a title, capitalised", lead + "Sister Bernadette (aged 9 when she joined the order) rang.\n", []string{"Tyler Morgan|2013-03-03"}},
		{"a brother-in-law", lead + "Mum's brother-in-law Craig (aged 15 years ago) lives nearby.\n", []string{"Tyler Morgan|2013-03-03"}},
		{"a grandson's word inside another", lead + "Mr Hudson (Year 6 teacher) and Jackson (aged 40) came in.\n", []string{"Tyler Morgan|2013-03-03"}},
		{"a place after the kin word", lead + "His sister lives in Flat (2) upstairs.\n", []string{"Tyler Morgan|2013-03-03"}},
		{"a name in capitals", lead + "His brother NOTE (aged 5) see below.\n", []string{"Tyler Morgan|2013-03-03"}},
		{"a sister-in-law", lead + "Her sister-in-law Jo (in Year 10 when it started) helps.\n", []string{"Tyler Morgan|2013-03-03"}},
		{"months sober", lead + "His son Carl (18 months sober) is supportive.\n", []string{"Tyler Morgan|2013-03-03"}},
		{"mum's stepbrother", lead + "Mum's stepbrother Kyle (14) stays over.\n", []string{"Tyler Morgan|2013-03-03"}},
		{"aged, an adult", lead + "His brother Dean aged 24 was arrested.\n", []string{"Tyler Morgan|2013-03-03"}},
		{"a capitalised Children label, places", lead + "\nChildren: Flat (2), Room (3).\n", []string{"Tyler Morgan|2013-03-03"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := childrenOf(parseBody(t, "Referral", c.body))
			if !slices.Equal(got, c.want) {
				t.Errorf("children %q, want %q", got, c.want)
			}
		})
	}
}

// A case system's export names every patient with a courtesy title, a child too ("Patient: Mr Tobias
// MENSAH-COLE"): under a child's-name label the title is read past when the form's date of birth or age says a
// child; an adult patient, a patient with no date, a "Mrs" or a professional's title stays no child.
func TestChildren_PatientNamedWithCourtesyTitle(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"Mr, a child's date of birth", "Patient: Mr Rowan HALLIDAY\nDOB: 12-Mar-2014\nNHS number: 999 000 1111\n",
			[]string{"Rowan Halliday|2014-03-12"}},
		{"Miss, a child's date of birth", "Patient name: Miss Esme Carr-Whitley\nDate of birth: 02/09/2017\n",
			[]string{"Esme Carr-Whitley|2017-09-02"}},
		{"Master, an age", "Child's name: Master Theo Banks\nAge: 6\n",
			[]string{"Theo Banks|6"}},

		// guard rows
		{"Mr, an adult's date of birth", "Patient: Mr Gordon PRICE\nDOB: 04-Jan-1979\nConcern: his grandson\n", nil},
		{"Miss, no date or age", "Patient: Miss Leanne Cole\nAddress: 4 Mill Road\n", nil},
		{"Mrs, a child's date (mother's row misfiled)", "Patient: Mrs Abena Kofi\nDOB: 14/02/2012\n", nil},
		{"Dr in a name row", "Name: Dr Helen Marsh\nDOB: 02/02/2015\n", nil},
		{"Mr under a plain Name label", "Name: Mr Colin Best\nDOB: 02/02/2015\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := namedOf(parseBody(t, "Referral", c.body))
			if !slices.Equal(got, c.want) {
				t.Errorf("children %q, want %q", got, c.want)
			}
		})
	}
}

// A list of children written as columns, one row each, where a row gives "Age N" in the date of birth's place (a
// police notice's youngest): the row is a child's beside another child's row of the list.
func TestChildren_ListRowWithAgeForDate(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"surname first, beside a date row", "CHILDREN\nHARTLEY Jonah     DOB 04/05/2015    School: Oakfield\nHARTLEY Mae       Age 3             None\n",
			[]string{"Jonah Hartley|2015-05-04", "Mae Hartley|3"}},
		{"given name first, the age row first", "Children present:\nLexi Marsh - Age: 1\nTommy Marsh - DOB 11/11/2016\n",
			[]string{"Tommy Marsh|2016-11-11", "Lexi Marsh|1"}},
		{"two age rows", "Kids in the house:\nRio Grant   aged 7\nSkye Grant   aged 4\n",
			[]string{"Rio Grant|7", "Skye Grant|4"}},
		{"months", "CHILDREN\nHARTLEY Jonah     DOB 04/05/2015\nHARTLEY Mae       Age 9 months\n",
			[]string{"Jonah Hartley|2015-05-04", "Mae Hartley"}},

		// guard rows
		{"an adult's age row beside a child's", "CHILDREN\nHARTLEY Jonah     DOB 04/05/2015\nHARTLEY Dean      Age 41\n",
			[]string{"Jonah Hartley|2015-05-04"}},
		{"a lone age row", "Referral about the family.\nCarl Hughes   Age 16\n\nHe says he is fine.\n", nil},
		{"beside an adult's date row", "SUSPECT\nPRICE Dean     DOB 02/02/1990\nPRICE Kyle     Age 17\n", nil},
		{"a role's row", "Jonah Hartley  DOB 04/05/2015\nSocial Worker  Age 3 years qualified\n",
			[]string{"Jonah Hartley|2015-05-04"}},
		{"a place's row", "Jonah Hartley  DOB 04/05/2015\nGrove House  Age 5 block, see map\n",
			[]string{"Jonah Hartley|2015-05-04"}},
		{"a mother's row", "Jonah Hartley  DOB 04/05/2015\nMum Kelly  Age 15 when he was born\n",
			[]string{"Jonah Hartley|2015-05-04"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := namedOf(parseBody(t, "Referral", c.body))
			if !slices.Equal(got, c.want) {
				t.Errorf("children %q, want %q", got, c.want)
			}
		})
	}
}

// A list's or a form row's child written with the relation in brackets after the name, then the age ("Other
// children in the household | Alfie Penhaligon (half-brother), 8 - Northern Parade Junior School"): the bracket
// is read past; any other relation (an adult's) leaves the entry as it was.
func TestChildren_ListEntryWithRelationInBrackets(t *testing.T) {
	const lead = "Child's name: Mya Lowe\nDOB: 02/02/2013\n"
	cases := []struct {
		name, body string
		want       []string
	}{
		{"a form's other-children row", lead + "Other children in the household: Jack Lowe (brother), 9 - Oak Primary School\n",
			[]string{"Mya Lowe|2013-02-02", "Jack Lowe|9"}},
		{"two in a list", lead + "Siblings:\n- Ava Lowe (half-sister), 5\n- Max Grey (stepbrother), 12\n",
			[]string{"Mya Lowe|2013-02-02", "Ava Lowe|5", "Max Grey|12"}},

		// guard rows
		{"an adult's relation", lead + "Other children in the household: Dean Cole (uncle), 16\n", []string{"Mya Lowe|2013-02-02"}},
		{"an adult brother", lead + "Other children in the household: Kyle Lowe (brother), 19\n", []string{"Mya Lowe|2013-02-02"}},
		{"a mother's row", lead + "Household: Donna Lowe (mother), 34\n", []string{"Mya Lowe|2013-02-02"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := namedOf(parseBody(t, "Referral", c.body))
			if !slices.Equal(got, c.want) {
				t.Errorf("children %q, want %q", got, c.want)
			}
		})
	}
}

// A child named only in the subject with an age said to be one ("SAFEGUARDING REFERRAL - JAYDEN PRICE 7YRS - NN8 -
// INC 2611280093"), or with a class before a date of birth in brackets ("FW: Concern - Leah MCKENZIE 7G
// (01/03/2015)"), when the body names no child.
func TestChildren_SubjectNameWithAgeOrClass(t *testing.T) {
	const body = "Please see the attached notes from the crew. Mum was present.\n"
	cases := []struct {
		name, subject string
		want          []string
	}{
		{"capitals with YRS", "SAFEGUARDING - ROBBIE KANE 5YRS - PE3 - JOB 4471", []string{"Robbie Kane|5"}},
		{"aged", "Concern: Tia Marsh aged 9 | Northampton", []string{"Tia Marsh|9"}},
		{"years old", "Referral - Ola Nowak 12 years old", []string{"Ola Nowak|12"}},
		{"age in brackets", "Welfare concern - Kit Lowry (6) - urgent", []string{"Kit Lowry|6"}},
		{"a class before a bracketed date", "FW: Concern - Ruby HALE 8B (04/04/2014)", []string{"Ruby Hale|2014-04-04"}},
		{"aged in brackets", "Safeguarding - Eli Marsh (aged 10)", []string{"Eli Marsh|10"}},
		{"a unit in brackets", "Welfare - Eli Marsh (10yrs) - school", []string{"Eli Marsh|10"}},
		{"the subject's words before the name", "Safeguarding referral re ELI MARSH AGED 10", []string{"Eli Marsh|10"}},

		// guard rows
		{"an adult's age", "REFERRAL - DEAN PRICE 24YRS - NN8", nil},
		{"a stage of education", "Referral - Early Years 3yrs", nil},
		{"a police operation", "Police - Op Falcon 2yrs", nil},
		{"a service and an age", "Early Help Team 6 yrs - review", nil},
		{"a place and an age", "Incident - Grange Park 2 yrs ago", nil},
		{"no unit", "Referral - Mia Cole 7 - NN8", nil},
		{"mum's age", "Concern - Mum Kelly 15yrs", nil},
		{"a flat and an age", "Referral - Flat Four 3yrs arrears", nil},
		{"an adult's age in brackets", "Concern re Dean Price (aged 34) - DA", nil},
		{"a team in brackets", "Referral - Early Help (aged 10)", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := namedOf(parseBody(t, c.subject, body))
			if !slices.Equal(got, c.want) {
				t.Errorf("children %q, want %q", got, c.want)
			}
		})
	}
}

// Twins named with one family name and one date of birth, "twins" written between the names and the date
// ("Amelie and Oscar Dunne, twins, born 14/05/2025", typed under a MASH question in a reply).
func TestChildren_TwinsAsideBeforeDate(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"commas", "1. Full names and dates of birth\n>> Maya and Zac Ford, twins, born 02/02/2024 at the Royal.\n",
			[]string{"Maya Ford|2024-02-02", "Zac Ford|2024-02-02"}},
		{"brackets", "The children are Maya Ford and Zac Ford (twins) DOB 02/02/2024.\n",
			[]string{"Maya Ford|2024-02-02", "Zac Ford|2024-02-02"}},
		{"dashes", "Maya and Zac Ford - twins - DOB 02/02/2024\n",
			[]string{"Maya Ford|2024-02-02", "Zac Ford|2024-02-02"}},

		// guard rows
		{"an adult twin", "Mum Jodie Ford, a twin, born 02/02/1995, says she is coping.\n", nil},
		{"a visit's date", "Maya and Zac Ford, twins, seen at clinic 02/11/2026.\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := namedOf(parseBody(t, "Referral", c.body))
			if !slices.Equal(got, c.want) {
				t.Errorf("children %q, want %q", got, c.want)
			}
		})
	}
}

// A row written as columns between spaced dashes, the child's name first and its date of birth in a later column
// ("2. ROSIE WALSH - YR 5 - HAWTHORN PRIMARY - DOB 14/5/17 - ATT 52%"): the child is the first column's, never the
// school's initials or name in the column before the date.
func TestChildren_DashColumnsRowNameFirst(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"capitals, school initials before the date", "REFERRING 2 SIBLINGS\n\n1. MASON REID - YR 8 - NCA - DOB 03/04/13 - ATT 61%\n2. ELLA REID - YR 3 - OAKWAY PRIMARY - DOB 9/9/18 - ATT 70%\n",
			[]string{"Mason Reid|2013-04-03", "Ella Reid|2018-09-09"}},
		{"mixed case, one row", "Pupil: Mason Reid - Year 8 - NCA - DOB 03/04/2013\n",
			[]string{"Mason Reid|2013-04-03"}},

		// guard rows
		{"a professional's row", "Contact log:\n- Amy Cole - Health Visitor - visited 12/11/2026 - no concerns\n", nil},
		{"an adult's row", "1. DEAN REID - DAD - DOB 02/02/1985 - NO CONTACT\n", nil},
		{"a sentence, not columns", "Seen by Kim Lowe - who is in Year 8, and whose mum rang - DOB 03/04/2013\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := namedOf(parseBody(t, "Referral", c.body))
			if !slices.Equal(got, c.want) {
				t.Errorf("children %q, want %q", got, c.want)
			}
		})
	}
}

// "his DOB is …" / "her date of birth is …" in the sentence that names the child: the date is that child's, as
// "he was born …" is; a sentence that speaks of someone else between the name and the cue, or a full stop, leaves
// it.
func TestChildren_PossessiveDOBInTheNamingSentence(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"his DOB is", "It's about Reggie Hollis who comes to us three days a week, his DOB is 04/02/22 so he's nearly 5.\n",
			[]string{"Reggie Hollis|2022-02-04"}},
		{"her date of birth is", "I am writing about Niamh Carter, one of our Year 4 girls, her date of birth is 9 May 2017.\n",
			[]string{"Niamh Carter|2017-05-09"}},

		// guard rows
		{"the son's date beside his mother's name", "I spoke to Jade Hollis about her son, his DOB is 04/02/22.\n", nil},
		{"another sentence between", "I spoke to Paula Grant on Monday. She was upset. His DOB is 04/02/22 and he attends Oak Primary.\n", nil},
		{"the next sentence", "I'm writing about Reggie Hollis. His DOB is 04/02/22.\n", []string{"Reggie Hollis|2022-02-04"}},
		{"a full name's possessive", "Re: Reggie Hollis\nReggie Hollis's DOB is 04/02/22.\n", []string{"Reggie Hollis|2022-02-04"}},
		{"a possessive after a word that is no given name", "Yesterday Reggie's DOB is 04/02/22 on the form.\n", nil},
		{"an adult's date", "Mum is Jade Hollis, her DOB is 01/01/1994.\n", nil},
		{"mum between", "Reggie Hollis lives with mum, her DOB is 01/09/2010.\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := namedOf(parseBody(t, "Referral", c.body))
			if !slices.Equal(got, c.want) {
				t.Errorf("children %q, want %q", got, c.want)
			}
		})
	}
}

// A count of sisters, brothers or children and their given names sharing a family name straight after it, each
// said to be an age under 18 somewhere in the email, in any case ("i have 2 sisters Lola and Mimi Okonkwo-Reid,
// lola is 7 … mimi is 2").
func TestChildren_CountedSiblingsSharingAFamilyName(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"lower-case ages", "i mind 2 brothers Kit and Rory Dunmore, kit is 6 and rory is 3, since september\n",
			[]string{"Kit Dunmore|6", "Rory Dunmore|3"}},
		{"three, capitalised ages", "She has three kids Ava, Leo and Skye Tranter. Ava is 12, Leo is 9 and Skye is 4.\n",
			[]string{"Ava Tranter|12", "Leo Tranter|9", "Skye Tranter|4"}},

		// guard rows
		{"adults, no ages", "Mum has two sisters Kelly and Dawn Tranter who help out.\n", nil},
		{"one without an age", "i mind 2 brothers Kit and Rory Dunmore, kit is 6.\n", nil},
		{"an adult's possessive", "mums two brothers Kit and Rory Dunmore visit, kit is 16 and rory is 15 i think\n", nil},
		{"a place after the names", "two children Kit and Rory Road are 6 and 3\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := namedOf(parseBody(t, "Referral", c.body))
			if !slices.Equal(got, c.want) {
				t.Errorf("children %q, want %q", got, c.want)
			}
		})
	}
}

// A baby named by a given name whose sentence says the age it is or turned in a month, and the family it is of
// ("the baby Rosie-Mae – she's Wayne's so she's a Fenn not a Stokes – she was 1 in January", "Wayne Fenn" written
// elsewhere).
func TestChildren_BabyAgeAndFamilyInItsSentence(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"turned in a month, the family said and written", "Dean Pryce is her new partner. Then there is the baby Lottie - she's Dean's so she's a Pryce - she was 1 in March.\n",
			[]string{"Lottie Pryce|1"}},
		{"is, no family", "And the baby Arlo, he's 2, is with nan.\n", []string{"Arlo|2"}},

		// guard rows
		{"an age at another time", "The baby Arlo - he was 1 when dad left - is now with nan.\n", nil},
		{"a family never written with a given name", "The baby Lottie, she's a Pryce, she is 1.\n", []string{"Lottie|1"}},
		{"an adult's age", "Baby Arlo's dad - he is 24 - was there.\n", nil},
		{"the baby's age in another sentence", "We saw baby Arlo. He is 2 weeks behind on checks.\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := namedOf(parseBody(t, "Referral", c.body))
			if !slices.Equal(got, c.want) {
				t.Errorf("children %q, want %q", got, c.want)
			}
		})
	}
}

// The children listed after "are" as a given name and a bare age each ("the other two are Nevaeh 7 and a baby boy
// Kairo, 10 months").
func TestChildren_AreListOfNamesWithBareAges(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"two of three", "the eldest is at school. the other two are Tilly 6 and a baby girl, 4 months\n", []string{"Tilly|6"}},
		{"all three", "The kids are Mia 9, Jax 5 and Remi 2.\n", []string{"Mia|9", "Jax|5", "Remi|2"}},
		{"a count and a dash", "Dad has 3 kids - Rosa 8, Finn 6 and Ivo 3.\n", []string{"Rosa|8", "Finn|6", "Ivo|3"}},
		{"a label, full names", "Children: Rosa Lind 8, Finn Lind 6\n", []string{"Rosa Lind|8", "Finn Lind|6"}},

		// guard rows
		{"school years", "The children are Year 7 and Year 4 at Oak Academy.\n", nil},
		{"a flat", "The others are Flat 7 and Flat 9, both empty.\n", nil},
		{"adults", "Her brothers are Dean 24 and Lee 29.\n", nil},
		{"a room", "The kids were Room 4 and Class 2 last year.\n", nil},
		{"a score", "The others are Newport 3 and Cardiff 1.\n", nil},
		{"a count of rooms", "The flat has 2 bedrooms - Room 1 and Room 2.\n", nil},
		{"a label and places", "Children: Ward 7, Bay 4\n", nil},
		{"a label and adults' ages", "Children: Rosa Lind 28, Finn Lind 36\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := namedOf(parseBody(t, "Referral", c.body))
			if !slices.Equal(got, c.want) {
				t.Errorf("children %q, want %q", got, c.want)
			}
		})
	}
}

// A full name with its age said with a unit between commas or in brackets, or as "is a 7 year old girl".
func TestChildren_NameWithAgeSaidInWords(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"years old between commas", "Ruby Vance, 9 yrs old, disclosed to staff.\n", []string{"Ruby Vance|9"}},
		{"yo between commas", "Ruby Vance, 9yo, disclosed to staff.\n", []string{"Ruby Vance|9"}},
		{"age between commas", "Ruby Vance, age 9, disclosed to staff.\n", []string{"Ruby Vance|9"}},
		{"years old in brackets", "Ruby Vance (9 years old) disclosed to staff.\n", []string{"Ruby Vance|9"}},
		{"is a year old girl", "Ruby Vance is a 9 year old girl in Year 4.\n", []string{"Ruby Vance|9"}},

		// guard rows
		{"an adult", "Dean Vance, 34 yrs, was arrested.\n", nil},
		{"an adult relation before", "Her partner, Dean Vance, 17 yrs, was arrested.\n", nil},
		{"a place", "Mill Court, 9 yrs, has been empty.\n", nil},
		{"a service", "Early Help, 2 yrs, closed in May.\n", nil},
		{"a number that is no age", "Flat 4, 12, and Flat 6, 10, were visited.\n", nil},
		{"is a year old car", "Dean Vance is a 9 year old driver.\n", nil},
		{"a child's mother", "Sue Vance is a 9 year old girl's mother.\n", nil},
		{"a length of service", "John Vance, 10 years, has been our caretaker.\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := namedOf(parseBody(t, "Referral", c.body))
			if !slices.Equal(got, c.want) {
				t.Errorf("children %q, want %q", got, c.want)
			}
		})
	}
}

// A name read from capitals takes the case the email writes it in elsewhere ("Leah MCKENZIE 7G (01/03/2015)" in the
// subject, "Mum (Gemma McKenzie)" in the body): Leah McKenzie, not Leah Mckenzie.
func TestChildren_NameFromCapitalsTakesTheWrittenCase(t *testing.T) {
	cases := []struct {
		name, subject, body string
		want                []string
	}{
		{"a Mc surname", "FW: Concern - Leah MCKENZIE 7G (01/03/2015)", "We spoke to Mum (Gemma McKenzie) today.\n", []string{"Leah McKenzie|2015-03-01"}},
		{"a Mac surname in a list", "Referral", "CHILDREN\nMACDONALD Isla   DOB 02/02/2016\n\nDad is Rory MacDonald.\n", []string{"Isla MacDonald|2016-02-02"}},

		// guard rows
		{"no mixed case elsewhere", "FW: Concern - Leah MCKENZIE 7G (01/03/2015)", "We spoke to Mum today.\n", []string{"Leah Mckenzie|2015-03-01"}},
		{"part of a longer word", "Concern - Ava WARD (01/03/2015)", "She lives near Wardrobe Lane, see Edward's note.\n", []string{"Ava Ward|2015-03-01"}},
		{"a name never in capitals", "Referral", "Child's name: Leah Mckenzie\nDOB: 01/03/2015\nDad: Ian McKenzie\n", []string{"Leah Mckenzie|2015-03-01"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := namedOf(parseBody(t, c.subject, c.body))
			if !slices.Equal(got, c.want) {
				t.Errorf("children %q, want %q", got, c.want)
			}
		})
	}
}
