package email

import (
	"path"
	"strings"

	"github.com/safeguarding/mash/shared/domain"
)

// maxFormBytes: an attachment larger than this is kept but not read (the reading budget per attachment;
// the readers also bound what they inflate and how many tokens or operators they interpret).
const maxFormBytes = 10 << 20

// Attachment read statuses (domain.AttachmentRead.Status).
const (
	attachRead       = "read"
	attachNotForm    = "not-a-form"
	attachUnreadable = "unreadable"
)

// formKind says whether an attachment may carry a form we read, by its name or type: "text", "html",
// "docx", "pdf", "doc" (old Word, noted unread), or "" (images and anything else: not read).
func formKind(a Attachment) string {
	ext := strings.ToLower(path.Ext(a.Filename))
	ct := strings.ToLower(a.ContentType)
	switch {
	case ct == "text/plain" || ext == ".txt":
		return "text"
	case ct == "text/html" || ext == ".html" || ext == ".htm":
		return "html"
	case ext == ".docx" || strings.Contains(ct, "wordprocessingml"):
		return "docx"
	case ext == ".pdf" || ct == "application/pdf":
		return "pdf"
	case ext == ".doc" || ct == "application/msword":
		return "doc"
	}
	return ""
}

// readAttachment returns the text of a form attachment and what became of it. It never fails the email: a
// damaged, encrypted, oversized or scanned file is reported unreadable with the reason, and kept by the
// caller all the same.
func readAttachment(a Attachment) (text string, r domain.AttachmentRead) {
	r = domain.AttachmentRead{File: a.Filename, Status: attachRead}
	if r.File == "" {
		r.File = "(unnamed " + a.ContentType + ")"
	}
	kind := formKind(a)
	if kind == "" {
		r.Status = attachNotForm
		return "", r
	}
	if len(a.Data) > maxFormBytes {
		r.Status, r.Reason = attachUnreadable, "larger than the reading budget; not read"
		return "", r
	}
	var err error
	func() {
		defer func() {
			if recover() != nil { // a reader's bug must not lose the email
				err = errNotReadable
			}
		}()
		switch kind {
		case "text":
			text = normaliseNewlines(string(a.Data))
		case "html":
			text = htmlToText(string(a.Data))
		case "docx":
			text, err = docxText(a.Data)
		case "pdf":
			text, err = pdfText(a.Data)
		case "doc":
			err = oleKind(a.Data)
		}
	}()
	if err != nil {
		r.Status, r.Reason = attachUnreadable, err.Error()
		return "", r
	}
	return normaliseNewlines(wordPlaceholders.Replace(text)), r // a form saved as PDF keeps Word's prompts
}

type readError string

func (e readError) Error() string { return string(e) }

const errNotReadable = readError("could not be read")
