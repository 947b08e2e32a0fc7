// Package notify composes every message the MASH front door sends, queues it in the store's outbox and
// hands it to a Sender: notify/folder writes .eml files (make run), notify/ses sends with SES v2
// (production).
//
// # Design notes
//
//   - Outbox first. A message is composed (Composer.Compose), enqueued (Dispatcher.Enqueue) and only then
//     sent (Dispatcher.Flush / FlushPending). A send failure is counted on the message, which stays pending
//     for the SLA sweep's FlushPending; it never fails the caller (issue #13: one message must not stop a
//     contact's workflow, other messages, the sweep or the runner). After MaxAttempts failures, or at once
//     when its recipient is not one address, the message is undeliverable: off the pending list, in the
//     "undeliverable" tray with its reason, an audit event and the MASH/NotificationUndeliverable metric
//     (alarmed). A message is never dropped. Delivery is at least once: when a send succeeds and MarkSent
//     then fails, the message goes again on the next flush.
//   - Sent from the table's stream on AWS. Deployed (OUTBOX_STREAM), the steps' flushes send nothing
//     (Dispatcher.Stream): the table's stream hands every new message, once its write has committed, to
//     StreamSender (functions/outbox), and only a message a send failed on is on the pending list
//     (docs/cost.md "The outbox sent from the table's stream"). `mash run` and the tests flush as above.
//   - Idempotent ids. Notification ids are deterministic, <contactId>#<kind>[#<extra>…] (NotificationID),
//     so a retried Step Functions task enqueues the same id, the store answers duplicate, and nothing is sent
//     twice.
//   - No personal data in subjects or logs. A subject carries the reference and the kind only
//     ("MASH contact HAC-2027-000123: received"). Log lines carry ids, kinds and error codes, never an
//     address, a subject or a body.
//   - Minimum necessary in bodies. No message names the child, the family, a date of birth or an address.
//     Professional messages (EDT, escalation, checks, strategy discussion, LADO, Channel, Encompass,
//     forwarded, risk raised) carry the reference, the contact id, what is asked and by when, and a link to
//     the console (<ConsoleURL>/contacts/<id>): "content by ID/link" — the reader logs in to see the
//     details. Referrer messages carry the reference and what the referrer needs: the acknowledgement only
//     the date received and what happens next (Barnet seed 004 "How do I refer?"); the feedback the outcome
//     in the authority's own words (Bexley seed 003 §12, Hackney seed 001 §5, Barnet seed 004 "How will I
//     know").
//   - Operation Encompass goes to a school address only when its domain is in the policy's
//     schools.allowedDomains; with no school address (home-educated or unknown school) it goes to the
//     Encompass lead; a school address that is not one address in the list (off the list, a list, CR/LF) is
//     never written to: the notice goes to the Encompass lead, saying why.
//   - Missing addresses. The policy has no mailbox per partner agency, no health contact for strategy
//     discussions, and no EDT email (EDT is reached by phone). Those messages go to the MASH inbox (its
//     partner desk forwards check requests; the duty manager phones EDT), with a first line saying so. A
//     referrer without an email address gets the same treatment: the MASH inbox is asked to pass the
//     message on by phone or post. The reply-to of every message is the authority's MASH inbox.
package notify
