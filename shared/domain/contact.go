package domain

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// ContactID identifies one contact (one child). Opaque; safe to log and to carry in Step Functions payloads.
type ContactID string

// HouseholdID links the contacts of children who arrived together.
type HouseholdID string

// AuthorityID is the short, lower-case name of a council: the base name of its policy file in infra/authorities.
type AuthorityID string

// NewContactID returns a fresh random contact id ("c_" + 20 hex characters).
func NewContactID() ContactID { return ContactID("c_" + randomHex(10)) }

// NewHouseholdID returns a fresh random household id.
func NewHouseholdID() HouseholdID { return HouseholdID("h_" + randomHex(10)) }

// NewID returns a fresh random id with the given prefix, for records other than contacts.
func NewID(prefix string) string { return prefix + "_" + randomHex(10) }

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		// crypto/rand never fails on supported platforms (Go 1.24+ documents it as fatal inside the runtime).
		return strings.Repeat("0", 2*n)
	}
	return hex.EncodeToString(b)
}

var contactIDPattern = regexp.MustCompile(`^c_[0-9a-f]{20}$`)

// ParseContactID validates an id from outside (URL path, CLI argument).
func ParseContactID(s string) (ContactID, error) {
	if !contactIDPattern.MatchString(s) {
		return "", &Error{Code: CodeInvalid, Fields: []FieldError{{Field: "id", Message: "is not a contact id (c_ and 20 hex digits)"}}}
	}
	return ContactID(s), nil
}

// Reference is the number the referrer is given: <PREFIX>-<YYYY>-<6 digits>, e.g. HAC-2027-000123
// (Barnet seed "How do I refer?": an acknowledgement email with a reference number).
type Reference string

var (
	referencePattern = regexp.MustCompile(`^([A-Z]{2,5})-(\d{4})-(\d{6})$`)
	referencePrefix  = regexp.MustCompile(`^[A-Z]{2,5}$`)
)

// FormatReference builds a reference from its parts. seq must be in 1..999999.
func FormatReference(prefix string, year, seq int) (Reference, error) {
	if !referencePrefix.MatchString(prefix) {
		return "", Errorf(CodeInvalid, "reference prefix %q must be 2-5 capital letters", prefix)
	}
	if seq < 1 || seq > 999999 {
		return "", Errorf(CodeInvalid, "reference sequence %d out of range 1..999999", seq)
	}
	if year < 2000 || year > 9999 {
		return "", Errorf(CodeInvalid, "reference year %d out of range", year)
	}
	return Reference(fmt.Sprintf("%s-%04d-%06d", prefix, year, seq)), nil
}

// ParseReference splits a reference into prefix, year and sequence.
func ParseReference(s string) (prefix string, year, seq int, err error) {
	m := referencePattern.FindStringSubmatch(s)
	if m == nil {
		return "", 0, 0, &Error{Code: CodeInvalid, Fields: []FieldError{{Field: "reference", Message: "is not of the form PREFIX-YYYY-NNNNNN"}}}
	}
	year, _ = strconv.Atoi(m[2])
	seq, _ = strconv.Atoi(m[3])
	return m[1], year, seq, nil
}

// Date is a calendar date without time or zone, written YYYY-MM-DD.
type Date struct{ Y, M, D int }

// ParseDate reads YYYY-MM-DD, or a UK day-first date (14/02/2019, 14-02-2019, 14.02.2019; docs/architecture.md: dates
// written by people in the UK are day-first).
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02", "02/01/2006", "2/1/2006", "02-01-2006", "02.01.2006", "2 January 2006", "2 Jan 2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return Date{t.Year(), int(t.Month()), t.Day()}, nil
		}
	}
	return Date{}, fmt.Errorf("%q is not a date (YYYY-MM-DD or DD/MM/YYYY)", s)
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == Date{} }

func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Y, d.M, d.D)
}

// Time returns midnight of d in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Y, time.Month(d.M), d.D, 0, 0, 0, 0, loc)
}

