package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/domain"
)

// KeyKind says where an idempotency key comes from.
type KeyKind string

const (
	KeySES       KeyKind = "ses"        // the SES receipt's message id
	KeyMessageID KeyKind = "message-id" // the RFC 5322 Message-ID header
	KeyAPI       KeyKind = "api"        // the HTTP Idempotency-Key header
)

// Valid reports whether k is a known kind.
func (k KeyKind) Valid() bool { return k == KeySES || k == KeyMessageID || k == KeyAPI }

// DefaultKeyTTL is how long an idempotency key lives when ExpiresAt is zero.
const DefaultKeyTTL = 90 * 24 * time.Hour

// IdempotencyKey identifies one delivery. The value is stored only as a SHA-256 hash.
type IdempotencyKey struct {
	Kind KeyKind
	// Authority scopes the key (one table may serve several authorities locally); may be empty.
	Authority domain.AuthorityID
	Value     string
	// ExpiresAt is when the key may be forgotten (TTL); zero means now + DefaultKeyTTL.
	ExpiresAt time.Time
}

// IsZero reports whether no key was given.
func (k IdempotencyKey) IsZero() bool { return k.Kind == "" && k.Value == "" }

// Hash is the stored form of the key: kind, authority and the hex SHA-256 of the value.
func (k IdempotencyKey) Hash() string {
	h := sha256.Sum256([]byte(k.Value))
	return string(k.Kind) + "#" + string(k.Authority) + "#" + hex.EncodeToString(h[:])
}

// Validate names a bad field of a key.
func (k IdempotencyKey) Validate() error {
	var p domain.Problems
	if !k.Kind.Valid() {
		p.Add("key.kind", "must be ses, message-id or api")
	}
	if k.Value == "" {
		p.Add("key.value", "is required")
	}
	return p.Err()
}

// DuplicateError says an idempotency key was already used; ContactID is the contact it points at.
// errors.Is(err, domain.ErrDuplicate) holds and domain.ErrorCode(err) is duplicate.
type DuplicateError struct {
	ContactID domain.ContactID
	Kind      KeyKind
}

func (e *DuplicateError) Error() string {
	return "duplicate: " + string(e.Kind) + " key already used by contact " + string(e.ContactID)
}

// Unwrap exposes the domain error so errors.Is/As and domain.ErrorCode see code duplicate.
func (e *DuplicateError) Unwrap() error {
	return &domain.Error{Code: domain.CodeDuplicate, Message: "idempotency key already used"}
}

// AuditEvent is one entry of a contact's audit trail: who did what, when, why, and what was shared with whom.
// Detail must hold IDs and codes, never restricted information.
type AuditEvent struct {
	ContactID domain.ContactID `json:"contactId"`
	// ID orders events within a contact; the store assigns one when empty that sorts by At, then by the
	// order this process wrote the events (core.timeID), never by chance.
	ID         string            `json:"id"`
	At         time.Time         `json:"at"`
	Actor      string            `json:"actor"`  // user id, "system", or a function name
	Action     string            `json:"action"` // e.g. "contact.created", "rating.set", "restricted.read"
	Reason     string            `json:"reason,omitempty"`
	SharedWith []string          `json:"sharedWith,omitempty"`
	Detail     map[string]string `json:"detail,omitempty"`
	// Simulated: written under a simulated clock (mash run/demo --start-at); set by the store.
	Simulated bool `json:"simulated,omitempty"`
}

// Validate names a bad field of an event (before defaults are applied: ContactID, ID and At may be empty).
func (e AuditEvent) Validate() error {
	var p domain.Problems
	if e.Actor == "" {
		p.Add("event.actor", "is required")
	}
	if e.Action == "" {
		p.Add("event.action", "is required")
	}
	return p.Err()
}

