package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/awslabs/aws-lambda-go-api-proxy/core"

	"github.com/safeguarding/mash/shared/clock"
)

// ---- request ids ----

type requestIDKey struct{}

// RequestIDHeader carries the request id back to the caller (and in every error body).
const RequestIDHeader = "X-Request-Id"

// RequestID returns the id the API gave the request in ctx ("" outside a request).
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// withRequestID gives every request an id: API Gateway's own when behind it (so its access log and the
// function's log lines join), else a random one. It is in the context (every log line written with it
// carries it, see LogHandler), the X-Request-Id response header and every error body.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := ""
		if rc, ok := core.GetAPIGatewayV2ContextFromContext(r.Context()); ok {
			id = rc.RequestID
		}
		if id == "" {
			var b [12]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set(RequestIDHeader, id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
	})
}

// LogHandler adds the request id of a record's context ("requestId") to every log line written with
// one: wrap the logger every component of the API shares with it (shared/local does; so does intake-api).
func LogHandler(h slog.Handler) slog.Handler {
	if _, ok := h.(requestIDHandler); ok {
		return h
	}
	return requestIDHandler{h}
}

type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		r.AddAttrs(slog.String("requestId", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestIDHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(as)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

// ---- body size ----

// errTooLarge is a body over MaxBody: 413.
var errTooLarge = errors.New("request body is larger than 1 MiB")

// limitBody answers 413 to a body declared larger than MaxBody before reading it, and caps what is read of
// any other (decode turns the cap into 413 too).
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit, what := int64(MaxBody), "1 MiB"
		if r.Method == http.MethodPost && r.URL.Path == "/v1/schools" {
			limit, what = MaxDirectoryBody, "8 MiB" // a school directory import
		}
		if r.Method == http.MethodPost && r.URL.Path == "/v1/cases" {
			limit, what = MaxCasesBody, "8 MiB" // a case-record import
		}
		if r.ContentLength > limit {
			writeJSON(w, http.StatusRequestEntityTooLarge, errorBody{Error: errorJSON{Code: "too_large",
				Message: "the request body is larger than " + what, RequestID: RequestID(r.Context())}})
			return
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		next.ServeHTTP(w, r)
	})
}

// ---- per-user rate limit ----

// RateLimit is a per-user token bucket: Burst requests at once, refilled at PerSecond. The zero value is
// DefaultRateLimit. On AWS each function instance keeps its own buckets; API Gateway's per-route throttles
// (template.yaml) bound the total.
type RateLimit struct {
	PerSecond float64
	Burst     int
}

// DefaultRateLimit allows a person working fast (a manager going through a tray) and stops a script.
var DefaultRateLimit = RateLimit{PerSecond: 5, Burst: 60}

// maxBuckets bounds the limiter's memory: past it, full buckets are forgotten (a full bucket is the same as
// none).
const maxBuckets = 10000

type limiter struct {
	mu      sync.Mutex
	rate    RateLimit
	now     clock.Now
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(rl RateLimit, now clock.Now) *limiter {
	if rl.PerSecond <= 0 || rl.Burst <= 0 {
		rl = DefaultRateLimit
	}
	return &limiter{rate: rl, now: now, buckets: map[string]*bucket{}}
}

// take spends one token of who's bucket; when there is none it says how long until there is.
func (l *limiter) take(who string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.buckets[who]
	if b == nil {
		if len(l.buckets) >= maxBuckets {
			l.forgetFull(now)
		}
		b = &bucket{tokens: float64(l.rate.Burst), at: now}
		l.buckets[who] = b
	}
	b.tokens = math.Min(float64(l.rate.Burst), b.tokens+now.Sub(b.at).Seconds()*l.rate.PerSecond)
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate.PerSecond * float64(time.Second))
}

func (l *limiter) forgetFull(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.at).Seconds()*l.rate.PerSecond >= float64(l.rate.Burst) {
			delete(l.buckets, k)
		}
	}
}

// retryAfter is a Retry-After value: whole seconds, at least 1.
func retryAfter(d time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(d.Seconds()))))
}
