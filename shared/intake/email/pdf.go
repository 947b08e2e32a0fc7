package email

import (
	"bytes"
	"compress/zlib"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Text PDFs, as case systems export forms: a minimal reader of the text layer, written here because the
// maintained Go PDF libraries add more to the intake-email binary than it can afford (see README). It reads
// every Flate (or unfiltered) content stream, the ToUnicode maps of two-byte fonts, and the text operators
// (Tj, TJ, ', ", Td, TD, Tm, T*): a change of baseline starts a line, a wide gap on one baseline becomes a
// tab, so "Label      value" columns come out as "Label<TAB>value". Encrypted PDFs are not read; a PDF
// with no text (a scan) says so. Work is bounded: maxPDFInflate bytes inflated in all, maxPDFOps operators.

const (
	maxPDFInflate = 16 << 20
	maxPDFOps     = 2_000_000
	// maxCMapEntries bounds the glyph maps (a font has at most 65,536 glyphs).
	maxCMapEntries = 200_000
)

var (
	errPDFEncrypted = errors.New("password-protected (an encrypted PDF)")
	errPDFDamaged   = errors.New("damaged or not a PDF")
	errPDFNoText    = errors.New("no text layer (a scanned image): read it and complete the contact")
)

func pdfText(data []byte) (string, error) {
	if !bytes.HasPrefix(bytes.TrimLeft(data, " \r\n\t"), []byte("%PDF-")) {
		return "", errPDFDamaged
	}
	if i := bytes.LastIndex(data, []byte("trailer")); i >= 0 && bytes.Contains(data[i:], []byte("/Encrypt")) {
		return "", errPDFEncrypted
	}
	if bytes.Contains(data, []byte("/Encrypt ")) && bytes.Contains(data, []byte("/Filter /Standard")) {
		return "", errPDFEncrypted
	}
	budget := maxPDFInflate
	if text, ok, err := pdfPagesText(data, &budget); err != nil {
		return "", err
	} else if ok {
		return joinColumnWraps(text), nil
	}
	budget = maxPDFInflate
	var contents [][]byte
	cmap := map[uint32]string{}
	streams := 0
	for rest := data; ; {
		i := bytes.Index(rest, []byte("stream"))
		if i < 0 {
			break
		}
		// "endstream" also contains "stream": only a "stream" keyword after ">>" opens one
		dictEnd := bytes.LastIndex(rest[:i], []byte(">>"))
		if i >= 3 && string(rest[i-3:i]) == "end" || dictEnd < 0 || strings.TrimSpace(string(rest[dictEnd+2:i])) != "" {
			rest = rest[i+6:]
			continue
		}
		dictStart := bytes.LastIndex(rest[:dictEnd], []byte("obj"))
		if dictStart < 0 {
			dictStart = 0
		}
		dict := string(rest[dictStart:dictEnd])
		body := rest[i+6:]
		if len(body) > 0 && body[0] == '\r' {
			body = body[1:]
		}
		if len(body) > 0 && body[0] == '\n' {
			body = body[1:]
		}
		end := bytes.Index(body, []byte("endstream"))
		if end < 0 {
			end = len(body) // cut short: read what there is
		}
		raw := body[:end]
		rest = body[end:]
		streams++
		if strings.Contains(dict, "/Image") || strings.Contains(dict, "/FontFile") || strings.Contains(dict, "/DCTDecode") || strings.Contains(dict, "/Metadata") {
			continue
		}
		var dec []byte
		switch {
		case strings.Contains(dict, "/FlateDecode"):
			zr, err := zlib.NewReader(bytes.NewReader(raw))
			if err != nil {
				continue
			}
			lr := &io.LimitedReader{R: zr, N: int64(budget) + 1}
			dec, _ = io.ReadAll(lr) // a truncated stream keeps what inflated
			if lr.N <= 0 {
				return "", errTooBig
			}
			budget -= len(dec)
		case !strings.Contains(dict, "/Filter"):
			dec = raw
		default:
			continue // other filters are not text we can read
		}
		if bytes.Contains(dec, []byte("begincmap")) {
			readCMap(dec, cmap)
		} else if bytes.Contains(dec, []byte("BT")) {
			contents = append(contents, dec)
		}
	}
	if streams == 0 {
		return "", errPDFDamaged
	}
	var out strings.Builder
	ops := 0
	def := &pdfFont{cmap: cmap, width: 2}
	for _, c := range contents {
		if err := pdfContentText(c, nil, def, &out, &ops); err != nil {
			return "", err
		}
	}
	text := strings.TrimSpace(out.String())
	if text == "" {
		return "", errPDFNoText
	}
	return joinColumnWraps(text), nil
}

// readCMap reads a ToUnicode map's bfchar and bfrange entries into m (code → text).
func readCMap(b []byte, m map[uint32]string) {
	s := string(b)
	for {
		i := strings.Index(s, "beginbfchar")
		j := strings.Index(s, "beginbfrange")
		if i < 0 && j < 0 {
			return
		}
		if i >= 0 && (j < 0 || i < j) {
			s = s[i+len("beginbfchar"):]
			end := strings.Index(s, "endbfchar")
			if end < 0 {
				return
			}
			hs := hexTokens(s[:end])
			for k := 0; k+1 < len(hs) && len(m) < maxCMapEntries; k += 2 {
				m[hexCode(hs[k])] = utf16Hex(hs[k+1])
			}
			s = s[end:]
			continue
		}
		s = s[j+len("beginbfrange"):]
		end := strings.Index(s, "endbfrange")
		if end < 0 {
			return
		}
		hs := hexTokens(s[:end])
		for k := 0; k+2 < len(hs); k += 3 {
			lo, hi, dst := hexCode(hs[k]), hexCode(hs[k+1]), []rune(utf16Hex(hs[k+2]))
			if len(dst) == 0 || hi < lo || hi-lo > 0xffff || len(m)+int(hi-lo) > maxCMapEntries {
				continue
			}
			for n := uint32(0); n <= hi-lo; n++ {
				m[lo+n] = string(dst[0] + rune(n))
			}
		}
		s = s[end:]
	}
}

func hexTokens(s string) []string {
	var out []string
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			return out
		}
		out = append(out, s[i+1:i+j])
		s = s[i+j+1:]
	}
}

