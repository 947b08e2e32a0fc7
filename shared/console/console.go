// Package console is the MASH console: the server-rendered HTML pages the people of the MASH work in (their
// trays, a contact, search, quarantine, out of hours), the partner's answer page reached by a single-use
// link, and the public online referral form. It works without JavaScript.
//
// The same handler is served by `mash run`/`mash demo` at / (beside the API's /v1) and on AWS by the console
// function behind the HTTP API. It calls the same services the API does (intake, actions, ooh) and records
// every read of personal data in the audit trail with the reader (api.AuditReads).
//
// Pages are written by Go functions (html.go, pages_html.go) that escape each value for its context as
// html/template did. Templates are not used: text/template's reflective method calls make the linker keep
// every exported method of reachable types (≈ 2 MB of the console function); a test checks that no
// function's binary links text/template or html/template.
//
// Security: every response sends a strict Content-Security-Policy (no script at all, styles and fonts from
// this origin only), X-Frame-Options: DENY, nosniff and no-referrer; every form carries a CSRF token; a page
// never shows internal error text (a 500 names the request id, the log has the rest).
package console

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/actions"
	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/directory"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
)

// Server is the console of one authority.
type Server struct {
	Authority domain.AuthorityID
	Policy    *policy.Policy
	Intake    intake.Service
	Actions   actions.Service
	Store     store.Store
	// Schools is the school directory's desk (nil: the school pages say the directory is not enabled).
	Schools *directory.Desk
	// OOH is the EDT's service (nil: the out-of-hours page says it is not enabled).
	OOH api.OOHRecorder
	// Auth verifies a bearer token (the API's: local tokens for mash run, the JWT authoriser's claims on AWS).
	Auth api.Authenticator
	// Local, when set, enables local sign-in: paste a `mash token`.
	Local *api.LocalAuth
	// OIDC, when set (the console function on AWS), signs people in through the provider's hosted page
	// (oidc.go).
	OIDC *OIDC
	// DemoUsers, when set (mash demo only), lists users one may sign in as by picking them.
	DemoUsers []DemoUser
	// SessionKey signs session cookies and CSRF tokens (NewSessionKey).
	SessionKey []byte
	// Secure marks cookies Secure (served over TLS).
	Secure                       bool
	IdleTimeout, AbsoluteTimeout time.Duration
	// PublicRate limits the public routes (sign-in, /refer, answer links) per client address.
	PublicRate api.RateLimit
	Log        *slog.Logger
	Now        clock.Now

	limit *api.Limiter
	pages []Page
}

// DemoUser is a user of the demo's sign-in list.
type DemoUser struct {
	Name   string
	Roles  []string
	Agency string
}

// DemoUsers are the people `mash demo` lets one sign in as by picking a name.
var DemoUsers = []DemoUser{
	{Name: "Maya Manager", Roles: []string{api.RoleManager}},
	{Name: "Wes Worker", Roles: []string{api.RoleWorker}},
	{Name: "Ola Officer", Roles: []string{api.RoleContactOfficer}},
	{Name: "Eve EDT", Roles: []string{api.RoleEDT}},
	{Name: "Pat Police", Roles: []string{api.RolePartner}, Agency: string(domain.AgencyPolice)},
	{Name: "Rae Referrer", Roles: []string{api.RoleReferrer}},
}

// Public marks a page anyone may open, signed in or not.
var Public []string

// Page is one route of the console and the roles that may open it (nil: public).
type Page struct {
	Pattern string
	Roles   []string
	handle  func(http.ResponseWriter, *http.Request) error
}

// Staff are the roles that work in the MASH's pages.
var Staff = []string{api.RoleWorker, api.RoleManager, api.RoleContactOfficer, api.RoleEDT}

