package notify_test

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/notify"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the composer's output")

const consoleURL = "https://mash.example.gov.uk"

var london, _ = time.LoadLocation("Europe/London")

// fixtureNow is when the composer runs: Friday 24 Dec 2027 17:05 Europe/London.
var fixtureNow = time.Date(2027, 12, 24, 17, 5, 0, 0, london)

// canary is the fixture child's name and the other personal data that must never leave in a subject, and
// (for this product) never in any body either: the reader logs in to see them.
var canaries = []string{"Zebedee", "Canarybird", "2019-02-14", "14/02/2019", "7 Lark Rise", "E8 1AA",
	"Zelda", "bruises on his arm", "St Wren", "Rita Referrer"}

func fixtureContact() *domain.Contact {
	return &domain.Contact{
		ID:         "c_0123456789abcdef0123",
		Reference:  "HAC-2027-000123",
		Authority:  "hackney",
		Channel:    domain.ChannelEmail,
		ReceivedAt: time.Date(2027, 12, 24, 16, 59, 0, 0, london).UTC(),
		Status:     domain.StatusDecided,
		Child: domain.Child{GivenName: "Zebedee", FamilyName: "Canarybird", DateOfBirth: domain.Date{Y: 2019, M: 2, D: 14},
			Gender: "male", Address: "7 Lark Rise, London E8 1AA", School: "St Wren's Primary School"},
		Parents:  []domain.Parent{{Name: "Zelda Canarybird", Relationship: "mother", ParentalResponsibility: true}},
		Referrer: domain.Referrer{Name: "Rita Referrer", Organisation: "Example Health Centre", Role: "Health visitor", Email: "rita.referrer@nhs.example", Professional: true},
		Concerns: "Zebedee Canarybird has bruises on his arm.",
		Consent:  domain.Consent{Status: domain.ConsentGiven},
		Route:    domain.RouteMASH,
		Rating:   &domain.RatingRecord{Value: domain.RatingRed, Rationale: "Zebedee reported an injury", By: "mgr1", At: time.Date(2027, 12, 24, 17, 1, 0, 0, time.UTC)},
		Deadlines: map[string]time.Time{
			policy.RuleStrategyRed:       time.Date(2027, 12, 24, 18, 1, 0, 0, time.UTC),
			policy.RuleLADO:              time.Date(2027, 12, 29, 16, 59, 0, 0, time.UTC),
			policy.RuleEncompass:         time.Date(2028, 1, 5, 8, 45, 0, 0, time.UTC),
			policy.RuleImmediateHarmForm: time.Date(2027, 12, 25, 16, 59, 0, 0, time.UTC),
		},
		Outcome: &domain.OutcomeRecord{Code: domain.OutcomeS17, AuthorityTerm: "old words", By: "mgr1",
			At: time.Date(2027, 12, 24, 17, 4, 0, 0, time.UTC), Rationale: "Zebedee needs an assessment"},
	}
}

func hackney(t *testing.T) *policy.Policy {
	t.Helper()
	p, err := policy.Load("hackney")
	if err != nil {
		t.Fatalf("policy.Load(hackney): %v", err)
	}
	return p
}

type composeCase struct {
	name  string
	kind  notify.Kind
	extra notify.Extra
	edit  func(*domain.Contact)
	// idOnly: a professional message whose body must carry only ids and a link (docs/architecture.md "IDs in payloads, data in the store").
	idOnly bool
}

