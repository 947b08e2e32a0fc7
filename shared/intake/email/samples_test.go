package email

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/safeguarding/mash/shared/domain"
)

const samplesDir = "../../../events/email"

// colleagueOpts is how the intake handler calls Parse: the council's own domain comes from policy data.
var colleagueOpts = Options{ColleagueDomains: []string{"portsmouthcc.gov.uk"}}

func readSample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(samplesDir, name))
	if err != nil {
		t.Fatalf("read sample: %v", err)
	}
	return b
}

func sampleNames(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(samplesDir, "*.eml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples in %s: %v", samplesDir, err)
	}
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
	}
	sort.Strings(names)
	return names
}

type sampleWant struct {
	status        string // "ok" or a quarantine reason
	children      int
	needsComplete bool
	firstChild    string // "Given Family" of the first child
	referrer      string // referrer email
	professional  bool
	consent       domain.ConsentStatus
	flags         domain.Flags // NeedsCompletion excluded (checked via needsComplete)
	attachments   int
	forwarded     bool
}

// Every file in events/email must be listed here: a new sample without an expectation fails the test.
var sampleTable = map[string]sampleWant{
	"school-dsl-referral.eml": {status: "ok", children: 1, firstChild: "Maisie Thornton",
		referrer: "h.okafor@oakfield-primary.portsmouth.sch.uk", professional: true, consent: domain.ConsentGiven},
	"school-dsl-referral-redelivery.eml": {status: "ok", children: 1, firstChild: "Maisie Thornton",
		referrer: "h.okafor@oakfield-primary.portsmouth.sch.uk", professional: true, consent: domain.ConsentGiven},
	"school-dsl-referral-resend.eml": {status: "ok", children: 1, firstChild: "Maisie Thornton",
		referrer: "h.okafor@oakfield-primary.portsmouth.sch.uk", professional: true, consent: domain.ConsentGiven},
	"gp-letter-pdf.eml": {status: "ok", children: 1, firstChild: "Noah Whitlock", referrer: "sanjay.patel4@nhs.net",
		professional: true, consent: domain.ConsentUnknown, attachments: 1},
	"housing-html-only.eml": {status: "ok", children: 1, firstChild: "Tyler Osei",
		referrer: "marcus.bell@portsmouthcc.gov.uk", professional: true, consent: domain.ConsentGiven},
	"forwarded-chain.eml": {status: "ok", children: 1, firstChild: "Leo Fairbanks", referrer: "grace.mensah@nhs.net",
		professional: true, consent: domain.ConsentNotSought, forwarded: true},
	"iso-8859-1.eml": {status: "ok", children: 1, firstChild: "Chloé Martin", referrer: "s.lefevre@stamshaw-cc.org.uk",
		professional: true, consent: domain.ConsentGiven},
	"spam-flagged.eml":  {status: string(ReasonSpam)},
	"virus-flagged.eml": {status: string(ReasonVirus)},
	"garbled-mime.eml":  {status: string(ReasonUnparseable)},
	"canary-referral.eml": {status: "ok", children: 1, firstChild: "Zebedee Canarybird",
		referrer: "nina.walsh@harbourside.portsmouth.sch.uk", professional: true, consent: domain.ConsentNotSought},
	"household-three-children.eml": {status: "ok", children: 3, firstChild: "Kayden Hollis",
		referrer: "t.ashworth@milton-park.portsmouth.sch.uk", professional: true, consent: domain.ConsentRefused},
	"lado-teacher-allegation.eml": {status: "ok", children: 1, firstChild: "Jayden Price",
		referrer: "head@northbrook-academy.example.org.uk", professional: true, consent: domain.ConsentGiven,
		flags: domain.Flags{AllegationAgainstProfessional: true}},
	"prevent-concern.eml": {status: "ok", children: 1, firstChild: "Callum Reeve", referrer: "o.grant@highbury-college.ac.uk",
		professional: true, consent: domain.ConsentNotSought, flags: domain.Flags{Radicalisation: true}, attachments: 1},
	"public-free-text.eml": {status: "ok", children: 1, needsComplete: true, referrer: "dave.k1982@gmail.com",
		consent: domain.ConsentUnknown},
}

