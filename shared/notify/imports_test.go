package notify_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Binary size: every Lambda that imports shared/notify must stay ≤ 10 MB. text/template and html/template
// call reflect.Value.Method/MethodByName, and once any reachable code does that the Go linker can no
// longer drop unused exported methods: it keeps EVERY exported method of every reachable type, so the
// whole SES v2 and DynamoDB clients (hundreds of API operations) are linked into each function (a
// screening build went from ≈10 MB to ≈15 MB stripped, 117 sesv2.(*Client) methods instead of 1). The
// renderer in render.go is hand-written for that reason. These tests keep the templates, and direct
// reflect use, out of shared/notify and its subpackages (folder, ses) and out of their whole import graph.
var bannedImports = map[string]string{
	"text/template": "calls reflect Method/MethodByName: the linker then keeps every exported method",
	"html/template": "calls reflect Method/MethodByName: the linker then keeps every exported method",
}

// TestNoTemplateImports parses the non-test .go files of shared/notify and its subpackages.
func TestNoTemplateImports(t *testing.T) {
	fset := token.NewFileSet()
	files := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != "." && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		files++
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if why, bad := bannedImports[p]; bad {
				t.Errorf("%s imports %s (%s); Lambda binaries must stay ≤ 10 MB: render by hand (see render.go)", path, p, why)
			}
			if p == "reflect" {
				t.Errorf("%s imports reflect; a reflect Method/MethodByName call defeats the linker's dead-method elimination (Lambda binaries must stay ≤ 10 MB)", path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 5 {
		t.Fatalf("parsed only %d files: is the test running in shared/notify?", files)
	}
}

// TestNoTemplateInDependencies checks the whole import graph as the Lambdas are built (linux/arm64,
// lambda.norpc: without that tag aws-lambda-go pulls net/rpc, which itself imports html/template).
func TestNoTemplateInDependencies(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to list the import graph: %v (install Go 1.26 and put it on PATH)", err)
	}
	cmd := exec.Command(goBin, "list", "-deps", "-tags", "lambda.norpc", "-f", "{{.ImportPath}}", "./...")
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 20 {
		t.Fatalf("go list -deps listed only %d packages:\n%s", len(deps), out)
	}
	for _, d := range deps {
		if why, bad := bannedImports[d]; bad {
			t.Errorf("shared/notify/... depends on %s (%s); Lambda binaries must stay ≤ 10 MB: find the importer with "+
				"GOOS=linux GOARCH=arm64 go list -tags lambda.norpc -deps -f '{{.ImportPath}}: {{.Imports}}' ./shared/notify/... | grep template", d, why)
		}
	}
}
