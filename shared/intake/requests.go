package intake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
)

// Referral is a professional's online referral form (POST /v1/referrals): the fields the seeds' IACF/MARF
// forms ask for (Bexley seed §4 lists what the MASH social worker needs to decide).
type Referral struct {
	Children      []domain.Child           `json:"children"`
	Parents       []domain.Parent          `json:"parents"`
	Household     []domain.HouseholdMember `json:"household"`
	Referrer      domain.Referrer          `json:"referrer"`
	Concerns      string                   `json:"concerns"`
	ImmediateHarm bool                     `json:"immediateHarm"`
	Consent       domain.Consent           `json:"consent"`
	Flags         domain.Flags             `json:"flags"`
	// Harm is the harm to the child, described (Portsmouth §2.6: not a label such as FII).
	Harm string `json:"harm,omitempty"`
	// FamilyTold: whether the family was told before the referral, and why not (Barnet "How do I refer?":
	// required where the policy says so).
	FamilyTold *domain.FamilyTold `json:"familyTold,omitempty"`
	// Attachments are the files of an online form (the console's /refer; not part of the API's JSON).
	Attachments []FormAttachment `json:"-"`
	// SubmittedBy is the signed-in account that sent the form (console /refer), never from the request body.
	SubmittedBy string `json:"-"`
}

// PPN is a police protection notice (POST /v1/ppn).
type PPN struct {
	PoliceReference string          `json:"policeReference"`
	IncidentAt      time.Time       `json:"incidentAt"`
	Location        string          `json:"location"`
	Children        []PPNChild      `json:"children"`
	VoiceOfChild    string          `json:"voiceOfChild"`
	Circumstances   string          `json:"circumstances"`
	DomesticAbuse   bool            `json:"domesticAbuse"`
	Officer         domain.Referrer `json:"officer"`
	Parents         []domain.Parent `json:"parents"`
	// RestrictedInformation is for police-vetted readers only: written to the restricted record of each
	// child's contact, never to the contact, its concerns, lists, timelines, notifications or logs.
	RestrictedInformation *domain.RestrictedInformation `json:"restrictedInformation,omitempty"`
}

// PPNChild is a child present at the incident.
type PPNChild struct {
	domain.Child
	Injured         bool `json:"injured"`
	AtImmediateRisk bool `json:"atImmediateRisk"`
}

// Recorded is a contact a contact officer records (POST /v1/contacts): a phone call, a walk-in or a
// consultation (Bexley seed §5, Hackney §8).
type Recorded struct {
	Channel       domain.Channel           `json:"channel"`
	Child         domain.Child             `json:"child"`
	Parents       []domain.Parent          `json:"parents"`
	Household     []domain.HouseholdMember `json:"household"`
	Referrer      domain.Referrer          `json:"referrer"`
	Concerns      string                   `json:"concerns"`
	ImmediateHarm HarmAnswer               `json:"immediateHarm"`
	Consent       domain.Consent           `json:"consent"`
	Flags         domain.Flags             `json:"flags"`
	Harm          string                   `json:"harm,omitempty"`       // as Referral.Harm
	FamilyTold    *domain.FamilyTold       `json:"familyTold,omitempty"` // as Referral.FamilyTold, never required of a call
	// RecordedBy is who records it: the audit event's actor (the API sets the signed-in user).
	RecordedBy string `json:"recordedBy"`
	// TakenBy, when someone else took the call or saw the visitor, names them (kept in the audit event).
	TakenBy string `json:"takenBy,omitempty"`
	// ChildNotKnown lists the child's details the caller could not give (ChildDetails: givenName, familyName,
	// dateOfBirth): the contact is recorded without them, marked needsCompletion with what is missing, as an
	// email naming no child is, instead of being refused (a neighbour who does not know the child's surname
	// or date of birth) or recorded with a guessed value. A detail left empty and not listed is still
	// required, so that one forgotten is named.
	ChildNotKnown []string `json:"childNotKnown,omitempty"`
}

// HarmAnswer is the answer to "is a child at risk of immediate harm?" as a recorded contact gives it: yes,
// no, or not known (the caller could not say). In JSON it is true, false or "not-known" (omitted: false, as
// before "not-known" was taken). A not-known answer is never recorded as a no: the contact says immediate
// harm is still to be answered (extraction.missing "immediateHarm", as email intake leaves an unanswered
// question; domain.Contact.ImmediateHarmNotKnown).
type HarmAnswer string

// The immediate-harm answers (HarmNo is the zero value).
const (
	HarmNo       HarmAnswer = ""
	HarmYes      HarmAnswer = "yes"
	HarmNotKnown HarmAnswer = "not-known"
)

// Yes reports whether the answer is yes.
func (h HarmAnswer) Yes() bool { return h == HarmYes }

