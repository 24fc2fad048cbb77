package graphtest_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

// startedJob registers n users on srv's "sp" and returns a started job.
func startedJob(t *testing.T, srv *graphtest.Server, n int) string {
	t.Helper()
	for i := range n {
		srv.AddUser(fmt.Sprintf("u-%02d", i), fmt.Sprintf("u%02d@contoso.com", i))
	}
	c, _ := srv.NewClient()
	job, err := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.StartJob(ctx, "sp", job.ID, nil); err != nil {
		t.Fatal(err)
	}
	return job.ID
}

// A started job's initial cycle: NotRun with progress, then Active in
// steady state with its run and one event per entry; then incremental
// cycles with nothing to log; a pause keeps the progress, a restart of
// the watermark begins the initial cycle again.
func TestSimulatedCycles(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := newServer(t, &graphtest.Options{InProcess: true, CycleLength: 10 * time.Minute})
		job := startedJob(t, srv, 10)
		j, _ := srv.Job("sp", job)
		if st := j.Status; st.Code != models.StatusNotRun || st.LastExecution != nil || len(st.Progress) != 1 || st.Progress[0].TotalUnits != 10 || st.Progress[0].CompletedUnits != 0 {
			t.Fatalf("at the start: %+v", st)
		}
		time.Sleep(4 * time.Minute)
		j, _ = srv.Job("sp", job)
		if p := j.Status.Progress[0]; p.CompletedUnits != 4 || p.Units != "Entries" || !p.ProgressObservationDateTime.Equal(time.Now().UTC()) {
			t.Errorf("4 min in: %+v", p)
		}
		// Paused 30 min: the cycle stops and goes on where it was.
		c.PauseJob(ctx, "sp", job)
		time.Sleep(30 * time.Minute)
		c.StartJob(ctx, "sp", job, nil)
		time.Sleep(6*time.Minute - time.Nanosecond)
		if j, _ := srv.Job("sp", job); j.Status.LastExecution != nil || j.Status.Code != models.StatusNotRun {
			t.Fatalf("a cycle ended early: %+v", j.Status)
		}
		time.Sleep(time.Nanosecond)
		j, _ = srv.Job("sp", job)
		st := j.Status
		if st.Code != models.StatusActive || st.LastExecution == nil || st.LastExecution.CountExported != 10 || st.LastSuccessfulExecution == nil ||
			models.IsNever(st.SteadyStateFirstAchievedTime) || !st.SteadyStateLastAchievedTime.Equal(st.LastExecution.TimeEnded) ||
			st.Progress[0].CompletedUnits != 10 {
			t.Fatalf("after the initial cycle: %+v", st)
		}
		initial := st.LastExecution.ActivityIdentifier
		logs := srv.ProvisioningLogs()
		if len(logs) != 10 || logs[0].CycleID != initial || logs[0].ProvisioningAction != models.LogActionCreate ||
			logs[0].ProvisioningStatusInfo.Status != models.LogStatusSuccess || logs[0].SourceIdentity.ID != "u-00" || logs[0].JobID != job {
			t.Fatalf("initial cycle's events: %d %+v", len(logs), logs[0])
		}
		// Incremental cycles: a new run every 10 min, no events.
		time.Sleep(25 * time.Minute)
		j, _ = srv.Job("sp", job)
		if j.Status.LastExecution.ActivityIdentifier == initial || j.Status.LastExecution.CountImported != 0 || len(srv.ProvisioningLogs()) != 10 {
			t.Errorf("incremental cycles: %+v, %d events", j.Status.LastExecution, len(srv.ProvisioningLogs()))
		}
		// Escrows: the last run shows them at once, each later cycle
		// retries and logs them.
		srv.InjectEscrows("sp", job, 2)
		j, _ = srv.Job("sp", job)
		if r := j.Status.LastExecution; r.CountEscrowed != 2 || r.State != models.ExecutionEntryLevelErrors || j.Status.LastSuccessfulExecution.CountEscrowed != 0 {
			t.Errorf("escrows injected: %+v", r)
		}
		time.Sleep(10 * time.Minute)
		if logs := srv.ProvisioningLogs(); len(logs) != 12 || logs[11].ProvisioningStatusInfo.ErrorInformation.ErrorCode != graphtest.EscrowErrorCode {
			t.Errorf("escrowed events: %d", len(logs))
		}
		// A restart resetting the watermark and escrows: a new initial
		// cycle, without escrows.
		if err := c.RestartJob(ctx, "sp", job, models.ResetWatermark|models.ResetEscrows); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Minute)
		j, _ = srv.Job("sp", job)
		if p := j.Status.Progress[0]; p.CompletedUnits != 5 || p.TotalUnits != 10 {
			t.Errorf("restarted: %+v", p)
		}
		time.Sleep(5 * time.Minute)
		if logs := srv.ProvisioningLogs(); len(logs) != 22 || logs[21].ProvisioningStatusInfo.Status != models.LogStatusSuccess {
			t.Errorf("second initial cycle: %d events", len(logs))
		}
		// A fake left alone for long writes at most 100 cycles' worth.
		srv.InjectEscrows("sp", job, 1)
		time.Sleep(1000 * 10 * time.Minute)
		if n := len(srv.ProvisioningLogs()); n != 22+100 {
			t.Errorf("after a long idle: %d events", n)
		}
	})
}

