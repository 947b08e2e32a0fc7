// Package cases loads the council's case records (from its case system: LCS, Mosaic, …) into the children
// index, where screening finds them: an open case sends a contact straight to the allocated worker (Hackney
// §4 B, Barnet "What happens next?", Bexley §3), a case closed within three months sends it back to the unit
// that closed it (Hackney §4 B, Bexley §11).
//
// A file is a JSON array, JSON lines, or CSV with a header row naming Columns. Each row is checked on its
// own: a bad row is named by its row number (the first record is row 1; a CSV header is not a row) and
// field, and loads not at all; the good rows load. Loading is idempotent: a record's entry is keyed on the
// case's own id when given, else on name + date of birth + unit, so a second import of the same file
// rewrites the same entries.
package cases

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

// Columns are the fields of a case record (CSV headers match them case-insensitively; JSON uses them as keys).
var Columns = []string{"caseId", "givenName", "familyName", "dateOfBirth", "nhsNumber", "address", "status",
	"closedOn", "unit", "allocatedWorker", "workerEmail"}

// Statuses are the allowed values of status.
var Statuses = []string{"open", "closed"}

// Row is one record as the file gives it, before checking: column → text.
type Row map[string]string

// RowError names one bad field of one row.
type RowError struct {
	Row     int    `json:"row"`
	CaseID  string `json:"caseId,omitempty"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Result is what an import did.
type Result struct {
	Rows     int        `json:"rows"`
	Loaded   int        `json:"loaded"`
	Rejected []RowError `json:"rejected"`
}

// Parse reads a file of case records: a JSON array or JSON lines when it starts with [ or {, else CSV.
func Parse(data []byte) ([]Row, error) {
	t := bytes.TrimLeft(data, " \t\r\n\ufeff")
	switch {
	case len(t) == 0:
		return nil, nil
	case t[0] == '[':
		var raw []map[string]any
		if err := json.Unmarshal(t, &raw); err != nil {
			return nil, bodyErr("is not a JSON array of case records: " + err.Error())
		}
		return fromJSON(raw), nil
	case t[0] == '{':
		var raw []map[string]any
		dec := json.NewDecoder(bytes.NewReader(t))
		for n := 1; ; n++ {
			var m map[string]any
			if err := dec.Decode(&m); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				return nil, bodyErr(fmt.Sprintf("JSON line %d is not a case record: %v", n, err))
			}
			raw = append(raw, m)
		}
		return fromJSON(raw), nil
	}
	return parseCSV(t)
}

func bodyErr(msg string) error {
	return &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "body", Message: msg}}}
}

func fromJSON(raw []map[string]any) []Row {
	rows := make([]Row, len(raw))
	for i, m := range raw {
		r := Row{}
		for k, v := range m {
			switch v := v.(type) {
			case nil:
			case string:
				r[k] = v
			case float64:
				r[k] = fmt.Sprint(int64(v))
			default:
				b, _ := json.Marshal(v)
				r[k] = string(b)
			}
		}
		rows[i] = r
	}
	return rows
}

func parseCSV(data []byte) ([]Row, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, bodyErr("is not CSV with a header row: " + err.Error())
	}
	cols := make([]string, len(head))
	for i, h := range head {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		for _, c := range Columns {
			if strings.EqualFold(h, c) {
				cols[i] = c
			}
		}
	}
	var missing []string
	for _, c := range []string{"givenName", "familyName", "dateOfBirth", "status"} {
		if !slices.Contains(cols, c) {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, &domain.Error{Code: domain.CodeInvalid, Message: "the CSV header lacks required columns",
			Fields: []domain.FieldError{{Field: "header", Message: "lacks " + strings.Join(missing, ", ") +
				" (columns: " + strings.Join(Columns, ", ") + ")"}}}
	}
	var rows []Row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, bodyErr(fmt.Sprintf("row %d is not CSV: %v", len(rows)+1, err))
		}
		r := Row{}
		for i, v := range rec {
			if i < len(cols) && cols[i] != "" {
				r[cols[i]] = v
			}
		}
		rows = append(rows, r)
	}
}

// Check turns rows into index entries for authority a. now bounds the dates (a date of birth or closure in
// the future is refused). Every bad field of every row is named; a row with any is left out.
func Check(a domain.AuthorityID, rows []Row, now time.Time) ([]store.ChildRecord, []RowError) {
	var (
		good []store.ChildRecord
		bad  []RowError
	)
	today := domain.Date{Y: now.Year(), M: int(now.Month()), D: now.Day()}
	for i, row := range rows {
		n := i + 1
		v := func(k string) string { return strings.TrimSpace(row[k]) }
		var errs []RowError
		add := func(field, msg string) {
			errs = append(errs, RowError{Row: n, CaseID: v("caseId"), Field: field, Message: msg})
		}
		for k := range row {
			if !slices.Contains(Columns, k) {
				add(k, "is not a case record field (fields: "+strings.Join(Columns, ", ")+")")
			}
		}
		p := store.CasePerson{GivenName: v("givenName"), FamilyName: v("familyName"), NHSNumber: strings.ReplaceAll(v("nhsNumber"), " ", ""), Address: v("address")}
		if p.GivenName == "" {
			add("givenName", "is required")
		}
		if p.FamilyName == "" {
			add("familyName", "is required")
		}
		if s := v("dateOfBirth"); s == "" {
			add("dateOfBirth", "is required")
		} else if d, err := domain.ParseDate(s); err != nil {
			add("dateOfBirth", fmt.Sprintf("%q is not a date (YYYY-MM-DD or DD/MM/YYYY)", s))
		} else if after(d, today) {
			add("dateOfBirth", "is in the future")
		} else {
			p.DateOfBirth = d
		}
		if p.NHSNumber != "" && !ValidNHSNumber(p.NHSNumber) {
			add("nhsNumber", "is not a valid NHS number (10 digits with a check digit)")
		}
		st := store.CaseState{CaseID: v("caseId"), WorkerEmail: v("workerEmail"), Person: &p}
		if st.WorkerEmail != "" && (!strings.Contains(st.WorkerEmail, "@") || strings.ContainsAny(st.WorkerEmail, " ,;<>")) {
			add("workerEmail", "is not an email address")
		}
		unit := v("unit")
		switch status := strings.ToLower(v("status")); status {
		case "open":
			st.OpenCase, st.AllocatedWorker = true, v("allocatedWorker")
			if st.AllocatedWorker == "" && st.WorkerEmail == "" {
				add("allocatedWorker", "is required for an open case (or workerEmail)")
			}
			if st.AllocatedWorker == "" {
				st.AllocatedWorker = st.WorkerEmail
			}
		case "closed":
			st.ClosedUnit = unit
			if unit == "" {
				add("unit", "is required for a closed case (the unit a re-referral goes back to)")
			}
			if s := v("closedOn"); s == "" {
				add("closedOn", "is required for a closed case")
			} else if d, err := domain.ParseDate(s); err != nil {
				add("closedOn", fmt.Sprintf("%q is not a date (YYYY-MM-DD or DD/MM/YYYY)", s))
			} else if after(d, today) {
				add("closedOn", "is in the future")
			} else {
				st.ClosedAt = time.Date(d.Y, time.Month(d.M), d.D, 0, 0, 0, 0, time.UTC)
			}
		case "":
			add("status", "is required (allowed: "+strings.Join(Statuses, ", ")+")")
		default:
			add("status", fmt.Sprintf("%q is not allowed (allowed: %s)", status, strings.Join(Statuses, ", ")))
		}
		if len(errs) > 0 {
			// sort, not slices: a generic sort of this type is ≈ 9 KB of code in each API binary (issue #19).
			sort.SliceStable(errs, func(i, j int) bool { return errs[i].Field < errs[j].Field })
			bad = append(bad, errs...)
			continue
		}
		child := domain.Child{GivenName: p.GivenName, FamilyName: p.FamilyName, DateOfBirth: p.DateOfBirth}
		key := "id\x00" + st.CaseID
		if st.CaseID == "" {
			key = "person\x00" + child.IdentityKey() + "\x00" + strings.ToLower(unit)
		}
		good = append(good, store.ChildRecord{ContactID: EntryID(a, key), Authority: a, IdentityKey: child.IdentityKey(),
			ReceivedAt: now, CaseState: st})
	}
	return good, bad
}

func after(d, today domain.Date) bool {
	return d.Y > today.Y || d.Y == today.Y && (d.M > today.M || d.M == today.M && d.D > today.D)
}

// EntryID is the children-index id of a case record: the same record (key) always lands on the same entry.
func EntryID(a domain.AuthorityID, key string) domain.ContactID {
	h := sha256.Sum256([]byte(string(a) + "\x00" + key))
	return domain.ContactID("case_" + hex.EncodeToString(h[:10]))
}

// ValidNHSNumber reports whether s is ten digits whose last is the modulus 11 check digit of the first nine.
func ValidNHSNumber(s string) bool {
	if len(s) != 10 {
		return false
	}
	sum := 0
	for i := range 10 {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		if i < 9 {
			sum += int(s[i]-'0') * (10 - i)
		}
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	return check != 10 && check == int(s[9]-'0')
}

// Store is what loading needs of the store.
type Store interface {
	PutChildRecord(ctx context.Context, r store.ChildRecord) error
	AppendAudit(ctx context.Context, ev store.AuditEvent) (store.AuditEvent, error)
}

// Import checks rows and writes the good ones into the children index, audited as done by `by` on the
// authority's case-records trail (the event lists the case ids, never a name). When every row is refused
// nothing is written and the error names each (row N.field).
func Import(ctx context.Context, s Store, a domain.AuthorityID, by string, rows []Row, now time.Time) (Result, error) {
	return ImportProgress(ctx, s, a, by, rows, now, nil)
}

// ImportProgress is Import telling loaded, when not nil, how many good rows it has written of how many
// (mash cases import shows it on a terminal).
func ImportProgress(ctx context.Context, s Store, a domain.AuthorityID, by string, rows []Row, now time.Time, loaded func(done, total int)) (Result, error) {
	if by == "" {
		return Result{}, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "by", Message: "is required: imports are audited with who loaded them"}}}
	}
	good, bad := Check(a, rows, now)
	res := Result{Rows: len(rows), Rejected: bad}
	if res.Rejected == nil {
		res.Rejected = []RowError{}
	}
	if len(good) == 0 {
		var p domain.Problems
		for _, e := range bad {
			p.Add(fmt.Sprintf("row %d.%s", e.Row, e.Field), "%s", e.Message)
		}
		if len(rows) == 0 {
			p.Add("rows", "the file has no case records")
		}
		err := p.Err().(*domain.Error)
		err.Message = "no case record loaded"
		return res, err
	}
	ids := make([]string, 0, len(good))
	for _, r := range good {
		// The record, then its copies under each person-matching block (shared/cases match.go).
		if err := s.PutChildRecord(ctx, r); err != nil {
			return res, err
		}
		for _, k := range Blocks(personQuery(*r.Person)) {
			b := r
			b.ContactID, b.IdentityKey = EntryID(a, string(r.ContactID)+"\x00"+k), k
			if err := s.PutChildRecord(ctx, b); err != nil {
				return res, err
			}
		}
		res.Loaded++
		ids = append(ids, string(r.ContactID))
		if loaded != nil {
			loaded(res.Loaded, len(good))
		}
	}
	ev := store.AuditEvent{ContactID: store.CasesTrail(a), Actor: by, Action: "cases.imported",
		Detail: map[string]string{"rows": fmt.Sprint(len(rows)), "loaded": fmt.Sprint(res.Loaded),
			"rejected": fmt.Sprint(len(rows) - len(good)), "entries": strings.Join(ids, " ")}}
	if _, err := s.AppendAudit(ctx, ev); err != nil {
		return res, err
	}
	return res, nil
}