// HarmOf is a yes or no answer.
func HarmOf(yes bool) HarmAnswer {
	if yes {
		return HarmYes
	}
	return HarmNo
}

// harmAllowed lists immediateHarm's allowed JSON values (a 400's message).
const harmAllowed = `must be true, false or "not-known" (the caller did not know whether a child is at risk of immediate harm)`

// ParseHint is what the API's 400 says of a value it cannot read: the allowed values.
func (*HarmAnswer) ParseHint() string { return harmAllowed }

// UnmarshalJSON reads true, false, null or "not-known".
func (h *HarmAnswer) UnmarshalJSON(b []byte) error {
	switch strings.TrimSpace(string(b)) {
	case "true":
		*h = HarmYes
	case "false", "null":
		*h = HarmNo
	case `"not-known"`:
		*h = HarmNotKnown
	default:
		return errors.New("immediateHarm " + harmAllowed)
	}
	return nil
}

// MarshalJSON writes true, false or "not-known".
func (h HarmAnswer) MarshalJSON() ([]byte, error) {
	switch h {
	case HarmYes:
		return []byte("true"), nil
	case HarmNotKnown:
		return []byte(`"not-known"`), nil
	}
	return []byte("false"), nil
}

// RecordedChannels are the channels a contact recorded by staff comes by (Recorded.Channel): a phone call or a
// visitor at the front desk. A consultation is recorded by the consultation log (shared/consultations), never
// as a contact, even when POST /v1/contacts names channel consultation.
var RecordedChannels = []domain.Channel{domain.ChannelPhone, domain.ChannelWalkIn}

// RecordedHousehold is one call or visit about one or more children of a household (the console's "Record a
// call"): what the caller said, once (Recorded, whose Child and ChildNotKnown it does not use), and each child
// with the details the caller could not give. It makes one contact per child, as a referral does.
type RecordedHousehold struct {
	Recorded
	Children []RecordedChild `json:"children"`
}

// RecordedChild is a child of a recorded household, with the details the caller could not give
// (Recorded.ChildNotKnown). In JSON (POST /v1/contacts' "children") the child's fields and "notKnown" side
// by side, so that an error's field (children[1].dateOfBirth) is the body's own path.
type RecordedChild struct {
	domain.Child
	NotKnown []string `json:"notKnown,omitempty"`
}

// each is the household as one Recorded per child.
func (h RecordedHousehold) each() []Recorded {
	out := make([]Recorded, len(h.Children))
	for i, c := range h.Children {
		r := h.Recorded
		r.Child, r.ChildNotKnown = c.Child, slices.Clone(c.NotKnown)
		out[i] = r
	}
	return out
}

// Validate names every bad field of a recorded household, as of now: each child is validated as
// RecordContact validates one (Recorded.Validate), its fields named children[i].… (its not-known list
// children[i].notKnown); a field of the call (concerns, consent …) is named once.
func (h RecordedHousehold) Validate(now time.Time) error {
	var p domain.Problems
	switch {
	case len(h.Children) == 0:
		p.Add("children", "at least one child is required")
	case len(h.Children) > store.MaxHousehold:
		p.Add("children", "at most %d children in one call", store.MaxHousehold)
	}
	probe := h.Recorded
	if len(h.Children) == 0 {
		probe.ChildNotKnown = ChildDetails // the call's own fields only
	}
	rs := h.each()
	if len(rs) == 0 {
		rs = []Recorded{probe}
	}
	for i, r := range rs {
		err := r.Validate(now)
		if err == nil {
			continue
		}
		var de *domain.Error
		if !errors.As(err, &de) {
			return err
		}
		at := "children[" + strconv.Itoa(i) + "]"
		for _, f := range de.Fields {
			switch {
			case strings.HasPrefix(f.Field, "child."):
				if len(h.Children) == 0 {
					continue
				}
				f.Field = at + strings.TrimPrefix(f.Field, "child")
			case f.Field == "childNotKnown":
				f.Field = at + ".notKnown"
			}
			if !slices.ContainsFunc(p, func(g domain.FieldError) bool { return g.Field == f.Field }) {
				p = append(p, f)
			}
		}
	}
	return p.Err()
}

// ChildDetails are the child's details a recorded contact may give as not known (Recorded.ChildNotKnown).
var ChildDetails = []string{"givenName", "familyName", "dateOfBirth"}

// NotKnown reports whether a worker typed that a detail is not known ("not known", "unknown", "n/k"), in a
// form field or a command-line flag, rather than a value.
func NotKnown(s string) bool {
	switch strings.ToLower(strings.Join(strings.Fields(s), " ")) {
	case "not known", "unknown", "n/k", "nk", "not given", "don't know", "dont know":
		return true
	}
	return false
}

