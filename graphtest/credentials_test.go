package graphtest_test

import (
	"errors"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/models"
)

func TestValidateCredentialsClient(t *testing.T) {
	srv, c := newServer(t, nil)
	job, _ := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	creds := []models.SecretKeyValue{{Key: models.CredentialBaseAddress, Value: models.NewSecret("https://scim.example.com")},
		{Key: models.CredentialSecretToken, Value: models.NewSecret("s3cret-token")}}
	if err := c.ValidateCredentials(ctx, "sp", job.ID, models.ValidateCredentialsRequest{Credentials: creds}); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	if last := reqs[len(reqs)-1]; last.Status != http.StatusNoContent || !strings.HasSuffix(last.Path, "/validateCredentials") {
		t.Fatalf("answered %d to %s", last.Status, last.Path)
	}
	if err := c.ValidateCredentials(ctx, "sp", job.ID, models.ValidateCredentialsRequest{Credentials: creds, TemplateID: "scim"}); err != nil {
		t.Fatal(err)
	}

	var re *graphsync.ResponseError
	err := c.ValidateCredentials(ctx, "sp", job.ID, models.ValidateCredentialsRequest{Credentials: creds, TemplateID: "other"})
	if !errors.As(err, &re) || re.StatusCode != http.StatusBadRequest {
		t.Fatalf("an unknown templateId: %v", err)
	}
	saved := models.ValidateCredentialsRequest{UseSavedCredentials: new(true)}
	err = c.ValidateCredentials(ctx, "sp", job.ID, saved)
	if !errors.As(err, &re) || re.StatusCode != http.StatusBadRequest {
		t.Fatalf("useSavedCredentials with nothing saved: %v", err)
	}
	if err := c.SaveSecrets(ctx, "sp", creds); err != nil {
		t.Fatal(err)
	}
	if err := c.ValidateCredentials(ctx, "sp", job.ID, saved); err != nil {
		t.Fatalf("useSavedCredentials after SaveSecrets: %v", err)
	}
	if err := c.ValidateCredentials(ctx, "sp", "nope", saved); !errors.Is(err, graphsync.ErrNotFound) {
		t.Fatalf("an unknown job: %v", err)
	}
}

