package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/actions"
	"github.com/safeguarding/mash/shared/cases"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
)

// Portsmouth §2.6 on the console: the screener sees the same prompt the acknowledgement asked ("describe the
// harm to the child") on a contact that gives only FII, records the harm with the page's form, and the
// prompt goes. Portsmouth §5.3: the decision form offers the 10 Supporting Families outcomes and the contact
// then shows whether the family is eligible.
func TestPortsmouth_Console_NameTheHarmAndSupportingFamilies(t *testing.T) {
	r := newRigFor(t, "portsmouth")
	res, err := r.suite.Intake.CreateReferral(context.Background(), r.a, intake.Referral{
		Children: []domain.Child{{GivenName: "Amy", FamilyName: "Canarybird", DateOfBirth: domain.Date{Y: 2019, M: 5, D: 1}}},
		Referrer: domain.Referrer{Name: "Dr Lee", Organisation: "St Mary's", Email: "dr.lee@nhs.example.org", Professional: true},
		Concerns: "Reason for referral: FII", Consent: domain.Consent{Status: domain.ConsentGiven},
	}, "key-fii")
	if err != nil {
		t.Fatal(err)
	}
	id := res[0].ContactID
	r.advance(time.Minute)
	w := r.browser()
	w.signIn("Wes Worker")
	st, body := w.get("/contacts/" + string(id))
	if st != http.StatusOK || !strings.Contains(body, `id="harm-prompt"`) || !strings.Contains(body, "describe the harm to the child") ||
		!strings.Contains(body, `id="harm-submit"`) {
		t.Fatalf("contact page %d: no harm prompt or form", st)
	}
	if st, body := w.post("/contacts/"+string(id)+"/harm", url.Values{"harm": {""}}); st != http.StatusBadRequest || !strings.Contains(body, `id="harm-error"`) {
		t.Fatalf("empty harm: %d", st)
	}
	if st, body := w.post("/contacts/"+string(id)+"/harm", url.Values{"harm": {"Mother gives Amy laxatives; seizures nobody has seen"}}); st != http.StatusOK ||
		strings.Contains(body, `id="harm-prompt"`) || !strings.Contains(body, "laxatives") {
		t.Fatalf("after recording the harm: %d, prompt still shown or harm not shown", st)
	}
	if got := r.contact(id); got.Flags.HarmNotNamed || got.Harm == "" {
		t.Fatalf("contact flags %+v harm %q", got.Flags, got.Harm)
	}

	if _, err := r.suite.Actions.Rate(context.Background(), id, actions.Rate{Value: domain.RatingGreen, Rationale: "early help", By: "maya", NoChecks: true}); err != nil {
		t.Fatal(err)
	}
	r.advance(time.Minute)
	m := r.browser()
	m.signIn("Maya Manager")
	if _, body := m.get("/contacts/" + string(id)); !strings.Contains(body, `id="sf-secure-housing"`) || !strings.Contains(body, "Financial stability") {
		t.Fatal("the decision form offers no Supporting Families outcomes")
	}
	r.census(id)
	if st, body := m.post("/contacts/"+string(id)+"/decision", url.Values{"term": {"Early Help Tier 2 (green pathway)"},
		"decisionRationale": {"tier 2 coordination"}, "supportingFamilies": {"good-education", "health", "secure-housing"}}); st != http.StatusOK ||
		!strings.Contains(body, `id="supporting-families"`) || !strings.Contains(body, "eligible") {
		t.Fatalf("decide with three outcomes: %d", st)
	}
	if got := r.contact(id); got.SupportingFamilies == nil || !got.SupportingFamilies.Eligible || len(got.SupportingFamilies.Outcomes) != 3 {
		t.Fatalf("contact supportingFamilies %+v", got.SupportingFamilies)
	}
}

