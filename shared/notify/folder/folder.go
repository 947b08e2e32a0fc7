// Package folder is the local runner's notify.Sender: each message becomes one RFC 5322
// multipart/alternative .eml file (text/plain and text/html, UTF-8, quoted-printable) in an outbox folder,
// which the console lists and any mail client opens.
//
// The file name is <createdAt>-<id>.eml with the id reduced to [A-Za-z0-9._-]; sending the same message
// again rewrites the same file, so a retried send never makes a second copy. A reader never sees half a
// message: on Linux a message is written to an unnamed file (O_TMPFILE) that is given its name once whole
// (linkat), so making it takes one change of the folder and no temporary name; elsewhere, on a file system
// without unnamed files, and to rewrite a message already there, it is written to a temporary name and renamed.
package folder

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/internal/fsx"
	"github.com/safeguarding/mash/shared/store"
)

// DefaultFrom is the From address when none is configured.
const DefaultFrom = "MASH <no-reply@mash.localhost>"

// Sender writes messages into Dir.
type Sender struct {
	Dir  string
	From string // an RFC 5322 address; DefaultFrom when empty
}

// FileName is the outbox file name of a message.
func FileName(n store.Notification) string {
	return n.CreatedAt.UTC().Format("20060102T150405Z") + "-" + Sanitise(n.ID) + ".eml"
}

// Sanitise keeps letters, digits, dot, underscore and hyphen, and turns everything else into '_'.
func Sanitise(id string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			return r
		}
		return '_'
	}, id)
}

// Send writes the message and returns its file name as the provider id.
func (s Sender) Send(ctx context.Context, n store.Notification, replyTo string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	raw, err := Build(n, s.from(), replyTo)
	if err != nil {
		return "", err
	}
	name := FileName(n)
	err = linked(s.Dir, name, raw)
	if errors.Is(err, fs.ErrNotExist) {
		// the folder is made when a send first finds it missing, not looked up before every send (a stat per
		// message, issue #19)
		if err := os.MkdirAll(s.Dir, 0o700); err != nil {
			return "", fmt.Errorf("outbox folder: %w", err)
		}
		err = linked(s.Dir, name, raw)
	}
	switch {
	case err == nil:
		return name, nil
	case errors.Is(err, errNotLinked), errors.Is(err, fs.ErrExist):
		// no unnamed files here, or the message is there already (a retried send): the temporary name and the
		// rename, which replaces it
		if err := renamed(s.Dir, name, raw); err != nil {
			return "", fmt.Errorf("outbox folder: %w", err)
		}
		return name, nil
	}
	return "", fmt.Errorf("outbox folder: %w", err)
}

// errNotLinked says that linked could not write the message and wrote nothing: the system or the file system
// has no unnamed files, or the file could not be given its name for a reason other than the name being taken.
var errNotLinked = errors.New("no unnamed file")

// renamed writes raw to a temporary name in dir and renames it to name, replacing a file of that name.
func renamed(dir, name string, raw []byte) error {
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(raw)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := fsx.Rename(tmp.Name(), filepath.Join(dir, name)); err != nil { // no lstat first (issue #19)
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

func (s Sender) from() string {
	if s.From != "" {
		return s.From
	}
	return DefaultFrom
}

// Build renders a message as RFC 5322 bytes (CRLF line ends): multipart/alternative with a text/plain and,
// when the message has HTML, a text/html part.
func Build(n store.Notification, from, replyTo string) ([]byte, error) {
	if len(n.To) == 0 {
		return nil, errors.New("message has no recipient")
	}
	var to []string
	for _, a := range n.To {
		addr, err := mail.ParseAddress(a)
		if err != nil {
			return nil, fmt.Errorf("message %s: a recipient is not an email address", n.ID)
		}
		to = append(to, addr.String())
	}
	var buf bytes.Buffer
	header := func(k, v string) {
		// Header values never carry CR or LF (no header injection from data).
		v = strings.NewReplacer("\r", " ", "\n", " ").Replace(v)
		buf.WriteString(k + ": " + v + "\r\n")
	}
	date := n.CreatedAt
	if date.IsZero() {
		date = time.Unix(0, 0)
	}
	header("From", from)
	header("To", strings.Join(to, ", "))
	if len(n.Cc) > 0 {
		var cc []string
		for _, a := range n.Cc {
			addr, err := mail.ParseAddress(a)
			if err != nil {
				return nil, fmt.Errorf("message %s: a copied recipient is not an email address", n.ID)
			}
			cc = append(cc, addr.String())
		}
		header("Cc", strings.Join(cc, ", "))
	}
	if replyTo != "" {
		if addr, err := mail.ParseAddress(replyTo); err == nil {
			header("Reply-To", addr.String())
		}
	}
	header("Subject", mime.QEncoding.Encode("utf-8", n.Subject))
	header("Date", date.UTC().Format(time.RFC1123Z))
	header("Message-ID", "<"+Sanitise(n.ID)+"@mash.localhost>")
	header("X-MASH-Notification-Id", Sanitise(n.ID))
	header("X-MASH-Kind", Sanitise(n.Kind))
	header("MIME-Version", "1.0")

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if err := mw.SetBoundary(boundary()); err != nil {
		return nil, err
	}
	parts := []struct{ ctype, text string }{{"text/plain; charset=utf-8", n.Text}}
	if n.HTML != "" {
		parts = append(parts, struct{ ctype, text string }{"text/html; charset=utf-8", n.HTML})
	}
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		h.Set("Content-Type", p.ctype)
		h.Set("Content-Transfer-Encoding", "quoted-printable")
		w, err := mw.CreatePart(h)
		if err != nil {
			return nil, err
		}
		qp := quotedprintable.NewWriter(w)
		if _, err := qp.Write([]byte(toCRLF(p.text))); err != nil {
			return nil, err
		}
		if err := qp.Close(); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	header("Content-Type", "multipart/alternative; boundary=\""+mw.Boundary()+"\"")
	buf.WriteString("\r\n")
	buf.Write(body.Bytes())
	return buf.Bytes(), nil
}

func toCRLF(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
}

func boundary() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b) // crypto/rand does not fail on supported platforms
	return "mash-" + hex.EncodeToString(b)
}
