package main

import (
	"bytes"
	"io"
	"mime/quotedprintable"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Issue 15 "Done when", on mash demo itself, over HTTP as a browser without JavaScript:
//   - / is HTML for a signed-in user, and an anonymous user is sent to sign in; pages send a CSP;
//   - a tray page lists a waiting contact's reference; /contacts/{id} shows the child; /search finds it;
//   - every link in the outbox points at this server and opens; a check request's link opens an answer
//     form without an account;
//   - /refer makes a contact and shows its reference.
func TestDemo_DoneWhen_Console(t *testing.T) {
	dir := t.TempDir()
	at := time.Date(2027, 3, 10, 10, 0, 0, 0, time.UTC)
	out, stop := serving(t, at, demoDone, "demo", "--authority", "hackney", "--addr", "127.0.0.1:0", "--state", dir, "--samples", "../../events/email",
		"--rate", "1000", "--burst", "1000") // one address opens every link of the outbox
	defer stop()
	m := regexp.MustCompile(`front door on (http://[0-9.:]+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no address printed:\n%s", out.String())
	}
	base := m[1]
	jar, _ := cookiejar.New(nil)
	noFollow := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(c *http.Client, path string) (*http.Response, string) {
		t.Helper()
		u := path
		if !strings.HasPrefix(u, "http") {
			u = base + path
		}
		resp, err := c.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`)

	resp, _ := get(noFollow, "/")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/signin") {
		t.Fatalf("anonymous /: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Fatalf("no CSP: %v", resp.Header)
	}
	_, body := get(noFollow, "/signin")
	tok := csrf.FindStringSubmatch(body)
	if tok == nil {
		t.Fatal("no CSRF token on the sign-in page")
	}
	resp, err := noFollow.PostForm(base+"/signin", url.Values{"csrf": {tok[1]}, "user": {"Maya Manager"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	resp, body = get(noFollow, "/")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("signed-in /: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	row := regexp.MustCompile(`(?s)data-tray="rating".*?href="/contacts/(c_[0-9a-f]+)">([A-Z]+-\d{4}-\d{6})</a>`).FindStringSubmatch(body)
	if row == nil {
		t.Fatalf("the rating tray lists no waiting contact:\n%s", body)
	}
	id, ref := row[1], row[2]
	if _, body = get(noFollow, "/contacts/"+id); !strings.Contains(body, `id="child-name"`) || !strings.Contains(body, ref) {
		t.Fatalf("/contacts/%s does not show the child", id)
	}
	if _, body = get(noFollow, "/search?q="+ref); !strings.Contains(body, "/contacts/"+id) {
		t.Fatalf("search %s does not find it", ref)
	}

	// Every link in the outbox: this server, and it opens (signed in; an answer link with no account).
	files, _ := filepath.Glob(filepath.Join(dir, "outbox", "*.eml"))
	link := regexp.MustCompile(`https?://[^\s"<>]+`)
	anonJar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	anon := &http.Client{Jar: anonJar}
	// A single-use link's page uses nothing (a mail scanner may fetch it); its button opens it.
	open := func(body string) string {
		action := regexp.MustCompile(`<form method="post" action="(/(?:answer|encompass)/open)"`).FindStringSubmatch(body)
		token := regexp.MustCompile(`name="token" value="([^"]+)"`).FindStringSubmatch(body)
		ct := csrf.FindStringSubmatch(body)
		if action == nil || token == nil || ct == nil {
			t.Fatalf("a link's page has no button that opens it:\n%s", body)
		}
		resp, err := anon.PostForm(base+action[1], url.Values{"csrf": {ct[1]}, "token": {token[1]}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	var links, forms, acks int
	seen := map[string]bool{}
	for _, f := range files {
		raw, _ := os.ReadFile(f)
		dec, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(raw)))
		if err != nil {
			dec = raw
		}
		for _, l := range link.FindAllString(string(dec), -1) {
			if seen[l] {
				continue
			}
			seen[l] = true
			links++
			if !strings.HasPrefix(l, base+"/") {
				t.Errorf("%s: link %s does not point at %s", filepath.Base(f), l, base)
				continue
			}
			c := noFollow
			if strings.Contains(l, "/answer/") || strings.Contains(l, "/encompass/") {
				c = anon
			}
			resp, body := get(c, l)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s: link %s: %d", filepath.Base(f), l, resp.StatusCode)
			}
			if c == anon {
				body = open(body)
			}
			if strings.Contains(l, "/answer/") && strings.Contains(body, `id="answer-submit"`) {
				forms++
			}
			if strings.Contains(l, "/encompass/") && strings.Contains(body, `id="ack-submit"`) {
				acks++
			}
		}
	}
	if links == 0 || forms == 0 || acks == 0 {
		t.Fatalf("%d links in the outbox, %d opened an answer form and %d an Encompass acknowledgement without an account", links, forms, acks)
	}
	if !regexp.MustCompile(`the DSL acknowledges it, without an account, at ` + regexp.QuoteMeta(base) + `/encompass/`).MatchString(out.String()) {
		t.Errorf("the demo does not print the DSL's acknowledgement link:\n%s", out.String())
	}

	// The referral form, without signing in.
	pub, _ := cookiejar.New(nil)
	pc := &http.Client{Jar: pub}
	_, body = get(pc, "/refer")
	tok = csrf.FindStringSubmatch(body)
	key := regexp.MustCompile(`name="formKey" value="([^"]+)"`).FindStringSubmatch(body)
	if tok == nil || key == nil {
		t.Fatal("the referral form has no CSRF token or form key")
	}
	resp, err = pc.PostForm(base+"/refer", url.Values{"csrf": {tok[1]}, "formKey": {key[1]}, "immediateHarm": {"no"},
		"children[0].givenName": {"Zebedee"}, "children[0].familyName": {"Canarybird"}, "children[0].dateOfBirth": {"02/04/2017"},
		"referrer.name": {"Ann Teacher"}, "referrer.email": {"ann@hillman.hackney.sch.uk"}, "concerns": {"bruising"},
		"consent.status": {"given"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	got := regexp.MustCompile(`class="console-reference">([A-Z]+-\d{4}-\d{6})<`).FindStringSubmatch(string(b))
	if resp.StatusCode != http.StatusOK || got == nil {
		t.Fatalf("/refer: %d, no reference shown", resp.StatusCode)
	}
	if _, body = get(noFollow, "/search?q="+got[1]); !strings.Contains(body, "Canarybird") {
		t.Fatalf("the referral %s is not a contact", got[1])
	}
}
