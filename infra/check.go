package infra

import (
	"fmt"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation/global"
	"github.com/awslabs/goformation/v7/cloudformation/serverless"
)

// Exception is one action that an identity policy may allow on Resource "*", and why.
type Exception struct {
	Action string
	// Condition, when set, is a condition key the statement must constrain (the scoping that replaces the
	// resource).
	Condition string
	Reason    string
}

// WildcardResourceActions is the allow-list: the only actions a function or state machine may be granted on
// Resource "*". Each has no resource type in the AWS service authorization reference (the test checks this
// against the copy bundled with cfn-lint), or is scoped by a required condition key instead.
var WildcardResourceActions = []Exception{
	{Action: "states:SendTaskSuccess", Reason: "task-token callbacks have no resource type; the task token itself names the execution"},
	{Action: "states:SendTaskFailure", Reason: "task-token callbacks have no resource type; the task token itself names the execution"},
	{Action: "states:SendTaskHeartbeat", Reason: "task-token callbacks have no resource type; the task token itself names the execution"},
	{Action: "cloudwatch:PutMetricData", Condition: "cloudwatch:namespace", Reason: "metrics are not resources; the statement is limited to one namespace by the cloudwatch:namespace condition"},
	{Action: "logs:CreateLogDelivery", Reason: "Step Functions log delivery: vended-log actions have no resource type"},
	{Action: "logs:GetLogDelivery", Reason: "Step Functions log delivery: vended-log actions have no resource type"},
	{Action: "logs:UpdateLogDelivery", Reason: "Step Functions log delivery: vended-log actions have no resource type"},
	{Action: "logs:DeleteLogDelivery", Reason: "Step Functions log delivery: vended-log actions have no resource type"},
	{Action: "logs:ListLogDeliveries", Reason: "Step Functions log delivery: vended-log actions have no resource type"},
	{Action: "logs:PutResourcePolicy", Reason: "Step Functions log delivery writes the log group's resource policy; the action has no resource type"},
	{Action: "logs:DescribeResourcePolicies", Reason: "Step Functions log delivery reads resource policies; the action has no resource type"},
	{Action: "logs:DescribeLogGroups", Reason: "Step Functions log delivery lists log groups; the action has no resource type"},
}

// PublicRoutes are the functions whose HTTP API routes may opt out of the JWT authoriser (Authorizer NONE),
// and why. Every other route must be authorised by API Gateway.
var PublicRoutes = []Exception{
	{Action: "ConsoleFunction", Reason: "the console's pages are opened by browsers, which send a session cookie, not a bearer " +
		"token; the console authenticates every request itself (its session, made by the user pool's hosted UI sign-in, or an " +
		"access token verified against the pool's keys) and denies by default per page and role (shared/console pages × roles test)"},
}

// KeyPolicyWildcardActions are the wildcard actions a KMS key policy may allow, and only to the account
// root: without it the key can be administered by nobody (AWS's default key policy).
var KeyPolicyWildcardActions = []Exception{
	{Action: "kms:*", Reason: "the account root delegates administration of the key to IAM (AWS default key policy)"},
}

// asyncEventTypes are the SAM event sources that invoke a function asynchronously: a failed event is lost
// unless the function has a dead-letter queue (or an on-failure destination).
var asyncEventTypes = map[string]bool{
	"S3": true, "SNS": true, "Schedule": true, "ScheduleV2": true, "CloudWatchEvent": true,
	"EventBridgeRule": true, "CloudWatchLogs": true, "IoTRule": true,
}

