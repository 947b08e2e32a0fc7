package flow_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/safeguarding/mash/shared/flow"
	"github.com/safeguarding/mash/statemachines"
)

var t0 = time.Date(2027, 12, 24, 16, 59, 0, 0, time.UTC) // Friday before Christmas, 16:59

func mustParse(t *testing.T, def string) *flow.Machine {
	t.Helper()
	m, err := flow.Parse([]byte(def), fixtureSubst)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func newExec(t *testing.T, m *flow.Machine, h flow.Handlers, store flow.StateStore) (*flow.Executor, *flow.FakeClock) {
	t.Helper()
	clk := flow.NewFakeClock(t0)
	x, err := flow.New(m, h, flow.Options{Clock: clk, Store: store, Jitter: func() float64 { return 1 }})
	if err != nil {
		t.Fatal(err)
	}
	return x, clk
}

func obj(t *testing.T, raw json.RawMessage) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	return v
}

func statesEntered(h []flow.Event) []string {
	var out []string
	for _, e := range h {
		if e.Type == "StateEntered" {
			out = append(out, e.Scope+">"+e.State)
		}
	}
	return out
}

// tokenHandlers records the token the tray handler receives, like the tray Lambda storing it on an item.
type trayRecorder struct {
	mu     sync.Mutex
	tokens []string
	esc    int
}

func (r *trayRecorder) handlers() flow.Handlers {
	return flow.Handlers{
		"tray": func(_ context.Context, p json.RawMessage) (json.RawMessage, error) {
			var in struct {
				TaskToken string `json:"taskToken"`
			}
			if err := json.Unmarshal(p, &in); err != nil || in.TaskToken == "" {
				return nil, errors.New("no token")
			}
			r.mu.Lock()
			r.tokens = append(r.tokens, in.TaskToken)
			r.mu.Unlock()
			return json.RawMessage(`{}`), nil
		},
		"escalate": func(context.Context, json.RawMessage) (json.RawMessage, error) {
			r.mu.Lock()
			r.esc++
			r.mu.Unlock()
			return json.RawMessage(`{"escalated":true}`), nil
		},
	}
}

func (r *trayRecorder) last(t *testing.T) string {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.tokens) == 0 {
		t.Fatal("the tray handler got no token")
	}
	return r.tokens[len(r.tokens)-1]
}

// Portsmouth seed (000) / docs/architecture.md: a rating not given within its deadline escalates. 72 hours of fake
// time pass in well under a second of real time.
func TestTokenWait_72HourTimeoutEscalates(t *testing.T) {
	start := time.Now()
	rec := &trayRecorder{}
	x, clk := newExec(t, mustParse(t, string(readFixture(t, "token.asl.json"))), rec.handlers(), nil)
	ctx := context.Background()
	e, err := x.Start(ctx, "c-72h", json.RawMessage(`{"contactId":"c-1","timeoutSeconds":259200,"heartbeatSeconds":90000}`))
	if err != nil {
		t.Fatal(err)
	}
	tok := rec.last(t)
	if e.Status() != flow.Running || e.Tokens()["AwaitRating"] != tok {
		t.Fatalf("status %s tokens %v", e.Status(), e.Tokens())
	}
	for day := 1; day <= 2; day++ { // heartbeats keep the 25-hour heartbeat alive
		clk.Advance(24 * time.Hour)
		if err := x.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		if err := x.SendTaskHeartbeat(ctx, tok); err != nil {
			t.Fatalf("heartbeat day %d: %v", day, err)
		}
	}
	clk.Advance(24*time.Hour - time.Second)
	if err := x.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	if e.Status() != flow.Running {
		t.Fatalf("timed out early: %s", e.Status())
	}
	if due, _ := e.NextDue(); !due.Equal(t0.Add(72 * time.Hour)) {
		t.Fatalf("next due %s, want %s", due, t0.Add(72*time.Hour))
	}
	clk.Advance(time.Second)
	if err := x.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	if e.Status() != flow.Succeeded {
		n, c := e.Error()
		t.Fatalf("status %s %s %s", e.Status(), n, c)
	}
	out := obj(t, e.Output())
	if out["timedOut"].(map[string]any)["Error"] != "States.Timeout" || out["escalation"].(map[string]any)["escalated"] != true {
		t.Fatalf("output %s", e.Output())
	}
	if diff := cmp.Diff([]string{">AwaitRating", ">EscalateRating", ">Escalated"}, statesEntered(e.History())); diff != "" {
		t.Fatal(diff)
	}
	if err := x.SendTaskSuccess(ctx, tok, json.RawMessage(`{}`)); !errors.Is(err, flow.ErrTaskTimedOut) {
		t.Fatalf("late answer: %v, want ErrTaskTimedOut", err)
	}
	if real := time.Since(start); real > time.Second {
		t.Fatalf("took %s of real time", real)
	}
}

