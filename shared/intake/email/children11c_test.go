package email

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
)

// The eleventh round's child rules (engineer t11c), read from round 10's misses in 510-539 and the older 447 and
// 466, each with rows of our own invention that must be read and rows that must not (an adult, a place, a school
// or a professional is never a child).

// pdfPlaced is a PDF of text pieces each placed at x, y (Helvetica, WinAnsi), as a case system lays out a form.
func pdfPlaced(pieces ...struct {
	x, y int
	s    string
}) []byte {
	var cs strings.Builder
	cs.WriteString("BT\n/F1 10 Tf\n")
	for _, p := range pieces {
		fmt.Fprintf(&cs, "1 0 0 1 %d %d Tm\n%s Tj\n", p.x, p.y, pdfLiteral(p.s))
	}
	cs.WriteString("ET\n")
	return pdfDoc([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		flateStream([]byte(cs.String())),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	}, "")
}

type placed = struct {
	x, y int
	s    string
}

// A form exported to PDF puts each label at the margin and its value in a second column, wrapping a long value
// inside that column. The wrapped lines are one value again when the words go on (a date-of-birth cue waiting
// for its date, a line that starts in lower case or with a date, a line the next word would not have fitted);
// lines written one a line in the cell (a short line, a numbered item) stay lines, and a line back at the margin
// is the next row.
func TestPDF_ValueWrappedInItsColumnIsOneLine(t *testing.T) {
	cases := []struct {
		name   string
		pieces []placed
		want   string
	}{
		{"a date of birth cue waiting for its date", []placed{
			{50, 700, "Children in the home"}, {230, 700, "Ava-Grace PENROSE, age 3 (DOB not known); Milo PENROSE, DOB"},
			{230, 687, "02/02/2025"}, {50, 671, "Referrer"}, {230, 671, "Jo Bell"}},
			"Children in the home\tAva-Grace PENROSE, age 3 (DOB not known); Milo PENROSE, DOB 02/02/2025\nReferrer\tJo Bell"},
		{"a sentence going on in lower case", []placed{
			{50, 700, "Concern"}, {230, 700, "Seen at the door by a neighbour who heard shouting from the"},
			{230, 687, "flat for an hour"}},
			"Concern\tSeen at the door by a neighbour who heard shouting from the flat for an hour"},
		{"a name cut where the line was full", []placed{
			{50, 700, "Household"}, {230, 700, "Mother Dawn Reilly (DOB 02-Mar-1991); partner Callum"},
			{230, 687, "Stroud (DOB 09-Jan-1988); brother Alfie Reilly (DOB 03-May-2022)"}},
			"Household\tMother Dawn Reilly (DOB 02-Mar-1991); partner Callum Stroud (DOB 09-Jan-1988); brother Alfie Reilly (DOB 03-May-2022)"},
		{"people written one a line in the cell", []placed{
			{50, 700, "Household"}, {230, 700, "Dawn Reilly (mother)"}, {230, 687, "Alfie Reilly (brother) 4"},
			{50, 671, "Notes"}, {230, 671, "Both seen at home on Monday afternoon after school run finished"}},
			"Household\tDawn Reilly (mother)\nAlfie Reilly (brother) 4\nNotes\tBoth seen at home on Monday afternoon after school run finished"},
		{"a numbered list in the cell", []placed{
			{50, 700, "Children"}, {230, 700, "1. Ruby Stroud, 6,"}, {230, 687, "2. Alfie Reilly, 4"}},
			"Children\t1. Ruby Stroud, 6,\n2. Alfie Reilly, 4"},
		{"a line back at the margin is the next row", []placed{
			{50, 700, "Name"}, {230, 700, "Ruby Stroud, DOB"}, {50, 687, "12/12/2019 recorded by the school"}},
			"Name\tRuby Stroud, DOB\n12/12/2019 recorded by the school"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := pdfText(pdfPlaced(c.pieces...))
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("text\n%q\nwant\n%q", got, c.want)
			}
		})
	}
}

