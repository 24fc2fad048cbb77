package upload

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/graphsync/graphsync/graphtest"
)

// evil is what a hostile Graph (or anything between the operator and
// Graph) puts in every field it answers: a new title and the clipboard
// (OSC 0 and OSC 52), a cleared screen and the cursor moved up (CSI), CR
// and LF, C1 controls, DEL, bidi overrides and a line separator, and a
// forged row claiming success for another record.
func evil(field string) string {
	return field + "\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x1b\\\x1b[2J\x1b[1A\r\n" +
		"3     E9  e9@contoso.com  create  success\u0085\u009b31m\x7f\u202eSSECCUS\u2066\u2028\t" + field
}

// checkShown fails when text holds anything a terminal would interpret:
// every rune must be graphic (newlines end lines and are the only
// exception).
func checkShown(t *testing.T, what, text string) {
	t.Helper()
	if !utf8.ValidString(text) {
		t.Errorf("%s is not UTF-8", what)
	}
	for i, r := range text {
		if r != '\n' && !unicode.IsGraphic(r) {
			t.Errorf("%s holds %U raw at byte %d:\n%s", what, r, i, text)
			return
		}
	}
}

// hostileLogs is a page of the provisioning logs with an event for each
// externalId, evil in every field.
func hostileLogs(ids ...string) string {
	var events []map[string]any
	for i, id := range ids {
		events = append(events, map[string]any{
			"id": fmt.Sprintf("hostile-%d-%d", time.Now().UnixNano(), i), "activityDateTime": time.Now().UTC().Format(time.RFC3339),
			"jobId": evil("job"), "changeId": evil("change"), "cycleId": evil("cycle"),
			"provisioningAction": evil("create"),
			"provisioningStatusInfo": map[string]any{"status": evil("success"), "errorInformation": map[string]string{
				"errorCode": evil("Code"), "reason": evil("Reason"), "additionalDetails": evil("Details"), "recommendedAction": evil("Recommended")}},
			"sourceIdentity": map[string]string{"id": id, "displayName": evil("name")},
			"targetIdentity": map[string]string{"id": evil("target")},
		})
	}
	b, _ := json.Marshal(map[string]any{"value": events})
	return string(b)
}

