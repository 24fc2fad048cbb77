// Package exampleenv gives the examples a Client: for the tenant the
// environment names, or, when it names none, for graphtest, the fake
// Graph, with a service principal, a job and sample users, so that every
// example runs anywhere. The quickstart shows how a Client is made; the
// other examples use this to keep to their point.
package exampleenv

import (
	"context"
	"fmt"
	"os"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

// Env is a Client, the service principal and job to use, and the fake
// when it is one (nil against real Graph).
type Env struct {
	Client                    *graphsync.Client
	ServicePrincipalID, JobID string
	Fake                      *graphtest.Server
}

// Close stops the fake, if any.
func (e *Env) Close() {
	if e.Fake != nil {
		e.Fake.Close()
	}
}

// Connect returns an Env for real Graph when GRAPHSYNC_SERVICE_PRINCIPAL_ID
// and GRAPHSYNC_JOB_ID are set (the credential is azidentity's
// DefaultAzureCredential), else for a fake with a job of template (with
// users u-01 to u-users) and a limiter window shortened to fakeWindow.
func Connect(ctx context.Context, template string, users int, opts *graphtest.Options) (*Env, error) {
	sp, job := os.Getenv("GRAPHSYNC_SERVICE_PRINCIPAL_ID"), os.Getenv("GRAPHSYNC_JOB_ID")
	if sp != "" && job != "" {
		cred, err := azidentity.NewDefaultAzureCredential(nil)
		if err != nil {
			return nil, err
		}
		c, err := graphsync.NewClient(cred, nil)
		return &Env{Client: c, ServicePrincipalID: sp, JobID: job}, err
	}
	srv := graphtest.NewServer(opts)
	srv.AddServicePrincipal("sp-1", template)
	for i := 1; i <= users; i++ {
		srv.AddUser(User(i), fmt.Sprintf("user%02d@contoso.com", i))
	}
	o := srv.ClientOptions()
	o.DisableLimiter = opts != nil && opts.DisableProvisionLimit
	c, err := graphsync.NewClient(srv.Credential(), o)
	if err != nil {
		srv.Close()
		return nil, err
	}
	j, err := c.CreateJob(ctx, "sp-1", models.SynchronizationJob{TemplateID: template})
	if err != nil {
		srv.Close()
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "(offline: a fake Graph at %s; set GRAPHSYNC_SERVICE_PRINCIPAL_ID and GRAPHSYNC_JOB_ID for a real tenant)\n", srv.URL)
	return &Env{Client: c, ServicePrincipalID: "sp-1", JobID: j.ID, Fake: srv}, nil
}

// User returns the ID of the fake's sample user i.
func User(i int) string { return fmt.Sprintf("u-%02d", i) }
