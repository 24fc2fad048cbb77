package graphtest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

// inboundServer returns an in-process fake with an API-driven
// provisioning job (template API2AAD), a client and the job's ID.
func inboundServer(t *testing.T, opts *graphtest.Options) (*graphtest.Server, *graphsync.Client, string) {
	t.Helper()
	o := graphtest.Options{InProcess: true}
	if opts != nil {
		o = *opts
		o.InProcess = true
	}
	srv := graphtest.NewServer(&o)
	t.Cleanup(srv.Close)
	srv.AddServicePrincipal("sp", "API2AAD")
	c, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	job, err := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "API2AAD"})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c, job.ID
}

func hrUser(i int) models.SCIMUser {
	return models.SCIMUser{
		ExternalID: fmt.Sprintf("E%04d", i), UserName: fmt.Sprintf("user%04d@contoso.com", i),
		DisplayName: fmt.Sprintf("User %d", i), Name: &models.SCIMName{GivenName: "User", FamilyName: fmt.Sprint(i)},
		Enterprise: &models.EnterpriseUser{Department: "Sales"},
	}
}

func users(n int) iter.Seq[models.SCIMUser] {
	return func(yield func(models.SCIMUser) bool) {
		for i := 1; i <= n; i++ {
			if !yield(hrUser(i)) {
				return
			}
		}
	}
}

