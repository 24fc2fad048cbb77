package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// Daily inbound provisioning as an operator runs it: the built binary
// with -state against graphsync fake-graph started as a process, day
// after day, killed (kill -9) at every step of a run and run again.

// inboundEnv is fake-graph's environment with its inbound job as the job.
func inboundEnv(fg *fakeGraph) map[string]string {
	return with(fg.env, "GRAPHSYNC_JOB_ID", fg.env["GRAPHSYNC_INBOUND_JOB_ID"])
}

// hrDay is an export of the people with the given numbers; title is
// everyone's title, except those of changed, who are "Manager".
func hrDay(t *testing.T, dir, name string, from, to int, changed ...int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("externalId,userName,displayName,title\n")
	for i := from; i <= to; i++ {
		title := "Clerk"
		for _, c := range changed {
			if c == i {
				title = "Manager"
			}
		}
		fmt.Fprintf(&b, "E%04d,e%04d@contoso.com,Person %d,%s\n", i, i, i, title)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// sent returns, for each externalId, how many bulkUpload requests that
// Graph accepted (202) carried it, and how many of those set it inactive.
func (fg *fakeGraph) sent(t *testing.T) (all, inactive map[string]int) {
	t.Helper()
	code, body := fg.control(t, "GET", "requests", "")
	var reqs []struct {
		Method, Path string
		Status       int
		Body         struct {
			Operations []struct {
				Data struct {
					ExternalID string `json:"externalId"`
					Active     *bool  `json:"active"`
				} `json:"data"`
			}
		}
	}
	if err := json.Unmarshal([]byte(body), &reqs); code != 200 || err != nil {
		t.Fatalf("requests: %d %v", code, err)
	}
	all, inactive = map[string]int{}, map[string]int{}
	for _, r := range reqs {
		if r.Method != "POST" || !strings.HasSuffix(r.Path, "/bulkUpload") || r.Status != 202 {
			continue
		}
		for _, op := range r.Body.Operations {
			all[op.Data.ExternalID]++
			if a := op.Data.Active; a != nil && !*a {
				inactive[op.Data.ExternalID]++
			}
		}
	}
	return all, inactive
}

// failures returns, for each externalId, how many failure events the
// fake's logs hold (through graphsync logs, as an operator reads them).
func failures(t *testing.T, env map[string]string) map[string]int {
	t.Helper()
	r := run(t, env, "", "logs", "-status", "failure", "-json")
	var evs []struct {
		SourceIdentity struct{ ID string } `json:"sourceIdentity"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &evs); r.code != 0 || err != nil {
		t.Fatalf("logs: %v\n%s", err, r)
	}
	out := map[string]int{}
	for _, ev := range evs {
		out[ev.SourceIdentity.ID]++
	}
	return out
}

// directory returns fake-graph's directory users by externalId.
type dirUser struct {
	Active     bool              `json:"active"`
	Attributes map[string]string `json:"attributes"`
}

func (fg *fakeGraph) directory(t *testing.T) map[string]dirUser {
	t.Helper()
	code, body := fg.control(t, "GET", "inbound/users", "")
	var us []struct {
		ExternalID string `json:"externalId"`
		dirUser
	}
	if err := json.Unmarshal([]byte(body), &us); code != 200 || err != nil {
		t.Fatalf("inbound/users: %d %v", code, err)
	}
	out := map[string]dirUser{}
	for _, u := range us {
		out[u.ExternalID] = u.dirUser
	}
	return out
}

// dailyReport is upload -state -json.
type dailyReport struct {
	Summary struct {
		Created, Updated, Disabled, Skipped, Unchanged, Failed, Retried, WithoutOutcome, Leavers int
	} `json:"summary"`
	Records []struct {
		ExternalID, Action, Status, ErrorCode, Reason, RecommendedAction string
		Leaver                                                           bool
		Attempts                                                         int
	} `json:"records"`
}

func daily(t *testing.T, r result) dailyReport {
	t.Helper()
	var rep dailyReport
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("not a daily report: %v\n%s", err, r)
	}
	return rep
}

// journalLines counts the lines of a journal by state ("pending",
// "outcome"…).
func journalLines(path string) map[string]int {
	out := map[string]int{}
	b, _ := os.ReadFile(path)
	for _, l := range strings.Split(string(b), "\n") {
		var e struct{ State string }
		if json.Unmarshal([]byte(l), &e) == nil && e.State != "" {
			out[e.State]++
		}
	}
	return out
}

// Day 1 uploads everyone; day 2, the same export, sends nothing; day 3,
// with changes, new people and leavers, is refused by the brake (exit 2,
// nothing sent) until -max-leavers allows them, then sends only those;
// day 4 retries a transient failure and reports a data error with
// Graph's reason and recommended action (exit 1).
func TestInboundDailyAgainstFakeGraph(t *testing.T) {
	fg := startFakeGraph(t)
	env := inboundEnv(fg)
	dir := t.TempDir()
	state := filepath.Join(dir, "hr.state")
	upload := func(csv string, args ...string) result {
		return run(t, env, "", append([]string{"upload", "-csv", csv, "-state", state, "-poll", "100ms", "-timeout", "30s", "-skew", "0s", "-json"}, args...)...)
	}

	r := upload(hrDay(t, dir, "day1.csv", 1, 120))
	if rep := daily(t, r); r.code != 0 || rep.Summary.Created != 120 || len(rep.Records) != 120 {
		t.Fatalf("day 1: %s", r)
	}
	if st, err := os.Stat(state); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("state: %v %v", st, err)
	}
	sent1, _ := fg.sent(t)

	r = upload(hrDay(t, dir, "day2.csv", 1, 120))
	if rep := daily(t, r); r.code != 0 || rep.Summary.Unchanged != 120 || len(rep.Records) != 0 || !strings.Contains(r.stderr, "Nothing to send") {
		t.Fatalf("day 2: %s", r)
	}
	if sent2, _ := fg.sent(t); len(sent2) != len(sent1) || sent2["E0001"] != 1 {
		t.Fatalf("day 2 sent something: %d externalIds, E0001 %d time(s)", len(sent2), sent2["E0001"])
	}

	// Day 3: E0001-E0005 promoted, E0121-E0122 hired, E0118-E0120 left.
	day3 := hrDay(t, dir, "day3.csv", 1, 117, 1, 2, 3, 4, 5)
	day3b, _ := os.ReadFile(day3)
	os.WriteFile(day3, append(day3b, "E0121,e0121@contoso.com,Person 121,Clerk\nE0122,e0122@contoso.com,Person 122,Clerk\n"...), 0o600)
	r = run(t, env, "", "upload", "-csv", day3, "-state", state, "-poll", "100ms", "-skew", "0s", "-max-leavers", "2")
	if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, "3 leaver(s)") || !strings.Contains(r.stderr, "more than -max-leavers 2") ||
		!strings.Contains(r.stderr, "nothing was sent") {
		t.Fatalf("day 3, the brake: %s", r)
	}
	if sent, _ := fg.sent(t); len(sent) != 120 {
		t.Fatalf("the brake let %d externalId(s) through", len(sent)-120)
	}
	r = upload(day3, "-max-leavers", "3")
	rep := daily(t, r)
	if s := rep.Summary; r.code != 0 || s.Updated != 5 || s.Created != 2 || s.Disabled != 3 || s.Unchanged != 112 || len(rep.Records) != 10 {
		t.Fatalf("day 3: %+v\n%s", s, r)
	}
	sent, inactive := fg.sent(t)
	users := fg.directory(t)
	for _, id := range []string{"E0118", "E0119", "E0120"} {
		if inactive[id] != 1 || users[id].Active || users[id].Attributes["title"] != "Clerk" {
			t.Errorf("leaver %s: sent inactive %d time(s), %+v", id, inactive[id], users[id])
		}
	}
	if sent["E0001"] != 2 || sent["E0006"] != 1 || sent["E0121"] != 1 || users["E0001"].Attributes["title"] != "Manager" {
		t.Errorf("day 3 sent E0001 %d, E0006 %d, E0121 %d time(s) in all", sent["E0001"], sent["E0006"], sent["E0121"])
	}

	// Day 4: E0006 and E0007 promoted; Graph fails E0006 once for a
	// transient reason and E0007 for its data.
	for _, body := range []string{`{"externalId":"E0006","errorCode":"ServiceUnavailable","transient":true,"times":1}`,
		`{"externalId":"E0007","errorCode":"InvalidTitle"}`} {
		if code, b := fg.control(t, "POST", "inbound/failures", body); code != 204 {
			t.Fatalf("inbound/failures: %d %s", code, b)
		}
	}
	day4 := hrDay(t, dir, "day4.csv", 1, 117, 1, 2, 3, 4, 5, 6, 7)
	os.WriteFile(day4, append(mustRead(os.ReadFile(day4)), "E0121,e0121@contoso.com,Person 121,Clerk\nE0122,e0122@contoso.com,Person 122,Clerk\n"...), 0o600)
	r = upload(day4, "-retry-wait", "200ms")
	rep = daily(t, r)
	byID := map[string]int{}
	for i, e := range rep.Records {
		byID[e.ExternalID] = i
	}
	e6, e7 := rep.Records[byID["E0006"]], rep.Records[byID["E0007"]]
	if r.code != 1 || rep.Summary.Updated != 1 || rep.Summary.Failed != 1 || rep.Summary.Retried != 1 ||
		e6.Status != "success" || e6.Attempts != 2 || e7.Status != "failure" || e7.Attempts != 1 || e7.ErrorCode != "InvalidTitle" ||
		e7.Reason == "" || e7.RecommendedAction == "" {
		t.Fatalf("day 4: %+v\n%s", rep, r)
	}
	// The table says it too, and the data error is sent again the next
	// day (the state did not take it), the accepted record not.
	r = run(t, env, "", "upload", "-csv", day4, "-state", state, "-poll", "100ms", "-skew", "0s")
	if r.code != 1 || !strings.Contains(r.stdout, "InvalidTitle") || !strings.Contains(r.stdout, "Correct the record") ||
		!strings.Contains(r.stdout, "UNCHANGED") || strings.Contains(r.stdout, "E0006") {
		t.Fatalf("day 5: %s", r)
	}
}

func mustRead(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

// A run killed (kill -9) at every step of a day's run, then run again
// until done: nothing is sent twice (each record is sent once, and again
// only after a failure), nothing is lost (the directory and the state end
// as after an uninterrupted run, and the next run sends nothing).
func TestInboundKilledAtEveryStep(t *testing.T) {
	for _, step := range []struct {
		name string
		// fault is injected through the control API before the run.
		fault string
		// reached says the run got to the step, from its journal.
		reached func(j map[string]int) bool
	}{
		{"before sending: preflight", `{"method":"GET","pathSuffix":"/jobs/JOB","latency":"5s"}`,
			func(j map[string]int) bool { return j["pending"] == 0 }},
		{"while uploading: a request in flight", `{"method":"POST","pathSuffix":"/bulkUpload","nth":2,"latency":"5s"}`,
			func(j map[string]int) bool { return j["pending"] >= 100 }},
		{"while following the logs: some outcomes in", `{"method":"POST","pathSuffix":"/bulkUpload","nth":2,"latency":"1500ms"}`,
			func(j map[string]int) bool { return j["outcome"] >= 50 && j["outcome"] < 112 }},
		{"while waiting to retry a transient failure", "",
			func(j map[string]int) bool { return j["outcome"] >= 112 }},
		{"after every outcome", "",
			func(j map[string]int) bool { return j["outcome"] >= 112 }},
	} {
		t.Run(step.name, func(t *testing.T) {
			fg := startFakeGraph(t)
			env := inboundEnv(fg)
			dir := t.TempDir()
			state := filepath.Join(dir, "hr.state")
			args := func(csv string, more ...string) []string {
				return append([]string{"upload", "-csv", csv, "-state", state, "-poll", "50ms", "-timeout", "3s", "-skew", "0s",
					"-max-leavers", "2", "-retry-wait", "3s"}, more...)
			}
			if r := run(t, env, "", args(hrDay(t, dir, "day1.csv", 1, 120))...); r.code != 0 {
				t.Fatalf("day 1: %s", r)
			}
			before, _ := fg.sent(t)
			// The day: 110 promoted (3 requests with the leavers), 2 left.
			changed := make([]int, 110)
			for i := range changed {
				changed[i] = i + 1
			}
			csv := hrDay(t, dir, "day.csv", 1, 118, changed...)
			if step.fault != "" {
				f := strings.ReplaceAll(step.fault, "JOB", env["GRAPHSYNC_JOB_ID"])
				if code, b := fg.control(t, "POST", "faults", f); code != 204 {
					t.Fatalf("fault: %d %s", code, b)
				}
			}
			if strings.Contains(step.name, "retry") {
				fg.control(t, "POST", "inbound/failures", `{"externalId":"E0003","transient":true,"times":1}`)
			}
			cmd := exec.Command(binary, args(csv)...)
			cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}
			for k, v := range env {
				cmd.Env = append(cmd.Env, k+"="+v)
			}
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// What the day's run wrote to the journal (day 1's lines aside).
			journal := state + ".journal"
			day1 := journalLines(journal)
			today := func() map[string]int {
				j := journalLines(journal)
				for k, n := range day1 {
					j[k] -= n
				}
				return j
			}
			deadline := time.Now().Add(20 * time.Second)
			time.Sleep(300 * time.Millisecond) // real time: a process, a real fake Graph
			for !step.reached(today()) && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			cmd.Process.Kill()
			cmd.Wait()
			at := today()
			if !step.reached(at) {
				t.Fatalf("the run never reached the step: journal %v\n%s", at, out.String())
			}
			code, body := fg.control(t, "DELETE", "faults", "")
			if code != 204 {
				t.Fatalf("faults: %d %s", code, body)
			}
			t.Logf("killed with journal %v", at)

			// Run again until done.
			var r result
			for try := 0; try < 4; try++ {
				if r = run(t, env, "", args(csv, "-json")...); r.code == 0 {
					break
				}
			}
			if r.code != 0 {
				t.Fatalf("never finished: %s", r)
			}
			// Nothing lost: the next run has nothing to send.
			r = run(t, env, "", args(csv)...)
			if r.code != 0 || !strings.Contains(r.stderr, "Nothing to send") || !strings.Contains(r.stderr, "118 unchanged") {
				t.Fatalf("after resuming: %s", r)
			}
			users := fg.directory(t)
			for i := 1; i <= 120; i++ {
				id := fmt.Sprintf("E%04d", i)
				want := dirUser{Active: i <= 118, Attributes: map[string]string{"title": "Clerk"}}
				if i <= 110 {
					want.Attributes["title"] = "Manager"
				}
				if u := users[id]; u.Active != want.Active || u.Attributes["title"] != want.Attributes["title"] {
					t.Errorf("%s: %+v, want active %v, title %s", id, u, want.Active, want.Attributes["title"])
				}
			}
			// Nothing sent twice: each record of the day once, and once
			// more for each failure.
			after, _ := fg.sent(t)
			failed := failures(t, env)
			for i := 1; i <= 120; i++ {
				id := fmt.Sprintf("E%04d", i)
				want := 0
				if i <= 110 || i > 118 {
					want = 1 + failed[id]
				}
				if got := after[id] - before[id]; got != want {
					t.Errorf("%s sent %d time(s) on the day, want %d (%d failure(s))", id, got, want, failed[id])
				}
			}
		})
	}
}

// The brake counts the people an export marks active=false, as an
// operator runs it against fake-graph as a process: day 2 marks three of
// 40 inactive, more than the default 5% (2): exit 2, nothing sent; with
// -max-leavers 3 they are disabled.
func TestInboundBrakeCountsPeopleMarkedInactiveE2E(t *testing.T) {
	fg := startFakeGraph(t)
	env := inboundEnv(fg)
	dir := t.TempDir()
	state := filepath.Join(dir, "hr.state")
	export := func(name string, inactive ...int) string {
		var b strings.Builder
		b.WriteString("externalId,userName,active\n")
		for i := 1; i <= 40; i++ {
			fmt.Fprintf(&b, "E%04d,e%04d@contoso.com,%v\n", i, i, !slices.Contains(inactive, i))
		}
		p := filepath.Join(dir, name)
		must(t, os.WriteFile(p, []byte(b.String()), 0o600))
		return p
	}
	upload := func(csv string, args ...string) result {
		return run(t, env, "", append([]string{"upload", "-csv", csv, "-state", state, "-poll", "100ms", "-timeout", "30s", "-skew", "0s"}, args...)...)
	}
	if r := upload(export("day1.csv")); r.code != 0 {
		t.Fatalf("day 1: %s", r)
	}
	day2 := export("day2.csv", 1, 2, 3)
	r := upload(day2)
	if r.code != 2 || !strings.Contains(r.stderr, "3 people would be disabled") || !strings.Contains(r.stderr, "nothing was sent") {
		t.Fatalf("day 2, the brake: %s", r)
	}
	if _, inactive := fg.sent(t); len(inactive) != 0 {
		t.Fatalf("the brake let %v through", inactive)
	}
	if r := upload(day2, "-max-leavers", "3"); r.code != 0 {
		t.Fatalf("day 2, -max-leavers 3: %s", r)
	}
	if _, inactive := fg.sent(t); len(inactive) != 3 {
		t.Fatalf("sent inactive: %v, want E0001-E0003", inactive)
	}
}
