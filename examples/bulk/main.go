// Command bulk provisions many users on demand with ProvisionEach: the
// requests start in input order, paced so that Graph's limit of 5 per 10
// seconds is never exceeded (the offline fake allows 5 per second), and
// each request's outcome is handed over as it ends, so that a long run
// keeps none in memory. A failure every later request would meet too (no
// token, 401, 403, 404) ends the run at once: the rest are reported not
// attempted, safe to send again.
//
// Against real Graph, set GRAPHSYNC_SERVICE_PRINCIPAL_ID and
// GRAPHSYNC_JOB_ID and give user IDs as arguments; without them it runs
// against graphtest, offline, with 12 sample users.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/examples/internal/exampleenv"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
	"github.com/graphsync/graphsync/ratelimit"
)

func main() {
	ctx := context.Background()
	users := os.Args[1:]
	env, err := exampleenv.Connect(ctx, "scim", 12, &graphtest.Options{ProvisionWindow: time.Second})
	if err != nil {
		log.Fatal(err)
	}
	defer env.Close()
	client := env.Client
	if env.Fake != nil {
		// The fake allows 5 per second: pace to that, not Graph's 5 per 10 s.
		o := env.Fake.ClientOptions()
		o.Limiter = ratelimit.New(5, time.Second)
		if client, err = graphsync.NewClient(env.Fake.Credential(), o); err != nil {
			log.Fatal(err)
		}
		for i := 1; i <= 12; i++ {
			users = append(users, exampleenv.User(i))
		}
	}
	schema, err := client.GetJobSchema(ctx, env.ServicePrincipalID, env.JobID)
	if err != nil {
		log.Fatal(err)
	}
	rule, err := schema.RuleFor(models.ObjectTypeUser)
	if err != nil {
		log.Fatal(err)
	}
	reqs := make([]models.ProvisionRequest, len(users))
	for i, u := range users {
		reqs[i] = models.NewProvisionRequest(rule, models.User(u))
	}

	start := time.Now()
	failed := 0
	err = client.ProvisionEach(ctx, env.ServicePrincipalID, env.JobID, reqs, nil, func(o graphsync.RequestOutcome) {
		switch {
		case o.State != graphsync.RequestAnswered:
			failed++
			fmt.Printf("%-6s %s: %v\n", users[o.Index], o.State, o.Err)
		case o.Result.Failed():
			failed++
			fmt.Printf("%-6s %s: %s\n", users[o.Index], o.Result.Key.Result, o.Result.Key.Details.ErrorMessage)
		default:
			fmt.Printf("%-6s %s %s\n", users[o.Index], o.Result.Key.Result, o.Result.Value.Action)
		}
	})
	fmt.Printf("%d request(s) in %s, %d not done\n", len(reqs), time.Since(start).Round(100*time.Millisecond), failed)
	if err != nil {
		log.Fatal("the run stopped: ", err)
	}
}
