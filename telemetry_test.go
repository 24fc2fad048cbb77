package graphsync_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
	"github.com/graphsync/graphsync/ratelimit"
)

func spanAttr(s sdktrace.ReadOnlySpan, key string) (attribute.Value, bool) {
	for _, a := range s.Attributes() {
		if string(a.Key) == key {
			return a.Value, true
		}
	}
	return attribute.Value{}, false
}

// seqServer answers the listed statuses in turn (then 200 with body),
// with a request-id per answer and Retry-After: 1 on 429 and 503.
type seqServer struct {
	mu       sync.Mutex
	statuses []int
	body     string
	n        int
}

func (s *seqServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.n++
	n := s.n
	s.mu.Unlock()
	w.Header().Set("request-id", fmt.Sprintf("req-%d", n))
	if n <= len(s.statuses) {
		if st := s.statuses[n-1]; st != 200 {
			if st == 429 || st == 503 {
				w.Header().Set("Retry-After", "1")
			}
			w.WriteHeader(st)
			io.WriteString(w, `{"error":{"code":"Code`+fmt.Sprint(st)+`","message":"message `+fmt.Sprint(st)+`","innerError":{"secret":"S3CR3T-BODY"}}}`)
			return
		}
	}
	io.WriteString(w, s.body)
}

func TestTracingOneSpanPerCall(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := tracetest.NewSpanRecorder()
		tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
		srv := &seqServer{statuses: []int{503, 200}, body: `{"id":"j"}`}
		c := inProcessClient(t, srv, &graphsync.ClientOptions{TracerProvider: tp})
		if _, err := c.GetJob(ctx, spID, jobID); err != nil {
			t.Fatal(err)
		}
		spans := rec.Ended()
		if len(spans) != 1 || !strings.Contains(spans[0].Name(), "GetJob") {
			t.Fatalf("spans %v", spans)
		}
		s := spans[0]
		for k, want := range map[string]any{"graphsync.attempts": int64(2), "http.response.status_code": int64(200), "graphsync.request_id": "req-2"} {
			v, ok := spanAttr(s, k)
			if !ok || v.AsInterface() != want {
				t.Errorf("%s = %v, want %v", k, v.AsInterface(), want)
			}
		}
		if s.Status().Code == codes.Error {
			t.Error("error status on success")
		}

		// A failure: error status with Graph's answer.
		srv = &seqServer{statuses: []int{404}}
		c = inProcessClient(t, srv, &graphsync.ClientOptions{TracerProvider: tp})
		if err := c.DeleteJob(ctx, spID, jobID); !errors.Is(err, graphsync.ErrNotFound) {
			t.Fatal(err)
		}
		s = rec.Ended()[1]
		if !strings.Contains(s.Name(), "DeleteJob") || s.Status().Code != codes.Error || !strings.Contains(s.Status().Description, "Code404") {
			t.Fatalf("span %s status %+v", s.Name(), s.Status())
		}

		// A list of two pages is one call.
		srv = &seqServer{}
		pages := 0
		c = inProcessClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			pages++
			if pages == 1 {
				io.WriteString(w, `{"value":[{"id":"a"}],"@odata.nextLink":"http://127.0.0.1:1/v1.0/next"}`)
				return
			}
			io.WriteString(w, `{"value":[{"id":"b"}]}`)
		}), &graphsync.ClientOptions{TracerProvider: tp})
		if jobs, err := c.ListJobs(ctx, spID); err != nil || len(jobs) != 2 {
			t.Fatal(jobs, err)
		}
		spans = rec.Ended()
		if len(spans) != 3 || !strings.Contains(spans[2].Name(), "ListJobs") {
			t.Fatalf("spans %v", spans)
		}
		if v, _ := spanAttr(spans[2], "graphsync.attempts"); v.AsInt64() != 2 {
			t.Fatalf("list attempts %v", v.AsInt64())
		}
	})
}

