// Package api is the MASH front door's HTTP API: referrals, police PPNs, recorded contacts, and what people do
// to a contact (rate, answer checks, decide). It is a plain net/http handler: API Gateway (HTTP API v2)
// reaches it through aws-lambda-go-api-proxy's httpadapter, `mash run` serves it on localhost.
//
// Access is denied by default: every route names the roles that may call it, and a request whose identity
// has none of them gets 401/403. Errors are JSON {"error":{"code","message","fields"}}; internal details are
// logged with the request id, never sent.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/safeguarding/mash/shared/actions"
	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/directory"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/ooh"
	"github.com/safeguarding/mash/shared/store"
)

// Roles.
const (
	RoleReferrer       = "referrer"        // a professional making a referral through the form
	RolePolice         = "police"          // the police public protection desk sending PPNs
	RoleContactOfficer = "contact-officer" // records phone calls, walk-ins, consultations (Bexley seed §2)
	RoleWorker         = "mash-worker"     // social workers and partner staff in the MASH
	RoleManager        = "mash-manager"    // rates, decides, overrides consent (Northamptonshire §7, §10)
	RoleEDT            = "edt"             // the out-of-hours Emergency Duty Team
	RolePartner        = "partner"         // a partner agency answering checks
	// RoleRestrictedReader is police-vetted MASH staff: the only role that reads restricted police
	// information (GET /v1/contacts/{id}/restricted).
	RoleRestrictedReader = domain.RoleRestrictedReader
	// RoleSystem is an integration acting for the council (e.g. the nightly school directory import).
	RoleSystem = "system"
)

// Roles lists every role (the Cognito user pool has one group per role).
var Roles = []string{RoleReferrer, RolePolice, RoleContactOfficer, RoleWorker, RoleManager, RoleEDT, RolePartner, RoleRestrictedReader, RoleSystem}

// Identity is who is calling.
type Identity struct {
	Subject string   `json:"subject"`
	Roles   []string `json:"roles"`
	Agency  string   `json:"agency,omitempty"` // for partners
	// Authority is the council the sign-in is for; a request to another authority's API is refused.
	Authority domain.AuthorityID `json:"authority"`
}

// Has reports whether the identity holds any of the roles.
func (id Identity) Has(roles ...string) bool {
	for _, r := range roles {
		if slices.Contains(id.Roles, r) {
			return true
		}
	}
	return false
}

// Authenticator finds the caller's identity; an error means unauthenticated (401).
type Authenticator func(r *http.Request) (Identity, error)

// Server is the API for one authority.
type Server struct {
	Authority domain.AuthorityID
	Intake    intake.Service
	Actions   actions.Service
	Store     store.Store
	Auth      Authenticator
	Log       *slog.Logger
	Now       clock.Now
	// OOH records EDT phone notes and actions (shared/ooh); nil disables the routes.
	OOH OOHRecorder
	// RateLimit is each user's token bucket (zero: DefaultRateLimit); over it a request is 429.
	RateLimit RateLimit
	// Directory imports schools and records a worker's pick of a PPN's school (shared/directory); nil
	// disables the routes.
	Directory DirectoryDesk
	mux       *http.ServeMux
	limit     *limiter
}

// OOHRecorder is the out-of-hours service's API surface.
type OOHRecorder interface {
	AddPhoneNote(ctx context.Context, authority domain.AuthorityID, by string, r intake.Recorded) ([]intake.Result, error)
	RecordAction(ctx context.Context, id domain.ContactID, by, action string) error
	MorningList(ctx context.Context, authority domain.AuthorityID) ([]ooh.MorningItem, error)
}

// DirectoryDesk is the school directory's API surface (shared/directory.Desk).
type DirectoryDesk interface {
	Import(ctx context.Context, a domain.AuthorityID, by string, rows []directory.Row, lines []int) (directory.Result, error)
	PickSchool(ctx context.Context, id domain.ContactID, urn, by string) (*domain.Contact, store.School, error)
}

// MaxBody is the largest request body accepted.
const MaxBody = 1 << 20

