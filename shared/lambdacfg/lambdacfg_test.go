package lambdacfg_test

import (
	"context"
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/directory"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/lambdacfg"
	"github.com/safeguarding/mash/shared/notify"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/dynamo"
	"github.com/safeguarding/mash/shared/testenv"
)

// A service's endpoint: AWS_ENDPOINT_URL_<SERVICE>, else AWS_ENDPOINT_URL, else the service's own (nil).
func TestEndpoint_PerServiceThenGlobal(t *testing.T) {
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_ENDPOINT_URL_S3", "")
	if e := lambdacfg.Endpoint("S3"); e != nil {
		t.Fatalf("nothing set: %q", *e)
	}
	t.Setenv("AWS_ENDPOINT_URL", "http://localstack:4566")
	if e := lambdacfg.Endpoint("S3"); e == nil || *e != "http://localstack:4566" {
		t.Fatalf("global: %v", e)
	}
	t.Setenv("AWS_ENDPOINT_URL_S3", "http://minio:9000")
	if e := lambdacfg.Endpoint("S3"); e == nil || *e != "http://minio:9000" {
		t.Fatalf("per service: %v", e)
	}
	if e := lambdacfg.Endpoint("SFN"); e == nil || *e != "http://localstack:4566" {
		t.Fatalf("another service keeps the global: %v", e)
	}
	t.Setenv("AWS_REGION", "eu-west-2")
	t.Setenv("AWS_ACCESS_KEY_ID", "local")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "local")
	cfg, err := lambdacfg.AWSFromEnv()
	if err != nil || cfg.BaseEndpoint == nil || *cfg.BaseEndpoint != "http://localstack:4566" {
		t.Fatalf("AWSFromEnv: %v %v", cfg.BaseEndpoint, err)
	}
}

// Load builds the function's store against AWS_ENDPOINT_URL_DYNAMODB: here a real DynamoDB Local, as
// `sam local invoke --env-vars env.json` does with the host's.
func TestLoad_HonoursTheDynamoDBEndpoint(t *testing.T) {
	p, err := testenv.StartDynamoDBLocal()
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	client, err := dynamo.NewClient(context.Background(), p.Endpoint, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := dynamo.CreateTable(context.Background(), client, "mash-hackney"); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{"AUTHORITY": "hackney", "TABLE_NAME": "mash-hackney", "CONSOLE_URL": "http://localhost:8080",
		"AWS_REGION": "eu-west-2", "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_SESSION_TOKEN": "",
		"AWS_ENDPOINT_URL": "http://127.0.0.1:1", "AWS_ENDPOINT_URL_DYNAMODB": p.Endpoint} {
		t.Setenv(k, v)
	}
	b, err := lambdacfg.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	now := clock.System().UTC()
	c := &domain.Contact{ID: domain.NewContactID(), Authority: "hackney", Channel: domain.ChannelPhone, ReceivedAt: now,
		Status: domain.StatusReceived, Child: domain.Child{GivenName: "Ada", FamilyName: "Example"}}
	if err := b.Store.CreateContact(context.Background(), c, store.IdempotencyKey{}, store.AuditEvent{Actor: "test", Action: "contact.created"}); err != nil {
		t.Fatalf("the function's store did not reach DynamoDB Local (the per-service endpoint wins over AWS_ENDPOINT_URL): %v", err)
	}
	if _, err := b.Store.GetContact(context.Background(), c.ID); err != nil {
		t.Fatal(err)
	}
}

// The functions that send Encompass notices (out-of-hours, the directory desk) give a school DSL's notice its
// acknowledgement link under the stack's console URL; the plain environment, which the others use, links no
// planning (the bootstrap size budget) and gives none.
func TestWithEncompassAcks_OnlyWhereAsked(t *testing.T) {
	b := &lambdacfg.Base{Config: lambdacfg.Config{ConsoleURL: "https://mash-console.example"}}
	plain, ok := b.Env(notify.Notifier{}).Notifier.(directory.Notifier)
	if _, acks := plain.Next.(directory.AckOutbox); !ok || acks {
		t.Fatalf("the plain environment's notifier: %T next %T", b.Env(notify.Notifier{}).Notifier, plain.Next)
	}
	acked, ok := b.WithEncompassAcks(b.Env(notify.Notifier{})).Notifier.(directory.Notifier)
	if !ok {
		t.Fatal("WithEncompassAcks lost the directory notifier")
	}
	out, ok := acked.Next.(directory.AckOutbox)
	if !ok || out.Acks.ConsoleURL != "https://mash-console.example" || out.Acks.Now == nil {
		t.Fatalf("acknowledgement planning: %T", acked.Next)
	}
	if _, ok := b.Desk(notify.Notifier{}).Notifier.(directory.Notifier).Next.(directory.AckOutbox); !ok {
		t.Fatal("the directory desk's notices (a worker's pick of the school) carry no acknowledgement link")
	}
	noURL := &lambdacfg.Base{}
	if _, ok := noURL.WithEncompassAcks(noURL.Env(notify.Notifier{})).Notifier.(directory.Notifier).Next.(directory.AckOutbox); ok {
		t.Fatal("acknowledgement links without a console URL")
	}
}

// OUTBOX_STREAM=1 (template.yaml, every function): the store leaves queued messages off the pending list and
// the functions' dispatcher flushes nothing, because the table's stream sends them (functions/outbox). Unset or
// 0 (env.json: `sam local` has no stream), the steps send as before. Anything else is refused by name.
func TestFromEnv_OutboxStream(t *testing.T) {
	for _, k := range []string{"AUTHORITY", "TABLE_NAME", "CONSOLE_URL"} {
		t.Setenv(k, "x")
	}
	for v, want := range map[string]bool{"": false, "0": false, "1": true} {
		t.Setenv("OUTBOX_STREAM", v)
		c, err := lambdacfg.FromEnv()
		if err != nil || c.OutboxStream != want {
			t.Errorf("OUTBOX_STREAM=%q: %v %v, want %v", v, c.OutboxStream, err, want)
		}
	}
	t.Setenv("OUTBOX_STREAM", "yes")
	if _, err := lambdacfg.FromEnv(); err == nil || !strings.Contains(err.Error(), "OUTBOX_STREAM") {
		t.Errorf("OUTBOX_STREAM=yes: %v, want an error naming it", err)
	}
}
