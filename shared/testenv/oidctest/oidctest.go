// Package oidctest is a local OpenID Connect issuer for tests, shaped like a Cognito user pool with its
// hosted UI: a discovery document, a JWKS, an authorization endpoint that signs in the configured user at
// once (no page), and a token endpoint that checks the PKCE verifier and issues RS256 ID and access tokens
// with the claims Cognito gives them (cognito:groups, custom:authority, token_use, client_id, scope; the
// access token's custom claims are the ones the pre-token-generation trigger adds, shared/api TokenClaims).
//
// It is not Cognito: the console's sign-in has not been tried against a real user pool here.
package oidctest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// User is who signs in at the authorization endpoint.
type User struct {
	Sub       string
	Email     string
	Groups    []string // cognito:groups (nil: the claim is absent)
	Authority string   // custom:authority
	Agency    string   // custom:agency
}

// Issuer is the running issuer. Change User and the Tweak fields between flows (under no concurrent use).
type Issuer struct {
	URL      string
	ClientID string
	User     User
	// Now is the issuer's clock (tokens' iat and exp).
	Now func() time.Time
	// Tweaks, for the refusal tests: a nonce other than the one asked for, tokens already expired, another
	// issuer in the iss claim, or tokens signed by a key the JWKS does not publish.
	WrongNonce, Expired, OtherIssuer, UnknownKey bool
	// OtherUserAccess gives the access token another user's sub than the ID token's.
	OtherUserAccess bool

	srv   *httptest.Server
	key   *rsa.PrivateKey
	other *rsa.PrivateKey
	mu    sync.Mutex
	codes map[string]grant
}

type grant struct {
	challenge, nonce, redirect string
	user                       User
}

// Start starts an issuer for clientID; it stops when the test ends.
func Start(t testing.TB, clientID string, now func() time.Time) *Issuer {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	is := &Issuer{ClientID: clientID, Now: now, key: key, other: other, codes: map[string]grant{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", is.discovery)
	mux.HandleFunc("GET /.well-known/jwks.json", is.jwks)
	mux.HandleFunc("GET /oauth2/authorize", is.authorize)
	mux.HandleFunc("POST /oauth2/token", is.token)
	is.srv = httptest.NewServer(mux)
	is.URL = is.srv.URL
	t.Cleanup(is.srv.Close)
	return is
}

// Client is an HTTP client that reaches the issuer.
func (is *Issuer) Client() *http.Client { return is.srv.Client() }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (is *Issuer) discovery(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                is.URL,
		"authorization_endpoint":                is.URL + "/oauth2/authorize",
		"token_endpoint":                        is.URL + "/oauth2/token",
		"jwks_uri":                              is.URL + "/.well-known/jwks.json",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"scopes_supported":                      []string{"openid", "email"},
		"code_challenge_methods_supported":      []string{"S256"},
	})
}

func (is *Issuer) jwks(w http.ResponseWriter, _ *http.Request) {
	pub := is.key.PublicKey
	writeJSON(w, http.StatusOK, map[string]any{"keys": []map[string]string{{
		"kty": "RSA", "alg": "RS256", "use": "sig", "kid": "k1",
		"n": base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
	}}})
}

// authorize signs the configured user in at once and sends the browser back with a code, as the hosted UI
// does after a good password and MFA code. It refuses what Cognito refuses: another client, a redirect not
// registered (here: any), a missing or plain PKCE challenge.
func (is *Issuer) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != is.ClientID || q.Get("response_type") != "code" || q.Get("code_challenge_method") != "S256" ||
		q.Get("code_challenge") == "" || q.Get("redirect_uri") == "" {
		http.Error(w, "invalid_request", http.StatusBadRequest)
		return
	}
	code := rand.Text()
	is.mu.Lock()
	is.codes[code] = grant{challenge: q.Get("code_challenge"), nonce: q.Get("nonce"), redirect: q.Get("redirect_uri"), user: is.User}
	is.mu.Unlock()
	back, _ := url.Parse(q.Get("redirect_uri"))
	v := url.Values{"code": {code}, "state": {q.Get("state")}}
	back.RawQuery = v.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// token exchanges a code once, checking the client, the redirect and the PKCE verifier.
func (is *Issuer) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request"})
		return
	}
	is.mu.Lock()
	g, ok := is.codes[r.PostForm.Get("code")]
	delete(is.codes, r.PostForm.Get("code"))
	is.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	switch {
	case r.PostForm.Get("grant_type") != "authorization_code" || r.PostForm.Get("client_id") != is.ClientID:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_client"})
		return
	case !ok || r.PostForm.Get("redirect_uri") != g.redirect || base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant"})
		return
	}
	now := is.Now()
	exp := now.Add(time.Hour)
	if is.Expired {
		exp = now.Add(-time.Minute)
	}
	iss := is.URL
	if is.OtherIssuer {
		iss = "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_another"
	}
	nonce := g.nonce
	if is.WrongNonce {
		nonce = "not-the-nonce-asked-for"
	}
	common := func() jwt.MapClaims {
		c := jwt.MapClaims{"iss": iss, "sub": g.user.Sub, "iat": now.Unix(), "exp": exp.Unix(), "auth_time": now.Unix()}
		if g.user.Groups != nil {
			c["cognito:groups"] = g.user.Groups
		}
		if g.user.Authority != "" {
			c["custom:authority"] = g.user.Authority
		}
		if g.user.Agency != "" {
			c["custom:agency"] = g.user.Agency
		}
		return c
	}
	idc := common()
	idc["aud"], idc["token_use"], idc["nonce"], idc["email"] = is.ClientID, "id", nonce, g.user.Email
	ac := common()
	if is.OtherUserAccess {
		ac["sub"] = g.user.Sub + "-someone-else"
	}
	ac["client_id"], ac["token_use"], ac["scope"], ac["username"] = is.ClientID, "access", "openid email mash/api", g.user.Sub
	if g.user.Email != "" {
		ac["mash:user"] = g.user.Email
	}
	writeJSON(w, http.StatusOK, map[string]any{"token_type": "Bearer", "expires_in": 3600,
		"id_token": is.sign(idc), "access_token": is.sign(ac)})
}

func (is *Issuer) sign(c jwt.MapClaims) string {
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
	t.Header["kid"] = "k1"
	key := is.key
	if is.UnknownKey {
		key = is.other
	}
	s, err := t.SignedString(key)
	if err != nil {
		return "" // an empty token fails every check of the test that asked for it
	}
	return s
}

// AccessToken mints an access token for the configured user directly (a tool's bearer token).
func (is *Issuer) AccessToken() string {
	now := is.Now()
	c := jwt.MapClaims{"iss": is.URL, "sub": is.User.Sub, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
		"client_id": is.ClientID, "token_use": "access", "scope": "mash/api", "cognito:groups": is.User.Groups,
		"custom:authority": is.User.Authority, "mash:user": is.User.Email}
	return is.sign(c)
}

// IDToken mints an ID token for the configured user (which a page must not accept as a bearer token).
func (is *Issuer) IDToken() string {
	now := is.Now()
	return is.sign(jwt.MapClaims{"iss": is.URL, "sub": is.User.Sub, "aud": is.ClientID, "iat": now.Unix(),
		"exp": now.Add(time.Hour).Unix(), "token_use": "id", "cognito:groups": is.User.Groups, "custom:authority": is.User.Authority})
}
