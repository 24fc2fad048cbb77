package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Job health as an operator runs it: the built binary against graphsync
// fake-graph started as a process, whose jobs run simulated cycles
// (-cycle) and take quarantines, escrows and faults through the control
// API.

// background is the built binary running in the background.
type background struct {
	cmd            *exec.Cmd
	stdout, stderr *bytes.Buffer
	lines          chan string // stdout's lines, as they come, when asked for
}

// start runs graphsync with args and env in the background; lines, if
// set, streams its stdout line by line.
func start(t *testing.T, env map[string]string, lines bool, args ...string) *background {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	b := &background{cmd: cmd, stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	cmd.Stderr = b.stderr
	if lines {
		pipe, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		b.lines = make(chan string, 100)
		go func() {
			sc := bufio.NewScanner(pipe)
			for sc.Scan() {
				b.lines <- sc.Text()
			}
			close(b.lines)
		}()
	} else {
		cmd.Stdout = b.stdout
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	return b
}

// wait waits for the process to end (at most 30 s) and returns its exit
// status.
func (b *background) wait(t *testing.T) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- b.cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0
	case <-time.After(30 * time.Second):
		b.cmd.Process.Kill()
		t.Fatalf("still running after 30 s\nstderr:\n%s", b.stderr)
	}
	return -1
}

// next returns the next line of stdout within d, or fails.
func (b *background) next(t *testing.T, d time.Duration) string {
	t.Helper()
	select {
	case l, ok := <-b.lines:
		if !ok {
			t.Fatalf("stdout ended\nstderr:\n%s", b.stderr)
		}
		return l
	case <-time.After(d):
		t.Fatalf("no line within %s\nstderr:\n%s", d, b.stderr)
	}
	return ""
}

// jobControl posts to the control API's job endpoints.
func (fg *fakeGraph) jobControl(t *testing.T, action, body string) {
	t.Helper()
	path := "jobs/" + fg.env["GRAPHSYNC_SERVICE_PRINCIPAL_ID"] + "/" + fg.env["GRAPHSYNC_JOB_ID"] + "/" + action
	if code, resp := fg.control(t, "POST", path, body); code != 204 {
		t.Fatalf("%s: %d %s", action, code, resp)
	}
}

// startJob starts the demo's provisioning job.
func startJob(t *testing.T, env map[string]string) {
	t.Helper()
	if r := run(t, env, "", "jobs", "start"); r.code != 0 {
		t.Fatalf("jobs start: %s", r)
	}
}

