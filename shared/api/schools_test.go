package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/directory"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

func (rg *rig) postCSV(as who, csv []byte) resp {
	rg.t.Helper()
	return rg.call(as, "POST", "/v1/schools", csv, "Content-Type", "text/csv")
}

func (rg *rig) encompassNotices(id domain.ContactID) []store.Notification {
	rg.t.Helper()
	ns, err := rg.suite.Store.ListNotifications(context.Background(), id)
	if err != nil {
		rg.t.Fatal(err)
	}
	var out []store.Notification
	for _, n := range ns {
		if n.Kind == "encompass" {
			out = append(out, n)
		}
	}
	return out
}

// POST /v1/schools is for managers (and integrations); the sample directory loads whole; a wrong header or
// content type is a 400 naming it.
func TestSchools_ImportRolesAndBadInput(t *testing.T) {
	rg := newRig(t)
	csv, err := os.ReadFile("../../events/schools/hackney.csv")
	if err != nil {
		t.Fatal(err)
	}
	if r := rg.postCSV(worker, csv); r.status != http.StatusForbidden {
		t.Errorf("worker import: %d", r.status)
	}
	r := rg.postCSV(manager, csv)
	if r.status != http.StatusOK || r.json(t)["loaded"].(float64) != 220 {
		t.Fatalf("manager import: %d %s", r.status, r.body)
	}
	r = rg.postCSV(manager, []byte("urn,name\n1,x\n"))
	if r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "deputyDslEmail") {
		t.Errorf("wrong header: %d %s", r.status, r.body)
	}
	r = rg.call(manager, "POST", "/v1/schools", "urn;name", "Content-Type", "text/plain")
	if r.status != http.StatusBadRequest || !slices.Contains(r.errorFields(t), "Content-Type") {
		t.Errorf("wrong content type: %d %s", r.status, r.body)
	}
	r = rg.call(manager, "POST", "/v1/schools", `[{"urn":"900001","name":"Renamed School","open":true,"dslEmail":"Ann <a@x.hackney.sch.uk>"}]`)
	if r.status != http.StatusBadRequest || !slices.Contains(r.errorFields(t), "row 1.dslEmail") {
		t.Errorf("JSON row with a display name: %d %s", r.status, r.body)
	}
	r = rg.must(http.StatusOK, worker, "GET", "/v1/schools?q=amberdene", nil)
	if got := r.json(t)["schools"].([]any); len(got) != 2 {
		t.Errorf("search: %d schools", len(got))
	}
}

