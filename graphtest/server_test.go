package graphtest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var ctx = context.Background()

func newServer(t *testing.T, opts *graphtest.Options) (*graphtest.Server, *graphsync.Client) {
	t.Helper()
	srv := graphtest.NewServer(opts)
	t.Cleanup(srv.Close)
	srv.AddServicePrincipal("sp", "scim")
	c, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func TestJobLifecycle(t *testing.T) {
	srv, c := newServer(t, nil)
	job, err := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	if err != nil {
		t.Fatal(err)
	}
	if job.Schedule.State != models.ScheduleDisabled || job.Status.Code != models.StatusNotConfigured || !job.Schedule.Interval.IsMax() {
		t.Fatalf("new job = %+v %+v", job.Schedule, job.Status)
	}
	reqs := srv.Requests()
	if last := reqs[len(reqs)-1]; last.Status != http.StatusCreated || last.Method != "POST" {
		t.Fatalf("create answered %d", last.Status)
	}
	steps := []struct {
		do    func() error
		state models.ScheduleState
		code  models.StatusCode
	}{
		{func() error { return c.StartJob(ctx, "sp", job.ID, nil) }, models.ScheduleActive, models.StatusActive},
		{func() error { return c.PauseJob(ctx, "sp", job.ID) }, models.SchedulePaused, models.StatusPaused},
		{func() error { return c.RestartJob(ctx, "sp", job.ID, models.ResetFull) }, models.ScheduleActive, models.StatusActive},
	}
	for i, s := range steps {
		if err := s.do(); err != nil {
			t.Fatal(err)
		}
		reqs := srv.Requests()
		if reqs[len(reqs)-1].Status != http.StatusNoContent {
			t.Fatalf("step %d answered %d", i, reqs[len(reqs)-1].Status)
		}
		got, _ := c.GetJob(ctx, "sp", job.ID)
		if got.Schedule.State != s.state || got.Status.Code != s.code {
			t.Fatalf("step %d: %s/%s, want %s/%s", i, got.Schedule.State, got.Status.Code, s.state, s.code)
		}
	}
	// The job runs: the Client refuses to start it again, and sends only
	// the read.
	before := len(srv.Requests())
	if err := c.StartJob(ctx, "sp", job.ID, nil); !errors.Is(err, graphsync.ErrJobActive) || len(srv.Requests()) != before+1 {
		t.Fatalf("starting a running job: %v, %d requests", err, len(srv.Requests())-before)
	}
	if err := c.UpdateJob(ctx, "sp", job.ID, models.SynchronizationJob{Schedule: &models.SynchronizationSchedule{Interval: "PT40M"}}); err != nil {
		t.Fatal(err)
	}
	if j, _ := srv.Job("sp", job.ID); j.Schedule.Interval != "PT40M" {
		t.Fatalf("interval after PATCH = %s", j.Schedule.Interval)
	}
	if err := c.DeleteJob(ctx, "sp", job.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetJob(ctx, "sp", job.ID); !errors.Is(err, graphsync.ErrNotFound) {
		t.Fatalf("deleted job: %v", err)
	}
	if err := c.DeleteJob(ctx, "sp", job.ID); !errors.Is(err, graphsync.ErrNotFound) {
		t.Fatalf("delete twice: %v", err)
	}
}

func TestErrorsLookLikeGraph(t *testing.T) {
	srv, c := newServer(t, nil)
	_, err := c.GetJob(ctx, "nope", "j")
	var re *graphsync.ResponseError
	if !errors.As(err, &re) || re.StatusCode != 404 || re.Code != "Request_ResourceNotFound" || re.RequestID == "" || re.ClientRequestID == "" || re.Date.IsZero() {
		t.Fatalf("unknown sp: %+v", re)
	}
	if _, err := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "other"}); err == nil || !strings.Contains(err.Error(), "InvalidTemplateId") {
		t.Fatalf("unknown template: %v", err)
	}
	// Without the token: 401.
	resp, err := http.Get(srv.URL + "/v1.0/servicePrincipals/sp/synchronization/jobs")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 401 || !strings.Contains(string(body), "InvalidAuthenticationToken") || resp.Header.Get("request-id") == "" {
		t.Fatalf("no token: %d %s", resp.StatusCode, body)
	}
}

