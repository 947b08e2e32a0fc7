package intake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
)

// RawMail is one message as it arrived: its bytes and, when known, where they are kept and SES's id.
type RawMail struct {
	Data         []byte
	Key          string // blob key of the raw bytes ("raw/<ses id>"), "" when not stored yet
	SESMessageID string
}

// Existing reports the contact a used key points at, as a duplicate (finished: acknowledged and started);
// ok is false when no key was used.
func (s Service) Existing(ctx context.Context, keys []store.IdempotencyKey) ([]Result, bool, error) {
	return s.existing(ctx, keys)
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

// ContentSep joins a Message-ID (or a police reference) and the content hash in an idempotency key.
const ContentSep = "\x00content:"

const contentSep = ContentSep

// MessageIDMarker is the key that says "this Message-ID was used" (by the first message that had it), or
// none. It never makes a delivery a duplicate: a message meeting it with other content becomes a new contact
// linked to the first (see create).
func MessageIDMarker(authority domain.AuthorityID, messageID string) []store.IdempotencyKey {
	if messageID == "" {
		return nil
	}
	return []store.IdempotencyKey{{Kind: store.KeyMessageID, Authority: authority, Value: "msgid:" + messageID}}
}

func isMessageIDMarker(k store.IdempotencyKey) bool {
	return k.Kind == store.KeyMessageID && strings.HasPrefix(k.Value, "msgid:")
}

// ResendMarker is the key that says "this sender wrote about these children" (the first message that did, within
// ResendWindow of received), or none when the message cannot be a re-send (no sender address, a child with no
// identity key). Like MessageIDMarker it never makes a delivery a duplicate: a message meeting it is a re-send
// of that contact (*ResendOf). Email intake finds a re-send by looking for the first contact; two messages about
// the same children from one sender written in the same instant (two intake-email invocations, nothing between
// them) each miss the other, and this key, written with the contact (a conditional write), decides which is the
// first. Keys are stored hashed: no address or name is kept in one.
func ResendMarker(authority domain.AuthorityID, sender string, children []domain.Child, received time.Time) []store.IdempotencyKey {
	if sender == "" || len(children) == 0 {
		return nil
	}
	ks := make([]string, 0, len(children))
	for _, c := range children {
		ik := c.IdentityKey()
		if ik == "" {
			return nil
		}
		ks = append(ks, ik)
	}
	slices.Sort(ks)
	return []store.IdempotencyKey{{Kind: store.KeyMessageID, Authority: authority,
		Value: "resend:" + strings.ToLower(sender) + "\x00" + strings.Join(slices.Compact(ks), "\x00"), ExpiresAt: received.Add(ResendWindow)}}
}

func isResendMarker(k store.IdempotencyKey) bool {
	return k.Kind == store.KeyMessageID && strings.HasPrefix(k.Value, "resend:")
}

// ResendOf says a message's write met the ResendMarker of an earlier contact written at the same time: the message
// is a re-send of ContactID (email intake adds it to that contact, as it does a re-send it finds).
type ResendOf struct{ ContactID domain.ContactID }

func (e *ResendOf) Error() string {
	return "a re-send of contact " + string(e.ContactID) + " (the same sender about the same children)"
}

// Quarantine keeps the raw bytes and records why (issue: anything unparseable, oversized, virus-flagged or
// from a blocked sender is quarantined with the raw object kept, a reason code and an audit event). The
// item's id is derived from the authority and the bytes, so redeliveries of one message (SES retries, Lambda
// retries, even at once) are one quarantine item; once that item has been released, a new one is made.
func (s Service) Quarantine(ctx context.Context, p *policy.Policy, raw RawMail, reason string) (Result, error) {
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

// ReleaseQuarantine records that a person judged a quarantined message safe (the item released, an audit
// event) and hands it back to email intake through Redeliver, with the SES verdict headers taken off so
// that the person's judgement overrides them: the parser's own checks still apply, so a message that is
// still unreadable is quarantined again. On AWS the message goes to intake-email (RedeliverViaTrigger), and
// its contacts or new quarantine item appear there; locally (mash run, tests) email intake runs at once and
// its results are returned. The API request path needs no mail parser (issue #19).
func (s Service) ReleaseQuarantine(ctx context.Context, id, by string) ([]Result, error) {
	if s.Redeliver == nil {
		return nil, domain.Errorf(domain.CodeInternal, "quarantine release has no email intake to hand the message to")
	}
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
	return s.Redeliver.Redeliver(ctx, q, stripVerdicts(data))
}

// Redeliverer hands a released quarantined message (its bytes without verdict headers) back to email intake.
// It returns the results when intake ran at once, none when it was queued.
type Redeliverer interface {
	Redeliver(ctx context.Context, q store.QuarantineItem, data []byte) ([]Result, error)
}

// ReleasedPrefix is where a released message is written for intake-email: under raw/, so that the raw
// bucket's S3 notification (template.yaml IntakeEmailFunction, prefix raw/) runs intake-email on it.
const ReleasedPrefix = "raw/released/"

// RedeliverViaTrigger is the Redeliverer of the API and the console on AWS: it writes the message under
// ReleasedPrefix + the quarantine id, and intake-email takes it from there as it takes any arriving message
// (its SES message id is then the quarantine id, so a repeated S3 notification is a duplicate). The results
// are none: the contacts (or a new quarantine item) appear when intake-email has run.
type RedeliverViaTrigger struct{ Blobs Blobs }

// Redeliver implements Redeliverer.
func (v RedeliverViaTrigger) Redeliver(ctx context.Context, q store.QuarantineItem, data []byte) ([]Result, error) {
	return nil, v.Blobs.Put(ctx, ReleasedPrefix+q.ID, data, "message/rfc822")
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
