package infra

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/safeguarding/mash/shared/testenv"
)

// permissions is infra/permissions.yaml: least privilege as data.
type permissions struct {
	Functions map[string]grantSpec `yaml:"functions"`
	// Operators are the roles a person assumes for a one-off command (template.yaml "operators").
	Operators map[string]grantSpec `yaml:"operators"`
}

// grantSpec is one role's DynamoDB grant in permissions.yaml.
type grantSpec struct {
	Actions []string `yaml:"actions"`
	Keys    []string `yaml:"keys"`
	// WriteOnlyKeys are prefixes the function may only put (a statement of PutItem alone).
	WriteOnlyKeys []string `yaml:"writeOnlyKeys"`
	// ReadOnlyKeys are prefixes the function may only read (a statement of GetItem and Query alone).
	ReadOnlyKeys []string `yaml:"readOnlyKeys"`
	Indexes      []string `yaml:"indexes"`
	Retention    bool     `yaml:"retention"`
	// Scan allows dynamodb:Scan on the table (operators only: no function scans).
	Scan bool `yaml:"scan"`
}

func loadPermissions(t *testing.T) permissions {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testenv.Root(t), "infra", "permissions.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var p permissions
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("permissions.yaml: %v", err)
	}
	return p
}

// dynamoGrant is what one role's policies allow on DynamoDB.
type dynamoGrant struct {
	tableActions []string
	leadingKeys  []string
	// writeOnlyKeys are the prefixes of statements that allow dynamodb:PutItem alone.
	writeOnlyKeys []string
	// readOnlyKeys are the prefixes of statements that allow dynamodb:GetItem and dynamodb:Query alone.
	readOnlyKeys []string
	indexActions []string
	indexes      []string
	problems     []string
}

// grantOf reads every dynamodb statement of a function's policies.
func grantOf(tpl *Template, fn string) dynamoGrant {
	var g dynamoGrant
	pols, _ := tpl.Properties(fn)["Policies"].([]any)
	for _, p := range pols {
		doc, _ := p.(map[string]any)
		for i, st := range statements(doc) {
			var acts []string
			for _, a := range strs(st["Action"]) {
				if strings.HasPrefix(a, "dynamodb:") {
					acts = append(acts, a)
				}
			}
			if len(acts) == 0 {
				continue
			}
			id := statementID(i, st)
			if st["Effect"] != "Allow" {
				continue
			}
			if len(acts) != len(strs(st["Action"])) {
				g.problems = append(g.problems, id+" mixes DynamoDB with other services")
			}
			res := strs(st["Resource"])
			switch {
			case slices.Equal(res, []string{"${Table.Arn}"}):
				cond, _ := st["Condition"].(map[string]any)
				like, _ := cond["ForAllValues:StringLike"].(map[string]any)
				keys := strs(like["dynamodb:LeadingKeys"])
				if len(cond) != 1 || len(like) != 1 || len(keys) == 0 {
					g.problems = append(g.problems, id+" allows the table without a ForAllValues:StringLike dynamodb:LeadingKeys condition alone")
				}
				if slices.Equal(acts, []string{"dynamodb:PutItem"}) {
					g.writeOnlyKeys = append(g.writeOnlyKeys, keys...)
					continue
				}
				if r := slices.Sorted(slices.Values(acts)); slices.Equal(r, []string{"dynamodb:GetItem", "dynamodb:Query"}) {
					g.readOnlyKeys = append(g.readOnlyKeys, keys...)
					continue
				}
				g.tableActions = append(g.tableActions, acts...)
				g.leadingKeys = append(g.leadingKeys, keys...)
			default:
				for _, r := range res {
					idx, ok := strings.CutPrefix(r, "${Table.Arn}/index/")
					if !ok || idx == "*" {
						g.problems = append(g.problems, id+" names resource "+r+" (want the table with a key condition, or a named index)")
						continue
					}
					g.indexes = append(g.indexes, idx)
				}
				g.indexActions = append(g.indexActions, acts...)
			}
		}
	}
	for _, s := range []*[]string{&g.tableActions, &g.leadingKeys, &g.writeOnlyKeys, &g.readOnlyKeys, &g.indexActions, &g.indexes} {
		sort.Strings(*s)
		*s = slices.Compact(*s)
	}
	return g
}

func sorted(in []string, f func(string) string) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		out = append(out, f(s))
	}
	sort.Strings(out)
	return out
}

