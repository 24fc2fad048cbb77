package redislimit_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
	redislimit "github.com/graphsync/graphsync/ratelimit/redis"
)

// TestMain doubles as the child process of the multi-process tests.
//
// Without redis-server every test is skipped, which go test would report
// as a plain "ok": it shows a passing package's output only with -v. The
// one thing it adds to the "ok" line is "[no tests to run]", when the
// output holds the testing package's line for that; TestMain prints that
// line after its own note, so the skip shows without -v.
//
// With REDISLIMIT_REQUIRE_SERVER=1 (.ci/run sets it when redis-server is
// installed) a test that needs redis-server fails instead of skipping.
func TestMain(m *testing.M) {
	if os.Getenv("REDISLIMIT_CHILD") == "1" {
		os.Exit(child())
	}
	if _, err := exec.LookPath("redis-server"); err != nil && !requireServer() {
		fmt.Println("redislimit: " + noRedis + "; the Redis limiter's tests are skipped")
		fmt.Println("testing: warning: no tests to run")
	}
	os.Exit(m.Run())
}

const noRedis = "redis-server is not installed (apt-get install redis-server; .ci/run installs it)"

// requireServer reports REDISLIMIT_REQUIRE_SERVER=1: startRedis fails
// where it would skip. go test's cache keys a result on the variables a
// test read while it ran (not those TestMain read before m.Run), and
// checks no file outside the module, so redis-server being installed since
// is invisible to it: startRedis reads the variable on every run, so that
// a result cached without it is not reported for a run with it.
func requireServer() bool { return os.Getenv("REDISLIMIT_REQUIRE_SERVER") == "1" }

// child provisions CALLS subjects concurrently through a Client whose
// limiter is shared through Redis, and prints one line per answer.
func child() int {
	addr, graphURL, name := os.Getenv("REDIS_ADDR"), os.Getenv("GRAPH_URL"), os.Getenv("LIMIT_NAME")
	window, _ := time.ParseDuration(os.Getenv("LIMIT_WINDOW"))
	calls, _ := strconv.Atoi(os.Getenv("CALLS"))
	rdb := goredis.NewClient(&goredis.Options{Addr: addr})
	defer rdb.Close()
	lim := redislimit.New(rdb, name, 5, window, redislimit.WithMargin(50*time.Millisecond))
	c, err := graphsync.NewClient(graphtest.NewServer(&graphtest.Options{InProcess: true}).Credential(),
		&graphsync.ClientOptions{BaseURL: graphURL, Limiter: lim})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	failed := false
	for i := range calls {
		wg.Go(func() {
			_, err := c.ProvisionOnDemand(context.Background(), "sp", os.Getenv("JOB_ID"), models.NewProvisionRequest(graphtest.DefaultRuleID, models.User("u")))
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				fmt.Fprintln(os.Stderr, "call", i, err)
				failed = true
				return
			}
			fmt.Println("done", i)
		})
	}
	wg.Wait()
	if failed {
		return 1
	}
	return 0
}

// redisServer is a redis-server on a free loopback port.
type redisServer struct {
	t    *testing.T
	port string
	cmd  *exec.Cmd
}

