// Package store holds the ports every function reads and writes through, the records they carry, and the
// errors they return. Two adapters implement Store: shared/store/dynamo (production, one DynamoDB table) and
// shared/store/embedded (make run, pure-Go SQLite). shared/store/storetest is the one contract suite both
// must pass.
//
// # Design notes
//
//   - Both adapters share one implementation of every method (shared/store/internal/core) written against
//     a tiny backend: get, query by partition, query an index, an atomic conditional multi-put and an atomic
//     counter. The adapters differ only in that backend, so "both must behave identically" holds by
//     construction and the contract suite pins it.
//   - Layout (the same in both adapters): partition key pk, sort key sk, two sparse indexes gsi1 (children
//     identity; contacts by authority+status) and gsi2 (queues sorted by time: trays, pending outbox,
//     quarantine), ttl in epoch seconds. See internal/core/keys.go for every key shape.
//   - Keys never carry personal data, with one documented exception: the children identity index key is the
//     normalised name + date of birth (domain.Child.IdentityKey), prefixed "child#<authority>#". Matching
//     needs it; it lives inside the KMS-encrypted table. Idempotency keys and link tokens are stored hashed.
//   - Every change to a contact is written in the same atomic write as the audit event that records it.
//     Audit events are conditional puts; the ports have no method that updates or deletes one. The events
//     of one change of a contact or consultation are stored as one item (internal/core auditsPut: one
//     write instead of one per event, docs/cost.md) and read back one by one.
//   - Restricted police information lives under its own partition prefix ("restricted#"); only
//     Restricted.GetRestricted reads it, and every read first appends an audit event.
//   - TTL: DynamoDB deletes expired items lazily, so both adapters treat an item whose ttl has passed as
//     absent on every read, and let a conditional create replace it.
//   - Reads of indexes (ListContacts, ContactByReference, FindChildren, DueItems, PendingNotifications, ListQuarantine) are
//     eventually consistent in DynamoDB; reads by key and by contact partition are strongly consistent.
//   - No method scans a table.
package store

import (
	"context"
	"time"

	"github.com/safeguarding/mash/shared/domain"
)

// Store is everything a function may persist. Both adapters implement it; colleagues depend on the smaller
// ports where they can.
type Store interface {
	Contacts
	Idempotency
	Sequences
	Children
	Trays
	Checks
	Outbox
	Links
	Restricted
	Quarantines
	Audit
	Directories
	Completions
	Consultations
	// Close releases the store's resources (the embedded file; a no-op for DynamoDB).
	Close() error
}

