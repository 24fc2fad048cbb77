package graphsync_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"testing"
	"time"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

// seedServer answers job creation with seed 000 (201) and provisionOnDemand
// with seed 004's third response, over loopback.
func seedServer(b *testing.B) *httptest.Server {
	b.Helper()
	job, err := os.ReadFile("testdata/create_job_response.json")
	if err != nil {
		b.Fatal(err)
	}
	prov, err := os.ReadFile("testdata/provision_response_3.json")
	if err != nil {
		b.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1.0/servicePrincipals/{sp}/synchronization/jobs", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		w.Write(job)
	})
	mux.HandleFunc("POST /v1.0/servicePrincipals/{sp}/synchronization/jobs/{job}/provisionOnDemand", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Write(prov)
	})
	srv := httptest.NewServer(mux)
	b.Cleanup(srv.Close)
	return srv
}

func benchClient(b *testing.B, url string) *graphsync.Client {
	c, err := graphsync.NewClient(&fakeCredential{}, &graphsync.ClientOptions{BaseURL: url, DisableLimiter: true})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func BenchmarkCreateJob(b *testing.B) {
	c := benchClient(b, seedServer(b).URL)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.CreateJob(ctx, spID, models.SynchronizationJob{TemplateID: "BoxOutDelta"}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkProvisionOnDemand(b *testing.B) {
	c := benchClient(b, seedServer(b).URL)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.ProvisionOnDemand(ctx, spID, jobID, seedRequests[2]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawNetHTTPProvision is the floor: the same round trip
// hand-written with net/http and encoding/json, for comparison with
// BenchmarkProvisionOnDemand (both include the loopback server's cost).
func BenchmarkRawNetHTTPProvision(b *testing.B) {
	srv := seedServer(b)
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	rawProvisionLoop(b, hc, srv.URL)
}

// rawProvisionLoop is the floor: provisionOnDemand hand-written with
// net/http and encoding/json, decoding as much as graphsync does.
func rawProvisionLoop(b *testing.B, hc *http.Client, base string) {
	url := base + "/v1.0/servicePrincipals/" + spID + "/synchronization/jobs/" + jobID + "/provisionOnDemand"
	b.ReportAllocs()
	for b.Loop() {
		body, _ := json.Marshal(seedRequests[2])
		req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+testToken)
		req.Header.Set("Content-Type", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var pair struct{ Key, Value string }
		if err := json.Unmarshal(raw, &pair); err != nil {
			b.Fatal(err)
		}
		var key models.ProvisionKey
		var value models.ProvisionValue
		if json.Unmarshal([]byte(pair.Key), &key) != nil || json.Unmarshal([]byte(pair.Value), &value) != nil {
			b.Fatal("decode")
		}
	}
}

func BenchmarkDecodeProvisionResult(b *testing.B) {
	for n, name := range []string{"skipped-saas", "ad-to-entra", "group"} {
		body, err := os.ReadFile("testdata/provision_response_" + string(rune('1'+n)) + ".json")
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if _, err := models.DecodeProvisionResult(body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkClientOverhead is the client's own cost per provisionOnDemand
// call: a transport that answers from memory, no network, no server.
func BenchmarkClientOverhead(b *testing.B) {
	c, err := graphsync.NewClient(&fakeCredential{}, &graphsync.ClientOptions{
		BaseURL:   "http://127.0.0.1:1",
		Limiter:   noopLimiter{},
		Transport: memoryTransport{},
	})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.ProvisionOnDemand(ctx, spID, jobID, seedRequests[2]); err != nil {
			b.Fatal(err)
		}
	}
}

type noopLimiter struct{}

func (noopLimiter) Wait(context.Context) error { return nil }
func (noopLimiter) PauseUntil(time.Time)       {}

// memoryTransport answers every request with seed 004's third response.
type memoryTransport struct{}

var memoryAnswer = []byte(`{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.stringKeyStringValuePair","key":"{\"result\":\"Success\",\"details\":{}}","value":"{}"}`)

func (memoryTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Request: r,
		Body: io.NopCloser(bytes.NewReader(memoryAnswer))}, nil
}

// BenchmarkRawNetHTTPOverhead is the floor's own cost for the same call,
// through the same in-memory transport.
func BenchmarkRawNetHTTPOverhead(b *testing.B) {
	rawProvisionLoop(b, &http.Client{Transport: memoryTransport{}}, "http://127.0.0.1:1")
}

// BenchmarkBulkMemory provisions GRAPHSYNC_BENCH_SUBJECTS subjects
// (default 10,000; the README's figure is for 100,000) against an
// in-process fake answering seed 004's user result (3 KB, decoded into a
// few dozen objects), limiter off, and reports the peak live heap seen
// during the run: streamed (ProvisionEach, results dropped as they come)
// against collected (ProvisionMany, every decoded result kept).
func BenchmarkBulkMemory(b *testing.B) {
	prov, err := os.ReadFile("testdata/provision_response_1.json")
	if err != nil {
		b.Fatal(err)
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(prov)
	})
	n := 10_000
	if v, err := strconv.Atoi(os.Getenv("GRAPHSYNC_BENCH_SUBJECTS")); err == nil && v > 0 {
		n = v
	}
	reqs := userRequests(n)
	for _, mode := range []string{"streamed", "collected"} {
		b.Run(mode, func(b *testing.B) {
			c, err := graphsync.NewClient(&fakeCredential{}, &graphsync.ClientOptions{BaseURL: "http://127.0.0.1:1",
				Transport: graphtest.InProcessTransport(h), DisableLimiter: true})
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				runtime.GC()
				var base, peak uint64
				sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
				measure := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
				base = measure()
				seen := 0
				each := func(r graphsync.BulkResult) {
					if seen++; seen%5000 == 0 {
						runtime.GC()
						peak = max(peak, measure())
					}
				}
				if mode == "streamed" {
					err = c.ProvisionEach(ctx, spID, jobID, reqs, nil, each)
				} else {
					var results []graphsync.BulkResult
					results, err = c.ProvisionMany(ctx, spID, jobID, reqs, &graphsync.BulkOptions{Progress: func(graphsync.Progress) { each(graphsync.BulkResult{}) }})
					runtime.GC()
					peak = max(peak, measure())
					runtime.KeepAlive(results)
				}
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(peak-min(base, peak))/(1<<20), "peak-heap-MB")
			}
			b.ReportMetric(float64(n), "subjects")
		})
	}
}
