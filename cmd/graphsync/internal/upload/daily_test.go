package upload

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/graphsync/graphsync/cmd/graphsync/internal/cli"
	"github.com/graphsync/graphsync/cmd/graphsync/internal/hrcsv"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

// daily runs graphsync upload -state with -json against the fake and
// returns the exit code, the report and how many bulkUpload calls it
// made, and the operations they carried by externalId.
type dailyRun struct {
	code   int
	rep    dailyReport
	calls  int
	stderr string
}

func runDaily(t *testing.T, srv *graphtest.Server, job, csv, statePath string, args ...string) dailyRun {
	t.Helper()
	before := bulkCalls(srv)
	r := runArgs(t, context.Background(), "", append([]string{"-json", "-job", job, "-csv", csv, "-state", statePath,
		"-poll", "20ms", "-timeout", "10s", "-skew", "0s", "-retry-wait", "10ms"}, args...)...)
	d := dailyRun{code: r.code, calls: bulkCalls(srv) - before, stderr: r.stderr}
	if r.code != exitUsage {
		if err := json.Unmarshal([]byte(r.stdout), &d.rep); err != nil {
			t.Fatalf("stdout is not the daily report: %v\n%s\n%s", err, r.stdout, r.stderr)
		}
	}
	return d
}

// people is a CSV of the people with the given externalIds; title, if
// given, is the title of every one.
func people(ids []string, title string) string {
	var b strings.Builder
	b.WriteString("externalId,userName,title\n")
	for _, id := range ids {
		fmt.Fprintf(&b, "%s,%s@contoso.com,%s\n", id, strings.ToLower(id), title)
	}
	return b.String()
}

func ids(from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprintf("P%03d", i))
	}
	return out
}

func readState(t *testing.T, path string) (stateHeader, map[string]string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	var h stateHeader
	if err := json.Unmarshal([]byte(lines[0]), &h); err != nil {
		t.Fatal(err)
	}
	recs := map[string]string{}
	for _, l := range lines[1:] {
		var sl stateLine
		if err := json.Unmarshal([]byte(l), &sl); err != nil {
			t.Fatal(err)
		}
		recs[sl.ExternalID] = sl.Record
	}
	return h, recs
}

// Day 1 uploads everyone; day 2, the same export, sends nothing; day 3
// sends only the changed and new records and the leavers (active=false),
// which leave the state. The state names its job and holds what Entra
// accepted.
func TestDailyDeltas(t *testing.T) {
	srv, job := fakeReal(t, &graphtest.Options{InboundDelay: 20 * time.Millisecond})
	dir := t.TempDir()
	st := filepath.Join(dir, "hr.state")
	day1 := writeFile(t, "d1.csv", people(ids(1, 20), "Clerk"))
	d := runDaily(t, srv, job, day1, st)
	if d.code != exitOK || d.calls != 1 || d.rep.Summary.Created != 20 || len(d.rep.Records) != 20 {
		t.Fatalf("day 1: %+v", d)
	}
	h, recs := readState(t, st)
	if h.Format != stateFormat || h.JobID != job || h.ServicePrincipalID != "sp-real" || h.Records != 20 || len(recs) != 20 {
		t.Fatalf("state after day 1: %+v, %d records", h, len(recs))
	}
	if st, _ := os.Stat(st); st.Mode().Perm() != 0o600 {
		t.Errorf("state mode %v", st.Mode().Perm())
	}

	d = runDaily(t, srv, job, day1, st)
	if d.code != exitOK || d.calls != 0 || d.rep.Summary.Unchanged != 20 || len(d.rep.Records) != 0 || !strings.Contains(d.stderr, "Nothing to send") {
		t.Fatalf("day 2: %+v", d)
	}

	// Day 3: P001 promoted, P021 hired, P020 left.
	day3 := strings.Replace(people(append(ids(1, 19), "P021"), "Clerk"), "P001,p001@contoso.com,Clerk", "P001,p001@contoso.com,Manager", 1)
	d = runDaily(t, srv, job, writeFile(t, "d3.csv", day3), st, "-max-leavers", "1")
	s := d.rep.Summary
	if d.code != exitOK || d.calls != 1 || len(d.rep.Records) != 3 || s.Created != 1 || s.Updated != 1 || s.Disabled != 1 || s.Unchanged != 18 || s.Leavers != 1 {
		t.Fatalf("day 3: %+v", d)
	}
	var leaver entry
	for _, e := range d.rep.Records {
		if e.Leaver {
			leaver = e
		}
	}
	if leaver.ExternalID != "P020" || leaver.Action != "disable" {
		t.Fatalf("leaver row %+v", leaver)
	}
	if u, _ := srv.InboundUser("P020"); u.Active || u.Attributes["title"] != "Clerk" {
		t.Fatalf("P020 after leaving: %+v (disabled, never deleted, its attributes kept)", u)
	}
	if u, _ := srv.InboundUser("P001"); u.Attributes["title"] != "Manager" {
		t.Fatalf("P001: %+v", u)
	}
	_, recs = readState(t, st)
	if _, ok := recs["P020"]; ok || recs["P021"] == "" || len(recs) != 20 {
		t.Fatalf("state after day 3: %d records, P020 %q, P021 %q", len(recs), recs["P020"], recs["P021"])
	}
	// Day 4: the same export again: nothing (the leaver is not sent again).
	if d := runDaily(t, srv, job, writeFile(t, "d4.csv", day3), st); d.code != exitOK || d.calls != 0 || d.rep.Summary.Unchanged != 20 {
		t.Fatalf("day 4: %+v", d)
	}
}

