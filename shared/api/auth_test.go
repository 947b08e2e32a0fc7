package api_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
	"github.com/golang-jwt/jwt/v5"

	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

// bearerCall sends a request with an Authorization header (none when auth is "") to h.
func bearerCall(h http.Handler, method, path, auth string) resp {
	req := httptest.NewRequest(method, path, nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return resp{status: w.Code, body: w.Body.Bytes(), header: w.Header()}
}

func mint(t *testing.T, la *api.LocalAuth, tr api.TokenRequest) string {
	t.Helper()
	if tr.TTL == 0 {
		tr.TTL = time.Hour
	}
	tok, err := la.Mint(tr)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// Local sign-in (issue: "a missing, unsigned, expired or wrongly signed token is a 401"; "a token for
// another authority is a 403").
func TestLocalSignIn_OnlyTokensSignedByTheStateKey(t *testing.T) {
	rg := newRig(t)
	dir := t.TempDir()
	la, err := api.LoadOrCreateLocalKey(dir, rg.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	h := rg.suite.API(hackney, la.Authenticate)
	good := mint(t, la, api.TokenRequest{Authority: hackney, User: "Ada Worker", Roles: []string{api.RoleWorker}})

	// Someone else's key: a well-formed, unexpired token that this runner did not sign.
	otherDir := t.TempDir()
	other, err := api.LoadOrCreateLocalKey(otherDir, rg.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	forged := mint(t, other, api.TokenRequest{Authority: hackney, User: "Ada Worker", Roles: []string{api.RoleManager}})

	// "alg":"none" with the same claims.
	parts := strings.Split(good, ".")
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + "."
	// HMAC keyed with the public key (the classic algorithm confusion).
	pub := la.PublicKey()
	hs, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "x", "authority": "hackney", "roles": []string{api.RoleManager},
		"iss": api.LocalIssuer, "aud": api.LocalAudience, "exp": rg.clock.Now().Add(time.Hour).Unix()}).SignedString([]byte(pub))
	if err != nil {
		t.Fatal(err)
	}
	// Tampered payload: roles widened after signing.
	claims, _ := base64.RawURLEncoding.DecodeString(parts[1])
	widened := strings.Replace(string(claims), `"roles":["mash-worker"]`, `"roles":["mash-manager"]`, 1)
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(widened)) + "." + parts[2]
	expiring := mint(t, la, api.TokenRequest{Authority: hackney, User: "Ada Worker", Roles: []string{api.RoleWorker}, TTL: time.Minute})
	bexleys := mint(t, la, api.TokenRequest{Authority: bexley, User: "Bo Worker", Roles: []string{api.RoleWorker}})

	cases := []struct {
		name, auth string
		want       int
	}{
		{"NoToken", "", 401},
		{"NotBearer", "Basic " + base64.StdEncoding.EncodeToString([]byte("a:b")), 401},
		{"Garbage", "Bearer not.a.token", 401},
		{"AlgNone", "Bearer " + none, 401},
		{"HS256WithThePublicKey", "Bearer " + hs, 401},
		{"SignedByAnotherKey", "Bearer " + forged, 401},
		{"Tampered", "Bearer " + tampered, 401},
		{"Good", "Bearer " + good, 200},
		{"AnotherAuthority", "Bearer " + bexleys, 403},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if r := bearerCall(h, "GET", "/v1/contacts", c.auth); r.status != c.want {
				t.Fatalf("status %d, want %d: %s", r.status, c.want, r.body)
			}
		})
	}
	t.Run("Expired", func(t *testing.T) {
		rg.clock.Advance(2 * time.Minute)
		if r := bearerCall(h, "GET", "/v1/contacts", "Bearer "+expiring); r.status != 401 {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		if r := bearerCall(h, "GET", "/v1/contacts", "Bearer "+good); r.status != 200 {
			t.Fatalf("the hour's token: status %d: %s", r.status, r.body)
		}
	})
}

// The key is made once, mode 0600, and used again; a key others may read is refused.
func TestLocalSignIn_KeyFileIsPrivateAndKept(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	now := func() time.Time { return time.Date(2027, 3, 10, 10, 0, 0, 0, time.UTC) }
	a, err := api.LoadOrCreateLocalKey(dir, now)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, api.LocalKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("key mode %o, want 600", st.Mode().Perm())
	}
	tok := mint(t, a, api.TokenRequest{Authority: hackney, User: "u", Roles: []string{api.RoleWorker}})
	b, err := api.LoadOrCreateLocalKey(dir, now)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	if id, err := b.Authenticate(req); err != nil || id.Subject != "u" || id.Authority != hackney {
		t.Fatalf("a second start does not accept the first start's token: %+v %v", id, err)
	}
	if err := os.Chmod(filepath.Join(dir, api.LocalKeyFile), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := api.LoadOrCreateLocalKey(dir, now); err == nil || !strings.Contains(err.Error(), "readable by others") {
		t.Fatalf("a world-readable key was accepted: %v", err)
	}
}

