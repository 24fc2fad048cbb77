package graphsync

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	abs "github.com/microsoft/kiota-abstractions-go"
	absauth "github.com/microsoft/kiota-abstractions-go/authentication"
	kiotaazure "github.com/microsoft/kiota-authentication-azure-go"
	kiotahttp "github.com/microsoft/kiota-http-go"

	"github.com/graphsync/graphsync/ratelimit"
)

// Version is the library version sent in the User-Agent header.
const Version = "0.1.0"

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
// provisionOnDemand request and PauseUntil when Graph answers 429 with
// Retry-After. *ratelimit.Limiter implements it; a limiter shared across
// processes can too.
type Limiter interface {
	// Wait blocks until the caller may start a request, or ctx ends (then
	// it returns ctx's error and the caller must not send).
	Wait(ctx context.Context) error
	// PauseUntil makes every current and future Wait block until t.
	PauseUntil(t time.Time)
}

// ClientOptions configures a Client. The zero value, and a nil
// *ClientOptions, mean: global cloud, v1.0, http.DefaultTransport's
// settings, the default retry policy and a limiter of 5 provisionOnDemand
// calls in any 10 seconds.
type ClientOptions struct {
	// Cloud selects the Graph host and token scope. Zero means CloudGlobal.
	Cloud Cloud
	// BaseURL replaces the cloud's scheme and host, e.g. a graphtest or
	// httptest server's URL. Plain http is refused except for loopback
	// hosts. The token scope stays the cloud's.
	BaseURL string
	// APIVersion is "v1.0" (default) or "beta".
	APIVersion string
	// HTTPClient sends the requests. Its Transport is wrapped and its
	// redirect policy is tightened (see NewClient); the value passed is not
	// modified. Nil means a client with Transport (below).
	HTTPClient *http.Client
	// Transport is the round tripper when HTTPClient is nil. Nil means a
	// clone of http.DefaultTransport.
	Transport http.RoundTripper
	// UserAgent is added before graphsync's own User-Agent token.
	UserAgent string
	// Retry sets how throttled and unavailable answers are retried; nil
	// means DefaultRetryPolicy.
	Retry *RetryPolicy
	// Limiter paces ProvisionOnDemand. Nil means a new
	// ratelimit.New(5, 10*time.Second) for this Client. Pass the same
	// Limiter to several Clients to share one budget.
	Limiter Limiter
	// DisableLimiter turns pacing off (Limiter is then ignored). Graph
	// will answer 429 when the documented limit is exceeded.
	DisableLimiter bool
}

// RetryPolicy says which failed requests are sent again and for how long.
//
// GET, PUT, PATCH and DELETE are retried on 429, 503 and 504. POST is
// retried only on 429, which means the server did not act; a POST that got
// 503 or 504 may have been carried out, so it is retried only with
// RetryPOSTOnUnavailable. Transport errors are not retried.
type RetryPolicy struct {
	// MaxAttempts is the number of sends in all, first one included.
	// 1 disables retries; 0 means the default (4).
	MaxAttempts int
	// MaxWait caps the total time spent waiting between attempts; a
	// retry whose delay would pass it is not made and the last error is
	// returned. 0 means the default (2 minutes).
	MaxWait time.Duration
	// BaseDelay is the first wait when the server gives no Retry-After;
	// it doubles with each attempt, up to 30 s. 0 means 1 s.
	BaseDelay time.Duration
	// RetryPOSTOnUnavailable also retries POSTs on 503 and 504. Only set
	// it when sending the request twice is harmless.
	RetryPOSTOnUnavailable bool
}

// DefaultRetryPolicy is used when ClientOptions.Retry is nil.
var DefaultRetryPolicy = RetryPolicy{MaxAttempts: 4, MaxWait: 2 * time.Minute, BaseDelay: time.Second}

// Client calls the Graph synchronization API. Create it once with
// NewClient; it is immutable and safe for concurrent use.
type Client struct {
	adapter   *kiotahttp.NetHttpRequestAdapter
	cloud     Cloud
	baseURL   string // scheme://host[:port]/version, no trailing slash
	host      string // host[:port] the token may be sent to
	basePath  string // "/v1.0"
	userAgent string
	retry     RetryPolicy
	limiter   Limiter // nil when disabled
}

