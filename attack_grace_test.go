package graphsync_test

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
)

// hangingCredential blocks until its context ends, as a credential does
// whose token endpoint (IMDS, a proxy) does not answer.
type hangingCredential struct{ calls atomic.Int32 }

func (h *hangingCredential) GetToken(ctx context.Context, _ policy.TokenRequestOptions) (azcore.AccessToken, error) {
	h.calls.Add(1)
	<-ctx.Done()
	return azcore.AccessToken{}, ctx.Err()
}

// ATTACK: the caller cancels while the first request waits for its token.
// Nothing was sent, so there is nothing to let finish: ProvisionMany
// should return at once, not after ProvisionOptions.Grace.
func TestAttackCancelWhileWaitingForToken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var sends atomic.Int32
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { sends.Add(1) })
		c, err := graphsync.NewClient(&hangingCredential{}, &graphsync.ClientOptions{BaseURL: "http://127.0.0.1:1",
			Transport: graphtest.InProcessTransport(h)})
		if err != nil {
			t.Fatal(err)
		}
		rctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(time.Second, cancel)
		t0 := time.Now()
		res, err := c.ProvisionMany(rctx, spID, jobID, userRequests(3), nil) // Grace: 30 s by default
		el := time.Since(t0)
		t.Logf("returned after %v: %v; result 0: %v %v", el, err, res[0].State, res[0].Err)
		if !errors.Is(err, context.Canceled) || res[0].State != graphsync.RequestNotAttempted {
			t.Errorf("err = %v, result 0 = %v", err, res[0].State)
		}
		if el > 2*time.Second {
			t.Errorf("ProvisionMany returned %v after the cancel; nothing had been sent", el-time.Second)
		}
		// Same for a single call: the ctx bounds the token wait.
		rctx2, cancel2 := context.WithTimeout(context.Background(), time.Second)
		defer cancel2()
		t0 = time.Now()
		_, err = c.ProvisionOnDemand(rctx2, spID, jobID, userRequests(1)[0])
		t.Logf("ProvisionOnDemand: %v after %v", err, time.Since(t0))
	})
}