// Hackney, end to end through the API and the contact machine: a PPN naming a listed school by a slightly
// different name reaches that school's DSL; an unmatched one reaches the Encompass lead and waits on the
// encompass-unmatched tray until a worker picks the school, when the notice goes to its DSL at once.
func TestHackney_Encompass_ThroughTheAPI(t *testing.T) {
	rg := newRig(t)
	csv, err := os.ReadFile("../../events/schools/hackney.csv")
	if err != nil {
		t.Fatal(err)
	}
	rg.must(http.StatusOK, manager, "POST", "/v1/schools", csv, "Content-Type", "text/csv")

	matched := createdIDs(t, rg.must(http.StatusCreated, police, "POST", "/v1/ppn", sample(t, "ppn-hackney-school-by-another-name.json")))[0]
	unmatched := createdIDs(t, rg.must(http.StatusCreated, police, "POST", "/v1/ppn", sample(t, "ppn-hackney-school-unmatched.json")))[0]
	if err := rg.suite.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	ns := rg.encompassNotices(matched)
	if len(ns) != 1 || !slices.Equal(ns[0].To, []string{"dsl@amberdene-junior.hackney.sch.uk"}) ||
		!slices.Equal(ns[0].Cc, []string{"deputy.dsl@amberdene-junior.hackney.sch.uk"}) {
		t.Fatalf("matched PPN notices %+v", ns)
	}
	ns = rg.encompassNotices(unmatched)
	if len(ns) != 1 || ns[0].To[0] != "encompass@hackney.gov.uk" || !strings.Contains(ns[0].Text, "URN 900003") || !strings.Contains(ns[0].Text, "URN 900004") {
		t.Fatalf("unmatched PPN notices %+v", ns)
	}
	r := rg.must(http.StatusOK, worker, "GET", "/v1/trays/"+directory.TrayEncompassUnmatched, nil)
	if !strings.Contains(string(r.body), string(unmatched)) || strings.Contains(string(r.body), string(matched)) {
		t.Fatalf("tray: %s", r.body)
	}
	// Only the matched school has been told: the unmatched PPN's notice to the Encompass lead is not the
	// school told (Portsmouth §4.9 Operation Encompass; the timeliness report counts it open, then missed).
	encompassRow := func() map[string]any {
		t.Helper()
		rows, _ := rg.must(http.StatusOK, manager, "GET", "/v1/reports/timeliness?rule=encompass", nil).json(t)["rows"].([]any)
		if len(rows) != 1 {
			t.Fatalf("timeliness rows %v", rows)
		}
		return rows[0].(map[string]any)
	}
	if row := encompassRow(); row["met"] != 1.0 || row["missed"] != 0.0 || row["open"] != 1.0 {
		t.Errorf("timeliness before the pick %v, want met 1 open 1", row)
	}

	// Nobody picks the school before the Encompass deadline: the SLA sweep escalates it to the service manager.
	rg.clock.Advance(72 * time.Hour)
	if _, err := rg.suite.Sweep.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	all, _ := rg.suite.Store.ListNotifications(context.Background(), unmatched)
	if !slices.ContainsFunc(all, func(n store.Notification) bool {
		return n.Kind == "escalation" && strings.Contains(n.ID, directory.TrayEncompassUnmatched)
	}) {
		t.Errorf("no escalation of the overdue unmatched PPN: %d notifications", len(all))
	}

	if r := rg.call(police, "POST", "/v1/contacts/"+string(unmatched)+"/school", map[string]string{"urn": "900004"}); r.status != http.StatusForbidden {
		t.Errorf("police picking a school: %d", r.status)
	}
	if r := rg.call(worker, "POST", "/v1/contacts/"+string(unmatched)+"/school", map[string]string{"urn": "123456"}); r.status != http.StatusBadRequest {
		t.Errorf("unknown URN: %d %s", r.status, r.body)
	}
	rg.must(http.StatusOK, worker, "POST", "/v1/contacts/"+string(unmatched)+"/school", map[string]string{"urn": "900004"})
	ns = rg.encompassNotices(unmatched)
	if len(ns) != 2 || ns[1].To[0] != "dsl@st-aldrics-ce-pri-n16.hackney.sch.uk" || ns[1].SentAt.IsZero() {
		t.Fatalf("after the pick: %+v", ns)
	}
	r = rg.must(http.StatusOK, worker, "GET", "/v1/trays/"+directory.TrayEncompassUnmatched, nil)
	if strings.Contains(string(r.body), string(unmatched)) {
		t.Errorf("still on the tray after the pick: %s", r.body)
	}
	// The school is told only now, days after the school day began: missed, done at the pick.
	if row := encompassRow(); row["met"] != 1.0 || row["missed"] != 1.0 || row["open"] != 0.0 {
		t.Errorf("timeliness after the pick %v, want met 1 missed 1", row)
	}
}

// Partner checks go to each agency's MASH desk when the policy has its mailbox (Hackney's police desk); an
// agency with none (health, education) goes to the MASH inbox to forward, and the checks tray says so.
func TestHackney_CheckRequests_ToTheAgencyDeskOrTheInboxMarkedOnTheTray(t *testing.T) {
	rg := newRig(t)
	id := rg.newReferral(referrer, canaryReferral())
	base := "/v1/contacts/" + string(id)
	pol := rg.suite.Policies[hackney]
	rg.must(http.StatusOK, manager, "POST", base+"/rating", map[string]any{"value": "amber", "rationale": "needs checks"})
	ns, err := rg.suite.Store.ListNotifications(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	to := map[string]string{}
	for _, n := range ns {
		if n.Kind == "check-request" {
			for _, a := range []string{"police", "health", "education"} {
				if strings.Contains(n.ID, "#"+a+"-") {
					to[a] = n.To[0]
				}
			}
		}
	}
	if desk := pol.Contacts.AgencyDesks[domain.AgencyPolice].Email; desk == "" || to["police"] != desk {
		t.Errorf("police check to %q, want the police desk %q", to["police"], desk)
	}
	for _, a := range []string{"health", "education"} {
		if to[a] != pol.Contacts.MASHInbox.Email {
			t.Errorf("%s check to %q, want the MASH inbox", a, to[a])
		}
	}
	r := rg.must(http.StatusOK, worker, "GET", "/v1/trays/checks", nil)
	var tray struct {
		Items []store.TrayItem `json:"items"`
	}
	if err := json.Unmarshal(r.body, &tray); err != nil {
		t.Fatal(err)
	}
	notes := map[bool]int{}
	for _, it := range tray.Items {
		if it.ContactID == id {
			notes[it.Note == directory.NoDeskNote]++
		}
	}
	if notes[true] != 2 || notes[false] != 1 {
		t.Errorf("tray notes: %d with the no-desk note, %d without; want 2 and 1 (%s)", notes[true], notes[false], r.body)
	}
}
