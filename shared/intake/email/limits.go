package email

import (
	"bytes"
	"fmt"
)

// Structure limits, checked on the raw bytes before the MIME parser runs. enmime reads a nested multipart
// through one boundary reader per level, so its time grows with depth × size: 10,000 levels took 56 s and
// 343 MB (issue #13), long enough to time the Lambda out into the dead-letter queue instead of quarantine.
// No real referral nests more than a few levels (a forward of a forward of an alternative with attachments)
// or carries hundreds of parts.
const (
	DefaultMaxDepth = 50   // nested multipart levels
	DefaultMaxParts = 1000 // body parts, all levels together
)

// ReasonTooComplex: the message nests deeper or holds more parts than the limits. It is kept byte for byte in
// quarantine for a person to look at; it is never parsed.
const ReasonTooComplex Reason = "too-complex"

// boundaryParam finds a boundary parameter in an unfolded Content-Type value, quoted or not, as leniently
// as enmime's own media-type repair does, so nothing enmime would treat as a multipart escapes the count.
var boundaryParam = lazy(`(?i)\bboundary\*?0?\*?\s*=\s*(?:"([^"]*)"|([^\s;]+))`)

// checkStructure walks the MIME structure of raw without decoding anything, in one pass over the lines, and
// returns a QuarantineError when it nests deeper than maxDepth or has more than maxParts parts. It follows
// enmime's reading: a part is a multipart when its Content-Type carries a boundary and is not text; a line
// "--b" opens the next part of the innermost open multipart whose boundary is b (closing any inner ones, as
// enmime's nested readers end there), and "--b--" closes it. Its cost is at most maxDepth boundary
// comparisons per line that starts with "--".
func checkStructure(raw []byte, maxDepth, maxParts int) error {
	var (
		stack    [][]byte // open multiparts' boundaries, outermost first
		inHeader = true   // reading a header block (the message's, then each part's)
		ctype    []byte   // the current header block's Content-Type, unfolded
		inCType  bool     // the last header line was Content-Type (continuations belong to it)
		parts    int
	)
	for len(raw) > 0 {
		var line []byte
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			line, raw = raw[:i], raw[i+1:]
		} else {
			line, raw = raw, nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if inHeader {
			switch {
			case len(bytes.TrimSpace(line)) == 0:
				inHeader, inCType = false, false
				if b := multipartBoundary(ctype); b != nil {
					stack = append(stack, b)
					if len(stack) > maxDepth {
						return &QuarantineError{Reason: ReasonTooComplex,
							Detail: fmt.Sprintf("multipart nesting deeper than %d levels", maxDepth)}
					}
				}
				ctype = ctype[:0]
			case line[0] == ' ' || line[0] == '\t':
				if inCType {
					ctype = append(ctype, line...)
				}
			default:
				inCType = len(line) >= 13 && bytes.EqualFold(line[:13], []byte("content-type:"))
				if inCType {
					ctype = append(ctype[:0], line[13:]...)
				}
			}
			continue
		}
		if len(stack) == 0 || len(line) < 2 || line[0] != '-' || line[1] != '-' {
			continue
		}
		rest := line[2:]
		for i := len(stack) - 1; i >= 0; i-- {
			if !bytes.HasPrefix(rest, stack[i]) {
				continue
			}
			tail := rest[len(stack[i]):]
			if bytes.HasPrefix(tail, []byte("--")) {
				stack = stack[:i]
			} else if len(bytes.TrimSpace(tail)) == 0 {
				stack = stack[:i+1]
				parts++
				if parts > maxParts {
					return &QuarantineError{Reason: ReasonTooComplex,
						Detail: fmt.Sprintf("more than %d MIME parts", maxParts)}
				}
				inHeader = true
			} else {
				continue // a longer boundary that merely starts with this one
			}
			break
		}
	}
	return nil
}

// multipartBoundary returns the boundary of a Content-Type value that declares one, unless the type is text
// (enmime reads a text part with a stray boundary as text).
func multipartBoundary(ctype []byte) []byte {
	ct := bytes.TrimSpace(ctype)
	if len(ct) == 0 || (len(ct) >= 5 && bytes.EqualFold(ct[:5], []byte("text/"))) {
		return nil
	}
	m := boundaryParam.FindSubmatch(ct)
	if m == nil {
		return nil
	}
	b := m[1]
	if b == nil {
		b = m[2]
	}
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	return append([]byte(nil), b...)
}
