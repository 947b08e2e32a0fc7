package api_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

// The councils' named rules through the API (issue #12 parts 6 and 7), on the whole local suite: Portsmouth
// §2.6 (name the harm), §4.12 (homeless 16/17), §5.3 (Supporting Families); Barnet's tell-the-family,
// phone-then-online-form and check-request summary.

const (
	portsmouth domain.AuthorityID = "portsmouth"
	barnet     domain.AuthorityID = "barnet"
)

// as is the rig serving another authority's API (its sign-ins are that authority's).
func (rg *rig) as(a domain.AuthorityID) *rig {
	cp := *rg
	cp.h = rg.suite.API(a, headerAuthFor(a))
	return &cp
}

func (rg *rig) notices(id domain.ContactID) []store.Notification {
	rg.t.Helper()
	ns, err := rg.suite.Store.ListNotifications(rg.t.Context(), id)
	if err != nil {
		rg.t.Fatal(err)
	}
	return ns
}

func referral(givenName, dob, concerns string) map[string]any {
	b := canaryReferral()
	b["children"] = []any{map[string]any{"givenName": givenName, "familyName": "Canarybird", "dateOfBirth": dob}}
	b["concerns"] = concerns
	return b
}

var fiiAsReason = regexp.MustCompile(`\bFII\b`)

// Portsmouth §2.6: a referral whose reason is only "FII" carries harmNotNamed and the policy's prompt; the
// acknowledgement asks the referrer to describe the harm; recording it (POST .../harm, audited) clears both;
// no message the product sends about the contact, from the acknowledgement to the outcome, gives FII as a
// reason.
func TestPortsmouth_FII_NameTheHarm_ThroughTheAPI(t *testing.T) {
	rg := newRig(t).as(portsmouth)
	id := rg.newReferral(referrer, referral("Amy", "2019-05-01", "FII"))
	c := rg.must(http.StatusOK, worker, "GET", "/v1/contacts/"+string(id), nil).json(t)
	flags, _ := c["flags"].(map[string]any)
	prompt, _ := c["harmPrompt"].(string)
	if flags["harmNotNamed"] != true || !strings.Contains(prompt, "describe the harm to the child") {
		t.Fatalf("flags %v harmPrompt %q: want harmNotNamed and the policy's prompt", flags, prompt)
	}
	ack := rg.notices(id)
	if i := slices.IndexFunc(ack, func(n store.Notification) bool { return n.Kind == string(domain.NoticeAcknowledgement) }); i < 0 ||
		!strings.Contains(ack[i].Text, prompt) || !strings.Contains(ack[i].HTML, "describe the harm to the child") {
		t.Fatalf("the acknowledgement does not ask for the harm: %+v", ack)
	}
	if r := rg.call(worker, "POST", "/v1/contacts/"+string(id)+"/harm", map[string]any{"harm": "  "}); r.status != http.StatusBadRequest ||
		!slices.Contains(r.errorFields(t), "harm") {
		t.Errorf("empty harm: %d %s", r.status, r.body)
	}
	if r := rg.call(referrer, "POST", "/v1/contacts/"+string(id)+"/harm", map[string]any{"harm": "x"}); r.status != http.StatusForbidden {
		t.Errorf("a referrer recording the harm: %d", r.status)
	}
	c = rg.must(http.StatusOK, worker, "POST", "/v1/contacts/"+string(id)+"/harm",
		map[string]any{"harm": "Mother has given Amy laxatives and reports seizures no doctor has seen; three admissions in a month"}).json(t)
	if flags, _ = c["flags"].(map[string]any); flags["harmNotNamed"] == true || c["harmPrompt"] != nil || c["harm"] == nil {
		t.Errorf("after recording the harm: flags %v prompt %v harm %v", flags, c["harmPrompt"], c["harm"])
	}
	evs, _ := rg.suite.Store.ListAudit(t.Context(), id)
	if !slices.ContainsFunc(evs, func(e store.AuditEvent) bool { return e.Action == "harm.named" && e.Actor == worker.subject }) {
		t.Errorf("no harm.named event by the worker")
	}
	// On through rating, checks and the decision: every message the contact caused.
	rg.must(http.StatusOK, manager, "POST", "/v1/contacts/"+string(id)+"/rating", map[string]any{"value": "amber", "rationale": "repeated admissions"})
	checks := rg.must(http.StatusOK, manager, "GET", "/v1/contacts/"+string(id)+"/checks", nil).json(t)["checks"].([]any)
	for _, q := range checks {
		q := q.(map[string]any)
		rg.must(http.StatusOK, partner(domain.Agency(q["agency"].(string))), "POST", "/v1/contacts/"+string(id)+"/checks/"+q["id"].(string)+"/answer",
			map[string]any{"summary": "known to the service", "nothingKnown": false})
	}
	rg.census(id)
	rg.must(http.StatusOK, manager, "POST", "/v1/contacts/"+string(id)+"/decision", map[string]any{"outcome": "s47-strategy", "rationale": "significant harm"})
	ns := rg.notices(id)
	if len(ns) < 5 {
		t.Fatalf("only %d messages: %+v", len(ns), ns)
	}
	for _, n := range ns {
		if fiiAsReason.MatchString(n.Subject + "\n" + n.Text + "\n" + n.HTML) {
			t.Errorf("%s message gives FII: %s\n%s", n.Kind, n.Subject, n.Text)
		}
	}
	// The harm described in its own field: no flag, no prompt.
	b := referral("Ben", "2018-02-01", "FII")
	b["harm"] = "Ben has had four unnecessary operations this year"
	c = rg.must(http.StatusOK, worker, "GET", "/v1/contacts/"+string(rg.newReferral(referrer, b)), nil).json(t)
	if flags, _ = c["flags"].(map[string]any); flags["harmNotNamed"] == true {
		t.Errorf("harm given: flags %v", flags)
	}
}

