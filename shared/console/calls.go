package console

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/consultations"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
)

// "Record a call" (/contacts/new): staff record a phone call or a visitor at the front desk about one or more
// children (Hackney §8, Bexley §5–6, Barnet's consultation line; Northamptonshire §6: anyone may phone), or —
// where the policy offers consultations and the role may record them — a professional's consultation, which
// goes into the consultation log and never onto the rating tray. The form is read into the API's own request
// types (intake.RecordedHousehold for POST /v1/contacts' contact, consultations.Request for a consultation)
// and checked by their own validation: the console has no rules of its own beyond reading the form. Its fields
// are named as the API's JSON paths (children[0].givenName, referrer.phone), so each error lands by its field.
// The form's key makes sending it again record nothing more; the audit names the signed-in user.
//
// The consultation log (/consultations) lists what GET /v1/consultations lists, each row an audited read
// (consultation.read), showing only what the policy keeps.

// RecordRoles may record a call: POST /v1/contacts' x-roles.
var RecordRoles = Staff

// ConsultationRoles may record and read consultations: POST and GET /v1/consultations' x-roles, and POST
// /v1/contacts' with channel consultation (api.ConsultationRoles: never the EDT, with the seeds' reasons).
var ConsultationRoles = api.ConsultationRoles

// callRoute scopes the form's key (intake.ClientKey), as the API scopes an Idempotency-Key to its route.
const callRoute = "POST /contacts/new"

// maxCallChildren is how many children one call may name (a household, as a referral's).
const maxCallChildren = store.MaxHousehold

// callParents is how many parents or carers the form asks for (the API takes any number).
const callParents = 2

// immediate-harm answers of the form.
const (
	harmYes      = "yes"
	harmNo       = "no"
	harmNotKnown = "not-known"
)

// notKnownHarm is written under a consultation's concerns when the caller could not say whether a child is at
// risk of immediate harm: a consultation's childAtRisk is the worker's yes or no. A contact records it as not
// known (intake.HarmNotKnown: still to be answered, never a no).
const notKnownHarm = "(Immediate harm: the caller did not know whether the child is at risk of immediate harm.)"

// call is the form as read: a contact (one per child) or a consultation.
type call struct {
	Consultation bool
	Household    intake.RecordedHousehold
	Consult      consultations.Request
	// index maps the household's children to the form's child blocks (an empty block is left out); parentIndex
	// its parents to the form's parent blocks likewise.
	index, parentIndex []int
	// consultChild is the form's block the consultation's child came from (-1: none).
	consultChild int
}

// childBlocks is how many child blocks the form shows: its "children" field (1 to maxCallChildren).
func childBlocks(f url.Values) int {
	n, err := strconv.Atoi(f.Get("children"))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, maxCallChildren)
}

