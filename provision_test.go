package graphsync_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
	"github.com/graphsync/graphsync/ratelimit"
)

// The three requests of seed 004, built with the constructors.
var seedRequests = []models.ProvisionRequest{
	models.NewProvisionRequest("ea807875-5618-4f0a-9125-0b46a05298ca", models.User("9bb0f679-a883-4a6f-8260-35b491b8b8c8")),
	models.NewProvisionRequest("6c409270-f78a-4bc6-af23-7cf3ab6482fe",
		models.Subject{ObjectID: "CN=AdeleV,CN=Users,DC=corp,DC=chicago,DC=com", ObjectTypeName: "user"}),
	models.NewProvisionRequest("33f7c90d-bf71-41b1-bda6-aaf0ddbee5d8#V2",
		models.Group("8213fd99-d6b6-417b-8e13-af6334856215", "cbc86211-6ada-4803-b73f-8039cf56d8a2", "2bc86211-6ada-4803-b73f-8039cf56d8a2")),
}

func TestProvisionOnDemandSeedExamples(t *testing.T) {
	for i, req := range seedRequests {
		n := i + 1
		t.Run(fmt.Sprint("example", n), func(t *testing.T) {
			c, ts, _ := setup(t, nil)
			path := "/v1.0/servicePrincipals/" + spID + "/synchronization/jobs/" + jobID + "/provisionOnDemand"
			ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				body := assertRequest(t, r, "POST", path)
				assertJSONEqual(t, body, readFile(t, fmt.Sprintf("testdata/provision_request_%d.json", n)))
				w.Header().Set("Content-Type", "application/json")
				w.Write(readFile(t, fmt.Sprintf("testdata/provision_response_%d.json", n)))
			})
			res, err := c.ProvisionOnDemand(ctx, spID, jobID, req)
			if err != nil {
				t.Fatal(err)
			}
			checkSeedResult(t, n, res)
		})
	}
}

// checkSeedResult asserts concrete fields of the decoded seed responses.
func checkSeedResult(t *testing.T, n int, res *models.ProvisionResult) {
	t.Helper()
	var raw struct{ Key, Value string }
	_ = json.Unmarshal(readFile(t, fmt.Sprintf("testdata/provision_response_%d.json", n)), &raw)
	if res.RawKey != raw.Key || res.RawValue != raw.Value {
		t.Fatal("raw strings not kept verbatim")
	}
	v := res.Value
	switch n {
	case 1:
		if !res.Skipped() || res.Succeeded() || res.Failed() || res.Key.Details.ErrorCode != "RedundantExport" ||
			!strings.HasPrefix(res.Key.Details.ErrorMessage, "The state of the user") {
			t.Fatalf("key = %+v", res.Key)
		}
		if v.Action != models.ActionOther || len(v.ProvisioningSteps) != 4 || v.ReportableIdentifier != "BillBob@contoso.com" {
			t.Fatalf("value = %+v", v)
		}
		last := v.ProvisioningSteps[3]
		if last.Details["SkipReason"] != "RedundantExport" || last.Type != models.StepExport || last.Status != models.StepSkipped {
			t.Fatalf("last step = %+v", last)
		}
		if v.TargetIdentity.Type != "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User" || v.TargetSystem.Name != "customappsso" {
			t.Fatalf("target = %+v %+v", v.TargetIdentity, v.TargetSystem)
		}
		if len(v.ModifiedProperties) != 7 || v.ModifiedProperties[0].OldValue != nil || *v.ModifiedProperties[2].NewValue != "Bill Bob" {
			t.Fatalf("modified = %+v", v.ModifiedProperties)
		}
		want := time.Date(2020, 6, 26, 13, 58, 24, 768208400, time.UTC)
		if v.EndTime == nil || !v.EndTime.Equal(want) || v.StatusInfo.Status != "Skipped" || v.StatusInfo.ErrorCode != "" {
			t.Fatalf("endTime %v statusInfo %+v", v.EndTime, v.StatusInfo)
		}
		if res.FailedStep() != nil {
			t.Fatal("FailedStep on a skip")
		}
	case 2:
		if !res.Succeeded() || v.Action != models.ActionUpdate || v.SourceSystem.Name != "Active Directory" ||
			v.SourceIdentity.Type != "user" || v.TargetSystem.Name != "Azure Active Directory" {
			t.Fatalf("result = %+v / %+v", res.Key, v)
		}
		if len(v.ProvisioningSteps) != 4 || v.ProvisioningSteps[0].Details["distinguishedName"] != "CN=AdeleV,CN=Users,DC=corp,DC=chicago,DC=com" {
			t.Fatalf("steps = %d", len(v.ProvisioningSteps))
		}
	case 3:
		if !res.Succeeded() || res.RawValue != "{}" || !isZeroValue(v) {
			t.Fatalf("result = %+v", res)
		}
	}
}