// Contacts stores one contact per child. Contacts are written whole, validated (domain.Contact.Validate:
// a bad contact is a domain invalid error naming the field) and versioned: the store sets Version and
// UpdatedAt, callers never do.
type Contacts interface {
	// CreateContact writes, in ONE atomic write, the contact, its idempotency key (optional: a zero key is
	// skipped), its children-index entry (when the child has an identity key) and the first audit event
	// (ev.ContactID defaults to c.ID; ev.At to now). c gets Version 1 and UpdatedAt = now.
	// A key that was used before (and has not expired) fails the whole write with *DuplicateError carrying
	// the first contact's id (errors.Is(err, domain.ErrDuplicate)); an existing contact id is a conflict.
	CreateContact(ctx context.Context, c *domain.Contact, key IdempotencyKey, ev AuditEvent) error
	// CreateHousehold writes several contacts (one per child of a household) with their keys and events
	// in ONE atomic write: all or nothing. At most MaxHousehold contacts (DynamoDB transactions hold 100
	// items). The first used key found fails the write with *DuplicateError.
	CreateHousehold(ctx context.Context, cs []NewContact) error
	// GetContact reads a contact; a missing one is domain not_found.
	GetContact(ctx context.Context, id domain.ContactID) (*domain.Contact, error)
	// UpdateContact loads the contact, lets fn change it, and writes it back under a version check
	// together with the audit event fn returns (ev.ContactID defaults to id). fn's error is returned as is
	// and nothing is written. A concurrent change is domain conflict (load again and retry); changing the
	// id or the authority is invalid. The children-index entry follows a change of name or date of birth.
	UpdateContact(ctx context.Context, id domain.ContactID, fn func(*domain.Contact) (AuditEvent, error)) (*domain.Contact, error)
	// ContactByReference reads the authority's contact with this reference (the number people quote); a
	// missing one is domain not_found. It reads an index (gsi2): eventually consistent in DynamoDB.
	ContactByReference(ctx context.Context, authority domain.AuthorityID, ref domain.Reference) (*domain.Contact, error)
	// ChangeContact is UpdateContact for a lifecycle transition: fn returns every audit event of the change
	// and the outbox messages it causes, and the contact, its events and its messages are ONE atomic write
	// (the transactional outbox: nothing half-written). A message whose id is already in the contact's
	// outbox is not written again, nor its ActionNoticeQueued event. At least one event is required.
	ChangeContact(ctx context.Context, id domain.ContactID, fn func(*domain.Contact) (Change, error)) (*domain.Contact, error)
	// ChangeLoaded is ChangeContact from a contact the caller has just read (GetContact, with its Version):
	// the store does not read it again (one read less per change, docs/cost.md). fn changes a copy; the
	// caller's contact is left as it was. A contact changed since it was read is domain conflict and nothing
	// is written: read it again and retry (or call ChangeContact).
	ChangeLoaded(ctx context.Context, c *domain.Contact, fn func(*domain.Contact) (Change, error)) (*domain.Contact, error)
	// ListContacts returns an authority's contacts in one status, oldest ReceivedAt first (index gsi1).
	ListContacts(ctx context.Context, authority domain.AuthorityID, status domain.Status) ([]*domain.Contact, error)
}

// ActionNoticeQueued is the audit event of a message a change queues (Change.Outbox): its Detail
// "notification" names the message. A message already in the outbox is not written again, and neither is the
// change's notice.queued event that names it.
const ActionNoticeQueued = "notice.queued"

// Change is what one change of a contact writes besides the contact: its audit events (at least one) and the
// messages it queues in the outbox.
type Change struct {
	Events []AuditEvent
	Outbox []Notification
	// TrayItems are tray items the change puts (the raised-risk item on the service manager's tray), in the
	// same atomic write; one whose id already exists is not written again.
	TrayItems []TrayItem
	// Completions are the workflow completions a person's action owes (the outbox of completions, issue #13):
	// each is written pending in the same atomic write, and the tray item of its wait (Completion.ID), when
	// open, is closed in that write (by Completion.By); the store keeps the completion on that item (an item of
	// its own when the wait has none). One already recorded is not written again. Once the change is written,
	// the store sets each element as written (its defaults, its item's Version and Wait; Version 0 for one
	// already there), so that the caller can mark it done without a read (CompletionDoneLoaded).
	Completions []Completion
	// Checks are partner-check records the change writes, in the same atomic write: a new request, or an
	// answer, a closure or a chase of one the contact already has.
	Checks []CheckWrite
	// Closes are tray items of the changed contact that the change ends (the service manager's S47,
	// raised-risk and escalated-decision items a decision, a re-rating, a forward, a merge or the closure ends):
	// each one open is closed (by ItemClose.By) in the same atomic write, under its version as read; one absent
	// or already closed is left as it is. An item a completion of the change names is closed by the completion;
	// an item of another contact is invalid and nothing is written. A consultation's change (ChangeConsultation)
	// closes the consultation's own items the same way (its summary's item), and no other.
	Closes []ItemClose
}

// ItemClose names a tray item a change closes (Change.Closes) and who closed it.
type ItemClose struct {
	ID string
	By string
}

