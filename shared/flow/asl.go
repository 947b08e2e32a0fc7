package flow

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Machine is a parsed, validated state machine definition. It is immutable and safe to share.
type Machine struct {
	root           *scope
	scopes         map[string]*scope
	digest         string
	timeoutSeconds int
}

// Digest identifies the definition (after substitution); a Snapshot taken under one definition is
// only resumed under the same one.
func (m *Machine) Digest() string { return m.digest }

// TaskStates lists every Task state as "scope/state" → handler key, for wiring and documentation.
func (m *Machine) TaskStates() map[string]string {
	out := map[string]string{}
	for _, sc := range m.scopes {
		for name, st := range sc.states {
			if st.typ == "Task" {
				out[joinScope(sc.key, name)] = st.handlerKey
			}
		}
	}
	return out
}

func joinScope(scopeKey, name string) string {
	if scopeKey == "" {
		return name
	}
	return scopeKey + "/" + name
}

type scope struct {
	key     string
	startAt string
	states  map[string]*state
}

// optPath is InputPath/OutputPath/ResultPath: absent means "$", JSON null means "discard".
type optPath struct {
	null bool
	p    path
}

type retrier struct {
	errorEquals []string
	interval    float64
	maxAttempts int
	backoff     float64
	maxDelay    float64
	fullJitter  bool
}

type catcher struct {
	errorEquals []string
	next        string
	resultPath  optPath
}

type resourceKind int

const (
	resLambdaInvoke resourceKind = iota // arn:aws:states:::lambda:invoke
	resLambdaARN                        // arn:aws:lambda:…:function:NAME
	resService                          // arn:aws:states:::SERVICE:ACTION (payload = Parameters)
)

type state struct {
	name string
	typ  string
	next string
	end  bool

	inputPath, outputPath, resultPath optPath
	parameters, resultSelector        *template
	retry                             []retrier
	catch                             []catcher

	// Task
	resource             string
	kind                 resourceKind
	waitForToken         bool
	handlerKey           string
	timeoutSeconds       int
	timeoutSecondsPath   *path
	heartbeatSeconds     int
	heartbeatSecondsPath *path

	// Pass
	result    any
	hasResult bool

	// Choice
	choices []*rule
	dflt    string

	// Wait
	seconds       int
	hasSeconds    bool
	secondsPath   *path
	timestamp     string
	timestampPath *path

	// Fail
	errorName, cause string
	errorPath        *path
	causePath        *path

	// Map
	itemsPath      *path
	itemSelector   *template
	maxConcurrency int
	iterator       string // scope key

	// Parallel
	branches []string // scope keys
}

