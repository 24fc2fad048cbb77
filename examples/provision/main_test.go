package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/graphsync/graphsync/graphtest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func clearEnv(t *testing.T) {
	for _, k := range []string{"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "GRAPHSYNC_SERVICE_PRINCIPAL_ID", "GRAPHSYNC_JOB_ID", "GRAPHSYNC_RULE_ID"} {
		t.Setenv(k, "")
	}
}

func runJSON(t *testing.T, ctx context.Context, args ...string) (int, []row, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(ctx, append([]string{"-json", "-no-progress"}, args...), &stdout, &stderr)
	var rows []row
	if err := json.Unmarshal(stdout.Bytes(), &rows); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s\nstderr: %s", err, stdout.String(), stderr.String())
	}
	return code, rows, stderr.String()
}

func TestDemoRunsOffline(t *testing.T) {
	clearEnv(t)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), nil, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	out := stdout.String()
	if strings.Count(out, "Success") != 22 || strings.Count(out, "RedundantExport") != 1 {
		t.Fatalf("table:\n%s", out)
	}
	if !strings.Contains(stderr.String(), "5 requests per 1 s") || !strings.Contains(stderr.String(), "23 subjects") ||
		!strings.Contains(stderr.String(), "(23/23") {
		t.Fatalf("stderr:\n%s", stderr.String())
	}
}

func TestFailingSubjectExitsNonZero(t *testing.T) {
	clearEnv(t)
	code, rows, _ := runJSON(t, context.Background(),
		"-rule", graphtest.DefaultRuleID, "-subject", "User:"+sampleUser(1), "-subject", "User:ghost",
		"-subject", "Group:8213fd99-d6b6-417b-8e13-af6334856215="+sampleUser(2)+";"+sampleUser(3))
	if code != exitFailed {
		t.Fatalf("exit %d, want %d", code, exitFailed)
	}
	if len(rows) != 3 || rows[0].Result != "Success" || rows[1].Result != "Failure" || rows[1].ErrorCode != "EntryNotFound" ||
		rows[1].FailedStep != "EntryImport" || rows[2].Type != "Group" || rows[2].Result != "Success" {
		t.Fatalf("rows = %+v", rows)
	}
}

func TestCSVInput(t *testing.T) {
	clearEnv(t)
	path := filepath.Join(t.TempDir(), "subjects.csv")
	csv := "ruleId,objectId,objectTypeName,members\n" +
		graphtest.DefaultRuleID + "," + sampleUser(4) + ",User\n" +
		"# a comment\n" +
		"," + sampleUser(5) + ",User\n" +
		graphtest.DefaultRuleID + "#V2,8213fd99-d6b6-417b-8e13-af6334856215,Group," + sampleUser(6) + ";" + sampleUser(7) + "\n"
	if err := os.WriteFile(path, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	code, rows, stderr := runJSON(t, context.Background(), "-rule", graphtest.DefaultRuleID, "-csv", path)
	if code != exitOK || len(rows) != 3 || rows[2].Type != "Group" {
		t.Fatalf("exit %d rows %+v\n%s", code, rows, stderr)
	}
	subs, err := readCSV(path, "default")
	if err != nil || subs[1].req.Parameters[0].RuleID != "default" || subs[2].req.Parameters[0].RuleID != graphtest.DefaultRuleID+"#V2" || len(subs[2].req.Parameters[0].Subjects[0].Links.Members) != 2 {
		t.Fatalf("readCSV = %+v, %v", subs, err)
	}
	if err := os.WriteFile(path, []byte("r,onlytwo\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, errb bytes.Buffer
	if code := run(context.Background(), []string{"-csv", path}, &stdout, &errb); code != exitUsage {
		t.Fatalf("bad CSV: exit %d", code)
	}
}

func TestBadUsage(t *testing.T) {
	clearEnv(t)
	for _, args := range [][]string{{"-subject", "nocolon"}, {"-subject", "User:x"}, {"-bogus"}} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr); code != exitUsage {
			t.Errorf("%v: exit %d (%s)", args, code, stderr.String())
		}
	}
}

func TestInterruptReportsWhatWasNotAttempted(t *testing.T) {
	clearEnv(t)
	// As Ctrl-C does: cancel, not a deadline.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	time.AfterFunc(1500*time.Millisecond, cancel)
	code, rows, stderr := runJSON(t, ctx)
	if code != exitInterrupted {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	answered, notAttempted := 0, 0
	for _, r := range rows {
		switch r.State {
		case "answered":
			answered++
		case "not attempted":
			notAttempted++
		default:
			t.Fatalf("row %+v", r)
		}
	}
	// 1.5 s of a 5-per-1.05-s demo: one window whole and part of the
	// second (requests start one after the other, each once the previous
	// one is written, so a slow machine spreads a window's starts). They
	// start in input order, so what was not attempted is the rest.
	if answered < 5 || answered > 15 || answered+notAttempted != 23 ||
		!strings.Contains(stderr, "not attempted (safe to run again): "+sampleUser(answered+1)) {
		t.Fatalf("answered %d, not attempted %d\n%s", answered, notAttempted, stderr)
	}
}
