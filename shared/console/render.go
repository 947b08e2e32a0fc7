package console

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/domain"
)

// view is what every page template gets.
type view struct {
	Title  string
	Data   any
	Form   url.Values
	Errors []domain.FieldError
	// Filled by render:
	User      *api.Identity
	CSRF      string
	Authority string
	Staff     bool
	Manager   bool
	EDT       bool
	Referrer  bool // may follow their own referrals (My referrals)
	// Consult: may read the consultation log (ConsultationRoles) and the policy offers consultations.
	Consult bool
	// Meeting: may read the daily meeting's agenda (workers, managers) and the policy has a meeting.
	Meeting bool
}

// Err is the message for a field, "" when it has none.
func (v view) Err(field string) string {
	var msgs []string
	for _, e := range v.Errors {
		if e.Field == field {
			msgs = append(msgs, e.Message)
		}
	}
	return strings.Join(msgs, "; ")
}

// Val is the form's input for a field (re-shown after an error).
func (v view) Val(field string) string { return v.Form.Get(field) }

// Has reports whether a checkbox or radio of the form had this value.
func (v view) Has(field, value string) bool {
	for _, x := range v.Form[field] {
		if x == value {
			return true
		}
	}
	return false
}

// renderForm renders a page with a form, re-showing the form's values and errors; its title starts "Error: "
// when there are errors (GOV.UK).
func (s *Server) renderForm(w http.ResponseWriter, r *http.Request, status int, name, title string, data any, form url.Values, errs []domain.FieldError) error {
	if len(errs) > 0 {
		title = "Error: " + title
	}
	return s.render(w, r, status, name, view{Title: title, Data: data, Form: form, Errors: errs})
}

// render writes a page (pages_html.go); a failure is logged and answered with a plain error, never its text.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, v view) error {
	if id, ok := identity(r); ok {
		v.User = &id
		v.Staff = id.Has(Staff...)
		v.Manager = id.Has(api.RoleManager)
		v.EDT = id.Has(api.RoleEDT, api.RoleWorker, api.RoleManager)
		v.Referrer = id.Has(ReferrerRoles...)
		v.Consult = id.Has(ConsultationRoles...) && s.Policy.Consultations.Offered
		v.Meeting = id.Has(api.RoleWorker, api.RoleManager) && len(s.Policy.Meeting.Days) > 0
	}
	v.CSRF = s.csrfToken(r)
	v.Authority = s.Policy.Name
	var p page
	main, ok := pageMains[name]
	var err error
	if !ok {
		err = fmt.Errorf("no page %q", name)
	} else {
		func() {
			defer func() {
				if e := recover(); e != nil {
					err = fmt.Errorf("page %s: %v", name, e)
				}
			}()
			layout(&p, &v, func(p *page, v *view) { err = main(p, v) })
		}()
	}
	if err != nil {
		s.Log.ErrorContext(r.Context(), "console render", "page", name, "error", err.Error())
		http.Error(w, "Sorry, there is a problem with the service (request "+api.RequestID(r.Context())+").", http.StatusInternalServerError)
		return nil
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, p.b.String())
	return nil
}
