package graphsync_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
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

const (
	bulkPath     = "/v1.0/servicePrincipals/" + spID + "/synchronization/jobs/" + jobID + "/bulkUpload"
	docsLocation = "https://graph.microsoft.com/v1.0/auditLogs/provisioning/?$filter=jobid%20eq%20'API2AAD.b16687d38faf42adb29892cdcaf01c6e.1a03de52-b9c3-4e2c-a1e3-9145aaa8e530'"
)

func ptr[T any](v T) *T { return &v }

// docsUser is one of the two users of examples 1 and 2 of Graph's
// bulkUpload page, built field by field.
type docsUser struct {
	id, userName, given, formatted, display, nick, email, street, postal, formattedAddr, phone, title string
	manager                                                                                           models.SCIMManager
	hireDate, jobCode                                                                                 string
}

var docsUsers = []docsUser{
	{"701984", "bjensen@example.com", "Barbara", "Ms. Barbara J Jensen, III", "Babs Jensen", "Babs", "bjensen@example.com",
		"234300 Universal City Plaza", "91608", "100 Universal City Plaza\nHollywood, CA 91608 USA", "555-555-5555", "Tour Guide",
		models.SCIMManager{Value: "89607", DisplayName: "John Smith"}, "2021-05-01T00:00:00-05:00", "AB-1002"},
	{"701985", "Kjensen@example.com", "Kathy", "Ms. Kathy J Jensen, III", "Kathy Jensen", "Kathy", "kjensen@example.com",
		"100 Oracle City Plaza", "91618", "100 Oracle City Plaza\nHollywood, CA 91618 USA", "555-555-5545", "Tour Lead",
		models.SCIMManager{Value: "701984", DisplayName: "Barbara Jensen"}, "2022-07-15T00:00:00-05:00", "AB-1003"},
}

func (d docsUser) scim(custom bool) models.SCIMUser {
	u := models.SCIMUser{
		Schemas:    []string{models.SCIMUserSchema, models.SCIMEnterpriseUserSchema},
		ExternalID: d.id,
		UserName:   d.userName,
		Name: &models.SCIMName{Formatted: d.formatted, FamilyName: "Jensen", GivenName: d.given, MiddleName: "Jane",
			HonorificPrefix: "Ms.", HonorificSuffix: "III"},
		DisplayName: d.display,
		NickName:    d.nick,
		Emails:      []models.SCIMValue{{Value: d.email, Type: "work", Primary: true}},
		Addresses: []models.SCIMAddress{{Type: "work", StreetAddress: d.street, Locality: "Hollywood", Region: "CA",
			PostalCode: d.postal, Country: "USA", Formatted: d.formattedAddr, Primary: true}},
		PhoneNumbers:      []models.SCIMValue{{Value: d.phone, Type: "work"}},
		UserType:          "Employee",
		Title:             d.title,
		PreferredLanguage: "en-US",
		Locale:            "en-US",
		Timezone:          "America/Los_Angeles",
		Active:            ptr(true),
		Enterprise: &models.EnterpriseUser{EmployeeNumber: "701984", CostCenter: "4130", Organization: "Universal Studios",
			Division: "Theme Park", Department: "Tour Operations", Manager: &d.manager},
	}
	if custom {
		u.Schemas = append(u.Schemas, "urn:contoso:employee")
		u.Extensions = map[string]map[string]any{"urn:contoso:employee": {"HireDate": d.hireDate, "JobCode": d.jobCode}}
	}
	return u
}

func bulkOf(users ...models.SCIMUser) models.BulkUpload {
	req := models.BulkUpload{Schemas: []string{models.BulkRequestSchema}}
	for _, u := range users {
		req.Operations = append(req.Operations, models.BulkOperation{Method: "POST", BulkID: u.ExternalID, Path: "/Users", Data: u})
	}
	return req
}

// docsBulkUploads are the requests of examples 1-3 of Graph's bulkUpload
// page, built from the Go types (not decoded from the fixtures).
var docsBulkUploads = []models.BulkUpload{
	bulkOf(docsUsers[0].scim(false), docsUsers[1].scim(false)),
	bulkOf(docsUsers[0].scim(true), docsUsers[1].scim(true)),
	bulkOf(models.SCIMUser{
		Schemas:    []string{models.SCIMUserSchema, models.SCIMEnterpriseUserSchema},
		ExternalID: "7172023",
		Active:     ptr(false),
		Enterprise: &models.EnterpriseUser{Department: "Tour Ops"},
	}),
}

