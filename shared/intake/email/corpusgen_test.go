package email

import (
	"bytes"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// The referral corpus (events/email/corpus) is generated from its sources (corpus/src/*.txt, written by hand)
// so that its .docx and PDF attachments are reproducible: `go test ./shared/intake/email -run
// TestCorpus_FilesAreGenerated -update` rewrites the .eml files and expected.json; without -update the test
// fails when a committed file differs from what its source makes.

var update = flag.Bool("update", false, "rewrite the generated corpus files")

const corpusDir = "../../../events/email/corpus"

// corpusSource is one parsed source file.
type corpusSource struct {
	name     string // base name without .txt
	headers  map[string][]string
	body     string
	sections map[string]string // "html" or an attachment name → its text
}

// expectedChild, expectedMail: what a careful person reads in the email (the corpus's answers).
type expectedChild struct {
	Name   string `json:"name"`             // as written, given then family
	DOB    string `json:"dob,omitempty"`    // YYYY-MM-DD
	Age    int    `json:"age,omitempty"`    // when only an age is given
	School string `json:"school,omitempty"` // as written
}

type expectedMail struct {
	File          string          `json:"file"`
	Set           string          `json:"set"` // "tune" or "heldout"
	Writer        string          `json:"writer"`
	Children      []expectedChild `json:"children"`
	ImmediateHarm string          `json:"immediateHarm,omitempty"` // "yes", "no", "" when the email does not say
	Consent       string          `json:"consent,omitempty"`       // given, refused, not-sought; "" when not said
	Unreadable    []string        `json:"unreadable,omitempty"`    // attachments that must be kept but cannot be read
}

func parseCorpusSource(name, text string) (*corpusSource, error) {
	s := &corpusSource{name: name, headers: map[string][]string{}, sections: map[string]string{}}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	head, rest, ok := strings.Cut(text, "\n--\n")
	if !ok {
		return nil, fmt.Errorf("%s: no -- line after the headers", name)
	}
	for _, l := range strings.Split(head, "\n") {
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			return nil, fmt.Errorf("%s: header line %q", name, l)
		}
		k = strings.ToLower(strings.TrimSpace(k))
		s.headers[k] = append(s.headers[k], strings.TrimSpace(v))
	}
	parts := strings.Split(rest, "\n=== ")
	s.body = strings.TrimRight(parts[0], "\n") + "\n"
	for _, p := range parts[1:] {
		title, content, _ := strings.Cut(p, "\n")
		s.sections[strings.TrimSpace(title)] = strings.TrimRight(content, "\n") + "\n"
	}
	return s, nil
}

func (s *corpusSource) header(k, def string) string {
	if v := s.headers[k]; len(v) > 0 {
		return v[0]
	}
	return def
}

func (s *corpusSource) expected() (expectedMail, error) {
	e := expectedMail{File: s.name + ".eml", Set: s.header("set", "tune"), Writer: s.header("writer", ""),
		ImmediateHarm: s.header("harm", ""), Consent: s.header("consent", ""), Children: []expectedChild{}}
	for _, c := range s.headers["child"] {
		f := strings.Split(c, "|")
		for len(f) < 3 {
			f = append(f, "")
		}
		ec := expectedChild{Name: strings.TrimSpace(f[0]), School: strings.TrimSpace(f[2])}
		d := strings.TrimSpace(f[1])
		if a, ok := strings.CutPrefix(d, "age "); ok {
			fmt.Sscanf(a, "%d", &ec.Age)
		} else {
			ec.DOB = d
		}
		e.Children = append(e.Children, ec)
	}
	for _, a := range s.headers["attach"] {
		name, kind := attachSpec(a)
		if kind == "scanned" || kind == "corrupt" || kind == "bomb" || kind == "encrypted" {
			e.Unreadable = append(e.Unreadable, name)
		}
	}
	switch e.Set {
	case "tune", "heldout":
	default:
		return e, fmt.Errorf("%s: set %q", s.name, e.Set)
	}
	return e, nil
}

