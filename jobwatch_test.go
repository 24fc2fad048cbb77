package graphsync_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

// cycling returns an in-process fake whose jobs run cycles of length
// (20 users), a client, and a started job. Call it inside a bubble.
func cycling(t *testing.T, length time.Duration) (*graphtest.Server, *graphsync.Client, string) {
	t.Helper()
	srv := graphtest.NewServer(&graphtest.Options{InProcess: true, CycleLength: length})
	srv.AddServicePrincipal("sp")
	for i := range 20 {
		srv.AddUser(fmt.Sprintf("u-%02d", i), fmt.Sprintf("u%02d@contoso.com", i))
	}
	c, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	job, err := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.StartJob(ctx, "sp", job.ID, nil); err != nil {
		t.Fatal(err)
	}
	return srv, c, job.ID
}

// jobReads returns when each GET of the job arrived.
func jobReads(srv *graphtest.Server, jobID string) []time.Time {
	var out []time.Time
	for _, r := range srv.Requests() {
		if r.Method == "GET" && strings.HasSuffix(r.Path, "/jobs/"+jobID) {
			out = append(out, r.Time)
		}
	}
	return out
}

// From the start to steady state: the wait ends when the initial cycle
// ends, reading every Poll, no sooner and no more often.
func TestWaitForJobInitialCycleToSteadyState(t *testing.T) {
	for _, until := range []graphsync.WaitCondition{graphsync.WaitInitialCycle, graphsync.WaitSteadyState, graphsync.WaitAny} {
		synctest.Test(t, func(t *testing.T) {
			srv, c, job := cycling(t, 5*time.Minute)
			start := time.Now()
			var seen []int64
			h, err := c.WaitForJob(ctx, "sp", job, &graphsync.JobWaitOptions{Until: until, Poll: 30 * time.Second,
				OnRead: func(h *graphsync.Health) { seen = append(seen, h.InitialCycle.Completed) }})
			if err != nil {
				t.Fatal(until, err)
			}
			if len(seen) != 11 || seen[0] != 0 || seen[1] != 2 || seen[10] != 20 {
				t.Errorf("%s: OnRead saw %v", until, seen)
			}
			if took := time.Since(start); took != 5*time.Minute {
				t.Errorf("%s: took %s", until, took)
			}
			if !h.InitialCycle.Done || !h.SteadyState || h.State != graphsync.JobActive || h.InitialCycle.Total != 20 || h.Level != graphsync.HealthOK {
				t.Errorf("%s: %+v", until, h)
			}
			reads := jobReads(srv, job)
			if len(reads) != 1+1+10 { // StartJob's read, the first read, one every 30 s
				t.Errorf("%s: %d reads", until, len(reads))
			}
			for i := 2; i < len(reads); i++ {
				if gap := reads[i].Sub(reads[i-1]); gap != 30*time.Second {
					t.Errorf("%s: read %d came %s after the one before", until, i, gap)
				}
			}
		})
	}
}

// A job put in quarantine in the middle of the wait ends it at the next
// read, with the reason and what it means.
func TestWaitForJobQuarantinedMidWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c, job := cycling(t, 10*time.Minute)
		go func() {
			time.Sleep(2*time.Minute + 30*time.Second) // between two reads
			srv.QuarantineJob("sp", job, models.QuarantineEncounteredEscrowProportionThreshold)
		}()
		start := time.Now()
		h, err := c.WaitForJob(ctx, "sp", job, &graphsync.JobWaitOptions{Until: graphsync.WaitSteadyState, Poll: time.Minute})
		if !errors.Is(err, graphsync.ErrJobQuarantined) || h == nil || h.State != graphsync.JobQuarantined {
			t.Fatalf("%+v %v", h, err)
		}
		if took := time.Since(start); took != 3*time.Minute {
			t.Errorf("took %s", took)
		}
		for _, want := range []string{"EncounteredEscrowProportionThreshold", "more than 40% of provisioning events failed", graphtest.QuarantineErrorCode} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%q lacks %q", err, want)
			}
		}
		// The quarantine stops the cycles: the progress stays where it was.
		if h.InitialCycle.Done || h.InitialCycle.Completed != 5 {
			t.Errorf("progress %+v", h.InitialCycle)
		}
		time.Sleep(time.Hour)
		if j, _ := srv.Job("sp", job); j.Status.LastExecution != nil {
			t.Error("a cycle ended in quarantine")
		}
		// Start lifts it: the cycle goes on from where it stopped.
		if err := c.StartJob(ctx, "sp", job, nil); err != nil {
			t.Fatal(err)
		}
		start = time.Now()
		if _, err := c.WaitForJob(ctx, "sp", job, &graphsync.JobWaitOptions{Until: graphsync.WaitSteadyState, Poll: time.Minute}); err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took != 8*time.Minute { // 7.5 min left, read every minute

			t.Errorf("resumed cycle took %s", took)
		}
	})
}

