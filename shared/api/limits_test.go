package api_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/api"
)

// Issue "Limits": a body over 1 MiB is a 413, whether it says its length or not, and nothing is written.
func TestLimits_BodyOverOneMiBIs413(t *testing.T) {
	rg := newRig(t)
	before := rg.count("received") + rg.count("awaiting-rating")
	big := `{"concerns":"` + strings.Repeat("x", 20<<20) + `"}`
	cases := []struct {
		name   string
		body   io.Reader
		length int64
	}{
		{"TwentyMBDeclared", strings.NewReader(big), int64(len(big))},
		{"TwentyMBChunked", io.MultiReader(strings.NewReader(big)), -1},
		{"OneByteOver", bytes.NewReader(bytes.Repeat([]byte(" "), api.MaxBody+1)), -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/v1/referrals", c.body)
			req.ContentLength = c.length
			req.Header.Set(hdrSubject, referrer.subject)
			req.Header.Set(hdrRoles, api.RoleReferrer)
			w := httptest.NewRecorder()
			rg.h.ServeHTTP(w, req)
			if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), `"too_large"`) {
				t.Fatalf("status %d: %.200s", w.Code, w.Body.String())
			}
		})
	}
	if after := rg.count("received") + rg.count("awaiting-rating"); after != before {
		t.Fatalf("contacts %d → %d", before, after)
	}
}

// Issue "Limits": each user has a token bucket; past it a 429 says when to come back, other users are
// unaffected, and the bucket refills with time.
func TestLimits_PerUserRateLimit429WithRetryAfter(t *testing.T) {
	rg := newRig(t)
	srv := &api.Server{Authority: hackney, Intake: rg.suite.Intake.Service, Actions: rg.suite.Actions, Store: rg.suite.Store,
		Auth: headerAuth, Log: discardLog(), Now: rg.clock.Now, RateLimit: api.RateLimit{PerSecond: 0.5, Burst: 3}}
	h := srv.Handler()
	for i := range 3 {
		if r := rg.do(h, worker, "GET", "/v1/contacts", nil); r.status != 200 {
			t.Fatalf("request %d: %d", i, r.status)
		}
	}
	req := httptest.NewRequest("GET", "/v1/contacts", nil)
	req.Header.Set(hdrSubject, worker.subject)
	req.Header.Set(hdrRoles, api.RoleWorker)
	w := serveChecked(t, h, req, nil)
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "2" {
		t.Fatalf("4th request: %d Retry-After %q: %s", w.Code, w.Header().Get("Retry-After"), w.Body.String())
	}
	if r := rg.do(h, manager, "GET", "/v1/contacts", nil); r.status != 200 {
		t.Fatalf("another user is limited too: %d", r.status)
	}
	rg.clock.Advance(2 * time.Second)
	if r := rg.do(h, worker, "GET", "/v1/contacts", nil); r.status != 200 {
		t.Fatalf("after Retry-After: %d", r.status)
	}
}

// Every response names its request; every error body carries the id too.
func TestLimits_RequestIDHeaderAndErrorBody(t *testing.T) {
	rg := newRig(t)
	req := httptest.NewRequest("GET", "/v1/contacts/c_00000000000000000000", nil)
	req.Header.Set(hdrSubject, worker.subject)
	req.Header.Set(hdrRoles, api.RoleWorker)
	w := serveChecked(t, rg.h, req, nil)
	id := w.Header().Get(api.RequestIDHeader)
	if w.Code != 404 || id == "" || !strings.Contains(w.Body.String(), `"requestId":"`+id+`"`) {
		t.Fatalf("%d %q %s", w.Code, id, w.Body.String())
	}
}

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
