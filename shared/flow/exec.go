package flow

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	mrand "math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Handler is a task resource bound to Go code: it receives the task payload and returns its result.
type Handler func(ctx context.Context, payload json.RawMessage) (json.RawMessage, error)

// Handlers binds task resources to Go handlers. Keys: for lambda:invoke and Lambda ARNs, FunctionKey of
// the function (its name, e.g. "out-of-hours"); for other service integrations
// arn:aws:states:::SERVICE:ACTION, "SERVICE:ACTION" (e.g. "sqs:sendMessage"), whose handler receives the
// state's Parameters and whose result is used as is.
type Handlers map[string]Handler

// Options configure an Executor.
type Options struct {
	Clock       Clock          // required
	Store       StateStore     // default: NewMemoryStore()
	MachineName string         // used in execution ids; default "StateMachine"
	Jitter      func() float64 // in [0,1) for JitterStrategy FULL; default math/rand/v2
	NewToken    func() string  // task token nonce; default 16 random bytes in hex
	// Earlier are earlier definitions of the machine: an execution started under one of them (its snapshot's
	// Digest) is resumed and run to its end on it, as Step Functions runs an execution on the definition it
	// started with; new executions start on the machine. Their Task states must have handlers too.
	Earlier []*Machine
	// DropEnded lets go of an execution once it has ended (SUCCEEDED, FAILED, TIMED_OUT) and its last snapshot
	// is saved: a long-running runner (`mash run`) then holds only the executions still running, however many
	// contacts it has seen. Get reads an ended one back from the Store when asked for it.
	DropEnded bool
}

// Status of an execution, as Step Functions names it.
type Status string

// Execution statuses.
const (
	Running   Status = "RUNNING"
	Succeeded Status = "SUCCEEDED"
	Failed    Status = "FAILED"
	TimedOut  Status = "TIMED_OUT"
)

// Event is one history entry. Scope is "" for the top level, "Map[2]" or "Parallel[0]" (nested with /)
// inside an iteration or branch.
type Event struct {
	Type  string    `json:"type"`
	State string    `json:"state,omitempty"`
	Scope string    `json:"scope,omitempty"`
	At    time.Time `json:"at"`
	Error string    `json:"error,omitempty"`
	Cause string    `json:"cause,omitempty"`
}

// Frame is one thread of control: the top level, a Map iteration or a Parallel branch.
type Frame struct {
	Scope             string            `json:"scope"`
	Label             string            `json:"label,omitempty"`
	State             string            `json:"state"`
	Phase             string            `json:"phase"`
	Input             json.RawMessage   `json:"input"`
	Entered           time.Time         `json:"entered,omitzero"`
	RetryCounts       []int             `json:"retryCounts,omitempty"`
	Due               time.Time         `json:"due,omitzero"`
	Token             string            `json:"token,omitempty"`
	TokenDeadline     time.Time         `json:"tokenDeadline,omitzero"`
	HeartbeatDeadline time.Time         `json:"heartbeatDeadline,omitzero"`
	HeartbeatSeconds  int               `json:"heartbeatSeconds,omitempty"`
	Completion        *Completion       `json:"completion,omitempty"`
	Children          []*Frame          `json:"children,omitempty"`
	Items             []json.RawMessage `json:"items,omitempty"`
	Started           int               `json:"started,omitempty"`
	Output            json.RawMessage   `json:"output,omitempty"`
	Err               *stateError       `json:"err,omitempty"`

	// The parsed values the executor works on. Input, Items and Output are their JSON form, written only
	// for a snapshot (flush): a nil one whose value is live is not written yet. A frame read back from a
	// snapshot parses its JSON on first use. Values are never changed in place (ResultPath copies the
	// objects on its way), so frames share them freely.
	in        any
	inLive    bool
	items     []any
	itemsLive bool
	out       any
	outLive   bool
}

// input is the frame's state input as a value.
func (f *Frame) input() (any, error) {
	if !f.inLive {
		v, err := decode(f.Input)
		if err != nil {
			return nil, err
		}
		f.in, f.inLive = v, true
	}
	return f.in, nil
}

func (f *Frame) setInput(v any) { f.in, f.inLive, f.Input = v, true, nil }

func (f *Frame) setOutput(v any) { f.out, f.outLive, f.Output = v, true, nil }

func (f *Frame) setItems(v []any) { f.items, f.itemsLive, f.Items = v, true, nil }

func (f *Frame) clearItems() { f.items, f.itemsLive, f.Items = nil, false, nil }

// output is a finished frame's output as a value.
func (f *Frame) output() (any, error) {
	if !f.outLive {
		v, err := decode(f.Output)
		if err != nil {
			return nil, err
		}
		f.out, f.outLive = v, true
	}
	return f.out, nil
}

// itemValues are a Map's items or a Parallel's branch inputs as values.
func (f *Frame) itemValues() ([]any, error) {
	if !f.itemsLive {
		vs := make([]any, len(f.Items))
		for i, raw := range f.Items {
			v, err := decode(raw)
			if err != nil {
				return nil, err
			}
			vs[i] = v
		}
		f.items, f.itemsLive = vs, true
	}
	return f.items, nil
}

// outputJSON is a finished frame's output as JSON.
func (f *Frame) outputJSON() json.RawMessage {
	if f.Output == nil && f.outLive {
		f.Output = encode(f.out)
	}
	return f.Output
}

// flush writes the JSON form of every value not written yet, in f and its children, for a snapshot.
func flush(f *Frame) {
	walk(f, func(f *Frame) {
		if f.inLive && f.Input == nil {
			f.Input = encode(f.in)
		}
		if f.itemsLive && f.Items == nil {
			f.Items = make([]json.RawMessage, len(f.items))
			for i, v := range f.items {
				f.Items[i] = encode(v)
			}
		}
		f.outputJSON()
	})
}

// Completion is a task token's answer.
type Completion struct {
	Token  string          `json:"token"`
	Output json.RawMessage `json:"output,omitempty"`
	Failed bool            `json:"failed,omitempty"`
	Error  string          `json:"error,omitempty"`
	Cause  string          `json:"cause,omitempty"`
	Beat   bool            `json:"beat,omitempty"`

	value  any // Output parsed, when parsed already (SendTaskSuccess checks it is JSON)
	parsed bool
}

