package graphtest_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

func TestRulesOfTemplatesAndJobs(t *testing.T) {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp", "scim", "AD2AADProvisioning")
	if got := srv.TemplateRuleID("sp", "scim", "User"); got != graphtest.DefaultRuleID {
		t.Fatalf("scim User rule = %q", got)
	}
	if got := srv.TemplateRuleID("sp", "scim", "Group"); got != graphtest.DefaultRuleID {
		t.Fatalf("scim Group rule = %q", got)
	}
	for _, typ := range []string{"Device", "Usr", "Users"} {
		if got := srv.TemplateRuleID("sp", "scim", typ); got != "" {
			t.Fatalf("scim %s rule = %q", typ, got)
		}
	}
	// Names match without regard to case.
	for _, typ := range []string{"user", "USER", "group"} {
		if got := srv.TemplateRuleID("sp", "scim", typ); got != graphtest.DefaultRuleID {
			t.Fatalf("scim %s rule = %q", typ, got)
		}
	}
	ad := graphtest.Rule{ID: "6c409270-f78a-4bc6-af23-7cf3ab6482fe", Name: "USER_INBOUND_USER",
		SourceDirectoryName: "Active Directory", TargetDirectoryName: "Azure Active Directory",
		Objects: []graphtest.ObjectMapping{{SourceObjectName: "user", TargetObjectName: "User"}}}
	if err := srv.SetTemplateRules("sp", "AD2AADProvisioning", ad); err != nil {
		t.Fatal(err)
	}
	if err := srv.SetTemplateRules("sp", "nope", ad); err == nil {
		t.Fatal("SetTemplateRules on an unknown template")
	}
	c, _ := srv.NewClient()
	job, err := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "AD2AADProvisioning"})
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.RuleID("sp", job.ID, "user"); got != ad.ID {
		t.Fatalf("job rule = %q", got)
	}
	if rules := srv.Rules("sp", job.ID); len(rules) != 1 || rules[0].Name != "USER_INBOUND_USER" {
		t.Fatalf("job rules = %+v", rules)
	}
	// The job keeps the rules it was created with; SetJobRules replaces them.
	srv.SetTemplateRules("sp", "AD2AADProvisioning")
	if got := srv.RuleID("sp", job.ID, "user"); got != ad.ID {
		t.Fatalf("job rule after the template changed = %q", got)
	}
	if err := srv.SetJobRules("sp", job.ID, graphtest.DefaultRules("x")...); err != nil {
		t.Fatal(err)
	}
	if srv.RuleID("sp", job.ID, "user") != graphtest.DefaultRuleID || len(srv.Rules("sp", job.ID)) != 1 {
		t.Fatal("SetJobRules did not replace the rules")
	}
	// A rule that spells the name the same way comes first.
	if err := srv.SetJobRules("sp", job.ID, append(graphtest.DefaultRules("x"), ad)...); err != nil {
		t.Fatal(err)
	}
	if srv.RuleID("sp", job.ID, "user") != ad.ID || srv.RuleID("sp", job.ID, "User") != graphtest.DefaultRuleID || srv.RuleID("sp", job.ID, "USER") != graphtest.DefaultRuleID {
		t.Fatal("the same spelling first")
	}
	if srv.SetJobRules("sp", "nope") == nil || srv.RuleID("sp", "nope", "User") != "" || srv.Rules("sp", "nope") != nil {
		t.Fatal("unknown job")
	}
}

