package local

import (
	"context"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

// Portsmouth §7.5, end to end: screening finds the earlier contacts about the same child through the children
// index, now kept on the contact (docs/cost.md "The children index kept on the contact"), and through the
// entries written apart by earlier versions: an immediate-harm phone call whose contact is indexed either way
// has its written-form chase cleared by the written referral about the same child that follows.
func TestPortsmouth_7_5_EarlierCallFoundOnTheContactOrByItsEntryWrittenApart(t *testing.T) {
	r := newRig(t, london(t, "2027-03-10 10:00")) // a Wednesday, open
	ctx := context.Background()
	call := func(given string) domain.ContactID {
		rec := phoneCall(true)
		rec.Child.GivenName = given
		res, err := r.suite.Intake.RecordContact(ctx, "portsmouth", rec, "")
		if err != nil {
			t.Fatal(err)
		}
		id := res[0].ContactID
		if c := r.contact(id); !c.Flags.AwaitingWrittenForm {
			t.Fatalf("the call %s does not await its written form", id)
		}
		return id
	}
	onContact, apart := call("Zebedee"), call("Ptolemy")
	// The second call as an earlier version wrote it: its contact without the index key, its entry apart.
	c := r.contact(apart)
	r.sqlExec(`UPDATE items SET gsi3pk = NULL WHERE pk = ? AND sk = 'contact'`, "contact#"+string(apart))
	if err := r.suite.Store.PutChildRecord(ctx, store.ChildRecord{ContactID: c.ID, Authority: c.Authority, IdentityKey: c.Child.IdentityKey(),
		ReceivedAt: c.ReceivedAt}); err != nil {
		t.Fatal(err)
	}
	if n := r.sqlCount(`SELECT count(*) FROM items WHERE pk = 'contact#` + string(apart) + `' AND sk = 'contact' AND gsi3pk IS NULL`); n != 1 {
		t.Fatalf("the old-style contact has its index key: %d", n)
	}
	if n := r.sqlCount(`SELECT count(*) FROM items WHERE pk = 'contact#` + string(onContact) + `' AND sk = 'child'`); n != 0 {
		t.Fatalf("a new contact has a children-index entry written apart: %d", n)
	}
	r.advance(3*time.Hour, 15*time.Minute)
	for _, given := range []string{"Zebedee", "Ptolemy"} {
		ref := canaryReferral()
		ref.Children = []domain.Child{{GivenName: given, FamilyName: "Canarybird", DateOfBirth: domain.Date{Y: 2016, M: 9, D: 1}}}
		ref.Concerns = "Written follow-up of this morning's call: " + given + " had bruising."
		if _, err := r.suite.Intake.CreateReferral(ctx, "portsmouth", ref, "written-"+given); err != nil {
			t.Fatal(err)
		}
	}
	r.advance(30*time.Minute, 5*time.Minute)
	for _, id := range []domain.ContactID{onContact, apart} {
		if got := r.contact(id); got.Flags.AwaitingWrittenForm {
			t.Errorf("the call %s still awaits its written form: screening did not find it", id)
		}
	}
	// The children index reads both, once each, oldest first.
	kids, err := r.suite.Store.FindChildren(ctx, "portsmouth", c.Child.IdentityKey())
	if err != nil || len(kids) != 2 || kids[0].ContactID != apart {
		t.Fatalf("the child's contacts %+v %v, want the call (its entry apart) then the written referral", kids, err)
	}
}
