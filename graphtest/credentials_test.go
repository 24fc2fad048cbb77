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
	creds := []models.SecretKeyValue{{Key: models.CredentialBaseAddress, Value: "https://scim.example.com"},
		{Key: models.CredentialSecretToken, Value: "s3cret-token"}}
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
	saved := models.ValidateCredentialsRequest{UseSavedCredentials: true}
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
