package graphsync_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/models"
)

// Two of the documentation's examples are not JSON as published; these
// repair them, and nothing else.
var (
	trailingComma = regexp.MustCompile(`,(\s*[}\]])`)
	bareName      = regexp.MustCompile(`([{,]\s*)([A-Za-z_][A-Za-z0-9_]*)\s*:`)
)

func repairDocJSON(t *testing.T, b []byte) []byte {
	t.Helper()
	if json.Valid(b) {
		t.Fatal("the documentation's example is valid JSON now: use it as it is")
	}
	b = trailingComma.ReplaceAll(b, []byte("$1"))
	b = bareName.ReplaceAll(b, []byte(`$1"$2":`))
	if !json.Valid(b) {
		t.Fatalf("still not JSON after repair: %s", b)
	}
	return b
}

func schemaPath(sp, job string) string {
	return "/v1.0/servicePrincipals/" + sp + "/synchronization/jobs/" + job + "/schema"
}

func TestGetJobSchemaDocumentedExample(t *testing.T) {
	c, ts, _ := setup(t, nil)
	doc := readFile(t, "testdata/graphdocs/schema_get_response.json")
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if body := assertRequest(t, r, "GET", schemaPath(spID, jobID)); len(body) != 0 {
			t.Errorf("GET has a body: %s", body)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(doc)
	})
	s, err := c.GetJobSchema(ctx, spID, jobID)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Directories) != 2 || s.Directories[1].Name != "Salesforce" || len(s.SynchronizationRules) != 2 {
		t.Fatalf("schema = %+v", s)
	}
	r := s.SynchronizationRules[0]
	if r.Name != "USER_TO_USER" || r.SourceDirectoryName != "Azure Active Directory" || r.TargetDirectoryName != "Salesforce" ||
		r.ObjectMappings[0].AttributeMappings[0].TargetAttributeName != "userName" {
		t.Fatalf("rule = %+v", r)
	}
	// The example's rule has no id, so it cannot be used for
	// provisionOnDemand; RuleFor says so rather than returning "".
	if id, err := s.RuleFor("User"); !errors.Is(err, models.ErrNoRule) || id != "" {
		t.Fatalf("RuleFor = %q, %v", id, err)
	}
}

// TestSchemaGetThenUnchangedPutIsLossless reads a schema through the
// client and writes it back unchanged: the PUT body must be exactly the
// GET body (as JSON), on the documentation's example and on a large
// realistic schema.
func TestSchemaGetThenUnchangedPutIsLossless(t *testing.T) {
	for _, fixture := range []string{"testdata/graphdocs/schema_get_response.json", "testdata/schema_large.json"} {
		t.Run(fixture, func(t *testing.T) {
			c, ts, _ := setup(t, nil)
			doc := readFile(t, fixture)
			var put []byte
			ts.mux.HandleFunc("GET /v1.0/servicePrincipals/{sp}/synchronization/jobs/{job}/schema", func(w http.ResponseWriter, r *http.Request) {
				w.Write(doc)
			})
			ts.mux.HandleFunc("PUT /v1.0/servicePrincipals/{sp}/synchronization/jobs/{job}/schema", func(w http.ResponseWriter, r *http.Request) {
				put = assertRequest(t, r, "PUT", schemaPath(spID, jobID))
				w.WriteHeader(http.StatusNoContent)
			})
			s, err := c.GetJobSchema(ctx, spID, jobID)
			if err != nil {
				t.Fatal(err)
			}
			must(t, c.UpdateJobSchema(ctx, spID, jobID, *s))
			assertJSONEqual(t, put, doc)
		})
	}
}

func TestUpdateJobSchemaDocumentedRequest(t *testing.T) {
	c, ts, _ := setup(t, nil)
	doc := repairDocJSON(t, readFile(t, "testdata/graphdocs/schema_update_request.txt"))
	var schema models.SynchronizationSchema
	if err := json.Unmarshal(doc, &schema); err != nil {
		t.Fatal(err)
	}
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		body := assertRequest(t, r, "PUT", schemaPath(spID, jobID))
		assertJSONEqual(t, body, doc)
		w.WriteHeader(http.StatusNoContent)
	})
	must(t, c.UpdateJobSchema(ctx, spID, jobID, schema))
	if ts.requests() != 1 {
		t.Fatalf("%d requests", ts.requests())
	}
}