// missingChild names, in the extraction's words, what a recorded contact's child lacks: child.name when the
// caller gave no name at all; child.givenName or child.familyName when only one of them is missing (a child
// named by a given name alone lacks only the family name, as email intake says of one); child.dateOfBirth
// when there is no date of birth, even beside an age as told (whether the contact still needs its details
// is the domain's rule, domain.Child.DetailsStillNeeded).
func (r Recorded) missingChild() []string {
	var m []string
	noGiven := strings.TrimSpace(r.Child.GivenName) == "" && !r.Child.Unborn
	noFamily := strings.TrimSpace(r.Child.FamilyName) == ""
	switch {
	case noGiven && noFamily:
		m = append(m, "child.name")
	case noGiven:
		m = append(m, "child.givenName")
	case noFamily:
		m = append(m, "child.familyName")
	}
	if r.Child.DateOfBirth.IsZero() && !r.Child.Unborn {
		m = append(m, "child.dateOfBirth")
	}
	return m
}

// Validate names every bad field of a referral (a domain invalid error), as of now.
func (r Referral) Validate(now time.Time) error {
	var p domain.Problems
	if len(r.Children) == 0 {
		p.Add("children", "at least one child is required")
	}
	if len(r.Children) > store.MaxHousehold {
		p.Add("children", "at most %d children in one referral", store.MaxHousehold)
	}
	for i, c := range r.Children {
		validChild(&p, "children["+strconv.Itoa(i)+"]", c, now)
	}
	if strings.TrimSpace(r.Referrer.Name) == "" {
		p.Add("referrer.name", "is required (professionals cannot refer anonymously)")
	}
	if r.Referrer.Email == "" && r.Referrer.Phone == "" {
		p.Add("referrer.email", "an email or a phone number is required for the acknowledgement and feedback")
	}
	validEmail(&p, "referrer.email", r.Referrer.Email)
	if strings.TrimSpace(r.Concerns) == "" {
		p.Add("concerns", "is required")
	}
	validConsent(&p, r.Consent)
	validFamilyTold(&p, r.FamilyTold)
	validAttachments(&p, r.Attachments)
	return p.Err()
}

// validFamilyTold: an answer that the family was not told says why (Barnet "How do I refer?": tell the family
// before referring unless that may increase the risk of harm to the child).
func validFamilyTold(p *domain.Problems, f *domain.FamilyTold) {
	if f != nil && !f.Told && strings.TrimSpace(f.Reason) == "" {
		p.Add("familyTold.reason", "is required when the family was not told: why not (for example, telling them may increase the risk of harm to the child)")
	}
}

// familyToldRequired names the missing answer where the policy requires it (Barnet "How do I refer?":
// "Before making a referral you must tell the family").
func familyToldRequired(pol *policy.Policy, f *domain.FamilyTold) error {
	if pol.FamilyToldRequired() && f == nil {
		return &domain.Error{Code: domain.CodeInvalid, Fields: []domain.FieldError{{Field: "familyTold",
			Message: "is required: say whether you told the family before referring ({\"told\": true}), or why not ({\"told\": false, \"reason\": \"...\"})"}}}
	}
	return nil
}

// Validate names every bad field of a PPN, as of now.
func (n PPN) Validate(now time.Time) error {
	var p domain.Problems
	if strings.TrimSpace(n.PoliceReference) == "" {
		p.Add("policeReference", "is required")
	}
	if n.IncidentAt.IsZero() {
		p.Add("incidentAt", "is required (RFC3339)")
	} else if n.IncidentAt.After(now.Add(time.Hour)) {
		p.Add("incidentAt", "is in the future")
	}
	if strings.TrimSpace(n.Circumstances) == "" {
		p.Add("circumstances", "is required")
	}
	if len(n.Children) == 0 {
		p.Add("children", "at least one child present is required")
	}
	if len(n.Children) > store.MaxHousehold {
		p.Add("children", "at most %d children in one PPN", store.MaxHousehold)
	}
	if n.RestrictedInformation != nil && len(n.Children) > store.MaxHouseholdRestricted {
		p.Add("children", "at most %d children in one PPN with restricted information", store.MaxHouseholdRestricted)
	}
	for i, c := range n.Children {
		validChild(&p, "children["+strconv.Itoa(i)+"]", c.Child, now)
	}
	validEmail(&p, "officer.email", n.Officer.Email)
	n.RestrictedInformation.Validate(&p, "restrictedInformation")
	return p.Err()
}

