package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	azlog "github.com/Azure/azure-sdk-for-go/sdk/azcore/log"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/cmd/graphsync/internal/demotenant"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/ratelimit"
)

// Version is the command's version, printed by graphsync version and sent
// in its User-Agent.
const Version = "0.2.0"

// Uses says which of the shared flags a command takes besides -sp, -demo
// and -v.
type Uses uint

const (
	// UsesJob: the command works on one job (-job, GRAPHSYNC_JOB_ID),
	// the provisioning job in the demo.
	UsesJob Uses = 1 << iota
	// UsesInboundJob: as UsesJob, but the demo's job is the inbound one.
	UsesInboundJob
	// UsesJSON: the command prints JSON with -json.
	UsesJSON
	// UsesJobFilter: -job is optional (a filter), not required.
	UsesJobFilter
)

// Config is the configuration every subcommand resolves the same way:
// each flag over its environment variable.
//
//	-sp        GRAPHSYNC_SERVICE_PRINCIPAL_ID
//	-job       GRAPHSYNC_JOB_ID
//	           GRAPHSYNC_CLOUD (global, usgovl4, usgovl5, china)
//	           GRAPHSYNC_GRAPH_URL (another Graph base URL; https, or http on loopback)
//	           GRAPHSYNC_TOKEN (a bearer token used as it is)
//	           AZURE_* (azidentity's DefaultAzureCredential)
//	-demo      the offline demo, whatever the environment says
//	-json      JSON on standard output (where the command has it)
//	-v         the library's and azidentity's logs on standard error
type Config struct {
	ServicePrincipalID string
	JobID              string
	Demo, JSON         bool
	Verbose            bool

	uses            Uses
	spFlag, jobFlag bool
	cloud           graphsync.Cloud
	graphURL, token string
	// realBy names what makes this run one against real Graph, for
	// messages; "" when nothing does.
	realBy string
}

// Shared registers the shared flags the command takes.
func (c *Config) Shared(fs *flag.FlagSet, uses Uses) {
	c.uses = uses
	fs.StringVar(&c.ServicePrincipalID, "sp", "", "service principal ID (default $GRAPHSYNC_SERVICE_PRINCIPAL_ID)")
	if uses&(UsesJob|UsesInboundJob|UsesJobFilter) != 0 {
		fs.StringVar(&c.JobID, "job", "", "synchronization job ID (default $GRAPHSYNC_JOB_ID)")
	}
	fs.BoolVar(&c.Demo, "demo", false, "run against an in-process fake Graph (the offline demo), whatever the environment says")
	fs.BoolVar(&c.Verbose, "v", false, "log retries, throttling, limiter waits and every request (and azidentity's authentication) on stderr")
	if uses&UsesJSON != 0 {
		fs.BoolVar(&c.JSON, "json", false, "print JSON (Graph's shape) on stdout")
	}
}

// resolve fills what the flags left from the environment.
func (c *Config) resolve(fs *flag.FlagSet) error {
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "sp":
			c.spFlag = true
		case "job":
			c.jobFlag = true
		}
	})
	if !c.spFlag {
		c.ServicePrincipalID = os.Getenv("GRAPHSYNC_SERVICE_PRINCIPAL_ID")
	}
	if !c.jobFlag && c.uses&(UsesJob|UsesInboundJob|UsesJobFilter) != 0 {
		c.JobID = os.Getenv("GRAPHSYNC_JOB_ID")
	}
	switch strings.ToLower(os.Getenv("GRAPHSYNC_CLOUD")) {
	case "", "global", "public":
		c.cloud = graphsync.CloudGlobal
	case "usgovl4", "usgov":
		c.cloud = graphsync.CloudUSGovL4
	case "usgovl5", "dod":
		c.cloud = graphsync.CloudUSGovL5
	case "china":
		c.cloud = graphsync.CloudChina
	default:
		return fmt.Errorf("GRAPHSYNC_CLOUD=%s: want global, usgovl4, usgovl5 or china", os.Getenv("GRAPHSYNC_CLOUD"))
	}
	c.graphURL, c.token = os.Getenv("GRAPHSYNC_GRAPH_URL"), os.Getenv("GRAPHSYNC_TOKEN")
	switch {
	case c.spFlag:
		c.realBy = "-sp"
	case c.jobFlag:
		c.realBy = "-job"
	default:
		c.realBy = configuredBy()
	}
	return nil
}

// configuredBy returns the first AZURE_* or GRAPHSYNC_* variable set,
// even empty (export GRAPHSYNC_JOB_ID=$JOB with $JOB unset still means
// real Graph: a run never falls back to the demo silently), or "".
func configuredBy() string {
	var names []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "AZURE_") || strings.HasPrefix(name, "GRAPHSYNC_") {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return ""
	}
	sort.Strings(names)
	return names[0]
}

// IsDemo reports whether the command runs the offline demo: -demo, or
// nothing names real Graph.
func (c *Config) IsDemo() bool { return c.Demo || c.realBy == "" }

// Env is a connected Client and what the command works on.
type Env struct {
	Client *graphsync.Client
	// ServicePrincipalID and JobID are the configured ones, or the
	// demo's.
	ServicePrincipalID, JobID string
	// Demo is the demo tenant, nil against real Graph.
	Demo  *demotenant.Tenant
	close []func()
}

// Close stops the demo tenant and the azcore log listener, if any.
func (e *Env) Close() {
	for _, f := range e.close {
		f()
	}
}

