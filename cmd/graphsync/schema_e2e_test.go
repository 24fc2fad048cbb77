package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/graphsync/graphsync/models"
	"github.com/graphsync/graphsync/schemaedit"
)

// The schema as code, as an operator runs it: the built binary against
// graphsync fake-graph started as a process (see e2e_test.go).

// readSchemaJSON decodes a schema file.
func readSchemaJSON(t *testing.T, name string) *models.SynchronizationSchema {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var s models.SynchronizationSchema
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &s
}

func writeSchemaJSON(t *testing.T, name string, s *models.SynchronizationSchema) {
	t.Helper()
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// sameSchema reports whether two schemas differ in nothing but their
// version and @odata.context.
func sameSchema(t *testing.T, a, b *models.SynchronizationSchema) bool {
	t.Helper()
	cs, err := schemaedit.Diff(*a, *b)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		t.Log(c)
	}
	return len(cs) == 0
}

// userMapping is the demo job's object mapping of users.
func userMapping(t *testing.T, s *models.SynchronizationSchema) *models.ObjectMapping {
	t.Helper()
	om, err := schemaedit.FindObjectMapping(s, "", "User", "")
	if err != nil {
		t.Fatal(err)
	}
	return om
}

// liveSchema is the job's schema as graphsync schema get prints it.
func liveSchema(t *testing.T, env map[string]string) *models.SynchronizationSchema {
	t.Helper()
	r := run(t, env, "", "schema", "get")
	var s models.SynchronizationSchema
	if err := json.Unmarshal([]byte(r.stdout), &s); r.code != 0 || err != nil {
		t.Fatalf("schema get: %v\n%s", err, r)
	}
	return &s
}

// since returns the requests fake-graph received after the first n.
func (fg *fakeGraph) since(t *testing.T, n int) []string {
	t.Helper()
	return fg.requests(t)[n:]
}