func TestSamples_EveryFileHasAnExpectation(t *testing.T) {
	names := sampleNames(t)
	if len(names) < 12 {
		t.Errorf("want at least 12 samples, have %d", len(names))
	}
	for _, n := range names {
		if _, ok := sampleTable[n]; !ok {
			t.Errorf("%s has no row in sampleTable", n)
		}
	}
	for n := range sampleTable {
		if _, err := os.Stat(filepath.Join(samplesDir, n)); err != nil {
			t.Errorf("sampleTable names %s, which is not in events/email", n)
		}
	}
}

func TestSamples_ParseAsDocumented(t *testing.T) {
	for _, name := range sampleNames(t) {
		want, ok := sampleTable[name]
		if !ok {
			continue
		}
		t.Run(name, func(t *testing.T) {
			m, err := Parse(readSample(t, name), colleagueOpts)
			status := "ok"
			if err != nil {
				status = string(ReasonOf(err))
				if status == "" {
					t.Fatalf("error is not a QuarantineError: %T", err)
				}
			}
			if status != want.status {
				t.Fatalf("status = %q, want %q (err %v)", status, want.status, err)
			}
			if status != "ok" {
				return
			}
			if len(m.Children) != want.children {
				t.Errorf("children = %d, want %d", len(m.Children), want.children)
			}
			if m.NeedsCompletion != want.needsComplete || m.Flags.NeedsCompletion != want.needsComplete {
				t.Errorf("NeedsCompletion = %v/%v, want %v", m.NeedsCompletion, m.Flags.NeedsCompletion, want.needsComplete)
			}
			if got := strings.TrimSpace(m.Children[0].GivenName + " " + m.Children[0].FamilyName); got != want.firstChild {
				t.Errorf("first child = %q, want %q", got, want.firstChild)
			}
			if m.Referrer.Email != want.referrer {
				t.Errorf("referrer email = %q, want %q", m.Referrer.Email, want.referrer)
			}
			if m.Professional != want.professional || m.Referrer.Professional != want.professional {
				t.Errorf("professional = %v, want %v", m.Professional, want.professional)
			}
			if m.Consent.Status != want.consent {
				t.Errorf("consent = %q, want %q", m.Consent.Status, want.consent)
			}
			flags := m.Flags
			flags.NeedsCompletion = false
			if flags != want.flags {
				t.Errorf("flags = %+v, want %+v", flags, want.flags)
			}
			if len(m.Attachments) != want.attachments {
				t.Errorf("attachments = %d, want %d", len(m.Attachments), want.attachments)
			}
			if m.Forwarded != want.forwarded {
				t.Errorf("forwarded = %v, want %v", m.Forwarded, want.forwarded)
			}
			if strings.TrimSpace(m.Concerns) == "" {
				t.Error("concerns are empty: a contact must carry the referrer's words")
			}
			if m.MessageID == "" || m.SESMessageID == "" {
				t.Errorf("ids missing: MessageID %q SESMessageID %q", m.MessageID, m.SESMessageID)
			}
			for i, c := range m.Children {
				if !c.DateOfBirth.IsZero() && c.DateOfBirth.Time(time.UTC).After(m.Date) {
					t.Errorf("child %d born after the email was sent", i)
				}
			}
		})
	}
}

