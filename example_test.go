package graphsync_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

func ExampleNewClient() {
	// Against real Graph, pass an azidentity credential, e.g.
	//   cred, err := azidentity.NewDefaultAzureCredential(nil)
	// Here the fake Graph issues its own credential.
	srv := graphtest.NewServer(nil)
	defer srv.Close()

	client, err := graphsync.NewClient(srv.Credential(), &graphsync.ClientOptions{
		BaseURL:   srv.URL, // omit for https://graph.microsoft.com
		UserAgent: "example/1.0",
	})
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.GetJob(context.Background(), "no-such-sp", "job")
	fmt.Println(err != nil)
	// Output: true
}

func ExampleClient_CreateJob() {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp-1", "BoxOutDelta")
	client, _ := srv.NewClient()
	ctx := context.Background()

	job, err := client.CreateJob(ctx, "sp-1", models.SynchronizationJob{TemplateID: "BoxOutDelta"})
	if err != nil {
		log.Fatal(err)
	}
	_, fits := job.Schedule.Interval.Duration()
	fmt.Println(job.TemplateID, job.Schedule.State, job.Status.Code)
	fmt.Println("interval:", job.Schedule.Interval, "never:", job.Schedule.Interval.IsMax(), "fits time.Duration:", fits == nil)

	if err := client.StartJob(ctx, "sp-1", job.ID, nil); err != nil {
		log.Fatal(err)
	}
	job, _ = client.GetJob(ctx, "sp-1", job.ID)
	fmt.Println(job.Schedule.State, job.Status.Code)
	// Output:
	// BoxOutDelta Disabled NotConfigured
	// interval: P10675199DT2H48M5.4775807S never: true fits time.Duration: false
	// Active Active
}

func ExampleClient_ProvisionOnDemand() {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp-1")
	srv.AddUser("9bb0f679-a883-4a6f-8260-35b491b8b8c8", "BillBob@contoso.com")
	client, _ := srv.NewClient()
	ctx := context.Background()
	job, _ := client.CreateJob(ctx, "sp-1", models.SynchronizationJob{TemplateID: "scim"})

	// The ruleId comes from the job's schema; the fake's jobs carry one
	// rule for users and groups.
	rule := srv.RuleID("sp-1", job.ID, models.ObjectTypeUser)
	req := models.NewProvisionRequest(rule, models.User("9bb0f679-a883-4a6f-8260-35b491b8b8c8"))
	for range 2 {
		res, err := client.ProvisionOnDemand(ctx, "sp-1", job.ID, req)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(res.Key.Result, res.Value.Action, res.Key.Details.ErrorCode, len(res.Value.ProvisioningSteps), "steps")
	}
	res, _ := client.ProvisionOnDemand(ctx, "sp-1", job.ID, models.NewProvisionRequest(rule, models.User("unknown")))
	fmt.Println(res.Key.Result, res.Key.Details.ErrorCode, res.FailedStep().Name)
	// Output:
	// Success Create  3 steps
	// Skipped Other RedundantExport 3 steps
	// Failure EntryNotFound EntryImport
}