// Handler returns the routes, behind the request id, the body limit and (in each route's guard) sign-in,
// authority, role and the per-user rate limit.
func (s *Server) Handler() http.Handler {
	s.Log = slog.New(LogHandler(s.Log.Handler()))
	s.limit = newLimiter(s.RateLimit, s.Now)
	m := http.NewServeMux()
	all := []string{RoleWorker, RoleManager}
	m.Handle("POST /v1/referrals", s.guard([]string{RoleReferrer, RoleContactOfficer, RoleWorker, RoleManager}, s.postReferral))
	m.Handle("POST /v1/ppn", s.guard([]string{RolePolice, RoleWorker, RoleManager}, s.postPPN))
	m.Handle("POST /v1/contacts", s.guard([]string{RoleContactOfficer, RoleWorker, RoleManager, RoleEDT}, s.postContact))
	m.Handle("GET /v1/contacts", s.guard(append(all, RoleContactOfficer, RoleEDT), s.listContacts))
	m.Handle("GET /v1/contacts/{id}", s.guard(append(all, RoleContactOfficer, RoleEDT), s.getContact))
	m.Handle("GET /v1/contacts/{id}/timeline", s.guard(append(all, RoleEDT), s.timeline))
	m.Handle("POST /v1/contacts/{id}/rating", s.guard([]string{RoleManager}, s.postRating))
	m.Handle("POST /v1/contacts/{id}/decision", s.guard([]string{RoleManager}, s.postDecision))
	m.Handle("POST /v1/contacts/{id}/escalate", s.guard([]string{RoleManager}, s.postEscalate))
	m.Handle("POST /v1/contacts/{id}/close", s.guard([]string{RoleManager}, s.postClose))
	m.Handle("POST /v1/contacts/{id}/reopen", s.guard([]string{RoleManager}, s.postReopen))
	m.Handle("POST /v1/contacts/{id}/flags", s.guard(all, s.postFlags))
	m.Handle("POST /v1/contacts/{id}/consent-override", s.guard([]string{RoleManager}, s.postOverride))
	m.Handle("POST /v1/contacts/{id}/claim", s.guard(all, s.postClaim))
	m.Handle("POST /v1/contacts/{id}/unclaim", s.guard(all, s.postUnclaim))
	m.Handle("POST /v1/contacts/{id}/link", s.guard(all, s.postLink))
	m.Handle("POST /v1/contacts/{id}/merge", s.guard([]string{RoleManager}, s.postMerge))
	m.Handle("GET /v1/contacts/{id}/checks", s.guard(append(all, RolePartner), s.listChecks))
	m.Handle("POST /v1/contacts/{id}/checks/{check}/answer", s.guard(append(all, RolePartner), s.postAnswer))
	m.Handle("POST /v1/contacts/{id}/checks/{check}/close", s.guard([]string{RoleManager}, s.postCloseCheck))
	m.Handle("GET /v1/trays/{tray}", s.guard(append(all, RoleEDT), s.getTray))
	m.Handle("POST /v1/trays/{tray}/items/{item}/close", s.guard([]string{RoleManager}, s.postCloseTrayItem))
	m.Handle("GET /v1/quarantine", s.guard([]string{RoleManager}, s.listQuarantine))
	m.Handle("POST /v1/quarantine/{id}/release", s.guard([]string{RoleManager}, s.releaseQuarantine))
	m.Handle("POST /v1/quarantine/{id}/discard", s.guard([]string{RoleManager}, s.discardQuarantine))
	m.Handle("POST /v1/ooh", s.guard([]string{RoleEDT}, s.postOOH))
	m.Handle("POST /v1/contacts/{id}/ooh-actions", s.guard([]string{RoleEDT}, s.postOOHAction))
	m.Handle("GET /v1/ooh/morning", s.guard(append(all, RoleEDT), s.getMorning))
	m.Handle("GET /v1/contacts/{id}/restricted", s.guard([]string{RoleRestrictedReader}, s.getRestricted))
	m.Handle("POST /v1/schools", s.guard([]string{RoleManager, RoleSystem}, s.postSchools))
	m.Handle("POST /v1/contacts/{id}/match", s.guard(all, s.postMatch))
	m.Handle("POST /v1/contacts/{id}/harm", s.guard(all, s.postHarm))
	m.Handle("POST /v1/contacts/{id}/child", s.guard(all, s.postChild))
	m.Handle("POST /v1/contacts/{id}/immediate-harm", s.guard([]string{RoleContactOfficer, RoleWorker, RoleManager, RoleEDT}, s.postImmediateHarm))
	m.Handle("POST /v1/contacts/{id}/respond", s.guard(all, s.postRespond))
	m.Handle("POST /v1/contacts/{id}/census", s.guard(all, s.postCensus))
	m.Handle("POST /v1/cases", s.guard([]string{RoleManager, RoleSystem}, s.postCases))
	m.Handle("GET /v1/schools", s.guard(all, s.listSchools))
	m.Handle("POST /v1/contacts/{id}/school", s.guard(all, s.postContactSchool))
	m.Handle("GET /v1/reports/timeliness", s.guard([]string{RoleManager}, s.getTimeliness))
	m.Handle("GET /v1/reports/annex-a", s.guard([]string{RoleManager}, s.getAnnexA))
	m.Handle("GET /v1/sar", s.guard([]string{RoleManager}, s.getSAR))
	m.Handle("GET /v1/meeting", s.guard(all, s.getMeeting))
	m.Handle("POST /v1/consultations", s.guard(ConsultationRoles, s.postConsultation))
	m.Handle("GET /v1/consultations", s.guard([]string{RoleContactOfficer, RoleWorker, RoleManager}, s.listConsultations))
	m.Handle("GET /v1/consultations/{id}", s.guard([]string{RoleContactOfficer, RoleWorker, RoleManager}, s.getConsultation))
	m.Handle("POST /v1/consultations/{id}/summary", s.guard([]string{RoleContactOfficer, RoleWorker, RoleManager}, s.postConsultationSummary))
	m.Handle("POST /v1/consultations/{id}/contact", s.guard(all, s.postConsultationContact))
	s.mux = m
	return withRequestID(limitBody(routeErrors(m)))
}