// Validate names every bad field of a recorded contact, as of now (an empty consent status reads as
// unknown).
func (r Recorded) Validate(now time.Time) error {
	var p domain.Problems
	if !slices.Contains(RecordedChannels, r.Channel) && r.Channel != domain.ChannelConsultation {
		p.Add("channel", "must be phone, walk-in or consultation")
	}
	if r.Channel != domain.ChannelConsultation || r.Child.FamilyName != "" {
		validRecordedChild(&p, r.Child, r.ChildNotKnown, now)
	}
	if strings.TrimSpace(r.Concerns) == "" {
		p.Add("concerns", "is required")
	}
	if r.RecordedBy == "" {
		p.Add("recordedBy", "is required")
	}
	if r.Consent.Status != "" {
		validConsent(&p, r.Consent)
	}
	switch r.ImmediateHarm {
	case HarmNo, HarmYes, HarmNotKnown:
	default:
		p.Add("immediateHarm", "%s", harmAllowed)
	}
	validFamilyTold(&p, r.FamilyTold)
	validEmail(&p, "referrer.email", r.Referrer.Email)
	validPeople(&p, r.Parents, r.Household, now)
	return p.Err()
}

// validPeople names each parent or carer and household member given without a name (an entry naming nobody is
// nothing a partner agency could check: leave it out when the caller does not know the name), and a household
// member's date of birth in the future. Every detail of them is optional; an entry given is named.
func validPeople(p *domain.Problems, parents []domain.Parent, household []domain.HouseholdMember, now time.Time) {
	named := func(list string, i int, name string) {
		if strings.TrimSpace(name) == "" {
			p.Add(list+"["+strconv.Itoa(i)+"].name", "is required for each one given: leave it out if the name is not known")
		}
	}
	for i, x := range parents {
		named("parents", i, x.Name)
	}
	for i, x := range household {
		named("household", i, x.Name)
		if x.DateOfBirth.Time(time.UTC).After(now) {
			p.Add("household["+strconv.Itoa(i)+"].dateOfBirth", "is in the future")
		}
	}
}

// validRecordedChild is validChild for a call or a visit: a detail the worker recorded as not known
// (Recorded.ChildNotKnown) may be empty.
func validRecordedChild(p *domain.Problems, c domain.Child, notKnown []string, now time.Time) {
	var q domain.Problems
	validChild(&q, "child", c, now)
	for _, e := range q {
		if d, ok := strings.CutPrefix(e.Field, "child."); ok && slices.Contains(notKnown, d) && strings.HasPrefix(e.Message, "is required") {
			continue
		}
		if strings.HasPrefix(e.Message, "is required") {
			e.Message += "; if the caller does not know it, record it as not known"
		}
		*p = append(*p, e)
	}
	for _, d := range notKnown {
		if !slices.Contains(ChildDetails, d) {
			p.Add("childNotKnown", "must list only %s", strings.Join(ChildDetails, ", "))
			break
		}
	}
}

func recordedDetail(r Recorded) map[string]string {
	d := map[string]string{"channel": string(r.Channel)}
	if m := r.missingChild(); len(m) > 0 && r.Channel != domain.ChannelConsultation {
		d["notKnown"] = strings.Join(m, ",")
	}
	if r.TakenBy != "" && r.TakenBy != r.RecordedBy {
		d["takenBy"] = r.TakenBy
	}
	if r.ImmediateHarm == HarmNotKnown {
		d["immediateHarm"] = string(HarmNotKnown)
	}
	return d
}

func validChild(p *domain.Problems, at string, c domain.Child, now time.Time) {
	if strings.TrimSpace(c.GivenName) == "" && !c.Unborn {
		p.Add(at+".givenName", "is required")
	}
	if strings.TrimSpace(c.FamilyName) == "" {
		p.Add(at+".familyName", "is required")
	}
	if c.DateOfBirth.IsZero() && !c.Unborn {
		p.Add(at+".dateOfBirth", "is required (YYYY-MM-DD or DD/MM/YYYY)")
	} else if !c.DateOfBirth.IsZero() && !c.Unborn && c.DateOfBirth.Time(time.UTC).After(now) {
		p.Add(at+".dateOfBirth", "is in the future")
	}
}

// validEmail: an address given must be exactly one address (domain.EmailAddress), or the acknowledgement and
// feedback would go nowhere (issue #13: "amara at nhs dot net" was written, then its acknowledgement failed
// forever).
func validEmail(p *domain.Problems, field, addr string) {
	if addr == "" {
		return
	}
	if _, ok := domain.EmailAddress(addr); !ok {
		p.Add(field, "must be one email address, like name@example.org (no list, no line breaks)")
	}
}

func validConsent(p *domain.Problems, c domain.Consent) {
	if !c.Status.Valid() {
		p.Add("consent.status", "must be given, refused, not-sought or unknown")
	}
	if (c.Status == domain.ConsentRefused || c.Status == domain.ConsentNotSought) && strings.TrimSpace(c.Reason) == "" {
		p.Add("consent.reason", "is required when consent was refused or not sought")
	}
}

