package s3blobs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/safeguarding/mash/shared/adapters/awsrest"
	"github.com/safeguarding/mash/shared/adapters/s3blobs"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/testenv"
)

const region = "eu-west-2"

var moto *testenv.Process

func TestMain(m *testing.M) { testenv.MotoMain(m, &moto) }

// newS3 is the real S3 client pointed at moto: path-style addressing (no bucket subdomains on 127.0.0.1)
// and dummy static credentials.
func newS3() *s3.Client {
	return s3.New(s3.Options{
		Region:       region,
		BaseEndpoint: aws.String(moto.Endpoint),
		UsePathStyle: true,
		Credentials:  testenv.MotoCredentials("s3blobs_test"),
	})
}

// createKMSKey makes a symmetric key in moto's KMS over its JSON protocol (the KMS SDK module is not a
// dependency of this project; moto does not check signatures, the Authorization header only names the
// service and region) and returns its ARN.
func createKMSKey(t *testing.T) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, moto.Endpoint+"/",
		strings.NewReader(`{"Description":"mash raw-mail bucket (test)","KeyUsage":"ENCRYPT_DECRYPT"}`))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "TrentService.CreateKey")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20270101/"+region+"/kms/aws4_request, SignedHeaders=host, Signature=0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("KMS CreateKey: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out struct{ KeyMetadata struct{ Arn, KeyId string } }
	if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &out) != nil || out.KeyMetadata.Arn == "" {
		t.Fatalf("KMS CreateKey: %s: %s", resp.Status, b)
	}
	return out.KeyMetadata.Arn
}

// cfg is the AWS configuration the adapter gets, pointed at moto.
func cfg() aws.Config {
	return aws.Config{Region: region, BaseEndpoint: aws.String(moto.Endpoint),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test", Source: "s3blobs_test"}, nil
		})}
}

// seq makes bucket names unique within one moto process, so `go test -count=N` starts from empty buckets.
var seq atomic.Int64

// createBucket creates a bucket named after name and returns its name.
func createBucket(t *testing.T, api *s3.Client, name string) string {
	t.Helper()
	name = fmt.Sprintf("%s-%d", name, seq.Add(1))
	_, err := api.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraint(region)}})
	if err != nil {
		t.Fatalf("CreateBucket %s: %v", name, err)
	}
	return name
}

// binary is a payload with every byte value, NULs and invalid UTF-8 included, larger than one read buffer.
func binary() []byte {
	b := make([]byte, 0, 70_000)
	for i := range 70_000 {
		b = append(b, byte(i*31+i/256))
	}
	return b
}

func head(t *testing.T, api *s3.Client, bucket, key string) *s3.HeadObjectOutput {
	t.Helper()
	h, err := api.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("HeadObject %s: %v", key, err)
	}
	return h
}

// With KMSKeyID set, every object is written SSE-KMS under that key (docs/architecture.md: S3 raw/ (KMS)), and reads
// back byte for byte.
func TestPutGet_WithKMSKey_RoundTripsAndEncryptsUnderTheKey(t *testing.T) {
	ctx := context.Background()
	api := newS3()
	keyARN := createKMSKey(t)
	bucket := createBucket(t, api, "mash-raw-explicit")
	b := s3blobs.Blobs{AWS: cfg(), Bucket: bucket, KMSKeyID: keyARN}

	objects := map[string]struct {
		data        []byte
		contentType string
	}{
		"raw/C-20271224-0001.eml":        {[]byte("From: dsl@school.example\r\nSubject: C-20271224-0001\r\n\r\nbody\r\n"), "message/rfc822"},
		"attachments/C-20271224-0001/1":  {binary(), "application/pdf"},
		"quarantine/C-20271224-0009.eml": {[]byte{}, "message/rfc822"},
		// a key needing S3's canonical escaping (space, +, &, brackets, non-ASCII)
		"attachments/C-20271224-0001/Referral form (v2) & notes+1 é.pdf": {[]byte("%PDF-1.4"), "application/pdf"},
	}
	for key, o := range objects {
		if err := b.Put(ctx, key, o.data, o.contentType); err != nil {
			t.Fatalf("Put %s: %v", key, err)
		}
	}
	for key, o := range objects {
		got, err := b.Get(ctx, key)
		if err != nil {
			t.Fatalf("Get %s: %v", key, err)
		}
		if !bytes.Equal(got, o.data) {
			t.Errorf("Get %s = %d bytes, not the %d put", key, len(got), len(o.data))
		}
		h := head(t, api, bucket, key)
		if h.ServerSideEncryption != types.ServerSideEncryptionAwsKms {
			t.Errorf("%s ServerSideEncryption = %q, want aws:kms", key, h.ServerSideEncryption)
		}
		if aws.ToString(h.SSEKMSKeyId) != keyARN {
			t.Errorf("%s SSEKMSKeyId = %q, want %q", key, aws.ToString(h.SSEKMSKeyId), keyARN)
		}
		if aws.ToString(h.ContentType) != o.contentType {
			t.Errorf("%s ContentType = %q, want %q", key, aws.ToString(h.ContentType), o.contentType)
		}
	}
}

