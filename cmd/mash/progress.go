package main

import (
	"fmt"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// progress shows how far long work has got (ingest of many files, case imports, report generation) as a
// count on one line of stderr, rewritten in place — only when stderr is a terminal, so that pipes, files and
// scripts see nothing extra. It reads no clock: it redraws every step-th unit (about a hundred redraws in
// all) and on the last.
type progress struct {
	w           io.Writer
	label, unit string
	total, step int
	done        int
	drawn       bool
}

// isTerminal reports whether w is a terminal (a TCGETS ioctl succeeds on it: a pipe, a file or /dev/null
// fails it).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}

// newProgress counts total units of work under label on w; a nil *progress (w not a terminal) does nothing.
func newProgress(w io.Writer, label, unit string, total int) *progress {
	if !isTerminal(w) || total < 2 {
		return nil
	}
	return &progress{w: w, label: label, unit: unit, total: total, step: max(1, total/100)}
}

// add counts n more units done.
func (p *progress) add(n int) {
	if p == nil {
		return
	}
	before := p.done
	p.done = min(p.total, p.done+n)
	if p.done == p.total || p.done/p.step != before/p.step {
		fmt.Fprintf(p.w, "\r%s: %d/%d %s (%d%%)", p.label, p.done, p.total, p.unit, p.done*100/p.total)
		p.drawn = true
	}
}

// set records that done units of total are done (for work that reports its own count).
func (p *progress) set(done, total int) {
	if p == nil {
		return
	}
	p.total = max(1, total)
	p.step = max(1, p.total/100)
	p.add(done - p.done)
}

// clear blanks the progress line (before other output to the same terminal); the next count redraws it.
func (p *progress) clear() {
	if p == nil || !p.drawn {
		return
	}
	fmt.Fprint(p.w, "\r\x1b[K")
	p.drawn = false
}

// finish ends the progress line so that what follows starts on a line of its own.
func (p *progress) finish() {
	if p == nil || !p.drawn {
		return
	}
	fmt.Fprintln(p.w)
	p.drawn = false
}
