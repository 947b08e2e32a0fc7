// Package consultations is the consultation log: a professional asking the MASH for advice is recorded as a
// consultation, never screened as a referral (Bexley §5–6, Hackney §8, Barnet's consultation line,
// Northamptonshire §7). What a consultation keeps and what may be done with it is the authority's policy
// (consultations): Hackney keeps a log of calls only, never the child's details; Bexley keeps them when they
// are shared, may run basic checks on them, and owes the consultee a written summary within 48 hours (the
// consultation-summary deadline the consulted event starts, on the consultation-summary tray until the
// summary is recorded); Barnet's line has its hours, and a consultation about a child at risk becomes a
// referral. A worker may turn any consultation into a contact, once.
package consultations

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/cases"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/lifecycle"
	"github.com/safeguarding/mash/shared/notify"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/workflow"
)

// Tray is the tray of consultations whose written summary is owed (Bexley §5–6).
const Tray = string(domain.TrayConsultationSummary)

// Consultee is the person seeking advice as a request gives them: a name, an email or phone for the summary,
// and whether they are a professional (nil: not said).
type Consultee struct {
	domain.Referrer
	// Professional shadows the referrer's: a consultation must not record a professional as a member of the
	// public because the field was left out (Referrer's bool defaulted to false).
	Professional *bool `json:"professional,omitempty"`
}

// Request is a consultation as it is recorded (POST /v1/consultations).
type Request struct {
	// Consultee is the person seeking advice.
	Consultee Consultee `json:"consultee"`
	// Child is the child's details, when the consultee shares them (kept only where the policy records
	// consultations against the child).
	Child *domain.Child `json:"child,omitempty"`
	// Concerns is what the consultee described; Advice what the MASH advised.
	Concerns string `json:"concerns"`
	Advice   string `json:"advice,omitempty"`
	// DSLConsulted answers whether the caller consulted their Designated Safeguarding Lead first (Hackney §8).
	DSLConsulted *bool `json:"dslConsulted,omitempty"`
	// BasicChecks asks for the basic checks on the child's details (Bexley §5).
	BasicChecks bool `json:"basicChecks,omitempty"`
	// ChildAtRisk: the worker judges the child at risk (Barnet: the consultation becomes a referral).
	ChildAtRisk bool `json:"childAtRisk,omitempty"`
	// Consent is the family's consent, for a consultation that becomes a referral at once.
	Consent *domain.Consent `json:"consent,omitempty"`
	// RecordedBy is the signed-in user (the API sets it).
	RecordedBy string `json:"-"`
	// Key, when set, makes recording idempotent (the console form's key, scoped to its user): the same key
	// again gives the consultation recorded first, marked Duplicate, and records nothing. The consultation's id
	// is made from it (KeyedID), so the store's create refuses a second one even when two arrive at once.
	Key string `json:"-"`
}

// KeyedID is the id of the authority's consultation recorded under the key (Request.Key).
func KeyedID(authority domain.AuthorityID, key string) domain.ConsultationID {
	sum := sha256.Sum256([]byte("consultation\x00" + string(authority) + "\x00" + key))
	return domain.ConsultationID("k_" + hex.EncodeToString(sum[:10]))
}

// Conversion is what turning a consultation into a contact may add: the child's details (required when the
// consultation does not hold them, as Hackney's never do), whether the child is at immediate risk, and
// consent.
type Conversion struct {
	Child         *domain.Child   `json:"child,omitempty"`
	ImmediateHarm bool            `json:"immediateHarm,omitempty"`
	Consent       *domain.Consent `json:"consent,omitempty"`
	// Reason says why it became a referral (the audit keeps it).
	Reason string `json:"reason,omitempty"`
}

// Recorded is what recording a consultation did: the consultation, and the contact it became at once when
// the policy converts a consultation about a child at risk (Barnet).
type Recorded struct {
	Consultation *domain.Consultation
	Contact      *intake.Result
	// Duplicate: the request's key was recorded before; Consultation (and Contact) are that first one's.
	Duplicate bool
}

// Service records and acts on consultations.
type Service struct {
	workflow.Env
	// Intake creates the contact a consultation becomes (shared/intake.RecordContact: a recorded contact of
	// channel consultation, screened as any referral).
	Intake intake.Service
}

