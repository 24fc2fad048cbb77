package graphsync_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/models"
)

const (
	spID  = "c8c95753-f628-48e1-9fab-76c2d4cf624c"
	jobID = "BoxOutDelta.e4bbf44533ea4eabb17027f3a92e92aa.5ffd0cd2-3a15-4e06-9d93-fd2a4ec4ddd4"
)

var ctx = context.Background()

func TestCreateJob(t *testing.T) {
	for _, status := range []int{http.StatusCreated, http.StatusOK} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			c, ts, cred := setup(t, &graphsync.ClientOptions{UserAgent: "myapp/2"})
			seed := readFile(t, "testdata/create_job_response.json")
			ts.mux.HandleFunc("/v1.0/servicePrincipals/{sp}/synchronization/jobs", func(w http.ResponseWriter, r *http.Request) {
				body := assertRequest(t, r, "POST", "/v1.0/servicePrincipals/"+spID+"/synchronization/jobs")
				assertJSONEqual(t, body, []byte(`{"templateId":"BoxOutDelta"}`))
				if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "myapp/2 graphsync-go/") {
					t.Errorf("User-Agent = %q", ua)
				}
				if r.URL.RawQuery != "" {
					t.Errorf("query = %q", r.URL.RawQuery)
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				w.Write(seed)
			})
			job, err := c.CreateJob(ctx, spID, models.SynchronizationJob{TemplateID: "BoxOutDelta"})
			if err != nil {
				t.Fatal(err)
			}
			if job.ID != "{jobId}" || job.TemplateID != "BoxOutDelta" {
				t.Fatalf("job = %+v", job)
			}
			if job.Schedule.State != models.ScheduleDisabled || !job.Schedule.Interval.IsMax() || job.Schedule.Expiration != nil {
				t.Fatalf("schedule = %+v", job.Schedule)
			}
			if _, err := job.Schedule.Interval.Duration(); !errors.Is(err, models.ErrDurationOverflow) {
				t.Fatalf("Interval.Duration() err = %v, want ErrDurationOverflow", err)
			}
			st := job.Status
			if st.Code != models.StatusNotConfigured || st.LastExecution != nil || st.Quarantine != nil ||
				!models.IsNever(st.SteadyStateFirstAchievedTime) || !models.IsNever(st.SteadyStateLastAchievedTime) {
				t.Fatalf("status = %+v", st)
			}
			if len(cred.scopes) != 1 || len(cred.scopes[0]) != 1 || cred.scopes[0][0] != "https://graph.microsoft.com/.default" {
				t.Fatalf("token scopes = %v", cred.scopes)
			}
		})
	}
}

