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
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/console"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/flow"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/local"
	"github.com/safeguarding/mash/shared/ooh"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/reports"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/embedded"
)

// localFlags are the folders every local command shares. One default for every command: the state folder
// .mash (the demo's is .mash/demo, which it empties), its inbox/ and outbox/ inside it.
type localFlags struct {
	state, inbox, outbox *string
	// rate is the API's per-user rate limit (serve's --rate/--burst).
	rate api.RateLimit
	// consoleURL is the base of the links in notifications: the address serve listens on (for commands that
	// do not serve, the address the folder was last served on: servedURL).
	consoleURL string
	// demo lets the console's sign-in page offer demo users to pick (mash demo only).
	demo bool
}

// defaultState is the state folder of every command but the demo.
const defaultState = ".mash"

// servedFile (STATE/served-url) is the address `mash run` or `mash demo` last served the state folder on: the
// base of the links in what the commands that do not serve send (the EDT's email from `mash ooh add`).
const servedFile = "served-url"

// servedURL is the address the state folder was last served on, or http://localhost:8080 (serve's default
// --addr) when it never was.
func servedURL(state string) string {
	if b, err := os.ReadFile(filepath.Join(state, servedFile)); err == nil {
		if u := strings.TrimSpace(string(b)); strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
			return u
		}
	}
	return "http://localhost:8080"
}

func addLocalFlags(fs *flag.FlagSet, state string) localFlags {
	return localFlags{
		state:  fs.String("state", state, "state folder: the embedded store, blobs and executions"),
		inbox:  fs.String("inbox", "", "maildrop folder watched for .eml files (default: STATE/inbox)"),
		outbox: fs.String("outbox", "", "folder notifications are written to (default: STATE/outbox)"),
	}
}

// addStateFlag declares --state only, for commands that read the state (their outbox is STATE/outbox).
func addStateFlag(fs *flag.FlagSet) localFlags {
	return localFlags{state: fs.String("state", defaultState, "state folder: the embedded store, blobs and executions"),
		inbox: new(string), outbox: new(string)}
}

// resolve fills the inbox and outbox defaults from the state folder.
func (lf localFlags) resolve() localFlags {
	if *lf.inbox == "" {
		*lf.inbox = filepath.Join(*lf.state, "inbox")
	}
	if *lf.outbox == "" {
		*lf.outbox = filepath.Join(*lf.state, "outbox")
	}
	return lf
}

// openState opens the suite on the state folder `mash run` left, for a command that reads or changes it: a
// missing folder is a clear error, never a new empty one.
func (a *app) openState(ctx context.Context, lf localFlags) (*local.Suite, func(), error) {
	if err := stateExists(*lf.state); err != nil {
		return nil, nil, err
	}
	return a.openSuite(ctx, lf, nil, nil)
}

// openSuite opens the embedded store and the local suite on the state folder's clock (see stateClock; start,
// when set, starts a simulated one). Under a simulated clock every contact and audit event is marked so.
// watch, when set, wraps the store to print contact transitions (mash run, mash demo).
func (a *app) openSuite(ctx context.Context, lf localFlags, start *simulation, watch *transitions) (*local.Suite, func(), error) {
	lf = lf.resolve()
	if err := os.MkdirAll(*lf.state, 0o700); err != nil {
		return nil, nil, err
	}
	clk, sim, err := a.stateClock(*lf.state, start)
	if err != nil {
		return nil, nil, err
	}
	st, err := embedded.Open(filepath.Join(*lf.state, "store.db"), clk.Now)
	if err != nil {
		return nil, nil, err
	}
	if sim != nil {
		st.MarkSimulated()
		fmt.Fprintf(a.stderr, "mash: %s runs on a simulated clock (now %s, ×%g); its contacts are marked simulated\n",
			*lf.state, clk.Now().Format(time.RFC3339), sim.Speed)
	}
	var ports store.Store = st
	if watch != nil {
		watch.Store = st
		ports = watch
	}
	consoleURL := lf.consoleURL
	if consoleURL == "" {
		consoleURL = servedURL(*lf.state)
	}
	s, err := local.New(ctx, local.Options{Dir: *lf.state, OutboxDir: *lf.outbox, Store: ports, Clock: clk, Log: a.log,
		ConsoleURL: consoleURL, RateLimit: lf.rate, Deleter: st, Executions: st.Executions()})
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return s, func() { st.Close() }, nil
}

