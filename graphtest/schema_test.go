package graphtest_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

// jsonEqual reports whether two JSON texts hold the same value.
func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("%v: %s", err, a)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return reflect.DeepEqual(x, y)
}

func schemaPath(jobID string) string { return spPath + "/jobs/" + url.PathEscape(jobID) + "/schema" }

// TestJobSchemaRulesAreWhatProvisionAccepts: the rule RuleFor picks from
// GetJobSchema's answer is one provisionOnDemand takes.
func TestJobSchemaRulesAreWhatProvisionAccepts(t *testing.T) {
	srv, c := newServer(t, nil)
	srv.AddUser("u-1", "ada@contoso.com")
	srv.AddGroup("g-1", "Sales")
	job, err := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	if err != nil {
		t.Fatal(err)
	}
	schema, err := c.GetJobSchema(ctx, "sp", job.ID)
	if err != nil {
		t.Fatal(err)
	}
	userRule, err := schema.RuleFor(models.ObjectTypeUser)
	if err != nil || userRule != graphtest.DefaultRuleID {
		t.Fatalf("RuleFor(User) = %q, %v", userRule, err)
	}
	groupRule, err := schema.RuleFor(models.ObjectTypeGroup)
	if err != nil || groupRule != srv.RuleID("sp", job.ID, "Group") {
		t.Fatalf("RuleFor(Group) = %q, %v", groupRule, err)
	}
	res, err := c.ProvisionOnDemand(ctx, "sp", job.ID, models.NewProvisionRequest(userRule, models.User("u-1")))
	if err != nil || res.Failed() {
		t.Fatalf("provisionOnDemand with the schema's rule: %+v, %v", res, err)
	}
	if _, err := c.ProvisionOnDemand(ctx, "sp", job.ID, models.NewProvisionRequest(groupRule, models.Group("g-1", "u-1"))); err != nil {
		t.Fatal(err)
	}

	// What the schema holds: the rule with its mappings, the directories
	// they name, a version.
	if schema.ID != job.ID || schema.Version == "" || len(schema.SynchronizationRules) != 1 {
		t.Fatalf("schema id %q version %q, %d rules", schema.ID, schema.Version, len(schema.SynchronizationRules))
	}
	r := schema.SynchronizationRules[0]
	if r.Name != "USERGROUP_OUTBOUND_USERGROUP" || r.SourceDirectoryName != "Azure Active Directory" ||
		r.TargetDirectoryName != "customappsso" || !r.Editable || len(r.ObjectMappings) != 2 {
		t.Fatalf("rule = %+v", r)
	}
	var nested bool
	for _, m := range r.ObjectMappings {
		if !m.Enabled || !m.FlowTypes.Has(models.ObjectFlowAdd) || len(m.AttributeMappings) < 3 || m.Name == "" {
			t.Fatalf("object mapping = %+v", m)
		}
		for _, a := range m.AttributeMappings {
			if a.Source != nil && a.Source.Type == models.SourceFunction && len(a.Source.Parameters) > 0 &&
				a.Source.Parameters[0].Value != nil && a.Source.Parameters[0].Value.Type == models.SourceAttribute {
				nested = true
			}
		}
	}
	if !nested {
		t.Fatal("no attribute mapping with a function of an attribute")
	}
	dirs := map[string][]string{}
	for _, d := range schema.Directories {
		for _, o := range d.Objects {
			if len(o.Attributes) == 0 {
				t.Fatalf("%s object %s has no attributes", d.Name, o.Name)
			}
			dirs[d.Name] = append(dirs[d.Name], o.Name)
		}
	}
	want := map[string][]string{
		"Azure Active Directory": {"User", "Group"},
		"customappsso":           {"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "urn:ietf:params:scim:schemas:core:2.0:Group"},
	}
	if !reflect.DeepEqual(dirs, want) {
		t.Fatalf("directories = %v", dirs)
	}

	// Other rules, other schema: the Active Directory rule's "user".
	ad := graphtest.Rule{ID: "ad-rule", Name: "USER_INBOUND", SourceDirectoryName: "Active Directory",
		TargetDirectoryName: "Azure Active Directory", Objects: []graphtest.ObjectMapping{{SourceObjectName: "user", TargetObjectName: "User"}}}
	if err := srv.SetJobRules("sp", job.ID, ad); err != nil {
		t.Fatal(err)
	}
	schema, err = c.GetJobSchema(ctx, "sp", job.ID)
	if err != nil {
		t.Fatal(err)
	}
	if id, err := schema.RuleFor("user"); err != nil || id != "ad-rule" {
		t.Fatalf("RuleFor(user) after SetJobRules = %q, %v", id, err)
	}
	if _, err := schema.RuleFor(models.ObjectTypeGroup); !errors.Is(err, models.ErrNoRule) {
		t.Fatalf("RuleFor(Group) after SetJobRules: %v", err)
	}
}

func TestJobSchemaRaw(t *testing.T) {
	srv, c := newServer(t, nil)
	job, _ := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	resp, body := rawRequest(t, srv, "GET", schemaPath(job.ID), nil)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json;odata.metadata=minimal") {
		t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var got struct {
		Context string `json:"@odata.context"`
		Rules   []struct {
			ID string `json:"id"`
		} `json:"synchronizationRules"`
		Directories []json.RawMessage `json:"directories"`
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	wantContext := "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('sp')/synchronization/jobs('" + job.ID + "')/schema/$entity"
	if got.Context != wantContext || len(got.Rules) != 1 || got.Rules[0].ID != graphtest.DefaultRuleID || len(got.Directories) != 2 {
		t.Fatalf("schema:\n%s", body)
	}
	// Asked twice, the same schema.
	if _, again := rawRequest(t, srv, "GET", schemaPath(job.ID), nil); string(again) != string(body) {
		t.Fatalf("a second GET differs:\n%s\n%s", body, again)
	}

	resp, body = rawRequest(t, srv, "GET", schemaPath("nope"), nil)
	wantError(t, resp, body, http.StatusNotFound, "Request_ResourceNotFound")
	resp, body = rawRequest(t, srv, "PUT", schemaPath("nope"), []byte(`{"synchronizationRules":[]}`))
	wantError(t, resp, body, http.StatusNotFound, "Request_ResourceNotFound")
	resp, body = rawRequest(t, srv, "POST", schemaPath(job.ID), nil)
	wantError(t, resp, body, http.StatusMethodNotAllowed, "BadRequest")
	if _, err := c.GetJobSchema(ctx, "sp", "nope"); !errors.Is(err, graphsync.ErrNotFound) {
		t.Fatalf("GetJobSchema of an unknown job: %v", err)
	}
}

// TestJobSchemaRoundTrip: GetJobSchema, UpdateJobSchema of the unchanged
// value, GetJobSchema gives the same.
func TestJobSchemaRoundTrip(t *testing.T) {
	srv, c := newServer(t, nil)
	job, _ := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	first, err := c.GetJobSchema(ctx, "sp", job.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.UpdateJobSchema(ctx, "sp", job.ID, *first); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	if put := reqs[len(reqs)-1]; put.Method != "PUT" || put.Status != http.StatusNoContent {
		t.Fatalf("PUT answered %d", put.Status)
	}
	second, err := c.GetJobSchema(ctx, "sp", job.ID)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(first)
	b, _ := json.Marshal(second)
	if !jsonEqual(t, a, b) {
		t.Fatalf("the schema changed:\n%s\n%s", a, b)
	}
	if got := srv.Rules("sp", job.ID); len(got) != 1 || got[0].ID != graphtest.DefaultRuleID || len(got[0].Objects) != 2 {
		t.Fatalf("rules after the round trip: %+v", got)
	}

	// A changed rule ID: provisionOnDemand follows the schema.
	srv.AddUser("u-1", "ada@contoso.com")
	second.SynchronizationRules[0].ID = "renamed-rule"
	if err := c.UpdateJobSchema(ctx, "sp", job.ID, *second); err != nil {
		t.Fatal(err)
	}
	third, _ := c.GetJobSchema(ctx, "sp", job.ID)
	id, err := third.RuleFor(models.ObjectTypeUser)
	if err != nil || id != "renamed-rule" {
		t.Fatalf("RuleFor after the change: %q, %v", id, err)
	}
	if _, err := c.ProvisionOnDemand(ctx, "sp", job.ID, models.NewProvisionRequest(graphtest.DefaultRuleID, models.User("u-1"))); err == nil {
		t.Fatal("provisionOnDemand took the rule the schema no longer has")
	}
	if _, err := c.ProvisionOnDemand(ctx, "sp", job.ID, models.NewProvisionRequest(id, models.User("u-1"))); err != nil {
		t.Fatal(err)
	}
}

// docSchemaUpdate is the documentation's schema update request, made JSON
// (it has trailing commas) and given rule IDs, which the fake requires.
func docSchemaUpdate(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../testdata/graphdocs/schema_update_request.txt")
	if err != nil {
		t.Fatal(err)
	}
	b = regexp.MustCompile(`,(\s*[}\]])`).ReplaceAll(b, []byte("$1"))
	b = []byte(strings.Replace(string(b), `"name": "USER_TO_USER",`, `"id": "user-to-user", "name": "USER_TO_USER",`, 1))
	if !json.Valid(b) {
		t.Fatalf("not repaired:\n%s", b)
	}
	return b
}

func TestJobSchemaPut(t *testing.T) {
	srv, c := newServer(t, nil)
	srv.AddUser("u-1", "ada@contoso.com")
	job, _ := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	doc := docSchemaUpdate(t)
	resp, body := rawRequest(t, srv, "PUT", schemaPath(job.ID), gzipped(t, doc), "Content-Encoding", "gzip")
	if resp.StatusCode != http.StatusNoContent || len(body) != 0 {
		t.Fatalf("PUT: %d %s", resp.StatusCode, body)
	}
	want := []graphtest.Rule{{ID: "user-to-user", Name: "USER_TO_USER", SourceDirectoryName: "Azure Active Directory",
		TargetDirectoryName: "Salesforce", Objects: []graphtest.ObjectMapping{{SourceObjectName: "User", TargetObjectName: "User"}}}}
	if got := srv.Rules("sp", job.ID); !reflect.DeepEqual(got, want) {
		t.Fatalf("rules = %+v", got)
	}
	// GET gives back what was PUT, with the @odata.context Graph writes.
	resp, body = rawRequest(t, srv, "GET", schemaPath(job.ID), nil)
	var o map[string]json.RawMessage
	if err := json.Unmarshal(body, &o); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("%d %v", resp.StatusCode, err)
	}
	if !strings.HasSuffix(string(o["@odata.context"]), `/schema/$entity"`) {
		t.Fatalf("context %s", o["@odata.context"])
	}
	delete(o, "@odata.context")
	rest, _ := json.Marshal(o)
	if !jsonEqual(t, rest, doc) {
		t.Fatalf("GET after PUT:\n%s\nwant\n%s", rest, doc)
	}
	if _, err := c.ProvisionOnDemand(ctx, "sp", job.ID, models.NewProvisionRequest("user-to-user", models.User("u-1"))); err != nil {
		t.Fatal(err)
	}
	// SetJobRules replaces the stored schema with a generated one.
	srv.SetJobRules("sp", job.ID, graphtest.DefaultRules("customappsso")...)
	if s, _ := c.GetJobSchema(ctx, "sp", job.ID); s == nil || len(s.SynchronizationRules) != 1 || s.SynchronizationRules[0].ID != graphtest.DefaultRuleID {
		t.Fatalf("after SetJobRules: %+v", s)
	}
}

func TestJobSchemaPutRefused(t *testing.T) {
	srv, c := newServer(t, nil)
	job, _ := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	_, before := rawRequest(t, srv, "GET", schemaPath(job.ID), nil)
	for _, body := range []string{
		``,
		`not json`,
		`[]`,
		`"schema"`,
		`{"directories":[]}`,
		`{"synchronizationRules":null}`,
		`{"synchronizationRules":{}}`,
		`{"synchronizationRules":[{"name":"no id"}]}`,
		`{"synchronizationRules":[{"id":"r1"},{"id":""}]}`,
		`{"synchronizationRules":[{"id":7}]}`,
		`{"synchronizationRules":[{"id":"r1","objectMappings":"User"}]}`,
	} {
		resp, b := rawRequest(t, srv, "PUT", schemaPath(job.ID), []byte(body))
		wantError(t, resp, b, http.StatusBadRequest, "BadRequest")
	}
	// An expression that does not parse is refused, wherever it is; the
	// message says where.
	s, err := c.GetJobSchema(ctx, "sp", job.ID)
	if err != nil {
		t.Fatal(err)
	}
	s.SynchronizationRules[0].ObjectMappings[1].AttributeMappings[2].Source.Expression = "Join(\" \",\n [a] [b])"
	bad, _ := json.Marshal(s)
	resp, b := rawRequest(t, srv, "PUT", schemaPath(job.ID), bad)
	wantError(t, resp, b, http.StatusBadRequest, "BadRequest")
	const msg = `The expression of synchronizationRules[0].objectMappings[1].attributeMappings[2] (target attribute 'members') does not parse: ` +
		`Expected \",\" or \")\" after an argument of \"Join\", found \"[b])\" (line 2, column 6).`
	if !strings.Contains(string(b), msg) {
		t.Errorf("the refusal says\n%s\nwant\n%s", b, msg)
	}
	if _, after := rawRequest(t, srv, "GET", schemaPath(job.ID), nil); string(after) != string(before) {
		t.Fatalf("a refused PUT changed the schema:\n%s", after)
	}
	if got := srv.RuleID("sp", job.ID, "User"); got != graphtest.DefaultRuleID {
		t.Fatalf("a refused PUT changed the rules: %q", got)
	}
	// The client's own check stops a schema without rules before sending.
	n := len(srv.Requests())
	if err := c.UpdateJobSchema(ctx, "sp", job.ID, models.SynchronizationSchema{}); err == nil || len(srv.Requests()) != n {
		t.Fatalf("UpdateJobSchema without rules: %v", err)
	}
	// A rule without an id gets the fake's 400 through the client too.
	s, _ = c.GetJobSchema(ctx, "sp", job.ID)
	s.SynchronizationRules[0].ID = ""
	var re *graphsync.ResponseError
	if err := c.UpdateJobSchema(ctx, "sp", job.ID, *s); !errors.As(err, &re) || re.StatusCode != http.StatusBadRequest {
		t.Fatalf("a rule without id: %v", err)
	}
}

// A PUT takes what parses: an unknown function (Graph finds it when the
// job runs, not on PUT) and a source without text (the documented
// "source": {}) are accepted and kept.
func TestJobSchemaPutTakesWhatParses(t *testing.T) {
	srv, c := newServer(t, nil)
	job, _ := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	s, _ := c.GetJobSchema(ctx, "sp", job.ID)
	ams := s.SynchronizationRules[0].ObjectMappings[0].AttributeMappings
	ams[0].Source.Expression = "Nope([userPrincipalName])"
	ams[1].Source = &models.AttributeMappingSource{}
	if err := c.UpdateJobSchema(ctx, "sp", job.ID, *s); err != nil {
		t.Fatal(err)
	}
	_, body := rawRequest(t, srv, "GET", schemaPath(job.ID), nil)
	if !strings.Contains(string(body), `"Nope([userPrincipalName])"`) {
		t.Errorf("not kept:\n%s", body)
	}
}

func TestTemplatesWithSchema(t *testing.T) {
	srv, c := newServer(t, nil)
	srv.AddServicePrincipal("sp", "scim", "AD2AADProvisioning")
	tmpl, err := c.GetTemplate(ctx, "sp", "scim")
	if err != nil {
		t.Fatal(err)
	}
	if tmpl.ID != "scim" || !tmpl.Default || tmpl.Schema == nil {
		t.Fatalf("template = %+v", tmpl)
	}
	if id, err := tmpl.Schema.RuleFor(models.ObjectTypeUser); err != nil || id != srv.TemplateRuleID("sp", "scim", "User") {
		t.Fatalf("template RuleFor(User) = %q, %v", id, err)
	}
	ad := graphtest.Rule{ID: "ad-rule", Name: "USER_INBOUND", SourceDirectoryName: "Active Directory",
		TargetDirectoryName: "Azure Active Directory", Objects: []graphtest.ObjectMapping{{SourceObjectName: "user", TargetObjectName: "User"}}}
	srv.SetTemplateRules("sp", "AD2AADProvisioning", ad)
	list, err := c.ListTemplates(ctx, "sp")
	if err != nil || len(list) != 2 {
		t.Fatalf("%d templates, %v", len(list), err)
	}
	for _, l := range list {
		if l.Schema == nil || len(l.Schema.SynchronizationRules) != 1 {
			t.Fatalf("listed template %s without its schema", l.ID)
		}
	}
	if id, _ := list[1].Schema.RuleFor("user"); id != "ad-rule" {
		t.Fatalf("listed AD template's rule = %q", id)
	}
	// A job from the template has the template's schema, under the job's ID.
	job, _ := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "AD2AADProvisioning"})
	js, err := c.GetJobSchema(ctx, "sp", job.ID)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(js.SynchronizationRules)
	b, _ := json.Marshal(list[1].Schema.SynchronizationRules)
	if !jsonEqual(t, a, b) {
		t.Fatalf("job rules differ from its template's:\n%s\n%s", a, b)
	}

	resp, body := rawRequest(t, srv, "GET", spPath+"/templates/scim", nil)
	var got struct {
		Context string          `json:"@odata.context"`
		ID      string          `json:"id"`
		Schema  json.RawMessage `json:"schema"`
	}
	if err := json.Unmarshal(body, &got); err != nil || resp.StatusCode != http.StatusOK ||
		got.Context != "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('sp')/synchronization/templates/$entity" ||
		got.ID != "scim" || !strings.Contains(string(got.Schema), `"synchronizationRules":[{`) {
		t.Fatalf("%d %v\n%s", resp.StatusCode, err, body)
	}
	resp, body = rawRequest(t, srv, "GET", spPath+"/templates/nope", nil)
	wantError(t, resp, body, http.StatusNotFound, "Request_ResourceNotFound")
	resp, body = rawRequest(t, srv, "DELETE", spPath+"/templates/scim", nil)
	wantError(t, resp, body, http.StatusMethodNotAllowed, "BadRequest")
	if _, err := c.GetTemplate(ctx, "sp", "nope"); !errors.Is(err, graphsync.ErrNotFound) {
		t.Fatalf("GetTemplate of an unknown template: %v", err)
	}
}

