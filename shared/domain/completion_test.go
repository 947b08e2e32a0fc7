package domain

import (
	"slices"
	"testing"
	"time"
)

// Bexley §4: the MASH social worker establishes the children's "full names, dates of birth … as far as
// possible" (and Bexley §3: screening confirms the child's identifying details). A completion clears "needs
// details" only once the child has both names and a date of birth, or the age as told, or — when nobody can
// give either — why it is not known, recorded by the worker; otherwise what was given is kept and the contact
// stays flagged, naming what is still needed.
func TestBexley_4_ChildDetails_DateOfBirthOrAgeOrWhyNotKnown_BeforeNeedsDetailsClears(t *testing.T) {
	now := time.Date(2027, 3, 10, 9, 30, 0, 0, time.UTC)
	named := Child{GivenName: "Tia", FamilyName: "Moss"}
	with := func(f func(*Child)) Child { ch := named; f(&ch); return ch }
	cases := []struct {
		name      string
		child     Child
		stillNeed []string // nil: the flag clears
		why       string   // DateOfBirthNotKnown kept
		badFields []string // the completion is refused, naming these
	}{
		{name: "names and a date of birth", child: with(func(c *Child) { c.DateOfBirth = Date{Y: 2015, M: 3, D: 31} })},
		{name: "names and the age as told", child: with(func(c *Child) { c.Age = 9 })},
		{name: "names and why neither is known", child: with(func(c *Child) { c.DateOfBirthNotKnown = " anonymous caller, family not traced " }),
			why: "anonymous caller, family not traced"},
		{name: "names alone: kept, still needs the date of birth", child: named, stillNeed: []string{"child.dateOfBirth"}},
		{name: "a blank reason is no reason", child: with(func(c *Child) { c.DateOfBirthNotKnown = "   " }), stillNeed: []string{"child.dateOfBirth"}},
		{name: "a reason beside a date of birth is dropped",
			child: with(func(c *Child) { c.DateOfBirth = Date{Y: 2015, M: 3, D: 31}; c.DateOfBirthNotKnown = "not known" })},
		{name: "an unborn child needs no date of birth nor given name", child: Child{FamilyName: "Moss", Unborn: true}},
		{name: "no family name", child: Child{GivenName: "Tia", Age: 9}, badFields: []string{"child.familyName"}},
		{name: "a date of birth in the future", child: with(func(c *Child) { c.DateOfBirth = Date{Y: 2028, M: 1, D: 1} }),
			badFields: []string{"child.dateOfBirth"}},
		{name: "an age over 17", child: with(func(c *Child) { c.Age = 19 }), badFields: []string{"child.age"}},
		{name: "a negative age", child: with(func(c *Child) { c.Age = -1 }), badFields: []string{"child.age"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := &Contact{Flags: Flags{NeedsCompletion: true}, Child: Child{Address: "kept only if given"}}
			err := c.CompleteChild(tc.child, now)
			if tc.badFields != nil {
				var got []string
				if de, ok := err.(*Error); ok && de.Code == CodeInvalid {
					for _, f := range de.Fields {
						got = append(got, f.Field)
					}
				}
				if !slices.Equal(got, tc.badFields) {
					t.Fatalf("refused naming %v (err %v), want %v", got, err, tc.badFields)
				}
				if !c.Flags.NeedsCompletion || c.Child.Address != "kept only if given" {
					t.Fatalf("a refused completion changed the contact: %+v %+v", c.Child, c.Flags)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Child.GivenName != tc.child.GivenName || c.Child.FamilyName != tc.child.FamilyName || c.Child.Age != tc.child.Age {
				t.Fatalf("child not kept as given: %+v", c.Child)
			}
			if c.Flags.NeedsCompletion != (tc.stillNeed != nil) {
				t.Fatalf("needsCompletion = %v, want %v", c.Flags.NeedsCompletion, tc.stillNeed != nil)
			}
			if got := c.Child.DetailsStillNeeded(); !slices.Equal(got, tc.stillNeed) {
				t.Fatalf("still needed %v, want %v", got, tc.stillNeed)
			}
			if c.Child.DateOfBirthNotKnown != tc.why {
				t.Fatalf("why not known %q, want %q", c.Child.DateOfBirthNotKnown, tc.why)
			}
		})
	}
	t.Run("a contact whose details are complete is a conflict", func(t *testing.T) {
		c := &Contact{Child: named}
		if err := c.CompleteChild(with(func(c *Child) { c.Age = 9 }), now); ErrorCode(err) != CodeConflict {
			t.Fatalf("err %v, want a conflict", err)
		}
	})
	t.Run("a second completion adds what the first lacked", func(t *testing.T) {
		c := &Contact{Flags: Flags{NeedsCompletion: true}}
		if err := c.CompleteChild(named, now); err != nil || !c.Flags.NeedsCompletion {
			t.Fatalf("first: %v %+v", err, c.Flags)
		}
		if err := c.CompleteChild(with(func(c *Child) { c.DateOfBirth = Date{Y: 2016, M: 7, D: 4} }), now); err != nil || c.Flags.NeedsCompletion {
			t.Fatalf("second: %v %+v", err, c.Flags)
		}
	})
}