// Barnet "How do I refer?": the online referral form asks whether the family was told; not answering is an
// error on that question, and the answer is kept on the contact.
func TestBarnet_Console_ReferFormAsksWhetherTheFamilyWasTold(t *testing.T) {
	r := newRigFor(t, "barnet")
	b := r.browser()
	st, body := b.get("/refer")
	if st != http.StatusOK || !strings.Contains(body, `id="familyTold"`) {
		t.Fatalf("refer page %d has no family-told question", st)
	}
	key := regexpValue(body, "formKey")
	form := url.Values{"formKey": {key}, "immediateHarm": {"no"}, "children[0].givenName": {"Zebedee"}, "children[0].familyName": {"Canarybird"},
		"children[0].dateOfBirth": {"07/04/2020"}, "referrer.name": {"Ann Teacher"}, "referrer.email": {"ann@school.example.org"},
		"concerns": {"Bruising seen at school."}, "consent.status": {"given"}}
	if st, body := b.post("/refer", form); st != http.StatusBadRequest || !strings.Contains(body, `id="familyTold-error"`) {
		t.Fatalf("no answer: %d", st)
	}
	form.Set("familyTold.told", "yes")
	if st, body := b.post("/refer", form); st != http.StatusOK || !strings.Contains(body, "BAR-") {
		t.Fatalf("told: %d %s", st, body)
	}
}

// Barnet "What are my responsibilities": "The request will contain a summary of the referral concerns": the
// partner's answer page shows it (under that heading) in place of the whole concerns.
func TestBarnet_Console_AnswerPageCarriesTheSummaryOfConcerns(t *testing.T) {
	r := newRigFor(t, "barnet")
	res, err := r.suite.Intake.CreateReferral(context.Background(), r.a, intake.Referral{
		Children: []domain.Child{{GivenName: "Zebedee", FamilyName: "Canarybird", DateOfBirth: domain.Date{Y: 2017, M: 4, D: 2}}},
		Referrer: domain.Referrer{Name: "Ann Teacher", Email: "ann@school.example.org", Professional: true},
		Concerns: "Zebedee came to school with bruising and said he was scared to go home.",
		Consent:  domain.Consent{Status: domain.ConsentGiven}, FamilyTold: &domain.FamilyTold{Told: true},
	}, "key-summary")
	if err != nil {
		t.Fatal(err)
	}
	id := res[0].ContactID
	r.advance(time.Minute)
	rateWithChecks(t, r, id)
	st, body := r.browser().open(answerLink(t, r, id, domain.AgencyPolice))
	if st != http.StatusOK || !strings.Contains(body, "Summary of the referral concerns") || !strings.Contains(body, `id="answer-summary"`) ||
		!strings.Contains(body, "scared to go home") {
		t.Fatalf("answer page %d: no summary of the referral concerns", st)
	}
}

// Person matching on the console (Hackney §4 B): the contact page lists a fuzzy candidate ("Jayden Smyth"
// for Jaden Smith's open case) with its score; the screener's "This is the child" forwards the contact to
// the allocated worker, as an exact match would have.
func TestHackney_Console_ConfirmedMatchForwards(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	rows, err := cases.Parse([]byte(`[{"caseId":"M-9","givenName":"Jaden","familyName":"Smith","dateOfBirth":"2017-04-02","status":"open","allocatedWorker":"Sam Worker","workerEmail":"sam.worker@hackney.gov.uk"}]`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cases.Import(ctx, r.suite.Store, r.a, "test", rows, r.clock.Now()); err != nil {
		t.Fatal(err)
	}
	c := r.refer("Jayden", "Smyth")
	if c.Status != domain.StatusAwaitingRating || len(c.MatchCandidates) != 1 {
		t.Fatalf("status %s candidates %+v", c.Status, c.MatchCandidates)
	}
	w := r.browser()
	w.signIn("Wes Worker")
	if _, body := w.get("/contacts/" + string(c.ID)); !strings.Contains(body, `id="match-confirm-M-9"`) {
		t.Fatal("no candidate with a confirm button on the contact page")
	}
	if st, body := w.post("/contacts/"+string(c.ID)+"/match", url.Values{"candidate": {"M-9"}, "decision": {"confirm"}}); st != http.StatusOK ||
		!strings.Contains(body, "confirmed by") {
		t.Fatalf("confirm: %d", st)
	}
	r.advance(time.Minute)
	if got := r.contact(c.ID); got.Status != domain.StatusForwarded || got.Outcome == nil || got.Outcome.To != "sam.worker@hackney.gov.uk" {
		t.Fatalf("after confirming: status %s outcome %+v", got.Status, got.Outcome)
	}
}
