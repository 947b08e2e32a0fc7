// Package lambdacfg is the wiring every function's main.go shares: configuration from the environment the
// template sets, a JSON logger, the AWS configuration, the authority's policy and the DynamoDB store. It
// holds no decisions. Each main adds only the clients its function uses, to keep binaries small.
package lambdacfg

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/directory"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store/dynamo/wire"
	"github.com/safeguarding/mash/shared/workflow"
)

// Config is read from the function's environment (template.yaml sets it).
type Config struct {
	Authority        string // AUTHORITY: the stack's authority; its policy is embedded in the binary
	TableName        string // TABLE_NAME
	StateMachineARN  string // STATE_MACHINE_ARN (intake functions; sla, to restart a stuck contact)
	RawBucket        string // RAW_BUCKET (intake-email)
	KMSKeyID         string // KMS_KEY_ID
	SESFrom          string // SES_FROM: the sending address
	ConfigurationSet string // CONFIGURATION_SET
	ConsoleURL       string // CONSOLE_URL: links in notifications
	LogLevel         string // LOG_LEVEL
	// UnmarkedContract is UNMARKED_WAITS_CONTRACT, the template's PreviousMachineContract: the contract of the
	// definition that parked a wait whose payload carried none (workflow.Env.UnmarkedContract); 0 when unset.
	UnmarkedContract int
	// OutboxStream is OUTBOX_STREAM=1, set by template.yaml on every function: the table's stream sends the
	// outbox and tells the workflow the completions people's actions owe it (functions/outbox), so the store
	// leaves queued messages and owed completions off the pending lists (core.Store.SendByStream), the steps'
	// flushes send nothing (notify.Dispatcher.Stream) and the actions tell nothing (workflow.Env.ByStream).
	OutboxStream bool
}

// FromEnv reads the configuration; required names missing are an error naming each.
func FromEnv(required ...string) (Config, error) {
	c := Config{Authority: os.Getenv("AUTHORITY"), TableName: os.Getenv("TABLE_NAME"),
		StateMachineARN: os.Getenv("STATE_MACHINE_ARN"), RawBucket: os.Getenv("RAW_BUCKET"), KMSKeyID: os.Getenv("KMS_KEY_ID"),
		SESFrom: os.Getenv("SES_FROM"), ConfigurationSet: os.Getenv("CONFIGURATION_SET"),
		ConsoleURL: os.Getenv("CONSOLE_URL"), LogLevel: os.Getenv("LOG_LEVEL")}
	switch v := os.Getenv("OUTBOX_STREAM"); v {
	case "", "0":
	case "1":
		c.OutboxStream = true
	default:
		return c, fmt.Errorf("environment: OUTBOX_STREAM is %q; it must be 1 (the table's stream sends the outbox) or unset", v)
	}
	switch v := os.Getenv("UNMARKED_WAITS_CONTRACT"); v {
	case "":
	case "1", "2":
		c.UnmarkedContract = int(v[0] - '0')
	default:
		return c, fmt.Errorf("environment: UNMARKED_WAITS_CONTRACT is %q; it must be 1 or 2 (the template's PreviousMachineContract)", v)
	}
	var missing []string
	for _, name := range append([]string{"AUTHORITY", "TABLE_NAME", "CONSOLE_URL"}, required...) {
		if os.Getenv(name) == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return c, fmt.Errorf("environment: %s not set", strings.Join(missing, ", "))
	}
	return c, nil
}

// Logger is the JSON logger: one event per line, IDs only.
func Logger(level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: l}))
}

// Base is what every function has: configuration, logger, AWS config, policy and store.
type Base struct {
	Config Config
	Log    *slog.Logger
	AWS    aws.Config
	Policy *policy.Policy
	Store  *wire.Store

	dirOnce sync.Once
	dir     *directory.Service
}

// Load builds the Base. Errors name what is wrong; main hands them to Failing.
func Load(ctx context.Context, required ...string) (*Base, error) {
	cfg, err := FromEnv(required...)
	if err != nil {
		return nil, err
	}
	p, err := policy.Load(cfg.Authority)
	if err != nil {
		return nil, err
	}
	awsCfg, err := AWSFromEnv()
	if err != nil {
		return nil, err
	}
	ddb := awsCfg
	ddb.BaseEndpoint = Endpoint("DYNAMODB")
	st := wire.New(ddb, cfg.TableName, clock.System)
	if cfg.OutboxStream {
		st.SendByStream()
	}
	return &Base{Config: cfg, Log: Logger(cfg.LogLevel), AWS: awsCfg, Policy: p, Store: st}, nil
}

// Env is the step environment for this stack's single authority.
func (b *Base) Env(n workflow.Notifier) workflow.Env {
	if o, ok := n.(directory.Outbox); ok {
		// Encompass notices are addressed from the school directory (shared/directory).
		n = directory.Notifier{Next: o, Directory: b.directory(), Trays: b.Store, Now: clock.System}
	}
	return b.EnvWithoutEncompass(n)
}

