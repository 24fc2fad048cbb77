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