// authority checks --authority: required, one of the embedded policies.
func (a *app) authority(s string) (domain.AuthorityID, error) {
	if _, err := a.loadPolicy(s); err != nil {
		return "", err
	}
	return domain.AuthorityID(s), nil
}

const runAbout = `Serves the API on --addr, watches the maildrop (STATE/inbox) for .eml files and writes notifications to
STATE/outbox, on the real clock. Ctrl-C stops cleanly; executions are saved after every step and resume
on the next start.`

// runSuite is `mash run`: the whole suite on localhost until Ctrl-C.
func (a *app) runSuite(fs *flag.FlagSet) runFunc {
	authority := authorityFlag(fs)
	addr := fs.String("addr", "localhost:8080", "listen address for the API")
	lf := addLocalFlags(fs, defaultState)
	tick := fs.Duration("tick", time.Second, "how often due work runs and the maildrop is read")
	bind := addBindFlags(fs, api.DefaultRateLimit.Burst)
	cf := addClockFlags(fs)
	return func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return badInput("takes no arguments (got %q)", args[0])
		}
		auth, err := a.authority(*authority)
		if err != nil {
			return err
		}
		start, err := cf.parse()
		if err != nil {
			return err
		}
		return a.serve(ctx, auth, *addr, bind, lf.resolve(), start, *tick, nil)
	}
}