// Issue 14 "least privilege as data": every function's DynamoDB grant in template.yaml is exactly what
// infra/permissions.yaml says — actions, key prefixes, indexes — and nothing may delete outside a retention
// job.
func TestPermissions_TemplateMatchesPermissionsFile(t *testing.T) {
	tpl := loadTemplate(t, "template.yaml")
	perms := loadPermissions(t)
	fns := tpl.Names("AWS::Serverless::Function")
	for _, fn := range fns {
		want, ok := perms.Functions[fn]
		if !ok {
			t.Errorf("%s is not in infra/permissions.yaml", fn)
			continue
		}
		got := grantOf(tpl, fn)
		for _, p := range got.problems {
			t.Errorf("%s: %s", fn, p)
		}
		wantActions := sorted(want.Actions, func(a string) string { return "dynamodb:" + a })
		if !slices.Equal(got.tableActions, wantActions) {
			t.Errorf("%s: table actions %v, permissions.yaml %v", fn, got.tableActions, wantActions)
		}
		wantKeys := sorted(want.Keys, func(k string) string { return k + "*" })
		if !slices.Equal(got.leadingKeys, wantKeys) {
			t.Errorf("%s: leading keys %v, permissions.yaml %v", fn, got.leadingKeys, wantKeys)
		}
		if wantW := sorted(want.WriteOnlyKeys, func(k string) string { return k + "*" }); !slices.Equal(got.writeOnlyKeys, wantW) {
			t.Errorf("%s: write-only keys %v, permissions.yaml %v", fn, got.writeOnlyKeys, wantW)
		}
		if wantR := sorted(want.ReadOnlyKeys, func(k string) string { return k + "*" }); !slices.Equal(got.readOnlyKeys, wantR) {
			t.Errorf("%s: read-only keys %v, permissions.yaml %v", fn, got.readOnlyKeys, wantR)
		}
		wantIdx := sorted(want.Indexes, func(s string) string { return s })
		if !slices.Equal(got.indexes, wantIdx) {
			t.Errorf("%s: indexes %v, permissions.yaml %v", fn, got.indexes, wantIdx)
		}
		if len(got.indexActions) > 0 && !slices.Equal(got.indexActions, []string{"dynamodb:Query"}) {
			t.Errorf("%s: index actions %v, want dynamodb:Query only", fn, got.indexActions)
		}
		if slices.Contains(want.Actions, "DeleteItem") && !want.Retention {
			t.Errorf("%s: permissions.yaml grants DeleteItem to a function that is not a retention job", fn)
		}
	}
	for fn := range perms.Functions {
		if !slices.Contains(fns, fn) {
			t.Errorf("permissions.yaml names %s, which template.yaml does not have", fn)
		}
	}
	// The issue's own examples, said plainly.
	for _, fn := range []string{"IntakeApiFunction", "TrayFunction"} {
		if slices.Contains(grantOf(tpl, fn).tableActions, "dynamodb:DeleteItem") {
			t.Errorf("%s may delete items", fn)
		}
	}
	// Restricted police information is reachable by the API, and by the retention job to delete it; the
	// console may only write it (the police answer page's restricted note).
	for _, fn := range fns {
		if slices.Contains(grantOf(tpl, fn).leadingKeys, "restricted#*") != (fn == "IntakeApiFunction" || fn == "RetentionFunction") {
			t.Errorf("%s: restricted# access %v", fn, grantOf(tpl, fn).leadingKeys)
		}
		if w := grantOf(tpl, fn).writeOnlyKeys; slices.Contains(w, "restricted#*") && fn != "ConsoleFunction" {
			t.Errorf("%s: write-only keys %v", fn, w)
		}
		if r := grantOf(tpl, fn).readOnlyKeys; slices.Contains(r, "restricted#*") {
			t.Errorf("%s: may read restricted# %v", fn, r)
		}
	}
}

// Issue #16: the retention job is the only holder of delete rights — dynamodb:DeleteItem on the table and
// s3:DeleteObject on the raw-mail bucket — and it has them. No other role may delete anything anywhere.
func TestPermissions_OnlyTheRetentionJobDeletes(t *testing.T) {
	tpl := loadTemplate(t, "template.yaml")
	deletes := regexp.MustCompile(`(?i)^(dynamodb:(DeleteItem|BatchWriteItem|DeleteTable|\*)|s3:(Delete\w*|\*)|\*)$`)
	holders := map[string][]string{}
	for _, name := range tpl.Names("AWS::Serverless::Function") {
		pols, _ := tpl.Properties(name)["Policies"].([]any)
		for _, p := range pols {
			doc, _ := p.(map[string]any)
			for _, st := range statements(doc) {
				if st["Effect"] != "Allow" {
					continue
				}
				for _, a := range strs(st["Action"]) {
					if deletes.MatchString(a) {
						holders[name] = append(holders[name], a)
					}
				}
			}
		}
	}
	got := holders["RetentionFunction"]
	sort.Strings(got)
	if !slices.Equal(got, []string{"dynamodb:DeleteItem", "s3:DeleteObject"}) {
		t.Errorf("RetentionFunction's delete rights %v, want dynamodb:DeleteItem and s3:DeleteObject", got)
	}
	delete(holders, "RetentionFunction")
	for fn, acts := range holders {
		t.Errorf("%s may delete: %v", fn, acts)
	}
	perms := loadPermissions(t)
	for fn, p := range perms.Functions {
		if p.Retention != (fn == "RetentionFunction") {
			t.Errorf("permissions.yaml marks %s retention: %v", fn, p.Retention)
		}
	}
}

