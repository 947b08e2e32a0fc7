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
			[]string{"Alfie Reilly||9", "|2010-02-03|0"}},
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

// A baby not yet born whose due date is written with a two-digit year ("EDD 20/01/27") is read with the date in
// the coming months; a two-digit due date already past, more than ten months away, or another woman's pregnancy
// is no child of the email.
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
