package intake_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jhillyerd/enmime/v2"

	"github.com/safeguarding/mash/shared/adapters/folder"
	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/flow"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/intake/email"
	"github.com/safeguarding/mash/shared/intake/inbox"
	"github.com/safeguarding/mash/shared/notify"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store"
	"github.com/safeguarding/mash/shared/store/embedded"
	"github.com/safeguarding/mash/shared/workflow"
)

// benchSample is one sample of the benchmark corpus, with what makes each copy a new message.
type benchSample struct {
	name    string
	raw     []byte
	midAt   [2]int   // where the Message-ID header line is in raw (found once: not part of the figure)
	surname [][]byte // the children's family names as they appear in the bytes (none for free text)
	// a child named only inside a base64 attachment: where the base64 is, its decoded bytes, the name
	b64At   [2]int
	decoded []byte
	inAtt   []byte
}

var b64Block = regexp.MustCompile(`(?s)Content-Transfer-Encoding: base64\r?\n\r?\n([A-Za-z0-9+/=\r\n]+)`)

// inAttachment finds name in one of raw's base64 parts and remembers where.
func (s *benchSample) inAttachment(raw, name []byte) bool {
	for _, m := range b64Block.FindAllSubmatchIndex(raw, -1) {
		d, err := base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(string(raw[m[2]:m[3]])))
		if err == nil && bytes.Contains(d, name) {
			s.b64At, s.decoded, s.inAtt = [2]int{m[2], m[3]}, d, name
			return true
		}
	}
	return false
}

// benchCorpus is every sample of events/email that becomes contacts. The quarantine samples (spam, virus,
// garbled) are left out of BOTH benchmarks: the figure is what it costs to turn an email into contacts.
func benchCorpus(b *testing.B, opts email.Options) []benchSample {
	b.Helper()
	var out []benchSample
	for _, s := range samples {
		if s.want.status == intake.StatusQuarantined {
			continue
		}
		raw := readSample(b, s.file)
		m, err := email.Parse(raw, opts)
		if err != nil {
			b.Fatalf("%s: %v", s.file, err)
		}
		bs := benchSample{name: s.file, raw: raw}
		loc := messageIDHeader.FindIndex(raw)
		if loc == nil {
			b.Fatalf("%s: no Message-ID header", s.file)
		}
		bs.midAt = [2]int{loc[0], loc[1]}
		seen := map[string]bool{}
		for _, c := range m.Children {
			if c.FamilyName == "" || seen[c.FamilyName] {
				continue
			}
			seen[c.FamilyName] = true
			if !bytes.Contains(raw, []byte(c.FamilyName)) {
				// read from a base64 attachment (a PDF letter): each copy renames the child inside it
				if !bs.inAttachment(raw, []byte(c.FamilyName)) {
					b.Fatalf("%s: a family name is neither in the bytes nor in a base64 attachment", s.file)
				}
				continue
			}
			bs.surname = append(bs.surname, []byte(c.FamilyName))
		}
		out = append(out, bs)
	}
	return out
}

var (
	messageIDHeader = regexp.MustCompile(`(?im)^Message-ID:[^\r\n]*`)
	subjectHeader   = regexp.MustCompile(`(?im)^Subject:[^\r\n]*`)
)

// letters spells n in lower-case letters (names keep only letters in the identity key).
func letters(n int) []byte {
	var b []byte
	for n++; n > 0; n /= 26 {
		b = append(b, byte('a'+n%26))
	}
	return b
}