// CaseState is what the council's case records say about a child: an open case with its allocated worker,
// or the date and unit of the last closure (three-month rule).
type CaseState struct {
	OpenCase        bool      `json:"openCase"`
	AllocatedWorker string    `json:"allocatedWorker,omitempty"`
	ClosedAt        time.Time `json:"closedAt,omitzero"`
	ClosedUnit      string    `json:"closedUnit,omitempty"`
	// WorkerEmail is the allocated worker's (or the closing unit's) mailbox, from the council's case system:
	// a forwarded contact's notice goes there.
	WorkerEmail string `json:"workerEmail,omitempty"`
	// CaseID is the case system's own id of an imported case record (shared/cases); empty for an entry a
	// contact made.
	CaseID string `json:"caseId,omitempty"`
	// Person is who the case is about, as the case system names them (an imported case record only): person
	// matching reads it.
	Person *CasePerson `json:"person,omitempty"`
}

// CasePerson is the child of an imported case record.
type CasePerson struct {
	GivenName   string      `json:"givenName"`
	FamilyName  string      `json:"familyName"`
	DateOfBirth domain.Date `json:"dateOfBirth"`
	NHSNumber   string      `json:"nhsNumber,omitempty"`
	Address     string      `json:"address,omitempty"`
}

// ChildRecord is one entry of the children identity index.
type ChildRecord struct {
	ContactID   domain.ContactID   `json:"contactId"`
	Authority   domain.AuthorityID `json:"authority"`
	IdentityKey string             `json:"identityKey"`
	ReceivedAt  time.Time          `json:"receivedAt"`
	CaseState
}

// TrayItem is one piece of work in a tray.
type TrayItem struct {
	ID        string             `json:"id"`
	Tray      string             `json:"tray"`
	Authority domain.AuthorityID `json:"authority"`
	ContactID domain.ContactID   `json:"contactId,omitempty"`
	DueAt     time.Time          `json:"dueAt"`
	// Rule is the deadline rule id that set DueAt (shared/clock).
	Rule string `json:"rule,omitempty"`
	// TaskToken is the Step Functions token that completes the waiting state.
	TaskToken   string    `json:"taskToken,omitempty"`
	CreatedAt   time.Time `json:"createdAt"`
	ClaimedBy   string    `json:"claimedBy,omitempty"`
	ClaimedAt   time.Time `json:"claimedAt,omitzero"`
	CompletedBy string    `json:"completedBy,omitempty"`
	CompletedAt time.Time `json:"completedAt,omitzero"`
	// Note says something a worker must know about the item (e.g. a check request that went to the MASH
	// inbox because the agency has no desk mailbox on record).
	Note string `json:"note,omitempty"`
	// Contract is the contact machine's contract (workflow.Contract) that the definition which parked this wait
	// speaks; 0: parked by a definition from before contracts were marked. The wait is told in its terms.
	Contract int `json:"contract,omitempty"`
	// Version is the stored item's version, set by GetTrayItem: a completion that carries the item as read
	// (Completion.Wait) closes it under that version without the store reading it again. Never stored in the
	// document.
	Version int64 `json:"-"`
	// Owed, set by GetTrayItem, says a completion of this wait is kept on the item and not ended yet: the
	// workflow is still to be told (the SLA sweep does not take such a contact for stuck). Never stored.
	Owed bool `json:"-"`
	// Host, set by the store when it reads an item kept on a partner check's record (a check's item on the
	// checks tray, since docs/cost.md's cut: no item of its own), is that record as stored beside it, which
	// every write of the item keeps. Never stored in the item's own document.
	Host json.RawMessage `json:"-"`
}

// CheckAnswer is what an agency said.
type CheckAnswer struct {
	At      time.Time `json:"at"`
	By      string    `json:"by"`
	Summary string    `json:"summary"`
	// RiskHigher: the agency flags that the risk is higher than rated.
	RiskHigher bool `json:"riskHigher"`
	// NothingKnown: the agency holds no information.
	NothingKnown bool `json:"nothingKnown,omitempty"`
	// RestrictedRecords is how many restricted records came with the answer (a police check's); the records
	// themselves are written apart, in the same atomic write (Restricted), never into the check.
	RestrictedRecords int `json:"restrictedRecords,omitempty"`
	// Restricted are restricted police records to write with the answer.
	Restricted []RestrictedRecord `json:"-"`
}