// TestInboundLoopOffline is the whole loop: 120 users in 3 requests,
// wait, read the logs; every record has exactly one outcome.
func TestInboundLoopOffline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c, job := inboundServer(t, nil)
		requests := 0
		for req := range models.BulkUploadChunks(users(120)) {
			requests++
			rc, err := c.BulkUpload(ctx, "sp", job, req)
			if err != nil {
				t.Fatal(err)
			}
			if rc.StatusCode != http.StatusAccepted || rc.RequestID == "" {
				t.Fatalf("receipt %+v", rc)
			}
			want := srv.URL + "/v1.0/auditLogs/provisioning/?$filter=jobid%20eq%20'" + job + "'"
			if rc.Location != want {
				t.Fatalf("Location %q, want %q", rc.Location, want)
			}
		}
		if requests != 3 {
			t.Fatalf("%d requests", requests)
		}
		// Nothing is applied before the delay.
		if evs, err := c.ListProvisioningLogs(ctx, models.ProvisioningLogQuery{JobID: job}); err != nil || len(evs) != 0 {
			t.Fatalf("before the delay: %d events, %v", len(evs), err)
		}
		time.Sleep(graphtest.DefaultInboundDelay)
		seen := map[string]int{}
		cycles := map[string]bool{}
		pages := 0
		for ev, err := range c.ProvisioningLogs(ctx, models.ProvisioningLogQuery{JobID: job, Top: 25}) {
			if err != nil {
				t.Fatal(err)
			}
			seen[ev.SourceIdentity.ID]++
			cycles[ev.CycleID] = true
			if ev.ProvisioningAction != models.LogActionCreate || ev.ProvisioningStatusInfo.Status != models.LogStatusSuccess ||
				ev.TargetIdentity == nil || ev.TargetIdentity.ID == "" || ev.JobID != job || ev.ChangeID == "" ||
				ev.ServicePrincipal.ID != "sp" || ev.InitiatedBy.InitiatorType != models.InitiatorSystem ||
				len(ev.ProvisioningSteps) != 4 || len(ev.ModifiedProperties) == 0 || ev.ActivityDateTime.IsZero() {
				t.Fatalf("event %+v", ev)
			}
		}
		for _, r := range srv.Requests() {
			if strings.HasSuffix(r.Path, "/auditLogs/provisioning") {
				pages++
			}
		}
		if len(seen) != 120 || len(cycles) != 3 {
			t.Fatalf("%d users, %d cycles", len(seen), len(cycles))
		}
		for id, n := range seen {
			if n != 1 {
				t.Fatalf("%s has %d events", id, n)
			}
		}
		// 1 before the delay, then 5 pages of 25 (the last one empty of
		// nextLink).
		if pages != 6 {
			t.Fatalf("%d log requests", pages)
		}
		if u, ok := srv.InboundUser("E0007"); !ok || !u.Active || u.UserName != "user0007@contoso.com" ||
			u.Attributes["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"] != "Sales" {
			t.Fatalf("user %+v", u)
		}
		if srv.BulkUploadThrottled() != 0 || srv.PendingInbound() != 0 {
			t.Fatal("throttled or pending")
		}

		// Second round: update, disable, unchanged, refused.
		changed := hrUser(1)
		changed.DisplayName = "Renamed"
		off := hrUser(2)
		off.Active = new(false)
		nameless := models.SCIMUser{ExternalID: "E9999", DisplayName: "No Name"}
		conflict := hrUser(3)
		conflict.ExternalID = "E8888"
		apostrophe := hrUser(5000)
		apostrophe.ExternalID = "O'Brien"
		var req models.BulkUpload
		for r := range models.BulkUploadChunks(func(yield func(models.SCIMUser) bool) {
			for _, u := range []models.SCIMUser{changed, off, hrUser(4), nameless, conflict, apostrophe} {
				yield(u)
			}
		}) {
			req = r
		}
		time.Sleep(time.Millisecond)
		before := time.Now()
		if _, err := c.BulkUpload(ctx, "sp", job, req); err != nil {
			t.Fatal(err)
		}
		time.Sleep(graphtest.DefaultInboundDelay)
		evs, err := c.ListProvisioningLogs(ctx, models.ProvisioningLogQuery{JobID: job, After: before})
		if err != nil || len(evs) != 6 {
			t.Fatalf("%d events, %v", len(evs), err)
		}
		want := map[string]string{"E0001": "update/success", "E0002": "disable/success", "E0004": "other/skipped",
			"E9999": "other/failure", "E8888": "other/failure", "O'Brien": "create/success"}
		for _, ev := range evs {
			got := string(ev.ProvisioningAction) + "/" + string(ev.ProvisioningStatusInfo.Status)
			if got != want[ev.SourceIdentity.ID] {
				t.Errorf("%s: %s, want %s", ev.SourceIdentity.ID, got, want[ev.SourceIdentity.ID])
			}
			if ev.ProvisioningStatusInfo.Status == models.LogStatusFailure {
				ei := ev.ProvisioningStatusInfo.ErrorInformation
				if ei == nil || ei.ErrorCode == "" || ei.Reason == "" || ei.RecommendedAction == "" {
					t.Errorf("%s: error information %+v", ev.SourceIdentity.ID, ei)
				}
			}
			if ev.SourceIdentity.ID == "E0001" {
				if len(ev.ModifiedProperties) != 1 || ev.ModifiedProperties[0].DisplayName != "displayName" ||
					*ev.ModifiedProperties[0].OldValue != "User 1" || *ev.ModifiedProperties[0].NewValue != "Renamed" {
					t.Errorf("modified %+v", ev.ModifiedProperties)
				}
			}
		}
		if u, _ := srv.InboundUser("E0002"); u.Active {
			t.Error("E0002 is still active")
		}
		if _, ok := srv.InboundUser("E9999"); ok {
			t.Error("a user without userName was created")
		}
		// Filters: one source identity (with a quote), one change, one cycle.
		one, err := c.ListProvisioningLogs(ctx, models.ProvisioningLogQuery{JobID: job, SourceIdentityID: "O'Brien"})
		if err != nil || len(one) != 1 {
			t.Fatalf("O'Brien: %d, %v", len(one), err)
		}
		if got, _ := c.ListProvisioningLogs(ctx, models.ProvisioningLogQuery{ChangeID: one[0].ChangeID}); len(got) != 1 || got[0].ID != one[0].ID {
			t.Fatalf("by changeId: %+v", got)
		}
		if got, _ := c.ListProvisioningLogs(ctx, models.ProvisioningLogQuery{CycleID: one[0].CycleID}); len(got) != 6 {
			t.Fatalf("by cycleId: %d", len(got))
		}
		if got, _ := c.ListProvisioningLogs(ctx, models.ProvisioningLogQuery{JobID: job, Before: before}); len(got) != 120 {
			t.Fatalf("before the second round: %d", len(got))
		}
		if got, _ := c.ListProvisioningLogs(ctx, models.ProvisioningLogQuery{JobID: "other"}); len(got) != 0 {
			t.Fatalf("other job: %d", len(got))
		}
	})
}