// parseWithPDF parses a referral whose body only covers the attached PDF form, as intake does.
func parseWithPDF(t *testing.T, body string, pdf []byte) *Message {
	t.Helper()
	raw := "From: Referrer <referrer@example.org>\r\nTo: mash@council.example.gov.uk\r\nSubject: Referral attached\r\n" +
		"Date: Tue, 24 Nov 2026 12:00:00 +0000\r\nMessage-ID: <kid11c-pdf@example.org>\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"B11\"\r\n\r\n--B11\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		strings.ReplaceAll(body, "\n", "\r\n") + "\r\n--B11\r\nContent-Type: application/pdf; name=\"form.pdf\"\r\n" +
		"Content-Disposition: attachment; filename=\"form.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		base64.StdEncoding.EncodeToString(pdf) + "\r\n--B11--\r\n"
	m, err := Parse([]byte(raw), Options{Received: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC), ColleagueDomains: []string{"council.example.gov.uk"}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// childSet is the children of m as "Given Family|DOB|age" strings.
func childSet(m *Message) []string {
	var out []string
	for _, c := range m.Children {
		s := strings.TrimSpace(c.GivenName+" "+c.FamilyName) + "|"
		if !c.DateOfBirth.IsZero() {
			s += c.DateOfBirth.String()
		}
		s += "|" + fmt.Sprint(c.Age)
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// The children of a PDF form's cell whose value wrapped are read as the writer typed them, and the adult the
// form is about (a patient or applicant with an adult's age after the name) is no child.
func TestChildren_PDFCellWrappedInItsColumn(t *testing.T) {
	cases := []struct {
		name, form string
		want       []string
	}{
		{"two children in one wrapped cell, the patient an adult",
			"# AMBULANCE SAFEGUARDING REFERRAL\nIncident | 241126-0042\nPatient | Dawn PENROSE, 31 - fall at home, head injury, conveyed to hospital\n" +
				"Children at address | Ava-Grace PENROSE, age 3 (DOB not known); Milo PENROSE, DOB 02/02/2025\nConcerns | Children alone with the patient, who was confused.\n",
			[]string{"Ava-Grace Penrose||3", "Milo Penrose|2025-02-02|0"}},
		{"a household cell wrapped after a year of birth",
			"# HOUSING OPTIONS\nApplicant | STROUD, Kayden\nDOB | 03-Feb-2010\nHousehold at last address | Dawn Reilly (mother) 02/03/1991; Callum Stroud (stepfather) b. 1988; Alfie Reilly (brother) 9, Oak Primary School\n",
			[]string{"Alfie Reilly||9", "Kayden Stroud|2010-02-03|0"}},
		{"a young patient with an address after the name",
			"# MINOR INJURIES UNIT\nPatient | Kai Lee, 24 Mill Road, Erith\nDOB | 04/05/2014\n",
			[]string{"Kai Lee|2014-05-04|0"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := parseWithPDF(t, "Please see the attached form.", testPDF(c.form, ""))
			got := childSet(m)
			if strings.Join(got, ";") != strings.Join(c.want, ";") {
				t.Errorf("children %q, want %q", got, c.want)
			}
		})
	}
}

// A name field's value with an adult's age straight after the name is an adult's row (a patient, an applicant),
// never a child; a number that is no age (an address, a child's age) leaves the name a child's.
func TestForm_AdultAgeAfterTheNameIsNoChild(t *testing.T) {
	cases := []struct {
		v    string
		want bool
	}{
		{"Stacey ROBSON, 24 - intentional overdose", true},
		{"Dean Price (31)", true},
		{"Amy Cole, 19 yrs", true},
		{"Marek Nowak, 42, lives alone", true},
		{"PRICE, Dean, 44", true},
		{"Kai Lee, 24 Mill Road", false},
		{"Ruby Stroud, 6", false},
		{"Ruby Stroud (17)", false},
		{"Ruby Stroud, 12/12/2019", false},
		{"Ruby Stroud", false},
		{"24 - Amy Cole", false},
	}
	for _, c := range cases {
		if got := adultAgeAfterName(c.v); got != c.want {
			t.Errorf("adultAgeAfterName(%q) = %v, want %v", c.v, got, c.want)
		}
	}
}

// A baby not yet born whose due date is written with a two-digit year ("EDD 20/01/27") or none ("EDD 20th January")
// is read with the date in the coming months; a due date already past, more than ten months away, another woman's
// pregnancy, or a due date on a line about no pregnancy ("The rent is due on …") is no child of the email.
func TestChildren_UnbornDueDateWithTwoDigitYear(t *testing.T) {
	ref := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		line string
		want string // the unborn child's due date, "" for none
	}{
		{"- Dawn Reilly, mother, 29, about 30 weeks pregnant, EDD 14/02/27", "2027-02-14"},
		{"Mum is expecting again, EDD: 3.3.27, booked at the Homerton", "2027-03-03"},
		{"Unborn baby EDD 14/02/2027", "2027-02-14"},
		{"Her previous baby's EDD was 14/02/25 but she miscarried", ""},
		{"EDD 14/12/27", ""},
		{"Her aunt is pregnant too, EDD 14/02/27", ""},
		{"The EDD 14/02/27 stated on the letter is the mother's", "2027-02-14"},
		// a due date with no year: the next such day, within ten months, on a line about a pregnancy
		{"Mum is 30 weeks pregnant, EDD 20th January", "2027-01-20"},
		{"She is pregnant and due on 14 Feb", "2027-02-14"},
		{"Unborn baby, EDD 20/01", "2027-01-20"},
		{"Unborn baby, EDD 20th November", ""},
		{"Unborn baby, EDD 31st February", ""},
		{"The report is due on 3 March", ""},
		{"The rent is due on 14/02/2027", ""},
	}
	for _, c := range cases {
		got := ""
		for _, k := range unbornChildren(c.line+"\n", ref) {
			got = k.DateOfBirth.String()
		}
		if got != c.want {
			t.Errorf("%q: unborn due %q, want %q", c.line, got, c.want)
		}
	}
}

// A date of birth given without a name is the only child's when that child has no date yet; but not when the child
// was read with an age the date does not give (the form's applicant, 16, beside a brother of 13).
func TestChildren_DateOfBirthOfAnotherAgeIsNotTheAgedChild(t *testing.T) {
	ref := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		age  int
		dob  domain.Date
		want bool
	}{
		{13, domain.Date{Y: 2010, M: 2, D: 3}, true},
		{16, domain.Date{Y: 2010, M: 2, D: 3}, false},
		{0, domain.Date{Y: 2010, M: 2, D: 3}, false},
		{16, domain.Date{Y: 2010, M: 12, D: 3}, true}, // 15 until December
	}
	for _, c := range cases {
		if got := ageDisagrees(c.age, c.dob, ref); got != c.want {
			t.Errorf("ageDisagrees(%d, %s) = %v, want %v", c.age, c.dob, got, c.want)
		}
	}
}

// A table under a "Patient | Date of birth" header ends at the form's first label row: the rows after it are the
// form's label and value rows again, whatever word their label is ("Orthodontist | Samir Haddad BDS" is the
// treating clinician, never a child called Orthodontist).
func TestGrid_TableEndsAtTheFormsFirstLabelRow(t *testing.T) {
	body := "Patient\tDate of birth\nRosie Hale\t03/04/2016\nFinn Hale\t21/09/2018\nParent / carer\tDawn Hale\n" +
		"Concern\tBoth children have untreated decay and missed five appointments.\nOrthodontist\tSamir Haddad BDS\n"
	m := parseBody(t, "Dental neglect referral", body)
	got := childSet(m)
	want := []string{"Finn Hale|2018-09-21|0", "Rosie Hale|2016-04-03|0"}
	if strings.Join(got, ";") != strings.Join(want, ";") {
		t.Errorf("children %q, want %q", got, want)
	}
}

// bodyChildren parses a plain-text referral and returns its children as childSet does.
func bodyChildren(t *testing.T, body string) []string {
	t.Helper()
	var out []string
	for _, s := range childSet(parseBody(t, "Concern", body)) {
		if s != "||0" { // the empty child of a contact that names none
			out = append(out, s)
		}
	}
	return out
}

// A relative lists the children one a line after a lead of their own words ending in a colon ("She has three
// children:"), each line a name and a sentence with the age ("Rio - he is 14 and goes to …"); the family name said
// on the child's own line ("also Campbell", "He has Campbell like his mum") is the child's when the email writes it
// after a given name too. An adult's line, a hedged age and a line without a lead are guarded.
func TestChildren_ListAfterALeadWithTheAgeInASentence(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"three children after a lead, the family name said on the lines",
			"My son is Darren Pryce, he is 36. He has three children:\n\nMilo - he is 12 and goes to Oak Academy. He has Pryce like his dad.\n" +
				"Tess - she is 7 and at Elm Primary, also Pryce.\nBaby Jude - born 02/02/2025.\n\nI am worried about them.\n",
			[]string{"Jude|2025-02-02|0", "Milo Pryce||12", "Tess Pryce||7"}},
		{"there are three children, as follows",
			"There are three children as follows:\n\nMilo Pryce - he is 12\n\nTess Pryce, she's 7, at Elm Primary\n",
			[]string{"Milo Pryce||12", "Tess Pryce||7"}},
		{"a hedged age names the child without one",
			"They have 2 kids:\nAva - she is about 6\nLeo - he's 3\n",
			[]string{"Ava||0", "Leo||3"}},
		{"the family name not written after a given name anywhere",
			"She has two children:\nMilo - he is 12, also Brook.\n",
			[]string{"Milo||12"}},
		{"an adult's line in the list",
			"The family has two children:\nDarren - he is 36\nMilo - he is 12\n",
			[]string{"Milo||12"}},
		{"months are no age in years",
			"She has two children:\nJude - he is 10 months\n",
			[]string{"Jude||0"}},
		{"bulleted lines need no lead",
			"Household at 4 Mill Road:\n- Dawn Pryce - she is 36\n- Milo - he is 12, at Oak Academy\n",
			[]string{"Milo||12"}},
		{"no lead: a line saying an age is left to the other readers",
			"Thank you for your call.\nMilo - he is 12\n",
			nil},
		{"a lead about other people's children",
			"The school has 300 children:\nOak - it is 12 miles away\n",
			nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := bodyChildren(t, c.body)
			if strings.Join(got, ";") != strings.Join(c.want, ";") {
				t.Errorf("children %q, want %q", got, c.want)
			}
		})
	}
}

