// Package policy loads and validates one authority's policy file (infra/authorities/<authority>.yaml).
// Every rule that differs between councils — opening hours, deadlines, outcome words, mandatory agencies,
// consent, feedback, contacts — is data here, never a branch on the authority's name in code.
//
// Load/All read the files embedded by infra/authorities; LoadFile and Parse read any file. Parsing is strict
// (unknown keys are errors) and Validate names every bad field by its YAML path. Every value cites its seed
// section (Source) or is marked assumed with a reason. Load parses afresh on each call (≈1 ms): wiring code
// loads once at start-up. A parsed Policy is read-only; its Calendar is built once on first use.
package policy

import (
	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/domain"
)

// Rule ids: every deadline the product computes is one of these (issue 3 §3).
const (
	RuleChecksRed          = "checks.red"
	RuleChecksAmber        = "checks.amber"
	RuleChecksGreen        = "checks.green"
	RuleChecksBlue         = "checks.blue"
	RuleScreeningCSC       = "screening.csc"
	RuleScreeningEarlyHelp = "screening.early-help"
	RuleInfoRequest        = "info-request"
	RulePCOReview          = "pco-review"
	RuleStrategyRed        = "strategy.red"
	RuleDecisionFeedback   = "decision-feedback"
	RuleImmediateHarmForm  = "immediate-harm-form"
	RuleLADO               = "lado"
	RuleEncompass          = "encompass"
	RuleOOHReview          = "ooh-review"
	// RuleRerateRaisedRisk: the manager's re-rating after a partner's answer says the risk is higher than
	// rated (Hackney §5: flagged to the manager without delay); the service manager's tray item is due by it.
	RuleRerateRaisedRisk = "rerate.raised-risk"
	// RuleEscalationRepeat: how long after an overdue escalation to the service manager the next is sent
	// (shared/trays uses the same id).
	RuleEscalationRepeat = "escalation.repeat"
	// RuleHousing1617: the joint working protocol for a homeless 16- or 17-year-old (Portsmouth §4.12): the
	// Family Support and Safeguarding Team is told at once and the protocol's first step is due by it.
	RuleHousing1617 = "housing-16-17"
)

// RuleIDs lists every known rule id.
var RuleIDs = []string{RuleChecksRed, RuleChecksAmber, RuleChecksGreen, RuleChecksBlue, RuleScreeningCSC,
	RuleScreeningEarlyHelp, RuleInfoRequest, RulePCOReview, RuleStrategyRed, RuleDecisionFeedback,
	RuleImmediateHarmForm, RuleLADO, RuleEncompass, RuleOOHReview, RuleRerateRaisedRisk, RuleEscalationRepeat, RuleHousing1617,
	RuleConsultationSummary}

// ChecksRule returns the rule id of the partner-check deadline for a rating.
func ChecksRule(r domain.Rating) string { return "checks." + string(r) }

// Source cites where a value comes from. Assumed marks a value the seed does not give.
type Source struct {
	Source  string `json:"source,omitempty" yaml:"source,omitempty"`
	Assumed bool   `json:"assumed,omitempty" yaml:"assumed,omitempty"`
	Reason  string `json:"reason,omitempty" yaml:"reason,omitempty"` // required when Assumed
}

// Deadline is one rule with its citation.
type Deadline struct {
	clock.Rule `yaml:",inline"`
	Source     `yaml:",inline"`
}

// Day is one weekday's opening hours; Closed for a day the MASH does not open.
type Day struct {
	Open   string `json:"open,omitempty" yaml:"open,omitempty"`   // HH:MM
	Close  string `json:"close,omitempty" yaml:"close,omitempty"` // HH:MM
	Closed bool   `json:"closed,omitempty" yaml:"closed,omitempty"`
}

// OpeningHours per weekday, lower-case English names (monday … sunday).
type OpeningHours struct {
	Days   map[string]Day `json:"days" yaml:"days"`
	Source `yaml:",inline"`
}

