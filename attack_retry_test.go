package graphsync_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/models"
	"github.com/graphsync/graphsync/ratelimit"
)

// ATTACK: a Retry-After that ends exactly at the context's deadline. The
// retry could never be sent (the context is done at that instant), so the
// wait is useless: the 429 should come back at once.
func TestAttackRetryAfterEndingExactlyAtDeadline(t *testing.T) {
	for _, limited := range []bool{false, true} {
		name := "GetJob"
		if limited {
			name = "ProvisionOnDemand"
		}
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var sends atomic.Int32
				h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					sends.Add(1)
					w.Header().Set("Retry-After", "2")
					w.WriteHeader(http.StatusTooManyRequests)
					io.WriteString(w, `{"error":{"code":"TooManyRequests","message":"slow down"}}`)
				})
				c := inProcessClient(t, h, &graphsync.ClientOptions{Limiter: ratelimit.New(5, 10*time.Second)})
				dctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				defer cancel()
				t0 := time.Now()
				var err error
				if limited {
					_, err = c.ProvisionOnDemand(dctx, spID, jobID, models.NewProvisionRequest("r", models.User("u")))
				} else {
					_, err = c.GetJob(dctx, spID, jobID)
				}
				el := time.Since(t0)
				t.Logf("after %v, %d sends: %v", el, sends.Load(), err)
				if el != 0 || !errors.Is(err, graphsync.ErrThrottled) {
					t.Errorf("waited %v for a retry that could not be sent, then err = %v; want the 429 at once", el, err)
				}
			})
		})
	}
}

// ATTACK: Retry-After edge values on GetJob; none may hang or overflow.
func TestAttackRetryAfterEdgeValues(t *testing.T) {
	for _, tc := range []struct {
		header []string
		want   time.Duration // total time until the call ends (3 retries max = 4 sends)
	}{
		{[]string{"0"}, 1*time.Second + 2*time.Second + 4*time.Second}, // 0: no delay named: backoff
		{[]string{" 3 "}, 9 * time.Second},
		{[]string{"3", "100000"}, 9 * time.Second},                   // first header wins
		{[]string{"Thu, 01 Jan 1970 00:00:00 GMT"}, 7 * time.Second}, // past date: backoff
		{[]string{"86401"}, 0},                                       // more than a day: at once
		{[]string{"18446744073709551616"}, 0},                        // overflows uint64
		{[]string{"Fri, 31 Dec 9999 23:59:59 GMT"}, 0},               // far date
		{[]string{"-1"}, 7 * time.Second},                            // garbage: backoff
		{[]string{"\u0663"}, 7 * time.Second},                        // Arabic-Indic digit 3: garbage
	} {
		t.Run(strings.Join(tc.header, ","), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header()["Retry-After"] = tc.header
					w.WriteHeader(http.StatusTooManyRequests)
				})
				c := inProcessClient(t, h, nil)
				t0 := time.Now()
				_, err := c.GetJob(context.Background(), spID, jobID)
				if !errors.Is(err, graphsync.ErrThrottled) {
					t.Fatalf("err = %v", err)
				}
				if el := time.Since(t0); el != tc.want {
					t.Errorf("call took %v, want %v (%v)", el, tc.want, err)
				}
			})
		})
	}
}

// ATTACK: item 6 on a limited call: the 429's Retry-After (1 s) fits the
// deadline (5 s) but the limiter cannot grant the retry before it (its
// only slot frees at 10.25 s). The call ends at once, as it should, but
// with the limiter's error instead of the 429 that ended it.
func TestAttackLimiterWaitPastDeadlineLosesThe429(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			io.WriteString(w, `{"error":{"code":"TooManyRequests","message":"slow down","innerError":{"request-id":"rid-1"}}}`)
		})
		c := inProcessClient(t, h, &graphsync.ClientOptions{Limiter: ratelimit.New(1, 10*time.Second)})
		dctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		t0 := time.Now()
		_, err := c.ProvisionOnDemand(dctx, spID, jobID, models.NewProvisionRequest("r", models.User("u")))
		t.Logf("after %v: %v", time.Since(t0), err)
		if time.Since(t0) != 0 || !errors.Is(err, graphsync.ErrThrottled) {
			t.Errorf("err = %v after %v; want the 429 (request-id rid-1) at once", err, time.Since(t0))
		}
	})
}
