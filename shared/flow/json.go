package flow

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// The executor keeps an execution's data as parsed values — map[string]any, []any, string, json.Number, bool,
// nil — between states, and meets JSON only at the edges: a task's payload and result, a token's answer, the
// execution's input and output, and a snapshot. decode and encode are those edges. They give what
// encoding/json gives (a Decoder with UseNumber; an Encoder with SetEscapeHTML(false): sorted keys, the same
// escapes, invalid UTF-8 as U+FFFD, nil slices and maps as null) without its reflection; TestJSON_* compares
// the two on every kind of value.

// maxDepth bounds nesting as encoding/json does, so that a hostile document cannot exhaust the stack.
const maxDepth = 10000

type jsonSyntaxError struct {
	msg string
	off int
}

func (e *jsonSyntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at offset %d: %s", e.off, e.msg)
}

// decode parses JSON keeping numbers exact (json.Number); empty or blank input is an empty object.
func decode(b []byte) (any, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return map[string]any{}, nil
	}
	// One copy of the document: keys, unescaped strings and numbers are slices of it, not copies.
	d := decoder{s: string(b)}
	d.ws()
	v, err := d.value(0)
	if err != nil {
		return nil, err
	}
	d.ws()
	if d.i != len(d.s) {
		return nil, fmt.Errorf("trailing data after JSON value")
	}
	return v, nil
}

type decoder struct {
	s string
	i int
}

func (d *decoder) ws() {
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *decoder) fail(msg string) error { return &jsonSyntaxError{msg: msg, off: d.i} }

func (d *decoder) value(depth int) (any, error) {
	if d.i >= len(d.s) {
		return nil, d.fail("unexpected end of JSON input")
	}
	switch c := d.s[d.i]; {
	case c == '{':
		if depth >= maxDepth {
			return nil, d.fail("exceeded max depth")
		}
		return d.object(depth + 1)
	case c == '[':
		if depth >= maxDepth {
			return nil, d.fail("exceeded max depth")
		}
		return d.array(depth + 1)
	case c == '"':
		return d.str()
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number()
	case c == 't':
		return d.literal("true", true)
	case c == 'f':
		return d.literal("false", false)
	case c == 'n':
		return d.literal("null", nil)
	default:
		return nil, d.fail(fmt.Sprintf("invalid character %q looking for beginning of value", c))
	}
}

func (d *decoder) literal(word string, v any) (any, error) {
	if len(d.s)-d.i < len(word) || d.s[d.i:d.i+len(word)] != word {
		return nil, d.fail("invalid literal")
	}
	d.i += len(word)
	return v, nil
}

func (d *decoder) object(depth int) (any, error) {
	d.i++ // {
	m := map[string]any{}
	d.ws()
	if d.i < len(d.s) && d.s[d.i] == '}' {
		d.i++
		return m, nil
	}
	for {
		if d.i >= len(d.s) || d.s[d.i] != '"' {
			return nil, d.fail("expected a string key")
		}
		k, err := d.str()
		if err != nil {
			return nil, err
		}
		d.ws()
		if d.i >= len(d.s) || d.s[d.i] != ':' {
			return nil, d.fail("expected : after an object key")
		}
		d.i++
		d.ws()
		v, err := d.value(depth)
		if err != nil {
			return nil, err
		}
		m[k] = v
		d.ws()
		if d.i >= len(d.s) {
			return nil, d.fail("unexpected end of JSON input")
		}
		switch d.s[d.i] {
		case ',':
			d.i++
			d.ws()
		case '}':
			d.i++
			return m, nil
		default:
			return nil, d.fail("expected , or } after an object value")
		}
	}
}

func (d *decoder) array(depth int) (any, error) {
	d.i++ // [
	a := []any{}
	d.ws()
	if d.i < len(d.s) && d.s[d.i] == ']' {
		d.i++
		return a, nil
	}
	for {
		v, err := d.value(depth)
		if err != nil {
			return nil, err
		}
		a = append(a, v)
		d.ws()
		if d.i >= len(d.s) {
			return nil, d.fail("unexpected end of JSON input")
		}
		switch d.s[d.i] {
		case ',':
			d.i++
			d.ws()
		case ']':
			d.i++
			return a, nil
		default:
			return nil, d.fail("expected , or ] after an array element")
		}
	}
}

// str reads a string; one without escapes or non-ASCII bytes is a slice of the document.
func (d *decoder) str() (string, error) {
	d.i++ // "
	start := d.i
	for d.i < len(d.s) {
		c := d.s[d.i]
		switch {
		case c == '"':
			s := d.s[start:d.i]
			d.i++
			return s, nil
		case c == '\\' || c >= utf8.RuneSelf:
			return d.slowStr(start)
		case c < 0x20:
			return "", d.fail("invalid control character in string")
		}
		d.i++
	}
	return "", d.fail("unexpected end of JSON input")
}

