package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every command prints its usage and each of its flags on --help, exit 0 — and `mash help CMD` prints the
// same (issue #17 "Done when": run, demo, ingest, due, route, policy, contacts list, contacts show, ooh add…).
func TestHelp_EveryCommandPrintsUsageAndFlags(t *testing.T) {
	for _, c := range newApp(nil, nil).commands() {
		out, errs, code := runCLI(t, append(strings.Fields(c.name), "--help")...)
		if code != 0 || errs != "" {
			t.Errorf("mash %s --help: exit %d, stderr %q", c.name, code, errs)
		}
		if !strings.HasPrefix(out, "usage: mash "+c.name) {
			t.Errorf("mash %s --help does not start with its usage line:\n%s", c.name, out)
		}
		fs, _ := newFlags(c)
		fs.VisitAll(func(f *flag.Flag) {
			if !strings.Contains(out, "--"+f.Name) {
				t.Errorf("mash %s --help does not list --%s:\n%s", c.name, f.Name, out)
			}
		})
		viaHelp, _, code := runCLI(t, append([]string{"help"}, strings.Fields(c.name)...)...)
		if code != 0 || viaHelp != out {
			t.Errorf("mash help %s (exit %d) differs from mash %s --help", c.name, code, c.name)
		}
	}
}

func TestHelp_ListsEveryCommand(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}} {
		out, _, code := runCLI(t, args...)
		if code != 0 {
			t.Fatalf("mash %v: exit %d", args, code)
		}
		for _, c := range newApp(nil, nil).commands() {
			if !strings.Contains(out, "mash "+c.name+" ") {
				t.Errorf("mash %v does not list %q", args, c.name)
			}
		}
	}
}

// A usage error is bad input (exit 1, the contract's code; 2 stays "internal failure"): the message names
// the problem and the command's usage follows on stderr; nothing on stdout.
func TestUsageError_ExitOneWithUsage(t *testing.T) {
	cases := map[string][]string{
		"unknown flag":         {"due", "--authority", "hackney", "--bogus"},
		"missing argument":     {"contacts", "show"},
		"extra argument":       {"route", "--authority", "hackney", "--at", "2027-01-01T10:00:00Z", "extra"},
		"flag needs a value":   {"policy", "--authority"},
		"file and authority":   {"policy", "check", "--authority", "hackney", "x.yaml"},
		"bad status":           {"contacts", "list", "--authority", "hackney", "--status", "lost"},
		"version takes none":   {"version", "now"},
		"help of no command":   {"help", "nonsense"},
		"ooh add without --by": {"ooh", "add", "--authority", "hackney"},
	}
	for name, args := range cases {
		out, errs, code := runCLI(t, args...)
		if code != 1 || out != "" || !strings.Contains(errs, "usage: mash ") {
			t.Errorf("%s %v: exit %d, stdout %q, stderr %q; want exit 1 with the usage on stderr", name, args, code, out, errs)
		}
	}
	if _, errs, _ := runCLI(t, "contacts", "list", "--authority", "hackney", "--status", "lost"); !strings.Contains(errs, "awaiting-rating") {
		t.Errorf("a bad --status does not list the statuses: %s", errs)
	}
}

// Without --authority a command that needs one says so and lists the authorities; it never picks one.
func TestAuthority_RequiredAndListed(t *testing.T) {
	for _, args := range [][]string{
		{"run", "--state", t.TempDir()}, {"demo", "--state", t.TempDir()}, {"ingest", "x.eml", "--state", t.TempDir()},
		{"contacts", "list", "--state", t.TempDir()}, {"ooh", "morning", "--state", t.TempDir()},
		{"ooh", "add", "--by", "edt-1", "--state", t.TempDir()},
		{"due", "--at", "2027-01-01T10:00:00Z", "--rule", "lado"}, {"route", "--at", "2027-01-01T10:00:00Z"}, {"policy"},
	} {
		_, errs, code := runCLI(t, args...)
		if code != 1 || !strings.Contains(errs, "--authority is required") || !strings.Contains(errs, "barnet, bexley, hackney, northamptonshire, portsmouth") {
			t.Errorf("%v without --authority: exit %d, stderr %q", args, code, errs)
		}
	}
}

func TestVersion_PrintsVersionCommitAndDate(t *testing.T) {
	out, errs, code := runCLI(t, "version")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, w := range []string{"mash ", "commit ", "built ", "go1."} {
		if !strings.Contains(out, w) {
			t.Errorf("mash version lacks %q:\n%s", w, out)
		}
	}
	if v, _, _, _ := buildInfo(); !strings.HasPrefix(out, "mash "+v+"\n") {
		t.Errorf("first line is not the module version %q: %s", v, out)
	}
}

// A reading command pointed at a folder with no state says so (a typo would otherwise list nothing, exit 0).
func TestContactsList_NoStateIsAnError(t *testing.T) {
	_, errs, code := runCLI(t, "contacts", "list", "--authority", "hackney", "--state", t.TempDir())
	if code != 1 || !strings.Contains(errs, "no state in") {
		t.Fatalf("exit %d: %s", code, errs)
	}
}

// One state folder: `mash ingest --state X` keeps everything under X (its outbox is X/outbox), never ./outbox.
func TestIngest_EverythingUnderTheStateFolder(t *testing.T) {
	state := t.TempDir()
	if _, errs, code := runCLI(t, "ingest", "--authority", "hackney", "--state", state, "../../events/email/school-dsl-referral.eml"); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, dir := range []string{"outbox", "inbox", ".mash"} {
		if _, err := os.Stat(dir); err == nil {
			t.Errorf("ingest with --state wrote ./%s", dir)
		}
	}
	if _, err := os.Stat(filepath.Join(state, "store.db")); err != nil {
		t.Errorf("no store in the state folder: %v", err)
	}
}