func TestSeedJobRoundTrip(t *testing.T) {
	// Decoding the seed and encoding it again loses nothing: the only
	// difference allowed is that null members are omitted.
	seed := readFile(t, "testdata/create_job_response.json")
	var job models.SynchronizationJob
	if err := json.Unmarshal(seed, &job); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(job)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"interval":"P10675199DT2H48M5.4775807S"`) {
		t.Fatalf("interval not written back verbatim: %s", out)
	}
	assertJSONEqual(t, dropNulls(t, out), dropNulls(t, seed))
}

func TestFullJobRoundTrip(t *testing.T) {
	// Every modelled field, with 7-digit fractions and unknown enum values.
	in := []byte(`{"@odata.type":"#microsoft.graph.synchronizationJob","id":"j1","templateId":"scim",
	"schedule":{"expiration":"2030-01-02T03:04:05.1234567Z","interval":"PT40M","state":"SomeNewState"},
	"synchronizationJobSettings":[{"name":"AzureIngestionAttributeOptimization","value":"{\"a\":1}"}],
	"status":{"code":"Quarantine","countSuccessiveCompleteFailures":3,"escrowsPruned":true,
	 "lastExecution":{"activityIdentifier":"a1","countEntitled":1,"countEntitledForProvisioning":2,"countEscrowed":3,"countEscrowedRaw":4,
	  "countExported":5,"countExports":6,"countImported":7,"countImportedDeltas":8,"countImportedReferenceDeltas":9,
	  "error":{"code":"E","message":"m","tenantActionable":true},"state":"EntryLevelErrors",
	  "timeBegan":"2020-06-26T13:58:24.7682084Z","timeEnded":"2020-06-26T13:59:24.5Z"},
	 "progress":[{"completedUnits":1,"totalUnits":10,"units":"Entries","progressObservationDateTime":"2021-01-01T00:00:00Z"}],
	 "quarantine":{"currentBegan":"2021-01-01T00:00:00Z","nextAttempt":"2021-01-02T00:00:00Z","reason":"SomethingNew",
	  "seriesBegan":"2020-12-01T00:00:00Z","seriesCount":4,"error":{"code":"Q","message":"q","tenantActionable":false}},
	 "steadyStateFirstAchievedTime":"0001-01-01T00:00:00Z","steadyStateLastAchievedTime":"2021-01-01T00:00:00Z",
	 "synchronizedEntryCountByType":[{"key":"user","value":12345678901}],"troubleshootingUrl":"https://example.invalid/t"}}`)
	var job models.SynchronizationJob
	if err := json.Unmarshal(in, &job); err != nil {
		t.Fatal(err)
	}
	if job.Status.Quarantine.Reason != "SomethingNew" || job.Schedule.State != "SomeNewState" {
		t.Fatal("unknown enum values not kept")
	}
	if job.Status.LastExecution.CountImportedReferenceDeltas != 9 || job.Status.SynchronizedEntryCountByType[0].Value != 12345678901 {
		t.Fatalf("counts: %+v", job.Status)
	}
	if d, err := job.Schedule.Interval.Duration(); err != nil || d != 40*time.Minute {
		t.Fatalf("interval = %v, %v", d, err)
	}
	out, _ := json.Marshal(job)
	assertJSONEqual(t, out, in)
}

// dropNulls removes object members whose value is null, recursively.
func dropNulls(t *testing.T, b []byte) []byte {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	var walk func(any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if e == nil {
					delete(x, k)
				} else {
					x[k] = walk(e)
				}
			}
		case []any:
			for i := range x {
				x[i] = walk(x[i])
			}
		}
		return v
	}
	out, _ := json.Marshal(walk(v))
	return out
}

func TestJobLifecycleCalls(t *testing.T) {
	c, ts, _ := setup(t, nil)
	base := "/v1.0/servicePrincipals/" + spID + "/synchronization/jobs/" + jobID
	var seen []string
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Method+" "+r.URL.EscapedPath())
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get("Authorization") != "Bearer "+testToken {
			t.Errorf("%s %s: Authorization = %q", r.Method, r.URL.Path, r.Header.Get("Authorization"))
		}
		switch {
		case r.Method == "GET" && r.URL.Path == base:
			w.Write([]byte(`{"id":"` + jobID + `","templateId":"BoxOutDelta","schedule":{"interval":"PT40M","state":"Active"},"status":{"code":"Active"}}`))
		case r.Method == "PATCH" && r.URL.Path == base:
			assertJSONEqual(t, body, []byte(`{"schedule":{"interval":"PT30S"}}`))
			w.WriteHeader(http.StatusNoContent)
		case r.Method == "POST" && r.URL.Path == base+"/restart":
			assertJSONEqual(t, body, []byte(`{"criteria":{"resetScope":"Watermark, Escrows"}}`))
			w.WriteHeader(http.StatusNoContent)
		case r.Method == "POST" && (r.URL.Path == base+"/start" || r.URL.Path == base+"/pause"):
			if len(body) != 0 {
				t.Errorf("%s has a body: %s", r.URL.Path, body)
			}
			w.WriteHeader(http.StatusNoContent)
		case r.Method == "DELETE" && r.URL.Path == base:
			w.WriteHeader(http.StatusNoContent)
		default:
			t.Errorf("unexpected %s %s", r.Method, r.URL.Path)
			w.WriteHeader(http.StatusTeapot)
		}
	})
	job, err := c.GetJob(ctx, spID, jobID)
	if err != nil || job.Status.Code != models.StatusActive || job.Schedule.Interval != "PT40M" {
		t.Fatalf("GetJob = %+v, %v", job, err)
	}
	must(t, c.UpdateJob(ctx, spID, jobID, models.SynchronizationJob{Schedule: &models.SynchronizationSchedule{Interval: models.NewDuration(30 * time.Second)}}))
	// The job is running: StartJob refuses, Force starts it anyway.
	if err := c.StartJob(ctx, spID, jobID, nil); !errors.Is(err, graphsync.ErrJobActive) {
		t.Fatalf("StartJob of a running job: %v", err)
	}
	must(t, c.StartJob(ctx, spID, jobID, &graphsync.StartOptions{Force: true}))
	must(t, c.PauseJob(ctx, spID, jobID))
	must(t, c.RestartJob(ctx, spID, jobID, models.ResetWatermark|models.ResetEscrows))
	must(t, c.DeleteJob(ctx, spID, jobID))
	want := []string{"GET " + base, "PATCH " + base, "GET " + base, "POST " + base + "/start", "POST " + base + "/pause", "POST " + base + "/restart", "DELETE " + base}
	if fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Fatalf("requests:\n%v\nwant\n%v", seen, want)
	}
}

func TestRestartWithoutScopeSendsNoBody(t *testing.T) {
	c, ts, _ := setup(t, nil)
	ts.mux.HandleFunc("POST /v1.0/servicePrincipals/{sp}/synchronization/jobs/{job}/restart", func(w http.ResponseWriter, r *http.Request) {
		if b, _ := io.ReadAll(r.Body); len(b) != 0 {
			t.Errorf("body = %s", b)
		}
		w.WriteHeader(http.StatusNoContent)
	})
	must(t, c.RestartJob(ctx, spID, jobID, models.ResetNone))
	if err := c.RestartJob(ctx, spID, jobID, models.ResetScope(1<<10)); !errors.Is(err, graphsync.ErrInvalidInput) {
		t.Fatalf("undocumented scope: %v", err)
	}
	if ts.requests() != 1 {
		t.Fatalf("server saw %d requests, want 1", ts.requests())
	}
}

func TestListJobsFollowsNextLink(t *testing.T) {
	c, ts, _ := setup(t, nil)
	path := "/v1.0/servicePrincipals/" + spID + "/synchronization/jobs"
	ts.mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("$skiptoken") {
		case "":
			fmt.Fprintf(w, `{"value":[{"id":"a","templateId":"t"},{"id":"b","templateId":"t"}],"@odata.nextLink":"%s%s?$skiptoken=2"}`, ts.URL, path)
		case "2":
			if r.Header.Get("Authorization") != "Bearer "+testToken {
				t.Error("page 2 not authenticated")
			}
			w.Write([]byte(`{"value":[{"id":"c","templateId":"t"}]}`))
		}
	})
	jobs, err := c.ListJobs(ctx, spID)
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 3 || jobs[0].ID != "a" || jobs[2].ID != "c" {
		t.Fatalf("jobs = %+v", jobs)
	}
}

func TestListJobsRefusesNextLinkToAnotherHost(t *testing.T) {
	var stolen int
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		stolen++
		w.Write([]byte(`{"value":[]}`))
	}))
	defer evil.Close()
	c, ts, _ := setup(t, nil)
	ts.mux.HandleFunc("GET /v1.0/servicePrincipals/{sp}/synchronization/jobs", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"value":[{"id":"a"}],"@odata.nextLink":"%s/v1.0/steal"}`, evil.URL)
	})
	_, err := c.ListJobs(ctx, spID)
	if err == nil || !strings.Contains(err.Error(), "nextLink") {
		t.Fatalf("err = %v, want a refusal of the nextLink", err)
	}
	if stolen != 0 {
		t.Fatalf("the other host got %d requests", stolen)
	}
}

