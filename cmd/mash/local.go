package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"

	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/flow"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/local"
	"github.com/safeguarding/mash/shared/store/embedded"
)

// moreCommands are the commands built on storage and the workflow.
func (a *app) moreCommands() map[string]func(context.Context, []string) error {
	return map[string]func(context.Context, []string) error{
		"run":       a.runSuite,
		"demo":      a.demo,
		"deadlines": a.deadlines,
		"ingest":    a.ingest,
		"contacts":  a.contacts,
		"ooh":       a.oohCmd,
		"token":     a.token,
	}
}

// localFlags are the folders every local command shares.
type localFlags struct {
	state, inbox, outbox *string
	// rate is the API's per-user rate limit (serve's --rate/--burst).
	rate api.RateLimit
}

func addLocalFlags(fs *flag.FlagSet) localFlags {
	return localFlags{
		state:  fs.String("state", ".mash", "folder for the embedded store, blobs and executions"),
		inbox:  fs.String("inbox", "inbox", "maildrop folder watched for .eml files"),
		outbox: fs.String("outbox", "outbox", "folder notifications are written to"),
	}
}

// openSuite opens the embedded store and the local suite on clk.
func (a *app) openSuite(ctx context.Context, lf localFlags, clk flow.Clock) (*local.Suite, func(), error) {
	if err := os.MkdirAll(*lf.state, 0o700); err != nil {
		return nil, nil, err
	}
	st, err := embedded.Open(filepath.Join(*lf.state, "store.db"), clk.Now)
	if err != nil {
		return nil, nil, err
	}
	s, err := local.New(ctx, local.Options{Dir: *lf.state, OutboxDir: *lf.outbox, Store: st, Clock: clk, Log: a.log,
		ConsoleURL: "http://localhost:8080", RateLimit: lf.rate})
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return s, func() { st.Close() }, nil
}

func (a *app) defaultAuthority(s string) (domain.AuthorityID, error) {
	if s != "" {
		if _, err := a.loadPolicy(s); err != nil {
			return "", err
		}
		return domain.AuthorityID(s), nil
	}
	names := authorityNames()
	if len(names) == 0 {
		return "", errors.New("no authority policies embedded")
	}
	return domain.AuthorityID(names[0]), nil
}

// runSuite is `mash run`: the whole suite on localhost until Ctrl-C.
func (a *app) runSuite(ctx context.Context, args []string) error {
	fs := a.flags("run")
	authority := fs.String("authority", "", "authority the API and maildrop serve (default: the first policy)")
	addr := fs.String("addr", "localhost:8080", "listen address for the API")
	lf := addLocalFlags(fs)
	tick := fs.Duration("tick", time.Second, "how often due work runs and the maildrop is read")
	bind := addBindFlags(fs, api.DefaultRateLimit.Burst)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	auth, err := a.defaultAuthority(*authority)
	if err != nil {
		return err
	}
	return a.serve(ctx, auth, *addr, bind, lf, flow.ClockFunc(a.now), *tick, nil)
}

// serve runs the suite: API, maildrop, ticker. ready, when set, is called once the API listens. Every /v1
// request needs a bearer token signed with the state folder's key (made on first start; `mash token`).
func (a *app) serve(ctx context.Context, auth domain.AuthorityID, addr string, bind bindFlags, lf localFlags, clk flow.Clock, tick time.Duration, ready func(*local.Suite, string, *api.LocalAuth) error) error {
	if err := a.checkBind(addr, bind); err != nil {
		return err
	}
	lf.rate = api.RateLimit{PerSecond: *bind.rate, Burst: *bind.burst}
	// Tokens expire by the real clock, whatever time the demo plays at.
	la, err := api.LoadOrCreateLocalKey(*lf.state, a.now)
	if err != nil {
		return err
	}
	s, closeStore, err := a.openSuite(ctx, lf, clk)
	if err != nil {
		return err
	}
	defer closeStore()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return badInput("--addr %s: %v", addr, err)
	}
	srv := &http.Server{Handler: s.API(auth, la.Authenticate), ReadHeaderTimeout: 10 * time.Second}
	scheme := "http"
	if bind.tls() {
		scheme = "https"
		go func() { _ = srv.ServeTLS(ln, *bind.tlsCert, *bind.tlsKey) }()
	} else {
		go func() { _ = srv.Serve(ln) }()
	}
	defer func() {
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}()
	fmt.Fprintf(a.stdout, "mash: %s front door on %s://%s (sign in: mash token --state %s), maildrop %s/, outbox %s/, state %s/\n",
		auth, scheme, ln.Addr(), *lf.state, *lf.inbox, *lf.outbox, *lf.state)
	drop := local.Maildrop{Dir: *lf.inbox, Authority: auth, Intake: s.Intake}
	if ready != nil {
		if err := a.pass(ctx, s, drop); err != nil {
			return err
		}
		if err := ready(s, scheme+"://"+ln.Addr().String(), la); err != nil {
			return err
		}
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		if err := a.pass(ctx, s, drop); err != nil {
			if ctx.Err() != nil {
				break // stopping: the interrupted pass resumes on the next start
			}
			return err
		}
		select {
		case <-ctx.Done():
		case <-t.C:
			continue
		}
		break
	}
	fmt.Fprintln(a.stdout, "mash: stopping; running work is saved and resumes on the next start")
	return nil
}

