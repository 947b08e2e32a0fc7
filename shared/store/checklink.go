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
// (CheckRequest.AnswerLink), not as a link item of its own (docs/cost.md): "ck", then the contact's id and the
// check's id as they are, each after its length in two digits, then the secret — so that the token has the
// characters of every other link's (the ids are letters, digits, "_" and "-"), and so that the ids, which the
// message carrying the link states anyway, compress against those words in the stored message (docs/cost.md "The
// messages of one change kept in one item": base64 hid them from DEFLATE). Ids of other characters, or of 100 or
// more, are base64url-encoded as every token was before: "ck" and the contact's id, the check's id and the
// secret joined by slashes. ConsumeLink finds the check from the two ids and takes the link as used only when the
// record's link ends with the whole token. The secret is what makes it a bearer token; the ids are opaque and say
// nothing of the child.
func CheckLinkToken(contact domain.ContactID, checkID, secret string) string {
	if plainID(string(contact)) && plainID(checkID) {
		return checkLinkPrefix + twoDigits(len(contact)) + string(contact) + twoDigits(len(checkID)) + checkID + secret
	}
	return checkLinkPrefix + base64.RawURLEncoding.EncodeToString([]byte(string(contact)+"/"+checkID+"/"+secret))
}

// plainID says whether id may stand in a token as it is: 1 to 99 letters, digits, "_" or "-".
func plainID(id string) bool {
	if id == "" || len(id) > 99 {
		return false
	}
	for _, c := range []byte(id) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func twoDigits(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }

// cutPlainID cuts an id of CheckLinkToken's plain form (its length in two digits, then the id) off s.
func cutPlainID(s string) (id, rest string, ok bool) {
	if len(s) < 2 || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' {
		return "", "", false
	}
	n := int(s[0]-'0')*10 + int(s[1]-'0')
	if n == 0 || len(s) < 2+n { // the id's characters are not checked here: a check that is not there is not found
		return "", "", false
	}
	return s[2 : 2+n], s[2+n:], true
}

// CheckLinkOf names the check a token of CheckLinkToken's form (either) is kept on; ok is false for any other
// token (a link item of its own: the tokens written before, and every other purpose's). A random token may have
// the form by chance: ConsumeLink then finds no such check's link and looks for a link item of its own.
func CheckLinkOf(token string) (contact domain.ContactID, checkID string, ok bool) {
	rest, found := strings.CutPrefix(token, checkLinkPrefix)
	if !found {
		return "", "", false
	}
	if c, more, ok := cutPlainID(rest); ok {
		if k, secret, ok := cutPlainID(more); ok && secret != "" {
			return domain.ContactID(c), k, true
		}
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