// FunctionFolders returns the sorted names of the folders under dir (functions/); testdata (the init
// benchmark's hello-world, see functions/init_bench_test.go) is not a function, as for the go tool.
func FunctionFolders(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("infra: function folders: %w", err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() && e.Name() != "testdata" {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out, nil
}

// Lint loads the template and checks it against the folders of functionsDir.
func Lint(templatePath, functionsDir string) ([]string, error) {
	t, err := Load(templatePath)
	if err != nil {
		return nil, err
	}
	folders, err := FunctionFolders(functionsDir)
	if err != nil {
		return nil, err
	}
	return Check(t, folders), nil
}

// Check returns every problem of the template, sorted; none means it keeps the house rules. folders are
// the names of the folders under functions/, each of which must be built by exactly one function resource.
func Check(t *Template, folders []string) []string {
	c := &checker{t: t}
	c.policies()
	c.keys()
	c.tables()
	c.buckets()
	c.queuesAndTopics()
	c.logGroups()
	c.functions(folders)
	c.stateMachines()
	c.apis()
	sort.Strings(c.problems)
	return c.problems
}

type checker struct {
	t        *Template
	problems []string
}

func (c *checker) add(resource, format string, args ...any) {
	c.problems = append(c.problems, resource+": "+fmt.Sprintf(format, args...))
}

// ---------------------------------------------------------------- IAM

func (c *checker) policies() {
	for _, typ := range []string{"AWS::Serverless::Function", "AWS::Serverless::StateMachine"} {
		for _, name := range c.t.Names(typ) {
			props := c.t.Properties(name)
			if _, ok := props["Role"]; ok {
				c.add(name, "uses a Role of its own making; give it Policies so SAM creates a role for it alone")
				continue
			}
			pols, ok := props["Policies"]
			if !ok {
				c.add(name, "has no Policies (every function and state machine gets its own least-privilege role)")
				continue
			}
			list, isList := pols.([]any)
			if !isList {
				list = []any{pols}
			}
			for i, p := range list {
				switch doc := p.(type) {
				case string:
					c.add(name, "policy %d is the managed policy %q; write statements on named resources instead", i, doc)
				case map[string]any:
					if _, ok := doc["Statement"]; !ok {
						c.add(name, "policy %d is a SAM policy template; write statements on named resources instead", i)
						continue
					}
					c.identityStatements(name, doc)
				default:
					c.add(name, "policy %d is not a policy document", i)
				}
			}
		}
	}
	for _, name := range c.t.Names("AWS::IAM::Role") {
		props := c.t.Properties(name)
		if arns, ok := props["ManagedPolicyArns"].([]any); ok && len(arns) > 0 {
			c.add(name, "attaches managed policies %v; write statements on named resources instead", arns)
		}
		pols, _ := props["Policies"].([]any)
		for _, p := range pols {
			if m, ok := p.(map[string]any); ok {
				doc, _ := m["PolicyDocument"].(map[string]any)
				c.identityStatements(name, doc)
			}
		}
	}
	for _, typ := range []string{"AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"} {
		for _, name := range c.t.Names(typ) {
			doc, _ := c.t.Properties(name)["PolicyDocument"].(map[string]any)
			c.identityStatements(name, doc)
		}
	}
	for _, typ := range []string{"AWS::S3::BucketPolicy", "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy"} {
		for _, name := range c.t.Names(typ) {
			doc, _ := c.t.Properties(name)["PolicyDocument"].(map[string]any)
			c.resourceStatements(name, doc)
		}
	}
}

// statements returns the statements of a policy document (Statement may be one object or a list).
func statements(doc map[string]any) []map[string]any {
	var out []map[string]any
	switch s := doc["Statement"].(type) {
	case map[string]any:
		out = append(out, s)
	case []any:
		for _, v := range s {
			if m, ok := v.(map[string]any); ok {
				out = append(out, m)
			}
		}
	}
	return out
}

// strs returns a string or a list of strings as a list.
func strs(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			out = append(out, fmt.Sprint(e))
		}
		return out
	}
	return nil
}

func statementID(i int, st map[string]any) string {
	if sid, ok := st["Sid"].(string); ok && sid != "" {
		return "statement " + sid
	}
	return fmt.Sprintf("statement %d", i)
}

// isWildcardResource reports whether a resource names everything: "*" or an ARN whose resource part is "*".
func isWildcardResource(r string) bool {
	if r == "*" {
		return true
	}
	parts := strings.SplitN(r, ":", 6)
	return len(parts) == 6 && parts[0] == "arn" && parts[5] == "*"
}

