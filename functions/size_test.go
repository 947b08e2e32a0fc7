// Package functions_test holds the size budget of the Lambda functions under functions/.
package functions_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// MaxBootstrap is the budget of one function's stripped linux/arm64 bootstrap (issue #19): a smaller
// deployment package unzips and maps faster at a cold start.
const MaxBootstrap = 10_000_000

// overBudget lists functions still over MaxBootstrap, each with the size it must not exceed while it is
// (a ratchet, so it cannot grow), and why. A listed function that comes under MaxBootstrap fails the test
// until it is taken off the list.
var overBudget = map[string]struct {
	ceiling int64
	why     string
}{
	// Empty since 2026-11-30 (issue #19): console (13,238,434 bytes at its largest) came under once its pages
	// were written by Go renderers instead of html/template (≈ −2.2 MB of reflective method retention), and
	// every function lost ≈ 1.5 MB when the store's DynamoDB adapter for the functions sent the JSON protocol
	// itself (shared/store/dynamo/wire) instead of linking the SDK's DynamoDB client, which took intake-api
	// (10,223,778) under too. README "Measured figures" has each function's size.
}

// mailParser are the import paths of the MIME parser: only intake-email may link them (issue #19: the API and
// the console hand a released quarantined message to intake-email instead of parsing it).
var mailParser = []string{"github.com/safeguarding/mash/shared/intake/email", "github.com/jhillyerd/enmime"}

// notLinked are packages no function may link (issue #19), with why.
var notLinked = map[string]string{
	"github.com/aws/aws-sdk-go-v2/service/dynamodb": "the SDK's DynamoDB client, its types and their schemas are ≈ 1.5 MB; the functions' store is shared/store/dynamo/wire",
	"text/template": "its reflective method calls make the linker keep every exported method of every type that reaches an interface",
	"html/template": "it executes through text/template (see text/template)",
}

// TestNoFunctionLinksTheBannedPackages fails a function whose import graph (as `make build` builds it)
// reaches a package of notLinked.
func TestNoFunctionLinksTheBannedPackages(t *testing.T) {
	pkgs, out := lambdaImportGraph(t)
	seen := 0
	for _, f := range pkgs {
		if !strings.Contains(f[0], "/functions/") || strings.Contains(f[0], "/testdata/") {
			continue
		}
		seen++
		for _, dep := range f[1:] {
			if why, ok := notLinked[dep]; ok {
				t.Errorf("%s links %s: %s", f[0], dep, why)
			}
		}
	}
	if seen < 10 {
		t.Fatalf("go list listed %d functions:\n%s", seen, out)
	}
}

// TestOnlyIntakeEmailLinksTheMailParser fails a function other than intake-email whose import graph (as
// `make build` builds it) reaches the mail parser: importing it links its package initialisation (charset
// tables, HTML conversion) whether or not its code is called.
func TestOnlyIntakeEmailLinksTheMailParser(t *testing.T) {
	pkgs, out := lambdaImportGraph(t)
	seen := 0
	for _, f := range pkgs {
		name := f[0][strings.LastIndex(f[0], "/")+1:]
		linked := []string{}
		for _, dep := range f[1:] {
			for _, p := range mailParser {
				if dep == p || strings.HasPrefix(dep, p+"/") {
					linked = append(linked, dep)
				}
			}
		}
		switch {
		case name == "intake-email":
			seen++
			if len(linked) == 0 {
				t.Errorf("intake-email links no mail parser: is this test still looking for the right packages (%v)?", mailParser)
			}
		case len(linked) > 0:
			t.Errorf("%s links the mail parser: %v", name, linked)
		}
	}
	if seen != 1 {
		t.Fatalf("go list did not list intake-email:\n%s", out)
	}
}

// lambdaImportGraph lists every package under functions/ as `make build` builds it for arm64: each entry is
// the package's import path followed by every package it links. out is go list's output, for messages.
func lambdaImportGraph(t testing.TB) (pkgs [][]string, out []byte) {
	t.Helper()
	args := append([]string{"list"}, lambdaFlags(t)...)
	args = append(args, "-f", `{{.ImportPath}} {{join .Deps " "}}`, "./...")
	cmd := exec.Command("go", args...)
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkgs = append(pkgs, strings.Fields(line))
	}
	return pkgs, out
}

// lambdaFlags are the Makefile's GOFLAGS_LAMBDA, split as the shell would (single quotes group).
func lambdaFlags(t testing.TB) []string {
	t.Helper()
	mk, err := os.ReadFile("../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^GOFLAGS_LAMBDA\s*:=\s*(.*)$`).FindSubmatch(mk)
	if m == nil {
		t.Fatal("Makefile has no GOFLAGS_LAMBDA")
	}
	var args []string
	var cur strings.Builder
	quoted, inArg := false, false
	for _, r := range string(m[1]) {
		switch {
		case r == '\'':
			quoted, inArg = !quoted, true
		case (r == ' ' || r == '\t') && !quoted:
			if inArg {
				args = append(args, cur.String())
			}
			cur.Reset()
			inArg = false
		default:
			cur.WriteRune(r)
			inArg = true
		}
	}
	if inArg {
		args = append(args, cur.String())
	}
	return args
}

// TestBootstrapSize builds every function under functions/ as `make build` does (linux/arm64, CGO off, the
// Makefile's flags) and fails any over MaxBootstrap bytes.
func TestBootstrapSize(t *testing.T) {
	dirs, err := filepath.Glob("*/main.go")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no functions: %v", err)
	}
	out := t.TempDir()
	args := append([]string{"build"}, lambdaFlags(t)...)
	args = append(args, "-o", out+string(filepath.Separator))
	var names []string
	for _, d := range dirs {
		name := filepath.Dir(d)
		names = append(names, name)
		args = append(args, "./"+name)
	}
	cmd := exec.Command("go", args...)
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, b)
	}
	for _, name := range names {
		fi, err := os.Stat(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		size := fi.Size()
		t.Logf("%-16s %10d bytes (%.2f MB)", name, size, float64(size)/1e6)
		over, listed := overBudget[name]
		switch {
		case listed && size <= MaxBootstrap:
			t.Errorf("%s is %d bytes, within the budget: take it off overBudget", name, size)
		case listed && size > over.ceiling:
			t.Errorf("%s is %d bytes, over its ceiling %d (%s)", name, size, over.ceiling, over.why)
		case !listed && size > MaxBootstrap:
			t.Errorf("%s is %d bytes, over the %d-byte budget (%s over)", name, size, MaxBootstrap, fmt.Sprint(size-MaxBootstrap))
		}
	}
}
