package pool

import (
	"context"
	"sync/atomic"
	"testing"
)

func TestEach_EveryIndexOnceWithinTheBound(t *testing.T) {
	for _, tc := range []struct{ n, workers int }{{0, 4}, {1, 4}, {10, 1}, {10, 3}, {100, 16}} {
		done := make([]int32, tc.n)
		var running, most atomic.Int32
		Each(context.Background(), tc.n, tc.workers, func(i int) {
			r := running.Add(1)
			for m := most.Load(); r > m && !most.CompareAndSwap(m, r); m = most.Load() {
			}
			atomic.AddInt32(&done[i], 1)
			running.Add(-1)
		})
		for i, d := range done {
			if d != 1 {
				t.Errorf("n=%d workers=%d: index %d done %d times, want 1", tc.n, tc.workers, i, d)
			}
		}
		if m := int(most.Load()); m > tc.workers {
			t.Errorf("n=%d workers=%d: %d calls at once, want at most %d", tc.n, tc.workers, m, tc.workers)
		}
	}
}

func TestEach_StopsHandingOutOnceCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int32
	Each(ctx, 1000, 1, func(i int) {
		if calls.Add(1) == 5 {
			cancel()
		}
	})
	// One worker: the fifth call cancels; at most one more index was already being handed out.
	if c := calls.Load(); c < 5 || c > 6 {
		t.Errorf("calls after cancelling at the fifth = %d, want 5 or 6", c)
	}
	if ctx.Err() == nil {
		t.Error("ctx not cancelled")
	}
}
