package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/safeguarding/mash/events"
	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/census"
	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/directory"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/local"
	"github.com/safeguarding/mash/shared/policy"
)

const demoAbout = `Empties its state folder, ingests the sample emails (embedded in the binary unless --samples names a
folder), lets a demo manager rate, check and decide most of them through the API, leaves a few on the
rating and decision trays for you, and serves the API until Ctrl-C (or exits with --once). Without
--start-at it runs on "demo time": the real clock shifted to an hour after the MASH's next opening, so that
contacts are screened at once whatever the hour.`

// demo is `make run`: the whole suite with the sample emails flowing end to end. It runs on its own state
// folder (fresh each time) and on demo time. A demo manager then rates, answers checks and decides through
// the HTTP API, and each contact's path through the state machine is printed. The suite keeps serving until
// Ctrl-C (or exits with --once).
func (a *app) demo(fs *flag.FlagSet) runFunc {
	authority := authorityFlag(fs)
	addr := fs.String("addr", "localhost:8080", "listen address for the API")
	samples := fs.String("samples", "", "folder of sample .eml files (default: the samples built into mash)")
	state := fs.String("state", filepath.Join(defaultState, "demo"), "state folder (emptied first)")
	fs.StringVar(state, "dir", *state, "the same as --state (the name earlier versions of mash demo used; scripts still pass it)")
	once := fs.Bool("once", false, "exit when the samples have gone through")
	schools := fs.String("schools", "", "folder of sample school directories, <authority>.csv (default: those built into mash)")
	ppns := fs.String("ppns", "", "folder of sample PPN bodies, ppn-<authority>-*.json (default: those built into mash)")
	bind := addBindFlags(fs, 1000)
	cf := addClockFlags(fs)
	return func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return badInput("takes no arguments (got %q)", args[0])
		}
		auth, err := a.authority(*authority)
		if err != nil {
			return err
		}
		p, err := policy.Load(string(auth))
		if err != nil {
			return err
		}
		cal, err := p.Calendar()
		if err != nil {
			return err
		}
		start, err := cf.parse()
		if err != nil {
			return err
		}
		if start == nil {
			// Demo time: an hour after the next opening (now, when open), at the real pace.
			real := a.now()
			at := cal.NextOpening(real).Add(time.Hour)
			if cal.IsOpen(real) {
				at = real
			}
			start = &simulation{StartAt: at, Speed: 1}
		}

		if err := demoFolderMayBeEmptied(*state); err != nil {
			return err
		}
		if err := os.RemoveAll(*state); err != nil {
			return err
		}
		lf := localFlags{state: state, inbox: ptr(filepath.Join(*state, "inbox")), outbox: ptr(filepath.Join(*state, "outbox")), demo: true}
		n, err := copySamples(*samples, *lf.inbox)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "mash demo: %s, simulated clock from %s (×%g), %d sample emails\n", p.Name,
			start.StartAt.In(cal.Location()).Format("Mon 2 Jan 2006 15:04 MST"), start.Speed, n)
		sctx, stop := context.WithCancel(ctx)
		defer stop()
		return a.serve(sctx, auth, *addr, bind, lf, start, time.Second, func(s *local.Suite, base string, la *api.LocalAuth) error {
			tok, err := a.demoToken(la, auth, *lf.state, base)
			if err != nil {
				return err
			}
			if err := a.demoDirectory(ctx, s, auth, demoClient{base: base, token: tok}, *schools, *ppns); err != nil {
				return err
			}
			if err := a.demoCensus(ctx, demoClient{base: base, token: tok}); err != nil {
				return err
			}
			rating, decision, err := a.demoManager(ctx, s, p, demoClient{base: base, token: tok})
			if err != nil {
				return err
			}
			a.demoCheckDesks(p)
			fmt.Fprintf(a.stdout, "mash demo: outbox in %s; API on %s/v1/contacts?status=decided\n", *lf.outbox, base)
			fmt.Fprintf(a.stdout, "mash demo: look at its state with: go run ./cmd/mash contacts list --authority %s --state %s\n", auth, *state)
			a.demoNext(p, base, *state, rating, decision)
			if *once {
				stop()
			}
			return nil
		})
	}
}

func ptr[T any](v T) *T { return &v }

