package provision

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/graphsync/graphsync/cmd/graphsync/internal/cli"
	"github.com/graphsync/graphsync/cmd/graphsync/internal/demotenant"
	"github.com/graphsync/graphsync/cmd/graphsync/internal/testenv"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

// TestMain doubles as the program itself for the tests that need a
// process of their own (signals, exit codes, standard input).
func TestMain(m *testing.M) {
	if os.Getenv("PROVISION_AS_MAIN") == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := cli.Execute(ctx, Command(), "provision", os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	goleak.VerifyTestMain(m)
}

func sampleUser(i int) string { return demotenant.SampleUser(i) }

// seedSample registers the demo's sample users and group.
func seedSample(srv *graphtest.Server) {
	for i := 1; i <= demotenant.SampleUsers; i++ {
		srv.AddUser(sampleUser(i), fmt.Sprintf("user%02d@contoso.com", i))
	}
	srv.AddGroup(demotenant.GroupID, "Sales")
}

// clearEnv unsets every AZURE_* and GRAPHSYNC_* variable for the test.
func clearEnv(t *testing.T) { testenv.Clear(t) }

type result struct {
	code           int
	stdout, stderr string
}

// runArgs runs graphsync provision in-process. Against a fake Graph
// configured as real (fakeReal), it paces at 1000 a second unless args
// say otherwise: the fake does not throttle.
func runArgs(t *testing.T, ctx context.Context, stdin string, args ...string) result {
	t.Helper()
	if os.Getenv("GRAPHSYNC_GRAPH_URL") != "" && !slices.Contains(args, "-rate") {
		args = append([]string{"-rate", "1000/1s"}, args...)
	}
	var stdout, stderr bytes.Buffer
	code := cli.Execute(ctx, Command(), "provision", args, strings.NewReader(stdin), &stdout, &stderr)
	return result{code, stdout.String(), stderr.String()}
}

func runJSON(t *testing.T, ctx context.Context, args ...string) (int, []entry, string) {
	t.Helper()
	r := runArgs(t, ctx, "", append([]string{"-json"}, args...)...)
	var rows []entry
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s\nstderr: %s", err, r.stdout, r.stderr)
	}
	return r.code, rows, r.stderr
}

