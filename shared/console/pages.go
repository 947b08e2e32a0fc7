package console

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/actions"
	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/census"
	"github.com/safeguarding/mash/shared/checks"
	"github.com/safeguarding/mash/shared/directory"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/ooh"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/trays"
	"github.com/safeguarding/mash/shared/workflow"
)

// ---- my work: the trays ----

// trayTitles names the trays a person works from, in the order the home page shows them.
var trayTitles = []struct{ Tray, Title string }{
	{trays.Rating, "Waiting for a rating"},
	{checks.Tray, "Partner checks"},
	{trays.Decision, "Waiting for a decision"},
	{ooh.Tray, "Out of hours: next-morning review"},
	{intake.WrittenFormTray, "Waiting for the written form"},
	{trays.DeadLetter, "Failed workflows"},
	{directory.TrayEncompassUnmatched, "Encompass: pick the child's school"},
	{directory.TrayEncompassAck, "Encompass: waiting for the school to acknowledge"},
}

// trayTitle names a tray for people: its title above, else its name.
func trayTitle(tray string) string {
	for _, t := range trayTitles {
		if t.Tray == tray {
			return t.Title
		}
	}
	return strings.ToUpper(tray[:1]) + strings.ReplaceAll(tray[1:], "-", " ")
}

// traysFor are the trays a role works from.
func traysFor(id api.Identity) []string {
	switch {
	case id.Has(api.RoleWorker, api.RoleManager):
		return api.Trays
	case id.Has(api.RoleEDT):
		return []string{ooh.Tray}
	case id.Has(api.RoleContactOfficer):
		return []string{intake.WrittenFormTray}
	}
	return nil
}

type trayRow struct {
	ItemID, Tray string
	Note         string // an item about no contact says what it is about (a consultation's reference); else what a worker must know (a check request to forward)
	// Consultation is the reference of the consultation an item is about (its written summary): the row links
	// to it in the log, where the summary is sent.
	Consultation string
	// CheckID and Agency are a checks-tray row's check and the agency asked (one row per agency).
	CheckID            string
	Agency             domain.Agency
	ContactID          domain.ContactID
	Reference          domain.Reference
	Name               string
	Age                string
	Rating             domain.Rating
	Rule               policy.RuleLabel // the rule the item is due by, in words, with its seed section and id
	Due                string
	Left               string
	Overdue            bool
	ClaimedBy          string
	Claimable, Claimed bool
	CanUnclaim         bool
	// CanClose shows a manager the Close form of an item only a person clears (trays.Closable).
	CanClose            bool
	NeedsCompletion     bool
	ImmediateHarm, Mine bool
	// HarmNotKnown: nobody has said whether a child is at immediate risk (domain.Contact.ImmediateHarmNotKnown).
	HarmNotKnown bool
}

type trayView struct {
	Tray, Title string
	Rows        []trayRow
}

// trayRows reads a tray's items of this authority, immediate harm first, then earliest due first, with each
// contact (reads audited).
func (s *Server) trayRows(r *http.Request, tray string) ([]trayRow, error) {
	now := s.Now()
	items, err := s.Store.DueItems(r.Context(), tray, now.Add(10*365*24*time.Hour), 0)
	if err != nil {
		return nil, err
	}
	var rows []trayRow
	var ids []domain.ContactID
	me := who(r)
	for _, it := range items {
		if it.Authority != s.Authority {
			continue
		}
		row := trayRow{ItemID: it.ID, Tray: tray, ContactID: it.ContactID, Note: it.Note, Rule: s.Policy.RuleLabel(it.Rule), Due: s.when(it.DueAt),
			Left: timeLeft(it.DueAt, now), Overdue: !it.DueAt.After(now), ClaimedBy: it.ClaimedBy,
			Claimable: slices.Contains(api.ClaimTrays, tray), Claimed: it.ClaimedBy != "", Mine: it.ClaimedBy == me}
		if tray == checks.Tray {
			row.CheckID, row.Agency, _ = checks.ItemCheck(it.ID)
		}
		if ref, ok := strings.CutPrefix(it.Note, "consultation "); ok && tray == string(domain.TrayConsultationSummary) {
			row.Consultation = ref // where the written summary is sent from
		}
		if it.ContactID != "" {
			c, err := s.Store.GetContact(r.Context(), it.ContactID)
			if err != nil && domain.ErrorCode(err) != domain.CodeNotFound {
				return nil, err
			}
			if c != nil {
				row.Reference, row.Name, row.Age = c.Reference, childName(c.Child), age(c.Child, now)
				row.NeedsCompletion, row.ImmediateHarm, row.HarmNotKnown = c.Flags.NeedsCompletion, c.ImmediateHarm, c.ImmediateHarmNotKnown()
				if c.Rating != nil {
					row.Rating = c.Rating.Value
				}
				ids = append(ids, c.ID)
			}
		}
		row.CanUnclaim = row.Claimable && row.Claimed && (row.Mine || hasRole(r, api.RoleManager))
		row.CanClose = slices.Contains(trays.Closable, tray) && hasRole(r, api.RoleManager)
		rows = append(rows, row)
	}
	if err := api.AuditReads(r.Context(), s.Store, me, ids, "console tray "+tray); err != nil {
		return nil, err
	}
	// A contact saying a child is at immediate risk does not wait in the ordinary queue (Hackney §4(1)): it
	// heads the tray, the others after it earliest due first. It sat among a morning's contacts due at the
	// same hour, at the place its arrival gave it, with only a tag to tell it apart.
	// The API's tray listing orders by the same function (GET /v1/trays/{tray}).
	trays.ImmediateHarmFirst(rows, func(r trayRow) bool { return r.ImmediateHarm })
	return rows, nil
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	id, _ := identity(r)
	if !id.Has(Staff...) { // a referrer, the police or a partner: their own referrals are their start
		http.Redirect(w, r, "/referrals", http.StatusSeeOther)
		return nil
	}
	var views []trayView
	for _, t := range traysFor(id) {
		rows, err := s.trayRows(r, t)
		if err != nil {
			return err
		}
		views = append(views, trayView{Tray: t, Title: trayTitle(t), Rows: rows})
	}
	return s.render(w, r, http.StatusOK, "home", view{Title: "My work", Data: views})
}

func (s *Server) trayPage(w http.ResponseWriter, r *http.Request) error {
	id, _ := identity(r)
	tray := r.PathValue("tray")
	if !slices.Contains(traysFor(id), tray) {
		return domain.Errorf(domain.CodeNotFound, "there is no such tray for your role: yours are %s", strings.Join(traysFor(id), ", "))
	}
	rows, err := s.trayRows(r, tray)
	if err != nil {
		return err
	}
	title := trayTitle(tray)
	return s.render(w, r, http.StatusOK, "tray", view{Title: title, Data: []trayView{{Tray: tray, Title: title, Rows: rows}}})
}