// serve runs the suite: API, maildrop, ticker. ready, when set, is called once the API listens. Every /v1
// request needs a bearer token signed with the state folder's key (made on first start; `mash token`).
func (a *app) serve(ctx context.Context, auth domain.AuthorityID, addr string, bind bindFlags, lf localFlags, start *simulation, tick time.Duration, ready func(*local.Suite, string, *api.LocalAuth) error) error {
	if err := a.checkBind(addr, bind); err != nil {
		return err
	}
	lf.rate = api.RateLimit{PerSecond: *bind.rate, Burst: *bind.burst}
	// Tokens expire by the real clock, whatever time the demo plays at.
	la, err := api.LoadOrCreateLocalKey(*lf.state, a.now)
	if err != nil {
		return err
	}
	watch := &transitions{out: a.stdout}
	watch.on.Store(ready == nil) // mash run: from the start; the demo turns it on once its manager is done
	// Listen first: the links in notifications name the address actually served (a port of 0 or a busy
	// default would otherwise send people to the wrong place).
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return badInput("--addr %s: %v", addr, err)
	}
	scheme := "http"
	if bind.tls() {
		scheme = "https"
	}
	lf.consoleURL = scheme + "://" + consoleHost(ln.Addr(), addr)
	if err := os.MkdirAll(*lf.state, 0o700); err != nil {
		ln.Close()
		return err
	}
	// The commands that do not serve (ooh add, ingest …) link to where this folder is served.
	if err := os.WriteFile(filepath.Join(*lf.state, servedFile), []byte(lf.consoleURL+"\n"), 0o600); err != nil {
		ln.Close()
		return err
	}
	s, closeStore, err := a.openSuite(ctx, lf, start, watch)
	if err != nil {
		ln.Close()
		return err
	}
	defer closeStore()
	h, err := a.consoleAndAPI(s, auth, la, lf, bind.tls())
	if err != nil {
		ln.Close()
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	if bind.tls() {
		go func() { _ = srv.ServeTLS(ln, *bind.tlsCert, *bind.tlsKey) }()
	} else {
		go func() { _ = srv.Serve(ln) }()
	}
	defer func() {
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}()
	fmt.Fprintf(a.stdout, "mash: %s front door on %s (console %s/, API %s/v1; sign in: mash token --state %s), maildrop %s/, outbox %s/, state %s/\n",
		auth, lf.consoleURL, lf.consoleURL, lf.consoleURL, *lf.state, *lf.inbox, *lf.outbox, *lf.state)
	drop := local.Maildrop{Dir: *lf.inbox, Authority: auth, Intake: s.Intake}
	if ready != nil {
		if err := a.pass(ctx, s, drop); err != nil {
			return err
		}
		if err := ready(s, lf.consoleURL, la); err != nil {
			return err
		}
		fmt.Fprintln(a.stdout, "mash: from now on, one line per contact transition (reference, from → to, who):")
		watch.on.Store(true)
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		if err := a.pass(ctx, s, drop); err != nil {
			if ctx.Err() != nil {
				break // stopping: the interrupted pass resumes on the next start
			}
			// One stuck message or contact never stops the runner (issue #13): the failure is logged, the
			// work stays where it was and the next pass tries it again.
			fmt.Fprintf(a.stderr, "mash: this pass had failures (%s); carrying on, they are retried on the next pass\n", errorCodeOf(err))
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
func (a *app) ingest(fs *flag.FlagSet) runFunc {
	authority := authorityFlag(fs)
	lf := addLocalFlags(fs, defaultState)
	return func(ctx context.Context, files []string) error {
		auth, err := a.authority(*authority)
		if err != nil {
			return err
		}
		if len(files) == 0 {
			return badInput("name at least one .eml file")
		}
		s, closeStore, err := a.openSuite(ctx, lf, nil, nil)
		if err != nil {
			return err
		}
		defer closeStore()
		var failed error
		bar := newProgress(a.stderr, "mash ingest", "files", len(files))
		defer bar.finish()
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				failed = domain.Errorf(domain.CodeInvalid, "%s: cannot read it", file)
				bar.clear()
				fmt.Fprintf(a.stderr, "mash ingest: %s: cannot read\n", file)
				bar.add(1)
				continue
			}
			rs, err := s.Intake.IngestEmail(ctx, auth, intake.RawMail{Data: data, Key: "ingest/" + filepath.Base(file)})
			if err != nil {
				return err
			}
			if isTerminal(a.stdout) {
				bar.clear() // the lines below go to the same terminal
			}
			for _, r := range rs {
				r.File = file
				if err := a.printJSON(ingestLine(r)); err != nil {
					return err
				}
			}
			bar.add(1)
		}
		return failed
	}
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

// contactsList is `mash contacts list --authority A [--status S]`: one JSON line per contact.
func (a *app) contactsList(fs *flag.FlagSet) runFunc {
	authority := authorityFlag(fs)
	status := fs.String("status", "", "only contacts in this status: one of "+domain.Join(domain.Statuses)+" (default: all)")
	lf := addStateFlag(fs)
	return func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return badInput("takes no arguments (got %q)", args[0])
		}
		auth, err := a.authority(*authority)
		if err != nil {
			return err
		}
		statuses := domain.Statuses
		if *status != "" {
			if !domain.Status(*status).Valid() {
				return badInput("--status %q is not a status: one of %s", *status, domain.Join(domain.Statuses))
			}
			statuses = []domain.Status{domain.Status(*status)}
		}
		s, closeStore, err := a.openState(ctx, lf)
		if err != nil {
			return err
		}
		defer closeStore()
		for _, st := range statuses {
			cs, err := s.Store.ListContacts(ctx, auth, st)
			if err != nil {
				return err
			}
			if err := auditCLIReadOf(ctx, s.Store, cs, func(c *domain.Contact) domain.ContactID { return c.ID }, "cli contacts list"); err != nil {
				return err
			}
			for _, c := range cs {
				if err := a.printJSON(c); err != nil {
					return err
				}
			}
		}
		return nil
	}
}

// stateExists refuses to read a state folder that is not there (a typo would otherwise list nothing).
func stateExists(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, "store.db")); err != nil {
		return domain.Errorf(domain.CodeNotFound, "no state in %s (the demo's is .mash/demo: add --state .mash/demo)", dir)
	}
	return nil
}

// contactsShow is `mash contacts show ID|REFERENCE`: the contact exactly as GET /v1/contacts/{id} returns it.
func (a *app) contactsShow(fs *flag.FlagSet) runFunc {
	authority := fs.String("authority", "", "the authority (default: the one whose reference prefix the REFERENCE has)")
	lf := addStateFlag(fs)
	return func(ctx context.Context, args []string) error {
		if len(args) != 1 {
			return badInput("name one contact: its id (c_…) or its reference (e.g. HAC-2027-000123)")
		}
		s, c, closeStore, err := a.openContact(ctx, lf, *authority, args[0])
		if err != nil {
			return err
		}
		defer closeStore()
		if err := auditCLIRead(ctx, s.Store, []domain.ContactID{c.ID}, "cli contacts show"); err != nil {
			return err
		}
		// The same representation as GET /v1/contacts/{id}: the API encodes the same view.
		return json.NewEncoder(a.stdout).Encode(reports.View(c))
	}
}