func startRedis(t *testing.T) *redisServer {
	t.Helper()
	require := requireServer()
	if _, err := exec.LookPath("redis-server"); err != nil {
		if require {
			t.Fatal(noRedis + ", and REDISLIMIT_REQUIRE_SERVER=1 says it must be")
		}
		t.Skip(noRedis)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	ln.Close()
	r := &redisServer{t: t, port: port}
	r.start()
	t.Cleanup(r.stop)
	return r
}

func (r *redisServer) addr() string { return "127.0.0.1:" + r.port }

func (r *redisServer) start() {
	r.t.Helper()
	r.cmd = exec.Command("redis-server", "--port", r.port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	if err := r.cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	rdb := goredis.NewClient(&goredis.Options{Addr: r.addr()})
	defer rdb.Close()
	for i := 0; ; i++ {
		if rdb.Ping(context.Background()).Err() == nil {
			return
		}
		if i > 200 {
			r.t.Fatal("redis-server did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (r *redisServer) stop() {
	if r.cmd != nil && r.cmd.Process != nil {
		r.cmd.Process.Kill()
		r.cmd.Wait()
		r.cmd = nil
	}
}

func newClient(t *testing.T, addr string) *goredis.Client {
	rdb := goredis.NewClient(&goredis.Options{Addr: addr, MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

// newFake starts a fake Graph with the limit of window, a service
// principal "sp", a user "u" and a job, whose ID it returns.
func newFake(t *testing.T, window time.Duration) (*graphtest.Server, string) {
	t.Helper()
	fake := graphtest.NewServer(&graphtest.Options{ProvisionWindow: window})
	t.Cleanup(fake.Close)
	fake.AddServicePrincipal("sp")
	fake.AddUser("u", "u@contoso.com")
	c, err := fake.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	job, err := c.CreateJob(context.Background(), "sp", models.SynchronizationJob{TemplateID: "scim"})
	if err != nil {
		t.Fatal(err)
	}
	return fake, job.ID
}

// runChildren starts procs child processes provisioning calls subjects
// each through the fake, and returns them started.
func runChildren(t *testing.T, procs, calls int, redisAddr, graphURL, jobID, name string, window time.Duration) []*exec.Cmd {
	t.Helper()
	var cmds []*exec.Cmd
	for range procs {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "REDISLIMIT_CHILD=1", "REDIS_ADDR="+redisAddr, "GRAPH_URL="+graphURL,
			"LIMIT_NAME="+name, "JOB_ID="+jobID, "LIMIT_WINDOW="+window.String(), "CALLS="+strconv.Itoa(calls))
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	return cmds
}

func sharedLimitAcrossProcesses(t *testing.T, window time.Duration, procs, calls int) {
	r := startRedis(t)
	fake, job := newFake(t, window)
	t0 := time.Now()
	for _, cmd := range runChildren(t, procs, calls, r.addr(), fake.URL, job, t.Name(), window) {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("child: %v", err)
		}
	}
	times := fake.ProvisionTimes()
	if len(times) != procs*calls {
		t.Fatalf("server saw %d calls, want %d", len(times), procs*calls)
	}
	if fake.Throttled() != 0 {
		t.Fatalf("%d calls were answered 429", fake.Throttled())
	}
	if got := graphtest.MaxInWindow(times, window); got > 5 {
		t.Fatalf("%d calls in one %v window at the server", got, window)
	}
	// A fresh name pays one window first (state marker), then 5 per
	// window+margin.
	periods := (procs*calls + 4) / 5
	if el, limit := time.Since(t0), time.Duration(periods+1)*(window+50*time.Millisecond)+3*time.Second; el > limit {
		t.Fatalf("took %v, more than %v: a process was starved or waited too long", el, limit)
	}
}

func TestSharedLimitAcrossProcesses(t *testing.T) {
	sharedLimitAcrossProcesses(t, time.Second, 3, 6)
}

func TestSharedLimitAcrossProcessesRealWindow(t *testing.T) {
	if testing.Short() {
		t.Skip("20 s at Graph's real 10 s window; -short skips it")
	}
	sharedLimitAcrossProcesses(t, 10*time.Second, 3, 3)
}

// grants runs calls Waits on lim concurrently and returns their times.
func grants(t *testing.T, ctx context.Context, lim *redislimit.Limiter, calls int) []time.Time {
	var mu sync.Mutex
	var out []time.Time
	var wg sync.WaitGroup
	for range calls {
		wg.Go(func() {
			if err := lim.Wait(ctx); err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			out = append(out, time.Now())
			mu.Unlock()
		})
	}
	wg.Wait()
	return out
}

func TestRedisRestartMidRun(t *testing.T) {
	r := startRedis(t)
	rdb := newClient(t, r.addr())
	const window = time.Second
	lim := redislimit.New(rdb, t.Name(), 5, window, redislimit.WithMargin(50*time.Millisecond), redislimit.WithMaxBackoff(200*time.Millisecond))
	first := grants(t, context.Background(), lim, 5)
	r.stop()
	done := make(chan []time.Time)
	go func() { done <- grants(t, context.Background(), lim, 10) }()
	time.Sleep(700 * time.Millisecond)
	down := time.Now()
	r.start() // empty: the grants above are forgotten
	second := <-done
	all := append(first, second...)
	if got := graphtest.MaxInWindow(all, window); got > 5 {
		t.Fatalf("%d grants in a window across the restart", got)
	}
	for _, g := range second {
		if g.Before(down) {
			t.Fatal("granted while Redis was down, without a fallback")
		}
	}
	if lim.Stats().RedisErrors == 0 {
		t.Fatal("no Redis errors counted")
	}
}

func TestLocalFallbackWhenRedisIsDown(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close() // nothing listens here
	rdb := newClient(t, addr)
	lim := redislimit.New(rdb, "fallback", 5, time.Second, redislimit.WithLocalFallback(), redislimit.WithMargin(50*time.Millisecond))
	ts := grants(t, context.Background(), lim, 7)
	if got := graphtest.MaxInWindow(ts, time.Second); got > 5 {
		t.Fatalf("fallback let %d through in a window", got)
	}
	if st := lim.Stats(); st.LocalGrants != 7 {
		t.Fatalf("stats %+v", st)
	}

	// Without the fallback a caller waits; its context ends the wait.
	strict := redislimit.New(rdb, "strict", 5, time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if err := strict.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the context's deadline", err)
	}
}

func TestPauseIsSharedAndCancelWorks(t *testing.T) {
	r := startRedis(t)
	a := redislimit.New(newClient(t, r.addr()), t.Name(), 5, time.Second, redislimit.WithMargin(0))
	b := redislimit.New(newClient(t, r.addr()), t.Name(), 5, time.Second, redislimit.WithMargin(0))
	grants(t, context.Background(), a, 1) // pays the fresh-state window
	a.PauseUntil(time.Now().Add(1500 * time.Millisecond))
	t0 := time.Now()
	grants(t, context.Background(), b, 1)
	if el := time.Since(t0); el < 1400*time.Millisecond {
		t.Fatalf("the other limiter started after %v, inside the pause", el)
	}
	if a.Stats().PausesShared != 1 {
		t.Fatalf("stats %+v", a.Stats())
	}
	// Cancelling a waiter ends its wait at once.
	b.PauseUntil(time.Now().Add(time.Minute))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	t0 = time.Now()
	if err := b.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if el := time.Since(t0); el > 500*time.Millisecond {
		t.Fatalf("cancel took %v", el)
	}
	// A deadline that cannot be met fails at once.
	dctx, dcancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer dcancel()
	t0 = time.Now()
	if err := b.Wait(dctx); !errors.Is(err, context.DeadlineExceeded) || time.Since(t0) > time.Second {
		t.Fatalf("err = %v after %v", err, time.Since(t0))
	}
}

func TestProcessKilledWhileHoldingItsPlace(t *testing.T) {
	r := startRedis(t)
	const window = time.Second
	fake, job := newFake(t, window)
	// A child takes the whole budget and queues for far more; kill it.
	cmds := runChildren(t, 1, 50, r.addr(), fake.URL, job, t.Name(), window)
	deadline := time.Now().Add(10 * time.Second)
	for len(fake.ProvisionTimes()) < 6 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cmds[0].Process.Signal(syscall.SIGKILL)
	cmds[0].Wait()
	killed := time.Now()
	// This process gets its 5 within about one window.
	lim := redislimit.New(newClient(t, r.addr()), t.Name(), 5, window, redislimit.WithMargin(50*time.Millisecond))
	ts := grants(t, context.Background(), lim, 5)
	if el := time.Since(killed); el > 2*window+500*time.Millisecond {
		t.Fatalf("after the kill, 5 grants took %v", el)
	}
	all := append(fake.ProvisionTimes(), ts...)
	if got := graphtest.MaxInWindow(all, window); got > 5 {
		t.Fatalf("%d in a window", got)
	}
	// Nothing is left without an expiry.
	rdb := newClient(t, r.addr())
	keys, err := rdb.Keys(context.Background(), "graphsync:ratelimit:*").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if ttl := rdb.PTTL(context.Background(), k).Val(); ttl < 0 {
			t.Errorf("key %s has no expiry", k)
		}
	}
}
