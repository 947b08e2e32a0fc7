package infra

import (
	"bytes"
	"debug/elf"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-cmp/cmp"

	"github.com/safeguarding/mash/shared/store/dynamo"
	"github.com/safeguarding/mash/shared/testenv"
)

// functionNames are the functions the design names (docs/architecture.md "Data flow"), one folder each under
// functions/.
var functionNames = []string{
	"console", "escalate", "intake-api", "intake-email", "notifications", "outbox", "out-of-hours", "partner-checks", "screening",
	"retention", "sla", "token-claims", "tray",
}

func loadTemplate(t *testing.T, rel string) *Template {
	t.Helper()
	tpl, err := Load(filepath.Join(testenv.Root(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

func TestTemplate_KeepsTheHouseRules(t *testing.T) {
	tpl := loadTemplate(t, "template.yaml")
	for _, p := range Check(tpl, functionNames) {
		t.Error(p)
	}
	// The checks looked at something: every function the design names is a resource.
	got := map[string]bool{}
	for name := range tpl.Typed.GetAllServerlessFunctionResources() {
		got[KebabName(name)] = true
	}
	for _, f := range functionNames {
		if !got[f] {
			t.Errorf("no function resource for %s", f)
		}
	}
}

// Every folder under functions/ has exactly one function resource and every function resource a folder.
// The folders are written by the lead alongside this template; until they exist this test fails by name.
func TestTemplate_FunctionFoldersMatchResources(t *testing.T) {
	root := testenv.Root(t)
	problems, err := Lint(filepath.Join(root, "template.yaml"), filepath.Join(root, "functions"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// The broken copy differs from template.yaml in five ways; the checks must report exactly those (and the
// checks' output is therefore not vacuous).
func TestBrokenTemplateIsCaught(t *testing.T) {
	tpl := loadTemplate(t, "infra/testdata/broken-template.yaml")
	// The broken copy predates the console and retention functions (their folders are not the copy's) and the
	// outbox function (its folder is missing from the copy).
	got := Check(tpl, slices.DeleteFunc(slices.Clone(functionNames), func(f string) bool { return f == "console" || f == "retention" }))
	want := []string{
		"ExtraFunction: CodeUri functions/extra has no folder",
		`IntakeApiFunction: statement Store allows wildcard action "dynamodb:*"`,
		"IntakeEmailFunction: is invoked asynchronously (S3) but has no DeadLetterQueue on an SQS queue of the template",
		"SlaDeadLetterQueue: has no KmsMasterKeyId with the stack's KMS key",
		"SlaLogGroup: has no RetentionInDays",
		"functions/outbox: no AWS::Serverless::Function has CodeUri functions/outbox",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems of the broken template (-want +got):\n%s", diff)
	}
}

// Smaller breakages, one per check, so each check is known to fire on its own.
func TestCheck_EachRuleFires(t *testing.T) {
	base, err := os.ReadFile(filepath.Join(testenv.Root(t), "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, old, new, want string
	}{
		{"star resource", "              Action: states:StartExecution\n              Resource: !Ref ContactStateMachineAliaslive\n            - Sid: CompleteTaskTokens",
			"              Action: states:StartExecution\n              Resource: \"*\"\n            - Sid: CompleteTaskTokens",
			`IntakeApiFunction: statement StartContactExecution allows "states:StartExecution" on Resource "*" (not in the allow-list of actions without resource types)`},
		{"metric without namespace condition", "            - Sid: Escalate\n              Effect: Allow\n              Action: ses:SendEmail\n              Resource:\n                - !Sub \"arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${SendingDomain}\"\n                - !Sub \"arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:configuration-set/${SesConfigurationSet}\"\n            - Sid: UseKey\n              Effect: Allow\n              Action: [kms:Decrypt, kms:Encrypt, kms:GenerateDataKey, kms:DescribeKey]\n              Resource: !GetAtt Key.Arn\n\n  # ----",
			"            - Sid: PublishUnclaimedMetric\n              Effect: Allow\n              Action: cloudwatch:PutMetricData\n              Resource: \"*\"\n\n  # ----",
			`SlaFunction: statement PublishUnclaimedMetric allows "cloudwatch:PutMetricData" on Resource "*" without the cloudwatch:namespace condition`},
		{"table without PITR", "        PointInTimeRecoveryEnabled: true", "        PointInTimeRecoveryEnabled: false",
			"Table: has no point-in-time recovery"},
		{"table without deletion protection", "      DeletionProtectionEnabled: true\n", "",
			"Table: has no DeletionProtectionEnabled"},
		{"table without TTL", "      TimeToLiveSpecification:\n        AttributeName: ttl\n        Enabled: true\n", "",
			"Table: has no TimeToLiveSpecification"},
		{"table without CMK", "        SSEType: KMS\n        KMSMasterKeyId: !GetAtt Key.Arn\n", "",
			"Table: is not encrypted with the stack's KMS key (SSESpecification SSEEnabled, SSEType KMS, KMSMasterKeyId)"},
		{"bucket without KMS", "              SSEAlgorithm: aws:kms\n", "              SSEAlgorithm: AES256\n",
			"RawMailBucket: is not encrypted with the stack's KMS key (BucketEncryption aws:kms, KMSMasterKeyID)"},
		{"bucket public", "        RestrictPublicBuckets: true", "        RestrictPublicBuckets: false",
			"RawMailBucket: does not block public access (PublicAccessBlockConfiguration, all four true)"},
		{"log group without KMS", "      LogGroupName: !Sub \"/aws/lambda/mash-${Authority}-tray\"\n      RetentionInDays: !Ref LogRetentionDays\n      KmsKeyId: !GetAtt Key.Arn\n",
			"      LogGroupName: !Sub \"/aws/lambda/mash-${Authority}-tray\"\n      RetentionInDays: !Ref LogRetentionDays\n",
			"TrayLogGroup: has no KmsKeyId with the stack's KMS key"},
		{"function without its log group", "        LogGroup: !Ref ScreeningLogGroup\n", "",
			"ScreeningFunction: has no log group of its own (LoggingConfig.LogGroup referencing an AWS::Logs::LogGroup)"},
		{"queue without alarm", "          Value: !GetAtt ContactDeadLetterQueue.QueueName", "          Value: !GetAtt SlaDeadLetterQueue.QueueName",
			"ContactDeadLetterQueue: has no alarm on ApproximateNumberOfMessagesVisible"},
		{"state machine invokes an extra function", "                - !GetAtt EscalateFunction.Arn\n            - Sid: DeadLetterFailedContacts",
			"                - !GetAtt EscalateFunction.Arn\n                - !GetAtt IntakeApiFunction.Arn\n            - Sid: DeadLetterFailedContacts",
			"ContactStateMachine: role may invoke ${IntakeApiFunction.Arn}, which the definition does not name"},
		{"managed policy", "        LogGroup: !Ref TrayLogGroup\n      Policies:\n        - Version: \"2012-10-17\"\n",
			"        LogGroup: !Ref TrayLogGroup\n      Policies:\n        - AmazonDynamoDBFullAccess\n        - Version: \"2012-10-17\"\n",
			`TrayFunction: policy 0 is the managed policy "AmazonDynamoDBFullAccess"; write statements on named resources instead`},
		{"route without authorization", "          Properties: {ApiId: !Ref Api, Method: POST, Path: /v1/ooh, PayloadFormatVersion: \"2.0\"}",
			"          Properties: {ApiId: !Ref Api, Method: POST, Path: /v1/ooh, PayloadFormatVersion: \"2.0\", Auth: {Authorizer: NONE}}",
			"IntakeApiFunction: route OutOfHours opts out of authorization (Authorizer NONE)"},
		{"API without default authorizer", "        DefaultAuthorizer: Jwt\n", "",
			"Api: has no DefaultAuthorizer among its Authorizers (routes must deny by default)"},
		{"key policy wildcard for a service", "            Action: [kms:GenerateDataKey, kms:Decrypt]\n            Resource: \"*\"\n            Condition:\n              StringEquals:\n                aws:SourceAccount: !Ref AWS::AccountId\n          - Sid: CloudWatchAlarms",
			"            Action: kms:*\n            Resource: \"*\"\n            Condition:\n              StringEquals:\n                aws:SourceAccount: !Ref AWS::AccountId\n          - Sid: CloudWatchAlarms",
			`Key: statement SesWritesRawMailToTheEncryptedBucket allows wildcard action "kms:*"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !bytes.Contains(base, []byte(tc.old)) {
				t.Fatalf("template.yaml no longer contains the text this case edits:\n%s", tc.old)
			}
			tpl, err := Parse(bytes.Replace(base, []byte(tc.old), []byte(tc.new), 1))
			if err != nil {
				t.Fatal(err)
			}
			got := Check(tpl, functionNames)
			if len(got) != 1 || got[0] != tc.want {
				t.Errorf("problems = %q\nwant exactly %q", got, tc.want)
			}
		})
	}
}

func TestKebabName(t *testing.T) {
	for in, want := range map[string]string{
		"IntakeEmailFunction": "intake-email", "OutOfHoursFunction": "out-of-hours", "SlaFunction": "sla",
		"PartnerChecksFunction": "partner-checks", "Escalate": "escalate",
	} {
		if got := KebabName(in); got != want {
			t.Errorf("KebabName(%q) = %q, want %q", in, got, want)
		}
	}
}

// The allow-list claims each action has no resource type (or is scoped by a condition). Check the claim
// against the service authorization data bundled with cfn-lint in the project's virtualenv.
func TestWildcardAllowList_MatchesServiceAuthorizationReference(t *testing.T) {
	venvBin := testenv.VenvBin(t, "cfn-lint")
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(filepath.Dir(venvBin)), "lib", "python*", "site-packages",
		"cfnlint", "data", "AdditionalSpecs", "Policies.json"))
	if len(matches) != 1 {
		t.Fatalf("cfn-lint's Policies.json not found in the virtualenv (%v); reinstall with `scripts/tools.sh py`", matches)
	}
	data, err := os.ReadFile(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	var services map[string]struct {
		Actions map[string]struct {
			Resources []string `json:"Resources"`
		} `json:"Actions"`
	}
	if err := json.Unmarshal(data, &services); err != nil {
		t.Fatal(err)
	}
	for _, ex := range WildcardResourceActions {
		if ex.Reason == "" {
			t.Errorf("%s: no reason", ex.Action)
		}
		svc, action, _ := strings.Cut(ex.Action, ":")
		a, ok := services[svc].Actions[strings.ToLower(action)]
		if !ok {
			t.Errorf("%s: not an action of the service authorization reference", ex.Action)
			continue
		}
		if len(a.Resources) > 0 && ex.Condition == "" {
			t.Errorf("%s supports resource types %v: name the resource instead of allow-listing it", ex.Action, a.Resources)
		}
	}
}

// template.yaml's table has the keys and indexes the store creates its tables with.
func TestTemplateTableMatchesStoreDefinition(t *testing.T) {
	tpl := loadTemplate(t, "template.yaml")
	tables := tpl.Typed.GetAllDynamoDBTableResources()
	if len(tables) != 1 {
		t.Fatalf("template has %d tables, want 1", len(tables))
	}
	var tb = tables["Table"]
	if tb == nil {
		t.Fatal("template has no resource Table")
	}
	def := dynamo.TableDefinition("mash")

	type attr struct{ Name, Type string }
	type key struct{ Name, Type string }
	type index struct {
		Name       string
		Keys       []key
		Projection string
	}
	var wantAttrs, gotAttrs []attr
	for _, a := range def.AttributeDefinitions {
		wantAttrs = append(wantAttrs, attr{aws.ToString(a.AttributeName), string(a.AttributeType)})
	}
	for _, a := range tb.AttributeDefinitions {
		gotAttrs = append(gotAttrs, attr{a.AttributeName, a.AttributeType})
	}
	byName := func(s []attr) { sort.Slice(s, func(i, j int) bool { return s[i].Name < s[j].Name }) }
	byName(wantAttrs)
	byName(gotAttrs)
	if diff := cmp.Diff(wantAttrs, gotAttrs); diff != "" {
		t.Errorf("AttributeDefinitions (-store +template):\n%s", diff)
	}

	var wantKeys, gotKeys []key
	for _, k := range def.KeySchema {
		wantKeys = append(wantKeys, key{aws.ToString(k.AttributeName), string(k.KeyType)})
	}
	for _, k := range tb.KeySchema {
		gotKeys = append(gotKeys, key{k.AttributeName, k.KeyType})
	}
	if diff := cmp.Diff(wantKeys, gotKeys); diff != "" {
		t.Errorf("KeySchema (-store +template):\n%s", diff)
	}

	var wantIdx, gotIdx []index
	for _, g := range def.GlobalSecondaryIndexes {
		ix := index{Name: aws.ToString(g.IndexName)}
		for _, k := range g.KeySchema {
			ix.Keys = append(ix.Keys, key{aws.ToString(k.AttributeName), string(k.KeyType)})
		}
		if g.Projection != nil {
			ix.Projection = string(g.Projection.ProjectionType)
		}
		wantIdx = append(wantIdx, ix)
	}
	for _, g := range tb.GlobalSecondaryIndexes {
		ix := index{Name: g.IndexName}
		for _, k := range g.KeySchema {
			ix.Keys = append(ix.Keys, key{k.AttributeName, k.KeyType})
		}
		if g.Projection != nil {
			ix.Projection = aws.ToString(g.Projection.ProjectionType)
		}
		gotIdx = append(gotIdx, ix)
	}
	sort.Slice(wantIdx, func(i, j int) bool { return wantIdx[i].Name < wantIdx[j].Name })
	sort.Slice(gotIdx, func(i, j int) bool { return gotIdx[i].Name < gotIdx[j].Name })
	if diff := cmp.Diff(wantIdx, gotIdx); diff != "" {
		t.Errorf("GlobalSecondaryIndexes (-store +template):\n%s", diff)
	}

	if got, want := aws.ToString(tb.BillingMode), string(def.BillingMode); got != want {
		t.Errorf("BillingMode = %q, store uses %q", got, want)
	}
	if tb.TimeToLiveSpecification == nil || aws.ToString(tb.TimeToLiveSpecification.AttributeName) != dynamo.TTLAttribute {
		t.Errorf("TimeToLiveSpecification does not use the store's TTL attribute %q", dynamo.TTLAttribute)
	}
	// The stream the outbox is sent from (OutboxFunction): the tests' tables have the same one.
	if want := string(def.StreamSpecification.StreamViewType); tb.StreamSpecification == nil || tb.StreamSpecification.StreamViewType != want {
		t.Errorf("StreamSpecification = %+v, the store's is %s", tb.StreamSpecification, want)
	}
}

// samEnv is the environment of the SAM CLI and cfn-lint: no telemetry, a throw-away HOME, and the Go
// settings of the caller kept explicitly (a new HOME would otherwise mean a cold build cache).
func samEnv(t *testing.T) []string {
	t.Helper()
	out, err := exec.Command("go", "env", "-json", "GOCACHE", "GOMODCACHE", "GOPATH", "GOENV", "GOFLAGS", "GOPROXY", "GOTOOLCHAIN").Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	var goEnv map[string]string
	if err := json.Unmarshal(out, &goEnv); err != nil {
		t.Fatal(err)
	}
	env := os.Environ()
	for k, v := range goEnv {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	return append(env, "SAM_CLI_TELEMETRY=0", "HOME="+t.TempDir(), "AWS_DEFAULT_REGION=eu-west-2")
}

func run(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
	}
	return string(out)
}

func TestSAMValidateLint(t *testing.T) {
	root := testenv.Root(t)
	sam := testenv.VenvBin(t, "sam")
	out := run(t, root, samEnv(t), sam, "validate", "--lint", "-t", "template.yaml")
	if !strings.Contains(out, "is a valid SAM Template") {
		t.Errorf("sam validate --lint did not report a valid template:\n%s", out)
	}
}

func TestCfnLint(t *testing.T) {
	root := testenv.Root(t)
	run(t, root, samEnv(t), testenv.VenvBin(t, "cfn-lint"), "template.yaml")
}

// cfn-lint must be able to fail here too: a template with a property CloudFormation does not know.
func TestCfnLint_FailsOnABrokenTemplate(t *testing.T) {
	root := testenv.Root(t)
	base, err := os.ReadFile(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Replace(base, []byte("      DeletionProtectionEnabled: true\n"), []byte("      DeletionProtection: true\n"), 1)
	path := filepath.Join(t.TempDir(), "template.yaml")
	if err := os.WriteFile(path, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(testenv.VenvBin(t, "cfn-lint"), path)
	cmd.Env = samEnv(t)
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "DeletionProtection") {
		t.Errorf("cfn-lint accepted a table with an unknown property (err %v):\n%s", err, out)
	}
}

// A native `sam build` (no container) produces one arm64 bootstrap per function, built with
// -tags lambda.norpc (no net/rpc linked), -ldflags='-s -w' (no symbol table) and -trimpath (no local paths).
func TestSAMBuild(t *testing.T) {
	if testing.Short() {
		t.Log("-short: building anyway; the build is the test")
	}
	root := testenv.Root(t)
	sam := testenv.VenvBin(t, "sam")
	build := filepath.Join(t.TempDir(), "build")
	run(t, root, samEnv(t), sam, "build", "-t", "template.yaml", "--build-dir", build)

	tpl := loadTemplate(t, "template.yaml")
	fns := tpl.Typed.GetAllServerlessFunctionResources()
	if len(fns) == 0 {
		t.Fatal("no functions in template.yaml")
	}
	for name := range fns {
		path := filepath.Join(build, name, "bootstrap")
		f, err := elf.Open(path)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if f.Machine != elf.EM_AARCH64 || f.Class != elf.ELFCLASS64 {
			t.Errorf("%s: bootstrap is %v %v, want EM_AARCH64 ELFCLASS64", name, f.Machine, f.Class)
		}
		if f.Section(".symtab") != nil {
			t.Errorf("%s: bootstrap has a symbol table (built without -ldflags='-s -w')", name)
		}
		f.Close()
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte("net/rpc.")) {
			t.Errorf("%s: bootstrap links net/rpc (built without -tags lambda.norpc)", name)
		}
		if bytes.Contains(data, []byte(root+"/")) {
			t.Errorf("%s: bootstrap contains the local path %s (built without -trimpath)", name, root)
		}
	}
	if _, err := os.Stat(filepath.Join(build, "template.yaml")); err != nil {
		t.Errorf("sam build wrote no template: %v", err)
	}
}

// Every ${Name} placeholder of a state machine definition is substituted by the template, and the template
// substitutes nothing the definition does not use.
func TestStateMachineDefinitionSubstitutions(t *testing.T) {
	root := testenv.Root(t)
	tpl := loadTemplate(t, "template.yaml")
	machines := tpl.Typed.GetAllServerlessStateMachineResources()
	if len(machines) == 0 {
		t.Fatal("no AWS::Serverless::StateMachine in template.yaml")
	}
	placeholder := regexp.MustCompile(`\$\{([A-Za-z0-9_]+)\}`)
	for name, sm := range machines {
		if sm.DefinitionUri == nil || sm.DefinitionUri.String == nil {
			t.Errorf("%s: no local DefinitionUri", name)
			continue
		}
		def, err := os.ReadFile(filepath.Join(root, *sm.DefinitionUri.String))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !json.Valid(def) {
			t.Errorf("%s: %s is not JSON", name, *sm.DefinitionUri.String)
		}
		used := map[string]bool{}
		for _, m := range placeholder.FindAllStringSubmatch(string(def), -1) {
			used[m[1]] = true
		}
		for k := range used {
			if _, ok := sm.DefinitionSubstitutions[k]; !ok {
				t.Errorf("%s: the definition uses ${%s}, which DefinitionSubstitutions does not set", name, k)
			}
		}
		for k := range sm.DefinitionSubstitutions {
			if !used[k] {
				t.Errorf("%s: DefinitionSubstitutions sets %s, which the definition does not use", name, k)
			}
		}
	}
}
