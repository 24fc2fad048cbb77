package upload

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/graphsync/graphsync/graphtest"
)

// Attack (README: "a run killed at any point (kill -9) is simply run
// again: it takes in the outcomes the journal holds past that, follows
// in the logs the records still pending there instead of sending them
// again"): the state names its journal, but a run whose journal is
// another file (-journal given today and not yesterday, or the state
// renamed, its journal left under the old name) reads only its own, from
// the start. The pending lines of a killed run, in the journal the state
// names, are never read: the records are sent a second time while the
// killed run's upload is still in Graph's pipeline, and its event is
// taken for the new content's outcome.
func TestAttack6KilledRunsJournalLeftBehindByAnotherJournal(t *testing.T) {
	for _, tc := range []struct {
		name string
		// today returns the -state and extra arguments of today's run,
		// given the state of the killed run.
		today func(t *testing.T, st string) (string, []string)
	}{
		{"-journal given today", func(t *testing.T, st string) (string, []string) {
			return st, []string{"-journal", filepath.Join(filepath.Dir(st), "today.journal")}
		}},
		{"the state renamed", func(t *testing.T, st string) (string, []string) {
			renamed := filepath.Join(filepath.Dir(st), "workday.state")
			if err := os.Rename(st, renamed); err != nil {
				t.Fatal(err)
			}
			return renamed, nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, job := fakeReal(t, &graphtest.Options{InboundDelay: 100 * time.Millisecond})
			st := filepath.Join(t.TempDir(), "hr.state")
			clerks := people(ids(1, 5), "Clerk")
			if d := runDaily(t, srv, job, writeFile(t, "d1.csv", clerks), st); d.code != exitOK {
				t.Fatalf("day 1: %+v", d)
			}
			managers := strings.Replace(clerks, "p003@contoso.com,Clerk", "p003@contoso.com,Manager", 1)
			killedRun(t, srv, job, st, managers, "P003")
			path, args := tc.today(t, st)
			d := runDaily(t, srv, job, writeFile(t, "d2.csv", managers), path, args...)
			if d.calls != 0 {
				t.Fatalf("the killed run's P003 is pending in %s, which the state names; today's run (%v) sent it again in %d request(s), exit %d\n%s",
					st+".journal", args, d.calls, d.code, d.stderr)
			}
			if d.code != exitUsage || !strings.Contains(d.stderr, "give -journal "+st+".journal") {
				t.Fatalf("refused: exit %d, want 2 naming the journal to give\n%s", d.code, d.stderr)
			}
			// With the journal the state names, the killed run's P003 is
			// followed, not sent again.
			d = runDaily(t, srv, job, writeFile(t, "d2.csv", managers), path, "-journal", st+".journal")
			if d.code != exitOK || d.calls != 0 || d.rep.Summary.Updated != 1 {
				t.Fatalf("with -journal %s: exit %d, %d call(s), %+v\n%s", st+".journal", d.code, d.calls, d.rep.Summary, d.stderr)
			}
		})
	}
}

// A journal the state has taken in whole may be left for another: the
// run reads the new one from its start, and the state names it from then
// on.
func TestDailyAnotherJournalOnceTheOldIsTakenIn(t *testing.T) {
	srv, job := fakeReal(t, &graphtest.Options{InboundDelay: 20 * time.Millisecond})
	dir := t.TempDir()
	st := filepath.Join(dir, "hr.state")
	if d := runDaily(t, srv, job, writeFile(t, "d1.csv", people(ids(1, 5), "Clerk")), st); d.code != exitOK {
		t.Fatalf("day 1: %+v", d)
	}
	other := filepath.Join(dir, "other.journal")
	d := runDaily(t, srv, job, writeFile(t, "d2.csv", people(ids(1, 5), "Manager")), st, "-journal", other)
	if h, _ := readState(t, st); d.code != exitOK || d.calls != 1 || h.Journal != other {
		t.Fatalf("exit %d, %d call(s), the state names the journal %s (want %s)\n%s", d.code, d.calls, h.Journal, other, d.stderr)
	}
	// The same journal by another path (a linked directory) is the
	// same journal.
	linked := filepath.Join(t.TempDir(), "linked")
	if err := os.Symlink(dir, linked); err != nil {
		t.Skip(err)
	}
	d = runDaily(t, srv, job, writeFile(t, "d3.csv", people(ids(1, 5), "Manager")), st, "-journal", filepath.Join(linked, "other.journal"))
	if d.code != exitOK || d.calls != 0 || d.rep.Summary.Unchanged != 5 {
		t.Fatalf("the journal by another path: exit %d, %d call(s)\n%s", d.code, d.calls, d.stderr)
	}
}
