package graphsync_test

import (
	"context"
	"fmt"
	"log"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

func ExampleNewClient() {
	// Against real Graph, pass an azidentity credential, e.g.
	//   cred, err := azidentity.NewDefaultAzureCredential(nil)
	// Here the fake Graph issues its own credential.
	srv := graphtest.NewServer(nil)
	defer srv.Close()

	client, err := graphsync.NewClient(srv.Credential(), &graphsync.ClientOptions{
		BaseURL:   srv.URL, // omit for https://graph.microsoft.com
		UserAgent: "example/1.0",
	})
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.GetJob(context.Background(), "no-such-sp", "job")
	fmt.Println(err != nil)
	// Output: true
}

func ExampleClient_CreateJob() {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp-1", "BoxOutDelta")
	client, _ := srv.NewClient()
	ctx := context.Background()

	job, err := client.CreateJob(ctx, "sp-1", models.SynchronizationJob{TemplateID: "BoxOutDelta"})
	if err != nil {
		log.Fatal(err)
	}
	_, fits := job.Schedule.Interval.Duration()
	fmt.Println(job.TemplateID, job.Schedule.State, job.Status.Code)
	fmt.Println("interval:", job.Schedule.Interval, "never:", job.Schedule.Interval.IsMax(), "fits time.Duration:", fits == nil)

	if err := client.StartJob(ctx, "sp-1", job.ID); err != nil {
		log.Fatal(err)
	}
	job, _ = client.GetJob(ctx, "sp-1", job.ID)
	fmt.Println(job.Schedule.State, job.Status.Code)
	// Output:
	// BoxOutDelta Disabled NotConfigured
	// interval: P10675199DT2H48M5.4775807S never: true fits time.Duration: false
	// Active Active
}

func ExampleClient_ProvisionOnDemand() {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp-1")
	srv.AddUser("9bb0f679-a883-4a6f-8260-35b491b8b8c8", "BillBob@contoso.com")
	client, _ := srv.NewClient()
	ctx := context.Background()
	job, _ := client.CreateJob(ctx, "sp-1", models.SynchronizationJob{TemplateID: "scim"})

	// The ruleId comes from the job's schema; the fake's jobs carry one
	// rule for users and groups.
	rule := srv.RuleID("sp-1", job.ID, models.ObjectTypeUser)
	req := models.NewProvisionRequest(rule, models.User("9bb0f679-a883-4a6f-8260-35b491b8b8c8"))
	for range 2 {
		res, err := client.ProvisionOnDemand(ctx, "sp-1", job.ID, req)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(res.Key.Result, res.Value.Action, res.Key.Details.ErrorCode, len(res.Value.ProvisioningSteps), "steps")
	}
	res, _ := client.ProvisionOnDemand(ctx, "sp-1", job.ID, models.NewProvisionRequest(rule, models.User("unknown")))
	fmt.Println(res.Key.Result, res.Key.Details.ErrorCode, res.FailedStep().Name)
	// Output:
	// Success Create  3 steps
	// Skipped Other RedundantExport 3 steps
	// Failure EntryNotFound EntryImport
}
