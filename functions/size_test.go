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
	// 13,697,186 bytes on 2026-11-29 (issue 15); 12,976,290 once the MIME parser left the API path (issue 19:
	// a release is handed to intake-email). It is intake-api's wiring (9.96 MB) plus html/template and the pages (templates, GOV.UK CSS, the API contract it serves), go-oidc, go-jose
	// and oauth2 for the sign-in, and what html/template's reflective method calls make the linker keep: every
	// exported method of each type reachable from an interface (≈ 2 MB). The DynamoDB client's ~60 operations
	// were the largest of those (1.45 MB) and are kept out (shared/store/dynamo sdkClient). With the pages'
	// execution cut out it measured 10,879,138 (2026-11-30; 12,976,290 with it, after the named rules and
	// golang.org/x/text/unicode/norm's tables left shared/domain): under 10 MB needs pages rendered without
	// reflection (templ or hand-written, ≈ −2.1 MB) and ≈ 0.9 MB more (README "The console on AWS").
	// 13,107,362 with issue #15's last pages (the Encompass acknowledgement, the referral form's uploads and My
	// referrals, linking and merging duplicates, unclaim, discard, close-check): one more 64 KB page.
	// 13,172,898 with the consultation log (issue #12; the console links shared/api): one more 64 KB page.
	// 13,238,434 with Annex A List 2 (issue #16: the policy's earlyHelp outcomes, reports.AnnexAList2; the
	// console links shared/api and shared/reports): one more 64 KB page.
	// 11,010,210 (from 13,238,434) once the pages are written by Go renderers (shared/console/pages_html.go) instead of
	// html/template: no reflective method call is left in the binary. The rest is intake-api's wiring, the
	// sign-in (go-oidc, go-jose, oauth2), the pages' code and assets (GOV.UK stylesheet, the API contract).
	"console": {11_020_000, "intake-api's wiring + the sign-in (go-oidc) + the pages and their assets"},
	// 10,092,706 with issue #15's last routes (unclaim, quarantine discard, link and merge duplicates, the
	// referral form's attachments, the Encompass acknowledgement on a worker's pick of the school): ≈ 45 KB of
	// code and data that crossed the 10 MB budget by 93 KB (64 KB pages). Under it again needs that much out.
	// 10,223,778 with the consultation log (issue #12: shared/consultations, the store's consultation methods,
	// five routes; +131 KB, two 64 KB pages).
	"intake-api": {10_230_000, "issue #15's routes (unclaim, discard, link, merge, form attachments) + the consultation log"},
}

// mailParser are the import paths of the MIME parser: only intake-email may link them (issue #19: the API and
// the console hand a released quarantined message to intake-email instead of parsing it).
var mailParser = []string{"github.com/safeguarding/mash/shared/intake/email", "github.com/jhillyerd/enmime"}

// TestOnlyIntakeEmailLinksTheMailParser fails a function other than intake-email whose import graph (as
// `make build` builds it) reaches the mail parser: importing it links its package initialisation (charset
// tables, HTML conversion) whether or not its code is called.
func TestOnlyIntakeEmailLinksTheMailParser(t *testing.T) {
	args := append([]string{"list"}, lambdaFlags(t)...)
	args = append(args, "-f", `{{.ImportPath}} {{join .Deps " "}}`, "./...")
	cmd := exec.Command("go", args...)
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
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
