package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/internal/core"
)

// A unit of work is one SQLite transaction that a caller holds while it runs code that reads and writes the
// store through the context it is given (InTx): the local runner runs one step of a contact's workflow — the
// handlers' writes and the execution's snapshot — as one unit, so that they commit together or not at all,
// and the step's reads come from the transaction's own view (its writes included), on the writer's
// connection whose page cache stays warm. While a unit is held the writer does nothing else: other writes
// queue behind it, and reads without the unit's context go to the read pool as always. A unit is one member
// of the writer's group commit (see writer): a savepoint of the group's transaction, rolled back alone when it
// fails, committed with the writes and units queued around it, its caller told only after that commit.
type unit struct {
	mu sync.Mutex // one statement at a time (a step's code may use its context from several goroutines)
	tx *sql.Tx

	cmu   sync.Mutex
	cache map[[2]string]any // core.DocCache: decoded records the unit read or wrote, by pk and sk

	amu   sync.Mutex
	after []func(ctx context.Context) // store.AfterCommit: run once the outermost unit has committed
}

// AfterCommit implements store.AfterCommitter: fn runs after the unit's commit, or never if it rolls back.
func (u *unit) AfterCommit(fn func(ctx context.Context)) {
	u.amu.Lock()
	defer u.amu.Unlock()
	u.after = append(u.after, fn)
}

// pending is how many functions wait for the commit; dropAfter drops those handed over since it was n (a
// nested unit rolled back).
func (u *unit) pending() int {
	u.amu.Lock()
	defer u.amu.Unlock()
	return len(u.after)
}

func (u *unit) dropAfter(n int) {
	u.amu.Lock()
	defer u.amu.Unlock()
	clear(u.after[n:])
	u.after = u.after[:n]
}

// committed runs what waited for the commit, in the order it was handed over, with ctx (outside the unit).
func (u *unit) committed(ctx context.Context) {
	u.amu.Lock()
	fns := u.after
	u.after = nil
	u.amu.Unlock()
	for _, fn := range fns {
		fn(ctx)
	}
}

// UnitCache implements core.UnitCacher: the cache of ctx's unit (nil outside a unit).
func (b *backend) UnitCache(ctx context.Context) core.DocCache {
	if u := unitOf(ctx); u != nil {
		return u
	}
	return nil
}

// Load implements core.DocCache.
func (u *unit) Load(pk, sk string) (any, bool) {
	u.cmu.Lock()
	defer u.cmu.Unlock()
	v, ok := u.cache[[2]string{pk, sk}]
	return v, ok
}

// Store implements core.DocCache.
func (u *unit) Store(pk, sk string, v any) {
	u.cmu.Lock()
	defer u.cmu.Unlock()
	if u.cache == nil {
		u.cache = map[[2]string]any{}
	}
	u.cache[[2]string{pk, sk}] = v
}

// forget drops what the cache holds for the keys puts write (before they are written: a write that fails
// leaves the key uncached, and one that succeeds is stored again by its caller).
func (u *unit) forget(puts []core.Put) {
	u.cmu.Lock()
	defer u.cmu.Unlock()
	for _, p := range puts {
		delete(u.cache, [2]string{p.Item.PK, p.Item.SK})
	}
}

// forgetAll empties the cache: a part of the unit was rolled back.
func (u *unit) forgetAll() {
	u.cmu.Lock()
	defer u.cmu.Unlock()
	clear(u.cache)
}

type unitKey struct{}

func unitOf(ctx context.Context) *unit {
	u, _ := ctx.Value(unitKey{}).(*unit)
	return u
}

// holdReq is a writeReq that holds the writer for a unit of work.
type holdReq struct {
	started chan *unit // the unit, once its transaction has begun (nil: it could not begin; see done)
	finish  chan error // the unit's result: nil commits, an error rolls back
}

