// Package demo connects the example programs to real Graph or, when no
// credentials are configured, to an in-process graphtest server.
package demo

import (
	"fmt"
	"os"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
)

// SampleServicePrincipal is the service principal the offline demo uses.
const SampleServicePrincipal = "c8c95753-f628-48e1-9fab-76c2d4cf624c"

// Env holds a connected Client.
type Env struct {
	Client *graphsync.Client
	// ServicePrincipalID is GRAPHSYNC_SERVICE_PRINCIPAL_ID, or the fake's.
	ServicePrincipalID string
	// Fake is the in-process server, nil against real Graph.
	Fake *graphtest.Server
}

// Close stops the fake server, if any.
func (e *Env) Close() {
	if e.Fake != nil {
		e.Fake.Close()
	}
}

// Real reports whether the environment names real Graph: AZURE_TENANT_ID
// and AZURE_CLIENT_ID (with a secret, certificate or workload identity for
// azidentity's DefaultAzureCredential) and GRAPHSYNC_SERVICE_PRINCIPAL_ID.
func Real() bool {
	return os.Getenv("AZURE_TENANT_ID") != "" && os.Getenv("AZURE_CLIENT_ID") != "" &&
		os.Getenv("GRAPHSYNC_SERVICE_PRINCIPAL_ID") != ""
}

// Connect returns a Client for real Graph when Real, else for a fresh
// fake; setup, if not nil, seeds the fake and may adjust its options.
func Connect(opts *graphsync.ClientOptions, fakeOpts *graphtest.Options, setup func(*graphtest.Server)) (*Env, error) {
	var o graphsync.ClientOptions
	if opts != nil {
		o = *opts
	}
	if Real() {
		cred, err := azidentity.NewDefaultAzureCredential(nil)
		if err != nil {
			return nil, fmt.Errorf("credentials: %w", err)
		}
		c, err := graphsync.NewClient(cred, &o)
		if err != nil {
			return nil, err
		}
		return &Env{Client: c, ServicePrincipalID: os.Getenv("GRAPHSYNC_SERVICE_PRINCIPAL_ID")}, nil
	}
	srv := graphtest.NewServer(fakeOpts)
	srv.AddServicePrincipal(SampleServicePrincipal, "scim", "BoxOutDelta")
	if setup != nil {
		setup(srv)
	}
	o.BaseURL = srv.URL
	c, err := graphsync.NewClient(srv.Credential(), &o)
	if err != nil {
		srv.Close()
		return nil, err
	}
	return &Env{Client: c, ServicePrincipalID: SampleServicePrincipal, Fake: srv}, nil
}
