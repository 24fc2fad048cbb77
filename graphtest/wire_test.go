package graphtest_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

const odataJSON = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"

// Every answer, success or error, carries request-id, client-request-id
// and Date, as Graph's do.
func TestHeadersOnEveryAnswer(t *testing.T) {
	srv, _ := newServer(t, nil)
	srv.AddUser("u1", "u1")
	id := createRaw(t, srv)
	srv.InjectFault(graphtest.Fault{PathContains: "/pause", Status: 503, RetryAfter: "1"})
	// Each request is sent twice, without and with a client-request-id.
	for _, tc := range []struct {
		method, path, body string
		status, again      int
	}{
		{"GET", spPath + "/jobs", "", 200, 200},
		{"GET", spPath + "/jobs/" + id, "", 200, 200},
		{"POST", spPath + "/jobs", `{"templateId":"scim"}`, 201, 201},
		{"PATCH", spPath + "/jobs/" + id, `{"schedule":{"interval":"PT1M"}}`, 204, 204},
		{"POST", spPath + "/jobs/" + id + "/start", "", 204, 204},
		{"POST", spPath + "/jobs/" + id + "/pause", "", 503, 204}, // the fault applies once
		{"POST", spPath + "/jobs/" + id + "/restart", `{"criteria":{"resetScope":"Full"}}`, 204, 204},
		{"POST", spPath + "/jobs/" + id + "/provisionOnDemand", `{"parameters":[{"ruleId":"` + graphtest.DefaultRuleID + `","subjects":[{"objectId":"u1","objectTypeName":"User"}]}]}`, 200, 200},
		{"PUT", spPath + "/secrets", `{"value":[{"key":"BaseAddress","value":"x"}]}`, 204, 204},
		{"GET", spPath + "/templates", "", 200, 200},
		{"GET", spPath + "/jobs/nope", "", 404, 404},
		{"PUT", spPath + "/jobs/" + id, "{}", 405, 405},
		{"GET", "/v1.0/servicePrincipals/nope/synchronization/jobs", "", 404, 404},
		{"DELETE", spPath + "/jobs/" + id, "", 204, 404},
	} {
		var body []byte
		if tc.body != "" {
			body = []byte(tc.body)
		}
		for round, crid := range []string{"", "my-client-request-id"} {
			var resp *http.Response
			var b []byte
			if crid == "" {
				resp, b = rawRequest(t, srv, tc.method, tc.path, body)
			} else {
				resp, b = rawRequest(t, srv, tc.method, tc.path, body, "client-request-id", crid)
			}
			if want := []int{tc.status, tc.again}[round]; resp.StatusCode != want {
				t.Fatalf("%s %s: %d, want %d: %s", tc.method, tc.path, resp.StatusCode, want, b)
			}
			rid, crh := resp.Header.Get("request-id"), resp.Header.Get("client-request-id")
			if len(rid) != 36 || (crid == "" && crh != rid) || (crid != "" && crh != crid) {
				t.Fatalf("%s %s: request-id %q, client-request-id %q", tc.method, tc.path, rid, crh)
			}
			if d, err := http.ParseTime(resp.Header.Get("Date")); err != nil || time.Since(d) > time.Minute {
				t.Fatalf("%s %s: Date %q", tc.method, tc.path, resp.Header.Get("Date"))
			}
			ct := resp.Header.Get("Content-Type")
			switch {
			case resp.StatusCode == 204:
				if ct != "" || len(b) != 0 {
					t.Fatalf("%s %s: 204 with %q %q", tc.method, tc.path, ct, b)
				}
			case resp.StatusCode >= 400:
				if e := wantError(t, resp, b, resp.StatusCode, graphErrorCode(b)); crid != "" && e.Error.InnerError.ClientRequestID != crid {
					t.Fatalf("%s %s: innerError %+v", tc.method, tc.path, e.Error.InnerError)
				}
			default:
				if ct != odataJSON {
					t.Fatalf("%s %s: Content-Type %q", tc.method, tc.path, ct)
				}
			}
		}
	}
	// 401 too.
	resp, err := http.Get(srv.URL + spPath + "/jobs")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 || resp.Header.Get("request-id") == "" || resp.Header.Get("Date") == "" || resp.Header.Get("client-request-id") == "" {
		t.Fatalf("401 headers: %v", resp.Header)
	}
}

func graphErrorCode(b []byte) string {
	var e graphError
	json.Unmarshal(b, &e)
	return e.Error.Code
}

