// Package workflow is the contract between the contact state machine (statemachines/contact.asl.json) and
// the Go handlers of its steps: the payload each step receives and returns, the error types the ASL names in
// Retry/Catch, and the names of the Lambda functions. Payloads carry ids and routing facts only — never
// names, addresses or free text (docs/architecture.md): every step loads what it needs from the store.
package workflow

import (
	"github.com/safeguarding/mash/shared/domain"
)

// Function names: the folders under functions/ and the keys the local executor binds handlers to.
const (
	FnIntakeEmail   = "intake-email"
	FnIntakeAPI     = "intake-api"
	FnOutOfHours    = "out-of-hours"
	FnScreening     = "screening"
	FnTray          = "tray"
	FnPartnerChecks = "partner-checks"
	FnNotifications = "notifications" // the handler lives in shared/outcomes
	FnEscalate      = "escalate"
	FnSLA           = "sla"
)

// Substitutions maps each DefinitionSubstitutions key of contact.asl.json to the function it names.
var Substitutions = map[string]string{
	"OutOfHoursFunctionArn":    FnOutOfHours,
	"ScreeningFunctionArn":     FnScreening,
	"TrayFunctionArn":          FnTray,
	"PartnerChecksFunctionArn": FnPartnerChecks,
	"NotificationsFunctionArn": FnNotifications,
	"EscalateFunctionArn":      FnEscalate,
}

// Contract is the version of the contract between the contact machine (statemachines/contact.asl.json) and
// its handlers that this code's definition speaks. Step Functions runs an execution to its end on the
// definition it started with, while the functions and the API are replaced at once on a deploy: a handler
// must go on answering what an earlier definition expects (docs/deployment.md "Changing the state machine").
// The waits of contract 3 and later carry it in their payload ("contract": 4), and their tray items record it
// (under contract 4 the check records too).
//
//   - 1: Choice states read the flags of a wait's result (merged, forwarded, rerated, checks); a plan carries the
//     decision's deadline as decisionDueAt, decisionTimeoutSeconds and decisionHeartbeatSeconds; a Map asks
//     one agency per task token; payloads unmarked. The definition before the named outcomes (3738ffd).
//   - 2: a wait that ends otherwise than going on is failed with a named outcome (Merged, Forwarded, Rerated,
//     ChecksNeeded) its Catch routes; the decision's deadline rides in decisionWait; still a Map per agency;
//     payloads unmarked.
//   - 3: one task-token wait for all of a rating's partner checks (RequestChecks, payload "agencies").
//   - 4: the answer that ends the partner checks' wait carries the decision's plan (ChecksPlanned): the
//     machine goes from RequestChecks straight to AwaitDecision (no Replan on the happy path), or, with the
//     replan step's named outcomes, to PlanChecks (ChecksNeeded: a re-rating while the checks ran) or Notify
//     (Forwarded). A checks wait's check records and tray items record the contract.
const Contract = 4

// ChecksPlanned reports whether a partner checks' wait parked by a definition speaking contract c (its check
// records' and tray items' Contract; 0: before contract 4, which recorded none on them) is told the
// decision's plan when it ends (TellPlan), rather than a CheckResult its replan step follows.
func ChecksPlanned(c int) bool { return c >= 4 }

// DefaultUnmarkedContract is the contract taken for a wait whose payload carried none, unless the stack says
// otherwise (Env.UnmarkedContract): the definition this one replaced.
const DefaultUnmarkedContract = 2

// NamedOutcomes reports whether a wait parked by a definition speaking contract c (0: unmarked, read as
// unmarked, or DefaultUnmarkedContract when that is 0) catches the named outcomes.
func NamedOutcomes(c, unmarked int) bool {
	if c == 0 {
		c = unmarked
	}
	if c == 0 {
		c = DefaultUnmarkedContract
	}
	return c >= 2
}

// Start is the execution input: the contact id (also the execution name) and routing facts.
type Start struct {
	ContactID domain.ContactID   `json:"contactId"`
	Authority domain.AuthorityID `json:"authority"`
	// Name is the execution's name (not part of the machine's input): domain.Contact.ExecutionName, the
	// contact id when empty. Deterministic, so a redelivered start starts nothing twice.
	Name string `json:"-"`
}

