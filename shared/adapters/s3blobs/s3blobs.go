// Package s3blobs keeps raw mail, attachments and quarantined messages in the KMS-encrypted raw-mail bucket.
// It speaks S3's PutObject and GetObject as signed HTTPS requests (package awsrest): the generated S3 client
// adds ≈1 MB to a function that constructs it, for two operations.
package s3blobs

import (
	"context"
	"errors"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/safeguarding/mash/shared/adapters/awsrest"
	"github.com/safeguarding/mash/shared/domain"
)

// Blobs stores objects in one bucket, encrypted with the stack's KMS key.
type Blobs struct {
	// AWS gives the region, credentials and HTTP client; with BaseEndpoint set (moto, a local stack) requests
	// go there path-style, else to the bucket's virtual-hosted regional endpoint.
	AWS      aws.Config
	Bucket   string
	KMSKeyID string // empty: the bucket's default encryption
}

func (b Blobs) client() awsrest.Client {
	return awsrest.Client{Config: b.AWS, Service: "s3", S3: true}
}

// url is the object's URL, the key escaped as S3's canonical URI (every byte but A–Z a–z 0–9 - . _ ~ and /).
func (b Blobs) url(c awsrest.Client, key string) string {
	base, custom := c.Endpoint("https://" + b.Bucket + ".s3." + b.AWS.Region + ".amazonaws.com")
	if custom {
		base += "/" + escape(b.Bucket)
	}
	return base + "/" + escape(key)
}

func escape(s string) string {
	const hex = "0123456789ABCDEF"
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' || c == '/' {
			out = append(out, c)
			continue
		}
		out = append(out, '%', hex[c>>4], hex[c&15])
	}
	return string(out)
}

// Put writes an object. With KMSKeyID set it asks for SSE-KMS with that key explicitly, so an object never
// depends on the bucket's default being right.
func (b Blobs) Put(ctx context.Context, key string, data []byte, contentType string) error {
	c := b.client()
	h := http.Header{"Content-Type": {contentType}}
	if b.KMSKeyID != "" {
		h.Set("X-Amz-Server-Side-Encryption", "aws:kms")
		h.Set("X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id", b.KMSKeyID)
	}
	_, _, err := c.Do(ctx, http.MethodPut, b.url(c, key), data, h)
	return err
}

// Get reads an object whole. A missing key is a domain not_found error (errors.Is(err, domain.ErrNotFound))
// wrapping the S3 error (*awsrest.Error, code NoSuchKey); anything else (a missing bucket, access denied,
// the network) is returned as it is.
func (b Blobs) Get(ctx context.Context, key string) ([]byte, error) {
	c := b.client()
	_, body, err := c.Do(ctx, http.MethodGet, b.url(c, key), nil, nil)
	if err != nil {
		var e *awsrest.Error
		if errors.As(err, &e) && e.Code == "NoSuchKey" {
			return nil, &domain.Error{Code: domain.CodeNotFound, Message: "no blob " + key, Err: err}
		}
		return nil, err
	}
	return body, nil
}

// Delete removes an object (S3 DeleteObject; the retention function's role alone may). Deleting a missing
// key succeeds, as S3 does.
func (b Blobs) Delete(ctx context.Context, key string) error {
	c := b.client()
	_, _, err := c.Do(ctx, http.MethodDelete, b.url(c, key), nil, nil)
	return err
}