// callFromForm reads the form. It names only what it cannot read (a date, an age, an answer not among the
// choices); what is missing or wrong in what it read is for the request's own Validate.
func callFromForm(f url.Values, by string) (call, []domain.FieldError) {
	var p domain.Problems
	g := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	c := call{Consultation: f.Get("consultation") == "yes", consultChild: -1}
	var children []intake.RecordedChild
	for i := range childBlocks(f) {
		pre := "children[" + strconv.Itoa(i) + "]."
		ch, notKnown, blank := childFromForm(&p, f, pre)
		if blank && i > 0 {
			continue // another child's block left empty
		}
		if ch.Address == "" && len(children) > 0 {
			ch.Address = children[0].Child.Address // "leave empty if the same as the first child's"
		}
		children = append(children, intake.RecordedChild{Child: ch, NotKnown: notKnown})
		c.index = append(c.index, i)
	}
	// The parents or carers the caller named (optional; an entry left empty is left out, one with a
	// relationship and no name is named by intake's validation).
	var parents []domain.Parent
	for i := range callParents {
		pre := "parents[" + strconv.Itoa(i) + "]."
		par := domain.Parent{Name: g(pre + "name"), Relationship: g(pre + "relationship"), ParentalResponsibility: f.Get(pre+"parentalResponsibility") == "true"}
		if par == (domain.Parent{}) {
			continue
		}
		if c.Consultation {
			p.Add(pre+"name", "a consultation keeps no parent's or carer's details: leave them empty, or record the call as a contact")
			continue
		}
		parents = append(parents, par)
		c.parentIndex = append(c.parentIndex, i)
	}
	ref := domain.Referrer{Name: g("referrer.name"), Role: g("referrer.role"), Organisation: g("referrer.organisation"),
		Phone: g("referrer.phone"), Email: g("referrer.email"), Relationship: g("referrer.relationship")}
	var professional *bool
	switch f.Get("referrer.professional") {
	case "yes":
		professional = ptr(true)
	case "no":
		professional = ptr(false)
	case "":
	default:
		p.Add("referrer.professional", "answer yes or no")
	}
	concerns := g("concerns")
	harm := f.Get("immediateHarm")
	answer := intake.HarmNo
	switch harm {
	case harmYes:
		answer = intake.HarmYes
	case harmNo:
	case harmNotKnown:
		answer = intake.HarmNotKnown
	default:
		p.Add("immediateHarm", "say whether a child is at risk of immediate harm: yes, no or not known")
	}
	consent := domain.Consent{Status: domain.ConsentStatus(f.Get("consent.status")), Reason: g("consent.reason")}
	if !c.Consultation {
		rec := intake.Recorded{Channel: domain.Channel(f.Get("channel")), Referrer: ref, Concerns: concerns,
			ImmediateHarm: answer, Consent: consent, RecordedBy: by, Parents: parents}
		if professional != nil {
			rec.Referrer.Professional = *professional
		}
		c.Household = intake.RecordedHousehold{Recorded: rec, Children: children}
		return c, p
	}
	// A consultation: the consultee is the caller; the child's details only when given (the policy says
	// whether they may be kept: consultations.Validate names child when they may not).
	if answer == intake.HarmNotKnown && concerns != "" {
		concerns += "\n\n" + notKnownHarm
	}
	k := consultations.Request{Consultee: consultations.Consultee{Referrer: ref, Professional: professional},
		Concerns: concerns, Advice: g("advice"), ChildAtRisk: harm == harmYes, BasicChecks: f.Get("basicChecks") == "yes",
		RecordedBy: by}
	switch f.Get("dslConsulted") {
	case "yes":
		k.DSLConsulted = ptr(true)
	case "no":
		k.DSLConsulted = ptr(false)
	}
	if consent.Status != "" {
		k.Consent = &consent
	}
	var given []int
	for j, ch := range children {
		if ch.Child != (domain.Child{}) {
			given = append(given, j)
		}
	}
	switch {
	case len(given) > 1:
		p.Add("children", "a consultation is about one child at most: record the call as a contact to refer several children, or leave the others out")
	case len(given) == 1:
		ch := children[given[0]].Child
		k.Child, c.consultChild = &ch, c.index[given[0]]
	}
	c.Consult = k
	return c, p
}

// childFromForm reads one child's block: a detail typed as not known ("not known", "unknown" …) is recorded
// as not known; an age stands for a date of birth the caller does not know. blank: nothing was written.
func childFromForm(p *domain.Problems, f url.Values, pre string) (ch domain.Child, notKnown []string, blank bool) {
	g := func(k string) string { return strings.TrimSpace(f.Get(pre + k)) }
	blank = g("givenName") == "" && g("familyName") == "" && g("dateOfBirth") == "" && g("age") == "" && g("school") == "" && g("address") == ""
	for _, d := range []struct {
		to   *string
		name string
	}{{&ch.GivenName, "givenName"}, {&ch.FamilyName, "familyName"}} {
		if v := g(d.name); intake.NotKnown(v) {
			notKnown = append(notKnown, d.name)
		} else {
			*d.to = v
		}
	}
	if v := g("school"); !intake.NotKnown(v) {
		ch.School = v
	}
	if v := g("address"); !intake.NotKnown(v) {
		ch.Address = v
	}
	ch.Age = ageFromForm(p, pre+"age", g("age"))
	switch v := g("dateOfBirth"); {
	case intake.NotKnown(v), v == "" && ch.Age > 0:
		notKnown = append(notKnown, "dateOfBirth") // an age stands for it
	case v != "":
		dob, err := domain.ParseDate(v)
		if err != nil {
			p.Add(pre+"dateOfBirth", "is not a date: write it as 31/03/2015 or 2015-03-31, or not known")
		}
		ch.DateOfBirth = dob
		ch.Age = 0 // the date says it
	}
	return ch, notKnown, blank
}

