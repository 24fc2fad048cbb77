//go:build unix

package upload

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/graphsync/graphsync/graphtest"
)

// A daily run while another holds the same state is refused before
// anything is read or sent; once the other ends, the lock is free.
func TestDailyRunsOneAtATime(t *testing.T) {
	srv, job := fakeReal(t, &graphtest.Options{InboundDelay: 20 * time.Millisecond})
	st := filepath.Join(t.TempDir(), "hr.state")
	csv := writeFile(t, "d1.csv", people(ids(1, 5), "Clerk"))
	unlock, err := lockState(st)
	if err != nil {
		t.Fatal(err)
	}
	d := runDaily(t, srv, job, csv, st)
	if d.code != exitUsage || d.calls != 0 || !strings.Contains(d.stderr, "another graphsync upload is running") {
		t.Fatalf("with the state locked: exit %d, %d call(s)\n%s", d.code, d.calls, d.stderr)
	}
	unlock()
	if d := runDaily(t, srv, job, csv, st); d.code != exitOK || d.calls != 1 {
		t.Fatalf("once unlocked: exit %d, %d call(s)\n%s", d.code, d.calls, d.stderr)
	}
}