// routeErrors answers a request no route takes as every other error is answered: a JSON error naming what
// is wrong — no such route, or the method not allowed with the methods that are (Allow) — where the mux
// wrote a bare "404 page not found" or "Method Not Allowed" in plain text.
func routeErrors(m *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := m.Handler(r); pattern != "" {
			m.ServeHTTP(w, r)
			return
		}
		rec := &routeRecorder{header: http.Header{}}
		m.ServeHTTP(rec, r)
		switch rec.code {
		case http.StatusMethodNotAllowed:
			allow := rec.header.Get("Allow")
			w.Header().Set("Allow", allow)
			writeJSON(w, http.StatusMethodNotAllowed, errorBody{Error: errorJSON{Code: "method_not_allowed",
				Message:   r.Method + " is not allowed on this route: use " + strings.ReplaceAll(allow, ", ", " or ") + " (api/openapi.yaml)",
				RequestID: RequestID(r.Context())}})
		case http.StatusNotFound:
			writeJSON(w, http.StatusNotFound, errorBody{Error: errorJSON{Code: string(domain.CodeNotFound),
				Message: "there is no such route: the routes are listed in api/openapi.yaml", RequestID: RequestID(r.Context())}})
		default: // a redirect to the canonical path, as the mux wrote it
			for k, v := range rec.header {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.code)
			_, _ = w.Write(rec.body.Bytes())
		}
	})
}

// routeRecorder keeps what the mux writes for a request no route takes.
type routeRecorder struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (r *routeRecorder) Header() http.Header { return r.header }
func (r *routeRecorder) WriteHeader(code int) {
	if r.code == 0 {
		r.code = code
	}
}
func (r *routeRecorder) Write(b []byte) (int, error) {
	if r.code == 0 {
		r.code = http.StatusOK
	}
	return r.body.Write(b)
}

// QueryParams are the query parameters each route takes (api/openapi.yaml; a test keeps them the same). A
// route not listed takes none.
var QueryParams = map[string][]string{
	"GET /v1/contacts":           {"status"},
	"GET /v1/trays/{tray}":       {"dueBefore", "limit"},
	"GET /v1/schools":            {"q"},
	"GET /v1/reports/timeliness": {"from", "to", "rule", "by"},
	"GET /v1/reports/annex-a":    {"from", "to", "list", "missing"},
	"GET /v1/sar":                {"child", "dob"},
	"GET /v1/meeting":            {"date"},
}

