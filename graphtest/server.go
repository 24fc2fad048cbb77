// Package graphtest is an in-process fake of the Microsoft Graph
// synchronization API for tests and demos.
//
// It serves on a loopback httptest server and answers like Graph: 201 on
// job creation, 204 on start, pause, restart, delete and secrets, Graph
// error bodies with request-id headers, 404 for unknown IDs, 401 without
// the bearer token it issued. provisionOnDemand answers like the
// documentation's examples (Success with the steps taken, Skipped with
// RedundantExport when nothing changed, Failure for objects it does not
// know) and is limited like Graph: more than 5 calls in any 10 seconds
// get 429 with Retry-After, so a test fails if the code under test would
// be throttled.
//
// A test is three lines:
//
//	srv := graphtest.NewServer(nil)
//	defer srv.Close()
//	client, _ := srv.NewClient()
//
// The server records every request (Requests) and can inject faults
// (InjectFault): a status on the n-th request, latency, a dropped
// connection, a malformed body.
//
// Tests that use testing/synctest should create the server with
// Options{InProcess: true}: it then starts no listener and its clients
// call the handler in-process, so virtual time works.
package graphtest

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/models"
)

// Token is the bearer token the fake issues (through Credential) and
// accepts.
const Token = "graphtest-token"

// Options configures a Server. Nil means the defaults.
type Options struct {
	// ProvisionLimit and ProvisionWindow are the provisionOnDemand limit
	// enforced with 429s; zero means Graph's 5 per 10 s. Set
	// DisableProvisionLimit to enforce none.
	ProvisionLimit        int
	ProvisionWindow       time.Duration
	DisableProvisionLimit bool
	// PageSize makes job and template lists paged with @odata.nextLink;
	// zero means one page.
	PageSize int
	// InProcess serves only through Transport, calling the handler in the
	// caller's goroutine: no listener is started, and NewClient and
	// ClientOptions use Transport. Use it under testing/synctest, where a
	// network connection would stop virtual time.
	InProcess bool
}

// Server is a fake Graph. Its methods are safe for concurrent use.
type Server struct {
	// URL is the base URL (scheme://127.0.0.1:port) to give a Client.
	URL string

	srv  *httptest.Server
	opts Options

	mu         sync.Mutex
	sps        map[string]*servicePrincipal
	objects    map[string]object
	provisions []time.Time // start times of accepted provisionOnDemand calls
	throttled  int
	requests   []Request
	faults     []*Fault
	seq        int
}

type servicePrincipal struct {
	templates []models.SynchronizationTemplate
	jobs      []*models.SynchronizationJob
	secrets   []models.SecretKeyValue
}

type object struct {
	id, typeName, name string
	provisioned        bool
}

// Request is a request the server received.
type Request struct {
	// Seq is 1 for the first request the server received, and so on.
	Seq    int
	Time   time.Time
	Method string
	// Path is the escaped path as sent, e.g. "/v1.0/servicePrincipals/a%2Fb/...".
	Path   string
	Query  string
	Header http.Header
	Body   []byte
	// Status is what the server answered (0 for a dropped connection).
	Status int
}

// NewServer starts a fake Graph on a loopback port. Close it when done.
func NewServer(opts *Options) *Server {
	s := &Server{sps: map[string]*servicePrincipal{}, objects: map[string]object{}}
	if opts != nil {
		s.opts = *opts
	}
	if s.opts.ProvisionLimit <= 0 {
		s.opts.ProvisionLimit = graphsync.ProvisionOnDemandLimit
	}
	if s.opts.ProvisionWindow <= 0 {
		s.opts.ProvisionWindow = graphsync.ProvisionOnDemandWindow
	}
	if s.opts.InProcess {
		// No listener: nothing in a synctest bubble waits on the network.
		s.URL = inProcessURL
		return s
	}
	s.srv = httptest.NewServer(s)
	s.URL = s.srv.URL
	return s
}