// InTx runs fn as one unit of work: every store call fn makes with the context it is given reads and writes
// inside one SQLite transaction, committed when fn returns nil and rolled back when it returns an error
// (or panics: the panic is answered as an error). A call with a context already inside a unit joins it, in
// a savepoint of its own: a nested unit that fails (or panics) is rolled back alone, and the outer unit
// decides what to do with its error (intake keeps a new contact whose workflow's first drive failed). fn
// must make its store calls with that context: a write made with another context from inside fn would wait
// for the unit to end. What fn hands to store.AfterCommit runs after the outermost unit's commit, with ctx
// (outside the unit), before InTx returns; a unit (or nested unit) that rolls back drops what was handed over
// inside it.
func (x *Executions) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return x.b.inTx(ctx, fn)
}

// nested runs fn inside the unit u in a savepoint: rolled back to it when fn fails or panics.
func (b *backend) nested(ctx context.Context, u *unit, fn func(ctx context.Context) error) (err error) {
	sp := func(q string) error {
		u.mu.Lock()
		defer u.mu.Unlock()
		_, err := b.txExec(ctx, u.tx, q)
		return err
	}
	if err := sp(nestedSavepointSQL); err != nil {
		return err
	}
	pending := u.pending()
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("embedded: a unit of work panicked and was rolled back: %v", p)
		}
		if err != nil {
			u.forgetAll()        // what the nested unit wrote is undone
			u.dropAfter(pending) // and what was to follow its commit
			if rerr := sp(nestedRollbackToSQL); rerr != nil {
				err = errors.Join(err, rerr)
			}
		}
		if rerr := sp(nestedReleaseSQL); rerr != nil {
			err = errors.Join(err, rerr)
		}
	}()
	return fn(ctx)
}

func (b *backend) inTx(ctx context.Context, fn func(ctx context.Context) error) (err error) {
	if u := unitOf(ctx); u != nil {
		return b.nested(ctx, u, fn)
	}
	h := &holdReq{started: make(chan *unit, 1), finish: make(chan error, 1)}
	req := &writeReq{hold: h, batch: store.BatchOf(ctx), done: make(chan error, 1)}
	if err := b.enqueue(req); err != nil {
		return err
	}
	u := <-h.started
	if u == nil {
		return <-req.done
	}
	defer func() {
		if p := recover(); p != nil {
			// a step that panics is rolled back and answered as an error, so the writer is released and the
			// runner carries on with the other contacts (the execution stays at its last committed step)
			err = fmt.Errorf("embedded: a unit of work panicked and was rolled back: %v", p)
			h.finish <- err
			<-req.done
			return
		}
		h.finish <- err
		if cerr := <-req.done; err == nil {
			err = cerr
		}
		if err == nil {
			u.committed(ctx)
		}
	}()
	return fn(context.WithValue(store.WithAfterCommit(ctx, u), unitKey{}, u))
}

// unitWrite applies one atomic write inside a unit: a savepoint, so that a failed condition undoes this
// write only, as the writer does for each write of a batch.
func (b *backend) unitWrite(ctx context.Context, u *unit, puts []core.Put) error {
	u.forget(puts)
	u.mu.Lock()
	defer u.mu.Unlock()
	if _, err := b.txExec(ctx, u.tx, savepointSQL); err != nil {
		return err
	}
	werr := b.exec(ctx, u.tx, puts)
	if werr != nil {
		if _, err := b.txExec(ctx, u.tx, rollbackToSQL); err != nil {
			return err
		}
	}
	if _, err := b.txExec(ctx, u.tx, releaseSQL); err != nil {
		return err
	}
	return werr
}

// unitOp runs a write of another table (Executions) inside a unit.
func (b *backend) unitOp(ctx context.Context, u *unit, op func(ctx context.Context, tx *sql.Tx) error) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	return op(ctx, u.tx)
}

// unitQuery runs a read inside a unit, with the statement prepared on the write connection when it is one
// of the prepared ones.
func (b *backend) unitQuery(ctx context.Context, u *unit, q string, args ...any) (*sql.Rows, error) {
	if st, ok := b.w.stmts.Load(q); ok {
		return u.tx.StmtContext(ctx, st.(*sql.Stmt)).QueryContext(ctx, args...)
	}
	return u.tx.QueryContext(ctx, q, args...)
}
