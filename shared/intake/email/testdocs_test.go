package email

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// Test writers of the attachments a referrer sends: Word forms (.docx), text PDFs as case systems export
// them, a scanned PDF, and the broken ones. Deterministic, so the corpus is reproducible.

var fixedZipTime = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

func zipFiles(files [][2]string, level bool) []byte {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, f := range files {
		h := &zip.FileHeader{Name: f[0], Method: zip.Deflate, Modified: fixedZipTime}
		fw, err := w.CreateHeader(h)
		if err != nil {
			return nil
		}
		fw.Write([]byte(f[1]))
	}
	w.Close()
	return buf.Bytes()
}

const docxContentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`

const docxRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`

func xmlEsc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// docxRuns writes text as Word does: split into runs (at the first space, as after an edit), a bold label
// when asked.
func docxRuns(text string, bold bool) string {
	var b strings.Builder
	rpr := ""
	if bold {
		rpr = "<w:rPr><w:b/></w:rPr>"
	}
	parts := []string{text}
	if i := strings.IndexByte(text, ' '); i > 0 && len(text) > 12 {
		parts = []string{text[:i], text[i:]}
	}
	for _, p := range parts {
		fmt.Fprintf(&b, `<w:r>%s<w:t xml:space="preserve">%s</w:t></w:r>`, rpr, xmlEsc(p))
	}
	return b.String()
}

func docxPara(text string, bold bool) string {
	if text == "" {
		return "<w:p/>"
	}
	return `<w:p><w:pPr><w:spacing w:after="120"/></w:pPr>` + docxRuns(text, bold) + `</w:p>`
}