// ClientKey scopes an API client's Idempotency-Key to the route and the caller, so that one client's key can
// never answer for another route or another caller, nor pre-empt a natural key such as a PPN's police
// reference (issue #13: a referral sent with "Idempotency-Key: ppn:<ref>" swallowed the real PPN). "" when the
// client sent no key.
func ClientKey(route, caller, key string) string {
	if key == "" {
		return ""
	}
	return route + "\x00" + caller + "\x00" + key
}

// A client key is stored twice in the contact's write: bare ("client:<key>") and with a hash of the request
// ("client:<key>\x00sha256:<hash>"). The same key with the same request finds both (the first result again);
// the same key with another request finds only the bare one (a conflict, never the first contacts).
const (
	clientKeyPrefix = "client:"
	bodyHashSep     = "\x00sha256:"
)

// apiKeys are the keys of an API request sent with a client key (scoped by ClientKey): bare and with the
// request's hash. The request is hashed as decoded (canonical JSON), so spacing and field order do not count.
func apiKeys(authority domain.AuthorityID, key string, request any) []store.IdempotencyKey {
	if key == "" {
		return nil
	}
	b, err := json.Marshal(request)
	if err != nil {
		b = []byte(fmt.Sprintf("%#v", request))
	}
	sum := sha256.Sum256(b)
	bare := store.IdempotencyKey{Kind: store.KeyAPI, Authority: authority, Value: clientKeyPrefix + key}
	withBody := bare
	withBody.Value += bodyHashSep + hex.EncodeToString(sum[:])
	return []store.IdempotencyKey{bare, withBody}
}

// isBareClientKey: the key that says "this client key was used", whatever the request.
func isBareClientKey(k store.IdempotencyKey) bool {
	return k.Kind == store.KeyAPI && strings.HasPrefix(k.Value, clientKeyPrefix) && !strings.Contains(k.Value, bodyHashSep)
}

// errKeyReused is the answer to a client key used before with another request.
var errKeyReused = &domain.Error{Code: domain.CodeConflict, Message: "Idempotency-Key already used with a different request",
	Fields: []domain.FieldError{{Field: "Idempotency-Key", Message: "was already used on this route with a different body: send a new key for a new request"}}}

// CreateReferral validates a professional's referral and creates one contact per child. A repeated
// Idempotency-Key returns the first result as a duplicate.
func (s Service) CreateReferral(ctx context.Context, authority domain.AuthorityID, r Referral, idemKey string) ([]Result, error) {
	pol, err := s.Policies(authority)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	if err := errors.Join(r.Validate(now), familyToldRequired(pol, r.FamilyTold)); err != nil {
		return nil, joinProblems(err)
	}
	keys := apiKeys(authority, idemKey, r)
	r.Referrer.Professional = true
	ds := make([]draft, 0, len(r.Children))
	for _, child := range r.Children {
		ds = append(ds, draft{contact: &domain.Contact{ID: domain.NewContactID(), Authority: authority, Channel: domain.ChannelForm,
			ReceivedAt: now, Status: domain.StatusReceived, Child: child, Parents: r.Parents, Household: r.Household,
			Referrer: r.Referrer, Concerns: r.Concerns, ImmediateHarm: r.ImmediateHarm, Consent: r.Consent, Flags: r.Flags,
			Harm: strings.TrimSpace(r.Harm), FamilyTold: r.FamilyTold,
			LinkedTo: []domain.ContactID{}, Deadlines: map[string]time.Time{}, SubmittedBy: r.SubmittedBy},
			event: store.AuditEvent{Actor: "intake-api", Action: "contact.created", Detail: map[string]string{"channel": "form"}}})
	}
	ds[0].keys = keys
	// A form's files are kept before the contacts are written and recorded on each child's contact in its
	// own write, as an email's are.
	kept, err := s.keepFormAttachments(ctx, authority, r.Attachments)
	if err != nil {
		return nil, err
	}
	if kept != nil {
		for i := range ds {
			ds[i].more = append(ds[i].more, *kept)
		}
	}
	return s.create(ctx, ds, true)
}

