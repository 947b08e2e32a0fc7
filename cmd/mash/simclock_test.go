package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/quotedprintable"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func serving(t *testing.T, realNow time.Time, ready *regexp.Regexp, args ...string) (*syncBuf, func() string) {
	t.Helper()
	out, errb := &syncBuf{}, &syncBuf{}
	a := newApp(out, errb)
	a.now = func() time.Time { return realNow }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- a.run(ctx, args) }()
	deadline := time.After(60 * time.Second)
	for !ready.MatchString(out.String()) {
		select {
		case code := <-done:
			cancel()
			t.Fatalf("%v exited %d before it was ready:\n%s\n%s", args, code, out, errb)
		case <-deadline:
			cancel()
			t.Fatalf("%v not ready after 60 s:\n%s\n%s", args, out, errb)
		case <-time.After(20 * time.Millisecond):
		}
	}
	return out, func() string {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("%v: exit %d: %s", args, code, errb)
		}
		return errb.String()
	}
}

// apiCall calls the served API with a bearer token.
func apiCall(t *testing.T, method, url, token string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

var (
	readyLine = regexp.MustCompile(`API on (http://\S+)/v1/contacts`)
	tokenLine = regexp.MustCompile(`export MASH_TOKEN=(\S+)`)
)

// Issue #17 "Done when": `mash demo --start-at 2027-12-24T16:59:00Z` serves with the clock at that instant,
// and a referral posted then carries deadlines computed from it. Hackney (seed 001): open until 17:00 on a
// Friday, so a referral at 16:59 on Christmas Eve 2027 is the MASH's; its screening deadline (§4: 24 hours)
// is 16:59 on Christmas Day. The contact is marked simulated.
func TestDemo_StartAt_ChristmasEve1659(t *testing.T) {
	dir := t.TempDir()
	real := time.Date(2026, 11, 29, 20, 0, 0, 0, time.UTC)
	out, stop := serving(t, real, readyLine, "demo", "--authority", "hackney", "--addr", "127.0.0.1:0", "--state", dir,
		"--start-at", "2027-12-24T16:59:00Z")
	defer stop()
	base := readyLine.FindStringSubmatch(out.String())[1]
	tok := tokenLine.FindStringSubmatch(out.String())
	if tok == nil {
		t.Fatalf("the demo prints no token:\n%s", out)
	}
	if !strings.Contains(out.String(), "Fri 24 Dec 2027 16:59 GMT") {
		t.Errorf("the demo does not say its clock's start:\n%s", out)
	}
	code, res := apiCall(t, "POST", base+"/v1/referrals", tok[1], map[string]any{
		"children": []any{map[string]any{"givenName": "Ada", "familyName": "Example", "dateOfBirth": "2019-02-14"}},
		"referrer": map[string]any{"name": "A Teacher", "email": "dsl@school.example", "professional": true},
		"concerns": "bruising noticed on arrival", "consent": map[string]any{"status": "given"}})
	if code != 201 {
		t.Fatalf("referral: %d %v", code, res)
	}
	ref := res["contacts"].([]any)[0].(map[string]any)["reference"].(string)
	code, c := apiCall(t, "GET", base+"/v1/contacts/"+ref, tok[1], nil)
	if code != 200 {
		t.Fatalf("GET %s: %d %v", ref, code, c)
	}
	if c["receivedAt"] != "2027-12-24T16:59:00Z" || c["route"] != "mash" || c["simulated"] != true {
		t.Fatalf("receivedAt %v route %v simulated %v", c["receivedAt"], c["route"], c["simulated"])
	}
	deadlines, _ := c["deadlines"].(map[string]any)
	if deadlines["screening.csc"] != "2027-12-25T16:59:00Z" {
		t.Fatalf("deadlines %v, want screening.csc 2027-12-25T16:59:00Z", deadlines)
	}
	// While serving, the demo prints one line per contact transition: reference, from → to, who.
	want := regexp.MustCompile(regexp.QuoteMeta(ref) + ` +new → received +by \S+`)
	for i := 0; !want.MatchString(out.String()); i++ {
		if i == 100 {
			t.Fatalf("no transition line for %s:\n%s", ref, out)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !regexp.MustCompile(regexp.QuoteMeta(ref) + ` +\S+ → awaiting-rating +by \S+`).MatchString(out.String()) {
		t.Errorf("no transition to awaiting-rating for %s:\n%s", ref, out)
	}
}

// A state folder keeps its clock: what is made in a simulated folder later (here `mash ooh add`) is made on
// its simulated clock and marked simulated; a folder holding real data refuses a simulated clock.
func TestStateClock_SimulatedAndRealNeverMix(t *testing.T) {
	real := time.Date(2026, 11, 29, 20, 0, 0, 0, time.UTC)
	sim := t.TempDir()
	if _, errs, code := runAt(t, real, "demo", "--authority", "hackney", "--once", "--addr", "127.0.0.1:0", "--state", sim,
		"--start-at", "2027-12-24T16:59:00Z", "--speed", "60"); code != 0 {
		t.Fatalf("demo: exit %d %s", code, errs)
	}
	// Ten real seconds later at ×60: ten simulated minutes after the start.
	out, errs, code := runAt(t, real.Add(10*time.Second), "ooh", "add", "--authority", "hackney", "--state", sim, "--by", "edt-1",
		"--given", "Ada", "--family", "Example", "--dob", "14/02/2019", "--concerns", "a neighbour heard shouting", "--caller", "A Neighbour", "--phone", "020 7946 0001")
	if code != 0 {
		t.Fatalf("ooh add: exit %d %s", code, errs)
	}
	if !strings.Contains(errs, "simulated clock") {
		t.Errorf("a command on a simulated folder does not say so: %q", errs)
	}
	ref := lines(t, out)[0]["reference"].(string)
	shown, errs, code := runAt(t, real.Add(10*time.Second), "contacts", "show", ref, "--state", sim)
	if code != 0 {
		t.Fatalf("show: exit %d %s", code, errs)
	}
	c := decode(t, shown)
	if c["receivedAt"] != "2027-12-24T17:09:00Z" || c["simulated"] != true {
		t.Fatalf("receivedAt %v simulated %v, want 2027-12-24T17:09:00Z and true", c["receivedAt"], c["simulated"])
	}

	realDir := t.TempDir()
	if _, errs, code := runAt(t, real, "ingest", "--authority", "hackney", "--state", realDir, "../../events/email/prevent-concern.eml"); code != 0 {
		t.Fatalf("real ingest: exit %d %s", code, errs)
	}
	_, errs, code = runAt(t, real, "run", "--authority", "hackney", "--addr", "127.0.0.1:0", "--state", realDir, "--start-at", "2027-12-24T16:59:00Z")
	if code != 1 || !strings.Contains(errs, "real clock") {
		t.Fatalf("run --start-at on real data: exit %d %s", code, errs)
	}
	for _, args := range [][]string{
		{"run", "--authority", "hackney", "--speed", "2"},
		{"run", "--authority", "hackney", "--start-at", "tomorrow"},
		{"demo", "--authority", "hackney", "--start-at", "2027-12-24T16:59:00Z", "--speed", "0"},
	} {
		if _, errs, code := runAt(t, real, append(args, "--state", t.TempDir())...); code != 1 || !strings.Contains(errs, "usage:") {
			t.Errorf("%v: exit %d %s", args, code, errs)
		}
	}
}

// The links in what a command that does not serve sends (here the EDT's "act now" email from `mash ooh add`)
// go to the address `mash run` or `mash demo` served the state folder on, not to a default the server never
// listened on (http://localhost:8080 while the demo served 127.0.0.1:18320: the EDT's link went nowhere).
func TestOOHAdd_LinksGoToTheAddressTheFolderIsServedOn(t *testing.T) {
	real := time.Date(2026, 11, 29, 20, 0, 0, 0, time.UTC)
	sim := t.TempDir()
	out, errs, code := runAt(t, real, "demo", "--authority", "hackney", "--once", "--addr", "127.0.0.1:0", "--state", sim,
		"--start-at", "2027-12-24T16:59:00Z", "--speed", "60")
	if code != 0 {
		t.Fatalf("demo: exit %d %s", code, errs)
	}
	served := regexp.MustCompile(`front door on (http://\S+) `).FindStringSubmatch(out)
	if served == nil {
		t.Fatalf("the demo does not say where it serves:\n%s", out)
	}
	// 17:09 on Christmas Eve, a Friday: the MASH is closed, and immediate harm goes to the EDT now.
	out, errs, code = runAt(t, real.Add(10*time.Second), "ooh", "add", "--authority", "hackney", "--state", sim, "--by", "edt-1",
		"--given", "Ada", "--family", "Example", "--dob", "14/02/2019", "--concerns", "bruise to the face", "--caller", "PC Example",
		"--immediate-harm")
	if code != 0 {
		t.Fatalf("ooh add: exit %d %s", code, errs)
	}
	line := lines(t, out)[0]
	id := line["contactId"].(string)
	// The EDT worker is told where the contact went and what happens next.
	if line["route"] != "edt-now" || !strings.Contains(fmt.Sprint(line["next"]), "the EDT acts now") {
		t.Errorf("ooh add does not say the EDT acts now: %v", line)
	}
	files, _ := filepath.Glob(filepath.Join(sim, "outbox", "*"+id+"_edt-now.eml"))
	if len(files) != 1 {
		t.Fatalf("%d edt-now messages for %s", len(files), id)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(b)))
	if want := served[1] + "/contacts/" + id; !strings.Contains(string(body), want) {
		t.Errorf("the EDT's link is not %s:\n%s", want, body)
	}
}

// The EDT records a phone call at night from the command line: what is missing is named by the flags the
// worker types (--given, --family, --dob, --concerns), not the API's field paths (child.givenName …).
func TestOOHAdd_MissingDetails_NamedByTheirFlags(t *testing.T) {
	real := time.Date(2026, 11, 29, 20, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	_, errs, code := runAt(t, real, "ooh", "add", "--authority", "hackney", "--state", dir, "--by", "edt-1", "--caller", "A Neighbour")
	if code != 1 {
		t.Fatalf("exit %d, want 1: %s", code, errs)
	}
	for _, flag := range []string{"--given", "--family", "--dob", "--concerns"} {
		if !strings.Contains(errs, flag+": is required") {
			t.Errorf("the error does not name %s:\n%s", flag, errs)
		}
	}
	if strings.Contains(errs, "child.givenName") {
		t.Errorf("the error names the API's field, not the flag:\n%s", errs)
	}
	if !strings.Contains(errs, "record it as not known") {
		t.Errorf("the error does not say a detail the caller does not know can be recorded as not known:\n%s", errs)
	}
	// A neighbour who knows only the child's first name: the call is recorded, not refused, and needs completion.
	out, errs, code := runAt(t, real, "ooh", "add", "--authority", "hackney", "--state", dir, "--by", "edt-1", "--caller", "A Neighbour",
		"--given", "Bea", "--family", "unknown", "--dob", "Not known", "--concerns", "a small girl crying in the garden at 22:00", "--immediate-harm")
	if code != 0 {
		t.Fatalf("ooh add with details not known: exit %d %s", code, errs)
	}
	line := lines(t, out)[0]
	if line["route"] != "edt-now" || fmt.Sprint(line["missing"]) != "[child.familyName child.dateOfBirth]" {
		t.Errorf("ooh add with details not known: %v", line)
	}
	shown, errs, code := runAt(t, real, "contacts", "show", line["reference"].(string), "--state", dir)
	if code != 0 {
		t.Fatalf("contacts show: exit %d %s", code, errs)
	}
	c := decode(t, strings.TrimSpace(shown))
	child, _ := c["child"].(map[string]any)
	if flags, _ := c["flags"].(map[string]any); flags["needsCompletion"] != true || child["familyName"] != "" || child["dateOfBirth"] != "" {
		t.Errorf("the contact is not marked needsCompletion, or keeps the word for not known as a value:\n%s", shown)
	}
}

// The EDT's caller knows the child's age, not the date of birth ("Kai, about 6"): --age records it as told and
// stands for a date of birth not known (listed missing, but not needing completion: an age as told is enough,
// domain.Child.DetailsStillNeeded), as the console's form and Record a call do; an age out of range is named
// by its flag.
func TestOOHAdd_AgeAsToldStandsForTheDateOfBirth(t *testing.T) {
	real := time.Date(2026, 11, 29, 20, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	args := []string{"ooh", "add", "--authority", "hackney", "--state", dir, "--by", "edt-1", "--caller", "PC 4411 Jones",
		"--given", "Kai", "--family", "Brennan", "--concerns", "DA incident at the home; Kai present"}
	if _, errs, code := runAt(t, real, append(args, "--age", "40")...); code != 1 || !strings.Contains(errs, "--age 40") {
		t.Fatalf("an age out of range: exit %d %s", code, errs)
	}
	out, errs, code := runAt(t, real, append(args, "--age", "6")...)
	if code != 0 {
		t.Fatalf("ooh add --age: exit %d %s", code, errs)
	}
	line := lines(t, out)[0]
	if fmt.Sprint(line["missing"]) != "[child.dateOfBirth]" {
		t.Errorf("ooh add --age: %v", line)
	}
	shown, errs, code := runAt(t, real, "contacts", "show", line["reference"].(string), "--state", dir)
	if code != 0 {
		t.Fatalf("contacts show: exit %d %s", code, errs)
	}
	c := decode(t, strings.TrimSpace(shown))
	child, _ := c["child"].(map[string]any)
	if flags, _ := c["flags"].(map[string]any); flags["needsCompletion"] == true || fmt.Sprint(child["age"]) != "6" || child["dateOfBirth"] != "" {
		t.Errorf("the contact does not keep the age as told with the date of birth not known:\n%s", shown)
	}
}

// A contact asked for by a reference the state folder does not hold is named in the error.
func TestContactsShow_UnknownReference_Named(t *testing.T) {
	real := time.Date(2026, 11, 29, 20, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	if _, errs, code := runAt(t, real, "ingest", "--authority", "hackney", "--state", dir, "../../events/email/prevent-concern.eml"); code != 0 {
		t.Fatalf("ingest: exit %d %s", code, errs)
	}
	_, errs, code := runAt(t, real, "contacts", "show", "HAC-2026-999999", "--state", dir)
	if code == 0 || !strings.Contains(errs, "contact HAC-2026-999999 not found") {
		t.Fatalf("exit %d: %s", code, errs)
	}
}
