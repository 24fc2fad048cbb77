package graphtest

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
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
	// ProvisionLimit is how many provisionOnDemand calls are accepted in
	// any ProvisionWindow before the next gets 429; zero means Graph's 5.
	ProvisionLimit int
	// ProvisionWindow is the window of ProvisionLimit; zero means Graph's
	// 10 s.
	ProvisionWindow time.Duration
	// DisableProvisionLimit turns the provisionOnDemand limit off: no
	// call gets 429 for it.
	DisableProvisionLimit bool
	// PageSize makes job and template lists paged with @odata.nextLink;
	// zero means one page.
	PageSize int
	// InProcess serves only through Transport, calling the handler in the
	// caller's goroutine: no listener is started, and NewClient and
	// ClientOptions use Transport. Use it under testing/synctest, where a
	// network connection would stop virtual time.
	InProcess bool
	// BulkUploadLimit and BulkUploadWindow are the bulkUpload limit
	// enforced with 429s, apart from provisionOnDemand's; zero means
	// Graph's 40 per second. Set DisableBulkUploadLimit to enforce none.
	BulkUploadLimit        int
	BulkUploadWindow       time.Duration
	DisableBulkUploadLimit bool
	// InboundDelay is how long after accepting a bulkUpload request the
	// fake applies its users and logs them; zero means
	// DefaultInboundDelay.
	InboundDelay time.Duration

	// Token is the bearer token the server accepts and Credential
	// issues; empty means the constant Token.
	Token string
	// Listener, if set, is where the server serves (and URL is
	// http:// and its address) instead of a new loopback port; Close
	// closes it. graphsync fake-graph listens on the address it is given.
	Listener net.Listener
	// ControlAPI serves the control API under /_graphtest/ (same
	// token), so that a test in any language can drive a server it runs
	// as a process: see the package documentation.
	ControlAPI bool
	// ReplicationDelay is how long a service principal created by
	// instantiating an application template answers 404, as Graph's can
	// until Entra ID has replicated it; zero means it answers at once.
	// Use it to test code that waits (Client.WaitForServicePrincipal).
	ReplicationDelay time.Duration
	// ApplicationTemplates are gallery applications the fake can
	// instantiate besides DefaultApplicationTemplates.
	ApplicationTemplates []ApplicationTemplate
	// CycleLength, if set, makes a started job run simulated cycles of
	// this length: its initial cycle, with progress, over the registered
	// users and groups, then incremental cycles, each writing its
	// provisioning events (see the package documentation). Zero means
	// none: a started job is in steady state at once and writes no
	// events.
	CycleLength time.Duration
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
	inbound    inbound // bulkUpload's users, records and provisioning logs
	// appTemplates are the application templates instantiate knows, by
	// lower-case ID; applications are the applications it created (or
	// AddApplication registered), by object ID.
	appTemplates map[string]ApplicationTemplate
	applications map[string]*application
}

type servicePrincipal struct {
	templates []*template
	jobs      []*job
	secrets   []models.SecretKeyValue
	// What GET /servicePrincipals/{id} shows.
	appID, displayName, applicationTemplateID string
	// visibleAt is when a service principal created by instantiate
	// stops answering 404 (Options.ReplicationDelay).
	visibleAt time.Time
}

// visible reports whether the service principal answers at now.
func (sp *servicePrincipal) visible(now time.Time) bool {
	return sp != nil && !now.Before(sp.visibleAt)
}

// template is a synchronization template and the rules of its schema.
type template struct {
	models.SynchronizationTemplate
	rules []Rule
}

// job is a synchronization job and the rules of its schema, copied from
// its template when it was created. schema is the body of the last PUT of
// its schema (nil: none since the rules were set), from which rules were
// derived.
type job struct {
	data   models.SynchronizationJob
	rules  []Rule
	schema []byte
	sim    *jobSim // its simulated cycles (cycles.go), nil until started with Options.CycleLength
}

type object struct {
	id, typeName, name string
	provisioned        bool
}

