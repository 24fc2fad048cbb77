package ratelimit

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"
	"golang.org/x/time/rate"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// recorder collects start times.
type recorder struct {
	mu     sync.Mutex
	starts []time.Time
	order  []int
}

func (r *recorder) add(i int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.starts = append(r.starts, time.Now())
	r.order = append(r.order, i)
}

// maxInWindow returns the largest number of starts in any closed interval
// [t, t+w]. Checking windows that begin at each start suffices.
func maxInWindow(starts []time.Time, w time.Duration) int {
	s := slices.Clone(starts)
	slices.SortFunc(s, func(a, b time.Time) int { return a.Compare(b) })
	best := 0
	j := 0
	for i := range s {
		for j < len(s) && !s[j].After(s[i].Add(w)) {
			j++
		}
		best = max(best, j-i)
	}
	return best
}

func TestTokenBucketCounterexample(t *testing.T) {
	// The reason this package exists: a plain token bucket of 5 per 10 s
	// lets 9 starts into [0, 10 s) and 10 into [0, 10 s].
	synctest.Test(t, func(t *testing.T) {
		lim := rate.NewLimiter(rate.Every(2*time.Second), 5)
		start := time.Now()
		var starts []time.Time
		for time.Since(start) <= 10*time.Second {
			if err := lim.Wait(context.Background()); err != nil {
				t.Fatal(err)
			}
			if time.Since(start) <= 10*time.Second {
				starts = append(starts, time.Now())
			}
		}
		if got := maxInWindow(starts, 10*time.Second); got != 10 {
			t.Fatalf("token bucket: max starts in a 10 s window = %d, want 10 (the flaw)", got)
		}
		// The same arrivals through our limiter stay at 5.
		l := New(5, 10*time.Second, WithMargin(0))
		starts = starts[:0]
		start = time.Now()
		for time.Since(start) <= 30*time.Second {
			if err := l.Wait(context.Background()); err != nil {
				t.Fatal(err)
			}
			starts = append(starts, time.Now())
		}
		if got := maxInWindow(starts, 10*time.Second-time.Nanosecond); got > 5 {
			t.Fatalf("Limiter: %d starts in a 10 s window, want <= 5", got)
		}
	})
}

func TestFiftyCallersSchedule(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const margin = 100 * time.Millisecond
		l := New(5, 10*time.Second, WithMargin(margin))
		t0 := time.Now()
		var rec recorder
		var wg sync.WaitGroup
		for i := range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := l.Wait(context.Background()); err != nil {
					t.Error(err)
					return
				}
				rec.add(i)
			}()
			synctest.Wait() // fix arrival order: caller i queues before i+1
		}
		wg.Wait()
		if got := maxInWindow(rec.starts, 10*time.Second); got != 5 {
			t.Fatalf("max starts in a 10 s window = %d, want 5", got)
		}
		// FIFO: no caller starts later than one that arrived after it
		// (callers granted at the same instant may record in any order).
		byCaller := make([]time.Time, 50)
		for k, i := range rec.order {
			byCaller[i] = rec.starts[k]
		}
		for i := 1; i < 50; i++ {
			if byCaller[i].Before(byCaller[i-1]) {
				t.Fatalf("caller %d started at %v, before caller %d at %v", i, byCaller[i].Sub(t0), i-1, byCaller[i-1].Sub(t0))
			}
		}
		// 5 at t=0, then 5 per period: the 50th starts at 9 periods.
		for k, s := range rec.starts {
			want := time.Duration(k/5) * (10*time.Second + margin)
			if got := s.Sub(t0); got != want {
				t.Fatalf("start %d at %v, want %v", k, got, want)
			}
		}
		if last := rec.starts[49].Sub(t0); last > 90*time.Second+9*margin {
			t.Fatalf("50th start at %v, want <= 90 s + margins", last)
		}
		st := l.Stats()
		if st.Calls != 50 || st.Cancelled != 0 {
			t.Fatalf("stats %+v", st)
		}
	})
}

// Stats.Waited is the sum of the waits of the calls that started, each
// from its arrival to its start; a wait that ended with its context is
// not in it.
func TestStatsWaitedSumsTheWaitsOfStartedCalls(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(1, 10*time.Second, WithMargin(0))
		if err := l.Wait(context.Background()); err != nil { // at 0, no wait
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		wait := func(ctx context.Context, want error) {
			wg.Go(func() {
				if err := l.Wait(ctx); !errors.Is(err, want) {
					t.Errorf("Wait = %v, want %v", err, want)
				}
			})
			synctest.Wait() // queued
		}
		wait(context.Background(), nil) // from 0, starts at 10s
		time.Sleep(time.Second)
		ctx, cancel := context.WithCancel(context.Background())
		wait(ctx, context.Canceled) // from 1s, cancelled at 3s
		time.Sleep(2 * time.Second)
		cancel()
		synctest.Wait()
		wait(context.Background(), nil) // from 3s, starts at 20s
		wg.Wait()
		st := l.Stats()
		if st.Waited != 27*time.Second || st.Calls != 3 || st.Cancelled != 1 {
			t.Fatalf("stats %+v, want Waited 27s (10s + 17s) over 3 calls, 1 cancelled", st)
		}
	})
}