var composeCases = []composeCase{
	{name: "acknowledgement", kind: notify.KindAcknowledgement},
	{name: "acknowledgement-ppn", kind: notify.KindAcknowledgement, edit: func(c *domain.Contact) { c.Channel = domain.ChannelPPN; c.Flags.PPN = true }},
	{name: "acknowledgement-no-email", kind: notify.KindAcknowledgement, edit: func(c *domain.Contact) { c.Referrer.Email = "" }},
	{name: "edt-now", kind: notify.KindEDTNow, idOnly: true},
	{name: "escalation-overdue", kind: notify.KindEscalation, idOnly: true,
		extra: notify.Extra{"tray": "decision", "stage": "overdue", "dueAt": "2027-12-24T18:00:00Z"}},
	{name: "escalation-unclaimed-check", kind: notify.KindEscalation, idOnly: true,
		extra: notify.Extra{"tray": "checks", "agency": "police", "stage": "unclaimed"}},
	{name: "check-request", kind: notify.KindCheckRequest, idOnly: true,
		extra: notify.Extra{"agency": "police", "check": "police-1a2b", "dueAt": "2027-12-24T21:01:00Z"}},
	{name: "feedback", kind: notify.KindFeedback},
	{name: "strategy", kind: notify.KindStrategy, idOnly: true},
	{name: "lado", kind: notify.KindLADO, idOnly: true},
	{name: "channel", kind: notify.KindChannel, idOnly: true},
	{name: "encompass-school", kind: notify.KindEncompass, idOnly: true,
		extra: notify.Extra{"schoolEmail": "dsl@stwrens.hackney.sch.uk", "incidentAt": "2027-12-23T22:30:00Z",
			"link": "https://mash.example.gov.uk/encompass/single-use-token"}, // the DSL's acknowledgement link
		edit: func(c *domain.Contact) { c.Channel = domain.ChannelPPN; c.Flags.PPN = true }},
	{name: "encompass-lead", kind: notify.KindEncompass, idOnly: true,
		edit: func(c *domain.Contact) { c.Channel = domain.ChannelPPN; c.Flags.PPN = true; c.Child.School = "" }},
	{name: "forwarded-worker", kind: notify.KindForwarded, idOnly: true,
		extra: notify.Extra{"to": "sw.allocated@hackney.gov.uk", "matchedContact": "c_99999999999999999999"},
		edit:  func(c *domain.Contact) { c.Outcome.Code = domain.OutcomeForwardAllocated }},
	{name: "forwarded-unit", kind: notify.KindForwarded, idOnly: true,
		extra: notify.Extra{"to": "Assessment Team 3"},
		edit:  func(c *domain.Contact) { c.Outcome.Code = domain.OutcomeThreeMonthRule }},
	{name: "consent-request", kind: notify.KindConsentRequest,
		edit: func(c *domain.Contact) {
			c.Status = domain.StatusReturnedForConsent
			c.Consent.Status = domain.ConsentNotSought
		}},
	{name: "written-form-chase", kind: notify.KindWrittenFormChase,
		edit: func(c *domain.Contact) {
			c.Channel = domain.ChannelPhone
			c.ImmediateHarm = true
			c.Flags.AwaitingWrittenForm = true
		}},
	{name: "risk-raised", kind: notify.KindRiskRaised, idOnly: true, extra: notify.Extra{"agency": "health", "check": "health-9f"}},
	{name: "risk-raised-immediate-harm", kind: notify.KindRiskRaised, idOnly: true, extra: notify.Extra{"stage": "immediate", "dueAt": "2027-12-25T16:59:00Z"},
		edit: func(c *domain.Contact) {
			c.Status, c.Rating, c.Outcome, c.ImmediateHarm = domain.StatusAwaitingRating, nil, nil, true
		}},
	{name: "risk-raised-s47", kind: notify.KindRiskRaised, idOnly: true, extra: notify.Extra{"stage": "immediate", "dueAt": "2027-12-24T18:01:00Z"},
		edit: func(c *domain.Contact) { c.Status, c.Outcome, c.S47 = domain.StatusChecks, nil, true }},
}

func compose(t *testing.T, p *policy.Policy, tc composeCase) store.Notification {
	t.Helper()
	c := fixtureContact()
	if tc.edit != nil {
		tc.edit(c)
	}
	cm := notify.Composer{ConsoleURL: consoleURL, Now: func() time.Time { return fixtureNow }}
	n, err := cm.Compose(tc.kind, p, c, tc.extra)
	if err != nil {
		t.Fatalf("Compose(%s): %v", tc.kind, err)
	}
	return n
}

func goldenText(n store.Notification) string {
	var b strings.Builder
	b.WriteString("ID: " + n.ID + "\n")
	b.WriteString("Kind: " + n.Kind + "\n")
	b.WriteString("To: " + strings.Join(n.To, ", ") + "\n")
	b.WriteString("Subject: " + n.Subject + "\n")
	b.WriteString("CreatedAt: " + n.CreatedAt.Format(time.RFC3339) + "\n")
	b.WriteString("\n--- text ---\n" + n.Text)
	b.WriteString("\n--- html ---\n" + n.HTML)
	return b.String()
}

