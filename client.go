package graphsync

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	abs "github.com/microsoft/kiota-abstractions-go"
	absauth "github.com/microsoft/kiota-abstractions-go/authentication"
	kiotaazure "github.com/microsoft/kiota-authentication-azure-go"
	kiotahttp "github.com/microsoft/kiota-http-go"

	"github.com/graphsync/graphsync/ratelimit"

	"github.com/graphsync/graphsync/internal/printable"
)

// Version is the library version sent in the User-Agent header.
const Version = "0.1.0"

// Client calls the Graph synchronization API. Create it once with
// NewClient; it is immutable and safe for concurrent use.
type Client struct {
	adapter     *kiotahttp.NetHttpRequestAdapter
	auth        *absauth.BaseBearerTokenAuthenticationProvider
	httpClient  *http.Client // the adapter's, with the Kiota middleware pipeline
	cloud       Cloud
	origin      origin // where requests and tokens may go
	scheme      string // "https", or "http" for a loopback BaseURL
	host        string // host[:port] of the origin, as configured
	basePath    string // "/v1.0"
	userAgent   string
	retry       RetryPolicy
	limiter     Limiter // provisionOnDemand's; nil when disabled
	bulkLimiter Limiter // bulkUpload's; nil when disabled
	// attemptTimeout bounds each send (ClientOptions.HTTPClient.Timeout).
	attemptTimeout time.Duration
	// tracedTransport is set when the transport is an *http.Transport,
	// which reports through httptrace whether a request was written.
	tracedTransport bool
	obs             *observer // nil without Logger, TracerProvider and MeterProvider
}

