package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/ooh"
	"github.com/safeguarding/mash/shared/policy"
)

// Exit codes of the contract.
const (
	exitOK       = 0
	exitBadInput = 1
	exitInternal = 2
)

// app carries what every command needs; tests build one with buffers and a fixed clock.
type app struct {
	stdout, stderr io.Writer
	now            clock.Now
	log            *slog.Logger
}

func newApp(stdout, stderr io.Writer) *app {
	return &app{stdout: stdout, stderr: stderr, now: clock.System,
		log: slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}
}

// usageError is bad input on the command line: exit 1.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func badInput(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

const usage = `mash — the MASH front door

  mash run [--authority A] [--addr :8080]          the whole suite locally
  mash demo                                        make run: sample contacts through the whole suite
  mash ingest --authority A FILE.eml…              create contacts from emails (one JSON line each)
  mash due --authority A --at RFC3339 --rule ID    a deadline
  mash route --authority A --at RFC3339 [--immediate-harm] [--rag red|amber|green|blue]
  mash policy --authority A                        the effective policy as JSON
  mash policy check [FILE…|--authority A]          validate policies; list every assumed value
  mash contacts list --authority A [--status S]    one JSON line per contact
  mash contacts show ID                            one contact as GET /v1/contacts/{id} returns it
  mash ooh add …                                   EDT records a phone contact out of hours
`

func (a *app) run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(a.stderr, usage)
		return exitBadInput
	}
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "due":
		err = a.due(rest)
	case "route":
		err = a.route(rest)
	case "policy":
		err = a.policy(rest)
	case "help", "-h", "--help":
		fmt.Fprint(a.stdout, usage)
		return exitOK
	default:
		if h, ok := a.moreCommands()[cmd]; ok {
			err = h(ctx, rest)
			break
		}
		fmt.Fprintf(a.stderr, "mash: unknown command %q\n%s", cmd, usage)
		return exitBadInput
	}
	return a.exit(cmd, err)
}

// exit maps an error to the contract's exit code once, here at the edge.
func (a *app) exit(cmd string, err error) int {
	if err == nil {
		return exitOK
	}
	var ue usageError
	if errors.As(err, &ue) || errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(a.stderr, "mash %s: %v\n", cmd, err)
		return exitBadInput
	}
	switch domain.ErrorCode(err) {
	case domain.CodeInvalid, domain.CodeNotFound, domain.CodeConflict, domain.CodeDuplicate, domain.CodeForbidden:
		fmt.Fprintf(a.stderr, "mash %s: %v\n", cmd, err)
		return exitBadInput
	}
	fmt.Fprintf(a.stderr, "mash %s: internal error: %v\n", cmd, err)
	return exitInternal
}

// flags builds a FlagSet that reports its own errors as usage errors (exit 1), not os.Exit.
func (a *app) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return badInput("%v", err)
	}
	return nil
}

func (a *app) loadPolicy(name string) (*policy.Policy, error) {
	if name == "" {
		return nil, badInput("--authority is required (one of %s)", strings.Join(authorityNames(), ", "))
	}
	p, err := policy.Load(name)
	if err != nil {
		return nil, err
	}
	return p, nil
}

func authorityNames() []string {
	ps, err := policy.All()
	if err != nil {
		return nil
	}
	var names []string
	for _, p := range ps {
		names = append(names, string(p.Authority))
	}
	sort.Strings(names)
	return names
}

func parseAt(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, badInput("--at is required (RFC3339, e.g. 2027-12-24T16:59:00Z)")
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, badInput("--at %q is not an RFC3339 time", s)
	}
	return t, nil
}

func (a *app) printJSON(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(a.stdout, "%s\n", b)
	return err
}

// due prints one deadline: {"authority","rule","unit","amount","startsAt","dueAt"}.
func (a *app) due(args []string) error {
	fs := a.flags("due")
	authority := fs.String("authority", "", "authority")
	at := fs.String("at", "", "start instant, RFC3339")
	ruleID := fs.String("rule", "", "rule id")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	p, err := a.loadPolicy(*authority)
	if err != nil {
		return err
	}
	start, err := parseAt(*at)
	if err != nil {
		return err
	}
	if *ruleID == "" {
		return badInput("--rule is required (one of %s)", strings.Join(policy.RuleIDs, ", "))
	}
	rule, ok := p.Deadline(*ruleID)
	if !ok {
		return badInput("--rule %q: %s has no such rule (it has %s)", *ruleID, p.Authority, strings.Join(ruleIDsOf(p), ", "))
	}
	cal, err := p.Calendar()
	if err != nil {
		return err
	}
	dueAt, err := cal.Due(rule, start)
	if err != nil {
		return err
	}
	loc := cal.Location()
	return a.printJSON(struct {
		Authority domain.AuthorityID `json:"authority"`
		Rule      string             `json:"rule"`
		Unit      clock.Unit         `json:"unit"`
		Amount    int                `json:"amount"`
		StartsAt  string             `json:"startsAt"`
		DueAt     string             `json:"dueAt"`
	}{p.Authority, *ruleID, rule.Unit, rule.Amount, start.In(loc).Format(time.RFC3339), dueAt.In(loc).Format(time.RFC3339)})
}

