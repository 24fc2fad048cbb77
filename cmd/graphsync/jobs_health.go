package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/cmd/graphsync/internal/cli"
	"github.com/graphsync/graphsync/internal/printable"
)

// defaultHealthTimeout is jobs health's -timeout: the monitoring
// plugins' usual 10 s, well within Nagios's 60 s check timeout, and room
// for the client's retries of a 503 (1 s, 2 s, 4 s).
const defaultHealthTimeout = 10 * time.Second

// errHealthTimeout is the cause of jobs health's -timeout.
var errHealthTimeout = errors.New("jobs health: -timeout passed")

// Exit codes of graphsync jobs health, Nagios's.
const (
	nagiosOK       = 0
	nagiosWarning  = 1
	nagiosCritical = 2
	nagiosUnknown  = 3
)

// jobsHealthCommands are jobs wait, watch and health.
func jobsHealthCommands() []*cli.Command {
	return []*cli.Command{
		{Name: "wait", Summary: "wait until the initial cycle ends or the job reaches steady state (exit 1 on quarantine, failure or timeout)",
			Help: `Wait until the job's initial cycle has ended (-until initial-cycle), until it is
active and its last cycle ended in steady state (-until steady), or whichever
comes first (-until any). Each change of the job is shown on stderr as it is
seen; the job's health is printed on stdout when the wait ends (-json: as JSON).

Reads are paced: one every -poll, longer when Graph throttles (never sooner
than its Retry-After). Exit status: 0 reached; 1 the job is in quarantine or
its last run failed (saying why, what the quarantine's reason means and what
to do), or -timeout passed (saying what the job was doing: a paused job never
reaches steady state, so its wait ends at the timeout), or Graph refused; 2 bad
usage; 3 interrupted.`,
			Flags: jobsWait},
		{Name: "watch", Summary: "print one line per change of the job until interrupted; -metrics serves its gauges to Prometheus",
			Help: `Read the job every -poll (longer when Graph throttles) and print one line per
change on stdout: the time, what changed (state, quarantine, progress, steady,
escrows, last-run, error, level) and the job's health; -json prints one JSON
object a line. It runs until interrupted (exit 3) or Graph refuses (exit 1).

-metrics ADDR serves the job's gauges at http://ADDR/metrics in Prometheus's
text format: graphsync_job_state, graphsync_job_quarantined,
graphsync_job_escrows, graphsync_job_initial_cycle_progress_ratio,
graphsync_job_last_success_age_seconds and graphsync_job_health, with the
client's request metrics.`,
			Flags: jobsWatch},
		{Name: "health", Summary: "check a job once for a monitoring system (Nagios exit codes: 0 ok, 1 warning, 2 critical, 3 unknown)",
			Help: `Read the job once and print its health on one line, as a Nagios plugin does:
"OK - ...", "WARNING - ..." or "CRITICAL - ..." with the reasons, then
performance data (escrows, age of the last successful run, initial cycle).
The line stays under 1,000 bytes, within what Nagios and NRPE read: long
reasons (Graph's messages) are cut, and -json has them whole.

Critical: the job is in quarantine, its last run failed, or escrows or the age
of the last successful run pass -critical-escrows or -critical-age. Warning:
paused, not started, escrows pruned, or escrows or the age pass -warn-escrows
or -warn-age. A negative threshold turns its check off; 0 is refused.

Exit status (Nagios's, for this command only): 0 OK, 1 WARNING, 2 CRITICAL,
3 UNKNOWN: bad usage or configuration, no answer from Graph within -timeout
or an error answer, or interrupted.`,
			UsageExit: nagiosUnknown,
			Flags:     jobsHealth},
	}
}

// thresholdFlags registers the thresholds' flags. check, called once
// they are parsed, refuses a threshold set to 0: HealthThresholds reads 0
// as "the default", so the check would use the default while the
// performance data printed the 0 given. A threshold is positive, or
// negative to turn its check off.
func thresholdFlags(fs *flag.FlagSet) (t *graphsync.HealthThresholds, check func() error) {
	t = &graphsync.HealthThresholds{}
	fs.Int64Var(&t.WarnEscrows, "warn-escrows", graphsync.DefaultWarnEscrows, "warning from this many escrowed entries in the last run (negative: off)")
	fs.Int64Var(&t.CriticalEscrows, "critical-escrows", graphsync.DefaultCriticalEscrows, "critical from this many escrowed entries in the last run (negative: off)")
	fs.DurationVar(&t.WarnAge, "warn-age", graphsync.DefaultWarnAge, "warning when the last successful run ended this long ago (negative: off)")
	fs.DurationVar(&t.CriticalAge, "critical-age", graphsync.DefaultCriticalAge, "critical when the last successful run ended this long ago (negative: off)")
	return t, func() error {
		var zero []string
		fs.Visit(func(f *flag.Flag) {
			switch f.Name {
			case "warn-escrows", "critical-escrows", "warn-age", "critical-age":
				if g, ok := f.Value.(flag.Getter); ok && (g.Get() == int64(0) || g.Get() == time.Duration(0)) {
					zero = append(zero, "-"+f.Name)
				}
			}
		})
		if len(zero) > 0 {
			return cli.Usagef("%s 0: a threshold must be positive, or negative to turn its check off", strings.Join(zero, " 0, "))
		}
		return nil
	}
}

