package graphsync_test

// Tests that pin promises the mutation run of issue #17 found unpinned:
// each fails if the behaviour it names is changed.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

// MaxWait caps the total of the waits, not each one.
func TestMaxWaitIsATotal(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Four 503s asking for 40 s each; MaxWait 100 s allows two waits
		// (80 s), not a third (120 s).
		f := &flaky{statuses: []int{503, 503, 503, 503}, retry: []string{"40", "40", "40", "40"}}
		c := inProcessClient(t, f, &graphsync.ClientOptions{Retry: &graphsync.RetryPolicy{MaxAttempts: 10, MaxWait: 100 * time.Second}})
		t0 := time.Now()
		_, err := c.GetJob(ctx, spID, jobID)
		var re *graphsync.ResponseError
		if !errors.As(err, &re) || re.StatusCode != 503 || len(f.times) != 3 || time.Since(t0) != 80*time.Second {
			t.Fatalf("err = %v after %d attempts and %v; want the 503 after 3 attempts and 80s", err, len(f.times), time.Since(t0))
		}
	})
}

// Backoff doubles from BaseDelay and stops at 30 s; the default policy's
// numbers are the documented ones.
func TestBackoffIsTimed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &flaky{statuses: []int{503, 503, 503, 503, 503, 503, 503}}
		c := inProcessClient(t, f, &graphsync.ClientOptions{Retry: &graphsync.RetryPolicy{MaxAttempts: 8, MaxWait: time.Hour, BaseDelay: 5 * time.Second}})
		if _, err := c.GetJob(ctx, spID, jobID); err != nil {
			t.Fatal(err)
		}
		want := []time.Duration{5 * time.Second, 10 * time.Second, 20 * time.Second, 30 * time.Second, 30 * time.Second, 30 * time.Second, 30 * time.Second}
		for i, w := range want {
			if got := f.times[i+1].Sub(f.times[i]); got != w {
				t.Errorf("wait %d = %v, want %v", i+1, got, w)
			}
		}
	})
	if p := graphsync.DefaultRetryPolicy; p.MaxAttempts != 4 || p.MaxWait != 2*time.Minute || p.BaseDelay != time.Second || p.RetryPOSTOnUnavailable {
		t.Fatalf("DefaultRetryPolicy = %+v", p)
	}
	synctest.Test(t, func(t *testing.T) {
		// Zero fields mean the defaults: 4 attempts, 1 s doubling.
		f := &flaky{statuses: []int{503, 503, 503, 503, 503}}
		c := inProcessClient(t, f, &graphsync.ClientOptions{Retry: &graphsync.RetryPolicy{}})
		t0 := time.Now()
		if _, err := c.GetJob(ctx, spID, jobID); err == nil || len(f.times) != 4 || time.Since(t0) != 7*time.Second {
			t.Fatalf("err = %v after %d attempts and %v; want 4 attempts in 1+2+4 s", err, len(f.times), time.Since(t0))
		}
	})
}

// A caller's http.Client is used (its transport), and its redirect policy
// runs after the origin check; without one, at most 5 redirects.
func TestHTTPClientOptionAndRedirectCap(t *testing.T) {
	var used atomic.Int32
	var policyCalls atomic.Int32
	redirects := 0
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		redirects++
		http.Redirect(w, r, "/v1.0/again", http.StatusFound)
	})
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		used.Add(1)
		return graphtest.InProcessTransport(h).RoundTrip(r)
	})
	c, err := graphsync.NewClient(&fakeCredential{}, &graphsync.ClientOptions{BaseURL: "http://127.0.0.1:1",
		HTTPClient: &http.Client{Transport: rt, CheckRedirect: func(*http.Request, []*http.Request) error {
			policyCalls.Add(1)
			return http.ErrUseLastResponse
		}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetJob(ctx, spID, jobID); err == nil {
		t.Fatal("a 302 answer decoded as a job")
	}
	if used.Load() != 1 || policyCalls.Load() != 1 {
		t.Fatalf("transport used %d times, caller's redirect policy %d times", used.Load(), policyCalls.Load())
	}
	// The default policy, counted as net/http counts its 10: after the
	// fifth redirect answer, an error instead of a sixth request.
	redirects = 0
	c = inProcessClient(t, h, nil)
	_, err = c.GetJob(ctx, spID, jobID)
	if err == nil || !strings.Contains(err.Error(), "5 redirects") || redirects != 5 {
		t.Fatalf("err = %v after %d answers; want a stop after 5 redirect answers", err, redirects)
	}
}

// Odd answers: a JSON error body without "error", a WWW-Authenticate
// shorter than "Bearer ", a Bearer challenge without claims.
func TestOddErrorAnswers(t *testing.T) {
	for _, tc := range []struct {
		name, body, wwwAuth string
		status              int
	}{
		{"empty object", `{}`, "", 400},
		{"error null", `{"error":null}`, "", 404},
		{"short WWW-Authenticate", `{"error":{"code":"InvalidAuthenticationToken"}}`, "Bear", 401},
		{"Bearer without claims", `{"error":{"code":"InvalidAuthenticationToken"}}`, `Bearer realm=""`, 401},
		{"claims empty", `{"error":{"code":"InvalidAuthenticationToken"}}`, `Bearer claims=""`, 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls := 0
			c := inProcessClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls++
				if tc.wwwAuth != "" {
					w.Header().Set("WWW-Authenticate", tc.wwwAuth)
				}
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			}), nil)
			_, err := c.GetJob(ctx, spID, jobID)
			var re *graphsync.ResponseError
			if !errors.As(err, &re) || re.StatusCode != tc.status || calls != 1 {
				t.Fatalf("err = %v after %d calls", err, calls)
			}
			if s := re.Error(); !strings.Contains(s, http.StatusText(tc.status)) {
				t.Fatalf("Error() = %q", s)
			}
		})
	}
}

