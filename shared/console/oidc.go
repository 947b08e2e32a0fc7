package console

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/domain"
)

// OIDC is sign-in through an OpenID Connect provider's own page: on AWS the stack's Cognito user pool and its
// hosted UI (template.yaml UserPoolClient, UserPoolDomain), by the authorization code flow with PKCE.
//
//  1. GET /signin/start makes a random state, nonce and PKCE verifier, keeps them (with where to go after)
//     in a cookie sealed with AES-GCM under a key derived from the session key, living 10 minutes, and
//     sends the browser to the provider's authorization endpoint with the S256 challenge.
//  2. The provider sends the browser back to GET /signed-in?code&state. The state must match the cookie's;
//     the code is exchanged at the token endpoint with the verifier; the ID token must be signed (RS256) by
//     the issuer's key, be for this client, unexpired, and carry the cookie's nonce; the access token must
//     be signed by the same issuer, for this client (client_id, token_use access) and for the same subject.
//  3. The access token's claims become the identity exactly as the API reads them (api.IdentityFromClaims:
//     cognito:groups → roles, custom:authority, custom:agency, the mash/api scope). A user in no group, or
//     of another authority, is refused. Then the session cookie is set (session.go) and the cookie of step
//     1 cleared.
//
// Every refusal is a page saying what to do, never the verifier's error text (which is logged).
//
// The provider's discovery document and keys are fetched at the first sign-in, not when the function
// starts (no network at init).
type OIDC struct {
	// Issuer is the provider's issuer URL (Cognito: https://cognito-idp.<region>.amazonaws.com/<pool id>);
	// its /.well-known/openid-configuration names the endpoints.
	Issuer string
	// ClientID is the app client (a public client: PKCE, no secret).
	ClientID string
	// RedirectURL is this console's /signed-in, as registered on the client (CallbackURLs).
	RedirectURL string
	// LogoutURL, when set, is the provider's logout endpoint (Cognito: https://<domain>/logout): signing out
	// of the console also ends the hosted UI's own session, then comes back to SignedOutURL (LogoutURLs).
	LogoutURL, SignedOutURL string
	// HTTPClient reaches the provider (nil: http.DefaultClient).
	HTTPClient *http.Client

	mu       sync.Mutex
	provider *oidc.Provider
}

// Scopes the console asks for: the ID token, the email, and the API's scope (the access token is read as
// the API reads it).
var Scopes = []string{oidc.ScopeOpenID, "email", api.APIScope}

const (
	oidcCookie = "mash_oidc"
	// oidcFlowTTL is how long a started sign-in may take at the provider.
	oidcFlowTTL = 10 * time.Minute
)

func (o *OIDC) client() *http.Client {
	if o.HTTPClient != nil {
		return o.HTTPClient
	}
	return http.DefaultClient
}

// discover returns the provider, fetching its discovery document on first use (a failure is retried on the
// next sign-in).
func (o *OIDC) discover(ctx context.Context) (*oidc.Provider, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider != nil {
		return o.provider, nil
	}
	// The provider keeps this context for fetching keys later: no deadline of one request.
	p, err := oidc.NewProvider(oidc.ClientContext(context.WithoutCancel(ctx), o.client()), o.Issuer)
	if err != nil {
		return nil, err
	}
	o.provider = p
	return p, nil
}

func (o *OIDC) config(p *oidc.Provider) *oauth2.Config {
	ep := p.Endpoint()
	ep.AuthStyle = oauth2.AuthStyleInParams // a public client: client_id in the body, no secret
	return &oauth2.Config{ClientID: o.ClientID, Endpoint: ep, RedirectURL: o.RedirectURL, Scopes: Scopes}
}