// rawVia sends a request through client, with the fake's token.
func rawVia(t *testing.T, client *http.Client, method, u string, body []byte, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, u, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+graphtest.Token)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func errorCode(t *testing.T, b []byte) string {
	t.Helper()
	var e graphError
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("not a Graph error: %s", b)
	}
	return e.Error.Code
}

func TestBulkUploadRefusesWhatGraphRefuses(t *testing.T) {
	srv, c, job := inboundServer(t, &graphtest.Options{DisableBulkUploadLimit: true})
	hc := &http.Client{Transport: srv.Transport()}
	path := srv.URL + spPath + "/jobs/" + job + "/bulkUpload"
	doc, err := os.ReadFile("../testdata/bulkupload/request_1.json")
	if err != nil {
		t.Fatal(err)
	}
	// The documentation's examples are accepted as they are.
	for n := 1; n <= 3; n++ {
		b, _ := os.ReadFile(fmt.Sprintf("../testdata/bulkupload/request_%d.json", n))
		resp, body := rawVia(t, hc, "POST", path, b, "Content-Type", "application/scim+json")
		if resp.StatusCode != http.StatusAccepted || len(body) != 0 || !strings.HasPrefix(resp.Header.Get("Location"), srv.URL+"/v1.0/auditLogs/provisioning/") {
			t.Fatalf("example %d: %d %s %q", n, resp.StatusCode, body, resp.Header.Get("Location"))
		}
	}
	mutate := func(f func(m map[string]any)) []byte {
		var m map[string]any
		json.Unmarshal(doc, &m)
		f(m)
		b, _ := json.Marshal(m)
		return b
	}
	op := func(m map[string]any) map[string]any { return m["Operations"].([]any)[0].(map[string]any) }
	ops51 := mutate(func(m map[string]any) {
		var ops []any
		for i := range 51 {
			o := map[string]any{}
			for k, v := range op(m) {
				o[k] = v
			}
			o["bulkId"] = fmt.Sprint(i)
			ops = append(ops, o)
		}
		m["Operations"] = ops
	})
	for _, tc := range []struct {
		name, contentType string
		body              []byte
		want              int
	}{
		{"no Content-Type", "", doc, 400},
		{"application/json", "application/json", doc, 400},
		{"not JSON", "application/scim+json", []byte("{"), 400},
		{"wrong schemas", "application/scim+json", mutate(func(m map[string]any) { m["schemas"] = []string{"urn:x"} }), 400},
		{"no schemas", "application/scim+json", mutate(func(m map[string]any) { delete(m, "schemas") }), 400},
		{"schemas not a list", "application/scim+json", mutate(func(m map[string]any) { m["schemas"] = models.BulkRequestSchema }), 400},
		{"empty schemas", "application/scim+json", mutate(func(m map[string]any) { m["schemas"] = []string{} }), 400},
		{"two schemas", "application/scim+json", mutate(func(m map[string]any) { m["schemas"] = []string{models.BulkRequestSchema, "urn:x"} }), 400},
		{"operations null", "application/scim+json", mutate(func(m map[string]any) { m["Operations"] = nil }), 400},
		{"no operations", "application/scim+json", mutate(func(m map[string]any) { m["Operations"] = []any{} }), 400},
		{"51 operations", "application/scim+json", ops51, 400},
		{"method PUT", "application/scim+json", mutate(func(m map[string]any) { op(m)["method"] = "PUT" }), 400},
		{"no bulkId", "application/scim+json", mutate(func(m map[string]any) { delete(op(m), "bulkId") }), 400},
		{"duplicate bulkId", "application/scim+json", mutate(func(m map[string]any) {
			m["Operations"].([]any)[1].(map[string]any)["bulkId"] = op(m)["bulkId"]
		}), 400},
		{"path /Groups", "application/scim+json", mutate(func(m map[string]any) { op(m)["path"] = "/Groups" }), 400},
		{"data.schemas", "application/scim+json", mutate(func(m map[string]any) {
			op(m)["data"].(map[string]any)["schemas"] = []string{models.SCIMUserSchema}
		}), 400},
		{"no externalId", "application/scim+json", mutate(func(m map[string]any) { delete(op(m)["data"].(map[string]any), "externalId") }), 400},
		{"failOnErrors 0", "application/scim+json", mutate(func(m map[string]any) { m["failOnErrors"] = 0 }), 400},
		{"failOnErrors text", "application/scim+json", mutate(func(m map[string]any) { m["failOnErrors"] = "1" }), 400},
		{"no data", "application/scim+json", mutate(func(m map[string]any) { delete(op(m), "data") }), 400},
		{"data null", "application/scim+json", mutate(func(m map[string]any) { op(m)["data"] = nil }), 400},
		{"unknown member", "application/scim+json", mutate(func(m map[string]any) { op(m)["data"].(map[string]any)["colour"] = "red" }), 400},
	} {
		resp, body := rawVia(t, hc, "POST", path, tc.body, "Content-Type", tc.contentType)
		if resp.StatusCode != tc.want || errorCode(t, body) == "" {
			t.Errorf("%s: %d %s", tc.name, resp.StatusCode, body)
		}
	}
	// failOnErrors is null or a positive integer.
	for _, n := range []int{1, 2} {
		b := mutate(func(m map[string]any) { m["failOnErrors"] = n })
		if resp, body := rawVia(t, hc, "POST", path, b, "Content-Type", "application/scim+json"); resp.StatusCode != http.StatusAccepted {
			t.Errorf("failOnErrors %d: %d %s", n, resp.StatusCode, body)
		}
	}
	// An unknown job is 404; a job that is not API-driven is refused.
	if resp, _ := rawVia(t, hc, "POST", srv.URL+spPath+"/jobs/nope/bulkUpload", doc, "Content-Type", "application/scim+json"); resp.StatusCode != 404 {
		t.Errorf("unknown job: %d", resp.StatusCode)
	}
	srv.AddServicePrincipal("sp2", "scim")
	other, _ := c.CreateJob(ctx, "sp2", models.SynchronizationJob{TemplateID: "scim"})
	if resp, body := rawVia(t, hc, "POST", srv.URL+"/v1.0/servicePrincipals/sp2/synchronization/jobs/"+other.ID+"/bulkUpload", doc,
		"Content-Type", "application/scim+json"); resp.StatusCode != 400 || !strings.Contains(string(body), "API-driven") {
		t.Errorf("scim job: %d %s", resp.StatusCode, body)
	}
	if resp, _ := rawVia(t, hc, "GET", path, nil); resp.StatusCode != 405 {
		t.Errorf("GET bulkUpload: %d", resp.StatusCode)
	}
}

func TestBulkUploadLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c, job := inboundServer(t, nil)
		hc := &http.Client{Transport: srv.Transport()}
		path := srv.URL + spPath + "/jobs/" + job + "/bulkUpload"
		one := oneUpload()
		body, _ := json.Marshal(one)
		for i := range 40 {
			if resp, b := rawVia(t, hc, "POST", path, body, "Content-Type", "application/scim+json"); resp.StatusCode != 202 {
				t.Fatalf("call %d: %d %s", i+1, resp.StatusCode, b)
			}
		}
		resp, b := rawVia(t, hc, "POST", path, body, "Content-Type", "application/scim+json")
		if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "1" || errorCode(t, b) != "TooManyRequests" {
			t.Fatalf("41st call: %d %q %s", resp.StatusCode, resp.Header.Get("Retry-After"), b)
		}
		if srv.BulkUploadThrottled() != 1 || srv.Throttled() != 0 {
			t.Fatalf("throttled: bulkUpload %d, provisionOnDemand %d", srv.BulkUploadThrottled(), srv.Throttled())
		}
		time.Sleep(time.Second)
		if resp, _ := rawVia(t, hc, "POST", path, body, "Content-Type", "application/scim+json"); resp.StatusCode != 202 {
			t.Fatalf("after the window: %d", resp.StatusCode)
		}
		// The client's own bulkUpload limiter keeps 200 calls within it.
		time.Sleep(time.Second)
		start := len(srv.UploadTimes())
		for range 200 {
			if _, err := c.BulkUpload(ctx, "sp", job, one); err != nil {
				t.Fatal(err)
			}
		}
		if srv.BulkUploadThrottled() != 1 {
			t.Fatalf("the client was throttled %d times", srv.BulkUploadThrottled()-1)
		}
		if n := graphtest.MaxInWindow(srv.UploadTimes()[start:], time.Second); n > 40 {
			t.Fatalf("%d calls in one second", n)
		}
		// Every record of every call got exactly one event.
		time.Sleep(graphtest.DefaultInboundDelay)
		if n := len(srv.ProvisioningLogs()); n != 241 {
			t.Fatalf("%d events for 241 records", n)
		}
	})
}

