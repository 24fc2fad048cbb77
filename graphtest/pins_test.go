package graphtest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

// A Body fault without a Status keeps the real answer's status: a created
// job is still 201, an unknown one still 404, and Requests records it.
func TestFaultBodyKeepsTheRealStatus(t *testing.T) {
	srv, _ := newServer(t, nil)
	const malformed = `{"id": `
	srv.InjectFault(graphtest.Fault{Method: "POST", PathContains: "/jobs", Body: malformed})
	srv.InjectFault(graphtest.Fault{Method: "GET", PathContains: "/jobs/nope", Body: malformed})
	for _, tc := range []struct {
		method, path string
		body         []byte
		status       int
	}{
		{"POST", spPath + "/jobs", []byte(`{"templateId":"scim"}`), http.StatusCreated},
		{"GET", spPath + "/jobs/nope", nil, http.StatusNotFound},
	} {
		resp, body := rawRequest(t, srv, tc.method, tc.path, tc.body)
		if resp.StatusCode != tc.status || string(body) != malformed {
			t.Errorf("%s %s: %d %s; want %d %s", tc.method, tc.path, resp.StatusCode, body, tc.status, malformed)
		}
		reqs := srv.Requests()
		if got := reqs[len(reqs)-1].Status; got != tc.status {
			t.Errorf("%s %s: recorded status %d; want %d", tc.method, tc.path, got, tc.status)
		}
	}
}

// jobsPage is one page of a job list.
type jobsPage struct {
	Value    []json.RawMessage `json:"value"`
	NextLink string            `json:"@odata.nextLink"`
}

func getJobsPage(t *testing.T, srv *graphtest.Server, pathAndQuery string) jobsPage {
	t.Helper()
	resp, body := rawRequest(t, srv, "GET", pathAndQuery, nil)
	var p jobsPage
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &p) != nil {
		t.Fatalf("GET %s: %d %s", pathAndQuery, resp.StatusCode, body)
	}
	return p
}

// A list is paged only while items remain: a page that ends the list has
// no nextLink, even when it is full.
func TestPagingLastFullPageHasNoNextLink(t *testing.T) {
	srv, c := newServer(t, &graphtest.Options{PageSize: 2})
	for range 4 {
		if _, err := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"}); err != nil {
			t.Fatal(err)
		}
	}
	p := getJobsPage(t, srv, spPath+"/jobs")
	want := srv.URL + spPath + "/jobs?$skiptoken=2"
	if len(p.Value) != 2 || p.NextLink != want {
		t.Fatalf("first page: %d jobs, nextLink %q; want 2 and %q", len(p.Value), p.NextLink, want)
	}
	p = getJobsPage(t, srv, spPath+"/jobs?$skiptoken=2")
	if len(p.Value) != 2 || p.NextLink != "" {
		t.Fatalf("last page: %d jobs, nextLink %q; want 2 and none", len(p.Value), p.NextLink)
	}
}

// The $skiptoken of a list is a position in it: 0 is its start, and the
// position at its end (where a nextLink points when the jobs after it were
// deleted) is an empty last page, not an error.
func TestPagingSkiptokenFromStartToEnd(t *testing.T) {
	srv, c := newServer(t, &graphtest.Options{PageSize: 1})
	var ids []string
	for range 2 {
		j, err := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, j.ID)
	}
	first := getJobsPage(t, srv, spPath+"/jobs")
	if p := getJobsPage(t, srv, spPath+"/jobs?$skiptoken=0"); len(p.Value) != 1 ||
		string(p.Value[0]) != string(first.Value[0]) || p.NextLink != first.NextLink {
		t.Fatalf("$skiptoken=0: %+v; want the first page %+v", p, first)
	}
	if first.NextLink == "" {
		t.Fatal("first of two pages has no nextLink")
	}
	if err := c.DeleteJob(ctx, "sp", ids[1]); err != nil {
		t.Fatal(err)
	}
	resp, body := rawRequest(t, srv, "GET", first.NextLink[len(srv.URL):], nil)
	var p jobsPage
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &p) != nil || len(p.Value) != 0 || p.NextLink != "" {
		t.Fatalf("nextLink after the rest was deleted: %d %s; want 200 and an empty last page", resp.StatusCode, body)
	}
}