// Schools holds the school calendar used by the Operation Encompass deadline.
type Schools struct {
	DayStart string   `json:"dayStart" yaml:"dayStart"` // HH:MM
	Terms    []Term   `json:"terms" yaml:"terms"`
	Closures []string `json:"closures,omitempty" yaml:"closures,omitempty"` // INSET days inside terms, YYYY-MM-DD
	// AllowedDomains are the school email domains Encompass notices may be sent to; a domain also allows
	// its subdomains (hackney.sch.uk allows stmarys.hackney.sch.uk).
	AllowedDomains []string `json:"allowedDomains" yaml:"allowedDomains"`
	Source         `yaml:",inline"`
}

// Term is one school term (or half-term block), inclusive local dates.
type Term struct {
	Name            string `json:"name" yaml:"name"` // e.g. "2025/26 autumn 1"
	clock.DateRange `yaml:",inline"`
}

// Outcome maps one of the authority's own outcome terms onto the product's code.
type Outcome struct {
	Term   string             `json:"term" yaml:"term"`
	Code   domain.OutcomeCode `json:"code" yaml:"code"`
	Source `yaml:",inline"`
	// EarlyHelp marks an outcome that starts early help for the child: such a decision is a row of Ofsted's
	// Annex A List 2 (shared/reports AnnexAList2). Absent: the outcome is not early help.
	EarlyHelp *EarlyHelp `json:"earlyHelp,omitempty" yaml:"earlyHelp,omitempty"`
}

// EarlyHelp is what an early help outcome means for Annex A List 2: who completes the early help assessment
// the decision starts (the list's "Organisation completing assessment").
type EarlyHelp struct {
	Organisation string `json:"organisation" yaml:"organisation"`
	Source       `yaml:",inline"`
}

// Consent is the authority's consent rule.
type Consent struct {
	// RejectWithoutConsentUnlessCP: a professional referral without consent that is not child protection
	// is returned to the referrer to seek consent (Northamptonshire seed §6b).
	RejectWithoutConsentUnlessCP bool `json:"rejectWithoutConsentUnlessCP" yaml:"rejectWithoutConsentUnlessCP"`
	// RequiredFor lists outcomes that need consent (Bexley seed §19: Family Wellbeing always needs consent).
	RequiredFor []domain.OutcomeCode `json:"requiredFor" yaml:"requiredFor"`
	// PublicNeedNotConsent: members of the public are not expected to have consent (Bexley seed §18).
	PublicNeedNotConsent bool `json:"publicNeedNotConsent" yaml:"publicNeedNotConsent"`
	// OverrideBases lists the legal bases a manager may record to proceed without consent.
	OverrideBases []domain.LegalBasis `json:"overrideBases" yaml:"overrideBases"`
	// OverrideRequiresUrgentRisk: consent may be overridden only when there are urgent concerns about the
	// child's safety and telling the family may increase the immediate risk (Hackney seed §7).
	OverrideRequiresUrgentRisk bool `json:"overrideRequiresUrgentRisk" yaml:"overrideRequiresUrgentRisk"`
	// MustInformFamily: the referrer must tell the family before referring unless that would increase the
	// risk (Barnet seed "How do I refer?", Bexley seed §19).
	MustInformFamily bool `json:"mustInformFamily" yaml:"mustInformFamily"`
	// Criteria: outcomes that need at least one of the listed criteria besides consent (Bexley seed §9:
	// Family Wellbeing needs parental domestic violence, mental ill-health, substance misuse, or a child at
	// risk of exclusion).
	Criteria map[domain.OutcomeCode][]string `json:"criteria,omitempty" yaml:"criteria,omitempty"`
	Source   `yaml:",inline"`
}

// Feedback is the feedback-to-referrer rule.
type Feedback struct {
	// Required: the referrer is told the outcome in writing unless a recorded reason says otherwise.
	Required bool `json:"required" yaml:"required"`
	// ReasonRequiredWhenWithheld: not telling the referrer needs a recorded reason (Hackney seed §5).
	ReasonRequiredWhenWithheld bool `json:"reasonRequiredWhenWithheld" yaml:"reasonRequiredWhenWithheld"`
	// InWriting: the outcome is sent in writing (Bexley seed §12, Northamptonshire seed §6b).
	InWriting bool `json:"inWriting" yaml:"inWriting"`
	// Rule is the deadline rule id for sending it (e.g. decision-feedback), empty when the seed gives none.
	Rule   string `json:"rule,omitempty" yaml:"rule,omitempty"`
	Source `yaml:",inline"`
}

