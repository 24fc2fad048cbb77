// Package graphtest is an in-process fake of the Microsoft Graph
// synchronization API for tests and demos.
//
// It serves on a loopback httptest server and answers as Graph's
// documentation shows: 201 with a Location on job creation, 204 on
// start, pause, restart, delete, secrets, a schema PUT and DELETE,
// validateCredentials and acquireAccessToken (and on a job's PATCH, a
// route Graph does not document: see the fake's own answers), Graph
// error bodies,
// 404 for unknown IDs, 401 without the bearer token it issued, and the
// headers every Graph answer carries (request-id, client-request-id,
// Date; JSON as application/json with Graph's OData parameters, with
// @odata.context as Graph writes it and timestamps with at most 7
// fractional digits). It is meant to be stricter than Graph rather than
// kinder, so that code that passes against it does not fail against
// Graph:
//
//   - Request bodies may be gzip-compressed (Content-Encoding: gzip), as
//     the official SDKs send them; another encoding gets 415. Request.Body
//     is always the decoded body.
//   - Create and PATCH bodies are read as raw JSON: a property the
//     resource does not have is refused; in a PATCH an absent property
//     keeps its value and an explicit null clears a nullable one
//     (schedule.expiration).
//   - schedule.interval must be an OData Edm.Duration (days, hours,
//     minutes, seconds: no weeks, months or years) that fits .NET's
//     TimeSpan; it is stored and read back in .NET's canonical form
//     ("PT60M" reads back as "PT1H").
//   - provisionOnDemand checks the request against the job's
//     synchronization rules (see Rule): the ruleId must name a rule of the
//     job, the rule must handle the subject's object type, a group may
//     bring at most five members, and the subjects must exist (AddUser,
//     AddGroup). It answers like the documentation's examples (Success
//     with the steps taken, Skipped with RedundantExport when nothing
//     changed) and is limited like Graph: more than 5 calls in any 10
//     seconds get 429 with Retry-After, so a test fails if the code under
//     test would be throttled.
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
//
// # Schemas, templates and rules
//
// A job's schema (GET .../jobs/{id}/schema) is generated from the job's
// rules: each rule with its object mappings and a handful of attribute
// mappings (Entra ID users and groups to SCIM, some of them functions of
// attributes, such as Not([IsSoftDeleted])), and the source and target
// directories with the objects and attributes the mappings use. Its rule
// IDs are those provisionOnDemand accepts, so RuleFor on what GetJobSchema
// returns gives a ruleId the fake takes. A PUT of the schema stores the
// body as sent (decoded, if it came gzip-compressed); a GET afterwards
// returns it, with the @odata.context the fake writes, and the job's rules
// become those of its synchronizationRules (id, name, directory names,
// and the source and target object names of their object mappings).
// SetJobRules goes back to a generated schema; so does a DELETE of the
// schema (Graph's reset), with the rules of the job's template. A
// template is served by ID and listed with its schema, generated from its
// rules.
//
// validateCredentials cannot reach the application: it answers 204 when
// the request is well formed (see below) and the job exists, or, before
// any job exists, when it names a template of the service principal.
//
// AddServicePrincipal gives each template one rule, DefaultRuleID
// ("USERGROUP_OUTBOUND_USERGROUP", the rule Entra ID → application
// templates carry), which provisions objects of type "User" and "Group".
// A job gets its template's rules when it is created. RuleID returns the
// rule of a job for an object type; SetTemplateRules and SetJobRules
// replace the rules, for example with the Active Directory rule of the
// documentation's second provisionOnDemand example, whose source objects
// are spelled "user". A ruleId matches a rule whose ID is equal ignoring
// case, with or without a "#suffix" such as "#V2" on either side. Object
// type names match without regard to case too, a rule that spells the
// name the same way first.
//
// # Expressions
//
// parseExpression (POST .../jobs/{id}/schema/parseExpression) reads the
// expression with package expression, the project's one parser of the
// language Microsoft Entra's "Reference for writing expressions for
// attribute mappings" describes: function calls with their arguments (an
// argument may be empty), [attribute] references, string constants in
// double quotes (\" and \\ escape a quote and a backslash), numbers
// (-10, &HF7), names alone (vbBinaryCompare) and the comparisons of IIF's
// condition (=, <>, <, >, <=, >=). What expression.Check finds wrong (an
// unknown function, by name with regard to case; a wrong number of
// arguments; a required one omitted) is a parsing failure too. The parsed
// tree is expression.ToSource's, each argument named after its parameter
// as the documented answer does (Replace's "Find" and "Replacement").
// Given a testInputObject it evaluates the expression with
// expression.Evaluate: every function of the reference, as package
// expression documents them. The documented request gets the documented
// answer, to the letter.
//
// A PUT of a schema whose attribute mappings hold an expression that does
// not parse is refused (see the fake's own answers).
//
// # Applications from the gallery
//
// POST /applicationTemplates/{id}/instantiate creates an application and
// its service principal from the templates the fake knows
// (DefaultApplicationTemplates: those Graph's documentation instantiates;
// Options.ApplicationTemplates and AddApplicationTemplate add others) and
// answers 201 with both. The new service principal gets the
// application template's synchronization templates, each with
// DefaultRules, and answers GET /servicePrincipals/{id} (with $select).
// With Options.ReplicationDelay it answers 404 to that and to every
// synchronization call until the delay has passed, as Graph's can until
// Entra ID has replicated it.
//
// # API-driven inbound provisioning
//
// bulkUpload (POST .../jobs/{jobId}/bulkUpload) takes a SCIM BulkRequest
// as Graph's documentation describes it (Content-Type
// application/scim+json, the BulkRequest schemas URN, 1 to 50 operations,
// each a POST to /Users with a unique bulkId and a user whose schemas
// list the core and enterprise User schemas), answers 202 Accepted with
// no body and a Location to the job's provisioning logs, and is limited
// to 40 calls per second with 429 and Retry-After (Options.BulkUploadLimit,
// DisableBulkUploadLimit; BulkUploadThrottled counts the 429s). After
// Options.InboundDelay it applies each record to the fake's directory,
// matching users on externalId (create, update, disable on active=false,
// skip when nothing changed, fail without a userName for a new user) and
// writes one provisioning log event per record, which GET
// /{version}/auditLogs/provisioning serves with every $filter Graph
// documents, $orderby and $top, paged with @odata.nextLink. Records are
// applied when a request or an accessor (InboundUser, InboundUsers,
// ProvisioningLogs, PendingInbound) finds them due, without timers, so
// virtual time under testing/synctest works.
// AddInboundUser registers a user as an earlier upload would have.
// The job's schema has one rule from the directory "API", whose object
// lists every SCIM core and enterprise User attribute the job accepts,
// mapped or not, as Entra's attribute list for the API does.
// InjectInboundFailure fails the records of one externalId, for a number
// of attempts or always, as the service's own transient failure
// (errorCategory failure) or as the record's data error
// (nonServiceFailure), with Graph's errorCode, reason and
// recommendedAction in the event.
//
// # Job cycles, quarantine and escrows
//
// Without Options.CycleLength, a started job is in steady state at once:
// its last run and steady-state times are set when it starts, and it
// writes no provisioning events. With it, a started job runs simulated
// cycles, each CycleLength long, back to back: first the initial cycle
// over every registered user and group (AddUser, AddGroup), status
// NotRun with a progress of entries done, then incremental cycles; at the
// end of each, the status shows the run (lastExecution, and
// lastSuccessfulExecution when it escrowed nothing) and steady state, and
// the provisioning logs get one event per entry created (the initial
// cycle) or escrowed (every cycle). Pause stops the cycle under way and
// start goes on where it stopped; a restart that resets the watermark
// begins a new initial cycle. As with bulkUpload, cycles end when a
// request or an accessor finds them due, without timers.
//
// QuarantineJob puts a job in quarantine with a reason, as Graph does;
// start, or a restart that resets QuarantineState, lifts it.
// InjectEscrows makes every cycle escrow a number of entries; a restart
// that resets Escrows clears them. Over the control API:
// POST /_graphtest/jobs/{servicePrincipalId}/{jobId}/quarantine
// {"reason": "..."} and .../escrows {"count": N}.
//
// # A fake for any language
//
// graphsync fake-graph runs a Server as a process (Options.Listener,
// Options.Token) for clients in any language: the official SDKs,
// PowerShell, curl. With Options.ControlAPI, a test drives it over HTTP
// under /_graphtest/, with the server's token: POST faults (a Fault as
// JSON: method, pathContains, pathSuffix, nth, count, status, retryAfter,
// body, latency as a Go duration, drop), DELETE faults, POST users
// ({"id","userPrincipalName"}), POST groups ({"id","displayName",
// "members"}, each member not yet known registered as a user), GET
// requests (the recorded requests as [{"method","path","query","status",
// "body"}]), POST jobs/{servicePrincipalId}/{jobId}/quarantine
// ({"reason"}) and .../escrows ({"count"}). Control calls are neither
// recorded nor faulted.
//
// # Code written with the official SDK
//
// Code written against github.com/microsoftgraph/msgraph-sdk-go can be
// tested with the fake too: give the SDK's request adapter URL+"/v1.0" as
// its base URL, and its authentication provider the fake's host among its
// allowed hosts (by default it sends no token to 127.0.0.1, and the fake
// answers 401). The SDK retries a 429 by itself, so its caller never sees
// one: assert Throttled() == 0 to catch throttling. The README shows a
// complete test, and bench/sdkcompat drives the job, template, secrets
// and provisionOnDemand calls through the SDK.
//
// # Answers that are the fake's own
//
// Where Graph's documentation shows no answer, graphtest answers as
// follows; Graph's own answer may differ in status, code or wording:
//
//   - An unknown ruleId: 400 RequestParameterInvalid, "... However, the
//     job does not include the rule." (the wording of a real Graph answer
//     quoted in microsoft-graph-docs-contrib issue 4247; the status is a
//     guess).
//   - An object type the rule does not handle, a group with more than five
//     members, more than one parameter or subject in one call, a subject
//     without objectId or objectTypeName: 400 RequestParameterInvalid.
//     Object type names are compared without regard to case: Graph does
//     not document whether case matters, and Microsoft's own examples
//     spell "User" and "user" (the Active Directory one), so refusing by
//     case would break the official SDK's run of them.
//   - A subject or linked member that is not registered: 200 with a
//     Failure result, errorCode EntryNotFound, and a failed EntryImport
//     step. A second call for a user already provisioned: Skipped with
//     RedundantExport (the documentation's first example, for this case).
//   - Refused calls (400) do not count toward the 5-per-10-s limit; only
//     calls answered 200 do. A throttled call gets 429 TooManyRequests with
//     Retry-After in whole seconds, until the oldest call in the window
//     leaves it.
//   - PATCH of a job (Client.UpdateJob): Graph documents no update of a
//     synchronizationJob, and its page marks schedule read-only; the fake
//     serves the route as the official SDK and PowerShell generate it,
//     applying schedule (interval, expiration, state) and
//     synchronizationJobSettings, and answers 204. All of that is the
//     fake's own.
//   - A property the resource does not have, a read-only property (status,
//     or a changed id or templateId), a null for a non-nullable property, a
//     value of the wrong JSON type, an unknown enum value: 400 BadRequest,
//     with OData's wording.
//   - An interval that is not an Edm.Duration: 400 BadRequest, "Cannot
//     convert the literal '...' to the expected type 'Edm.Duration'."
//   - A Content-Encoding other than gzip or identity: 415
//     UnsupportedMediaType; a body labelled gzip that does not decompress:
//     400 BadRequest; a body over 4 MiB, compressed or not: 413
//     RequestEntityTooLarge.
//   - An unknown service principal, job or template: 404
//     Request_ResourceNotFound.
//     An unknown templateId on create: 400 InvalidTemplateId. Secrets
//     without a value array: 400 BadRequest.
//   - A method the path does not support: 405; a path the fake does not
//     serve: 400 BadRequest.
//   - The Location of a created job and @odata.nextLink point at the
//     fake's own URL (so that clients can follow them), in key-as-segment
//     form; @odata.context always names https://graph.microsoft.com.
//   - Error bodies are sent as plain application/json.
//   - A job's schema/functions and schema/filterOperators are Graph's
//     documented lists whatever the job, on v1.0 and beta alike: the full
//     ones the beta pages keep in a comment (their visible examples are
//     shortened), copied verbatim; functions with the documented
//     @odata.context for the version asked, filterOperators without one,
//     as documented.
//   - parseExpression answers 200 to an expression that does not parse,
//     or that expression.Check finds wrong, with parsingSucceeded false
//     and error {code: "ExpressionParsingFailed", message: what and where,
//     as "... (line 1, column 15)." (each of Check's problems so, in
//     order)}; the code and wording are the fake's. The parameters of the
//     reference's functions that the documented schema/functions answer
//     lacks are named as package expression names them (see
//     expression.Functions); a comparison is a Function node named after
//     its operator with parameters "left" and "right", and a number or a
//     name alone is a Constant node: Graph documents neither. Without a
//     testInputObject, evaluationSucceeded is false and evaluationResult
//     null; an evaluation that fails (Mid's start not a whole number, IIF
//     reading a null attribute) gives evaluationSucceeded false and error
//     {code: "ExpressionEvaluationFailed", message: the function, what
//     went wrong and the offset}. A null result is an empty
//     evaluationResult, a multi-valued one each value; booleans are
//     "True" and "False". An attribute name the test object does not hold
//     exactly is found without regard to case; DefaultDomain() is
//     "contoso.onmicrosoft.com"; Now() is the fake's clock (virtual under
//     testing/synctest). A body that is not an object with an expression
//     string, a testInputObject with a member other than definition and
//     properties, or a property without a key or with a value that is not
//     a string, an array of strings, a number, a boolean or null: 400
//     BadRequest. Its answer has no @odata.context, like the documented
//     one.
//   - acquireAccessToken, on a service principal or an application
//     (AddApplication, or one instantiate created), answers 204 to a
//     credentials array of pairs of optional key and value strings and an
//     optional @odata.type naming the pair's type (the documented example
//     sends a pair with only that), and stores nothing: it cannot reach
//     the application's OAuth server. No credentials, a value without a
//     key, a member a pair does not have, or another member beside
//     credentials: 400 BadRequest in the fake's wording, which never
//     quotes a value. An unknown application is 404
//     Request_ResourceNotFound.
//   - discover (POST .../schema/directories/{id}/discover) answers with
//     the directory of the job's schema as it is (generated, or as PUT),
//     with discoveryDateTime now, a new version, and discoverabilities
//     "AttributeNames, AttributeDataTypes" when the directory had none;
//     the schema is not changed, and nothing new is discovered. A request
//     with a body (even {}; the documentation says to send none) is 400
//     BadRequest; an unknown directory is 404 Request_ResourceNotFound.
//     The answer has no @odata.context, like the documented one.
//   - instantiate: an unknown application template is 404
//     Request_ResourceNotFound; a body that is not an object with a
//     non-empty displayName, or has another member, is 400 BadRequest in
//     the fake's wording. Its answer names the properties a provisioning
//     workflow reads (v1.0's names, on beta too: beta's documented answer
//     uses older ones such as objectId), not every property of an
//     application and a service principal. Which synchronization
//     templates an instance gets is the fake's choice for the
//     documentation's templates (non-gallery: "scim", cross-tenant
//     synchronization: "Azure2Azure", AWS: "aws", SAML Toolkit: none).
//   - GET /servicePrincipals/{id} shows the same few properties; a
//     $select of another is 400 BadRequest. A service principal within
//     Options.ReplicationDelay of its creation is 404
//     Request_ResourceNotFound to every call, like an unknown one.
//   - Timestamps a client sends (schedule.expiration) are stored in UTC,
//     truncated to 100 ns.
//   - provisionOnDemand's answers are shaped like the documentation's
//     examples but are not copies: steps, identities and systems are
//     derived from the rule and the registered object.
//   - A generated schema (a job's before any PUT, a template's) is shaped
//     like Graph's but is not a copy: its attribute mappings, directory
//     IDs and attribute definitions are the fake's, and its version is
//     "graphtest:" and a hash of the rules. Its @odata.context, and a
//     template's, are written as Graph writes an entity's (the
//     documentation's examples show none).
//   - A schema PUT that is not a JSON object, has no synchronizationRules
//     array, or has a rule without an id (the documentation's own example
//     has none; the fake requires one, since provisionOnDemand names rules
//     by ID): 400 BadRequest, and the schema and rules are unchanged. So
//     is a PUT with an attribute mapping whose source.expression does not
//     parse (package expression's syntax; what only expression.Check
//     finds, such as an unknown function, is accepted, as Graph finds it
//     when the job runs): 400 BadRequest "The expression of
//     synchronizationRules[0].objectMappings[0].attributeMappings[3]
//     (target attribute 'mail') does not parse: ... (line 1, column 9).",
//     the fake's wording. A source without expression text (the
//     documentation's "source": {}) is not checked. A schema is not
//     otherwise checked, and Graph's version is not changed.
//   - validateCredentials answers 400 BadRequest, with the fake's own
//     wording, to a body that is not a JSON object; a parameter it does not
//     have; credentials that are not an array of {key, value} with a
//     non-empty key and a string value; useSavedCredentials true with no
//     secrets saved for the service principal; no credentials without
//     useSavedCredentials; a templateId that is not a template of the
//     service principal. Its messages name members and positions, never
//     values. Well-formed credentials are taken to work. Before any job
//     exists (POST .../synchronization/jobs/validateCredentials, shown in
//     Graph's cross-tenant synchronization tutorial) the same checks
//     apply, and a request without a templateId gets 400 BadRequest.
//   - bulkUpload to a job whose template is not API2AAD or API2AD: 400
//     BadRequest. A Content-Type other than application/scim+json (the
//     documented cause of most 400s), a body that is not a BulkRequest as
//     documented, an operation's user without externalId or with a member
//     that is neither a SCIM User attribute nor an extension (urn:...)
//     object: 400 BadRequest, in the fake's wording. Every bulkUpload call
//     that is not throttled counts toward the 40-per-second limit, refused
//     ones too; a throttled one gets 429 TooManyRequests with Retry-After
//     in whole seconds (at least 1).
//   - What bulkUpload does with each record, and its event: the action,
//     status and steps (EntryImport, EntrySynchronizationScoping,
//     EntryMatching, then EntryExportAdd, EntryExportUpdate,
//     EntryExportUpdateSoftDelete or EntrySynchronizationSkip);
//     sourceIdentity.id is the externalId and its details carry the bulkId;
//     one cycleId per request; durationInMilliseconds is the delay;
//     modifiedProperties name SCIM attribute paths, not Entra properties.
//     A new user without userName fails with AttributeValueRequired, a
//     userName another externalId holds with
//     AzureActiveDirectoryConflictEntries (errorCategory
//     nonServiceFailure, with a reason and a recommended action); an
//     injected failure (InjectInboundFailure) comes first, with the
//     injected errorCategory and errorCode. The job need not be started.
//   - The provisioning logs: $filter takes clauses joined by "and", as
//     Graph documents them: eq with an OData string literal (quotes
//     doubled) on id, tenantId, jobId, cycleId, changeId,
//     provisioningAction, provisioningStatusInfo/status,
//     servicePrincipal/id, servicePrincipal/displayName,
//     sourceIdentity/id, /displayName and /identityType, the same of
//     targetIdentity, sourceSystem/displayName, targetSystem/displayName
//     and initiatedBy/displayName; contains(property,'text') on the same
//     but servicePrincipal's (documented for eq only); activityDateTime
//     eq, gt and lt with an unquoted DateTimeOffset;
//     durationInMilliseconds eq, gt and lt with an integer; in beta also
//     the deprecated action and statusInfo/status (eq, contains), which
//     the fake's events do not carry. Text compares with regard to case,
//     but the status without, as documented. $orderby takes
//     activityDateTime, asc (the default) or desc. Anything else (or,
//     not, parentheses, startswith and other functions, ne, ge, le, other
//     properties), and any query option but $filter, $orderby, $top and
//     $skiptoken, is 400 BadRequest "Invalid filter clause: ..." or
//     similar. The fake's own readings: property, function and
//     direction names match without regard to case (the documented
//     Location writes "jobid"); spaces may surround contains's
//     arguments; servicePrincipal/name, the name the property's
//     description uses, compares the metadata's displayName;
//     durationInMilliseconds is taken in v1.0 too (the current reference
//     documents it for beta, an earlier v1.0 page listed it); a property
//     of an object Graph sent as null compares as "", and a null
//     duration matches no comparison. A page holds $top events (1 to
//     1000), 100 without it; without $orderby events come oldest first.
//     The $skiptoken of the nextLink is a position in the log: oldest
//     first, events written between pages come on later pages; newest
//     first, they would belong before the first page and are not served.
//     The Location of an accepted bulkUpload and the nextLink point at
//     the fake's own URL; the Location keeps the documented form (jobid,
//     a trailing slash).
//   - Simulated cycles (Options.CycleLength) are the fake's own: their
//     length, that they follow one another without a pause (Graph waits
//     for the schedule's interval), that the initial cycle takes every
//     registered user and group (Graph takes those assigned and in scope)
//     and reports progress in "Entries", that an incremental cycle logs
//     only its escrows, and the shape of their events (a user or group
//     created in the directory the template names). Graph does not
//     document how a run's activityIdentifier relates to the cycleId of
//     its provisioning events: the fake makes them equal. A fake left idle
//     writes the initial cycle and at most the last 100 incremental
//     cycles that came due.
//   - QuarantineJob's quarantine: its error (code InjectedQuarantine, the
//     fake's wording), its nextAttempt six hours on (Entra's first
//     retry), and that no cycle runs while it lasts (Graph retries less
//     and less often). InjectEscrows' escrows: their events fail with
//     code InjectedEscrow, the last run shows them at once (Graph would
//     at the end of the next cycle), and a cycle with escrows still
//     reaches steady state (as Entra's cloud sync example shows) but is
//     not a successful run.
//   - Start lifts a quarantine, as Graph's reference says. A restart
//     without criteria resets nothing in the fake, though the reference
//     likens it to resetting QuarantineState, Watermark and Escrows.
package graphtest
