// Package ratelimit paces calls so that at most N of them start in any
// window of length W: the guarantee Microsoft Graph's provisionOnDemand
// limit ("5 requests per 10 seconds") needs.
//
// # Why not a token bucket
//
// rate.NewLimiter(rate.Every(2*time.Second), 5) lets 5 calls start at t=0
// and then one more every 2 s: 9 starts between t=0 and t=10 s, almost
// twice the limit in that window. Graph counts windows, so that earns 429s.
// GCRA limiters have the same flaw.
//
// # How this one works
//
// A Limiter has N slots, each a golang.org/x/time/rate limiter with burst 1
// that refills once per period P = W + margin. A start takes one slot's
// token, so a slot is used at most once in any interval shorter than P,
// and N slots give at most N starts in any such interval, in particular in
// any window of length W. The margin covers clock jitter and the time a
// request takes to reach the server.
//
// Waiters queue in arrival order (FIFO). Only the head of the queue holds a
// reservation on a slot; when its context ends it cancels that reservation
// (rate.Reservation.CancelAt), leaves, and the next waiter becomes head, so
// a cancelled caller costs nobody any throughput. A wait whose context
// deadline comes before the earliest moment it could start fails at once
// with context.DeadlineExceeded.
//
// PauseUntil (for a 429's Retry-After) holds every waiter and new caller
// until the given time.
//
// A Limiter paces one process. Processes that share Graph's budget need a
// shared limiter (see the ratelimit/redis module).
package ratelimit

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// DefaultMargin is added to the window unless WithMargin says otherwise:
// 5 per 10 s then runs at 5 per 10.25 s, 97.6% of the documented limit.
const DefaultMargin = 250 * time.Millisecond

// Option configures a Limiter.
type Option func(*Limiter)

// WithMargin sets the safety margin added to the window (default
// DefaultMargin). Negative values are treated as zero.
func WithMargin(d time.Duration) Option {
	return func(l *Limiter) {
		if d < 0 {
			d = 0
		}
		l.margin = d
	}
}

// Limiter lets at most N calls start in any interval of length W (see the
// package documentation). It is safe for concurrent use; the zero value is
// not usable, create one with New.
type Limiter struct {
	n      int
	window time.Duration
	margin time.Duration
	period time.Duration // window + margin

	mu          sync.Mutex
	slots       []*rate.Limiter
	queue       []*waiter         // FIFO; queue[0] is the head
	headRes     *rate.Reservation // the reservation queue[0] holds, if any
	pausedUntil time.Time
	stats       Stats
}

type waiter struct {
	wake chan struct{} // buffered(1): "you are head now" or "state changed"
}

// Stats are counters since the Limiter was created.
type Stats struct {
	// Calls is the number of Waits that returned nil.
	Calls int64
	// Waited is the total time those calls spent waiting.
	Waited time.Duration
	// Cancelled is the number of Waits that ended with their context.
	Cancelled int64
	// Pauses is the number of PauseUntil calls that extended a pause.
	Pauses int64
	// Charged is the number of starts counted with Charge.
	Charged int64
}

// New returns a Limiter that lets at most n calls start in any window of
// length window. It panics if n < 1 or window <= 0.
func New(n int, window time.Duration, opts ...Option) *Limiter {
	if n < 1 || window <= 0 {
		panic(fmt.Sprintf("ratelimit: New(%d, %s): need n >= 1 and window > 0", n, window))
	}
	l := &Limiter{n: n, window: window, margin: DefaultMargin}
	for _, o := range opts {
		o(l)
	}
	l.period = l.window + l.margin
	l.slots = make([]*rate.Limiter, n)
	for i := range l.slots {
		l.slots[i] = rate.NewLimiter(rate.Every(l.period), 1)
	}
	return l
}

// Limit returns n and the window the Limiter was created with.
func (l *Limiter) Limit() (n int, window time.Duration) { return l.n, l.window }

// Period returns the window plus the margin: the shortest time in which a
// slot is used twice.
func (l *Limiter) Period() time.Duration { return l.period }

// Stats returns a snapshot of the counters.
func (l *Limiter) Stats() Stats {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.stats
}

// PauseUntil makes every waiting and future call wait until at least t.
// A t earlier than a pause already in force changes nothing.
func (l *Limiter) PauseUntil(t time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !t.After(l.pausedUntil) {
		return
	}
	l.pausedUntil = t
	l.stats.Pauses++
	if len(l.queue) > 0 {
		notify(l.queue[0])
	}
}

// Charge counts a start that was granted elsewhere (for example by a
// limiter shared across processes) at the current time, so that this
// Limiter's own grants and the charged ones together keep the guarantee
// wherever possible. It never blocks. If no slot is free, the slot that
// frees first is charged in advance: later starts wait that much longer.
func (l *Limiter) Charge() {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if l.headRes != nil {
		// The head's reservation was made before this start: give it
		// back so the head reserves again behind it.
		l.headRes.CancelAt(now)
		l.headRes = nil
		notify(l.queue[0])
	}
	if s := l.freeSlot(now); s != nil {
		s.AllowN(now, 1)
	} else {
		l.slots[l.soonestSlot(now)].ReserveN(now, 1)
	}
	l.stats.Charged++
}

// Delay returns how long a call to Wait made now would wait at least:
// 0 when it could start at once. It reserves nothing.
func (l *Limiter) Delay() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	return max(l.earliestStart(len(l.queue), now).Sub(now), 0)
}

