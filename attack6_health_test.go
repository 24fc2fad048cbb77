package graphsync_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

// Attack (retry.go: "MaxRetryAfter is the longest Retry-After graphsync
// honours. A longer one ends the call with the answer that carried it";
// WatchJob: "On failure ... it yields the error"): the job poller honours
// any Retry-After, however far. A Graph (or a proxy) answering 503 with
// Retry-After: 999999999 (31 years) puts WatchJob to sleep for 31 years:
// jobs watch prints nothing more, never exits, and its gauges keep the
// last health read as if it were current.
func TestAttack6WatchSleepsPastMaxRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c, job := cycling(t, time.Minute)
		start := time.Now()
		var got error
		first := true
		ctx, cancel := context.WithTimeout(context.Background(), time.Hour) // a bound for the test
		defer cancel()
		for ch, err := range c.WatchJob(ctx, "sp", job, &graphsync.JobWatchOptions{Poll: time.Minute}) {
			if err != nil {
				got = err
				break
			}
			if first {
				first = false
				srv.InjectFault(graphtest.Fault{Method: "GET", PathSuffix: "/jobs/" + job, Times: 1000,
					Status: http.StatusServiceUnavailable, RetryAfter: "999999999"})
			}
			_ = ch
		}
		var re *graphsync.ResponseError
		if !errors.As(got, &re) || re.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("the watch ended with %v, want the 503 whose Retry-After is past MaxRetryAfter", got)
		}
		if took := time.Since(start); took > 2*time.Minute {
			t.Errorf("the watch slept %s on a Retry-After past MaxRetryAfter (%s)", took, graphsync.MaxRetryAfter)
		}
	})
}

// Attack (health_metrics.go: the gauges are "per job (the attributes
// graphsync.service_principal.id and graphsync.job.id)"; README: "run one
// [jobs watch] per job as a service"): the gauges are kept under the ID
// Graph's answer holds, not the job read. A Graph whose answer names
// another job (or a new one at each read) adds a job to the gauges at
// each read: a watch's memory and its Prometheus series grow without
// bound, and the job watched is reported under IDs nobody asked for.
func TestAttack6GaugesKeyedByGraphsID(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	c, ts, _ := setup(t, &graphsync.ClientOptions{MeterProvider: sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))})
	var mu sync.Mutex
	n := 0
	ts.mux.HandleFunc("GET /v1.0/servicePrincipals/sp/synchronization/jobs/job", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		id := fmt.Sprintf("forged-%d", n)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"id":%q,"templateId":"scim","schedule":{"state":"Active","interval":"PT40M"},"status":{"code":"Active"}}`, id)
	})
	for range 50 {
		if _, err := c.JobHealth(context.Background(), "sp", "job", nil); err != nil {
			t.Fatal(err)
		}
	}
	var jobs []string
	for _, sm := range collect(t, reader).ScopeMetrics {
		for _, m := range sm.Metrics {
			if g, ok := m.Data.(metricdata.Gauge[int64]); ok && m.Name == "graphsync.job.health" {
				for _, p := range g.DataPoints {
					v, _ := p.Attributes.Value("graphsync.job.id")
					jobs = append(jobs, v.AsString())
				}
			}
		}
	}
	if len(jobs) != 1 || jobs[0] != "job" {
		t.Errorf("graphsync.job.health after 50 reads of job \"job\": points for %d job(s) %q..., want one, for \"job\"", len(jobs), jobs[:min(len(jobs), 3)])
	}
}

// Attack (Client: "safe for concurrent use"; JobHealth returns the
// caller's *Health): the gauges keep the very *Health JobHealth (and
// WaitForJob) returned and read it at each collection, in the meter
// provider's goroutine. A caller that changes the Health it was given
// (adds a reason, sets a field) races with every collection.
func TestAttack6GaugesReadTheCallersHealth(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	c, ts, _ := setup(t, &graphsync.ClientOptions{MeterProvider: sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))})
	ts.mux.HandleFunc("GET /v1.0/servicePrincipals/sp/synchronization/jobs/job", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"id":"job","templateId":"scim","schedule":{"state":"Active","interval":"PT40M"},"status":{"code":"Active"}}`)
	})
	h, err := c.JobHealth(context.Background(), "sp", "job", nil)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		collect(t, reader)
	}()
	h.State, h.Level, h.Escrows = graphsync.JobFailed, graphsync.HealthCritical, 7 // the caller's own value
	<-done
	points := gaugePoints(t, collect(t, reader), "graphsync.job.health")
	if points[""] != float64(graphsync.HealthOK) {
		t.Errorf("graphsync.job.health after the caller changed its Health: %v, want the level read (0)", points)
	}
}

// Attack (CycleStats: "its memory bounded whatever Graph sends"; README:
// CountCycle counts "in time linear in the events and bounded memory"):
// the number of rows is bounded, not what they hold. Each of the
// MaxCycleErrorCodes rows keeps its code and its example reason as Graph
// wrote them, each as long as a page allows: 1,000 codes with a reason
// of 100 KB each keep 100 MB after the pages are gone, and a code or an
// action as long is kept as it is too.
func TestAttack6CycleStatsKeepsGraphsLongStrings(t *testing.T) {
	var s graphsync.CycleStats
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range graphsync.MaxCycleErrorCodes {
		long := strings.Repeat("x", 100<<10)
		s.Add(models.ProvisioningObjectSummary{ProvisioningAction: models.LogAction(fmt.Sprintf("%d%s", i%200, long)),
			ProvisioningStatusInfo: &models.ProvisioningStatusInfo{Status: models.LogStatusFailure,
				ErrorInformation: &models.ProvisioningErrorInfo{ErrorCode: fmt.Sprintf("%d%s", i, long[:1000]), Reason: long}}})
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(&s)
	if kept := int64(after.HeapAlloc) - int64(before.HeapAlloc); kept > 16<<20 {
		t.Errorf("a CycleStats of %d error codes keeps %d MB of Graph's text", len(s.Errors), kept>>20)
	}
	if s.Events != graphsync.MaxCycleErrorCodes || s.ByStatus(models.LogStatusFailure)+s.OtherEvents != s.Events {
		t.Errorf("events %d, failures counted %d + %d other", s.Events, s.ByStatus(models.LogStatusFailure), s.OtherEvents)
	}
}

// Attack (CycleProgress.Fraction: "the part done, from 0 to 1"; the gauge
// graphsync.job.initial_cycle.progress: "from 0 to 1"): a progress whose
// completedUnits is negative (Graph's text, whatever it holds) gives a
// negative fraction, in the gauge and in jobs health's performance data.
func TestAttack6ProgressFractionBelowZero(t *testing.T) {
	job := &models.SynchronizationJob{ID: "job", Schedule: &models.SynchronizationSchedule{State: models.ScheduleActive},
		Status: &models.SynchronizationStatus{Code: models.StatusNotRun, Progress: []models.SynchronizationProgress{
			{CompletedUnits: -5, TotalUnits: 10, Units: "entries", ProgressObservationDateTime: time.Now()}}}}
	if f := graphsync.CheckHealth(job, time.Now(), nil).InitialCycle.Fraction(); f < 0 || f > 1 {
		t.Errorf("Fraction %g, want from 0 to 1", f)
	}
}
