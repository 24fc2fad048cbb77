// Command bench compares graphsync with the official SDK
// (msgraph-sdk-go) and a hand-written net/http client, on this machine,
// and prints a markdown table.
//
// Run it from the repository root:
//
//	go run -C bench . [-n 2000] [-skip-msgraph] [-skip-build]
//
// Runtime: one loopback server in this process answers the seed bodies
// (201 with seed 000's job, 200 with seed 004's group result, 202 with a
// Location to bulkUpload). Each client
// runs in its own process, N × (create job + provisionOnDemand of the seed
// group request), no limiter; a process measures its own user+sys CPU and
// allocations over the loop (after a warm-up) and this program reads its
// peak RSS. Build cost: each client program is built with an empty
// GOCACHE (module cache warm), timing the build and reading the peak RSS
// of the largest process it ran; binary sizes are of those builds.
package main

import (
	"bytes"
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/graphsync/graphsync/bench/internal/harness"
)

type client struct {
	name, pkg string
	report    harness.Report
	maxRSS    int64   // KiB, runtime process
	min, max  float64 // CPU/request over the rounds, µs
	build     buildCost
}

type runResult struct {
	report harness.Report
	maxRSS int64
}

type buildCost struct {
	Wall   time.Duration `json:"wall"`
	MaxRSS int64         `json:"maxRSSKiB"`
	Size   int64         `json:"size"`
	Err    string        `json:"err,omitempty"`
}

func main() {
	// Subcommand used to isolate one build's rusage in its own process.
	if len(os.Args) == 3 && os.Args[1] == "-buildcost" {
		buildCostChild(os.Args[2])
		return
	}
	n := flag.Int("n", 2000, "iterations per client (each is 2 requests)")
	rounds := flag.Int("rounds", 5, "runs per client, interleaved; the table shows the median run")
	skipMS := flag.Bool("skip-msgraph", false, "leave out msgraph-sdk-go (its build takes minutes and gigabytes)")
	skipBuild := flag.Bool("skip-build", false, "leave out the cold-build measurements")
	bulkN := flag.Int("bulk-n", 400, "bulkUpload requests (of 50 users) per client")
	flag.Parse()

	clients := []*client{
		{name: "net/http (floor)", pkg: "./clients/nethttp"},
		{name: "graphsync", pkg: "./clients/graphsync"},
		{name: "msgraph-sdk-go", pkg: "./clients/msgraph"},
	}
	if *skipMS {
		clients = clients[:2]
	}
	tmp, err := os.MkdirTemp("", "graphsync-bench-")
	check(err)
	defer os.RemoveAll(tmp)

	srv := seedServer()
	defer srv.Close()

	for _, c := range clients {
		fmt.Fprintf(os.Stderr, "building %s (warm cache)…\n", c.name)
		run(exec.Command("go", "build", "-o", filepath.Join(tmp, filepath.Base(c.pkg)), c.pkg))
	}
	// Interleaved rounds, so that a noisy moment on the machine does not
	// land on one client only; each client's median round is reported.
	measure(clients, *rounds, func(c *client) string { return fmt.Sprintf("%d iterations", *n) },
		func(c *client) *exec.Cmd {
			return exec.Command(filepath.Join(tmp, filepath.Base(c.pkg)), "-url", srv.URL, "-n", fmt.Sprint(*n))
		})
	// bulkUpload: the official SDK cannot send it (its metadata lacks the
	// POST), so the floor and graphsync only.
	bulk := []*client{{name: clients[0].name, pkg: clients[0].pkg}, {name: clients[1].name, pkg: clients[1].pkg}}
	measure(bulk, *rounds, func(c *client) string {
		return fmt.Sprintf("bulkUpload, %d requests of %d users", *bulkN, harness.BulkUsers)
	}, func(c *client) *exec.Cmd {
		return exec.Command(filepath.Join(tmp, filepath.Base(c.pkg)), "-url", srv.URL, "-n", fmt.Sprint(*bulkN), "-warmup", "20", "-workload", "bulkupload")
	})
	if !*skipBuild {
		for _, c := range clients {
			fmt.Fprintf(os.Stderr, "cold build of %s…\n", c.name)
			self, err := os.Executable()
			check(err)
			cmd := exec.Command(self, "-buildcost", c.pkg)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, os.Stderr
			check(cmd.Run())
			check(json.Unmarshal(out.Bytes(), &c.build))
			if c.build.Err != "" {
				check(fmt.Errorf("cold build of %s failed: %s", c.name, c.build.Err))
			}
		}
	}
	printTable(os.Stdout, clients, *n, *rounds, !*skipBuild)
	printBulkTable(os.Stdout, bulk, *bulkN, *rounds)
}