// A child's other name written in brackets between the given and the family name ("Oliver (Ollie) Hart", "Isabella
// (known as Bella) Turner") is left out of the name, in a list and in running text; a bracket holding an age, a year
// group or a relation is not another name.
func TestChildren_OtherNameInBracketsBetweenGivenAndFamily(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"a numbered list", "The children are:\n1. Oliver (Ollie) Pask – born 21/05/2016 – Oak Primary School\n2. Maisie Pask – born 9th December 2019\n",
			[]string{"Maisie Pask|2019-12-09|0", "Oliver Pask|2016-05-21|0"}},
		{"running text", "My children are Alfie (Alf) Dorset born 6th Aug 2016 and Isabella (known as Bella) Dorset born 19/1/20.\n",
			[]string{"Alfie Dorset|2016-08-06|0", "Isabella Dorset|2020-01-19|0"}},
		{"a relation in the bracket", "The children are:\n1. Oliver (Mum) Pask – born 21/05/2016\n",
			[]string{"Oliver|2016-05-21|0"}},
		{"the other name in quotes in a list", "The children are:\n1. Oliver 'Ollie' Pask, DOB 21/05/2016\n2. Maisie Pask, DOB 09/12/2019\n",
			[]string{"Maisie Pask|2019-12-09|0", "Oliver Pask|2016-05-21|0"}},
		{"curly quotes in running text, never the family name alone", "My grandson Oliver “Ollie” Pask born 21/05/2016 lives with his mum.\n",
			[]string{"Oliver Pask|2016-05-21|0"}},
		{"no family name after the quotes", "My grandson Oliver “Ollie” born 21/05/2016 lives with his mum.\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := bodyChildren(t, c.body)
			if strings.Join(got, ";") != strings.Join(c.want, ";") {
				t.Errorf("children %q, want %q", got, c.want)
			}
		})
	}
	for _, c := range []struct{ head, want string }{
		{"Oliver (Ollie) Hart", "Oliver Hart"},
		{"Oliver (12) Hart", "Oliver (12) Hart"},
		{"Oliver (Year 4) Hart", "Oliver (Year 4) Hart"},
		{"Oliver (Sister) Hart", "Oliver (Sister) Hart"},
		{"Oliver (Ollie)", "Oliver (Ollie)"},
	} {
		if got := dropNickname(c.head); got != c.want {
			t.Errorf("dropNickname(%q) = %q, want %q", c.head, got, c.want)
		}
	}
}

