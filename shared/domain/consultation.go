package domain

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ConsultationID identifies a consultation: "k_" and 20 hex digits.
type ConsultationID string

// NewConsultationID returns a fresh random consultation id.
func NewConsultationID() ConsultationID { return ConsultationID("k_" + randomHex(10)) }

var consultationIDPattern = regexp.MustCompile(`^k_[0-9a-f]{20}$`)

// Valid reports whether id has the shape of a consultation id.
func (id ConsultationID) Valid() bool { return consultationIDPattern.MatchString(string(id)) }

// AuditID is the id the consultation's audit trail is kept under (store.Audit keys events by contact id).
func (id ConsultationID) AuditID() ContactID { return ContactID(id) }

// SummaryItemID is the id of the consultation's item on the consultation-summary tray (Bexley §5–6: a written
// summary owed to the consultee). The store deletes it with the consultation (store.Retention's
// DeleteConsultation), so an expired consultation leaves nothing open on a tray.
func (id ConsultationID) SummaryItemID() string {
	return string(id) + "#" + string(TrayConsultationSummary)
}

var consultationRefPattern = regexp.MustCompile(`^([A-Z]{2,5})-C-(\d{4})-(\d{6})$`)

// FormatConsultationReference builds a consultation's reference, PREFIX-C-YYYY-NNNNNN: numbered apart from
// contacts (its own sequence), and never taken for a contact's reference.
func FormatConsultationReference(prefix string, year, seq int) (Reference, error) {
	r, err := FormatReference(prefix, year, seq)
	if err != nil {
		return "", err
	}
	return Reference(prefix + "-C-" + strings.TrimPrefix(string(r), prefix+"-")), nil
}

// IsConsultationReference reports whether s is a consultation's reference (any letter case).
func IsConsultationReference(s string) bool {
	return consultationRefPattern.MatchString(strings.ToUpper(s))
}

// Consultation is a professional asking the MASH for advice (Bexley §5–6, Hackney §8, Barnet's consultation
// line): recorded in the consultation log, never screened as a referral. What it keeps follows the authority's
// policy (consultations): Hackney keeps a log of calls only, never the child's details; Bexley keeps the
// child's details when they were shared and may run basic checks; a worker may turn one into a contact.
type Consultation struct {
	ID         ConsultationID `json:"id"`
	Reference  Reference      `json:"reference"`
	Authority  AuthorityID    `json:"authority"`
	ReceivedAt time.Time      `json:"receivedAt"`
	// Consultee is the professional who asked for the consultation.
	Consultee Referrer `json:"consultee"`
	// Child is kept only where the policy records consultations against the child (Bexley §5).
	Child *Child `json:"child,omitempty"`
	// Concerns is what the consultee described; Advice what the MASH advised.
	Concerns string `json:"concerns"`
	Advice   string `json:"advice,omitempty"`
	// DSLConsulted: the caller had consulted their Designated Safeguarding Lead first (Hackney §8), where the
	// policy asks.
	DSLConsulted *bool `json:"dslConsulted,omitempty"`
	// ChildAtRisk: the worker judged the child at risk (Barnet: "we will insist that you make a referral").
	ChildAtRisk bool `json:"childAtRisk,omitempty"`
	// OutsideLineHours: taken outside the consultation line's hours (Barnet: Monday to Friday 11:00–12:00).
	OutsideLineHours bool `json:"outsideLineHours,omitempty"`
	// Checks is the result of the basic checks asked for (Bexley §5), when they were.
	Checks *ConsultationChecks `json:"checks,omitempty"`
	// Deadlines are the clocks the consultation started (consultation-summary: Bexley 48 hours).
	Deadlines map[string]time.Time `json:"deadlines"`
	// Summary is the written summary sent to the consultee.
	Summary *ConsultationSummary `json:"summary,omitempty"`
	// Contact is the contact the consultation was turned into (a referral), once.
	Contact *ConsultationContact `json:"contact,omitempty"`
	// RecordedBy is who recorded it (the signed-in user).
	RecordedBy string    `json:"recordedBy"`
	Version    int64     `json:"version"`
	UpdatedAt  time.Time `json:"updatedAt"`
}

// ConsultationChecks is what the basic checks found in the council's case records (Bexley §5: "basic
// screening checks may be conducted as part of the consultation process").
type ConsultationChecks struct {
	At time.Time `json:"at"`
	By string    `json:"by"`
	// Known: the case records hold the child (an exact match by NHS number or name and date of birth).
	Known bool `json:"known"`
	// OpenCase: the child has an open case; Unit/AllocatedWorker say whose.
	OpenCase        bool   `json:"openCase"`
	ClosedOn        string `json:"closedOn,omitempty"`
	Unit            string `json:"unit,omitempty"`
	AllocatedWorker string `json:"allocatedWorker,omitempty"`
	// Candidates counts fuzzier matches a worker would have to look at.
	Candidates int `json:"candidates"`
}

// ConsultationSummary is the written summary of the discussion and advice sent to the consultee (Bexley §5–6).
type ConsultationSummary struct {
	Text   string    `json:"text"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	SentTo string    `json:"sentTo,omitempty"`
}

// ConsultationContact records the contact a consultation became.
type ConsultationContact struct {
	ContactID ContactID `json:"contactId"`
	Reference Reference `json:"reference,omitempty"`
	By        string    `json:"by"`
	At        time.Time `json:"at"`
}

// Validate names every bad field of a consultation as the store writes it.
func (k *Consultation) Validate() error {
	var p Problems
	if !k.ID.Valid() {
		p.Add("id", "is not a consultation id (k_ and 20 hex digits)")
	}
	if k.Authority == "" {
		p.Add("authority", "is required")
	}
	if k.Reference != "" && !IsConsultationReference(string(k.Reference)) {
		p.Add("reference", "is not of the form PREFIX-C-YYYY-NNNNNN")
	}
	if k.ReceivedAt.IsZero() {
		p.Add("receivedAt", "is required")
	}
	if strings.TrimSpace(k.Concerns) == "" {
		p.Add("concerns", "is required")
	}
	if k.RecordedBy == "" {
		p.Add("recordedBy", "is required")
	}
	return p.Err()
}

// ParseConsultationReference splits a consultation reference into prefix, year and sequence.
func ParseConsultationReference(s string) (prefix string, year, seq int, err error) {
	m := consultationRefPattern.FindStringSubmatch(strings.ToUpper(s))
	if m == nil {
		return "", 0, 0, fmt.Errorf("%q is not of the form PREFIX-C-YYYY-NNNNNN", s)
	}
	year, _ = strconv.Atoi(m[2])
	seq, _ = strconv.Atoi(m[3])
	return m[1], year, seq, nil
}
