// Package embedded is the store adapter `make run` uses: one pure-Go SQLite file (modernc.org/sqlite, no
// cgo) under .mash/ by default. It holds the same items as the DynamoDB table (pk, sk, two sparse indexes,
// ttl, version, a JSON document) in one SQLite table with two partial indexes, so that every store method
// behaves exactly as it does against DynamoDB (the shared implementation is shared/store/internal/core).
//
// Concurrency: the database has WAL journalling and a busy timeout. Writes go through one connection, so
// they are serialised and each atomic write is one IMMEDIATE transaction; reads go through a small pool of
// read-only connections, so they run beside a write (WAL readers see the last commit, never a half-written
// transaction) instead of queueing behind it. An in-memory database has one connection for both. It is
// safe for concurrent use by the local runner's goroutines. TTL is honoured on every read against the
// injected clock.
package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/internal/core"
)

// DefaultPath is where Open puts the database when path is empty.
const DefaultPath = ".mash/store.db"

// Store is the embedded adapter; it implements store.Store.
type Store struct {
	*core.Store
	b *backend
}

// Open opens (creating if needed) the database file at path (DefaultPath when empty). now is the clock
// used for timestamps and TTL.
func Open(path string, now func() time.Time) (*Store, error) {
	if path == "" {
		path = DefaultPath
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("embedded store: %w", err)
	}
	// A URI filename: "?" and "#" in the path would start its query or fragment, so they (and "%") are
	// percent-escaped, or a state folder named "My#Folder" would open another file.
	uri := "file:" + escapePath(path)
	// temp_store(MEMORY): the statement journal of the savepoints (every write, unit and nested unit of the
	// group commit has one) stays in memory; with the default it spilled past 64 KiB to a temporary file,
	// created, written and closed per commit — ≈ 14% of BenchmarkEndToEnd's CPU (issue #19). It only serves
	// ROLLBACK TO inside a transaction; what survives a crash is the WAL's, as before.
	// cache_size(-32768): the write connection keeps up to 32 MiB of pages (SQLite's default is 2 MiB). The
	// writes of a unit of work land on pages all over the items table's b-tree; with 2 MiB most were read back
	// from the file (a pread each, inside the serialised unit: ≈ 5% of BenchmarkEndToEnd's CPU, issue #19).
	// The read pool keeps the default: another connection's commit empties a reader's cache anyway.
	dsn := uri + "?_txlock=immediate&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=wal_autocheckpoint(20000)&_pragma=temp_store(MEMORY)&_pragma=cache_size(-32768)"
	return open(dsn, uri+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)", now)
}

// OpenMemory opens a private in-memory database (tests, demos).
func OpenMemory(now func() time.Time) (*Store, error) {
	return open("file::memory:?_txlock=immediate&_pragma=busy_timeout(10000)", "", now)
}

// readConns is the size of the read pool of a file database.
const readConns = 4

const schema = `
CREATE TABLE IF NOT EXISTS items (
  pk TEXT NOT NULL,
  sk TEXT NOT NULL,
  gsi1pk TEXT, gsi1sk TEXT,
  gsi2pk TEXT, gsi2sk TEXT,
  gsi3pk TEXT,
  ttl INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 0,
  doc BLOB,
  PRIMARY KEY (pk, sk)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS items_gsi1 ON items (gsi1pk, gsi1sk) WHERE gsi1pk IS NOT NULL;
CREATE INDEX IF NOT EXISTS items_gsi2 ON items (gsi2pk, gsi2sk) WHERE gsi2pk IS NOT NULL;
`

// gsi3Schema is the third index (a contact by its child's identity: docs/cost.md "The children index kept on
// the contact"), made after migrate has given a database from before it its column.
const gsi3Schema = `CREATE INDEX IF NOT EXISTS items_gsi3 ON items (gsi3pk) WHERE gsi3pk IS NOT NULL;`

