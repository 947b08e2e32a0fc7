package flow_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/safeguarding/mash/shared/flow"
	"github.com/safeguarding/mash/shared/flow/flowtest"
	"github.com/safeguarding/mash/shared/testenv"
)

// Error types named exactly as the fixtures' ErrorEquals strings (aws-lambda-go reports the type name).
type TransientError struct{}

func (*TransientError) Error() string { return "store briefly unavailable" }

type AgencyUnavailable struct{ Agency string }

func (e *AgencyUnavailable) Error() string { return "agency " + e.Agency + " did not answer" }

type ConsentRequired struct{}

func (ConsentRequired) Error() string { return "consent is required" }

type Boom struct{}

func (*Boom) Error() string { return "boom" }

var fixtureSubst = map[string]string{
	"ScreeningFunctionArn":     "arn:aws:lambda:eu-west-2:000000000000:function:screening",
	"NotificationsFunctionArn": "arn:aws:lambda:eu-west-2:000000000000:function:notifications",
	"EscalateFunctionArn":      "arn:aws:lambda:eu-west-2:000000000000:function:escalate",
	"TrayFunctionArn":          "arn:aws:lambda:eu-west-2:000000000000:function:tray",
}

// fixtureHandlers returns fresh handlers; screening fails once with TransientError, then succeeds.
func fixtureHandlers() flow.Handlers {
	var mu sync.Mutex
	calls := 0
	return flow.Handlers{
		"screening": func(_ context.Context, p json.RawMessage) (json.RawMessage, error) {
			mu.Lock()
			calls++
			n := calls
			mu.Unlock()
			if n == 1 {
				return nil, &TransientError{}
			}
			return json.RawMessage(fmt.Sprintf(`{"next":"rating","calls":%d}`, n)), nil
		},
		"partner-check": func(_ context.Context, p json.RawMessage) (json.RawMessage, error) {
			var in struct {
				Agency string `json:"agency"`
				Index  int    `json:"index"`
			}
			if err := json.Unmarshal(p, &in); err != nil {
				return nil, err
			}
			switch in.Agency {
			case "police":
				return nil, &AgencyUnavailable{Agency: in.Agency}
			case "boom":
				return nil, &Boom{}
			}
			return json.RawMessage(fmt.Sprintf(`{"agency":%q,"answered":true,"index":%d}`, in.Agency, in.Index)), nil
		},
		"notifications": func(context.Context, json.RawMessage) (json.RawMessage, error) {
			return json.RawMessage(`{"sent":["referrer","school"]}`), nil
		},
		"escalate": func(context.Context, json.RawMessage) (json.RawMessage, error) {
			return nil, ConsentRequired{}
		},
		"tray": func(context.Context, json.RawMessage) (json.RawMessage, error) {
			return json.RawMessage(`{}`), nil
		},
	}
}

func readFixture(t *testing.T, name string) []byte { return mustRead(t, name) }

func mustRead(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testenv.Root(t), "statemachines", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestASLValidator runs asl-validator (pinned, Node 22) on every statemachines/*.asl.json and every
// fixture; the malformed fixture must be rejected by asl-validator and by flow.Parse.
func TestASLValidator(t *testing.T) {
	root := testenv.Root(t)
	node := testenv.Node22(t)
	bin := filepath.Join(testenv.NodeModules(t), "asl-validator", "dist", "bin", "asl-validator.js")
	machines, _ := filepath.Glob(filepath.Join(root, "statemachines", "*.asl.json"))
	if len(machines) == 0 {
		t.Fatal("no statemachines/*.asl.json to validate")
	}
	fixtures, _ := filepath.Glob(filepath.Join(root, "statemachines", "testdata", "*.asl.json"))
	for _, f := range append(machines, fixtures...) {
		name, _ := filepath.Rel(root, f)
		t.Run(name, func(t *testing.T) {
			out, err := exec.Command(node, bin, "--json-path", f).CombinedOutput()
			malformed := strings.HasPrefix(filepath.Base(f), "malformed")
			if malformed {
				if err == nil {
					t.Fatalf("asl-validator accepted the malformed %s:\n%s", name, out)
				}
				def, _ := os.ReadFile(f)
				_, perr := flow.Parse(def, nil)
				if perr == nil || !strings.Contains(perr.Error(), `"Screen"`) {
					t.Fatalf("flow.Parse on %s: %v (want an error naming state \"Screen\")", name, perr)
				}
				return
			}
			if err != nil {
				t.Fatalf("asl-validator rejected %s: %v\n%s", name, err, out)
			}
		})
	}
}

// TestConformance runs the fixture in shared/flow and in aws-local-stepfunctions with the same handlers
// and compares the results: Choice, Pass with Parameters/ResultPath/OutputPath, intrinsics, a
// lambda:invoke Task with ResultSelector retried once (TransientError), Map with ItemSelector and a
// caught AgencyUnavailable, Parallel, Wait, a caught ConsentRequired, a Fail state, an uncaught error.
func TestConformance(t *testing.T) {
	def := readFixture(t, "conformance.asl.json")
	cases := map[string]string{
		"red: retry, map with a caught error, parallel": `{"contactId":"c-1","authority":"a","rag":"red","closed":false,"attempt":1,` +
			`"agencies":["health","police","education"],"meta":{"k":"v"},"metaText":"{\"n\":2}"}`,
		"green: wait then a caught ConsentRequired": `{"contactId":"c-2","authority":"a","rag":"green","attempt":0,` +
			`"agencies":["health"],"meta":{},"metaText":"[1,2]"}`,
		"amber: Fail state": `{"contactId":"c-3","authority":"a","rag":"amber","attempt":0,"agencies":[],` +
			`"meta":null,"metaText":"true","seenAt":"2026-05-01T09:00:00Z"}`,
		"red: uncaught error inside the map": `{"contactId":"c-4","authority":"a","rag":"red","closed":false,"attempt":0,` +
			`"agencies":["boom"],"meta":1,"metaText":"1"}`,
	}
	for name, input := range cases {
		t.Run(name, func(t *testing.T) {
			goRes, refRes := flowtest.ConformanceRun(t, def, fixtureSubst, json.RawMessage(input), fixtureHandlers)
			if refRes.Output == nil && refRes.Error == "" {
				t.Fatalf("reference produced nothing: %+v", refRes)
			}
			if diff := cmp.Diff(asJSON(t, refRes), asJSON(t, goRes)); diff != "" {
				t.Errorf("flow differs from aws-local-stepfunctions (-ref +go):\n%s", diff)
			}
		})
	}
}

func asJSON(t *testing.T, r flowtest.Result) any {
	t.Helper()
	var out any
	if r.Output != nil {
		if err := json.Unmarshal(r.Output, &out); err != nil {
			t.Fatal(err)
		}
	}
	cause := r.Cause
	if strings.HasPrefix(r.Error, "States.") {
		cause = "(the executor's own wording)" // the two executors word runtime errors differently
	}
	return map[string]any{"output": out, "error": r.Error, "cause": cause}
}
