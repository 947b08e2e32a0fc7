// Command mash is the MASH front door's command line and local all-in-one runner. Its contract (flags,
// JSON output, exit codes) is fixed in docs/cli.md: tests and scripts rely
// on it. Exit 0 on success, 1 on bad input (a message naming it on stderr), 2 on an internal failure.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := newApp(os.Stdout, os.Stderr).run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}