func TestTracingProvisionManyIsTheParent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := tracetest.NewSpanRecorder()
		tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
		c := inProcessClient(t, &bulkServer{}, &graphsync.ClientOptions{TracerProvider: tp})
		if _, err := c.ProvisionMany(ctx, spID, jobID, userRequests(7), nil); err != nil {
			t.Fatal(err)
		}
		var root sdktrace.ReadOnlySpan
		children := 0
		for _, s := range rec.Ended() {
			if strings.Contains(s.Name(), "ProvisionMany") {
				root = s
			}
		}
		if root == nil {
			t.Fatal("no ProvisionMany span")
		}
		for _, s := range rec.Ended() {
			if strings.Contains(s.Name(), "ProvisionOnDemand") {
				children++
				if s.Parent().SpanID() != root.SpanContext().SpanID() {
					t.Fatal("a request's span is not a child of the run's")
				}
				if v, _ := spanAttr(s, "graphsync.limiter.wait"); v.AsFloat64() < 0 {
					t.Fatal("negative wait")
				}
			}
		}
		if children != 7 {
			t.Fatalf("%d request spans, want 7", children)
		}
	})
}

func TestMetrics(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		reader := sdkmetric.NewManualReader()
		mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
		srv := &seqServer{statuses: []int{429, 200, 200, 200, 200, 200, 200}, body: `{"key":"{\"result\":\"Success\"}","value":"{}"}`}
		c := inProcessClient(t, srv, &graphsync.ClientOptions{MeterProvider: mp, Limiter: ratelimit.New(2, 10*time.Second, ratelimit.WithMargin(0))})
		for range 3 {
			if _, err := c.ProvisionOnDemand(ctx, spID, jobID, seedRequests[0]); err != nil {
				t.Fatal(err)
			}
		}
		var rm metricdata.ResourceMetrics
		if err := reader.Collect(context.Background(), &rm); err != nil {
			t.Fatal(err)
		}
		byStatus := map[int64]int64{}
		var throttled int64
		var waits uint64
		var waited float64
		for _, sm := range rm.ScopeMetrics {
			for _, m := range sm.Metrics {
				switch d := m.Data.(type) {
				case metricdata.Sum[int64]:
					for _, p := range d.DataPoints {
						if m.Name == "graphsync.requests" {
							st, _ := p.Attributes.Value("http.response.status_code")
							byStatus[st.AsInt64()] += p.Value
						}
						if m.Name == "graphsync.throttled" {
							throttled += p.Value
						}
					}
				case metricdata.Histogram[float64]:
					if m.Name == "graphsync.limiter.wait" {
						for _, p := range d.DataPoints {
							waits += p.Count
							waited += p.Sum
						}
					}
				}
			}
		}
		if byStatus[429] != 1 || byStatus[200] != 3 || throttled != 1 {
			t.Fatalf("requests by status %v, throttled %d", byStatus, throttled)
		}
		// Four waits: the first call's two, and one each for the others;
		// the 429's pause (1 s) and the third start's slot (10 s) are in
		// the total.
		if waits != 4 || waited < 10 {
			t.Fatalf("limiter waits %d totalling %.1fs", waits, waited)
		}
	})
}

// captureHandler keeps log records.
type captureHandler struct {
	mu  sync.Mutex
	buf bytes.Buffer
	h   slog.Handler
}

func newCapture() *captureHandler {
	c := &captureHandler{}
	c.h = slog.NewJSONHandler(&lockedWriter{c}, &slog.HandlerOptions{Level: slog.LevelDebug})
	return c
}

type lockedWriter struct{ c *captureHandler }

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.c.mu.Lock()
	defer w.c.mu.Unlock()
	return w.c.buf.Write(p)
}

func (c *captureHandler) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.String()
}

func TestLoggerSaysWhatHappensAndNoSecrets(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		capt := newCapture()
		srv := &seqServer{statuses: []int{429, 503, 200}, body: `{"key":"{\"result\":\"Success\"}","value":"{}"}`}
		c := inProcessClient(t, srv, &graphsync.ClientOptions{Logger: slog.New(capt.h),
			Retry: &graphsync.RetryPolicy{RetryPOSTOnUnavailable: true}})
		if _, err := c.ProvisionOnDemand(ctx, spID, jobID, seedRequests[0]); err != nil {
			t.Fatal(err)
		}
		if _, err := c.ListTemplates(ctx, spID); err == nil {
			t.Fatal("want an error from a body without value")
		}
		out := capt.String()
		for _, want := range []string{
			`"msg":"graphsync: throttled; pausing the rate limiter"`, `"retry_after":1000000000`, `"request_id":"req-1"`,
			`"msg":"graphsync: retrying"`, `"status":503`, `"attempt":3`, `"code":"Code503"`, `"message":"message 503"`,
			`"msg":"graphsync: request"`, `"op":"ProvisionOnDemand"`, `"op":"ListTemplates"`,
		} {
			if !strings.Contains(out, want) {
				t.Errorf("log lacks %s:\n%s", want, out)
			}
		}
		for _, secret := range []string{testToken, "S3CR3T-BODY", "Bearer"} {
			if strings.Contains(out, secret) {
				t.Fatalf("log holds %q:\n%s", secret, out)
			}
		}
		// Only the 429 (the first answer) is logged as throttling.
		var throttled []string
		for line := range strings.Lines(out) {
			if strings.Contains(line, "throttled") {
				throttled = append(throttled, line)
			}
		}
		if len(throttled) != 1 || !strings.Contains(throttled[0], `"request_id":"req-1"`) {
			t.Fatalf("throttling logged as %q; want once, for req-1", throttled)
		}
	})
}

