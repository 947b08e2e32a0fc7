package console

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/directory"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

// The school's acknowledgement of an Operation Encompass notice (shared/directory's ack.go). The notice to
// the DSL carries a single-use link; opening it uses it and shows what the school needs to know, with a form
// whose own single-use token (two hours) the acknowledgement carries. A second use, or an expired link, is a
// clear page and changes nothing. No console account is needed; every read is audited as shared with the
// school.

const (
	purposeAckForm = "encompass-ack-form"
	ackFormTTL     = 2 * time.Hour
)

type ackView struct {
	Token        string
	C            *domain.Contact
	Name, DOB    string
	School       string
	Incident     string
	Due          string
	Acknowledged bool
	Done         bool
}

// ackLinkPage is the Encompass notice's link: a button that opens the notification (ackOpen; linkOpenView
// says why a GET does not use the link).
func (s *Server) ackLinkPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "linkopen", view{Title: "Operation Encompass notification", Data: linkOpenView{
		Heading: "Operation Encompass notification", Body: "The police attended an incident at which a child at your school was present. Open the notification to read what the school needs to know and to acknowledge it.",
		Kind: "encompass", Token: r.PathValue("token"), ID: "encompass-open", Button: "Open the notification"}})
}

// ackOpen uses the Encompass link (the button of ackLinkPage; a second use, or an expired link, is a clear page).
func (s *Server) ackOpen(w http.ResponseWriter, r *http.Request) error {
	return s.withLink(w, r, r.PostFormValue("token"), directory.PurposeAck, func(l store.Link) error {
		return s.showAck(w, r, http.StatusOK, l, nil, nil)
	})
}

func (s *Server) showAck(w http.ResponseWriter, r *http.Request, status int, l store.Link, form url.Values, errs []domain.FieldError) error {
	ctx := r.Context()
	c, err := s.Store.GetContact(ctx, l.ContactID)
	if err != nil {
		return err
	}
	it, err := s.Store.GetTrayItem(ctx, l.Subject)
	if err != nil {
		return err
	}
	incident := c.ReceivedAt
	if !c.IncidentAt.IsZero() {
		incident = c.IncidentAt
	}
	v := ackView{C: c, Name: childName(c.Child), School: it.Note, Incident: s.when(incident), Due: s.when(it.DueAt),
		Acknowledged: !it.CompletedAt.IsZero()}
	if !c.Child.DateOfBirth.IsZero() {
		v.DOB = ukDate(c.Child.DateOfBirth)
	}
	if !v.Acknowledged {
		if v.Token, err = s.formToken(ctx, l, purposeAckForm, ackFormTTL); err != nil {
			return err
		}
	}
	school := it.Note
	if school == "" {
		school = "the child's school"
	}
	if _, err := s.Store.AppendAudit(ctx, store.AuditEvent{ContactID: c.ID, Actor: "school DSL (acknowledgement link)",
		Action: "contact.read", SharedWith: []string{school}, Detail: map[string]string{"what": "console Encompass acknowledgement page", "item": it.ID}}); err != nil {
		return err
	}
	return s.renderForm(w, r, status, "encompass", "Operation Encompass notification", v, form, errs)
}

func (s *Server) ackPost(w http.ResponseWriter, r *http.Request) error {
	l, err := s.Store.ConsumeLink(r.Context(), r.PostFormValue("token"))
	if err != nil || l.Purpose != purposeAckForm {
		return s.linkGone(w, r, err)
	}
	a := directory.Acknowledgement{Name: strings.TrimSpace(r.PostFormValue("name")), Role: strings.TrimSpace(r.PostFormValue("role")),
		Read: r.PostFormValue("read") == "true"}
	if err := directory.Acknowledge(r.Context(), s.Store, l.ContactID, l.Subject, a); err != nil {
		if f, ok := invalidFields(err); ok {
			return s.showAck(w, r, http.StatusBadRequest, l, r.PostForm, f)
		}
		return err
	}
	return s.render(w, r, http.StatusOK, "acknowledged", view{Title: "Acknowledgement recorded", Data: ackView{Done: true}})
}