// Meeting is the daily MASH meeting. No days (and no time) means the seed describes none.
type Meeting struct {
	Days   []string `json:"days" yaml:"days"`                 // lower-case weekday names
	At     string   `json:"at,omitempty" yaml:"at,omitempty"` // HH:MM
	Source `yaml:",inline"`
}

// Contact is a mailbox or phone line the product sends to, or tells a person to use. Its Source covers the
// whole contact; when the seed gives one value and not the other (a phone line but no mailbox), the
// contact cites the seed and EmailAssumed or PhoneAssumed gives the reason for the value it does not give.
type Contact struct {
	Name   string `json:"name" yaml:"name"`
	Email  string `json:"email,omitempty" yaml:"email,omitempty"`
	Phone  string `json:"phone,omitempty" yaml:"phone,omitempty"`
	Source `yaml:",inline"`
	// EmailAssumed is the reason the email address is assumed while the rest of the contact is sourced.
	EmailAssumed string `json:"emailAssumed,omitempty" yaml:"emailAssumed,omitempty"`
	// PhoneAssumed is the reason the phone number is assumed while the rest of the contact is sourced.
	PhoneAssumed string `json:"phoneAssumed,omitempty" yaml:"phoneAssumed,omitempty"`
}

// Contacts are the authority's own mailboxes and lines.
type Contacts struct {
	MASHInbox      Contact `json:"mashInbox" yaml:"mashInbox"`
	EDT            Contact `json:"edt" yaml:"edt"`
	EncompassLead  Contact `json:"encompassLead" yaml:"encompassLead"` // home-educated or unknown school
	LADO           Contact `json:"lado" yaml:"lado"`
	Channel        Contact `json:"channel" yaml:"channel"` // CTP gateway / Channel panel
	ServiceManager Contact `json:"serviceManager" yaml:"serviceManager"`
	PoliceMailbox  Contact `json:"policeMailbox" yaml:"policeMailbox"` // PPN acknowledgements
	// Other lists further lines the seed gives (consultation line, early help duty, complaints).
	Other []Contact `json:"other,omitempty" yaml:"other,omitempty"`
	// AgencyDesks are the partner agencies' MASH desks, where check requests go (shared/directory
	// resolves them). An agency without one gets its requests through the MASH inbox, marked on the tray.
	AgencyDesks map[domain.Agency]AgencyDesk `json:"agencyDesks,omitempty" yaml:"agencyDesks,omitempty"`
}

// AgencyDesk is a partner agency's MASH desk: its mailbox, its phone line and the secure mail domain its
// mailbox must be at.
type AgencyDesk struct {
	Contact `yaml:",inline"`
	// SecureDomain is the agency's secure mail domain (e.g. pnn.police.uk, nhs.net); the desk's email must be
	// at it or a subdomain of it.
	SecureDomain string `json:"secureDomain,omitempty" yaml:"secureDomain,omitempty"`
}

// Encompass is the Operation Encompass rule.
type Encompass struct {
	// AllPPNs: share every PPN with the school, not only domestic abuse (Portsmouth seed §4.9).
	AllPPNs bool `json:"allPPNs" yaml:"allPPNs"`
	Source  `yaml:",inline"`
}

// Decisions is the decision chain: the role that records a contact's decision, and the roles a decision is
// escalated to in turn when the decision maker and a partner (or the worker) disagree.
type Decisions struct {
	Maker      string   `json:"maker" yaml:"maker"`           // e.g. "MASH team manager"
	Escalation []string `json:"escalation" yaml:"escalation"` // e.g. ["CSC service manager"]
	Source     `yaml:",inline"`
}

