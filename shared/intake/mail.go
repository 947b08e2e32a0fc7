package intake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake/email"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
)

// RawMail is one message as it arrived: its bytes and, when known, where they are kept and SES's id.
type RawMail struct {
	Data         []byte
	Key          string // blob key of the raw bytes ("raw/<ses id>"), "" when not stored yet
	SESMessageID string
}

// IngestEmail turns one raw email to the authority's MASH inbox into contacts (one per child), or a
// quarantine record with the raw bytes kept byte for byte. A redelivery (same SES id, or same Message-ID and
// same content) is a duplicate; a message reusing an earlier Message-ID with other content is a new contact,
// linked to the first and noted. A re-send (same sender, same children within ResendWindow) is a duplicate
// when its content is the same; otherwise its new text and attachments are added to the first contact as an
// addendum, and a rise in risk re-routes it (resent). Errors are returned only when nothing could be
// recorded: the caller retries.
func (s Service) IngestEmail(ctx context.Context, authority domain.AuthorityID, raw RawMail) ([]Result, error) {
	p, err := s.Policies(authority)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	opts := email.Options{BlockedSenders: p.BlockedSenders, ColleagueDomains: colleagueDomains(p),
		SESMessageID: raw.SESMessageID, Received: now}
	msg, perr := email.Parse(raw.Data, opts)
	if perr != nil {
		if reason := email.ReasonOf(perr); reason != "" {
			// The same message accepted before (a released quarantine item delivered again) is a duplicate.
			if msg != nil {
				if rs, ok, err := s.existing(ctx, append(mailKeys(authority, msg), messageIDMarker(authority, msg)...)); err != nil || ok {
					return rs, err
				}
			}
			r, err := s.quarantine(ctx, p, raw, string(reason))
			if err != nil {
				return nil, err
			}
			return []Result{r}, nil
		}
		return nil, perr
	}
	// No key lookup first: a redelivery is rare, and the contact's write fails on its used key, taking no
	// reference number, and reports the first contact (create). A re-send is told from a redelivery in
	// resent, which looks the keys up when it finds the same sender and children.
	keys := mailKeys(authority, msg)
	if linked, ok, err := s.resent(ctx, authority, msg, keys); err != nil || ok {
		return linked, err
	}
	ds := make([]draft, 0, len(msg.Children))
	for i, child := range msg.Children {
		c := &domain.Contact{ID: domain.NewContactID(), Authority: authority, Channel: domain.ChannelEmail,
			ReceivedAt: now, Status: domain.StatusReceived, Child: child, Parents: msg.Parents, Household: msg.Household,
			Referrer: msg.Referrer, Concerns: msg.Concerns, ImmediateHarm: msg.ImmediateHarm, Consent: msg.Consent,
			Flags: msg.Flags, LinkedTo: []domain.ContactID{}, Deadlines: map[string]time.Time{}}
		c.Referrer.Professional = msg.Professional
		c.Flags.NeedsCompletion = msg.NeedsCompletion
		if i < len(msg.Extractions) {
			x := msg.Extractions[i]
			c.Extraction = &x // where each field was read, what is missing (issue #18)
		}
		if c.Consent.Status == "" {
			c.Consent.Status = domain.ConsentUnknown
		}
		ds = append(ds, draft{contact: c, event: store.AuditEvent{Actor: "intake-email", Action: "contact.created",
			Detail: map[string]string{"channel": "email", "rawKey": raw.Key, "sesMessageId": msg.SESMessageID}}})
	}
	if len(ds) == 0 {
		return nil, domain.Errorf(domain.CodeInternal, "email parser returned no child")
	}
	ds[0].keys = append(keys, messageIDMarker(authority, msg)...)
	// The attachments are kept before the contact is written, under keys of the message, and the contact's
	// write records them: a failure in between is retried whole by the redelivery, which keeps the same
	// bytes under the same keys, so a written contact always has its attachments.
	kept, err := s.keepAttachments(ctx, authority, msg)
	if err != nil {
		return nil, err
	}
	if kept != nil {
		ds[0].more = []store.AuditEvent{*kept}
	}
	return s.create(ctx, ds, false)
}