// pass reads the maildrop and runs what is due, printing each new contact's path through the machine.
func (a *app) pass(ctx context.Context, s *local.Suite, drop local.Maildrop) error {
	results, err := drop.Scan(ctx)
	if err != nil {
		return err
	}
	for _, fr := range results {
		if fr.Err != nil {
			fmt.Fprintf(a.stdout, "%s: not ingested yet (%s); will retry\n", fr.File, errorCodeOf(fr.Err))
			continue
		}
		for _, r := range fr.Results {
			path, status := s.Path(r.ContactID)
			fmt.Fprintf(a.stdout, "%-40s %-11s %-16s %s %s\n", fr.File, r.Status, r.Reference, strings.Join(path, " → "), orReason(status, r.Reason))
		}
	}
	return s.Tick(ctx)
}

func orReason(status flow.Status, reason string) string {
	if reason != "" {
		return "(" + reason + ")"
	}
	return "[" + string(status) + "]"
}

func errorCodeOf(err error) string { return string(domain.ErrorCode(err)) }

// ingest is `mash ingest --authority A FILE.eml…`: one JSON line per contact (per child; one for a
// quarantined file).
func (a *app) ingest(ctx context.Context, args []string) error {
	fs := a.flags("ingest")
	authority := fs.String("authority", "", "authority")
	lf := addLocalFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *authority == "" {
		return badInput("--authority is required")
	}
	auth, err := a.defaultAuthority(*authority)
	if err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return badInput("name at least one .eml file")
	}
	s, closeStore, err := a.openSuite(ctx, lf, flow.ClockFunc(a.now))
	if err != nil {
		return err
	}
	defer closeStore()
	var failed error
	for _, file := range fs.Args() {
		data, err := os.ReadFile(file)
		if err != nil {
			failed = badInput("%s: %v", file, err)
			fmt.Fprintf(a.stderr, "mash ingest: %s: cannot read\n", file)
			continue
		}
		rs, err := s.Intake.IngestEmail(ctx, auth, intake.RawMail{Data: data, Key: "ingest/" + filepath.Base(file)})
		if err != nil {
			return err
		}
		for _, r := range rs {
			r.File = file
			if err := a.printJSON(ingestLine(r)); err != nil {
				return err
			}
		}
	}
	return failed
}

func ingestLine(r intake.Result) any {
	return struct {
		File      string           `json:"file"`
		Status    string           `json:"status"`
		ContactID domain.ContactID `json:"contactId"`
		Reference domain.Reference `json:"reference"`
		Reason    string           `json:"reason"`
	}{r.File, r.Status, r.ContactID, r.Reference, r.Reason}
}

