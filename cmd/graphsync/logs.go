package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/graphsync/graphsync/cmd/graphsync/internal/cli"
	"github.com/graphsync/graphsync/cmd/graphsync/internal/report"
	"github.com/graphsync/graphsync/models"
)

// logsCommand is graphsync logs: the provisioning logs, selected with
// Graph's documented filters, once or followed.
func logsCommand() *cli.Command {
	return &cli.Command{
		Name:    "logs",
		Summary: "read the provisioning logs (typed filters; -follow for new events)",
		Help: `Print the provisioning events the filters select, oldest first: what the
provisioning service did with each object, with Graph's error and recommended
action. -follow keeps reading new events every -poll until interrupted (exit 3);
it shows an event that appears in the logs up to an hour after it happened.
The caller needs AuditLog.Read.All.`,
		Flags: logsFlags,
		Subcommands: []*cli.Command{
			{Name: "stats", Summary: "one cycle in numbers: its events by action and status, and its top error codes", Flags: logsStats,
				Help: `Count the provisioning events of one cycle (-cycle, the cycleId of its events,
as graphsync logs -json shows them), by action and status, and list its most
frequent error codes (-top) with an example reason each. Events are read a page at a time, however many there are.
-job narrows them to one job. The caller needs AuditLog.Read.All.`},
		},
	}
}

func logsFlags(fs *flag.FlagSet, cfg *cli.Config) cli.Run {
	cfg.Shared(fs, cli.UsesJobFilter|cli.UsesJSON)
	var (
		q      models.ProvisioningLogQuery
		since  = fs.Duration("since", 0, "events of this long before now (an alternative to -after)")
		after  = fs.String("after", "", "events after this time (RFC 3339)")
		before = fs.String("before", "", "events before this time (RFC 3339)")
		follow = fs.Bool("follow", false, "keep reading new events until interrupted")
		poll   = fs.Duration("poll", 30*time.Second, "with -follow, how often to read new events")
	)
	fs.StringVar(&q.CycleID, "cycle", "", "events of this cycle")
	fs.StringVar(&q.ChangeID, "change", "", "events of this change")
	fs.StringVar(&q.SourceIdentityID, "source-id", "", "events of this source object (for inbound provisioning, the externalId)")
	fs.StringVar(&q.SourceIdentityName, "source-name", "", "events of the source object with this display name")
	fs.StringVar(&q.TargetIdentityID, "target-id", "", "events of this target object")
	fs.StringVar(&q.TargetIdentityName, "target-name", "", "events of the target object with this display name")
	fs.StringVar(&q.InitiatedByName, "initiated-by", "", "events initiated by this (display name)")
	fs.StringVar(&q.ServicePrincipalID, "sp-filter", "", "events of this service principal (a filter; -sp names the caller's)")
	fs.Func("status", "events with this status: success, failure, skipped or warning", func(v string) error {
		q.Status = models.LogStatus(v)
		return nil
	})
	fs.Func("action", "events of this provisioning action: create, update, delete, disable, stagedDelete or other", func(v string) error {
		q.ProvisioningAction = models.LogAction(v)
		return nil
	})
	fs.StringVar(&q.Contains.SourceIdentityName, "source-name-contains", "", "events whose source object's display name contains this")
	fs.StringVar(&q.Contains.TargetIdentityName, "target-name-contains", "", "events whose target object's display name contains this")
	fs.DurationVar(&q.LongerThan, "longer-than", 0, "events that took longer than this (beta)")
	newest := fs.Bool("newest-first", false, "newest events first (Graph's $orderby=activityDateTime desc)")
	fs.IntVar(&q.Top, "top", 0, "page size (1 to 1000; default Graph's)")
	return func(ctx context.Context, inv *cli.Invocation) error {
		var err error
		if *since < 0 || *poll <= 0 {
			return cli.Usagef("-since must not be negative, -poll must be positive")
		}
		if *since > 0 && *after != "" {
			return cli.Usagef("give -since or -after, not both")
		}
		if *since > 0 {
			q.After = time.Now().Add(-*since)
		}
		if q.After.IsZero() && *after != "" {
			if q.After, err = time.Parse(time.RFC3339, *after); err != nil {
				return cli.Usagef("-after: %v", err)
			}
		}
		if *before != "" {
			if q.Before, err = time.Parse(time.RFC3339, *before); err != nil {
				return cli.Usagef("-before: %v", err)
			}
		}
		if *follow && inv.Config.JSON {
			return cli.Usagef("-follow prints a table as events come; -json prints one array and cannot follow")
		}
		if *newest {
			if *follow {
				return cli.Usagef("-follow reads the oldest new events first; -newest-first cannot follow")
			}
			q.OrderBy = models.LogNewestFirst
		}
		return connected(func(ctx context.Context, inv *cli.Invocation, env *cli.Env) error {
			q.JobID = env.JobID
			if err := q.Validate(); err != nil {
				return cli.Usagef("%v", err)
			}
			if inv.Config.JSON {
				evs, err := env.Client.ListProvisioningLogs(ctx, q)
				if err != nil {
					return err
				}
				return inv.Out.JSON(evs)
			}
			seen := map[string]time.Time{}
			header := true
			for {
				n, err := printEvents(ctx, inv, env, q, seen, header)
				if err != nil {
					return err
				}
				if !*follow {
					if n == 0 {
						inv.Err.Println("No events.")
					}
					return nil
				}
				header = header && n == 0
				followFrom(&q, seen)
				t := time.NewTimer(*poll)
				select {
				case <-ctx.Done():
					t.Stop()
					return ctx.Err()
				case <-t.C:
				}
			}
		})(ctx, inv)
	}
}

