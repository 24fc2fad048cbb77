package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// Attack (README: jobs health is "one line on stdout" for Nagios, "only
// graphsync's performance data follows the line's |"): the status text
// holds Graph's error messages whole, however long. Nagios reads only
// the first kilobytes of a plugin's output (4 KB in Nagios 3, 8 KB in 4;
// NRPE 2 carries 1 KB), so a long message (a target application's
// answer quoted in a provisioning error can be a whole HTML page) cuts
// the line before its "|": the performance data is lost and the graphs
// of escrows and age have a gap exactly when the job fails.
func TestAttack6HealthLongMessagePushesOutPerfData(t *testing.T) {
	msg := "The SCIM endpoint answered: " + strings.Repeat("<div>Service Unavailable</div>", 400)
	attack4Server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"id":"job-1","templateId":"scim","schedule":{"state":"Active","interval":"PT40M"},
"status":{"code":"Active","lastExecution":{"state":"Failed","countEscrowed":7000,"timeBegan":"2025-01-01T00:00:00Z","timeEnded":"2025-01-01T00:10:00Z",
"error":{"code":"SystemError","message":%q}}}}`, msg)
	})
	r := attack4Run(t, "", "jobs", "health")
	if r.code != nagiosCritical || !strings.HasPrefix(r.stdout, "CRITICAL - job job-1: last run failed: SystemError: The SCIM endpoint") {
		t.Fatalf("a failed run: %s", r)
	}
	const nrpe = 1024 // NRPE 2's buffer, the smallest of the plugin's readers
	line := strings.TrimSuffix(r.stdout, "\n")
	if len(line) >= nrpe || strings.Count(r.stdout, "\n") != 1 {
		t.Errorf("a line of %d bytes: past %d, Nagios and NRPE drop its performance data", len(line), nrpe)
	}
	if _, perf, _ := strings.Cut(line, "|"); !strings.Contains(perf, "escrows=7000") {
		t.Errorf("no performance data in the first %d bytes", nrpe)
	}
}