func hexCode(h string) uint32 {
	v, _ := strconv.ParseUint(strings.TrimSpace(h), 16, 32)
	return uint32(v)
}

func utf16Hex(h string) string {
	h = strings.TrimSpace(h)
	var rs []rune
	for i := 0; i+4 <= len(h); i += 4 {
		v, err := strconv.ParseUint(h[i:i+4], 16, 16)
		if err != nil {
			break
		}
		rs = append(rs, rune(v))
	}
	return string(rs)
}

// pdfPagesText reads the text of each page in order through its own fonts' maps; ok is false when the file
// has no page tree to follow.
func pdfPagesText(data []byte, budget *int) (string, bool, error) {
	d := readPDFObjects(data, budget)
	pages := d.pages()
	if len(pages) == 0 {
		return "", false, d.err
	}
	var out strings.Builder
	ops := 0
	cache := map[int]*pdfFont{}
	for _, p := range pages {
		c := d.contents(p)
		if d.err != nil {
			return "", false, d.err
		}
		if err := pdfContentText(c, d.fonts(p, cache), nil, &out, &ops); err != nil {
			return "", false, err
		}
		out.WriteString("\n")
	}
	if d.err != nil {
		return "", false, d.err
	}
	text := strings.TrimSpace(out.String())
	if text == "" {
		return "", false, nil // no text on the pages: the fallback decides (a scan, or a damaged tree)
	}
	return text, true, nil
}