// migrate brings a database written by an earlier version to the schema: the items table gets the gsi3pk column
// (empty on every item already there: their contacts' children-index entries, written apart, are read beside
// the new ones, and a contact gets its gsi3pk when it is next written).
func migrate(db *sql.DB) error {
	rows, err := db.Query(`SELECT name FROM pragma_table_info('items')`)
	if err != nil {
		return err
	}
	has := false
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		has = has || name == "gsi3pk"
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if !has {
		if _, err := db.Exec(`ALTER TABLE items ADD COLUMN gsi3pk TEXT`); err != nil {
			return err
		}
	}
	_, err = db.Exec(gsi3Schema)
	return err
}

// open opens the write connection (dsn) and, when readDSN is not empty, the read pool.
func open(dsn, readDSN string, now func() time.Time) (*Store, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("embedded store: %w", err)
	}
	// One write connection: serialised writes, and an in-memory database that lives as long as the Store.
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	if _, err := db.Exec(schema + executionsSchema); err != nil {
		db.Close()
		return nil, fmt.Errorf("embedded store: schema: %w", err)
	}
	if err := migrate(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("embedded store: migrate: %w", err)
	}
	b := &backend{w: &pool{db: db}, lingerFor: lingerFor}
	b.r = b.w
	if readDSN != "" {
		rdb, err := sql.Open("sqlite", readDSN)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("embedded store: %w", err)
		}
		rdb.SetMaxOpenConns(readConns)
		rdb.SetMaxIdleConns(readConns)
		rdb.SetConnMaxLifetime(0)
		rdb.SetConnMaxIdleTime(0)
		b.r = &pool{db: rdb}
	}
	// The write statements are prepared now: Write holds the only write connection in its transaction,
	// where preparing through the pool would wait for itself.
	for _, q := range append(append([]string{upsertSQL, createSQL, replaceExp, updateSQL, deleteSQL, savepointSQL, rollbackToSQL, releaseSQL, groupSavepointSQL, groupRollbackToSQL, groupReleaseSQL, nestedSavepointSQL, nestedRollbackToSQL, nestedReleaseSQL, incrementSQL}, execWriteSQL...), readSQL()...) {
		if _, err := b.w.stmt(context.Background(), q); err != nil {
			_ = b.closePools()
			return nil, fmt.Errorf("embedded store: prepare: %w", err)
		}
	}
	b.execs = &Executions{b: b}
	b.qcond = sync.NewCond(&b.qmu)
	b.more = make(chan struct{}, 1)
	b.stopped = make(chan struct{})
	go b.writer()
	return &Store{Store: core.New(b, now), b: b}, nil
}

// Stats counts the writer's work since Open.
type Stats struct {
	Queued       int   // writes waiting for the writer now
	Writes       int64 // writes applied (committed or failed)
	Transactions int64 // SQLite transactions they took
	RowsRead     int64 // rows the reads returned, items and execution snapshots (the work a runner's tick does)
}

// Stats reports the writer's counts (group commit: Writes / Transactions writes per commit).
func (s *Store) Stats() Stats {
	s.b.qmu.Lock()
	defer s.b.qmu.Unlock()
	return Stats{Queued: len(s.b.queue), Writes: s.b.writes, Transactions: s.b.txs, RowsRead: s.b.rows.Load() + s.b.execs.rows.Load()}
}

// SetFaultHook installs a hook called inside every atomic write after each item is written (step counts
// from 0). A non-nil error from it aborts the write and rolls the transaction back. It exists so tests can
// prove that nothing is half-written after a failure between steps; nil removes it.
func (s *Store) SetFaultHook(h func(step int) error) {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	s.b.fault = h
}

type backend struct {
	w, r  *pool // writes; reads (the same pool for an in-memory database)
	mu    sync.Mutex
	fault func(step int) error

	// The write queue (see writer): guarded by qmu, signalled by qcond.
	qmu     sync.Mutex
	qcond   *sync.Cond
	more    chan struct{} // a request was queued (for a group that lingers: see linger)
	queue   []*writeReq
	closed  bool
	writes  int64 // applied, for Stats
	txs     int64
	stopped chan struct{} // closed when the writer has drained the queue and returned

	execs *Executions
	rows  atomic.Int64 // rows the item reads returned (Stats)

	lingerFor time.Duration // see linger (lingerFor; tests set more)
}

