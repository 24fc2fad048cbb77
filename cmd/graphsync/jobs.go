package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/cmd/graphsync/internal/cli"
	"github.com/graphsync/graphsync/models"
)

// jobsCommand is graphsync jobs: the synchronization jobs of a service
// principal.
func jobsCommand() *cli.Command {
	return &cli.Command{
		Name:    "jobs",
		Summary: "list, read, create, start, pause, restart and delete synchronization jobs; wait for one, watch it, check its health",
		Help:    "The synchronization jobs of a service principal (-sp); a verb on one job takes -job.",
		Subcommands: append([]*cli.Command{
			{Name: "list", Summary: "list the service principal's jobs", Flags: spCommand(cli.UsesJSON, jobsList)},
			{Name: "get", Summary: "show one job: its schedule and status", Flags: spCommand(cli.UsesJob|cli.UsesJSON, jobsGet)},
			{Name: "create", Summary: "create a job from a template (it is created disabled)", Flags: jobsCreate},
			{Name: "start", Summary: "start a job, or resume a paused or quarantined one (not one that is running)", Flags: jobsStart},
			{Name: "pause", Summary: "pause a job; start resumes it", Flags: spCommand(cli.UsesJob, jobsPause)},
			{Name: "restart", Summary: "restart a job, first resetting what -reset names", Flags: jobsRestart},
			{Name: "delete", Summary: "delete a job (asks for -yes)", Flags: jobsDelete},
		}, jobsHealthCommands()...),
	}
}

// verb is a command that needs only the shared configuration and a
// connection.
type verb func(ctx context.Context, inv *cli.Invocation, env *cli.Env) error

// spCommand returns the Flags of a verb that takes the shared flags
// uses names and nothing else.
func spCommand(uses cli.Uses, v verb) func(fs *flag.FlagSet, cfg *cli.Config) cli.Run {
	return func(fs *flag.FlagSet, cfg *cli.Config) cli.Run {
		cfg.Shared(fs, uses)
		return connected(v)
	}
}

// connected runs v with a connection.
func connected(v verb) cli.Run {
	return func(ctx context.Context, inv *cli.Invocation) error {
		env, err := inv.Connect(nil)
		if err != nil {
			return err
		}
		defer env.Close()
		inv.DemoNotice(env)
		return v(ctx, inv, env)
	}
}

func jobsList(ctx context.Context, inv *cli.Invocation, env *cli.Env) error {
	jobs, err := env.Client.ListJobs(ctx, env.ServicePrincipalID)
	if err != nil {
		return err
	}
	if inv.Config.JSON {
		return inv.Out.JSON(jobs)
	}
	t := inv.Out.Table("ID", "TEMPLATE", "SCHEDULE", "INTERVAL", "STATUS", "LAST RUN")
	for _, j := range jobs {
		t.Row(j.ID, j.TemplateID, scheduleState(j), interval(j), statusCode(j), lastRun(j))
	}
	return t.Flush()
}

func jobsGet(ctx context.Context, inv *cli.Invocation, env *cli.Env) error {
	j, err := env.Client.GetJob(ctx, env.ServicePrincipalID, env.JobID)
	if err != nil {
		return err
	}
	if inv.Config.JSON {
		return inv.Out.JSON(j)
	}
	printJob(inv, j)
	return nil
}

// printJob prints a job as one field a line.
func printJob(inv *cli.Invocation, j *models.SynchronizationJob) {
	t := inv.Out.Table("FIELD", "VALUE")
	t.Row("id", j.ID)
	t.Row("templateId", j.TemplateID)
	t.Row("schedule", scheduleState(*j))
	t.Row("interval", interval(*j))
	t.Row("status", statusCode(*j))
	t.Row("last run", lastRun(*j))
	if s := j.Status; s != nil {
		if q := s.Quarantine; q != nil {
			t.Row("quarantine", fmt.Sprintf("%s since %s", q.Reason, q.CurrentBegan.Format(time.RFC3339)))
		}
		if !s.SteadyStateLastAchievedTime.IsZero() {
			t.Row("steady state", s.SteadyStateLastAchievedTime.Format(time.RFC3339))
		}
	}
	t.Flush()
}

func scheduleState(j models.SynchronizationJob) string {
	if j.Schedule == nil {
		return ""
	}
	return string(j.Schedule.State)
}

