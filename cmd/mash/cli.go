package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"text/tabwriter"

	"github.com/safeguarding/mash/shared/domain"
)

// runFunc runs a command with its positional arguments, once its flags are parsed.
type runFunc func(ctx context.Context, args []string) error

// command is one `mash` command. Groups (contacts, ooh, policy check) are spelt with a space in name.
// setup binds the command's flags to fs and returns what runs it: the usage (`--help`, `mash help`,
// docs/cli.md) is built from the same FlagSet the command parses.
type command struct {
	name    string // "contacts show"
	args    string // what follows the flags in the usage line, e.g. "ID|REFERENCE"
	summary string // one line for `mash help`
	about   string // more, for `mash CMD --help` (optional)
	setup   func(fs *flag.FlagSet) runFunc
}

// commands is every command, in the order `mash help` lists them.
func (a *app) commands() []command {
	return []command{
		{name: "demo", summary: "sample emails through the whole suite, then serve the API (make run)", about: demoAbout, setup: a.demo},
		{name: "run", summary: "the whole suite locally: API, maildrop, workflow, outbox", about: runAbout, setup: a.runSuite},
		{name: "ingest", args: "FILE.eml…", summary: "create contacts from emails (one JSON line per contact)", setup: a.ingest},
		{name: "contacts list", summary: "one JSON line per contact", setup: a.contactsList},
		{name: "contacts show", args: "ID|REFERENCE", summary: "one contact as GET /v1/contacts/{idOrReference} returns it", setup: a.contactsShow},
		{name: "due", summary: "when a deadline falls", setup: a.due},
		{name: "route", summary: "where a contact arriving at an instant goes (MASH, OOH queue, EDT now)", setup: a.route},
		{name: "deadlines", summary: "for every authority, where a contact arriving now goes and when its deadlines fall", setup: a.deadlines},
		{name: "policy", summary: "an authority's effective policy as JSON", setup: a.policy},
		{name: "policy check", args: "[FILE…]", summary: "validate policies, naming every bad field; list every assumed value", setup: a.policyCheck},
		{name: "ooh add", summary: "the EDT records a phone contact out of hours", about: oohAddAbout, setup: a.oohAdd},
		{name: "ooh action", summary: "the EDT records what it did about a contact", about: oohActionAbout, setup: a.oohAction},
		{name: "ooh morning", summary: "the team leader's next-morning list", about: oohMorningAbout, setup: a.oohMorning},
		{name: "meeting", summary: "the daily MASH meeting's agenda for a date: its time and the contacts due for discussion", about: meetingAbout, setup: a.meetingAgenda},
		{name: "consultations list", summary: "the consultation log (professionals' requests for advice), one JSON line per consultation", about: consultationsAbout, setup: a.consultationsList},
		{name: "cases import", args: "FILE.csv|FILE.json|FILE.jsonl", summary: "load case records (open cases, recent closures) from the council's case system; bad rows named by row and field", setup: a.casesImport},
		{name: "report timeliness", summary: "met, missed and open per deadline rule over a period, median and p90 time-to-done, worst cases", about: timelinessAbout, setup: a.reportTimeliness},
		{name: "report annex-a", summary: "Ofsted Annex A List 1 (contacts) or, with --list 2, List 2 (early help) as CSV", about: annexAAbout, setup: a.reportAnnexA},
		{name: "sar", summary: "subject access: everything held about a child as a zip (contacts, audit, attachments list), audited", about: sarAbout, setup: a.sar},
		{name: "retention run", summary: "delete what the retention periods say has expired, with a content-free tombstone each (--dry-run: list only)", about: retentionAbout, setup: a.retentionRun},
		{name: "retention backfill", summary: "one-off: index tray items completed and mail quarantined before the retention indexes existed, so the retention job finds them (idempotent; --dry-run counts)", about: backfillAbout, setup: a.retentionBackfill},
		{name: "schools import", args: "FILE.csv|FILE.json", summary: "import the school directory (DSL contacts); bad rows named by row and field", setup: a.schoolsImport},
		{name: "schools list", summary: "the school directory, one JSON line per school", setup: a.schoolsList},
		{name: "token", summary: "a signed bearer token that mash run and mash demo accept", setup: a.token},
		{name: "version", summary: "the module version, commit and build date", setup: a.version},
		{name: "help", args: "[COMMAND]", summary: "this list, or one command's usage and flags", setup: a.help},
	}
}