// pool is a database handle with its prepared statements.
type pool struct {
	db *sql.DB
	// stmts caches prepared statements by their SQL (a handful of distinct strings): preparing — SQLite
	// parsing the SQL — was a quarter of the cost of a store call (BenchmarkIngestEmail profile).
	// database/sql prepares each once per connection; a transaction reuses it through Tx.StmtContext.
	stmts sync.Map // string → *sql.Stmt
}

// stmt returns the prepared statement for q, preparing it on first use (never inside a transaction of the
// write pool: see open).
func (p *pool) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if s, ok := p.stmts.Load(q); ok {
		return s.(*sql.Stmt), nil
	}
	s, err := p.db.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if prev, loaded := p.stmts.LoadOrStore(q, s); loaded {
		_ = s.Close()
		return prev.(*sql.Stmt), nil
	}
	return s, nil
}

func (p *pool) close() error {
	p.stmts.Range(func(_, s any) bool {
		_ = s.(*sql.Stmt).Close()
		return true
	})
	return p.db.Close()
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

const cols = `pk, sk, gsi1pk, gsi1sk, gsi2pk, gsi2sk, gsi3pk, ttl, version, doc`

type scanner interface{ Scan(dest ...any) error }

func scanItem(r scanner) (core.Item, error) {
	var it core.Item
	var g1p, g1s, g2p, g2s, g3p sql.NullString
	err := r.Scan(&it.PK, &it.SK, &g1p, &g1s, &g2p, &g2s, &g3p, &it.TTL, &it.Version, &it.Doc)
	it.GSI1PK, it.GSI1SK, it.GSI2PK, it.GSI2SK, it.GSI3PK = g1p.String, g1s.String, g2p.String, g2s.String, g3p.String
	return it, err
}

const getSQL = `SELECT ` + cols + ` FROM items WHERE pk = ? AND sk = ?`

func (b *backend) Get(ctx context.Context, pk, sk string) (*core.Item, error) {
	if u := unitOf(ctx); u != nil {
		items, err := b.list(ctx, getSQL, pk, sk)
		if err != nil || len(items) == 0 {
			return nil, err
		}
		return &items[0], nil
	}
	st, err := b.r.stmt(ctx, getSQL)
	if err != nil {
		return nil, err
	}
	it, err := scanItem(st.QueryRowContext(ctx, pk, sk))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	b.rows.Add(1)
	return &it, nil
}

// prefixEnd is the smallest string greater than every string starting with p ("" when none exists).
func prefixEnd(p string) string {
	b := []byte(p)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xff {
			b[i]++
			return string(b[:i+1])
		}
	}
	return ""
}

func querySQL(end bool) string {
	q := `SELECT ` + cols + ` FROM items WHERE pk = ? AND sk >= ?`
	if end {
		q += ` AND sk < ?`
	}
	return q + ` ORDER BY sk`
}

func (b *backend) Query(ctx context.Context, pk, skPrefix string) ([]core.Item, error) {
	args := []any{pk, skPrefix}
	end := prefixEnd(skPrefix)
	if end != "" {
		args = append(args, end)
	}
	return b.list(ctx, querySQL(end != ""), args...)
}

const scanSQL = `SELECT ` + cols + ` FROM items WHERE sk = ? AND pk > ? ORDER BY pk LIMIT ?`

// ScanPage implements core.Scanner (the one-off backfill of the retention indexes alone reads the whole
// table): the items whose sk is sk in pk order, after after.PK.
func (b *backend) ScanPage(ctx context.Context, sk string, after *core.Key, limit int) ([]core.Item, *core.Key, error) {
	from := ""
	if after != nil {
		from = after.PK
	}
	items, err := b.list(ctx, scanSQL, sk, from, limit)
	if err != nil || len(items) < limit {
		return items, nil, err
	}
	last := items[len(items)-1]
	return items, &core.Key{PK: last.PK, SK: last.SK}, nil
}

