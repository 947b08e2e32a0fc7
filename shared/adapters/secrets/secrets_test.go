package secrets_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/safeguarding/mash/shared/adapters/awsrest"
	"github.com/safeguarding/mash/shared/adapters/secrets"
	"github.com/safeguarding/mash/shared/testenv"
)

// The console's session key is read from Secrets Manager (here moto's, over the wire, signed): the value
// made is the value read; a secret that does not exist is an error naming Secrets Manager's code.
func TestValue_ReadsTheSecretMade(t *testing.T) {
	moto, err := testenv.StartMoto()
	if err != nil {
		t.Fatal(err)
	}
	defer moto.Stop()
	c := secrets.Client{AWS: aws.Config{Region: "eu-west-2", BaseEndpoint: aws.String(moto.Endpoint),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, nil
		})}}
	ctx := context.Background()
	arn, err := c.Create(ctx, "mash-hackney-console-session", "0123456789abcdef0123456789abcdef0123456789abcdef")
	if err != nil || arn == "" {
		t.Fatalf("create: %q %v", arn, err)
	}
	got, err := c.Value(ctx, arn)
	if err != nil || got != "0123456789abcdef0123456789abcdef0123456789abcdef" {
		t.Fatalf("value: %q %v", got, err)
	}
	_, err = c.Value(ctx, "no-such-secret")
	var e *awsrest.Error
	if !errors.As(err, &e) || e.Code != "ResourceNotFoundException" {
		t.Fatalf("a missing secret: %v", err)
	}
}