func TestNilLoggerIsSilent(t *testing.T) {
	capt := newCapture()
	old := slog.Default()
	slog.SetDefault(slog.New(capt.h))
	defer slog.SetDefault(old)
	synctest.Test(t, func(t *testing.T) {
		srv := &seqServer{statuses: []int{429, 200}, body: `{"key":"{\"result\":\"Success\"}","value":"{}"}`}
		c := inProcessClient(t, srv, nil)
		if _, err := c.ProvisionOnDemand(ctx, spID, jobID, seedRequests[0]); err != nil {
			t.Fatal(err)
		}
	})
	if s := capt.String(); s != "" {
		t.Fatalf("a Client without a Logger logged:\n%s", s)
	}
}

func TestLongLimiterWaitIsLogged(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		capt := newCapture()
		c := inProcessClient(t, &bulkServer{}, &graphsync.ClientOptions{Logger: slog.New(capt.h),
			Limiter: ratelimit.New(1, 10*time.Second, ratelimit.WithMargin(0))})
		for range 2 {
			if _, err := c.ProvisionOnDemand(ctx, spID, jobID, seedRequests[0]); err != nil {
				t.Fatal(err)
			}
		}
		if out := capt.String(); strings.Count(out, "waited for the rate limiter") != 1 || !strings.Contains(out, `"waited":10000000000`) {
			t.Fatalf("log:\n%s", out)
		}
	})
}

func TestProvisionManyFailsFast(t *testing.T) {
	for _, status := range []int{401, 403, 404} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv := &bulkServer{answer: func(n int, w http.ResponseWriter) bool {
					w.WriteHeader(status)
					io.WriteString(w, `{"error":{"code":"Denied","message":"no"}}`)
					return true
				}}
				c := inProcessClient(t, srv, nil)
				results, err := c.ProvisionMany(ctx, spID, jobID, userRequests(20), nil)
				var re *graphsync.ResponseError
				if !errors.As(err, &re) || re.StatusCode != status {
					t.Fatalf("err = %v, want the %d", err, status)
				}
				if n := len(srv.arrived()); n != 1 {
					t.Fatalf("%d requests sent after a %d", n, status)
				}
				// Graph does not act on a request it answers 401: safe to
				// send again. 403 and 404 are answers to the request.
				want := graphsync.RequestFailed
				if status == 401 {
					want = graphsync.RequestNotAttempted
				}
				if results[0].State != want {
					t.Fatalf("first = %v, want %v", results[0].State, want)
				}
				for _, r := range results[1:] {
					if r.State != graphsync.RequestNotAttempted || !errors.As(r.Err, &re) || re.StatusCode != status {
						t.Fatalf("result %d = %v %v", r.Index, r.State, r.Err)
					}
				}
			})
		})
	}
	// Other per-subject failures do not stop the run.
	synctest.Test(t, func(t *testing.T) {
		srv := &bulkServer{answer: func(n int, w http.ResponseWriter) bool {
			if n%2 == 0 {
				w.WriteHeader(http.StatusBadRequest)
				io.WriteString(w, `{"error":{"code":"BadRequest","message":"bad subject"}}`)
				return true
			}
			return false
		}}
		c := inProcessClient(t, srv, nil)
		results, err := c.ProvisionMany(ctx, spID, jobID, userRequests(8), nil)
		if err != nil || len(srv.arrived()) != 8 || results[1].State != graphsync.RequestFailed || results[2].State != graphsync.RequestAnswered {
			t.Fatalf("err = %v, %d sent", err, len(srv.arrived()))
		}
	})
}

func TestProvisionEachReportsEveryRequestOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := &bulkServer{answer: func(n int, w http.ResponseWriter) bool {
			if n != 6 {
				return false
			}
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, `{"error":{"code":"Authorization_RequestDenied","message":"no"}}`)
			return true
		}}
		c := inProcessClient(t, srv, nil)
		var seen []graphsync.RequestOutcome
		err := c.ProvisionEach(ctx, spID, jobID, userRequests(15), &graphsync.ProvisionOptions{Concurrency: 1}, func(r graphsync.RequestOutcome) {
			seen = append(seen, r)
		})
		if !errors.Is(err, graphsync.ErrForbidden) {
			t.Fatalf("err = %v", err)
		}
		if len(seen) != 15 {
			t.Fatalf("%d results for 15 requests", len(seen))
		}
		for i, r := range seen {
			if r.Index != i {
				t.Fatalf("result %d has index %d", i, r.Index)
			}
			want := graphsync.RequestAnswered
			switch {
			case i == 5:
				want = graphsync.RequestFailed
			case i > 5:
				want = graphsync.RequestNotAttempted
			}
			if r.State != want {
				t.Fatalf("result %d = %v, want %v", i, r.State, want)
			}
		}
		if err := c.ProvisionEach(ctx, spID, jobID, nil, nil, nil); !errors.Is(err, graphsync.ErrInvalidInput) {
			t.Fatalf("nil each: %v", err)
		}
	})
}

func TestProvisionEachStreamsAgainstGraphtest(t *testing.T) {
	// The graphtest fake, streamed: nothing is kept but the counts.
	srv := graphtest.NewServer(&graphtest.Options{InProcess: true, DisableProvisionLimit: true})
	srv.AddServicePrincipal("sp")
	c, err := graphsync.NewClient(srv.Credential(), &graphsync.ClientOptions{BaseURL: srv.URL, Transport: srv.Transport(), DisableLimiter: true})
	if err != nil {
		t.Fatal(err)
	}
	job, err := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	if err != nil {
		t.Fatal(err)
	}
	reqs := userRequests(50)
	for i := range reqs {
		reqs[i].Parameters[0].RuleID = srv.RuleID("sp", job.ID, "User")
	}
	n, failed := 0, 0
	if err := c.ProvisionEach(ctx, "sp", job.ID, reqs, nil, func(r graphsync.RequestOutcome) {
		n++
		if r.State != graphsync.RequestAnswered || !r.Result.Failed() {
			failed++ // unknown users are a Failure answer
		}
	}); err != nil {
		t.Fatal(err)
	}
	if n != 50 || failed != 0 {
		t.Fatalf("%d results, %d not a Failure answer", n, failed)
	}
}

// BulkUpload and the provisioning logs calls are one span each, named for
// the call; the iterator's span covers the pages it fetched and ends when
// the caller stops.
func TestTracingBulkUploadAndLogs(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	pages := 0
	c := inProcessClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" {
			w.WriteHeader(http.StatusAccepted)
			return
		}
		pages++
		if r.URL.Query().Get("$skiptoken") == "" {
			io.WriteString(w, `{"value":[{"id":"a"}],"@odata.nextLink":"http://127.0.0.1:1/v1.0/auditLogs/provisioning?$skiptoken=2"}`)
			return
		}
		io.WriteString(w, `{"value":[{"id":"b"}]}`)
	}), &graphsync.ClientOptions{TracerProvider: tp})
	if _, err := c.BulkUpload(ctx, spID, jobID, docsBulkUploads[2]); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListProvisioningLogs(ctx, models.ProvisioningLogQuery{}); err != nil {
		t.Fatal(err)
	}
	for range c.ProvisioningLogs(ctx, models.ProvisioningLogQuery{}) {
		break
	}
	spans := rec.Ended()
	var names []string
	var attempts []int64
	for _, s := range spans {
		names = append(names, s.Name())
		v, _ := spanAttr(s, "graphsync.attempts")
		attempts = append(attempts, v.AsInt64())
	}
	if fmt.Sprint(names) != "[graphsync.BulkUpload graphsync.ListProvisioningLogs graphsync.ProvisioningLogs]" ||
		fmt.Sprint(attempts) != "[1 2 1]" || pages != 3 {
		t.Fatalf("spans %v, attempts %v, %d pages", names, attempts, pages)
	}
}
