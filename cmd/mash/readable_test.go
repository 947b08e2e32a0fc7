package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/embedded"
)

// cliReads reports whether each contact has a contact.read event of the OS user for what.
func cliReads(t *testing.T, state string, at time.Time, ids []string, what string) {
	t.Helper()
	st, err := embedded.Open(filepath.Join(state, "store.db"), clock.Fixed(at))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, id := range ids {
		evs, err := st.ListAudit(context.Background(), domain.ContactID(id))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(evs, func(e store.AuditEvent) bool {
			return e.Action == "contact.read" && e.Actor == osUser() && strings.HasPrefix(e.Detail["what"], what)
		}) {
			t.Errorf("%s: the read is not audited (%q by %s)", id, what, osUser())
		}
	}
}

// The morning team reads the out-of-hours handover at opening (Portsmouth §8, Hackney §9): `mash ooh morning`
// prints, by default, each contact's reference and child's name, whether the EDT acted at once (immediate
// harm) or it was queued, when it arrived and must be reviewed by, and what the EDT did overnight; --json keeps
// the JSON lines scripts read (now with childName). Every contact listed is audited as read by the OS user,
// and nothing of the child goes to stderr. Before, it printed JSON lines only, without any name.
func TestOOHMorning_TheHandoverReadsAsText_NamesTheChild_Audited(t *testing.T) {
	night := time.Date(2026, 11, 29, 20, 0, 0, 0, time.UTC) // a Sunday evening: the MASH is closed
	state := t.TempDir()
	add := func(given, family string, harm bool) string {
		args := []string{"ooh", "add", "--authority", "hackney", "--state", state, "--by", "Eve EDT", "--given", given, "--family", family,
			"--dob", "14/02/2019", "--concerns", "Police called to the address; shouting heard", "--caller", "PC Example"}
		if harm {
			args = append(args, "--immediate-harm")
		}
		out, errs, code := runAt(t, night, args...)
		if code != 0 {
			t.Fatalf("ooh add: exit %d %s", code, errs)
		}
		return lines(t, out)[0]["reference"].(string)
	}
	acted, queued := add("Zebedee", "Canarybird", true), add("Ada", "Example", false)
	if _, errs, code := runAt(t, night.Add(time.Hour), "ooh", "action", "--state", state, "--by", "Eve EDT",
		"--action", "Visited with police at 21:40; child safe with grandmother", acted); code != 0 {
		t.Fatalf("ooh action: exit %d %s", code, errs)
	}
	morning := time.Date(2026, 11, 30, 9, 5, 0, 0, time.UTC) // Monday, the MASH open
	out, errs, code := runAt(t, morning, "ooh", "morning", "--authority", "hackney", "--state", state)
	if code != 0 {
		t.Fatalf("ooh morning: exit %d %s", code, errs)
	}
	blocks := strings.Split(out, "\n\n")
	if len(blocks) != 3 || !strings.Contains(blocks[0], "2 contacts that arrived out of hours") {
		t.Fatalf("want a heading and two contacts:\n%s", out)
	}
	for _, want := range []string{acted + "  Zebedee Canarybird  (immediate harm: the EDT acted at once)", "received   Sun 29 Nov 2026 20:00 GMT",
		"review by  Mon 30 Nov 2026 17:00 GMT", "overnight  Visited with police at 21:40; child safe with grandmother"} {
		if !strings.Contains(blocks[1], want) {
			t.Errorf("the EDT's act-now contact first, with %q:\n%s", want, blocks[1])
		}
	}
	for _, want := range []string{queued + "  Ada Example  (queued for the MASH's review)", "overnight  nothing recorded by the EDT"} {
		if !strings.Contains(blocks[2], want) {
			t.Errorf("the queued contact, with %q:\n%s", want, blocks[2])
		}
	}
	if strings.Contains(errs, "Canarybird") || strings.Contains(errs, "Example") {
		t.Errorf("a child's name went to stderr: %s", errs)
	}
	js, errs, code := runAt(t, morning, "ooh", "morning", "--authority", "hackney", "--state", state, "--json")
	if code != 0 {
		t.Fatalf("ooh morning --json: exit %d %s", code, errs)
	}
	ls := lines(t, js)
	if len(ls) != 2 || ls[0]["reference"] != acted || ls[0]["route"] != "edt-now" || ls[0]["childName"] != "Zebedee Canarybird" ||
		ls[1]["reference"] != queued || ls[1]["route"] != "ooh-queue" {
		t.Fatalf("--json: %s", js)
	}
	cliReads(t, state, morning, []string{ls[0]["contactId"].(string), ls[1]["contactId"].(string)}, "cli ooh morning")
	if strings.Contains(out, "details") {
		t.Errorf("contacts whose children are known are said to need details:\n%s", out)
	}
}