// CheckWrite is one partner-check record written by a contact's change. Set Request for a new request, or ID
// and one of Answer, Close and Chase for an existing request of the changed contact.
type CheckWrite struct {
	// Request is a new request (ID assigned when empty), written once: a request whose id already exists is
	// left as it is (a redelivered step writes nothing twice).
	Request *CheckRequest
	// ID names an existing request of the changed contact; not_found when there is none.
	ID string
	// Read, when set, is request ID as the caller read it inside this change (GetCheck, with its Version): the
	// store does not read it again, and writes the answer, closure or chase under that version (a request
	// changed since is domain conflict: the change is retried from fresh reads). Without it, the store reads
	// the request.
	Read *CheckRequest
	// Answer records the agency's answer once (a conflict when the check is answered or closed). Its
	// Restricted records are written in the same write with a "restricted.written" audit event, the contact's
	// Restricted notice counts them, and the check keeps only how many there were (as Checks.AnswerCheck).
	Answer *CheckAnswer
	// Close records a manager closing the check unanswered (a conflict when it is answered or closed).
	Close *CheckClosure
	// Chase records that the agency was chased again (Chases + 1, NextChaseAt); a conflict when the check
	// is answered or closed.
	Chase *CheckChase
	// LeaveContact: the change writing this record sets nothing on the contact (a partner check's answer that
	// leaves others open). When every check write of a change says so and the change indeed sets nothing on the
	// contact (its document as read, after the change's function and the store's own additions such as an
	// answer's Restricted notice), its items are written without rewriting the contact: no write of it, its
	// Version unchanged (docs/cost.md "An answer that leaves checks open does not rewrite the contact"). The
	// contact's version then guards nothing: the record, written under the version read (Read), is the guard,
	// which every change that ends the check's wait or takes the contact out of its checks writes too. A change
	// that does set something on the contact rewrites it as any change. Honoured by ChangeLoaded (ChangeContact
	// rewrites the contact whatever it asks).
	LeaveContact bool
}

// NewContact is one contact of a household write: the contact, the idempotency keys that point at it (any
// number, zero keys skipped) and its first audit event.
type NewContact struct {
	Contact *domain.Contact
	Keys    []IdempotencyKey
	Event   AuditEvent
	// MoreEvents are further audit events of the contact written in the same write (e.g. the attachments
	// kept for it), after Event.
	MoreEvents []AuditEvent
	// Number, when set, has the store give the contact its reference from the authority's sequence for
	// Number.Year (the same counter as NextReference) in the same atomic write, and record it in the first
	// audit event (Detail "reference"). A write that fails — a duplicate key, a crash — takes no number, so
	// the sequence has no gaps. Contact.Reference must be empty.
	Number *Numbering
	// Outbox, when set, is called with the contact as it will be written (numbered, versioned) and returns
	// the notifications to enqueue in the same atomic write: the transactional outbox, so no contact is
	// ever written without its acknowledgement queued. Each is validated as EnqueueNotification does.
	Outbox func(c *domain.Contact) ([]Notification, error)
	// Restricted are restricted police records of the contact, written in the same atomic write (issue 14:
	// never anywhere else). Their ids go into Event's Detail ("restricted"); the store sets the contact's
	// Restricted notice.
	Restricted []RestrictedRecord
	// TrayItems are tray items the new contact puts in the same atomic write (a PPN whose school a worker
	// must pick: the encompass-unmatched tray). ContactID and Authority default to the contact's, CreatedAt
	// to now.
	TrayItems []TrayItem
}

// Numbering names the reference sequence a new contact is numbered from: PREFIX-YYYY-NNNNNN.
type Numbering struct {
	Prefix string
	Year   int
}

// MaxHousehold is the most contacts one CreateHousehold may write (each takes up to 5 items — contact,
// children-index entry, audit event, acknowledgement, key — plus the sequence; a DynamoDB transaction holds
// at most 100).
const MaxHousehold = 18

// MaxHouseholdRestricted is the most contacts one CreateHousehold may write when each carries one
// restricted record (6 items each, plus keys and the sequence).
const MaxHouseholdRestricted = 16

// Idempotency maps the ids of deliveries (SES message id, RFC Message-ID, API Idempotency-Key) to the
// contact they created. Keys expire (ExpiresAt; DefaultKeyTTL when zero); an expired key reads as absent.
type Idempotency interface {
	// LookupKey returns the contact a key points at, or false when the key is unknown or expired.
	LookupKey(ctx context.Context, key IdempotencyKey) (domain.ContactID, bool, error)
	// PutIdempotencyKey records a further key for an existing contact (e.g. a second Message-ID). A live
	// key is *DuplicateError with the contact it points at.
	PutIdempotencyKey(ctx context.Context, key IdempotencyKey, id domain.ContactID) error
}

