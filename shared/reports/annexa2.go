package reports

import (
	"encoding/csv"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/census"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/policy"
)

// AnnexALists are the Annex A lists this product can fill: List 1 (contacts) and List 2 (early help).
var AnnexALists = []string{"1", "2"}

// ParseAnnexAList reads the list parameter ("" is List 1); anything else is an invalid error naming field
// (the API's list, the CLI's --list) with the allowed values.
func ParseAnnexAList(field, v string) (string, error) {
	if v == "" {
		return "1", nil
	}
	if !slices.Contains(AnnexALists, v) {
		var probs domain.Problems
		probs.Add(field, "%q is not an Annex A list this product fills: one of %s (1 contacts, 2 early help)", v, strings.Join(AnnexALists, ", "))
		return "", probs.Err()
	}
	return v, nil
}

// ParseAnnexAMissing reads the missing parameter: "true" asks for List 1's gaps (AnnexAGaps) instead of the
// file; "" or "false" for the file. Anything else, or true with List 2 (whose rows are decisions, made only
// with the codes), is an invalid error naming field.
func ParseAnnexAMissing(field, v, list string) (bool, error) {
	var probs domain.Problems
	switch v {
	case "", "false":
		return false, nil
	case "true":
		if list != "2" {
			return true, nil
		}
		probs.Add(field, "lists List 1's contacts whose census codes are missing; List %s has none (its decisions were made with the codes)", list)
	default:
		probs.Add(field, "%q is not true or false", v)
	}
	return false, probs.Err()
}

// AnnexAList2Header is Ofsted's Annex A List 2 (early help): one row per early help assessment. The column
// names are those the Annex A templates carry (README "Reports" says where they were confirmed).
var AnnexAList2Header = []string{"Child unique ID", "Gender", "Ethnicity", "Date of birth", "Age of child (years)",
	"Assessment start date", "Assessment completion date", "Organisation completing assessment"}

// AnnexAList2Row is one early help decision of the front door as List 2 has it.
type AnnexAList2Row struct {
	ContactID   domain.ContactID
	Outcome     domain.OutcomeCode
	ChildID     string
	Gender      string
	Ethnicity   string
	DateOfBirth string // DD/MM/YYYY, empty when not known (or unborn)
	Age         string // whole years at the start date, empty when not known
	// StartDate is the local date of the front door's early help decision (the decision.recorded event):
	// when the child's early help begins as far as the front door knows it.
	StartDate string
	// CompletionDate is always empty: the assessment is completed by the early help service, whose own
	// record holds the date; the front door never learns it.
	CompletionDate string
	// Organisation is who completes the assessment: the policy's outcomes[].earlyHelp.organisation.
	Organisation string
}

// AnnexAList2 lists the early help decisions made in [from, to), oldest first: every decision.recorded event
// on a contact's audit trail whose outcome the policy marks as early help (outcomes[].earlyHelp). A contact
// reopened and decided early help again is two rows (two starts); one whose decision was later replaced
// still counts the early help it started. loc is the authority's time zone.
func AnnexAList2(p *policy.Policy, recs []Record, from, to time.Time, loc *time.Location) []AnnexAList2Row {
	type dated struct {
		at  time.Time
		row AnnexAList2Row
	}
	var out []dated
	for _, r := range recs {
		c := r.Contact
		for _, e := range r.Audit {
			if e.Action != "decision.recorded" || e.At.Before(from) || !e.At.Before(to) {
				continue
			}
			code := domain.OutcomeCode(e.Detail["outcome"])
			eh := p.EarlyHelpOutcome(code)
			if eh == nil {
				continue
			}
			at := e.At.In(loc)
			row := AnnexAList2Row{ContactID: c.ID, Outcome: code, ChildID: ChildID(c), StartDate: at.Format(ofstedDate),
				Organisation: eh.Organisation}
			_, row.Gender, row.Ethnicity, _ = census.Codes(c)
			row.DateOfBirth, row.Age = birthColumns(c, at, loc)
			out = append(out, dated{e.At, row})
		}
	}
	slices.SortStableFunc(out, func(a, b dated) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return strings.Compare(string(a.row.ContactID), string(b.row.ContactID))
	})
	rows := make([]AnnexAList2Row, len(out))
	for i, d := range out {
		rows[i] = d.row
	}
	return rows
}

// birthColumns are a child's date of birth and age in whole years at `at`, as the Annex A lists write them.
func birthColumns(c *domain.Contact, at time.Time, loc *time.Location) (dob, age string) {
	switch {
	case c.Child.Unborn:
	case !c.Child.DateOfBirth.IsZero():
		d := c.Child.DateOfBirth
		return d.Time(loc).Format(ofstedDate), strconv.Itoa(ageAt(d, at))
	case c.Child.Age > 0:
		return "", strconv.Itoa(c.Child.Age)
	}
	return "", ""
}

// AnnexAList2CSV writes the rows as Ofsted's List 2 CSV.
func AnnexAList2CSV(rows []AnnexAList2Row) (string, error) {
	var b strings.Builder
	w := csv.NewWriter(&b)
	if err := w.Write(AnnexAList2Header); err != nil {
		return "", err
	}
	for _, r := range rows {
		if err := w.Write([]string{r.ChildID, r.Gender, r.Ethnicity, r.DateOfBirth, r.Age, r.StartDate, r.CompletionDate, r.Organisation}); err != nil {
			return "", err
		}
	}
	w.Flush()
	return b.String(), w.Error()
}

// AnnexAFile is one Annex A list (AnnexALists) as CSV, with the contacts it lists, each once, to be audited as
// read before the file goes out, and List 1's gaps (AnnexAGaps: the rows whose census codes are missing; none
// for List 2, whose rows are decisions, made only with the codes).
func AnnexAFile(p *policy.Policy, recs []Record, list string, from, to time.Time, loc *time.Location) (string, []domain.ContactID, []AnnexARow, error) {
	var ids []domain.ContactID
	seen := map[domain.ContactID]bool{}
	add := func(id domain.ContactID) {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if list == "2" {
		rows := AnnexAList2(p, recs, from, to, loc)
		for _, r := range rows {
			add(r.ContactID)
		}
		body, err := AnnexAList2CSV(rows)
		return body, ids, nil, err
	}
	rows := AnnexA(recs, from, to, loc)
	for _, r := range rows {
		add(r.ContactID)
	}
	body, err := AnnexACSV(rows)
	return body, ids, AnnexAGaps(rows), err
}

// AnnexAReadWhat is what the audit's contact.read event names for a list ("annex-a" for List 1, as before).
func AnnexAReadWhat(list string) string {
	if list == "1" {
		return "annex-a"
	}
	return "annex-a list " + list
}