// The documentation's three examples, each under its own rule.
func TestProvisionDocumentedExamples(t *testing.T) {
	srv, c := newServer(t, nil)
	saas := graphtest.DefaultRules("customappsso")[0]
	saas.ID = "ea807875-5618-4f0a-9125-0b46a05298ca"
	ad := graphtest.Rule{ID: "6c409270-f78a-4bc6-af23-7cf3ab6482fe", SourceDirectoryName: "Active Directory",
		TargetDirectoryName: "Azure Active Directory", Objects: []graphtest.ObjectMapping{{SourceObjectName: "user", TargetObjectName: "User"}}}
	group := graphtest.DefaultRules("customappsso")[0]
	group.ID = "33f7c90d-bf71-41b1-bda6-aaf0ddbee5d8" // named with a #V2 suffix
	if err := srv.SetTemplateRules("sp", "scim", saas, ad, group); err != nil {
		t.Fatal(err)
	}
	srv.AddUser("9bb0f679-a883-4a6f-8260-35b491b8b8c8", "BillBob@contoso.com")
	srv.AddUser("CN=AdeleV,CN=Users,DC=corp,DC=chicago,DC=com", "adelev@chicago.com")
	srv.AddGroup("8213fd99-d6b6-417b-8e13-af6334856215", "Sales")
	srv.AddUser("cbc86211-6ada-4803-b73f-8039cf56d8a2", "m1@contoso.com")
	srv.AddUser("2bc86211-6ada-4803-b73f-8039cf56d8a2", "m2@contoso.com")
	job, _ := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	reqs := []models.ProvisionRequest{
		models.NewProvisionRequest("ea807875-5618-4f0a-9125-0b46a05298ca", models.User("9bb0f679-a883-4a6f-8260-35b491b8b8c8")),
		models.NewProvisionRequest("6c409270-f78a-4bc6-af23-7cf3ab6482fe",
			models.Subject{ObjectID: "CN=AdeleV,CN=Users,DC=corp,DC=chicago,DC=com", ObjectTypeName: "user"}),
		models.NewProvisionRequest("33f7c90d-bf71-41b1-bda6-aaf0ddbee5d8#V2",
			models.Group("8213fd99-d6b6-417b-8e13-af6334856215", "cbc86211-6ada-4803-b73f-8039cf56d8a2", "2bc86211-6ada-4803-b73f-8039cf56d8a2")),
	}
	for i, req := range reqs {
		res, err := c.ProvisionOnDemand(ctx, "sp", job.ID, req)
		if err != nil || !res.Succeeded() {
			t.Fatalf("example %d: %+v, %v", i+1, res, err)
		}
		switch i {
		case 0:
			if res.Value.TargetSystem.Name != "customappsso" || res.Value.SourceSystem.Name != "Azure Active Directory" {
				t.Fatalf("example 1 systems: %+v %+v", res.Value.SourceSystem, res.Value.TargetSystem)
			}
		case 1:
			if res.Value.SourceSystem.Name != "Active Directory" || res.Value.TargetIdentity.Type != "User" ||
				res.Value.SourceIdentity.Type != "user" {
				t.Fatalf("example 2: %+v %+v", res.Value.SourceSystem, res.Value.TargetIdentity)
			}
		case 2:
			if res.RawValue != "{}" {
				t.Fatalf("example 3 value = %s", res.RawValue)
			}
		}
	}
}