// Snapshot is an execution's whole state, serialisable as JSON.
type Snapshot struct {
	Digest    string          `json:"digest"`
	ID        string          `json:"id"`
	Name      string          `json:"name"`
	Input     json.RawMessage `json:"input"`
	StartTime time.Time       `json:"startTime"`
	Deadline  time.Time       `json:"deadline,omitzero"`
	Status    Status          `json:"status"`
	Output    json.RawMessage `json:"output,omitempty"`
	Error     string          `json:"error,omitempty"`
	Cause     string          `json:"cause,omitempty"`
	History   []Event         `json:"history"`
	Root      *Frame          `json:"root,omitempty"`
}

// UnmarshalSnapshot decodes a snapshot written by json.Marshal.
func UnmarshalSnapshot(b []byte) (Snapshot, error) {
	var s Snapshot
	err := json.Unmarshal(b, &s)
	return s, err
}

// Executor runs executions of one Machine with bound handlers.
type Executor struct {
	m       *Machine
	earlier map[string]*Machine // by Digest
	h       Handlers
	opts    Options
	mu      sync.Mutex
	execs   map[string]*Execution
}

// New binds handlers to the machine: every Task state must have a handler, else the error names the state.
func New(m *Machine, h Handlers, opts Options) (*Executor, error) {
	if opts.Clock == nil {
		return nil, fmt.Errorf("flow: Options.Clock is required")
	}
	var missing []string
	earlier := map[string]*Machine{}
	for _, em := range append([]*Machine{m}, opts.Earlier...) {
		for k, key := range em.TaskStates() {
			if h[key] == nil {
				missing = append(missing, fmt.Sprintf("state %q: no handler for %q", k, key))
			}
		}
		if em != m && em.digest != m.digest {
			earlier[em.digest] = em
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("flow: %s", strings.Join(missing, "; "))
	}
	if opts.Store == nil {
		opts.Store = NewMemoryStore()
	}
	if opts.MachineName == "" {
		opts.MachineName = "StateMachine"
	}
	if opts.Jitter == nil {
		opts.Jitter = mrand.Float64
	}
	if opts.NewToken == nil {
		opts.NewToken = func() string {
			b := make([]byte, 16)
			_, _ = rand.Read(b)
			return hex.EncodeToString(b)
		}
	}
	return &Executor{m: m, earlier: earlier, h: h, opts: opts, execs: map[string]*Execution{}}, nil
}

// ExecutionID is the id of the execution called name: arn:aws:states:local:000000000000:execution:MACHINE:NAME.
func (x *Executor) ExecutionID(name string) string {
	return "arn:aws:states:local:000000000000:execution:" + x.opts.MachineName + ":" + name
}

// Start creates the execution called name and runs it until it pauses or ends. A name already used
// (in memory or in the store) returns ErrExecutionAlreadyExists and starts nothing.
func (x *Executor) Start(ctx context.Context, name string, input json.RawMessage) (*Execution, error) {
	if name == "" || len(name) > 80 {
		return nil, fmt.Errorf("flow: execution name must be 1 to 80 characters")
	}
	if len(bytes.TrimSpace(input)) == 0 {
		input = json.RawMessage("{}")
	}
	in, err := decode(input)
	if err != nil {
		return nil, fmt.Errorf("flow: execution %q: input is not JSON: %w", name, err)
	}
	id := x.ExecutionID(name)
	now := x.opts.Clock.Now().UTC()
	s := Snapshot{Digest: x.m.digest, ID: id, Name: name, Input: input, StartTime: now, Status: Running,
		Root: &Frame{State: x.m.root.startAt, Phase: "enter", Input: input, in: in, inLive: true}}
	if x.m.timeoutSeconds > 0 {
		s.Deadline = now.Add(time.Duration(x.m.timeoutSeconds) * time.Second)
	}
	s.History = append(make([]Event, 0, historyCap), Event{Type: "ExecutionStarted", At: now})
	x.mu.Lock()
	if _, ok := x.execs[id]; ok {
		x.mu.Unlock()
		return nil, fmt.Errorf("flow: execution %q: %w", name, ErrExecutionAlreadyExists)
	}
	if err := x.opts.Store.Create(ctx, s); err != nil {
		x.mu.Unlock()
		return nil, err
	}
	e := &Execution{x: x, m: x.m, s: s, input: in, inputLive: true}
	x.execs[id] = e
	x.mu.Unlock()
	return e, e.Run(ctx)
}

// Restart starts the execution called name again from the machine's start with input, replacing an ended
// one of that name (SUCCEEDED, FAILED, ABORTED, TIMED_OUT) or starting it when there is none: the local
// counterpart of a new execution for the same contact. A RUNNING execution of that name is
// ErrExecutionAlreadyExists and is left alone.
func (x *Executor) Restart(ctx context.Context, name string, input json.RawMessage) (*Execution, error) {
	id := x.ExecutionID(name)
	prev, err := x.opts.Store.Load(ctx, id)
	if errors.Is(err, ErrExecutionDoesNotExist) {
		return x.Start(ctx, name, input)
	}
	if err != nil {
		return nil, err
	}
	x.mu.Lock()
	if e, ok := x.execs[id]; ok && e.Status() == Running || !ok && prev.Status == Running {
		x.mu.Unlock()
		return nil, fmt.Errorf("flow: execution %q is running: %w", name, ErrExecutionAlreadyExists)
	}
	if len(bytes.TrimSpace(input)) == 0 {
		input = json.RawMessage("{}")
	}
	in, err := decode(input)
	if err != nil {
		x.mu.Unlock()
		return nil, fmt.Errorf("flow: execution %q: input is not JSON: %w", name, err)
	}
	now := x.opts.Clock.Now().UTC()
	s := Snapshot{Digest: x.m.digest, ID: id, Name: name, Input: input, StartTime: now, Status: Running,
		Root: &Frame{State: x.m.root.startAt, Phase: "enter", Input: input, in: in, inLive: true}}
	if x.m.timeoutSeconds > 0 {
		s.Deadline = now.Add(time.Duration(x.m.timeoutSeconds) * time.Second)
	}
	s.History = append(make([]Event, 0, historyCap), Event{Type: "ExecutionStarted", At: now})
	if err := x.opts.Store.Save(ctx, s); err != nil {
		x.mu.Unlock()
		return nil, err
	}
	e := &Execution{x: x, m: x.m, s: s, input: in, inputLive: true}
	x.execs[id] = e
	x.mu.Unlock()
	return e, e.Run(ctx)
}

// Resume registers an execution from its snapshot (after a restart). It does not run it; call Run or
// RunDue. The snapshot must come from the machine's definition or one of Options.Earlier, which it then runs on.
func (x *Executor) Resume(s Snapshot) (*Execution, error) {
	m := x.machineOf(s.Digest)
	if m == nil {
		return nil, fmt.Errorf("flow: execution %q was started under another definition", s.Name)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if e, ok := x.execs[s.ID]; ok {
		return e, nil
	}
	e := &Execution{x: x, m: m, s: s}
	x.execs[s.ID] = e
	return e, nil
}

// machineOf is the definition a snapshot's digest names: the machine's, or an earlier one; nil if neither.
func (x *Executor) machineOf(digest string) *Machine {
	if digest == x.m.digest {
		return x.m
	}
	return x.earlier[digest]
}

// Knows reports whether an execution started under the definition with this digest can be resumed.
func (x *Executor) Knows(digest string) bool { return x.machineOf(digest) != nil }

// ResumeAll resumes every RUNNING execution in the store. One snapshot that cannot be read or resumed never
// stops the others: each failure is joined into the error, and every other execution is resumed.
func (x *Executor) ResumeAll(ctx context.Context) ([]*Execution, error) {
	ids, err := x.opts.Store.List(ctx)
	if err != nil {
		return nil, err
	}
	var out []*Execution
	var errs []error
	for _, id := range ids {
		if e, ok := x.Get(id); ok {
			out = append(out, e)
			continue
		}
		s, err := x.opts.Store.Load(ctx, id)
		if errors.Is(err, ErrExecutionDoesNotExist) {
			continue // set aside (damaged) or gone since the listing
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if s.Status != Running || x.machineOf(s.Digest) == nil {
			continue
		}
		e, err := x.Resume(s)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, e)
	}
	return out, errors.Join(errs...)
}

// Known reports whether an execution called name exists, running or ended, in memory or in the store.
func (x *Executor) Known(ctx context.Context, name string) (bool, error) {
	if _, ok := x.Get(name); ok {
		return true, nil
	}
	_, err := x.opts.Store.Load(ctx, x.ExecutionID(name))
	if errors.Is(err, ErrExecutionDoesNotExist) {
		return false, nil
	}
	return err == nil, err
}

// Get returns the execution with this name or id. With DropEnded, an ended execution no longer held is read
// from the Store (a copy to read; nothing runs it).
func (x *Executor) Get(nameOrID string) (*Execution, bool) {
	x.mu.Lock()
	e, ok := x.execs[nameOrID]
	if !ok {
		e, ok = x.execs[x.ExecutionID(nameOrID)]
	}
	x.mu.Unlock()
	if ok || !x.opts.DropEnded {
		return e, ok
	}
	for _, id := range []string{nameOrID, x.ExecutionID(nameOrID)} {
		if s, err := x.opts.Store.Load(context.Background(), id); err == nil && s.Status != Running {
			return &Execution{x: x, m: x.machineOf(s.Digest), s: s}, true
		}
	}
	return nil, false
}

// Held is how many executions the executor holds in memory.
func (x *Executor) Held() int {
	x.mu.Lock()
	defer x.mu.Unlock()
	return len(x.execs)
}

// drop lets go of e (when it is still the one held under its id).
func (x *Executor) drop(e *Execution) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.execs[e.s.ID] == e {
		delete(x.execs, e.s.ID)
	}
}

// Reload replaces the executions held under ids with what the Store has: for a runner whose unit of work
// (the steps' writes and the snapshot, one transaction) failed to commit, so that memory is never ahead of the
// database. One the Store does not have (its creation rolled back) or that has ended is let go; one still
// running there is held again as the Store has it, its tokens and waits included.
func (x *Executor) Reload(ctx context.Context, ids ...string) error {
	var errs []error
	for _, id := range ids {
		x.mu.Lock()
		delete(x.execs, id)
		x.mu.Unlock()
		s, err := x.opts.Store.Load(ctx, id)
		if errors.Is(err, ErrExecutionDoesNotExist) {
			continue
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if s.Status != Running || x.machineOf(s.Digest) == nil {
			continue
		}
		if _, err := x.Resume(s); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (x *Executor) list() []*Execution {
	x.mu.Lock()
	defer x.mu.Unlock()
	out := make([]*Execution, 0, len(x.execs))
	for _, e := range x.execs {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].s.ID < out[j].s.ID })
	return out
}

// RunDue runs every running execution whose Wait, retry delay or deadline is due by the clock.
func (x *Executor) RunDue(ctx context.Context) error {
	now := x.opts.Clock.Now()
	for _, e := range x.list() {
		if due, ok := e.NextDue(); ok && !due.After(now) {
			if err := e.Run(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}

// NextDue is the earliest time any execution has something to do.
func (x *Executor) NextDue() (time.Time, bool) {
	var best time.Time
	found := false
	for _, e := range x.list() {
		if d, ok := e.NextDue(); ok && (!found || d.Before(best)) {
			best, found = d, true
		}
	}
	return best, found
}

func (x *Executor) byToken(token string) (*Execution, error) {
	dot := strings.IndexByte(token, '.')
	if dot < 0 {
		return nil, ErrInvalidToken
	}
	id, err := base64.RawURLEncoding.DecodeString(token[:dot])
	if err != nil {
		return nil, ErrInvalidToken
	}
	x.mu.Lock()
	e, ok := x.execs[string(id)]
	x.mu.Unlock()
	if !ok {
		return nil, ErrInvalidToken
	}
	return e, nil
}

// SendTaskSuccess completes the task waiting on token with output and resumes its execution.
func (x *Executor) SendTaskSuccess(ctx context.Context, token string, output json.RawMessage) error {
	e, err := x.byToken(token)
	if err != nil {
		return err
	}
	return e.SendTaskSuccess(ctx, token, output)
}

// SendTaskFailure fails the task waiting on token with an ASL error name and cause.
func (x *Executor) SendTaskFailure(ctx context.Context, token, errName, cause string) error {
	e, err := x.byToken(token)
	if err != nil {
		return err
	}
	return e.SendTaskFailure(ctx, token, errName, cause)
}

// SendTaskHeartbeat restarts the HeartbeatSeconds interval of the task waiting on token.
func (x *Executor) SendTaskHeartbeat(ctx context.Context, token string) error {
	e, err := x.byToken(token)
	if err != nil {
		return err
	}
	return e.SendTaskHeartbeat(ctx, token)
}

// Execution is one run of the machine. Its methods are safe for concurrent use; one goroutine drives it
// at a time. A handler may call SendTask* (on the Executor or the Execution) for its own execution: the
// answer is queued and applied before Run returns. A handler must not call Status/Output/History/
// Snapshot of its own execution (they wait for the run to pause).
type Execution struct {
	x         *Executor
	m         *Machine   // the definition it started with
	mu        sync.Mutex // guards s, input
	s         Snapshot
	input     any // s.Input parsed, for the context object
	inputLive bool
	inMu      sync.Mutex // guards running, inbox
	running   bool
	inbox     []Completion
}

// ID is the execution id; Name its name.
func (e *Execution) ID() string   { return e.s.ID }
func (e *Execution) Name() string { return e.s.Name }

// Status returns RUNNING, SUCCEEDED, FAILED or TIMED_OUT.
func (e *Execution) Status() Status {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.s.Status
}

// Output is the execution's output once SUCCEEDED.
func (e *Execution) Output() json.RawMessage {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.s.Output
}

// Error returns the ASL error name and cause of a FAILED execution.
func (e *Execution) Error() (name, cause string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.s.Error, e.s.Cause
}

// History returns a copy of the events so far.
func (e *Execution) History() []Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]Event(nil), e.s.History...)
}

// Snapshot returns a deep copy of the execution's state.
func (e *Execution) Snapshot() Snapshot {
	e.mu.Lock()
	defer e.mu.Unlock()
	flush(e.s.Root)
	b, _ := json.Marshal(e.s)
	s, _ := UnmarshalSnapshot(b)
	return s
}

// Tokens lists the task tokens the execution is waiting on (state name → token), e.g. for a console.
func (e *Execution) Tokens() map[string]string {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := map[string]string{}
	walk(e.s.Root, func(f *Frame) {
		if f.Phase == "token" && f.Token != "" {
			out[joinScope(f.Label, f.State)] = f.Token
		}
	})
	return out
}

// NextDue is the earliest clock time at which the execution has something to do without outside input.
func (e *Execution) NextDue() (time.Time, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.s.NextDue()
}

// NextDue is the earliest clock time at which the execution this snapshot is of has something to do without
// outside input; false when it has none (ended, or waiting on a task token with no deadline). A runner keeps
// it beside the snapshot as an index of due work (shared/local).
func (s *Snapshot) NextDue() (time.Time, bool) {
	if s.Status != Running {
		return time.Time{}, false
	}
	var best time.Time
	found := false
	consider := func(t time.Time) {
		if !t.IsZero() && (!found || t.Before(best)) {
			best, found = t, true
		}
	}
	consider(s.Deadline)
	walk(s.Root, func(f *Frame) {
		switch f.Phase {
		case "wait", "retry":
			consider(f.Due)
		case "token":
			consider(f.TokenDeadline)
			consider(f.HeartbeatDeadline)
		case "enter", "run":
			// Saved mid-step: a process stopped (SIGKILL) while this state ran. Its steps are idempotent, so
			// it is due at once and runs again (issue #13: such executions never resumed).
			consider(s.StartTime)
		case "children":
			if len(f.Children) < len(f.Items) || allEnded(f.Children) {
				consider(s.StartTime) // iterations to start, or all ended and not yet collected
			}
		}
	})
	return best, found
}

func allEnded(fs []*Frame) bool {
	for _, c := range fs {
		if c.Phase != "done" && c.Phase != "failed" {
			return false
		}
	}
	return true
}

func walk(f *Frame, fn func(*Frame)) {
	if f == nil {
		return
	}
	fn(f)
	for _, c := range f.Children {
		walk(c, fn)
	}
}

// SendTaskSuccess completes the task waiting on token.
func (e *Execution) SendTaskSuccess(ctx context.Context, token string, output json.RawMessage) error {
	v, err := decode(output)
	if err != nil || len(bytes.TrimSpace(output)) == 0 {
		return fmt.Errorf("flow: InvalidOutput: task output is not JSON")
	}
	return e.drive(ctx, &Completion{Token: token, Output: output, value: v, parsed: true})
}

// SendTaskFailure fails the task waiting on token.
func (e *Execution) SendTaskFailure(ctx context.Context, token, errName, cause string) error {
	return e.drive(ctx, &Completion{Token: token, Failed: true, Error: errName, Cause: cause})
}

// SendTaskHeartbeat restarts the heartbeat interval of the task waiting on token.
func (e *Execution) SendTaskHeartbeat(ctx context.Context, token string) error {
	return e.drive(ctx, &Completion{Token: token, Beat: true})
}

// Run advances the execution until every thread waits (task token, Wait not yet due, retry delay) or
// it ends. Calling it while another goroutine runs the execution returns at once.
func (e *Execution) Run(ctx context.Context) error { return e.drive(ctx, nil) }

func (e *Execution) drive(ctx context.Context, c *Completion) error {
	e.inMu.Lock()
	if e.running {
		if c != nil {
			e.inbox = append(e.inbox, *c)
		}
		e.inMu.Unlock()
		return nil
	}
	e.running = true
	e.inMu.Unlock()

	e.mu.Lock()
	var err error
	if c != nil {
		err = e.apply(*c)
	}
	e.loop(ctx)
	flush(e.s.Root)
	snap := e.s
	saveErr := e.x.opts.Store.Save(ctx, snap)
	e.mu.Unlock()
	if saveErr == nil && snap.Status != Running && e.x.opts.DropEnded {
		e.x.drop(e) // its last snapshot is in the Store, where Get finds it
	}

	e.inMu.Lock()
	e.running = false
	pending := len(e.inbox) > 0
	e.inMu.Unlock()
	if pending {
		if perr := e.drive(ctx, nil); perr != nil && saveErr == nil {
			saveErr = perr
		}
	}
	if err != nil {
		return err
	}
	return saveErr
}

const historyLimit = 25000

// historyCap is the history's first capacity: a contact's happy path writes about 60 events.
const historyCap = 64

func (e *Execution) loop(ctx context.Context) {
	for {
		e.inMu.Lock()
		inbox := e.inbox
		e.inbox = nil
		e.inMu.Unlock()
		for _, c := range inbox {
			_ = e.apply(c)
		}
		if e.s.Status != Running {
			return
		}
		now := e.now()
		if !e.s.Deadline.IsZero() && !now.Before(e.s.Deadline) {
			e.s.Status, e.s.Error, e.s.Cause = TimedOut, ErrTimeout, "execution timed out"
			e.s.Root = nil
			e.event(Event{Type: "ExecutionTimedOut"})
			return
		}
		progress := e.advance(ctx, e.s.Root)
		switch e.s.Root.Phase {
		case "done":
			e.s.Status, e.s.Output, e.s.Root = Succeeded, e.s.Root.outputJSON(), nil
			e.event(Event{Type: "ExecutionSucceeded"})
			return
		case "failed":
			e.s.Status, e.s.Error, e.s.Cause, e.s.Root = Failed, e.s.Root.Err.Name, e.s.Root.Err.Cause, nil
			e.event(Event{Type: "ExecutionFailed", Error: e.s.Error, Cause: e.s.Cause})
			return
		}
		if len(e.s.History) > historyLimit {
			e.s.Status, e.s.Error, e.s.Cause, e.s.Root = Failed, ErrRuntime, "history limit exceeded", nil
			e.event(Event{Type: "ExecutionFailed", Error: e.s.Error, Cause: e.s.Cause})
			return
		}
		e.inMu.Lock()
		more := len(e.inbox) > 0
		e.inMu.Unlock()
		if !progress && !more {
			return
		}
	}
}

func (e *Execution) now() time.Time { return e.x.opts.Clock.Now().UTC() }

func (e *Execution) event(ev Event) {
	ev.At = e.now()
	e.s.History = append(e.s.History, ev)
}

func (e *Execution) newToken() string {
	return base64.RawURLEncoding.EncodeToString([]byte(e.s.ID)) + "." + e.x.opts.NewToken()
}

// apply hands a token answer to the waiting frame.
func (e *Execution) apply(c Completion) error {
	var target *Frame
	walk(e.s.Root, func(f *Frame) {
		if f.Phase == "token" && f.Token == c.Token {
			target = f
		}
	})
	if target == nil || target.Completion != nil {
		return ErrTaskTimedOut
	}
	now := e.now()
	if (!target.TokenDeadline.IsZero() && !now.Before(target.TokenDeadline)) ||
		(!target.HeartbeatDeadline.IsZero() && !now.Before(target.HeartbeatDeadline)) {
		return ErrTaskTimedOut // the next advance times it out
	}
	if c.Beat {
		if target.HeartbeatSeconds > 0 {
			target.HeartbeatDeadline = now.Add(time.Duration(target.HeartbeatSeconds) * time.Second)
		}
		return nil
	}
	cc := c
	target.Completion = &cc
	return nil
}

func (e *Execution) st(f *Frame) *state { return e.m.scopes[f.Scope].states[f.State] }

// advance moves one frame as far as it can go now; it reports whether anything changed.
func (e *Execution) advance(ctx context.Context, f *Frame) bool {
	progress := false
	for {
		switch f.Phase {
		case "done", "failed":
			return progress
		case "enter":
			f.Entered, f.RetryCounts, f.Phase = e.now(), nil, "run"
			e.event(Event{Type: "StateEntered", State: f.State, Scope: f.Label})
		case "run":
			e.runState(ctx, f)
		case "wait":
			if e.now().Before(f.Due) {
				return progress
			}
			st := e.st(f)
			in, err := e.effectiveInput(f, st)
			if err != nil {
				e.fail(f, st, err)
				continue
			}
			e.finish(f, st, in)
		case "retry":
			if e.now().Before(f.Due) {
				return progress
			}
			f.Phase = "run"
		case "token":
			if !e.token(f) {
				return progress
			}
		case "children":
			if !e.children(ctx, f) {
				return progress
			}
		default:
			e.fail(f, e.st(f), &stateError{Name: ErrRuntime, Cause: "unknown phase " + f.Phase})
		}
		progress = true
	}
}

// evalCtx is the context object ($$) of one evaluation in frame f. The task token and the Map item are read
// directly; the whole object is built only when a path reads anything else.
type evalCtx struct {
	e       *Execution
	f       *Frame
	token   string // $$.Task.Token, in a .waitForTaskToken task's Parameters
	hasItem bool   // $$.Map.Item, in a Map's ItemSelector
	index   int
	item    any
	built   any
}

func (c *evalCtx) lookup(k ctxKind) (any, bool) {
	switch {
	case k == ctxTaskToken && c.token != "":
		return c.token, true
	case k == ctxItemValue && c.hasItem:
		return c.item, true
	case k == ctxItemIndex && c.hasItem:
		return json.Number(strconv.Itoa(c.index)), true
	}
	return nil, false
}

func (c *evalCtx) value() any {
	if c.built == nil {
		c.built = c.e.contextObject(c)
	}
	return c.built
}

func (e *Execution) executionInput() any {
	if !e.inputLive {
		e.input, _ = decode(e.s.Input)
		e.inputLive = true
	}
	return e.input
}

func (e *Execution) contextObject(c *evalCtx) map[string]any {
	f := c.f
	retries := 0
	for _, n := range f.RetryCounts {
		retries += n
	}
	o := map[string]any{
		"Execution": map[string]any{"Id": e.s.ID, "Name": e.s.Name, "Input": e.executionInput(),
			"StartTime": e.s.StartTime.Format(time.RFC3339Nano)},
		"StateMachine": map[string]any{"Id": "arn:aws:states:local:000000000000:stateMachine:" + e.x.opts.MachineName,
			"Name": e.x.opts.MachineName},
		"State": map[string]any{"Name": f.State, "EnteredTime": f.Entered.Format(time.RFC3339Nano),
			"RetryCount": json.Number(strconv.Itoa(retries))},
	}
	if c.token != "" {
		o["Task"] = map[string]any{"Token": c.token}
	}
	if c.hasItem {
		o["Map"] = map[string]any{"Item": map[string]any{"Index": json.Number(strconv.Itoa(c.index)), "Value": c.item}}
	}
	return o
}

func runtimeErr(what string, err error) *stateError {
	if se, ok := err.(*stateError); ok {
		return se
	}
	return &stateError{Name: ErrRuntime, Cause: what + ": " + err.Error()}
}

func (e *Execution) effectiveInput(f *Frame, st *state) (any, error) {
	raw, err := f.input()
	if err != nil {
		return nil, runtimeErr("state input", err)
	}
	if st.inputPath.null {
		return map[string]any{}, nil
	}
	c := evalCtx{e: e, f: f}
	v, err := st.inputPath.p.get(raw, &c)
	if err != nil {
		return nil, runtimeErr("InputPath", err)
	}
	return v, nil
}

func evalTemplate(t *template, what string, input any, ctx *evalCtx) (any, error) {
	v, err := t.eval(input, ctx)
	if err != nil {
		if se, ok := err.(*stateError); ok {
			return nil, se
		}
		return nil, &stateError{Name: ErrParameterPath, Cause: what + ": " + err.Error()}
	}
	return v, nil
}

// finish ends the state with output (after OutputPath) and moves on.
func (e *Execution) finish(f *Frame, st *state, out any) {
	if st.outputPath.null {
		out = map[string]any{}
	} else {
		c := evalCtx{e: e, f: f}
		v, err := st.outputPath.p.get(out, &c)
		if err != nil {
			e.fail(f, st, runtimeErr("OutputPath", err))
			return
		}
		out = v
	}
	e.event(Event{Type: "StateExited", State: f.State, Scope: f.Label})
	f.Token, f.TokenDeadline, f.HeartbeatDeadline, f.HeartbeatSeconds, f.Due = "", time.Time{}, time.Time{}, 0, time.Time{}
	f.Completion, f.Children, f.Started = nil, nil, 0
	f.clearItems()
	if st.end || st.typ == "Succeed" {
		f.setOutput(out)
		f.Phase = "done"
		return
	}
	f.State, f.Phase = st.next, "enter"
	f.setInput(out)
}

// complete applies ResultSelector and ResultPath to a result, then finishes the state.
func (e *Execution) complete(f *Frame, st *state, result any) {
	if st.resultSelector != nil {
		c := evalCtx{e: e, f: f}
		v, err := evalTemplate(st.resultSelector, "ResultSelector", result, &c)
		if err != nil {
			e.fail(f, st, err)
			return
		}
		result = v
	}
	raw, err := f.input()
	if err != nil {
		e.fail(f, st, runtimeErr("state input", err))
		return
	}
	out := raw
	if !st.resultPath.null {
		if out, err = st.resultPath.p.set(raw, result); err != nil {
			e.fail(f, st, &stateError{Name: ErrResultPathFailure, Cause: err.Error()})
			return
		}
	}
	e.finish(f, st, out)
}

func (e *Execution) runState(ctx context.Context, f *Frame) {
	st := e.st(f)
	if st.typ == "Fail" {
		e.runFail(f, st)
		return
	}
	in, err := e.effectiveInput(f, st)
	if err != nil {
		e.fail(f, st, err)
		return
	}
	switch st.typ {
	case "Pass":
		result := in
		if st.parameters != nil {
			c := evalCtx{e: e, f: f}
			if result, err = evalTemplate(st.parameters, "Parameters", in, &c); err != nil {
				e.fail(f, st, err)
				return
			}
		}
		if st.hasResult {
			result = st.result
		}
		e.complete(f, st, result)
	case "Succeed":
		e.finish(f, st, in)
	case "Choice":
		c := evalCtx{e: e, f: f}
		for _, r := range st.choices {
			ok, err := r.eval(in, &c)
			if err != nil {
				e.fail(f, st, runtimeErr("Choice", err))
				return
			}
			if ok {
				e.choose(f, st, in, r.next)
				return
			}
		}
		if st.dflt == "" {
			e.fail(f, st, &stateError{Name: ErrNoChoiceMatched, Cause: "no Choice rule matched and there is no Default"})
			return
		}
		e.choose(f, st, in, st.dflt)
	case "Wait":
		due, err := e.waitDue(f, st, in)
		if err != nil {
			e.fail(f, st, err)
			return
		}
		f.Due, f.Phase = due, "wait"
		e.event(Event{Type: "WaitStarted", State: f.State, Scope: f.Label})
	case "Task":
		e.runTask(ctx, f, st, in)
	case "Map":
		e.startMap(f, st, in)
	case "Parallel":
		if st.parameters != nil {
			c := evalCtx{e: e, f: f}
			if in, err = evalTemplate(st.parameters, "Parameters", in, &c); err != nil {
				e.fail(f, st, err)
				return
			}
		}
		items := make([]any, len(st.branches))
		for i := range items {
			items[i] = in // values are never changed in place: the branches share it
		}
		f.setItems(items)
		f.Children, f.Started, f.Phase = nil, 0, "children"
	}
}

func (e *Execution) choose(f *Frame, st *state, in any, next string) {
	out := in
	if st.outputPath.null {
		out = map[string]any{}
	} else {
		c := evalCtx{e: e, f: f}
		v, err := st.outputPath.p.get(in, &c)
		if err != nil {
			e.fail(f, st, runtimeErr("OutputPath", err))
			return
		}
		out = v
	}
	e.event(Event{Type: "StateExited", State: f.State, Scope: f.Label})
	f.State, f.Phase = next, "enter"
	f.setInput(out)
}

func (e *Execution) runFail(f *Frame, st *state) {
	se := &stateError{Name: st.errorName, Cause: st.cause}
	if st.errorPath != nil || st.causePath != nil {
		raw, _ := f.input()
		for _, pc := range []struct {
			p   *path
			dst *string
		}{{st.errorPath, &se.Name}, {st.causePath, &se.Cause}} {
			if pc.p == nil {
				continue
			}
			c := evalCtx{e: e, f: f}
			v, err := pc.p.get(raw, &c)
			s, ok := v.(string)
			if err != nil || !ok {
				e.fail(f, st, &stateError{Name: ErrRuntime, Cause: "ErrorPath/CausePath must select a string"})
				return
			}
			*pc.dst = s
		}
	}
	e.event(Event{Type: "FailStateEntered", State: f.State, Scope: f.Label, Error: se.Name, Cause: se.Cause})
	f.Err, f.Phase = se, "failed"
}

func (e *Execution) waitDue(f *Frame, st *state, in any) (time.Time, error) {
	now := e.now()
	c := evalCtx{e: e, f: f}
	switch {
	case st.hasSeconds:
		return now.Add(time.Duration(st.seconds) * time.Second), nil
	case st.timestamp != "":
		t, err := parseTimestamp(st.timestamp)
		return t, err
	case st.secondsPath != nil:
		v, err := st.secondsPath.get(in, &c)
		if err != nil {
			return time.Time{}, runtimeErr("SecondsPath", err)
		}
		n, err := toInt(v)
		if err != nil || n < 0 {
			return time.Time{}, &stateError{Name: ErrRuntime, Cause: "SecondsPath must select a non-negative integer"}
		}
		return now.Add(time.Duration(n) * time.Second), nil
	default:
		v, err := st.timestampPath.get(in, &c)
		if err != nil {
			return time.Time{}, runtimeErr("TimestampPath", err)
		}
		s, _ := v.(string)
		t, err := parseTimestamp(s)
		if err != nil {
			return time.Time{}, &stateError{Name: ErrRuntime, Cause: "TimestampPath must select an RFC 3339 timestamp"}
		}
		return t, nil
	}
}

func (e *Execution) intPath(p *path, in any, f *Frame, static int) (int, error) {
	if p == nil {
		return static, nil
	}
	c := evalCtx{e: e, f: f}
	v, err := p.get(in, &c)
	if err != nil {
		return 0, runtimeErr(p.raw, err)
	}
	n, err := toInt(v)
	if err != nil || n < 1 {
		return 0, &stateError{Name: ErrRuntime, Cause: p.raw + " must select a positive integer"}
	}
	return n, nil
}

func (e *Execution) runTask(ctx context.Context, f *Frame, st *state, in any) {
	c := evalCtx{e: e, f: f}
	if st.waitForToken {
		f.Token = e.newToken()
		c.token = f.Token
	}
	params := in
	if st.parameters != nil {
		v, err := evalTemplate(st.parameters, "Parameters", in, &c)
		if err != nil {
			f.Token = ""
			e.fail(f, st, err)
			return
		}
		params = v
	}
	payload := params
	if st.kind == resLambdaInvoke {
		payload = nil
		if m, ok := params.(map[string]any); ok {
			payload = m["Payload"]
		}
	}
	e.event(Event{Type: "TaskScheduled", State: f.State, Scope: f.Label})
	out, herr := e.x.h[st.handlerKey](ctx, encode(payload))
	if herr != nil {
		f.Token = ""
		se := lambdaError(herr)
		if st.kind == resService {
			se = &stateError{Name: ErrorType(herr), Cause: herr.Error()}
		}
		e.event(Event{Type: "TaskFailed", State: f.State, Scope: f.Label, Error: se.Name, Cause: se.Cause})
		e.fail(f, st, se)
		return
	}
	if st.waitForToken {
		timeout, err := e.intPath(st.timeoutSecondsPath, in, f, st.timeoutSeconds)
		if err == nil {
			f.HeartbeatSeconds, err = e.intPath(st.heartbeatSecondsPath, in, f, st.heartbeatSeconds)
		}
		if err != nil {
			f.Token = ""
			e.fail(f, st, err)
			return
		}
		now := e.now()
		f.TokenDeadline, f.HeartbeatDeadline = time.Time{}, time.Time{}
		if timeout > 0 {
			f.TokenDeadline = now.Add(time.Duration(timeout) * time.Second)
		}
		if f.HeartbeatSeconds > 0 {
			f.HeartbeatDeadline = now.Add(time.Duration(f.HeartbeatSeconds) * time.Second)
		}
		f.Phase = "token"
		e.event(Event{Type: "TaskSubmitted", State: f.State, Scope: f.Label})
		return
	}
	var result any = nil
	if len(bytes.TrimSpace(out)) > 0 {
		v, err := decode(out)
		if err != nil {
			e.fail(f, st, &stateError{Name: ErrTaskFailed, Cause: "handler returned invalid JSON"})
			return
		}
		result = v
	}
	if st.kind == resLambdaInvoke {
		result = lambdaEnvelope(result)
	}
	e.event(Event{Type: "TaskSucceeded", State: f.State, Scope: f.Label})
	e.complete(f, st, result)
}

// lambdaEnvelope is what arn:aws:states:::lambda:invoke returns: the Invoke API response.
func lambdaEnvelope(payload any) any {
	return map[string]any{
		"ExecutedVersion": "$LATEST",
		"Payload":         payload,
		"SdkHttpMetadata": lambdaHTTPMetadata,
		"StatusCode":      json.Number("200"),
	}
}

// lambdaHTTPMetadata is shared by every envelope: values are never changed in place.
var lambdaHTTPMetadata = map[string]any{
	"HttpHeaders": map[string]any{
		"Content-Type":           "application/json",
		"X-Amz-Executed-Version": "$LATEST",
	},
	"HttpStatusCode": json.Number("200"),
}

// LambdaInvokeResult is the lambda:invoke integration's result for a function that returned payload.
func LambdaInvokeResult(payload json.RawMessage) (json.RawMessage, error) {
	v, err := decode(payload)
	if err != nil {
		return nil, err
	}
	return encode(lambdaEnvelope(v)), nil
}

// token checks a waiting task; it reports whether the frame moved.
func (e *Execution) token(f *Frame) bool {
	st := e.st(f)
	now := e.now()
	if c := f.Completion; c != nil {
		f.Completion, f.Token = nil, ""
		if c.Failed {
			se := &stateError{Name: c.Error, Cause: c.Cause}
			e.event(Event{Type: "TaskFailed", State: f.State, Scope: f.Label, Error: se.Name, Cause: se.Cause})
			e.fail(f, st, se)
			return true
		}
		result, err := c.value, error(nil)
		if !c.parsed {
			result, err = decode(c.Output)
		}
		if err != nil {
			e.fail(f, st, runtimeErr("task output", err))
			return true
		}
		e.event(Event{Type: "TaskSucceeded", State: f.State, Scope: f.Label})
		e.complete(f, st, result)
		return true
	}
	var se *stateError
	switch {
	case !f.TokenDeadline.IsZero() && !now.Before(f.TokenDeadline):
		se = &stateError{Name: ErrTimeout, Cause: "the task token was not answered within TimeoutSeconds"}
	case !f.HeartbeatDeadline.IsZero() && !now.Before(f.HeartbeatDeadline):
		se = &stateError{Name: ErrHeartbeatTimeout, Cause: "no heartbeat within HeartbeatSeconds"}
	default:
		return false
	}
	f.Token = ""
	e.event(Event{Type: "TaskTimedOut", State: f.State, Scope: f.Label, Error: se.Name, Cause: se.Cause})
	e.fail(f, st, se)
	return true
}

func (e *Execution) startMap(f *Frame, st *state, in any) {
	items := in
	if st.itemsPath != nil {
		c := evalCtx{e: e, f: f}
		v, err := st.itemsPath.get(in, &c)
		if err != nil {
			e.fail(f, st, runtimeErr("ItemsPath", err))
			return
		}
		items = v
	}
	arr, ok := items.([]any)
	if !ok {
		e.fail(f, st, &stateError{Name: ErrRuntime, Cause: "the Map state's items are not an array"})
		return
	}
	vs := arr
	if st.itemSelector != nil {
		vs = make([]any, len(arr))
		for i, item := range arr {
			c := evalCtx{e: e, f: f, hasItem: true, index: i, item: item}
			v, err := evalTemplate(st.itemSelector, "ItemSelector", in, &c)
			if err != nil {
				e.fail(f, st, err)
				return
			}
			vs[i] = v
		}
	}
	f.setItems(vs)
	f.Children, f.Started, f.Phase = nil, 0, "children"
}

// children drives Map iterations / Parallel branches; it reports whether anything moved.
func (e *Execution) children(ctx context.Context, f *Frame) bool {
	st := e.st(f)
	items, err := f.itemValues()
	if err != nil {
		e.fail(f, st, runtimeErr("iteration input", err))
		return true
	}
	progress := false
	for {
		moved := false
		active := 0
		for _, c := range f.Children {
			if c.Phase != "done" && c.Phase != "failed" {
				active++
			}
		}
		limit := st.maxConcurrency
		for f.Started < len(items) && (limit == 0 || active < limit) {
			i := f.Started
			scopeKey := st.iterator
			if st.typ == "Parallel" {
				scopeKey = st.branches[i]
			}
			c := &Frame{Scope: scopeKey, Label: joinScope(f.Label, f.State+"["+strconv.Itoa(i)+"]"),
				State: e.m.scopes[scopeKey].startAt, Phase: "enter"}
			c.setInput(items[i])
			f.Children = append(f.Children, c)
			f.Started++
			active++
			moved = true
			e.event(Event{Type: st.typ + "IterationStarted", State: f.State, Scope: c.Label})
		}
		for _, c := range f.Children {
			if c.Phase == "done" || c.Phase == "failed" {
				continue
			}
			if e.advance(ctx, c) {
				moved = true
			}
			switch c.Phase {
			case "failed":
				e.event(Event{Type: st.typ + "IterationFailed", State: f.State, Scope: c.Label, Error: c.Err.Name, Cause: c.Err.Cause})
				err := c.Err
				f.Children, f.Started = nil, 0
				f.clearItems()
				e.fail(f, st, err)
				return true
			case "done":
				e.event(Event{Type: st.typ + "IterationSucceeded", State: f.State, Scope: c.Label})
			}
		}
		if f.Started == len(items) {
			all := true
			for _, c := range f.Children {
				if c.Phase != "done" {
					all = false
				}
			}
			if all {
				out := make([]any, len(f.Children))
				for i, c := range f.Children {
					v, err := c.output()
					if err != nil {
						e.fail(f, st, runtimeErr("iteration output", err))
						return true
					}
					out[i] = v
				}
				e.complete(f, st, out)
				return true
			}
		}
		if !moved {
			return progress
		}
		progress = true
	}
}

// fail applies Retry, then Catch, else fails the frame.
func (e *Execution) fail(f *Frame, st *state, err error) {
	se, ok := err.(*stateError)
	if !ok {
		se = &stateError{Name: ErrRuntime, Cause: err.Error()}
	}
	f.Token, f.Completion, f.Children, f.Started = "", nil, nil, 0
	f.clearItems()
	f.TokenDeadline, f.HeartbeatDeadline, f.Due = time.Time{}, time.Time{}, time.Time{}
	for i, r := range st.retry {
		if !matches(r.errorEquals, se.Name) {
			continue
		}
		for len(f.RetryCounts) < len(st.retry) {
			f.RetryCounts = append(f.RetryCounts, 0)
		}
		n := f.RetryCounts[i]
		if n >= r.maxAttempts {
			break
		}
		delay := r.interval * math.Pow(r.backoff, float64(n))
		if r.maxDelay > 0 && delay > r.maxDelay {
			delay = r.maxDelay
		}
		if r.fullJitter {
			delay *= e.x.opts.Jitter()
		}
		f.RetryCounts[i]++
		f.Due, f.Phase = e.now().Add(time.Duration(delay*float64(time.Second))), "retry"
		e.event(Event{Type: "StateRetried", State: f.State, Scope: f.Label, Error: se.Name, Cause: se.Cause})
		return
	}
	for _, c := range st.catch {
		if !matches(c.errorEquals, se.Name) {
			continue
		}
		raw, derr := f.input()
		if derr != nil {
			break
		}
		out := raw
		if !c.resultPath.null {
			v, perr := c.resultPath.p.set(raw, map[string]any{"Error": se.Name, "Cause": se.Cause})
			if perr != nil {
				se = &stateError{Name: ErrResultPathFailure, Cause: perr.Error()}
				break
			}
			out = v
		}
		e.event(Event{Type: "StateCaught", State: f.State, Scope: f.Label, Error: se.Name, Cause: se.Cause})
		e.event(Event{Type: "StateExited", State: f.State, Scope: f.Label})
		f.State, f.Phase, f.RetryCounts = c.next, "enter", nil
		f.setInput(out)
		return
	}
	e.event(Event{Type: "StateFailed", State: f.State, Scope: f.Label, Error: se.Name, Cause: se.Cause})
	f.Err, f.Phase = se, "failed"
}
