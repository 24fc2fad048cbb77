package graphsync

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

// Cloud names a Microsoft Graph national cloud: its host, the token scope
// for it and what it does not offer. Use one of the Cloud… variables; a
// custom value is possible for clouds not listed.
type Cloud struct {
	// Name is for messages, e.g. "China".
	Name string
	// Host is the Graph host, e.g. "graph.microsoft.com".
	Host string
	// Scope is the token scope, e.g. "https://graph.microsoft.com/.default".
	Scope string
	// NoProvisionOnDemand is set where provisionOnDemand is not available.
	NoProvisionOnDemand bool
	// NoSecrets is set where saving synchronization secrets is not available.
	NoSecrets bool
}

// The national clouds of Microsoft Graph. Pair each with the azcore cloud
// configuration of the credential (azcore/cloud.AzureGovernment for both US
// Government clouds, cloud.AzureChina for China).
var (
	CloudGlobal  = Cloud{Name: "Global", Host: "graph.microsoft.com", Scope: "https://graph.microsoft.com/.default"}
	CloudUSGovL4 = Cloud{Name: "US Government L4", Host: "graph.microsoft.us", Scope: "https://graph.microsoft.us/.default"}
	CloudUSGovL5 = Cloud{Name: "US Government L5 (DoD)", Host: "dod-graph.microsoft.us", Scope: "https://dod-graph.microsoft.us/.default"}
	CloudChina   = Cloud{Name: "China (21Vianet)", Host: "microsoftgraph.chinacloudapi.cn", Scope: "https://microsoftgraph.chinacloudapi.cn/.default",
		NoProvisionOnDemand: true, NoSecrets: true}
)

// API versions.
const (
	APIVersionV1   = "v1.0"
	APIVersionBeta = "beta"
)

// Limiter paces requests. The Client calls Wait before every
// provisionOnDemand request (ClientOptions.Limiter) and every bulkUpload
// request (ClientOptions.BulkUploadLimiter), and PauseUntil on that
// limiter when Graph answers 429 with a Retry-After it honours (at most
// MaxRetryAfter away). *ratelimit.Limiter implements it; a limiter shared
// across processes can too.
//
// A Limiter that also has a Charge() method is charged once more for a
// request that was written out well after Wait let it start (a slow first
// connection), since the server counts the later moment.
type Limiter interface {
	// Wait blocks until the caller may start a request, or ctx ends (then
	// it returns ctx's error and the caller must not send).
	Wait(ctx context.Context) error
	// PauseUntil makes every current and future Wait block until t.
	PauseUntil(t time.Time)
}

// ClientOptions configures a Client. The zero value, and a nil
// *ClientOptions, mean: global cloud, v1.0, http.DefaultTransport's
// settings, the default retry policy, a limiter of 5 provisionOnDemand
// calls in any 10 seconds and another of 40 bulkUpload calls in any
// second.
type ClientOptions struct {
	// Cloud selects the Graph host and token scope. Zero means CloudGlobal.
	Cloud Cloud
	// BaseURL replaces the cloud's scheme and host, e.g. a graphtest or
	// httptest server's URL. Plain http is refused except for localhost,
	// 127.0.0.1 and [::1] (the hosts the token provider treats as local).
	// The token scope stays the cloud's.
	BaseURL string
	// APIVersion is "v1.0" (default) or "beta".
	APIVersion string
	// HTTPClient sends the requests. Its Transport is wrapped and its
	// redirect policy is tightened (see NewClient); the value passed is not
	// modified. Its Timeout, if set, bounds each attempt (sending it and
	// reading the whole answer); a retried call may take longer in all,
	// so bound whole calls with the context. Nil means a client with
	// Transport (below).
	HTTPClient *http.Client
	// Transport is the round tripper when HTTPClient is nil. Nil means a
	// clone of http.DefaultTransport.
	Transport http.RoundTripper
	// UserAgent is added before graphsync's own User-Agent token. Control
	// characters and invalid UTF-8 are refused by NewClient.
	UserAgent string
	// Retry sets how throttled and unavailable answers are retried; nil
	// means DefaultRetryPolicy.
	Retry *RetryPolicy
	// Limiter paces ProvisionOnDemand (and ProvisionMany, ProvisionEach).
	// Nil means a new ratelimit.New(5, 10*time.Second) for this Client.
	// Pass the same Limiter to several Clients to share one budget.
	Limiter Limiter
	// BulkUploadLimiter paces BulkUpload, apart from Limiter: the two
	// APIs have budgets of their own, and a 429 from one pauses only its
	// limiter. Nil means a new ratelimit.New(40, time.Second) for this
	// Client (Graph's documented 40 requests per second; see
	// BulkUploadLimit for a stricter figure Microsoft also publishes).
	// Pass the same Limiter to several Clients, or a limiter shared across
	// processes such as ratelimit/redis, to share one budget; do not pass
	// the Limiter used for provisionOnDemand.
	BulkUploadLimiter Limiter
	// DisableLimiter turns all pacing off: Limiter and BulkUploadLimiter
	// are then ignored, and no call waits. Graph will answer 429 when a
	// documented limit is exceeded (those answers are still retried as
	// RetryPolicy says).
	DisableLimiter bool
	// Logger receives what the Client does that a caller does not see:
	// retries (status, attempt, delay, Graph's request-id, error code and
	// message), 429 pauses with their Retry-After, limiter waits of a
	// second or more, and, at debug level, every request (method, path,
	// status, time taken). Tokens, secrets and bodies are never logged.
	// Nil means no logging (not slog's default logger).
	Logger *slog.Logger
	// TracerProvider, if set, gets one span per public call, however many
	// attempts or pages it takes, named "graphsync." and the call (e.g.
	// "graphsync.GetJob"), with the HTTP status, Graph's request-id, the
	// attempts and the limiter wait as attributes, and an error status on
	// failure. ProvisionMany's span is the parent of its requests' spans.
	// Nil means no tracing, at no cost.
	TracerProvider trace.TracerProvider
	// MeterProvider, if set, gets the metrics graphsync.requests (by
	// operation and status), graphsync.throttled (429s by operation) and
	// graphsync.limiter.wait (seconds, a histogram), and, once a job's
	// health is read (JobHealth, WaitForJob, WatchJob), gauges of each job
	// read: graphsync.job.state, .quarantined, .escrows,
	// .initial_cycle.progress, .last_success.age (seconds) and .health
	// (0 ok, 1 warning, 2 critical), with the attributes
	// graphsync.service_principal.id and graphsync.job.id (the IDs given
	// to the call). Nil means no metrics, at no cost.
	MeterProvider metric.MeterProvider
}

