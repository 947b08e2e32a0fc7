// Package ses is production's notify.Sender: Amazon SES v2 SendEmail with simple content (subject, text and
// HTML bodies, UTF-8), the authority's MASH inbox as Reply-To, and an optional configuration set for
// delivery events. The SES message id is the provider id.
package ses

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"

	"github.com/safeguarding/mash/shared/store"
)

// API is the part of the SES v2 client the sender uses (*sesv2.Client implements it).
type API interface {
	SendEmail(ctx context.Context, in *sesv2.SendEmailInput, opts ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error)
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
	body := &types.Body{Text: &types.Content{Data: aws.String(n.Text), Charset: aws.String("UTF-8")}}
	if n.HTML != "" {
		body.Html = &types.Content{Data: aws.String(n.HTML), Charset: aws.String("UTF-8")}
	}
	in := &sesv2.SendEmailInput{
		FromEmailAddress: aws.String(s.From),
		Destination:      &types.Destination{ToAddresses: append([]string(nil), n.To...), CcAddresses: append([]string(nil), n.Cc...)},
		Content: &types.EmailContent{Simple: &types.Message{
			Subject: &types.Content{Data: aws.String(n.Subject), Charset: aws.String("UTF-8")},
			Body:    body,
		}},
		EmailTags: []types.MessageTag{{Name: aws.String("kind"), Value: aws.String(tagValue(n.Kind))}},
	}
	if replyTo != "" {
		in.ReplyToAddresses = []string{replyTo}
	}
	if s.ConfigurationSet != "" {
		in.ConfigurationSetName = aws.String(s.ConfigurationSet)
	}
	out, err := s.Client.SendEmail(ctx, in)
	if err != nil {
		return "", err
	}
	return aws.ToString(out.MessageId), nil
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
