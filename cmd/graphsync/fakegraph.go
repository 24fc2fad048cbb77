package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"net"
	"time"

	"github.com/graphsync/graphsync/cmd/graphsync/internal/cli"
	"github.com/graphsync/graphsync/cmd/graphsync/internal/demotenant"
	"github.com/graphsync/graphsync/graphtest"
)

// fakeGraphCommand is graphsync fake-graph: the demo tenant on a fake
// Graph served over HTTP, for graphsync itself, the official SDKs,
// PowerShell or curl, and a control API for tests in any language.
func fakeGraphCommand() *cli.Command {
	return &cli.Command{
		Name:    "fake-graph",
		Summary: "serve a fake Graph with the demo tenant, for tests in any language",
		Help: `Serve graphtest, a fake Microsoft Graph, with the demo tenant: a service
principal with a provisioning job and an API-driven inbound job, and the
sample users and group. Before serving it prints these lines on stdout, one
each, NAME=value: GRAPHSYNC_GRAPH_URL, GRAPHSYNC_TOKEN,
GRAPHSYNC_SERVICE_PRINCIPAL_ID, GRAPHSYNC_JOB_ID, GRAPHSYNC_INBOUND_JOB_ID;
then it serves until SIGINT or SIGTERM (exit 0).

Limits are Graph's (5 provisionOnDemand per 10 s, 40 bulkUpload per second)
unless -fast (5 provisionOnDemand per second, as the demo). With -cycle D a
started job runs simulated cycles of D each: its initial cycle over the
sample users and group, with progress, then incremental ones, writing their
provisioning events; without, a started job is in steady state at once. A
control API under /_graphtest/ (same token) injects faults, adds users and
groups, puts a job in quarantine or makes it escrow entries, and lists the
requests received: see the README.`,
		Flags: func(fs *flag.FlagSet, cfg *cli.Config) cli.Run {
			addr := fs.String("addr", "127.0.0.1:0", "address to listen on (port 0 picks a free one)")
			fast := fs.Bool("fast", false, "allow 5 provisionOnDemand calls per second instead of Graph's 5 per 10 s")
			cycle := fs.Duration("cycle", 0, "the length of a started job's simulated cycles (0: none, steady state at once)")
			return func(ctx context.Context, inv *cli.Invocation) error {
				if *cycle < 0 {
					return cli.Usagef("-cycle must not be negative")
				}
				return serveFakeGraph(ctx, inv, *addr, *fast, *cycle)
			}
		},
	}
}

func serveFakeGraph(ctx context.Context, inv *cli.Invocation, addr string, fast bool, cycle time.Duration) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return cli.Usagef("-addr: %v", err)
	}
	token := make([]byte, 16)
	if _, err := rand.Read(token); err != nil {
		l.Close()
		return err
	}
	opts := &graphtest.Options{Listener: l, Token: "fake-graph-" + hex.EncodeToString(token), ControlAPI: true, CycleLength: cycle}
	if fast {
		opts.ProvisionWindow = cli.DemoProvisionWindow
	}
	t, err := demotenant.New(opts)
	if err != nil {
		return err
	}
	defer t.Close()
	for _, kv := range [][2]string{
		{"GRAPHSYNC_GRAPH_URL", t.Server.URL},
		{"GRAPHSYNC_TOKEN", t.Server.Token()},
		{"GRAPHSYNC_SERVICE_PRINCIPAL_ID", t.ServicePrincipalID},
		{"GRAPHSYNC_JOB_ID", t.JobID},
		{"GRAPHSYNC_INBOUND_JOB_ID", t.InboundJobID},
	} {
		inv.Out.Printf("%s=%s", kv[0], kv[1])
	}
	limit := "Graph's limits (5 provisionOnDemand per 10 s, 40 bulkUpload per second)"
	if fast {
		limit = "5 provisionOnDemand per second (-fast), 40 bulkUpload per second"
	}
	inv.Err.Printf("fake Graph serving at %s with %s since %s; SIGINT or SIGTERM stops it.",
		t.Server.URL, limit, time.Now().UTC().Format(time.RFC3339))
	<-ctx.Done()
	inv.Err.Println(fmt.Sprintf("fake Graph at %s stopped.", t.Server.URL))
	return nil
}