// get, edit, lint, plan, apply: the change is live, the schema it replaced
// is in the backup, and apply sent exactly one read, one PUT and one read
// back. Applying the same plan again sends nothing.
func TestSchemaGetEditPlanApply(t *testing.T) {
	fg := startFakeGraph(t)
	env := fg.env
	dir := t.TempDir()
	live, desired, plan, backup := filepath.Join(dir, "live.json"), filepath.Join(dir, "desired.json"),
		filepath.Join(dir, "plan.json"), filepath.Join(dir, "before.json")

	if r := run(t, env, "", "schema", "get", "-o", live); r.code != 0 {
		t.Fatalf("schema get: %s", r)
	}
	s := readSchemaJSON(t, live)
	om := userMapping(t, s)
	must(t, schemaedit.SetMapping(om, schemaedit.Expression("displayName", `Join(" ", [givenName], [surname])`)))
	ext, err := schemaedit.GetMapping(om, "externalId")
	must(t, err)
	ext.FlowType = models.FlowTypeObjectAddOnly
	must(t, schemaedit.ReplaceMapping(om, ext))
	must(t, schemaedit.SetScopeGroup(om, schemaedit.Group("Has a mail", schemaedit.Clause("mail", "IS NOT NULL"))))
	writeSchemaJSON(t, desired, s)

	if r := run(t, env, "", "schema", "lint", "-f", desired); r.code != 0 || r.stdout != "" || !strings.Contains(r.stderr, "no findings") {
		t.Fatalf("lint: %s", r)
	}
	n := len(fg.requests(t))
	r := run(t, env, "", "schema", "plan", "-f", desired, "-out", plan)
	if r.code != 0 || !strings.Contains(r.stderr, "Plan: 3 change(s) (0 added, 0 removed, 3 changed) to the schema of job") {
		t.Fatalf("plan: %s", r)
	}
	for _, want := range []string{
		`~ scoping filter of "User"→`, `    new: group "Has a mail": [mail] IS NOT NULL`,
		`~ attribute mapping "displayName" of "User"→`, `    old: Direct [displayName]`, `    new: Expression Join(" ", [givenName], [surname])`,
		`~ attribute mapping "externalId" of "User"→`, `    flowType: "Always" → "ObjectAddOnly"`,
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the plan lacks %q:\n%s", want, r.stdout)
		}
	}
	if got := fg.since(t, n); !slices.Equal(got, []string{"GET /v1.0/servicePrincipals/" + env["GRAPHSYNC_SERVICE_PRINCIPAL_ID"] + "/synchronization/jobs/" + env["GRAPHSYNC_JOB_ID"] + "/schema"}) {
		t.Errorf("plan sent %q", got)
	}
	// -json: the same changes, typed.
	r = run(t, env, "", "schema", "plan", "-f", desired, "-json")
	var changes []schemaedit.Change
	if err := json.Unmarshal([]byte(r.stdout), &changes); r.code != 0 || err != nil || len(changes) != 3 {
		t.Fatalf("plan -json: %v\n%s", err, r)
	}
	if c := changes[1]; c.Kind != schemaedit.KindAttributeMapping || c.TargetAttribute != "displayName" || c.Old.Source != "displayName" ||
		c.New.Type != schemaedit.TypeExpression || c.New.Source != `Join(" ", [givenName], [surname])` {
		t.Errorf("plan -json: %+v", c)
	}

	// apply, with its flag after the plan.
	n = len(fg.requests(t))
	r = run(t, env, "", "schema", "apply", plan, "-backup", backup)
	if r.code != 0 || !strings.Contains(r.stdout, `~ attribute mapping "displayName"`) || !strings.Contains(r.stderr, "read back, the schema is the desired one") {
		t.Fatalf("apply: %s", r)
	}
	path := "/v1.0/servicePrincipals/" + env["GRAPHSYNC_SERVICE_PRINCIPAL_ID"] + "/synchronization/jobs/" + env["GRAPHSYNC_JOB_ID"] + "/schema"
	if got := fg.since(t, n); !slices.Equal(got, []string{"GET " + path, "PUT " + path, "GET " + path}) {
		t.Errorf("apply sent %q", got)
	}
	if !sameSchema(t, liveSchema(t, env), s) {
		t.Error("the live schema is not the desired one")
	}
	if !sameSchema(t, readSchemaJSON(t, backup), readSchemaJSON(t, live)) {
		t.Error("the backup is not the schema apply replaced")
	}
	if info, err := os.Stat(backup); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("backup: %v %v", info, err)
	}
	// Again: already applied, nothing sent but the read.
	n = len(fg.requests(t))
	r = run(t, env, "", "schema", "apply", plan, "-backup", filepath.Join(dir, "again.json"))
	if r.code != 0 || r.stdout != "No changes.\n" || !strings.Contains(r.stderr, "already") {
		t.Errorf("apply again: %s", r)
	}
	if got := fg.since(t, n); len(got) != 1 || !strings.HasPrefix(got[0], "GET ") {
		t.Errorf("apply again sent %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "again.json")); !errors.Is(err, os.ErrNotExist) {
		t.Error("apply of nothing wrote a backup")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Another PUT between plan and apply: apply refuses, says what changed,
// and sends nothing but its read; the other change stays.
func TestSchemaApplyRefusedAfterAConcurrentChange(t *testing.T) {
	fg := startFakeGraph(t)
	env := fg.env
	dir := t.TempDir()
	live, desired, theirs, plan := filepath.Join(dir, "live.json"), filepath.Join(dir, "desired.json"),
		filepath.Join(dir, "theirs.json"), filepath.Join(dir, "plan.json")
	if r := run(t, env, "", "schema", "get", "-o", live); r.code != 0 {
		t.Fatalf("schema get: %s", r)
	}
	mine := readSchemaJSON(t, live)
	must(t, schemaedit.SetMapping(userMapping(t, mine), schemaedit.Expression("displayName", `Join(" ", [givenName], [surname])`)))
	writeSchemaJSON(t, desired, mine)
	if r := run(t, env, "", "schema", "plan", "-f", desired, "-out", plan); r.code != 0 {
		t.Fatalf("plan: %s", r)
	}

	// A colleague changes another mapping meanwhile.
	other := readSchemaJSON(t, live)
	must(t, schemaedit.RemoveMapping(userMapping(t, other), "name.formatted"))
	writeSchemaJSON(t, theirs, other)
	if r := run(t, env, "", "schema", "put", "-f", theirs, "-yes"); r.code != 0 {
		t.Fatalf("their put: %s", r)
	}

	n := len(fg.requests(t))
	backup := filepath.Join(dir, "before.json")
	r := run(t, env, "", "schema", "apply", "-backup", backup, plan)
	if r.code != 1 || r.stdout != "" || !strings.Contains(r.stderr, "changed since the plan was made, 1 change(s) (0 added, 1 removed, 0 changed); nothing was applied") ||
		!strings.Contains(r.stderr, `- attribute mapping "name.formatted"`) || !strings.Contains(r.stderr, "make a new plan") {
		t.Fatalf("apply after a concurrent change: %s", r)
	}
	if got := fg.since(t, n); len(got) != 1 || !strings.HasPrefix(got[0], "GET ") {
		t.Errorf("a refused apply sent %q", got)
	}
	if _, err := os.Stat(backup); !errors.Is(err, os.ErrNotExist) {
		t.Error("a refused apply wrote a backup")
	}
	if !sameSchema(t, liveSchema(t, env), other) {
		t.Error("the colleague's schema is not live any more")
	}
}

// restore puts the backup back the same safe way, writing its own backup
// (by default a new file named for the job and the time, here); a PUT
// Graph refuses leaves the schema and says where the backup is.
func TestSchemaRestore(t *testing.T) {
	fg := startFakeGraph(t)
	env := fg.env
	dir := t.TempDir()
	live, desired, plan, backup := filepath.Join(dir, "live.json"), filepath.Join(dir, "desired.json"),
		filepath.Join(dir, "plan.json"), filepath.Join(dir, "before.json")
	if r := run(t, env, "", "schema", "get", "-o", live); r.code != 0 {
		t.Fatalf("schema get: %s", r)
	}
	s := readSchemaJSON(t, live)
	must(t, schemaedit.RemoveMapping(userMapping(t, s), "name.formatted"))
	writeSchemaJSON(t, desired, s)
	if r := run(t, env, "", "schema", "plan", "-f", desired, "-out", plan); r.code != 0 {
		t.Fatalf("plan: %s", r)
	}
	if r := run(t, env, "", "schema", "apply", plan, "-backup", backup); r.code != 0 {
		t.Fatalf("apply: %s", r)
	}

	r := runIn(t, dir, env, "", "schema", "restore", "-f", backup)
	if r.code != 0 || !strings.Contains(r.stdout, `+ attribute mapping "name.formatted"`) || !strings.Contains(r.stderr, "Restored 1 change(s)") {
		t.Fatalf("restore: %s", r)
	}
	if !sameSchema(t, liveSchema(t, env), readSchemaJSON(t, live)) {
		t.Error("the restored schema is not the one before")
	}
	name := regexp.MustCompile(`schema-backup-` + regexp.QuoteMeta(env["GRAPHSYNC_JOB_ID"]) + `-\d{8}T\d{6}Z\.json`).FindString(r.stderr)
	if name == "" {
		t.Fatalf("no default backup named: %s", r.stderr)
	}
	if !sameSchema(t, readSchemaJSON(t, filepath.Join(dir, name)), s) {
		t.Error("restore's backup is not the schema it replaced")
	}
	// An existing backup file is never overwritten: nothing is applied.
	n := len(fg.requests(t))
	r = run(t, env, "", "schema", "restore", "-f", desired, "-backup", backup)
	if r.code != 1 || !strings.Contains(r.stderr, "nothing was applied") {
		t.Errorf("restore onto an existing backup: %s", r)
	}
	if got := fg.since(t, n); len(got) != 1 {
		t.Errorf("sent %q", got)
	}

	// A schema Graph refuses (an expression that does not parse): exit 1,
	// the live schema as it was, the backup said.
	s = readSchemaJSON(t, live)
	userMapping(t, s).AttributeMappings[0].Source.Expression = "Join("
	writeSchemaJSON(t, desired, s)
	r = run(t, env, "", "schema", "restore", "-f", desired, "-backup", filepath.Join(dir, "refused.json"))
	if r.code != 1 || !strings.Contains(r.stderr, "400") || !strings.Contains(r.stderr, "does not parse") || !strings.Contains(r.stderr, "refused.json") {
		t.Errorf("a refused PUT: %s", r)
	}
	if !sameSchema(t, liveSchema(t, env), readSchemaJSON(t, live)) {
		t.Error("a refused PUT changed the schema")
	}
}

// runIn is run in the working directory dir.
func runIn(t *testing.T, dir string, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, stdout.String(), stderr.String()}
}

// An expression text edited by hand, its tree left: plan stops and says
// to rebuild the trees; -from-text does, and the result applies.
func TestSchemaPlanFromText(t *testing.T) {
	fg := startFakeGraph(t)
	env := fg.env
	dir := t.TempDir()
	live, desired, plan := filepath.Join(dir, "live.json"), filepath.Join(dir, "desired.json"), filepath.Join(dir, "plan.json")
	if r := run(t, env, "", "schema", "get", "-o", live); r.code != 0 {
		t.Fatalf("schema get: %s", r)
	}
	b, _ := os.ReadFile(live)
	edited := bytes.Replace(b, []byte(`"expression": "Not([IsSoftDeleted])"`), []byte(`"expression": "Not(IsNull([IsSoftDeleted]))"`), 1)
	if bytes.Equal(edited, b) {
		t.Fatal("the demo's schema has no Not([IsSoftDeleted])")
	}
	os.WriteFile(desired, edited, 0o600)
	if r := run(t, env, "", "schema", "lint", "-f", desired); r.code != 1 || !strings.Contains(r.stdout, "treeMismatch") {
		t.Errorf("lint: %s", r)
	}
	if r := run(t, env, "", "schema", "lint", "-f", desired, "-from-text"); r.code != 0 || r.stdout != "" {
		t.Errorf("lint -from-text: %s", r)
	}
	r := run(t, env, "", "schema", "plan", "-f", desired, "-out", plan)
	if r.code != 1 || !strings.Contains(r.stderr, "-from-text") || !strings.Contains(r.stderr, "no plan written") {
		t.Fatalf("plan of a text without its tree: %s", r)
	}
	if _, err := os.Stat(plan); !errors.Is(err, os.ErrNotExist) {
		t.Error("a refused plan was written")
	}
	r = run(t, env, "", "schema", "plan", "-f", desired, "-from-text", "-out", plan)
	if r.code != 0 || !strings.Contains(r.stderr, "Rebuilt 1 source tree(s)") || !strings.Contains(r.stdout, "new: Expression Not(IsNull([IsSoftDeleted]))") {
		t.Fatalf("plan -from-text: %s", r)
	}
	if r := run(t, env, "", "schema", "apply", plan, "-backup", filepath.Join(dir, "b.json")); r.code != 0 {
		t.Fatalf("apply: %s", r)
	}
	s := liveSchema(t, env)
	m, err := schemaedit.GetMapping(userMapping(t, s), "active")
	src := userMapping(t, s).AttributeMappings[1].Source
	if err != nil || m.Source != "Not(IsNull([IsSoftDeleted]))" || src.Name != "Not" || src.Parameters[0].Value.Name != "IsNull" {
		t.Errorf("live: %+v %v %+v", m, err, src)
	}
}

// lint: each finding at the line and column of the offending value in
// the file; -json with file, line and column; exit 1.
func TestSchemaLint(t *testing.T) {
	dir := t.TempDir()
	fg := startFakeGraph(t)
	live, desired := filepath.Join(dir, "live.json"), filepath.Join(dir, "desired.json")
	if r := run(t, fg.env, "", "schema", "get", "-o", live); r.code != 0 {
		t.Fatalf("schema get: %s", r)
	}
	s := readSchemaJSON(t, live)
	om := userMapping(t, s)
	must(t, schemaedit.SetMapping(om, schemaedit.Expression("displayName", `Join(" ", [givenname], [surname])`)))
	om.AttributeMappings[0].Source.Expression = `Append([userPrincipalName] "x")`
	writeSchemaJSON(t, desired, s)
	text, _ := os.ReadFile(desired)
	// Where the two values are in the file, found here independently.
	at := func(value string, offset int) string {
		i := bytes.Index(text, []byte(value))
		if i < 0 {
			t.Fatalf("%s not in the file", value)
		}
		i += offset
		line := 1 + bytes.Count(text[:i], []byte("\n"))
		col := i - bytes.LastIndexByte(text[:i], '\n')
		return fmt.Sprintf("%s:%d:%d: ", desired, line, col)
	}
	r := run(t, nil, "", "schema", "lint", "-f", desired)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	want := []string{
		at(`"Append([userPrincipalName] \"x\")"`, len(`"Append([userPrincipalName] `)) + `syntaxError: `,
		at(`"Join(\" \", [givenname]`, len(`"Join(\" \", `)) + `unknownAttribute: `,
	}
	if r.code != 1 || len(lines) != 2 || !strings.HasPrefix(lines[0], want[0]) || !strings.HasPrefix(lines[1], want[1]) ||
		!strings.Contains(lines[1], `(names are case-sensitive: "givenName")`) || !strings.Contains(r.stderr, "2 finding(s)") {
		t.Fatalf("lint:\n%s\nwant lines beginning\n%s", r, strings.Join(want, "\n"))
	}
	r = run(t, nil, "", "schema", "lint", "-f", desired, "-json")
	var findings []struct {
		File            string
		Line, Column    int
		Kind            string
		TargetAttribute string `json:"targetAttributeName"`
		Path            string
	}
	if err := json.Unmarshal([]byte(r.stdout), &findings); r.code != 1 || err != nil || len(findings) != 2 {
		t.Fatalf("lint -json: %v\n%s", err, r)
	}
	if f := findings[1]; fmt.Sprintf("%s:%d:%d: %s: ", f.File, f.Line, f.Column, f.Kind) != want[1] || f.TargetAttribute != "displayName" ||
		!strings.HasSuffix(f.Path, ".source.expression") {
		t.Errorf("lint -json: %+v", f)
	}
	// From standard input; and what is not a schema.
	if r := run(t, nil, string(text), "schema", "lint", "-f", "-"); r.code != 1 || !strings.HasPrefix(r.stdout, "<stdin>:") {
		t.Errorf("lint -f -: %s", r)
	}
	if r := run(t, nil, "[1]", "schema", "lint", "-f", "-"); r.code != 2 || r.stdout != "" {
		t.Errorf("lint of an array: %s", r)
	}
	if r := run(t, nil, "", "schema", "lint", "-f", live); r.code != 0 || r.stdout != "" || !strings.Contains(r.stderr, "no findings") {
		t.Errorf("lint of the live schema: %s", r)
	}
}

// test-expression: the result alone on stdout, or -json; an error on
// stderr with its position, exit 1; -online is Graph's parseExpression.
func TestSchemaTestExpression(t *testing.T) {
	input := `{"givenName":"John","surname":"Doe","proxyAddresses":["smtp:john@contoso.com","SMTP:jd@contoso.com"]}`
	for _, tc := range []struct {
		args           []string
		code           int
		stdout, stderr string
	}{
		{[]string{"-expr", `Join(" ", [givenName], [surname])`, "-input", input}, 0, "John Doe\n", ""},
		{[]string{"-expr", `Item([proxyAddresses], 2)`, "-input", input, "-json"}, 0,
			"{\n  \"expression\": \"Item([proxyAddresses], 2)\",\n  \"result\": \"SMTP:jd@contoso.com\"\n}\n", ""},
		{[]string{"-expr", `RemoveDuplicates([proxyAddresses])`, "-input", input}, 0, "smtp:john@contoso.com\nSMTP:jd@contoso.com\n", ""},
		{[]string{"-expr", `[mail]`}, 0, "", "The result is null"},
		{[]string{"-expr", "Join(\" \",\n  [givenName] [surname])"}, 1, "",
			"at 2:15: syntax error: expected \",\" or \")\" after an argument of \"Join\", found \"[surname])\"\n      [givenName] [surname])\n                  ^\n"},
		{[]string{"-expr", `ToLower(Nope([a]))`}, 1, "", "at 1:9: unknown function \"Nope\"\n    ToLower(Nope([a]))\n            ^\n"},
		{[]string{"-expr", `Mid([givenName], "x", 1)`, "-input", input}, 1, "", `at 1:1: Mid: start "x" is not a whole number`},
		{[]string{"-expr", "[a]", "-input", `{"a":{"b":1}}`}, 2, "", "a value must be a string"},
		{[]string{"-expr", "[a]", "-input", `[1]`}, 2, "", "-input: not a JSON object"},
		{[]string{"-input", input}, 2, "", "-expr is required"},
	} {
		r := run(t, nil, "", append([]string{"schema", "test-expression"}, tc.args...)...)
		if r.code != tc.code || r.stdout != tc.stdout || !strings.Contains(r.stderr, tc.stderr) {
			t.Errorf("%q:\n%s\nwant exit %d, stdout %q, stderr with %q", tc.args, r, tc.code, tc.stdout, tc.stderr)
		}
	}
	// A file of input.
	file := filepath.Join(t.TempDir(), "user.json")
	os.WriteFile(file, []byte(input), 0o600)
	if r := run(t, nil, "", "schema", "test-expression", "-expr", "[surname]", "-input", "@"+file); r.code != 0 || r.stdout != "Doe\n" {
		t.Errorf("-input @FILE: %s", r)
	}

	// Online: Graph's verdict, through fake-graph.
	fg := startFakeGraph(t)
	r := run(t, fg.env, "", "schema", "test-expression", "-online", "-expr", `Item([proxyAddresses], 1)`, "-input", input)
	if r.code != 0 || r.stdout != "smtp:john@contoso.com\n" {
		t.Errorf("-online: %s", r)
	}
	reqs := fg.requests(t)
	if last := reqs[len(reqs)-1]; !strings.HasSuffix(last, "/schema/parseExpression") {
		t.Errorf("-online sent %s", last)
	}
	r = run(t, fg.env, "", "schema", "test-expression", "-online", "-expr", `Nope([a])`)
	if r.code != 1 || !strings.Contains(r.stderr, "Graph could not parse the expression") || !strings.Contains(r.stderr, "ExpressionParsingFailed") {
		t.Errorf("-online, an unknown function: %s", r)
	}
	// Offline sends nothing, whatever the configuration.
	n := len(fg.requests(t))
	if r := run(t, fg.env, "", "schema", "test-expression", "-expr", `"x"`); r.code != 0 || r.stdout != "x\n" || len(fg.requests(t)) != n {
		t.Errorf("offline with a configuration: %s", r)
	}
}

// Usage errors: exit 2, nothing sent.
func TestSchemaUsageErrors(t *testing.T) {
	fg := startFakeGraph(t)
	env := fg.env
	dir := t.TempDir()
	live, plan := filepath.Join(dir, "live.json"), filepath.Join(dir, "plan.json")
	if r := run(t, env, "", "schema", "get", "-o", live); r.code != 0 {
		t.Fatalf("schema get: %s", r)
	}
	if r := run(t, env, "", "schema", "plan", "-f", live, "-out", plan); r.code != 0 || r.stdout != "No changes.\n" {
		t.Fatalf("plan of the live schema: %s", r)
	}
	var p map[string]any
	b, _ := os.ReadFile(plan)
	json.Unmarshal(b, &p)
	tampered := filepath.Join(dir, "tampered.json")
	p["live"].(map[string]any)["version"] = "edited"
	b, _ = json.Marshal(p)
	os.WriteFile(tampered, b, 0o600)
	otherJob := filepath.Join(dir, "other.json")
	b, _ = os.ReadFile(plan)
	os.WriteFile(otherJob, bytes.Replace(b, []byte(`"jobId": "`+env["GRAPHSYNC_JOB_ID"]), []byte(`"jobId": "another-job`), 1), 0o600)
	oldFormat := filepath.Join(dir, "old.json")
	b, _ = os.ReadFile(plan)
	os.WriteFile(oldFormat, bytes.Replace(b, []byte(`"graphsyncSchemaPlan": "`+planFormat+`"`), []byte(`"graphsyncSchemaPlan": "1"`), 1), 0o600)
	noRules := filepath.Join(dir, "norules.json")
	os.WriteFile(noRules, []byte(`{"id":"x","synchronizationRules":[]}`), 0o600)

	n := len(fg.requests(t))
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"plan"}, "-f is required"},
		{[]string{"plan", "-f", filepath.Join(dir, "nope.json")}, "no such file"},
		{[]string{"plan", "-f", noRules}, "no synchronization rules"},
		{[]string{"apply"}, "give one plan file"},
		{[]string{"apply", plan, plan}, "give one plan file"},
		{[]string{"apply", live}, "not a plan"},
		{[]string{"apply", tampered}, "the file was changed after it was written"},
		{[]string{"apply", otherJob}, "is a plan for job another-job"},
		{[]string{"apply", oldFormat}, "records no fingerprint of its desired schema"},
		{[]string{"apply", plan, "-nope"}, "flag provided but not defined"},
		{[]string{"restore"}, "-f is required"},
		{[]string{"restore", "-f", noRules}, "no synchronization rules"},
	} {
		r := run(t, env, "", append([]string{"schema"}, tc.args...)...)
		if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, tc.msg) {
			t.Errorf("%q: %s\nwant exit 2 and %q", tc.args, r, tc.msg)
		}
	}
	if got := fg.since(t, n); len(got) != 0 {
		t.Errorf("usage errors sent %q", got)
	}
	// Help at every level of schema.
	for _, verb := range []string{"get", "lint", "test-expression", "plan", "apply", "restore", "put"} {
		r := run(t, nil, "", "schema", verb, "-h")
		if r.code != 0 || !strings.HasPrefix(r.stdout, "Usage: graphsync schema "+verb) || r.stderr != "" {
			t.Errorf("schema %s -h: %s", verb, r)
		}
	}
}