// Validate names every bad field of a consultation against the policy, as of now.
func (r Request) Validate(p *policy.Policy, now time.Time) error {
	var pr domain.Problems
	cp := p.Consultations
	if strings.TrimSpace(r.Consultee.Name) == "" {
		pr.Add("consultee.name", "is required: who sought the consultation")
	}
	if cp.WrittenSummary && r.Consultee.Email == "" && r.Consultee.Phone == "" {
		pr.Add("consultee.email", "an email or a phone number is required: the written summary goes to the person who sought the consultation")
	}
	if r.Consultee.Email != "" {
		if _, ok := domain.EmailAddress(r.Consultee.Email); !ok {
			pr.Add("consultee.email", "must be one email address, like name@example.org (no list, no line breaks)")
		}
	}
	switch pro := r.Consultee.Professional; {
	case cp.ProfessionalsOnly && pro != nil && !*pro:
		pr.Add("consultee.professional", "must be true (or left out): %s's consultation line is for professionals (consultations.professionalsOnly); a member of the public's worry about a child is a contact — record it as a phone contact or a referral", p.Name)
	case !cp.ProfessionalsOnly && pro == nil:
		pr.Add("consultee.professional", "is required: true (a professional: a teacher, health visitor, GP, police officer …) or false (a member of the public); it decides whether consent is expected of them if the consultation becomes a referral")
	}
	if strings.TrimSpace(r.Concerns) == "" {
		pr.Add("concerns", "is required: what the consultee described")
	}
	if r.Child != nil {
		if !cp.RecordAgainstChild {
			pr.Add("child", "%s keeps a log of calls only, never on a child's record (consultations.recordAgainstChild is false): leave the child's details out, or turn the consultation into a contact to refer the child", p.Name)
		} else {
			validChild(&pr, "child", *r.Child, now)
		}
	}
	if r.BasicChecks {
		switch {
		case !cp.BasicChecks:
			pr.Add("basicChecks", "%s runs no checks on a consultation (consultations.basicChecks is false)", p.Name)
		case r.Child == nil:
			pr.Add("basicChecks", "needs the child's details: without them no screening checks are undertaken")
		}
	}
	if cp.AskDSLConsulted && r.DSLConsulted == nil {
		pr.Add("dslConsulted", "is required: true or false — had the caller consulted their Designated Safeguarding Lead first?")
	}
	if !cp.AskDSLConsulted && r.DSLConsulted != nil {
		pr.Add("dslConsulted", "is not asked by %s's policy (consultations.askDSLConsulted is false)", p.Name)
	}
	if r.ChildAtRisk && cp.ConvertWhenAtRisk && r.Child == nil {
		pr.Add("child", "the child's details are required: a consultation about a child at risk becomes a referral at once")
	}
	if r.Consent != nil && !r.Consent.Status.Valid() {
		pr.Add("consent.status", "must be given, refused, not-sought or unknown")
	}
	return pr.Err()
}

// referrer is the consultee as the consultation keeps them: a professional when they said so, or when the
// line is for professionals only and they did not say.
func (c Consultee) referrer(p *policy.Policy) domain.Referrer {
	r := c.Referrer
	r.Professional = p.Consultations.ProfessionalsOnly
	if c.Professional != nil {
		r.Professional = *c.Professional
	}
	return r
}

func validChild(p *domain.Problems, at string, c domain.Child, now time.Time) {
	if strings.TrimSpace(c.FamilyName) == "" {
		p.Add(at+".familyName", "is required with the child's details")
	}
	if strings.TrimSpace(c.GivenName) == "" && !c.Unborn {
		p.Add(at+".givenName", "is required with the child's details")
	}
	if !c.DateOfBirth.IsZero() && c.DateOfBirth.Time(time.UTC).After(now) {
		p.Add(at+".dateOfBirth", "is in the future")
	}
}