// encodeCharset converts UTF-8 text to the source's charset.
func encodeCharset(text, charset string) ([]byte, error) {
	switch strings.ToLower(charset) {
	case "utf-8", "":
		return []byte(text), nil
	case "windows-1252":
		return charmap.Windows1252.NewEncoder().Bytes([]byte(text))
	case "iso-8859-1":
		return charmap.ISO8859_1.NewEncoder().Bytes([]byte(text))
	}
	return nil, fmt.Errorf("charset %q", charset)
}

func qp(b []byte) string {
	var buf bytes.Buffer
	w := quotedprintable.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return strings.ReplaceAll(strings.ReplaceAll(buf.String(), "\r\n", "\n"), "\n", "\r\n")
}

func b64(b []byte) string {
	s := base64.StdEncoding.EncodeToString(b)
	var out strings.Builder
	for len(s) > 76 {
		out.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	out.WriteString(s + "\r\n")
	return out.String()
}

// buildEML makes the raw message of a source: SES's Received header, the headers, the body in its charset
// (quoted-printable) as text/plain, text/html or both, and the attachments (base64).
func buildEML(s *corpusSource) ([]byte, error) {
	charset := s.header("charset", "utf-8")
	sum := sha1.Sum([]byte(s.name))
	sesID := hex.EncodeToString(sum[:])
	var h strings.Builder
	date := s.header("date", "Tue, 02 Mar 2027 09:15:00 +0000")
	fmt.Fprintf(&h, "Received: from mail-relay.example.net (mail-relay.example.net [192.0.2.10])\r\n by inbound-smtp.eu-west-2.amazonaws.com with SMTP id %s\r\n for mash@council.example.gov.uk;\r\n %s\r\n", sesID, date)
	fmt.Fprintf(&h, "From: %s\r\n", encodeAddressHeader(s.header("from", "someone@example.org"), charset))
	fmt.Fprintf(&h, "To: %s\r\n", s.header("to", "MASH <mash@council.example.gov.uk>"))
	subj := s.header("subject", "")
	if isASCII(subj) {
		fmt.Fprintf(&h, "Subject: %s\r\n", subj)
	} else {
		enc, err := encodeCharset(subj, charset)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&h, "Subject: %s\r\n", mime.QEncoding.Encode(charset, string(enc)))
	}
	fmt.Fprintf(&h, "Date: %s\r\nMessage-ID: <corpus-%s@mail.example.net>\r\nMIME-Version: 1.0\r\n", date, s.name)

	textPart := func(ct, text string) (string, error) {
		b, err := encodeCharset(strings.ReplaceAll(text, "\n", "\r\n"), charset)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("Content-Type: %s; charset=\"%s\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n%s", ct, charset, qp(b)), nil
	}
	var body string
	var err error
	switch s.header("body", "plain") {
	case "plain":
		body, err = textPart("text/plain", s.body)
	case "html":
		body, err = textPart("text/html", s.body)
	case "both":
		var p, hp string
		if p, err = textPart("text/plain", s.body); err == nil {
			hp, err = textPart("text/html", s.sections["html"])
		}
		b := "=_alt_" + s.name
		body = fmt.Sprintf("Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n--%s\r\n%s\r\n--%s\r\n%s\r\n--%s--\r\n", b, b, p, b, hp, b)
	default:
		return nil, fmt.Errorf("%s: body %q", s.name, s.header("body", ""))
	}
	if err != nil {
		return nil, err
	}
	atts := s.headers["attach"]
	if len(atts) == 0 {
		return []byte(h.String() + body), nil
	}
	b := "=_mixed_" + s.name
	var out strings.Builder
	out.WriteString(h.String())
	fmt.Fprintf(&out, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n--%s\r\n%s\r\n", b, b, body)
	for _, a := range atts {
		name, kind := attachSpec(a)
		data, ct, err := buildAttachment(name, kind, s.sections[name])
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", s.name, name, err)
		}
		fmt.Fprintf(&out, "--%s\r\nContent-Type: %s; name=\"%s\"\r\nContent-Disposition: attachment; filename=\"%s\"\r\nContent-Transfer-Encoding: base64\r\n\r\n%s\r\n",
			b, ct, name, name, b64(data))
	}
	fmt.Fprintf(&out, "--%s--\r\n", b)
	return []byte(out.String()), nil
}