// Quarantine: the job stops, start lifts it; in a fake without cycles too.
func TestQuarantineAndEscrowsWithoutCycles(t *testing.T) {
	srv, c := newServer(t, nil)
	job := startedJob(t, srv, 1)
	if !srv.QuarantineJob("sp", job, models.QuarantineTooManyDeletes) || srv.QuarantineJob("sp", "nope", "x") || srv.InjectEscrows("sp", "nope", 1) {
		t.Fatal("QuarantineJob or InjectEscrows on a job that is or is not there")
	}
	j, _ := c.GetJob(ctx, "sp", job)
	q := j.Status.Quarantine
	if j.Status.Code != models.StatusQuarantine || q == nil || q.Reason != models.QuarantineTooManyDeletes || q.SeriesCount != 0 ||
		q.Error.Code != graphtest.QuarantineErrorCode || q.NextAttempt.Sub(q.CurrentBegan) != 6*time.Hour {
		t.Fatalf("%+v %+v", j.Status, q)
	}
	srv.QuarantineJob("sp", job, models.QuarantineEncounteredQuarantineException) // evaluated again
	if j, _ := srv.Job("sp", job); j.Status.Quarantine.SeriesCount != 1 || j.Status.Quarantine.Reason != models.QuarantineEncounteredQuarantineException {
		t.Errorf("series: %+v", j.Status.Quarantine)
	}
	if err := c.StartJob(ctx, "sp", job, nil); err != nil {
		t.Fatal(err)
	}
	if j, _ := srv.Job("sp", job); j.Status.Code != models.StatusActive || j.Status.Quarantine != nil {
		t.Errorf("after start: %+v", j.Status)
	}
	srv.InjectEscrows("sp", job, 4)
	c.PauseJob(ctx, "sp", job)
	c.StartJob(ctx, "sp", job, nil) // a new instant run escrows them too
	if j, _ := srv.Job("sp", job); j.Status.LastExecution.CountEscrowed != 4 {
		t.Errorf("escrows after a new run: %+v", j.Status.LastExecution)
	}
}

