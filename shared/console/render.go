package console

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/domain"
)

//go:embed templates/*.html
var templateFS embed.FS

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

var funcs = template.FuncMap{
	"label": func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, ".", " "), "-", " ") },
	"id":    func(s string) string { return strings.NewReplacer("[", "-", "]", "", ".", "-").Replace(s) },
	"field": func(v view, name, label, hint string) fieldArgs { return fieldArgs{v, name, label, hint} },
	"str": func(v any) string {
		return strings.TrimSpace(strings.ReplaceAll(strings.ToLower(toString(v)), "_", " "))
	},
}

type fieldArgs struct {
	V                 view
	Name, Label, Hint string
}

func toString(v any) string { return fmt.Sprint(v) }

var pageNames = []string{"home", "tray", "contact", "search", "quarantine", "ooh", "refer", "referred", "answer",
	"answered", "signin", "error", "reports", "schools", "school", "encompass", "acknowledged", "referrals"}

// pages parses every page's templates once, at the first render rather than at start: parsing them is most
// of the console function's init otherwise (BenchmarkInit in functions/).
var pages = sync.OnceValues(func() (map[string]*template.Template, error) {
	m := map[string]*template.Template{}
	for _, n := range pageNames {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html",
			"templates/parts.html", "templates/"+n+".html")
		if err != nil {
			return nil, fmt.Errorf("page %s: %w", n, err)
		}
		m[n] = t
	}
	return m, nil
})

// render writes a page; a template failure is logged and answered with a plain error, never its text.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, v view) error {
	if id, ok := identity(r); ok {
		v.User = &id
		v.Staff = id.Has(Staff...)
		v.Manager = id.Has(api.RoleManager)
		v.EDT = id.Has(api.RoleEDT, api.RoleWorker, api.RoleManager)
		v.Referrer = id.Has(ReferrerRoles...)
	}
	v.CSRF = s.csrfToken(r)
	v.Authority = s.Policy.Name
	var buf bytes.Buffer
	tpls, err := pages()
	if err == nil {
		err = tpls[name].Execute(&buf, v)
	}
	if err != nil {
		s.Log.ErrorContext(r.Context(), "console render", "page", name, "error", err.Error())
		http.Error(w, "Sorry, there is a problem with the service (request "+api.RequestID(r.Context())+").", http.StatusInternalServerError)
		return nil
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
	return nil
}
