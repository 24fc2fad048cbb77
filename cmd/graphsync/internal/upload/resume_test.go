package upload

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/graphsync/graphsync/graphtest"
)

// A journal line counts only for the record it was written for: with the
// same journal and the next day's export, a record that changed (a leaver
// with active=false) is uploaded again, and one that changed back (a
// rehire) too; the unchanged ones are skipped.
func TestResumeUploadsChangedRecords(t *testing.T) {
	srv, job := fakeReal(t, &graphtest.Options{InboundDelay: 20 * time.Millisecond})
	j := filepath.Join(t.TempDir(), "hr.jsonl")
	day := func(active2 string) (result, int) {
		csv := writeFile(t, "hr.csv", "externalId,userName,active\n"+
			"P1,p1@contoso.com,true\nP2,p2@contoso.com,"+active2+"\nP3,p3@contoso.com,true\n")
		before := bulkCalls(srv)
		r := runArgs(t, context.Background(), "", "-job", job, "-csv", csv, "-poll", "20ms", "-timeout", "10s", "-journal", j, "-resume", j)
		return r, bulkCalls(srv) - before
	}
	if r, n := day("true"); r.code != exitOK || n != 1 {
		t.Fatalf("day 1: exit %d, %d upload(s)\n%s", r.code, n, r.stderr)
	}
	// Day 2: P2 left.
	r, n := day("false")
	if r.code != exitOK || n != 1 || strings.Contains(r.stderr, "Nothing left to do") ||
		!strings.Contains(r.stderr, "2 record(s) already done") || strings.Count(r.stdout, "\n") != 2 || !strings.Contains(r.stdout, "P2") {
		t.Fatalf("day 2, P2 left: exit %d, %d upload(s)\n%s\n%s", r.code, n, r.stdout, r.stderr)
	}
	if u, ok := srv.InboundUser("P2"); !ok || u.Active {
		t.Fatalf("P2 is still active in the directory: %+v", u)
	}
	// Day 3: nothing changed.
	if r, n := day("false"); r.code != exitOK || n != 0 || !strings.Contains(r.stderr, "Nothing left to do") {
		t.Fatalf("day 3: exit %d, %d upload(s)\n%s", r.code, n, r.stderr)
	}
	// Day 4: P2 rehired, as on day 1, whose line is still in the journal.
	if r, n := day("true"); r.code != exitOK || n != 1 || !strings.Contains(r.stdout, "P2") {
		t.Fatalf("day 4, P2 rehired: exit %d, %d upload(s)\n%s\n%s", r.code, n, r.stdout, r.stderr)
	}
	if u, _ := srv.InboundUser("P2"); !u.Active {
		t.Fatalf("P2 is not active again: %+v", u)
	}
}

// A journal line of an older version, without the record's fingerprint,
// counts for nothing: its record is uploaded again.
func TestResumeOldJournalLinesCountForNothing(t *testing.T) {
	srv, job := fakeReal(t, &graphtest.Options{InboundDelay: 20 * time.Millisecond})
	j := filepath.Join(t.TempDir(), "hr.jsonl")
	os.WriteFile(j, []byte(`{"servicePrincipalId":"sp-real","jobId":"`+job+`","line":2,"externalId":"P001","state":"outcome","action":"create","status":"success","time":"2026-01-01T00:00:00Z"}`+"\n"), 0o600)
	r := runArgs(t, context.Background(), "", "-json", "-job", job, "-csv", writeFile(t, "hr.csv", hrCSV(1)), "-poll", "20ms", "-timeout", "10s", "-resume", j)
	if r.code != exitOK || bulkCalls(srv) != 1 || !strings.Contains(r.stdout, `"P001"`) {
		t.Fatalf("exit %d, %d upload(s)\n%s\n%s", r.code, bulkCalls(srv), r.stdout, r.stderr)
	}
}