// checkBulkRequest asserts what every bulkUpload request carries and
// returns its body.
func checkBulkRequest(t *testing.T, r *http.Request) []byte {
	t.Helper()
	if r.Method != "POST" || r.URL.EscapedPath() != bulkPath || r.URL.RawQuery != "" {
		t.Errorf("%s %s", r.Method, r.URL)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/scim+json" {
		t.Errorf("Content-Type = %q, want application/scim+json", ct)
	}
	if r.Header.Get("Authorization") != "Bearer "+testToken || r.Header.Get("client-request-id") == "" || r.Header.Get("Content-Encoding") != "" {
		t.Errorf("headers %v", r.Header)
	}
	body, _ := io.ReadAll(r.Body)
	return body
}

func TestBulkUploadDocsExamples(t *testing.T) {
	for i, req := range docsBulkUploads {
		n := i + 1
		t.Run(fmt.Sprint("example", n), func(t *testing.T) {
			c, ts, _ := setup(t, nil)
			var sentID string
			ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				body := checkBulkRequest(t, r)
				assertJSONEqual(t, body, readFile(t, fmt.Sprintf("testdata/bulkupload/request_%d.json", n)))
				sentID = r.Header.Get("client-request-id")
				w.Header().Set("Location", docsLocation)
				w.Header().Set("request-id", "beeb9ea0-f7e4-4fe7-8507-cd834c88f18b")
				w.Header().Set("client-request-id", sentID)
				w.WriteHeader(http.StatusAccepted)
			})
			rec, err := c.BulkUpload(ctx, spID, jobID, req)
			if err != nil {
				t.Fatal(err)
			}
			want := models.BulkUploadReceipt{StatusCode: 202, Location: docsLocation, RequestID: "beeb9ea0-f7e4-4fe7-8507-cd834c88f18b", ClientRequestID: sentID}
			if *rec != want || sentID == "" {
				t.Fatalf("receipt %+v, want %+v", *rec, want)
			}
		})
	}
}

func TestBulkUploadReceipt(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		header map[string]string
		body   string
		want   models.BulkUploadReceipt // ClientRequestID "sent": the one sent
	}{
		{"documented body", 202, nil, string(readFile(t, "testdata/bulkupload/response_3.json")),
			models.BulkUploadReceipt{StatusCode: 202, Location: docsLocation, RequestID: "beec9ea0-f7e4-4fe7-8507-cd834c88f18b", ClientRequestID: "92cd20f6-fcc3-5d61-098e-a6dd35e460ef"}},
		{"headers win over body", 202, map[string]string{"Location": "https://h/x", "request-id": "r1"}, string(readFile(t, "testdata/bulkupload/response_1.json")),
			models.BulkUploadReceipt{StatusCode: 202, Location: "https://h/x", RequestID: "r1", ClientRequestID: "92cd10f6-fcc3-5d61-098e-a6dd35e460ef"}},
		{"only Location missing", 202, map[string]string{"request-id": "r1", "client-request-id": "c1"}, `{"location":"https://h/body","request-id":"rb","client-request-id":"cb"}`,
			models.BulkUploadReceipt{StatusCode: 202, Location: "https://h/body", RequestID: "r1", ClientRequestID: "c1"}},
		{"only request-id missing", 202, map[string]string{"Location": "https://h/x", "client-request-id": "c1"}, `{"location":"https://h/body","request-id":"rb","client-request-id":"cb"}`,
			models.BulkUploadReceipt{StatusCode: 202, Location: "https://h/x", RequestID: "rb", ClientRequestID: "c1"}},
		{"200, nothing", 200, nil, "",
			models.BulkUploadReceipt{StatusCode: 200, ClientRequestID: "sent"}},
		{"204, not JSON", 204, nil, "",
			models.BulkUploadReceipt{StatusCode: 204, ClientRequestID: "sent"}},
		{"201, garbage body", 201, map[string]string{"request-id": "r"}, "<html>",
			models.BulkUploadReceipt{StatusCode: 201, RequestID: "r", ClientRequestID: "sent"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, ts, _ := setup(t, nil)
			var sent string
			ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				sent = r.Header.Get("client-request-id")
				for k, v := range tc.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			})
			rec, err := c.BulkUpload(ctx, spID, jobID, docsBulkUploads[2])
			if err != nil {
				t.Fatal(err)
			}
			if tc.want.ClientRequestID == "sent" {
				tc.want.ClientRequestID = sent
			}
			if *rec != tc.want {
				t.Fatalf("receipt %+v, want %+v", *rec, tc.want)
			}
		})
	}
}