func TestTemplatesSecretsAndPaging(t *testing.T) {
	srv, c := newServer(t, &graphtest.Options{PageSize: 2})
	for range 5 {
		if _, err := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"}); err != nil {
			t.Fatal(err)
		}
	}
	jobs, err := c.ListJobs(ctx, "sp")
	if err != nil || len(jobs) != 5 {
		t.Fatalf("ListJobs = %d, %v", len(jobs), err)
	}
	pages := 0
	for _, r := range srv.Requests() {
		if r.Method == "GET" && strings.HasSuffix(r.Path, "/jobs") {
			pages++
		}
	}
	if pages != 3 {
		t.Fatalf("%d pages fetched, want 3", pages)
	}
	tpl, err := c.ListTemplates(ctx, "sp")
	if err != nil || len(tpl) != 1 || tpl[0].ID != "scim" {
		t.Fatalf("templates = %+v, %v", tpl, err)
	}
	if err := c.SaveSecrets(ctx, "sp", []models.SecretKeyValue{{Key: "BaseAddress", Value: models.NewSecret("https://x")}}); err != nil {
		t.Fatal(err)
	}
	if s := srv.Secrets("sp"); len(s) != 1 || s[0].Value.Reveal() != "https://x" {
		t.Fatalf("secrets = %+v", s)
	}
}

func TestProvisionAnswersLikeTheSeeds(t *testing.T) {
	srv, c := newServer(t, nil)
	srv.AddUser("u1", "u1@contoso.com")
	srv.AddGroup("g1", "Sales")
	job, _ := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	res, err := c.ProvisionOnDemand(ctx, "sp", job.ID, models.NewProvisionRequest(graphtest.DefaultRuleID, models.User("u1")))
	if err != nil || !res.Succeeded() || res.Value.Action != models.ActionCreate {
		t.Fatalf("first = %+v, %v", res, err)
	}
	res, _ = c.ProvisionOnDemand(ctx, "sp", job.ID, models.NewProvisionRequest(graphtest.DefaultRuleID, models.User("u1")))
	if !res.Skipped() || res.Key.Details.ErrorCode != "RedundantExport" ||
		res.Value.ProvisioningSteps[len(res.Value.ProvisioningSteps)-1].Details["SkipReason"] != "RedundantExport" {
		t.Fatalf("second = %+v", res)
	}
	res, _ = c.ProvisionOnDemand(ctx, "sp", job.ID, models.NewProvisionRequest(graphtest.DefaultRuleID+"#V2", models.Group("g1", "u1")))
	if !res.Succeeded() || res.RawValue != "{}" {
		t.Fatalf("group = %+v", res)
	}
	res, _ = c.ProvisionOnDemand(ctx, "sp", job.ID, models.NewProvisionRequest(graphtest.DefaultRuleID, models.User("ghost")))
	if !res.Failed() || res.FailedStep() == nil {
		t.Fatalf("unknown = %+v", res)
	}
}

func TestProvisionLimitIsEnforced(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := newServer(t, &graphtest.Options{InProcess: true})
		srv.AddUser("u1", "u1")
		job, _ := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
		// A client without a limiter and without retries sees the 429.
		raw, err := graphsync.NewClient(srv.Credential(), &graphsync.ClientOptions{
			BaseURL: srv.URL, Transport: srv.Transport(), DisableLimiter: true,
			Retry: &graphsync.RetryPolicy{MaxAttempts: 1}})
		if err != nil {
			t.Fatal(err)
		}
		req := models.NewProvisionRequest(graphtest.DefaultRuleID, models.User("u1"))
		for i := range 5 {
			if _, err := raw.ProvisionOnDemand(ctx, "sp", job.ID, req); err != nil {
				t.Fatalf("call %d: %v", i+1, err)
			}
			time.Sleep(time.Second)
		}
		_, err = raw.ProvisionOnDemand(ctx, "sp", job.ID, req)
		var re *graphsync.ResponseError
		if !errors.As(err, &re) || re.StatusCode != 429 || re.RetryAfter != 5*time.Second {
			t.Fatalf("6th call in the window: %v (retry after %v)", err, re.RetryAfter)
		}
		if srv.Throttled() != 1 {
			t.Fatalf("Throttled = %d", srv.Throttled())
		}
		time.Sleep(re.RetryAfter)
		if _, err := raw.ProvisionOnDemand(ctx, "sp", job.ID, req); err != nil {
			t.Fatalf("after Retry-After: %v", err)
		}
		// The paced client (its own limiter) never gets one once the raw
		// client's calls are out of the window.
		time.Sleep(10 * time.Second)
		for range 7 {
			if _, err := c.ProvisionOnDemand(ctx, "sp", job.ID, req); err != nil {
				t.Fatal(err)
			}
		}
		if srv.Throttled() != 1 {
			t.Fatalf("paced client was throttled: %d", srv.Throttled())
		}
	})
}

