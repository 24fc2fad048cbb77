// Package testing shows how code that uses graphsync is tested with
// graphtest, the fake Graph: onboard is the code under test, and
// onboard_test.go its test. graphtest answers like Graph and refuses what
// Graph refuses (unknown rules, throttling past 5 provisionOnDemand calls
// in 10 seconds), so that what passes against it does not fail against
// Graph.
package testing

import (
	"context"
	"fmt"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/models"
)

// onboard creates a job from the "scim" template, starts it, and
// provisions a group and its members now instead of at the job's next
// run.
func onboard(ctx context.Context, client *graphsync.Client, spID, groupID string, memberIDs ...string) (jobID string, err error) {
	job, err := client.CreateJob(ctx, spID, models.SynchronizationJob{TemplateID: "scim"})
	if err != nil {
		return "", err
	}
	if err := client.StartJob(ctx, spID, job.ID, nil); err != nil {
		return "", err
	}
	schema, err := client.GetJobSchema(ctx, spID, job.ID)
	if err != nil {
		return "", err
	}
	rule, err := schema.RuleFor(models.ObjectTypeGroup)
	if err != nil {
		return "", err
	}
	res, err := client.ProvisionOnDemand(ctx, spID, job.ID, models.NewProvisionRequest(rule, models.Group(groupID, memberIDs...)))
	if err != nil {
		return "", err
	}
	if step := res.FailedStep(); step != nil {
		return "", fmt.Errorf("%s at step %s: %s", res.Key.Result, step.Name, step.Description)
	}
	return job.ID, nil
}
