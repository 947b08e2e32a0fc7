package email

import (
	"bytes"
	"errors"
	"net/mail"
	"strings"
	"time"

	"github.com/jhillyerd/enmime/v2"
)

// envelope is what Parse needs of a message: its decoded headers, its text and HTML bodies and its other
// parts sorted as enmime's Envelope sorts them (EnvelopeFromPart's rules, restated here). It is built from
// enmime's part tree (ReadParts) rather than enmime.ReadEnvelope because the latter links enmime's
// HTML-to-text converter and, through it, a table renderer and Unicode width tables — a quarter of a
// megabyte of intake-email that nothing here uses: intake converts HTML itself (htmlToText).
type envelope struct {
	Root        *enmime.Part
	Text, HTML  string
	Attachments []*enmime.Part
	Inlines     []*enmime.Part
	OtherParts  []*enmime.Part
	Errors      []*enmime.Error
}

func readEnvelope(raw []byte) (*envelope, error) {
	root, err := mimeParser.ReadParts(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	e := &envelope{Root: root}
	switch {
	case strings.HasPrefix(root.ContentType, "multipart/"):
		if err := e.multipart(); err != nil {
			return nil, err
		}
	case binaryBody(root):
		if root.Disposition == "inline" {
			e.Inlines = append(e.Inlines, root)
		} else {
			e.Attachments = append(e.Attachments, root)
		}
	case root.ContentType == "text/html":
		e.HTML = string(root.Content)
	default:
		e.Text = string(root.Content)
	}
	_ = root.DepthMatchAll(func(p *enmime.Part) bool {
		e.Errors = append(e.Errors, p.Errors...)
		return false
	})
	return e, nil
}

// binaryBody: a single-part message that is not text, or text sent as an attachment.
func binaryBody(root *enmime.Part) bool {
	switch root.ContentType {
	case "", "text/plain", "text/html":
		return root.Disposition == "attachment"
	}
	return true
}

func (e *envelope) multipart() error {
	root := e.Root
	if root.Boundary == "" {
		return errors.New("unable to locate boundary param in Content-Type header")
	}
	isText := func(p *enmime.Part) bool { return p.ContentType == "text/plain" && p.Disposition != "attachment" }
	if root.ContentType == "multipart/alternative" {
		if p := root.BreadthMatchFirst(isText); p != nil {
			e.Text = string(p.Content)
		}
	} else {
		for i, p := range root.DepthMatchAll(isText) {
			if i > 0 {
				e.Text += "\n--\n"
			}
			e.Text += string(p.Content)
		}
	}
	if p := root.DepthMatchFirst(func(p *enmime.Part) bool {
		return p.ContentType == "text/html" && p.Disposition != "attachment"
	}); p != nil {
		e.HTML = string(p.Content)
	}
	e.Attachments = root.BreadthMatchAll(func(p *enmime.Part) bool {
		return p.Disposition == "attachment" || p.ContentType == "application/octet-stream"
	})
	e.Inlines = root.BreadthMatchAll(func(p *enmime.Part) bool {
		return p.Disposition == "inline" && !strings.HasPrefix(p.ContentType, "multipart/")
	})
	e.OtherParts = root.BreadthMatchAll(func(p *enmime.Part) bool {
		if strings.HasPrefix(p.ContentType, "multipart/") || p.Disposition != "" || p.ContentType == "application/octet-stream" {
			return false
		}
		return p.ContentType != "text/plain" && p.ContentType != "text/html"
	})
	return nil
}

// GetHeader is the header's first value with RFC 2047 encoded words decoded.
func (e *envelope) GetHeader(name string) string {
	return enmime.DecodeRFC2047(e.Root.Header.Get(name))
}

// GetHeaderValues is every value of the header, decoded.
func (e *envelope) GetHeaderValues(name string) []string {
	var out []string
	for _, v := range e.Root.Header.Values(name) {
		out = append(out, enmime.DecodeRFC2047(v))
	}
	return out
}

// AddressList parses an address header (encoded names decoded).
func (e *envelope) AddressList(name string) ([]*mail.Address, error) {
	return enmime.ParseAddressList(e.Root.Header.Get(name))
}

// Date parses the Date header.
func (e *envelope) Date() (time.Time, error) {
	h := e.GetHeader("Date")
	if h == "" {
		return time.Time{}, mail.ErrHeaderNotPresent
	}
	return mail.ParseDate(h)
}