// Record records a consultation in the log with its own reference, stamps the clocks the consulted event
// starts, puts it on the consultation-summary tray when a written summary is owed, runs the basic checks
// asked for, and — where the policy converts a consultation about a child at risk — turns it into a contact
// at once. It is never put on the rating tray.
func (s Service) Record(ctx context.Context, authority domain.AuthorityID, r Request) (Recorded, error) {
	p, err := s.Policies(authority)
	if err != nil {
		return Recorded{}, err
	}
	if !p.Consultations.Offered {
		return Recorded{}, domain.Errorf(domain.CodeConflict, "%s's policy offers no consultations (consultations.offered is false): record the call as a phone contact", p.Name)
	}
	now := s.Now()
	if err := r.Validate(p, now); err != nil {
		return Recorded{}, err
	}
	id := domain.NewConsultationID()
	if r.Key != "" {
		id = KeyedID(authority, r.Key)
		if out, ok, err := s.recordedBefore(ctx, authority, p, id, r); ok || err != nil {
			return out, err
		}
	}
	k := &domain.Consultation{ID: id, Authority: authority, ReceivedAt: now.UTC(), Consultee: r.Consultee.referrer(p),
		Concerns: r.Concerns, Advice: r.Advice, DSLConsulted: r.DSLConsulted, ChildAtRisk: r.ChildAtRisk, RecordedBy: r.RecordedBy,
		Deadlines: map[string]time.Time{}}
	if r.Child != nil {
		child := *r.Child
		k.Child = &child
	}
	open, err := p.LineOpen(now)
	if err != nil {
		return Recorded{}, err
	}
	k.OutsideLineHours = !open
	if r.BasicChecks {
		if k.Checks, err = s.basicChecks(ctx, authority, *k.Child, now, r.RecordedBy); err != nil {
			return Recorded{}, err
		}
	}
	ev, started, err := lifecycle.Consult(p, k, r.RecordedBy)
	if err != nil {
		return Recorded{}, err
	}
	if k.Checks != nil {
		ev.Detail["basicChecks"] = fmt.Sprintf("known %v, open case %v", k.Checks.Known, k.Checks.OpenCase)
	}
	var items []store.TrayItem
	if due, ok := started[policy.RuleConsultationSummary]; ok {
		items = append(items, store.TrayItem{ID: ItemID(k.ID), Tray: Tray, Authority: authority, DueAt: due, Rule: policy.RuleConsultationSummary})
	}
	cal, err := p.Calendar()
	if err != nil {
		return Recorded{}, err
	}
	if err := s.Store.CreateConsultation(ctx, k, store.Numbering{Prefix: p.ReferencePrefix, Year: now.In(cal.Location()).Year()}, ev, items); err != nil {
		if r.Key != "" && domain.ErrorCode(err) == domain.CodeConflict {
			// The same key recorded at the same moment by another request: that one's.
			if out, ok, err2 := s.recordedBefore(ctx, authority, p, id, r); ok || err2 != nil {
				return out, err2
			}
		}
		return Recorded{}, err
	}
	out := Recorded{Consultation: k}
	if r.ChildAtRisk && p.Consultations.ConvertWhenAtRisk {
		res, k2, err := s.Convert(ctx, authority, string(k.ID), Conversion{Consent: r.Consent,
			Reason: "the worker judged the child at risk: a consultation about a child at risk becomes a referral"}, r.RecordedBy)
		if err != nil {
			return out, err
		}
		out.Consultation, out.Contact = k2, &res
	}
	return out, nil
}

// recordedBefore is the consultation recorded under the request's key, when there is one: marked Duplicate,
// with the contact it became. One that the policy turns into a referral at once and whose conversion did not
// finish the first time is converted now (Convert is idempotent on the consultation).
func (s Service) recordedBefore(ctx context.Context, authority domain.AuthorityID, p *policy.Policy, id domain.ConsultationID, r Request) (Recorded, bool, error) {
	k, err := s.Store.GetConsultation(ctx, id)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return Recorded{}, false, nil
	}
	if err != nil {
		return Recorded{}, false, err
	}
	if k.Authority != authority {
		return Recorded{}, false, domain.Errorf(domain.CodeConflict, "the key was used for another authority's consultation")
	}
	if !sameRequest(k, r) {
		return Recorded{}, false, &domain.Error{Code: domain.CodeConflict, Message: "consultation " + string(k.Reference) +
			" was recorded under this key already, with other details"}
	}
	out := Recorded{Consultation: k, Duplicate: true}
	if k.Contact != nil {
		out.Contact = &intake.Result{Status: intake.StatusDuplicate, ContactID: k.Contact.ContactID, Reference: k.Contact.Reference}
	} else if k.ChildAtRisk && p.Consultations.ConvertWhenAtRisk {
		res, k2, err := s.Convert(ctx, authority, string(k.ID), Conversion{Consent: r.Consent,
			Reason: "the worker judged the child at risk: a consultation about a child at risk becomes a referral"}, r.RecordedBy)
		if err != nil {
			return out, true, err
		}
		out.Consultation, out.Contact = k2, &res
	}
	return out, true, nil
}