func indexSQL(pkCol, skCol string, below, limit bool) string {
	q := `SELECT ` + cols + ` FROM items WHERE ` + pkCol + ` = ?`
	if skCol == "" { // gsi3: a partition key only
		return q + ` ORDER BY pk, sk`
	}
	if below {
		q += ` AND ` + skCol + ` < ?`
	}
	q += ` ORDER BY ` + skCol
	if limit {
		q += ` LIMIT ?`
	}
	return q
}

// readSQL is every read statement, prepared on the write connection too for the reads of a unit of work.
func readSQL() []string {
	qs := []string{getSQL, querySQL(false), querySQL(true), execLoadSQL}
	for _, c := range [][2]string{{"gsi1pk", "gsi1sk"}, {"gsi2pk", "gsi2sk"}} {
		for _, below := range []bool{false, true} {
			for _, limit := range []bool{false, true} {
				qs = append(qs, indexSQL(c[0], c[1], below, limit))
			}
		}
	}
	return append(qs, indexSQL("gsi3pk", "", false, false))
}

func (b *backend) QueryIndex(ctx context.Context, idx core.Index, pk, skBelow string, limit int) ([]core.Item, error) {
	var pkCol, skCol string
	switch idx {
	case core.GSI1:
		pkCol, skCol = "gsi1pk", "gsi1sk"
	case core.GSI2:
		pkCol, skCol = "gsi2pk", "gsi2sk"
	case core.GSI3:
		return b.list(ctx, indexSQL("gsi3pk", "", false, false), pk) // partition key only
	default:
		return nil, fmt.Errorf("embedded store: unknown index %q", idx)
	}
	args := []any{pk}
	if skBelow != "" {
		args = append(args, skBelow)
	}
	if limit > 0 {
		args = append(args, limit)
	}
	return b.list(ctx, indexSQL(pkCol, skCol, skBelow != "", limit > 0), args...)
}

func (b *backend) list(ctx context.Context, q string, args ...any) ([]core.Item, error) {
	var rows *sql.Rows
	if u := unitOf(ctx); u != nil {
		u.mu.Lock()
		defer u.mu.Unlock()
		var err error
		if rows, err = b.unitQuery(ctx, u, q, args...); err != nil {
			return nil, err
		}
	} else {
		st, err := b.r.stmt(ctx, q)
		if err != nil {
			return nil, err
		}
		if rows, err = st.QueryContext(ctx, args...); err != nil {
			return nil, err
		}
	}
	defer rows.Close()
	var out []core.Item
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	b.rows.Add(int64(len(out)))
	return out, rows.Err()
}

const (
	insertSQL  = `INSERT INTO items (` + cols + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	setAll     = `gsi1pk = excluded.gsi1pk, gsi1sk = excluded.gsi1sk, gsi2pk = excluded.gsi2pk, gsi2sk = excluded.gsi2sk, gsi3pk = excluded.gsi3pk, ttl = excluded.ttl, version = excluded.version, doc = excluded.doc`
	upsertSQL  = insertSQL + ` ON CONFLICT (pk, sk) DO UPDATE SET ` + setAll
	createSQL  = insertSQL + ` ON CONFLICT (pk, sk) DO NOTHING`
	replaceExp = insertSQL + ` ON CONFLICT (pk, sk) DO UPDATE SET ` + setAll + ` WHERE items.ttl > 0 AND items.ttl <= ?`
	updateSQL  = `UPDATE items SET gsi1pk = ?, gsi1sk = ?, gsi2pk = ?, gsi2sk = ?, gsi3pk = ?, ttl = ?, version = ?, doc = ? WHERE pk = ? AND sk = ? AND version = ?`
	deleteSQL  = `DELETE FROM items WHERE pk = ? AND sk = ?`
)

