package provision

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/graphsync/graphsync/graphtest"
)

// evil is what a hostile Graph (or anything between the operator and
// Graph) puts in every field it answers: a new title and the clipboard
// (OSC 0 and OSC 52), a cleared screen and the cursor moved up (CSI), CR
// and LF, C1 controls, DEL, bidi overrides and a line separator, and a
// forged row claiming Success for another subject.
func evil(field string) string {
	return field + "\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x1b\\\x1b[2J\x1b[1A\r\n" +
		"2     " + sampleUser(9) + "  User  Success\u0085\u009b31m\x7f\u202eSSECCUS\u2066\u2028\t" + field
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

// hostileAnswer is a provisionOnDemand answer (200) with evil in every
// string.
func hostileAnswer() string {
	key, _ := json.Marshal(map[string]any{"result": evil("Failure"), "details": map[string]string{
		"errorCode": evil("Code"), "errorMessage": evil("Message")}})
	value, _ := json.Marshal(map[string]any{
		"action":            evil("Create"),
		"provisioningSteps": []map[string]string{{"name": evil("Step"), "status": "Failure", "description": evil("Description")}},
		"statusInfo":        map[string]string{"status": "failure", "errorCode": evil("Code2"), "reason": evil("Reason"), "recommendedAction": evil("Recommended")},
	})
	body, _ := json.Marshal(map[string]string{"key": string(key), "value": string(value)})
	return string(body)
}

// TestHostileGraphPrintsOneCleanRowPerSubject: whatever Graph answers,
// the table has exactly one row per subject, nothing raw reaches stdout or
// stderr, and -json still carries Graph's exact values.
func TestHostileGraphPrintsOneCleanRowPerSubject(t *testing.T) {
	srv, job := fakeReal(t, nil)
	subjects := []string{"-subject", "User:" + sampleUser(1), "-subject", "User:" + sampleUser(2), "-subject", "User:" + sampleUser(3)}
	hostile := func() {
		// Two answers with evil in every field, one Graph error with
		// evil in its code and message.
		srv.InjectFault(graphtest.Fault{PathContains: "provisionOnDemand", Times: 2, Body: hostileAnswer()})
		errBody, _ := json.Marshal(map[string]any{"error": map[string]string{"code": evil("BadRequest"), "message": evil("Refused")}})
		srv.InjectFault(graphtest.Fault{PathContains: "provisionOnDemand", Status: 400, Body: string(errBody)})
	}

	hostile()
	r := runArgs(t, context.Background(), "", append([]string{"-job", job}, subjects...)...)
	if r.code != exitFailed {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	checkShown(t, "stdout", r.stdout)
	checkShown(t, "stderr", r.stderr)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines for a header and 3 subjects:\n%s", len(lines), r.stdout)
	}
	for i, l := range lines[1:] {
		if f := strings.Fields(l); len(f) < 3 || f[0] != fmt.Sprint(i+1) || f[1] != sampleUser(i+1) || f[2] != "User" {
			t.Errorf("row %d is not subject %d's: %q", i+1, i+1, l)
		}
	}
	if !strings.Contains(r.stdout, `\x1b]52;c;ZXZpbA==\x1b\`) || !strings.Contains(r.stdout, `\u202eSSECCUS`) {
		t.Errorf("the answers are not shown escaped:\n%s", r.stdout)
	}

	// -json: Graph's exact values, escaped as JSON.
	hostile()
	r = runArgs(t, context.Background(), "", append([]string{"-json", "-job", job}, subjects...)...)
	checkShown(t, "-json stdout", r.stdout)
	checkShown(t, "-json stderr", r.stderr)
	var rows []entry
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil || len(rows) != 3 {
		t.Fatalf("exit %d: %v\n%s", r.code, err, r.stdout)
	}
	answered, refused := 0, 0
	for _, e := range rows {
		switch {
		case e.Result == evil("Failure") && e.Action == evil("Create") && e.ErrorCode == evil("Code") &&
			e.ErrorMessage == evil("Message") && e.FailedStep == evil("Step") && e.Reason == evil("Reason") &&
			e.RecommendedAction == evil("Recommended"):
			answered++
		case e.ErrorCode == evil("BadRequest") && e.ErrorMessage == evil("Refused"):
			refused++
		default:
			t.Errorf("-json changed Graph's values: %+v", e)
		}
	}
	if answered != 2 || refused != 1 {
		t.Errorf("%d answered, %d refused, want 2 and 1", answered, refused)
	}

	// -v: the library's log, with a retried 429 carrying evil.
	busy, _ := json.Marshal(map[string]any{"error": map[string]string{"code": evil("Busy"), "message": evil("Later")}})
	srv.InjectFault(graphtest.Fault{PathContains: "provisionOnDemand", Status: 429, RetryAfter: "0", Body: string(busy)})
	hostile()
	r = runArgs(t, context.Background(), "", append([]string{"-v", "-job", job}, subjects...)...)
	checkShown(t, "-v stderr", r.stderr)
	checkShown(t, "-v stdout", r.stdout)
	if !strings.Contains(r.stderr, "retry") || !strings.Contains(r.stderr, "Busy") {
		t.Errorf("no retry of the 429 in the -v log:\n%s", r.stderr)
	}
}

// TestVerboseAzidentityLinesAreCleaned: azidentity's lines (azcore's
// listener) reach -v's log cleaned; here one names a certificate path
// from the environment. Nothing is sent: the credential cannot get a
// token.
func TestVerboseAzidentityLinesAreCleaned(t *testing.T) {
	clearEnv(t)
	t.Setenv("AZURE_TOKEN_CREDENTIALS", "EnvironmentCredential") // no other credential, no network
	t.Setenv("AZURE_TENANT_ID", "t")
	t.Setenv("AZURE_CLIENT_ID", "c")
	t.Setenv("AZURE_CLIENT_CERTIFICATE_PATH", filepath.Join(t.TempDir(), evil("cert")))
	r := runArgs(t, context.Background(), "", "-v", "-sp", "sp", "-job", "job", "-subject", "User:"+sampleUser(1))
	if r.code != exitUsage || !strings.Contains(r.stderr, "azcore: NewDefaultAzureCredential") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	checkShown(t, "-v stderr", r.stderr)
}

// TestHostileSchemaAndJobInThePlanAndErrors: the job's template and
// status and the schema's rule IDs and names reach the dry-run plan and
// the preflight's errors cleaned.
func TestHostileSchemaAndJobInThePlanAndErrors(t *testing.T) {
	srv, job := fakeReal(t, nil)
	if err := srv.SetJobRules("sp-real", job, graphtest.Rule{ID: evil("rule"), Name: evil("name"),
		Objects: []graphtest.ObjectMapping{{SourceObjectName: "User", TargetObjectName: evil("target")}}}); err != nil {
		t.Fatal(err)
	}
	jobBody, _ := json.Marshal(map[string]any{"id": evil(job), "templateId": evil("scim"),
		"status": map[string]any{"code": evil("Active")}})
	for _, jsonOut := range []bool{false, true} {
		srv.InjectFault(graphtest.Fault{Method: "GET", PathContains: "/jobs/" + job, Body: string(jobBody)})
		args := []string{"-dry-run", "-job", job, "-subject", "User:" + sampleUser(1)}
		if jsonOut {
			args = append(args, "-json")
		}
		r := runArgs(t, context.Background(), "", args...)
		if r.code != exitOK {
			t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		checkShown(t, "plan", r.stdout)
		checkShown(t, "stderr", r.stderr)
		if jsonOut {
			var plan struct{ Rules map[string]string }
			if err := json.Unmarshal([]byte(r.stdout), &plan); err != nil || plan.Rules["user"] != evil("rule") {
				t.Errorf("-json plan: %v, rules %q", err, plan.Rules)
			}
		} else if !strings.Contains(r.stdout, `"scim\x1b]0;pwned\a`) {
			t.Errorf("the template is not quoted in the plan:\n%s", r.stdout)
		}
	}
	// No rule for the subject's type: RuleFor's error names the
	// schema's rules, cleaned.
	r := runArgs(t, context.Background(), "", "-dry-run", "-job", job, "-subject", "Group:8213fd99-d6b6-417b-8e13-af6334856215")
	if r.code != exitUsage || !strings.Contains(r.stderr, "no rule") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	checkShown(t, "stderr", r.stderr)
}