// The grant must cover what the DynamoDB adapter calls (a new call fails here, not in production), and the
// adapter's key prefixes must be the ones permissions.yaml speaks of.
func TestPermissions_CoverTheAdaptersCalls(t *testing.T) {
	root := testenv.Root(t)
	src, err := os.ReadFile(filepath.Join(root, "shared", "store", "dynamo", "dynamo.go"))
	if err != nil {
		t.Fatal(err)
	}
	// TransactWriteItems of Puts is authorised as PutItem per item.
	iam := map[string]string{"GetItem": "GetItem", "Query": "Query", "PutItem": "PutItem", "UpdateItem": "UpdateItem",
		"TransactWriteItems": "PutItem", "DeleteItem": "DeleteItem", "BatchGetItem": "BatchGetItem",
		"BatchWriteItem": "BatchWriteItem", "TransactGetItems": "GetItem", "Scan": "Scan"}
	calls := regexp.MustCompile(`\.c\.sdk\(\)\.([A-Z][A-Za-z]+)\(`).FindAllStringSubmatch(string(src), -1)
	if len(calls) == 0 {
		t.Fatal("found no DynamoDB calls in the adapter: the pattern is stale")
	}
	if strings.Contains(string(src), "types.TransactWriteItem{ConditionCheck") {
		t.Fatal("the adapter's transactions now condition-check: update permissions.yaml")
	}
	// Deletes (DeleteItem, Deletes in a transaction) are the retention job's (store.Retention): only a
	// function marked retention needs, and may hold, DeleteItem.
	if strings.Contains(string(src), "types.TransactWriteItem{Delete") {
		calls = append(calls, []string{"", "DeleteItem"})
	}
	perms := loadPermissions(t)
	for _, c := range calls {
		action, ok := iam[c[1]]
		if !ok {
			t.Errorf("the adapter calls %s: say in this test which IAM action it needs", c[1])
			continue
		}
		for fn, p := range perms.Functions {
			if action == "DeleteItem" && !p.Retention {
				continue
			}
			// The adapter's one Scan is the operator's one-off backfill of the retention indexes (`mash retention
			// backfill`, with the operator's credentials), never a function's: the functions link the wire adapter,
			// which has no Scan (checked below), so no role needs it.
			if action == "Scan" {
				continue
			}
			// The adapter's one UpdateItem is the reference counter (numbering a new contact), which the
			// retention job never does: its role stays without it.
			if action == "UpdateItem" && p.Retention {
				continue
			}
			if len(p.Actions) > 0 && !slices.Contains(p.Actions, action) {
				t.Errorf("the adapter calls %s (IAM %s), which %s may not", c[1], action, fn)
			}
		}
	}
	wire, err := os.ReadFile(filepath.Join(root, "shared", "store", "dynamo", "wire", "wire.go"))
	if err != nil {
		t.Fatal(err)
	}
	if regexp.MustCompile(`"Scan"|\bScanPage\(`).Match(wire) {
		t.Error("the functions' wire adapter scans: no function role may Scan (the backfill runs from `mash`)")
	}
	keys, err := os.ReadFile(filepath.Join(root, "shared", "store", "internal", "core", "keys.go"))
	if err != nil {
		t.Fatal(err)
	}
	for fn, p := range perms.Functions {
		for _, k := range slices.Concat(p.Keys, p.WriteOnlyKeys, p.ReadOnlyKeys) {
			if !strings.Contains(string(keys), `"`+k) {
				t.Errorf("%s: key prefix %q is not a key shape of shared/store/internal/core/keys.go", fn, k)
			}
		}
	}
}