// ageFromForm reads an age in years as a caller told it ("7", "7 years"); empty or not known is 0, anything
// else is named by its field.
func ageFromForm(p *domain.Problems, field, v string) int {
	if v == "" || intake.NotKnown(v) {
		return 0
	}
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(strings.TrimSuffix(strings.ToLower(v), "years")), "y"))
	if err != nil || n < 0 || n > 25 {
		p.Add(field, "is not an age in years: write a whole number such as 7, or leave it empty")
		return 0
	}
	return n
}

func ptr[T any](v T) *T { return &v }

// validate is the request's own validation, its fields named as the form's.
func (c call) validate(pol *policy.Policy, now time.Time) []domain.FieldError {
	var err error
	if c.Consultation {
		err = c.Consult.Validate(pol, now)
	} else {
		err = c.Household.Validate(now)
	}
	f, _ := invalidFields(err)
	return c.formFields(f)
}

// formFields renames a request's field errors to the form's fields: a household's children[k] is the form's
// block index[k]; a consultation's consultee is the form's caller (referrer), its child the block it came from.
func (c call) formFields(fs []domain.FieldError) []domain.FieldError {
	out := make([]domain.FieldError, 0, len(fs))
	for _, e := range fs {
		switch {
		case c.Consultation && strings.HasPrefix(e.Field, "consultee."):
			e.Field = "referrer." + strings.TrimPrefix(e.Field, "consultee.")
		case c.Consultation && (e.Field == "child" || strings.HasPrefix(e.Field, "child.")):
			at := max(c.consultChild, 0)
			e.Field = "children[" + strconv.Itoa(at) + "]" + strings.TrimPrefix(e.Field, "child")
		case !c.Consultation && strings.HasPrefix(e.Field, "children["):
			idx, rest, ok := strings.Cut(strings.TrimPrefix(e.Field, "children["), "]")
			if k, err := strconv.Atoi(idx); ok && err == nil && k < len(c.index) {
				e.Field = "children[" + strconv.Itoa(c.index[k]) + "]" + rest
			}
		case !c.Consultation && strings.HasPrefix(e.Field, "parents["):
			idx, rest, ok := strings.Cut(strings.TrimPrefix(e.Field, "parents["), "]")
			if k, err := strconv.Atoi(idx); ok && err == nil && k < len(c.parentIndex) {
				e.Field = "parents[" + strconv.Itoa(c.parentIndex[k]) + "]" + rest
			}
		}
		out = append(out, e)
	}
	return out
}

// mergeFields adds to errs each error of more whose field errs does not name already (a date the form could
// not read reads as missing to the request's validation: named once).
func mergeFields(errs, more []domain.FieldError) []domain.FieldError {
	for _, e := range more {
		if !slices.ContainsFunc(errs, func(x domain.FieldError) bool {
			return x.Field == e.Field || strings.HasPrefix(e.Field, x.Field+".")
		}) {
			errs = append(errs, e)
		}
	}
	return errs
}

// formOrder is the order of the form's fields: the error summary lists errors in it, as the form reads.
var formOrder = []string{"form", "consultation", "channel", "referrer.", "children", "parents", "concerns", "immediateHarm", "advice",
	"dslConsulted", "basicChecks", "consent."}

