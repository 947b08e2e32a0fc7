package directory

import (
	"net/mail"
	"strings"

	"github.com/safeguarding/mash/shared/domain"
)

// CheckAddress checks that s is exactly one bare email address at one of the allowed domains (or a
// subdomain of one), and returns what is wrong, or "" when it is good. The single-address parse is
// domain.EmailAddress (no list, no line break); a directory entry must also be bare — no display name, no
// angle brackets — since it is what the council typed as the DSL's mailbox.
func CheckAddress(s string, allowed []string) string {
	switch {
	case strings.ContainsAny(s, "\r\n"):
		return "must not contain a line break"
	case strings.ContainsAny(s, ",;"):
		return "must be one address, not a list"
	}
	if _, ok := domain.EmailAddress(s); !ok {
		return "is not an email address"
	}
	if a, err := mail.ParseAddress(s); err != nil || a.Name != "" || a.Address != s {
		return "must be a bare address, without a display name or angle brackets"
	}
	if !DomainAllowed(s, allowed) {
		return "is not at an allowed domain (" + strings.Join(allowed, ", ") + ")"
	}
	return ""
}

// DomainAllowed reports whether the address's domain is one of allowed or a subdomain of one.
func DomainAllowed(addr string, allowed []string) bool {
	host, ok := domain.EmailDomain(addr)
	if !ok {
		return false
	}
	for _, d := range allowed {
		d = strings.ToLower(d)
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}
