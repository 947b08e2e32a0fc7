package email

import (
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Issue #18, bad input: a damaged, password-protected, scanned or zip-bomb attachment never fails its email.
// The email becomes a contact, the attachment is kept, and the contact says which one was not read and why.
func TestAttachments_UnreadableKeptAndNoted(t *testing.T) {
	for _, tc := range []struct {
		file, attachment, reason string
	}{
		{"020-gp-scanned-pdf.eml", "scan0042.pdf", "no text layer"},
		{"021-corrupt-docx-body-form.eml", "referral Mia Sutton.docx", "damaged"},
		{"022-zipbomb-subject.eml", "referral.docx", "zip bomb"},
		{"023-encrypted-docx.eml", "Referral - HART.docx", "password-protected"},
		{"055-ho-housing-zip-bomb-body.eml", "HO referral.docx", "zip bomb"},
		{"059-ho-corrupt-pdf-subject.eml", "referral_form.pdf", "damaged"},
		{"060-ho-encrypted-pdf.eml", "CAMHS_referral.pdf", "password-protected"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			m := parseCorpusMail(t, tc.file)
			kept := false
			for _, a := range m.Attachments {
				kept = kept || a.Filename == tc.attachment && len(a.Data) > 0
			}
			if !kept {
				t.Errorf("attachment %s not kept", tc.attachment)
			}
			if !m.NeedsCompletion || !m.Flags.NeedsCompletion {
				t.Error("an unread form needs completion")
			}
			for i, x := range m.Extractions {
				if len(x.Attachments) != 1 || x.Attachments[0].File != tc.attachment || x.Attachments[0].Status != "unreadable" ||
					!strings.Contains(x.Attachments[0].Reason, tc.reason) {
					t.Errorf("child %d: attachments %+v, want %s unreadable (%s)", i, x.Attachments, tc.attachment, tc.reason)
				}
				found := false
				for _, ms := range x.Missing {
					found = found || strings.HasPrefix(ms, "attachment: "+tc.attachment+" (")
				}
				if !found {
					t.Errorf("child %d: missing %v does not name the attachment", i, x.Missing)
				}
			}
		})
	}
}

// The readers take any bytes: every prefix of each corpus form and deterministic corruptions of it are read
// or refused, never a panic (readAttachment also recovers, but a reader must not rely on it).
func TestReaders_DamagedFormsNeverPanic(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.eml"))
	rng := rand.New(rand.NewPCG(18, 18))
	n := 0
	for _, f := range files {
		m := parseCorpusMail(t, filepath.Base(f))
		for _, a := range m.Attachments {
			var read func([]byte) (string, error)
			switch formKind(a) {
			case "docx":
				read = docxText
			case "pdf":
				read = pdfText
			default:
				continue
			}
			if len(a.Data) > 1<<20 {
				continue
			}
			for cut := 0; cut < len(a.Data); cut += max(1, len(a.Data)/40) {
				read(a.Data[:cut])
				n++
			}
			for k := 0; k < 40; k++ {
				d := append([]byte(nil), a.Data...)
				for j := 0; j < 1+k%5; j++ {
					d[rng.IntN(len(d))] = byte(rng.IntN(256))
				}
				read(d)
				n++
			}
		}
	}
	if n < 500 {
		t.Errorf("only %d damaged forms tried", n)
	}
}

// A zip bomb is refused from its declared size, and one that lies about its size is stopped at the limit:
// neither is inflated in full.
func TestDocx_ZipBombRefused(t *testing.T) {
	bomb := testDocxBomb(64 << 20)
	if _, err := docxText(bomb); err != errTooBig {
		t.Errorf("bomb: %v, want %v", err, errTooBig)
	}
	// The same bomb with the central directory's uncompressed size rewritten to 100 bytes.
	lying := append([]byte(nil), bomb...)
	if i := strings.LastIndex(string(lying), "word/document.xml"); i > 46 {
		h := i - 46 // central directory header: uncompressed size at offset 24
		copy(lying[h+24:h+28], []byte{100, 0, 0, 0})
	}
	if _, err := docxText(lying); err == nil {
		t.Error("a lying bomb was read")
	}
}

