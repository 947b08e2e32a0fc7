// Package local assembles the whole MASH front door in one process — the same handlers Lambda runs, the
// embedded store, the same ASL on the local executor, notifications into an outbox folder — for `mash run`
// and for the end-to-end tests, which drive it with a fake clock.
package local

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/safeguarding/mash/shared/actions"
	"github.com/safeguarding/mash/shared/adapters/folder"
	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/checks"
	"github.com/safeguarding/mash/shared/directory"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/flow"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/intake/inbox"
	"github.com/safeguarding/mash/shared/notify"
	notifyfolder "github.com/safeguarding/mash/shared/notify/folder"
	"github.com/safeguarding/mash/shared/ooh"
	"github.com/safeguarding/mash/shared/outcomes"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/retention"
	"github.com/safeguarding/mash/shared/screening"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/embedded"
	"github.com/safeguarding/mash/shared/trays"
	"github.com/safeguarding/mash/shared/workflow"
	"github.com/safeguarding/mash/statemachines"
)

// Options configure a Suite.
type Options struct {
	// Dir holds the local state: blobs/ (the store is passed in). An executions/ folder an earlier version
	// left there is imported into Executions once.
	Dir string
	// OutboxDir receives every notification as an .eml file.
	OutboxDir string
	Store     store.Store
	Clock     flow.Clock
	Log       *slog.Logger
	// ConsoleURL is the base of links in notifications.
	ConsoleURL string
	// Metrics receives the SLA sweep's counts (nil: logged only).
	Metrics trays.Metrics
	// RateLimit is the API's per-user token bucket (zero: api.DefaultRateLimit).
	RateLimit api.RateLimit
	// Deleter is the store's delete for the retention job (nil: Store's own, when it has one).
	Deleter store.Retention
	// Executions keeps the executions' snapshots: set it to the embedded store's table when Store wraps the
	// embedded store (nil: Store's own when it is the embedded store, else a database of their own in Dir).
	Executions *embedded.Executions
	// Definition is the contact machine to run (nil: statemachines.Contact). Tests set an earlier definition to
	// show the handlers still serve executions started on it (docs/deployment.md "Changing the state machine").
	Definition []byte
	// UnmarkedContract is workflow.Env's: the contract of waits whose payload carries none (0: the default).
	UnmarkedContract int
	// OutboxStream is notify.Dispatcher.Stream and workflow.Env.ByStream: the steps' flushes send nothing and
	// the actions tell the workflow nothing, because the table's stream does (a DynamoDB store with
	// SendByStream, whose stream the caller reads: the cost test).
	OutboxStream bool
}

// Suite is the assembled front door.
type Suite struct {
	Store    store.Store
	Exec     *flow.Executor
	Env      workflow.Env
	Intake   inbox.Service // email intake over the intake service (s.Intake.Service)
	Actions  actions.Service
	EDT      ooh.EDT
	Sweep    trays.Sweep
	Policies map[domain.AuthorityID]*policy.Policy
	Notifier notify.Notifier
	// Directory is the school directory desk (imports, a worker's pick of a PPN's school).
	Directory directory.Desk
	clock     flow.Clock
	log       *slog.Logger
	handlers  flow.Handlers
	rate      api.RateLimit

	metrics     trays.Metrics
	authorities []domain.AuthorityID
	blobs       folder.Blobs
	deleter     store.Retention
	retainMu    sync.Mutex
	retainedAt  time.Time   // the clock when the retention job last ran (daily)
	fullRedrive atomic.Bool // a snapshot was set aside: check every open contact on the next tick

	execs      *ExecStore
	inTx       unitOfWork // the executions table's (embedded.Executions.InTx)
	digest     string     // the contact machine's (flow.Machine.Digest)
	seenMu     sync.Mutex
	seen       int64     // the executions table's last sequence number the suite has looked at (pickUp)
	reconciled time.Time // the clock when the sweep's reconciliation last ran (ReconcileEvery)
}

// Handlers are the Go handlers bound to the contact machine's tasks (the conformance test runs them under
// both executors).
func (s *Suite) Handlers() flow.Handlers { return s.handlers }

