package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The command as a user runs it: a built binary, against graphsync
// fake-graph started as a process, with nothing but its environment.

// binary is the graphsync binary the tests run, built once by TestMain.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "graphsync-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "graphsync")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building graphsync: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// fakeGraph is a running graphsync fake-graph and what it printed.
type fakeGraph struct {
	cmd    *exec.Cmd
	env    map[string]string // the NAME=value lines
	lines  []string
	stderr *bytes.Buffer
}

// startFakeGraph starts graphsync fake-graph with args and reads its
// lines; it is stopped with SIGTERM at the end of the test, which must
// end it with exit status 0.
func startFakeGraph(t *testing.T, args ...string) *fakeGraph {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"fake-graph"}, args...)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	fg := &fakeGraph{cmd: cmd, env: map[string]string{}, stderr: &bytes.Buffer{}}
	cmd.Stderr = fg.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	for len(fg.lines) < 5 && sc.Scan() {
		line := sc.Text()
		fg.lines = append(fg.lines, line)
		k, v, _ := strings.Cut(line, "=")
		fg.env[k] = v
	}
	if len(fg.lines) < 5 {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("fake-graph printed %q\n%s", fg.lines, fg.stderr)
	}
	go io.Copy(io.Discard, stdout)
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		if err := cmd.Wait(); err != nil {
			t.Errorf("fake-graph on SIGTERM: %v\n%s", err, fg.stderr)
		}
	})
	return fg
}

// result is what one run of the binary did.
type result struct {
	code           int
	stdout, stderr string
}

// run runs graphsync with args, the environment env (and PATH, HOME,
// nothing else) and stdin.
func run(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, stdout.String(), stderr.String()}
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
}