// find returns the command args name and the arguments after its name.
func (a *app) find(args []string) (command, []string, bool) {
	cmds := a.commands()
	if len(args) >= 2 {
		for _, c := range cmds {
			if c.name == args[0]+" "+args[1] {
				return c, args[2:], true
			}
		}
	}
	for _, c := range cmds {
		if c.name == args[0] {
			return c, args[1:], true
		}
	}
	return command{}, nil, false
}

// subcommands lists the commands of a group ("contacts" → contacts list, contacts show).
func (a *app) subcommands(group string) []string {
	var out []string
	for _, c := range a.commands() {
		if strings.HasPrefix(c.name, group+" ") {
			out = append(out, c.name)
		}
	}
	return out
}

func (a *app) run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		a.printCommands(a.stderr)
		return exitBadInput
	}
	switch args[0] {
	case "-h", "-help", "--help":
		a.printCommands(a.stdout)
		return exitOK
	case "-version", "--version":
		args = []string{"version"}
	}
	c, rest, ok := a.find(args)
	if !ok {
		if subs := a.subcommands(args[0]); len(subs) > 0 {
			what := "needs a subcommand"
			if len(args) > 1 && !strings.HasPrefix(args[1], "-") {
				what = fmt.Sprintf("has no subcommand %q", args[1])
			}
			fmt.Fprintf(a.stderr, "mash %s %s: one of\n", args[0], what)
			for _, s := range subs {
				fmt.Fprintf(a.stderr, "  mash %s\n", s)
			}
			if len(args) > 1 && (args[1] == "--help" || args[1] == "-h" || args[1] == "-help") {
				return exitOK
			}
			return exitBadInput
		}
		fmt.Fprintf(a.stderr, "mash: unknown command %q\n\n", args[0])
		a.printCommands(a.stderr)
		return exitBadInput
	}
	return a.runCommand(ctx, c, rest)
}

// printCommands is `mash help`.
func (a *app) printCommands(w io.Writer) {
	fmt.Fprintln(w, "mash — the MASH front door: command line and local all-in-one runner")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "usage: mash COMMAND [flags] [arguments]   (flags may come before or after arguments)")
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range a.commands() {
		fmt.Fprintf(tw, "  mash %s\t%s\n", c.name, c.summary)
	}
	tw.Flush()
	fmt.Fprintln(w)
	fmt.Fprintln(w, "`mash COMMAND --help` prints a command's usage and flags.")
	fmt.Fprintln(w, "Every command that keeps state uses --state (default .mash; the demo's is .mash/demo).")
	fmt.Fprintln(w, "Exit codes: 0 success (and --help); 1 bad input, with a message on stderr naming it (a usage")
	fmt.Fprintln(w, "error prints the command's usage too); 2 an internal failure.")
}

// help is `mash help [COMMAND]`.
func (a *app) help(fs *flag.FlagSet) runFunc {
	return func(ctx context.Context, args []string) error {
		if len(args) == 0 {
			a.printCommands(a.stdout)
			return nil
		}
		c, _, ok := a.find(args)
		if !ok {
			return badInput("no command %q (mash help lists them)", strings.Join(args, " "))
		}
		fmt.Fprint(a.stdout, usage(c))
		return nil
	}
}