// TestCompose_Golden pins every kind's message (go test ./shared/notify -run Golden -update rewrites them).
func TestCompose_Golden(t *testing.T) {
	p := hackney(t)
	for _, tc := range composeCases {
		t.Run(tc.name, func(t *testing.T) {
			got := goldenText(compose(t, p, tc))
			file := filepath.Join("testdata", tc.name+".golden")
			if *update {
				if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s differs from the golden file (-want +got):\n%s", file, diff)
			}
		})
	}
}

// TestCompose_CanaryNeverInSubjectsOrIDLinkBodies: no subject names the child, family, DOB, address or
// referrer (docs/architecture.md "Conventions"); the ID/link kinds carry none of it in their bodies either; and this
// product keeps it out of every other body too.
func TestCompose_CanaryNeverInSubjectsOrIDLinkBodies(t *testing.T) {
	p := hackney(t)
	for _, tc := range composeCases {
		n := compose(t, p, tc)
		for _, canary := range canaries {
			if strings.Contains(strings.ToLower(n.Subject), strings.ToLower(canary)) {
				t.Errorf("%s: subject %q carries %q", tc.name, n.Subject, canary)
			}
			if strings.Contains(n.ID, canary) {
				t.Errorf("%s: id %q carries %q", tc.name, n.ID, canary)
			}
			for part, body := range map[string]string{"text": n.Text, "html": n.HTML} {
				if strings.Contains(strings.ToLower(body), strings.ToLower(canary)) {
					t.Errorf("%s: %s body carries %q (idOnly=%v)", tc.name, part, canary, tc.idOnly)
				}
			}
		}
		if tc.idOnly {
			link := consoleURL + "/contacts/c_0123456789abcdef0123"
			if own := tc.extra["link"]; own != "" {
				link = own // a single-use link of its own (the Encompass DSL's acknowledgement link)
			}
			if !strings.Contains(n.Text, link) || !strings.Contains(n.HTML, link) {
				t.Errorf("%s: an ID/link message must link to the console (%s)", tc.name, link)
			}
			// The reference is the identifier people quote; the internal contact id is in the console link only
			// (a single-use link of its own carries neither).
			if !strings.Contains(n.Text, "HAC-2027-000123") || !strings.Contains(n.HTML, "HAC-2027-000123") {
				t.Errorf("%s: an ID/link message must carry the reference", tc.name)
			}
			if strings.Contains(n.Text, "Contact id") || strings.Contains(n.Text, "Check id") {
				t.Errorf("%s: a message names an internal id as a fact:\n%s", tc.name, n.Text)
			}
		}
		if !strings.HasPrefix(n.Subject, "MASH contact HAC-2027-000123: ") && !strings.HasPrefix(n.Subject, "Operation Encompass HAC-2027-000123: ") {
			t.Errorf("%s: subject %q is not reference + kind", tc.name, n.Subject)
		}
		if n.Text == "" || n.HTML == "" {
			t.Errorf("%s: every message has plain text and HTML", tc.name)
		}
	}
}

// TestCompose_Barnet004_AcknowledgementNamesOnlyReferenceDateAndNextSteps pins the acknowledgement's facts.
func TestCompose_Barnet004_AcknowledgementNamesOnlyReferenceDateAndNextSteps(t *testing.T) {
	n := compose(t, hackney(t), composeCases[0])
	for _, want := range []string{"Reference: HAC-2027-000123", "Received: Friday 24 December 2027 at 16:59", "What happens next"} {
		if !strings.Contains(n.Text, want) {
			t.Errorf("acknowledgement lacks %q:\n%s", want, n.Text)
		}
	}
	for _, never := range []string{"c_0123456789abcdef0123", "Outcome", "/contacts/"} {
		if strings.Contains(n.Text, never) {
			t.Errorf("acknowledgement must not carry %q", never)
		}
	}
	if !cmp.Equal(n.To, []string{"rita.referrer@nhs.example"}) {
		t.Errorf("acknowledgement to %v, want the referrer", n.To)
	}
}

