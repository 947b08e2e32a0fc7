package policy

import "strings"

// dramaPrefixes are Ofcom's numbers reserved for TV and radio drama (Ofcom, "Telephone numbers for TV and
// radio drama"), as the leading digits of the national number: 020 7946 0000-0999, 0113/0114/0115/0116/
// 0117/0118/0121/0131/0141/0151/0161 496 0000-0999, 0191 498 0000-0999, 028 9649 6000-6999,
// 01632 960000-960999, 07700 900000-900999, 08081 570000-570999, 0909 8790000-8790999,
// 03069 990000-990999. Nobody answers them: a policy may hold one only as a placeholder.
var dramaPrefixes = []string{
	"02079460",
	"01134960", "01144960", "01154960", "01164960", "01174960", "01184960",
	"01214960", "01314960", "01414960", "01514960", "01614960", "01914980",
	"02896496", "01632960", "07700900", "08081570", "09098790", "03069990",
}

// PlaceholderPhone reports whether a UK number (spaces allowed, +44 or 0) is in one of Ofcom's drama
// ranges.
func PlaceholderPhone(phone string) bool {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, phone)
	if strings.HasPrefix(strings.TrimSpace(phone), "+44") {
		digits = "0" + strings.TrimPrefix(digits, "44")
	}
	for _, p := range dramaPrefixes {
		if strings.HasPrefix(digits, p) {
			return true
		}
	}
	return false
}

// reservedDomains are the names RFC 2606 and RFC 6761 keep out of real use.
var reservedTLDs = []string{"example", "test", "invalid", "localhost"}
var reservedDomains = []string{"example.com", "example.org", "example.net"}

// PlaceholderDomain reports whether an address (or a bare domain) is at a reserved example domain, which
// no mail can reach.
func PlaceholderDomain(addr string) bool {
	host := strings.ToLower(strings.TrimSuffix(addr[strings.LastIndexByte(addr, '@')+1:], "."))
	for _, t := range reservedTLDs {
		if host == t || strings.HasSuffix(host, "."+t) {
			return true
		}
	}
	for _, d := range reservedDomains {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}
