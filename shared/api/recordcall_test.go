package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
)

// householdCall is a neighbour's call about two children of one household, the second's date of birth not
// known (an age stands for it).
func householdCall() map[string]any {
	return map[string]any{
		"channel": "phone",
		"children": []any{
			map[string]any{"givenName": "Zebedee", "familyName": "Canarybird", "dateOfBirth": "2016-09-01", "school": "Hillman Street Primary"},
			map[string]any{"givenName": "Pip", "familyName": "Canarybird", "age": 3, "notKnown": []any{"dateOfBirth"}},
		},
		"referrer":      map[string]any{"name": "A Neighbour", "phone": "07700 900123", "relationship": "neighbour"},
		"concerns":      "shouting every night and the children left alone in the flat until late",
		"immediateHarm": false,
		"consent":       map[string]any{"status": "unknown"},
	}
}

// POST /v1/contacts about a household, as the console's Record a call: one contact per child, one household,
// each linked to the other, in one request; the same Idempotency-Key again is the same contacts (200); each
// child's bad field is named children[i].…; a child beside children is named; the one-child body still works.
func TestRecordACall_API_OneContactPerChild_OneHousehold(t *testing.T) {
	rg := newRig(t)
	r := rg.must(http.StatusCreated, officer, "POST", "/v1/contacts", householdCall(), "Idempotency-Key", "call-1")
	ids := createdIDs(t, r)
	if len(ids) != 2 {
		t.Fatalf("contacts %v, want one per child", ids)
	}
	a, b := rg.contactOf(ids[0]), rg.contactOf(ids[1])
	if a.HouseholdID == "" || a.HouseholdID != b.HouseholdID {
		t.Errorf("households %q and %q, want one", a.HouseholdID, b.HouseholdID)
	}
	if !slices.Contains(a.LinkedTo, b.ID) || !slices.Contains(b.LinkedTo, a.ID) {
		t.Errorf("not linked: %v / %v", a.LinkedTo, b.LinkedTo)
	}
	if a.Child.GivenName != "Zebedee" || b.Child.GivenName != "Pip" || b.Child.Age != 3 || a.Channel != domain.ChannelPhone {
		t.Errorf("children %+v / %+v", a.Child, b.Child)
	}
	// Pip's age as told stands for the date of birth (listed missing; nothing more needed:
	// domain.Child.DetailsStillNeeded).
	if a.Flags.NeedsCompletion || b.Flags.NeedsCompletion || b.Extraction == nil || !slices.Contains(b.Extraction.Missing, "child.dateOfBirth") {
		t.Errorf("needs completion: %v / %v %+v, want the second child's date of birth missing, neither flagged", a.Flags.NeedsCompletion, b.Flags.NeedsCompletion, b.Extraction)
	}
	again := rg.must(http.StatusOK, officer, "POST", "/v1/contacts", householdCall(), "Idempotency-Key", "call-1")
	if got := createdIDs(t, again); !slices.Equal(got, ids) {
		t.Errorf("the key again: %v, want %v", got, ids)
	}
	if n := rg.countAll(); n != 2 {
		t.Errorf("%d contacts after the retry, want 2", n)
	}
	other := householdCall()
	other["concerns"] = "something else"
	if r := rg.call(officer, "POST", "/v1/contacts", other, "Idempotency-Key", "call-1"); r.status != http.StatusConflict || !slices.Contains(r.errorFields(t), "Idempotency-Key") {
		t.Errorf("the key with other details: %d %s", r.status, r.body)
	}

	bad := householdCall()
	kids := bad["children"].([]any)
	delete(kids[1].(map[string]any), "familyName")
	kids[0].(map[string]any)["dateOfBirth"] = "31/02/2016"
	bad["child"] = map[string]any{"givenName": "Stray"}
	delete(bad, "concerns")
	r = rg.must(http.StatusBadRequest, officer, "POST", "/v1/contacts", bad)
	for _, f := range []string{"children[0].dateOfBirth", "children[1].familyName", "child", "concerns"} {
		if !slices.Contains(r.errorFields(t), f) {
			t.Errorf("400 does not name %s: %s", f, r.body)
		}
	}
	if n := rg.countAll(); n != 2 {
		t.Errorf("a bad household recorded something: %d contacts", n)
	}
	// The one-child body existing clients send is unchanged.
	if ids := createdIDs(t, rg.must(http.StatusCreated, officer, "POST", "/v1/contacts", sample(t, "phone-contact.json"))); len(ids) != 1 {
		t.Errorf("one child: %v", ids)
	}
}