// NewClient returns a Client that authenticates with cred, which may be any
// azcore.TokenCredential (an azidentity credential, or a fake in tests).
// opts may be nil.
//
// Tokens are requested for the cloud's scope and sent only to the
// configured scheme, host and port: a request anywhere else, including a
// redirect from https to http on the same host, is refused before it
// leaves the process.
func NewClient(cred azcore.TokenCredential, opts *ClientOptions) (*Client, error) {
	if cred == nil {
		return nil, invalid("cred", "must not be nil")
	}
	var o ClientOptions
	if opts != nil {
		o = *opts
	}
	base, err := o.baseURL()
	if err != nil {
		return nil, err
	}
	retry := DefaultRetryPolicy
	if o.Retry != nil {
		retry = o.Retry.withDefaults()
	}

	c := &Client{
		cloud:     o.Cloud,
		origin:    newOrigin(base),
		scheme:    base.Scheme,
		host:      base.Host,
		basePath:  "/" + o.APIVersion,
		userAgent: strings.TrimSpace(o.UserAgent + " graphsync-go/" + Version),
		retry:     retry,
	}
	if c.obs, err = newObserver(o); err != nil {
		return nil, fmt.Errorf("graphsync: telemetry: %w", err)
	}
	if !o.DisableLimiter {
		c.limiter = o.Limiter
		if c.limiter == nil {
			c.limiter = ratelimit.New(ProvisionOnDemandLimit, ProvisionOnDemandWindow)
		}
		c.bulkLimiter = o.BulkUploadLimiter
		if c.bulkLimiter == nil {
			c.bulkLimiter = ratelimit.New(BulkUploadLimit, BulkUploadWindow)
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

// BulkUploadLimit and BulkUploadWindow are the bulkUpload limit the Graph
// API reference documents: 40 requests per second (each of at most 50
// operations). Entra's troubleshooting guide for API-driven provisioning
// states a stricter one: 40 calls per 5 seconds and 6,000 calls per 24
// hours. A tenant that meets 429s at the default pace can set
// ClientOptions.BulkUploadLimiter to ratelimit.New(40, 5*time.Second).
const (
	BulkUploadLimit  = 40
	BulkUploadWindow = time.Second
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
	if _, c.tracedTransport = parent.(*http.Transport); !c.tracedTransport {
		parent = startSignal{parent}
	}
	hc.Transport = kiotahttp.NewCustomTransportWithParentTransport(parent, hostGuard{origin: c.origin, userAgent: c.userAgent})
	hc.CheckRedirect = c.origin.checkRedirect(hc.CheckRedirect)
	// http.Client.Timeout becomes a per-attempt deadline on the request's
	// context (see send): the adapter would otherwise derive a context
	// deadline from it that it never cancels.
	c.attemptTimeout = hc.Timeout
	hc.Timeout = 0
	return &hc
}

// request is one logical call; it may be sent more than once.
type request struct {
	op       string // the public call, e.g. "GetJob", for telemetry
	method   abs.HttpMethod
	template string            // URL template after the version, e.g. "/servicePrincipals/{sp}/synchronization/jobs"
	params   map[string]string // template variables; percent-encoded on expansion
	query    string            // raw query after the template, already encoded, e.g. "$filter=jobId%20eq%20%27x%27"
	rawURL   string            // absolute URL (a nextLink), used instead of template and query
	body     []byte
	// contentType of body; "" means application/json.
	contentType string
	// limiter, if set, paces the request: it is waited for before each
	// send and paused by a 429 (the Client's provisionOnDemand or
	// bulkUpload limiter). Nil means unpaced.
	limiter Limiter

	// admit, if set, replaces the limiter's Wait for the first send: the
	// caller admits the request itself (ProvisionMany, which admits
	// requests in input order). Later sends wait for the limiter as usual.
	admit func(ctx context.Context) error
	// sendCtx, if set, bounds the sends instead of the caller's ctx, which
	// then bounds only the waits (limiter, Retry-After): a run of ProvisionMany that
	// is cancelled lets requests already sent finish.
	sendCtx context.Context
	// track, if set, learns whether a send may have reached the server
	// and when the first one was written.
	track *sendTrack
	// call, if set, is the telemetry of a call made of several requests
	// (the pages of a list); otherwise do observes r as a call of its own.
	call *call
	// secrets are values the request carries that must not come back in
	// an error, a log or a span, should the server echo them.
	secrets []string
	// pageSize, for a collection, is the most items a page may hold: the
	// $top the call asked for; 0 means maxPageItems.
	pageSize int
	// once, if set, sends the request once, whatever the retry policy: a
	// caller that paces its own reads (jobPoller) decides itself when to
	// read again, and retries inside a read would read faster than its
	// pace. (A CAE claims challenge is still answered: it is no retry.)
	once bool
}

// sendTrack is what ProvisionMany learns about one request's sends, and
// how it admits the request.
type sendTrack struct {
	// mayHaveActed is set once a send may have reached the server and
	// was not refused (401 or 429).
	mayHaveActed bool
	// ready is closed when the first send is ready to go (its token is
	// fetched); the dispatcher then admits it through decision.
	ready    chan struct{}
	decision chan error
	// started is closed when the first send has been written out (by
	// the httptrace hook, or by startSignal), or by ProvisionMany when
	// the request ended without that.
	started   chan struct{}
	startOnce sync.Once
}

func newSendTrack() *sendTrack {
	return &sendTrack{ready: make(chan struct{}), decision: make(chan error, 1), started: make(chan struct{})}
}

func (t *sendTrack) start() { t.startOnce.Do(func() { close(t.started) }) }

// awaitAdmission tells the dispatcher the request is ready and waits for
// its decision: nil to send, or why not.
func (t *sendTrack) awaitAdmission(context.Context) error {
	close(t.ready)
	return <-t.decision
}

// trackKey carries a request's sendTrack in its context, for the
// transport wrapper of transports that do not report writes.
type trackKey struct{}

// startSignal wraps a transport that may not report through httptrace
// when it writes (a test double, an in-process handler, an HTTP/3
// client): a request handed to it counts as started when a hook says so,
// or untracedStartDelay after it was handed over, whichever is first, so
// that ProvisionMany keeps its concurrency and, in practice, its order.
// (The end of the round trip is not a start: ProvisionMany sees the
// outcome first.)
type startSignal struct{ next http.RoundTripper }

const untracedStartDelay = 10 * time.Millisecond

func (s startSignal) RoundTrip(req *http.Request) (*http.Response, error) {
	t, ok := req.Context().Value(trackKey{}).(*sendTrack)
	if !ok {
		return s.next.RoundTrip(req)
	}
	timer := time.AfterFunc(untracedStartDelay, t.start)
	defer timer.Stop()
	return s.next.RoundTrip(req)
}

// response is a 2xx answer.
type response struct {
	status int
	header http.Header
	body   []byte
	// clientRequestID is the client-request-id the request was sent with.
	clientRequestID string
	// token and secrets are what the request carried, to be taken out of
	// anything built from the answer (headerValue, fail).
	token   string
	secrets []string
}

// headerValue returns the answer's header name with the request's
// secrets and token taken out (a server may echo them anywhere). The
// common case, a header that holds neither and no escape, costs no
// allocation.
func (r *response) headerValue(name string) string {
	v := r.header.Get(name)
	if len(r.secrets) == 0 && !strings.ContainsAny(v, `\%&+`) && (len(r.token) < minSecret || !strings.Contains(v, r.token)) {
		return v
	}
	return r.redactor().text(v)
}

func (r *response) redactor() redactor {
	return newRedactor(append(r.secrets[:len(r.secrets):len(r.secrets)], r.token)...)
}

// fail returns an error about this 2xx answer (one that does not decode,
// say) saying msg, with the request's secrets and token taken out and
// cleaned as everything graphsync prints is (internal/printable): a
// decoding error quotes the server's text. It matches what cause matches
// with errors.Is.
func (r *response) fail(msg string, cause error) error {
	return redactedError{msg: printable.Cut(r.redactor().text(msg), MaxErrorLength), err: cause}
}

// maxResponseBody bounds an answer's body; a variable only so that a test
// can lower it (export_test.go).
var maxResponseBody = 64 << 20

// do sends r, retrying as the policy allows, and returns the 2xx answer or
// an error: *ValidationError, *ResponseError, an error matching
// ErrCredential, the context's error, or a transport error.
func (c *Client) do(ctx context.Context, r *request) (resp *response, err error) {
	obs := r.call
	if obs == nil && c.obs != nil {
		ctx, obs = c.obs.begin(ctx, r.op)
		defer func() { obs.end(err) }()
	}
	clientRequestID := newRequestID()
	u, err := c.requestURL(r)
	if err != nil {
		return nil, fmt.Errorf("graphsync: unusable URL for %s: %w", r.method, err)
	}
	path := u.EscapedPath() // for messages: no host, no query
	sendCtx := ctx
	if r.sendCtx != nil {
		sendCtx = r.sendCtx
	}
	var (
		waited time.Duration
		claims string         // set once, after a CAE claims challenge
		last   *ResponseError // the answer that asked for a retry
		admit  = r.admit
	)
	for attempt := 1; ; attempt++ {
		// The token comes first, under ctx: a slow token fetch must
		// neither delay a start the limiter has counted nor outlive a
		// cancelled ProvisionMany.
		req, err := c.prepare(ctx, r, u, clientRequestID, claims)
		if err != nil {
			return nil, c.sendError(ctx, r, path, err, nil)
		}
		var granted time.Time
		if r.limiter != nil {
			t0 := time.Now()
			if admit != nil {
				err = admit(ctx)
			} else {
				err = r.limiter.Wait(ctx)
			}
			if err != nil {
				if last != nil && ctx.Err() == nil {
					return nil, last // a retry the limiter cannot fit in: the answer that asked for it
				}
				return nil, err
			}
			granted = time.Now()
			d := granted.Sub(t0)
			obs.limiterWaited(ctx, d)
			if d > tokenRefreshAfter {
				// A token fetched before a long wait may be stale.
				if req, err = c.prepare(ctx, r, u, clientRequestID, claims); err != nil {
					return nil, c.sendError(ctx, r, path, err, nil)
				}
			}
		}
		admit = nil
		var sent time.Time
		if obs != nil {
			sent = time.Now()
		}
		resp, reached, err := c.transmit(sendCtx, r, req, granted)
		if obs != nil {
			status, reqID := 0, ""
			if resp != nil {
				status, reqID = resp.status, redactorFor(r, req).text(resp.header.Get("request-id"))
			}
			obs.attempt(ctx, r.method.String(), redactorFor(r, req).text(path), status, reqID, time.Since(sent))
		}
		if r.track != nil && reached && (err != nil || (resp.status != http.StatusTooManyRequests && resp.status != http.StatusUnauthorized)) {
			// Graph does not act on a request it answers 401 or 429.
			r.track.mayHaveActed = true
		}
		if err != nil {
			return nil, c.sendError(sendCtx, r, path, err, redactorFor(r, req))
		}
		if resp.status >= 200 && resp.status < 300 {
			resp.clientRequestID = clientRequestID
			resp.token, _ = strings.CutPrefix(req.Header.Get("Authorization"), "Bearer ")
			resp.secrets = r.secrets
			return resp, nil
		}
		if resp.status == http.StatusUnauthorized && claims == "" {
			// Continuous access evaluation: the token was revoked or
			// needs more claims; get one with them and send once more.
			// This resend does not count as an attempt.
			if claims = claimsChallenge(resp.header); claims != "" {
				attempt--
				continue
			}
		}
		now := time.Now()
		rerr := newResponseError(r.method.String(), path, resp.status, resp.header, resp.body, now, redactorFor(r, req))
		delay, honoured := c.retry.delay(rerr, attempt)
		throttled := resp.status == http.StatusTooManyRequests && r.limiter != nil
		if throttled && honoured {
			// Everyone sharing the limiter waits, whether or not this
			// call is retried: Graph asked every caller to stop.
			r.limiter.PauseUntil(now.Add(delay))
		}
		if resp.status == http.StatusTooManyRequests {
			obs.throttledBy(ctx, rerr, now.Add(delay), honoured)
		}
		if !honoured || r.once || attempt >= c.retry.MaxAttempts || !c.retry.retryable(r.method, resp.status) ||
			delay > c.retry.MaxWait-waited || !fitsDeadline(ctx, now, delay) {
			return nil, rerr
		}
		waited += delay
		last = rerr
		obs.retrying(ctx, rerr, attempt, delay)
		if throttled {
			continue // the limiter's Wait does the waiting for this call
		}
		if err := sleep(ctx, delay); err != nil {
			return nil, err
		}
	}
}

// tokenRefreshAfter is the limiter wait after which a request's token is
// fetched again (from the credential's cache, as a rule) before sending.
const tokenRefreshAfter = time.Minute

// redactorFor returns the redactor of what req carries: r's secrets and
// the bearer token the authentication provider put in req.
func redactorFor(r *request, req *http.Request) redactor {
	token, _ := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer ")
	return newRedactor(append(r.secrets[:len(r.secrets):len(r.secrets)], token)...)
}

// sendError says what went wrong with an attempt that got no answer: the
// context's error if it ended, an ErrCredential error as it is, else the
// transport's error (without Go's *url.Error, which repeats the whole URL)
// behind the method and path, with red's secrets taken out of its text
// (a malformed answer is quoted in it).
func (c *Client) sendError(ctx context.Context, r *request, path string, err error, red redactor) error {
	if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
		return ctxErr
	}
	if errors.Is(err, ErrCredential) {
		return err
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if text := err.Error(); red.text(text) != text {
		err = redactedError{msg: red.text(text), err: err}
	}
	return fmt.Errorf("graphsync: %s %s: %w", r.method, printable.Cut(red.text(path), maxPathLength), err)
}

// redactedError is an error whose text held a secret: it says the text
// without it, and still matches what the original matched with errors.Is
// (it does not unwrap to it, whose text still holds the secret).
type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }

func (e redactedError) Is(target error) bool { return errors.Is(e.err, target) }

// requestURL returns the URL of r: its nextLink, or its URL template
// expanded with expandTemplate followed by its query. It is done once per
// call, not per attempt.
func (c *Client) requestURL(r *request) (*url.URL, error) {
	if r.rawURL != "" {
		u, err := url.Parse(r.rawURL)
		if err != nil {
			return nil, err
		}
		return u, c.origin.check(u)
	}
	path := expandTemplate(r.template, r.params)
	return &url.URL{Scheme: c.scheme, Host: c.host, Path: c.basePath + mustUnescape(path), RawPath: c.basePath + path, RawQuery: r.query}, nil
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
		writeEscaped(&b, params[tmpl[i+1:i+j]])
		tmpl = tmpl[i+j+1:]
	}
}

// writeEscaped writes v percent-encoding every byte outside ALPHA, DIGIT
// and "-._~": the encoding of URL template variables, and of query
// values, where it leaves no "&", "=", "+", "#" or "%" that could end or
// change the value.
func writeEscaped(b *strings.Builder, v string) {
	for k := 0; k < len(v); k++ {
		if ch := v[k]; isUnreserved(ch) {
			b.WriteByte(ch)
		} else {
			b.WriteByte('%')
			b.WriteByte(upperHex[ch>>4])
			b.WriteByte(upperHex[ch&15])
		}
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

// prepare builds one attempt: the Kiota authentication provider adds the
// token (a failure there matches ErrCredential, and nothing was sent) and
// the request adapter converts the request to an *http.Request
// (ConvertToNativeRequest). transmit then runs it through the http.Client
// and its Kiota middleware pipeline. This is the adapter's Send path minus
// its per-request tracing spans and context values, which cost more CPU
// than everything else in a call; claims challenges (CAE), which Send
// would answer, are answered in do.
func (c *Client) prepare(ctx context.Context, r *request, u *url.URL, clientRequestID, claims string) (*http.Request, error) {
	ri := abs.NewRequestInformation()
	ri.Method = r.method
	ri.SetUri(*u)
	ri.Headers.Add("client-request-id", clientRequestID)
	if r.body != nil {
		contentType := r.contentType
		if contentType == "" {
			contentType = "application/json"
		}
		ri.SetStreamContentAndContentType(r.body, contentType)
		ri.Headers.Add("Content-Length", strconv.Itoa(len(r.body)))
	}
	var authCtx map[string]any
	if claims != "" {
		// Authenticate with the claims of a CAE challenge.
		authCtx = map[string]any{"claims": claims}
	}
	if err := c.auth.AuthenticateRequest(ctx, ri, authCtx); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%w: %w", ErrCredential, err)
	}
	native, err := c.adapter.ConvertToNativeRequest(ctx, ri)
	if err != nil {
		return nil, err
	}
	req, ok := native.(*http.Request)
	if !ok {
		return nil, fmt.Errorf("request adapter returned %T, not *http.Request", native)
	}
	return req, nil
}

// transmit sends a prepared attempt under ctx. The body of any answer is
// read whole (up to 64 MiB) and the connection released.
//
// reached reports whether the request may have reached the server: false
// only when it certainly did not (no connection, refused before it was
// written).
//
// A paced request (granted is when the limiter let it start) is traced,
// and if it was written more than lateStart after its grant (a slow
// first connection), the limiter is charged once more, if it can be
// (ratelimit.Limiter can): the start the server sees is later than the
// one the limiter counted.
func (c *Client) transmit(ctx context.Context, r *request, req *http.Request, granted time.Time) (resp *response, reached bool, err error) {
	if c.attemptTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, c.attemptTimeout, errAttemptTimeout)
		defer cancel()
	}
	var tr *tracer
	charger, _ := r.limiter.(interface{ Charge() })
	if !c.tracedTransport || charger == nil {
		granted = time.Time{} // a late write could not be seen or not be charged
	}
	if r.track != nil || !granted.IsZero() {
		tr = &tracer{track: r.track}
		ctx = httptrace.WithClientTrace(ctx, tr.clientTrace())
		if r.track != nil && !c.tracedTransport {
			ctx = context.WithValue(ctx, trackKey{}, r.track)
		}
		if !granted.IsZero() {
			defer func() {
				if tr.lateBy(granted) > lateStart {
					charger.Charge()
				}
			}()
		}
	}
	if ctx != req.Context() {
		req = req.WithContext(ctx)
	}
	hresp, err := c.httpClient.Do(req)
	if err != nil {
		return nil, tr.reached(c.tracedTransport), c.timeoutError(ctx, err)
	}
	defer hresp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(hresp.Body, int64(maxResponseBody)+1))
	if err != nil {
		return nil, true, fmt.Errorf("reading response body: %w", c.timeoutError(ctx, err))
	}
	if len(body) > maxResponseBody {
		return nil, true, fmt.Errorf("response body larger than %d bytes", maxResponseBody)
	}
	return &response{status: hresp.StatusCode, header: hresp.Header, body: body}, true, nil
}