// A CAE claims challenge is answered once and does not use up an attempt.
func TestClaimsChallengeDoesNotUseAnAttempt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		calls := 0
		c := inProcessClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls++
			switch calls {
			case 1:
				w.Header().Set("WWW-Authenticate", `Bearer error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnt9fQ=="`)
				w.WriteHeader(http.StatusUnauthorized)
			case 2:
				w.Header().Set("Retry-After", "1")
				w.WriteHeader(http.StatusServiceUnavailable)
			default:
				io.WriteString(w, `{"id":"j"}`)
			}
		}), &graphsync.ClientOptions{Retry: &graphsync.RetryPolicy{MaxAttempts: 2}})
		// 401+claims, then 503, then 200: two attempts besides the resend.
		if job, err := c.GetJob(ctx, spID, jobID); err != nil || job.ID != "j" || calls != 3 {
			t.Fatalf("job %v, err %v, %d calls; want success after 3", job, err, calls)
		}
	})
}

// A retry wait cut short by cancellation sends nothing more.
func TestCancelledRetryWaitSendsNothingMore(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &flaky{statuses: []int{503, 503, 503}, retry: []string{"10", "10", "10"}}
		c := inProcessClient(t, f, nil)
		cctx, cancel := context.WithCancel(ctx)
		time.AfterFunc(15*time.Second, cancel) // during the second wait
		_, err := c.GetJob(cctx, spID, jobID)
		synctest.Wait()
		time.Sleep(time.Minute)
		if !errors.Is(err, context.Canceled) || len(f.times) != 2 {
			t.Fatalf("err = %v, %d requests; want Canceled after 2", err, len(f.times))
		}
	})
}

// Grace bounds how long sent requests may run on after cancellation, both
// ways: a request answered within it is answered, one answered after it is
// abandoned (unknown), and the default is 30 s.
func TestBulkGrace(t *testing.T) {
	for _, tc := range []struct {
		name    string
		grace   time.Duration
		latency time.Duration
		want    graphsync.RequestState
		took    time.Duration
	}{
		{"answered within the grace", 5 * time.Second, 3 * time.Second, graphsync.RequestAnswered, 3 * time.Second},
		{"abandoned after the grace", 2 * time.Second, 10 * time.Second, graphsync.RequestUnknown, 3 * time.Second},
		{"default grace of 30 s", 0, 20 * time.Second, graphsync.RequestAnswered, 20 * time.Second},
		{"default grace of 30 s, passed", 0, 40 * time.Second, graphsync.RequestUnknown, 31 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					select {
					case <-time.After(tc.latency):
						io.WriteString(w, `{"key":"{\"result\":\"Success\",\"details\":{}}","value":"{}"}`)
					case <-r.Context().Done():
					}
				})
				c := inProcessClient(t, slow, &graphsync.ClientOptions{DisableLimiter: true})
				cctx, cancel := context.WithCancel(ctx)
				time.AfterFunc(time.Second, cancel)
				t0 := time.Now()
				results, err := c.ProvisionMany(cctx, spID, jobID, userRequests(1), &graphsync.ProvisionOptions{Grace: tc.grace})
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("err = %v", err)
				}
				if results[0].State != tc.want || time.Since(t0) != tc.took {
					t.Fatalf("state %v after %v, want %v after %v (%v)", results[0].State, time.Since(t0), tc.want, tc.took, results[0].Err)
				}
			})
		})
	}
}

