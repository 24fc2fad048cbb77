package graphsync_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/models"
)

// refusedBeforeSending runs calls that must each fail with a
// *ValidationError naming field, and checks that none reached the server.
func refusedBeforeSending(t *testing.T, ts *testServer, cases []validationCase) {
	t.Helper()
	for _, tc := range cases {
		err := tc.call()
		var ve *graphsync.ValidationError
		if !errors.As(err, &ve) || ve.Field != tc.field || !errors.Is(err, graphsync.ErrInvalidInput) {
			t.Errorf("%s: err = %v, want a ValidationError for %s", tc.name, err, tc.field)
		}
	}
	if n := ts.requests(); n != 0 {
		t.Fatalf("server saw %d requests", n)
	}
}

type validationCase struct {
	name, field string
	call        func() error
}

// pathOf runs call and returns the escaped path of the one request it
// sent.
func pathOf(t *testing.T, ts *testServer, call func() error) string {
	t.Helper()
	before := ts.requests()
	must(t, call())
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if len(ts.paths) != before+1 {
		t.Fatalf("%d requests, want 1", len(ts.paths)-before)
	}
	return ts.paths[before]
}

// The request of Graph's cross-tenant synchronization tutorial, explicit
// false included, goes out unchanged.
func TestValidateTemplateCredentialsDocumentedRequest(t *testing.T) {
	doc := readFile(t, "testdata/graphdocs/validate_template_credentials_request.json")
	var req models.ValidateCredentialsRequest
	if err := json.Unmarshal(doc, &req); err != nil {
		t.Fatal(err)
	}
	if req.UseSavedCredentials == nil || *req.UseSavedCredentials {
		t.Fatalf("useSavedCredentials read as %v", req.UseSavedCredentials)
	}
	c, ts, _ := setup(t, nil)
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		body := assertRequest(t, r, "POST", "/v1.0/servicePrincipals/"+spID+"/synchronization/jobs/validateCredentials")
		assertJSONEqual(t, body, doc)
		w.WriteHeader(http.StatusNoContent)
	})
	must(t, c.ValidateTemplateCredentials(ctx, spID, req))
	// The same request built in Go.
	must(t, c.ValidateTemplateCredentials(ctx, spID, models.ValidateCredentialsRequest{
		TemplateID: "Azure2Azure", UseSavedCredentials: new(false),
		Credentials: []models.SecretKeyValue{
			{Key: models.CredentialCompanyID, Value: models.NewSecret("{targetTenantId}")},
			{Key: models.CredentialAuthenticationType, Value: models.NewSecret("SyncPolicy")},
		},
	}))
	if ts.requests() != 2 {
		t.Fatalf("%d requests", ts.requests())
	}
}

func TestValidateTemplateCredentialsRefusesBadInput(t *testing.T) {
	c, ts, _ := setup(t, nil)
	cred := []models.SecretKeyValue{{Key: models.CredentialCompanyID, Value: models.NewSecret("t")}}
	ok := models.ValidateCredentialsRequest{TemplateID: "Azure2Azure", Credentials: cred}
	refusedBeforeSending(t, ts, []validationCase{
		{"empty sp", "servicePrincipalID", func() error { return c.ValidateTemplateCredentials(ctx, "", ok) }},
		{"dotdot sp", "servicePrincipalID", func() error { return c.ValidateTemplateCredentials(ctx, "..", ok) }},
		{"no template", "req.TemplateID", func() error {
			return c.ValidateTemplateCredentials(ctx, spID, models.ValidateCredentialsRequest{Credentials: cred})
		}},
		{"no credentials", "req.Credentials", func() error {
			return c.ValidateTemplateCredentials(ctx, spID, models.ValidateCredentialsRequest{TemplateID: "t", UseSavedCredentials: new(false)})
		}},
		{"saved and given", "req.Credentials", func() error {
			return c.ValidateTemplateCredentials(ctx, spID, models.ValidateCredentialsRequest{TemplateID: "t", UseSavedCredentials: new(true), Credentials: cred})
		}},
		{"redacted copy", "req.Credentials[0].Value", func() error {
			return c.ValidateTemplateCredentials(ctx, spID, models.ValidateCredentialsRequest{TemplateID: "t",
				Credentials: []models.SecretKeyValue{{Key: "k", Value: models.NewSecret(models.Redacted)}}})
		}},
	})
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	if got := pathOf(t, ts, func() error { return c.ValidateTemplateCredentials(ctx, "../x", ok) }); got != "/v1.0/servicePrincipals/..%2Fx/synchronization/jobs/validateCredentials" {
		t.Fatalf("path %s", got)
	}
}