// openContact opens the state folder (openState) and finds the contact named by id or reference
// (findContact); closeStore closes the store (nil on an error, which leaves nothing open).
func (a *app) openContact(ctx context.Context, lf localFlags, authority, arg string) (*local.Suite, *domain.Contact, func(), error) {
	s, closeStore, err := a.openState(ctx, lf)
	if err != nil {
		return nil, nil, nil, err
	}
	c, err := a.findContact(ctx, s, authority, arg)
	if err != nil {
		closeStore()
		return nil, nil, nil, err
	}
	return s, c, closeStore, nil
}

// findContact reads a contact by id or by reference (whose prefix names the authority unless one is given);
// one not there is an error naming what was asked for (it said only "contact not found").
func (a *app) findContact(ctx context.Context, s *local.Suite, authority, arg string) (*domain.Contact, error) {
	c, err := a.lookUpContact(ctx, s, authority, arg)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return nil, domain.Errorf(domain.CodeNotFound, "contact %s not found in this state folder", arg)
	}
	return c, err
}

func (a *app) lookUpContact(ctx context.Context, s *local.Suite, authority, arg string) (*domain.Contact, error) {
	if id, err := domain.ParseContactID(arg); err == nil {
		return s.Store.GetContact(ctx, id)
	}
	ref := strings.ToUpper(arg)
	prefix, _, _, err := domain.ParseReference(ref)
	if err != nil {
		return nil, badInput("%q is neither a contact id (c_ and 20 hex digits) nor a reference (PREFIX-YYYY-NNNNNN)", arg)
	}
	if authority != "" {
		if _, err := a.loadPolicy(authority); err != nil {
			return nil, err
		}
		return s.Store.ContactByReference(ctx, domain.AuthorityID(authority), domain.Reference(ref))
	}
	var prefixes []string
	for _, p := range s.Policies {
		if p.ReferencePrefix == prefix {
			return s.Store.ContactByReference(ctx, p.Authority, domain.Reference(ref))
		}
		prefixes = append(prefixes, p.ReferencePrefix)
	}
	sort.Strings(prefixes)
	return nil, badInput("no authority numbers its references %s-…: the prefixes are %s", prefix, strings.Join(prefixes, ", "))
}

// oohFlags are the flags of `mash ooh add`.
func (a *app) oohAdd(fs *flag.FlagSet) runFunc {
	authority := authorityFlag(fs)
	by := fs.String("by", "", "who is recording: the EDT worker (required)")
	given := fs.String("given", "", "child's given name")
	family := fs.String("family", "", "child's family name")
	dob := fs.String("dob", "", "child's date of birth (YYYY-MM-DD or DD/MM/YYYY)")
	age := fs.Int("age", 0, "the child's age in years as the caller told it, when the date of birth is not known (stands for --dob unknown)")
	concerns := fs.String("concerns", "", "what the caller said")
	harm := fs.Bool("immediate-harm", false, "the child is at immediate risk")
	caller := fs.String("caller", "", "caller's name")
	phone := fs.String("phone", "", "caller's phone")
	lf := addLocalFlags(fs, defaultState)
	return func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return badInput("takes no arguments (got %q)", args[0])
		}
		auth, err := a.authority(*authority)
		if err != nil {
			return err
		}
		if *by == "" {
			return badInput("--by is required")
		}
		// A detail the caller could not give is typed as "unknown" (or "not known"): recorded as not known.
		var notKnown []string
		for _, f := range []struct {
			v      *string
			detail string
		}{{given, "givenName"}, {family, "familyName"}, {dob, "dateOfBirth"}} {
			if intake.NotKnown(*f.v) {
				*f.v, notKnown = "", append(notKnown, f.detail)
			}
		}
		if *age < 0 || *age > 25 {
			return badInput("--age %d is not an age in years (0 to 25)", *age)
		}
		if *age > 0 && *dob == "" && !slices.Contains(notKnown, "dateOfBirth") {
			notKnown = append(notKnown, "dateOfBirth") // the age as told stands for a date of birth not known
		}
		var d domain.Date
		if *dob != "" {
			if d, err = domain.ParseDate(*dob); err != nil {
				return badInput("--dob %q is not a date (YYYY-MM-DD or DD/MM/YYYY)", *dob)
			}
		}
		s, closeStore, err := a.openSuite(ctx, lf, nil, nil)
		if err != nil {
			return err
		}
		defer closeStore()
		rs, err := s.EDT.AddPhoneNote(ctx, auth, *by, intake.Recorded{Channel: domain.ChannelPhone,
			Child:    domain.Child{GivenName: *given, FamilyName: *family, DateOfBirth: d, Age: *age},
			Referrer: domain.Referrer{Name: *caller, Phone: *phone}, Concerns: *concerns, ImmediateHarm: intake.HarmOf(*harm), ChildNotKnown: notKnown})
		if err != nil {
			return renameFields(err, oohAddFlags)
		}
		p, err := a.loadPolicy(string(auth))
		if err != nil {
			return err
		}
		for _, r := range rs {
			// Where the contact went, for the EDT worker: act now, or the MASH's next-morning review (when).
			line := oohLine{Status: r.Status, ContactID: r.ContactID, Reference: r.Reference}
			if c, err := s.Store.GetContact(ctx, r.ContactID); err == nil {
				line.Route = c.Route
				switch c.Route {
				case domain.RouteEDTNow:
					line.Next = "the EDT acts now (immediate harm); record what you did with mash ooh action"
				case domain.RouteOOHQueue:
					line.Next = "queued for the MASH's next-morning review"
					if due, ok := c.Deadlines[policy.RuleOOHReview]; ok {
						if loc, err := clock.LoadLocation(p.Timezone); err == nil {
							line.Next += ", by " + due.In(loc).Format("Mon 2 Jan 2006 15:04 MST")
						}
					}
				case domain.RouteMASH:
					line.Next = "the MASH is open: it screens the contact now"
				}
				if c.Extraction != nil && len(c.Extraction.Missing) > 0 {
					line.Missing = c.Extraction.Missing
				}
			}
			if err := a.printJSON(line); err != nil {
				return err
			}
		}
		return nil
	}
}