// A young person writing in lower case gives their full name in brackets after the given name ("my names kai (kai
// adeyemi) im 15"), and a sibling's family name where they say the surname ("shes got garys surname lola brennan";
// "they all have my step dads surname frimpong" after the names on the line); "the same surname as me" gives none.
func TestChildren_YoungPersonInLowerCaseSaysTheSurnames(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"the full name in brackets and a half-sister's surname",
			"hi my names tom (tom okoye) im 14 and in year 10 at hill school\n\nim worried about my little sister ruby shes 5, shes my half sister so shes got daves surname ruby marsh\n",
			[]string{"Ruby Marsh||5", "Tom Okoye||14"}},
		{"they all have a surname",
			"my name is jess reed im 15\n\nmy brothers are sam and alfie they are 9 and 4. they all have my step dads surname cole\n",
			[]string{"Alfie Cole||4", "Jess Reed||15", "Sam Cole||9"}},
		{"the same surname as me",
			"my name is jess reed im 15\n\nmy brothers are sam and alfie they are 9 and 4. they all have the same surname as me\n",
			[]string{"Alfie||4", "Jess Reed||15", "Sam||9"}},
		{"a bracket that is no name", "my names tom (year 10) im 14\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := bodyChildren(t, c.body)
			if strings.Join(got, ";") != strings.Join(c.want, ";") {
				t.Errorf("children %q, want %q", got, c.want)
			}
		})
	}
}

// A child named by the given name in a sentence about children and said to be an age its writer is not sure of
// ("Tyler hes 8 or 9", "Jonah is about 7, I think") is a child without an age; a time, a distance, a pregnancy, a
// range reaching 18 or a sentence about no children gives none.
func TestChildren_AgeTheWriterIsNotSureOf(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"an age range", "theres two kids, Kayla who is 11 and Tyler hes 8 or 9 and they are out late\n", []string{"Kayla||11", "Tyler||0"}},
		{"about an age, the family name said with both", "She came in with her two boys, Jonah and Milo Tate – Jonah is about 7, I think, and Milo, who told me he is 10, did the talking.\n",
			[]string{"Jonah Tate||0", "Milo Tate||10"}},
		{"guesses in brackets", "Three kids live there: Tyler (8 or 9), Jonah (about 6) and Poppy (3ish).\n",
			[]string{"Jonah||0", "Poppy||0", "Tyler||0"}},
		{"a bracket that is no age", "The kids were with Dean (about 30 or so) and Erith (5 or 6 stops away).\n", nil},
		{"the children said in the sentence before", "The two children at number 8 have been alone since 5pm. Poppy, who must be about 10, and her brother who is a toddler.\n",
			[]string{"Poppy||0"}},
		{"a time", "The kids have tea late. Dinner is about 7 most nights.\n", nil},
		{"a meal said about a time after the children", "The kids are hungry. Dinner is about 7.\n", nil},
		{"an adult relative", "The kids stay with her partner Dean, who is about 17 or 18.\n", nil},
		{"a time in a sentence about the children", "The kids eat late, Dinner is about 7pm.\n", nil},
		{"a distance", "The children walk to school. Oakham is about 7 miles away.\n", nil},
		{"a pregnancy", "Her daughter says Kayla is about 7 months pregnant.\n", nil},
		{"a range reaching 18", "theres two kids at the house, Tyler hes 17 or 18\n", nil},
		{"no children in the sentence", "I rang the office. Kayla is about 7 minutes away. Tyler hes 8 or 9 on the list.\n", nil},
		{"an adult's range", "the kids are with their uncle, Dean hes 30 or 31\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := bodyChildren(t, c.body)
			if strings.Join(got, ";") != strings.Join(c.want, ";") {
				t.Errorf("children %q, want %q", got, c.want)
			}
		})
	}
}

