package sfnx_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/safeguarding/mash/shared/adapters/sfnx"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/embedded"
	"github.com/safeguarding/mash/shared/workflow"
)

// faultySFN is the HTTP client under the real signed requests: while down, every SendTaskSuccess gets Step
// Functions' 503 ServiceUnavailable (after the adapter's own retries); everything else reaches moto.
type faultySFN struct {
	down     atomic.Bool
	injected atomic.Int32
}

func (f *faultySFN) Do(req *http.Request) (*http.Response, error) {
	if f.down.Load() && req.Header.Get("X-Amz-Target") == "AWSStepFunctions.SendTaskSuccess" {
		f.injected.Add(1)
		return &http.Response{StatusCode: http.StatusServiceUnavailable, Header: http.Header{"Content-Type": {"application/x-amz-json-1.0"}},
			Body:    io.NopCloser(bytes.NewReader([]byte(`{"__type":"ServiceUnavailable","message":"injected"}`))),
			Request: req}, nil
	}
	return http.DefaultClient.Do(req)
}

// Issue #13 "Human actions reach the workflow: an outbox of completions", through the real adapter and moto's
// executing Step Functions. A decision owes the completion of its token, written with it; Step Functions is
// unavailable when the decision is made, so the completion stays pending (counted) and the execution keeps
// waiting; the completer's next run is acknowledged and the execution ends with the decision's output. A
// completion for a token already completed gets moto's InvalidToken: it counts as done (the wait is over),
// audited, never retried forever.
func TestCompleter_SendsUntilAcknowledged_ThroughMoto(t *testing.T) {
	executeStateMachines(t)
	ctx := context.Background()
	api := newSFN()
	queueURL, _ := sqs(t, "CreateQueue", map[string]any{"QueueName": unique("mash-completions")})["QueueUrl"].(string)
	machine := createMachine(t, api, "mash-completion-wait", tokenMachine(queueURL, 120))
	faults := &faultySFN{}
	conf := cfg()
	conf.HTTPClient = faults
	client := sfnx.Client{AWS: conf, StateMachineARN: machine}
	start := workflow.Start{ContactID: domain.NewContactID(), Authority: "bexley"}
	if err := client.Start(ctx, start); err != nil {
		t.Fatal(err)
	}
	token, _ := receiveToken(t, queueURL)
	// moto registers the token a moment after sending its message (see the heartbeat test): wait until it does.
	var err error
	for range 20 {
		if err = client.SendTaskHeartbeat(ctx, token); err == nil || !notAwaited(err) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("the token is not awaited: %v", err)
	}

	st, err := embedded.Open(filepath.Join(t.TempDir(), "store.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := &domain.Contact{ID: start.ContactID, Authority: start.Authority, Channel: domain.ChannelForm, ReceivedAt: time.Now().UTC(),
		Status: domain.StatusAwaitingDecision, Child: domain.Child{GivenName: "Ada", FamilyName: "Test", DateOfBirth: domain.Date{Y: 2018, M: 1, D: 2}},
		Concerns: "x", Consent: domain.Consent{Status: domain.ConsentUnknown}, LinkedTo: []domain.ContactID{}, Deadlines: map[string]time.Time{}}
	if err := st.CreateContact(ctx, c, store.IdempotencyKey{}, store.AuditEvent{Actor: "intake-api", Action: "contact.created"}); err != nil {
		t.Fatal(err)
	}
	item := string(c.ID) + "#decision#1"
	if _, err := st.PutTrayItem(ctx, store.TrayItem{ID: item, Tray: "decision", Authority: c.Authority, ContactID: c.ID,
		DueAt: time.Now().Add(time.Hour), TaskToken: token}); err != nil {
		t.Fatal(err)
	}
	out := json.RawMessage(`{"outcome":"nfa","rerated":false}`)
	// The decision and the completion it owes: one write.
	if _, err := st.ChangeContact(ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		c.Status = domain.StatusDecided
		return store.Change{Events: []store.AuditEvent{{Actor: "manager-1", Action: "decided"}},
			Completions: []store.Completion{{ID: item, Tray: "decision", TaskToken: token, Output: out, By: "manager-1"}}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	completer := workflow.Completer{Store: st, Tasks: client}

	faults.down.Store(true)
	res, err := completer.Drain(ctx, 0)
	if err == nil || res.Failed != 1 || res.Acknowledged != 0 || faults.injected.Load() == 0 {
		t.Fatalf("with Step Functions unavailable: %+v %v (%d failures injected), want one failed completion", res, err, faults.injected.Load())
	}
	pend, err := st.PendingCompletions(ctx, 0)
	if err != nil || len(pend) != 1 || pend[0].Attempts != 1 || pend[0].LastError != "ServiceUnavailable" {
		t.Fatalf("pending after the failure: %+v %v", pend, err)
	}
	arn := ""
	for _, e := range executions(t, api, machine) {
		arn = aws.ToString(e.ExecutionArn)
		if e.Status != types.ExecutionStatusRunning {
			t.Fatalf("the execution ended (%s) although it was never told", e.Status)
		}
	}

	faults.down.Store(false)
	res, err = completer.Drain(ctx, 0)
	if err != nil || res.Acknowledged != 1 {
		t.Fatalf("with Step Functions back: %+v %v, want acknowledged", res, err)
	}
	d := awaitEnd(t, api, arn)
	var got workflow.DecisionResult
	if err := json.Unmarshal([]byte(aws.ToString(d.Output)), &got); err != nil || d.Status != types.ExecutionStatusSucceeded || got.Outcome != "nfa" {
		t.Fatalf("execution %s with output %s, want SUCCEEDED with the decision", d.Status, aws.ToString(d.Output))
	}
	if pend, _ := st.PendingCompletions(ctx, 0); len(pend) != 0 {
		t.Fatalf("still pending after the acknowledgement: %+v", pend)
	}

	// The same token owed again (a second record of the completed wait): the wait is over — done, audited.
	if _, err := st.ChangeContact(ctx, c.ID, func(c *domain.Contact) (store.Change, error) {
		return store.Change{Events: []store.AuditEvent{{Actor: "manager-1", Action: "note"}},
			Completions: []store.Completion{{ID: item + "-again", Tray: "decision", TaskToken: token, Output: out, By: "manager-1"}}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	res, err = completer.Drain(ctx, 0)
	if err != nil || res.WaitOver != 1 {
		t.Fatalf("a spent token: %+v %v, want the wait over", res, err)
	}
	if pend, _ := st.PendingCompletions(ctx, 0); len(pend) != 0 {
		t.Fatalf("still pending after the wait was over: %+v", pend)
	}
	// Both ended (a further attempt is refused as done), and only the spent one audited as wait-over.
	for _, id := range []string{item, item + "-again"} {
		if _, err := st.CompletionFailed(ctx, c.ID, id, "ServiceUnavailable"); domain.ErrorCode(err) != domain.CodeConflict {
			t.Errorf("completion %s not ended: a further attempt gave %v, want conflict", id, err)
		}
	}
	evs, err := st.ListAudit(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var over []store.AuditEvent
	for _, ev := range evs {
		if ev.Action == "workflow.completion-wait-over" {
			over = append(over, ev)
		}
	}
	if len(over) != 1 || over[0].Detail["item"] != item+"-again" || over[0].Detail["code"] == "" {
		t.Fatalf("workflow.completion-wait-over events %+v, want one, for the spent token's completion", over)
	}
	t.Logf("a spent token through moto: %s:%s", store.CompletionWaitOver, over[0].Detail["code"])
}