// Sequences hands out reference numbers.
type Sequences interface {
	// NextReference returns the next reference for an authority and year: PREFIX-YYYY-NNNNNN, starting
	// at 000001. The counter is atomic per authority+year: concurrent callers never get the same number and
	// no number is skipped.
	NextReference(ctx context.Context, authority domain.AuthorityID, prefix string, year int) (domain.Reference, error)
}

// Children is the identity index used by screening: identity match, open case → forward to the allocated
// worker, three-month rule → back to the closing unit (Hackney seed §4 B, Bexley seed §11).
type Children interface {
	// FindChildren returns every index entry with this identity key (domain.Child.IdentityKey) in the
	// authority, oldest ReceivedAt first. An empty key finds nothing.
	FindChildren(ctx context.Context, authority domain.AuthorityID, identityKey string) ([]ChildRecord, error)
	// RecordChildCase sets the case state (open case, allocated worker, closure date and unit) of the
	// entry CreateContact made for a contact; not_found when there is none.
	RecordChildCase(ctx context.Context, id domain.ContactID, state CaseState) (ChildRecord, error)
	// PutChildRecord writes a whole entry (upsert by ContactID), e.g. a case imported from the council's
	// case-management system. IdentityKey and Authority are required.
	PutChildRecord(ctx context.Context, r ChildRecord) error
}

// Trays are work queues (screening, checks, decisions, OOH review, Encompass acknowledgements) ordered
// by due time. One tray spans authorities: DueItems orders across them.
type Trays interface {
	// PutTrayItem adds an item (ID assigned when empty; CreatedAt defaults to now). An existing ID is
	// conflict. A wait item (its id a WaitItemID) is kept in its contact's partition and must name that
	// contact (it.ContactID), else invalid; nothing else is written with it (the contact is not rewritten: a
	// park that moves nothing). Returns the stored item.
	PutTrayItem(ctx context.Context, it TrayItem) (TrayItem, error)
	// GetTrayItem reads one item; not_found when missing.
	GetTrayItem(ctx context.Context, id string) (TrayItem, error)
	// DueItems returns the tray's uncompleted items (claimed or not) due strictly before `before`,
	// earliest DueAt first (ties by ID), at most limit (limit <= 0: no limit).
	DueItems(ctx context.Context, tray string, before time.Time, limit int) ([]TrayItem, error)
	// ClaimTrayItem marks an unclaimed, uncompleted item as taken by `by`; conflict otherwise.
	ClaimTrayItem(ctx context.Context, id, by string) (TrayItem, error)
	// CompleteTrayItem closes an item (claimed or not); it leaves the tray. Conflict when already done.
	CompleteTrayItem(ctx context.Context, id, by string) (TrayItem, error)
	// CloseTrayItem is CompleteTrayItem with ev, the audit event of a person closing the item by hand (their
	// note), written in the same atomic write: the trail never misses a close nor shows one that did not
	// happen. ev.ContactID defaults to the item's contact; an item with none needs ev to name its trail. Conflict
	// when already done (nothing written); a bad event is invalid and nothing is written.
	CloseTrayItem(ctx context.Context, id, by string, ev AuditEvent) (TrayItem, error)
	// UnclaimTrayItem puts a claimed, uncompleted item back for anyone to pick up, writing ev (its ContactID
	// defaults to the item's contact; the item must have one) in the same atomic write. Conflict when the
	// item is not claimed or is completed.
	UnclaimTrayItem(ctx context.Context, id string, ev AuditEvent) (TrayItem, error)
	// Waits returns the contact's wait items (WaitItemID: its rating and decision waits, open or closed), oldest
	// first, each with its Version and Owed. Waits parked before (a contact's Tasks) are not among them.
	Waits(ctx context.Context, contact domain.ContactID) ([]TrayItem, error)
}