// A sibling of the children named after "their half brother", "her little brother" is a child when the same
// sentence says the sibling is a baby or has turned an age ("who turned one in October"); an adult relative's
// brother, the baby's father, a sibling said to be grown up or not said to be young gives none.
func TestChildren_SiblingSaidToBeABaby(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"a half brother who is someone's baby", "There is also their half brother Otis who is Dawn's baby with Lee.\n", []string{"Otis||0"}},
		{"a little brother who turned one", "Her little brother Rafe, who turned one in October, was there too.\n", []string{"Rafe||1"}},
		{"a brother who has just turned 3", "my baby brother Finn who has just turned 3 cries all night\n", []string{"Finn||3"}},
		{"a son who turned an age", "Her son Tyler turned 9 last week and has been wetting the bed.\n", []string{"Tyler||9"}},
		{"a grown-up son", "Her son Dean turned 30 in May.\n", nil},
		{"a person who turned", "The person Dean turned 9 pages.\n", nil},
		{"the baby's father", "Her brother Dean who is the baby's father lives there.\n", nil},
		{"mum's brother", "Mum's brother Dean is a baby sitter for them.\n", nil},
		{"a grown-up brother", "Their half brother Dean, who turned 19 in May, is the baby's uncle.\n", nil},
		{"no sign of being young", "Their half brother Dean helps with the baby.\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := bodyChildren(t, c.body)
			if strings.Join(got, ";") != strings.Join(c.want, ";") {
				t.Errorf("children %q, want %q", got, c.want)
			}
		})
	}
}

// A form's row whose label is the children somewhere in the form's own words ("Children in partner's household")
// lists them with their ages; a row without an age or a date ("Not known"), or a label about something else, gives
// none. A lead that ends "… with her partner Rui and the two children:" opens a list as "She has two children:" does.
func TestChildren_ChildrenRowInTheFormsOwnWords(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"a row with first names and ages", "Person on licence: HALE, Dean\nChildren in partner's household: Kit (7) and Bea (4) – surnames not known\n",
			[]string{"Bea||4", "Kit||7"}},
		{"a tab row with dates of birth", "Children living at the address\tJude Amos 03/03/2019; Remi Amos 12/12/2021\n",
			[]string{"Jude Amos|2019-03-03|0", "Remi Amos|2021-12-12|0"}},
		{"a possessive before the children", "New partner: MORRIS, Dawn\nPartner's children: Kit (7), Bea (4)\n",
			[]string{"Bea||4", "Kit||7"}},
		{"a row with no age", "Children in partner's household: two, names not known\n", nil},
		{"a count of children", "Number of children: 3 (ages 4 and 7)\n", nil},
		{"a row about services", "Children's services involvement: Social worker Amy Cole (2019)\n", nil},
		{"a long lead ending in the children",
			"My sister is Dawn Reis, she is 31. She lives in Acton with her partner Rui Lobo and the two children:\n\nTiago Reis Lobo - 8 years, Year 4\n\nMaria Reis Lobo - 5 years (born 14/03/21), Year 1\n",
			[]string{"Maria Reis Lobo|2021-03-14|0", "Tiago Reis Lobo||8"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := bodyChildren(t, c.body)
			if strings.Join(got, ";") != strings.Join(c.want, ";") {
				t.Errorf("children %q, want %q", got, c.want)
			}
		})
	}
}

