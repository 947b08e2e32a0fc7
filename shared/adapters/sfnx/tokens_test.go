package sfnx_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/safeguarding/mash/shared/adapters/sfnx"
	"github.com/safeguarding/mash/shared/workflow"
)

// What moto 5.2.5 does with the task-token calls (read from moto/stepfunctions/{models,responses}.py and
// parser/models.py, and pinned by the tests below):
//   - its default Step Functions backend records executions but runs nothing: SendTaskSuccess and
//     SendTaskHeartbeat are no-ops that answer 200 to any token, so they prove only the wire format;
//   - with the config stepfunctions.execute_state_machine = true (POST /moto-api/config) it switches to its
//     ASL interpreter (the LocalStack parser), which really waits on tokens: a token it handed out is
//     heartbeated and completed, the execution resumes with the output, and an unknown or spent token is
//     InvalidToken. That mode is what the round-trip test uses.

// executeStateMachines switches moto's Step Functions backend for the rest of the test.
func executeStateMachines(t *testing.T) {
	t.Helper()
	set := func(on bool) error {
		body, _ := json.Marshal(map[string]any{"stepfunctions": map[string]bool{"execute_state_machine": on}})
		resp, err := http.Post(moto.Endpoint+"/moto-api/config", "application/json", bytes.NewReader(body))
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode/100 != 2 {
			b, _ := io.ReadAll(resp.Body)
			return errors.New("moto config: " + resp.Status + ": " + string(b))
		}
		return nil
	}
	if err := set(true); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := set(false); err != nil {
			t.Error(err)
		}
	})
}

// sqs calls moto's SQS over its JSON protocol (the SQS SDK module is not a dependency of this project; moto
// does not check signatures, the Authorization header only names the service and region).
func sqs(t *testing.T, action string, in any) map[string]any {
	t.Helper()
	body, _ := json.Marshal(in)
	req, _ := http.NewRequest(http.MethodPost, moto.Endpoint+"/", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "AmazonSQS."+action)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20270101/"+region+"/sqs/aws4_request, SignedHeaders=host, Signature=0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("SQS %s: %v", action, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("SQS %s: %s: %s", action, resp.Status, b)
	}
	out := map[string]any{}
	if len(b) > 0 {
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("SQS %s answered %q: %v", action, b, err)
		}
	}
	return out
}

// receiveToken waits for the message the waiting task sent and returns its task token.
func receiveToken(t *testing.T, queueURL string) (token string, contactID string) {
	t.Helper()
	for range 15 { // each receive long-polls for up to 1 s
		out := sqs(t, "ReceiveMessage", map[string]any{"QueueUrl": queueURL, "WaitTimeSeconds": 1, "MaxNumberOfMessages": 1})
		msgs, _ := out["Messages"].([]any)
		if len(msgs) == 0 {
			continue
		}
		body, _ := msgs[0].(map[string]any)["Body"].(string)
		var m struct {
			ContactID string `json:"contactId"`
			TaskToken string `json:"taskToken"`
		}
		if err := json.Unmarshal([]byte(body), &m); err != nil || m.TaskToken == "" {
			t.Fatalf("message body %q carries no task token (%v)", body, err)
		}
		return m.TaskToken, m.ContactID
	}
	t.Fatal("the waiting task sent no message within 15 s")
	return "", ""
}

