package console

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/safeguarding/mash/shared/directory"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

// The school directory's pages (issue #20): staff search a school and see its Designated Safeguarding Lead;
// a manager corrects a school's DSL contacts or whether it is open. An edit goes through the directory's own
// import (directory.Desk.Import), so it is checked like an imported row (one bare address on an allowed
// domain, no display name, list or line break) and audited with the editor on the directory's trail.

type schoolsView struct {
	Q       string
	Results []store.School
	More    int
}

type schoolView struct {
	School store.School
	Saved  bool
}

// schoolsLimit is the most schools one search lists; a narrower search finds the rest.
const schoolsLimit = 50

func (s *Server) schoolsPage(w http.ResponseWriter, r *http.Request) error {
	if s.Schools == nil {
		return domain.Errorf(domain.CodeNotFound, "the school directory is not enabled here")
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	v := schoolsView{Q: q}
	if q != "" {
		all, err := s.Store.ListSchools(r.Context(), s.Authority)
		if err != nil {
			return err
		}
		for _, sc := range all {
			if schoolMatches(q, sc) {
				v.Results = append(v.Results, sc)
			}
		}
		if len(v.Results) > schoolsLimit {
			v.More = len(v.Results) - schoolsLimit
			v.Results = v.Results[:schoolsLimit]
		}
	}
	return s.render(w, r, http.StatusOK, "schools", view{Title: "Schools", Data: v})
}

// schoolMatches: a URN exactly, a postcode (spaces ignored), or every word of the query in the school's name.
func schoolMatches(q string, sc store.School) bool {
	if q == sc.URN {
		return true
	}
	if pc := directory.NormalisePostcode(q); pc != "" && pc == directory.NormalisePostcode(sc.Postcode) {
		return true
	}
	name := strings.Fields(strings.ToLower(sc.Name))
	for _, w := range strings.Fields(strings.ToLower(q)) {
		if !slices.ContainsFunc(name, func(n string) bool { return strings.HasPrefix(n, w) }) {
			return false
		}
	}
	return true
}

func (s *Server) schoolPage(w http.ResponseWriter, r *http.Request) error {
	return s.showSchool(w, r, http.StatusOK, nil, nil)
}

func (s *Server) showSchool(w http.ResponseWriter, r *http.Request, status int, form url.Values, errs []domain.FieldError) error {
	if s.Schools == nil {
		return domain.Errorf(domain.CodeNotFound, "the school directory is not enabled here")
	}
	sc, err := s.Store.GetSchool(r.Context(), s.Authority, r.PathValue("urn"))
	if err != nil {
		return err
	}
	if form == nil {
		open := "no"
		if sc.Open {
			open = "yes"
		}
		form = url.Values{"dslEmail": {sc.DSLEmail}, "deputyDslEmail": {sc.DeputyDSLEmail}, "dslPhone": {sc.DSLPhone}, "open": {open}}
	}
	return s.render(w, r, status, "school", view{Title: sc.Name, Data: schoolView{School: sc, Saved: r.URL.Query().Get("saved") == "1"},
		Form: form, Errors: errs})
}

// schoolEdit writes the manager's correction as a one-row import of the school (every other field as it
// was), audited with the manager; a refused field is shown beside its input.
func (s *Server) schoolEdit(w http.ResponseWriter, r *http.Request) error {
	if s.Schools == nil {
		return domain.Errorf(domain.CodeNotFound, "the school directory is not enabled here")
	}
	sc, err := s.Store.GetSchool(r.Context(), s.Authority, r.PathValue("urn"))
	if err != nil {
		return err
	}
	f := r.PostForm
	row := directory.Row{URN: sc.URN, Name: sc.Name, Type: sc.Type, Phase: sc.Phase, Postcode: sc.Postcode,
		Open: f.Get("open"), DSLEmail: strings.TrimSpace(f.Get("dslEmail")),
		DeputyDSLEmail: strings.TrimSpace(f.Get("deputyDslEmail")), DSLPhone: strings.TrimSpace(f.Get("dslPhone"))}
	res, err := s.Schools.Import(r.Context(), s.Authority, who(r), []directory.Row{row}, []int{1})
	if len(res.Rejected) > 0 {
		var errs []domain.FieldError
		for _, e := range res.Rejected {
			errs = append(errs, domain.FieldError{Field: e.Field, Message: e.Message})
		}
		return s.showSchool(w, r, http.StatusBadRequest, f, errs)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/schools/"+url.PathEscape(sc.URN)+"?saved=1", http.StatusSeeOther)
	return nil
}