// Saving secrets sets each key sent: a key saved before gets the new value
// and other keys keep theirs; a service principal holds one value per key.
func TestSecretsAreSetByKey(t *testing.T) {
	srv, c := newServer(t, nil)
	save := func(kv ...models.SecretKeyValue) {
		t.Helper()
		if err := c.SaveSecrets(ctx, "sp", kv); err != nil {
			t.Fatal(err)
		}
	}
	save(models.SecretKeyValue{Key: "BaseAddress", Value: models.NewSecret("https://a")}, models.SecretKeyValue{Key: "SecretToken", Value: models.NewSecret("t1")})
	save(models.SecretKeyValue{Key: "SecretToken", Value: models.NewSecret("t2")})
	save(models.SecretKeyValue{Key: "SyncNotificationSettings", Value: models.NewSecret("{}")})
	want := []models.SecretKeyValue{{Key: "BaseAddress", Value: models.NewSecret("https://a")}, {Key: "SecretToken", Value: models.NewSecret("t2")},
		{Key: "SyncNotificationSettings", Value: models.NewSecret("{}")}}
	// SecretKeyValue redacts its value when printed; show the test's own.
	show := func(kvs []models.SecretKeyValue) string {
		var b strings.Builder
		for _, kv := range kvs {
			fmt.Fprintf(&b, "%s=%s ", kv.Key, kv.Value.Reveal())
		}
		return b.String()
	}
	if got := srv.Secrets("sp"); show(got) != show(want) {
		t.Fatalf("secrets = %s; want %s", show(got), show(want))
	}
}

// restart takes no body, or {"criteria":{"resetScope":...}} with the
// documented scopes; no criteria, a null or an empty resetScope is the
// default restart. Anything else is refused and leaves the job as it was.
func TestRestartBodies(t *testing.T) {
	srv, _ := newServer(t, nil)
	id := createRaw(t, srv)
	path := spPath + "/jobs/" + id + "/restart"
	for _, body := range []string{
		"",
		"{}",
		`{"criteria":null}`,
		`{"criteria":{}}`,
		`{"criteria":{"resetScope":null}}`,
		`{"criteria":{"resetScope":""}}`,
		`{"criteria":{"resetScope":"Watermark, Escrows"}}`,
		`{"criteria":{"@odata.type":"#microsoft.graph.synchronizationJobRestartCriteria","resetScope":"Full"}}`,
	} {
		var b []byte
		if body != "" {
			b = []byte(body)
		}
		if resp, rb := rawRequest(t, srv, "POST", path, b); resp.StatusCode != http.StatusNoContent {
			t.Errorf("restart with %q: %d %s; want 204", body, resp.StatusCode, rb)
		}
	}
	for _, body := range []string{
		`[1]`,
		`"Full"`,
		`{"criteria":"Full"}`,
		`{"criteria":[]}`,
		`{"criteria":{"resetScope":5}}`,
		`{"criteria":{"resetScope":"Everything"}}`,
		`{"criteria":{"resetScope":"Watermark, Nope"}}`,
		`{"criteria":{"resetScope":"Full","colour":"red"}}`,
		`{"resetScope":"Full"}`,
		// Neither an annotation nor a null criteria or resetScope ends
		// the checks.
		`{"@odata.context":"x","criteria":{"resetScope":"Nope"}}`,
		`{"criteria":null,"resetScope":"Full"}`,
		`{"criteria":{"resetScope":null,"scope":"Full"}}`,
		`{"criteria":{"resetScope":"","scope":"Full"}}`,
		`{"criteria":{"@odata.type":"#microsoft.graph.synchronizationJob","resetScope":"Full"}}`,
	} {
		if resp, rb := rawRequest(t, srv, "POST", spPath+"/jobs/"+id+"/pause", nil); resp.StatusCode != http.StatusNoContent {
			t.Fatalf("pause: %d %s", resp.StatusCode, rb)
		}
		if resp, rb := rawRequest(t, srv, "POST", path, []byte(body)); resp.StatusCode != http.StatusBadRequest || graphErrorCode(rb) != "BadRequest" {
			t.Errorf("restart with %s: %d %s; want 400 BadRequest", body, resp.StatusCode, rb)
		}
		if j, _ := srv.Job("sp", id); j.Schedule.State != models.SchedulePaused {
			t.Errorf("refused restart with %s changed the job: %s", body, j.Schedule.State)
		}
	}
}

