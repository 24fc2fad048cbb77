package upload

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/graphsync/graphsync/graphtest"
)

// attack5Disabled returns the externalIds of ids whose user the fake's
// directory holds disabled.
func attack5Disabled(srv *graphtest.Server, ids ...string) []string {
	var out []string
	for _, id := range ids {
		if u, ok := srv.InboundUser(id); ok && !u.Active {
			out = append(out, id)
		}
	}
	return out
}

// Attack (README "Daily inbound provisioning": leavers are "records of
// the state that today's export lacks"; hrcsv: "a cell with a control
// character [is an error] before anything is sent"): the export is read
// with the csv package's lazy quotes (there for header columns such as
// emails[type eq "work"].value), so a quote opened in a cell and never
// closed is not an error: the cell runs on, across line breaks (which a
// quoted cell may hold), to the next quote that a comma or a line end
// follows. The people on the lines in between vanish from the export
// without a word, and a run with -state sends each of them active=false:
// a stray quote in one record of a 40-person export disables the next two
// people (within the default brake of 5%), and their record's line is
// read as P005's title.
func TestAttack5UnclosedQuoteSwallowsPeopleWhoAreThenDisabled(t *testing.T) {
	srv, job := fakeReal(t, &graphtest.Options{InboundDelay: 20 * time.Millisecond})
	st := filepath.Join(t.TempDir(), "hr.state")
	all := ids(1, 40)
	if d := runDaily(t, srv, job, writeFile(t, "d1.csv", people(all, "Clerk")), st); d.code != exitOK {
		t.Fatalf("day 1: %+v", d)
	}
	day2 := people(all, "Clerk")
	day2 = strings.Replace(day2, "P005,p005@contoso.com,Clerk", `P005,p005@contoso.com,"Sales, EMEA`, 1)
	day2 = strings.Replace(day2, "P007,p007@contoso.com,Clerk", `P007,p007@contoso.com,"Clerk"`, 1)
	d := runDaily(t, srv, job, writeFile(t, "d2.csv", day2), st)
	if got := attack5Disabled(srv, "P006", "P007"); len(got) > 0 {
		t.Errorf("%v, whose lines are in today's export, were sent active=false and disabled (exit %d, summary %+v)", got, d.code, d.rep.Summary)
	}
	if d.code != exitUsage {
		t.Errorf("an unclosed quote in line 6: exit %d, want 2 naming the line, nothing sent\n%s", d.code, d.stderr)
	}
}

// Attack (README: with -map "the header names the HR system's own
// columns"; leavers are "records of the state that today's export
// lacks"): every line that begins with '#' is a comment to the reader,
// a convenience of the SCIM-header format that also applies to the HR
// system's own export. In an export whose first column holds data that
// may begin with '#' (an office such as "#12 Paris", a cost centre), the
// person's record is skipped without a word, counted nowhere, and a run
// with -state disables them as a leaver.
func TestAttack5HashFirstCellMakesALeaver(t *testing.T) {
	srv, job := fakeReal(t, &graphtest.Options{InboundDelay: 20 * time.Millisecond})
	dir := t.TempDir()
	st := filepath.Join(dir, "hr.state")
	m := writeFile(t, "map.json", `{"externalId": "WorkerID", "userName": "Login", "title": "JobTitle", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": "Office"}`)
	export := func(office3 string) string {
		var b strings.Builder
		b.WriteString("Office,WorkerID,Login,JobTitle\n")
		for i, id := range ids(1, 40) {
			office := "Paris"
			if i == 2 {
				office = office3
			}
			b.WriteString(office + "," + id + "," + strings.ToLower(id) + "@contoso.com,Clerk\n")
		}
		return b.String()
	}
	if d := runDaily(t, srv, job, writeFile(t, "d1.csv", export("Lyon")), st, "-map", m); d.code != exitOK || d.rep.Summary.Created != 40 {
		t.Fatalf("day 1: %+v", d)
	}
	d := runDaily(t, srv, job, writeFile(t, "d2.csv", export("#12 Paris")), st, "-map", m)
	if got := attack5Disabled(srv, "P003"); len(got) > 0 {
		t.Errorf("P003, on line 4 of today's export (office \"#12 Paris\"), was read as a comment, sent active=false and disabled (exit %d, summary %+v)\n%s",
			d.code, d.rep.Summary, d.stderr)
	}
}

// Attack (-state and -journal "must be two files"): the check compares
// the two paths as strings, so -journal ./hr.state with -state hr.state
// (or a path through another directory, or a hard link) is taken: the
// run appends its journal's pending lines to the state file itself, and
// a run killed before it writes the state leaves a state file that every
// later run refuses ("line N is not a record of a state"), its pending
// lines lost with it.
func TestAttack5JournalIsTheStateFileByAnotherPath(t *testing.T) {
	srv, job := fakeReal(t, &graphtest.Options{InboundDelay: 20 * time.Millisecond})
	dir := t.TempDir()
	st := filepath.Join(dir, "hr.state")
	same := dir + "/./hr.state" // filepath.Join would clean it
	if d := runDaily(t, srv, job, writeFile(t, "d1.csv", people(ids(1, 5), "Clerk")), st); d.code != exitOK {
		t.Fatalf("day 1: %+v", d)
	}
	d := runDaily(t, srv, job, writeFile(t, "d2.csv", people(ids(1, 6), "Clerk")), st, "-journal", same)
	if d.code != exitUsage || d.calls != 0 {
		t.Errorf("-state %s -journal %s (the same file): exit %d, %d bulkUpload call(s); want exit 2, nothing sent\n%s", st, same, d.code, d.calls, d.stderr)
	}
}
