package graphtest_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

// The tests drive the fake two ways: with graphsync.Client, and with plain
// net/http requests such as any other client (the official SDK, curl)
// sends.

const spPath = "/v1.0/servicePrincipals/sp/synchronization"

// rawRequest sends a request with the fake's token and returns the answer
// and its body.
func rawRequest(t *testing.T, srv *graphtest.Server, method, path string, body []byte, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+graphtest.Token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// graphError is Graph's error body.
type graphError struct {
	Error struct {
		Code       string `json:"code"`
		Message    string `json:"message"`
		InnerError struct {
			Date            string `json:"date"`
			RequestID       string `json:"request-id"`
			ClientRequestID string `json:"client-request-id"`
		} `json:"innerError"`
	} `json:"error"`
}

// wantError asserts an answer is a Graph error with status and code.
func wantError(t *testing.T, resp *http.Response, body []byte, status int, code string) graphError {
	t.Helper()
	var e graphError
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("%d answer is not a Graph error body: %v\n%s", resp.StatusCode, err, body)
	}
	if resp.StatusCode != status || e.Error.Code != code || e.Error.Message == "" ||
		e.Error.InnerError.RequestID != resp.Header.Get("request-id") || e.Error.InnerError.Date == "" {
		t.Fatalf("got %d %s, want %d %s:\n%s", resp.StatusCode, e.Error.Code, status, code, body)
	}
	return e
}

func gzipped(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// createRaw creates a job with a plain request and returns its ID.
func createRaw(t *testing.T, srv *graphtest.Server) string {
	t.Helper()
	resp, body := rawRequest(t, srv, "POST", spPath+"/jobs", []byte(`{"templateId":"scim"}`))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	var j struct{ ID string }
	if err := json.Unmarshal(body, &j); err != nil || j.ID == "" {
		t.Fatalf("create: %v %s", err, body)
	}
	return j.ID
}

// gzipTransport compresses every request body, as the official SDK's
// default middleware does.
type gzipTransport struct{ base http.RoundTripper }

func (g gzipTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return g.base.RoundTrip(req)
	}
	b, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	req = req.Clone(req.Context())
	req.Body = io.NopCloser(&buf)
	req.ContentLength = int64(buf.Len())
	req.Header.Set("Content-Encoding", "gzip")
	return g.base.RoundTrip(req)
}

// The route check and the paging parameters refuse bad input (#17 item 11).
func TestRoutesAndPagingRefuseBadInput(t *testing.T) {
	srv, c := newServer(t, &graphtest.Options{PageSize: 1})
	for i := 0; i < 2; i++ {
		if _, err := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		method, path string
		status       int
	}{
		{"GET", "/v2.0/servicePrincipals/sp/synchronization/jobs", 400},
		{"GET", "/v1.0/applications/sp/synchronization/jobs", 400},
		{"GET", "/v1.0/servicePrincipals/sp/provisioning/jobs", 400},
		{"GET", "/v1.0/servicePrincipals/nope/synchronization/jobs", 404},
		{"GET", "/v1.0/servicePrincipals/sp/synchronization/jobs?$skiptoken=-1", 400},
		{"GET", "/v1.0/servicePrincipals/sp/synchronization/jobs?$skiptoken=x", 400},
		{"GET", "/v1.0/servicePrincipals/sp/synchronization/jobs?$skiptoken=99", 400},
		{"GET", "/v1.0/servicePrincipals/sp/synchronization/templates?$skiptoken=5", 400},
		{"GET", "/v1.0/servicePrincipals/sp/synchronization/jobs?$skiptoken=1", 200},
		{"GET", "/v1.0/servicePrincipals/sp/synchronization/wat", 400},
	} {
		resp, body := rawRequest(t, srv, tc.method, tc.path, nil)
		if resp.StatusCode != tc.status {
			t.Errorf("%s %s: %d %s, want %d", tc.method, tc.path, resp.StatusCode, body, tc.status)
		}
		if tc.status >= 400 && !strings.Contains(string(body), `"error"`) {
			t.Errorf("%s %s: not a Graph error body: %s", tc.method, tc.path, body)
		}
	}
}
