package upload

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/graphsync/graphsync/graphtest"
)

// A bulkUpload still throttled after the client's retries is no refusal
// of its records: they must not be final (rejected), so that -resume
// sends them again.
func TestAttackThrottledUploadIsNotRejected(t *testing.T) {
	srv, job := fakeReal(t, nil)
	csv := writeFile(t, "hr.csv", hrCSV(3))
	srv.InjectFault(graphtest.Fault{PathContains: "/bulkUpload", Status: 429, RetryAfter: "0", Times: 1000})
	j := filepath.Join(t.TempDir(), "j.jsonl")
	code, rows, stderr := runJSON(t, context.Background(), "", "-job", job, "-csv", csv, "-poll", "20ms", "-timeout", "300ms", "-journal", j, "-resume", j)
	t.Logf("exit %d\n%s", code, stderr)
	if len(rows) != 3 {
		t.Fatalf("rows %+v", rows)
	}
	for _, r := range rows {
		if r.State == stateRejected {
			t.Fatalf("a throttled (429) upload is journalled as rejected, which -resume never sends again: %+v", r)
		}
	}
}

// A bulkUpload refused with 403 (the app lacks
// SynchronizationData-User.Upload, while GetJob and the logs preflight
// pass): the operator grants the permission and resumes. The records
// were never provisioned, so the resumed run must upload them.
func TestAttackForbiddenUploadResumedAfterFix(t *testing.T) {
	srv, job := fakeReal(t, &graphtest.Options{InboundDelay: 20 * time.Millisecond})
	csv := writeFile(t, "hr.csv", hrCSV(3))
	srv.InjectFault(graphtest.Fault{PathContains: "/bulkUpload", Status: 403}) // once: then the permission is granted
	j := filepath.Join(t.TempDir(), "j.jsonl")
	args := []string{"-job", job, "-csv", csv, "-poll", "20ms", "-timeout", "5s", "-journal", j, "-resume", j}
	r := runArgs(t, context.Background(), "", args...)
	if r.code != exitFailed {
		t.Fatalf("first run, refused with 403: exit %d, want %d\n%s", r.code, exitFailed, r.stderr)
	}
	r = runArgs(t, context.Background(), "", args...)
	t.Logf("resumed: exit %d\n%s", r.code, r.stderr)
	if n := bulkCalls(srv); n != 2 {
		t.Fatalf("resumed run exit %d with %d bulkUpload call(s) in all: the 403'd records were journalled final and never uploaded", r.code, n)
	}
}

// README: any GRAPHSYNC_* variable that is set, even empty (an unset shell
// variable exported), means real Graph, not the demo.
func TestAttackEmptyVarsMeanReal(t *testing.T) {
	clearEnv(t)
	t.Setenv("GRAPHSYNC_JOB_ID", "")
	t.Setenv("GRAPHSYNC_SERVICE_PRINCIPAL_ID", "")
	r := runArgs(t, context.Background(), "", "-csv", writeFile(t, "hr.csv", hrCSV(1)), "-poll", "20ms")
	t.Logf("exit %d\n%s", r.code, r.stderr)
	if r.code != exitUsage {
		t.Fatalf("GRAPHSYNC_* set (empty) ran the demo: exit %d", r.code)
	}
}

func TestAttackInboundCSVOdd(t *testing.T) {
	for name, tc := range map[string]struct {
		content string
		code    int
	}{
		"bom-crlf-comment": {"\ufeff# export\r\nexternalId,userName\r\n\r\nE1,e1@contoso.com\r\n", 0},
		"quoted-newline":   {"externalId,displayName,userName\r\nE1,\"two\r\nlines\",e1@contoso.com\r\nE2,x,e2@contoso.com\r\n", 0},
		"only-comments":    {"# a\n# b\n", 2},
		"header-only-bom":  {"\ufeffexternalId,userName\r\n", 2},
		"dup-space":        {"externalId,userName\nE1,a@contoso.com\n E1 ,b@contoso.com\n", 2},
	} {
		t.Run(name, func(t *testing.T) {
			r := runArgs(t, context.Background(), "", "-demo", "-json", "-poll", "20ms", "-csv", writeFile(t, "x.csv", tc.content))
			if r.code != tc.code {
				t.Fatalf("exit %d want %d\n%s\n%s", r.code, tc.code, r.stdout, r.stderr)
			}
		})
	}
}

func TestAttackInboundInterruptDuringPreflight(t *testing.T) {
	srv, job := fakeReal(t, nil)
	srv.InjectFault(graphtest.Fault{Method: "GET", PathContains: "/jobs/" + job, Latency: 3 * time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	r := runArgs(t, ctx, "", "-job", job, "-csv", writeFile(t, "hr.csv", hrCSV(2)))
	if r.code != exitInterrupted || r.stdout != "" || bulkCalls(srv) != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
}
