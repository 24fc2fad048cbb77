package upload

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/graphsync/graphsync/cmd/graphsync/internal/cli"
	"github.com/graphsync/graphsync/cmd/graphsync/internal/hrcsv"
	"github.com/graphsync/graphsync/cmd/graphsync/internal/testenv"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

// TestMain doubles as the program itself for the tests that need a
// process of their own (signals, exit codes, standard input).
func TestMain(m *testing.M) {
	if os.Getenv("INBOUND_AS_MAIN") == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := cli.Execute(ctx, Command(), "upload", os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	goleak.VerifyTestMain(m)
}

// clearEnv unsets every AZURE_* and GRAPHSYNC_* variable for the test.
func clearEnv(t *testing.T) { testenv.Clear(t) }

type result struct {
	code           int
	stdout, stderr string
}

func runArgs(t *testing.T, ctx context.Context, stdin string, args ...string) result {
	t.Helper()
	return runWith(t, ctx, nil, stdin, args...)
}

// runWith runs graphsync upload in-process with opts.
func runWith(t *testing.T, ctx context.Context, opts *cli.Options, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := cli.ExecuteWith(ctx, Command(), "upload", args, strings.NewReader(stdin), &stdout, &stderr, opts)
	return result{code, stdout.String(), stderr.String()}
}

func runJSON(t *testing.T, ctx context.Context, stdin string, args ...string) (int, []entry, string) {
	t.Helper()
	r := runArgs(t, ctx, stdin, append([]string{"-json"}, args...)...)
	var rows []entry
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s\nstderr: %s", err, r.stdout, r.stderr)
	}
	return r.code, rows, r.stderr
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDemoRunsOffline(t *testing.T) {
	clearEnv(t)
	code, rows, stderr := runJSON(t, context.Background(), "")
	if code != exitOK || len(rows) != 60 || !strings.Contains(stderr, "Offline demo") {
		t.Fatalf("exit %d, %d rows\n%s", code, len(rows), stderr)
	}
	got := map[string]int{}
	for _, r := range rows {
		if r.State != stateOutcome || r.ChangeID == "" {
			t.Fatalf("row %+v", r)
		}
		got[r.Action+"/"+r.Status]++
	}
	if got["update/success"] != 1 || got["disable/success"] != 1 || got["other/skipped"] != 1 || got["create/success"] != 57 {
		t.Fatalf("outcomes %v", got)
	}
	if rows[0].Line != 3 || rows[0].ExternalID != "E1001" {
		t.Fatalf("first row %+v", rows[0])
	}
	// The table names each record's action and status.
	r := runArgs(t, context.Background(), "")
	if r.code != exitOK || strings.Count(r.stdout, "create   success") != 57 || !strings.Contains(r.stdout, "RECOMMENDED ACTION") {
		t.Fatalf("table:\n%s", r.stdout)
	}
}

func TestNoSilentDemo(t *testing.T) {
	csv := writeFile(t, "hr.csv", "externalId,userName\nX1,x1@contoso.com\n")
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
		// Complete configuration without input: no sample for real Graph.
		{map[string]string{"GRAPHSYNC_SERVICE_PRINCIPAL_ID": "sp", "GRAPHSYNC_JOB_ID": "j"}, nil, []string{"no records"}, nil},
	} {
		t.Run(fmt.Sprint(tc.env, tc.args), func(t *testing.T) {
			clearEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			args := tc.args
			if tc.missing[0] != "no records" {
				args = append(args, "-csv", csv)
			}
			r := runArgs(t, context.Background(), "", args...)
			if r.code != exitUsage || r.stdout != "" {
				t.Fatalf("exit %d, stdout %q", r.code, r.stdout)
			}
			missing := r.stderr
			if _, m, ok := strings.Cut(r.stderr, "missing: "); ok {
				missing = m
			}
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
			if strings.Contains(r.stderr, "Offline demo") {
				t.Errorf("fell back to the demo: %s", r.stderr)
			}
		})
	}
	// -demo forces the demo even when the environment names real Graph.
	clearEnv(t)
	t.Setenv("AZURE_TENANT_ID", "t")
	if r := runArgs(t, context.Background(), "", "-demo", "-csv", csv); r.code != exitOK || !strings.Contains(r.stderr, "Offline demo") {
		t.Fatalf("-demo: exit %d\n%s", r.code, r.stderr)
	}
}