func TestListTemplates(t *testing.T) {
	c, ts, _ := setup(t, nil)
	ts.mux.HandleFunc("/v1.0/servicePrincipals/{sp}/synchronization/templates", func(w http.ResponseWriter, r *http.Request) {
		assertRequest(t, r, "GET", "/v1.0/servicePrincipals/"+spID+"/synchronization/templates")
		w.Write([]byte(`{"value":[{"id":"BoxOutDelta","applicationId":"app","default":true,"discoverable":true,"factoryTag":"box",
			"metadata":[{"key":"GalleryApplicationKey","value":"box"},{"key":"IsOAuthEnabled","value":"true"}]}]}`))
	})
	ts2, err := c.ListTemplates(ctx, spID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts2) != 1 || ts2[0].ID != "BoxOutDelta" || !ts2[0].Default || ts2[0].Schema != nil {
		t.Fatalf("templates = %+v", ts2)
	}
	// Graph's synchronizationMetadataEntry is key/value: the keys used to
	// be dropped (decoded as name/value).
	if m := ts2[0].Metadata; len(m) != 2 || m[0].Key != models.MetadataGalleryApplicationKey || m[0].Value != "box" ||
		m[1].Key != models.MetadataIsOAuthEnabled || m[1].Value != "true" {
		t.Fatalf("metadata = %+v", m)
	}
}

