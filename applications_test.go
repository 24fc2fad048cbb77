package graphsync_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
)

// Every documented instantiate example, v1.0, beta and the cross-tenant
// synchronization tutorial's: the request goes out as documented, and the
// answer, decoded and encoded again, is the documented one (nothing lost:
// not beta's older names, not a false, not a null).
func TestInstantiateDocumentedExamples(t *testing.T) {
	for _, tc := range []struct {
		version, name, template, fixture string
		spID, appID                      string
	}{
		{"v1.0", "Azure AD SAML Toolkit", "229946b9-a9fb-45b8-9531-efa47453ac9e", "instantiate",
			"912729dd-97ae-4ceb-ade4-07bed3046486", "20845737-a145-446f-aa3c-77d432903957"},
		{"beta", "testProperties", graphsync.NonGalleryTemplateID, "instantiate_beta",
			"7b358fa1-7d10-4a57-bd96-b7e63c2f9be5", "428fbcb1-35bc-471d-95f2-6cc339357cb5"},
		{"v1.0", "Fabrikam", "518e5f48-1fc8-4c48-9387-9fdf28b0dfe7", "instantiate_crosstenant", "{servicePrincipalId}", "{id}"},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			reqDoc := readFile(t, "testdata/graphdocs/"+strings.Replace(tc.fixture, "instantiate", "instantiate_request", 1)+".json")
			respDoc := readFile(t, "testdata/graphdocs/"+strings.Replace(tc.fixture, "instantiate", "instantiate_response", 1)+".json")
			c, ts, _ := setup(t, &graphsync.ClientOptions{APIVersion: tc.version})
			ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				body := assertRequest(t, r, "POST", "/"+tc.version+"/applicationTemplates/"+tc.template+"/instantiate")
				assertJSONEqual(t, body, reqDoc)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusCreated)
				w.Write(respDoc)
			})
			got, err := c.InstantiateApplicationTemplate(ctx, tc.template, tc.name)
			if err != nil {
				t.Fatal(err)
			}
			sp, app := got.ServicePrincipal, got.Application
			if sp.ObjectID() != tc.spID || app.ObjectID() != tc.appID || sp.DisplayName != tc.name ||
				!sp.AccountEnabled || !sp.AppRoleAssignmentRequired || app.ApplicationTemplateID != tc.template {
				t.Fatalf("decoded %+v\n%+v", sp, app)
			}
			out, err := json.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			assertJSONEqual(t, out, respDoc)
		})
	}
}

func TestInstantiateRefusesBadInput(t *testing.T) {
	c, ts, _ := setup(t, nil)
	var nilCtx context.Context
	refusedBeforeSending(t, ts, []validationCase{
		{"empty template", "applicationTemplateID", func() error { _, err := c.InstantiateApplicationTemplate(ctx, "", "n"); return err }},
		{"dotdot template", "applicationTemplateID", func() error { _, err := c.InstantiateApplicationTemplate(ctx, "..", "n"); return err }},
		{"no name", "displayName", func() error { _, err := c.InstantiateApplicationTemplate(ctx, "t", ""); return err }},
		{"blank name", "displayName", func() error { _, err := c.InstantiateApplicationTemplate(ctx, "t", " \t"); return err }},
		{"nil ctx", "ctx", func() error { _, err := c.InstantiateApplicationTemplate(nilCtx, "t", "n"); return err }},
		{"wait: empty sp", "servicePrincipalID", func() error { return c.WaitForServicePrincipal(ctx, "", nil) }},
		{"wait: nil ctx", "ctx", func() error { return c.WaitForServicePrincipal(nilCtx, "sp", nil) }},
	})
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
		w.Write([]byte(`{"application":{},"servicePrincipal":{}}`))
	})
	if p := pathOf(t, ts, func() error { _, err := c.InstantiateApplicationTemplate(ctx, "../x?y", "n"); return err }); p != "/v1.0/applicationTemplates/..%2Fx%3Fy/instantiate" {
		t.Fatalf("path %s", p)
	}
	if p := pathOf(t, ts, func() error { return c.WaitForServicePrincipal(ctx, "../x", nil) }); p != "/v1.0/servicePrincipals/..%2Fx" {
		t.Fatalf("path %s", p)
	}
}