// fakeReal points "real" runs at a graphtest server with an API-driven
// job, as an operator points graphsync at another Graph
// (GRAPHSYNC_GRAPH_URL and GRAPHSYNC_TOKEN).
func fakeReal(t *testing.T, opts *graphtest.Options) (*graphtest.Server, string) {
	t.Helper()
	srv := graphtest.NewServer(opts)
	t.Cleanup(srv.Close)
	srv.AddServicePrincipal("sp-real", "API2AAD")
	c, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	job, err := c.CreateJob(context.Background(), "sp-real", models.SynchronizationJob{TemplateID: "API2AAD"})
	if err != nil {
		t.Fatal(err)
	}
	clearEnv(t)
	t.Setenv("GRAPHSYNC_GRAPH_URL", srv.URL)
	t.Setenv("GRAPHSYNC_TOKEN", srv.Token())
	t.Setenv("GRAPHSYNC_SERVICE_PRINCIPAL_ID", "sp-real")
	return srv, job.ID
}

func bulkCalls(srv *graphtest.Server) int {
	n := 0
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/bulkUpload") {
			n++
		}
	}
	return n
}

// hrCSV returns a CSV of n people, with the given extra lines.
func hrCSV(n int, extra ...string) string {
	var b strings.Builder
	b.WriteString(`externalId,userName,displayName,"emails[type eq ""work""].value",urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department` + "\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "P%03d,p%03d@contoso.com,Person %d,p%03d@contoso.com,Sales\n", i, i, i, i)
	}
	for _, l := range extra {
		b.WriteString(l + "\n")
	}
	return b.String()
}

func TestRealRunUploadsInChunksAndFollowsTheLogs(t *testing.T) {
	srv, job := fakeReal(t, &graphtest.Options{InboundDelay: 50 * time.Millisecond})
	csv := writeFile(t, "hr.csv", hrCSV(120, "NONAME,,Nobody,,Sales"))
	code, rows, stderr := runJSON(t, context.Background(), "", "-job", job, "-csv", csv, "-poll", "20ms", "-timeout", "10s")
	if code != exitFailed || len(rows) != 121 {
		t.Fatalf("exit %d, %d rows\n%s", code, len(rows), stderr)
	}
	if n := bulkCalls(srv); n != 3 {
		t.Fatalf("%d bulkUpload calls for 121 records", n)
	}
	for _, r := range rows[:120] {
		if r.Action != "create" || r.Status != "success" || r.TargetID == "" {
			t.Fatalf("row %+v", r)
		}
	}
	last := rows[120]
	if last.Line != 122 || last.Status != "failure" || last.ErrorCode == "" || last.Reason == "" || last.RecommendedAction == "" {
		t.Fatalf("failed row %+v", last)
	}
	u, ok := srv.InboundUser("P007")
	if !ok || u.Attributes[`emails[type eq "work"].value`] != "p007@contoso.com" ||
		u.Attributes[models.SCIMEnterpriseUserSchema+":department"] != "Sales" {
		t.Fatalf("P007 = %+v", u)
	}
	// Running again: the earlier events are not taken for new outcomes;
	// every record is now skipped (unchanged).
	code, rows, stderr = runJSON(t, context.Background(), "", "-job", job, "-csv", writeFile(t, "again.csv", hrCSV(120)), "-poll", "20ms", "-timeout", "10s")
	if code != exitOK || len(rows) != 120 || rows[0].Status != "skipped" {
		t.Fatalf("second run: exit %d, %d rows %+v\n%s", code, len(rows), rows[:1], stderr)
	}
}

