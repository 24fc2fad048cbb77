package graphsync_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

func ExampleCheckHealth() {
	// A job as ListJobs or GetJob returns it (Entra's cloud sync example,
	// shortened): active, in steady state, 15 escrows in its last run.
	var job models.SynchronizationJob
	json.Unmarshal([]byte(`{"id":"AD2AADProvisioning.fd1c9b9e","schedule":{"state":"Active"},"status":{"code":"Active",
		"steadyStateFirstAchievedTime":"2019-11-08T15:48:05.7360238Z","steadyStateLastAchievedTime":"2019-11-20T16:17:24.7957721Z",
		"lastExecution":{"countEscrowed":15,"state":"Succeeded","timeBegan":"2019-11-20T16:15:21.116098Z","timeEnded":"2019-11-20T16:17:24.7488681Z"},
		"lastSuccessfulExecution":{"state":"Succeeded","timeEnded":"2019-11-20T14:09:46.8855027Z"}}}`), &job)
	now := time.Date(2019, 11, 20, 16, 20, 0, 0, time.UTC)

	h := graphsync.CheckHealth(&job, now, nil)
	fmt.Println(h.State, h.SteadyState, h.Escrows)
	fmt.Println(h.Summary())

	// Thresholds of one's own: up to 20 escrows are fine.
	h = graphsync.CheckHealth(&job, now, &graphsync.HealthThresholds{WarnEscrows: 20, WarnAge: 3 * time.Hour})
	fmt.Println(h.Summary())
	// Output:
	// active true 15
	// warning: 15 escrowed entries in the last run (warning from 1); last successful run 2h10m0s ago (warning after 2h0m0s)
	// ok: active, steady state, 15 escrows, last successful run 2h10m0s ago
}

func ExampleClient_JobHealth() {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp-1")
	client, _ := srv.NewClient()
	ctx := context.Background()
	job, _ := client.CreateJob(ctx, "sp-1", models.SynchronizationJob{TemplateID: "scim"})
	client.StartJob(ctx, "sp-1", job.ID, nil)
	srv.QuarantineJob("sp-1", job.ID, models.QuarantineEncounteredQuarantineException) // as Graph does

	h, err := client.JobHealth(ctx, "sp-1", job.ID, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(h.Level, h.State, h.Quarantine.Reason)
	fmt.Println(h.Quarantine.Meaning)
	// Output:
	// critical quarantined EncounteredQuarantineException
	// Invalid credentials were provided: the provisioning service is unable to establish a connection between the source system and the target system.
}

func ExampleClient_WaitForJob() {
	srv := graphtest.NewServer(nil) // its jobs reach steady state as they start
	defer srv.Close()
	srv.AddServicePrincipal("sp-1")
	client, _ := srv.NewClient()
	ctx := context.Background()
	job, _ := client.CreateJob(ctx, "sp-1", models.SynchronizationJob{TemplateID: "scim"})
	client.StartJob(ctx, "sp-1", job.ID, nil)

	h, err := client.WaitForJob(ctx, "sp-1", job.ID, &graphsync.JobWaitOptions{
		Until:   graphsync.WaitSteadyState,
		Timeout: time.Hour,        // then ErrWaitTimeout
		Poll:    30 * time.Second, // one read every 30 s, longer when throttled
	})
	fmt.Println(h.SteadyState, err)

	srv.QuarantineJob("sp-1", job.ID, models.QuarantineTooManyDeletes)
	_, err = client.WaitForJob(ctx, "sp-1", job.ID, nil)
	fmt.Println(errors.Is(err, graphsync.ErrJobQuarantined))
	// Output:
	// true <nil>
	// true
}

func ExampleClient_WatchJob() {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp-1")
	client, _ := srv.NewClient()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	job, _ := client.CreateJob(ctx, "sp-1", models.SynchronizationJob{TemplateID: "scim"})

	for ch, err := range client.WatchJob(ctx, "sp-1", job.ID, &graphsync.JobWatchOptions{Poll: time.Minute}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(ch.Changed, ch.Health.Summary())
		break // a watch goes on until ctx ends or the loop stops
	}
	// Output:
	// [] warning: not started (status NotConfigured, schedule Disabled): it does not run
}

func ExampleHealth_Changes() {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	running := &models.SynchronizationJob{Schedule: &models.SynchronizationSchedule{State: models.ScheduleActive},
		Status: &models.SynchronizationStatus{Code: models.StatusActive}}
	paused := &models.SynchronizationJob{Schedule: &models.SynchronizationSchedule{State: models.SchedulePaused},
		Status: &models.SynchronizationStatus{Code: models.StatusPaused}}

	before := graphsync.CheckHealth(running, at, nil)
	after := graphsync.CheckHealth(paused, at.Add(time.Minute), nil)
	fmt.Println(after.Changes(before))
	// Output: [state level]
}

func ExampleClient_CountCycle() {
	srv := graphtest.NewServer(&graphtest.Options{CycleLength: 10 * time.Millisecond})
	defer srv.Close()
	srv.AddServicePrincipal("sp-1")
	for _, u := range []string{"u1", "u2", "u3", "u4"} {
		srv.AddUser(u, u+"@contoso.com")
	}
	client, _ := srv.NewClient()
	ctx := context.Background()
	job, _ := client.CreateJob(ctx, "sp-1", models.SynchronizationJob{TemplateID: "scim"})
	srv.InjectEscrows("sp-1", job.ID, 1)
	client.StartJob(ctx, "sp-1", job.ID, nil)
	time.Sleep(25 * time.Millisecond)
	initial := srv.ProvisioningLogs()[0].CycleID // the initial cycle's events come first

	s, err := client.CountCycle(ctx, models.ProvisioningLogQuery{JobID: job.ID, CycleID: initial})
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range s.Counts {
		fmt.Println(c.Action, c.Status, c.Count)
	}
	for _, e := range s.TopErrors(5) {
		fmt.Println(e.Code, e.Count)
	}
	// Output:
	// create success 3
	// create failure 1
	// InjectedEscrow 1
}

func ExampleCycleStats() {
	var s graphsync.CycleStats // counts events from any source, one at a time
	for _, st := range []models.LogStatus{models.LogStatusSuccess, models.LogStatusFailure, models.LogStatusSuccess} {
		s.Add(models.ProvisioningObjectSummary{CycleID: "c1", ProvisioningAction: models.LogActionUpdate,
			ProvisioningStatusInfo: &models.ProvisioningStatusInfo{Status: st}})
	}
	fmt.Println(s.Events, s.ByStatus(models.LogStatusSuccess), s.ByAction(models.LogActionUpdate), s.Counts)
	// Output: 3 2 3 [{update success 2} {update failure 1}]
}