func jobsWait(fs *flag.FlagSet, cfg *cli.Config) cli.Run {
	cfg.Shared(fs, cli.UsesJob|cli.UsesJSON)
	until := fs.String("until", string(graphsync.WaitAny), "what to wait for: initial-cycle, steady or any (whichever comes first)")
	timeout := fs.Duration("timeout", graphsync.DefaultJobWaitTimeout, "how long to wait at most")
	poll := fs.Duration("poll", graphsync.DefaultJobPoll, "the pause between two reads of the job")
	return func(ctx context.Context, inv *cli.Invocation) error {
		w := graphsync.WaitCondition(*until)
		if !w.Valid() || w == "" {
			return cli.Usagef("-until %q: want initial-cycle, steady or any", *until)
		}
		if *timeout <= 0 || *poll <= 0 {
			return cli.Usagef("-timeout and -poll must be positive")
		}
		return connected(func(ctx context.Context, inv *cli.Invocation, env *cli.Env) error {
			var prev *graphsync.Health
			start := time.Now()
			h, err := env.Client.WaitForJob(ctx, env.ServicePrincipalID, env.JobID, &graphsync.JobWaitOptions{
				Until: w, Timeout: *timeout, Poll: *poll,
				OnRead: func(h *graphsync.Health) {
					if prev == nil || len(h.Changes(prev)) > 0 {
						inv.Err.Printf("%s  %s", roundSince(start), h.Summary())
					}
					prev = h
				},
			})
			if err != nil {
				if h != nil && h.Quarantine != nil && errors.Is(err, graphsync.ErrJobQuarantined) {
					inv.Err.Printf("What to do: %s", h.Quarantine.Remedy)
				}
				if h != nil && inv.Config.JSON {
					inv.Out.JSON(h)
				}
				return err
			}
			if inv.Config.JSON {
				return inv.Out.JSON(h)
			}
			inv.Out.Printf("job %s: %s after %s: %s", env.JobID, reachedText(w, h), roundSince(start), h.Summary())
			return nil
		})(ctx, inv)
	}
}

func reachedText(w graphsync.WaitCondition, h *graphsync.Health) string {
	switch {
	case w == graphsync.WaitSteadyState || (w == graphsync.WaitAny && h.SteadyState):
		return "steady state"
	}
	return "initial cycle ended"
}

func roundSince(t time.Time) time.Duration { return time.Since(t).Round(100 * time.Millisecond) }

func jobsWatch(fs *flag.FlagSet, cfg *cli.Config) cli.Run {
	cfg.Shared(fs, cli.UsesJob|cli.UsesJSON)
	poll := fs.Duration("poll", graphsync.DefaultJobPoll, "the pause between two reads of the job")
	metrics := fs.String("metrics", "", "serve the job's gauges at http://ADDR/metrics (Prometheus's text format), e.g. 127.0.0.1:9464")
	th, checkThresholds := thresholdFlags(fs)
	return func(ctx context.Context, inv *cli.Invocation) error {
		if *poll <= 0 {
			return cli.Usagef("-poll must be positive")
		}
		if err := checkThresholds(); err != nil {
			return err
		}
		var opts *graphsync.ClientOptions
		if *metrics != "" {
			mp, stop, err := serveMetrics(inv, *metrics)
			if err != nil {
				return err
			}
			defer stop()
			opts = &graphsync.ClientOptions{MeterProvider: mp}
		}
		env, err := inv.Connect(opts)
		if err != nil {
			return err
		}
		defer env.Close()
		inv.DemoNotice(env)
		for ch, err := range env.Client.WatchJob(ctx, env.ServicePrincipalID, env.JobID, &graphsync.JobWatchOptions{Poll: *poll, Thresholds: th}) {
			if err != nil {
				return err
			}
			changed := make([]string, len(ch.Changed))
			for i, c := range ch.Changed {
				changed[i] = string(c)
			}
			if inv.Config.JSON {
				if err := inv.Out.JSONLine(struct {
					Time    time.Time         `json:"time"`
					Changed []string          `json:"changed"`
					Health  *graphsync.Health `json:"health"`
				}{ch.Health.CheckedAt.UTC(), changed, ch.Health}); err != nil {
					return err
				}
				continue
			}
			what := "first"
			if len(changed) > 0 {
				what = strings.Join(changed, ",")
			}
			inv.Out.Printf("%s  %s  %s", ch.Health.CheckedAt.UTC().Format(time.RFC3339), what, ch.Health.Summary())
		}
		return nil
	}
}

