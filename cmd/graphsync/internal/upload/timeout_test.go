package upload

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/graphsync/graphsync/cmd/graphsync/internal/cli"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

// TestTimeoutBoundsEveryLogRead: -timeout bounds everything after the
// upload, the reads of the provisioning logs included. A log read that
// stalls, or a walk whose @odata.nextLink never ends, is cut at the
// deadline; the records still without an outcome are reported (unknown)
// and the program exits 1. In virtual time (testing/synctest, graphtest
// in-process): an hour of stalling costs nothing real.
func TestTimeoutBoundsEveryLogRead(t *testing.T) {
	// Every read of the logs after the preflight's goes through hostile.
	for name, hostile := range map[string]func(w http.ResponseWriter, r *http.Request, page int) bool{
		"stalled read": func(w http.ResponseWriter, r *http.Request, _ int) bool {
			select {
			case <-r.Context().Done():
				return true
			case <-time.After(3 * time.Hour):
				return false // then the real answer
			}
		},
		"endless nextLink": func(w http.ResponseWriter, r *http.Request, page int) bool {
			time.Sleep(time.Second)
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"value":[],"@odata.nextLink":"http://127.0.0.1:9/v1.0/auditLogs/provisioning?$skiptoken=%d"}`, page)
			return true
		},
	} {
		t.Run(name, func(t *testing.T) {
			clearEnv(t)
			t.Setenv("GRAPHSYNC_SERVICE_PRINCIPAL_ID", "sp-real")
			csv := writeFile(t, "hr.csv", hrCSV(3))
			synctest.Test(t, func(t *testing.T) {
				// The fake takes a day to log an outcome: none comes.
				srv := graphtest.NewServer(&graphtest.Options{InProcess: true, InboundDelay: 24 * time.Hour})
				srv.AddServicePrincipal("sp-real", "API2AAD")
				c, err := srv.NewClient()
				if err != nil {
					t.Fatal(err)
				}
				job, err := c.CreateJob(context.Background(), "sp-real", models.SynchronizationJob{TemplateID: "API2AAD"})
				if err != nil {
					t.Fatal(err)
				}
				var reads atomic.Int32
				h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if strings.Contains(r.URL.Path, "auditLogs/provisioning") {
						if n := reads.Add(1); n > 1 && hostile(w, r, int(n)) {
							return
						}
					}
					srv.ServeHTTP(w, r)
				})
				t.Setenv("GRAPHSYNC_GRAPH_URL", srv.URL)
				t.Setenv("GRAPHSYNC_TOKEN", srv.Token())
				start := time.Now()
				r := runWith(t, context.Background(), &cli.Options{Transport: graphtest.InProcessTransport(h)}, "",
					"-json", "-job", job.ID, "-csv", csv, "-poll", "5s", "-timeout", "1m")
				took := time.Since(start)
				if took > time.Minute+10*time.Second {
					t.Errorf("ran %s with -timeout 1m", took)
				}
				var rows []entry
				if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil || len(rows) != 3 {
					t.Fatalf("exit %d: %v\n%s\n%s", r.code, err, r.stdout, r.stderr)
				}
				for _, e := range rows {
					if e.State != stateUnknown {
						t.Errorf("row %+v: want %s", e, stateUnknown)
					}
				}
				if r.code != exitFailed || !strings.Contains(r.stderr, "3 record(s) have no outcome after 1m0s") {
					t.Errorf("exit %d, want %d\n%s", r.code, exitFailed, r.stderr)
				}
				if reads.Load() < 2 {
					t.Errorf("the logs were read %d time(s)", reads.Load())
				}
			})
		})
	}
}