// The control API's job endpoints, for tests that run the fake as a
// process.
func TestControlAPIJobs(t *testing.T) {
	srv, c := newServer(t, &graphtest.Options{ControlAPI: true})
	job := startedJob(t, srv, 1)
	path := "jobs/sp/" + url.PathEscape(job)
	for _, tc := range []struct {
		path, body string
		code       int
		says       string
	}{
		{path + "/quarantine", `{"reason":"EncounteredEscrowProportionThreshold"}`, 204, ""},
		{path + "/escrows", `{"count":3}`, 204, ""},
		{path + "/escrows", `{"count":0}`, 204, ""},
		{path + "/quarantine", `{}`, 400, "needs a reason"},
		{path + "/quarantine", `{"reason":"X","extra":1}`, 400, "extra"},
		{path + "/escrows", `{}`, 400, "count"},
		{path + "/escrows", `{"count":-1}`, 400, "count"},
		{"jobs/sp/nope/escrows", `{"count":1}`, 404, "no job 'nope'"},
		{"jobs/nosp/" + url.PathEscape(job) + "/quarantine", `{"reason":"Unknown"}`, 404, "service principal 'nosp'"},
		{path + "/explode", `{}`, 404, "has no POST"},
	} {
		code, body := control(t, srv, "POST", tc.path, tc.body)
		if code != tc.code || !strings.Contains(body, tc.says) {
			t.Errorf("%s %s: %d %s", tc.path, tc.body, code, body)
		}
	}
	j, _ := c.GetJob(ctx, "sp", job)
	if j.Status.Code != models.StatusQuarantine || j.Status.Quarantine.Reason != models.QuarantineEncounteredEscrowProportionThreshold ||
		j.Status.LastExecution.CountEscrowed != 0 {
		t.Errorf("%+v", j.Status)
	}
	// Control calls are neither recorded nor faulted.
	for _, r := range srv.Requests() {
		if strings.Contains(r.Path, "_graphtest") {
			t.Errorf("recorded %s", r.Path)
		}
	}
}

func ExampleServer_QuarantineJob() {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp-1")
	client, _ := srv.NewClient()
	job, _ := client.CreateJob(ctx, "sp-1", models.SynchronizationJob{TemplateID: "scim"})
	client.StartJob(ctx, "sp-1", job.ID, nil)

	srv.QuarantineJob("sp-1", job.ID, models.QuarantineEncounteredEscrowProportionThreshold)
	got, _ := client.GetJob(ctx, "sp-1", job.ID)
	fmt.Println(got.Status.Code, got.Status.Quarantine.Reason)

	client.StartJob(ctx, "sp-1", job.ID, nil) // Graph's start lifts a quarantine
	got, _ = client.GetJob(ctx, "sp-1", job.ID)
	fmt.Println(got.Status.Code, got.Status.Quarantine == nil)
	// Output:
	// Quarantine EncounteredEscrowProportionThreshold
	// Active true
}

func ExampleServer_InjectEscrows() {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp-1")
	client, _ := srv.NewClient()
	job, _ := client.CreateJob(ctx, "sp-1", models.SynchronizationJob{TemplateID: "scim"})
	client.StartJob(ctx, "sp-1", job.ID, nil)

	srv.InjectEscrows("sp-1", job.ID, 12)
	got, _ := client.GetJob(ctx, "sp-1", job.ID)
	fmt.Println(got.Status.LastExecution.State, got.Status.LastExecution.CountEscrowed)
	// Output: EntryLevelErrors 12
}

// A job started and left alone for long still logs its initial cycle,
// then at most the last 100 incremental cycles.
func TestLongIdleKeepsTheInitialCycle(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, _ := newServer(t, &graphtest.Options{InProcess: true, CycleLength: time.Second})
		srv.AddServicePrincipal("sp", "scim")
		job := startedJob(t, srv, 5)
		srv.InjectEscrows("sp", job, 1)
		time.Sleep(time.Hour)
		logs := srv.ProvisioningLogs()
		if len(logs) != 5+100 || logs[0].ProvisioningStatusInfo.Status != models.LogStatusFailure || logs[1].ProvisioningStatusInfo.Status != models.LogStatusSuccess {
			t.Errorf("%d events", len(logs))
		}
		j, _ := srv.Job("sp", job)
		if !j.Status.LastExecution.TimeEnded.Equal(time.Now().UTC()) {
			t.Errorf("last run ended %s", j.Status.LastExecution.TimeEnded)
		}
	})
}