func TestLocalSignIn_TokenRequestNamesEachBadField(t *testing.T) {
	err := api.TokenRequest{Roles: []string{"admin", api.RolePartner}, Agency: "mi5", TTL: 30 * 24 * time.Hour}.Validate()
	var de *domain.Error
	if !errors.As(err, &de) {
		t.Fatalf("not a domain error: %v", err)
	}
	var fields []string
	for _, f := range de.Fields {
		if len(fields) == 0 || fields[len(fields)-1] != f.Field {
			fields = append(fields, f.Field)
		}
	}
	want := "agency authority roles ttl user"
	if got := strings.Join(fields, " "); got != want {
		t.Fatalf("fields %q, want %q (%v)", got, want, err)
	}
	if !strings.Contains(err.Error(), api.RoleRestrictedReader) {
		t.Errorf("the error does not list the allowed roles: %v", err)
	}
}

// Production: the claims API Gateway's JWT authoriser passes (through the real httpadapter) become the
// identity; a token without the API scope or the authority claim is unauthenticated; another authority's,
// or a partner without an agency, is forbidden.
func TestJWTAuthenticator_CognitoClaims(t *testing.T) {
	rg := newRig(t)
	srv := rg.suite.API(hackney, api.JWTAuthenticator)
	proxy := httpadapter.NewV2(srv)
	call := func(method, path string, claims map[string]string, scopes []string) int {
		ev := events.APIGatewayV2HTTPRequest{Version: "2.0", RawPath: path, RequestContext: events.APIGatewayV2HTTPRequestContext{
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: method, Path: path}, RequestID: "req-1"}}
		if claims != nil {
			ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
				JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims, Scopes: scopes}}
		}
		out, err := proxy.ProxyWithContext(context.Background(), ev)
		if err != nil {
			t.Fatal(err)
		}
		return out.StatusCode
	}
	base := func(groups string) map[string]string {
		return map[string]string{"sub": "0f1e2d3c", "username": "ada.worker", "token_use": "access", "scope": api.APIScope,
			api.GroupsClaim: groups, api.AuthorityClaim: string(hackney)}
	}
	with := func(m map[string]string, k, v string) map[string]string {
		m[k] = v
		return m
	}
	cases := []struct {
		name   string
		method string
		path   string
		claims map[string]string
		scopes []string
		want   int
	}{
		{"NoAuthoriser", "GET", "/v1/contacts", nil, nil, 401},
		{"WorkerLists", "GET", "/v1/contacts", base("[mash-worker]"), nil, 200},
		{"GroupsCommaList", "GET", "/v1/contacts", base("mash-worker,edt"), nil, 200},
		{"ScopeFromAuthoriser", "GET", "/v1/contacts", with(base("[mash-worker]"), "scope", ""), []string{api.APIScope}, 200},
		{"NoScope", "GET", "/v1/contacts", with(base("[mash-worker]"), "scope", "openid"), nil, 401},
		{"IDToken", "GET", "/v1/contacts", with(base("[mash-worker]"), "token_use", "id"), nil, 401},
		{"NoAuthorityClaim", "GET", "/v1/contacts", with(base("[mash-worker]"), api.AuthorityClaim, ""), nil, 401},
		{"AnotherAuthority", "GET", "/v1/contacts", with(base("[mash-worker]"), api.AuthorityClaim, string(bexley)), nil, 403},
		{"ReferrerCannotList", "GET", "/v1/contacts", base("[referrer]"), nil, 403},
		{"NoGroups", "GET", "/v1/contacts", base(""), nil, 403},
		{"PartnerWithoutAgency", "GET", "/v1/contacts/c_00000000000000000000/checks", base("[partner]"), nil, 403},
		{"PartnerWithUnknownAgency", "GET", "/v1/contacts/c_00000000000000000000/checks", with(base("[partner]"), api.AgencyClaim, "mi5"), nil, 403},
		{"PartnerWithAgency", "GET", "/v1/contacts/c_00000000000000000000/checks", with(base("[partner]"), api.AgencyClaim, "health"), nil, 404},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := call(c.method, c.path, c.claims, c.scopes); got != c.want {
				t.Fatalf("status %d, want %d", got, c.want)
			}
		})
	}
	// The audit trail names the user: their email from the trigger, else the Cognito user name.
	id := rg.newReferral(referrer, canaryReferral())
	if got := call("GET", "/v1/contacts/"+string(id), base("[mash-worker]"), nil); got != 200 {
		t.Fatalf("GET contact: %d", got)
	}
	if got := call("GET", "/v1/contacts/"+string(id), with(base("[mash-worker]"), api.UserClaim, "ada.worker@hackney.example"), nil); got != 200 {
		t.Fatalf("GET contact: %d", got)
	}
	evs, err := rg.store.ListAudit(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"ada.worker", "ada.worker@hackney.example"} {
		if !slices.ContainsFunc(evs, func(e store.AuditEvent) bool { return e.Actor == who && e.Action == "contact.read" }) {
			t.Fatalf("no read by %s in %+v", who, evs)
		}
	}
}

