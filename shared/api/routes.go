package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/safeguarding/mash/shared/actions"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/store"
)

func (s *Server) created(w http.ResponseWriter, res []intake.Result) error {
	status := http.StatusCreated
	if len(res) > 0 && res[0].Status != intake.StatusCreated {
		status = http.StatusOK // a repeated Idempotency-Key: the first result again
	}
	writeJSON(w, status, map[string]any{"contacts": res})
	return nil
}

func (s *Server) postReferral(w http.ResponseWriter, r *http.Request) error {
	var body intake.Referral
	if err := decode(r, &body); err != nil {
		return err
	}
	res, err := s.Intake.CreateReferral(r.Context(), s.Authority, body, r.Header.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	return s.created(w, res)
}

func (s *Server) postPPN(w http.ResponseWriter, r *http.Request) error {
	var body intake.PPN
	if err := decode(r, &body); err != nil {
		return err
	}
	res, err := s.Intake.CreatePPN(r.Context(), s.Authority, body, r.Header.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	return s.created(w, res)
}

func (s *Server) postContact(w http.ResponseWriter, r *http.Request) error {
	var body intake.Recorded
	if err := decode(r, &body); err != nil {
		return err
	}
	if body.RecordedBy == "" {
		body.RecordedBy = IdentityFrom(r.Context()).Subject
	}
	res, err := s.Intake.RecordContact(r.Context(), s.Authority, body, r.Header.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	return s.created(w, res)
}

// contact loads the {id} contact of this authority; another authority's contact is not found.
func (s *Server) contact(r *http.Request) (*domain.Contact, error) {
	id, err := domain.ParseContactID(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	c, err := s.Store.GetContact(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if c.Authority != s.Authority {
		return nil, domain.Errorf(domain.CodeNotFound, "no such contact")
	}
	return c, nil
}

// audit records a read of personal data.
func (s *Server) auditRead(r *http.Request, id domain.ContactID, what string) error {
	_, err := s.Store.AppendAudit(r.Context(), auditEvent(id, IdentityFrom(r.Context()).Subject, "contact.read", what))
	return err
}

func (s *Server) getContact(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contact(r)
	if err != nil {
		return err
	}
	if err := s.auditRead(r, c.ID, "contact"); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) listContacts(w http.ResponseWriter, r *http.Request) error {
	status := domain.Status(r.URL.Query().Get("status"))
	if status == "" {
		status = domain.StatusAwaitingRating
	}
	if !status.Valid() {
		return &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "status", Message: "is not a known status"}}}
	}
	cs, err := s.Store.ListContacts(r.Context(), s.Authority, status)
	if err != nil {
		return err
	}
	if cs == nil {
		cs = []*domain.Contact{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"contacts": cs})
	return nil
}

func (s *Server) timeline(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contact(r)
	if err != nil {
		return err
	}
	evs, err := s.Store.ListAudit(r.Context(), c.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"events": evs})
	return nil
}

func (s *Server) postRating(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contact(r)
	if err != nil {
		return err
	}
	var body actions.Rate
	if err := decode(r, &body); err != nil {
		return err
	}
	body.By = IdentityFrom(r.Context()).Subject
	c, err = s.Actions.Rate(r.Context(), c.ID, body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) postDecision(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contact(r)
	if err != nil {
		return err
	}
	var body actions.Decide
	if err := decode(r, &body); err != nil {
		return err
	}
	body.By = IdentityFrom(r.Context()).Subject
	c, err = s.Actions.Decide(r.Context(), c.ID, body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) postOverride(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contact(r)
	if err != nil {
		return err
	}
	var body domain.ConsentOverride
	if err := decode(r, &body); err != nil {
		return err
	}
	body.By = IdentityFrom(r.Context()).Subject
	c, err = s.Actions.OverrideConsent(r.Context(), c.ID, body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) postClaim(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contact(r)
	if err != nil {
		return err
	}
	var body struct {
		Tray string `json:"tray"`
	}
	if err := decode(r, &body); err != nil {
		return err
	}
	it, err := s.Actions.Claim(r.Context(), c.ID, body.Tray, IdentityFrom(r.Context()).Subject)
	if err != nil {
		return err
	}
	it.TaskToken = ""
	writeJSON(w, http.StatusOK, it)
	return nil
}

func (s *Server) listChecks(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contact(r)
	if err != nil {
		return err
	}
	cs, err := s.Store.ListChecks(r.Context(), c.ID)
	if err != nil {
		return err
	}
	id := IdentityFrom(r.Context())
	out := cs[:0]
	for _, x := range cs {
		if !id.Has(RoleWorker, RoleManager) && string(x.Agency) != id.Agency {
			continue // a partner sees its own agency's requests only
		}
		x.TaskToken = ""
		out = append(out, x)
	}
	writeJSON(w, http.StatusOK, map[string]any{"checks": out})
	return nil
}

func (s *Server) postAnswer(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contact(r)
	if err != nil {
		return err
	}
	var body actions.Answer
	if err := decode(r, &body); err != nil {
		return err
	}
	id := IdentityFrom(r.Context())
	body.By = id.Subject
	checkID := r.PathValue("check")
	if !id.Has(RoleWorker, RoleManager) {
		req, err := s.Store.GetCheck(r.Context(), c.ID, checkID)
		if err != nil {
			return err
		}
		if string(req.Agency) != id.Agency {
			return &domain.Error{Code: domain.CodeForbidden, Message: "this check is for another agency"}
		}
	}
	req, err := s.Actions.AnswerCheck(r.Context(), c.ID, checkID, body)
	if err != nil {
		return err
	}
	req.TaskToken = ""
	writeJSON(w, http.StatusOK, req)
	return nil
}

func (s *Server) getTray(w http.ResponseWriter, r *http.Request) error {
	// Every item, overdue or not, unless the caller asks for those due before an instant.
	before := s.Now().Add(10 * 365 * 24 * time.Hour)
	if v := r.URL.Query().Get("dueBefore"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "dueBefore", Message: "is not RFC3339"}}}
		}
		before = t
	}
	limit := 200
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "limit", Message: "must be 1..1000"}}}
		}
		limit = n
	}
	items, err := s.Store.DueItems(r.Context(), r.PathValue("tray"), before, limit)
	if err != nil {
		return err
	}
	out := items[:0]
	for _, it := range items {
		if it.Authority != s.Authority {
			continue
		}
		it.TaskToken = ""
		out = append(out, it)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

func (s *Server) listQuarantine(w http.ResponseWriter, r *http.Request) error {
	qs, err := s.Store.ListQuarantine(r.Context(), s.Authority)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": qs})
	return nil
}

func (s *Server) releaseQuarantine(w http.ResponseWriter, r *http.Request) error {
	res, err := s.Intake.ReleaseQuarantine(r.Context(), r.PathValue("id"), IdentityFrom(r.Context()).Subject)
	if err != nil {
		return err
	}
	return s.created(w, res)
}

func (s *Server) postOOH(w http.ResponseWriter, r *http.Request) error {
	if s.OOH == nil {
		return domain.Errorf(domain.CodeNotFound, "out-of-hours recording is not enabled")
	}
	var body intake.Recorded
	if err := decode(r, &body); err != nil {
		return err
	}
	res, err := s.OOH.AddPhoneNote(r.Context(), s.Authority, IdentityFrom(r.Context()).Subject, body)
	if err != nil {
		return err
	}
	return s.created(w, res)
}

func (s *Server) postOOHAction(w http.ResponseWriter, r *http.Request) error {
	if s.OOH == nil {
		return domain.Errorf(domain.CodeNotFound, "out-of-hours recording is not enabled")
	}
	c, err := s.contact(r)
	if err != nil {
		return err
	}
	var body struct {
		Action string `json:"action"`
	}
	if err := decode(r, &body); err != nil {
		return err
	}
	if body.Action == "" {
		return &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "action", Message: "is required"}}}
	}
	if err := s.OOH.RecordAction(r.Context(), c.ID, IdentityFrom(r.Context()).Subject, body.Action); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func auditEvent(id domain.ContactID, actor, action, what string) store.AuditEvent {
	return store.AuditEvent{ContactID: id, Actor: actor, Action: action, Detail: map[string]string{"what": what}}
}