// DemoProvisionWindow is the demo's provisionOnDemand window: 5 calls per
// second instead of Graph's 5 per 10 seconds, so that it takes seconds.
const DemoProvisionWindow = time.Second

// Connect returns a Client for real Graph, or for the offline demo's
// fake, with opts (nil means defaults). Against real Graph the service
// principal, and the job when the command works on one, are required: a
// missing one is a *UsageError that says what names real Graph and how
// to run the demo instead. The credential is GRAPHSYNC_TOKEN when set,
// else azidentity's DefaultAzureCredential.
func (inv *Invocation) Connect(opts *graphsync.ClientOptions) (*Env, error) {
	c := inv.Config
	var o graphsync.ClientOptions
	if opts != nil {
		o = *opts
	}
	if o.UserAgent == "" {
		o.UserAgent = "graphsync-cli/" + Version
	}
	if inv.transport != nil {
		o.Transport = inv.transport
	}
	env := &Env{}
	if c.Verbose {
		o.Logger = slog.New(slog.NewTextHandler(inv.Err, &slog.HandlerOptions{Level: slog.LevelDebug}))
		azlog.SetEvents(azlog.EventRequest, azlog.EventResponse, azlog.EventRetryPolicy, "Authentication")
		azlog.SetListener(func(ev azlog.Event, msg string) { o.Logger.Debug("azcore: "+msg, "event", string(ev)) })
		env.close = append(env.close, func() { azlog.SetListener(nil) })
	}
	if c.IsDemo() {
		t, err := demotenant.New(&graphtest.Options{ProvisionWindow: DemoProvisionWindow, InboundDelay: 500 * time.Millisecond})
		if err != nil {
			return nil, err
		}
		env.close = append(env.close, t.Close)
		o.BaseURL = t.Server.URL
		if o.Limiter == nil {
			o.Limiter = ratelimit.New(graphsync.ProvisionOnDemandLimit, DemoProvisionWindow, ratelimit.WithMargin(50*time.Millisecond))
		}
		client, err := graphsync.NewClient(t.Server.Credential(), &o)
		if err != nil {
			env.Close()
			return nil, err
		}
		env.Client, env.Demo, env.ServicePrincipalID, env.JobID = client, t, t.ServicePrincipalID, t.JobID
		if c.uses&UsesInboundJob != 0 {
			env.JobID = t.InboundJobID
		}
		if c.uses&UsesJobFilter != 0 && c.JobID == "" {
			env.JobID = ""
		}
		return env, nil
	}
	if err := inv.CheckConfig(); err != nil {
		return nil, err
	}
	var cred azcore.TokenCredential
	if c.token != "" {
		cred = staticToken(c.token)
	} else {
		var err error
		if cred, err = azidentity.NewDefaultAzureCredential(nil); err != nil {
			return nil, Usagef("credentials: %v", err)
		}
	}
	o.Cloud, o.BaseURL = c.cloud, c.graphURL
	client, err := graphsync.NewClient(cred, &o)
	if err != nil {
		var ve *graphsync.ValidationError
		if errors.As(err, &ve) {
			return nil, Usagef("%v (GRAPHSYNC_GRAPH_URL must be https, or http on localhost, 127.0.0.1 or [::1])", err)
		}
		return nil, err
	}
	env.Client, env.ServicePrincipalID, env.JobID = client, c.ServicePrincipalID, c.JobID
	return env, nil
}

// CheckConfig returns a *UsageError when the configuration names real
// Graph but lacks what the command needs, saying what names real Graph,
// what is missing and that -demo runs the demo; nil for the demo. Connect
// checks it too; a command calls it first when it has more to check
// before connecting (its input).
func (inv *Invocation) CheckConfig() error {
	c := inv.Config
	if c.IsDemo() {
		return nil
	}
	if missing := c.missing(); len(missing) > 0 {
		return Usagef("real Graph is configured (%s is set) but incomplete; missing: %s. "+
			"Run with -demo for the offline demo against an in-process fake Graph", c.realBy, strings.Join(missing, ", "))
	}
	return nil
}

// missing names what a real configuration lacks: the service principal,
// the job (for a command on one job), and the parts of an application
// credential in the environment.
func (c *Config) missing() []string {
	var out []string
	if c.ServicePrincipalID == "" {
		out = append(out, "the service principal (-sp or GRAPHSYNC_SERVICE_PRINCIPAL_ID)")
	}
	if c.JobID == "" && c.uses&(UsesJob|UsesInboundJob) != 0 {
		out = append(out, "the job (-job or GRAPHSYNC_JOB_ID)")
	}
	if c.token == "" && (os.Getenv("AZURE_CLIENT_SECRET") != "" || os.Getenv("AZURE_CLIENT_CERTIFICATE_PATH") != "") {
		for _, v := range []string{"AZURE_TENANT_ID", "AZURE_CLIENT_ID"} {
			if os.Getenv(v) == "" {
				out = append(out, v)
			}
		}
	}
	return out
}

// DemoNotice says on standard error that the command runs the demo.
func (inv *Invocation) DemoNotice(env *Env) {
	if env.Demo != nil {
		inv.Err.Printf("Offline demo against an in-process fake Graph (%s); nothing leaves this machine.", env.Demo.Server.URL)
	}
}

// staticToken is GRAPHSYNC_TOKEN as a credential: used as it is, for
// whatever scope is asked, valid for an hour at a time.
type staticToken string

func (t staticToken) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: string(t), ExpiresOn: time.Now().Add(time.Hour)}, nil
}