func TestTokenWait_HeartbeatTimeout(t *testing.T) {
	rec := &trayRecorder{}
	x, clk := newExec(t, mustParse(t, string(readFixture(t, "token.asl.json"))), rec.handlers(), nil)
	ctx := context.Background()
	e, err := x.Start(ctx, "hb", json.RawMessage(`{"contactId":"c-1","timeoutSeconds":259200,"heartbeatSeconds":3600}`))
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Hour)
	if err := x.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	out := obj(t, e.Output())
	if e.Status() != flow.Succeeded || out["timedOut"].(map[string]any)["Error"] != "States.HeartbeatTimeout" {
		t.Fatalf("%s %s", e.Status(), e.Output())
	}
}

func TestTokenWait_SuccessAndFailure(t *testing.T) {
	rec := &trayRecorder{}
	x, _ := newExec(t, mustParse(t, string(readFixture(t, "token.asl.json"))), rec.handlers(), nil)
	ctx := context.Background()
	e, err := x.Start(ctx, "ok", json.RawMessage(`{"contactId":"c-1","timeoutSeconds":600,"heartbeatSeconds":60}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := x.SendTaskSuccess(ctx, rec.last(t), json.RawMessage(`{"rag":"red","checks":true}`)); err != nil {
		t.Fatal(err)
	}
	if e.Status() != flow.Succeeded || obj(t, e.Output())["rating"].(map[string]any)["rag"] != "red" {
		t.Fatalf("%s %s", e.Status(), e.Output())
	}
	if err := x.SendTaskSuccess(ctx, "garbage", json.RawMessage(`{}`)); !errors.Is(err, flow.ErrInvalidToken) {
		t.Fatalf("garbage token: %v", err)
	}

	e2, err := x.Start(ctx, "fail", json.RawMessage(`{"contactId":"c-2","timeoutSeconds":600,"heartbeatSeconds":60}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := x.SendTaskFailure(ctx, rec.last(t), "RatingWithdrawn", "manager withdrew"); err != nil {
		t.Fatal(err)
	}
	name, _ := e2.Error()
	if e2.Status() != flow.Failed || name != "RatingFailed" {
		t.Fatalf("%s %s", e2.Status(), name)
	}
}

// A handler that answers its own token before returning (the queue path) must not deadlock.
func TestTokenWait_AnsweredInsideHandler(t *testing.T) {
	var x *flow.Executor
	h := flow.Handlers{
		"tray": func(ctx context.Context, p json.RawMessage) (json.RawMessage, error) {
			var in struct{ TaskToken string }
			_ = json.Unmarshal(p, &in)
			return nil, x.SendTaskSuccess(ctx, in.TaskToken, json.RawMessage(`{"rag":"green"}`))
		},
		"escalate": func(context.Context, json.RawMessage) (json.RawMessage, error) { return json.RawMessage(`{}`), nil },
	}
	x, _ = newExec(t, mustParse(t, string(readFixture(t, "token.asl.json"))), h, nil)
	e, err := x.Start(context.Background(), "self", json.RawMessage(`{"contactId":"c","timeoutSeconds":60,"heartbeatSeconds":30}`))
	if err != nil {
		t.Fatal(err)
	}
	if e.Status() != flow.Succeeded {
		t.Fatalf("%s", e.Status())
	}
}

func TestSnapshotResume(t *testing.T) {
	store := flow.NewMemoryStore()
	rec := &trayRecorder{}
	m := mustParse(t, string(readFixture(t, "token.asl.json")))
	x1, clk := newExec(t, m, rec.handlers(), store)
	ctx := context.Background()
	if _, err := x1.Start(ctx, "restart", json.RawMessage(`{"contactId":"c-1","timeoutSeconds":600,"heartbeatSeconds":300}`)); err != nil {
		t.Fatal(err)
	}
	tok := rec.last(t)
	// "Restart": a new executor over the same store.
	x2, err := flow.New(m, rec.handlers(), flow.Options{Clock: clk, Store: store})
	if err != nil {
		t.Fatal(err)
	}
	resumed, err := x2.ResumeAll(ctx)
	if err != nil || len(resumed) != 1 {
		t.Fatalf("resumed %d: %v", len(resumed), err)
	}
	if _, err := x2.Start(ctx, "restart", nil); !errors.Is(err, flow.ErrExecutionAlreadyExists) {
		t.Fatalf("restart name reused: %v", err)
	}
	if err := x2.SendTaskSuccess(ctx, tok, json.RawMessage(`{"rag":"amber"}`)); err != nil {
		t.Fatal(err)
	}
	if resumed[0].Status() != flow.Succeeded {
		t.Fatalf("%s", resumed[0].Status())
	}
	s, err := store.Load(ctx, x2.ExecutionID("restart"))
	if err != nil || s.Status != flow.Succeeded {
		t.Fatalf("stored %s: %v", s.Status, err)
	}
	other := mustParse(t, `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`)
	x3, _ := newExec(t, other, nil, store)
	if _, err := x3.Resume(s); err == nil {
		t.Fatal("resumed a snapshot under another definition")
	}
}

func TestExecutionAlreadyExists(t *testing.T) {
	x, _ := newExec(t, mustParse(t, `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`), nil, nil)
	ctx := context.Background()
	if _, err := x.Start(ctx, "c-1", json.RawMessage(`{"a":1}`)); err != nil {
		t.Fatal(err)
	}
	_, err := x.Start(ctx, "c-1", json.RawMessage(`{"a":1}`))
	if !errors.Is(err, flow.ErrExecutionAlreadyExists) {
		t.Fatalf("second start: %v", err)
	}
}

// Restart (the reconciliation's re-drive of a stuck contact, issue #13) replaces an ended execution of the
// name with a new run from the start, and refuses one still running.
func TestRestart_ReplacesAnEndedExecutionNeverARunningOne(t *testing.T) {
	rec := &trayRecorder{}
	store := flow.NewMemoryStore()
	x, _ := newExec(t, mustParse(t, string(readFixture(t, "token.asl.json"))), rec.handlers(), store)
	ctx := context.Background()
	in := json.RawMessage(`{"contactId":"c-1","timeoutSeconds":600,"heartbeatSeconds":60}`)
	if _, err := x.Start(ctx, "c-1", in); err != nil {
		t.Fatal(err)
	}
	if _, err := x.Restart(ctx, "c-1", in); !errors.Is(err, flow.ErrExecutionAlreadyExists) {
		t.Fatalf("restart of a running execution: %v, want ErrExecutionAlreadyExists", err)
	}
	if err := x.SendTaskFailure(ctx, rec.last(t), "RatingWithdrawn", "ended"); err != nil {
		t.Fatal(err)
	}
	ended, _ := x.Get("c-1")
	if ended.Status() != flow.Failed {
		t.Fatalf("status %s, want failed", ended.Status())
	}
	e, err := x.Restart(ctx, "c-1", in)
	if err != nil {
		t.Fatal(err)
	}
	if e.Status() != flow.Running || len(e.Tokens()) != 1 {
		t.Fatalf("restarted: %s with tokens %v, want running and waiting again", e.Status(), e.Tokens())
	}
	if got, _ := x.Get("c-1"); got != e {
		t.Error("the executor still holds the ended execution")
	}
	s, err := store.Load(ctx, x.ExecutionID("c-1"))
	if err != nil || s.Status != flow.Running {
		t.Errorf("stored snapshot %s %v, want the new running one", s.Status, err)
	}
	if _, err := x.Restart(ctx, "c-2", in); err != nil {
		t.Errorf("restart of an unknown name starts it: %v", err)
	}
}

func TestNew_TaskWithoutHandlerNamesState(t *testing.T) {
	m := mustParse(t, string(readFixture(t, "token.asl.json")))
	_, err := flow.New(m, flow.Handlers{"tray": fixtureHandlers()["tray"]}, flow.Options{Clock: flow.NewFakeClock(t0)})
	if err == nil || !strings.Contains(err.Error(), `"EscalateRating"`) || !strings.Contains(err.Error(), `"escalate"`) {
		t.Fatalf("got %v", err)
	}
}

// The lead's contact.asl.json parses with its substitutions and binds to one handler per function.
func TestContactMachineBinds(t *testing.T) {
	subst := map[string]string{"DeadLetterQueueUrl": "http://127.0.0.1/queue/dlq"}
	keys := map[string]string{"OutOfHoursFunctionArn": "out-of-hours", "ScreeningFunctionArn": "screening",
		"TrayFunctionArn": "tray", "EscalateFunctionArn": "escalate", "PartnerChecksFunctionArn": "partner-checks",
		"NotificationsFunctionArn": "notifications"}
	h := flow.Handlers{"sqs:sendMessage": func(context.Context, json.RawMessage) (json.RawMessage, error) { return nil, nil }}
	for k, name := range keys {
		subst[k] = "arn:aws:lambda:eu-west-2:000000000000:function:" + name
		h[name] = h["sqs:sendMessage"]
	}
	m, err := flow.Parse(statemachines.Contact, subst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := flow.New(m, h, flow.Options{Clock: flow.NewFakeClock(t0)}); err != nil {
		t.Fatal(err)
	}
	delete(subst, "TrayFunctionArn")
	if _, err := flow.Parse(statemachines.Contact, subst); err == nil || !strings.Contains(err.Error(), `"AwaitRating"`) {
		t.Fatalf("missing substitution: %v", err)
	}
}

func TestParse_ErrorsNameTheState(t *testing.T) {
	cases := map[string]struct{ def, state string }{
		"unknown type":      {`{"StartAt":"A","States":{"A":{"Type":"Dance","End":true}}}`, `"A"`},
		"missing target":    {`{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nope"}}}`, `"A"`},
		"unsupported field": {`{"StartAt":"A","States":{"A":{"Type":"Pass","Seconds":3,"End":true}}}`, `"A"`},
		"unreachable":       {`{"StartAt":"A","States":{"A":{"Type":"Succeed"},"B":{"Type":"Succeed"}}}`, `"B"`},
		"choice without Next": {`{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.x","StringEquals":"y"}],"Default":"D"},"D":{"Type":"Succeed"}}}`,
			`"C"`},
		"choice two ops": {`{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.x","StringEquals":"y","NumericEquals":1,"Next":"D"}]},"D":{"Type":"Succeed"}}}`,
			`"C"`},
		"no Next or End": {`{"StartAt":"A","States":{"A":{"Type":"Pass"}}}`, `"A"`},
		"bad intrinsic":  {`{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"x.$":"States.Nope(1)"},"End":true}}}`, `"A"`},
		"bad path":       {`{"StartAt":"A","States":{"A":{"Type":"Pass","InputPath":"$..x","End":true}}}`, `"A"`},
		"States.ALL not last": {`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-2:1:function:f","Catch":[{"ErrorEquals":["States.ALL"],"Next":"D"},{"ErrorEquals":["X"],"Next":"D"}],"End":true},"D":{"Type":"Succeed"}}}`,
			`"T"`},
		"nested map state": {`{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","Next":"Gone"}}},"End":true}}}`,
			`"I"`},
		"missing substitution": {`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"${Unknown}"},"End":true}}}`,
			`"T"`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := flow.Parse([]byte(c.def), nil)
			if err == nil || !strings.Contains(err.Error(), c.state) {
				t.Fatalf("got %v, want an error naming %s", err, c.state)
			}
		})
	}
}

func TestFunctionKey(t *testing.T) {
	for in, want := range map[string]string{
		"arn:aws:lambda:eu-west-2:000000000000:function:out-of-hours":         "out-of-hours",
		"arn:aws:lambda:eu-west-2:000000000000:function:out-of-hours:$LATEST": "out-of-hours",
		"000000000000:function:screening":                                     "screening",
		"notifications":                                                       "notifications",
	} {
		if got := flow.FunctionKey(in); got != want {
			t.Errorf("FunctionKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestErrorType_LikeAWSLambdaGo(t *testing.T) {
	if got := flow.ErrorType(&AgencyUnavailable{}); got != "AgencyUnavailable" {
		t.Fatal(got)
	}
	if got := flow.ErrorType(ConsentRequired{}); got != "ConsentRequired" {
		t.Fatal(got)
	}
}

func run(t *testing.T, def string, h flow.Handlers, input string) (*flow.Executor, *flow.FakeClock, *flow.Execution) {
	t.Helper()
	x, clk := newExec(t, mustParse(t, def), h, nil)
	e, err := x.Start(context.Background(), "t", json.RawMessage(input))
	if err != nil {
		t.Fatal(err)
	}
	return x, clk, e
}

func TestWait_TimestampPath(t *testing.T) {
	def := `{"StartAt":"W","States":{"W":{"Type":"Wait","TimestampPath":"$.openAt","Next":"D"},"D":{"Type":"Succeed"}}}`
	x, clk, e := run(t, def, nil, `{"openAt":"2027-12-29T08:00:00Z"}`) // the MASH reopens after Christmas
	if due, ok := e.NextDue(); !ok || !due.Equal(time.Date(2027, 12, 29, 8, 0, 0, 0, time.UTC)) {
		t.Fatalf("due %s", due)
	}
	clk.Set(time.Date(2027, 12, 29, 7, 59, 59, 0, time.UTC))
	_ = x.RunDue(context.Background())
	if e.Status() != flow.Running {
		t.Fatal("ended early")
	}
	clk.Advance(time.Second)
	_ = x.RunDue(context.Background())
	if e.Status() != flow.Succeeded {
		t.Fatal(e.Status())
	}
	// A timestamp in the past does not wait.
	_, _, e2 := run(t, def, nil, `{"openAt":"2020-01-01T00:00:00Z"}`)
	if e2.Status() != flow.Succeeded {
		t.Fatal(e2.Status())
	}
	// Seconds and SecondsPath.
	_, _, e3 := run(t, `{"StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$.s","Next":"V"},"V":{"Type":"Wait","Seconds":10,"End":true}}}`, nil, `{"s":5}`)
	if due, _ := e3.NextDue(); !due.Equal(t0.Add(5 * time.Second)) {
		t.Fatalf("due %s", due)
	}
}

// Retry: IntervalSeconds × BackoffRate^n, capped by MaxDelaySeconds, then Catch; States.TaskFailed does
// not match States.Timeout.
func TestRetryBackoffThenCatch(t *testing.T) {
	calls := 0
	h := flow.Handlers{"f": func(context.Context, json.RawMessage) (json.RawMessage, error) {
		calls++
		return nil, &TransientError{}
	}}
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-2:1:function:f",
	  "Retry":[{"ErrorEquals":["States.TaskFailed"],"IntervalSeconds":2,"MaxAttempts":3,"BackoffRate":2,"MaxDelaySeconds":5}],
	  "Catch":[{"ErrorEquals":["TransientError"],"ResultPath":"$.err","Next":"D"}],"End":true},"D":{"Type":"Succeed"}}}`
	x, clk, e := run(t, def, h, `{"k":1}`)
	var gaps []time.Duration
	for e.Status() == flow.Running {
		due, ok := e.NextDue()
		if !ok {
			t.Fatal("stuck")
		}
		gaps = append(gaps, due.Sub(clk.Now()))
		clk.Set(due)
		_ = x.RunDue(context.Background())
	}
	if diff := cmp.Diff([]time.Duration{2 * time.Second, 4 * time.Second, 5 * time.Second}, gaps); diff != "" {
		t.Fatal(diff)
	}
	out := obj(t, e.Output())
	if calls != 4 || out["err"].(map[string]any)["Error"] != "TransientError" || out["k"] == nil {
		t.Fatalf("calls %d out %s", calls, e.Output())
	}
}

// Map with a task token per item: each iteration pauses and resumes independently; MaxConcurrency 1
// starts the next only when the previous ends; one iteration times out into its own escalation.
func TestMap_TokenPerItem(t *testing.T) {
	var mu sync.Mutex
	tokens := map[string]string{}
	h := flow.Handlers{
		"ask": func(_ context.Context, p json.RawMessage) (json.RawMessage, error) {
			var in struct{ Agency, Token string }
			_ = json.Unmarshal(p, &in)
			mu.Lock()
			tokens[in.Agency] = in.Token
			mu.Unlock()
			return nil, nil
		},
		"overdue": func(_ context.Context, p json.RawMessage) (json.RawMessage, error) { return p, nil },
	}
	def := `{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.agencies","MaxConcurrency":2,
	  "ItemSelector":{"agency.$":"$$.Map.Item.Value","i.$":"$$.Map.Item.Index"},
	  "ItemProcessor":{"StartAt":"Ask","States":{
	    "Ask":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
	      "Parameters":{"FunctionName":"ask","Payload":{"Agency.$":"$.agency","Token.$":"$$.Task.Token"}},
	      "TimeoutSeconds":14400,"Catch":[{"ErrorEquals":["States.Timeout"],"ResultPath":"$.late","Next":"Overdue"}],"End":true},
	    "Overdue":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"overdue","Payload":{"agency.$":"$.agency"}},
	      "OutputPath":"$.Payload","End":true}}},
	  "ResultPath":"$.checks","End":true}}}`
	x, clk, e := run(t, def, h, `{"agencies":["police","health","school"]}`)
	ctx := context.Background()
	if len(e.Tokens()) != 2 {
		t.Fatalf("MaxConcurrency 2: waiting %v", e.Tokens())
	}
	if err := x.SendTaskSuccess(ctx, tokens["health"], json.RawMessage(`{"answered":"health"}`)); err != nil {
		t.Fatal(err)
	}
	if _, ok := tokens["school"]; !ok {
		t.Fatal("third iteration did not start when one ended")
	}
	if err := x.SendTaskSuccess(ctx, tokens["school"], json.RawMessage(`{"answered":"school"}`)); err != nil {
		t.Fatal(err)
	}
	clk.Advance(4 * time.Hour) // Red: police did not answer within four hours (Hackney seed 001)
	_ = x.RunDue(ctx)
	if e.Status() != flow.Succeeded {
		t.Fatal(e.Status())
	}
	want := map[string]any{"agencies": []any{"police", "health", "school"}, "checks": []any{
		map[string]any{"agency": "police"}, map[string]any{"answered": "health"}, map[string]any{"answered": "school"}}}
	if diff := cmp.Diff(want, obj(t, e.Output())); diff != "" {
		t.Fatal(diff)
	}
}

func TestParallelAndPassFields(t *testing.T) {
	def := `{"StartAt":"P","States":{
	  "P":{"Type":"Parallel","InputPath":"$.in","Parameters":{"v.$":"$.v"},"Branches":[
	     {"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"a.$":"States.MathAdd($.v, 1)"},"End":true}}},
	     {"StartAt":"B","States":{"B":{"Type":"Pass","Result":"b","ResultPath":"$.b","End":true}}}],
	   "ResultSelector":{"first.$":"$[0].a","second.$":"$[1]"},"ResultPath":"$.out","Next":"Q"},
	  "Q":{"Type":"Pass","OutputPath":"$.out","Next":"F"},
	  "F":{"Type":"Choice","Choices":[{"Variable":"$.first","NumericEquals":42,"Next":"Fail"}],"Default":"S"},
	  "S":{"Type":"Succeed"},
	  "Fail":{"Type":"Fail","ErrorPath":"$.second.b","Cause":"c"}}}`
	_, _, e := run(t, def, nil, `{"in":{"v":41}}`)
	name, cause := e.Error()
	if e.Status() != flow.Failed || name != "b" || cause != "c" {
		t.Fatalf("%s %s %s", e.Status(), name, cause)
	}
	_, _, e2 := run(t, def, nil, `{"in":{"v":1}}`)
	want := map[string]any{"first": 2.0, "second": map[string]any{"v": 1.0, "b": "b"}}
	if diff := cmp.Diff(want, obj(t, e2.Output())); diff != "" {
		t.Fatal(diff)
	}
	// No rule matches and no Default: States.NoChoiceMatched.
	_, _, e3 := run(t, `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.x","IsPresent":true,"Next":"S"}]},"S":{"Type":"Succeed"}}}`, nil, `{}`)
	if n, _ := e3.Error(); n != "States.NoChoiceMatched" {
		t.Fatal(n)
	}
}

