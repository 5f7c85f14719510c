// Command portico is the GitOps engine for internal developer portals: a
// CLI today, with the GitHub App and the Action built on the same engines.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/portico-dev/portico/app/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], cli.StdIO())
	stop()
	os.Exit(code)
}
