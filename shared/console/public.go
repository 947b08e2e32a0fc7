package console

import (
	"context"
	"embed"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	apispec "github.com/safeguarding/mash/api"
	"github.com/safeguarding/mash/shared/actions"
	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/checks"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/store"
)

// ---- sign in ----

type signinView struct {
	Next  string
	Users []DemoUser
	Local bool
	// OIDC: the button to the provider's sign-in page (oidc.go).
	OIDC bool
}

func (s *Server) signinPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "signin", view{Title: "Sign in",
		Data: signinView{Next: safeNext(r.URL.Query().Get("next")), Users: s.DemoUsers, Local: s.Local != nil, OIDC: s.OIDC != nil}})
}

// signinPost signs in with a pasted `mash token` (verified as the API verifies it) or, on the demo, a
// picked user; then starts a session.
func (s *Server) signinPost(w http.ResponseWriter, r *http.Request) error {
	next := safeNext(r.PostFormValue("next"))
	var id api.Identity
	var errs []domain.FieldError
	switch {
	case r.PostFormValue("user") != "" && len(s.DemoUsers) > 0:
		i := slices.IndexFunc(s.DemoUsers, func(u DemoUser) bool { return u.Name == r.PostFormValue("user") })
		if i < 0 {
			errs = append(errs, domain.FieldError{Field: "user", Message: "choose one of the listed users"})
			break
		}
		u := s.DemoUsers[i]
		id = api.Identity{Subject: u.Name, Roles: u.Roles, Agency: u.Agency, Authority: s.Authority}
	case s.Local != nil:
		tok := strings.TrimSpace(r.PostFormValue("token"))
		if tok == "" {
			errs = append(errs, domain.FieldError{Field: "token", Message: "paste a token made by mash token"})
			break
		}
		req, _ := http.NewRequestWithContext(r.Context(), http.MethodGet, "/", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		got, err := s.Local.Authenticate(req)
		if err != nil {
			errs = append(errs, domain.FieldError{Field: "token", Message: "is not a valid token for this MASH (expired, tampered with, or from another state folder)"})
			break
		}
		if got.Authority != s.Authority {
			errs = append(errs, domain.FieldError{Field: "token", Message: "is for another authority"})
			break
		}
		id = got
	default:
		return domain.Errorf(domain.CodeNotFound, "local sign-in is not enabled here")
	}
	if len(errs) > 0 {
		return s.render(w, r, http.StatusBadRequest, "signin", view{Title: "Error: Sign in", Errors: errs, Form: r.PostForm,
			Data: signinView{Next: next, Users: s.DemoUsers, Local: s.Local != nil}})
	}
	now := s.Now().Unix()
	s.setSession(w, session{Identity: id, Began: now, Seen: now})
	http.Redirect(w, r, landing(id, next), http.StatusSeeOther)
	return nil
}

// signout ends the session; with a provider's logout endpoint, its hosted page's session too, coming back
// to /signed-out.
func (s *Server) signout(w http.ResponseWriter, r *http.Request) error {
	s.clearSession(w)
	if s.OIDC != nil && s.OIDC.LogoutURL != "" {
		http.Redirect(w, r, s.OIDC.LogoutURL+"?"+url.Values{"client_id": {s.OIDC.ClientID}, "logout_uri": {s.OIDC.SignedOutURL}}.Encode(),
			http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
	return nil
}

// ---- the online referral form ----

type referView struct {
	FormKey            string
	Consents           []domain.ConsentStatus
	Result             []intake.Result
	MASHPhone, EDTLine string
	// The attachments' limits, and the fields their errors come by (attachments[0] …).
	MaxFiles, MaxFileMiB int
	FileKinds            string
	FileFields           []string
	Files                []string // the names of the files the confirmed referral carries
}

func (s *Server) referView(key string) referView {
	v := referView{FormKey: key, Consents: domain.ConsentStatuses, MASHPhone: s.Policy.Contacts.MASHInbox.Phone,
		EDTLine: s.Policy.Contacts.EDT.Phone, MaxFiles: intake.MaxFormAttachments, MaxFileMiB: intake.MaxFormAttachmentBytes >> 20,
		FileKinds: intake.FormAttachmentKinds}
	for i := range intake.MaxFormAttachments + 4 {
		v.FileFields = append(v.FileFields, "attachments["+strconv.Itoa(i)+"]")
	}
	return v
}

// MaxReferBody is the largest /refer form accepted (its attachments included): on AWS the form reaches the
// console function through API Gateway and Lambda, whose request payload is at most 6 MB once base64-encoded.
const MaxReferBody = 4 << 20

// formFiles reads the form's files (the "attachments" field). A form sent without a file has none.
func formFiles(r *http.Request) ([]intake.FormAttachment, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	var out []intake.FormAttachment
	for _, fh := range r.MultipartForm.File["attachments"] {
		if fh.Filename == "" && fh.Size == 0 {
			continue // the browser's empty file input
		}
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(io.LimitReader(f, intake.MaxFormAttachmentBytes+1))
		f.Close()
		if err != nil {
			return nil, err
		}
		out = append(out, intake.FormAttachment{Name: path.Base(strings.ReplaceAll(fh.Filename, "\\", "/")), Data: b})
	}
	return out, nil
}

func (s *Server) referPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "refer", view{Title: "Make a referral", Data: s.referView(randomToken())})
}

// referPost makes the contacts of a referral through intake (POST /v1/referrals' own service and
// validation). The form's key is the Idempotency-Key: sending the same page again makes no second contact
// and shows the first reference.
func (s *Server) referPost(w http.ResponseWriter, r *http.Request) error {
	key := r.PostFormValue("formKey")
	ref, errs := referralFromForm(r.PostForm)
	files, err := formFiles(r)
	if err != nil {
		return err
	}
	ref.Attachments = files
	if id, ok := identity(r); ok && id.Authority == s.Authority {
		ref.SubmittedBy = id.Subject // "My referrals" (referralsPage)
	}
	// Every error at once: what the form could not read, then what intake's validation finds in the rest (a
	// field the form already named, e.g. a date it could not read, is not named twice).
	if err := ref.Validate(s.Now()); err != nil {
		f, ok := invalidFields(err)
		if !ok {
			return err
		}
		for _, e := range f {
			if !slices.ContainsFunc(errs, func(x domain.FieldError) bool { return x.Field == e.Field }) {
				errs = append(errs, e)
			}
		}
	}
	if len(errs) == 0 && key == "" {
		errs = append(errs, domain.FieldError{Field: "form", Message: "the form is incomplete: reload the page"})
	}
	if len(errs) > 0 {
		return s.render(w, r, http.StatusBadRequest, "refer", view{Title: "Error: Make a referral", Data: s.referView(key),
			Form: r.PostForm, Errors: consentError(inOrder(errs, referOrder))})
	}
	res, err := s.Intake.CreateReferral(r.Context(), s.Authority, ref, intake.ClientKey("POST /refer", "console-form", key))
	if err != nil {
		if f, ok := invalidFields(err); ok {
			return s.render(w, r, http.StatusBadRequest, "refer", view{Title: "Error: Make a referral", Data: s.referView(key),
				Form: r.PostForm, Errors: consentError(inOrder(f, referOrder))})
		}
		return err
	}
	v := s.referView("")
	v.Result = res
	for _, f := range files {
		v.Files = append(v.Files, f.Name)
	}
	return s.render(w, r, http.StatusOK, "referred", view{Title: "Referral received", Data: v})
}

// referralFromForm reads the form's fields, named as the API's JSON paths (children[0].givenName), so that
// intake's field errors land by their fields.
func referralFromForm(f url.Values) (intake.Referral, []domain.FieldError) {
	var p domain.Problems
	g := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	var ref intake.Referral
	for i := range 2 {
		pre := "children[" + string(rune('0'+i)) + "]."
		ch := domain.Child{GivenName: g(pre + "givenName"), FamilyName: g(pre + "familyName"), Gender: g(pre + "gender"),
			Address: g(pre + "address"), School: g(pre + "school")}
		if d := g(pre + "dateOfBirth"); d != "" {
			dob, err := domain.ParseDate(d)
			if err != nil {
				p.Add(pre+"dateOfBirth", "is not a date: write it as 2015-03-31 or 31/03/2015")
			}
			ch.DateOfBirth = dob
		}
		if i > 0 && ch == (domain.Child{}) {
			continue // the second child is optional
		}
		ref.Children = append(ref.Children, ch)
	}
	if n := g("parents[0].name"); n != "" {
		ref.Parents = append(ref.Parents, domain.Parent{Name: n, Relationship: g("parents[0].relationship"),
			ParentalResponsibility: f.Get("parents[0].parentalResponsibility") == "true"})
	}
	if n := g("household[0].name"); n != "" {
		ref.Household = append(ref.Household, domain.HouseholdMember{Name: n, Relationship: g("household[0].relationship")})
	}
	ref.Referrer = domain.Referrer{Name: g("referrer.name"), Organisation: g("referrer.organisation"), Role: g("referrer.role"),
		Email: g("referrer.email"), Phone: g("referrer.phone"), Relationship: g("referrer.relationship"),
		Professional: f.Get("referrer.professional") == "true"}
	ref.Concerns = g("concerns")
	switch f.Get("immediateHarm") {
	case "yes":
		ref.ImmediateHarm = true
	case "no":
	default:
		p.Add("immediateHarm", "say whether the child is at risk of immediate harm")
	}
	ref.Consent = domain.Consent{Status: domain.ConsentStatus(f.Get("consent.status")), Reason: g("consent.reason")}
	// Barnet "How do I refer?": before referring you must tell the family (required where the policy says so;
	// intake names the field when it is missing).
	switch f.Get("familyTold.told") {
	case "yes":
		ref.FamilyTold = &domain.FamilyTold{Told: true}
	case "no":
		ref.FamilyTold = &domain.FamilyTold{Reason: g("familyTold.reason")}
	}
	return ref, p
}

// ---- the partner's answer page (single-use link) ----

// Link purposes: the check-request email's link (partner-checks mints it) and the answer form's own
// single-use token.
const (
	PurposeCheckAnswer = checks.PurposeAnswer
	purposeAnswerForm  = "check-answer-form"
	answerFormTTL      = 2 * time.Hour
)

type answerView struct {
	Token    string
	Check    store.CheckRequest
	C        *domain.Contact
	Name     string
	DOB      string
	Due      string
	Answered bool
	Done     bool
	// Summary is the summary of the referral concerns where the policy has the request carry one (Barnet
	// "What are my responsibilities": "The request will contain a summary of the referral concerns"); the
	// page shows it in place of the whole concerns.
	Summary string
	// Reference is the contact's reference, quoted on the page that confirms the answer.
	Reference domain.Reference
}

// linkOpenView is the page a single-use link opens first: Token posted by the button, which uses it.
// Mail scanners (Microsoft Defender's Safe Links and the like) fetch every link in a message before the person
// reads it; when a GET used the link, the agency's worker or the school's DSL found it "already used" and
// could not answer. Only the button, a POST no scanner sends, uses it.
type linkOpenView struct {
	Heading, Body, Token, ID, Button string
	Kind                             string // answer or encompass: the button posts to /<Kind>/open
}

// answerLinkPage is the check-request link: a button that opens the check (answerOpen).
func (s *Server) answerLinkPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "linkopen", view{Title: "Answer a MASH check", Data: linkOpenView{
		Heading: "Answer a MASH check", Body: "The MASH asks your agency what it knows about a child. Open the check when you are ready to answer it: you then have two hours to send the answer.",
		Kind: "answer", Token: r.PathValue("token"), ID: "answer-open", Button: "Open the check"}})
}