// printBulkTable prints the bulkUpload workload: records (users) per
// second and CPU per record, the floor first.
func printBulkTable(w io.Writer, clients []*client, n, rounds int) {
	floor := clients[0].report
	perRecord := func(r harness.Report) float64 { return float64(r.CPUNanos) / float64(r.Records) / 1e3 }
	fmt.Fprintf(w, "\nbulkUpload: %d requests of %d users (core and enterprise attributes, built from the Go types each time) per client, loopback, no limiter; median of %d interleaved rounds. The official SDK cannot send bulkUpload.\n\n", n, harness.BulkUsers, rounds)
	fmt.Fprintln(w, "| client | CPU/record | vs floor | records/s (wall, one goroutine) | allocs/record | bytes/record |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, c := range clients {
		r := c.report
		fmt.Fprintf(w, "| %s | %.2f µs | %.2f× | %.0f | %.1f | %.0f |\n", c.name, perRecord(r), perRecord(r)/perRecord(floor),
			float64(r.Records)/(float64(r.WallNanos)/1e9), float64(r.Mallocs)/float64(r.Records), float64(r.Bytes)/float64(r.Records))
	}
}

// measure runs each client's command rounds times, interleaved, and keeps
// each client's median run (by CPU per request) and the range.
func measure(clients []*client, rounds int, what func(*client) string, command func(*client) *exec.Cmd) {
	runs := make([][]runResult, len(clients))
	for round := 1; round <= rounds; round++ {
		for i, c := range clients {
			fmt.Fprintf(os.Stderr, "round %d/%d: %s, %s…\n", round, rounds, c.name, what(c))
			cmd := command(c)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, os.Stderr
			check(cmd.Run())
			var rr runResult
			check(json.Unmarshal(out.Bytes(), &rr.report))
			rr.maxRSS = cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss
			runs[i] = append(runs[i], rr)
		}
	}
	for i, c := range clients {
		slices.SortFunc(runs[i], func(a, b runResult) int { return cmp.Compare(a.report.CPUPerReq, b.report.CPUPerReq) })
		med := runs[i][len(runs[i])/2]
		c.report, c.maxRSS = med.report, med.maxRSS
		c.min, c.max = runs[i][0].report.CPUPerReq, runs[i][len(runs[i])-1].report.CPUPerReq
	}
}

// buildCostChild builds pkg with an empty build cache and reports the
// wall time, the peak RSS of the largest process the build ran, and the
// binary's size.
func buildCostChild(pkg string) {
	cache, err := os.MkdirTemp("", "gocache-")
	check(err)
	defer os.RemoveAll(cache)
	bin := filepath.Join(cache, "out.bin")
	cmd := exec.Command("go", "build", "-o", bin, pkg)
	cmd.Env = append(os.Environ(), "GOCACHE="+cache)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	t0 := time.Now()
	err = cmd.Run()
	var bc buildCost
	bc.Wall = time.Since(t0)
	if err != nil {
		bc.Err = err.Error()
	}
	var ru syscall.Rusage
	check(syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru))
	bc.MaxRSS = ru.Maxrss
	if st, err := os.Stat(bin); err == nil {
		bc.Size = st.Size()
	}
	json.NewEncoder(os.Stdout).Encode(bc)
}

func seedServer() *httptest.Server {
	job, err := os.ReadFile("../testdata/create_job_response.json")
	check(err)
	prov, err := os.ReadFile("../testdata/provision_response_3.json")
	check(err)
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/bulkUpload"):
			w.Header().Set("Location", "https://graph.microsoft.com/v1.0/auditLogs/provisioning/?$filter=jobid%20eq%20'"+harness.JobID+"'")
			w.WriteHeader(http.StatusAccepted)
		case r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/provisionOnDemand"):
			w.Write(prov)
		case r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/synchronization/jobs"):
			w.WriteHeader(http.StatusCreated)
			w.Write(job)
		default:
			http.NotFound(w, r)
		}
	}))
}

func printTable(w io.Writer, clients []*client, n, rounds int, builds bool) {
	floor := clients[0]
	ratio := func(a, b float64) string {
		if b == 0 {
			return "-"
		}
		return fmt.Sprintf("%.2f×", a/b)
	}
	fmt.Fprintf(w, "%d iterations per client (create job + provisionOnDemand = 2 requests each), loopback, one process per client; median of %d interleaved rounds (min–max in brackets).\n\n", n, rounds)
	fmt.Fprintln(w, "| client | client CPU/request | vs floor | allocs/request | bytes/request | peak RSS | wall (all requests) |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|")
	for _, c := range clients {
		r := c.report
		req := float64(r.Requests)
		fmt.Fprintf(w, "| %s | %.1f µs (%.0f–%.0f) | %s | %.0f | %.0f | %.1f MiB | %s |\n", c.name, r.CPUPerReq, c.min, c.max,
			ratio(r.CPUPerReq, floor.report.CPUPerReq), float64(r.Mallocs)/req, float64(r.Bytes)/req,
			float64(c.maxRSS)/1024, time.Duration(r.WallNanos).Round(time.Millisecond))
	}
	if !builds {
		return
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| program | cold build | vs floor | build peak RSS | binary size |")
	fmt.Fprintln(w, "|---|---|---|---|---|")
	for _, c := range clients {
		b := c.build
		fmt.Fprintf(w, "| %s | %.1f s | %s | %.0f MiB | %.1f MiB |\n", c.name, b.Wall.Seconds(),
			ratio(b.Wall.Seconds(), floor.build.Wall.Seconds()), float64(b.MaxRSS)/1024, float64(b.Size)/(1<<20))
	}
}

func run(cmd *exec.Cmd) {
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	check(cmd.Run())
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}
