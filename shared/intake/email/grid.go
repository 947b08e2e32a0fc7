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
		n := 0
		for _, r := range rows[1:] {
			if len(r) != len(head) {
				out = append(out, rowLines(r)...)
				continue
			}
			n++
			out = append(out, "Child "+itoa(n))
			for i, c := range r {
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
			pairs = pairs && lookupLabel(oneLine(cells[i])) != fNone
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

// isHeaderRow: every cell is a label, at least two of them of a child's fields, and no cell is long.
func isHeaderRow(r []string) bool {
	if len(r) < 2 {
		return false
	}
	n := 0
	for _, c := range r {
		c = oneLine(c)
		if len(c) > 40 {
			return false
		}
		switch f := lookupLabel(c); {
		case f == fChildName || f == fName || f == fDOB || f == fSchool || f == fGiven || f == fFamily || f == fGender:
			n++
		case f == fNone && c != "":
			return false // a value: a row of label and value pairs, not a header
		}
	}
	return n >= 2
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