// fresh makes copy i of sample j a new message about a new child: a new Message-ID (the caller passes a new
// SES id) and a family name of its own. Without the latter every copy would be the same DSL re-sending
// about the same child within 7 days (linked, not created), and the children index would grow per child as
// no real inbox does.
func (s benchSample) fresh(i, j int) []byte {
	raw := make([]byte, 0, len(s.raw)+64)
	raw = append(raw, s.raw[:s.midAt[0]]...)
	raw = fmt.Appendf(raw, "Message-ID: <bench-%d-%d@bench.example>", i, j)
	raw = append(raw, s.raw[s.midAt[1]:]...)
	tag := letters(i*100 + j)
	// a subject of its own: a copy with the same content from the same sender is a re-send (a duplicate)
	if k := subjectHeader.FindIndex(raw); k != nil {
		raw = append(append(append(append([]byte(nil), raw[:k[1]]...), ' '), tag...), raw[k[1]:]...)
	}
	for _, n := range s.surname {
		raw = bytes.ReplaceAll(raw, n, append(append([]byte(nil), n...), tag...))
	}
	if s.inAtt != nil {
		// the same length, so that the attachment's offsets hold: the name's first letters, then the tag
		renamed := append(append([]byte(nil), s.inAtt[:1]...), tag...)
		for len(renamed) < len(s.inAtt) {
			renamed = append(renamed, 'x')
		}
		d := bytes.ReplaceAll(s.decoded, s.inAtt, renamed[:len(s.inAtt)])
		enc := base64.StdEncoding.EncodeToString(d)
		var wrapped []byte
		for len(enc) > 76 {
			wrapped = append(append(wrapped, enc[:76]...), '\r', '\n')
			enc = enc[76:]
		}
		wrapped = append(append(wrapped, enc...), '\r', '\n')
		at := [2]int{s.b64At[0] - s.midAt[1] + len(raw) - (len(s.raw) - s.midAt[1]), 0}
		at[1] = at[0] + s.b64At[1] - s.b64At[0]
		raw = append(append(append([]byte(nil), raw[:at[0]]...), wrapped...), raw[at[1]:]...)
	}
	return raw
}

// enqueueOnly is a Notifier that composes the message and puts it in the outbox (the store) — for a new
// contact, in the contact's own write (workflow.OutboxNotifier) — and sends nothing: sending is the outbox
// sweep's work, not intake's.
type enqueueOnly struct {
	c notify.Composer
	d *notify.Dispatcher
}

func (e enqueueOnly) Compose(kind domain.NoticeKind, p *policy.Policy, c *domain.Contact, extra map[string]string) (store.Notification, error) {
	return e.c.Compose(kind, p, c, notify.Extra(extra))
}

func (enqueueOnly) Flush(context.Context, domain.ContactID) error { return nil }

func (e enqueueOnly) Notify(ctx context.Context, kind domain.NoticeKind, p *policy.Policy, c *domain.Contact, extra map[string]string) error {
	n, err := e.c.Compose(kind, p, c, notify.Extra(extra))
	if err != nil {
		return err
	}
	return e.d.Enqueue(ctx, n)
}

// noStart starts nothing. The workflow (the state machine's first steps) is not part of this figure: in
// production it runs in Step Functions after StartExecution returns.
type noStart struct{}

func (noStart) Start(context.Context, workflow.Start) error { return nil }

// BenchmarkIngestEmail is end-to-end email intake: parse + extract + store (contact, keys, children index and
// audit in one write; reference number; acknowledgement enqueued; attachments kept) on the embedded store, a
// WAL-journalled SQLite file in b.TempDir(). Each iteration ingests every contact-making sample once, each as
// a new message (fresh Message-ID and SES id), and checks every result is "created". Reports emails/s;
// compare with BenchmarkEnmimeBare (run both: -bench 'IngestEmail|EnmimeBare').
func BenchmarkIngestEmail(b *testing.B) { _, _ = benchIngest(b) }

// cpuTime is the CPU time this process has used so far, every thread (the store's writer and the GC too), as
// getrusage counts it: a figure less moved than wall time by other work on a shared machine.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// sysTime is the part of cpuTime spent in the kernel (system calls: the files' creation, the WAL's writes).
func sysTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Stime.Nano())
}

// written is how many bytes this process has handed to write calls so far (/proc/self/io's wchar: the
// SQLite WAL's pages, the checkpoints, the maildrop's and outbox's files); 0 where there is no /proc.
func written() int64 {
	io, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(io), "\n") {
		if v, ok := strings.CutPrefix(line, "wchar: "); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			return n
		}
	}
	return 0
}