func TestUpdateJobSchemaSendsChanges(t *testing.T) {
	c, ts, _ := setup(t, nil)
	doc := readFile(t, "testdata/graphdocs/schema_get_response.json")
	var put map[string]any
	ts.mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) { w.Write(doc) })
	ts.mux.HandleFunc("PUT /", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &put); err != nil {
			t.Error(err)
		}
		w.WriteHeader(http.StatusNoContent)
	})
	s, err := c.GetJobSchema(ctx, spID, jobID)
	if err != nil {
		t.Fatal(err)
	}
	om := &s.SynchronizationRules[0].ObjectMappings[0]
	om.AttributeMappings = append(om.AttributeMappings, models.AttributeMapping{
		TargetAttributeName: "title",
		Source:              &models.AttributeMappingSource{Type: models.SourceAttribute, Name: "jobTitle", Expression: "[jobTitle]"},
	})
	must(t, c.UpdateJobSchema(ctx, spID, jobID, *s))
	ams := put["synchronizationRules"].([]any)[0].(map[string]any)["objectMappings"].([]any)[0].(map[string]any)["attributeMappings"].([]any)
	if len(ams) != 3 || ams[2].(map[string]any)["targetAttributeName"] != "title" || len(ams[1].(map[string]any)) != 0 {
		t.Fatalf("attributeMappings sent: %v", ams)
	}
}

func TestGetTemplateDocumentedExample(t *testing.T) {
	c, ts, _ := setup(t, nil)
	doc := readFile(t, "testdata/graphdocs/template_get_response.json")
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		assertRequest(t, r, "GET", "/v1.0/servicePrincipals/"+spID+"/synchronization/templates/Slack")
		w.Write(doc)
	})
	tpl, err := c.GetTemplate(ctx, spID, "Slack")
	if err != nil {
		t.Fatal(err)
	}
	if tpl.ID != "Slack" || tpl.FactoryTag != "CustomSCIM" || tpl.Schema == nil ||
		tpl.Schema.Directories == nil || len(tpl.Schema.SynchronizationRules) != 0 {
		t.Fatalf("template = %+v, schema %+v", tpl, tpl.Schema)
	}
	out, _ := json.Marshal(tpl)
	assertJSONEqual(t, out, doc)
}

func TestListTemplatesDocumentedExample(t *testing.T) {
	c, ts, _ := setup(t, nil)
	doc := readFile(t, "testdata/graphdocs/templates_list_response.json")
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		assertRequest(t, r, "GET", "/v1.0/servicePrincipals/"+spID+"/synchronization/templates")
		w.Write(doc)
	})
	tpls, err := c.ListTemplates(ctx, spID)
	if err != nil {
		t.Fatal(err)
	}
	if len(tpls) != 1 || tpls[0].ID != "Slack" || tpls[0].Schema == nil || tpls[0].Schema.SynchronizationRules == nil {
		t.Fatalf("templates = %+v", tpls)
	}
	out, _ := json.Marshal(map[string]any{"value": tpls})
	assertJSONEqual(t, out, doc)
}

func TestValidateCredentialsDocumentedRequest(t *testing.T) {
	doc := repairDocJSON(t, readFile(t, "testdata/graphdocs/validate_credentials_request.txt"))
	assertJSONEqual(t, doc, readFile(t, "testdata/graphdocs/validate_credentials_request_beta.json"))
	c, ts, _ := setup(t, nil)
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		body := assertRequest(t, r, "POST", "/v1.0/servicePrincipals/"+spID+"/synchronization/jobs/"+jobID+"/validateCredentials")
		assertJSONEqual(t, body, doc)
		w.WriteHeader(http.StatusNoContent)
	})
	must(t, c.ValidateCredentials(ctx, spID, jobID, models.ValidateCredentialsRequest{Credentials: []models.SecretKeyValue{
		{Key: models.CredentialUserName, Value: models.NewSecret("user@domain.com")},
		{Key: models.CredentialPassword, Value: models.NewSecret("password-value")},
	}}))
}