// A failure other than validation before anything is sent (the China
// cloud's ErrUnsupported) comes back as it is, with nothing sent (#17
// item 10).
func TestProvisionManyUnsupportedCloud(t *testing.T) {
	calls := 0
	c := inProcessClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls++ }),
		&graphsync.ClientOptions{Cloud: graphsync.CloudChina})
	for _, n := range []int{0, 3} {
		res, err := c.ProvisionMany(ctx, spID, jobID, userRequests(n), nil)
		if !errors.Is(err, graphsync.ErrUnsupported) || errors.Is(err, graphsync.ErrInvalidInput) || res != nil {
			t.Fatalf("%d requests: %v, %v", n, res, err)
		}
		if err := c.ProvisionEach(ctx, spID, jobID, userRequests(n), nil, func(graphsync.RequestOutcome) { t.Fatal("reported") }); !errors.Is(err, graphsync.ErrUnsupported) {
			t.Fatalf("ProvisionEach: %v", err)
		}
	}
	if calls != 0 {
		t.Fatalf("%d requests sent", calls)
	}
}

// testLimiter lets every request start after the same wait, records
// PauseUntil and counts Charge.
type testLimiter struct {
	wait    time.Duration
	mu      sync.Mutex
	pauses  []time.Time
	charges atomic.Int32
}

func (l *testLimiter) Wait(context.Context) error { time.Sleep(l.wait); return nil }
func (l *testLimiter) Charge()                    { l.charges.Add(1) }
func (l *testLimiter) PauseUntil(t time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pauses = append(l.pauses, t)
}

// A token fetched before a limiter wait of more than a minute is fetched
// again before the request is sent; after a wait of a minute or less it
// is not.
func TestTokenFetchedAgainAfterALongLimiterWait(t *testing.T) {
	for _, tc := range []struct {
		wait    time.Duration
		fetches int
	}{{0, 1}, {time.Second, 1}, {time.Minute, 1}, {time.Minute + time.Millisecond, 2}} {
		synctest.Test(t, func(t *testing.T) {
			cred := &fakeCredential{}
			c, err := graphsync.NewClient(cred, &graphsync.ClientOptions{BaseURL: "http://127.0.0.1:1",
				Transport: graphtest.InProcessTransport(&bulkServer{}), Limiter: &testLimiter{wait: tc.wait}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.ProvisionOnDemand(ctx, spID, jobID, userRequests(1)[0]); err != nil {
				t.Fatal(err)
			}
			if n := len(cred.scopes); n != tc.fetches {
				t.Fatalf("after a limiter wait of %v: %d token fetches, want %d", tc.wait, n, tc.fetches)
			}
		})
	}
}

// The debug log's "took" is the time from sending to the answer.
func TestLoggedAttemptTimeIsTheRoundTrip(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		capt := newCapture()
		slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(3 * time.Second)
			io.WriteString(w, `{"id":"ok"}`)
		})
		c := inProcessClient(t, slow, &graphsync.ClientOptions{Logger: slog.New(capt.h)})
		if _, err := c.GetJob(ctx, spID, jobID); err != nil {
			t.Fatal(err)
		}
		if out := capt.String(); !strings.Contains(out, `"took":3000000000,`) {
			t.Fatalf("want took = 3 s in the log:\n%s", out)
		}
	})
}

// A wait that uses up exactly what is left of MaxWait is still taken.
func TestMaxWaitMayBeUsedUpExactly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &flaky{statuses: []int{503, 503, 503}, retry: []string{"40", "40", "20"}}
		c := inProcessClient(t, f, &graphsync.ClientOptions{Retry: &graphsync.RetryPolicy{MaxAttempts: 10, MaxWait: 100 * time.Second}})
		t0 := time.Now()
		if _, err := c.GetJob(ctx, spID, jobID); err != nil || len(f.times) != 4 || time.Since(t0) != 100*time.Second {
			t.Fatalf("err = %v after %d attempts and %v; want success after 4 attempts and 100s", err, len(f.times), time.Since(t0))
		}
	})
}

// Only 2xx is success: a 300 (or any other 3xx Go does not follow) is a
// *ResponseError.
func TestMultipleChoicesIsAnError(t *testing.T) {
	for _, status := range []int{300, 304} {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			io.WriteString(w, `{"id":"not a job"}`)
		})
		c := inProcessClient(t, h, nil)
		_, err := c.GetJob(ctx, spID, jobID)
		var re *graphsync.ResponseError
		if !errors.As(err, &re) || re.StatusCode != status {
			t.Fatalf("status %d: err = %v, want a *ResponseError with it", status, err)
		}
	}
}

