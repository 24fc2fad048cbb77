package redislimit_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/graphsync/graphsync/graphtest"
	redislimit "github.com/graphsync/graphsync/ratelimit/redis"
)

// flakyRedis answers the acquire script as a Redis would that grants
// everything, except while down, when every call fails as a Redis that
// ran out of memory or became a read-only replica does.
type flakyRedis struct {
	mu   sync.Mutex
	down func(call int) bool
	n    int
}

func (f *flakyRedis) answer() *goredis.Cmd {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	if f.down(f.n) {
		return goredis.NewCmdResult(nil, errors.New("OOM command not allowed when used memory > 'maxmemory'"))
	}
	return goredis.NewCmdResult([]any{int64(1), int64(0)}, nil)
}

func (f *flakyRedis) Eval(context.Context, string, []string, ...any) *goredis.Cmd { return f.answer() }
func (f *flakyRedis) EvalSha(context.Context, string, []string, ...any) *goredis.Cmd {
	return f.answer()
}
func (f *flakyRedis) EvalRO(context.Context, string, []string, ...any) *goredis.Cmd {
	return f.answer()
}
func (f *flakyRedis) EvalShaRO(context.Context, string, []string, ...any) *goredis.Cmd {
	return f.answer()
}
func (f *flakyRedis) ScriptExists(context.Context, ...string) *goredis.BoolSliceCmd {
	return goredis.NewBoolSliceResult([]bool{true}, nil)
}
func (f *flakyRedis) ScriptLoad(context.Context, string) *goredis.StringCmd {
	return goredis.NewStringResult("sha", nil)
}

// TestLocalFallbackCountsEveryGrant: whichever path grants, one process
// never starts more than the limit in a window.
func TestLocalFallbackCountsEveryGrant(t *testing.T) {
	for _, tc := range []struct {
		name string
		down func(call int) bool
	}{
		{"Redis grants 3, then fails", func(n int) bool { return n > 3 }},
		{"Redis fails for 5 grants, then recovers", func(n int) bool { return n <= 5 }},
		{"Redis fails every other call", func(n int) bool { return n%2 == 0 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				lim := redislimit.New(&flakyRedis{down: tc.down}, "fallback", 5, time.Second,
					redislimit.WithLocalFallback(), redislimit.WithMargin(0))
				var starts []time.Time
				for range 12 {
					if err := lim.Wait(context.Background()); err != nil {
						t.Fatal(err)
					}
					starts = append(starts, time.Now())
				}
				if got := graphtest.MaxInWindow(starts, time.Second-time.Nanosecond); got > 5 {
					t.Fatalf("%d starts within one window (starts %v)", got, starts)
				}
			})
		})
	}
}