// testDocx makes a Word document from lines: "a | b | c" lines in a row make a table (one row each; "\n" in
// a cell is a second paragraph), "# text" is a bold heading, anything else a paragraph.
func testDocx(text string) []byte {
	var body strings.Builder
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	inTable := false
	for _, l := range lines {
		if strings.Contains(l, " | ") || strings.HasSuffix(l, " |") {
			if !inTable {
				body.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>`)
				inTable = true
			}
			body.WriteString("<w:tr>")
			for i, cell := range strings.Split(l, " | ") {
				body.WriteString(`<w:tc><w:tcPr><w:tcW w:w="4500" w:type="dxa"/></w:tcPr>`)
				for _, p := range strings.Split(strings.TrimSpace(strings.TrimSuffix(cell, " |")), `\n`) {
					body.WriteString(docxPara(p, i == 0))
				}
				body.WriteString("</w:tc>")
			}
			body.WriteString("</w:tr>")
			continue
		}
		if inTable {
			body.WriteString("</w:tbl>")
			inTable = false
		}
		if h, ok := strings.CutPrefix(l, "# "); ok {
			body.WriteString(docxPara(h, true))
		} else {
			body.WriteString(docxPara(l, false))
		}
	}
	if inTable {
		body.WriteString("</w:tbl>")
	}
	doc := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>` +
		body.String() + `<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>`
	return zipFiles([][2]string{{"[Content_Types].xml", docxContentTypes}, {"_rels/.rels", docxRels}, {"word/document.xml", doc}}, true)
}

// testDocxBomb is a .docx whose document.xml inflates to n bytes (a zip bomb).
func testDocxBomb(n int) []byte {
	doc := `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>` +
		strings.Repeat(" ", n) + `</w:t></w:r></w:p></w:body></w:document>`
	return zipFiles([][2]string{{"[Content_Types].xml", docxContentTypes}, {"_rels/.rels", docxRels}, {"word/document.xml", doc}}, true)
}

// testEncryptedOffice is what Word writes for a password-protected document: an OLE compound file holding an
// EncryptedPackage stream, not a zip (only its signature and the stream name matter here).
func testEncryptedOffice() []byte {
	b := []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
	b = append(b, bytes.Repeat([]byte{0}, 504)...)
	for _, r := range "EncryptedPackage" {
		b = append(b, byte(r), 0)
	}
	return append(b, bytes.Repeat([]byte{0x5a}, 1024)...)
}

// pdfDoc assembles a PDF from object bodies (1-based), with a correct xref table.
func pdfDoc(objs []string, trailerExtra string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, trailerExtra, x)
	return b.Bytes()
}

func flateStream(data []byte) string {
	var z bytes.Buffer
	w, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	w.Write(data)
	w.Close()
	return fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", z.Len(), z.String())
}

func pdfLiteral(s string) string {
	enc, err := charmap.Windows1252.NewEncoder().String(s)
	if err != nil {
		enc = s
	}
	return "(" + strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(enc) + ")"
}

// wrapText breaks s into lines of at most n characters at spaces.
func wrapText(s string, n int) []string {
	var out []string
	for len(s) > n {
		i := strings.LastIndexByte(s[:n], ' ')
		if i <= 0 {
			i = n
		}
		out = append(out, s[:i])
		s = strings.TrimSpace(s[i:])
	}
	return append(out, s)
}

// testPDF makes a text PDF from lines as a case system exports a form: "label | value" lines put the label
// at the left margin and the value in a second column on the same baseline (wrapped there), other lines at
// the margin. kind "tj" writes words as TJ arrays with kerning and relative Td moves instead of absolute Tm
// positions; kind "cid" writes two-byte glyph ids with a ToUnicode map (Identity-H), as many exporters do.
func testPDF(text, kind string) []byte {
	var cs strings.Builder
	cs.WriteString("BT\n/F1 10 Tf\n")
	y := 800
	lastX, lastY := 0, 0
	glyphs := map[rune]int{}
	show := func(s string) string {
		if kind == "cid" {
			var hx strings.Builder
			hx.WriteString("<")
			for _, r := range s {
				g, ok := glyphs[r]
				if !ok {
					g = len(glyphs) + 3
					glyphs[r] = g
				}
				fmt.Fprintf(&hx, "%04X", g)
			}
			return hx.String() + "> Tj"
		}
		if kind == "tj" {
			words := strings.Split(s, " ")
			var parts []string
			for i, w := range words {
				if i > 0 {
					parts = append(parts, "-278")
				}
				if len(w) > 4 {
					parts = append(parts, pdfLiteral(w[:2]), "-12", pdfLiteral(w[2:]))
				} else {
					parts = append(parts, pdfLiteral(w))
				}
			}
			return "[" + strings.Join(parts, " ") + "] TJ"
		}
		return pdfLiteral(s) + " Tj"
	}
	place := func(x, yy int, s string) {
		if kind == "tj" {
			fmt.Fprintf(&cs, "%d %d Td\n%s\n", x-lastX, yy-lastY, show(s))
			lastX, lastY = x, yy
			return
		}
		fmt.Fprintf(&cs, "1 0 0 1 %d %d Tm\n%s\n", x, yy, show(s))
	}
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if label, value, ok := strings.Cut(l, " | "); ok {
			place(50, y, strings.TrimSpace(label))
			for i, part := range wrapText(strings.TrimSpace(value), 60) {
				if i > 0 {
					y -= 13
				}
				place(230, y, part)
			}
		} else if strings.TrimSpace(l) != "" {
			for i, part := range wrapText(strings.TrimPrefix(l, "# "), 95) {
				if i > 0 {
					y -= 13
				}
				place(50, y, part)
			}
		}
		y -= 16
	}
	cs.WriteString("ET\n")
	font := "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		flateStream([]byte(cs.String())),
		font,
	}
	if kind == "cid" {
		var cmap strings.Builder
		cmap.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CMapName /Adobe-Identity-UCS def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
		type pair struct{ g, r int }
		var ps []pair
		for r, g := range glyphs {
			ps = append(ps, pair{g, int(r)})
		}
		for i := 0; i < len(ps); i++ {
			for j := i + 1; j < len(ps); j++ {
				if ps[j].g < ps[i].g {
					ps[i], ps[j] = ps[j], ps[i]
				}
			}
		}
		fmt.Fprintf(&cmap, "%d beginbfchar\n", len(ps))
		for _, p := range ps {
			fmt.Fprintf(&cmap, "<%04X> <%04X>\n", p.g, p.r)
		}
		cmap.WriteString("endbfchar\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
		objs[4] = "<< /Type /Font /Subtype /Type0 /BaseFont /ArialMT /Encoding /Identity-H /DescendantFonts [7 0 R] /ToUnicode 6 0 R >>"
		objs = append(objs, flateStream([]byte(cmap.String())),
			"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ArialMT /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>")
	}
	objs = append(objs, "<< /Producer (CaseSys Export 4.2) /Title (Referral) >>")
	return pdfDoc(objs, fmt.Sprintf(" /Info %d 0 R", len(objs)))
}

// testScannedPDF is a scanner's PDF: one page holding an image, no text layer.
func testScannedPDF() []byte {
	img := bytes.Repeat([]byte{0xee}, 64*64)
	var z bytes.Buffer
	w, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	w.Write(img)
	w.Close()
	return pdfDoc([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
		flateStream([]byte("q 595 0 0 842 0 0 cm /Im1 Do Q\n")),
		fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", z.Len(), z.String()),
		"<< /Producer (ScanStation 3000) >>",
	}, " /Info 6 0 R")
}

// testEncryptedPDF is a password-protected PDF: an /Encrypt dictionary in the trailer, the streams unreadable.
func testEncryptedPDF() []byte {
	return pdfDoc([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
		"<< /Length 32 /Filter /FlateDecode >>\nstream\n" + strings.Repeat("\x8a\x13", 16) + "\nendstream",
		"<< /Filter /Standard /V 2 /R 3 /Length 128 /P -1028 /O <00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff> /U <00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff> >>",
	}, " /Encrypt 5 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]")
}