func ExampleClient_GetJob() {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp-1")
	client, _ := srv.NewClient()
	ctx := context.Background()
	created, _ := client.CreateJob(ctx, "sp-1", models.SynchronizationJob{TemplateID: "scim"})

	job, err := client.GetJob(ctx, "sp-1", created.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(job.TemplateID, job.Schedule.State, job.Status.Code)
	fmt.Println("ever reached steady state:", !models.IsNever(job.Status.SteadyStateLastAchievedTime))

	_, err = client.GetJob(ctx, "sp-1", "no-such-job")
	fmt.Println(errors.Is(err, graphsync.ErrNotFound))
	// Output:
	// scim Disabled NotConfigured
	// ever reached steady state: false
	// true
}

func ExampleClient_ListJobs() {
	srv := graphtest.NewServer(&graphtest.Options{PageSize: 1}) // one job per page
	defer srv.Close()
	srv.AddServicePrincipal("sp-1", "scim", "BoxOutDelta")
	client, _ := srv.NewClient()
	ctx := context.Background()
	client.CreateJob(ctx, "sp-1", models.SynchronizationJob{TemplateID: "scim"})
	client.CreateJob(ctx, "sp-1", models.SynchronizationJob{TemplateID: "BoxOutDelta"})

	jobs, err := client.ListJobs(ctx, "sp-1") // follows @odata.nextLink
	if err != nil {
		log.Fatal(err)
	}
	for _, j := range jobs {
		fmt.Println(j.TemplateID, j.Schedule.State)
	}
	// Output:
	// scim Disabled
	// BoxOutDelta Disabled
}

func ExampleClient_UpdateJob() {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp-1")
	client, _ := srv.NewClient()
	ctx := context.Background()
	job, _ := client.CreateJob(ctx, "sp-1", models.SynchronizationJob{TemplateID: "scim"})

	// Send only what changes: here the interval between runs.
	err := client.UpdateJob(ctx, "sp-1", job.ID, models.SynchronizationJob{
		Schedule: &models.SynchronizationSchedule{Interval: models.NewDuration(40 * time.Minute)},
	})
	if err != nil {
		log.Fatal(err)
	}
	job, _ = client.GetJob(ctx, "sp-1", job.ID)
	d, _ := job.Schedule.Interval.Duration()
	fmt.Println(job.Schedule.Interval, d)
	// Output: PT40M 40m0s
}

func ExampleClient_DeleteJob() {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp-1")
	client, _ := srv.NewClient()
	ctx := context.Background()
	job, _ := client.CreateJob(ctx, "sp-1", models.SynchronizationJob{TemplateID: "scim"})

	if err := client.DeleteJob(ctx, "sp-1", job.ID); err != nil {
		log.Fatal(err)
	}
	err := client.DeleteJob(ctx, "sp-1", job.ID)
	fmt.Println(errors.Is(err, graphsync.ErrNotFound))
	// Output: true
}

func ExampleClient_StartJob() {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp-1")
	client, _ := srv.NewClient()
	ctx := context.Background()
	job, _ := client.CreateJob(ctx, "sp-1", models.SynchronizationJob{TemplateID: "scim"}) // created Disabled

	if err := client.StartJob(ctx, "sp-1", job.ID, nil); err != nil {
		log.Fatal(err)
	}
	job, _ = client.GetJob(ctx, "sp-1", job.ID) // the job runs in the background: poll its status
	fmt.Println(job.Schedule.State, job.Status.Code, job.Status.LastExecution.State)

	// Starting a running job can stop the service: StartJob reads the
	// job's state first and refuses.
	err := client.StartJob(ctx, "sp-1", job.ID, nil)
	fmt.Println(errors.Is(err, graphsync.ErrJobActive))
	client.PauseJob(ctx, "sp-1", job.ID)
	fmt.Println(client.StartJob(ctx, "sp-1", job.ID, nil)) // a paused job is resumed
	// Output:
	// Active Active Succeeded
	// true
	// <nil>
}

func ExampleClient_PauseJob() {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp-1")
	client, _ := srv.NewClient()
	ctx := context.Background()
	job, _ := client.CreateJob(ctx, "sp-1", models.SynchronizationJob{TemplateID: "scim"})
	client.StartJob(ctx, "sp-1", job.ID, nil)

	if err := client.PauseJob(ctx, "sp-1", job.ID); err != nil {
		log.Fatal(err)
	}
	job, _ = client.GetJob(ctx, "sp-1", job.ID)
	fmt.Println(job.Schedule.State, job.Status.Code)
	// Output: Paused Paused
}

func ExampleClient_RestartJob() {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp-1")
	client, _ := srv.NewClient()
	ctx := context.Background()
	job, _ := client.CreateJob(ctx, "sp-1", models.SynchronizationJob{TemplateID: "scim"})

	scope := models.ResetWatermark | models.ResetEscrows // sent as "Watermark, Escrows"
	if err := client.RestartJob(ctx, "sp-1", job.ID, scope); err != nil {
		log.Fatal(err)
	}
	job, _ = client.GetJob(ctx, "sp-1", job.ID)
	fmt.Println(scope, "→", job.Status.Code)
	// Output: Watermark, Escrows → Active
}

func ExampleClient_ListTemplates() {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp-1", "scim", "BoxOutDelta")
	client, _ := srv.NewClient()

	templates, err := client.ListTemplates(context.Background(), "sp-1")
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range templates {
		fmt.Println(t.ID, "default:", t.Default) // t.ID is what CreateJob's TemplateID takes
	}
	// Output:
	// scim default: true
	// BoxOutDelta default: false
}

func ExampleClient_SaveSecrets() {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp-1")
	client, _ := srv.NewClient()

	err := client.SaveSecrets(context.Background(), "sp-1", []models.SecretKeyValue{
		{Key: models.CredentialBaseAddress, Value: models.NewSecret("https://scim.example.com/v2")},
		{Key: models.CredentialSecretToken, Value: models.NewSecret("s3cr3t")},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range srv.Secrets("sp-1") {
		fmt.Println(s) // formatting never shows a value
	}
	// Output:
	// {BaseAddress <redacted>}
	// {SecretToken <redacted>}
}

func ExampleClient_GetJobSchema() {
	client, done := exampleClient() // a Client of the fake Graph at the end of this file
	defer done()
	ctx := context.Background()

	schema, err := client.GetJobSchema(ctx, "sp-1", "scim.job-1")
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range schema.SynchronizationRules {
		fmt.Printf("rule %s: %s → %s\n", r.Name, r.SourceDirectoryName, r.TargetDirectoryName)
		for _, m := range r.ObjectMappings {
			fmt.Printf("  %s → %s, %d attributes\n", m.SourceObjectName, m.TargetObjectName, len(m.AttributeMappings))
		}
	}
	// provisionOnDemand needs the rule's ID with every subject.
	ruleID, err := schema.RuleFor("user")
	fmt.Println("rule for users:", ruleID, err)
	_, err = schema.RuleFor("Device")
	fmt.Println(errors.Is(err, models.ErrNoRule))
	// Output:
	// rule USER_OUTBOUND_USER: Azure Active Directory → customappsso
	//   User → User, 2 attributes
	//   Group → Group, 1 attributes
	// rule for users: 03f7d90d-bf71-41b1-bda6-aaf0ddbee5d8 <nil>
	// true
}

func ExampleClient_UpdateJobSchema() {
	client, done := exampleClient()
	defer done()
	ctx := context.Background()

	// A PUT replaces the whole schema: read it, change it, write it back.
	schema, err := client.GetJobSchema(ctx, "sp-1", "scim.job-1")
	if err != nil {
		log.Fatal(err)
	}
	users := &schema.SynchronizationRules[0].ObjectMappings[0]
	users.AttributeMappings = append(users.AttributeMappings, models.AttributeMapping{
		TargetAttributeName: "title",
		Source:              &models.AttributeMappingSource{Type: models.SourceAttribute, Name: "jobTitle", Expression: "[jobTitle]"},
	})
	if err := client.UpdateJobSchema(ctx, "sp-1", "scim.job-1", *schema); err != nil {
		log.Fatal(err)
	}

	schema, _ = client.GetJobSchema(ctx, "sp-1", "scim.job-1")
	for _, m := range schema.SynchronizationRules[0].ObjectMappings[0].AttributeMappings {
		src := "(default " + m.DefaultValue + ")"
		if m.Source != nil {
			src = m.Source.Expression
		}
		fmt.Println(m.TargetAttributeName, "←", src)
	}
	// Everything read is kept and written back: an attribute's
	// apiExpressions, and members the models do not name (in Extra).
	fmt.Println(schema.Directories[0].Objects[0].Attributes[0].APIExpressions)
	// Output:
	// userName ← [userPrincipalName]
	// active ← Not([IsSoftDeleted])
	// title ← [jobTitle]
	// []
}

func ExampleClient_ResetJobSchema() {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp-1")
	client, _ := srv.NewClient()
	ctx := context.Background()
	job, _ := client.CreateJob(ctx, "sp-1", models.SynchronizationJob{TemplateID: "scim"})
	mappings := func() int {
		s, err := client.GetJobSchema(ctx, "sp-1", job.ID)
		if err != nil {
			log.Fatal(err)
		}
		return len(s.SynchronizationRules[0].ObjectMappings[0].AttributeMappings)
	}
	fmt.Println("the template's:", mappings())

	schema, _ := client.GetJobSchema(ctx, "sp-1", job.ID)
	users := &schema.SynchronizationRules[0].ObjectMappings[0]
	users.AttributeMappings = users.AttributeMappings[:1] // userName only
	if err := client.UpdateJobSchema(ctx, "sp-1", job.ID, *schema); err != nil {
		log.Fatal(err)
	}
	fmt.Println("customized:", mappings())

	// Back to the template's schema: every customization is gone.
	if err := client.ResetJobSchema(ctx, "sp-1", job.ID); err != nil {
		log.Fatal(err)
	}
	fmt.Println("reset:", mappings())
	// Output:
	// the template's: 8
	// customized: 1
	// reset: 8
}

func ExampleClient_ListSchemaFunctions() {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp-1")
	client, _ := srv.NewClient()
	ctx := context.Background()
	job, _ := client.CreateJob(ctx, "sp-1", models.SynchronizationJob{TemplateID: "scim"})

	functions, err := client.ListSchemaFunctions(ctx, "sp-1", job.ID)
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range functions {
		if f.FunctionName() != "Join" && f.FunctionName() != "Mid" {
			continue
		}
		var params []string
		for _, p := range f.Parameters {
			s := p.Name + " " + string(p.Type)
			if p.AllowMultipleOccurrences {
				s += "..."
			}
			params = append(params, s)
		}
		fmt.Printf("%s(%s)\n", f.FunctionName(), strings.Join(params, ", "))
	}
	// Output:
	// Join(separator String, source String...)
	// Mid(source String, start Integer, length Integer)
}

func ExampleClient_ListFilterOperators() {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp-1")
	client, _ := srv.NewClient()
	ctx := context.Background()
	job, _ := client.CreateJob(ctx, "sp-1", models.SynchronizationJob{TemplateID: "scim"})

	operators, err := client.ListFilterOperators(ctx, "sp-1", job.ID)
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range operators[:3] {
		fmt.Println(o.Name, o.Arity, o.SupportedAttributeTypes)
	}
	// Output:
	// EQUALS Binary [Integer String]
	// IS FALSE Unary [Boolean]
	// IS NOT NULL Unary [Integer String Binary Boolean]
}

func ExampleClient_ParseExpression() {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp-1")
	client, _ := srv.NewClient()
	ctx := context.Background()
	job, _ := client.CreateJob(ctx, "sp-1", models.SynchronizationJob{TemplateID: "scim"})

	res, err := client.ParseExpression(ctx, "sp-1", job.ID, models.ParseExpressionRequest{
		Expression: `Replace([preferredLanguage], "-", , , "_", , )`,
		TestInputObject: &models.ExpressionInputObject{Properties: []models.StringKeyObjectValuePair{
			models.Property("preferredLanguage", "EN-US"),
			models.Property("proxyAddresses", ""), // an empty value is sent
		}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.ParsingSucceeded, res.EvaluationSucceeded, res.EvaluationResult)
	for _, p := range res.ParsedExpression.Parameters { // empty arguments are left out
		fmt.Printf("  %s = %s (%s)\n", p.Key, p.Value.Expression, p.Value.Type)
	}

	// A syntax error is an answer, not an error of the call.
	res, err = client.ParseExpression(ctx, "sp-1", job.ID, models.ParseExpressionRequest{Expression: `Append([mail] ".test")`})
	fmt.Println(err, res.ParsingSucceeded, res.Error.Message)
	// Output:
	// true true [EN_US]
	//   source = [preferredLanguage] (Attribute)
	//   Find = "-" (Constant)
	//   Replacement = "_" (Constant)
	// <nil> false Expected "," or ")" after an argument of "Append", found "\".test\")" (line 1, column 15).
}

func ExampleClient_DiscoverDirectory() {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp-1")
	client, _ := srv.NewClient()
	ctx := context.Background()
	job, _ := client.CreateJob(ctx, "sp-1", models.SynchronizationJob{TemplateID: "scim"})

	// The directory IDs are the schema's.
	schema, err := client.GetJobSchema(ctx, "sp-1", job.ID)
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range schema.Directories {
		if d.Name != "customappsso" {
			continue
		}
		discovered, err := client.DiscoverDirectory(ctx, "sp-1", job.ID, d.ID)
		if err != nil {
			log.Fatal(err)
		}
		_, err = discovered.DiscoveryDateTime.Time()
		fmt.Println(discovered.Name, discovered.Discoverabilities, "discovered:", err == nil)
		for _, o := range discovered.Objects {
			fmt.Println(" ", o.Name, len(o.Attributes), "attributes")
		}
	}
	// Output:
	// customappsso AttributeNames, AttributeDataTypes discovered: true
	//   urn:ietf:params:scim:schemas:extension:enterprise:2.0:User 8 attributes
	//   urn:ietf:params:scim:schemas:core:2.0:Group 3 attributes
}

func ExampleClient_GetTemplate() {
	client, done := exampleClient()
	defer done()

	tpl, err := client.GetTemplate(context.Background(), "sp-1", "scim")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tpl.ID, tpl.FactoryTag)
	for _, m := range tpl.Metadata {
		fmt.Println(m.Key, "=", m.Value)
	}
	ruleID, _ := tpl.Schema.RuleFor("Group") // jobs created from it start with this schema
	fmt.Println("group rule:", ruleID)
	// Output:
	// scim CustomSCIM
	// GalleryApplicationKey = customappsso
	// IsOAuthEnabled = false
	// group rule: 03f7d90d-bf71-41b1-bda6-aaf0ddbee5d8
}

func ExampleClient_ValidateCredentials() {
	client, done := exampleClient()
	defer done()
	ctx := context.Background()

	req := models.ValidateCredentialsRequest{Credentials: []models.SecretKeyValue{
		{Key: models.CredentialBaseAddress, Value: models.NewSecret("https://scim.example.com/v2")},
		{Key: models.CredentialSecretToken, Value: models.NewSecret("expired-token")},
	}}
	fmt.Println(req.Credentials) // formatting never shows a secret
	var re *graphsync.ResponseError
	if err := client.ValidateCredentials(ctx, "sp-1", "scim.job-1", req); errors.As(err, &re) {
		fmt.Println(re.StatusCode, re.Code)
	}

	req.Credentials[1].Value = models.NewSecret("valid-token")
	if err := client.ValidateCredentials(ctx, "sp-1", "scim.job-1", req); err == nil {
		fmt.Println("the credentials work: save them with SaveSecrets")
	}
	// Output:
	// [{BaseAddress <redacted>} {SecretToken <redacted>}]
	// 400 CredentialsInvalid
	// the credentials work: save them with SaveSecrets
}

func ExampleClient_ValidateTemplateCredentials() {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp-1", "Azure2Azure") // a cross-tenant synchronization app
	client, _ := srv.NewClient()

	// Before any job exists: the template's settings apply. What is set is
	// sent, an explicit false included.
	err := client.ValidateTemplateCredentials(context.Background(), "sp-1", models.ValidateCredentialsRequest{
		TemplateID:          "Azure2Azure",
		UseSavedCredentials: new(false),
		Credentials: []models.SecretKeyValue{
			{Key: models.CredentialCompanyID, Value: models.NewSecret("9c5d2a4e-0000-4000-8000-000000000001")},
			{Key: models.CredentialAuthenticationType, Value: models.NewSecret("SyncPolicy")},
		},
	})
	fmt.Println(err)
	r := srv.Requests()[0]
	fmt.Println(r.Method, r.Path, r.Status)
	// Output:
	// <nil>
	// POST /v1.0/servicePrincipals/sp-1/synchronization/jobs/validateCredentials 204
}

func ExampleClient_InstantiateApplicationTemplate() {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	client, _ := srv.NewClient()
	ctx := context.Background()

	// An application of one's own (the non-gallery template): Graph creates
	// the application and its service principal.
	created, err := client.InstantiateApplicationTemplate(ctx, graphsync.NonGalleryTemplateID, "Contoso SCIM")
	if err != nil {
		log.Fatal(err)
	}
	sp := created.ServicePrincipal
	spID := sp.ObjectID() // what every synchronization call takes
	if err := client.WaitForServicePrincipal(ctx, spID, nil); err != nil {
		log.Fatal(err)
	}
	templates, err := client.ListTemplates(ctx, spID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sp.DisplayName, sp.AppID == created.Application.AppID, sp.AccountEnabled)
	fmt.Println("synchronization template:", templates[0].ID)
	// Output:
	// Contoso SCIM true true
	// synchronization template: scim
}

func ExampleClient_WaitForServicePrincipal() {
	// The fake answers 404 for a new service principal for 300 ms, as
	// Graph can for a while until Entra ID has replicated it.
	srv := graphtest.NewServer(&graphtest.Options{ReplicationDelay: 300 * time.Millisecond})
	defer srv.Close()
	client, _ := srv.NewClient()
	ctx := context.Background()

	created, err := client.InstantiateApplicationTemplate(ctx, "518e5f48-1fc8-4c48-9387-9fdf28b0dfe7", "Fabrikam")
	if err != nil {
		log.Fatal(err)
	}
	spID := created.ServicePrincipal.ObjectID()
	_, err = client.ListTemplates(ctx, spID)
	fmt.Println("at once:", errors.Is(err, graphsync.ErrNotFound))

	// Paced reads (here every 100 ms, doubling), for at most a minute.
	err = client.WaitForServicePrincipal(ctx, spID, &graphsync.WaitOptions{Interval: 100 * time.Millisecond, MaxWait: time.Minute})
	fmt.Println("waited:", err)
	templates, _ := client.ListTemplates(ctx, spID)
	fmt.Println("synchronization template:", templates[0].ID)
	// Output:
	// at once: true
	// waited: <nil>
	// synchronization template: Azure2Azure
}

func ExampleClient_AcquireAccessToken() {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp-1")
	client, _ := srv.NewClient()

	// What the application's OAuth flow gave back; values are secrets.
	creds := []models.SecretKeyValue{
		{Key: models.CredentialOauth2AuthorizationCode, Value: models.NewSecret("code-from-the-redirect")},
		{Key: models.CredentialOauth2RedirectURI, Value: models.NewSecret("https://portal.azure.com/TokenAuthorize")},
	}
	err := client.AcquireAccessToken(context.Background(), "sp-1", creds)
	fmt.Println(err, creds[0])
	// Output: <nil> {Oauth2AuthorizationCode <redacted>}
}

func ExampleClient_AcquireApplicationAccessToken() {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	client, _ := srv.NewClient()
	ctx := context.Background()

	created, err := client.InstantiateApplicationTemplate(ctx, graphsync.NonGalleryTemplateID, "Contoso")
	if err != nil {
		log.Fatal(err)
	}
	// The application's object ID, not its appId.
	err = client.AcquireApplicationAccessToken(ctx, created.Application.ObjectID(), []models.SecretKeyValue{
		{Key: models.CredentialOauth2AuthorizationCode, Value: models.NewSecret("code-from-the-redirect")},
	})
	fmt.Println(err)
	// No credentials: refused before anything is sent.
	err = client.AcquireApplicationAccessToken(ctx, created.Application.ObjectID(), nil)
	fmt.Println(errors.Is(err, graphsync.ErrInvalidInput))
	// Output:
	// <nil>
	// true
}

func ExampleClient_ProvisionMany() {
	client, done := exampleClient()
	defer done()
	ctx := context.Background()

	schema, err := client.GetJobSchema(ctx, "sp-1", "scim.job-1") // once per run
	if err != nil {
		log.Fatal(err)
	}
	var reqs []models.ProvisionRequest
	for _, s := range []models.Subject{
		models.User("9bb0f679-a883-4a6f-8260-35b491b8b8c8"),
		models.User("unchanged-user"),
		models.Group("8213fd99-d6b6-417b-8e13-af6334856215", "cbc86211-6ada-4803-b73f-8039cf56d8a2"),
	} {
		ruleID, err := schema.RuleFor(s.ObjectTypeName)
		if err != nil {
			log.Fatal(err)
		}
		reqs = append(reqs, models.NewProvisionRequest(ruleID, s))
	}

	// Paced by the Client's limiter: never more than 5 in any 10 seconds.
	var last graphsync.Progress
	results, err := client.ProvisionMany(ctx, "sp-1", "scim.job-1", reqs, &graphsync.ProvisionOptions{
		Progress: func(p graphsync.Progress) { last = p }, // called after each request
	})
	if err != nil {
		log.Fatal(err) // some requests were not sent; results says which
	}
	for _, r := range results {
		switch {
		case r.State != graphsync.RequestAnswered:
			fmt.Println(r.Index, r.State, r.Err)
		case r.Result.Skipped():
			fmt.Println(r.Index, "skipped:", r.Result.Key.Details.ErrorCode)
		default:
			fmt.Println(r.Index, r.Result.Key.Result)
		}
	}
	fmt.Printf("%d/%d done: %d succeeded, %d skipped, %d failed\n", last.Done, last.Total, last.Succeeded, last.Skipped, last.Failed)
	// Output:
	// 0 Success
	// 1 skipped: RedundantExport
	// 2 Success
	// 3/3 done: 2 succeeded, 1 skipped, 0 failed
}

func ExampleClient_ProvisionEach() {
	// A long run against graphtest: the results are handed over as they
	// come (to a journal, say) and none is kept.
	srv := graphtest.NewServer(&graphtest.Options{InProcess: true, DisableProvisionLimit: true})
	defer srv.Close()
	srv.AddServicePrincipal("sp-1")
	for i := range 12 {
		srv.AddUser(fmt.Sprintf("u-%02d", i), fmt.Sprintf("user%02d@contoso.com", i))
	}
	client, err := graphsync.NewClient(srv.Credential(), &graphsync.ClientOptions{
		BaseURL: srv.URL, Transport: srv.Transport(), DisableLimiter: true, // a fake: no need to pace
	})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	job, _ := client.CreateJob(ctx, "sp-1", models.SynchronizationJob{TemplateID: "scim"})
	rule := srv.RuleID("sp-1", job.ID, models.ObjectTypeUser)
	reqs := make([]models.ProvisionRequest, 12)
	for i := range reqs {
		reqs[i] = models.NewProvisionRequest(rule, models.User(fmt.Sprintf("u-%02d", i)))
	}

	counts := map[string]int{}
	err = client.ProvisionEach(ctx, "sp-1", job.ID, reqs, nil, func(r graphsync.RequestOutcome) {
		if r.State == graphsync.RequestAnswered {
			counts[string(r.Result.Key.Result)]++ // e.g. write a journal line here
		} else {
			counts[r.State.String()]++
		}
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(counts)
	// Output: map[Success:12]
}

// exampleClient returns a Client of a fake Graph that answers the schema,
// template, validateCredentials and provisionOnDemand calls of the
// examples, and a function that stops it. The fake keeps one job,
// "scim.job-1" of service principal "sp-1", whose schema a PUT replaces.
func exampleClient() (*graphsync.Client, func()) {
	var mu sync.Mutex
	schema := []byte(exampleSchema)
	mux := http.NewServeMux()
	const job = "/v1.0/servicePrincipals/sp-1/synchronization/jobs/scim.job-1"
	mux.HandleFunc("GET "+job+"/schema", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Write(schema)
	})
	mux.HandleFunc("PUT "+job+"/schema", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		schema, _ = io.ReadAll(r.Body)
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /v1.0/servicePrincipals/sp-1/synchronization/templates/scim", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"id":"scim","factoryTag":"CustomSCIM","metadata":[{"key":"GalleryApplicationKey","value":"customappsso"},
			{"key":"IsOAuthEnabled","value":"false"}],"schema":%s}`, exampleSchema)
	})
	mux.HandleFunc("POST "+job+"/validateCredentials", func(w http.ResponseWriter, r *http.Request) {
		var req models.ValidateCredentialsRequest
		json.NewDecoder(r.Body).Decode(&req)
		for _, c := range req.Credentials {
			if c.Key == models.CredentialSecretToken && c.Value.Reveal() == "valid-token" {
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		w.WriteHeader(http.StatusBadRequest) // the fake's code; Graph's may differ
		w.Write([]byte(`{"error":{"code":"CredentialsInvalid","message":"The SecretToken was refused."}}`))
	})
	mux.HandleFunc("POST "+job+"/provisionOnDemand", func(w http.ResponseWriter, r *http.Request) {
		var req models.ProvisionRequest
		json.NewDecoder(r.Body).Decode(&req)
		key := `{"result":"Success","details":{}}`
		if req.Parameters[0].Subjects[0].ObjectID == "unchanged-user" {
			key = `{"result":"Skipped","details":{"errorCode":"RedundantExport","errorMessage":"Nothing to change."}}`
		}
		json.NewEncoder(w).Encode(map[string]string{"key": key, "value": "{}"})
	})
	srv := httptest.NewServer(mux)
	client, err := graphsync.NewClient(exampleCredential{}, &graphsync.ClientOptions{BaseURL: srv.URL})
	if err != nil {
		log.Fatal(err)
	}
	return client, srv.Close
}

// exampleCredential is an azcore.TokenCredential for the fake; against
// Graph, use one of azidentity's.
type exampleCredential struct{}

func (exampleCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: "example", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// exampleSchema is a job schema as Graph returns it, shortened: one rule
// that maps Entra ID users and groups to a SCIM application.
const exampleSchema = `{
  "id": "scim.job-1",
  "version": "Date:2025-03-30T07:00:28.2095357Z, ActivityId:816f35a8-1135-4983-a437-8fc8494d7929",
  "synchronizationRules": [{
    "id": "03f7d90d-bf71-41b1-bda6-aaf0ddbee5d8",
    "name": "USER_OUTBOUND_USER",
    "editable": true,
    "priority": 1,
    "sourceDirectoryName": "Azure Active Directory",
    "targetDirectoryName": "customappsso",
    "metadata": [],
    "objectMappings": [{
      "enabled": true,
      "flowTypes": "Add, Update, Delete",
      "name": "Provision Azure Active Directory Users",
      "sourceObjectName": "User",
      "targetObjectName": "User",
      "scope": null,
      "metadata": [{"key": "Disposition", "value": "\"Normal\""}],
      "attributeMappings": [
        {"defaultValue": null, "flowType": "Always", "matchingPriority": 1, "targetAttributeName": "userName",
         "source": {"expression": "[userPrincipalName]", "name": "userPrincipalName", "parameters": [], "type": "Attribute"}},
        {"defaultValue": null, "flowType": "Always", "matchingPriority": 0, "targetAttributeName": "active",
         "source": {"expression": "Not([IsSoftDeleted])", "name": "Not", "type": "Function", "parameters": [
           {"key": "source", "value": {"expression": "[IsSoftDeleted]", "name": "IsSoftDeleted", "parameters": [], "type": "Attribute"}}]}}
      ]
    }, {
      "enabled": true,
      "flowTypes": "Add, Update, Delete",
      "name": "Provision Azure Active Directory Groups",
      "sourceObjectName": "Group",
      "targetObjectName": "Group",
      "scope": null,
      "attributeMappings": [
        {"defaultValue": null, "matchingPriority": 1, "targetAttributeName": "displayName",
         "source": {"expression": "[displayName]", "name": "displayName", "parameters": [], "type": "Attribute"}}
      ]
    }]
  }],
  "directories": [{
    "id": "66e4a8cc-1b7b-435e-95f8-f06cea133828",
    "name": "Azure Active Directory",
    "discoverabilities": "None",
    "discoveryDateTime": null,
    "readOnly": true,
    "objects": [{"name": "User", "supportedApis": [], "metadata": [], "attributes": [
      {"name": "userPrincipalName", "type": "String", "anchor": false, "apiExpressions": [], "metadata": [], "referencedObjects": []}
    ]}]
  }]
}`

func ExampleClient_BulkUpload() {
	// An in-file stand-in for Graph's bulkUpload endpoint: it counts the
	// users of each request and answers 202 Accepted.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req models.BulkUpload
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || r.Header.Get("Content-Type") != "application/scim+json" {
			http.Error(w, `{"error":{"code":"BadRequest","message":"Invalid Data Format"}}`, http.StatusBadRequest)
			return
		}
		fmt.Printf("Graph got %d users, the first %s\n", len(req.Operations), req.Operations[0].BulkID)
		w.Header().Set("Location", "https://graph.microsoft.com/v1.0/auditLogs/provisioning/?$filter=jobid%20eq%20'API2AAD.1'")
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	// Against Graph: any azcore.TokenCredential (azidentity), no BaseURL.
	client, err := graphsync.NewClient(&fakeCredential{}, &graphsync.ClientOptions{BaseURL: srv.URL})
	if err != nil {
		log.Fatal(err)
	}

	// 120 employees from an HR system, streamed into requests of 50.
	employees := func(yield func(models.SCIMUser) bool) {
		for i := 1; i <= 120; i++ {
			u := models.SCIMUser{
				ExternalID: fmt.Sprintf("E%04d", i),
				UserName:   fmt.Sprintf("e%04d@contoso.com", i),
				Active:     new(true),
				Enterprise: &models.EnterpriseUser{Department: "Tour Operations"},
			}
			if !yield(u) {
				return
			}
		}
	}
	for req := range models.BulkUploadChunks(employees) {
		receipt, err := client.BulkUpload(context.Background(), "sp-1", "API2AAD.1", req)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(receipt.StatusCode, receipt.Location)
	}
	// Output:
	// Graph got 50 users, the first E0001
	// 202 https://graph.microsoft.com/v1.0/auditLogs/provisioning/?$filter=jobid%20eq%20'API2AAD.1'
	// Graph got 50 users, the first E0051
	// 202 https://graph.microsoft.com/v1.0/auditLogs/provisioning/?$filter=jobid%20eq%20'API2AAD.1'
	// Graph got 20 users, the first E0101
	// 202 https://graph.microsoft.com/v1.0/auditLogs/provisioning/?$filter=jobid%20eq%20'API2AAD.1'
}

// logsServer is an in-file stand-in for Graph's provisioning logs: two
// pages, the first linking to the second.
func logsServer() *httptest.Server {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("$skiptoken") == "" {
			fmt.Println("$filter:", r.URL.Query().Get("$filter"))
			fmt.Fprintf(w, `{"value":[
				{"sourceIdentity":{"id":"E0001"},"provisioningAction":"create","provisioningStatusInfo":{"status":"success","errorInformation":null}},
				{"sourceIdentity":{"id":"E0002"},"provisioningAction":"other","provisioningStatusInfo":{"status":"skipped","errorInformation":null}}],
				"@odata.nextLink":"%s/v1.0/auditLogs/provisioning?$skiptoken=2"}`, srv.URL)
			return
		}
		io.WriteString(w, `{"value":[
			{"sourceIdentity":{"id":"E0003"},"provisioningAction":"update","provisioningStatusInfo":{"status":"failure",
			 "errorInformation":{"errorCode":"AzureActiveDirectoryInvalidUserPrincipalName","reason":"invalid UPN"}}}]}`)
	}))
	return srv
}

func ExampleClient_ListProvisioningLogs() {
	srv := logsServer()
	defer srv.Close()
	client, _ := graphsync.NewClient(&fakeCredential{}, &graphsync.ClientOptions{BaseURL: srv.URL})

	events, err := client.ListProvisioningLogs(context.Background(), models.ProvisioningLogQuery{
		JobID: "API2AAD.1",
		After: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		Top:   100,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, ev := range events {
		fmt.Println(ev.SourceIdentity.ID, ev.ProvisioningAction, ev.ProvisioningStatusInfo.Status)
	}
	// Output:
	// $filter: jobId eq 'API2AAD.1' and activityDateTime gt 2025-01-01T00:00:00Z
	// E0001 create success
	// E0002 other skipped
	// E0003 update failure
}

// The failed events of one job for users whose name contains "O'Neil",
// newest first: typed filters, quoted and ordered for Graph.
func ExampleClient_ListProvisioningLogs_failures() {
	// An in-file stand-in for Graph: it prints the query and answers one
	// failed event, whose duration Graph left null.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println("$filter:", r.URL.Query().Get("$filter"))
		fmt.Println("$orderby:", r.URL.Query().Get("$orderby"))
		io.WriteString(w, `{"value":[{"sourceIdentity":{"id":"E0007","displayName":"Rose O'Neil"},"provisioningAction":"update",
			"durationInMilliseconds":null,"provisioningStatusInfo":{"status":"failure","errorInformation":{
			"errorCode":"AzureActiveDirectoryInvalidUserPrincipalName","reason":"invalid UPN","additionalDetails":null}}}]}`)
	}))
	defer srv.Close()
	client, _ := graphsync.NewClient(&fakeCredential{}, &graphsync.ClientOptions{BaseURL: srv.URL})

	events, err := client.ListProvisioningLogs(context.Background(), models.ProvisioningLogQuery{
		JobID:    "API2AAD.1",
		Status:   models.LogStatusFailure,
		Contains: models.LogContains{SourceIdentityName: "O'Neil"},
		OrderBy:  models.LogNewestFirst,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, ev := range events {
		_, known := ev.Duration()
		fmt.Println(ev.SourceIdentity.DisplayName, ev.ProvisioningStatusInfo.ErrorInformation.ErrorCode, "duration known:", known)
		out, _ := json.Marshal(ev.ProvisioningStatusInfo.ErrorInformation)
		fmt.Println(string(out)) // the null stays null
	}
	// Output:
	// $filter: jobId eq 'API2AAD.1' and provisioningStatusInfo/status eq 'failure' and contains(sourceIdentity/displayName,'O''Neil')
	// $orderby: activityDateTime desc
	// Rose O'Neil AzureActiveDirectoryInvalidUserPrincipalName duration known: false
	// {"errorCode":"AzureActiveDirectoryInvalidUserPrincipalName","reason":"invalid UPN","additionalDetails":null}
}

func ExampleClient_ProvisioningLogs() {
	srv := logsServer()
	defer srv.Close()
	client, _ := graphsync.NewClient(&fakeCredential{}, &graphsync.ClientOptions{BaseURL: srv.URL})

	// Page by page, and only as far as needed: stop at the first failure.
	for ev, err := range client.ProvisioningLogs(context.Background(), models.ProvisioningLogQuery{JobID: "API2AAD.1"}) {
		if err != nil {
			log.Fatal(err)
		}
		if ev.ProvisioningStatusInfo.Status == models.LogStatusFailure {
			e := ev.ProvisioningStatusInfo.ErrorInformation
			fmt.Println("failed:", ev.SourceIdentity.ID, e.ErrorCode, e.Reason)
			break
		}
	}
	// Output:
	// $filter: jobId eq 'API2AAD.1'
	// failed: E0003 AzureActiveDirectoryInvalidUserPrincipalName invalid UPN
}
