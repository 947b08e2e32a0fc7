package email

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// The parser registers the charsets UK mail uses (UTF-8, ASCII, every ISO-8859 and Windows single-byte
// code page, KOI8, Mac Roman, UTF-7/16) and not the Chinese, Japanese and Korean multi-byte ones
// (third_party/enmime, ≈0.6 MB of every binary that parses mail). These tests show that no sample becomes
// unreadable and that a part in an unregistered charset keeps its bytes rather than being lost.

// Every sample in events/email decodes without a charset-conversion warning: each charset it declares is
// registered.
func TestCharsets_EverySampleDecodes(t *testing.T) {
	for _, name := range sampleNames(t) {
		m, err := Parse(readSample(t, name), colleagueOpts)
		if err != nil {
			continue // quarantined by design (the sample table says which); nothing to decode
		}
		if slices.Contains(m.Warnings, "Character Set Conversion") {
			t.Errorf("%s: a declared charset is not registered (warnings %v)", name, m.Warnings)
		}
	}
}

// A message in each single-byte charset a UK community language arrives in decodes to the same text.
func TestCharsets_UKLanguagesDecode(t *testing.T) {
	for _, tc := range []struct {
		label string
		enc   encoding.Encoding
		text  string
	}{
		{"iso-8859-1", charmap.ISO8859_1, "Chloé, £2,400"},
		{"windows-1252", charmap.Windows1252, "“lucky” – €40"},
		{"iso-8859-15", charmap.ISO8859_15, "Zoë owes €40"},
		{"iso-8859-2", charmap.ISO8859_2, "Zuzanna Wójcik, Łódź"},        // Polish
		{"windows-1250", charmap.Windows1250, "Žaneta Dvořáková"},        // Czech, Slovak
		{"iso-8859-16", charmap.ISO8859_16, "Ștefan Rădulescu, Iași"},    // Romanian
		{"windows-1251", charmap.Windows1251, "Олена Коваленко"},         // Ukrainian, Russian, Bulgarian
		{"koi8-r", charmap.KOI8R, "Дмитрий Смирнов"},                     // Russian
		{"iso-8859-7", charmap.ISO8859_7, "Ελένη Παπαδοπούλου"},          // Greek
		{"windows-1254", charmap.Windows1254, "Ayşe Yılmaz, Şişli"},      // Turkish
		{"windows-1256", charmap.Windows1256, "فاطمة"},                   // Arabic
		{"windows-1257", charmap.Windows1257, "Jānis Bērziņš, Šiauliai"}, // Latvian, Lithuanian
		{"iso-8859-5", charmap.ISO8859_5, "Иван Петров"},                 // Cyrillic
		{"iso-8859-8", charmap.ISO8859_8, "שרה כהן"},                     // Hebrew
		{"windows-1258", charmap.Windows1258, "Nguyen"},                  // Vietnamese (ASCII part)
	} {
		body, err := tc.enc.NewEncoder().String("Concerns: " + tc.text + "\n")
		if err != nil {
			t.Fatalf("%s: encode: %v", tc.label, err)
		}
		raw := "From: dsl@school.example.org\r\nTo: mash@council.example.gov.uk\r\nSubject: referral\r\n" +
			"Message-ID: <c-" + tc.label + "@school.example.org>\r\nMIME-Version: 1.0\r\n" +
			"Content-Type: text/plain; charset=" + tc.label + "\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body
		m, err := Parse([]byte(raw), Options{})
		if err != nil {
			t.Fatalf("%s: %v", tc.label, err)
		}
		if !strings.Contains(m.BodyText, tc.text) || slices.Contains(m.Warnings, "Character Set Conversion") {
			t.Errorf("%s: body %q (warnings %v), want it to contain %q", tc.label, m.BodyText, m.Warnings, tc.text)
		}
	}
}

// A part in an unregistered charset (GB2312 here) is not lost: the message parses, its bytes are kept as
// they came (the raw message is stored whole in any case), the ASCII in it stays readable, and the
// conversion failure is a named warning for the metrics.
func TestCharsets_UnregisteredCharsetKeepsRawBytes(t *testing.T) {
	gb, err := simplifiedchinese.GBK.NewEncoder().String("王小明")
	if err != nil {
		t.Fatal(err)
	}
	raw := "From: dsl@school.example.org\r\nTo: mash@council.example.gov.uk\r\nSubject: referral\r\n" +
		"Message-ID: <c-gb2312@school.example.org>\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=gb2312\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
		"Child: " + gb + "\nConcerns: bruising seen on 3 March\n"
	m, err := Parse([]byte(raw), Options{})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if !strings.Contains(m.BodyText, "bruising seen on 3 March") {
		t.Errorf("ASCII text lost: %q", m.BodyText)
	}
	if !bytes.Contains([]byte(m.BodyText), []byte(gb)) {
		t.Errorf("GB2312 bytes not kept as they came: %q", m.BodyText)
	}
	if !slices.Contains(m.Warnings, "Character Set Conversion") {
		t.Errorf("warnings %v, want the charset conversion named", m.Warnings)
	}
}
