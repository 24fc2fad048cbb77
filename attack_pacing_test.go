package graphsync_test

import (
	"context"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
	"github.com/graphsync/graphsync/ratelimit"
)

// slowFirstToken takes 500 ms for its first token (a cold cache: the token
// endpoint is asked), then answers from its cache.
type slowFirstToken struct {
	inner azcore.TokenCredential
	calls atomic.Int32
}

func (s *slowFirstToken) GetToken(ctx context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if s.calls.Add(1) == 1 {
		time.Sleep(500 * time.Millisecond)
	}
	return s.inner.GetToken(ctx, o)
}

// ATTACK: the limiter counts a start when it grants it, but the token is
// fetched after the grant. A slow token fetch moves the first request's
// real start later, and the requests after it bunch up with it: Graph
// sees more than 5 in 10 s and answers 429, which ProvisionMany's pacing
// promises never happens.
func TestAttackSlowTokenBreaksPacing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := graphtest.NewServer(&graphtest.Options{InProcess: true})
		srv.AddServicePrincipal(spID)
		job, err := func() (*models.SynchronizationJob, error) {
			c, err := srv.NewClient()
			if err != nil {
				return nil, err
			}
			return c.CreateJob(context.Background(), spID, models.SynchronizationJob{TemplateID: "scim"})
		}()
		if err != nil {
			t.Fatal(err)
		}
		c, err := graphsync.NewClient(&slowFirstToken{inner: srv.Credential()}, srv.ClientOptions())
		if err != nil {
			t.Fatal(err)
		}
		reqs := userRequests(10)
		if _, err := c.ProvisionMany(context.Background(), spID, job.ID, reqs, nil); err != nil {
			t.Fatal(err)
		}
		var starts []time.Time
		for _, r := range srv.Requests() {
			if r.Method == "POST" && len(r.Path) > 18 && r.Path[len(r.Path)-17:] == "provisionOnDemand" {
				starts = append(starts, r.Time)
			}
		}
		t.Logf("arrivals (relative): %v", rel(starts))
		if n := graphtest.MaxInWindow(starts, 10*time.Second-time.Nanosecond); n > 5 || srv.Throttled() > 0 {
			t.Errorf("Graph saw %d provisionOnDemand requests within 10 s and throttled %d", n, srv.Throttled())
		}
	})
}

func rel(ts []time.Time) []time.Duration {
	var out []time.Duration
	for _, x := range ts {
		out = append(out, x.Sub(ts[0]))
	}
	return out
}

// ATTACK: the same with a slow first connection (DNS + TCP + TLS to a far
// region) instead of a slow token: real time, a 1 s window with a 25 ms
// margin, a first dial of 300 ms.
func TestAttackSlowFirstDialBreaksPacing(t *testing.T) {
	realTime(t)
	srv := graphtest.NewServer(&graphtest.Options{ProvisionWindow: time.Second})
	defer srv.Close()
	srv.AddServicePrincipal(spID)
	setupC, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	job, err := setupC.CreateJob(context.Background(), spID, models.SynchronizationJob{TemplateID: "scim"})
	if err != nil {
		t.Fatal(err)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	var dials atomic.Int32
	d := &net.Dialer{}
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if dials.Add(1) == 1 {
			time.Sleep(300 * time.Millisecond)
		}
		return d.DialContext(ctx, network, addr)
	}
	opts := srv.ClientOptions()
	opts.Transport = tr
	opts.Limiter = ratelimit.New(5, time.Second, ratelimit.WithMargin(25*time.Millisecond))
	c, err := graphsync.NewClient(srv.Credential(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ProvisionMany(context.Background(), spID, job.ID, userRequests(10), nil); err != nil {
		t.Fatal(err)
	}
	t.Logf("provision arrivals: %v", rel(srv.ProvisionTimes()))
	if srv.Throttled() > 0 {
		t.Errorf("Graph throttled %d provisionOnDemand requests of a paced run", srv.Throttled())
	}
}
