package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/safeguarding/mash/shared/consultations"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/store"
)

// consultationBody is a consultation as POST /v1/consultations takes it. POST /v1/contacts with channel
// consultation takes the same body, where the consultee may be called "referrer" as a recorded contact's is,
// and "immediateHarm" says the child is at risk.
type consultationBody struct {
	consultations.Request
	Channel       domain.Channel           `json:"channel,omitempty"`
	Referrer      *consultations.Consultee `json:"referrer,omitempty"`
	ImmediateHarm intake.HarmAnswer        `json:"immediateHarm,omitempty"`
}

func (b consultationBody) request(by string) consultations.Request {
	req := b.Request
	if b.Referrer != nil && req.Consultee.Referrer == (domain.Referrer{}) && req.Consultee.Professional == nil {
		req.Consultee = *b.Referrer
	}
	if b.ImmediateHarm.Yes() {
		req.ChildAtRisk = true
	}
	req.RecordedBy = by
	return req
}

// ConsultationRoles may record consultations: POST /v1/consultations, POST /v1/contacts with channel
// consultation and the console's "This is a consultation" agree. Not the EDT: out of hours the MASH's
// functions, its consultation line among them, are not available, and a professional's call to the
// out-of-hours team is a referral, reviewed by the MASH the next working day (Northamptonshire §6 "The MASH
// function will not be available out of hours"; Barnet "Operating hours": concerns needing an immediate
// response go to the Emergency Duty Team, the consultation line keeps its own hours; Portsmouth §8: contacts
// made out of hours are reviewed the next working day). The EDT records such a call as a phone contact.
var ConsultationRoles = []string{RoleContactOfficer, RoleWorker, RoleManager}

// errEDTConsultation refuses a consultation from a role that may record contacts but not consultations.
var errEDTConsultation = &domain.Error{Code: domain.CodeForbidden,
	Message: "your role may not record consultations: out of hours a professional's call is a referral, reviewed by the MASH the next working day",
	Fields:  []domain.FieldError{{Field: "channel", Message: "record the call as a contact (channel phone or walk-in); consultations are recorded by a contact officer, MASH worker or manager"}}}

// mayConsult refuses a consultation from a caller without a ConsultationRoles role.
func (s *Server) mayConsult(r *http.Request) error {
	if IdentityFrom(r.Context()).Has(ConsultationRoles...) {
		return nil
	}
	return errEDTConsultation
}

func (s *Server) consultations() consultations.Service {
	return consultations.Service{Env: s.Actions.Env, Intake: s.Intake}
}

// consultationJSON is a consultation as the API shows it: the record, and where it went.
type consultationJSON struct {
	*domain.Consultation
	// Path is where to read it.
	Path string `json:"path"`
}

func consultationOut(k *domain.Consultation) consultationJSON {
	return consultationJSON{Consultation: k, Path: "/v1/consultations/" + string(k.ID)}
}

// postConsultation records a consultation in the consultation log (never on the rating tray).
func (s *Server) postConsultation(w http.ResponseWriter, r *http.Request) error {
	var body consultationBody
	if err := decode(r, &body); err != nil {
		return err
	}
	if body.Channel != "" && body.Channel != domain.ChannelConsultation {
		return &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "channel", Message: "must be consultation (or left out) here"}}}
	}
	return s.recordConsultation(w, r, body)
}

