// Package email turns the raw MIME bytes that SES writes to S3 for the MASH inbox into a structured,
// validated extraction: who sent it (the referrer), the children, parents and household named in it, the
// concerns, consent and immediate-harm answers, routing flags, and the attachments for the caller to store.
//
// It knows nothing of S3, DynamoDB or the workflow: the intake handler fetches the bytes, calls Parse, keeps
// the raw bytes, stores Attachments in S3 (never in DynamoDB) and creates one contact per child.
//
// Design notes (decisions where the seeds and docs/architecture.md are silent):
//   - Anything that must not become a contact is a *QuarantineError with a reason code; the caller keeps the
//     raw bytes under quarantine. Details never carry personal data (no names, addresses, header lines).
//   - Parse is deterministic: nothing reads the clock; the receipt time is passed in Options.Received.
//   - Extraction is conservative. A field is filled only from a recognised label ("Child's name:", "DOB",
//     …; Portsmouth seed §4.6/§7.1 IACF, the other seeds' MARF/referral forms). When no child could be
//     identified the message is kept as free text (NeedsCompletion) for screening to complete — nothing is
//     guessed from prose.
//   - Flags come from keywords with a simple negation guard; a missed flag is caught at screening, a false
//     one would send a family down the wrong statutory route.
//   - Dates are UK day-first (docs/architecture.md): 03/04/2016 is 3 April 2016.
package email

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/jhillyerd/enmime/v2"

	"github.com/safeguarding/mash/shared/domain"
)

// DefaultMaxBytes is the size limit when Options.MaxBytes is zero: 40 MB, SES's own limit for a received
// message.
const DefaultMaxBytes = 40 << 20

// Reason says why a message was quarantined instead of becoming a contact.
type Reason string

const (
	ReasonUnparseable   Reason = "unparseable"    // the MIME structure could not be read
	ReasonOversized     Reason = "oversized"      // larger than Options.MaxBytes
	ReasonVirus         Reason = "virus"          // X-SES-Virus-Verdict: FAIL
	ReasonSpam          Reason = "spam"           // X-SES-Spam-Verdict: FAIL
	ReasonBlockedSender Reason = "blocked-sender" // From matches Options.BlockedSenders
	ReasonEmpty         Reason = "empty"          // no text and no attachments
)

// QuarantineError means: keep the raw bytes in quarantine, create no contact. Detail never contains
// personal data and is safe to log.
type QuarantineError struct {
	Reason Reason
	Detail string
	cause  error // may quote message content: reachable through errors.Unwrap only, never formatted
}

func (e *QuarantineError) Error() string {
	if e.Detail == "" {
		return "quarantine: " + string(e.Reason)
	}
	return "quarantine: " + string(e.Reason) + ": " + e.Detail
}

func (e *QuarantineError) Unwrap() error { return e.cause }

// Is lets errors.Is(err, &QuarantineError{Reason: ReasonSpam}) match on the reason.
func (e *QuarantineError) Is(target error) bool {
	t, ok := target.(*QuarantineError)
	return ok && t.Reason == e.Reason && t.Detail == ""
}

// ReasonOf returns the quarantine reason of err, or "" when err is not a QuarantineError.
func ReasonOf(err error) Reason {
	var q *QuarantineError
	if errors.As(err, &q) {
		return q.Reason
	}
	return ""
}

// Options configure Parse. The zero value is usable.
type Options struct {
	// MaxBytes is the largest message accepted; 0 means DefaultMaxBytes.
	MaxBytes int64
	// MaxDepth and MaxParts bound the MIME structure, checked before the parser runs; 0 means
	// DefaultMaxDepth and DefaultMaxParts. Past them the message is quarantined (ReasonTooComplex).
	MaxDepth int
	MaxParts int
	// BlockedSenders are addresses ("someone@example.com") or domains ("@example.com", which also blocks
	// subdomains) whose mail is quarantined.
	BlockedSenders []string
	// ColleagueDomains are the council's own mail domains (policy data). When a message from one of them
	// forwards another, the referrer is taken from the forwarded header block. Empty: every forward is
	// treated as a colleague's.
	ColleagueDomains []string
	// SESMessageID is the SES message id when the caller knows it (the S3 key raw/<id>); otherwise Parse
	// reads it from the SES Received header.
	SESMessageID string
	// Received is when SES received the message; copied to Message.Received.
	Received time.Time
	// Location is the authority's zone, in which a police notice's incident date and time are read
	// (IncidentTime); nil is UTC.
	Location *time.Location
}

// Attachment is a file carried by the message, for the caller to store in S3.
type Attachment struct {
	Filename    string
	ContentType string
	Data        []byte
	Inline      bool   // an inline part (e.g. a signature image) rather than an attachment
	ContentID   string // for inline parts referenced from HTML
}

// Verdicts are SES's receipt verdicts as the headers state them ("PASS", "FAIL", "GRAY", …; "" if absent).
type Verdicts struct {
	Spam  string
	Virus string
}