var allowedFields = map[string][]string{
	"Task": {"Type", "Comment", "Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters",
		"ResultSelector", "Retry", "Catch", "Resource", "TimeoutSeconds", "TimeoutSecondsPath",
		"HeartbeatSeconds", "HeartbeatSecondsPath"},
	"Pass":    {"Type", "Comment", "Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "Result"},
	"Choice":  {"Type", "Comment", "InputPath", "OutputPath", "Choices", "Default"},
	"Wait":    {"Type", "Comment", "Next", "End", "InputPath", "OutputPath", "Seconds", "SecondsPath", "Timestamp", "TimestampPath"},
	"Succeed": {"Type", "Comment", "InputPath", "OutputPath"},
	"Fail":    {"Type", "Comment", "Error", "ErrorPath", "Cause", "CausePath"},
	"Map": {"Type", "Comment", "Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters",
		"ItemSelector", "ResultSelector", "Retry", "Catch", "ItemsPath", "Iterator", "ItemProcessor", "MaxConcurrency"},
	"Parallel": {"Type", "Comment", "Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters",
		"ResultSelector", "Retry", "Catch", "Branches"},
}

var placeholder = regexp.MustCompile(`\$\{([A-Za-z0-9_]+)\}`)

// Parse reads a JSONPath ASL definition, replacing ${Name} DefinitionSubstitutions from subst first
// (values are inserted inside JSON strings, escaped), and validates it: StartAt and every Next/Default/
// Catch target exist, every state is reachable, Choice rules are well formed, unsupported state types,
// fields, paths and intrinsic functions are rejected. Every error names the state.
func Parse(def []byte, subst map[string]string) (*Machine, error) {
	var missing []string
	text := placeholder.ReplaceAllStringFunc(string(def), func(m string) string {
		name := placeholder.FindStringSubmatch(m)[1]
		v, ok := subst[name]
		if !ok {
			missing = append(missing, name)
			return m
		}
		q, _ := json.Marshal(v)
		return string(q[1 : len(q)-1])
	})
	var top map[string]json.RawMessage
	if err := json.Unmarshal([]byte(text), &top); err != nil {
		return nil, fmt.Errorf("flow: definition is not a JSON object: %w", err)
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("flow: %s", missingSubst(top, missing))
	}
	if ql, ok := top["QueryLanguage"]; ok && !bytes.Equal(bytes.TrimSpace(ql), []byte(`"JSONPath"`)) {
		return nil, fmt.Errorf("flow: QueryLanguage %s is not supported (JSONPath only)", ql)
	}
	m := &Machine{scopes: map[string]*scope{}}
	if ts, ok := top["TimeoutSeconds"]; ok {
		if err := json.Unmarshal(ts, &m.timeoutSeconds); err != nil || m.timeoutSeconds <= 0 {
			return nil, fmt.Errorf("flow: TimeoutSeconds must be a positive integer")
		}
	}
	for k := range top {
		switch k {
		case "StartAt", "States", "Comment", "Version", "TimeoutSeconds", "QueryLanguage":
		default:
			return nil, fmt.Errorf("flow: top-level field %q is not supported", k)
		}
	}
	root, err := parseScope(m, "", top)
	if err != nil {
		return nil, err
	}
	m.root = root
	sum := sha256.Sum256([]byte(text))
	m.digest = hex.EncodeToString(sum[:8])
	return m, nil
}

func missingSubst(top map[string]json.RawMessage, names []string) string {
	var states map[string]json.RawMessage
	_ = json.Unmarshal(top["States"], &states)
	var where []string
	for _, n := range names {
		for sn, raw := range states {
			if bytes.Contains(raw, []byte("${"+n+"}")) {
				where = append(where, fmt.Sprintf("state %q: definition substitution ${%s} has no value", sn, n))
			}
		}
	}
	if len(where) == 0 {
		return fmt.Sprintf("definition substitution ${%s} has no value", names[0])
	}
	sort.Strings(where)
	return strings.Join(where, "; ")
}

func parseScope(m *Machine, key string, obj map[string]json.RawMessage) (*scope, error) {
	sc := &scope{key: key, states: map[string]*state{}}
	where := "machine"
	if key != "" {
		where = fmt.Sprintf("state %q", key)
	}
	if err := json.Unmarshal(obj["StartAt"], &sc.startAt); err != nil || sc.startAt == "" {
		return nil, fmt.Errorf("flow: %s: StartAt is missing", where)
	}
	var raws map[string]json.RawMessage
	if err := json.Unmarshal(obj["States"], &raws); err != nil || len(raws) == 0 {
		return nil, fmt.Errorf("flow: %s: States is missing or empty", where)
	}
	m.scopes[key] = sc
	names := make([]string, 0, len(raws))
	for n := range raws {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		st, err := parseState(m, key, n, raws[n])
		if err != nil {
			if strings.HasPrefix(err.Error(), "flow: ") { // from a nested Map/Parallel scope
				return nil, err
			}
			return nil, fmt.Errorf("flow: state %q: %w", n, err)
		}
		sc.states[n] = st
	}
	if _, ok := sc.states[sc.startAt]; !ok {
		return nil, fmt.Errorf("flow: %s: StartAt %q is not a state", where, sc.startAt)
	}
	// Transitions exist; every state is reachable.
	for _, n := range names {
		st := sc.states[n]
		for _, t := range st.targets() {
			if _, ok := sc.states[t]; !ok {
				return nil, fmt.Errorf("flow: state %q: transition to %q, which is not a state", n, t)
			}
		}
	}
	seen := map[string]bool{sc.startAt: true}
	queue := []string{sc.startAt}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, t := range sc.states[n].targets() {
			if !seen[t] {
				seen[t] = true
				queue = append(queue, t)
			}
		}
	}
	for _, n := range names {
		if !seen[n] {
			return nil, fmt.Errorf("flow: state %q is not reachable from StartAt", n)
		}
	}
	return sc, nil
}

