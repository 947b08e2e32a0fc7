package email

import "strings"

// A table of a form, as read from HTML or Word: rows of cells, each cell's paragraphs joined by "\n".
// gridLines turns it into lines the form reader understands:
//   - a table whose first row names columns (at least two recognised labels, such as "Name | Date of birth |
//     School") and whose other rows hold values: one "Child N" block per row, "label: value" per cell;
//   - a row of a label cell and a value cell: "label: value" (a value of several paragraphs continues on
//     the following lines);
//   - any other row: its cells, tab-separated.
func gridLines(rows [][]string) []string {
	var out []string
	if len(rows) >= 2 && isHeaderRow(rows[0]) {
		head := rows[0]
		n, ended := 0, false
		for _, r := range rows[1:] {
			if ended || len(r) != len(head) || labelRow(head, r) {
				// the rows after the form's first label row are its label and value rows again, whatever their first
				// cell ("Concern | …" then "Dentist | Dr Vikram Anand BDS" under "Patient | Date of birth")
				ended = ended || len(r) == len(head)
				out = append(out, rowLines(r)...)
				continue
			}
			if e, adult := adultRow(head, r); adult || adultAge(head, r) {
				if !adult {
					e = oneLine(r[0]) // "Dean Hale | 41": a household table's adult, told by the age alone
				}
				// a household table lists the adults too: "Marcia Clarke | Tenant | 04/03/1987"
				out = append(out, "Household: "+e, "")
				continue
			}
			n++
			out = append(out, "Child "+itoa(n))
			for i, c := range r {
				switch lookupLabel(oneLine(head[i])) {
				case fRelationship:
					continue // "Son": the child's relation to the family, not the referrer's to the child
				case fNone:
					// a column the reader does not read ("Notes"): a school or nursery named in it is the child's
					// when the table has no school column ("Little Stars Nursery (3 mornings)"), unless the column
					// says it was the school before ("Previous school (West Sussex)")
					if sch := schoolIn(oneLine(c)); sch != "" && !hasSchoolColumn(head) && !pastSchool(oneLine(head[i])) {
						out = append(out, "School: "+sch)
					}
					continue
				}
				out = append(out, oneLine(head[i])+": "+oneLine(c))
			}
			out = append(out, "")
		}
		return out
	}
	if cols := transposed(rows); cols > 0 {
		// "Name | Amy Lee | Ben Lee" / "DOB | … | …": one column per child
		for k := 1; k <= cols; k++ {
			out = append(out, "Child "+itoa(k))
			for _, r := range rows {
				if k < len(r) && strings.TrimSpace(r[k]) != "" {
					out = append(out, oneLine(r[0])+": "+oneLine(r[k]))
				}
			}
			out = append(out, "")
		}
		return out
	}
	for _, r := range rows {
		out = append(out, rowLines(r)...)
	}
	return out
}

func hasSchoolColumn(head []string) bool {
	for _, h := range head {
		if lookupLabel(oneLine(h)) == fSchool {
			return true
		}
	}
	return false
}

// transposed reports a table with one column per child: every row starts with a label, at least two of them
// a child's name or date of birth, and the rows hold two or more values. It returns the number of value
// columns (0: not such a table).
func transposed(rows [][]string) int {
	if len(rows) < 2 {
		return 0
	}
	cols, childRows := 0, 0
	for _, r := range rows {
		if len(r) < 3 {
			return 0
		}
		switch lookupLabel(oneLine(r[0])) {
		case fNone:
			return 0
		case fChildName, fName, fDOB, fGiven, fFamily:
			childRows++
		}
		cols = max(cols, len(r)-1)
	}
	if childRows < 2 {
		return 0
	}
	return cols
}

