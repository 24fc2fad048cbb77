package provision

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

func finalLines(t *testing.T, path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range strings.Split(string(b), "\n") {
		var e entry
		if json.Unmarshal([]byte(l), &e) == nil && e.State != "" && e.final() {
			n++
		}
	}
	return n
}

// A provisionOnDemand answer (200, result Failure) whose errorMessage is
// long: it is kept whole in -json and in the journal, and the journal must
// still be resumable (the client reads answers of up to 64 MiB).
func TestAttackLongFailureMessageBreaksResume(t *testing.T) {
	srv, job := fakeReal(t, nil)
	msg := strings.Repeat("x", 17<<20)
	key, _ := json.Marshal(map[string]any{"result": "Failure", "details": map[string]string{"errorCode": "Boom", "errorMessage": msg}})
	value, _ := json.Marshal(map[string]any{"action": "Other"})
	body, _ := json.Marshal(map[string]string{"key": string(key), "value": string(value)})
	srv.InjectFault(graphtest.Fault{PathContains: "provisionOnDemand", Body: string(body)})
	j := filepath.Join(t.TempDir(), "j.jsonl")
	args := []string{"-job", job, "-journal", j, "-resume", j, "-subject", "User:" + sampleUser(1)}
	r := runArgs(t, context.Background(), "", append([]string{"-json"}, args...)...)
	var rows []entry
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil || len(rows) != 1 || rows[0].Result != "Failure" {
		t.Fatalf("exit %d: %v\n%s", r.code, err, r.stderr)
	}
	if len(rows[0].ErrorMessage) != len(msg) || finalLines(t, j) != 1 {
		t.Fatalf("message cut to %d bytes", len(rows[0].ErrorMessage))
	}
	// Run again until done: the subject already has its final line.
	r = runArgs(t, context.Background(), "", args...)
	if r.code != exitOK || !strings.Contains(r.stderr, "Nothing left to do") {
		t.Fatalf("resume of the run's own journal: exit %d\n%s", r.code, r.stderr)
	}
}

// An HTTP error whose message is long (100 KB): -json and the journal
// should carry Graph's code and whole message.
func TestAttackLongHTTPErrorMessageLost(t *testing.T) {
	srv, job := fakeReal(t, nil)
	msg := strings.Repeat("y", 100<<10)
	srv.InjectFault(graphtest.Fault{PathContains: "provisionOnDemand", Status: 400,
		Body: `{"error":{"code":"BadRequest","message":"` + msg + `"}}`})
	code, rows, stderr := runJSON(t, context.Background(), "-job", job, "-subject", "User:"+sampleUser(1))
	if code != exitFailed || len(rows) != 1 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if rows[0].ErrorCode != "BadRequest" || rows[0].ErrorMessage != msg {
		t.Fatalf("errorCode %q, errorMessage %d bytes (%.120q), want BadRequest and %d bytes", rows[0].ErrorCode, len(rows[0].ErrorMessage), rows[0].ErrorMessage, len(msg))
	}
}

// An object ID that is not UTF-8 (a CSV saved in a legacy code page).
func TestAttackInvalidUTF8ResumeExactlyOnce(t *testing.T) {
	_, job := fakeReal(t, nil)
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "s.csv")
	os.WriteFile(csvPath, []byte(",caf\xe9,User\n"), 0o600)
	j := filepath.Join(dir, "j.jsonl")
	for i := range 3 {
		r := runArgs(t, context.Background(), "", "-job", job, "-journal", j, "-resume", j, "-csv", csvPath)
		t.Logf("run %d: exit %d\n%s", i, r.code, r.stderr)
		if r.code == exitUsage {
			return // refused as input: fine
		}
	}
	if n := finalLines(t, j); n != 1 {
		t.Fatalf("one input line, %d final lines in the journal", n)
	}
}