// attachSpec splits "file name.pdf kind": the last word is a kind when it is one the builders know.
func attachSpec(a string) (name, kind string) {
	i := strings.LastIndexByte(a, ' ')
	if i > 0 {
		switch k := a[i+1:]; k {
		case "scanned", "corrupt", "bomb", "encrypted", "tj", "cid":
			return a[:i], k
		}
	}
	return a, ""
}

func encodeAddressHeader(v, charset string) string {
	if isASCII(v) {
		return v
	}
	name, addr, ok := strings.Cut(v, "<")
	if !ok {
		return v
	}
	enc, _ := encodeCharset(strings.Trim(strings.TrimSpace(name), `"`), charset)
	return mime.QEncoding.Encode(charset, string(enc)) + " <" + addr
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

func buildAttachment(name, kind, text string) ([]byte, string, error) {
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case ext == ".docx" && kind == "bomb":
		return testDocxBomb(40 << 20), docxType, nil
	case ext == ".docx" && kind == "encrypted":
		return testEncryptedOffice(), docxType, nil
	case ext == ".docx":
		d := testDocx(text)
		if kind == "corrupt" {
			d = d[:len(d)/2]
		}
		return d, docxType, nil
	case ext == ".pdf" && kind == "scanned":
		return testScannedPDF(), "application/pdf", nil
	case ext == ".pdf" && kind == "encrypted":
		return testEncryptedPDF(), "application/pdf", nil
	case ext == ".pdf":
		d := testPDF(text, kind)
		if kind == "corrupt" {
			d = d[:len(d)/3]
		}
		return d, "application/pdf", nil
	case ext == ".jpg":
		return []byte("\xff\xd8\xff\xe0 not really a photo"), "image/jpeg", nil
	case ext == ".doc":
		return testEncryptedOffice(), "application/msword", nil
	case ext == ".txt":
		return []byte(text), "text/plain", nil
	}
	return nil, "", fmt.Errorf("no builder for %s %s", name, kind)
}

// generateCorpus builds every file of the corpus from its sources: name → bytes.
func generateCorpus(t testing.TB) map[string][]byte {
	t.Helper()
	srcs, err := filepath.Glob(filepath.Join(corpusDir, "src", "*.txt"))
	if err != nil || len(srcs) == 0 {
		t.Fatalf("no corpus sources: %v", err)
	}
	sort.Strings(srcs)
	out := map[string][]byte{}
	var exp []expectedMail
	for _, f := range srcs {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".txt")
		s, err := parseCorpusSource(name, string(text))
		if err != nil {
			t.Fatal(err)
		}
		raw, err := buildEML(s)
		if err != nil {
			t.Fatal(err)
		}
		out[name+".eml"] = raw
		e, err := s.expected()
		if err != nil {
			t.Fatal(err)
		}
		exp = append(exp, e)
	}
	var buf bytes.Buffer
	buf.WriteString("[\n")
	for i, e := range exp {
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(b)
		if i < len(exp)-1 {
			buf.WriteString(",")
		}
		buf.WriteString("\n")
	}
	buf.WriteString("]\n")
	out["expected.json"] = buf.Bytes()
	return out
}

func TestCorpus_FilesAreGenerated(t *testing.T) {
	files := generateCorpus(t)
	if *update {
		for name, b := range files {
			if err := os.WriteFile(filepath.Join(corpusDir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name, b := range files {
		got, err := os.ReadFile(filepath.Join(corpusDir, name))
		if err != nil {
			t.Errorf("%s: %v (run with -update)", name, err)
			continue
		}
		if !bytes.Equal(got, b) {
			t.Errorf("%s differs from what its source makes (run with -update)", name)
		}
	}
	emls, _ := filepath.Glob(filepath.Join(corpusDir, "*.eml"))
	for _, f := range emls {
		if _, ok := files[filepath.Base(f)]; !ok {
			t.Errorf("%s has no source in corpus/src", filepath.Base(f))
		}
	}
}