// answerOpen uses the check-request link (the button of answerLinkPage; a second use, or an expired link, is a
// clear page and changes nothing) and shows the concern to that agency with a form whose own single-use token
// (two hours) the answer carries. Nothing else of the contact is shown.
func (s *Server) answerOpen(w http.ResponseWriter, r *http.Request) error {
	return s.withLink(w, r, r.PostFormValue("token"), PurposeCheckAnswer, func(l store.Link) error {
		return s.showAnswer(w, r, http.StatusOK, l, nil, nil)
	})
}

// withLink uses the single-use link token and goes on with it; a used, expired or unknown link, or one for
// another purpose, is the link-gone page.
func (s *Server) withLink(w http.ResponseWriter, r *http.Request, token, purpose string, then func(store.Link) error) error {
	l, err := s.Store.ConsumeLink(r.Context(), token)
	if err != nil || l.Purpose != purpose {
		return s.linkGone(w, r, err)
	}
	return then(l)
}

func (s *Server) linkGone(w http.ResponseWriter, r *http.Request, err error) error {
	e := errPage{Heading: "This link has expired or is not valid",
		Message: "Links in MASH emails work once and expire. Nothing has been changed. Please contact the MASH for a new link."}
	if err != nil && domain.ErrorCode(err) == domain.CodeConflict {
		e.Heading = "This link has already been used"
	} else if err != nil && domain.ErrorCode(err) != domain.CodeNotFound {
		return err
	}
	return s.render(w, r, http.StatusGone, "error", view{Title: e.Heading, Data: e})
}

