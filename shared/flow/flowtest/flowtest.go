// Package flowtest runs a state machine in both the Go executor (shared/flow) and the reference
// executor aws-local-stepfunctions (Node 22, installed by scripts/tools.sh) with the same Go handlers,
// so tests can compare the two.
//
// Token tasks (.waitForTaskToken) cannot run in the reference (it has no task tokens): pass inputs whose
// paths avoid them. ConformanceRun fails the test if the Go execution pauses on a task token.
//
// Known divergence, normalised here: for a Lambda function error, AWS (and shared/flow) report Cause as
// the function's error payload {"errorMessage":…,"errorType":…} as a JSON string, while
// aws-local-stepfunctions reports "errorType: errorMessage". Reference outputs are rewritten to the AWS
// form before comparison; nothing else is touched.
package flowtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/flow"
	"github.com/safeguarding/mash/shared/testenv"
)

// Result is one executor's outcome: Output when it succeeded, Error/Cause when it failed.
type Result struct {
	Output json.RawMessage `json:"output,omitempty"`
	Error  string          `json:"error,omitempty"`
	Cause  string          `json:"cause,omitempty"`
}

// ConformanceRun runs def (after subst) on input in shared/flow (fake clock, advanced to each due time)
// and in aws-local-stepfunctions, each with fresh handlers from newHandlers (so call-counting handlers
// start from zero in both), and returns both results with the reference's Lambda error causes in AWS form.
func ConformanceRun(t testing.TB, def []byte, subst map[string]string, input json.RawMessage,
	newHandlers func() flow.Handlers) (goRes, refRes Result) {
	t.Helper()
	return RunGo(t, def, subst, input, newHandlers()), RunReference(t, def, subst, input, newHandlers())
}

// RunGo runs the definition in shared/flow to completion, advancing a fake clock.
func RunGo(t testing.TB, def []byte, subst map[string]string, input json.RawMessage, h flow.Handlers) Result {
	t.Helper()
	m, err := flow.Parse(def, subst)
	if err != nil {
		t.Fatal(err)
	}
	clk := flow.NewFakeClock(time.Date(2027, 12, 24, 16, 59, 0, 0, time.UTC))
	x, err := flow.New(m, h, flow.Options{Clock: clk, Jitter: func() float64 { return 0.5 }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	e, err := x.Start(ctx, "conformance", input)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; e.Status() == flow.Running; i++ {
		due, ok := e.NextDue()
		if !ok || i > 10000 {
			t.Fatalf("flow: execution paused with nothing due (a task token? %v); conformance paths must avoid token states", e.Tokens())
		}
		if due.After(clk.Now()) {
			clk.Set(due)
		}
		if err := x.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
	}
	name, cause := e.Error()
	return Result{Output: e.Output(), Error: name, Cause: cause}
}

// RunReference runs the definition in aws-local-stepfunctions with Lambda calls answered by h.
func RunReference(t testing.TB, def []byte, subst map[string]string, input json.RawMessage, h flow.Handlers) Result {
	t.Helper()
	node := testenv.Node22(t)
	modules := testenv.NodeModules(t)
	script := filepath.Join(testenv.Root(t), "statemachines", "testdata", "run-asl.mjs")
	text := string(def)
	for k, v := range subst {
		q, _ := json.Marshal(v)
		text = strings.ReplaceAll(text, "${"+k+"}", string(q[1:len(q)-1]))
	}
	srv := httptest.NewServer(LambdaServer(h))
	defer srv.Close()
	req, err := json.Marshal(map[string]json.RawMessage{"definition": json.RawMessage(text), "input": input})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, script)
	cmd.Stdin = bytes.NewReader(req)
	cmd.Env = append(os.Environ(),
		"ASL_NODE_MODULES="+modules,
		"AWS_ENDPOINT_URL_LAMBDA="+srv.URL,
		"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_SESSION_TOKEN=",
		"AWS_REGION=eu-west-2", "AWS_DEFAULT_REGION=eu-west-2", "AWS_PROFILE=", "AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("aws-local-stepfunctions: %v\n%s", err, stderr.String())
	}
	var r Result
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("aws-local-stepfunctions printed %q: %v\n%s", out, err, stderr.String())
	}
	if r.Output != nil {
		v, err := normalise(r.Output)
		if err != nil {
			t.Fatal(err)
		}
		r.Output = v
	}
	r.Cause = normaliseCause(r.Error, r.Cause)
	return r
}

