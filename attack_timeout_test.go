package graphsync_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/graphsync/graphsync"
)

// stallServer sends the headers and part of the body, then stalls until
// the client goes away (or the test ends).
func stallServer(t *testing.T) *httptest.Server {
	done := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(200)
		io.WriteString(w, `{"id":"`)
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}))
	t.Cleanup(func() { close(done); ts.Close() })
	return ts
}

// ATTACK: HTTPClient.Timeout bounds reading a body that never ends; a
// cancelled ctx during that attempt gives ctx's error; an endless trickle
// is cut.
func TestAttackPerAttemptTimeoutBodyStall(t *testing.T) {
	ts := stallServer(t)
	c, err := graphsync.NewClient(&fakeCredential{}, &graphsync.ClientOptions{BaseURL: ts.URL,
		HTTPClient: &http.Client{Timeout: 200 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	_, err = c.GetJob(context.Background(), spID, jobID)
	el := time.Since(t0)
	t.Logf("stall: %v after %v", err, el)
	if err == nil || el > 2*time.Second || !strings.Contains(err.Error(), "Timeout") {
		t.Errorf("stalled body: err = %v after %v", err, el)
	}

	// The caller cancels while the attempt timeout still runs.
	c2, _ := graphsync.NewClient(&fakeCredential{}, &graphsync.ClientOptions{BaseURL: ts.URL,
		HTTPClient: &http.Client{Timeout: 10 * time.Second}})
	cctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	t0 = time.Now()
	_, err = c2.GetJob(cctx, spID, jobID)
	t.Logf("cancel: %v after %v", err, time.Since(t0))
	if !errors.Is(err, context.Canceled) || time.Since(t0) > 2*time.Second {
		t.Errorf("cancelled during the attempt: err = %v after %v", err, time.Since(t0))
	}

	// A deadline on ctx shorter than the attempt timeout.
	dctx, cancel2 := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel2()
	_, err = c2.GetJob(dctx, spID, jobID)
	t.Logf("deadline: %v", err)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("ctx deadline during the attempt: err = %v", err)
	}
}