func isZeroValue(v models.ProvisionValue) bool {
	b, _ := json.Marshal(v)
	return string(b) == "{}"
}

func TestDecodeProvisionResultKeepsRawOnBadInnerJSON(t *testing.T) {
	for _, tc := range []struct {
		name, body, part string
		rawKey, rawValue string
	}{
		{"bad key", `{"key":"not json","value":"{}"}`, "key", "not json", "{}"},
		{"bad value", `{"key":"{\"result\":\"Success\"}","value":"{\"action\":"}`, "value", `{"result":"Success"}`, `{"action":`},
		{"value wrong type", `{"key":"{\"result\":\"Success\"}","value":"[1,2]"}`, "value", `{"result":"Success"}`, `[1,2]`},
		{"no key", `{"value":"{}"}`, "no key", "", ""},
		{"not an object", `[1]`, "stringKeyStringValuePair", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, ts, _ := setup(t, nil)
			ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, tc.body) })
			res, err := c.ProvisionOnDemand(ctx, spID, jobID, seedRequests[0])
			if !errors.Is(err, models.ErrResultDecode) || !strings.Contains(err.Error(), tc.part) {
				t.Fatalf("err = %v, want ErrResultDecode naming %q", err, tc.part)
			}
			if res == nil || res.RawKey != tc.rawKey || res.RawValue != tc.rawValue {
				t.Fatalf("result = %+v", res)
			}
		})
	}
	// A key that decodes is kept even when the value does not.
	res, _ := models.DecodeProvisionResult([]byte(`{"key":"{\"result\":\"Skipped\"}","value":"oops"}`))
	if !res.Skipped() {
		t.Fatal("key lost because value failed")
	}
}

func TestProvisionRequestValidation(t *testing.T) {
	c, ts, _ := setup(t, nil)
	u := models.User("u1")
	cases := []struct {
		req   models.ProvisionRequest
		field string
	}{
		{models.ProvisionRequest{}, "req.parameters"},
		{models.NewProvisionRequest("", u), "req.parameters[0].ruleId"},
		{models.NewProvisionRequest("r"), "req.parameters[0].subjects"},
		{models.NewProvisionRequest("r", u, models.Subject{ObjectID: "x"}), "req.parameters[0].subjects[1].objectTypeName"},
		{models.NewProvisionRequest("r", models.Subject{ObjectTypeName: "User"}), "req.parameters[0].subjects[0].objectId"},
		{models.NewProvisionRequest("r", models.Subject{ObjectID: "g", ObjectTypeName: "Group",
			Links: &models.LinkedObjects{Members: []models.Subject{u, {ObjectID: "m2"}}}}), "req.parameters[0].subjects[0].links.members[1].objectTypeName"},
		{models.NewProvisionRequest("r", models.Subject{ObjectID: "g", ObjectTypeName: "User",
			Links: &models.LinkedObjects{Manager: &models.Subject{ObjectTypeName: "User"}}}), "req.parameters[0].subjects[0].links.manager.objectId"},
		{models.ProvisionRequest{Parameters: []models.ApplicationParameters{{RuleID: "r", Subjects: []models.Subject{u}}, {RuleID: " "}}}, "req.parameters[1].ruleId"},
	}
	for _, tc := range cases {
		_, err := c.ProvisionOnDemand(ctx, spID, jobID, tc.req)
		var ve *graphsync.ValidationError
		if !errors.As(err, &ve) || ve.Field != tc.field {
			t.Errorf("err = %v, want field %s", err, tc.field)
		}
	}
	if _, err := c.ProvisionOnDemand(ctx, spID, "", seedRequests[0]); !errors.Is(err, graphsync.ErrInvalidInput) {
		t.Errorf("empty job ID: %v", err)
	}
	if ts.requests() != 0 {
		t.Fatalf("server saw %d requests", ts.requests())
	}
}

func TestProvisionOnDemandRefusedInChina(t *testing.T) {
	c, ts, _ := setup(t, &graphsync.ClientOptions{Cloud: graphsync.CloudChina})
	_, err := c.ProvisionOnDemand(ctx, spID, jobID, seedRequests[0])
	if !errors.Is(err, graphsync.ErrUnsupported) || !strings.Contains(err.Error(), "not available") {
		t.Fatalf("err = %v", err)
	}
	if ts.requests() != 0 {
		t.Fatal("a request was sent")
	}
}

func TestProvisionOnDemandNotRetriedOn5xx(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &flaky{statuses: []int{503, 500}, retry: []string{"1"}}
		c := inProcessClient(t, f, nil)
		_, err := c.ProvisionOnDemand(ctx, spID, jobID, seedRequests[0])
		var re *graphsync.ResponseError
		if !errors.As(err, &re) || re.StatusCode != 503 || len(f.times) != 1 {
			t.Fatalf("err = %v, attempts %d; want one 503", err, len(f.times))
		}
	})
}

