// Package readme holds the Go code that README.md shows, so that it is
// compiled with the rest of the module and cannot drift: each README
// snippet is a region of a file of this package (or of another file of the
// repository) between "// README:begin NAME" and "// README:end", and
// TestREADMESnippetsAreCompiledCode checks that the README shows every
// region exactly, and nothing else. Edit the code here, then copy it to
// the README (the test says what differs).
package readme

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/models"
)

// NewClient returns a Client for the global cloud with azidentity's
// default credential.
func NewClient() *graphsync.Client {
	// README:begin client
	cred, err := azidentity.NewDefaultAzureCredential(nil)
	if err != nil {
		log.Fatal(err)
	}
	client, err := graphsync.NewClient(cred, nil) // global cloud, v1.0, 5-per-10-s limiter
	if err != nil {
		log.Fatal(err)
	}
	// README:end
	return client
}

// README:begin onboard
// onboard creates and starts a job from the "scim" template, then
// provisions a group and its members now instead of at the job's next run.
func onboard(ctx context.Context, client *graphsync.Client, spID, groupID string, memberIDs ...string) error {
	job, err := client.CreateJob(ctx, spID, models.SynchronizationJob{TemplateID: "scim"}) // created Disabled
	if err != nil {
		return err
	}
	if err := client.StartJob(ctx, spID, job.ID, nil); err != nil {
		return err
	}

	// provisionOnDemand needs the ID of the job's rule for the subject's type.
	schema, err := client.GetJobSchema(ctx, spID, job.ID)
	if err != nil {
		return err
	}
	ruleID, err := schema.RuleFor(models.ObjectTypeGroup)
	if err != nil {
		return err
	}
	res, err := client.ProvisionOnDemand(ctx, spID, job.ID,
		models.NewProvisionRequest(ruleID, models.Group(groupID, memberIDs...)))
	if err != nil {
		return err
	}
	if step := res.FailedStep(); step != nil {
		return fmt.Errorf("%s at step %s: %s", res.Key.Result, step.Name, step.Description)
	}
	return nil
}

// README:end

// README:begin provisionAll
// provisionAll sends many requests to one job, paced so that Graph never
// throttles them, and logs those that did not succeed.
func provisionAll(ctx context.Context, client *graphsync.Client, spID, jobID string, reqs []models.ProvisionRequest) error {
	results, err := client.ProvisionMany(ctx, spID, jobID, reqs, &graphsync.ProvisionOptions{
		Progress: func(p graphsync.Progress) { log.Printf("%d/%d", p.Done, p.Total) },
	})
	for _, r := range results {
		switch {
		case r.State != graphsync.RequestAnswered:
			log.Printf("request %d %s: %v", r.Index, r.State, r.Err)
		case r.Result.Failed():
			log.Printf("request %d: %s %s", r.Index, r.Result.Key.Result, r.Result.Key.Details.ErrorCode)
		}
	}
	return err
}

// README:end

// README:begin failures
// failures prints what went wrong for the users of a job in the last day,
// newest first, one page of the provisioning logs at a time.
func failures(ctx context.Context, client *graphsync.Client, jobID string) error {
	query := models.ProvisioningLogQuery{
		JobID:              jobID,
		Status:             models.LogStatusFailure,
		SourceIdentityType: "User",
		After:              time.Now().Add(-24 * time.Hour),
		OrderBy:            models.LogNewestFirst,
	}
	for ev, err := range client.ProvisioningLogs(ctx, query) {
		if err != nil {
			return err
		}
		if info := ev.ProvisioningStatusInfo; info != nil && info.ErrorInformation != nil && ev.SourceIdentity != nil {
			fmt.Printf("%s: %s\n", ev.SourceIdentity.ID, info.ErrorInformation.ErrorCode)
		}
	}
	return nil
}

// README:end
