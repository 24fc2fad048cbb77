// Command inbound sends employees from an HR system to API-driven inbound
// provisioning with BulkUpload (SCIM users in requests of at most 50,
// paced at Graph's 40 requests per second), then follows the provisioning
// logs until each has an outcome: what Entra did with it, or why not.
//
// Against real Graph, set GRAPHSYNC_SERVICE_PRINCIPAL_ID and
// GRAPHSYNC_JOB_ID to the API-driven provisioning app and its job (the
// caller needs SynchronizationData-User.Upload and AuditLog.Read.All);
// Graph shows outcomes within minutes. Without them it runs against
// graphtest, offline, where they show within a second.
package main

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/graphsync/graphsync/examples/internal/exampleenv"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Minute)
	defer cancel()
	env, err := exampleenv.Connect(ctx, "API2AAD", 0, &graphtest.Options{InboundDelay: 300 * time.Millisecond})
	if err != nil {
		log.Fatal(err)
	}
	defer env.Close()
	start := time.Now()

	// Employees from the HR system, streamed into requests of 50.
	employees := func(yield func(models.SCIMUser) bool) {
		for i := 1; i <= 75; i++ {
			u := models.SCIMUser{
				ExternalID:  fmt.Sprintf("E%04d", i),
				UserName:    fmt.Sprintf("e%04d@contoso.com", i),
				DisplayName: fmt.Sprintf("Employee %d", i),
				Active:      new(true),
				Enterprise:  &models.EnterpriseUser{Department: "Tour Operations", EmployeeNumber: fmt.Sprint(i)},
			}
			if !yield(u) {
				return
			}
		}
	}
	waiting := map[string]bool{}
	for req := range models.BulkUploadChunks(employees) {
		if _, err := env.Client.BulkUpload(ctx, env.ServicePrincipalID, env.JobID, req); err != nil {
			log.Fatal(err) // nothing of this request was staged: fix the cause and send it again
		}
		for _, op := range req.Operations {
			waiting[op.Data.ExternalID] = true
		}
	}
	fmt.Printf("uploaded %d employee(s); following the provisioning logs\n", len(waiting))

	// The job's events since the upload: sourceIdentity.id is the
	// externalId. Read them until every employee has one.
	query := models.ProvisioningLogQuery{JobID: env.JobID, After: start.Add(-5 * time.Minute)}
	counts := map[string]int{}
	for len(waiting) > 0 {
		for ev, err := range env.Client.ProvisioningLogs(ctx, query) {
			if err != nil {
				log.Fatal(err)
			}
			if ev.SourceIdentity == nil || !waiting[ev.SourceIdentity.ID] {
				continue
			}
			delete(waiting, ev.SourceIdentity.ID)
			status := ev.ProvisioningStatusInfo
			counts[fmt.Sprintf("%s %s", ev.ProvisioningAction, status.Status)]++
			if ei := status.ErrorInformation; ei != nil {
				fmt.Printf("%s: %s: %s (%s)\n", ev.SourceIdentity.ID, ei.ErrorCode, ei.Reason, ei.RecommendedAction)
			}
		}
		if len(waiting) > 0 {
			select {
			case <-ctx.Done():
				log.Fatalf("%d employee(s) without an outcome: %v", len(waiting), ctx.Err())
			case <-time.After(time.Second):
			}
		}
	}
	fmt.Println(counts)
}
