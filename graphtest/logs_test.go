package graphtest_test

import (
	"encoding/json"
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

// The fake answers every filter the client writes, as Graph documents
// them: eq and contains on each documented property (the status without
// regard to case, everything else with), the durations, and $orderby with
// paging in either order.
func TestProvisioningLogsEveryFilter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c, job := inboundServer(t, &graphtest.Options{InboundDelay: 1500 * time.Millisecond})
		upload := func(us ...models.SCIMUser) {
			t.Helper()
			for req := range models.BulkUploadChunks(slices.Values(us)) {
				if _, err := c.BulkUpload(ctx, "sp", job, req); err != nil {
					t.Fatal(err)
				}
			}
			time.Sleep(2 * time.Second)
		}
		upload(hrUser(1), hrUser(2), hrUser(3))
		noName := hrUser(4)
		noName.UserName = ""
		upload(noName) // fails: a new user needs a userName
		changed := hrUser(2)
		changed.Enterprise.Department = "Finance"
		upload(hrUser(1), changed) // E0001 skipped, E0002 updated

		all := srv.ProvisioningLogs()
		if len(all) != 6 {
			t.Fatalf("%d events", len(all))
		}
		// what lists the events a query selects, as "E0001:create", in the
		// order served.
		what := func(q models.ProvisioningLogQuery) string {
			t.Helper()
			evs, err := c.ListProvisioningLogs(ctx, q)
			if err != nil {
				t.Fatalf("%+v: %v", q, err)
			}
			var out []string
			for _, ev := range evs {
				out = append(out, ev.SourceIdentity.ID+":"+string(ev.ProvisioningAction))
			}
			return strings.Join(out, ",")
		}
		const everything = "E0001:create,E0002:create,E0003:create,E0004:other,E0001:other,E0002:update"
		first := all[0]
		for _, tc := range []struct {
			q    models.ProvisioningLogQuery
			want string
		}{
			{models.ProvisioningLogQuery{}, everything},
			{models.ProvisioningLogQuery{ID: first.ID}, "E0001:create"},
			{models.ProvisioningLogQuery{TenantID: graphtest.FakeTenantID, JobID: job}, everything},
			{models.ProvisioningLogQuery{TenantID: "other"}, ""},
			{models.ProvisioningLogQuery{ProvisioningAction: models.LogActionUpdate}, "E0002:update"},
			{models.ProvisioningLogQuery{Status: models.LogStatusFailure}, "E0004:other"},
			{models.ProvisioningLogQuery{Status: "FAILURE"}, "E0004:other"}, // documented: status ignores case
			{models.ProvisioningLogQuery{Status: models.LogStatusSkipped}, "E0001:other"},
			{models.ProvisioningLogQuery{ServicePrincipalID: "sp", ServicePrincipalName: "API-driven provisioning to Microsoft Entra ID"}, everything},
			{models.ProvisioningLogQuery{ServicePrincipalName: "api-driven provisioning to microsoft entra id"}, ""}, // case-sensitive
			{models.ProvisioningLogQuery{SourceIdentityName: "User 3"}, "E0003:create"},
			{models.ProvisioningLogQuery{SourceIdentityType: "User", SourceIdentityID: "E0002"}, "E0002:create,E0002:update"},
			{models.ProvisioningLogQuery{TargetIdentityID: first.TargetIdentity.ID}, "E0001:create,E0001:other"},
			{models.ProvisioningLogQuery{TargetIdentityName: "User 2", TargetIdentityType: "User"}, "E0002:create,E0002:update"},
			{models.ProvisioningLogQuery{SourceSystemName: "API", TargetSystemName: "Azure Active Directory"}, everything},
			{models.ProvisioningLogQuery{InitiatedByName: "Azure AD Provisioning Service"}, everything},
			{models.ProvisioningLogQuery{InitiatedByName: "azure ad provisioning service"}, ""},
			{models.ProvisioningLogQuery{Contains: models.LogContains{ID: first.ID[3:9]}}, "E0001:create"},
			{models.ProvisioningLogQuery{Contains: models.LogContains{TenantID: graphtest.FakeTenantID[:8], JobID: job[2:], CycleID: first.CycleID[1:6]}},
				"E0001:create,E0002:create,E0003:create"},
			{models.ProvisioningLogQuery{Contains: models.LogContains{ChangeID: first.ChangeID[4:]}}, "E0001:create"},
			{models.ProvisioningLogQuery{Contains: models.LogContains{ProvisioningAction: "dat"}}, "E0002:update"},
			{models.ProvisioningLogQuery{Contains: models.LogContains{Status: "FAIL"}}, "E0004:other"},
			{models.ProvisioningLogQuery{Contains: models.LogContains{SourceIdentityID: "0003"}}, "E0003:create"},
			{models.ProvisioningLogQuery{Contains: models.LogContains{SourceIdentityName: "ser 1", SourceIdentityType: "Use"}}, "E0001:create,E0001:other"},
			{models.ProvisioningLogQuery{Contains: models.LogContains{SourceIdentityName: "user"}}, ""}, // case-sensitive
			{models.ProvisioningLogQuery{Contains: models.LogContains{TargetIdentityID: first.TargetIdentity.ID[2:10]}}, "E0001:create,E0001:other"},
			{models.ProvisioningLogQuery{Contains: models.LogContains{TargetIdentityName: "3", TargetIdentityType: "ser"}}, "E0003:create"},
			{models.ProvisioningLogQuery{Contains: models.LogContains{SourceSystemName: "P", TargetSystemName: "Directory", InitiatedByName: "Provisioning"}}, everything},
			{models.ProvisioningLogQuery{LongerThan: time.Second}, everything},
			{models.ProvisioningLogQuery{LongerThan: 1500 * time.Millisecond}, ""},
			{models.ProvisioningLogQuery{ShorterThan: 1501 * time.Millisecond, Status: models.LogStatusSuccess}, "E0001:create,E0002:create,E0003:create,E0002:update"},
			{models.ProvisioningLogQuery{After: first.ActivityDateTime, Before: all[5].ActivityDateTime}, "E0004:other"},
			{models.ProvisioningLogQuery{OrderBy: models.LogNewestFirst}, "E0002:update,E0001:other,E0004:other,E0003:create,E0002:create,E0001:create"},
			{models.ProvisioningLogQuery{OrderBy: models.LogNewestFirst, Top: 2}, "E0002:update,E0001:other,E0004:other,E0003:create,E0002:create,E0001:create"},
			{models.ProvisioningLogQuery{OrderBy: models.LogNewestFirst, Top: 1, SourceIdentityID: "E0001"}, "E0001:other,E0001:create"},
			{models.ProvisioningLogQuery{OrderBy: models.LogOldestFirst, Top: 4}, everything},
		} {
			if got := what(tc.q); got != tc.want {
				t.Errorf("%+v:\n got %s\nwant %s", tc.q, got, tc.want)
			}
		}
	})
}