// SIGTERM/Ctrl-C while preflight waits for GetJob.
func TestAttackInterruptDuringPreflight(t *testing.T) {
	srv, job := fakeReal(t, nil)
	srv.InjectFault(graphtest.Fault{Method: "GET", PathContains: "/jobs/" + job, Latency: 3 * time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	r := runArgs(t, ctx, "", "-job", job, "-subject", "User:"+sampleUser(1), "-subject", "User:"+sampleUser(2))
	t.Logf("exit %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
	if r.code != exitInterrupted {
		t.Fatalf("exit %d, want %d", r.code, exitInterrupted)
	}
	if !strings.Contains(r.stderr, sampleUser(1)) || !strings.Contains(r.stderr, sampleUser(2)) {
		t.Fatalf("interrupted, but what was not attempted is not listed:\n%s", r.stderr)
	}
}

// README: a configuration failure in the preflight exits 2, a server
// failure 1; either way nothing is sent and stdout stays empty.
func TestAttackPreflightServerErrorExit(t *testing.T) {
	srv, job := fakeReal(t, nil)
	srv.InjectFault(graphtest.Fault{Method: "GET", PathContains: "/jobs/" + job, Status: 500, Times: 100})
	r := runArgs(t, context.Background(), "", "-job", job, "-subject", "User:"+sampleUser(1))
	if n := provisionCalls(srv); n != 0 {
		t.Fatalf("%d sent", n)
	}
	if r.code != exitFailed || r.stdout != "" || !strings.Contains(r.stderr, "preflight") {
		t.Fatalf("exit %d stdout %q, want %d\n%s", r.code, r.stdout, exitFailed, r.stderr)
	}
}

func TestAttackGroupSplits(t *testing.T) {
	for _, n := range []int{5, 6, 10, 11} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			srv, job := fakeReal(t, func(s *graphtest.Server) {
				for i := 30; i < 30+n; i++ {
					s.AddUser(sampleUser(i), fmt.Sprintf("u%d@c.com", i))
				}
			})
			var m []string
			for i := 30; i < 30+n; i++ {
				m = append(m, sampleUser(i))
			}
			code, rows, stderr := runJSON(t, context.Background(), "-job", job, "-subject", "Group:8213fd99-d6b6-417b-8e13-af6334856215="+strings.Join(m, ";"))
			want := (n + 4) / 5
			if code != exitOK || len(rows) != 1 || provisionCalls(srv) != want || (want > 1 && rows[0].Parts != want) || len(rows[0].Members) != n {
				t.Fatalf("exit %d calls %d rows %+v\n%s", code, provisionCalls(srv), rows, stderr)
			}
		})
	}
}

func TestAttackSchemaRules(t *testing.T) {
	for name, rules := range map[string][]graphtest.Rule{
		"none": {{ID: "r1", Name: "G", Objects: []graphtest.ObjectMapping{{SourceObjectName: "Group", TargetObjectName: "Group"}}}},
		"two": {{ID: "r1", Name: "A", Objects: []graphtest.ObjectMapping{{SourceObjectName: "User", TargetObjectName: "User"}}},
			{ID: "r2", Name: "B", Objects: []graphtest.ObjectMapping{{SourceObjectName: "User", TargetObjectName: "User"}}}},
	} {
		t.Run(name, func(t *testing.T) {
			srv, job := fakeReal(t, nil)
			if err := srv.SetJobRules("sp-real", job, rules...); err != nil {
				t.Fatal(err)
			}
			r := runArgs(t, context.Background(), "", "-job", job, "-subject", "User:"+sampleUser(1))
			t.Logf("stderr %s", r.stderr)
			if r.code != exitUsage || r.stdout != "" || provisionCalls(srv) != 0 {
				t.Fatalf("exit %d stdout %q", r.code, r.stdout)
			}
		})
	}
}

func TestAttackEmptyVarsMeanReal(t *testing.T) {
	clearEnv(t)
	t.Setenv("GRAPHSYNC_JOB_ID", "")
	t.Setenv("GRAPHSYNC_SERVICE_PRINCIPAL_ID", "")
	r := runArgs(t, context.Background(), "", "-dry-run", "-subject", "User:"+sampleUser(1))
	t.Logf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	if r.code != exitUsage || strings.Contains(r.stderr, "Offline demo") || !strings.Contains(r.stderr, "-demo") {
		t.Fatalf("GRAPHSYNC_* set (empty) fell back to the demo, or the message does not say how to run it: exit %d", r.code)
	}
}

func TestAttackUnwritableJournal(t *testing.T) {
	srv, job := fakeReal(t, nil)
	r := runArgs(t, context.Background(), "", "-job", job, "-journal", "/nonexistent/dir/j", "-subject", "User:"+sampleUser(1))
	t.Logf("exit %d\n%s", r.code, r.stderr)
	if r.code != exitUsage || provisionCalls(srv) != 0 || r.stdout != "" {
		t.Fatalf("exit %d calls %d", r.code, provisionCalls(srv))
	}
}

