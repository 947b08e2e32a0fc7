// Package inbox is email intake: raw mail to the MASH inbox becomes contacts (shared/intake) or quarantine.
// It is the only part of intake that links the mail parser (shared/intake/email and enmime), so that the
// API and the console, which create contacts from requests, stay small (issue #19): a quarantine release
// there hands the message back to this package (intake.Redeliverer) rather than parsing it.
package inbox

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/intake/email"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
)

// Service is email intake over the intake service it embeds.
type Service struct {
	intake.Service
	// sameReferral, when set, makes messages from one sender about the same children go through intake one
	// at a time in this process (New sets it). A re-send is told from a new referral by looking for the
	// first (resent); two such messages ingested at the same instant would each miss the other and both
	// become contacts. The local maildrop ingests many files at once, so `mash run` and `mash demo` (whose
	// samples include a re-send) need it. On AWS each intake-email invocation handles one message, and two
	// invocations racing on a re-sent referral with different content are told apart by the store: each write
	// carries the re-send marker (intake.ResendMarker), and the one that finds it written is the other's
	// re-send (IngestEmail, intake.ResendOf). The lock spares the maildrop that retry.
	sameReferral *keyedLock
}

// New is email intake over in, with in's quarantine release handing a released message straight back to it
// (mash run, tests): its results are those of the release. Messages from one sender about the same children
// are ingested one at a time (sameReferral).
func New(in intake.Service) Service {
	s := Service{Service: in, sameReferral: &keyedLock{}}
	s.Service.Redeliver = Service{Service: in, sameReferral: s.sameReferral}
	return s
}

// Redeliver implements intake.Redeliverer: the released message goes through email intake now.
func (s Service) Redeliver(ctx context.Context, q store.QuarantineItem, data []byte) ([]intake.Result, error) {
	return s.IngestEmail(ctx, q.Authority, intake.RawMail{Data: data, Key: q.RawKey})
}

// IngestEmail turns one raw email to the authority's MASH inbox into contacts (one per child), or a
// quarantine record with the raw bytes kept byte for byte. A redelivery (same SES id, or same Message-ID and
// same content) is a duplicate; a message reusing an earlier Message-ID with other content is a new contact,
// linked to the first and noted. A re-send (same sender, same children within intake.ResendWindow) is a duplicate
// when its content is the same; otherwise its new text and attachments are added to the first contact as an
// addendum, and a rise in risk re-routes it (resent). Errors are returned only when nothing could be
// recorded: the caller retries.
func (s Service) IngestEmail(ctx context.Context, authority domain.AuthorityID, raw intake.RawMail) ([]intake.Result, error) {
	p, err := s.Policies(authority)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	opts := email.Options{BlockedSenders: p.BlockedSenders, ColleagueDomains: colleagueDomains(p),
		SESMessageID: raw.SESMessageID, Received: now}
	if cal, err := p.Calendar(); err == nil {
		opts.Location = cal.Location() // a PPN's incident time is read in the authority's own zone
	}
	msg, perr := email.Parse(raw.Data, opts)
	if perr != nil {
		if reason := email.ReasonOf(perr); reason != "" {
			// The same message accepted before (a released quarantine item delivered again) is a duplicate.
			if msg != nil {
				if rs, ok, err := s.Existing(ctx, append(mailKeys(authority, msg), messageIDMarker(authority, msg)...)); err != nil || ok {
					return rs, err
				}
			}
			r, err := s.Quarantine(ctx, p, raw, string(reason))
			if err != nil {
				return nil, err
			}
			return []intake.Result{r}, nil
		}
		return nil, perr
	}
	// No key lookup first: a redelivery is rare, and the contact's write fails on its used key, taking no
	// reference number, and reports the first contact (create). A re-send is told from a redelivery in
	// resent, which looks the keys up when it finds the same sender and children.
	keys := mailKeys(authority, msg)
	if s.sameReferral != nil {
		defer s.sameReferral.lockAll(referralKeys(authority, msg))()
	}
	if linked, ok, err := s.resent(ctx, authority, msg, keys); err != nil || ok {
		return linked, err
	}
	ds := make([]intake.Draft, 0, len(msg.Children))
	for i, child := range msg.Children {
		c := &domain.Contact{ID: domain.NewContactID(), Authority: authority, Channel: domain.ChannelEmail,
			ReceivedAt: now, Status: domain.StatusReceived, Child: child, Parents: msg.Parents, Household: msg.Household,
			Referrer: msg.Referrer, Concerns: msg.Concerns, ImmediateHarm: msg.ImmediateHarm, Consent: msg.Consent,
			Flags: msg.Flags, IncidentAt: msg.IncidentAt.UTC(), LinkedTo: []domain.ContactID{}, Deadlines: map[string]time.Time{}}
		c.Referrer.Professional = msg.Professional
		c.Flags.NeedsCompletion = msg.NeedsCompletion
		if i < len(msg.Extractions) {
			x := msg.Extractions[i]
			c.Extraction = &x // where each field was read, what is missing (issue #18)
		}
		if c.Consent.Status == "" {
			c.Consent.Status = domain.ConsentUnknown
		}
		ds = append(ds, intake.Draft{Contact: c, Event: store.AuditEvent{Actor: "intake-email", Action: "contact.created",
			Detail: incidentDetail(msg, map[string]string{"channel": "email", "rawKey": raw.Key, "sesMessageId": msg.SESMessageID})}})
	}
	if len(ds) == 0 {
		return nil, domain.Errorf(domain.CodeInternal, "email parser returned no child")
	}
	// The re-send marker decides, by a conditional write, which of two messages from the sender about these
	// children written at the same instant is the first (intake.ResendMarker); the other becomes its re-send.
	ds[0].Keys = append(append(keys, messageIDMarker(authority, msg)...),
		intake.ResendMarker(authority, msg.Referrer.Email, msg.Children, now)...)
	// The attachments are kept before the contact is written, under keys of the message, and the contact's
	// write records them: a failure in between is retried whole by the redelivery, which keeps the same
	// bytes under the same keys, so a written contact always has its attachments.
	kept, err := s.keepAttachments(ctx, authority, msg)
	if err != nil {
		return nil, err
	}
	if kept != nil {
		ds[0].More = []store.AuditEvent{*kept}
	}
	rs, err := s.Create(ctx, ds)
	var of *intake.ResendOf
	if !errors.As(err, &of) {
		return rs, err
	}
	// Another message from the sender about these children was written first, while this one was on its way
	// (two intake-email invocations, nothing between them but the store): this one is its re-send.
	first, err := s.Store.GetContact(ctx, of.ContactID)
	if err != nil {
		return nil, err
	}
	return s.resendTo(ctx, first, msg, keys)
}

