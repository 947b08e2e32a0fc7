package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/internal/testkit"
	"github.com/safeguarding/mash/shared/store"
)

func bexleyConsultation() map[string]any {
	return map[string]any{
		"consultee": map[string]any{"name": "Ann Teacher", "organisation": "Hillman Street Primary", "role": "DSL", "email": "dsl@hillman.bexley.sch.uk", "professional": true},
		"child":     map[string]any{"givenName": "Zebedee", "familyName": "Canarybird", "dateOfBirth": "2020-04-07"},
		"concerns":  "Zebedee Canarybird seems withdrawn since his father moved back home; the DSL asks whether to refer.",
		"advice":    "Talk to mother about the worries and refer if the bruising recurs.",
	}
}

// Bexley §5–6 through the API: a consultation goes into the consultation log with its own reference and the
// 48-hour summary deadline, on the consultation-summary tray and never on the rating tray; the list shows its
// deadline and audits the read; the summary is sent to the consultee and stops the clock; it becomes a contact
// once (a second time is a 409); bad input names each field.
func TestBexley_5_Consultation_LogSummaryAndConversionThroughTheAPI(t *testing.T) {
	rg := newRig(t)
	bex := rg.suite.API(bexley, headerAuthFor(bexley))
	r := rg.do(bex, officer, "POST", "/v1/consultations", bexleyConsultation())
	if r.status != http.StatusCreated {
		t.Fatalf("record: %d %s", r.status, r.body)
	}
	k := r.json(t)["consultation"].(map[string]any)
	id, ref := k["id"].(string), k["reference"].(string)
	if !strings.HasPrefix(ref, "BEX-C-2027-") {
		t.Errorf("reference %s, want its own sequence BEX-C-2027-…", ref)
	}
	wantDue := london(t, "2027-03-12 10:00").UTC().Format(time.RFC3339) // Wednesday 10:00 + 48 hours
	if k["deadlines"].(map[string]any)["consultation-summary"] != wantDue {
		t.Errorf("deadlines %v, want consultation-summary %s", k["deadlines"], wantDue)
	}
	if err := rg.suite.Tick(t.Context()); err != nil {
		t.Fatal(err)
	}
	if rg.countAll() != 0 {
		t.Errorf("a consultation made %d contacts", rg.countAll())
	}
	onTray := func(tray string) bool {
		items, _ := rg.do(bex, worker, "GET", "/v1/trays/"+tray, nil).json(t)["items"].([]any)
		for _, it := range items {
			if strings.Contains(it.(map[string]any)["id"].(string), id) {
				return true
			}
		}
		return false
	}
	if onTray("rating") || !onTray("consultation-summary") {
		t.Errorf("on the rating tray %v, on the consultation-summary tray %v; want only the latter", onTray("rating"), onTray("consultation-summary"))
	}
	list := rg.do(bex, worker, "GET", "/v1/consultations", nil)
	if items := list.json(t)["items"].([]any); len(items) != 1 || items[0].(map[string]any)["deadlines"].(map[string]any)["consultation-summary"] != wantDue {
		t.Errorf("the log: %s", list.body)
	}
	if got := rg.do(bex, worker, "GET", "/v1/consultations/"+strings.ToLower(ref), nil); got.status != http.StatusOK || got.json(t)["id"] != id {
		t.Errorf("by reference: %d %s", got.status, got.body)
	}
	evs, err := rg.suite.Store.ListAudit(t.Context(), domain.ConsultationID(id).AuditID())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(evs, func(e store.AuditEvent) bool { return e.Action == "consultation.read" && e.Actor == worker.subject }) {
		t.Errorf("the log's read is not audited: %+v", evs)
	}

	// The written summary: 400 without text; sent to the consultee, off the tray; a second is a 409.
	if r := rg.do(bex, worker, "POST", "/v1/consultations/"+id+"/summary", map[string]any{"text": " "}); r.status != http.StatusBadRequest || !slices.Equal(r.errorFields(t), []string{"text"}) {
		t.Errorf("empty summary: %d %s", r.status, r.body)
	}
	rg.clock.Advance(3 * time.Hour)
	if r := rg.do(bex, worker, "POST", "/v1/consultations/"+id+"/summary", map[string]any{"text": "We discussed the change at home; advice: speak to mother, refer if bruising recurs."}); r.status != http.StatusOK || r.json(t)["summary"] == nil {
		t.Fatalf("summary: %d %s", r.status, r.body)
	}
	if onTray("consultation-summary") {
		t.Errorf("still on the consultation-summary tray after the summary")
	}
	sent := 0
	for _, m := range testkit.OutboxMessages(t, rg.dir+"/outbox") {
		if strings.Contains(testkit.Header(m, "To"), "dsl@hillman.bexley.sch.uk") && strings.Contains(testkit.Header(m, "Subject"), ref) {
			sent++
			if strings.Contains(testkit.Header(m, "Subject"), canary) || !strings.Contains(strings.ReplaceAll(strings.ReplaceAll(m, "=\r\n", ""), "=\n", ""), "refer if bruising recurs") {
				t.Errorf("summary message: %s", m)
			}
		}
	}
	if sent != 1 {
		t.Errorf("%d summary messages to the consultee, want 1", sent)
	}
	if r := rg.do(bex, worker, "POST", "/v1/consultations/"+id+"/summary", map[string]any{"text": "again"}); r.status != http.StatusConflict {
		t.Errorf("second summary: %d %s", r.status, r.body)
	}

	// Converted: a contact of channel consultation, screened as a referral; converting again is a 409.
	if r := rg.do(bex, officer, "POST", "/v1/consultations/"+id+"/contact", map[string]any{}); r.status != http.StatusForbidden {
		t.Errorf("a contact officer converted: %d", r.status)
	}
	r = rg.do(bex, worker, "POST", "/v1/consultations/"+id+"/contact", map[string]any{"reason": "the bruising recurred"})
	if r.status != http.StatusCreated {
		t.Fatalf("convert: %d %s", r.status, r.body)
	}
	cid := createdIDs(t, r)[0]
	c := rg.contactOf(cid)
	if c.Channel != domain.ChannelConsultation || c.Child.FamilyName != canary || !strings.Contains(c.Concerns, ref) || c.Referrer.Email != "dsl@hillman.bexley.sch.uk" {
		t.Errorf("contact %+v", c)
	}
	if r := rg.do(bex, worker, "POST", "/v1/consultations/"+id+"/contact", map[string]any{}); r.status != http.StatusConflict {
		t.Errorf("second conversion: %d %s", r.status, r.body)
	}
	if err := rg.suite.Tick(t.Context()); err != nil {
		t.Fatal(err)
	}
	if c := rg.contactOf(cid); c.Status != domain.StatusAwaitingRating {
		t.Errorf("the converted contact is %s, want screened onto the rating tray", c.Status)
	}
	evs, _ = rg.suite.Store.ListAudit(t.Context(), domain.ConsultationID(id).AuditID())
	if !slices.ContainsFunc(evs, func(e store.AuditEvent) bool {
		return e.Action == "consultation.converted" && e.Detail["contactId"] == string(cid)
	}) {
		t.Errorf("the conversion is not audited on the consultation: %+v", evs)
	}

	// Bad input: each bad field named.
	r = rg.do(bex, officer, "POST", "/v1/consultations", map[string]any{"consultee": map[string]any{"email": "not an address"}, "basicChecks": true, "dslConsulted": true})
	if r.status != http.StatusBadRequest {
		t.Fatalf("bad consultation: %d %s", r.status, r.body)
	}
	for _, f := range []string{"consultee.name", "consultee.email", "consultee.professional", "concerns", "basicChecks", "dslConsulted"} {
		if !slices.Contains(r.errorFields(t), f) {
			t.Errorf("400 does not name %s: %s", f, r.body)
		}
	}
	if r := rg.do(bex, officer, "POST", "/v1/consultations", map[string]any{"concerns": 3}); r.status != http.StatusBadRequest || !slices.Contains(r.errorFields(t), "concerns") {
		t.Errorf("wrong type: %d %s", r.status, r.body)
	}
	if r := rg.do(bex, worker, "GET", "/v1/consultations/k_00000000000000000000", nil); r.status != http.StatusNotFound {
		t.Errorf("unknown consultation: %d", r.status)
	}
	// Another authority's consultation is not found.
	if r := rg.call(worker, "GET", "/v1/consultations/"+id, nil); r.status != http.StatusNotFound {
		t.Errorf("hackney read bexley's consultation: %d", r.status)
	}
}