// labelRow: a row below a table's header whose first cell is a label of another field and that holds no date
// ("Parent / carer | Kayleigh Reeve", "Address | 7 Stamford Road", "Concern | Both children …" under "Patient |
// Date of birth"): the form's label and value rows after the table, never a child called "Parent / Carer".
func labelRow(head, r []string) bool {
	f := lookupLabel(oneLine(r[0]))
	if f == fNone || f == lookupLabel(oneLine(head[0])) {
		return false
	}
	for _, c := range r {
		if _, ok := findDate(c); ok {
			return false // "Faith | 01/02/2015": a child whose name is also a word a form labels
		}
	}
	return true
}

// headDOB: a header row with a date-of-birth column.
func headDOB(head []string) bool {
	for _, h := range head {
		if lookupLabel(oneLine(h)) == fDOB {
			return true
		}
	}
	return false
}

func rowHasDate(r []string) bool {
	for _, c := range r {
		if _, ok := findDate(c); ok {
			return true
		}
	}
	return false
}

func rowLines(r []string) []string {
	var cells []string
	for _, c := range r {
		if strings.TrimSpace(c) != "" {
			cells = append(cells, c)
		}
	}
	switch {
	case len(cells) == 0:
		return nil
	case len(cells) == 1:
		return strings.Split(cells[0], "\n")
	case len(cells) == 2 && lookupLabel(oneLine(cells[0])) != fNone:
		label := strings.TrimRight(oneLine(cells[0]), ":?* ")
		if strings.HasSuffix(oneLine(cells[0]), "?") {
			label += "?"
		} else {
			label += ":"
		}
		vals := strings.Split(cells[1], "\n")
		lines := []string{label + " " + strings.TrimSpace(vals[0])}
		for _, v := range vals[1:] {
			if v = strings.TrimSpace(v); v != "" {
				lines = append(lines, v)
			}
		}
		return append(lines, "")
	}
	// "Name | Amy Lee | DOB | 01/02/2015": label and value pairs side by side
	if len(cells)%2 == 0 {
		pairs := true
		for i := 0; i < len(cells); i += 2 {
			// a value cell that is itself a label ("Name | Relationship | DOB | Notes") makes a header, not pairs
			pairs = pairs && lookupLabel(oneLine(cells[i])) != fNone && lookupLabel(oneLine(cells[i+1])) == fNone
		}
		if pairs {
			var lines []string
			for i := 0; i < len(cells); i += 2 {
				lines = append(lines, rowLines([]string{cells[i], cells[i+1]})...)
			}
			return lines
		}
	}
	for i := range cells {
		cells[i] = oneLine(cells[i])
	}
	return []string{strings.Join(cells, "\t")}
}

// isHeaderRow: at least two cells are labels of a child's fields, no cell is long, and the other cells are
// labels too — or column names the form reader does not read ("Notes", "NHS No", "Attendance (autumn term)"):
// short, without a digit, and fewer than the labels (a row of label and value pairs, "Child's name | Amy Lee |
// School | Oak Academy", has as many values as labels).
func isHeaderRow(r []string) bool {
	if len(r) < 2 {
		return false
	}
	n, known, other := 0, 0, 0
	for _, c := range r {
		c = oneLine(c)
		if len(c) > 40 {
			return false
		}
		switch f := lookupLabel(c); {
		case f == fChildName || f == fName || f == fDOB || f == fSchool || f == fGiven || f == fFamily || f == fGender || f == fAge:
			n++
			known++
		case f != fNone:
			known++
		case c != "":
			if len(c) > 30 || strings.ContainsAny(c, "0123456789@") || len(strings.Fields(c)) > 4 {
				return false // a value
			}
			other++
		}
	}
	return n >= 2 && other < known && (other == 0 || !alternating(r))
}

// alternating: cells that go label, other, label, other… ("Name | Amy Lee | DOB | …"): label and value pairs.
func alternating(r []string) bool {
	if len(r)%2 != 0 {
		return false
	}
	for i := 0; i < len(r); i += 2 {
		if lookupLabel(oneLine(r[i])) == fNone || lookupLabel(oneLine(r[i+1])) != fNone {
			return false
		}
	}
	return true
}