// LambdaServer answers the Lambda Invoke API (POST /2015-03-31/functions/<name>/invocations) with h.
// Calls to the pseudo-function arn:aws:states:::lambda:invoke (how aws-local-stepfunctions runs that
// integration) are unwrapped: the handler gets Payload and the reply is the lambda:invoke result
// envelope, as Step Functions builds it. Other arn:aws:states:::SERVICE:ACTION resources go to the
// "SERVICE:ACTION" handler with the Parameters as payload.
func LambdaServer(h flow.Handlers) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest, ok := strings.CutPrefix(r.URL.EscapedPath(), "/2015-03-31/functions/")
		name, ok2 := strings.CutSuffix(rest, "/invocations")
		if !ok || !ok2 || r.Method != http.MethodPost {
			http.Error(w, `{"message":"not the Invoke API"}`, http.StatusNotFound)
			return
		}
		name, _ = url.PathUnescape(name)
		body, _ := io.ReadAll(r.Body)
		payload := json.RawMessage(body)
		envelope := false
		res := strings.TrimSuffix(name, ".waitForTaskToken")
		key := flow.FunctionKey(res)
		switch {
		case res == "arn:aws:states:::lambda:invoke":
			var p struct {
				FunctionName string
				Payload      json.RawMessage
			}
			if err := json.Unmarshal(body, &p); err != nil {
				http.Error(w, `{"message":"bad lambda:invoke parameters"}`, http.StatusBadRequest)
				return
			}
			key, payload, envelope = flow.FunctionKey(p.FunctionName), p.Payload, true
			if payload == nil {
				payload = json.RawMessage("null")
			}
		case strings.HasPrefix(res, "arn:aws:states:::"):
			key = strings.TrimPrefix(res, "arn:aws:states:::")
		}
		handler := h[key]
		if handler == nil {
			w.Header().Set("X-Amzn-ErrorType", "ResourceNotFoundException")
			http.Error(w, fmt.Sprintf(`{"message":"no handler %q"}`, key), http.StatusNotFound)
			return
		}
		out, err := handler(r.Context(), payload)
		w.Header().Set("Content-Type", "application/json")
		if err != nil {
			w.Header().Set("X-Amz-Function-Error", "Unhandled")
			_, _ = w.Write(flow.LambdaErrorPayload(err))
			return
		}
		if len(bytes.TrimSpace(out)) == 0 {
			out = json.RawMessage("null")
		}
		if envelope {
			if out, err = flow.LambdaInvokeResult(out); err != nil {
				w.Header().Set("X-Amz-Function-Error", "Unhandled")
				_, _ = w.Write([]byte(`{"errorType":"InvalidJSON","errorMessage":"handler returned invalid JSON"}`))
				return
			}
		}
		_, _ = w.Write(out)
	})
}

// normalise rewrites {"Error": T, "Cause": "T: msg"} objects to the AWS Lambda form of Cause.
func normalise(raw json.RawMessage) (json.RawMessage, error) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	var fix func(any) any
	fix = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			if name, ok := x["Error"].(string); ok && len(x) == 2 {
				if cause, ok := x["Cause"].(string); ok {
					x["Cause"] = normaliseCause(name, cause)
					return x
				}
			}
			for k, val := range x {
				x[k] = fix(val)
			}
		case []any:
			for i, val := range x {
				x[i] = fix(val)
			}
		}
		return v
	}
	return json.Marshal(fix(v))
}

func normaliseCause(name, cause string) string {
	if name == "" || strings.HasPrefix(name, "States.") {
		return cause
	}
	if msg, ok := strings.CutPrefix(cause, name+": "); ok {
		b, _ := json.Marshal(struct {
			Message string `json:"errorMessage"`
			Type    string `json:"errorType"`
		}{msg, name})
		return string(b)
	}
	return cause
}