// A 429 does not end the wait: each read is one request (no retries of
// the client's inside it), and the pause grows, doubling up to MaxPoll,
// never below the Retry-After, and goes back to Poll after an answer.
func TestWaitForJobBacksOffOn429(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c, job := cycling(t, 20*time.Minute)
		srv.InjectFault(graphtest.Fault{Method: "GET", PathSuffix: "/jobs/" + job, Times: 4, Status: 429, RetryAfter: "30"})
		h, err := c.WaitForJob(ctx, "sp", job, &graphsync.JobWaitOptions{Until: graphsync.WaitSteadyState, Poll: 10 * time.Second, MaxPoll: 40 * time.Second})
		if err != nil || !h.SteadyState {
			t.Fatalf("%+v %v", h, err)
		}
		reads := jobReads(srv, job)[1:] // without StartJob's
		var gaps []time.Duration
		for i := 1; i < len(reads); i++ {
			gaps = append(gaps, reads[i].Sub(reads[i-1]))
		}
		// 4 reads throttled, one request each: 20 s doubled from 10 s
		// is below the Retry-After (30 s), then 40 s (MaxPoll); after
		// the first answer, back to 10 s.
		want := []time.Duration{30, 40, 40, 40}
		for i, w := range want {
			if i >= len(gaps) || gaps[i] != w*time.Second {
				t.Fatalf("gaps %v, want %v then 10s", gaps, want)
			}
		}
		for _, g := range gaps[len(want):] {
			if g != 10*time.Second {
				t.Fatalf("after the throttling, gaps %v", gaps[len(want):])
			}
		}
	})
}

// A Graph that answers 503 is read no faster than the poll, doubled at
// each 503 in a row: the client's retries (1 s, 2 s, 4 s) do not run
// inside a read of the wait. A Retry-After is a floor for one pause, not
// the base of the next doubling; MaxPoll (10 min) caps the doubling.
func TestWaitForJobUnavailableReadsPaced(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c, job := cycling(t, 20*time.Minute)
		srv.InjectFault(graphtest.Fault{Method: "GET", PathSuffix: "/jobs/" + job, Status: 503, RetryAfter: "300"})
		srv.InjectFault(graphtest.Fault{Method: "GET", PathSuffix: "/jobs/" + job, Times: 3, Status: 503})
		if _, err := c.WaitForJob(ctx, "sp", job, &graphsync.JobWaitOptions{Until: graphsync.WaitSteadyState, Poll: time.Minute}); err != nil {
			t.Fatal(err)
		}
		reads := jobReads(srv, job)[1:] // without StartJob's
		var gaps []time.Duration
		for i := 1; i < len(reads) && i <= 4; i++ {
			gaps = append(gaps, reads[i].Sub(reads[i-1]))
		}
		if want := []time.Duration{5 * time.Minute, 4 * time.Minute, 8 * time.Minute, 10 * time.Minute}; !slices.Equal(gaps, want) {
			t.Errorf("gaps %v, want %v", gaps, want)
		}
	})
}

// A paused job never reaches steady state: the wait ends at its timeout,
// saying so; a job not started likewise.
func TestWaitForJobTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, c, job := cycling(t, time.Minute)
		if err := c.PauseJob(ctx, "sp", job); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		h, err := c.WaitForJob(ctx, "sp", job, &graphsync.JobWaitOptions{Until: graphsync.WaitSteadyState, Timeout: 10 * time.Minute, Poll: time.Minute})
		if !errors.Is(err, graphsync.ErrWaitTimeout) || h == nil || h.State != graphsync.JobPaused || !strings.Contains(err.Error(), "paused") {
			t.Fatalf("%+v %v", h, err)
		}
		if took := time.Since(start); took != 10*time.Minute {
			t.Errorf("took %s", took)
		}
		// Cancelled, it ends with the context's error, not a timeout.
		cctx, cancel := context.WithCancel(ctx)
		time.AfterFunc(90*time.Second, cancel)
		if _, err := c.WaitForJob(cctx, "sp", job, &graphsync.JobWaitOptions{Poll: time.Minute}); !errors.Is(err, context.Canceled) || errors.Is(err, graphsync.ErrWaitTimeout) {
			t.Errorf("cancelled: %v", err)
		}
	})
}