// copySamples copies the sample emails into the maildrop: from a folder, or those built into mash.
func copySamples(from, to string) (int, error) {
	var src fs.FS = events.Email
	dir := "email"
	if from != "" {
		src, dir = os.DirFS(from), "."
	}
	files, err := fs.Glob(src, path.Join(dir, "*.eml"))
	if err != nil {
		return 0, err
	}
	if len(files) == 0 {
		return 0, badInput("--samples %s has no .eml files", from)
	}
	if err := os.MkdirAll(to, 0o700); err != nil {
		return 0, err
	}
	for _, f := range files {
		b, err := fs.ReadFile(src, f)
		if err != nil {
			return 0, err
		}
		if err := os.WriteFile(filepath.Join(to, path.Base(f)), b, 0o600); err != nil {
			return 0, err
		}
	}
	return len(files), nil
}

// demoSettledAtScreening are the statuses a contact reaches before the rating tray, and what the demo says of it.
var demoSettledAtScreening = []struct {
	status domain.Status
	says   string
}{
	{domain.StatusReturnedForConsent, "returned to the referrer at screening to seek the family's consent (the consent-request in the outbox)"},
	{domain.StatusForwarded, "forwarded at screening (an open case: to its allocated worker)"},
	{domain.StatusInformationRequest, "an information request: on the information-request tray"},
	{domain.StatusQueuedOOH, "queued out of hours for the next-morning review"},
	{domain.StatusClosed, "closed at screening"},
}

// demoLeaves is how many contacts the demo manager leaves on each of the rating and decision trays, for the
// user to claim, rate, read the checks of and decide.
const demoLeaves = 2

// demoManager plays the MASH manager and the partner agencies through the HTTP API: every contact awaiting a
// rating flows to its outcome, except the last few, left on the rating tray (untouched) and on the decision
// tray (rated, checks answered). It returns the references it left on each.
func (a *app) demoManager(ctx context.Context, s *local.Suite, p *policy.Policy, cl demoClient) (rating, decision []domain.Reference, err error) {
	var list struct {
		Contacts []domain.Contact `json:"contacts"`
	}
	if err := cl.do(ctx, "GET", "/v1/contacts?status=awaiting-rating", nil, &list); err != nil {
		return nil, nil, err
	}
	// The contacts screening settled before any rating (the council's consent rule, an open case) say where
	// they went: otherwise they vanished from the demo's account (Northamptonshire returns 7 of its 12).
	for _, st := range demoSettledAtScreening {
		var settled struct {
			Contacts []domain.Contact `json:"contacts"`
		}
		if err := cl.do(ctx, "GET", "/v1/contacts?status="+string(st.status), nil, &settled); err != nil {
			return nil, nil, err
		}
		for _, c := range settled.Contacts {
			fmt.Fprintf(a.stdout, "%-16s %s\n", c.Reference, st.says)
		}
	}
	ratings := []domain.Rating{domain.RatingAmber, domain.RatingGreen, domain.RatingRed}
	outcomes := []domain.OutcomeCode{domain.OutcomeS17, domain.OutcomeAdviceSignposting, domain.OutcomeS47}
	n := len(list.Contacts)
	for i, c := range list.Contacts {
		if i >= n-demoLeaves {
			rating = append(rating, c.Reference)
			continue
		}
		r := ratings[i%len(ratings)]
		if !p.HasRating(r) {
			r = p.Ratings[0]
		}
		if err := cl.do(ctx, "POST", "/v1/contacts/"+string(c.ID)+"/claim", map[string]string{"tray": "rating"}, nil); err != nil {
			return nil, nil, err
		}
		if err := cl.do(ctx, "POST", "/v1/contacts/"+string(c.ID)+"/rating", map[string]any{"value": r,
			"rationale": "demo: rated by the demo manager"}, nil); err != nil {
			return nil, nil, err
		}
		var checks struct {
			Checks []struct {
				ID     string `json:"id"`
				Agency string `json:"agency"`
			} `json:"checks"`
		}
		if err := cl.do(ctx, "GET", "/v1/contacts/"+string(c.ID)+"/checks", nil, &checks); err != nil {
			return nil, nil, err
		}
		if i == n-2*demoLeaves-1 && len(checks.Checks) > 0 {
			// One contact waits on its partner checks: the single-use answer links of its check requests in
			// the outbox open the console's answer page (no account needed).
			fmt.Fprintf(a.stdout, "%-16s rated %-5s → its partner checks left unanswered; answer links in the outbox\n", c.Reference, r)
			continue
		}
		for _, ch := range checks.Checks {
			if err := cl.do(ctx, "POST", "/v1/contacts/"+string(c.ID)+"/checks/"+ch.ID+"/answer",
				map[string]any{"summary": "demo: " + ch.Agency + " holds no further information", "nothingKnown": true}, nil); err != nil {
				return nil, nil, err
			}
		}
		if i >= n-2*demoLeaves {
			decision = append(decision, c.Reference)
			fmt.Fprintf(a.stdout, "%-16s rated %-5s → checks answered; left on the decision tray for you\n", c.Reference, r)
			continue
		}
		code := outcomes[i%len(outcomes)]
		if _, ok := p.OutcomeTerm(code); !ok {
			code = p.Outcomes[0].Code
		}
		if err := cl.do(ctx, "POST", "/v1/contacts/"+string(c.ID)+"/decision", map[string]any{"outcome": code,
			"rationale": "demo: decided by the demo manager"}, nil); err != nil {
			fmt.Fprintf(a.stdout, "%s: decision %s refused: %v\n", c.Reference, code, err)
			continue
		}
		path, status := s.Path(c.ID)
		term, _ := p.OutcomeTerm(code)
		fmt.Fprintf(a.stdout, "%-16s rated %-5s → %-40s %s [%s]\n", c.Reference, r, term, strings.Join(path, " → "), status)
	}
	for _, ref := range rating {
		fmt.Fprintf(a.stdout, "%-16s left on the rating tray for you\n", ref)
	}
	return rating, decision, nil
}