// MarshalText writes YYYY-MM-DD (empty for the zero date).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads YYYY-MM-DD or a UK day-first date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Child is the subject of one contact.
type Child struct {
	GivenName   string `json:"givenName"`
	FamilyName  string `json:"familyName"`
	DateOfBirth Date   `json:"dateOfBirth"`
	Gender      string `json:"gender,omitempty"`
	Address     string `json:"address,omitempty"`
	// NHSNumber is the child's NHS number when the referrer gave it: a strong identifier for person matching.
	NHSNumber string `json:"nhsNumber,omitempty"`
	School    string `json:"school,omitempty"`
	// SchoolURN is the school's URN in the authority's directory once known (matched or picked by a worker).
	SchoolURN string `json:"schoolUrn,omitempty"`
	Ethnicity string `json:"ethnicity,omitempty"`
	Language  string `json:"language,omitempty"`
	Religion  string `json:"religion,omitempty"`
	SEN       bool   `json:"sen"`
	Unborn    bool   `json:"unborn,omitempty"` // Barnet seed: unborn to 18 years
	Age       int    `json:"age,omitempty"`    // years, when only an age was given (no date of birth)
	// DateOfBirthNotKnown is why nobody could give the child's date of birth or age, as the worker who
	// completed the child's details recorded it (Child.DetailsStillNeeded): "not known" is then a recorded
	// finding, not a field left empty. Empty once a date of birth or an age is known.
	DateOfBirthNotKnown string `json:"dateOfBirthNotKnown,omitempty"`
}

// IdentityKey is the normalised name + date of birth used to match a child across contacts (the children
// GSI). Accents folded, case folded, punctuation and spaces removed: "Zoë O'Neil" 2019-02-14 →
// "zoeoneil#2019-02-14". Empty when the child has no family name or no date of birth.
func (c Child) IdentityKey() string {
	if c.FamilyName == "" || c.DateOfBirth.IsZero() {
		return ""
	}
	return NormaliseName(c.GivenName+c.FamilyName) + "#" + c.DateOfBirth.String()
}

// NormaliseName folds a name for matching: letters and digits only, lower case, accents removed. It is the
// canonical decomposition (NFD) with its marks dropped, read from a generated table (fold_table.go) so
// that the Unicode normalisation tables stay out of the binaries; a test proves it agrees with NFD on
// every rune.
func NormaliseName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if f, ok := foldRune(r); ok {
			b.WriteRune(f)
			continue
		}
		if h := foldHangul(r); h != nil {
			for _, j := range h {
				b.WriteRune(j)
			}
			continue
		}
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

//go:generate go run ./internal/genfold

// foldRune is the letter or digit r's decomposition folds to, when that is not r itself in lower case.
func foldRune(r rune) (rune, bool) {
	if r < 0xC0 { // ASCII and Latin-1 punctuation decompose to themselves
		return 0, false
	}
	i := sort.Search(len(foldPairs), func(i int) bool { return foldPairs[i][0] >= r })
	if i < len(foldPairs) && foldPairs[i][0] == r {
		return foldPairs[i][1], true
	}
	return 0, false
}

// foldHangul decomposes a precomposed Hangul syllable into its leading consonant, vowel and optional
// trailing consonant (the Unicode standard's arithmetic, §3.12), as NFD does; nil for any other rune.
func foldHangul(r rune) []rune {
	const sBase, lBase, vBase, tBase, vCount, tCount = 0xAC00, 0x1100, 0x1161, 0x11A7, 21, 28
	const nCount, sCount = vCount * tCount, 19 * vCount * tCount
	i := r - sBase
	if i < 0 || i >= sCount {
		return nil
	}
	out := []rune{lBase + i/nCount, vBase + (i%nCount)/tCount}
	if t := i % tCount; t != 0 {
		out = append(out, tBase+t)
	}
	return out
}

// Parent is someone in the child's family, with or without parental responsibility.
type Parent struct {
	Name                   string `json:"name"`
	Relationship           string `json:"relationship,omitempty"`
	ParentalResponsibility bool   `json:"parentalResponsibility"`
}

// HouseholdMember is anyone else living with the child.
type HouseholdMember struct {
	Name         string `json:"name"`
	Relationship string `json:"relationship,omitempty"`
	DateOfBirth  Date   `json:"dateOfBirth,omitzero"`
}

// Referrer made the contact.
type Referrer struct {
	Name         string `json:"name,omitempty"`
	Organisation string `json:"organisation,omitempty"`
	Role         string `json:"role,omitempty"`
	Email        string `json:"email,omitempty"`
	Phone        string `json:"phone,omitempty"`
	Relationship string `json:"relationship,omitempty"` // to the child (Bexley seed §4)
	Professional bool   `json:"professional"`           // Bexley seed §18: consent expectations differ
}