// baseURL checks the options that decide where requests go and returns
// the scheme and host of the Graph endpoint.
func (o *ClientOptions) baseURL() (*url.URL, error) {
	if o.Cloud == (Cloud{}) {
		o.Cloud = CloudGlobal
	}
	if o.Cloud.Host == "" || o.Cloud.Scope == "" {
		return nil, invalid("ClientOptions.Cloud", "needs Host and Scope")
	}
	if u, err := url.Parse("https://" + o.Cloud.Host); err != nil || u.Host != o.Cloud.Host || u.User != nil || u.Hostname() == "" {
		return nil, invalid("ClientOptions.Cloud.Host", fmt.Sprintf("%q is not a host name", o.Cloud.Host))
	}
	if !validHeaderText(o.Cloud.Scope) {
		return nil, invalid("ClientOptions.Cloud.Scope", "must be valid UTF-8 without control characters")
	}
	switch o.APIVersion {
	case "":
		o.APIVersion = APIVersionV1
	case APIVersionV1, APIVersionBeta:
	default:
		return nil, invalid("ClientOptions.APIVersion", fmt.Sprintf("%q is not %q or %q", o.APIVersion, APIVersionV1, APIVersionBeta))
	}
	if !validHeaderText(o.UserAgent) {
		return nil, invalid("ClientOptions.UserAgent", "must be valid UTF-8 without control characters or line breaks")
	}
	if o.BaseURL == "" {
		return &url.URL{Scheme: "https", Host: o.Cloud.Host}, nil
	}
	u, err := url.Parse(o.BaseURL)
	if err != nil {
		return nil, invalid("ClientOptions.BaseURL", err.Error())
	}
	if u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil || u.Opaque != "" {
		return nil, invalid("ClientOptions.BaseURL", "must be scheme://host[:port] only")
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, invalid("ClientOptions.BaseURL", "plain http is allowed only for localhost, 127.0.0.1 and [::1]")
		}
	default:
		return nil, invalid("ClientOptions.BaseURL", "scheme must be https (or http for loopback)")
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}

// validHeaderText reports whether s can go into a header value and a log
// line as it is: valid UTF-8 with no control characters and no line or
// paragraph separators.
func validHeaderText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsFunc(s, breaksLine)
}

// breaksLine reports whether r can break, hide or rewrite a line of text
// on a terminal or in a log: C0 and C1 controls (line feeds, escapes),
// Unicode line and paragraph separators, and format characters such as
// bidirectional overrides.
func breaksLine(r rune) bool {
	return unicode.IsControl(r) || unicode.In(r, unicode.Zl, unicode.Zp, unicode.Cf)
}
