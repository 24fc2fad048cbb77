package upload

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/graphsync/graphsync/graphtest"
)

// Attack (README's transcripts: a run prints what it uploads and
// follows, nothing of a run that stopped early unless there was one):
// every run that uploaded records said on stderr that it was following
// as many records "that a run which stopped early sent with other
// content than today's export's", and that "today's content (0)" would
// be sent after: the count was of the records just uploaded. An
// operator told of a killed run that never was looks for one; told
// nothing true when there is one.
func TestAttack6NoRunThatStoppedEarlyClaimedWithoutOne(t *testing.T) {
	srv, job := fakeReal(t, &graphtest.Options{InboundDelay: 100 * time.Millisecond})
	st := filepath.Join(t.TempDir(), "hr.state")
	clerks := people(ids(1, 5), "Clerk")
	d := runDaily(t, srv, job, writeFile(t, "d1.csv", clerks), st)
	if d.code != exitOK || strings.Contains(d.stderr, "stopped early") {
		t.Fatalf("day 1, no run before it: exit %d\n%s", d.code, d.stderr)
	}
	r := runArgs(t, context.Background(), "", "-job", job, "-csv", writeFile(t, "hr.csv", people(ids(6, 7), "Clerk")), "-poll", "20ms", "-timeout", "10s")
	if r.code != exitOK || strings.Contains(r.stderr, "stopped early") {
		t.Fatalf("without -state: exit %d\n%s", r.code, r.stderr)
	}
	// A killed run's P003 (Manager) and P006 (a hire today's export
	// drops), and today's P001 changed: two followed first, one of them
	// sent after, and P001 sent at once.
	killedRun(t, srv, job, st, strings.Replace(people(ids(1, 6), "Clerk"), "p003@contoso.com,Clerk", "p003@contoso.com,Manager", 1), "P003", "P006")
	today := strings.Replace(clerks, "p001@contoso.com,Clerk", "p001@contoso.com,Director", 1)
	d = runDaily(t, srv, job, writeFile(t, "d2.csv", today), st)
	if want := "Following 2 record(s) that a run which stopped early sent with other content"; d.code != exitOK || !strings.Contains(d.stderr, want) ||
		!strings.Contains(d.stderr, "today's content (1) is sent once") || !strings.Contains(d.stderr, "Uploaded 1 of 1 record(s)") {
		t.Fatalf("after a killed run: exit %d, want stderr to say %q, today's content (1), and 1 of 1 uploaded\n%s", d.code, want, d.stderr)
	}
}