func TestBulkUploadOptions(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c, job := inboundServer(t, &graphtest.Options{BulkUploadLimit: 2, BulkUploadWindow: 10 * time.Second, InboundDelay: 5 * time.Second})
		one := oneUpload()
		// No client limiter: the fake's limit of 2 per 10 s answers 429,
		// which the client waits out (Retry-After) and sends again.
		c2, _ := graphsync.NewClient(srv.Credential(), &graphsync.ClientOptions{BaseURL: srv.URL, Transport: srv.Transport(), DisableLimiter: true})
		start := time.Now()
		for range 3 {
			if _, err := c2.BulkUpload(ctx, "sp", job, one); err != nil {
				t.Fatal(err)
			}
		}
		if srv.BulkUploadThrottled() != 1 || time.Since(start) < 10*time.Second {
			t.Fatalf("throttled %d, took %s", srv.BulkUploadThrottled(), time.Since(start))
		}
		time.Sleep(4 * time.Second)
		if srv.PendingInbound() == 0 {
			t.Fatal("the last record was applied before InboundDelay")
		}
		time.Sleep(time.Second)
		if srv.PendingInbound() != 0 {
			t.Fatal("not applied after InboundDelay")
		}
		_ = c
	})
}

func TestProvisioningLogsQueries(t *testing.T) {
	srv, c, job := inboundServer(t, &graphtest.Options{InboundDelay: time.Nanosecond})
	hc := &http.Client{Transport: srv.Transport()}
	for req := range models.BulkUploadChunks(users(3)) {
		rc, err := c.BulkUpload(ctx, "sp", job, req)
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Millisecond)
		// The Location is followable as it is, "jobid" and trailing slash.
		resp, b := rawVia(t, hc, "GET", rc.Location, nil)
		var page struct {
			Context string                             `json:"@odata.context"`
			Value   []models.ProvisioningObjectSummary `json:"value"`
		}
		if resp.StatusCode != 200 || json.Unmarshal(b, &page) != nil || len(page.Value) != 3 ||
			page.Context != "https://graph.microsoft.com/v1.0/$metadata#auditLogs/provisioning" {
			t.Fatalf("Location: %d %s", resp.StatusCode, b)
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("Content-Type %q", resp.Header.Get("Content-Type"))
		}
	}
	get := func(query string) (int, []byte) {
		resp, b := rawVia(t, hc, "GET", srv.URL+"/v1.0/auditLogs/provisioning?"+query, nil)
		return resp.StatusCode, b
	}
	f := func(filter string) string { return "$filter=" + url.QueryEscape(filter) }
	for _, ok := range []string{
		f("jobId eq '" + job + "'"),
		f("JOBID eq '" + job + "' and sourceIdentity/id eq 'E0001'"),
		f("activityDateTime gt 2000-01-01T00:00:00Z and activityDateTime lt 2999-01-01T00:00:00.1234567Z"),
		f("sourceIdentity/id eq 'it''s'"),
		"$top=1",
		"$orderby=activityDateTime",
		"",
	} {
		if code, b := get(ok); code != 200 {
			t.Errorf("%s: %d %s", ok, code, b)
		}
	}
	for _, bad := range []string{
		f("jobId eq '" + job + "' or cycleId eq 'x'"),
		f("jobId eq 'unterminated"),
		f("jobId eq 'a'b'"),
		f("jobId eq " + job),
		f("(jobId eq 'x')"),
		f("colour eq 'red'"),
		f("jobId ne 'x'"),
		f("activityDateTime ge 2024-01-01T00:00:00Z"),
		f("activityDateTime gt '2024-01-01T00:00:00Z'"),
		f("activityDateTime gt yesterday"),
		f("jobId eq 'x' and"),
		f("startswith(jobId,'x')"),
		"$top=0", "$top=1001", "$top=x", "$orderby=jobId", "$skiptoken=99", "$top=1&$top=2",
	} {
		if code, b := get(bad); code != 400 || errorCode(t, b) != "BadRequest" {
			t.Errorf("%s: %d %s", bad, code, b)
		}
	}
	if code, b := get(f("sourceIdentity/id eq 'E0002'")); code != 200 || !strings.Contains(string(b), `"id":"E0002"`) || strings.Contains(string(b), "E0001") {
		t.Errorf("one identity: %s", b)
	}
	resp, _ := rawVia(t, hc, "POST", srv.URL+"/v1.0/auditLogs/provisioning", []byte("{}"))
	if resp.StatusCode != 405 {
		t.Errorf("POST: %d", resp.StatusCode)
	}
	if resp, _ := rawVia(t, hc, "GET", srv.URL+"/v1.0/auditLogs/signIns", nil); resp.StatusCode != 400 {
		t.Errorf("signIns: %d", resp.StatusCode)
	}
	// The library's query and the fake agree; an error is a ResponseError.
	if _, err := c.ListProvisioningLogs(ctx, models.ProvisioningLogQuery{JobID: job, SourceIdentityID: "x'); drop"}); err != nil {
		t.Fatal(err)
	}
	srv.InjectFault(graphtest.Fault{PathContains: "/auditLogs/provisioning", Status: 400})
	var re *graphsync.ResponseError
	if _, err := c.ListProvisioningLogs(ctx, models.ProvisioningLogQuery{JobID: job}); !errors.As(err, &re) {
		t.Fatalf("err = %v", err)
	}
}

