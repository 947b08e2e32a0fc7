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
	for _, r := range rows {
		out = append(out, rowLines(r)...)
	}
	return out
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
	for i := range cells {
		cells[i] = oneLine(cells[i])
	}
	return []string{strings.Join(cells, "\t")}
}

// isHeaderRow: at least two cells are labels of child fields and no cell is long.
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
		switch lookupLabel(c) {
		case fChildName, fName, fDOB, fSchool, fGiven, fFamily, fGender:
			n++
		default:
			if strings.EqualFold(strings.TrimSpace(c), "child") {
				n++
			}
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