func (s *Server) claim(w http.ResponseWriter, r *http.Request) error {
	tray, c, err := s.trayContact(r)
	if err != nil {
		return err
	}
	if _, err := s.Actions.Claim(r.Context(), c.ID, tray, who(r)); err != nil {
		return err
	}
	http.Redirect(w, r, "/contacts/"+string(c.ID), http.StatusSeeOther)
	return nil
}

// trayContact is the {tray} of a claim or unclaim (a claim tray, else not found) and its contact {id}.
func (s *Server) trayContact(r *http.Request) (string, *domain.Contact, error) {
	tray := r.PathValue("tray")
	if !slices.Contains(api.ClaimTrays, tray) {
		return "", nil, domain.Errorf(domain.CodeNotFound, "contacts are claimed from the %s trays only", strings.Join(api.ClaimTrays, " and "))
	}
	c, err := s.contact(r)
	return tray, c, err
}

// unclaim puts a claimed item back on its tray: the person who claimed it, or a manager (actions.Unclaim,
// audited). Back to the tray.
func (s *Server) unclaim(w http.ResponseWriter, r *http.Request) error {
	tray, c, err := s.trayContact(r)
	if err != nil {
		return err
	}
	if _, err := s.Actions.Unclaim(r.Context(), c.ID, tray, who(r), hasRole(r, api.RoleManager)); err != nil {
		return err
	}
	http.Redirect(w, r, "/trays/"+tray, http.StatusSeeOther)
	return nil
}

