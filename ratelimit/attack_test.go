package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// ATTACK: many waiters with cancellations and deadlines, pauses, and a
// second source of starts that Charges (as redislimit does: only when
// Delay says a start is possible now). In virtual time: no window holds
// more than N starts, no start falls inside a pause announced before it,
// no Wait with a deadline returns nil after that deadline.
func TestAttackRandomChargeDelayWaitPause(t *testing.T) {
	for seed := uint64(1); seed <= attackSeeds; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				rng := rand.New(rand.NewPCG(seed, seed*31))
				n := 1 + rng.IntN(5)
				const w = 10 * time.Second
				margin := []time.Duration{0, 50 * time.Millisecond, DefaultMargin}[rng.IntN(3)]
				l := New(n, w, WithMargin(margin))
				var (
					mu      sync.Mutex
					waits   []time.Time
					charges []time.Time
					pauses  [][2]time.Time // [announced, until]
					errs    []string
				)
				var wg sync.WaitGroup
				// Waiters.
				for i := range 40 {
					sleep := time.Duration(rng.IntN(60000)) * time.Millisecond
					mode := rng.IntN(4)
					d := time.Duration(1+rng.IntN(30000)) * time.Millisecond
					wg.Go(func() {
						time.Sleep(sleep)
						ctx := context.Background()
						var cancel context.CancelFunc = func() {}
						switch mode {
						case 1:
							ctx, cancel = context.WithCancel(ctx)
							tm := time.AfterFunc(d, cancel)
							defer tm.Stop()
						case 2:
							ctx, cancel = context.WithTimeout(ctx, d)
						}
						defer cancel()
						dl, hasDL := ctx.Deadline()
						err := l.Wait(ctx)
						now := time.Now()
						mu.Lock()
						defer mu.Unlock()
						if err == nil {
							waits = append(waits, now)
							if hasDL && now.After(dl) {
								errs = append(errs, fmt.Sprintf("waiter %d granted at %v after its deadline %v", i, now, dl))
							}
						} else if !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
							errs = append(errs, fmt.Sprintf("waiter %d: %v", i, err))
						}
					})
				}
				// The other source of starts.
				chargeSleeps := make([]time.Duration, 30)
				for i := range chargeSleeps {
					chargeSleeps[i] = time.Duration(rng.IntN(4000)) * time.Millisecond
				}
				wg.Go(func() {
					for _, s := range chargeSleeps {
						time.Sleep(s)
						if l.Delay() == 0 {
							l.Charge()
							mu.Lock()
							charges = append(charges, time.Now())
							mu.Unlock()
						}
					}
				})
				// Pauses.
				pauseAt := make([][2]time.Duration, 4)
				for i := range pauseAt {
					pauseAt[i] = [2]time.Duration{time.Duration(rng.IntN(60000)) * time.Millisecond, time.Duration(rng.IntN(8000)) * time.Millisecond}
				}
				wg.Go(func() {
					start := time.Now()
					for _, p := range pauseAt {
						if d := time.Until(start.Add(p[0])); d > 0 {
							time.Sleep(d)
						}
						until := time.Now().Add(p[1])
						l.PauseUntil(until)
						mu.Lock()
						pauses = append(pauses, [2]time.Time{time.Now(), until})
						mu.Unlock()
					}
				})
				wg.Wait()
				for _, e := range errs {
					t.Error(e)
				}
				if got, span, win := worstWindow(waits, w-time.Microsecond); got > n {
					t0 := win[0]
					var rel []time.Duration
					for _, x := range win {
						rel = append(rel, x.Sub(t0))
					}
					t.Logf("span %v: %v", span, rel)
					t.Errorf("n=%d margin=%v: %d Wait grants within one window", n, margin, got)
				}
				all := append(append([]time.Time(nil), waits...), charges...)
				if got := maxInWindow(all, w-time.Microsecond); got > n {
					t.Errorf("n=%d margin=%v: %d starts (grants %d, charges %d) within one window", n, margin, got, len(waits), len(charges))
				}
				for _, g := range waits {
					for _, p := range pauses {
						if p[0].Before(g) && g.Before(p[1]) {
							t.Errorf("grant at %v inside a pause announced at %v until %v", g, p[0], p[1])
						}
					}
				}
			})
		})
	}
}

// worstWindow returns the sorted starts of the fullest window and the gap
// between its first and last start.
func worstWindow(starts []time.Time, w time.Duration) (int, time.Duration, []time.Time) {
	s := append([]time.Time(nil), starts...)
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j].Before(s[i]) {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	best, bi, bj := 0, 0, 0
	j := 0
	for i := range s {
		for j < len(s) && !s[j].After(s[i].Add(w)) {
			j++
		}
		if j-i > best {
			best, bi, bj = j-i, i, j
		}
	}
	if best == 0 {
		return 0, 0, nil
	}
	return best, s[bj-1].Sub(s[bi]), s[bi:bj]
}

var attackSeeds = uint64(40)
