package email

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// Word forms (.docx): a zip of XML parts; the text is in word/document.xml. Paragraphs become lines and
// tables become form lines (gridLines). Reading is bounded: the document part may inflate to at most
// maxDocxXML bytes (a zip bomb is refused, not inflated) and to at most maxDocxTokens XML tokens.

const (
	maxDocxXML    = 8 << 20
	maxDocxTokens = 400_000
)

var (
	errEncryptedOffice = errors.New("password-protected (an encrypted Office file)")
	errOldWord         = errors.New("an old-format Word document (.doc), not read")
	errNotDocx         = errors.New("damaged or not a Word document")
	errTooBig          = errors.New("inflates past the size limit (possible zip bomb)")
	errTooMuchWork     = errors.New("more content than the reading budget allows")
)

var cfbMagic = []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")

// wordPlaceholders are the prompts Word shows in a form's empty fields (content controls): no value, and
// never a name.
var wordPlaceholders = strings.NewReplacer("Click or tap here to enter text.", "", "Click here to enter text.", "",
	"Click or tap to enter a date.", "", "Click here to enter a date.", "", "Choose an item.", "", "Enter text here", "")

// isEncryptedOffice tells Word's password-protected file (an OLE compound file with an EncryptedPackage
// stream) from an old .doc (also OLE).
func oleKind(data []byte) error {
	if bytes.Contains(data, []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e")) {
		return errEncryptedOffice
	}
	return errOldWord
}

func docxText(data []byte) (string, error) {
	if bytes.HasPrefix(data, cfbMagic) {
		return "", oleKind(data)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", errNotDocx
	}
	var doc *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			doc = f
		}
	}
	if doc == nil {
		return "", errNotDocx
	}
	if doc.UncompressedSize64 > maxDocxXML {
		return "", errTooBig
	}
	rc, err := doc.Open()
	if err != nil {
		return "", errNotDocx
	}
	defer rc.Close()
	lr := &io.LimitedReader{R: rc, N: maxDocxXML + 1}
	text, err := wordXMLText(lr)
	if lr.N <= 0 {
		return "", errTooBig // the header lied about the size
	}
	return text, err
}

// wordXMLText reads WordprocessingML: w:p paragraphs (w:t text, w:tab, w:br, checkbox symbols), w:tbl tables.
func wordXMLText(r io.Reader) (string, error) {
	d := xml.NewDecoder(r)
	d.Strict = false
	type table struct {
		rows [][]string
		cell []string // paragraphs of the open cell
		in   bool
	}
	var (
		out    []string
		tables []*table
		para   strings.Builder
		inText bool
		// a legacy form check box (FORMCHECKBOX): <w:checkBox><w:default w:val="1"/><w:checked/></w:checkBox>
		inBox, boxDefault, boxChecked, boxSet bool
	)
	on := func(t xml.StartElement) bool { // w:val absent, "1", "true" or "on"
		for _, a := range t.Attr {
			if a.Name.Local == "val" {
				v := strings.ToLower(a.Value)
				return v == "1" || v == "true" || v == "on"
			}
		}
		return true
	}
	endPara := func() {
		p := strings.TrimSpace(wordPlaceholders.Replace(para.String()))
		para.Reset()
		if n := len(tables); n > 0 && tables[n-1].in {
			if p != "" {
				tables[n-1].cell = append(tables[n-1].cell, p)
			}
			return
		}
		out = append(out, p)
	}
	for n := 0; ; n++ {
		if n > maxDocxTokens {
			return "", errTooMuchWork
		}
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			if len(out) == 0 && len(tables) == 0 {
				return "", errNotDocx
			}
			break // a truncated part: keep what was read
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab":
				para.WriteString("\t")
			case "br", "cr":
				para.WriteString(" ")
			case "tbl":
				tables = append(tables, &table{})
			case "tr":
				if n := len(tables); n > 0 {
					tables[n-1].rows = append(tables[n-1].rows, nil)
				}
			case "tc":
				if n := len(tables); n > 0 {
					tables[n-1].in, tables[n-1].cell = true, nil
				}
			case "checkBox":
				inBox, boxDefault, boxChecked, boxSet = true, false, false, false
			case "default":
				if inBox {
					boxDefault = on(t)
				}
			case "checked":
				if inBox {
					boxChecked, boxSet = on(t), true
				}
			case "sym":
				for _, a := range t.Attr {
					if a.Name.Local == "char" && (strings.EqualFold(a.Value, "F0FE") || strings.EqualFold(a.Value, "F078")) {
						para.WriteString("☒")
					} else if a.Name.Local == "char" && strings.EqualFold(a.Value, "F0A8") {
						para.WriteString("☐")
					}
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "checkBox":
				if inBox {
					if boxChecked || !boxSet && boxDefault {
						para.WriteString("☒")
					} else {
						para.WriteString("☐")
					}
				}
				inBox = false
			case "t":
				inText = false
			case "p":
				endPara()
			case "tc":
				if n := len(tables); n > 0 {
					tb := tables[n-1]
					if len(tb.rows) == 0 {
						tb.rows = append(tb.rows, nil)
					}
					tb.rows[len(tb.rows)-1] = append(tb.rows[len(tb.rows)-1], strings.Join(tb.cell, "\n"))
					tb.in, tb.cell = false, nil
				}
			case "tbl":
				if n := len(tables); n > 0 {
					tb := tables[n-1]
					tables = tables[:n-1]
					lines := gridLines(tb.rows)
					if m := len(tables); m > 0 && tables[m-1].in {
						tables[m-1].cell = append(tables[m-1].cell, lines...)
					} else {
						out = append(out, lines...)
						out = append(out, "")
					}
				}
			}
		case xml.CharData:
			if inText {
				para.Write(t)
			}
		}
	}
	return strings.Join(out, "\n"), nil
}
