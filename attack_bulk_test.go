package graphsync_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
	"github.com/graphsync/graphsync/ratelimit"
)

// chaosServer answers provisionOnDemand with random faults and records,
// per subject, how often it acted and what it answered.
type chaosServer struct {
	mu       sync.Mutex
	rng      *rand.Rand
	far429   float64 // probability of a 429 of more than a day
	unit     time.Duration
	noRA     bool
	garbled  int
	seen     map[string]int
	acted    map[string]int
	answers  map[string][]int // 0 = dropped
	arrivals []time.Time
	first    []string // subjects in order of first arrival
}

func newChaos(seed uint64, far429 float64) *chaosServer {
	return &chaosServer{rng: rand.New(rand.NewPCG(seed, seed^0x9e37)), far429: far429, unit: time.Second,
		acted: map[string]int{}, answers: map[string][]int{}, seen: map[string]int{}}
}

func (s *chaosServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	var req models.ProvisionRequest
	_ = json.Unmarshal(b, &req)
	if len(req.Parameters) == 0 {
		s.mu.Lock()
		s.garbled++
		s.mu.Unlock()
		w.WriteHeader(400)
		return
	}
	id := req.Parameters[0].Subjects[0].ObjectID
	s.mu.Lock()
	s.arrivals = append(s.arrivals, time.Now())
	if s.seen[id] == 0 {
		s.first = append(s.first, id)
	}
	s.seen[id]++
	p := s.rng.Float64()
	lat := time.Duration(s.rng.IntN(20)) * s.unit
	ra := []string{"", "1", "5", "30"}[s.rng.IntN(4)]
	if s.noRA {
		ra = ""
	}
	coin := s.rng.IntN(2) == 0
	s.mu.Unlock()

	answer := func(status int) {
		s.mu.Lock()
		s.answers[id] = append(s.answers[id], status)
		s.mu.Unlock()
	}
	act := func() {
		s.mu.Lock()
		s.acted[id]++
		s.mu.Unlock()
	}
	ok := func() {
		act()
		answer(200)
		io.WriteString(w, `{"key":"{\"result\":\"Success\",\"details\":{}}","value":"{}"}`)
	}
	switch {
	case p < s.far429:
		answer(429)
		w.Header().Set("Retry-After", "200000")
		w.WriteHeader(429)
	case p < 0.10:
		answer(429)
		if ra != "" {
			w.Header().Set("Retry-After", ra)
		}
		w.WriteHeader(429)
	case p < 0.15:
		if coin {
			act()
		}
		answer(503)
		w.WriteHeader(503)
	case p < 0.20:
		answer(400)
		w.WriteHeader(400)
	case p < 0.25:
		answer(0)
		panic(http.ErrAbortHandler) // dropped before acting
	case p < 0.30:
		act()
		answer(0)
		panic(http.ErrAbortHandler) // acted, then dropped
	case p < 0.40:
		t := time.NewTimer(lat)
		defer t.Stop()
		select {
		case <-t.C:
			ok()
		case <-r.Context().Done():
			answer(0)
		}
	case p < 0.43:
		act()
		answer(200)
		io.WriteString(w, `{"key":"not json"}`)
	default:
		ok()
	}
}

// check verifies the exactly-once contract of ProvisionMany's results.
func (s *chaosServer) check(t *testing.T, reqs []models.ProvisionRequest, results []graphsync.RequestOutcome, err error, cancelled bool) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(results) != len(reqs) {
		t.Fatalf("%d results for %d requests", len(results), len(reqs))
	}
	notAttempted := 0
	for i, r := range results {
		id := reqs[i].Parameters[0].Subjects[0].ObjectID
		if r.Index != i {
			t.Errorf("results[%d].Index = %d", i, r.Index)
		}
		acted, answers := s.acted[id], s.answers[id]
		if acted > 1 {
			t.Errorf("%s acted on %d times (answers %v)", id, acted, answers)
		}
		switch r.State {
		case graphsync.RequestAnswered:
			if acted != 1 || r.Result == nil || r.Err != nil {
				t.Errorf("%d answered but acted %d, result %v, err %v (answers %v)", i, acted, r.Result, r.Err, answers)
			}
		case graphsync.RequestNotAttempted:
			notAttempted++
			if acted != 0 || r.Err == nil {
				t.Errorf("%d not attempted but acted %d, err %v (answers %v)", i, acted, r.Err, answers)
			}
			for _, a := range answers {
				if a != 429 {
					t.Errorf("%d not attempted but the server answered %v", i, answers)
				}
			}
		case graphsync.RequestFailed, graphsync.RequestUnknown:
			if r.Err == nil {
				t.Errorf("%d %v without an error", i, r.State)
			}
			if len(answers) == 0 && r.State == graphsync.RequestFailed {
				t.Errorf("%d %v (%v) but the server never saw it", i, r.State, r.Err)
			}
			if s.seen[id] == 0 {
				t.Errorf("%d %v (%v): the server never saw it (garbled requests: %d)", i, r.State, r.Err, s.garbled)
			}
			if r.State == graphsync.RequestFailed && len(answers) > 0 && answers[len(answers)-1] == 0 {
				t.Errorf("%d failed (%v) but its last send was dropped: unknown", i, r.Err)
			}
		default:
			t.Errorf("%d: state %v", i, r.State)
		}
	}
	if notAttempted > 0 && err == nil {
		t.Errorf("%d not attempted, nil error", notAttempted)
	}
	if !cancelled && notAttempted == 0 && err != nil {
		t.Errorf("err = %v although everything was attempted", err)
	}
}

