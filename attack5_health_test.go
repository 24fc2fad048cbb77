package graphsync_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/models"
)

// Attack (health_metrics.go: "graphsync.job.quarantined  1 in quarantine,
// else 0"; README: the alert graphsync_job_quarantined == 1; health.go:
// "Graph may send the code Quarantine without details"): the gauge is 1
// only when the job is in quarantine *and* Graph sent the quarantine's
// details. A job whose status code is Quarantine without a quarantine
// object, which CheckHealth itself calls quarantined and critical, is
// reported as not quarantined (0), so the README's Prometheus alert never
// fires for it.
func TestAttack5QuarantinedGaugeWithoutDetails(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	c, ts, _ := setup(t, &graphsync.ClientOptions{MeterProvider: sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))})
	ts.mux.HandleFunc("GET /v1.0/servicePrincipals/sp/synchronization/jobs/job", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"id":"job","templateId":"scim","schedule":{"state":"Active","interval":"PT40M"},"status":{"code":"Quarantine"}}`)
	})
	h, err := c.JobHealth(context.Background(), "sp", "job", nil)
	if err != nil {
		t.Fatal(err)
	}
	if h.State != graphsync.JobQuarantined || h.Level != graphsync.HealthCritical {
		t.Fatalf("the health itself: %s %s", h.State, h.Level)
	}
	points := gaugePoints(t, collect(t, reader), "graphsync.job.quarantined")
	quarantined := false
	for _, v := range points {
		quarantined = quarantined || v == 1
	}
	if !quarantined {
		t.Errorf("graphsync.job.quarantined for a job in quarantine (status code Quarantine, no details): %v, want a point of 1", points)
	}
}

// Attack (CountCycle: "Memory holds one page and the counts, however long
// the cycle"; logs stats "counts correctly across pages"): CycleStats.Add
// finds an error code by a linear search and sorts every count and every
// error code again at each event, and keeps one entry (with its reason)
// per distinct code. A cycle whose failures carry distinct codes (a
// hostile Graph, or codes that embed an object's ID) makes logs stats
// quadratic: 40,000 such failures take tens of seconds, a million take
// hours, and every code and reason stays in memory.
func TestAttack5CycleStatsQuadraticInDistinctCodes(t *testing.T) {
	const n = 40000
	var s graphsync.CycleStats
	start := time.Now()
	for i := range n {
		s.Add(models.ProvisioningObjectSummary{
			CycleID: "c", JobID: "j", ProvisioningAction: "create",
			ProvisioningStatusInfo: &models.ProvisioningStatusInfo{Status: models.LogStatusFailure,
				ErrorInformation: &models.ProvisioningErrorInfo{ErrorCode: fmt.Sprintf("Code%06d", i), Reason: "reason"}},
		})
	}
	took := time.Since(start)
	if s.Events != n || s.ByStatus(models.LogStatusFailure) != n {
		t.Fatalf("counted %d events, %d failures", s.Events, s.ByStatus(models.LogStatusFailure))
	}
	// Counting 40,000 events is a few milliseconds of work; 5 s leaves a
	// wide margin for a loaded machine.
	if took > 5*time.Second {
		t.Errorf("counting %d failed events with distinct error codes took %s", n, took)
	}
}