// benchIngest is BenchmarkIngestEmail; it returns the emails/s it reports and the CPU time per email
// (BenchmarkEndToEnd's anchors).
func benchIngest(b *testing.B) (float64, time.Duration) {
	pol, err := policy.Load(string(hackney))
	if err != nil {
		b.Fatal(err)
	}
	// The referrer as intake will see it (whose forward counts as a colleague's is the policy's inbox domain).
	corpus := benchCorpus(b, email.Options{ColleagueDomains: []string{pol.Contacts.MASHInbox.Email[strings.LastIndex(pol.Contacts.MASHInbox.Email, "@")+1:]}})
	dir := b.TempDir()
	clk := flow.NewFakeClock(london(b, "2026-11-16 10:45"))
	st, err := embedded.Open(filepath.Join(dir, "store.db"), clk.Now)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	policies := func(a domain.AuthorityID) (*policy.Policy, error) {
		if a != pol.Authority {
			return nil, domain.Errorf(domain.CodeInvalid, "unknown authority")
		}
		return pol, nil
	}
	log := slog.New(slog.DiscardHandler)
	svc := inbox.Service{Service: intake.Service{
		Env: workflow.Env{Store: st, Policies: policies, Now: clk.Now, Log: log,
			Notifier: enqueueOnly{c: notify.Composer{ConsoleURL: "http://localhost:8080", Now: clk.Now},
				d: &notify.Dispatcher{Store: st, Now: clk.Now, Log: log, Policies: policies}}},
		Blobs:   folder.Blobs{Dir: filepath.Join(dir, "blobs")},
		Starter: noStart{},
	}}
	ctx := context.Background()
	var copies atomic.Int64
	b.ReportAllocs()
	cpu0, sys0, w0 := cpuTime(b), sysTime(b), written()
	b.ResetTimer()
	// As many deliveries at once as there are cores (Lambda runs one per instance; the local runner one per
	// goroutine): parsing overlaps with the store's serialised writes.
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(copies.Add(1))
			for j, s := range corpus {
				ses := fmt.Sprintf("bench%08d%s", i, s.name)
				res, err := svc.IngestEmail(ctx, hackney, intake.RawMail{Data: s.fresh(i, j), Key: "raw/" + ses, SESMessageID: ses})
				if err != nil {
					b.Errorf("%s: %v", s.name, err)
					return
				}
				for _, r := range res {
					if r.Status != intake.StatusCreated {
						b.Errorf("%s copy %d: %s, want created", s.name, i, r.Status)
						return
					}
				}
			}
		}
	})
	b.StopTimer()
	emails := copies.Load() * int64(len(corpus))
	cpu := (cpuTime(b) - cpu0) / time.Duration(max(emails, 1))
	perSecond := float64(emails) / b.Elapsed().Seconds()
	b.ReportMetric(perSecond, "emails/s")
	b.ReportMetric(float64(cpu.Microseconds()), "cpu-µs/email")
	b.ReportMetric(float64(((sysTime(b) - sys0) / time.Duration(max(emails, 1))).Microseconds()), "sys-µs/email")
	if w := written(); w > 0 {
		b.ReportMetric(float64(w-w0)/1024/float64(max(emails, 1)), "KB-written/email")
	}
	if stats := st.Stats(); stats.Transactions > 0 {
		b.ReportMetric(float64(stats.Writes)/float64(stats.Transactions), "writes/commit")
	}
	return perSecond, cpu
}

// BenchmarkEnmimeBare is enmime.ReadEnvelope alone over the same corpus, so that the ratio
// IngestEmail emails/s ÷ EnmimeBare emails/s comes from one run. It reads with enmime's default options, which
// guess each text part's charset statistically and convert HTML to text: intake turns both off
// (shared/intake/email mimeParser), so BenchmarkEnmimeSameOptions is the fair baseline (issue #19).
func BenchmarkEnmimeBare(b *testing.B) { benchEnmime(b, enmime.NewParser()) }

// BenchmarkEnmimeSameOptions is enmime.ReadEnvelope over the same corpus with the options intake parses with:
// no charset guessing (a declared charset is the sender's word) and no HTML-to-text conversion (intake converts
// HTML itself). IngestEmail emails/s ÷ EnmimeSameOptions emails/s, one run, is issue #19's fair ratio.
func BenchmarkEnmimeSameOptions(b *testing.B) {
	benchEnmime(b, enmime.NewParser(enmime.DisableCharacterDetection(true), enmime.DisableTextConversion(true)))
}

func benchEnmime(b *testing.B, p *enmime.Parser) {
	corpus := benchCorpus(b, email.Options{})
	var copies atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			copies.Add(1)
			for _, s := range corpus {
				if _, err := p.ReadEnvelope(bytes.NewReader(s.raw)); err != nil {
					b.Error(err)
					return
				}
			}
		}
	})
	b.ReportMetric(float64(copies.Load())*float64(len(corpus))/b.Elapsed().Seconds(), "emails/s")
}
