package testing

import (
	"context"
	"strings"
	stdtesting "testing"
	"time"

	"github.com/graphsync/graphsync/graphtest"
)

func TestOnboard(t *stdtesting.T) {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp-1")
	srv.AddGroup("g-1", "Sales")
	srv.AddUser("u-1", "ada@contoso.com")
	client, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}

	jobID, err := onboard(context.Background(), client, "sp-1", "g-1", "u-1")
	if err != nil {
		t.Fatal(err)
	}

	// What the code sent, as Graph would have received it (StartJob reads
	// the job first: it does not start one that is running).
	if job, _ := srv.Job("sp-1", jobID); job.Status.Code != "Active" {
		t.Errorf("job status %s, want Active", job.Status.Code)
	}
	var calls []string
	for _, r := range srv.Requests() {
		calls = append(calls, r.Method+" "+r.Path[strings.LastIndexByte(r.Path, '/')+1:])
	}
	if got, want := strings.Join(calls, ", "), "POST jobs, GET "+jobID+", POST start, GET schema, POST provisionOnDemand"; got != want {
		t.Errorf("calls: %s\nwant:  %s", got, want)
	}
	// Graph's limit: at most 5 provisionOnDemand calls in any 10 seconds.
	if srv.Throttled() != 0 || graphtest.MaxInWindow(srv.ProvisionTimes(), 10*time.Second) > 5 {
		t.Error("would have been throttled")
	}
}

// A member Graph does not know fails the provisioning, and onboard says
// at which step.
func TestOnboardUnknownMember(t *stdtesting.T) {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp-1")
	srv.AddGroup("g-1", "Sales")
	client, _ := srv.NewClient()
	_, err := onboard(context.Background(), client, "sp-1", "g-1", "nobody")
	if err == nil || !strings.Contains(err.Error(), "Failure at step") {
		t.Fatalf("err = %v", err)
	}
}
