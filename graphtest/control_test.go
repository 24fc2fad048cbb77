package graphtest_test

import (
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

// control calls the control API as a test in another language would:
// plain HTTP with the server's token.
func control(t *testing.T, srv *graphtest.Server, method, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+"/_graphtest/"+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+srv.Token())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// The control API, served on a listener of the caller's with a token of
// its own: faults, users, groups and the recorded requests, as the
// package documentation lists them.
func TestControlAPI(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv, c := newServer(t, &graphtest.Options{Listener: l, Token: "tok-123", ControlAPI: true})
	if srv.URL != "http://"+l.Addr().String() || srv.Token() != "tok-123" {
		t.Fatalf("URL %s, token %s", srv.URL, srv.Token())
	}
	// The client authenticates with the server's own token.
	job, err := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	if err != nil {
		t.Fatal(err)
	}
	// A group with members the fake did not know: they become users, so
	// provisioning the group with them succeeds.
	if code, body := control(t, srv, "POST", "groups", `{"id":"g-1","displayName":"Sales","members":["u-1","u-2"]}`); code != 204 {
		t.Fatalf("groups: %d %s", code, body)
	}
	if code, body := control(t, srv, "POST", "users", `{"id":"u-3","userPrincipalName":"c@contoso.com"}`); code != 204 {
		t.Fatalf("users: %d %s", code, body)
	}
	rule := srv.RuleID("sp", job.ID, models.ObjectTypeGroup)
	res, err := c.ProvisionOnDemand(ctx, "sp", job.ID, models.NewProvisionRequest(rule, models.Group("g-1", "u-1", "u-2")))
	if err != nil || !res.Succeeded() {
		t.Fatalf("group: %+v, %v", res, err)
	}
	// A fault by path suffix, once.
	if code, body := control(t, srv, "POST", "faults", `{"method":"POST","pathSuffix":"/provisionOnDemand","status":503,"count":1}`); code != 204 {
		t.Fatalf("faults: %d %s", code, body)
	}
	_, err = c.ProvisionOnDemand(ctx, "sp", job.ID, models.NewProvisionRequest(rule, models.User("u-3")))
	var re *graphsync.ResponseError
	if !errors.As(err, &re) || re.StatusCode != 503 {
		t.Fatalf("faulted call: %v", err)
	}
	if _, err := c.ProvisionOnDemand(ctx, "sp", job.ID, models.NewProvisionRequest(rule, models.User("u-3"))); err != nil {
		t.Fatalf("after the fault: %v", err)
	}
	// The recorded requests, control calls left out.
	code, body := control(t, srv, "GET", "requests", "")
	var reqs []struct {
		Method, Path string
		Status       int
		Body         json.RawMessage
	}
	if err := json.Unmarshal([]byte(body), &reqs); code != 200 || err != nil {
		t.Fatalf("requests: %d %v %s", code, err, body)
	}
	var got []string
	for _, r := range reqs {
		got = append(got, r.Method+" "+r.Path[strings.LastIndexByte(r.Path, '/')+1:]+" "+http.StatusText(r.Status))
	}
	want := "POST jobs Created,POST provisionOnDemand OK,POST provisionOnDemand Service Unavailable,POST provisionOnDemand OK"
	if strings.Join(got, ",") != want || !strings.Contains(string(reqs[1].Body), `"objectId":"g-1"`) {
		t.Fatalf("requests:\n%s\nwant\n%s\n%s", strings.Join(got, ","), want, body)
	}
	// What it refuses.
	for _, tc := range []struct{ method, path, body string }{
		{"POST", "faults", `{"status":503,"unknown":1}`},
		{"POST", "faults", `{"latency":"soon"}`},
		{"POST", "faults", `{"status":42}`},
		{"POST", "users", `{"userPrincipalName":"x"}`},
		{"POST", "groups", `{"id":"g","members":[""]}`},
	} {
		if code, body := control(t, srv, tc.method, tc.path, tc.body); code != 400 || !strings.Contains(body, `"code":"BadRequest"`) {
			t.Errorf("%s %s %s: %d %s", tc.method, tc.path, tc.body, code, body)
		}
	}
	if code, _ := control(t, srv, "GET", "nothing", ""); code != 404 {
		t.Errorf("unknown control call: %d", code)
	}
	req, _ := http.NewRequest("GET", srv.URL+"/_graphtest/requests", nil)
	req.Header.Set("Authorization", "Bearer "+graphtest.Token)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 401 {
		t.Fatalf("another token: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	if code, _ := control(t, srv, "DELETE", "faults", ""); code != 204 {
		t.Fatal("clearing faults")
	}
}

// Without Options.ControlAPI, /_graphtest/ is a path like any other.
func TestControlAPIOff(t *testing.T) {
	srv, _ := newServer(t, nil)
	if code, _ := control(t, srv, "GET", "requests", ""); code != 400 {
		t.Fatalf("control API served without ControlAPI: %d", code)
	}
}

// The control API injects inbound failures as InjectInboundFailure does
// and lists the directory bulkUpload left; a body it cannot use is 400.
func TestControlInboundFailures(t *testing.T) {
	srv := graphtest.NewServer(&graphtest.Options{ControlAPI: true, InboundDelay: time.Millisecond})
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
	for _, body := range []string{`{"errorCode":"X"}`, `{"externalId":"A","times":-1}`, `{"externalId":"A","nope":1}`} {
		if code, _ := control(t, srv, "POST", "inbound/failures", body); code != 400 {
			t.Errorf("%s: %d", body, code)
		}
	}
	if code, body := control(t, srv, "POST", "inbound/failures", `{"externalId":"A","errorCode":"SystemBusy","transient":true,"times":1}`); code != 204 {
		t.Fatalf("inbound/failures: %d %s", code, body)
	}
	for range 2 {
		one := func(yield func(models.SCIMUser) bool) {
			yield(models.SCIMUser{ExternalID: "A", UserName: "a@contoso.com"})
		}
		for req := range models.BulkUploadChunks(one) {
			if _, err := c.BulkUpload(ctx, "sp", job.ID, req); err != nil {
				t.Fatal(err)
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	logs := srv.ProvisioningLogs()
	if len(logs) != 2 || logs[0].ProvisioningStatusInfo.ErrorInformation == nil ||
		logs[0].ProvisioningStatusInfo.ErrorInformation.ErrorCode != "SystemBusy" ||
		logs[0].ProvisioningStatusInfo.ErrorInformation.ErrorCategory != models.LogErrorFailure ||
		logs[1].ProvisioningStatusInfo.Status != models.LogStatusSuccess {
		t.Fatalf("logs: %+v", logs)
	}
	code, body := control(t, srv, "GET", "inbound/users", "")
	var us []struct {
		ExternalID string `json:"externalId"`
		Active     bool   `json:"active"`
	}
	if err := json.Unmarshal([]byte(body), &us); code != 200 || err != nil || len(us) != 1 || us[0].ExternalID != "A" || !us[0].Active {
		t.Fatalf("inbound/users: %d %v %s", code, err, body)
	}
}
