package graphtest_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"testing"
	"testing/synctest"
	"time"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

// The documentation's instantiate requests, sent as any client would,
// create an application and a service principal that answers GET.
func TestInstantiateRaw(t *testing.T) {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	for _, tc := range []struct{ version, template, fixture string }{
		{"v1.0", "229946b9-a9fb-45b8-9531-efa47453ac9e", "instantiate_request.json"},
		{"beta", "8adf8e6e-67b2-4cf2-a259-e3dc5476c621", "instantiate_request_beta.json"},
		{"v1.0", "518e5f48-1fc8-4c48-9387-9fdf28b0dfe7", "instantiate_request_crosstenant.json"},
	} {
		body, err := os.ReadFile("../testdata/graphdocs/" + tc.fixture)
		if err != nil {
			t.Fatal(err)
		}
		resp, b := rawRequest(t, srv, "POST", "/"+tc.version+"/applicationTemplates/"+tc.template+"/instantiate", body)
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("%s: %d %s", tc.fixture, resp.StatusCode, b)
		}
		var got models.ApplicationServicePrincipal
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		var name struct{ DisplayName string }
		json.Unmarshal(body, &name)
		sp := got.ServicePrincipal
		if sp.DisplayName != name.DisplayName || sp.ApplicationTemplateID != tc.template || got.Application.ID == "" ||
			string(got.Extra["@odata.context"]) != `"https://graph.microsoft.com/`+tc.version+`/$metadata#microsoft.graph.applicationServicePrincipal"` {
			t.Fatalf("%s answered %s", tc.fixture, b)
		}
		resp, b = rawRequest(t, srv, "GET", "/"+tc.version+"/servicePrincipals/"+sp.ID, nil)
		var read models.ServicePrincipal
		if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &read) != nil || read.ID != sp.ID || read.AppID != sp.AppID {
			t.Fatalf("GET: %d %s", resp.StatusCode, b)
		}
		resp, b = rawRequest(t, srv, "GET", "/"+tc.version+"/servicePrincipals/"+sp.ID+"?$select=id", nil)
		if resp.StatusCode != http.StatusOK || string(b) != `{"@odata.context":"https://graph.microsoft.com/`+tc.version+`/$metadata#servicePrincipals(id)/$entity","id":"`+sp.ID+`"}` {
			t.Fatalf("GET $select=id: %d %s", resp.StatusCode, b)
		}
	}

	path := "/v1.0/applicationTemplates/" + "8adf8e6e-67b2-4cf2-a259-e3dc5476c621" + "/instantiate"
	for _, body := range []string{``, `[]`, `{}`, `{"displayName":""}`, `{"displayName":null}`, `{"displayName":7}`, `{"displayName":"x","owner":"y"}`} {
		resp, b := rawRequest(t, srv, "POST", path, []byte(body))
		wantError(t, resp, b, http.StatusBadRequest, "BadRequest")
	}
	resp, b := rawRequest(t, srv, "POST", "/v1.0/applicationTemplates/nope/instantiate", []byte(`{"displayName":"x"}`))
	wantError(t, resp, b, http.StatusNotFound, "Request_ResourceNotFound")
	resp, b = rawRequest(t, srv, "GET", path, nil)
	wantError(t, resp, b, http.StatusMethodNotAllowed, "BadRequest")
	resp, b = rawRequest(t, srv, "POST", "/v1.0/applicationTemplates/x", []byte(`{"displayName":"x"}`))
	wantError(t, resp, b, http.StatusBadRequest, "BadRequest")
	srv.AddServicePrincipal("sp")
	resp, b = rawRequest(t, srv, "GET", "/v1.0/servicePrincipals/sp?$select=nope", nil)
	wantError(t, resp, b, http.StatusBadRequest, "BadRequest")
	resp, b = rawRequest(t, srv, "DELETE", "/v1.0/servicePrincipals/sp", nil)
	wantError(t, resp, b, http.StatusMethodNotAllowed, "BadRequest")
}

// With Options.ReplicationDelay, a new service principal answers 404 to
// everything until the delay has passed.
func TestReplicationDelay(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := graphtest.NewServer(&graphtest.Options{InProcess: true, ReplicationDelay: 30 * time.Second})
		c, err := srv.NewClient()
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.InstantiateApplicationTemplate(ctx, "518e5f48-1fc8-4c48-9387-9fdf28b0dfe7", "Fabrikam")
		if err != nil {
			t.Fatal(err)
		}
		id := got.ServicePrincipal.ID
		check := func(want int) {
			t.Helper()
			for _, call := range []func() error{
				func() error { _, err := c.ListTemplates(ctx, id); return err },
				func() error {
					return c.WaitForServicePrincipal(ctx, id, &graphsync.WaitOptions{MaxWait: time.Nanosecond})
				},
			} {
				err := call()
				if status := statusOf(err); status != want {
					t.Errorf("status %d (%v), want %d", status, err, want)
				}
			}
		}
		check(http.StatusNotFound)
		time.Sleep(29 * time.Second)
		check(http.StatusNotFound)
		time.Sleep(time.Second)
		check(http.StatusOK)
	})
}

// statusOf is the status of the answer a call got: 200 for no error.
func statusOf(err error) int {
	var re *graphsync.ResponseError
	switch {
	case err == nil:
		return http.StatusOK
	case errors.As(err, &re):
		return re.StatusCode
	}
	return 0
}
