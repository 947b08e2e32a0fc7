package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/flow"
	"github.com/safeguarding/mash/shared/local"
	"github.com/safeguarding/mash/shared/store/embedded"
	"github.com/safeguarding/mash/shared/testenv"
)

// chaosKills is how many times the runner is killed (SIGKILL) under load; the README quotes this test's
// figures.
const chaosKills = 5

// Issue #13 "Chaos test": `mash run` (the real binary, a subprocess) under mixed load — referrals from
// several goroutines through the API (each retried with its Idempotency-Key until it is answered) and emails
// dropped into the maildrop — is killed with SIGKILL at random points five times and restarted. At the end:
// every accepted contact exists once; the references have no gap; every contact is at a wait (its opening, a
// human's action) or done, with exactly one execution, none stopped mid-step; nothing is left in received.
func TestChaos_MashRunKilledFiveTimesUnderLoad(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "mash")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	state := filepath.Join(dir, "state")
	tokOut, err := exec.Command(bin, "token", "--authority", "hackney", "--user", "chaos", "--roles", "referrer", "--state", state).Output()
	if err != nil {
		t.Fatalf("mash token: %v", err)
	}
	token := strings.TrimSpace(string(tokOut))
	port, err := testenv.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	inbox := filepath.Join(state, "inbox")
	if err := os.MkdirAll(inbox, 0o700); err != nil {
		t.Fatal(err)
	}
	sample, err := os.ReadFile(filepath.Join(testenv.Root(t), "events", "email", "school-dsl-referral.eml"))
	if err != nil {
		t.Fatal(err)
	}

	var runs []*exec.Cmd
	start := func() *exec.Cmd {
		cmd := exec.Command(bin, "run", "--authority", "hackney", "--state", state, "--addr", addr, "--tick", "200ms",
			"--rate", "10000", "--burst", "10000")
		var logs bytes.Buffer
		cmd.Stderr = &logs
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ready := make(chan struct{})
		go func() {
			sc := bufio.NewScanner(out)
			once := false
			for sc.Scan() {
				if !once && strings.Contains(sc.Text(), "front door on") {
					once = true
					close(ready)
				}
			}
			if !once {
				close(ready)
			}
			_, _ = io.Copy(io.Discard, out)
		}()
		select {
		case <-ready:
		case <-time.After(60 * time.Second):
			t.Fatalf("mash run did not start: %s", logs.String())
		}
		runs = append(runs, cmd)
		return cmd
	}

	// The load: referrals through the API (workers) and emails into the maildrop (one dropper).
	type accepted struct {
		child string
		ids   []domain.ContactID
	}
	var (
		mu       sync.Mutex
		api      []accepted
		emails   []string // child given names of dropped emails
		stop     = make(chan struct{})
		wg       sync.WaitGroup
		attempts int
	)
	client := &http.Client{Timeout: 5 * time.Second}
	post := func(child, key string) ([]domain.ContactID, bool) {
		body, _ := json.Marshal(map[string]any{
			"children": []any{map[string]any{"givenName": child, "familyName": "Chaos", "dateOfBirth": "2018-03-04"}},
			"referrer": map[string]any{"name": "Ann Teacher", "email": "dsl@hillman.hackney.sch.uk"},
			"concerns": "bruising seen at school", "consent": map[string]any{"status": "given"},
		})
		req, _ := http.NewRequest("POST", "http://"+addr+"/v1/referrals", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Idempotency-Key", key)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return nil, false
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
			return nil, false
		}
		var r struct {
			Contacts []struct {
				ContactID domain.ContactID `json:"contactId"`
			} `json:"contacts"`
		}
		if json.NewDecoder(resp.Body).Decode(&r) != nil || len(r.Contacts) == 0 {
			return nil, false
		}
		var ids []domain.ContactID
		for _, c := range r.Contacts {
			ids = append(ids, c.ContactID)
		}
		return ids, true
	}
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				child := fmt.Sprintf("Api%dn%d", w, i)
				key := "chaos-" + child
				for {
					mu.Lock()
					attempts++
					mu.Unlock()
					if ids, ok := post(child, key); ok {
						mu.Lock()
						api = append(api, accepted{child: child, ids: ids})
						mu.Unlock()
						break
					}
					select {
					case <-stop:
						// Unanswered at the end: retried once the runner is back for the last time (below).
						mu.Lock()
						api = append(api, accepted{child: child})
						mu.Unlock()
						return
					case <-time.After(50 * time.Millisecond):
					}
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(40 * time.Millisecond):
			}
			child := fmt.Sprintf("Mail%d", i)
			raw := strings.Replace(string(sample), "Maisie Thornton", child+" Chaos", 1)
			raw = strings.Replace(raw, "20261116104213.4F2A1C", fmt.Sprintf("chaos-%d", i), 1)
			raw = strings.Replace(raw, "e1863ef37720f6d55e0240462241f5ec13fcd53b", fmt.Sprintf("%040d", i), 1)
			tmp := filepath.Join(dir, fmt.Sprintf("mail-%05d.eml", i))
			if err := os.WriteFile(tmp, []byte(raw), 0o600); err != nil {
				t.Error(err)
				return
			}
			if err := os.Rename(tmp, filepath.Join(inbox, filepath.Base(tmp))); err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			emails = append(emails, child)
			mu.Unlock()
		}
	}()

	// Kill at random points under load, restart each time.
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 13))
	cmd := start()
	for k := range chaosKills {
		time.Sleep(time.Duration(300+rng.IntN(1200)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
		t.Logf("kill %d after %d API attempts", k+1, attempts)
		cmd = start()
	}
	close(stop)
	wg.Wait()
	// Requests left unanswered by the last kill are retried now, with their keys: the client's side of exactly
	// once.
	for i, a := range api {
		if a.ids != nil {
			continue
		}
		for try := 0; ; try++ {
			if ids, ok := post(a.child, "chaos-"+a.child); ok {
				api[i].ids = ids
				break
			}
			if try == 100 {
				t.Fatalf("referral %s never answered", a.child)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	// Let the runner drain the maildrop and run what is due, then stop it cleanly.
	deadline := time.Now().Add(60 * time.Second)
	for {
		left, _ := filepath.Glob(filepath.Join(inbox, "*.eml"))
		if len(left) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d emails still in the maildrop", len(left))
		}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(time.Second) // one more tick for re-drives
	_ = cmd.Process.Signal(syscall.SIGINT)
	_ = cmd.Wait()

	// The state folder, read as the next process would.
	st, err := embedded.Open(filepath.Join(state, "store.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	var all []*domain.Contact
	for _, s := range domain.Statuses {
		cs, err := st.ListContacts(ctx, "hackney", s)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, cs...)
	}
	byChild := map[string][]*domain.Contact{}
	var numbers []int
	for _, c := range all {
		byChild[c.Child.GivenName] = append(byChild[c.Child.GivenName], c)
		_, _, n, err := domain.ParseReference(string(c.Reference))
		if err != nil {
			t.Errorf("contact %s: reference %q", c.ID, c.Reference)
		}
		numbers = append(numbers, n)
	}
	for _, a := range api {
		cs := byChild[a.child]
		if len(cs) != 1 || len(a.ids) != 1 || cs[0].ID != a.ids[0] {
			t.Errorf("referral %s: %d contacts (answered %v), want exactly the one answered", a.child, len(cs), a.ids)
		}
	}
	for _, e := range emails {
		if n := len(byChild[e]); n != 1 {
			t.Errorf("email about %s: %d contacts, want 1", e, n)
		}
	}
	if want := len(api) + len(emails); len(all) != want {
		t.Errorf("%d contacts, want %d (%d referrals, %d emails)", len(all), want, len(api), len(emails))
	}
	slices.Sort(numbers)
	for i, n := range numbers {
		if n != i+1 {
			t.Errorf("references have a gap or a repeat: number %d at position %d", n, i+1)
			break
		}
	}
	// Executions: exactly one per contact, none stopped mid-step; statuses at a wait or done.
	x := &local.ExecStore{Table: st.Executions()}
	ids, err := x.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	execs := map[string]flow.Snapshot{}
	for _, id := range ids {
		s, err := x.Load(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if _, dup := execs[s.Name]; dup {
			t.Errorf("two executions for %s", s.Name)
		}
		execs[s.Name] = s
	}
	waiting := map[domain.Status]bool{domain.StatusQueuedOOH: true, domain.StatusAwaitingRating: true, domain.StatusChecks: true,
		domain.StatusAwaitingDecision: true, domain.StatusDecided: true, domain.StatusForwarded: true,
		domain.StatusReturnedForConsent: true, domain.StatusClosed: true}
	received := 0
	for _, c := range all {
		if c.Status == domain.StatusReceived {
			received++
		}
		if !waiting[c.Status] {
			t.Errorf("contact %s is %s: not at a wait nor done", c.ID, c.Status)
		}
		s, ok := execs[string(c.ID)]
		if !ok {
			t.Errorf("contact %s (%s) has no execution", c.ID, c.Status)
			continue
		}
		if s.Status == flow.Running && s.Root != nil && (s.Root.Phase == "enter" || s.Root.Phase == "run") {
			t.Errorf("contact %s's execution stopped mid-step at %s", c.ID, s.Root.State)
		}
	}
	if len(execs) != len(all) {
		t.Errorf("%d executions for %d contacts", len(execs), len(all))
	}
	if received != 0 {
		t.Errorf("%d contacts left in received", received)
	}
	damaged, err := st.Executions().Damaged(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("chaos: %d kills, %d runs, %d contacts (%d API referrals over %d attempts, %d emails), references 1..%d, %d damaged snapshots set aside",
		chaosKills, len(runs), len(all), len(api), attempts, len(emails), len(numbers), damaged)
}
