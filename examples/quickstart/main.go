// Command quickstart walks a synchronization job through its life with
// the graphsync library: create it from a template, list the jobs, start
// it, read its status, pause it and delete it.
//
// Against real Graph, set GRAPHSYNC_SERVICE_PRINCIPAL_ID (and azidentity's
// AZURE_* variables, or sign in with the Azure CLI): it creates and
// deletes a job there. Without it, it runs against graphtest, the fake
// Graph, offline.
package main

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

func main() {
	ctx := context.Background()
	client, sp := newClient()

	templates, err := client.ListTemplates(ctx, sp)
	if err != nil {
		log.Fatal(err)
	}
	if len(templates) == 0 {
		log.Fatalf("service principal %s has no synchronization templates", sp)
	}
	job, err := client.CreateJob(ctx, sp, models.SynchronizationJob{TemplateID: templates[0].ID})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("created  %s from template %s: %s\n", job.ID, job.TemplateID, job.Schedule.State)
	defer func() {
		if err := client.DeleteJob(ctx, sp, job.ID); err != nil {
			log.Fatal(err)
		}
		fmt.Println("deleted ", job.ID)
	}()

	jobs, err := client.ListJobs(ctx, sp)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("listed   %d job(s)\n", len(jobs))

	if err := client.StartJob(ctx, sp, job.ID, nil); err != nil {
		log.Fatal(err)
	}
	if job, err = client.GetJob(ctx, sp, job.ID); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("started  schedule %s, status %s\n", job.Schedule.State, job.Status.Code)

	if err := client.PauseJob(ctx, sp, job.ID); err != nil {
		log.Fatal(err)
	}
	if job, err = client.GetJob(ctx, sp, job.ID); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("paused   schedule %s, status %s\n", job.Schedule.State, job.Status.Code)
}

// newClient returns a Client and the service principal to use: real Graph
// with azidentity's default credential when GRAPHSYNC_SERVICE_PRINCIPAL_ID
// is set, else a fake Graph.
func newClient() (*graphsync.Client, string) {
	if sp := os.Getenv("GRAPHSYNC_SERVICE_PRINCIPAL_ID"); sp != "" {
		cred, err := azidentity.NewDefaultAzureCredential(nil)
		if err != nil {
			log.Fatal(err)
		}
		client, err := graphsync.NewClient(cred, nil) // global cloud, v1.0, paced provisionOnDemand
		if err != nil {
			log.Fatal(err)
		}
		return client, sp
	}
	srv := graphtest.NewServer(nil) // lives as long as the program
	srv.AddServicePrincipal("sp-1", "scim")
	client, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("offline: a fake Graph at", srv.URL)
	return client, "sp-1"
}
