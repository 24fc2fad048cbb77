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