// A child named in full and given a date of birth in a clause after the name ("Theo Adebayo - his DOB on our club
// registration is 29/11/2011") is read; an adult's date, a date not said to be a birth, or a name that is a club or
// a team gives none.
func TestChildren_DateOfBirthInAClauseAfterTheName(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"a club's registration", "One of my players, Remi Okafor - his DOB on our club registration is 29/11/2011 so he's just turned 15 - was sleeping in the stairwell.\n",
			[]string{"Remi Okafor|2011-11-29|0"}},
		{"a comma and her date of birth", "I am writing about Mia Lund, her date of birth is 3 May 2014, who lives with her nan.\n",
			[]string{"Mia Lund|2014-05-03|0"}},
		{"an adult's date", "Mum, Dawn Lund - her DOB on our system is 12/12/1990 - did not attend.\n", nil},
		{"a team", "Barnet Blaze - their registration date was 29/11/2011.\n", nil},
		{"a youth team's meeting", "Youth Team - their date of birth check was 29/11/2011.\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := bodyChildren(t, c.body)
			if strings.Join(got, ";") != strings.Join(c.want, ";") {
				t.Errorf("children %q, want %q", got, c.want)
			}
		})
	}
}

// More guards, each a sentence a writer could send: the new readers read no child from them.
func TestChildren_EleventhRoundGuards(t *testing.T) {
	for _, body := range []string{
		"the kids live in Erith, Erith is about 5 or 6 stops from here\n",
		"Children known to be in the property: Unknown (2)\n",
		"I have worked with the children:\nAmy Cole - she is 34 and the allocated social worker\n",
		"The kids are fine. For the kids, Bedtime is about 8 or 9 most nights.\n",
		"his brother Jake, who is a baby sitter for the kids, was there\n",
		"Dr Sarah Jones - her DOB on EMIS is 01/01/1980 - saw the children.\n",
		"Their sister Dawn, who turned 40 in May, helps with the baby.\n",
		"Patient: Marek Nowak, 42, lives alone; his children visit at weekends.\n",
	} {
		if got := bodyChildren(t, body); len(got) != 0 {
			t.Errorf("%q: children %q, want none", body, got)
		}
	}
}

// A form about a person in a service's own word ("Applicant", "Client", "Service user") gives a child's name when the
// date of birth on the next row makes the person a child; an adult's date, a title, a row of another label or no
// name leaves the date unnamed (or gives no child at all).
func TestChildren_ApplicantNamedAboveAChildsDateOfBirth(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"surname first in capitals", "HOUSING OPTIONS ASSESSMENT\nApplicant: STROUD, Kayden\nDOB: 03-Feb-2010\nAge: 16\n", []string{"Kayden Stroud|2010-02-03|0"}},
		{"given then family", "Service user\tKayden Stroud\nDate of birth\t03/02/2010\n", []string{"Kayden Stroud|2010-02-03|0"}},
		{"an adult applicant", "Applicant: STROUD, Dawn\nDOB: 03-Feb-1990\n", nil},
		{"a title", "Client: Dr Kay Stroud\nDOB: 03/02/2010\n", []string{"|2010-02-03|0"}},
		{"another label above", "Referrer: Amy Cole\nDOB: 03/02/2010\n", []string{"|2010-02-03|0"}},
		{"no name", "Applicant: not known\nDOB: 03/02/2010\n", []string{"|2010-02-03|0"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := bodyChildren(t, c.body)
			if strings.Join(got, ";") != strings.Join(c.want, ";") {
				t.Errorf("children %q, want %q", got, c.want)
			}
		})
	}
}

// A child written with another name in brackets ("Isabella (Bella) Dorset") is at the school the email gives under that
// name ("Bella is at Elm Infant School and Alf is at Elm Junior School"); a name in brackets that is no other name of
// the child, or no such bracket, gives the school of no one.
func TestChildren_SchoolGivenUnderTheOtherName(t *testing.T) {
	cases := []struct {
		name, body string
		want       map[string]string
	}{
		{"two children by their other names",
			"My children are Alfie (Alf) Dorset born 6th Aug 2016 and Isabella (Bella) Dorset born 19/1/20.\n\nBella is at Elm Infant School and Alf is at Elm Junior School.\n",
			map[string]string{"Alfie Dorset": "Elm Junior School", "Isabella Dorset": "Elm Infant School"}},
		{"another child's name",
			"My son is Alfie Dorset born 6th Aug 2016.\n\nBella is at Elm Infant School.\n",
			map[string]string{"Alfie Dorset": ""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := parseBody(t, "Concern", c.body)
			if len(m.Children) != len(c.want) {
				t.Fatalf("children %+v, want %v", m.Children, c.want)
			}
			for _, ch := range m.Children {
				n := strings.TrimSpace(ch.GivenName + " " + ch.FamilyName)
				if want, ok := c.want[n]; !ok || ch.School != want {
					t.Errorf("%s: school %q, want %q", n, ch.School, want)
				}
			}
		})
	}
}