// pdfContentText interprets the text operators of one content stream. fonts are the page's fonts by
// resource name (Tf selects one); def is the font when none is selected or known.
func pdfContentText(c []byte, fonts map[string]*pdfFont, def *pdfFont, out *strings.Builder, ops *int) error {
	font := def
	var stack []pdfObj
	var x, y, lineX float64
	colX := -1.0 // where the text after the line's last gap (its value column) began; -1: no gap on the line
	started := false
	atLineStart := true
	newLine := func() {
		if started {
			out.WriteString("\n")
		}
		atLineStart = true
	}
	moveTo := func(nx, ny float64) {
		switch {
		case !started:
		case ny != y && colX >= 0 && ny < y && nx-colX < 1 && colX-nx < 1:
			// a line that starts in the value column of the line above, under its value: the value wrapped in its
			// cell; joinColumnWraps decides from the words whether it continues the value
			out.WriteString(columnWrap)
			atLineStart = true
		case ny != y:
			newLine()
			colX = -1
		case nx-lineX > 12:
			out.WriteString("\t")
			colX = nx
		}
		x, y = nx, ny
	}
	show := func(s string) {
		if s == "" {
			return
		}
		started = true
		atLineStart = false
		out.WriteString(s)
		lineX = x + float64(utf8.RuneCountInString(s))*4.5 // a rough advance: tells a gap from adjacent text
	}
	_ = atLineStart
	p := pdfLexer{b: c}
	for {
		*ops++
		if *ops > maxPDFOps {
			return errTooMuchWork
		}
		o, ok := p.next()
		if !ok {
			return nil
		}
		if o.kind != 'o' {
			stack = append(stack, o)
			if len(stack) > 64 {
				stack = stack[1:]
			}
			continue
		}
		num := func(i int) float64 { // the i-th operand from the end
			if len(stack) > i && stack[len(stack)-1-i].kind == 'n' {
				return stack[len(stack)-1-i].num
			}
			return 0
		}
		switch o.s {
		case "Tf":
			if len(stack) >= 2 && stack[len(stack)-2].kind == '/' {
				if f, ok := fonts[stack[len(stack)-2].s]; ok {
					font = f
				} else {
					font = def
				}
			}
		case "BT":
			x, lineX = 0, 0
		case "Td", "TD":
			moveTo(x+num(1), y+num(0))
		case "Tm":
			moveTo(num(1), num(0))
		case "T*":
			newLine()
			colX = -1
		case "Tj":
			if len(stack) > 0 {
				show(pdfString(stack[len(stack)-1], font))
			}
		case "'", "\"":
			newLine()
			colX = -1
			if len(stack) > 0 {
				show(pdfString(stack[len(stack)-1], font))
			}
		case "TJ":
			if len(stack) > 0 && stack[len(stack)-1].kind == '[' {
				var b strings.Builder
				for _, e := range stack[len(stack)-1].arr {
					if e.kind == 'n' {
						if e.num < -200 {
							b.WriteString(" ")
						}
						continue
					}
					b.WriteString(pdfString(e, font))
				}
				show(b.String())
			}
		case "ET":
		}
		stack = stack[:0]
	}
}

// pdfString decodes a string through the font's ToUnicode map (one or two bytes a code), or as WinAnsi text
// when the font has no map.
func pdfString(o pdfObj, font *pdfFont) string {
	if o.kind != '(' && o.kind != '<' {
		return ""
	}
	b := o.s
	if font != nil && len(font.cmap) > 0 {
		var out strings.Builder
		if font.width == 2 && len(b)%2 == 0 {
			for i := 0; i+1 < len(b); i += 2 {
				out.WriteString(font.cmap[uint32(b[i])<<8|uint32(b[i+1])])
			}
			return out.String()
		}
		for i := 0; i < len(b); i++ {
			if r, ok := font.cmap[uint32(b[i])]; ok {
				out.WriteString(r)
			} else {
				s, _ := charmap.Windows1252.NewDecoder().String(b[i : i+1])
				out.WriteString(s)
			}
		}
		return out.String()
	}
	s, _ := charmap.Windows1252.NewDecoder().String(b)
	return s
}

// pdfObj is one token of a content stream: 'n' number, '(' literal string, '<' hex string (decoded bytes),
// '[' array, '/' name, 'o' operator.
type pdfObj struct {
	kind byte
	s    string
	num  float64
	arr  []pdfObj
}

type pdfLexer struct {
	b []byte
	i int
}

