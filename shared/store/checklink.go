package store

import (
	"encoding/base64"
	"strings"

	"github.com/safeguarding/mash/shared/domain"
)

// PurposeCheckAnswer is the purpose of a partner check's answer link (Link): the console's answer page
// accepts no other.
const PurposeCheckAnswer = "check-answer"

// checkLinkPrefix begins the token of an answer link kept on its check record (CheckLinkToken).
const checkLinkPrefix = "ck"

// CheckLinkToken is the token of a check's answer link kept on the check record itself
// (CheckRequest.AnswerLink), not as a link item of its own (docs/cost.md): "ck" and, base64url-encoded, the
// contact's id, the check's id and the secret, joined by slashes (none of the three holds one), so that the
// token has the characters of every other link's. ConsumeLink finds the check from the two ids and takes the
// link as used only when the record's link ends with the whole token. The secret is what makes it a bearer
// token; the ids are opaque and say nothing of the child.
func CheckLinkToken(contact domain.ContactID, checkID, secret string) string {
	return checkLinkPrefix + base64.RawURLEncoding.EncodeToString([]byte(string(contact)+"/"+checkID+"/"+secret))
}

// CheckLinkOf names the check a token of CheckLinkToken's form is kept on; ok is false for any other token (a
// link item of its own: the tokens written before, and every other purpose's). A random token may have the
// form by chance: ConsumeLink then finds no such check's link and looks for a link item of its own.
func CheckLinkOf(token string) (contact domain.ContactID, checkID string, ok bool) {
	rest, found := strings.CutPrefix(token, checkLinkPrefix)
	if !found {
		return "", "", false
	}
	raw, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil {
		return "", "", false
	}
	parts := strings.Split(string(raw), "/")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return "", "", false
	}
	return domain.ContactID(parts[0]), parts[1], true
}
