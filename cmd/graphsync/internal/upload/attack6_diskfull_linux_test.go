//go:build linux

package upload

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/graphsync/graphsync/graphtest"
)

// init, in the test binary run as the program (asProcess) with
// INBOUND_FSIZE set, limits the size of the files it writes, as a full
// disk does: a write past the limit fails (EFBIG; Go ignores SIGXFSZ).
func init() {
	if os.Getenv("INBOUND_AS_MAIN") != "1" {
		return
	}
	if n, err := strconv.ParseUint(os.Getenv("INBOUND_FSIZE"), 10, 64); err == nil {
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: n, Max: n}); err != nil {
			panic(err)
		}
	}
}

// Attack (README: "a pending line for each record before the request
// that carries it"; the program says "stopped uploading: without the
// journal, a run that stops early could send records twice"): the run
// stops uploading when a request's pending lines cannot be written, but
// not when the journal failed earlier, writing outcomes (a disk that
// fills while the run follows the logs). Its retries (and a killed run's
// records sent after their outcome) are then sent with no pending line:
// a run killed from there leaves nothing saying they were sent, and the
// next one sends them again while they may still be in Graph's pipeline,
// taking their late event for the outcome of what it sends.
func TestAttack6JournalFullRetriesSentWithoutPendingLines(t *testing.T) {
	srv, job := fakeReal(t, &graphtest.Options{InboundDelay: 20 * time.Millisecond})
	st := filepath.Join(t.TempDir(), "hr.state")
	clerks := people(ids(1, 5), "Clerk")
	if d := runDaily(t, srv, job, writeFile(t, "d1.csv", clerks), st); d.code != exitOK {
		t.Fatalf("day 1: %+v", d)
	}
	fi, err := os.Stat(st + ".journal")
	if err != nil {
		t.Fatal(err)
	}
	// Room for P003's pending line (about 250 bytes), not for its
	// outcome line after it.
	limit := fi.Size() + 320
	srv.InjectInboundFailure(graphtest.InboundFailure{ExternalID: "P003", Transient: true, Times: 1})
	today := writeFile(t, "d2.csv", strings.Replace(clerks, "p003@contoso.com,Clerk", "p003@contoso.com,Manager", 1))
	before := bulkCalls(srv)
	cmd := asProcess(t, "-json", "-job", job, "-csv", today, "-state", st, "-poll", "20ms", "-timeout", "10s", "-skew", "0s", "-retry-wait", "10ms")
	cmd.Env = append(cmd.Env, "GRAPHSYNC_GRAPH_URL="+srv.URL, "GRAPHSYNC_TOKEN="+srv.Token(), "GRAPHSYNC_SERVICE_PRINCIPAL_ID=sp-real",
		fmt.Sprintf("INBOUND_FSIZE=%d", limit))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	fi2, _ := os.Stat(st + ".journal")
	if fi2 == nil || fi2.Size() <= fi.Size() || !strings.Contains(stderr.String(), "journal:") {
		t.Fatalf("the journal did not fill as planned (%d bytes, was %d)\n%s", fi2.Size(), fi.Size(), stderr.String())
	}
	if calls := bulkCalls(srv) - before; calls != 1 || exitCode(err) != exitFailed {
		t.Fatalf("the journal failed writing P003's outcome; the run then sent P003 again in %d more request(s) with no pending line, exit %d (want 0 more, exit 1)\n%s",
			calls-1, exitCode(err), stderr.String())
	}
	// With room again, the next run follows P003's pending line to its
	// failure, sends it again (a retry) and the state takes it.
	d := runDaily(t, srv, job, today, st)
	if _, state := readState(t, st); d.code != exitOK || d.calls != 1 || d.rep.Summary.Retried != 1 || state["P003"] == "" {
		t.Fatalf("the next run: exit %d, %d call(s), %+v\n%s", d.code, d.calls, d.rep.Summary, d.stderr)
	}
	u, _ := srv.InboundUser("P003")
	if u.Attributes["title"] != "Manager" {
		t.Fatalf("P003's title %q, want Manager", u.Attributes["title"])
	}
}
