package graphsync_test

import (
	"encoding/json"
	"errors"
	"net/http"
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