func TestAttackBulkChaosInProcess(t *testing.T) {
	for seed := uint64(1); seed <= 24; seed++ {
		conc := []int{1, 3, 5, 50}[seed%4]
		cancelAt := time.Duration(0)
		if seed%3 == 0 {
			cancelAt = time.Duration(50+seed*7) * time.Second
		}
		far := 0.0
		if seed%5 == 0 {
			far = 0.01
		}
		t.Run(fmt.Sprintf("seed%d-c%d-cancel%v-far%v", seed, conc, cancelAt, far), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv := newChaos(seed, far)
				lim := ratelimit.New(5, 10*time.Second)
				c := inProcessClient(t, srv, &graphsync.ClientOptions{Limiter: lim})
				reqs := userRequests(120)
				rctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				if cancelAt > 0 {
					time.AfterFunc(cancelAt, cancel)
				}
				var progMu sync.Mutex
				calls, lastDone := 0, 0
				results, err := c.ProvisionMany(rctx, spID, jobID, reqs, &graphsync.ProvisionOptions{
					Concurrency: conc, Grace: 5 * time.Second,
					Progress: func(p graphsync.Progress) {
						progMu.Lock()
						defer progMu.Unlock()
						calls++
						if p.Done != lastDone+1 || p.Succeeded+p.Skipped+p.Failed != p.Done {
							t.Errorf("progress %+v after %d", p, lastDone)
						}
						lastDone = p.Done
					},
				})
				srv.check(t, reqs, results, err, cancelAt > 0)
				attempted := 0
				for _, r := range results {
					if r.State != graphsync.RequestNotAttempted {
						attempted++
					}
				}
				if calls != attempted {
					t.Errorf("%d progress calls for %d attempted", calls, attempted)
				}
				srv.mu.Lock()
				defer srv.mu.Unlock()
				if n := graphtest.MaxInWindow(srv.arrivals, 10*time.Second-time.Nanosecond); n > 5 {
					t.Errorf("%d sends within 10 s", n)
				}
				for i, id := range srv.first {
					if want := reqs[i].Parameters[0].Subjects[0].ObjectID; id != want {
						t.Errorf("first arrivals out of order at %d: %s, want %s", i, id, want)
						break
					}
				}
				t.Logf("err=%v", err)
			})
		})
	}
}

var _ = strconv.Itoa
var _ = errors.Is
var _ = httptest.NewServer

func TestAttackBulkChaosTCP(t *testing.T) {
	realTime(t)
	for seed := uint64(100); seed < 108; seed++ {
		conc := []int{1, 3, 5, 50}[seed%4]
		far := 0.0
		if seed%3 == 0 {
			far = 0.01
		}
		cancelAt := time.Duration(0)
		if seed%2 == 1 {
			cancelAt = time.Duration(200+seed*3) * time.Millisecond
		}
		t.Run(fmt.Sprintf("seed%d-c%d-cancel%v-far%v", seed, conc, cancelAt, far), func(t *testing.T) {
			srv := newChaos(seed, far)
			srv.unit = 5 * time.Millisecond
			srv.noRA = true
			ts := httptest.NewServer(srv)
			defer ts.Close()
			lim := ratelimit.New(5, 100*time.Millisecond, ratelimit.WithMargin(10*time.Millisecond))
			c, err := graphsync.NewClient(&fakeCredential{}, &graphsync.ClientOptions{BaseURL: ts.URL, Limiter: lim,
				Retry: &graphsync.RetryPolicy{BaseDelay: 10 * time.Millisecond}})
			if err != nil {
				t.Fatal(err)
			}
			reqs := userRequests(80)
			rctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if cancelAt > 0 {
				time.AfterFunc(cancelAt, cancel)
			}
			results, err := c.ProvisionMany(rctx, spID, jobID, reqs, &graphsync.ProvisionOptions{Concurrency: conc, Grace: 30 * time.Millisecond})
			srv.check(t, reqs, results, err, cancelAt > 0)
			counts := map[graphsync.RequestState]int{}
			for _, r := range results {
				counts[r.State]++
			}
			t.Logf("%v err=%v", counts, err)
		})
	}
}

func TestAttackBulkChaosNoLimiter(t *testing.T) {
	for seed := uint64(200); seed < 212; seed++ {
		conc := []int{1, 3, 5, 50}[seed%4]
		cancelAt := time.Duration(0)
		if seed%2 == 0 {
			cancelAt = time.Duration(5+seed%7) * time.Second
		}
		t.Run(fmt.Sprintf("seed%d-c%d-cancel%v", seed, conc, cancelAt), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv := newChaos(seed, 0.005)
				c := inProcessClient(t, srv, &graphsync.ClientOptions{DisableLimiter: true})
				reqs := userRequests(150)
				rctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				if cancelAt > 0 {
					time.AfterFunc(cancelAt, cancel)
				}
				results, err := c.ProvisionMany(rctx, spID, jobID, reqs, &graphsync.ProvisionOptions{Concurrency: conc, Grace: 3 * time.Second})
				srv.check(t, reqs, results, err, cancelAt > 0)
			})
		})
	}
}