func interval(j models.SynchronizationJob) string {
	switch {
	case j.Schedule == nil:
		return ""
	case j.Schedule.Interval.IsMax():
		return "none (TimeSpan.MaxValue)" // Graph's way to say the job does not repeat
	}
	return j.Schedule.Interval.String()
}

func statusCode(j models.SynchronizationJob) string {
	if j.Status == nil {
		return ""
	}
	return string(j.Status.Code)
}

func lastRun(j models.SynchronizationJob) string {
	if j.Status == nil || j.Status.LastExecution == nil {
		return ""
	}
	e := j.Status.LastExecution
	return fmt.Sprintf("%s %s (%d imported, %d exported)", e.State, e.TimeEnded.Format(time.RFC3339), e.CountImported, e.CountExported)
}

func jobsCreate(fs *flag.FlagSet, cfg *cli.Config) cli.Run {
	cfg.Shared(fs, cli.UsesJSON)
	template := fs.String("template", "", "the template ID the job is created from (graphsync templates list)")
	return connected(func(ctx context.Context, inv *cli.Invocation, env *cli.Env) error {
		if *template == "" {
			return cli.Usagef("-template is required (graphsync templates list shows the service principal's)")
		}
		j, err := env.Client.CreateJob(ctx, env.ServicePrincipalID, models.SynchronizationJob{TemplateID: *template})
		if err != nil {
			return err
		}
		if inv.Config.JSON {
			return inv.Out.JSON(j)
		}
		printJob(inv, j)
		inv.Err.Printf("Created job %s; it is disabled until graphsync jobs start -job %s.", j.ID, j.ID)
		return nil
	})
}

func jobsStart(fs *flag.FlagSet, cfg *cli.Config) cli.Run {
	cfg.Shared(fs, cli.UsesJob)
	force := fs.Bool("force", false, "start even a job that is running (Graph warns that this can stop the service)")
	return connected(func(ctx context.Context, inv *cli.Invocation, env *cli.Env) error {
		err := env.Client.StartJob(ctx, env.ServicePrincipalID, env.JobID, &graphsync.StartOptions{Force: *force})
		if errors.Is(err, graphsync.ErrJobActive) {
			return fmt.Errorf("%w; it is not started again (-force would, which Graph warns can stop the service)", err)
		}
		if err != nil {
			return err
		}
		inv.Err.Printf("Started job %s.", env.JobID)
		return nil
	})
}

func jobsPause(ctx context.Context, inv *cli.Invocation, env *cli.Env) error {
	if err := env.Client.PauseJob(ctx, env.ServicePrincipalID, env.JobID); err != nil {
		return err
	}
	inv.Err.Printf("Paused job %s.", env.JobID)
	return nil
}

func jobsRestart(fs *flag.FlagSet, cfg *cli.Config) cli.Run {
	cfg.Shared(fs, cli.UsesJob)
	reset := fs.String("reset", "", "what to reset first, comma-separated: Full, Watermark, Escrows, QuarantineState, ConnectorDataStore, ForceDeletes (default none)")
	return func(ctx context.Context, inv *cli.Invocation) error {
		scope := models.ResetNone
		if *reset != "" {
			s, err := models.ParseResetScope(*reset)
			if err != nil {
				return cli.Usagef("-reset: %v", err)
			}
			scope = s
		}
		return connected(func(ctx context.Context, inv *cli.Invocation, env *cli.Env) error {
			if err := env.Client.RestartJob(ctx, env.ServicePrincipalID, env.JobID, scope); err != nil {
				return err
			}
			inv.Err.Printf("Restarted job %s (reset: %s).", env.JobID, scope)
			return nil
		})(ctx, inv)
	}
}

func jobsDelete(fs *flag.FlagSet, cfg *cli.Config) cli.Run {
	cfg.Shared(fs, cli.UsesJob)
	yes := fs.Bool("yes", false, "delete without asking: the job, its schema and its state are gone")
	return func(ctx context.Context, inv *cli.Invocation) error {
		if !*yes {
			return cli.Usagef("deleting a job loses its schema and state; give -yes to delete it")
		}
		return connected(func(ctx context.Context, inv *cli.Invocation, env *cli.Env) error {
			if err := env.Client.DeleteJob(ctx, env.ServicePrincipalID, env.JobID); err != nil {
				return err
			}
			inv.Err.Printf("Deleted job %s.", env.JobID)
			return nil
		})(ctx, inv)
	}
}