// existing reports the contact a used key points at, as a duplicate; ok is false when no key was used.
func (s Service) existing(ctx context.Context, keys []store.IdempotencyKey) ([]Result, bool, error) {
	for _, k := range keys {
		if id, ok, err := s.Store.LookupKey(ctx, k); err != nil {
			return nil, false, err
		} else if ok {
			rs, err := s.finishExisting(ctx, id, StatusDuplicate)
			return rs, true, err
		}
	}
	return nil, false, nil
}

// mailKeys are the delivery's idempotency keys: SES's message id; the RFC Message-ID together with the
// content hash (the same Message-ID with other content is another message: issue #13); and the content hash
// alone for ResendWindow, so that a re-send of exactly the same content is a duplicate. With no id at all the
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
		keys = append(keys, store.IdempotencyKey{Kind: store.KeyMessageID, Authority: authority, Value: m.MessageID + contentSep + content})
	}
	keys = append(keys, store.IdempotencyKey{Kind: store.KeyMessageID, Authority: authority, Value: "content:" + content,
		ExpiresAt: m.Received.Add(ResendWindow)})
	return keys
}

const contentSep = "\x00content:"

// messageIDMarker is the key that says "this Message-ID was used" (by the first message that had it), or
// none. It never makes a delivery a duplicate: a message meeting it with other content becomes a new contact
// linked to the first (see create).
func messageIDMarker(authority domain.AuthorityID, m *email.Message) []store.IdempotencyKey {
	if m.MessageID == "" {
		return nil
	}
	return []store.IdempotencyKey{{Kind: store.KeyMessageID, Authority: authority, Value: "msgid:" + m.MessageID}}
}

func isMessageIDMarker(k store.IdempotencyKey) bool {
	return k.Kind == store.KeyMessageID && strings.HasPrefix(k.Value, "msgid:")
}