func (s *state) targets() []string {
	var t []string
	if s.next != "" {
		t = append(t, s.next)
	}
	for _, c := range s.catch {
		t = append(t, c.next)
	}
	for _, r := range s.choices {
		t = append(t, r.next)
	}
	if s.dflt != "" {
		t = append(t, s.dflt)
	}
	return t
}

func parseState(m *Machine, scopeKey, name string, raw json.RawMessage) (*state, error) {
	var f map[string]json.RawMessage
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("not a JSON object")
	}
	st := &state{name: name}
	if err := json.Unmarshal(f["Type"], &st.typ); err != nil || st.typ == "" {
		return nil, fmt.Errorf("Type is missing")
	}
	allowed, ok := allowedFields[st.typ]
	if !ok {
		return nil, fmt.Errorf("state type %q is not supported", st.typ)
	}
	for k := range f {
		if !contains(allowed, k) {
			return nil, fmt.Errorf("field %q is not supported on a %s state", k, st.typ)
		}
	}
	var err error
	str := func(k string, dst *string) error {
		if v, ok := f[k]; ok {
			if err := json.Unmarshal(v, dst); err != nil {
				return fmt.Errorf("%s must be a string", k)
			}
		}
		return nil
	}
	integer := func(k string, dst *int) (bool, error) {
		v, ok := f[k]
		if !ok {
			return false, nil
		}
		if err := json.Unmarshal(v, dst); err != nil || *dst < 0 {
			return false, fmt.Errorf("%s must be a non-negative integer", k)
		}
		return true, nil
	}
	refPath := func(k string) (*path, error) {
		var s string
		if err := str(k, &s); err != nil || s == "" {
			return nil, err
		}
		p, err := parsePath(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		return &p, nil
	}
	if err = str("Next", &st.next); err != nil {
		return nil, err
	}
	if v, ok := f["End"]; ok {
		if err := json.Unmarshal(v, &st.end); err != nil {
			return nil, fmt.Errorf("End must be a boolean")
		}
	}
	switch st.typ {
	case "Choice", "Succeed", "Fail":
	default:
		if st.next == "" && !st.end {
			return nil, fmt.Errorf("needs Next or End")
		}
		if st.next != "" && st.end {
			return nil, fmt.Errorf("has both Next and End")
		}
	}
	for _, k := range []string{"InputPath", "OutputPath", "ResultPath"} {
		op, err := parseOptPath(f, k)
		if err != nil {
			return nil, err
		}
		switch k {
		case "InputPath":
			st.inputPath = op
		case "OutputPath":
			st.outputPath = op
		case "ResultPath":
			st.resultPath = op
		}
	}
	if st.resultPath.null == false && !st.resultPath.p.definite() {
		return nil, fmt.Errorf("ResultPath must be a definite path")
	}
	for _, k := range []string{"Parameters", "ResultSelector", "ItemSelector"} {
		v, ok := f[k]
		if !ok {
			continue
		}
		dv, err := decode(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		t, err := compileTemplate(dv)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		switch k {
		case "Parameters":
			st.parameters = t
		case "ResultSelector":
			st.resultSelector = t
		case "ItemSelector":
			st.itemSelector = t
		}
	}
	if st.retry, err = parseRetry(f["Retry"]); err != nil {
		return nil, err
	}
	if st.catch, err = parseCatch(f["Catch"]); err != nil {
		return nil, err
	}

	switch st.typ {
	case "Task":
		if err := parseTask(st, f, integer, refPath); err != nil {
			return nil, err
		}
	case "Pass":
		if v, ok := f["Result"]; ok {
			st.hasResult = true
			if st.result, err = decode(v); err != nil {
				return nil, fmt.Errorf("Result: %w", err)
			}
		}
	case "Choice":
		if err := str("Default", &st.dflt); err != nil {
			return nil, err
		}
		var rules []json.RawMessage
		if err := json.Unmarshal(f["Choices"], &rules); err != nil || len(rules) == 0 {
			return nil, fmt.Errorf("Choices must be a non-empty array")
		}
		for i, r := range rules {
			cr, err := parseRule(r, true)
			if err != nil {
				return nil, fmt.Errorf("Choices[%d]: %w", i, err)
			}
			st.choices = append(st.choices, cr)
		}
	case "Wait":
		n := 0
		if st.hasSeconds, err = integer("Seconds", &st.seconds); err != nil {
			return nil, err
		}
		if st.hasSeconds {
			n++
		}
		if st.secondsPath, err = refPath("SecondsPath"); err != nil {
			return nil, err
		}
		if st.timestampPath, err = refPath("TimestampPath"); err != nil {
			return nil, err
		}
		if err := str("Timestamp", &st.timestamp); err != nil {
			return nil, err
		}
		if st.timestamp != "" {
			if _, err := parseTimestamp(st.timestamp); err != nil {
				return nil, fmt.Errorf("Timestamp: %w", err)
			}
			n++
		}
		if st.secondsPath != nil {
			n++
		}
		if st.timestampPath != nil {
			n++
		}
		if n != 1 {
			return nil, fmt.Errorf("needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath")
		}
	case "Fail":
		for _, k := range []string{"Error", "Cause"} {
			if err := str(k, map[string]*string{"Error": &st.errorName, "Cause": &st.cause}[k]); err != nil {
				return nil, err
			}
		}
		if st.errorPath, err = refPath("ErrorPath"); err != nil {
			return nil, err
		}
		if st.causePath, err = refPath("CausePath"); err != nil {
			return nil, err
		}
	case "Map":
		if st.itemsPath, err = refPath("ItemsPath"); err != nil {
			return nil, err
		}
		if _, err := integer("MaxConcurrency", &st.maxConcurrency); err != nil {
			return nil, err
		}
		if st.itemSelector != nil && st.parameters != nil {
			return nil, fmt.Errorf("has both ItemSelector and Parameters")
		}
		if st.itemSelector == nil {
			st.itemSelector, st.parameters = st.parameters, nil
		}
		proc, ok := f["ItemProcessor"]
		if !ok {
			proc, ok = f["Iterator"]
		}
		if !ok {
			return nil, fmt.Errorf("needs ItemProcessor (or Iterator)")
		}
		var sub map[string]json.RawMessage
		if err := json.Unmarshal(proc, &sub); err != nil {
			return nil, fmt.Errorf("ItemProcessor must be an object")
		}
		if pc, ok := sub["ProcessorConfig"]; ok {
			var cfg struct{ Mode string }
			_ = json.Unmarshal(pc, &cfg)
			if cfg.Mode != "" && cfg.Mode != "INLINE" {
				return nil, fmt.Errorf("ItemProcessor mode %q is not supported (INLINE only)", cfg.Mode)
			}
			delete(sub, "ProcessorConfig")
		}
		st.iterator = joinScope(scopeKey, name)
		if _, err := parseScope(m, st.iterator, sub); err != nil {
			return nil, err
		}
	case "Parallel":
		var branches []map[string]json.RawMessage
		if err := json.Unmarshal(f["Branches"], &branches); err != nil || len(branches) == 0 {
			return nil, fmt.Errorf("Branches must be a non-empty array")
		}
		for i, b := range branches {
			key := fmt.Sprintf("%s#%d", joinScope(scopeKey, name), i)
			if _, err := parseScope(m, key, b); err != nil {
				return nil, err
			}
			st.branches = append(st.branches, key)
		}
	}
	return st, nil
}

func parseTask(st *state, f map[string]json.RawMessage, integer func(string, *int) (bool, error), refPath func(string) (*path, error)) error {
	if err := json.Unmarshal(f["Resource"], &st.resource); err != nil || st.resource == "" {
		return fmt.Errorf("Resource is missing")
	}
	res := st.resource
	if strings.HasSuffix(res, ".waitForTaskToken") {
		st.waitForToken = true
		res = strings.TrimSuffix(res, ".waitForTaskToken")
	}
	switch {
	case strings.HasSuffix(res, ".sync") || strings.Contains(res, ".sync:"):
		return fmt.Errorf("Resource %s: .sync integrations are not supported", st.resource)
	case res == "arn:aws:states:::lambda:invoke":
		st.kind = resLambdaInvoke
		var params map[string]json.RawMessage
		if v, ok := f["Parameters"]; ok {
			_ = json.Unmarshal(v, &params)
		}
		var fn string
		if err := json.Unmarshal(params["FunctionName"], &fn); err != nil || fn == "" {
			return fmt.Errorf("lambda:invoke needs a static Parameters.FunctionName")
		}
		st.handlerKey = FunctionKey(fn)
	case strings.HasPrefix(res, "arn:aws:lambda:"):
		if st.waitForToken {
			return fmt.Errorf("Resource %s: .waitForTaskToken needs arn:aws:states:::lambda:invoke", st.resource)
		}
		st.kind = resLambdaARN
		st.handlerKey = FunctionKey(res)
	case strings.HasPrefix(res, "arn:aws:states:::"):
		st.kind = resService
		st.handlerKey = strings.TrimPrefix(res, "arn:aws:states:::")
	default:
		return fmt.Errorf("Resource %q is not supported", st.resource)
	}
	var err error
	if _, err = integer("TimeoutSeconds", &st.timeoutSeconds); err != nil {
		return err
	}
	if _, err = integer("HeartbeatSeconds", &st.heartbeatSeconds); err != nil {
		return err
	}
	if st.timeoutSecondsPath, err = refPath("TimeoutSecondsPath"); err != nil {
		return err
	}
	if st.heartbeatSecondsPath, err = refPath("HeartbeatSecondsPath"); err != nil {
		return err
	}
	if st.timeoutSeconds > 0 && st.timeoutSecondsPath != nil {
		return fmt.Errorf("has both TimeoutSeconds and TimeoutSecondsPath")
	}
	if st.heartbeatSeconds > 0 && st.heartbeatSecondsPath != nil {
		return fmt.Errorf("has both HeartbeatSeconds and HeartbeatSecondsPath")
	}
	if st.timeoutSeconds > 0 && st.heartbeatSeconds >= st.timeoutSeconds {
		return fmt.Errorf("HeartbeatSeconds must be less than TimeoutSeconds")
	}
	return nil
}

// FunctionKey is the handler key of a Lambda function reference: the function's name. For an ARN
// (arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]) or a partial ARN (ACCOUNT:function:NAME)
// it is NAME; a plain name is itself. So ${OutOfHoursFunctionArn} substituted with
// arn:aws:lambda:eu-west-2:000000000000:function:out-of-hours binds the handler "out-of-hours".
func FunctionKey(fn string) string {
	if i := strings.Index(fn, ":function:"); i >= 0 {
		rest := fn[i+len(":function:"):]
		if j := strings.IndexByte(rest, ':'); j >= 0 {
			rest = rest[:j]
		}
		return rest
	}
	return fn
}

func parseOptPath(f map[string]json.RawMessage, k string) (optPath, error) {
	v, ok := f[k]
	if !ok {
		return optPath{p: path{raw: "$"}}, nil
	}
	if bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
		return optPath{null: true}, nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return optPath{}, fmt.Errorf("%s must be a string or null", k)
	}
	p, err := parsePath(s)
	if err != nil {
		return optPath{}, fmt.Errorf("%s: %w", k, err)
	}
	if p.context && k == "ResultPath" {
		return optPath{}, fmt.Errorf("ResultPath cannot address the context object")
	}
	return optPath{p: p}, nil
}