// demoScreener is what the demo screener picks for a census code intake could not derive, in turn: a plausible
// spread of the DfE codes (the explicit "not known" among them), never the same for every contact.
var demoScreener = map[string][]string{
	"source":    {"8", "5B", "1D", "3D", "10"},
	"gender":    {"2", "1", "0", "1", "2"},
	"ethnicity": {"WBRI", "BAFR", "AIND", "MWBC", "NOBT", "WOTH", "BCRB"},
}

// demoCensus plays the screener recording, through POST /v1/contacts/{id}/census (the census action), the
// census codes intake could not derive with certainty for every contact (issue #16: screening cannot finish
// without them), before the demo manager decides: after the demo, Annex A List 1 has a valid code in every
// row. A contact you send in yourself has none recorded, so deciding it answers 409 naming what is missing.
func (a *app) demoCensus(ctx context.Context, cl demoClient) error {
	n, turn := 0, 0
	for _, st := range domain.Statuses {
		var list struct {
			Contacts []domain.Contact `json:"contacts"`
		}
		if err := cl.do(ctx, "GET", "/v1/contacts?status="+string(st), nil, &list); err != nil {
			return err
		}
		for i := range list.Contacts {
			c := &list.Contacts[i]
			body := map[string]string{}
			unknownChild := strings.TrimSpace(c.Child.GivenName+c.Child.FamilyName) == ""
			for _, f := range census.Missing(c) {
				picks := demoScreener[f]
				body[f] = picks[turn%len(picks)]
				if unknownChild && f != "source" {
					// Nobody knows who the child is yet: the codes are "not known", never a guess (the demo
					// gave a nameless child from a neighbour's email a gender and an ethnicity).
					body[f] = map[string]string{"gender": "0", "ethnicity": "NOBT"}[f]
				}
			}
			if len(body) == 0 {
				continue
			}
			turn++
			if err := cl.do(ctx, "POST", "/v1/contacts/"+string(c.ID)+"/census", body, nil); err != nil {
				return err
			}
			n++
		}
	}
	fmt.Fprintf(a.stdout, "mash demo: the demo screener recorded the census codes intake could not derive for %d contacts (POST /v1/contacts/{id}/census)\n", n)
	return nil
}