// New builds the suite and resumes every execution left running by a previous process.
func New(ctx context.Context, o Options) (*Suite, error) {
	all, err := policy.All()
	if err != nil {
		return nil, err
	}
	pols := map[domain.AuthorityID]*policy.Policy{}
	var names []domain.AuthorityID
	for _, p := range all {
		pols[p.Authority] = p
		names = append(names, p.Authority)
	}
	policies := func(a domain.AuthorityID) (*policy.Policy, error) {
		if p, ok := pols[a]; ok {
			return p, nil
		}
		return nil, domain.Errorf(domain.CodeInvalid, "unknown authority")
	}
	now := o.Clock.Now
	// Every line logged while serving a request carries its id (api.LogHandler).
	o.Log = slog.New(api.LogHandler(o.Log.Handler()))
	s := &Suite{Store: o.Store, Policies: pols, clock: o.Clock, log: o.Log, rate: o.RateLimit}
	s.Notifier = notify.Notifier{
		Composer: notify.Composer{ConsoleURL: o.ConsoleURL, Now: now},
		Dispatcher: &notify.Dispatcher{Store: o.Store, Sender: notifyfolder.Sender{Dir: o.OutboxDir}, Now: now, Log: o.Log, Policies: policies,
			Metrics: o.Metrics, Stream: o.OutboxStream},
	}
	// Encompass notices are addressed from the school directory (shared/directory) whoever sends them.
	dir := &directory.Service{Store: o.Store}
	dn := directory.Notifier{Next: directory.AckOutbox{Outbox: s.Notifier,
		Acks: directory.AckLinks{Links: o.Store, Trays: o.Store, ConsoleURL: o.ConsoleURL, Now: now}}, Directory: dir, Trays: o.Store, Now: now}
	s.Directory = directory.Desk{Store: o.Store, Policies: policies, Directory: dir, Notifier: dn, Now: now}
	s.Env = workflow.Env{Store: o.Store, Policies: policies, Now: now, Log: o.Log, Notifier: dn, UnmarkedContract: o.UnmarkedContract,
		ByStream: o.OutboxStream}

	def := o.Definition
	if def == nil {
		def = statemachines.Contact
	}
	m, err := flow.Parse(def, Substitutions())
	if err != nil {
		return nil, err
	}
	tasks := &localTasks{} // its executor is set once made (below): the replan step answers its own token
	handlers := flow.Handlers{
		workflow.FnOutOfHours:    bind(ooh.Step{Env: s.Env}.Handle),
		workflow.FnScreening:     bind(screening.Step{Env: s.Env}.Handle),
		workflow.FnTray:          bind(trays.Park{Env: s.Env, Tasks: tasks}.Handle),
		workflow.FnPartnerChecks: bind(checks.Step{Env: s.Env, ConsoleURL: o.ConsoleURL, Tasks: tasks}.Handle),
		workflow.FnEscalate:      bind(trays.Escalate{Env: s.Env}.Handle),
		workflow.FnNotifications: bind(outcomes.Step{Env: s.Env}.Handle),
		"sqs:sendMessage":        s.deadLetter,
	}
	s.handlers = handlers
	table := o.Executions
	if es, ok := o.Store.(*embedded.Store); ok && table == nil {
		table = es.Executions()
	}
	if table == nil {
		// Another store (the cost test's DynamoDB adapter): the snapshots get an embedded database of their
		// own in Dir, open as long as the process.
		own, err := embedded.Open(filepath.Join(o.Dir, "executions.db"), o.Clock.Now)
		if err != nil {
			return nil, err
		}
		table = own.Executions()
	}
	execs := &ExecStore{Table: table, OnDamaged: s.damaged, Now: o.Clock.Now}
	s.execs, s.digest = execs, m.Digest()
	if n, err := importFiles(ctx, filepath.Join(o.Dir, "executions"), execs, s.damaged); err != nil {
		return nil, fmt.Errorf("local: importing the executions folder: %w", err)
	} else if n > 0 {
		s.log.InfoContext(ctx, "execution snapshots imported from the executions folder", "executions", n)
	}
	// Executions started under an earlier definition (by an earlier build of mash) are resumed and run to their
	// end on it, as Step Functions does on AWS (docs/deployment.md "Changing the state machine").
	var earlier []*flow.Machine
	for _, c := range slices.Sorted(maps.Keys(statemachines.Earlier)) {
		em, err := flow.Parse(statemachines.Earlier[c], Substitutions())
		if err != nil {
			return nil, fmt.Errorf("local: the contract %d definition: %w", c, err)
		}
		earlier = append(earlier, em)
	}
	// DropEnded: an ended execution is let go once saved (its snapshot stays in the table, where Get reads it),
	// so a long-running `mash run` holds only the executions still running.
	x, err := flow.New(m, handlers, flow.Options{Clock: o.Clock, Store: execs, MachineName: "contact", Earlier: earlier, DropEnded: true})
	if err != nil {
		return nil, err
	}
	s.Exec = x
	unit := reloading(table.InTx, x) // a failed unit reloads the executions it wrote from the table
	tasks.x, tasks.unit = x, unit
	s.blobs = folder.Blobs{Dir: filepath.Join(o.Dir, "blobs")}
	s.deleter = o.Deleter
	if d, ok := o.Store.(store.Retention); ok && s.deleter == nil {
		s.deleter = d
	}
	s.Intake = inbox.New(intake.Service{Env: s.Env, Blobs: s.blobs, Starter: starter{x, unit}, Unit: unit})
	s.Actions = actions.Service{Env: s.Env, Tasks: localTasks{x, unit}, Starter: starter{x, unit}}
	s.EDT = ooh.EDT{Intake: s.Intake.Service, Store: o.Store, Now: now}
	s.Sweep = trays.Sweep{Env: s.Env, Metrics: o.Metrics, Authorities: names, Outbox: s.Notifier.Dispatcher, NoReconcile: true}
	s.Sweep.Tasks = localTasks{x, unit}
	s.Sweep.Restarter = restarter{x, unit}
	s.inTx = unit
	s.metrics, s.authorities = o.Metrics, names
	// Nothing read at start stops the suite: a snapshot that cannot be resumed is logged (and, when damaged,
	// set aside), and every contact left without an execution is started from the store. Every running
	// execution is read once here (a person's answer finds its execution by token, in memory); the ticks then
	// read only the due index and the executions created since.
	if err := s.pickUp(ctx); err != nil {
		s.log.ErrorContext(ctx, "executions not all resumed", "error", err.Error())
	}
	if err := s.redrive(ctx, true); err != nil {
		s.log.ErrorContext(ctx, "contacts not all re-driven", "error", err.Error())
	}
	return s, nil
}

