package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/local"
	"github.com/safeguarding/mash/shared/ooh"
	"github.com/safeguarding/mash/shared/policy"
)

// Exit codes of the contract: a usage error is bad input (exit 1) like any other, so that 2 always means
// an internal failure a script may retry or report.
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

// authorityFlag declares --authority, listing the authorities in its help.
func authorityFlag(fs *flag.FlagSet) *string {
	return fs.String("authority", "", "the authority: one of "+strings.Join(authorityNames(), ", ")+" (required)")
}

// loadPolicy loads the named authority's policy. Without a name it says so and lists the authorities: a
// command never picks one.
func (a *app) loadPolicy(name string) (*policy.Policy, error) {
	if name == "" {
		return nil, badInput("--authority is required: one of %s", strings.Join(authorityNames(), ", "))
	}
	if !slices.Contains(authorityNames(), name) {
		return nil, badInput("--authority %q is not an authority here: one of %s", name, strings.Join(authorityNames(), ", "))
	}
	return loadEmbedded(name)
}

// loadEmbedded loads an embedded policy (policy.Load); a test puts a broken file in its place.
var loadEmbedded = policy.Load

// noArgs refuses the arguments of a command that takes none, naming the first.
func noArgs(args []string) error {
	if len(args) > 0 {
		return badInput("takes no arguments (got %q)", args[0])
	}
	return nil
}

// policyArgs refuses arguments (noArgs) and loads --authority's policy (loadPolicy).
func (a *app) policyArgs(args []string, authority string) (*policy.Policy, error) {
	if err := noArgs(args); err != nil {
		return nil, err
	}
	return a.loadPolicy(authority)
}

// policyState refuses arguments, loads --authority's policy (policyArgs) and opens the state folder `mash run`
// left (openState), for a command on that authority's records; the caller closes the store.
func (a *app) policyState(ctx context.Context, args []string, authority string, lf localFlags) (*policy.Policy, *local.Suite, func(), error) {
	p, err := a.policyArgs(args, authority)
	if err != nil {
		return nil, nil, nil, err
	}
	s, closeStore, err := a.openState(ctx, lf)
	if err != nil {
		return nil, nil, nil, err
	}
	return p, s, closeStore, nil
}

// authoritySuite checks --authority and opens the suite on the state folder, made when it is missing (a
// command that loads records into it); the caller closes the store.
func (a *app) authoritySuite(ctx context.Context, authority string, lf localFlags) (domain.AuthorityID, *local.Suite, func(), error) {
	auth, err := a.authority(authority)
	if err != nil {
		return "", nil, nil, err
	}
	s, closeStore, err := a.openSuite(ctx, lf, nil, nil)
	if err != nil {
		return "", nil, nil, err
	}
	return auth, s, closeStore, nil
}

// authorityNames lists the authorities with an embedded policy file, whether or not it loads: a policy an
// operator broke is named by loadPolicy's error (policy.Load), not reported as "not an authority here: one of "
// with an empty list, as it was when one bad file emptied the list for every command.
func authorityNames() []string { return policy.Names() }

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
func (a *app) due(fs *flag.FlagSet) runFunc {
	authority := authorityFlag(fs)
	at := fs.String("at", "", "the instant the deadline runs from, RFC3339 (required), e.g. 2027-12-24T16:59:00Z")
	ruleID := fs.String("rule", "", "the deadline rule (required): one of "+strings.Join(policy.RuleIDs, ", "))
	return func(_ context.Context, args []string) error {
		p, err := a.policyArgs(args, *authority)
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
func (a *app) route(fs *flag.FlagSet) runFunc {
	authority := authorityFlag(fs)
	at := fs.String("at", "", "the arrival instant, RFC3339 (required)")
	harm := fs.Bool("immediate-harm", false, "the referrer declared immediate harm")
	rag := fs.String("rag", "", "the rating, if any: one of "+domain.Join(domain.Ratings))
	return func(_ context.Context, args []string) error {
		p, err := a.policyArgs(args, *authority)
		if err != nil {
			return err
		}
		t, err := parseAt(*at)
		if err != nil {
			return err
		}
		rating := domain.Rating(*rag)
		if *rag != "" && !rating.Valid() {
			return badInput("--rag %q is not a rating: one of %s", *rag, domain.Join(domain.Ratings))
		}
		d, err := ooh.Decide(p, t, *harm, rating)
		if err != nil {
			return err
		}
		return a.printJSON(routeJSON(d))
	}
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

// policy prints the effective policy.
func (a *app) policy(fs *flag.FlagSet) runFunc {
	authority := authorityFlag(fs)
	return func(_ context.Context, args []string) error {
		if len(args) > 0 {
			return badInput("takes no arguments (got %q; to validate a file: mash policy check FILE)", args[0])
		}
		p, err := a.loadPolicy(*authority)
		if err != nil {
			return err
		}
		return a.printJSON(p)
	}
}

// policyCheck validates policy files (or the embedded policies: all, or --authority A) and prints one JSON
// line per policy listing every assumed value, so a council sees what to confirm or replace before go-live.
func (a *app) policyCheck(fs *flag.FlagSet) runFunc {
	authority := fs.String("authority", "", "check this embedded authority's policy (default: every embedded policy, or the FILEs)")
	return func(_ context.Context, args []string) error {
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
		case len(args) > 0 && *authority != "":
			return badInput("give FILE… or --authority, not both")
		case len(args) > 0:
			for _, f := range args {
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
}

// deadlines prints, for every authority, where a contact arriving now would go and when each of its
// deadlines would fall.
func (a *app) deadlines(fs *flag.FlagSet) runFunc {
	at := fs.String("at", "", "the arrival instant, RFC3339 (default: now)")
	return func(_ context.Context, args []string) error {
		if len(args) > 0 {
			return badInput("takes no arguments (got %q)", args[0])
		}
		now := a.now()
		if *at != "" {
			t, err := parseAt(*at)
			if err != nil {
				return err
			}
			now = t
		}
		return a.printDeadlines(now)
	}
}

func (a *app) printDeadlines(now time.Time) error {
	ps, err := policy.All()
	if err != nil {
		return err
	}
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
