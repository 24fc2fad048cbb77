package redislimit_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/redis/go-redis/v9"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/models"
	redislimit "github.com/graphsync/graphsync/ratelimit/redis"
)

// Every process whose Client uses a Limiter on the same Redis and name
// shares one budget: at most 5 provisionOnDemand calls start in any 10
// seconds across all of them. (This example needs Redis and Graph
// credentials, so it is compiled but not run by go test.)
func Example() {
	cred, err := azidentity.NewDefaultAzureCredential(nil)
	if err != nil {
		log.Fatal(err)
	}
	tenantID, appID := os.Getenv("AZURE_TENANT_ID"), os.Getenv("AZURE_CLIENT_ID")

	// README:begin redis
	rdb := redis.NewClient(&redis.Options{Addr: "redis:6379"})
	lim := redislimit.New(rdb, tenantID+"/"+appID, 5, 10*time.Second)
	client, err := graphsync.NewClient(cred, &graphsync.ClientOptions{Limiter: lim})
	if err != nil {
		log.Fatal(err)
	}
	// README:end

	res, err := client.ProvisionOnDemand(context.Background(),
		os.Getenv("GRAPHSYNC_SERVICE_PRINCIPAL_ID"), os.Getenv("GRAPHSYNC_JOB_ID"),
		models.NewProvisionRequest(os.Getenv("GRAPHSYNC_RULE_ID"), models.User(os.Getenv("GRAPHSYNC_USER_ID"))))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Key.Result, lim.Stats().Calls)
}