// A failed run ends the wait; so does a refusal; bad options send nothing.
func TestWaitForJobFailures(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		failed := `{"id":"j","schedule":{"state":"Active"},"status":{"code":"Active","lastExecution":{"state":"Failed","timeEnded":"2026-01-01T00:00:00Z",` +
			`"error":{"code":"SystemForCrossDomainIdentityManagementBadResponse","message":"The SCIM endpoint answered 500."}}}}`
		n := 0
		c := inProcessClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n++
			io.WriteString(w, failed)
		}), nil)
		h, err := c.WaitForJob(ctx, "sp", "j", nil)
		if !errors.Is(err, graphsync.ErrJobFailed) || h.State != graphsync.JobFailed || !strings.Contains(err.Error(), "answered 500") || n != 1 {
			t.Errorf("%+v %v (%d reads)", h, err, n)
		}
		c = inProcessClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(403)
			io.WriteString(w, `{"error":{"code":"Authorization_RequestDenied","message":"no"}}`)
		}), nil)
		if _, err := c.WaitForJob(ctx, "sp", "j", nil); !errors.Is(err, graphsync.ErrForbidden) {
			t.Errorf("403: %v", err)
		}
		for _, o := range []*graphsync.JobWaitOptions{{Until: "soon"}, {Poll: -1}, {Timeout: -time.Second}} {
			var ve *graphsync.ValidationError
			if _, err := c.WaitForJob(ctx, "sp", "j", o); !errors.As(err, &ve) {
				t.Errorf("%+v: %v", o, err)
			}
		}
	})
}

// A watch yields the first read, then each change once: the progress of
// the initial cycle, its end in steady state, the escrows injected, the
// quarantine; reads that change nothing yield nothing.
func TestWatchJob(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c, job := cycling(t, 4*time.Minute)
		wctx, cancel := context.WithCancel(ctx)
		defer cancel()
		// Between two reads: a change at the instant of a read could come
		// before or after it.
		time.AfterFunc(5*time.Minute+30*time.Second, func() { srv.InjectEscrows("sp", job, 3) })
		time.AfterFunc(7*time.Minute+30*time.Second, func() { srv.QuarantineJob("sp", job, models.QuarantineTooManyDeletes) })
		time.AfterFunc(30*time.Minute, cancel)
		var changes []graphsync.JobChange
		var last error
		for ch, err := range c.WatchJob(wctx, "sp", job, &graphsync.JobWatchOptions{Poll: time.Minute}) {
			if err != nil {
				last = err
				break
			}
			changes = append(changes, ch)
		}
		if !errors.Is(last, context.Canceled) {
			t.Errorf("ended with %v", last)
		}
		var got []string
		for _, ch := range changes {
			var names []string
			for _, c := range ch.Changed {
				names = append(names, string(c))
			}
			got = append(got, fmt.Sprintf("%s %d/%d %s", ch.Health.State, ch.Health.InitialCycle.Completed, ch.Health.InitialCycle.Total, strings.Join(names, ",")))
		}
		want := []string{
			"active 0/20 ",
			"active 5/20 progress",
			"active 10/20 progress",
			"active 15/20 progress",
			"active 20/20 state,progress,steady,last-run",     // the initial cycle ended: NotRun becomes Active
			"active 20/20 escrows,last-run,level",             // the last run shows the escrows at once
			"quarantined 20/20 state,quarantine,steady,level", // before the cycle of 8 min ends; none ends in quarantine

		}
		if !slices.Equal(got, want) {
			t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if changes[0].Previous != nil || changes[0].Changed != nil || changes[1].Previous != changes[0].Health {
			t.Error("first change, or previous, wrong")
		}
	})
}