// Users added with AddInboundUser are all kept, active unless Active says
// false.
func TestAddInboundUser(t *testing.T) {
	srv := graphtest.NewServer(&graphtest.Options{InProcess: true})
	defer srv.Close()
	no := false
	srv.AddInboundUser(models.SCIMUser{ExternalID: "E1", UserName: "one@contoso.com"})
	srv.AddInboundUser(models.SCIMUser{ExternalID: "E2", UserName: "two@contoso.com", Active: &no})
	for id, active := range map[string]bool{"E1": true, "E2": false} {
		if u, ok := srv.InboundUser(id); !ok || u.Active != active || u.ExternalID != id {
			t.Fatalf("%s: %+v %v; want active %v", id, u, ok, active)
		}
	}
}

// A bulkUpload over the limit is told to retry when the oldest call in
// the window leaves it, and calls older than the window do not count.
func TestBulkUploadRetryAfterFromTheOldestCall(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, _, job := inboundServer(t, &graphtest.Options{BulkUploadLimit: 2, BulkUploadWindow: 10 * time.Second})
		hc := &http.Client{Transport: srv.Transport()}
		path := srv.URL + spPath + "/jobs/" + job + "/bulkUpload"
		one := oneUpload()
		body, _ := json.Marshal(one)
		post := func() (int, string) {
			resp, _ := rawVia(t, hc, "POST", path, body, "Content-Type", "application/scim+json")
			return resp.StatusCode, resp.Header.Get("Retry-After")
		}
		post() // t = 0
		time.Sleep(3 * time.Second)
		post()                  // t = 3
		time.Sleep(time.Second) // t = 4: the call at 0 leaves the window at 10
		if st, ra := post(); st != 429 || ra != "6" {
			t.Fatalf("third call in the window: %d, Retry-After %q; want 429 and 6", st, ra)
		}
		time.Sleep(6 * time.Second)
		if st, _ := post(); st != 202 {
			t.Fatalf("after the oldest call left the window: %d", st)
		}
	})
}