// A job action with a segment after it is not that action: it is
// refused and leaves the job as it was.
func TestActionWithATrailingSegment(t *testing.T) {
	srv, _ := newServer(t, nil)
	id := createRaw(t, srv)
	if resp, rb := rawRequest(t, srv, "POST", spPath+"/jobs/"+id+"/pause", nil); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("pause: %d %s", resp.StatusCode, rb)
	}
	resp, b := rawRequest(t, srv, "POST", spPath+"/jobs/"+id+"/start/now", nil)
	wantError(t, resp, b, http.StatusBadRequest, "BadRequest")
	if j, _ := srv.Job("sp", id); j.Schedule.State != models.SchedulePaused {
		t.Fatalf("start/now changed the job: %s", j.Schedule.State)
	}
}

// logsPage is one page of the provisioning logs.
type logsPage struct {
	Value    []models.ProvisioningObjectSummary `json:"value"`
	NextLink string                             `json:"@odata.nextLink"`
}

// sourceIDs lists the sourceIdentity/id of a page's events, in order.
func (p logsPage) sourceIDs() string {
	var ids []string
	for _, ev := range p.Value {
		ids = append(ids, ev.SourceIdentity.ID)
	}
	return strings.Join(ids, ",")
}

// The provisioning logs' paging: a page holds $top events (1 to 1000), a
// nextLink only while matching events remain, and $skiptoken is a position
// in the log from 0 (its start) to its end, where events written later
// come.
func TestProvisioningLogsPaging(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c, job := inboundServer(t, nil)
		hc := &http.Client{Transport: srv.Transport()}
		upload := func(from, to int) {
			t.Helper()
			var us []models.SCIMUser
			for i := from; i <= to; i++ {
				us = append(us, hrUser(i))
			}
			for req := range models.BulkUploadChunks(slices.Values(us)) {
				if _, err := c.BulkUpload(ctx, "sp", job, req); err != nil {
					t.Fatal(err)
				}
			}
			time.Sleep(graphtest.DefaultInboundDelay)
		}
		get := func(u string) logsPage {
			t.Helper()
			if !strings.HasPrefix(u, "http") {
				u = srv.URL + "/v1.0/auditLogs/provisioning?" + u
			}
			resp, b := rawVia(t, hc, "GET", u, nil)
			var p logsPage
			if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &p) != nil {
				t.Fatalf("GET %s: %d %s", u, resp.StatusCode, b)
			}
			return p
		}
		upload(1, 3)

		p := get("$top=2")
		if p.sourceIDs() != "E0001,E0002" || p.NextLink == "" {
			t.Fatalf("$top=2: %s, nextLink %q; want E0001,E0002 and a nextLink", p.sourceIDs(), p.NextLink)
		}
		if p = get(p.NextLink); p.sourceIDs() != "E0003" || p.NextLink != "" {
			t.Fatalf("second page: %s, nextLink %q; want E0003 and none", p.sourceIDs(), p.NextLink)
		}
		if p = get("$top=1000"); p.sourceIDs() != "E0001,E0002,E0003" || p.NextLink != "" {
			t.Fatalf("$top=1000: %s, nextLink %q", p.sourceIDs(), p.NextLink)
		}
		if p = get("$skiptoken=0&$top=1"); p.sourceIDs() != "E0001" {
			t.Fatalf("$skiptoken=0: %s; want the first event", p.sourceIDs())
		}
		// A filter's last page has no nextLink when only events that do not
		// match follow it.
		if p = get("$top=1&$filter=" + url.QueryEscape("sourceIdentity/id eq 'E0001'")); p.sourceIDs() != "E0001" || p.NextLink != "" {
			t.Fatalf("one matching event, then others: %s, nextLink %q; want E0001 and none", p.sourceIDs(), p.NextLink)
		}
		if p = get("$top=1&$filter=" + url.QueryEscape("sourceIdentity/id eq 'E0002'")); p.sourceIDs() != "E0002" || p.NextLink != "" {
			t.Fatalf("a matching event between others: %s, nextLink %q; want E0002 and none", p.sourceIDs(), p.NextLink)
		}
		// The end of the log is a position too: nothing yet, then what is
		// written after it.
		if p = get("$skiptoken=3"); len(p.Value) != 0 || p.NextLink != "" {
			t.Fatalf("$skiptoken at the end: %s, nextLink %q; want an empty page", p.sourceIDs(), p.NextLink)
		}
		upload(4, 4)
		if p = get("$skiptoken=3"); p.sourceIDs() != "E0004" || p.NextLink != "" {
			t.Fatalf("$skiptoken at the old end: %s, nextLink %q; want E0004", p.sourceIDs(), p.NextLink)
		}
	})
}