// Dates are UK day first in every common form, never a US reading; a two-digit year is the most recent past
// year that makes a child under 18.
func TestDates_UKDayFirstNeverUS(t *testing.T) {
	ref := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want string // "" for none
	}{
		{"1.3.2018", "2018-03-01"},
		{"07/03/13", "2013-03-07"},
		{"12/04/2016", "2016-04-12"},
		{"04/13/2016", ""}, // month 13: no date, never 13 April
		{"7 March 2013", "2013-03-07"},
		{"7th Mar 2013", "2013-03-07"},
		{"14-May-2021", "2021-05-14"},
		{"March 7th, 2013", "2013-03-07"},
		{"2018-03-01", "2018-03-01"},
		{"10-05-20", "2020-05-10"},
		{"03-11-18", "2018-11-03"},
		{"30/11/26", ""}, // 2026-11-30 is after the email: no child born then; 1926 makes no child
		{"15/03/09", "2009-03-15"},
		{"15/03/08", ""},   // 2008 makes a child of 18: neither century fits
		{"31/02/2019", ""}, // no such day
		{"born 3rd April 2011", "2011-04-03"},
	} {
		d, ok := childDOB(tc.in, ref)
		got := ""
		if ok {
			got = d.String()
		}
		if got != tc.want {
			t.Errorf("%q: %q, want %q", tc.in, got, tc.want)
		}
	}
	// Not a child's: a parent's date of birth, a date of the incident after the child was born.
	if d, ok := childDOB("14/03/1961", ref); ok {
		t.Errorf("adult's date read as a child's: %v", d)
	}
}

