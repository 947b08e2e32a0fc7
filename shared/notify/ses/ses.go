// Package ses is production's notify.Sender: Amazon SES v2 SendEmail with simple content (subject, text and
// HTML bodies, UTF-8), the authority's MASH inbox as Reply-To, and an optional configuration set for
// delivery events. The SES message id is the provider id.
package ses

import (
	"context"
	"errors"

	"github.com/safeguarding/mash/shared/store"
)

// API is SES v2's SendEmail (*Client implements it).
type API interface {
	SendEmail(ctx context.Context, in *SendEmailInput) (string, error)
}

// Sender sends through SES v2.
type Sender struct {
	Client API
	// From is the verified sender identity, e.g. "Example MASH <no-reply@mash.example.gov.uk>".
	From string
	// ConfigurationSet is the SES configuration set name (delivery, bounce and complaint events); optional.
	ConfigurationSet string
}

// Send sends one message and returns the SES message id.
func (s Sender) Send(ctx context.Context, n store.Notification, replyTo string) (string, error) {
	if len(n.To) == 0 {
		return "", errors.New("ses: message has no recipient")
	}
	if s.From == "" {
		return "", errors.New("ses: no From address configured")
	}
	body := Body{Text: &Content{Data: n.Text, Charset: "UTF-8"}}
	if n.HTML != "" {
		body.Html = &Content{Data: n.HTML, Charset: "UTF-8"}
	}
	in := &SendEmailInput{
		FromEmailAddress: s.From,
		Destination:      Destination{ToAddresses: append([]string(nil), n.To...), CcAddresses: append([]string(nil), n.Cc...)},
		Content: EmailContent{Simple: Message{
			Subject: Content{Data: n.Subject, Charset: "UTF-8"},
			Body:    body,
		}},
		EmailTags:            []MessageTag{{Name: "kind", Value: tagValue(n.Kind)}},
		ConfigurationSetName: s.ConfigurationSet,
	}
	if replyTo != "" {
		in.ReplyToAddresses = []string{replyTo}
	}
	return s.Client.SendEmail(ctx, in)
}

// tagValue keeps the characters SES allows in a tag value (ASCII letters, digits, _ and -).
func tagValue(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			b[i] = '_'
		}
	}
	if len(b) == 0 {
		return "none"
	}
	return string(b)
}