// oohLine is what `mash ooh add` prints for each contact it made: where it went and what happens next.
type oohLine struct {
	Status    string           `json:"status"`
	ContactID domain.ContactID `json:"contactId"`
	Reference domain.Reference `json:"reference"`
	Route     domain.Route     `json:"route,omitempty"`
	Next      string           `json:"next,omitempty"`
	Missing   []string         `json:"missing,omitempty"` // what was recorded as not known (the contact needs completion)
}

const oohAddAbout = `On the state folder mash run serves. It prints one JSON line: the contact's reference, where it went
(route) and what happens next. With --immediate-harm the contact is the EDT's to act on now (an "act now"
email to the EDT's mailbox), else it waits for the MASH's next-morning review. The child's given and family name, date of birth and the concerns
are required; what is missing is named by its flag. A detail the caller does not know is given as "unknown" (--family unknown,
--dob unknown): the contact is recorded without it, marked needsCompletion for the screener, never with a guess. An age
the caller told (--age 6) stands for a date of birth they do not know.

example:
  mash ooh add --authority hackney --by "Eve EDT" --caller "PC 1234 Smith" --phone "07700 900123" \
    --given Leo --family Marsh --dob 29/02/2016 --concerns "Police at the address; bruise to Leo's face" --immediate-harm`

const oohActionAbout = `By the contact's reference or id, for the team leader's morning list.

example:
  mash ooh action --by "Eve EDT" --action "Visited with police at 23:40; Leo safe with his grandmother" HAC-2026-000015`

const oohMorningAbout = `Every contact that arrived while the MASH was closed and is not yet reviewed, Red and immediate harm
first, then by arrival: its reference and the child's name, whether the EDT had to act at once (immediate
harm) or it was queued, when it arrived, when it must be reviewed by (OVERDUE when past), what the EDT did
overnight and who has taken it. With --json, one JSON line each as GET /v1/ooh/morning lists them (route,
receivedAt, reviewBy, overdue, edtActions, childName), for scripts. Every contact listed is audited as read.

example:
  mash ooh morning --authority hackney`

// oohAddFlags are the flags of `mash ooh add` by the field of the phone contact each fills.
var oohAddFlags = map[string]string{"child.givenName": "given", "child.familyName": "family", "child.dateOfBirth": "dob",
	"concerns": "concerns", "referrer.name": "caller", "referrer.phone": "phone", "by": "by"}