func (s *Server) showAnswer(w http.ResponseWriter, r *http.Request, status int, l store.Link, form url.Values, errs []domain.FieldError) error {
	ctx := r.Context()
	c, err := s.Store.GetContact(ctx, l.ContactID)
	if err != nil {
		return err
	}
	chk, err := s.Store.GetCheck(ctx, l.ContactID, l.Subject)
	if err != nil {
		return err
	}
	chk.TaskToken, chk.AnswerLink = "", ""
	v := answerView{Check: chk, C: c, Name: childName(c.Child), Due: s.when(chk.DueAt), Answered: chk.Answer != nil,
		Summary: s.Policy.ConcernsSummary(c)}
	if !c.Child.DateOfBirth.IsZero() {
		v.DOB = ukDate(c.Child.DateOfBirth)
	}
	if !v.Answered {
		if v.Token, err = s.formToken(ctx, l, purposeAnswerForm, answerFormTTL); err != nil {
			return err
		}
	}
	if _, err := s.Store.AppendAudit(ctx, store.AuditEvent{ContactID: c.ID, Actor: "partner:" + string(chk.Agency) + " (answer link)",
		Action: "contact.read", SharedWith: []string{string(chk.Agency)}, Detail: map[string]string{"what": "console answer page", "check": chk.ID}}); err != nil {
		return err
	}
	return s.renderForm(w, r, status, "answer", "Answer a MASH check", v, form, errs)
}

