package redislimit_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/graphsync/graphsync/graphtest"
	redislimit "github.com/graphsync/graphsync/ratelimit/redis"
)

// fakeRedis runs the two scripts of redislimit in Go, on the (virtual)
// clock, atomically; it can fail calls as a Redis that is down does.
type fakeRedis struct {
	mu     sync.Mutex
	log    map[string][]int64 // key -> grant times, µs
	pause  map[string]int64
	marker map[string]bool
	fail   func() bool
}

func newFakeRedis(fail func() bool) *fakeRedis {
	return &fakeRedis{log: map[string][]int64{}, pause: map[string]int64{}, marker: map[string]bool{}, fail: fail}
}

func toInt(v any) int64 {
	switch x := v.(type) {
	case int:
		return int64(x)
	case int64:
		return x
	}
	panic(fmt.Sprintf("arg %T", v))
}

func (f *fakeRedis) run(keys []string, args ...any) *goredis.Cmd {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil && f.fail() {
		return goredis.NewCmdResult(nil, errors.New("LOADING Redis is loading the dataset in memory"))
	}
	now := time.Now().UnixMicro()
	if len(keys) == 1 { // pause
		until := now + toInt(args[0])
		if until > f.pause[keys[0]] {
			f.pause[keys[0]] = until
			return goredis.NewCmdResult(int64(1), nil)
		}
		return goredis.NewCmdResult(int64(0), nil)
	}
	logK, pauseK, markK := keys[0], keys[1], keys[2]
	n, period := toInt(args[0]), toInt(args[1])
	if !f.marker[markK] && len(f.log[logK]) == 0 {
		if now+period > f.pause[pauseK] {
			f.pause[pauseK] = now + period
		}
	}
	f.marker[markK] = true
	if now < f.pause[pauseK] {
		return goredis.NewCmdResult([]any{int64(0), f.pause[pauseK] - now}, nil)
	}
	lg := slices.DeleteFunc(f.log[logK], func(t int64) bool { return t <= now-period })
	f.log[logK] = lg
	if int64(len(lg)) < n {
		f.log[logK] = append(lg, now)
		return goredis.NewCmdResult([]any{int64(1), int64(0)}, nil)
	}
	return goredis.NewCmdResult([]any{int64(0), lg[0] + period - now + 1}, nil)
}

func (f *fakeRedis) Eval(_ context.Context, _ string, k []string, a ...any) *goredis.Cmd {
	return f.run(k, a...)
}
func (f *fakeRedis) EvalSha(_ context.Context, _ string, k []string, a ...any) *goredis.Cmd {
	return f.run(k, a...)
}
func (f *fakeRedis) EvalRO(_ context.Context, _ string, k []string, a ...any) *goredis.Cmd {
	return f.run(k, a...)
}
func (f *fakeRedis) EvalShaRO(_ context.Context, _ string, k []string, a ...any) *goredis.Cmd {
	return f.run(k, a...)
}
func (f *fakeRedis) ScriptExists(context.Context, ...string) *goredis.BoolSliceCmd {
	return goredis.NewBoolSliceResult([]bool{true}, nil)
}
func (f *fakeRedis) ScriptLoad(context.Context, string) *goredis.StringCmd {
	return goredis.NewStringResult("sha", nil)
}

// ATTACK: several processes (Limiters) share one fake Redis that fails at
// random; each has many concurrent callers with cancellations and reports
// 429 pauses. With WithLocalFallback no single process may pass the limit;
// while Redis never fails, all of them together may not either.
func TestAttackRedisLimiterRandom(t *testing.T) {
	for seed := uint64(1); seed <= 90; seed++ {
		failP := []float64{0, 0.2, 0.6}[seed%3]
		t.Run(fmt.Sprintf("seed%d-fail%v", seed, failP), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				rng := rand.New(rand.NewPCG(seed, 77))
				var rngMu sync.Mutex
				rnd := func(n int) int { rngMu.Lock(); defer rngMu.Unlock(); return rng.IntN(n) }
				frng := rand.New(rand.NewPCG(seed, 99))
				t00 := time.Now()
				fr := newFakeRedis(func() bool {
					if seed%2 == 0 && failP > 0 { // bursts: down for 3 s of every 7 s
						return time.Since(t00)%(7*time.Second) < 3*time.Second
					}
					return frng.Float64() < failP
				}) // called with fr.mu held
				const n, w = 5, 10 * time.Second
				procs := 3
				lims := make([]*redislimit.Limiter, procs)
				for p := range lims {
					lims[p] = redislimit.New(fr, "budget", n, w, redislimit.WithLocalFallback(), redislimit.WithMargin(100*time.Millisecond), redislimit.WithMaxBackoff(time.Second))
				}
				var mu sync.Mutex
				starts := make([][]time.Time, procs)
				var wg sync.WaitGroup
				for p := range procs {
					for i := range 15 {
						sleep := time.Duration(rnd(60000)) * time.Millisecond
						cancelAfter := time.Duration(0)
						if rnd(4) == 0 {
							cancelAfter = time.Duration(1+rnd(20000)) * time.Millisecond
						}
						pauseFor := time.Duration(0)
						if rnd(6) == 0 {
							pauseFor = time.Duration(rnd(5000)) * time.Millisecond
						}
						_ = i
						wg.Go(func() {
							time.Sleep(sleep)
							ctx := context.Background()
							if cancelAfter > 0 {
								var cancel context.CancelFunc
								ctx, cancel = context.WithTimeout(ctx, cancelAfter)
								defer cancel()
							}
							if err := lims[p].Wait(ctx); err != nil {
								return
							}
							mu.Lock()
							starts[p] = append(starts[p], time.Now())
							mu.Unlock()
							if pauseFor > 0 {
								lims[p].PauseUntil(time.Now().Add(pauseFor))
							}
						})
					}
				}
				wg.Wait()
				var all []time.Time
				for p := range procs {
					all = append(all, starts[p]...)
					if got := graphtest.MaxInWindow(starts[p], w-time.Microsecond); got > n {
						t.Errorf("process %d started %d times in one window (%d starts, stats %+v)", p, got, len(starts[p]), lims[p].Stats())
					}
				}
				if failP == 0 {
					if got := graphtest.MaxInWindow(all, w-time.Microsecond); got > n {
						t.Errorf("Redis never failed, yet %d starts in one window across processes", got)
					}
				}
				t.Logf("starts %d", len(all))
			})
		})
	}
}
