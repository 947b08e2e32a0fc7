package email

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/safeguarding/mash/shared/domain"
)

// Eleventh round (engineer t11c): children missed in round 10's 510-539 and in the older 447 and 466, read by
// the shape the writer used, never by their names.

// columnWrap marks, in a PDF's text, a line break where a table cell's value wrapped inside its column: the
// next line starts under the value of the line above (the PDF reader sees the x of each line), with no label of
// its own. joinColumnWraps replaces each mark.
const columnWrap = "\v"

// joinColumnWraps joins a cell's value wrapped in its column back into one line when the words say the value
// goes on ("Logan ROBSON, DOB" / "26/05/2026"; "Gary Lowe (stepfather) b." / "1981; Logan Kerr (brother) 13";
// "overdose (paracetamol," / "approx 40 tablets)"), so that every reader meets a child's name and date of birth
// on one line, as the writer typed them. A line that may be a new item of a list written one a line in the cell
// ("Tracey Kerr (mother)" / "Logan Kerr (brother) 13", "1. Tia-Mae" / "2. Logan") stays a line of its own.
func joinColumnWraps(text string) string {
	if !strings.Contains(text, columnWrap) {
		return text
	}
	width := columnWidth(text)
	var b strings.Builder
	b.Grow(len(text))
	rest := text
	for {
		i := strings.Index(rest, columnWrap)
		if i < 0 {
			b.WriteString(rest)
			return b.String()
		}
		b.WriteString(rest[:i])
		before := b.String()
		if j := strings.LastIndexAny(before, "\n"+columnWrap); j >= 0 {
			before = before[j+1:]
		}
		if j := strings.LastIndexByte(before, '\t'); j >= 0 {
			before = before[j+1:] // the value, not its label
		}
		rest = rest[i+len(columnWrap):]
		after := rest
		if j := strings.IndexAny(after, "\n"+columnWrap); j >= 0 {
			after = after[:j]
		}
		if wrapGoesOn(before, after, width) {
			b.WriteByte(' ')
		} else {
			b.WriteByte('\n')
		}
	}
}

// columnWidth is the length, in characters, of the longest value written in a column of the text (after a
// label's gap, or wrapped under one): about the width past which the PDF's writer wrapped a value.
func columnWidth(text string) int {
	width, wrapped := 0, false
	for len(text) > 0 {
		line, sep := text, byte(0)
		if j := strings.IndexAny(text, "\n"+columnWrap); j >= 0 {
			line, sep, text = text[:j], text[j], text[j+1:]
		} else {
			text = ""
		}
		if k := strings.LastIndexByte(line, '\t'); k >= 0 {
			width = max(width, utf8.RuneCountInString(strings.TrimSpace(line[k+1:])))
		} else if wrapped {
			width = max(width, utf8.RuneCountInString(strings.TrimSpace(line)))
		}
		wrapped = sep == columnWrap[0]
	}
	return width
}

// wrapEnds are the last words of a line that cannot end a value: a date-of-birth cue waiting for its date, an
// age's word waiting for its number, and the small words of a phrase cut in two.
var wrapEnds = map[string]bool{"dob": true, "d.o.b": true, "d.o.b.": true, "dob:": true, "b.": true, "born": true, "aged": true,
	"age": true, "edd": true, "edd:": true, "and": true, "or": true, "&": true, "of": true, "the": true, "a": true, "to": true,
	"with": true, "at": true, "in": true, "on": true, "for": true, "by": true, "from": true, "is": true, "was": true,
	"who": true, "her": true, "his": true, "their": true}

