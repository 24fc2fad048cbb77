package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/graphsync/graphsync/cmd/graphsync/internal/cli"
)

// Attack (README "Job health and monitoring": jobs health is "one line on
// stdout", Nagios's convention, "then performance data"; everything from
// Graph is cleaned): the status text goes before Nagios's "|" without
// its own "|" being taken care of. Nagios (and Icinga, and every reader
// of the plugin convention) splits the line at the first "|": a
// quarantine error or last-run error message from Graph that holds one
// ends the status text there and becomes the performance data, so a
// hostile (or merely verbose) message makes the graphs say escrows=0 for
// a job that escrows thousands.
func TestAttack5HealthStatusTextForgesPerfData(t *testing.T) {
	msg := `see docs | escrows=0;1;5000 age=1s;7200;86400 initial_cycle=1`
	attack4Server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"id":"job-1","templateId":"scim","schedule":{"state":"Active","interval":"PT40M"},
"status":{"code":"Active","lastExecution":{"state":"Failed","countEscrowed":7000,"timeBegan":"2025-01-01T00:00:00Z","timeEnded":"2025-01-01T00:10:00Z",
"error":{"code":"SystemError","message":%q}}}}`, msg)
	})
	r := attack4Run(t, "", "jobs", "health")
	if r.code != nagiosCritical {
		t.Fatalf("a failed run with 7000 escrows: %s", r)
	}
	line := strings.TrimSuffix(r.stdout, "\n")
	status, perf, _ := strings.Cut(line, "|")
	if strings.Count(line, "|") != 1 || !strings.Contains(perf, "escrows=7000") {
		t.Errorf("Nagios reads the status text %q and the performance data %q (escrows=0 where the job escrowed 7000):\n%s", status, perf, r)
	}
}

// Attack (jobs wait -h: "Reads are paced: one every -poll, longer when
// Graph throttles (never sooner than its Retry-After)"; README: "paced
// (one read every 30 s by default, longer when Graph throttles)"): a
// Graph that answers 503 (or 429) without Retry-After is read again after
// 1 s, 2 s and 4 s by the client's own retries inside one read of the
// wait. With -poll 1m, the wait reads the job three times in its first
// four seconds: the more Graph struggles, the faster it is polled.
func TestAttack5WaitReadsFasterThanPollWhenGraphIsUnavailable(t *testing.T) {
	n := attack4Server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, `{"error":{"code":"ServiceUnavailable","message":"busy"}}`)
	})
	start := time.Now()
	r := attack4Run(t, "", "jobs", "wait", "-until", "steady", "-poll", "1m", "-timeout", "4s")
	took := time.Since(start)
	if r.code != 1 {
		t.Errorf("timeout: %s", r)
	}
	if reads := n.Load(); reads > 1 {
		t.Errorf("%d reads of the job in %s with -poll 1m: more than one every -poll", reads, took.Round(100*time.Millisecond))
	}
}

// Attack (jobs health -h: "3 UNKNOWN: ... no answer from Graph"; README:
// "a check for Nagios, Icinga"): the check has no deadline of its own. A
// Graph that takes the connection and never answers (or answers 503 with
// a long Retry-After, which the client honours for up to two minutes)
// keeps the plugin running until the monitoring system kills it, which
// Nagios reports as CRITICAL "service check timed out" (its
// service_check_timeout, 60 s by default), not as UNKNOWN. The plugin
// must say UNKNOWN and exit 3 itself before then.
func TestAttack5HealthNeverAnswersIsNotUnknown(t *testing.T) {
	release := make(chan struct{})
	attack4Server(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan result, 1)
	go func() {
		var stdout, stderr bytes.Buffer
		code := cli.ExecuteWith(ctx, root(), "graphsync", []string{"jobs", "health"}, strings.NewReader(""), &stdout, &stderr, nil)
		done <- result{code, stdout.String(), stderr.String()}
	}()
	const nagiosTimeout = 60 * time.Second
	select {
	case r := <-done:
		if r.code != nagiosUnknown || !strings.HasPrefix(r.stdout, "UNKNOWN - ") {
			t.Errorf("no answer from Graph: %s", r)
		}
	case <-time.After(nagiosTimeout):
		t.Errorf("jobs health still waiting for Graph after %s: Nagios kills it and reports CRITICAL (check timed out), never UNKNOWN", nagiosTimeout)
	}
}

// Attack (jobs health -h: thresholds "-critical-escrows ... critical
// from this many escrowed entries (negative: off)"; README: "a negative
// one turns its check off"): a threshold of 0 is neither refused nor
// honoured. The library reads 0 as "the default", so -critical-escrows 0
// silently becomes 5,000 (and -warn-age 0 two hours), while the
// performance data prints the 0 the operator gave: the plugin says
// WARNING with "escrows=3;1;0", a value past its own critical threshold,
// and Nagios's graphs and the status disagree.
func TestAttack5HealthZeroThresholdSilentlyDefault(t *testing.T) {
	now := time.Now().UTC()
	attack4Server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"id":"job-1","templateId":"scim","schedule":{"state":"Active","interval":"PT40M"},
"status":{"code":"Active","steadyStateFirstAchievedTime":%q,"steadyStateLastAchievedTime":%q,
"lastExecution":{"state":"EntryLevelErrors","countEscrowed":3,"timeBegan":%q,"timeEnded":%q},
"lastSuccessfulExecution":{"state":"Succeeded","timeBegan":%q,"timeEnded":%q}}}`,
			now.Add(-time.Hour).Format(time.RFC3339), now.Add(-time.Minute).Format(time.RFC3339),
			now.Add(-2*time.Minute).Format(time.RFC3339), now.Add(-time.Minute).Format(time.RFC3339),
			now.Add(-2*time.Minute).Format(time.RFC3339), now.Add(-time.Minute).Format(time.RFC3339))
	})
	r := attack4Run(t, "", "jobs", "health", "-critical-escrows", "0")
	if r.code == nagiosWarning && strings.Contains(r.stdout, "escrows=3;1;0") {
		t.Errorf("-critical-escrows 0: the status uses 5000 while the performance data says 0 (want 0 refused, exit 3, or honoured, exit 2):\n%s", r)
	}
}
