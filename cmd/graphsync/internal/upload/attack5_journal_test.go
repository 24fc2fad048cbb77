package upload

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/graphsync/graphsync/cmd/graphsync/internal/hrcsv"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

// Attack (README: "The state remembers how much of the journal it holds,
// so a run killed at any point (kill -9) is simply run again ... nothing
// is sent twice"): the state remembers the journal by its path and a
// byte count only. When the journal is removed (log clean-up, rotation)
// and a run is then killed after sending, the new journal is a different
// file that has grown past that count: the next run starts reading it in
// the middle (a torn line), skips the killed run's first pending lines,
// and sends those records a second time.
func TestAttack5NewJournalPastTheOldSizeIsReadFromTheMiddle(t *testing.T) {
	srv, job := fakeReal(t, &graphtest.Options{InboundDelay: 20 * time.Millisecond})
	dir := t.TempDir()
	st := filepath.Join(dir, "hr.state")
	if d := runDaily(t, srv, job, writeFile(t, "d1.csv", people(ids(1, 5), "Clerk")), st); d.code != exitOK {
		t.Fatalf("day 1: %+v", d)
	}
	old, err := os.Stat(st + ".journal")
	if err != nil {
		t.Fatal(err)
	}
	// The journal is cleaned away; the next run sends 30 new hires and
	// is killed before their outcomes (its pending lines are the new
	// journal, longer than the old one).
	os.Remove(st + ".journal")
	export := people(ids(1, 35), "Clerk")
	recs, err := hrcsv.Read("d2.csv", strings.NewReader(export))
	if err != nil {
		t.Fatal(err)
	}
	hires := recs[5:]
	c, _ := srv.NewClient()
	sent := time.Now().UTC()
	var journal strings.Builder
	users := func(yield func(models.SCIMUser) bool) {
		for _, r := range hires {
			if !yield(r.User) {
				return
			}
		}
	}
	for _, r := range hires {
		b, _ := json.Marshal(journalLine{ServicePrincipalID: "sp-real", JobID: job, entry: entry{Line: r.Line, ExternalID: r.User.ExternalID,
			UserName: r.User.UserName, Record: r.Fingerprint(), State: statePending, Attempts: 1, Time: sent}})
		journal.Write(append(b, '\n'))
	}
	for req := range models.BulkUploadChunks(users) {
		if _, err := c.BulkUpload(context.Background(), "sp-real", job, req); err != nil {
			t.Fatal(err)
		}
	}
	if int64(journal.Len()) <= old.Size() {
		t.Fatalf("the new journal (%d bytes) must be longer than the old (%d)", journal.Len(), old.Size())
	}
	os.WriteFile(st+".journal", []byte(journal.String()), 0o600)
	time.Sleep(100 * time.Millisecond) // their events are logged

	d := runDaily(t, srv, job, writeFile(t, "d2.csv", export), st, "-max-leavers", "100%")
	again := 0
	for _, e := range d.rep.Records {
		if e.Attempts > 0 {
			again++
		}
	}
	if d.calls != 0 || again != 0 {
		t.Errorf("the killed run's %d hires are pending in the journal; this run sent %d of them again in %d request(s) (exit %d)\n%s",
			len(hires), again, d.calls, d.code, d.stderr)
	}
}