// closeField is the name of the note field of an item's Close form: the item id with every character but a
// letter, a digit, _ and - written - (an item id holds "#" and ".", which an HTML id and its error summary
// link cannot).
func closeField(itemID string) string {
	return "note-" + strings.Map(func(r rune) rune {
		if r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, itemID)
}

// closeItem closes an item of a tray only a person clears with the manager's note (trays.CloseItem: audited
// on the contact's trail). No note: the tray page again with the error by the item's field.
func (s *Server) closeItem(w http.ResponseWriter, r *http.Request) error {
	tray, item := r.PathValue("tray"), r.PathValue("item")
	field := closeField(item)
	_, err := trays.CloseItem(r.Context(), s.Store, s.Authority, tray, item, who(r), r.PostFormValue(field))
	if f, ok := invalidFields(err); ok && slices.Contains(trays.Closable, tray) {
		rows, rerr := s.trayRows(r, tray)
		if rerr != nil {
			return rerr
		}
		title := trayTitle(tray)
		return s.renderForm(w, r, http.StatusBadRequest, "tray", title, []trayView{{Tray: tray, Title: title, Rows: rows}}, r.PostForm,
			renameFields(f, "note", field))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/trays/"+tray, http.StatusSeeOther)
	return nil
}

// ---- the contact page ----

var errNoContact = domain.Errorf(domain.CodeNotFound, "there is no such contact")

// contact loads {id}: a contact id or its reference. Missing and another authority's read the same.
func (s *Server) contact(r *http.Request) (*domain.Contact, error) {
	return s.lookup(r, r.PathValue("id"))
}

func (s *Server) lookup(r *http.Request, v string) (*domain.Contact, error) {
	var c *domain.Contact
	var err error
	if id, perr := domain.ParseContactID(v); perr == nil {
		c, err = s.Store.GetContact(r.Context(), id)
	} else if ref := strings.ToUpper(strings.TrimSpace(v)); isReference(ref) {
		c, err = s.Store.ContactByReference(r.Context(), s.Authority, domain.Reference(ref))
	} else {
		return nil, errNoContact
	}
	if err != nil && domain.ErrorCode(err) != domain.CodeNotFound {
		return nil, err
	}
	if err != nil || c.Authority != s.Authority {
		return nil, errNoContact
	}
	return c, nil
}

func isReference(s string) bool {
	_, _, _, err := domain.ParseReference(s)
	return err == nil
}

type deadlineRow struct {
	Rule      policy.RuleLabel
	Due, Left string
	Overdue   bool
}

type contactView struct {
	C         *domain.Contact
	Name, Age string
	// CensusMissing names the census codes still to be asked of the screener (issue #16); Census is the
	// census form's three fields and CanCensus shows it (workers and managers, any status).
	CensusMissing []string
	Census        []censusField
	CanCensus     bool
	Household     []*domain.Contact
	Checks        []store.CheckRequest
	CheckDue      map[string]string // check id → its due time, local
	Deadlines     []deadlineRow
	Events        []eventRow
	Attachments   []attachmentRow
	Ratings       []domain.Rating
	Agencies      []domain.Agency
	Mandatory     []domain.Agency
	Outcomes      []string
	LegalBases    []domain.LegalBasis
	CanRate       bool
	Rerate        bool
	CanEscalate   bool
	CanFlag       bool
	CanOOH        bool
	CanDecide     bool
	CanConsent    bool
	CanClaim      []string
	CanUnclaim    []string
	CanFill       bool
	// NotRead says in words what intake could not read or the caller did not know (the contact's
	// extraction.missing): a child named by a given name alone shows "the child's family name".
	NotRead []string
	// StillNeeded says in words what the child's details still lack before the contact stops needing them
	// (domain.Child.DetailsStillNeeded), above the completion form.
	StillNeeded []string
	// Closed are the checks a manager closed unanswered (check id → "reason (by)"); CanCloseChecks shows
	// the close form on each unanswered, unclosed check.
	Closed         map[string]string
	CanCloseChecks bool
	CanLink        bool
	CanMerge       bool
	// CanPickSchool: an Operation Encompass notification whose school the directory could not name waits on
	// the encompass-unmatched tray; the page asks the school's URN (directory.Desk.PickSchool, as POST
	// /v1/contacts/{id}/school) and links the directory's search for the school as the police wrote it.
	CanPickSchool bool
	Received      string
	// CanAnswerHarm: immediate harm was not known at intake and the contact is still open; the page asks the
	// question (intake.Service.AnswerImmediateHarm, as POST /v1/contacts/{id}/immediate-harm).
	CanAnswerHarm bool
	// CanNameHarm: the contact gives a label, not the harm (Portsmouth §2.6); the page asks the policy's prompt.
	CanNameHarm bool
	// CanMatch: the screener may confirm or reject the contact's person-matching candidates (before the
	// decision).
	CanMatch bool
	// SFOutcomes are the Supporting Families headline outcomes a decision records (Portsmouth §5.3), and the
	// decisions that record them; empty where the policy has no such programme.
	SFOutcomes  []domain.SupportingFamiliesOutcome
	SFDecisions string
}

type attachmentRow struct {
	N, Name, Type string
}

// attachments are the files intake kept for the contact (its "attachments.kept" audit events): part
// number → blob key, name and type.
func attachments(evs []store.AuditEvent) (rows []attachmentRow, keys map[string]string) {
	keys = map[string]string{}
	for _, e := range evs {
		if e.Action != "attachments.kept" {
			continue
		}
		for k, v := range e.Detail {
			if len(k) == 2 && k[0] >= '0' && k[0] <= '9' {
				keys[k] = v
				rows = append(rows, attachmentRow{N: k, Name: e.Detail["name "+k], Type: e.Detail["type "+k]})
			}
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].N < rows[j].N })
	return rows, keys
}

// attachment downloads one kept attachment, audited with the reader. It is always sent as a download
// (application/octet-stream, nosniff), never shown in the page.
func (s *Server) attachment(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contact(r)
	if err != nil {
		return err
	}
	evs, err := s.Store.ListAudit(r.Context(), c.ID)
	if err != nil {
		return err
	}
	rows, keys := attachments(evs)
	n := r.PathValue("n")
	key, ok := keys[n]
	if !ok {
		return domain.Errorf(domain.CodeNotFound, "this contact has no such attachment")
	}
	b, err := s.Intake.Blobs.Get(r.Context(), key)
	if err != nil {
		return err
	}
	if _, err := s.Store.AppendAudit(r.Context(), store.AuditEvent{ContactID: c.ID, Actor: who(r), Action: "contact.read",
		Detail: map[string]string{"what": "console attachment " + n}}); err != nil {
		return err
	}
	name := "attachment-" + n
	for _, a := range rows {
		if a.N == n && a.Name != "" {
			name = a.Name
		}
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	_, _ = w.Write(b)
	return nil
}

type eventRow struct {
	At, Actor, Action, Reason, Detail string
}

func (s *Server) contactPage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contact(r)
	if err != nil {
		return err
	}
	return s.showContact(w, r, http.StatusOK, c, nil, nil)
}

// showContact renders the contact page; form and errs re-show a form's input with its errors.
func (s *Server) showContact(w http.ResponseWriter, r *http.Request, status int, c *domain.Contact, form url.Values, errs []domain.FieldError) error {
	ctx := r.Context()
	now := s.Now()
	v := contactView{C: c, Name: childName(c.Child), Age: age(c.Child, now), Received: s.when(c.ReceivedAt), CensusMissing: census.Missing(c),
		Ratings: s.Policy.Ratings, Agencies: s.Policy.Agencies, Mandatory: s.Policy.MandatoryAgencies,
		LegalBases: domain.LegalBases}
	for _, o := range s.Policy.Outcomes {
		v.Outcomes = append(v.Outcomes, o.Term)
	}
	ids := []domain.ContactID{c.ID}
	if c.HouseholdID != "" || len(c.LinkedTo) > 0 {
		for _, l := range c.LinkedTo {
			if o, err := s.Store.GetContact(ctx, l); err == nil && o.Authority == s.Authority {
				v.Household = append(v.Household, o)
				ids = append(ids, o.ID)
			}
		}
	}
	if err := api.AuditReads(ctx, s.Store, who(r), ids, "console contact"); err != nil {
		return err
	}
	var err error
	if v.Checks, err = s.Store.ListChecks(ctx, c.ID); err != nil {
		return err
	}
	v.CheckDue = map[string]string{}
	for i := range v.Checks {
		v.Checks[i].TaskToken, v.Checks[i].AnswerLink = "", ""
		v.CheckDue[v.Checks[i].ID] = s.when(v.Checks[i].DueAt)
	}
	rules := make([]string, 0, len(c.Deadlines))
	for k := range c.Deadlines {
		rules = append(rules, k)
	}
	sort.Slice(rules, func(i, j int) bool { return c.Deadlines[rules[i]].Before(c.Deadlines[rules[j]]) })
	for _, k := range rules {
		d := c.Deadlines[k]
		v.Deadlines = append(v.Deadlines, deadlineRow{Rule: s.Policy.RuleLabel(k), Due: s.when(d), Left: timeLeft(d, now), Overdue: !d.After(now)})
	}
	evs, err := s.Store.ListAudit(ctx, c.ID)
	if err != nil {
		return err
	}
	v.Attachments, _ = attachments(evs)
	v.Closed = map[string]string{}
	for _, e := range evs {
		if e.Action == "check.closed" && e.Detail["check"] != "" {
			v.Closed[e.Detail["check"]] = e.Reason + " (" + e.Actor + ")"
		}
	}
	for _, e := range evs {
		if e.Action == "contact.read" {
			continue // the chronology is what happened; reads are in the audit, not the story
		}
		v.Events = append(v.Events, eventRow{At: s.when(e.At), Actor: e.Actor, Action: actionText(e.Action), Reason: e.Reason, Detail: s.detail(e.Detail)})
	}
	mgr := hasRole(r, api.RoleManager)
	v.CanRate = mgr && slices.Contains([]domain.Status{domain.StatusAwaitingRating, domain.StatusChecks, domain.StatusAwaitingDecision}, c.Status)
	v.Rerate = c.Rating != nil
	v.CanEscalate = mgr && c.Status == domain.StatusAwaitingDecision
	v.CanOOH = hasRole(r, api.RoleEDT) && s.OOH != nil
	v.CanFlag = hasRole(r, api.RoleWorker, api.RoleManager) && c.Outcome == nil
	v.CanDecide = mgr && c.Status == domain.StatusAwaitingDecision
	v.CanConsent = mgr && c.Outcome == nil && c.Consent.Override == nil && c.Consent.Status != domain.ConsentGiven
	v.CanFill = hasRole(r, api.RoleWorker, api.RoleManager) && c.Flags.NeedsCompletion
	if c.Extraction != nil {
		for _, m := range c.Extraction.Missing {
			v.NotRead = append(v.NotRead, missingText(m))
		}
	}
	if v.CanFill {
		form = completionForm(form, c.Child)
		for _, f := range c.Child.DetailsStillNeeded() {
			v.StillNeeded = append(v.StillNeeded, stillNeededText(f))
		}
	}
	v.CanNameHarm = hasRole(r, api.RoleWorker, api.RoleManager) && c.Flags.HarmNotNamed && c.Status != domain.StatusClosed
	v.CanMatch = hasRole(r, api.RoleWorker, api.RoleManager) && c.Outcome == nil
	v.CanCensus = hasRole(r, api.RoleWorker, api.RoleManager)
	v.Census = censusFields(c)
	if sf := s.Policy.SupportingFamilies; sf != nil {
		v.SFOutcomes = domain.SupportingFamiliesOutcomes
		for _, d := range sf.Decisions {
			if t, ok := s.Policy.OutcomeTerm(d); ok {
				v.SFDecisions += "; " + t
			}
		}
		v.SFDecisions = strings.TrimPrefix(v.SFDecisions, "; ")
	}
	v.CanAnswerHarm = c.ImmediateHarmNotKnown() && lifecycle.Allowed(lifecycle.ImmediateHarmAnswered, c) == nil
	v.CanLink = hasRole(r, api.RoleWorker, api.RoleManager)
	v.CanMerge = mgr && c.Status != domain.StatusClosed
	if s.Schools != nil && hasRole(r, api.RoleWorker, api.RoleManager) {
		if it, err := s.Store.GetTrayItem(ctx, directory.UnmatchedItemID(c.ID)); err == nil && it.CompletedAt.IsZero() {
			v.CanPickSchool = true
		}
	}
	v.CanCloseChecks = mgr && slices.Contains([]domain.Status{domain.StatusChecks, domain.StatusAwaitingDecision}, c.Status)
	if hasRole(r, api.RoleWorker, api.RoleManager) {
		for _, t := range api.ClaimTrays {
			it, err := workflow.OpenWait(ctx, s.Store, c, t)
			if err != nil || it == nil || !it.CompletedAt.IsZero() {
				continue
			}
			switch {
			case it.ClaimedBy == "":
				v.CanClaim = append(v.CanClaim, t)
			case it.ClaimedBy == who(r) || mgr:
				v.CanUnclaim = append(v.CanUnclaim, t)
			}
		}
	}
	return s.renderForm(w, r, status, "contact", "Contact "+string(c.Reference), v, form, errs)
}

// completionForm fills the child's completion form with what the contact already holds, so that a worker
// adds what is missing (a family name) without typing again what intake read (the given name): a form sent
// back with an error keeps what was typed.
func completionForm(form url.Values, ch domain.Child) url.Values {
	if form.Has("child.givenName") {
		return form
	}
	f := url.Values{}
	for k, vs := range form {
		f[k] = vs
	}
	f.Set("child.givenName", ch.GivenName)
	f.Set("child.familyName", ch.FamilyName)
	if !ch.DateOfBirth.IsZero() {
		f.Set("child.dateOfBirth", ch.DateOfBirth.String())
	}
	if ch.Age > 0 {
		f.Set("child.age", strconv.Itoa(ch.Age))
	}
	f.Set("child.dateOfBirthNotKnown", ch.DateOfBirthNotKnown)
	f.Set("child.address", ch.Address)
	f.Set("child.school", ch.School)
	return f
}

// formAction runs a contact form's action: on bad input the page again with the input and each error by
// its field (400), else back to the contact.
func (s *Server) formAction(w http.ResponseWriter, r *http.Request, do func(c *domain.Contact) error) error {
	c, err := s.contact(r)
	if err != nil {
		return err
	}
	if err := do(c); err != nil {
		if fields, ok := invalidFields(err); ok {
			return s.showContact(w, r, http.StatusBadRequest, c, r.PostForm, fields)
		}
		if fields, ok := censusRefused(err); ok {
			// Screening cannot finish without the census codes (issue #16): the page again, the decision's
			// input kept, each missing code named at the census form and at the decision.
			return s.showContact(w, r, http.StatusConflict, c, r.PostForm, fields)
		}
		return err
	}
	http.Redirect(w, r, "/contacts/"+string(c.ID), http.StatusSeeOther)
	return nil
}

// invalidFields returns an invalid error's fields (a message without fields becomes one for "form").
func invalidFields(err error) ([]domain.FieldError, bool) {
	if domain.ErrorCode(err) != domain.CodeInvalid {
		return nil, false
	}
	var de *domain.Error
	fields := []domain.FieldError{}
	if e, ok := err.(*domain.Error); ok {
		de = e
	} else {
		return []domain.FieldError{{Field: "form", Message: err.Error()}}, true
	}
	fields = append(fields, de.Fields...)
	if len(fields) == 0 {
		fields = append(fields, domain.FieldError{Field: "form", Message: de.Message})
	}
	return fields, true
}

func (s *Server) rate(w http.ResponseWriter, r *http.Request) error {
	return s.formAction(w, r, func(c *domain.Contact) error {
		var ag []domain.Agency
		for _, a := range r.PostForm["agencies"] {
			ag = append(ag, domain.Agency(a))
		}
		_, err := s.Actions.Rate(r.Context(), c.ID, actions.Rate{Value: domain.Rating(r.PostFormValue("value")),
			Rationale: r.PostFormValue("rationale"), By: who(r), Agencies: ag, NoChecks: r.PostFormValue("noChecks") == "true"})
		return err
	})
}

func (s *Server) decide(w http.ResponseWriter, r *http.Request) error {
	return s.formAction(w, r, func(c *domain.Contact) error {
		var crit []string
		for _, x := range strings.Split(r.PostFormValue("criteria"), "\n") {
			if x = strings.TrimSpace(x); x != "" {
				crit = append(crit, x)
			}
		}
		d := actions.Decide{Term: r.PostFormValue("term"),
			Rationale: r.PostFormValue("decisionRationale"), By: who(r), Criteria: crit,
			FeedbackWithheldReason: r.PostFormValue("feedbackWithheldReason")}
		if code, ok := s.Policy.OutcomeCode(d.Term); ok && s.Policy.SupportingFamiliesAt(code) {
			// Portsmouth §5.3: the boxes ticked are the outcomes that apply (none ticked: none apply).
			d.SupportingFamilies = []domain.SupportingFamiliesOutcome{}
			for _, o := range r.PostForm["supportingFamilies"] {
				d.SupportingFamilies = append(d.SupportingFamilies, domain.SupportingFamiliesOutcome(o))
			}
		}
		_, err := s.Actions.Decide(r.Context(), c.ID, d)
		return renameField(err, "rationale", "decisionRationale")
	})
}

func (s *Server) override(w http.ResponseWriter, r *http.Request) error {
	return s.formAction(w, r, func(c *domain.Contact) error {
		_, err := s.Actions.OverrideConsent(r.Context(), c.ID, domain.ConsentOverride{By: who(r),
			Rationale: r.PostFormValue("overrideRationale"), LegalBasis: domain.LegalBasis(r.PostFormValue("legalBasis"))})
		return renameField(err, "rationale", "overrideRationale")
	})
}

func (s *Server) completeChild(w http.ResponseWriter, r *http.Request) error {
	return s.formAction(w, r, func(c *domain.Contact) error {
		ch := c.Child
		ch.GivenName = strings.TrimSpace(r.PostFormValue("child.givenName"))
		ch.FamilyName = strings.TrimSpace(r.PostFormValue("child.familyName"))
		var p domain.Problems
		if d := strings.TrimSpace(r.PostFormValue("child.dateOfBirth")); d != "" {
			dob, err := domain.ParseDate(d)
			if err != nil {
				p.Add("child.dateOfBirth", "is not a date: write it as 2015-03-31 or 31/03/2015")
			}
			ch.DateOfBirth = dob
		}
		if r.PostForm.Has("child.age") { // the form holds the age it was given: emptied, it is no longer known
			ch.Age = 0
			if a := strings.TrimSpace(r.PostFormValue("child.age")); a != "" {
				n, err := strconv.Atoi(a)
				if err != nil {
					p.Add("child.age", "is not a number of years: write it in figures, for example 9")
				}
				ch.Age = n
			}
		}
		ch.DateOfBirthNotKnown = strings.TrimSpace(r.PostFormValue("child.dateOfBirthNotKnown"))
		ch.Address = strings.TrimSpace(r.PostFormValue("child.address"))
		ch.School = strings.TrimSpace(r.PostFormValue("child.school"))
		cc := actions.CompleteChild{Child: ch, By: who(r)}
		if len(p) > 0 {
			// One page names every bad field: the form's own (a date that does not parse) and the action's.
			more, _ := invalidFields(cc.Validate(s.Now()))
			for _, f := range more {
				if !slices.ContainsFunc(p, func(e domain.FieldError) bool { return e.Field == f.Field }) {
					p = append(p, f)
				}
			}
			return p.Err()
		}
		_, err := s.Actions.CompleteChild(r.Context(), c.ID, cc)
		return err
	})
}

// closeCheck is a manager closing an unanswered partner check with a reason (actions.CloseCheck, the API's
// lifecycle close-check): its chase stops and the decision goes ahead without it. The reason's field is
// named per check (closeReason-<check id>), so the error shows by that check's form.
func (s *Server) closeCheck(w http.ResponseWriter, r *http.Request) error {
	return s.formAction(w, r, func(c *domain.Contact) error {
		check := r.PathValue("check")
		if _, err := s.Store.GetCheck(r.Context(), c.ID, check); err != nil {
			return err
		}
		_, err := s.Actions.CloseCheck(r.Context(), c.ID, check, actions.CloseCheck{Reason: strings.TrimSpace(r.PostFormValue("reason")), By: who(r)})
		return renameField(err, "reason", "closeReason-"+check)
	})
}

// pickSchool names the school of an Operation Encompass notification the directory could not match (the
// encompass-unmatched tray): the notice goes to its DSL at once, the item leaves the tray (directory.Desk's
// PickSchool, as POST /v1/contacts/{id}/school). A URN not in the directory is named by its field.
func (s *Server) pickSchool(w http.ResponseWriter, r *http.Request) error {
	if s.Schools == nil {
		return domain.Errorf(domain.CodeNotFound, "the school directory is not enabled")
	}
	return s.formAction(w, r, func(c *domain.Contact) error {
		picked, _, err := s.Schools.PickSchool(r.Context(), c.ID, r.PostFormValue("urn"), who(r))
		var de *domain.Error
		if err != nil && picked != nil && !errors.As(err, &de) {
			return nil // recorded; the notice is queued and goes with the next flush, as the API's 202 says
		}
		return err
	})
}

// answerImmediateHarm records the answer to "Is the child at risk of immediate harm?" on a contact recorded
// with it not known (intake.Service.AnswerImmediateHarm, as POST /v1/contacts/{id}/immediate-harm): a yes
// raises the risk and re-routes the contact as a re-sent update saying so does.
func (s *Server) answerImmediateHarm(w http.ResponseWriter, r *http.Request) error {
	return s.formAction(w, r, func(c *domain.Contact) error {
		_, err := s.Intake.AnswerImmediateHarm(r.Context(), c, intake.ImmediateHarmAnswer{
			Answer: r.PostFormValue("answer"), Note: r.PostFormValue("note"), By: who(r)})
		return err
	})
}

// link records that another contact is related (both list each other; actions.Link, audited on each).
func (s *Server) link(w http.ResponseWriter, r *http.Request) error {
	return s.formAction(w, r, func(c *domain.Contact) error {
		other, err := s.otherContact(r, "linkContact")
		if err != nil {
			return err
		}
		_, err = s.Actions.Link(r.Context(), c.ID, other.ID, who(r))
		return renameField(err, "contact", "linkContact")
	})
}

// merge merges a duplicate into this contact (actions.Merge): its content becomes this contact's addendum
// and it is closed "merged", audited; nothing is deleted.
func (s *Server) merge(w http.ResponseWriter, r *http.Request) error {
	return s.formAction(w, r, func(c *domain.Contact) error {
		other, err := s.otherContact(r, "duplicate")
		if err != nil {
			return err
		}
		_, err = s.Actions.Merge(r.Context(), c.ID, other.ID, who(r))
		if domain.ErrorCode(err) == domain.CodeConflict {
			// Not now (its checks are under way, or it is already merged): said by the field, the page kept.
			var de *domain.Error
			if errors.As(err, &de) {
				return &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "duplicate", Message: de.Message}}}
			}
		}
		return err
	})
}