// sameRequest reports whether the consultation recorded under a key is the request's: what the caller said
// and who they are. The same key with other content is another consultation sent under a used key (a conflict,
// as an API Idempotency-Key used with another body is), never the first one shown as if it were this one.
func sameRequest(k *domain.Consultation, r Request) bool {
	return k.Concerns == r.Concerns && k.Advice == r.Advice && k.Consultee.Name == r.Consultee.Name &&
		k.Consultee.Phone == r.Consultee.Phone && k.Consultee.Email == r.Consultee.Email && (k.Child == nil) == (r.Child == nil) &&
		(k.Child == nil || *k.Child == *r.Child)
}

// ItemID is the id of a consultation's item on the consultation-summary tray.
func ItemID(id domain.ConsultationID) string { return id.SummaryItemID() }

// basicChecks looks the child up in the council's case records (the exact matches screening acts on, and how
// many fuzzier candidates there are): Bexley §5's "basic screening checks".
func (s Service) basicChecks(ctx context.Context, authority domain.AuthorityID, child domain.Child, now time.Time, by string) (*domain.ConsultationChecks, error) {
	cands, strong, err := cases.Candidates(ctx, s.Store, authority, child)
	if err != nil {
		return nil, err
	}
	ch := &domain.ConsultationChecks{At: now.UTC(), By: by, Candidates: len(cands)}
	if strong != nil {
		ch.Known = true
		ch.OpenCase = strong.OpenCase
		ch.AllocatedWorker = strong.AllocatedWorker
		ch.Unit = strong.ClosedUnit
		if !strong.ClosedAt.IsZero() {
			ch.ClosedOn = strong.ClosedAt.Format(time.DateOnly)
		}
	}
	return ch, nil
}

// Get reads an authority's consultation by id or by its reference (PREFIX-C-YYYY-NNNNNN); another
// authority's is not found.
func (s Service) Get(ctx context.Context, authority domain.AuthorityID, idOrRef string) (*domain.Consultation, error) {
	var (
		k   *domain.Consultation
		err error
	)
	switch {
	case domain.IsConsultationReference(idOrRef):
		k, err = s.Store.ConsultationByReference(ctx, authority, domain.Reference(strings.ToUpper(idOrRef)))
	case domain.ConsultationID(idOrRef).Valid():
		k, err = s.Store.GetConsultation(ctx, domain.ConsultationID(idOrRef))
	default:
		return nil, domain.Errorf(domain.CodeNotFound, "no consultation %q: give its id (k_…) or its reference (PREFIX-C-YYYY-NNNNNN)", idOrRef)
	}
	if err != nil {
		return nil, err
	}
	if k.Authority != authority {
		return nil, domain.Errorf(domain.CodeNotFound, "consultation not found")
	}
	return k, nil
}

// Summarise records the written summary of a consultation and sends it to the consultee (Bexley §5–6): the
// consultation, its audit event, the message and the close of the summary's tray item (which stops its
// clock) are one write (store.Change.Closes), so no summary sent is left owed on the tray. A second summary is
// a conflict.
func (s Service) Summarise(ctx context.Context, authority domain.AuthorityID, idOrRef, text, by string) (*domain.Consultation, error) {
	k, err := s.Get(ctx, authority, idOrRef)
	if err != nil {
		return nil, err
	}
	p, err := s.Policies(authority)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	cm := notify.Composer{Now: s.Now}
	k, err = s.Store.ChangeConsultation(ctx, k.ID, func(k *domain.Consultation) (store.Change, error) {
		ev, err := lifecycle.Summarise(p, k, now.UTC(), text, by)
		if err != nil {
			return store.Change{}, err
		}
		n, err := cm.ConsultationSummary(p, k)
		if err != nil {
			return store.Change{}, err
		}
		return store.Change{Events: []store.AuditEvent{ev}, Outbox: []store.Notification{n},
			Closes: []store.ItemClose{{ID: ItemID(k.ID), By: by}}}, nil
	})
	if err != nil {
		return nil, err
	}
	s.flush(ctx, k.ID)
	return k, nil
}

