package graphsync

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"slices"
	"time"

	"github.com/graphsync/graphsync/models"
)

// WaitCondition is what WaitForJob waits for.
type WaitCondition string

// Wait conditions.
const (
	// WaitInitialCycle: the initial cycle has ended (Health.InitialCycle.Done).
	WaitInitialCycle WaitCondition = "initial-cycle"
	// WaitSteadyState: the job is active and its last cycle ended in
	// steady state (Health.SteadyState). A paused job never reaches it.
	WaitSteadyState WaitCondition = "steady"
	// WaitAny: whichever of the two comes first.
	WaitAny WaitCondition = "any"
)

// Reached reports whether h meets the condition.
func (w WaitCondition) Reached(h *Health) bool {
	switch w {
	case WaitInitialCycle:
		return h.InitialCycle.Done
	case WaitSteadyState:
		return h.SteadyState
	case WaitAny, "":
		return h.InitialCycle.Done || h.SteadyState
	}
	return false
}

// Valid reports whether w is one of the conditions ("" is WaitAny).
func (w WaitCondition) Valid() bool {
	return w == "" || w == WaitInitialCycle || w == WaitSteadyState || w == WaitAny
}

// JobWaitOptions are the options of WaitForJob. Nil means the defaults.
type JobWaitOptions struct {
	// Until is the condition to wait for; "" means WaitAny.
	Until WaitCondition
	// Timeout bounds the wait; 0 means DefaultJobWaitTimeout. The
	// context's deadline, when sooner, bounds it too.
	Timeout time.Duration
	// Poll is the pause between two reads; 0 means DefaultJobPoll.
	Poll time.Duration
	// MaxPoll caps how far throttling stretches the pause (a Retry-After
	// longer than it is still honoured); 0 means DefaultMaxJobPoll.
	MaxPoll time.Duration
	// Thresholds are those of the Health returned (nil: the defaults).
	Thresholds *HealthThresholds
	// OnRead, if set, is called with the health of each read, in the
	// caller's goroutine, before the wait decides whether it is over: to
	// show progress. It must not keep the wait long.
	OnRead func(*Health)
}

// JobWatchOptions are the options of WatchJob. Nil means the defaults.
type JobWatchOptions struct {
	// Poll, MaxPoll and Thresholds are as in JobWaitOptions.
	Poll, MaxPoll time.Duration
	Thresholds    *HealthThresholds
}

// Defaults of JobWaitOptions and JobWatchOptions.
const (
	DefaultJobWaitTimeout = time.Hour
	DefaultJobPoll        = 30 * time.Second
	DefaultMaxJobPoll     = 10 * time.Minute
)

// Errors of WaitForJob, to match with errors.Is.
var (
	// ErrJobQuarantined: the job is in quarantine; it will not reach the
	// condition until someone acts.
	ErrJobQuarantined = errors.New("graphsync: the job is in quarantine")
	// ErrJobFailed: the job's last run failed.
	ErrJobFailed = errors.New("graphsync: the job's last run failed")
	// ErrWaitTimeout: JobWaitOptions.Timeout passed first.
	ErrWaitTimeout = errors.New("graphsync: the job did not reach the condition in time")
)

// WaitForJob reads the job until it meets opts.Until and returns its
// health then, with a nil error. It ends sooner, returning the last
// health read (nil if none) and an error:
//   - matching ErrJobQuarantined or ErrJobFailed when the job is in
//     quarantine or its last run failed, saying why (the quarantine's
//     reason, its documented meaning, Graph's error); this comes first: a
//     job in quarantine whose initial cycle ended long ago does not meet
//     WaitInitialCycle;
//   - matching ErrWaitTimeout when opts.Timeout passed, saying the job's
//     state (a paused or unstarted job waits until then);
//   - matching the context's error when ctx ended;
//   - the error of a read that failed otherwise (401, 403, 404, ...),
//     unchanged.
//
// Reads are paced, one at a time: the first at once, then every
// opts.Poll. Each read is one request, without the client's retries
// (ClientOptions.Retry), so that the pace holds however Graph answers. A
// 429, 503 or 504 is not an error: the pause doubles at each one in a
// row, up to opts.MaxPoll, and is never shorter than the answer's
// Retry-After (a Retry-After longer than opts.MaxPoll is still
// honoured); it goes back to opts.Poll after the next answer. A
// Retry-After longer than MaxRetryAfter cannot be honoured: the wait
// ends at once with that answer. Each read sets the job's gauges (see
// JobHealth).
func (c *Client) WaitForJob(ctx context.Context, servicePrincipalID, jobID string, opts *JobWaitOptions) (*Health, error) {
	if err := checkJob(ctx, servicePrincipalID, jobID); err != nil {
		return nil, err
	}
	var o JobWaitOptions
	if opts != nil {
		o = *opts
	}
	if !o.Until.Valid() {
		return nil, invalid("opts.Until", fmt.Sprintf("%q is not initial-cycle, steady or any", o.Until))
	}
	if o.Until == "" {
		o.Until = WaitAny
	}
	if o.Timeout < 0 || o.Poll < 0 || o.MaxPoll < 0 {
		return nil, invalid("opts", "Timeout, Poll and MaxPoll must not be negative")
	}
	if o.Timeout == 0 {
		o.Timeout = DefaultJobWaitTimeout
	}
	wctx, cancel := context.WithTimeoutCause(ctx, o.Timeout, ErrWaitTimeout)
	defer cancel()
	p := newJobPoller(c, servicePrincipalID, jobID, o.Poll, o.MaxPoll, o.Thresholds)
	var last *Health
	for {
		h, err := p.next(wctx)
		if err != nil {
			if ctx.Err() == nil && context.Cause(wctx) == ErrWaitTimeout {
				return last, fmt.Errorf("%w: %s after %s; %s", ErrWaitTimeout, waitingFor(o.Until), o.Timeout, stillState(last, o.Until))
			}
			return last, err
		}
		last = h
		if o.OnRead != nil {
			o.OnRead(h)
		}
		switch {
		case h.State == JobQuarantined:
			if h.Quarantine == nil {
				return h, ErrJobQuarantined
			}
			return h, fmt.Errorf("%w%s: %s", ErrJobQuarantined, h.Quarantine.describe(), h.Quarantine.Meaning)
		case h.State == JobFailed:
			return h, fmt.Errorf("%w%s", ErrJobFailed, errorText(h.LastError))
		case o.Until.Reached(h):
			return h, nil
		}
	}
}