// The brake: more leavers than -max-leavers (a count, or a percentage of
// the state), an empty export or one of less than half the state refuse
// the run before anything is sent (exit 2, with the numbers), and leave
// the state as it was; -force runs anyway; -leavers ignore sends none.
func TestDailyBrake(t *testing.T) {
	srv, job := fakeReal(t, &graphtest.Options{InboundDelay: 20 * time.Millisecond})
	st := filepath.Join(t.TempDir(), "hr.state")
	if d := runDaily(t, srv, job, writeFile(t, "d1.csv", people(ids(1, 40), "")), st); d.code != exitOK {
		t.Fatalf("day 1: %+v", d)
	}
	before, _ := os.ReadFile(st)
	for _, tc := range []struct {
		csv, want string
		args      []string
	}{
		{people(ids(1, 37), ""), "3 leaver(s)", nil}, // 5% of 40 is 2
		{people(ids(1, 37), ""), "more than -max-leavers 2", []string{"-max-leavers", "2"}},
		{people(ids(1, 30), ""), "10 leaver(s)", []string{"-max-leavers", "20%"}}, // 8
		{people(ids(1, 19), ""), "less than half of the state's 40", []string{"-max-leavers", "100%"}},
		{"externalId,userName,title\n", "no record", []string{"-max-leavers", "100%"}},
	} {
		d := runDaily(t, srv, job, writeFile(t, "d.csv", tc.csv), st, tc.args...)
		if d.code != exitUsage || d.calls != 0 || !strings.Contains(d.stderr, tc.want) || !strings.Contains(d.stderr, "nothing was sent") ||
			!strings.Contains(d.stderr, "-force") {
			t.Errorf("%v: exit %d, %d call(s)\n%s", tc.args, d.code, d.calls, d.stderr)
		}
		if after, _ := os.ReadFile(st); string(after) != string(before) {
			t.Errorf("%v: the brake changed the state", tc.args)
		}
	}
	// -leavers ignore: the leavers are counted, not sent, and stay.
	d := runDaily(t, srv, job, writeFile(t, "d.csv", people(ids(1, 37), "")), st, "-leavers", "ignore")
	if d.code != exitOK || d.calls != 0 || d.rep.Summary.LeaversIgnored != 3 || d.rep.Summary.Unchanged != 37 {
		t.Fatalf("-leavers ignore: %+v", d)
	}
	if _, recs := readState(t, st); len(recs) != 40 {
		t.Fatalf("-leavers ignore dropped leavers from the state: %d", len(recs))
	}
	// -force: the leavers are disabled.
	d = runDaily(t, srv, job, writeFile(t, "d.csv", people(ids(1, 37), "")), st, "-force")
	if d.code != exitOK || d.calls != 1 || d.rep.Summary.Disabled != 3 || !strings.Contains(d.stderr, "going on (-force)") {
		t.Fatalf("-force: %+v", d)
	}
}

