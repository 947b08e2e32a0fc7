package domain

import "testing"

// Issue #13 "one bad address stops everyone": an address from outside is exactly one RFC 5322 address.
func TestEmailAddress_ExactlyOneAddressNoLineBreaks(t *testing.T) {
	for in, want := range map[string]string{
		"amara@nhs.net":                    "amara@nhs.net",
		" Amara.Obi@NHS.net ":              "amara.obi@nhs.net",
		"Dr Amara Obi <amara@nhs.net>":     "amara@nhs.net",
		"amara at nhs dot net":             "",
		"amara@":                           "",
		"@nhs.net":                         "",
		"":                                 "",
		"a@x.example, b@y.example":         "",
		"a@x.example\r\nBcc: b@y.example":  "",
		"a@x.example\n":                    "",
		"<a@x.example> <b@y.example>":      "",
		"undisclosed-recipients:;":         "",
		"group: a@x.example, b@y.example;": "",
	} {
		got, ok := EmailAddress(in)
		if got != want || ok != (want != "") {
			t.Errorf("EmailAddress(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if d, ok := EmailDomain("DSL <dsl@St.Hackney.Sch.UK>"); !ok || d != "st.hackney.sch.uk" {
		t.Errorf("EmailDomain = %q %v", d, ok)
	}
}
