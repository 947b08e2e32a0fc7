package inbox

import (
	"context"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/intake/email"
	"github.com/safeguarding/mash/shared/store"
)

// Issue #13, keys: a message is a duplicate by SES id, or by Message-ID together with the same content;
// the same Message-ID with other content is another message; an identical re-send within the re-send
// window is a duplicate by its content alone.
func TestMailKeys_DuplicateBySESIdOrMessageIDWithTheSameContent(t *testing.T) {
	const a = domain.AuthorityID("test-authority")
	received := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	msg := func(ses, mid, content, raw string) *email.Message {
		return &email.Message{SESMessageID: ses, MessageID: mid, ContentSHA256: content, RawSHA256: raw, Received: received}
	}
	values := func(ks []store.IdempotencyKey) map[string]bool {
		m := map[string]bool{}
		for _, k := range ks {
			if k.Authority != a {
				t.Errorf("key %+v is not scoped to the authority", k)
			}
			m[string(k.Kind)+"|"+k.Value] = true
		}
		return m
	}
	shared := func(x, y *email.Message) bool {
		vx, vy := values(mailKeys(a, x)), values(mailKeys(a, y))
		for k := range vx {
			if vy[k] {
				return true
			}
		}
		return false
	}
	first := msg("ses-1", "abc@school.example", "c1", "r1")
	for _, tc := range []struct {
		name string
		next *email.Message
		dup  bool
	}{
		{"SES redelivery of the same message", msg("ses-1", "abc@school.example", "c1", "r1"), true},
		{"same Message-ID and content through another SES id", msg("ses-2", "abc@school.example", "c1", "r2"), true},
		{"same Message-ID, other content: another message", msg("ses-3", "abc@school.example", "c2", "r3"), false},
		{"identical content, no Message-ID: a re-send", msg("ses-4", "", "c1", "r4"), true},
		{"other content, other ids", msg("ses-5", "def@school.example", "c3", "r5"), false},
	} {
		if got := shared(first, tc.next); got != tc.dup {
			t.Errorf("%s: shares a key with the first = %v, want %v", tc.name, got, tc.dup)
		}
	}
	// The content-only key expires with the re-send window; the others do not.
	for _, k := range mailKeys(a, first) {
		if k.Value == "content:c1" {
			if !k.ExpiresAt.Equal(received.Add(intake.ResendWindow)) {
				t.Errorf("content key expires %v, want the re-send window %v", k.ExpiresAt, received.Add(intake.ResendWindow))
			}
		} else if !k.ExpiresAt.IsZero() {
			t.Errorf("key %+v expires", k)
		}
	}
	// A message quarantined before its content was read is known by its raw bytes.
	if v := values(mailKeys(a, msg("", "", "", "raw-only"))); !v[string(store.KeyMessageID)+"|content:raw-only"] {
		t.Errorf("no content key from the raw hash: %v", v)
	}
}

// What triggers intake-email must be an S3 or SES event; anything else is refused before any read, with an
// invalid error (Lambda retries, then its dead-letter queue keeps it).
func TestMailEvent_RefusesWhatIsNotAnS3OrSESEvent(t *testing.T) {
	var s Service // no store, no blobs: nothing may be read for these
	for _, ev := range []string{``, `{}`, `{"Records":[]}`, `{"Records":[{"eventSource":"aws:sqs"}]}`, `not json`} {
		_, err := s.MailEvent(context.Background(), "test-authority", "bucket", []byte(ev))
		if domain.ErrorCode(err) != domain.CodeInvalid {
			t.Errorf("event %q: %v, want invalid", ev, err)
		}
	}
}