// mailKeys are the delivery's idempotency keys: SES's message id; the RFC Message-ID together with the
// content hash (the same Message-ID with other content is another message: issue #13); and the content hash
// alone for intake.ResendWindow, so that a re-send of exactly the same content is a duplicate. With no id at all the
// content identifies the delivery.
func mailKeys(authority domain.AuthorityID, m *email.Message) []store.IdempotencyKey {
	var keys []store.IdempotencyKey
	if m.SESMessageID != "" {
		keys = append(keys, store.IdempotencyKey{Kind: store.KeySES, Authority: authority, Value: m.SESMessageID})
	}
	content := m.ContentSHA256
	if content == "" {
		content = m.RawSHA256 // a message quarantined before its content was read
	}
	if m.MessageID != "" {
		keys = append(keys, store.IdempotencyKey{Kind: store.KeyMessageID, Authority: authority, Value: m.MessageID + intake.ContentSep + content})
	}
	keys = append(keys, store.IdempotencyKey{Kind: store.KeyMessageID, Authority: authority, Value: "content:" + content,
		ExpiresAt: m.Received.Add(intake.ResendWindow)})
	return keys
}

// messageIDMarker is the key that says "this Message-ID was used" (by the first message that had it), or
// none. It never makes a delivery a duplicate: a message meeting it with other content becomes a new contact
// linked to the first (see create).
func messageIDMarker(authority domain.AuthorityID, m *email.Message) []store.IdempotencyKey {
	return intake.MessageIDMarker(authority, m.MessageID)
}

// resent handles a re-sent referral: the same sender about the same children within intake.ResendWindow. The same
// content is a duplicate. Other content is an update to the first contact (issue #13: a re-send saying
// "UPDATE: disclosed … immediate risk: Yes" with body-map.pdf was discarded): its text is added to the first
// contact's concerns as an addendum with its time and source, its attachments are kept and recorded on the
// first contact, and a rise in risk (immediate harm now, a new disclosure flag) re-routes it — the EDT is told
// now when the MASH is closed, the MASH manager when it is open. The new message's keys then point at the
// first contact, so its own redelivery is a duplicate.
func (s Service) resent(ctx context.Context, authority domain.AuthorityID, m *email.Message, keys []store.IdempotencyKey) ([]intake.Result, bool, error) {
	// Every child must be identified (name and date of birth: IdentityKey below); a message that also needs
	// completing (an unread attachment, a missing field) is still a re-send of the same children.
	if m.Referrer.Email == "" {
		return nil, false, nil
	}
	now := s.Now()
	var first *domain.Contact
	for _, child := range m.Children {
		ik := child.IdentityKey()
		if ik == "" {
			return nil, false, nil
		}
		recs, err := s.Store.FindChildren(ctx, authority, ik)
		if err != nil {
			return nil, false, err
		}
		var match *domain.Contact
		for _, r := range recs {
			if now.Sub(r.ReceivedAt) > intake.ResendWindow || r.ReceivedAt.After(now) {
				continue
			}
			c, err := s.Store.GetContact(ctx, r.ContactID)
			if err != nil {
				return nil, false, err
			}
			if strings.EqualFold(c.Referrer.Email, m.Referrer.Email) {
				match = c
				break
			}
		}
		if match == nil {
			return nil, false, nil
		}
		if first == nil {
			first = match
		}
	}
	if first == nil {
		return nil, false, nil
	}
	rs, err := s.resendTo(ctx, first, m, keys)
	return rs, true, err
}