// Newest first, a page's nextLink keeps the order and the filter, and
// reads on down the log: events written after the first page belong
// before it and are not served later.
func TestProvisioningLogsNewestFirstPaging(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c, job := inboundServer(t, nil)
		hc := &http.Client{Transport: srv.Transport()}
		for i := 1; i <= 3; i++ {
			for req := range models.BulkUploadChunks(slices.Values([]models.SCIMUser{hrUser(i)})) {
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
		p := get("$top=2&$orderby=" + url.QueryEscape("activityDateTime desc") + "&$filter=" + url.QueryEscape("sourceIdentity/identityType eq 'User'"))
		if p.sourceIDs() != "E0003,E0002" || !strings.Contains(p.NextLink, "%24orderby=activityDateTime%20desc") ||
			!strings.Contains(p.NextLink, "%24filter=") || !strings.Contains(p.NextLink, "%24skiptoken=1") {
			t.Fatalf("first page %s, nextLink %q", p.sourceIDs(), p.NextLink)
		}
		for req := range models.BulkUploadChunks(slices.Values([]models.SCIMUser{hrUser(4)})) {
			if _, err := c.BulkUpload(ctx, "sp", job, req); err != nil {
				t.Fatal(err)
			}
		}
		time.Sleep(graphtest.DefaultInboundDelay)
		if p = get(p.NextLink); p.sourceIDs() != "E0001" || p.NextLink != "" {
			t.Fatalf("second page %s, nextLink %q", p.sourceIDs(), p.NextLink)
		}
		if p = get("$orderby=ActivityDateTime%20DESC&$top=1"); p.sourceIDs() != "E0004" {
			t.Fatalf("newest %s", p.sourceIDs())
		}
		if p = get("$orderby=activityDateTime&$top=1"); p.sourceIDs() != "E0001" {
			t.Fatalf("oldest %s", p.sourceIDs())
		}
		if p = get("$orderby=activityDateTime%20desc&$skiptoken=0"); len(p.Value) != 0 || p.NextLink != "" {
			t.Fatalf("below the start: %s", p.sourceIDs())
		}
	})
}