// Pages lists every route with its roles (the pages × roles test walks it).
func (s *Server) Pages() []Page {
	mgr := []string{api.RoleManager}
	work := []string{api.RoleWorker, api.RoleManager}
	return []Page{
		{"GET /{$}", append(slices.Clone(Staff), ReferrerRoles...), s.home},
		{"GET /trays/{tray}", Staff, s.trayPage},
		{"POST /trays/{tray}/{id}/claim", work, s.claim},
		{"POST /trays/{tray}/{id}/unclaim", work, s.unclaim},
		{"POST /trays/{tray}/items/{item}/close", mgr, s.closeItem},
		{"GET /contacts/{id}", Staff, s.contactPage},
		{"POST /contacts/{id}/rating", mgr, s.rate},
		{"POST /contacts/{id}/decision", mgr, s.decide},
		{"POST /contacts/{id}/consent-override", mgr, s.override},
		{"POST /contacts/{id}/escalate", mgr, s.escalate},
		{"POST /contacts/{id}/flags", work, s.flags},
		{"POST /contacts/{id}/harm", work, s.harm},
		{"POST /contacts/{id}/immediate-harm", Staff, s.answerImmediateHarm},
		{"POST /contacts/{id}/census", work, s.recordCensus},
		{"POST /contacts/{id}/match", work, s.match},
		{"POST /contacts/{id}/ooh-action", []string{api.RoleEDT}, s.oohAction},
		{"POST /contacts/{id}/child", work, s.completeChild},
		{"POST /contacts/{id}/checks/{check}/close", mgr, s.closeCheck},
		{"POST /contacts/{id}/link", work, s.link},
		{"POST /contacts/{id}/school", work, s.pickSchool},
		{"POST /contacts/{id}/merge", mgr, s.merge},
		{"GET /contacts/{id}/attachments/{n}", Staff, s.attachment},
		{"GET /contacts/new", RecordRoles, s.callPage},
		{"POST /contacts/new", RecordRoles, s.callPost},
		{"GET /consultations", ConsultationRoles, s.consultationsPage},
		{"POST /consultations/{id}/summary", ConsultationRoles, s.consultationSummary},
		{"GET /search", Staff, s.search},
		{"GET /meeting", work, s.meetingPage},
		{"GET /quarantine", mgr, s.quarantine},
		{"POST /quarantine/{id}/release", mgr, s.release},
		{"POST /quarantine/{id}/discard", mgr, s.discard},
		{"GET /reports", mgr, s.reportsPage},
		{"GET /ooh", []string{api.RoleEDT, api.RoleWorker, api.RoleManager}, s.oohPage},
		{"POST /ooh", []string{api.RoleEDT}, s.oohPost},
		{"GET /refer", Public, s.referPage},
		{"POST /refer", Public, s.referPost},
		{"GET /referrals", ReferrerRoles, s.referralsPage},
		{"GET /answer/{token}", Public, s.answerLinkPage},
		{"POST /answer/open", Public, s.answerOpen},
		{"POST /answer", Public, s.answerPost},
		{"GET /encompass/{token}", Public, s.ackLinkPage},
		{"POST /encompass/open", Public, s.ackOpen},
		{"POST /encompass", Public, s.ackPost},
		{"GET /signin", Public, s.signinPage},
		{"POST /signin", Public, s.signinPost},
		{"POST /signout", Public, s.signout},
		{"GET /signin/start", Public, s.signinStart},
		{"GET /signed-in", Public, s.signedInCallback},
		{"GET /signed-out", Public, s.signedOut},
		{"GET /assets/{file...}", Public, s.asset},
		{"GET /api/openapi.yaml", Public, s.apiContract},
		{"GET /schools", Staff, s.schoolsPage},
		{"GET /schools/{urn}", Staff, s.schoolPage},
		{"POST /schools/{urn}", mgr, s.schoolEdit},
	}
}

