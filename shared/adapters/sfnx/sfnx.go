// Package sfnx adapts AWS Step Functions to the product's ports: starting the contact machine (execution
// name = contact id, so a redelivery cannot start a second execution) and completing task tokens.
package sfnx

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/workflow"
)

// API is the part of the Step Functions client used here.
type API interface {
	StartExecution(ctx context.Context, in *sfn.StartExecutionInput, opts ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error)
	SendTaskSuccess(ctx context.Context, in *sfn.SendTaskSuccessInput, opts ...func(*sfn.Options)) (*sfn.SendTaskSuccessOutput, error)
	SendTaskHeartbeat(ctx context.Context, in *sfn.SendTaskHeartbeatInput, opts ...func(*sfn.Options)) (*sfn.SendTaskHeartbeatOutput, error)
}

// Client starts executions of one state machine and completes its tokens.
type Client struct {
	API             API
	StateMachineARN string
}

// Start starts the contact machine with the contact id as the execution name. An execution of that name
// already existing is success: the contact is already on its way.
func (c Client) Start(ctx context.Context, in workflow.Start) error {
	input, err := json.Marshal(in)
	if err != nil {
		return err
	}
	_, err = c.API.StartExecution(ctx, &sfn.StartExecutionInput{
		StateMachineArn: aws.String(c.StateMachineARN),
		Name:            aws.String(string(in.ContactID)),
		Input:           aws.String(string(input)),
	})
	var exists *types.ExecutionAlreadyExists
	if errors.As(err, &exists) {
		return nil
	}
	return err
}

// SendTaskSuccess completes a token with the action's result (an empty result is sent as {}).
func (c Client) SendTaskSuccess(ctx context.Context, token string, output json.RawMessage) error {
	if len(output) == 0 {
		output = json.RawMessage("{}")
	}
	_, err := c.API.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(string(output))})
	return tokenError(err)
}

// SendTaskHeartbeat tells the waiting state someone has picked the item up.
func (c Client) SendTaskHeartbeat(ctx context.Context, token string) error {
	_, err := c.API.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(token)})
	return tokenError(err)
}

// tokenError turns "this wait is over" answers into a domain conflict: the wait timed out and escalated, or
// someone else answered first. Retrying cannot help; the caller reloads the contact. Other errors pass as they
// are (the caller treats them as transient). The SDK error stays reachable with errors.As.
func tokenError(err error) error {
	var invalid *types.InvalidToken
	var timedOut *types.TaskTimedOut
	var missing *types.TaskDoesNotExist
	if errors.As(err, &invalid) || errors.As(err, &timedOut) || errors.As(err, &missing) {
		return &domain.Error{Code: domain.CodeConflict, Message: "the workflow is no longer waiting for this answer", Err: err}
	}
	return err
}
