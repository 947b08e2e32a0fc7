package api_test

import (
	"encoding/base64"
	"encoding/json"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

// The canary of restricted police information: it must be found only at /v1/contacts/{id}/restricted.
const (
	secretText   = "RESTRICTED-CANARY intelligence: the suspect is a covert human intelligence source"
	secretAttach = "RESTRICTED-ATTACHMENT-CANARY 7731"
)

var (
	vetted = who{subject: "Pat Vetted", roles: []string{api.RoleRestrictedReader}}
	ada    = who{subject: "Ada Officer", roles: []string{api.RoleContactOfficer}}
)

// ppnWithRestricted posts the sample PPN with restricted information and returns its contacts.
func (rg *rig) ppnWithRestricted() []domain.ContactID {
	rg.t.Helper()
	var body map[string]any
	if err := json.Unmarshal(sample(rg.t, "ppn.json"), &body); err != nil {
		rg.t.Fatal(err)
	}
	body["restrictedInformation"] = map[string]any{"text": secretText, "attachments": []any{map[string]any{
		"filename": "intel-log.txt", "contentType": "text/plain", "content": base64.StdEncoding.EncodeToString([]byte(secretAttach))}}}
	ids := createdIDs(rg.t, rg.must(http.StatusCreated, police, "POST", "/v1/ppn", body))
	if len(ids) != 2 {
		rg.t.Fatalf("want two contacts (two children), got %v", ids)
	}
	return ids
}

func hasSecret(b []byte) bool {
	return strings.Contains(string(b), "RESTRICTED-CANARY") || strings.Contains(string(b), "RESTRICTED-ATTACHMENT-CANARY") ||
		strings.Contains(string(b), base64.StdEncoding.EncodeToString([]byte(secretAttach)))
}

// Issue 14 "Restricted police information": a PPN's restricted information is invisible to a contact
// officer (the contact and the list show only that it exists and who may read it), readable by a
// restricted-reader, and that read is in the timeline with the reader.
func TestRestricted_PPN_OnlyTheVettedReaderSeesIt_AndTheReadIsAudited(t *testing.T) {
	rg := newRig(t)
	ids := rg.ppnWithRestricted()
	id := ids[0]

	got := rg.must(http.StatusOK, ada, "GET", "/v1/contacts/"+string(id), nil)
	if hasSecret(got.body) {
		t.Fatalf("the contact shows restricted text: %s", got.body)
	}
	var c domain.Contact
	if err := json.Unmarshal(got.body, &c); err != nil {
		t.Fatal(err)
	}
	if c.Restricted == nil || c.Restricted.Records != 1 || c.Restricted.ReadableBy != api.RoleRestrictedReader ||
		c.Restricted.Path != "/v1/contacts/"+string(id)+"/restricted" {
		t.Fatalf("the contact does not say restricted information exists and who may read it: %+v", c.Restricted)
	}
	if strings.Contains(c.Concerns, "intelligence") {
		t.Fatalf("restricted text in concerns: %q", c.Concerns)
	}
	for _, st := range domain.Statuses {
		if l := rg.must(http.StatusOK, ada, "GET", "/v1/contacts?status="+string(st), nil); hasSecret(l.body) {
			t.Fatalf("the %s list shows restricted text", st)
		}
	}
	// The contact officer's list read is in the timeline with her name.
	tl := rg.must(http.StatusOK, manager, "GET", "/v1/contacts/"+string(id)+"/timeline", nil)
	if hasSecret(tl.body) {
		t.Fatalf("the timeline shows restricted text: %s", tl.body)
	}
	if !hasEvent(t, tl, "Ada Officer", "contact.read", "list") {
		t.Fatalf("no list read by Ada Officer in the timeline: %s", tl.body)
	}

	// Not even a worker, a manager, the police who sent it, or all of them at once, may read it.
	everyOther := slices.DeleteFunc(slices.Clone(api.Roles), func(r string) bool { return r == api.RoleRestrictedReader })
	for _, as := range []who{ada, worker, manager, police, edt, partner(domain.AgencyPolice), {subject: "everyone", roles: everyOther, agency: "police"}} {
		if r := rg.call(as, "GET", "/v1/contacts/"+string(id)+"/restricted", nil); r.status != http.StatusForbidden || hasSecret(r.body) {
			t.Fatalf("%v: %d %s", as.roles, r.status, r.body)
		}
	}

	r := rg.must(http.StatusOK, vetted, "GET", "/v1/contacts/"+string(id)+"/restricted", nil)
	var body struct {
		Records []struct {
			Text        string `json:"text"`
			Attachments []struct {
				Filename string `json:"filename"`
				Content  []byte `json:"content"`
			} `json:"attachments"`
		} `json:"records"`
	}
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Fatal(err)
	}
	if len(body.Records) != 1 || body.Records[0].Text != secretText || len(body.Records[0].Attachments) != 1 ||
		string(body.Records[0].Attachments[0].Content) != secretAttach {
		t.Fatalf("restricted read: %s", r.body)
	}
	// Another authority's restricted-reader reads nothing, and learns nothing of the contact.
	bex := rg.suite.API(bexley, headerAuthFor(bexley))
	if r := rg.do(bex, vetted, "GET", "/v1/contacts/"+string(id)+"/restricted", nil); r.status != http.StatusNotFound || hasSecret(r.body) {
		t.Fatalf("bexley's reader: %d %s", r.status, r.body)
	}
	tl = rg.must(http.StatusOK, manager, "GET", "/v1/contacts/"+string(id)+"/timeline", nil)
	if !hasEvent(t, tl, "Pat Vetted", "restricted.read", "") {
		t.Fatalf("the restricted read is not in the timeline with the reader: %s", tl.body)
	}
	// The sibling's contact has its own record.
	if r := rg.must(http.StatusOK, vetted, "GET", "/v1/contacts/"+string(ids[1])+"/restricted", nil); !strings.Contains(string(r.body), "RESTRICTED-CANARY") {
		t.Fatalf("sibling: %s", r.body)
	}
}

