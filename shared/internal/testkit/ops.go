package testkit

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/safeguarding/mash/shared/store/dynamo"
	"github.com/safeguarding/mash/shared/testenv"
)

// Ops is an http.RoundTripper that counts DynamoDB requests by operation (dynamo.OperationName) and passes
// them on to next — another Ops, to count them there too, or http.DefaultTransport when nil. The SDK and wire
// adapters' tests count their requests with it.
type Ops struct {
	next http.RoundTripper
	mu   sync.Mutex
	ops  map[string]int
}

// NewOps returns an Ops passing requests on to next (http.DefaultTransport when nil).
func NewOps(next http.RoundTripper) *Ops {
	if next == nil {
		next = http.DefaultTransport
	}
	return &Ops{next: next, ops: map[string]int{}}
}

// RoundTrip counts the request's operation and sends it on.
func (c *Ops) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.ops[dynamo.OperationName(r)]++
	c.mu.Unlock()
	return c.next.RoundTrip(r)
}

// Get is how many requests of the operation were counted.
func (c *Ops) Get(op string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ops[op]
}

// Reset returns the counts so far and starts again from none.
func (c *Ops) Reset() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.ops
	c.ops = map[string]int{}
	return old
}

// NoScanMain is testenv.DynamoDBLocalMain for a DynamoDB store adapter's tests whose requests are all
// counted in all: after the tests it fails the binary if any was a Scan (no request path may scan).
func NoScanMain(m *testing.M, endpoint *string, all *Ops) {
	testenv.DynamoDBLocalMain(m, endpoint, func() int {
		if n := all.Get("Scan"); n > 0 {
			fmt.Fprintf(os.Stderr, "FAIL: the store sent %d Scan requests; no request path may scan\n", n)
			return 1
		}
		return 0
	})
}

// Faults is an http.RoundTripper that fails chosen DynamoDB operations (dynamo.OperationName) the way DynamoDB
// fails under load — HTTP 500 InternalServerError, the answer the SDK and the wire adapter retry and then
// report as an unknown outcome — and passes every other request on to next (http.DefaultTransport when nil).
// Stores under test get it as their client's transport, so a failure reaches them through the real SDK (or the
// wire adapter), never through a fake of the store.
type Faults struct {
	next http.RoundTripper
	mu   sync.Mutex
	fail map[string]bool // operation → its requests fail
	sent map[string]bool // operation → the first failed request is applied (sent on, its answer dropped)
}

// NewFaults returns a Faults passing requests on to next (http.DefaultTransport when nil).
func NewFaults(next http.RoundTripper) *Faults {
	if next == nil {
		next = http.DefaultTransport
	}
	return &Faults{next: next, fail: map[string]bool{}, sent: map[string]bool{}}
}

// Fail makes every request of op fail with a 500 until the returned stop is called. With applied, the first
// of them is sent on to DynamoDB first and its answer dropped: the write is applied, but its caller is told it
// failed (a response lost on the way back).
func (f *Faults) Fail(op string, applied bool) (stop func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail[op], f.sent[op] = true, !applied
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		delete(f.fail, op)
		delete(f.sent, op)
	}
}

// RoundTrip fails the request when its operation is set to fail, else sends it on.
func (f *Faults) RoundTrip(r *http.Request) (*http.Response, error) {
	op := dynamo.OperationName(r)
	f.mu.Lock()
	fail, apply := f.fail[op], f.fail[op] && !f.sent[op]
	if apply {
		f.sent[op] = true
	}
	f.mu.Unlock()
	if !fail {
		return f.next.RoundTrip(r)
	}
	if apply {
		resp, err := f.next.RoundTrip(r)
		if err != nil {
			return nil, err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	body := `{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"injected by testkit.Faults"}`
	return &http.Response{StatusCode: http.StatusInternalServerError, Status: "500 Internal Server Error", Proto: "HTTP/1.1",
		ProtoMajor: 1, ProtoMinor: 1, Request: r, ContentLength: int64(len(body)), Body: io.NopCloser(strings.NewReader(body)),
		Header: http.Header{"Content-Type": {"application/x-amz-json-1.0"}, "X-Amzn-Errortype": {"InternalServerError"}}}, nil
}