// adultWords are relations that make a table's row an adult's, whatever else it holds.
var adultWords = map[string]bool{"mother": true, "mum": true, "father": true, "dad": true, "stepfather": true,
	"stepmother": true, "step-father": true, "step-mother": true, "stepdad": true, "stepmum": true, "partner": true,
	"tenant": true, "grandmother": true, "grandfather": true, "grandparent": true, "nan": true, "grandma": true,
	"grandad": true, "aunt": true, "uncle": true, "lodger": true, "adult": true, "husband": true, "wife": true,
	"boyfriend": true, "girlfriend": true, "parent": true, "carer": true, "guardian": true, "applicant": true,
	"joint": true, "sole": true, "lead": true}

// relationQualifier: a word before a relation that leaves it the same relation ("Maternal grandmother", "Birth
// father", "Great aunt").
var relationQualifier = map[string]bool{"maternal": true, "paternal": true, "birth": true, "biological": true, "great": true,
	"foster": true, "adoptive": true, "estranged": true, "former": true, "ex": true, "ex-": true}

// adultRow: a row of a table with a header whose relationship cell names an adult ("Tenant", "Partner (not on
// tenancy)", "Mother's partner"); e is the row as a household entry, "Name (relationship, other cells)".
func adultRow(head, r []string) (e string, adult bool) {
	name, rel := "", ""
	var rest []string
	for i, c := range r {
		c = oneLine(c)
		switch lookupLabel(oneLine(head[i])) {
		case fRelationship:
			rel = c
		case fChildName, fName:
			name = c
		default:
			if c != "" {
				rest = append(rest, c)
			}
		}
	}
	w, more, _ := strings.Cut(strings.ToLower(rel), " ")
	if relationQualifier[w] {
		w, more, _ = strings.Cut(strings.TrimSpace(more), " ") // "Maternal grandmother, staying since January"
	}
	if t := strings.Trim(w, ",.;:()"); strings.HasSuffix(t, "'s") || strings.HasSuffix(t, "’s") {
		// "Partner's daughter", "Mother's partner": the relation is the word after the possessive
		if n, _, _ := strings.Cut(strings.TrimSpace(more), " "); n != "" {
			w = n
		}
	}
	w = strings.TrimSuffix(strings.TrimSuffix(strings.Trim(w, ",.;:()"), "'s"), "’s")
	if name == "" || !adultWords[w] && !professionalLabel(rel) || childRelation(rel) {
		return "", false // (a professional's role in the column is an adult's row too: "Jo Bell | 14/11/2026 | Social worker")
	}
	e = strings.Join(append([]string{rel}, rest...), ", ")
	return name + " (" + strings.NewReplacer("(", "", ")", "").Replace(e) + ")", true
}

// adultAge: a row of a table with an age column (and no date-of-birth column) whose age is 18 or more ("Rachel
// Lindqvist-Hale | 38"): an adult's row, not a child's.
func adultAge(head, r []string) bool {
	age := -1
	for i := range head {
		switch lookupLabel(oneLine(head[i])) {
		case fDOB:
			return false
		case fAge:
			age = i
		}
	}
	return age >= 0 && leadingNumber(oneLine(r[age])) >= 18
}