// TestCompose_Bexley003_FeedbackWithin48HoursInWriting: Bexley tells the referrer the outcome in writing
// within 48 hours (seed 003 §12), in its own words.
func TestCompose_Bexley003_FeedbackInAuthorityWords(t *testing.T) {
	p, err := policy.Load("bexley")
	if err != nil {
		t.Fatal(err)
	}
	c := fixtureContact()
	c.Authority, c.Reference = "bexley", "BEX-2027-000042"
	c.Outcome.Code = domain.OutcomeFamilyWellbeing
	cm := notify.Composer{ConsoleURL: consoleURL}
	ack, err := cm.Compose(notify.KindAcknowledgement, p, c, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ack.Text, "in writing within 48 hours") {
		t.Errorf("Bexley acknowledgement should promise the outcome in writing within 48 hours:\n%s", ack.Text)
	}
	fb, err := cm.Compose(notify.KindFeedback, p, c, nil)
	if err != nil {
		t.Fatal(err)
	}
	term, ok := p.OutcomeTerm(domain.OutcomeFamilyWellbeing)
	if !ok {
		t.Fatal("bexley has no family-wellbeing term")
	}
	if !strings.Contains(fb.Text, "Outcome: "+term) {
		t.Errorf("feedback should state the outcome as %q:\n%s", term, fb.Text)
	}
	if fb.Subject != "MASH contact BEX-2027-000042: outcome" {
		t.Errorf("subject %q", fb.Subject)
	}
}

func TestCompose_FeedbackWithoutOutcomeIsInvalid(t *testing.T) {
	c := fixtureContact()
	c.Outcome = nil
	_, err := notify.Composer{ConsoleURL: consoleURL}.Compose(notify.KindFeedback, hackney(t), c, nil)
	if domain.ErrorCode(err) != domain.CodeInvalid {
		t.Fatalf("err = %v, want invalid", err)
	}
}

// TestCompose_Encompass_SchoolOutsideAllowListGoesToTheLead: an Encompass notice goes only to a school domain
// in schools.allowedDomains (or a subdomain of one), as one address; anything else (issue #13: off the list, a
// list of addresses, a line break) goes to the Encompass lead, saying why, and never fails.
func TestCompose_Encompass_SchoolOutsideAllowListGoesToTheLead(t *testing.T) {
	p := hackney(t)
	cm := notify.Composer{ConsoleURL: consoleURL}
	lead := []string{p.Contacts.EncompassLead.Email}
	for _, tc := range []struct {
		addr string
		ok   bool
	}{
		{"dsl@stwrens.hackney.sch.uk", true},
		{"DSL@Hackney.Sch.UK", true},
		{"dsl@hackney.sch.uk.evil.example", false},
		{"dsl@gmail.com", false},
		{"head@gmail.com", false},
		{"dsl@nothackney.sch.uk", false},
		{"not-an-address", false},
		{"attacker@evil.example, dsl@x.hackney.sch.uk", false},
		{"dsl@x.hackney.sch.uk\r\nBcc: attacker@evil.example", false},
	} {
		c := fixtureContact()
		c.Channel, c.Flags.PPN = domain.ChannelPPN, true
		n, err := cm.Compose(notify.KindEncompass, p, c, notify.Extra{notify.ExtraSchoolEmail: tc.addr})
		if err != nil {
			t.Errorf("%q: err %v", tc.addr, err)
			continue
		}
		if tc.ok {
			if !cmp.Equal(n.To, []string{tc.addr}) {
				t.Errorf("%s: to=%v, want sent to the school", tc.addr, n.To)
			}
			continue
		}
		if !cmp.Equal(n.To, lead) {
			t.Errorf("%q: to=%v, want the Encompass lead %v", tc.addr, n.To, lead)
		}
		if !strings.Contains(n.Text, "not sent to it") {
			t.Errorf("%q: the lead is not told why", tc.addr)
		}
		if strings.Contains(n.Text+n.Subject+n.HTML, "evil.example") || strings.Contains(n.Text+n.HTML, "gmail") {
			t.Errorf("%q: the refused address is repeated in the message", tc.addr)
		}
	}
	// A school address in the child's record is held to the same list.
	c := fixtureContact()
	c.Child.School = "office@school.example.com"
	if n, err := cm.Compose(notify.KindEncompass, p, c, nil); err != nil || !cmp.Equal(n.To, lead) {
		t.Errorf("school address from the child record outside the list: to=%v err=%v, want the lead", n.To, err)
	}
	// Unknown school: the Encompass lead.
	c.Child.School = ""
	n, err := cm.Compose(notify.KindEncompass, p, c, nil)
	if err != nil || !cmp.Equal(n.To, lead) {
		t.Errorf("unknown school: to=%v err=%v, want the Encompass lead %s", n.To, err, p.Contacts.EncompassLead.Email)
	}
}