// resendTo records message m, with its delivery keys, as a re-send of contact first (resent, or a message whose
// write met first's re-send marker: intake.ResendOf): a duplicate when it is first's own message or its content
// is the same, else an update of first (addendum) to which its keys then point (linked).
func (s Service) resendTo(ctx context.Context, first *domain.Contact, m *email.Message, keys []store.IdempotencyKey) ([]intake.Result, error) {
	// The first contact may be this very message (a redelivery, or a concurrent delivery written after our
	// lookup missed: its keys were written with the children index entry we just read), or a re-send of the
	// same content: a duplicate.
	for _, k := range keys {
		if id, ok, err := s.Store.LookupKey(ctx, k); err != nil {
			return nil, err
		} else if ok {
			return s.FinishExisting(ctx, id, intake.StatusDuplicate)
		}
	}
	// New content: the addendum and its attachments first, then the keys, so that a failure in between is
	// redone whole by the redelivery (the addendum is added once: its marker is looked for).
	if err := s.addendum(ctx, first, m); err != nil {
		return nil, err
	}
	for _, k := range keys {
		err := s.Store.PutIdempotencyKey(ctx, k, first.ID)
		var dup *store.DuplicateError
		if errors.As(err, &dup) {
			// A concurrent delivery of the same re-send linked it first.
			return s.FinishExisting(ctx, dup.ContactID, intake.StatusDuplicate)
		}
		if err != nil {
			return nil, err
		}
	}
	return s.FinishExisting(ctx, first.ID, intake.StatusLinked)
}

// addendum adds a re-sent email's new content to the first contact (addUpdate): its text, its attachments,
// and any rise in risk, which re-routes the contact. Everything is keyed by the message's content hash, so a
// second run adds nothing twice.
func (s Service) addendum(ctx context.Context, first *domain.Contact, m *email.Message) error {
	kept, err := s.keepAttachments(ctx, first.Authority, m)
	if err != nil {
		return err
	}
	return s.AddUpdate(ctx, first, intake.Update{Tag: m.ContentSHA256, Text: m.BodyText, ImmediateHarm: m.ImmediateHarm, Flags: m.Flags,
		Source: "by email from the referrer (a re-sent message)", Actor: "intake-email", From: "referrer",
		Reason: "same sender and children within 7 days, new content: added as an update",
		Detail: map[string]string{"sesMessageId": m.SESMessageID}, Kept: kept})
}

// keepAttachments stores a message's attachments (S3 with KMS; never in the table) under
// attachments/<authority>/m_<hash of the message>-NN, NN the part's index, and returns the audit event that
// records them on the contact ("attachments.kept": "NN" → key, "type NN" → content type, "name NN" → the
// sender's file name), or nil when there are none. The sender's file name is data only, never part of a key
// or path: "GP letter..pdf" once failed its whole message as a bad key. Inline images are part of the
// message body and stay in the raw message.
func (s Service) keepAttachments(ctx context.Context, authority domain.AuthorityID, m *email.Message) (*store.AuditEvent, error) {
	detail := map[string]string{}
	for i, a := range m.Attachments {
		if a.Inline {
			continue
		}
		key := fmt.Sprintf("attachments/%s/m_%.32s-%02d", authority, m.RawSHA256, i)
		if err := s.Blobs.Put(ctx, key, a.Data, a.ContentType); err != nil {
			return nil, err
		}
		detail[fmt.Sprintf("%02d", i)] = key
		detail[fmt.Sprintf("type %02d", i)] = a.ContentType
		detail[fmt.Sprintf("name %02d", i)] = a.Filename
	}
	if len(detail) == 0 {
		return nil, nil
	}
	return &store.AuditEvent{Actor: "intake-email", Action: "attachments.kept", Detail: detail}, nil
}

func colleagueDomains(p *policy.Policy) []string {
	if i := strings.LastIndex(p.Contacts.MASHInbox.Email, "@"); i >= 0 {
		return []string{strings.ToLower(p.Contacts.MASHInbox.Email[i+1:])}
	}
	return nil
}

// incidentDetail records, for a police notification (PPN), which time Operation Encompass gives the school
// as the incident's (Portsmouth §4.9): "notice" when the notice's text said the incident's date and time
// (then also the time, RFC3339), "arrival" when it did not and the email's arrival stands in for it.
func incidentDetail(msg *email.Message, d map[string]string) map[string]string {
	if !msg.Flags.PPN {
		return d
	}
	if msg.IncidentAt.IsZero() {
		d["incidentTimeFrom"] = "arrival"
		return d
	}
	d["incidentTimeFrom"], d["incidentAt"] = "notice", msg.IncidentAt.UTC().Format(time.RFC3339)
	return d
}