func TestFaults(t *testing.T) {
	srv, c := newServer(t, nil)
	noRetry, _ := graphsync.NewClient(srv.Credential(), &graphsync.ClientOptions{BaseURL: srv.URL, Retry: &graphsync.RetryPolicy{MaxAttempts: 1}})
	job, _ := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})

	// Status on the 2nd matching request.
	srv.InjectFault(graphtest.Fault{Method: "GET", PathContains: "/jobs/", Nth: 2, Status: 503, RetryAfter: "1"})
	if _, err := noRetry.GetJob(ctx, "sp", job.ID); err != nil {
		t.Fatalf("1st GET: %v", err)
	}
	_, err := noRetry.GetJob(ctx, "sp", job.ID)
	var re *graphsync.ResponseError
	if !errors.As(err, &re) || re.StatusCode != 503 || re.RetryAfter != time.Second {
		t.Fatalf("2nd GET: %v", err)
	}
	if _, err := noRetry.GetJob(ctx, "sp", job.ID); err != nil {
		t.Fatalf("3rd GET (fault used up): %v", err)
	}

	// Faults are checked in the order added, each counting the requests
	// it matches: one that is not due yet lets a later one apply.
	srv.InjectFault(graphtest.Fault{Method: "GET", PathContains: "/jobs/", Nth: 2, Status: 500})
	srv.InjectFault(graphtest.Fault{Method: "GET", PathContains: "/jobs/", Status: 502})
	for i, want := range []int{502, 500, 200} {
		got := 200
		if _, err := noRetry.GetJob(ctx, "sp", job.ID); errors.As(err, &re) {
			got = re.StatusCode
		} else if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("GET %d with two faults: %d, want %d", i+1, got, want)
		}
	}

	// Malformed 2xx body.
	srv.InjectFault(graphtest.Fault{PathContains: "/jobs/", Body: `{"id": `})
	if _, err := c.GetJob(ctx, "sp", job.ID); err == nil || !strings.Contains(err.Error(), "decoding job") {
		t.Fatalf("malformed: %v", err)
	}

	// Dropped connection.
	srv.InjectFault(graphtest.Fault{PathContains: "/start", Drop: true})
	if err := c.StartJob(ctx, "sp", job.ID, nil); err == nil {
		t.Fatal("dropped connection gave no error")
	}
	reqs := srv.Requests()
	if reqs[len(reqs)-1].Status != 0 {
		t.Fatalf("dropped request recorded status %d", reqs[len(reqs)-1].Status)
	}

	// Latency, cut short by the caller's deadline.
	srv.InjectFault(graphtest.Fault{PathContains: "/pause", Latency: time.Minute})
	dctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if err := c.PauseJob(dctx, "sp", job.ID); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("latency: %v", err)
	}
}

func TestInProcessDropAndRecording(t *testing.T) {
	srv, _ := newServer(t, &graphtest.Options{InProcess: true})
	c, _ := srv.NewClient()
	srv.InjectFault(graphtest.Fault{Drop: true})
	if _, err := c.ListJobs(ctx, "sp"); err == nil {
		t.Fatal("in-process drop gave no error")
	}
	if _, err := c.ListJobs(ctx, "sp"); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 || reqs[1].Header.Get("Authorization") != "Bearer "+graphtest.Token || reqs[1].Seq != 2 {
		t.Fatalf("requests = %+v", reqs)
	}
}

func TestMaxInWindow(t *testing.T) {
	t0 := time.Unix(0, 0)
	at := func(ds ...time.Duration) []time.Time {
		var out []time.Time
		for _, d := range ds {
			out = append(out, t0.Add(d))
		}
		return out
	}
	s := time.Second
	for _, tc := range []struct {
		times []time.Time
		want  int
	}{
		{nil, 0},
		{at(0), 1},
		{at(9*s, 0, 10*s, 5*s), 4}, // unsorted; [0, 10 s] is closed
		{at(0, 10*s+1, 20*s+2), 1},
		{at(0, 2*s, 4*s, 6*s, 8*s, 10*s, 12*s), 6},
	} {
		if got := graphtest.MaxInWindow(tc.times, 10*s); got != tc.want {
			t.Errorf("%v: %d, want %d", tc.times, got, tc.want)
		}
	}
}
