package api

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/actions"
	"github.com/safeguarding/mash/shared/checks"
	"github.com/safeguarding/mash/shared/directory"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/notify"
	"github.com/safeguarding/mash/shared/ooh"
	"github.com/safeguarding/mash/shared/reports"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/trays"
)

func (s *Server) created(w http.ResponseWriter, res []intake.Result) error {
	status := http.StatusCreated
	if len(res) > 0 && res[0].Status != intake.StatusCreated {
		status = http.StatusOK // a repeated Idempotency-Key: the first result again
	}
	writeJSON(w, status, map[string]any{"contacts": res})
	return nil
}

// clientKey is the request's Idempotency-Key scoped to its route and the signed-in caller (issue #13): the
// same key on another route or from another caller is another key, and a key used with another body is a 409.
func clientKey(r *http.Request) string {
	return intake.ClientKey(r.Method+" "+r.URL.Path, IdentityFrom(r.Context()).Subject, r.Header.Get("Idempotency-Key"))
}

// referralBody is a referral as POST /v1/referrals takes it; "channel" may name the route's own channel
// (the sample bodies in events/api carry it), nothing else.
type referralBody struct {
	intake.Referral
	Channel domain.Channel `json:"channel"`
}

// ppnBody is a PPN as POST /v1/ppn takes it, with the same optional "channel".
type ppnBody struct {
	intake.PPN
	Channel domain.Channel `json:"channel"`
}

func checkChannel(got, want domain.Channel) error {
	if got != "" && got != want {
		return &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "channel", Message: "must be " + string(want) + " on this route (or left out)"}}}
	}
	return nil
}

func (s *Server) postReferral(w http.ResponseWriter, r *http.Request) error {
	var body referralBody
	err := errors.Join(decode(r, &body), checkChannel(body.Channel, domain.ChannelForm))
	res, err := s.intakeCall(err, body.Referral.Validate, func() ([]intake.Result, error) {
		return s.Intake.CreateReferral(r.Context(), s.Authority, body.Referral, clientKey(r))
	})
	if err != nil {
		return err
	}
	return s.created(w, res)
}

func (s *Server) postPPN(w http.ResponseWriter, r *http.Request) error {
	var body ppnBody
	err := errors.Join(decode(r, &body), checkChannel(body.Channel, domain.ChannelPPN))
	res, err := s.intakeCall(err, body.PPN.Validate, func() ([]intake.Result, error) {
		return s.Intake.CreatePPN(r.Context(), s.Authority, body.PPN, clientKey(r))
	})
	if err != nil {
		return err
	}
	return s.created(w, res)
}

func (s *Server) postContact(w http.ResponseWriter, r *http.Request) error {
	// A consultation is not a contact: it goes into the consultation log (POST /v1/consultations), never on
	// the rating tray (Bexley §5–6, Hackney §8).
	if isConsultation(r) {
		if err := s.mayConsult(r); err != nil {
			return err
		}
		var body consultationBody
		if err := decode(r, &body); err != nil {
			return err
		}
		return s.recordConsultation(w, r, body)
	}
	// One child ("child", as before) or several ("children": one call about a household, as the console's
	// Record a call): one contact per child, one household, linked (intake.RecordHousehold).
	var body intake.RecordedHousehold
	err := decode(r, &body)
	// The audit trail names the signed-in user, never a name the body gives: a different "recordedBy" (or
	// "takenBy") is who took the call, kept beside it.
	if subject := IdentityFrom(r.Context()).Subject; body.RecordedBy != subject {
		if body.TakenBy == "" {
			body.TakenBy = body.RecordedBy
		}
		body.RecordedBy = subject
	}
	if len(body.Children) == 0 {
		res, err := s.intakeCall(err, body.Recorded.Validate, func() ([]intake.Result, error) {
			return s.Intake.RecordContact(r.Context(), s.Authority, body.Recorded, clientKey(r))
		})
		if err != nil {
			return err
		}
		return s.created(w, res)
	}
	// The household's children are in "children" alone: a "child" or "childNotKnown" beside them would be
	// a child left out or a detail given to no one.
	var p domain.Problems
	if body.Child != (domain.Child{}) {
		p.Add("child", "give the children in children only (or one child here, without children)")
	}
	if len(body.ChildNotKnown) > 0 {
		p.Add("childNotKnown", "give what the caller could not say of each child in children[i].notKnown")
	}
	if p.Err() != nil {
		err = errors.Join(err, p.Err())
	}
	res, err := s.intakeCall(err, body.Validate, func() ([]intake.Result, error) {
		return s.Intake.RecordHousehold(r.Context(), s.Authority, body, clientKey(r))
	})
	if err != nil {
		return err
	}
	return s.created(w, res)
}