// renameFields names each bad field of err by the flag that fills it (flags maps field → flag), as a usage
// error; a field no flag fills keeps its name.
func renameFields(err error, flags map[string]string) error {
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.CodeInvalid || len(de.Fields) == 0 {
		return err
	}
	msgs := make([]string, len(de.Fields))
	for i, f := range de.Fields {
		name := f.Field
		if fl, ok := flags[f.Field]; ok {
			name = "--" + fl
		}
		msgs[i] = name + ": " + f.Message
	}
	return badInput("%s", strings.Join(msgs, "; "))
}

// oohAction is `mash ooh action --by W --action TEXT ID|REFERENCE`: what the EDT did overnight.
func (a *app) oohAction(fs *flag.FlagSet) runFunc {
	authority := fs.String("authority", "", "the authority (default: the one whose reference prefix the REFERENCE has)")
	by := fs.String("by", "", "who acted: the EDT worker (required)")
	action := fs.String("action", "", "what the EDT did (required)")
	id := fs.String("id", "", "the contact (or give it as the argument)")
	lf := addStateFlag(fs)
	return func(ctx context.Context, args []string) error {
		if *id != "" {
			args = append(args, *id)
		}
		if len(args) != 1 {
			return badInput("name one contact: its id or its reference")
		}
		if *by == "" || *action == "" {
			return badInput("--by and --action are required")
		}
		s, c, closeStore, err := a.openContact(ctx, lf, *authority, args[0])
		if err != nil {
			return err
		}
		defer closeStore()
		return s.EDT.RecordAction(ctx, c.ID, *by, *action)
	}
}

// oohMorning is `mash ooh morning --authority A [--json]`: the next-morning list as text, or one JSON line
// per contact.
func (a *app) oohMorning(fs *flag.FlagSet) runFunc {
	authority := authorityFlag(fs)
	asJSON := fs.Bool("json", false, "one JSON line per contact, as GET /v1/ooh/morning lists them")
	lf := addStateFlag(fs)
	return func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return badInput("takes no arguments (got %q)", args[0])
		}
		auth, err := a.authority(*authority)
		if err != nil {
			return err
		}
		s, closeStore, err := a.openState(ctx, lf)
		if err != nil {
			return err
		}
		defer closeStore()
		items, err := s.EDT.MorningList(ctx, auth)
		if err != nil {
			return err
		}
		if err := auditCLIReadOf(ctx, s.Store, items, func(it ooh.MorningItem) domain.ContactID { return it.ContactID }, "cli ooh morning"); err != nil {
			return err
		}
		if !*asJSON {
			p, err := a.loadPolicy(string(auth))
			if err != nil {
				return err
			}
			return printMorning(a.stdout, p, items, s.Now())
		}
		for _, it := range items {
			if err := a.printJSON(it); err != nil {
				return err
			}
		}
		return nil
	}
}

// consoleHost is the host:port people reach the server on: the listener's port, and the host as given
// (localhost stays localhost; an unspecified address such as 0.0.0.0 or :8080 becomes localhost).
func consoleHost(got net.Addr, asked string) string {
	_, port, err := net.SplitHostPort(got.String())
	if err != nil {
		return got.String()
	}
	host, _, err := net.SplitHostPort(asked)
	if err != nil || host == "" || net.ParseIP(host) != nil && net.ParseIP(host).IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// consoleAndAPI serves the API under /v1/ and the console (shared/console) at every other path.
func (a *app) consoleAndAPI(s *local.Suite, auth domain.AuthorityID, la *api.LocalAuth, lf localFlags, tls bool) (http.Handler, error) {
	p, ok := s.Policies[auth]
	if !ok {
		return nil, badInput("no policy for %s", auth)
	}
	// The session key lives in the state folder: a restart does not sign everyone out.
	key, err := console.LoadOrCreateSessionKey(*lf.state)
	if err != nil {
		return nil, err
	}
	c := &console.Server{Authority: auth, Policy: p, Intake: s.Intake.Service, Actions: s.Actions, Store: s.Store, OOH: s.EDT, Schools: &s.Directory,
		Auth: la.Authenticate, Local: la, SessionKey: key, Secure: tls, Log: a.log, Now: s.Now,
		PublicRate: lf.rate} // the public forms and answer links: per client address, --rate/--burst as the API's per user
	if lf.demo {
		c.DemoUsers = console.DemoUsers
	}
	mux := http.NewServeMux()
	mux.Handle("/v1/", s.API(auth, la.Authenticate))
	mux.Handle("/", c.Handler())
	return mux, nil
}