// resent handles a re-sent referral: the same sender about the same children within ResendWindow. The same
// content is a duplicate. Other content is an update to the first contact (issue #13: a re-send saying
// "UPDATE: disclosed … immediate risk: Yes" with body-map.pdf was discarded): its text is added to the first
// contact's concerns as an addendum with its time and source, its attachments are kept and recorded on the
// first contact, and a rise in risk (immediate harm now, a new disclosure flag) re-routes it — the EDT is told
// now when the MASH is closed, the MASH manager when it is open. The new message's keys then point at the
// first contact, so its own redelivery is a duplicate.
func (s Service) resent(ctx context.Context, authority domain.AuthorityID, m *email.Message, keys []store.IdempotencyKey) ([]Result, bool, error) {
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
			if now.Sub(r.ReceivedAt) > ResendWindow || r.ReceivedAt.After(now) {
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
	// The first contact may be this very message (a redelivery, or a concurrent delivery written after our
	// lookup missed: its keys were written with the children index entry we just read), or a re-send of the
	// same content: a duplicate.
	for _, k := range keys {
		if id, ok, err := s.Store.LookupKey(ctx, k); err != nil {
			return nil, false, err
		} else if ok {
			rs, err := s.finishExisting(ctx, id, StatusDuplicate)
			return rs, true, err
		}
	}
	// New content: the addendum and its attachments first, then the keys, so that a failure in between is
	// redone whole by the redelivery (the addendum is added once: its marker is looked for).
	if err := s.addendum(ctx, first, m); err != nil {
		return nil, false, err
	}
	for _, k := range keys {
		err := s.Store.PutIdempotencyKey(ctx, k, first.ID)
		var dup *store.DuplicateError
		if errors.As(err, &dup) {
			// A concurrent delivery of the same re-send linked it first.
			rs, err := s.finishExisting(ctx, dup.ContactID, StatusDuplicate)
			return rs, true, err
		}
		if err != nil {
			return nil, false, err
		}
	}
	rs, err := s.finishExisting(ctx, first.ID, StatusLinked)
	return rs, true, err
}

// addendum adds a re-sent email's new content to the first contact (addUpdate): its text, its attachments,
// and any rise in risk, which re-routes the contact. Everything is keyed by the message's content hash, so a
// second run adds nothing twice.
func (s Service) addendum(ctx context.Context, first *domain.Contact, m *email.Message) error {
	kept, err := s.keepAttachments(ctx, first.Authority, m)
	if err != nil {
		return err
	}
	return s.addUpdate(ctx, first, update{Tag: m.ContentSHA256, Text: m.BodyText, ImmediateHarm: m.ImmediateHarm, Flags: m.Flags,
		Source: "by email from the referrer (a re-sent message)", Actor: "intake-email", From: "referrer",
		Reason: "same sender and children within 7 days, new content: added as an update",
		Detail: map[string]string{"sesMessageId": m.SESMessageID}, Kept: kept})
}

// update is new content about a contact already received — a re-sent email, a PPN sent again under the same
// police reference with something new — to add to it rather than drop (issue #13).
type update struct {
	// Tag identifies the update (a hash of its content): the marker in the concerns and the audit events'
	// "update", so that a second run adds nothing twice. Only its first 12 characters are used.
	Tag string
	// Text is added to the concerns, after a line giving the time it arrived and Source.
	Text, Source string
	// ImmediateHarm and the disclosure flags (domestic abuse, allegation against a professional, Prevent) of
	// the new content: one the contact did not have raises the risk.
	ImmediateHarm bool
	Flags         domain.Flags
	Actor, Reason string
	// From names who sent it in the risk-raised message (the referrer, the police).
	From   string
	Detail map[string]string
	// Kept records attachments that came with the update (attachments.kept), or nil.
	Kept *store.AuditEvent
	// Restricted are restricted police records that came with the update, written to the contact's restricted
	// records (never its concerns).
	Restricted []store.RestrictedRecord
}

// addUpdate adds an update to a contact: its text with the time it arrived and its source, its attachments and
// restricted records, and any rise in risk (immediate harm now, a new disclosure flag), which re-routes the
// contact — the EDT told now when the MASH is closed, the MASH manager when it is open.
func (s Service) addUpdate(ctx context.Context, first *domain.Contact, u update) error {
	p, err := s.Policies(first.Authority)
	if err != nil {
		return err
	}
	now := s.Now()
	tag := u.Tag
	if len(tag) > 12 {
		tag = tag[:12]
	}
	marker := "[update " + tag + "]"
	if u.Kept != nil {
		// Recorded on the first contact before the update, under an id of the update: a second run is a
		// conflict, so a failure after this point loses nothing and repeats nothing.
		ev := *u.Kept
		ev.ContactID, ev.ID = first.ID, "u_"+tag+"_attachments"
		if _, err := s.Store.AppendAudit(ctx, ev); err != nil && domain.ErrorCode(err) != domain.CodeConflict {
			return err
		}
	}
	for i, r := range u.Restricted {
		r.ID = fmt.Sprintf("u_%s_%02d", tag, i)
		if _, err := s.Store.PutRestricted(ctx, first.ID, r); err != nil && domain.ErrorCode(err) != domain.CodeConflict {
			return err
		}
	}
	var raised []string
	c, err := s.Update(ctx, first.ID, func(c *domain.Contact) (store.AuditEvent, error) {
		raised = nil
		if strings.Contains(c.Concerns, marker) {
			return store.AuditEvent{}, errAlreadyAdded
		}
		when := now.In(londonOr(p.Timezone)).Format("Mon 2 Jan 2006 15:04")
		text := strings.TrimSpace(u.Text)
		c.Concerns = strings.TrimRight(c.Concerns, "\n") + "\n\n--- Update " + marker + " received " + when +
			" " + u.Source + " ---\n" + text
		if u.ImmediateHarm && !c.ImmediateHarm {
			c.ImmediateHarm = true
			raised = append(raised, "immediate-harm")
		}
		for _, f := range []struct {
			name     string
			now, was *bool
		}{
			{"domestic-abuse", &u.Flags.DomesticAbuse, &c.Flags.DomesticAbuse},
			{"allegation-against-professional", &u.Flags.AllegationAgainstProfessional, &c.Flags.AllegationAgainstProfessional},
			{"radicalisation", &u.Flags.Radicalisation, &c.Flags.Radicalisation},
		} {
			if *f.now && !*f.was {
				*f.was = true
				raised = append(raised, f.name)
			}
		}
		detail := map[string]string{"update": tag}
		for k, v := range u.Detail {
			detail[k] = v
		}
		if len(raised) > 0 {
			detail["riskRaised"] = strings.Join(raised, ",")
		}
		return store.AuditEvent{Actor: u.Actor, Action: "contact.resent", Reason: u.Reason, Detail: detail}, nil
	})
	if errors.Is(err, errAlreadyAdded) {
		// Added by an earlier run: finish its re-routing if that run stopped before it.
		return s.rerouteOnce(ctx, p, first.ID, tag, u.Actor, u.From)
	}
	if err != nil {
		return err
	}
	if len(raised) == 0 {
		return nil
	}
	return s.reroute(ctx, p, c, raised, tag, u.Actor, u.From)
}

// rerouteOnce re-routes for an update already added when its audit trail shows a rise in risk and no
// re-routing yet.
func (s Service) rerouteOnce(ctx context.Context, p *policy.Policy, id domain.ContactID, tag, actor, from string) error {
	evs, err := s.Store.ListAudit(ctx, id)
	if err != nil {
		return err
	}
	var raised string
	for _, ev := range evs {
		switch {
		case ev.Detail["update"] != tag:
		case ev.Action == "contact.rerouted":
			return nil
		case ev.Action == "contact.resent":
			raised = ev.Detail["riskRaised"]
		}
	}
	if raised == "" {
		return nil
	}
	c, err := s.Store.GetContact(ctx, id)
	if err != nil {
		return err
	}
	return s.reroute(ctx, p, c, strings.Split(raised, ","), tag, actor, from)
}

var errAlreadyAdded = errors.New("update already added")

// reroute tells who must act now on a contact whose risk a re-send raised: out of hours with immediate harm,
// the EDT at once (as the out-of-hours step does for a contact that arrives so); otherwise the MASH manager.
func (s Service) reroute(ctx context.Context, p *policy.Policy, c *domain.Contact, raised []string, tag, actor, from string) error {
	cal, err := p.Calendar()
	if err != nil {
		return err
	}
	kind, extra := KindRiskRaised, map[string]string{"agency": from, "check": "resend-" + tag}
	if c.ImmediateHarm && !cal.IsOpen(s.Now()) {
		kind, extra = KindEDTNow, nil
	}
	if err := s.Notifier.Notify(ctx, kind, p, c, extra); err != nil {
		return err
	}
	_, err = s.Store.AppendAudit(ctx, store.AuditEvent{ContactID: c.ID, Actor: actor, Action: "contact.rerouted",
		Reason: "a re-sent message raised the risk", Detail: map[string]string{"told": string(kind), "riskRaised": strings.Join(raised, ","), "update": tag}})
	return err
}

// Notification kinds a re-send that raises the risk sends (shared/notify composes them).
const (
	KindEDTNow     = domain.NoticeEDTNow
	KindRiskRaised = domain.NoticeRiskRaised
)

// quarantine keeps the raw bytes and records why (issue: anything unparseable, oversized, virus-flagged or
// from a blocked sender is quarantined with the raw object kept, a reason code and an audit event). The
// item's id is derived from the authority and the bytes, so redeliveries of one message (SES retries, Lambda
// retries, even at once) are one quarantine item; once that item has been released, a new one is made.
func (s Service) quarantine(ctx context.Context, p *policy.Policy, raw RawMail, reason string) (Result, error) {
	sum := sha256.Sum256(append([]byte(string(p.Authority)+"\x00"), raw.Data...))
	id := "q_" + hex.EncodeToString(sum[:10])
	for attempt := 0; ; attempt++ {
		key := "quarantine/" + id
		if err := s.Blobs.Put(ctx, key, raw.Data, "message/rfc822"); err != nil {
			return Result{}, err
		}
		_, err := s.Store.Quarantine(ctx, store.QuarantineItem{ID: id, Authority: p.Authority, Reason: reason, RawKey: key,
			Size: int64(len(raw.Data)), ReceivedAt: s.Now()})
		if domain.ErrorCode(err) == domain.CodeConflict && attempt == 0 {
			q, gerr := s.Store.GetQuarantine(ctx, id)
			if gerr != nil {
				return Result{}, gerr
			}
			if q.ReleasedAt.IsZero() {
				// A redelivery of a message already in quarantine.
				s.Log.InfoContext(ctx, "email already quarantined", "quarantineId", id, "authority", p.Authority, "reason", q.Reason)
				return Result{Status: StatusQuarantined, Reason: q.Reason, QuarantineID: id, Authority: p.Authority}, nil
			}
			id = domain.NewID("q")
			continue
		}
		if err != nil {
			return Result{}, err
		}
		break
	}
	if s.Metrics != nil {
		if err := s.Metrics.Put(ctx, "EmailQuarantined", p.Authority, 1); err != nil {
			s.Log.WarnContext(ctx, "metric not published", "error", err.Error())
		}
	}
	s.Log.WarnContext(ctx, "email quarantined", "quarantineId", id, "authority", p.Authority, "reason", reason, "size", len(raw.Data))
	return Result{Status: StatusQuarantined, Reason: reason, QuarantineID: id, Authority: p.Authority}, nil
}

// ReleaseQuarantine puts a quarantined message through intake again, as if it had just arrived, skipping the
// checks that quarantined it only in that the person releasing it has looked: spam and sender verdicts are
// the parser's, so a released message that is still unreadable is quarantined again.
func (s Service) ReleaseQuarantine(ctx context.Context, id, by string) ([]Result, error) {
	q, err := s.Store.GetQuarantine(ctx, id)
	if err != nil {
		return nil, err
	}
	data, err := s.Blobs.Get(ctx, q.RawKey)
	if err != nil {
		return nil, err
	}
	if _, err := s.Store.ReleaseQuarantine(ctx, id, by); err != nil {
		return nil, err
	}
	if _, err := s.Store.AppendAudit(ctx, store.AuditEvent{ContactID: domain.ContactID(id), Actor: by, Action: "quarantine.released"}); err != nil {
		return nil, err
	}
	return s.IngestEmail(ctx, q.Authority, RawMail{Data: stripVerdicts(data), Key: q.RawKey})
}

// stripVerdicts removes SES verdict headers so a person's release overrides them.
func stripVerdicts(raw []byte) []byte {
	s := string(raw)
	end := strings.Index(s, "\r\n\r\n")
	sep := "\r\n"
	if end < 0 {
		end, sep = strings.Index(s, "\n\n"), "\n"
	}
	if end < 0 {
		return raw
	}
	var kept []string
	for _, line := range strings.Split(s[:end], sep) {
		l := strings.ToLower(line)
		if strings.HasPrefix(l, "x-ses-spam-verdict:") || strings.HasPrefix(l, "x-ses-virus-verdict:") {
			continue
		}
		kept = append(kept, line)
	}
	return []byte(strings.Join(kept, sep) + s[end:])
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