// TestHostileLogsPrintOneCleanRowPerRecord: whatever the provisioning
// logs hold, the table has exactly one row per record, nothing raw
// reaches stdout or stderr, and -json still carries the exact values. The
// HR values are shown cleaned too (a zero-width space and a soft hyphen,
// which the input allows).
func TestHostileLogsPrintOneCleanRowPerRecord(t *testing.T) {
	srv, job := fakeReal(t, &graphtest.Options{InboundDelay: time.Hour})
	ids := []string{"H1", "H\u200b2", "H3"}
	csv := writeFile(t, "hr.csv", "externalId,userName\n"+ids[0]+",a@contoso.com\n"+ids[1]+",b\u00ad@contoso.com\n"+ids[2]+",c@contoso.com\n")
	// The first read of the logs is the preflight's; the second, the
	// first poll's, is hostile.
	hostile := func() {
		srv.InjectFault(graphtest.Fault{Method: "GET", PathContains: "auditLogs/provisioning", Nth: 2, Body: hostileLogs(ids...)})
	}
	hostile()
	r := runArgs(t, context.Background(), "", "-job", job, "-csv", csv, "-poll", "20ms", "-timeout", "10s")
	if r.code != exitFailed {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	checkShown(t, "stdout", r.stdout)
	checkShown(t, "stderr", r.stderr)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines for a header and 3 records:\n%s", len(lines), r.stdout)
	}
	for i, l := range lines[1:] {
		if f := strings.Fields(l); len(f) < 2 || f[0] != fmt.Sprint(i+2) || !strings.HasPrefix(f[1], "H") {
			t.Errorf("row %d is not record %d's: %q", i+1, i+1, l)
		}
	}
	if !strings.Contains(r.stdout, `H\u200b2`) || !strings.Contains(r.stdout, `\x1b]52;c;ZXZpbA==\x1b\`) {
		t.Errorf("not shown escaped:\n%s", r.stdout)
	}

	hostile()
	r = runArgs(t, context.Background(), "", "-json", "-job", job, "-csv", csv, "-poll", "20ms", "-timeout", "10s")
	checkShown(t, "-json stdout", r.stdout)
	checkShown(t, "-json stderr", r.stderr)
	var rows []entry
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil || len(rows) != 3 {
		t.Fatalf("exit %d: %v\n%s", r.code, err, r.stdout)
	}
	for i, e := range rows {
		if e.ExternalID != ids[i] || e.Action != evil("create") || e.Status != evil("success") || e.ErrorCode != evil("Code") ||
			e.Reason != evil("Reason") || e.AdditionalDetails != evil("Details") || e.RecommendedAction != evil("Recommended") ||
			e.TargetID != evil("target") {
			t.Errorf("-json changed the values: %+v", e)
		}
	}
}

// TestHostileRefusalIsCleaned: a bulkUpload refused with evil in Graph's
// code and message is reported on one line per record, cleaned.
func TestHostileRefusalIsCleaned(t *testing.T) {
	srv, job := fakeReal(t, nil)
	body, _ := json.Marshal(map[string]any{"error": map[string]string{"code": evil("Forbidden"), "message": evil("Denied")}})
	srv.InjectFault(graphtest.Fault{PathContains: "/bulkUpload", Status: 403, Body: string(body)})
	r := runArgs(t, context.Background(), "", "-job", job, "-csv", writeFile(t, "hr.csv", hrCSV(2)), "-poll", "20ms", "-timeout", "1s")
	if r.code != exitFailed {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	checkShown(t, "stdout", r.stdout)
	checkShown(t, "stderr", r.stderr)
	if n := strings.Count(r.stdout, "\n"); n != 3 {
		t.Errorf("%d lines for a header and 2 records:\n%s", n, r.stdout)
	}
}

// An HR export with a control character in a cell (an escape sequence, a
// TAB, a C1 control, a bidi override) is refused with its line and
// column before anything is sent.
func TestCSVControlCharactersRefusedBeforeSending(t *testing.T) {
	srv, job := fakeReal(t, nil)
	for cell, want := range map[string]string{
		"Ada\x1b]52;c;ZXZpbA==\x07": `line 3 column 2: control character \x1b`,
		"Ada\tLovelace":             `line 3 column 2: control character \t`,
		"Ada\u0085":                 `line 3 column 2: control character \u0085`,
		"\u202eecalevoL adA":        `line 3 column 2: control character \u202e`,
	} {
		csv := writeFile(t, "hr.csv", "externalId,displayName\nA1,Ann\nA2,"+cell+"\n")
		r := runArgs(t, context.Background(), "", "-job", job, "-csv", csv, "-poll", "20ms", "-timeout", "1s")
		if r.code != exitUsage || r.stdout != "" || !strings.Contains(r.stderr, want) || bulkCalls(srv) != 0 {
			t.Errorf("%q: exit %d, %d sent\n%s", cell, r.code, bulkCalls(srv), r.stderr)
		}
		checkShown(t, "stderr", r.stderr)
	}
}

// A journal path that is a symbolic link is refused, for -journal and
// for -resume, before anything is uploaded; its target is left alone. A
// journal others may read gets a warning.
func TestJournalSymlinkRefusedAndExposedWarned(t *testing.T) {
	srv, job := fakeReal(t, &graphtest.Options{InboundDelay: 20 * time.Millisecond})
	dir := t.TempDir()
	target := filepath.Join(dir, "authorized_keys")
	os.WriteFile(target, []byte("precious\n"), 0o600)
	link := filepath.Join(dir, "hr.jsonl")
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	csv := writeFile(t, "hr.csv", hrCSV(1))
	for _, flag := range []string{"-journal", "-resume"} {
		r := runArgs(t, context.Background(), "", "-job", job, "-csv", csv, "-poll", "20ms", "-timeout", "1s", flag, link)
		if r.code != exitUsage || bulkCalls(srv) != 0 || !strings.Contains(r.stderr, link) || !strings.Contains(r.stderr, "symbolic link") {
			t.Errorf("%s through a link: exit %d, %d sent\n%s", flag, r.code, bulkCalls(srv), r.stderr)
		}
	}
	if b, _ := os.ReadFile(target); string(b) != "precious\n" {
		t.Errorf("the link's target was written: %q", b)
	}
	exposed := filepath.Join(dir, "exposed.jsonl")
	os.WriteFile(exposed, nil, 0o600)
	os.Chmod(exposed, 0o644)
	r := runArgs(t, context.Background(), "", "-job", job, "-csv", csv, "-poll", "20ms", "-timeout", "10s", "-journal", exposed, "-resume", exposed)
	if r.code != exitOK || strings.Count(r.stderr, "chmod 600 "+exposed) != 1 {
		t.Errorf("exit %d; want one warning for a journal of mode 0644:\n%s", r.code, r.stderr)
	}
}
