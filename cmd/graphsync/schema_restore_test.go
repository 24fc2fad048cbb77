package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/graphsync/graphsync/cmd/graphsync/internal/cli"
	"github.com/graphsync/graphsync/cmd/graphsync/internal/demotenant"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
	"github.com/graphsync/graphsync/schemaedit"
)

// twoJobSchemas makes a second job (B) in a demo tenant and leaves the
// configuration at it: a is job A's schema file with title mapped to the
// constant "A's own", foreign the same with B's schema id and an
// @odata.context naming service principal sp; bID is B's schema id.
func twoJobSchemas(t *testing.T, sp string) (tenant *demotenant.Tenant, dir, a, foreign, bID string) {
	t.Helper()
	tenant = attack5Tenant(t, &graphtest.Options{InboundDelay: 20 * time.Millisecond})
	c, err := tenant.Server.NewClient()
	must(t, err)
	other, err := c.CreateJob(context.Background(), tenant.ServicePrincipalID, models.SynchronizationJob{TemplateID: "scim"})
	must(t, err)
	dir = t.TempDir()
	a = filepath.Join(dir, "a.json")
	if r := attack5Run(t, "", "schema", "get", "-o", a); r.code != 0 {
		t.Fatalf("schema get A: %s", r)
	}
	s := readSchemaJSON(t, a)
	must(t, schemaedit.SetMapping(userMapping(t, s), schemaedit.Constant("title", "A's own")))
	writeSchemaJSON(t, a, s)

	t.Setenv("GRAPHSYNC_JOB_ID", other.ID)
	bID = liveSchemaOf(t).ID
	f := readSchemaJSON(t, a)
	f.ID = bID
	ctx, _ := json.Marshal("https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('" + strings.ReplaceAll(sp, "'", "''") + "')/synchronization/jobs('scim')/schema/$entity")
	f.Extra["@odata.context"] = ctx
	foreign = filepath.Join(dir, "foreign.json")
	writeSchemaJSON(t, foreign, f)
	return tenant, dir, a, foreign, bID
}

// restore refuses a schema file of another job (its id is not the
// configured job's schema id) or of another service principal (its
// @odata.context names another), exit 2 and nothing changed; with
// -from-other-job it restores it, the configured job keeping its own
// schema id; and a file that says nothing of its job is restored as
// before.
func TestSchemaRestoreOtherJob(t *testing.T) {
	tenant, dir, a, foreignFile, bID := twoJobSchemas(t, "someone's")
	// Another service principal in @odata.context: refused before anything
	// is read.
	n := len(tenant.Server.Requests())
	r := attack5Run(t, "", "schema", "restore", "-f", foreignFile, "-backup", filepath.Join(dir, "unused.json"))
	if r.code != cli.ExitUsage || !strings.Contains(r.stderr, `service principal "someone's"`) || !strings.Contains(r.stderr, "-from-other-job") {
		t.Errorf("a schema of another service principal: %s", r)
	}
	if got := tenant.Server.Requests()[n:]; len(got) != 0 {
		t.Errorf("sent %d request(s)", len(got))
	}

	// Another job's schema: refused, then restored with -from-other-job.
	before := attack5Puts(tenant)
	r = attack5Run(t, "", "schema", "restore", "-f", a, "-backup", filepath.Join(dir, "b1.json"))
	if r.code != cli.ExitUsage || !strings.Contains(r.stderr, "a backup of another job") || attack5Puts(tenant) != before {
		t.Errorf("another job's schema: %s", r)
	}
	r = attack5Run(t, "", "schema", "restore", "-f", a, "-from-other-job", "-backup", filepath.Join(dir, "b2.json"))
	if r.code != 0 || !strings.Contains(r.stderr, "-from-other-job") || attack5Puts(tenant) != before+1 {
		t.Fatalf("restore -from-other-job: %s", r)
	}
	got := liveSchemaOf(t)
	if got.ID != bID {
		t.Errorf("job B's schema id is %q after the restore, want its own %q", got.ID, bID)
	}
	if m, err := schemaedit.GetMapping(userMapping(t, got), "title"); err != nil || m.Source != "A's own" {
		t.Errorf("job B's title mapping: %+v %v, want A's", m, err)
	}

	// A file that names no job (no id, no @odata.context) is restored.
	anon := readSchemaJSON(t, a)
	anon.ID = ""
	delete(anon.Extra, "@odata.context")
	must(t, schemaedit.SetMapping(userMapping(t, anon), schemaedit.Constant("title", "no one's")))
	anonFile := filepath.Join(dir, "anon.json")
	writeSchemaJSON(t, anonFile, anon)
	if r := attack5Run(t, "", "schema", "restore", "-f", anonFile, "-backup", filepath.Join(dir, "b3.json")); r.code != 0 {
		t.Errorf("a schema that names no job: %s", r)
	}
}

