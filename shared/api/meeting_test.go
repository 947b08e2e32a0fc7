package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// Bexley §7: the daily meeting, Tuesday to Friday at 11:00, discusses the concerning referrals: a Red referral
// whose partner checks are overdue by the meeting is on Thursday's agenda, with its reasons; a Monday has no
// meeting (404 naming the days); a bad date is a 400 naming date; the agenda's contacts are audited as read.
func TestBexley_7_MeetingAgendaThroughTheAPI(t *testing.T) {
	rg := newRig(t)
	bex := rg.suite.API(bexley, headerAuthFor(bexley))
	ids := createdIDs(t, rg.do(bex, referrer, "POST", "/v1/referrals", canaryReferral()))
	if len(ids) != 1 {
		t.Fatalf("referral: %v", ids)
	}
	id := ids[0]
	if err := rg.suite.Tick(t.Context()); err != nil {
		t.Fatal(err)
	}
	if r := rg.do(bex, manager, "POST", "/v1/contacts/"+string(id)+"/rating", map[string]any{"value": "red", "rationale": "bruising and fear of going home"}); r.status != http.StatusOK {
		t.Fatalf("rating: %d %s", r.status, r.body)
	}
	if err := rg.suite.Tick(t.Context()); err != nil {
		t.Fatal(err)
	}
	// Wednesday 10:00 + 4 hours: the Red checks are due by 14:00; Thursday's meeting finds them overdue.
	r := rg.do(bex, worker, "GET", "/v1/meeting?date=2027-03-11", nil)
	if r.status != http.StatusOK {
		t.Fatalf("meeting: %d %s", r.status, r.body)
	}
	a := r.json(t)
	if a["time"] != "11:00" || a["at"] != london(t, "2027-03-11 11:00").UTC().Format(time.RFC3339) {
		t.Errorf("meeting at %v %v, want 11:00", a["time"], a["at"])
	}
	items := a["items"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["contactId"] != string(id) {
		t.Fatalf("agenda items %v, want the red contact", items)
	}
	var reasons []string
	for _, w := range items[0].(map[string]any)["why"].([]any) {
		w := w.(map[string]any)
		reasons = append(reasons, w["reason"].(string))
		if w["reason"] == "red-amber-awaiting-checks" {
			// waiting on its partner checks: how many answered of how many, and the next due
			ch, _ := w["checks"].(map[string]any)
			if ch == nil || ch["answered"] != float64(0) || ch["asked"] == nil || ch["asked"].(float64) < 1 ||
				ch["nextDueAt"] != london(t, "2027-03-10 14:00").UTC().Format(time.RFC3339) {
				t.Errorf("checks %v, want 0 answered of those asked, the next due Wednesday 14:00", ch)
			}
		}
	}
	if !slices.Contains(reasons, "red-amber-awaiting-checks") || !slices.Contains(reasons, "overdue-check") || slices.Contains(reasons, "red-amber-awaiting-decision") {
		t.Errorf("reasons %v, want awaiting its checks (never a decision while they are out) and overdue checks", reasons)
	}
	if items[0].(map[string]any)["dueAt"] != london(t, "2027-03-10 14:00").UTC().Format(time.RFC3339) {
		t.Errorf("due %v, want the checks' deadline Wednesday 14:00", items[0].(map[string]any)["dueAt"])
	}
	tl := rg.do(bex, manager, "GET", "/v1/contacts/"+string(id)+"/timeline", nil)
	if !hasEvent(t, tl, worker.subject, "contact.read", "meeting agenda 2027-03-11") {
		t.Errorf("the agenda's read is not audited: %s", tl.body)
	}
	// Wednesday's meeting (before the checks were due) has the contact for its checks only.
	if r := rg.do(bex, worker, "GET", "/v1/meeting?date=2027-03-10", nil); !strings.Contains(string(r.body), "red-amber-awaiting-checks") || strings.Contains(string(r.body), "overdue-check") {
		t.Errorf("Wednesday's agenda: %s", r.body)
	}
	r = rg.do(bex, worker, "GET", "/v1/meeting?date=2027-03-15", nil)
	if r.status != http.StatusNotFound || !strings.Contains(string(r.body), "Tuesday, Wednesday, Thursday and Friday at 11:00") {
		t.Errorf("a Monday: %d %s, want 404 naming the meeting days", r.status, r.body)
	}
	r = rg.do(bex, worker, "GET", "/v1/meeting?date=15/03/2027", nil)
	if r.status != http.StatusBadRequest || !slices.Equal(r.errorFields(t), []string{"date"}) {
		t.Errorf("a bad date: %d %s, want 400 naming date", r.status, r.body)
	}
	// No date: today (Wednesday 10 March).
	if r := rg.do(bex, worker, "GET", "/v1/meeting", nil); r.status != http.StatusOK || r.json(t)["date"] != "2027-03-10" {
		t.Errorf("no date: %d %s", r.status, r.body)
	}
}