func TestPreflightAndRefusedRequests(t *testing.T) {
	srv, job := fakeReal(t, nil)
	csv := writeFile(t, "hr.csv", hrCSV(3))
	r := runArgs(t, context.Background(), "", "-job", "no-such-job", "-csv", csv)
	if r.code != exitUsage || r.stdout != "" || !strings.Contains(r.stderr, "preflight") || bulkCalls(srv) != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	// A request Graph refuses: its records are rejected (final), exit 1.
	srv.InjectFault(graphtest.Fault{PathContains: "/bulkUpload", Status: 400})
	code, rows, stderr := runJSON(t, context.Background(), "", "-job", job, "-csv", csv, "-poll", "20ms")
	if code != exitFailed || len(rows) != 3 || rows[0].State != stateRejected || rows[0].ErrorCode == "" {
		t.Fatalf("exit %d rows %+v\n%s", code, rows, stderr)
	}
	// No outcome before -timeout: unknown, exit 1.
	srv2, job2 := fakeReal(t, &graphtest.Options{InboundDelay: time.Hour})
	code, rows, stderr = runJSON(t, context.Background(), "", "-job", job2, "-csv", csv, "-poll", "20ms", "-timeout", "200ms")
	if code != exitFailed || rows[0].State != stateUnknown || !strings.Contains(stderr, "no outcome after") {
		t.Fatalf("exit %d rows %+v\n%s", code, rows, stderr)
	}
	_ = srv2
}

func TestCSV(t *testing.T) {
	clearEnv(t)
	good := writeFile(t, "bom.csv", "\ufeff# exported 2024-05-01\n"+
		`EXTERNALID,userName,name.givenName,emails[work].value,phoneNumbers[type eq "mobile"].value,addresses[work].locality,active,`+
		`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager,urn:contoso:hr:1.0:User:HireDate`+"\n\n"+
		"A1,a1@contoso.com,Ann,a1@contoso.com,+1 555 0100,Oslo,true,,2024-01-01\n"+
		"\n"+
		"A2,a2@contoso.com,Bo,,,,FALSE,A1,\n")
	recs, err := hrcsv.Read("bom.csv", mustOpen(t, good))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].Line != 4 || recs[1].Line != 6 {
		t.Fatalf("records %+v", recs)
	}
	a1, a2 := recs[0].User, recs[1].User
	if a1.ExternalID != "A1" || a1.Name.GivenName != "Ann" || a1.Emails[0] != (models.SCIMValue{Type: "work", Value: "a1@contoso.com"}) ||
		a1.PhoneNumbers[0].Type != "mobile" || a1.Addresses[0].Locality != "Oslo" || !*a1.Active ||
		a1.Extensions["urn:contoso:hr:1.0:User"]["HireDate"] != "2024-01-01" || a1.Enterprise != nil {
		t.Fatalf("A1 = %+v", a1)
	}
	if *a2.Active || a2.Enterprise.Manager.Value != "A1" || a2.Emails != nil || a2.Extensions != nil {
		t.Fatalf("A2 = %+v", a2)
	}
	// The demo uploads it as it is.
	code, rows, stderr := runJSON(t, context.Background(), "", "-demo", "-csv", good)
	if code != exitOK || len(rows) != 2 || rows[1].Line != 6 {
		t.Fatalf("exit %d rows %+v\n%s", code, rows, stderr)
	}
	// Errors name the physical line (and the column).
	for content, want := range map[string]string{
		"externalId,userName\n\n\nX1,x,extra\n": "line 4: 3 columns",
		"externalId,active\nX1,maybe\n":         "line 2 column 2 (active)",
		"externalId,colour\nX1,red\n":           "line 1 (header): column 2",
		"userName\nx@contoso.com\n":             "no externalId column",
		"externalId,userName\nX1,a\nX1,b\n":     "line 3: externalId \"X1\" is also on line 2",
		"externalId,userName\n,a\n":             "line 2: externalId is empty",
		"externalId,externalid\nX1,X1\n":        "repeats column 1",
		"externalId,userName\nX1,a\n# note\n":   "line 3: 1 columns; the header has 2 (a line starting with # is a comment only before the header",
		"externalId,title\nX1,\"a\nX2,b\n":      "line 2: a quoted cell that starts on this line is not closed",
		"externalId,title\nX1,O\"Neil\n":        "line 2 column 5: a quote inside a cell that does not start with one",
		"externalId,emails[home].colour\nX,y\n": "value, display and primary",
		"externalId,urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:colour\nX,y\n": "enterprise",
	} {
		p := writeFile(t, "bad.csv", content)
		if r := runArgs(t, context.Background(), "", "-demo", "-csv", p); r.code != exitUsage || !strings.Contains(r.stderr, want) || r.stdout != "" {
			t.Errorf("%q: exit %d: %s", content, r.code, r.stderr)
		}
	}
	// Empty and header-only inputs are errors, not the sample.
	for _, content := range []string{"", "\ufeff", "externalId,userName\n", "\n\n# nothing\n"} {
		p := writeFile(t, "empty.csv", content)
		if r := runArgs(t, context.Background(), "", "-demo", "-csv", p); r.code != exitUsage || !strings.Contains(r.stderr, "no records") {
			t.Errorf("%q: exit %d: %s", content, r.code, r.stderr)
		}
	}
	// -csv - reads standard input.
	code, rows, stderr = runJSON(t, context.Background(), "externalId,userName\nS1,s1@contoso.com\n", "-demo", "-csv", "-")
	if code != exitOK || len(rows) != 1 || rows[0].ExternalID != "S1" {
		t.Fatalf("stdin: exit %d %+v\n%s", code, rows, stderr)
	}
}

