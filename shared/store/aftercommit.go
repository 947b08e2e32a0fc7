package store

import "context"

// A unit of work (the embedded store's Executions.InTx: a step's writes and its execution's snapshot in one
// SQLite transaction) may still roll back after a step inside it has run. What a step does outside the store
// — sending a message the outbox holds — must wait for the commit that holds what it reports: an
// acknowledgement sent from inside a unit that then rolls back gives the referrer a reference number that
// does not exist. AfterCommit is how a step defers it.

// AfterCommitter takes work to run once its unit of work has committed (see AfterCommit).
type AfterCommitter interface {
	AfterCommit(fn func(ctx context.Context))
}

type afterCommitKey struct{}

// WithAfterCommit returns ctx carrying a, for the code that runs inside a's unit of work (the store that
// holds the unit sets it; nothing else should).
func WithAfterCommit(ctx context.Context, a AfterCommitter) context.Context {
	return context.WithValue(ctx, afterCommitKey{}, a)
}

// AfterCommit hands fn to the unit of work ctx is in, which runs it once its outermost unit has committed,
// with a context outside the unit, and drops it if the unit (or the nested unit fn was handed to) rolls back:
// what fn would have reported rolled back with it. It answers false when ctx is in no unit (every write is
// committed when it returns, as on AWS): the caller acts now.
func AfterCommit(ctx context.Context, fn func(ctx context.Context)) bool {
	a, _ := ctx.Value(afterCommitKey{}).(AfterCommitter)
	if a == nil {
		return false
	}
	a.AfterCommit(fn)
	return true
}
