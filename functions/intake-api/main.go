// Command intake-api serves the MASH HTTP API behind API Gateway (HTTP API, JWT authorizer). Wiring only:
// the routes are api.Server in shared/api.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/safeguarding/mash/shared/actions"
	"github.com/safeguarding/mash/shared/adapters/s3blobs"
	"github.com/safeguarding/mash/shared/adapters/sfnx"
	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/lambdacfg"
	"github.com/safeguarding/mash/shared/lambdacfg/sesnotify"
	"github.com/safeguarding/mash/shared/ooh"
)

func main() {
	b, err := lambdacfg.Load(context.Background(), "STATE_MACHINE_ARN", "RAW_BUCKET")
	if err != nil {
		lambda.Start(lambdacfg.Failing(err))
		return
	}
	// Every log line of a request carries its API Gateway request id.
	b.Log = slog.New(api.LogHandler(b.Log.Handler()))
	rate, err := rateLimit()
	if err != nil {
		lambda.Start(lambdacfg.Failing(err))
		return
	}
	// A PPN's Encompass notice is composed in its intake write, with the DSL's acknowledgement link.
	env := b.WithEncompassAcks(b.Env(sesnotify.New(b)))
	sf := sfnx.Client{AWS: b.AWSFor("SFN"), StateMachineARN: b.Config.StateMachineARN}
	in := intake.Service{Env: env, Starter: sf,
		Blobs: s3blobs.Blobs{AWS: b.AWSFor("S3"), Bucket: b.Config.RawBucket, KMSKeyID: b.Config.KMSKeyID}}
	// A released quarantined message goes to intake-email through its S3 trigger: no mail parser here.
	in.Redeliver = intake.RedeliverViaTrigger{Blobs: in.Blobs}
	srv := &api.Server{Authority: b.Policy.Authority, Intake: in, Actions: actions.Service{Env: env, Tasks: sf, Starter: sf},
		Store: b.Store, Auth: api.JWTAuthenticator, Log: b.Log, Now: clock.System,
		OOH: ooh.EDT{Intake: in, Store: b.Store, Now: clock.System}, RateLimit: rate, Directory: b.Desk(sesnotify.New(b))}
	lambda.Start(httpadapter.NewV2(srv.Handler()).ProxyWithContext)
}

// rateLimit reads each user's token bucket from USER_RATE_PER_SECOND and USER_RATE_BURST (template.yaml);
// unset is api.DefaultRateLimit.
func rateLimit() (api.RateLimit, error) {
	rl := api.DefaultRateLimit
	if v := os.Getenv("USER_RATE_PER_SECOND"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f <= 0 {
			return rl, fmt.Errorf("USER_RATE_PER_SECOND %q must be a number above 0", v)
		}
		rl.PerSecond = f
	}
	if v := os.Getenv("USER_RATE_BURST"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return rl, fmt.Errorf("USER_RATE_BURST %q must be a whole number, 1 or more", v)
		}
		rl.Burst = n
	}
	return rl, nil
}