// Write implements core.Backend: Submit, then wait.
func (b *backend) Write(ctx context.Context, puts []core.Put) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return b.Submit(ctx, puts)()
}

// Delete implements core.Backend: the writer applies deletes (core.CondDelete) as it applies puts.
func (b *backend) Delete(ctx context.Context, puts []core.Put) error { return b.Write(ctx, puts) }

// Submit implements core.OrderedWriter: the write is queued for the writer goroutine, which applies queued
// writes in the order they were submitted (group commit, see writer).
func (b *backend) Submit(ctx context.Context, puts []core.Put) (wait func() error) {
	if u := unitOf(ctx); u != nil {
		err := b.unitWrite(ctx, u, puts)
		return func() error { return err }
	}
	req := &writeReq{puts: puts, batch: store.BatchOf(ctx), done: make(chan error, 1)}
	if err := b.enqueue(req); err != nil {
		return func() error { return err }
	}
	return func() error { return <-req.done }
}

var errClosed = errors.New("embedded store: closed")

// writeReq is one atomic write waiting for the writer.
type writeReq struct {
	puts []core.Put
	op   func(ctx context.Context, tx *sql.Tx) error // instead of puts: a write of another table (Executions)
	hold *holdReq                                    // instead of puts: a unit of work (InTx)
	// batch is the store.Batch of the caller's context (nil: none): the writer may hold the commit a
	// moment for the batch's other callers (see linger)
	batch *store.Batch
	done  chan error
}

// tell gives a request its outcome.
func (r *writeReq) tell(err error) {
	if r.batch != nil {
		r.batch.Told()
	}
	r.done <- err
}

// maxBatch is the most writes (and units of work) one SQLite transaction takes.
const maxBatch = 64

// writer applies queued writes until the store closes, draining the queue first. Group commit: the writes
// queued while the previous transaction committed go into the next one together, each inside a SAVEPOINT so
// that it is still all-or-nothing on its own (a failed condition rolls back that write only), and one COMMIT
// makes them durable; each caller hears only after that commit. A commit writes each page it changed once
// however many writes changed it, and commits were half of the cost of a write.
//
// Units of work (InTx) join the group too (issue #19): a unit runs inside its own savepoint of the group's
// transaction — its code runs on its caller's goroutine while the writer waits, its reads see the writes
// before it in the group — and a unit that fails (or panics) is rolled back to its savepoint alone. The
// writes and units that queue while a group runs are added to it (up to maxBatch) before it commits, so that
// two maildrop workers — one driving an execution while the other's contact waits to be written — share a
// commit. Every caller, a unit's included, hears only after the group's COMMIT: nothing is acknowledged that
// a crash could still undo.
func (b *backend) writer() {
	defer close(b.stopped)
	for {
		b.qmu.Lock()
		for len(b.queue) == 0 && !b.closed {
			b.qcond.Wait()
		}
		if len(b.queue) == 0 {
			b.qmu.Unlock()
			return
		}
		b.txs++
		b.qmu.Unlock()
		b.apply(b.take(nil))
	}
}

// enqueue hands a request to the writer, or answers errClosed once the store is closed.
func (b *backend) enqueue(req *writeReq) error {
	b.qmu.Lock()
	if b.closed {
		b.qmu.Unlock()
		return errClosed
	}
	if req.batch != nil {
		req.batch.Queued()
	}
	b.queue = append(b.queue, req)
	b.qmu.Unlock()
	b.qcond.Signal()
	select {
	case b.more <- struct{}{}:
	default:
	}
	return nil
}

// lingerFor is the longest the writer holds a group's commit for the writes a store.Batch's callers at work
// are about to make (linger).
const lingerFor = 2 * time.Millisecond

// lingering is a group's wait for more members: one bound per group, from its first wait.
type lingering struct {
	t       *time.Timer
	expired bool
}

func (l *lingering) stop() {
	if l.t != nil {
		l.t.Stop()
	}
}