// ExecutionName is the name to start the execution under: Name, or the contact id.
func (s Start) ExecutionName() string {
	if s.Name != "" {
		return s.Name
	}
	return string(s.ContactID)
}

// StepInput is what every step receives.
type StepInput struct {
	ContactID domain.ContactID   `json:"contactId"`
	Authority domain.AuthorityID `json:"authority"`
	Tray      string             `json:"tray,omitempty"`   // tray and escalate steps
	Agency    domain.Agency      `json:"agency,omitempty"` // partner-checks (one per token: contracts 1 and 2) and check escalation
	// Agencies are the agencies the partner-checks step asks under one token (state RequestChecks, contract 3);
	// empty: nothing to ask.
	Agencies  []domain.Agency `json:"agencies,omitempty"`
	TaskToken string          `json:"taskToken,omitempty"` // waitForTaskToken steps
	DueAt     string          `json:"dueAt,omitempty"`     // RFC3339 deadline of a token wait
	Plan      bool            `json:"plan,omitempty"`      // tray step: the replan state (no token)
	// Contract is the contact machine's contract with its handlers that the calling definition speaks
	// (Contract; 0: a definition from before contracts were marked, contract 1 or 2): a handler keeps
	// answering what that definition expects (docs/deployment.md "Changing the state machine").
	Contract int `json:"contract,omitempty"`
}

// RouteOutput is the out-of-hours step's result.
type RouteOutput struct {
	Route    domain.Route `json:"route"`
	OpenAt   string       `json:"openAt"`   // RFC3339: when screening may start (now, if open)
	ReviewBy string       `json:"reviewBy"` // RFC3339 ooh-review deadline, "" when open
}

// StartOutput is the contact machine's first task's result (state RouteOutOfHours, the out-of-hours
// function): the route and, when the MASH is open, the screening done in the same invocation (docs/cost.md
// "Fewer state transitions"). Closed: Next is "" and the Wait is empty; the machine waits for the opening and
// screens then (state Screening). Every field is always present, so the ASL's ResultSelector never reads a
// missing path.
type StartOutput struct {
	RouteOutput
	Next string `json:"next"`
	Wait
}

// Screening's next steps.
const (
	NextRating             = "rating"
	NextForwarded          = "forwarded"
	NextReturnedForConsent = "returned-for-consent"
	NextClosed             = "closed"
)

// Wait is a token wait's deadline: the instant (carried to the tray item) and the seconds the ASL's
// TimeoutSecondsPath/HeartbeatSecondsPath read. The heartbeat is the shorter "nobody has touched it" limit: the
// console sends a heartbeat when someone opens the item.
type Wait struct {
	DueAt            string `json:"dueAt"`
	TimeoutSeconds   int64  `json:"timeoutSeconds"`
	HeartbeatSeconds int64  `json:"heartbeatSeconds"`
}

// ScreeningOutput is the screening step's result.
type ScreeningOutput struct {
	Next string `json:"next"`
	Wait
}

// RatingResult is what the console/API sends with SendTaskSuccess on the rating tray's token.
type RatingResult struct {
	Rating                 domain.Rating   `json:"rag"`
	Checks                 bool            `json:"checks"`
	Agencies               []domain.Agency `json:"agencies"`
	ChecksDueAt            string          `json:"checksDueAt"`
	ChecksTimeoutSeconds   int64           `json:"checksTimeoutSeconds"`
	ChecksHeartbeatSeconds int64           `json:"checksHeartbeatSeconds"`
	// DecisionWait is the decision's deadline. The decision wait reads it at $.rating.decisionWait, and its
	// escalation writes the next one there (no Pass state copies it: one state transition less per contact).
	DecisionWait Wait `json:"decisionWait"`
	// DecisionDueAt, DecisionTimeoutSeconds and DecisionHeartbeatSeconds are DecisionWait as a contract 1
	// definition reads it (its DecisionWait Pass state and its replan step's ResultSelector): always set with it
	// (PlanResult), so an execution started on that definition still finds them.
	DecisionDueAt            string `json:"decisionDueAt"`
	DecisionTimeoutSeconds   int64  `json:"decisionTimeoutSeconds"`
	DecisionHeartbeatSeconds int64  `json:"decisionHeartbeatSeconds"`
	// Forwarded: the contact left the MASH while it waited (a screener confirmed a person match to an open
	// or recently closed case): the machine goes straight to Notify. Told as the named outcome Forwarded on
	// a rating wait (Tell); in the replan step's output, read by the ASL's Choice (always present, so it never
	// reads a missing path).
	Forwarded bool `json:"forwarded"`
	// Merged: the contact was merged into another as a duplicate; the machine ends (state Merged). Told as
	// the named outcome Merged (Tell).
	Merged bool `json:"merged,omitempty"`
}