// NewClient returns a Client that authenticates with cred, which may be any
// azcore.TokenCredential (an azidentity credential, or a fake in tests).
// opts may be nil.
//
// Tokens are requested for the cloud's scope and sent only to the
// configured host: a request to any other host, including a redirect, is
// refused before it leaves the process.
func NewClient(cred azcore.TokenCredential, opts *ClientOptions) (*Client, error) {
	if cred == nil {
		return nil, invalid("cred", "must not be nil")
	}
	var o ClientOptions
	if opts != nil {
		o = *opts
	}
	if o.Cloud == (Cloud{}) {
		o.Cloud = CloudGlobal
	}
	if o.Cloud.Host == "" || o.Cloud.Scope == "" {
		return nil, invalid("ClientOptions.Cloud", "needs Host and Scope")
	}
	switch o.APIVersion {
	case "":
		o.APIVersion = APIVersionV1
	case APIVersionV1, APIVersionBeta:
	default:
		return nil, invalid("ClientOptions.APIVersion", fmt.Sprintf("%q is not %q or %q", o.APIVersion, APIVersionV1, APIVersionBeta))
	}
	base := &url.URL{Scheme: "https", Host: o.Cloud.Host}
	if o.BaseURL != "" {
		u, err := url.Parse(o.BaseURL)
		if err != nil {
			return nil, invalid("ClientOptions.BaseURL", err.Error())
		}
		if u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return nil, invalid("ClientOptions.BaseURL", "must be scheme://host[:port] only")
		}
		switch u.Scheme {
		case "https":
		case "http":
			if !isLoopback(u.Hostname()) {
				return nil, invalid("ClientOptions.BaseURL", "plain http is allowed only for loopback hosts")
			}
		default:
			return nil, invalid("ClientOptions.BaseURL", "scheme must be https (or http for loopback)")
		}
		base = &url.URL{Scheme: u.Scheme, Host: u.Host}
	}
	retry := DefaultRetryPolicy
	if o.Retry != nil {
		retry = *o.Retry
		if retry.MaxAttempts <= 0 {
			retry.MaxAttempts = DefaultRetryPolicy.MaxAttempts
		}
		if retry.MaxWait <= 0 {
			retry.MaxWait = DefaultRetryPolicy.MaxWait
		}
		if retry.BaseDelay <= 0 {
			retry.BaseDelay = DefaultRetryPolicy.BaseDelay
		}
	}

	c := &Client{
		cloud:     o.Cloud,
		host:      base.Host,
		basePath:  "/" + o.APIVersion,
		baseURL:   base.String() + "/" + o.APIVersion,
		userAgent: strings.TrimSpace(o.UserAgent + " graphsync-go/" + Version),
		retry:     retry,
	}
	if !o.DisableLimiter {
		c.limiter = o.Limiter
		if c.limiter == nil {
			c.limiter = ratelimit.New(ProvisionOnDemandLimit, ProvisionOnDemandWindow)
		}
	}

	tokens, err := kiotaazure.NewAzureIdentityAccessTokenProviderWithScopesAndValidHosts(cred, []string{o.Cloud.Scope}, []string{base.Hostname()})
	if err != nil {
		return nil, fmt.Errorf("graphsync: token provider: %w", err)
	}
	auth := absauth.NewBaseBearerTokenAuthenticationProvider(tokens)
	adapter, err := kiotahttp.NewNetHttpRequestAdapterWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(
		auth, nil, nil, c.newHTTPClient(o))
	if err != nil {
		return nil, fmt.Errorf("graphsync: request adapter: %w", err)
	}
	adapter.SetBaseUrl(c.baseURL)
	c.adapter = adapter
	return c, nil
}

// ProvisionOnDemandLimit and ProvisionOnDemandWindow are Graph's documented
// limit for provisionOnDemand: 5 requests per 10 seconds.
const (
	ProvisionOnDemandLimit  = 5
	ProvisionOnDemandWindow = 10 * time.Second
)

