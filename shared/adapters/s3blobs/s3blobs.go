// Package s3blobs keeps raw mail, attachments and quarantined messages in the KMS-encrypted raw-mail bucket.
package s3blobs

import (
	"bytes"
	"context"
	"errors"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/safeguarding/mash/shared/domain"
)

// API is the part of the S3 client used here.
type API interface {
	PutObject(ctx context.Context, in *s3.PutObjectInput, opts ...func(*s3.Options)) (*s3.PutObjectOutput, error)
	GetObject(ctx context.Context, in *s3.GetObjectInput, opts ...func(*s3.Options)) (*s3.GetObjectOutput, error)
}

// Blobs stores objects in one bucket, encrypted with the stack's KMS key.
type Blobs struct {
	API      API
	Bucket   string
	KMSKeyID string // empty: the bucket's default encryption
}

// Put writes an object. With KMSKeyID set it asks for SSE-KMS with that key explicitly, so an object never
// depends on the bucket's default being right.
func (b Blobs) Put(ctx context.Context, key string, data []byte, contentType string) error {
	in := &s3.PutObjectInput{Bucket: aws.String(b.Bucket), Key: aws.String(key), Body: bytes.NewReader(data),
		ContentType: aws.String(contentType)}
	if b.KMSKeyID != "" {
		in.ServerSideEncryption = types.ServerSideEncryptionAwsKms
		in.SSEKMSKeyId = aws.String(b.KMSKeyID)
	}
	_, err := b.API.PutObject(ctx, in)
	return err
}

// Get reads an object whole. A missing key is a domain not_found error (errors.Is(err, domain.ErrNotFound))
// wrapping the S3 error; anything else (a missing bucket, access denied, the network) is returned as it is.
func (b Blobs) Get(ctx context.Context, key string) ([]byte, error) {
	out, err := b.API.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(b.Bucket), Key: aws.String(key)})
	if err != nil {
		var missing *types.NoSuchKey
		if errors.As(err, &missing) {
			return nil, &domain.Error{Code: domain.CodeNotFound, Message: "no blob " + key, Err: err}
		}
		return nil, err
	}
	defer out.Body.Close()
	return io.ReadAll(out.Body)
}