// A caller who does not know whether a child is at risk of immediate harm: POST /v1/contacts takes
// immediateHarm "not-known" and records it as still to be answered (extraction.missing immediateHarm), never
// as a no; the tray says so, and a "yes" still heads the rating tray (Hackney §4(1)); any other value is a 400
// listing the allowed ones.
func TestHackney_4_1_ImmediateHarmNotKnown_RecordedAsUnanswered_YesStillHeadsTheTray(t *testing.T) {
	rg := newRig(t)
	call := func(harm any, name string) domain.ContactID { return recordOneChild(t, rg, harm, name) }
	unknown := call("not-known", "Una")
	no := call(false, "Nora")
	yes := call(true, "Yara")
	c := rg.contactOf(unknown)
	if c.ImmediateHarm || !c.ImmediateHarmNotKnown() || c.Extraction == nil || !slices.Contains(c.Extraction.Missing, "immediateHarm") || c.Flags.NeedsCompletion {
		t.Errorf("not known recorded as %v, extraction %+v, needsCompletion %v", c.ImmediateHarm, c.Extraction, c.Flags.NeedsCompletion)
	}
	if strings.Contains(c.Concerns, "did not know") {
		t.Errorf("written under the concerns instead: %q", c.Concerns)
	}
	if n := rg.contactOf(no); n.ImmediateHarmNotKnown() || n.ImmediateHarm {
		t.Errorf("a no reads as not known or yes")
	}
	if err := rg.suite.Tick(t.Context()); err != nil {
		t.Fatal(err)
	}
	items := rg.must(http.StatusOK, manager, "GET", "/v1/trays/rating", nil).json(t)["items"].([]any)
	var order []domain.ContactID
	notKnown := map[domain.ContactID]bool{}
	for _, it := range items {
		m := it.(map[string]any)
		id := domain.ContactID(m["contactId"].(string))
		order = append(order, id)
		notKnown[id] = m["immediateHarmNotKnown"] == true
	}
	if !slices.Equal(order, []domain.ContactID{yes, unknown, no}) {
		t.Errorf("rating tray %v, want yes first, then by due (not known, no)", order)
	}
	if !notKnown[unknown] || notKnown[no] || notKnown[yes] {
		t.Errorf("immediateHarmNotKnown on the tray: %v", notKnown)
	}

	bad := householdCall()
	bad["immediateHarm"] = "maybe"
	r := rg.must(http.StatusBadRequest, officer, "POST", "/v1/contacts", bad)
	if !slices.Equal(r.errorFields(t), []string{"immediateHarm"}) || !strings.Contains(string(r.body), `true, false or \"not-known\"`) {
		t.Errorf("a bad immediateHarm: %s", r.body)
	}
}

// POST /v1/consultations honours Idempotency-Key as the intake routes do: the same key and body is the first
// consultation again (200, nothing recorded); the same key with other details is a 409 naming the key and
// the first consultation's reference. POST /v1/contacts with channel consultation too.
func TestConsultations_IdempotencyKey_ARetryRecordsOnce(t *testing.T) {
	rg := newRig(t)
	bex := rg.suite.API(bexley, headerAuthFor(bexley))
	first := rg.do(bex, officer, "POST", "/v1/consultations", bexleyConsultation(), "Idempotency-Key", "k-1")
	if first.status != http.StatusCreated {
		t.Fatalf("record: %d %s", first.status, first.body)
	}
	k := first.json(t)["consultation"].(map[string]any)
	again := rg.do(bex, officer, "POST", "/v1/consultations", bexleyConsultation(), "Idempotency-Key", "k-1")
	if again.status != http.StatusOK || again.json(t)["consultation"].(map[string]any)["id"] != k["id"] || again.header.Get("Location") != "/v1/consultations/"+k["id"].(string) {
		t.Errorf("the key again: %d %s", again.status, again.body)
	}
	other := bexleyConsultation()
	other["advice"] = "refer now"
	r := rg.do(bex, officer, "POST", "/v1/consultations", other, "Idempotency-Key", "k-1")
	if r.status != http.StatusConflict || !slices.Equal(r.errorFields(t), []string{"Idempotency-Key"}) || !strings.Contains(string(r.body), k["reference"].(string)) {
		t.Errorf("the key with other details: %d %s", r.status, r.body)
	}
	// Another caller's same key is another key.
	if r := rg.do(bex, worker, "POST", "/v1/consultations", other, "Idempotency-Key", "k-1"); r.status != http.StatusCreated {
		t.Errorf("another caller's key: %d %s", r.status, r.body)
	}
	// Without a key, each request is a consultation.
	if r := rg.do(bex, officer, "POST", "/v1/consultations", bexleyConsultation()); r.status != http.StatusCreated {
		t.Errorf("no key: %d %s", r.status, r.body)
	}
	list := rg.do(bex, worker, "GET", "/v1/consultations", nil).json(t)["items"].([]any)
	if len(list) != 3 {
		t.Errorf("%d consultations in the log, want 3", len(list))
	}

	// Through POST /v1/contacts with channel consultation (Hackney's log).
	body := map[string]any{"channel": "consultation", "referrer": map[string]any{"name": "Sam Nurse", "phone": "020 7946 0001"},
		"concerns": "a health visitor unsure whether a family's situation meets the threshold", "dslConsulted": true}
	h1 := rg.must(http.StatusCreated, officer, "POST", "/v1/contacts", body, "Idempotency-Key", "hv-1")
	h2 := rg.must(http.StatusOK, officer, "POST", "/v1/contacts", body, "Idempotency-Key", "hv-1")
	if h1.json(t)["consultation"].(map[string]any)["id"] != h2.json(t)["consultation"].(map[string]any)["id"] {
		t.Errorf("the retry recorded another consultation: %s / %s", h1.body, h2.body)
	}
}

