package console_test

import (
	"bytes"
	"context"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/safeguarding/mash/shared/console"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

type upload struct {
	name string
	data []byte
}

// postMultipart sends the referral form as a browser does with files: multipart/form-data.
func (b *browser) postMultipart(path string, form url.Values, files ...upload) (int, string) {
	b.r.t.Helper()
	if b.csrf == "" {
		b.get("/refer")
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if form.Get("csrf") == "" {
		form.Set("csrf", b.csrf)
	}
	for k, vs := range form {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		w, _ := mw.CreateFormFile("attachments", f.name)
		_, _ = w.Write(f.data)
	}
	_ = mw.Close()
	resp, err := b.c.Post(b.r.srv.URL+path, mw.FormDataContentType(), &buf)
	if err != nil {
		b.r.t.Fatal(err)
	}
	return b.read(resp)
}

// referForm is a complete referral of two children (a household).
func referForm(key string) url.Values {
	return url.Values{"formKey": {key}, "immediateHarm": {"no"},
		"children[0].givenName": {"Zebedee"}, "children[0].familyName": {"Canarybird"}, "children[0].dateOfBirth": {"02/04/2017"},
		"children[1].givenName": {"Yara"}, "children[1].familyName": {"Canarybird"}, "children[1].dateOfBirth": {"11/09/2019"},
		"referrer.name": {"Gita GP"}, "referrer.organisation": {"Example Surgery"}, "referrer.email": {"gita@surgery.example"},
		"concerns": {"Bruising seen at an appointment; the letter is attached."}, "consent.status": {"given"}}
}

var pdf = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

func contactsNow(t *testing.T, r *rig) []*domain.Contact {
	t.Helper()
	var all []*domain.Contact
	for _, s := range domain.Statuses {
		cs, err := r.suite.Store.ListContacts(context.Background(), authority, s)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, cs...)
	}
	return all
}

// /refer takes attachments (multipart): a file of a kind it does not take, or whose bytes are not what its
// name says, re-shows the form with the error by the attachments field and the input kept, and makes no
// contact; too many files likewise; a form over MaxReferBody is a clear 413 and makes nothing. Accepted files
// are kept as an email's (a blob each, "attachments.kept" on every child's contact) and staff download them
// from the contact page.
func TestRefer_AttachmentsKeptWithTheContacts(t *testing.T) {
	r := newRig(t)
	b := r.browser()
	_, body := b.get("/refer")
	if !strings.Contains(body, `enctype="multipart/form-data"`) || !strings.Contains(body, `type="file"`) {
		t.Fatal("the referral form takes no files")
	}
	key := regexpValue(body, "formKey")

	exe := append([]byte("MZ\x90\x00\x03"), bytes.Repeat([]byte{0}, 100)...)
	st, body := b.postMultipart("/refer", referForm(key), upload{"letter.pdf", exe})
	if st != http.StatusBadRequest || !strings.Contains(body, `id="attachments-error"`) || !strings.Contains(body, "letter.pdf is not a file the form takes") ||
		!strings.Contains(body, `value="Zebedee"`) {
		t.Fatalf("a program named .pdf: %d %s", st, regexpText(body, "govuk-error-message"))
	}
	st, body = b.postMultipart("/refer", referForm(key), upload{"a.pdf", pdf}, upload{"b.pdf", pdf}, upload{"c.pdf", pdf}, upload{"d.pdf", pdf})
	if st != http.StatusBadRequest || !strings.Contains(body, "at most 3 files") {
		t.Fatalf("four files: %d", st)
	}
	big := append(slices.Clone(pdf), bytes.Repeat([]byte("x"), console.MaxReferBody)...)
	st, body = b.postMultipart("/refer", referForm(key), upload{"huge.pdf", big})
	if st != http.StatusRequestEntityTooLarge || !strings.Contains(body, "larger than 4 MiB") {
		t.Fatalf("a form over the limit: %d %s", st, regexpText(body, "govuk-body"))
	}
	if n := len(contactsNow(t, r)); n != 0 {
		t.Fatalf("%d contacts made by refused forms", n)
	}

	st, body = b.postMultipart("/refer", referForm(key), upload{"GP letter.pdf", pdf}, upload{"notes.txt", []byte("Seen on 3 March.\n")})
	if st != http.StatusOK || !strings.Contains(body, "Referral received") || !strings.Contains(body, "GP letter.pdf") {
		t.Fatalf("referral with files: %d %s", st, regexpText(body, "govuk-body"))
	}
	cs := contactsNow(t, r)
	if len(cs) != 2 {
		t.Fatalf("%d contacts, want one per child", len(cs))
	}
	w := r.browser()
	w.signIn("Wes Worker")
	for _, c := range cs {
		evs, _ := r.suite.Store.ListAudit(context.Background(), c.ID)
		i := slices.IndexFunc(evs, func(e store.AuditEvent) bool { return e.Action == "attachments.kept" })
		if i < 0 || evs[i].Detail["name 00"] != "GP letter.pdf" || evs[i].Detail["type 00"] != "application/pdf" ||
			evs[i].Detail["name 01"] != "notes.txt" {
			t.Fatalf("%s: attachments not kept with the contact: %+v", c.Child.GivenName, evs)
		}
		resp, err := w.c.Get(r.srv.URL + "/contacts/" + string(c.ID) + "/attachments/00")
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !bytes.Equal(got, pdf) {
			t.Fatalf("%s: download %d, %d bytes", c.Child.GivenName, resp.StatusCode, len(got))
		}
	}
	// The same page again: no second contact, no second copy.
	if st, _ := b.postMultipart("/refer", referForm(key), upload{"GP letter.pdf", pdf}, upload{"notes.txt", []byte("Seen on 3 March.\n")}); st != http.StatusOK {
		t.Fatalf("resubmit: %d", st)
	}
	if n := len(contactsNow(t, r)); n != 2 {
		t.Fatalf("%d contacts after a resubmit, want 2", n)
	}
}

// A professional signed in when referring follows their own referrals' status on "My referrals", and sees
// nothing of anyone else's; each row shown is an audited read. Staff roles have no such page.
func TestMyReferrals_OnlyTheirOwn(t *testing.T) {
	r := newRig(t)
	other := r.refer("Otto", "Elsewhere") // made through intake by someone else
	rae := r.browser()
	rae.signIn("Rae Referrer")
	_, body := rae.get("/refer")
	if !strings.Contains(body, `href="/referrals"`) {
		t.Fatal("no My referrals link for a signed-in referrer")
	}
	form := referForm(regexpValue(body, "formKey"))
	if st, body := rae.postMultipart("/refer", form); st != http.StatusOK || !strings.Contains(body, `href="/referrals"`) {
		t.Fatalf("referral: %d", st)
	}
	st, body := rae.get("/referrals")
	if st != http.StatusOK || strings.Count(body, "Canarybird") != 2 || strings.Contains(body, "Elsewhere") || strings.Contains(body, string(other.Reference)) {
		t.Fatalf("my referrals: %d %s", st, regexpText(body, "govuk-body"))
	}
	var mine []*domain.Contact
	for _, c := range contactsNow(t, r) {
		if c.SubmittedBy == "Rae Referrer" {
			mine = append(mine, c)
		}
	}
	if len(mine) != 2 {
		t.Fatalf("%d contacts submitted by Rae, want 2", len(mine))
	}
	for _, c := range mine {
		if !strings.Contains(body, string(c.Reference)) {
			t.Errorf("%s is not listed", c.Reference)
		}
		evs, _ := r.suite.Store.ListAudit(context.Background(), c.ID)
		if !slices.ContainsFunc(evs, func(e store.AuditEvent) bool {
			return e.Action == "contact.read" && e.Actor == "Rae Referrer" && e.Detail["what"] == "console my referrals"
		}) {
			t.Errorf("%s: the read is not audited", c.Reference)
		}
	}
	// Another professional sees none of them; the public form without sign-in records no account.
	pat := r.browser()
	pat.signIn("Pat Police")
	if _, body := pat.get("/referrals"); strings.Contains(body, "Canarybird") || !strings.Contains(body, "You have sent no referral") {
		t.Fatal("another professional sees Rae's referrals")
	}
	anon := r.browser()
	_, body = anon.get("/refer")
	f := referForm(regexpValue(body, "formKey"))
	f.Set("children[0].givenName", "Ann")
	f.Del("children[1].givenName")
	f.Del("children[1].familyName")
	f.Del("children[1].dateOfBirth")
	if st, _ := anon.postMultipart("/refer", f); st != http.StatusOK {
		t.Fatalf("anonymous referral: %d", st)
	}
	for _, c := range contactsNow(t, r) {
		if c.Child.GivenName == "Ann" && c.SubmittedBy != "" {
			t.Fatalf("an anonymous referral records an account: %q", c.SubmittedBy)
		}
	}
}

// The journey of a signed-in professional, in a real browser: the referral form with a document attached (a
// file of a kind the form does not take first: the error by the field, the input kept), the confirmation
// with the reference and the file, then "My referrals" showing that referral's status. Every page is scanned
// by axe-core and photographed.
func TestBrowser_ProfessionalRefersWithAFileAndFollowsIt(t *testing.T) {
	r := newRig(t)
	dir := t.TempDir()
	letter, bad := filepath.Join(dir, "GP letter.pdf"), filepath.Join(dir, "setup.pdf")
	if err := os.WriteFile(letter, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, append([]byte("MZ\x90\x00"), bytes.Repeat([]byte{1}, 64)...), 0o600); err != nil {
		t.Fatal(err)
	}
	gp := person(t)
	signIn(t, gp, r, 5) // Rae Referrer: sent to the referral form
	step(t, gp, "the referral form", chromedp.WaitVisible(chromedp.CSS("#refer-submit")))
	step(t, gp, "fill it in with a file the form does not take",
		chromedp.Click(chromedp.CSS("#immediateHarm-no")),
		chromedp.SendKeys(chromedp.CSS("#children-0-givenName"), "Zebedee"),
		chromedp.SendKeys(chromedp.CSS("#children-0-familyName"), "Canarybird"),
		chromedp.SendKeys(chromedp.CSS("#children-0-dateOfBirth"), "02/04/2017"),
		chromedp.SendKeys(chromedp.CSS("#referrer-name"), "Rae Referrer"),
		chromedp.SendKeys(chromedp.CSS("#referrer-email"), "rae@surgery.example"),
		chromedp.SendKeys(chromedp.CSS("#concerns"), "Bruising seen at an appointment; the letter is attached."),
		chromedp.SetValue(chromedp.CSS("#consent-status"), "given"),
		chromedp.SetUploadFiles(chromedp.CSS("#attachments"), []string{bad}),
		chromedp.Click(chromedp.CSS("#refer-submit")), chromedp.WaitVisible(chromedp.CSS("#attachments-error")))
	if got, err := chromedp.Run(gp, chromedp.Evaluate[string](`document.querySelector('#children-0-givenName').value`)); err != nil || got != "Zebedee" {
		t.Fatalf("the input is not kept after the error: %q %v", got, err)
	}
	check(t, gp, "refer-attachment-error")
	step(t, gp, "send it with the letter", chromedp.SetUploadFiles(chromedp.CSS("#attachments"), []string{letter}),
		chromedp.Click(chromedp.CSS("#refer-submit")), chromedp.WaitVisible(chromedp.CSS(".govuk-panel--confirmation")))
	ref := strings.TrimSpace(text(t, gp, ".console-reference"))
	if got := text(t, gp, "main"); !strings.Contains(got, "GP letter.pdf") {
		t.Fatalf("the confirmation does not name the file: %q", got)
	}
	check(t, gp, "referred-with-file")
	c, err := r.suite.Store.ContactByReference(context.Background(), authority, domain.Reference(ref))
	if err != nil || c.SubmittedBy != "Rae Referrer" {
		t.Fatalf("the contact %s: %+v %v", ref, c, err)
	}
	step(t, gp, "my referrals", chromedp.Click(chromedp.CSS(`main a[href="/referrals"]`)), chromedp.WaitVisible(chromedp.CSS("#my-referrals")))
	if got := text(t, gp, "#my-referrals"); !strings.Contains(got, ref) || !strings.Contains(got, "Zebedee Canarybird") {
		t.Fatalf("my referrals: %q", got)
	}
	check(t, gp, "my-referrals")
}

// A DSL who sends the referral form with several things wrong is told all of them at once, in words (the form
// named a bad date and the immediate-harm question first, then, sent again, the missing name, concerns and
// referrer; each by its path, "children[0] familyName").
func TestRefer_EveryErrorAtOnce_InWords(t *testing.T) {
	r := newRig(t)
	b := r.browser()
	_, page := b.get("/refer")
	st, body := b.post("/refer", url.Values{"formKey": {regexpValue(page, "formKey")}, "children[0].givenName": {"Amy"},
		"children[0].dateOfBirth": {"31/02/2015"}, "referrer.email": {"not an address"}, "consent.status": {"given"}})
	if st != http.StatusBadRequest {
		t.Fatalf("status %d", st)
	}
	list := regexp.MustCompile(`(?s)govuk-error-summary__list">(.*?)</ul>`).FindStringSubmatch(body)
	if list == nil {
		t.Fatalf("no error summary:\n%s", body)
	}
	summary := html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(list[1], "\n"))
	for _, want := range []string{"Child 1 date of birth: is not a date", "Immediate harm: say whether", "Child 1 family name: is required",
		"Concerns: is required", "Referrer email: must be one email address", "Referrer name: is required"} {
		if !strings.Contains(summary, want) {
			t.Errorf("the error summary lacks %q:\n%s", want, summary)
		}
	}
	if strings.Count(summary, "date of birth") != 1 {
		t.Errorf("the date of birth is named more than once:\n%s", summary)
	}
	if strings.Contains(summary, "children[0]") {
		t.Errorf("the error summary names a field by its path:\n%s", summary)
	}
	// The summary lists them as the form asks (GOV.UK's pattern): the immediate-harm question, the child's
	// name then date of birth, the referrer's name then email, the concerns; never as the validator found them.
	order := []string{"Immediate harm:", "Child 1 family name:", "Child 1 date of birth:", "Referrer name:", "Referrer email:", "Concerns:"}
	for i := 1; i < len(order); i++ {
		if strings.Index(summary, order[i-1]) > strings.Index(summary, order[i]) {
			t.Errorf("%q comes before %q in the error summary, not as the form asks:\n%s", order[i], order[i-1], summary)
		}
	}
	// Consent: the select offers the answers in words, and a missing answer is named in them too.
	if strings.Contains(page, ">not-sought<") || !strings.Contains(page, `<option value="not-sought">Not sought</option>`) {
		t.Errorf("the consent select does not offer its answers in words")
	}
	_, body = b.post("/refer", url.Values{"formKey": {regexpValue(page, "formKey")}, "children[0].givenName": {"Amy"}})
	if !strings.Contains(body, "choose whether the parents or carers know and agree: given, refused, not sought or not known") ||
		strings.Contains(body, "not-sought or") {
		t.Errorf("a missing consent answer is not named in the form's words:\n%s", regexpText(body, "govuk-error-message"))
	}
}

// A professional who follows their referrals (a school's DSL, the police, a partner) signs in and lands on "My
// referrals": the sign-in took them to My work, "You cannot open this page", and its "Go to the start" link
// went back there.
func TestSignIn_AReferrerLandsOnMyReferrals(t *testing.T) {
	r := newRig(t)
	for _, user := range []string{"Rae Referrer", "Pat Police"} {
		b := r.browser()
		b.signIn(user)
		st, body := b.get("/")
		if st != http.StatusOK || !strings.Contains(body, "My referrals") || strings.Contains(body, "You cannot open this page") {
			t.Errorf("%s at /: %d %s", user, st, regexpText(body, "govuk-heading-l"))
		}
	}
}