func mustOpen(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func readEntries(t *testing.T, path string) []entry {
	t.Helper()
	f := mustOpen(t, path)
	var out []entry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e entry
		if json.Unmarshal(sc.Bytes(), &e) == nil {
			out = append(out, e)
		}
	}
	return out
}

func TestJournalAndResume(t *testing.T) {
	clearEnv(t)
	j := filepath.Join(t.TempDir(), "journal.jsonl")
	// A torn line from a killed run is ignored.
	os.WriteFile(j, []byte(`{"line":3,"externalId":"E10`), 0o600)
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // interrupted before anything is uploaded
	r := runArgs(t, ctx, "", "-journal", j, "-resume", j)
	if r.code != exitInterrupted {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	r = runArgs(t, context.Background(), "", "-journal", j, "-resume", j)
	if r.code != exitOK || !strings.Contains(r.stderr, "ignored 1 unreadable line") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	final := map[string]int{}
	for _, e := range readEntries(t, j) {
		if e.final() {
			final[e.ExternalID]++
		}
	}
	if len(final) != 60 {
		t.Fatalf("%d records with a final line", len(final))
	}
	for id, n := range final {
		if n != 1 {
			t.Fatalf("%s has %d final lines", id, n)
		}
	}
	r = runArgs(t, context.Background(), "", "-journal", j, "-resume", j)
	if r.code != exitOK || !strings.Contains(r.stderr, "Nothing left to do") || !strings.Contains(r.stderr, "60 record(s) already done") {
		t.Fatalf("done: exit %d\n%s", r.code, r.stderr)
	}
}

// asProcess runs this test binary as the inbound program.
func asProcess(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = []string{"INBOUND_AS_MAIN=1", "PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
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

func TestExitCodesAsAProcess(t *testing.T) {
	var stdout bytes.Buffer
	for _, tc := range []struct {
		args  []string
		env   string
		stdin string
		want  int
		out   string
	}{
		{args: []string{"-bogus"}, want: exitUsage},
		{args: []string{"-h"}, want: exitOK, out: "Usage: upload"},
		{env: "GRAPHSYNC_JOB_ID=j", want: exitUsage},
		{args: []string{"-csv", "-"}, stdin: "externalId,userName\nS1,s1@contoso.com\n", want: exitOK, out: "S1"},
		{args: []string{"-csv", "-"}, stdin: "externalId,userName\nS1,\n", want: exitFailed, out: "AttributeValueRequired"},
		{args: []string{"-csv", "-"}, stdin: "", want: exitUsage},
	} {
		cmd := asProcess(t, tc.args...)
		if tc.env != "" {
			cmd.Env = append(cmd.Env, tc.env)
		}
		cmd.Stdin = strings.NewReader(tc.stdin)
		stdout.Reset()
		cmd.Stdout = &stdout
		err := cmd.Run()
		if exitCode(err) != tc.want || (tc.out == "" && stdout.Len() != 0) || !strings.Contains(stdout.String(), tc.out) {
			t.Errorf("%v %s: exit %d, stdout %q", tc.args, tc.env, exitCode(err), stdout.String())
		}
	}
	// Ctrl-C while following the logs: 3.
	cmd := asProcess(t, "-json", "-timeout", "1m")
	cmd.Stdin = strings.NewReader("")
	cmd.Stdout = &stdout
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Signal once the upload is done and the logs are followed.
	var stderr strings.Builder
	sc := bufio.NewScanner(pipe)
	for sc.Scan() {
		stderr.WriteString(sc.Text() + "\n")
		if strings.Contains(sc.Text(), "following the provisioning logs") {
			break
		}
	}
	go func() {
		for sc.Scan() {
		}
	}()
	cmd.Process.Signal(os.Interrupt)
	if err := cmd.Wait(); exitCode(err) != exitInterrupted && exitCode(err) != exitOK {
		t.Fatalf("SIGINT: exit %d\n%s", exitCode(err), stderr.String())
	}
}

// A bulkUpload refused for a reason that is not its records' (the
// permission, the job, the pace) stops the upload at the first such
// answer: its records and the rest stay not final, the run says why and
// exits 1, and a resumed run uploads them.
func TestRefusalNotOfTheRecordsStopsTheUpload(t *testing.T) {
	for _, status := range []int{401, 403, 404, 408, 409} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			srv, job := fakeReal(t, &graphtest.Options{InboundDelay: 20 * time.Millisecond})
			csv := writeFile(t, "hr.csv", hrCSV(120))
			srv.InjectFault(graphtest.Fault{PathContains: "/bulkUpload", Nth: 2, Times: 1000, Status: status, RetryAfter: "0"})
			j := filepath.Join(t.TempDir(), "j.jsonl")
			args := []string{"-job", job, "-csv", csv, "-poll", "20ms", "-timeout", "10s", "-journal", j, "-resume", j}
			code, rows, stderr := runJSON(t, context.Background(), "", args...)
			if code != exitFailed || len(rows) != 120 || !strings.Contains(stderr, "stopped uploading") || !strings.Contains(stderr, fmt.Sprint(status)) {
				t.Fatalf("exit %d, %d rows\n%s", code, len(rows), stderr)
			}
			for i, r := range rows {
				switch {
				case i < 50 && r.State != stateOutcome,
					i >= 50 && r.State != stateNotUploaded,
					i >= 50 && i < 100 && r.Reason == "",
					i >= 100 && r.Reason != "":
					t.Fatalf("row %d: %+v", i, r)
				}
			}
			if status != 408 { // the client retries a 408
				if n := bulkCalls(srv); n != 2 {
					t.Fatalf("%d bulkUpload calls: the upload went on after the refusal", n)
				}
			}
			done, _, err := readJournal(j, "sp-real", job, nil)
			if err != nil || len(done) != 50 {
				t.Fatalf("%d final records in the journal, %v", len(done), err)
			}
		})
	}
	// Refusals of the content are final.
	for _, status := range []int{413, 415, 422} {
		srv, job := fakeReal(t, nil)
		srv.InjectFault(graphtest.Fault{PathContains: "/bulkUpload", Status: status})
		code, rows, stderr := runJSON(t, context.Background(), "", "-job", job, "-csv", writeFile(t, "hr.csv", hrCSV(2)), "-poll", "20ms")
		if code != exitFailed || rows[0].State != stateRejected || rows[1].State != stateRejected {
			t.Fatalf("%d: exit %d rows %+v\n%s", status, code, rows, stderr)
		}
	}
}