// otherContact reads a form's other contact (a reference or an id) of this authority.
func (s *Server) otherContact(r *http.Request, field string) (*domain.Contact, error) {
	v := strings.TrimSpace(r.PostFormValue(field))
	if v == "" {
		return nil, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: field, Message: "give the other contact's reference, for example " + s.exampleReference()}}}
	}
	other, err := s.lookup(r, v)
	if err != nil {
		if domain.ErrorCode(err) == domain.CodeNotFound {
			return nil, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: field, Message: "is not a contact of this MASH: check the reference"}}}
		}
		return nil, err
	}
	return other, nil
}

func (s *Server) escalate(w http.ResponseWriter, r *http.Request) error {
	return s.formAction(w, r, func(c *domain.Contact) error {
		_, err := s.Actions.Escalate(r.Context(), c.ID, actions.Escalate{Reason: r.PostFormValue("escalateReason"), By: who(r)})
		return renameField(err, "reason", "escalateReason")
	})
}

// oohAction records what the EDT did about a contact overnight (ooh.EDT.RecordAction, as the API's route).
func (s *Server) oohAction(w http.ResponseWriter, r *http.Request) error {
	if s.OOH == nil {
		return domain.Errorf(domain.CodeNotFound, "out-of-hours recording is not enabled")
	}
	return s.formAction(w, r, func(c *domain.Contact) error {
		action := strings.TrimSpace(r.PostFormValue("action"))
		if action == "" {
			return &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "action", Message: "say what the EDT did"}}}
		}
		return s.OOH.RecordAction(r.Context(), c.ID, who(r), action)
	})
}