// formToken stores a new single-use link for a form reached by the link l (the same contact and subject), of
// the purpose and valid for ttl, and gives its token (the form's hidden field).
func (s *Server) formToken(ctx context.Context, l store.Link, purpose string, ttl time.Duration) (string, error) {
	tok := randomToken()
	return tok, s.Store.PutLink(ctx, store.Link{Token: tok, Purpose: purpose, ContactID: l.ContactID, Subject: l.Subject,
		ExpiresAt: s.Now().Add(ttl)})
}

func (s *Server) answerPost(w http.ResponseWriter, r *http.Request) error {
	l, err := s.Store.ConsumeLink(r.Context(), r.PostFormValue("token"))
	if err != nil || l.Purpose != purposeAnswerForm {
		return s.linkGone(w, r, err)
	}
	chk, err := s.Store.GetCheck(r.Context(), l.ContactID, l.Subject)
	if err != nil {
		return err
	}
	a := actions.Answer{By: string(chk.Agency) + " (answer link)", Summary: strings.TrimSpace(r.PostFormValue("summary")),
		RiskHigher: r.PostFormValue("riskHigher") == "true", NothingKnown: r.PostFormValue("nothingKnown") == "true"}
	if _, err := s.Actions.AnswerCheck(r.Context(), l.ContactID, l.Subject, a); err != nil {
		// In the page's words: the API's message names its field (nothingKnown), the page has a box to tick.
		err = editFields(err, func(f *domain.FieldError) {
			f.Message = strings.ReplaceAll(f.Message, "tick that it holds no information (nothingKnown)", `tick "My agency holds no information"`)
		})
		if f, ok := invalidFields(err); ok {
			return s.showAnswer(w, r, http.StatusBadRequest, l, r.PostForm, f)
		}
		return err
	}
	if note := strings.TrimSpace(r.PostFormValue("restricted")); note != "" {
		if _, err := s.Store.PutRestricted(r.Context(), l.ContactID, store.RestrictedRecord{Source: string(chk.Agency),
			Classification: "partner-note", Text: note, RecordedBy: a.By, RecordedAt: s.Now()}); err != nil {
			return err
		}
	}
	done := answerView{Check: chk, Done: true}
	if c, err := s.Store.GetContact(r.Context(), l.ContactID); err == nil {
		done.Reference = c.Reference // the reference alone: nothing personal is shown, so no read to audit
	}
	return s.render(w, r, http.StatusOK, "answered", view{Title: "Answer recorded", Data: done})
}

// ---- static assets ----

//go:embed static
var staticFS embed.FS

func (s *Server) asset(w http.ResponseWriter, r *http.Request) error {
	name := path.Clean("static/" + r.PathValue("file"))
	b, err := fs.ReadFile(staticFS, name)
	if err != nil || !strings.HasPrefix(name, "static/") {
		return domain.Errorf(domain.CodeNotFound, "there is no such file")
	}
	switch path.Ext(name) {
	case ".css":
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
	case ".svg":
		w.Header().Set("Content-Type", "image/svg+xml")
	case ".ico":
		w.Header().Set("Content-Type", "image/x-icon")
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(b)
	return nil
}

// apiContract serves the API's contract (api/openapi.yaml), which the footer of every staff page links: the same
// document the API tests validate every exchange against. It describes routes and shapes, no personal data.
func (s *Server) apiContract(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	_, _ = w.Write(apispec.OpenAPI)
	return nil
}
