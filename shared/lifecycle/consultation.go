package lifecycle

import (
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
)

// A consultation's own short lifecycle (Bexley §5–6, Hackney §8, Barnet's consultation line): recorded
// (the consulted event starts its clocks — Bexley: the written summary within 48 hours), summarised (the
// summary sent, its clock stopped), and at most once turned into a contact.

// Consult records a consultation: it stamps every deadline the policy's consulted event starts, from the
// consultation's receipt, and returns its audit event (the reports read due.<rule> and from.<rule>).
func Consult(p *policy.Policy, k *domain.Consultation, actor string) (store.AuditEvent, map[string]time.Time, error) {
	if !p.Consultations.Offered {
		return store.AuditEvent{}, nil, domain.Errorf(domain.CodeConflict, "%s's policy offers no consultations (consultations.offered is false): record the call as a phone contact", p.Name)
	}
	started := map[string]time.Time{}
	for _, rule := range p.ConsultationStarts() {
		due, err := p.Due(rule, k.ReceivedAt)
		if err != nil {
			return store.AuditEvent{}, nil, err
		}
		if k.Deadlines == nil {
			k.Deadlines = map[string]time.Time{}
		}
		k.Deadlines[rule] = due
		started[rule] = due
	}
	detail := stamp(nil, started, k.ReceivedAt)
	if k.Child != nil {
		detail["childDetails"] = "recorded"
	}
	return store.AuditEvent{Actor: actor, Action: "consultation.recorded", Reason: "a professional's consultation: advice, not screened as a referral",
		Detail: detail}, started, nil
}

// Summarise records the written summary of the discussion and advice sent to the consultee (Bexley §5–6).
// A policy with no written summary, or a consultation already summarised, is a conflict; an empty text is
// invalid, naming text.
func Summarise(p *policy.Policy, k *domain.Consultation, at time.Time, text, by string) (store.AuditEvent, error) {
	if !p.Consultations.WrittenSummary {
		return store.AuditEvent{}, domain.Errorf(domain.CodeConflict, "%s's policy sends no written summary of a consultation", p.Name)
	}
	if k.Summary != nil {
		return store.AuditEvent{}, domain.Errorf(domain.CodeConflict, "consultation %s was summarised already (%s)", k.Reference, k.Summary.At.UTC().Format(time.RFC3339))
	}
	if strings.TrimSpace(text) == "" {
		return store.AuditEvent{}, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "text",
			Message: "is required: the summary of the discussion and the advice given"}}}
	}
	k.Summary = &domain.ConsultationSummary{Text: text, By: by, At: at, SentTo: k.Consultee.Email}
	var shared []string
	if k.Consultee.Email != "" {
		shared = []string{k.Consultee.Email}
	}
	return store.AuditEvent{Actor: by, Action: "consultation.summarised", Reason: "the written summary sent to the person who sought the consultation",
		SharedWith: shared, Detail: map[string]string{"rule": policy.RuleConsultationSummary}}, nil
}

// Converted records that the consultation became a contact (a referral), once: a second conversion is a
// conflict naming the contact it became.
func Converted(k *domain.Consultation, contact domain.ContactID, ref domain.Reference, at time.Time, by, why string) (store.AuditEvent, error) {
	if k.Contact != nil {
		return store.AuditEvent{}, domain.Errorf(domain.CodeConflict, "consultation %s was turned into contact %s already", k.Reference, k.Contact.Reference)
	}
	k.Contact = &domain.ConsultationContact{ContactID: contact, Reference: ref, By: by, At: at}
	return store.AuditEvent{Actor: by, Action: "consultation.converted", Reason: why,
		Detail: map[string]string{"contactId": string(contact), "contactReference": string(ref)}}, nil
}