// A transport error stops the upload too: the request's records are
// watched in the logs (Graph may have staged it), the rest not uploaded.
func TestTransportErrorStopsTheUpload(t *testing.T) {
	srv, job := fakeReal(t, &graphtest.Options{InboundDelay: 20 * time.Millisecond})
	srv.InjectFault(graphtest.Fault{PathContains: "/bulkUpload", Nth: 2, Times: 1000, Drop: true})
	code, rows, stderr := runJSON(t, context.Background(), "", "-job", job, "-csv", writeFile(t, "hr.csv", hrCSV(120)), "-poll", "20ms", "-timeout", "500ms")
	if code != exitFailed || len(rows) != 120 || !strings.Contains(stderr, "stopped uploading") {
		t.Fatalf("exit %d, %d rows\n%s", code, len(rows), stderr)
	}
	if rows[0].State != stateOutcome || rows[50].State != stateUnknown || rows[100].State != stateNotUploaded {
		t.Fatalf("rows %+v %+v %+v", rows[0], rows[50], rows[100])
	}
}

// Journal lines name the service principal and the job; against real
// Graph, -resume with another job's journal is refused before anything is
// sent, naming both jobs.
func TestResumeRefusesAnotherJobsJournal(t *testing.T) {
	srv, job := fakeReal(t, &graphtest.Options{InboundDelay: 20 * time.Millisecond})
	csv := writeFile(t, "hr.csv", hrCSV(2))
	j := filepath.Join(t.TempDir(), "j.jsonl")
	if r := runArgs(t, context.Background(), "", "-job", job, "-csv", csv, "-poll", "20ms", "-journal", j); r.code != exitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	b, _ := os.ReadFile(j)
	if !strings.Contains(string(b), `"servicePrincipalId":"sp-real"`) || !strings.Contains(string(b), `"jobId":"`+job+`"`) {
		t.Fatalf("journal:\n%s", b)
	}
	c, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	other, err := c.CreateJob(context.Background(), "sp-real", models.SynchronizationJob{TemplateID: "API2AAD"})
	if err != nil {
		t.Fatal(err)
	}
	calls := bulkCalls(srv)
	r := runArgs(t, context.Background(), "", "-job", other.ID, "-csv", csv, "-resume", j)
	if r.code != exitUsage || !strings.Contains(r.stderr, job) || !strings.Contains(r.stderr, other.ID) || bulkCalls(srv) != calls {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	// The same job resumes.
	r = runArgs(t, context.Background(), "", "-job", job, "-csv", csv, "-resume", j)
	if r.code != exitOK || !strings.Contains(r.stderr, "Nothing left to do") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
}

// A journal line as long as a run can write (a reason of up to 64 MiB)
// still resumes.
func TestJournalLongLine(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and reads a 65 MiB line")
	}
	j := filepath.Join(t.TempDir(), "j.jsonl")
	jr, err := openJournal(j, "sp", "job", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := jr.Write(entry{Line: 2, ExternalID: "L1", State: stateRejected, Reason: strings.Repeat("x", 65<<20)}); err != nil {
		t.Fatal(err)
	}
	if err := jr.Write(entry{Line: 3, ExternalID: "L2", State: stateOutcome}); err != nil {
		t.Fatal(err)
	}
	jr.Close()
	done, torn, err := readJournal(j, "sp", "job", nil)
	_, l1 := done["L1"]
	_, l2 := done["L2"]
	if err != nil || torn != 0 || !l1 || !l2 {
		t.Fatalf("done %v torn %d: %v", done, torn, err)
	}
}

// A cell that is not valid UTF-8 is refused, naming its physical line.
func TestCSVNotUTF8(t *testing.T) {
	for content, want := range map[string]string{
		"externalId,userName\nA1,a\xe9@contoso.com\n":                "line 2 column 2: not valid UTF-8",
		"externalId,displayName\n\nA1,\"one\nM\xfcller\"\n":          "line 4 column 2: not valid UTF-8",
		"externalId,displayName\xff\nA1,x\n":                         "line 1 column 2: not valid UTF-8",
		"externalId,displayName\nA1,\"ok\nok\"\nA2,\"x\n\ny\xc3\"\n": "line 6 column 2: not valid UTF-8",
	} {
		r := runArgs(t, context.Background(), "", "-demo", "-csv", writeFile(t, "latin1.csv", content))
		if r.code != exitUsage || !strings.Contains(r.stderr, want) || r.stdout != "" {
			t.Errorf("%q: exit %d: %s", content, r.code, r.stderr)
		}
	}
}

// A header with two spellings of one attribute is refused before
// anything is sent (package hrcsv's tests hold the spellings).
func TestHeaderAliasRefusedBeforeSending(t *testing.T) {
	srv, job := fakeReal(t, nil)
	csv := writeFile(t, "hr.csv", "externalId,urn:ietf:params:scim:schemas:core:2.0:User:externalId\nA1,A2\n")
	r := runArgs(t, context.Background(), "", "-job", job, "-csv", csv, "-poll", "20ms", "-timeout", "1s")
	if r.code != exitUsage || bulkCalls(srv) != 0 || !strings.Contains(r.stderr, "column 2") || !strings.Contains(r.stderr, "column 1") {
		t.Fatalf("exit %d, %d sent\n%s", r.code, bulkCalls(srv), r.stderr)
	}
}