// plan -online asks the job's parseExpression about each expression the
// plan adds or changes: one it refuses fails the plan, and no plan file is
// written.
func TestSchemaPlanOnline(t *testing.T) {
	fg := startFakeGraph(t)
	env := fg.env
	dir := t.TempDir()
	live, desired, plan := filepath.Join(dir, "live.json"), filepath.Join(dir, "desired.json"), filepath.Join(dir, "plan.json")
	if r := run(t, env, "", "schema", "get", "-o", live); r.code != 0 {
		t.Fatalf("schema get: %s", r)
	}
	s := readSchemaJSON(t, live)
	must(t, schemaedit.SetMapping(userMapping(t, s), schemaedit.Expression("displayName", `Join(" ", [givenName], [surname])`)))
	writeSchemaJSON(t, desired, s)
	n := len(fg.requests(t))
	r := run(t, env, "", "schema", "plan", "-f", desired, "-online", "-out", plan)
	if r.code != 0 || !strings.Contains(r.stderr, "parseExpression parses the 1 expression(s)") {
		t.Fatalf("plan -online: %s", r)
	}
	if got := fg.since(t, n); len(got) != 2 || !strings.HasSuffix(got[1], "/schema/parseExpression") {
		t.Errorf("plan -online sent %q", got)
	}
	os.Remove(plan)
	// An unknown function parses offline, and Graph refuses it.
	must(t, schemaedit.SetMapping(userMapping(t, s), schemaedit.Expression("displayName", `FullName([givenName], [surname])`)))
	writeSchemaJSON(t, desired, s)
	r = run(t, env, "", "schema", "plan", "-f", desired, "-online", "-out", plan)
	if r.code != 1 || !strings.Contains(r.stderr, `Graph refuses the expression of attribute mapping "displayName"`) ||
		!strings.Contains(r.stderr, `Unknown function "FullName"`) || !strings.Contains(r.stderr, "no plan written") {
		t.Errorf("plan -online of an unknown function: %s", r)
	}
	if _, err := os.Stat(plan); !errors.Is(err, os.ErrNotExist) {
		t.Error("a refused plan was written")
	}
}

