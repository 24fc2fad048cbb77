package graphsync_test

// Regression tests for the defects an outside attack found (issue #12).
// Each one failed before its fix.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
	"unicode"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
	"github.com/graphsync/graphsync/ratelimit"
)

// dualListener serves TLS and plain HTTP on one port, telling them apart
// by the first byte (0x16 starts a TLS handshake).
type dualListener struct {
	net.Listener
	tls, plain chan net.Conn
}

type peekedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c peekedConn) Read(b []byte) (int, error) { return c.r.Read(b) }

type chanListener struct {
	net.Listener
	c chan net.Conn
}

func (l chanListener) Accept() (net.Conn, error) {
	c, ok := <-l.c
	if !ok {
		return nil, net.ErrClosed
	}
	return c, nil
}

func (d *dualListener) run() {
	for {
		c, err := d.Listener.Accept()
		if err != nil {
			close(d.tls)
			close(d.plain)
			return
		}
		go func() {
			r := bufio.NewReader(c)
			b, err := r.Peek(1)
			if err != nil {
				c.Close()
				return
			}
			if b[0] == 0x16 {
				d.tls <- peekedConn{c, r}
			} else {
				d.plain <- peekedConn{c, r}
			}
		}()
	}
}

// TestTokenNeverSentOverPlainHTTPAfterRedirect: a server on one port that
// speaks TLS and plain HTTP redirects an https request to http on the same
// host and port. No status may carry the token (or anything) over http.
func TestTokenNeverSentOverPlainHTTPAfterRedirect(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d := &dualListener{Listener: ln, tls: make(chan net.Conn), plain: make(chan net.Conn)}
	go d.run()

	var mu sync.Mutex
	var plainAuth []string
	plain := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		plainAuth = append(plainAuth, r.Header.Get("Authorization"))
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})}
	go plain.Serve(chanListener{ln, d.plain})
	defer plain.Close()

	status := http.StatusFound
	secure := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://"+ln.Addr().String()+"/leak", status)
	}))
	secure.Listener = chanListener{ln, d.tls}
	secure.StartTLS()
	defer secure.Close()
	if !strings.HasPrefix(secure.URL, "https://") {
		t.Fatal(secure.URL)
	}

	for _, status = range []int{301, 302, 303, 307, 308} {
		c, err := graphsync.NewClient(&fakeCredential{}, &graphsync.ClientOptions{
			BaseURL:    "https://" + ln.Addr().String(),
			HTTPClient: secure.Client(),
			Retry:      &graphsync.RetryPolicy{MaxAttempts: 1},
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetJob(ctx, spID, jobID); err == nil {
			t.Errorf("%d to http: no error", status)
		} else if strings.Contains(err.Error(), testToken) {
			t.Errorf("token in error: %v", err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(plainAuth) != 0 {
		t.Fatalf("%d requests went over plain http (Authorization %q)", len(plainAuth), plainAuth)
	}
}

// TestNextLinkMustKeepSchemeHostAndPort: the same destination rule holds
// for an absolute URL from a body.
func TestNextLinkMustKeepSchemeHostAndPort(t *testing.T) {
	c, ts, _ := setup(t, nil)
	host := strings.TrimPrefix(ts.URL, "http://")
	hostname, _, _ := net.SplitHostPort(host)
	for _, next := range []string{
		"https://" + host + "/v1.0/x",      // another scheme
		"http://" + hostname + ":1/v1.0/x", // another port
		"http://" + hostname + "/v1.0/x",   // default port is another port
		"//" + host + "/v1.0/x",            // scheme-relative
		"http://user@" + host + "/v1.0/x",  // userinfo
	} {
		ts.mux.HandleFunc("GET /v1.0/servicePrincipals/{sp}/synchronization/jobs", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, `{"value":[],"@odata.nextLink":%q}`, next)
		})
		before := ts.requests()
		if _, err := c.ListJobs(ctx, spID); err == nil {
			t.Errorf("nextLink %s was followed", next)
		}
		if n := ts.requests() - before; n != 1 {
			t.Errorf("nextLink %s: %d requests", next, n)
		}
		ts.mux = http.NewServeMux()
	}
}

// hostileBodies are error bodies whose fields try to forge log lines.
var hostileBodies = []string{
	`{"error":{"code":"Bad\r\nFAKE 200 OK","message":"m"}}`,
	`{"error":{"code":"X","message":"line1\u2028line2\u2029line3\u000bv\u000cf\u0085nel"}}`,
	`{"error":{"code":"\u001b[31mred\u001b[0m","message":"\u001b]0;title\u0007","target":"t\nx"}}`,
	`{"error":{"code":"C","innerError":{"request-id":"r\r\nid: forged","client-request-id":"c\n"}}}`,
	`{"error":{"code":"\u202eevil\u202c","message":"\u009b31m"}}`,
	`{"error":{"code":"C","message":"` + strings.Repeat("A", 200000) + `"}}`,
	`{"error":{"code":"` + strings.Repeat("é", 50000) + `"}}`,
}

func checkOneLine(t *testing.T, s string) {
	t.Helper()
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r) || unicode.Is(unicode.Cf, r) {
			t.Fatalf("Error() holds %U: %q", r, s)
		}
	}
	if len(s) > graphsync.MaxErrorLength {
		t.Fatalf("Error() is %d bytes long, more than %d", len(s), graphsync.MaxErrorLength)
	}
}

