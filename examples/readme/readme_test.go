package readme

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

const root = "../.."

// TestREADMESnippetsAreCompiledCode checks that every ```go block of
// README.md is preceded by <!-- README:region NAME --> and is, byte for
// byte, the region NAME of a Go file of the repository (marked
// "// README:begin NAME" ... "// README:end", compared without the
// region's common indentation), and that every region is shown.
func TestREADMESnippetsAreCompiledCode(t *testing.T) {
	regions := findRegions(t)
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := goBlocks(t, string(readme))
	if len(blocks) == 0 {
		t.Fatal("README.md has no ```go block")
	}
	shown := map[string]bool{}
	for _, b := range blocks {
		if b.name == "" {
			t.Errorf("README.md:%d: a ```go block without <!-- README:region NAME --> before it", b.line)
			continue
		}
		r, ok := regions[b.name]
		if !ok {
			t.Errorf("README.md:%d: no Go file has the region %q", b.line, b.name)
			continue
		}
		shown[b.name] = true
		if b.text != r.text {
			t.Errorf("README.md:%d: the block differs from region %q of %s; the code is:\n%s", b.line, b.name, r.file, r.text)
		}
	}
	for name, r := range regions {
		if !shown[name] {
			t.Errorf("%s: region %q is not in README.md", r.file, name)
		}
	}
}

type region struct{ file, text string }

var (
	beginRe = regexp.MustCompile(`^\s*// README:begin (\S+)\s*$`)
	endRe   = regexp.MustCompile(`^\s*// README:end\s*$`)
)

// findRegions reads the regions of every .go file of the repository.
func findRegions(t *testing.T) map[string]region {
	t.Helper()
	regions := map[string]region{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		name, start := "", 0
		lines := strings.Split(string(data), "\n")
		for i, line := range lines {
			switch {
			case beginRe.MatchString(line):
				if name != "" {
					t.Errorf("%s:%d: region %q begins inside region %q", path, i+1, beginRe.FindStringSubmatch(line)[1], name)
				}
				name, start = beginRe.FindStringSubmatch(line)[1], i+1
			case endRe.MatchString(line):
				if name == "" {
					t.Errorf("%s:%d: README:end without README:begin", path, i+1)
					continue
				}
				if r, dup := regions[name]; dup {
					t.Errorf("%s:%d: region %q is also in %s", path, start, name, r.file)
				}
				regions[name] = region{file: path, text: dedent(lines[start:i])}
				name = ""
			}
		}
		if name != "" {
			t.Errorf("%s: region %q has no README:end", path, name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return regions
}

// dedent removes the tabs common to the lines' starts (blank lines aside)
// and trailing blank lines, and joins the lines.
func dedent(lines []string) string {
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	common := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, "\t"))
		if common < 0 || n < common {
			common = n
		}
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		if len(l) >= common && common > 0 {
			l = l[common:]
		}
		out[i] = l
	}
	return strings.Join(out, "\n") + "\n"
}

type block struct {
	name, text string
	line       int
}

var regionTag = regexp.MustCompile(`^<!-- README:region (\S+) -->$`)

// goBlocks returns the ```go blocks of a Markdown text with the region
// named just before each.
func goBlocks(t *testing.T, md string) []block {
	var out []block
	sc := bufio.NewScanner(strings.NewReader(md))
	var (
		in       bool
		cur      block
		body     strings.Builder
		lastText string
		n        int
	)
	for sc.Scan() {
		n++
		line := sc.Text()
		switch {
		case !in && strings.HasPrefix(line, "```go"):
			in, cur = true, block{line: n}
			body.Reset()
			if m := regionTag.FindStringSubmatch(lastText); m != nil {
				cur.name = m[1]
			}
		case in && strings.HasPrefix(line, "```"):
			in = false
			cur.text = body.String()
			out = append(out, cur)
		case in:
			body.WriteString(line + "\n")
		case strings.TrimSpace(line) != "":
			lastText = line
		}
	}
	if in {
		t.Errorf("README.md:%d: unterminated ```go block", cur.line)
	}
	return out
}

// TestREADMEGoVersion checks the README's claim about the Go version
// against the go directives of the library's and the Redis module's
// go.mod.
func TestREADMEGoVersion(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, mod := range []string{"go.mod", "ratelimit/redis/go.mod"} {
		data, err := os.ReadFile(filepath.Join(root, mod))
		if err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(`(?m)^go (\d+)\.(\d+)`).FindSubmatch(data)
		if m == nil {
			t.Fatalf("%s has no go directive", mod)
		}
		want := fmt.Sprintf("Go %s.%s or later", m[1], m[2])
		if !bytes.Contains(readme, []byte(want)) {
			t.Errorf("%s says go %s.%s, but README.md never says %q", mod, m[1], m[2], want)
		}
	}
	if old := regexp.MustCompile(`Go 1\.\d+ or later`).FindAll(readme, -1); len(old) == 0 {
		t.Error("README.md states no Go version")
	}
}