// Checks are partner-agency MASH check requests and their answers, kept per contact.
type Checks interface {
	// PutCheckRequest records a request (ID assigned when empty). An existing ID is conflict.
	PutCheckRequest(ctx context.Context, r CheckRequest) (CheckRequest, error)
	// AnswerCheck records the agency's answer once; a second answer is conflict, a missing request
	// not_found. Returns the answered request. a.Restricted (a police check's restricted information) is
	// written to the contact's restricted records in the same atomic write, with an audit event, and the
	// contact's Restricted notice counts them; the check keeps only how many there were.
	AnswerCheck(ctx context.Context, contact domain.ContactID, checkID string, a CheckAnswer) (CheckRequest, error)
	// GetCheck reads one request.
	GetCheck(ctx context.Context, contact domain.ContactID, checkID string) (CheckRequest, error)
	// ListChecks returns a contact's requests ordered by ID.
	ListChecks(ctx context.Context, contact domain.ContactID) ([]CheckRequest, error)
}

// Outbox holds notifications to send (the local runner writes them to a folder, production sends them with
// SES). Enqueueing is idempotent on the notification ID.
type Outbox interface {
	// EnqueueNotification stores a notification (ID assigned when empty; CreatedAt defaults to now).
	// An existing ID is domain duplicate.
	EnqueueNotification(ctx context.Context, n Notification) (Notification, error)
	// ListNotifications returns a contact's notifications, oldest first.
	ListNotifications(ctx context.Context, contact domain.ContactID) ([]Notification, error)
	// PendingNotifications returns unsent notifications, oldest first, at most limit (<= 0: all). On a DynamoDB
	// store whose table's stream sends the outbox (SendByStream, as deployed), only those a send has failed on:
	// the stream hands every new message to the sender (docs/cost.md).
	PendingNotifications(ctx context.Context, limit int) ([]Notification, error)
	// MarkSent records that a notification went out (providerID: e.g. the SES message id). Conflict when
	// already sent, not_found when missing.
	MarkSent(ctx context.Context, contact domain.ContactID, id, providerID string) (Notification, error)
	// MarkSentLoaded is MarkSent for a message the caller has just read (ListNotifications,
	// PendingNotifications: its Version): the store does not read it again (one read less per message sent,
	// docs/cost.md). A message changed since it was read is read again and marked as MarkSent marks it; a
	// message without a Version is MarkSent.
	MarkSentLoaded(ctx context.Context, n Notification, providerID string) (Notification, error)
	// RecordSendFailure counts one failed send of a pending notification (reason: an error code, never an
	// address). giveUp also marks it undeliverable with that reason, which takes it off the pending list.
	// Conflict when already sent or undeliverable, not_found when missing.
	RecordSendFailure(ctx context.Context, contact domain.ContactID, id, reason string, giveUp bool) (Notification, error)
	// RecordSends records the outcomes of sends — each as MarkSentLoaded or RecordSendFailure would — with one
	// write per stored item: the messages one change queued are one item (Notification.Batch), so a flush that
	// sent them all marks them in one write, and one whose send failed is counted in that same write. An item
	// whose every message the caller gives, as read, is written without a read; otherwise it is read. errs[i] is
	// outcome i's: nil when recorded; conflict when the message had been sent, or given up on, already (a
	// concurrent flusher, as MarkSent's and RecordSendFailure's); not_found, or a store failure (internal: the
	// item's outcomes are not recorded, the others are).
	RecordSends(ctx context.Context, outcomes []SendOutcome) (errs []error)
}

// Links are single-use tokens with an expiry (e.g. a partner's answer link).
type Links interface {
	// PutLink stores a link; the token is kept only as a hash. Token and ExpiresAt are required; a live
	// token is conflict.
	PutLink(ctx context.Context, l Link) error
	// ConsumeLink uses a link once: not_found when unknown or expired, conflict when already used. A token of
	// CheckLinkToken's form is the answer link kept on its check record (CheckRequest.AnswerLink, until
	// AnswerLinkExpiresAt; used: AnswerLinkUsedAt), with Purpose PurposeCheckAnswer and the check as Subject.
	ConsumeLink(ctx context.Context, token string) (Link, error)
}

