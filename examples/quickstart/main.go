// Command quickstart walks a synchronization job through its life: create
// it from a template, list the jobs, start it, read its status, pause it
// and delete it.
//
// With AZURE_TENANT_ID, AZURE_CLIENT_ID (plus AZURE_CLIENT_SECRET or
// another DefaultAzureCredential source) and GRAPHSYNC_SERVICE_PRINCIPAL_ID
// set, it runs against real Microsoft Graph (GRAPHSYNC_TEMPLATE_ID picks
// the template; default: the service principal's first). Otherwise it runs
// against an in-process fake Graph, offline.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/graphsync/graphsync/examples/internal/demo"
	"github.com/graphsync/graphsync/models"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	env, err := demo.Connect(nil, nil, nil)
	if err != nil {
		return err
	}
	defer env.Close()
	if env.Fake != nil {
		fmt.Println("No AZURE_* credentials: using an in-process fake Graph at", env.Fake.URL)
	}
	c, sp := env.Client, env.ServicePrincipalID

	template := os.Getenv("GRAPHSYNC_TEMPLATE_ID")
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
	fmt.Printf("created  %s (template %s): schedule %s, status %s\n", job.ID, job.TemplateID, job.Schedule.State, job.Status.Code)
	// Whatever happens next, do not leave the job behind.
	defer func() {
		if err := c.DeleteJob(context.WithoutCancel(ctx), sp, job.ID); err != nil {
			fmt.Fprintln(os.Stderr, "delete job:", err)
			return
		}
		fmt.Println("deleted ", job.ID)
	}()

	jobs, err := c.ListJobs(ctx, sp)
	if err != nil {
		return fmt.Errorf("list jobs: %w", err)
	}
	fmt.Printf("listed   %d job(s) on %s\n", len(jobs), sp)

	if err := c.StartJob(ctx, sp, job.ID); err != nil {
		return fmt.Errorf("start job: %w", err)
	}
	job, err = c.GetJob(ctx, sp, job.ID)
	if err != nil {
		return fmt.Errorf("get job: %w", err)
	}
	fmt.Printf("started  schedule %s, status %s, interval %s\n", job.Schedule.State, job.Status.Code, describe(job.Schedule.Interval))
	if e := job.Status.LastExecution; e != nil {
		fmt.Printf("         last run %s, %d imported, %d exported\n", e.State, e.CountImported, e.CountExported)
	}

	if err := c.PauseJob(ctx, sp, job.ID); err != nil {
		return fmt.Errorf("pause job: %w", err)
	}
	job, err = c.GetJob(ctx, sp, job.ID)
	if err != nil {
		return fmt.Errorf("get job: %w", err)
	}
	fmt.Printf("paused   schedule %s, status %s\n", job.Schedule.State, job.Status.Code)
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
