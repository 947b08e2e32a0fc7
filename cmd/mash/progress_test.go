package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/clock"
	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal: what is written to tty is read from the returned reader's result.
func openPTY(t *testing.T) (tty *os.File, output func() string) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("no pseudo-terminal here: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	tty, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan string)
	go func() {
		b, _ := io.ReadAll(m) // ends with EIO once the terminal side is closed
		done <- string(b)
	}()
	t.Cleanup(func() { m.Close() })
	return tty, func() string { tty.Close(); return <-done }
}

// Issue #16 §5: `mash ingest` of many files shows a count on a terminal and stays quiet in a pipe.
func TestProgress_IngestCountsOnATerminalOnly(t *testing.T) {
	files := []string{"../../events/email/household-three-children.eml", "../../events/email/school-dsl-referral.eml",
		"../../events/email/spam-flagged.eml", "../../events/email/lado-teacher-allegation.eml"}
	at := time.Date(2027, 3, 10, 10, 0, 0, 0, time.UTC)
	ingest := func(stderr io.Writer) (string, int) {
		var out bytes.Buffer
		a := newApp(&out, stderr)
		a.now = clock.Fixed(at)
		state := t.TempDir()
		code := a.run(context.Background(), append([]string{"ingest", "--authority", "hackney", "--state", state}, files...))
		return out.String(), code
	}

	tty, output := openPTY(t)
	out, code := ingest(tty)
	shown := output()
	if code != 0 || strings.Count(out, "\n") != 6 {
		t.Fatalf("exit %d, stdout:\n%s", code, out)
	}
	if !strings.Contains(shown, "\rmash ingest: 4/4 files (100%)") || !strings.Contains(shown, "mash ingest: 1/4 files (25%)") {
		t.Errorf("the terminal shows no count: %q", shown)
	}

	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	out, code = ingest(w)
	w.Close()
	piped, _ := io.ReadAll(r)
	if code != 0 || strings.Count(out, "\n") != 6 || strings.Contains(string(piped), "mash ingest:") || strings.Contains(string(piped), "\r") {
		t.Errorf("a pipe got %q (exit %d)", piped, code)
	}
}

// The count redraws about a hundred times however long the work, and always shows the last unit.
func TestProgress_RedrawsAboutAHundredTimes(t *testing.T) {
	var b bytes.Buffer
	p := &progress{w: &b, label: "x", unit: "rows", total: 10000, step: 100}
	for range 10000 {
		p.add(1)
	}
	p.finish()
	if n := strings.Count(b.String(), "\r"); n != 100 || !strings.HasSuffix(b.String(), "\rx: 10000/10000 rows (100%)\n") {
		t.Errorf("%d redraws, ending %q", n, b.String()[max(0, b.Len()-40):])
	}
	if newProgress(&b, "x", "rows", 10) != nil {
		t.Error("a buffer is not a terminal")
	}
}