func TestValidateCredentialsAllParameters(t *testing.T) {
	c, ts, _ := setup(t, nil)
	var bodies []string
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		w.WriteHeader(http.StatusNoContent)
	})
	must(t, c.ValidateCredentials(ctx, spID, jobID, models.ValidateCredentialsRequest{
		ApplicationIdentifier: "app", TemplateID: "scim",
		Credentials: []models.SecretKeyValue{{Key: models.CredentialBaseAddress, Value: models.NewSecret("https://scim.example.com")}},
	}))
	must(t, c.ValidateCredentials(ctx, spID, jobID, models.ValidateCredentialsRequest{UseSavedCredentials: new(true)}))
	assertJSONEqual(t, []byte(bodies[0]), []byte(`{"applicationIdentifier":"app","templateId":"scim","credentials":[{"key":"BaseAddress","value":"https://scim.example.com"}]}`))
	assertJSONEqual(t, []byte(bodies[1]), []byte(`{"useSavedCredentials":true}`))
}

func TestValidateCredentialsFailureKeepsSecretsOut(t *testing.T) {
	c, ts, _ := setup(t, nil)
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("request-id", "rid-1")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"error":{"code":"CredentialValidationUnavailable","message":"The credentials are not valid."}}`))
	})
	req := models.ValidateCredentialsRequest{Credentials: []models.SecretKeyValue{{Key: models.CredentialSecretToken, Value: models.NewSecret("hunter2")}}}
	err := c.ValidateCredentials(ctx, spID, jobID, req)
	var re *graphsync.ResponseError
	if !errors.As(err, &re) || re.StatusCode != http.StatusBadRequest || re.Code != "CredentialValidationUnavailable" || re.RequestID != "rid-1" {
		t.Fatalf("err = %v", err)
	}
	for _, s := range []string{err.Error(), re.Message, string(re.Body)} {
		if strings.Contains(s, "hunter2") {
			t.Fatalf("secret in %q", s)
		}
	}
}

func TestSchemaCallsRefuseBadInput(t *testing.T) {
	c, ts, _ := setup(t, nil)
	good := models.SynchronizationSchema{SynchronizationRules: []models.SynchronizationRule{{ID: "r"}}}
	cred := []models.SecretKeyValue{{Key: "SecretToken", Value: models.NewSecret("s")}}
	cases := []struct {
		name, field string
		call        func() error
	}{
		{"schema: empty sp", "servicePrincipalID", func() error { _, err := c.GetJobSchema(ctx, "", jobID); return err }},
		{"schema: dotdot job", "jobID", func() error { _, err := c.GetJobSchema(ctx, spID, ".."); return err }},
		{"update: control char", "jobID", func() error { return c.UpdateJobSchema(ctx, spID, "a\tb", good) }},
		{"update: no rules", "schema.SynchronizationRules", func() error { return c.UpdateJobSchema(ctx, spID, jobID, models.SynchronizationSchema{}) }},
		{"template: empty id", "templateID", func() error { _, err := c.GetTemplate(ctx, spID, ""); return err }},
		{"template: dot id", "templateID", func() error { _, err := c.GetTemplate(ctx, spID, "."); return err }},
		{"template: empty sp", "servicePrincipalID", func() error { _, err := c.GetTemplate(ctx, "", "t"); return err }},
		{"validate: empty job", "jobID", func() error {
			return c.ValidateCredentials(ctx, spID, "", models.ValidateCredentialsRequest{Credentials: cred})
		}},
		{"validate: nothing", "req.Credentials", func() error { return c.ValidateCredentials(ctx, spID, jobID, models.ValidateCredentialsRequest{}) }},
		{"validate: saved and given", "req.Credentials", func() error {
			return c.ValidateCredentials(ctx, spID, jobID, models.ValidateCredentialsRequest{UseSavedCredentials: new(true), Credentials: cred})
		}},
		{"validate: no key", "req.Credentials[1].Key", func() error {
			return c.ValidateCredentials(ctx, spID, jobID, models.ValidateCredentialsRequest{Credentials: append(cred, models.SecretKeyValue{Key: " ", Value: models.NewSecret("s")})})
		}},
	}
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

func TestSchemaCallsKeepIDsInOneSegment(t *testing.T) {
	c, ts, _ := setup(t, nil)
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "GET" {
			w.Write([]byte(`{}`))
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	schema := models.SynchronizationSchema{SynchronizationRules: []models.SynchronizationRule{{ID: "r"}}}
	creds := models.ValidateCredentialsRequest{UseSavedCredentials: new(true)}
	const sp, job = "../x", "a/b?c"
	const base = "/v1.0/servicePrincipals/..%2Fx/synchronization/"
	for _, tc := range []struct {
		call func() error
		want string
	}{
		{func() error { _, err := c.GetJobSchema(ctx, sp, job); return err }, base + "jobs/a%2Fb%3Fc/schema"},
		{func() error { return c.UpdateJobSchema(ctx, sp, job, schema) }, base + "jobs/a%2Fb%3Fc/schema"},
		{func() error { _, err := c.GetTemplate(ctx, sp, job); return err }, base + "templates/a%2Fb%3Fc"},
		{func() error { _, err := c.GetTemplate(ctx, "sp", "../x#y"); return err }, "/v1.0/servicePrincipals/sp/synchronization/templates/..%2Fx%23y"},
		{func() error { return c.ValidateCredentials(ctx, sp, job, creds) }, base + "jobs/a%2Fb%3Fc/validateCredentials"},
	} {
		before := ts.requests()
		must(t, tc.call())
		ts.mu.Lock()
		got := ts.paths[before]
		ts.mu.Unlock()
		if got != tc.want {
			t.Errorf("path %s, want %s", got, tc.want)
		}
	}
}

// The documented reset: DELETE without a body. The page says "201 No
// Content" and its example answers 204: both are success.
func TestResetJobSchemaDocumentedExample(t *testing.T) {
	for _, status := range []int{http.StatusNoContent, http.StatusCreated} {
		c, ts, _ := setup(t, nil)
		ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			if body := assertRequest(t, r, "DELETE", schemaPath(spID, jobID)); len(body) != 0 || r.Header.Get("Content-Type") != "" {
				t.Errorf("DELETE sent a body %q (%s)", body, r.Header.Get("Content-Type"))
			}
			w.WriteHeader(status)
		})
		must(t, c.ResetJobSchema(ctx, spID, jobID))
	}
	c, ts, _ := setup(t, nil)
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("request-id", "rid-9")
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte(`{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges."}}`))
	})
	err := c.ResetJobSchema(ctx, spID, jobID)
	var re *graphsync.ResponseError
	if !errors.As(err, &re) || !errors.Is(err, graphsync.ErrForbidden) || re.Code != "Authorization_RequestDenied" || re.RequestID != "rid-9" {
		t.Fatalf("err = %v", err)
	}
}