// The EDT answers calls out of hours, when the MASH's functions — its consultation line among them — are not
// available: a professional's call then is a referral, reviewed the next working day (Northamptonshire §6;
// Barnet "Operating hours"; Portsmouth §8). So neither consultation route lets the EDT record a consultation
// (403 naming channel on POST /v1/contacts), and the EDT records the call as a phone contact.
func TestNorthamptonshire_6_OutOfHours_EDTRecordsACallAsAContact_NeverAConsultation(t *testing.T) {
	rg := newRig(t)
	body := map[string]any{"channel": "consultation", "referrer": map[string]any{"name": "Sam Nurse", "phone": "020 7946 0001"},
		"concerns": "a health visitor unsure whether a family's situation meets the threshold", "dslConsulted": true}
	r := rg.must(http.StatusForbidden, edt, "POST", "/v1/contacts", body)
	if !slices.Equal(r.errorFields(t), []string{"channel"}) {
		t.Errorf("403 names %v, want channel: %s", r.errorFields(t), r.body)
	}
	rg.must(http.StatusForbidden, edt, "POST", "/v1/consultations", body)
	list := rg.must(http.StatusOK, worker, "GET", "/v1/consultations", nil).json(t)["items"].([]any)
	if len(list) != 0 {
		t.Errorf("the EDT recorded %d consultations", len(list))
	}
	if ids := createdIDs(t, rg.must(http.StatusCreated, edt, "POST", "/v1/contacts", householdCall())); len(ids) != 2 {
		t.Errorf("the EDT's phone contact: %v", ids)
	}
}

