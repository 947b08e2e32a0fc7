package domain

// NoticeKind names one kind of message the product sends (shared/notify composes each). The Notifier port
// (shared/workflow) takes this type, so a kind that does not exist does not compile.
type NoticeKind string

const (
	// NoticeAcknowledgement tells the referrer the contact arrived, with its reference (Barnet "How do I
	// refer?"). For a police notification (PPN) it goes to the police mailbox.
	NoticeAcknowledgement NoticeKind = "acknowledgement"
	// NoticeEDTNow hands an out-of-hours immediate-harm or Red contact to the Emergency Duty Team at once.
	NoticeEDTNow NoticeKind = "edt-now"
	// NoticeEscalation tells the service manager a tray item is unclaimed half-way, overdue, or escalated by
	// a manager (Hackney §5, Northamptonshire §10).
	NoticeEscalation NoticeKind = "escalation"
	// NoticeCheckRequest asks a partner agency for its MASH check by the RAG deadline; a chase of an overdue
	// check is the same kind with the stage "chase".
	NoticeCheckRequest NoticeKind = "check-request"
	// NoticeFeedback tells the referrer the outcome in writing (Bexley §12, Hackney §5).
	NoticeFeedback NoticeKind = "feedback"
	// NoticeStrategy calls a strategy discussion: CSC, Health and Police (Northamptonshire §7: Red within 1
	// hour).
	NoticeStrategy NoticeKind = "strategy"
	// NoticeLADO refers an allegation against someone who works with children to the LADO.
	NoticeLADO NoticeKind = "lado"
	// NoticeChannel refers a radicalisation concern to the CTP gateway / Channel panel (Portsmouth §4.8).
	NoticeChannel NoticeKind = "channel"
	// NoticeEncompass tells the school's DSL of a police incident before the next school day.
	NoticeEncompass NoticeKind = "encompass"
	// NoticeForwarded sends a contact to the allocated worker of an open case or back to the closing unit.
	NoticeForwarded NoticeKind = "forwarded"
	// NoticeConsentRequest returns a referral made without consent (Northamptonshire §6b).
	NoticeConsentRequest NoticeKind = "consent-request"
	// NoticeWrittenFormChase reminds a phone referrer to send the written form (Portsmouth §7.5).
	NoticeWrittenFormChase NoticeKind = "written-form-chase"
	// NoticeRiskRaised tells the MASH manager that an agency flagged the risk as higher than rated, or that a
	// contact needs a manager at once (Hackney §4(1), §5).
	NoticeRiskRaised NoticeKind = "risk-raised"
	// NoticeHousingProtocol refers a homeless 16- or 17-year-old at once to the team that runs the joint
	// housing protocol (Portsmouth §4.12: the Family Support and Safeguarding Team).
	NoticeHousingProtocol NoticeKind = "housing-protocol"
)

// NoticeKinds lists every kind.
var NoticeKinds = []NoticeKind{NoticeAcknowledgement, NoticeEDTNow, NoticeEscalation, NoticeCheckRequest,
	NoticeFeedback, NoticeStrategy, NoticeLADO, NoticeChannel, NoticeEncompass, NoticeForwarded,
	NoticeConsentRequest, NoticeWrittenFormChase, NoticeRiskRaised, NoticeHousingProtocol}

// Valid reports whether k is a known kind.
func (k NoticeKind) Valid() bool { return contains(NoticeKinds, k) }

