package api

import (
	"net/http"

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