// Wait blocks until the caller may start, then returns nil; the start is
// counted at that moment. If ctx ends first, Wait returns ctx's error and
// the caller must not start. If ctx has a deadline before the earliest
// moment the caller could start, Wait returns at once with an error
// matching context.DeadlineExceeded.
//
// A call that finds no one waiting, no pause and a free slot returns
// without allocating.
func (l *Limiter) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	l.mu.Lock()
	now := time.Now()
	if len(l.queue) == 0 && !now.Before(l.pausedUntil) {
		if s := l.freeSlot(now); s != nil {
			s.AllowN(now, 1)
			l.stats.Calls++
			l.mu.Unlock()
			return nil
		}
	}
	return l.waitSlow(ctx, now)
}

// waitSlow queues the caller. Called with l.mu held; returns with it
// released.
func (l *Limiter) waitSlow(ctx context.Context, arrived time.Time) error {
	if dl, ok := ctx.Deadline(); ok && !dl.After(l.earliestStart(len(l.queue), arrived)) {
		l.mu.Unlock()
		return fmt.Errorf("ratelimit: the wait would pass the context's deadline: %w", context.DeadlineExceeded)
	}
	w := &waiter{wake: make(chan struct{}, 1)}
	l.queue = append(l.queue, w)
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		var timerC <-chan time.Time
		if l.queue[0] == w {
			now := time.Now()
			var startAt time.Time
			switch {
			case l.headRes != nil:
				startAt = now.Add(l.headRes.DelayFrom(now))
			case now.Before(l.pausedUntil):
				startAt = l.pausedUntil
			default:
				if s := l.freeSlot(now); s != nil {
					s.AllowN(now, 1)
					l.grant(w, arrived, now)
					return nil
				}
				l.headRes = l.slots[l.soonestSlot(now)].ReserveN(now, 1)
				startAt = now.Add(l.headRes.DelayFrom(now))
			}
			if dl, ok := ctx.Deadline(); ok && !dl.After(startAt) {
				l.leave(w, now)
				l.mu.Unlock()
				return fmt.Errorf("ratelimit: the wait would pass the context's deadline: %w", context.DeadlineExceeded)
			}
			d := startAt.Sub(now)
			if timer == nil {
				timer = time.NewTimer(d)
			} else {
				timer.Reset(d)
			}
			timerC = timer.C
		}
		l.mu.Unlock()

		var fired, woken bool
		select {
		case <-timerC:
			fired = true
		case <-w.wake:
			woken = true
		case <-ctx.Done():
		}

		l.mu.Lock()
		now := time.Now()
		// While w is head, l.headRes is its reservation; Charge may have
		// given it back (and woken w) to make room for a start elsewhere.
		switch {
		case ctx.Err() != nil && !fired:
			l.leave(w, now)
			l.stats.Cancelled++
			l.mu.Unlock()
			return ctx.Err()
		case fired && l.headRes != nil && !now.Before(l.pausedUntil):
			// The reservation is due: this is our start.
			l.grant(w, arrived, now)
			return nil
		case l.headRes != nil && (woken || fired):
			// A pause began while we held a reservation: give it back
			// and wait for the pause first.
			l.headRes.CancelAt(now)
			l.headRes = nil
		}
		if timer != nil && !fired {
			timer.Stop()
		}
	}
}

// grant pops the head (w) and hands the head position on. Called with l.mu
// held; releases it.
func (l *Limiter) grant(w *waiter, arrived, now time.Time) {
	l.queue[0] = nil
	l.queue = l.queue[1:]
	l.headRes = nil
	if len(l.queue) > 0 {
		notify(l.queue[0])
	}
	l.stats.Calls++
	l.stats.Waited += now.Sub(arrived)
	l.mu.Unlock()
}

// leave removes w from the queue, giving back its reservation if it is the
// head and holds one. Called with l.mu held.
func (l *Limiter) leave(w *waiter, now time.Time) {
	i := slices.Index(l.queue, w)
	if i < 0 {
		return
	}
	l.queue = slices.Delete(l.queue, i, i+1)
	if i == 0 {
		if l.headRes != nil {
			l.headRes.CancelAt(now)
			l.headRes = nil
		}
		if len(l.queue) > 0 {
			notify(l.queue[0])
		}
	}
}

func notify(w *waiter) {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// freeSlot returns a slot with a whole token at now, or nil.
func (l *Limiter) freeSlot(now time.Time) *rate.Limiter {
	for _, s := range l.slots {
		if s.TokensAt(now) >= 1 {
			return s
		}
	}
	return nil
}

// soonestSlot returns the index of the slot that refills first.
func (l *Limiter) soonestSlot(now time.Time) int {
	best, bestTokens := 0, l.slots[0].TokensAt(now)
	for i, s := range l.slots[1:] {
		if t := s.TokensAt(now); t > bestTokens {
			best, bestTokens = i+1, t
		}
	}
	return best
}

// earliestStart is a lower bound on when the waiter at queue position pos
// (0 = head) could start, assuming nobody ahead of it leaves. Called with
// l.mu held.
func (l *Limiter) earliestStart(pos int, now time.Time) time.Time {
	if l.headRes != nil {
		pos-- // the head's reservation is already in its slot's tokens
	}
	avail := make([]time.Duration, len(l.slots))
	for i, s := range l.slots {
		if t := s.TokensAt(now); t < 1 {
			avail[i] = time.Duration((1 - t) * float64(l.period))
		}
	}
	slices.Sort(avail)
	if pos < 0 {
		pos = 0
	}
	at := now.Add(avail[pos%l.n] + time.Duration(pos/l.n)*l.period)
	if at.Before(l.pausedUntil) {
		at = l.pausedUntil
	}
	return at
}
