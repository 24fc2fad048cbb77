package upload

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/graphsync/graphsync/cmd/graphsync/internal/cli"
	"github.com/graphsync/graphsync/cmd/graphsync/internal/hrcsv"
	"github.com/graphsync/graphsync/cmd/graphsync/internal/jsonl"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

// benchRecords is the size of the benchmarks' export (100,000 unless
// GRAPHSYNC_BENCH_RECORDS says otherwise), benchChanges how many of its
// records changed since the state was written.
func benchRecords(b *testing.B) int {
	if v := os.Getenv("GRAPHSYNC_BENCH_RECORDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 2000 {
			b.Fatalf("GRAPHSYNC_BENCH_RECORDS=%q: want a number of 2000 or more", v)
		}
		return n
	}
	return 100_000
}

const benchChanges = 1000

// benchExport writes an export of n people whose first benchChanges have
// a new title, and the state of the day before (everyone with the old
// title), written as a run writes it.
func benchExport(b *testing.B, n int, job string) (csv, statePath string) {
	dir := b.TempDir()
	var old, today strings.Builder
	head := "externalId,userName,displayName,title,urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department\n"
	old.WriteString(head)
	today.WriteString(head)
	for i := 1; i <= n; i++ {
		line := fmt.Sprintf("E%06d,e%06d@contoso.com,Person %d,%%s,Department %d\n", i, i, i, i%50)
		fmt.Fprintf(&old, line, "Clerk")
		title := "Clerk"
		if i <= benchChanges {
			title = "Senior Clerk"
		}
		fmt.Fprintf(&today, line, title)
	}
	csv = filepath.Join(dir, "today.csv")
	if err := os.WriteFile(csv, []byte(today.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	recs, err := hrcsv.Read("old.csv", strings.NewReader(old.String()))
	if err != nil {
		b.Fatal(err)
	}
	st := &state{path: filepath.Join(dir, "hr.state"), sp: "sp-real", job: job, records: make(map[string]slot, n)}
	for _, r := range recs {
		sum, _ := r.Sum()
		st.records[r.User.ExternalID] = slot{fp: sum}
	}
	if err := st.save(jsonl.Position{}); err != nil {
		b.Fatal(err)
	}
	return csv, st.path
}

// BenchmarkDelta: reading a 100,000-record state and a 100,000-record
// export with 1,000 changes, and finding the 1,000. It reports the time,
// and the live heap the state and the plan hold afterwards (live-MB),
// which grows with the state (an externalId and a 32-byte fingerprint
// each), not with a copy of each record.
func BenchmarkDelta(b *testing.B) {
	n := benchRecords(b)
	csv, statePath := benchExport(b, n, "job")
	p := &program{cfg: &config{leavers: "disable", maxLeavers: "5%"}}
	var live uint64
	for b.Loop() {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		st, err := loadState(statePath, "sp-real", "job", nil)
		if err != nil {
			b.Fatal(err)
		}
		f, err := os.Open(csv)
		if err != nil {
			b.Fatal(err)
		}
		pl, err := p.delta(csv, f, st, nil)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		if len(pl.send) != benchChanges || pl.unchanged != n-benchChanges {
			b.Fatalf("%d to send, %d unchanged", len(pl.send), pl.unchanged)
		}
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		live = after.HeapAlloc - min(before.HeapAlloc, after.HeapAlloc)
		runtime.KeepAlive(st)
		runtime.KeepAlive(pl)
	}
	b.ReportMetric(float64(live)/1e6, "live-MB")
	b.ReportMetric(float64(live)/float64(n), "live-B/record")
}

// BenchmarkDailyRun: the whole command with -state against an in-process
// fake Graph (over HTTP on loopback): a 100,000-record export with 1,000
// changes uploads the 1,000 (20 requests), follows them in the logs and
// writes the state.
func BenchmarkDailyRun(b *testing.B) {
	n := benchRecords(b)
	srv := graphtest.NewServer(&graphtest.Options{InboundDelay: 10 * time.Millisecond})
	b.Cleanup(srv.Close)
	srv.AddServicePrincipal("sp-real", "API2AAD")
	c, err := srv.NewClient()
	if err != nil {
		b.Fatal(err)
	}
	job, err := c.CreateJob(context.Background(), "sp-real", modelsJob())
	if err != nil {
		b.Fatal(err)
	}
	for _, k := range []string{"GRAPHSYNC_GRAPH_URL", "GRAPHSYNC_TOKEN", "GRAPHSYNC_SERVICE_PRINCIPAL_ID"} {
		b.Setenv(k, "")
	}
	b.Setenv("GRAPHSYNC_GRAPH_URL", srv.URL)
	b.Setenv("GRAPHSYNC_TOKEN", srv.Token())
	b.Setenv("GRAPHSYNC_SERVICE_PRINCIPAL_ID", "sp-real")
	for b.Loop() {
		b.StopTimer()
		csv, statePath := benchExport(b, n, job.ID)
		before := bulkCalls(srv)
		b.StartTimer()
		var stdout, stderr bytes.Buffer
		code := cli.Execute(context.Background(), Command(), "upload", []string{"-json", "-job", job.ID, "-csv", csv, "-state", statePath,
			"-poll", "20ms", "-timeout", "1m", "-skew", "0s"}, strings.NewReader(""), &stdout, &stderr)
		b.StopTimer()
		if code != exitOK || bulkCalls(srv)-before != benchChanges/50 {
			b.Fatalf("exit %d, %d bulkUpload call(s)\n%s", code, bulkCalls(srv)-before, stderr.String())
		}
		b.StartTimer()
	}
}

func modelsJob() models.SynchronizationJob { return models.SynchronizationJob{TemplateID: "API2AAD"} }
