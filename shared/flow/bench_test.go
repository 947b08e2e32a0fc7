package flow_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/safeguarding/mash/shared/flow"
	"github.com/safeguarding/mash/shared/testenv"
)

// BenchmarkConformanceMachine runs the conformance fixture's longest path (retry, 3-item Map with a
// caught error, Parallel) to completion in the Go executor.
func BenchmarkConformanceMachine(b *testing.B) {
	def := readFixtureB(b, "conformance.asl.json")
	m, err := flow.Parse(def, fixtureSubst)
	if err != nil {
		b.Fatal(err)
	}
	input := json.RawMessage(`{"contactId":"c-1","authority":"a","rag":"red","closed":false,"attempt":1,` +
		`"agencies":["health","police","education"],"meta":{"k":"v"},"metaText":"{\"n\":2}"}`)
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		clk := flow.NewFakeClock(t0)
		x, err := flow.New(m, fixtureHandlers(), flow.Options{Clock: clk, Jitter: func() float64 { return 0 }})
		if err != nil {
			b.Fatal(err)
		}
		e, err := x.Start(ctx, fmt.Sprint("b", i), input)
		if err != nil {
			b.Fatal(err)
		}
		if err := x.RunDue(ctx); err != nil {
			b.Fatal(err)
		}
		if e.Status() != flow.Succeeded {
			b.Fatalf("status %s", e.Status())
		}
	}
}

func readFixtureB(b *testing.B, name string) []byte {
	b.Helper()
	return mustRead(b, name)
}

// BenchmarkConformanceVsReference runs the conformance machine's longest path warm in the Go executor and,
// in the same run, in aws-local-stepfunctions on Node 22 (statemachines/testdata/bench-asl.mjs: the same
// behaviour in in-process no-op handlers, so neither side pays for HTTP), and reports the reference's time
// per execution and the ratio (reference ÷ Go; issue #19's target is ≥ 5). Both runs must end with the same
// output.
func BenchmarkConformanceVsReference(b *testing.B) {
	def := readFixtureB(b, "conformance.asl.json")
	m, err := flow.Parse(def, fixtureSubst)
	if err != nil {
		b.Fatal(err)
	}
	input := json.RawMessage(`{"contactId":"c-1","authority":"a","rag":"red","closed":false,"attempt":1,` +
		`"agencies":["health","police","education"],"meta":{"k":"v"},"metaText":"{\"n\":2}"}`)
	ctx := context.Background()
	var last json.RawMessage
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		x, err := flow.New(m, fixtureHandlers(), flow.Options{Clock: flow.NewFakeClock(t0), Jitter: func() float64 { return 0 }})
		if err != nil {
			b.Fatal(err)
		}
		e, err := x.Start(ctx, fmt.Sprint("b", i), input)
		if err != nil {
			b.Fatal(err)
		}
		if err := x.RunDue(ctx); err != nil {
			b.Fatal(err)
		}
		last = e.Output()
	}
	goNs := float64(b.Elapsed().Nanoseconds()) / float64(b.N)

	text := string(def)
	for k, v := range fixtureSubst {
		text = strings.ReplaceAll(text, "${"+k+"}", v)
	}
	req, _ := json.Marshal(map[string]any{"definition": json.RawMessage(text), "input": input, "n": 300, "warmup": 100})
	cmd := exec.Command(testenv.Node22(b), filepath.Join(testenv.Root(b), "statemachines", "testdata", "bench-asl.mjs"))
	cmd.Stdin = bytes.NewReader(req)
	cmd.Env = append(os.Environ(), "ASL_NODE_MODULES="+testenv.NodeModules(b))
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("bench-asl.mjs: %v", err)
	}
	var ref struct {
		NsPerOp float64         `json:"nsPerOp"`
		Output  json.RawMessage `json:"output"`
	}
	if err := json.Unmarshal(out, &ref); err != nil {
		b.Fatalf("bench-asl.mjs printed %q: %v", out, err)
	}
	var g, r any
	_ = json.Unmarshal(last, &g)
	_ = json.Unmarshal(ref.Output, &r)
	if diff := cmp.Diff(r, g); diff != "" {
		b.Fatalf("the Go executor and aws-local-stepfunctions ended differently (-reference +go):\n%s", diff)
	}
	b.ReportMetric(ref.NsPerOp, "ref-ns/op")
	b.ReportMetric(ref.NsPerOp/goNs, "ref/go")
}