// Portsmouth §4.12: a referral for a 16- or 17-year-old flagged homeless, or saying so, takes the joint
// housing protocol route: the Family Support and Safeguarding Team is told at once (no name in the
// subject), housing-16-17 is due; a 15- or 18-year-old does not.
func TestPortsmouth_Homeless16And17_JointHousingProtocol_ThroughTheAPI(t *testing.T) {
	rg := newRig(t).as(portsmouth) // Wednesday 10 March 2027 10:00
	for _, tc := range []struct {
		name, dob, concerns string
		flag                bool
		want                bool
	}{
		{name: "16, flagged", dob: "2010-09-01", concerns: "Arguments at home.", flag: true, want: true},
		{name: "17, says so", dob: "2009-09-01", concerns: "Zebedee was kicked out last night and is sofa surfing.", want: true},
		{name: "15, flagged", dob: "2011-09-01", concerns: "Arguments at home.", flag: true},
		{name: "18 today, flagged", dob: "2009-03-10", concerns: "Arguments at home.", flag: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := referral("Zebedee", tc.dob, tc.concerns)
			if tc.flag {
				b["flags"] = map[string]any{"homeless": true}
			}
			id := rg.newReferral(referrer, b)
			c := rg.must(http.StatusOK, worker, "GET", "/v1/contacts/"+string(id), nil).json(t)
			due, started := c["deadlines"].(map[string]any)["housing-16-17"]
			ns := rg.notices(id)
			i := slices.IndexFunc(ns, func(n store.Notification) bool { return n.Kind == string(domain.NoticeHousingProtocol) })
			if started != tc.want || (i >= 0) != tc.want {
				t.Fatalf("housing-16-17 %v, housing notice %v; want %v", due, i >= 0, tc.want)
			}
			if !tc.want {
				return
			}
			if due != london(t, "2027-03-10 17:00").UTC().Format("2006-01-02T15:04:05Z07:00") {
				t.Errorf("housing-16-17 due %v, want the close of the working day", due)
			}
			n := ns[i]
			if !slices.Contains(n.To, "fsst@portsmouthcc.gov.uk") || strings.Contains(n.Subject, "Zebedee") || strings.Contains(n.Subject, canary) ||
				!strings.Contains(n.Text, "joint working protocol") {
				t.Errorf("housing notice to %v subject %q\n%s", n.To, n.Subject, n.Text)
			}
		})
	}
}

