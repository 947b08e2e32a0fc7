package directory

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
)

// Columns are the import's fields, in the order of the sample file: the DfE establishment fields and the
// council's DSL contacts. CSV headers match them case-insensitively; JSON uses them as keys.
var Columns = []string{"urn", "name", "type", "phase", "postcode", "open", "dslEmail", "deputyDslEmail", "dslPhone"}

// Row is one school as the import file gives it, before checking.
type Row struct {
	URN            string `json:"urn"`
	Name           string `json:"name"`
	Type           string `json:"type"`
	Phase          string `json:"phase"`
	Postcode       string `json:"postcode"`
	Open           any    `json:"open"` // true/false, or text: open, closed, yes, no (DfE: "Open, but proposed to close")
	DSLEmail       string `json:"dslEmail"`
	DeputyDSLEmail string `json:"deputyDslEmail"`
	DSLPhone       string `json:"dslPhone"`
}

// RowError names one bad field of one row.
type RowError struct {
	Row     int    `json:"row"`
	URN     string `json:"urn,omitempty"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Result is what an import did: the schools that passed, and every row refused with each bad field.
type Result struct {
	Schools  []store.School `json:"-"`
	Loaded   int            `json:"loaded"`
	Rejected []RowError     `json:"rejected"`
}

// RejectedRows counts the distinct rows refused.
func (r Result) RejectedRows() int {
	seen := map[int]bool{}
	for _, e := range r.Rejected {
		seen[e.Row] = true
	}
	return len(seen)
}

// ParseCSV reads the council's CSV. A header without one of Columns is an invalid error naming every
// missing column; everything else is judged row by row (Check).
func ParseCSV(r io.Reader) ([]Row, []int, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, domain.Errorf(domain.CodeInvalid, "the file is empty: the first line must be the header %s", strings.Join(Columns, ","))
	}
	if err != nil {
		return nil, nil, domain.Errorf(domain.CodeInvalid, "the file is not CSV: %v", err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		for _, c := range Columns {
			if strings.EqualFold(h, c) {
				col[c] = i
			}
		}
	}
	var missing []string
	for _, c := range Columns {
		if _, ok := col[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, nil, &domain.Error{Code: domain.CodeInvalid, Message: "the header is missing columns: " + strings.Join(missing, ", "),
			Fields: []domain.FieldError{{Field: "header", Message: "must name the columns " + strings.Join(Columns, ", ") + "; missing " + strings.Join(missing, ", ")}}}
	}
	var rows []Row
	var lines []int
	for n := 2; ; n++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, domain.Errorf(domain.CodeInvalid, "row %d is not CSV: %v", n, err)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		get := func(c string) string {
			if i := col[c]; i < len(rec) {
				return rec[i]
			}
			return ""
		}
		rows = append(rows, Row{URN: get("urn"), Name: get("name"), Type: get("type"), Phase: get("phase"),
			Postcode: get("postcode"), Open: get("open"), DSLEmail: get("dslEmail"), DeputyDSLEmail: get("deputyDslEmail"),
			DSLPhone: get("dslPhone")})
		lines = append(lines, n)
	}
	return rows, lines, nil
}

// ParseJSON reads a JSON array of rows (the same fields as the CSV). Unknown keys are refused.
func ParseJSON(data []byte) ([]Row, []int, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var rows []Row
	if err := dec.Decode(&rows); err != nil {
		return nil, nil, &domain.Error{Code: domain.CodeInvalid, Message: "the body must be a JSON array of schools with the fields " + strings.Join(Columns, ", "),
			Fields: []domain.FieldError{{Field: "body", Message: err.Error()}}}
	}
	lines := make([]int, len(rows))
	for i := range rows {
		lines[i] = i + 1
	}
	return rows, lines, nil
}

var (
	urnPattern      = regexp.MustCompile(`^[0-9]{5,7}$`)
	postcodePattern = regexp.MustCompile(`^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$`)
	phonePattern    = regexp.MustCompile(`^\+?[0-9][0-9 ]{6,18}[0-9]$`)
)

// NormalisePostcode returns a UK postcode in its standard form ("e81dy" → "E8 1DY"), or "" when s is not one.
func NormalisePostcode(s string) string {
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	m := postcodePattern.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return m[1] + " " + m[2]
}

func parseOpen(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		s := strings.ToLower(strings.TrimSpace(x))
		switch {
		case s == "true" || s == "yes" || s == "y" || s == "1" || s == "open" || strings.HasPrefix(s, "open,") || strings.HasPrefix(s, "open but"):
			return true, true
		case s == "false" || s == "no" || s == "n" || s == "0" || s == "closed":
			return false, true
		}
	}
	return false, false
}

// Check judges every row against the policy (allowed school domains) and returns the schools that pass
// and, for each bad row, every bad field. lines gives each row's number for messages. A URN in two rows
// refuses both, each naming the other's row.
func Check(p *policy.Policy, rows []Row, lines []int) Result {
	var res Result
	byURN := map[string][]int{}
	for i, r := range rows {
		if u := strings.TrimSpace(r.URN); u != "" {
			byURN[u] = append(byURN[u], i)
		}
	}
	allowed := p.Schools.AllowedDomains
	for i, r := range rows {
		row, urn := lines[i], strings.TrimSpace(r.URN)
		var errs []RowError
		bad := func(field, format string, args ...any) {
			errs = append(errs, RowError{Row: row, URN: urn, Field: field, Message: fmt.Sprintf(format, args...)})
		}
		switch {
		case urn == "":
			bad("urn", "is required")
		case !urnPattern.MatchString(urn):
			bad("urn", "%q is not a URN (5 to 7 digits)", urn)
		case len(byURN[urn]) > 1:
			var others []string
			for _, j := range byURN[urn] {
				if j != i {
					others = append(others, fmt.Sprint(lines[j]))
				}
			}
			bad("urn", "URN %s appears more than once in the file (rows %d and %s): both refused", urn, row, strings.Join(others, ", "))
		}
		name := strings.Join(strings.Fields(r.Name), " ")
		if name == "" {
			bad("name", "is required")
		}
		pc := ""
		if strings.TrimSpace(r.Postcode) != "" {
			if pc = NormalisePostcode(r.Postcode); pc == "" {
				bad("postcode", "%q is not a UK postcode", r.Postcode)
			}
		}
		open, ok := parseOpen(r.Open)
		if !ok {
			bad("open", "must be true or false (or open / closed)")
		}
		for _, f := range []struct{ field, value string }{{"dslEmail", r.DSLEmail}, {"deputyDslEmail", r.DeputyDSLEmail}} {
			if f.value == "" {
				continue
			}
			if msg := CheckAddress(strings.TrimSpace(f.value), allowed); msg != "" {
				bad(f.field, "%s", msg)
			}
		}
		phone := strings.TrimSpace(r.DSLPhone)
		if phone != "" && !phonePattern.MatchString(phone) {
			bad("dslPhone", "%q is not a phone number", r.DSLPhone)
		}
		if len(errs) > 0 {
			res.Rejected = append(res.Rejected, errs...)
			continue
		}
		res.Schools = append(res.Schools, store.School{Authority: p.Authority, URN: urn, Name: name,
			Type: strings.TrimSpace(r.Type), Phase: strings.TrimSpace(r.Phase), Postcode: pc, Open: open,
			DSLEmail: strings.TrimSpace(r.DSLEmail), DeputyDSLEmail: strings.TrimSpace(r.DeputyDSLEmail), DSLPhone: phone})
	}
	sort.SliceStable(res.Rejected, func(i, j int) bool { return res.Rejected[i].Row < res.Rejected[j].Row })
	res.Loaded = len(res.Schools)
	if res.Rejected == nil {
		res.Rejected = []RowError{}
	}
	return res
}