func TestInstantiateErrorCarriesGraphsAnswer(t *testing.T) {
	c, ts, _ := setup(t, nil)
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("request-id", "rid-7")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"error":{"code":"Request_ResourceNotFound","message":"Resource 'nope' does not exist."}}`))
	})
	_, err := c.InstantiateApplicationTemplate(ctx, "nope", "n")
	var re *graphsync.ResponseError
	if !errors.As(err, &re) || !errors.Is(err, graphsync.ErrNotFound) || re.Code != "Request_ResourceNotFound" ||
		re.Message != "Resource 'nope' does not exist." || re.RequestID != "rid-7" {
		t.Fatalf("err = %v", err)
	}
	if ts.requests() != 1 {
		t.Fatalf("%d requests: a POST is not sent again", ts.requests())
	}
}

// arrivals answers each request with the next status of a script (the
// last one repeats), with Retry-After when given, and records when each
// arrived.
type arrivals struct {
	mu         sync.Mutex
	statuses   []int
	retryAfter []string
	times      []time.Duration
	start      time.Time
}

func (a *arrivals) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	n := len(a.times)
	a.times = append(a.times, time.Since(a.start))
	a.mu.Unlock()
	status := a.statuses[min(n, len(a.statuses)-1)]
	if n < len(a.retryAfter) && a.retryAfter[n] != "" {
		w.Header().Set("Retry-After", a.retryAfter[n])
	}
	w.WriteHeader(status)
	if status == http.StatusOK {
		w.Write([]byte(`{"id":"sp"}`))
	}
}

// WaitForServicePrincipal reads again after each 404, paced (2 s,
// doubling), and stops at the first 200.
func TestWaitForServicePrincipalUntilItAnswers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := graphtest.NewServer(&graphtest.Options{InProcess: true, ReplicationDelay: 13 * time.Second})
		c, err := srv.NewClient()
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		created, err := c.InstantiateApplicationTemplate(ctx, graphsync.NonGalleryTemplateID, "My SCIM app")
		if err != nil {
			t.Fatal(err)
		}
		spID := created.ServicePrincipal.ObjectID()
		if _, err := c.ListTemplates(ctx, spID); !errors.Is(err, graphsync.ErrNotFound) {
			t.Fatalf("before replication: %v", err)
		}
		if err := c.WaitForServicePrincipal(ctx, spID, nil); err != nil {
			t.Fatal(err)
		}
		var at []time.Duration
		for _, r := range srv.Requests()[2:] {
			at = append(at, r.Time.Sub(start))
			if r.Method != "GET" || r.Path != "/v1.0/servicePrincipals/"+spID || r.Query != "$select=id" {
				t.Errorf("read %s %s?%s", r.Method, r.Path, r.Query)
			}
		}
		want := []time.Duration{0, 2 * time.Second, 6 * time.Second, 14 * time.Second}
		if !equalDurations(at, want) {
			t.Fatalf("reads at %v, want %v", at, want)
		}
		tpls, err := c.ListTemplates(ctx, spID)
		if err != nil || len(tpls) != 1 || tpls[0].ID != "scim" {
			t.Fatalf("templates %+v, %v", tpls, err)
		}
	})
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestWaitForServicePrincipalPacing(t *testing.T) {
	for _, tc := range []struct {
		name       string
		statuses   []int
		retryAfter []string
		opts       *graphsync.WaitOptions
		retry      *graphsync.RetryPolicy
		timeout    time.Duration
		want       []time.Duration // when each read arrived
		check      func(error) bool
	}{
		{name: "Retry-After of a 404 is longer than the pause", statuses: []int{404, 404, 200}, retryAfter: []string{"10", "10"},
			want: []time.Duration{0, 10 * time.Second, 20 * time.Second}, check: func(err error) bool { return err == nil }},
		{name: "pauses double up to MaxInterval", statuses: []int{404, 404, 404, 404, 200},
			opts: &graphsync.WaitOptions{Interval: time.Second, MaxInterval: 3 * time.Second},
			want: []time.Duration{0, 1 * time.Second, 3 * time.Second, 6 * time.Second, 9 * time.Second}, check: func(err error) bool { return err == nil }},
		{name: "MaxWait: one last read at the bound, then the 404", statuses: []int{404},
			opts: &graphsync.WaitOptions{MaxWait: 10 * time.Second},
			want: []time.Duration{0, 2 * time.Second, 6 * time.Second, 10 * time.Second},
			check: func(err error) bool {
				var re *graphsync.ResponseError
				return errors.Is(err, graphsync.ErrNotFound) && errors.As(err, &re) && strings.Contains(err.Error(), "not found within 10s")
			}},
		{name: "the context ends first", statuses: []int{404}, timeout: 5 * time.Second,
			want: []time.Duration{0, 2 * time.Second},
			check: func(err error) bool {
				return errors.Is(err, context.DeadlineExceeded) && errors.Is(err, graphsync.ErrNotFound)
			}},
		{name: "403 ends the wait at once", statuses: []int{404, 403}, want: []time.Duration{0, 2 * time.Second},
			check: func(err error) bool {
				return errors.Is(err, graphsync.ErrForbidden) && !strings.Contains(err.Error(), "within")
			}},
		{name: "a 429 the retry policy gave up on is waited out", statuses: []int{429, 200}, retryAfter: []string{"9"},
			retry: &graphsync.RetryPolicy{MaxAttempts: 1},
			want:  []time.Duration{0, 9 * time.Second}, check: func(err error) bool { return err == nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				a := &arrivals{statuses: tc.statuses, retryAfter: tc.retryAfter, start: time.Now()}
				c := inProcessClient(t, a, &graphsync.ClientOptions{Retry: tc.retry})
				wctx := context.Background()
				if tc.timeout > 0 {
					var cancel context.CancelFunc
					wctx, cancel = context.WithTimeout(wctx, tc.timeout)
					defer cancel()
				}
				err := c.WaitForServicePrincipal(wctx, "sp", tc.opts)
				if !tc.check(err) {
					t.Errorf("err = %v", err)
				}
				if !equalDurations(a.times, tc.want) {
					t.Errorf("reads at %v, want %v", a.times, tc.want)
				}
			})
		})
	}
}

// The fake's instantiate: a known template gives an application and a
// service principal with the template's synchronization templates;
// an unknown one 404; a body without displayName 400.
func TestInstantiateAgainstGraphtest(t *testing.T) {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddApplicationTemplate(graphtest.ApplicationTemplate{ID: "0ca1e6f7-0000-4000-8000-00000000d8b1", DisplayName: "Databricks",
		SynchronizationTemplates: []string{"dataBricks"}})
	c, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	for template, want := range map[string]string{"518E5F48-1FC8-4C48-9387-9FDF28B0DFE7": "Azure2Azure", "0ca1e6f7-0000-4000-8000-00000000d8b1": "dataBricks"} {
		got, err := c.InstantiateApplicationTemplate(ctx, template, "Fabrikam")
		if err != nil {
			t.Fatal(err)
		}
		sp := got.ServicePrincipal
		if sp.DisplayName != "Fabrikam" || !strings.EqualFold(sp.ApplicationTemplateID, template) || sp.AppID != got.Application.AppID || sp.ID == "" {
			t.Fatalf("created %+v %+v", sp, got.Application)
		}
		must(t, c.WaitForServicePrincipal(ctx, sp.ID, nil))
		tpls, err := c.ListTemplates(ctx, sp.ID)
		if err != nil || len(tpls) != 1 || tpls[0].ID != want {
			t.Fatalf("templates %+v, %v", tpls, err)
		}
	}
	saml, err := c.InstantiateApplicationTemplate(ctx, "229946b9-a9fb-45b8-9531-efa47453ac9e", "SAML")
	if err != nil {
		t.Fatal(err)
	}
	if tpls, err := c.ListTemplates(ctx, saml.ServicePrincipal.ID); err != nil || len(tpls) != 0 {
		t.Fatalf("an application without provisioning has templates %+v, %v", tpls, err)
	}
	if _, err := c.InstantiateApplicationTemplate(ctx, "00000000-0000-0000-0000-000000000000", "x"); !errors.Is(err, graphsync.ErrNotFound) {
		t.Fatalf("unknown template: %v", err)
	}
}