// MetricSnapshotDamaged counts execution snapshots set aside because they could not be read.
const MetricSnapshotDamaged = "ExecutionSnapshotDamaged"

// damaged is told by the execution store of a snapshot it set aside: logged as an error (the local runner's
// alarm), counted, and every contact is then checked for a missing execution on the next tick.
func (s *Suite) damaged(execution string, why error) {
	ctx := context.Background()
	s.log.ErrorContext(ctx, "execution snapshot damaged: set aside, its contact is re-driven from the store",
		"execution", execution, "error", why.Error())
	s.fullRedrive.Store(true)
	if s.metrics != nil {
		for _, a := range s.authorities {
			if err := s.metrics.Put(ctx, MetricSnapshotDamaged, a, 1); err != nil {
				s.log.WarnContext(ctx, "metric not published", "error", err.Error())
			}
		}
	}
}

// redriven are the statuses a contact may have with no execution after a crash or a damaged snapshot; the
// rest are ended (decided, forwarded, returned, closed).
var redriven = []domain.Status{domain.StatusReceived, domain.StatusQueuedOOH, domain.StatusScreening,
	domain.StatusAwaitingRating, domain.StatusChecks, domain.StatusAwaitingDecision}

// redrive starts the workflow of every contact that has none: one written just before a crash (it stays in
// received), or one whose snapshot was damaged and set aside (anywhere before its end: the machine starts
// again from routing, its steps being idempotent on the stored contact, and the manager sees it again in its
// tray). full checks every open status; otherwise only received, which is where a crash leaves one.
func (s *Suite) redrive(ctx context.Context, full bool) error {
	statuses := redriven[:1]
	if full {
		statuses = redriven
	}
	var errs []error
	for _, a := range s.authorities {
		for _, st := range statuses {
			cs, err := s.Store.ListContacts(ctx, a, st)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			for _, c := range cs {
				known, err := s.Exec.Known(ctx, c.ExecutionName())
				if err != nil || known {
					errs = append(errs, err)
					continue
				}
				if err := (starter{s.Exec, s.inTx}).Start(ctx, workflow.Start{ContactID: c.ID, Authority: c.Authority, Name: c.ExecutionName()}); err != nil {
					errs = append(errs, fmt.Errorf("contact %s: %w", c.ID, err))
					continue
				}
				if _, err := s.Store.AppendAudit(ctx, store.AuditEvent{ContactID: c.ID, Actor: "runner", Action: "workflow.redriven",
					Reason: "the contact had no workflow execution (a stop mid-intake, or a damaged snapshot set aside)",
					Detail: map[string]string{"status": string(st)}}); err != nil {
					errs = append(errs, err)
				}
				s.log.WarnContext(ctx, "contact re-driven: it had no execution", "contactId", c.ID, "status", st)
			}
		}
	}
	return errors.Join(errs...)
}