// Message is the structured extraction of one email.
type Message struct {
	MessageID    string // RFC 5322 Message-ID without angle brackets, domain lower-cased; "" if absent
	SESMessageID string // SES's id (S3 key), when known
	RawSHA256    string // hex SHA-256 of the raw bytes
	// ContentSHA256 is the hex SHA-256 of what the sender wrote: sender, subject, body text and each
	// attachment (name, type, bytes), without the transport headers (Received, SES ids) a redelivery changes.
	// Two messages with the same Message-ID are the same message only when this is the same too.
	ContentSHA256 string
	From          string    // outer From address, lower-cased
	FromName      string    // outer From display name
	ReplyTo       string    // Reply-To address, lower-cased
	Subject       string    // decoded subject
	Date          time.Time // Date header (zero if missing or unreadable)
	Received      time.Time // Options.Received
	BodyText      string    // plain text body (HTML converted); forwarded content included
	Verdicts      Verdicts

	// Forwarded is true when the body forwards an earlier message; ForwardedBy is the outer sender then.
	Forwarded   bool
	ForwardedBy string

	Referrer     domain.Referrer
	Professional bool // the sender's domain or signature shows a professional (Bexley seed §18)

	Children        []domain.Child
	Parents         []domain.Parent
	Household       []domain.HouseholdMember
	Concerns        string
	ImmediateHarm   bool
	Consent         domain.Consent
	NeedsCompletion bool // no structured child: one empty child, Concerns holds the body for screening
	Flags           domain.Flags
	// IncidentAt is the police incident's date and time as a PPN's text says it (IncidentTime); zero when the
	// message is no PPN or does not say both.
	IncidentAt time.Time
	// Extractions, one per child (same order as Children): where each field was read, what is missing,
	// what became of each attachment.
	Extractions []domain.Extraction

	Attachments []Attachment
	// UnparsedAttachments names attachments whose content could not be read here (PDFs, images, Office
	// documents): screening reads them.
	UnparsedAttachments []string
	// Warnings are enmime's tolerated problems (names only, no content), for the caller's metrics.
	Warnings []string
}

// IdempotencyKey is the key under which the caller records this message so that a redelivery creates no
// second contact: the RFC Message-ID when present, else the SES message id, else the hash of the bytes.
func (m *Message) IdempotencyKey() string {
	switch {
	case m.MessageID != "":
		return "msgid:" + m.MessageID
	case m.SESMessageID != "":
		return "ses:" + m.SESMessageID
	default:
		return "sha256:" + m.RawSHA256
	}
}

// Parse reads one raw email. On a *QuarantineError for spam, virus, blocked-sender or empty the returned
// Message is non-nil and holds the headers only (ids, sender, subject, verdicts) for the quarantine record;
// for unparseable, oversized, too complex and zero-length input it is nil.
func Parse(raw []byte, opts Options) (*Message, error) {
	limit := opts.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	if int64(len(raw)) > limit {
		return nil, &QuarantineError{Reason: ReasonOversized,
			Detail: fmt.Sprintf("message is %d bytes, limit %d", len(raw), limit)}
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, &QuarantineError{Reason: ReasonEmpty, Detail: "no bytes"}
	}
	maxDepth, maxParts := opts.MaxDepth, opts.MaxParts
	if maxDepth <= 0 {
		maxDepth = DefaultMaxDepth
	}
	if maxParts <= 0 {
		maxParts = DefaultMaxParts
	}
	if err := checkStructure(raw, maxDepth, maxParts); err != nil {
		return nil, err
	}
	env, err := readEnvelope(raw)
	if err != nil {
		return nil, &QuarantineError{Reason: ReasonUnparseable, Detail: "MIME structure could not be read", cause: err}
	}
	sum := sha256.Sum256(raw)
	m := &Message{
		RawSHA256: hex.EncodeToString(sum[:]),
		Received:  opts.Received,
		Subject:   strings.TrimSpace(env.GetHeader("Subject")),
		MessageID: NormaliseMessageID(env.GetHeader("Message-Id")),
		Verdicts: Verdicts{
			Spam:  strings.ToUpper(strings.TrimSpace(env.GetHeader("X-SES-Spam-Verdict"))),
			Virus: strings.ToUpper(strings.TrimSpace(env.GetHeader("X-SES-Virus-Verdict"))),
		},
	}
	m.SESMessageID = opts.SESMessageID
	if m.SESMessageID == "" {
		m.SESMessageID = sesIDFromReceived(env.GetHeaderValues("Received"))
	}
	if d, err := env.Date(); err == nil {
		m.Date = d
	}
	if as, err := env.AddressList("From"); err == nil && len(as) > 0 {
		m.From, m.FromName = strings.ToLower(as[0].Address), strings.TrimSpace(as[0].Name)
	} else if a := looseAddress(env.GetHeader("From")); a != "" {
		m.From = a
	}
	if as, err := env.AddressList("Reply-To"); err == nil && len(as) > 0 {
		m.ReplyTo = strings.ToLower(as[0].Address)
	}
	for _, e := range env.Errors {
		m.Warnings = append(m.Warnings, e.Name)
	}

	// SES scans before our code runs; a FAIL means quarantine before anything is read.
	if m.Verdicts.Virus == "FAIL" {
		return m, &QuarantineError{Reason: ReasonVirus, Detail: "X-SES-Virus-Verdict FAIL"}
	}
	if m.Verdicts.Spam == "FAIL" {
		return m, &QuarantineError{Reason: ReasonSpam, Detail: "X-SES-Spam-Verdict FAIL"}
	}
	if blocked(m.From, opts.BlockedSenders) {
		return m, &QuarantineError{Reason: ReasonBlockedSender, Detail: "sender is on the blocked list"}
	}

	m.BodyText = bodyText(env)
	m.Attachments = attachments(env)
	m.ContentSHA256 = contentHash(m)
	if strings.TrimSpace(m.BodyText) == "" && len(m.Attachments) == 0 {
		if severe(env) {
			return nil, &QuarantineError{Reason: ReasonUnparseable, Detail: "body lost to MIME errors"}
		}
		return m, &QuarantineError{Reason: ReasonEmpty, Detail: "no text and no attachments"}
	}
	extract(m, env, opts)
	return m, nil
}