// TestCompose_IDsAreDeterministic: the same step composes the same id, so a retry is a duplicate enqueue.
func TestCompose_IDsAreDeterministic(t *testing.T) {
	p := hackney(t)
	seen := map[string]string{}
	for _, tc := range composeCases {
		a, b := compose(t, p, tc), compose(t, p, tc)
		if a.ID != b.ID {
			t.Errorf("%s: ids differ between two compositions: %s, %s", tc.name, a.ID, b.ID)
		}
		if !strings.HasPrefix(a.ID, "c_0123456789abcdef0123#"+string(tc.kind)) {
			t.Errorf("%s: id %s is not <contactId>#<kind>…", tc.name, a.ID)
		}
		seen[a.ID] = tc.name
	}
	// Repeated overdue escalations with a new "at" are new messages.
	cm := notify.Composer{ConsoleURL: consoleURL}
	x := notify.Extra{"tray": "decision", "stage": "overdue", "dueAt": "2027-12-24T18:00:00Z"}
	first, _ := cm.Compose(notify.KindEscalation, p, fixtureContact(), x)
	x["at"] = "2027-12-25T18:00:00Z"
	repeat, _ := cm.Compose(notify.KindEscalation, p, fixtureContact(), x)
	if first.ID == repeat.ID {
		t.Errorf("a repeat escalation must get a new id: %s", first.ID)
	}
}

func TestCompose_UnknownKindAndMissingConsoleURL(t *testing.T) {
	p := hackney(t)
	if _, err := (notify.Composer{ConsoleURL: consoleURL}).Compose("ooh-queued", p, fixtureContact(), nil); domain.ErrorCode(err) != domain.CodeInvalid {
		t.Errorf("unknown kind: err = %v, want invalid", err)
	}
	if _, err := (notify.Composer{}).Compose(notify.KindLADO, p, fixtureContact(), nil); domain.ErrorCode(err) != domain.CodeInvalid {
		t.Errorf("no console URL: err = %v, want invalid", err)
	}
}