// The operators' roles (template.yaml "operators"; the one: RetentionBackfillOperatorRole for `mash retention
// backfill`, docs/operations.md) allow on the table exactly what permissions.yaml "operators" says — a Scan
// (no key condition is possible) and PutItem on the named key prefixes — and nothing else on it; the key
// only through DynamoDB (kms:ViaService); assumed only by this account's principals with MFA, for an hour at
// most; and the key policy lets the role use the key (by the name CloudFormation gives it). No operator may
// delete. cmd/mash's TestRetentionBackfill_CLI_DynamoDBLocal replays the command's own requests against it.
func TestPermissions_OperatorRolesMatchPermissionsFile(t *testing.T) {
	tpl := loadTemplate(t, "template.yaml")
	perms := loadPermissions(t)
	if len(perms.Operators) == 0 {
		t.Fatal("permissions.yaml names no operator role")
	}
	for name, want := range perms.Operators {
		if tpl.Type(name) != "AWS::IAM::Role" {
			t.Errorf("permissions.yaml names operator role %s, which template.yaml does not have as an AWS::IAM::Role", name)
			continue
		}
		if len(want.Actions)+len(want.Keys)+len(want.ReadOnlyKeys)+len(want.Indexes) > 0 || want.Retention {
			t.Errorf("%s: an operator role is a scan and write-only keys, nothing more: %+v", name, want)
		}
		props := tpl.Properties(name)
		scan, viaService := false, false
		var writeOnly []string
		pols, _ := props["Policies"].([]any)
		for _, p := range pols {
			m, _ := p.(map[string]any)
			doc, _ := m["PolicyDocument"].(map[string]any)
			for i, st := range statements(doc) {
				id := statementID(i, st)
				acts := strs(st["Action"])
				if st["Effect"] != "Allow" || len(acts) == 0 {
					continue
				}
				cond, _ := st["Condition"].(map[string]any)
				res := strs(st["Resource"])
				switch {
				case slices.Equal(acts, []string{"dynamodb:Scan"}) && slices.Equal(res, []string{"${Table.Arn}"}) && len(cond) == 0:
					scan = true
				case slices.Equal(acts, []string{"dynamodb:PutItem"}) && slices.Equal(res, []string{"${Table.Arn}"}):
					like, _ := cond["ForAllValues:StringLike"].(map[string]any)
					keys := strs(like["dynamodb:LeadingKeys"])
					if len(cond) != 1 || len(like) != 1 || len(keys) == 0 {
						t.Errorf("%s: %s puts without a ForAllValues:StringLike dynamodb:LeadingKeys condition alone", name, id)
					}
					writeOnly = append(writeOnly, keys...)
				case strings.HasPrefix(acts[0], "kms:"):
					eq, _ := cond["StringEquals"].(map[string]any)
					via, _ := eq["kms:ViaService"].(string)
					viaService = via == "dynamodb.${AWS::Region}.amazonaws.com" && slices.Equal(res, []string{"${Key.Arn}"})
					if !viaService {
						t.Errorf("%s: %s uses the key other than through DynamoDB on the stack's key: %v %v", name, id, res, cond)
					}
				default:
					t.Errorf("%s: %s allows %v on %v, beyond its permissions.yaml entry", name, id, acts, res)
				}
			}
		}
		if scan != want.Scan {
			t.Errorf("%s: scans the table %v, permissions.yaml %v", name, scan, want.Scan)
		}
		if w := sorted(want.WriteOnlyKeys, func(k string) string { return k + "*" }); !slices.Equal(slices.Sorted(slices.Values(writeOnly)), w) {
			t.Errorf("%s: puts %v, permissions.yaml %v", name, writeOnly, w)
		}
		if !viaService {
			t.Errorf("%s: no use of the table's key through DynamoDB (the table is encrypted with it)", name)
		}
		// Assumed by this account's principals (whom its IAM lets), with MFA, an hour at most.
		trust, _ := props["AssumeRolePolicyDocument"].(map[string]any)
		for i, st := range statements(trust) {
			p, _ := st["Principal"].(map[string]any)
			cond, _ := st["Condition"].(map[string]any)
			b, _ := cond["Bool"].(map[string]any)
			if mfa, _ := b["aws:MultiFactorAuthPresent"].(string); !slices.ContainsFunc(strs(p["AWS"]), accountRoot.MatchString) ||
				len(strs(p["AWS"])) != 1 || mfa != "true" || !slices.Equal(strs(st["Action"]), []string{"sts:AssumeRole"}) {
				t.Errorf("%s: trust statement %s: %v (want this account's root, sts:AssumeRole, MFA)", name, statementID(i, st), st)
			}
		}
		if d, _ := props["MaxSessionDuration"].(float64); d == 0 || d > 3600 {
			t.Errorf("%s: MaxSessionDuration %v, want at most 3600", name, props["MaxSessionDuration"])
		}
		// The key policy names the role as the functions' roles are named (a role Arn would be a cycle).
		key, _ := tpl.Properties("Key")["KeyPolicy"].(map[string]any)
		named := false
		for _, st := range statements(key) {
			cond, _ := st["Condition"].(map[string]any)
			like, _ := cond["ArnLike"].(map[string]any)
			arn, _ := like["aws:PrincipalArn"].(string)
			named = named || strings.HasSuffix(arn, ":role/${AWS::StackName}-"+name+"-*")
		}
		if !named {
			t.Errorf("%s: the key policy does not let it use the key", name)
		}
	}
}