func TestResponseErrorIsOneBoundedLine(t *testing.T) {
	for i, body := range hostileBodies {
		c, ts, _ := setup(t, &graphsync.ClientOptions{Retry: &graphsync.RetryPolicy{MaxAttempts: 1}})
		ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, body)
		})
		_, err := c.GetJob(ctx, spID, jobID)
		var re *graphsync.ResponseError
		if !errors.As(err, &re) {
			t.Fatalf("body %d: %v", i, err)
		}
		checkOneLine(t, err.Error())
		if want := min(len(body), 64<<10); len(re.Body) != want {
			t.Errorf("body %d: raw Body is %d bytes, want %d", i, len(re.Body), want)
		}
	}
	// Graph's message is in Error(), and so is its code.
	re := &graphsync.ResponseError{StatusCode: 404, Code: "Request_ResourceNotFound", Message: "Resource 'x' does not exist."}
	if s := re.Error(); !strings.Contains(s, "Request_ResourceNotFound") || !strings.Contains(s, "Resource 'x' does not exist.") {
		t.Fatalf("Error() = %q", s)
	}
}

func TestNewClientRefusesControlCharacters(t *testing.T) {
	for _, o := range []graphsync.ClientOptions{
		{UserAgent: "app/1.0\r\nX-Injected: 1"},
		{UserAgent: "app\x00"},
		{UserAgent: "app\x7f"},
		{UserAgent: "app\u2028"},
		{UserAgent: "bad\xff utf8"},
		{Cloud: graphsync.Cloud{Name: "x", Host: "graph.example.com/evil", Scope: "s"}},
		{Cloud: graphsync.Cloud{Name: "x", Host: "user@graph.example.com", Scope: "s"}},
		{Cloud: graphsync.Cloud{Name: "x", Host: "graph.example.com\r\n", Scope: "s"}},
	} {
		_, err := graphsync.NewClient(&fakeCredential{}, &o)
		if !errors.Is(err, graphsync.ErrInvalidInput) {
			t.Errorf("%+v: err = %v, want a *ValidationError", o, err)
		}
	}
	if _, err := graphsync.NewClient(&fakeCredential{}, &graphsync.ClientOptions{UserAgent: "contoso-hr/2.1 (+ops@contoso.com)"}); err != nil {
		t.Fatal(err)
	}
}