func TestExecutionTimeout(t *testing.T) {
	x, clk, e := run(t, `{"StartAt":"W","TimeoutSeconds":60,"States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`, nil, `{}`)
	clk.Advance(time.Minute)
	_ = x.RunDue(context.Background())
	if e.Status() != flow.TimedOut {
		t.Fatal(e.Status())
	}
}

// Concurrent answers and clock ticks on many executions (run with -race).
func TestConcurrentDriving(t *testing.T) {
	rec := &trayRecorder{}
	x, clk := newExec(t, mustParse(t, string(readFixture(t, "token.asl.json"))), rec.handlers(), nil)
	ctx := context.Background()
	const n = 20
	for i := 0; i < n; i++ {
		if _, err := x.Start(ctx, "c"+string(rune('a'+i)), json.RawMessage(`{"contactId":"c","timeoutSeconds":600,"heartbeatSeconds":300}`)); err != nil {
			t.Fatal(err)
		}
	}
	rec.mu.Lock()
	toks := append([]string(nil), rec.tokens...)
	rec.mu.Unlock()
	var wg sync.WaitGroup
	for _, tok := range toks {
		wg.Add(2)
		go func() { defer wg.Done(); _ = x.SendTaskSuccess(ctx, tok, json.RawMessage(`{}`)) }()
		go func() { defer wg.Done(); clk.Advance(time.Second); _ = x.RunDue(ctx) }()
	}
	wg.Wait()
	for i := 0; i < n; i++ {
		e, _ := x.Get("c" + string(rune('a'+i)))
		if e.Status() != flow.Succeeded {
			t.Fatalf("%s: %s", e.Name(), e.Status())
		}
	}
}