// childOrder is the order of a child block's fields on the form.
var childOrder = []string{"givenName", "familyName", "dateOfBirth", "age", "school", "address"}

// inFormOrder sorts errors as the form's fields come (children by their block; within a block, as its fields
// come: given name, family name, date of birth, age, school).
func inFormOrder(errs []domain.FieldError) []domain.FieldError {
	const block = 100 // ranks within one child block
	rank := func(f string) int {
		for i, p := range formOrder {
			if f == p || strings.HasPrefix(f, p) {
				if i == 4 { // children[i]…: after the children's own message, by block, then by the block's fields
					if idx, rest, ok := strings.Cut(strings.TrimPrefix(f, "children["), "]"); ok {
						n, _ := strconv.Atoi(idx)
						sub := slices.Index(childOrder, strings.TrimPrefix(rest, "."))
						if sub < 0 {
							sub = len(childOrder)
						}
						return i*block*(maxCallChildren+2) + (1+n)*block + sub
					}
				}
				return i * block * (maxCallChildren + 2)
			}
		}
		return len(formOrder) * block * (maxCallChildren + 2)
	}
	// sort, not slices: a generic stable sort of FieldError is ≈ 8 KB of the console's code (functions/size_test.go)
	sort.SliceStable(errs, func(i, j int) bool { return rank(errs[i].Field) < rank(errs[j].Field) })
	return errs
}

// callView is the form, and what recording it made.
type callView struct {
	FormKey  string
	Children int // child blocks shown
	Channels []domain.Channel
	Consents []domain.ConsentStatus
	// MayConsult: the policy offers consultations and the role may record them; Keeps says what is kept.
	MayConsult bool
	Keeps      consultKeeps
	// What was recorded: the contacts (one per child), or the consultation (and the contact it became).
	Result       []intake.Result
	Names        []string // the child of each result
	Consultation *domain.Consultation
	Contact      *intake.Result
	Again        bool // the form had been sent before: nothing new was recorded
}

// consultKeeps is what the policy's consultations block keeps and does, for the form's hints and the log's
// columns: nothing the policy does not keep is asked or shown.
type consultKeeps struct {
	Offered, Child, DSL, BasicChecks, Summary, Line bool
	// Words says it in a sentence, with the seed section the policy cites (or that it is assumed).
	Words string
}

func (s *Server) consultKeeps() consultKeeps {
	cp := s.Policy.Consultations
	k := consultKeeps{Offered: cp.Offered, Child: cp.RecordAgainstChild, DSL: cp.AskDSLConsulted, BasicChecks: cp.BasicChecks,
		Summary: cp.WrittenSummary, Line: cp.Line != nil}
	name := s.Policy.ShortName()
	var w []string
	switch {
	case !cp.Offered:
		k.Words = name + "'s policy offers no consultations: a call asking for advice is recorded as a phone contact."
		return k
	case cp.RecordAgainstChild:
		w = append(w, name+" records the child's details with a consultation when the caller gives them")
	default:
		w = append(w, name+" keeps a log of consultation calls only: the child's details are never recorded with a consultation")
	}
	if cp.AskDSLConsulted {
		w = append(w, "it asks whether the caller consulted their Designated Safeguarding Lead first")
	}
	if cp.BasicChecks {
		w = append(w, "it may run basic checks on the child's details")
	}
	if cp.WrittenSummary {
		w = append(w, "a written summary goes to the caller")
	}
	if cp.ConvertWhenAtRisk {
		w = append(w, "a consultation about a child at risk becomes a referral at once")
	}
	if cp.Line != nil {
		w = append(w, "the line is open "+strings.Join(cp.Line.Days, ", ")+" "+cp.Line.From+"–"+cp.Line.To+" (a call outside those hours is marked)")
	}
	k.Words = strings.Join(w, "; ") + "."
	if cite := s.Policy.Cite(cp.Source); cite != "" {
		k.Words += " (" + cite + ")"
	} else if cp.Assumed {
		k.Words += " (assumed: the seed does not say; policy consultations)"
	}
	return k
}