func TestAttackCSVOdd(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	for name, tc := range map[string]struct {
		content string
		code    int
		lines   string
	}{
		"crlf-bom":       {"\ufeffruleId,objectId,objectTypeName\r\n\r\n," + sampleUser(1) + ",User\r\n", 0, "[3]"},
		"quoted-newline": {"\"\n\",\"" + sampleUser(1) + "\",User\n," + sampleUser(2) + ",User\n", 0, "[1 3]"},
		"case-space-dup": {"," + sampleUser(1) + ",User\n, " + strings.ToUpper(sampleUser(1)) + " , user \n", 0, "[1 2]"},
		"only-comments":  {"# a\n# b\n", 2, ""},
		"trailing-empty": {"," + sampleUser(1) + ",User,\n", 0, "[1]"},
	} {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(dir, name)
			os.WriteFile(p, []byte(tc.content), 0o600)
			r := runArgs(t, context.Background(), "", "-demo", "-json", "-csv", p)
			if r.code != tc.code {
				t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
			}
			if tc.code == 0 {
				var rows []entry
				json.Unmarshal([]byte(r.stdout), &rows)
				var ls []int
				for _, e := range rows {
					ls = append(ls, e.Line)
				}
				if fmt.Sprint(ls) != tc.lines {
					t.Fatalf("lines %v want %s\n%s", ls, tc.lines, r.stdout)
				}
			}
		})
	}
}

var _ = models.User

// README "Fail fast": a 403 ends the run after the first answer. The
// operator fixes the permission and resumes: the subject that got the
// 403 was never provisioned and must be sent again. Which of the two
// subjects meets the 403 depends on which request the server handles
// first, so the test reads it from the first run's output.
func TestAttackForbiddenSubjectResumedAfterFix(t *testing.T) {
	srv, job := fakeReal(t, nil)
	srv.InjectFault(graphtest.Fault{PathContains: "provisionOnDemand", Status: 403}) // once: then the permission is granted
	j := filepath.Join(t.TempDir(), "j.jsonl")
	args := []string{"-json", "-job", job, "-journal", j, "-resume", j, "-subject", "User:" + sampleUser(1), "-subject", "User:" + sampleUser(2)}
	r := runArgs(t, context.Background(), "", args...)
	var first []entry
	if err := json.Unmarshal([]byte(r.stdout), &first); err != nil || len(first) != 2 {
		t.Fatalf("first run: exit %d: %v\n%s\n%s", r.code, err, r.stdout, r.stderr)
	}
	var refused []string
	for _, e := range first {
		if e.State == stateNotAttempted {
			refused = append(refused, e.Subject)
		}
	}
	if len(refused) == 0 {
		t.Fatalf("first run: no subject left not-attempted after a 403\n%s", r.stdout)
	}
	// A run that left a subject unprovisioned did not succeed.
	if r.code != exitFailed || !strings.Contains(r.stderr, "not attempted (safe to run again): "+strings.Join(refused, " ")) {
		t.Fatalf("first run left %v not attempted: exit %d, want %d, and the list on stderr\n%s", refused, r.code, exitFailed, r.stderr)
	}
	r = runArgs(t, context.Background(), "", args...)
	var resumed []entry
	if err := json.Unmarshal([]byte(r.stdout), &resumed); err != nil {
		t.Fatalf("resumed: exit %d: %v\n%s\n%s", r.code, err, r.stdout, r.stderr)
	}
	var sent []string
	for _, e := range resumed {
		sent = append(sent, e.Subject)
		if e.Result != string(models.OutcomeSuccess) {
			t.Errorf("resumed %s: state %s result %q", e.Subject, e.State, e.Result)
		}
	}
	if r.code != exitOK || fmt.Sprint(sent) != fmt.Sprint(refused) {
		t.Fatalf("resumed run (exit %d) sent %v, want exactly %v (refused with 403 before the fix)\n%s", r.code, sent, refused, r.stderr)
	}
}

// A subject still throttled (429) after the client's retries was not
// processed by Graph; it must not get a final line that -resume skips.
func TestAttackThrottledSubjectIsNotFinal(t *testing.T) {
	srv, job := fakeReal(t, nil)
	srv.InjectFault(graphtest.Fault{PathContains: "provisionOnDemand", Status: 429, RetryAfter: "0", Times: 1000})
	j := filepath.Join(t.TempDir(), "j.jsonl")
	r := runArgs(t, context.Background(), "", "-json", "-job", job, "-journal", j, "-subject", "User:"+sampleUser(1))
	t.Logf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	if n := finalLines(t, j); n != 0 {
		t.Fatalf("a request throttled to the end has %d final journal line(s); -resume will never send it", n)
	}
}