func (s *Server) flags(w http.ResponseWriter, r *http.Request) error {
	return s.formAction(w, r, func(c *domain.Contact) error {
		_, err := s.Actions.Flag(r.Context(), c.ID, actions.Flag{By: who(r),
			AllegationAgainstProfessional: r.PostFormValue("allegationAgainstProfessional") == "true",
			Radicalisation:                r.PostFormValue("radicalisation") == "true", S47: r.PostFormValue("s47") == "true",
			Homeless: r.PostFormValue("homeless") == "true"})
		return err
	})
}

// match records the screener's decision on a person-matching candidate (actions.Match): a confirmed
// candidate with an open case, or one closed within three months, forwards the contact.
func (s *Server) match(w http.ResponseWriter, r *http.Request) error {
	return s.formAction(w, r, func(c *domain.Contact) error {
		_, err := s.Actions.Match(r.Context(), c.ID, actions.Match{Candidate: r.PostFormValue("candidate"),
			Decision: r.PostFormValue("decision"), By: who(r)})
		return err
	})
}

// harm records the harm to the child as described (Portsmouth §2.6), clearing the "harm not named" prompt.
func (s *Server) harm(w http.ResponseWriter, r *http.Request) error {
	return s.formAction(w, r, func(c *domain.Contact) error {
		_, err := s.Actions.NameHarm(r.Context(), c.ID, actions.NameHarm{Harm: r.PostFormValue("harm"), By: who(r)})
		return err
	})
}

