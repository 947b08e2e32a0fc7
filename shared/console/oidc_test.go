package console_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/console"
	"github.com/safeguarding/mash/shared/testenv/oidctest"
)

const clientID = "console-client-1"

// oidcRig is the rig's console signing in through a local OIDC issuer shaped like the user pool's hosted UI
// (no local or demo sign-in, as on AWS).
func oidcRig(t *testing.T) (*rig, *oidctest.Issuer) {
	t.Helper()
	r := newRig(t)
	is := oidctest.Start(t, clientID, r.clock.Now)
	is.User = oidctest.User{Sub: "11111111-aaaa", Email: "maya.manager@hackney.gov.uk", Groups: []string{api.RoleManager},
		Authority: string(authority)}
	r.console.OIDC = &console.OIDC{Issuer: is.URL, ClientID: clientID, RedirectURL: r.srv.URL + "/signed-in",
		LogoutURL: is.URL + "/logout", SignedOutURL: r.srv.URL + "/signed-out", HTTPClient: is.Client()}
	r.console.Local, r.console.DemoUsers = nil, nil
	r.console.Auth = r.console.OIDC.Bearer
	return r, is
}

// oidcBrowser follows redirects across the console and the issuer, keeping each site's cookies.
func oidcBrowser(r *rig) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{r: r, c: &http.Client{Jar: jar}}
}

// callback starts a sign-in and stops at the provider's redirect back: the /signed-in URL with code and state.
func callback(t *testing.T, b *browser) *url.URL {
	t.Helper()
	var back *url.URL
	b.c.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
		if req.URL.Path == "/signed-in" {
			back = req.URL
			return http.ErrUseLastResponse
		}
		return nil
	}
	resp, err := b.c.Get(b.r.srv.URL + "/signin/start?next=/search")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	b.c.CheckRedirect = nil
	if back == nil {
		t.Fatalf("the sign-in did not come back to /signed-in: %d %s", resp.StatusCode, resp.Request.URL)
	}
	return back
}

