package graphtest_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

// A test starts a fake Graph, gives the code under test a Client of it,
// and then checks what the code sent, here including how it handled an
// injected failure.
func Example() {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp-1")
	client, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	srv.InjectFault(graphtest.Fault{Method: "POST", PathContains: "/start", Status: 503})
	job, _ := client.CreateJob(ctx, "sp-1", models.SynchronizationJob{TemplateID: "scim"})
	err = client.StartJob(ctx, "sp-1", job.ID, nil) // reads the job, then starts it: a POST that got 503 is not sent again
	var re *graphsync.ResponseError
	fmt.Println(errors.As(err, &re), re.StatusCode, re.RequestID != "")

	for _, r := range srv.Requests() {
		fmt.Println(r.Method, strings.ReplaceAll(r.Path, job.ID, "{job}"), r.Status)
	}
	// Output:
	// true 503 true
	// POST /v1.0/servicePrincipals/sp-1/synchronization/jobs 201
	// GET /v1.0/servicePrincipals/sp-1/synchronization/jobs/{job} 200
	// POST /v1.0/servicePrincipals/sp-1/synchronization/jobs/{job}/start 503
}