// CheckRequest is one partner-agency check for a contact.
type CheckRequest struct {
	ID          string             `json:"id"`
	ContactID   domain.ContactID   `json:"contactId"`
	Authority   domain.AuthorityID `json:"authority"`
	Agency      domain.Agency      `json:"agency"`
	Mandatory   bool               `json:"mandatory,omitempty"`
	RequestedAt time.Time          `json:"requestedAt"`
	DueAt       time.Time          `json:"dueAt"`
	TaskToken   string             `json:"taskToken,omitempty"`
	// Contract is the contract of the definition whose wait asked the check (workflow.Contract; 0: before
	// contract 4, which recorded none): under contract 4 the answer that ends the wait tells it the decision's
	// plan (workflow.ChecksPlanned).
	Contract int          `json:"contract,omitempty"`
	Answer   *CheckAnswer `json:"answer,omitempty"`
	// AnswerLink is the single-use answer link the request's email carried, kept so that every chase carries
	// the same link. Like TaskToken it is a bearer secret: the API and the console never show it.
	AnswerLink string `json:"answerLink,omitempty"`
	// AnswerLinkExpiresAt is when that link stops working (a chase after it carries the console link only).
	AnswerLinkExpiresAt time.Time `json:"answerLinkExpiresAt,omitzero"`
	// AnswerLinkUsedAt is when that link was used (Links.ConsumeLink), when its token is of CheckLinkToken's form:
	// the link is kept on the check record, not as a link item of its own. Zero: not used, or a link item's.
	AnswerLinkUsedAt time.Time `json:"answerLinkUsedAt,omitzero"`
	// Closed is set when a manager closed the check unanswered: the chase stops.
	Closed *CheckClosure `json:"closed,omitempty"`
	// Chases counts the reminders the agency was sent; NextChaseAt is when the SLA sweep chases it again
	// (the policy's escalation.repeat after the last chase).
	Chases      int       `json:"chases,omitempty"`
	NextChaseAt time.Time `json:"nextChaseAt,omitzero"`
	// Version is the stored item's version, set by the store when it reads the request (GetCheck,
	// ListChecks): a change that names the request as read (CheckWrite.Read) is written under it without the
	// store reading the request again. Never stored in the document.
	Version int64 `json:"-"`
	// Kept, set by the store when it reads the request, is what its record keeps beside it (the check's item on
	// the checks tray, since docs/cost.md's cut), which every write of the request keeps. Never in the
	// request's own JSON.
	Kept json.RawMessage `json:"-"`
}

// Open reports whether the check still waits for the agency: neither answered nor closed.
func (r CheckRequest) Open() bool { return r.Answer == nil && r.Closed == nil }

// KeptItem reads the check's item on the checks tray as its record keeps it (Kept, as the store read it):
// open when the item is not completed, completion when a completion its wait is owed is kept on it (owed or
// already told). ok is false when the record keeps no item (one written before the item moved onto its
// record, or stripped by the retention job).
func (r CheckRequest) KeptItem() (open, completion, ok bool) {
	if len(r.Kept) == 0 {
		return false, false, false
	}
	var d struct {
		CompletedAt time.Time       `json:"completedAt"`
		Owed        json.RawMessage `json:"owed"`
	}
	if err := json.Unmarshal(r.Kept, &d); err != nil {
		return false, false, false
	}
	return d.CompletedAt.IsZero(), len(d.Owed) > 0 && string(d.Owed) != "null", true
}

// CheckClosure is a manager closing an unanswered check, with the reason.
type CheckClosure struct {
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Reason string    `json:"reason"`
}

