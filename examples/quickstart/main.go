// Command quickstart walks a synchronization job through its life: create
// it from a template, list the jobs, start it, read its status, pause it
// and delete it.
//
// It runs against real Microsoft Graph when the environment names it (any
// AZURE_* or GRAPHSYNC_* variable, or -sp): the service principal is -sp
// or GRAPHSYNC_SERVICE_PRINCIPAL_ID, the credential azidentity's
// DefaultAzureCredential, the template -template or GRAPHSYNC_TEMPLATE_ID
// (default: the service principal's first). Because it changes the
// tenant, it asks for confirmation first (or takes -yes). Otherwise, or
// with -demo, it runs against an in-process fake Graph, offline.
//
// Exit status: 0 done, 1 a call failed, 2 bad usage or declined.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/graphsync/graphsync/examples/internal/demo"
	"github.com/graphsync/graphsync/models"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

type usageError struct{ error }

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sp := fs.String("sp", os.Getenv("GRAPHSYNC_SERVICE_PRINCIPAL_ID"), "service principal ID (real Graph)")
	template := fs.String("template", os.Getenv("GRAPHSYNC_TEMPLATE_ID"), "template ID (default: the service principal's first)")
	yes := fs.Bool("yes", false, "do not ask before changing a real tenant")
	forceDemo := fs.Bool("demo", false, "run against an in-process fake Graph, whatever the environment says")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	spGiven := false
	fs.Visit(func(f *flag.Flag) { spGiven = spGiven || f.Name == "sp" })
	err := quickstart(ctx, stdin, stdout, *sp, *template, *yes, !*forceDemo && (spGiven || demo.Configured()))
	var ue usageError
	switch {
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, "quickstart:", err)
		return 2
	case err != nil:
		fmt.Fprintln(stderr, "quickstart:", err)
		return 1
	}
	return 0
}

func quickstart(ctx context.Context, stdin io.Reader, stdout io.Writer, spID, template string, yes, real bool) error {
	if real && spID == "" {
		return usageError{errors.New("real Graph is configured but the service principal is missing (-sp or GRAPHSYNC_SERVICE_PRINCIPAL_ID)")}
	}
	if real && !yes {
		fmt.Fprintf(stdout, "This creates, starts, pauses and deletes a synchronization job on service principal %s in your tenant. Continue? [y/N] ", spID)
		answer, _ := bufio.NewReader(stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			return usageError{errors.New("not confirmed; nothing was changed (use -yes to skip the question)")}
		}
	}
	env, err := demo.Connect(nil, nil, nil, real, spID)
	if err != nil {
		return err
	}
	defer env.Close()
	if env.Fake != nil {
		fmt.Fprintln(stdout, "Offline: using an in-process fake Graph at", env.Fake.URL)
	}
	c, sp := env.Client, env.ServicePrincipalID

	if template == "" {
		templates, err := c.ListTemplates(ctx, sp)
		if err != nil {
			return fmt.Errorf("list templates: %w", err)
		}
		if len(templates) == 0 {
			return fmt.Errorf("service principal %s has no synchronization templates", sp)
		}
		template = templates[0].ID
	}

	job, err := c.CreateJob(ctx, sp, models.SynchronizationJob{TemplateID: template})
	if err != nil {
		return fmt.Errorf("create job: %w", err)
	}
	fmt.Fprintf(stdout, "created  %s (template %s): schedule %s, status %s\n", job.ID, job.TemplateID, job.Schedule.State, job.Status.Code)
	// Whatever happens next, do not leave the job behind.
	defer func() {
		if err := c.DeleteJob(context.WithoutCancel(ctx), sp, job.ID); err != nil {
			fmt.Fprintln(stdout, "delete job:", err)
			return
		}
		fmt.Fprintln(stdout, "deleted ", job.ID)
	}()

	jobs, err := c.ListJobs(ctx, sp)
	if err != nil {
		return fmt.Errorf("list jobs: %w", err)
	}
	fmt.Fprintf(stdout, "listed   %d job(s) on %s\n", len(jobs), sp)

	if err := c.StartJob(ctx, sp, job.ID, nil); err != nil {
		return fmt.Errorf("start job: %w", err)
	}
	job, err = c.GetJob(ctx, sp, job.ID)
	if err != nil {
		return fmt.Errorf("get job: %w", err)
	}
	fmt.Fprintf(stdout, "started  schedule %s, status %s, interval %s\n", job.Schedule.State, job.Status.Code, describe(job.Schedule.Interval))
	if e := job.Status.LastExecution; e != nil {
		fmt.Fprintf(stdout, "         last run %s, %d imported, %d exported\n", e.State, e.CountImported, e.CountExported)
	}

	if err := c.PauseJob(ctx, sp, job.ID); err != nil {
		return fmt.Errorf("pause job: %w", err)
	}
	job, err = c.GetJob(ctx, sp, job.ID)
	if err != nil {
		return fmt.Errorf("get job: %w", err)
	}
	fmt.Fprintf(stdout, "paused   schedule %s, status %s\n", job.Schedule.State, job.Status.Code)
	return nil
}

func describe(d models.Duration) string {
	if d.IsMax() {
		return "never (TimeSpan.MaxValue)"
	}
	if v, err := d.Duration(); err == nil {
		return v.String()
	}
	return d.String()
}
