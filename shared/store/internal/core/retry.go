package core

import (
	"context"
	"math/rand/v2"
	"time"
)

// MaxConflictRetries bounds how often a DynamoDB write cancelled by a transaction conflict is sent again
// (both adapters: shared/store/dynamo and its wire twin).
const MaxConflictRetries = 12

// RetryConflicts sends a write until send says it was not cancelled by a conflict (retry false), at most
// MaxConflictRetries more times, backing off between attempts; it returns the last attempt's error.
func RetryConflicts(ctx context.Context, send func() (retry bool, err error)) error {
	for attempt := 0; ; attempt++ {
		retry, err := send()
		if !retry || attempt >= MaxConflictRetries {
			return err
		}
		if err := backoff(ctx, attempt); err != nil {
			return err
		}
	}
}

// Cancelled reads the reasons of a cancelled transaction, one code per item in the items' order: the first
// ConditionalCheckFailed is that item's CondFailedError (cond); conflicted says whether a TransactionConflict
// cancelled it, so that it may be sent again.
func Cancelled(codes []string) (cond error, conflicted bool) {
	for i, c := range codes {
		switch c {
		case "ConditionalCheckFailed":
			return &CondFailedError{Index: i}, false
		case "TransactionConflict":
			conflicted = true
		}
	}
	return nil, conflicted
}

// backoff sleeps a jittered, growing interval (5 ms .. ~300 ms).
func backoff(ctx context.Context, attempt int) error {
	d := time.Duration(5<<min(attempt, 6)) * time.Millisecond
	d = d/2 + time.Duration(rand.Int64N(int64(d)))
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}