// contacts is `mash contacts list --authority A [--status S]` and `mash contacts show ID`.
func (a *app) contacts(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return badInput("usage: mash contacts list --authority A [--status S] | mash contacts show ID")
	}
	fs := a.flags("contacts " + args[0])
	authority := fs.String("authority", "", "authority")
	status := fs.String("status", "", "status")
	lf := addLocalFlags(fs)
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	switch args[0] {
	case "list":
		if *authority == "" {
			return badInput("--authority is required")
		}
		auth, err := a.defaultAuthority(*authority)
		if err != nil {
			return err
		}
		statuses := domain.Statuses
		if *status != "" {
			if !domain.Status(*status).Valid() {
				return badInput("--status %q is not a status", *status)
			}
			statuses = []domain.Status{domain.Status(*status)}
		}
		s, closeStore, err := a.openSuite(ctx, lf, flow.ClockFunc(a.now))
		if err != nil {
			return err
		}
		defer closeStore()
		for _, st := range statuses {
			cs, err := s.Store.ListContacts(ctx, auth, st)
			if err != nil {
				return err
			}
			for _, c := range cs {
				if err := a.printJSON(c); err != nil {
					return err
				}
			}
		}
		return nil
	case "show":
		if fs.NArg() != 1 {
			return badInput("usage: mash contacts show ID")
		}
		id, err := domain.ParseContactID(fs.Arg(0))
		if err != nil {
			return err
		}
		s, closeStore, err := a.openSuite(ctx, lf, flow.ClockFunc(a.now))
		if err != nil {
			return err
		}
		defer closeStore()
		c, err := s.Store.GetContact(ctx, id)
		if err != nil {
			return err
		}
		// The same representation as GET /v1/contacts/{id}: the API encodes the same struct.
		return json.NewEncoder(a.stdout).Encode(c)
	}
	return badInput("unknown contacts command %q (list, show)", args[0])
}

// oohCmd is `mash ooh add|action|morning`: the EDT records a phone contact out of hours, notes what it did,
// and the team leader reads the next-morning list.
func (a *app) oohCmd(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return badInput("usage: mash ooh add|action|morning …")
	}
	fs := a.flags("ooh " + args[0])
	authority := fs.String("authority", "", "authority")
	by := fs.String("by", "", "who is recording (EDT worker)")
	given := fs.String("given", "", "child's given name")
	family := fs.String("family", "", "child's family name")
	dob := fs.String("dob", "", "child's date of birth (YYYY-MM-DD or DD/MM/YYYY)")
	concerns := fs.String("concerns", "", "what the caller said")
	harm := fs.Bool("immediate-harm", false, "the child is at immediate risk")
	caller := fs.String("caller", "", "caller's name")
	phone := fs.String("phone", "", "caller's phone")
	id := fs.String("id", "", "contact id (action)")
	action := fs.String("action", "", "what the EDT did (action)")
	lf := addLocalFlags(fs)
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	s, closeStore, err := a.openSuite(ctx, lf, flow.ClockFunc(a.now))
	if err != nil {
		return err
	}
	defer closeStore()
	switch args[0] {
	case "add":
		if *authority == "" || *by == "" {
			return badInput("--authority and --by are required")
		}
		auth, err := a.defaultAuthority(*authority)
		if err != nil {
			return err
		}
		var d domain.Date
		if *dob != "" {
			if d, err = domain.ParseDate(*dob); err != nil {
				return badInput("--dob: %v", err)
			}
		}
		rs, err := s.EDT.AddPhoneNote(ctx, auth, *by, intake.Recorded{Channel: domain.ChannelPhone,
			Child:    domain.Child{GivenName: *given, FamilyName: *family, DateOfBirth: d},
			Referrer: domain.Referrer{Name: *caller, Phone: *phone}, Concerns: *concerns, ImmediateHarm: *harm})
		if err != nil {
			return err
		}
		for _, r := range rs {
			if err := a.printJSON(ingestLine(r)); err != nil {
				return err
			}
		}
		return nil
	case "action":
		cid, err := domain.ParseContactID(*id)
		if err != nil {
			return err
		}
		if *by == "" {
			return badInput("--by is required")
		}
		return s.EDT.RecordAction(ctx, cid, *by, *action)
	case "morning":
		auth, err := a.defaultAuthority(*authority)
		if err != nil {
			return err
		}
		items, err := s.EDT.MorningList(ctx, auth)
		if err != nil {
			return err
		}
		for _, it := range items {
			if err := a.printJSON(it); err != nil {
				return err
			}
		}
		return nil
	}
	return badInput("unknown ooh command %q (add, action, morning)", args[0])
}
