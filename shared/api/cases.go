package api

import (
	"io"
	"net/http"

	"github.com/safeguarding/mash/shared/actions"
	"github.com/safeguarding/mash/shared/cases"
	"github.com/safeguarding/mash/shared/census"
)

// MaxCasesBody is the largest case-record import accepted in one request (about 40,000 CSV rows; larger
// exports go through `mash cases import` or in parts).
const MaxCasesBody = 8 << 20

// postCases loads case records from the council's case system (shared/cases): a JSON array, JSON lines or
// CSV with a header row. 200 with {rows, loaded, rejected:[{row, caseId, field, message}]} when any row
// loads; 400 naming every bad row and field when none does.
func (s *Server) postCases(w http.ResponseWriter, r *http.Request) error {
	data, err := io.ReadAll(io.LimitReader(r.Body, MaxCasesBody+1))
	if err != nil {
		return bodyErr("could not be read")
	}
	if len(data) > MaxCasesBody {
		return bodyErr("is larger than 8 MiB")
	}
	rows, err := cases.Parse(data)
	if err != nil {
		return err
	}
	res, err := cases.Import(r.Context(), s.Store, s.Authority, IdentityFrom(r.Context()).Subject, rows, s.Now())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// postMatch records the screener's decision on one of a contact's person-matching candidates:
// {"candidate": "M-9", "decision": "confirm"|"reject"}. Audited (match.confirmed / match.rejected); an
// unknown candidate is a 404. A confirmed candidate with an open case (or one closed within three months)
// forwards the contact as an exact match would (actions.Match): the answer's status is then forwarded.
func (s *Server) postMatch(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Candidate string `json:"candidate"`
		Decision  string `json:"decision"`
	}
	if err := decode(r, &body); err != nil {
		return err
	}
	c, err := s.contact(r)
	if err != nil {
		return err
	}
	c, err = s.Actions.Match(r.Context(), c.ID, actions.Match{Candidate: body.Candidate, Decision: body.Decision, By: IdentityFrom(r.Context()).Subject})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"contactId": c.ID, "status": c.Status, "outcome": c.Outcome, "matchCandidates": c.MatchCandidates})
	return nil
}

// postRespond answers a request for information (Hackney §4(5–6)): {"summary": "what was answered, to
// whom"}. 409 when the contact is not a request for information awaiting its answer.
func (s *Server) postRespond(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Summary string `json:"summary"`
	}
	if err := decode(r, &body); err != nil {
		return err
	}
	c, err := s.contact(r)
	if err != nil {
		return err
	}
	c, err = s.Actions.Respond(r.Context(), c.ID, body.Summary, IdentityFrom(r.Context()).Subject)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"contactId": c.ID, "status": c.Status, "outcome": c.Outcome})
	return nil
}

// postCensus records census codes (source of referral, gender, ethnicity) a person chose for the contact
// (issue #16: where intake could not derive them with certainty) through actions.Census: audited census.set
// with the fields named; 400 naming each bad code with the allowed ones.
func (s *Server) postCensus(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Source    string `json:"source"`
		Gender    string `json:"gender"`
		Ethnicity string `json:"ethnicity"`
	}
	if err := decode(r, &body); err != nil {
		return err
	}
	c, err := s.contact(r)
	if err != nil {
		return err
	}
	c, err = s.Actions.Census(r.Context(), c.ID, actions.Census{Source: body.Source, Gender: body.Gender, Ethnicity: body.Ethnicity,
		By: IdentityFrom(r.Context()).Subject})
	if err != nil {
		return err
	}
	out := map[string]any{"contactId": c.ID, "census": c.Census}
	if m := census.Missing(c); len(m) > 0 {
		out["censusMissing"] = m
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