func (s *Server) callView(r *http.Request, key string, form url.Values) callView {
	return callView{FormKey: key, Children: childBlocks(form), Channels: intake.RecordedChannels, Consents: domain.ConsentStatuses,
		MayConsult: s.Policy.Consultations.Offered && hasRole(r, ConsultationRoles...), Keeps: s.consultKeeps()}
}

func (s *Server) callPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "call", view{Title: "Record a call", Data: s.callView(r, randomToken(), nil)})
}

// callPost records the call: a contact per child (intake.RecordHousehold, POST /v1/contacts' service), or a
// consultation (consultations.Record, POST /v1/consultations' service). "Add another child" shows the form
// again with one more child's block, recording nothing.
func (s *Server) callPost(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	key := f.Get("formKey")
	showForm := func(status int, errs []domain.FieldError) error {
		return s.renderForm(w, r, status, "call", "Record a call", s.callView(r, key, f), f, inFormOrder(errs))
	}
	if f.Get("add") == "child" {
		f.Set("children", strconv.Itoa(min(childBlocks(f)+1, maxCallChildren)))
		return showForm(http.StatusOK, nil)
	}
	c, errs := callFromForm(f, who(r))
	if c.Consultation && !hasRole(r, ConsultationRoles...) {
		errs = append(errs, domain.FieldError{Field: "consultation", Message: "your role may not record consultations (a contact officer, MASH worker or manager may): record the call as a contact"})
	}
	errs = mergeFields(errs, c.validate(s.Policy, s.Now()))
	if len(errs) == 0 && key == "" {
		errs = append(errs, domain.FieldError{Field: "form", Message: "the form is incomplete: reload the page"})
	}
	if len(errs) > 0 {
		return showForm(http.StatusBadRequest, errs)
	}
	idem := intake.ClientKey(callRoute, who(r), key)
	v := s.callView(r, "", nil)
	if c.Consultation {
		c.Consult.Key = idem
		rec, err := consultations.Service{Env: s.Actions.Env, Intake: s.Intake}.Record(r.Context(), s.Authority, c.Consult)
		if err != nil {
			return s.callRefused(err, c, showForm)
		}
		v.Consultation, v.Contact, v.Again = rec.Consultation, rec.Contact, rec.Duplicate
	} else {
		res, err := s.Intake.RecordHousehold(r.Context(), s.Authority, c.Household, idem)
		if err != nil {
			return s.callRefused(err, c, showForm)
		}
		v.Result = res
		for i, x := range res {
			v.Again = v.Again || x.Status == intake.StatusDuplicate
			name := ""
			if i < len(c.Household.Children) {
				name = childName(c.Household.Children[i].Child)
			}
			v.Names = append(v.Names, name)
		}
	}
	return s.render(w, r, http.StatusOK, "called", view{Title: "Call recorded", Data: v})
}

// callRefused shows the form again with what the service refused, by its field: its validation's errors, a
// policy that offers no consultations, or the form's key sent before with other details.
func (s *Server) callRefused(err error, c call, showForm func(int, []domain.FieldError) error) error {
	if f, ok := invalidFields(err); ok {
		return showForm(http.StatusBadRequest, c.formFields(f))
	}
	var de *domain.Error
	if errors.As(err, &de) && de.Code == domain.CodeConflict {
		field, msg := "consultation", de.Message
		if c.Consultation && strings.Contains(msg, "under this key") {
			msg = "this form recorded " + strings.TrimSuffix(strings.Replace(msg, " was recorded under this key already", " already", 1), ".") +
				": open Record a call again to record a new consultation"
		}
		if !c.Consultation {
			field, msg = "form", "this form was recorded already with other details: open Record a call again to record a new call"
		}
		return showForm(http.StatusConflict, []domain.FieldError{{Field: field, Message: msg}})
	}
	return err
}

// ---- the consultation log ----

