package inbox

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/intake/email"
)

// MailEvent handles what triggers intake-email: the S3 ObjectCreated notification for raw/ (the SES receipt
// rule's S3 action wrote the message), or an SES receipt event (Lambda action after the S3 action). Every
// record is attempted; if any failed the error is returned so Lambda retries the event (records already done
// are duplicates then) and, after its retries, sends it to the dead-letter queue.
func (s Service) MailEvent(ctx context.Context, authority domain.AuthorityID, bucket string, raw json.RawMessage) ([]intake.Result, error) {
	var probe struct {
		Records []struct {
			EventSource string `json:"eventSource"`
		} `json:"Records"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil || len(probe.Records) == 0 {
		return nil, domain.Errorf(domain.CodeInvalid, "not an S3 or SES event")
	}
	var refs []email.RawMailRef
	var err error
	switch strings.ToLower(probe.Records[0].EventSource) {
	case "aws:s3":
		refs, err = email.ParseS3Event(raw)
	case "aws:ses":
		refs, err = email.ParseSESEvent(raw)
	default:
		return nil, domain.Errorf(domain.CodeInvalid, "event source %q is neither aws:s3 nor aws:ses", probe.Records[0].EventSource)
	}
	if err != nil {
		return nil, domain.Errorf(domain.CodeInvalid, "unreadable event")
	}
	var out []intake.Result
	var errs []error
	for _, ref := range refs {
		ref = ref.WithDefaults(bucket, "raw/")
		data, err := s.Blobs.Get(ctx, ref.Key)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		rs, err := s.IngestEmail(ctx, authority, intake.RawMail{Data: data, Key: ref.Key, SESMessageID: ref.SESMessageID})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, rs...)
	}
	return out, errors.Join(errs...)
}