// The README's own example reuses run.jsonl. A journal of a run against
// job A, resumed against job B (another app of the same template, so the
// same rule IDs): nothing was provisioned to B, yet everything is skipped.
func TestAttackResumeAcrossJobs(t *testing.T) {
	srv, jobA := fakeReal(t, nil)
	c, _ := srv.NewClient()
	jobB, err := c.CreateJob(context.Background(), "sp-real", models.SynchronizationJob{TemplateID: "scim"})
	if err != nil {
		t.Fatal(err)
	}
	j := filepath.Join(t.TempDir(), "run.jsonl")
	sub := "User:" + sampleUser(1)
	if r := runArgs(t, context.Background(), "", "-job", jobA, "-journal", j, "-resume", j, "-subject", sub); r.code != exitOK {
		t.Fatalf("job A: exit %d\n%s", r.code, r.stderr)
	}
	// Resuming job A's journal against job B is refused: it would skip
	// subjects never provisioned to B.
	before := provisionCalls(srv)
	r := runArgs(t, context.Background(), "", "-job", jobB.ID, "-journal", j, "-resume", j, "-subject", sub)
	if r.code != exitUsage || !strings.Contains(r.stderr, jobA) || provisionCalls(srv) != before {
		t.Fatalf("resuming job A's journal against job %s: exit %d, %d sent\n%s", jobB.ID, r.code, provisionCalls(srv)-before, r.stderr)
	}
}

// -subject and -csv together: every row's line should identify one input
// line; a duplicate's "same subject as line N" should point at the original.
func TestAttackSubjectAndCSVLinesCollide(t *testing.T) {
	clearEnv(t)
	p := filepath.Join(t.TempDir(), "s.csv")
	os.WriteFile(p, []byte(","+sampleUser(2)+",User\n,"+sampleUser(1)+",User\n"), 0o600)
	code, rows, stderr := runJSON(t, context.Background(), "-demo", "-subject", "User:"+sampleUser(1), "-csv", p)
	if code != exitOK || len(rows) != 3 {
		t.Fatalf("exit %d rows %+v\n%s", code, rows, stderr)
	}
	seen := map[string]string{}
	for _, e := range rows {
		at := fmt.Sprintf("%s line %d", e.Source, e.Line)
		if prev, ok := seen[at]; ok {
			t.Fatalf("two rows at %s: %s and %s (%s: %q)", at, prev, e.Subject, e.State, e.ErrorMessage)
		}
		seen[at] = e.Subject
	}
	// The duplicate points at its original: the -subject flag.
	if rows[2].State != stateDuplicate || !strings.Contains(rows[2].ErrorMessage, "-subject line 1") {
		t.Fatalf("duplicate row %+v", rows[2])
	}
}

// Two different object IDs that are not UTF-8 (a CSV saved as Latin-1):
// they are not the same subject, yet the second is reported a duplicate
// and not sent (strings.ToLower and JSON turn every invalid byte into
// U+FFFD). Input that is not UTF-8 should be refused with its line.
func TestAttackInvalidUTF8Collapses(t *testing.T) {
	clearEnv(t)
	p := filepath.Join(t.TempDir(), "latin1.csv")
	os.WriteFile(p, []byte(",caf\xe9,User\n,caf\xe8,User\n"), 0o600)
	r := runArgs(t, context.Background(), "", "-demo", "-json", "-csv", p)
	if r.code != exitUsage {
		t.Fatalf("exit %d, want %d (input not UTF-8)\n%s", r.code, exitUsage, r.stdout)
	}
}

func TestAttackOperatorMisc(t *testing.T) {
	clearEnv(t)
	// -dry-run -json: one JSON object on stdout.
	r := runArgs(t, context.Background(), "", "-demo", "-dry-run", "-json", "-subject", "User:"+sampleUser(1), "-subject", "User:"+sampleUser(1))
	var plan map[string]any
	if r.code != exitOK || json.Unmarshal([]byte(r.stdout), &plan) != nil || plan["duplicates"] != float64(1) {
		t.Fatalf("dry-run json: exit %d %q", r.code, r.stdout)
	}
	// Flags after a positional argument.
	if r := runArgs(t, context.Background(), "", "-demo", "extra", "-json"); r.code != exitUsage || r.stdout != "" {
		t.Fatalf("positional: exit %d", r.code)
	}
	// -csv - with nothing on stdin.
	if r := runArgs(t, context.Background(), "", "-demo", "-csv", "-"); r.code != exitUsage || r.stdout != "" || !strings.Contains(r.stderr, "no subjects") {
		t.Fatalf("empty stdin: exit %d %s", r.code, r.stderr)
	}
	// AZURE_CLIENT_SECRET alone: real, names all four, stdout empty.
	t.Setenv("AZURE_CLIENT_SECRET", "s")
	r = runArgs(t, context.Background(), "", "-subject", "User:x")
	_, missing, _ := strings.Cut(r.stderr, "missing: ")
	for _, m := range []string{"service principal", "the job", "AZURE_TENANT_ID", "AZURE_CLIENT_ID"} {
		if r.code != exitUsage || r.stdout != "" || !strings.Contains(missing, m) || strings.Contains(missing, "AZURE_CLIENT_SECRET") {
			t.Fatalf("secret alone: exit %d %s", r.code, r.stderr)
		}
	}
}
