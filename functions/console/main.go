// Command console serves the MASH console (shared/console, the same handler `mash run` serves at /) behind
// the HTTP API, whose console routes have no JWT authoriser: the console signs people in itself through the
// user pool's hosted UI (OIDC code flow with PKCE, shared/console oidc.go) and keeps a session cookie.
// Wiring only.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/safeguarding/mash/shared/actions"
	"github.com/safeguarding/mash/shared/adapters/s3blobs"
	"github.com/safeguarding/mash/shared/adapters/secrets"
	"github.com/safeguarding/mash/shared/adapters/sfnx"
	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/console"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/lambdacfg"
	"github.com/safeguarding/mash/shared/lambdacfg/sesnotify"
	"github.com/safeguarding/mash/shared/ooh"
)

func main() {
	h, err := newHandler(context.Background())
	if err != nil {
		lambda.Start(lambdacfg.Failing(err))
		return
	}
	lambda.Start(httpadapter.NewV2(h).ProxyWithContext)
}

// required is the console's own configuration (template.yaml ConsoleFunction), beside lambdacfg's.
var required = []string{"STATE_MACHINE_ARN", "RAW_BUCKET", "OIDC_ISSUER", "OIDC_CLIENT_ID", "SESSION_SECRET_ARN"}

// newHandler wires the console from the environment. Nothing here uses the network: the session key is read
// from Secrets Manager at the first request (sessionKeyed), the provider's discovery document at the first
// sign-in.
func newHandler(ctx context.Context) (http.Handler, error) {
	b, err := lambdacfg.Load(ctx, required...)
	if err != nil {
		return nil, err
	}
	b.Log = slog.New(api.LogHandler(b.Log.Handler()))
	base := strings.TrimRight(b.Config.ConsoleURL, "/")
	env := b.Env(sesnotify.New(b))
	sf := sfnx.Client{AWS: b.AWSFor("SFN"), StateMachineARN: b.Config.StateMachineARN}
	in := intake.Service{Env: env, Starter: sf,
		Blobs: s3blobs.Blobs{AWS: b.AWSFor("S3"), Bucket: b.Config.RawBucket, KMSKeyID: b.Config.KMSKeyID}}
	// A released quarantined message goes to intake-email through its S3 trigger: no mail parser here.
	in.Redeliver = intake.RedeliverViaTrigger{Blobs: in.Blobs}
	desk := b.Desk(sesnotify.New(b))
	provider := &console.OIDC{Issuer: os.Getenv("OIDC_ISSUER"), ClientID: os.Getenv("OIDC_CLIENT_ID"),
		RedirectURL: base + "/signed-in", LogoutURL: os.Getenv("OIDC_LOGOUT_URL"), SignedOutURL: base + "/signed-out"}
	srv := &console.Server{Authority: b.Policy.Authority, Policy: b.Policy, Intake: in, Actions: actions.Service{Env: env, Tasks: sf},
		Store: b.Store, OOH: ooh.EDT{Intake: in, Store: b.Store, Now: clock.System}, Schools: &desk,
		OIDC: provider, Auth: provider.Bearer, Secure: true, Log: b.Log, Now: clock.System}
	keys := secrets.Client{AWS: b.AWSFor("SECRETS_MANAGER")}
	arn := os.Getenv("SESSION_SECRET_ARN")
	return &sessionKeyed{log: b.Log, build: func(ctx context.Context) (http.Handler, error) {
		v, err := keys.Value(ctx, arn)
		if err != nil {
			return nil, fmt.Errorf("the console's session key (SESSION_SECRET_ARN): %w", err)
		}
		if len(v) < 32 {
			return nil, fmt.Errorf("the console's session key (SESSION_SECRET_ARN) is %d characters, want 32 or more", len(v))
		}
		srv.SessionKey = []byte(v)
		return srv.Handler(), nil
	}}, nil
}

// sessionKeyed builds the console at its first request, once the session key is read: every instance of the
// function signs and checks sessions with the stack's one key, so a session outlives a cold start or a
// deployment. A failed read is a 503 (logged; the page says nothing internal) and is tried again on the
// next request.
type sessionKeyed struct {
	log   *slog.Logger
	build func(context.Context) (http.Handler, error)
	mu    sync.Mutex
	h     http.Handler
}

func (s *sessionKeyed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.h == nil {
		h, err := s.build(r.Context())
		if err != nil {
			s.mu.Unlock()
			s.log.ErrorContext(r.Context(), "console not ready", "error", err.Error())
			w.Header().Set("Content-Security-Policy", console.CSP)
			w.Header().Set("Retry-After", "60")
			http.Error(w, "Sorry, the MASH console is not available just now. Please try again in a minute. "+
				"If a child is in immediate danger, call 999.", http.StatusServiceUnavailable)
			return
		}
		s.h = h
	}
	h := s.h
	s.mu.Unlock()
	h.ServeHTTP(w, r)
}
