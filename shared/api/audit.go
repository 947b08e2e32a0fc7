package api

import (
	"context"
	"net/http"
	"time"

	"github.com/safeguarding/mash/shared/clock"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

// AuditReads records that `who` saw these contacts (a page, a list, a tray): one "contact.read" event per
// contact, batched, to be called before the data is sent — no audit, no data. The console (shared/console)
// records its reads with it, as the API's own routes do.
func AuditReads(ctx context.Context, st store.Audit, who string, ids []domain.ContactID, what string) error {
	evs := make([]store.AuditEvent, 0, len(ids))
	seen := map[domain.ContactID]bool{}
	for _, id := range ids {
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		evs = append(evs, auditEvent(id, who, "contact.read", what))
	}
	if len(evs) == 0 {
		return nil
	}
	return st.AppendAudits(ctx, evs)
}

// WithRequestID and LimitBody are the API's request-id and 1 MiB body limit, for the console's handler.
func WithRequestID(next http.Handler) http.Handler { return withRequestID(next) }

// LimitBody refuses bodies over MaxBody (see limitBody).
func LimitBody(next http.Handler) http.Handler { return limitBody(next) }

// Limiter is the API's per-key token bucket, for the console (its sign-in and public referral form).
type Limiter struct{ l *limiter }

// NewLimiter returns a limiter (zero RateLimit: DefaultRateLimit).
func NewLimiter(rl RateLimit, now clock.Now) *Limiter { return &Limiter{newLimiter(rl, now)} }

// Take takes a token from key's bucket; false with how long to wait when it is empty.
func (l *Limiter) Take(key string) (bool, time.Duration) { return l.l.take(key) }

// ErrTooLarge is the error reading a body over MaxBody returns.
var ErrTooLarge = errTooLarge