// @odata.context is the URL the documentation shows, on
// graph.microsoft.com whatever host served it, in the request's version.
func TestODataContext(t *testing.T) {
	srv, _ := newServer(t, nil)
	srv.AddUser("u1", "u1")
	context := func(method, path, body string, status int) string {
		t.Helper()
		var b []byte
		if body != "" {
			b = []byte(body)
		}
		resp, got := rawRequest(t, srv, method, path, b)
		if resp.StatusCode != status {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, got)
		}
		var v struct {
			Context string `json:"@odata.context"`
			ID      string `json:"id"`
		}
		json.Unmarshal(got, &v)
		return v.Context
	}
	const meta = "https://graph.microsoft.com/v1.0/$metadata#"
	id := createRaw(t, srv)
	for _, tc := range []struct{ method, path, body, want string }{
		{"POST", spPath + "/jobs", `{"templateId":"scim"}`, meta + "servicePrincipals('sp')/synchronization/jobs/$entity"},
		{"GET", spPath + "/jobs/" + id, "", meta + "servicePrincipals('sp')/synchronization/jobs/$entity"},
		{"GET", spPath + "/jobs", "", meta + "servicePrincipals('sp')/synchronization/jobs"},
		{"GET", spPath + "/templates", "", meta + "servicePrincipals('sp')/synchronization/templates"},
		{"POST", spPath + "/jobs/" + id + "/provisionOnDemand", `{"parameters":[{"ruleId":"` + graphtest.DefaultRuleID + `","subjects":[{"objectId":"u1","objectTypeName":"User"}]}]}`,
			meta + "microsoft.graph.stringKeyStringValuePair"},
		{"GET", "/beta/servicePrincipals/sp/synchronization/jobs", "", "https://graph.microsoft.com/beta/$metadata#servicePrincipals('sp')/synchronization/jobs"},
	} {
		status := 200
		if tc.method == "POST" && strings.HasSuffix(tc.path, "/jobs") {
			status = 201
		}
		if got := context(tc.method, tc.path, tc.body, status); got != tc.want {
			t.Errorf("%s %s: @odata.context %q, want %q", tc.method, tc.path, got, tc.want)
		}
	}
	// A quote in the key is doubled, as in an OData string literal.
	srv.AddServicePrincipal("o'brien")
	if got := context("GET", "/v1.0/servicePrincipals/o'brien/synchronization/jobs", "", 200); got != meta+"servicePrincipals('o''brien')/synchronization/jobs" {
		t.Errorf("quoted key: %q", got)
	}
}

// Create answers 201 with the job's Location; the job is written whole,
// with Graph's nulls, and reads back at that Location.
func TestCreateLocationAndShape(t *testing.T) {
	srv, c := newServer(t, nil)
	resp, b := rawRequest(t, srv, "POST", spPath+"/jobs", []byte(`{"templateId":"scim"}`))
	var created map[string]any
	if err := json.Unmarshal(b, &created); err != nil || resp.StatusCode != 201 {
		t.Fatalf("create: %d %s", resp.StatusCode, b)
	}
	loc := resp.Header.Get("Location")
	if loc != srv.URL+spPath+"/jobs/"+created["id"].(string) {
		t.Fatalf("Location %q", loc)
	}
	req, _ := http.NewRequest("GET", loc, nil)
	req.Header.Set("Authorization", "Bearer "+graphtest.Token)
	got, err := http.DefaultClient.Do(req)
	if err != nil || got.StatusCode != 200 {
		t.Fatalf("GET Location: %v %v", got, err)
	}
	got.Body.Close()
	schedule := created["schedule"].(map[string]any)
	status := created["status"].(map[string]any)
	if v, ok := schedule["expiration"]; !ok || v != nil {
		t.Fatalf("schedule.expiration: %v %v", v, ok)
	}
	for _, k := range []string{"lastExecution", "lastSuccessfulExecution", "lastSuccessfulExecutionWithExports", "quarantine", "troubleshootingUrl"} {
		if v, ok := status[k]; !ok || v != nil {
			t.Errorf("status.%s: %v (present %v), want null", k, v, ok)
		}
	}
	if schedule["interval"] != string(models.MaxDuration) || schedule["state"] != "Disabled" ||
		status["steadyStateFirstAchievedTime"] != "0001-01-01T00:00:00Z" {
		t.Fatalf("new job: %s", b)
	}
	// Our client reads the same answer.
	job, err := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	if err != nil || job.Schedule.State != models.ScheduleDisabled || !job.Schedule.Interval.IsMax() {
		t.Fatalf("client create: %+v %v", job, err)
	}
	reqs := srv.Requests()
	if last := reqs[len(reqs)-1]; last.Status != 201 {
		t.Fatalf("client create answered %d", last.Status)
	}
}

// Graph writes timestamps with at most 7 fractional digits (100 ns).
func TestTimestampsHaveSevenDigits(t *testing.T) {
	srv, c := newServer(t, nil)
	srv.AddUser("u1", "u1")
	job, _ := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	if err := c.StartJob(ctx, "sp", job.ID, nil); err != nil {
		t.Fatal(err)
	}
	resp, b := rawRequest(t, srv, "POST", spPath+"/jobs/"+job.ID+"/provisionOnDemand",
		[]byte(`{"parameters":[{"ruleId":"`+graphtest.DefaultRuleID+`","subjects":[{"objectId":"u1","objectTypeName":"User"}]}]}`))
	if resp.StatusCode != 200 {
		t.Fatalf("provision: %d %s", resp.StatusCode, b)
	}
	_, jb := rawRequest(t, srv, "GET", spPath+"/jobs/"+job.ID, nil)
	// Inside provisionOnDemand's value the quotes are escaped.
	stamp := regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)`)
	n := 0
	for _, s := range stamp.FindAllStringSubmatch(string(jb)+string(b), -1) {
		n++
		if len(s[1]) > 8 || s[2] != "Z" {
			t.Errorf("timestamp %s: more than 7 fractional digits or not UTC", s[0])
		}
	}
	if n < 6 {
		t.Fatalf("only %d timestamps found in\n%s\n%s", n, jb, b)
	}
	got, err := c.GetJob(ctx, "sp", job.ID)
	if err != nil || got.Status.LastExecution == nil || got.Status.LastExecution.TimeBegan.Nanosecond()%100 != 0 {
		t.Fatalf("client GetJob: %+v %v", got, err)
	}
	// Errors the client sees carry the answer's request-id.
	_, err = c.GetJob(ctx, "sp", "nope")
	var re *graphsync.ResponseError
	if !errors.As(err, &re) || re.RequestID == "" || re.ClientRequestID == "" || re.Date.IsZero() {
		t.Fatalf("client 404: %+v", re)
	}
}
