// Package demo connects the example programs to real Graph or, when no
// credentials are configured, to an in-process graphtest server.
package demo

import (
	"fmt"
	"os"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
)

// SampleServicePrincipal is the service principal the offline demo uses.
const SampleServicePrincipal = "c8c95753-f628-48e1-9fab-76c2d4cf624c"

// Env holds a connected Client.
type Env struct {
	Client *graphsync.Client
	// ServicePrincipalID is the one given for real Graph, or the fake's.
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

// Configured reports whether the environment names real Graph: any
// AZURE_* or GRAPHSYNC_* variable, even an empty one (export
// GRAPHSYNC_JOB_ID=$JOB with $JOB unset still means real Graph). A
// program that finds one runs against real Graph or stops; it never
// falls back to the demo.
func Configured() bool {
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "AZURE_") || strings.HasPrefix(name, "GRAPHSYNC_") {
			return true
		}
	}
	return false
}

// Missing names what a real configuration lacks, or nil: the service
// principal and the job (as the programs' flags and variables name them),
// and the parts of an application credential in the environment.
func Missing(servicePrincipalID, jobID string) []string {
	var out []string
	if servicePrincipalID == "" {
		out = append(out, "the service principal (-sp or GRAPHSYNC_SERVICE_PRINCIPAL_ID)")
	}
	if jobID == "" {
		out = append(out, "the job (-job or GRAPHSYNC_JOB_ID)")
	}
	// An application credential in the environment needs all of its parts.
	if os.Getenv("AZURE_CLIENT_SECRET") != "" || os.Getenv("AZURE_CLIENT_CERTIFICATE_PATH") != "" {
		for _, v := range []string{"AZURE_TENANT_ID", "AZURE_CLIENT_ID"} {
			if os.Getenv(v) == "" {
				out = append(out, v)
			}
		}
	}
	return out
}

// Connect returns a Client for real Graph (azidentity's
// DefaultAzureCredential, service principal spID) when real, else for a
// fresh in-process fake; setup, if not nil, seeds the fake.
func Connect(opts *graphsync.ClientOptions, fakeOpts *graphtest.Options, setup func(*graphtest.Server), real bool, spID string) (*Env, error) {
	var o graphsync.ClientOptions
	if opts != nil {
		o = *opts
	}
	if real {
		cred, err := azidentity.NewDefaultAzureCredential(nil)
		if err != nil {
			return nil, fmt.Errorf("credentials: %w", err)
		}
		c, err := graphsync.NewClient(cred, &o)
		if err != nil {
			return nil, err
		}
		return &Env{Client: c, ServicePrincipalID: spID}, nil
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