// A state of another job, or one changed by hand, is refused before
// anything is sent; flags that do not go together are refused.
func TestDailyRefusals(t *testing.T) {
	srv, job := fakeReal(t, &graphtest.Options{InboundDelay: 20 * time.Millisecond})
	csv := writeFile(t, "d1.csv", people(ids(1, 3), ""))
	st := filepath.Join(t.TempDir(), "hr.state")
	if d := runDaily(t, srv, job, csv, st); d.code != exitOK {
		t.Fatalf("day 1: %+v", d)
	}
	c, _ := srv.NewClient()
	other, err := c.CreateJob(context.Background(), "sp-real", models.SynchronizationJob{TemplateID: "API2AAD"})
	if err != nil {
		t.Fatal(err)
	}
	if d := runDaily(t, srv, other.ID, csv, st); d.code != exitUsage || d.calls != 0 || !strings.Contains(d.stderr, "is the state of job "+job) {
		t.Errorf("another job's state: %+v", d)
	}
	b, _ := os.ReadFile(st)
	for name, content := range map[string]string{
		"a record less":   strings.Join(strings.SplitAfter(string(b), "\n")[:3], ""),
		"a bad record":    strings.Replace(string(b), `"record":"sha256:`, `"record":"md5:`, 1),
		"not a state":     "{}\n",
		"a journal given": `{"servicePrincipalId":"sp-real","jobId":"` + job + `","externalId":"P001","state":"outcome"}` + "\n",
	} {
		bad := writeFile(t, "bad.state", content)
		if d := runDaily(t, srv, job, csv, bad); d.code != exitUsage || d.calls != 0 {
			t.Errorf("%s: %+v", name, d)
		}
	}
	for _, args := range [][]string{
		{"-csv", csv, "-state", st, "-resume", st + ".journal"},
		{"-csv", csv, "-state", st, "-leavers", "delete"},
		{"-csv", csv, "-state", st, "-max-leavers", "lots"},
		{"-csv", csv, "-state", st, "-max-leavers", "150%"},
		{"-csv", csv, "-force"},
		{"-csv", csv, "-state", st, "-journal", st},
		{"-csv", csv, "-validate", "-state", st},
	} {
		before := bulkCalls(srv)
		if r := runArgs(t, context.Background(), "", append([]string{"-job", job}, args...)...); r.code != exitUsage || bulkCalls(srv) != before {
			t.Errorf("%v: exit %d\n%s", args, r.code, r.stderr)
		}
	}
}

// A run killed after sending leaves pending lines in the state's journal:
// the next run takes the outcomes the journal holds into the state and
// follows the records still pending in the logs (their events may be
// older than the run) instead of sending them again.
func TestDailyFollowsWhatAKilledRunSent(t *testing.T) {
	srv, job := fakeReal(t, &graphtest.Options{InboundDelay: 20 * time.Millisecond})
	dir := t.TempDir()
	st := filepath.Join(dir, "hr.state")
	csv := writeFile(t, "d1.csv", people(ids(1, 3), ""))
	// What a run killed after sending writes: P001's outcome seen and
	// journalled, P002 and P003 pending; no state yet.
	recs, err := hrcsv.Read("d1.csv", strings.NewReader(people(ids(1, 3), "")))
	if err != nil {
		t.Fatal(err)
	}
	c, _ := srv.NewClient()
	users := func(yield func(models.SCIMUser) bool) {
		for _, r := range recs {
			if !yield(r.User) {
				return
			}
		}
	}
	sent := time.Now().UTC()
	for req := range models.BulkUploadChunks(users) {
		if _, err := c.BulkUpload(context.Background(), "sp-real", job, req); err != nil {
			t.Fatal(err)
		}
	}
	var journal strings.Builder
	for i, r := range recs {
		l := journalLine{ServicePrincipalID: "sp-real", JobID: job, entry: entry{Line: r.Line, ExternalID: r.User.ExternalID,
			Record: r.Fingerprint(), State: statePending, Time: sent}}
		b, _ := json.Marshal(l)
		journal.Write(append(b, '\n'))
		if i == 0 {
			l.State, l.Status, l.Action = stateOutcome, "success", "create"
			b, _ := json.Marshal(l)
			journal.Write(append(b, '\n'))
		}
	}
	journal.WriteString(`{"torn":`)
	os.WriteFile(st+".journal", []byte(journal.String()), 0o600)
	time.Sleep(50 * time.Millisecond) // the events are logged before the run

	d := runDaily(t, srv, job, csv, st)
	if d.code != exitOK || d.calls != 0 || len(d.rep.Records) != 2 || d.rep.Summary.Created != 2 || d.rep.Summary.Unchanged != 1 ||
		!strings.Contains(d.stderr, "1 outcome(s) the state") || !strings.Contains(d.stderr, "ignored 1 unreadable line") {
		t.Fatalf("after a killed run: %+v", d)
	}
	if _, recs := readState(t, st); len(recs) != 3 {
		t.Fatalf("state: %v", recs)
	}
	if d := runDaily(t, srv, job, csv, st); d.code != exitOK || d.calls != 0 || d.rep.Summary.Unchanged != 3 {
		t.Fatalf("next day: %+v", d)
	}
}

