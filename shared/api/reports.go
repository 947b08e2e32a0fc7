package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/reports"
)

// getTimeliness is the timeliness report (shared/reports): per deadline rule, met, missed and open over a
// period, with the median and 90th percentile of time-to-done and the worst cases by reference. It holds
// no personal data (references only), so it writes no read events.
func (s *Server) getTimeliness(w http.ResponseWriter, r *http.Request) error {
	p, err := policy.Load(string(s.Authority))
	if err != nil {
		return err
	}
	qs := r.URL.Query()
	now := s.Now()
	q, err := reports.ParseQuery(p, qs.Get("from"), qs.Get("to"), qs.Get("rule"), qs.Get("by"), now)
	if err != nil {
		return err
	}
	recs, err := reports.Load(r.Context(), s.Store, s.Authority)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, reports.Timeliness(p, recs, q, now))
	return nil
}

// getAnnexA is Ofsted's Annex A as CSV: List 1 (contacts; the default) — one row per child contact received
// in the period, in census codes — or, with list=2, List 2 (early help) — one row per early help decision made
// in the period. Both carry personal data (date of birth, gender, ethnicity), so every contact listed is
// audited as read before the file is written. List 1's X-Census-Missing header counts its contacts whose
// census codes are missing (their cells read "codes missing"); with missing=true the answer is those
// contacts instead (reports.AnnexAGaps: reference, status, date, the fields; no personal data, so no read).
func (s *Server) getAnnexA(w http.ResponseWriter, r *http.Request) error {
	p, err := policy.Load(string(s.Authority))
	if err != nil {
		return err
	}
	qs := r.URL.Query()
	list, listErr := reports.ParseAnnexAList("list", qs.Get("list"))
	gapsOnly, gapsErr := reports.ParseAnnexAMissing("missing", qs.Get("missing"), list)
	q, err := reports.ParseQuery(p, qs.Get("from"), qs.Get("to"), "", "", s.Now())
	if err := joinProblems(listErr, gapsErr, err); err != nil {
		return err
	}
	recs, err := reports.Load(r.Context(), s.Store, s.Authority)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(p.Timezone)
	if err != nil {
		return err
	}
	body, ids, gaps, err := reports.AnnexAFile(p, recs, list, q.From, q.To, loc)
	if err != nil {
		return err
	}
	name := "annex-a-list" + list + "-" + string(s.Authority)
	if gapsOnly {
		if body, err = reports.AnnexAGapsCSV(gaps); err != nil {
			return err
		}
		name += "-codes-missing"
	} else if err := s.auditReads(r, ids, reports.AnnexAReadWhat(list)); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	if list == "1" {
		w.Header().Set("X-Census-Missing", strconv.Itoa(len(gaps)))
	}
	w.WriteHeader(http.StatusOK)
	_, err = w.Write([]byte(body))
	return err
}

// joinProblems merges parameter errors so that one 400 names every bad parameter; an error that is not a
// domain invalid error is returned as it is.
func joinProblems(errs ...error) error {
	var probs domain.Problems
	for _, err := range errs {
		if err == nil {
			continue
		}
		var de *domain.Error
		if !errors.As(err, &de) || de.Code != domain.CodeInvalid {
			return err
		}
		probs = append(probs, de.Fields...)
	}
	return probs.Err()
}

// getSAR is a subject access request: everything held about a child (contacts, audit, attachments list)
// as a zip. Each export is audited on every contact exported; no matching child is a 404, audited too.
func (s *Server) getSAR(w http.ResponseWriter, r *http.Request) error {
	qs := r.URL.Query()
	given, family, _ := strings.Cut(strings.TrimSpace(qs.Get("child")), " ")
	var dob domain.Date
	if v := qs.Get("dob"); v != "" {
		d, err := domain.ParseDate(v)
		if err != nil {
			return &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "dob", Message: "is not a date: YYYY-MM-DD"}}}
		}
		dob = d
	}
	data, _, err := reports.SubjectAccess(r.Context(), s.Store, s.Authority, given, strings.TrimSpace(family), dob, IdentityFrom(r.Context()).Subject)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="subject-access.zip"`)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(data)
	return err
}