// Hackney §8 through the API: POST /v1/contacts with channel consultation is moved onto the consultation log
// (no contact, not on the rating tray); the child's details are refused (a log of calls only, never on a
// child's record) and whether the DSL was consulted is required.
func TestHackney_8_Consultation_LogOfCallsOnlyThroughTheAPI(t *testing.T) {
	rg := newRig(t)
	body := map[string]any{"channel": "consultation", "referrer": map[string]any{"name": "Sam Nurse", "phone": "020 7946 0001"},
		"concerns": "a health visitor unsure whether a family's situation meets the threshold", "dslConsulted": true}
	r := rg.must(http.StatusCreated, officer, "POST", "/v1/contacts", body)
	k := r.json(t)["consultation"].(map[string]any)
	if !strings.HasPrefix(k["reference"].(string), "HAC-C-") || k["child"] != nil || k["consultee"].(map[string]any)["name"] != "Sam Nurse" {
		t.Errorf("consultation %v", k)
	}
	// Hackney's line is for professionals (§8): a consultee not said otherwise is one (it read false).
	if k["consultee"].(map[string]any)["professional"] != true {
		t.Errorf("the health visitor is recorded as a member of the public: %v", k["consultee"])
	}
	if len(k["deadlines"].(map[string]any)) != 0 {
		t.Errorf("hackney deadlines %v, want none (no written summary)", k["deadlines"])
	}
	if rg.countAll() != 0 {
		t.Errorf("a consultation made a contact")
	}
	body["child"] = map[string]any{"givenName": "Zebedee", "familyName": "Canarybird", "dateOfBirth": "2020-04-07"}
	delete(body, "dslConsulted")
	r = rg.must(http.StatusBadRequest, officer, "POST", "/v1/consultations", body)
	for _, f := range []string{"child", "dslConsulted"} {
		if !slices.Contains(r.errorFields(t), f) {
			t.Errorf("400 does not name %s: %s", f, r.body)
		}
	}
	// Turning it into a contact needs the child's details, which Hackney's log never holds.
	id := k["id"].(string)
	if r := rg.call(worker, "POST", "/v1/consultations/"+id+"/contact", map[string]any{}); r.status != http.StatusBadRequest || !slices.Equal(r.errorFields(t), []string{"child"}) {
		t.Errorf("convert without a child: %d %s", r.status, r.body)
	}
	if r := rg.call(worker, "POST", "/v1/consultations/"+id+"/summary", map[string]any{"text": "x"}); r.status != http.StatusConflict {
		t.Errorf("a summary where the policy sends none: %d %s", r.status, r.body)
	}
}