// CheckResult is what an agency's answer sends with SendTaskSuccess on a partner-check token.
type CheckResult struct {
	Agency     domain.Agency `json:"agency"`
	Answered   bool          `json:"answered"`
	RaisedRisk bool          `json:"raisedRisk"`
	// Superseded: a re-rating replaced this wait; the machine's replan step asks the agency again.
	Superseded bool `json:"superseded,omitempty"`
}

// DecisionResult is what the console/API sends with SendTaskSuccess on the decision tray's token.
type DecisionResult struct {
	Outcome domain.OutcomeCode `json:"outcome"`
	// Rerated: a re-rating replaced the decision wait; the machine goes back through its replan step. Told as
	// the named outcome Rerated (Tell).
	Rerated bool `json:"rerated"`
	// Merged: the contact was merged into another as a duplicate; the machine ends (state Merged). Told as
	// the named outcome Merged (Tell).
	Merged bool `json:"merged,omitempty"`
}

// EscalateOutput is the escalate step's result: the next wait, and the agency for an overdue check.
type EscalateOutput struct {
	Wait
	Agency domain.Agency `json:"agency,omitempty"`
}

// NotifyOutput is the notifications step's result.
type NotifyOutput struct {
	Sent int `json:"sent"`
}

// TransientError marks a failure worth retrying (store throttled, network). The ASL retries it by this
// name: aws-lambda-go reports a returned error's Go type name as errorType.
type TransientError struct{ Err error }

func (e *TransientError) Error() string { return "transient: " + e.Err.Error() }
func (e *TransientError) Unwrap() error { return e.Err }

// ContactNotFound is returned by a step whose contact id is not in the store. It is not retried.
type ContactNotFound struct{ ID domain.ContactID }

func (e *ContactNotFound) Error() string { return "contact " + string(e.ID) + " not found" }

// Merged, Forwarded and Rerated are the named outcomes that end a person's wait otherwise than going on
// (Tell): the wait fails with the name, and its Catch routes the machine (to Merged, Notify, or Replan). The
// happy path goes straight on from the wait, with no Choice state to read a flag: one billed state transition
// fewer per wait (docs/cost.md "Fewer state transitions"). Causes carry no personal data.
type (
	// Merged: the contact was merged into another as a duplicate while it waited; its machine ends.
	Merged struct{}
	// Forwarded: the contact left the MASH while it waited for its rating (a screener confirmed a person match
	// to an open or recently closed case); on to Notify.
	Forwarded struct{}
	// Rerated: a re-rating replaced the decision wait; back through the replan step.
	Rerated struct{}
	// ChecksNeeded: the replan step found checks still to ask (a re-rating while the checks ran); on to the
	// plan of those checks and the partner checks again.
	ChecksNeeded struct{}
)

func (*Merged) Error() string    { return "merged into another contact as a duplicate" }
func (*Forwarded) Error() string { return "forwarded: the contact left the MASH while it waited" }
func (*Rerated) Error() string   { return "re-rated while the decision waited" }
func (*ChecksNeeded) Error() string {
	return "checks still to ask: the rating changed while the checks ran"
}

// ASLErrors lists every error type the state machines name in Retry/Catch, keyed by the ErrorEquals
// string; a test pins that each key equals its Go type name and that the ASL names no other.
var ASLErrors = map[string]error{
	"TransientError":  &TransientError{},
	"ContactNotFound": &ContactNotFound{},
	"Merged":          &Merged{},
	"Forwarded":       &Forwarded{},
	"Rerated":         &Rerated{},
	"ChecksNeeded":    &ChecksNeeded{},
}