// Request is a request the server received.
type Request struct {
	// Seq is 1 for the first request the server received, and so on.
	Seq int
	// Time is when the server received the request.
	Time time.Time
	// Method is the request's HTTP method.
	Method string
	// Path is the escaped path as sent, e.g. "/v1.0/servicePrincipals/a%2Fb/...".
	Path string
	// Query is the raw query string, without the '?'.
	Query string
	// Header holds the request's headers as received, Authorization
	// included.
	Header http.Header
	// Body is the request body, decoded when it was sent compressed
	// (Content-Encoding: gzip; Header still says so). It is nil when the
	// body was refused (an unknown encoding, data that does not
	// decompress, more than 4 MiB).
	Body []byte
	// Status is what the server answered (0 for a dropped connection).
	Status int
}

// NewServer starts a fake Graph on a loopback port. Close it when done.
func NewServer(opts *Options) *Server {
	s := &Server{sps: map[string]*servicePrincipal{}, objects: map[string]object{},
		appTemplates: map[string]ApplicationTemplate{}, applications: map[string]*application{}}
	if opts != nil {
		s.opts = *opts
	}
	for _, t := range append(DefaultApplicationTemplates(), s.opts.ApplicationTemplates...) {
		s.appTemplates[strings.ToLower(t.ID)] = cloneAppTemplate(t)
	}
	if s.opts.ProvisionLimit <= 0 {
		s.opts.ProvisionLimit = graphsync.ProvisionOnDemandLimit
	}
	if s.opts.ProvisionWindow <= 0 {
		s.opts.ProvisionWindow = graphsync.ProvisionOnDemandWindow
	}
	if s.opts.Token == "" {
		s.opts.Token = Token
	}
	switch {
	case s.opts.InProcess:
		// No listener: nothing in a synctest bubble waits on the network.
		s.URL = inProcessURL
	case s.opts.Listener != nil:
		s.srv = &httptest.Server{Listener: s.opts.Listener, Config: &http.Server{Handler: s}}
		s.srv.Start()
		s.URL = s.srv.URL
	default:
		s.srv = httptest.NewServer(s)
		s.URL = s.srv.URL
	}
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

// Credential returns an azcore.TokenCredential that issues the server's
// token (Options.Token, or Token).
func (s *Server) Credential() azcore.TokenCredential { return credential{s.opts.Token} }

// Token returns the bearer token the server accepts.
func (s *Server) Token() string { return s.opts.Token }

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

type credential struct{ token string }

func (c credential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: c.token, ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// AddServicePrincipal registers a service principal with the given
// template IDs (default: one template, "scim"), replacing any registered
// before under the same ID. Each template gets DefaultRules.
func (s *Server) AddServicePrincipal(id string, templateIDs ...string) {
	if len(templateIDs) == 0 {
		templateIDs = []string{"scim"}
	}
	sp := newServicePrincipal("8adf8e6e-67b2-4cf2-a259-e3dc5476c621", templateIDs)
	sp.appID, sp.displayName = stableID("appId", id), id
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sps[id] = sp
}

// newServicePrincipal returns a service principal with the
// synchronization templates templateIDs (the first the default), each
// with DefaultRules (an API-driven inbound one with its own rule); applicationID is the templates' applicationId.
func newServicePrincipal(applicationID string, templateIDs []string) *servicePrincipal {
	sp := &servicePrincipal{}
	for i, t := range templateIDs {
		sp.templates = append(sp.templates, &template{
			SynchronizationTemplate: models.SynchronizationTemplate{
				ID: t, ApplicationID: applicationID, Default: i == 0,
				Discoverable: true, FactoryTag: t,
			},
			rules: templateRules(t),
		})
	}
	return sp
}

// targetDirectory names the directory a template provisions to, as
// provisioning steps and the default rule name it.
func targetDirectory(templateID string) string {
	if strings.EqualFold(templateID, "scim") {
		return "customappsso"
	}
	return templateID
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
	s.settleJobs(time.Now())
	if j := s.job(servicePrincipalID, jobID); j != nil {
		return cloneJob(j.data), true
	}
	return models.SynchronizationJob{}, false
}

// job returns a job, or nil. Called with s.mu held.
func (s *Server) job(servicePrincipalID, jobID string) *job {
	if sp := s.sps[servicePrincipalID]; sp != nil {
		return sp.job(jobID)
	}
	return nil
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
// the limit (injected faults not counted). A client that retries 429s by
// itself, as the official SDK does, hides them from its caller: assert
// Throttled() == 0 to catch them.
func (s *Server) Throttled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.throttled
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
