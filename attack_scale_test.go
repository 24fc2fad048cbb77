package graphsync_test

import (
	"context"
	"net/http/httptest"
	"runtime"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/ratelimit"
)

// ATTACK: 1000 requests, concurrency 50, in virtual time with the default
// limiter, then over TCP with the limiter off; no goroutine may be left.
func TestAttackThousandRequests(t *testing.T) {
	t.Run("inprocess", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			srv := newChaos(7, 0)
			c := inProcessClient(t, srv, &graphsync.ClientOptions{Limiter: ratelimit.New(5, 10*time.Second)})
			reqs := userRequests(1000)
			res, err := c.ProvisionMany(context.Background(), spID, jobID, reqs, &graphsync.ProvisionOptions{Concurrency: 50})
			srv.check(t, reqs, res, err, false)
		})
	})
	t.Run("tcp", func(t *testing.T) {
		defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
		srv := newChaos(8, 0)
		srv.unit = time.Millisecond
		srv.noRA = true
		ts := httptest.NewServer(srv)
		defer ts.Close()
		c, err := graphsync.NewClient(&fakeCredential{}, &graphsync.ClientOptions{BaseURL: ts.URL, DisableLimiter: true,
			Retry: &graphsync.RetryPolicy{BaseDelay: time.Millisecond}})
		if err != nil {
			t.Fatal(err)
		}
		reqs := userRequests(1000)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		time.AfterFunc(700*time.Millisecond, cancel)
		res, err := c.ProvisionMany(ctx, spID, jobID, reqs, &graphsync.ProvisionOptions{Concurrency: 50, Grace: 50 * time.Millisecond})
		srv.check(t, reqs, res, err, true)
		t.Logf("goroutines after: %d, err %v", runtime.NumGoroutine(), err)
	})
}