// Restricted holds police information only vetted roles may read, apart from the contact.
type Restricted interface {
	// PutRestricted stores a record (ID assigned when empty) and an audit event of the write, atomically.
	PutRestricted(ctx context.Context, contact domain.ContactID, r RestrictedRecord) (RestrictedRecord, error)
	// GetRestricted appends, in one atomic write, the read's audit record ("contact.read", what
	// "restricted") and a "restricted.read" event, both naming the reader, then returns the contact's
	// restricted records, oldest first. reader is required.
	GetRestricted(ctx context.Context, contact domain.ContactID, reader string) ([]RestrictedRecord, error)
}

// Quarantines keeps messages intake could not accept (the raw bytes stay where RawKey says).
type Quarantines interface {
	// Quarantine stores an item (ID assigned when empty) and, in the same atomic write, an audit event
	// "quarantined" whose ContactID is the quarantine id (ListAudit(ContactID(q.ID)) reads the item's trail).
	// An existing ID is conflict.
	Quarantine(ctx context.Context, q QuarantineItem) (QuarantineItem, error)
	// ListQuarantine returns an authority's unreleased items, oldest ReceivedAt first.
	ListQuarantine(ctx context.Context, authority domain.AuthorityID) ([]QuarantineItem, error)
	// GetQuarantine reads one item.
	GetQuarantine(ctx context.Context, id string) (QuarantineItem, error)
	// ReleaseQuarantine marks an item released by `by`; conflict when already released.
	ReleaseQuarantine(ctx context.Context, id, by string) (QuarantineItem, error)
	// DiscardQuarantine marks an item discarded by `by` with a reason (both required) and writes the
	// "quarantine.discarded" audit event in the same atomic write. It leaves the quarantine list; the item
	// and its raw message are kept (never deleted). Conflict when already released or discarded.
	DiscardQuarantine(ctx context.Context, id, by, reason string) (QuarantineItem, error)
}

// Audit is the append-only record of who did what, when, why and what was shared with whom. There is no
// method that updates or deletes an event.
type Audit interface {
	// AppendAudit writes one event (conditional put: an existing ID is conflict and the stored event is
	// unchanged). ID defaults to a time-ordered id, At to now. Returns the stored event.
	AppendAudit(ctx context.Context, ev AuditEvent) (AuditEvent, error)
	// AppendAudits writes several events (e.g. one per contact a list showed) in one atomic write per 100
	// events, each as AppendAudit would. Nothing is written when one is invalid.
	AppendAudits(ctx context.Context, evs []AuditEvent) error
	// ListAudit returns a contact's events in ID order: for store-assigned ids, time order (At), and events at
	// the same instant in the order they were written — a change's in the order it gives them, successive
	// writes of one process in the order made (storetest AuditOrderAsWrittenWithinATick).
	ListAudit(ctx context.Context, contact domain.ContactID) ([]AuditEvent, error)
}

// Directories holds each authority's directory of schools (Operation Encompass: the PPN's school → its DSL).
type Directories interface {
	// PutSchools writes schools (upsert by URN; Authority must be the given one, URN and Name are required)
	// and ev, the audit event naming the editor, under DirectoryTrail(authority). Writes are atomic per
	// chunk of MaxSchoolsPerWrite schools, each chunk with its own copy of the event (Detail "chunk"); a
	// failure part-way leaves the earlier chunks written, so an import is safe to run again. UpdatedAt and
	// UpdatedBy (ev.Actor) are set by the store. The directory's version goes up once per call.
	PutSchools(ctx context.Context, authority domain.AuthorityID, schools []School, ev AuditEvent) error
	// ListSchools returns an authority's schools in URN order.
	ListSchools(ctx context.Context, authority domain.AuthorityID) ([]School, error)
	// GetSchool reads one school; not_found when missing.
	GetSchool(ctx context.Context, authority domain.AuthorityID, urn string) (School, error)
	// DirectoryVersion counts the PutSchools calls of an authority (0: never), so a reader can keep a
	// match index and rebuild it only when the directory changed.
	DirectoryVersion(ctx context.Context, authority domain.AuthorityID) (int64, error)
}

