package infra

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/safeguarding/mash/shared/testenv"
)

// seedAuthorities are the five councils of shared/seeds (000 Portsmouth … 004 Barnet).
var seedAuthorities = []string{"barnet", "bexley", "hackney", "northamptonshire", "portsmouth"}

// samConfig reads infra/samconfig.toml with Python's tomllib from the project's virtualenv (the SAM CLI
// reads it with a TOML parser too; Go has none in go.mod).
func samConfig(t *testing.T) map[string]map[string]map[string]any {
	t.Helper()
	py := testenv.VenvBin(t, "python")
	path := filepath.Join(testenv.Root(t), "infra", "samconfig.toml")
	out, err := exec.Command(py, "-c",
		"import json, sys, tomllib; print(json.dumps(tomllib.load(open(sys.argv[1], 'rb'))))", path).Output()
	if err != nil {
		t.Fatalf("samconfig.toml is not valid TOML: %v %s", err, errText(err))
	}
	var doc map[string]any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	envs := map[string]map[string]map[string]any{}
	for env, v := range doc {
		if env == "version" {
			continue
		}
		cmds, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("samconfig.toml: %s is not an environment table", env)
		}
		envs[env] = map[string]map[string]any{}
		for cmd, c := range cmds {
			params, _ := c.(map[string]any)["parameters"].(map[string]any)
			envs[env][cmd] = params
		}
	}
	return envs
}

func errText(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}

var overrideRE = regexp.MustCompile(`([A-Za-z0-9]+)=("(?:[^"\\]|\\.)*"|\S+)`)

// overrides parses SAM's parameter_overrides string: Key="value" Key2=value2.
func overrides(s string) map[string]string {
	out := map[string]string{}
	for _, m := range overrideRE.FindAllStringSubmatch(s, -1) {
		out[m[1]] = strings.Trim(m[2], `"`)
	}
	return out
}

func TestSAMConfig_OneEnvironmentPerAuthority(t *testing.T) {
	root := testenv.Root(t)
	envs := samConfig(t)
	var names []string
	for env := range envs {
		names = append(names, env)
	}
	sort.Strings(names)
	if diff := cmp.Diff(seedAuthorities, names); diff != "" {
		t.Errorf("samconfig environments (-seed authorities +samconfig):\n%s", diff)
	}
	for _, env := range names {
		if _, err := os.Stat(filepath.Join(root, "infra", "authorities", env+".yaml")); err != nil {
			t.Errorf("environment %s names no authority policy file: %v", env, err)
		}
	}
}

func TestSAMConfig_DeployParameters(t *testing.T) {
	tpl := loadTemplate(t, "template.yaml")
	for env, cmds := range samConfig(t) {
		deploy := cmds["deploy"]
		if deploy == nil {
			t.Errorf("%s: no deploy parameters", env)
			continue
		}
		for key, want := range map[string]any{
			"stack_name": "mash-" + env, "region": "eu-west-2", "confirm_changeset": true, "resolve_s3": true,
		} {
			if deploy[key] != want {
				t.Errorf("%s: deploy %s = %v, want %v", env, key, deploy[key], want)
			}
		}
		if caps, _ := deploy["capabilities"].(string); !strings.Contains(caps, "CAPABILITY_IAM") {
			t.Errorf("%s: capabilities %q lack CAPABILITY_IAM (SAM creates one role per function)", env, caps)
		}
		po, _ := deploy["parameter_overrides"].(string)
		ov := overrides(po)
		if ov["Authority"] != env {
			t.Errorf("%s: parameter_overrides Authority=%q, want %q", env, ov["Authority"], env)
		}
		for k := range ov {
			if _, ok := tpl.Typed.Parameters[k]; !ok {
				t.Errorf("%s: parameter_overrides sets %s, which template.yaml does not declare", env, k)
			}
		}
		for name, p := range tpl.Typed.Parameters {
			if _, ok := ov[name]; p.Default == nil && !ok {
				t.Errorf("%s: parameter_overrides lacks %s, which has no default", env, name)
			}
		}
	}
}