// with returns env with more variables.
func with(env map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range env {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// control calls fake-graph's control API as a test in another language
// would: plain HTTP with the token it printed.
func (fg *fakeGraph) control(t *testing.T, method, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, fg.env["GRAPHSYNC_GRAPH_URL"]+"/_graphtest/"+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+fg.env["GRAPHSYNC_TOKEN"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// requests returns the requests fake-graph received, as "METHOD path".
func (fg *fakeGraph) requests(t *testing.T) []string {
	t.Helper()
	code, body := fg.control(t, "GET", "requests", "")
	var reqs []struct{ Method, Path string }
	if err := json.Unmarshal([]byte(body), &reqs); code != 200 || err != nil {
		t.Fatalf("requests: %d %v %s", code, err, body)
	}
	out := make([]string, len(reqs))
	for i, r := range reqs {
		out[i] = r.Method + " " + r.Path
	}
	return out
}

// fake-graph prints exactly its five lines, NAME=value, then serves; both
// SIGINT and SIGTERM end it with status 0.
func TestFakeGraphLinesAndSignals(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		cmd := exec.Command(binary, "fake-graph")
		cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
		stdout, _ := cmd.StdoutPipe()
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(stdout)
		var names []string
		vals := map[string]string{}
		for len(names) < 5 && sc.Scan() {
			k, v, ok := strings.Cut(sc.Text(), "=")
			if !ok || v == "" {
				t.Errorf("line %q is not NAME=value", sc.Text())
			}
			names = append(names, k)
			vals[k] = v
		}
		want := "GRAPHSYNC_GRAPH_URL GRAPHSYNC_TOKEN GRAPHSYNC_SERVICE_PRINCIPAL_ID GRAPHSYNC_JOB_ID GRAPHSYNC_INBOUND_JOB_ID"
		if strings.Join(names, " ") != want || !strings.HasPrefix(vals["GRAPHSYNC_GRAPH_URL"], "http://127.0.0.1:") {
			t.Errorf("lines %v %v", names, vals)
		}
		// It serves: a client with the token gets an answer.
		req, _ := http.NewRequest("GET", vals["GRAPHSYNC_GRAPH_URL"]+"/v1.0/servicePrincipals/"+vals["GRAPHSYNC_SERVICE_PRINCIPAL_ID"]+"/synchronization/jobs", nil)
		req.Header.Set("Authorization", "Bearer "+vals["GRAPHSYNC_TOKEN"])
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
			t.Errorf("list jobs: %v %v", resp, err)
		} else {
			resp.Body.Close()
		}
		cmd.Process.Signal(sig)
		if rest, _ := io.ReadAll(stdout); len(rest) > 0 {
			t.Errorf("after its five lines, stdout had %q", rest)
		}
		if err := cmd.Wait(); err != nil {
			t.Errorf("after %v: %v\n%s", sig, err, stderr.String())
		}
	}
}

// Every level has its help: exit 0, on stdout, nothing else done.
func TestHelpAtEveryLevel(t *testing.T) {
	for _, args := range [][]string{
		{"-h"}, {"--help"}, {"help"}, {"jobs", "-h"}, {"jobs", "list", "-h"}, {"jobs", "list", "--help"},
		{"provision", "-h"}, {"upload", "-h"}, {"schema", "put", "-h"}, {"secrets", "save", "-h"}, {"logs", "-h"},
		{"fake-graph", "-h"}, {"templates", "get", "-h"}, {"version", "-h"},
	} {
		r := run(t, nil, "", args...)
		if r.code != 0 || !strings.HasPrefix(r.stdout, "Usage: graphsync") || r.stderr != "" {
			t.Errorf("%v: %s", args, r)
		}
	}
	// No command, an unknown one, an unknown flag: exit 2, usage on stderr.
	for _, args := range [][]string{{}, {"nope"}, {"jobs"}, {"jobs", "nope"}, {"jobs", "list", "-nope"}, {"-json"}} {
		r := run(t, nil, "", args...)
		if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, "Usage: graphsync") {
			t.Errorf("%v: %s", args, r)
		}
	}
}

// Configuration: flags over environment; the demo without any; a
// configuration naming real Graph but incomplete stops with exit 2,
// saying what is missing and that -demo runs the demo; another Graph only
// over https or loopback; the token never printed.
func TestConfiguration(t *testing.T) {
	if r := run(t, nil, "", "jobs", "list"); r.code != 0 || !strings.Contains(r.stderr, "Offline demo") || !strings.Contains(r.stdout, "scim.") {
		t.Errorf("demo: %s", r)
	}
	for name, env := range map[string]map[string]string{
		"AZURE_* alone":    {"AZURE_TENANT_ID": "t"},
		"empty variable":   {"GRAPHSYNC_JOB_ID": ""},
		"job without sp":   {"GRAPHSYNC_JOB_ID": "j"},
		"url without sp":   {"GRAPHSYNC_GRAPH_URL": "http://127.0.0.1:1"},
		"token without sp": {"GRAPHSYNC_TOKEN": "t"},
	} {
		r := run(t, env, "", "jobs", "get")
		if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, "missing") || !strings.Contains(r.stderr, "-demo") {
			t.Errorf("%s: %s", name, r)
		}
	}
	fg := startFakeGraph(t)
	// -sp over GRAPHSYNC_SERVICE_PRINCIPAL_ID: the fake knows only the
	// demo's.
	r := run(t, with(fg.env, "GRAPHSYNC_SERVICE_PRINCIPAL_ID", "nobody"), "", "jobs", "list", "-sp", fg.env["GRAPHSYNC_SERVICE_PRINCIPAL_ID"])
	if r.code != 0 || !strings.Contains(r.stdout, fg.env["GRAPHSYNC_JOB_ID"]) {
		t.Errorf("-sp over the environment: %s", r)
	}
	// The token is used, never shown, -v included.
	r = run(t, fg.env, "", "jobs", "get", "-v")
	if r.code != 0 || strings.Contains(r.stdout+r.stderr, fg.env["GRAPHSYNC_TOKEN"]) || !strings.Contains(r.stderr, "graphsync: request") {
		t.Errorf("-v: %s", r)
	}
	// A wrong token: Graph's 401, exit 1.
	if r := run(t, with(fg.env, "GRAPHSYNC_TOKEN", "wrong"), "", "jobs", "get"); r.code != 1 || !strings.Contains(r.stderr, "401") {
		t.Errorf("wrong token: %s", r)
	}
	// Plain http to anything but loopback is refused before sending.
	for _, u := range []string{"http://graph.example.com", "http://10.0.0.1:8080", "ftp://127.0.0.1"} {
		r := run(t, with(fg.env, "GRAPHSYNC_GRAPH_URL", u), "", "jobs", "get")
		if r.code != 2 || !strings.Contains(r.stderr, "GRAPHSYNC_GRAPH_URL") {
			t.Errorf("%s: %s", u, r)
		}
	}
	if r := run(t, with(fg.env, "GRAPHSYNC_CLOUD", "mars"), "", "jobs", "get"); r.code != 2 || !strings.Contains(r.stderr, "GRAPHSYNC_CLOUD") {
		t.Errorf("unknown cloud: %s", r)
	}
}

