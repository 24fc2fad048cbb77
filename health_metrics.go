package graphsync

import (
	"context"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// The jobs' gauges. With ClientOptions.MeterProvider, every health read
// (JobHealth, and each read of WaitForJob and WatchJob) keeps the job's
// latest Health, and these observable gauges report it, per job read
// (the attributes graphsync.service_principal.id and graphsync.job.id:
// the IDs the call was given, whatever Graph's answer says), each time
// the meter provider collects:
//
//	graphsync.job.state               1 for the job's state, 0 for the others (attribute graphsync.job.state)
//	graphsync.job.quarantined         1 in quarantine (State JobQuarantined), else 0 (attribute graphsync.quarantine.reason when 1: "" when Graph sent no quarantine details)
//	graphsync.job.escrows             entries the last run escrowed
//	graphsync.job.initial_cycle.progress  the part of the initial cycle done, 0 to 1
//	graphsync.job.last_success.age    seconds since the last successful run, measured at collection (absent if none)
//	graphsync.job.health              0 ok, 1 warning, 2 critical
//
// Nothing is registered until the first health read, so a Client that
// reads none pays nothing, and the calls of the API never touch them.
type jobGauges struct {
	mu   sync.Mutex
	jobs map[[2]string]jobReading // by service principal and job, as read

	state, quarantined, escrows, health metric.Int64ObservableGauge
	progress, age                       metric.Float64ObservableGauge
}

// jobReading is what the gauges report of a Health: a copy of their
// values, not the *Health, which is the caller's to change.
type jobReading struct {
	state            JobState
	quarantineReason string // when state is JobQuarantined
	escrows          int64
	progress         float64
	lastSuccess      time.Time
	level            HealthLevel
}

// recordHealth keeps h as the latest health of the job read (sp, job)
// for the gauges. It does nothing without a MeterProvider.
func (o *observer) recordHealth(sp, job string, h *Health) {
	if o == nil || o.meter == nil {
		return
	}
	o.healthOnce.Do(func() { o.health = newJobGauges(o.meter) })
	if o.health == nil {
		return
	}
	r := jobReading{state: h.State, escrows: h.Escrows, progress: h.InitialCycle.Fraction(), lastSuccess: h.LastSuccess, level: h.Level}
	if h.State == JobQuarantined && h.Quarantine != nil {
		// The status code says quarantine; the details, and with them
		// the reason, are optional (see Health.Quarantine).
		r.quarantineReason = string(h.Quarantine.Reason)
	}
	g := o.health
	g.mu.Lock()
	g.jobs[[2]string{sp, job}] = r
	g.mu.Unlock()
}

// newJobGauges registers the gauges; nil if the meter refuses them (the
// health reads go on without metrics).
func newJobGauges(m metric.Meter) *jobGauges {
	g := &jobGauges{jobs: map[[2]string]jobReading{}}
	var err error
	if g.state, err = m.Int64ObservableGauge("graphsync.job.state",
		metric.WithDescription("1 for the job's state (graphsync.job.state), 0 for the others.")); err != nil {
		return nil
	}
	if g.quarantined, err = m.Int64ObservableGauge("graphsync.job.quarantined",
		metric.WithDescription("1 when the job is in quarantine (with its reason, if Graph sent one), else 0.")); err != nil {
		return nil
	}
	if g.escrows, err = m.Int64ObservableGauge("graphsync.job.escrows", metric.WithUnit("{entry}"),
		metric.WithDescription("Entries the job's last run escrowed (object-level errors Graph retries).")); err != nil {
		return nil
	}
	if g.progress, err = m.Float64ObservableGauge("graphsync.job.initial_cycle.progress", metric.WithUnit("1"),
		metric.WithDescription("The part of the job's initial cycle done, from 0 to 1.")); err != nil {
		return nil
	}
	if g.age, err = m.Float64ObservableGauge("graphsync.job.last_success.age", metric.WithUnit("s"),
		metric.WithDescription("Seconds since the end of the job's last successful run.")); err != nil {
		return nil
	}
	if g.health, err = m.Int64ObservableGauge("graphsync.job.health",
		metric.WithDescription("The job's health: 0 ok, 1 warning, 2 critical.")); err != nil {
		return nil
	}
	if _, err = m.RegisterCallback(g.observe, g.state, g.quarantined, g.escrows, g.progress, g.age, g.health); err != nil {
		return nil
	}
	return g
}

// observe reports every job's latest health.
func (g *jobGauges) observe(_ context.Context, o metric.Observer) error {
	now := time.Now()
	g.mu.Lock()
	defer g.mu.Unlock()
	for key, r := range g.jobs {
		job := []attribute.KeyValue{attribute.String("graphsync.service_principal.id", key[0]), attribute.String("graphsync.job.id", key[1])}
		for _, s := range JobStates() {
			v := int64(0)
			if r.state == s {
				v = 1
			}
			o.ObserveInt64(g.state, v, metric.WithAttributes(append(job[:2:2], attribute.String("graphsync.job.state", string(s)))...))
		}
		if r.state == JobQuarantined {
			o.ObserveInt64(g.quarantined, 1, metric.WithAttributes(append(job[:2:2], attribute.String("graphsync.quarantine.reason", r.quarantineReason))...))
		} else {
			o.ObserveInt64(g.quarantined, 0, metric.WithAttributes(job...))
		}
		o.ObserveInt64(g.escrows, r.escrows, metric.WithAttributes(job...))
		o.ObserveFloat64(g.progress, r.progress, metric.WithAttributes(job...))
		if !r.lastSuccess.IsZero() {
			o.ObserveFloat64(g.age, max(now.Sub(r.lastSuccess), 0).Seconds(), metric.WithAttributes(job...))
		}
		o.ObserveInt64(g.health, int64(r.level), metric.WithAttributes(job...))
	}
	return nil
}