// schema put, the unsafe way (-yes, no backup), refuses another job's
// schema file as restore does: -yes agrees to replace the whole schema,
// not to replace it with another job's. -from-other-job puts it with the
// configured job's own schema id.
func TestSchemaPutOtherJob(t *testing.T) {
	tenant, _, a, foreignFile, bID := twoJobSchemas(t, "someone")
	n := len(tenant.Server.Requests())
	r := attack5Run(t, "", "schema", "put", "-f", foreignFile, "-yes")
	if r.code != cli.ExitUsage || !strings.Contains(r.stderr, `service principal "someone"`) || !strings.Contains(r.stderr, "-from-other-job") {
		t.Errorf("put a schema of another service principal: %s", r)
	}
	if got := tenant.Server.Requests()[n:]; len(got) != 0 {
		t.Errorf("sent %d request(s)", len(got))
	}

	before := attack5Puts(tenant)
	r = attack5Run(t, "", "schema", "put", "-f", a, "-yes")
	if r.code != cli.ExitUsage || !strings.Contains(r.stderr, "a backup of another job") || attack5Puts(tenant) != before {
		t.Errorf("put another job's schema: %s", r)
	}
	if m, err := schemaedit.GetMapping(userMapping(t, liveSchemaOf(t)), "title"); err == nil && m.Source == "A's own" {
		t.Errorf("job B's title mapping is A's after a refused put")
	}
	r = attack5Run(t, "", "schema", "put", "-f", a, "-yes", "-from-other-job")
	if r.code != 0 || !strings.Contains(r.stderr, "-from-other-job") || attack5Puts(tenant) != before+1 {
		t.Fatalf("put -from-other-job: %s", r)
	}
	got := liveSchemaOf(t)
	if got.ID != bID {
		t.Errorf("job B's schema id is %q after the put, want its own %q", got.ID, bID)
	}
	if m, err := schemaedit.GetMapping(userMapping(t, got), "title"); err != nil || m.Source != "A's own" {
		t.Errorf("job B's title mapping: %+v %v, want A's", m, err)
	}
}

// A plan's list of changes is what a reviewer of the file reads: one
// whose list was edited afterwards (a change left out, the schemas and
// their fingerprints untouched) is refused, exit 2, nothing sent.
func TestSchemaApplyRefusesEditedChangeList(t *testing.T) {
	tenant := attack5Tenant(t, &graphtest.Options{InboundDelay: 20 * time.Millisecond})
	dir := t.TempDir()
	live, desired, plan := filepath.Join(dir, "live.json"), filepath.Join(dir, "desired.json"), filepath.Join(dir, "plan.json")
	if r := attack5Run(t, "", "schema", "get", "-o", live); r.code != 0 {
		t.Fatalf("schema get: %s", r)
	}
	s := readSchemaJSON(t, live)
	must(t, schemaedit.SetMapping(userMapping(t, s), schemaedit.Expression("displayName", `Join(" ", [givenName], [surname])`)))
	must(t, schemaedit.SetMapping(userMapping(t, s), schemaedit.Constant("title", "hidden")))
	writeSchemaJSON(t, desired, s)
	if r := attack5Run(t, "", "schema", "plan", "-f", desired, "-out", plan); r.code != 0 {
		t.Fatalf("plan: %s", r)
	}
	b, err := os.ReadFile(plan)
	must(t, err)
	var p planFile
	must(t, json.Unmarshal(b, &p))
	if len(p.Changes) != 2 {
		t.Fatalf("the plan lists %d change(s), want 2", len(p.Changes))
	}
	p.Changes = p.Changes[:1]
	b, err = json.MarshalIndent(p, "", "  ")
	must(t, err)
	must(t, os.WriteFile(plan, b, 0o600))

	before := attack5Puts(tenant)
	r := attack5Run(t, "", "schema", "apply", plan, "-backup", filepath.Join(dir, "before.json"))
	if r.code != cli.ExitUsage || !strings.Contains(r.stderr, "list of changes") || attack5Puts(tenant) != before {
		t.Errorf("a plan whose list of changes was edited: %s", r)
	}
}