func ruleIDsOf(p *policy.Policy) []string {
	var ids []string
	for id := range p.Deadlines {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// route prints {"authority","open","route","nextOpening","reviewBy"}.
func (a *app) route(args []string) error {
	fs := a.flags("route")
	authority := fs.String("authority", "", "authority")
	at := fs.String("at", "", "arrival instant, RFC3339")
	harm := fs.Bool("immediate-harm", false, "the referrer declared immediate harm")
	rag := fs.String("rag", "", "rating: red|amber|green|blue")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	p, err := a.loadPolicy(*authority)
	if err != nil {
		return err
	}
	t, err := parseAt(*at)
	if err != nil {
		return err
	}
	rating := domain.Rating(*rag)
	if *rag != "" && !rating.Valid() {
		return badInput("--rag %q must be red, amber, green or blue", *rag)
	}
	d, err := ooh.Decide(p, t, *harm, rating)
	if err != nil {
		return err
	}
	return a.printJSON(routeJSON(d))
}

func routeJSON(d ooh.Decision) any {
	var review *string
	if d.ReviewBy != nil {
		s := d.ReviewBy.Format(time.RFC3339)
		review = &s
	}
	return struct {
		Authority   domain.AuthorityID `json:"authority"`
		Open        bool               `json:"open"`
		Route       domain.Route       `json:"route"`
		NextOpening string             `json:"nextOpening"`
		ReviewBy    *string            `json:"reviewBy"`
	}{d.Authority, d.Open, d.Route, d.NextOpening.Format(time.RFC3339), review}
}

// policy prints the effective policy, or validates a file with `policy check FILE`.
func (a *app) policy(args []string) error {
	if len(args) > 0 && args[0] == "check" {
		return a.policyCheck(args[1:])
	}
	fs := a.flags("policy")
	authority := fs.String("authority", "", "authority")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	p, err := a.loadPolicy(*authority)
	if err != nil {
		return err
	}
	return a.printJSON(p)
}

// policyCheck validates policy files (or the embedded policies: all, or --authority A) and prints one JSON
// line per policy listing every assumed value, so a council sees what to confirm or replace before go-live.
func (a *app) policyCheck(args []string) error {
	fs := a.flags("policy check")
	authority := fs.String("authority", "", "authority")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	type checked struct {
		File       string              `json:"file,omitempty"`
		Authority  string              `json:"authority"`
		Valid      bool                `json:"valid"`
		Production bool                `json:"production"`
		Values     int                 `json:"values"`
		Assumed    []policy.Provenance `json:"assumed"`
	}
	var ps []*policy.Policy
	var files []string
	switch {
	case fs.NArg() > 0 && *authority != "":
		return badInput("give FILE… or --authority, not both")
	case fs.NArg() > 0:
		for _, f := range fs.Args() {
			p, err := policy.LoadFile(f)
			if err != nil {
				return err
			}
			ps, files = append(ps, p), append(files, f)
		}
	case *authority != "":
		p, err := a.loadPolicy(*authority)
		if err != nil {
			return err
		}
		ps, files = append(ps, p), append(files, "")
	default:
		all, err := policy.All()
		if err != nil {
			return err
		}
		ps, files = all, make([]string, len(all))
	}
	for i, p := range ps {
		assumed := p.Assumptions()
		if assumed == nil {
			assumed = []policy.Provenance{}
		}
		if err := a.printJSON(checked{File: files[i], Authority: string(p.Authority), Valid: true,
			Production: p.Production, Values: len(p.Provenance()), Assumed: assumed}); err != nil {
			return err
		}
	}
	return nil
}

// deadlines prints, for every authority, where a contact arriving now would go and when each of its
// deadlines would fall.
func (a *app) deadlines(ctx context.Context, args []string) error {
	ps, err := policy.All()
	if err != nil {
		return err
	}
	now := a.now()
	for _, p := range ps {
		cal, err := p.Calendar()
		if err != nil {
			return err
		}
		loc := cal.Location()
		d, err := ooh.Decide(p, now, false, "")
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "%s (%s) at %s: open=%v route=%s next opening %s\n", p.Name, p.Authority,
			now.In(loc).Format("Mon 2 Jan 2006 15:04"), d.Open, d.Route, d.NextOpening.Format("Mon 2 Jan 15:04"))
		for _, id := range ruleIDsOf(p) {
			due, err := cal.Due(p.Deadlines[id].Rule, now)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "    %-22s %-26s due %s\n", id, p.Deadlines[id].Rule.String(), due.In(loc).Format(time.RFC1123))
		}
	}
	return nil
}
