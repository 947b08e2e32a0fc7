package intake

import (
	"context"
	"slices"
	"strings"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/store"
)

// answeredBy is who raised the risk, as the duty manager's message names it ("risk raised by …"): a worker
// recorded the answer (after phoning the referrer back, or from what the MASH learnt itself), not the referrer.
const answeredBy = "a MASH worker's answer"

// actionHarmAnswered is the audit action of AnswerImmediateHarm.
const actionHarmAnswered = "immediate-harm.answered"

// Answers to the immediate-harm question ("Is the child at risk of immediate harm?") a worker records later.
const (
	answerYes = "yes"
	answerNo  = "no"
)

// ImmediateHarmAnswer is a worker's answer to the immediate-harm question nobody answered at intake, learnt later
// (phoning the referrer back): Answer "yes" or "no", By who recorded it, Note what was said (optional; added
// to the contact's concerns, never to the audit).
type ImmediateHarmAnswer struct {
	Answer string `json:"answer"`
	Note   string `json:"note,omitempty"`
	By     string `json:"-"`
}

// AnswerImmediateHarm records the answer to "Is the child at risk of immediate harm?" (Hackney §4(1): such a
// contact is brought to a manager's immediate attention; Portsmouth §7.5) on a contact recorded with it not known (extraction.missing immediateHarm): the question
// leaves extraction.missing, the answer is set, audited immediate-harm.answered. A "yes" raises the risk as a
// re-sent update saying immediate harm does (AddUpdate): the contact heads the rating tray, and it is
// re-routed by the same path — the EDT told at once when the MASH is closed, the MASH manager when it is open.
// An answer other than yes or no is a 400 naming answer; a contact whose answer is already known is a 409
// naming immediateHarm; a contact decided, forwarded or closed is refused as other actions refuse.
func (s Service) AnswerImmediateHarm(ctx context.Context, c *domain.Contact, a ImmediateHarmAnswer) (*domain.Contact, error) {
	answer := strings.ToLower(strings.TrimSpace(a.Answer))
	if answer != answerYes && answer != answerNo {
		return nil, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "answer",
			Message: "is required: yes or no (is the child at risk of immediate harm?)"}}}
	}
	p, err := s.Policies(c.Authority)
	if err != nil {
		return nil, err
	}
	note := strings.TrimSpace(a.Note)
	now := s.Now()
	var raised []string
	got, err := s.Update(ctx, c.ID, func(c *domain.Contact) (store.AuditEvent, error) {
		raised = nil
		if !c.ImmediateHarmNotKnown() {
			was := "no"
			if c.ImmediateHarm {
				was = "yes"
			}
			return store.AuditEvent{}, &domain.Error{Code: domain.CodeConflict, Message: "whether a child is at risk of immediate harm is already known", Fields: []domain.FieldError{{Field: "immediateHarm",
				Message: "is already known (" + was + "): only a contact recorded with immediate harm not known takes an answer"}}}
		}
		if err := lifecycle.Allowed(lifecycle.ImmediateHarmAnswered, c); err != nil {
			return store.AuditEvent{}, err
		}
		c.Extraction.Missing = slices.DeleteFunc(c.Extraction.Missing, func(m string) bool { return m == domain.MissingImmediateHarm })
		detail := map[string]string{"answer": answer, "update": answered.tag, "note": "no"}
		if answer == answerYes {
			c.ImmediateHarm = true
			raised = []string{"immediate-harm"}
			detail["riskRaised"] = "immediate-harm"
		}
		if note != "" {
			detail["note"] = "yes"
			when := now.In(londonOr(p.Timezone)).Format("Mon 2 Jan 2006 15:04")
			c.Concerns = strings.TrimRight(c.Concerns, "\n") + "\n\n--- Immediate harm answered " + answer + " " + when + " ---\n" + note
		}
		return store.AuditEvent{Actor: a.By, Action: actionHarmAnswered,
			Reason: "the immediate-harm question, not known at intake, is answered", Detail: detail}, nil
	})
	if err != nil {
		if domain.ErrorCode(err) == domain.CodeConflict {
			// An earlier answer whose re-routing stopped before it finished: finish it (nothing when done).
			if rerr := s.rerouteOnce(ctx, p, c.ID, answered.tag, a.By, answeredBy); rerr != nil {
				return nil, rerr
			}
		}
		return nil, err
	}
	if len(raised) > 0 {
		if err := s.reroute(ctx, p, got, raised, answered, a.By, answeredBy); err != nil {
			return nil, err
		}
	}
	return got, nil
}