// Records that fail for a transient reason are sent again, up to -retry
// times, after -retry-wait doubled each time (virtual time: hours cost
// nothing); a data error is reported with Graph's reason and recommended
// action and not sent again. The state takes only what was accepted.
func TestDailyRetriesTransientFailures(t *testing.T) {
	clearEnv(t)
	t.Setenv("GRAPHSYNC_SERVICE_PRINCIPAL_ID", "sp-real")
	csv := writeFile(t, "hr.csv", people(ids(1, 4), ""))
	st := filepath.Join(t.TempDir(), "hr.state")
	synctest.Test(t, func(t *testing.T) {
		srv := graphtest.NewServer(&graphtest.Options{InProcess: true, InboundDelay: time.Minute})
		srv.AddServicePrincipal("sp-real", "API2AAD")
		c, err := srv.NewClient()
		if err != nil {
			t.Fatal(err)
		}
		job, err := c.CreateJob(context.Background(), "sp-real", models.SynchronizationJob{TemplateID: "API2AAD"})
		if err != nil {
			t.Fatal(err)
		}
		srv.InjectInboundFailure(graphtest.InboundFailure{ExternalID: "P001", Transient: true, Times: 2})
		srv.InjectInboundFailure(graphtest.InboundFailure{ExternalID: "P002", ErrorCode: "AzureActiveDirectoryTimeout", Times: 1})
		srv.InjectInboundFailure(graphtest.InboundFailure{ExternalID: "P003", Transient: true})
		srv.InjectInboundFailure(graphtest.InboundFailure{ExternalID: "P004", ErrorCode: "InvalidHireDate"})
		t.Setenv("GRAPHSYNC_GRAPH_URL", srv.URL)
		t.Setenv("GRAPHSYNC_TOKEN", srv.Token())
		start := time.Now()
		r := runWith(t, context.Background(), &cli.Options{Transport: srv.Transport()}, "",
			"-json", "-job", job.ID, "-csv", csv, "-state", st, "-poll", "30s", "-timeout", "10m", "-skew", "0s",
			"-retry", "3", "-retry-wait", "10m")
		var rep dailyReport
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
			t.Fatalf("exit %d: %v\n%s\n%s", r.code, err, r.stdout, r.stderr)
		}
		rows := map[string]entry{}
		for _, e := range rep.Records {
			rows[e.ExternalID] = e
		}
		if r.code != exitFailed || rows["P001"].Status != "success" || rows["P001"].Attempts != 3 ||
			rows["P002"].Status != "success" || rows["P002"].Attempts != 2 ||
			rows["P003"].Status != "failure" || rows["P003"].Attempts != 4 || !rows["P003"].Transient ||
			rows["P004"].Status != "failure" || rows["P004"].Attempts != 1 || rows["P004"].Transient ||
			rows["P004"].ErrorCategory != "nonServiceFailure" || rows["P004"].RecommendedAction == "" {
			t.Fatalf("exit %d rows %+v\n%s", r.code, rows, r.stderr)
		}
		if s := rep.Summary; s.Created != 2 || s.Failed != 2 || s.Retried != 3 {
			t.Errorf("summary %+v", s)
		}
		// 10m + 20m + 40m of waiting, and the four follows between.
		if took := time.Since(start); took < 74*time.Minute || took > 80*time.Minute {
			t.Errorf("took %s", took)
		}
		for _, want := range []string{"sending them again in 10m0s", "in 20m0s", "in 40m0s"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
			}
		}
		_, recs := readState(t, st)
		if len(recs) != 2 || recs["P001"] == "" || recs["P002"] == "" {
			t.Errorf("state %v", recs)
		}
	})
}

