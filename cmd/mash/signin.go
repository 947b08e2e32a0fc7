package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/user"
	"strconv"
	"strings"
	"time"

	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

// Local sign-in (README "Signing in locally"): `mash run` and `mash demo` verify bearer tokens signed with
// the state folder's key; `mash token` mints them from the same key.

// token is `mash token --authority A --user NAME --roles r1,r2 [--agency X] [--ttl 8h] [--state DIR]`: it
// prints one signed bearer token.
func (a *app) token(fs *flag.FlagSet) runFunc {
	authority := authorityFlag(fs)
	user := fs.String("user", "", "the user's name (the audit trail's actor)")
	roles := fs.String("roles", "", "comma-separated roles: "+strings.Join(api.Roles, ", "))
	agency := fs.String("agency", "", "a partner's agency")
	ttl := fs.Duration("ttl", 8*time.Hour, "how long the token is valid")
	state := fs.String("state", defaultState, "state folder whose signing key signs the token (mash run --state)")
	return func(_ context.Context, args []string) error {
		if len(args) > 0 {
			return badInput("takes no arguments (got %q)", args[0])
		}
		auth, err := a.authority(*authority)
		if err != nil {
			return err
		}
		la, err := api.LoadOrCreateLocalKey(*state, a.now)
		if err != nil {
			return err
		}
		tok, err := la.Mint(api.TokenRequest{Authority: auth, User: *user, Roles: splitRoles(*roles), Agency: *agency, TTL: *ttl})
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(a.stdout, tok)
		return err
	}
}

func splitRoles(s string) []string {
	var out []string
	for r := range strings.SplitSeq(s, ",") {
		if r = strings.TrimSpace(r); r != "" {
			out = append(out, r)
		}
	}
	return out
}

// bindFlags are how `mash run`/`mash demo` may listen beyond this machine, and each user's rate limit.
type bindFlags struct {
	insecure        *bool
	tlsCert, tlsKey *string
	rate            *float64
	burst           *int
}

// addBindFlags adds them; burst is the default per-user burst (the demo's scripted manager needs more
// than a person).
func addBindFlags(fs *flag.FlagSet, burst int) bindFlags {
	return bindFlags{
		insecure: fs.Bool("insecure-bind", false, "allow listening on a non-loopback address without TLS"),
		tlsCert:  fs.String("tls-cert", "", "TLS certificate (PEM) to serve HTTPS"),
		tlsKey:   fs.String("tls-key", "", "TLS private key (PEM)"),
		rate:     fs.Float64("rate", api.DefaultRateLimit.PerSecond, "requests per second each user's bucket refills at (over it: 429)"),
		burst:    fs.Int("burst", burst, "requests each user may make at once"),
	}
}

func (b bindFlags) tls() bool { return b.tlsCert != nil && *b.tlsCert != "" }

// checkBind refuses a non-loopback listen address unless TLS is configured or --insecure-bind is given, and
// warns whenever the API is reachable from other machines.
func (a *app) checkBind(addr string, b bindFlags) error {
	if *b.rate <= 0 || *b.burst < 1 {
		return badInput("--rate must be more than 0 and --burst at least 1")
	}
	if (*b.tlsCert == "") != (*b.tlsKey == "") {
		return badInput("--tls-cert and --tls-key go together")
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return badInput("--addr %q: %v", addr, err)
	}
	if loopback(host) {
		return nil
	}
	if !b.tls() && !*b.insecure {
		return badInput("--addr %s listens beyond this machine: give --tls-cert/--tls-key, or --insecure-bind to accept that tokens and personal data cross the network in clear", addr)
	}
	how := "over TLS"
	if !b.tls() {
		how = "WITHOUT TLS (--insecure-bind): tokens and personal data cross the network in clear"
	}
	fmt.Fprintf(a.stderr, "mash: WARNING: the API on %s is reachable from other machines, %s\n", addr, how)
	return nil
}

func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// demoToken mints the demo manager's token and says how to mint others.
func (a *app) demoToken(la *api.LocalAuth, auth domain.AuthorityID, state, base string) (string, error) {
	tok, err := la.Mint(api.TokenRequest{Authority: auth, User: "demo-manager", Roles: []string{api.RoleManager, api.RoleWorker}, TTL: 8 * time.Hour})
	if err != nil {
		return "", err
	}
	fmt.Fprintf(a.stdout, `mash demo: every /v1 request needs a bearer token. A manager's (demo-manager, 8 hours):
  export MASH_TOKEN=%s
  curl -H "Authorization: Bearer $MASH_TOKEN" %s/v1/contacts
mash demo: mint others from this demo's key, e.g. a contact officer or a police-vetted reader:
  go run ./cmd/mash token --state %s --authority %s --user "Ada Officer" --roles %s
  go run ./cmd/mash token --state %s --authority %s --user "Pat Vetted" --roles %s
`, tok, base, state, auth, api.RoleContactOfficer, state, auth, api.RoleRestrictedReader)
	return tok, nil
}

// osUser names who runs a CLI command: the audit trail's actor for what the command reads.
func osUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return "os:" + u.Username
	}
	if u := os.Getenv("USER"); u != "" {
		return "os:" + u
	}
	return "os:uid-" + strconv.Itoa(os.Getuid())
}

// auditCLIRead records that the OS user read these contacts on the command line, before they are shown.
// auditCLIReadOf is auditCLIRead of the contacts of records a command shows (contact: a record's contact).
func auditCLIReadOf[T any](ctx context.Context, st store.Audit, recs []T, contact func(T) domain.ContactID, what string) error {
	ids := make([]domain.ContactID, len(recs))
	for i, r := range recs {
		ids[i] = contact(r)
	}
	return auditCLIRead(ctx, st, ids, what)
}

func auditCLIRead(ctx context.Context, st store.Audit, ids []domain.ContactID, what string) error {
	who := osUser()
	evs := make([]store.AuditEvent, 0, len(ids))
	for _, id := range ids {
		evs = append(evs, store.AuditEvent{ContactID: id, Actor: who, Action: "contact.read", Detail: map[string]string{"what": what}})
	}
	if len(evs) == 0 {
		return nil
	}
	return st.AppendAudits(ctx, evs)
}
