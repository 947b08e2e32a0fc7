package email

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// Portsmouth §4.6 (the IACF's child details): the child's name, date of birth and school are read however the
// referrer writes them, and a value that is not the child's is never read as one — a wrong name or school is
// worse than none, which the screener is asked for (needsCompletion). The third and fourth rounds' rules, one
// row each (subject: the email's subject line, "Referral" when empty; a child with an age and no date of birth
// is written with "age N" for the date).
func TestPortsmouth_ChildDetails_ReadAsReferrersWriteThem(t *testing.T) {
	type kid struct{ name, dob, school string }
	cases := []struct {
		name, subject, body string
		want                []kid
	}{
		// One child read twice in one email is one child: a middle name is not a family name, nor a first name
		// alone another child.
		{"surname-first with a middle name, then the first name alone", "", "Name: OKAFOR, Chidi Emeka\nDOB: 03/04/2011\nAge: 15\n\nChidi (15) agreed to this referral.\n",
			[]kid{{"Chidi Emeka Okafor", "2011-04-03", ""}}},
		{"first and middle names before the family name's row", "", "Name: DEVLIN, Rosa Mae\nDate of birth: 21/01/2014\n\nRosa Mae (12) told her teacher about the bruise.\n",
			[]kid{{"Rosa Mae Devlin", "2014-01-21", ""}}},
		{"two brothers sharing a first name's start are two", "", "Children:\n1. Jamie Lee Hart DOB 02/02/2012\n2. Jamie Hart DOB 05/05/2016\n",
			[]kid{{"Jamie Lee Hart", "2012-02-02", ""}, {"Jamie Hart", "2016-05-05", ""}}},
		// A writer's aside after a list is not a child: "Sorry, typo above - Kacey's DOB should be …".
		{"an apology after the list", "", "Children:\n1. Kacey Doyle DOB 11/03/2013\n2. Mason Doyle DOB 02/02/2016\nSorry, typo above - Kacey's DOB should be 11/04/2013\n",
			[]kid{{"Kacey Doyle", "2013-04-11", ""}, {"Mason Doyle", "2016-02-02", ""}}},
		{"apologies with a date", "", "Children:\n- Kacey Doyle, 11/03/2013\nApologies, this should have come to you on 20/11/2026.\n",
			[]kid{{"Kacey Doyle", "2013-03-11", ""}}},
		// A referrer's row in a numbered part of the form is not a second child.
		{"part heading before the referrer's name", "", "Full name: Priya Sharma\nDate of Birth: 22/06/2010\nPart C: Referrer\nName: Dr Helen Marsh\n",
			[]kid{{"Priya Sharma", "2010-06-22", ""}}},
		{"section heading with a dash", "", "Name: Priya Sharma\nDOB: 22/06/2010\nSection 3 - Referrer details\nName: Helen Marsh\n",
			[]kid{{"Priya Sharma", "2010-06-22", ""}}},
		{"an adult's title is never a child's name", "", "Child's name: Mr Dean Mallory\nConcerns: he writes to the family.\n", nil},
		// A summary's bullet label with a date after it is not a child.
		{"consent bullet with a date", "", "- Jayden Marsh, 07/03/2015\n- Consent - his mother signed our sharing form on 12/06/26\n",
			[]kid{{"Jayden Marsh", "2015-03-07", ""}}},
		{"review bullet with a date", "", "Child: Amira Haddad 01.03.2018\nReview: 14/11/2026 at the school\n", []kid{{"Amira Haddad", "2018-03-01", ""}}},
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
		// A school the child was at before is not the school: a wrong school sends the screener to the wrong DSL.
		{"was at a school", "", "Children:\n- Jodie PRICE  DOB 11.03.13  Y8 - was at Hillside Academy; no school place here yet\n",
			[]kid{{"Jodie Price", "2013-03-11", ""}}},
		{"previous school, then the new one", "", "Children:\n- Jodie PRICE  DOB 11.03.13; previously at Hillside Academy; now at Oakfield School\n",
			[]kid{{"Jodie Price", "2013-03-11", "Oakfield School"}}},
		{"a school whose name sounds past", "", "Children:\n- Jodie PRICE  DOB 11.03.13, Old Hall Primary School\n",
			[]kid{{"Jodie Price", "2013-03-11", "Old Hall Primary School"}}},
		{"used to attend, in prose", "", "Jodie Price (DOB 11/03/2013) used to attend Hillside Academy before the family moved.\n",
			[]kid{{"Jodie Price", "2013-03-11", ""}}},
		// A stacked block: name, a line about school, the date of birth.
		{"stacked block", "", "Tia Clarke\nYear 9, Springfield School\nborn 19.3.2012\n", []kid{{"Tia Clarke", "2012-03-19", "Springfield School"}}},
		{"stacked label is not a name", "", "Forename Lewis\nDOB 24/12/2011\n", []kid{{"", "2011-12-24", ""}}},
		// Ages said in a sentence.
		{"aged N after the name", "", "She has two children: Ruby Tanner, aged 8, and Alfie Tanner, aged 5.\n", []kid{{"Ruby Tanner", "age 8", ""}, {"Alfie Tanner", "age 5", ""}}},
		{"an adult's age", "", "Mum, Leanne Brooks, aged 28, said he hit her.\n", nil},
		{"age with a comma in the bracket", "", "One of our young people, Zoé Lefort (11, Year 7 at Ashmole Academy), told me.\n", []kid{{"Zoé Lefort", "age 11", "Ashmole Academy"}}},
		// A school's DSL referring one pupil: the referrer's school.
		{"school from the DSL's signature", "", "Ellie Parr (DOB 05/01/2013) told her teacher she is hungry.\n\nKind regards\nSam Lee\nDesignated Safeguarding Lead, Oakfield Primary School\n",
			[]kid{{"Ellie Parr", "2013-01-05", "Oakfield Primary School"}}},
		{"not a school nurse's cluster", "", "Ellie Parr (DOB 05/01/2013) told me she is hungry.\n\nKind regards\nSam Lee\nSchool Nurse, Oakfield Primary School and Lea cluster\n",
			[]kid{{"Ellie Parr", "2013-01-05", ""}}},
		{"not for two children", "", "Noah Baxter and Elliot Baxter (twins, DOB 05/10/2017) are hungry.\n\nKind regards\nSam Lee\nDesignated Safeguarding Lead, Oakfield Primary School\n",
			[]kid{{"Noah Baxter", "2017-10-05", ""}, {"Elliot Baxter", "2017-10-05", ""}}},

		// The fourth round's rules.
		// The surname first, in capitals, with a comma (police and case systems), "b." for born.
		{"surname first in a numbered list", "", "Children in the house:\n1) OKAFOR, Daniel b.12/08/2015 - Highbury Junior School\n2) OKAFOR, Grace b. 03/03/2021 - not in school\n",
			[]kid{{"Daniel Okafor", "2015-08-12", "Highbury Junior School"}, {"Grace Okafor", "2021-03-03", ""}}},
		{"surname first in a sentence", "", "Concern for PATEL, Arjun (DOB 19/04/2012), who disclosed that he is hit.\n", []kid{{"Arjun Patel", "2012-04-19", ""}}},
		{"surname first in the subject", "Strategy request: KOWALSKI, Nina (DOB 02.09.2013) - missing episodes", "The young person above was found at 02:00 in a car with two adults.\n",
			[]kid{{"Nina Kowalski", "2013-09-02", ""}}},
		{"an adult surname first is not a child", "", "Aggrieved: HOLT, Dianne (DOB 14/07/1991)\n", nil},
		// A dash after DOB; a dash alone is no cue.
		{"DOB and a dash", "", "Kai Brennan, DOB - 3/9/14, Year 7 at Ridgeway Academy, has missed 12 days.\n", []kid{{"Kai Brennan", "2014-09-03", "Ridgeway Academy"}}},
		{"a dash is not a DOB cue", "", "Last Contact - 12/11/2025\nHome Visit - 02/10/2025\n", nil},
		// "aged N" without "years".
		{"aged N after a list label", "", "Child: Mia Marsh (DOB 01/02/2020)\nSiblings: Toby Marsh, aged 6; Ella Marsh, aged 11\n",
			[]kid{{"Mia Marsh", "2020-02-01", ""}, {"Toby Marsh", "age 6", ""}, {"Ella Marsh", "age 11", ""}}},
		// Tables typed into a plain-text email: a header line, then one line per person.
		{"tab-separated table", "", "Name\tDate of birth\tSchool\nLeah Morris\t14/02/2012\tCastle View Academy\nSam Morris\t09/09/2016\tCastle View Primary\n",
			[]kid{{"Leah Morris", "2012-02-14", "Castle View Academy"}, {"Sam Morris", "2016-09-09", "Castle View Primary"}}},
		{"pipe table with the adults in it", "", "Name | Relationship | DOB\nDonna Reid | Mother | 11/11/1989\nKeith Reid | Stepfather | \nJayden Reid | Son | 05/05/2011\n",
			[]kid{{"Jayden Reid", "2011-05-05", ""}}},
		{"an adult by date of birth", "", "Name | DOB\nCarl Finch | 30/06/1975\nAmber Finch | 12/12/2016\n", []kid{{"Amber Finch", "2016-12-12", ""}}},
		{"Markdown table", "", "| Name | DOB | School |\n|---|---|---|\n| Ivy Stone | 01/01/2019 | Elm Tree Nursery |\n", []kid{{"Ivy Stone", "2019-01-01", "Elm Tree Nursery"}}},
		// School labels a setting writes.
		{"setting / school label", "", "Name: Ruby Cole\nDOB: 04/04/2021\nSetting/School: Sunflowers Pre-School\n", []kid{{"Ruby Cole", "2021-04-04", "Sunflowers Pre-School"}}},
		{"early years setting label", "", "Name: Ruby Cole\nDOB: 04/04/2021\nEarly years setting: Little Owls Day Nursery\n", []kid{{"Ruby Cole", "2021-04-04", "Little Owls Day Nursery"}}},
		// A signature without a sign-off: a name line, then the role.
		{"unsigned signature of a head and DSL", "", "Name: Ava Grant\nDOB: 01/03/2016\nShe arrived hungry again.\n\nJo Pike\nAssistant Head and DSL, Hillside Primary School\n",
			[]kid{{"Ava Grant", "2016-03-01", "Hillside Primary School"}}},
		{"not two schools", "", "Name: Ava Grant\nDOB: 01/03/2016\nShe arrived hungry again.\n\nJo Pike\nSafeguarding Lead, Hillside Primary and Valley Infant Schools\n",
			[]kid{{"Ava Grant", "2016-03-01", ""}}},
		// A young person writing in lower case: two name words and an age or date of birth on the line.
		{"lower-case self-referral", "", "hi my name is leo grant im 13 and i go to northfield academy. my dad hits me\n", []kid{{"Leo Grant", "age 13", "Northfield Academy"}}},
		// First names with an age, listed after a word for children.
		{"children listed by first name", "", "Her new partner has two children, Maddie (7) and Rhys (4), who stay at weekends.\n",
			[]kid{{"Maddie", "age 7", ""}, {"Rhys", "age 4", ""}}},
		{"kids after a colon", "", "He lives with his kids: Ava (10), Theo (6) & Ivy (1).\n",
			[]kid{{"Ava", "age 10", ""}, {"Theo", "age 6", ""}, {"Ivy", "age 1", ""}}},
		{"adult brothers listed", "", "Amy's brothers, Dean (24) and Craig (27), live nearby.\n", nil},
		// A young person's age beside their date of birth: the date is kept, the age is not claimed as well.
		{"lower-case age and birthday", "", "hi my name is leo grant im 13 my birthday is 9/10/13 and i go to northfield academy\n", []kid{{"Leo Grant", "2013-10-09", "Northfield Academy"}}},
		{"age and dob", "", "My name is Leo Grant, I am 13, DOB 09.10.2013.\n", []kid{{"Leo Grant", "2013-10-09", ""}}},
		{"lower-case adult", "", "hi my name is sarah dean im 34 and im worried about the kids next door\n", nil},
		{"lower-case given name only", "", "my name is leo and im 13\n", nil},
		// An age in words: "approximately 7 years old".
		{"about N years old", "", "The caller named the boy as Kai Moss, about 12 years old, and said he sleeps in the car.\n", []kid{{"Kai Moss", "age 12", ""}}},
		{"an adult N years old", "", "Their neighbour Paul Reed, 45 years old, called the police.\n", nil},
		// The newest message signs first: a DSL forwarding a school nurse's note.
		{"forwarding DSL's signature", "Fwd: note", "Forwarding the note below.\n\nPriya Shah\nDesignated Safeguarding Lead, Marsh Lane Primary School\n\n" +
			"---------- Forwarded message ---------\nFrom: School Nurse <nurse@nhs.example.net>\nDate: Mon, 23 Nov 2026 at 10:00\nSubject: note\nTo: Priya Shah <p.shah@marshlane.example.sch.uk>\n\n" +
			"Name: Tom Hale\nDOB: 02/02/2015\n\nThanks\nAnn (School Nurse)\n", []kid{{"Tom Hale", "2015-02-02", "Marsh Lane Primary School"}}},
		// Form labels as forms print them.
		{"DOB without a colon", "", "Pupil: Josh Carter\nDOB 4.7.16\n", []kid{{"Josh Carter", "2016-07-04", ""}}},
		{"DOB with a dash", "", "Name: Josh Carter\nD.O.B - 04/07/2016\n", []kid{{"Josh Carter", "2016-07-04", ""}}},
		{"a DOB label before prose is no date", "", "Name: Josh Carter\nDOB not known, about 9\n", []kid{{"Josh Carter", "", ""}}},
		{"guidance in brackets", "", "Child's name (first and surname): Josh Carter\nDate of birth (dd/mm/yyyy): 04/07/2016\n", []kid{{"Josh Carter", "2016-07-04", ""}}},
		{"child or young person", "", "Name of child/young person: Josh Carter\nDOB: 04/07/2016\n", []kid{{"Josh Carter", "2016-07-04", ""}}},
		{"two fields on a line", "", "First name: Josh     Surname: CARTER\nDOB: 04/07/2016\tGender: M\n", []kid{{"Josh Carter", "2016-07-04", ""}}},
		{"two unknown fields on a line", "", "Name: Josh Carter\nSeen: 02/11/2026     Next visit: 09/11/2026\n", []kid{{"Josh Carter", "", ""}}},
		{"born on the", "", "I'm writing about Josh Carter, born on the 4th of July 2016, who lives next door.\n", []kid{{"Josh Carter", "2016-07-04", ""}}},
		{"school attending", "", "Name: Josh Carter\nSchool attending: Brook Lane Junior School\n", []kid{{"Josh Carter", "", "Brook Lane Junior School"}}},
		{"educational establishment", "", "Name: Josh Carter\nEducational establishment: Brook Lane Junior School\n", []kid{{"Josh Carter", "", "Brook Lane Junior School"}}},
		// An age asked for by the form, and ages with their unit in brackets.
		{"age label", "", "Name: Josh Carter\nAge: 9\n", []kid{{"Josh Carter", "age 9", ""}}},
		{"an adult's age label", "", "Name: Josh Carter\nAge: 34\n", []kid{{"Josh Carter", "", ""}}},
		// Names with what referrers write around them.
		{"subject with dashes", "Concern - Nina KOWALSKI - DOB 02.09.2013", "Please see the notes below.\n", []kid{{"Nina Kowalski", "2013-09-02", ""}}},
		{"numbered subjects, surname first", "", "Subject 1: OKAFOR, Grace (F) DOB 03/03/2021\nSubject 2: OKAFOR, Daniel (M) DOB 12/08/2015\n",
			[]kid{{"Grace Okafor", "2021-03-03", ""}, {"Daniel Okafor", "2015-08-12", ""}}},
		{"a letter's Re: line", "", "Re: Josh Carter, 04/07/2016\n\nI write about Josh's attendance.\n", []kid{{"Josh Carter", "2016-07-04", ""}}},
		{"age and school after the name", "", "Young person: Josh Carter, 15, Brook Lane Academy\n", []kid{{"Josh Carter", "age 15", "Brook Lane Academy"}}},
		{"a year group after the comma is no given name", "", "Child's name: Josh Carter, Year 4\nDOB: 04/07/2016\n", []kid{{"Josh Carter", "2016-07-04", ""}}},
		{"an alias", "", "Child's name: Josh CARTER aka PRICE\nDOB: 04/07/2016\n", []kid{{"Josh Carter", "2016-07-04", ""}}},
		{"school after the year group", "", "Name: Josh Carter\nSchool: Year 4, Brook Lane Junior School\n", []kid{{"Josh Carter", "", "Brook Lane Junior School"}}},
		{"an unborn baby has no name yet", "", "Name: Baby Carter (unborn)\nEDD: 14/03/2027\n", []kid{{"", "2027-03-14", ""}}},
		{"an HTML list's items as paragraphs", "", "Children:\n\nJosh Carter – 04/07/2016\n\nMia Carter – 19/01/2020\n", []kid{{"Josh Carter", "2016-07-04", ""}, {"Mia Carter", "2020-01-19", ""}}},
		{"a list ends at prose after a blank line", "", "Children:\n\nJosh Carter – 04/07/2016\n\nWe met Mum on 12/11/2025.\n\nMeeting – 19/01/2020\n", []kid{{"Josh Carter", "2016-07-04", ""}}},
		{"children on one line, a comma after each date", "", "Children present: Josh CARTER 04/07/2016, Mia CARTER 19/01/2020\n",
			[]kid{{"Josh Carter", "2016-07-04", ""}, {"Mia Carter", "2020-01-19", ""}}},
		{"CYP present, surname first without a comma", "", "CYP present:\nCARTER Josh 04/07/2016\nCARTER Mia 19/01/2020\n",
			[]kid{{"Josh Carter", "2016-07-04", ""}, {"Mia Carter", "2020-01-19", ""}}},
		{"curly apostrophes in labels", "", "Child’s name: Josh Carter\nChild’s DOB: 04/07/2016\n", []kid{{"Josh Carter", "2016-07-04", ""}}},
		{"numbered children's labels", "", "Child 1 name: Josh Carter\nChild 1 DOB: 04/07/2016\nChild 2 name: Mia Carter\nChild 2 DOB: 19/01/2020\n",
			[]kid{{"Josh Carter", "2016-07-04", ""}, {"Mia Carter", "2020-01-19", ""}}},
		{"a child's line in bars", "", "Child: Josh Carter | DOB 04/07/2016 | Brook Lane Academy\n", []kid{{"Josh Carter", "2016-07-04", "Brook Lane Academy"}}},
		{"a school's label after the date", "", "Name: Josh Carter DOB: 04/07/2016 School: Brook Lane Academy\n", []kid{{"Josh Carter", "2016-07-04", "Brook Lane Academy"}}},
		{"details of child", "", "Details of child: Josh Carter, 04/07/2016, Brook Lane Academy\n", []kid{{"Josh Carter", "2016-07-04", "Brook Lane Academy"}}},
		{"a sentence in the name's field", "", "Child's name: I am not sure of his name but he lives at number 12\n", nil},
		{"age with yrs in brackets", "", "Josh Carter (9yrs) and Mia Carter (6 yrs) were left alone.\n", []kid{{"Josh Carter", "age 9", ""}, {"Mia Carter", "age 6", ""}}},

		// The sixth round's rules (each with invented phrasings and the shapes it must not read).
		// A list label followed by a tab or a table's bar, and "Names/DOBs" labels, bulleted too.
		{"siblings label and a tab", "", "Patient name: Ada Quinn\nDOB: 02/02/2019\nSiblings\tBen Quinn (6) - at home\n",
			[]kid{{"Ada Quinn", "2019-02-02", ""}, {"Ben Quinn", "age 6", ""}}},
		{"names and DOBs label in a bullet", "", "- Names/DOBs: Orla Reeve 14.06.14 and Finn Reeve 02.02.17.\n- Mum is in treatment.\n",
			[]kid{{"Orla Reeve", "2014-06-14", ""}, {"Finn Reeve", "2017-02-02", ""}}},
		{"children's names label", "", "Children's names: Orla Reeve (14/06/2014), Finn Reeve (02/02/2017)\n",
			[]kid{{"Orla Reeve", "2014-06-14", ""}, {"Finn Reeve", "2017-02-02", ""}}},
		// Names each followed by a date of birth, listed in a sentence without a cue.
		{"names and dates in a sentence", "", "Three children live there with mum Gail Shaw (40): Asha Shaw 04/05/10, Remi Shaw 9 Oct 2013 and Zac Shaw 1.1.2020.\n",
			[]kid{{"Asha Shaw", "2010-05-04", ""}, {"Remi Shaw", "2013-10-09", ""}, {"Zac Shaw", "2020-01-01", ""}}},
		{"one name and a date is no list", "", "Seen by Amy Hart 02/11/2026 at the surgery.\n", nil},
		{"a log of recent visits is no list", "", "Visits: Amy Hart 02/11/2026, Tom Reed 09/11/2026 and Jo Bell 16/11/2026.\n", nil},
		{"adults' dates are no list", "", "Parents: Gail Shaw 04/05/1986 and Rob Shaw 12/12/1984.\n", nil},
		// Given names sharing one family name, with their ages.
		{"two given names, one family name, ages", "", "Her two children, Milo and Esme Carter (aged 5 and 9), were at home.\n",
			[]kid{{"Milo Carter", "age 5", ""}, {"Esme Carter", "age 9", ""}}},
		{"three given names and ages", "", "The kids, Ava, Theo and Ivy Lane (10, 6 and 1), were asleep.\n",
			[]kid{{"Ava Lane", "age 10", ""}, {"Theo Lane", "age 6", ""}, {"Ivy Lane", "age 1", ""}}},
		{"ages after each given name, family name last", "", "Her children, Zoë (3) and Luca (7) Bianchi, were present.\n",
			[]kid{{"Zoë Bianchi", "age 3", ""}, {"Luca Bianchi", "age 7", ""}}},
		{"adults with ages in a pair", "", "The parents, Gail and Rob Shaw (aged 40 and 42), were spoken to.\n", nil},
		{"ages and names not matching in number", "", "Milo and Esme Carter (aged 5, 9 and 11) were seen.\n", nil},
		// Children after "are", and the parent's family name.
		{"children are", "", "I visit a mum, Lucy. Her children are Kit (4) and Nell (8).\n", []kid{{"Kit", "age 4", ""}, {"Nell", "age 8", ""}}},
		{"the mother's family name", "", "He is moving in with Dana Price. Dana has two children: Rhys (9) and Lottie (12).\n",
			[]kid{{"Rhys Price", "age 9", ""}, {"Lottie Price", "age 12", ""}}},
		// "Name is N".
		{"name is N", "", "Kirsty took the children. Noah is 4 and Bella-Rose is 2.\n\n> about your grandchildren, Noah Dunn and Bella-Rose Dunn.\n",
			[]kid{{"Noah Dunn", "age 4", ""}, {"Bella-Rose Dunn", "age 2", ""}}},
		{"name is N years old", "", "Callum Reid is 11 years old and was bruised.\n", []kid{{"Callum Reid", "age 11", ""}}},
		{"an adult is N", "", "Kirsty Dunn is 29, and her partner is 35.\n", nil},
		{"a score is no child", "", "Risk is 3. DASH score is 14. It is 2 miles away. Flat is 4.\n", nil},
		{"a number of things is no age", "", "Room 12 is 4 doors down; Ward Six is 2 floors up.\n", nil},
		// Given names with the family name in the subject or elsewhere.
		// Tables with a header row holding a column the form reader does not read, mixed separators, fixed width.
		{"a header row with a notes column", "", "Name | Relationship | DOB | Notes\nGail Shaw | Mother | 04/05/1986 |\nZac Shaw | Son | 01/01/2020 | Acorn Nursery\n",
			[]kid{{"Zac Shaw", "2020-01-01", "Acorn Nursery"}}},
		{"a header row with an attendance column", "", "Pupil\tDate of birth\tSchool\tAttendance (autumn term)\nAsha Shaw\t2010-05-04\tHill View School\t52%\n",
			[]kid{{"Asha Shaw", "2010-05-04", "Hill View School"}}},
		{"bars and tabs in one table", "", "Surname\tForename | DOB | School\nSHAW\tAsha | 04/05/2010 | Hill View School\nSHAW\tZac | 01/01/2020 | N/K\n",
			[]kid{{"Asha Shaw", "2010-05-04", "Hill View School"}, {"Zac Shaw", "2020-01-01", ""}}},
		{"fixed-width columns", "", "Name              DOB           NHS No         Relationship\nSHAW, Asha        04-May-2010   401 223 9911   Patient\nSHAW, Gail        09-Mar-1986   401 223 9912   Mother\n",
			[]kid{{"Asha Shaw", "2010-05-04", ""}}},
		{"an unborn row of a table", "", "Forename\tSurname\tDOB\nZac\tSHAW\t01/01/2020\nUnborn\tSHAW\tEDD 20/01/2027\n",
			[]kid{{"Zac Shaw", "2020-01-01", ""}, {"", "2027-01-20", ""}}},
		// A name field with a comment, an age field with a guess between two.
		{"a comment after the name", "", "Child's name (if known): Kayla - don't know her surname\nChild's age: 8 or 9\n", []kid{{"Kayla", "", ""}}},
		{"an age range is no age", "", "Child's name: Kayla Moss\nAge: 7-8\n", []kid{{"Kayla Moss", "", ""}}},
		// A bare age after the name and a comma, lettered items, twins sharing a date of birth.
		{"a bare age after a comma", "", "I would like to refer:\n- Orla Reeve, 10 (Y5, Brook Lane Primary)\n- Finn Reeve, 3 (at home)\nParents: Dan and Kim Reeve, 41\n",
			[]kid{{"Orla Reeve", "age 10", "Brook Lane Primary"}, {"Finn Reeve", "age 3", ""}}},
		{"lettered sub-items", "", "3. The other children at the address are:\n   a) Mia Cole, 9 (Oak Academy)\n   b) Sam Cole, 6\n",
			[]kid{{"Mia Cole", "age 9", "Oak Academy"}, {"Sam Cole", "age 6", ""}}},
		{"an adult's bare age in a list", "", "- Jodie Cole, 23, mum\n", nil},
		{"a year is no bare age", "", "- Jodie Cole, 2019, moved in\n", nil},
		{"twins on one line", "", "• Twins: Ella & Rose Marsh, DOB 05.05.2025\n• Mum: Kim Marsh (23)\n",
			[]kid{{"Ella Marsh", "2025-05-05", ""}, {"Rose Marsh", "2025-05-05", ""}}},
		{"N yo", "", "Player: Harvey Stone, U13s, 12yo\n", []kid{{"Harvey Stone", "age 12", ""}}},
		// Ages said in a sentence about a named child.
		{"an N-year-old, then the name", "", "I saw a 9-year-old boy, Kacper Nowak, this afternoon for a sight test.\n", []kid{{"Kacper Nowak", "age 9", ""}}},
		{"an N-year-old adult is none", "", "A 34-year-old man, Lee Tanner, was arrested.\n", nil},
		{"called X … she's N", "", "I tutor a girl called Isla Penn - she's 10 and in Year 6 at Cottage Grove Primary School.\n", []kid{{"Isla Penn", "age 10", "Cottage Grove Primary School"}}},
		{"his name is X and he is about N", "", "the boy next door, I think his name is Mikey and he is about 6, is locked out\n", []kid{{"Mikey", "age 6", ""}}},
		{"not sure of the name", "", "the boy next door (I think his name is Ray or Reggie, he's about 4) is alone\n", nil},
		{"who is N", "", "Her half-brother, little Alfie, who is 4, is still at home.\n", []kid{{"Alfie", "age 4", ""}}},
		{"a given name with an age, the full name elsewhere", "Concern re Callum Birtles U12s", "Callum (11) came to training with a black eye.\n", []kid{{"Callum Birtles", "age 11", ""}}},
		{"a given name with an age said once is not enough", "", "Dean (14) was there too.\n", nil},
		{"a full name with a school year", "", "Tonight one of our regulars, Jaydon Okoro (Year 9 at Kingsbury High), told me.\n", []kid{{"Jaydon Okoro", "", "Kingsbury High"}}},
		{"a place with a year in brackets is no child", "", "We met at Oak House (Year 9 area) on Monday.\n", nil},
		// A brother or sister named by the given name alone keeps it alone: the family name may differ.
		{"his brother", "", "1. Young person: Kemar Lyle, born 14 February 2010.\n2. His younger brother Tre is 12 and in Year 8.\n",
			[]kid{{"Kemar Lyle", "2010-02-14", ""}, {"Tre", "age 12", ""}}},
		{"her half-brother", "", "Chloë Fair (born 19 January 2013) lives with mum.\nChloë's half-brother Alfie is 4.\n",
			[]kid{{"Chloë Fair", "2013-01-19", ""}, {"Alfie", "age 4", ""}}},
		// Schools said in the sentences about the children.
		{"each child's school by given name", "", "Her children are Zofia Nowak (born 3 May 2016) and Kacper Nowak (born 9 June 2012). Zofia goes to Fernhurst Junior School and Kacper has just started at Priory School.\n",
			[]kid{{"Zofia Nowak", "2016-05-03", "Fernhurst Junior School"}, {"Kacper Nowak", "2012-06-09", "Priory School"}}},
		{"used to go to is past", "", "Her children are Shay (3) and Carys (7). Carys used to go to Upton Primary but she was taken out.\n",
			[]kid{{"Carys", "age 7", ""}, {"Shay", "age 3", ""}}},
		{"they both go to", "", "I am the dad of Remy Walsh (born 7 March 2015) and Skye Walsh (born 30/11/18). They both go to Monkfield Park Primary.\n",
			[]kid{{"Remy Walsh", "2015-03-07", "Monkfield Park Primary"}, {"Skye Walsh", "2018-11-30", "Monkfield Park Primary"}}},
		{"both children attend", "", "Two children were present: Kian Hart (7) and Ava Hart, born 05/09/2019. Both children attend Gayhurst Community School.\n",
			[]kid{{"Ava Hart", "2019-09-05", "Gayhurst Community School"}, {"Kian Hart", "age 7", "Gayhurst Community School"}}},
		{"they were both at, in the past", "", "Kian Hart (7) and Ava Hart (5) live with mum. They were both at Oak Primary until June.\n",
			[]kid{{"Kian Hart", "age 7", ""}, {"Ava Hart", "age 5", ""}}},
		{"he attends, the next sentence", "", "1. Kaiden Mercer (DOB 03.09.2010) is on a Referral Order. He attends Corby Business Academy, mornings only.\n2. Tia Mercer, 9 (Woodnewton Academy)\n",
			[]kid{{"Kaiden Mercer", "2010-09-03", "Corby Business Academy"}, {"Tia Mercer", "age 9", "Woodnewton Academy"}}},
		{"she goes to, after another name", "", "My granddaughter Mia Fair (born 19 January 2013) lives with her mother. Mia's brother Alfie Fair is 4 and Mia worries about him; Nicola hits him. She goes to Welling Heath Academy.\n",
			[]kid{{"Mia Fair", "2013-01-19", ""}, {"Alfie Fair", "age 4", ""}}},
		{"a lower-case college", "", "my name is Marcus Osei im 16 (born 4/8/10) and i go to barnet and southgate college doing plumbing\n",
			[]kid{{"Marcus Osei", "2010-08-04", "Barnet And Southgate College"}}},
		{"a form's school beside a custody line", "", "DETAINED PERSON: HALLORAN, Reece   DOB 22/12/10\nSCHOOL: Cleeve Park School (per DP)\n",
			[]kid{{"Reece Halloran", "2010-12-22", "Cleeve Park School"}}},
		// More sentence shapes, and what they must not read.
		{"her son X, N,", "", "Her son Tom, 7, attends Oak Primary.\n", []kid{{"Tom", "age 7", "Oak Primary"}}},
		{"a pet is no child", "", "Their dog, Bella (5), was in the flat. Their dog Max, 3, barks.\n", nil},
		{"X Y, a Year N pupil at Z", "", "Noah Green, a Year 4 pupil at Oak Primary, told me dad hit him.\n", []kid{{"Noah Green", "", "Oak Primary"}}},
		{"a teacher's year group is no child's", "", "Kind regards\nSam Lee, a Year 6 teacher\nOak Primary School\n", nil},
		{"siblings at home", "", "Siblings at home: Jack (12) and Lily (9).\n", []kid{{"Jack", "age 12", ""}, {"Lily", "age 9", ""}}},
		{"ages with units, a comma after each", "", "Children present: Holly Reed 6yrs, Finn Reed 3yrs\n", []kid{{"Holly Reed", "age 6", ""}, {"Finn Reed", "age 3", ""}}},
		{"a full name, a comma and an age", "", "Concern about Holly Reed, 6, and Finn Reed, 3, who were left alone.\n", []kid{{"Holly Reed", "age 6", ""}, {"Finn Reed", "age 3", ""}}},
		{"adults with ages between commas", "", "Mum, Sarah Cole, 34, and Dean Hart, 41, were arguing. Oak Road, 4, was cordoned off.\n", nil},
		{"an adult who is N", "", "Riley, who is 19, has moved out. Jay is 30.\n", nil},
		// Dates and cues as people write them.
		{"a year with an apostrophe", "", "Child: Mia Cole DOB 7 Mar '13\n", []kid{{"Mia Cole", "2013-03-07", ""}}},
		{"a DOB word is no family name", "", "Child: Mia Cole DOB not known\n", []kid{{"Mia Cole", "", ""}}},
		{"who was born on", "", "I am writing about Mia Cole who was born on 7 March 2013.\n", []kid{{"Mia Cole", "2013-03-07", ""}}},
		{"an adult who was born on", "", "I am writing about Kerry Cole who was born on 7 March 1990.\n", nil},
		{"the line goes on after the age", "", "Mia Cole (13), Year 8, Castle Academy\n", []kid{{"Mia Cole", "age 13", "Castle Academy"}}},
		// A date of birth said of "she" or "he": the full name written last before it.
		{"she was born on, in brackets", "", "Amara Nwosu is in my Year 4 class (she was born on the 14th of June 2018).\n", []kid{{"Amara Nwosu", "2018-06-14", ""}}},
		{"she's N (born …)", "", "I am writing about my granddaughter, Chloë Fair. She's 13 (born 19 January 2013) and lives with her mother.\n",
			[]kid{{"Chloë Fair", "2013-01-19", ""}}},
		{"a mother's baby is not the mother", "", "Mum Kerry Hart had her baby last week; she was born on 20/11/2026.\n", nil},
		{"another name between", "", "Amara Nwosu sits next to Jo in class; she was born on 14/06/2018.\n", nil},
		// A list's label at the end of a sentence, "The following children were present:", an age after a dash.
		{"a sentence ending in the label", "", "Writing re. the Ahmed family. The children are:\nZain Ahmed – 9\nMaryam Ahmed - 6\nMum is Sana Ahmed – 31.\n",
			[]kid{{"Zain Ahmed", "age 9", ""}, {"Maryam Ahmed", "age 6", ""}}},
		{"the following children were present", "", "The following children were present: Jayden SMITH (aged 8) and Mia SMITH (aged 3).\n",
			[]kid{{"Jayden Smith", "age 8", ""}, {"Mia Smith", "age 3", ""}}},
		{"the adults are no list", "", "Writing re. the Ahmed family. The adults are:\nSana Ahmed – 31\nTariq Ahmed – 9 Mill Lane\n", nil},
		{"a name, an age between commas, a verb", "", "Mia Cole, 7, attends Oak Primary. Her mum, Kerry Cole, 29, works at Castle Academy.\n", []kid{{"Mia Cole", "age 7", "Oak Primary"}}},
		{"she goes to, after a brother with his own school", "", "Mia Cole (DOB 07/03/2013) lives with mum. Her brother Sam Cole (DOB 01/01/2010) is at Castle Academy. She goes to Oak Primary.\n",
			[]kid{{"Mia Cole", "2013-03-07", ""}, {"Sam Cole", "2010-01-01", "Castle Academy"}}},
		{"a document's numbered parts are no children", "", "See Appendix (2) and Section (3). Appendix 1 has the chronology. Monday (4) was the visit; Monday was quiet.\n", nil},
		{"a group's or a place's number is no age", "", "Core Group (3) meets fortnightly. Flats 1-4, Oak House (12 units) and Mill Court (8).\n", nil},
		{"twins named together with one date", "", "Mia and Sam Hart (twins, DOB 01/01/2019) attend Oak Nursery. CAMHS Team (2) and Early Help (1) are involved.\n",
			[]kid{{"Mia Hart", "2019-01-01", ""}, {"Sam Hart", "2019-01-01", ""}}},
		// A course names the college; one school for both patients; the subject's child beside a brother; "His DOB is".
		{"a course label", "", "Student name: Aryan Shah\nDOB: 22-05-2009\nCourse: Level 2 Electrical, Barnet & Southgate College (Wood Street)\n",
			[]kid{{"Aryan Shah", "2009-05-22", "Barnet & Southgate College"}}},
		{"one school for both", "", "Patient 1: Maisie CARTER, DOB 30.12.2015\nPatient 2: Leo CARTER, DOB 04.04.2018\nSchool: Upland Primary School (both)\n",
			[]kid{{"Maisie Carter", "2015-12-30", "Upland Primary School"}, {"Leo Carter", "2018-04-04", "Upland Primary School"}}},
		{"the subject's child beside a brother", "CAIT referral - MURPHY Kacey 12/05/2014", "Kacey lives with mum and her brother Reece (17).\n",
			[]kid{{"Reece", "age 17", ""}, {"Kacey Murphy", "2014-05-12", ""}}},
		{"a meeting's date in the subject is no second child", "Strategy meeting Amy Hart 12/11/2026", "Kacey Murphy (DOB 12/05/2014) lives with mum.\n",
			[]kid{{"Kacey Murphy", "2014-05-12", ""}}},
		{"his DOB is, the name in the subject", "Re: Information request - Jayden Campbell-Reid", "His DOB is 22/10/2010 and he's on roll at New Regent's College.\n",
			[]kid{{"Jayden Campbell-Reid", "2010-10-22", "New Regent's College"}}},
		{"his DOB is, an adult's", "Re: Information request - Jayden Reid", "His DOB is 22/10/1990.\n", nil},
		{"a sentence without its subject", "", "1. Young person: Kemar Lyle, born 14 February 2010, on an order with us. Attends New City College (Hackney campus).\n",
			[]kid{{"Kemar Lyle", "2010-02-14", "New City College"}}},
		// A young person writing about themself, as they write it.
		{"im name and im N", "", "hi im jade palmer and im 14. i go to mayfield school\n", []kid{{"Jade Palmer", "age 14", "Mayfield School"}}},
		{"my name's", "", "Hi my name's Jade Palmer, I'm 14 and I go to Mayfield School.\n", []kid{{"Jade Palmer", "age 14", "Mayfield School"}}},
		{"the age before the name", "", "I am 15 years old, my name is Tom Reed and I attend Park Academy.\n", []kid{{"Tom Reed", "age 15", "Park Academy"}}},
		{"a grown-up's introduction", "", "My name is Sarah Jones, I am writing about the boy next door.\n", nil},
		{"an adult's name and age", "", "My name is Sarah Jones and I'm 34. I'm Kerry Hart and I'm 29.\n", nil},
		{"X said he is N", "", "Their names are Deon and Marley. Deon said he is 10 and Marley is 12, they are brothers.\n", []kid{{"Deon", "age 10", ""}, {"Marley", "age 12", ""}}},
		{"an adult said she is N", "", "Kerry said she is 29 and Dean told me he's 41.\n", nil},
		// An unborn baby said in a line: one child per due date, after the email and within ten months.
		{"unborn baby with an EDD", "", "• Mum – Jade Wild, 20, 24 weeks pregnant (EDD 19 March 2027)\n• Toddler: Kai Wild, DOB 02.09.2024\n",
			[]kid{{"Kai Wild", "2024-09-02", ""}, {"", "2027-03-19", ""}}},
		{"an EDD said twice is one baby", "", "Unborn baby, EDD 14.02.2027\nThe baby is due on 14/02/2027.\n", []kid{{"", "2027-02-14", ""}}},
		{"a past or far due date is none", "", "Her last baby's EDD was 14/02/2026. A review is due on 14/02/2028.\n", nil},
		{"family name from the subject", "Help for my kids - Remy and Skye Walsh", "I am the dad of Remy (born 7 March 2015) and Skye (born 30/11/18).\n",
			[]kid{{"Remy Walsh", "2015-03-07", ""}, {"Skye Walsh", "2018-11-30", ""}}},

		// The seventh round's rules.
		// An unborn baby with its EDD is a child of its own: a name on a later row is a born sibling's.
		{"a sibling's name after an unborn baby's EDD", "", "Child's name: Unborn baby Penhaligon\nDate of birth / EDD: EDD 14/04/2027\nOther children in the household\nName: Ezra Penhaligon\nDate of birth: 08/08/2024\n",
			[]kid{{"", "2027-04-14", ""}, {"Ezra Penhaligon", "2024-08-08", ""}}},
		{"the sibling first, then the unborn baby", "", "Name: Ezra Penhaligon\nDate of birth: 08/08/2024\nUnborn baby\nEDD: 14/04/2027\n",
			[]kid{{"Ezra Penhaligon", "2024-08-08", ""}, {"", "2027-04-14", ""}}},
		{"an unborn baby's own surname row", "", "Forename: Unborn\nSurname: WILD\nEDD: 19/03/2027\n", []kid{{"", "2027-03-19", ""}}},
		// A list of the people at an incident or in a household ("PERSONS:", "Household members:", "Occupants:"):
		// adults and children together, one a line; the date of birth or the age tells the children.
		{"persons list, surname first in capitals", "", "PERSONS:\nBOATENG Yaw 12/01/1985 - suspect, arrested\nBOATENG Efua 04/09/1989 - victim\nBOATENG Tianna 23/08/2013 - child, present\nBOATENG Ama 15/12/2024 - child, present\n",
			[]kid{{"Tianna Boateng", "2013-08-23", ""}, {"Ama Boateng", "2024-12-15", ""}}},
		{"household members with ages", "", "Household members:\nLeanne Fisher (34)\nCharlie Fisher (9)\nMaisie Fisher (6)\n",
			[]kid{{"Charlie Fisher", "age 9", ""}, {"Maisie Fisher", "age 6", ""}}},
		{"nominals, police order", "", "NOMINALS:\nFISHER Dean 03/03/1988 - suspect\nFISHER Charlie 14/02/2016 - child present\n", []kid{{"Charlie Fisher", "2016-02-14", ""}}},
		{"persons named without dates", "", "Nominal: Dean Fisher\nPersons: Dean Fisher, Leanne Fisher\n", nil},
		{"persons present at the incident", "", "Persons present at the incident:\nSHAW Kelly 02/02/1992 - victim\nSHAW Mason 05/05/2017 - child\n", []kid{{"Mason Shaw", "2017-05-05", ""}}},
		{"others present, inline", "", "Others present: Leo Shaw (6), Dean Price (41)\n", []kid{{"Leo Shaw", "age 6", ""}}},
		{"other agencies involved", "", "Other agencies involved:\nCAMHS since 12/03/2025\nEarly Help - Lisa Grant, 01/02/2026\n", nil},
		{"occupants, adults only", "", "Occupants:\nLeanne Fisher 12/01/1990\nDean Fisher 03/03/1988\n", nil},
		{"a household label's other values", "", "Household: 3 bedroom flat, rent arrears\nResidents: mum and her partner\n", nil},
		// A household table with an age column and no dates of birth: a row aged 18 or more is an adult's.
		{"household table of names, relations and ages", "", "Name | Relationship to applicant | Age\nRachel Hale | Applicant | 38\nDean Hale | Partner | 41\nMarcus Hale | Son | 15\nBenji Hale | Son | 2\n",
			[]kid{{"Marcus Hale", "age 15", ""}, {"Benji Hale", "age 2", ""}}},
		{"a name and age table, the adult told by the age", "", "Name | Age\nLeanne Fisher | 34\nCharlie Fisher | 9\n", []kid{{"Charlie Fisher", "age 9", ""}}},
		{"a DOB/Age column holding ages and dates", "", "Name | DOB/Age\nKerry Hale | 34\nJack Hale | 9\nAmy Hale | 03/03/2019\n",
			[]kid{{"Jack Hale", "age 9", ""}, {"Amy Hale", "2019-03-03", ""}}},
		{"an age in the date of birth field", "", "Child's name: Jack Hale\nDate of birth: 9 yrs\n", []kid{{"Jack Hale", "age 9", ""}}},
		{"an adult's age in the date of birth field", "", "Name: Kerry Hale\nDOB: 34\n", nil},
		{"a name and age table of adults", "", "Name | Age\nLeanne Fisher | 34\nDean Fisher | 41\n", nil},
		// First names with ages in brackets after a word for children and a few words ("two children living there,
		// Mia (12) and Louie (9)"); a first name with its age after a sentence's end, the family name written with
		// it elsewhere — a possessive one too ("Esmé Calloway's key worker").
		{"children living there, first names and ages", "", "When we visited there were two children living there, Mia (12) and Louie (9).\n",
			[]kid{{"Mia", "age 12", ""}, {"Louie", "age 9", ""}}},
		{"names after a sentence about the children", "", "Two children live there with their mother. Jess (12) and Ola (9) are friends of theirs.\n", nil},
		{"a first name and age after a sentence's end", "", "I'm Esmé Calloway's key worker at the setting. Esmé (3) has been coming in late.\n",
			[]kid{{"Esmé Calloway", "age 3", ""}}},
		{"a first name and age named once", "", "I spoke to Dean Hale's mother. Lily (3) is her granddaughter.\n", nil},
		// "pregnant, due <date>": an unborn baby; a baby with a date of birth and no name: a child of its own.
		{"pregnant, due a date in words", "", "• Kerry Sheldon (mum) - 29/01/1998 - currently 26 weeks pregnant, due 3rd March 2027\n• Mason Sheldon - 08/10/2022\n",
			[]kid{{"Mason Sheldon", "2022-10-08", ""}, {"", "2027-03-03", ""}}},
		{"expecting a baby, due", "", "Mum Jade Wild (20) is expecting a baby, due 01/04/2027.\n", []kid{{"", "2027-04-01", ""}}},
		{"due to give birth", "", "Jade is due to give birth on 14 April 2027. Her baby due date was moved.\n", []kid{{"", "2027-04-14", ""}}},
		{"expecting a visit due", "", "We are expecting the review, due 12/01/2027.\n", nil},
		{"pregnant, and a scan due", "", "Mum is pregnant and her scan is due 12/01/2027. A pregnancy review is due 19/01/2027.\n", nil},
		{"a baby girl with a DOB and no name", "", "Present were Connor SLADE (dob 14.02.2014) and a baby girl, dob 10/06/2026, whose name mother refused to give.\n",
			[]kid{{"Connor Slade", "2014-02-14", ""}, {"", "2026-06-10", ""}}},
		{"the baby named elsewhere with the same date", "", "Ava Slade (DOB 10/06/2026) lives with mum. The baby girl, born 10/06/2026, was crying.\n",
			[]kid{{"Ava Slade", "2026-06-10", ""}}},
		{"a baby's appointment is no birth", "", "The baby has a check due 12/12/2026 and a baby clinic on 01/12/2026.\n", nil},
		// A young person's later sentence of their own saying where they study.
		{"i do a course at a college", "", "hi my name is josh mcguire im 16. i do motor vehicle at highbury college. my dad kicked me out\n",
			[]kid{{"Josh Mcguire", "age 16", "Highbury College"}}},
		{"i was at a college", "", "hi my name is josh mcguire im 16. i was at highbury college last year. my dad kicked me out\n",
			[]kid{{"Josh Mcguire", "age 16", ""}}},
		{"i told my teacher at school", "", "hi my name is josh mcguire im 16. i told my teacher at school. she said to email you\n",
			[]kid{{"Josh Mcguire", "age 16", ""}}},
		{"someone else's college", "", "hi my name is josh mcguire im 16. my sister goes to highbury college. dad kicked me out\n",
			[]kid{{"Josh Mcguire", "age 16", ""}}},
		// An age in months, in whole years; a baby under a year has none.
		{"who is N months", "", "Her little brother Alfie Calloway, who is 20 months, was in the buggy.\n", []kid{{"Alfie Calloway", "age 1", ""}}},
		{"a baby of a few months has no age", "", "Her little brother Alfie Calloway, who is 8 months, was in the buggy.\n", nil},
		{"a stay in months is no age", "", "The family, who is 20 months behind on rent, was evicted. Mum Leanne Fisher is 18 months sober.\n", nil},
		// The eighth round's rules (read from round 7's wrong values).
		// A school in brackets under the signature is the writer's second job, not the pupil's school.
		{"a day job in brackets under the signature", "", "I am writing about one of our students, Zayd Rahman, born 12 January 2014.\n\nKind regards\nImran Siddiqui\nSafeguarding Lead, Northwood Youth Club\n(Day job: Teaching Assistant, Copnor Primary School)\n",
			[]kid{{"Zayd Rahman", "2014-01-12", ""}}},
		{"a school's DSL signing with the school", "", "I am writing about one of our pupils, Zayd Rahman, born 12 January 2014.\n\nKind regards\nImran Siddiqui\nDesignated Safeguarding Lead\nCopnor Primary School\n",
			[]kid{{"Zayd Rahman", "2014-01-12", "Copnor Primary School"}}},
		// A name field saying the writer does not know the name holds none; the age and school are still the child's.
		{"don't know his name in the name field", "", "Child's name (if known): dont know his name\nChild's age (if known): 6\nChild's school: Princess May Primary School\n", nil},
		{"name not known, a date of birth given", "", "Child's name: Not known\nDate of birth: 04/05/2019\n", []kid{{"", "2019-05-04", ""}}},
		{"a name with a comment that the surname is not known", "", "Child's name: Kayla - don't know her surname\nDate of birth: 04/05/2019\n", []kid{{"Kayla", "2019-05-04", ""}}},
		// A table's header row, its children's rows, then the form's own label and value rows: those are no children.
		{"label rows after a table of patients", "", "Patient | Date of birth\nHarley Reeve | 19/07/2018\nBrooke Reeve | 02/01/2020\nParent / carer | Kayleigh Reeve\nAddress | 7 Stamford Road, Kettering NN16\nConcern | Both children have untreated decay.\n",
			[]kid{{"Harley Reeve", "2018-07-19", ""}, {"Brooke Reeve", "2020-01-02", ""}}},
		{"a child whose name is a label word, with a date", "", "Name | Date of birth\nFaith | 02/01/2020\n",
			[]kid{{"Faith", "2020-01-02", ""}}},
		// First names with dates of birth in brackets in a sentence listing the children, the family named once.
		{"the children are, with dates in brackets", "", "I am referring the Kamara family. Mum is Hawa Kamara (born 04/10/1990). The children are Fatmata (02/04/2013), who is now at Haggerston School, Ibrahim (19/11/2016) and baby Isatu (30/07/2025).\n",
			[]kid{{"Fatmata Kamara", "2013-04-02", "Haggerston School"}, {"Ibrahim Kamara", "2016-11-19", ""}, {"Isatu Kamara", "2025-07-30", ""}}},
		{"the children listed, no family named", "", "Mum is Hawa (born 04/10/1990). The children are Fatmata (02/04/2013) and Ibrahim (19/11/2016).\n", nil},
		{"two families named", "", "I am referring the Kamara family; the Bangura family live next door. The children are Fatmata (02/04/2013) and Ibrahim (19/11/2016).\n", nil},
		{"an adult's date in the list", "", "I am referring the Kamara family. The children are Fatmata (02/04/2013) and, staying with them, Sahr (12/12/1985).\n",
			[]kid{{"Fatmata Kamara", "2013-04-02", ""}}},
		// A parent's children listed with ages after commas: the parent's family name, with a title or written elsewhere.
		{"Ms Dowd has two children, ages after commas", "", "He is moving in with Ms Leanne Dowd. Ms Dowd has two children: Keira, 12, who attends Hurstmere School, and Logan, 9.\n",
			[]kid{{"Keira Dowd", "age 12", "Hurstmere School"}, {"Logan Dowd", "age 9", ""}}},
		{"a first-named parent with her family name elsewhere", "", "I spoke to Stacey Banks today. Stacey has two kids: Keira, 12, and Logan, 9.\n",
			[]kid{{"Keira Banks", "age 12", ""}, {"Logan Banks", "age 9", ""}}},
		{"a first-named parent, no family name", "", "Stacey has two kids: Keira, 12, and Logan, 9.\n", nil},
		{"grown-up children", "", "Ms Dowd has two children: Keira, 22, and Logan, 19.\n", nil},
		{"family members in a sentence", "", "Family members are supportive and Persons at the address were spoken to on 12/11/2026.\n", nil},
		// Round 8's generalisation guards: wrong values past held-out rounds read, in shapes they have not yet come in.
		// A service's, a role's or a place's words before or beside a listed name: a professional and the date of a
		// contact, never a child.
		{"an agency label before a name in a list of people", "", "People involved:\nJayden Marsh 07/03/2015\nEarly Help - Lisa Grant, 01/02/2026\nSocial worker - Dan Price, 12/10/2026\n",
			[]kid{{"Jayden Marsh", "2015-03-07", ""}}},
		{"a professional's role label in a household list", "", "Household members:\nKerry Hart 12/01/1990 - mum\nLeo Hart 03/03/2017 - son\nHealth Visitor: Amy Cole 14/11/2026\n",
			[]kid{{"Leo Hart", "2017-03-03", ""}}},
		{"the role after the name", "", "Children:\n- Leo Hart 03/03/2017\n- Amy Cole – Health Visitor – 14/11/2026\n- Lisa Grant (Early Help) 01/02/2026\n",
			[]kid{{"Leo Hart", "2017-03-03", ""}}},
		{"a GP and a school nurse among the children", "", "Children:\n- Leo Hart 03/03/2017\n- GP - Dr Patel, last seen 14/10/2026\n- School Nurse – Jo Hart 02/11/2026\n",
			[]kid{{"Leo Hart", "2017-03-03", ""}}},
		{"a meeting's bullet with a date", "", "- Mia Cole, 07/03/2015\n- Strategy - 14/11/2026\n", []kid{{"Mia Cole", "2015-03-07", ""}}},
		{"a street's number in brackets", "", "Leo Hart (03/03/2017) lives on Jubilee Avenue. Jubilee Avenue (2) is the block.\n", []kid{{"Leo Hart", "2017-03-03", ""}}},
		{"a toddler's label still names the child", "", "Children:\n- Toddler: Kai Wild, DOB 02/02/2024\n", []kid{{"Kai Wild", "2024-02-02", ""}}},
		// An adult relative's or partner's word before a name makes the person an adult's, whatever age follows.
		{"an aunt of 17", "", "Leo Hart (03/03/2017) is being looked after by his aunt, Sophie Hart (17).\n", []kid{{"Leo Hart", "2017-03-03", ""}}},
		{"an older boyfriend of 17", "", "Mia Cole (14) has an older boyfriend, Dean Price (17).\n", []kid{{"Mia Cole", "age 14", ""}}},
		{"mum's partner aged 17", "", "Mia Cole, aged 4, lives with mum and mum's partner, Dean Price, aged 17.\n", []kid{{"Mia Cole", "age 4", ""}}},
		{"a brother's age is still read", "", "Mia Cole (14) and her brother, Sam Cole (11), were at home.\n", []kid{{"Mia Cole", "age 14", ""}, {"Sam Cole", "age 11", ""}}},
		// A school said of someone else, or a school the child goes to only for something else, is not the child's.
		{"a friend's school", "", "Leo Hart (03/03/2017) and his friend Jake Moss, who goes to Oakfield Academy, were found in the park.\n", []kid{{"Leo Hart", "2017-03-03", ""}}},
		{"a sister's school", "", "Leo Hart (03/03/2017) lives with his sister Amy, who attends Oakfield Academy.\n", []kid{{"Leo Hart", "2017-03-03", ""}}},
		{"a parent teaches at the school", "", "Mia Cole (DOB 07/03/2015) lives with her dad, who is a teacher at Oakfield Primary School.\n", []kid{{"Mia Cole", "2015-03-07", ""}}},
		{"tuition at a school", "", "Leo Hart (03/03/2017) has tuition at Oakfield Academy on Saturdays.\n", []kid{{"Leo Hart", "2017-03-03", ""}}},
		{"a hub at a school", "", "Mia Cole (DOB 07/03/2015) attends the Early Help hub at Oakfield Primary School on Tuesdays.\n", []kid{{"Mia Cole", "2015-03-07", ""}}},
		{"living with dad and attending a school", "", "I would like to refer Oliwer Zajac (d.o.b. 03/10/12). Oliwer lives with his dad Piotr in Corby and attends Corby Business Academy.\n",
			[]kid{{"Oliwer Zajac", "2012-10-03", "Corby Business Academy"}}},
		{"starting at a school is the school", "", "Children:\n- Grace Hale - 1.3.2018 - starting at Barnfield Primary School in January\n", []kid{{"Grace Hale", "2018-03-01", "Barnfield Primary School"}}},
		// Tuning round t8's misses, mended by rules about how people write (rows of our own).
		// A given name's family name is never an organisation's name that starts with the same word.
		{"a church named like the child", "", "I am the youth leader at Grace Chapel Church. Grace (9) told me her uncle hits her.\n", []kid{{"Grace", "age 9", ""}}},
		{"the family name written with the given name", "", "Grace Cole is in our group. Grace (9) told me her uncle hits her.\n", []kid{{"Grace Cole", "age 9", ""}}},
		// A column of the school the child was at before, in a typed or a pasted table: not the school.
		{"a former school column in a typed table", "", "Children\nName        DOB          Former school\nAmy Hale    03/03/2015   Oak Academy\nBen Hale    04/04/2017   Elm Primary School\n",
			[]kid{{"Amy Hale", "2015-03-03", ""}, {"Ben Hale", "2017-04-04", ""}}},
		{"a school column in a typed table", "", "Children\nName        DOB          School\nAmy Hale    03/03/2015   Oak Academy\nBen Hale    04/04/2017   Elm Primary School\n",
			[]kid{{"Amy Hale", "2015-03-03", "Oak Academy"}, {"Ben Hale", "2017-04-04", "Elm Primary School"}}},
		{"a previous school column in a table with bars", "", "Name | DOB | Previous school\nAmy Hale | 03/03/2015 | Oak Academy\n", []kid{{"Amy Hale", "2015-03-03", ""}}},
		// A short row under a table's header, a label and a sentence without a date: the form's rows again, no child.
		{"a circumstances row under a table of children", "", "Surname | Forename | DOB | School\nTULL | Harrison | 12/03/2015 | Hook Lane Primary School\nCircumstances | Argument over the suspect's drinking; he threw a mug at the victim and smashed the door.\n",
			[]kid{{"Harrison Tull", "2015-03-12", "Hook Lane Primary School"}}},
		{"a possessive is no name", "", "Child's name: Leo Hart\nDOB: 03/03/2017\nParent's DOB: 12/01/2009\n", []kid{{"Leo Hart", "2017-03-03", ""}}},
		// A household listed one a line after a label of the writer's own ending in a colon, the adults among them.
		{"household as he gave it, after a sentence", "", "He gave me the address today. Household as he gave it:\n\nKEMP Darren 19/03/1984\nWARD Stacey 02/08/1991 (partner)\nWARD Kayla 22/05/2012\n",
			[]kid{{"Kayla Ward", "2012-05-22", ""}}},
		{"everyone in the house, with dashes and ages", "", "Everyone in the house:\nMum – Siobhan Moran, 45\nHer partner – Gary Pitt, about 50\nCallum Moran – 16, born 01.12.2010\nDeclan Moran – 12, he’s at Whitefield School\n",
			[]kid{{"Callum Moran", "2010-12-01", ""}, {"Declan Moran", "age 12", "Whitefield School"}}},
		// Two or more lines that are each a name with an age or a date of birth and nothing else: a list without a label.
		{"lines of names and ages without a label", "", "Her 5 children live with her.\n\nConnor Brennan 14 (02/04/2012)\nMacie Brennan 11\nTJ Dolan 8\n",
			[]kid{{"Connor Brennan", "2012-04-02", ""}, {"Macie Brennan", "age 11", ""}, {"TJ Dolan", "age 8", ""}}},
		{"one such line alone", "", "I spoke to her today.\nMacie Brennan 11\nThen I left.\n", nil},
		// More guards: an acronym's bullet, a referrer's name block, a sibling's row, two children in one name field,
		// an age in months and a school field saying there is none now.
		{"an acronym's bullet with a date", "", "Children:\n- Leo Hart 03/03/2017\n- EHCP - Yes, reviewed 01/10/2026\n- TAF - 12/12/2026\n", []kid{{"Leo Hart", "2017-03-03", ""}}},
		{"a family label ending in a colon", "", "Family:\nNan – Pat Hart, 71\nLeo Hart – 9, Oakfield Primary School\n", []kid{{"Leo Hart", "age 9", "Oakfield Primary School"}}},
		{"the referrer's name, then a role", "", "Name: Amy Cole\nRole: Health Visitor\nOrganisation: Oxleas NHS\nChild's name: Leo Hart\nDOB: 03/03/2017\n", []kid{{"Leo Hart", "2017-03-03", ""}}},
		{"a sibling's date of birth after the sibling's row", "", "Child's name: Leo Hart\nSibling: Amy Hart\nDOB: 05/05/2019\n", []kid{{"Leo Hart", "", ""}, {"Amy Hart", "2019-05-05", ""}}},
		{"no sibling", "", "Child's name: Leo Hart\nDOB: 03/03/2017\nSibling: none\n", []kid{{"Leo Hart", "2017-03-03", ""}}},
		{"two children in one name field", "", "Child's name: Leo Hart and Amy Hart\nDOB: 03/03/2017\n", nil},
		{"an age in months in the age field", "", "Child's name: Leo Hart\nAge: 7 months\n\nChild's name: Amy Hart\nAge: 20 months\n", []kid{{"Leo Hart", "", ""}, {"Amy Hart", "age 1", ""}}},
		{"a school field saying none now", "", "Child's name: Leo Hart\nDOB: 03/03/2017\nSchool: Currently none (previously Oakfield Academy)\n", []kid{{"Leo Hart", "2017-03-03", ""}}},
		// Tuning round t9's wrong names, by rules about how people write: a name's words are on one line; a surname
		// written first is read with a dash before the date or a gender column after it, and never as a given name
		// alone; a name field holding a name and a job is the writer's.
		{"a name's words are on one line", "", "Thank you for your contact about Hana Begum (dob 21/04/2013).\n\nSubject: Hana Begum\n\nHana (13) came to my drop-in today.\n",
			[]kid{{"Hana Begum", "2013-04-21", ""}}},
		{"surname first with a dash before the date", "", "Child 1: PIKE, Oliver - DOB 2.9.2014 - Priory School\n", []kid{{"Oliver Pike", "2014-09-02", "Priory School"}}},
		{"surname first with a gender column", "", "Subject: LEVY, Reuben  M  12/04/2012\n", []kid{{"Reuben Levy", "2012-04-12", ""}}},
		{"a surname first not read is no given name", "", "Children:\n- PIKE, Oliver aka Ollie 12/03/2015\n", nil},
		{"a name field holding a name and a job", "", "Name: Nicola Barry, Estate Officer\nChild's name: Brandon Dale\nDOB: 12/12/2009\n", []kid{{"Brandon Dale", "2009-12-12", ""}}},
		// A date of something that happened, beside a listed name, is not its date of birth.
		{"a contact's date in a list", "", "Children:\n- Leo Hart - seen 12/10/2026 at clinic\n- Amy Hart – DOB 05/05/2019\n- Kai Hart, last attended 03/11/2026\n",
			[]kid{{"Amy Hart", "2019-05-05", ""}}},
		{"born on is still a birth", "", "Children:\n- Leo Hart born on 03/03/2017\n", []kid{{"Leo Hart", "2017-03-03", ""}}},
		// A school's staff refer their own pupil, unless the email says the child is someone else's or too young.
		{"a pupil's younger brother", "", "I am writing about Leo Hart (DOB 03/03/2019), the younger brother of one of our pupils. He is not at our school.\n\nKind regards\nSam Lee\nDesignated Safeguarding Lead, Oakfield Academy\n", []kid{{"Leo Hart", "2019-03-03", ""}}},
		{"our pupil told us about her brother", "", "Our Year 10 pupil told us about her little brother Leo Hart (DOB 03/03/2019), who is at home all day.\n\nKind regards\nSam Lee\nDesignated Safeguarding Lead, Oakfield Academy\n", []kid{{"Leo Hart", "2019-03-03", ""}}},
		{"a toddler is no academy's pupil", "", "Leo Hart (DOB 03/03/2024) was seen at our community cafe.\n\nKind regards\nSam Lee\nDesignated Safeguarding Lead, Oakfield Academy\n", []kid{{"Leo Hart", "2024-03-03", ""}}},
		{"a pupil who has left", "", "Leo Hart (DOB 03/03/2012) left us in July and we do not know where he is now.\n\nKind regards\nSam Lee\nDesignated Safeguarding Lead, Oakfield Academy\n", []kid{{"Leo Hart", "2012-03-03", ""}}},
		{"a neighbour's son", "", "My neighbour's son Leo Hart (DOB 03/03/2015) is left alone.\n\nKind regards\nSam Lee\nDesignated Safeguarding Lead, Oakfield Academy\n", []kid{{"Leo Hart", "2015-03-03", ""}}},
		{"our own pupil", "", "Leo Hart (DOB 03/03/2015) came into school with a bruise.\n\nKind regards\nSam Lee\nDesignated Safeguarding Lead, Oakfield Academy\n", []kid{{"Leo Hart", "2015-03-03", "Oakfield Academy"}}},
		// A subject's recent date not said to be a birth is a contact's day; a role's acronym is no name.
		{"a subject with a worker and a recent date", "From Amy Cole HV 14/11/2026", "Baby is losing weight.\n", nil},
		{"a subject with a newborn's date said to be a birth", "Baby Leo Hart born 14/11/2026", "He is losing weight.\n", []kid{{"Leo Hart", "2026-11-14", ""}}},
		// A due date of someone outside the household is no unborn child of the family's.
		{"an aunt's pregnancy", "", "Leo Hart (DOB 03/03/2017). His aunt is pregnant, due 12/03/2027.\n", []kid{{"Leo Hart", "2017-03-03", ""}}},
		{"a teacher's maternity leave", "", "Leo Hart (DOB 03/03/2017). His teacher is on maternity leave, baby due 01/02/2027.\n", []kid{{"Leo Hart", "2017-03-03", ""}}},
		{"mum's pregnancy is the family's", "", "Mum is 30 weeks pregnant, EDD 14/01/2027. Leo Hart (DOB 03/03/2017) lives with her.\n",
			[]kid{{"Leo Hart", "2017-03-03", ""}, {"", "2027-01-14", ""}}},
		// A professional in a household table or a list, with a date; a school that is a sister's or was the child's.
		{"a professional's row in a household table", "", "Name | DOB | Relationship\nKerry Hart | 12/01/1990 | Mother\nLeo Hart | 03/03/2017 | Son\nJo Bell | 14/11/2026 | Social worker (allocated)\n",
			[]kid{{"Leo Hart", "2017-03-03", ""}}},
		{"a role after a listed name's date", "", "Children:\n- Leo Hart 03/03/2017\n- Amy Cole 14/11/2026 Health Visitor\n", []kid{{"Leo Hart", "2017-03-03", ""}}},
		{"a sister's nursery in a notes column", "", "Name | DOB | Notes\nLeo Hart | 03/03/2017 | Oakfield Academy\nAmy Hart | 05/05/2019 | Sister attends Little Stars Nursery\n",
			[]kid{{"Leo Hart", "2017-03-03", "Oakfield Academy"}, {"Amy Hart", "2019-05-05", ""}}},
		{"school cells saying the child was there", "", "Name | DOB | School\nLeo Hart | 03/03/2017 | Oakfield Academy (was)\nAmy Hart | 05/05/2019 | Left Little Stars Nursery 2025\n",
			[]kid{{"Leo Hart", "2017-03-03", ""}, {"Amy Hart", "2019-05-05", ""}}},
		// A date of birth its writer is not sure of, or two of them, is left for the screener.
		{"an approximate date of birth", "", "Child's name: Leo Hart\nDOB: approx 03/03/2017 (not confirmed)\n", []kid{{"Leo Hart", "", ""}}},
		{"two dates of birth", "", "Child's name: Leo Hart\nDOB: 03/03/2017 or 04/03/2017 (records differ)\n", []kid{{"Leo Hart", "", ""}}},
		// A professional introducing themself is no young person referring themself.
		{"a teacher's introduction", "", "Hi, my name is Amy Cole, I am a teacher at Oakfield Academy and I'm worried about a pupil.\n", nil},
		{"a support worker's introduction", "", "Hello, my name is Amy Cole and I work as a family support worker.\n", nil},
		{"a young person's introduction with a school", "", "hi im jade palmer and im 14. i go to oakfield academy\n", []kid{{"Jade Palmer", "age 14", "Oakfield Academy"}}},
		{"a name with a digit in it is still a name", "", "Child's name: Mail0 Chaos\nDOB: 04/03/2018\n", []kid{{"Mail0 Chaos", "2018-03-04", ""}}},
		{"rooms and meetings with numbers", "", "Bedroom One 2\nBedroom Two 1\n\nTeam Meeting 12/11/2026\nCore Group 14/11/2026\n\nTotal Score 12\nRisk Rating 3\n\nOak Ward 4\nElm Ward 6\n", nil},

		// The ninth round's rules (round 8's shapes, in other names and wordings).
		// A school year or a class between the name and the date of birth is not the name.
		{"a school year in a list line", "", "Pupils at our school:\n- Ruby Okoro Yr3 - 14.02.2019\n- Sam Okoro Y1 – 02.09.2020\n",
			[]kid{{"Ruby Okoro", "2019-02-14", ""}, {"Sam Okoro", "2020-09-02", ""}}},
		{"a school year before a bracketed DOB", "", "Her brother Kai Newton in Year 7 (DOB 21/01/2014) has also missed school.\n",
			[]kid{{"Kai Newton", "2014-01-21", ""}}},
		{"a class in a lower-case subject", "safeguarding - maya fenwick 4B dob 3.3.18", "Maya came in upset again today.\n",
			[]kid{{"Maya Fenwick", "2018-03-03", ""}}},
		{"a school year with no name before it", "", "She has a brother in Y5 (DOB 30.06.2017) at the juniors.\n", nil},
		{"a class with no name in the subject", "Concern about 3C dob 11.2.19", "One of the class is upset.\n", nil},
		{"an event for a school year", "", "Dates:\n- Parents evening Yr6 - 12/11/2026\n", nil},
		// A household record's "SURNAME, Forename - relationship - DOB" lines: the children by their dates of birth.
		{"a tenancy record's household", "", "The tenancy shows:\n\nLead tenant: PATEL, Anita - 03/03/1988\nPATEL, Arjun - son - 14/06/2012\nPATEL, Diya - daughter - 09/09/2019\n",
			[]kid{{"Arjun Patel", "2012-06-14", ""}, {"Diya Patel", "2019-09-09", ""}}},
		{"a relationship in brackets", "", "Children:\n- Leo Hart (son) 03/03/2017\n- Amy Hart (stepdaughter) 05/05/2019\n",
			[]kid{{"Leo Hart", "2017-03-03", ""}, {"Amy Hart", "2019-05-05", ""}}},
		{"adults of a household record", "", "Household:\nHOLT, Dianne - partner - 14/07/1991\nHOLT, Gary - lodger - 01/02/1979\n", nil},
		// Given names each with a bracketed date of birth, then the family name they share.
		{"a family name after bracketed dates", "", "Kids at home: Maja (dob 03.04.17) and Olek (dob 21.10.20) Nowak. Maja is in Year 4.\n",
			[]kid{{"Maja Nowak", "2017-04-03", ""}, {"Olek Nowak", "2020-10-21", ""}}},
		{"a sentence after a bracketed date is no family name", "", "Children: Mia (dob 03/03/2019) Mum says she is fine.\n",
			[]kid{{"Mia", "2019-03-03", ""}}},
		// A web form's "Not known" is no name.
		{"surname not known", "", "Child's first name: Kenzie\nChild's surname: Not known\nAge: 6\n", []kid{{"Kenzie", "age 6", ""}}},
		{"first name not known", "", "Child's first name: don't know\nChild's surname: Hart\nDate of birth: 03/03/2017\n", []kid{{"Hart", "2017-03-03", ""}}},
		// An expected date of delivery with a two-digit year is in the coming months; a date of birth is never.
		{"EDD with a two-digit year", "", "Mother: Chloe Hart, DOB 23/01/1995\nEDD: 14/03/27 (28 weeks)\n", []kid{{"", "2027-03-14", ""}}},
		{"EDD too far ahead", "", "EDD: 14/03/29\n", nil},
		{"a DOB with a future two-digit year", "", "Child's name: Leo Hart\nDOB: 14/03/27\n", []kid{{"Leo Hart", "", ""}}},
		// A template's name written "Name – value"; its date of birth is that child's, not a sibling's on the household line.
		{"name and DOB with dashes", "", "Name – Kieran DOYLE\nD.O.B. – 12.06.2011\nAddress – 4 Elm Row, Fratton\nHousehold – Mum Sharon Doyle (41); brother Aaron Doyle, 9, Oak Primary\n",
			[]kid{{"Kieran Doyle", "2011-06-12", ""}, {"Aaron Doyle", "age 9", "Oak Primary"}}},
		{"a name label's dash in prose is no name", "", "Name - not given by the caller.\nMeeting - Tuesday at 10\n", nil},
		// A given name said to be an age, then its date of birth; a birthday said with "is".
		{"is N (born …)", "", "I am worried about Mia and Leo Hart.\nMia is 6 (born 3 March 2020) and Leo is 9 (born 1 May 2017).\n",
			[]kid{{"Mia Hart", "2020-03-03", ""}, {"Leo Hart", "2017-05-01", ""}}},
		{"an adult is N (born …)", "", "Mum is 34 (born 03/03/1992) and works nights.\n", nil},
		{"his birthday is", "", "His full name is Tyler Quinn, his birthday is the 4th of June 2012 so he's 14.\n", []kid{{"Tyler Quinn", "2012-06-04", ""}}},
		{"an adult's birthday", "", "His mum is Jo Quinn, her birthday is 3rd May 1990.\n", nil},
		// Ages said after the names, in running text.
		{"whos N without an apostrophe", "", "theres a girl Kacey whos 5 and she is out all night\n", []kid{{"Kacey", "age 5", ""}}},
		{"given names sharing a family name, who are N and M", "", "Two sisters, Amelia and Rosie Clark, who are 12 and 10, were left alone.\n",
			[]kid{{"Amelia Clark", "age 12", ""}, {"Rosie Clark", "age 10", ""}}},
		{"adults who are N and M", "", "The parents, Dean and Kerry Clark, who are 34 and 31, were drunk.\n", nil},
		{"twins with one age", "", "Mum has the twins Ava and Isla who are 4.\n", []kid{{"Ava", "age 4", ""}, {"Isla", "age 4", ""}}},
		{"a full name, then He is N", "", "I am writing about my friend Jordan Pike. He is 13 and lives near me.\n", []kid{{"Jordan Pike", "age 13", ""}}},
		{"an adult's name, then She is N", "", "I spoke to his mum, Sarah Pike. She is 34.\n", nil},
		{"a young mum's name, then She is N", "", "The baby lives with Mum Sarah Pike. She is 17 herself.\n", nil},
		// Several children in the subject, each with a date of birth.
		{"two children in the subject", "Referral - KHAN, Zara 03.04.20 & KHAN, Omar 11.9.22", "Both children attend our nursery.\n",
			[]kid{{"Zara Khan", "2020-04-03", ""}, {"Omar Khan", "2022-09-11", ""}}},
		{"a meeting and a review in the subject", "Strategy meeting Amy Hart 12/11/2026 & review 14/11/2026", "Notes attached.\n", nil},
		// A reply's "Her DOB is …" for the subject's child replaces the age its quoted first message gave.
		{"a reply's DOB over a quoted age", "RE: Concern - Mia HART", "Her DOB is 03.03.2018.\n\n-----Original Message-----\nFrom: MASH\nSent: 01 November 2026\n\nI am referring Mia Hart (8) of 5 Elm Road.\n",
			[]kid{{"Mia Hart", "2018-03-03", ""}}},
		// Children counted, then listed after a colon inside a sentence, or under "Other children at address".
		{"a counted list in a sentence", "", "Police attended. 2 children in the property: Jan KOWAL 9yrs, Ola KOWAL 6yrs. Ola was upset.\n",
			[]kid{{"Jan Kowal", "age 9", ""}, {"Ola Kowal", "age 6", ""}}},
		{"a counted list with no names", "", "Police attended. 3 children in the property: names not known. Officers left.\n", nil},
		{"other children at the address", "", "OTHER CHILDREN AT ADDRESS: Jack O'NEILL, 5yrs - at home with nan tonight.\n", []kid{{"Jack O'Neill", "age 5", ""}}},
		// A form's household value names the siblings with their dates of birth, on one line or wrapped.
		{"a household field's sibling", "", "Patient: NOLAN, Grace\nDate of birth: 02/05/2013\nHousehold: Mother Tina Nolan (DOB 11/01/1988); partner Lee Carr (DOB 09/09/1985); half-sister Poppy Carr (DOB 01/12/2022)\n",
			[]kid{{"Grace Nolan", "2013-05-02", ""}, {"Poppy Carr", "2022-12-01", ""}}},
		{"a household field of adults", "", "Patient: NOLAN, Grace\nDate of birth: 02/05/2013\nHousehold: Mother Tina Nolan (DOB 11/01/1988); partner Lee Carr (DOB 09/09/1985)\n",
			[]kid{{"Grace Nolan", "2013-05-02", ""}}},
		{"a wrapped value before the bracketed DOB", "", "Patient\tNOLAN, Grace\nDate of birth\t02/05/2013\nHousehold\tMother Tina Nolan (DOB 11/01/1988); half-sister Poppy Carr\n(DOB 01/12/2022)\nPresentation\tseen today\n",
			[]kid{{"Grace Nolan", "2013-05-02", ""}, {"Poppy Carr", "2022-12-01", ""}}},
		// A table cell's lines joined: a name after each age.
		{"ages in a joined cell", "", "Victim: PRICE, Dawn (31)\nChildren: PRICE, Kai 8 yrs PRICE, Mia 5 yrs\n", []kid{{"Kai Price", "age 8", ""}, {"Mia Price", "age 5", ""}}},
		// A brother or sister named with an age beside a form about another child; a parent is not.
		{"a sister beside a form", "", "Name: WARD, Holly\nDOB: 14/02/2012\nHolly lives with her mother Dee WARD and younger sister Evie (7).\n",
			[]kid{{"Holly Ward", "2012-02-14", ""}, {"Evie", "age 7", ""}}},
		{"a mother with an age beside a form", "", "Name: WARD, Holly\nDOB: 14/02/2012\nHolly lives with her mother Dee (34) and a lodger.\n",
			[]kid{{"Holly Ward", "2012-02-14", ""}}},
		// A child named with an age its writer is not sure of: named, with no age; a time or an adult is none.
		{"named with a hedged age", "", "the girl is called Rosa shes maybe 6 and her brother Finn who is about 3.\n", []kid{{"Rosa", "", ""}, {"Finn", "", ""}}},
		{"a time after a name", "", "I saw his sister Mia about 2 weeks ago and the baby Leo about 3:30 this morning.\n", nil},
		{"an adult's hedged age", "", "her brother Dean who is about 25 lives there too.\n", nil},
		// A hurried writer's lower case: two name words right before "dob", after a word for children.
		{"lower-case children with dobs", "", "hi\nchildren tyler mace dob 14/5/21 and poppy mace dob 2.2.23, mum says fine\n",
			[]kid{{"Tyler Mace", "2021-05-14", ""}, {"Poppy Mace", "2023-02-02", ""}}},
		{"a lower-case name after another word", "", "visit by jo bell dob 12/11/2026 and mum laura stott dob 12/4/25\n", nil},
		// Siblings listed by first name and age after a label, each bracket kept with its child.
		{"siblings at the home address", "", "PATIENT: FORD, Amy\nDOB: 02/02/2013\nSIBLINGS AT HOME ADDRESS: Leon (9), Ruby (4) - per father\n",
			[]kid{{"Amy Ford", "2013-02-02", ""}, {"Leon", "age 9", ""}, {"Ruby", "age 4", ""}}},
		// "(age N)" after a full name; an age a child told the writer.
		{"age N in brackets", "", "One of our swimmers, Maya Okonjo-Reid (age 11), told her coach.\n", []kid{{"Maya Okonjo-Reid", "age 11", ""}}},
		{"a place with an age in brackets", "", "The flat at Mill Court (age 40 years) is damp.\n", nil},
		{"who told me she is N", "", "A dad comes in with his daughter Lacey, who told me she is 7, every week.\n", []kid{{"Lacey", "age 7", ""}}},
		{"an adult who told me she is N", "", "I spoke to Mum, Gemma, who told me she is 32 and alone.\n", nil},
		// A relationship written first as a label, then the name.
		{"a sister's label before her name", "", "Name: BEGUM, Rukhsana\nDOB: 07/07/2010\nOther children in household | Brother - Imran Begum, aged 9 (DOB not known)\n",
			[]kid{{"Rukhsana Begum", "2010-07-07", ""}, {"Imran Begum", "age 9", ""}}},
		{"a parent's label before her name", "", "Other children in household | Mother - Shabana Begum, aged 38\n", nil},
		// A brother or sister named, then "he's N" / "she's N" later in the sentence, the pronoun agreeing.
		{"a brother, then hes N", "", "he shouts at my brother Zain too, hes 8, and locks him out\n", []kid{{"Zain", "age 8", ""}}},
		{"a sister, then he's N", "", "my sister Lola told the teacher he's 9 and mean\n", nil},
		{"a brother and a friend, then he's N", "", "my brother Leo and his mate Sam were there, he's 12.\n", nil},

		// The tenth round's rules.
		// A family name said once for the whole list after it ("- all Haddad", "(all Smith)", "both surnamed …"),
		// and written elsewhere after a title or a given name: each first name in the list carries it.
		{"all X after a list of first names", "", "Mrs Nour Haddad came with her children Amira (7), Yusuf (4) and baby Leyla, who was born on 9th January 2025 - all Haddad.\n",
			[]kid{{"Leyla Haddad", "2025-01-09", ""}, {"Amira Haddad", "age 7", ""}, {"Yusuf Haddad", "age 4", ""}}},
		{"all X in brackets", "", "Mr Dean Smith looks after his children Ruby (9) and Jack (6) (all Smith) since mum left.\n",
			[]kid{{"Ruby Smith", "age 9", ""}, {"Jack Smith", "age 6", ""}}},
		{"both surnamed X", "", "Her sons Kofi (12) and Yaw (8), both surnamed Mensah, were at home. Mr Mensah was not.\n",
			[]kid{{"Kofi Mensah", "age 12", ""}, {"Yaw Mensah", "age 8", ""}}},
		// A word after "all" that no one in the email is called is no family name; nor is an ethnicity, nor a family
		// name said in another sentence.
		{"all and a faith", "", "Her children Ruby (9) and Jack (6) are all Catholic.\n", []kid{{"Ruby", "age 9", ""}, {"Jack", "age 6", ""}}},
		{"all and an ethnicity", "", "Her children Ruby (9) and Jack (6) (all White British) live with Sam White.\n",
			[]kid{{"Ruby", "age 9", ""}, {"Jack", "age 6", ""}}},
		{"all X in the next sentence", "", "Her children Ruby (9) and Jack (6) live with her. The tenants above - all Kerr - are Mr Kerr's family.\n",
			[]kid{{"Ruby", "age 9", ""}, {"Jack", "age 6", ""}}},
		// The surname in capitals first, the given name in mixed case after it, before a school year or an age.
		{"surname in capitals first, a school year", "", "Present at the visit:\nAHMETI Dritan (Y4, DOB 15/07/2018)\nAHMETI Elira (Y1)\n",
			[]kid{{"Dritan Ahmeti", "2018-07-15", ""}, {"Elira Ahmeti", "", ""}}},
		{"surname in capitals first, an age", "", "Also at the address: his nephew KRASNIQI Besa, 15, and the lodger.\n", []kid{{"Besa Krasniqi", "age 15", ""}}},
		{"a surname in capitals after the given name stays", "", "Mason COOPER (Y4) and TJ Dolan (Y5) were late.\n",
			[]kid{{"Mason Cooper", "", ""}, {"TJ Dolan", "", ""}}},
		// A referrer correcting a date of birth given earlier in the thread ("Apologies - wrong DOB … her date of
		// birth is …", an answer under a request line "Please note her DOB on our system is …"): the corrected
		// date is the child's, above or below the first. An adult's date, a name that is not one of the
		// children, a pronoun under a line naming no child, and a question quoting the old date change nothing.
		{"apology above the quoted first email", "", "Apologies - I gave you the wrong DOB. Kacey's date of birth is 11/04/2013.\n\nFrom: Daniel Osei\nSent: 03 March 2026 11:05\nSubject: Referral\n\nKacey FLETCHER, DOB 11/04/2012, Y9.\n",
			[]kid{{"Kacey Fletcher", "2013-04-11", ""}}},
		{"answer under the request's line", "", "2. KHAN, Inaya - DOB 08/08/2014\n>> Registered. Please note her DOB on our system is 08/09/2014.\n3. KHAN, Zaid - DOB 30/12/2019\n>> Registered.\n",
			[]kid{{"Inaya Khan", "2014-09-08", ""}, {"Zaid Khan", "2019-12-30", ""}}},
		{"correction after the list, by first name", "", "Children:\n1. Jordan Fletcher DOB 02/09/2010\n2. Kacey Fletcher DOB 11/04/2012\nThere was a typo above: Kacey's DOB should be 11/04/2013.\n",
			[]kid{{"Jordan Fletcher", "2010-09-02", ""}, {"Kacey Fletcher", "2013-04-11", ""}}},
		{"mother's date corrected under her line", "", "Child: Kacey Fletcher, DOB 11/04/2012\nMother: Leanne Fletcher\nPlease note her DOB on our system is 03/04/1989.\n",
			[]kid{{"Kacey Fletcher", "2012-04-11", ""}}},
		{"adult sister's date corrected by name", "", "Child: Kacey Fletcher, DOB 11/04/2012\nSorry, Chelsea's date of birth is 02/02/2005, not 2007 - she is at college.\n",
			[]kid{{"Kacey Fletcher", "2012-04-11", ""}}},
		{"pronoun under the school's line", "", "Child: Kacey Fletcher, DOB 11/04/2012\nSchool: Millbrook High School\nPlease note her DOB on our system is 11/04/2013.\n",
			[]kid{{"Kacey Fletcher", "2012-04-11", "Millbrook High School"}}},
		{"the request quoting the old date", "", "Child: Kacey Fletcher, DOB 11/04/2012\nPlease confirm Kacey's date of birth (you gave 11/04/2013, which does not match our records).\n",
			[]kid{{"Kacey Fletcher", "2012-04-11", ""}}},
		{"a restated date with no correction's word", "", "Child: Kacey Fletcher, DOB 11/04/2012\nI think Kacey's date of birth is 11/04/2013 but mum was vague.\n",
			[]kid{{"Kacey Fletcher", "2012-04-11", ""}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			subject := c.subject
			if subject == "" {
				subject = "Referral"
			}
			raw := "From: Referrer <referrer@example.org>\r\nTo: mash@council.example.gov.uk\r\nSubject: " + subject + "\r\n" +
				"Date: Tue, 24 Nov 2026 12:00:00 +0000\r\nMessage-ID: <kid-test@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
				strings.ReplaceAll(c.body, "\n", "\r\n")
			m, err := Parse([]byte(raw), Options{Received: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC), ColleagueDomains: []string{"council.example.gov.uk"}})
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
				} else if ch.Age != 0 {
					d = "age " + strconv.Itoa(ch.Age)
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