func TestBulkUploadValidationSendsNothing(t *testing.T) {
	c, ts, _ := setup(t, nil)
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { t.Errorf("request sent: %s", r.URL) })
	dup := docsBulkUploads[0]
	dup.Operations = slices.Clone(dup.Operations)
	dup.Operations[1].BulkID = dup.Operations[0].BulkID
	var big models.BulkUpload
	for req := range models.BulkUploadChunks(func(yield func(models.SCIMUser) bool) {
		for i := range 51 {
			if !yield(models.SCIMUser{ExternalID: fmt.Sprint(i)}) {
				return
			}
		}
	}) {
		big.Schemas = req.Schemas
		big.Operations = append(big.Operations, req.Operations...)
	}
	noEnterprise := docsBulkUploads[2]
	noEnterprise.Operations = slices.Clone(noEnterprise.Operations)
	noEnterprise.Operations[0].Data.Schemas = []string{models.SCIMUserSchema}
	for _, tc := range []struct {
		sp, job string
		req     models.BulkUpload
		field   string
	}{
		{"", jobID, docsBulkUploads[0], "servicePrincipalID"},
		{spID, "..", docsBulkUploads[0], "jobID"},
		{spID, jobID, models.BulkUpload{}, "req.schemas"},
		{spID, jobID, dup, "req.Operations[1].bulkId"},
		{spID, jobID, big, "req.Operations"},
		{spID, jobID, noEnterprise, "req.Operations[0].data.schemas"},
	} {
		_, err := c.BulkUpload(ctx, tc.sp, tc.job, tc.req)
		var ve *graphsync.ValidationError
		if !errors.As(err, &ve) || ve.Field != tc.field || !errors.Is(err, graphsync.ErrInvalidInput) {
			t.Errorf("%s: err = %v, want a *ValidationError for %s", tc.field, err, tc.field)
		}
	}
	//lint:ignore SA1012 a nil context is what is tested
	if _, err := c.BulkUpload(nil, spID, jobID, docsBulkUploads[0]); !errors.Is(err, graphsync.ErrInvalidInput) { //nolint:staticcheck
		t.Errorf("nil ctx: %v", err)
	}
	if n := ts.requests(); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}

func TestBulkUploadErrorAnswers(t *testing.T) {
	for _, tc := range []struct {
		status   int
		body     string
		sentinel error
		code     string
	}{
		{400, `{"error":{"code":"BadRequest","message":"Invalid Data Format","innerError":{"request-id":"r-400","date":"2024-01-01T00:00:00"}}}`, nil, "BadRequest"},
		{401, `{"error":{"code":"InvalidAuthenticationToken","message":"Access token has expired or is not yet valid."}}`, graphsync.ErrUnauthorized, "InvalidAuthenticationToken"},
		{403, `{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges"}}`, graphsync.ErrForbidden, "Authorization_RequestDenied"},
		{404, `{"error":{"code":"NotFound","message":"no job"}}`, graphsync.ErrNotFound, "NotFound"},
		{503, `<html>gateway</html>`, nil, ""}, // a POST is not retried on 503
	} {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			c, ts, _ := setup(t, nil)
			ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				checkBulkRequest(t, r)
				w.Header().Set("request-id", "hdr-id")
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			})
			rec, err := c.BulkUpload(ctx, spID, jobID, docsBulkUploads[2])
			var re *graphsync.ResponseError
			if !errors.As(err, &re) || rec != nil {
				t.Fatalf("err = %v (%T), receipt %v", err, err, rec)
			}
			if re.StatusCode != tc.status || re.Code != tc.code || re.Method != "POST" || re.Path != bulkPath || string(re.Body) != tc.body {
				t.Fatalf("%+v", re)
			}
			if tc.sentinel != nil && !errors.Is(err, tc.sentinel) {
				t.Fatalf("%v does not match %v", err, tc.sentinel)
			}
			if tc.status == 400 && (re.RequestID != "r-400" || re.Message != "Invalid Data Format") {
				t.Fatalf("%+v", re)
			}
			if n := ts.requests(); n != 1 {
				t.Fatalf("%d requests, want 1 (no retry)", n)
			}
		})
	}
}