// From the start to the end of the initial cycle, then steady state:
// exit 0, the progress on stderr as it comes, the health on stdout.
func TestJobsWaitInitialCycleToSteadyState(t *testing.T) {
	fg := startFakeGraph(t, "-cycle", "1500ms")
	env := fg.env
	startJob(t, env)
	began := time.Now()
	r := run(t, env, "", "jobs", "wait", "-until", "initial-cycle", "-poll", "200ms", "-timeout", "20s")
	// The first read may come after the cycle's first step (the job was
	// started by another process): any count of the 22 entries will do,
	// as long as the progress is shown as it comes.
	if r.code != 0 || !strings.Contains(r.stdout, "initial cycle ended after") ||
		len(regexp.MustCompile(`initial cycle \d+ of 22 Entries`).FindAllString(r.stderr, -1)) < 3 {
		t.Fatalf("wait -until initial-cycle: %s", r)
	}
	if took := time.Since(began); took < time.Second {
		t.Errorf("the initial cycle of 1.5 s ended after %s", took)
	}
	r = run(t, env, "", "jobs", "wait", "-until", "steady", "-poll", "200ms", "-timeout", "20s", "-json")
	var h struct {
		State        string `json:"state"`
		SteadyState  bool   `json:"steadyState"`
		Level        string `json:"level"`
		InitialCycle struct {
			Total int  `json:"total"`
			Done  bool `json:"done"`
		} `json:"initialCycle"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &h); r.code != 0 || err != nil || h.State != "active" || !h.SteadyState || h.Level != "ok" ||
		h.InitialCycle.Total != 22 || !h.InitialCycle.Done {
		t.Errorf("wait -until steady -json: %v %+v\n%s", err, h, r)
	}
	// Bad usage: nothing sent, exit 2.
	before := len(fg.requests(t))
	for _, args := range [][]string{{"-until", "soon"}, {"-timeout", "0s"}, {"-poll", "-1s"}} {
		if r := run(t, env, "", append([]string{"jobs", "wait"}, args...)...); r.code != 2 {
			t.Errorf("%v: %s", args, r)
		}
	}
	if after := len(fg.requests(t)); after != before {
		t.Errorf("bad usage sent %d request(s)", after-before)
	}
}

// A quarantine in the middle of a wait ends it with exit 1, saying which
// reason, what it means and what to do.
func TestJobsWaitQuarantinedMidWait(t *testing.T) {
	fg := startFakeGraph(t, "-cycle", "30s")
	startJob(t, fg.env)
	w := start(t, fg.env, false, "jobs", "wait", "-until", "steady", "-poll", "200ms", "-timeout", "20s")
	time.Sleep(time.Second)
	fg.jobControl(t, "quarantine", `{"reason":"EncounteredQuarantineException"}`)
	began := time.Now()
	code := w.wait(t)
	stderr := w.stderr.String()
	if code != 1 || time.Since(began) > 5*time.Second {
		t.Fatalf("exit %d after %s\n%s", code, time.Since(began), stderr)
	}
	for _, want := range []string{"in quarantine (EncounteredQuarantineException)", "InjectedQuarantine",
		"invalid credentials were provided", "What to do: Authorize access to the target application again"} {
		if !strings.Contains(strings.ToLower(stderr), strings.ToLower(want)) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

// 429s while polling: the wait honours Retry-After, backs off, and ends
// when the job is in steady state; it never reads faster than -poll.
func TestJobsWaitThrottled(t *testing.T) {
	fg := startFakeGraph(t, "-cycle", "1s")
	startJob(t, fg.env)
	job := fg.env["GRAPHSYNC_JOB_ID"]
	if code, body := fg.control(t, "POST", "faults", `{"method":"GET","pathSuffix":"/jobs/`+job+`","status":429,"retryAfter":"1","count":6}`); code != 204 {
		t.Fatalf("fault: %d %s", code, body)
	}
	before := len(fg.requests(t))
	began := time.Now()
	r := run(t, fg.env, "", "jobs", "wait", "-until", "steady", "-poll", "100ms", "-timeout", "30s")
	took := time.Since(began)
	if r.code != 0 || !strings.Contains(r.stdout, "steady state") {
		t.Fatalf("%s", r)
	}
	code, body := fg.control(t, "GET", "requests", "")
	var reqs []struct {
		Method, Path string
		Status       int
	}
	if err := json.Unmarshal([]byte(body), &reqs); code != 200 || err != nil {
		t.Fatal(code, err)
	}
	throttled, reads := 0, 0
	for _, q := range reqs[before:] {
		if q.Method == "GET" && strings.HasSuffix(q.Path, "/jobs/"+job) {
			reads++
			if q.Status == 429 {
				throttled++
			}
		}
	}
	// Six 429s, each answered by a pause of its Retry-After (1 s) at
	// least: six seconds before the first 200.
	if throttled != 6 || took < 6*time.Second {
		t.Errorf("%d throttled reads, wait took %s", throttled, took)
	}
	if maxReads := 6 + int(took/(100*time.Millisecond)); reads > maxReads {
		t.Errorf("%d reads in %s: more than one every -poll", reads, took)
	}
}

// A paused job never reaches steady state: the wait ends at -timeout
// with exit 1, saying it is paused. Interrupted, a wait exits 3.
func TestJobsWaitTimeoutAndInterrupt(t *testing.T) {
	fg := startFakeGraph(t, "-cycle", "1s")
	startJob(t, fg.env)
	if r := run(t, fg.env, "", "jobs", "pause"); r.code != 0 {
		t.Fatal(r)
	}
	began := time.Now()
	r := run(t, fg.env, "", "jobs", "wait", "-until", "steady", "-poll", "200ms", "-timeout", "1500ms")
	if r.code != 1 || !strings.Contains(r.stderr, "did not reach the condition in time") || !strings.Contains(r.stderr, "paused") ||
		time.Since(began) < 1500*time.Millisecond {
		t.Errorf("paused: %s", r)
	}
	w := start(t, fg.env, false, "jobs", "wait", "-until", "steady", "-poll", "200ms", "-timeout", "30s")
	time.Sleep(700 * time.Millisecond)
	w.cmd.Process.Signal(syscall.SIGINT)
	if code := w.wait(t); code != 3 {
		t.Errorf("interrupted: exit %d\n%s", code, w.stderr)
	}
}

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// watch prints one JSON line per change (the first read, the initial
// cycle's progress and end, the escrows, the quarantine), serves the
// gauges to Prometheus, and exits 3 on SIGINT or SIGTERM.
func TestJobsWatchAndMetrics(t *testing.T) {
	fg := startFakeGraph(t, "-cycle", "1s")
	addr := freeAddr(t)
	w := start(t, fg.env, true, "jobs", "watch", "-json", "-poll", "150ms", "-metrics", addr)
	type line struct {
		Time    time.Time `json:"time"`
		Changed []string  `json:"changed"`
		Health  struct {
			State      string `json:"state"`
			Escrows    int    `json:"escrows"`
			Quarantine *struct {
				Reason string `json:"reason"`
			} `json:"quarantine"`
		} `json:"health"`
	}
	read := func() line {
		l := w.next(t, 10*time.Second)
		var v line
		if err := json.Unmarshal([]byte(l), &v); err != nil || v.Time.IsZero() {
			t.Fatalf("not a JSON line: %q: %v", l, err)
		}
		return v
	}
	if first := read(); first.Changed == nil || len(first.Changed) != 0 || first.Health.State != "not-started" {
		t.Fatalf("first line: %+v", first)
	}
	startJob(t, fg.env)
	seen := map[string]bool{}
	until := func(what string, ok func(line) bool) {
		t.Helper()
		for {
			v := read()
			for _, c := range v.Changed {
				seen[c] = true
			}
			if ok(v) {
				return
			}
		}
	}
	until("steady", func(v line) bool { return seenAll(v.Changed, "steady") })
	fg.jobControl(t, "escrows", `{"count":4}`)
	until("escrows", func(v line) bool { return v.Health.Escrows == 4 })
	metrics := scrape(t, addr)
	for _, want := range []string{`graphsync_job_escrows{`, `graphsync_job_state{graphsync_job_id="` + fg.env["GRAPHSYNC_JOB_ID"] + `",graphsync_job_state="active"`,
		"graphsync_job_last_success_age_seconds{", "graphsync_job_initial_cycle_progress_ratio{", "graphsync_requests_total{"} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s:\n%s", want, metrics)
		}
	}
	if !strings.Contains(metrics, "} 4\n") {
		t.Errorf("escrows gauge not 4:\n%s", metrics)
	}
	fg.jobControl(t, "quarantine", `{"reason":"TooManyDeletes"}`)
	until("quarantine", func(v line) bool { return v.Health.Quarantine != nil && v.Health.Quarantine.Reason == "TooManyDeletes" })
	if m := scrape(t, addr); !strings.Contains(m, `graphsync_job_quarantined{`) || !strings.Contains(m, `graphsync_quarantine_reason="TooManyDeletes"`) {
		t.Errorf("quarantine not in the metrics:\n%s", m)
	}
	for _, c := range []string{"progress", "steady", "last-run", "escrows", "quarantine", "state", "level"} {
		if !seen[c] {
			t.Errorf("no change of %s seen: %v", c, seen)
		}
	}
	w.cmd.Process.Signal(syscall.SIGTERM)
	if code := w.wait(t); code != 3 {
		t.Errorf("watch on SIGTERM: exit %d\n%s", code, w.stderr)
	}

	// Lines of text without -json, one a change; bad usage exits 2.
	r := run(t, fg.env, "", "jobs", "watch", "-poll", "0s")
	if r.code != 2 {
		t.Errorf("-poll 0s: %s", r)
	}
	if r := run(t, fg.env, "", "jobs", "watch", "-metrics", "256.0.0.1:1"); r.code != 2 || !strings.Contains(r.stderr, "-metrics") {
		t.Errorf("a bad -metrics address: %s", r)
	}
	w = start(t, fg.env, true, "jobs", "watch", "-poll", "150ms")
	if l := w.next(t, 10*time.Second); !strings.Contains(l, "  first  critical: in quarantine (TooManyDeletes)") {
		t.Errorf("text line: %q", l)
	}
	w.cmd.Process.Signal(syscall.SIGINT)
	if code := w.wait(t); code != 3 {
		t.Errorf("watch on SIGINT: exit %d", code)
	}
}

func seenAll(got []string, want ...string) bool {
	for _, w := range want {
		found := false
		for _, g := range got {
			found = found || g == w
		}
		if !found {
			return false
		}
	}
	return true
}

func scrape(t *testing.T, addr string) string {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// jobs health is a Nagios check: one line, exit 0 OK, 1 WARNING, 2
// CRITICAL, 3 UNKNOWN (bad usage, no answer from Graph).
func TestJobsHealthNagios(t *testing.T) {
	fg := startFakeGraph(t, "-cycle", "500ms")
	env := fg.env
	check := func(wantCode int, wantPrefix string, args ...string) result {
		t.Helper()
		r := run(t, env, "", append([]string{"jobs", "health"}, args...)...)
		if r.code != wantCode || !strings.HasPrefix(r.stdout, wantPrefix) || strings.Count(r.stdout, "\n") != 1 {
			t.Errorf("%v: want %d %q\n%s", args, wantCode, wantPrefix, r)
		}
		return r
	}
	check(1, "WARNING - job "+env["GRAPHSYNC_JOB_ID"]+": not started (status NotConfigured, schedule Disabled)")
	startJob(t, env)
	if r := run(t, env, "", "jobs", "wait", "-until", "steady", "-poll", "100ms", "-timeout", "20s"); r.code != 0 {
		t.Fatal(r)
	}
	r := check(0, "OK - job "+env["GRAPHSYNC_JOB_ID"]+": active, steady state, 0 escrows")
	if !strings.Contains(r.stdout, "| escrows=0;1;5000 age=") || !strings.Contains(r.stdout, ";7200;86400 initial_cycle=1") {
		t.Errorf("performance data: %s", r.stdout)
	}
	fg.jobControl(t, "escrows", `{"count":3}`)
	check(1, "WARNING - job "+env["GRAPHSYNC_JOB_ID"]+": 3 escrowed entries in the last run (warning from 1)")
	check(0, "OK - ", "-warn-escrows", "10")
	check(2, "CRITICAL - ", "-critical-escrows", "2")
	check(0, "OK - ", "-warn-escrows", "-1")
	if r := run(t, env, "", "jobs", "health", "-json"); r.code != 1 || !strings.Contains(r.stdout, `"level": "warning"`) {
		t.Errorf("-json: %s", r)
	}
	fg.jobControl(t, "quarantine", `{"reason":"EncounteredEscrowProportionThreshold"}`)
	check(2, "CRITICAL - job "+env["GRAPHSYNC_JOB_ID"]+": in quarantine (EncounteredEscrowProportionThreshold)")
	// UNKNOWN: bad usage, a refusal, no answer.
	for _, args := range [][]string{{"-warn-age", "soon"}, {"stray"}} {
		if r := run(t, env, "", append([]string{"jobs", "health"}, args...)...); r.code != 3 || r.stdout != "" || r.stderr == "" {
			t.Errorf("bad usage %v: %s", args, r)
		}
	}
	check(3, "UNKNOWN - ", "-job", "no-such-job")
	if r := run(t, with(env, "GRAPHSYNC_TOKEN", "wrong"), "", "jobs", "health"); r.code != 3 || !strings.HasPrefix(r.stdout, "UNKNOWN - ") || !strings.Contains(r.stdout, "401") {
		t.Errorf("wrong token: %s", r)
	}
	if r := run(t, with(env, "GRAPHSYNC_GRAPH_URL", "http://"+freeAddr(t)), "", "jobs", "health"); r.code != 3 || !strings.HasPrefix(r.stdout, "UNKNOWN - ") {
		t.Errorf("no answer: %s", r)
	}
	if r := run(t, with(env, "GRAPHSYNC_CLOUD", "mars"), "", "jobs", "health"); r.code != 3 {
		t.Errorf("bad configuration: %s", r)
	}
	if r := run(t, nil, "", "jobs", "health", "-h"); r.code != 0 || !strings.Contains(r.stdout, "0 OK, 1 WARNING, 2 CRITICAL,\n3 UNKNOWN") {
		t.Errorf("-h: %s", r)
	}
}

// logs stats: the initial cycle in numbers (19 created, 3 escrowed with
// their code); logs alone still runs with its flags.
func TestLogsStats(t *testing.T) {
	fg := startFakeGraph(t, "-cycle", "500ms")
	env := fg.env
	fg.jobControl(t, "escrows", `{"count":3}`)
	startJob(t, env)
	if r := run(t, env, "", "jobs", "wait", "-until", "initial-cycle", "-poll", "100ms", "-timeout", "20s"); r.code != 0 {
		t.Fatal(r)
	}
	r := run(t, env, "", "logs", "-json", "-job", env["GRAPHSYNC_JOB_ID"])
	var evs []struct {
		CycleID string `json:"cycleId"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &evs); r.code != 0 || err != nil || len(evs) < 22 {
		t.Fatalf("logs: %v\n%s", err, r)
	}
	cycle := evs[0].CycleID
	r = run(t, env, "", "logs", "stats", "-cycle", cycle)
	for _, want := range []string{"Cycle " + cycle + " of job " + env["GRAPHSYNC_JOB_ID"] + ": 22 event(s)",
		"create  success  19", "create  failure  3", "InjectedEscrow  3"} {
		if r.code != 0 || !strings.Contains(r.stdout, want) {
			t.Errorf("stats lack %q: %s", want, r)
		}
	}
	r = run(t, env, "", "logs", "stats", "-cycle", cycle, "-json", "-top", "1")
	var s struct {
		Events int `json:"events"`
		Errors []struct {
			Code  string `json:"code"`
			Count int    `json:"count"`
		} `json:"errors"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &s); r.code != 0 || err != nil || s.Events != 22 || len(s.Errors) != 1 || s.Errors[0].Count != 3 {
		t.Errorf("stats -json: %v %+v\n%s", err, s, r)
	}
	if r := run(t, env, "", "logs", "stats"); r.code != 2 || !strings.Contains(r.stderr, "-cycle is required") {
		t.Errorf("without -cycle: %s", r)
	}
	if r := run(t, env, "", "logs", "stats", "-cycle", "no-such-cycle"); r.code != 0 || !strings.Contains(r.stderr, "No events") {
		t.Errorf("an unknown cycle: %s", r)
	}
	if r := run(t, env, "", "logs", "-status", "failure", "-json"); r.code != 0 || strings.Count(r.stdout, `"cycleId"`) < 3 {
		t.Errorf("logs with flags beside its subcommand: %s", r)
	}
	for _, args := range [][]string{{"logs", "stats", "-h"}, {"jobs", "wait", "-h"}, {"jobs", "watch", "-h"}} {
		if r := run(t, nil, "", args...); r.code != 0 || !strings.HasPrefix(r.stdout, "Usage: graphsync "+strings.Join(args[:2], " ")) {
			t.Errorf("%v: %s", args, r)
		}
	}
	if r := run(t, nil, "", "logs", "-h"); r.code != 0 || !strings.Contains(r.stdout, fmt.Sprintf("  stats  %s", "one cycle in numbers")) {
		t.Errorf("logs -h: %s", r)
	}
}
