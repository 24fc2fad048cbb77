package readme

import (
	"context"
	"testing"
	"time"

	"github.com/graphsync/graphsync/graphtest"
)

// TestOnboarding is the README's example of a test that uses graphtest:
// onboard, run against the fake, reads the job's schema for the group
// rule and provisions a group with a member.
//
// README:begin testing
func TestOnboarding(t *testing.T) {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp-1")
	srv.AddGroup("g-1", "Sales")
	srv.AddUser("u-1", "ada@contoso.com")
	client, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}

	err = onboard(context.Background(), client, "sp-1", "g-1", "u-1") // the code under test
	if err != nil {
		t.Fatal(err)
	}
	if srv.Throttled() != 0 || graphtest.MaxInWindow(srv.ProvisionTimes(), 10*time.Second) > 5 {
		t.Fatal("would have been throttled")
	}
	for _, r := range srv.Requests() {
		t.Log(r.Method, r.Path, r.Status) // or assert what the code sent
	}
}

// README:end
