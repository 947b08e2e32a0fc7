package api

import (
	"net/http"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/meeting"
	"github.com/safeguarding/mash/shared/policy"
)

// getMeeting is the daily MASH meeting's agenda for ?date=YYYY-MM-DD (today in Europe/London when absent):
// its time and the contacts due for discussion, earliest deadline first (shared/meeting). A date with no
// meeting is a 404 naming the meeting days; a bad date a 400 naming date. Every contact listed is audited as
// read.
func (s *Server) getMeeting(w http.ResponseWriter, r *http.Request) error {
	p, err := policy.Load(string(s.Authority))
	if err != nil {
		return err
	}
	date := r.URL.Query().Get("date")
	if date == "" {
		cal, err := p.Calendar()
		if err != nil {
			return err
		}
		date = s.Now().In(cal.Location()).Format("2006-01-02")
	}
	a, err := meeting.For(r.Context(), s.Store, p, date)
	if err != nil {
		return err
	}
	ids := make([]domain.ContactID, len(a.Items))
	for i, it := range a.Items {
		ids[i] = it.ContactID
	}
	if err := s.auditReads(r, ids, "meeting agenda "+a.Date); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}