func conditionKeys(st map[string]any) map[string]bool {
	keys := map[string]bool{}
	cond, _ := st["Condition"].(map[string]any)
	for _, op := range cond {
		if m, ok := op.(map[string]any); ok {
			for k := range m {
				keys[strings.ToLower(k)] = true
			}
		}
	}
	return keys
}

func (c *checker) identityStatements(owner string, doc map[string]any) {
	if doc == nil {
		c.add(owner, "has a policy without a document")
		return
	}
	for i, st := range statements(doc) {
		if st["Effect"] != "Allow" {
			continue // a Deny only takes permission away
		}
		id := statementID(i, st)
		if _, ok := st["NotAction"]; ok {
			c.add(owner, "%s allows NotAction (everything else)", id)
		}
		if _, ok := st["NotResource"]; ok {
			c.add(owner, "%s allows NotResource (everything else)", id)
		}
		actions := strs(st["Action"])
		for _, a := range actions {
			if strings.Contains(a, "*") {
				c.add(owner, "%s allows wildcard action %q", id, a)
			}
		}
		resources := strs(st["Resource"])
		if len(resources) == 0 && st["NotResource"] == nil {
			c.add(owner, "%s names no Resource", id)
		}
		conds := conditionKeys(st)
		for _, r := range resources {
			if !isWildcardResource(r) {
				continue
			}
			for _, a := range actions {
				ex, ok := exception(WildcardResourceActions, a)
				switch {
				case !ok:
					c.add(owner, "%s allows %q on Resource %q (not in the allow-list of actions without resource types)", id, a, r)
				case ex.Condition != "" && !conds[strings.ToLower(ex.Condition)]:
					c.add(owner, "%s allows %q on Resource %q without the %s condition", id, a, r, ex.Condition)
				}
			}
		}
	}
}

func exception(list []Exception, action string) (Exception, bool) {
	for _, e := range list {
		if strings.EqualFold(e.Action, action) {
			return e, true
		}
	}
	return Exception{}, false
}

// isPublic reports whether a Principal is everyone.
func isPublic(p any) bool {
	switch v := p.(type) {
	case string:
		return v == "*"
	case map[string]any:
		for _, x := range strs(v["AWS"]) {
			if x == "*" {
				return true
			}
		}
	}
	return false
}

func (c *checker) resourceStatements(owner string, doc map[string]any) {
	if doc == nil {
		c.add(owner, "has no PolicyDocument")
		return
	}
	for i, st := range statements(doc) {
		if st["Effect"] != "Allow" {
			continue
		}
		id := statementID(i, st)
		if isPublic(st["Principal"]) {
			c.add(owner, "%s allows the public (Principal *)", id)
		}
		for _, a := range strs(st["Action"]) {
			if strings.Contains(a, "*") {
				c.add(owner, "%s allows wildcard action %q", id, a)
			}
		}
		if _, ok := st["NotAction"]; ok {
			c.add(owner, "%s allows NotAction (everything else)", id)
		}
	}
}

// ---------------------------------------------------------------- KMS

var accountRoot = regexp.MustCompile(`^arn:(\$\{AWS::Partition\}|aws[a-z-]*):iam::\$\{AWS::AccountId\}:root$`)

func (c *checker) keys() {
	for name, key := range c.t.Typed.GetAllKMSKeyResources() {
		if key.EnableKeyRotation == nil || !*key.EnableKeyRotation {
			c.add(name, "has no EnableKeyRotation")
		}
		doc, _ := c.t.Properties(name)["KeyPolicy"].(map[string]any)
		if doc == nil {
			c.add(name, "has no KeyPolicy")
			continue
		}
		for i, st := range statements(doc) {
			if st["Effect"] != "Allow" {
				continue
			}
			id := statementID(i, st)
			if isPublic(st["Principal"]) {
				c.add(name, "%s allows the public (Principal *)", id)
			}
			root := false
			if p, ok := st["Principal"].(map[string]any); ok {
				for _, a := range strs(p["AWS"]) {
					root = root || accountRoot.MatchString(a)
				}
			}
			for _, a := range strs(st["Action"]) {
				if !strings.Contains(a, "*") {
					continue
				}
				if _, ok := exception(KeyPolicyWildcardActions, a); !ok || !root {
					c.add(name, "%s allows wildcard action %q", id, a)
				}
			}
		}
	}
}

