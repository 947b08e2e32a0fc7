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
type AnnexARow struct {
	ContactID     domain.ContactID
	ChildID       string
	Gender        string
	Ethnicity     string
	DateOfBirth   string // DD/MM/YYYY, empty when not known (or unborn)
	Age           string // whole years at the contact, empty when not known
	DateOfContact string // DD/MM/YYYY
	Source        string
	SourceCertain bool
}

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
		row := AnnexARow{ContactID: c.ID, ChildID: ChildID(c), DateOfContact: c.ReceivedAt.In(loc).Format(ofstedDate)}
		// what a person recorded comes first; an uncertain code stays empty (still to be asked), never 10/0/NOBT
		row.Source, row.Gender, row.Ethnicity, _ = census.Codes(c)
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

// AnnexACSV writes the rows as Ofsted's List 1 CSV.
func AnnexACSV(rows []AnnexARow) (string, error) {
	var b strings.Builder
	w := csv.NewWriter(&b)
	if err := w.Write(AnnexAHeader); err != nil {
		return "", err
	}
	for _, r := range rows {
		if err := w.Write([]string{r.ChildID, r.Gender, r.Ethnicity, r.DateOfBirth, r.Age, r.DateOfContact, r.Source}); err != nil {
			return "", err
		}
	}
	w.Flush()
	return b.String(), w.Error()
}