// provisionServer records provisionOnDemand arrivals and answers 429 to
// the calls listed in throttle (1-based), with Retry-After: 3.
type provisionServer struct {
	mu       sync.Mutex
	arrivals []time.Time
	throttle map[int]bool
	got429   []time.Time
}

func (p *provisionServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.arrivals = append(p.arrivals, time.Now())
	n := len(p.arrivals)
	p.mu.Unlock()
	if p.throttle[n] {
		p.mu.Lock()
		p.got429 = append(p.got429, time.Now())
		p.mu.Unlock()
		w.Header().Set("Retry-After", "3")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"error":{"code":"TooManyRequests","message":"slow down"}}`)
		return
	}
	io.WriteString(w, `{"key":"{\"result\":\"Success\",\"details\":{}}","value":"{}"}`)
}

func TestTwelveConcurrentProvisionsStayWithinLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := &provisionServer{}
		c := inProcessClient(t, srv, nil) // default limiter: 5 per 10 s
		var wg sync.WaitGroup
		for range 12 {
			wg.Go(func() {
				if _, err := c.ProvisionOnDemand(ctx, spID, jobID, seedRequests[2]); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if len(srv.arrivals) != 12 {
			t.Fatalf("%d arrivals", len(srv.arrivals))
		}
		if got := graphtest.MaxInWindow(srv.arrivals, 10*time.Second); got > 5 {
			t.Fatalf("%d requests in a 10 s window at the server", got)
		}
	})
}

func TestProvision429PausesEveryone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// The 2nd arrival is answered 429 with Retry-After: 3.
		srv := &provisionServer{throttle: map[int]bool{2: true}}
		lim := ratelimit.New(5, 10*time.Second)
		c := inProcessClient(t, srv, &graphsync.ClientOptions{Limiter: lim})
		t0 := time.Now()
		if _, err := c.ProvisionOnDemand(ctx, spID, jobID, seedRequests[0]); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for range 3 {
			wg.Go(func() {
				if _, err := c.ProvisionOnDemand(ctx, spID, jobID, seedRequests[0]); err != nil {
					t.Error(err)
				}
			})
			synctest.Wait()
		}
		wg.Wait()
		// Arrivals: #1 and #2 (429) at t=0; #3 and #4 were waiting behind
		// the pause, and the 429'd call is retried: all at t=3 s.
		if len(srv.arrivals) != 5 {
			t.Fatalf("%d arrivals, want 5", len(srv.arrivals))
		}
		for i, a := range srv.arrivals {
			at := a.Sub(t0)
			if (i < 2 && at != 0) || (i >= 2 && at < 3*time.Second) {
				t.Errorf("arrival %d at %v", i+1, at)
			}
		}
		if st := lim.Stats(); st.Pauses != 1 {
			t.Fatalf("limiter stats %+v, want 1 pause", st)
		}
		if got := graphtest.MaxInWindow(srv.arrivals, 10*time.Second); got > 5 {
			t.Fatalf("%d in a window", got)
		}
	})
}

func TestDisableLimiter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := &provisionServer{}
		c := inProcessClient(t, srv, &graphsync.ClientOptions{DisableLimiter: true})
		for range 8 {
			if _, err := c.ProvisionOnDemand(ctx, spID, jobID, seedRequests[0]); err != nil {
				t.Fatal(err)
			}
		}
		if got := graphtest.MaxInWindow(srv.arrivals, 0); got != 8 {
			t.Fatalf("without a limiter %d arrived at once, want 8", got)
		}
	})
}

func FuzzDecodeProvisionResult(f *testing.F) {
	for n := 1; n <= 3; n++ {
		b, err := readFileF(fmt.Sprintf("testdata/provision_response_%d.json", n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		res, err := models.DecodeProvisionResult(body)
		if res == nil {
			t.Fatal("nil result")
		}
		var outer struct {
			Key   *string `json:"key"`
			Value *string `json:"value"`
		}
		if json.Unmarshal(body, &outer) != nil || outer.Key == nil {
			if err == nil {
				t.Fatal("no error for a body without a key")
			}
			return
		}
		if res.RawKey != *outer.Key {
			t.Fatalf("raw key lost: %q vs %q", res.RawKey, *outer.Key)
		}
		if outer.Value != nil && res.RawValue != *outer.Value {
			t.Fatalf("raw value lost")
		}
		if err != nil && !errors.Is(err, models.ErrResultDecode) {
			t.Fatalf("error %v does not match ErrResultDecode", err)
		}
	})
}