// ConsentOverride records a manager's decision to proceed without consent.
type ConsentOverride struct {
	By         string     `json:"by"`
	Rationale  string     `json:"rationale"`
	LegalBasis LegalBasis `json:"legalBasis"`
	At         time.Time  `json:"at,omitzero"`
	// UrgentRisk: the manager records urgent concerns for the child's safety, where telling the family may
	// increase the immediate risk (Hackney §7: the only ground for overriding consent there).
	UrgentRisk bool `json:"urgentRisk,omitempty"`
}

// Consent records the family's agreement to the contact (Hackney seed §7, Bexley seed §18-27).
type Consent struct {
	Status   ConsentStatus    `json:"status"`
	Reason   string           `json:"reason,omitempty"`
	Override *ConsentOverride `json:"override,omitempty"`
}

// RatingRecord is a manager's RAG/BRAG decision with its rationale (Northamptonshire seed §7).
type RatingRecord struct {
	Value     Rating    `json:"value"`
	Rationale string    `json:"rationale"`
	By        string    `json:"by"`
	At        time.Time `json:"at"`
	// Agencies are the partner checks this rating asked for (mandatory ones included); empty: none.
	Agencies []Agency `json:"agencies,omitempty"`
}

// OutcomeRecord is the decision on a contact, in the product's code and the authority's own words.
type OutcomeRecord struct {
	Code          OutcomeCode `json:"code"`
	AuthorityTerm string      `json:"authorityTerm"`
	By            string      `json:"by"`
	At            time.Time   `json:"at"`
	Rationale     string      `json:"rationale"`
	// Role is the decision maker's role in the policy's decision chain (the team manager, or the service
	// manager a decision was escalated to: Northamptonshire §10).
	Role string `json:"role,omitempty"`
	// To is whom a forwarded contact went to: the allocated worker of an open case, or the unit that closed
	// the child's case within three months (or their mailbox from the case records).
	To string `json:"to,omitempty"`
	// FeedbackWithheldReason: the referrer is not told the outcome, and why (Hackney §5).
	FeedbackWithheldReason string `json:"feedbackWithheldReason,omitempty"`
}