// serveMetrics serves a meter provider's metrics at http://addr/metrics
// through the OpenTelemetry SDK's Prometheus exporter, until stop.
func serveMetrics(inv *cli.Invocation, addr string) (*sdkmetric.MeterProvider, func(), error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, cli.Usagef("-metrics: %v", err)
	}
	reg := prometheus.NewRegistry()
	exp, err := otelprom.New(otelprom.WithRegisterer(reg))
	if err != nil {
		l.Close()
		return nil, nil, err
	}
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(exp))
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(l)
	inv.Err.Printf("Serving the job's metrics at http://%s/metrics.", l.Addr())
	return mp, func() {
		srv.Close()
		mp.Shutdown(context.Background())
	}, nil
}

func jobsHealth(fs *flag.FlagSet, cfg *cli.Config) cli.Run {
	cfg.Shared(fs, cli.UsesJob|cli.UsesJSON)
	th, checkThresholds := thresholdFlags(fs)
	timeout := fs.Duration("timeout", defaultHealthTimeout, "how long to wait for Graph at most (retries included); then UNKNOWN. "+
		"Keep it under the monitoring system's own check timeout (Nagios's service_check_timeout: 60s by default)")
	return func(ctx context.Context, inv *cli.Invocation) error {
		if err := checkThresholds(); err != nil {
			return err
		}
		if *timeout <= 0 {
			return cli.Usagef("-timeout must be positive")
		}
		unknown := func(err error) error {
			// No performance data: a "|" in the error (Graph's message)
			// must not start some.
			inv.Out.Printf("%s", printable.Reserve("UNKNOWN - "+err.Error(), "|"))
			return cli.Exit(nagiosUnknown, nil)
		}
		env, err := inv.Connect(nil)
		if err != nil {
			return unknown(err)
		}
		defer env.Close()
		inv.DemoNotice(env)
		hctx, cancel := context.WithTimeoutCause(ctx, *timeout, errHealthTimeout)
		defer cancel()
		h, err := env.Client.JobHealth(hctx, env.ServicePrincipalID, env.JobID, th)
		if err != nil {
			if ctx.Err() == nil && context.Cause(hctx) == errHealthTimeout {
				// The error says only that the request was cut short.
				err = fmt.Errorf("no answer from Graph within %s (-timeout)", *timeout)
			}
			return unknown(err)
		}
		if inv.Config.JSON {
			if err := inv.Out.JSON(h); err != nil {
				return unknown(err)
			}
		} else {
			inv.Out.Printf("%s", nagiosLine(h, th))
		}
		switch h.Level {
		case graphsync.HealthCritical:
			return cli.Exit(nagiosCritical, nil)
		case graphsync.HealthWarning:
			return cli.Exit(nagiosWarning, nil)
		}
		return cli.Exit(nagiosOK, nil)
	}
}

// maxNagiosLine bounds jobs health's line, newline aside: NRPE 2 carries
// 1 KB of a plugin's output, Nagios reads 4 KB (3.x) or 8 KB (4.x), and
// past what they read, the performance data at the end of the line is
// lost.
const maxNagiosLine = 1000

// nagiosLine is the health as a Nagios plugin's output: the status text,
// "|", the performance data, in at most maxNagiosLine bytes. The status
// text holds Graph's messages, of any length: it is cleaned with its own
// "|" escaped, or Nagios would end the text at the first one and read the
// rest, which Graph wrote, as performance data; and it is cut to leave
// the performance data room within the line (printable.ReserveCut).
func nagiosLine(h *graphsync.Health, th *graphsync.HealthThresholds) string {
	status := fmt.Sprintf("%s - job %s: %s", strings.ToUpper(h.Level.String()), h.JobID, strings.TrimPrefix(h.Summary(), h.Level.String()+": "))
	perf := " | " + perfData(h, th)
	return printable.ReserveCut(status, "|", maxNagiosLine-len(perf)) + perf
}

// perfData is Nagios's performance data: label=value[unit];warn;crit.
func perfData(h *graphsync.Health, th *graphsync.HealthThresholds) string {
	limit := func(n int64) string {
		if n < 0 {
			return ""
		}
		return fmt.Sprint(n)
	}
	age := "age=U"
	if !h.LastSuccess.IsZero() {
		age = fmt.Sprintf("age=%ds", int64(h.SinceLastSuccess.Seconds()))
	}
	return fmt.Sprintf("escrows=%d;%s;%s %s;%s;%s initial_cycle=%g", h.Escrows, limit(th.WarnEscrows), limit(th.CriticalEscrows),
		age, limit(int64(th.WarnAge.Seconds())), limit(int64(th.CriticalAge.Seconds())), h.InitialCycle.Fraction())
}