// What Graph refuses, the fake refuses: an unknown ruleId, an object type
// the rule does not handle, a group of more than five members. Refused
// calls do not count toward the limit.
func TestProvisionRefusalsRaw(t *testing.T) {
	srv, _ := newServer(t, nil)
	srv.AddUser("u1", "u1@contoso.com")
	srv.AddGroup("g1", "Sales")
	id := createRaw(t, srv)
	members := func(n int) string {
		var m []string
		for i := range n {
			m = append(m, fmt.Sprintf(`{"objectId":"m%d","objectTypeName":"User"}`, i))
		}
		return strings.Join(m, ",")
	}
	body := func(rule, subjects string) []byte {
		return []byte(`{"parameters":[{"ruleId":"` + rule + `","subjects":[` + subjects + `]}]}`)
	}
	user := `{"objectId":"u1","objectTypeName":"User"}`
	for _, tc := range []struct {
		name, body, code, in string
	}{
		{"unknown rule", string(body("ea807875-5618-4f0a-9125-0b46a05298ca", user)), "RequestParameterInvalid",
			"The request also identified this synchronization rule: ea807875-5618-4f0a-9125-0b46a05298ca.  However, the job does not include the rule."},
		{"empty rule", string(body("", user)), "RequestParameterInvalid", "does not include the rule"},
		{"Usr", string(body(graphtest.DefaultRuleID, `{"objectId":"u1","objectTypeName":"Usr"}`)), "RequestParameterInvalid", "objects of type 'Usr'"},
		{"Device", string(body(graphtest.DefaultRuleID, `{"objectId":"d1","objectTypeName":"Device"}`)), "RequestParameterInvalid", "objects of type 'Device'"},
		{"member type", string(body(graphtest.DefaultRuleID, `{"objectId":"g1","objectTypeName":"Group","links":{"members":[{"objectId":"d","objectTypeName":"Device"}]}}`)),
			"RequestParameterInvalid", "links.members[0]"},
		{"10 members", string(body(graphtest.DefaultRuleID, `{"objectId":"g1","objectTypeName":"Group","links":{"members":[`+members(10)+`]}}`)),
			"RequestParameterInvalid", "at most 5 members"},
		{"6 members", string(body(graphtest.DefaultRuleID, `{"objectId":"g1","objectTypeName":"Group","links":{"members":[`+members(6)+`]}}`)),
			"RequestParameterInvalid", "has 6"},
		{"two subjects", string(body(graphtest.DefaultRuleID, user+","+user)), "RequestParameterInvalid", "one subject"},
		{"no subjects", string(body(graphtest.DefaultRuleID, "")), "RequestParameterInvalid", "one subject"},
		{"no objectId", string(body(graphtest.DefaultRuleID, `{"objectTypeName":"User"}`)), "RequestParameterInvalid", "objectId"},
		{"no parameters", `{}`, "RequestParameterInvalid", "'parameters' is required"},
		{"two parameters", `{"parameters":[{"ruleId":"` + graphtest.DefaultRuleID + `","subjects":[` + user + `]},{"ruleId":"` + graphtest.DefaultRuleID + `","subjects":[` + user + `]}]}`,
			"RequestParameterInvalid", "has 2"},
		{"unknown parameter", `{"parameters":[],"force":true}`, "BadRequest", "'force'"},
		{"not JSON", `{"parameters":`, "BadRequest", "not valid JSON"},
	} {
		resp, b := rawRequest(t, srv, "POST", spPath+"/jobs/"+id+"/provisionOnDemand", []byte(tc.body))
		if e := wantError(t, resp, b, http.StatusBadRequest, tc.code); !strings.Contains(e.Error.Message, tc.in) {
			t.Errorf("%s: message %q does not say %q", tc.name, e.Error.Message, tc.in)
		}
	}
	if n := len(srv.ProvisionTimes()); n != 0 {
		t.Fatalf("%d refused calls counted toward the limit", n)
	}
	// Five members is the limit, not past it; a #suffix is ignored.
	resp, b := rawRequest(t, srv, "POST", spPath+"/jobs/"+id+"/provisionOnDemand",
		body(strings.ToUpper(graphtest.DefaultRuleID)+"#V2", `{"objectId":"g1","objectTypeName":"Group","links":{"members":[`+members(5)+`]}}`))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("5 members: %d %s", resp.StatusCode, b)
	}
	var out struct{ Key string }
	json.Unmarshal(b, &out)
	if !strings.Contains(out.Key, `"Failure"`) || !strings.Contains(out.Key, "m0") {
		t.Fatalf("unknown members: key %s", out.Key)
	}
}

func TestProvisionRefusalsWithClient(t *testing.T) {
	// In virtual time: the client's own limiter paces the calls.
	synctest.Test(t, testProvisionRefusalsWithClient)
}