// A call cancelled while its request is in flight returns the context's
// error itself, not wrapped, as the calls document.
func TestCancelledInFlightReturnsTheContextError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(ctx)
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			cancel()
			<-r.Context().Done()
		})
		c := inProcessClient(t, h, nil)
		if _, err := c.GetJob(ctx, spID, jobID); err != context.Canceled {
			t.Fatalf("err = %#v, want context.Canceled itself", err)
		}
	})
}

// pipeTransport is an *http.Transport whose connections are in-memory
// pipes, made after dialDelay, to a server that answers every request
// with body.
func pipeTransport(dialDelay time.Duration, body string) *http.Transport {
	return &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		time.Sleep(dialDelay)
		client, server := net.Pipe()
		go func() {
			defer server.Close()
			br := bufio.NewReader(server)
			for {
				req, err := http.ReadRequest(br)
				if err != nil {
					return
				}
				io.Copy(io.Discard, req.Body)
				fmt.Fprintf(server, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
			}
		}()
		return client, nil
	}}
}

// A paced request written more than 50 ms after the limiter let it start
// (a slow first connection) charges the limiter once more; one written
// within 50 ms does not.
func TestLateWriteChargesTheLimiter(t *testing.T) {
	const result = `{"key":"{\"result\":\"Success\",\"details\":{}}","value":"{}"}`
	for _, tc := range []struct {
		dial    time.Duration
		charges int32
	}{{0, 0}, {50 * time.Millisecond, 0}, {51 * time.Millisecond, 1}, {2 * time.Second, 1}} {
		synctest.Test(t, func(t *testing.T) {
			l := &testLimiter{}
			tr := pipeTransport(tc.dial, result)
			defer tr.CloseIdleConnections()
			c, err := graphsync.NewClient(&fakeCredential{}, &graphsync.ClientOptions{BaseURL: "http://127.0.0.1:1", Transport: tr, Limiter: l})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.ProvisionOnDemand(ctx, spID, jobID, userRequests(1)[0]); err != nil {
				t.Fatal(err)
			}
			if n := l.charges.Load(); n != tc.charges {
				t.Fatalf("dial of %v: %d charges, want %d", tc.dial, n, tc.charges)
			}
		})
	}
}

// The whole answer is read up to 64 MiB; one byte more is refused. (The
// limit is lowered to 1 MiB for the test: 64 MiB takes seconds under -race.)
func TestResponseBodyLimit(t *testing.T) {
	const limit = 1 << 20
	if old := graphsync.SetMaxResponseBody(limit); old != 64<<20 {
		t.Fatalf("the limit is %d bytes, documented as 64 MiB", old)
	}
	defer graphsync.SetMaxResponseBody(64 << 20)
	for _, tc := range []struct {
		size     int64
		tooLarge bool
	}{{limit, false}, {limit + 1, true}} {
		rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 400, Header: http.Header{}, Body: io.NopCloser(io.LimitReader(repeatReader('x'), tc.size)), Request: r}, nil
		})
		c, err := graphsync.NewClient(&fakeCredential{}, &graphsync.ClientOptions{BaseURL: "http://127.0.0.1:1", Transport: rt})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.GetJob(ctx, spID, jobID)
		var re *graphsync.ResponseError
		if got := !errors.As(err, &re); got != tc.tooLarge || (got && !strings.Contains(err.Error(), "larger than")) {
			t.Fatalf("body of %d bytes: err = %.200v", tc.size, err)
		}
	}
}

type repeatReader byte

func (b repeatReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	p[0] = byte(b)
	for n := 1; n < len(p); n *= 2 { // a byte at a time is slow under -race
		copy(p[n:], p[:n])
	}
	return len(p), nil
}

// Error() names the Retry-After only when there is one, and a message that
// needs cleaning and is over its bound is cut with "…".
func TestResponseErrorLineRetryAfterAndCut(t *testing.T) {
	e := graphsync.ResponseError{Method: "POST", Path: "/x", StatusCode: 429, Code: "TooManyRequests", Message: "slow down"}
	if s := e.Error(); strings.Contains(s, "retry after") || !strings.Contains(s, ": slow down") {
		t.Fatalf("without Retry-After: %q", s)
	}
	e.RetryAfter = 2 * time.Second
	if s := e.Error(); !strings.HasSuffix(s, " (retry after 2s)") {
		t.Fatalf("with Retry-After: %q", s)
	}
	e.RetryAfter = 0
	e.Message = "first line\nsecond line " + strings.Repeat("x", 3000)
	s := e.Error()
	if !strings.Contains(s, `: first line\nsecond line xxx`) || !strings.HasSuffix(s, "x…") || len(s) > graphsync.MaxErrorLength {
		t.Fatalf("long message: %q", s)
	}
}