// Each record's log carries its bulkId in the import step's details.
func TestBulkUploadLogStepDetails(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c, job := inboundServer(t, nil)
		for r := range models.BulkUploadChunks(users(2)) {
			if _, err := c.BulkUpload(ctx, "sp", job, r); err != nil {
				t.Fatal(err)
			}
		}
		time.Sleep(graphtest.DefaultInboundDelay)
		logs := srv.ProvisioningLogs()
		if len(logs) != 2 {
			t.Fatalf("%d events for 2 records", len(logs))
		}
		for _, ev := range logs {
			steps := ev.ProvisioningSteps
			if len(steps) == 0 || steps[0].Name != "EntryImport" || steps[0].Details["bulkId"] == "" {
				t.Fatalf("first step %+v; want EntryImport with the bulkId", steps)
			}
			for _, st := range steps[1:] {
				if st.Details == nil {
					t.Fatalf("step %s has null details", st.Name)
				}
			}
		}
	})
}

// A user's attributes are flattened with SCIM's attribute paths, and an
// update changes what it sends and keeps what it leaves out.
func TestInboundUserAttributesAndUpdates(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c, job := inboundServer(t, nil)
		srv.AddInboundUser(models.SCIMUser{ExternalID: "E1", UserName: "ada@contoso.com", DisplayName: "Ada",
			Name: &models.SCIMName{GivenName: "Ada"}, Emails: []models.SCIMValue{{Type: "work", Value: "ada@contoso.com"}, {Value: "ada@example.com"}},
			Enterprise: &models.EnterpriseUser{Department: "Sales"}, Extensions: map[string]map[string]any{"urn:contoso:hr": {"code": "X1",
				"badges": []any{map[string]any{"type": "", "value": "B1"}, map[string]any{"type": "visitor", "value": "B2"}}}}})
		u, _ := srv.InboundUser("E1")
		// An element of a list is named by its type, or by its index when
		// it has none (or an empty one).
		for k, want := range map[string]string{
			"name.givenName":                                 "Ada",
			`emails[type eq "work"].value`:                   "ada@contoso.com",
			"emails[1].value":                                "ada@example.com",
			models.SCIMEnterpriseUserSchema + ":department":  "Sales",
			"urn:contoso:hr:code":                            "X1",
			"urn:contoso:hr:badges[0].value":                 "B1",
			`urn:contoso:hr:badges[type eq "visitor"].value`: "B2",
		} {
			if got := u.Attributes[k]; got != want {
				t.Errorf("Attributes[%q] = %q, want %q (all: %q)", k, got, want, u.Attributes)
			}
		}
		upload := func(su models.SCIMUser) {
			for r := range models.BulkUploadChunks(func(yield func(models.SCIMUser) bool) { yield(su) }) {
				if _, err := c.BulkUpload(ctx, "sp", job, r); err != nil {
					t.Fatal(err)
				}
			}
			time.Sleep(graphtest.DefaultInboundDelay)
		}
		upload(models.SCIMUser{ExternalID: "E1", Title: "Guide"})
		if u, _ := srv.InboundUser("E1"); u.DisplayName != "Ada" || u.UserName != "ada@contoso.com" || u.Attributes["title"] != "Guide" {
			t.Fatalf("after an update without names: %+v", u)
		}
		upload(models.SCIMUser{ExternalID: "E1", DisplayName: "Ada L."})
		if u, _ := srv.InboundUser("E1"); u.DisplayName != "Ada L." || u.Attributes["title"] != "Guide" {
			t.Fatalf("after a new displayName: %+v", u)
		}
		// Sending the state the user already has changes nothing: skipped.
		upload(models.SCIMUser{ExternalID: "E1", Active: new(true)})
		logs := srv.ProvisioningLogs()
		if ev := logs[len(logs)-1]; ev.ProvisioningAction != models.LogActionOther || ev.ProvisioningStatusInfo.Status != models.LogStatusSkipped {
			t.Fatalf("active as it was: %s/%s, want other/skipped", ev.ProvisioningAction, ev.ProvisioningStatusInfo.Status)
		}
		// The three events name the user as their target.
		u, _ = srv.InboundUser("E1")
		f := url.QueryEscape("targetIdentity/id eq '" + u.ID + "'")
		resp, b := rawVia(t, &http.Client{Transport: srv.Transport()}, "GET", srv.URL+"/v1.0/auditLogs/provisioning?$filter="+f, nil)
		var page logsPage
		if err := json.Unmarshal(b, &page); err != nil || resp.StatusCode != http.StatusOK || len(page.Value) != 3 {
			t.Fatalf("filtered by targetIdentity/id: %d %s", resp.StatusCode, b)
		}
	})
}

