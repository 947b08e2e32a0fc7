package flow

import (
	"encoding/json"
	"errors"
	"reflect"

	"github.com/aws/aws-lambda-go/lambda/messages"
)

// ASL error names the executor raises or matches.
const (
	ErrAll               = "States.ALL"
	ErrTaskFailed        = "States.TaskFailed"
	ErrTimeout           = "States.Timeout"
	ErrHeartbeatTimeout  = "States.HeartbeatTimeout"
	ErrRuntime           = "States.Runtime"
	ErrNoChoiceMatched   = "States.NoChoiceMatched"
	ErrResultPathFailure = "States.ResultPathMatchFailure"
	ErrIntrinsicFailure  = "States.IntrinsicFailure"
	ErrParameterPath     = "States.ParameterPathFailure"
)

// API errors (the Step Functions API's names).
var (
	ErrExecutionAlreadyExists = errors.New("ExecutionAlreadyExists")
	ErrExecutionDoesNotExist  = errors.New("ExecutionDoesNotExist")
	ErrInvalidToken           = errors.New("InvalidToken")
	ErrTaskTimedOut           = errors.New("TaskTimedOut: the task token is not (or no longer) awaited")
)

// stateError is an ASL error: Error name and Cause.
type stateError struct {
	Name  string `json:"Error"`
	Cause string `json:"Cause"`
}

func (e *stateError) Error() string { return e.Name + ": " + e.Cause }

// ErrorType is the errorType aws-lambda-go reports for a handler error, which is the ASL error name a
// Catch/Retry matches: the unqualified Go type name of the returned error value (pointer stripped; the
// error is not unwrapped, exactly as lambda.errors.go does), or the Type of a messages.InvokeResponse_Error.
func ErrorType(err error) string {
	if ive, ok := err.(messages.InvokeResponse_Error); ok {
		return ive.Type
	}
	t := reflect.TypeOf(err)
	if t.Kind() == reflect.Pointer {
		return t.Elem().Name()
	}
	return t.Name()
}

// LambdaErrorPayload is the function error body the Lambda service returns for err:
// {"errorMessage": err.Error(), "errorType": ErrorType(err)}.
func LambdaErrorPayload(err error) json.RawMessage {
	b, _ := json.Marshal(messages.InvokeResponse_Error{Message: err.Error(), Type: ErrorType(err)})
	return b
}

// lambdaError is the ASL error for a Lambda function error: Error = errorType, Cause = the function
// error payload as a JSON string (as AWS Step Functions reports it).
func lambdaError(err error) *stateError {
	return &stateError{Name: ErrorType(err), Cause: string(LambdaErrorPayload(err))}
}

// matches reports whether an ASL error name is matched by an ErrorEquals list.
func matches(list []string, name string) bool {
	if name == ErrRuntime {
		return false // not retriable or catchable, as in AWS
	}
	for _, n := range list {
		switch n {
		case name, ErrAll:
			return true
		case ErrTaskFailed:
			if name != ErrTimeout && name != ErrHeartbeatTimeout {
				return true
			}
		}
	}
	return false
}
