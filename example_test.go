package graphsync_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

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

	req := models.NewProvisionRequest("ea807875-5618-4f0a-9125-0b46a05298ca",
		models.User("9bb0f679-a883-4a6f-8260-35b491b8b8c8"))
	for range 2 {
		res, err := client.ProvisionOnDemand(ctx, "sp-1", job.ID, req)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(res.Key.Result, res.Value.Action, res.Key.Details.ErrorCode, len(res.Value.ProvisioningSteps), "steps")
	}
	res, _ := client.ProvisionOnDemand(ctx, "sp-1", job.ID, models.NewProvisionRequest("rule", models.User("unknown")))
	fmt.Println(res.Key.Result, res.Key.Details.ErrorCode, res.FailedStep().Name)
	// Output:
	// Success Create  3 steps
	// Skipped Other RedundantExport 3 steps
	// Failure EntryNotFound EntryImport
}

func ExampleClient_BulkUpload() {
	// An in-file stand-in for Graph's bulkUpload endpoint: it counts the
	// users of each request and answers 202 Accepted.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req models.BulkUpload
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || r.Header.Get("Content-Type") != "application/scim+json" {
			http.Error(w, `{"error":{"code":"BadRequest","message":"Invalid Data Format"}}`, http.StatusBadRequest)
			return
		}
		fmt.Printf("Graph got %d users, the first %s\n", len(req.Operations), req.Operations[0].BulkID)
		w.Header().Set("Location", "https://graph.microsoft.com/v1.0/auditLogs/provisioning/?$filter=jobid%20eq%20'API2AAD.1'")
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	// Against Graph: any azcore.TokenCredential (azidentity), no BaseURL.
	client, err := graphsync.NewClient(&fakeCredential{}, &graphsync.ClientOptions{BaseURL: srv.URL})
	if err != nil {
		log.Fatal(err)
	}

	// 120 employees from an HR system, streamed into requests of 50.
	employees := func(yield func(models.SCIMUser) bool) {
		for i := 1; i <= 120; i++ {
			u := models.SCIMUser{
				ExternalID: fmt.Sprintf("E%04d", i),
				UserName:   fmt.Sprintf("e%04d@contoso.com", i),
				Active:     new(true),
				Enterprise: &models.EnterpriseUser{Department: "Tour Operations"},
			}
			if !yield(u) {
				return
			}
		}
	}
	for req := range models.BulkUploadChunks(employees) {
		receipt, err := client.BulkUpload(context.Background(), "sp-1", "API2AAD.1", req)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(receipt.StatusCode, receipt.Location)
	}
	// Output:
	// Graph got 50 users, the first E0001
	// 202 https://graph.microsoft.com/v1.0/auditLogs/provisioning/?$filter=jobid%20eq%20'API2AAD.1'
	// Graph got 50 users, the first E0051
	// 202 https://graph.microsoft.com/v1.0/auditLogs/provisioning/?$filter=jobid%20eq%20'API2AAD.1'
	// Graph got 20 users, the first E0101
	// 202 https://graph.microsoft.com/v1.0/auditLogs/provisioning/?$filter=jobid%20eq%20'API2AAD.1'
}

// logsServer is an in-file stand-in for Graph's provisioning logs: two
// pages, the first linking to the second.
func logsServer() *httptest.Server {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("$skiptoken") == "" {
			fmt.Println("$filter:", r.URL.Query().Get("$filter"))
			fmt.Fprintf(w, `{"value":[
				{"sourceIdentity":{"id":"E0001"},"provisioningAction":"create","provisioningStatusInfo":{"status":"success","errorInformation":null}},
				{"sourceIdentity":{"id":"E0002"},"provisioningAction":"other","provisioningStatusInfo":{"status":"skipped","errorInformation":null}}],
				"@odata.nextLink":"%s/v1.0/auditLogs/provisioning?$skiptoken=2"}`, srv.URL)
			return
		}
		io.WriteString(w, `{"value":[
			{"sourceIdentity":{"id":"E0003"},"provisioningAction":"update","provisioningStatusInfo":{"status":"failure",
			 "errorInformation":{"errorCode":"AzureActiveDirectoryInvalidUserPrincipalName","reason":"invalid UPN"}}}]}`)
	}))
	return srv
}

func ExampleClient_ListProvisioningLogs() {
	srv := logsServer()
	defer srv.Close()
	client, _ := graphsync.NewClient(&fakeCredential{}, &graphsync.ClientOptions{BaseURL: srv.URL})

	events, err := client.ListProvisioningLogs(context.Background(), models.ProvisioningLogQuery{
		JobID: "API2AAD.1",
		After: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		Top:   100,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, ev := range events {
		fmt.Println(ev.SourceIdentity.ID, ev.ProvisioningAction, ev.ProvisioningStatusInfo.Status)
	}
	// Output:
	// $filter: jobId eq 'API2AAD.1' and activityDateTime gt 2025-01-01T00:00:00Z
	// E0001 create success
	// E0002 other skipped
	// E0003 update failure
}

func ExampleClient_ProvisioningLogs() {
	srv := logsServer()
	defer srv.Close()
	client, _ := graphsync.NewClient(&fakeCredential{}, &graphsync.ClientOptions{BaseURL: srv.URL})

	// Page by page, and only as far as needed: stop at the first failure.
	for ev, err := range client.ProvisioningLogs(context.Background(), models.ProvisioningLogQuery{JobID: "API2AAD.1"}) {
		if err != nil {
			log.Fatal(err)
		}
		if ev.ProvisioningStatusInfo.Status == models.LogStatusFailure {
			e := ev.ProvisioningStatusInfo.ErrorInformation
			fmt.Println("failed:", ev.SourceIdentity.ID, e.ErrorCode, e.Reason)
			break
		}
	}
	// Output:
	// $filter: jobId eq 'API2AAD.1'
	// failed: E0003 AzureActiveDirectoryInvalidUserPrincipalName invalid UPN
}