func TestRandomArrivalsCancellationsAndPauses(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		synctest.Test(t, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, seed*7))
			const n, w = 5, 10 * time.Second
			l := New(n, w, WithMargin(50*time.Millisecond))
			var rec recorder
			var wg sync.WaitGroup
			var cancelled, granted int
			var mu sync.Mutex
			for i := range 60 {
				time.Sleep(time.Duration(rng.IntN(3000)) * time.Millisecond)
				if rng.IntN(10) == 0 {
					l.PauseUntil(time.Now().Add(time.Duration(rng.IntN(5000)) * time.Millisecond))
				}
				cancelAfter := time.Duration(0)
				if rng.IntN(4) == 0 {
					cancelAfter = time.Duration(1+rng.IntN(20000)) * time.Millisecond
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					ctx := context.Background()
					if cancelAfter > 0 {
						var cancel context.CancelFunc
						ctx, cancel = context.WithCancel(ctx)
						timer := time.AfterFunc(cancelAfter, cancel)
						defer timer.Stop()
						defer cancel()
					}
					err := l.Wait(ctx)
					mu.Lock()
					defer mu.Unlock()
					if err != nil {
						if !errors.Is(err, context.Canceled) {
							t.Errorf("Wait: %v", err)
						}
						cancelled++
						return
					}
					granted++
					rec.add(i)
				}()
			}
			wg.Wait()
			if got := maxInWindow(rec.starts, w); got > n {
				t.Fatalf("seed %d: %d starts in a window, want <= %d", seed, got, n)
			}
			st := l.Stats()
			if int(st.Calls) != granted || int(st.Cancelled) != cancelled {
				t.Fatalf("seed %d: stats %+v, granted %d cancelled %d", seed, st, granted, cancelled)
			}
		})
	}
}

func TestCancelledWaiterGivesPlaceBack(t *testing.T) {
	// 5 starts use the window; A (head) and B queue; A is cancelled after
	// 1 s. B must start exactly when A would have: at one period.
	synctest.Test(t, func(t *testing.T) {
		const margin = 10 * time.Millisecond
		l := New(5, 10*time.Second, WithMargin(margin))
		t0 := time.Now()
		for range 5 {
			if err := l.Wait(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		ctxA, cancelA := context.WithCancel(context.Background())
		errA := make(chan error, 1)
		go func() { errA <- l.Wait(ctxA) }()
		synctest.Wait()
		var bStart time.Time
		done := make(chan struct{})
		go func() {
			defer close(done)
			if err := l.Wait(context.Background()); err != nil {
				t.Error(err)
			}
			bStart = time.Now()
		}()
		synctest.Wait()
		time.Sleep(time.Second)
		cancelA()
		if err := <-errA; !errors.Is(err, context.Canceled) {
			t.Fatalf("A: %v", err)
		}
		<-done
		if got, want := bStart.Sub(t0), 10*time.Second+margin; got != want {
			t.Fatalf("B started at %v, want %v", got, want)
		}
		// The next 4 still start at one period: A's place was given back.
		for range 4 {
			if err := l.Wait(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		if got, want := time.Since(t0), 10*time.Second+margin; got != want {
			t.Fatalf("after B, 4 more started by %v, want %v", got, want)
		}
	})
}

func TestShortDeadlineFailsFast(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(1, 10*time.Second)
		if err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		t0 := time.Now()
		err := l.Wait(ctx)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want DeadlineExceeded", err)
		}
		if time.Since(t0) != 0 {
			t.Fatalf("waited %v before failing", time.Since(t0))
		}
		// A queued (non-head) waiter is told at once too.
		queued := make(chan error, 1)
		go func() { queued <- l.Wait(context.Background()) }()
		synctest.Wait()
		defer func() {
			if err := <-queued; err != nil {
				t.Error(err)
			}
		}()
		ctx2, cancel2 := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel2()
		if err := l.Wait(ctx2); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("queued: err = %v, want DeadlineExceeded", err)
		}
		if time.Since(t0) != 0 {
			t.Fatalf("queued waiter waited %v", time.Since(t0))
		}
	})
}

