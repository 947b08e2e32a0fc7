package email

import (
	"path"
	"strings"

	"github.com/jhillyerd/enmime/v2"
)

// bodyText is the message's text: the text/plain body, or the HTML converted when there is none.
func bodyText(env *envelope) string {
	text := env.Text
	if env.HTML != "" && (strings.TrimSpace(text) == "" || !hasPlainPart(env.Root)) {
		text = htmlToText(env.HTML)
	}
	return normaliseNewlines(text)
}

func hasPlainPart(p *enmime.Part) bool {
	if p == nil {
		return false
	}
	return p.DepthMatchFirst(func(p *enmime.Part) bool {
		return p.ContentType == "text/plain" && p.Disposition != "attachment"
	}) != nil
}

func normaliseNewlines(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.ReplaceAll(s, "\u00a0", " ")
	return strings.TrimSpace(s)
}

func attachments(env *envelope) []Attachment {
	var out []Attachment
	add := func(p *enmime.Part, inline bool) {
		if p.Content == nil && p.ContentType == "" {
			return
		}
		out = append(out, Attachment{
			Filename:    p.FileName,
			ContentType: p.ContentType,
			Data:        p.Content,
			Inline:      inline,
			ContentID:   p.ContentID,
		})
	}
	for _, p := range env.Attachments {
		add(p, false)
	}
	for _, p := range env.Inlines {
		add(p, true)
	}
	for _, p := range env.OtherParts {
		add(p, true)
	}
	return out
}

// attachmentText returns the text of an attachment that carries a form we can read (text/plain, .txt,
// simple HTML) and ok=false for everything else (PDF, images, Office documents).
func attachmentText(a Attachment) (string, bool) {
	ext := strings.ToLower(path.Ext(a.Filename))
	ct := strings.ToLower(a.ContentType)
	switch {
	case ct == "text/plain" || ext == ".txt":
		return normaliseNewlines(string(a.Data)), true
	case ct == "text/html" || ext == ".html" || ext == ".htm":
		return normaliseNewlines(htmlToText(string(a.Data))), true
	}
	return "", false
}