// As an operator runs them, against fake-graph as a process: schema put
// refuses a file of another service principal (-from-other-job puts it,
// with the job's own schema id), and apply refuses a plan whose list of
// changes was edited; neither sends a PUT when it refuses.
func TestSchemaPutAndApplyRefusalsE2E(t *testing.T) {
	fg := startFakeGraph(t)
	env := fg.env
	dir := t.TempDir()
	live, foreign, desired, plan := filepath.Join(dir, "live.json"), filepath.Join(dir, "foreign.json"),
		filepath.Join(dir, "desired.json"), filepath.Join(dir, "plan.json")
	if r := run(t, env, "", "schema", "get", "-o", live); r.code != 0 {
		t.Fatalf("schema get: %s", r)
	}
	puts := func() int {
		n := 0
		for _, r := range fg.requests(t) {
			if strings.HasPrefix(r, "PUT ") && strings.HasSuffix(r, "/schema") {
				n++
			}
		}
		return n
	}

	s := readSchemaJSON(t, live)
	ctx, _ := json.Marshal("https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('someone-else')/synchronization/jobs('scim')/schema/$entity")
	s.Extra["@odata.context"] = ctx
	writeSchemaJSON(t, foreign, s)
	if r := run(t, env, "", "schema", "put", "-f", foreign, "-yes"); r.code != 2 || !strings.Contains(r.stderr, `service principal "someone-else"`) || puts() != 0 {
		t.Fatalf("put of another service principal's schema: %s (%d PUT)", r, puts())
	}
	if r := run(t, env, "", "schema", "put", "-f", foreign, "-yes", "-from-other-job"); r.code != 0 || puts() != 1 {
		t.Fatalf("put -from-other-job: %s (%d PUT)", r, puts())
	}

	d := readSchemaJSON(t, live)
	must(t, schemaedit.RemoveMapping(userMapping(t, d), "name.formatted"))
	must(t, schemaedit.SetMapping(userMapping(t, d), schemaedit.Constant("title", "hidden")))
	writeSchemaJSON(t, desired, d)
	if r := run(t, env, "", "schema", "plan", "-f", desired, "-out", plan); r.code != 0 {
		t.Fatalf("plan: %s", r)
	}
	b, err := os.ReadFile(plan)
	must(t, err)
	var p map[string]json.RawMessage
	must(t, json.Unmarshal(b, &p))
	var changes []json.RawMessage
	must(t, json.Unmarshal(p["changes"], &changes))
	if len(changes) != 2 {
		t.Fatalf("the plan lists %d change(s), want 2", len(changes))
	}
	p["changes"], _ = json.Marshal(changes[:1])
	b, _ = json.MarshalIndent(p, "", "  ")
	must(t, os.WriteFile(plan, b, 0o600))
	if r := run(t, env, "", "schema", "apply", plan, "-backup", filepath.Join(dir, "before.json")); r.code != 2 || !strings.Contains(r.stderr, "list of changes") || puts() != 1 {
		t.Fatalf("apply of a plan with an edited list of changes: %s (%d PUT)", r, puts())
	}
}