// wrapGoesOn says the line after goes on with the value of the line before: it starts in lower case, with a
// digit that is no list number ("26/05/2026", "1981; Logan …", never "2. Logan"), or with a bracket; or the line
// before ends with a comma, a semicolon, an opening bracket, a dash, or one of wrapEnds; or the next line's first
// word would not have fitted on the line before (width: columnWidth).
func wrapGoesOn(before, after string, width int) bool {
	before, after = strings.TrimRight(before, " \t"), strings.TrimLeft(after, " \t")
	if before == "" || after == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(after)
	if unicode.IsDigit(r) {
		if n := strings.TrimLeft(after, "0123456789"); strings.HasPrefix(n, ". ") || strings.HasPrefix(n, ") ") {
			return false // "2. Logan": the list's next item
		}
	}
	first, _, _ := strings.Cut(after, " ")
	if n := utf8.RuneCountInString(before) + 1 + utf8.RuneCountInString(first); width > 0 && n > width-width/8 {
		return true // the next word would not have fitted on the line: the writer's line went on ("stepfather Wayne" / "Granger (DOB …)")
	}
	switch {
	case unicode.IsLower(r) || r == '(':
		return true
	case unicode.IsDigit(r):
		return true
	}
	switch before[len(before)-1] {
	case ',', ';', '(', '&', '/', '-':
		return true
	}
	if strings.HasSuffix(before, "–") {
		return true
	}
	last := before
	if j := strings.LastIndexAny(before, " \t"); j >= 0 {
		last = before[j+1:]
	}
	return lowerIn(wrapEnds, last)
}

// ageDisagrees: a child read with an age (age > 0) is not the child of a date of birth that gives another age on
// ref ("Applicant | KERR, Brandon" / "DOB | 11-Jun-2010" beside "Logan Kerr (brother) 13": the date is the
// applicant's, not Logan's).
func ageDisagrees(age int, dob domain.Date, ref time.Time) bool {
	return age > 0 && !ref.IsZero() && !dob.IsZero() && yearsOn(dob.Time(time.UTC), ref) != age
}

// adultAgeAfterName: a name field's value that gives its person an age of 18 or more straight after the name
// ("Patient | Stacey ROBSON, 24 - intentional overdose", "Patient: Dean Price (31)", "Name: Amy Cole, 19 yrs"):
// an adult patient or client, no child. A number that starts an address ("Kai Lee, 24 Mill Road") is no age.
func adultAgeAfterName(v string) bool {
	rest := v
	for range 2 { // "PRICE, Dean, 44": the age after a name written surname first
		i := strings.IndexAny(rest, ",(")
		if i < 0 || !strings.ContainsFunc(rest[:i], unicode.IsLetter) || strings.ContainsFunc(rest[:i], unicode.IsDigit) {
			return false
		}
		rest = strings.TrimLeft(rest[i+1:], " ")
		n := leadingNumber(rest)
		if n < 0 {
			continue
		}
		if n < 18 || n > 110 {
			return false
		}
		after := strings.TrimLeft(rest, "0123456789")
		t := strings.ToLower(strings.TrimSpace(after))
		return t == "" || after[0] == ')' || after[0] == ',' || after[0] == ';' || strings.HasPrefix(t, "-") || strings.HasPrefix(t, "–") ||
			strings.HasPrefix(t, "y") // "24 yrs", "24 years old", "24yo", "24 y/o"
	}
	return false
}

// dueDateAt reads a due date written with a two-digit year at the very start of s ("20/01/27, …" after "EDD"),
// which findDates reads only as a past date: dueDate's reading, after ref and within ten months of it.
func dueDateAt(s string, ref time.Time) (domain.Date, bool) {
	m := numDateRe.FindStringIndex(s)
	if m == nil || m[0] != 0 {
		return domain.Date{}, false
	}
	return dueDate(s[:m[1]], ref)
}

// namedBetween: a line that is a name field of its own ("Patient | Kai Lee", "Name: Ruby Stroud"), so that a date of
// birth under it is that name's, not the line's above (a form's heading in capitals).
func namedBetween(line string) bool {
	lf, ok := splitLabel(line)
	return ok && (lf.f == fChildName || lf.f == fName || lf.f == fGiven || lf.f == fFamily) && strings.TrimSpace(lf.value) != ""
}