// waitingFor names a condition in a message.
func waitingFor(w WaitCondition) string {
	switch w {
	case WaitInitialCycle:
		return "the initial cycle did not end"
	case WaitSteadyState:
		return "the job did not reach steady state"
	}
	return "the job neither ended its initial cycle nor reached steady state"
}

// stillState says what the job was doing when the wait ended.
func stillState(h *Health, w WaitCondition) string {
	switch {
	case h == nil:
		return "no read of the job succeeded"
	case h.State == JobPaused:
		return "the job is paused, and a paused job does not run (graphsync jobs start resumes it)"
	case h.State == JobNotStarted:
		return fmt.Sprintf("the job is not started (status %s, schedule %s)", orNone(string(h.Code)), orNone(string(h.Schedule)))
	case !h.InitialCycle.Done && h.InitialCycle.Total > 0:
		return fmt.Sprintf("the job is %s, initial cycle at %d of %d %s", h.State, h.InitialCycle.Completed, h.InitialCycle.Total, orDefault(h.InitialCycle.Units, "units"))
	case w != WaitInitialCycle && h.InitialCycle.Done:
		return fmt.Sprintf("the job is %s, its initial cycle ended, its last cycle did not end in steady state", h.State)
	}
	return fmt.Sprintf("the job is %s", h.State)
}

// HealthChange names a part of a Health that changed between two reads.
type HealthChange string

// The parts of a Health that Changes compares.
const (
	// ChangeState: State, Code or Schedule.
	ChangeState HealthChange = "state"
	// ChangeQuarantine: the quarantine began, ended, or its reason,
	// series count or error changed.
	ChangeQuarantine HealthChange = "quarantine"
	// ChangeProgress: the initial cycle's progress.
	ChangeProgress HealthChange = "progress"
	// ChangeSteadyState: SteadyState.
	ChangeSteadyState HealthChange = "steady"
	// ChangeEscrows: Escrows or EscrowsPruned.
	ChangeEscrows HealthChange = "escrows"
	// ChangeLastRun: another run ended (LastRun's identifier, end or
	// state).
	ChangeLastRun HealthChange = "last-run"
	// ChangeError: the last run's error.
	ChangeError HealthChange = "error"
	// ChangeLevel: the verdict's level.
	ChangeLevel HealthChange = "level"
)

// Changes returns what differs between prev and h, in the order of the
// HealthChange constants; nil when nothing does, or when prev is nil.
// The age of the last successful run is not compared (it changes with
// every read): its effect on Level is.
func (h *Health) Changes(prev *Health) []HealthChange {
	if prev == nil {
		return nil
	}
	var out []HealthChange
	add := func(changed bool, c HealthChange) {
		if changed {
			out = append(out, c)
		}
	}
	add(h.State != prev.State || h.Code != prev.Code || h.Schedule != prev.Schedule, ChangeState)
	add(quarantineKey(h.Quarantine) != quarantineKey(prev.Quarantine), ChangeQuarantine)
	hp, pp := h.InitialCycle, prev.InitialCycle
	add(hp.Completed != pp.Completed || hp.Total != pp.Total || hp.Done != pp.Done, ChangeProgress)
	add(h.SteadyState != prev.SteadyState, ChangeSteadyState)
	add(h.Escrows != prev.Escrows || h.EscrowsPruned != prev.EscrowsPruned, ChangeEscrows)
	add(runKey(h.LastRun) != runKey(prev.LastRun), ChangeLastRun)
	add(errorText(h.LastError) != errorText(prev.LastError), ChangeError)
	add(h.Level != prev.Level, ChangeLevel)
	return out
}

