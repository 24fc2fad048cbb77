package upload

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/graphsync/graphsync/graphtest"
)

// Attack (README: "an export cut short by a failing HR job looks like the
// whole company leaving"; the brake): an export read while the HR job
// still writes it (a cron overlap, a transfer cut short) ends in the
// middle of a record. Its last record is read with its last cell cut
// (P040's title "Cl") and sent as a change, and the people
// after it, fewer than -max-leavers, are disabled as leavers. A file cut
// anywhere but at a line break ends without one, which a whole export
// does not: that is a reason for the brake.
func TestAttack6ExportCutMidRecordIsBraked(t *testing.T) {
	srv, job := fakeReal(t, &graphtest.Options{InboundDelay: 20 * time.Millisecond})
	st := filepath.Join(t.TempDir(), "hr.state")
	whole := people(ids(1, 41), "Clerk")
	if d := runDaily(t, srv, job, writeFile(t, "d1.csv", whole), st); d.code != exitOK {
		t.Fatalf("day 1: %+v", d)
	}
	cut := whole[:strings.Index(whole, "P040,p040@contoso.com,Clerk")+len("P040,p040@contoso.com,Cl")]
	d := runDaily(t, srv, job, writeFile(t, "d2.csv", cut), st, "-max-leavers", "1")
	if d.calls != 0 || d.code != exitUsage || !strings.Contains(d.stderr, "does not end with a line break") {
		t.Fatalf("an export cut in P040's record: exit %d, %d call(s); disabled %v; want exit 2, nothing sent, the brake naming the cut\n%s",
			d.code, d.calls, attack5Disabled(srv, "P041"), d.stderr)
	}
	// -force runs past it, as past the brake's other reasons.
	if d := runDaily(t, srv, job, writeFile(t, "d3.csv", strings.TrimSuffix(whole, "\n")), st, "-force"); d.code != exitOK || d.calls != 0 {
		t.Fatalf("-force, a whole export without its last line break: exit %d, %d call(s)\n%s", d.code, d.calls, d.stderr)
	}
}
