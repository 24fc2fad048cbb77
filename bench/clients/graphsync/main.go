// Command graphsync runs the benchmark workload with graphsync.
package main

import (
	"context"
	"fmt"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/bench/internal/cred"
	"github.com/graphsync/graphsync/bench/internal/harness"
	"github.com/graphsync/graphsync/models"
)

func main() {
	harness.Main("graphsync", func(url string) (harness.Op, error) {
		c, err := graphsync.NewClient(cred.Credential{}, &graphsync.ClientOptions{BaseURL: url, DisableLimiter: true})
		if err != nil {
			return nil, err
		}
		if harness.Bulk() {
			return bulkUpload(c), nil
		}
		req := models.NewProvisionRequest(harness.RuleID, models.Group(harness.GroupID, harness.Member1, harness.Member2))
		return func(ctx context.Context) error {
			job, err := c.CreateJob(ctx, harness.ServicePrincipalID, models.SynchronizationJob{TemplateID: harness.TemplateID})
			if err != nil {
				return err
			}
			res, err := c.ProvisionOnDemand(ctx, harness.ServicePrincipalID, job.ID, req)
			if err != nil {
				return err
			}
			if !res.Succeeded() {
				return fmt.Errorf("result %s", res.Key.Result)
			}
			return nil
		}, nil
	})
}

// bulkUpload is the bulkUpload workload: the users are built from the Go
// types on every iteration, as a service turning HR records into requests
// would.
func bulkUpload(c *graphsync.Client) harness.Op {
	return func(ctx context.Context) error {
		users := func(yield func(models.SCIMUser) bool) {
			for i := range harness.BulkUsers {
				id, userName, given, family, dept := harness.BulkUser(i)
				u := models.SCIMUser{
					ExternalID: id, UserName: userName, DisplayName: given + " " + family,
					Name:       &models.SCIMName{GivenName: given, FamilyName: family},
					Active:     new(true),
					Enterprise: &models.EnterpriseUser{EmployeeNumber: id, Department: dept},
				}
				if !yield(u) {
					return
				}
			}
		}
		for req := range models.BulkUploadChunks(users) {
			receipt, err := c.BulkUpload(ctx, harness.ServicePrincipalID, harness.JobID, req)
			if err != nil {
				return err
			}
			if receipt.Location == "" {
				return fmt.Errorf("no Location")
			}
		}
		return nil
	}
}