// Portsmouth seed §7.1: the IACF's fields arrive as labelled lines; every one lands in its place.
func TestPortsmouth_IACF_SchoolDSLFormFields(t *testing.T) {
	received := time.Date(2026, 11, 16, 10, 42, 15, 0, time.UTC)
	m, err := Parse(readSample(t, "school-dsl-referral.eml"), Options{Received: received})
	if err != nil {
		t.Fatal(err)
	}
	wantChild := domain.Child{
		GivenName: "Maisie", FamilyName: "Thornton", DateOfBirth: domain.Date{Y: 2019, M: 2, D: 14},
		Gender: "Female", Address: "27 Elmfield Road, Southsea, PO4 8QT", School: "Oakfield Primary School",
		Ethnicity: "White British", Language: "English", Religion: "None", SEN: true,
	}
	if diff := cmp.Diff([]domain.Child{wantChild}, m.Children); diff != "" {
		t.Errorf("children (-want +got):\n%s", diff)
	}
	wantParents := []domain.Parent{
		{Name: "Laura Thornton", Relationship: "mother", ParentalResponsibility: true},
		{Name: "Dean Thornton", Relationship: "father, lives in Gosport", ParentalResponsibility: true},
	}
	if diff := cmp.Diff(wantParents, m.Parents); diff != "" {
		t.Errorf("parents (-want +got):\n%s", diff)
	}
	wantHousehold := []domain.HouseholdMember{
		{Name: "Laura Thornton", Relationship: "mother", DateOfBirth: domain.Date{Y: 1990, M: 6, D: 3}},
		{Name: "Ryan Pike", Relationship: "mother's partner", DateOfBirth: domain.Date{Y: 1987, M: 11, D: 22}},
	}
	if diff := cmp.Diff(wantHousehold, m.Household); diff != "" {
		t.Errorf("household (-want +got):\n%s", diff)
	}
	wantReferrer := domain.Referrer{
		Name: "Helen Okafor", Organisation: "Oakfield Primary School", Role: "Designated Safeguarding Lead",
		Email: "h.okafor@oakfield-primary.portsmouth.sch.uk", Phone: "023 9200 1234",
		Relationship: "DSL at the child's school", Professional: true,
	}
	if diff := cmp.Diff(wantReferrer, m.Referrer); diff != "" {
		t.Errorf("referrer (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(domain.Consent{Status: domain.ConsentGiven}, m.Consent); diff != "" {
		t.Errorf("consent (-want +got):\n%s", diff)
	}
	if m.ImmediateHarm {
		t.Error("immediate harm answered No, got true")
	}
	if !strings.HasPrefix(m.Concerns, "On Friday 13 November Maisie came into class") ||
		!strings.HasSuffix(m.Concerns, "No domestic abuse has been\ndisclosed to school.") {
		t.Errorf("concerns not the Concerns section: %q", m.Concerns)
	}
	if m.Flags != (domain.Flags{}) {
		t.Errorf("flags = %+v; \"No domestic abuse has been disclosed\" must not set DomesticAbuse", m.Flags)
	}
	if m.MessageID != "20261116104213.4F2A1C@oakfield-primary.portsmouth.sch.uk" {
		t.Errorf("MessageID = %q", m.MessageID)
	}
	if m.SESMessageID == "" || !m.Received.Equal(received) {
		t.Errorf("SESMessageID %q, Received %v", m.SESMessageID, m.Received)
	}
	if want := time.Date(2026, 11, 16, 10, 42, 13, 0, time.UTC); !m.Date.Equal(want) {
		t.Errorf("Date = %v, want %v", m.Date, want)
	}
}

// A redelivery is the same message: the same idempotency key, so the caller answers "duplicate".
func TestRedelivery_SameIdempotencyKey(t *testing.T) {
	a, err := Parse(readSample(t, "school-dsl-referral.eml"), Options{SESMessageID: "first"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse(readSample(t, "school-dsl-referral-redelivery.eml"), Options{SESMessageID: "second"})
	if err != nil {
		t.Fatal(err)
	}
	if a.IdempotencyKey() != b.IdempotencyKey() || a.RawSHA256 != b.RawSHA256 {
		t.Errorf("redelivery keys differ: %q vs %q", a.IdempotencyKey(), b.IdempotencyKey())
	}
	if b.SESMessageID != "second" {
		t.Errorf("the caller's SES id wins over the header: %q", b.SESMessageID)
	}
}

// A re-send is a new message about the same child: a new key, the same identity key (screening links it).
func TestResend_NewKeySameChild(t *testing.T) {
	a, err := Parse(readSample(t, "school-dsl-referral.eml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse(readSample(t, "school-dsl-referral-resend.eml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.IdempotencyKey() == b.IdempotencyKey() {
		t.Error("re-send has the same idempotency key as the original")
	}
	if a.Children[0].IdentityKey() == "" || a.Children[0].IdentityKey() != b.Children[0].IdentityKey() {
		t.Errorf("identity keys %q vs %q", a.Children[0].IdentityKey(), b.Children[0].IdentityKey())
	}
	if a.Referrer.Email != b.Referrer.Email {
		t.Error("same sender expected")
	}
	if d := b.Date.Sub(a.Date); d < 20*time.Hour || d > 28*time.Hour {
		t.Errorf("re-send should be about a day later, is %v", d)
	}
}

func TestHousehold_ThreeChildrenShareTheAddress(t *testing.T) {
	m, err := Parse(readSample(t, "household-three-children.eml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range m.Children {
		got = append(got, c.GivenName+" "+c.DateOfBirth.String()+" "+c.Address)
		if c.FamilyName != "Hollis" {
			t.Errorf("family name %q", c.FamilyName)
		}
	}
	want := []string{
		"Kayden 2015-01-11 5 Locksway Road, Milton, Portsmouth PO4 8JN",
		"Lacey 2017-06-25 5 Locksway Road, Milton, Portsmouth PO4 8JN",
		"Ollie 2020-10-04 5 Locksway Road, Milton, Portsmouth PO4 8JN",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("children (-want +got):\n%s", diff)
	}
	if !m.Children[1].SEN || m.Children[0].SEN || m.Children[2].SEN {
		t.Error("only the second child has SEN")
	}
	if m.Consent.Reason == "" {
		t.Error("refusal reason lost")
	}
}

func TestForward_ReferrerIsTheOriginalSender(t *testing.T) {
	m, err := Parse(readSample(t, "forwarded-chain.eml"), colleagueOpts)
	if err != nil {
		t.Fatal(err)
	}
	if m.ForwardedBy != "priya.chauhan@portsmouthcc.gov.uk" || m.From != m.ForwardedBy {
		t.Errorf("ForwardedBy %q From %q", m.ForwardedBy, m.From)
	}
	want := domain.Referrer{Name: "Grace Mensah", Organisation: "Solent NHS Trust", Role: "Health Visitor",
		Email: "grace.mensah@nhs.net", Phone: "07700 900456", Professional: true}
	if diff := cmp.Diff(want, m.Referrer); diff != "" {
		t.Errorf("referrer (-want +got):\n%s", diff)
	}
	if m.Consent.Reason != "mum could not be reached by phone after the visit" {
		t.Errorf("consent reason %q", m.Consent.Reason)
	}
}

// A forward from outside the council (a parent forwarding a school letter) keeps the outer sender.
func TestForward_FromNonColleagueKeepsOuterSender(t *testing.T) {
	raw := readSample(t, "forwarded-chain.eml")
	raw = []byte(strings.Replace(string(raw), "From: Priya Chauhan <priya.chauhan@portsmouthcc.gov.uk>",
		"From: Priya Chauhan <priya.c@example.com>", 1))
	m, err := Parse(raw, colleagueOpts)
	if err != nil {
		t.Fatal(err)
	}
	if !m.Forwarded || m.ForwardedBy != "" || m.Referrer.Email != "priya.c@example.com" {
		t.Errorf("Forwarded %v ForwardedBy %q referrer %q", m.Forwarded, m.ForwardedBy, m.Referrer.Email)
	}
}

func TestCharsets_Latin1AndWindows1252(t *testing.T) {
	m, err := Parse(readSample(t, "iso-8859-1.eml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Children[0].GivenName != "Chloé" || !strings.Contains(m.Concerns, "£2,400") ||
		m.Subject != "Chloé - rent arrears and food (£)" || m.FromName != "Sophie Lefèvre" {
		t.Errorf("latin-1 not decoded: child %q subject %q from %q", m.Children[0].GivenName, m.Subject, m.FromName)
	}
	m, err = Parse(readSample(t, "lado-teacher-allegation.eml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Concerns, "“you’re lucky I\ndon’t do worse”") {
		t.Errorf("windows-1252 quotes not decoded: %q", m.Concerns)
	}
}

func TestHTMLOnly_TableFormIsRead(t *testing.T) {
	m, err := Parse(readSample(t, "housing-html-only.eml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := m.Children[0]
	if c.DateOfBirth != (domain.Date{Y: 2014, M: 7, D: 30}) || c.School != "Cathedral Academy" ||
		c.Address != "12 Wickham House, Landport, Portsmouth PO1 4DX" {
		t.Errorf("child %+v", c)
	}
	if strings.Contains(m.BodyText, "<") || !strings.Contains(m.Concerns, "black mould") {
		t.Errorf("html not converted: %q", m.Concerns)
	}
	if m.Referrer.Role != "Housing Officer" || m.Referrer.Phone != "023 9283 4455" {
		t.Errorf("referrer %+v", m.Referrer)
	}
}

func TestAttachments_PDFLetterRead_InlineImageKept(t *testing.T) {
	m, err := Parse(readSample(t, "gp-letter-pdf.eml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := m.Attachments[0]
	if a.Filename != "safeguarding-letter.pdf" || a.ContentType != "application/pdf" || a.Inline ||
		!strings.HasPrefix(string(a.Data), "%PDF-1.4") || !strings.HasSuffix(string(a.Data), "%%EOF\n") {
		t.Errorf("pdf attachment %q %q inline=%v %d bytes", a.Filename, a.ContentType, a.Inline, len(a.Data))
	}
	// The letter's text layer names the child (issue #18: text PDFs are read).
	if len(m.UnparsedAttachments) != 0 || m.NeedsCompletion || len(m.Children) != 1 ||
		m.Children[0].GivenName != "Noah" || m.Children[0].FamilyName != "Whitlock" || m.Children[0].DateOfBirth != (domain.Date{Y: 2021, M: 9, D: 9}) {
		t.Errorf("the PDF letter's child: unparsed %v, needsCompletion %v, children %+v", m.UnparsedAttachments, m.NeedsCompletion, m.Children)
	}
	if x := m.Extractions[0]; len(x.Attachments) != 1 || x.Attachments[0].Status != "read" ||
		!hasField(x.Fields, "child.name") || x.Fields[0].Source != "attachment: safeguarding-letter.pdf" {
		t.Errorf("provenance %+v", x)
	}

	m, err = Parse(readSample(t, "prevent-concern.eml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	img := m.Attachments[0]
	if !img.Inline || img.ContentType != "image/png" || img.ContentID != "logo@highbury" ||
		!strings.HasPrefix(string(img.Data), "\x89PNG") {
		t.Errorf("inline image %+v", img)
	}
	if len(m.UnparsedAttachments) != 0 {
		t.Errorf("an inline logo is not an unparsed attachment: %v", m.UnparsedAttachments)
	}
}

// An attached .txt form is read like the body.
func TestAttachments_TextFormIsRead(t *testing.T) {
	raw := "From: a.dsl@example.sch.uk\r\nTo: mash@example.gov.uk\r\nSubject: referral\r\nMessage-ID: <t1@example.sch.uk>\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n" +
		"Please see the attached form.\r\n--b\r\nContent-Type: text/plain; name=\"form.txt\"\r\n" +
		"Content-Disposition: attachment; filename=\"form.txt\"\r\n\r\nFirst name: Rosa\r\nSurname: Ives\r\nDOB: 01/12/2018\r\n" +
		"Is the child at immediate risk of harm? Yes\r\n--b--\r\n"
	m, err := Parse([]byte(raw), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m.NeedsCompletion || m.Children[0].GivenName != "Rosa" || m.Children[0].DateOfBirth != (domain.Date{Y: 2018, M: 12, D: 1}) ||
		!m.ImmediateHarm {
		t.Errorf("attached form not read: %+v harm=%v", m.Children, m.ImmediateHarm)
	}
	if !m.Professional || m.Referrer.Organisation != "School" {
		t.Errorf("*.sch.uk is a school: %+v", m.Referrer)
	}
}

func TestQuarantine_Oversized(t *testing.T) {
	raw := readSample(t, "school-dsl-referral.eml")
	_, err := Parse(raw, Options{MaxBytes: int64(len(raw) - 1)})
	if ReasonOf(err) != ReasonOversized {
		t.Fatalf("err = %v, want oversized", err)
	}
	if _, err := Parse(raw, Options{MaxBytes: int64(len(raw))}); err != nil {
		t.Errorf("exactly at the limit is accepted: %v", err)
	}
	big := make([]byte, DefaultMaxBytes+1)
	if _, err := Parse(big, Options{}); ReasonOf(err) != ReasonOversized {
		t.Errorf("default limit is 40 MB: %v", err)
	}
}

func TestQuarantine_BlockedSenders(t *testing.T) {
	raw := readSample(t, "public-free-text.eml")
	for _, list := range [][]string{{"Dave.K1982@gmail.com"}, {"@gmail.com"}, {"@com"}} {
		m, err := Parse(raw, Options{BlockedSenders: list})
		if ReasonOf(err) != ReasonBlockedSender || m == nil || m.MessageID == "" {
			t.Errorf("%v: err %v", list, err)
		}
	}
	for _, list := range [][]string{{"@mail.gmail.com"}, {"someone@gmail.com"}, {"@il.com"}, {""}} {
		if _, err := Parse(raw, Options{BlockedSenders: list}); err != nil {
			t.Errorf("%v must not block: %v", list, err)
		}
	}
}

func TestQuarantine_SpamAndVirusKeepHeaders(t *testing.T) {
	m, err := Parse(readSample(t, "virus-flagged.eml"), Options{})
	if !errors.Is(err, &QuarantineError{Reason: ReasonVirus}) || m == nil || m.Verdicts.Virus != "FAIL" {
		t.Fatalf("err %v", err)
	}
	if m.Attachments != nil || m.BodyText != "" {
		t.Error("a virus-flagged message's content must not be read")
	}
	m, err = Parse(readSample(t, "spam-flagged.eml"), Options{})
	if !errors.Is(err, &QuarantineError{Reason: ReasonSpam}) || m.Verdicts.Spam != "FAIL" || m.MessageID == "" {
		t.Fatalf("err %v", err)
	}
}

func TestQuarantine_EmptyAndUnparseable(t *testing.T) {
	cases := map[string]Reason{
		"": ReasonEmpty,
		"From: a@example.com\r\nSubject: x\r\n\r\n   \r\n":                  ReasonEmpty,
		"not a header line\r\n\r\nbody":                                     ReasonUnparseable,
		"From: a@example.com\r\nContent-Type: multipart/mixed\r\n\r\nhello": ReasonUnparseable,
	}
	for raw, want := range cases {
		if _, err := Parse([]byte(raw), Options{}); ReasonOf(err) != want {
			t.Errorf("%q: err %v, want %s", raw, err, want)
		}
	}
}

// No personal data in errors (docs/architecture.md "Conventions": the canary child): details are fixed phrases.
func TestQuarantine_DetailCarriesNoPersonalData(t *testing.T) {
	for _, name := range sampleNames(t) {
		raw := readSample(t, name)
		_, err := Parse(raw, Options{BlockedSenders: []string{"@example.org.uk"}, MaxBytes: 100000})
		if err == nil {
			continue
		}
		for _, bad := range []string{"Zebedee", "Canarybird", "Ruby", "@", "Kate", "Subject", "From"} {
			if strings.Contains(err.Error(), bad) {
				t.Errorf("%s: error %q contains %q", name, err.Error(), bad)
			}
		}
	}
}

func TestNormaliseMessageID(t *testing.T) {
	for in, want := range map[string]string{
		"<Abc.123@Example.COM>":   "Abc.123@example.com",
		"  <abc@x.org> (comment)": "abc@x.org",
		"abc@X.org":               "abc@x.org",
		"<\r\n abc@x.org>":        "abc@x.org",
		"":                        "",
	} {
		if got := NormaliseMessageID(in); got != want {
			t.Errorf("NormaliseMessageID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIdempotencyKey_FallsBack(t *testing.T) {
	m := &Message{SESMessageID: "s1", RawSHA256: "ab"}
	if m.IdempotencyKey() != "ses:s1" {
		t.Error(m.IdempotencyKey())
	}
	m.SESMessageID = ""
	if m.IdempotencyKey() != "sha256:ab" {
		t.Error(m.IdempotencyKey())
	}
}

func TestFlags_KeywordsWithNegation(t *testing.T) {
	cases := []struct {
		text string
		want domain.Flags
	}{
		{"Police attended a domestic abuse incident; PPN to follow.", domain.Flags{DomesticAbuse: true, PPN: true}},
		{"There is no domestic abuse known.", domain.Flags{}},
		{"I don't know if it's domestic violence.", domain.Flags{}},
		{"Mum disclosed coercive control by her partner.", domain.Flags{DomesticAbuse: true}},
		{"An allegation has been made against a teacher at the school.", domain.Flags{AllegationAgainstProfessional: true}},
		{"Concern about the foster carer's partner", domain.Flags{}},
		{"We will prevent this happening again.", domain.Flags{}},
		{"I am making a Prevent referral about this student.", domain.Flags{Radicalisation: true}},
		{"He is being radicalised online.", domain.Flags{Radicalisation: true}},
		{"The teacher has been asked not to attend while we contact the LADO.", domain.Flags{AllegationAgainstProfessional: true}},
	}
	for _, c := range cases {
		if got := detectFlags(c.text); got != c.want {
			t.Errorf("%q: %+v, want %+v", c.text, got, c.want)
		}
	}
}

func TestForm_LabelVariants(t *testing.T) {
	text := "Relationship to child: class teacher\nChild 1\nFirst name: Amir\nSurname: Khan\nD.O.B.: 3/4/2016 (age 10)\nSEN: No\n" +
		"Child 2\nName: Sara Khan\nDOB: 12.09.2019\n\nParent/carer name: Farah Khan (mother, has PR)\n" +
		"Is the child at immediate risk of harm? Yes\nConsent: refused\n"
	fm := parseForm(text, time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC))
	if len(fm.children) != 2 || fm.children[0].DateOfBirth != (domain.Date{Y: 2016, M: 4, D: 3}) ||
		fm.children[1].DateOfBirth != (domain.Date{Y: 2019, M: 9, D: 12}) || fm.children[1].GivenName != "Sara" {
		t.Errorf("children %+v", fm.children)
	}
	if len(fm.parents) != 1 || !fm.parents[0].ParentalResponsibility || fm.parents[0].Relationship != "mother" {
		t.Errorf("parents %+v", fm.parents)
	}
	if !fm.immediate || fm.consent.Status != domain.ConsentRefused || fm.referrer.Relationship != "class teacher" {
		t.Errorf("immediate %v consent %v relationship %q", fm.immediate, fm.consent, fm.referrer.Relationship)
	}
}

func TestReferrer_OrganisationFromDomain(t *testing.T) {
	for dom, want := range map[string]string{
		"nhs.net": "NHS", "solent.nhs.uk": "NHS", "oakfield.portsmouth.sch.uk": "School",
		"hampshire.police.uk": "Police", "justice.gov.uk": "Probation", "gmail.com": "", "noths.net": "",
	} {
		got, prof := orgFromDomain(dom)
		if got != want || prof != (want != "") {
			t.Errorf("%s: %q %v, want %q", dom, got, prof, want)
		}
	}
}

func TestReferrer_PublicIsNotProfessional(t *testing.T) {
	m, err := Parse(readSample(t, "public-free-text.eml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Professional || m.Referrer.Organisation != "" || m.Referrer.Name != "Dave K" {
		t.Errorf("%+v", m.Referrer)
	}
	if m.Concerns != m.BodyText || !strings.Contains(m.Concerns, "crying for ages") {
		t.Errorf("free text must be kept whole for screening: %q", m.Concerns)
	}
}

// A form sent with its options still printed ("Yes/No") answered nothing: no immediate harm recorded from it,
// consent unknown (screening asks).
func TestForm_UnfilledOptionsAreNoAnswer(t *testing.T) {
	fm := parseForm("Child's name: Amy Lee\nIs the child at immediate risk of harm? Yes/No\nConsent: given/refused/not sought\n", time.Time{})
	if fm.immediate || fm.consent.Status != domain.ConsentUnknown {
		t.Errorf("immediate %v consent %q", fm.immediate, fm.consent.Status)
	}
	fm = parseForm("Child's name: Amy Lee\nIs the child at immediate risk of harm? YES - mum's partner is at the house now\n", time.Time{})
	if !fm.immediate {
		t.Error("an answered Yes is immediate harm")
	}
}