// censusField is one field of the census form: its code list, the code the contact has now (recorded, or
// derived with certainty at intake) and whether it is still to be chosen.
type censusField struct {
	Field, Label, Hint, What, NotKnown string
	Codes                              []census.Code
	Current                            string
	Recorded, Missing                  bool
}

// censusFields are the census form's fields for the contact, in census.Fields order.
func censusFields(c *domain.Contact) []censusField {
	source, gender, ethnicity, missing := census.Codes(c)
	current := map[string]string{"source": source, "gender": gender, "ethnicity": ethnicity}
	var rec domain.CensusCodes
	if c.Census != nil {
		rec = *c.Census
	}
	recorded := map[string]bool{"source": rec.Source != "", "gender": rec.Gender != "", "ethnicity": rec.Ethnicity != ""}
	labels := map[string][2]string{
		"source":    {"Source of referral", "Who made the contact, as the children in need census counts it"},
		"gender":    {"The child's gender", ""},
		"ethnicity": {"The child's ethnicity", ""},
	}
	what := map[string]string{"source": "the source of referral", "gender": "the child's gender", "ethnicity": "the child's ethnicity"}
	notKnown := map[string]string{"source": "10 Unknown", "gender": "0 Not known", "ethnicity": "NOBT Information not yet obtained"}
	out := make([]censusField, len(census.Fields))
	for i, f := range census.Fields {
		out[i] = censusField{Field: "census." + f, Label: labels[f][0], Hint: labels[f][1], What: what[f], NotKnown: notKnown[f], Codes: census.List(f),
			Current: current[f], Recorded: recorded[f], Missing: slices.Contains(missing, f)}
	}
	return out
}

// recordCensus records the census codes the screener chose (actions.Census, audited census.set): only the
// fields that differ from what the contact has now, so a code derived at intake is not re-recorded as a
// person's choice by leaving it as shown.
func (s *Server) recordCensus(w http.ResponseWriter, r *http.Request) error {
	return s.formAction(w, r, func(c *domain.Contact) error {
		now := map[string]string{}
		for _, f := range censusFields(c) {
			now[f.Field] = f.Current
		}
		chosen := func(field string) string {
			if v := strings.TrimSpace(r.PostFormValue(field)); v != now[field] {
				return v
			}
			return ""
		}
		_, err := s.Actions.Census(r.Context(), c.ID, actions.Census{Source: chosen("census.source"), Gender: chosen("census.gender"),
			Ethnicity: chosen("census.ethnicity"), By: who(r)})
		if domain.ErrorCode(err) == domain.CodeInvalid {
			return renameFieldMessage(err, "census", "choose a code that differs from the one shown, or leave the form")
		}
		return err
	})
}

// renameFieldMessage replaces the message of one field of an invalid error.
func renameFieldMessage(err error, field, msg string) error {
	return editFields(err, func(f *domain.FieldError) {
		if f.Field == field {
			f.Message = msg
		}
	})
}

// editFields is a copy of a domain error with each of its fields edited (the error itself is unchanged);
// any other error is as it is.
func editFields(err error, edit func(*domain.FieldError)) error {
	de, ok := err.(*domain.Error)
	if !ok {
		return err
	}
	cp := *de
	cp.Fields = slices.Clone(de.Fields)
	for i := range cp.Fields {
		edit(&cp.Fields[i])
	}
	return &cp
}

// censusRefused is the fields of a decision refused because census codes are missing (lifecycle.Decide:
// a conflict naming census.source, census.gender, census.ethnicity), each with a short message for the page:
// the form's list shows the allowed codes.
func censusRefused(err error) ([]domain.FieldError, bool) {
	de, ok := err.(*domain.Error)
	if !ok || de.Code != domain.CodeConflict || len(de.Fields) == 0 {
		return nil, false
	}
	var out []domain.FieldError
	for _, f := range censusFields(&domain.Contact{}) {
		for _, e := range de.Fields {
			if e.Field == f.Field {
				out = append(out, domain.FieldError{Field: f.Field, Message: "choose " + f.What + " before the decision (" + f.NotKnown +
					" if it is not known)"})
			}
		}
	}
	return out, len(out) == len(de.Fields)
}

// renameField names a form's own field for an action's field (two forms on one page both have "rationale").
func renameField(err error, from, to string) error {
	return editFields(err, func(f *domain.FieldError) {
		if f.Field == from {
			f.Field = to
		}
	})
}

// ---- search ----

type searchView struct {
	Q       string
	Results []searchRow
	// Example is a reference as this MASH gives them, of this year (the hint's example).
	Example string
}

// exampleReference is an example of this MASH's references: its prefix and this year ("BEX-2026-000123"),
// never a year to come nor another council's prefix.
func (s *Server) exampleReference() string {
	return s.Policy.ReferencePrefix + "-" + s.today()[:4] + "-000123"
}

type searchRow struct {
	ContactID domain.ContactID
	Reference domain.Reference
	Name, Age string
	DOB       string
	Status    domain.Status
	Received  string
}