// Completions is the outbox of workflow completions (issue #13): a person's action and the "complete this
// token" record it owes are one atomic write (Change.Completions); a completer sends SendTaskSuccess until it is
// acknowledged, or the workflow says the wait is over.
type Completions interface {
	// PendingCompletions returns completions not yet done, oldest first, at most limit (<= 0: all).
	PendingCompletions(ctx context.Context, limit int) ([]Completion, error)
	// CompletionDone records how a pending completion ended (result: CompletionAcknowledged, or
	// CompletionWaitOver with the workflow's code); it leaves the pending list. Conflict when already done,
	// not_found when missing.
	CompletionDone(ctx context.Context, contact domain.ContactID, id, result string) (Completion, error)
	// CompletionDoneLoaded is CompletionDone for a completion as the caller has it from the store (its
	// Version: PendingCompletions, or Change.Completions once written): not read again (one
	// read less per completion, docs/cost.md). One changed since is read again and ended as CompletionDone
	// ends it; one without a Version is CompletionDone.
	CompletionDoneLoaded(ctx context.Context, cp Completion, result string) (Completion, error)
	// CompletionFailed counts one failed attempt (reason: an error code, never personal data); the completion
	// stays pending. Conflict when already done, not_found when missing.
	CompletionFailed(ctx context.Context, contact domain.ContactID, id, reason string) (Completion, error)
}

// Consultations is the consultation log (Bexley §5–6, Hackney §8, Barnet's consultation line): professionals'
// requests for advice, kept apart from contacts. A consultation's audit events are kept under its id
// (ListAudit(k.ID.AuditID())), as a contact's are; so are the messages it sends (its written summary).
type Consultations interface {
	// CreateConsultation numbers the consultation from the authority's consultation sequence for Number.Year
	// (PREFIX-C-YYYY-NNNNNN, a counter of its own, apart from contacts') and writes it, ev (its first audit
	// event) and the tray items given (their ids set; an empty note becomes "consultation <reference>") in ONE
	// atomic write: a failed write takes no number.
	// k.Reference must be empty; the store sets it, Version 1 and UpdatedAt. An existing id is a conflict.
	CreateConsultation(ctx context.Context, k *domain.Consultation, number Numbering, ev AuditEvent, items []TrayItem) error
	// GetConsultation reads one; a missing one is domain not_found.
	GetConsultation(ctx context.Context, id domain.ConsultationID) (*domain.Consultation, error)
	// ConsultationByReference reads the authority's consultation with this reference; not_found when none
	// (index gsi2: eventually consistent in DynamoDB).
	ConsultationByReference(ctx context.Context, authority domain.AuthorityID, ref domain.Reference) (*domain.Consultation, error)
	// ListConsultations returns an authority's consultations, oldest ReceivedAt first (index gsi1).
	ListConsultations(ctx context.Context, authority domain.AuthorityID) ([]*domain.Consultation, error)
	// ChangeConsultation loads a consultation, lets fn change it, and writes it back under a version check with
	// the audit events (at least one), the messages, the tray items it puts and the closes of its own items
	// (Change.Closes) that fn returns, in ONE atomic write. A concurrent change is a conflict; changing the id,
	// authority or reference is invalid.
	ChangeConsultation(ctx context.Context, id domain.ConsultationID, fn func(*domain.Consultation) (Change, error)) (*domain.Consultation, error)
}

// MaxSchoolsPerWrite is the most schools one atomic write of PutSchools holds (plus its audit event).
const MaxSchoolsPerWrite = 99