// lateStart is how much later than its grant a paced request may be
// written before the limiter is charged for it again.
const lateStart = 50 * time.Millisecond

var errAttemptTimeout = errors.New("no answer within ClientOptions.HTTPClient.Timeout")

// timeoutError says so when err comes from the per-attempt timeout.
func (c *Client) timeoutError(ctx context.Context, err error) error {
	if context.Cause(ctx) == errAttemptTimeout {
		return fmt.Errorf("no answer within %s (ClientOptions.HTTPClient.Timeout): %w", c.attemptTimeout, context.DeadlineExceeded)
	}
	return err
}

// tracer watches one send through httptrace.
type tracer struct {
	track         *sendTrack // nil outside ProvisionMany
	hooked, wrote atomic.Bool
	wroteAt       atomic.Int64 // UnixNano of WroteRequest
}

func (t *tracer) clientTrace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		GetConn:      func(string) { t.hooked.Store(true) },
		WroteHeaders: func() { t.hooked.Store(true); t.wrote.Store(true) },
		WroteRequest: func(httptrace.WroteRequestInfo) {
			t.wroteAt.Store(time.Now().UnixNano())
			t.hooked.Store(true)
			t.wrote.Store(true)
			if t.track != nil {
				t.track.start()
			}
		},
	}
}