func parseRetry(raw json.RawMessage) ([]retrier, error) {
	if raw == nil {
		return nil, nil
	}
	var rs []struct {
		ErrorEquals     []string
		IntervalSeconds *float64
		MaxAttempts     *int
		BackoffRate     *float64
		MaxDelaySeconds *float64
		JitterStrategy  string
	}
	if err := json.Unmarshal(raw, &rs); err != nil {
		return nil, fmt.Errorf("Retry: %w", err)
	}
	out := make([]retrier, 0, len(rs))
	for i, r := range rs {
		if err := checkErrorEquals(r.ErrorEquals, i == len(rs)-1); err != nil {
			return nil, fmt.Errorf("Retry[%d]: %w", i, err)
		}
		rt := retrier{errorEquals: r.ErrorEquals, interval: 1, maxAttempts: 3, backoff: 2}
		if r.IntervalSeconds != nil {
			rt.interval = *r.IntervalSeconds
		}
		if r.MaxAttempts != nil {
			rt.maxAttempts = *r.MaxAttempts
		}
		if r.BackoffRate != nil {
			rt.backoff = *r.BackoffRate
		}
		if r.MaxDelaySeconds != nil {
			rt.maxDelay = *r.MaxDelaySeconds
		}
		switch r.JitterStrategy {
		case "", "NONE":
		case "FULL":
			rt.fullJitter = true
		default:
			return nil, fmt.Errorf("Retry[%d]: JitterStrategy %q is not FULL or NONE", i, r.JitterStrategy)
		}
		if rt.interval < 1 || rt.maxAttempts < 0 || rt.backoff < 1 {
			return nil, fmt.Errorf("Retry[%d]: IntervalSeconds ≥ 1, MaxAttempts ≥ 0, BackoffRate ≥ 1", i)
		}
		out = append(out, rt)
	}
	return out, nil
}

