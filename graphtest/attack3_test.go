package graphtest_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"testing/synctest"
	"time"

	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

// ATTACK3: externalIds with quotes and percent signs, uploaded and then
// looked up by sourceIdentity/id through the client's $filter quoting.
func TestAttack3FilterQuotesEndToEnd(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c, job := inboundServer(t, nil)
		ids := []string{"O'Brien", "50%27off", "a''b", "x%2527y", "amp&eq=1", "plus+sp ace", "'", "uni\u00e9\u2603"}
		var req models.BulkUpload
		for i, id := range ids {
			u := hrUser(i + 1)
			u.ExternalID = id
			req.Operations = append(req.Operations, models.BulkOperation{Method: "POST", BulkID: "b" + string(rune('a'+i)), Path: "/Users", Data: u})
		}
		req.Schemas = []string{models.BulkRequestSchema}
		for i := range req.Operations {
			req.Operations[i].Data.Schemas = []string{models.SCIMUserSchema, models.SCIMEnterpriseUserSchema}
		}
		if _, err := c.BulkUpload(ctx, "sp", job, req); err != nil {
			t.Fatal(err)
		}
		time.Sleep(graphtest.DefaultInboundDelay + time.Second)
		_ = srv
		for _, id := range ids {
			evs, err := c.ListProvisioningLogs(ctx, models.ProvisioningLogQuery{JobID: job, SourceIdentityID: id})
			if err != nil {
				t.Errorf("%q: %v", id, err)
				continue
			}
			if len(evs) != 1 || evs[0].SourceIdentity.ID != id {
				t.Errorf("%q: %d events", id, len(evs))
			}
		}
	})
}

// ATTACK3: GET → PUT → GET through the client against graphtest: what is
// read back must be what was read first.
func TestAttack3SchemaGetPutGet(t *testing.T) {
	srv := graphtest.NewServer(&graphtest.Options{InProcess: true})
	defer srv.Close()
	srv.AddServicePrincipal("sp", "scim")
	c, _ := srv.NewClient()
	job, err := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	if err != nil {
		t.Fatal(err)
	}
	s1, err := c.GetJobSchema(ctx, "sp", job.ID)
	if err != nil {
		t.Fatal(err)
	}
	b1, _ := json.Marshal(s1)
	if err := c.UpdateJobSchema(ctx, "sp", job.ID, *s1); err != nil {
		t.Fatal(err)
	}
	s2, err := c.GetJobSchema(ctx, "sp", job.ID)
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := json.Marshal(s2)
	var v1, v2 any
	json.Unmarshal(b1, &v1)
	json.Unmarshal(b2, &v2)
	if !reflect.DeepEqual(v1, v2) {
		t.Errorf("GET after PUT differs\n1: %s\n2: %s", b1, b2)
	}
	// A rule ID from the generated schema still provisions.
	rid := srv.RuleID("sp", job.ID, "User")
	if rid == "" {
		t.Errorf("no rule for User after the PUT; rules %+v", srv.Rules("sp", job.ID))
	}
}

func bulkBody(n int, dupBulkID bool) []byte {
	var ops []map[string]any
	for i := range n {
		bid := "b" + string(rune('A'+i%26)) + string(rune('A'+i/26))
		if dupBulkID {
			bid = "same"
		}
		ops = append(ops, map[string]any{"method": "POST", "bulkId": bid, "path": "/Users", "data": map[string]any{
			"schemas":    []string{models.SCIMUserSchema, models.SCIMEnterpriseUserSchema},
			"externalId": "E" + bid, "userName": bid + "@contoso.com",
		}})
	}
	if ops == nil {
		ops = []map[string]any{}
	}
	b, _ := json.Marshal(map[string]any{"schemas": []string{models.BulkRequestSchema}, "Operations": ops})
	return b
}

// ATTACK3: the fake must refuse what Graph refuses.
func TestAttack3RawRefusals(t *testing.T) {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp", "API2AAD")
	c, _ := srv.NewClient()
	job, err := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "API2AAD"})
	if err != nil {
		t.Fatal(err)
	}
	bulk := spPath + "/jobs/" + job.ID + "/bulkUpload"
	for _, tc := range []struct {
		name   string
		method string
		path   string
		body   []byte
		want   int
		header []string
	}{
		{"bulk 0 ops", "POST", bulk, bulkBody(0, false), 400, []string{"Content-Type", "application/scim+json"}},
		{"bulk 1 op", "POST", bulk, bulkBody(1, false), 202, []string{"Content-Type", "application/scim+json"}},
		{"bulk 50 ops", "POST", bulk, bulkBody(50, false), 202, []string{"Content-Type", "application/scim+json"}},
		{"bulk 51 ops", "POST", bulk, bulkBody(51, false), 400, []string{"Content-Type", "application/scim+json"}},
		{"bulk dup bulkId", "POST", bulk, bulkBody(2, true), 400, []string{"Content-Type", "application/scim+json"}},
		{"bulk json ctype", "POST", bulk, bulkBody(1, false), 400, nil},
		{"logs top 0", "GET", "/v1.0/auditLogs/provisioning?$top=0", nil, 400, nil},
		{"logs top 1001", "GET", "/v1.0/auditLogs/provisioning?$top=1001", nil, 400, nil},
		{"logs top -1", "GET", "/v1.0/auditLogs/provisioning?$top=-1", nil, 400, nil},
		{"logs unterminated literal", "GET", "/v1.0/auditLogs/provisioning?$filter=jobId%20eq%20'a''", nil, 400, nil},
		{"logs or", "GET", "/v1.0/auditLogs/provisioning?$filter=jobId%20eq%20'a'%20or%20jobId%20eq%20'b'", nil, 400, nil},
		{"logs unquoted string", "GET", "/v1.0/auditLogs/provisioning?$filter=jobId%20eq%20abc", nil, 400, nil},
		{"logs date quoted", "GET", "/v1.0/auditLogs/provisioning?$filter=activityDateTime%20gt%20'2024-01-01T00:00:00Z'", nil, 400, nil},
		{"logs parentheses", "GET", "/v1.0/auditLogs/provisioning?$filter=(jobId%20eq%20'a')", nil, 400, nil},
		{"logs bad date", "GET", "/v1.0/auditLogs/provisioning?$filter=activityDateTime%20gt%202024-13-01T00:00:00Z", nil, 400, nil},
		{"logs trailing and", "GET", "/v1.0/auditLogs/provisioning?$filter=jobId%20eq%20'a'%20and", nil, 400, nil},
		{"logs empty filter", "GET", "/v1.0/auditLogs/provisioning?$filter=", nil, 400, nil},
		{"logs dup filter", "GET", "/v1.0/auditLogs/provisioning?$filter=jobId%20eq%20'a'&$filter=jobId%20eq%20'b'", nil, 400, nil},
		{"logs bad skiptoken", "GET", "/v1.0/auditLogs/provisioning?$skiptoken=zzz", nil, 400, nil},
		{"logs negative skiptoken", "GET", "/v1.0/auditLogs/provisioning?$skiptoken=-5", nil, 400, nil},
	} {
		resp, b := rawRequest(t, srv, tc.method, tc.path, tc.body, tc.header...)
		if resp.StatusCode != tc.want {
			t.Errorf("%s: %d, want %d: %s", tc.name, resp.StatusCode, tc.want, b)
		}
	}
}