// A CSV with a control character in a cell is refused with its line and
// column before anything is sent.
func TestCSVControlCharactersRefusedBeforeSending(t *testing.T) {
	srv, job := fakeReal(t, nil)
	p := filepath.Join(t.TempDir(), "s.csv")
	os.WriteFile(p, []byte("ruleId,objectId,objectTypeName\n,"+sampleUser(1)+",User\n,"+sampleUser(2)+"\x1b[2J,User\n"), 0o600)
	r := runArgs(t, context.Background(), "", "-job", job, "-csv", p)
	if r.code != exitUsage || r.stdout != "" || !strings.Contains(r.stderr, `line 3 column 2: control character \x1b`) || provisionCalls(srv) != 0 {
		t.Fatalf("exit %d, %d sent\n%s", r.code, provisionCalls(srv), r.stderr)
	}
}

// A -subject with a control character or a line break is refused, as a
// CSV cell would be, before anything is sent.
func TestSubjectFlagControlCharactersRefusedBeforeSending(t *testing.T) {
	srv, job := fakeReal(t, nil)
	for _, s := range []string{"User:" + sampleUser(1) + "\x1b[2J", "User:" + sampleUser(1) + "\nUser:x", "Group:g=" + sampleUser(1) + "\u202e"} {
		r := runArgs(t, context.Background(), "", "-job", job, "-subject", s)
		if r.code != exitUsage || r.stdout != "" || strings.ContainsAny(r.stderr, "\x1b\u202e") ||
			strings.Count(r.stderr, "\n") != 1 || provisionCalls(srv) != 0 {
			t.Fatalf("%q: exit %d, %d sent\n%s", s, r.code, provisionCalls(srv), r.stderr)
		}
	}
}

