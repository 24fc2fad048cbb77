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
	if err := c.checkProvision(ctx, servicePrincipalID, jobID, req); err != nil {
		return nil, err
	}
	body, err := encodeProvision(req)
	if err != nil {
		return nil, err
	}
	return c.provision(ctx, &request{
		op:       "ProvisionOnDemand",
		method:   abs.POST,
		template: tmplProvision,
		params:   jobParams(servicePrincipalID, jobID),
		body:     body,
		limiter:  c.limiter,
	})
}

// checkProvision validates a call.
func (c *Client) checkProvision(ctx context.Context, servicePrincipalID, jobID string, req models.ProvisionRequest) error {
	if err := checkJob(ctx, servicePrincipalID, jobID); err != nil {
		return err
	}
	if err := req.Validate(); err != nil {
		return invalidModel("req", err)
	}
	if c.cloud.NoProvisionOnDemand {
		return fmt.Errorf("%w: provisionOnDemand is not available in the %s cloud", ErrUnsupported, c.cloud.Name)
	}
	return nil
}

func encodeProvision(req models.ProvisionRequest) ([]byte, error) {
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
	res.RequestID = resp.headerValue("request-id")
	if err != nil {
		return res, resp.fail(fmt.Sprintf("graphsync: provisionOnDemand answered %d: %v", resp.status, err), err)
	}
	return res, nil
}

// RequestState says what became of one request of ProvisionMany.
type RequestState int

const (
	// RequestNotAttempted: the request was never processed by Graph (not
	// sent, or only answered 429): it is safe to send again.
	RequestNotAttempted RequestState = iota
	// RequestAnswered: Graph answered 2xx; Result holds its decoded answer
	// (which may itself report Failure or Skipped).
	RequestAnswered
	// RequestFailed: the request was refused (validation, or a non-2xx
	// answer other than 429) or its answer did not decode; Err says why.
	// After a 5xx Graph may still have acted.
	RequestFailed
	// RequestUnknown: the connection failed after the request was sent, so
	// Graph may or may not have acted; Err says why.
	RequestUnknown
)

func (s RequestState) String() string {
	switch s {
	case RequestNotAttempted:
		return "not attempted"
	case RequestAnswered:
		return "answered"
	case RequestFailed:
		return "failed"
	case RequestUnknown:
		return "unknown"
	}
	return fmt.Sprintf("RequestState(%d)", int(s))
}

// RequestOutcome is the outcome of one request of ProvisionMany.
type RequestOutcome struct {
	// Index is the request's position in the input.
	Index int
	// State says what became of the request: not attempted, answered,
	// failed or unknown (see RequestState).
	State RequestState
	// Result is Graph's decoded answer (RequestAnswered; with RequestFailed
	// when only decoding failed, it holds the raw strings).
	Result *models.ProvisionResult
	// Err says why the request failed (RequestFailed) or why its outcome is
	// unknown (RequestUnknown). For RequestNotAttempted it is why the request
	// was not sent (the limiter's wait, a last 429), or nil when the run
	// was cancelled before its turn. It is nil for RequestAnswered.
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
	Last RequestOutcome
}

// ProvisionOptions tunes ProvisionMany; nil means the defaults.
type ProvisionOptions struct {
	// Concurrency is the number of requests in flight at once; 0 means
	// ProvisionOnDemandLimit. The limiter, not this, sets the pace.
	Concurrency int
	// Progress, if set, is called after each request ends, one call at a
	// time, from ProvisionMany's goroutines. A slow callback slows the run;
	// a panic in it is not recovered (it ends the program, as in any
	// goroutine).
	Progress func(Progress)
	// Grace bounds how long requests already sent may run on after ctx is
	// cancelled (default 30 s); past it they are abandoned and reported
	// RequestUnknown.
	Grace time.Duration
}