// demoNext prints what a new user can do next: the API, the contract, curl lines, the mash commands. The
// bearer token line comes just before it (demoToken: export MASH_TOKEN=…).
func (a *app) demoNext(p *policy.Policy, base, state string, rating, decision []domain.Reference) {
	w := a.stdout
	fmt.Fprintf(w, "\nmash demo: what you can do next (the API's contract: api/openapi.yaml)\n")
	fmt.Fprintf(w, "  the console:  %s/  (in a browser: sign in as one of the demo users)\n", base)
	fmt.Fprintf(w, "  the API:      %s/v1/…  (every request needs: -H \"Authorization: Bearer $MASH_TOKEN\", the export above)\n", base)
	auth := "-H \"Authorization: Bearer $MASH_TOKEN\""
	fmt.Fprintf(w, "  the rating tray:\n    curl %s %s/v1/trays/rating\n", auth, base)
	if len(rating) > 0 {
		r := p.Ratings[len(p.Ratings)-1]
		fmt.Fprintf(w, "  read a contact by the reference people quote, then rate it:\n    curl %s %s/v1/contacts/%s\n", auth, base, rating[0])
		fmt.Fprintf(w, "    curl %s -H 'Content-Type: application/json' -d '{\"value\":\"%s\",\"rationale\":\"why\"}' %s/v1/contacts/%s/rating\n",
			auth, r, base, rating[0])
	}
	if len(decision) > 0 && len(p.Outcomes) > 0 {
		fmt.Fprintf(w, "  decide one the checks came back on (outcomes: mash policy --authority %s):\n", p.Authority)
		fmt.Fprintf(w, "    curl %s -H 'Content-Type: application/json' -d '{\"outcome\":\"%s\",\"rationale\":\"why\"}' %s/v1/contacts/%s/decision\n",
			auth, p.Outcomes[0].Code, base, decision[0])
	}
	// As the token lines: `mash` is not on the PATH of someone who ran `make run` (make mash builds bin/mash).
	fmt.Fprintf(w, "  the same state from the command line (or bin/mash after make mash):\n")
	fmt.Fprintf(w, "    go run ./cmd/mash contacts list --authority %s --state %s --status awaiting-rating\n", p.Authority, state)
	if len(rating) > 0 {
		fmt.Fprintf(w, "    go run ./cmd/mash contacts show %s --state %s\n", rating[0], state)
	}
	fmt.Fprintf(w, "    go run ./cmd/mash help\n")
}

// demoClient calls the API with a signed-in user's bearer token.
type demoClient struct{ base, token string }

func (d demoClient) do(ctx context.Context, method, path string, body, out any) error {
	var b []byte
	if body != nil {
		var err error
		if b, err = json.Marshal(body); err != nil {
			return err
		}
	}
	return d.send(ctx, method, path, "application/json", b, out)
}

func (d demoClient) send(ctx context.Context, method, path, contentType string, body []byte, out any) error {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, d.base+path, r)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+d.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, strings.TrimSpace(string(b)))
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// demoLocal is an instant as the authority's people read it: local time, saying GMT or BST.
func demoLocal(s *local.Suite, auth domain.AuthorityID, t time.Time) string {
	loc := time.UTC
	if p := s.Policies[auth]; p != nil {
		if l, err := clock.LoadLocation(p.Timezone); err == nil {
			loc = l
		}
	}
	return t.In(loc).Format("Mon 2 Jan 2006 15:04 MST")
}

