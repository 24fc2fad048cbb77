// Package redislimit is a graphsync.Limiter shared by every process that
// uses the same Redis and name: at most N calls start in any window W
// across all of them, the guarantee of package ratelimit, for services
// with several replicas or an operator's tool running beside a service.
//
// # How it works
//
// One Lua script, run atomically by Redis, keeps a sliding log of the
// grants of the last W+margin (a sorted set scored by Redis's own clock,
// TIME): a call is granted only if fewer than N grants are in the log, so
// any interval shorter than W+margin holds at most N starts, whatever the
// processes' clocks say. A GCRA or token bucket would allow bursts of up to
// twice the limit in one window (see package ratelimit).
//
// A 429's Retry-After, reported by any process through PauseUntil, is
// stored in a pause key that every grant checks, so all processes wait.
//
// Waiting does not poll: a refused call sleeps until the earliest moment
// the script says a grant is possible (plus a little jitter, so that
// processes woken together do not always collide in the same order, and
// none starves). Within a process, callers queue in arrival order and only
// the head asks Redis.
//
// Keys are "graphsync:ratelimit:{NAME}:log", "...:pause" and "...:state"
// (the braces keep them in one Redis Cluster slot); all expire on their
// own (the log and pause within a window, the state marker after a day
// unused), so a process that dies, even while waiting, leaves nothing
// behind that blocks the others.
//
// A Redis that lost its state (restarted without persistence, evicted the
// keys, or never used with this name) cannot see the grants made before,
// so its first grant waits one window: a fresh start pays W once.
//
// # When Redis is unavailable
//
// By default a caller keeps waiting and retries with capped exponential
// backoff until Redis answers or its context ends: the limit is never
// exceeded, at the cost of not provisioning while Redis is down. With
// WithLocalFallback, a caller whose Redis call fails is paced by an
// in-process limiter instead: provisioning goes on, but processes no
// longer share the budget and Graph may answer 429 (which graphsync then
// handles with Retry-After).
package redislimit

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/graphsync/graphsync/ratelimit"
)

// acquire grants a start if fewer than N grants are in the log of the last
// period, else says how long until the oldest leaves it. Times are Redis
// TIME in microseconds.
//
// KEYS[1] log (sorted set), KEYS[2] pause (string, µs), KEYS[3] state marker
// ARGV[1] N, ARGV[2] period µs, ARGV[3] unique member
// returns {1, 0} granted, or {0, wait µs}
//
// The marker tells a Redis that kept its state from one that lost it
// (restarted without persistence, evicted, or never used): grants made
// before a loss are invisible, so after one the first grant waits a period.
var acquire = goredis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local n = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
if redis.call('EXISTS', KEYS[3]) == 0 and redis.call('EXISTS', KEYS[1]) == 0 then
  local cur = tonumber(redis.call('GET', KEYS[2]) or '0')
  if now + period > cur then
    redis.call('SET', KEYS[2], now + period, 'PX', math.ceil(period / 1000) + 1000)
  end
end
redis.call('SET', KEYS[3], '1', 'PX', 86400000)
local pause = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < pause then
  return {0, pause - now}
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - period)
if redis.call('ZCARD', KEYS[1]) < n then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.ceil(period / 1000) + 1000)
  return {1, 0}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, tonumber(oldest[2]) + period - now + 1}
`)

// pause extends the pause key to Redis's now + ARGV[1] µs, never shortens it.
var pause = goredis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local untilT = now + tonumber(ARGV[1])
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilT > cur then
  redis.call('SET', KEYS[1], untilT, 'PX', math.ceil(tonumber(ARGV[1]) / 1000) + 1000)
  return 1
end
return 0
`)

// Option configures a Limiter.
type Option func(*Limiter)

// WithMargin sets the safety margin added to the window (default
// ratelimit.DefaultMargin).
func WithMargin(d time.Duration) Option {
	return func(l *Limiter) { l.margin = max(d, 0) }
}

// WithLocalFallback paces callers with an in-process limiter of the same
// numbers while Redis does not answer, instead of waiting for Redis.
func WithLocalFallback() Option {
	return func(l *Limiter) { l.fallback = true }
}

// WithMaxBackoff caps the wait between tries while Redis does not answer
// (default 5 s).
func WithMaxBackoff(d time.Duration) Option {
	return func(l *Limiter) {
		if d > 0 {
			l.maxBackoff = d
		}
	}
}

// Limiter implements graphsync.Limiter on Redis. It is safe for
// concurrent use.
type Limiter struct {
	rdb        goredis.Scripter
	logKey     string
	pauseKey   string
	markerKey  string
	n          int
	window     time.Duration
	margin     time.Duration
	period     time.Duration
	fallback   bool
	local      *ratelimit.Limiter // used when fallback is on and Redis fails
	maxBackoff time.Duration

	gate   chan struct{} // one caller per process talks to Redis; FIFO
	prefix string        // for unique log members
	seq    atomic.Uint64

	mu    sync.Mutex
	stats Stats
}