// POST /v1/contacts/{id}/immediate-harm, as the contact officer who phoned the referrer back: a call recorded
// with immediate harm "not-known" answered yes is immediate harm, no longer not known, and heads the rating
// tray (Hackney §4(1)); the same again is a 409 naming immediateHarm; an answer that is not yes or no is a 400
// naming answer with the allowed values; a decided contact is refused (409 naming its status).
func TestHackney_4_1_ImmediateHarmNotKnown_AnsweredThroughTheAPI(t *testing.T) {
	rg := newRig(t)
	call := func(harm any, name string) domain.ContactID { return recordOneChild(t, rg, harm, name) }
	earlier := call(false, "Nora")
	unknown := call("not-known", "Una")
	if err := rg.suite.Tick(t.Context()); err != nil {
		t.Fatal(err)
	}
	path := "/v1/contacts/" + string(unknown) + "/immediate-harm"
	r := rg.must(http.StatusBadRequest, officer, "POST", path, map[string]any{"answer": "maybe"})
	if !slices.Equal(r.errorFields(t), []string{"answer"}) || !strings.Contains(string(r.body), "yes or no") {
		t.Errorf("a bad answer: %s", r.body)
	}
	got := rg.must(http.StatusOK, officer, "POST", path, map[string]any{"answer": "yes", "note": "the referrer rang back"}).json(t)
	if got["immediateHarm"] != true {
		t.Errorf("answered yes: %v", got["immediateHarm"])
	}
	if c := rg.contactOf(unknown); c.ImmediateHarmNotKnown() || !c.ImmediateHarm {
		t.Errorf("after the answer: not known %v, immediate harm %v", c.ImmediateHarmNotKnown(), c.ImmediateHarm)
	}
	r = rg.must(http.StatusConflict, worker, "POST", path, map[string]any{"answer": "no"})
	if !slices.Equal(r.errorFields(t), []string{"immediateHarm"}) {
		t.Errorf("answered again: %s", r.body)
	}
	items := rg.must(http.StatusOK, manager, "GET", "/v1/trays/rating", nil).json(t)["items"].([]any)
	var order []domain.ContactID
	for _, it := range items {
		order = append(order, domain.ContactID(it.(map[string]any)["contactId"].(string)))
	}
	if !slices.Equal(order, []domain.ContactID{unknown, earlier}) {
		t.Errorf("rating tray %v, want the answered yes first", order)
	}

	// A contact already decided (a request for information answered) is refused as other actions refuse: a
	// 409 naming its status, the question still not known.
	b := householdCall()
	b["children"] = b["children"].([]any)[:1]
	b["immediateHarm"] = "not-known"
	b["flags"] = map[string]any{"informationRequest": true}
	decided := createdIDs(t, rg.must(http.StatusCreated, officer, "POST", "/v1/contacts", b))[0]
	rg.census(decided)
	rg.must(http.StatusOK, worker, "POST", "/v1/contacts/"+string(decided)+"/respond", map[string]any{"summary": "school attendance shared"})
	r = rg.must(http.StatusConflict, worker, "POST", "/v1/contacts/"+string(decided)+"/immediate-harm", map[string]any{"answer": "yes"})
	if !strings.Contains(string(r.body), "contact is decided") {
		t.Errorf("a decided contact: %s", r.body)
	}
	if c := rg.contactOf(decided); c.Status != domain.StatusDecided || !c.ImmediateHarmNotKnown() || c.ImmediateHarm {
		t.Errorf("a decided contact changed: %s, not known %v", c.Status, c.ImmediateHarmNotKnown())
	}
}

// recordOneChild records, as the contact officer, a call about one child (the household call's first, given the
// name) with the immediate-harm answer harm, then moves the clock a minute on (each due a minute after the one
// before); it returns the contact's id.
func recordOneChild(t *testing.T, rg *rig, harm any, name string) domain.ContactID {
	t.Helper()
	b := householdCall()
	b["children"] = b["children"].([]any)[:1]
	b["children"].([]any)[0].(map[string]any)["givenName"] = name
	b["immediateHarm"] = harm
	ids := createdIDs(t, rg.must(http.StatusCreated, officer, "POST", "/v1/contacts", b))
	rg.clock.Advance(time.Minute)
	return ids[0]
}

// Bexley §4 through the API: a call whose caller could not give the child's date of birth nor an age needs
// details; a worker completing the names alone is kept and the contact still needs details (the answer says
// so); an age out of range is a 400 naming child.age; recording why neither is known clears it, and the
// contact shows the reason; a second completion is a 409; a referrer may not complete.
func TestBexley_4_ChildDetails_CompletedThroughTheAPI_NeedsDetailsUntilDateOfBirthAgeOrWhy(t *testing.T) {
	rg := newRig(t)
	call := householdCall()
	delete(call, "children")
	call["child"] = map[string]any{"givenName": "Zebedee"}
	call["childNotKnown"] = []any{"familyName", "dateOfBirth"}
	ids := createdIDs(t, rg.must(http.StatusCreated, officer, "POST", "/v1/contacts", call))
	path := "/v1/contacts/" + string(ids[0]) + "/child"
	if c := rg.contactOf(ids[0]); !c.Flags.NeedsCompletion {
		t.Fatalf("recorded without a family name or date of birth, not flagged: %+v", c.Flags)
	}
	if r := rg.call(referrer, "POST", path, map[string]any{"child": map[string]any{"familyName": "Canarybird"}}); r.status != http.StatusForbidden {
		t.Errorf("a referrer completing: %d", r.status)
	}
	if r := rg.call(worker, "POST", path, map[string]any{"child": map[string]any{"familyName": " ", "age": 19}}); r.status != http.StatusBadRequest ||
		!slices.Equal(r.errorFields(t), []string{"child.age", "child.familyName"}) {
		t.Errorf("bad completion: %d %s, want child.age and child.familyName named", r.status, r.body)
	}
	c := rg.must(http.StatusOK, worker, "POST", path, map[string]any{"child": map[string]any{"familyName": "Canarybird"}}).json(t)
	if flags, _ := c["flags"].(map[string]any); flags["needsCompletion"] != true {
		t.Errorf("names alone cleared needsCompletion: %v", c["flags"])
	}
	if ch, _ := c["child"].(map[string]any); ch["givenName"] != "Zebedee" || ch["familyName"] != "Canarybird" {
		t.Errorf("child after the names: %v", ch)
	}
	c = rg.must(http.StatusOK, worker, "POST", path, map[string]any{"child": map[string]any{"dateOfBirthNotKnown": "anonymous caller; family not traced"}}).json(t)
	if flags, _ := c["flags"].(map[string]any); flags["needsCompletion"] == true {
		t.Errorf("why not known recorded, still needsCompletion: %v", c["flags"])
	}
	if ch, _ := c["child"].(map[string]any); ch["dateOfBirthNotKnown"] != "anonymous caller; family not traced" || ch["familyName"] != "Canarybird" {
		t.Errorf("child after why not known: %v", ch)
	}
	if r := rg.call(worker, "POST", path, map[string]any{"child": map[string]any{"age": 9}}); r.status != http.StatusConflict {
		t.Errorf("completing a complete child: %d", r.status)
	}
	evs, _ := rg.suite.Store.ListAudit(t.Context(), ids[0])
	var still []string
	for _, e := range evs {
		if e.Action == "child.completed" && e.Actor == worker.subject {
			still = append(still, e.Detail["stillNeeded"])
		}
	}
	if !slices.Equal(still, []string{"child.dateOfBirth", ""}) {
		t.Errorf("child.completed events' stillNeeded %q, want the date of birth then nothing", still)
	}
}

