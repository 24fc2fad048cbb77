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

	"github.com/graphsync/graphsync/cmd/graphsync/internal/cli"
	"github.com/graphsync/graphsync/cmd/graphsync/internal/demotenant"
	"github.com/graphsync/graphsync/cmd/graphsync/internal/testenv"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
	"github.com/graphsync/graphsync/schemaedit"
)

// attack5Tenant starts the demo tenant in-process and points the command
// at it (its provisioning job) through the environment, as an operator
// would.
func attack5Tenant(t *testing.T, opts *graphtest.Options) *demotenant.Tenant {
	t.Helper()
	tenant, err := demotenant.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tenant.Close)
	testenv.Clear(t)
	t.Setenv("GRAPHSYNC_GRAPH_URL", tenant.Server.URL)
	t.Setenv("GRAPHSYNC_TOKEN", tenant.Server.Token())
	t.Setenv("GRAPHSYNC_SERVICE_PRINCIPAL_ID", tenant.ServicePrincipalID)
	t.Setenv("GRAPHSYNC_JOB_ID", tenant.JobID)
	return tenant
}

// attack5Run runs graphsync in-process with args.
func attack5Run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := cli.ExecuteWith(context.Background(), root(), "graphsync", args, strings.NewReader(stdin), &stdout, &stderr, nil)
	return result{code, stdout.String(), stderr.String()}
}

// attack5Puts counts the schema PUTs the tenant received.
func attack5Puts(tenant *demotenant.Tenant) int {
	n := 0
	for _, r := range tenant.Server.Requests() {
		if r.Method == "PUT" && strings.HasSuffix(r.Path, "/schema") {
			n++
		}
	}
	return n
}

// Attack (README "Schema as code": exit 2, nothing sent, for "a plan file
// edited after it was written"; readPlan's doc: refused when "the file
// was changed after it was written"): only the plan's live schema is
// checked against the fingerprint the plan records. The desired schema,
// the part apply PUTs, is not covered by anything, so a plan whose
// desired schema was edited after plan -out wrote it (by hand, by a
// merge, by anyone with the file) is applied as it now stands: a change
// that no plan showed and no lint saw goes live, with exit 0.
func TestAttack5PlanDesiredEditedAfterItWasWrittenIsApplied(t *testing.T) {
	tenant := attack5Tenant(t, &graphtest.Options{InboundDelay: 20 * time.Millisecond})
	dir := t.TempDir()
	live, desired, plan := filepath.Join(dir, "live.json"), filepath.Join(dir, "desired.json"), filepath.Join(dir, "plan.json")
	if r := attack5Run(t, "", "schema", "get", "-o", live); r.code != 0 {
		t.Fatalf("schema get: %s", r)
	}
	s := readSchemaJSON(t, live)
	must(t, schemaedit.SetMapping(userMapping(t, s), schemaedit.Expression("displayName", `Join(" ", [givenName], [surname])`)))
	writeSchemaJSON(t, desired, s)
	if r := attack5Run(t, "", "schema", "plan", "-f", desired, "-out", plan); r.code != 0 {
		t.Fatalf("plan: %s", r)
	}

	// The plan's desired schema is edited afterwards: displayName becomes
	// a constant that the plan never showed.
	b, err := os.ReadFile(plan)
	must(t, err)
	var p planFile
	must(t, json.Unmarshal(b, &p))
	must(t, schemaedit.SetMapping(userMapping(t, &p.Desired), schemaedit.Constant("displayName", "edited after the plan")))
	b, err = json.MarshalIndent(p, "", "  ")
	must(t, err)
	must(t, os.WriteFile(plan, b, 0o600))

	before := attack5Puts(tenant)
	r := attack5Run(t, "", "schema", "apply", plan, "-backup", filepath.Join(dir, "before.json"))
	if r.code != cli.ExitUsage {
		t.Errorf("a plan whose desired schema was edited after it was written: exit %d, want 2 (README: \"a plan file edited after it was written\")\n%s", r.code, r)
	}
	if n := attack5Puts(tenant) - before; n != 0 {
		t.Errorf("the edited plan was applied (%d PUT)", n)
	}
	if m, err := schemaedit.GetMapping(userMapping(t, liveSchemaOf(t)), "displayName"); err == nil && m.Source == "edited after the plan" {
		t.Error("the live displayName is now the constant no plan showed")
	}
}

// liveSchemaOf reads the live schema with graphsync schema get.
func liveSchemaOf(t *testing.T) *models.SynchronizationSchema {
	t.Helper()
	r := attack5Run(t, "", "schema", "get")
	var s models.SynchronizationSchema
	if err := json.Unmarshal([]byte(r.stdout), &s); r.code != 0 || err != nil {
		t.Fatalf("schema get: %v\n%s", err, r)
	}
	return &s
}
