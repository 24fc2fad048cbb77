// Command program is the README's first program, compiled with the rest
// of the module: it provisions one user on demand through a job's rule
// and prints what Graph did.
package main

// README:begin program
import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/models"
)

func main() {
	sp, job, user := os.Args[1], os.Args[2], os.Args[3] // service principal, job, user object IDs
	cred, err := azidentity.NewDefaultAzureCredential(nil)
	if err != nil {
		log.Fatal(err)
	}
	client, err := graphsync.NewClient(cred, nil) // global cloud, v1.0, paced to 5 per 10 s
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	schema, err := client.GetJobSchema(ctx, sp, job)
	if err != nil {
		log.Fatal(err)
	}
	rule, err := schema.RuleFor(models.ObjectTypeUser)
	if err != nil {
		log.Fatal(err)
	}
	res, err := client.ProvisionOnDemand(ctx, sp, job, models.NewProvisionRequest(rule, models.User(user)))
	if err != nil {
		log.Fatal(err) // *graphsync.ResponseError: status, Graph's code, message and request-id
	}
	fmt.Println(res.Key.Result, res.Value.Action) // e.g. "Success Create"
}

// README:end