// newHTTPClient builds the http.Client behind the Kiota adapter: the
// caller's transport behind an explicit Kiota middleware list that holds
// only the host guard. Kiota's defaults are left out on purpose: their
// CompressionHandler gzips every request body (costly, and Graph does not
// need it), retries and redirects are handled here with Graph's rules.
func (c *Client) newHTTPClient(o ClientOptions) *http.Client {
	var hc http.Client
	parent := o.Transport
	if o.HTTPClient != nil {
		hc = *o.HTTPClient
		parent = o.HTTPClient.Transport
	}
	if parent == nil {
		parent = http.DefaultTransport.(*http.Transport).Clone()
	}
	hc.Transport = kiotahttp.NewCustomTransportWithParentTransport(parent, hostGuard{host: c.host})
	userCheck := hc.CheckRedirect
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if !strings.EqualFold(req.URL.Host, c.host) {
			return fmt.Errorf("graphsync: refusing redirect to host %q: tokens are only sent to %q", req.URL.Host, c.host)
		}
		if userCheck != nil {
			return userCheck(req, via)
		}
		if len(via) >= 5 {
			return errors.New("graphsync: stopped after 5 redirects")
		}
		return nil
	}
	// The adapter derives a context deadline from Timeout and never
	// cancels it; callers bound requests with their ctx instead.
	hc.Timeout = 0
	return &hc
}

// hostGuard is a Kiota middleware that refuses any request whose host is
// not the configured Graph host, so no bearer token can leave for another
// host whatever produced the URL (a nextLink, a redirect, a bug).
type hostGuard struct{ host string }

func (g hostGuard) Intercept(p kiotahttp.Pipeline, i int, req *http.Request) (*http.Response, error) {
	if !strings.EqualFold(req.URL.Host, g.host) {
		return nil, fmt.Errorf("graphsync: refusing to send a request to host %q: only %q is allowed", req.URL.Host, g.host)
	}
	return p.Next(req, i)
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// request is one logical call; it may be sent more than once.
type request struct {
	method   abs.HttpMethod
	template string            // URL template after the version, e.g. "/servicePrincipals/{sp}/synchronization/jobs"
	params   map[string]string // template variables; percent-encoded on expansion
	rawURL   string            // absolute URL (a nextLink), used instead of template
	body     []byte
	limited  bool // pace with the Client's limiter (provisionOnDemand)

	// sendCtx, if set, bounds the sends instead of the caller's ctx, which
	// then bounds only the waits (limiter, Retry-After): a bulk run that
	// is cancelled lets requests already sent finish.
	sendCtx context.Context
	// mayHaveActed, if set, is set to true once a send may have reached
	// the server without being refused with 429.
	mayHaveActed *bool
}

// response is a 2xx answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

const maxResponseBody = 64 << 20

// do sends r, retrying as the policy allows, and returns the 2xx answer or
// an error: *ValidationError, *ResponseError, the context's error, or a
// transport error.
func (c *Client) do(ctx context.Context, r *request) (*response, error) {
	clientRequestID := newRequestID()
	var waited time.Duration
	for attempt := 1; ; attempt++ {
		if r.limited && c.limiter != nil {
			if err := c.limiter.Wait(ctx); err != nil {
				return nil, err
			}
		}
		sendCtx := ctx
		if r.sendCtx != nil {
			sendCtx = r.sendCtx
		}
		resp, err := c.send(sendCtx, r, clientRequestID)
		if r.mayHaveActed != nil && (err != nil || resp.status != http.StatusTooManyRequests) {
			*r.mayHaveActed = true
		}
		if err != nil {
			ctx := sendCtx
			if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
				return nil, ctxErr
			}
			return nil, fmt.Errorf("graphsync: %s %s: %w", r.method, c.describe(r), err)
		}
		if resp.status >= 200 && resp.status < 300 {
			return resp, nil
		}
		now := time.Now()
		rerr := newResponseError(r.method.String(), c.describe(r), resp.status, resp.header, resp.body, now)
		if attempt >= c.retry.MaxAttempts || !c.retryable(r.method, resp.status) {
			return nil, rerr
		}
		delay := rerr.RetryAfter
		if delay <= 0 {
			delay = c.backoff(attempt)
		}
		if waited+delay > c.retry.MaxWait {
			return nil, rerr
		}
		waited += delay
		if r.limited && c.limiter != nil && resp.status == http.StatusTooManyRequests {
			// Everyone sharing the limiter waits; our own Wait above
			// does the waiting for this call.
			c.limiter.PauseUntil(now.Add(delay))
			continue
		}
		if err := sleep(ctx, delay); err != nil {
			return nil, err
		}
	}
}

