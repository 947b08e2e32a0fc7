package store_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

func TestDuplicateErrorIsDomainDuplicate(t *testing.T) {
	var err error = &store.DuplicateError{ContactID: "c_0123456789abcdef0123", Kind: store.KeySES}
	if !errors.Is(err, domain.ErrDuplicate) || domain.ErrorCode(err) != domain.CodeDuplicate {
		t.Fatalf("%v is not a domain duplicate", err)
	}
	if errors.Is(err, domain.ErrConflict) {
		t.Fatal("duplicate matched conflict")
	}
	var d *store.DuplicateError
	if !errors.As(err, &d) || d.ContactID != "c_0123456789abcdef0123" {
		t.Fatal("errors.As lost the contact id")
	}
}

// Keys in the table never carry the raw delivery id (a Message-ID names a mail domain; an API key is a secret).
func TestIdempotencyKeyHashHidesValue(t *testing.T) {
	k := store.IdempotencyKey{Kind: store.KeyMessageID, Authority: "hackney", Value: "<zebedee.canarybird@example.org>"}
	h := k.Hash()
	if strings.Contains(h, "canarybird") || !strings.HasPrefix(h, "message-id#hackney#") || len(h) != len("message-id#hackney#")+64 {
		t.Fatalf("hash %q", h)
	}
	k2 := k
	k2.Authority = "bexley"
	if k2.Hash() == h {
		t.Fatal("authority does not scope the key")
	}
	if err := (store.IdempotencyKey{Kind: "x"}).Validate(); domain.ErrorCode(err) != domain.CodeInvalid || !strings.Contains(err.Error(), "key.value") {
		t.Fatalf("validate: %v", err)
	}
}