func (s Service) flush(ctx context.Context, id domain.ConsultationID) {
	ob, ok := s.Notifier.(workflow.OutboxNotifier)
	if !ok {
		return
	}
	// A failed send stays queued for the SLA sweep's flush (shared/notify); it never fails the action.
	if err := ob.Flush(ctx, id.AuditID()); err != nil && s.Log != nil {
		s.Log.WarnContext(ctx, "consultation summary queued, not yet sent", "consultation", id, "error", err.Error())
	}
}

// Convert turns a consultation into a contact (a referral of channel consultation, screened as any other),
// audited on the consultation; the contact's concerns carry the consultation's, its advice and its
// reference. A consultation turned into a contact already is a conflict naming that contact. The child's
// details are the conversion's, else the consultation's; without either it is invalid, naming child.
func (s Service) Convert(ctx context.Context, authority domain.AuthorityID, idOrRef string, cv Conversion, by string) (intake.Result, *domain.Consultation, error) {
	k, err := s.Get(ctx, authority, idOrRef)
	if err != nil {
		return intake.Result{}, nil, err
	}
	if k.Contact != nil {
		return intake.Result{}, nil, domain.Errorf(domain.CodeConflict, "consultation %s was turned into contact %s already", k.Reference, k.Contact.Reference)
	}
	child := cv.Child
	if child == nil {
		child = k.Child
	}
	if child == nil {
		return intake.Result{}, nil, &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "child",
			Message: "is required: this consultation holds no child's details (givenName, familyName, dateOfBirth)"}}}
	}
	concerns := k.Concerns + "\n\n(From consultation " + string(k.Reference) + ".)"
	if k.Advice != "" {
		concerns = k.Concerns + "\n\nAdvice given at consultation " + string(k.Reference) + ": " + k.Advice
	}
	consent := domain.Consent{Status: domain.ConsentUnknown}
	if cv.Consent != nil {
		consent = *cv.Consent
	}
	rec := intake.Recorded{Channel: domain.ChannelConsultation, Child: *child, Referrer: k.Consultee, Concerns: concerns,
		ImmediateHarm: intake.HarmOf(cv.ImmediateHarm), Consent: consent, RecordedBy: by}
	res, err := s.Intake.RecordContact(ctx, authority, rec, "consultation#"+string(k.ID))
	if errors.Is(err, domain.ErrConflict) {
		return intake.Result{}, nil, domain.Errorf(domain.CodeConflict, "consultation %s is being turned into a contact already", k.Reference)
	}
	if err != nil {
		return intake.Result{}, nil, err
	}
	if len(res) != 1 {
		return intake.Result{}, nil, domain.Errorf(domain.CodeInternal, "converting consultation %s made %d contacts", k.Reference, len(res))
	}
	why := cv.Reason
	if why == "" {
		why = "the consultation became a referral"
	}
	now := s.Now().UTC()
	k, err = s.Store.ChangeConsultation(ctx, k.ID, func(k *domain.Consultation) (store.Change, error) {
		ev, err := lifecycle.Converted(k, res[0].ContactID, res[0].Reference, now, by, why)
		if err != nil {
			return store.Change{}, err
		}
		return store.Change{Events: []store.AuditEvent{ev}}, nil
	})
	if err != nil {
		return intake.Result{}, nil, err
	}
	return res[0], k, nil
}

// List returns the authority's consultations, newest first.
func (s Service) List(ctx context.Context, authority domain.AuthorityID) ([]*domain.Consultation, error) {
	ks, err := s.Store.ListConsultations(ctx, authority)
	if err != nil {
		return nil, err
	}
	for i, j := 0, len(ks)-1; i < j; i, j = i+1, j-1 {
		ks[i], ks[j] = ks[j], ks[i]
	}
	return ks, nil
}