// followLag is how late an event may appear in the logs after it
// happened and still be shown by -follow: each read asks for the events
// since the newest seen less followLag, and forgets the ones before, so
// that what a follow keeps and reads stays bounded.
const followLag = time.Hour

// followFrom moves q's start to followLag before the newest event seen,
// and forgets the events before it.
func followFrom(q *models.ProvisioningLogQuery, seen map[string]time.Time) {
	var newest time.Time
	for _, at := range seen {
		if at.After(newest) {
			newest = at
		}
	}
	if from := newest.Add(-followLag); from.After(q.After) {
		q.After = from
		for k, at := range seen {
			if !at.After(from) {
				delete(seen, k)
			}
		}
	}
}

// printEvents prints the events q selects that are not in seen, as rows
// (the column heads first when header), and returns how many it printed.
func printEvents(ctx context.Context, inv *cli.Invocation, env *cli.Env, q models.ProvisioningLogQuery, seen map[string]time.Time, header bool) (int, error) {
	var t *report.Table
	n := 0
	for ev, err := range env.Client.ProvisioningLogs(ctx, q) {
		if err != nil {
			return n, err
		}
		if _, ok := seen[ev.Key()]; ok {
			continue
		}
		seen[ev.Key()] = ev.ActivityDateTime
		if t == nil {
			if header {
				t = inv.Out.Table("TIME", "ACTION", "STATUS", "SOURCE", "TARGET", "CYCLE", "ERROR CODE", "REASON")
			} else {
				t = inv.Out.Rows(8)
			}
		}
		t.Row(eventRow(ev)...)
		n++
	}
	if t != nil {
		return n, t.Flush()
	}
	return n, nil
}

func eventRow(ev models.ProvisioningObjectSummary) []any {
	status, code, reason := "", "", ""
	if si := ev.ProvisioningStatusInfo; si != nil {
		status = string(si.Status)
		if ei := si.ErrorInformation; ei != nil {
			code, reason = ei.ErrorCode, ei.Reason
		}
	}
	return []any{ev.ActivityDateTime.UTC().Format(time.RFC3339), ev.ProvisioningAction, status,
		identity(ev.SourceIdentity), identity(ev.TargetIdentity), ev.CycleID, code, reason}
}

func identity(id *models.ProvisionedIdentity) string {
	switch {
	case id == nil:
		return ""
	case id.DisplayName != "" && id.ID != "":
		return fmt.Sprintf("%s (%s)", id.DisplayName, id.ID)
	case id.ID != "":
		return id.ID
	}
	return id.DisplayName
}