// Policy is one authority's whole policy.
type Policy struct {
	Authority domain.AuthorityID `json:"authority" yaml:"authority"`
	Name      string             `json:"name" yaml:"name"`
	// Production marks a policy a council has confirmed for go-live: placeholder phone numbers (Ofcom's
	// drama ranges) and reserved example domains are then refused. The five seed policies are not.
	Production   bool   `json:"production,omitempty" yaml:"production,omitempty"`
	Seed         string `json:"seed" yaml:"seed"` // the seed file this policy is drawn from
	Timezone     string `json:"timezone" yaml:"timezone"`
	BankHolidays string `json:"bankHolidays" yaml:"bankHolidays"`
	// ExtraClosures are one-off closure dates (YYYY-MM-DD) beyond bank holidays, e.g. an extra bank holiday
	// for a state occasion; treated as non-working days. None by default.
	ExtraClosures   []string            `json:"extraClosures,omitempty" yaml:"extraClosures,omitempty"`
	ReferencePrefix string              `json:"referencePrefix" yaml:"referencePrefix"`
	OpeningHours    OpeningHours        `json:"openingHours" yaml:"openingHours"`
	Schools         Schools             `json:"schools" yaml:"schools"`
	Ratings         []domain.Rating     `json:"ratings" yaml:"ratings"` // RAG or BRAG
	Deadlines       map[string]Deadline `json:"deadlines" yaml:"deadlines"`
	// Starts say which lifecycle event starts each deadline rule, under what conditions (every rule is
	// started by at least one event; Validate refuses one that none starts).
	Starts []Start `json:"starts" yaml:"starts"`
	// Decisions names who decides and who settles a disagreement (Northamptonshire §10).
	Decisions         Decisions       `json:"decisions" yaml:"decisions"`
	Outcomes          []Outcome       `json:"outcomes" yaml:"outcomes"`
	MandatoryAgencies []domain.Agency `json:"mandatoryAgencies" yaml:"mandatoryAgencies"`
	Agencies          []domain.Agency `json:"agencies" yaml:"agencies"` // all partners that can be asked
	Consent           Consent         `json:"consent" yaml:"consent"`
	Feedback          Feedback        `json:"feedback" yaml:"feedback"`
	Meeting           Meeting         `json:"meeting" yaml:"meeting"`
	// Consultations is how professionals' requests for advice are kept (Bexley §5–6, Hackney §8).
	Consultations Consultations `json:"consultations" yaml:"consultations"`
	Contacts      Contacts      `json:"contacts" yaml:"contacts"`
	Encompass     Encompass     `json:"encompass" yaml:"encompass"`
	Retention     Retention     `json:"retention" yaml:"retention"`
	// Workflow is how the workflow mends itself: the cap on restarts of a stuck contact's workflow.
	Workflow Workflow `json:"workflow" yaml:"workflow"`
	// BlockedSenders are sender addresses or domains whose mail intake quarantines (none by default).
	BlockedSenders []string `json:"blockedSenders,omitempty" yaml:"blockedSenders,omitempty"`
	// The councils' named rules (shared/policy named.go): absent, the rule does not apply.
	HarmNaming         *HarmNaming         `json:"harmNaming,omitempty" yaml:"harmNaming,omitempty"`                 // Portsmouth §2.6
	YoungHomeless      *YoungHomeless      `json:"youngHomeless,omitempty" yaml:"youngHomeless,omitempty"`           // Portsmouth §4.12
	SupportingFamilies *SupportingFamilies `json:"supportingFamilies,omitempty" yaml:"supportingFamilies,omitempty"` // Portsmouth §5.3
	FamilyTold         *FamilyTold         `json:"familyTold,omitempty" yaml:"familyTold,omitempty"`                 // Barnet "How do I refer?"
	CheckRequests      *CheckRequests      `json:"checkRequests,omitempty" yaml:"checkRequests,omitempty"`           // Barnet "What are my responsibilities"
	// Citations cite the top-level values that have no Source of their own, keyed by their YAML name
	// (timezone, bankHolidays, referencePrefix, ratings, mandatoryAgencies, agencies, extraClosures,
	// blockedSenders).
	Citations map[string]Source `json:"citations" yaml:"citations"`

	cal *calendarCache // built once by Calendar; set by Parse
}
