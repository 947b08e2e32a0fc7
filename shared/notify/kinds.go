package notify

import (
	"strings"

	"github.com/safeguarding/mash/shared/domain"
)

// Kind names one kind of message. The strings are the ones the step packages pass to Notify
// (shared/ooh, shared/screening, shared/checks, shared/outcomes, shared/trays, shared/actions).
type Kind string

const (
	// KindAcknowledgement tells the referrer the contact arrived, with its reference (Barnet seed 004 "How do
	// I refer?"). For a police notification (PPN) it goes to the police mailbox.
	KindAcknowledgement Kind = "acknowledgement"
	// KindEDTNow hands an out-of-hours immediate-harm or Red contact to the Emergency Duty Team at once.
	KindEDTNow Kind = "edt-now"
	// KindEscalation tells the service manager a tray item is unclaimed half-way or overdue (Hackney seed
	// 001 §5, Northamptonshire seed 002 §10).
	KindEscalation Kind = "escalation"
	// KindCheckRequest asks a partner agency for its MASH check by the RAG deadline.
	KindCheckRequest Kind = "check-request"
	// KindFeedback tells the referrer the outcome in writing (Bexley seed 003 §12, Hackney 001 §5).
	KindFeedback Kind = "feedback"
	// KindStrategy calls a strategy discussion for S47: CSC, police and health (Northamptonshire seed 002
	// §7: Red within 1 hour).
	KindStrategy Kind = "strategy"
	// KindLADO refers an allegation against someone who works with children to the LADO.
	KindLADO Kind = "lado"
	// KindChannel refers a radicalisation concern to the CTP gateway / Channel panel (Portsmouth seed 000
	// §4.8).
	KindChannel Kind = "channel"
	// KindEncompass tells the school's DSL of a police incident before the next school day (Operation
	// Encompass; Portsmouth seed 000 §4.9 shares all PPNs).
	KindEncompass Kind = "encompass"
	// KindForwarded sends a contact to the allocated worker of an open case or back to the closing unit
	// (three-month rule: Hackney seed 001 §4 B, Bexley seed 003 §11).
	KindForwarded Kind = "forwarded"
	// KindConsentRequest returns a referral made without consent and asks the referrer to seek it
	// (Northamptonshire seed 002 §6b).
	KindConsentRequest Kind = "consent-request"
	// KindWrittenFormChase reminds a referrer who phoned about immediate harm to send the written form
	// within 24 hours (Portsmouth seed 000 §7.5).
	KindWrittenFormChase Kind = "written-form-chase"
	// KindRiskRaised tells the MASH manager that an agency flagged the risk as higher than rated.
	KindRiskRaised Kind = "risk-raised"
)

// Kinds lists every kind Compose knows. (The OOH queue needs no message: the contact waits in the OOH
// tray and the acknowledgement has already gone.)
var Kinds = []Kind{KindAcknowledgement, KindEDTNow, KindEscalation, KindCheckRequest, KindFeedback,
	KindStrategy, KindLADO, KindChannel, KindEncompass, KindForwarded, KindConsentRequest,
	KindWrittenFormChase, KindRiskRaised}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Extra carries kind-specific facts: ids, codes and times only, never personal data. The keys are below.
type Extra map[string]string

// Keys of Extra.
const (
	ExtraTray        = "tray"        // escalation: the tray (rating, decision, checks, …)
	ExtraStage       = "stage"       // escalation: unclaimed | overdue
	ExtraDueAt       = "dueAt"       // RFC3339: the deadline the message is about
	ExtraAt          = "at"          // escalation: RFC3339 time of this escalation, so that repeats are new messages
	ExtraAgency      = "agency"      // check-request, escalation of a check, risk-raised
	ExtraCheck       = "check"       // check-request, risk-raised: the check id
	ExtraTo          = "to"          // forwarded: the allocated worker or closing unit (an email address or a team name)
	ExtraSchoolEmail = "schoolEmail" // encompass: the DSL's address at the child's school, when known
	ExtraIncidentAt  = "incidentAt"  // encompass: RFC3339 time (or YYYY-MM-DD date) of the police incident
	// ExtraSchoolCc is the deputy DSL's address (encompass), copied.
	ExtraSchoolCc = "schoolCc"
	// ExtraSchoolName and ExtraSchoolURN name the school the directory matched (or the worker picked).
	ExtraSchoolName = "schoolName"
	ExtraSchoolURN  = "schoolUrn"
	// ExtraSchoolMatch says why an Encompass notice goes to the Encompass lead: ambiguous, not-found,
	// closed, home-educated, no-dsl (shared/directory).
	ExtraSchoolMatch = "schoolMatch"
	// ExtraAgencyEmail, ExtraAgencyDesk and ExtraAgencyPhone address a check request to the agency's MASH
	// desk (shared/directory.CheckRecipient); without them it goes to the MASH inbox to forward.
	ExtraAgencyEmail = "agencyEmail"
	ExtraAgencyDesk  = "agencyDesk"
	ExtraAgencyPhone = "agencyPhone"
	// ExtraCandidates lists the directory's candidate schools, one per line ("Name, URN n, postcode").
	ExtraCandidates = "candidates"
	ExtraLink       = "link" // check-request: the agency's answer link, replacing the console link
)

// NotificationID is the deterministic id of a message: <contactId>#<kind>[#<part>…], empty parts skipped.
// Parts must be ids, codes or times (they are stored and logged).
func NotificationID(c domain.ContactID, k Kind, parts ...string) string {
	id := string(c) + "#" + string(k)
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			id += "#" + p
		}
	}
	return id
}