// inProcessURL is the base URL of an in-process server; no connection is
// ever made to it.
const inProcessURL = "http://127.0.0.1:9"

// Close shuts the server down.
func (s *Server) Close() {
	if s.srv != nil {
		s.srv.Close()
	}
}

// Credential returns an azcore.TokenCredential that issues Token.
func (s *Server) Credential() azcore.TokenCredential { return credential{} }

// ClientOptions returns options that point a graphsync.Client at the
// server (in-process when Options.InProcess is set).
func (s *Server) ClientOptions() *graphsync.ClientOptions {
	o := &graphsync.ClientOptions{BaseURL: s.URL}
	if s.opts.InProcess {
		o.Transport = s.Transport()
	}
	return o
}

// NewClient returns a Client for the server, with ClientOptions and
// Credential.
func (s *Server) NewClient() (*graphsync.Client, error) {
	return graphsync.NewClient(s.Credential(), s.ClientOptions())
}

type credential struct{}

func (credential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: Token, ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// AddServicePrincipal registers a service principal with the given
// template IDs (default: one template, "scim").
func (s *Server) AddServicePrincipal(id string, templateIDs ...string) {
	if len(templateIDs) == 0 {
		templateIDs = []string{"scim"}
	}
	sp := &servicePrincipal{}
	for i, t := range templateIDs {
		sp.templates = append(sp.templates, models.SynchronizationTemplate{
			ID: t, ApplicationID: "8adf8e6e-67b2-4cf2-a259-e3dc5476c621", Default: i == 0,
			Discoverable: true, FactoryTag: t,
		})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sps[id] = sp
}

// AddUser registers a user that provisionOnDemand can provision.
func (s *Server) AddUser(id, userPrincipalName string) {
	s.addObject(object{id: id, typeName: models.ObjectTypeUser, name: userPrincipalName})
}

// AddGroup registers a group that provisionOnDemand can provision.
func (s *Server) AddGroup(id, displayName string) {
	s.addObject(object{id: id, typeName: models.ObjectTypeGroup, name: displayName})
}

func (s *Server) addObject(o object) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.objects[strings.ToLower(o.id)] = o
}

// Job returns a copy of a job as the server holds it.
func (s *Server) Job(servicePrincipalID, jobID string) (models.SynchronizationJob, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sp := s.sps[servicePrincipalID]; sp != nil {
		if j := sp.job(jobID); j != nil {
			return cloneJob(j), true
		}
	}
	return models.SynchronizationJob{}, false
}

// Secrets returns the secrets saved for a service principal.
func (s *Server) Secrets(servicePrincipalID string) []models.SecretKeyValue {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sp := s.sps[servicePrincipalID]; sp != nil {
		return slices.Clone(sp.secrets)
	}
	return nil
}

// Requests returns the requests received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// ProvisionTimes returns when each provisionOnDemand call that was not
// throttled arrived.
func (s *Server) ProvisionTimes() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.provisions)
}

// Throttled returns how many provisionOnDemand calls got 429 for passing
// the limit (injected faults not counted).
func (s *Server) Throttled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.throttled
}

// Fault is an injected misbehaviour. It applies to requests matching
// Method and PathContains (empty matches all), from the Nth matching
// request on (0 or 1: the first), Times times (0: once).
type Fault struct {
	Method       string
	PathContains string
	Nth          int
	Times        int

	// Status, if set, is answered instead of the real handling, with a
	// Graph error body (or Body, if set) and Retry-After if set.
	Status     int
	RetryAfter string
	// Body, if set, replaces the answer's body: with Status, the whole
	// answer; without, the real answer's status with this body (for
	// malformed 2xx bodies).
	Body string
	// Latency delays the answer (honouring the request's context).
	Latency time.Duration
	// Drop closes the connection without an answer.
	Drop bool

	seen, applied int
}

// InjectFault adds a fault; faults are checked in the order added.
func (s *Server) InjectFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f.seen, f.applied = 0, 0
	s.faults = append(s.faults, &f)
}