// flow is what the sealed cookie keeps between the start of a sign-in and its return.
type flow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"x"`
	Expires  int64  `json:"e"`
}

// aead is AES-256-GCM under a key derived from the session key (never the session key itself).
func (s *Server) aead() cipher.AEAD {
	m := hmac.New(sha256.New, s.SessionKey)
	m.Write([]byte("mash console oidc flow cookie"))
	block, _ := aes.NewCipher(m.Sum(nil))
	g, _ := cipher.NewGCM(block)
	return g
}

func (s *Server) sealFlow(f flow) string {
	b, _ := json.Marshal(f)
	g := s.aead()
	nonce := make([]byte, g.NonceSize())
	_, _ = rand.Read(nonce)
	return base64.RawURLEncoding.EncodeToString(g.Seal(nonce, nonce, b, []byte(oidcCookie)))
}

var errNoFlow = errors.New("no sign-in under way in this browser, or it has expired")

func (s *Server) openFlow(r *http.Request) (flow, error) {
	ck, err := r.Cookie(oidcCookie)
	if err != nil {
		return flow{}, errNoFlow
	}
	b, err := base64.RawURLEncoding.DecodeString(ck.Value)
	g := s.aead()
	if err != nil || len(b) < g.NonceSize() {
		return flow{}, errNoFlow
	}
	plain, err := g.Open(nil, b[:g.NonceSize()], b[g.NonceSize():], []byte(oidcCookie))
	if err != nil {
		return flow{}, errNoFlow
	}
	var f flow
	if err := json.Unmarshal(plain, &f); err != nil || s.Now().Unix() > f.Expires {
		return flow{}, errNoFlow
	}
	return f, nil
}

func (s *Server) setFlowCookie(w http.ResponseWriter, value string, maxAge int) {
	// SameSite=Lax: the provider's redirect back is a top-level GET from another site, which Lax lets through.
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: value, Path: "/", HttpOnly: true, Secure: s.Secure,
		SameSite: http.SameSiteLaxMode, MaxAge: maxAge})
}

// signinStart begins a sign-in at the provider.
func (s *Server) signinStart(w http.ResponseWriter, r *http.Request) error {
	if s.OIDC == nil {
		return errNoOIDC
	}
	p, err := s.OIDC.discover(r.Context())
	if err != nil {
		s.Log.ErrorContext(r.Context(), "oidc discovery", "error", err.Error())
		return s.refuse(w, r, http.StatusBadGateway, "The sign-in service is not answering",
			"Please try again in a minute. If a child is in immediate danger, call 999.")
	}
	f := flow{State: randomToken(), Nonce: randomToken(), Verifier: oauth2.GenerateVerifier(),
		Next: safeNext(r.URL.Query().Get("next")), Expires: s.Now().Add(oidcFlowTTL).Unix()}
	s.setFlowCookie(w, s.sealFlow(f), int(oidcFlowTTL.Seconds()))
	http.Redirect(w, r, s.OIDC.config(p).AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier)),
		http.StatusSeeOther)
	return nil
}

// signedIn is the provider's return: every check of the flow, then the session.
func (s *Server) signedInCallback(w http.ResponseWriter, r *http.Request) error {
	if s.OIDC == nil {
		return errNoOIDC
	}
	ctx := r.Context()
	q := r.URL.Query()
	again := " Start again from the sign-in page."
	f, err := s.openFlow(r)
	if err != nil {
		return s.refuseSignIn(w, r, "flow", err, "This sign-in has expired or was started in another browser."+again)
	}
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(f.State)) != 1 {
		return s.refuseSignIn(w, r, "state", errors.New("state does not match"),
			"This sign-in did not start from this browser's sign-in page."+again)
	}
	if e := q.Get("error"); e != "" {
		return s.refuseSignIn(w, r, "provider", errors.New("provider error "+url.QueryEscape(e)),
			"The sign-in page did not sign you in (it was cancelled or refused)."+again)
	}
	p, err := s.OIDC.discover(ctx)
	if err != nil {
		return s.refuseSignIn(w, r, "discovery", err, "The sign-in service is not answering. Please try again in a minute.")
	}
	pctx := oidc.ClientContext(ctx, s.OIDC.client())
	tok, err := s.OIDC.config(p).Exchange(pctx, q.Get("code"), oauth2.VerifierOption(f.Verifier))
	if err != nil {
		return s.refuseSignIn(w, r, "exchange", err, "The sign-in service did not accept this sign-in."+again)
	}
	rawID, _ := tok.Extra("id_token").(string)
	idt, err := p.VerifierContext(pctx, &oidc.Config{ClientID: s.OIDC.ClientID, SupportedSigningAlgs: []string{oidc.RS256},
		Now: s.Now}).Verify(pctx, rawID)
	if err != nil {
		return s.refuseSignIn(w, r, "id_token", err, "The answer of the sign-in service could not be verified (it may have expired, or come from another service)."+again)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(f.Nonce)) != 1 {
		return s.refuseSignIn(w, r, "nonce", errors.New("nonce does not match"),
			"The answer of the sign-in service was not for this sign-in."+again)
	}
	id, err := s.OIDC.accessIdentity(pctx, p, tok.AccessToken, s.Now)
	if err == nil && (idt.Subject == "" || !sameSubject(idt, tok.AccessToken)) {
		err = errors.New("the ID and access tokens name different users")
	}
	if err != nil {
		return s.refuseSignIn(w, r, "access_token", err, "The answer of the sign-in service could not be verified."+again)
	}
	if msg := s.mayUseConsole(id); msg != "" {
		return s.refuseSignIn(w, r, "identity", errors.New("identity refused"), msg)
	}
	s.setFlowCookie(w, "", -1)
	now := s.Now().Unix()
	s.setSession(w, session{Identity: id, Began: now, Seen: now})
	http.Redirect(w, r, landing(id, f.Next), http.StatusSeeOther)
	return nil
}

// mayUseConsole is why an identity verified by the provider may not use this console ("" when it may).
func (s *Server) mayUseConsole(id api.Identity) string {
	switch {
	case id.Authority != s.Authority:
		return "Your account is not set up for this council's MASH. Ask your administrator to check your account."
	case len(id.Roles) == 0:
		return "Your account has no role in this MASH yet. Ask your administrator to add you to the group of your role."
	}
	return ""
}

// landing is where a new session goes: next, or a referrer's or partner's own page for the home page.
func landing(id api.Identity, next string) string {
	if id.Has(api.RolePartner, api.RoleReferrer, api.RolePolice) && !id.Has(Staff...) && next == "/" {
		return "/refer"
	}
	return next
}

// sameSubject reports whether the access token's sub is the ID token's (both verified before).
func sameSubject(idt *oidc.IDToken, access string) bool {
	claims, err := unverifiedClaims(access)
	return err == nil && claims["sub"] == idt.Subject
}

// accessIdentity verifies an access token (signature by the issuer's keys, RS256, issuer, expiry; then
// client_id and token_use, which an access token carries instead of an audience) and maps its claims as the
// API does.
func (o *OIDC) accessIdentity(ctx context.Context, p *oidc.Provider, raw string, now func() time.Time) (api.Identity, error) {
	t, err := p.VerifierContext(ctx, &oidc.Config{SkipClientIDCheck: true, SupportedSigningAlgs: []string{oidc.RS256}, Now: now}).Verify(ctx, raw)
	if err != nil {
		return api.Identity{}, err
	}
	var claims map[string]any
	if err := t.Claims(&claims); err != nil {
		return api.Identity{}, err
	}
	if claims["client_id"] != o.ClientID {
		return api.Identity{}, errors.New("access token of another client")
	}
	if claims["token_use"] != "access" {
		return api.Identity{}, errors.New("not an access token")
	}
	return api.IdentityFromClaims(claims)
}

// Bearer authenticates a request's `Authorization: Bearer` access token of the provider (pages accept the
// API's tokens, for tools and tests): the same checks as at sign-in.
func (o *OIDC) Bearer(r *http.Request) (api.Identity, error) {
	raw, ok := bearer(r)
	if !ok {
		return api.Identity{}, errors.New("no bearer token")
	}
	p, err := o.discover(r.Context())
	if err != nil {
		return api.Identity{}, err
	}
	return o.accessIdentity(oidc.ClientContext(r.Context(), o.client()), p, raw, nil)
}

func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if len(h) < 8 || !(h[:7] == "Bearer " || h[:7] == "bearer ") {
		return "", false
	}
	return h[7:], true
}

// unverifiedClaims decodes a JWT's payload; only for a token whose signature was verified already.
func unverifiedClaims(raw string) (map[string]any, error) {
	parts := splitJWT(raw)
	if parts == nil {
		return nil, errors.New("not a JWT")
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.Unmarshal(b, &m)
}

func splitJWT(raw string) []string {
	if parts := strings.Split(raw, "."); len(parts) == 3 {
		return parts
	}
	return nil
}

var errNoOIDC = &domain.Error{Code: domain.CodeNotFound, Message: "sign-in through a provider is not enabled here"}

// refuseSignIn logs why a sign-in was refused (a short reason, never a token) and shows the page.
func (s *Server) refuseSignIn(w http.ResponseWriter, r *http.Request, step string, err error, msg string) error {
	s.Log.WarnContext(r.Context(), "sign-in refused", "step", step, "error", err.Error())
	s.setFlowCookie(w, "", -1)
	return s.refuse(w, r, http.StatusForbidden, "You could not be signed in", msg)
}

func (s *Server) refuse(w http.ResponseWriter, r *http.Request, status int, heading, msg string) error {
	return s.render(w, r, status, "error", view{Title: heading,
		Data: errPage{Heading: heading, Message: msg, RequestID: api.RequestID(r.Context())}})
}

// signedOut is the page the provider's logout returns to.
func (s *Server) signedOut(w http.ResponseWriter, r *http.Request) error {
	return s.refuse(w, r, http.StatusOK, "You have signed out", "You have signed out of the MASH console.")
}