// TestREADMECodeRuns runs the README's functions against a fake Graph.
func TestREADMECodeRuns(t *testing.T) {
	var logged bytes.Buffer
	log.SetOutput(&logged)
	log.SetFlags(0)
	t.Cleanup(func() { log.SetOutput(os.Stderr); log.SetFlags(log.LstdFlags) })

	fake := newFakeGraph(t)
	client, err := graphsync.NewClient(credential{}, &graphsync.ClientOptions{BaseURL: fake.URL})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := onboard(ctx, client, "sp-1", "g-1", "u-1", "u-2"); err != nil {
		t.Fatal(err)
	}
	fake.mu.Lock()
	got := fake.provisioned[0]
	fake.mu.Unlock()
	if got.Parameters[0].RuleID != "rule-1" || got.Parameters[0].Subjects[0].ObjectID != "g-1" ||
		len(got.Parameters[0].Subjects[0].Links.Members) != 2 {
		t.Fatalf("onboard sent %+v", got)
	}
	if err := onboard(ctx, client, "sp-1", "g-fail"); err == nil || !strings.Contains(err.Error(), "Failure at step EntryExport") {
		t.Fatalf("a failed provisioning: err = %v", err)
	}

	reqs := []models.ProvisionRequest{
		models.NewProvisionRequest("rule-1", models.User("u-1")),
		models.NewProvisionRequest("rule-1", models.User("g-fail")),
	}
	if err := provisionAll(ctx, client, "sp-1", "job-1", reqs); err != nil {
		t.Fatal(err)
	}
	if want := "1/2\n2/2\nrequest 1: Failure EntryExportFailed\n"; logged.String() != want {
		t.Fatalf("logged %q, want %q", logged.String(), want)
	}
}

type credential struct{}

func (credential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: "t", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

type fakeGraph struct {
	*httptest.Server
	mu          sync.Mutex
	provisioned []models.ProvisionRequest
}

// newFakeGraph answers the calls of onboard and provisionAll: job
// creation and start, a schema with one rule for users and groups, and
// provisionOnDemand, which fails for the object "g-fail".
func newFakeGraph(t *testing.T) *fakeGraph {
	f := &fakeGraph{}
	mux := http.NewServeMux()
	const jobs = "/v1.0/servicePrincipals/sp-1/synchronization/jobs"
	mux.HandleFunc("POST "+jobs, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
		w.Write([]byte(`{"id":"job-1","templateId":"scim","schedule":{"state":"Disabled"}}`))
	})
	mux.HandleFunc("GET "+jobs+"/job-1", func(w http.ResponseWriter, r *http.Request) { // StartJob reads the state first
		w.Write([]byte(`{"id":"job-1","templateId":"scim","schedule":{"state":"Disabled"},"status":{"code":"NotConfigured"}}`))
	})
	mux.HandleFunc("POST "+jobs+"/job-1/start", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET "+jobs+"/job-1/schema", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"synchronizationRules":[{"id":"rule-1","name":"USER_AND_GROUP","objectMappings":[
			{"enabled":true,"sourceObjectName":"User","targetObjectName":"User"},
			{"enabled":true,"sourceObjectName":"Group","targetObjectName":"Group"}]}]}`))
	})
	mux.HandleFunc("POST "+jobs+"/job-1/provisionOnDemand", func(w http.ResponseWriter, r *http.Request) {
		var req models.ProvisionRequest
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &req); err != nil {
			t.Error(err)
		}
		f.mu.Lock()
		f.provisioned = append(f.provisioned, req)
		f.mu.Unlock()
		key, value := `{"result":"Success","details":{}}`, `{}`
		if req.Parameters[0].Subjects[0].ObjectID == "g-fail" {
			key = `{"result":"Failure","details":{"errorCode":"EntryExportFailed"}}`
			value = `{"provisioningSteps":[{"name":"EntryExport","status":"Failure","description":"The target refused it."}]}`
		}
		json.NewEncoder(w).Encode(map[string]string{"key": key, "value": value})
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected %s %s", r.Method, r.URL.Path)
		w.WriteHeader(http.StatusNotFound)
	})
	f.Server = httptest.NewServer(mux)
	t.Cleanup(f.Close)
	return f
}

// failures, the README's provisioning-log query, runs against graphtest:
// a failed record of an upload is the one it prints.
func TestREADMEFailuresRuns(t *testing.T) {
	srv := graphtest.NewServer(&graphtest.Options{InboundDelay: time.Millisecond})
	defer srv.Close()
	srv.AddServicePrincipal("sp-1", "API2AAD")
	client, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	job, err := client.CreateJob(ctx, "sp-1", models.SynchronizationJob{TemplateID: "API2AAD"})
	if err != nil {
		t.Fatal(err)
	}
	users := func(yield func(models.SCIMUser) bool) {
		_ = yield(models.SCIMUser{ExternalID: "E1", UserName: "e1@contoso.com"}) && yield(models.SCIMUser{ExternalID: "E2"}) // E2: no userName, fails
	}
	for req := range models.BulkUploadChunks(users) {
		if _, err := client.BulkUpload(ctx, "sp-1", job.ID, req); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		out.Reset()
		stdout := os.Stdout
		r, w, _ := os.Pipe()
		os.Stdout = w
		err = failures(ctx, client, job.ID)
		w.Close()
		os.Stdout = stdout
		io.Copy(&out, r)
		if err != nil {
			t.Fatal(err)
		}
		if out.Len() > 0 {
			break
		}
	}
	if got := out.String(); got != "E2: AttributeValueRequired\n" {
		t.Fatalf("failures printed %q", got)
	}
}

// waitUntilProvisioned, the README's wait, runs against graphtest's
// simulated cycles in virtual time: a started job's initial cycle ends.
func TestREADMEWaitRuns(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := graphtest.NewServer(&graphtest.Options{InProcess: true, CycleLength: 10 * time.Minute})
		defer srv.Close()
		srv.AddServicePrincipal("sp-1")
		client, err := srv.NewClient()
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		job, err := client.CreateJob(ctx, "sp-1", models.SynchronizationJob{TemplateID: "scim"})
		if err != nil {
			t.Fatal(err)
		}
		if err := client.StartJob(ctx, "sp-1", job.ID, nil); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if err := waitUntilProvisioned(ctx, client, "sp-1", job.ID); err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took < 10*time.Minute || took > 11*time.Minute {
			t.Fatalf("the wait took %s, for a cycle of 10 minutes read every 30 s", took)
		}
	})
}