// lateBy returns how long after granted the request was written, or 0
// when that is not known.
func (t *tracer) lateBy(granted time.Time) time.Duration {
	if t == nil || t.wroteAt.Load() == 0 {
		return 0
	}
	return time.Unix(0, t.wroteAt.Load()).Sub(granted)
}

// reached says whether a send that failed may have reached the server: it
// did if its headers were written. A transport that reports nothing
// through httptrace (not an *http.Transport, and no hook called) may have
// sent it.
func (t *tracer) reached(tracedTransport bool) bool {
	if t == nil {
		return true
	}
	if t.hooked.Load() || tracedTransport {
		return t.wrote.Load()
	}
	return true
}

// claimsChallenge returns the base64 claims of a CAE challenge
// (WWW-Authenticate: Bearer ..., claims="..."), or "" when there is none
// or they are not base64 (then the 401 stands as it is).
func claimsChallenge(h http.Header) string {
	for _, v := range h.Values("WWW-Authenticate") {
		if len(v) < 7 || !strings.EqualFold(v[:7], "Bearer ") {
			continue
		}
		for _, p := range strings.Split(v[7:], ",") {
			k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
			if !ok || !strings.EqualFold(strings.TrimSpace(k), "claims") {
				continue
			}
			claims := strings.Trim(strings.TrimSpace(val), `"`)
			for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
				if _, err := enc.DecodeString(claims); err == nil && claims != "" {
					return claims
				}
			}
			return ""
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