// DELETE of a job's schema (reset) goes back to the template's schema and
// rules, whatever was PUT or set.
func TestJobSchemaReset(t *testing.T) {
	srv, c := newServer(t, nil)
	srv.AddUser("u-1", "ada@contoso.com")
	job, _ := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	before, err := c.GetJobSchema(ctx, "sp", job.ID)
	if err != nil {
		t.Fatal(err)
	}
	if resp, body := rawRequest(t, srv, "PUT", schemaPath(job.ID), docSchemaUpdate(t)); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("PUT: %d %s", resp.StatusCode, body)
	}
	resp, body := rawRequest(t, srv, "DELETE", schemaPath(job.ID), nil)
	if resp.StatusCode != http.StatusNoContent || len(body) != 0 {
		t.Fatalf("DELETE: %d %s", resp.StatusCode, body)
	}
	after, err := c.GetJobSchema(ctx, "sp", job.ID)
	if err != nil {
		t.Fatal(err)
	}
	b1, _ := json.Marshal(before)
	b2, _ := json.Marshal(after)
	if !jsonEqual(t, b1, b2) {
		t.Fatalf("after reset:\n%s\nwant the template's\n%s", b2, b1)
	}
	if !reflect.DeepEqual(srv.Rules("sp", job.ID), graphtest.DefaultRules("customappsso")) {
		t.Fatalf("rules %+v", srv.Rules("sp", job.ID))
	}
	if _, err := c.ProvisionOnDemand(ctx, "sp", job.ID, models.NewProvisionRequest(graphtest.DefaultRuleID, models.User("u-1"))); err != nil {
		t.Fatal(err)
	}
	// The template's schema as it is now, after its rules changed.
	ad := graphtest.Rule{ID: "ad-rule", Name: "USER_INBOUND", SourceDirectoryName: "Active Directory",
		TargetDirectoryName: "Azure Active Directory", Objects: []graphtest.ObjectMapping{{SourceObjectName: "user", TargetObjectName: "User"}}}
	srv.SetTemplateRules("sp", "scim", ad)
	if err := c.ResetJobSchema(ctx, "sp", job.ID); err != nil {
		t.Fatal(err)
	}
	reset, _ := c.GetJobSchema(ctx, "sp", job.ID)
	tmpl, _ := c.GetTemplate(ctx, "sp", "scim")
	b1, _ = json.Marshal(reset.SynchronizationRules)
	b2, _ = json.Marshal(tmpl.Schema.SynchronizationRules)
	if !jsonEqual(t, b1, b2) || reset.SynchronizationRules[0].ID != "ad-rule" {
		t.Fatalf("after reset the rules are\n%s\nnot the template's\n%s", b1, b2)
	}
	b1, _ = json.Marshal(reset.Directories)
	b2, _ = json.Marshal(tmpl.Schema.Directories)
	if !jsonEqual(t, b1, b2) {
		t.Fatalf("after reset the directories are\n%s\nnot the template's\n%s", b1, b2)
	}
	// Through the Client; and a job that does not exist.
	srv.SetTemplateRules("sp", "scim", graphtest.DefaultRules("customappsso")...)
	srv.SetJobRules("sp", job.ID)
	if err := c.ResetJobSchema(ctx, "sp", job.ID); err != nil || len(srv.Rules("sp", job.ID)) != 1 {
		t.Fatalf("ResetJobSchema: %v, rules %+v", err, srv.Rules("sp", job.ID))
	}
	if err := c.ResetJobSchema(ctx, "sp", "nope"); statusOf(err) != http.StatusNotFound {
		t.Fatalf("unknown job: %v", err)
	}
}