// A collection that never ends (each page linking to a new one) is walked
// for at most 10,000 pages, and an error names the page it is about.
func TestPagingStopsAfterMaxPages(t *testing.T) {
	var n atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"value":[],"@odata.nextLink":"http://127.0.0.1:1/v1.0/servicePrincipals/sp/synchronization/jobs?$skiptoken=%d"}`, n.Add(1))
	})
	c := inProcessClient(t, h, nil)
	_, err := c.ListJobs(ctx, spID)
	if err == nil || !strings.Contains(err.Error(), "more than 10000 pages") || n.Load() != 10000 {
		t.Fatalf("after %d pages: %v", n.Load(), err)
	}
	n.Store(0)
	h2 := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if k := n.Add(1); k < 3 {
			fmt.Fprintf(w, `{"value":[],"@odata.nextLink":"http://127.0.0.1:1/v1.0/next%d"}`, k)
			return
		}
		io.WriteString(w, `{"values":[]}`)
	})
	c = inProcessClient(t, h2, nil)
	if _, err := c.ListJobs(ctx, spID); err == nil || !strings.Contains(err.Error(), "page 3 has no value array") {
		t.Fatalf("third page without value: %v", err)
	}
}

// A log query sends $top only when Top is set, and only the parts set.
func TestProvisioningLogsQueryParts(t *testing.T) {
	for _, tc := range []struct {
		q    models.ProvisioningLogQuery
		want string
	}{
		{models.ProvisioningLogQuery{}, ""},
		{models.ProvisioningLogQuery{Top: 1}, "$top=1"},
		{models.ProvisioningLogQuery{JobID: "j"}, "$filter=jobId%20eq%20%27j%27"},
	} {
		var got atomic.Value
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got.Store(r.URL.RawQuery)
			io.WriteString(w, `{"value":[]}`)
		})
		if _, err := inProcessClient(t, h, nil).ListProvisioningLogs(ctx, tc.q); err != nil {
			t.Fatal(err)
		}
		if got.Load() != tc.want {
			t.Errorf("%+v: query %q, want %q", tc.q, got.Load(), tc.want)
		}
	}
}

// A 429 asking for up to a day (MaxRetryAfter) pauses the limiter that
// long; one asking for more is not honoured and pauses nothing.
func TestRetryAfterOfADayIsHonoured(t *testing.T) {
	for _, tc := range []struct {
		retryAfter string
		pause      time.Duration // 0: none
	}{{"86400", 24 * time.Hour}, {"86401", 0}} {
		synctest.Test(t, func(t *testing.T) {
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", tc.retryAfter)
				w.WriteHeader(http.StatusTooManyRequests)
			})
			l := &testLimiter{}
			c := inProcessClient(t, h, &graphsync.ClientOptions{Limiter: l})
			t0 := time.Now()
			if _, err := c.ProvisionOnDemand(ctx, spID, jobID, userRequests(1)[0]); !errors.Is(err, graphsync.ErrThrottled) {
				t.Fatalf("err = %v", err)
			}
			switch {
			case tc.pause == 0 && len(l.pauses) != 0:
				t.Fatalf("Retry-After %s paused the limiter until %v", tc.retryAfter, l.pauses)
			case tc.pause != 0 && (len(l.pauses) != 1 || l.pauses[0].Sub(t0) != tc.pause):
				t.Fatalf("Retry-After %s paused %v; want once, %v", tc.retryAfter, l.pauses, tc.pause)
			}
		})
	}
}

// A limiter wait of a second or more is logged at Info; a shorter one is
// not.
func TestLimiterWaitLoggedFromASecond(t *testing.T) {
	for _, tc := range []struct {
		wait   time.Duration
		logged bool
	}{{time.Second - time.Millisecond, false}, {time.Second, true}} {
		synctest.Test(t, func(t *testing.T) {
			capt := newCapture()
			c := inProcessClient(t, &bulkServer{}, &graphsync.ClientOptions{Limiter: &testLimiter{wait: tc.wait}, Logger: slog.New(capt.h)})
			if _, err := c.ProvisionOnDemand(ctx, spID, jobID, userRequests(1)[0]); err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(capt.String(), "waited for the rate limiter"); got != tc.logged {
				t.Fatalf("a wait of %v logged: %v\n%s", tc.wait, got, capt.String())
			}
		})
	}
}