// demoDirectory loads the authority's sample school directory through POST /v1/schools, sends the sample
// PPNs for the authority through POST /v1/ppn and prints where each Operation Encompass notice went: a
// school named slightly differently reaches its DSL; one the directory cannot name goes to the Encompass
// lead with candidates and waits on the encompass-unmatched tray for a worker to pick the school.
func (a *app) demoDirectory(ctx context.Context, s *local.Suite, auth domain.AuthorityID, cl demoClient, schoolsDir, ppnDir string) error {
	var schools fs.FS = events.Schools
	csvFile := path.Join("schools", string(auth)+".csv")
	if schoolsDir != "" {
		schools, csvFile = os.DirFS(schoolsDir), string(auth)+".csv"
	}
	data, err := fs.ReadFile(schools, csvFile)
	if errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(a.stdout, "mash demo: no sample school directory for %s; Encompass notices go to the Encompass lead\n", auth)
		return nil
	}
	if err != nil {
		return err
	}
	var res struct {
		Loaded   int   `json:"loaded"`
		Rejected []any `json:"rejected"`
	}
	if err := cl.send(ctx, "POST", "/v1/schools", "text/csv", data, &res); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "mash demo: sample school directory for %s: %d schools loaded, %d rows refused\n", auth, res.Loaded, len(res.Rejected))
	var ppns fs.FS = events.PPNs
	dir := "api"
	if ppnDir != "" {
		ppns, dir = os.DirFS(ppnDir), "."
	}
	files, err := fs.Glob(ppns, path.Join(dir, "ppn-"+string(auth)+"-*.json"))
	if err != nil {
		return err
	}
	for _, f := range files {
		body, err := fs.ReadFile(ppns, f)
		if err != nil {
			return err
		}
		var created struct {
			Contacts []struct {
				ContactID domain.ContactID `json:"contactId"`
				Reference string           `json:"reference"`
			} `json:"contacts"`
		}
		if err := cl.send(ctx, "POST", "/v1/ppn", "application/json", body, &created); err != nil {
			return err
		}
		if err := s.Tick(ctx); err != nil {
			return err
		}
		for _, c := range created.Contacts {
			ns, err := s.Store.ListNotifications(ctx, c.ContactID)
			if err != nil {
				return err
			}
			for _, n := range ns {
				if n.Kind != "encompass" {
					continue
				}
				fmt.Fprintf(a.stdout, "%-16s %s: Operation Encompass notice to %s", c.Reference, path.Base(f), strings.Join(n.To, ", "))
				if len(n.Cc) > 0 {
					fmt.Fprintf(a.stdout, ", copied to %s", strings.Join(n.Cc, ", "))
				}
				fmt.Fprintln(a.stdout)
				if l := ackLinkRE.FindString(n.Text); l != "" {
					fmt.Fprintf(a.stdout, "%-16s the DSL acknowledges it, without an account, at %s (works once)\n", c.Reference, l)
				}
			}
			if it, err := s.Store.GetTrayItem(ctx, directory.UnmatchedItemID(c.ContactID)); err == nil {
				fmt.Fprintf(a.stdout, "%-16s on the %s tray (due %s): pick the school with\n"+
					"    curl -H \"Authorization: Bearer $MASH_TOKEN\" -X POST %s/v1/contacts/%s/school -d '{\"urn\":\"…\"}'\n",
					c.Reference, it.Tray, demoLocal(s, auth, it.DueAt), cl.base, c.ContactID)
			}
		}
	}
	return nil
}

// ackLinkRE finds an Encompass notice's acknowledgement link (shared/directory) in its text.
var ackLinkRE = regexp.MustCompile(`https?://\S+/encompass/[A-Za-z0-9_-]+`)

// demoCheckDesks says where the authority's check requests went: each agency's MASH desk on record
// (contacts.agencyDesks), the rest through the MASH inbox (marked on the checks tray).
func (a *app) demoCheckDesks(p *policy.Policy) {
	var desk, inbox []string
	for _, ag := range p.Agencies {
		if d := directory.CheckRecipient(p, ag); d.OnRecord {
			desk = append(desk, string(ag)+" → "+d.Email)
		} else {
			inbox = append(inbox, string(ag))
		}
	}
	fmt.Fprintf(a.stdout, "mash demo: check requests go to the agency's MASH desk: %s; through the MASH inbox (marked on the checks tray): %s\n",
		strings.Join(desk, ", "), strings.Join(inbox, ", "))
}

// demoFolderMayBeEmptied refuses to empty a folder that is not a demo's: one that holds data made on the real
// clock (`mash run`, `mash ingest`: no clock record) or anything else. The demo emptied whatever --state
// named, so `mash demo --state .mash` deleted a council's real contacts (the default state of every other
// command), and `--state .` the folder it ran in. A folder that does not exist, is empty, or runs on a
// simulated clock (a demo's or a rehearsal's, STATE/clock.json) may be emptied.
func demoFolderMayBeEmptied(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return err
	case len(entries) == 0:
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, clockFile)); err == nil {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, "store.db")); err == nil {
		return badInput("--state %s holds data made on the real clock: the demo empties its folder first, so give it a folder of its own (e.g. --state %s)", dir, filepath.Join(defaultState, "demo"))
	}
	return badInput("--state %s is not a demo folder (it holds %s): the demo empties its folder first, so give it a new or empty folder (e.g. --state %s)", dir, entries[0].Name(), filepath.Join(defaultState, "demo"))
}
