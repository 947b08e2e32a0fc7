package main

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/api"
	"github.com/safeguarding/mash/shared/clock"
)

// `mash token` mints a token the state folder's key verifies; the key is made once, mode 0600.
func TestToken_MintsATokenTheStateKeyVerifies(t *testing.T) {
	state := t.TempDir()
	at := time.Date(2027, 3, 10, 10, 0, 0, 0, time.UTC)
	out, errs, code := runAt(t, at, "token", "--state", state, "--authority", "hackney", "--user", "Ada Officer",
		"--roles", "contact-officer,restricted-reader", "--ttl", "2h")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	st, err := os.Stat(filepath.Join(state, api.LocalKeyFile))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", st, err)
	}
	la, err := api.LoadOrCreateLocalKey(state, clock.Fixed(at.Add(time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/v1/contacts", nil)
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(out))
	id, err := la.Authenticate(req)
	if err != nil || id.Subject != "Ada Officer" || id.Authority != "hackney" || !id.Has(api.RoleRestrictedReader) {
		t.Fatalf("%+v %v", id, err)
	}
	late, _ := api.LoadOrCreateLocalKey(state, clock.Fixed(at.Add(3*time.Hour)))
	if _, err := late.Authenticate(req); err == nil {
		t.Fatal("a 2h token is accepted after 3h")
	}
}

func TestToken_BadInputNamesTheFieldAndTheChoices(t *testing.T) {
	state := t.TempDir()
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"NoAuthority", []string{"--user", "u", "--roles", "mash-worker"}, "--authority is required"},
		{"UnknownRole", []string{"--authority", "hackney", "--user", "u", "--roles", "admin"}, "restricted-reader"},
		{"PartnerWithoutAgency", []string{"--authority", "hackney", "--user", "u", "--roles", "partner"}, "agency"},
		{"NoUser", []string{"--authority", "hackney", "--roles", "mash-worker"}, "user"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, errs, code := runCLI(t, append([]string{"token", "--state", state}, c.args...)...)
			if code != 1 || !strings.Contains(errs, c.want) {
				t.Fatalf("exit %d: %s", code, errs)
			}
		})
	}
}

// Listening beyond loopback needs TLS or --insecure-bind, and warns.
func TestRun_NonLoopbackNeedsInsecureBindOrTLS(t *testing.T) {
	state := t.TempDir()
	_, errs, code := runCLI(t, "run", "--authority", "hackney", "--addr", "0.0.0.0:0", "--state", state)
	if code != 1 || !strings.Contains(errs, "--insecure-bind") {
		t.Fatalf("exit %d: %s", code, errs)
	}
	_, errs, code = runCLI(t, "run", "--authority", "hackney", "--addr", "0.0.0.0:0", "--state", state, "--tls-cert", "x.pem")
	if code != 1 || !strings.Contains(errs, "go together") {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var b strings.Builder
	a := newApp(&b, &b)
	if err := a.checkBind("0.0.0.0:8080", bindFlags{insecure: ptr(true), tlsCert: ptr(""), tlsKey: ptr(""), rate: ptr(1.0), burst: ptr(1)}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "WARNING") {
		t.Fatalf("no warning: %q", b.String())
	}
	for _, addr := range []string{"localhost:0", "127.0.0.1:0", "[::1]:0"} {
		if err := a.checkBind(addr, bindFlags{insecure: ptr(false), tlsCert: ptr(""), tlsKey: ptr(""), rate: ptr(1.0), burst: ptr(1)}); err != nil {
			t.Errorf("%s: %v", addr, err)
		}
	}
}