// CreatePPN records a police protection notice: one contact per child present. A child injured or at
// immediate risk makes it immediate harm (EDT at once when the MASH is closed). The police reference is an
// idempotency key together with the PPN's content: the same PPN sent twice is one set of contacts, and a PPN
// sent again under the same reference with something new is an update of the first (ppnUpdate), never
// dropped (issue #13).
func (s Service) CreatePPN(ctx context.Context, authority domain.AuthorityID, n PPN, idemKey string) ([]Result, error) {
	if _, err := s.Policies(authority); err != nil {
		return nil, err
	}
	now := s.Now()
	if err := n.Validate(now); err != nil {
		return nil, err
	}
	clientKeys := apiKeys(authority, idemKey, n)
	refKey, contentKey := ppnKeys(authority, n)
	// The same reference and content (a retry, a second send): the first result. A client key used with
	// another body: 409.
	if rs, ok, err := s.existingRequest(ctx, append([]store.IdempotencyKey{contentKey}, clientKeys...)); err != nil || ok {
		return rs, err
	}
	restricted, err := s.KeepRestricted(ctx, authority, "ppn", n.PoliceReference, "intake-api", n.RestrictedInformation)
	if err != nil {
		return nil, err
	}
	if first, ok, err := s.Store.LookupKey(ctx, refKey); err != nil {
		return nil, err
	} else if ok {
		return s.ppnUpdate(ctx, first, n, restricted, append([]store.IdempotencyKey{contentKey}, clientKeys...))
	}
	ds := make([]draft, 0, len(n.Children))
	for _, child := range n.Children {
		ds = append(ds, ppnDraft(authority, now, n, child, restricted))
	}
	ds[0].keys = append([]store.IdempotencyKey{refKey, contentKey}, clientKeys...)
	res, err := s.create(ctx, ds, true)
	if err == nil && len(res) > 0 && res[0].Status == StatusDuplicate {
		// Another PPN under this reference was written first, concurrently: this one updates it unless it is
		// the same.
		if _, same, err := s.Store.LookupKey(ctx, contentKey); err != nil || same {
			return res, err
		}
		first, ok, err := s.Store.LookupKey(ctx, refKey)
		if err != nil || !ok {
			return res, err
		}
		return s.ppnUpdate(ctx, first, n, restricted, append([]store.IdempotencyKey{contentKey}, clientKeys...))
	}
	return res, err
}

// ppnKeys are a PPN's idempotency keys: its police reference alone (which PPN it is), and the reference with
// a hash of the whole notice as sent (the same notice again is a duplicate).
func ppnKeys(authority domain.AuthorityID, n PPN) (ref, content store.IdempotencyKey) {
	b, err := json.Marshal(n)
	if err != nil {
		b = []byte(fmt.Sprintf("%#v", n))
	}
	sum := sha256.Sum256(b)
	ref = store.IdempotencyKey{Kind: store.KeyAPI, Authority: authority, Value: "ppn:" + n.PoliceReference}
	content = ref
	content.Value += contentSep + hex.EncodeToString(sum[:])
	return ref, content
}

// ppnConcerns is what a PPN says about the children: the circumstances and the voice of the child.
func ppnConcerns(n PPN) string {
	concerns := n.Circumstances
	if n.VoiceOfChild != "" {
		concerns += "\n\nVoice of the child: " + n.VoiceOfChild
	}
	return concerns
}

// ppnDraft is the contact a PPN makes for one child present.
func ppnDraft(authority domain.AuthorityID, now time.Time, n PPN, child PPNChild, restricted []store.RestrictedRecord) draft {
	officer := n.Officer
	officer.Professional = true
	if officer.Organisation == "" {
		officer.Organisation = "Police"
	}
	return draft{contact: &domain.Contact{ID: domain.NewContactID(), Authority: authority, Channel: domain.ChannelPPN,
		ReceivedAt: now, Status: domain.StatusReceived, Child: child.Child, Parents: n.Parents, Referrer: officer,
		Concerns: ppnConcerns(n), ImmediateHarm: child.Injured || child.AtImmediateRisk,
		Consent:    domain.Consent{Status: domain.ConsentNotSought, Reason: "police protection notice"},
		IncidentAt: n.IncidentAt.UTC(),
		Flags:      domain.Flags{PPN: true, DomesticAbuse: n.DomesticAbuse}, LinkedTo: []domain.ContactID{}, Deadlines: map[string]time.Time{}},
		event: store.AuditEvent{Actor: "intake-api", Action: "contact.created",
			Detail: map[string]string{"channel": "ppn", "incidentAt": n.IncidentAt.UTC().Format(time.RFC3339)}},
		restricted: restricted}
}