// Stats are counters since the Limiter was created.
type Stats struct {
	Calls        int64         // Waits that returned nil
	Waited       time.Duration // total time those calls waited
	RedisErrors  int64         // Redis calls that failed
	LocalGrants  int64         // grants made by the local fallback
	PausesShared int64         // PauseUntil calls that extended the shared pause
}

// New returns a Limiter of n starts in any window, shared through rdb by
// every Limiter with the same name (choose one per Graph budget, e.g. the
// tenant and application ID). It panics if n < 1, window <= 0 or name is
// empty.
func New(rdb goredis.Scripter, name string, n int, window time.Duration, opts ...Option) *Limiter {
	if rdb == nil || name == "" || n < 1 || window <= 0 {
		panic(fmt.Sprintf("redislimit: New(%v, %q, %d, %s): need a client, a name, n >= 1 and window > 0", rdb, name, n, window))
	}
	var id [6]byte
	_, _ = cryptorand(id[:])
	l := &Limiter{
		rdb: rdb, n: n, window: window, margin: ratelimit.DefaultMargin, maxBackoff: 5 * time.Second,
		logKey:    "graphsync:ratelimit:{" + name + "}:log",
		pauseKey:  "graphsync:ratelimit:{" + name + "}:pause",
		markerKey: "graphsync:ratelimit:{" + name + "}:state",
		gate:      make(chan struct{}, 1),
		prefix:    hex.EncodeToString(id[:]),
	}
	for _, o := range opts {
		o(l)
	}
	l.period = l.window + l.margin
	if l.fallback {
		l.local = ratelimit.New(n, window, ratelimit.WithMargin(l.margin))
	}
	return l
}

var cryptorand = crand.Read

// Stats returns a snapshot of the counters.
func (l *Limiter) Stats() Stats {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.stats
}

// Wait blocks until the caller may start, or ctx ends (then it returns
// ctx's error). If ctx's deadline comes before the earliest moment Redis
// says a start is possible, it returns at once with an error matching
// context.DeadlineExceeded. See the package documentation for what
// happens while Redis does not answer.
func (l *Limiter) Wait(ctx context.Context) error {
	start := time.Now()
	select {
	case l.gate <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-l.gate }()

	backoff := 50 * time.Millisecond
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if l.local != nil {
			// This process's grants, from Redis or from the fallback,
			// are all counted by the local limiter: after a fallback
			// period, Redis (which never saw those grants) must not let
			// this process pass the limit either.
			if d := l.local.Delay(); d > 0 {
				if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
					return fmt.Errorf("redislimit: the wait would pass the context's deadline: %w", context.DeadlineExceeded)
				}
				if err := sleep(ctx, d); err != nil {
					return err
				}
				continue
			}
		}
		member := fmt.Sprintf("%s-%d", l.prefix, l.seq.Add(1))
		res, err := acquire.Run(ctx, l.rdb, []string{l.logKey, l.pauseKey, l.markerKey},
			l.n, l.period.Microseconds(), member).Int64Slice()
		if err == nil && len(res) != 2 {
			err = fmt.Errorf("redislimit: unexpected script answer %v", res)
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			l.count(func(s *Stats) { s.RedisErrors++ })
			if l.local != nil {
				if err := l.local.Wait(ctx); err != nil {
					return err
				}
				l.count(func(s *Stats) { s.LocalGrants++; s.Calls++; s.Waited += time.Since(start) })
				return nil
			}
			if err := sleep(ctx, jitter(backoff)); err != nil {
				return err
			}
			backoff = min(2*backoff, l.maxBackoff)
			continue
		}
		backoff = 50 * time.Millisecond
		if res[0] == 1 {
			if l.local != nil {
				l.local.Charge()
			}
			l.count(func(s *Stats) { s.Calls++; s.Waited += time.Since(start) })
			return nil
		}
		wait := time.Duration(res[1]) * time.Microsecond
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return fmt.Errorf("redislimit: the wait would pass the context's deadline: %w", context.DeadlineExceeded)
		}
		if err := sleep(ctx, wait+jitter(10*time.Millisecond)); err != nil {
			return err
		}
	}
}

// PauseUntil makes every process sharing the name wait until t (measured
// as a duration from now, applied on Redis's clock). If Redis does not
// answer, the pause still holds this process (through the local limiter,
// when there is one) and the error is dropped: a pause is advice, and the
// caller is already handling a 429.
func (l *Limiter) PauseUntil(t time.Time) {
	d := time.Until(t)
	if d <= 0 {
		return
	}
	if l.local != nil {
		l.local.PauseUntil(t)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	n, err := pause.Run(ctx, l.rdb, []string{l.pauseKey}, d.Microseconds()).Int64()
	if err != nil {
		l.count(func(s *Stats) { s.RedisErrors++ })
		return
	}
	if n == 1 {
		l.count(func(s *Stats) { s.PausesShared++ })
	}
}

func (l *Limiter) count(f func(*Stats)) {
	l.mu.Lock()
	f(&l.stats)
	l.mu.Unlock()
}

// jitter returns d plus up to a fifth of d, at random.
func jitter(d time.Duration) time.Duration {
	return d + time.Duration(mrand.Int64N(int64(d)/5+1))
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