// Issue 15 "Sign in on AWS: Cognito hosted UI, OIDC code flow with PKCE": the sign-in page's button goes to
// the provider, which comes back to /signed-in; the session that follows has the access token's groups as
// roles and custom:authority as the authority, and lands on the page asked for.
func TestOIDC_SignsInThroughTheProvider(t *testing.T) {
	r, is := oidcRig(t)
	b := oidcBrowser(r)
	st, body := b.get("/")
	if st != http.StatusOK || !strings.Contains(body, `href="/signin/start?next=%2f"`) || strings.Contains(body, `name="token"`) {
		t.Fatalf("anonymous: the sign-in page with the provider's button and no token box: %d %s", st, regexpText(body, "govuk-body"))
	}
	// The browser is sent to the authorization endpoint with PKCE (S256), a state and a nonce.
	b.c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := b.c.Get(r.srv.URL + "/signin/start?next=/search?q=x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	q := loc.Query()
	if resp.StatusCode != http.StatusSeeOther || loc.Path != "/oauth2/authorize" || q.Get("code_challenge_method") != "S256" ||
		q.Get("code_challenge") == "" || q.Get("state") == "" || q.Get("nonce") == "" || q.Get("client_id") != clientID ||
		q.Get("redirect_uri") != r.srv.URL+"/signed-in" || q.Get("scope") != "openid email mash/api" {
		t.Fatalf("start: %d %s", resp.StatusCode, loc)
	}
	for _, c := range resp.Cookies() {
		if c.Name == "mash_oidc" && (!c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.MaxAge != 600 ||
			strings.Contains(c.Value, q.Get("state"))) {
			t.Fatalf("the flow cookie must be HttpOnly, Lax, 10 minutes and sealed: %+v", c)
		}
	}
	b.c.CheckRedirect = nil
	resp, err = b.c.Get(loc.String())
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/search" || !strings.Contains(string(page), "maya.manager@hackney.gov.uk") {
		t.Fatalf("after the provider: %d at %s", resp.StatusCode, resp.Request.URL)
	}
	// The session works without the provider: a manager's page.
	if st, _ := b.get("/quarantine"); st != http.StatusOK {
		t.Fatalf("a manager's page in the new session: %d", st)
	}
	// Signing out ends the session and the hosted UI's, coming back to /signed-out.
	b.c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err = b.c.PostForm(r.srv.URL+"/signout", url.Values{"csrf": {b.csrf}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	out, _ := url.Parse(resp.Header.Get("Location"))
	if out.Path != "/logout" || out.Query().Get("client_id") != clientID || out.Query().Get("logout_uri") != r.srv.URL+"/signed-out" {
		t.Fatalf("sign out goes to the provider's logout: %s", out)
	}
	if st, _ := b.get("/quarantine"); st != http.StatusSeeOther {
		t.Fatalf("after signing out: %d, want the sign-in redirect", st)
	}
	if st, body := b.get("/signed-out"); st != http.StatusOK || !strings.Contains(body, "You have signed out") {
		t.Fatalf("/signed-out: %d", st)
	}

	// Pages accept the provider's access token as a bearer token (for tools), never its ID token.
	for tok, want := range map[string]int{is.AccessToken(): http.StatusOK, is.IDToken(): http.StatusSeeOther} {
		req, _ := http.NewRequest(http.MethodGet, r.srv.URL+"/", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("bearer token: %d, want %d", resp.StatusCode, want)
		}
	}
}

// Every way a sign-in can be wrong is refused with a page that says what to do, sets no session and shows no
// internal error text.
func TestOIDC_RefusesWhatDoesNotCheckOut(t *testing.T) {
	r, is := oidcRig(t)
	internal := []string{"oidc:", "oauth2:", "invalid_grant", "expected", "nonce does not", "token is expired", "crypto/", "verify"}
	cases := []struct {
		name  string
		setup func(*oidctest.Issuer)
		// back is the URL the browser opens for /signed-in (default: the provider's own redirect).
		back func(t *testing.T, b *browser, u *url.URL) string
		want string
	}{
		{name: "wrong state", back: func(_ *testing.T, _ *browser, u *url.URL) string {
			q := u.Query()
			q.Set("state", "forged-state")
			u.RawQuery = q.Encode()
			return u.String()
		}, want: "did not start from this browser"},
		{name: "no flow cookie (another browser)", back: func(t *testing.T, _ *browser, u *url.URL) string {
			return u.String() + "#other"
		}, want: "expired or was started in another browser"},
		{name: "flow older than 10 minutes", back: func(_ *testing.T, _ *browser, u *url.URL) string {
			r.clock.Set(r.clock.Now().Add(11 * time.Minute))
			return u.String()
		}, want: "expired or was started in another browser"},
		{name: "wrong nonce", setup: func(is *oidctest.Issuer) { is.WrongNonce = true }, want: "was not for this sign-in"},
		{name: "bad PKCE verifier (a code issued to another browser's challenge)", back: func(t *testing.T, _ *browser, u *url.URL) string {
			stolen := callback(t, oidcBrowser(r)) // another browser's flow: its code answers its own challenge
			q := u.Query()
			q.Set("code", stolen.Query().Get("code"))
			u.RawQuery = q.Encode()
			return u.String()
		}, want: "did not accept this sign-in"},
		{name: "expired token", setup: func(is *oidctest.Issuer) { is.Expired = true }, want: "could not be verified"},
		{name: "token from another issuer", setup: func(is *oidctest.Issuer) { is.OtherIssuer = true }, want: "could not be verified"},
		{name: "token signed by a key the issuer does not publish", setup: func(is *oidctest.Issuer) { is.UnknownKey = true }, want: "could not be verified"},
		{name: "ID and access tokens of different users", setup: func(is *oidctest.Issuer) { is.OtherUserAccess = true }, want: "could not be verified"},
		{name: "user without a group", setup: func(is *oidctest.Issuer) { is.User.Groups = nil }, want: "has no role in this MASH"},
		{name: "user of another council", setup: func(is *oidctest.Issuer) { is.User.Authority = "another-council" }, want: "not set up for this council"},
		{name: "user without an authority", setup: func(is *oidctest.Issuer) { is.User.Authority = "" }, want: "could not be verified"},
		{name: "cancelled at the provider", back: func(_ *testing.T, _ *browser, u *url.URL) string {
			q := u.Query()
			q.Del("code")
			q.Set("error", "access_denied")
			u.RawQuery = q.Encode()
			return u.String()
		}, want: "did not sign you in"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			good := is.User
			defer func() {
				is.User = good
				is.WrongNonce, is.Expired, is.OtherIssuer, is.UnknownKey, is.OtherUserAccess = false, false, false, false, false
			}()
			if tc.setup != nil {
				tc.setup(is)
			}
			b := oidcBrowser(r)
			u := callback(t, b)
			target := u.String()
			if tc.back != nil {
				target = tc.back(t, b, u)
			}
			c := b.c
			if strings.HasSuffix(target, "#other") {
				jar, _ := cookiejar.New(nil)
				c = &http.Client{Jar: jar}
			}
			resp, err := c.Get(strings.TrimSuffix(target, "#other"))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "You could not be signed in") ||
				!strings.Contains(string(body), tc.want) {
				t.Fatalf("%d, want 403 saying %q: %s", resp.StatusCode, tc.want, regexpText(string(body), "govuk-body"))
			}
			for _, s := range internal {
				if strings.Contains(string(body), s) {
					t.Errorf("the page shows internal text %q", s)
				}
			}
			for _, ck := range resp.Cookies() {
				if ck.Name == "mash_session" && ck.MaxAge >= 0 {
					t.Errorf("a refused sign-in set a session")
				}
			}
			if st, _ := (&browser{r: r, c: &http.Client{Jar: c.Jar, CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			}}}).get("/"); st != http.StatusSeeOther {
				t.Errorf("after a refused sign-in the home page is %d, want the sign-in redirect", st)
			}
		})
	}
}