// retryAfterServer answers every request with status and Retry-After;
// with first set, the first answer carries Retry-After: first instead.
type retryAfterServer struct {
	status            int
	retryAfter, first string
	mu                sync.Mutex
	times             []time.Time
}

func (s *retryAfterServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.times = append(s.times, time.Now())
	n := len(s.times)
	s.mu.Unlock()
	if ra := s.retryAfter; ra != "" || s.first != "" {
		if n == 1 && s.first != "" {
			ra = s.first
		}
		w.Header().Set("Retry-After", ra)
	}
	w.WriteHeader(s.status)
	io.WriteString(w, `{"error":{"code":"TooManyRequests","message":"slow down"}}`)
}

func (s *retryAfterServer) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.times)
}

func TestRetryAfterTooFarIsNotHonoured(t *testing.T) {
	for _, ra := range []string{"Fri, 31 Dec 9999 23:59:59 GMT", "86401", "99999999999999999999999", "9223372036"} {
		t.Run(ra, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				// A first 429 asks for 1 s, which is honoured; the second
				// asks for more than a day: the call ends with it at once.
				srv := &retryAfterServer{status: 429, first: "1", retryAfter: ra}
				lim := ratelimit.New(5, 10*time.Second)
				c := inProcessClient(t, srv, &graphsync.ClientOptions{Limiter: lim, Retry: &graphsync.RetryPolicy{MaxWait: 1000 * time.Hour}})
				t0 := time.Now()
				_, err := c.GetJob(ctx, spID, jobID)
				if !errors.Is(err, graphsync.ErrThrottled) || srv.count() != 2 || time.Since(t0) != time.Second {
					t.Fatalf("GetJob: err = %v after %d attempts and %v", err, srv.count(), time.Since(t0))
				}
				srv.first = ""
				_, err = c.ProvisionOnDemand(ctx, spID, jobID, seedRequests[0])
				if !errors.Is(err, graphsync.ErrThrottled) || srv.count() != 3 || time.Since(t0) != time.Second {
					t.Fatalf("ProvisionOnDemand: err = %v after %d attempts and %v", err, srv.count(), time.Since(t0))
				}
				if st := lim.Stats(); st.Pauses != 0 {
					t.Fatalf("limiter paused by an answer that cannot be honoured: %+v", st)
				}
				// The shared limiter still lets the next caller in at once.
				if err := lim.Wait(ctx); err != nil || time.Since(t0) != time.Second {
					t.Fatalf("limiter: %v after %v", err, time.Since(t0))
				}
			})
		})
	}
}

func TestRetryAfterUnparseableMeansBackoff(t *testing.T) {
	for _, ra := range []string{"soon", "-5", "1.5", "+3", "Fri, 31 Dec 9999"} {
		synctest.Test(t, func(t *testing.T) {
			f := &flaky{statuses: []int{503}, retry: []string{ra}}
			c := inProcessClient(t, f, &graphsync.ClientOptions{Retry: &graphsync.RetryPolicy{BaseDelay: 3 * time.Second}})
			t0 := time.Now()
			if _, err := c.GetJob(ctx, spID, jobID); err != nil {
				t.Fatalf("%q: %v", ra, err)
			}
			if len(f.times) != 2 || f.times[1].Sub(t0) != 3*time.Second {
				t.Fatalf("%q: %d attempts, second after %v; want backoff of 3s", ra, len(f.times), f.times[len(f.times)-1].Sub(t0))
			}
		})
	}
}

func TestHTTPClientTimeoutIsPerAttempt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var calls atomic.Int32
		slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			select {
			case <-r.Context().Done():
			case <-time.After(time.Hour):
			}
		})
		c := inProcessClient(t, slow, &graphsync.ClientOptions{HTTPClient: &http.Client{Timeout: 2 * time.Second, Transport: graphtest.InProcessTransport(slow)}})
		t0 := time.Now()
		_, err := c.GetJob(ctx, spID, jobID)
		if err == nil || !errors.Is(err, context.DeadlineExceeded) || time.Since(t0) != 2*time.Second {
			t.Fatalf("err = %v after %v, want a timeout after 2s", err, time.Since(t0))
		}
		if calls.Load() != 1 {
			t.Fatalf("%d calls", calls.Load())
		}
	})
}