// A $filter that ends where a string literal should start is refused, as
// any incomplete clause is.
func TestProvisioningLogsFilterWithoutLiteral(t *testing.T) {
	srv, _ := newServer(t, nil)
	for _, f := range []string{"jobId eq", "jobId eq ", "sourceIdentity/id eq 'x' and id eq"} {
		resp, b := rawRequest(t, srv, "GET", "/v1.0/auditLogs/provisioning?$filter="+url.QueryEscape(f), nil)
		wantError(t, resp, b, http.StatusBadRequest, "BadRequest")
	}
}

// The fake takes linked subjects nested as deep as graphsync's own
// validation lets through, and refuses one level deeper with 400
// RequestParameterInvalid, whether the nesting goes through members,
// owners or managers.
func TestProvisionLinkDepthAgreesWithTheClient(t *testing.T) {
	srv, _ := newServer(t, &graphtest.Options{DisableProvisionLimit: true})
	id := createRaw(t, srv)
	// nest returns a subject with levels levels of links, each a group
	// bringing the next subject as member or owner, or a user bringing
	// the next as manager.
	nest := func(levels int, via string) models.Subject {
		s := models.User("u0")
		srv.AddUser("u0", "u0@contoso.com")
		for i := 1; i <= levels; i++ {
			next := s
			if via == "manager" {
				s = models.User(fmt.Sprintf("u%d", i))
				srv.AddUser(s.ObjectID, s.ObjectID+"@contoso.com")
				s.Links = &models.LinkedObjects{Manager: &next}
				continue
			}
			s = models.Subject{ObjectID: fmt.Sprintf("g%d", i), ObjectTypeName: models.ObjectTypeGroup, Links: &models.LinkedObjects{}}
			srv.AddGroup(s.ObjectID, s.ObjectID)
			if via == "owners" {
				s.Links.Owners = []models.Subject{next}
			} else {
				s.Links.Members = []models.Subject{next}
			}
		}
		return s
	}
	deepest := -1
	for levels := 1; levels < 20; levels++ {
		if models.NewProvisionRequest(graphtest.DefaultRuleID, nest(levels, "members")).Validate() != nil {
			break
		}
		deepest = levels
	}
	if deepest < 1 {
		t.Fatal("the client takes no linked subjects")
	}
	for _, via := range []string{"members", "owners", "manager"} {
		for _, levels := range []int{deepest, deepest + 1} {
			req := models.NewProvisionRequest(graphtest.DefaultRuleID, nest(levels, via))
			body, err := json.Marshal(req)
			if err != nil {
				t.Fatal(err)
			}
			resp, b := rawRequest(t, srv, "POST", spPath+"/jobs/"+id+"/provisionOnDemand", body)
			if req.Validate() == nil {
				if resp.StatusCode != http.StatusOK {
					t.Errorf("%d levels (%s), valid for the client: %d %s", levels, via, resp.StatusCode, b)
				}
				continue
			}
			if resp.StatusCode != http.StatusBadRequest || graphErrorCode(b) != "RequestParameterInvalid" {
				t.Errorf("%d levels (%s), refused by the client: %d %.200s; want 400 RequestParameterInvalid", levels, via, resp.StatusCode, b)
			}
		}
	}
}

