package domain

import (
	"strings"
	"time"
)

// MaxChildAge is the oldest age a child's details may give as told (under 18: the contract's Child.age).
const MaxChildAge = 17

// DetailsStillNeeded names, as the contact's field paths, what the screener must still establish about the
// child before the contact stops needing details (Flags.NeedsCompletion). Bexley §4: the MASH social worker
// establishes the children's "full names, dates of birth and gender … as far as possible" before the
// threshold decision, and screening checks confirm the child's identifying details (Bexley §3). So a given
// and a family name, and a date of birth — or the age as told, or, when nobody can give either, why it is
// not known (DateOfBirthNotKnown). A child with neither a date of birth nor an age and no reason recorded
// still needs its details: "not known" must be something a worker found and wrote down, never a field a
// completion left empty. An unborn child needs no date of birth (nor a given name).
func (ch Child) DetailsStillNeeded() []string {
	var need []string
	if strings.TrimSpace(ch.GivenName) == "" && !ch.Unborn {
		need = append(need, "child.givenName")
	}
	if strings.TrimSpace(ch.FamilyName) == "" {
		need = append(need, "child.familyName")
	}
	if ch.DateOfBirth.IsZero() && ch.Age == 0 && !ch.Unborn && strings.TrimSpace(ch.DateOfBirthNotKnown) == "" {
		need = append(need, "child.dateOfBirth")
	}
	return need
}

// CompleteChild records the child's details a worker established for a contact that needs them (a free-text
// email that named no child, a call whose caller could not give them): the child becomes ch and the contact
// keeps needing details while ch.DetailsStillNeeded lists anything, so that a completion saving the names
// alone is kept and still flagged. A why-not-known beside a date of birth or an age is dropped (it no longer
// holds). A contact that does not need details is a conflict (changing a known child's identity is not a
// completion); bad fields are named (ValidateCompletion).
func (c *Contact) CompleteChild(ch Child, now time.Time) error {
	if !c.Flags.NeedsCompletion {
		return Errorf(CodeConflict, "the child's details of this contact are already complete")
	}
	if err := ch.ValidateCompletion(now); err != nil {
		return err
	}
	ch.DateOfBirthNotKnown = strings.TrimSpace(ch.DateOfBirthNotKnown)
	if !ch.DateOfBirth.IsZero() || ch.Age > 0 || ch.Unborn {
		ch.DateOfBirthNotKnown = ""
	}
	c.Child = ch
	c.Flags.NeedsCompletion = len(ch.DetailsStillNeeded()) > 0
	return nil
}

// ValidateCompletion names every bad field of a child's details as a worker completes them: the names are
// required (a completion without them is not one), a date of birth must not be in the future (unless the
// child is unborn), an age is 1 to MaxChildAge years.
func (ch Child) ValidateCompletion(now time.Time) error {
	var p Problems
	if strings.TrimSpace(ch.GivenName) == "" && !ch.Unborn {
		p.Add("child.givenName", "is required")
	}
	if strings.TrimSpace(ch.FamilyName) == "" {
		p.Add("child.familyName", "is required")
	}
	if d := ch.DateOfBirth; !d.IsZero() && d.Time(time.UTC).After(now) && !ch.Unborn {
		p.Add("child.dateOfBirth", "is in the future")
	}
	if ch.Age < 0 || ch.Age > MaxChildAge {
		p.Add("child.age", "must be a whole number of years from 1 to %d", MaxChildAge)
	}
	return p.Err()
}
