// Package graphsync is a small, typed client for the Microsoft Graph
// synchronization API: create and run provisioning jobs on an Entra ID
// service principal, read and change their schemas, check the target
// application's credentials, provision users and groups on demand, send
// users from an HR system to API-driven inbound provisioning (BulkUpload,
// SCIM records in requests of up to 50 built by models.BulkUploadChunks),
// and read the provisioning logs that say what became of each of them
// (ListProvisioningLogs, or the ProvisioningLogs iterator).
//
// # Authentication
//
// NewClient takes any azcore.TokenCredential; azidentity's
// DefaultAzureCredential, ClientSecretCredential or ManagedIdentityCredential
// are the usual ones. Tokens are requested for the cloud's scope (for the
// global cloud "https://graph.microsoft.com/.default") and sent only to the
// configured Graph scheme, host and port: a request anywhere else, whether
// from a redirect (including one from https to http on the same host) or
// an @odata.nextLink, is refused before it leaves the process. Tokens are
// never logged or put in errors: should a server echo the token it was
// sent (or a credential value a request carried), it is taken out of the
// ResponseError, its Error, the log lines and the span before any of them
// is made, whatever encoding it came back in (found in the decoded text:
// JSON escapes, percent-encoding in either case, HTML references, two
// layers deep), and replaced with "[redacted]". A credential that cannot
// get a token gives an error matching ErrCredential, and nothing is sent.
//
// # Clouds and versions
//
// ClientOptions.Cloud selects CloudGlobal (default), CloudUSGovL4,
// CloudUSGovL5 or CloudChina; configure the credential for the same cloud
// (azcore/cloud.AzureGovernment, cloud.AzureChina). Graph does not offer
// provisionOnDemand or saving secrets in the China cloud; those calls fail
// with ErrUnsupported there without sending anything. APIVersion selects
// "v1.0" (default) or "beta".
//
// # Throttling
//
// provisionOnDemand is documented as limited to 5 requests per 10 seconds.
// Every Client paces its ProvisionOnDemand calls with a limiter that lets at
// most 5 start in any 10-second window (package ratelimit explains why a
// token bucket is not enough), so one process does not get 429 for it.
// When Graph answers 429 anyway, its Retry-After pauses every caller of
// that limiter, whether or not this call is retried, and the call is
// retried after it when the RetryPolicy allows. A Retry-After further away
// than MaxRetryAfter (a day) cannot be honoured: the call ends with the
// 429 at once and the limiter is not paused, so no single answer can
// freeze a shared limiter. The limiter cannot see
// other processes, other Clients with their own limiter, or the Azure
// portal's own use of the API; share one Limiter among Clients
// (ClientOptions.Limiter) and, across processes, use a shared limiter such
// as the ratelimit/redis module.
//
// bulkUpload is documented at 40 requests per second; every Client paces
// BulkUpload with a second limiter of the same kind (40 starts in any
// second by default, ClientOptions.BulkUploadLimiter), separate from the
// provisionOnDemand one: a 429 from one API pauses only its own limiter,
// and each can be shared across Clients and processes on its own. (Entra's
// troubleshooting guide states a stricter 40 calls per 5 seconds; see
// BulkUploadLimit.) ClientOptions.DisableLimiter turns both off.
//
// Other calls are retried per RetryPolicy: GET, PUT, PATCH and DELETE on
// 429, 503 and 504, honouring Retry-After; POST only on 429, since a POST
// that failed with 5xx may have been carried out. A wait that would pass
// RetryPolicy.MaxWait or the context's deadline is not started: the call
// returns the answer that asked for it at once. ClientOptions.HTTPClient's
// Timeout bounds each attempt.
//
// # Schemas, rules and credentials
//
// ProvisionOnDemand needs the ID of a rule of the job's synchronization
// schema. GetJobSchema reads the schema (once per run is enough) and
// models.SynchronizationSchema.RuleFor picks the rule for a subject's
// object type. UpdateJobSchema writes a schema back; Graph replaces the
// whole schema, so the models keep everything Graph sent, including what
// they do not name, and an unchanged schema is written back exactly as it
// was read. Package schemaedit changes a schema as code: typed edits of
// attribute mappings and scoping filters that leave the rest as Graph
// sent it, and the Diff between two schemas. GetTemplate and
// ListTemplates return templates with their schemas. ResetJobSchema takes a job back to its template's schema;
// ListSchemaFunctions and ListFilterOperators say what expressions and
// scoping filters may use; ParseExpression parses (and, given a test
// object, evaluates) an attribute-mapping expression; DiscoverDirectory
// reads a directory's latest definition. ValidateCredentials checks the
// target application's credentials before SaveSecrets stores them;
// secret values are never logged, put in errors or shown when a request
// is formatted.
//
// # Setting an application up
//
// InstantiateApplicationTemplate adds an application from the gallery (or
// one of one's own, NonGalleryTemplateID) and returns its service
// principal, whose ID the synchronization calls take. A new service
// principal can answer 404 for a while: WaitForServicePrincipal waits,
// paced and bounded, until it answers. ValidateTemplateCredentials checks
// credentials before any job exists; AcquireAccessToken and
// AcquireApplicationAccessToken hand an OAuth flow's credentials to the
// provisioning service.
//
// # Errors
//
// Arguments are checked before anything is sent; a bad one gives a
// *ValidationError naming it (errors.Is(err, ErrInvalidInput)). An answer
// that is not 2xx gives a *ResponseError with the status, Graph's error
// code and message, the request-id and client-request-id for support, and
// Retry-After; its Error is one line of bounded length whatever the
// server sent: control, line-breaking and format characters are shown as
// escapes (\n, \x1b, \u202e), never written as they are. It
// matches ErrNotFound, ErrUnauthorized, ErrForbidden, ErrConflict or
// ErrThrottled with errors.Is. Any 2xx is success (Graph answers 201 to
// job creation; its documentation shows 200). StartJob reads the job
// first and refuses to start one that is running, which Graph warns can
// stop the service, with an error matching ErrJobActive
// (StartOptions.Force starts it anyway).
//
// # Many requests: ProvisionMany and ProvisionEach
//
// ProvisionMany and ProvisionEach send many provisionOnDemand requests to
// one job: in input order, paced, each reported as answered, failed, not
// attempted (safe to send again) or unknown (it may have reached Graph).
// A failure every later request would meet too (no token, 401, 403, 404,
// a 429 the retry policy cannot absorb) ends the run at once.
// ProvisionEach streams the results to a callback and keeps none.
//
// # Job health
//
// JobHealth reads a job and decodes its status (CheckHealth does it for a
// job read otherwise): its state (active, paused, quarantined, failed,
// not started), the quarantine's reason with what Microsoft documents it
// means and the remedy, the initial cycle's progress, steady state,
// escrows, the last run and its error, the time since the last
// successful run, and a verdict (ok, warning, critical) with its reasons,
// under thresholds the caller can set (HealthThresholds). WaitForJob
// waits, paced and bounded, until the initial cycle ends or the job
// reaches steady state, and stops early on quarantine or failure;
// WatchJob yields each change of a job's health once. With a
// MeterProvider, both keep the job's gauges current. CountCycle counts
// one cycle's provisioning events by action and status, with its most
// frequent error codes.
//
// # Logs, traces and metrics
//
// ClientOptions.Logger (log/slog) receives retries, 429 pauses, long
// limiter waits and, at debug level, every request; never tokens, secrets
// or bodies. ClientOptions.TracerProvider and MeterProvider (OpenTelemetry)
// get one span per public call and request, throttling and limiter-wait
// metrics. All three are off when nil, at no cost.
//
// # Testing your code
//
// Package graphtest is a fake Graph for your tests: it answers like Graph
// and refuses what Graph refuses, enforces provisionOnDemand's limit with
// 429s, records requests and injects faults. provisionOnDemand's ruleId must
// name a rule of the job (srv.RuleID; graphtest.DefaultRuleID unless set
// otherwise).
//
//	srv := graphtest.NewServer(nil)
//	defer srv.Close()
//	srv.AddServicePrincipal("sp-1")
//	client, _ := srv.NewClient()
//
// # Transport
//
// Requests are built as Kiota RequestInformation from URL templates (IDs
// are percent-encoded, never concatenated) and sent by a kiota-http-go
// request adapter with an explicit middleware list. Kiota's default
// middlewares are not used: their compression handler gzips every request
// body, and retries and redirects need Graph's rules here. No Kiota type
// appears in this package's API.
package graphsync
