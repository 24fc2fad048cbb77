// Package harness runs one client's workload in its own process and
// reports what it cost that process, as JSON on stdout. It uses only the
// standard library, so that the net/http client built on it is a plain
// net/http program for the build-cost comparison.
package harness

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"syscall"
	"time"
)

// The IDs and bodies of the workload: create a job, then provision seed
// 004's group request (a group with two members under a #V2 rule).
const (
	ServicePrincipalID = "4e116d82-dd59-4944-824d-93091408fd8d"
	TemplateID         = "BoxOutDelta"
	RuleID             = "33f7c90d-bf71-41b1-bda6-aaf0ddbee5d8#V2"
	GroupID            = "8213fd99-d6b6-417b-8e13-af6334856215"
	Member1            = "cbc86211-6ada-4803-b73f-8039cf56d8a2"
	Member2            = "2bc86211-6ada-4803-b73f-8039cf56d8a2"
	Token              = "bench-token"
)

// The bulkUpload workload: one request of BulkUsers SCIM users (core and
// enterprise attributes) per iteration, to JobID (an API2AAD job).
const (
	BulkUsers = 50
	JobID     = "API2AAD.b16687d38faf42adb29892cdcaf01c6e.1a03de52-b9c3-4e2c-a1e3-9145aaa8e530"
)

// BulkUser returns the attributes of user i of the workload: externalId,
// userName, givenName, familyName, department.
func BulkUser(i int) (externalID, userName, given, family, department string) {
	id := fmt.Sprintf("%06d", 700000+i)
	return id, "user" + id + "@contoso.com", "Given" + id, "Family" + id, "Tour Operations"
}

var workload = flag.String("workload", "provision", `"provision" (create job + provisionOnDemand) or "bulkupload" (one bulkUpload of 50 users)`)

// Bulk reports whether the workload is bulkUpload; valid in setup.
func Bulk() bool { return *workload == "bulkupload" }

// Report is what a client process prints.
type Report struct {
	Client     string  `json:"client"`
	Iterations int     `json:"iterations"`
	Requests   int     `json:"requests"`
	Records    int     `json:"records"`   // users sent (bulkUpload workload)
	CPUNanos   int64   `json:"cpuNanos"`  // user+sys of this process during the measured loop
	WallNanos  int64   `json:"wallNanos"` // wall time of the measured loop
	Mallocs    uint64  `json:"mallocs"`
	Bytes      uint64  `json:"bytes"`
	CPUPerReq  float64 `json:"cpuPerRequestMicros"`
}

// Op is one iteration: create a job, then provisionOnDemand on it.
type Op func(ctx context.Context) error

// Main parses -url and -n, builds the op with setup, warms up, measures n
// iterations and prints a Report.
func Main(name string, setup func(baseURL string) (Op, error)) {
	url := flag.String("url", "", "server base URL (scheme://host:port)")
	n := flag.Int("n", 2000, "measured iterations")
	warm := flag.Int("warmup", 200, "iterations before measuring")
	flag.Parse()
	op, err := setup(*url)
	if err != nil {
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(1)
	}
	ctx := context.Background()
	for range *warm {
		if err := op(ctx); err != nil {
			fmt.Fprintln(os.Stderr, name+": warmup:", err)
			os.Exit(1)
		}
	}
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	cpu0 := cpuTime()
	t0 := time.Now()
	for range *n {
		if err := op(ctx); err != nil {
			fmt.Fprintln(os.Stderr, name+":", err)
			os.Exit(1)
		}
	}
	wall := time.Since(t0)
	cpu := cpuTime() - cpu0
	runtime.ReadMemStats(&m1)
	r := Report{Client: name, Iterations: *n, Requests: 2 * *n, CPUNanos: cpu.Nanoseconds(), WallNanos: wall.Nanoseconds(),
		Mallocs: m1.Mallocs - m0.Mallocs, Bytes: m1.TotalAlloc - m0.TotalAlloc}
	if Bulk() {
		r.Requests, r.Records = *n, *n*BulkUsers
	}
	r.CPUPerReq = float64(r.CPUNanos) / float64(r.Requests) / 1e3
	json.NewEncoder(os.Stdout).Encode(r)
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