func testProvisionRefusalsWithClient(t *testing.T) {
	srv, c := newServer(t, &graphtest.Options{InProcess: true})
	srv.AddUser("u1", "u1@contoso.com")
	srv.AddGroup("g1", "Sales")
	job, _ := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	var re *graphsync.ResponseError
	for _, req := range []models.ProvisionRequest{
		models.NewProvisionRequest("any-rule", models.User("u1")),
		models.NewProvisionRequest(graphtest.DefaultRuleID, models.Subject{ObjectID: "u1", ObjectTypeName: "Usr"}),
		models.NewProvisionRequest(graphtest.DefaultRuleID, models.Subject{ObjectID: "d1", ObjectTypeName: "Device"}),
	} {
		_, err := c.ProvisionOnDemand(ctx, "sp", job.ID, req)
		if !errors.As(err, &re) || re.StatusCode != 400 || re.Code != "RequestParameterInvalid" || re.RequestID == "" {
			t.Fatalf("%+v: %v", req.Parameters[0], err)
		}
	}
	// Ten members: refused, by the client itself (models.ProvisionRequest
	// checks the five-member limit) or by the fake.
	ten := make([]string, 10)
	for i := range ten {
		ten[i] = fmt.Sprintf("m%d", i)
		srv.AddUser(ten[i], ten[i])
	}
	_, err := c.ProvisionOnDemand(ctx, "sp", job.ID, models.NewProvisionRequest(graphtest.DefaultRuleID, models.Group("g1", ten...)))
	var ve *graphsync.ValidationError
	switch {
	case errors.As(err, &re):
		if re.StatusCode != 400 || re.Code != "RequestParameterInvalid" || !strings.Contains(re.Message, "at most 5 members") {
			t.Fatalf("10 members: %v", err)
		}
	case errors.As(err, &ve):
	default:
		t.Fatalf("10 members: %v", err)
	}
	// A member that does not exist: a Failure result naming it.
	res, err := c.ProvisionOnDemand(ctx, "sp", job.ID, models.NewProvisionRequest(graphtest.DefaultRuleID, models.Group("g1", "m1", "ghost")))
	if err != nil || !res.Failed() || res.Key.Details.ErrorCode != "EntryNotFound" || !strings.Contains(res.Key.Details.ErrorMessage, "'ghost'") ||
		res.FailedStep() == nil || res.FailedStep().Details["objectId"] != "ghost" {
		t.Fatalf("unknown member: %+v, %v", res, err)
	}
	// The group was not provisioned: with its members known it succeeds.
	res, err = c.ProvisionOnDemand(ctx, "sp", job.ID, models.NewProvisionRequest(graphtest.DefaultRuleID, models.Group("g1", "m1", "m2")))
	if err != nil || !res.Succeeded() {
		t.Fatalf("group: %+v, %v", res, err)
	}
	if n := len(srv.ProvisionTimes()); n != 2 {
		t.Fatalf("%d calls counted toward the limit, want the 2 answered 200", n)
	}
}

// Object type names match without regard to case: Microsoft's own
// provisionOnDemand examples spell "User" (to a SaaS application) and
// "user" (from Active Directory), and the official SDK runs both.
func TestProvisionObjectTypeCase(t *testing.T) {
	srv, c := newServer(t, nil)
	srv.AddUser("u1", "u1@contoso.com")
	srv.AddUser("u2", "u2@contoso.com")
	srv.AddGroup("g1", "Sales")
	job, _ := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	for _, subj := range []models.Subject{
		{ObjectID: "u1", ObjectTypeName: "user"},
		{ObjectID: "g1", ObjectTypeName: "GROUP", Links: &models.LinkedObjects{Members: []models.Subject{{ObjectID: "u2", ObjectTypeName: "uSeR"}}}},
	} {
		res, err := c.ProvisionOnDemand(ctx, "sp", job.ID, models.NewProvisionRequest(graphtest.DefaultRuleID, subj))
		if err != nil || res.Key.Result != models.OutcomeSuccess {
			t.Fatalf("%s %s: %+v, %v", subj.ObjectTypeName, subj.ObjectID, res, err)
		}
	}
	// A type the rule does not map, in any case, is still refused.
	_, err := c.ProvisionOnDemand(ctx, "sp", job.ID, models.NewProvisionRequest(graphtest.DefaultRuleID, models.Subject{ObjectID: "u1", ObjectTypeName: "device"}))
	if statusOf(err) != http.StatusBadRequest {
		t.Fatalf("device: %v", err)
	}
}