func quarantineKey(q *QuarantineHealth) string {
	if q == nil {
		return ""
	}
	return fmt.Sprintf("%s|%d|%s|%s", q.Reason, q.SeriesCount, q.Since, errorText(q.Error))
}

func runKey(r *models.SynchronizationTaskExecution) string {
	if r == nil {
		return ""
	}
	return fmt.Sprintf("%s|%s|%s", r.ActivityIdentifier, r.TimeEnded, r.State)
}

// JobChange is one change WatchJob saw.
type JobChange struct {
	// Health is the job's health now; Previous is the one before the
	// change, nil for the first read.
	Health, Previous *Health
	// Changed says what changed (Health.Changes); nil for the first read.
	Changed []HealthChange
}

// WatchJob reads the job, paced as WaitForJob does, and yields its health
// at the first read and then each time it changes (see Health.Changes):
// each change once, reads that change nothing yield nothing. It stops
// when the caller stops ranging. On failure (a read that failed other
// than by throttling, a Retry-After longer than MaxRetryAfter, or ctx
// ending) it yields the error with a zero JobChange, once, and stops:
//
//	for ch, err := range client.WatchJob(ctx, spID, jobID, nil) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(ch.Changed, ch.Health.Summary())
//	}
//
// Each read sets the job's gauges (see JobHealth), so a watch keeps them
// current for a metrics exporter.
func (c *Client) WatchJob(ctx context.Context, servicePrincipalID, jobID string, opts *JobWatchOptions) iter.Seq2[JobChange, error] {
	return func(yield func(JobChange, error) bool) {
		if err := checkJob(ctx, servicePrincipalID, jobID); err != nil {
			yield(JobChange{}, err)
			return
		}
		var o JobWatchOptions
		if opts != nil {
			o = *opts
		}
		if o.Poll < 0 || o.MaxPoll < 0 {
			yield(JobChange{}, invalid("opts", "Poll and MaxPoll must not be negative"))
			return
		}
		p := newJobPoller(c, servicePrincipalID, jobID, o.Poll, o.MaxPoll, o.Thresholds)
		var prev *Health
		for {
			h, err := p.next(ctx)
			if err != nil {
				yield(JobChange{}, err)
				return
			}
			changed := h.Changes(prev)
			if prev == nil || len(changed) > 0 {
				if !yield(JobChange{Health: h, Previous: prev, Changed: changed}, nil) {
					return
				}
			}
			prev = h
		}
	}
}

// jobPoller reads one job, paced: no read sooner than pause after the
// one before, the pause stretched by throttling. Its reads are single
// requests (getJob with once): the client's retries would read again
// after 1 s, 2 s and 4 s inside one read, faster than any pause, and the
// faster the more Graph struggles.
type jobPoller struct {
	c             *Client
	sp, job       string
	poll, maxPoll time.Duration
	// backoff is poll doubled at each throttled read in a row, up to
	// maxPoll; pause, the wait before the next read, is backoff or the
	// last answer's Retry-After, whichever is longer. A Retry-After does
	// not compound into the doubling: it is a floor for one pause.
	backoff, pause time.Duration
	started        bool
	thresholds     *HealthThresholds
}

func newJobPoller(c *Client, sp, job string, poll, maxPoll time.Duration, t *HealthThresholds) *jobPoller {
	if poll == 0 {
		poll = DefaultJobPoll
	}
	if maxPoll == 0 {
		maxPoll = DefaultMaxJobPoll
	}
	maxPoll = max(maxPoll, poll)
	return &jobPoller{c: c, sp: sp, job: job, poll: poll, maxPoll: maxPoll, backoff: poll, pause: poll, thresholds: t}
}

// next waits for its turn, reads the job and returns its health. A read
// throttled or unavailable (429, 503, 504) is made again after a longer
// pause; any other failure, an answer whose Retry-After is past
// MaxRetryAfter (no pause of graphsync's is that long), or ctx ending,
// is returned.
func (p *jobPoller) next(ctx context.Context) (*Health, error) {
	for {
		if p.started {
			if err := sleep(ctx, p.pause); err != nil {
				return nil, err
			}
		}
		p.started = true
		job, err := p.c.getJob(ctx, p.sp, p.job, true)
		var re *ResponseError
		switch {
		case err == nil:
			p.backoff, p.pause = p.poll, p.poll
			h := CheckHealth(job, time.Now(), p.thresholds)
			h.ServicePrincipalID = p.sp
			if h.JobID == "" {
				h.JobID = p.job
			}
			p.c.obs.recordHealth(p.sp, p.job, h)
			return h, nil
		case errors.As(err, &re) && re.RetryAfter <= MaxRetryAfter &&
			slices.Contains([]int{http.StatusTooManyRequests, http.StatusServiceUnavailable, http.StatusGatewayTimeout}, re.StatusCode):
			p.backoff = min(2*p.backoff, p.maxPoll)
			p.pause = max(p.backoff, re.RetryAfter)
		default:
			return nil, err
		}
	}
}