func TestResetJobSchemaRefusesBadInput(t *testing.T) {
	c, ts, _ := setup(t, nil)
	refusedBeforeSending(t, ts, []validationCase{
		{"empty sp", "servicePrincipalID", func() error { return c.ResetJobSchema(ctx, "", jobID) }},
		{"empty job", "jobID", func() error { return c.ResetJobSchema(ctx, spID, "") }},
		{"dot job", "jobID", func() error { return c.ResetJobSchema(ctx, spID, ".") }},
	})
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	if p := pathOf(t, ts, func() error { return c.ResetJobSchema(ctx, "../x", "a/b") }); p != "/v1.0/servicePrincipals/..%2Fx/synchronization/jobs/a%2Fb/schema" {
		t.Fatalf("path %s", p)
	}
}

// withoutContext returns a documented collection answer without its
// @odata.context, which is the collection's, not an item's: what a list
// call returns, encoded again as {"value": [...]}, must equal it.
func withoutContext(t *testing.T, doc []byte) []byte {
	t.Helper()
	var o map[string]json.RawMessage
	if err := json.Unmarshal(doc, &o); err != nil {
		t.Fatal(err)
	}
	delete(o, "@odata.context")
	b, _ := json.Marshal(o)
	return b
}

// Every documented functions and filterOperators answer (v1.0, beta, and
// the full lists beta's pages keep in a comment): the request is a GET
// without a body, and the items come back whole, each false included.
func TestSchemaFunctionsAndFilterOperatorsDocumentedExamples(t *testing.T) {
	for _, tc := range []struct {
		version, fixture string
		n                int
	}{
		{"v1.0", "functions_response.json", 4},
		{"beta", "functions_response_beta.json", 4},
		{"beta", "functions_response_beta_full.json", 14},
		{"v1.0", "filteroperators_response.json", 1},
		{"beta", "filteroperators_response_beta.json", 1},
		{"beta", "filteroperators_response_beta_full.json", 8},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			doc := readFile(t, "testdata/graphdocs/"+tc.fixture)
			c, ts, _ := setup(t, &graphsync.ClientOptions{APIVersion: tc.version})
			functions := strings.HasPrefix(tc.fixture, "functions")
			last := "filterOperators"
			if functions {
				last = "functions"
			}
			ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				if body := assertRequest(t, r, "GET", "/"+tc.version+"/servicePrincipals/"+spID+"/synchronization/jobs/"+jobID+"/schema/"+last); len(body) != 0 {
					t.Errorf("GET has a body: %s", body)
				}
				w.Write(doc)
			})
			var items any
			var n int
			if functions {
				fns, err := c.ListSchemaFunctions(ctx, spID, jobID)
				if err != nil {
					t.Fatal(err)
				}
				if fns[0].FunctionName() != "Append" || fns[0].Parameters[1].Name != "suffix" || !fns[0].Parameters[1].Required ||
					fns[0].Parameters[1].AllowMultipleOccurrences || fns[0].Parameters[1].Type != models.AttributeString || fns[1].Parameters == nil {
					t.Fatalf("decoded %+v", fns[:2])
				}
				items, n = fns, len(fns)
			} else {
				ops, err := c.ListFilterOperators(ctx, spID, jobID)
				if err != nil {
					t.Fatal(err)
				}
				if ops[0].Name != "EQUALS" || ops[0].Arity != models.OperatorBinary || ops[0].MultivaluedComparisonType != models.CompareAll ||
					len(ops[0].SupportedAttributeTypes) != 2 {
					t.Fatalf("decoded %+v", ops[0])
				}
				items, n = ops, len(ops)
			}
			if n != tc.n {
				t.Fatalf("%d items, want %d", n, tc.n)
			}
			out, err := json.Marshal(map[string]any{"value": items})
			if err != nil {
				t.Fatal(err)
			}
			assertJSONEqual(t, out, withoutContext(t, doc))
		})
	}
}

