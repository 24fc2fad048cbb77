// Command provision provisions one user on demand and prints Graph's
// answer as the library decodes it: the result, the action, each step of
// the provisioning run and the properties it changed. (Graph returns the
// answer as JSON inside strings; graphsync decodes it.)
//
// Against real Graph, set GRAPHSYNC_SERVICE_PRINCIPAL_ID, GRAPHSYNC_JOB_ID
// and GRAPHSYNC_USER_ID (and azidentity's AZURE_* variables); without
// them it runs against graphtest, the fake Graph, offline.
package main

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/graphsync/graphsync/examples/internal/exampleenv"
	"github.com/graphsync/graphsync/models"
)

func main() {
	ctx := context.Background()
	env, err := exampleenv.Connect(ctx, "scim", 1, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer env.Close()
	user := os.Getenv("GRAPHSYNC_USER_ID")
	if user == "" {
		user = exampleenv.User(1)
	}

	// provisionOnDemand names the rule of the job's schema for the
	// subject's object type: read the schema once, then find the rule.
	schema, err := env.Client.GetJobSchema(ctx, env.ServicePrincipalID, env.JobID)
	if err != nil {
		log.Fatal(err)
	}
	rule, err := schema.RuleFor(models.ObjectTypeUser)
	if err != nil {
		log.Fatal(err)
	}
	res, err := env.Client.ProvisionOnDemand(ctx, env.ServicePrincipalID, env.JobID,
		models.NewProvisionRequest(rule, models.User(user)))
	if err != nil {
		log.Fatal(err) // a *graphsync.ResponseError: status, Graph's code and message, request-id
	}

	fmt.Printf("%s: %s (action %s)\n", user, res.Key.Result, res.Value.Action)
	for _, step := range res.Value.ProvisioningSteps {
		fmt.Printf("  step %-28s %-8s %s\n", step.Name, step.Status, step.Description)
	}
	for _, p := range res.Value.ModifiedProperties {
		fmt.Printf("  %s: %s -> %s\n", p.DisplayName, orNone(p.OldValue), orNone(p.NewValue))
	}
	if step := res.FailedStep(); step != nil {
		fmt.Printf("failed at %s: %s\n", step.Name, res.Key.Details.ErrorMessage)
		os.Exit(1)
	}
}

// orNone shows a value Graph may leave out (nil) or give.
func orNone(v *string) string {
	if v == nil {
		return "(none)"
	}
	return fmt.Sprintf("%q", *v)
}