// What Graph does not document for the provisioning logs is refused with
// 400, what it documents is taken in the spellings Graph plausibly takes.
func TestProvisioningLogsFilterSyntax(t *testing.T) {
	srv, c, job := inboundServer(t, &graphtest.Options{InboundDelay: time.Nanosecond})
	hc := &http.Client{Transport: srv.Transport()}
	for req := range models.BulkUploadChunks(users(2)) {
		if _, err := c.BulkUpload(ctx, "sp", job, req); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(time.Millisecond)
	get := func(query string) (int, []byte) {
		resp, b := rawVia(t, hc, "GET", srv.URL+"/v1.0/auditLogs/provisioning?"+query, nil)
		return resp.StatusCode, b
	}
	f := func(filter string) string { return "$filter=" + url.QueryEscape(filter) }
	for _, ok := range []struct{ query, ids string }{
		{f("contains(sourceIdentity/displayName,'User 1')"), "E0001"},
		{f("contains( sourceIdentity/id , '0002' )"), "E0002"},
		{f("CONTAINS(SOURCEIDENTITY/ID,'0002')"), "E0002"},
		{f("contains(sourceIdentity/id,'') and jobId eq '" + job + "'"), "E0001,E0002"},
		{f("contains(sourceIdentity/displayName,'it''s')"), ""},
		{f("servicePrincipal/name eq 'API-driven provisioning to Microsoft Entra ID'"), "E0001,E0002"},
		{f("provisioningStatusInfo/status eq 'Success' and provisioningAction eq 'create'"), "E0001,E0002"},
		{f("durationInMilliseconds eq 0 and durationInMilliseconds lt 1 and durationInMilliseconds gt -1"), "E0001,E0002"},
	} {
		code, b := get(ok.query)
		var p logsPage
		if code != 200 || json.Unmarshal(b, &p) != nil || p.sourceIDs() != ok.ids {
			t.Errorf("%s: %d %s", ok.query, code, b)
		}
	}
	for _, bad := range []string{
		f("contains(servicePrincipal/id,'sp')"),
		f("contains(servicePrincipal/displayName,'API')"),
		f("contains(activityDateTime,'2024')"),
		f("contains(durationInMilliseconds,'1')"),
		f("startswith(jobId,'API')"),
		f("endswith(jobId,'1')"),
		f("not contains(jobId,'x')"),
		f("contains(jobId 'x')"),
		f("contains(jobId,'x'"),
		f("contains(jobId,x)"),
		f("contains(colour,'x')"),
		f("contains(jobId,'x') or jobId eq 'y'"),
		f("(contains(jobId,'x'))"),
		f("jobId contains 'x'"),
		f("servicePrincipal/id ne 'sp'"),
		f("provisioningStatusInfo/status gt 'a'"),
		f("durationInMilliseconds gt 1.5"),
		f("durationInMilliseconds gt '1'"),
		f("durationInMilliseconds ge 1"),
		f("durationInMilliseconds gt 2147483648"),
		f("statusInfo/status eq 'failure'"),
		f("action eq 'Create'"),
		"$orderby=jobId", "$orderby=" + url.QueryEscape("activityDateTime sideways"), "$orderby=" + url.QueryEscape("activityDateTime desc, id"),
		"$orderby=activityDateTime&$orderby=activityDateTime",
	} {
		if code, b := get(bad); code != 400 || errorCode(t, b) != "BadRequest" {
			t.Errorf("%s: %d %s", bad, code, b)
		}
	}
	// Beta documents its deprecated action and statusInfo/status as
	// filterable; the fake's events carry neither, so nothing matches.
	for _, q := range []string{f("action eq 'Create'"), f("contains(statusInfo/status,'FAIL')"), f("StatusInfo/Status eq 'failure'")} {
		resp, b := rawVia(t, hc, "GET", srv.URL+"/beta/auditLogs/provisioning?"+q, nil)
		var p logsPage
		if resp.StatusCode != 200 || json.Unmarshal(b, &p) != nil || len(p.Value) != 0 {
			t.Errorf("beta %s: %d %s", q, resp.StatusCode, b)
		}
	}
	if resp, b := rawVia(t, hc, "GET", srv.URL+"/beta/auditLogs/provisioning?"+f("jobId eq '"+job+"' and durationInMilliseconds lt 5"), nil); resp.StatusCode != 200 ||
		strings.Count(string(b), `"sourceIdentity"`) != 2 {
		t.Errorf("beta: %d %s", resp.StatusCode, b)
	}
}