// search finds contacts by reference, date of birth or name (each word of the query within one edit of a
// word of the child's name, or its prefix). It reads the authority's contacts by status (an index, never a
// table scan); every contact shown is an audited read.
func (s *Server) search(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	v := searchView{Q: q, Example: s.exampleReference()}
	if q != "" {
		var found []*domain.Contact
		if isReference(strings.ToUpper(q)) {
			if c, err := s.lookup(r, q); err == nil {
				found = append(found, c)
			} else if domain.ErrorCode(err) != domain.CodeNotFound {
				return err
			}
		} else {
			dob, dobErr := domain.ParseDate(q)
			for _, st := range domain.Statuses {
				cs, err := s.Store.ListContacts(r.Context(), s.Authority, st)
				if err != nil {
					return err
				}
				for _, c := range cs {
					if (dobErr == nil && c.Child.DateOfBirth == dob) || (dobErr != nil && nameMatches(q, c.Child)) {
						found = append(found, c)
					}
				}
			}
		}
		sort.SliceStable(found, func(i, j int) bool { return found[i].ReceivedAt.After(found[j].ReceivedAt) })
		if len(found) > 100 {
			found = found[:100]
		}
		var ids []domain.ContactID
		for _, c := range found {
			ids = append(ids, c.ID)
			dob := ""
			if !c.Child.DateOfBirth.IsZero() {
				dob = ukDate(c.Child.DateOfBirth)
			}
			v.Results = append(v.Results, searchRow{ContactID: c.ID, Reference: c.Reference, Name: childName(c.Child),
				Age: age(c.Child, s.Now()), DOB: dob, Status: c.Status, Received: s.when(c.ReceivedAt)})
		}
		if err := api.AuditReads(r.Context(), s.Store, who(r), ids, "console search"); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, "search", view{Title: "Search", Data: v})
}

// ---- quarantine ----

type quarantineRow struct {
	store.QuarantineItem
	Received string
	Raw      string
}

func (s *Server) quarantine(w http.ResponseWriter, r *http.Request) error {
	return s.showQuarantine(w, r, http.StatusOK, nil, nil)
}

// showQuarantine lists the quarantined messages; form and errs re-show a discard form's input with its error
// (the reason's field is named per item: reason-<id>).
func (s *Server) showQuarantine(w http.ResponseWriter, r *http.Request, status int, form url.Values, errs []domain.FieldError) error {
	qs, err := s.Store.ListQuarantine(r.Context(), s.Authority)
	if err != nil {
		return err
	}
	var rows []quarantineRow
	for _, q := range qs {
		row := quarantineRow{QuarantineItem: q, Received: s.when(q.ReceivedAt)}
		if b, err := s.Intake.Blobs.Get(r.Context(), q.RawKey); err == nil {
			if len(b) > 64<<10 {
				b = append(b[:64<<10:64<<10], []byte("\n… (cut at 64 KiB)")...)
			}
			row.Raw = strings.ToValidUTF8(string(b), "�")
		}
		rows = append(rows, row)
		if _, err := s.Store.AppendAudit(r.Context(), store.AuditEvent{ContactID: domain.ContactID(q.ID), Actor: who(r),
			Action: "quarantine.read", Detail: map[string]string{"what": "console quarantine"}}); err != nil {
			return err
		}
	}
	return s.renderForm(w, r, status, "quarantine", "Quarantine", rows, form, errs)
}

// discard marks a quarantined message discarded with a reason (store.DiscardQuarantine: audited in the same
// write; the item and its raw message are kept). No reason: the page again with the error by the field.
func (s *Server) discard(w http.ResponseWriter, r *http.Request) error {
	q, err := s.quarantined(r)
	if err != nil {
		return err
	}
	field := "reason-" + q.ID
	reason := strings.TrimSpace(r.PostFormValue(field))
	if reason == "" {
		return s.showQuarantine(w, r, http.StatusBadRequest, r.PostForm,
			[]domain.FieldError{{Field: field, Message: "say why the message is discarded (for example: spam, sent in error)"}})
	}
	if _, err := s.Store.DiscardQuarantine(r.Context(), q.ID, who(r), reason); err != nil {
		if f, ok := invalidFields(err); ok {
			return s.showQuarantine(w, r, http.StatusBadRequest, r.PostForm, renameFields(f, "reason", field))
		}
		return err
	}
	http.Redirect(w, r, "/quarantine", http.StatusSeeOther)
	return nil
}

// quarantined is the quarantined message {id} of this authority (another authority's is not found).
func (s *Server) quarantined(r *http.Request) (store.QuarantineItem, error) {
	q, err := s.Store.GetQuarantine(r.Context(), r.PathValue("id"))
	if err != nil {
		return q, err
	}
	if q.Authority != s.Authority {
		return store.QuarantineItem{}, domain.Errorf(domain.CodeNotFound, "no such quarantined message")
	}
	return q, nil
}

func renameFields(fs []domain.FieldError, from, to string) []domain.FieldError {
	for i := range fs {
		if fs[i].Field == from {
			fs[i].Field = to
		}
	}
	return fs
}