func TestWaitPastDeadlineIsNotStarted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Retry-After beyond the deadline: the 503 comes back at once.
		srv := &retryAfterServer{status: 503, retryAfter: "10"}
		c := inProcessClient(t, srv, nil)
		dctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		t0 := time.Now()
		_, err := c.GetJob(dctx, spID, jobID)
		var re *graphsync.ResponseError
		if !errors.As(err, &re) || re.StatusCode != 503 || time.Since(t0) != 0 || srv.count() != 1 {
			t.Fatalf("err = %v after %v, %d attempts; want the 503 at once", err, time.Since(t0), srv.count())
		}
		// Backoff beyond the deadline: likewise.
		srv = &retryAfterServer{status: 503}
		c = inProcessClient(t, srv, &graphsync.ClientOptions{Retry: &graphsync.RetryPolicy{BaseDelay: 10 * time.Second}})
		_, err = c.GetJob(dctx, spID, jobID)
		if !errors.As(err, &re) || re.StatusCode != 503 || time.Since(t0) != 0 {
			t.Fatalf("backoff: err = %v after %v", err, time.Since(t0))
		}
		// A limited call: the 429 at once, and the limiter is paused.
		srv = &retryAfterServer{status: 429, retryAfter: "10"}
		lim := ratelimit.New(5, 10*time.Second)
		c = inProcessClient(t, srv, &graphsync.ClientOptions{Limiter: lim})
		_, err = c.ProvisionOnDemand(dctx, spID, jobID, seedRequests[0])
		if !errors.Is(err, graphsync.ErrThrottled) || time.Since(t0) != 0 || srv.count() != 1 {
			t.Fatalf("provision: err = %v after %v, %d attempts", err, time.Since(t0), srv.count())
		}
		if lim.Stats().Pauses != 1 {
			t.Fatal("the limiter was not paused")
		}
	})
}

func TestFinal429PausesTheLimiter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		for _, tc := range []struct {
			name  string
			retry *graphsync.RetryPolicy
			ra    string
			pause time.Duration
		}{
			{"Retry-After beyond MaxWait", nil, "3600", time.Hour},
			{"last attempt", &graphsync.RetryPolicy{MaxAttempts: 1}, "7", 7 * time.Second},
		} {
			srv := &retryAfterServer{status: 429, retryAfter: tc.ra}
			lim := ratelimit.New(5, 10*time.Second)
			c := inProcessClient(t, srv, &graphsync.ClientOptions{Limiter: lim, Retry: tc.retry})
			t0 := time.Now()
			if _, err := c.ProvisionOnDemand(ctx, spID, jobID, seedRequests[0]); !errors.Is(err, graphsync.ErrThrottled) {
				t.Fatalf("%s: err = %v", tc.name, err)
			}
			if lim.Stats().Pauses != 1 {
				t.Fatalf("%s: limiter not paused", tc.name)
			}
			// Another caller waits out the pause.
			if err := lim.Wait(ctx); err != nil || time.Since(t0) != tc.pause {
				t.Fatalf("%s: next start after %v (%v), want %v", tc.name, time.Since(t0), err, tc.pause)
			}
		}
	})
}

// bulkServer answers provisionOnDemand, recording the subjects in arrival
// order; answer decides the status (0: 200 Success).
type bulkServer struct {
	mu       sync.Mutex
	subjects []string
	answer   func(n int, w http.ResponseWriter) bool // true: answered
}