func TestDemoRunsOffline(t *testing.T) {
	clearEnv(t)
	r := runArgs(t, context.Background(), "")
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if strings.Count(r.stdout, "Success") != 22 || strings.Count(r.stdout, stateDuplicate) != 1 {
		t.Fatalf("table:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "Offline demo") || !strings.Contains(r.stderr, "5 requests per 1 s") || !strings.Contains(r.stderr, "23 subject(s)") {
		t.Fatalf("stderr:\n%s", r.stderr)
	}
	if strings.Contains(r.stderr, "\r") {
		t.Fatal("a progress bar was drawn on a stderr that is not a terminal")
	}
}

func TestNoSilentDemo(t *testing.T) {
	for _, tc := range []struct {
		env     map[string]string
		args    []string
		missing []string
		present []string
	}{
		{map[string]string{"AZURE_TENANT_ID": "t", "AZURE_CLIENT_ID": "c", "AZURE_CLIENT_SECRET": "s"}, nil,
			[]string{"service principal", "job"}, []string{"AZURE_TENANT_ID", "AZURE_CLIENT_ID"}},
		{map[string]string{"GRAPHSYNC_JOB_ID": "j"}, nil, []string{"service principal"}, []string{"the job"}},
		{nil, []string{"-sp", "x"}, []string{"the job"}, []string{"service principal"}},
		{nil, []string{"-job", "x"}, []string{"service principal"}, []string{"the job"}},
		{map[string]string{"AZURE_CLIENT_SECRET": "s", "GRAPHSYNC_SERVICE_PRINCIPAL_ID": "sp", "GRAPHSYNC_JOB_ID": "j"}, nil,
			[]string{"AZURE_TENANT_ID", "AZURE_CLIENT_ID"}, []string{"service principal", "the job"}},
	} {
		t.Run(fmt.Sprint(tc.env, tc.args), func(t *testing.T) {
			clearEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			r := runArgs(t, context.Background(), "", tc.args...)
			if r.code != exitUsage || r.stdout != "" {
				t.Fatalf("exit %d, stdout %q", r.code, r.stdout)
			}
			_, missing, _ := strings.Cut(r.stderr, "missing: ")
			for _, m := range tc.missing {
				if !strings.Contains(missing, m) {
					t.Errorf("stderr does not name %q: %s", m, r.stderr)
				}
			}
			for _, p := range tc.present {
				if strings.Contains(missing, p) {
					t.Errorf("stderr names %q, which is there: %s", p, r.stderr)
				}
			}
			if strings.Contains(r.stderr, "Offline demo") || !strings.Contains(r.stderr, "Run with -demo") {
				t.Errorf("fell back to the demo, or did not say how to run it: %s", r.stderr)
			}
		})
	}
	// -demo forces the demo even when the environment names real Graph.
	clearEnv(t)
	t.Setenv("AZURE_TENANT_ID", "t")
	if r := runArgs(t, context.Background(), "", "-demo", "-subject", "User:"+sampleUser(1)); r.code != exitOK || !strings.Contains(r.stderr, "Offline demo") {
		t.Fatalf("-demo: exit %d\n%s", r.code, r.stderr)
	}
}

// fakeReal points "real" runs at a graphtest server, as an operator
// points graphsync at another Graph (GRAPHSYNC_GRAPH_URL and
// GRAPHSYNC_TOKEN), and returns the server and its job.
func fakeReal(t *testing.T, setup func(*graphtest.Server)) (*graphtest.Server, string) {
	t.Helper()
	srv := graphtest.NewServer(&graphtest.Options{DisableProvisionLimit: true})
	t.Cleanup(srv.Close)
	srv.AddServicePrincipal("sp-real", "scim")
	seedSample(srv)
	if setup != nil {
		setup(srv)
	}
	c, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	job, err := c.CreateJob(context.Background(), "sp-real", models.SynchronizationJob{TemplateID: "scim"})
	if err != nil {
		t.Fatal(err)
	}
	clearEnv(t)
	t.Setenv("GRAPHSYNC_GRAPH_URL", srv.URL)
	t.Setenv("GRAPHSYNC_TOKEN", srv.Token())
	t.Setenv("GRAPHSYNC_SERVICE_PRINCIPAL_ID", "sp-real")
	return srv, job.ID
}

func provisionCalls(srv *graphtest.Server) int {
	n := 0
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/provisionOnDemand") {
			n++
		}
	}
	return n
}

func TestPreflightStopsBeforeSending(t *testing.T) {
	srv, _ := fakeReal(t, nil)
	r := runArgs(t, context.Background(), "", "-job", "no-such-job", "-subject", "User:"+sampleUser(1))
	if r.code != exitUsage || r.stdout != "" || !strings.Contains(r.stderr, "preflight") || !strings.Contains(r.stderr, "404") {
		t.Fatalf("exit %d\nstdout %q\nstderr %s", r.code, r.stdout, r.stderr)
	}
	if n := provisionCalls(srv); n != 0 {
		t.Fatalf("%d provisionOnDemand calls after a failed preflight", n)
	}
}

func TestRuleFromSchemaAndDryRun(t *testing.T) {
	srv, job := fakeReal(t, nil)
	r := runArgs(t, context.Background(), "", "-job", job, "-dry-run",
		"-subject", "User:"+sampleUser(1), "-subject", "Group:8213fd99-d6b6-417b-8e13-af6334856215="+strings.Repeat(sampleUser(2)+";", 7))
	if r.code != exitOK || !strings.Contains(r.stdout, "Dry run: nothing was sent") || !strings.Contains(r.stdout, "Rule for user subjects") {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "2 subject(s) in 3 request(s)") {
		t.Fatalf("a group of 7 members is 2 requests:\n%s", r.stdout)
	}
	if n := provisionCalls(srv); n != 0 {
		t.Fatalf("dry run sent %d provisionOnDemand calls", n)
	}
	// The real run finds the same rule and Graph accepts it.
	code, rows, stderr := runJSON(t, context.Background(), "-job", job, "-subject", "User:"+sampleUser(1))
	if code != exitOK || len(rows) != 1 || rows[0].Result != "Success" || rows[0].RuleID == "" {
		t.Fatalf("exit %d rows %+v\n%s", code, rows, stderr)
	}
}