// matchFault returns the fault to apply to r, if any. Called with s.mu held.
func (s *Server) matchFault(method, path string) *Fault {
	for _, f := range s.faults {
		if f.Method != "" && !strings.EqualFold(f.Method, method) {
			continue
		}
		if f.PathContains != "" && !strings.Contains(path, f.PathContains) {
			continue
		}
		times := max(f.Times, 1)
		if f.applied >= times {
			continue
		}
		f.seen++
		if f.seen < max(f.Nth, 1) {
			continue
		}
		f.applied++
		return f
	}
	return nil
}

// Transport returns a RoundTripper that serves requests by calling the
// server's handler in-process, without a network connection.
func (s *Server) Transport() http.RoundTripper { return InProcessTransport(s) }

// InProcessTransport returns a RoundTripper that serves every request by
// calling h in the caller's goroutine: no listener, no connection, so it
// works inside a testing/synctest bubble. A handler that panics with
// http.ErrAbortHandler gives the client io.ErrUnexpectedEOF, as a dropped
// connection would.
func InProcessTransport(h http.Handler) http.RoundTripper { return inProcess{h: h} }

type inProcess struct{ h http.Handler }

func (t inProcess) RoundTrip(req *http.Request) (resp *http.Response, err error) {
	rec := httptest.NewRecorder()
	in := req.Clone(req.Context())
	in.Body = http.NoBody
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		in.Body = io.NopCloser(strings.NewReader(string(b)))
	}
	in.RequestURI = req.URL.RequestURI()
	in.RemoteAddr = "127.0.0.1:1"
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				resp, err = nil, io.ErrUnexpectedEOF
				return
			}
			panic(p)
		}
	}()
	t.h.ServeHTTP(rec, in)
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	res := rec.Result()
	res.Request = req
	return res, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	s.mu.Lock()
	s.seq++
	rec := Request{Seq: s.seq, Time: time.Now(), Method: r.Method, Path: r.URL.EscapedPath(),
		Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: body}
	idx := len(s.requests)
	s.requests = append(s.requests, rec)
	fault := s.matchFault(r.Method, rec.Path)
	s.mu.Unlock()

	cw := &captureWriter{ResponseWriter: w}
	defer func() {
		s.mu.Lock()
		s.requests[idx].Status = cw.status
		s.mu.Unlock()
	}()
	reqID := newID()
	cw.Header().Set("request-id", reqID)
	if c := r.Header.Get("client-request-id"); c != "" {
		cw.Header().Set("client-request-id", c)
	}

	if fault != nil {
		if fault.Latency > 0 {
			t := time.NewTimer(fault.Latency)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		if fault.Drop {
			dropConnection(w)
			return
		}
		if fault.Status != 0 {
			if fault.RetryAfter != "" {
				cw.Header().Set("Retry-After", fault.RetryAfter)
			}
			if fault.Body != "" {
				cw.Header().Set("Content-Type", "application/json")
				cw.WriteHeader(fault.Status)
				io.WriteString(cw, fault.Body)
				return
			}
			writeError(cw, r, reqID, fault.Status, faultCode(fault.Status), "Injected fault.")
			return
		}
		if fault.Body != "" {
			cw.override = []byte(fault.Body)
		}
	}
	s.route(cw, r, reqID, body)
	cw.flush()
}

func faultCode(status int) string {
	switch status {
	case http.StatusTooManyRequests:
		return "TooManyRequests"
	case http.StatusServiceUnavailable:
		return "ServiceUnavailable"
	case http.StatusGatewayTimeout:
		return "GatewayTimeout"
	case http.StatusInternalServerError:
		return "InternalServerError"
	}
	return "InjectedFault"
}

// dropConnection closes the client's connection without an answer.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// captureWriter records the status and can replace the body.
type captureWriter struct {
	http.ResponseWriter
	status   int
	override []byte
	held     bool
}

