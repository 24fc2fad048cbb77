package graphsync

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/graphsync/graphsync/internal/printable"
)

// instrumentationName names graphsync's tracer and meter.
const instrumentationName = "github.com/graphsync/graphsync"

// longLimiterWait is the limiter wait from which a wait is logged.
const longLimiterWait = time.Second

// observer logs and records telemetry for the request loop. A Client
// without Logger, TracerProvider and MeterProvider has none (nil), and the
// request loop then does no telemetry work at all.
type observer struct {
	logger *slog.Logger // nil: no logs
	tracer trace.Tracer // nil: no spans

	metrics     bool // the instruments below are set
	meter       metric.Meter
	requests    metric.Int64Counter
	throttled   metric.Int64Counter
	limiterWait metric.Float64Histogram

	// health holds the jobs' gauges, registered at the first health read
	// (health_metrics.go), so that a Client that reads none pays nothing.
	healthOnce sync.Once
	health     *jobGauges
}

func newObserver(o ClientOptions) (*observer, error) {
	if o.Logger == nil && o.TracerProvider == nil && o.MeterProvider == nil {
		return nil, nil
	}
	obs := &observer{logger: o.Logger}
	if o.TracerProvider != nil {
		obs.tracer = o.TracerProvider.Tracer(instrumentationName, trace.WithInstrumentationVersion(Version))
	}
	if o.MeterProvider != nil {
		m := o.MeterProvider.Meter(instrumentationName, metric.WithInstrumentationVersion(Version))
		obs.meter = m
		var err error
		if obs.requests, err = m.Int64Counter("graphsync.requests", metric.WithUnit("{request}"),
			metric.WithDescription("Requests sent to Graph, by operation and HTTP status (0: no answer).")); err != nil {
			return nil, err
		}
		if obs.throttled, err = m.Int64Counter("graphsync.throttled", metric.WithUnit("{response}"),
			metric.WithDescription("Answers 429 Too Many Requests, by operation.")); err != nil {
			return nil, err
		}
		if obs.limiterWait, err = m.Float64Histogram("graphsync.limiter.wait", metric.WithUnit("s"),
			metric.WithDescription("Time spent waiting for the rate limiter before a request.")); err != nil {
			return nil, err
		}
		obs.metrics = true
	}
	return obs, nil
}

// call observes one public call: one span however many attempts (and
// pages) it takes. All its methods are no-ops on a nil *call.
type call struct {
	obs    *observer
	op     string
	span   trace.Span // nil without a tracer
	opAttr attribute.KeyValue
	start  time.Time
	tries  int
	status int
	reqID  string
	waited time.Duration // in the limiter
}

// begin starts observing the call op. It returns ctx with the call's span,
// so that calls made under it (ProvisionMany's requests) are its children.
func (o *observer) begin(ctx context.Context, op string) (context.Context, *call) {
	if o == nil {
		return ctx, nil
	}
	c := &call{obs: o, op: op, opAttr: attribute.String("graphsync.operation", op), start: time.Now()}
	if o.tracer != nil {
		ctx, c.span = o.tracer.Start(ctx, "graphsync."+op, trace.WithSpanKind(trace.SpanKindClient),
			trace.WithAttributes(c.opAttr))
	}
	return ctx, c
}

// limiterWaited records a wait for the limiter before an attempt.
func (c *call) limiterWaited(ctx context.Context, d time.Duration) {
	if c == nil {
		return
	}
	c.waited += d
	if c.obs.metrics {
		c.obs.limiterWait.Record(ctx, d.Seconds(), metric.WithAttributes(c.opAttr))
	}
	if c.obs.logger != nil && d >= longLimiterWait {
		c.obs.logger.LogAttrs(ctx, slog.LevelInfo, "graphsync: waited for the rate limiter",
			slog.String("op", c.op), slog.Duration("waited", d))
	}
}

// attempt records one send: its status (0 when there was no answer) and
// the request-id Graph gave it.
func (c *call) attempt(ctx context.Context, method, path string, status int, reqID string, took time.Duration) {
	if c == nil {
		return
	}
	c.tries++
	c.status, c.reqID = status, reqID
	if c.obs.metrics {
		c.obs.requests.Add(ctx, 1, metric.WithAttributes(c.opAttr, attribute.Int("http.response.status_code", status)))
		if status == 429 {
			c.obs.throttled.Add(ctx, 1, metric.WithAttributes(c.opAttr))
		}
	}
	if c.obs.logger != nil && c.obs.logger.Enabled(ctx, slog.LevelDebug) {
		c.obs.logger.LogAttrs(ctx, slog.LevelDebug, "graphsync: request",
			slog.String("op", c.op), slog.String("method", method), slog.String("path", printable.Cut(path, maxPathLength)),
			slog.Int("status", status), slog.Duration("took", took), slog.String("request_id", printable.Cut(reqID, maxIDLength)))
	}
}

// retrying logs that the call will be sent again after delay.
func (c *call) retrying(ctx context.Context, e *ResponseError, attempt int, delay time.Duration) {
	if c == nil {
		return
	}
	if c.obs.logger != nil {
		c.obs.logger.LogAttrs(ctx, slog.LevelInfo, "graphsync: retrying",
			slog.String("op", c.op), slog.Int("status", e.StatusCode), slog.Int("attempt", attempt+1),
			slog.Duration("delay", delay), slog.String("request_id", printable.Cut(e.RequestID, maxIDLength)),
			slog.String("code", printable.Cut(e.Code, maxCodeLength)), slog.String("message", printable.Cut(e.Message, maxMessageLength)))
	}
}

// throttledBy logs a 429 and what it does to the limiter.
func (c *call) throttledBy(ctx context.Context, e *ResponseError, pausedUntil time.Time, honoured bool) {
	if c == nil || c.obs.logger == nil {
		return
	}
	attrs := []slog.Attr{slog.String("op", c.op), slog.Duration("retry_after", e.RetryAfter),
		slog.String("request_id", printable.Cut(e.RequestID, maxIDLength))}
	if !honoured {
		c.obs.logger.LogAttrs(ctx, slog.LevelWarn, "graphsync: throttled with a Retry-After too far away to honour; the call ends", attrs...)
		return
	}
	c.obs.logger.LogAttrs(ctx, slog.LevelWarn, "graphsync: throttled; pausing the rate limiter",
		append(attrs, slog.Time("until", pausedUntil))...)
}

// end finishes the call's span with its outcome.
func (c *call) end(err error) {
	if c == nil || c.span == nil {
		return
	}
	attrs := []attribute.KeyValue{
		attribute.Int("graphsync.attempts", c.tries),
		attribute.Float64("graphsync.limiter.wait", c.waited.Seconds()),
	}
	if c.status != 0 {
		attrs = append(attrs, attribute.Int("http.response.status_code", c.status))
	}
	if c.reqID != "" {
		attrs = append(attrs, attribute.String("graphsync.request_id", printable.Cut(c.reqID, maxIDLength)))
	}
	c.span.SetAttributes(attrs...)
	if err != nil {
		msg := err.Error()
		if _, ok := err.(*ResponseError); !ok {
			msg = printable.Cut(msg, MaxErrorLength)
		}
		c.span.SetStatus(codes.Error, msg)
	}
	c.span.End()
}