// Hackney §9: the handover says which contacts still need the child's details completed (the EDT's caller did
// not know them), and what is not known; --json carries needsCompletion and missing.
func TestHackney_9_OOHMorning_SaysWhichContactsNeedTheirDetailsCompleted(t *testing.T) {
	night := time.Date(2026, 11, 29, 20, 0, 0, 0, time.UTC) // a Sunday evening: the MASH is closed
	state := t.TempDir()
	out, errs, code := runAt(t, night, "ooh", "add", "--authority", "hackney", "--state", state, "--by", "Eve EDT", "--given", "Bea",
		"--family", "Night", "--dob", "not known", "--concerns", "A neighbour heard a child crying", "--caller", "A neighbour")
	if code != 0 {
		t.Fatalf("ooh add: exit %d %s", code, errs)
	}
	ref := lines(t, out)[0]["reference"].(string)
	morning := time.Date(2026, 11, 30, 9, 5, 0, 0, time.UTC)
	out, errs, code = runAt(t, morning, "ooh", "morning", "--authority", "hackney", "--state", state)
	if code != 0 || !strings.Contains(out, ref+"  Bea Night") || !strings.Contains(out, "  details    the child's details are to be completed (not known: the child's date of birth)") {
		t.Errorf("ooh morning: exit %d %s\n%s", code, errs, out)
	}
	js, _, _ := runAt(t, morning, "ooh", "morning", "--authority", "hackney", "--state", state, "--json")
	if l := lines(t, js); len(l) != 1 || l[0]["needsCompletion"] != true || fmt.Sprint(l[0]["missing"]) != "[child.dateOfBirth]" {
		t.Errorf("--json: %s", js)
	}
}

// The daily MASH meeting (Hackney §6: every weekday morning) reads its agenda from `mash meeting`: by default a
// table of reference, child's name, rating, status, when due and why, in words; --json keeps the agenda as
// GET /v1/meeting returns it (ids, no names). Every contact on it is audited as read.
func TestHackney_6_MeetingAgenda_ATableByDefault_JSONForScripts(t *testing.T) {
	dir := t.TempDir()
	demoOnce(t, "hackney", dir)
	at := time.Date(2027, 3, 10, 10, 0, 0, 0, time.UTC)
	js, errs, code := runAt(t, at, "meeting", "--authority", "hackney", "--state", dir, "--json")
	if code != 0 {
		t.Fatalf("meeting --json: exit %d %s", code, errs)
	}
	var ag struct {
		Items []struct {
			ContactID, Reference, Rating string
		}
	}
	if err := json.Unmarshal([]byte(js), &ag); err != nil || len(ag.Items) == 0 {
		t.Fatalf("--json is not the agenda with items: %v\n%s", err, js)
	}
	out, errs, code := runAt(t, at, "meeting", "--authority", "hackney", "--state", dir)
	if code != 0 {
		t.Fatalf("meeting: exit %d %s", code, errs)
	}
	if !regexp.MustCompile(`London Borough of Hackney: daily MASH meeting, \w{3} \d+ \w{3} \d{4} 09:30 GMT`).MatchString(out) ||
		!strings.Contains(out, "REFERENCE") || !strings.Contains(out, "CHILD") {
		t.Fatalf("no heading and table:\n%s", out)
	}
	var ids []string
	for _, it := range ag.Items {
		shown, errs, code := runAt(t, at, "contacts", "show", it.ContactID, "--state", dir)
		if code != 0 {
			t.Fatalf("contacts show: %d %s", code, errs)
		}
		c := decode(t, shown)["child"].(map[string]any)
		name := strings.TrimSpace(c["givenName"].(string) + " " + c["familyName"].(string))
		if name == "" {
			// a contact whose child is not yet named (which of the demo's contacts reach the meeting unnamed
			// depends on the order its mail is read in): the row says so in words
			name = "(name not yet known)"
		} else if strings.Contains(js, name) {
			t.Errorf("--json carries the child's name %q", name)
		}
		row := regexp.MustCompile(regexp.QuoteMeta(it.Reference) + `  +` + regexp.QuoteMeta(name) + `  +` + it.Rating +
			`  +.*Red or Amber, (awaiting a decision|waiting on partner checks: \d+ of \d+ answered; next due: [a-z ()]+, \w{3} \d+ \w{3} \d{4} \d\d:\d\d GMT)`)
		if !row.MatchString(out) {
			t.Errorf("no row for %s naming %s, rated %s, why in words:\n%s", it.Reference, name, it.Rating, out)
		}
		ids = append(ids, it.ContactID)
	}
	cliReads(t, dir, at, ids, "cli meeting agenda")
	// The demo leaves an Amber contact on its partner checks: the agenda says it waits on them, not on a decision.
	if !regexp.MustCompile(`amber  +checks  +.*Red or Amber, waiting on partner checks: 0 of \d+ answered; next due: `).MatchString(out) {
		t.Errorf("the contact waiting on its partner checks is not said to wait on them:\n%s", out)
	}
	// A date with no meeting: the reason in plain words, never the error's code.
	_, errs, code = runAt(t, at, "meeting", "--authority", "hackney", "--state", dir, "--date", "2027-03-13")
	if code != 1 || !strings.Contains(errs, "\nmash meeting: no meeting on 2027-03-13 (a Saturday): ") || strings.Contains(errs, "not_found") {
		t.Errorf("a Saturday: exit %d, stderr %q; want exit 1 and the reason in words", code, errs)
	}
	_, errs, code = runAt(t, at, "meeting", "--authority", "hackney", "--state", dir, "--date", "13/03/2027")
	if code != 1 || !strings.Contains(errs, "\nmash meeting: date \"13/03/2027\" is not a date") || strings.Contains(errs, "invalid") {
		t.Errorf("a date not YYYY-MM-DD: exit %d, stderr %q; want exit 1 naming date in words", code, errs)
	}
}