func (s *bulkServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req models.ProvisionRequest
	b, _ := io.ReadAll(r.Body)
	_ = json.Unmarshal(b, &req)
	s.mu.Lock()
	s.subjects = append(s.subjects, req.Parameters[0].Subjects[0].ObjectID)
	n := len(s.subjects)
	s.mu.Unlock()
	if s.answer != nil && s.answer(n, w) {
		return
	}
	io.WriteString(w, `{"key":"{\"result\":\"Success\",\"details\":{}}","value":"{}"}`)
}

func (s *bulkServer) arrived() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.subjects...)
}

func userRequests(n int) []models.ProvisionRequest {
	reqs := make([]models.ProvisionRequest, n)
	for i := range reqs {
		reqs[i] = models.NewProvisionRequest("rule", models.User(fmt.Sprintf("u%03d", i)))
	}
	return reqs
}

func TestProvisionManyUnabsorbable429EndsTheRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := &bulkServer{answer: func(n int, w http.ResponseWriter) bool {
			if n != 1 {
				return false
			}
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusTooManyRequests)
			io.WriteString(w, `{"error":{"code":"TooManyRequests","message":"slow down"}}`)
			return true
		}}
		lim := ratelimit.New(5, 10*time.Second)
		c := inProcessClient(t, srv, &graphsync.ClientOptions{Limiter: lim})
		t0 := time.Now()
		results, err := c.ProvisionMany(ctx, spID, jobID, userRequests(10), &graphsync.ProvisionOptions{Concurrency: 1})
		if !errors.Is(err, graphsync.ErrThrottled) {
			t.Fatalf("err = %v, want the 429", err)
		}
		if time.Since(t0) != 0 {
			t.Fatalf("returned after %v; must not wait out the pause", time.Since(t0))
		}
		if got := srv.arrived(); len(got) != 1 {
			t.Fatalf("%d requests reached the server after a 429 of an hour: %v", len(got), got)
		}
		for i, r := range results {
			if r.State != graphsync.RequestNotAttempted || !errors.Is(r.Err, graphsync.ErrThrottled) {
				t.Fatalf("result %d = %v, %v; want not attempted because of the 429", i, r.State, r.Err)
			}
		}
		if lim.Stats().Pauses != 1 {
			t.Fatal("limiter not paused")
		}
	})
}

// failingCredential cannot get a token.
type failingCredential struct{ calls atomic.Int32 }

func (f *failingCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	f.calls.Add(1)
	return azcore.AccessToken{}, errors.New("AADSTS7000215: Invalid client secret provided")
}

func TestProvisionManyCredentialFailureSendsNothing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := &bulkServer{}
		cred := &failingCredential{}
		c, err := graphsync.NewClient(cred, &graphsync.ClientOptions{BaseURL: "http://127.0.0.1:1", Transport: graphtest.InProcessTransport(srv)})
		if err != nil {
			t.Fatal(err)
		}
		results, err := c.ProvisionMany(ctx, spID, jobID, userRequests(20), nil)
		if err == nil || !errors.Is(err, graphsync.ErrCredential) {
			t.Fatalf("err = %v, want ErrCredential", err)
		}
		if n := len(srv.arrived()); n != 0 {
			t.Fatalf("%d requests reached the server", n)
		}
		for i, r := range results {
			if r.State != graphsync.RequestNotAttempted || r.Err == nil {
				t.Fatalf("result %d = %v, %v; want not attempted with the cause", i, r.State, r.Err)
			}
		}
		if n := cred.calls.Load(); n > graphsync.ProvisionOnDemandLimit {
			t.Fatalf("%d token requests for a failure that repeats for every request", n)
		}
	})
}

