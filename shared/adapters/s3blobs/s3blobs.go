// Package s3blobs keeps raw mail, attachments and quarantined messages in the KMS-encrypted raw-mail bucket.
package s3blobs

import (
	"bytes"
	"context"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
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

// Put writes an object.
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

// Get reads an object whole.
func (b Blobs) Get(ctx context.Context, key string) ([]byte, error) {
	out, err := b.API.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(b.Bucket), Key: aws.String(key)})
	if err != nil {
		return nil, err
	}
	defer out.Body.Close()
	return io.ReadAll(out.Body)
}