// keyRef reports whether s references a KMS key of the template (by Ref, Arn or an alias resource).
func (c *checker) keyRef(s *string) bool {
	if s == nil {
		return false
	}
	target, ok := c.t.RefTarget(*s)
	if !ok {
		return false
	}
	typ := c.t.Type(target)
	return typ == "AWS::KMS::Key" || typ == "AWS::KMS::Alias"
}

// ---------------------------------------------------------------- storage

func (c *checker) tables() {
	for _, name := range c.t.Names("AWS::Serverless::SimpleTable") {
		c.add(name, "is a SimpleTable; use AWS::DynamoDB::Table with the stack's KMS key, PITR and deletion protection")
	}
	for name, tb := range c.t.Typed.GetAllDynamoDBTableResources() {
		sse := tb.SSESpecification
		if sse == nil || !sse.SSEEnabled || sse.SSEType == nil || *sse.SSEType != "KMS" || !c.keyRef(sse.KMSMasterKeyId) {
			c.add(name, "is not encrypted with the stack's KMS key (SSESpecification SSEEnabled, SSEType KMS, KMSMasterKeyId)")
		}
		if p := tb.PointInTimeRecoverySpecification; p == nil || p.PointInTimeRecoveryEnabled == nil || !*p.PointInTimeRecoveryEnabled {
			c.add(name, "has no point-in-time recovery")
		}
		if tb.DeletionProtectionEnabled == nil || !*tb.DeletionProtectionEnabled {
			c.add(name, "has no DeletionProtectionEnabled")
		}
		if ttl := tb.TimeToLiveSpecification; ttl == nil || !ttl.Enabled || ttl.AttributeName == nil || *ttl.AttributeName == "" {
			c.add(name, "has no TimeToLiveSpecification")
		}
		if tb.AWSCloudFormationDeletionPolicy != "Retain" || tb.AWSCloudFormationUpdateReplacePolicy != "Retain" {
			c.add(name, "is not retained (DeletionPolicy and UpdateReplacePolicy Retain)")
		}
	}
}

func (c *checker) buckets() {
	for name, b := range c.t.Typed.GetAllS3BucketResources() {
		kms := false
		if b.BucketEncryption != nil {
			for _, r := range b.BucketEncryption.ServerSideEncryptionConfiguration {
				d := r.ServerSideEncryptionByDefault
				if d != nil && strings.HasPrefix(d.SSEAlgorithm, "aws:kms") && c.keyRef(d.KMSMasterKeyID) {
					kms = true
				}
			}
		}
		if !kms {
			c.add(name, "is not encrypted with the stack's KMS key (BucketEncryption aws:kms, KMSMasterKeyID)")
		}
		p := b.PublicAccessBlockConfiguration
		if p == nil || !isTrue(p.BlockPublicAcls) || !isTrue(p.BlockPublicPolicy) || !isTrue(p.IgnorePublicAcls) || !isTrue(p.RestrictPublicBuckets) {
			c.add(name, "does not block public access (PublicAccessBlockConfiguration, all four true)")
		}
		expires := false
		if b.LifecycleConfiguration != nil {
			for _, r := range b.LifecycleConfiguration.Rules {
				if r.Status == "Enabled" && (r.ExpirationInDays != nil || r.ExpirationDate != nil) {
					expires = true
				}
			}
		}
		if !expires {
			c.add(name, "has no enabled lifecycle rule that expires objects")
		}
		if !c.tlsOnly(name) {
			c.add(name, "has no bucket policy denying requests without TLS (aws:SecureTransport false)")
		}
	}
}

