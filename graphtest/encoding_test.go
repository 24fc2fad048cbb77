package graphtest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"runtime"
	"testing"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

// A Client whose every request body is gzip-compressed, as the official
// SDK sends them, works end to end, and Requests records the decoded JSON.
func TestGzipBodiesWithClient(t *testing.T) {
	srv, _ := newServer(t, nil)
	srv.AddUser("u1", "u1@contoso.com")
	c, err := graphsync.NewClient(srv.Credential(), &graphsync.ClientOptions{
		BaseURL: srv.URL, Transport: gzipTransport{http.DefaultTransport}})
	if err != nil {
		t.Fatal(err)
	}
	job, err := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.UpdateJob(ctx, "sp", job.ID, models.SynchronizationJob{Schedule: &models.SynchronizationSchedule{Interval: "PT40M"}}); err != nil {
		t.Fatal(err)
	}
	if err := c.RestartJob(ctx, "sp", job.ID, models.ResetWatermark|models.ResetEscrows); err != nil {
		t.Fatal(err)
	}
	if err := c.SaveSecrets(ctx, "sp", []models.SecretKeyValue{{Key: "BaseAddress", Value: models.NewSecret("https://x")}}); err != nil {
		t.Fatal(err)
	}
	res, err := c.ProvisionOnDemand(ctx, "sp", job.ID, models.NewProvisionRequest(graphtest.DefaultRuleID, models.User("u1")))
	if err != nil || !res.Succeeded() {
		t.Fatalf("provision: %+v, %v", res, err)
	}
	if j, _ := srv.Job("sp", job.ID); j.Schedule.Interval != "PT40M" {
		t.Fatalf("interval = %s", j.Schedule.Interval)
	}
	compressed := 0
	for _, r := range srv.Requests() {
		if len(r.Body) == 0 {
			continue
		}
		if r.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("%s %s was not sent compressed", r.Method, r.Path)
		}
		if !json.Valid(r.Body) {
			t.Fatalf("%s %s recorded a body that is not JSON: %q", r.Method, r.Path, r.Body)
		}
		compressed++
	}
	if compressed != 5 {
		t.Fatalf("%d compressed bodies recorded, want 5", compressed)
	}
}

func TestGzipBodiesRaw(t *testing.T) {
	srv, _ := newServer(t, nil)
	body := []byte(`{"templateId":"scim"}`)
	resp, got := rawRequest(t, srv, "POST", spPath+"/jobs", gzipped(t, body), "Content-Encoding", "gzip")
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("gzip create: %d %s", resp.StatusCode, got)
	}
	reqs := srv.Requests()
	if last := reqs[len(reqs)-1]; string(last.Body) != string(body) {
		t.Fatalf("recorded body %q, want the decoded %q", last.Body, body)
	}
	// identity and upper case are fine too.
	for _, enc := range []string{"identity", "GZIP"} {
		b := body
		if enc == "GZIP" {
			b = gzipped(t, body)
		}
		if resp, got := rawRequest(t, srv, "POST", spPath+"/jobs", b, "Content-Encoding", enc); resp.StatusCode != http.StatusCreated {
			t.Fatalf("%s: %d %s", enc, resp.StatusCode, got)
		}
	}
}

func TestUnknownEncodingIs415(t *testing.T) {
	srv, c := newServer(t, nil)
	resp, body := rawRequest(t, srv, "POST", spPath+"/jobs", []byte("not brotli"), "Content-Encoding", "br")
	wantError(t, resp, body, http.StatusUnsupportedMediaType, "UnsupportedMediaType")
	reqs := srv.Requests()
	if last := reqs[len(reqs)-1]; last.Body != nil || last.Status != 415 {
		t.Fatalf("recorded %q with status %d", last.Body, last.Status)
	}
	// Data that is not gzip: 400.
	resp, body = rawRequest(t, srv, "POST", spPath+"/jobs", []byte(`{"templateId":"scim"}`), "Content-Encoding", "gzip")
	wantError(t, resp, body, http.StatusBadRequest, "BadRequest")
	// Truncated gzip: 400.
	z := gzipped(t, []byte(`{"templateId":"scim"}`))
	resp, body = rawRequest(t, srv, "POST", spPath+"/jobs", z[:len(z)-6], "Content-Encoding", "gzip")
	wantError(t, resp, body, http.StatusBadRequest, "BadRequest")

	// Our client sees a *ResponseError with Graph's code.
	cc, _ := graphsync.NewClient(srv.Credential(), &graphsync.ClientOptions{BaseURL: srv.URL,
		Transport: encodingTransport{"deflate", http.DefaultTransport}})
	_, err := cc.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	var re *graphsync.ResponseError
	if !errors.As(err, &re) || re.StatusCode != 415 || re.Code != "UnsupportedMediaType" || re.RequestID == "" {
		t.Fatalf("client: %v", err)
	}
	if jobs, _ := c.ListJobs(ctx, "sp"); len(jobs) != 0 {
		t.Fatalf("refused bodies created %d jobs", len(jobs))
	}
}

// encodingTransport labels bodies with an encoding it does not apply.
type encodingTransport struct {
	enc  string
	base http.RoundTripper
}

func (e encodingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("Content-Encoding", e.enc)
	return e.base.RoundTrip(req)
}

// A gzip bomb is refused with 413 after at most 4 MiB has been inflated:
// it does not eat memory.
func TestGzipBombIsBounded(t *testing.T) {
	srv, _ := newServer(t, nil)
	// 256 gzip members of 1 MiB of zeros each: 256 MiB in about 256 KiB
	// (a gzip reader reads concatenated members as one stream).
	member := gzipped(t, make([]byte, 1<<20))
	bomb := bytes.Repeat(member, 256)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	resp, body := rawRequest(t, srv, "PATCH", spPath+"/jobs/x", bomb, "Content-Encoding", "gzip")
	runtime.ReadMemStats(&after)
	wantError(t, resp, body, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge")
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
		t.Fatalf("the server allocated %d MiB for a 256 MiB bomb", grew>>20)
	}
	// Up to the bound, a body is read whole and routed (here to a job that
	// does not exist); past it, compressed or not, it is refused.
	full := bytes.Repeat([]byte(" "), 4<<20)
	resp, body = rawRequest(t, srv, "PATCH", spPath+"/jobs/x", gzipped(t, full), "Content-Encoding", "gzip")
	wantError(t, resp, body, http.StatusNotFound, "Request_ResourceNotFound")
	resp, body = rawRequest(t, srv, "PATCH", spPath+"/jobs/x", full)
	wantError(t, resp, body, http.StatusNotFound, "Request_ResourceNotFound")
	resp, body = rawRequest(t, srv, "PATCH", spPath+"/jobs/x", gzipped(t, append(full, ' ')), "Content-Encoding", "gzip")
	wantError(t, resp, body, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge")
	resp, body = rawRequest(t, srv, "PATCH", spPath+"/jobs/x", append(full, ' '))
	wantError(t, resp, body, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge")
}