// awaitEnd polls the execution until it leaves RUNNING.
func awaitEnd(t *testing.T, api *sfn.Client, arn string) *sfn.DescribeExecutionOutput {
	t.Helper()
	for range 150 {
		d, err := api.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != types.ExecutionStatusRunning {
			return d
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("execution %s still running after 15 s", arn)
	return nil
}

// The token wait of the manager's rating (docs/architecture.md "Data flow": manager RAG ─► task token), reduced to its Step
// Functions mechanics: a task that hands out $$.Task.Token and waits for it, with a heartbeat limit.
func tokenMachine(queueURL string, heartbeatSeconds int) string {
	def := map[string]any{
		"StartAt": "AwaitRating",
		"States": map[string]any{
			"AwaitRating": map[string]any{
				"Type":     "Task",
				"Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
				"Parameters": map[string]any{
					"QueueUrl":    queueURL,
					"MessageBody": map[string]any{"contactId.$": "$.contactId", "taskToken.$": "$$.Task.Token"},
				},
				"HeartbeatSeconds": heartbeatSeconds,
				"TimeoutSeconds":   300,
				"End":              true,
			},
		},
	}
	b, _ := json.Marshal(def)
	return string(b)
}

// Two contacts wait on their rating token with a 5-second heartbeat limit. The adapter heartbeats one for
// longer than the limit and then completes it: it succeeds with the output sent. The other, never
// heartbeated, fails with States.HeartbeatTimeout — the control that shows the heartbeats really reached the
// waiting task.
func TestTaskToken_HeartbeatAndSuccess_RoundTripThroughMoto(t *testing.T) {
	const heartbeatLimit = 5 // seconds
	executeStateMachines(t)
	ctx := context.Background()
	api := newSFN()
	queueURL, _ := sqs(t, "CreateQueue", map[string]any{"QueueName": unique("mash-tray-tokens")})["QueueUrl"].(string)
	if queueURL == "" {
		t.Fatal("CreateQueue returned no QueueUrl")
	}
	machine := createMachine(t, api, "mash-token-wait", tokenMachine(queueURL, heartbeatLimit))
	c := sfnx.Client{AWS: cfg(), StateMachineARN: machine}

	rated := workflow.Start{ContactID: "C-20271224-0101", Authority: "northamptonshire"}
	ignored := workflow.Start{ContactID: "C-20271224-0102", Authority: "northamptonshire"}
	for _, s := range []workflow.Start{rated, ignored} {
		if err := c.Start(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	tokens := map[string]string{}
	for len(tokens) < 2 {
		token, contactID := receiveToken(t, queueURL)
		tokens[contactID] = token
		// The awaited token is heartbeated from the moment it arrives, not only once the control's token has
		// come too (that wait, long polls on a loaded machine, could outlast the limit by itself). moto 5.2.5
		// sends the token's message a moment before it registers the token (a heartbeat at once can get
		// InvalidToken; AWS registers it first), so this first heartbeat is retried for up to 2 s.
		if rt := tokens[string(rated.ContactID)]; rt != "" {
			var err error
			for range 20 {
				if err = c.SendTaskHeartbeat(ctx, rt); err == nil || !notAwaited(err) {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			if err != nil {
				t.Fatalf("SendTaskHeartbeat on the awaited token as it arrived: %v", err)
			}
		}
	}
	token := tokens[string(rated.ContactID)]
	if token == "" || tokens[string(ignored.ContactID)] == "" || token == tokens[string(ignored.ContactID)] {
		t.Fatalf("tokens by contact = %v, want one distinct token for each started contact", tokens)
	}

	// Heartbeats every 500 ms for 7.5 s: longer than the 5-second limit, never 5 s apart. (The limit leaves
	// room for the token's trip through SQS to this test before the first heartbeat on a loaded machine; at 2 s
	// the heartbeated execution itself sometimes timed out first.)
	for range 15 {
		if err := c.SendTaskHeartbeat(ctx, token); err != nil {
			t.Fatalf("SendTaskHeartbeat on the awaited token: %v", err)
		}
		time.Sleep(500 * time.Millisecond)
	}
	if err := c.SendTaskSuccess(ctx, token, json.RawMessage(`{"rag":"red","checks":true}`)); err != nil {
		t.Fatalf("SendTaskSuccess on the awaited token: %v", err)
	}

	arns := map[string]string{}
	for _, e := range executions(t, api, machine) {
		arns[aws.ToString(e.Name)] = aws.ToString(e.ExecutionArn)
	}
	d := awaitEnd(t, api, arns[string(rated.ContactID)])
	if d.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("heartbeated execution ended %s (%s: %s), want SUCCEEDED", d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(aws.ToString(d.Output)), &out); err != nil {
		t.Fatalf("execution output %q: %v", aws.ToString(d.Output), err)
	}
	if out["rag"] != "red" || out["checks"] != true || len(out) != 2 {
		t.Errorf("execution output = %v, want the SendTaskSuccess output {rag: red, checks: true}", out)
	}
	control := awaitEnd(t, api, arns[string(ignored.ContactID)])
	// It failed seconds in, so by the 5-second heartbeat limit and not the 300-second TimeoutSeconds. AWS names
	// that States.HeartbeatTimeout; moto 5.2.5 reports it as States.Timeout (the contact machine catches both
	// in one Catch, so either drives it to the escalation).
	switch e := aws.ToString(control.Error); {
	case control.Status != types.ExecutionStatusFailed || (e != "States.HeartbeatTimeout" && e != "States.Timeout"):
		t.Errorf("execution without heartbeats ended %s (%s), want FAILED with States.HeartbeatTimeout", control.Status, e)
	default:
		t.Logf("execution without heartbeats: %s %s", control.Status, e)
	}

	// Spent and timed-out tokens are no longer awaited: the adapter surfaces the service's error, which a
	// caller can tell apart with errors.As. (AWS documents TaskTimedOut for a closed task; moto answers
	// InvalidToken once the execution has ended.)
	for name, tok := range map[string]string{"completed": token, "timed-out": tokens[string(ignored.ContactID)]} {
		if err := c.SendTaskSuccess(ctx, tok, json.RawMessage(`{}`)); !notAwaited(err) {
			t.Errorf("SendTaskSuccess on a %s token = %v, want InvalidToken, TaskTimedOut or TaskDoesNotExist", name, err)
		} else {
			t.Logf("SendTaskSuccess on a %s token: %v", name, err)
		}
		if err := c.SendTaskHeartbeat(ctx, tok); !notAwaited(err) {
			t.Errorf("SendTaskHeartbeat on a %s token = %v, want InvalidToken, TaskTimedOut or TaskDoesNotExist", name, err)
		}
	}
}

// notAwaited reports whether err is one of the Step Functions errors for a token nobody waits on.
func notAwaited(err error) bool {
	switch sfnx.Code(err) {
	case "InvalidToken", "TaskTimedOut", "TaskDoesNotExist":
		return true
	}
	return false
}

func TestTaskToken_UnknownToken_IsInvalidToken(t *testing.T) {
	executeStateMachines(t)
	c := sfnx.Client{AWS: cfg()}
	ctx := context.Background()
	if err := c.SendTaskSuccess(ctx, "not-a-token", json.RawMessage(`{"rag":"green"}`)); sfnx.Code(err) != "InvalidToken" {
		t.Errorf("SendTaskSuccess(unknown token) = %v, want InvalidToken", err)
	}
	if err := c.SendTaskHeartbeat(ctx, "not-a-token"); sfnx.Code(err) != "InvalidToken" {
		t.Errorf("SendTaskHeartbeat(unknown token) = %v, want InvalidToken", err)
	}
}

// moto's executing backend parses definitions with its ASL parser: the real contact machine is accepted.
// A definition with an unknown state type is refused, so acceptance means something.
func TestContactDefinition_AcceptedByMotoASLParser(t *testing.T) {
	executeStateMachines(t)
	api := newSFN()
	createMachine(t, api, "mash-contact-parsed", contactDefinition(t))

	bad := `{"StartAt":"A","States":{"A":{"Type":"Bogus","End":true}}}`
	_, err := api.CreateStateMachine(context.Background(), &sfn.CreateStateMachineInput{
		Name: aws.String("mash-malformed"), Definition: aws.String(bad), RoleArn: aws.String(roleARN)})
	// AWS answers InvalidDefinition; moto 5.2.5 sends its parser's exception under the code UnknownError.
	var invalid *types.InvalidDefinition
	if !errors.As(err, &invalid) && (err == nil || !strings.Contains(err.Error(), "ASLParserException")) {
		t.Errorf("CreateStateMachine with an unknown state type = %v, want a definition error", err)
	}
}

// Documents moto's default backend (no execute_state_machine): the token calls are accepted whatever the
// token, so a test against it alone would prove nothing about token handling.
func TestMotoDefaultBackend_TokenCallsAreNoOps(t *testing.T) {
	c := sfnx.Client{AWS: cfg()}
	ctx := context.Background()
	if err := c.SendTaskSuccess(ctx, "not-a-token", json.RawMessage(`{}`)); err != nil {
		t.Errorf("moto default backend SendTaskSuccess(unknown token) = %v; moto now validates tokens — update the notes above", err)
	}
	if err := c.SendTaskHeartbeat(ctx, "not-a-token"); err != nil {
		t.Errorf("moto default backend SendTaskHeartbeat(unknown token) = %v; moto now validates tokens — update the notes above", err)
	}
}
