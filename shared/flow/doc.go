// Package flow executes the project's subset of the Amazon States Language (JSONPath) in-process, for
// `mash run` and the tests. AWS Step Functions runs the same definitions in production.
//
// Supported: Task (lambda:invoke, lambda:invoke.waitForTaskToken, plain Lambda ARNs, and other
// arn:aws:states:::SERVICE:ACTION integrations bound to a Go handler), Choice (all comparison operators,
// And/Or/Not), Wait (Seconds, SecondsPath, Timestamp, TimestampPath), Map (INLINE; ItemsPath,
// ItemSelector or legacy Parameters, ItemProcessor or Iterator, MaxConcurrency), Parallel, Pass,
// Succeed, Fail (Error/Cause and their Paths), Retry (IntervalSeconds, MaxAttempts, BackoffRate,
// MaxDelaySeconds, JitterStrategy), Catch, InputPath/Parameters/ResultSelector/ResultPath/OutputPath,
// TimeoutSeconds(Path)/HeartbeatSeconds(Path), top-level TimeoutSeconds, and the intrinsics States.Format,
// StringToJson, JsonToString, Array, ArrayLength, ArrayContains, ArrayGetItem, ArrayRange, ArrayUnique,
// ArrayPartition, MathAdd, StringSplit, JsonMerge (shallow), Base64Encode, Base64Decode. Anything else
// (JSONata, Distributed Map, .sync, filters in paths, States.UUID/Hash/MathRandom) is rejected by Parse
// with the state named.
//
// Binding rule: a Lambda reference binds the Handlers entry named by FunctionKey — the function name
// after ":function:" in an ARN (qualifier dropped), else the name as written. Other integrations bind
// "SERVICE:ACTION" (e.g. "sqs:sendMessage") and get the state's Parameters. New fails, naming every
// Task state without a handler.
//
// Results and errors follow AWS: lambda:invoke returns the Invoke envelope (ExecutedVersion, Payload,
// SdkHttpMetadata, StatusCode); a handler error's ASL name is ErrorType(err) (the Go type name, as
// aws-lambda-go reports it) and its Cause the Lambda error payload {"errorMessage","errorType"} as a
// JSON string; States.TaskFailed matches every task error except States.Timeout/HeartbeatTimeout;
// States.Runtime is neither retried nor caught.
//
// Time comes only from Options.Clock (ClockFunc for production, FakeClock in tests). Run advances an
// execution until every thread waits; RunDue resumes those whose Wait, retry delay or token deadline
// has come; NextDue says when to call it next. Each execution's whole state is a JSON Snapshot saved to
// the StateStore after every run, so ResumeAll continues executions after a restart; StateStore.Create
// makes execution names unique (ErrExecutionAlreadyExists).
//
// Between states an execution's data stays parsed (map[string]any, []any, string, json.Number, bool, nil) and
// is never changed in place (ResultPath copies the objects on its path), so frames share values freely; JSON
// is read and written only at the edges — a task's payload and result, a token's answer, the execution's input
// and output — and for a snapshot, after each run (decode and encode give what encoding/json gives, without
// its reflection). The context object ($$) is built only when a path reads more of it than $$.Task.Token or
// $$.Map.Item.
//
// Map iterations and Parallel branches run in the execution's goroutine, one step at a time, each able
// to wait on its own task token; MaxConcurrency limits how many iterations are open at once.
package flow
