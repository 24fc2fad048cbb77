package demotenant

import (
	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
)

// graphsyncClient returns a Client of srv without a limiter: seeding
// sends a handful of calls.
func graphsyncClient(srv *graphtest.Server) (*graphsync.Client, error) {
	o := srv.ClientOptions()
	o.DisableLimiter = true
	o.UserAgent = "graphsync-demo-tenant"
	return graphsync.NewClient(srv.Credential(), o)
}