// Bexley §4 through POST /v1/contacts: the child's address, the parents or carers and the others in the
// household are optional, kept as given (one child or a household's children); each entry given without a
// name, and a household member born in the future, is named by its field, and nothing is recorded.
func TestBexley_4_RecordACall_API_ParentsAndHouseholdOptional_EachBadFieldNamed(t *testing.T) {
	rg := newRig(t)
	bad := householdCall()
	bad["parents"] = []any{map[string]any{"name": "Morag Canarybird", "relationship": "mother", "parentalResponsibility": true}, map[string]any{"relationship": "father"}}
	bad["household"] = []any{map[string]any{"name": " ", "dateOfBirth": "2099-01-01"}}
	r := rg.call(officer, "POST", "/v1/contacts", bad)
	if want := []string{"household[0].dateOfBirth", "household[0].name", "parents[1].name"}; r.status != http.StatusBadRequest || !slices.Equal(r.errorFields(t), want) {
		t.Errorf("bad parents and household: %d %s, want 400 naming %v", r.status, r.body, want)
	}
	if n := rg.countAll(); n != 0 {
		t.Errorf("%d contacts recorded from a bad call", n)
	}
	good := householdCall()
	good["children"].([]any)[0].(map[string]any)["address"] = "Flat 2, 14 Mare Street, London E8 1HW"
	good["parents"] = []any{map[string]any{"name": "Morag Canarybird", "relationship": "mother", "parentalResponsibility": true}}
	good["household"] = []any{map[string]any{"name": "Lee Moss", "relationship": "mother's partner", "dateOfBirth": "1990-05-03"}}
	ids := createdIDs(t, rg.must(http.StatusCreated, officer, "POST", "/v1/contacts", good))
	for _, id := range ids {
		c := rg.contactOf(id)
		if len(c.Parents) != 1 || c.Parents[0].Name != "Morag Canarybird" || !c.Parents[0].ParentalResponsibility ||
			len(c.Household) != 1 || c.Household[0].Name != "Lee Moss" {
			t.Errorf("%s: parents %+v household %+v", id, c.Parents, c.Household)
		}
	}
	if c := rg.contactOf(ids[0]); c.Child.Address != "Flat 2, 14 Mare Street, London E8 1HW" {
		t.Errorf("address %q", c.Child.Address)
	}
	one := householdCall()
	delete(one, "children")
	one["child"] = map[string]any{"givenName": "Zebedee", "familyName": "Canarybird", "dateOfBirth": "2016-09-01", "address": "7 Marina Grove"}
	one["parents"] = []any{map[string]any{"name": ""}}
	if r := rg.call(officer, "POST", "/v1/contacts", one); r.status != http.StatusBadRequest || !slices.Equal(r.errorFields(t), []string{"parents[0].name"}) {
		t.Errorf("one child, a parent without a name: %d %s", r.status, r.body)
	}
}