// checkQuery names every query parameter the route does not take, with those it does: a misspelt filter
// ("?statuz=decided") was ignored, and the caller got every contact as if it were the filtered list.
func checkQuery(r *http.Request) error {
	known := QueryParams[r.Pattern]
	var p domain.Problems
	for _, k := range slices.Sorted(maps.Keys(r.URL.Query())) {
		if slices.Contains(known, k) {
			continue
		}
		if len(known) == 0 {
			p.Add(k, "is not a query parameter: this route takes none")
		} else {
			p.Add(k, "is not a query parameter of this route: it takes %s", strings.Join(known, ", "))
		}
	}
	return p.Err()
}

type identityKey struct{}

// IdentityFrom returns the caller set by the guard.
func IdentityFrom(ctx context.Context) Identity {
	id, _ := ctx.Value(identityKey{}).(Identity)
	return id
}

func (s *Server) guard(roles []string, h func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.Auth == nil {
			s.writeErr(w, r, &domain.Error{Code: domain.CodeForbidden, Message: "no authenticator configured: access denied"})
			return
		}
		id, err := s.Auth(r)
		if err != nil || id.Subject == "" {
			writeJSON(w, http.StatusUnauthorized, errorBody{Error: errorJSON{Code: "unauthenticated", Message: "sign in to use the MASH API",
				RequestID: RequestID(r.Context())}})
			return
		}
		if ok, wait := s.limit.take(string(id.Authority) + "\x00" + id.Subject); !ok {
			w.Header().Set("Retry-After", retryAfter(wait))
			writeJSON(w, http.StatusTooManyRequests, errorBody{Error: errorJSON{Code: "rate_limited",
				Message: "too many requests; try again after Retry-After seconds", RequestID: RequestID(r.Context())}})
			return
		}
		if id.Authority != s.Authority {
			s.writeErr(w, r, &domain.Error{Code: domain.CodeForbidden, Message: "your sign-in is for another authority"})
			return
		}
		if !id.Has(roles...) {
			s.writeErr(w, r, &domain.Error{Code: domain.CodeForbidden, Message: "your role may not do this"})
			return
		}
		// A partner is scoped by its agency: a partner token without a known agency reaches nothing.
		if !id.Has(slices.DeleteFunc(slices.Clone(roles), func(x string) bool { return x == RolePartner })...) &&
			!slices.Contains(domain.Agencies, domain.Agency(id.Agency)) {
			s.writeErr(w, r, &domain.Error{Code: domain.CodeForbidden, Message: "a partner sign-in must name its agency"})
			return
		}
		if err := checkQuery(r); err != nil {
			s.writeErr(w, r, err)
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), identityKey{}, id))
		if err := h(w, r); err != nil {
			s.writeErr(w, r, err)
		}
	})
}

type errorJSON struct {
	Code    string              `json:"code"`
	Message string              `json:"message"`
	Fields  []domain.FieldError `json:"fields,omitempty"`
	// RequestID names the request in the logs: quote it when reporting a problem.
	RequestID string `json:"requestId,omitempty"`
}

type errorBody struct {
	Error errorJSON `json:"error"`
}

// writeErr maps domain errors to HTTP once. Internal errors are logged, not shown.
func (s *Server) writeErr(w http.ResponseWriter, r *http.Request, err error) {
	var de *domain.Error
	status := http.StatusInternalServerError
	body := errorJSON{Code: string(domain.CodeInternal), Message: "something went wrong; it has been logged"}
	if errors.Is(err, errTooLarge) {
		writeJSON(w, http.StatusRequestEntityTooLarge, errorBody{Error: errorJSON{Code: "too_large",
			Message: "the request body is larger than 1 MiB", RequestID: RequestID(r.Context())}})
		return
	}
	if errors.As(err, &de) {
		switch de.Code {
		case domain.CodeInvalid:
			status = http.StatusBadRequest
		case domain.CodeNotFound:
			status = http.StatusNotFound
		case domain.CodeConflict, domain.CodeDuplicate:
			status = http.StatusConflict
		case domain.CodeForbidden:
			status = http.StatusForbidden
		}
		if status != http.StatusInternalServerError {
			body = errorJSON{Code: string(de.Code), Message: de.Message, Fields: de.Fields}
			if body.Message == "" && len(de.Fields) > 0 {
				body.Message = "some fields are not right"
			}
		}
	}
	if status == http.StatusInternalServerError {
		s.Log.ErrorContext(r.Context(), "api error", "method", r.Method, "route", r.Pattern, "error", err.Error())
	}
	body.RequestID = RequestID(r.Context())
	writeJSON(w, status, errorBody{Error: body})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