// CheckChase is one reminder to an agency whose check is overdue, and when the next is due.
type CheckChase struct {
	At   time.Time `json:"at"`
	Next time.Time `json:"next"`
}

// Notification is one message in the outbox.
type Notification struct {
	ID         string             `json:"id"`
	ContactID  domain.ContactID   `json:"contactId,omitempty"`
	Authority  domain.AuthorityID `json:"authority"`
	Kind       string             `json:"kind"` // e.g. "acknowledgement", "feedback", "encompass", "escalation"
	To         []string           `json:"to"`
	Cc         []string           `json:"cc,omitempty"` // copied (e.g. the deputy DSL of an Encompass notice)
	Subject    string             `json:"subject"`
	Text       string             `json:"text"`
	HTML       string             `json:"html,omitempty"`
	CreatedAt  time.Time          `json:"createdAt"`
	SentAt     time.Time          `json:"sentAt,omitzero"`
	ProviderID string             `json:"providerId,omitempty"`
	// Attempts counts failed sends; LastError is the last failure's code (never an address or a name).
	Attempts  int    `json:"attempts,omitempty"`
	LastError string `json:"lastError,omitempty"`
	// UndeliverableAt is set when the outbox gave up on the message (its retries spent, or a failure no retry
	// cures, such as a recipient that is not an address): it leaves the pending list, and a person reads
	// UndeliverableReason in the undeliverable tray.
	UndeliverableAt     time.Time `json:"undeliverableAt,omitzero"`
	UndeliverableReason string    `json:"undeliverableReason,omitempty"`
	// Version is the stored item's version, set by the store when it reads or writes the message
	// (ListNotifications, PendingNotifications, MarkSent): MarkSentLoaded writes under it without reading the
	// message again. Never stored in the document.
	Version int64 `json:"-"`
	// Batch names the messages stored with this one in one item, when its change queued more than one (their
	// ids in stored order; the item is keyed by the first: docs/cost.md "The messages of one change kept in one
	// item"); nil for a message stored alone. Set by the store when it reads or writes the message, as Version
	// (the item's version): RecordSends writes the item from the caller's copies without reading it when they
	// are every message the item holds. Never stored in the document; the messages of one read share it: read it,
	// never change it.
	Batch []string `json:"-"`
}

// AsOneItem is the messages one change queues as the store keeps them (docs/cost.md "The messages of one change
// kept in one item"): each id once (the first), and, when there are several, in id order (the item is keyed by
// the first, so the same messages queued again in another order have the same key) with Batch naming them all.
// Version is left as given. For a caller that hands over what a write queued as it was written (intake's
// store.Queued).
func AsOneItem(ns []Notification) []Notification {
	out := make([]Notification, 0, len(ns))
	for _, n := range ns { // insertion by id (a few messages: no sort in every binary), each id once (the first)
		k := 0
		for k < len(out) && out[k].ID < n.ID {
			k++
		}
		if k < len(out) && out[k].ID == n.ID {
			continue
		}
		n.Batch = nil
		out = append(out, n)
		copy(out[k+1:], out[k:])
		out[k] = n
	}
	if len(out) < 2 {
		return out
	}
	ids := make([]string, len(out))
	for i := range out {
		ids[i] = out[i].ID
	}
	for i := range out {
		out[i].Batch = ids
	}
	return out
}

// SendOutcome is what one send of a message came to, for RecordSends: Sent (with the provider's id), or a
// failure (Reason: an error code, never an address; GiveUp also makes it undeliverable).
type SendOutcome struct {
	Notification Notification // as read (its Version and Batch)
	Sent         bool
	ProviderID   string
	Reason       string
	GiveUp       bool
}

// Link is a single-use token (e.g. in a partner's answer link) with an expiry.
type Link struct {
	Token     string           `json:"-"` // kept only as a hash
	Purpose   string           `json:"purpose"`
	ContactID domain.ContactID `json:"contactId,omitempty"`
	Subject   string           `json:"subject,omitempty"` // e.g. the check id
	ExpiresAt time.Time        `json:"expiresAt"`
	UsedAt    time.Time        `json:"usedAt,omitzero"`
}

