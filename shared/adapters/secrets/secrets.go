// Package secrets reads one secret's value from AWS Secrets Manager: the console's session key
// (template.yaml ConsoleSessionSecret). It speaks GetSecretValue as a signed awsJson1.1 request (package
// awsrest) rather than linking the generated Secrets Manager client for one call.
package secrets

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/safeguarding/mash/shared/adapters/awsrest"
)

// Client reads secrets with the function's credentials.
type Client struct {
	// AWS gives the region, credentials and HTTP client; BaseEndpoint, if set, replaces the regional endpoint.
	AWS aws.Config
}

func (c Client) call(ctx context.Context, op string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	rc := awsrest.Client{Config: c.AWS, Service: "secretsmanager"}
	base, _ := rc.Endpoint("https://secretsmanager." + c.AWS.Region + ".amazonaws.com")
	_, b, err := rc.Do(ctx, http.MethodPost, base+"/", body, http.Header{
		"Content-Type": {"application/x-amz-json-1.1"}, "X-Amz-Target": {"secretsmanager." + op}})
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}

// Value is the current string value of the secret (its ARN or name).
func (c Client) Value(ctx context.Context, id string) (string, error) {
	var out struct {
		SecretString string `json:"SecretString"`
	}
	if err := c.call(ctx, "GetSecretValue", map[string]string{"SecretId": id}, &out); err != nil {
		return "", err
	}
	if out.SecretString == "" {
		return "", errors.New("secrets: the secret has no string value")
	}
	return out.SecretString, nil
}

// Create makes a secret with a value and returns its ARN (tests, and a stack made by hand; the template's
// ConsoleSessionSecret generates its own).
func (c Client) Create(ctx context.Context, name, value string) (string, error) {
	var out struct {
		ARN string `json:"ARN"`
	}
	if err := c.call(ctx, "CreateSecret", map[string]string{"Name": name, "SecretString": value}, &out); err != nil {
		return "", err
	}
	return out.ARN, nil
}
