package graphsync_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"go.uber.org/goleak"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
)

const testToken = "test-token-123"

// fakeCredential issues testToken and records the scopes asked for.
type fakeCredential struct {
	mu     sync.Mutex
	scopes [][]string
	claims []string
}

func (f *fakeCredential) GetToken(_ context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.scopes = append(f.scopes, o.Scopes)
	f.claims = append(f.claims, o.Claims)
	return azcore.AccessToken{Token: testToken, ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// testServer is an httptest server with a mux that counts requests.
type testServer struct {
	*httptest.Server
	mux   *http.ServeMux
	mu    sync.Mutex
	count int
	paths []string // escaped paths as received
}

func (s *testServer) requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

// setup returns a Client pointed at a fresh httptest server and its mux;
// each test registers the handlers it needs.
func setup(t *testing.T, opts *graphsync.ClientOptions) (*graphsync.Client, *testServer, *fakeCredential) {
	t.Helper()
	ts := &testServer{mux: http.NewServeMux()}
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ts.mu.Lock()
		ts.count++
		ts.paths = append(ts.paths, r.URL.EscapedPath())
		ts.mu.Unlock()
		ts.mux.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	var o graphsync.ClientOptions
	if opts != nil {
		o = *opts
	}
	o.BaseURL = ts.URL
	cred := &fakeCredential{}
	c, err := graphsync.NewClient(cred, &o)
	if err != nil {
		t.Fatal(err)
	}
	return c, ts, cred
}

// inProcessClient returns a Client whose requests go to h in-process.
func inProcessClient(t *testing.T, h http.Handler, opts *graphsync.ClientOptions) *graphsync.Client {
	t.Helper()
	var o graphsync.ClientOptions
	if opts != nil {
		o = *opts
	}
	o.BaseURL = "http://127.0.0.1:1"
	o.Transport = graphtest.InProcessTransport(h)
	c, err := graphsync.NewClient(&fakeCredential{}, &o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// assertJSONEqual compares two JSON documents by value.
func assertJSONEqual(t *testing.T, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("got is not JSON: %v: %s", err, got)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("want is not JSON: %v: %s", err, want)
	}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("JSON differs\n got: %s\nwant: %s", got, want)
	}
}

// assertRequest checks what every request must carry.
func assertRequest(t *testing.T, r *http.Request, method, path string) []byte {
	t.Helper()
	if r.Method != method {
		t.Errorf("method = %s, want %s", r.Method, method)
	}
	if got := r.URL.EscapedPath(); got != path {
		t.Errorf("path = %s, want %s", got, path)
	}
	if got := r.Header.Get("Authorization"); got != "Bearer "+testToken {
		t.Errorf("Authorization = %q", got)
	}
	if ua := r.Header.Get("User-Agent"); !strings.Contains(ua, "graphsync-go/"+graphsync.Version) {
		t.Errorf("User-Agent = %q", ua)
	}
	if r.Header.Get("client-request-id") == "" {
		t.Error("no client-request-id")
	}
	if r.Header.Get("Content-Encoding") != "" {
		t.Errorf("request body is encoded (%s); Graph bodies are sent plain", r.Header.Get("Content-Encoding"))
	}
	body, _ := io.ReadAll(r.Body)
	if len(body) > 0 && r.Header.Get("Content-Type") != "application/json" {
		t.Errorf("Content-Type = %q", r.Header.Get("Content-Type"))
	}
	return body
}

var readFileF = os.ReadFile

// TestMain fails the run if any test leaves a goroutine behind (a retry
// timer, a bulk worker, a connection reader).
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// realTime marks a test that runs on the wall clock for seconds (real TCP
// chaos, real dial delays). scripts/mutation sets GRAPHSYNC_MUTATION so
// that each mutant's run stays short; every other run includes the test.
func realTime(t *testing.T) {
	t.Helper()
	if os.Getenv("GRAPHSYNC_MUTATION") != "" {
		t.Skip("real-time test: left out of mutation runs (scripts/mutation)")
	}
}