func parseCatch(raw json.RawMessage) ([]catcher, error) {
	if raw == nil {
		return nil, nil
	}
	var cs []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &cs); err != nil {
		return nil, fmt.Errorf("Catch: %w", err)
	}
	out := make([]catcher, 0, len(cs))
	for i, c := range cs {
		var ct catcher
		if err := json.Unmarshal(c["ErrorEquals"], &ct.errorEquals); err != nil {
			return nil, fmt.Errorf("Catch[%d]: ErrorEquals must be an array of strings", i)
		}
		if err := checkErrorEquals(ct.errorEquals, i == len(cs)-1); err != nil {
			return nil, fmt.Errorf("Catch[%d]: %w", i, err)
		}
		if err := json.Unmarshal(c["Next"], &ct.next); err != nil || ct.next == "" {
			return nil, fmt.Errorf("Catch[%d]: Next is missing", i)
		}
		rp, err := parseOptPath(c, "ResultPath")
		if err != nil {
			return nil, fmt.Errorf("Catch[%d]: %w", i, err)
		}
		ct.resultPath = rp
		for k := range c {
			if k != "ErrorEquals" && k != "Next" && k != "ResultPath" && k != "Comment" {
				return nil, fmt.Errorf("Catch[%d]: field %q is not supported", i, k)
			}
		}
		out = append(out, ct)
	}
	return out, nil
}

func checkErrorEquals(names []string, last bool) error {
	if len(names) == 0 {
		return fmt.Errorf("ErrorEquals must not be empty")
	}
	if contains(names, ErrAll) && (len(names) != 1 || !last) {
		return fmt.Errorf("States.ALL must appear alone and in the last retrier or catcher")
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