type consultationsView struct {
	Keeps consultKeeps
	Rows  []consultationRow
}

type consultationRow struct {
	C        *domain.Consultation
	Received string
	Child    string // name and date of birth or age, where the policy keeps them
	DSL      string // yes, no or not asked
	Checks   string
	Summary  string // sent, or due by
	Overdue  bool
	// CanSummarise: the policy sends a written summary and this one is not sent yet: the row has the form
	// that writes and sends it (POST /v1/consultations/{id}/summary's service), so that the item on the
	// consultation-summary tray can be done from the console.
	CanSummarise bool
}

// consultationsPage lists the consultation log, newest first (GET /v1/consultations' list), every row an
// audited read (consultation.read under its id, as the API's are).
func (s *Server) consultationsPage(w http.ResponseWriter, r *http.Request) error {
	return s.showConsultations(w, r, http.StatusOK, nil, nil)
}

// showConsultations renders the log; form and errs re-show a summary's form with its error.
func (s *Server) showConsultations(w http.ResponseWriter, r *http.Request, status int, form url.Values, errs []domain.FieldError) error {
	v := consultationsView{Keeps: s.consultKeeps()}
	svc := consultations.Service{Env: s.Actions.Env, Intake: s.Intake}
	ks, err := svc.List(r.Context(), s.Authority)
	if err != nil {
		return err
	}
	if err := api.AuditConsultationReads(r.Context(), s.Store, who(r), ks, "console consultation log"); err != nil {
		return err
	}
	now := s.Now()
	for _, k := range ks {
		row := consultationRow{C: k, Received: s.when(k.ReceivedAt)}
		if k.Child != nil {
			row.Child = childName(*k.Child)
			if !k.Child.DateOfBirth.IsZero() {
				row.Child += ", born " + ukDate(k.Child.DateOfBirth)
			} else if k.Child.Age > 0 {
				row.Child += ", age " + itoa(k.Child.Age)
			}
		}
		switch {
		case k.DSLConsulted == nil:
		case *k.DSLConsulted:
			row.DSL = "yes"
		default:
			row.DSL = "no"
		}
		if c := k.Checks; c != nil {
			switch {
			case c.OpenCase:
				row.Checks = "open case"
				if c.Unit != "" || c.AllocatedWorker != "" {
					row.Checks += " (" + strings.TrimSpace(c.AllocatedWorker+" "+c.Unit) + ")"
				}
			case c.Known:
				row.Checks = "known to children's social care"
			default:
				row.Checks = "not known to children's social care"
			}
		}
		if k.Summary != nil {
			row.Summary = "sent " + s.when(k.Summary.At)
		} else if due, ok := k.Deadlines[policy.RuleConsultationSummary]; ok {
			row.Summary, row.Overdue = "due by "+s.when(due), now.After(due)
		}
		row.CanSummarise = v.Keeps.Summary && k.Summary == nil && k.Contact == nil
		v.Rows = append(v.Rows, row)
	}
	return s.renderForm(w, r, status, "consultations", "Consultations", v, form, errs)
}

// consultationSummary writes a consultation's written summary and sends it to the caller (Bexley §5–6:
// consultations.Summarise, as POST /v1/consultations/{id}/summary): the consultation-summary tray's item is
// done. An empty summary is named by its row's field; the log again, the input kept.
func (s *Server) consultationSummary(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	field := "summary-" + id
	svc := consultations.Service{Env: s.Actions.Env, Intake: s.Intake}
	k, err := svc.Summarise(r.Context(), s.Authority, id, strings.TrimSpace(r.PostFormValue(field)), who(r))
	if err != nil {
		if fields, ok := invalidFields(renameField(err, "text", field)); ok {
			return s.showConsultations(w, r, http.StatusBadRequest, r.PostForm, fields)
		}
		return err
	}
	http.Redirect(w, r, "/consultations#"+url.PathEscape(string(k.Reference)), http.StatusSeeOther)
	return nil
}
