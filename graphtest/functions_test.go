package graphtest_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"testing"

	"github.com/graphsync/graphsync/models"
)

// The answers graphtest serves are Graph's documented ones, copied into
// graphtest/graphdocs (a package embeds only its own files): the copies
// must stay the fixtures, byte for byte.
func TestEmbeddedDocsAreCopies(t *testing.T) {
	for _, name := range []string{"functions_response_beta_full.json", "filteroperators_response_beta_full.json"} {
		fixture, err := os.ReadFile("../testdata/graphdocs/" + name)
		if err != nil {
			t.Fatal(err)
		}
		embedded, err := os.ReadFile("graphdocs/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(fixture, embedded) {
			t.Errorf("graphdocs/%s differs from the fixture", name)
		}
	}
}

func TestSchemaFunctionsAndFilterOperators(t *testing.T) {
	srv, c := newServer(t, nil)
	job, _ := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	fns, err := c.ListSchemaFunctions(ctx, "sp", job.ID)
	if err != nil || len(fns) != 14 {
		t.Fatalf("%d functions, %v", len(fns), err)
	}
	if f := fns[9]; f.FunctionName() != "Replace" || len(f.Parameters) != 7 || f.Parameters[1].Name != "Find" || f.Parameters[1].Required {
		t.Fatalf("Replace: %+v", f)
	}
	ops, err := c.ListFilterOperators(ctx, "sp", job.ID)
	if err != nil || len(ops) != 8 || ops[1].Name != "IS FALSE" || ops[1].Arity != models.OperatorUnary {
		t.Fatalf("operators %+v, %v", ops, err)
	}

	for _, version := range []string{"v1.0", "beta"} {
		path := "/" + version + "/servicePrincipals/sp/synchronization/jobs/" + job.ID + "/schema/"
		resp, b := rawRequest(t, srv, "GET", path+"functions", nil)
		var got struct {
			Context string            `json:"@odata.context"`
			Value   []json.RawMessage `json:"value"`
		}
		if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &got) != nil ||
			got.Context != "https://graph.microsoft.com/"+version+"/$metadata#functions" || len(got.Value) != 14 {
			t.Fatalf("%s functions: %d %s", version, resp.StatusCode, b)
		}
		resp, b = rawRequest(t, srv, "GET", path+"filterOperators", nil)
		if resp.StatusCode != http.StatusOK || !jsonEqual(t, b, readDoc(t, "filteroperators_response_beta_full.json")) {
			t.Fatalf("%s filterOperators: %d %s", version, resp.StatusCode, b)
		}
		resp, b = rawRequest(t, srv, "POST", path+"functions", []byte(`{}`))
		wantError(t, resp, b, http.StatusMethodNotAllowed, "BadRequest")
	}
	for _, what := range []string{"functions", "filterOperators"} {
		resp, b := rawRequest(t, srv, "GET", spPath+"/jobs/nope/schema/"+what, nil)
		wantError(t, resp, b, http.StatusNotFound, "Request_ResourceNotFound")
	}
}

func readDoc(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../testdata/graphdocs/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