// Retention is deleting what has expired (shared/retention). Only the retention job calls it, and only its
// role holds dynamodb:DeleteItem (infra/permissions.yaml). Both adapters implement it, but it is not part of
// Store: a function that never deletes does not link the code (intake-email sits just under a 64 KB page of
// its size budget).
type Retention interface {
	// DeleteContact deletes every item of a contact — the contact, its children-index entry, audit events,
	// checks, notifications — and its restricted records, and writes tombstone (an audit event on another
	// trail, e.g. RetentionTrail: what was deleted, never its content) with the contact's own delete, last.
	// Before deleting anything it calls blobs, when not nil, with the blob keys the contact's items name (the
	// raw message and attachments its audit records, its restricted records' attachments), so that a
	// failed blob delete leaves the contact in place for the next run; blobs may add to tombstone.Detail
	// (written after it returns). Returns how many items it deleted.
	// A missing contact is domain not_found.
	DeleteContact(ctx context.Context, id domain.ContactID, tombstone AuditEvent, blobs func(keys []string) error) (int, error)

	// Records that are not contacts (issue #16). Each delete writes its tombstone (on another trail: what was
	// deleted, never its content) in the same atomic write as its last delete, so a failure part-way leaves
	// something for the next run to find and finish.

	// DeleteAudit deletes the events ids of an audit trail that is not a contact's or a consultation's
	// (DirectoryTrail, CasesTrail, RetentionTrail: those go whole with their record); ids not on the trail
	// are skipped. Returns how many it deleted. A contact's or consultation's trail is invalid.
	DeleteAudit(ctx context.Context, trail domain.ContactID, ids []string, tombstone AuditEvent) (int, error)
	// DoneTrayItems lists an authority's completed tray items completed before `before`, oldest first
	// (index gsi1: eventually consistent in DynamoDB; items completed before it was kept are not listed, nor
	// items kept beside their contact completed since they are found through it: KeptTrayItems).
	DoneTrayItems(ctx context.Context, authority domain.AuthorityID, before time.Time) ([]TrayItem, error)
	// KeptTrayItems lists the tray items kept in a contact's partition, beside it — its wait items
	// (WaitItemID) and the items its check records keep on the checks tray — open or completed (Owed while a
	// completion kept on one is still owed), oldest first. Completed, they are not on DoneTrayItems' index: the
	// retention job finds them through their ended contact (docs/cost.md "Completed waits and checks found for
	// retention through their contact"). Those completed before that change are on both.
	KeptTrayItems(ctx context.Context, contact domain.ContactID) ([]TrayItem, error)
	// DeleteTrayItems deletes completed tray items (an uncompleted one is a conflict and nothing is deleted;
	// a missing one is skipped). Returns how many it deleted.
	DeleteTrayItems(ctx context.Context, ids []string, tombstone AuditEvent) (int, error)
	// AllQuarantine lists every quarantine item of an authority — held, released or discarded — oldest
	// ReceivedAt first (index gsi1; items quarantined before it was kept are not listed).
	AllQuarantine(ctx context.Context, authority domain.AuthorityID) ([]QuarantineItem, error)
	// DeleteQuarantine deletes a quarantine item and its audit trail. Before deleting anything it calls blobs,
	// when not nil, with the item's raw message key, so a failed blob delete leaves it for the next run.
	// Returns how many items it deleted; a missing item is domain not_found.
	DeleteQuarantine(ctx context.Context, id string, tombstone AuditEvent, blobs func(keys []string) error) (int, error)
	// DeleteConsultation deletes a consultation with its audit trail, messages and its consultation-summary
	// tray item (ConsultationID.SummaryItemID) — open or completed, in the same atomic write as the
	// consultation's own item, so an expired consultation leaves nothing open on a tray; the tombstone's
	// Detail gains "trayItem": "open" or "completed" when there was one. Returns how many items it deleted;
	// a missing consultation is domain not_found.
	DeleteConsultation(ctx context.Context, id domain.ConsultationID, tombstone AuditEvent) (int, error)
}

// TTLGrace is how long after a contact's RetainUntil the table's TTL removes its item: the retention job
// deletes it (and everything that belongs to it) first; TTL is the backstop should the job not have run.
const TTLGrace = 30 * 24 * time.Hour

// RetentionTrail is the audit trail of an authority's retention job: one tombstone per deleted contact
// (reference, kind, rule, when), never the content.
func RetentionTrail(a domain.AuthorityID) domain.ContactID {
	return domain.ContactID("retention-" + string(a))
}
