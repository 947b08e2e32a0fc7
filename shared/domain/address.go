package domain

import (
	"net/mail"
	"strings"
)

// EmailAddress checks that s is exactly one RFC 5322 address ("a@b.example" or "Name <a@b.example>") with no
// line break, and returns the address alone, lower-cased. Every address that came from outside (a form, a
// PPN, an email, a policy file) is checked with it before anything is sent to it or compared with it: a
// string such as "attacker@evil.example, dsl@x.sch.uk" or one carrying CR/LF is not an address.
func EmailAddress(s string) (string, bool) {
	if strings.ContainsAny(s, "\r\n") {
		return "", false
	}
	a, err := mail.ParseAddress(strings.TrimSpace(s))
	if err != nil || a.Address == "" {
		return "", false
	}
	at := strings.LastIndexByte(a.Address, '@')
	if at < 1 || at == len(a.Address)-1 || strings.ContainsAny(a.Address, " \t,;<>") {
		return "", false
	}
	return strings.ToLower(a.Address), true
}

// EmailDomain is the domain of one valid address (see EmailAddress), lower-cased, without a trailing dot;
// ok is false when s is not exactly one address.
func EmailDomain(s string) (string, bool) {
	a, ok := EmailAddress(s)
	if !ok {
		return "", false
	}
	return strings.TrimSuffix(a[strings.LastIndexByte(a, '@')+1:], "."), true
}
