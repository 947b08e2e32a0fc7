package functions_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/clock"
)

// BenchmarkInit measures each function's init: from exec to its first GET of the Runtime API's
// /runtime/invocation/next, against a stand-in Runtime API, on this machine's GOOS/GOARCH, built with the
// Makefile's flags. Every iteration also starts testdata/hello (the smallest aws-lambda-go function, built
// the same way), so the anchor is measured in the same run: ms-over-hello is the figure issue #19 budgets
// (≤ +4 ms). The function gets the environment template.yaml gives it, with every AWS endpoint pointed at the
// stand-in: any request other than the Runtime API's before /next is network at init, and fails the run.
//
//	go test -run '^$' -bench BenchmarkInit -benchtime 20x ./functions   (make bench-init)
func BenchmarkInit(b *testing.B) {
	dir := b.TempDir()
	names := []string{"hello"}
	pkgs := []string{"./testdata/hello"}
	mains, _ := filepath.Glob("*/main.go")
	for _, m := range mains {
		names = append(names, filepath.Dir(m))
		pkgs = append(pkgs, "./"+filepath.Dir(m))
	}
	args := append(append([]string{"build"}, lambdaFlags(b)...), "-o", dir+string(filepath.Separator))
	cmd := exec.Command("go", append(args, pkgs...)...)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	rt := newRuntime()
	defer rt.srv.Close()
	for _, name := range names[1:] {
		b.Run(name, func(b *testing.B) {
			var fn, hello []time.Duration
			for range b.N {
				hello = append(hello, rt.start(b, filepath.Join(dir, "hello")))
				fn = append(fn, rt.start(b, filepath.Join(dir, name)))
			}
			h, f := median(hello), median(fn)
			b.ReportMetric(float64(f)/1e6, "ms-init")
			b.ReportMetric(float64(h)/1e6, "ms-hello")
			b.ReportMetric(float64(f-h)/1e6, "ms-over-hello")
		})
	}
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// runtime is the stand-in Runtime API (and AWS endpoint): /next signals the waiting start and then holds
// the request until the process is killed; anything else is recorded as network at init.
type runtime struct {
	srv   *httptest.Server
	mu    sync.Mutex
	next  chan struct{}
	other []string
}

func newRuntime() *runtime {
	rt := &runtime{next: make(chan struct{}, 1)}
	rt.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/runtime/invocation/next") {
			rt.next <- struct{}{}
			<-r.Context().Done()
			return
		}
		rt.mu.Lock()
		rt.other = append(rt.other, r.Method+" "+r.Host+r.URL.Path)
		rt.mu.Unlock()
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	return rt
}

// start runs bin until it asks for its first invocation and returns how long that took.
func (rt *runtime) start(b *testing.B, bin string) time.Duration {
	b.Helper()
	host := strings.TrimPrefix(rt.srv.URL, "http://")
	cmd := exec.Command(bin)
	cmd.Env = []string{"AWS_LAMBDA_RUNTIME_API=" + host, "AWS_LAMBDA_FUNCTION_NAME=bench", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=512",
		"AWS_REGION=eu-west-2", "AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret",
		"AWS_ENDPOINT_URL=" + rt.srv.URL, "AUTHORITY=hackney", "TABLE_NAME=mash", "RAW_BUCKET=mash-raw",
		"STATE_MACHINE_ARN=arn:aws:states:eu-west-2:123456789012:stateMachine:mash-contact", "KMS_KEY_ID=",
		"SES_FROM=MASH <no-reply@mash.example.gov.uk>", "CONSOLE_URL=https://mash.example.gov.uk", "LOG_LEVEL=warn",
		// The console's (template.yaml ConsoleFunction): the session key is read at the first request, the
		// provider's discovery document at the first sign-in, so neither is network at init.
		"OIDC_ISSUER=https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_example", "OIDC_CLIENT_ID=example",
		"OIDC_LOGOUT_URL=https://mash-hackney.auth.eu-west-2.amazoncognito.com/logout",
		"SESSION_SECRET_ARN=arn:aws:secretsmanager:eu-west-2:123456789012:secret:mash-hackney-console-session"}
	t0 := clock.System()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	select {
	case <-rt.next:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		b.Fatalf("%s never asked for an invocation", filepath.Base(bin))
	}
	d := clock.System().Sub(t0)
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if len(rt.other) > 0 {
		b.Fatalf("%s used the network at init: %v", filepath.Base(bin), rt.other)
	}
	return d
}
