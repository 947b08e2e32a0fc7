// Package sfnx adapts AWS Step Functions to the product's ports: starting the contact machine (execution
// name = contact id, so a redelivery cannot start a second execution) and completing task tokens. It speaks
// the three operations it needs as signed awsJson1.0 requests (package awsrest): the generated Step Functions
// client adds ≈0.2 MB to each function that constructs it.
package sfnx

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/safeguarding/mash/shared/adapters/awsrest"
	"github.com/safeguarding/mash/shared/workflow"
)

// Client starts executions of one state machine and completes its tokens.
type Client struct {
	// AWS gives the region, credentials and HTTP client; BaseEndpoint, if set, replaces the regional endpoint.
	AWS             aws.Config
	StateMachineARN string
}

// call sends one Step Functions operation with its JSON input.
func (c Client) call(ctx context.Context, op string, in any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	rc := awsrest.Client{Config: c.AWS, Service: "states"}
	base, _ := rc.Endpoint("https://states." + c.AWS.Region + ".amazonaws.com")
	_, _, err = rc.Do(ctx, http.MethodPost, base+"/", body, http.Header{
		"Content-Type": {"application/x-amz-json-1.0"}, "X-Amz-Target": {"AWSStepFunctions." + op}})
	return err
}

// Code is the Step Functions error code of err (ExecutionAlreadyExists, InvalidToken…), or "".
func Code(err error) string {
	var e *awsrest.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// Start starts the contact machine under the execution name in.ExecutionName() (the contact id; "<id>-reopen-<n>"
// for a reopening). An execution of that name already existing is success: the contact is already on its way.
func (c Client) Start(ctx context.Context, in workflow.Start) error {
	input, err := json.Marshal(in)
	if err != nil {
		return err
	}
	err = c.call(ctx, "StartExecution", map[string]string{
		"stateMachineArn": c.StateMachineARN, "name": in.ExecutionName(), "input": string(input)})
	if Code(err) == "ExecutionAlreadyExists" {
		return nil
	}
	return err
}

// Restart starts the contact machine again for a contact the SLA sweep's reconciliation found waiting on a
// person with no open wait on record (trays.Restarter): a new execution named "<contact id>-r<attempt>", since
// Step Functions keeps an execution's name for 90 days. The same attempt again starts nothing new. Step
// Functions is not asked whether an earlier execution still runs (the sweep only restarts a contact whose
// record shows no open wait and no completion owed, quiet for its grace period).
func (c Client) Restart(ctx context.Context, in workflow.Start, attempt int) error {
	input, err := json.Marshal(in)
	if err != nil {
		return err
	}
	err = c.call(ctx, "StartExecution", map[string]string{
		"stateMachineArn": c.StateMachineARN, "name": fmt.Sprintf("%s-r%d", in.ContactID, attempt), "input": string(input)})
	if Code(err) == "ExecutionAlreadyExists" {
		return nil
	}
	return err
}

// SendTaskSuccess completes a token with the action's result (an empty result is sent as {}).
func (c Client) SendTaskSuccess(ctx context.Context, token string, output json.RawMessage) error {
	if len(output) == 0 {
		output = json.RawMessage("{}")
	}
	return tokenError(c.call(ctx, "SendTaskSuccess", map[string]string{"taskToken": token, "output": string(output)}))
}

// SendTaskFailure fails a token's wait with an ASL error name (a named outcome: workflow.Tell) and a cause.
func (c Client) SendTaskFailure(ctx context.Context, token, errName, cause string) error {
	return tokenError(c.call(ctx, "SendTaskFailure", map[string]string{"taskToken": token, "error": errName, "cause": cause}))
}

// SendTaskHeartbeat tells the waiting state someone has picked the item up.
func (c Client) SendTaskHeartbeat(ctx context.Context, token string) error {
	return tokenError(c.call(ctx, "SendTaskHeartbeat", map[string]string{"taskToken": token}))
}

// tokenError turns "this wait is over" answers into a domain conflict: the wait timed out and escalated, or
// someone else answered first. Retrying cannot help; the caller reloads the contact. Other errors pass as they
// are (the caller treats them as transient). The service error stays reachable with errors.As
// (*awsrest.Error) and Code.
func tokenError(err error) error {
	switch code := Code(err); code {
	case "InvalidToken", "TaskTimedOut", "TaskDoesNotExist":
		// A *workflow.WaitOverError inside a domain conflict: the completer tells the codes apart.
		return workflow.WaitOver(code, err)
	}
	return err
}
