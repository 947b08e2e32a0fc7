package intake

import (
	"bytes"
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/domain"
)

// A referral form's files: the kinds it takes, by name and by bytes (a renamed program is refused), their
// sizes and how many; each refusal names the file's own field.
func TestFormAttachments_KindsSizesAndCount(t *testing.T) {
	pdf := []byte("%PDF-1.4\n%%EOF\n")
	png := []byte("\x89PNG\r\n\x1a\n0000")
	doc := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 32)...)
	docx := append([]byte("PK\x03\x04"), make([]byte, 32)...)
	exe := []byte("MZ\x90\x00\x03\x00\x00\x00")
	for _, tc := range []struct {
		name  string
		files []FormAttachment
		want  string // the field refused, "" for none
	}{
		{"a PDF letter", []FormAttachment{{"GP letter.pdf", pdf}}, ""},
		{"a PNG photo of a document", []FormAttachment{{"photo.PNG", png}}, ""},
		{"a Word 97 document", []FormAttachment{{"chronology.doc", doc}}, ""},
		{"a Word document", []FormAttachment{{"chronology.docx", docx}}, ""},
		{"plain text", []FormAttachment{{"notes.txt", []byte("seen on 3 March\n")}}, ""},
		{"a program named .pdf", []FormAttachment{{"letter.pdf", exe}}, "attachments[0]"},
		{"a program", []FormAttachment{{"setup.exe", exe}}, "attachments[0]"},
		{"a PDF named .docx", []FormAttachment{{"a.pdf", pdf}, {"b.docx", pdf}}, "attachments[1]"},
		{"an empty file", []FormAttachment{{"empty.pdf", nil}}, "attachments[0]"},
		{"over 3 MiB", []FormAttachment{{"big.pdf", append(pdf, bytes.Repeat([]byte("x"), MaxFormAttachmentBytes)...)}}, "attachments[0]"},
		{"four files", []FormAttachment{{"a.pdf", pdf}, {"b.pdf", pdf}, {"c.pdf", pdf}, {"d.pdf", pdf}}, "attachments"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var p domain.Problems
			validAttachments(&p, tc.files)
			var got []string
			for _, f := range p {
				got = append(got, f.Field)
			}
			if tc.want == "" && len(got) > 0 || tc.want != "" && !strings.Contains(strings.Join(got, " "), tc.want) {
				t.Errorf("refused %v, want %q", got, tc.want)
			}
		})
	}
}
