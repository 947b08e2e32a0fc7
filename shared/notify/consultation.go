package notify

import (
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
)

// KindConsultationSummary is the written summary of a consultation sent to the professional who sought it
// (Bexley §5–6). It is about a consultation, not a contact: it is composed by ConsultationSummary, not
// Compose, and kept under the consultation's id.
const KindConsultationSummary = "consultation-summary"

// ConsultationSummary builds the written summary of a consultation (its Summary must be set) for the
// consultee: the subject carries the consultation's reference only; the body the summary of the discussion
// and the advice the worker wrote. A consultee without an email address: the MASH inbox, asked to pass it
// on. The id is deterministic, so a retried write queues it once.
func (cm Composer) ConsultationSummary(p *policy.Policy, k *domain.Consultation) (store.Notification, error) {
	if p == nil || k == nil || k.Summary == nil {
		return store.Notification{}, domain.Errorf(domain.CodeInvalid, "compose %s: policy and a summarised consultation are required", KindConsultationSummary)
	}
	b := builder{cm: cm, p: p, loc: location(p)}
	m := message{Subject: "MASH consultation " + string(k.Reference) + ": summary and advice",
		Lead:  "Thank you for consulting the MASH. This is the summary of the discussion and the advice given.",
		Facts: []fact{{"Reference", string(k.Reference)}, {"Consulted", b.when(k.ReceivedAt)}, {"Summary written", b.when(k.Summary.At)}},
		Paras: []string{k.Summary.Text,
			"A consultation is not a referral. If you are still worried about the child, make a referral to the MASH quoting this reference.",
			"If you believe a child is in immediate danger, call 999."}}
	b.addr(&m, policy.Contact{Email: k.Consultee.Email}, "The person who sought this consultation has no email address on record: please give them this summary by phone or post.")
	if len(m.To) == 0 {
		return store.Notification{}, &domain.Error{Code: domain.CodeInvalid, Message: "compose " + KindConsultationSummary,
			Fields: []domain.FieldError{{Field: "contacts.mashInbox.email", Message: "is required to address this message"}}}
	}
	m.Sign = b.signature()
	text, html, err := render(m)
	if err != nil {
		return store.Notification{}, &domain.Error{Code: domain.CodeInternal, Message: "render " + KindConsultationSummary, Err: err}
	}
	n := store.Notification{ID: string(k.ID) + "#" + KindConsultationSummary, ContactID: k.ID.AuditID(), Authority: k.Authority,
		Kind: KindConsultationSummary, To: m.To, Subject: m.Subject, Text: text, HTML: html}
	if cm.Now != nil {
		n.CreatedAt = cm.Now().UTC()
	}
	return n, nil
}