// usageError is bad input on the command line (a flag, a missing argument): exit 1, with the command's
// usage printed after the message.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func badInput(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// newFlags builds a command's FlagSet and binds its flags; nothing is printed or exits from here.
func newFlags(c command) (*flag.FlagSet, runFunc) {
	fs := flag.NewFlagSet("mash "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs, c.setup(fs)
}

// usage is the command's usage line, description and flags, as --help prints them.
func usage(c command) string {
	fs, _ := newFlags(c)
	var b bytes.Buffer
	line := "usage: mash " + c.name
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		line += " [flags]"
	}
	if c.args != "" {
		line += " " + c.args
	}
	fmt.Fprintln(&b, line)
	fmt.Fprintf(&b, "\n%s.\n", upperFirst(c.summary))
	if c.about != "" {
		fmt.Fprintf(&b, "\n%s\n", c.about)
	}
	if hasFlags {
		fmt.Fprintln(&b, "\nflags:")
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fs.VisitAll(func(f *flag.Flag) {
			kind, text := flag.UnquoteUsage(f)
			name := "--" + f.Name
			switch kind {
			case "":
			case "string", "value":
				name += " " + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
			default:
				name += " " + strings.ToUpper(kind)
			}
			if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
				text += fmt.Sprintf(" (default %s)", f.DefValue)
			}
			fmt.Fprintf(tw, "  %s\t%s\n", name, text)
		})
		tw.Flush()
	}
	return b.String()
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// parse parses flags wherever they stand among the arguments ("show HAC-2027-000001 --state x" and
// "show --state x HAC-2027-000001" are the same) and returns the positional arguments; "--" ends the flags.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		// Parse stops at the first non-flag, or just after a "--" (which it consumes).
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// runCommand parses the command's flags and runs it, printing usage on --help and on a usage error.
func (a *app) runCommand(ctx context.Context, c command, args []string) int {
	fs, run := newFlags(c)
	positional, err := parse(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(a.stdout, usage(c))
		return exitOK
	}
	if err != nil {
		err = usageError{err.Error()}
	} else {
		err = run(ctx, positional)
	}
	if err == nil {
		return exitOK
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(a.stderr, "mash %s: %v\n\n%s", c.name, err, usage(c))
		return exitBadInput
	}
	if exitCodeOf(err) == exitBadInput {
		fmt.Fprintf(a.stderr, "mash %s: %s\n", c.name, plainWords(err))
		return exitBadInput
	}
	fmt.Fprintf(a.stderr, "mash %s: internal error: %v\n", c.name, err)
	return exitInternal
}

// plainWords is a bad input's message for a person: the domain error's words without its code ("no meeting
// on 2027-03-08 …", not "not_found: no meeting …"); the code is for scripts, which read the exit code.
func plainWords(err error) string {
	var de *domain.Error
	if !errors.As(err, &de) {
		return err.Error()
	}
	plain := strings.TrimPrefix(de.Error(), string(de.Code)+": ")
	return strings.Replace(err.Error(), de.Error(), plain, 1)
}

// exitCodeOf maps a domain error to the contract's exit code once, here at the edge.
func exitCodeOf(err error) int {
	switch domain.ErrorCode(err) {
	case domain.CodeInvalid, domain.CodeNotFound, domain.CodeConflict, domain.CodeDuplicate, domain.CodeForbidden:
		return exitBadInput
	}
	return exitInternal
}

// version is `mash version`: the module version, commit and build date from the binary's build info.
func (a *app) version(fs *flag.FlagSet) runFunc {
	return func(_ context.Context, args []string) error {
		if len(args) > 0 {
			return badInput("takes no arguments")
		}
		v, commit, date, goVersion := buildInfo()
		fmt.Fprintf(a.stdout, "mash %s\ncommit %s\nbuilt %s\n%s\n", v, commit, date, goVersion)
		return nil
	}
}

// buildCommit and buildDate are stamped by `make mash` (-ldflags -X) where the Go toolchain does not stamp
// the VCS itself (GOFLAGS=-buildvcs=false, a checkout without git).
var buildCommit, buildDate string

// buildInfo reads debug.ReadBuildInfo. `go build` and `go install` in a checkout stamp the commit and its
// time (vcs.revision, vcs.time; the build date is the commit's, so that builds are reproducible);
// `go install …@version` stamps the module version; `go run` and tests stamp neither.
func buildInfo() (version, commit, date, goVersion string) {
	version, commit, date, goVersion = "(devel)", "unknown", "unknown", "unknown"
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return
	}
	goVersion = bi.GoVersion
	if v := bi.Main.Version; v != "" {
		version = v
	}
	modified := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			commit = s.Value
		case "vcs.time":
			date = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if commit == "unknown" && buildCommit != "" {
		commit = buildCommit
	}
	if date == "unknown" && buildDate != "" {
		date = buildDate
	}
	if modified && commit != "unknown" {
		commit += " (with uncommitted changes)"
	}
	return
}