// intakeCall runs an intake call unless reading the body failed. When the body had bad fields (a date that
// does not parse, a wrong type, an unknown field), the rest of it is checked by intake's own validation
// (validate, the request type's Validate), so that ONE 400 names every bad field; nothing is called.
func (s *Server) intakeCall(readErr error, validate func(now time.Time) error, call func() ([]intake.Result, error)) ([]intake.Result, error) {
	if readErr == nil {
		return call()
	}
	fields, ok := fieldErrors(readErr)
	if !ok || slices.ContainsFunc(fields, func(f domain.FieldError) bool { return f.Field == "body" }) {
		return nil, readErr
	}
	more, _ := fieldErrors(validate(s.Now()))
	p := domain.Problems(fields)
	for _, f := range more {
		// A field the body already named (a bad date reads as missing), or a part of it, is named once.
		if !slices.ContainsFunc(fields, func(g domain.FieldError) bool {
			return f.Field == g.Field || strings.HasPrefix(f.Field, g.Field+".") || strings.HasPrefix(f.Field, g.Field+"[")
		}) {
			p = append(p, f)
		}
	}
	return nil, p.Err()
}

// fieldErrors collects the field errors of invalid domain errors (possibly joined).
func fieldErrors(err error) ([]domain.FieldError, bool) {
	if err == nil {
		return nil, false
	}
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	var out []domain.FieldError
	for _, e := range errs {
		var de *domain.Error
		if !errors.As(e, &de) || de.Code != domain.CodeInvalid {
			return nil, false
		}
		out = append(out, de.Fields...)
	}
	return out, true
}

var errNoContact = domain.Errorf(domain.CodeNotFound, "no such contact")

// contact loads the {id} contact of this authority: {id} is a contact id or its reference (the number
// people quote, e.g. HAC-2027-000123). Missing and another authority's contact read the same.
func (s *Server) contact(r *http.Request) (*domain.Contact, error) {
	return s.contactBy(r, r.PathValue("id"), "id")
}

// contactBy finds a contact of this authority by id or reference; field names the input in errors.
func (s *Server) contactBy(r *http.Request, v, field string) (*domain.Contact, error) {
	var c *domain.Contact
	var err error
	if id, perr := domain.ParseContactID(v); perr == nil {
		c, err = s.Store.GetContact(r.Context(), id)
	} else if ref := strings.ToUpper(v); validReference(ref) {
		c, err = s.Store.ContactByReference(r.Context(), s.Authority, domain.Reference(ref))
	} else {
		return nil, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: field,
			Message: "is neither a contact id (c_…) nor a reference (PREFIX-YYYY-NNNNNN, e.g. HAC-2027-000123)"}}}
	}
	if err != nil && domain.ErrorCode(err) != domain.CodeNotFound {
		return nil, err
	}
	// Missing and another authority's read the same.
	if err != nil || c.Authority != s.Authority {
		return nil, errNoContact
	}
	return c, nil
}

func validReference(s string) bool {
	_, _, _, err := domain.ParseReference(s)
	return err == nil
}

// audit records a read of personal data.
func (s *Server) auditRead(r *http.Request, id domain.ContactID, what string) error {
	_, err := s.Store.AppendAudit(r.Context(), auditEvent(id, IdentityFrom(r.Context()).Subject, "contact.read", what))
	return err
}

