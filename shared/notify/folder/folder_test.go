package folder_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jhillyerd/enmime/v2"

	"github.com/safeguarding/mash/shared/notify/folder"
	"github.com/safeguarding/mash/shared/store"
)

func TestSend_WritesParsableMultipartAlternative(t *testing.T) {
	dir := t.TempDir()
	n := store.Notification{ID: "c_0123456789abcdef0123#escalation#checks#police#overdue#2027-12-24T18:00:00Z",
		Kind: "escalation", To: []string{"a@x.example", "b@y.example"},
		Subject:   "MASH contact HAC-2027-000123: escalation — naïve\r\nBcc: evil@attacker.example",
		Text:      "Line one\nA line with = and a very long run of text that goes past seventy-six characters so quoted-printable must soft-wrap it.\n",
		HTML:      "<p>Hello &amp; welcome</p>",
		CreatedAt: time.Date(2027, 12, 24, 18, 0, 1, 0, time.UTC)}
	s := folder.Sender{Dir: dir, From: "Hackney MASH <no-reply@mash.hackney.gov.uk>"}
	name, err := s.Send(context.Background(), n, "MASH@hackney.gov.uk")
	if err != nil {
		t.Fatal(err)
	}
	if want := "20271224T180001Z-c_0123456789abcdef0123_escalation_checks_police_overdue_2027-12-24T18_00_00Z.eml"; name != want {
		t.Errorf("name %s, want %s", name, want)
	}
	raw, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	env, err := enmime.ReadEnvelope(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if env.GetHeader("Bcc") != "" || strings.Contains(string(raw), "\r\nBcc:") {
		t.Errorf("a CR/LF in the subject injected a header:\n%s", raw)
	}
	if got := env.GetHeader("Subject"); !strings.HasPrefix(got, "MASH contact HAC-2027-000123: escalation — naïve") {
		t.Errorf("Subject %q", got)
	}
	if strings.ReplaceAll(env.Text, "\r\n", "\n") != n.Text {
		t.Errorf("text %q", env.Text)
	}
	if !strings.Contains(env.HTML, "<p>Hello &amp; welcome</p>") {
		t.Errorf("html %q", env.HTML)
	}
	if got := env.GetHeaderValues("To"); len(got) != 1 || !strings.Contains(got[0], "b@y.example") {
		t.Errorf("To %v", got)
	}
	// Sending again (a retry after a failed MarkSent) rewrites the same file, no second copy.
	if _, err := s.Send(context.Background(), n, "MASH@hackney.gov.uk"); err != nil {
		t.Fatal(err)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*")); len(m) != 1 {
		t.Errorf("folder holds %v", m)
	}
}

func TestSend_RefusesNoRecipientOrBadAddress(t *testing.T) {
	s := folder.Sender{Dir: t.TempDir()}
	for _, to := range [][]string{nil, {"not an address"}} {
		if _, err := s.Send(context.Background(), store.Notification{ID: "x", To: to, Text: "t"}, ""); err == nil {
			t.Errorf("to %v: no error", to)
		}
	}
}

// A reader of the folder's messages (its .eml files, as the console lists them) never sees half a message, and each message is one file, however many sends run at
// once and however often one is retried: readers list and read the folder while 8 senders each send 25
// messages, every one of them twice. Each file read is a whole message (its closing boundary is there); at
// the end the folder holds exactly the 200 messages, each as its second send wrote it, and nothing else (no
// temporary name left behind).
func TestSend_ReaderNeverSeesHalfAMessage_RetryRewritesTheOneFile(t *testing.T) {
	dir := t.TempDir()
	s := folder.Sender{Dir: filepath.Join(dir, "outbox")} // made by the first send
	const senders, each = 8, 25
	long := strings.Repeat("A paragraph about the child's circumstances, long enough for a message of 8 KB. ", 100)
	msg := func(i int) store.Notification {
		return store.Notification{ID: fmt.Sprintf("c_%04d#acknowledgement", i), Kind: "acknowledgement",
			To: []string{"referrer@school.example"}, Subject: "MASH contact received", Text: long,
			CreatedAt: time.Date(2026, 11, 16, 10, 45, 0, 0, time.UTC)}
	}
	stop := make(chan struct{})
	var readers sync.WaitGroup
	var seen atomic.Int64
	halves := make(chan string, 1)
	for range 2 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				ents, _ := os.ReadDir(s.Dir)
				time.Sleep(time.Millisecond)
				for _, e := range ents {
					if !strings.HasSuffix(e.Name(), ".eml") {
						continue // a retry's temporary name (".tmp-…"), never a message's
					}
					raw, err := os.ReadFile(filepath.Join(s.Dir, e.Name()))
					if err != nil {
						t.Error(err)
						continue
					}
					seen.Add(1)
					if !bytes.HasSuffix(bytes.TrimRight(raw, "\r\n"), []byte("--")) {
						select {
						case halves <- fmt.Sprintf("%s: %d bytes, not a whole message", e.Name(), len(raw)):
						default:
						}
					}
				}
			}
		}()
	}
	first := make(map[string][]byte)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for g := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range each {
				n := msg(g*each + k)
				name, err := s.Send(context.Background(), n, "")
				if err != nil {
					t.Error(err)
					return
				}
				raw, err := os.ReadFile(filepath.Join(s.Dir, name))
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				first[name] = raw
				mu.Unlock()
				if again, err := s.Send(context.Background(), n, ""); err != nil || again != name {
					t.Errorf("sent again: %s, %v; want %s", again, err, name)
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	select {
	case h := <-halves:
		t.Fatal(h)
	default:
	}
	if seen.Load() == 0 {
		t.Fatal("the readers read no message while the senders ran")
	}
	ents, err := os.ReadDir(s.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != senders*each {
		t.Errorf("the folder holds %d files, want %d", len(ents), senders*each)
	}
	for _, e := range ents {
		raw, err := os.ReadFile(filepath.Join(s.Dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		before, ok := first[e.Name()]
		if !ok {
			t.Errorf("%s: not a message that was sent", e.Name())
			continue
		}
		// each build has a boundary of its own: the file is the second send's, rewritten, not the first's
		if bytes.Equal(raw, before) {
			t.Errorf("%s: the retried send did not rewrite it", e.Name())
		}
		env, err := enmime.ReadEnvelope(bytes.NewReader(raw))
		if err != nil || strings.ReplaceAll(env.Text, "\r\n", "\n") != long {
			t.Errorf("%s: not the whole message (%v)", e.Name(), err)
		}
	}
}