func isTrue(b *bool) bool { return b != nil && *b }

// tlsOnly reports whether a bucket policy of the template denies non-TLS requests to the bucket.
func (c *checker) tlsOnly(bucket string) bool {
	for name, p := range c.t.Typed.GetAllS3BucketPolicyResources() {
		if target, ok := c.t.RefTarget(p.Bucket); !ok || target != bucket {
			continue
		}
		doc, _ := c.t.Properties(name)["PolicyDocument"].(map[string]any)
		for _, st := range statements(doc) {
			if st["Effect"] == "Deny" && conditionKeys(st)["aws:securetransport"] {
				return true
			}
		}
	}
	return false
}

func (c *checker) queuesAndTopics() {
	for name, q := range c.t.Typed.GetAllSQSQueueResources() {
		if !c.keyRef(q.KmsMasterKeyId) {
			c.add(name, "has no KmsMasterKeyId with the stack's KMS key")
		}
		if !c.alarmed("AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", "${"+name+".QueueName}") {
			c.add(name, "has no alarm on ApproximateNumberOfMessagesVisible")
		}
	}
	for name, tp := range c.t.Typed.GetAllSNSTopicResources() {
		if !c.keyRef(tp.KmsMasterKeyId) {
			c.add(name, "has no KmsMasterKeyId with the stack's KMS key")
		}
	}
}

// alarmed reports whether an alarm with actions watches namespace/metric with the dimension name=value.
func (c *checker) alarmed(namespace, metric, dimension, value string) bool {
	for _, a := range c.t.Typed.GetAllCloudWatchAlarmResources() {
		if a.Namespace == nil || *a.Namespace != namespace || a.MetricName == nil || *a.MetricName != metric || len(a.AlarmActions) == 0 {
			continue
		}
		for _, d := range a.Dimensions {
			if d.Name == dimension && d.Value == value {
				return true
			}
		}
	}
	return false
}

func (c *checker) logGroups() {
	for name, g := range c.t.Typed.GetAllLogsLogGroupResources() {
		if g.RetentionInDays == nil {
			c.add(name, "has no RetentionInDays")
		}
		if !c.keyRef(g.KmsKeyId) {
			c.add(name, "has no KmsKeyId with the stack's KMS key")
		}
	}
}

// ---------------------------------------------------------------- functions

