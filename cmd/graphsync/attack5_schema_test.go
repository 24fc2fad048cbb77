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

// Attack (README: restore "takes the same path back"; "A plan for another
// job: exit 2"; brief: "restore is equally safe"): apply refuses a plan of
// another job, but restore puts any schema file back into whatever job
// the configuration names. A backup holds its job (the schema's id, and
// @odata.context), yet restoring job A's backup with GRAPHSYNC_JOB_ID (or
// -job) left at job B replaces B's whole schema with A's: B's own
// mappings are gone, with exit 0.
func TestAttack5RestoreOfAnotherJobsBackupIsApplied(t *testing.T) {
	tenant := attack5Tenant(t, &graphtest.Options{InboundDelay: 20 * time.Millisecond})
	c, err := tenant.Server.NewClient()
	must(t, err)
	other, err := c.CreateJob(context.Background(), tenant.ServicePrincipalID, models.SynchronizationJob{TemplateID: "scim"})
	must(t, err)
	dir := t.TempDir()
	live, desired, plan, backup := filepath.Join(dir, "live.json"), filepath.Join(dir, "desired.json"), filepath.Join(dir, "plan.json"), filepath.Join(dir, "backup-A.json")
	if r := attack5Run(t, "", "schema", "get", "-o", live); r.code != 0 {
		t.Fatalf("schema get: %s", r)
	}
	s := readSchemaJSON(t, live)
	must(t, schemaedit.RemoveMapping(userMapping(t, s), "name.formatted"))
	writeSchemaJSON(t, desired, s)
	if r := attack5Run(t, "", "schema", "plan", "-f", desired, "-out", plan); r.code != 0 {
		t.Fatalf("plan: %s", r)
	}
	if r := attack5Run(t, "", "schema", "apply", plan, "-backup", backup); r.code != 0 {
		t.Fatalf("apply: %s", r)
	}
	if b := readSchemaJSON(t, backup); b.ID != tenant.JobID {
		t.Fatalf("the backup's schema id is %q, not job A's %q", b.ID, tenant.JobID)
	}

	// Job B is edited on its own...
	t.Setenv("GRAPHSYNC_JOB_ID", other.ID)
	bLive := filepath.Join(dir, "b-live.json")
	if r := attack5Run(t, "", "schema", "get", "-o", bLive); r.code != 0 {
		t.Fatalf("schema get B: %s", r)
	}
	bs := readSchemaJSON(t, bLive)
	must(t, schemaedit.SetMapping(userMapping(t, bs), schemaedit.Constant("title", "B's own")))
	writeSchemaJSON(t, bLive, bs)
	if r := attack5Run(t, "", "schema", "put", "-f", bLive, "-yes"); r.code != 0 {
		t.Fatalf("put B: %s", r)
	}
	// ...and then A's backup is restored with the configuration still at B.
	before := attack5Puts(tenant)
	r := attack5Run(t, "", "schema", "restore", "-f", backup, "-backup", filepath.Join(dir, "backup-B.json"))
	if r.code != cli.ExitUsage || attack5Puts(tenant) != before {
		t.Errorf("restoring job %s's backup into job %s: exit %d, %d PUT; want exit 2, nothing sent\n%s",
			tenant.JobID, other.ID, r.code, attack5Puts(tenant)-before, r)
	}
}
