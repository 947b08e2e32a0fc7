package console

import (
	"net/http"
	"testing"
)

// The public routes' rate limit is per client address: from net/http ("host:port") and from API Gateway
// through the Lambda adapter (the bare source IP, IPv6 included), two clients are two addresses.
func TestClientIP_NetHTTPAndAPIGateway(t *testing.T) {
	for remote, want := range map[string]string{
		"127.0.0.1:51234":      "127.0.0.1",
		"[2001:db8::1]:443":    "2001:db8::1",
		"203.0.113.9":          "203.0.113.9",
		"2001:db8:0:1:1:1:1:1": "2001:db8:0:1:1:1:1:1",
		"2001:db8:0:1:1:1:1:2": "2001:db8:0:1:1:1:1:2",
	} {
		if got := clientIP(&http.Request{RemoteAddr: remote}); got != want {
			t.Errorf("clientIP(%q) = %q, want %q", remote, got, want)
		}
	}
}