// textTables turns a table typed or pasted into a plain-text email into the lines a form's table gives
// (gridLines): a line of two or more column names split by tabs or "|" ("Name | Relationship | DOB",
// "Name<TAB>DOB<TAB>School") followed by rows split the same way. Lines without a tab or "|" are passed
// through untouched (a cheap check first: most bodies hold no table).
func textTables(lines []string) []string {
	var out []string
	done := 0 // lines[:done] are in out
	for i := 0; i < len(lines); i++ {
		spaced := false // columns lined up with spaces, as a case system's fixed-width export prints them
		if !strings.ContainsAny(lines[i], "\t|") {
			if !spacedLine(lines[i]) {
				continue
			}
			spaced = true
		}
		cells := textCells
		if spaced {
			cells = spacedCells
		}
		head := cells(lines[i])
		if len(head) < 2 || spaced && len(head) < 3 || !isHeaderRow(head) {
			continue
		}
		rows := [][]string{head}
		j := i + 1
		for ; j < len(lines); j++ {
			if strings.Trim(lines[j], "|-:+ \t") == "" && strings.Contains(lines[j], "-") {
				continue // a Markdown rule under the header: "|---|---|"
			}
			c := cells(lines[j])
			if len(c) < 2 || len(c) > len(head) {
				break
			}
			if len(c) < len(head) && headDOB(head) && !rowHasDate(c) && (len(strings.Fields(c[0])) == 1 || len(oneLine(c[len(c)-1])) > 60) {
				// "Circumstances | Argument over … " under "Surname | Forename | DOB | School": a short row without a
				// date, a one-word label or a sentence in it, is the form's label and value rows again
				break
			}
			for len(c) < len(head) {
				c = append(c, "")
			}
			rows = append(rows, c)
		}
		if len(rows) < 2 {
			continue
		}
		out = append(out, lines[done:i]...)
		out = append(out, gridLines(rows)...)
		done, i = j, j-1
	}
	if out == nil {
		return lines
	}
	return append(out, lines[done:]...)
}

// fieldRows splits a line holding two or more labelled fields side by side, as forms exported to text lay
// them out ("Forename: Amelia    Surname: JONES", "DOB: 12/03/2015<TAB>Gender: F"): at each run of three or
// more spaces or a tab, when every piece is "label: value" and at least two labels are the form's.
func fieldRows(lines []string) []string {
	var out []string
	done := 0
	for i, l := range lines {
		if strings.Count(l, ":") < 2 || !strings.Contains(l, "\t") && !strings.Contains(l, "   ") {
			continue
		}
		pieces := fieldGap.Split(strings.TrimSpace(l), -1)
		if len(pieces) < 2 {
			continue
		}
		known := 0
		for _, p := range pieces {
			if !strings.Contains(p, ":") {
				known = -1
				break
			}
			if _, ok := splitLabel(p); ok {
				known++
			}
		}
		if known < 2 {
			continue
		}
		out = append(out, lines[done:i]...)
		out = append(out, pieces...)
		done = i + 1
	}
	if out == nil {
		return lines
	}
	return append(out, lines[done:]...)
}

var fieldGap = lazy(`\t+|\s{3,}`)

// spacedLine: a short line with two or more runs of two spaces between words (three or more columns) — a cheap
// check before a line is split as a fixed-width table's.
func spacedLine(l string) bool {
	l = strings.TrimSpace(l)
	if len(l) > 200 {
		return false
	}
	runs := 0
	for i := 0; i+1 < len(l); i++ {
		if l[i] == ' ' && l[i+1] == ' ' {
			runs++
			for i+1 < len(l) && l[i+1] == ' ' {
				i++
			}
		}
	}
	return runs >= 2
}

// spacedCells splits a fixed-width line at runs of two or more spaces.
func spacedCells(l string) []string {
	var cells []string
	for _, c := range spacedGap.Split(strings.TrimSpace(l), -1) {
		if c = strings.TrimSpace(c); c != "" {
			cells = append(cells, c)
		}
	}
	return cells
}

var spacedGap = lazy(`\s{2,}`)

// textCells splits a line of a text table: by "|" (outer bars of "| a | b |" dropped) and tabs, else by tabs.
func textCells(l string) []string {
	l = strings.TrimSpace(l)
	var cells []string
	if strings.Contains(l, "|") {
		for _, c := range strings.Split(strings.TrimSuffix(strings.TrimPrefix(l, "|"), "|"), "|") {
			cells = append(cells, strings.Split(c, "\t")...) // "Surname<TAB>Forename | DOB": both at once
		}
	} else {
		for _, c := range strings.Split(l, "\t") {
			if strings.TrimSpace(c) != "" {
				cells = append(cells, c)
			}
		}
	}
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	return cells
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