// Handler returns the console's routes behind the security headers, the request id and the body limit.
func (s *Server) Handler() http.Handler {
	if s.Log == nil {
		s.Log = slog.Default()
	}
	s.Log = slog.New(api.LogHandler(s.Log.Handler()))
	if len(s.SessionKey) == 0 {
		s.SessionKey = NewSessionKey()
	}
	if s.PublicRate == (api.RateLimit{}) {
		s.PublicRate = api.RateLimit{PerSecond: 1, Burst: 20}
	}
	s.limit = api.NewLimiter(s.PublicRate, s.Now)
	m := http.NewServeMux()
	s.pages = s.Pages()
	for _, p := range s.pages {
		m.Handle(p.Pattern, s.guard(p))
	}
	m.Handle("/", s.guard(Page{Pattern: "/", handle: func(http.ResponseWriter, *http.Request) error {
		return domain.Errorf(domain.CodeNotFound, "there is no such page")
	}}))
	return api.WithRequestID(headers(limitBody(s.withCSRFCookie(m))))
}

// limitBody is the API's body limit (1 MiB), but MaxReferBody for the referral form, which carries files.
func limitBody(next http.Handler) http.Handler {
	small := api.LimitBody(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/refer" {
			small.ServeHTTP(w, r)
			return
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, MaxReferBody)
		}
		next.ServeHTTP(w, r)
	})
}

// errReferTooLarge is a referral form over MaxReferBody: nothing of it can be kept, so a page says what to do.
var errReferTooLarge = &domain.Error{Code: domain.CodeInvalid, Message: "the form with its files is larger than 4 MiB"}

// CSP is the Content-Security-Policy of every response: no script at all, styles, fonts and images from
// this origin, forms posting only here, no framing.
const CSP = "default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self'; form-action 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'"

func headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", CSP)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		if !strings.HasPrefix(r.URL.Path, "/assets/") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// withCSRFCookie gives every browser a random csrf cookie on its first request; forms carry its HMAC.
func (s *Server) withCSRFCookie(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := ""
		if ck, err := r.Cookie(csrfCookie); err == nil && len(ck.Value) == 32 {
			v = ck.Value
		} else if !strings.HasPrefix(r.URL.Path, "/assets/") {
			var b [16]byte
			_, _ = rand.Read(b[:])
			v = hex.EncodeToString(b[:])
			http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: v, Path: "/", HttpOnly: true, Secure: s.Secure,
				SameSite: http.SameSiteStrictMode})
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), csrfKey{}, v)))
	})
}

type identityKey struct{}

func identity(r *http.Request) (api.Identity, bool) {
	id, ok := r.Context().Value(identityKey{}).(api.Identity)
	return id, ok
}

// who is the signed-in user's name for the audit trail.
func who(r *http.Request) string {
	id, _ := identity(r)
	return id.Subject
}

// signedIn finds the identity: the session cookie (re-issued with its new last use), else a bearer token.
func (s *Server) signedIn(w http.ResponseWriter, r *http.Request) (api.Identity, bool) {
	if ss, err := s.readSession(r); err == nil {
		ss.Seen = s.Now().Unix()
		s.setSession(w, ss)
		return ss.Identity, true
	}
	if r.Header.Get("Authorization") != "" && s.Auth != nil {
		if id, err := s.Auth(r); err == nil && id.Subject != "" {
			return id, true
		}
	}
	return api.Identity{}, false
}

var errForbidden = &domain.Error{Code: domain.CodeForbidden, Message: "your role may not open this page"}

