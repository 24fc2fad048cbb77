// Command graphsync is the operator's tool for Microsoft Graph
// synchronization: provision users and groups on demand, upload HR records
// to API-driven inbound provisioning, manage jobs, templates, schemas and
// secrets, read the provisioning logs, and run a fake Graph any client
// can test against.
//
//	graphsync <command> [<subcommand>] [flags]
//
// Every command resolves its configuration the same way, each flag over
// its environment variable: -sp (GRAPHSYNC_SERVICE_PRINCIPAL_ID), -job
// (GRAPHSYNC_JOB_ID), GRAPHSYNC_CLOUD, GRAPHSYNC_GRAPH_URL (another Graph
// base URL: https, or http on loopback), GRAPHSYNC_TOKEN (a bearer token
// used as it is, never logged) or azidentity's AZURE_* variables
// (DefaultAzureCredential). With none of them, or with -demo, a command
// runs against an in-process fake Graph and says so; with some but not
// all it stops, naming what is missing.
//
// Results go to standard output (a table, or -json in Graph's JSON
// shape), diagnostics to standard error; everything printed that came
// from a server or an input file is shown, never interpreted by the
// terminal. Exit status: 0 done, 1 something failed or was left undone, 2
// bad usage or configuration (nothing was sent), 3 interrupted. `go run`
// turns every non-zero status into 1: build the command where the status
// matters. -h prints the help of every command and group.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/graphsync/graphsync/cmd/graphsync/internal/cli"
	"github.com/graphsync/graphsync/cmd/graphsync/internal/provision"
	"github.com/graphsync/graphsync/cmd/graphsync/internal/upload"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Execute(ctx, root(), "graphsync", os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// root is the command tree.
func root() *cli.Command {
	return &cli.Command{
		Name: "graphsync",
		Help: `graphsync: provisioning with Microsoft Graph's synchronization API, from the
command line. Without configuration every command runs an offline demo.

Configuration (each flag over its variable): -sp GRAPHSYNC_SERVICE_PRINCIPAL_ID,
-job GRAPHSYNC_JOB_ID, GRAPHSYNC_CLOUD, GRAPHSYNC_GRAPH_URL, GRAPHSYNC_TOKEN, and
azidentity's AZURE_* variables. Exit status: 0 done, 1 failed or left undone,
2 bad usage or configuration (nothing sent), 3 interrupted.`,
		Subcommands: []*cli.Command{
			provision.Command(),
			upload.Command(),
			jobsCommand(),
			templatesCommand(),
			schemaCommand(),
			secretsCommand(),
			logsCommand(),
			fakeGraphCommand(),
			versionCommand(),
		},
	}
}