// auditReads records that the caller saw these contacts (a list, a tray, the morning list): one event per
// contact, batched (store.AppendAudits), before the response is sent — no audit, no data.
func (s *Server) auditReads(r *http.Request, ids []domain.ContactID, what string) error {
	who := IdentityFrom(r.Context()).Subject
	evs := make([]store.AuditEvent, 0, len(ids))
	seen := map[domain.ContactID]bool{}
	for _, id := range ids {
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		evs = append(evs, auditEvent(id, who, "contact.read", what))
	}
	if len(evs) == 0 {
		return nil
	}
	return s.Store.AppendAudits(r.Context(), evs)
}

func (s *Server) getContact(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contact(r)
	if err != nil {
		return err
	}
	if err := s.auditRead(r, c.ID, "contact"); err != nil {
		return err
	}
	// censusMissing names the census codes neither recorded nor derived with certainty (issue #16): they are
	// asked of the screener through POST /v1/contacts/{id}/census.
	writeJSON(w, http.StatusOK, reports.View(c))
	return nil
}

func (s *Server) listContacts(w http.ResponseWriter, r *http.Request) error {
	status := domain.Status(r.URL.Query().Get("status"))
	if status == "" {
		status = domain.StatusAwaitingRating
	}
	if !status.Valid() {
		return &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "status", Message: "is not a known status: one of " + domain.Join(domain.Statuses)}}}
	}
	cs, err := s.Store.ListContacts(r.Context(), s.Authority, status)
	if err != nil {
		return err
	}
	if cs == nil {
		cs = []*domain.Contact{}
	}
	ids := make([]domain.ContactID, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	if err := s.auditReads(r, ids, "list"); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"contacts": cs})
	return nil
}