// Substitutions are the DefinitionSubstitutions the local executor uses: each function's name as its ARN,
// and a local dead-letter queue.
func Substitutions() map[string]string {
	sub := map[string]string{"DeadLetterQueueUrl": "local://dead-letter"}
	for k, fn := range workflow.Substitutions {
		sub[k] = "arn:aws:lambda:eu-west-2:000000000000:function:" + fn
	}
	return sub
}

// bind adapts a typed step handler to the executor's JSON handler.
func bind[I, O any](f func(context.Context, I) (O, error)) flow.Handler {
	return func(ctx context.Context, payload json.RawMessage) (json.RawMessage, error) {
		var in I
		if err := json.Unmarshal(payload, &in); err != nil {
			return nil, &domain.Error{Code: domain.CodeInvalid, Message: "step payload is not the expected shape", Err: err}
		}
		out, err := f(ctx, in)
		if err != nil {
			return nil, err
		}
		return json.Marshal(out)
	}
}

// DeadLetterTray is where the local runner puts a contact whose workflow failed after its retries; the SLA
// sweep escalates it to the service manager at once (production: an alarmed SQS queue).
const DeadLetterTray = trays.DeadLetter

func (s *Suite) deadLetter(ctx context.Context, params json.RawMessage) (json.RawMessage, error) {
	var p struct {
		MessageBody struct {
			ContactID domain.ContactID   `json:"contactId"`
			Authority domain.AuthorityID `json:"authority"`
			Error     string             `json:"error"`
		} `json:"MessageBody"`
	}
	if err := json.Unmarshal(params, &p); err != nil {
		return nil, err
	}
	b := p.MessageBody
	s.log.ErrorContext(ctx, "contact workflow failed: dead letter", "contactId", b.ContactID, "authority", b.Authority, "error", b.Error)
	if _, err := s.Store.PutTrayItem(ctx, store.TrayItem{ID: string(b.ContactID) + "#" + DeadLetterTray, Tray: DeadLetterTray,
		Authority: b.Authority, ContactID: b.ContactID, DueAt: s.clock.Now().UTC(), Rule: policy.RuleDeadLetter}); err != nil && domain.ErrorCode(err) != domain.CodeConflict {
		return nil, err
	}
	return json.RawMessage(`{"MessageId":"local"}`), nil
}

// starter starts executions on the local executor; a name already used is success (like AWS).
type starter struct {
	x    *flow.Executor
	unit unitOfWork
}

// unitOfWork runs fn as one SQLite transaction of the embedded store (embedded.Executions.InTx): every drive
// of an execution — its steps' reads and writes and its snapshot — commits together or not at all.
type unitOfWork func(ctx context.Context, fn func(ctx context.Context) error) error

func (st starter) Start(ctx context.Context, in workflow.Start) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	err = st.unit(ctx, func(ctx context.Context) error {
		_, err := st.x.Start(ctx, in.ExecutionName(), b)
		return err
	})
	if errors.Is(err, flow.ErrExecutionAlreadyExists) {
		return nil
	}
	return err
}

