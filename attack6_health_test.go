package graphsync_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
)

// Attack (retry.go: "MaxRetryAfter is the longest Retry-After graphsync
// honours. A longer one ends the call with the answer that carried it";
// WatchJob: "On failure ... it yields the error"): the job poller honours
// any Retry-After, however far. A Graph (or a proxy) answering 503 with
// Retry-After: 999999999 (31 years) puts WatchJob to sleep for 31 years:
// jobs watch prints nothing more, never exits, and its gauges keep the
// last health read as if it were current.
func TestAttack6WatchSleepsPastMaxRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c, job := cycling(t, time.Minute)
		start := time.Now()
		var got error
		first := true
		ctx, cancel := context.WithTimeout(context.Background(), time.Hour) // a bound for the test
		defer cancel()
		for ch, err := range c.WatchJob(ctx, "sp", job, &graphsync.JobWatchOptions{Poll: time.Minute}) {
			if err != nil {
				got = err
				break
			}
			if first {
				first = false
				srv.InjectFault(graphtest.Fault{Method: "GET", PathSuffix: "/jobs/" + job, Times: 1000,
					Status: http.StatusServiceUnavailable, RetryAfter: "999999999"})
			}
			_ = ch
		}
		var re *graphsync.ResponseError
		if !errors.As(got, &re) || re.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("the watch ended with %v, want the 503 whose Retry-After is past MaxRetryAfter", got)
		}
		if took := time.Since(start); took > 2*time.Minute {
			t.Errorf("the watch slept %s on a Retry-After past MaxRetryAfter (%s)", took, graphsync.MaxRetryAfter)
		}
	})
}
