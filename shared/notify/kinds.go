package notify

import (
	"strings"

	"github.com/safeguarding/mash/shared/domain"
)

// Kind names one kind of message: domain.NoticeKind, the one vocabulary the step packages and the Notifier
// port use. The constants below are the domain's, under the names this package has always used.
type Kind = domain.NoticeKind

// The kinds (see domain.NoticeKind for what each is).
const (
	KindAcknowledgement  = domain.NoticeAcknowledgement
	KindEDTNow           = domain.NoticeEDTNow
	KindEscalation       = domain.NoticeEscalation
	KindCheckRequest     = domain.NoticeCheckRequest
	KindFeedback         = domain.NoticeFeedback
	KindStrategy         = domain.NoticeStrategy
	KindLADO             = domain.NoticeLADO
	KindChannel          = domain.NoticeChannel
	KindEncompass        = domain.NoticeEncompass
	KindForwarded        = domain.NoticeForwarded
	KindConsentRequest   = domain.NoticeConsentRequest
	KindWrittenFormChase = domain.NoticeWrittenFormChase
	KindRiskRaised       = domain.NoticeRiskRaised
	KindHousingProtocol  = domain.NoticeHousingProtocol
)

// Kinds lists every kind Compose knows. (The OOH queue needs no message: the contact waits in the OOH
// tray and the acknowledgement has already gone.)
var Kinds = domain.NoticeKinds

// Extra carries kind-specific facts: ids, codes and times only, never personal data. The keys are the
// domain's Extra* constants.
type Extra map[string]string

// Keys of Extra (domain.Extra*).
const (
	ExtraTray        = domain.ExtraTray
	ExtraStage       = domain.ExtraStage
	ExtraDueAt       = domain.ExtraDueAt
	ExtraAt          = domain.ExtraAt
	ExtraAgency      = domain.ExtraAgency
	ExtraCheck       = domain.ExtraCheck
	ExtraTo          = domain.ExtraTo
	ExtraSchoolEmail = domain.ExtraSchoolEmail
	ExtraIncidentAt  = domain.ExtraIncidentAt
	ExtraLink        = domain.ExtraLink
	ExtraRating      = domain.ExtraRating
	ExtraReason      = domain.ExtraReason
	// ExtraSchoolCc is the deputy DSL's address (encompass), copied.
	ExtraSchoolCc = domain.ExtraSchoolCc
	// ExtraSchoolName and ExtraSchoolURN name the school the directory matched (or the worker picked).
	ExtraSchoolName = domain.ExtraSchoolName
	ExtraSchoolURN  = domain.ExtraSchoolURN
	// ExtraSchoolMatch says why an Encompass notice goes to the Encompass lead: ambiguous, not-found,
	// closed, home-educated, no-dsl (shared/directory).
	ExtraSchoolMatch = domain.ExtraSchoolMatch
	// ExtraAgencyEmail, ExtraAgencyDesk and ExtraAgencyPhone address a check request to the agency's MASH
	// desk (shared/directory.CheckRecipient); without them it goes to the MASH inbox to forward.
	ExtraAgencyEmail = domain.ExtraAgencyEmail
	ExtraAgencyDesk  = domain.ExtraAgencyDesk
	ExtraAgencyPhone = domain.ExtraAgencyPhone
	// ExtraCandidates lists the directory's candidate schools, one per line ("Name, URN n, postcode").
	ExtraCandidates = domain.ExtraCandidates
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
