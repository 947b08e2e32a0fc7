package testkit

import (
	"fmt"
	"net/http"
	"os"
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