// ppnUpdate takes a PPN sent again under a police reference already received, with other content (issue #13,
// as for a re-sent email): for each child of the first PPN it names again, the new circumstances are added to
// that child's contact as an update with the time it arrived and its source, its restricted information to the
// contact's restricted records, and a rise in risk (the child now injured or at immediate risk, domestic abuse
// now) re-routes it: the EDT told now when the MASH is closed, the MASH manager when it is open. A child the
// first PPN did not name is a new contact, linked to the first. Nothing new at all (a notice the first one
// already holds word for word) is a duplicate. keys (the content key and any client keys) then point at the
// first contact, so the same notice again is a duplicate.
func (s Service) ppnUpdate(ctx context.Context, firstID domain.ContactID, n PPN, restricted []store.RestrictedRecord, keys []store.IdempotencyKey) ([]Result, error) {
	first, err := s.Store.GetContact(ctx, firstID)
	if err != nil {
		return nil, err
	}
	household := []*domain.Contact{first}
	if first.HouseholdID != "" {
		for _, l := range first.LinkedTo {
			c, err := s.Store.GetContact(ctx, l)
			if err != nil {
				return nil, err
			}
			household = append(household, c)
		}
	}
	byChild := map[string]*domain.Contact{}
	for _, c := range household {
		if k := c.Child.IdentityKey(); k != "" {
			byChild[k] = c
		}
	}
	_, contentKey := ppnKeys(first.Authority, n)
	tag := strings.TrimPrefix(contentKey.Value, "ppn:"+n.PoliceReference+contentSep)
	text := ppnConcerns(n)
	now := s.Now()
	var out []Result
	var fresh []draft
	updated := false
	for _, child := range n.Children {
		c := byChild[child.IdentityKey()]
		if c == nil {
			d := ppnDraft(first.Authority, now, n, child, restricted)
			d.contact.LinkedTo = append(d.contact.LinkedTo, first.ID)
			d.more = append(d.more, store.AuditEvent{Actor: "intake-api", Action: "contact.ppn-child-added",
				Reason: "a child the first PPN under this police reference did not name: a new contact, linked to the first",
				Detail: map[string]string{"firstContact": string(first.ID)}})
			fresh = append(fresh, d)
			continue
		}
		harm := child.Injured || child.AtImmediateRisk
		same := strings.Contains(c.Concerns, strings.TrimSpace(text)) && (!harm || c.ImmediateHarm) &&
			(!n.DomesticAbuse || c.Flags.DomesticAbuse) && len(restricted) == 0
		if !same {
			if err := s.AddUpdate(ctx, c, Update{Tag: tag, Text: text, ImmediateHarm: harm, Flags: domain.Flags{DomesticAbuse: n.DomesticAbuse},
				Source: "from the police (a PPN sent again under the same police reference)", Actor: "intake-api", From: "police",
				Reason: "a PPN under a police reference already received, with new content: added as an update",
				Detail: map[string]string{"channel": "ppn"}, Restricted: restricted}); err != nil {
				return nil, err
			}
			updated = true
		}
		if c, err = s.Store.GetContact(ctx, c.ID); err != nil {
			return nil, err
		}
		out = append(out, Result{Status: StatusLinked, ContactID: c.ID, Reference: c.Reference, Authority: c.Authority})
	}
	if len(fresh) > 0 {
		fresh[0].keys = keys
		created, err := s.create(ctx, fresh, false)
		if err != nil {
			return nil, err
		}
		out = append(out, created...)
	} else {
		for _, k := range keys {
			if err := s.Store.PutIdempotencyKey(ctx, k, first.ID); err != nil && domain.ErrorCode(err) != domain.CodeDuplicate {
				return nil, err
			}
		}
	}
	if !updated && len(fresh) == 0 {
		for i := range out {
			out[i].Status = StatusDuplicate
		}
	}
	return out, nil
}

// KeepRestricted stores restricted information's attachments (blobs, never the table) under
// restricted/<authority>/<source>-<hash of the text and reference>-NN (the file name is kept as data only) and returns the restricted record to
// write with each contact (nil when there is none). The keys name no person.
func (s Service) KeepRestricted(ctx context.Context, authority domain.AuthorityID, source, ref, by string, ri *domain.RestrictedInformation) ([]store.RestrictedRecord, error) {
	if ri == nil {
		return nil, nil
	}
	h := sha256.Sum256([]byte(ri.Text + "\x00" + ref))
	rec := store.RestrictedRecord{Source: "police", Classification: source, Text: ri.Text, RecordedBy: by}
	for i, a := range ri.Attachments {
		key := fmt.Sprintf("restricted/%s/%s-%x-%02d", authority, source, h[:12], i)
		ct := a.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		if err := s.Blobs.Put(ctx, key, a.Content, ct); err != nil {
			return nil, err
		}
		rec.Attachments = append(rec.Attachments, store.RestrictedAttachment{Filename: a.Filename, ContentType: ct, Key: key, Size: len(a.Content)})
	}
	return []store.RestrictedRecord{rec}, nil
}

// KindWrittenFormChase asks a phone referrer for the written form they owe.
const KindWrittenFormChase = domain.NoticeWrittenFormChase

// WrittenFormTray holds immediate-harm phone contacts awaiting their written form.
const WrittenFormTray = string(domain.TrayWrittenForm)

// RecordContact records a phone call, walk-in or consultation. Where the policy has an immediate-harm-form
// rule (Portsmouth seed §7.5: phone, then the IACF within 24 hours) an immediate-harm phone call is tracked
// until the written form arrives, and chased when it is late.
func (s Service) RecordContact(ctx context.Context, authority domain.AuthorityID, r Recorded, idemKey string) ([]Result, error) {
	if r.Consent.Status == "" {
		r.Consent.Status = domain.ConsentUnknown
	}
	if err := r.Validate(s.Now()); err != nil {
		return nil, err
	}
	return s.record(ctx, authority, []Recorded{r}, apiKeys(authority, idemKey, r))
}