func hasEvent(t *testing.T, tl resp, actor, action, what string) bool {
	t.Helper()
	var body struct {
		Events []store.AuditEvent `json:"events"`
	}
	if err := json.Unmarshal(tl.body, &body); err != nil {
		t.Fatal(err)
	}
	return slices.ContainsFunc(body.Events, func(e store.AuditEvent) bool {
		return e.Actor == actor && e.Action == action && (what == "" || e.Detail["what"] == what)
	})
}

// Issue 14: "a test proves no other route or role can reach it". Every route, as every role and as all
// roles but restricted-reader at once, on the contact with restricted information: no response carries it.
// Nor do the notifications, the logs, the workflow's payloads (the executions' saved state) or the audit
// trail.
func TestRestricted_NoOtherRouteOrRoleReachesIt(t *testing.T) {
	rg := newRig(t)
	ids := rg.ppnWithRestricted()
	// The contacts go through screening and into trays, so that trays and lists are not empty.
	rg.suite.Tick(t.Context())
	everyOther := slices.DeleteFunc(slices.Clone(api.Roles), func(r string) bool { return r == api.RoleRestrictedReader })
	callers := []who{{subject: "all-but-vetted", roles: everyOther, agency: "police"}}
	for _, role := range everyOther {
		callers = append(callers, who{subject: "one-" + role, roles: []string{role}, agency: "police"})
	}
	for pattern := range routeRoles {
		method, path := concrete(pattern)
		path = strings.ReplaceAll(path, "c_00000000000000000000", string(ids[0]))
		for _, as := range callers {
			for _, q := range []string{"", "?status=awaiting-rating", "?status=received"} {
				r := rg.call(as, method, path+q, "{}")
				if hasSecret(r.body) {
					t.Fatalf("%s as %v: restricted information in %d %s", pattern, as.roles, r.status, r.body)
				}
				if pattern == "GET /v1/contacts/{id}/restricted" && r.status != http.StatusForbidden {
					t.Fatalf("%s as %v: %d", pattern, as.roles, r.status)
				}
			}
		}
	}
	for _, tray := range []string{"rating", "decision", "checks", "ooh"} {
		if r := rg.must(http.StatusOK, manager, "GET", "/v1/trays/"+tray, nil); hasSecret(r.body) {
			t.Fatalf("tray %s: %s", tray, r.body)
		}
	}
	if hasSecret([]byte(rg.logs.String())) {
		t.Fatal("restricted information in the logs")
	}
	// Outbox (notifications), executions (workflow payloads) and everything else the suite keeps on disk,
	// except the blob the vetted reader's attachment lives in (the restricted record's own file).
	blobSeen, outboxSeen := false, 0
	err := filepath.WalkDir(rg.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".db") || strings.HasSuffix(p, ".db-wal") || strings.HasSuffix(p, ".db-shm") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.Contains(filepath.ToSlash(p), "/blobs/restricted/") {
			blobSeen = blobSeen || hasSecret(b)
			return nil
		}
		if strings.Contains(filepath.ToSlash(p), "/outbox/") {
			outboxSeen++
		}
		if hasSecret(b) {
			t.Errorf("restricted information in %s", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The walk reached the attachment's own blob and the notifications, or it proved nothing.
	if !blobSeen || outboxSeen == 0 {
		t.Fatalf("walk saw the restricted blob %v, %d outbox files", blobSeen, outboxSeen)
	}
	for _, id := range ids {
		evs, err := rg.suite.Store.ListAudit(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		ns, err := rg.suite.Store.ListNotifications(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []any{evs, ns} {
			if b, _ := json.Marshal(v); hasSecret(b) {
				t.Fatalf("restricted information in %s", b)
			}
		}
	}
}

// Bad restricted information is a 400 naming each field; nothing is written.
func TestRestricted_BadInputNamesEachField(t *testing.T) {
	rg := newRig(t)
	var body map[string]any
	if err := json.Unmarshal(sample(t, "ppn.json"), &body); err != nil {
		t.Fatal(err)
	}
	body["restrictedInformation"] = map[string]any{"attachments": []any{map[string]any{"contentType": "text/plain"}}}
	r := rg.must(http.StatusBadRequest, police, "POST", "/v1/ppn", body)
	want := []string{"restrictedInformation.attachments[0].content", "restrictedInformation.attachments[0].filename", "restrictedInformation.text"}
	if got := r.errorFields(t); !slices.Equal(got, want) {
		t.Fatalf("fields %v, want %v", got, want)
	}
}

// Issue 14 "every read of personal data is audited with the reader": a tray read and a timeline read are
// in the timeline with the reader's name, one event per contact shown.
func TestAuditedReads_TrayAndTimeline(t *testing.T) {
	rg := newRig(t)
	id := rg.newReferral(referrer, canaryReferral())
	rg.suite.Tick(t.Context())
	rg.must(http.StatusOK, worker, "GET", "/v1/trays/rating", nil)
	rg.must(http.StatusOK, edt, "GET", "/v1/contacts/"+string(id)+"/timeline", nil)
	tl := rg.must(http.StatusOK, manager, "GET", "/v1/contacts/"+string(id)+"/timeline", nil)
	if !hasEvent(t, tl, worker.subject, "contact.read", "tray rating") {
		t.Errorf("tray read not audited: %s", tl.body)
	}
	if !hasEvent(t, tl, edt.subject, "contact.read", "timeline") {
		t.Errorf("timeline read not audited: %s", tl.body)
	}
}

// Issue 14: a police check's answer may carry restricted information: it goes to the restricted record in the
// answer's own write, the check keeps only that there was some, the contact's notice counts it, and only a
// restricted-reader reads it. Another agency's answer may not carry it.
func TestRestricted_PoliceCheckAnswer(t *testing.T) {
	rg := newRig(t)
	id := rg.newReferral(referrer, canaryReferral())
	base := "/v1/contacts/" + string(id)
	rg.must(http.StatusOK, manager, "POST", base+"/claim", map[string]any{"tray": "rating"})
	rg.must(http.StatusOK, manager, "POST", base+"/rating", map[string]any{"value": "amber", "rationale": "checks needed"})
	var list struct {
		Checks []struct {
			ID     string        `json:"id"`
			Agency domain.Agency `json:"agency"`
		} `json:"checks"`
	}
	if err := json.Unmarshal(rg.must(http.StatusOK, manager, "GET", base+"/checks", nil).body, &list); err != nil {
		t.Fatal(err)
	}
	var policeCheck, otherCheck string
	for _, c := range list.Checks {
		if c.Agency == domain.AgencyPolice {
			policeCheck = c.ID
		} else if otherCheck == "" {
			otherCheck = c.ID
		}
	}
	if policeCheck == "" || otherCheck == "" {
		t.Fatalf("want a police check and another: %+v", list.Checks)
	}
	restricted := map[string]any{"text": secretText}
	r := rg.must(http.StatusBadRequest, worker, "POST", base+"/checks/"+otherCheck+"/answer",
		map[string]any{"summary": "nothing", "restrictedInformation": restricted})
	if got := r.errorFields(t); !slices.Equal(got, []string{"restrictedInformation"}) {
		t.Fatalf("another agency's restricted information: fields %v", got)
	}
	ans := rg.must(http.StatusOK, partner(domain.AgencyPolice), "POST", base+"/checks/"+policeCheck+"/answer",
		map[string]any{"summary": "known to police; see restricted", "restrictedInformation": restricted})
	if hasSecret(ans.body) {
		t.Fatalf("the answer echoes restricted text: %s", ans.body)
	}
	for _, as := range []who{worker, manager, partner(domain.AgencyPolice)} {
		if r := rg.must(http.StatusOK, as, "GET", base+"/checks", nil); hasSecret(r.body) || !strings.Contains(string(r.body), `"restrictedRecords":1`) {
			t.Fatalf("checks as %v: %s", as.roles, r.body)
		}
	}
	got := rg.must(http.StatusOK, worker, "GET", base, nil)
	var c domain.Contact
	if err := json.Unmarshal(got.body, &c); err != nil {
		t.Fatal(err)
	}
	if hasSecret(got.body) || c.Restricted == nil || c.Restricted.Records != 1 {
		t.Fatalf("contact after the answer: %s", got.body)
	}
	if r := rg.must(http.StatusOK, vetted, "GET", base+"/restricted", nil); !strings.Contains(string(r.body), "RESTRICTED-CANARY") ||
		!strings.Contains(string(r.body), `"recordedBy":"partner-police"`) {
		t.Fatalf("restricted read: %s", r.body)
	}
	if r := rg.call(worker, "GET", base+"/restricted", nil); r.status != http.StatusForbidden {
		t.Fatalf("worker: %d", r.status)
	}
	tl := rg.must(http.StatusOK, manager, "GET", base+"/timeline", nil)
	if hasSecret(tl.body) || !hasEvent(t, tl, "partner-police", "restricted.written", "") || !hasEvent(t, tl, vetted.subject, "restricted.read", "") {
		t.Fatalf("timeline: %s", tl.body)
	}
}