// TestSnapshotResume_MidMap: an execution saved while its Map has one iteration done, one waiting on its token
// and one not yet started (MaxConcurrency 2) goes on in a new Executor over the same store — the items, the
// finished iteration's output and every waiting state's input read back from the snapshot's JSON — and ends as
// the same execution run in one process does, the context object ($$.Execution.Input) included.
func TestSnapshotResume_MidMap(t *testing.T) {
	def := `{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.agencies","MaxConcurrency":2,
	  "ItemSelector":{"agency.$":"$$.Map.Item.Value","i.$":"$$.Map.Item.Index","ref.$":"$.ref"},
	  "ItemProcessor":{"StartAt":"Ask","States":{
	    "Ask":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
	      "Parameters":{"FunctionName":"ask","Payload":{"Agency.$":"$.agency","Token.$":"$$.Task.Token"}},
	      "ResultPath":"$.answer","End":true}}},
	  "ResultPath":"$.checks","Next":"P"},
	  "P":{"Type":"Pass","Parameters":{"checks.$":"$.checks","started.$":"$$.Execution.Input.ref","n.$":"States.ArrayLength($.checks)"},"End":true}}}`
	m := mustParse(t, def)
	var mu sync.Mutex
	tokens := map[string]string{}
	h := flow.Handlers{"ask": func(_ context.Context, p json.RawMessage) (json.RawMessage, error) {
		var in struct{ Agency, Token string }
		if err := json.Unmarshal(p, &in); err != nil {
			return nil, err
		}
		mu.Lock()
		tokens[in.Agency] = in.Token
		mu.Unlock()
		return nil, nil
	}}
	ctx := context.Background()
	input := json.RawMessage(`{"ref":"HAC-1","agencies":["police","health","school"]}`)
	answer := func(x *flow.Executor, agency string) {
		t.Helper()
		mu.Lock()
		tok := tokens[agency]
		mu.Unlock()
		if err := x.SendTaskSuccess(ctx, tok, json.RawMessage(`{"answered":"`+agency+`"}`)); err != nil {
			t.Fatalf("%s: %v", agency, err)
		}
	}

	// In one process.
	x, _ := newExec(t, m, h, nil)
	e, err := x.Start(ctx, "one", input)
	if err != nil {
		t.Fatal(err)
	}
	answer(x, "health")
	answer(x, "school")
	answer(x, "police")
	if e.Status() != flow.Succeeded {
		t.Fatalf("in one process: %s", e.Status())
	}
	want := obj(t, e.Output())

	// Saved mid-Map, resumed by another Executor.
	store := flow.NewMemoryStore()
	x1, clk := newExec(t, m, h, store)
	if _, err := x1.Start(ctx, "two", input); err != nil {
		t.Fatal(err)
	}
	answer(x1, "health") // police waits; school starts and waits
	x2, err := flow.New(m, h, flow.Options{Clock: clk, Store: store})
	if err != nil {
		t.Fatal(err)
	}
	resumed, err := x2.ResumeAll(ctx)
	if err != nil || len(resumed) != 1 {
		t.Fatalf("resumed %d: %v", len(resumed), err)
	}
	if got := len(resumed[0].Tokens()); got != 2 {
		t.Fatalf("resumed execution waits on %d tokens, want 2 (police, school): %v", got, resumed[0].Tokens())
	}
	answer(x2, "school")
	answer(x2, "police")
	if resumed[0].Status() != flow.Succeeded {
		t.Fatalf("resumed: %s", resumed[0].Status())
	}
	if diff := cmp.Diff(want, obj(t, resumed[0].Output())); diff != "" {
		t.Fatalf("resumed mid-Map (-one process +resumed):\n%s", diff)
	}
	if want["started"] != "HAC-1" || want["n"] != float64(3) {
		t.Fatalf("output %v", want)
	}
}