// With KMSKeyID empty the adapter sends no encryption headers: the bucket's default encryption (the stack's
// KMS key, set on the bucket by template.yaml) applies.
func TestPut_WithoutKMSKey_UsesTheBucketDefault(t *testing.T) {
	ctx := context.Background()
	api := newS3()
	keyARN := createKMSKey(t)
	bucket := createBucket(t, api, "mash-raw-default")
	_, err := api.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: aws.String(bucket),
		ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{Rules: []types.ServerSideEncryptionRule{{
			ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{
				SSEAlgorithm: types.ServerSideEncryptionAwsKms, KMSMasterKeyID: aws.String(keyARN)},
		}}}})
	if err != nil {
		t.Fatal(err)
	}
	var sent http.Header
	c := cfg()
	c.HTTPClient = &http.Client{Transport: recorder{&sent}}
	b := s3blobs.Blobs{AWS: c, Bucket: bucket}
	data := binary()
	if err := b.Put(ctx, "raw/C-20271224-0002.eml", data, "message/rfc822"); err != nil {
		t.Fatal(err)
	}
	if sent.Get("X-Amz-Server-Side-Encryption") != "" || sent.Get("X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id") != "" {
		t.Errorf("Put without KMSKeyID sent ServerSideEncryption=%q SSEKMSKeyId=%q, want neither",
			sent.Get("X-Amz-Server-Side-Encryption"), sent.Get("X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id"))
	}
	got, err := b.Get(ctx, "raw/C-20271224-0002.eml")
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("Get = %d bytes, %v; want the %d put", len(got), err, len(data))
	}
	h := head(t, api, bucket, "raw/C-20271224-0002.eml")
	t.Logf("moto stored ServerSideEncryption=%q SSEKMSKeyId=%q", h.ServerSideEncryption, aws.ToString(h.SSEKMSKeyId))
	if h.ServerSideEncryption != types.ServerSideEncryptionAwsKms || aws.ToString(h.SSEKMSKeyId) != keyARN {
		t.Errorf("object under bucket default: ServerSideEncryption=%q SSEKMSKeyId=%q, want aws:kms with %s",
			h.ServerSideEncryption, aws.ToString(h.SSEKMSKeyId), keyARN)
	}
}

// A missing key is not_found for the caller (errors.Is(err, domain.ErrNotFound)); the S3 error stays
// reachable for logs. A missing bucket is a deployment fault, not a missing blob.
func TestGet_Missing_IsNotFound(t *testing.T) {
	ctx := context.Background()
	api := newS3()
	b := s3blobs.Blobs{AWS: cfg(), Bucket: createBucket(t, api, "mash-raw-missing")}
	_, err := b.Get(ctx, "raw/never-put.eml")
	if !errors.Is(err, domain.ErrNotFound) || domain.ErrorCode(err) != domain.CodeNotFound {
		t.Fatalf("Get of a missing key = %v, want not_found", err)
	}
	var noKey *awsrest.Error
	if !errors.As(err, &noKey) || noKey.Code != "NoSuchKey" {
		t.Errorf("not_found error does not wrap the S3 NoSuchKey: %v", err)
	}

	nobucket := s3blobs.Blobs{AWS: cfg(), Bucket: "mash-raw-no-such-bucket"}
	_, err = nobucket.Get(ctx, "raw/x.eml")
	if err == nil || errors.Is(err, domain.ErrNotFound) {
		t.Errorf("Get from a missing bucket = %v, want an error that is not not_found", err)
	}
	if err := nobucket.Put(ctx, "raw/x.eml", []byte("x"), "message/rfc822"); err == nil {
		t.Error("Put to a missing bucket succeeded")
	}
}

// recorder passes requests to the default transport and keeps the last PUT's headers, to see what was asked
// for.
type recorder struct{ last *http.Header }

func (r recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodPut {
		*r.last = req.Header.Clone()
	}
	return http.DefaultTransport.RoundTrip(req)
}

// The retention job's delete (S3 DeleteObject through the signed request): the object is gone, and deleting
// it again, or a key never put, succeeds as S3 does.
func TestDelete_RemovesTheObject_AgainIsNoError(t *testing.T) {
	ctx := context.Background()
	api := newS3()
	b := s3blobs.Blobs{AWS: cfg(), Bucket: createBucket(t, api, "mash-raw-delete")}
	key := "attachments/hackney/m_0123-01 (GP letter).pdf"
	if err := b.Put(ctx, key, []byte("%PDF-1.4"), "application/pdf"); err != nil {
		t.Fatal(err)
	}
	if err := b.Delete(ctx, key); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := b.Get(ctx, key); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Fatalf("after Delete, Get = %v, want not_found", err)
	}
	if err := b.Delete(ctx, key); err != nil {
		t.Errorf("Delete again: %v", err)
	}
}