// A user provisioned with its manager gets a user's answer (the steps
// taken, Create), not the empty value of a group brought with members.
func TestProvisionUserWithManager(t *testing.T) {
	srv, c := newServer(t, nil)
	srv.AddUser("u1", "u1@contoso.com")
	srv.AddUser("m1", "m1@contoso.com")
	job, err := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	if err != nil {
		t.Fatal(err)
	}
	u := models.User("u1")
	m := models.User("m1")
	u.Links = &models.LinkedObjects{Manager: &m}
	res, err := c.ProvisionOnDemand(ctx, "sp", job.ID, models.NewProvisionRequest(graphtest.DefaultRuleID, u))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Succeeded() || res.Value.Action != models.ActionCreate || res.Value.SourceIdentity == nil ||
		res.Value.SourceIdentity.ID != "u1" || len(res.Value.ProvisioningSteps) == 0 {
		t.Fatalf("user with a manager: key %s, value %s", res.RawKey, res.RawValue)
	}
}

// A generated schema lists its rules in the order they are processed,
// numbered from 1 as Graph numbers a job's rule, and describes every
// attribute its mappings read and write, once, on the directory object
// the mapping names.
func TestGeneratedSchemaRulesAndAttributes(t *testing.T) {
	srv, c := newServer(t, nil)
	job, err := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	if err != nil {
		t.Fatal(err)
	}
	ad := graphtest.Rule{ID: "ad-rule", Name: "USER_INBOUND", SourceDirectoryName: "Active Directory",
		TargetDirectoryName: "Azure Active Directory", Objects: []graphtest.ObjectMapping{{SourceObjectName: "user", TargetObjectName: "User"}}}
	if err := srv.SetJobRules("sp", job.ID, append(graphtest.DefaultRules("customappsso"), ad)...); err != nil {
		t.Fatal(err)
	}
	schema, err := c.GetJobSchema(ctx, "sp", job.ID)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i, r := range schema.SynchronizationRules {
		ids = append(ids, r.ID)
		if r.Priority != int32(i+1) {
			t.Errorf("rule %d (%s) has priority %d; want %d", i, r.ID, r.Priority, i+1)
		}
	}
	if want := []string{graphtest.DefaultRuleID, "ad-rule"}; !slices.Equal(ids, want) {
		t.Fatalf("rules %v; want %v", ids, want)
	}
	attrs := map[string][]string{} // by directory and object
	for _, d := range schema.Directories {
		for _, o := range d.Objects {
			for _, a := range o.Attributes {
				attrs[d.Name+"/"+o.Name] = append(attrs[d.Name+"/"+o.Name], a.Name)
			}
		}
	}
	for k, names := range attrs {
		sorted := slices.Clone(names)
		slices.Sort(sorted)
		if len(slices.Compact(sorted)) != len(names) {
			t.Errorf("%s lists an attribute twice: %v", k, names)
		}
	}
	var read func(s *models.AttributeMappingSource, out []string) []string
	read = func(s *models.AttributeMappingSource, out []string) []string {
		if s == nil {
			return out
		}
		if s.Type == models.SourceAttribute {
			out = append(out, s.Name)
		}
		for _, p := range s.Parameters {
			out = read(p.Value, out)
		}
		return out
	}
	checked := 0
	for _, r := range schema.SynchronizationRules {
		for _, m := range r.ObjectMappings {
			src, dst := r.SourceDirectoryName+"/"+m.SourceObjectName, r.TargetDirectoryName+"/"+m.TargetObjectName
			for _, a := range m.AttributeMappings {
				if !slices.Contains(attrs[dst], a.TargetAttributeName) {
					t.Errorf("%s: %s is written but not described (%v)", dst, a.TargetAttributeName, attrs[dst])
				}
				for _, name := range read(a.Source, nil) {
					if !slices.Contains(attrs[src], name) {
						t.Errorf("%s: %s is read but not described (%v)", src, name, attrs[src])
					}
					checked++
				}
			}
		}
	}
	if checked < 3 {
		t.Fatalf("%d source attributes in the mappings", checked)
	}
}

