package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/console"
	"github.com/safeguarding/mash/shared/flow"
	"github.com/safeguarding/mash/shared/local"
	"github.com/safeguarding/mash/shared/store/embedded"
)

// Issue 15 "sessions survive a restart": the console's session key is kept in the state folder (mode 0600),
// so a session made before `mash run` restarts is accepted after it; a key file others may read is refused.
func TestConsole_SessionSurvivesARestart(t *testing.T) {
	state := t.TempDir()
	at := time.Date(2027, 3, 10, 10, 0, 0, 0, time.UTC)
	// serve is one run of the server on the state folder: its own store handle, suite, key and console.
	serve := func() *httptest.Server {
		st, err := embedded.Open(filepath.Join(state, "store.db"), clock.Fixed(at))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		s, err := local.New(context.Background(), local.Options{Dir: state, OutboxDir: t.TempDir(), Store: st,
			Clock: flow.ClockFunc(clock.Fixed(at)), Log: newApp(io.Discard, io.Discard).log})
		if err != nil {
			t.Fatal(err)
		}
		a := newApp(io.Discard, io.Discard)
		a.now = clock.Fixed(at)
		la, err := api.LoadOrCreateLocalKey(state, a.now)
		if err != nil {
			t.Fatal(err)
		}
		h, err := a.consoleAndAPI(s, "hackney", la, localFlags{state: &state, demo: true, rate: api.RateLimit{PerSecond: 100, Burst: 100}}, false)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		return srv
	}
	first := serve()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	page := func(srv *httptest.Server, method, path string, form url.Values) (int, string) {
		t.Helper()
		var resp *http.Response
		var err error
		if method == http.MethodPost {
			resp, err = c.PostForm(srv.URL+path, form)
		} else {
			resp, err = c.Get(srv.URL + path)
		}
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	_, signin := page(first, http.MethodGet, "/signin", nil)
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(signin)
	if csrf == nil {
		t.Fatal("no csrf token on the sign-in page")
	}
	if st, body := page(first, http.MethodPost, "/signin", url.Values{"csrf": {csrf[1]}, "user": {"Maya Manager"}, "next": {"/"}}); st != http.StatusOK || !strings.Contains(body, "My work") {
		t.Fatalf("sign in before the restart: %d", st)
	}
	first.Close()

	fi, err := os.Stat(filepath.Join(state, console.SessionKeyFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the session key file: %v %v (want mode 600)", fi, err)
	}
	// The cookie jar is keyed by host, and the restarted server listens on another port: carry the cookies over.
	second := serve()
	u1, _ := url.Parse(first.URL)
	u2, _ := url.Parse(second.URL)
	jar.SetCookies(u2, jar.Cookies(u1))
	if st, body := page(second, http.MethodGet, "/", nil); st != http.StatusOK || !strings.Contains(body, "My work") || strings.Contains(body, `action="/signin"`) {
		t.Fatalf("after the restart the session is not accepted: %d", st)
	}

	// A key file others may read is refused, naming the file and the fix.
	if err := os.Chmod(filepath.Join(state, console.SessionKeyFile), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := console.LoadOrCreateSessionKey(state); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("a key others may read: %v", err)
	}
}