// Escalation records a decision put to the next role of the policy's decision chain.
type Escalation struct {
	To     string    `json:"to"`
	By     string    `json:"by"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

// Reopening is a closed contact brought back to the front door, by whom and why.
type Reopening struct {
	By     string    `json:"by"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

// ExecutionName is the name of the contact's current workflow execution: the contact id, and for the n-th
// reopening "<id>-reopen-<n>" — deterministic (a redelivered start starts nothing twice) and unique per
// reopening (each starts a new execution).
func (c *Contact) ExecutionName() string {
	if n := len(c.Reopenings); n > 0 {
		return fmt.Sprintf("%s-reopen-%d", c.ID, n)
	}
	return string(c.ID)
}

// ArrivedAt is when the contact's current pass through the front door began: its last reopening, or its
// receipt. The clocks that run from arrival (routing, screening) run from it.
func (c *Contact) ArrivedAt() time.Time {
	if n := len(c.Reopenings); n > 0 {
		return c.Reopenings[n-1].At
	}
	return c.ReceivedAt
}

// Contact is anything that arrived about one child. A household's children get one contact each, linked.
type Contact struct {
	ID            ContactID            `json:"id"`
	Reference     Reference            `json:"reference"`
	Authority     AuthorityID          `json:"authority"`
	Channel       Channel              `json:"channel"`
	ReceivedAt    time.Time            `json:"receivedAt"`
	Status        Status               `json:"status"`
	HouseholdID   HouseholdID          `json:"householdId,omitempty"`
	LinkedTo      []ContactID          `json:"linkedTo"`
	Child         Child                `json:"child"`
	Parents       []Parent             `json:"parents"`
	Household     []HouseholdMember    `json:"household"`
	Referrer      Referrer             `json:"referrer"`
	Concerns      string               `json:"concerns"`
	ImmediateHarm bool                 `json:"immediateHarm"`
	Consent       Consent              `json:"consent"`
	Route         Route                `json:"route,omitempty"`
	Rating        *RatingRecord        `json:"rating,omitempty"`
	Deadlines     map[string]time.Time `json:"deadlines"`
	Outcome       *OutcomeRecord       `json:"outcome,omitempty"`
	// Restricted says that restricted police information exists for this contact and who may read it; the
	// information itself is never here (shared/store Restricted).
	Restricted *RestrictedNotice `json:"restricted,omitempty"`
	// IncidentAt is when the police incident of a PPN happened (Operation Encompass gives it to the school).
	IncidentAt time.Time `json:"incidentAt,omitzero"`
	// SubmittedBy is the signed-in account that sent the online referral form (the console's /refer), so that
	// the professional can follow their own referrals ("My referrals"); empty for everything else.
	SubmittedBy string `json:"submittedBy,omitempty"`
	// Escalations are the decision's escalations up the policy's decision chain, oldest first.
	Escalations []Escalation `json:"escalations,omitempty"`
	// Reopenings are the times the contact was closed and brought back, oldest first; each started a new
	// workflow execution (ExecutionName).
	Reopenings []Reopening `json:"reopenings,omitempty"`
	// S47 marks a contact a worker found to meet the section 47 threshold, or declared at immediate risk in
	// hours: it goes to a manager at once (Hackney §4(1)).
	S47 bool `json:"s47,omitempty"`
	// MatchCandidates are case records that may be this child (person matching, shared/cases), offered to
	// the screener to confirm or reject; only an exact strong identifier acts without a person.
	MatchCandidates []MatchCandidate `json:"matchCandidates,omitempty"`
	// Harm is the harm to the child as the referrer (or a screener) describes it (Portsmouth §2.6: a contact
	// names the harm and does not give FII as its reason). HarmPrompt is what the referrer and the screener are
	// asked while it is missing (flag harmNotNamed); both from the policy's harmNaming.
	Harm       string `json:"harm,omitempty"`
	HarmPrompt string `json:"harmPrompt,omitempty"`
	// FamilyTold: whether the referrer told the family before referring, and why not (Barnet "How do I refer?").
	FamilyTold *FamilyTold `json:"familyTold,omitempty"`
	// SupportingFamilies: which of the Supporting Families programme's 10 headline outcomes the manager found
	// apply at an early help decision, and whether that makes the family eligible (Portsmouth §5.3).
	SupportingFamilies *SupportingFamiliesRecord `json:"supportingFamilies,omitempty"`

	// Tasks maps a tray (rating, decision) to the contact's open tray item there, whose task token the
	// console completes when a manager acts: kept by contacts parked before the waits' items moved to the
	// contact's partition (store.Trays.Waits, workflow.OpenWait; docs/cost.md). No park writes it now.
	Tasks map[string]string `json:"tasks,omitempty"`
	// Facts intake found that routing and screening use; not personal data.
	Flags Flags `json:"flags"`
	// Extraction: where email intake read each field and what it left for the screener to complete.
	Extraction *Extraction `json:"extraction,omitempty"`
	// Version is the optimistic-concurrency counter the store maintains; callers never set it.
	Version int64 `json:"version"`
	// UpdatedAt is set by the store on every write.
	UpdatedAt time.Time `json:"updatedAt,omitzero"`
	// Census holds the DfE children in need census codes a person recorded for the contact (source of
	// referral, gender, ethnicity; shared/reports lists the codes); empty fields fall back to what can be
	// derived with certainty.
	Census *CensusCodes `json:"census,omitempty"`
	// RetainUntil is when the policy's retention period for this contact ends, recorded by the retention job
	// (shared/retention) once the contact has ended; the job deletes it then, and the table's TTL is the
	// backstop.
	RetainUntil time.Time `json:"retainUntil,omitzero"`
	// TrayItemsExpired is when the retention job deleted the completed tray items kept beside this ended contact
	// (its waits, its checks' items: retention.trayItems) and found none left; it reads the contact's partition
	// again only once the contact has ended again after that (shared/retention).
	TrayItemsExpired time.Time `json:"trayItemsExpired,omitzero"`
	// Simulated: made under a simulated clock (training, rehearsal, checking: mash run/demo --start-at),
	// never a real contact. Set by the store.
	Simulated bool `json:"simulated,omitempty"`
}

// Flags are routing facts about a contact, safe to carry in Step Functions payloads.
type Flags struct {
	PPN                           bool `json:"ppn,omitempty"`
	DomesticAbuse                 bool `json:"domesticAbuse,omitempty"`
	AllegationAgainstProfessional bool `json:"allegationAgainstProfessional,omitempty"` // LADO
	Radicalisation                bool `json:"radicalisation,omitempty"`                // Channel / Prevent
	InformationRequest            bool `json:"informationRequest,omitempty"`            // Hackney §4.5-6
	NeedsCompletion               bool `json:"needsCompletion,omitempty"`               // free text only: screening completes
	AwaitingWrittenForm           bool `json:"awaitingWrittenForm,omitempty"`           // Portsmouth §7.5
	EarlyHelp                     bool `json:"earlyHelp,omitempty"`                     // early help screening (Hackney §4 D)
	HarmNotNamed                  bool `json:"harmNotNamed,omitempty"`                  // Portsmouth §2.6: a label (FII) and no described harm
	Homeless                      bool `json:"homeless,omitempty"`                      // homeless or threatened with it (Portsmouth §4.12)
}

// Validate checks a contact's own consistency (not policy rules) and names each bad field.
func (c *Contact) Validate() error {
	var p Problems
	if !contactIDPattern.MatchString(string(c.ID)) {
		p.Add("id", "must be c_ followed by 20 hex digits")
	}
	if c.Authority == "" {
		p.Add("authority", "is required")
	}
	if c.Reference != "" {
		if _, _, _, err := ParseReference(string(c.Reference)); err != nil {
			p.Add("reference", "must be PREFIX-YYYY-NNNNNN")
		}
	}
	if !c.Channel.Valid() {
		p.Add("channel", "must be one of email, form, phone, ppn, walk-in, consultation")
	}
	if c.ReceivedAt.IsZero() {
		p.Add("receivedAt", "is required")
	}
	if !c.Status.Valid() {
		p.Add("status", "is not a known status: one of %s", Join(Statuses))
	}
	if c.Consent.Status != "" && !c.Consent.Status.Valid() {
		p.Add("consent.status", "must be given, refused, not-sought or unknown")
	}
	if o := c.Consent.Override; o != nil {
		if o.By == "" {
			p.Add("consent.override.by", "is required")
		}
		if strings.TrimSpace(o.Rationale) == "" {
			p.Add("consent.override.rationale", "is required")
		}
		if !o.LegalBasis.Valid() {
			p.Add("consent.override.legalBasis", "must be s47, s17-s10 or caldicott")
		}
	}
	if r := c.Rating; r != nil {
		if !r.Value.Valid() {
			p.Add("rating.value", "must be red, amber, green or blue")
		}
		if strings.TrimSpace(r.Rationale) == "" {
			p.Add("rating.rationale", "is required")
		}
	}
	if o := c.Outcome; o != nil && !o.Code.Valid() {
		p.Add("outcome.code", "is not a known outcome: one of %s", Join(OutcomeCodes))
	}
	if !c.Child.DateOfBirth.IsZero() {
		if dob := c.Child.DateOfBirth.Time(time.UTC); !c.ReceivedAt.IsZero() && dob.After(c.ReceivedAt) && !c.Child.Unborn {
			p.Add("child.dateOfBirth", "is after the contact was received")
		}
	}
	return p.Err()
}

// MatchCandidate is one case record offered as maybe the contact's child, with its score (0..1) and the
// fields that matched; the screener's decision is recorded on it.
type MatchCandidate struct {
	// ID is the case system's id of the record (or its index entry's when the record had none).
	ID    string  `json:"id"`
	Entry string  `json:"entry"`
	Score float64 `json:"score"`
	// Matched names each field that matched and how ("dateOfBirth", "familyName (sounds alike)").
	Matched    []string `json:"matched"`
	CaseStatus string   `json:"caseStatus"` // open or closed
	// Strong: an exact match on a strong identifier (NHS number, or name and date of birth exactly).
	Strong    bool      `json:"strong,omitempty"`
	Decision  string    `json:"decision,omitempty"` // confirmed or rejected, by the screener
	DecidedBy string    `json:"decidedBy,omitempty"`
	DecidedAt time.Time `json:"decidedAt,omitzero"`
}

// CensusCodes are census codes recorded by a person (POST /v1/contacts/{id}/census), and who and when.
type CensusCodes struct {
	Source    string    `json:"source,omitempty"`
	Gender    string    `json:"gender,omitempty"`
	Ethnicity string    `json:"ethnicity,omitempty"`
	By        string    `json:"by"`
	At        time.Time `json:"at"`
}
