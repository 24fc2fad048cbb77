package graphsync_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

// gaugePoints returns a collected gauge's points, by their attributes
// without the job's.
func gaugePoints(t *testing.T, rm metricdata.ResourceMetrics, name string) map[string]float64 {
	t.Helper()
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != name {
				continue
			}
			out := map[string]float64{}
			key := func(s attribute.Set) string {
				if v, ok := s.Value("graphsync.job.id"); !ok || v.AsString() == "" {
					t.Errorf("%s: a point without the job: %v", name, s.ToSlice())
				}
				k := ""
				for _, kv := range s.ToSlice() {
					if kv.Key != "graphsync.job.id" && kv.Key != "graphsync.service_principal.id" {
						k += string(kv.Key) + "=" + kv.Value.Emit()
					}
				}
				return k
			}
			switch d := m.Data.(type) {
			case metricdata.Gauge[int64]:
				for _, p := range d.DataPoints {
					out[key(p.Attributes)] = float64(p.Value)
				}
			case metricdata.Gauge[float64]:
				for _, p := range d.DataPoints {
					out[key(p.Attributes)] = p.Value
				}
			default:
				t.Fatalf("%s is a %T", name, m.Data)
			}
			return out
		}
	}
	return nil
}

func collect(t *testing.T, r *sdkmetric.ManualReader) metricdata.ResourceMetrics {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := r.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	return rm
}

// The job's gauges: nothing before the first health read; then state,
// quarantine, escrows, progress, the age of the last success (measured at
// collection) and the verdict, per job.
func TestJobHealthGauges(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		reader := sdkmetric.NewManualReader()
		srv := graphtest.NewServer(&graphtest.Options{InProcess: true, CycleLength: 10 * time.Minute})
		srv.AddServicePrincipal("sp")
		for _, u := range []string{"a", "b", "c", "d"} {
			srv.AddUser(u, u+"@contoso.com")
		}
		o := srv.ClientOptions()
		o.MeterProvider = sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
		c, err := graphsync.NewClient(srv.Credential(), o)
		if err != nil {
			t.Fatal(err)
		}
		job, _ := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
		c.StartJob(ctx, "sp", job.ID, nil)
		if p := gaugePoints(t, collect(t, reader), "graphsync.job.state"); p != nil {
			t.Fatalf("gauges before any health read: %v", p)
		}

		time.Sleep(5 * time.Minute)
		if _, err := c.JobHealth(ctx, "sp", job.ID, nil); err != nil {
			t.Fatal(err)
		}
		rm := collect(t, reader)
		if p := gaugePoints(t, rm, "graphsync.job.state"); len(p) != len(graphsync.JobStates()) || p["graphsync.job.state=active"] != 1 || p["graphsync.job.state=paused"] != 0 {
			t.Errorf("state %v", p)
		}
		if p := gaugePoints(t, rm, "graphsync.job.initial_cycle.progress"); p[""] != 0.5 {
			t.Errorf("progress %v", p)
		}
		if p := gaugePoints(t, rm, "graphsync.job.last_success.age"); len(p) != 0 {
			t.Errorf("an age without a success: %v", p)
		}

		time.Sleep(5 * time.Minute) // the initial cycle ends
		srv.InjectEscrows("sp", job.ID, 7)
		c.JobHealth(ctx, "sp", job.ID, nil)
		time.Sleep(90 * time.Second) // the age grows between reads
		rm = collect(t, reader)
		for name, want := range map[string]float64{"graphsync.job.escrows": 7, "graphsync.job.initial_cycle.progress": 1,
			"graphsync.job.last_success.age": 90, "graphsync.job.health": float64(graphsync.HealthWarning), "graphsync.job.quarantined": 0} {
			if p := gaugePoints(t, rm, name); len(p) != 1 || p[""] != want {
				t.Errorf("%s: %v, want %v", name, p, want)
			}
		}

		srv.QuarantineJob("sp", job.ID, models.QuarantineEncounteredQuarantineException)
		for range c.WatchJob(ctx, "sp", job.ID, nil) { // a watch's reads set them too
			break
		}
		rm = collect(t, reader)
		if p := gaugePoints(t, rm, "graphsync.job.quarantined"); p["graphsync.quarantine.reason=EncounteredQuarantineException"] != 1 || len(p) != 1 {
			t.Errorf("quarantined %v", p)
		}
		if p := gaugePoints(t, rm, "graphsync.job.state"); p["graphsync.job.state=quarantined"] != 1 || p["graphsync.job.state=active"] != 0 {
			t.Errorf("state %v", p)
		}
		if p := gaugePoints(t, rm, "graphsync.job.health"); p[""] != float64(graphsync.HealthCritical) {
			t.Errorf("health %v", p)
		}
	})
}