// Barnet "Consultation Line": "If we feel the child is at risk we will insist that you make a referral" — a
// consultation recorded with childAtRisk becomes a contact at once, screened as a referral; Portsmouth's policy
// has no consultations (409).
func TestBarnet_Consultation_ChildAtRiskBecomesAReferral(t *testing.T) {
	rg := newRig(t)
	bar := rg.suite.API("barnet", headerAuthFor("barnet"))
	body := bexleyConsultation()
	body["childAtRisk"] = true
	r := rg.do(bar, worker, "POST", "/v1/consultations", body)
	if r.status != http.StatusCreated {
		t.Fatalf("record: %d %s", r.status, r.body)
	}
	got := r.json(t)
	contact, _ := got["contact"].(map[string]any)
	k := got["consultation"].(map[string]any)
	if contact == nil || k["contact"] == nil || contact["contactId"] != k["contact"].(map[string]any)["contactId"] {
		t.Fatalf("not converted: %s", r.body)
	}
	if err := rg.suite.Tick(t.Context()); err != nil {
		t.Fatal(err)
	}
	if c := rg.contactOf(domain.ContactID(contact["contactId"].(string))); c.Status != domain.StatusAwaitingRating || c.Channel != domain.ChannelConsultation {
		t.Errorf("the referral is %s by %s, want awaiting its rating", c.Status, c.Channel)
	}
	por := rg.suite.API("portsmouth", headerAuthFor("portsmouth"))
	if r := rg.do(por, officer, "POST", "/v1/contacts", map[string]any{"channel": "consultation", "referrer": map[string]any{"name": "A"}, "concerns": "x"}); r.status != http.StatusConflict {
		t.Errorf("portsmouth consultation: %d %s", r.status, r.body)
	}
}