// The pieces: -max-leavers, the wait before each retry, and which of
// Graph's errors are transient.
func TestDailyPieces(t *testing.T) {
	for in, want := range map[string][2]int{"25": {25, 0}, "5%": {500, 1}, "0.5%": {50, 1}, " 0 ": {0, 0}} {
		n, pct, err := parseMaxLeavers(in)
		if err != nil || n != want[0] || pct != (want[1] == 1) {
			t.Errorf("%q: %d %v %v", in, n, pct, err)
		}
	}
	for _, bad := range []string{"", "-1", "1.5", "101%", "x%", "NaN%", "NaN", "Inf", "+Inf%", "1e300"} {
		if _, _, err := parseMaxLeavers(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	for attempt, want := range map[int]time.Duration{1: time.Minute, 2: 2 * time.Minute, 3: 4 * time.Minute, 7: time.Hour, 100: time.Hour} {
		if got := retryWait(time.Minute, attempt); got != want {
			t.Errorf("attempt %d: %s, want %s", attempt, got, want)
		}
	}
	for _, tc := range []struct {
		category models.LogErrorCategory
		code     string
		want     bool
	}{
		{models.LogErrorFailure, "Anything", true},
		{"Failure", "", true},
		{models.LogErrorNonServiceFailure, "AzureActiveDirectoryTimeout", true},
		{models.LogErrorNonServiceFailure, "TooManyRequests", true},
		{models.LogErrorNonServiceFailure, "AzureActiveDirectoryConflictEntries", false},
		{models.LogErrorNonServiceFailure, "AttributeValueRequired", false},
		{"", "", false},
	} {
		if got := transientFailure(tc.category, tc.code); got != tc.want {
			t.Errorf("%s/%s: %v", tc.category, tc.code, got)
		}
	}
}

// An interrupted run (Ctrl-C, SIGTERM) writes the state from the outcomes
// it saw, but keeps the pending lines of the records it sent without an
// outcome for the next run, which follows them rather than sending them
// again; one followed in vain until -timeout is sent by the run after.
func TestDailyInterruptedKeepsPendingRecords(t *testing.T) {
	srv, job := fakeReal(t, &graphtest.Options{InboundDelay: time.Hour})
	st := filepath.Join(t.TempDir(), "hr.state")
	csv := writeFile(t, "d1.csv", people(ids(1, 3), ""))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	r := runArgs(t, ctx, "", "-job", job, "-csv", csv, "-state", st, "-poll", "20ms", "-skew", "0s")
	if r.code != exitInterrupted || bulkCalls(srv) != 1 {
		t.Fatalf("interrupted: exit %d, %d call(s)\n%s", r.code, bulkCalls(srv), r.stderr)
	}
	d := runDaily(t, srv, job, csv, st, "-timeout", "300ms")
	if d.code != exitFailed || d.calls != 0 || d.rep.Summary.WithoutOutcome != 3 || !strings.Contains(d.stderr, "Following 3 record(s)") {
		t.Fatalf("after the interruption: %+v", d)
	}
	if d := runDaily(t, srv, job, csv, st, "-timeout", "300ms"); d.code != exitFailed || d.calls != 1 {
		t.Fatalf("after following in vain: %+v", d)
	}
}

// activePeople is a CSV of the people with the given externalIds, with an
// active column: false for those in inactive.
func activePeople(ids []string, title string, inactive ...string) string {
	var b strings.Builder
	b.WriteString("externalId,userName,title,active\n")
	for _, id := range ids {
		fmt.Fprintf(&b, "%s,%s@contoso.com,%s,%v\n", id, strings.ToLower(id), title, !slices.Contains(inactive, id))
	}
	return b.String()
}

// The brake counts everyone a run would disable: an export that marks
// active people active=false (a status column mapped wrong) disables as
// surely as one that lost them. The state remembers who Entra holds as
// inactive, so a change to someone already inactive does not count.
func TestDailyBrakeCountsPeopleMarkedInactive(t *testing.T) {
	srv, job := fakeReal(t, &graphtest.Options{InboundDelay: 20 * time.Millisecond})
	st := filepath.Join(t.TempDir(), "hr.state")
	if d := runDaily(t, srv, job, writeFile(t, "d1.csv", activePeople(ids(1, 40), "Clerk")), st); d.code != exitOK || d.rep.Summary.Created != 40 {
		t.Fatalf("day 1: %+v", d)
	}
	before, _ := os.ReadFile(st)
	three := []string{"P001", "P002", "P003"}
	for _, tc := range []struct {
		csv, want string
		args      []string
	}{
		// 5% of 40 is 2: three marked inactive are too many.
		{activePeople(ids(1, 40), "Clerk", three...), "3 people would be disabled", nil},
		// -leavers ignore sends no leaver, but these are no leavers.
		{activePeople(ids(1, 40), "Clerk", three...), "and 3 the export now marks active=false", []string{"-leavers", "ignore"}},
		// One leaver and two marked inactive: three.
		{activePeople(ids(1, 39), "Clerk", "P001", "P002"), "1 leaver(s)", []string{"-max-leavers", "2"}},
	} {
		d := runDaily(t, srv, job, writeFile(t, "d.csv", tc.csv), st, tc.args...)
		if d.code != exitUsage || d.calls != 0 || !strings.Contains(d.stderr, tc.want) || !strings.Contains(d.stderr, "more than -max-leavers") ||
			!strings.Contains(d.stderr, "nothing was sent") {
			t.Errorf("%v: exit %d, %d call(s), want exit 2 and %q\n%s", tc.args, d.code, d.calls, tc.want, d.stderr)
		}
		if after, _ := os.ReadFile(st); string(after) != string(before) {
			t.Errorf("%v: the brake changed the state", tc.args)
		}
	}
	for _, id := range three {
		if u, _ := srv.InboundUser(id); !u.Active {
			t.Fatalf("%s disabled by a braked run", id)
		}
	}

	// Allowed: the three are disabled, and the state marks them inactive.
	d := runDaily(t, srv, job, writeFile(t, "d2.csv", activePeople(ids(1, 40), "Clerk", three...)), st, "-max-leavers", "3")
	if d.code != exitOK || d.calls != 1 || len(d.rep.Records) != 3 || !strings.Contains(d.stderr, "3 of the changed record(s) mark people active=false") {
		t.Fatalf("day 2, -max-leavers 3: %+v", d)
	}
	for _, id := range three {
		if u, _ := srv.InboundUser(id); u.Active {
			t.Fatalf("%s still active", id)
		}
	}
	// Day 3: everyone's title changes, the three stay inactive: no one is
	// disabled, and the default brake (2) lets it through.
	d = runDaily(t, srv, job, writeFile(t, "d3.csv", activePeople(ids(1, 40), "Associate", three...)), st)
	if d.code != exitOK || d.calls != 1 || len(d.rep.Records) != 40 || strings.Contains(d.stderr, "mark people active=false") {
		t.Fatalf("day 3, a change to people already inactive: %+v", d)
	}
	// Day 4: the three come back, two others are marked inactive: two
	// disabled, within the default brake.
	d = runDaily(t, srv, job, writeFile(t, "d4.csv", activePeople(ids(1, 40), "Associate", "P010", "P011")), st)
	if d.code != exitOK || d.calls != 1 || len(d.rep.Records) != 5 || !strings.Contains(d.stderr, "2 of the changed record(s) mark people active=false") {
		t.Fatalf("day 4: %+v", d)
	}
}