// RestrictedRecord is police information only vetted roles may read.
type RestrictedRecord struct {
	ID             string    `json:"id"`
	Source         string    `json:"source"`         // e.g. "police"
	Classification string    `json:"classification"` // e.g. "intelligence"
	Text           string    `json:"text"`
	RecordedBy     string    `json:"recordedBy"`
	RecordedAt     time.Time `json:"recordedAt"`
	// Attachments are kept as blobs (S3 with KMS), never in the table.
	Attachments []RestrictedAttachment `json:"attachments,omitempty"`
}

// RestrictedAttachment is where a restricted record's file is kept.
type RestrictedAttachment struct {
	Filename    string `json:"filename"`
	ContentType string `json:"contentType"`
	Key         string `json:"key"`
	Size        int    `json:"size"`
}

// QuarantineItem is a message intake could not accept.
type QuarantineItem struct {
	ID        string             `json:"id"`
	Authority domain.AuthorityID `json:"authority"`
	// Reason is a code, e.g. "virus", "too-large", "unparseable", "sender-not-allowed".
	Reason     string    `json:"reason"`
	RawKey     string    `json:"rawKey"` // where the raw bytes are kept: an S3 key or a local path
	Size       int64     `json:"size"`
	ReceivedAt time.Time `json:"receivedAt"`
	ReleasedAt time.Time `json:"releasedAt,omitzero"`
	ReleasedBy string    `json:"releasedBy,omitempty"`
	// Discarded: a manager decided the message is not a contact (spam, sent in error). The item and its raw
	// bytes stay; it only leaves the list.
	DiscardedAt     time.Time `json:"discardedAt,omitzero"`
	DiscardedBy     string    `json:"discardedBy,omitempty"`
	DiscardedReason string    `json:"discardedReason,omitempty"`
}

// School is one establishment of an authority's school directory (Operation Encompass): the DfE fields a
// council already holds (URN, name, type, phase, postcode, open or closed) and the council's own record of
// the school's Designated Safeguarding Lead. Imported and checked by shared/directory.
type School struct {
	Authority      domain.AuthorityID `json:"authority"`
	URN            string             `json:"urn"` // DfE unique reference number
	Name           string             `json:"name"`
	Type           string             `json:"type,omitempty"`  // e.g. "Community school", "Academy converter"
	Phase          string             `json:"phase,omitempty"` // e.g. "Primary", "Secondary"
	Postcode       string             `json:"postcode,omitempty"`
	Open           bool               `json:"open"`
	DSLEmail       string             `json:"dslEmail,omitempty"`
	DeputyDSLEmail string             `json:"deputyDslEmail,omitempty"`
	DSLPhone       string             `json:"dslPhone,omitempty"`
	UpdatedAt      time.Time          `json:"updatedAt,omitzero"`
	UpdatedBy      string             `json:"updatedBy,omitempty"`
}

// DirectoryTrail is the audit trail (ListAudit key) of an authority's school directory: every import and
// edit is an event there, naming the editor.
func DirectoryTrail(a domain.AuthorityID) domain.ContactID {
	return domain.ContactID("directory-schools-" + string(a))
}

// SARTrail is the audit trail of an authority's subject access requests that matched no child: each is an
// event there under a pseudonymous subject id (a hash; no name or date of birth), so that the retention job
// can find and expire them.
func SARTrail(a domain.AuthorityID) domain.ContactID {
	return domain.ContactID("sar-requests-" + string(a))
}

// CasesTrail is the audit trail of an authority's case-record imports (shared/cases): who loaded which
// case records, when.
func CasesTrail(a domain.AuthorityID) domain.ContactID {
	return domain.ContactID("case-records-" + string(a))
}