// Portsmouth §5.3: at an early help decision the manager records which of the 10 headline outcomes apply;
// 3 make the family eligible, shown on the contact and counted in the timeliness report. The list is
// required there (400 naming supportingFamilies with the allowed values) and refused at other decisions.
func TestPortsmouth_SupportingFamilies_EligibleAtThreeOfTenOutcomes(t *testing.T) {
	rg := newRig(t).as(portsmouth)
	decided := func(outcome string, sf any) (domain.ContactID, resp) {
		id := rg.newReferral(referrer, referral("Cara", "2016-01-01", "Cara is often late to school and the family are in rent arrears."))
		rg.must(http.StatusOK, manager, "POST", "/v1/contacts/"+string(id)+"/rating", map[string]any{"value": "green", "rationale": "early help", "noChecks": true})
		body := map[string]any{"outcome": outcome, "rationale": "early help with a lead professional"}
		if sf != nil {
			body["supportingFamilies"] = sf
		}
		rg.census(id)
		return id, rg.call(manager, "POST", "/v1/contacts/"+string(id)+"/decision", body)
	}
	for _, tc := range []struct {
		name, outcome string
		sf            any
		status        int
		field         string
		eligible      bool
	}{
		{name: "three of ten: eligible", outcome: "early-help-tier2", sf: []string{"good-education", "secure-housing", "financial-stability"}, status: 200, eligible: true},
		{name: "two of ten", outcome: "early-help-tier3", sf: []string{"good-education", "good-education", "health"}, status: 200},
		{name: "none apply", outcome: "early-help-tier2", sf: []string{}, status: 200},
		{name: "missing at an early help decision", outcome: "early-help-tier2", status: 400, field: "supportingFamilies"},
		{name: "not an outcome", outcome: "early-help-tier2", sf: []string{"good-education", "happiness"}, status: 400, field: "supportingFamilies[1]"},
		{name: "given at a statutory decision", outcome: "s17-assessment", sf: []string{"health"}, status: 400, field: "supportingFamilies"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, r := decided(tc.outcome, tc.sf)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			if tc.field != "" {
				if !slices.Contains(r.errorFields(t), tc.field) || !strings.Contains(string(r.body), "financial-stability") && tc.outcome != "s17-assessment" {
					t.Errorf("error %s: want the field %s and the allowed outcomes", r.body, tc.field)
				}
				return
			}
			sf, _ := r.json(t)["supportingFamilies"].(map[string]any)
			if sf == nil || sf["eligible"] != tc.eligible || sf["by"] != manager.subject {
				t.Errorf("supportingFamilies %v, want eligible %v", sf, tc.eligible)
			}
		})
	}
	rep := rg.must(http.StatusOK, manager, "GET", "/v1/reports/timeliness?from=2027-03-01&to=2027-03-31", nil).json(t)
	n, _ := rep["supportingFamilies"].(map[string]any)
	if n == nil || n["recorded"] != 3.0 || n["eligible"] != 1.0 || n["byOutcome"].(map[string]any)["good-education"] != 2.0 {
		t.Errorf("report supportingFamilies %v, want 3 recorded, 1 eligible, good education twice", n)
	}
	if rep := rg.as(hackney).must(http.StatusOK, manager, "GET", "/v1/reports/timeliness", nil).json(t); rep["supportingFamilies"] != nil {
		t.Errorf("Hackney has no such programme: %v", rep["supportingFamilies"])
	}
}

// Barnet "How do I refer?": "Before making a referral you must tell the family." Barnet's policy makes the
// answer required: a referral without it is a 400 naming familyTold, and "not told" needs the reason why;
// elsewhere it is optional.
func TestBarnet_TellTheFamilyBeforeReferral(t *testing.T) {
	rg := newRig(t)
	for _, tc := range []struct {
		name       string
		authority  domain.AuthorityID
		familyTold any
		status     int
		field      string
	}{
		{name: "Barnet, not answered", authority: barnet, status: 400, field: "familyTold"},
		{name: "Barnet, not told and no reason", authority: barnet, familyTold: map[string]any{"told": false}, status: 400, field: "familyTold.reason"},
		{name: "Barnet, told", authority: barnet, familyTold: map[string]any{"told": true}, status: 201},
		{name: "Barnet, not told because of the risk", authority: barnet, familyTold: map[string]any{"told": false, "reason": "telling father may increase the risk to the child"}, status: 201},
		{name: "Hackney, not answered", authority: hackney, status: 201},
		{name: "Hackney, not told and no reason", authority: hackney, familyTold: map[string]any{"told": false}, status: 400, field: "familyTold.reason"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := canaryReferral()
			if tc.familyTold != nil {
				b["familyTold"] = tc.familyTold
			}
			r := rg.as(tc.authority).call(referrer, "POST", "/v1/referrals", b)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			if tc.field != "" && !slices.Contains(r.errorFields(t), tc.field) {
				t.Errorf("error fields %v, want %s", r.errorFields(t), tc.field)
			}
			if tc.status == 201 && tc.familyTold != nil {
				c := rg.as(tc.authority).must(http.StatusOK, worker, "GET", "/v1/contacts/"+string(createdIDs(t, r)[0]), nil).json(t)
				if ft, _ := c["familyTold"].(map[string]any); ft["told"] != tc.familyTold.(map[string]any)["told"] {
					t.Errorf("contact familyTold %v", c["familyTold"])
				}
			}
		})
	}
}