func TestValidateCredentialsRaw(t *testing.T) {
	srv, c := newServer(t, nil)
	job, _ := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	path := spPath + "/jobs/" + job.ID + "/validateCredentials"

	// The documentation's requests: beta's as published, v1.0's with its
	// member names quoted.
	beta, err := os.ReadFile("../testdata/graphdocs/validate_credentials_request_beta.json")
	if err != nil {
		t.Fatal(err)
	}
	v1, err := os.ReadFile("../testdata/graphdocs/validate_credentials_request.txt")
	if err != nil {
		t.Fatal(err)
	}
	v1 = regexp.MustCompile(`(\w+):`).ReplaceAll(v1, []byte(`"$1":`))
	for _, body := range [][]byte{beta, v1, gzipped(t, beta)} {
		var header []string
		if body[0] == 0x1f {
			header = []string{"Content-Encoding", "gzip"}
		}
		if resp, b := rawRequest(t, srv, "POST", path, body, header...); resp.StatusCode != http.StatusNoContent {
			t.Fatalf("%d %s for\n%s", resp.StatusCode, b, body)
		}
	}
	ok := `{"credentials":[{"key":"UserName","value":"s3cret"}],"templateId":"scim","applicationIdentifier":"app","@odata.type":"x"}`
	if resp, b := rawRequest(t, srv, "POST", path, []byte(ok)); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}

	for _, body := range []string{
		``,
		`s3cret`,
		`["s3cret"]`,
		`{}`,
		`{"credentials":[]}`,
		`{"credentials":null}`,
		`{"credentials":"s3cret"}`,
		`{"credentials":["s3cret"]}`,
		`{"credentials":[{"value":"s3cret"}]}`,
		`{"credentials":[{"key":"","value":"s3cret"}]}`,
		`{"credentials":[{"key":"UserName"}]}`,
		`{"credentials":[{"key":"UserName","value":17}]}`,
		`{"credentials":[{"key":"UserName","value":"s3cret","extra":1}]}`,
		`{"credentials":[{"key":"UserName","value":"s3cret"}],"templateId":"nope"}`,
		`{"credentials":[{"key":"UserName","value":"s3cret"}],"templateId":7}`,
		`{"credentials":[{"key":"UserName","value":"s3cret"}],"password":"x"}`,
		`{"useSavedCredentials":true}`,
		`{"useSavedCredentials":"yes"}`,
		`{"useSavedCredentials":false}`,
		`{"applicationIdentifier":"app"}`,
		`{"applicationIdentifier":"app","credentials":[]}`,
		`{"credentials":[{"key":"UserName","value":"s3cret"}],"applicationIdentifier":5}`,
	} {
		resp, b := rawRequest(t, srv, "POST", path, []byte(body))
		e := wantError(t, resp, b, http.StatusBadRequest, "BadRequest")
		if strings.Contains(e.Error.Message, "s3cret") {
			t.Fatalf("the error quotes a secret: %s", e.Error.Message)
		}
	}
	resp, b := rawRequest(t, srv, "POST", spPath+"/jobs/nope/validateCredentials", []byte(ok))
	wantError(t, resp, b, http.StatusNotFound, "Request_ResourceNotFound")
	resp, b = rawRequest(t, srv, "GET", path, nil)
	wantError(t, resp, b, http.StatusMethodNotAllowed, "BadRequest")

	// An empty value array is refused.
	resp, b = rawRequest(t, srv, "PUT", spPath+"/secrets", []byte(`{"value":[]}`))
	wantError(t, resp, b, http.StatusBadRequest, "BadRequest")
	// Saved secrets make useSavedCredentials valid.
	if resp, b := rawRequest(t, srv, "PUT", spPath+"/secrets", []byte(`{"value":[{"key":"SecretToken","value":"t"}]}`)); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("secrets: %d %s", resp.StatusCode, b)
	}
	if resp, b := rawRequest(t, srv, "POST", path, []byte(`{"useSavedCredentials":true}`)); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
}

// Before any job exists, credentials are checked against a template of
// the service principal (Graph's cross-tenant synchronization tutorial).
func TestValidateTemplateCredentials(t *testing.T) {
	srv, c := newServer(t, nil)
	srv.AddServicePrincipal("sp", "Azure2Azure")
	doc, err := os.ReadFile("../testdata/graphdocs/validate_template_credentials_request.json")
	if err != nil {
		t.Fatal(err)
	}
	path := spPath + "/jobs/validateCredentials"
	if resp, b := rawRequest(t, srv, "POST", path, doc); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("the documented request: %d %s", resp.StatusCode, b)
	}
	for _, body := range []string{
		`{"credentials":[{"key":"CompanyId","value":"s3cret"}]}`,
		`{"credentials":[{"key":"CompanyId","value":"s3cret"}],"templateId":""}`,
		`{"credentials":[{"key":"CompanyId","value":"s3cret"}],"templateId":"scim"}`,
		`{"useSavedCredentials":false,"templateId":"Azure2Azure"}`,
	} {
		resp, b := rawRequest(t, srv, "POST", path, []byte(body))
		if e := wantError(t, resp, b, http.StatusBadRequest, "BadRequest"); strings.Contains(e.Error.Message, "s3cret") {
			t.Fatalf("the error quotes a secret: %s", e.Error.Message)
		}
	}
	resp, b := rawRequest(t, srv, "GET", path, nil)
	wantError(t, resp, b, http.StatusMethodNotAllowed, "BadRequest")

	req := models.ValidateCredentialsRequest{TemplateID: "Azure2Azure", UseSavedCredentials: new(false),
		Credentials: []models.SecretKeyValue{{Key: models.CredentialCompanyID, Value: models.NewSecret("tenant")}}}
	if err := c.ValidateTemplateCredentials(ctx, "sp", req); err != nil {
		t.Fatal(err)
	}
	if got := srv.Requests(); got[len(got)-1].Path != path || got[len(got)-1].Status != http.StatusNoContent {
		t.Fatalf("last request %+v", got[len(got)-1])
	}
	req.TemplateID = "scim"
	if err := c.ValidateTemplateCredentials(ctx, "sp", req); !errors.As(err, new(*graphsync.ResponseError)) {
		t.Fatalf("a template the service principal does not have: %v", err)
	}
}

