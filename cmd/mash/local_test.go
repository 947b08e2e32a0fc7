package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/census"
	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/flow"
	"github.com/safeguarding/mash/shared/local"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/embedded"
)

func runAt(t *testing.T, at time.Time, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	a := newApp(&out, &errb)
	a.now = clock.Fixed(at)
	code := a.run(context.Background(), args)
	return out.String(), errb.String(), code
}

func lines(t *testing.T, s string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		if l == "" {
			continue
		}
		out = append(out, decode(t, l))
	}
	return out
}

// docs/cli.md: `mash ingest` prints one JSON line per contact created from each file (one per child for
// a household) with file, status, contactId, reference, reason; `mash contacts show ID` prints the contact
// exactly as GET /v1/contacts/{id} returns it.
func TestIngestAndShow_Contract(t *testing.T) {
	state := t.TempDir()
	at := time.Date(2027, 3, 10, 10, 0, 0, 0, time.UTC) // a Wednesday, open
	flags := []string{"--state", state}
	out, errs, code := runAt(t, at, append(append([]string{"ingest", "--authority", "hackney", "--outbox", filepath.Join(state, "outbox")}, flags...),
		"../../events/email/household-three-children.eml", "../../events/email/spam-flagged.eml", "../../events/email/school-dsl-referral.eml",
		"../../events/email/school-dsl-referral-redelivery.eml")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	ls := lines(t, out)
	statuses := []string{}
	for _, l := range ls {
		for _, k := range []string{"file", "status", "contactId", "reference", "reason"} {
			if _, ok := l[k]; !ok {
				t.Errorf("line lacks %q: %v", k, l)
			}
		}
		statuses = append(statuses, l["status"].(string))
	}
	want := "created created created quarantined created duplicate"
	if got := strings.Join(statuses, " "); got != want {
		t.Fatalf("statuses %q, want %q\n%s", got, want, out)
	}
	if ls[3]["reason"] != "spam" || ls[5]["contactId"] != ls[4]["contactId"] {
		t.Fatalf("quarantine reason or duplicate id wrong:\n%s", out)
	}

	id := ls[0]["contactId"].(string)
	shown, errs, code := runAt(t, at, append(append([]string{"contacts", "show"}, flags...), id)...)
	if code != 0 {
		t.Fatalf("show: exit %d: %s", code, errs)
	}
	// People quote the reference: the same contact, flags after the argument too, any letter case.
	ref := ls[0]["reference"].(string)
	for _, args := range [][]string{
		append([]string{"contacts", "show", ref}, flags...),
		append([]string{"contacts", "show", strings.ToLower(ref)}, flags...),
		append(append([]string{"contacts", "show", "--authority", "hackney"}, flags...), ref),
	} {
		byRef, errs, code := runAt(t, at, args...)
		if code != 0 || byRef != shown {
			t.Fatalf("%v: exit %d %s\n%s\nwant\n%s", args, code, errs, byRef, shown)
		}
	}
	if _, errs, code := runAt(t, at, append([]string{"contacts", "show", "BEX-2027-000001"}, flags...)...); code != 1 || !strings.Contains(errs, "not found") {
		t.Fatalf("another authority's reference: exit %d %s", code, errs)
	}
	if _, errs, code := runAt(t, at, append([]string{"contacts", "show", "ZZZ-2027-000001"}, flags...)...); code != 1 || !strings.Contains(errs, "HAC") {
		t.Fatalf("an unknown prefix: exit %d %s, want the prefixes listed", code, errs)
	}
	// The API's answer for the same contact, from the same state folder.
	st, err := embedded.Open(filepath.Join(state, "store.db"), clock.Fixed(at))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// The CLI read is audited with the OS user.
	evs, err := st.ListAudit(context.Background(), domain.ContactID(id))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(evs, func(e store.AuditEvent) bool {
		return e.Action == "contact.read" && e.Actor == osUser() && e.Detail["what"] == "cli contacts show"
	}) {
		t.Fatalf("contacts show is not audited with the OS user %s: %+v", osUser(), evs)
	}
	s, err := local.New(context.Background(), local.Options{Dir: state, OutboxDir: t.TempDir(), Store: st,
		Clock: flow.ClockFunc(clock.Fixed(at)), Log: newApp(io.Discard, io.Discard).log})
	if err != nil {
		t.Fatal(err)
	}
	la, err := api.LoadOrCreateLocalKey(state, clock.Fixed(at))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := la.Mint(api.TokenRequest{Authority: "hackney", User: "worker-1", Roles: []string{api.RoleWorker}, TTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.API("hackney", la.Authenticate))
	defer srv.Close()
	var body []byte
	for _, key := range []string{id, ls[0]["reference"].(string)} {
		req, _ := http.NewRequest("GET", srv.URL+"/v1/contacts/"+key, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", key, resp.StatusCode, body)
		}
		if string(body) != shown {
			t.Fatalf("contacts show differs from GET /v1/contacts/%s:\nCLI %s\nAPI %s", key, shown, body)
		}
	}
	var c map[string]any
	if err := json.Unmarshal(body, &c); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "reference", "authority", "channel", "receivedAt", "status", "householdId", "linkedTo",
		"child", "parents", "household", "referrer", "concerns", "immediateHarm", "consent", "route", "deadlines"} {
		if _, ok := c[k]; !ok {
			t.Errorf("contact lacks contract field %q", k)
		}
	}
	if len(c["linkedTo"].([]any)) != 2 {
		t.Errorf("a household child is linked to its two siblings: %v", c["linkedTo"])
	}

	listed, _, code := runAt(t, at, append([]string{"contacts", "list", "--authority", "hackney", "--status", "awaiting-rating"}, flags...)...)
	if code != 0 || len(lines(t, listed)) != 4 {
		t.Fatalf("contacts list: exit %d, %d lines", code, len(lines(t, listed)))
	}
	if _, _, code := runAt(t, at, append([]string{"contacts", "show"}, append(flags, "c_nothere")...)...); code != 1 {
		t.Fatalf("a malformed id is exit 1, got %d", code)
	}
}

// `make run` runs the demo: sample emails through the whole suite, a demo manager acting through the API.
func TestDemo_SamplesFlowEndToEnd(t *testing.T) {
	dir := t.TempDir()
	// The samples are built in: no --samples, and the test runs outside the repository root.
	out, errs := demoOnce(t, "hackney", dir)
	if n := strings.Count(out, "→ Notify [SUCCEEDED]"); n < 6 {
		t.Fatalf("only %d contacts reached the end (Notify, succeeded):\n%s", n, out)
	}
	// It leaves a few on the rating and decision trays, and says what to do next.
	for _, w := range []string{"left on the rating tray for you", "left on the decision tray for you", "what you can do next",
		"/v1/trays/rating", "export MASH_TOKEN=", "go run ./cmd/mash contacts show HAC-"} {
		if !strings.Contains(out, w) {
			t.Errorf("the demo does not print %q", w)
		}
	}
	if strings.Contains(out+errs, "Canarybird") {
		t.Fatal("the canary child's name was printed")
	}
	// The school a PPN names ambiguously waits for a pick; when it is due is said in local time (it was UTC).
	if !regexp.MustCompile(`on the encompass-unmatched tray \(due \w{3} \d+ \w{3} \d{4} \d{2}:\d{2} (GMT|BST)\)`).MatchString(out) {
		t.Errorf("the encompass-unmatched tray's due time is not local:\n%s", out)
	}
	// It says how to look at what it wrote, and that command sees it.
	want := "mash contacts list --authority hackney --state " + dir
	if !strings.Contains(out, want) {
		t.Fatalf("the demo does not print %q:\n%s", want, out)
	}
	listed, errs, code := runAt(t, time.Date(2027, 3, 10, 10, 0, 0, 0, time.UTC), "contacts", "list", "--authority", "hackney", "--state", dir)
	if code != 0 || len(lines(t, listed)) < 10 {
		t.Fatalf("contacts list of the demo's state: exit %d, %d lines: %s", code, len(lines(t, listed)), errs)
	}
	for status, want := range map[string]int{"awaiting-rating": demoLeaves, "awaiting-decision": demoLeaves} {
		listed, _, _ := runAt(t, time.Date(2027, 3, 10, 10, 0, 0, 0, time.UTC), "contacts", "list", "--authority", "hackney", "--state", dir, "--status", status)
		if n := len(lines(t, listed)); n != want {
			t.Errorf("%d contacts %s after the demo, want %d", n, status, want)
		}
	}
	// Issue #16: the demo screener recorded what intake could not derive (through POST /v1/contacts/{id}/census)
	// before the decisions: Annex A List 1 has a valid census code in every column of every row.
	if !strings.Contains(out, "the demo screener recorded the census codes") {
		t.Error("the demo does not say it recorded the census codes")
	}
	csvOut, errs, code := runAt(t, time.Date(2027, 3, 10, 10, 0, 0, 0, time.UTC), "report", "annex-a", "--authority", "hackney", "--state", dir)
	if code != 0 {
		t.Fatalf("report annex-a: exit %d: %s", code, errs)
	}
	rows, err := csv.NewReader(strings.NewReader(csvOut)).ReadAll()
	if err != nil || len(rows) < 11 {
		t.Fatalf("annex-a: %d rows, %v:\n%s", len(rows), err, csvOut)
	}
	for _, row := range rows[1:] {
		if !census.Valid(census.GenderCodes, row[1]) || !census.Valid(census.EthnicityCodes, row[2]) || !census.Valid(census.SourceCodes, row[6]) {
			t.Errorf("annex-a row without valid census codes: gender %q ethnicity %q source %q", row[1], row[2], row[6])
		}
	}
}

// The demo accounts for every contact it made: one that screening settled before any rating (Northamptonshire
// returns a referral made without consent that is not child protection, 002 §6b) says where it went, instead
// of vanishing from the demo's output.
func TestDemo_Northamptonshire_EveryContactAccountedFor(t *testing.T) {
	dir := t.TempDir()
	out, _ := demoOnce(t, "northamptonshire", dir)
	created := regexp.MustCompile(`(?m)^\S+\.eml +created +(NOR-\d{4}-\d{6})`).FindAllStringSubmatch(out, -1)
	if len(created) < 10 {
		t.Fatalf("only %d contacts created:\n%s", len(created), out)
	}
	returned := 0
	for _, m := range created {
		if !regexp.MustCompile(`(?m)^` + m[1] + ` +\S`).MatchString(out) {
			t.Errorf("%s is not accounted for after intake:\n%s", m[1], out)
		}
		if regexp.MustCompile(`(?m)^` + m[1] + ` +returned to the referrer at screening to seek the family's consent`).MatchString(out) {
			returned++
		}
	}
	if returned == 0 {
		t.Errorf("no contact said it was returned for consent:\n%s", out)
	}
}

// demoOnce runs `mash demo --once` for the authority on 10 March 2027 at 10:00 into the state folder dir and
// returns what it printed on stdout and stderr; a non-zero exit fails the test.
func demoOnce(t *testing.T, authority, dir string) (out, errs string) {
	t.Helper()
	out, errs, code := runAt(t, time.Date(2027, 3, 10, 10, 0, 0, 0, time.UTC), "demo", "--authority", authority, "--once",
		"--addr", "127.0.0.1:0", "--state", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, errs, out)
	}
	return out, errs
}
