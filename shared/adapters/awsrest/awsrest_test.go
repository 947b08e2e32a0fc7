package awsrest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/safeguarding/mash/shared/adapters/awsrest"
)

func client(url string) awsrest.Client {
	return awsrest.Client{Service: "s3", S3: true, Now: func() time.Time { return time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC) },
		Config: aws.Config{Region: "eu-west-2", BaseEndpoint: aws.String(url), RetryMaxAttempts: 2,
			Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "")}}
}

// The request carries a SigV4 Authorization for the service and region, the payload hash, and the body.
func TestDo_SignsForServiceAndRegion(t *testing.T) {
	var got *http.Request
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, body = r, must(io.ReadAll(r.Body))
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	c := client(srv.URL)
	base, custom := c.Endpoint("https://s3.eu-west-2.amazonaws.com")
	if !custom || base != srv.URL {
		t.Fatalf("endpoint %s %v", base, custom)
	}
	_, b, err := c.Do(context.Background(), http.MethodPut, base+"/bucket/raw/a%20b.eml", []byte("hello"), http.Header{"Content-Type": {"message/rfc822"}})
	if err != nil || string(b) != "ok" {
		t.Fatalf("Do: %q %v", b, err)
	}
	auth := got.Header.Get("Authorization")
	for _, want := range []string{"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20270102/eu-west-2/s3/aws4_request", "SignedHeaders=", "content-type", "x-amz-content-sha256", "Signature="} {
		if !strings.Contains(auth, want) {
			t.Errorf("Authorization %q lacks %q", auth, want)
		}
	}
	if got.Header.Get("X-Amz-Content-Sha256") != "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824" || string(body) != "hello" {
		t.Errorf("payload hash %q body %q", got.Header.Get("X-Amz-Content-Sha256"), body)
	}
	if got.URL.EscapedPath() != "/bucket/raw/a%20b.eml" {
		t.Errorf("path %q", got.URL.EscapedPath())
	}
}

// A 4xx is returned at once with the service's code (from the header, a JSON body or an XML body); a 5xx is
// retried up to RetryMaxAttempts.
func TestDo_ErrorsCarryTheServiceCode(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		switch r.URL.Path {
		case "/json":
			w.Header().Set("X-Amzn-Errortype", "MessageRejected:http://internal.amazon.com/")
			w.WriteHeader(400)
			w.Write([]byte(`{"message":"Email address is not verified."}`))
		case "/xml":
			w.WriteHeader(404)
			w.Write([]byte(`<?xml version="1.0"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>`))
		default:
			w.WriteHeader(503)
		}
	}))
	defer srv.Close()
	c := client(srv.URL)
	for _, tc := range []struct {
		path, code string
		status     int
		calls      int32
	}{{"/json", "MessageRejected", 400, 1}, {"/xml", "NoSuchKey", 404, 1}, {"/busy", "Service Unavailable", 503, 2}} {
		calls.Store(0)
		_, _, err := c.Do(context.Background(), http.MethodGet, srv.URL+tc.path, nil, nil)
		var e *awsrest.Error
		if !errors.As(err, &e) || e.Code != tc.code || e.Status != tc.status || e.ErrorCode() != tc.code {
			t.Errorf("%s: %v, want code %s status %d", tc.path, err, tc.code, tc.status)
		}
		if calls.Load() != tc.calls {
			t.Errorf("%s: %d calls, want %d", tc.path, calls.Load(), tc.calls)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// A configuration without credentials is an error, not a panic.
func TestDo_NoCredentialsIsAnError(t *testing.T) {
	c := awsrest.Client{Service: "ses", Config: aws.Config{Region: "eu-west-2"}}
	if _, _, err := c.Do(context.Background(), http.MethodPost, "http://127.0.0.1:1/", nil, nil); err == nil || !strings.Contains(err.Error(), "no AWS credentials") {
		t.Fatalf("Do without credentials = %v", err)
	}
}