// contentHash: see Message.ContentSHA256. Each field is length-prefixed, so no two messages share a hash by
// moving text between fields.
func contentHash(m *Message) string {
	h := sha256.New()
	field := func(s string) { fmt.Fprintf(h, "%d:%s", len(s), s) }
	field(m.From)
	field(m.Subject)
	field(m.BodyText)
	for _, a := range m.Attachments {
		field(a.Filename)
		field(a.ContentType)
		sum := sha256.Sum256(a.Data)
		field(hex.EncodeToString(sum[:]))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// mimeParser trusts a part's declared charset and guesses (chardet) only when none is declared. enmime's
// default runs statistical detection on every text part and may override the declared charset; that guess
// was most of the parse time (BenchmarkIngestEmail profile) and a declared charset is the sender's word
// (RFC 2045 §5.1). Text conversion of HTML is off: bodyText converts HTML itself (tables as form lines).
var mimeParser = enmime.NewParser(enmime.DisableCharacterDetection(true), enmime.DisableTextConversion(true))

func severe(env *envelope) bool {
	for _, e := range env.Errors {
		if e.Severe {
			return true
		}
	}
	return false
}

// NormaliseMessageID strips angle brackets, comments and white space and lower-cases the domain part, so
// the same message seen twice gives the same key.
func NormaliseMessageID(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '<'); i >= 0 {
		if j := strings.IndexByte(s[i:], '>'); j > 0 {
			s = s[i+1 : i+j]
		}
	}
	s = strings.Join(strings.Fields(s), "")
	if at := strings.LastIndexByte(s, '@'); at >= 0 {
		s = s[:at] + strings.ToLower(s[at:])
	}
	return s
}

var sesReceived = lazy(`(?i)\bby\s+inbound-smtp\.[a-z0-9.-]+amazonaws\.com\s+with\s+\S+\s+id\s+([a-z0-9]{16,64})\b`)

func sesIDFromReceived(values []string) string {
	for _, v := range values {
		if m := sesReceived.FindStringSubmatch(v); m != nil {
			return m[1]
		}
	}
	return ""
}

var angleAddr = lazy(`[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`)

// looseAddress finds an address in a header net/mail rejects.
func looseAddress(s string) string {
	return strings.ToLower(angleAddr.FindString(s))
}

func blocked(from string, list []string) bool {
	if from == "" {
		return false
	}
	at := strings.LastIndexByte(from, '@')
	dom := from[at+1:]
	for _, b := range list {
		b = strings.ToLower(strings.TrimSpace(b))
		switch {
		case b == "":
		case strings.HasPrefix(b, "@"):
			if d := b[1:]; dom == d || strings.HasSuffix(dom, "."+d) {
				return true
			}
		case b == from:
			return true
		}
	}
	return false
}

func domainOf(addr string) string {
	if at := strings.LastIndexByte(addr, '@'); at >= 0 {
		return strings.ToLower(addr[at+1:])
	}
	return ""
}

func parseAddress(s string) (name, addr string) {
	if a, err := mail.ParseAddress(strings.TrimSpace(s)); err == nil {
		return strings.TrimSpace(a.Name), strings.ToLower(a.Address)
	}
	addr = looseAddress(s)
	name = s
	if i := strings.IndexAny(name, "<["); i >= 0 {
		name = name[:i]
	}
	name = strings.Trim(strings.TrimSpace(name), `"'`)
	if strings.Contains(name, "@") {
		name = ""
	}
	return name, addr
}