// jobs, templates, schema and secrets against fake-graph, as an operator
// sets an application up.
func TestJobsTemplatesSchemaSecrets(t *testing.T) {
	fg := startFakeGraph(t)
	env := fg.env
	sp, job := env["GRAPHSYNC_SERVICE_PRINCIPAL_ID"], env["GRAPHSYNC_JOB_ID"]

	// Lists print a JSON array of Graph-shaped objects.
	r := run(t, env, "", "jobs", "list", "--json")
	var jobs []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &jobs); r.code != 0 || err != nil || len(jobs) != 2 {
		t.Fatalf("jobs list -json: %v\n%s", err, r)
	}
	if jobs[0]["id"] != job || jobs[0]["templateId"] != "scim" || jobs[1]["id"] != env["GRAPHSYNC_INBOUND_JOB_ID"] {
		t.Errorf("jobs: %v", jobs)
	}
	r = run(t, env, "", "templates", "list", "-json")
	var templates []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &templates); r.code != 0 || err != nil || len(templates) != 3 {
		t.Fatalf("templates list -json: %v\n%s", err, r)
	}
	if r := run(t, env, "", "templates", "get", "-template", "API2AAD"); r.code != 0 || !strings.Contains(r.stdout, "API2AAD") {
		t.Errorf("templates get: %s", r)
	}
	if r := run(t, env, "", "templates", "get"); r.code != 2 || !strings.Contains(r.stderr, "-template is required") {
		t.Errorf("templates get without -template: %s", r)
	}

	// A job's life: create, start, pause, restart, delete.
	r = run(t, env, "", "jobs", "create", "-template", "scim", "-json")
	var created map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &created); r.code != 0 || err != nil {
		t.Fatalf("jobs create: %v\n%s", err, r)
	}
	newJob := created["id"].(string)
	for _, verb := range [][]string{{"start"}, {"pause"}, {"start"}, {"restart", "-reset", "Watermark,Escrows"}, {"get"}} {
		r := run(t, env, "", append(append([]string{"jobs"}, verb...), "-job", newJob)...)
		if r.code != 0 {
			t.Errorf("jobs %v: %s", verb, r)
		}
	}
	// A running job is not started again: Graph warns it can stop the
	// service. -force does.
	if r := run(t, env, "", "jobs", "start", "-job", newJob); r.code != 1 || !strings.Contains(r.stderr, "-force") {
		t.Errorf("start a running job: %s", r)
	}
	if r := run(t, env, "", "jobs", "start", "-job", newJob, "-force"); r.code != 0 {
		t.Errorf("start -force: %s", r)
	}
	if r := run(t, env, "", "jobs", "restart", "-job", newJob, "-reset", "Everything"); r.code != 2 {
		t.Errorf("restart with an unknown scope: %s", r)
	}
	if r := run(t, env, "", "jobs", "delete", "-job", newJob); r.code != 2 || !strings.Contains(r.stderr, "-yes") {
		t.Errorf("delete without -yes: %s", r)
	}
	if r := run(t, env, "", "jobs", "delete", "-job", newJob, "-yes"); r.code != 0 {
		t.Errorf("delete: %s", r)
	}
	if r := run(t, env, "", "jobs", "get", "-job", newJob); r.code != 1 || !strings.Contains(r.stderr, "404") {
		t.Errorf("get a deleted job: %s", r)
	}

	// The schema, out and back in, byte for byte the same JSON.
	dir := t.TempDir()
	file := filepath.Join(dir, "schema.json")
	if r := run(t, env, "", "schema", "get", "-o", file); r.code != 0 {
		t.Fatalf("schema get: %s", r)
	}
	before, _ := os.ReadFile(file)
	if r := run(t, env, "", "schema", "put", "-f", file); r.code != 2 || !strings.Contains(r.stderr, "-yes") {
		t.Errorf("schema put without -yes: %s", r)
	}
	if r := run(t, env, "", "schema", "put", "-f", file, "-yes"); r.code != 0 {
		t.Fatalf("schema put: %s", r)
	}
	r = run(t, env, "", "schema", "get")
	if r.code != 0 || !jsonEqual(t, []byte(r.stdout), before) {
		t.Errorf("the schema changed on its way through:\n%s\nwas\n%s", r.stdout, before)
	}
	if r := run(t, env, "not json", "schema", "put", "-f", "-", "-yes"); r.code != 2 {
		t.Errorf("schema put of garbage: %s", r)
	}

	// Secrets: from a file or standard input, never from arguments, never
	// printed.
	const secret = "s3cr3t-T0ken-value"
	secrets := filepath.Join(dir, "secrets.json")
	os.WriteFile(secrets, []byte(`[{"key":"BaseAddress","value":"https://scim.example.com"},{"key":"SecretToken","value":"`+secret+`"}]`), 0o600)
	for _, args := range [][]string{
		{"secrets", "validate", "-f", secrets},
		{"secrets", "validate", "-template", "scim", "-f", secrets},
		{"secrets", "save", "-f", secrets},
		{"secrets", "validate", "-saved"},
	} {
		if r := run(t, env, "", args...); r.code != 0 || strings.Contains(r.stdout+r.stderr, secret) {
			t.Errorf("%v: %s", args, r)
		}
	}
	if r := run(t, env, `{"value":[{"key":"SecretToken","value":"`+secret+`"}]}`, "secrets", "save", "-f", "-"); r.code != 0 || strings.Contains(r.stderr, secret) {
		t.Errorf("secrets save from standard input: %s", r)
	}
	before2 := len(fg.requests(t))
	for _, args := range [][]string{
		{"secrets", "save", secret},
		{"secrets", "save", "-f", secrets, secret},
		{"secrets", "validate", "-f", secret},
		{"secrets", "save", "-f", "-"},
	} {
		r := run(t, env, "", args...)
		if r.code != 2 || strings.Contains(r.stdout+r.stderr, secret) {
			t.Errorf("%v: %s", args, r)
		}
	}
	if after := len(fg.requests(t)); after != before2 {
		t.Errorf("refused secrets commands sent %d request(s)", after-before2)
	}
	_ = sp
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return bytes.Equal(ja, jb)
}