// Anything uncertain is left empty, the contact needs completion, and the extraction lists what is missing:
// a child given only with an age has no date of birth (never one worked out from the age); an email that names
// no child has an empty one.
func TestExtraction_UncertainLeftEmptyAndListed(t *testing.T) {
	m := parseCorpusMail(t, "029-housing-assoc-age.eml")
	if len(m.Children) != 1 || m.Children[0].GivenName != "Tyler" || m.Children[0].Age != 9 || !m.Children[0].DateOfBirth.IsZero() {
		t.Fatalf("children %+v", m.Children)
	}
	x := m.Extractions[0]
	if !m.NeedsCompletion || !contains(x.Missing, "child.dateOfBirth") || !contains(x.Missing, "consent") || !contains(x.Missing, "immediateHarm") {
		t.Errorf("needsCompletion %v, missing %v", m.NeedsCompletion, x.Missing)
	}
	if !hasField(x.Fields, "child.age") || x.Fields[1].Confidence != "medium" || x.Fields[1].Source != "body" {
		t.Errorf("fields %+v", x.Fields)
	}

	m = parseCorpusMail(t, "010-public-anonymous.eml")
	if len(m.Children) != 1 || m.Children[0].GivenName != "" || !m.NeedsCompletion || !contains(m.Extractions[0].Missing, "child.name") {
		t.Errorf("anonymous: children %+v, needsCompletion %v, missing %v", m.Children, m.NeedsCompletion, m.Extractions[0].Missing)
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// Council forms made in older Word use legacy check boxes (FORMCHECKBOX fields), which carry no glyph: the
// reader writes the box ticked or not, so the form's yes/no questions are answered.
func TestDocx_LegacyCheckBoxes(t *testing.T) {
	box := func(checked string) string {
		return `<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Check1"/><w:enabled/><w:checkBox><w:sizeAuto/><w:default w:val="0"/>` +
			checked + `</w:checkBox></w:ffData></w:fldChar></w:r><w:r><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>`
	}
	row := func(label, yes, no string) string {
		return `<w:tr><w:tc><w:p><w:r><w:t>` + label + `</w:t></w:r></w:p></w:tc><w:tc><w:p>` + box(yes) + `<w:r><w:t xml:space="preserve"> Yes  </w:t></w:r>` +
			box(no) + `<w:r><w:t xml:space="preserve"> No</w:t></w:r></w:p></w:tc></w:tr>`
	}
	doc := `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:tbl>` +
		`<w:tr><w:tc><w:p><w:r><w:t>Child's name</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Amy Lee</w:t></w:r></w:p></w:tc></w:tr>` +
		row("Is the child at immediate risk of harm?", `<w:checked/>`, ``) + row("Has consent been obtained?", ``, `<w:checked w:val="1"/>`) +
		`</w:tbl></w:body></w:document>`
	data := zipFiles([][2]string{{"[Content_Types].xml", docxContentTypes}, {"word/document.xml", doc}}, true)
	text, err := docxText(data)
	if err != nil {
		t.Fatal(err)
	}
	fm := parseForm(text, time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC))
	// "No" to consent alone is ambiguous (refused, or never asked): unknown, as in the body
	if !fm.harmKnown || !fm.immediate || fm.consent.Status != "unknown" {
		t.Errorf("text %q: harm known %v yes %v, consent %q", text, fm.harmKnown, fm.immediate, fm.consent.Status)
	}
	if !strings.Contains(text, "☒ Yes") || !strings.Contains(text, "☒ No") {
		t.Errorf("boxes not written: %q", text)
	}
}

// Exports subset their fonts, so two fonts of one page use the same codes for different letters: each
// string is read through the map of the font Tf selected. Font dictionaries may sit in an object stream, and
// pages come in the page tree's order.
func TestPDF_FontsOwnMapsObjectStreamsPageOrder(t *testing.T) {
	cmap := func(pairs ...string) string {
		var b strings.Builder
		b.WriteString("/CIDInit /ProcSet findresource begin\nbegincmap\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
		b.WriteString(strconv.Itoa(len(pairs)/2) + " beginbfchar\n")
		for i := 0; i+1 < len(pairs); i += 2 {
			b.WriteString("<" + pairs[i] + "> <" + pairs[i+1] + ">\n")
		}
		b.WriteString("endbfchar\nendcmap\n")
		return b.String()
	}
	// Font A: 0001=N 0002=a 0003=m 0004=e; font B: 0001=A 0002=m 0003=y.
	bold := cmap("0001", "004E", "0002", "0061", "0003", "006D", "0004", "0065")
	reg := cmap("0001", "0041", "0002", "006D", "0003", "0079")
	page1 := "BT /FB 10 Tf 1 0 0 1 50 700 Tm <0001000200030004> Tj /FR 10 Tf 1 0 0 1 230 700 Tm <000100020003> Tj ET\n"
	page2 := "BT /FR 10 Tf 1 0 0 1 50 700 Tm <0001> Tj ET\n"
	fontB := "<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+Arial-Bold /Encoding /Identity-H /ToUnicode 8 0 R >>"
	fontR := "<< /Type /Font /Subtype /Type0 /BaseFont /GHIJKL+Arial /Encoding /Identity-H /ToUnicode 9 0 R >>"
	hdr := "6 0 7 " + strconv.Itoa(len(fontB)+1) + " "
	objstm := hdr + fontB + " " + fontR
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [5 0 R 3 0 R] /Count 2 >>", // page order: object 5, then 3
		"<< /Type /Page /Parent 2 0 R /Resources << /Font << /FR 7 0 R >> >> /Contents 4 0 R >>",
		flateStream([]byte(page2)),
		"<< /Type /Page /Parent 2 0 R /Resources << /Font << /FB 6 0 R /FR 7 0 R >> >> /Contents 10 0 R >>",
		"null", "null", // 6, 7: in the object stream
		flateStream([]byte(bold)),
		flateStream([]byte(reg)),
		flateStream([]byte(page1)),
		strings.Replace(flateStream([]byte(objstm)), "<< ", "<< /Type /ObjStm /N 2 /First "+strconv.Itoa(len(hdr))+" ", 1),
	}
	// objects 6 and 7 exist only in the object stream (11)
	data := pdfDoc(objs, "")
	data = []byte(strings.Replace(strings.Replace(string(data), "6 0 obj\nnull\nendobj\n", "", 1), "7 0 obj\nnull\nendobj\n", "", 1))
	text, err := pdfText(data)
	if err != nil {
		t.Fatal(err)
	}
	if text != "Name\tAmy\nA" {
		t.Errorf("text %q, want %q", text, "Name\tAmy\nA")
	}
}

// Forms lay tables out in other ways too: label and value pairs side by side in one row, and one column per
// child. Both read as the form's fields.
func TestGrid_PairsSideBySideAndOneColumnPerChild(t *testing.T) {
	ref := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	side := htmlToText(`<table><tr><td>Child's name</td><td>Amy Lee</td><td>Date of birth</td><td>01/02/2015</td></tr>` +
		`<tr><td>School</td><td>Oak Primary</td><td>Immediate risk of harm?</td><td>No</td></tr></table>`)
	fm := parseForm(side, ref)
	if len(fm.children) != 1 || fm.children[0].GivenName != "Amy" || fm.children[0].DateOfBirth.String() != "2015-02-01" ||
		fm.children[0].School != "Oak Primary" || !fm.harmKnown || fm.immediate {
		t.Errorf("side by side %q: %+v harm %v/%v", side, fm.children, fm.harmKnown, fm.immediate)
	}
	cols := htmlToText(`<table><tr><td>Name</td><td>Amy Lee</td><td>Ben Lee</td></tr>` +
		`<tr><td>DOB</td><td>01/02/2015</td><td>03/04/2018</td></tr><tr><td>School</td><td>Oak Primary</td><td></td></tr></table>`)
	fm = parseForm(cols, ref)
	if len(fm.children) != 2 || fm.children[1].GivenName != "Ben" || fm.children[1].DateOfBirth.String() != "2018-04-03" ||
		fm.children[0].School != "Oak Primary" || fm.children[1].School != "" {
		t.Errorf("one column per child %q: %+v", cols, fm.children)
	}
}

// A household table's header row names the relation to whoever holds the tenancy or the application
// ("Relationship to tenant"): still a header, so its cells are never a child's name, and each row is a person.
func TestGrid_HouseholdHeaderRowWithRelationColumn(t *testing.T) {
	ref := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	for _, rel := range []string{"Relationship to tenant", "Relationship to applicant", "Relationship to householder"} {
		text := htmlToText(`<table><tr><th>Name</th><th>` + rel + `</th><th>DOB</th></tr>` +
			`<tr><td>Dawn Hale</td><td>Applicant</td><td>02/03/1988</td></tr>` +
			`<tr><td>Rory Hale</td><td>Son</td><td>14/05/2014</td></tr><tr><td>Isla Hale</td><td>Daughter</td><td>01/09/2019</td></tr></table>`)
		fm := parseForm(text, ref)
		if len(fm.children) != 2 || fm.children[0].GivenName != "Rory" || fm.children[0].DateOfBirth.String() != "2014-05-14" ||
			fm.children[1].GivenName != "Isla" || fm.children[1].DateOfBirth.String() != "2019-09-01" {
			t.Errorf("%s: %q: %+v", rel, text, fm.children)
		}
	}
}

// A Word form's empty fields show Word's prompt ("Click or tap here to enter text."): no value, never a name.
func TestDocx_PlaceholdersAreNoValue(t *testing.T) {
	data := testDocx("Child's name | Click or tap here to enter text.\nDate of birth | Click or tap to enter a date.\nImmediate risk of harm? | Choose an item.\n")
	text, err := docxText(data)
	if err != nil {
		t.Fatal(err)
	}
	fm := parseForm(text, time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC))
	for _, c := range fm.children {
		if c.GivenName != "" || c.FamilyName != "" || !c.DateOfBirth.IsZero() {
			t.Errorf("a prompt read as a value: %+v (text %q)", c, text)
		}
	}
	if fm.harmKnown {
		t.Errorf("a prompt read as an answer (text %q)", text)
	}
}
