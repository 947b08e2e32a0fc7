package email

import (
	"strings"

	"golang.org/x/net/html"
)

// htmlToText converts an HTML body or form to text: block elements and <br> end lines, tables become form
// lines (gridLines: "label: value" rows, one block per child of a children table), script and style are
// dropped, entities decoded.
func htmlToText(src string) string {
	z := html.NewTokenizer(strings.NewReader(src))
	var out strings.Builder
	type table struct {
		rows [][]string
		cell *strings.Builder
	}
	var tables []*table
	skip := 0
	w := func(s string) {
		if n := len(tables); n > 0 {
			t := tables[n-1]
			if t.cell == nil {
				return // text between cells
			}
			t.cell.WriteString(s)
			return
		}
		out.WriteString(s)
	}
	endCell := func(t *table) {
		if t.cell != nil && len(t.rows) > 0 {
			r := &t.rows[len(t.rows)-1]
			*r = append(*r, cleanCell(t.cell.String()))
		}
		t.cell = nil
	}
	for steps := 0; steps < 1_000_000; steps++ {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			for len(tables) > 0 { // unclosed tables
				t := tables[len(tables)-1]
				endCell(t)
				tables = tables[:len(tables)-1]
				w("\n" + strings.Join(gridLines(t.rows), "\n") + "\n")
			}
			return normaliseNewlines(collapseBlank(out.String()))
		case html.TextToken:
			if skip == 0 {
				// white space at either end of a text is one space: "swimmers, <b>Hannah</b>" keeps the space
				// before the bold name (collapseBlank trims the ends of lines)
				// (Text empties the token: it is read once)
				text := z.Text()
				w(spaceBefore(text) + strings.Join(strings.Fields(string(text)), " ") + spaceAfter(text))
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			tag := string(name)
			end := tt == html.EndTagToken
			switch tag {
			case "script", "style", "head", "title":
				if tt == html.StartTagToken {
					skip++
				} else if end && skip > 0 {
					skip--
				}
			case "table":
				if !end {
					if n := len(tables); n > 0 && tables[n-1].cell == nil {
						tables[n-1].cell = &strings.Builder{} // a table outside any cell of its parent
					}
					tables = append(tables, &table{})
				} else if n := len(tables); n > 0 {
					t := tables[n-1]
					endCell(t)
					tables = tables[:n-1]
					w("\n" + strings.Join(gridLines(t.rows), "\n") + "\n")
				}
			case "tr":
				if n := len(tables); n > 0 {
					endCell(tables[n-1])
					if !end {
						tables[n-1].rows = append(tables[n-1].rows, nil)
					}
				}
			case "td", "th":
				if n := len(tables); n > 0 {
					t := tables[n-1]
					endCell(t)
					if !end {
						if len(t.rows) == 0 {
							t.rows = append(t.rows, nil)
						}
						t.cell = &strings.Builder{}
					}
				}
			case "br":
				w("\n")
			case "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "pre", "hr":
				w("\n")
			}
		}
	}
	return normaliseNewlines(collapseBlank(out.String()))
}

func spaceBefore(b []byte) string {
	if len(b) == 0 || b[0] != ' ' && b[0] != '\n' && b[0] != '\t' {
		return ""
	}
	for _, c := range b {
		if c != ' ' && c != '\n' && c != '\t' && c != '\r' {
			return " " // white space before a text (not white space alone)
		}
	}
	return ""
}

func spaceAfter(b []byte) string {
	if len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\n' || b[len(b)-1] == '\t') {
		return " "
	}
	return ""
}

// cleanCell trims each line of a cell and drops empty ones.
func cleanCell(s string) string {
	var ls []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			ls = append(ls, l)
		}
	}
	return strings.Join(ls, "\n")
}

// collapseBlank trims lines and leaves at most one blank line between paragraphs.
func collapseBlank(s string) string {
	var out []string
	blank := 0
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			blank++
			if blank > 1 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}