// provision against fake-graph: paced with -rate, a fault injected
// through the control API fails its subject (exit 1), and -journal with
// -resume finishes after a kill -9 with one final line per input line.
func TestProvisionAgainstFakeGraph(t *testing.T) {
	fg := startFakeGraph(t, "-fast")
	env := fg.env
	user := func(i int) string { return fmt.Sprintf("9bb0f679-a883-4a6f-8260-35b491b8b8%02d", i) }
	r := run(t, env, "", "provision", "-rate", "5/1s", "-json", "-subject", "User:"+user(1), "-subject", "Group:8213fd99-d6b6-417b-8e13-af6334856215="+user(2))
	var rows []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &rows); r.code != 0 || err != nil || len(rows) != 2 || rows[0]["result"] != "Success" {
		t.Fatalf("provision: %v\n%s", err, r)
	}
	if code, body := fg.control(t, "POST", "faults", `{"method":"POST","pathSuffix":"/provisionOnDemand","status":400,"count":1}`); code != 204 {
		t.Fatalf("fault: %d %s", code, body)
	}
	r = run(t, env, "", "provision", "-rate", "5/1s", "-subject", "User:"+user(3))
	if r.code != 1 || !strings.Contains(r.stdout, "failed") || !strings.Contains(r.stdout, "Injected fault.") {
		t.Errorf("a refused subject: %s", r)
	}

	// Kill -9 in the middle, resume until done.
	journal := filepath.Join(t.TempDir(), "run.jsonl")
	var args []string
	for i := 4; i <= 21; i++ {
		args = append(args, "-subject", "User:"+user(i))
	}
	cmd := exec.Command(binary, append([]string{"provision", "-rate", "5/1s", "-journal", journal, "-resume", journal}, args...)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond) // real time: a process, a real fake Graph
	cmd.Process.Kill()
	cmd.Wait()
	for try := 0; try < 3; try++ {
		r = run(t, env, "", append([]string{"provision", "-rate", "5/1s", "-journal", journal, "-resume", journal}, args...)...)
		if r.code == 0 {
			break
		}
	}
	if r.code != 0 {
		t.Fatalf("resume never finished: %s", r)
	}
	b, _ := os.ReadFile(journal)
	final := map[string]int{}
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var e struct{ Subject, State string }
		if json.Unmarshal([]byte(l), &e) == nil && e.State != "not-attempted" {
			final[e.Subject]++
		}
	}
	for i := 4; i <= 21; i++ {
		if final[user(i)] != 1 {
			t.Errorf("%s has %d final line(s)", user(i), final[user(i)])
		}
	}
}

