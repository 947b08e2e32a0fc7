package reports

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/census"
	"github.com/safeguarding/mash/shared/domain"
)

// AnnexAHeader is Ofsted's Annex A List 1 (contacts): one row per child contact.
var AnnexAHeader = []string{"Child unique ID", "Gender", "Ethnicity", "Date of birth", "Age of child (years)", "Date of contact", "Contact source"}

// AnnexARow is one child contact as Ofsted's List 1 has it, in census codes; SourceCertain says whether
// the source was recorded or derived with certainty (false: empty, still to be asked of the screener).
// Missing names each census field neither recorded nor derived (census.Missing): the file writes CodesMissing
// in its cell, and AnnexAGaps lists the contact by Reference and Status for a manager to complete.
type AnnexARow struct {
	ContactID     domain.ContactID
	Reference     domain.Reference
	Status        domain.Status
	ChildID       string
	Gender        string
	Ethnicity     string
	DateOfBirth   string // DD/MM/YYYY, empty when not known (or unborn)
	Age           string // whole years at the contact, empty when not known
	DateOfContact string // DD/MM/YYYY
	Source        string
	SourceCertain bool
	Missing       []string
}

// CodesMissing is what List 1 writes in a census code cell that is neither recorded nor derived with
// certainty: never a code the screener did not choose, and never a blank a reader could take for "not
// applicable". Ofsted's lists accept no such value, so a file with it cannot be filed unnoticed; the
// contacts behind it are AnnexAGaps (GET /v1/reports/annex-a?missing=true, the console's /reports page).
const CodesMissing = "codes missing"

// ChildID is a child's unique id in the return: the same for every contact about the same child (name and
// date of birth, as the children index matches them), carrying neither; a child without a date of birth
// gets the contact's own id.
func ChildID(c *domain.Contact) string {
	key := c.Child.IdentityKey()
	if key == "" {
		return string(c.ID)
	}
	sum := sha256.Sum256([]byte(string(c.Authority) + "#" + key))
	return "CH" + strings.ToUpper(hex.EncodeToString(sum[:6]))
}

const ofstedDate = "02/01/2006"

// AnnexA lists the contacts received in [from, to) as List 1 rows, oldest first. loc is the authority's
// time zone (the date of contact is the local date).
func AnnexA(recs []Record, from, to time.Time, loc *time.Location) []AnnexARow {
	var rows []AnnexARow
	for _, r := range recs {
		c := r.Contact
		if c.ReceivedAt.Before(from) || !c.ReceivedAt.Before(to) {
			continue
		}
		row := AnnexARow{ContactID: c.ID, Reference: c.Reference, Status: c.Status, ChildID: ChildID(c),
			DateOfContact: c.ReceivedAt.In(loc).Format(ofstedDate)}
		// what a person recorded comes first; an uncertain code stays empty (still to be asked), never 10/0/NOBT
		row.Source, row.Gender, row.Ethnicity, row.Missing = census.Codes(c)
		row.SourceCertain = row.Source != ""
		switch {
		case c.Child.Unborn:
		case !c.Child.DateOfBirth.IsZero():
			dob := c.Child.DateOfBirth
			row.DateOfBirth = dob.Time(loc).Format(ofstedDate)
			row.Age = strconv.Itoa(ageAt(dob, c.ReceivedAt.In(loc)))
		case c.Child.Age > 0:
			row.Age = strconv.Itoa(c.Child.Age)
		}
		rows = append(rows, row)
	}
	return rows
}

func ageAt(dob domain.Date, at time.Time) int {
	age := at.Year() - dob.Y
	if int(at.Month()) < dob.M || (int(at.Month()) == dob.M && at.Day() < dob.D) {
		age--
	}
	if age < 0 {
		return 0
	}
	return age
}

// AnnexACSV writes the rows as Ofsted's List 1 CSV; a code still to be chosen reads CodesMissing.
func AnnexACSV(rows []AnnexARow) (string, error) {
	recs := make([][]string, len(rows))
	for i, r := range rows {
		code := func(v string) string {
			if v == "" {
				return CodesMissing
			}
			return v
		}
		recs[i] = []string{r.ChildID, code(r.Gender), code(r.Ethnicity), r.DateOfBirth, r.Age, r.DateOfContact, code(r.Source)}
	}
	return writeCSV(AnnexAHeader, recs)
}

// AnnexAGapsHeader is the list of List 1 contacts whose census codes are missing: the manager's worklist
// before filing (no personal data: the reference people quote, where the contact is, the date, the fields).
var AnnexAGapsHeader = []string{"Reference", "Status", "Date of contact", "Codes missing"}

// AnnexAGaps are the rows whose census codes are missing, in the file's order. A contact forwarded to an
// open case's worker or returned for consent left the front door without the decision's census gate
// (forwarding is never held back for codes: README "Reports"), so only a person completes it, through POST
// /v1/contacts/{id}/census or the contact page's census form, in any status.
func AnnexAGaps(rows []AnnexARow) []AnnexARow {
	var out []AnnexARow
	for _, r := range rows {
		if len(r.Missing) > 0 {
			out = append(out, r)
		}
	}
	return out
}

// AnnexAGapsCSV writes the gaps as CSV (AnnexAGapsHeader; the fields missing separated by spaces).
func AnnexAGapsCSV(rows []AnnexARow) (string, error) {
	recs := make([][]string, len(rows))
	for i, r := range rows {
		recs[i] = []string{string(r.Reference), string(r.Status), r.DateOfContact, strings.Join(r.Missing, " ")}
	}
	return writeCSV(AnnexAGapsHeader, recs)
}

func writeCSV(header []string, recs [][]string) (string, error) {
	var b strings.Builder
	w := csv.NewWriter(&b)
	if err := w.Write(header); err != nil {
		return "", err
	}
	if err := w.WriteAll(recs); err != nil {
		return "", err
	}
	return b.String(), w.Error()
}