func TestFailuresCarryGraphsWholeMessage(t *testing.T) {
	clearEnv(t)
	code, rows, stderr := runJSON(t, context.Background(), "-demo",
		"-subject", "User:"+sampleUser(1), "-subject", "User:ghost")
	if code != exitFailed {
		t.Fatalf("exit %d, want %d\n%s", code, exitFailed, stderr)
	}
	if len(rows) != 2 || rows[0].Result != "Success" || rows[1].Result != "Failure" || rows[1].ErrorCode == "" ||
		rows[1].ErrorMessage == "" || rows[1].FailedStep == "" {
		t.Fatalf("rows = %+v", rows)
	}
}

func TestCSV(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("bom.csv", "\ufeffruleId,objectId,objectTypeName,members\n\n"+
		","+sampleUser(4)+",User\n"+
		"# a comment\n"+
		","+sampleUser(5)+",User\n"+
		",8213fd99-d6b6-417b-8e13-af6334856215,Group,"+sampleUser(6)+";"+sampleUser(7)+"\n"+
		","+sampleUser(4)+",User\n")
	code, rows, stderr := runJSON(t, context.Background(), "-demo", "-csv", good)
	if code != exitOK || len(rows) != 4 {
		t.Fatalf("exit %d rows %+v\n%s", code, rows, stderr)
	}
	lines := []int{rows[0].Line, rows[1].Line, rows[2].Line, rows[3].Line}
	if fmt.Sprint(lines) != "[3 5 6 7]" || rows[3].State != stateDuplicate || rows[2].Type != "Group" {
		t.Fatalf("lines %v, rows %+v", lines, rows)
	}
	// The header of a file with a BOM is no subject.
	for _, r := range rows {
		if strings.Contains(r.Subject, "objectId") || strings.HasPrefix(r.RuleID, "\ufeff") {
			t.Fatalf("row %+v", r)
		}
	}
	// Errors name the physical line.
	bad := write("bad.csv", "ruleId,objectId,objectTypeName\n\n\n,only-two\n")
	if r := runArgs(t, context.Background(), "", "-demo", "-csv", bad); r.code != exitUsage || !strings.Contains(r.stderr, "line 4") {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	// Empty and header-only inputs are errors, not the sample list.
	for _, content := range []string{"", "\ufeff", "ruleId,objectId,objectTypeName\n", "\n\n# nothing\n"} {
		p := write("empty.csv", content)
		if r := runArgs(t, context.Background(), "", "-demo", "-csv", p); r.code != exitUsage || !strings.Contains(r.stderr, "no subjects") {
			t.Fatalf("%q: exit %d: %s", content, r.code, r.stderr)
		}
	}
	// -csv - reads standard input.
	r := runArgs(t, context.Background(), ","+sampleUser(8)+",User\n", "-demo", "-json", "-csv", "-")
	if r.code != exitOK || !strings.Contains(r.stdout, sampleUser(8)) {
		t.Fatalf("stdin: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

func TestVerboseShowsTheLibrarysLog(t *testing.T) {
	clearEnv(t)
	r := runArgs(t, context.Background(), "", "-demo", "-v", "-subject", "User:"+sampleUser(1))
	if r.code != exitOK || !strings.Contains(r.stderr, "graphsync: request") || !strings.Contains(r.stderr, "op=ProvisionOnDemand") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if strings.Contains(r.stderr, graphtest.Token) {
		t.Fatal("the token is in the log")
	}
}

// readEntries reads a journal.
func readEntries(t *testing.T, path string) []entry {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []entry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			continue // a torn line
		}
		out = append(out, e)
	}
	return out
}

// checkExactlyOnce checks that the journal holds exactly one final line
// for each of the demo's 23 input subjects.
func checkExactlyOnce(t *testing.T, path string) {
	t.Helper()
	want := map[string]int{}
	for _, s := range demotenant.SampleSubjects() {
		want[s.ObjectID+"|"+s.ObjectTypeName]++
	}
	got := map[string]int{}
	for _, e := range readEntries(t, path) {
		if e.final() {
			got[e.Subject+"|"+e.Type]++
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("final lines per subject:\n got %v\nwant %v", got, want)
	}
}

func TestJournalAndResumeAfterInterrupt(t *testing.T) {
	clearEnv(t)
	j := filepath.Join(t.TempDir(), "journal.jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(1200*time.Millisecond, cancel)
	r := runArgs(t, ctx, "", "-journal", j, "-resume", j)
	if r.code != exitInterrupted || !strings.Contains(r.stderr, "not attempted (safe to run again)") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	first := readEntries(t, j)
	notAttempted := 0
	for _, e := range first {
		if !e.final() {
			notAttempted++
		}
	}
	if notAttempted == 0 {
		t.Fatal("the interrupted run wrote no not-attempted line")
	}
	r = runArgs(t, context.Background(), "", "-journal", j, "-resume", j)
	if r.code != exitOK || !strings.Contains(r.stderr, "already done") {
		t.Fatalf("resume: exit %d\n%s", r.code, r.stderr)
	}
	checkExactlyOnce(t, j)
	// Nothing left to do.
	r = runArgs(t, context.Background(), "", "-journal", j, "-resume", j)
	if r.code != exitOK || !strings.Contains(r.stderr, "Nothing left to do") || !strings.Contains(r.stderr, "23 subject(s) already done") {
		t.Fatalf("done: exit %d\n%s", r.code, r.stderr)
	}
	checkExactlyOnce(t, j)
}

// asProcess runs this test binary as the provision program.
func asProcess(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = []string{"PROVISION_AS_MAIN=1", "PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	return cmd
}

func exitCode(err error) int {
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

func TestKilledAndResumedUntilDone(t *testing.T) {
	for try := range 3 {
		seed := uint64(time.Now().UnixNano())
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			killAndResume(t, filepath.Join(t.TempDir(), fmt.Sprintf("journal-%d.jsonl", try)), rand.New(rand.NewPCG(seed, 1)))
		})
	}
}

// killAndResume runs the demo with -journal j -resume j, killing it with
// SIGKILL at random moments in the first rounds, until a run ends by
// itself with exit 0; then every subject has exactly one final line.
func killAndResume(t *testing.T, j string, rng *rand.Rand) {
	for round := 1; ; round++ {
		if round > 30 {
			t.Fatal("not done after 30 rounds")
		}
		cmd := asProcess(t, "-journal", j, "-resume", j)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		// Kill at a random moment, less and less often.
		var err error
		if round <= 5 {
			select {
			case err = <-done:
			case <-time.After(time.Duration(rng.IntN(2500)) * time.Millisecond):
				cmd.Process.Signal(syscall.SIGKILL)
				err = <-done
			}
		} else {
			err = <-done
		}
		if exitCode(err) == exitOK {
			t.Logf("done after %d rounds", round)
			break
		}
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			t.Fatalf("round %d: exit %v\n%s", round, err, stderr.String())
		}
	}
	checkExactlyOnce(t, j)
}

func TestExitCodesAsAProcess(t *testing.T) {
	// Usage: 2, with nothing on stdout.
	cmd := asProcess(t, "-bogus")
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	if err := cmd.Run(); exitCode(err) != exitUsage || stdout.Len() != 0 {
		t.Fatalf("-bogus: exit %d, stdout %q", exitCode(err), stdout.String())
	}
	// Ctrl-C: 3.
	cmd = asProcess(t, "-json")
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	cmd.Process.Signal(os.Interrupt)
	if err := cmd.Wait(); exitCode(err) != exitInterrupted {
		t.Fatalf("SIGINT: exit %d", exitCode(err))
	}
	// Standard input as CSV, and -h does nothing else.
	cmd = asProcess(t, "-csv", "-")
	cmd.Stdin = strings.NewReader("," + sampleUser(1) + ",User\n")
	stdout.Reset()
	cmd.Stdout = &stdout
	if err := cmd.Run(); exitCode(err) != exitOK || !strings.Contains(stdout.String(), sampleUser(1)) {
		t.Fatalf("stdin: exit %d\n%s", exitCode(err), stdout.String())
	}
	cmd = asProcess(t, "-h")
	stdout.Reset()
	cmd.Stdout = &stdout
	if err := cmd.Run(); exitCode(err) != exitOK || !strings.HasPrefix(stdout.String(), "Usage:") || strings.Contains(stdout.String(), sampleUser(1)) {
		t.Fatalf("-h: exit %d, stdout %q", exitCode(err), stdout.String())
	}
}
