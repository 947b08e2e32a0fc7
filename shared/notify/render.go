package notify

import (
	"errors"
	"html"
	"net/url"
	"strings"
)

// The renderer is hand-written on purpose: text/template and html/template call reflect's
// Method/MethodByName, which makes the Go linker keep every exported method of every reachable type, so
// the whole SES v2 and DynamoDB clients end up in each Lambda that imports this package (≈17 MB instead of
// ≈10 MB; binaries must stay ≤ 10 MB). TestNoTemplateImports keeps it that way.
//
// The output is byte-identical to the templates it replaced (testdata/*.golden), with one deliberate
// difference: html/template also escaped '+' as "&#43;"; html.EscapeString leaves it, which is safe in
// element content and in a double-quoted attribute.

// errUnsafeLink is returned by render for a link that is not an absolute http(s) URL. The builders check
// links first and answer invalid, so this is a last line of defence.
var errUnsafeLink = errors.New("link is not an absolute http or https URL")

// render writes a message as plain text and as HTML.
func render(m message) (text, htm string, err error) {
	if m.Link != "" && !safeLink(m.Link) {
		return "", "", errUnsafeLink
	}
	return renderText(m), renderHTML(m), nil
}

func renderText(m message) string {
	var b strings.Builder
	b.Grow(512)
	for _, n := range m.Notes {
		b.WriteString("NOTE: ")
		b.WriteString(n)
		b.WriteByte('\n')
	}
	if len(m.Notes) > 0 {
		b.WriteByte('\n')
	}
	b.WriteString(m.Lead)
	b.WriteString("\n\n")
	for _, f := range m.Facts {
		b.WriteString(f.Label)
		b.WriteString(": ")
		b.WriteString(f.Value)
		b.WriteByte('\n')
	}
	for _, p := range m.Paras {
		b.WriteByte('\n')
		b.WriteString(p)
		b.WriteByte('\n')
	}
	if m.Link != "" {
		b.WriteByte('\n')
		b.WriteString(m.LinkFor)
		b.WriteString(": ")
		b.WriteString(m.Link)
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(m.Sign)
	b.WriteByte('\n')
	return b.String()
}

// renderHTML escapes every dynamic value, element content and attribute value alike; the href is also
// URL-normalised (normalizeURL).
func renderHTML(m message) string {
	var b strings.Builder
	b.Grow(1024)
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>")
	b.WriteString(esc(m.Subject))
	b.WriteString("</title></head>\n<body>\n")
	for _, n := range m.Notes {
		b.WriteString("<p><strong>Note:</strong> ")
		b.WriteString(esc(n))
		b.WriteString("</p>\n")
	}
	b.WriteString("<p>")
	b.WriteString(esc(m.Lead))
	b.WriteString("</p>\n<table>\n")
	for _, f := range m.Facts {
		b.WriteString("<tr><th align=\"left\">")
		b.WriteString(esc(f.Label))
		b.WriteString("</th><td>")
		b.WriteString(esc(f.Value))
		b.WriteString("</td></tr>\n")
	}
	b.WriteString("</table>\n")
	for _, p := range m.Paras {
		b.WriteString("<p>")
		b.WriteString(esc(p))
		b.WriteString("</p>\n")
	}
	if m.Link != "" { // render has checked it is an http(s) URL
		b.WriteString("<p><a href=\"")
		b.WriteString(esc(normalizeURL(m.Link)))
		b.WriteString("\">")
		b.WriteString(esc(m.LinkFor))
		b.WriteString("</a></p>\n")
	}
	b.WriteString("<p>")
	b.WriteString(esc(m.Sign))
	b.WriteString("</p>\n</body>\n</html>\n")
	return b.String()
}

// normalizeURL percent-encodes the bytes of a URL that are neither unreserved nor reserved in RFC 3986
// (quotes, parentheses, non-ASCII, …), keeping valid %xx escapes, exactly as html/template's URL
// normaliser did for an href, so the output did not change.
func normalizeURL(s string) string {
	const hex = "0123456789abcdef"
	var b strings.Builder
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			continue
		case strings.IndexByte("!#$&*+,/:;=?@[]-._~", c) >= 0:
			continue
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			continue
		}
		if written == 0 {
			b.Grow(len(s) + 16)
		}
		b.WriteString(s[written:i])
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0xf])
		written = i + 1
	}
	if written == 0 {
		return s
	}
	b.WriteString(s[written:])
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// esc escapes a value for HTML element content or a double-quoted attribute (< > & ' "). Like
// html/template it also replaces NUL with U+FFFD, which HTML parsers treat inconsistently.
func esc(s string) string {
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "\uFFFD")
	}
	return html.EscapeString(s)
}

// safeLink reports whether s is an absolute http or https URL with a host and no whitespace or control
// characters, so it can stand in an href and on a line of its own in the plain text.
func safeLink(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c == 0x7f {
			return false
		}
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return false
	}
	return strings.EqualFold(u.Scheme, "http") || strings.EqualFold(u.Scheme, "https")
}
