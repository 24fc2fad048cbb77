package main

import (
	"net/http"
	"strings"
	"testing"
)

// jobs health -timeout: a Graph that never answers is UNKNOWN, saying so,
// once -timeout has passed; -timeout must be positive.
func TestJobsHealthTimeout(t *testing.T) {
	attack4Server(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	r := attack4Run(t, "", "jobs", "health", "-timeout", "200ms")
	if r.code != nagiosUnknown || r.stdout != "UNKNOWN - no answer from Graph within 200ms (-timeout)\n" {
		t.Errorf("no answer: %s", r)
	}
	if r := attack4Run(t, "", "jobs", "health", "-timeout", "0s"); r.code != nagiosUnknown || r.stdout != "" || !strings.Contains(r.stderr, "-timeout") {
		t.Errorf("-timeout 0s: %s", r)
	}
}

// A threshold of 0 is refused by jobs health (UNKNOWN, Nagios's bad
// usage) and jobs watch (bad usage), naming every flag at 0; a threshold
// left unset keeps its default, and a negative one turns its check off.
func TestThresholdZeroRefused(t *testing.T) {
	n := attack4Server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"id":"job-1","templateId":"scim","schedule":{"state":"Active","interval":"PT40M"},"status":{"code":"Active","lastExecution":{"state":"EntryLevelErrors","countEscrowed":3}}}`))
	})
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"jobs", "health", "-critical-escrows", "0", "-warn-age", "0s"}, nagiosUnknown},
		{[]string{"jobs", "watch", "-critical-escrows", "0", "-warn-age", "0s"}, 2},
	} {
		r := attack4Run(t, "", tc.args...)
		if r.code != tc.code || r.stdout != "" || !strings.Contains(r.stderr, "-critical-escrows 0, -warn-age 0: ") {
			t.Errorf("%v: %s", tc.args, r)
		}
	}
	if n.Load() != 0 {
		t.Errorf("%d requests sent after bad usage", n.Load())
	}
	r := attack4Run(t, "", "jobs", "health", "-critical-escrows", "-1", "-warn-escrows", "2")
	if r.code != nagiosWarning || !strings.Contains(r.stdout, "| escrows=3;2; ") {
		t.Errorf("-critical-escrows -1 -warn-escrows 2: %s", r)
	}
}