func TestSaveSecrets(t *testing.T) {
	c, ts, _ := setup(t, nil)
	ts.mux.HandleFunc("/v1.0/servicePrincipals/{sp}/synchronization/secrets", func(w http.ResponseWriter, r *http.Request) {
		body := assertRequest(t, r, "PUT", "/v1.0/servicePrincipals/"+spID+"/synchronization/secrets")
		assertJSONEqual(t, body, []byte(`{"value":[{"key":"BaseAddress","value":"https://scim.example.com"},{"key":"SecretToken","value":"s3cret"}]}`))
		w.WriteHeader(http.StatusNoContent)
	})
	must(t, c.SaveSecrets(ctx, spID, []models.SecretKeyValue{{Key: "BaseAddress", Value: models.NewSecret("https://scim.example.com")}, {Key: "SecretToken", Value: models.NewSecret("s3cret")}}))
	if err := c.SaveSecrets(ctx, spID, nil); !errors.Is(err, graphsync.ErrInvalidInput) {
		t.Fatalf("no secrets: %v", err)
	}
	if ts.requests() != 1 {
		t.Fatalf("server saw %d requests", ts.requests())
	}
}

func TestSaveSecretsErrorDoesNotLeakValues(t *testing.T) {
	c, ts, _ := setup(t, nil)
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"error":{"code":"BadRequest","message":"nope"}}`))
	})
	err := c.SaveSecrets(ctx, spID, []models.SecretKeyValue{{Key: "SecretToken", Value: models.NewSecret("hunter2")}})
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("err = %v", err)
	}
}

func TestChinaCloudRefusesSecrets(t *testing.T) {
	c, ts, _ := setup(t, &graphsync.ClientOptions{Cloud: graphsync.CloudChina})
	err := c.SaveSecrets(ctx, spID, []models.SecretKeyValue{{Key: "k", Value: models.NewSecret("v")}})
	if !errors.Is(err, graphsync.ErrUnsupported) || !strings.Contains(err.Error(), "China") {
		t.Fatalf("err = %v", err)
	}
	if ts.requests() != 0 {
		t.Fatal("a request was sent")
	}
}

func TestCloudsAndVersions(t *testing.T) {
	for _, tc := range []struct {
		cloud              graphsync.Cloud
		version, host, scp string
	}{
		{graphsync.Cloud{}, "", "graph.microsoft.com", "https://graph.microsoft.com/.default"},
		{graphsync.CloudUSGovL4, "beta", "graph.microsoft.us", "https://graph.microsoft.us/.default"},
		{graphsync.CloudUSGovL5, "v1.0", "dod-graph.microsoft.us", "https://dod-graph.microsoft.us/.default"},
		{graphsync.CloudChina, "", "microsoftgraph.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn/.default"},
	} {
		var got *http.Request
		rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			got = r
			return &http.Response{StatusCode: 204, Body: http.NoBody, Header: http.Header{}, Request: r}, nil
		})
		cred := &fakeCredential{}
		c, err := graphsync.NewClient(cred, &graphsync.ClientOptions{Cloud: tc.cloud, APIVersion: tc.version, Transport: rt})
		if err != nil {
			t.Fatal(err)
		}
		must(t, c.StartJob(ctx, "sp", "job", &graphsync.StartOptions{Force: true}))
		wantVersion := tc.version
		if wantVersion == "" {
			wantVersion = "v1.0"
		}
		if got.URL.String() != "https://"+tc.host+"/"+wantVersion+"/servicePrincipals/sp/synchronization/jobs/job/start" {
			t.Errorf("URL = %s", got.URL)
		}
		if cred.scopes[0][0] != tc.scp {
			t.Errorf("scope = %v, want %s", cred.scopes, tc.scp)
		}
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestNewClientRefusesBadOptions(t *testing.T) {
	cred := &fakeCredential{}
	for name, o := range map[string]*graphsync.ClientOptions{
		"http to a remote host": {BaseURL: "http://graph.example.com"},
		"path in BaseURL":       {BaseURL: "https://graph.example.com/v1.0"},
		"bad scheme":            {BaseURL: "ftp://127.0.0.1"},
		"bad version":           {APIVersion: "v2"},
		"cloud without scope":   {Cloud: graphsync.Cloud{Host: "x"}},
	} {
		if _, err := graphsync.NewClient(cred, o); !errors.Is(err, graphsync.ErrInvalidInput) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if _, err := graphsync.NewClient(nil, nil); !errors.Is(err, graphsync.ErrInvalidInput) {
		t.Errorf("nil credential: %v", err)
	}
	for _, ok := range []string{"http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:2", "https://graph.example.com"} {
		if _, err := graphsync.NewClient(cred, &graphsync.ClientOptions{BaseURL: ok}); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}

func TestBadInputIsRefusedBeforeSending(t *testing.T) {
	c, ts, _ := setup(t, nil)
	var nilCtx context.Context
	job := models.SynchronizationJob{TemplateID: "t"}
	cases := []struct {
		name, field string
		call        func() error
	}{
		{"empty sp", "servicePrincipalID", func() error { _, err := c.CreateJob(ctx, "", job); return err }},
		{"dot sp", "servicePrincipalID", func() error { _, err := c.GetJob(ctx, ".", jobID); return err }},
		{"dotdot job", "jobID", func() error { _, err := c.GetJob(ctx, spID, ".."); return err }},
		{"empty job", "jobID", func() error { return c.StartJob(ctx, spID, "", nil) }},
		{"control char", "jobID", func() error { return c.PauseJob(ctx, spID, "a\nb") }},
		{"no template", "job.TemplateID", func() error { _, err := c.CreateJob(ctx, spID, models.SynchronizationJob{}); return err }},
		{"bad interval", "job.Schedule.Interval", func() error {
			return c.UpdateJob(ctx, spID, jobID, models.SynchronizationJob{Schedule: &models.SynchronizationSchedule{Interval: "40 minutes"}})
		}},
		{"nil ctx", "ctx", func() error { _, err := c.ListJobs(nilCtx, spID); return err }},
		{"nil ctx delete", "ctx", func() error { return c.DeleteJob(nilCtx, spID, jobID) }},
		{"empty sp templates", "servicePrincipalID", func() error { _, err := c.ListTemplates(ctx, ""); return err }},
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

func TestIDsCannotChangeThePath(t *testing.T) {
	c, ts, _ := setup(t, nil)
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	for _, tc := range []struct{ sp, job, want string }{
		{"../x", "j", "/v1.0/servicePrincipals/..%2Fx/synchronization/jobs/j/start"},
		{"sp", "a/b?c#d", "/v1.0/servicePrincipals/sp/synchronization/jobs/a%2Fb%3Fc%23d/start"},
		{"%2e%2e", "%2F", "/v1.0/servicePrincipals/%252e%252e/synchronization/jobs/%252F/start"},
		{"a b+c", "ü&=;", "/v1.0/servicePrincipals/a%20b%2Bc/synchronization/jobs/%C3%BC%26%3D%3B/start"},
	} {
		before := ts.requests()
		must(t, c.StartJob(ctx, tc.sp, tc.job, &graphsync.StartOptions{Force: true}))
		ts.mu.Lock()
		got := ts.paths[before]
		ts.mu.Unlock()
		if got != tc.want {
			t.Errorf("ids %q/%q: path %s, want %s", tc.sp, tc.job, got, tc.want)
		}
	}
}

func TestTokenNeverFollowsRedirectToAnotherHost(t *testing.T) {
	var gotAuth []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth = append(gotAuth, r.Header.Get("Authorization"))
		w.WriteHeader(http.StatusNoContent)
	}))
	defer other.Close()
	c, ts, _ := setup(t, nil)
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/v1.0/x", http.StatusTemporaryRedirect)
	})
	err := c.DeleteJob(ctx, spID, jobID)
	if err == nil || !strings.Contains(err.Error(), "redirect") {
		t.Fatalf("err = %v, want a refused redirect", err)
	}
	if len(gotAuth) != 0 {
		t.Fatalf("the other host got %d requests (Authorization %q)", len(gotAuth), gotAuth)
	}
	if strings.Contains(err.Error(), testToken) {
		t.Fatal("token in error message")
	}
}

func TestSameHostRedirectIsFollowed(t *testing.T) {
	c, ts, _ := setup(t, nil)
	ts.mux.HandleFunc("GET /v1.0/servicePrincipals/{sp}/synchronization/jobs/{job}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/moved", http.StatusFound)
	})
	ts.mux.HandleFunc("GET /moved", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+testToken {
			t.Error("same-host redirect lost the token")
		}
		w.Write([]byte(`{"id":"moved"}`))
	})
	job, err := c.GetJob(ctx, spID, jobID)
	if err != nil || job.ID != "moved" {
		t.Fatalf("job = %+v, err = %v", job, err)
	}
}

func TestClaimsChallengeIsAnsweredOnce(t *testing.T) {
	c, ts, cred := setup(t, nil)
	const claims = `{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}`
	b64 := "eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwidmFsdWUiOiIxNzAwMDAwMDAwIn19fQ=="
	calls := 0
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		calls++
		if r.Header.Get("Authorization") != "Bearer "+testToken {
			t.Errorf("call %d without token", calls)
		}
		w.Header().Set("WWW-Authenticate", `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="`+b64+`"`)
		w.WriteHeader(http.StatusUnauthorized)
	})
	err := c.StartJob(ctx, spID, jobID, nil)
	if !errors.Is(err, graphsync.ErrUnauthorized) {
		t.Fatalf("err = %v", err)
	}
	if calls != 2 {
		t.Fatalf("%d calls, want 2 (one resend with the claims)", calls)
	}
	if len(cred.claims) != 2 || cred.claims[0] != "" || cred.claims[1] != claims {
		t.Fatalf("claims asked for: %q", cred.claims)
	}
}

// StartJob reads the job first and starts it only when it is not
// running: Graph warns that starting a running job can stop the service.
func TestStartJobRefusesARunningJob(t *testing.T) {
	base := "/v1.0/servicePrincipals/" + spID + "/synchronization/jobs/" + jobID
	for _, tc := range []struct {
		job     string
		refused bool
	}{
		{`{"schedule":{"state":"Disabled"},"status":{"code":"NotConfigured"}}`, false}, // new
		{`{"schedule":{"state":"Paused"},"status":{"code":"Paused"}}`, false},
		{`{"schedule":{"state":"Active"},"status":{"code":"Quarantine"}}`, false},
		{`{"schedule":{"state":"Active"},"status":{"code":"Paused"}}`, false},
		{`{"id":"j"}`, false},
		{`{"schedule":{"state":"Active"},"status":{"code":"Active"}}`, true},
		{`{"schedule":{"state":"Active"},"status":{"code":"NotRun"}}`, true},
		{`{"schedule":{"state":"Active"}}`, true},
		{`{"schedule":{"state":"Disabled"},"status":{"code":"Active"}}`, true},
	} {
		c, ts, _ := setup(t, nil)
		var seen []string
		ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			seen = append(seen, r.Method+" "+r.URL.Path)
			if r.Method == "GET" {
				w.Write([]byte(tc.job))
				return
			}
			w.WriteHeader(http.StatusNoContent)
		})
		err := c.StartJob(ctx, spID, jobID, nil)
		want := []string{"GET " + base, "POST " + base + "/start"}
		if tc.refused {
			want = want[:1]
			var ve *graphsync.ValidationError
			if !errors.Is(err, graphsync.ErrJobActive) || errors.As(err, &ve) || !strings.Contains(err.Error(), `(schedule "Active"`) && !strings.Contains(err.Error(), `status "Active"`) {
				t.Errorf("%s: err = %v, want ErrJobActive naming the state", tc.job, err)
			}
		} else if err != nil {
			t.Errorf("%s: %v", tc.job, err)
		}
		if fmt.Sprint(seen) != fmt.Sprint(want) {
			t.Errorf("%s: requests %v, want %v", tc.job, seen, want)
		}
	}
}

func TestStartJobWithoutReading(t *testing.T) {
	c, ts, _ := setup(t, nil)
	var seen []string
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Method)
		if r.Method == "GET" {
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"error":{"code":"Request_ResourceNotFound","message":"no job"}}`))
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	// A job that cannot be read is not started.
	err := c.StartJob(ctx, spID, jobID, &graphsync.StartOptions{})
	var re *graphsync.ResponseError
	if !errors.Is(err, graphsync.ErrNotFound) || !errors.As(err, &re) || re.Code != "Request_ResourceNotFound" || fmt.Sprint(seen) != "[GET]" {
		t.Fatalf("err = %v after %v", err, seen)
	}
	// Force: the start alone.
	seen = nil
	must(t, c.StartJob(ctx, spID, jobID, &graphsync.StartOptions{Force: true}))
	if fmt.Sprint(seen) != "[POST]" {
		t.Fatalf("with Force: %v", seen)
	}
}