// discover answers with a directory of the job's schema, generated or as
// PUT, discovered now; it takes no body.
func TestDiscoverDirectory(t *testing.T) {
	srv, c := newServer(t, nil)
	job, _ := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	schema, err := c.GetJobSchema(ctx, "sp", job.ID)
	if err != nil {
		t.Fatal(err)
	}
	target := schema.Directories[1]
	got, err := c.DiscoverDirectory(ctx, "sp", job.ID, target.ID)
	if err != nil {
		t.Fatal(err)
	}
	when, err := got.DiscoveryDateTime.Time()
	if err != nil || when.IsZero() || got.Version == "" || got.Name != "customappsso" || len(got.Objects) != len(target.Objects) ||
		!got.Discoverabilities.Has(models.DiscoverAttributeNames) {
		t.Fatalf("discovered %+v (%v)", got, err)
	}
	path := spPath + "/jobs/" + job.ID + "/schema/directories/" + target.ID + "/discover"
	for _, body := range []string{`{}`, `null`} {
		resp, b := rawRequest(t, srv, "POST", path, []byte(body))
		wantError(t, resp, b, http.StatusBadRequest, "BadRequest")
	}
	resp, b := rawRequest(t, srv, "GET", path, nil)
	wantError(t, resp, b, http.StatusMethodNotAllowed, "BadRequest")
	resp, b = rawRequest(t, srv, "POST", spPath+"/jobs/"+job.ID+"/schema/directories/nope/discover", nil)
	wantError(t, resp, b, http.StatusNotFound, "Request_ResourceNotFound")
	resp, b = rawRequest(t, srv, "POST", spPath+"/jobs/nope/schema/directories/"+target.ID+"/discover", nil)
	wantError(t, resp, b, http.StatusNotFound, "Request_ResourceNotFound")

	// After a PUT, the directories are those of the schema PUT.
	doc := []byte(`{"synchronizationRules":[{"id":"r"}],"directories":[{"id":"d-1","name":"Salesforce","objects":[{"name":"User","attributes":[]}],"discoverabilities":"AttributeNames"}]}`)
	if resp, b := rawRequest(t, srv, "PUT", schemaPath(job.ID), doc); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("PUT: %d %s", resp.StatusCode, b)
	}
	got, err = c.DiscoverDirectory(ctx, "sp", job.ID, "d-1")
	if err != nil || got.Name != "Salesforce" || got.Objects[0].Name != "User" || got.Discoverabilities != "AttributeNames" || got.DiscoveryDateTime == "" {
		t.Fatalf("after PUT: %+v, %v", got, err)
	}
	if _, err := c.DiscoverDirectory(ctx, "sp", job.ID, target.ID); statusOf(err) != http.StatusNotFound {
		t.Fatalf("a directory the PUT removed: %v", err)
	}
}
