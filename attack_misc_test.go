package graphsync_test

import (
	"context"
	"errors"
	"testing"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/models"
)

// ATTACK: item 10 says ProvisionMany with no requests still validates what
// it can. In the China cloud ProvisionOnDemand is refused up front with
// ErrUnsupported; ProvisionMany with no requests says all is well.
func TestAttackProvisionManyEmptyInChina(t *testing.T) {
	c, err := graphsync.NewClient(&fakeCredential{}, &graphsync.ClientOptions{Cloud: graphsync.CloudChina})
	if err != nil {
		t.Fatal(err)
	}
	_, errOne := c.ProvisionOnDemand(ctx, spID, jobID, models.NewProvisionRequest("r", models.User("u")))
	_, errMany := c.ProvisionMany(ctx, spID, jobID, nil, nil)
	t.Logf("one: %v; many(nil): %v", errOne, errMany)
	if errors.Is(errOne, graphsync.ErrUnsupported) && !errors.Is(errMany, graphsync.ErrUnsupported) {
		t.Errorf("ProvisionMany with no requests in the China cloud: err = %v; ProvisionOnDemand says %v", errMany, errOne)
	}
	cctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.ProvisionMany(cctx, spID, jobID, nil, nil)
	t.Logf("many(nil) with a cancelled ctx: %v", err)
}