// EnvWithoutEncompass is Env for a function that never sends an Encompass notice (intake-email: its notices
// are acknowledgements, and a re-send's risk-raised or EDT notice), so it does not address notices from the
// school directory: directory.Notifier passes every other kind straight through, and leaving it out keeps the
// directory's matching code (≈ 27 KB of text) out of the binary (issue #19).
func (b *Base) EnvWithoutEncompass(n workflow.Notifier) workflow.Env {
	return workflow.Env{Store: b.Store, Now: clock.System, Log: b.Log, Notifier: n, UnmarkedContract: b.Config.UnmarkedContract,
		ByStream: b.Config.OutboxStream,
		Policies: func(a domain.AuthorityID) (*policy.Policy, error) {
			if a != b.Policy.Authority {
				return nil, domain.Errorf(domain.CodeInvalid, "this stack serves another authority")
			}
			return b.Policy, nil
		}}
}

// WithEncompassAcks gives env's Encompass notices to a school's DSL their single-use acknowledgement link
// (shared/directory AckLinks, under the stack's console URL). Only the functions that send Encompass notices
// call it (out-of-hours, and Desk for a worker's pick of the school), so the others do not link the planning.
func (b *Base) WithEncompassAcks(env workflow.Env) workflow.Env {
	if dn, ok := env.Notifier.(directory.Notifier); ok && b.Config.ConsoleURL != "" {
		dn.Next = directory.AckOutbox{Outbox: dn.Next,
			Acks: directory.AckLinks{Links: b.Store, Trays: b.Store, ConsoleURL: b.Config.ConsoleURL, Now: clock.System}}
		env.Notifier = dn
	}
	return env
}

// AWSFromEnv builds the AWS configuration from what the Lambda runtime puts in the environment: the region
// and the execution role's credentials. It replaces config.LoadDefaultConfig, whose credential chain (SSO,
// STS web identity, IMDS, process credentials…) adds over a megabyte to every binary and is never used inside
// Lambda, where the default chain resolves to exactly these environment credentials.
func AWSFromEnv() (aws.Config, error) {
	region := os.Getenv("AWS_REGION")
	key, secret := os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
	if region == "" || key == "" || secret == "" {
		return aws.Config{}, fmt.Errorf("environment: AWS_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set by the Lambda runtime; one is missing")
	}
	return aws.Config{
		BaseEndpoint:     Endpoint(""),
		Region:           region,
		Credentials:      aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(key, secret, os.Getenv("AWS_SESSION_TOKEN"))),
		RetryMaxAttempts: 3,
	}, nil
}

// Endpoint is the endpoint a service's client is pointed at, as the AWS SDKs read it from the environment:
// AWS_ENDPOINT_URL_<SERVICE> (service: DYNAMODB, S3, SFN, SESV2 …), else AWS_ENDPOINT_URL, else nil (the
// service's own endpoint). With it `sam local invoke` runs the functions against LocalStack or DynamoDB Local
// (README "SAM local"); in AWS neither is set. Service "" is the global AWS_ENDPOINT_URL alone.
// config.LoadDefaultConfig would read these, but the functions build their configuration by hand (AWSFromEnv).
func Endpoint(service string) *string {
	if service != "" {
		if v := os.Getenv("AWS_ENDPOINT_URL_" + service); v != "" {
			return &v
		}
	}
	if v := os.Getenv("AWS_ENDPOINT_URL"); v != "" {
		return &v
	}
	return nil
}

// AWSFor is the function's AWS configuration with service's endpoint override (Endpoint) as BaseEndpoint,
// for the clients that sign their own requests (s3blobs, sfnx, ses).
func (b *Base) AWSFor(service string) aws.Config {
	cfg := b.AWS
	cfg.BaseEndpoint = Endpoint(service)
	return cfg
}

// Failing is the handler of a function whose configuration is wrong: every invocation fails with the reason
// (and lands in the DLQ or the state machine's catch), rather than the process crashing at start-up.
func Failing(err error) func(context.Context) error {
	return func(context.Context) error { return fmt.Errorf("function not configured: %w", err) }
}

// directory is the function's school directory, one per Lambda instance (its match index is cached).
func (b *Base) directory() *directory.Service {
	b.dirOnce.Do(func() { b.dir = &directory.Service{Store: b.Store} })
	return b.dir
}

// Desk is the school directory desk (imports, a worker's pick of a PPN's school) for the API.
func (b *Base) Desk(n workflow.Notifier) directory.Desk {
	env := b.WithEncompassAcks(b.Env(n)) // the notice after a pick goes to the DSL with its acknowledgement link
	return directory.Desk{Store: b.Store, Policies: env.Policies, Directory: b.directory(), Notifier: env.Notifier, Now: clock.System}
}