func TestSchemaListsRefuseBadInput(t *testing.T) {
	c, ts, _ := setup(t, nil)
	refusedBeforeSending(t, ts, []validationCase{
		{"functions: empty sp", "servicePrincipalID", func() error { _, err := c.ListSchemaFunctions(ctx, "", jobID); return err }},
		{"functions: empty job", "jobID", func() error { _, err := c.ListSchemaFunctions(ctx, spID, ""); return err }},
		{"operators: dotdot sp", "servicePrincipalID", func() error { _, err := c.ListFilterOperators(ctx, "..", jobID); return err }},
		{"operators: control char", "jobID", func() error { _, err := c.ListFilterOperators(ctx, spID, "a\x00"); return err }},
	})
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"value":[]}`)) })
	if p := pathOf(t, ts, func() error { _, err := c.ListSchemaFunctions(ctx, "../x", "a/b"); return err }); p != "/v1.0/servicePrincipals/..%2Fx/synchronization/jobs/a%2Fb/schema/functions" {
		t.Fatalf("path %s", p)
	}
	if p := pathOf(t, ts, func() error { _, err := c.ListFilterOperators(ctx, "../x", "a/b"); return err }); p != "/v1.0/servicePrincipals/..%2Fx/synchronization/jobs/a%2Fb/schema/filterOperators" {
		t.Fatalf("path %s", p)
	}
}

// The documented parseExpression example, v1.0 and beta: the request is
// not JSON as published (unquoted member names); repaired, read into the
// model and sent, it goes out unchanged: the explicit nulls, the empty
// strings, the array value and its "value@odata.type" annotation
// included. The answer comes back whole.
func TestParseExpressionDocumentedExample(t *testing.T) {
	for _, tc := range []struct{ version, suffix string }{{"v1.0", ""}, {"beta", "_beta"}} {
		t.Run(tc.version, func(t *testing.T) {
			reqDoc := repairDocJSON(t, readFile(t, "testdata/graphdocs/parseexpression_request"+tc.suffix+".txt"))
			respDoc := readFile(t, "testdata/graphdocs/parseexpression_response"+tc.suffix+".json")
			var req models.ParseExpressionRequest
			if err := json.Unmarshal(reqDoc, &req); err != nil {
				t.Fatal(err)
			}
			props := req.TestInputObject.Properties
			if len(props) != 40 || props[32].Key != "passwordProfile.password" || props[39].Key != "appRoleAssignments" {
				t.Fatalf("read %d properties", len(props))
			}
			if s, ok := props[32].Value.AsString(); !ok || s != "" {
				t.Fatalf("an empty string read as %q, %v", s, ok)
			}
			if ss, ok := props[39].Value.AsStrings(); !ok || len(ss) != 1 || ss[0] != "Default Assignment" ||
				string(props[39].Extra["value@odata.type"]) != `"#Collection(String)"` {
				t.Fatalf("the array value read as %v, %v, %s", ss, ok, props[39].Extra)
			}
			c, ts, _ := setup(t, &graphsync.ClientOptions{APIVersion: tc.version})
			ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				body := assertRequest(t, r, "POST", "/"+tc.version+"/servicePrincipals/"+spID+"/synchronization/jobs/"+jobID+"/schema/parseExpression")
				assertJSONEqual(t, body, reqDoc)
				w.Write(respDoc)
			})
			got, err := c.ParseExpression(ctx, spID, jobID, req)
			if err != nil {
				t.Fatal(err)
			}
			p := got.ParsedExpression
			if !got.ParsingSucceeded || !got.EvaluationSucceeded || got.Error != nil || len(got.EvaluationResult) != 1 || got.EvaluationResult[0] != "EN_US" ||
				p.Type != models.SourceFunction || p.Name != "Replace" || len(p.Parameters) != 3 || p.Parameters[1].Key != "Find" || p.Parameters[1].Value.Name != "-" {
				t.Fatalf("decoded %+v", got)
			}
			out, err := json.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			assertJSONEqual(t, out, respDoc)
		})
	}
}

// A request built in Go sends what was set: the expression alone, or with
// a test object whose empty values are sent.
func TestParseExpressionSendsWhatIsSet(t *testing.T) {
	c, ts, _ := setup(t, nil)
	var bodies []string
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		w.Write([]byte(`{"error":{"code":"x","message":"Syntax error at 4","details":[],"innerError":null},"evaluationSucceeded":false,` +
			`"evaluationResult":null,"parsedExpression":null,"parsingSucceeded":false}`))
	})
	got, err := c.ParseExpression(ctx, spID, jobID, models.ParseExpressionRequest{Expression: `Mid(`})
	if err != nil || got.ParsingSucceeded || got.Error == nil || got.Error.Message != "Syntax error at 4" {
		t.Fatalf("got %+v, %v: a syntax error is an answer, not an error", got, err)
	}
	_, err = c.ParseExpression(ctx, spID, jobID, models.ParseExpressionRequest{Expression: `Join(",", [a], [b])`,
		TestInputObject: &models.ExpressionInputObject{Properties: []models.StringKeyObjectValuePair{
			models.Property("a", ""), {Key: "b", Value: models.StringsValue("x", "y")},
		}}})
	must(t, err)
	assertJSONEqual(t, []byte(bodies[0]), []byte(`{"expression":"Mid("}`))
	assertJSONEqual(t, []byte(bodies[1]), []byte(`{"expression":"Join(\",\", [a], [b])","testInputObject":{"properties":[{"key":"a","value":""},{"key":"b","value":["x","y"]}]}}`))
}

func TestParseExpressionRefusesBadInput(t *testing.T) {
	c, ts, _ := setup(t, nil)
	refusedBeforeSending(t, ts, []validationCase{
		{"no expression", "req.Expression", func() error {
			_, err := c.ParseExpression(ctx, spID, jobID, models.ParseExpressionRequest{})
			return err
		}},
		{"blank expression", "req.Expression", func() error {
			_, err := c.ParseExpression(ctx, spID, jobID, models.ParseExpressionRequest{Expression: " \n"})
			return err
		}},
		{"empty sp", "servicePrincipalID", func() error {
			_, err := c.ParseExpression(ctx, "", jobID, models.ParseExpressionRequest{Expression: "[a]"})
			return err
		}},
		{"dotdot job", "jobID", func() error {
			_, err := c.ParseExpression(ctx, spID, "..", models.ParseExpressionRequest{Expression: "[a]"})
			return err
		}},
	})
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"parsingSucceeded":true}`)) })
	if p := pathOf(t, ts, func() error {
		_, err := c.ParseExpression(ctx, "../x", "a/b", models.ParseExpressionRequest{Expression: "[a]"})
		return err
	}); p != "/v1.0/servicePrincipals/..%2Fx/synchronization/jobs/a%2Fb/schema/parseExpression" {
		t.Fatalf("path %s", p)
	}
}

