package upload

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/graphsync/graphsync/cmd/graphsync/internal/hrcsv"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

// Attack (README: "a run killed at any point (kill -9) is simply run
// again ... nothing is sent twice and nothing is lost"; the state is
// "written only from outcomes in the logs", "a SHA-256 of the record
// Entra last accepted"): a record a killed run sent (pending in the
// journal) whose content today's export changed is sent again, and its
// outcome is its first event logged after this run's preflight. The
// killed run's upload is still in Graph's pipeline, so its event (of the
// old content) comes first and is taken as the outcome of the new
// content. Here the killed run's P003 (title Manager) succeeds, the new
// P003 (title Director) fails with a data error, and the run reports
// success and writes Director's fingerprint into the state as accepted:
// the next day's run finds P003 unchanged and never sends it again;
// Entra keeps Manager and nobody is told.
func TestAttack5KilledRunsLateEventTakenForTheNewContent(t *testing.T) {
	srv, job := fakeReal(t, &graphtest.Options{InboundDelay: 800 * time.Millisecond})
	dir := t.TempDir()
	st := filepath.Join(dir, "hr.state")
	if d := runDaily(t, srv, job, writeFile(t, "d1.csv", people(ids(1, 5), "Clerk")), st); d.code != exitOK {
		t.Fatalf("day 1: %+v", d)
	}

	// The killed run: P003 promoted to Manager, sent, its pending line
	// journalled, killed before any outcome.
	killed := strings.Replace(people(ids(1, 5), "Clerk"), "P003,p003@contoso.com,Clerk", "P003,p003@contoso.com,Manager", 1)
	recs, err := hrcsv.Read("killed.csv", strings.NewReader(killed))
	if err != nil {
		t.Fatal(err)
	}
	p003 := recs[2]
	c, _ := srv.NewClient()
	sent := time.Now().UTC()
	var req models.BulkUpload
	for r := range models.BulkUploadChunks(func(yield func(models.SCIMUser) bool) { yield(p003.User) }) {
		req = r
	}
	if _, err := c.BulkUpload(context.Background(), "sp-real", job, req); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(journalLine{ServicePrincipalID: "sp-real", JobID: job, entry: entry{Line: p003.Line, ExternalID: "P003",
		Record: p003.Fingerprint(), State: statePending, Attempts: 1, Time: sent}})
	jf, err := os.OpenFile(st+".journal", os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	jf.Write(append(b, '\n'))
	jf.Close()

	// Today's export has P003 as Director, which Graph refuses (a data
	// error); the refusal is injected once the killed run's upload has
	// been applied, before this run's is.
	events := func() int {
		n := 0
		for _, ev := range srv.ProvisioningLogs() {
			if ev.SourceIdentity != nil && ev.SourceIdentity.ID == "P003" {
				n++
			}
		}
		return n
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/bulkUpload") {
			for deadline := time.Now().Add(5 * time.Second); events() < 2 && time.Now().Before(deadline); {
				time.Sleep(10 * time.Millisecond)
			}
			srv.InjectInboundFailure(graphtest.InboundFailure{ExternalID: "P003", Times: 1})
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	t.Setenv("GRAPHSYNC_GRAPH_URL", ts.URL)
	today := strings.Replace(people(ids(1, 5), "Clerk"), "P003,p003@contoso.com,Clerk", "P003,p003@contoso.com,Director", 1)
	d := runDaily(t, srv, job, writeFile(t, "d2.csv", today), st)
	if d.calls != 1 {
		t.Fatalf("today: %d bulkUpload call(s), want 1 (P003 changed since the killed run)\n%+v", d.calls, d)
	}
	todays, _ := hrcsv.Read("d2.csv", strings.NewReader(today))
	_, state := readState(t, st)
	u, _ := srv.InboundUser("P003")
	if state["P003"] == todays[2].Fingerprint() {
		t.Errorf("the state took P003 as Director (accepted), but Graph refused that record; the directory says title %q; run exit %d, P003's row %+v",
			u.Attributes["title"], d.code, d.rep.Records)
	}
	// And the next day: P003 is unchanged to the state, so it is never sent.
	time.Sleep(time.Second)
	d = runDaily(t, srv, job, writeFile(t, "d3.csv", today), st)
	if u, _ := srv.InboundUser("P003"); d.calls == 0 && u.Attributes["title"] != "Director" {
		t.Errorf("the next day's run sends nothing: P003 stays %q in Entra for good", u.Attributes["title"])
	}
}