// A child named in full with a clause saying whose brother, sister, son or daughter the child is, then the age
// ("Rory Dale, Kacey's half-brother (he has his dad's surname), is 7 and goes to Elm Primary") is read with that age;
// an older sister of 19, a clause about an adult, months or a range give none.
func TestChildren_RelationClauseThenTheAge(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"a half-brother with an aside", "Rory Dale, Kacey's half-brother (he has his dad's surname), is 7 and goes to Elm Primary.\n", []string{"Rory Dale||7"}},
		{"her younger sister", "Ivy Hale, her younger sister, is 4.\n", []string{"Ivy Hale||4"}},
		{"an older sister of 19", "There is also Chelsea Hale, her older sister, is 19 and lives at home.\n", nil},
		{"an adult's clause", "Craig Dale, Rory's dad, is 7 miles away most nights.\n", nil},
		{"months", "Ivy Hale, her baby sister, is 7 months old.\n", nil},
		{"a range", "Ivy Hale, her younger sister, is 4 or 5.\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := bodyChildren(t, c.body)
			if strings.Join(got, ";") != strings.Join(c.want, ";") {
				t.Errorf("children %q, want %q", got, c.want)
			}
		})
	}
}

// A second child written in lower case after "and" on the line of a first ("children ruby-rose stott dob 12/4/25 and
// kai stott who is 6") is read when the family name is the first child's; another family name, an adult's age, a
// height or a line with no child read first gives none.
func TestChildren_LowerCaseSecondChildWithTheAge(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"the same family name", "children poppy-mae lund dob 3/5/24 and alfie lund who is 6 and goes to elm primary\n",
			[]string{"Alfie Lund||6", "Poppy-Mae Lund|2024-05-03|0"}},
		{"another family name", "children poppy-mae lund dob 3/5/24 and jay smith who is 6 foot tall\n",
			[]string{"Poppy-Mae Lund|2024-05-03|0"}},
		{"an adult", "children poppy-mae lund dob 3/5/24 and dean lund who is 34\n",
			[]string{"Poppy-Mae Lund|2024-05-03|0"}},
		{"no first child", "mum dawn lund and alfie lund who is 6 went out\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := bodyChildren(t, c.body)
			if strings.Join(got, ";") != strings.Join(c.want, ";") {
				t.Errorf("children %q, want %q", got, c.want)
			}
		})
	}
}

// An age a writer spells out is read as one written in figures ("Kayla, who is eleven", "Tyler (six)", "aged
// eleven", "she is nine" on a list's line); a number word that is no age ("is two streets away", "is one of",
// "two years older", "was six when") stays a word, and gives no child.
func TestChildren_AgeSpelledOut(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"who is", "Her children are Kayla, who is eleven, and Tyler, who is six.\n", []string{"Kayla||11", "Tyler||6"}},
		{"in brackets", "The kids are Kayla (eleven) and Tyler (six).\n", []string{"Kayla||11", "Tyler||6"}},
		{"aged", "Mum has two children: Kayla Hart aged eleven and Tyler Hart aged six.\n", []string{"Kayla Hart||11", "Tyler Hart||6"}},
		{"a list's lines", "She has three children:\nRio - he is fourteen\nAmara - she is nine years old\n", []string{"Amara||9", "Rio||14"}},
		{"years older", "Kayla is two years older than Tyler.\n", nil},
		{"a distance", "The kids live with Kayla, it is two streets away.\n", nil},
		{"one of", "Kayla is one of the children I teach.\n", nil},
		{"a past age", "Kayla was six when she was first referred.\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := bodyChildren(t, c.body)
			if strings.Join(got, ";") != strings.Join(c.want, ";") {
				t.Errorf("children %q, want %q", got, c.want)
			}
		})
	}
	for _, c := range []struct{ in, want string }{
		{"who is eleven, and", "who is 11, and"},
		{"Kayla (eleven)", "Kayla (11)"},
		{"is two streets away", "is two streets away"},
		{"is nineteen and lives", "is 19 and lives"},
		{"is someone", "is someone"},
		{"aged between six and nine", "aged between six and nine"},
	} {
		if got := ageWordsToDigits(c.in); got != c.want {
			t.Errorf("ageWordsToDigits(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// A household's cell that gives each person's relation and age in one bracket ("Household members | Dawn Reilly
// (mother, 34); Alfie Reilly (son, 9, Oak Primary School); Ruby Reilly (daughter, 4)") gives its children with their
// ages and schools; an adult's relation, an age of 18 or more, or a label about no household gives none.
func TestChildren_HouseholdCellWithRelationAndAgeInOneBracket(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"a household cell", "Household members: Dawn Reilly (mother, 34); Alfie Reilly (son, 9, Oak Primary School); Ruby Reilly (daughter, aged 4)\n",
			[]string{"Alfie Reilly||9", "Ruby Reilly||4"}},
		{"a grown-up son", "Household members: Dawn Reilly (mother, 54); Dean Reilly (son, 19)\n", nil},
		{"not a household's label", "Professionals: Amy Cole (social worker, 34); Jo Bell (daughter's teacher, 9 years in post)\n", nil},
		{"a possessive relation", "People living at the address: Dawn Reilly (mother, 34); Alfie Reilly (Dawn's son, 9)\n", []string{"Alfie Reilly||9"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := parseBody(t, "Concern", c.body)
			var got []string
			for _, s := range childSet(m) {
				if s != "||0" {
					got = append(got, s)
				}
			}
			if strings.Join(got, ";") != strings.Join(c.want, ";") {
				t.Errorf("children %q, want %q", got, c.want)
			}
			for _, ch := range m.Children {
				if ch.GivenName == "Alfie" && c.name == "a household cell" && ch.School != "Oak Primary School" {
					t.Errorf("Alfie's school %q, want Oak Primary School", ch.School)
				}
			}
		})
	}
}

// Children named by the given name with "aged N" in a sentence about children ("The kids, Tyler aged 9 and Ruby aged
// 4, live with mum"), and a list of names with bare ages where a label or a bracket says they are children ("Mum's
// children: Tyler 9, Ruby 4", "The children (Tyler, 9, and Ruby, 4)"), are read; an adult's relation, months, a place's
// number, an adult's age or a bracket of ages alone give none.
func TestChildren_GivenNamesWithBareOrAgedAges(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"aged after a given name", "The kids, Tyler aged 9 and Ruby aged 4, live with mum.\n", []string{"Ruby||4", "Tyler||9"}},
		{"a partner aged 17", "Her partner Dean aged 17 lives there with the children.\n", nil},
		{"months", "The kids: Tyler aged 9 months.\n", nil},
		{"a children label with bare ages", "Mum's children: Tyler 9, Ruby 4\n", []string{"Ruby||4", "Tyler||9"}},
		{"a bracket after the children", "The children (Tyler, 9, and Ruby, 4) were at home.\n", []string{"Ruby||4", "Tyler||9"}},
		{"a bracket of ages alone", "The children (aged 9 and 4) were at home.\n", nil},
		{"places under a children label", "Children: Flat 9, Room 4\n", nil},
		{"a ward and a bay under a children label", "Children: Ward 7, Bay 4\n", nil},
		{"houses of a home under a children label", "Children placed: Elm House 4, Oak House 2\n", nil},
		{"wards and units under a children label", "Children: Maple Ward 4, Cedar Unit 2\n", nil},
		{"a child whose family name is a place word", "Mum's children: Lily Green 9, Ruby Green 4\n", []string{"Lily Green||9", "Ruby Green||4"}},
		{"an adult in the bracket", "The children (Dean 19 and Ruby 4) were there.\n", []string{"Ruby||4"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := bodyChildren(t, c.body)
			if strings.Join(got, ";") != strings.Join(c.want, ";") {
				t.Errorf("children %q, want %q", got, c.want)
			}
		})
	}
}

