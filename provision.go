package graphsync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"

	"github.com/graphsync/graphsync/models"
)

const tmplProvision = "/servicePrincipals/{sp}/synchronization/jobs/{job}/provisionOnDemand"

// ProvisionOnDemand provisions the subjects of req now, through the job's
// rules, and returns Graph's answer decoded.
//
// The request is validated first (see models.ProvisionRequest.Validate);
// a bad one returns a *ValidationError naming the field, and nothing is
// sent. In the China cloud, where Graph does not offer this API, it
// returns an error matching ErrUnsupported without sending.
//
// Every call waits for the Client's limiter (5 calls in any 10 seconds by
// default, Graph's documented limit). A 429 answer pauses the limiter for
// its Retry-After, for every caller sharing it, and the call is sent again
// after the pause (Graph did not act on it). Other failures, 5xx included,
// are not retried unless the RetryPolicy says so, because Graph may have
// acted.
//
// A successful HTTP call can still report that provisioning failed or was
// skipped: check result.Succeeded, Skipped or FailedStep. If Graph's key or
// value string does not hold the JSON it should, the result is returned
// with its raw strings together with an error matching
// models.ErrResultDecode.
func (c *Client) ProvisionOnDemand(ctx context.Context, servicePrincipalID, jobID string, req models.ProvisionRequest) (*models.ProvisionResult, error) {
	body, err := c.checkProvision(ctx, servicePrincipalID, jobID, req)
	if err != nil {
		return nil, err
	}
	return c.provision(ctx, &request{
		method:   abs.POST,
		template: tmplProvision,
		params:   jobParams(servicePrincipalID, jobID),
		body:     body,
		limited:  true,
	})
}

// checkProvision validates a call and returns the request body.
func (c *Client) checkProvision(ctx context.Context, servicePrincipalID, jobID string, req models.ProvisionRequest) ([]byte, error) {
	if err := checkJob(ctx, servicePrincipalID, jobID); err != nil {
		return nil, err
	}
	if err := req.Validate(); err != nil {
		var fe *models.FieldError
		if errors.As(err, &fe) {
			return nil, invalid("req."+fe.Field, fe.Reason)
		}
		return nil, invalid("req", err.Error())
	}
	if c.cloud.NoProvisionOnDemand {
		return nil, fmt.Errorf("%w: provisionOnDemand is not available in the %s cloud", ErrUnsupported, c.cloud.Name)
	}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("graphsync: encoding provisionOnDemand request: %w", err)
	}
	return body, nil
}

func (c *Client) provision(ctx context.Context, r *request) (*models.ProvisionResult, error) {
	resp, err := c.do(ctx, r)
	if err != nil {
		return nil, err
	}
	res, err := models.DecodeProvisionResult(resp.body)
	if err != nil {
		return res, fmt.Errorf("graphsync: provisionOnDemand answered %d: %w", resp.status, err)
	}
	return res, nil
}

// BulkState says what became of one request of ProvisionMany.
type BulkState int

const (
	// BulkNotAttempted: the request was never processed by Graph (not
	// sent, or only answered 429): it is safe to send again.
	BulkNotAttempted BulkState = iota
	// BulkAnswered: Graph answered 2xx; Result holds its decoded answer
	// (which may itself report Failure or Skipped).
	BulkAnswered
	// BulkFailed: the request was refused (validation, or a non-2xx
	// answer other than 429) or its answer did not decode; Err says why.
	// After a 5xx Graph may still have acted.
	BulkFailed
	// BulkUnknown: the connection failed after the request was sent, so
	// Graph may or may not have acted; Err says why.
	BulkUnknown
)

func (s BulkState) String() string {
	switch s {
	case BulkNotAttempted:
		return "not attempted"
	case BulkAnswered:
		return "answered"
	case BulkFailed:
		return "failed"
	case BulkUnknown:
		return "unknown"
	}
	return fmt.Sprintf("BulkState(%d)", int(s))
}

// BulkResult is the outcome of one request of ProvisionMany.
type BulkResult struct {
	// Index is the request's position in the input.
	Index int
	// State says what became of the request: not attempted, answered,
	// failed or unknown (see BulkState).
	State BulkState
	// Result is Graph's decoded answer (BulkAnswered; with BulkFailed
	// when only decoding failed, it holds the raw strings).
	Result *models.ProvisionResult
	// Err says why the request failed (BulkFailed) or why its outcome is
	// unknown (BulkUnknown). For BulkNotAttempted it is why the request
	// was not sent (the limiter's wait, a last 429), or nil when the run
	// was cancelled before its turn. It is nil for BulkAnswered.
	Err error
}

// Progress is reported by ProvisionMany after each request ends.
type Progress struct {
	// Done counts the requests that ended (any state but not attempted),
	// out of Total.
	Done, Total int
	// Succeeded, Skipped and Failed split Done: Failed counts Graph's
	// Failure answers, errors and unknown outcomes.
	Succeeded, Skipped, Failed int
	// Last is the request that just ended.
	Last BulkResult
}