// acquireAccessToken, on a service principal and on an application: the
// documented request, sent as any client would, and well-formed
// credentials get 204.
func TestAcquireAccessToken(t *testing.T) {
	srv, c := newServer(t, nil)
	srv.AddApplication("{applicationsId}")
	doc, err := os.ReadFile("../testdata/graphdocs/acquireaccesstoken_request.json")
	if err != nil {
		t.Fatal(err)
	}
	appPath := "/v1.0/applications/%7BapplicationsId%7D/synchronization/acquireAccessToken"
	for _, path := range []string{spPath + "/acquireAccessToken", appPath, "/beta/applications/%7BapplicationsId%7D/synchronization/acquireAccessToken"} {
		if resp, b := rawRequest(t, srv, "POST", path, doc); resp.StatusCode != http.StatusNoContent {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, b)
		}
	}
	for _, body := range []string{
		``, `[]`, `{}`, `{"credentials":null}`, `{"credentials":[]}`, `{"credentials":"s3cret"}`, `{"credentials":["s3cret"]}`,
		`{"credentials":[{"value":"s3cret"}]}`, `{"credentials":[{"key":" ","value":"s3cret"}]}`, `{"credentials":[{"key":"k","value":7}]}`,
		`{"credentials":[{"key":"k","value":"s3cret","other":1}]}`, `{"credentials":[{"@odata.type":"microsoft.graph.x"}]}`,
		`{"credentials":[{"key":"k","value":"s3cret"}],"password":"s3cret"}`,
	} {
		resp, b := rawRequest(t, srv, "POST", appPath, []byte(body))
		if e := wantError(t, resp, b, http.StatusBadRequest, "BadRequest"); strings.Contains(e.Error.Message, "s3cret") {
			t.Fatalf("the error quotes a secret: %s", e.Error.Message)
		}
	}
	resp, b := rawRequest(t, srv, "POST", "/v1.0/applications/nope/synchronization/acquireAccessToken", doc)
	wantError(t, resp, b, http.StatusNotFound, "Request_ResourceNotFound")
	resp, b = rawRequest(t, srv, "GET", appPath, nil)
	wantError(t, resp, b, http.StatusMethodNotAllowed, "BadRequest")
	resp, b = rawRequest(t, srv, "POST", "/v1.0/applications/{applicationsId}/synchronization/other", doc)
	wantError(t, resp, b, http.StatusBadRequest, "BadRequest")

	creds := []models.SecretKeyValue{{Key: models.CredentialOauth2AuthorizationCode, Value: models.NewSecret("code")},
		{Key: models.CredentialOauth2RedirectURI, Value: models.NewSecret("https://portal.azure.com/TokenAuthorize")}}
	if err := c.AcquireAccessToken(ctx, "sp", creds); err != nil {
		t.Fatal(err)
	}
	created, err := c.InstantiateApplicationTemplate(ctx, "8adf8e6e-67b2-4cf2-a259-e3dc5476c621", "x")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AcquireApplicationAccessToken(ctx, created.Application.ObjectID(), creds); err != nil {
		t.Fatalf("an instantiated application: %v", err)
	}
	if err := c.AcquireAccessToken(ctx, "nope", creds); statusOf(err) != http.StatusNotFound {
		t.Fatalf("an unknown service principal: %v", err)
	}
}