// uploadServer answers bulkUpload 202 and provisionOnDemand 200, recording
// arrival times; the bulkUpload arrivals in throttle get 429 with
// Retry-After: 2.
type uploadServer struct {
	mu        sync.Mutex
	bulk      []time.Time
	provision []time.Time
	throttle  map[int]bool
}

func (s *uploadServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	if strings.HasSuffix(r.URL.Path, "/provisionOnDemand") {
		s.provision = append(s.provision, time.Now())
		io.WriteString(w, `{"key":"{\"result\":\"Success\",\"details\":{}}","value":"{}"}`)
		return
	}
	s.bulk = append(s.bulk, time.Now())
	if s.throttle[len(s.bulk)] {
		w.Header().Set("Retry-After", "2")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"error":{"code":"TooManyRequests","message":"slow down"}}`)
		return
	}
	w.Header().Set("Location", docsLocation)
	w.WriteHeader(http.StatusAccepted)
}

// uploadConcurrently starts n BulkUploads at once and waits for them.
func uploadConcurrently(t *testing.T, c *graphsync.Client, n int) {
	t.Helper()
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			if _, err := c.BulkUpload(ctx, spID, jobID, docsBulkUploads[2]); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}

func TestBulkUploadDefaultLimiter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := &uploadServer{}
		c := inProcessClient(t, srv, nil)
		t0 := time.Now()
		var wg sync.WaitGroup
		wg.Go(func() { uploadConcurrently(t, c, 130) })
		synctest.Wait() // the first 40 are sent, 90 wait
		// provisionOnDemand has a limiter of its own: not behind them.
		if _, err := c.ProvisionOnDemand(ctx, spID, jobID, seedRequests[0]); err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		if len(srv.bulk) != 130 || len(srv.provision) != 1 || srv.provision[0] != t0 {
			t.Fatalf("%d bulk, provision at %v", len(srv.bulk), srv.provision)
		}
		if got := graphtest.MaxInWindow(srv.bulk, time.Second); got > 40 {
			t.Fatalf("%d bulkUpload requests in one second", got)
		}
		if got := graphtest.MaxInWindow(srv.bulk, 0); got != 40 {
			t.Fatalf("%d requests at once, want a burst of 40", got)
		}
		// 130 = 40 + 40 + 40 + 10: the last starts after three periods.
		if took := time.Since(t0); took < 3*time.Second || took > 4*time.Second {
			t.Fatalf("took %v", took)
		}
	})
}

func TestBulkUpload429PausesOnlyItsLimiter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := &uploadServer{throttle: map[int]bool{1: true}}
		prov, bulk := ratelimit.New(5, 10*time.Second), ratelimit.New(40, time.Second)
		c := inProcessClient(t, srv, &graphsync.ClientOptions{Limiter: prov, BulkUploadLimiter: bulk})
		t0 := time.Now()
		var wg sync.WaitGroup
		wg.Go(func() { uploadConcurrently(t, c, 1) })
		synctest.Wait() // the 429 is in, the limiter paused for 2 s
		if _, err := c.ProvisionOnDemand(ctx, spID, jobID, seedRequests[0]); err != nil {
			t.Fatal(err)
		}
		uploadConcurrently(t, c, 3)
		wg.Wait()
		if len(srv.bulk) != 5 || len(srv.provision) != 1 || srv.provision[0] != t0 {
			t.Fatalf("arrivals: bulk %v provision %v", srv.bulk, srv.provision)
		}
		for i, at := range srv.bulk[1:] {
			if at.Sub(t0) < 2*time.Second {
				t.Errorf("bulk arrival %d at %v, inside the pause", i+2, at.Sub(t0))
			}
		}
		if bulk.Stats().Pauses != 1 || prov.Stats().Pauses != 0 || bulk.Stats().Calls != 5 || prov.Stats().Calls != 1 {
			t.Fatalf("bulk limiter %+v, provision limiter %+v", bulk.Stats(), prov.Stats())
		}
	})
}

func TestDisableLimiterTurnsOffBulkUploadPacing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := &uploadServer{}
		unused := ratelimit.New(1, time.Hour)
		c := inProcessClient(t, srv, &graphsync.ClientOptions{DisableLimiter: true, BulkUploadLimiter: unused})
		uploadConcurrently(t, c, 100)
		if got := graphtest.MaxInWindow(srv.bulk, 0); got != 100 {
			t.Fatalf("%d of 100 at once", got)
		}
		if unused.Stats().Calls != 0 {
			t.Fatal("BulkUploadLimiter used despite DisableLimiter")
		}
	})
}
