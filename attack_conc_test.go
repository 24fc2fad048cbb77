package graphsync_test

import (
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/graphsync/graphsync"
)

// ATTACK: ProvisionOptions.Concurrency with a RoundTripper that is not an
// *http.Transport (graphtest.InProcessTransport, a test double, an
// instrumented or HTTP/3 transport). The server takes 1 s per request;
// with the limiter disabled and Concurrency 10, 10 requests should take
// about 1 s, with up to 10 in flight.
func TestAttackConcurrencyWithCustomTransport(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var inFlight, peak atomic.Int32
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n := inFlight.Add(1)
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
			time.Sleep(time.Second)
			inFlight.Add(-1)
			io.WriteString(w, `{"key":"{\"result\":\"Success\",\"details\":{}}","value":"{}"}`)
		})
		c := inProcessClient(t, h, &graphsync.ClientOptions{DisableLimiter: true})
		t0 := time.Now()
		if _, err := c.ProvisionMany(ctx, spID, jobID, userRequests(10), &graphsync.ProvisionOptions{Concurrency: 10}); err != nil {
			t.Fatal(err)
		}
		if el := time.Since(t0); el > 2*time.Second || peak.Load() < 2 {
			t.Errorf("Concurrency 10 ran one request at a time: %v in all, at most %d in flight", el, peak.Load())
		}
	})
}