// KebabName is the functions/ folder a function's logical id builds under the makefile build method:
// IntakeEmailFunction → intake-email (infra/sambuild/Makefile derives it the same way).
func KebabName(logicalID string) string {
	s := strings.TrimSuffix(logicalID, "Function")
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				prev := s[i-1]
				if (prev >= 'a' && prev <= 'z') || (prev >= '0' && prev <= '9') {
					b.WriteByte('-')
				}
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (c *checker) functions(folders []string) {
	var globals *global.Function
	if g, ok := c.t.Typed.Globals["Function"].(*global.Function); ok {
		globals = g
	}
	built := map[string]string{}
	logGroupOwner := map[string]string{}
	fns := c.t.Typed.GetAllServerlessFunctionResources()
	names := make([]string, 0, len(fns))
	for name := range fns {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fn := fns[name]
		c.runtime(name, fn, globals)

		// Folder: CodeUri functions/<folder>, built by the makefile rule for its logical id.
		folder := ""
		if fn.CodeUri == nil || fn.CodeUri.String == nil {
			c.add(name, "has no local CodeUri")
		} else {
			uri := path.Clean(strings.TrimPrefix(*fn.CodeUri.String, "./"))
			dir, f := path.Split(uri)
			if dir != "functions/" || f == "" {
				c.add(name, "CodeUri %s is not a folder of functions/", *fn.CodeUri.String)
			} else {
				folder = f
			}
		}
		if folder != "" {
			if other, dup := built[folder]; dup {
				c.add(name, "builds functions/%s like %s", folder, other)
			}
			built[folder] = name
			if !contains(folders, folder) {
				c.add(name, "CodeUri functions/%s has no folder", folder)
			}
			method, _ := fn.AWSCloudFormationMetadata["BuildMethod"].(string)
			switch {
			case method != "makefile":
				c.add(name, "BuildMethod is %q; use makefile (infra/sambuild) so the build passes -tags lambda.norpc -ldflags='-s -w' -trimpath", method)
			case KebabName(name) != folder:
				c.add(name, "the makefile build derives functions/%s from the logical id, but CodeUri is functions/%s", KebabName(name), folder)
			}
		}

		// Its own log group, named after it.
		lc, _ := c.t.Properties(name)["LoggingConfig"].(map[string]any)
		lg, _ := lc["LogGroup"].(string)
		target, ok := c.t.RefTarget(lg)
		if !ok || c.t.Type(target) != "AWS::Logs::LogGroup" {
			c.add(name, "has no log group of its own (LoggingConfig.LogGroup referencing an AWS::Logs::LogGroup)")
		} else {
			if other, dup := logGroupOwner[target]; dup {
				c.add(name, "shares log group %s with %s", target, other)
			}
			logGroupOwner[target] = name
			groupName, _ := c.t.Properties(target)["LogGroupName"].(string)
			if fn.FunctionName != nil && groupName != "/aws/lambda/"+*fn.FunctionName {
				c.add(name, "log group %s is named %q, not /aws/lambda/%s", target, groupName, *fn.FunctionName)
			}
		}
		if lc["LogFormat"] != "JSON" {
			c.add(name, "LoggingConfig.LogFormat is not JSON")
		}

		// Asynchronous invocation needs somewhere for failed events to go.
		var async []string
		for _, ev := range fn.Events {
			if asyncEventTypes[ev.Type] {
				async = append(async, ev.Type)
			}
		}
		sort.Strings(async)
		if len(async) > 0 && !c.hasDeadLetterQueue(fn) {
			c.add(name, "is invoked asynchronously (%s) but has no DeadLetterQueue on an SQS queue of the template", strings.Join(async, ", "))
		}
	}
	for _, f := range folders {
		if _, ok := built[f]; !ok {
			c.add("functions/"+f, "no AWS::Serverless::Function has CodeUri functions/%s", f)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func (c *checker) runtime(name string, fn *serverless.Function, g *global.Function) {
	runtime, handler := fn.Runtime, fn.Handler
	arch := fn.Architectures
	if g != nil {
		if runtime == nil {
			runtime = g.Runtime
		}
		if handler == nil {
			handler = g.Handler
		}
		if arch == nil && g.Architectures != nil {
			arch = *g.Architectures
		}
	}
	if runtime == nil || *runtime != "provided.al2023" {
		c.add(name, "runtime is not provided.al2023")
	}
	if handler == nil || *handler != "bootstrap" {
		c.add(name, "handler is not bootstrap")
	}
	if len(arch) != 1 || arch[0] != "arm64" {
		c.add(name, "architectures are %v, not [arm64]", arch)
	}
}

func (c *checker) hasDeadLetterQueue(fn *serverless.Function) bool {
	isQueue := func(ref string) bool {
		target, ok := c.t.RefTarget(ref)
		return ok && c.t.Type(target) == "AWS::SQS::Queue"
	}
	if d := fn.DeadLetterQueue; d != nil && d.Type == "SQS" && isQueue(d.TargetArn) {
		return true
	}
	if e := fn.EventInvokeConfig; e != nil && e.DestinationConfig != nil && e.DestinationConfig.OnFailure != nil {
		return isQueue(e.DestinationConfig.OnFailure.Destination)
	}
	return false
}

// ---------------------------------------------------------------- state machines

func (c *checker) stateMachines() {
	for _, name := range c.t.Names("AWS::StepFunctions::StateMachine") {
		c.add(name, "is an AWS::StepFunctions::StateMachine; use AWS::Serverless::StateMachine with Policies")
	}
	for name, sm := range c.t.Typed.GetAllServerlessStateMachineResources() {
		if sm.Type == nil || *sm.Type != "STANDARD" {
			c.add(name, "is not a STANDARD state machine")
		}
		logged := false
		if sm.Logging != nil && sm.Logging.Level != "" && sm.Logging.Level != "OFF" {
			for _, d := range sm.Logging.Destinations {
				if d.CloudWatchLogsLogGroup == nil {
					continue
				}
				if target, ok := c.t.RefTarget(d.CloudWatchLogsLogGroup.LogGroupArn); ok && c.t.Type(target) == "AWS::Logs::LogGroup" {
					logged = true
				}
			}
		}
		if !logged {
			c.add(name, "does not log to a log group of the template")
		}
		if sm.Tracing == nil || !isTrue(sm.Tracing.Enabled) {
			c.add(name, "has no tracing")
		}
		for _, metric := range []string{"ExecutionsFailed", "ExecutionsTimedOut"} {
			if !c.alarmed("AWS/States", metric, "StateMachineArn", "${"+name+"}") {
				c.add(name, "has no alarm on %s", metric)
			}
		}
		// The role invokes exactly the functions the definition names.
		want := map[string]bool{}
		for _, v := range sm.DefinitionSubstitutions {
			if target, ok := c.t.RefTarget(v); ok && c.t.Type(target) == "AWS::Serverless::Function" {
				want["${"+target+".Arn}"] = true
			}
		}
		got := map[string]bool{}
		pols, _ := c.t.Properties(name)["Policies"].([]any)
		for _, p := range pols {
			doc, _ := p.(map[string]any)
			for _, st := range statements(doc) {
				if st["Effect"] == "Allow" && contains(strs(st["Action"]), "lambda:InvokeFunction") {
					for _, r := range strs(st["Resource"]) {
						got[r] = true
					}
				}
			}
		}
		for r := range want {
			if !got[r] {
				c.add(name, "definition names %s but the role may not invoke it", r)
			}
		}
		for r := range got {
			if !want[r] {
				c.add(name, "role may invoke %s, which the definition does not name", r)
			}
		}
	}
}

// ---------------------------------------------------------------- APIs

// apis: every HTTP API denies by default (a default authorizer that exists), logs access to a log group of
// the template, and no route opts out of authorization.
func (c *checker) apis() {
	for _, name := range c.t.Names("AWS::Serverless::Api") {
		c.add(name, "is a REST API; the front door is an AWS::Serverless::HttpApi with a JWT authorizer")
	}
	for _, name := range c.t.Names("AWS::Serverless::HttpApi") {
		props := c.t.Properties(name)
		auth, _ := props["Auth"].(map[string]any)
		def, _ := auth["DefaultAuthorizer"].(string)
		authorizers, _ := auth["Authorizers"].(map[string]any)
		if _, ok := authorizers[def]; !ok && def != "AWS_IAM" {
			c.add(name, "has no DefaultAuthorizer among its Authorizers (routes must deny by default)")
		}
		als, _ := props["AccessLogSettings"].(map[string]any)
		dest, _ := als["DestinationArn"].(string)
		if target, ok := c.t.RefTarget(dest); !ok || c.t.Type(target) != "AWS::Logs::LogGroup" {
			c.add(name, "has no AccessLogSettings to a log group of the template")
		}
	}
	for _, fn := range c.t.Names("AWS::Serverless::Function") {
		events, _ := c.t.Properties(fn)["Events"].(map[string]any)
		for evName, e := range events {
			ev, _ := e.(map[string]any)
			if ev["Type"] != "HttpApi" {
				continue
			}
			props, _ := ev["Properties"].(map[string]any)
			auth, _ := props["Auth"].(map[string]any)
			if a, _ := auth["Authorizer"].(string); a == "NONE" {
				if _, ok := exception(PublicRoutes, fn); !ok {
					c.add(fn, "route %s opts out of authorization (Authorizer NONE)", evName)
				}
			}
			if api, _ := props["ApiId"].(string); api == "" {
				c.add(fn, "route %s is on the implicit HTTP API; name an AWS::Serverless::HttpApi with ApiId", evName)
			}
		}
	}
}