// recordConsultation records the consultation, keyed by the request's Idempotency-Key (scoped to the route
// and the caller, as the intake routes' are): the same key with the same details is the first consultation
// again (200, nothing recorded); the same key with other details is a 409 naming the first.
func (s *Server) recordConsultation(w http.ResponseWriter, r *http.Request, body consultationBody) error {
	req := body.request(IdentityFrom(r.Context()).Subject)
	req.Key = clientKey(r)
	rec, err := s.consultations().Record(r.Context(), s.Authority, req)
	if err != nil {
		var de *domain.Error
		if req.Key != "" && errors.As(err, &de) && de.Code == domain.CodeConflict && len(de.Fields) == 0 {
			return &domain.Error{Code: domain.CodeConflict, Message: de.Message,
				Fields: []domain.FieldError{{Field: "Idempotency-Key", Message: "was already used on this route: " + de.Message + "; send a new key for a new consultation"}}}
		}
		return err
	}
	out := map[string]any{"consultation": consultationOut(rec.Consultation)}
	if rec.Contact != nil {
		out["contact"] = rec.Contact
	}
	w.Header().Set("Location", "/v1/consultations/"+string(rec.Consultation.ID))
	status := http.StatusCreated
	if rec.Duplicate {
		status = http.StatusOK // a repeated Idempotency-Key: the first consultation again
	}
	writeJSON(w, status, out)
	return nil
}

// isConsultation reports whether a POST /v1/contacts body names channel consultation, leaving the body to
// be read again.
func isConsultation(r *http.Request) bool {
	data, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
	r.Body = io.NopCloser(bytes.NewReader(data))
	if err != nil {
		return false
	}
	var peek struct {
		Channel domain.Channel `json:"channel"`
	}
	return json.Unmarshal(data, &peek) == nil && peek.Channel == domain.ChannelConsultation
}

// listConsultations lists the consultation log, newest first, each with its deadlines; every consultation
// listed is audited as read (consultation.read, under its id).
func (s *Server) listConsultations(w http.ResponseWriter, r *http.Request) error {
	ks, err := s.consultations().List(r.Context(), s.Authority)
	if err != nil {
		return err
	}
	if err := s.auditConsultationReads(r, ks, "consultation log"); err != nil {
		return err
	}
	items := make([]consultationJSON, len(ks))
	for i, k := range ks {
		items[i] = consultationOut(k)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

func (s *Server) getConsultation(w http.ResponseWriter, r *http.Request) error {
	k, err := s.consultations().Get(r.Context(), s.Authority, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := s.auditConsultationReads(r, []*domain.Consultation{k}, "consultation"); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, consultationOut(k))
	return nil
}

func (s *Server) auditConsultationReads(r *http.Request, ks []*domain.Consultation, what string) error {
	return AuditConsultationReads(r.Context(), s.Store, IdentityFrom(r.Context()).Subject, ks, what)
}

// AuditConsultationReads records that `who` saw these consultations (the log, one of them): one
// "consultation.read" event under each consultation's id, batched, before the data is sent. The console's
// consultation log records its reads with it, as the API's routes do.
func AuditConsultationReads(ctx context.Context, st store.Audit, who string, ks []*domain.Consultation, what string) error {
	if len(ks) == 0 {
		return nil
	}
	evs := make([]store.AuditEvent, len(ks))
	for i, k := range ks {
		evs[i] = auditEvent(k.ID.AuditID(), who, "consultation.read", what)
	}
	return st.AppendAudits(ctx, evs)
}

// postConsultationSummary records the written summary and sends it to the consultee (Bexley §5–6); its
// clock stops. {"text": "..."}.
func (s *Server) postConsultationSummary(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Text string `json:"text"`
	}
	if err := decode(r, &body); err != nil {
		return err
	}
	k, err := s.consultations().Summarise(r.Context(), s.Authority, r.PathValue("id"), body.Text, IdentityFrom(r.Context()).Subject)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, consultationOut(k))
	return nil
}

// postConsultationContact turns a consultation into a contact (a referral), audited; a second time is a 409.
func (s *Server) postConsultationContact(w http.ResponseWriter, r *http.Request) error {
	var body consultations.Conversion
	if err := decode(r, &body); err != nil {
		return err
	}
	res, k, err := s.consultations().Convert(r.Context(), s.Authority, r.PathValue("id"), body, IdentityFrom(r.Context()).Subject)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/contacts/"+string(res.ContactID))
	writeJSON(w, http.StatusCreated, map[string]any{"contacts": []intake.Result{res}, "consultation": consultationOut(k)})
	return nil
}
