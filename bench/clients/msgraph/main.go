// Command msgraph runs the benchmark workload with the official generated
// SDK, github.com/microsoftgraph/msgraph-sdk-go, as its users would: the
// Graph request adapter with its default middleware.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"

	kiotaazure "github.com/microsoft/kiota-authentication-azure-go"
	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"
	graphmodels "github.com/microsoftgraph/msgraph-sdk-go/models"
	graphsp "github.com/microsoftgraph/msgraph-sdk-go/serviceprincipals"

	"github.com/graphsync/graphsync/bench/internal/cred"
	"github.com/graphsync/graphsync/bench/internal/harness"
)

func main() {
	harness.Main("msgraph-sdk-go", func(base string) (harness.Op, error) {
		u, err := url.Parse(base)
		if err != nil {
			return nil, err
		}
		auth, err := kiotaazure.NewAzureIdentityAuthenticationProviderWithScopesAndValidHosts(cred.Credential{},
			[]string{"https://graph.microsoft.com/.default"}, []string{u.Hostname()})
		if err != nil {
			return nil, err
		}
		adapter, err := msgraphsdk.NewGraphRequestAdapter(auth)
		if err != nil {
			return nil, err
		}
		adapter.SetBaseUrl(base + "/v1.0")
		client := msgraphsdk.NewGraphServiceClient(adapter)
		return func(ctx context.Context) error {
			tid := harness.TemplateID
			job := graphmodels.NewSynchronizationJob()
			job.SetTemplateId(&tid)
			created, err := client.ServicePrincipals().ByServicePrincipalId(harness.ServicePrincipalID).Synchronization().Jobs().Post(ctx, job, nil)
			if err != nil {
				return err
			}
			body := graphsp.NewItemSynchronizationJobsItemProvisionOnDemandPostRequestBody()
			params := graphmodels.NewSynchronizationJobApplicationParameters()
			rule := harness.RuleID
			params.SetRuleId(&rule)
			group := graphmodels.NewSynchronizationJobSubject()
			gid, gtype := harness.GroupID, "Group"
			group.SetObjectId(&gid)
			group.SetObjectTypeName(&gtype)
			links := graphmodels.NewSynchronizationLinkedObjects()
			var members []graphmodels.SynchronizationJobSubjectable
			for _, id := range []string{harness.Member1, harness.Member2} {
				m := graphmodels.NewSynchronizationJobSubject()
				id, t := id, "User"
				m.SetObjectId(&id)
				m.SetObjectTypeName(&t)
				members = append(members, m)
			}
			links.SetMembers(members)
			group.SetLinks(links)
			params.SetSubjects([]graphmodels.SynchronizationJobSubjectable{group})
			body.SetParameters([]graphmodels.SynchronizationJobApplicationParametersable{params})
			res, err := client.ServicePrincipals().ByServicePrincipalId(harness.ServicePrincipalID).Synchronization().Jobs().
				BySynchronizationJobId(*created.GetId()).ProvisionOnDemand().Post(ctx, body, nil)
			if err != nil {
				return err
			}
			// The SDK hands back key and value as strings holding JSON;
			// its users decode them themselves, as the floor does.
			if res.GetKey() == nil || res.GetValue() == nil {
				return fmt.Errorf("no key or value")
			}
			var key struct {
				Result string `json:"result"`
			}
			var value map[string]any
			if err := json.Unmarshal([]byte(*res.GetKey()), &key); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(*res.GetValue()), &value); err != nil {
				return err
			}
			if key.Result != "Success" {
				return fmt.Errorf("result %s", key.Result)
			}
			return nil
		}, nil
	})
}