// ProvisionMany sends each request through ProvisionOnDemand to the same
// job, paced by the Client's limiter so Graph's limit is never passed, and
// returns one RequestOutcome per request, in input order. It is ProvisionEach
// with the results collected; for runs too long to hold every decoded
// result in memory, use ProvisionEach.
//
// Requests start in input order: each gets its token, is admitted by the
// limiter and is written out before the next one is admitted. (With a
// transport other than *http.Transport that does not report writes
// through net/http/httptrace, a request counts as written 10 ms after it
// was handed to the transport.) Up to ProvisionOptions.Concurrency requests
// are in flight at once. A request Graph answered
// 2xx is RequestAnswered even when Graph reports that provisioning failed
// (check Result.Failed). One failing request does not stop the others,
// except for failures that every later request would meet too, which end
// the run:
//   - the credential cannot get a token (ErrCredential);
//   - Graph answers 401, 403 or 404 (the job or the service principal
//     does not exist, or the caller may not use it);
//   - a 429 the retry policy cannot absorb (no attempts left, or a
//     Retry-After beyond RetryPolicy.MaxWait or MaxRetryAfter).
//
// Then nothing more is sent, the requests not yet sent are
// RequestNotAttempted with that error as their Err, and ProvisionMany
// returns at once (without waiting out the pause a 429 asked for).
//
// When ctx is cancelled, no new request is sent: requests still waiting
// are reported RequestNotAttempted, requests already sent are allowed to
// finish (up to ProvisionOptions.Grace) so that their outcome is known, and
// ProvisionMany returns the results with ctx's error. When ctx has a
// deadline, requests that the limiter knows cannot start before it are
// not sent either. Whenever any request is RequestNotAttempted, the error is
// non-nil and wraps the cause. Nothing is sent twice: a request is
// retried only after a 429, which Graph did not act on.
//
// The arguments are validated first, as by ProvisionOnDemand; a bad one
// (or any bad request, named by index) returns a *ValidationError and
// sends nothing. No requests at all is not an error: the result is empty.
func (c *Client) ProvisionMany(ctx context.Context, servicePrincipalID, jobID string, reqs []models.ProvisionRequest, opts *ProvisionOptions) ([]RequestOutcome, error) {
	var results []RequestOutcome
	err := c.provisionEach(ctx, "ProvisionMany", servicePrincipalID, jobID, reqs, opts, func(r RequestOutcome) {
		if results == nil {
			results = make([]RequestOutcome, len(reqs))
		}
		results[r.Index] = r
	})
	if results == nil && err == nil {
		results = []RequestOutcome{} // no requests: an empty run
	}
	return results, err
}

// ProvisionEach is ProvisionMany for long runs: instead of returning the
// results, it calls each with every result as its request ends, and keeps
// none of them, so a run of any length needs memory only for the
// requests in flight. each is called one call at a time, from
// ProvisionEach's goroutines, in the order the requests end (which is
// close to input order); requests never sent are reported last, in input
// order, with State RequestNotAttempted. Every request is reported exactly
// once, unless the arguments are invalid (then none is, and the error is
// a *ValidationError). The error, the start order and the rules for
// ending a run early are ProvisionMany's. A slow each slows the run
// (requests wait for their turn to report), which keeps memory bounded.
func (c *Client) ProvisionEach(ctx context.Context, servicePrincipalID, jobID string, reqs []models.ProvisionRequest, opts *ProvisionOptions, each func(RequestOutcome)) error {
	if each == nil {
		return invalid("each", "must not be nil")
	}
	return c.provisionEach(ctx, "ProvisionEach", servicePrincipalID, jobID, reqs, opts, each)
}

func (c *Client) provisionEach(ctx context.Context, op, servicePrincipalID, jobID string, reqs []models.ProvisionRequest, opts *ProvisionOptions, each func(RequestOutcome)) (err error) {
	if err := checkJob(ctx, servicePrincipalID, jobID); err != nil {
		return err
	}
	var o ProvisionOptions
	if opts != nil {
		o = *opts
	}
	if o.Concurrency <= 0 {
		o.Concurrency = ProvisionOnDemandLimit
	}
	if o.Grace <= 0 {
		o.Grace = 30 * time.Second
	}
	if c.cloud.NoProvisionOnDemand {
		return fmt.Errorf("%w: provisionOnDemand is not available in the %s cloud", ErrUnsupported, c.cloud.Name)
	}
	for i, req := range reqs {
		if err := c.checkProvision(ctx, servicePrincipalID, jobID, req); err != nil {
			var ve *ValidationError
			if errors.As(err, &ve) && strings.HasPrefix(ve.Field, "req") {
				return invalid(fmt.Sprintf("reqs[%d]%s", i, strings.TrimPrefix(ve.Field, "req")), ve.Reason)
			}
			return err
		}
	}
	if len(reqs) == 0 {
		return nil
	}
	ctx, obs := c.obs.begin(ctx, op)
	defer func() { obs.end(err) }()

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
		mu           sync.Mutex // serialises each and Progress, and guards the counts
		prog         = Progress{Total: len(reqs)}
		notAttempted int
		firstCause   error // of a request not sent
		slots        = make(chan struct{}, o.Concurrency)
		wg           sync.WaitGroup
		dispatched   int
		notSent      error // why dispatching stopped early, if it did
	)
	// report hands one result to each (and Progress); causeOf fills in
	// why a request was not sent.
	causeOf := func(err error) error {
		if cause := context.Cause(run); cause != nil && ctx.Err() == nil && (err == nil || errors.Is(err, context.Canceled)) {
			return cause
		}
		if err == nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return notSent
		}
		return err
	}
	report := func(r RequestOutcome) {
		mu.Lock()
		defer mu.Unlock()
		if r.State == RequestNotAttempted {
			r.Err = causeOf(r.Err)
			notAttempted++
			if firstCause == nil {
				firstCause = r.Err
			}
			each(r)
			return
		}
		prog.Done++
		switch {
		case r.State == RequestAnswered && r.Result.Succeeded():
			prog.Succeeded++
		case r.State == RequestAnswered && r.Result.Skipped():
			prog.Skipped++
		default:
			prog.Failed++
		}
		prog.Last = r
		each(r)
		if o.Progress != nil {
			o.Progress(prog)
		}
	}