func (s *Server) timeline(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contact(r)
	if err != nil {
		return err
	}
	if err := s.auditRead(r, c.ID, "timeline"); err != nil {
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

// postEscalate puts the decision to the next role of the policy's decision chain (the service manager's
// tray). A reason is required (400 naming it).
func (s *Server) postEscalate(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contact(r)
	if err != nil {
		return err
	}
	var body actions.Escalate
	if err := decode(r, &body); err != nil {
		return err
	}
	body.By = IdentityFrom(r.Context()).Subject
	c, err = s.Actions.Escalate(r.Context(), c.ID, body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

// postClose is a manager closing a contact that has left the MASH, with a reason.
func (s *Server) postClose(w http.ResponseWriter, r *http.Request) error {
	return s.closeOrReopen(w, r, s.Actions.Close)
}

// postReopen is a manager bringing a closed contact back to the front door, with a reason: a new workflow
// execution starts for it.
func (s *Server) postReopen(w http.ResponseWriter, r *http.Request) error {
	return s.closeOrReopen(w, r, s.Actions.Reopen)
}

func (s *Server) closeOrReopen(w http.ResponseWriter, r *http.Request, act func(context.Context, domain.ContactID, actions.Close) (*domain.Contact, error)) error {
	c, err := s.contact(r)
	if err != nil {
		return err
	}
	var body actions.Close
	if err := decode(r, &body); err != nil {
		return err
	}
	body.By = IdentityFrom(r.Context()).Subject
	if c, err = act(r.Context(), c.ID, body); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

// postFlags records flags a worker found after intake (LADO, Channel, section 47): their clocks and notices
// start at once.
func (s *Server) postFlags(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contact(r)
	if err != nil {
		return err
	}
	var body actions.Flag
	if err := decode(r, &body); err != nil {
		return err
	}
	body.By = IdentityFrom(r.Context()).Subject
	c, err = s.Actions.Flag(r.Context(), c.ID, body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

// postHarm records the harm to the child as described (Portsmouth §2.6: a contact names the harm, never FII
// as its reason): {"harm": "..."}; it clears the harmNotNamed flag and its prompt, audited harm.named. 400
// naming harm when empty; 409 once the contact is closed.
func (s *Server) postHarm(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contact(r)
	if err != nil {
		return err
	}
	var body actions.NameHarm
	if err := decode(r, &body); err != nil {
		return err
	}
	body.By = IdentityFrom(r.Context()).Subject
	c, err = s.Actions.NameHarm(r.Context(), c.ID, body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

// postChild completes the child's details of a contact that needs them ({"child": {...}}; fields left out
// keep what the contact holds): domain.Contact.CompleteChild, as the console's completion form. The answer is
// the contact, still needsCompletion while the child has neither a date of birth nor an age and no reason why
// neither is known (dateOfBirthNotKnown). 400 naming each bad field; 409 when the details are complete.
func (s *Server) postChild(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contact(r)
	if err != nil {
		return err
	}
	body := actions.CompleteChild{Child: c.Child}
	if err := decode(r, &body); err != nil {
		return err
	}
	body.By = IdentityFrom(r.Context()).Subject
	c, err = s.Actions.CompleteChild(r.Context(), c.ID, body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

// postImmediateHarm records the answer to the immediate-harm question nobody answered at intake (a caller who
// did not know, an email that did not say), learnt later: {"answer": "yes"|"no", "note": "..."}
// (intake.Service.AnswerImmediateHarm). A "yes" raises the risk and re-routes the contact as a re-sent update
// saying immediate harm does. 400 naming answer; 409 naming immediateHarm when the answer is already known,
// or the contact's status when it is decided or closed.
func (s *Server) postImmediateHarm(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contact(r)
	if err != nil {
		return err
	}
	var body intake.ImmediateHarmAnswer
	if err := decode(r, &body); err != nil {
		return err
	}
	body.By = IdentityFrom(r.Context()).Subject
	c, err = s.Intake.AnswerImmediateHarm(r.Context(), c, body)
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
	return s.claimOrUnclaim(w, r, func(c *domain.Contact, tray string, id Identity) (store.TrayItem, error) {
		return s.Actions.Claim(r.Context(), c.ID, tray, id.Subject)
	})
}

// postUnclaim puts a claimed item back (the claimer, or a manager), audited.
func (s *Server) postUnclaim(w http.ResponseWriter, r *http.Request) error {
	return s.claimOrUnclaim(w, r, func(c *domain.Contact, tray string, id Identity) (store.TrayItem, error) {
		return s.Actions.Unclaim(r.Context(), c.ID, tray, id.Subject, id.Has(RoleManager))
	})
}

func (s *Server) claimOrUnclaim(w http.ResponseWriter, r *http.Request, do func(*domain.Contact, string, Identity) (store.TrayItem, error)) error {
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
	if !slices.Contains(ClaimTrays, body.Tray) {
		msg := "is required: one of "
		if body.Tray != "" {
			msg = "is not a tray a contact is claimed from: one of "
		}
		return &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "tray", Message: msg + strings.Join(ClaimTrays, ", ")}}}
	}
	it, err := do(c, body.Tray, IdentityFrom(r.Context()))
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
	out := []store.CheckRequest{}
	for _, x := range cs {
		if !id.Has(RoleWorker, RoleManager) && string(x.Agency) != id.Agency {
			continue // a partner sees its own agency's requests only
		}
		x.TaskToken, x.AnswerLink = "", ""
		out = append(out, x)
	}
	if len(out) == 0 && !id.Has(RoleWorker, RoleManager) {
		// A partner asked nothing about this contact learns nothing of it, not even that it exists.
		return errNoContact
	}
	if err := s.auditRead(r, c.ID, "checks"); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"checks": out})
	return nil
}

// postCloseCheck is a manager closing an unanswered check with a reason: the chase stops.
func (s *Server) postCloseCheck(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contact(r)
	if err != nil {
		return err
	}
	var body actions.CloseCheck
	if err := decode(r, &body); err != nil {
		return err
	}
	body.By = IdentityFrom(r.Context()).Subject
	req, err := s.Actions.CloseCheck(r.Context(), c.ID, r.PathValue("check"), body)
	if err != nil {
		return err
	}
	req.TaskToken, req.AnswerLink = "", ""
	writeJSON(w, http.StatusOK, req)
	return nil
}

func (s *Server) postAnswer(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contact(r)
	if err != nil {
		return err
	}
	var body answerBody
	if err := decode(r, &body); err != nil {
		return err
	}
	id := IdentityFrom(r.Context())
	body.By = id.Subject
	checkID := r.PathValue("check")
	if !id.Has(RoleWorker, RoleManager) || body.RestrictedInformation != nil {
		// Another agency's check reads exactly as a missing one: a partner learns nothing of requests
		// it was not sent.
		req, err := s.Store.GetCheck(r.Context(), c.ID, checkID)
		if err != nil && domain.ErrorCode(err) != domain.CodeNotFound {
			return err
		}
		if err != nil || (!id.Has(RoleWorker, RoleManager) && string(req.Agency) != id.Agency) {
			return errNoContact
		}
		if body.RestrictedInformation != nil {
			var p domain.Problems
			if req.Agency != domain.AgencyPolice {
				p.Add("restrictedInformation", "only the police check's answer may carry restricted information (this check is %s's)", req.Agency)
			}
			body.RestrictedInformation.Validate(&p, "restrictedInformation")
			if err := p.Err(); err != nil {
				return err
			}
			if body.Restricted, err = s.Intake.KeepRestricted(r.Context(), s.Authority, "police-check", string(c.ID)+"#"+checkID,
				id.Subject, body.RestrictedInformation); err != nil {
				return err
			}
		}
	}
	req, err := s.Actions.AnswerCheck(r.Context(), c.ID, checkID, body.Answer)
	if err != nil {
		return err
	}
	req.TaskToken, req.AnswerLink = "", ""
	writeJSON(w, http.StatusOK, req)
	return nil
}

// answerBody is a check's answer as POST …/answer takes it: a police check's answer may carry restricted
// information for vetted readers (written apart from the check, never in it).
type answerBody struct {
	actions.Answer
	RestrictedInformation *domain.RestrictedInformation `json:"restrictedInformation,omitempty"`
}

// Trays are the trays GET /v1/trays/{tray} serves; any other name is a 404 naming these.
var Trays = []string{trays.Rating, trays.Decision, checks.Tray, ooh.Tray, intake.WrittenFormTray, trays.DeadLetter,
	notify.UndeliverableTray, directory.TrayEncompassUnmatched, string(domain.TrayServiceManager),
	string(domain.TrayInformationRequest), directory.TrayEncompassAck,
	string(domain.TrayConsultationSummary)}

// postCloseTrayItem closes an item of a tray only a person clears (trays.Closable: dead-letter,
// undeliverable) with the manager's note of what was done, audited on the contact's trail; an item already
// closed is answered as it is.
func (s *Server) postCloseTrayItem(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Note string `json:"note"`
	}
	if err := decode(r, &body); err != nil {
		return err
	}
	it, err := trays.CloseItem(r.Context(), s.Store, s.Authority, r.PathValue("tray"), r.PathValue("item"),
		IdentityFrom(r.Context()).Subject, body.Note)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, it)
	return nil
}

// ClaimTrays are the trays a worker claims a contact from (POST /v1/contacts/{id}/claim): those whose items
// hold the workflow's task token.
var ClaimTrays = []string{trays.Rating, trays.Decision}

func (s *Server) getTray(w http.ResponseWriter, r *http.Request) error {
	tray := r.PathValue("tray")
	if !slices.Contains(Trays, tray) {
		return domain.Errorf(domain.CodeNotFound, "there is no such tray: the trays are %s", strings.Join(Trays, ", "))
	}
	// Every item, overdue or not, unless the caller asks for those due before an instant.
	before := s.Now().Add(10 * 365 * 24 * time.Hour)
	if v := r.URL.Query().Get("dueBefore"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "dueBefore", Message: strconv.Quote(v) + " is not an RFC 3339 instant: give one such as " + s.Now().UTC().Format(time.RFC3339) + " (now)"}}}
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
	// A tray spans authorities (store.Trays): read it whole and keep this authority's items, so that the
	// limit counts this authority's items, not whatever other councils have due first.
	items, err := s.Store.DueItems(r.Context(), tray, before, 0)
	if err != nil {
		return err
	}
	// Each item with its contact's reference, the number people quote (the items named only the contact id,
	// so that a manager working the tray with curl had to read every contact to know which it was), and
	// whether the contact says a child is at immediate risk: such a contact heads the tray, as on the
	// console, by the same ordering (trays.ImmediateHarmFirst, Hackney §4(1)); the limit is applied after it,
	// so an immediate-harm contact due late is never cut off below the ordinary queue.
	type trayItem struct {
		store.TrayItem
		Reference     domain.Reference `json:"reference,omitempty"`
		ImmediateHarm bool             `json:"immediateHarm"`
		// ImmediateHarmNotKnown: nobody has said whether a child is at risk (a caller who did not know):
		// still to be answered, never a no; it does not head the tray as a yes does.
		ImmediateHarmNotKnown bool `json:"immediateHarmNotKnown,omitempty"`
	}
	out := []trayItem{}
	contacts := map[domain.ContactID]*domain.Contact{}
	for _, it := range items {
		if it.Authority != s.Authority {
			continue
		}
		it.TaskToken = ""
		row := trayItem{TrayItem: it}
		if it.ContactID != "" {
			c, ok := contacts[it.ContactID]
			if !ok {
				got, err := s.Store.GetContact(r.Context(), it.ContactID)
				if err != nil && domain.ErrorCode(err) != domain.CodeNotFound {
					return err
				}
				if err == nil {
					c = got
				}
				contacts[it.ContactID] = c
			}
			if c != nil {
				row.Reference, row.ImmediateHarm, row.ImmediateHarmNotKnown = c.Reference, c.ImmediateHarm, c.ImmediateHarmNotKnown()
			}
		}
		out = append(out, row)
	}
	trays.ImmediateHarmFirst(out, func(it trayItem) bool { return it.ImmediateHarm })
	if len(out) > limit {
		out = out[:limit]
	}
	ids := make([]domain.ContactID, 0, len(out))
	for _, it := range out {
		if it.ContactID != "" {
			ids = append(ids, it.ContactID)
		}
	}
	if err := s.auditReads(r, ids, "tray "+r.PathValue("tray")); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

func (s *Server) listQuarantine(w http.ResponseWriter, r *http.Request) error {
	qs, err := s.Store.ListQuarantine(r.Context(), s.Authority)
	if err != nil {
		return err
	}
	if qs == nil {
		qs = []store.QuarantineItem{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": qs})
	return nil
}

func (s *Server) releaseQuarantine(w http.ResponseWriter, r *http.Request) error {
	// Another authority's quarantined message is not found here, as its contacts are not.
	q, err := s.Store.GetQuarantine(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if q.Authority != s.Authority {
		return domain.Errorf(domain.CodeNotFound, "no such quarantined message")
	}
	res, err := s.Intake.ReleaseQuarantine(r.Context(), r.PathValue("id"), IdentityFrom(r.Context()).Subject)
	if err != nil {
		return err
	}
	if len(res) == 0 {
		// Handed to intake-email (AWS): its contacts, or a new quarantine item, appear when it has run.
		writeJSON(w, http.StatusAccepted, map[string]any{"quarantineId": q.ID, "status": "queued"})
		return nil
	}
	return s.created(w, res)
}

// postLink links two contacts (both ways, audited on each).
func (s *Server) postLink(w http.ResponseWriter, r *http.Request) error {
	return s.duplicate(w, r, "contact", func(c, other *domain.Contact, by string) (*domain.Contact, error) {
		return s.Actions.Link(r.Context(), c.ID, other.ID, by)
	})
}

// postMerge merges a duplicate into the contact: its content becomes the contact's addendum and it is closed
// "merged", audited; nothing is deleted.
func (s *Server) postMerge(w http.ResponseWriter, r *http.Request) error {
	return s.duplicate(w, r, "duplicate", func(c, other *domain.Contact, by string) (*domain.Contact, error) {
		return s.Actions.Merge(r.Context(), c.ID, other.ID, by)
	})
}

func (s *Server) duplicate(w http.ResponseWriter, r *http.Request, field string, do func(c, other *domain.Contact, by string) (*domain.Contact, error)) error {
	c, err := s.contact(r)
	if err != nil {
		return err
	}
	var body map[string]string
	if err := decode(r, &body); err != nil {
		return err
	}
	v := strings.TrimSpace(body[field])
	if v == "" {
		return &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: field, Message: "is required: the other contact's id or reference"}}}
	}
	other, err := s.contactBy(r, v, field)
	if err != nil {
		if domain.ErrorCode(err) == domain.CodeNotFound {
			return &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: field, Message: "is not a contact of this authority"}}}
		}
		return err
	}
	out, err := do(c, other, IdentityFrom(r.Context()).Subject)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// discardQuarantine marks a quarantined message discarded with a reason, audited; the raw message is kept.
func (s *Server) discardQuarantine(w http.ResponseWriter, r *http.Request) error {
	q, err := s.Store.GetQuarantine(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if q.Authority != s.Authority {
		return domain.Errorf(domain.CodeNotFound, "no such quarantined message")
	}
	var body struct {
		Reason string `json:"reason"`
	}
	if err := decode(r, &body); err != nil {
		return err
	}
	q, err = s.Store.DiscardQuarantine(r.Context(), q.ID, IdentityFrom(r.Context()).Subject, strings.TrimSpace(body.Reason))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, q)
	return nil
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

// getMorning is the team leader's next-morning list: everything that arrived out of hours, Red first, with
// what the EDT did overnight.
func (s *Server) getMorning(w http.ResponseWriter, r *http.Request) error {
	if s.OOH == nil {
		return domain.Errorf(domain.CodeNotFound, "out-of-hours recording is not enabled")
	}
	items, err := s.OOH.MorningList(r.Context(), s.Authority)
	if err != nil {
		return err
	}
	ids := make([]domain.ContactID, len(items))
	for i, it := range items {
		ids[i] = it.ContactID
	}
	if err := s.auditReads(r, ids, "morning list"); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

// restrictedAttachment is a restricted record's file as the vetted reader receives it.
type restrictedAttachment struct {
	store.RestrictedAttachment
	Content []byte `json:"content"`
}

type restrictedRecord struct {
	store.RestrictedRecord
	Attachments []restrictedAttachment `json:"attachments"`
}

// getRestricted is restricted police information, for police-vetted readers only. The store writes the
// "restricted.read" audit event naming the reader before it reads; no event, no data.
func (s *Server) getRestricted(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contact(r)
	if err != nil {
		return err
	}
	recs, err := s.Store.GetRestricted(r.Context(), c.ID, IdentityFrom(r.Context()).Subject)
	if err != nil {
		return err
	}
	out := make([]restrictedRecord, 0, len(recs))
	for _, rec := range recs {
		rr := restrictedRecord{RestrictedRecord: rec, Attachments: []restrictedAttachment{}}
		for _, a := range rec.Attachments {
			if s.Intake.Blobs == nil {
				return errors.New("restricted attachment: no blob store configured")
			}
			data, err := s.Intake.Blobs.Get(r.Context(), a.Key)
			if err != nil {
				return err
			}
			rr.Attachments = append(rr.Attachments, restrictedAttachment{RestrictedAttachment: a, Content: data})
		}
		out = append(out, rr)
	}
	writeJSON(w, http.StatusOK, map[string]any{"contactId": c.ID, "records": out})
	return nil
}
