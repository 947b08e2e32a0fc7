package api_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/api"
)

// The cost sign-in adds to every local request: one Ed25519 verification and the claim checks.
func BenchmarkLocalAuthenticate(b *testing.B) {
	now := func() time.Time { return time.Date(2027, 3, 10, 10, 0, 0, 0, time.UTC) }
	la, err := api.LoadOrCreateLocalKey(b.TempDir(), now)
	if err != nil {
		b.Fatal(err)
	}
	tok, err := la.Mint(api.TokenRequest{Authority: hackney, User: "Ada Officer", Roles: []string{api.RoleContactOfficer}, TTL: time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/v1/contacts", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := la.Authenticate(req); err != nil {
			b.Fatal(err)
		}
	}
}

// The whole guard on a route that fails fast after it (403 for a role without rights): authentication,
// rate limit, authority and role checks, request id, the error body.
func BenchmarkGuard_LocalToken403(b *testing.B) {
	now := func() time.Time { return time.Date(2027, 3, 10, 10, 0, 0, 0, time.UTC) }
	la, err := api.LoadOrCreateLocalKey(b.TempDir(), now)
	if err != nil {
		b.Fatal(err)
	}
	tok, err := la.Mint(api.TokenRequest{Authority: hackney, User: "Rita Referrer", Roles: []string{api.RoleReferrer}, TTL: time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	srv := &api.Server{Authority: hackney, Auth: la.Authenticate, Log: discardLog(), Now: now,
		RateLimit: api.RateLimit{PerSecond: 1, Burst: 1 << 30}}
	h := srv.Handler()
	req := httptest.NewRequest("GET", "/v1/quarantine", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 403 {
			b.Fatalf("status %d", w.Code)
		}
	}
}
