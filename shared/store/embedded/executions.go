package embedded

import (
	"context"
	"database/sql"
	"errors"
	"sync/atomic"
	"time"

	"github.com/safeguarding/mash/shared/store"
)

// The local runner's execution snapshots (shared/local) live in the same SQLite file as the items, in a table
// of their own keyed by execution id, with the time each one next has something to do in an indexed column:
// the runner finds due work with one index range read, never by decoding every snapshot, and a snapshot is
// written through the same writer (and group commit) as the items. Snapshots are the local executor's only:
// on AWS, Step Functions keeps the executions (nothing of this table is in the DynamoDB adapter).
const executionsSchema = `
CREATE TABLE IF NOT EXISTS executions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  due INTEGER,
  doc BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS executions_due ON executions (due) WHERE due IS NOT NULL;
CREATE TABLE IF NOT EXISTS executions_damaged (
  id TEXT NOT NULL,
  at INTEGER NOT NULL,
  why TEXT NOT NULL,
  doc BLOB
);
`

const (
	execCreateSQL = `INSERT INTO executions (id, due, doc) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING`
	execSaveSQL   = `INSERT INTO executions (id, due, doc) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET due = excluded.due, doc = excluded.doc`
	execAsideSQL  = `INSERT INTO executions_damaged (id, at, why, doc) SELECT id, ?, ?, doc FROM executions WHERE id = ?`
	execDropSQL   = `DELETE FROM executions WHERE id = ?`
	execLoadSQL   = `SELECT doc FROM executions WHERE id = ?`
	execSinceSQL  = `SELECT seq, id FROM executions WHERE seq > ? ORDER BY seq`
	execDueSQL    = `SELECT id FROM executions WHERE due IS NOT NULL AND due <= ? ORDER BY due`
)

var execWriteSQL = []string{execCreateSQL, execSaveSQL, execAsideSQL, execDropSQL}

// ErrExecutionExists is Executions.Create's answer for an id already stored.
var ErrExecutionExists = errors.New("embedded store: execution exists")

// NoDue is the due time of an execution with nothing to do without outside input (waiting on a person with no
// deadline) or ended: it is not in the due index.
var NoDue = time.Time{}

// Executions is the table of execution snapshots (see executionsSchema). Safe for concurrent use.
type Executions struct {
	b *backend
	// rows counts the rows its reads returned (Since, Due, Load), for tests of the work a tick does.
	rows atomic.Int64
}

// Executions returns the store's table of execution snapshots.
func (s *Store) Executions() *Executions { return s.b.execs }

func dueValue(due time.Time) any {
	if due.IsZero() {
		return nil
	}
	return due.UnixNano()
}

// Create stores a new snapshot; an existing id is ErrExecutionExists. due is when it next has something to
// do (NoDue: nothing without outside input).
func (x *Executions) Create(ctx context.Context, id string, due time.Time, doc []byte) error {
	return x.b.submitOp(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := x.b.txExec(ctx, tx, execCreateSQL, id, dueValue(due), doc)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return ErrExecutionExists
		}
		return nil
	})
}

// Save stores a snapshot, replacing the one of its id.
func (x *Executions) Save(ctx context.Context, id string, due time.Time, doc []byte) error {
	return x.b.submitOp(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := x.b.txExec(ctx, tx, execSaveSQL, id, dueValue(due), doc)
		return err
	})
}

// SetAside moves a snapshot that cannot be read to executions_damaged (kept for a person to look at, never read
// again), with why.
func (x *Executions) SetAside(ctx context.Context, id, why string, at time.Time) error {
	return x.b.submitOp(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := x.b.txExec(ctx, tx, execAsideSQL, at.UnixNano(), why, id); err != nil {
			return err
		}
		_, err := x.b.txExec(ctx, tx, execDropSQL, id)
		return err
	})
}

// Load returns a snapshot's bytes; nil (and no error) when there is none.
func (x *Executions) Load(ctx context.Context, id string) ([]byte, error) {
	var doc []byte
	var err error
	if u := unitOf(ctx); u != nil {
		u.mu.Lock()
		st, _ := x.b.w.stmts.Load(execLoadSQL)
		err = u.tx.StmtContext(ctx, st.(*sql.Stmt)).QueryRowContext(ctx, id).Scan(&doc)
		u.mu.Unlock()
	} else {
		st, serr := x.b.r.stmt(ctx, execLoadSQL)
		if serr != nil {
			return nil, serr
		}
		err = st.QueryRowContext(ctx, id).Scan(&doc)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err == nil {
		x.rows.Add(1)
	}
	return doc, err
}

// Since returns the ids of executions created after sequence number after (0: every one), oldest first, and
// the last sequence number seen (after when there are none): a runner learns of executions another process
// started in the same state folder without listing them all again.
func (x *Executions) Since(ctx context.Context, after int64) ([]string, int64, error) {
	st, err := x.b.r.stmt(ctx, execSinceSQL)
	if err != nil {
		return nil, after, err
	}
	rows, err := st.QueryContext(ctx, after)
	if err != nil {
		return nil, after, err
	}
	defer rows.Close()
	var ids []string
	last := after
	for rows.Next() {
		var id string
		if err := rows.Scan(&last, &id); err != nil {
			return nil, after, err
		}
		ids = append(ids, id)
	}
	x.rows.Add(int64(len(ids)))
	return ids, last, rows.Err()
}

// Due returns the ids of executions due by now, earliest first: one range read of the due index.
func (x *Executions) Due(ctx context.Context, now time.Time) ([]string, error) {
	st, err := x.b.r.stmt(ctx, execDueSQL)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, now.UnixNano())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	x.rows.Add(int64(len(ids)))
	return ids, rows.Err()
}

// Damaged counts the snapshots set aside.
func (x *Executions) Damaged(ctx context.Context) (int, error) {
	var n int
	err := x.b.r.db.QueryRowContext(ctx, `SELECT count(*) FROM executions_damaged`).Scan(&n)
	return n, err
}

// RowsRead is how many rows the table's reads have returned since Open (what a runner's tick costs).
func (x *Executions) RowsRead() int64 { return x.rows.Load() }

// submitOp queues a write that is not an item write for the writer, and waits for its commit.
func (b *backend) submitOp(ctx context.Context, op func(ctx context.Context, tx *sql.Tx) error) error {
	if u := unitOf(ctx); u != nil {
		return b.unitOp(ctx, u, op)
	}
	req := &writeReq{op: op, batch: store.BatchOf(ctx), done: make(chan error, 1)}
	if err := b.enqueue(req); err != nil {
		return err
	}
	return <-req.done
}

// txExec runs one prepared write statement inside the writer's transaction.
func (b *backend) txExec(ctx context.Context, tx *sql.Tx, q string, args ...any) (sql.Result, error) {
	st, err := b.w.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
}
