// Package pool runs the same work on each index of a list with a bounded number of goroutines.
package pool

import (
	"context"
	"sync"
)

// Each calls do(i) for each i in [0, n) on at most workers goroutines at once, handing out the indexes in
// order, and returns once every call it began has returned. Once ctx is done it hands out no more indexes:
// the caller checks ctx.Err() to learn whether every index was done. workers must be at least 1 when n is.
func Each(ctx context.Context, n, workers int, do func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				do(i)
			}
		}()
	}
	for i := range n {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
}
