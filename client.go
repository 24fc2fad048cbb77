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
	adapter    *kiotahttp.NetHttpRequestAdapter
	auth       *absauth.BaseBearerTokenAuthenticationProvider
	httpClient *http.Client // the adapter's, with the Kiota middleware pipeline
	cloud      Cloud
	scheme     string // "https", or "http" for a loopback BaseURL
	host       string // host[:port] the token may be sent to
	basePath   string // "/v1.0"
	userAgent  string
	retry      RetryPolicy
	limiter    Limiter // nil when disabled
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
		scheme:    base.Scheme,
		host:      base.Host,
		basePath:  "/" + o.APIVersion,
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
	c.auth = absauth.NewBaseBearerTokenAuthenticationProvider(tokens)
	c.httpClient = c.newHTTPClient(o)
	adapter, err := kiotahttp.NewNetHttpRequestAdapterWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(
		c.auth, nil, nil, c.httpClient)
	if err != nil {
		return nil, fmt.Errorf("graphsync: request adapter: %w", err)
	}
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
	hc.Transport = kiotahttp.NewCustomTransportWithParentTransport(parent, hostGuard{host: c.host, userAgent: c.userAgent})
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
// host whatever produced the URL (a nextLink, a redirect, a bug). It also
// sets the headers every request carries.
type hostGuard struct{ host, userAgent string }

func (g hostGuard) Intercept(p kiotahttp.Pipeline, i int, req *http.Request) (*http.Response, error) {
	if !strings.EqualFold(req.URL.Host, g.host) {
		return nil, fmt.Errorf("graphsync: refusing to send a request to host %q: only %q is allowed", req.URL.Host, g.host)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", g.userAgent)
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
	u, err := c.requestURL(r)
	if err != nil {
		return nil, fmt.Errorf("graphsync: unusable URL for %s: %w", r.method, err)
	}
	path := u.EscapedPath() // for messages: no host, no query
	var (
		waited time.Duration
		claims string // set once, after a CAE claims challenge
	)
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
		resp, err := c.send(sendCtx, r, u, clientRequestID, claims)
		if r.mayHaveActed != nil && (err != nil || resp.status != http.StatusTooManyRequests) {
			*r.mayHaveActed = true
		}
		if err != nil {
			if ctxErr := sendCtx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
				return nil, ctxErr
			}
			return nil, fmt.Errorf("graphsync: %s %s: %w", r.method, path, err)
		}
		if resp.status >= 200 && resp.status < 300 {
			return resp, nil
		}
		if resp.status == http.StatusUnauthorized && claims == "" {
			// Continuous access evaluation: the token was revoked or
			// needs more claims; get one with them and send once more.
			if claims = claimsChallenge(resp.header); claims != "" {
				attempt--
				continue
			}
		}
		now := time.Now()
		rerr := newResponseError(r.method.String(), path, resp.status, resp.header, resp.body, now)
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

// requestURL returns the URL of r: its nextLink, or its URL template
// expanded with expandTemplate. It is done once per call, not per attempt.
func (c *Client) requestURL(r *request) (*url.URL, error) {
	if r.rawURL != "" {
		return url.Parse(r.rawURL)
	}
	path := expandTemplate(r.template, r.params)
	return &url.URL{Scheme: c.scheme, Host: c.host, Path: c.basePath + mustUnescape(path), RawPath: c.basePath + path}, nil
}

// expandTemplate expands the {name} variables of a URL template as RFC 6570
// simple string expansion does (Kiota's std-uritemplate engine, to which a
// test compares it): every byte of the value outside ALPHA, DIGIT and
// "-._~" is percent-encoded, so a value can never add a path segment, a
// query or a fragment. It is an order of magnitude cheaper than the
// general engine, which was the costliest step of each request.
func expandTemplate(tmpl string, params map[string]string) string {
	var b strings.Builder
	b.Grow(len(tmpl) + 64)
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		b.WriteString(tmpl[:i])
		v := params[tmpl[i+1:i+j]]
		for k := 0; k < len(v); k++ {
			if ch := v[k]; isUnreserved(ch) {
				b.WriteByte(ch)
			} else {
				b.WriteByte('%')
				b.WriteByte(upperHex[ch>>4])
				b.WriteByte(upperHex[ch&15])
			}
		}
		tmpl = tmpl[i+j+1:]
	}
}

const upperHex = "0123456789ABCDEF"

func isUnreserved(ch byte) bool {
	return 'a' <= ch && ch <= 'z' || 'A' <= ch && ch <= 'Z' || '0' <= ch && ch <= '9' ||
		ch == '-' || ch == '.' || ch == '_' || ch == '~'
}

// mustUnescape decodes an expandTemplate result, which is always valid.
func mustUnescape(s string) string {
	u, err := url.PathUnescape(s)
	if err != nil {
		panic("graphsync: bad expansion " + s)
	}
	return u
}

// send makes one attempt. The Kiota request adapter authenticates the
// request and converts it to an *http.Request (ConvertToNativeRequest);
// the http.Client runs it through the Kiota middleware pipeline. This is
// the adapter's Send path minus its per-request tracing spans and context
// values, which cost more CPU than everything else in a call; claims
// challenges (CAE), which Send would answer, are answered in do. The body
// of any answer is read whole (up to 64 MiB) and the connection released.
func (c *Client) send(ctx context.Context, r *request, u *url.URL, clientRequestID, claims string) (*response, error) {
	ri := abs.NewRequestInformation()
	ri.Method = r.method
	ri.SetUri(*u)
	ri.Headers.Add("client-request-id", clientRequestID)
	if r.body != nil {
		ri.SetStreamContentAndContentType(r.body, "application/json")
		ri.Headers.Add("Content-Length", strconv.Itoa(len(r.body)))
	}
	if claims != "" {
		// Authenticate with the claims of a CAE challenge; the adapter
		// then keeps this Authorization header.
		if err := c.auth.AuthenticateRequest(ctx, ri, map[string]any{"claims": claims}); err != nil {
			return nil, err
		}
	}
	native, err := c.adapter.ConvertToNativeRequest(ctx, ri)
	if err != nil {
		return nil, err
	}
	req, ok := native.(*http.Request)
	if !ok {
		return nil, fmt.Errorf("request adapter returned %T, not *http.Request", native)
	}
	resp, err := c.httpClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody+1))
	if err != nil {
		return nil, fmt.Errorf("reading response body: %w", err)
	}
	if len(body) > maxResponseBody {
		return nil, fmt.Errorf("response body larger than %d bytes", maxResponseBody)
	}
	return &response{status: resp.StatusCode, header: resp.Header, body: body}, nil
}

// claimsChallenge returns the base64 claims of a CAE challenge
// (WWW-Authenticate: Bearer ..., claims="..."), or "".
func claimsChallenge(h http.Header) string {
	for _, v := range h.Values("WWW-Authenticate") {
		if len(v) < 7 || !strings.EqualFold(v[:7], "Bearer ") {
			continue
		}
		for _, p := range strings.Split(v[7:], ",") {
			k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "claims") {
				return strings.Trim(strings.TrimSpace(val), `"`)
			}
		}
	}
	return ""
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
