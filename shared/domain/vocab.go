package domain

import "strings"

// Channel is how a contact arrived.
type Channel string

const (
	ChannelEmail        Channel = "email"
	ChannelForm         Channel = "form"
	ChannelPhone        Channel = "phone"
	ChannelPPN          Channel = "ppn"
	ChannelWalkIn       Channel = "walk-in"
	ChannelConsultation Channel = "consultation"
)

// Channels lists every valid channel.
var Channels = []Channel{ChannelEmail, ChannelForm, ChannelPhone, ChannelPPN, ChannelWalkIn, ChannelConsultation}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool { return contains(Channels, c) }

// Status is where a contact is in the front door.
type Status string

const (
	StatusReceived           Status = "received"
	StatusQueuedOOH          Status = "queued-ooh"
	StatusScreening          Status = "screening"
	StatusAwaitingRating     Status = "awaiting-rating"
	StatusChecks             Status = "checks"
	StatusAwaitingDecision   Status = "awaiting-decision"
	StatusDecided            Status = "decided"
	StatusForwarded          Status = "forwarded"
	StatusReturnedForConsent Status = "returned-for-consent"
	StatusClosed             Status = "closed"
	// StatusInformationRequest is a request for information (Hackney §4(5–6)): not screened as a referral,
	// answered within 10 working days on the information-request tray.
	StatusInformationRequest Status = "information-request"
)

// Statuses lists every valid status.
var Statuses = []Status{StatusReceived, StatusQueuedOOH, StatusScreening, StatusAwaitingRating, StatusChecks,
	StatusAwaitingDecision, StatusDecided, StatusForwarded, StatusReturnedForConsent, StatusClosed, StatusInformationRequest}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return contains(Statuses, s) }

// Route is where the front door sends a contact at the moment it arrives.
type Route string

const (
	RouteMASH     Route = "mash"      // the MASH is open
	RouteOOHQueue Route = "ooh-queue" // closed, not urgent: queued for the next opening
	RouteEDTNow   Route = "edt-now"   // closed and immediate harm or Red: the Emergency Duty Team now
)

// Rating is the RAG/BRAG urgency a manager sets with a rationale.
// Barnet seed ("What happens next?"): BRAG — Blue, Red, Amber, Green.
type Rating string

const (
	RatingRed   Rating = "red"
	RatingAmber Rating = "amber"
	RatingGreen Rating = "green"
	RatingBlue  Rating = "blue"
)

// Ratings lists every rating value.
var Ratings = []Rating{RatingRed, RatingAmber, RatingGreen, RatingBlue}

// Valid reports whether r is a known rating.
func (r Rating) Valid() bool { return contains(Ratings, r) }

// Rank orders ratings by urgency: red first. Unknown or empty sorts last.
func (r Rating) Rank() int {
	switch r {
	case RatingRed:
		return 0
	case RatingAmber:
		return 1
	case RatingGreen:
		return 2
	case RatingBlue:
		return 3
	}
	return 4
}

// ConsentStatus records whether the family agreed to the contact being made.
type ConsentStatus string

const (
	ConsentGiven     ConsentStatus = "given"
	ConsentRefused   ConsentStatus = "refused"
	ConsentNotSought ConsentStatus = "not-sought"
	ConsentUnknown   ConsentStatus = "unknown"
)

// ConsentStatuses lists every consent status.
var ConsentStatuses = []ConsentStatus{ConsentGiven, ConsentRefused, ConsentNotSought, ConsentUnknown}

// Valid reports whether s is a known consent status.
func (s ConsentStatus) Valid() bool { return contains(ConsentStatuses, s) }

// LegalBasis is the recorded ground for sharing or proceeding without consent.
type LegalBasis string

const (
	// LegalBasisS47: reasonable cause to suspect significant harm (Children Act 1989 s47;
	// Northamptonshire seed §5, Bexley seed §21).
	LegalBasisS47 LegalBasis = "s47"
	// LegalBasisS17S10: child in need assessment with the duty to cooperate (Children Act 1989 s17 with
	// Children Act 2004 s10; Barnet seed "Data sharing and Fair Processing").
	LegalBasisS17S10 LegalBasis = "s17-s10"
	// LegalBasisCaldicott: public-interest sharing under the Caldicott principles (Hackney seed Appendix B).
	LegalBasisCaldicott LegalBasis = "caldicott"
)

// LegalBases lists every legal basis.
var LegalBases = []LegalBasis{LegalBasisS47, LegalBasisS17S10, LegalBasisCaldicott}

// Valid reports whether b is a known legal basis.
func (b LegalBasis) Valid() bool { return contains(LegalBases, b) }

// Agency is a partner asked for MASH checks.
type Agency string