// linger waits — at most b.lingerFor from the group's first wait — for a request to join a group whose last
// member's batch (store.Batch) has a caller at work with no write waiting, one about to make one, and adds
// what was queued meanwhile. Without it, the maildrop's files in flight reached the writer one at a time (the
// cores were parsing the others), and each contact had a commit of its own: its WAL frames, a pwrite each,
// were a third of the writer's time (issue #19). A write without a batch (the API's, a tick's) never waits.
func (b *backend) linger(batch []*writeReq, l *lingering) []*writeReq {
	bt := batch[len(batch)-1].batch
	if l.expired || bt == nil || !bt.MoreComing() {
		return batch
	}
	if l.t == nil {
		l.t = time.NewTimer(b.lingerFor)
	}
	n := len(batch)
	for {
		select {
		case <-b.more:
		case <-bt.Ended():
		case <-l.t.C:
			l.expired = true
			return b.take(batch)
		}
		if batch = b.take(batch); len(batch) > n || !bt.MoreComing() {
			return batch
		}
	}
}

// take moves up to maxBatch-len(batch) queued requests onto batch.
func (b *backend) take(batch []*writeReq) []*writeReq {
	b.qmu.Lock()
	defer b.qmu.Unlock()
	n := min(len(b.queue), maxBatch-len(batch))
	batch = append(batch, b.queue[:n]...)
	b.queue = append(b.queue[:0], b.queue[n:]...)
	b.writes += int64(n)
	return batch
}

// apply writes a group in one transaction — each write or unit in its own savepoint, the requests queued
// meanwhile added at its end — and tells each caller its result after the commit.
func (b *backend) apply(batch []*writeReq) {
	ctx := context.Background()
	tx, err := b.w.db.BeginTx(ctx, nil)
	if err != nil {
		b.abandon(batch, 0, err)
		return
	}
	exec := func(q string) error {
		st, err := b.w.stmt(ctx, q)
		if err == nil {
			_, err = tx.StmtContext(ctx, st).ExecContext(ctx)
		}
		return err
	}
	results := make([]error, 0, len(batch))
	applied := 0
	var l lingering
	defer l.stop()
	for i := 0; i < len(batch); i++ {
		r := batch[i]
		if err := exec(groupSavepointSQL); err != nil {
			_ = tx.Rollback()
			b.abandon(batch, i, err)
			return
		}
		var res error
		switch {
		case r.hold != nil:
			r.hold.started <- &unit{tx: tx}
			res = <-r.hold.finish
		case r.op != nil:
			res = r.op(ctx, tx)
		default:
			res = b.exec(ctx, tx, r.puts)
		}
		results = append(results, res)
		if res == nil {
			applied++
		} else if err := exec(groupRollbackToSQL); err != nil {
			_ = tx.Rollback()
			b.abandon(batch, i+1, err)
			return
		}
		if err := exec(groupReleaseSQL); err != nil {
			_ = tx.Rollback()
			b.abandon(batch, i+1, err)
			return
		}
		if i == len(batch)-1 && len(batch) < maxBatch {
			batch = b.take(batch) // what queued meanwhile joins this commit
			if i == len(batch)-1 {
				batch = b.linger(batch, &l) // and what a batch's callers are about to queue
			}
		}
	}
	if applied == 0 {
		err = tx.Rollback()
	} else {
		err = tx.Commit()
	}
	for i, r := range batch {
		res := results[i]
		if r.hold != nil && res != nil {
			res = nil // the unit's caller has its own error
		}
		if res == nil && err != nil {
			res = err // not committed
		}
		r.tell(res)
	}
}

// abandon tells every caller of a group that could not commit: the first ran have had their work rolled
// back, the rest never started (a unit among them is told it cannot begin).
func (b *backend) abandon(batch []*writeReq, ran int, err error) {
	for i, r := range batch {
		if i >= ran && r.hold != nil {
			r.hold.started <- nil
		}
		r.tell(err)
	}
}

