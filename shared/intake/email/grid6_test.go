package email

import (
	"testing"
	"time"
)

// Portsmouth §4.6 (the child's details) in a table: a header row may hold columns the form reader does not read
// ("Notes", "NHS No", "Attendance (autumn term)"); it is still a header, so its cells are never a child's name
// and each row below is a person. A row of label and value pairs is not a header however many labels it has.
func TestGrid_HeaderRowWithColumnsNotRead(t *testing.T) {
	ref := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	type want struct{ given, dob, school string }
	cases := []struct {
		name, html string
		want       []want
	}{
		{"notes column", `<table><tr><td><b>Name</b></td><td><b>Relationship</b></td><td><b>DOB</b></td><td><b>Notes</b></td></tr>` +
			`<tr><td>Gail Shaw</td><td>Mother</td><td>04/05/1986</td><td></td></tr>` +
			`<tr><td>Zac Shaw</td><td>Son</td><td>01/01/2020</td><td>Acorn Nursery (3 mornings)</td></tr></table>`, []want{{"Zac", "2020-01-01", "Acorn Nursery"}}},
		{"notes that name no school", `<table><tr><td><b>Name</b></td><td><b>DOB</b></td><td><b>Notes</b></td></tr>` +
			`<tr><td>Zac Shaw</td><td>01/01/2020</td><td>on my caseload</td></tr></table>`, []want{{"Zac", "2020-01-01", ""}}},
		{"attendance column", `<table><tr><th>Pupil</th><th>Date of birth</th><th>School</th><th>Attendance (autumn term)</th></tr>` +
			`<tr><td>Asha Shaw</td><td>2010-05-04</td><td>Hill View School</td><td>52%</td></tr>` +
			`<tr><td>Remi Shaw</td><td>09.10.2013</td><td>Hill View Primary</td><td>63%</td></tr></table>`,
			[]want{{"Asha", "2010-05-04", "Hill View School"}, {"Remi", "2013-10-09", "Hill View Primary"}}},
		{"pairs side by side are no header", `<table><tr><td>Child's name</td><td>Asha Shaw</td><td>School</td><td>Hill View School</td></tr>` +
			`<tr><td>DOB</td><td>04/05/2010</td></tr></table>`, []want{{"Asha", "2010-05-04", "Hill View School"}}},
		{"a column of values is no header", `<table><tr><td>Name</td><td>DOB</td><td>Asha Shaw 2010</td></tr>` +
			`<tr><td>Remi</td><td>09.10.2013</td><td>x</td></tr></table>`, nil},
	}
	for _, c := range cases {
		text := htmlToText(c.html)
		fm := parseForm(text, ref)
		var got []want
		for _, k := range fm.children {
			if k.GivenName == "" && k.DateOfBirth.IsZero() {
				continue
			}
			got = append(got, want{k.GivenName, k.DateOfBirth.String(), k.School})
		}
		if len(got) != len(c.want) {
			t.Errorf("%s: %q: %+v, want %+v", c.name, text, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: child %d %+v, want %+v", c.name, i, got[i], c.want[i])
			}
		}
	}
}