// Barnet "How do I refer?": a call about a child's safety is followed by the online referral the same day.
// The phone contact starts the written-form clock (due by the MASH's close, 17:15 on a Wednesday) and waits
// on the written-form tray; the online referral for the same child clears it.
func TestBarnet_PhoneThenOnlineFormSameDay_ThroughTheAPI(t *testing.T) {
	rg := newRig(t).as(barnet)
	call := createdIDs(t, rg.must(http.StatusCreated, officer, "POST", "/v1/contacts", map[string]any{"channel": "phone",
		"child":    map[string]any{"givenName": "Zebedee", "familyName": "Canarybird", "dateOfBirth": "07/04/2020"},
		"referrer": map[string]any{"name": "Ann Teacher", "phone": "020 7946 0999"}, "concerns": "Bruising seen at school."}))[0]
	c := rg.must(http.StatusOK, worker, "GET", "/v1/contacts/"+string(call), nil).json(t)
	if c["deadlines"].(map[string]any)["immediate-harm-form"] != london(t, "2027-03-10 17:15").UTC().Format("2006-01-02T15:04:05Z07:00") ||
		c["flags"].(map[string]any)["awaitingWrittenForm"] != true {
		t.Fatalf("phone contact deadlines %v flags %v: want the written form due 17:15 today", c["deadlines"], c["flags"])
	}
	if !strings.Contains(string(rg.must(http.StatusOK, worker, "GET", "/v1/trays/written-form", nil).body), string(call)) {
		t.Errorf("the call is not on the written-form tray")
	}
	b := canaryReferral()
	b["familyTold"] = map[string]any{"told": true}
	rg.newReferral(referrer, b)
	c = rg.must(http.StatusOK, worker, "GET", "/v1/contacts/"+string(call), nil).json(t)
	if c["flags"].(map[string]any)["awaitingWrittenForm"] == true || strings.Contains(string(rg.must(http.StatusOK, worker, "GET", "/v1/trays/written-form", nil).body), string(call)) {
		t.Errorf("after the online referral the call still awaits its form: %v", c["flags"])
	}
}

// Barnet "What are my responsibilities": "The request will contain a summary of the referral concerns." A
// Barnet check request's body (never its subject) carries the summary; Hackney's carries no concerns.
func TestBarnet_CheckRequestCarriesSummaryOfConcerns(t *testing.T) {
	rg := newRig(t)
	for _, tc := range []struct {
		authority domain.AuthorityID
		want      bool
	}{{barnet, true}, {hackney, false}} {
		t.Run(string(tc.authority), func(t *testing.T) {
			a := rg.as(tc.authority)
			b := canaryReferral()
			b["familyTold"] = map[string]any{"told": true}
			id := a.newReferral(referrer, b)
			a.must(http.StatusOK, manager, "POST", "/v1/contacts/"+string(id)+"/rating", map[string]any{"value": "amber", "rationale": "bruising"})
			var reqs []store.Notification
			for _, n := range a.notices(id) {
				if n.Kind == string(domain.NoticeCheckRequest) {
					reqs = append(reqs, n)
				}
			}
			if len(reqs) == 0 {
				t.Fatal("no check requests")
			}
			for _, n := range reqs {
				has := strings.Contains(n.Text, "Summary of the referral concerns") && strings.Contains(n.Text, "scared to go home")
				if has != tc.want || strings.Contains(n.Subject, canary) || strings.Contains(n.Subject, "scared") {
					t.Errorf("%v: summary in the body %v (want %v), subject %q", n.To, has, tc.want, n.Subject)
				}
			}
		})
	}
}
