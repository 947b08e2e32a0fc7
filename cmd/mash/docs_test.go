package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/cli.md from the commands' own help")

// cliReference is docs/cli.md: `mash help` and every command's --help, as the commands print them.
func cliReference(t *testing.T) string {
	var b bytes.Buffer
	b.WriteString("# mash — command-line reference\n\n")
	b.WriteString("Generated from the commands' own help by `go test ./cmd/mash -run TestDocs_CLIReference -update`; a test fails\n")
	b.WriteString("when this file differs from what `mash help` and `mash COMMAND --help` print.\n\n")
	b.WriteString("Install: `go install ./cmd/mash` (or `make mash` for `bin/mash` stamped with its commit). The sample emails are\n")
	b.WriteString("built in, so `mash demo` works from any folder.\n\n")
	b.WriteString("- **State.** Every command that keeps state takes `--state` (default `.mash`; the demo's own is `.mash/demo`,\n")
	b.WriteString("  emptied each time). The maildrop is `STATE/inbox`, the outbox `STATE/outbox`. A state folder runs on the real\n")
	b.WriteString("  clock or, for good, on a simulated one (`--start-at`, recorded in `STATE/clock.json`); contacts made under a\n")
	b.WriteString("  simulated clock are marked `\"simulated\": true`.\n")
	b.WriteString("- **Authority.** A command that needs one takes `--authority`; without it the command says so and lists the\n")
	b.WriteString("  authorities. It never picks one.\n")
	b.WriteString("- **Contacts** are named by id (`c_…`) or by the reference people quote (`HAC-2027-000123`), as in the API.\n")
	b.WriteString("- **Flags** may come before or after arguments; `--` ends them.\n")
	b.WriteString("- **Output.** Commands that report data print one JSON object per line on stdout; messages go to stderr.\n")
	b.WriteString("- **Exit codes.** 0 success (and `--help`); 1 bad input, with a message on stderr naming it — a usage error\n")
	b.WriteString("  too, which also prints the command's usage; 2 an internal failure. (A usage error is bad input rather than a\n")
	b.WriteString("  code of its own so that 2 always means \"not your fault\": scripts retry or report it.)\n\n")
	help, _, code := runCLI(t, "help")
	if code != 0 {
		t.Fatalf("mash help: exit %d", code)
	}
	fmt.Fprintf(&b, "## mash help\n\n```\n%s```\n", help)
	for _, c := range newApp(nil, nil).commands() {
		out, _, code := runCLI(t, append(strings.Fields(c.name), "--help")...)
		if code != 0 {
			t.Fatalf("mash %s --help: exit %d", c.name, code)
		}
		fmt.Fprintf(&b, "\n## mash %s\n\n```\n%s```\n", c.name, out)
	}
	return b.String()
}

// docs/cli.md is current: generated from the commands' own help.
func TestDocs_CLIReferenceIsCurrent(t *testing.T) {
	const path = "../../docs/cli.md"
	want := cliReference(t)
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./cmd/mash -run TestDocs_CLIReference -update writes it)", err)
	}
	if string(got) != want {
		t.Fatalf("%s is out of date: go test ./cmd/mash -run TestDocs_CLIReference -update", path)
	}
}
