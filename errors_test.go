package graphsync_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/models"
)

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestResponseErrorFromGraphBody(t *testing.T) {
	c, ts, _ := setup(t, nil)
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("request-id", "hdr-req")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"error":{"code":"Request_ResourceNotFound","message":"Resource 'x' does not exist.\nSecond line.","target":"jobId",
		"details":[{"code":"D","message":"dm","target":"t"}],
		"innerError":{"date":"2024-01-01T10:20:30","request-id":"inner-req","client-request-id":"inner-client"}}}`))
	})
	_, err := c.GetJob(ctx, spID, jobID)
	var re *graphsync.ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("err = %T %v", err, err)
	}
	if re.StatusCode != 404 || re.Code != "Request_ResourceNotFound" || re.Target != "jobId" ||
		re.RequestID != "inner-req" || re.ClientRequestID != "inner-client" || len(re.Details) != 1 || re.Details[0].Code != "D" {
		t.Fatalf("ResponseError = %+v", re)
	}
	if want := time.Date(2024, 1, 1, 10, 20, 30, 0, time.UTC); !re.Date.Equal(want) {
		t.Fatalf("Date = %v, want %v", re.Date, want)
	}
	if !errors.Is(err, graphsync.ErrNotFound) || errors.Is(err, graphsync.ErrConflict) {
		t.Fatal("sentinels do not match")
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") || !strings.Contains(msg, "404") || !strings.Contains(msg, "Request_ResourceNotFound") ||
		!strings.Contains(msg, "inner-req") || !strings.Contains(msg, "GET /v1.0/servicePrincipals/") {
		t.Fatalf("Error() = %q", msg)
	}
}

func TestResponseErrorOddBodies(t *testing.T) {
	for _, tc := range []struct {
		name, body, reqIDHeader string
		status                  int
		sentinel                error
		code                    string
	}{
		{"empty", "", "h1", 401, graphsync.ErrUnauthorized, ""},
		{"html gateway page", "<html><body>Bad gateway</body></html>", "", 403, graphsync.ErrForbidden, ""},
		{"no message", `{"error":{"code":"Conflict"}}`, "h3", 409, graphsync.ErrConflict, "Conflict"},
		{"error not an object", `{"error":"boom"}`, "", 429, graphsync.ErrThrottled, ""},
		{"truncated JSON", `{"error":{"code":"X","mess`, "", 400, nil, ""},
		{"bad innerError", `{"error":{"code":"Y","innerError":[1,2]}}`, "h6", 400, nil, "Y"},
		{"date with zone", `{"error":{"code":"Z","innerError":{"date":"2024-01-01T00:00:00Z"}}}`, "", 400, nil, "Z"},
		{"garbage date", `{"error":{"code":"Z","innerError":{"date":"yesterday"}}}`, "", 400, nil, "Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, ts, _ := setup(t, &graphsync.ClientOptions{Retry: &graphsync.RetryPolicy{MaxAttempts: 1}})
			ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				if tc.reqIDHeader != "" {
					w.Header().Set("request-id", tc.reqIDHeader)
				}
				w.WriteHeader(tc.status)
				w.Write([]byte(tc.body))
			})
			_, err := c.GetJob(ctx, spID, jobID)
			var re *graphsync.ResponseError
			if !errors.As(err, &re) {
				t.Fatalf("err = %v", err)
			}
			if re.StatusCode != tc.status || re.Code != tc.code || re.RequestID != tc.reqIDHeader || string(re.Body) != tc.body {
				t.Fatalf("ResponseError = %+v", re)
			}
			if tc.sentinel != nil && !errors.Is(err, tc.sentinel) {
				t.Fatalf("errors.Is(%v) false", tc.sentinel)
			}
			if s := re.Error(); s == "" || strings.Contains(s, "\n") {
				t.Fatalf("Error() = %q", s)
			}
		})
	}
	// The zero value prints too.
	if (&graphsync.ResponseError{}).Error() == "" {
		t.Fatal("empty Error()")
	}
}

// flaky answers the listed statuses in turn, then 2xx, recording times.
type flaky struct {
	mu       sync.Mutex
	statuses []int
	retry    []string
	times    []time.Time
}

func (f *flaky) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	n := len(f.times)
	f.times = append(f.times, time.Now())
	f.mu.Unlock()
	if n < len(f.statuses) {
		if n < len(f.retry) && f.retry[n] != "" {
			w.Header().Set("Retry-After", f.retry[n])
		}
		w.WriteHeader(f.statuses[n])
		w.Write([]byte(`{"error":{"code":"Busy","message":"try later"}}`))
		return
	}
	if r.Method == http.MethodPost {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	w.Write([]byte(`{"id":"ok"}`))
}

func TestRetryHonoursRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &flaky{statuses: []int{503, 429, 504}, retry: []string{"2", "", time.Now().Add(7 * time.Second).UTC().Format(http.TimeFormat)}}
		c := inProcessClient(t, f, &graphsync.ClientOptions{Retry: &graphsync.RetryPolicy{BaseDelay: 500 * time.Millisecond}})
		t0 := time.Now()
		job, err := c.GetJob(ctx, spID, jobID)
		if err != nil || job.ID != "ok" {
			t.Fatalf("GetJob = %v, %v", job, err)
		}
		// 2 s (seconds), then 1 s (backoff 500ms*2), then until the HTTP date.
		want := []time.Duration{0, 2 * time.Second, 3 * time.Second, 7 * time.Second}
		if len(f.times) != len(want) {
			t.Fatalf("%d attempts, want %d", len(f.times), len(want))
		}
		for i, w := range want {
			if got := f.times[i].Sub(t0); got < w || got > w+time.Second {
				t.Errorf("attempt %d at %v, want about %v", i+1, got, w)
			}
		}
	})
}

func TestRetryCapsAttemptsAndWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &flaky{statuses: []int{503, 503, 503, 503, 503, 503}}
		c := inProcessClient(t, f, &graphsync.ClientOptions{Retry: &graphsync.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Second}})
		_, err := c.GetJob(ctx, spID, jobID)
		var re *graphsync.ResponseError
		if !errors.As(err, &re) || re.StatusCode != 503 || len(f.times) != 3 {
			t.Fatalf("err = %v after %d attempts, want 503 after 3", err, len(f.times))
		}

		f = &flaky{statuses: []int{429, 429}, retry: []string{"300"}}
		c = inProcessClient(t, f, &graphsync.ClientOptions{Retry: &graphsync.RetryPolicy{MaxWait: time.Minute}})
		t0 := time.Now()
		_, err = c.GetJob(ctx, spID, jobID)
		if !errors.Is(err, graphsync.ErrThrottled) || len(f.times) != 1 || time.Since(t0) != 0 {
			t.Fatalf("Retry-After beyond MaxWait: err = %v, attempts %d, waited %v", err, len(f.times), time.Since(t0))
		}
		if !errors.As(err, &re) || re.RetryAfter != 300*time.Second {
			t.Fatalf("RetryAfter = %v", re.RetryAfter)
		}
	})
}

func TestPOSTRetriedOnlyOn429(t *testing.T) {
	force := &graphsync.StartOptions{Force: true} // the start alone, without reading the job first
	synctest.Test(t, func(t *testing.T) {
		f := &flaky{statuses: []int{503}}
		c := inProcessClient(t, f, nil)
		if err := c.StartJob(ctx, spID, jobID, force); err == nil || len(f.times) != 1 {
			t.Fatalf("POST after 503: err = %v, %d attempts; want no retry", err, len(f.times))
		}
		f = &flaky{statuses: []int{429}, retry: []string{"1"}}
		c = inProcessClient(t, f, nil)
		if err := c.StartJob(ctx, spID, jobID, force); err != nil || len(f.times) != 2 {
			t.Fatalf("POST after 429: err = %v, %d attempts; want a retry", err, len(f.times))
		}
		f = &flaky{statuses: []int{504}, retry: []string{"1"}}
		c = inProcessClient(t, f, &graphsync.ClientOptions{Retry: &graphsync.RetryPolicy{RetryPOSTOnUnavailable: true}})
		if err := c.StartJob(ctx, spID, jobID, force); err != nil || len(f.times) != 2 {
			t.Fatalf("POST after 504 with RetryPOSTOnUnavailable: err = %v, %d attempts", err, len(f.times))
		}
		// Other statuses are never retried.
		for _, m := range []func(*graphsync.Client) error{
			func(c *graphsync.Client) error { _, err := c.GetJob(ctx, spID, jobID); return err },
			func(c *graphsync.Client) error { return c.DeleteJob(ctx, spID, jobID) },
		} {
			f = &flaky{statuses: []int{500}}
			if err := m(inProcessClient(t, f, nil)); err == nil || len(f.times) != 1 {
				t.Fatalf("500: err = %v, %d attempts", err, len(f.times))
			}
		}
	})
}

func TestCancelEndsRetryWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &flaky{statuses: []int{503, 503}, retry: []string{"60"}}
		c := inProcessClient(t, f, nil)
		cctx, cancel := context.WithCancel(ctx)
		time.AfterFunc(5*time.Second, cancel)
		t0 := time.Now()
		_, err := c.GetJob(cctx, spID, jobID)
		if !errors.Is(err, context.Canceled) || time.Since(t0) != 5*time.Second {
			t.Fatalf("err = %v after %v, want Canceled after 5s", err, time.Since(t0))
		}
	})
}

func TestUpdateJobPatchBody(t *testing.T) {
	c, ts, _ := setup(t, nil)
	ts.mux.HandleFunc("PATCH /v1.0/servicePrincipals/{sp}/synchronization/jobs/{job}", func(w http.ResponseWriter, r *http.Request) {
		body := assertRequest(t, r, "PATCH", "/v1.0/servicePrincipals/"+spID+"/synchronization/jobs/"+jobID)
		assertJSONEqual(t, body, []byte(`{"synchronizationJobSettings":[{"name":"Delta","value":"{\"on\":true}"}]}`))
		w.WriteHeader(http.StatusNoContent)
	})
	must(t, c.UpdateJob(ctx, spID, jobID, models.SynchronizationJob{SynchronizationJobSettings: []models.KeyValuePair{{Name: "Delta", Value: `{"on":true}`}}}))
}