func (p *pdfLexer) next() (pdfObj, bool) {
	b := p.b
	for p.i < len(b) {
		c := b[p.i]
		switch {
		case c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0:
			p.i++
		case c == '%':
			for p.i < len(b) && b[p.i] != '\n' && b[p.i] != '\r' {
				p.i++
			}
		case c == '(':
			return pdfObj{kind: '(', s: p.literal()}, true
		case c == '<' && p.i+1 < len(b) && b[p.i+1] == '<':
			p.i += 2
			depth := 1
			for p.i+1 < len(b) && depth > 0 { // skip a dictionary (inline image parameters, marked content)
				if b[p.i] == '<' && b[p.i+1] == '<' {
					depth++
					p.i++
				} else if b[p.i] == '>' && b[p.i+1] == '>' {
					depth--
					p.i++
				}
				p.i++
			}
		case c == '<':
			j := bytes.IndexByte(b[p.i:], '>')
			if j < 0 {
				p.i = len(b)
				return pdfObj{}, false
			}
			h := string(b[p.i+1 : p.i+j])
			p.i += j + 1
			return pdfObj{kind: '<', s: decodeHex(h)}, true
		case c == '[':
			p.i++
			var arr []pdfObj
			for p.i < len(b) {
				for p.i < len(b) && (b[p.i] == ' ' || b[p.i] == '\n' || b[p.i] == '\r' || b[p.i] == '\t') {
					p.i++
				}
				if p.i < len(b) && b[p.i] == ']' {
					p.i++
					break
				}
				o, ok := p.next()
				if !ok || o.kind == 'o' {
					break
				}
				if len(arr) < 4096 {
					arr = append(arr, o)
				}
			}
			return pdfObj{kind: '[', arr: arr}, true
		case c == ']' || c == '{' || c == '}' || c == '>' || c == ')':
			p.i++
		case c == '/':
			j := p.i + 1
			for j < len(b) && !isPDFDelim(b[j]) {
				j++
			}
			s := string(b[p.i:j])
			p.i = j
			return pdfObj{kind: '/', s: s}, true
		default:
			j := p.i
			for j < len(b) && !isPDFDelim(b[j]) {
				j++
			}
			if j == p.i {
				j++
			}
			tok := string(b[p.i:j])
			p.i = j
			if f, err := strconv.ParseFloat(tok, 64); err == nil {
				return pdfObj{kind: 'n', num: f}, true
			}
			if tok == "BI" { // inline image: skip to EI
				if k := bytes.Index(b[p.i:], []byte("EI")); k >= 0 {
					p.i += k + 2
				} else {
					p.i = len(b)
				}
				continue
			}
			return pdfObj{kind: 'o', s: tok}, true
		}
	}
	return pdfObj{}, false
}

func isPDFDelim(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0 || c == '(' || c == ')' ||
		c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}' || c == '/' || c == '%'
}

func (p *pdfLexer) literal() string {
	b := p.b
	p.i++ // (
	var out []byte
	depth := 1
	for p.i < len(b) {
		c := b[p.i]
		p.i++
		switch c {
		case '\\':
			if p.i >= len(b) {
				return string(out)
			}
			e := b[p.i]
			p.i++
			switch e {
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'b', 'f':
			case '\r', '\n':
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for k := 0; k < 2 && p.i < len(b) && b[p.i] >= '0' && b[p.i] <= '7'; k++ {
						v = v*8 + int(b[p.i]-'0')
						p.i++
					}
					out = append(out, byte(v))
				} else {
					out = append(out, e)
				}
			}
		case '(':
			depth++
			out = append(out, c)
		case ')':
			depth--
			if depth == 0 {
				return string(out)
			}
			out = append(out, c)
		default:
			out = append(out, c)
		}
	}
	return string(out)
}

func decodeHex(h string) string {
	var out []byte
	var hi byte
	half := false
	for i := 0; i < len(h); i++ {
		var v byte
		c := h[i]
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			continue
		}
		if half {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	if half {
		out = append(out, hi<<4)
	}
	return string(out)
}