// Two children listed in lower case after "kids" or "children" with a bare age each ("my kids are tyler 9 and ruby
// 4", "theres 2 kids tyler (9) and ruby (4)") are read by the given name; how the children are, places, an adult's
// age, or a line with capitals gives none.
func TestChildren_LowerCaseKidsWithBareAges(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"bare ages", "my kids are tyler 9 and ruby 4 and they are scared\n", []string{"Ruby||4", "Tyler||9"}},
		{"ages in brackets", "theres 2 kids tyler (9) and ruby (4) in the flat\n", []string{"Ruby||4", "Tyler||9"}},
		{"places", "the kids are in flat 9 and room 4\n", nil},
		{"an adult", "my kids are tyler 19 and ruby 4\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := bodyChildren(t, c.body)
			if strings.Join(got, ";") != strings.Join(c.want, ";") {
				t.Errorf("children %q, want %q", got, c.want)
			}
		})
	}
}

// A sentence that lists the children after saying so ("The children are Tyler, who has just turned 9, and Ruby, 4.",
// "The kids are Tyler (nearly 10) and Ruby (4).") gives each child named with an age, a guessed age naming the child
// without one; names with no age, an adult's age or what the children are ("The children are scared") give none.
func TestChildren_SentenceListingTheChildren(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"ages said the writer's way", "The children are Tyler, who has just turned 9, and Ruby, 4.\n", []string{"Ruby||4", "Tyler||9"}},
		{"a guessed age in the list", "The kids are Tyler (nearly 10) and Ruby (4).\n", []string{"Ruby||4", "Tyler||0"}},
		{"full names", "My grandchildren are Tyler Hart, 9, Ruby Hart, 4 and baby Jude.\n", []string{"Ruby Hart||4", "Tyler Hart||9"}},
		{"names with no age", "The children are Tyler and Ruby.\n", nil},
		{"how they are", "The children are scared, 4 of them cried.\n", nil},
		{"an adult in the list", "The kids are Dean, 19, and Ruby, 4.\n", []string{"Ruby||4"}},
		{"a school and days", "The children are at Oak Primary School, 4 days a week.\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := bodyChildren(t, c.body)
			if strings.Join(got, ";") != strings.Join(c.want, ";") {
				t.Errorf("children %q, want %q", got, c.want)
			}
		})
	}
}