// oneUpload is a bulkUpload request of one user.
func oneUpload() models.BulkUpload {
	for r := range models.BulkUploadChunks(users(1)) {
		return r
	}
	panic("BulkUploadChunks made no request of one user")
}

// An injected failure fails the record's next attempts, as many as asked,
// with Graph's errorInformation: a transient one in the service's
// category (failure), a data error in the record's (nonServiceFailure);
// then the record is applied as usual. Another record is not touched.
func TestInjectInboundFailure(t *testing.T) {
	srv, c, job := inboundServer(t, &graphtest.Options{InboundDelay: time.Millisecond})
	srv.InjectInboundFailure(graphtest.InboundFailure{ExternalID: "E0001", Transient: true, Times: 2})
	srv.InjectInboundFailure(graphtest.InboundFailure{ExternalID: "E0002", ErrorCode: "InvalidHireDate"})
	send := func() {
		t.Helper()
		for req := range models.BulkUploadChunks(users(3)) {
			if _, err := c.BulkUpload(ctx, "sp", job, req); err != nil {
				t.Fatal(err)
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	outcome := func(ev models.ProvisioningObjectSummary) string {
		si := ev.ProvisioningStatusInfo
		if si.ErrorInformation == nil {
			return string(si.Status)
		}
		ei := si.ErrorInformation
		if ei.Reason == "" || ei.RecommendedAction == "" {
			t.Errorf("%s: errorInformation without a reason or an action: %+v", ev.SourceIdentity.ID, ei)
		}
		return fmt.Sprintf("%s/%s/%s", si.Status, ei.ErrorCategory, ei.ErrorCode)
	}
	var got []string
	for range 3 {
		send()
		logs := srv.ProvisioningLogs()
		for _, ev := range logs[len(logs)-3:] {
			got = append(got, ev.SourceIdentity.ID+":"+outcome(ev))
		}
	}
	want := []string{
		"E0001:failure/failure/ServiceUnavailable", "E0002:failure/nonServiceFailure/InvalidHireDate", "E0003:success",
		"E0001:failure/failure/ServiceUnavailable", "E0002:failure/nonServiceFailure/InvalidHireDate", "E0003:skipped",
		"E0001:success", "E0002:failure/nonServiceFailure/InvalidHireDate", "E0003:skipped",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("outcomes\n%v\nwant\n%v", got, want)
	}
	if _, ok := srv.InboundUser("E0002"); ok {
		t.Error("E0002 failed every time, but is in the directory")
	}
}

// An API-driven inbound job's schema has one rule from the directory
// "API", whose object lists every SCIM core and enterprise attribute the
// job accepts (mapped or not), and maps externalId to employeeId first.
func TestInboundJobSchema(t *testing.T) {
	_, c, job := inboundServer(t, nil)
	s, err := c.GetJobSchema(ctx, "sp", job)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.SynchronizationRules) != 1 || s.SynchronizationRules[0].SourceDirectoryName != graphtest.InboundSourceDirectory ||
		s.SynchronizationRules[0].TargetDirectoryName != "Azure Active Directory" {
		t.Fatalf("rules %+v", s.SynchronizationRules)
	}
	var names []string
	for _, d := range s.Directories {
		if d.Name != graphtest.InboundSourceDirectory {
			continue
		}
		for _, o := range d.Objects {
			for _, a := range o.Attributes {
				names = append(names, a.Name)
			}
		}
	}
	all := strings.Join(names, "|")
	for _, want := range []string{"externalId", "nickName", `emails[type eq "work"].value`, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter"} {
		if !strings.Contains("|"+all+"|", "|"+want+"|") {
			t.Errorf("the API directory lacks %s: %s", want, all)
		}
	}
	if strings.Count("|"+all+"|", "|externalId|") != 1 {
		t.Errorf("externalId listed more than once: %s", all)
	}
	m := s.SynchronizationRules[0].ObjectMappings[0].AttributeMappings[0]
	if m.TargetAttributeName != "employeeId" || m.MatchingPriority != 1 {
		t.Errorf("first mapping %+v", m)
	}
}