// TestCompose_HTMLIsEscaped: data that reaches the HTML body is escaped (render.go, html.EscapeString).
func TestCompose_HTMLIsEscaped(t *testing.T) {
	n, err := notify.Composer{ConsoleURL: consoleURL}.Compose(notify.KindForwarded, hackney(t), fixtureContact(),
		notify.Extra{"to": "<script>alert(1)</script> Team"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(n.HTML, "<script>") || !strings.Contains(n.HTML, "&lt;script&gt;") {
		t.Errorf("HTML not escaped:\n%s", n.HTML)
	}
}

// TestCompose_LinksMustBeHTTP: a check request's answer link or the console URL that is not an absolute
// http(s) URL is invalid, never put in an href.
func TestCompose_LinksMustBeHTTP(t *testing.T) {
	p := hackney(t)
	for _, bad := range []string{"javascript:alert(1)", "data:text/html,<b>x</b>", "//partner.example/a", "https://partner.example/a b"} {
		_, err := notify.Composer{ConsoleURL: consoleURL}.Compose(notify.KindCheckRequest, p, fixtureContact(),
			notify.Extra{"agency": "police", "link": bad})
		var de *domain.Error
		if !errors.As(err, &de) || de.Code != domain.CodeInvalid || len(de.Fields) != 1 || de.Fields[0].Field != notify.ExtraLink {
			t.Errorf("check request link %q: err = %v, want invalid on field link", bad, err)
		}
		if _, err := (notify.Composer{ConsoleURL: bad}).Compose(notify.KindLADO, p, fixtureContact(), nil); domain.ErrorCode(err) != domain.CodeInvalid {
			t.Errorf("console URL %q: err = %v, want invalid", bad, err)
		}
	}
	n, err := notify.Composer{ConsoleURL: consoleURL}.Compose(notify.KindCheckRequest, p, fixtureContact(),
		notify.Extra{"agency": "police", "link": "https://partner.example/answer?check=police-1&token='x'"})
	if err != nil {
		t.Fatal(err)
	}
	if want := `<a href="https://partner.example/answer?check=police-1&amp;token=%27x%27">`; !strings.Contains(n.HTML, want) {
		t.Errorf("HTML lacks %s:\n%s", want, n.HTML)
	}
}

// Barnet "What are my responsibilities" (a partner answers the MASH's check): the request a partner reads names
// its agency in words in the subject and the body and says how urgent the MASH rated the contact.
func TestPartnerCheck_RequestInThePartnersWords(t *testing.T) {
	p := hackney(t)
	cases := []struct {
		name, agency, link, subject string
	}{
		{"an answer link, a service of several words", "domestic-abuse", "https://partner.example/answer/abc", "check request (domestic abuse service)"},
		{"no link", "mental-health", "", "check request (mental health (CAMHS))"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			x := notify.Extra{"agency": tc.agency, "check": tc.agency + "-1"}
			if tc.link != "" {
				x["link"] = tc.link
			}
			n, err := notify.Composer{ConsoleURL: consoleURL}.Compose(notify.KindCheckRequest, p, fixtureContact(), x)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(n.Subject, tc.subject) || strings.Contains(n.Text, "Agency: "+tc.agency+"\n") {
				t.Errorf("subject %q, want … %q; text:\n%s", n.Subject, tc.subject, n.Text)
			}
			if !strings.Contains(n.Text, "MASH rating: Red") {
				t.Errorf("no rating:\n%s", n.Text)
			}
		})
	}
}

func BenchmarkCompose_Feedback(b *testing.B) {
	p, err := policy.Load("hackney")
	if err != nil {
		b.Fatal(err)
	}
	c := fixtureContact()
	cm := notify.Composer{ConsoleURL: consoleURL}
	for b.Loop() {
		if _, err := cm.Compose(notify.KindFeedback, p, c, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// Northamptonshire §7, Appendix A: a Red contact's strategy discussion is between CSC, Health and Police.
// Each partner whose MASH desk (or, for the police, mailbox) is in the policy is invited directly; the MASH
// inbox is asked to invite a partner with no address, and the notice says so.
func TestCompose_Northamptonshire_StrategyDiscussion_InvitesEachPartnerOrAsksTheInbox(t *testing.T) {
	base := hackney(t)
	for _, tc := range []struct {
		name         string
		desks        map[domain.Agency]policy.AgencyDesk
		police       string
		wantTo       []string
		wantNotesFor []string
	}{
		{name: "no partner address", wantTo: []string{base.Contacts.MASHInbox.Email}, wantNotesFor: []string{"Police", "Health"}},
		{name: "police mailbox only", police: "strategy@police.example",
			wantTo: []string{base.Contacts.MASHInbox.Email, "strategy@police.example"}, wantNotesFor: []string{"Health"}},
		{name: "both desks", police: "strategy@police.example", desks: map[domain.Agency]policy.AgencyDesk{
			domain.AgencyPolice: {Contact: policy.Contact{Email: "ppd@police.example"}},
			domain.AgencyHealth: {Contact: policy.Contact{Email: "safeguarding@nhs.example"}}},
			wantTo: []string{base.Contacts.MASHInbox.Email, "ppd@police.example", "safeguarding@nhs.example"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := *base
			p.Contacts.AgencyDesks = tc.desks
			p.Contacts.PoliceMailbox = policy.Contact{Email: tc.police}
			n := compose(t, &p, composeCase{kind: notify.KindStrategy})
			if !cmp.Equal(n.To, tc.wantTo) {
				t.Errorf("to = %v, want %v", n.To, tc.wantTo)
			}
			for _, partner := range []string{"Police", "Health"} {
				asked := strings.Contains(n.Text, "please invite "+partner)
				if want := slices.Contains(tc.wantNotesFor, partner); asked != want {
					t.Errorf("the notice asks the inbox to invite %s: %v, want %v", partner, asked, want)
				}
			}
		})
	}
}

// Every time a message gives is UK local time and says which (GMT in winter, BST in summer): a reader cannot
// tell "at 10:00" from a UTC time. A check request with its answer link says no account is needed (it told
// the agency to log in, to an account it does not have) and that the link works once.
func TestCompose_TimesSayGMTOrBST_AndTheAnswerLinkNeedsNoAccount(t *testing.T) {
	p := hackney(t)
	summer := func(c *domain.Contact) { c.ReceivedAt = time.Date(2027, 7, 5, 8, 30, 0, 0, time.UTC) } // 09:30 BST
	ack := compose(t, p, composeCase{kind: notify.KindAcknowledgement, edit: summer})
	if !strings.Contains(ack.Text, "Received: Monday 5 July 2027 at 09:30 BST") {
		t.Errorf("summer: no BST time:\n%s", ack.Text)
	}
	winter := compose(t, p, composeCase{kind: notify.KindAcknowledgement})
	if !strings.Contains(winter.Text, "Received: Friday 24 December 2027 at 16:59 GMT") {
		t.Errorf("winter: no GMT time:\n%s", winter.Text)
	}
	link := consoleURL + "/answer/abc"
	req := compose(t, p, composeCase{kind: notify.KindCheckRequest, extra: notify.Extra{notify.ExtraAgency: "police",
		notify.ExtraCheck: "police-9f", notify.ExtraDueAt: "2027-07-05T12:30:00Z", notify.ExtraLink: link}, edit: summer})
	for _, want := range []string{"Answer by: Monday 5 July 2027 at 13:30 BST", "no account is needed", "the link works once", link} {
		if !strings.Contains(req.Text, want) {
			t.Errorf("check request lacks %q:\n%s", want, req.Text)
		}
	}
	if strings.Contains(req.Text, "log in") {
		t.Errorf("check request with an answer link tells the agency to log in:\n%s", req.Text)
	}
}

// Hackney §9: the MASH is open Monday to Friday 9am to 5pm; outside those hours and on bank holidays the
// Emergency Duty Team takes concerns (0208 356 2710). A referrer whose contact arrives while the MASH is
// closed is told when it opens and the EDT's number (the acknowledgement said "a MASH manager screens the
// contact", as if now); one that arrives while it is open is not.
func TestCompose_Hackney9_OutOfHoursAcknowledgementSaysWhenTheMASHOpensAndTheEDTNumber(t *testing.T) {
	p := hackney(t)
	for _, tc := range []struct {
		name     string
		received time.Time
		want     string
	}{
		// Christmas Eve 2027 is a Friday; 27 and 28 December are the substitute bank holidays.
		{"Friday night before Christmas", time.Date(2027, 12, 24, 22, 30, 0, 0, london),
			"The MASH is closed now: it will look at your contact when it opens, on Wednesday 29 December 2027 at 09:00 GMT. If a child needs help before then, phone the Emergency Duty Team on 0208 356 2710."},
		{"a summer Saturday", time.Date(2027, 7, 3, 11, 0, 0, 0, london),
			"The MASH is closed now: it will look at your contact when it opens, on Monday 5 July 2027 at 09:00 BST."},
		{"open: a Friday at 16:59", time.Date(2027, 12, 24, 16, 59, 0, 0, london), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := compose(t, p, composeCase{kind: notify.KindAcknowledgement, edit: func(c *domain.Contact) { c.ReceivedAt = tc.received.UTC() }})
			if tc.want == "" {
				if strings.Contains(n.Text, "is closed now") {
					t.Errorf("open, yet the acknowledgement says the MASH is closed:\n%s", n.Text)
				}
				return
			}
			if !strings.Contains(n.Text, tc.want) {
				t.Errorf("the acknowledgement lacks %q:\n%s", tc.want, n.Text)
			}
		})
	}
}
