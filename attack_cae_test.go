package graphsync_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

// ATTACK: a 401 CAE challenge whose claims are not base64. The server
// refused the request (401), so nothing was done; the error must not claim
// the credential failed and nothing was sent, and ProvisionMany must not
// report the outcome as unknown.
func TestAttackBadClaimsChallenge(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var sends atomic.Int32
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			sends.Add(1)
			w.Header().Set("WWW-Authenticate", `Bearer realm="", error="insufficient_claims", claims="%%%not-base64%%%"`)
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"error":{"code":"InvalidAuthenticationToken","message":"Continuous access evaluation resulted in challenge"}}`)
		})
		c := inProcessClient(t, h, &graphsync.ClientOptions{DisableLimiter: true})
		_, err := c.GetJob(ctx, spID, jobID)
		t.Logf("GetJob: %d sends, err = %v", sends.Load(), err)
		if errors.Is(err, graphsync.ErrCredential) || !errors.Is(err, graphsync.ErrUnauthorized) {
			t.Errorf("GetJob after a 401 with bad claims: err = %v; want the 401 (ErrUnauthorized), not ErrCredential (whose doc says nothing was sent)", err)
		}
		res, err := c.ProvisionMany(ctx, spID, jobID, userRequests(3), &graphsync.ProvisionOptions{Concurrency: 1})
		for i, r := range res {
			t.Logf("result %d: %v %v", i, r.State, r.Err)
			if r.State == graphsync.RequestUnknown {
				t.Errorf("result %d is unknown though Graph answered 401: %v", i, r.Err)
			}
		}
		_ = err
	})
}

// ATTACK: a CAE challenge answered, then a 429 the policy cannot absorb.
// Graph acted on neither send: the request is not attempted and the run
// ends (issue #12 item 7).
func TestAttackClaimsThen429EndsRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var sends atomic.Int32
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n := sends.Add(1)
			switch {
			case n == 1:
				w.Header().Set("WWW-Authenticate", `Bearer realm="", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnt9fQ=="`)
				w.WriteHeader(http.StatusUnauthorized)
			case n == 2:
				w.Header().Set("Retry-After", "200000") // more than a day
				w.WriteHeader(http.StatusTooManyRequests)
			default:
				io.WriteString(w, `{"key":"{\"result\":\"Success\",\"details\":{}}","value":"{}"}`)
			}
		})
		c := inProcessClient(t, h, &graphsync.ClientOptions{DisableLimiter: true})
		res, err := c.ProvisionMany(ctx, spID, jobID, userRequests(5), &graphsync.ProvisionOptions{Concurrency: 1})
		t.Logf("%d sends, err = %v", sends.Load(), err)
		if res[0].State != graphsync.RequestNotAttempted || !errors.Is(err, graphsync.ErrThrottled) || sends.Load() != 2 {
			t.Errorf("result 0 = %v (%v); run err = %v; %d sends: want not attempted, the run ended by the 429, 2 sends",
				res[0].State, res[0].Err, err, sends.Load())
		}
	})
}

var _ = models.User

// claimsFailingCredential issues a token, but cannot satisfy a claims
// challenge (the user must sign in again, MFA, revoked session...).
type claimsFailingCredential struct{ fakeCredential }

func (f *claimsFailingCredential) GetToken(c context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if o.Claims != "" {
		return azcore.AccessToken{}, errors.New("AADSTS50076: due to a configuration change you must use multi-factor authentication")
	}
	return f.fakeCredential.GetToken(c, o)
}

// ATTACK: item 8, "a credential failure stops the run", when the failure
// comes from answering a CAE challenge: the session was revoked, every
// request will meet it.
func TestAttackClaimsCredentialFailureStopsRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var sends atomic.Int32
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			sends.Add(1)
			w.Header().Set("WWW-Authenticate", `Bearer realm="", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnt9fQ=="`)
			w.WriteHeader(http.StatusUnauthorized)
		})
		c, err := graphsync.NewClient(&claimsFailingCredential{}, &graphsync.ClientOptions{BaseURL: "http://127.0.0.1:1",
			Transport: graphtest.InProcessTransport(h), DisableLimiter: true})
		if err != nil {
			t.Fatal(err)
		}
		res, err := c.ProvisionMany(ctx, spID, jobID, userRequests(10), &graphsync.ProvisionOptions{Concurrency: 1})
		states := map[graphsync.RequestState]int{}
		for _, r := range res {
			states[r.State]++
		}
		t.Logf("%d sends, states %v, err = %v", sends.Load(), states, err)
		if sends.Load() > 1 || !errors.Is(err, graphsync.ErrCredential) {
			t.Errorf("a credential failure did not stop the run: %d requests sent, states %v, err = %v", sends.Load(), states, err)
		}
	})
}