// upload against fake-graph's inbound job: every record of the demo's HR
// sample gets an outcome from the logs; logs reads them back with typed
// filters.
func TestUploadAndLogsAgainstFakeGraph(t *testing.T) {
	fg := startFakeGraph(t)
	env := with(fg.env, "GRAPHSYNC_JOB_ID", fg.env["GRAPHSYNC_INBOUND_JOB_ID"])
	csv := filepath.Join(t.TempDir(), "hr.csv")
	os.WriteFile(csv, []byte("externalId,userName,active\nE1,e1@contoso.com,true\nE2,e2@contoso.com,true\nE3,,true\n"), 0o600)
	r := run(t, env, "", "upload", "-csv", csv, "-poll", "100ms", "-timeout", "30s", "-json")
	var rows []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil || len(rows) != 3 {
		t.Fatalf("upload: %v\n%s", err, r)
	}
	// E3 has no userName: the fake fails it, as Graph would a new user
	// without one.
	if r.code != 1 || rows[0]["status"] != "success" || rows[2]["status"] != "failure" {
		t.Errorf("upload: %s", r)
	}
	r = run(t, env, "", "logs", "-status", "failure", "-json")
	var evs []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &evs); r.code != 0 || err != nil || len(evs) != 1 {
		t.Fatalf("logs -status failure: %v\n%s", err, r)
	}
	if id := evs[0]["sourceIdentity"].(map[string]any)["id"]; id != "E3" {
		t.Errorf("failed event of %v", id)
	}
	r = run(t, env, "", "logs", "-source-id", "E1")
	if r.code != 0 || strings.Count(strings.TrimSpace(r.stdout), "\n") != 1 || !strings.Contains(r.stdout, "E1") {
		t.Errorf("logs -source-id E1: %s", r)
	}
	if r := run(t, env, "", "logs", "-since", "-1h"); r.code != 2 {
		t.Errorf("a negative -since: %s", r)
	}
}

// version prints one line.
func TestVersion(t *testing.T) {
	r := run(t, nil, "", "version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "graphsync ") || strings.Count(r.stdout, "\n") != 1 {
		t.Errorf("version: %s", r)
	}
}

// logs -follow prints the events as they come, once each, until
// interrupted (exit 3).
func TestLogsFollow(t *testing.T) {
	fg := startFakeGraph(t)
	env := with(fg.env, "GRAPHSYNC_JOB_ID", fg.env["GRAPHSYNC_INBOUND_JOB_ID"])
	cmd := exec.Command(binary, "logs", "-follow", "-poll", "100ms")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	csv := filepath.Join(t.TempDir(), "hr.csv")
	os.WriteFile(csv, []byte("externalId,userName\nF1,f1@contoso.com\nF2,f2@contoso.com\n"), 0o600)
	if r := run(t, env, "", "upload", "-csv", csv, "-poll", "100ms", "-timeout", "30s"); r.code != 0 {
		t.Fatalf("upload: %s", r)
	}
	time.Sleep(500 * time.Millisecond) // a few polls of the follower (a process: real time)
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 3 {
		t.Errorf("-follow after SIGINT: %v\n%s", err, stderr.String())
	}
	out := stdout.String()
	if strings.Count(out, "F1") != 1 || strings.Count(out, "F2") != 1 || strings.Count(out, "TIME") != 1 {
		t.Errorf("followed:\n%s", out)
	}
}
