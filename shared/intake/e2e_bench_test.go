package intake_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/flow"
	"github.com/safeguarding/mash/shared/intake"
	"github.com/safeguarding/mash/shared/intake/email"
	"github.com/safeguarding/mash/shared/local"
	"github.com/safeguarding/mash/shared/policy"
	"github.com/safeguarding/mash/shared/store/embedded"
)

// BenchmarkEndToEnd is `mash run`'s code path from the maildrop to each contact's first wait on a person
// (issue #19): b.N copies of the contact-making samples (each copy a new message about new children, as
// BenchmarkIngestEmail makes them) are dropped as .eml files into the maildrop, then one scan ingests them
// (shared/local Maildrop: its workers) and each contact's workflow runs on the local executor — routing,
// screening, the tray — until it waits (awaiting a rating, or the wait its route gives it), acknowledgements
// written to the outbox folder, execution snapshots saved; then one tick — a pass of `mash run` in its steady
// state (the start's pass, with its tick's reconciliation over an empty store, is run first, untimed). The
// embedded store is a WAL file.
// Writing the files is not timed. It reports contacts/s and emails/s, and the ratio of its emails/s to
// BenchmarkIngestEmail's, run first in the same invocation (sub-benchmark "ingest").
func BenchmarkEndToEnd(b *testing.B) {
	var ingest float64
	var ingestCPU time.Duration
	b.Run("ingest", func(b *testing.B) { ingest, ingestCPU = benchIngest(b) })
	b.Run("mash-run", func(b *testing.B) {
		pol, err := policy.Load(string(hackney))
		if err != nil {
			b.Fatal(err)
		}
		corpus := benchCorpus(b, email.Options{ColleagueDomains: []string{pol.Contacts.MASHInbox.Email[strings.LastIndex(pol.Contacts.MASHInbox.Email, "@")+1:]}})
		dir := b.TempDir()
		clk := flow.NewFakeClock(london(b, "2026-11-16 10:45")) // a Monday, open
		st, err := embedded.Open(filepath.Join(dir, "store.db"), clk.Now)
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		ctx := context.Background()
		s, err := local.New(ctx, local.Options{Dir: dir, OutboxDir: filepath.Join(dir, "outbox"), Store: st, Clock: clk,
			Log: slog.New(slog.DiscardHandler), ConsoleURL: "http://localhost:8080"})
		if err != nil {
			b.Fatal(err)
		}
		inbox := filepath.Join(dir, "inbox")
		if err := os.MkdirAll(inbox, 0o700); err != nil {
			b.Fatal(err)
		}
		// Each copy is a delivery of its own: SES's id in its Received header (what the maildrop keys a delivery
		// by when no SES event names it) is a new one, as SES gives every delivery.
		sesIDs := make([][]byte, len(corpus))
		for j, smp := range corpus {
			m, err := email.Parse(smp.raw, email.Options{})
			if err != nil {
				b.Fatal(err)
			}
			sesIDs[j] = []byte(m.SESMessageID)
		}
		sysFiles := sysTime(b)
		for i := range b.N {
			for j, smp := range corpus {
				raw := smp.fresh(i+1, j)
				if len(sesIDs[j]) > 0 {
					raw = bytes.Replace(raw, sesIDs[j], fmt.Appendf(nil, "%040x", (i+1)*100+j), 1)
				}
				if err := os.WriteFile(filepath.Join(inbox, fmt.Sprintf("%08d-%02d.eml", i, j)), raw, 0o600); err != nil {
					b.Fatal(err)
				}
			}
		}
		// The kernel's time to make one file in the state folder's file system at this moment, from the writing
		// of the maildrop's files (untimed): what each acknowledgement's outbox file costs it too. On ext4
		// without a journal (this machine's disk) it grows with the files deleted in the same inode group in
		// the last minutes — other processes', and the last run's of this benchmark (README, issue #19).
		newFile := (sysTime(b) - sysFiles) / time.Duration(b.N*len(corpus))
		drop := local.Maildrop{Dir: inbox, Authority: hackney, Intake: s.Intake}
		// mash run's first pass at start (an empty store): its tick runs the sweep's reconciliation, which then
		// runs every 5 minutes of the clock (local.ReconcileEvery), not on the passes that ingest mail.
		if err := s.Tick(ctx); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		before := st.Stats()
		cpu0, sys0, w0 := cpuTime(b), sysTime(b), written()
		b.ResetTimer()
		out, err := drop.Scan(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Tick(ctx); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		cpu, sys, w := cpuTime(b)-cpu0, sysTime(b)-sys0, written()-w0
		after := st.Stats()
		contacts := 0
		for _, fr := range out {
			if fr.Err != nil {
				b.Fatalf("%s: %v", fr.File, fr.Err)
			}
			for _, r := range fr.Results {
				if r.Status != intake.StatusCreated {
					b.Fatalf("%s: %s (%s), want created", fr.File, r.Status, r.Reason)
				}
				c, err := st.GetContact(ctx, r.ContactID)
				if err != nil {
					b.Fatal(err)
				}
				if c.Status == domain.StatusReceived || c.Status == domain.StatusScreening {
					b.Fatalf("%s: contact %s, not at a wait", fr.File, c.Status)
				}
				if _, status := s.Path(r.ContactID); status != flow.Running {
					b.Fatalf("%s: execution %s, want running at its wait", fr.File, status)
				}
				contacts++
			}
		}
		if len(out) != b.N*len(corpus) {
			b.Fatalf("%d files ingested, want %d", len(out), b.N*len(corpus))
		}
		emails := float64(len(out)) / b.Elapsed().Seconds()
		b.ReportMetric(float64(contacts)/b.Elapsed().Seconds(), "contacts/s")
		b.ReportMetric(emails, "emails/s")
		perEmail := cpu / time.Duration(max(len(out), 1))
		b.ReportMetric(float64(perEmail.Microseconds()), "cpu-µs/email")
		// of which the kernel's: on this machine mostly the file system making each acknowledgement's outbox
		// file, which ingest does not write (README, issue #19)
		b.ReportMetric(float64((sys / time.Duration(max(len(out), 1))).Microseconds()), "sys-µs/email")
		b.ReportMetric(float64(newFile.Microseconds()), "sys-µs/new-file")
		if w > 0 {
			b.ReportMetric(float64(w)/1024/float64(len(out)), "KB-written/email")
		}
		if ingest > 0 {
			b.ReportMetric(emails/ingest, "×ingest")
			// the same ratio in CPU time per email (ingest's ÷ this one's): what the wall-clock ratio would be
			// with both using the cores alike, less moved by the machine's other work
			b.ReportMetric(float64(ingestCPU)/float64(perEmail), "×ingest-cpu")
		}
		if contacts > 0 {
			// The store's writer: SQLite commits and writes per contact (group commit puts several writes in one).
			b.ReportMetric(float64(after.Transactions-before.Transactions)/float64(contacts), "commits/contact")
			b.ReportMetric(float64(after.Writes-before.Writes)/float64(contacts), "writes/contact")
		}
	})
}
