package flow_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/safeguarding/mash/shared/flow"
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
