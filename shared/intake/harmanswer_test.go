package intake_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/trays"
)

// Hackney §4(1): a contact saying a child is at risk of immediate harm is brought to a manager's immediate
// attention. A call recorded with the answer to "Is the child at risk of immediate harm?" not known (the caller
// did not know) is tagged "immediate harm: not known" and nothing let a worker answer it later, so the tag could
// never go and a yes learnt by phoning the referrer back could not raise the contact. AnswerImmediateHarm
// records it: the question leaves extraction.missing; a no re-routes nothing; a yes is immediate harm, heads
// the rating tray, and re-routes the contact as a re-sent update saying yes does (the MASH manager told in
// hours, the EDT at once out of hours). An answer already known is a 409 naming immediateHarm, an answer
// other than yes or no a 400 naming answer, and neither changes the contact. The note goes to the concerns,
// never to the audit.
func TestHackney_4_1_ImmediateHarmNotKnown_AnsweredLater(t *testing.T) {
	const note = "Rang the grandmother back: Kai is at his uncle's flat with the man who hit him"
	cases := []struct {
		name     string
		start    string // London time the call is recorded
		atIntake intake.HarmAnswer
		answers  []string    // answered in turn; all but the last succeed
		code     domain.Code // the last answer's error code ("" none)
		field    string      // the field the error names
		want     bool        // immediate harm afterwards
		told     string      // the re-routing's notice kind ("" none)
	}{
		{"not known, answered no", "2026-11-16 10:45", intake.HarmNotKnown, []string{"no"}, "", "", false, ""},
		{"not known, answered yes in hours", "2026-11-16 10:45", intake.HarmNotKnown, []string{"Yes"}, "", "", true, string(domain.NoticeRiskRaised)},
		{"not known, answered yes out of hours", "2026-11-21 10:00", intake.HarmNotKnown, []string{"yes"}, "", "", true, string(domain.NoticeEDTNow)},
		{"answered twice", "2026-11-16 10:45", intake.HarmNotKnown, []string{"no", "yes"}, domain.CodeConflict, "immediateHarm", false, ""},
		{"a no at intake", "2026-11-16 10:45", intake.HarmNo, []string{"yes"}, domain.CodeConflict, "immediateHarm", false, ""},
		{"a yes at intake", "2026-11-16 10:45", intake.HarmYes, []string{"no"}, domain.CodeConflict, "immediateHarm", true, ""},
		{"an answer that is not yes or no", "2026-11-16 10:45", intake.HarmNotKnown, []string{"maybe"}, domain.CodeInvalid, "answer", false, ""},
		{"no answer", "2026-11-16 10:45", intake.HarmNotKnown, []string{""}, domain.CodeInvalid, "answer", false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, london(t, tc.start))
			ctx := context.Background()
			record := func(given string, harm intake.HarmAnswer) domain.ContactID {
				x := goodCall()
				x.Child.GivenName, x.ImmediateHarm = given, harm
				res, err := r.suite.Intake.RecordContact(ctx, hackney, x, "")
				if err != nil || len(res) != 1 {
					t.Fatalf("record: %+v %v", res, err)
				}
				r.clock.Advance(time.Minute)
				return res[0].ContactID
			}
			earlier := record("Ada", intake.HarmNo) // due before the answered contact
			id := record("Kai", tc.atIntake)
			if err := r.suite.Tick(ctx); err != nil {
				t.Fatal(err)
			}
			before := r.contact(id)
			mails := len(r.outboxMessages())
			var err error
			for i, a := range tc.answers {
				var c *domain.Contact
				c, err = r.suite.Intake.AnswerImmediateHarm(ctx, before, intake.ImmediateHarmAnswer{Answer: a, Note: note, By: "Wes Worker"})
				if i < len(tc.answers)-1 {
					if err != nil {
						t.Fatalf("answer %q: %v", a, err)
					}
					before, mails = c, len(r.outboxMessages())
				}
			}
			c := r.contact(id)
			if tc.code != "" {
				var de *domain.Error
				if domain.ErrorCode(err) != tc.code || !errors.As(err, &de) || len(de.Fields) != 1 || de.Fields[0].Field != tc.field {
					t.Fatalf("error %v, want %s naming %s", err, tc.code, tc.field)
				}
				if c.ImmediateHarm != before.ImmediateHarm || c.ImmediateHarmNotKnown() != before.ImmediateHarmNotKnown() || c.Concerns != before.Concerns {
					t.Errorf("a refused answer changed the contact: %v/%v", c.ImmediateHarm, c.ImmediateHarmNotKnown())
				}
				if c.ImmediateHarm != tc.want {
					t.Errorf("immediate harm %v, want %v", c.ImmediateHarm, tc.want)
				}
				if n := len(r.outboxMessages()); n != mails {
					t.Errorf("a refused answer sent %d messages", n-mails)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.ImmediateHarmNotKnown() || slices.Contains(c.Extraction.Missing, domain.MissingImmediateHarm) {
				t.Errorf("still not known: missing %v", c.Extraction.Missing)
			}
			if c.ImmediateHarm != tc.want {
				t.Errorf("immediate harm %v, want %v", c.ImmediateHarm, tc.want)
			}
			if !strings.Contains(c.Concerns, note) || !strings.HasPrefix(c.Concerns, goodCall().Concerns[:10]) {
				t.Errorf("the note is not added below the concerns:\n%s", c.Concerns)
			}
			evs, err := r.suite.Store.ListAudit(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			var answered, rerouted []store.AuditEvent
			for _, ev := range evs {
				switch ev.Action {
				case "immediate-harm.answered":
					answered = append(answered, ev)
				case "contact.rerouted":
					rerouted = append(rerouted, ev)
				}
			}
			if len(answered) != 1 || answered[0].Actor != "Wes Worker" || answered[0].Detail["answer"] != strings.ToLower(tc.answers[0]) {
				t.Fatalf("audit %+v, want one immediate-harm.answered by the worker", answered)
			}
			for k, v := range answered[0].Detail {
				if strings.Contains(v, "uncle") || strings.Contains(k+v, "Kai") {
					t.Errorf("personal data in the audit detail %s=%q", k, v)
				}
			}
			mail := strings.Join(r.outboxMessages()[mails:], "\n")
			if tc.told == "" {
				if len(rerouted) != 0 || strings.Contains(mail, "Subject:") {
					t.Errorf("a no re-routed: %+v, messages %q", rerouted, mail)
				}
				return
			}
			if len(rerouted) != 1 || rerouted[0].Detail["told"] != tc.told || rerouted[0].Detail["riskRaised"] != "immediate-harm" {
				t.Fatalf("re-routed %+v, want once, told %s", rerouted, tc.told)
			}
			subject := map[string]string{string(domain.NoticeRiskRaised): "risk raised by a MASH worker's answer", string(domain.NoticeEDTNow): "EDT to act now"}[tc.told]
			if !strings.Contains(mail, subject) {
				t.Errorf("no message %q: %q", subject, mail)
			}
			if tc.told != string(domain.NoticeRiskRaised) {
				return
			}
			if strings.Contains(mail, "Agency: ") {
				t.Errorf("a worker's answer named as an agency's: %q", mail)
			}
			// The rating tray, as the console and GET /v1/trays/rating order it: the answered yes first.
			items, err := r.suite.Store.DueItems(ctx, "rating", r.clock.Now().Add(365*24*time.Hour), 0)
			if err != nil {
				t.Fatal(err)
			}
			var order []domain.ContactID
			harm := map[domain.ContactID]bool{}
			for _, it := range items {
				if it.ContactID == id || it.ContactID == earlier {
					order = append(order, it.ContactID)
					harm[it.ContactID] = r.contact(it.ContactID).ImmediateHarm
				}
			}
			trays.ImmediateHarmFirst(order, func(id domain.ContactID) bool { return harm[id] })
			if !slices.Equal(order, []domain.ContactID{id, earlier}) {
				t.Errorf("rating tray %v, want the answered yes %s first", order, id)
			}
		})
	}
}
