// Command intake-api serves the MASH HTTP API behind API Gateway (HTTP API, JWT authorizer). Wiring only:
// the routes are api.Server in shared/api.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
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
	env := b.Env(sesnotify.New(b))
	sf := sfnx.Client{API: sfn.NewFromConfig(b.AWS), StateMachineARN: b.Config.StateMachineARN}
	in := intake.Service{Env: env, Starter: sf,
		Blobs: s3blobs.Blobs{API: s3.NewFromConfig(b.AWS), Bucket: b.Config.RawBucket, KMSKeyID: b.Config.KMSKeyID}}
	srv := &api.Server{Authority: b.Policy.Authority, Intake: in, Actions: actions.Service{Env: env, Tasks: sf},
		Store: b.Store, Auth: api.JWTAuthenticator, Log: b.Log, Now: clock.System,
		OOH: ooh.EDT{Intake: in, Store: b.Store, Now: clock.System}}
	lambda.Start(httpadapter.NewV2(srv.Handler()).ProxyWithContext)
}