func (c *captureWriter) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
	}
	if c.override != nil {
		c.held = true
		return
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *captureWriter) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.WriteHeader(http.StatusOK)
	}
	if c.override != nil {
		return len(b), nil
	}
	return c.ResponseWriter.Write(b)
}

func (c *captureWriter) flush() {
	if c.override == nil {
		return
	}
	if c.status == 0 {
		c.status = http.StatusOK
	}
	c.ResponseWriter.Header().Del("Content-Length")
	c.ResponseWriter.WriteHeader(c.status)
	c.ResponseWriter.Write(c.override)
}

func (c *captureWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if hj, ok := c.ResponseWriter.(http.Hijacker); ok {
		return hj.Hijack()
	}
	return nil, nil, errors.New("graphtest: cannot hijack")
}

func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// writeError writes a Graph error body.
func writeError(w http.ResponseWriter, r *http.Request, reqID string, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"error":{"code":%s,"message":%s,"innerError":{"date":%q,"request-id":%q,"client-request-id":%q}}}`,
		strconv.Quote(code), strconv.Quote(message), time.Now().UTC().Format("2006-01-02T15:04:05"),
		reqID, r.Header.Get("client-request-id"))
}

// route dispatches on the path: /{version}/servicePrincipals/{sp}/synchronization/...
func (s *Server) route(w http.ResponseWriter, r *http.Request, reqID string, body []byte) {
	if r.Header.Get("Authorization") != "Bearer "+Token {
		w.Header().Set("WWW-Authenticate", `Bearer realm=""`)
		writeError(w, r, reqID, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty or not valid.")
		return
	}
	segs := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/"), "/")
	for i, seg := range segs {
		u, err := url.PathUnescape(seg)
		if err != nil {
			writeError(w, r, reqID, http.StatusBadRequest, "BadRequest", "Malformed path.")
			return
		}
		segs[i] = u
	}
	if len(segs) < 4 || (segs[0] != graphsync.APIVersionV1 && segs[0] != graphsync.APIVersionBeta) ||
		segs[1] != "servicePrincipals" || segs[3] != "synchronization" {
		writeError(w, r, reqID, http.StatusBadRequest, "BadRequest", "Unsupported path.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sp := s.sps[segs[2]]
	if sp == nil {
		writeError(w, r, reqID, http.StatusNotFound, "Request_ResourceNotFound",
			fmt.Sprintf("Resource '%s' does not exist or one of its queried reference-property objects are not present.", segs[2]))
		return
	}
	h := handler{s: s, sp: sp, w: w, r: r, reqID: reqID, body: body}
	rest := segs[4:]
	switch {
	case len(rest) == 1 && rest[0] == "templates" && r.Method == http.MethodGet:
		h.listTemplates()
	case len(rest) == 1 && rest[0] == "secrets" && r.Method == http.MethodPut:
		h.saveSecrets()
	case len(rest) == 1 && rest[0] == "jobs" && r.Method == http.MethodGet:
		h.listJobs()
	case len(rest) == 1 && rest[0] == "jobs" && r.Method == http.MethodPost:
		h.createJob()
	case len(rest) == 2 && rest[0] == "jobs":
		h.job(rest[1])
	case len(rest) == 3 && rest[0] == "jobs" && r.Method == http.MethodPost:
		h.action(rest[1], rest[2])
	default:
		writeError(w, r, reqID, http.StatusBadRequest, "BadRequest", "Unsupported request.")
	}
}

// MaxInWindow returns the largest number of times that fall in any closed
// interval of length w: with ProvisionTimes, how close a run came to
// Graph's limit (it must stay at or below 5 for 10 s).
func MaxInWindow(times []time.Time, w time.Duration) int {
	s := slices.Clone(times)
	slices.SortFunc(s, func(a, b time.Time) int { return a.Compare(b) })
	best, j := 0, 0
	for i := range s {
		for j < len(s) && !s[j].After(s[i].Add(w)) {
			j++
		}
		best = max(best, j-i)
	}
	return best
}
