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
	State BulkState
	// Result is Graph's decoded answer (BulkAnswered; with BulkFailed
	// when only decoding failed, it holds the raw strings).
	Result *models.ProvisionResult
	Err    error
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
// Requests start in input order: each is admitted by the limiter and
// written out before the next one is admitted. A request Graph answered
// 2xx is BulkAnswered even when Graph reports that provisioning failed
// (check Result.Failed). One failing request does not stop the others,
// except for failures that every later request would meet too, which end
// the run: the credential cannot get a token (ErrCredential), or a 429
// the retry policy cannot absorb (no attempts left, or a Retry-After
// beyond RetryPolicy.MaxWait or MaxRetryAfter). Then nothing more is
// sent, the requests not yet sent are BulkNotAttempted with that error as
// their Err, and ProvisionMany returns at once, without waiting out the
// pause the 429 asked for.
//
// When ctx is cancelled, no new request is sent: requests still waiting
// are reported BulkNotAttempted, requests already sent are allowed to
// finish (up to BulkOptions.Grace) so that their outcome is known, and
// ProvisionMany returns the results with ctx's error. When ctx has a
// deadline, requests that the limiter knows cannot start before it are
// not sent either. Whenever any request is BulkNotAttempted, the error is
// non-nil and wraps the cause. Nothing is sent twice: a request is
// retried only after a 429, which Graph did not act on.
//
// The arguments are validated first, as by ProvisionOnDemand; a bad one
// (or any bad request, named by index) returns a *ValidationError and
// sends nothing. No requests at all is not an error: the result is empty.
func (c *Client) ProvisionMany(ctx context.Context, servicePrincipalID, jobID string, reqs []models.ProvisionRequest, opts *BulkOptions) ([]BulkResult, error) {
	if err := checkJob(ctx, servicePrincipalID, jobID); err != nil {
		return nil, err
	}
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
	results := make([]BulkResult, len(reqs))
	for i := range results {
		results[i].Index = i
	}

	// run bounds the waits; it ends with ctx, or with the cause of a
	// failure every later request would meet too.
	run, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	// Sends outlive a cancelled ctx by at most Grace.
	sendCtx, cancelSends := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelSends()
	stopGrace := context.AfterFunc(ctx, func() { time.AfterFunc(o.Grace, cancelSends) })
	defer stopGrace()

	var (
		mu      sync.Mutex
		prog    = Progress{Total: len(reqs)}
		slots   = make(chan struct{}, o.Concurrency)
		wg      sync.WaitGroup
		notSent error // why dispatching stopped early, if it did
	)
	for i := range reqs {
		select {
		case slots <- struct{}{}:
		case <-run.Done():
		}
		if run.Err() != nil {
			break
		}
		// Admit the requests in input order, and let the next one wait
		// for the limiter only once this one is written out.
		if c.limiter != nil {
			if err := c.limiter.Wait(run); err != nil {
				<-slots
				notSent = err
				break
			}
		}
		track := newSendTrack()
		wg.Go(func() {
			defer func() { <-slots }()
			r := c.provisionOne(run, sendCtx, servicePrincipalID, jobID, i, bodies[i], track)
			results[i] = r
			if r.State == BulkNotAttempted {
				if endsRun(r.Err) {
					stop(r.Err)
				}
				return
			}
			mu.Lock()
			defer mu.Unlock()
			prog.Done++
			switch {
			case r.State == BulkAnswered && r.Result.Succeeded():
				prog.Succeeded++
			case r.State == BulkAnswered && r.Result.Skipped():
				prog.Skipped++
			default:
				prog.Failed++
			}
			prog.Last = r
			if o.Progress != nil {
				o.Progress(prog)
			}
		})
		<-track.started
	}
	wg.Wait()

	cause := context.Cause(run)
	if ctx.Err() != nil {
		cause = ctx.Err()
	} else if cause == nil {
		cause = notSent
	}
	notAttempted := 0
	for i, r := range results {
		if r.State != BulkNotAttempted {
			continue
		}
		notAttempted++
		if r.Err == nil || (errors.Is(r.Err, context.Canceled) && ctx.Err() == nil) {
			results[i].Err = cause
		}
		if cause == nil {
			cause = r.Err
		}
	}
	if ctx.Err() != nil {
		return results, ctx.Err()
	}
	if notAttempted > 0 {
		return results, fmt.Errorf("graphsync: %d of %d requests not sent: %w", notAttempted, len(results), cause)
	}
	return results, nil
}

// endsRun reports whether err, met by a request that was not sent, will
// be met by every later request of the run too.
func endsRun(err error) bool {
	return errors.Is(err, ErrCredential) || errors.Is(err, ErrThrottled)
}

func (c *Client) provisionOne(ctx, sendCtx context.Context, servicePrincipalID, jobID string, i int, body []byte, track *sendTrack) BulkResult {
	defer track.start()
	out := BulkResult{Index: i}
	if ctx.Err() != nil {
		return out
	}
	res, err := c.provision(ctx, &request{
		method:   abs.POST,
		template: tmplProvision,
		params:   jobParams(servicePrincipalID, jobID),
		body:     body,
		limited:  true,
		admitted: true,
		sendCtx:  sendCtx,
		track:    track,
	})
	out.Result, out.Err = res, err
	var re *ResponseError
	switch {
	case err == nil:
		out.State = BulkAnswered
	case !track.mayHaveActed:
		out.State = BulkNotAttempted
	case errors.As(err, &re) || errors.Is(err, models.ErrResultDecode):
		out.State = BulkFailed
	default:
		out.State = BulkUnknown
	}
	return out
}