// The pre-token-generation trigger copies the administrator-set authority and agency into the access token
// (the claims JWTAuthenticator reads), and refuses a token to a user without an authority.
func TestTokenClaims_CopiesAuthorityAndAgencyIntoTheAccessToken(t *testing.T) {
	var ev events.CognitoEventUserPoolsPreTokenGenV2_0
	ev.Request.UserAttributes = map[string]string{"sub": "0f1e", api.AuthorityClaim: "hackney", api.AgencyClaim: "health", "email": "a@b.example"}
	out, err := api.TokenClaims(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	got := out.Response.ClaimsAndScopeOverrideDetails.AccessTokenGeneration.ClaimsToAddOrOverride
	if len(got) != 3 || got[api.AuthorityClaim] != "hackney" || got[api.AgencyClaim] != "health" || got[api.UserClaim] != "a@b.example" {
		t.Fatalf("claims %v", got)
	}
	ev.Request.UserAttributes = map[string]string{"sub": "0f1e", api.AgencyClaim: "health"}
	if _, err := api.TokenClaims(context.Background(), ev); err == nil {
		t.Fatal("a user without an authority got a token")
	}
}

// The console verifies the user pool's tokens itself (its routes have no authoriser) and maps their claims
// with IdentityFromClaims, which must read them exactly as JWTAuthenticator reads the authoriser's: the
// groups (a JSON list in the token, "[a b]" from API Gateway) as roles, the authority and agency, the user,
// and the same refusals.
func TestIdentityFromClaims_AsTheAuthoriserReadsThem(t *testing.T) {
	access := func(extra map[string]any) map[string]any {
		c := map[string]any{"sub": "5a1e", "token_use": "access", "scope": "openid email mash/api", "client_id": "c",
			"cognito:groups": []any{"mash-manager", "edt"}, "custom:authority": "hackney", "mash:user": "maya@hackney.gov.uk",
			"exp": float64(1804672800)}
		for k, v := range extra {
			if v == nil {
				delete(c, k)
			} else {
				c[k] = v
			}
		}
		return c
	}
	id, err := api.IdentityFromClaims(access(map[string]any{"custom:agency": "police"}))
	if err != nil || id.Subject != "maya@hackney.gov.uk" || !slices.Equal(id.Roles, []string{"mash-manager", "edt"}) ||
		id.Authority != "hackney" || id.Agency != "police" {
		t.Fatalf("%+v %v", id, err)
	}
	for name, claims := range map[string]map[string]any{
		"an ID token":  access(map[string]any{"token_use": "id"}),
		"no API scope": access(map[string]any{"scope": "openid email"}),
		"no authority": access(map[string]any{"custom:authority": nil}),
	} {
		if _, err := api.IdentityFromClaims(claims); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// A list where a string belongs is read as API Gateway passes it ("[hackney]"): never this authority.
	if id, err := api.IdentityFromClaims(access(map[string]any{"custom:authority": []any{"hackney"}})); err == nil && id.Authority == "hackney" {
		t.Fatalf("a list authority became %q", id.Authority)
	}
	// No group: an identity without roles (the console refuses it; the API's guard answers 403).
	if id, err := api.IdentityFromClaims(access(map[string]any{"cognito:groups": nil})); err != nil || len(id.Roles) != 0 {
		t.Fatalf("no group: %+v %v", id, err)
	}
}