// The provisioning logs are served in both of Graph's versions, and
// only in those; the synchronization of an unknown service principal is
// 404, as the rest of what it would hold is.
func TestVersionsAndServicePrincipalsOfPaths(t *testing.T) {
	srv, _ := newServer(t, nil)
	for _, v := range []string{"v1.0", "beta"} {
		resp, b := rawRequest(t, srv, "GET", "/"+v+"/auditLogs/provisioning", nil)
		var p struct {
			Context string            `json:"@odata.context"`
			Value   []json.RawMessage `json:"value"`
		}
		want := "https://graph.microsoft.com/" + v + "/$metadata#auditLogs/provisioning"
		if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &p) != nil || p.Context != want || p.Value == nil {
			t.Errorf("%s logs: %d %s; want 200 with @odata.context %s", v, resp.StatusCode, b, want)
		}
	}
	for _, path := range []string{"/v2.0/auditLogs/provisioning", "/V1.0/auditLogs/provisioning", "/auditLogs/provisioning"} {
		resp, b := rawRequest(t, srv, "GET", path, nil)
		wantError(t, resp, b, http.StatusBadRequest, "BadRequest")
	}
	for _, path := range []string{"/v1.0/servicePrincipals/nope/synchronization", "/beta/servicePrincipals/nope/synchronization/jobs"} {
		resp, b := rawRequest(t, srv, "GET", path, nil)
		wantError(t, resp, b, http.StatusNotFound, "Request_ResourceNotFound")
	}
}

// A template is written whole, like a job: description, which the fake's
// templates do not have, is present and null (not an empty string), and
// metadata is an empty collection.
func TestTemplateWrittenWholeWithNulls(t *testing.T) {
	srv, _ := newServer(t, nil)
	check := func(where string, tmpl map[string]json.RawMessage) {
		t.Helper()
		if v, ok := tmpl["description"]; !ok || string(v) != "null" {
			t.Errorf("%s: description %s (present %v); want null", where, v, ok)
		}
		if v := tmpl["metadata"]; string(v) != "[]" {
			t.Errorf("%s: metadata %s; want []", where, v)
		}
	}
	resp, b := rawRequest(t, srv, "GET", spPath+"/templates/scim", nil)
	var one map[string]json.RawMessage
	if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &one) != nil {
		t.Fatalf("GET template: %d %s", resp.StatusCode, b)
	}
	check("GET", one)
	resp, b = rawRequest(t, srv, "GET", spPath+"/templates", nil)
	var list struct{ Value []map[string]json.RawMessage }
	if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &list) != nil || len(list.Value) != 1 {
		t.Fatalf("list templates: %d %s", resp.StatusCode, b)
	}
	check("list", list.Value[0])
}