// BulkOptions tunes ProvisionMany; nil means the defaults.
type BulkOptions struct {
	// Concurrency is the number of requests in flight at once; 0 means
	// ProvisionOnDemandLimit. The limiter, not this, sets the pace.
	Concurrency int
	// Progress, if set, is called after each request ends, one call at a
	// time, from ProvisionMany's goroutines.
	Progress func(Progress)
	// Grace bounds how long requests already sent may run on after ctx is
	// cancelled (default 30 s); past it they are abandoned and reported
	// BulkUnknown.
	Grace time.Duration
}

// ProvisionMany sends each request through ProvisionOnDemand to the same
// job, paced by the Client's limiter so Graph's limit is never passed, and
// returns one BulkResult per request, in input order.
//
// Requests start in input order. A request Graph answered 2xx is
// BulkAnswered even when Graph reports that provisioning failed (check
// Result.Failed). One failing request does not stop the others.
//
// When ctx is cancelled, no new request is sent: requests still waiting
// are reported BulkNotAttempted, requests already sent are allowed to
// finish (up to BulkOptions.Grace) so that their outcome is known, and
// ProvisionMany returns the results with ctx's error. When ctx has a
// deadline, requests that the limiter knows cannot start before it are
// not sent either. Whenever any request is BulkNotAttempted, the error is
// non-nil. Nothing is sent
// twice: a request is retried only after a 429, which Graph did not act on.
//
// The arguments are validated first; a bad one (or any bad request, named
// by index) returns a *ValidationError and sends nothing.
func (c *Client) ProvisionMany(ctx context.Context, servicePrincipalID, jobID string, reqs []models.ProvisionRequest, opts *BulkOptions) ([]BulkResult, error) {
	var o BulkOptions
	if opts != nil {
		o = *opts
	}
	if o.Concurrency <= 0 {
		o.Concurrency = ProvisionOnDemandLimit
	}
	if o.Grace <= 0 {
		o.Grace = 30 * time.Second
	}
	bodies := make([][]byte, len(reqs))
	for i, req := range reqs {
		body, err := c.checkProvision(ctx, servicePrincipalID, jobID, req)
		if err != nil {
			var ve *ValidationError
			if errors.As(err, &ve) && strings.HasPrefix(ve.Field, "req") {
				return nil, invalid(fmt.Sprintf("reqs[%d]%s", i, strings.TrimPrefix(ve.Field, "req")), ve.Reason)
			}
			return nil, err
		}
		bodies[i] = body
	}

	// Sends outlive a cancelled ctx by at most Grace.
	sendCtx, cancelSends := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelSends()
	stopGrace := context.AfterFunc(ctx, func() { time.AfterFunc(o.Grace, cancelSends) })
	defer stopGrace()

	results := make([]BulkResult, len(reqs))
	var (
		mu   sync.Mutex
		prog = Progress{Total: len(reqs)}
		next = make(chan int)
		wg   sync.WaitGroup
	)
	for range min(o.Concurrency, len(reqs)) {
		wg.Go(func() {
			for i := range next {
				results[i] = c.provisionOne(ctx, sendCtx, servicePrincipalID, jobID, i, bodies[i])
				if results[i].State == BulkNotAttempted {
					continue
				}
				mu.Lock()
				prog.Done++
				switch r := results[i]; {
				case r.State == BulkAnswered && r.Result.Succeeded():
					prog.Succeeded++
				case r.State == BulkAnswered && r.Result.Skipped():
					prog.Skipped++
				default:
					prog.Failed++
				}
				prog.Last = results[i]
				if o.Progress != nil {
					o.Progress(prog)
				}
				mu.Unlock()
			}
		})
	}
	for i := range reqs {
		results[i].Index = i
	}
dispatch:
	for i := range reqs {
		select {
		case next <- i:
		case <-ctx.Done():
			break dispatch
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return results, err
	}
	// Requests can also be left unsent with ctx still alive: a deadline the
	// limiter knows cannot be met, or retries after 429 used up.
	notSent, first := 0, error(nil)
	for _, r := range results {
		if r.State == BulkNotAttempted {
			notSent++
			if first == nil {
				first = r.Err
			}
		}
	}
	if notSent > 0 {
		return results, fmt.Errorf("graphsync: %d of %d requests not sent: %w", notSent, len(results), first)
	}
	return results, nil
}

func (c *Client) provisionOne(ctx, sendCtx context.Context, servicePrincipalID, jobID string, i int, body []byte) BulkResult {
	out := BulkResult{Index: i}
	if ctx.Err() != nil {
		return out
	}
	var acted bool
	res, err := c.provision(ctx, &request{
		method:       abs.POST,
		template:     tmplProvision,
		params:       jobParams(servicePrincipalID, jobID),
		body:         body,
		limited:      true,
		sendCtx:      sendCtx,
		mayHaveActed: &acted,
	})
	out.Result, out.Err = res, err
	var re *ResponseError
	switch {
	case err == nil:
		out.State = BulkAnswered
	case !acted:
		out.State = BulkNotAttempted
	case errors.As(err, &re) || errors.Is(err, models.ErrResultDecode):
		out.State = BulkFailed
	default:
		out.State = BulkUnknown
	}
	return out
}
