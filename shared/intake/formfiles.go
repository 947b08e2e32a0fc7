package intake

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

// FormAttachment is a file an online referral form carries (the console's /refer): a GP letter, a school's
// chronology, a photo of a document. It is kept as an email's attachments are (Blobs, never the table) and
// recorded on every contact of the referral ("attachments.kept", the same shape as intake-email's).
type FormAttachment struct {
	Name string
	Data []byte
}

// Limits of a referral form's attachments. On AWS the form reaches the console function through API
// Gateway and Lambda, whose synchronous request payload is at most 6 MB after base64: the form's whole body
// is kept under 4 MiB (the console's MaxReferBody).
const (
	MaxFormAttachments     = 3
	MaxFormAttachmentBytes = 3 << 20
)

// formTypes are the files a form may carry, by extension, with the content type a file of that kind sniffs
// as (http.DetectContentType): the extension names the kind, the bytes must agree, so a renamed program is
// refused.
var formTypes = map[string]struct{ store, sniff string }{
	".pdf":  {"application/pdf", "application/pdf"},
	".docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/zip"},
	".doc":  {"application/msword", "application/octet-stream"},
	".jpg":  {"image/jpeg", "image/jpeg"},
	".jpeg": {"image/jpeg", "image/jpeg"},
	".png":  {"image/png", "image/png"},
	".txt":  {"text/plain", "text/plain; charset=utf-8"},
}

// FormAttachmentKinds lists the extensions a form may carry, for messages and hints.
const FormAttachmentKinds = "PDF, Word (.doc, .docx), JPEG, PNG or plain text"

// formType returns the content type a file is kept as, or false when its kind is not allowed or its bytes
// are not of the kind its name says.
func formType(a FormAttachment) (string, bool) {
	t, ok := formTypes[strings.ToLower(path.Ext(a.Name))]
	if !ok {
		return "", false
	}
	sniffed := http.DetectContentType(a.Data)
	if t.sniff == "application/octet-stream" { // a Word 97 document: the OLE compound file signature
		return t.store, bytes.HasPrefix(a.Data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	}
	return t.store, sniffed == t.sniff
}

func validAttachments(p *domain.Problems, as []FormAttachment) {
	if len(as) > MaxFormAttachments {
		p.Add("attachments", "at most %d files", MaxFormAttachments)
	}
	for i, a := range as {
		f := "attachments[" + strconv.Itoa(i) + "]"
		switch _, ok := formType(a); {
		case len(a.Data) == 0:
			p.Add(f, "%s is empty", a.Name)
		case len(a.Data) > MaxFormAttachmentBytes:
			p.Add(f, "%s is larger than %d MiB", a.Name, MaxFormAttachmentBytes>>20)
		case !ok:
			p.Add(f, "%s is not a file the form takes: %s", a.Name, FormAttachmentKinds)
		}
	}
}

// keepFormAttachments stores a form's files under attachments/<authority>/f_<hash of the file>-NN and
// returns the audit event that records them on a contact, or nil when there are none. The key is the
// file's: a resubmitted form keeps the same bytes under the same keys.
func (s Service) keepFormAttachments(ctx context.Context, authority domain.AuthorityID, as []FormAttachment) (*store.AuditEvent, error) {
	if len(as) == 0 {
		return nil, nil
	}
	detail := map[string]string{}
	for i, a := range as {
		typ, _ := formType(a)
		sum := sha256.Sum256(a.Data)
		key := fmt.Sprintf("attachments/%s/f_%.32s-%02d", authority, hex.EncodeToString(sum[:]), i)
		if err := s.Blobs.Put(ctx, key, a.Data, typ); err != nil {
			return nil, err
		}
		n := fmt.Sprintf("%02d", i)
		detail[n], detail["type "+n], detail["name "+n] = key, typ, a.Name
	}
	return &store.AuditEvent{Actor: "intake-form", Action: "attachments.kept", Detail: detail}, nil
}