// A journal path that is a symbolic link is refused, for -journal and
// for -resume, before anything is sent; its target is left alone. A
// journal others may read gets a warning.
func TestJournalSymlinkRefusedAndExposedWarned(t *testing.T) {
	srv, job := fakeReal(t, nil)
	dir := t.TempDir()
	target := filepath.Join(dir, "authorized_keys")
	os.WriteFile(target, []byte("precious\n"), 0o600)
	link := filepath.Join(dir, "run.jsonl")
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	for _, flag := range []string{"-journal", "-resume"} {
		r := runArgs(t, context.Background(), "", "-job", job, flag, link, "-subject", "User:"+sampleUser(1))
		if r.code != exitUsage || provisionCalls(srv) != 0 || !strings.Contains(r.stderr, link) || !strings.Contains(r.stderr, "symbolic link") {
			t.Errorf("%s through a link: exit %d, %d sent\n%s", flag, r.code, provisionCalls(srv), r.stderr)
		}
	}
	if b, _ := os.ReadFile(target); string(b) != "precious\n" {
		t.Errorf("the link's target was written: %q", b)
	}
	exposed := filepath.Join(dir, "exposed.jsonl")
	os.WriteFile(exposed, nil, 0o600)
	os.Chmod(exposed, 0o644)
	r := runArgs(t, context.Background(), "", "-job", job, "-journal", exposed, "-resume", exposed, "-subject", "User:"+sampleUser(1))
	if r.code != exitOK || strings.Count(r.stderr, "chmod 600 "+exposed) != 1 {
		t.Errorf("exit %d; want one warning for a journal of mode 0644:\n%s", r.code, r.stderr)
	}
}
