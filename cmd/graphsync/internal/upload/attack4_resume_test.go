package upload

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/graphsync/graphsync/graphtest"
)

// Attack (issue #21 item 5, "-resume re-sends changed records"): a
// journal line counts only for the record it was written for. Here the
// record P2 was done as active=false (a leaver, final line A); the next
// export wrongly re-activates P2 and that record (B) is uploaded, but its
// outcome is not in the logs before -timeout (a non-final "unknown"
// line carrying B's fingerprint). The provisioning service applies B
// anyway: P2 is active again. The third export corrects P2 back to
// active=false, which is A's content: it has changed since the last
// upload (B) and must be sent again, yet -resume only compares with the
// last *final* line (A) and skips it, so the leaver keeps an active
// account.
func TestAttack4ResumeAfterUnknownUploadOfAnotherContent(t *testing.T) {
	srv, job := fakeReal(t, &graphtest.Options{InboundDelay: 20 * time.Millisecond})
	j := filepath.Join(t.TempDir(), "hr.jsonl")
	day := func(active2, timeout string) (result, int) {
		csv := writeFile(t, "hr.csv", "externalId,userName,active\n"+
			"P1,p1@contoso.com,true\nP2,p2@contoso.com,"+active2+"\n")
		before := bulkCalls(srv)
		r := runArgs(t, context.Background(), "", "-job", job, "-csv", csv, "-poll", "20ms", "-timeout", timeout, "-journal", j, "-resume", j)
		return r, bulkCalls(srv) - before
	}
	// Day 1: P2 is a leaver; both records get an outcome (final lines).
	if r, n := day("false", "10s"); r.code != exitOK || n != 1 {
		t.Fatalf("day 1: exit %d, %d upload(s)\n%s\n%s", r.code, n, r.stdout, r.stderr)
	}
	if u, _ := srv.InboundUser("P2"); u.Active {
		t.Fatalf("day 1: P2 active: %+v", u)
	}
	// Day 2: P2 wrongly active=true; the first poll of the logs stalls
	// past -timeout, so P2's line is "unknown" (not final).
	srv.InjectFault(graphtest.Fault{Method: "GET", PathContains: "auditLogs/provisioning", Nth: 2, Latency: time.Hour})
	r, n := day("true", "500ms")
	if n != 1 || !strings.Contains(r.stdout, "unknown") {
		t.Fatalf("day 2: exit %d, %d upload(s)\n%s\n%s", r.code, n, r.stdout, r.stderr)
	}
	time.Sleep(200 * time.Millisecond) // the service applies what it staged
	if u, _ := srv.InboundUser("P2"); !u.Active {
		t.Fatalf("day 2: the upload of active=true was not applied: %+v", u)
	}
	// Day 3: P2 corrected to active=false: it differs from what was last
	// uploaded, so it must be uploaded again.
	r, n = day("false", "10s")
	time.Sleep(200 * time.Millisecond)
	u, _ := srv.InboundUser("P2")
	if n != 1 || u.Active {
		t.Fatalf("day 3: %d upload(s); P2 active=%v in the directory although the HR export says false\n%s\n%s", n, u.Active, r.stdout, r.stderr)
	}
}