func TestProvisionManyConnectionRefusedIsNotAttempted(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens here
	c, err := graphsync.NewClient(&fakeCredential{}, &graphsync.ClientOptions{BaseURL: "http://" + addr, DisableLimiter: true})
	if err != nil {
		t.Fatal(err)
	}
	results, err := c.ProvisionMany(ctx, spID, jobID, userRequests(3), nil)
	if err == nil {
		t.Fatal("nil error although nothing was sent")
	}
	for i, r := range results {
		if r.State != graphsync.RequestNotAttempted {
			t.Fatalf("result %d = %v (%v); a refused connection sent nothing", i, r.State, r.Err)
		}
	}
}

func TestProvisionManyDroppedConnectionIsUnknown(t *testing.T) {
	srv := &bulkServer{answer: func(n int, w http.ResponseWriter) bool {
		if n != 2 {
			return false
		}
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
		return true
	}}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	c, err := graphsync.NewClient(&fakeCredential{}, &graphsync.ClientOptions{BaseURL: ts.URL, DisableLimiter: true})
	if err != nil {
		t.Fatal(err)
	}
	results, err := c.ProvisionMany(ctx, spID, jobID, userRequests(3), &graphsync.ProvisionOptions{Concurrency: 1})
	if err != nil {
		t.Fatalf("err = %v; every request was attempted", err)
	}
	want := []graphsync.RequestState{graphsync.RequestAnswered, graphsync.RequestUnknown, graphsync.RequestAnswered}
	for i, r := range results {
		if r.State != want[i] {
			t.Fatalf("result %d = %v (%v), want %v", i, r.State, r.Err, want[i])
		}
	}
}

// startRecorder records the subject of each request as it is handed to
// the network transport: the moment a request starts.
type startRecorder struct {
	mu       sync.Mutex
	subjects []string
	next     http.RoundTripper
}

func (s *startRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	b, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(b))
	var req models.ProvisionRequest
	_ = json.Unmarshal(b, &req)
	s.mu.Lock()
	s.subjects = append(s.subjects, req.Parameters[0].Subjects[0].ObjectID)
	s.mu.Unlock()
	return s.next.RoundTrip(r)
}

func TestProvisionManyStartsInInputOrder(t *testing.T) {
	// Real time, real connections, a short window, many in flight: the
	// requests start in input order. (The server may still see two
	// requests sent a microsecond apart on two connections the other way
	// round; what the client controls is when each is written.)
	ts := httptest.NewServer(&bulkServer{})
	defer ts.Close()
	rec := &startRecorder{next: http.DefaultTransport.(*http.Transport).Clone()}
	reqs := userRequests(60)
	c, err := graphsync.NewClient(&fakeCredential{}, &graphsync.ClientOptions{BaseURL: ts.URL,
		HTTPClient: &http.Client{Transport: rec},
		Limiter:    ratelimit.New(20, 100*time.Millisecond, ratelimit.WithMargin(0))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ProvisionMany(ctx, spID, jobID, reqs, &graphsync.ProvisionOptions{Concurrency: 10}); err != nil {
		t.Fatal(err)
	}
	if len(rec.subjects) != len(reqs) {
		t.Fatalf("%d starts", len(rec.subjects))
	}
	for i, id := range rec.subjects {
		if want := reqs[i].Parameters[0].Subjects[0].ObjectID; id != want {
			t.Fatalf("start %d is %s, want %s (order %v)", i, id, want, rec.subjects)
		}
	}
}

func TestProvisionManyValidatesArgumentsWithoutRequests(t *testing.T) {
	c, ts, _ := setup(t, nil)
	for _, tc := range []struct {
		ctx     context.Context
		sp, job string
	}{
		{nil, spID, jobID}, //nolint:staticcheck // a nil ctx is the careless caller's
		{ctx, "", jobID},
		{ctx, spID, ""},
		{ctx, "..", jobID},
	} {
		_, err := c.ProvisionMany(tc.ctx, tc.sp, tc.job, nil, nil)
		if !errors.Is(err, graphsync.ErrInvalidInput) {
			t.Errorf("%q/%q: err = %v", tc.sp, tc.job, err)
		}
	}
	if res, err := c.ProvisionMany(ctx, spID, jobID, nil, nil); err != nil || len(res) != 0 {
		t.Fatalf("no requests: %v, %v", res, err)
	}
	if ts.requests() != 0 {
		t.Fatal("something was sent")
	}
}

func TestEmptyOrNullBodyIsAnError(t *testing.T) {
	for _, body := range []string{"", "null", " null\n", "   "} {
		c, ts, _ := setup(t, nil)
		ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost {
				w.WriteHeader(http.StatusCreated)
			}
			io.WriteString(w, body)
		})
		if job, err := c.GetJob(ctx, spID, jobID); err == nil {
			t.Errorf("GetJob with body %q: %+v, nil error", body, job)
		}
		if job, err := c.CreateJob(ctx, spID, models.SynchronizationJob{TemplateID: "scim"}); err == nil {
			t.Errorf("CreateJob with body %q: %+v, nil error", body, job)
		}
		if jobs, err := c.ListJobs(ctx, spID); err == nil {
			t.Errorf("ListJobs with body %q: %+v, nil error", body, jobs)
		}
	}
}