func TestPauseHoldsEveryone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(5, 10*time.Second)
		t0 := time.Now()
		if err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		var rec recorder
		var wg sync.WaitGroup
		for i := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				time.Sleep(time.Duration(i+1) * 100 * time.Millisecond) // after PauseUntil
				if err := l.Wait(context.Background()); err != nil {
					t.Error(err)
				}
				rec.add(i)
			}()
		}
		l.PauseUntil(t0.Add(3 * time.Second))
		wg.Wait()
		for _, s := range rec.starts {
			if s.Sub(t0) != 3*time.Second {
				t.Fatalf("start at %v, want 3s (the pause)", s.Sub(t0))
			}
		}
		if st := l.Stats(); st.Pauses != 1 || st.Calls != 4 {
			t.Fatalf("stats %+v", st)
		}
		// A shorter pause does not shorten the current one.
		l.PauseUntil(t0.Add(4 * time.Second))
		l.PauseUntil(t0.Add(3500 * time.Millisecond))
		if err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := time.Since(t0); got != 4*time.Second {
			t.Fatalf("start at %v, want 4s", got)
		}
	})
}

func TestPauseWhileHeadHoldsReservation(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(1, 10*time.Second, WithMargin(0))
		t0 := time.Now()
		_ = l.Wait(context.Background())
		done := make(chan time.Time)
		go func() {
			_ = l.Wait(context.Background())
			done <- time.Now()
		}()
		synctest.Wait() // head holds a reservation for t=10s
		time.Sleep(time.Second)
		l.PauseUntil(t0.Add(20 * time.Second))
		if got := (<-done).Sub(t0); got != 20*time.Second {
			t.Fatalf("start at %v, want 20s", got)
		}
	})
}

func TestNewPanicsOnBadArguments(t *testing.T) {
	for _, c := range []struct {
		n int
		w time.Duration
	}{{0, time.Second}, {1, 0}, {-1, -1}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New(%d, %v) did not panic", c.n, c.w)
				}
			}()
			New(c.n, c.w)
		}()
	}
}

func TestUncontendedWaitDoesNotAllocate(t *testing.T) {
	// A window far shorter than the time between calls: every call finds
	// a free slot and no queue.
	l := New(5, time.Nanosecond, WithMargin(0))
	ctx := context.Background()
	allocs := testing.AllocsPerRun(1000, func() {
		if err := l.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("uncontended Wait allocates %v times", allocs)
	}
}

func BenchmarkWaitUncontended(b *testing.B) {
	l := New(5, time.Nanosecond, WithMargin(0))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := l.Wait(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFiftyCallerSchedule queues 50 callers on a limiter of 5 per
// 20 ms (real time; the shape is that of 5 per 10 s) and reports when the
// last one started, in periods: 9 is the ideal (5 at once, then 5 per
// period); timer latency adds a little. ns/op is dominated by the 9
// periods of waiting.
func BenchmarkFiftyCallerSchedule(b *testing.B) {
	b.ReportAllocs()
	var total float64
	var runs int
	for b.Loop() {
		l := New(5, 20*time.Millisecond, WithMargin(0))
		t0 := time.Now()
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() { _ = l.Wait(context.Background()) })
		}
		wg.Wait()
		total += float64(time.Since(t0)) / float64(l.Period())
		runs++
	}
	b.ReportMetric(total/float64(runs), "periods-to-50th")
}

func TestChargeCountsStartsMadeElsewhere(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(5, 10*time.Second, WithMargin(0))
		var starts []time.Time
		// Three starts granted elsewhere, then Wait: only two more fit in
		// the window.
		for range 3 {
			l.Charge()
			starts = append(starts, time.Now())
		}
		if d := l.Delay(); d != 0 {
			t.Fatalf("Delay = %v with two slots free", d)
		}
		for range 4 {
			if err := l.Wait(context.Background()); err != nil {
				t.Fatal(err)
			}
			starts = append(starts, time.Now())
		}
		if got := maxInWindow(starts, 10*time.Second-time.Nanosecond); got > 5 {
			t.Fatalf("%d starts in a window", got)
		}
		if at := starts[6].Sub(starts[0]); at != 10*time.Second {
			t.Fatalf("sixth own start after %v, want 10s", at)
		}
		// Charging with every slot used goes into debt: the next Wait
		// waits a whole period more.
		for range 5 {
			l.Charge()
		}
		if d := l.Delay(); d != 10*time.Second {
			t.Fatalf("Delay after charging a full window = %v, want 10s", d)
		}
		if st := l.Stats(); st.Charged != 8 || st.Calls != 4 {
			t.Fatalf("stats %+v", st)
		}
	})
}

func TestChargeMovesTheHeadWaiter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(1, 10*time.Second, WithMargin(0))
		if err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		t0 := time.Now()
		done := make(chan time.Duration)
		go func() {
			_ = l.Wait(context.Background()) // head, holding a reservation for t0+10s
			done <- time.Since(t0)
		}()
		synctest.Wait()
		time.Sleep(5 * time.Second)
		l.Charge() // a start elsewhere at t0+5s: the head must wait until t0+20s
		if got := <-done; got != 20*time.Second {
			t.Fatalf("head started after %v, want 20s", got)
		}
	})
}