// RecordHousehold records one call or visit about one or more children of a household: one contact per child,
// validated as RecordContact validates one (RecordedHousehold.Validate), written in one atomic write with one
// household id, each linked to the others, as a referral's children are. A repeated key gives the first
// result as duplicates.
func (s Service) RecordHousehold(ctx context.Context, authority domain.AuthorityID, h RecordedHousehold, idemKey string) ([]Result, error) {
	if h.Consent.Status == "" {
		h.Consent.Status = domain.ConsentUnknown
	}
	if err := h.Validate(s.Now()); err != nil {
		return nil, err
	}
	return s.record(ctx, authority, h.each(), apiKeys(authority, idemKey, h))
}

// record writes validated recorded contacts (one per child of the call), keyed by keys, and tracks each
// immediate-harm call's written form where the policy asks for one.
func (s Service) record(ctx context.Context, authority domain.AuthorityID, rs []Recorded, keys []store.IdempotencyKey) ([]Result, error) {
	_, err := s.Policies(authority) // the written-form clock is the lifecycle's (lifecycle.Receive)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	ds := make([]draft, len(rs))
	byID := map[domain.ContactID]*domain.Contact{}
	for i, r := range rs {
		c := &domain.Contact{ID: domain.NewContactID(), Authority: authority, Channel: r.Channel, ReceivedAt: now,
			Status: domain.StatusReceived, Child: r.Child, Parents: r.Parents, Household: r.Household, Referrer: r.Referrer,
			Concerns: r.Concerns, ImmediateHarm: r.ImmediateHarm.Yes(), Consent: r.Consent, Flags: r.Flags,
			Harm: strings.TrimSpace(r.Harm), FamilyTold: r.FamilyTold,
			LinkedTo: []domain.ContactID{}, Deadlines: map[string]time.Time{}}
		if missing := r.missingChild(); len(missing) > 0 && r.Channel != domain.ChannelConsultation {
			// Recorded as not known: listed as missing, and the screener completes the child while the domain's
			// rule for a completed child still names something (an age as told is enough without a date of
			// birth: domain.Child.DetailsStillNeeded, as domain.Contact.CompleteChild decides).
			c.Flags.NeedsCompletion = len(r.Child.DetailsStillNeeded()) > 0
			c.Extraction = &domain.Extraction{Fields: []domain.FieldSource{}, Missing: missing}
		}
		if r.ImmediateHarm == HarmNotKnown {
			// The caller did not know: still to be answered, never a no (as email intake leaves a question the
			// message does not answer).
			if c.Extraction == nil {
				c.Extraction = &domain.Extraction{Fields: []domain.FieldSource{}}
			}
			c.Extraction.Missing = append(c.Extraction.Missing, domain.MissingImmediateHarm)
		}
		ds[i] = draft{contact: c, event: store.AuditEvent{Actor: r.RecordedBy, Action: "contact.created", Detail: recordedDetail(r)}}
		byID[c.ID] = c
	}
	ds[0].keys = keys
	res, err := s.create(ctx, ds, true)
	if err != nil {
		return nil, err
	}
	for _, x := range res {
		c, ok := byID[x.ContactID]
		if x.Status == StatusDuplicate || !ok {
			// A retry: the first attempt may have written the contact and failed before its tray item.
			if c, err = s.Store.GetContact(ctx, x.ContactID); err != nil {
				return nil, err
			}
		}
		if !c.Flags.AwaitingWrittenForm {
			continue
		}
		formDue := c.Deadlines[policy.RuleImmediateHarmForm]
		if formDue.IsZero() {
			continue
		}
		if _, err := s.Store.PutTrayItem(ctx, store.TrayItem{ID: string(c.ID) + "#" + WrittenFormTray, Tray: WrittenFormTray,
			Authority: authority, ContactID: c.ID, DueAt: formDue.UTC(), Rule: policy.RuleImmediateHarmForm}); err != nil && domain.ErrorCode(err) != domain.CodeConflict {
			return nil, err
		}
	}
	return res, nil
}

// joinProblems merges the field errors of joined invalid errors into one, so a 400 names every bad field.
func joinProblems(err error) error {
	var p domain.Problems
	var msgs []string
	for _, e := range unjoin(err) {
		var de *domain.Error
		if !errors.As(e, &de) || de.Code != domain.CodeInvalid {
			return err
		}
		p = append(p, de.Fields...)
		if de.Message != "" {
			msgs = append(msgs, de.Message)
		}
	}
	if len(p) == 0 {
		return err
	}
	out := p.Err().(*domain.Error)
	if len(msgs) > 0 && out.Message == "" {
		out.Message = strings.Join(msgs, "; ")
	}
	return out
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
