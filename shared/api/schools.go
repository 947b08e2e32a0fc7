package api

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/safeguarding/mash/shared/directory"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

// MaxDirectoryBody is the largest school directory import accepted (a national list of 25,000
// establishments with DSL contacts is about 4 MB of CSV; API Gateway takes up to 10 MB).
const MaxDirectoryBody = 8 << 20

// postSchools imports the authority's school directory: text/csv, or a JSON array of the same fields.
// 200 with {loaded, rejected:[{row, urn, field, message}]} when any row loads; 400 naming every bad row
// and field when none does, or naming the missing columns of a wrong header.
func (s *Server) postSchools(w http.ResponseWriter, r *http.Request) error {
	if s.Directory == nil {
		return domain.Errorf(domain.CodeNotFound, "the school directory is not available here")
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, MaxDirectoryBody+1))
	if err != nil {
		return bodyErr("could not be read")
	}
	if len(data) > MaxDirectoryBody {
		return bodyErr("is larger than 8 MiB")
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var (
		rows  []directory.Row
		lines []int
	)
	switch mt {
	case "text/csv":
		rows, lines, err = directory.ParseCSV(strings.NewReader(string(data)))
	case "application/json":
		rows, lines, err = directory.ParseJSON(data)
	default:
		return &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "Content-Type",
			Message: "must be text/csv or application/json (a JSON array of schools)"}}}
	}
	if err != nil {
		return err
	}
	res, err := s.Directory.Import(r.Context(), s.Authority, IdentityFrom(r.Context()).Subject, rows, lines)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// listSchools returns the authority's directory (no personal data of children; the DSL contacts are the
// schools' own safeguarding mailboxes).
func (s *Server) listSchools(w http.ResponseWriter, r *http.Request) error {
	schools, err := s.Store.ListSchools(r.Context(), s.Authority)
	if err != nil {
		return err
	}
	if q := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("q"))); q != "" {
		kept := schools[:0]
		for _, sc := range schools {
			if strings.Contains(strings.ToLower(sc.Name), q) || sc.URN == q {
				kept = append(kept, sc)
			}
		}
		schools = kept
	}
	if schools == nil {
		schools = []store.School{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"schools": schools})
	return nil
}

// postContactSchool records the school a worker picked for a PPN the directory could not match
// ({"urn": "100001"}) and sends the Operation Encompass notice to its DSL at once.
func (s *Server) postContactSchool(w http.ResponseWriter, r *http.Request) error {
	if s.Directory == nil {
		return domain.Errorf(domain.CodeNotFound, "the school directory is not available here")
	}
	var body struct {
		URN string `json:"urn"`
	}
	if err := decode(r, &body); err != nil {
		return err
	}
	c, err := s.contact(r)
	if err != nil {
		return err
	}
	c, school, err := s.Directory.PickSchool(r.Context(), c.ID, body.URN, IdentityFrom(r.Context()).Subject)
	if err != nil {
		var de *domain.Error
		if c != nil && !errors.As(err, &de) {
			// Recorded, but the notice is not out yet: it stays queued and goes with the next flush.
			writeJSON(w, http.StatusAccepted, map[string]any{"contactId": c.ID, "school": school, "notice": "queued"})
			return nil
		}
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"contactId": c.ID, "school": school, "notice": "sent"})
	return nil
}
