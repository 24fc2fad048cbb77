package sdkcompat

import (
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/url"
	"os"
	"strings"
	"testing"

	kiotaazure "github.com/microsoft/kiota-authentication-azure-go"
	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"
	graphmodels "github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

// TestOnboardWithSDK is the README's example, verbatim
// (TestReadmeShowsTheExample checks that it stays so).
// README:begin sdk-test
func TestOnboardWithSDK(t *testing.T) {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp-1")
	srv.AddUser("u-1", "ada@contoso.com")

	// The SDK sends its token only to allowed hosts: by default Graph's,
	// never 127.0.0.1.
	u, _ := url.Parse(srv.URL)
	auth, err := kiotaazure.NewAzureIdentityAuthenticationProviderWithScopesAndValidHosts(
		srv.Credential(), []string{"https://graph.microsoft.com/.default"}, []string{u.Hostname()})
	if err != nil {
		t.Fatal(err)
	}
	adapter, err := msgraphsdk.NewGraphRequestAdapter(auth)
	if err != nil {
		t.Fatal(err)
	}
	adapter.SetBaseUrl(srv.URL + "/v1.0")
	client := msgraphsdk.NewGraphServiceClient(adapter)

	rule := srv.TemplateRuleID("sp-1", "scim", "User")
	if err := onboard(context.Background(), client, "sp-1", rule, "u-1"); err != nil { // your code
		t.Fatal(err)
	}

	// The SDK retries a 429 by itself: only the fake knows it throttled.
	if srv.Throttled() != 0 {
		t.Fatalf("throttled %d times", srv.Throttled())
	}
}

// README:end

// onboard is the code under test of the README's example: it creates and
// starts a job, then provisions one user on demand.
func onboard(ctx context.Context, client *msgraphsdk.GraphServiceClient, spID, ruleID, userID string) error {
	sync := client.ServicePrincipals().ByServicePrincipalId(spID).Synchronization()
	templateID := "scim"
	job := graphmodels.NewSynchronizationJob()
	job.SetTemplateId(&templateID)
	created, err := sync.Jobs().Post(ctx, job, nil)
	if err != nil {
		return err
	}
	item := sync.Jobs().BySynchronizationJobId(*created.GetId())
	if err := item.Start().Post(ctx, nil); err != nil {
		return err
	}
	res, err := item.ProvisionOnDemand().Post(ctx, sdkProvisionBody(models.NewProvisionRequest(ruleID, models.User(userID))), nil)
	if err != nil {
		return err
	}
	var key models.ProvisionKey
	if err := json.Unmarshal([]byte(*res.GetKey()), &key); err != nil {
		return err
	}
	if key.Result != models.OutcomeSuccess {
		return fmt.Errorf("provisioning %s: %s %s", userID, key.Result, key.Details.ErrorCode)
	}
	return nil
}

// TestReadmeShowsTheExample keeps the README's snippet in step with
// TestOnboardWithSDK, which compiles and passes.
func TestReadmeShowsTheExample(t *testing.T) {
	fset := token.NewFileSet()
	src, err := os.ReadFile("readme_test.go")
	if err != nil {
		t.Fatal(err)
	}
	f, err := parser.ParseFile(fset, "readme_test.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	var fn string
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == "TestOnboardWithSDK" {
			fn = string(src[fset.Position(fd.Pos()).Offset:fset.Position(fd.End()).Offset])
		}
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if fn == "" || !strings.Contains(string(readme), "```go\n"+fn+"\n```") {
		t.Fatalf("README.md does not show TestOnboardWithSDK verbatim in a go block:\n%s", fn)
	}
}