func TestUpdateJobSendsOnlyWhatIsSet(t *testing.T) {
	c, ts, _ := setup(t, nil)
	var got []byte
	ts.mux.HandleFunc("PATCH /", func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
		w.WriteHeader(http.StatusNoContent)
	})
	must(t, c.UpdateJob(ctx, spID, jobID, models.SynchronizationJob{Schedule: &models.SynchronizationSchedule{Interval: "PT40M"}}))
	assertJSONEqual(t, got, []byte(`{"schedule":{"interval":"PT40M"}}`))

	exp := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	must(t, c.UpdateJob(ctx, spID, jobID, models.SynchronizationJob{Schedule: &models.SynchronizationSchedule{Expiration: &exp}}))
	assertJSONEqual(t, got, []byte(`{"schedule":{"expiration":"2030-01-02T03:04:05Z"}}`))

	// An explicit null clears the expiration.
	must(t, c.UpdateJob(ctx, spID, jobID, models.SynchronizationJob{Schedule: &models.SynchronizationSchedule{Expiration: azcore.NullValue[*time.Time]()}}))
	assertJSONEqual(t, got, []byte(`{"schedule":{"expiration":null}}`))
}

func TestGroupOfMoreThanFiveMembersIsRefused(t *testing.T) {
	c, ts, _ := setup(t, nil)
	members := []string{"m1", "m2", "m3", "m4", "m5", "m6"}
	_, err := c.ProvisionOnDemand(ctx, spID, jobID, models.NewProvisionRequest("rule", models.Group("g", members...)))
	var ve *graphsync.ValidationError
	if !errors.As(err, &ve) || ve.Field != "req.parameters[0].subjects[0].links.members" {
		t.Fatalf("err = %v, want a ValidationError naming the members", err)
	}
	if ts.requests() != 0 {
		t.Fatal("sent")
	}
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"key":"{\"result\":\"Success\",\"details\":{}}","value":"{}"}`)
	})
	if _, err := c.ProvisionOnDemand(ctx, spID, jobID, models.NewProvisionRequest("rule", models.Group("g", members[:5]...))); err != nil {
		t.Fatalf("five members: %v", err)
	}
}

func TestIntervalMustBeAnEdmDuration(t *testing.T) {
	c, ts, _ := setup(t, nil)
	for _, d := range []models.Duration{"P2W", "P1M", "P1Y"} {
		err := c.UpdateJob(ctx, spID, jobID, models.SynchronizationJob{Schedule: &models.SynchronizationSchedule{Interval: d}})
		var ve *graphsync.ValidationError
		if !errors.As(err, &ve) || ve.Field != "job.Schedule.Interval" {
			t.Errorf("%s: err = %v", d, err)
		}
	}
	if ts.requests() != 0 {
		t.Fatal("sent")
	}
}