// Keys of a notice's extra facts (ids, codes and times only, never personal data).
const (
	ExtraTray           = "tray"           // escalation: the tray (rating, decision, checks, …)
	ExtraStage          = "stage"          // escalation: unclaimed | overdue | manager; check-request: chase
	ExtraDueAt          = "dueAt"          // RFC3339: the deadline the message is about
	ExtraAt             = "at"             // RFC3339 time of this escalation or chase, so that repeats are new messages
	ExtraAgency         = "agency"         // check-request, escalation of a check, risk-raised
	ExtraCheck          = "check"          // check-request, risk-raised: the check id
	ExtraTo             = "to"             // forwarded: the allocated worker or closing unit
	ExtraMatchedContact = "matchedContact" // forwarded: the contact of the open or recently closed case
	ExtraSchoolEmail    = "schoolEmail"    // encompass: the DSL's address at the child's school, when known
	ExtraIncidentAt     = "incidentAt"     // encompass: RFC3339 time (or YYYY-MM-DD date) of the police incident
	ExtraLink           = "link"           // check-request: the agency's answer link; encompass: the DSL's acknowledgement link
	ExtraItem           = "item"           // sweep escalation: the tray item
	ExtraReason         = "reason"         // escalation by a manager: why (a code or short text, no personal data)
	ExtraRating         = "rating"         // strategy, risk-raised: the rating that started the clock
	ExtraSchoolCc       = "schoolCc"       // encompass: the deputy DSL's address, copied
	ExtraSchoolName     = "schoolName"     // encompass: the school the directory matched (or the worker picked)
	ExtraSchoolURN      = "schoolUrn"      // encompass: its URN
	ExtraSchoolMatch    = "schoolMatch"    // encompass: why the notice goes to the Encompass lead (ambiguous, not-found, …)
	ExtraCandidates     = "candidates"     // encompass: the directory's candidate schools, one per line
	ExtraAgencyEmail    = "agencyEmail"    // check-request: the agency's MASH desk address (shared/directory)
	ExtraAgencyDesk     = "agencyDesk"     // check-request: the desk's name
	ExtraAgencyPhone    = "agencyPhone"    // check-request: the desk's phone
)

// Tray names a work queue people act on.
type Tray string

const (
	TrayRating      Tray = "rating"       // a manager's rating (RAG/BRAG)
	TrayDecision    Tray = "decision"     // a manager's decision
	TrayChecks      Tray = "checks"       // partner checks
	TrayOOH         Tray = "ooh"          // the out-of-hours queue
	TrayWrittenForm Tray = "written-form" // immediate-harm phone contacts awaiting the written form
	TrayDeadLetter  Tray = "dead-letter"  // local runner: contacts whose workflow failed
	// TrayServiceManager is the service manager's tray: decisions escalated to them (Northamptonshire §10)
	// and contacts that need a manager at once (S47, raised risk).
	TrayServiceManager Tray = "service-manager"
	// TrayInformationRequest holds requests for information awaiting an answer (Hackney §4(5–6)).
	TrayInformationRequest Tray = "information-request"
	// TrayUndeliverable holds every message the outbox gave up on, with the reason (shared/notify).
	TrayUndeliverable Tray = "undeliverable"
	// TrayEncompassUnmatched holds PPNs whose school could not be named with confidence, due by the Encompass
	// deadline, until a worker picks the school (shared/directory).
	TrayEncompassUnmatched Tray = "encompass-unmatched"
	// TrayEncompassAck holds Encompass notices sent to a school's DSL until the DSL acknowledges them through
	// the notice's single-use link, due by the Encompass deadline (then the Encompass lead is told).
	TrayEncompassAck Tray = "encompass-ack"
	// TrayConsultationSummary holds consultations whose written summary to the consultee is owed (Bexley
	// §5–6: within 48 hours). Its items name a consultation, not a contact (their note gives its reference).
	TrayConsultationSummary Tray = "consultation-summary"
)

// Trays lists every tray.
var Trays = []Tray{TrayRating, TrayDecision, TrayChecks, TrayOOH, TrayWrittenForm, TrayDeadLetter, TrayServiceManager,
	TrayInformationRequest, TrayUndeliverable, TrayEncompassUnmatched, TrayEncompassAck,
	TrayConsultationSummary}

// Valid reports whether t is a known tray.
func (t Tray) Valid() bool { return contains(Trays, t) }
