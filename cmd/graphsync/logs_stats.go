package main

import (
	"context"
	"flag"
	"time"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/cmd/graphsync/internal/cli"
	"github.com/graphsync/graphsync/models"
)

// logsStats is graphsync logs stats: one cycle in numbers.
func logsStats(fs *flag.FlagSet, cfg *cli.Config) cli.Run {
	cfg.Shared(fs, cli.UsesJobFilter|cli.UsesJSON)
	cycle := fs.String("cycle", "", "the cycle to count (required)")
	top := fs.Int("top", 5, "how many error codes to list")
	return func(ctx context.Context, inv *cli.Invocation) error {
		if *cycle == "" {
			return cli.Usagef("-cycle is required: the cycleId of the events to count")
		}
		if *top < 1 {
			return cli.Usagef("-top must be at least 1")
		}
		return connected(func(ctx context.Context, inv *cli.Invocation, env *cli.Env) error {
			s, err := env.Client.CountCycle(ctx, models.ProvisioningLogQuery{CycleID: *cycle, JobID: env.JobID})
			if err != nil {
				return err
			}
			s.Errors = s.TopErrors(*top)
			if inv.Config.JSON {
				return inv.Out.JSON(s)
			}
			if s.Events == 0 {
				inv.Err.Printf("No events of cycle %s.", *cycle)
				return nil
			}
			inv.Out.Printf("Cycle %s of job %s: %d event(s) from %s to %s", s.CycleID, s.JobID, s.Events,
				s.First.UTC().Format(time.RFC3339), s.Last.UTC().Format(time.RFC3339))
			t := inv.Out.Table("ACTION", "STATUS", "EVENTS")
			for _, c := range s.Counts {
				t.Row(c.Action, c.Status, c.Count)
			}
			if err := t.Flush(); err != nil {
				return err
			}
			if s.OtherEvents > 0 {
				inv.Out.Printf("and %d event(s) of other actions and statuses (past %d pairs, or longer than 256 bytes)", s.OtherEvents, graphsync.MaxCycleCounts)
			}
			if len(s.Errors) > 0 {
				t = inv.Out.Table("ERROR CODE", "EVENTS", "EXAMPLE REASON")
				for _, e := range s.Errors {
					t.Row(e.Code, e.Count, e.Reason)
				}
				if err := t.Flush(); err != nil {
					return err
				}
			}
			if s.OtherErrors > 0 {
				inv.Out.Printf("and %d failure(s) under codes not counted one by one (past %d distinct codes, or longer than 256 bytes)", s.OtherErrors, graphsync.MaxCycleErrorCodes)
			}
			return nil
		})(ctx, inv)
	}
}