func (s *Server) guard(p Page) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := s.signedIn(w, r)
		if ok {
			r = r.WithContext(context.WithValue(r.Context(), identityKey{}, id))
		}
		if r.Method == http.MethodPost {
			// Read the form first (multipart for /refer): a body over its limit is a clear 413, not a CSRF failure.
			if err := r.ParseMultipartForm(MaxReferBody); err != nil && !errors.Is(err, http.ErrNotMultipart) {
				var tooBig *http.MaxBytesError
				if errors.As(err, &tooBig) || errors.Is(err, api.ErrTooLarge) {
					if r.URL.Path == "/refer" {
						s.fail(w, r, errReferTooLarge)
					} else {
						s.fail(w, r, api.ErrTooLarge)
					}
					return
				}
			}
			if !s.verifyCSRF(r) {
				s.fail(w, r, &domain.Error{Code: domain.CodeForbidden,
					Message: "this form has expired or did not come from this site: go back, reload the page and try again"})
				return
			}
		}
		if p.Roles != nil {
			if !ok {
				if r.Method == http.MethodGet {
					http.Redirect(w, r, "/signin?next="+safeNext(r.URL.RequestURI()), http.StatusSeeOther)
					return
				}
				s.fail(w, r, &domain.Error{Code: domain.CodeForbidden, Message: "sign in first"})
				return
			}
			if id.Authority != s.Authority {
				s.fail(w, r, &domain.Error{Code: domain.CodeForbidden, Message: "your sign-in is for another authority"})
				return
			}
			if !id.Has(p.Roles...) {
				s.fail(w, r, errForbidden)
				return
			}
		} else if r.Method == http.MethodPost || p.Pattern == "GET /answer/{token}" || p.Pattern == "GET /encompass/{token}" {
			// Public forms and answer links are rate-limited per client address (guessing, flooding).
			if ok, wait := s.limit.Take("ip\x00" + clientIP(r)); !ok {
				w.Header().Set("Retry-After", retryAfter(wait))
				s.render(w, r, http.StatusTooManyRequests, "error", view{Title: "Too many requests",
					Data: errPage{Heading: "Too many requests", Message: "Please wait a minute and try again. If a child is in immediate danger, call 999."}})
				return
			}
		}
		if err := p.handle(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

func retryAfter(d time.Duration) string {
	sec := int(d.Seconds() + 0.999)
	return strconv.Itoa(max(sec, 1))
}

// clientIP is the request's client address without its port: "host:port" as net/http gives it, or the bare
// address behind API Gateway (the adapter sets RemoteAddr to the source IP, which for IPv6 has colons of
// its own).
func clientIP(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// safeNext keeps a sign-in's return address on this site (a path, never another host).
func safeNext(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.Contains(p, "\\") {
		return "/"
	}
	return p
}

type errPage struct {
	Heading, Message, RequestID string
}

// fail renders an error page: the domain message for a 4xx, never internal text for a 5xx.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusInternalServerError
	e := errPage{Heading: "Sorry, there is a problem with the service", Message: "Something went wrong. It has been logged.",
		RequestID: api.RequestID(r.Context())}
	var de *domain.Error
	switch {
	case errors.Is(err, api.ErrTooLarge):
		status, e.Heading, e.Message = http.StatusRequestEntityTooLarge, "Too large", "What you sent is larger than 1 MiB."
	case err == errReferTooLarge:
		status, e.Heading = http.StatusRequestEntityTooLarge, "The files are too large"
		e.Message = "The form with its files is larger than 4 MiB, so nothing was sent. Go back and attach fewer or smaller " +
			"files (each up to 3 MiB), or send the referral without them and email the documents to the MASH quoting its reference."
	case errors.As(err, &de):
		switch de.Code {
		case domain.CodeNotFound:
			status, e.Heading = http.StatusNotFound, "Page not found"
		case domain.CodeForbidden:
			status, e.Heading = http.StatusForbidden, "You cannot open this page"
		case domain.CodeInvalid:
			status, e.Heading = http.StatusBadRequest, "There is a problem"
		case domain.CodeConflict, domain.CodeDuplicate:
			status, e.Heading = http.StatusConflict, "This has changed"
		}
		if status != http.StatusInternalServerError {
			e.Message = de.Message
			for _, f := range de.Fields {
				e.Message = strings.TrimSpace(e.Message + " " + f.Field + " " + f.Message + ".")
			}
		}
	}
	if status == http.StatusInternalServerError {
		s.Log.ErrorContext(r.Context(), "console error", "method", r.Method, "route", r.Pattern, "error", err.Error())
	}
	s.render(w, r, status, "error", view{Title: e.Heading, Data: e})
}

// hasRole reports whether the signed-in user has one of the roles.
func hasRole(r *http.Request, roles ...string) bool {
	id, ok := identity(r)
	return ok && id.Has(roles...)
}

func contains(list []string, v string) bool { return slices.Contains(list, v) }
