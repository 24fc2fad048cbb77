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
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

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
				each := func(r graphsync.RequestOutcome) {
					if seen++; seen%5000 == 0 {
						runtime.GC()
						peak = max(peak, measure())
					}
				}
				if mode == "streamed" {
					err = c.ProvisionEach(ctx, spID, jobID, reqs, nil, each)
				} else {
					var results []graphsync.RequestOutcome
					results, err = c.ProvisionMany(ctx, spID, jobID, reqs, &graphsync.ProvisionOptions{Progress: func(graphsync.Progress) { each(graphsync.RequestOutcome{}) }})
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

// benchUsers returns n users shaped like example 1 of Graph's bulkUpload
// page (core, enterprise and a custom extension; about 1 KB of JSON
// each), with distinct IDs.
func benchUsers(n int) []models.SCIMUser {
	users := make([]models.SCIMUser, n)
	for i := range users {
		u := docsUsers[i%2].scim(true)
		u.ExternalID = strconv.Itoa(100000 + i)
		u.UserName = "user" + u.ExternalID + "@example.com"
		users[i] = u
	}
	return users
}

// acceptServer answers every request 202 with a Location, over loopback.
func acceptServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Location", docsLocation)
		w.WriteHeader(http.StatusAccepted)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// cpuTime is the process's user+system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportRecords reports records per second and CPU per record (client
// and, when there is one, the loopback server in the same process).
func reportRecords(b *testing.B, records int, start time.Time, cpu0 time.Duration) {
	elapsed := time.Since(start)
	b.ReportMetric(float64(records)/elapsed.Seconds(), "records/s")
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Microsecond)/float64(records), "CPU-µs/record")
}

// BenchmarkBulkUpload sends requests of 50 users (validation, JSON
// encoding, the request loop, a loopback HTTP round trip to a server
// answering 202) with the limiter off: what the client costs at Graph's
// 40 requests per second (2,000 records/s). "sequential" is one caller;
// "parallel" one caller per GOMAXPROCS.
func BenchmarkBulkUpload(b *testing.B) {
	reqs := slices.Collect(models.BulkUploadChunks(slices.Values(benchUsers(500))))
	for _, mode := range []string{"sequential", "parallel"} {
		b.Run(mode, func(b *testing.B) {
			c := benchClient(b, acceptServer(b).URL)
			b.ReportAllocs()
			start, cpu0 := time.Now(), cpuTime()
			if mode == "sequential" {
				i := 0
				for b.Loop() {
					if _, err := c.BulkUpload(ctx, spID, jobID, reqs[i%len(reqs)]); err != nil {
						b.Fatal(err)
					}
					i++
				}
			} else {
				b.RunParallel(func(pb *testing.PB) {
					i := 0
					for pb.Next() {
						if _, err := c.BulkUpload(ctx, spID, jobID, reqs[i%len(reqs)]); err != nil {
							b.Error(err)
							return
						}
						i++
					}
				})
			}
			reportRecords(b, b.N*models.MaxBulkOperations, start, cpu0)
		})
	}
}

// BenchmarkBulkUploadOverhead is the client's own cost per request of 50
// users: a transport that answers 202 from memory, no network, no server.
func BenchmarkBulkUploadOverhead(b *testing.B) {
	reqs := slices.Collect(models.BulkUploadChunks(slices.Values(benchUsers(500))))
	c, err := graphsync.NewClient(&fakeCredential{}, &graphsync.ClientOptions{
		BaseURL: "http://127.0.0.1:1", DisableLimiter: true, Transport: acceptTransport{},
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	start, cpu0 := time.Now(), cpuTime()
	i := 0
	for b.Loop() {
		if _, err := c.BulkUpload(ctx, spID, jobID, reqs[i%len(reqs)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	reportRecords(b, b.N*models.MaxBulkOperations, start, cpu0)
}

// acceptTransport answers every request 202 from memory.
type acceptTransport struct{}

func (acceptTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	return &http.Response{StatusCode: http.StatusAccepted, Header: http.Header{"Location": {docsLocation}},
		Request: r, Body: http.NoBody}, nil
}

// BenchmarkBulkUploadStreamMemory streams n users, generated on the fly,
// through BulkUploadChunks and BulkUpload (limiter off, answers from
// memory) and reports the peak live heap seen: it stays flat as n grows
// by orders of magnitude, because only one request's users are held at a
// time. GRAPHSYNC_BENCH_USERS adds a size (e.g. 1000000).
func BenchmarkBulkUploadStreamMemory(b *testing.B) {
	sizes := []int{1_000, 10_000, 100_000}
	if v, err := strconv.Atoi(os.Getenv("GRAPHSYNC_BENCH_USERS")); err == nil && v > 0 {
		sizes = append(sizes, v)
	}
	template := benchUsers(2)
	for _, n := range sizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			// Not fakeCredential: it records every token request, which
			// grows with the number of requests.
			c, err := graphsync.NewClient(staticCredential{}, &graphsync.ClientOptions{
				BaseURL: "http://127.0.0.1:1", DisableLimiter: true, Transport: acceptTransport{},
			})
			if err != nil {
				b.Fatal(err)
			}
			sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
			measure := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
			for b.Loop() {
				runtime.GC()
				base, peak := measure(), uint64(0)
				users := func(yield func(models.SCIMUser) bool) {
					for i := range n {
						u := template[i%2]
						u.ExternalID = strconv.Itoa(i)
						if !yield(u) {
							return
						}
					}
				}
				sent := 0
				for req := range models.BulkUploadChunks(users) {
					if _, err := c.BulkUpload(ctx, spID, jobID, req); err != nil {
						b.Fatal(err)
					}
					if sent++; sent%100 == 0 {
						runtime.GC()
						peak = max(peak, measure())
					}
				}
				runtime.GC()
				peak = max(peak, measure())
				b.ReportMetric(float64(peak-min(base, peak))/(1<<10), "peak-heap-KB")
			}
			b.ReportMetric(float64(n), "users")
		})
	}
}

// staticCredential issues testToken and keeps nothing.
type staticCredential struct{}

func (staticCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: testToken, ExpiresOn: time.Now().Add(time.Hour)}, nil
}
