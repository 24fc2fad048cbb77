package upload

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/graphsync/graphsync/cmd/graphsync/internal/hrcsv"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

// killedRun is a run killed after sending the records of export whose
// externalIds are given: their pending lines are in the journal of the
// state at st, and Graph has their requests.
func killedRun(t *testing.T, srv *graphtest.Server, job, st, export string, externalIDs ...string) {
	t.Helper()
	recs, err := hrcsv.Read("killed.csv", strings.NewReader(export))
	if err != nil {
		t.Fatal(err)
	}
	var users []models.SCIMUser
	var lines []byte
	sent := time.Now().UTC()
	for _, r := range recs {
		for _, id := range externalIDs {
			if r.User.ExternalID == id {
				users = append(users, r.User)
				b, _ := json.Marshal(journalLine{ServicePrincipalID: "sp-real", JobID: job, entry: entry{Line: r.Line, ExternalID: id,
					UserName: r.User.UserName, Record: r.Fingerprint(), State: statePending, Attempts: 1, Time: sent}})
				lines = append(append(lines, b...), '\n')
			}
		}
	}
	jf, err := os.OpenFile(st+".journal", os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	jf.Write(lines)
	jf.Close()
	c, _ := srv.NewClient()
	for req := range models.BulkUploadChunks(func(yield func(models.SCIMUser) bool) {
		for _, u := range users {
			if !yield(u) {
				return
			}
		}
	}) {
		if _, err := c.BulkUpload(context.Background(), "sp-real", job, req); err != nil {
			t.Fatal(err)
		}
	}
}

// A killed run sent P003 as Manager; today's export has P003 as the
// state does (Clerk), so by the state alone it is unchanged. But the
// killed run's upload reaches Entra: the run follows it, and then sends
// today's Clerk, so that Entra does not keep Manager.
func TestKilledRunsContentRevertedIsSentAfterIt(t *testing.T) {
	srv, job := fakeReal(t, &graphtest.Options{InboundDelay: 100 * time.Millisecond})
	st := t.TempDir() + "/hr.state"
	clerks := people(ids(1, 5), "Clerk")
	if d := runDaily(t, srv, job, writeFile(t, "d1.csv", clerks), st); d.code != exitOK {
		t.Fatalf("day 1: %+v", d)
	}
	killedRun(t, srv, job, st, strings.Replace(clerks, "p003@contoso.com,Clerk", "p003@contoso.com,Manager", 1), "P003")
	d := runDaily(t, srv, job, writeFile(t, "d2.csv", clerks), st)
	u, _ := srv.InboundUser("P003")
	if d.code != exitOK || d.calls != 1 || u.Attributes["title"] != "Clerk" {
		t.Fatalf("exit %d, %d call(s), P003's title %q; want 0, 1 and Clerk\n%s", d.code, d.calls, u.Attributes["title"], d.stderr)
	}
	recs, _ := hrcsv.Read("d2.csv", strings.NewReader(clerks))
	if _, state := readState(t, st); state["P003"] != recs[2].Fingerprint() {
		t.Errorf("the state has P003 as %s, want Clerk's %s", state["P003"], recs[2].Fingerprint())
	}
}

// A killed run sent a new hire, P006, whom today's export no longer has:
// the run follows the upload (sending nothing), the state takes the
// account Entra created, and the next run disables it as a leaver.
func TestKilledRunsHireNotInTodaysExportBecomesALeaver(t *testing.T) {
	srv, job := fakeReal(t, &graphtest.Options{InboundDelay: 100 * time.Millisecond})
	st := t.TempDir() + "/hr.state"
	five := people(ids(1, 5), "Clerk")
	if d := runDaily(t, srv, job, writeFile(t, "d1.csv", five), st); d.code != exitOK {
		t.Fatalf("day 1: %+v", d)
	}
	killedRun(t, srv, job, st, people(ids(1, 6), "Clerk"), "P006")
	d := runDaily(t, srv, job, writeFile(t, "d2.csv", five), st)
	if _, state := readState(t, st); d.code != exitOK || d.calls != 0 || state["P006"] == "" {
		t.Fatalf("exit %d, %d call(s), P006 in the state: %q; want 0, 0 and P006's record\n%s", d.code, d.calls, state["P006"], d.stderr)
	}
	d = runDaily(t, srv, job, writeFile(t, "d3.csv", five), st, "-max-leavers", "1")
	if got := attack5Disabled(srv, "P006"); d.code != exitOK || len(got) != 1 {
		t.Fatalf("the next run: exit %d, disabled %v; want P006 disabled as a leaver\n%s", d.code, got, d.stderr)
	}
}
