package intake_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/store"
)

// ppnUpdate is goodPPN sent again under the same police reference with new information: Mason disclosed more
// and is now at immediate risk.
func ppnUpdate(now time.Time) intake.PPN {
	n := goodPPN(now)
	n.Circumstances = "UPDATE: Mason told the attending officer the suspect has returned to the address tonight."
	n.Children[0].AtImmediateRisk = true
	return n
}

func countEvents(t *testing.T, r *rig, id domain.ContactID, action string) int {
	t.Helper()
	evs, err := r.suite.Store.ListAudit(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, ev := range evs {
		if ev.Action == action {
			n++
		}
	}
	return n
}

// Issue #13 "A PPN re-sent with new content is still treated as a duplicate": the same police reference with
// other content is an update of the first contacts, not a duplicate. Out of hours, the child now at immediate
// risk is immediate harm and the EDT is told at once; each child's contact has the new circumstances with the
// time they arrived and their source; the same update again is a duplicate and adds nothing twice.
func TestPPN_ResentWithNewContentIsAnUpdate_RaisedRiskOutOfHoursTellsTheEDT(t *testing.T) {
	r := newRig(t, london(t, "2026-11-21 10:00")) // Saturday: the MASH is closed
	ctx := context.Background()
	first, err := r.suite.Intake.CreatePPN(ctx, hackney, goodPPN(r.clock.Now()), "")
	if err != nil || len(first) != 2 {
		t.Fatalf("first PPN: %+v %v", first, err)
	}
	mason, evie := first[0].ContactID, first[1].ContactID
	if r.contact(mason).ImmediateHarm {
		t.Fatal("Mason is immediate harm before the update")
	}
	r.clock.Advance(2 * time.Hour)
	res, err := r.suite.Intake.CreatePPN(ctx, hackney, ppnUpdate(r.clock.Now().Add(-2*time.Hour)), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].Status != intake.StatusLinked || res[0].ContactID != mason || res[1].ContactID != evie {
		t.Fatalf("re-sent PPN: %+v, want both children linked to their first contacts", res)
	}
	for _, id := range []domain.ContactID{mason, evie} {
		c := r.contact(id)
		if !strings.Contains(c.Concerns, "Neighbour heard screaming") {
			t.Errorf("%s: the first PPN's circumstances were replaced", c.Child.GivenName)
		}
		if !strings.Contains(c.Concerns, "suspect has returned to the address tonight") || !strings.Contains(c.Concerns, "Sat 21 Nov 2026 12:00") ||
			!strings.Contains(c.Concerns, "a PPN sent again under the same police reference") {
			t.Errorf("%s: the update's text, time and source are not on the contact:\n%s", c.Child.GivenName, c.Concerns)
		}
	}
	if !r.contact(mason).ImmediateHarm {
		t.Error("Mason is not immediate harm after the update said he is at immediate risk")
	}
	edt := 0
	for _, m := range r.outboxMessages() {
		if strings.Contains(header(m, "Subject"), "EDT to act now") && strings.Contains(m, string(r.contact(mason).Reference)) {
			edt++
		}
	}
	if edt != 1 {
		t.Errorf("%d EDT-now messages about Mason, want 1 (the EDT told now, out of hours)", edt)
	}
	if n := countEvents(t, r, mason, "contact.rerouted"); n != 1 {
		t.Errorf("%d contact.rerouted events on Mason, want 1", n)
	}
	if n := countEvents(t, r, evie, "contact.rerouted"); n != 0 {
		t.Errorf("Evie was re-routed although her risk did not rise (already immediate harm, already domestic abuse)")
	}
	// The same update again (a retry): a duplicate, nothing added twice.
	again, err := r.suite.Intake.CreatePPN(ctx, hackney, ppnUpdate(r.clock.Now().Add(-2*time.Hour)), "")
	if err != nil || len(again) != 2 || again[0].Status != intake.StatusDuplicate || again[0].ContactID != mason {
		t.Errorf("the update again: %+v %v, want a duplicate", again, err)
	}
	if n := strings.Count(r.contact(mason).Concerns, "--- Update"); n != 1 {
		t.Errorf("%d updates on Mason's contact, want 1", n)
	}
	// The first PPN again: still a duplicate.
	orig, err := r.suite.Intake.CreatePPN(ctx, hackney, goodPPN(r.clock.Now().Add(-2*time.Hour)), "")
	if err != nil || len(orig) != 2 || orig[0].Status != intake.StatusDuplicate {
		t.Errorf("the first PPN again: %+v %v, want a duplicate", orig, err)
	}
	if n := len(r.allContacts(hackney)); n != 2 {
		t.Errorf("%d contacts, want 2", n)
	}
}

// In hours the MASH manager is told the risk was raised, not the EDT; a child the first PPN did not name is a
// new contact linked to the first; restricted information sent with the update reaches the restricted records.
func TestPPN_ResentInHours_ManagerTold_NewChildAdded_RestrictedKept(t *testing.T) {
	r := newRig(t, london(t, "2026-11-16 10:45"))
	ctx := context.Background()
	first, err := r.suite.Intake.CreatePPN(ctx, hackney, goodPPN(r.clock.Now()), "")
	if err != nil || len(first) != 2 {
		t.Fatalf("first PPN: %+v %v", first, err)
	}
	r.clock.Advance(time.Hour)
	n := ppnUpdate(r.clock.Now().Add(-11 * time.Hour))
	n.Children = append(n.Children, intake.PPNChild{Child: domain.Child{GivenName: "Rory", FamilyName: "Kerr", DateOfBirth: domain.Date{Y: 2020, M: 7, D: 3}}})
	n.RestrictedInformation = &domain.RestrictedInformation{Text: "Suspect subject of a live investigation."}
	res, err := r.suite.Intake.CreatePPN(ctx, hackney, n, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 || res[0].Status != intake.StatusLinked || res[2].Status != intake.StatusCreated {
		t.Fatalf("re-sent PPN with a third child: %+v", res)
	}
	rory := r.contact(res[2].ContactID)
	if rory.Child.GivenName != "Rory" || !slices.Contains(rory.LinkedTo, first[0].ContactID) || rory.Reference != "HAC-2026-000003" {
		t.Errorf("new child: %s linked %v reference %s", rory.Child.GivenName, rory.LinkedTo, rory.Reference)
	}
	var risk, edt int
	masonRef := string(r.contact(first[0].ContactID).Reference)
	for _, m := range r.outboxMessages() {
		switch subj := header(m, "Subject"); {
		case strings.Contains(subj, masonRef+": risk raised by police"):
			risk++
		case strings.Contains(subj, "EDT to act now"):
			edt++
		}
	}
	if risk != 1 || edt != 0 {
		t.Errorf("risk-raised %d, EDT-now %d; want the manager told once (Mason) and the EDT not", risk, edt)
	}
	recs, err := r.suite.Store.GetRestricted(ctx, first[0].ContactID, "test-reader")
	if err != nil || !slices.ContainsFunc(recs, func(x store.RestrictedRecord) bool { return strings.Contains(x.Text, "live investigation") }) {
		t.Errorf("the update's restricted information is not in Mason's restricted records: %+v %v", recs, err)
	}
	if strings.Contains(r.contact(first[0].ContactID).Concerns, "live investigation") {
		t.Error("restricted information reached the concerns")
	}
}