const (
	savepointSQL  = `SAVEPOINT w`
	rollbackToSQL = `ROLLBACK TO w`
	releaseSQL    = `RELEASE w`
	// a group's savepoint around each of its writes and units (a unit's own writes nest theirs, w, inside)
	groupSavepointSQL  = `SAVEPOINT g`
	groupRollbackToSQL = `ROLLBACK TO g`
	groupReleaseSQL    = `RELEASE g`
	// a unit inside a unit (InTx nested)
	nestedSavepointSQL  = `SAVEPOINT n`
	nestedRollbackToSQL = `ROLLBACK TO n`
	nestedReleaseSQL    = `RELEASE n`
)

// exec runs one write's puts inside tx: a failed condition is *core.CondFailedError naming the put.
func (b *backend) exec(ctx context.Context, tx *sql.Tx, puts []core.Put) error {
	b.mu.Lock()
	fault := b.fault
	b.mu.Unlock()
	for i, p := range puts {
		it := p.Item
		vals := []any{it.PK, it.SK, nullable(it.GSI1PK), nullable(it.GSI1SK), nullable(it.GSI2PK), nullable(it.GSI2SK), nullable(it.GSI3PK), it.TTL, it.Version, it.Doc}
		var q string
		switch p.Cond {
		case core.CondNone:
			q = upsertSQL
		case core.CondNotExists:
			q = createSQL
		case core.CondNotExistsOrExpired:
			q, vals = replaceExp, append(vals, p.Now)
		case core.CondDelete:
			st, err := b.w.stmt(ctx, deleteSQL)
			if err != nil {
				return err
			}
			if _, err := tx.StmtContext(ctx, st).ExecContext(ctx, it.PK, it.SK); err != nil {
				return err
			}
			continue
		case core.CondVersion:
			q, vals = updateSQL, []any{nullable(it.GSI1PK), nullable(it.GSI1SK), nullable(it.GSI2PK),
				nullable(it.GSI2SK), nullable(it.GSI3PK), it.TTL, it.Version, it.Doc, it.PK, it.SK, p.Version}
		default:
			return fmt.Errorf("embedded store: unknown condition %d", p.Cond)
		}
		st, err := b.w.stmt(ctx, q)
		if err != nil {
			return err
		}
		res, err := tx.StmtContext(ctx, st).ExecContext(ctx, vals...)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n == 0 {
			return &core.CondFailedError{Index: i}
		}
		if fault != nil {
			if err := fault(i); err != nil {
				return err
			}
		}
	}
	return nil
}

const incrementSQL = `INSERT INTO items (pk, sk, version, doc) VALUES (?, ?, 1, '{}')
		ON CONFLICT (pk, sk) DO UPDATE SET version = items.version + 1 RETURNING version`

func (b *backend) Increment(ctx context.Context, pk, sk string) (int64, error) {
	st, err := b.w.stmt(ctx, incrementSQL)
	if err != nil {
		return 0, err
	}
	var n int64
	if u := unitOf(ctx); u != nil {
		u.forget([]core.Put{{Item: core.Item{PK: pk, SK: sk}}})
		u.mu.Lock()
		defer u.mu.Unlock()
		err = u.tx.StmtContext(ctx, st).QueryRowContext(ctx, pk, sk).Scan(&n)
		return n, err
	}
	err = st.QueryRowContext(ctx, pk, sk).Scan(&n)
	return n, err
}

// Close lets the writer apply what is queued, then closes the connections. Writes submitted after Close
// fail.
func (b *backend) Close() error {
	b.qmu.Lock()
	already := b.closed
	b.closed = true
	b.qmu.Unlock()
	if already {
		return nil
	}
	b.qcond.Broadcast()
	<-b.stopped
	return b.closePools()
}

func (b *backend) closePools() error {
	var err error
	if b.r != b.w {
		err = b.r.close()
	}
	return errors.Join(b.w.close(), err)
}

// escapePath percent-escapes the characters a URI filename would read as delimiters.
func escapePath(p string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
}