// Completion is one workflow completion a person's action owes (the outbox of completions, issue #13): the task
// token of the wait the action answers and what the workflow is told. It is written in the action's own atomic
// write (Change.Completions) and done once Step Functions acknowledges it, or says the wait is over.
type Completion struct {
	// ID is the tray item id of the wait (one completion per wait).
	ID        string             `json:"id"`
	ContactID domain.ContactID   `json:"contactId"`
	Authority domain.AuthorityID `json:"authority"`
	Tray      string             `json:"tray"`
	TaskToken string             `json:"taskToken"`
	// Output is the SendTaskSuccess output: ids and codes only (a rating's plan, an outcome code).
	Output json.RawMessage `json:"output"`
	// Contract is the contract of the definition that parked the wait (its tray item's Contract): whether a
	// result that ends the wait otherwise than going on is told as a named outcome (workflow.Tell).
	Contract  int       `json:"contract,omitempty"`
	By        string    `json:"by"`
	CreatedAt time.Time `json:"createdAt"`
	// Attempts counts failed sends; LastError is the last failure's code.
	Attempts  int    `json:"attempts,omitempty"`
	LastError string `json:"lastError,omitempty"`
	// Streamed: the table's stream tells it (a store with SendByStream: docs/cost.md "Completions told from the
	// table's stream"), so it is on the pending list (PendingCompletions) only once a send of it has failed. Set
	// by the store when the change writes it.
	Streamed bool `json:"streamed,omitempty"`
	// Wait, when set, is the wait's tray item as the caller read it (GetTrayItem, with its Version): the change
	// closes it under that version without reading it again (a tray item changed since is read once more).
	// Without it, the store reads the item. The store keeps the completion on that item (docs/cost.md), and in
	// what it gives back (Change.Completions as written, PendingCompletions) Wait is the item
	// it is kept on, as stored, with Version the item's; nil for a completion kept as an item of its own. Never
	// stored.
	Wait *TrayItem `json:"-"`
	// DoneAt is when it ended and Result how (CompletionAcknowledged, or CompletionWaitOver + the code).
	DoneAt time.Time `json:"doneAt,omitzero"`
	Result string    `json:"result,omitempty"`
	// Version is the stored item's version (the tray item's it is kept on, or its own): set by the store when it
	// reads a completion (PendingCompletions) and, in Change.Completions, when a change writes it. CompletionDoneLoaded writes under
	// it without reading the completion again. Never stored in the document.
	Version int64 `json:"-"`
}

// Results of a completion.
const (
	// CompletionAcknowledged: Step Functions accepted the SendTaskSuccess.
	CompletionAcknowledged = "acknowledged"
	// CompletionWaitOver: the workflow no longer waits on the token (already completed, timed out, or its
	// execution gone); the code follows after a colon. The sweep's reconciliation mends the contact.
	CompletionWaitOver = "wait-over"
)

// WaitItemID is the id of the tray item a rating's or a decision's wait parks (shared/trays Park): its
// contact, its tray and a key of the wait (a hash of its task token), with a "w" that tells it from the ids of
// items parked before. The store keeps such an item in its contact's partition (Trays.Waits).
func WaitItemID(contact domain.ContactID, tray, key string) string {
	return string(contact) + "#" + tray + "#w" + key
}

// WaitItemOf reads a wait item's id (WaitItemID): its contact, its tray (rating or decision) and its key, with
// the w; ok false for any other id.
func WaitItemOf(id string) (contact domain.ContactID, tray, key string, ok bool) {
	parts := strings.Split(id, "#")
	if len(parts) != 3 || parts[0] == "" || len(parts[2]) < 2 || parts[2][0] != 'w' {
		return "", "", "", false
	}
	if parts[1] != string(domain.TrayRating) && parts[1] != string(domain.TrayDecision) {
		return "", "", "", false
	}
	return domain.ContactID(parts[0]), parts[1], parts[2], true
}