func (s *Server) release(w http.ResponseWriter, r *http.Request) error {
	q, err := s.quarantined(r)
	if err != nil {
		return err
	}
	res, err := s.Intake.ReleaseQuarantine(r.Context(), q.ID, who(r))
	if err != nil {
		return err
	}
	if len(res) > 0 && res[0].ContactID != "" {
		http.Redirect(w, r, "/contacts/"+string(res[0].ContactID), http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/quarantine", http.StatusSeeOther)
	return nil
}

// ---- out of hours ----

type oohView struct {
	Enabled bool
	CanAdd  bool
	Morning []morningRow
	Created []intake.Result
}

type morningRow struct {
	ooh.MorningItem
	Child            string // the child's name, or that it is not yet known
	Received, Review string
	EDTNow           bool // the EDT had to act at once (route edt-now)
	// NotKnown says what intake could not read of a child whose details are still needed ("Not known: the child's
	// date of birth").
	NotKnown string
}

func (s *Server) oohPage(w http.ResponseWriter, r *http.Request) error {
	return s.showOOH(w, r, http.StatusOK, nil, nil, nil)
}

func (s *Server) showOOH(w http.ResponseWriter, r *http.Request, status int, form url.Values, errs []domain.FieldError, created []intake.Result) error {
	v := oohView{Enabled: s.OOH != nil, CanAdd: hasRole(r, api.RoleEDT), Created: created}
	if s.OOH != nil {
		items, err := s.OOH.MorningList(r.Context(), s.Authority)
		if err != nil {
			return err
		}
		var ids []domain.ContactID
		for _, it := range items {
			ids = append(ids, it.ContactID)
			row := morningRow{MorningItem: it, Child: childName(domain.Child{GivenName: it.ChildName}), Received: s.when(it.ReceivedAt), Review: s.when(it.ReviewBy),
				EDTNow: it.Route == domain.RouteEDTNow}
			for i, m := range it.Missing {
				if i == 0 {
					row.NotKnown = "Not known: "
				} else {
					row.NotKnown += "; "
				}
				row.NotKnown += missingText(m)
			}
			v.Morning = append(v.Morning, row)
		}
		if err := api.AuditReads(r.Context(), s.Store, who(r), ids, "console morning list"); err != nil {
			return err
		}
	}
	return s.renderForm(w, r, status, "ooh", "Out of hours", v, form, errs)
}

func (s *Server) oohPost(w http.ResponseWriter, r *http.Request) error {
	if s.OOH == nil {
		return domain.Errorf(domain.CodeNotFound, "out-of-hours recording is not enabled")
	}
	rec := intake.Recorded{Channel: domain.ChannelPhone, Concerns: r.PostFormValue("concerns"),
		ImmediateHarm: intake.HarmOf(r.PostFormValue("immediateHarm") == "yes"),
		Child:         domain.Child{GivenName: r.PostFormValue("child.givenName"), FamilyName: r.PostFormValue("child.familyName")},
		Referrer:      domain.Referrer{Name: r.PostFormValue("referrer.name"), Phone: r.PostFormValue("referrer.phone")}}
	// A detail the caller could not give, typed as "not known" (the hint says so): recorded as not known.
	for _, f := range []struct {
		v      *string
		detail string
	}{{&rec.Child.GivenName, "givenName"}, {&rec.Child.FamilyName, "familyName"}} {
		if intake.NotKnown(*f.v) {
			*f.v, rec.ChildNotKnown = "", append(rec.ChildNotKnown, f.detail)
		}
	}
	var p domain.Problems
	// An age as the caller told it ("about 6") stands for a date of birth they do not know, as on Record a call.
	rec.Child.Age = ageFromForm(&p, "child.age", strings.TrimSpace(r.PostFormValue("child.age")))
	if d := strings.TrimSpace(r.PostFormValue("child.dateOfBirth")); intake.NotKnown(d) || d == "" && rec.Child.Age > 0 {
		rec.ChildNotKnown = append(rec.ChildNotKnown, "dateOfBirth")
	} else if d != "" {
		dob, err := domain.ParseDate(d)
		if err != nil {
			p.Add("child.dateOfBirth", "is not a date: write it as 2015-03-31 or 31/03/2015")
		}
		rec.Child.DateOfBirth = dob
	}
	if err := p.Err(); err != nil {
		// Every error at once: the date it could not read, and what intake's validation finds in the rest.
		fields, _ := invalidFields(err)
		if more, ok := invalidFields(rec.Validate(s.Now())); ok {
			for _, e := range more {
				if !slices.ContainsFunc(fields, func(x domain.FieldError) bool { return x.Field == e.Field }) {
					fields = append(fields, e)
				}
			}
		}
		return s.showOOH(w, r, http.StatusBadRequest, r.PostForm, fields, nil)
	}
	res, err := s.OOH.AddPhoneNote(r.Context(), s.Authority, who(r), rec)
	if err != nil {
		if fields, ok := invalidFields(err); ok {
			return s.showOOH(w, r, http.StatusBadRequest, r.PostForm, fields, nil)
		}
		return err
	}
	return s.showOOH(w, r, http.StatusOK, nil, nil, res)
}

// ---- helpers ----

func childName(ch domain.Child) string {
	n := strings.TrimSpace(ch.GivenName + " " + ch.FamilyName)
	if n == "" {
		return "(name not yet known)"
	}
	return n
}

// age is the child's age in whole years (months under two), "unborn", the age a caller gave when the date is
// not known, or "" when neither is.
func age(ch domain.Child, now time.Time) string {
	if ch.Unborn {
		return "unborn"
	}
	d := ch.DateOfBirth
	if d.IsZero() && ch.Age > 0 {
		return strconv.Itoa(ch.Age) + " years (as told; date of birth not known)"
	}
	if d.IsZero() {
		return ""
	}
	y, m, day := now.Date()
	months := (y-d.Y)*12 + int(m) - d.M
	if day < d.D {
		months--
	}
	if months < 0 {
		return ""
	}
	if months < 24 {
		return strconv.Itoa(months) + " months"
	}
	return strconv.Itoa(months/12) + " years"
}

// timeLeft says how long until a deadline, or how long overdue.
func timeLeft(due, now time.Time) string {
	d := due.Sub(now)
	over := d < 0
	if over {
		d = -d
	}
	var s string
	switch {
	case d >= 48*time.Hour:
		s = strconv.Itoa(int(d.Hours()/24)) + " days"
	case d >= time.Hour:
		s = strconv.Itoa(int(d.Hours())) + " h " + strconv.Itoa(int(d.Minutes())%60) + " min"
	default:
		s = strconv.Itoa(int(d.Minutes())) + " min"
	}
	if over {
		return "overdue by " + s
	}
	return s + " left"
}

// ukDate is a date as people in the UK read it (14 February 2019; GOV.UK style), not 2019-02-14.
func ukDate(d domain.Date) string {
	if d.IsZero() {
		return ""
	}
	return time.Date(d.Y, time.Month(d.M), d.D, 0, 0, 0, 0, time.UTC).Format("2 January 2006")
}

func (s *Server) when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	loc, err := time.LoadLocation(s.Policy.Timezone)
	if err != nil {
		loc = time.UTC
	}
	return t.In(loc).Format("Mon 2 Jan 2006 15:04 MST") // the zone: GMT or BST
}

// nameMatches: every word of q is within one edit of, or a prefix (3+ letters) of, a word of the name.
func nameMatches(q string, ch domain.Child) bool {
	words := strings.Fields(strings.ToLower(ch.GivenName + " " + ch.FamilyName))
	if len(words) == 0 {
		return false
	}
	for _, w := range strings.Fields(strings.ToLower(q)) {
		if !slices.ContainsFunc(words, func(n string) bool {
			return (len(w) >= 3 && strings.HasPrefix(n, w)) || editDistanceAtMostOne(w, n)
		}) {
			return false
		}
	}
	return true
}

func editDistanceAtMostOne(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > len(rb) {
		ra, rb = rb, ra
	}
	if len(rb)-len(ra) > 1 {
		return false
	}
	i, j, edits := 0, 0, 0
	for i < len(ra) && j < len(rb) {
		if ra[i] == rb[j] {
			i++
			j++
			continue
		}
		edits++
		if edits > 1 {
			return false
		}
		if len(ra) == len(rb) {
			i++
		}
		j++
	}
	return edits+(len(rb)-j)+(len(ra)-i) <= 1
}
