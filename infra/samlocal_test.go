package infra

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/safeguarding/mash/shared/testenv"
)

// env.json (for `sam local invoke`/`start-api --env-vars env.json`) sets, for every Go function of the
// template, every variable the template declares for it (Globals and its own), and nothing the template
// does not declare (SAM would drop it). Its RAW_BUCKET is the bucket the stack names and the sample S3/SES
// events use, for the hackney stack in LocalStack's account and eu-west-2.
func TestSAMLocal_EnvJSONCoversTheTemplate(t *testing.T) {
	root := testenv.Root(t)
	tpl := loadTemplate(t, "template.yaml")
	raw, err := os.ReadFile(filepath.Join(root, "env.json"))
	if err != nil {
		t.Fatal(err)
	}
	var env map[string]map[string]string
	if err := json.Unmarshal(raw, &env); err != nil {
		t.Fatalf("env.json: %v", err)
	}
	globals := map[string]bool{}
	if g, ok := tpl.Raw["Globals"].(map[string]any); ok {
		if f, ok := g["Function"].(map[string]any); ok {
			if e, ok := f["Environment"].(map[string]any); ok {
				for k := range e["Variables"].(map[string]any) {
					globals[k] = true
				}
			}
		}
	}
	if !globals["AWS_ENDPOINT_URL"] || !globals["AWS_ENDPOINT_URL_DYNAMODB"] {
		t.Fatalf("the template's Globals do not declare the endpoint variables (SAM passes only declared ones): %v", globals)
	}
	for k := range env["Parameters"] {
		if !globals[k] {
			t.Errorf("env.json Parameters sets %s, which Globals does not declare", k)
		}
	}
	for k := range globals {
		if _, ok := env["Parameters"][k]; !ok {
			t.Errorf("env.json Parameters lacks %s", k)
		}
	}
	const bucket = "mash-hackney-raw-mail-000000000000-eu-west-2"
	for name, fn := range tpl.Typed.GetAllServerlessFunctionResources() {
		if fn.Environment == nil || fn.Environment.Variables == nil {
			continue
		}
		var want []string
		for k, v := range fn.Environment.Variables {
			want = append(want, k)
			if k == "RAW_BUCKET" {
				stack := strings.NewReplacer("${Authority}", "hackney", "${AWS::AccountId}", "000000000000", "${AWS::Region}", "eu-west-2").Replace(v)
				if stack != bucket || env[name][k] != bucket {
					t.Errorf("%s RAW_BUCKET: the stack's %q (for hackney), env.json's %q, want %s", name, stack, env[name][k], bucket)
				}
			}
		}
		sort.Strings(want)
		for _, k := range want {
			if _, ok := env[name][k]; !ok {
				t.Errorf("env.json %s lacks %s", name, k)
			}
		}
		for k := range env[name] {
			if _, ok := fn.Environment.Variables[k]; !ok {
				t.Errorf("env.json %s sets %s, which the template does not declare for it", name, k)
			}
		}
	}
	for name := range env {
		if name == "Parameters" {
			continue
		}
		if _, ok := tpl.Typed.GetAllServerlessFunctionResources()[name]; !ok {
			t.Errorf("env.json names %s, which is not a function of the template", name)
		}
	}
	// The sample S3 and SES events name that bucket.
	for _, dir := range []string{"events/s3", "events/ses"} {
		files, _ := filepath.Glob(filepath.Join(root, dir, "*.json"))
		if len(files) == 0 {
			t.Errorf("no events in %s", dir)
		}
		for _, f := range files {
			b, _ := os.ReadFile(f)
			if !strings.Contains(string(b), `"`+bucket+`"`) {
				t.Errorf("%s does not name the stack's bucket %s", f, bucket)
			}
		}
	}
}