// restarter starts a stuck contact's execution again on the local executor (trays.Restarter): an ended
// execution of the contact is replaced (the local executor keeps one execution per contact, named after it);
// one still running is a conflict, left alone.
type restarter struct {
	x    *flow.Executor
	unit unitOfWork
}

func (r restarter) Restart(ctx context.Context, in workflow.Start, _ int) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	err = r.unit(ctx, func(ctx context.Context) error {
		_, err := r.x.Restart(ctx, string(in.ContactID), b)
		return err
	})
	if errors.Is(err, flow.ErrExecutionAlreadyExists) {
		return &domain.Error{Code: domain.CodeConflict, Message: "the contact's execution is still running", Err: err}
	}
	return err
}

// Tick runs whatever is due: executions whose Wait or timeout has come, and the SLA sweep. Executions that
// another process (`mash ingest`) started in the same state folder are picked up first. Each part runs
// whatever the others did (issue #13: one stuck message or contact never stops the rest); the error joins
// their failures, for the runner to log and carry on.
//
// Its work does not grow with the number of contacts waiting (issue #19): due executions come from the
// executions table's due index, new ones from its sequence, the sweep's trays from their due-time indexes.
// The sweep's reconciliation, which reads every open wait, runs every ReconcileEvery of the clock, as the
// SLA function's schedule runs it on AWS, not on every tick.
func (s *Suite) Tick(ctx context.Context) error {
	var errs []error
	if err := s.pickUp(ctx); err != nil {
		errs = append(errs, err)
	}
	if err := s.redrive(ctx, s.fullRedrive.Swap(false)); err != nil {
		errs = append(errs, err)
	}
	if err := s.runDue(ctx); err != nil {
		errs = append(errs, err)
	}
	if _, err := s.Sweep.Run(ctx); err != nil {
		errs = append(errs, err)
	}
	if err := s.reconcileEvery(ctx); err != nil {
		errs = append(errs, err)
	}
	if err := s.retainDaily(ctx); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// ReconcileEvery is how often Tick runs the sweep's reconciliation (trays.Sweep.Reconcile): the SLA
// function's schedule on AWS (template.yaml, rate(5 minutes)).
const ReconcileEvery = 5 * time.Minute

func (s *Suite) reconcileEvery(ctx context.Context) error {
	s.retainMu.Lock()
	now := s.clock.Now()
	due := s.reconciled.IsZero() || now.Sub(s.reconciled) >= ReconcileEvery
	if due {
		s.reconciled = now
	}
	s.retainMu.Unlock()
	if !due || s.Sweep.Tasks == nil {
		return nil
	}
	_, err := s.Sweep.Reconcile(ctx)
	return err
}

// pickUp registers the running executions created since the suite last looked (all of them at start): those
// another process started in the same state folder. The suite's own are in memory already.
func (s *Suite) pickUp(ctx context.Context) error {
	s.seenMu.Lock()
	defer s.seenMu.Unlock()
	ids, last, err := s.execs.Table.Since(ctx, s.seen)
	if err != nil {
		return err
	}
	s.seen = last
	var errs []error
	for _, id := range ids {
		if _, err := s.resume(ctx, id); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// resume returns the execution id in memory, reading it from the table when it is not there yet; nil when it
// has ended, is of a definition neither current nor earlier, or was set aside.
func (s *Suite) resume(ctx context.Context, id string) (*flow.Execution, error) {
	if e, ok := s.Exec.Get(id); ok {
		if e.Status() != flow.Running {
			return nil, nil // ended: read back from the table (DropEnded), nothing to run
		}
		return e, nil
	}
	snap, err := s.execs.Load(ctx, id)
	if errors.Is(err, flow.ErrExecutionDoesNotExist) {
		return nil, nil // set aside (damaged) or gone since
	}
	if err != nil {
		return nil, err
	}
	if snap.Status != flow.Running || !s.Exec.Knows(snap.Digest) {
		return nil, nil
	}
	return s.Exec.Resume(snap)
}

// runDue runs every execution whose Wait, retry delay or deadline has come, as the executions table's due
// index says: one index range read, and only the due ones are touched. One that fails never stops the others.
func (s *Suite) runDue(ctx context.Context) error {
	ids, err := s.execs.Table.Due(ctx, s.clock.Now())
	if err != nil {
		return err
	}
	var errs []error
	for _, id := range ids {
		e, err := s.resume(ctx, id)
		if err != nil || e == nil {
			errs = append(errs, err)
			continue
		}
		if err := s.inTx(ctx, e.Run); err != nil {
			errs = append(errs, fmt.Errorf("execution %s: %w", e.Name(), err))
		}
	}
	return errors.Join(errs...)
}

// retainDaily runs every authority's retention job once a day of the suite's clock.
func (s *Suite) retainDaily(ctx context.Context) error {
	s.retainMu.Lock()
	defer s.retainMu.Unlock()
	var errs []error
	if s.deleter == nil {
		return nil // a store that cannot delete (none of the suite's)
	}
	if now := s.clock.Now(); s.retainedAt.IsZero() || now.Sub(s.retainedAt) >= RetentionEvery {
		s.retainedAt = now
		for _, a := range s.authorities {
			rep, err := s.Retention(a).Run(ctx, false)
			if err != nil {
				errs = append(errs, err)
			}
			if len(rep.Deleted) > 0 || len(rep.Records) > 0 {
				s.log.InfoContext(ctx, "retention: expired contacts and records deleted", "authority", a, "deleted", len(rep.Deleted), "records", len(rep.Records))
			}
		}
	}
	return errors.Join(errs...)
}

// RetentionEvery is how often Tick runs the retention job (production: the retention function's daily
// schedule).
const RetentionEvery = 24 * time.Hour

// Retention is an authority's retention job over the suite's store and blob folder (shared/retention).
func (s *Suite) Retention(a domain.AuthorityID) retention.Job {
	return retention.Job{Store: retentionStore{s.Store, s.deleter}, Blobs: s.blobs, Policy: s.Policies[a], Now: s.clock.Now}
}

type retentionStore struct {
	store.Store
	store.Retention
}

// Now is the suite's clock.
func (s *Suite) Now() time.Time { return s.clock.Now() }

// Path returns the states an execution went through, in order (for `mash run` to print).
func (s *Suite) Path(id domain.ContactID) ([]string, flow.Status) {
	e, ok := s.Exec.Get(string(id))
	if !ok {
		return nil, ""
	}
	var path []string
	for _, ev := range e.History() {
		if ev.Type == "StateEntered" && ev.Scope == "" {
			path = append(path, ev.State)
		}
	}
	return path, e.Status()
}

// API returns the HTTP API for one authority with the given authenticator.
func (s *Suite) API(authority domain.AuthorityID, auth api.Authenticator) http.Handler {
	srv := &api.Server{Authority: authority, Intake: s.Intake.Service, Actions: s.Actions, Store: s.Store, Auth: auth,
		Log: s.log, Now: s.clock.Now, OOH: s.EDT, RateLimit: s.rate, Directory: s.Directory}
	return srv.Handler()
}

// localTasks completes tokens on the local executor, with the same "the wait is over" conflict as the AWS
// adapter (shared/adapters/sfnx).
type localTasks struct {
	x    *flow.Executor
	unit unitOfWork
}

func (t localTasks) SendTaskSuccess(ctx context.Context, token string, output json.RawMessage) error {
	return tokenErr(t.unit(ctx, func(ctx context.Context) error { return t.x.SendTaskSuccess(ctx, token, output) }))
}

func (t localTasks) SendTaskFailure(ctx context.Context, token, errName, cause string) error {
	return tokenErr(t.unit(ctx, func(ctx context.Context) error { return t.x.SendTaskFailure(ctx, token, errName, cause) }))
}

func (t localTasks) SendTaskHeartbeat(ctx context.Context, token string) error {
	return tokenErr(t.unit(ctx, func(ctx context.Context) error { return t.x.SendTaskHeartbeat(ctx, token) }))
}

func tokenErr(err error) error {
	switch {
	case errors.Is(err, flow.ErrInvalidToken):
		return workflow.WaitOver("InvalidToken", err)
	case errors.Is(err, flow.ErrTaskTimedOut):
		return workflow.WaitOver("TaskTimedOut", err)
	}
	return err
}
