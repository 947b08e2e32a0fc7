package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// Issue 14 "Done when", on mash demo itself: the demo serves, and over HTTP
//   - no token and an unsigned token are 401s; the printed manager token is a 200;
//   - a token for another authority is a 403; a referrer deciding is a 403; a 20 MB body is a 413;
//   - a PPN's restrictedInformation is invisible to a contact officer (contact and list), readable at
//     /v1/contacts/{id}/restricted by a restricted-reader, and that read is in the timeline with the reader;
//   - the contact officer's list read is in the timeline with their name.
func TestDemo_DoneWhen_SignInRolesLimitsRestricted(t *testing.T) {
	dir := t.TempDir()
	at := time.Date(2027, 3, 10, 10, 0, 0, 0, time.UTC)
	out, stop := serving(t, at, demoDone, "demo", "--authority", "hackney", "--addr", "127.0.0.1:0", "--state", dir, "--samples", "../../events/email")
	defer stop()
	base := regexp.MustCompile(`front door on (http://[0-9.:]+)`).FindStringSubmatch(out.String())
	tok := regexp.MustCompile(`MASH_TOKEN=(\S+)`).FindStringSubmatch(out.String())
	if base == nil || tok == nil {
		t.Fatalf("no address or token printed:\n%s", out.String())
	}
	url, manager := base[1], tok[1]
	mint := func(args ...string) string {
		t.Helper()
		o, errs, code := runAt(t, at, append([]string{"token", "--state", dir}, args...)...)
		if code != 0 {
			t.Fatalf("mash token %v: %s", args, errs)
		}
		return strings.TrimSpace(o)
	}
	call := func(method, path, token string, body []byte) (int, string) {
		t.Helper()
		req, err := http.NewRequest(method, url+path, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	want := func(status int, method, path, token string, body []byte) string {
		t.Helper()
		got, b := call(method, path, token, body)
		if got != status {
			t.Fatalf("%s %s: %d, want %d: %.300s", method, path, got, status, b)
		}
		return b
	}

	want(401, "GET", "/v1/contacts", "", nil)
	parts := strings.Split(manager, ".")
	unsigned := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + "."
	want(401, "GET", "/v1/contacts", unsigned, nil)
	want(200, "GET", "/v1/contacts", manager, nil)
	want(403, "GET", "/v1/contacts", mint("--authority", "bexley", "--user", "Bo Manager", "--roles", "mash-manager"), nil)
	var decided struct {
		Contacts []struct {
			ID string `json:"id"`
		} `json:"contacts"`
	}
	if err := json.Unmarshal([]byte(want(200, "GET", "/v1/contacts?status=decided", manager, nil)), &decided); err != nil || len(decided.Contacts) == 0 {
		t.Fatalf("no decided contacts: %v", err)
	}
	referrer := mint("--authority", "hackney", "--user", "Rita Referrer", "--roles", "referrer")
	want(403, "POST", "/v1/contacts/"+decided.Contacts[0].ID+"/decision", referrer, []byte(`{"outcome":"nfa","rationale":"x"}`))
	want(413, "POST", "/v1/referrals", manager, bytes.Repeat([]byte("x"), 20<<20))

	ppn, err := os.ReadFile("../../events/api/ppn.json")
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if err := json.Unmarshal(ppn, &body); err != nil {
		t.Fatal(err)
	}
	const secret = "DEMO-RESTRICTED-CANARY the informant's name"
	body["restrictedInformation"] = map[string]any{"text": secret}
	ppn, _ = json.Marshal(body)
	police := mint("--authority", "hackney", "--user", "PC Frost", "--roles", "police")
	var created struct {
		Contacts []struct {
			ContactID string `json:"contactId"`
		} `json:"contacts"`
	}
	if err := json.Unmarshal([]byte(want(201, "POST", "/v1/ppn", police, ppn)), &created); err != nil || len(created.Contacts) == 0 {
		t.Fatalf("PPN: %v", err)
	}
	id := created.Contacts[0].ContactID
	officer := mint("--authority", "hackney", "--user", "Ada Officer", "--roles", "contact-officer")
	if b := want(200, "GET", "/v1/contacts/"+id, officer, nil); strings.Contains(b, "CANARY") || !strings.Contains(b, `"readableBy":"restricted-reader"`) {
		t.Fatalf("the contact officer's view of the contact: %s", b)
	}
	for _, st := range []string{"received", "screening", "awaiting-rating", "queued-ooh"} {
		if b := want(200, "GET", "/v1/contacts?status="+st, officer, nil); strings.Contains(b, "CANARY") {
			t.Fatalf("the %s list shows restricted information", st)
		}
	}
	want(403, "GET", "/v1/contacts/"+id+"/restricted", officer, nil)
	vetted := mint("--authority", "hackney", "--user", "Pat Vetted", "--roles", "restricted-reader")
	if b := want(200, "GET", "/v1/contacts/"+id+"/restricted", vetted, nil); !strings.Contains(b, secret) {
		t.Fatalf("the restricted reader does not see it: %s", b)
	}
	tl := want(200, "GET", "/v1/contacts/"+id+"/timeline", manager, nil)
	if strings.Contains(tl, "CANARY") {
		t.Fatalf("the timeline shows restricted information: %s", tl)
	}
	for _, w := range []string{`"actor":"Pat Vetted","action":"restricted.read"`, `"actor":"Ada Officer","action":"contact.read"`} {
		if !strings.Contains(tl, w) {
			t.Errorf("timeline lacks %s: %s", w, tl)
		}
	}
	if !regexp.MustCompile(`"actor":"Ada Officer","action":"contact.read"[^}]*"what":"list"`).MatchString(tl) {
		t.Errorf("the contact officer's list read is not in the timeline: %s", tl)
	}
}

// demoDone is mash demo's line once it has put its samples through.
var demoDone = regexp.MustCompile(`mash demo: outbox in`)

// syncBuf is stdout written by the demo's goroutines and read by the test.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