// The documented acquireAccessToken request (v1.0, beta) holds one pair
// with nothing but its @odata.type: read into the models and sent, on the
// application's route as documented and on the service principal's, it
// goes out unchanged.
func TestAcquireAccessTokenDocumentedExample(t *testing.T) {
	for _, tc := range []struct{ version, fixture string }{{"v1.0", "acquireaccesstoken_request.json"}, {"beta", "acquireaccesstoken_request_beta.json"}} {
		t.Run(tc.version, func(t *testing.T) {
			doc := readFile(t, "testdata/graphdocs/"+tc.fixture)
			var in struct {
				Credentials []models.SecretKeyValue `json:"credentials"`
			}
			if err := json.Unmarshal(doc, &in); err != nil {
				t.Fatal(err)
			}
			c, ts, _ := setup(t, &graphsync.ClientOptions{APIVersion: tc.version})
			var paths []string
			ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				paths = append(paths, r.URL.EscapedPath())
				body := assertRequest(t, r, "POST", r.URL.EscapedPath())
				assertJSONEqual(t, body, doc)
				w.WriteHeader(http.StatusNoContent)
			})
			must(t, c.AcquireApplicationAccessToken(ctx, "{applicationsId}", in.Credentials))
			must(t, c.AcquireAccessToken(ctx, "{servicePrincipalsId}", in.Credentials))
			want := []string{"/" + tc.version + "/applications/%7BapplicationsId%7D/synchronization/acquireAccessToken",
				"/" + tc.version + "/servicePrincipals/%7BservicePrincipalsId%7D/synchronization/acquireAccessToken"}
			if len(paths) != 2 || paths[0] != want[0] || paths[1] != want[1] {
				t.Fatalf("paths %v, want %v", paths, want)
			}
		})
	}
}

// Credentials are secrets: sent to Graph with their values, taken out of
// an error that echoes them.
func TestAcquireAccessTokenKeepsSecretsOut(t *testing.T) {
	c, ts, _ := setup(t, nil)
	creds := []models.SecretKeyValue{
		{Key: models.CredentialOauth2AuthorizationCode, Value: models.NewSecret("auth-code-hunter2")},
		{Key: models.CredentialOauth2RedirectURI, Value: models.NewSecret("https://portal.azure.com/TokenAuthorize")},
	}
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		assertJSONEqual(t, body, []byte(`{"credentials":[{"key":"Oauth2AuthorizationCode","value":"auth-code-hunter2"},`+
			`{"key":"Oauth2RedirectUri","value":"https://portal.azure.com/TokenAuthorize"}]}`))
		w.Header().Set("request-id", "rid-3")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"error":{"code":"InvalidAuthorizationCode","message":"The code auth-code-hunter2 was refused."}}`))
	})
	err := c.AcquireAccessToken(ctx, spID, creds)
	var re *graphsync.ResponseError
	if !errors.As(err, &re) || re.Code != "InvalidAuthorizationCode" || re.RequestID != "rid-3" {
		t.Fatalf("err = %v", err)
	}
	for _, s := range []string{err.Error(), re.Message, string(re.Body)} {
		if strings.Contains(s, "hunter2") {
			t.Fatalf("secret in %q", s)
		}
	}
}

func TestAcquireAccessTokenRefusesBadInput(t *testing.T) {
	c, ts, _ := setup(t, nil)
	ok := []models.SecretKeyValue{{Key: models.CredentialOauth2AuthorizationCode, Value: models.NewSecret("code")}}
	var nilCtx context.Context
	refusedBeforeSending(t, ts, []validationCase{
		{"no credentials", "credentials", func() error { return c.AcquireAccessToken(ctx, spID, nil) }},
		{"app: no credentials", "credentials", func() error { return c.AcquireApplicationAccessToken(ctx, "app", []models.SecretKeyValue{}) }},
		{"a value without a key", "credentials[1].Key", func() error {
			return c.AcquireAccessToken(ctx, spID, append(ok, models.SecretKeyValue{Value: models.NewSecret("orphan")}))
		}},
		{"an empty value without a key", "credentials[0].Key", func() error {
			return c.AcquireAccessToken(ctx, spID, []models.SecretKeyValue{{Value: models.NewSecret("")}})
		}},
		{"a blank key", "credentials[0].Key", func() error {
			return c.AcquireApplicationAccessToken(ctx, "app", []models.SecretKeyValue{{Key: " ", Value: models.NewSecret("v")}})
		}},
		{"a redacted copy", "credentials[0].Value", func() error {
			return c.AcquireAccessToken(ctx, spID, []models.SecretKeyValue{{Key: "k", Value: models.NewSecret(models.Redacted)}})
		}},
		{"empty sp", "servicePrincipalID", func() error { return c.AcquireAccessToken(ctx, "", ok) }},
		{"empty app", "applicationID", func() error { return c.AcquireApplicationAccessToken(ctx, "", ok) }},
		{"dotdot app", "applicationID", func() error { return c.AcquireApplicationAccessToken(ctx, "..", ok) }},
		{"nil ctx", "ctx", func() error { return c.AcquireApplicationAccessToken(nilCtx, "app", ok) }},
	})
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	if p := pathOf(t, ts, func() error { return c.AcquireAccessToken(ctx, "../x", ok) }); p != "/v1.0/servicePrincipals/..%2Fx/synchronization/acquireAccessToken" {
		t.Fatalf("path %s", p)
	}
	if p := pathOf(t, ts, func() error { return c.AcquireApplicationAccessToken(ctx, "a/../b", ok) }); p != "/v1.0/applications/a%2F..%2Fb/synchronization/acquireAccessToken" {
		t.Fatalf("path %s", p)
	}
}
