package flow_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/safeguarding/mash/shared/flow"
)

// DropEnded: an executor that runs for long (`mash run`) lets go of each execution once it has ended and its
// last snapshot is saved, so what it holds does not grow with the executions it has run; Get reads an ended
// one back from the store. Reload replaces the held copy with the store's (after a failed commit): a running
// one is held again as stored, one the store does not have is let go.
func TestExecutor_DropEnded_HoldsOnlyRunningExecutions(t *testing.T) {
	m := mustParse(t, `{"StartAt":"Done","States":{"Done":{"Type":"Pass","Result":{"ok":true},"End":true}}}`)
	store := flow.NewMemoryStore()
	x, err := flow.New(m, flow.Handlers{}, flow.Options{Clock: flow.NewFakeClock(t0), Store: store, DropEnded: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := range 500 {
		e, err := x.Start(ctx, fmt.Sprintf("c%d", i), nil)
		if err != nil || e.Status() != flow.Succeeded {
			t.Fatalf("execution %d: %v %v", i, e, err)
		}
	}
	if n := x.Held(); n != 0 {
		t.Errorf("%d executions held after 500 ended, want 0", n)
	}
	e, ok := x.Get("c7")
	if !ok || e.Status() != flow.Succeeded || string(e.Output()) != `{"ok":true}` {
		t.Errorf("an ended execution read back: %v", ok)
	}
	if _, err := x.Start(ctx, "c7", nil); err == nil {
		t.Error("a name used by an ended, dropped execution was started again")
	}
	if err := x.Reload(ctx, x.ExecutionID("c7"), x.ExecutionID("never")); err != nil || x.Held() != 0 {
		t.Errorf("reload: %v, %d held", err, x.Held())
	}
}
