package email

import (
	"encoding/json"
	"fmt"
	"net/url"
	"path"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// RawMailRef points at one raw message in S3.
type RawMailRef struct {
	Bucket       string
	Key          string
	SESMessageID string
	// Verdicts from an SES receipt event ("" from an S3 event): the caller may quarantine before fetching.
	Verdicts Verdicts
}

// ParseS3Event reads an S3 event notification (ObjectCreated on the raw mail bucket). The SES message id is
// the last element of the key (SES writes raw/<ses-message-id>). Keys are URL-decoded as S3 sends them.
func ParseS3Event(data []byte) ([]RawMailRef, error) {
	var ev events.S3Event
	if err := json.Unmarshal(data, &ev); err != nil {
		return nil, fmt.Errorf("s3 event: %w", err)
	}
	if len(ev.Records) == 0 {
		return nil, fmt.Errorf("s3 event: no records")
	}
	refs := make([]RawMailRef, 0, len(ev.Records))
	for i, r := range ev.Records {
		key, err := url.QueryUnescape(r.S3.Object.Key)
		if err != nil {
			return nil, fmt.Errorf("s3 event: record %d: key is not URL-encoded", i)
		}
		if r.S3.Bucket.Name == "" || key == "" {
			return nil, fmt.Errorf("s3 event: record %d: bucket and key are required", i)
		}
		refs = append(refs, RawMailRef{Bucket: r.S3.Bucket.Name, Key: key, SESMessageID: path.Base(key)})
	}
	return refs, nil
}

// ParseSESEvent reads an SES receipt event. With an S3 action the bucket and key are the action's; with a
// Lambda action (the S3 action ran earlier in the same rule) they are empty: use WithDefaults.
func ParseSESEvent(data []byte) ([]RawMailRef, error) {
	var ev events.SimpleEmailEvent
	if err := json.Unmarshal(data, &ev); err != nil {
		return nil, fmt.Errorf("ses event: %w", err)
	}
	if len(ev.Records) == 0 {
		return nil, fmt.Errorf("ses event: no records")
	}
	refs := make([]RawMailRef, 0, len(ev.Records))
	for i, r := range ev.Records {
		id := r.SES.Mail.MessageID
		if id == "" {
			return nil, fmt.Errorf("ses event: record %d: mail.messageId is required", i)
		}
		a := r.SES.Receipt.Action
		ref := RawMailRef{SESMessageID: id, Verdicts: Verdicts{
			Spam:  strings.ToUpper(r.SES.Receipt.SpamVerdict.Status),
			Virus: strings.ToUpper(r.SES.Receipt.VirusVerdict.Status),
		}}
		if strings.EqualFold(a.Type, "S3") {
			ref.Bucket, ref.Key = a.BucketName, a.ObjectKey
		}
		refs = append(refs, ref)
	}
	return refs, nil
}

// WithDefaults fills a missing bucket, and a missing key as prefix + SES message id ("raw/" + id).
func (r RawMailRef) WithDefaults(bucket, prefix string) RawMailRef {
	if r.Bucket == "" {
		r.Bucket = bucket
	}
	if r.Key == "" && r.SESMessageID != "" {
		r.Key = prefix + r.SESMessageID
	}
	return r
}
