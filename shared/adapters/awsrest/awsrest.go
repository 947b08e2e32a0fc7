// Package awsrest sends one signed (SigV4) HTTPS request to an AWS service with the SDK's own signer and
// credentials. It exists for size: a generated SDK service client links its whole operation set, schemas
// and endpoint rules (SES v2 ≈ 0.8 MB, S3 ≈ 1 MB of every Lambda that constructs one), where a function
// calls one or two operations whose wire format is a few lines. The functions' DynamoDB store
// (shared/store/dynamo/wire) sends its five operations through it too.
package awsrest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/safeguarding/mash/shared/clock"
)

// Client signs requests for one service with an aws.Config's credentials and region.
type Client struct {
	Config  aws.Config
	Service string // the signing name: "ses", "s3"
	// S3 signs the path as sent (no second escaping) and sends the payload hash header.
	S3 bool
	// Now is the signing time; nil is the wall clock (SigV4 needs the real time, not a test clock).
	Now func() time.Time
}

// Error is a non-2xx answer: the HTTP status, the service's error code (x-amzn-ErrorType, or the XML/JSON
// body's code) and its message.
type Error struct {
	Status  int
	Code    string
	Message string
}

// ErrorCode is the service's code (the smithy APIError method, so callers that name errors by code work
// for both).
func (e *Error) ErrorCode() string { return e.Code }

func (e *Error) Error() string {
	return fmt.Sprintf("aws: %d %s: %s", e.Status, e.Code, e.Message)
}

// Endpoint is the configured BaseEndpoint (tests, local stacks) or def.
func (c Client) Endpoint(def string) (string, bool) {
	if c.Config.BaseEndpoint != nil && *c.Config.BaseEndpoint != "" {
		return strings.TrimRight(*c.Config.BaseEndpoint, "/"), true
	}
	return def, false
}

// Do sends method url with body and the extra headers, signed, and returns the status, headers and body.
// A non-2xx status is an *Error. It retries a throttled or 5xx answer and a transport error up to
// Config.RetryMaxAttempts (default 3) times with a short backoff.
func (c Client) Do(ctx context.Context, method, url string, body []byte, header http.Header) (http.Header, []byte, error) {
	if c.Config.Credentials == nil {
		return nil, nil, fmt.Errorf("%s: no AWS credentials configured", c.Service)
	}
	creds, err := c.Config.Credentials.Retrieve(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("%s credentials: %w", c.Service, err)
	}
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = c.S3 })
	hc := c.Config.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	attempts := c.Config.RetryMaxAttempts
	if attempts <= 0 {
		attempts = 3
	}
	now := c.Now
	if now == nil {
		now = clock.System
	}
	var lastErr error
	for try := 0; try < attempts; try++ {
		if try > 0 {
			select {
			case <-ctx.Done():
				return nil, nil, ctx.Err()
			case <-time.After(time.Duration(50<<try) * time.Millisecond):
			}
		}
		req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
		if err != nil {
			return nil, nil, err
		}
		for k, vs := range header {
			req.Header[k] = vs
		}
		if c.S3 {
			req.Header.Set("X-Amz-Content-Sha256", hash)
		}
		if err := signer.SignHTTP(ctx, creds, req, hash, c.Service, c.Config.Region, now().UTC()); err != nil {
			return nil, nil, err
		}
		resp, err := hc.Do(req)
		if err != nil {
			lastErr = err
			continue
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			lastErr = err
			continue
		}
		if resp.StatusCode/100 == 2 {
			return resp.Header, b, nil
		}
		e := parseError(resp, b)
		if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests || retryable(e.Code) {
			lastErr = e
			continue
		}
		return resp.Header, b, e
	}
	return nil, nil, lastErr
}

// retryable are the error codes the SDK's standard retryer retries besides 5xx and 429: throttling
// (DynamoDB's ProvisionedThroughputExceededException and RequestLimitExceeded among them) and timeouts.
func retryable(code string) bool {
	switch code {
	case "ProvisionedThroughputExceededException", "RequestLimitExceeded", "TransactionInProgressException",
		"TooManyRequestsException", "LimitExceededException", "SlowDown", "RequestTimeout", "RequestTimeoutException":
		return true
	}
	return strings.Contains(code, "Throttl")
}

// parseError reads the error code and message from the headers, a JSON body or an XML body.
func parseError(resp *http.Response, b []byte) *Error {
	e := &Error{Status: resp.StatusCode, Code: resp.Header.Get("X-Amzn-Errortype")}
	if i := strings.IndexByte(e.Code, ':'); i >= 0 {
		e.Code = e.Code[:i]
	}
	var j struct { // JSON keys match case-insensitively ("message")
		Type          string `json:"__type"`
		Code, Message string
	}
	if json.Unmarshal(b, &j) == nil {
		if e.Code == "" {
			e.Code = firstNonEmpty(j.Code, j.Type)
		}
		e.Message = j.Message
	} else {
		e.Code = firstNonEmpty(e.Code, between(string(b), "<Code>", "</Code>"))
		e.Message = between(string(b), "<Message>", "</Message>")
	}
	if i := strings.LastIndexByte(e.Code, '#'); i >= 0 { // awsJson's "namespace#Code"
		e.Code = e.Code[i+1:]
	}
	if e.Code == "" {
		e.Code = http.StatusText(resp.StatusCode)
	}
	return e
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func between(s, open, close string) string {
	i := strings.Index(s, open)
	if i < 0 {
		return ""
	}
	s = s[i+len(open):]
	if j := strings.Index(s, close); j >= 0 {
		return s[:j]
	}
	return ""
}