// slowStr unescapes, and replaces invalid UTF-8 and lone surrogates with U+FFFD, as encoding/json does.
func (d *decoder) slowStr(start int) (string, error) {
	// Scan for the end first, checking the grammar, so a valid string is copied once.
	i := d.i
	for {
		if i >= len(d.s) {
			d.i = i
			return "", d.fail("unexpected end of JSON input")
		}
		c := d.s[i]
		if c == '"' {
			break
		}
		if c < 0x20 {
			d.i = i
			return "", d.fail("invalid control character in string")
		}
		if c == '\\' {
			if i+1 >= len(d.s) {
				d.i = i
				return "", d.fail("unexpected end of JSON input")
			}
			switch d.s[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(d.s) || !isHex4(d.s[i+2:i+6]) {
					d.i = i
					return "", d.fail("invalid \\u escape in string")
				}
				i += 6
			default:
				d.i = i
				return "", d.fail("invalid escape in string")
			}
			continue
		}
		i++
	}
	raw := d.s[start:i]
	d.i = i + 1
	out := make([]byte, 0, len(raw))
	for r := 0; r < len(raw); {
		c := raw[r]
		switch {
		case c == '\\':
			switch e := raw[r+1]; e {
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				rr := hex4(raw[r+2 : r+6])
				r += 6
				if utf16.IsSurrogate(rr) {
					if r+6 <= len(raw) && raw[r] == '\\' && raw[r+1] == 'u' {
						if dec := utf16.DecodeRune(rr, hex4(raw[r+2:r+6])); dec != utf8.RuneError {
							out = utf8.AppendRune(out, dec)
							r += 6
							continue
						}
					}
					rr = utf8.RuneError
				}
				out = utf8.AppendRune(out, rr)
				continue
			default: // " \ /
				out = append(out, e)
			}
			r += 2
		case c < utf8.RuneSelf:
			out = append(out, c)
			r++
		default:
			rr, size := utf8.DecodeRuneInString(raw[r:])
			if rr == utf8.RuneError && size == 1 {
				out = utf8.AppendRune(out, utf8.RuneError)
			} else {
				out = append(out, raw[r:r+size]...)
			}
			r += size
		}
	}
	return string(out), nil
}

func isHex4(s string) bool {
	for i := 0; i < 4; i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

func hex4(s string) rune {
	var r rune
	for i := 0; i < 4; i++ {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		default:
			c = c - 'A' + 10
		}
		r = r<<4 | rune(c)
	}
	return r
}

// number reads a JSON number as a json.Number (a slice of the document).
func (d *decoder) number() (any, error) {
	start := d.i
	n := numberLen(d.s[d.i:])
	if n == 0 {
		return nil, d.fail("invalid number")
	}
	d.i += n
	return json.Number(d.s[start:d.i]), nil
}

// numberLen is the length of the JSON number at the start of s, 0 when there is none.
func numberLen(s string) int {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	default:
		return 0
	}
	if i < len(s) && s[i] == '.' {
		i++
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return 0
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return 0
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	return i
}

func validNumber(s string) bool { return s != "" && numberLen(s) == len(s) }

var errUnsupportedValue = errors.New("unsupported value")

// encode writes v as encoding/json would (SetEscapeHTML(false), no trailing newline); a value it cannot
// write is null, as before.
func encode(v any) json.RawMessage {
	b, err := appendJSON(make([]byte, 0, 256), v)
	if err != nil {
		return json.RawMessage("null")
	}
	return b
}

func appendJSON(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return appendString(b, x), nil
	case bool:
		if x {
			return append(b, "true"...), nil
		}
		return append(b, "false"...), nil
	case json.Number:
		if x == "" {
			return append(b, '0'), nil
		}
		if !validNumber(string(x)) {
			return b, errUnsupportedValue
		}
		return append(b, x...), nil
	case map[string]any:
		if x == nil {
			return append(b, "null"...), nil
		}
		var stack [16]string
		keys := stack[:0]
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k)
			b = append(b, ':')
			var err error
			if b, err = appendJSON(b, x[k]); err != nil {
				return b, err
			}
		}
		return append(b, '}'), nil
	case []any:
		if x == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendJSON(b, e); err != nil {
				return b, err
			}
		}
		return append(b, ']'), nil
	case json.RawMessage:
		if x == nil {
			return append(b, "null"...), nil
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, x); err != nil {
			return b, err
		}
		return append(b, buf.Bytes()...), nil
	case int:
		return strconv.AppendInt(b, int64(x), 10), nil
	default: // anything else (floats, structs): encoding/json itself
		var buf bytes.Buffer
		e := json.NewEncoder(&buf)
		e.SetEscapeHTML(false)
		if err := e.Encode(v); err != nil {
			return b, err
		}
		return append(b, bytes.TrimRight(buf.Bytes(), "\n")...), nil
	}
}

const hexDigits = "0123456789abcdef"

// appendString is encoding/json's string encoding with escapeHTML false.
func appendString(dst []byte, src string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(src); {
		if c := src[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, src[start:i]...)
			switch c {
			case '\\', '"':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(src[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, src[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, src[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, src[start:]...)
	return append(dst, '"')
}