dispatch:
	for i := range reqs {
		select {
		case slots <- struct{}{}:
		case <-run.Done():
		}
		if run.Err() != nil {
			break
		}
		// Admit the requests in input order: the worker gets its token,
		// says it is ready, and the limiter admits it; the next one is
		// admitted only once this one is written out (or has ended).
		dispatched++
		track := newSendTrack()
		wg.Go(func() {
			defer func() { <-slots }()
			r := c.provisionOne(run, sendCtx, servicePrincipalID, jobID, i, reqs[i], track)
			if endsRun(r) {
				stop(r.Err)
			}
			track.start() // after stop: the dispatcher must see it
			report(r)
		})
		select {
		case <-track.ready:
			var err error
			if c.limiter != nil {
				err = c.limiter.Wait(run)
			}
			track.decision <- err
			if err != nil {
				<-track.started
				notSent = err
				break dispatch
			}
		case <-track.started:
		}
		<-track.started
	}
	wg.Wait()
	for i := dispatched; i < len(reqs); i++ {
		report(RequestOutcome{Index: i, State: RequestNotAttempted})
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if notAttempted > 0 {
		return fmt.Errorf("graphsync: %d of %d requests not sent: %w", notAttempted, len(reqs), firstCause)
	}
	return nil
}

// endsRun reports whether r's failure will be met by every later request
// of the run too: the credential cannot get a token, a 429 the retry
// policy could not absorb, or Graph refusing the caller (401, 403) or not
// knowing the job or service principal (404).
func endsRun(r RequestOutcome) bool {
	switch r.State {
	case RequestNotAttempted:
		return errors.Is(r.Err, ErrCredential) || errors.Is(r.Err, ErrThrottled) || errors.Is(r.Err, ErrUnauthorized)
	case RequestFailed:
		return errors.Is(r.Err, ErrUnauthorized) || errors.Is(r.Err, ErrForbidden) || errors.Is(r.Err, ErrNotFound)
	}
	return false
}

// provisionOne sends one request of a run. track.started is closed once
// it is written out (if it is); the caller closes it otherwise.
func (c *Client) provisionOne(ctx, sendCtx context.Context, servicePrincipalID, jobID string, i int, req models.ProvisionRequest, track *sendTrack) RequestOutcome {
	out := RequestOutcome{Index: i}
	if ctx.Err() != nil {
		return out
	}
	body, err := encodeProvision(req)
	if err != nil {
		out.Err = err
		return out
	}
	res, err := c.provision(ctx, &request{
		op:       "ProvisionOnDemand",
		method:   abs.POST,
		template: tmplProvision,
		params:   jobParams(servicePrincipalID, jobID),
		body:     body,
		limiter:  c.limiter,
		admit:    track.awaitAdmission,
		sendCtx:  sendCtx,
		track:    track,
	})
	out.Result, out.Err = res, err
	var re *ResponseError
	switch {
	case err == nil:
		out.State = RequestAnswered
	case !track.mayHaveActed:
		out.State = RequestNotAttempted
	case errors.As(err, &re) || errors.Is(err, models.ErrResultDecode):
		out.State = RequestFailed
	default:
		out.State = RequestUnknown
	}
	return out
}