// The documented discover, v1.0 and beta: a POST without a body (not
// even {}), and the documented directory back, whole.
func TestDiscoverDirectoryDocumentedExample(t *testing.T) {
	for _, tc := range []struct{ version, fixture string }{{"v1.0", "discover_response.json"}, {"beta", "discover_response_beta.json"}} {
		t.Run(tc.version, func(t *testing.T) {
			doc := readFile(t, "testdata/graphdocs/"+tc.fixture)
			c, ts, _ := setup(t, &graphsync.ClientOptions{APIVersion: tc.version})
			ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				body := assertRequest(t, r, "POST", "/"+tc.version+"/servicePrincipals/"+spID+"/synchronization/jobs/"+jobID+"/schema/directories/directoryDefinitionId/discover")
				if len(body) != 0 || r.ContentLength > 0 || r.Header.Get("Content-Type") != "" {
					t.Errorf("discover sent a body %q (Content-Type %q, length %d)", body, r.Header.Get("Content-Type"), r.ContentLength)
				}
				w.Write(doc)
			})
			d, err := c.DiscoverDirectory(ctx, spID, jobID, "directoryDefinitionId")
			if err != nil {
				t.Fatal(err)
			}
			if d.ID != "directoryDefinitionId" || d.Version != "bf8c03ac-d45e-47fe-b3a1-711a9418b2b1" || !d.Discoverabilities.Has(models.DiscoverAttributeDataTypes) ||
				len(d.Objects) != 1 || len(d.Objects[0].Attributes) != 3 || d.Objects[0].Attributes[2].Name != "CustomExendedAttribute" {
				t.Fatalf("decoded %+v", d)
			}
			out, err := json.Marshal(d)
			if err != nil {
				t.Fatal(err)
			}
			assertJSONEqual(t, out, doc)
		})
	}
}

func TestDiscoverDirectoryRefusesBadInput(t *testing.T) {
	c, ts, _ := setup(t, nil)
	refusedBeforeSending(t, ts, []validationCase{
		{"empty directory", "directoryID", func() error { _, err := c.DiscoverDirectory(ctx, spID, jobID, ""); return err }},
		{"dotdot directory", "directoryID", func() error { _, err := c.DiscoverDirectory(ctx, spID, jobID, ".."); return err }},
		{"empty job", "jobID", func() error { _, err := c.DiscoverDirectory(ctx, spID, "", "d"); return err }},
		{"empty sp", "servicePrincipalID", func() error { _, err := c.DiscoverDirectory(ctx, "", jobID, "d"); return err }},
	})
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"id":"d"}`)) })
	if p := pathOf(t, ts, func() error { _, err := c.DiscoverDirectory(ctx, "../x", "a/b", "../d?e"); return err }); p != "/v1.0/servicePrincipals/..%2Fx/synchronization/jobs/a%2Fb/schema/directories/..%2Fd%3Fe/discover" {
		t.Fatalf("path %s", p)
	}
}