func (c *Client) retryable(m abs.HttpMethod, status int) bool {
	switch status {
	case http.StatusTooManyRequests:
		return true
	case http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return m != abs.POST || c.retry.RetryPOSTOnUnavailable
	}
	return false
}

func (c *Client) backoff(attempt int) time.Duration {
	d := c.retry.BaseDelay << (attempt - 1)
	if d <= 0 || d > 30*time.Second {
		d = 30 * time.Second
	}
	return d
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// describe returns the request's path for messages: no host, no query.
func (c *Client) describe(r *request) string {
	if r.rawURL != "" {
		if u, err := url.Parse(r.rawURL); err == nil {
			return u.EscapedPath()
		}
		return "(nextLink)"
	}
	var b strings.Builder
	b.WriteString(c.basePath)
	t := r.template
	for {
		i := strings.IndexByte(t, '{')
		if i < 0 {
			b.WriteString(t)
			break
		}
		j := strings.IndexByte(t[i:], '}')
		if j < 0 {
			b.WriteString(t)
			break
		}
		b.WriteString(t[:i])
		b.WriteString(url.PathEscape(r.params[t[i+1:i+j]]))
		t = t[i+j+1:]
	}
	return b.String()
}

// send makes one attempt through the Kiota adapter, which authenticates
// the request and runs it through the middleware pipeline. The body of
// any answer is read whole (up to 64 MiB) and the connection released.
func (c *Client) send(ctx context.Context, r *request, clientRequestID string) (*response, error) {
	var ri *abs.RequestInformation
	if r.rawURL != "" {
		u, err := url.Parse(r.rawURL)
		if err != nil {
			return nil, err
		}
		ri = abs.NewRequestInformation()
		ri.Method = r.method
		ri.SetUri(*u)
	} else {
		params := make(map[string]string, len(r.params)+1)
		for k, v := range r.params {
			params[k] = v
		}
		ri = abs.NewRequestInformationWithMethodAndUrlTemplateAndPathParameters(r.method, "{+baseurl}"+r.template, params)
	}
	ri.Headers.Add("Accept", "application/json")
	ri.Headers.Add("User-Agent", c.userAgent)
	ri.Headers.Add("client-request-id", clientRequestID)
	if r.body != nil {
		ri.SetStreamContentAndContentType(r.body, "application/json")
		ri.Headers.Add("Content-Length", strconv.Itoa(len(r.body)))
	}
	var out response
	handler := abs.NewRequestHandlerOption()
	handler.SetResponseHandler(func(native any, _ abs.ErrorMappings) (any, error) {
		resp, ok := native.(*http.Response)
		if !ok || resp == nil {
			return nil, errors.New("no response")
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody+1))
		if err != nil {
			return nil, fmt.Errorf("reading response body: %w", err)
		}
		if len(body) > maxResponseBody {
			return nil, fmt.Errorf("response body larger than %d bytes", maxResponseBody)
		}
		out = response{status: resp.StatusCode, header: resp.Header, body: body}
		return nil, nil
	})
	ri.AddRequestOptions([]abs.RequestOption{handler})
	if err := c.adapter.SendNoContent(ctx, ri, nil); err != nil {
		return nil, err
	}
	if out.status == 0 {
		return nil, errors.New("no response")
	}
	return &out, nil
}

// newRequestID returns a random UUID (version 4) for client-request-id.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

// checkContext refuses a nil context before anything is sent.
func checkContext(ctx context.Context) error {
	if ctx == nil {
		return invalid("ctx", "must not be nil")
	}
	return nil
}