const (
	AgencyPolice           Agency = "police"
	AgencyHealth           Agency = "health"
	AgencyEducation        Agency = "education"
	AgencyProbation        Agency = "probation"
	AgencyHousing          Agency = "housing"
	AgencyEarlyHelp        Agency = "early-help"
	AgencyAdultSocialCare  Agency = "adult-social-care"
	AgencyDomesticAbuse    Agency = "domestic-abuse" // SOLACE (Bexley), DAIS (Hackney), MARAC (Portsmouth)
	AgencyYouthJustice     Agency = "youth-justice"
	AgencySubstanceMisuse  Agency = "substance-misuse"
	AgencyMentalHealth     Agency = "mental-health" // CAMHS
	AgencyChildrenSocial   Agency = "childrens-social-care"
	AgencyChildrenDisabled Agency = "children-with-disabilities"
)

// Agencies lists every agency.
var Agencies = []Agency{AgencyPolice, AgencyHealth, AgencyEducation, AgencyProbation, AgencyHousing,
	AgencyEarlyHelp, AgencyAdultSocialCare, AgencyDomesticAbuse, AgencyYouthJustice, AgencySubstanceMisuse,
	AgencyMentalHealth, AgencyChildrenSocial, AgencyChildrenDisabled}

// Valid reports whether a is a known agency.
func (a Agency) Valid() bool { return contains(Agencies, a) }

// Words names the agency as people say it ("domestic abuse service", not "domestic-abuse"): on the console and
// in the messages a partner reads.
func (a Agency) Words() string {
	switch a {
	case AgencyDomesticAbuse:
		return "domestic abuse service"
	case AgencySubstanceMisuse:
		return "substance misuse service"
	case AgencyMentalHealth:
		return "mental health (CAMHS)"
	case AgencyChildrenSocial:
		return "children's social care"
	case AgencyChildrenDisabled:
		return "children with disabilities team"
	}
	return strings.ReplaceAll(string(a), "-", " ")
}

// OutcomeCode is the product's own outcome vocabulary: the union of the five seeds' outcomes. Each
// authority maps its own words onto these codes in its policy file.
type OutcomeCode string

const (
	OutcomeNFA                OutcomeCode = "nfa"                  // Hackney §4 A: no further action
	OutcomeAdviceSignposting  OutcomeCode = "advice-signposting"   // all seeds: advice, guidance, signposting
	OutcomeCommunityReferral  OutcomeCode = "community-referral"   // Hackney §2: community/voluntary sector
	OutcomeEarlyHelpTier2     OutcomeCode = "early-help-tier2"     // Portsmouth §4.4/§5.2
	OutcomeEarlyHelpTier3     OutcomeCode = "early-help-tier3"     // Portsmouth §4.4/§5.2
	OutcomeEarlyHelp          OutcomeCode = "early-help"           // Hackney §2, Barnet "What happens next?"
	OutcomeFamilyWellbeing    OutcomeCode = "family-wellbeing"     // Bexley §9
	OutcomePartnershipSupport OutcomeCode = "partnership-support"  // Northamptonshire §2, §7 (Green)
	OutcomeS17                OutcomeCode = "s17-assessment"       // child in need assessment
	OutcomeChildrenDisability OutcomeCode = "s17-disability"       // Bexley §10: Children with Disability service
	OutcomeS47                OutcomeCode = "s47-strategy"         // child protection enquiry, strategy discussion
	OutcomeForwardAllocated   OutcomeCode = "forward-allocated"    // open case: to the allocated worker
	OutcomeThreeMonthRule     OutcomeCode = "three-month-rule"     // Hackney §4 B, Bexley §11: back to the unit
	OutcomeLADO               OutcomeCode = "lado"                 // allegation against a person working with children
	OutcomeChannel            OutcomeCode = "channel-prevent"      // Portsmouth §4.8: CTP gateway, Channel
	OutcomeHomeless1617       OutcomeCode = "homeless-16-17"       // Portsmouth §4.12: joint housing protocol
	OutcomeInformationRequest OutcomeCode = "information-response" // Hackney §4.5-6: request for information
)

// OutcomeCodes lists every outcome code.
var OutcomeCodes = []OutcomeCode{OutcomeNFA, OutcomeAdviceSignposting, OutcomeCommunityReferral,
	OutcomeEarlyHelpTier2, OutcomeEarlyHelpTier3, OutcomeEarlyHelp, OutcomeFamilyWellbeing,
	OutcomePartnershipSupport, OutcomeS17, OutcomeChildrenDisability, OutcomeS47, OutcomeForwardAllocated,
	OutcomeThreeMonthRule, OutcomeLADO, OutcomeChannel, OutcomeHomeless1617, OutcomeInformationRequest}

// Valid reports whether o is a known outcome code.
func (o OutcomeCode) Valid() bool { return contains(OutcomeCodes, o) }

// Join lists a vocabulary for an error message ("red, amber, green, blue"): every enum error names the
// allowed values.
func Join[T ~string](vs []T) string {
	ss := make([]string, len(vs))
	for i, v := range vs {
		ss[i] = string(v)
	}
	return strings.Join(ss, ", ")
}

func contains[T comparable](xs []T, x T) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