func TestDelayCountsPauseAndQueue(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(2, 10*time.Second, WithMargin(0))
		l.PauseUntil(time.Now().Add(3 * time.Second))
		if d := l.Delay(); d != 3*time.Second {
			t.Fatalf("Delay during a pause = %v", d)
		}
	})
}

// Pinned by the mutation run (#17 item 8): the early deadline check with a
// queue, a head holding a reservation and a pause; the slot reserved; and
// PauseUntil waking the head.
func TestEarliestStartWithQueueAndPause(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		bg := context.Background()
		l := New(2, 10*time.Second, WithMargin(0))
		t0 := time.Now()
		// Slot 1 used at t0, slot 2 at t0+5: the next start is t0+10
		// (slot 1 refills first), not t0+15.
		if err := l.Wait(bg); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Second)
		if err := l.Wait(bg); err != nil {
			t.Fatal(err)
		}
		started := make(chan time.Duration, 3)
		go func() { // the head: reserves slot 1 for t0+10
			if err := l.Wait(bg); err == nil {
				started <- time.Since(t0)
			}
		}()
		synctest.Wait()
		// Behind the head, the next start is slot 2's, t0+15: a deadline
		// at t0+14 fails at once, one at t0+16 is met.
		short, cancel := context.WithDeadline(bg, t0.Add(14*time.Second))
		defer cancel()
		if err := l.Wait(short); !errors.Is(err, context.DeadlineExceeded) || time.Since(t0) != 5*time.Second {
			t.Fatalf("deadline t0+14: %v at %v; want DeadlineExceeded at once", err, time.Since(t0))
		}
		long, cancel2 := context.WithDeadline(bg, t0.Add(16*time.Second))
		defer cancel2()
		go func() {
			if err := l.Wait(long); err == nil {
				started <- time.Since(t0)
			}
		}()
		if a, b := <-started, <-started; a != 10*time.Second || b != 15*time.Second {
			t.Fatalf("started at %v and %v, want 10s and 15s", a, b)
		}

		// A pause holds the head even if it holds a reservation, and
		// counts in the deadline check.
		go func() { // head again: would start at t0+20
			if err := l.Wait(bg); err == nil {
				started <- time.Since(t0)
			}
		}()
		synctest.Wait()
		l.PauseUntil(t0.Add(40 * time.Second))
		early, cancel3 := context.WithDeadline(bg, t0.Add(39*time.Second))
		defer cancel3()
		if err := l.Wait(early); !errors.Is(err, context.DeadlineExceeded) || time.Since(t0) != 15*time.Second {
			t.Fatalf("deadline before the pause ends: %v at %v; want DeadlineExceeded at once (15s)", err, time.Since(t0))
		}
		if got := <-started; got != 40*time.Second {
			t.Fatalf("head started at %v, want at the end of the pause, 40s", got)
		}
	})
}

// The early deadline check deep in the queue: with 2 slots used at t0,
// a head holding one and three more waiters, the sixth caller's earliest
// start is t0+30, and a deadline on either side of it is judged right
// (#17: the queue-position arithmetic of earliestStart).
func TestEarliestStartDeepInTheQueue(t *testing.T) {
	for _, tc := range []struct {
		deadline time.Duration
		ok       bool
	}{{29 * time.Second, false}, {31 * time.Second, true}} {
		synctest.Test(t, func(t *testing.T) {
			bg := context.Background()
			l := New(2, 10*time.Second, WithMargin(0))
			t0 := time.Now()
			for range 2 {
				if err := l.Wait(bg); err != nil {
					t.Fatal(err)
				}
			}
			starts := make(chan time.Duration, 5)
			for range 4 { // A (head) and B start at t0+10, C and D at t0+20
				go func() {
					if err := l.Wait(bg); err == nil {
						starts <- time.Since(t0)
					}
				}()
				synctest.Wait()
			}
			dctx, cancel := context.WithDeadline(bg, t0.Add(tc.deadline))
			defer cancel()
			err := l.Wait(dctx)
			at := time.Since(t0)
			for range 4 {
				<-starts
			}
			if !tc.ok {
				if !errors.Is(err, context.DeadlineExceeded) || at != 0 {
					t.Fatalf("deadline t0+%v: %v at %v; want DeadlineExceeded at once", tc.deadline, err, at)
				}
				return
			}
			if err != nil || at != 30*time.Second {
				t.Fatalf("deadline t0+%v: %v at %v; want a start at 30s", tc.deadline, err, at)
			}
		})
	}
}
